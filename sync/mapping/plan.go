package mapping

// The plan: an order worked out into Xero lines. This file holds the
// types, the phase sequence (buildPlan), the helpers every phase reads the
// plan through, and the end result: the plan's lines as Xero line items.
// Each phase has its own plan_*.go file.

import (
	"strconv"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/shopspring/decimal"
)

// lineKind is what an invoice line stands for.
type lineKind int

const (
	kindProduct lineKind = iota
	kindVoucherSold
	kindCharge   // shipping, fees: may carry tax
	kindDiscount // coupon, reward: reduces tax
	kindAfterTax // store credit, vouchers redeemed
	kindFixedTax // a fixed-amount tax row (Eco Tax)
	kindUnmappedTax
	kindRounding
)

// planLine is one invoice line while it is worked out.
type planLine struct {
	kind     lineKind
	code     string // order total code
	desc     string
	account  string
	itemCode string
	qty      decimal.Decimal // order currency from here
	unit     decimal.Decimal
	amount   decimal.Decimal // LineAmount
	base     decimal.Decimal // net amount in the shop currency
	product  int             // index in Order.Products, -1 for others
	rates    []int           // percentage rates the line bears (plan.rates indices), ascending
	fixed    []int           // fixed rates per unit (products)
	contrib  map[int]decimal.Decimal
	tax      map[int]decimal.Decimal
	taxType  string
}

func (l *planLine) taxAmount() decimal.Decimal {
	t := decimal.Zero
	for _, v := range l.tax {
		t = t.Add(v)
	}
	return t
}

func (l *planLine) bears(k int) bool {
	for _, r := range l.rates {
		if r == k {
			return true
		}
	}
	return false
}

// planRate is one tax rate the order's lines may carry.
type planRate struct {
	m       TaxMap
	r       decimal.Decimal // fraction (P) or amount per unit (F)
	present bool            // it has a tax row on the order
	value   decimal.Decimal // the tax row, shop currency
}

// plan is an order worked out into Xero lines.
type plan struct {
	order opencart.Order
	opt   Options
	money orderMoney
	rates []planRate
	lines []planLine
	ps    problems
	// taxRange is, per percentage rate, the totals its lines may come to.
	taxRange map[int]taxRange
	// assign is the rate of each tax row (by index in the order's totals)
	// whose name several rates share, as the amounts decided; undecided
	// says, by tax row title (lower case), why they could not.
	assign    map[int]TaxMap
	undecided map[string]string
}

// taxRange is what a rate's lines may add up to: exact, the band of cent
// amounts OpenCart shows as its row (the row itself for 2-decimal
// currencies); near, less than a unit shown away from it, where Xero's
// per-line cents leave no choice for a currency shown with fewer decimals.
type taxRange struct {
	exact, near [2]decimal.Decimal
}

// taxTolerance is how far OpenCart's stored per-unit tax may be from the
// rates applied to the stored price (4-decimal storage of both).
var taxTolerance = decimal.New(1, -4)

// buildPlan works an order out into Xero lines:
//  1. the tax rows are matched to the tax mapping (by name);
//  2. a line per product, with the rates whose amounts on its unit price
//     give its stored per-unit tax; a line per gift voucher bought; a line
//     per order total row except sub-total, tax and total; a line per
//     fixed-amount tax row (Eco Tax), without tax;
//  3. shipping and fees get the tax class that best explains the tax rows
//     (OpenCart does not store it), together with the discounts;
//  4. each discount (coupon, reward) is split into one line per tax class
//     it reduced, sized so that its tax is what the tax rows lost, plus an
//     untaxed part (or a cap, M11);
//  5. each rate's tax row is shared over its lines to the cent, starting
//     from the tax Xero computes per line;
//  6. what is left between the lines and what the customer paid is a
//     rounding line, reported when it is more than rounding.
//
// Same-named tax rates are settled first (decideRates, plan_samename.go).
func buildPlan(o opencart.Order, opt Options) *plan {
	assign, undecided := decideRates(o, opt)
	return planWith(o, opt, assign, undecided)
}

// planWith is buildPlan with same-named rates settled: assign gives the
// rate of a tax row (by index in the order's totals) whose name several
// rates share; undecided, by title, why the amounts could not tell them
// apart.
func planWith(o opencart.Order, opt Options, assign map[int]TaxMap, undecided map[string]string) *plan {
	p := &plan{order: o, opt: opt, money: moneyOf(o), assign: assign, undecided: undecided}
	p.checkOrder()      // phase 1: plan_check.go
	p.readTaxRows()     // phase 2: plan_taxrows.go
	p.addProducts()     // phase 3: plan_products.go
	p.taxFromProducts() // phase 3b: plan_notaxrows.go, an order without tax rows
	p.addVouchers()     // phase 4: plan_totals.go
	p.addTotals()       // phase 5: plan_totals.go
	p.assignBearers()   // phase 6: plan_charges.go
	p.splitDiscounts()  // phase 7: plan_discounts.go
	p.allocateTaxes()   // phase 8: plan_taxes.go; its phase 9, fitLineTaxes: plan_taxfit.go
	p.setTaxTypes()     // phase 10: plan_taxes.go
	p.setUntaxedTypes() // phase 10b: vatclass.go, untaxed lines by VAT class
	p.addRounding()     // phase 11: plan_rounding.go
	return p
}

// titles names a set of rates ("VAT 20% + Eco Tax").
func (p *plan) titles(set []int) string {
	names := make([]string, len(set))
	for i, k := range set {
		names[i] = p.rates[k].m.Title
	}
	return strings.Join(names, " + ")
}

// linesOf lists the indices of lines of a kind.
func (p *plan) linesOf(kinds ...lineKind) []int {
	var out []int
	for i, l := range p.lines {
		for _, k := range kinds {
			if l.kind == k {
				out = append(out, i)
			}
		}
	}
	return out
}

// percentRates lists the percentage rates that matter for the order:
// those with a tax row and those a product carries.
func (p *plan) percentRates() []int {
	var out []int
	for k, r := range p.rates {
		if r.m.Fixed() {
			continue
		}
		used := r.present
		for _, l := range p.lines {
			used = used || l.bears(k)
		}
		if used {
			out = append(out, k)
		}
	}
	return out
}

// groupKey names a set of rates.
func groupKey(rates []int) string {
	parts := make([]string, len(rates))
	for i, k := range rates {
		parts[i] = strconv.Itoa(k)
	}
	return strings.Join(parts, ",")
}

// item turns a worked-out line into a Xero line item.
func (l *planLine) item() xero.LineItem {
	return xero.LineItem{
		Description: Clean(l.desc, DescriptionField),
		Quantity:    xero.NewAmount(l.qty),
		UnitAmount:  xero.NewAmount(l.unit),
		ItemCode:    cleanOptional(l.itemCode, ItemCodeField),
		AccountCode: l.account,
		TaxType:     l.taxType,
		TaxAmount:   xero.NewAmount(l.taxAmount()),
		LineAmount:  xero.NewAmount(l.amount),
	}
}

func cleanOptional(s string, f Field) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return Clean(s, f)
}

func (p *plan) items() []xero.LineItem {
	out := make([]xero.LineItem, len(p.lines))
	for i := range p.lines {
		out[i] = p.lines[i].item()
	}
	return out
}
