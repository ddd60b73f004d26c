package views

import (
	"slices"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
)

// TestSettingsOneChoicePerStatus: each order status is one row with one
// choice; a contradiction in the saved settings is said in words; what is
// saved is the lists the engine reads, without the contradiction.
func TestSettingsOneChoicePerStatus(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	be.options.PaidStatusIDs = append(be.options.PaidStatusIDs, 7) // Canceled: never exported and paid
	w, s := settingsLoaded(t, be)
	w.waitFor("the status rows", func() bool { return len(s.statusChoices.selects) == 3 })
	Sync(func() {
		var got []string
		for i, r := range s.statusChoices.rows {
			got = append(got, r.Name+"="+s.statusChoices.selects[i].Selected)
		}
		if want := []string{"Pending=Export", "Complete=Export as paid", "Canceled=Never export"}; !slices.Equal(got, want) {
			t.Errorf("rows %q, want %q", got, want)
		}
		if !w.hasLabel(`"Canceled" was set as never exported and paid at once`) {
			t.Errorf("the contradiction is not said; labels %q", w.labels())
		}
		s.statusChoices.selects[0].SetSelected(string(export.StatusRefund)) // Pending
	})
	w.tap("Save settings")
	w.waitFor("the settings saved", func() bool { return strings.HasPrefix(s.saved.Text, "Saved.") })
	be.locked(func() {
		o := be.savedOptions[len(be.savedOptions)-1]
		if slices.Contains(o.PaidStatusIDs, 7) || !slices.Contains(o.SkipStatusIDs, 7) {
			t.Errorf("Canceled saved as paid %v / never %v, want never only", o.PaidStatusIDs, o.SkipStatusIDs)
		}
		if !slices.Contains(o.RefundStatusIDs, 1) || slices.Contains(o.PaidStatusIDs, 1) {
			t.Errorf("Pending saved as refunded %v, want it there", o.RefundStatusIDs)
		}
	})
}
