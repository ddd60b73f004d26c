package safetext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTerminal(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "Widget W-1 (blue)", "Widget W-1 (blue)"},
		{"accents and CJK kept", "Crème brûlée 日本", "Crème brûlée 日本"},
		{"OSC window title, BEL", "A\x1b]0;pwned\x07B", "AB"},
		{"OSC window title, ST", "A\x1b]2;pwned\x1b\\B", "AB"},
		{"OSC 8 hyperlink", "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"erase line and carriage return", "model\r\x1b[2K  order 1 exported", "model   order 1 exported"},
		{"green text", "\x1b[32;1mall records exported OK\x1b[0m", "all records exported OK"},
		{"C1 CSI", "a\u009b2Jb", "ab"},
		{"C1 OSC", "a\u009d0;t\u009cb", "ab"},
		{"unterminated OSC swallows the rest", "a\x1b]0;title", "a"},
		{"ESC inside OSC starts a new sequence", "a\x1b]0;t\x1b[31mb", "ab"},
		{"two-character escape (reset)", "a\x1bcb", "ab"},
		{"charset designation", "a\x1b(Bb", "ab"},
		{"lone ESC at the end", "ab\x1b", "ab"},
		{"other C0 and DEL", "a\x00\x07\x08\x7fb", "ab"},
		{"line breaks and tabs become spaces", "a\nb\tc\r\nd", "a b c  d"},
		{"bidi override", "abc\u202edcba\u202c", "abcdcba"},
		{"invalid UTF-8 (lone 0x9b byte)", "a\x9b2Jb", "a\uFFFD2Jb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Terminal(tc.in); got != tc.want {
				t.Errorf("Terminal(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestTerminalLines(t *testing.T) {
	got := TerminalLines("first \x1b[2Kline\nsecond\tline\x1b]0;x\x07")
	if want := "first line\nsecond line"; got != want {
		t.Errorf("TerminalLines = %q, want %q", got, want)
	}
}

// FuzzTerminalSafe checks Terminal's promise on any input: no control byte
// but the space-free line breaks TerminalLines keeps, no C1 character, valid
// UTF-8, and making safe text safe again changes nothing.
func FuzzTerminalSafe(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b]0;t\x07x", "\x1b[2K\r", "\u009b31m", "a\x1b", "\x1b]", "\xff\xfe", "\u202e", "a\nb\tc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, out := range map[string]string{"Terminal": Terminal(s), "TerminalLines": TerminalLines(s)} {
			if !utf8.ValidString(out) {
				t.Fatalf("%s(%q) = %q: not UTF-8", name, s, out)
			}
			for i := 0; i < len(out); i++ {
				if c := out[i]; c < 0x20 && !(c == '\n' && name == "TerminalLines") || c == 0x7f {
					t.Fatalf("%s(%q) = %q: holds byte %#x", name, s, out, c)
				}
			}
			for _, r := range out {
				if r >= 0x7f && r <= 0x9f || isBidiControl(r) {
					t.Fatalf("%s(%q) = %q: holds %U", name, s, out, r)
				}
			}
		}
		once := Terminal(s)
		if twice := Terminal(once); twice != once {
			t.Fatalf("Terminal is not idempotent on %q: %q then %q", s, once, twice)
		}
		lines := TerminalLines(s)
		if twice := TerminalLines(lines); twice != lines {
			t.Fatalf("TerminalLines is not idempotent on %q: %q then %q", s, lines, twice)
		}
		if strings.Count(lines, "\n") != strings.Count(s, "\n") {
			t.Fatalf("TerminalLines(%q) = %q: lines lost or added", s, lines)
		}
	})
}

func TestCSVCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"},
		{"+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1:A2)", "'@SUM(A1:A2)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"", ""},
		{"OC-1001", "OC-1001"},
		{"a=b", "a=b"},
		{"'=already", "'=already"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := CSVCell(tc.in); got != tc.want {
				t.Errorf("CSVCell(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
