package views

import (
	"fmt"
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/export"
)

// gridCell is one cell of a list: its text over a highlight drawn across
// the whole chosen row (Fyne's table marks one cell only); a secondary tap
// (right click) opens the row's menu. Primary taps go to the table.
type gridCell struct {
	widget.BaseWidget
	label *widget.Label
	bg    *canvas.Rectangle
	// menu opens the row's menu at an absolute position; nil for none.
	menu func(at fyne.Position)
}

func newGridCell() *gridCell {
	c := &gridCell{label: widget.NewLabel(""), bg: canvas.NewRectangle(color.Transparent)}
	c.label.Truncation = fyne.TextTruncateEllipsis
	c.ExtendBaseWidget(c)
	return c
}

// CreateRenderer draws the highlight under the text.
func (c *gridCell) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(c.bg, c.label))
}

// TappedSecondary opens the row's menu.
func (c *gridCell) TappedSecondary(e *fyne.PointEvent) {
	if c.menu != nil {
		c.menu(e.AbsolutePosition)
	}
}

// Text is the cell's text.
func (c *gridCell) Text() string { return c.label.Text }

// highlight draws the cell as part of the chosen row, or not.
func (c *gridCell) highlight(on bool) {
	var want color.Color = color.Transparent
	if on {
		want = theme.Color(theme.ColorNameSelection)
	}
	if c.bg.FillColor != want {
		c.bg.FillColor = want
		c.bg.Refresh()
	}
}

// rowMenu is what a right click on a row offers: Preview, Open in Xero,
// Export again, Copy number.
func (s *listScreen) rowMenu(r Row) *fyne.Menu {
	var items []*fyne.MenuItem
	if s.kind != ListCustomers {
		items = append(items, fyne.NewMenuItem("Preview", func() { s.choose(r); s.showPreview() }))
	}
	if link := s.u.be.XeroLink(r.Export.Kind, r.Export.XeroID); link != "" {
		items = append(items, fyne.NewMenuItem("Open in Xero", func() { s.u.showError("Open in Xero", s.u.be.OpenURL(link)) }))
	}
	again := "Export again"
	if r.Export.State == "" {
		again = "Export now"
	}
	items = append(items, fyne.NewMenuItem(again, func() {
		if !s.u.progress.start(export.Request{Scope: s.scope, IDs: []int{r.ID}, Trigger: "manual"}) {
			s.u.showError("Export", fmt.Errorf("an export is already running; wait for it or cancel it"))
		}
	}))
	if r.Export.XeroNumber != "" {
		n := r.Export.XeroNumber
		items = append(items, fyne.NewMenuItem("Copy Xero number "+n, func() { s.u.app.Clipboard().SetContent(n) }))
	}
	what := "order"
	if s.kind == ListCustomers {
		what = "customer"
	}
	id := strconv.Itoa(r.ID)
	items = append(items, fyne.NewMenuItem("Copy "+what+" number "+id, func() { s.u.app.Clipboard().SetContent(id) }))
	return fyne.NewMenu("", items...)
}

// showRowMenu chooses a row and opens its menu where the click was.
func (s *listScreen) showRowMenu(row int, at fyne.Position) {
	r, ok := s.rowAt(row)
	if !ok {
		return
	}
	s.choose(r)
	widget.ShowPopUpMenuAtPosition(s.rowMenu(r), s.u.win.Canvas(), at)
}
