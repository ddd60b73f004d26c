package views

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
)

// draftWarning sits under "New invoices are": while the choice is not
// Awaiting Payment it says that payments and allocations wait for the
// invoices' approval in Xero, with the button that switches.
type draftWarning struct {
	s        *settingsScreen
	text     *widget.Label
	switcher *widget.Button
	box      *fyne.Container
}

func newDraftWarning(s *settingsScreen) *draftWarning {
	d := &draftWarning{s: s, text: note("")}
	d.text.Importance = widget.WarningImportance
	d.switcher = widget.NewButtonWithIcon(switchToAwaitingPayment, theme.ConfirmIcon(), func() {
		s.invoiceStatus.SetSelected(mapping.StatusLabel(mapping.StatusAuthorised))
		s.saved.SetText("Invoice status changed to Awaiting Payment: press Save settings to keep it.")
	})
	d.box = container.NewVBox(d.text, container.NewHBox(d.switcher))
	d.box.Hide()
	return d
}

// watch updates the warning whenever the status changes, after what
// already watches it.
func (d *draftWarning) watch() {
	before := d.s.invoiceStatus.OnChanged
	d.s.invoiceStatus.OnChanged = func(v string) {
		if before != nil {
			before(v)
		}
		d.update()
	}
	d.update()
}

// update shows or hides the warning for the status chosen.
func (d *draftWarning) update() {
	code := ""
	for _, st := range invoiceStatuses {
		if st.label == d.s.invoiceStatus.Selected {
			code = st.code
		}
	}
	if t := draftWarningText(code); t != "" {
		d.text.SetText(t)
		d.box.Show()
		return
	}
	d.box.Hide()
}

// sinceField is the start-date cut-off: orders placed before it are never
// exported.
func (s *settingsScreen) sinceField() fyne.CanvasObject {
	s.ordersSince = widget.NewEntry()
	s.ordersSince.SetPlaceHolder("YYYY-MM-DD, e.g. 2026-11-01; empty = every order")
	s.sinceErr = errorLabel()
	return container.NewVBox(s.ordersSince,
		note("Orders placed before this day are never exported, nor their payments and credit notes: keeps the shop's history out of Xero."),
		s.sinceErr)
}

// fillSince shows the saved cut-off.
func (s *settingsScreen) fillSince(o export.Settings) {
	if o.OrdersSince.IsZero() {
		s.ordersSince.SetText("")
	} else {
		s.ordersSince.SetText(o.OrdersSince.Format(export.SinceLayout))
	}
	setError(s.sinceErr, nil)
}

// collectSince reads the cut-off as typed into o (save marks a date it
// cannot read at the field: checkSince).
func (s *settingsScreen) collectSince(o *export.Settings) error {
	t, err := export.ParseSince(s.ordersSince.Text)
	if err != nil {
		return err
	}
	o.OrdersSince = t
	return nil
}

// checkSince marks a start date that cannot be read at its field.
func (s *settingsScreen) checkSince() {
	_, err := export.ParseSince(s.ordersSince.Text)
	setError(s.sinceErr, err)
}
