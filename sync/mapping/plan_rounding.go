package mapping

// Phase 11 of buildPlan: the rounding line. In: every line with its
// amount and tax, and the order total. Out: a rounding line for what is
// left between the lines and what the customer paid, and an error when it
// is more than rounding.

import "github.com/shopspring/decimal"

// addRounding adds the difference between what the customer paid and
// what Xero will compute as a rounding line, and reports it when it is
// more than rounding.
func (p *plan) addRounding() {
	sum := decimal.Zero
	rows := 1
	products := decimal.Zero
	for _, l := range p.lines {
		sum = sum.Add(l.amount).Add(l.taxAmount())
		rows++
		if l.kind == kindProduct {
			// Unit prices at 4 decimals drift by up to half a unit of the
			// 4th decimal per unit, in both currencies.
			products = products.Add(decimal.Min(l.qty.Mul(decimal.New(5, -5)).Mul(p.money.cv.Add(decimal.NewFromInt(1))), decimal.New(15, -3)))
		}
	}
	for _, r := range p.rates {
		if r.present {
			rows++
		}
	}
	allowed := p.money.step().Mul(decimal.NewFromInt(int64(rows))).Add(products)
	diff := DisplayedTotal(p.order).Sub(sum)
	if diff.IsZero() {
		return
	}
	if diff.Abs().GreaterThan(allowed) {
		p.ps.errorf("total", "the lines and taxes come to %s but the customer paid %s: %s is more than rounding, so the order's rows do not explain its total", sum.String(), DisplayedTotal(p.order).String(), diff.String())
	}
	p.lines = append(p.lines, planLine{kind: kindRounding, desc: "Rounding", account: p.opt.Accounts.Rounding,
		qty: decimal.NewFromInt(1), unit: diff, amount: diff, product: -1, taxType: p.opt.NoTaxType, tax: map[int]decimal.Decimal{}})
}
