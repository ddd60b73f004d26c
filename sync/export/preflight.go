package export

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// preflight reads what the run needs from both sides and checks the
// bookkeeper's choices against Xero before anything is sent: every
// account and tax type chosen must exist and be active there. Xero's side
// (the reference) is an earlier run's when it is recent and fits the
// choices; otherwise it is read again.
func (r *run) preflight() error {
	r.startStage(StagePreflight, 0)
	r.opt = r.e.cfg.Settings.Options
	shop, err := r.store().Settings(r.ctx)
	if err != nil {
		return r.fatal(err)
	}
	if r.statuses, err = r.store().OrderStatuses(r.ctx); err != nil {
		return r.fatal(err)
	}
	r.books = mapping.Books{ShopCurrency: shop.BaseCurrency, XeroCurrency: shop.BaseCurrency}
	if r.req.DryRun {
		return r.cancelled()
	}
	if err := r.e.cfg.Settings.Validate(); err != nil {
		return r.fatal(fmt.Errorf("the export settings are incomplete:\n%w", err))
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
			return r.fatal(err)
		}
		// The kept copy may predate an account or tax rate chosen since.
		if ref, err = r.readReference(); err != nil {
			return r.fatal(err)
		}
		kept = false
		if err := checkChoices(r.opt, ref.Accounts, ref.TaxRates); err != nil {
			return r.fatal(err)
		}
	}
	r.refKept = kept
	r.state().refDigest = ref.digest()
	r.currencies = ref.enabledCurrencies()
	org := ref.Organisation
	r.books.XeroCurrency = org.BaseCurrency
	if shop.BaseCurrency != "" && org.BaseCurrency != "" && !strings.EqualFold(shop.BaseCurrency, org.BaseCurrency) {
		// Each invoice is in its order's currency, so totals still match;
		// exchange rates are then Xero's own (mapping reports it per record).
		r.report(StagePreflight, 0, 0, &Outcome{Kind: "run", State: "warning",
			Message: fmt.Sprintf("the shop keeps its books in %s and Xero in %s: invoices keep the order currency, exchange rates come from Xero", shop.BaseCurrency, org.BaseCurrency)})
	}
	return r.cancelled()
}

// checkChoices names every chosen account or tax type Xero does not have.
func checkChoices(opt mapping.Options, accounts []xero.Account, taxRates []xero.TaxRate) error {
	active := map[string]xero.Account{}
	for _, a := range accounts {
		if strings.EqualFold(a.Status, xero.StatusActive) || a.Status == "" {
			active[strings.ToUpper(a.Code)] = a
		}
	}
	types := map[string]bool{}
	for _, t := range taxRates {
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
		account("payments", opt.DefaultPaymentAccount, true)
		for method, code := range opt.PaymentAccounts {
			account("payments by "+method, code, true)
		}
	}
	if err := CheckStoreCredit(opt, accounts); err != nil {
		errs = append(errs, err.Error())
	}
	taxType := func(what, t string) {
		if t != "" && !types[strings.ToUpper(t)] {
			errs = append(errs, fmt.Sprintf("tax type %s (%s) is not an active tax rate in Xero", t, what))
		}
	}
	taxType("lines without tax", opt.NoTaxType)
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
