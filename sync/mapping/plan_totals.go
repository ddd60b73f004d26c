package mapping

// Phases 4 and 5 of buildPlan: the lines that are not products. In: the
// gift vouchers bought, the order total rows and the fixed-amount tax rows.
// Out: one line per voucher, per total row other than sub-total, tax and
// total (shipping, fees, discounts, credit), and per fixed-amount tax row;
// none carries a rate yet.

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

func (p *plan) addVouchers() {
	for _, v := range p.order.Vouchers {
		amount := p.money.line(v.Amount)
		desc := strings.TrimSpace(v.Description)
		if desc == "" {
			desc = "Gift voucher " + v.Code
		}
		p.lines = append(p.lines, planLine{kind: kindVoucherSold, desc: Clean("Gift voucher: "+desc, DescriptionField),
			account: p.opt.Accounts.VouchersSold, qty: decimal.NewFromInt(1), unit: amount, amount: amount, base: v.Amount, product: -1})
	}
}

// addTotals adds a line for every order total row except sub-total, tax
// and total, and one line per fixed-amount tax row.
func (p *plan) addTotals() {
	for _, t := range p.order.Totals {
		if notLines[t.Code] {
			continue
		}
		rule, known := p.opt.totalRule(t.Code, t.Value)
		if !known {
			p.ps.warnf(fmt.Sprintf("order total %q", t.Code), "%q (%s) is not an OpenCart total this exporter knows; it is booked to the fees account as a %s", t.Title, t.Value.StringFixed(4), rule.Kind)
		}
		kind := map[TotalKind]lineKind{KindCharge: kindCharge, KindDiscount: kindDiscount, KindAfterTax: kindAfterTax}[rule.Kind]
		amount := p.money.line(t.Value)
		title := cleanOptional(t.Title, ExtensionTitleField) // shipping and fee titles come from extensions
		if title == "" {
			title = t.Code
		}
		p.lines = append(p.lines, planLine{kind: kind, code: t.Code, desc: Clean(title, DescriptionField), account: rule.Account,
			qty: decimal.NewFromInt(1), unit: amount, amount: amount, base: t.Value, product: -1})
	}
	for _, r := range p.rates {
		if !r.present || !r.m.Fixed() {
			continue
		}
		account := r.m.Account
		if account == "" {
			account = p.opt.Accounts.FixedTax
		}
		if account == "" {
			account = p.opt.Accounts.Fees
		}
		amount := p.money.line(r.value)
		p.lines = append(p.lines, planLine{kind: kindFixedTax, desc: Clean(r.m.Title, DescriptionField), account: account,
			qty: decimal.NewFromInt(1), unit: amount, amount: amount, base: r.value, product: -1})
	}
}
