package views

import (
	"errors"
	"testing"

	"image/color"

	"github.com/opencart-xero/opencart-xero/sync/export"
)

// TestOpenSettingsAtTheField: an export stopped by the settings offers
// "Open settings", which opens Settings at the field the error names:
// scrolled to it, focused, marked, and unmarked after a few seconds.
func TestOpenSettingsAtTheField(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	w, s := settingsLoaded(t, be)
	w.tap("Save settings") // the proposals, so that leaving asks nothing
	w.waitFor("the settings saved", func() bool { return !s.sections.unsaved.Visible() && s.saved.Text != "" && s.saved.Text != "Saving…" })
	Sync(func() { w.u.tabs.SelectIndex(tabIndex(TabOrders)) })
	stopped := errors.Join(export.ErrSettings, errors.New("the export settings are incomplete:\nno account chosen for rounding"))
	Sync(func() { w.u.showProblem("Export everything new", stopped) })
	w.waitFor("the remedy", func() bool { return w.hasLabel("no account chosen for rounding") })
	w.tap("Open settings")
	rounding := s.accounts[len(accountFields)-1] // Rounding is the last account
	w.waitFor("Settings at the rounding account", func() bool {
		return w.u.tabs.Selected().Text == "Settings" && s.highlighted == export.FieldRounding
	})
	Sync(func() {
		if accountFields[len(accountFields)-1].use != export.UseRounding {
			t.Fatal("the last account dropdown is not rounding")
		}
		if got := w.w.Canvas().Focused(); got != rounding {
			t.Errorf("focused %T, want the rounding dropdown", got)
		}
		if s.scroll.Offset.Y <= 0 {
			t.Errorf("page not scrolled (offset %v)", s.scroll.Offset)
		}
		if m := s.marks[export.FieldRounding]; m.bg.FillColor == color.Transparent {
			t.Error("the field is not marked")
		}
	})
	w.waitFor("the mark gone after a few seconds", func() bool {
		return s.highlighted == "" && s.marks[export.FieldRounding].bg.FillColor == color.Transparent
	})
}
