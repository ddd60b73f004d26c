package xerotest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"
)

// A small, safe evaluator for the `where` parameter [XERO.md §2 "where"]:
//
//	Field == "text"   Field != "text"   Field == Guid("…")   Field == true
//	Field == 12.5     Field >= 10       Date >= DateTime(2026,01,31)
//	Field.Contains("x")   Field.StartsWith("x")   Field.EndsWith("x")
//	Contact.ContactID == Guid("…")     (dotted paths into nested objects)
//	a AND b   a OR b   a && b   a || b   NOT a   ( … )
//
// Text comparisons ignore case, as Xero's do for the optimised filters.
// Anything else is refused with a QueryParseException, never guessed.

type whereExpr interface {
	eval(obj map[string]any) bool
}

type whereAnd struct{ l, r whereExpr }
type whereOr struct{ l, r whereExpr }
type whereNot struct{ e whereExpr }
type whereCmp struct {
	path []string
	op   string // == != > >= < <= Contains StartsWith EndsWith
	val  any    // string, decimal.Decimal, bool, time.Time, nil
}

func (e whereAnd) eval(o map[string]any) bool { return e.l.eval(o) && e.r.eval(o) }
func (e whereOr) eval(o map[string]any) bool  { return e.l.eval(o) || e.r.eval(o) }
func (e whereNot) eval(o map[string]any) bool { return !e.e.eval(o) }

func (e whereCmp) eval(o map[string]any) bool {
	var cur any = o
	for _, p := range e.path {
		m, ok := cur.(map[string]any)
		if !ok {
			cur = nil
			break
		}
		cur = nil
		for k, v := range m {
			if strings.EqualFold(k, p) {
				cur = v
				break
			}
		}
	}
	cmp, ok := compare(cur, e.val)
	switch e.op {
	case "==":
		return ok && cmp == 0
	case "!=":
		return !ok || cmp != 0
	case ">":
		return ok && cmp > 0
	case ">=":
		return ok && cmp >= 0
	case "<":
		return ok && cmp < 0
	case "<=":
		return ok && cmp <= 0
	}
	s, isStr := cur.(string)
	v, _ := e.val.(string)
	s, v = strings.ToLower(s), strings.ToLower(v)
	switch e.op {
	case "Contains":
		return isStr && strings.Contains(s, v)
	case "StartsWith":
		return isStr && strings.HasPrefix(s, v)
	case "EndsWith":
		return isStr && strings.HasSuffix(s, v)
	}
	return false
}

// compare orders a field value against a literal; ok=false when they
// cannot be compared (missing field, different kinds).
func compare(field, lit any) (int, bool) {
	switch l := lit.(type) {
	case nil:
		if field == nil || field == "" {
			return 0, true
		}
		return 1, true
	case string:
		f, ok := field.(string)
		if !ok {
			return 0, false
		}
		return strings.Compare(strings.ToLower(f), strings.ToLower(l)), true
	case bool:
		f, ok := field.(bool)
		if !ok {
			return 0, false
		}
		if f == l {
			return 0, true
		}
		return 1, true
	case decimal.Decimal:
		n, ok := field.(json.Number)
		if !ok {
			return 0, false
		}
		d, err := decimal.NewFromString(n.String())
		if err != nil {
			return 0, false
		}
		return d.Cmp(l), true
	case time.Time:
		f, ok := field.(string)
		if !ok {
			return 0, false
		}
		t, err := parseDate(f)
		if err != nil {
			return 0, false
		}
		return t.Compare(l), true
	}
	return 0, false
}

// filterWhere keeps the items (a slice) matching the where clause.
// applyWhere filters items by the request's where parameter, answering
// 400 (as Xero does) when it cannot be read.
func applyWhere[T any](r *req, items []T) ([]T, bool) {
	out, err := filterWhere(items, r.q.Get("where"))
	if err != nil {
		writeAPIError(r.w, http.StatusBadRequest, 16, "QueryParseException", err.Error())
		return nil, false
	}
	return out, true
}

func filterWhere[T any](items []T, where string) ([]T, error) {
	if strings.TrimSpace(where) == "" {
		return items, nil
	}
	e, err := parseWhere(where)
	if err != nil {
		return nil, err
	}
	var out []T
	for _, it := range items {
		b, _ := json.Marshal(it)
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			return nil, err
		}
		if e.eval(m) {
			out = append(out, it)
		}
	}
	return out, nil
}

type whereParser struct {
	toks []string
	pos  int
	src  string
}

func parseWhere(src string) (whereExpr, error) {
	toks, err := tokenize(src)
	if err != nil {
		return nil, err
	}
	p := &whereParser{toks: toks, src: src}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.toks) {
		return nil, p.errf("unexpected %q", p.toks[p.pos])
	}
	return e, nil
}

func (p *whereParser) errf(format string, args ...any) error {
	return fmt.Errorf("The where clause %q is not supported by the sandbox: %s", p.src, fmt.Sprintf(format, args...))
}

func (p *whereParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *whereParser) next() string { t := p.peek(); p.pos++; return t }

func (p *whereParser) expect(t string) error {
	if got := p.next(); got != t {
		return p.errf("expected %q, got %q", t, got)
	}
	return nil
}

