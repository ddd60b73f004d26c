package opencart

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"
)

// stream reads records page by page in id order (keyset pagination: each
// page starts after the last id of the one before), so memory holds one
// page at a time however many records there are.
func stream[T any](ctx context.Context, pageSize int, id func(T) int,
	page func(ctx context.Context, afterID, limit int) ([]T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		after := 0
		for {
			if err := ctx.Err(); err != nil {
				var zero T
				yield(zero, fmt.Errorf("opencart: %w", err))
				return
			}
			recs, err := page(ctx, after, pageSize)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, rec := range recs {
				if !yield(rec, nil) {
					return
				}
			}
			if len(recs) < pageSize {
				return
			}
			after = id(recs[len(recs)-1])
		}
	}
}

// where collects the conditions and arguments of a WHERE clause.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) ids(column string, ids []int) {
	if len(ids) == 0 {
		return
	}
	in, args := inList(ids)
	w.add(column+" IN "+in, args...)
}

// notIDs leaves out the ids; they are written into the SQL as numbers
// (ints need no quoting), so a list longer than MySQL's 65,535
// placeholders still works.
func (w *where) notIDs(column string, ids []int) {
	if len(ids) == 0 {
		return
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.Itoa(id)
	}
	w.add(column + " NOT IN (" + strings.Join(parts, ",") + ")")
}

// dateRange adds since <= column < until; zero times are left out.
func (w *where) dateRange(column string, since, until time.Time) {
	if !since.IsZero() {
		w.add(column+" >= ?", wallClock(since))
	}
	if !until.IsZero() {
		w.add(column+" < ?", wallClock(until))
	}
}

// search matches a person's name or e-mail containing the text as typed
// (encoded the way OpenCart stores it), or the id when the text is a number.
func (w *where) search(text, alias, idColumn string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	like := "%" + likeEscape(EncodeText(text)) + "%"
	cond := "(CONCAT(COALESCE(" + alias + ".firstname,''), ' ', COALESCE(" + alias + ".lastname,'')) LIKE ? OR " + alias + ".email LIKE ?"
	args := []any{like, like}
	if id, err := strconv.Atoi(strings.TrimPrefix(text, "#")); err == nil && id > 0 {
		cond += " OR " + alias + "." + idColumn + " = ?"
		args = append(args, id)
	}
	w.add(cond+")", args...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

var (
	likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	htmlEncoder = strings.NewReplacer("&", "&amp;", `"`, "&quot;", "<", "&lt;", ">", "&gt;")
)

func likeEscape(s string) string { return likeEscaper.Replace(s) }

// EncodeText stores text the way OpenCart does with everything typed into
// it (PHP htmlspecialchars with ENT_COMPAT): & " < > become entities, the
// apostrophe does not.
func EncodeText(s string) string {
	return htmlEncoder.Replace(s)
}

// Sort names the column a list is sorted by.
type Sort string

// The sort orders a list view offers.
const (
	SortID    Sort = "id"
	SortDate  Sort = "date"
	SortTotal Sort = "total" // orders only
	SortName  Sort = "name"
	SortEmail Sort = "email"
)

// ListOptions choose one page of a list view.
type ListOptions struct {
	Sort Sort
	Desc bool
	// After, when set, starts the page after the row with this key
	// (keyset paging: the rows before it are not read at all); Offset
	// then counts from there. A key belongs to one sort and direction.
	After  *ListKey
	Offset int
	Limit  int // 0 means 50
}

// ListKey is a row's place in a sorted list: the values it is sorted by,
// as the database gives them (NULL as the empty value), and its id, which
// breaks ties. OrderPage and CustomerPage return one per row.
type ListKey struct {
	Values []string
	ID     int
}

// sortValue is one value a list sorts by: the expression (NULL turned
// into the empty value, so that ORDER BY, the key read with each row and
// the comparison with a key all see the same value) and how a key's
// value is written back into a statement.
type sortValue struct {
	expr, param string
}

// text and decimal sort values; a date is compared as its text, which
// sorts as the date does (a zero date first, a NULL before it).
func textSort(expr string) sortValue { return sortValue{"COALESCE(" + expr + ", '')", "?"} }
func dateSort(expr string) sortValue {
	return sortValue{"COALESCE(CAST(" + expr + " AS CHAR), '')", "?"}
}
func decimalSort(expr string) sortValue {
	return sortValue{"COALESCE(" + expr + ", 0)", "CAST(? AS DECIMAL(65,30))"}
}

// listSort is the order of a list page: the sort values, then the id.
type listSort struct {
	values []sortValue
	id     string
	desc   bool
}

// sortOf is the order the options ask for among a list's sorts.
func (o ListOptions) sortOf(sorts map[Sort][]sortValue, id string) (listSort, error) {
	by := o.Sort
	if by == "" {
		by = SortID
	}
	values, ok := sorts[by]
	if !ok && by != SortID {
		return listSort{}, fmt.Errorf("opencart: this list cannot be sorted by %q", by)
	}
	return listSort{values: values, id: id, desc: o.Desc}, nil
}

// exprs are the sort values' expressions (without the id).
func (ls listSort) exprs() []string {
	out := make([]string, len(ls.values))
	for i, v := range ls.values {
		out[i] = v.expr
	}
	return out
}

// orderBy is the ORDER BY clause; the id breaks ties so pages never
// overlap.
func (ls listSort) orderBy() string {
	dir := " ASC"
	if ls.desc {
		dir = " DESC"
	}
	return " ORDER BY " + strings.Join(append(ls.exprs(), ls.id), dir+", ") + dir
}

// after adds the condition "comes after key" to w: one comparison of
// (values…, id) with the key's, which ORDER BY agrees with.
func (ls listSort) after(w *where, key *ListKey) error {
	if key == nil {
		return nil
	}
	if len(key.Values) != len(ls.values) {
		return fmt.Errorf("opencart: a list key of %d values does not fit a sort by %d", len(key.Values), len(ls.values))
	}
	op := " > "
	if ls.desc {
		op = " < "
	}
	if len(ls.values) == 0 {
		w.add(ls.id+op+"?", key.ID)
		return nil
	}
	params := make([]string, len(ls.values))
	args := make([]any, 0, len(ls.values)+1)
	for i, v := range ls.values {
		params[i] = v.param
		args = append(args, key.Values[i])
	}
	w.add("("+strings.Join(ls.exprs(), ", ")+", "+ls.id+")"+op+"("+strings.Join(params, ", ")+", ?)", append(args, key.ID)...)
	return nil
}

// limit is the LIMIT (and OFFSET, counted after the key when there is one).
func (o ListOptions) limit() string {
	n := o.Limit
	if n <= 0 {
		n = 50
	}
	if o.Offset > 0 {
		return fmt.Sprintf(" LIMIT %d OFFSET %d", n, o.Offset)
	}
	return fmt.Sprintf(" LIMIT %d", n)
}
