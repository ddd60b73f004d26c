package mapping

// Phase 1 of buildPlan: checking the order. In: the order as OpenCart
// stores it. Out: problems only (no lines) — an order never completed, no
// exchange rate, unusual decimals, a negative total, total rows that do not
// add up.

import "github.com/shopspring/decimal"

// checkOrder reports what makes an order unfit to send, or suspicious.
func (p *plan) checkOrder() {
	o := p.order
	if o.StatusID == 0 {
		p.ps.errorf("order status", "order %d was never completed (a \"missing order\")", o.ID)
	}
	if !o.CurrencyValue.IsPositive() {
		p.ps.errorf("currency value", "order %d has no valid exchange rate (%s); amounts are taken as they are", o.ID, o.CurrencyValue.String())
	}
	if o.CurrencyDecimalPlaces > xeroDP {
		p.ps.warnf("currency", "%s is shown with %d decimals in OpenCart, but Xero keeps 2; amounts are rounded to 2", o.CurrencyCode, o.CurrencyDecimalPlaces)
	} else if o.CurrencyDecimalPlaces < 0 {
		p.ps.warnf("currency", "%s has an invalid number of decimals (%d); 2 are used", o.CurrencyCode, o.CurrencyDecimalPlaces)
	}
	if o.Total.IsNegative() {
		p.ps.errorf("total", "order %d has a negative total (%s); Xero cannot hold a negative invoice — it would be a credit note", o.ID, o.Total.String())
	}
	rows := decimal.Zero
	n := 0
	for _, t := range o.Totals {
		if t.Code != "total" {
			rows = rows.Add(t.Value)
			n++
		}
	}
	if n > 0 && rows.Sub(o.Total).Abs().GreaterThan(decimal.New(5, -5).Mul(decimal.NewFromInt(int64(n+1)))) {
		p.ps.warnf("totals", "the order's total rows add up to %s but the order total is %s; the order may have been edited or an extension misbehaved", rows.StringFixed(4), o.Total.StringFixed(4))
	}
}