func (p *whereParser) or() (whereExpr, error) {
	l, err := p.and()
	for err == nil && (strings.EqualFold(p.peek(), "OR") || p.peek() == "||") {
		p.next()
		var r whereExpr
		if r, err = p.and(); err == nil {
			l = whereOr{l, r}
		}
	}
	return l, err
}

func (p *whereParser) and() (whereExpr, error) {
	l, err := p.unary()
	for err == nil && (strings.EqualFold(p.peek(), "AND") || p.peek() == "&&") {
		p.next()
		var r whereExpr
		if r, err = p.unary(); err == nil {
			l = whereAnd{l, r}
		}
	}
	return l, err
}

func (p *whereParser) unary() (whereExpr, error) {
	switch t := p.peek(); {
	case strings.EqualFold(t, "NOT") || t == "!":
		p.next()
		e, err := p.unary()
		return whereNot{e}, err
	case t == "(":
		p.next()
		e, err := p.or()
		if err == nil {
			err = p.expect(")")
		}
		return e, err
	}
	return p.comparison()
}

func (p *whereParser) comparison() (whereExpr, error) {
	t := p.next()
	if t == "" || !isIdent(t) {
		return nil, p.errf("expected a field name, got %q", t)
	}
	path := strings.Split(t, ".")
	last := path[len(path)-1]
	if p.peek() == "(" {
		switch last {
		case "Contains", "StartsWith", "EndsWith":
		default:
			return nil, p.errf("method %q", last)
		}
		p.next()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		if _, ok := v.(string); !ok {
			return nil, p.errf("%s needs a quoted text", last)
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return whereCmp{path: path[:len(path)-1], op: last, val: v}, nil
	}
	op := p.next()
	switch op {
	case "==", "!=", ">", ">=", "<", "<=":
	case "=":
		op = "=="
	default:
		return nil, p.errf("operator %q after %s", op, t)
	}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	return whereCmp{path: path, op: op, val: v}, nil
}

func (p *whereParser) value() (any, error) {
	t := p.next()
	switch {
	case strings.HasPrefix(t, `"`):
		return t[1:], nil // the tokenizer strips the closing quote and escapes
	case strings.EqualFold(t, "true"), strings.EqualFold(t, "false"):
		return strings.EqualFold(t, "true"), nil
	case strings.EqualFold(t, "null"):
		return nil, nil
	case t == "Guid" || t == "guid":
		if err := p.expect("("); err != nil {
			return nil, err
		}
		v := p.next()
		if !strings.HasPrefix(v, `"`) || !idSegment.MatchString(v[1:]) {
			return nil, p.errf("Guid(…) needs a quoted GUID")
		}
		return v[1:], p.expect(")")
	case t == "DateTime":
		if err := p.expect("("); err != nil {
			return nil, err
		}
		var parts []int
		for {
			n, err := strconv.Atoi(p.next())
			if err != nil {
				return nil, p.errf("DateTime(…) needs whole numbers")
			}
			parts = append(parts, n)
			if p.peek() != "," {
				break
			}
			p.next()
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		if len(parts) != 3 && len(parts) != 6 {
			return nil, p.errf("DateTime needs (year,month,day) or (year,month,day,hour,minute,second)")
		}
		parts = append(parts, 0, 0, 0)
		return time.Date(parts[0], time.Month(parts[1]), parts[2], parts[3], parts[4], parts[5], 0, time.UTC), nil
	}
	if d, err := decimal.NewFromString(t); err == nil {
		return d, nil
	}
	return nil, p.errf("value %q", t)
}

func isIdent(t string) bool {
	for i, r := range t {
		if !(unicode.IsLetter(r) || r == '_' || (i > 0 && (unicode.IsDigit(r) || r == '.'))) {
			return false
		}
	}
	return true
}

// tokenize splits a where clause; a string token keeps only its opening
// quote, with escapes resolved.
func tokenize(src string) ([]string, error) {
	var toks []string
	rs := []rune(src)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '"':
			var b strings.Builder
			b.WriteRune('"')
			i++
			for ; i < len(rs) && rs[i] != '"'; i++ {
				if rs[i] == '\\' && i+1 < len(rs) {
					i++
				}
				b.WriteRune(rs[i])
			}
			if i >= len(rs) {
				return nil, fmt.Errorf("The where clause %q has an unterminated string", src)
			}
			i++
			toks = append(toks, b.String())
		case strings.ContainsRune("()!,", r) && !(r == '!' && i+1 < len(rs) && rs[i+1] == '='):
			toks = append(toks, string(r))
			i++
		case strings.ContainsRune("=!<>&|", r):
			j := i + 1
			for j < len(rs) && strings.ContainsRune("=&|", rs[j]) {
				j++
			}
			toks = append(toks, string(rs[i:j]))
			i = j
		default:
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || strings.ContainsRune("._-+", rs[j])) {
				j++
			}
			if j == i {
				return nil, fmt.Errorf("The where clause %q has an unexpected character %q", src, r)
			}
			toks = append(toks, string(rs[i:j]))
			i = j
		}
	}
	return toks, nil
}
