package opencart

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ConfigPHP is the database connection an OpenCart config.php (or
// admin/config.php) defines.
type ConfigPHP struct {
	Hostname string
	Port     int // 0 when not defined (3306)
	Username string
	Password string
	Database string
	Prefix   string
	// Notes say what could not be read, e.g. a value that is PHP code.
	Notes []string
}

// configKeys are the constants read; every other define is ignored.
var configKeys = map[string]func(*ConfigPHP, string) error{
	"DB_HOSTNAME": func(c *ConfigPHP, v string) error { c.Hostname = v; return nil },
	"DB_USERNAME": func(c *ConfigPHP, v string) error { c.Username = v; return nil },
	"DB_PASSWORD": func(c *ConfigPHP, v string) error { c.Password = v; return nil },
	"DB_DATABASE": func(c *ConfigPHP, v string) error { c.Database = v; return nil },
	"DB_PREFIX":   func(c *ConfigPHP, v string) error { c.Prefix = v; return nil },
	"DB_PORT": func(c *ConfigPHP, v string) error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("DB_PORT %q is not a port number", v)
		}
		c.Port = n
		return nil
	},
}

// ParseConfigPHP reads the define('DB_…', '…') lines of an OpenCart
// config.php. It never runs PHP: only literal strings and numbers are
// read, in single or double quotes, around comments and any spacing; a
// value that is PHP code is left out with a note.
func ParseConfigPHP(src []byte) (ConfigPHP, error) {
	var c ConfigPHP
	p := &phpScanner{src: string(src)}
	found := false
	for {
		tok, ok := p.next()
		if !ok {
			break
		}
		if tok.kind != tokWord || !strings.EqualFold(tok.text, "define") {
			continue
		}
		name, value, ok := p.define()
		if !ok {
			continue
		}
		set, known := configKeys[name.text]
		if name.kind != tokString || !known {
			continue
		}
		switch {
		case value.kind == tokString && value.code:
			c.Notes = append(c.Notes, name.text+" is built with PHP code ("+value.text+"); enter it by hand")
		case value.kind == tokString || value.kind == tokNumber:
			if err := set(&c, value.text); err != nil {
				c.Notes = append(c.Notes, err.Error())
				continue
			}
			found = true
		default:
			c.Notes = append(c.Notes, name.text+" is not a plain value; enter it by hand")
		}
	}
	if !found {
		return c, errors.New("no define('DB_DATABASE', …) or other database setting found: is this OpenCart's config.php?")
	}
	return c, nil
}

type tokKind int

const (
	tokWord tokKind = iota
	tokString
	tokNumber
	tokPunct
)

type token struct {
	kind tokKind
	text string
	// code is true for a double-quoted string that interpolates a
	// variable: its value is not known without running PHP.
	code bool
}

// phpScanner splits PHP source into the few tokens a define needs,
// skipping text outside <?php … ?>, comments and whitespace.
type phpScanner struct {
	src  string
	i    int
	html bool // outside the PHP tags
	init bool
}

func (p *phpScanner) next() (token, bool) {
	if !p.init {
		p.init, p.html = true, true
	}
	for p.i < len(p.src) {
		if p.html {
			j := strings.Index(p.src[p.i:], "<?")
			if j < 0 {
				p.i = len(p.src)
				return token{}, false
			}
			p.i += j + 2
			if strings.HasPrefix(strings.ToLower(p.src[p.i:]), "php") {
				p.i += 3
			}
			p.html = false
			continue
		}
		ch := p.src[p.i]
		switch {
		case ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v':
			p.i++
		case strings.HasPrefix(p.src[p.i:], "?>"):
			p.i += 2
			p.html = true
		case ch == '#' || strings.HasPrefix(p.src[p.i:], "//"):
			p.lineComment()
		case strings.HasPrefix(p.src[p.i:], "/*"):
			j := strings.Index(p.src[p.i+2:], "*/")
			if j < 0 {
				p.i = len(p.src)
			} else {
				p.i += 2 + j + 2
			}
		case ch == '\'':
			return p.single(), true
		case ch == '"':
			return p.double(), true
		case ch >= '0' && ch <= '9':
			j := p.i
			for j < len(p.src) && (p.src[j] >= '0' && p.src[j] <= '9') {
				j++
			}
			t := token{kind: tokNumber, text: p.src[p.i:j]}
			p.i = j
			return t, true
		case ch == '_' || ch == '\\' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= 0x80:
			j := p.i
			for j < len(p.src) && (p.src[j] == '_' || p.src[j] == '\\' || p.src[j] >= 'a' && p.src[j] <= 'z' ||
				p.src[j] >= 'A' && p.src[j] <= 'Z' || p.src[j] >= '0' && p.src[j] <= '9' || p.src[j] >= 0x80) {
				j++
			}
			t := token{kind: tokWord, text: strings.TrimPrefix(p.src[p.i:j], "\\")}
			p.i = j
			return t, true
		default:
			p.i++
			return token{kind: tokPunct, text: string(ch)}, true
		}
	}
	return token{}, false
}

