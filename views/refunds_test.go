package views

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// storeCreditAccounts is the fake chart with a store credit liability
// that accepts payments.
var storeCreditAccounts = append(slices.Clone(fakeAccounts),
	xero.Account{Code: "815", Name: "Customer Store Credit", Type: "CURRLIAB", Status: "ACTIVE", EnablePaymentsToAccount: true})

// refundsBackend is the fake backend whose shop has the 4.1 return
// actions and one the proposal cannot place, and whose saved settings
// keep a rule for an action the shop no longer has.
func refundsBackend(saved export.Settings) *fakeBackend {
	be := newFakeBackend()
	be.options = saved
	actions := []opencart.ReturnAction{{ID: 1, Name: "Waiting for return"}, {ID: 2, Name: "Credit Issued"},
		{ID: 3, Name: "Replacement Sent"}, {ID: 4, Name: "Refunded"}, {ID: 5, Name: "Sent to the workshop"}}
	be.choices = export.NewChoices("", storeCreditAccounts, fakeTaxRates, nil, be.statuses, actions, nil, saved)
	return be
}

// refundRows are the actions shown and their picks; inside Sync.
func refundRows(s *settingsScreen) map[string]string {
	out := map[string]string{}
	for i, a := range s.refunds.actions {
		out[a] = s.refunds.picks[i].Selected
	}
	return out
}

func TestSettingsRefundsShowEachReturnAction(t *testing.T) {
	t.Parallel()
	saved := export.DefaultSettings()
	// The bookkeeper chose cash for Credit Issued: kept over the name.
	saved.ReturnActions = []mapping.ReturnRule{{Action: "Credit Issued", Treatment: mapping.TreatCash}, {Action: "Refunded", Treatment: mapping.TreatCash}}
	w, s := settingsLoaded(t, refundsBackend(saved))
	Sync(func() {
		if want := []string{"Waiting for return", "Credit Issued", "Replacement Sent", "Refunded", "Sent to the workshop"}; !slices.Equal(s.refunds.actions, want) {
			t.Errorf("actions shown %q, want the shop's %q", s.refunds.actions, want)
		}
		want := map[string]string{"Waiting for return": "No money — replacement", "Credit Issued": "Cash refund", "Replacement Sent": "No money — replacement",
			"Refunded": "Cash refund", "Sent to the workshop": "No money — replacement"}
		if got := refundRows(s); !maps.Equal(got, want) {
			t.Errorf("treatments shown %v, want %v", got, want)
		}
		if got := s.refunds.picks[0].Options; !slices.Equal(got, []string{"Cash refund", "Store credit", "No money — replacement"}) {
			t.Errorf("a dropdown offers %q", got)
		}
		// Only the action the proposal could not place is marked.
		if n := strings.Count(strings.Join(labelsIn(s.refunds.rows), "\n"), unsureMark); n != 1 {
			t.Errorf("%d actions marked unsure, want 1 (Sent to the workshop): %q", n, labelsIn(s.refunds.rows))
		}
		if s.refunds.full.Checked || !w.hasLabel("draft credit note for the whole order") {
			t.Errorf("full refunds ticked %v, or the default is not explained", s.refunds.full.Checked)
		}
	})
	if !strings.Contains(strings.Join(w.labels(), "\n"), `return action "Sent to the workshop": its name does not say`) {
		t.Errorf("the proposal note about the unsure action is not shown: %q", w.labels())
	}
}

// labelsIn are the texts of the visible labels inside o; inside Sync.
func labelsIn(o fyne.CanvasObject) []string {
	var out []string
	for _, obj := range visibleObjects(nil, o) {
		if l, ok := obj.(*widget.Label); ok {
			out = append(out, l.Text)
		}
	}
	return out
}

