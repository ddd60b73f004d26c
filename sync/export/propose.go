package export

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// Propose fills the choices still empty in s from the connected Xero
// organisation and the shop: the sales account for products and
// discounts, and for shipping unless a shipping or freight income account
// is there, a liability for gift vouchers sold (sales, with a
// note, when Xero has none), a store-credit liability that accepts payments
// (proposeStoreCredit), an "other revenue" account for fees, Xero's
// system rounding account, the first bank account for payments, the no-tax
// type, a tax type per OpenCart rate (ProposeTaxMapping) and a treatment
// per return action (ProposeTreatment). Choices already made are kept.
// The notes say what was chosen and what is left to choose.
func Propose(ctx context.Context, store *opencart.Reader, x *xero.Client, s Settings) (Settings, []string, error) {
	accounts, err := x.Accounts(ctx)
	if err != nil {
		return s, nil, err
	}
	taxRates, err := x.TaxRates(ctx)
	if err != nil {
		return s, nil, err
	}
	shopRates, err := store.TaxRates(ctx)
	if err != nil {
		return s, nil, err
	}
	actions, err := store.ReturnActions(ctx)
	if err != nil {
		return s, nil, err
	}
	methods, err := store.PaymentMethods(ctx)
	if err != nil {
		return s, nil, err
	}
	statuses, err := store.OrderStatuses(ctx)
	if err != nil {
		return s, nil, err
	}
	classes, err := store.TaxClasses(ctx)
	if err != nil {
		return s, nil, err
	}
	org, err := x.Organisation(ctx)
	if err != nil {
		return s, nil, err
	}
	p := ProposeFrom(org.CountryCode, accounts, taxRates, shopRates, actions, s)
	shopMethods := make([]opencart.Method, len(methods))
	for i, m := range methods {
		shopMethods[i] = m.Method
	}
	p.Notes = append(p.Notes, ProposePaymentMethods(shopMethods, statuses, accounts, &p.Settings)...)
	p.Notes = append(p.Notes, proposeExemptClasses(classes, &p.Settings.TaxClasses)...)
	return p.Settings, p.Notes, nil
}

// Proposal is what ProposeFrom proposes.
type Proposal struct {
	// Settings are the saved choices with the empty ones filled.
	Settings Settings
	// Notes say what was proposed and what is left to choose.
	Notes []string
	// UnsureReturnActions are the return actions whose names did not say
	// what they do with money: proposed as no money, to be checked.
	UnsureReturnActions []string
}

