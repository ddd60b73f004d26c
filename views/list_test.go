package views

import (
	"fmt"
	"testing"
)

// TestGridPagesByKey: the grid reads each page after the key of the row
// before it (the last row of the page before), a far jump after the
// nearest key it has seen with an offset, and scrolling back after the
// key it kept for that page; the fake backend serves a query by key, so
// a wrong key or index shows the wrong rows.
func TestGridPagesByKey(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	var rows []Row
	for i := 1000; i > 0; i-- {
		rows = append(rows, Row{ID: i * 3, Name: fmt.Sprintf("Customer %d", i), Status: "Complete", Currency: "GBP", OpenCartTotal: "10.00"})
	}
	be.rows[ListOrders] = rows
	w := openWindow(t, be, TabOrders)
	l := w.u.lists[1]
	w.waitFor("the first page", func() bool { return l.count.Text == "1,000 orders" })
	shows := func(i int) bool {
		r, ok := l.rowAt(i)
		return ok && r.ID == rows[i].ID
	}
	lastQuery := func() ListQuery {
		be.mu.Lock()
		defer be.mu.Unlock()
		return be.queries[len(be.queries)-1]
	}
	var fromNext, fromFar, fromBack ListQuery
	Sync(func() { shows(150) })
	w.waitFor("the second page", func() bool { return shows(150) && shows(199) })
	fromNext = lastQuery()
	Sync(func() { shows(750) })
	w.waitFor("a far page", func() bool { return shows(750) && shows(799) })
	fromFar = lastQuery()
	Sync(func() {
		delete(l.pages, 1) // dropped, as a page far from the one shown is
		shows(120)
	})
	w.waitFor("the second page again", func() bool { return shows(120) && shows(100) })
	fromBack = lastQuery()
	for _, c := range []struct {
		name        string
		q           ListQuery
		index, key  int
		offsetAfter int
	}{
		{"next page", fromNext, 100, rows[99].ID, 0},
		{"far jump", fromFar, 200, rows[199].ID, 500},
		{"back", fromBack, 100, rows[99].ID, 0},
	} {
		if c.q.From == nil || c.q.From.Index != c.index || c.q.From.Key.ID != c.key || c.q.Offset-c.q.From.Index != c.offsetAfter {
			t.Errorf("%s: query %+v, want after the key of row %d (id %d), %d rows on", c.name, c.q, c.index-1, c.key, c.offsetAfter)
		}
	}
}