func TestSettingsRefundsAreSaved(t *testing.T) {
	t.Parallel()
	saved := export.DefaultSettings()
	saved.ReturnActions = append(saved.ReturnActions, mapping.ReturnRule{Action: "Old action", Treatment: mapping.TreatCash})
	be := refundsBackend(saved)
	w, s := settingsLoaded(t, be)
	Sync(func() {
		for i, a := range s.refunds.actions {
			switch a {
			case "Credit Issued":
				s.refunds.picks[i].SetSelected("Cash refund")
			case "Sent to the workshop":
				s.refunds.picks[i].SetSelected("Store credit")
			}
		}
		test.Tap(s.refunds.full)
	})
	w.tap("Save settings")
	w.waitFor("the settings saved", func() bool { return strings.HasPrefix(s.saved.Text, "Saved.") })
	be.locked(func() {
		if len(be.savedOptions) != 1 {
			t.Fatalf("SaveExportSettings called %d times, want once", len(be.savedOptions))
		}
		o := be.savedOptions[0]
		want := map[string]mapping.Treatment{"Credit Issued": mapping.TreatCash, "Refunded": mapping.TreatCash, "Replacement Sent": mapping.TreatNone,
			"Waiting for return": mapping.TreatNone, "Sent to the workshop": mapping.TreatStoreCredit, "Old action": mapping.TreatCash}
		got := map[string]mapping.Treatment{}
		for _, r := range o.ReturnActions {
			if _, dup := got[r.Action]; dup {
				t.Errorf("action %q saved twice", r.Action)
			}
			got[r.Action] = r.Treatment
		}
		if !maps.Equal(got, want) {
			t.Errorf("saved rules %v, want %v", got, want)
		}
		if !o.RefundsAreFull {
			t.Error("RefundsAreFull not saved")
		}
		if err := o.Validate(); err != nil && strings.Contains(err.Error(), "return action") {
			t.Errorf("saved rules do not validate: %v", err)
		}
	})
}

func TestSettingsStoreCreditAccountMustTakePayments(t *testing.T) {
	t.Parallel()
	saved := export.DefaultSettings() // Credit Issued gives store credit
	saved.InvoiceStatus = mapping.StatusAuthorised
	saved.Accounts.StoreCredit = "200"
	be := refundsBackend(saved)
	be.settings["invoice.status"] = mapping.StatusAuthorised
	w, s := settingsLoaded(t, be)
	shown := func() string {
		var text string
		Sync(func() {
			if s.refunds.warning.Visible() {
				text = s.refunds.warning.Text
			}
		})
		return text
	}
	w.waitFor("the store credit warning", func() bool { return s.refunds.warning.Visible() })
	if got := shown(); !strings.Contains(got, "200 (Sales) is the store credit account but does not accept payments") {
		t.Errorf("warning %q", got)
	}
	// An account that accepts payments fits.
	Sync(func() { s.storeCreditAccount().SetSelected("815 — Customer Store Credit") })
	if got := shown(); got != "" {
		t.Errorf("warning %q with an account that accepts payments", got)
	}
	// So does sales when no action gives store credit…
	Sync(func() {
		s.storeCreditAccount().SetSelected("200 — Sales")
		for i, a := range s.refunds.actions {
			if a == "Credit Issued" {
				s.refunds.picks[i].SetSelected("Cash refund")
			}
		}
	})
	if got := shown(); got != "" {
		t.Errorf("warning %q with no store credit given", got)
	}
	// …and when documents are drafts, which get no payments.
	Sync(func() {
		for i, a := range s.refunds.actions {
			if a == "Credit Issued" {
				s.refunds.picks[i].SetSelected("Store credit")
			}
		}
	})
	if shown() == "" {
		t.Error("no warning once store credit is given again")
	}
	Sync(func() { s.invoiceStatus.SetSelected("Draft") })
	if got := shown(); got != "" {
		t.Errorf("warning %q for drafts", got)
	}
}

func TestSettingsRefundsWithoutXero(t *testing.T) {
	t.Parallel()
	saved := export.DefaultSettings()
	saved.RefundsAreFull = true
	be := refundsBackend(saved)
	be.failOn("Choices", errors.New("xero: the organisation could not be reached"))
	w := openWindow(t, be, TabSettings)
	s := w.u.settings
	w.waitFor("the saved rules", func() bool { return len(s.refunds.actions) == 3 })
	Sync(func() {
		want := map[string]string{"Credit Issued": "Store credit", "Refunded": "Cash refund", "Replacement Sent": "No money — replacement"}
		if got := refundRows(s); !maps.Equal(got, want) {
			t.Errorf("treatments shown %v, want the saved %v", got, want)
		}
		if !s.refunds.full.Checked {
			t.Error("the saved RefundsAreFull is not ticked")
		}
	})
}
