package export

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// Propose fills the choices still empty in s from the connected Xero
// organisation and the shop: the sales account for products, shipping,
// discounts and store credit (a shipping or freight income account when
// there is one), an "other revenue" account for fees, Xero's system
// rounding account, the first bank account for payments, the no-tax type,
// and a tax type per OpenCart rate (ProposeTaxMapping). Choices already
// made are kept. The notes say what was chosen and what is left to choose.
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
	s, notes := ProposeFrom(accounts, taxRates, shopRates, s)
	return s, notes, nil
}

// ProposeFrom is Propose with the organisation's accounts and tax rates and
// the shop's tax rates already read.
func ProposeFrom(accounts []xero.Account, taxRates []xero.TaxRate, shopRates []opencart.TaxRate, s Settings) (Settings, []string) {
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
	pick("gift vouchers sold", &acc.VouchersSold, sales)
	pick("store credit and vouchers used", &acc.StoreCredit, sales)
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
		notes = append(notes, "lines without tax: tax type "+s.NoTaxType)
	}
	proposed, problems := mapping.ProposeTaxMapping(shopRates, taxRates, s.NoTaxType)
	for _, m := range proposed {
		if existing := findTaxMap(s.TaxRates, m); existing >= 0 {
			continue
		}
		s.TaxRates = append(s.TaxRates, m)
		if m.TaxType != "" {
			notes = append(notes, fmt.Sprintf("OpenCart tax %q (%s%s): Xero tax type %s", m.Title, m.Rate.String(), map[bool]string{true: " fixed", false: "%"}[m.Fixed()], m.TaxType))
		}
	}
	for _, p := range problems {
		notes = append(notes, p.String())
	}
	return s, notes
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