// lineComment skips to the end of the line or the closing PHP tag.
func (p *phpScanner) lineComment() {
	for p.i < len(p.src) && p.src[p.i] != '\n' {
		if strings.HasPrefix(p.src[p.i:], "?>") {
			return
		}
		p.i++
	}
}

// single reads a single-quoted string: only \' and \\ are escapes.
func (p *phpScanner) single() token {
	var b strings.Builder
	p.i++
	for p.i < len(p.src) {
		ch := p.src[p.i]
		switch {
		case ch == '\'':
			p.i++
			return token{kind: tokString, text: b.String()}
		case ch == '\\' && p.i+1 < len(p.src) && (p.src[p.i+1] == '\'' || p.src[p.i+1] == '\\'):
			b.WriteByte(p.src[p.i+1])
			p.i += 2
		default:
			b.WriteByte(ch)
			p.i++
		}
	}
	return token{kind: tokPunct, text: "'"} // unterminated: not a value
}

// double reads a double-quoted string with PHP's escapes; "$name" or
// "{$" make it code.
func (p *phpScanner) double() token {
	var b strings.Builder
	code := false
	p.i++
	for p.i < len(p.src) {
		ch := p.src[p.i]
		switch {
		case ch == '"':
			p.i++
			return token{kind: tokString, text: b.String(), code: code}
		case ch == '$' && p.i+1 < len(p.src) && (p.src[p.i+1] == '_' || p.src[p.i+1] == '{' ||
			p.src[p.i+1] >= 'a' && p.src[p.i+1] <= 'z' || p.src[p.i+1] >= 'A' && p.src[p.i+1] <= 'Z'):
			code = true
			b.WriteByte(ch)
			p.i++
		case ch == '{' && p.i+1 < len(p.src) && p.src[p.i+1] == '$':
			code = true
			b.WriteByte(ch)
			p.i++
		case ch == '\\' && p.i+1 < len(p.src):
			e := p.src[p.i+1]
			if r, ok := map[byte]byte{'n': '\n', 't': '\t', 'r': '\r', 'v': '\v', 'f': '\f', 'e': 0x1b, '\\': '\\', '$': '$', '"': '"'}[e]; ok {
				b.WriteByte(r)
				p.i += 2
				continue
			}
			if e >= '0' && e <= '7' || e == 'x' || e == 'u' {
				code = true // octal, hex and unicode escapes: rare; not decoded
			}
			b.WriteByte(ch)
			p.i++
		default:
			b.WriteByte(ch)
			p.i++
		}
	}
	return token{kind: tokPunct, text: `"`}
}

// define reads ( NAME , VALUE ) after the word define; the value must be
// alone before the closing parenthesis (else it is an expression).
func (p *phpScanner) define() (name, value token, ok bool) {
	if t, ok := p.next(); !ok || t.kind != tokPunct || t.text != "(" {
		return name, value, false
	}
	if name, ok = p.next(); !ok {
		return name, value, false
	}
	if t, ok := p.next(); !ok || t.kind != tokPunct || t.text != "," {
		return name, value, false
	}
	if value, ok = p.next(); !ok {
		return name, value, false
	}
	t, ok := p.next()
	if !ok {
		return name, value, false
	}
	if t.kind != tokPunct || (t.text != ")" && t.text != ",") {
		// e.g. getenv('DB_PASSWORD') or 'a' . 'b': not a literal value.
		return name, token{kind: tokString, text: value.text + " " + t.text + " …", code: true}, true
	}
	return name, value, true
}
