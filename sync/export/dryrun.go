package export

import (
	"encoding/json"
	"fmt"
)

// A dry run sends nothing and needs no connection, but it checks what a
// real run would check before sending, from the reference (Xero's
// organisation, accounts, tax rates and currencies) the last real run
// kept in the history, however old: chosen accounts and tax types missing
// from Xero, currencies not enabled, Xero's base currency, lock dates, and
// a payment method's account. What it cannot know without Xero it says
// (Summary.NotChecked, and a warning at the start).

// Without an earlier run's reference.
const notConnectedYet = "not connected to Xero yet: accounts, tax types, currencies and lock dates were not checked, and Xero's base currency was taken to be the shop's"

// Never known before sending.
const namesNotChecked = "contact names a Xero contact this shop did not export already has: a real run learns them from Xero's answer and gives the customer another name (names of contacts exported before are checked)"

// dryPreflight is preflight for a dry run.
func (r *run) dryPreflight(shopCurrency string) error {
	ref, ok := r.lastReference()
	if !ok {
		r.notChecked(notConnectedYet)
		r.notChecked(namesNotChecked)
		return r.cancelled()
	}
	// A real run stops here, before sending anything; a dry run says so
	// and goes on, to show every document.
	var stop error
	if err := r.namedSettings().Validate(); err != nil {
		stop = fmt.Errorf("the export settings are incomplete:\n%w", err)
	} else if err := checkChoices(r.opt, ref.Accounts, ref.TaxRates); err != nil {
		stop = err
	}
	if stop != nil {
		r.report(StagePreflight, 0, 0, &Outcome{Kind: "run", State: "failed",
			Message: "a real run would stop here, before sending anything: " + stop.Error()})
	}
	r.useReference(ref, shopCurrency)
	r.report(StagePreflight, 0, 0, &Outcome{Kind: "run", State: "info",
		Message: fmt.Sprintf("checked against %s's accounts, tax rates, currencies and lock dates as the export of %s read them", ref.Organisation.Name, ref.ReadAt.Format("2 January 2006 15:04"))})
	r.notChecked(namesNotChecked)
	return r.cancelled()
}

// lastReference is the reference the last real run kept, whatever its
// age, if it is of the connected organisation (when the engine has a
// client to ask).
func (r *run) lastReference() (*reference, bool) {
	s, err := r.hist().Setting(r.bg, referenceKey)
	if err != nil || s == "" {
		return nil, false
	}
	var ref reference
	if json.Unmarshal([]byte(s), &ref) != nil {
		return nil, false
	}
	if r.x() != nil && ref.Tenant != r.x().Tenant() {
		return nil, false
	}
	return &ref, true
}

// notChecked records and reports something the dry run could not check.
func (r *run) notChecked(what string) {
	r.sum.NotChecked = append(r.sum.NotChecked, what)
	r.report(StagePreflight, 0, 0, &Outcome{Kind: "run", State: "warning", Message: "not checked: " + what})
}
