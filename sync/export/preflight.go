package export

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// preflight reads what the run needs from both sides and checks the
// bookkeeper's choices against Xero before anything is sent: every
// account and tax type chosen must exist and be active there. Xero's side
// (the reference) is an earlier run's when it is recent and fits the
// choices; otherwise it is read again.
func (r *run) preflight() error {
	r.startStage(StagePreflight, 0)
	r.opt = r.e.cfg.Settings.MappingOptions()
	shop, err := r.store().Settings(r.ctx)
	if err != nil {
		return r.fatal(err)
	}
	if r.statuses, err = r.store().OrderStatuses(r.ctx); err != nil {
		return r.fatal(err)
	}
	currencies, err := r.store().Currencies(r.ctx)
	if err != nil {
		return r.fatal(err)
	}
	r.opt.StatusNames = StatusNames(r.statuses)
	r.books = mapping.ShopBooks(shop, currencies)
	r.store().SetTaxNumberFields(r.opt.TaxNumberFields)
	// The shop's tax geography tells exports and EU business sales apart
	// (mapping's VAT classes). It is read while the orders' statuses are
	// counted: one round trip for both.
	var places opencart.TaxPlaces
	var placesErr error
	placesRead := make(chan struct{})
	go func() {
		defer close(placesRead)
		places, placesErr = r.store().TaxPlaces(r.ctx)
	}()
	err = r.reportUnknownStatuses()
	<-placesRead
	if err != nil {
		return err
	}
	if placesErr != nil {
		return r.fatal(placesErr)
	}
	r.opt.Places = &places
	if r.req.DryRun {
		return r.dryPreflight(shop.BaseCurrency) // dryrun.go
	}
	if err := r.namedSettings().Validate(); err != nil {
		return r.fatal(settingsError{fmt.Errorf("the export settings are incomplete:\n%w", err)})
	}
	ref, kept := r.keptReference()
	if !kept {
		var err error
		if ref, err = r.readReference(); err != nil {
			return r.fatal(err)
		}
	}
	if err := checkChoices(r.opt, ref.Accounts, ref.TaxRates); err != nil {
		if !kept {
			return r.fatal(settingsError{err})
		}
		// The kept copy may predate an account or tax rate chosen since.
		if ref, err = r.readReference(); err != nil {
			return r.fatal(err)
		}
		kept = false
		if err := checkChoices(r.opt, ref.Accounts, ref.TaxRates); err != nil {
			return r.fatal(settingsError{err})
		}
	}
	r.refKept = kept
	r.state().refDigest = ref.digest()
	r.useReference(ref, shop.BaseCurrency)
	return r.cancelled()
}

// namedSettings are the run's settings with the shop's order status names,
// so that what Validate says names statuses as the shop does.
func (r *run) namedSettings() Settings {
	s := r.e.cfg.Settings
	s.StatusNames = StatusNames(r.statuses)
	return s
}

// useReference takes from Xero's side what the records are checked
// against: currencies, base currency, accounts and lock dates. A real run
// and a dry run (with an earlier run's reference) use it alike.
func (r *run) useReference(ref *reference, shopCurrency string) {
	r.currencies = ref.enabledCurrencies()
	r.accounts = activeAccounts(ref.Accounts)
	org := ref.Organisation
	r.lock = lockOf(org)
	r.books.XeroCurrency = org.BaseCurrency
	if shopCurrency != "" && org.BaseCurrency != "" && !strings.EqualFold(shopCurrency, org.BaseCurrency) {
		// Each invoice is in its order's currency, so totals still match;
		// exchange rates are then Xero's own (mapping reports it per record).
		r.report(StagePreflight, 0, 0, &Outcome{Kind: "run", State: "warning",
			Message: fmt.Sprintf("the shop keeps its books in %s and Xero in %s: invoices keep the order currency, exchange rates come from Xero", shopCurrency, org.BaseCurrency)})
	}
	if at, which := r.lock.last(); !at.IsZero() {
		r.report(StagePreflight, 0, 0, &Outcome{Kind: "run", State: "warning",
			Message: fmt.Sprintf("Xero's books are locked up to %s (%s): %s", longDay(at), which, r.lockPolicyWords())})
	}
}

// activeAccounts are the accounts Xero lets documents use, by upper-cased code.
func activeAccounts(accounts []xero.Account) map[string]xero.Account {
	active := map[string]xero.Account{}
	for _, a := range accounts {
		if strings.EqualFold(a.Status, xero.StatusActive) || a.Status == "" {
			active[strings.ToUpper(a.Code)] = a
		}
	}
	return active
}

