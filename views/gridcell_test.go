package views

import (
	"image/color"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// cellWith finds a visible grid cell showing text; inside Sync.
func (w *window) cellWith(text string) *gridCell {
	for _, o := range w.objects() {
		if c, ok := o.(*gridCell); ok && c.Text() == text {
			return c
		}
	}
	return nil
}

// TestGridRowMenuAndWholeRowSelection: a right click on a row chooses the
// whole row (every cell of it highlighted, no other) and opens its menu:
// Preview, Open in Xero, Export again, Copy number; each does what it says.
func TestGridRowMenuAndWholeRowSelection(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	w, l := ordersWindow(t, be)
	w.waitFor("Bob's row", func() bool { return w.cellWith("Bob Smith") != nil })
	Sync(func() {
		overlays := len(w.w.Canvas().Overlays().List())
		test.TapSecondary(w.cellWith("Bob Smith"))
		if len(w.w.Canvas().Overlays().List()) != overlays+1 {
			t.Error("a right click opened no menu")
		}
	})
	w.waitFor("the row chosen", func() bool { return l.current != nil && l.current.ID == 2 })
	Sync(func() {
		lit := func(text string) bool {
			c := w.cellWith(text)
			return c != nil && c.bg.FillColor != color.Transparent
		}
		if !lit("Bob Smith") || !lit("GBP 20.00") {
			t.Error("the chosen row is not highlighted across")
		}
		if lit("Carol Jones") || lit("Ann Lee") {
			t.Error("another row is highlighted")
		}
		r, _ := l.rowAt(1)
		var names []string
		for _, it := range l.rowMenu(r).Items {
			names = append(names, it.Label)
		}
		want := []string{"Preview", "Open in Xero", "Export again", "Copy Xero number OC-2", "Copy order number 2"}
		if !slices.Equal(names, want) {
			t.Errorf("menu %q, want %q", names, want)
		}
		for _, it := range l.rowMenu(r).Items {
			switch it.Label {
			case "Copy Xero number OC-2":
				it.Action()
				if got := w.u.app.Clipboard().Content(); got != "OC-2" {
					t.Errorf("clipboard %q after Copy Xero number", got)
				}
			case "Export again":
				it.Action()
			}
		}
	})
	w.waitFor("order 2 exported again", func() bool {
		var ok bool
		be.locked(func() {
			ok = len(be.exports) > 0 && slices.Equal(be.exports[len(be.exports)-1].IDs, []int{2})
		})
		return ok
	})
}

// TestGridSortsByWhatXeroHolds: the Xero columns (total, match, export
// state, number) sort through the backend like the shop's; a second tap
// reverses.
func TestGridSortsByWhatXeroHolds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ header, sort string }{
		{"Xero total", "xero-total"}, {"Match", "match"}, {"Export state", "export-state"}, {"Xero number", "xero-number"},
	} {
		t.Run(tc.header, func(t *testing.T) {
			be := newFakeBackend()
			w, _ := ordersWindow(t, be)
			last := func() ListQuery {
				var q ListQuery
				be.locked(func() { q = be.queries[len(be.queries)-1] })
				return q
			}
			w.tap(tc.header)
			w.waitFor("sorted up by "+tc.header, func() bool { q := last(); return string(q.Sort) == tc.sort && !q.Desc })
			w.tap(tc.header + " ▲")
			w.waitFor("sorted down by "+tc.header, func() bool { q := last(); return string(q.Sort) == tc.sort && q.Desc })
		})
	}
}

// TestGridColumnsResize: dragging the gap between two column headers
// widens the column (Fyne's table does it; the headers being buttons
// leaves the gap to the table).
func TestGridColumnsResize(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	w, l := ordersWindow(t, be)
	Sync(func() {
		pad := l.table.Theme().Size(theme.SizeNamePadding)
		gap := fyne.NewPos(l.cols[0].width+pad/2, 5) // between ✓ and Order, in the header row
		l.table.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: gap}})
		l.table.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: gap}})
		l.table.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: gap.AddXY(60, 0)}})
		l.table.DragEnd()
	})
	w.waitFor("the ✓ column wider", func() bool {
		c := w.cellWith("☐")
		return c != nil && c.Size().Width >= l.cols[0].width+50
	})
}
