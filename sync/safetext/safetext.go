// Package safetext makes text that came from the shop or from Xero safe for
// the places the app shows or writes it: a terminal, which obeys control
// characters and escape sequences hidden in a product model or a tax name,
// and a spreadsheet, which runs a cell that starts like a formula.
package safetext

import (
	"strings"
)

// Terminal returns s as one line a terminal shows literally: escape
// sequences (CSI, OSC, DCS and the like, with ESC or their C1 form) are
// removed whole, other C0 and C1 control characters and DEL are removed,
// line breaks and tabs become spaces (the lines and columns on the screen
// are the app's, not the text's), bidirectional overrides are removed and
// bytes that are not UTF-8 become U+FFFD.
func Terminal(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	rs := []rune(strings.ToValidUTF8(s, "\uFFFD"))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == 0x1b: // ESC
			i = skipEscape(rs, i)
		case r == 0x9b: // CSI as one C1 character
			i = skipControlSequence(rs, i+1)
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f: // DCS, SOS, OSC, PM, APC
			i = skipControlString(rs, i+1)
		case r == '\n' || r == '\t' || r == '\r' || r == '\v' || r == '\f':
			b.WriteByte(' ')
		case r < 0x20 || r >= 0x7f && r <= 0x9f || isBidiControl(r):
			// dropped
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TerminalLines is Terminal for text whose line breaks are meant (a list
// the app built, one item a line): each line is made safe on its own and
// the "\n" between them kept.
func TerminalLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Terminal(l)
	}
	return strings.Join(lines, "\n")
}

// isPlain reports whether s is printable ASCII only, which Terminal returns
// as it is.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// skipEscape skips the sequence that starts with ESC at rs[i] and returns
// the index of its last rune.
func skipEscape(rs []rune, i int) int {
	if i+1 >= len(rs) {
		return i
	}
	switch n := rs[i+1]; {
	case n == '[':
		return skipControlSequence(rs, i+2)
	case n == ']' || n == 'P' || n == 'X' || n == '^' || n == '_':
		return skipControlString(rs, i+2)
	case n >= 0x20 && n <= 0x2f: // intermediates, then one final character
		j := i + 1
		for j < len(rs) && rs[j] >= 0x20 && rs[j] <= 0x2f {
			j++
		}
		if j < len(rs) && rs[j] >= 0x30 && rs[j] <= 0x7e {
			return j
		}
		return j - 1
	case n >= 0x30 && n <= 0x7e: // a two-character sequence, e.g. ESC c (reset)
		return i + 1
	}
	return i
}

// skipControlSequence skips a CSI's parameters and intermediates from
// rs[i] and its final character; it returns the index of the last rune
// skipped.
func skipControlSequence(rs []rune, i int) int {
	for i < len(rs) && rs[i] >= 0x20 && rs[i] <= 0x3f {
		i++
	}
	if i < len(rs) && rs[i] >= 0x40 && rs[i] <= 0x7e {
		return i
	}
	return i - 1
}

// skipControlString skips an OSC, DCS, SOS, PM or APC body from rs[i] up to
// and including its terminator (BEL, ESC \ or ST); an unterminated one runs
// to the end of the text, as it would on a terminal.
func skipControlString(rs []rune, i int) int {
	for ; i < len(rs); i++ {
		switch rs[i] {
		case 0x07, 0x9c:
			return i
		case 0x1b:
			if i+1 < len(rs) && rs[i+1] == '\\' {
				return i + 1
			}
			return i - 1 // ESC ends the string and starts a sequence of its own
		}
	}
	return len(rs) - 1
}

// isBidiControl reports the explicit directional embeddings, overrides and
// isolates, which make a terminal show text in another order than it is.
func isBidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// formulaStarts are the first characters that make a spreadsheet read a
// cell as a formula (or, for tab and carriage return, shift it).
const formulaStarts = "=+-@\t\r"

// CSVCell returns s as a spreadsheet shows it literally: a cell starting
// with = + - @ tab or carriage return gets a leading apostrophe, so it is
// not run as a formula.
func CSVCell(s string) string {
	if s != "" && strings.IndexByte(formulaStarts, s[0]) >= 0 {
		return "'" + s
	}
	return s
}
