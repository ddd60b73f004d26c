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
	Sort   Sort
	Desc   bool
	Offset int
	Limit  int // 0 means 50
}

// orderBy renders the ORDER BY clause for a list; the id breaks ties so
// pages never overlap.
func (o ListOptions) orderBy(columns map[Sort]string, idColumn string) (string, error) {
	sortBy := o.Sort
	if sortBy == "" {
		sortBy = SortID
	}
	col, ok := columns[sortBy]
	if !ok {
		return "", fmt.Errorf("opencart: this list cannot be sorted by %q", sortBy)
	}
	dir := " ASC"
	if o.Desc {
		dir = " DESC"
	}
	parts := strings.Split(col, ", ")
	if col != idColumn {
		parts = append(parts, idColumn)
	}
	by := strings.Join(parts, dir+", ") + dir
	limit := o.Limit
	if limit <= 0 {
		limit = 50
	}
	return fmt.Sprintf(" ORDER BY %s LIMIT %d OFFSET %d", by, limit, max(o.Offset, 0)), nil
}
