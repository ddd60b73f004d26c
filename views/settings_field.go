package views

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/opencart-xero/opencart-xero/sync/export"
)

// useField is the settings field of each account dropdown.
var useField = map[export.AccountUse]export.Field{
	export.UseSales: export.FieldSales, export.UseShipping: export.FieldShipping, export.UseDiscounts: export.FieldDiscounts,
	export.UseVouchersSold: export.FieldVouchersSold, export.UseStoreCredit: export.FieldStoreCredit, export.UseFees: export.FieldFees,
	export.UseRounding: export.FieldRounding,
}

// highlightFor is how long a field opened from an error stays marked.
const highlightFor = 3 * time.Second

// fieldMark is a settings field that an error can point at: the field,
// a background that marks it, and the section it is in.
type fieldMark struct {
	obj     fyne.CanvasObject
	bg      *canvas.Rectangle
	section string
}

// mark wraps a field so that openAt can scroll to it and mark it.
func (s *settingsScreen) mark(f export.Field, section string, obj fyne.CanvasObject) fyne.CanvasObject {
	if s.marks == nil {
		s.marks = map[export.Field]*fieldMark{}
	}
	bg := canvas.NewRectangle(color.Transparent)
	bg.CornerRadius = theme.InputRadiusSize()
	s.marks[f] = &fieldMark{obj: obj, bg: bg, section: section}
	return container.NewStack(bg, container.NewPadded(obj))
}

// openAt shows the field f: its section opened, the page scrolled to it,
// the field focused (a dropdown or an entry) and marked for highlightFor.
func (s *settingsScreen) openAt(f export.Field) {
	m := s.marks[f]
	if m == nil || s.scroll == nil {
		return
	}
	if s.sections != nil {
		for i, name := range sectionNames {
			if name == m.section {
				s.sections.acc.Open(i)
			}
		}
	}
	s.scroll.Refresh()
	d := fyne.CurrentApp().Driver()
	y := d.AbsolutePositionForObject(m.bg).Y - d.AbsolutePositionForObject(s.scroll.Content).Y - theme.Padding()*4
	if y < 0 {
		y = 0
	}
	s.scroll.Offset = fyne.NewPos(0, y)
	s.scroll.Refresh()
	if fo, ok := m.obj.(fyne.Focusable); ok && s.u.win != nil {
		s.u.win.Canvas().Focus(fo)
	}
	if s.highlighted != "" && s.marks[s.highlighted] != nil {
		s.unmark(s.highlighted)
	}
	c := theme.Color(theme.ColorNameWarning)
	r, g, b, _ := c.RGBA()
	m.bg.FillColor = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x60}
	m.bg.Refresh()
	s.highlighted = f
	time.AfterFunc(highlightFor, func() {
		do(func() {
			if s.highlighted == f {
				s.unmark(f)
			}
		})
	})
}

// unmark takes the mark off a field.
func (s *settingsScreen) unmark(f export.Field) {
	m := s.marks[f]
	m.bg.FillColor = color.Transparent
	m.bg.Refresh()
	if s.highlighted == f {
		s.highlighted = ""
	}
}
