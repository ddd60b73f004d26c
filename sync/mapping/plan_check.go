package mapping

// Phase 1 of buildPlan: checking the order. In: the order as OpenCart
// stores it. Out: problems only (no lines) — an order never completed, no
// exchange rate, unusual decimals, a negative total, total rows that do not
// add up.

import (
	"fmt"
	"slices"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/shopspring/decimal"
)

// UnknownStatusAdvice says what to do about an order whose status id is
// not in OpenCart's order_status table: the run, the grids and store check
// use the same words.
func UnknownStatusAdvice(statusID int) string {
	return fmt.Sprintf("order status %d is not one of the shop's order statuses (it is missing from OpenCart's order_status table: "+
		"a module's own status, or statuses lost when the shop was moved), so whether such an order is paid, cancelled or refunded "+
		"cannot be told and it is not exported. Add status %d in OpenCart (System › Localisation › Order Statuses), or in Settings "+
		"list %d among the paid, refunded or never-exported statuses; the next export then takes it", statusID, statusID, statusID)
}

// checkOrder reports what makes an order unfit to send, or suspicious.
func (p *plan) checkOrder() {
	o := p.order
	if o.StatusID == 0 {
		p.ps.errorf("order status", "order %d was never completed (a \"missing order\")", o.ID)
	}
	if o.StatusUnknown && !slices.Contains(p.opt.PaidStatusIDs, o.StatusID) && !slices.Contains(p.opt.RefundStatusIDs, o.StatusID) {
		p.ps.errorf("order status", "%s", UnknownStatusAdvice(o.StatusID))
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
	rows, n := otherRows(o.Totals)
	taxRows := slices.ContainsFunc(o.Totals, func(t opencart.OrderTotal) bool { return t.Code == "tax" })
	// Without tax rows the stored product tax decides (phase 3b).
	if n > 0 && taxRows && rows.Sub(o.Total).Abs().GreaterThan(decimal.New(5, -5).Mul(decimal.NewFromInt(int64(n+1)))) {
		p.ps.warnf("totals", "the order's rows other than the total add up to %s but the order total is %s (%s apart)", rows.StringFixed(4), o.Total.StringFixed(4), rows.Sub(o.Total).StringFixed(4))
	}
}