// ProposeFrom is Propose with the organisation's country (its CountryCode,
// which decides the region of the VAT classes' tax types; "" guesses it
// from the tax rates), accounts and tax rates and the shop's tax rates and
// return actions already read.
func ProposeFrom(countryCode string, accounts []xero.Account, taxRates []xero.TaxRate, shopRates []opencart.TaxRate,
	actions []opencart.ReturnAction, s Settings) Proposal {
	var notes []string
	pick := func(what string, current *string, code string) {
		if *current != "" {
			return
		}
		*current = code
		if code == "" {
			notes = append(notes, "choose an account for "+what+": none fits")
			return
		}
		notes = append(notes, fmt.Sprintf("%s: account %s", what, code))
	}
	active := make([]xero.Account, 0, len(accounts))
	for _, a := range accounts {
		if strings.EqualFold(a.Status, xero.StatusActive) {
			active = append(active, a)
		}
	}
	sort.SliceStable(active, func(i, j int) bool { return active[i].Code < active[j].Code })
	find := func(ok func(xero.Account) bool) string {
		for _, a := range active {
			if a.Code != "" && ok(a) {
				return a.Code
			}
		}
		return ""
	}
	typed := func(types ...string) func(xero.Account) bool {
		return func(a xero.Account) bool {
			for _, t := range types {
				if strings.EqualFold(a.Type, t) {
					return true
				}
			}
			return false
		}
	}
	named := func(words ...string) func(xero.Account) bool {
		return func(a xero.Account) bool {
			if !typed("REVENUE", "SALES", "OTHERINCOME")(a) {
				return false
			}
			for _, w := range words {
				if strings.Contains(strings.ToLower(a.Name), w) {
					return true
				}
			}
			return false
		}
	}
	sales := find(func(a xero.Account) bool {
		return typed("SALES", "REVENUE")(a) && strings.Contains(strings.ToLower(a.Name), "sales")
	})
	if sales == "" {
		sales = find(typed("SALES", "REVENUE"))
	}
	other := find(typed("OTHERINCOME"))
	if other == "" {
		other = find(named("other"))
	}
	if other == "" {
		other = sales
	}
	shipping := find(named("shipping", "freight", "delivery", "postage"))
	if shipping == "" {
		shipping = sales
	}
	acc := &s.Accounts
	pick("products", &acc.Sales, sales)
	pick("shipping", &acc.Shipping, shipping)
	pick("discounts (coupons, rewards)", &acc.Discounts, sales)
	if acc.VouchersSold == "" {
		code := ""
		for _, w := range vouchersSoldWords { // a voucher account before a store credit one
			if code == "" {
				code = find(func(a xero.Account) bool {
					return a.SystemAccount == "" && isLiability(a) && strings.Contains(strings.ToLower(a.Name), w)
				})
			}
		}
		if code == "" && sales != "" {
			code = sales
			notes = append(notes, "gift vouchers sold go to sales, as Xero lacks a liability account for them; add one (e.g. \"Gift vouchers\", a current liability) and choose it, as a voucher is owed until it is spent")
		}
		pick("gift vouchers sold", &acc.VouchersSold, code)
	}
	returnNotes, unsure := proposeReturnActions(actions, &s.Options)
	if acc.StoreCredit == "" {
		code, note := proposeStoreCredit(active, s.Options)
		if code == "" {
			code = sales
		}
		pick("store credit and vouchers used", &acc.StoreCredit, code)
		if note != "" {
			notes = append(notes, note)
		}
	}
	pick("fees", &acc.Fees, other)
	pick("rounding", &acc.Rounding, find(func(a xero.Account) bool { return strings.EqualFold(a.SystemAccount, "ROUNDING") }))
	pick("payments received", &s.DefaultPaymentAccount, find(typed("BANK")))

	if s.NoTaxType == "" || !hasTaxType(taxRates, s.NoTaxType) {
		s.NoTaxType = ""
		for _, t := range taxRates {
			if strings.EqualFold(t.Status, xero.StatusActive) && t.CanApplyToRevenue && t.EffectiveRate.Decimal().IsZero() &&
				(t.TaxType == "NONE" || t.TaxType == "BASEXCLUDED" || s.NoTaxType == "") {
				s.NoTaxType = t.TaxType
			}
		}
		notes = append(notes, "lines without tax: "+TaxTypeLabel(s.NoTaxType, taxRates))
	}
	notes = append(notes, proposeVATClasses(RegionOf(countryCode, taxRates), taxRates, &s.TaxClasses)...)
	proposed, problems := mapping.ProposeTaxMapping(shopRates, taxRates, s.NoTaxType)
	for _, m := range proposed {
		if existing := findTaxMap(s.TaxRates, m); existing >= 0 {
			continue
		}
		s.TaxRates = append(s.TaxRates, m)
		if m.TaxType != "" {
			notes = append(notes, fmt.Sprintf("OpenCart tax %q (%s%s): Xero's %s", m.Title, m.Rate.String(), map[bool]string{true: " fixed", false: "%"}[m.Fixed()], TaxTypeLabel(m.TaxType, taxRates)))
		}
	}
	for _, p := range problems {
		notes = append(notes, p.String())
	}
	notes = append(notes, returnNotes...)
	return Proposal{Settings: s, Notes: notes, UnsureReturnActions: unsure}
}

func hasTaxType(rates []xero.TaxRate, t string) bool {
	for _, r := range rates {
		if strings.EqualFold(r.TaxType, t) && strings.EqualFold(r.Status, xero.StatusActive) {
			return true
		}
	}
	return false
}

func findTaxMap(list []mapping.TaxMap, m mapping.TaxMap) int {
	for i, x := range list {
		if sameShopRate(x, m) {
			return i
		}
	}
	return -1
}

// treatmentWords are the words of a return action's name that say what it
// does with money, compared without case.
var treatmentWords = []struct {
	treatment mapping.Treatment
	words     []string
}{
	{mapping.TreatStoreCredit, []string{"credit", "voucher"}},
	{mapping.TreatCash, []string{"refund", "money back", "cash"}},
	{mapping.TreatNone, []string{"replace", "repair", "exchange", "waiting", "awaiting"}},
}

