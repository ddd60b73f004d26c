package views

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// refundsFullHelp says what happens when refund statuses are not taken as
// full refunds, the default.
const refundsFullHelp = "Unticked (the default): OpenCart does not record how much was refunded, so an order set to a refund status " +
	"with nothing returned gets a draft credit note for the whole order, and no money is paid back until you check the amount and approve it in Xero."

// unsureMark is shown beside a return action the proposal could not place
// from its name.
const unsureMark = "⚠ check: the name does not say what it does with money"

// refundsSection is the "Refunds and returns" part of the settings: a
// treatment per OpenCart return action, and whether refund statuses are
// always full refunds.
type refundsSection struct {
	rows    *fyne.Container
	actions []string
	picks   []*widget.Select
	full    *widget.Check
	// warning says why the store credit account does not fit (a rule of
	// the engine: export.CheckStoreCredit).
	warning *widget.Label
	// changed is called when a treatment is picked.
	changed func()
}

// card lays the section out.
func (r *refundsSection) card() fyne.CanvasObject {
	r.rows = container.NewVBox(note("Connect the shop to list its return actions."))
	r.full = widget.NewCheck("Refund statuses always mean the whole order was refunded", nil)
	r.warning = errorLabel()
	r.warning.Importance = widget.WarningImportance
	return widget.NewCard("Refunds and returns", "What each OpenCart return action does with the customer's money in Xero.",
		container.NewVBox(r.rows, r.warning, r.full, note(refundsFullHelp)))
}

// treatmentLabels are the treatments as the dropdowns offer them, in the
// order mapping.Treatments lists them.
func treatmentLabels() []string {
	out := make([]string, len(mapping.Treatments))
	for i, t := range mapping.Treatments {
		out[i] = export.TreatmentLabel(t)
	}
	return out
}

// fill shows one dropdown per action with its treatment in o; unsure
// actions are marked for checking.
func (r *refundsSection) fill(actions []string, o mapping.Options, unsure []string) {
	r.full.SetChecked(o.RefundsAreFull)
	r.rows.RemoveAll()
	r.actions, r.picks = nil, nil
	if len(actions) == 0 {
		r.rows.Add(note("Connect the shop to list its return actions."))
		return
	}
	form := widget.NewForm()
	for _, a := range actions {
		sel := widget.NewSelect(treatmentLabels(), nil)
		sel.SetSelected(export.TreatmentLabel(o.ReturnTreatment(opencart.Return{Action: a})))
		sel.OnChanged = func(string) {
			if r.changed != nil {
				r.changed()
			}
		}
		item := fyne.CanvasObject(sel)
		if containsName(unsure, a) {
			mark := widget.NewLabel(unsureMark)
			mark.Importance = widget.WarningImportance
			item = container.NewVBox(sel, mark)
		}
		r.actions, r.picks = append(r.actions, a), append(r.picks, sel)
		form.Append(a, item)
	}
	r.rows.Add(form)
}

// collect puts the picks into o: each shown action's rule is replaced,
// rules of actions not shown are kept.
func (r *refundsSection) collect(o *mapping.Options) {
	o.RefundsAreFull = r.full.Checked
	rules := append([]mapping.ReturnRule(nil), o.ReturnActions...)
	for i, a := range r.actions {
		t := treatmentOf(r.picks[i].Selected)
		found := false
		for j := range rules {
			if strings.EqualFold(strings.TrimSpace(rules[j].Action), a) {
				rules[j].Treatment, found = t, true
			}
		}
		if !found {
			rules = append(rules, mapping.ReturnRule{Action: a, Treatment: t})
		}
	}
	o.ReturnActions = rules
}

// showProblem shows why the store credit account does not fit, or hides
// the warning.
func (r *refundsSection) showProblem(err error) { setError(r.warning, err) }

// treatmentOf is the treatment of a dropdown entry (none when unknown).
func treatmentOf(label string) mapping.Treatment {
	for _, t := range mapping.Treatments {
		if export.TreatmentLabel(t) == label {
			return t
		}
	}
	return mapping.TreatNone
}

// ruleActions are the actions of the rules, in their order.
func ruleActions(rules []mapping.ReturnRule) []string {
	var out []string
	for _, r := range rules {
		if a := strings.TrimSpace(r.Action); a != "" && !containsName(out, a) {
			out = append(out, a)
		}
	}
	return out
}

func containsName(list []string, name string) bool {
	for _, v := range list {
		if strings.EqualFold(strings.TrimSpace(v), strings.TrimSpace(name)) {
			return true
		}
	}
	return false
}

// fillRefunds shows the shop's return actions with the proposed (or
// saved) treatments once the lists are read, the saved rules until then.
func (s *settingsScreen) fillRefunds() {
	actions, o, unsure := ruleActions(s.options.ReturnActions), s.options.Options, []string(nil)
	if s.haveChoices && len(s.choices.ReturnActions) > 0 {
		actions, o, unsure = nil, s.choices.Proposal.Options, s.choices.UnsureReturnActions
		for _, a := range s.choices.ReturnActions {
			if name := strings.TrimSpace(a.Name); name != "" && !containsName(actions, name) {
				actions = append(actions, name)
			}
		}
	}
	s.refunds.fill(actions, o, unsure)
	s.checkStoreCredit()
}

// watchStoreCredit rechecks the store credit account whenever a choice it
// depends on changes: a treatment, the invoice status, the account.
func (s *settingsScreen) watchStoreCredit() {
	s.refunds.changed = s.checkStoreCredit
	s.invoiceStatus.OnChanged = func(string) { s.checkStoreCredit() }
	if sel := s.storeCreditAccount(); sel != nil {
		sel.OnChanged = func(string) { s.checkStoreCredit() }
	}
}

// checkStoreCredit shows whether the store credit account fits the
// treatments picked (export.CheckStoreCredit), once Xero's accounts are read.
func (s *settingsScreen) checkStoreCredit() {
	sel := s.storeCreditAccount()
	if !s.haveChoices || sel == nil || s.refunds.warning == nil {
		return
	}
	o := s.options.Options
	for _, st := range invoiceStatuses {
		if st.label == s.invoiceStatus.Selected {
			o.InvoiceStatus = st.code
		}
	}
	o.Accounts.StoreCredit = codeOf(sel)
	s.refunds.collect(&o)
	s.refunds.showProblem(export.CheckStoreCredit(o, s.choices.Accounts))
}

// storeCreditAccount is the dropdown of the store credit account.
func (s *settingsScreen) storeCreditAccount() *widget.Select {
	var acc mapping.Accounts
	for i, f := range accountFields {
		if f.field(&acc) == &acc.StoreCredit && i < len(s.accounts) {
			return s.accounts[i]
		}
	}
	return nil
}
