package mapping

// Phase 3b of buildPlan: an order without tax rows. In: the product lines
// with their rates (phase 3) and the order's rows and total. Out: when the
// shop's "Taxes" total is off, OpenCart stores each product's tax
// (order_product.tax, per unit) but writes no tax row, and — the Taxes
// total being what adds tax to the running total — charges no tax. So:
//   - the rows without tax come to the total: no tax was charged, and the
//     lines are sent without tax;
//   - the rows with the products' stored tax come to the total (a module
//     added the tax without a row): each rate's row is made from the
//     products' stored tax, and the order exports as if it had them;
//   - neither: the numbers are stated, nothing is guessed.

import (
	"fmt"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/shopspring/decimal"
)

func (p *plan) taxFromProducts() {
	o := p.order
	for _, t := range o.Totals {
		if t.Code == "tax" {
			return
		}
	}
	productTax, units := decimal.Zero, decimal.Zero
	for _, op := range o.Products {
		if op.Quantity > 0 {
			q := decimal.NewFromInt(int64(op.Quantity))
			productTax, units = productTax.Add(op.Tax.Mul(q)), units.Add(q)
		}
	}
	if productTax.IsZero() {
		return
	}
	rows, n := otherRows(o.Totals)
	// Each stored per-unit tax is rounded to 4 decimals (§2.4), each row
	// and the total too.
	half := decimal.New(5, -5)
	tol := half.Mul(units).Add(half.Mul(decimal.NewFromInt(int64(n + 1))))
	withTax := rows.Add(productTax)
	switch {
	case rows.Sub(o.Total).Abs().LessThanOrEqual(tol):
		for _, i := range p.linesOf(kindProduct) {
			p.lines[i].rates, p.lines[i].fixed = nil, nil
		}
		p.ps.warnf("tax", "the order has no tax rows, and its total %s leaves out the %s of tax stored on its products: the customer was charged no tax (the shop's \"Taxes\" order total is off), so its lines are sent without tax",
			o.Total.StringFixed(4), productTax.StringFixed(4))
	case withTax.Sub(o.Total).Abs().LessThanOrEqual(tol):
		values := map[int]decimal.Decimal{}
		for _, i := range p.linesOf(kindProduct) {
			l := p.lines[i]
			op := o.Products[l.product]
			if op.Tax.IsZero() || op.Quantity <= 0 {
				continue
			}
			if len(l.fixed) > 0 || len(l.rates) == 0 {
				p.ps.errorf(fmt.Sprintf("product %q", op.Name), "the order has no tax rows; this product's stored tax of %s a unit matches no single mapped percentage rate, so the order's tax (%s) cannot be placed by rate",
					op.Tax.StringFixed(4), productTax.StringFixed(4))
				return
			}
			tax := op.Tax.Mul(decimal.NewFromInt(int64(op.Quantity)))
			weight := decimal.Zero
			for _, k := range l.rates {
				weight = weight.Add(p.rates[k].r)
			}
			left := tax
			for j, k := range l.rates {
				share := left
				if j < len(l.rates)-1 {
					share = tax.Mul(p.rates[k].r).Div(weight).Round(4)
				}
				values[k] = values[k].Add(share)
				left = left.Sub(share)
			}
		}
		for k, v := range values {
			p.rates[k].present, p.rates[k].value = true, v
		}
		p.ps.warnf("tax", "the order has no tax rows (the shop's \"Taxes\" order total is off or an extension left them out); its tax, %s, is taken from the products' stored tax (order_product.tax × quantity), which with its other rows (%s) comes to the order total %s",
			productTax.StringFixed(4), rows.StringFixed(4), o.Total.StringFixed(4))
	default:
		// One clear reason: no rate is guessed for the lines either.
		for _, i := range p.linesOf(kindProduct) {
			p.lines[i].rates, p.lines[i].fixed = nil, nil
		}
		p.ps.errorf("tax", "the order has no tax rows; its rows other than the total come to %s, its products' stored tax (order_product.tax × quantity) to %s, together %s, but the order total is %s (%s apart), so where its tax belongs cannot be told",
			rows.StringFixed(4), productTax.StringFixed(4), withTax.StringFixed(4), o.Total.StringFixed(4), withTax.Sub(o.Total).Abs().StringFixed(4))
	}
}

// otherRows adds up the order total rows other than "total".
func otherRows(totals []opencart.OrderTotal) (decimal.Decimal, int) {
	sum, n := decimal.Zero, 0
	for _, t := range totals {
		if t.Code != "total" {
			sum = sum.Add(t.Value)
			n++
		}
	}
	return sum, n
}