// ProposeTreatment is the treatment a return action's name says ("Credit
// Issued": store credit, "Refunded": cash, "Replacement Sent": none), and
// false when the name says none or more than one: the action is then
// proposed as giving no money, for the bookkeeper to check.
func ProposeTreatment(action string) (mapping.Treatment, bool) {
	name := strings.ToLower(action)
	var found []mapping.Treatment
	for _, tw := range treatmentWords {
		if slices.ContainsFunc(tw.words, func(w string) bool { return strings.Contains(name, w) }) {
			found = append(found, tw.treatment)
		}
	}
	if len(found) != 1 {
		return mapping.TreatNone, false
	}
	return found[0], true
}

// TreatmentLabel is a treatment in the bookkeeper's words, as the settings
// and the command line show it.
func TreatmentLabel(t mapping.Treatment) string {
	switch t {
	case mapping.TreatCash:
		return "Cash refund"
	case mapping.TreatStoreCredit:
		return "Store credit"
	case mapping.TreatNone:
		return "No money — replacement"
	}
	return string(t)
}

// proposeReturnActions adds a rule for each of the shop's return actions
// that has none yet, from its name (ProposeTreatment); rules already
// chosen are kept. It returns the notes and the actions it was unsure of.
func proposeReturnActions(actions []opencart.ReturnAction, o *mapping.Options) (notes, unsure []string) {
	has := func(name string) bool {
		return slices.ContainsFunc(o.ReturnActions, func(r mapping.ReturnRule) bool {
			return strings.EqualFold(strings.TrimSpace(r.Action), name)
		})
	}
	for _, a := range actions {
		name := strings.TrimSpace(a.Name)
		if name == "" || has(name) {
			continue
		}
		t, sure := ProposeTreatment(name)
		o.ReturnActions = append(o.ReturnActions, mapping.ReturnRule{Action: name, Treatment: t})
		if !sure {
			unsure = append(unsure, name)
			notes = append(notes, fmt.Sprintf("return action %q: its name does not say what it does with money, so it is proposed as %s; check it under Refunds and returns", name, strings.ToLower(TreatmentLabel(t))))
			continue
		}
		notes = append(notes, fmt.Sprintf("return action %q: %s", name, strings.ToLower(TreatmentLabel(t))))
	}
	return notes, unsure
}

// storeCreditWords are words of a liability account's name that say it
// holds what customers may still spend.
var storeCreditWords = []string{"store credit", "customer credit", "voucher", "gift", "deposit", "in advance"}

// vouchersSoldWords are words of a liability account's name that say it
// holds gift vouchers sold and not yet spent, the surest first.
var vouchersSoldWords = []string{"voucher", "gift", "store credit", "customer credit", "deferred", "unearned", "in advance"}

// proposeStoreCredit is the store-credit account to propose: a liability
// named for store credit (or vouchers, deposits, income in advance) that
// accepts payments, else one that does not yet (with a note saying to
// allow them), else none (with a note when a return action gives store
// credit).
func proposeStoreCredit(active []xero.Account, o mapping.Options) (string, string) {
	var named *xero.Account
	for i, a := range active {
		if a.Code == "" || a.SystemAccount != "" || !isLiability(a) ||
			!slices.ContainsFunc(storeCreditWords, func(w string) bool { return strings.Contains(strings.ToLower(a.Name), w) }) {
			continue
		}
		if a.EnablePaymentsToAccount {
			return a.Code, ""
		}
		if named == nil {
			named = &active[i]
		}
	}
	if named != nil {
		return named.Code, fmt.Sprintf("store credit: account %s (%s) does not accept payments yet; in Xero, edit it and tick \"Enable payments to this account\", which store credit needs", named.Code, named.Name)
	}
	if !usesStoreCredit(o) {
		return "", ""
	}
	return "", "store credit: no liability account for it in Xero; add one (e.g. \"Customer Store Credit\", a current liability, with \"Enable payments to this account\" ticked) and choose it, or treat the return actions as cash refunds"
}

// isLiability reports whether an account is a liability.
func isLiability(a xero.Account) bool {
	switch strings.ToUpper(a.Type) {
	case "CURRLIAB", "LIABILITY", "TERMLIAB":
		return true
	}
	return strings.EqualFold(a.Class, "LIABILITY")
}
