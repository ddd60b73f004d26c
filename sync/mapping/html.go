package mapping

import "strings"

// stripTags takes markup out of a title an extension wrote: a tag (a < then
// a letter, / or !, up to its >, quotes respected) is removed; an <img>
// leaves its alt text, and <br>, <p>, <div>, <li>, <tr>, <td> leave a
// space; comments are removed whole. A < that starts no tag, or a tag
// never closed, is left as text (Clean's NoAngle removes it).
func stripTags(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c != '<' || i+1 >= len(s) || !tagStart(s[i+1]) {
			b.WriteByte(c)
			i++
			continue
		}
		if strings.HasPrefix(s[i:], "<!--") {
			end := strings.Index(s[i+4:], "-->")
			if end < 0 {
				b.WriteByte(c)
				i++
				continue
			}
			i += 4 + end + 3
			continue
		}
		end := tagEnd(s, i+1)
		if end < 0 {
			b.WriteByte(c)
			i++
			continue
		}
		tag := s[i+1 : end]
		name := strings.ToLower(tagName(tag))
		switch name {
		case "img":
			if alt := attribute(tag, "alt"); strings.TrimSpace(alt) != "" {
				b.WriteString(" " + alt + " ")
			}
		case "br", "p", "/p", "div", "/div", "li", "/li", "tr", "/tr", "td", "/td", "hr":
			b.WriteByte(' ')
		}
		i = end + 1
	}
	return b.String()
}

func tagStart(c byte) bool {
	return c == '/' || c == '!' || c == '?' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// tagEnd finds the > closing the tag whose text starts at from, skipping
// quoted attribute values; -1 when there is none.
func tagEnd(s string, from int) int {
	var quote byte
	for j := from; j < len(s); j++ {
		switch c := s[j]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return j
		}
	}
	return -1
}

// tagName is the name of a tag's text ("img src=…" → "img", "/div" → "/div").
func tagName(tag string) string {
	end := strings.IndexAny(tag, " \t\r\n/>")
	if end == 0 && strings.HasPrefix(tag, "/") { // a closing tag
		rest := tag[1:]
		if e := strings.IndexAny(rest, " \t\r\n>"); e >= 0 {
			rest = rest[:e]
		}
		return "/" + rest
	}
	if end < 0 {
		return tag
	}
	return tag[:end]
}

// attribute is the value of a tag's attribute (quoted or not), or "".
func attribute(tag, name string) string {
	lower := strings.ToLower(tag)
	for from := 0; ; {
		k := strings.Index(lower[from:], name)
		if k < 0 {
			return ""
		}
		k += from
		from = k + len(name)
		if k > 0 && !isSpace(lower[k-1]) {
			continue
		}
		rest := strings.TrimLeft(tag[from:], " \t\r\n")
		if !strings.HasPrefix(rest, "=") {
			continue
		}
		rest = strings.TrimLeft(rest[1:], " \t\r\n")
		if rest == "" {
			return ""
		}
		if q := rest[0]; q == '"' || q == '\'' {
			if end := strings.IndexByte(rest[1:], q); end >= 0 {
				return rest[1 : 1+end]
			}
			return rest[1:]
		}
		if end := strings.IndexAny(rest, " \t\r\n/"); end >= 0 {
			return rest[:end]
		}
		return rest
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