// checkChoices names every chosen account or tax type Xero does not have.
func checkChoices(opt mapping.Options, accounts []xero.Account, taxRates []xero.TaxRate) error {
	active := activeAccounts(accounts)
	types := map[string]bool{}
	named := map[string]string{} // every rate Xero lists, active or not, by code
	for _, t := range taxRates {
		named[strings.ToUpper(t.TaxType)] = TaxRateLabel(t)
		if strings.EqualFold(t.Status, xero.StatusActive) || t.Status == "" {
			types[strings.ToUpper(t.TaxType)] = true
		}
	}
	var errs []string
	account := func(what, code string, bank bool) {
		if code == "" {
			return
		}
		a, ok := active[strings.ToUpper(code)]
		switch {
		case !ok:
			errs = append(errs, fmt.Sprintf("account %s (%s) is not an active account in Xero's chart of accounts", code, what))
		case bank && !strings.EqualFold(a.Type, "BANK") && !a.EnablePaymentsToAccount:
			errs = append(errs, fmt.Sprintf("account %s (%s) cannot take payments: choose a bank account, or allow payments to it in Xero", code, what))
		}
	}
	acc := opt.Accounts
	for _, a := range []struct{ what, code string }{
		{"sales", acc.Sales}, {"shipping", acc.Shipping}, {"discounts", acc.Discounts}, {"gift vouchers sold", acc.VouchersSold},
		{"store credit", acc.StoreCredit}, {"fees", acc.Fees}, {"fixed taxes", acc.FixedTax}, {"rounding", acc.Rounding},
	} {
		account(a.what, a.code, false)
	}
	for code, rule := range opt.Totals {
		account("order total "+code, rule.Account, false)
	}
	for _, m := range opt.TaxRates {
		account("tax "+m.Title, m.Account, false)
	}
	if opt.InvoiceStatus == mapping.StatusAuthorised {
		// A payment method's own account is checked on its payments
		// (methodAccountProblem): one method's account missing from Xero
		// stops that method's payments, not the whole export.
		account("payments", opt.DefaultPaymentAccount, true)
	}
	if err := CheckStoreCredit(opt, accounts); err != nil {
		errs = append(errs, err.Error())
	}
	taxType := func(what, t string) {
		if t != "" && !types[strings.ToUpper(t)] {
			if n := named[strings.ToUpper(t)]; n != "" && n != t {
				errs = append(errs, fmt.Sprintf("tax rate %q (%s) is no longer active in Xero", n, what))
				return
			}
			errs = append(errs, fmt.Sprintf("tax type %s (%s) is not a tax rate in Xero", t, what))
		}
	}
	taxType("lines without tax", opt.NoTaxType)
	for _, v := range mapping.VATClasses {
		taxType("untaxed sales: "+strings.ReplaceAll(string(v), "_", " "), opt.TaxClasses.TypeOf(v))
	}
	for _, m := range opt.TaxRates {
		taxType("OpenCart rate "+m.Title, m.TaxType)
	}
	for _, c := range opt.TaxCombinations {
		taxType("combination "+strings.Join(c.Titles, " + "), c.TaxType)
	}
	if len(errs) == 0 {
		return nil
	}
	sort.Strings(errs)
	return errors.New("the export settings do not fit this Xero organisation:\n" + strings.Join(errs, "\n"))
}

// currencyEnabled reports whether Xero takes documents in a currency. A
// currency missing from an earlier run's reference makes the run read the
// reference again, once: it may have been enabled since.
func (r *run) currencyEnabled(code string) bool {
	if r.currencies == nil || r.currencies[strings.ToUpper(code)] {
		return true
	}
	if r.refKept {
		r.refKept = false
		if ref, err := r.readReference(); err == nil {
			r.currencies = ref.enabledCurrencies()
		}
	}
	return r.currencies[strings.ToUpper(code)]
}

// reportUnknownStatuses says, once per run, which order statuses orders
// are in that OpenCart's order_status table does not have: their orders
// are refused one by one with what to do (mapping.UnknownStatusAdvice).
func (r *run) reportUnknownStatuses() error {
	if len(r.req.StatusIDs) > 0 {
		return nil
	}
	unknown, err := r.store().UnknownStatuses(r.ctx)
	if err != nil {
		return r.fatal(err)
	}
	for _, st := range unknown {
		if slices.Contains(r.e.cfg.Settings.SkipStatusIDs, st.ID) || slices.Contains(r.opt.PaidStatusIDs, st.ID) || slices.Contains(r.opt.RefundStatusIDs, st.ID) {
			continue
		}
		r.report(StagePreflight, 0, 0, &Outcome{Kind: "run", State: "warning",
			Message: fmt.Sprintf("%d orders (of any date) are in order status %d: %s", st.Count, st.ID, mapping.UnknownStatusAdvice(st.ID))})
	}
	return nil
}
