package mapping

import (
	"fmt"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// Treatment is what an OpenCart event that gives something back (a return's
// action, a refund-like order status) does with the customer's money in
// Xero. The bookkeeper chooses it per return action in the settings.
type Treatment string

// The treatments of money given back.
const (
	// TreatCash: a credit note, allocated to what is still due on the
	// invoice; what the customer had already paid is paid back out of the
	// bank account the order was paid into (a refund payment).
	TreatCash Treatment = "cash"
	// TreatStoreCredit: a credit note, and no money leaves the bank: it is
	// allocated to what is still due on the invoice, and the rest is paid
	// out to the store-credit account, the liability the customer's later
	// spending of that credit draws on (Accounts.StoreCredit).
	TreatStoreCredit Treatment = "store_credit"
	// TreatNone: nothing changes hands in money (a replacement or a
	// repair): no credit note.
	TreatNone Treatment = "none"
)

// Treatments lists every treatment, in the order the settings offer them.
var Treatments = []Treatment{TreatCash, TreatStoreCredit, TreatNone}

// Valid reports whether t is one of the treatments.
func (t Treatment) Valid() bool {
	return t == TreatCash || t == TreatStoreCredit || t == TreatNone
}

// GivesCredit reports whether the treatment makes a credit note.
func (t Treatment) GivesCredit() bool { return t == TreatCash || t == TreatStoreCredit }

// ReturnRule says what one OpenCart return action (by name, compared
// without case) does with money.
type ReturnRule struct {
	Action    string    `json:"action"`
	Treatment Treatment `json:"treatment"`
}

// ReturnTreatment is the treatment of a return, from its action. Actions
// not in ReturnActions give no money back; a profile saved before
// ReturnActions existed still has CreditReturnActions, whose actions are
// cash refunds.
func (o Options) ReturnTreatment(r opencart.Return) Treatment {
	return o.actionTreatment(r.Action)
}

func (o Options) actionTreatment(action string) Treatment {
	name := strings.TrimSpace(action)
	if len(o.ReturnActions) == 0 {
		if containsFold(o.CreditReturnActions, name) {
			return TreatCash
		}
		return TreatNone
	}
	for _, rule := range o.ReturnActions {
		if strings.EqualFold(strings.TrimSpace(rule.Action), name) {
			return rule.Treatment
		}
	}
	return TreatNone
}

// validateReturnActions names the problems of the return action rules.
func (o Options) validateReturnActions(bad func(format string, args ...any)) {
	seen := map[string]bool{}
	for _, rule := range o.ReturnActions {
		name := strings.ToLower(strings.TrimSpace(rule.Action))
		if name == "" {
			bad("a return action rule has no action name")
		}
		if seen[name] {
			bad("return action %q is listed twice", rule.Action)
		}
		seen[name] = true
		if !rule.Treatment.Valid() {
			bad("return action %q: treatment %q must be one of %s", rule.Action, rule.Treatment, treatmentNames())
		}
	}
}

func treatmentNames() string {
	names := make([]string, len(Treatments))
	for i, t := range Treatments {
		names[i] = fmt.Sprintf("%q", t)
	}
	return strings.Join(names, ", ")
}

// CreditActions names the return actions whose treatment gives credit
// (cash or store credit): the returns that make credit notes.
func (o Options) CreditActions() []string {
	if len(o.ReturnActions) == 0 {
		return o.CreditReturnActions
	}
	var out []string
	for _, rule := range o.ReturnActions {
		if rule.Treatment.GivesCredit() {
			out = append(out, rule.Action)
		}
	}
	return out
}
