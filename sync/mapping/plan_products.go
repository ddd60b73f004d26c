package mapping

// Phase 3 of buildPlan: the product lines. In: the order's products and
// p.rates. Out: one line per product with its amount in the order currency
// and the rates (percentage and fixed) whose amounts give its stored tax.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/shopspring/decimal"
)

func (p *plan) addProducts() {
	var candidates [][][]int
	for i, op := range p.order.Products {
		field := fmt.Sprintf("product %q", op.Name)
		desc := productDescription(op)
		l := planLine{kind: kindProduct, desc: desc, account: p.opt.Accounts.Sales, product: i, itemCode: p.opt.ItemCodes[op.ProductID]}
		qty := decimal.NewFromInt(int64(op.Quantity))
		expected := p.money.line(op.Total)
		switch {
		case op.Quantity <= 0 && op.Total.IsZero() && op.Price.IsZero():
			p.ps.warnf(field, "quantity %d and no amount; left off the invoice", op.Quantity)
			continue
		case op.Quantity <= 0:
			p.ps.warnf(field, "quantity %d is not a real quantity; the line total %s is sent as one unit", op.Quantity, expected.String())
			l.qty, l.unit, l.amount, l.base = decimal.NewFromInt(1), expected, expected, op.Total
		default:
			l.qty, l.unit = qty, p.money.unit(op.Price)
			l.amount = r2(l.qty.Mul(l.unit))
			l.base = op.Price.Mul(qty)
			if l.amount.Sub(expected).Abs().GreaterThan(cent) {
				// The unit price cannot give OpenCart's line total (4.1
				// percentage discounts round price and total separately).
				l.desc = strconv.Itoa(op.Quantity) + " × " + desc
				l.qty, l.unit, l.amount, l.base = decimal.NewFromInt(1), expected, expected, op.Total
			}
		}
		p.lines = append(p.lines, l)
		candidates = append(candidates, p.inferRates(op, field))
	}
	p.chooseRates(candidates)
}

// chooseRates settles each product's rates. Where several sets of rates
// fit a product equally (two 5% rates in different zones, or 5% of 39.997
// and a fixed 2.00 both near a stored 1.9999), the set that can be true is
// taken: a fixed rate's row counts exactly the units that carry it, so a
// set is out when the products that surely carry the rate already fill
// its row. Then the set whose rates the order's other products carry, then
// the set nearest to the stored tax.
func (p *plan) chooseRates(candidates [][][]int) {
	products := p.linesOf(kindProduct)
	used := map[int]int{}
	filled := map[int]decimal.Decimal{} // fixed rate → tax of the units surely carrying it
	for j, c := range candidates {
		if len(c) == 1 {
			op := p.order.Products[p.lines[products[j]].product]
			for _, k := range c[0] {
				used[k]++
				if p.rates[k].m.Fixed() {
					filled[k] = filled[k].Add(p.rates[k].r.Mul(decimal.NewFromInt(int64(op.Quantity))))
				}
			}
		}
	}
	for j, c := range candidates {
		if len(c) == 0 {
			continue
		}
		l := &p.lines[products[j]]
		op := p.order.Products[l.product]
		type score struct {
			fits     bool
			used     int
			distance decimal.Decimal
		}
		better := func(a, b score) int { // > 0 when a is better
			switch {
			case a.fits != b.fits:
				return btoi(a.fits)*2 - 1
			case a.used != b.used:
				return a.used - b.used
			}
			return b.distance.Cmp(a.distance)
		}
		var best score
		bestN, tied := -1, false
		for n, set := range c {
			s := score{fits: true}
			for _, k := range set {
				s.used += used[k]
				if r := p.rates[k]; r.m.Fixed() && len(c) > 1 {
					units := decimal.NewFromInt(int64(op.Quantity))
					s.fits = s.fits && filled[k].Add(r.r.Mul(units)).Sub(r.value).LessThanOrEqual(taxTolerance.Mul(units))
				}
			}
			s.distance = p.setTax(op, set).Sub(op.Tax).Abs()
			cmp := 1
			if bestN >= 0 {
				cmp = better(s, best)
			}
			switch {
			case cmp > 0:
				best, bestN, tied = s, n, false
			case cmp == 0:
				tied = true
			}
		}
		if tied {
			p.ps.warnf(fmt.Sprintf("product %q", op.Name), "its tax fits more than one set of tax rates; %s was taken", p.titles(c[bestN]))
		}
		l.rates, l.fixed = nil, nil
		for _, k := range c[bestN] {
			if p.rates[k].m.Fixed() {
				l.fixed = append(l.fixed, k)
			} else {
				l.rates = append(l.rates, k)
			}
		}
		sort.Ints(l.rates)
	}
}

// setTax is the tax per unit a set of rates puts on a product.
func (p *plan) setTax(op opencart.OrderProduct, set []int) decimal.Decimal {
	tax := decimal.Zero
	for _, k := range set {
		if p.rates[k].m.Fixed() {
			tax = tax.Add(p.rates[k].r)
		} else {
			tax = tax.Add(op.Price.Mul(p.rates[k].r))
		}
	}
	return tax
}

// productDescription is the product name, model and chosen options.
func productDescription(op opencart.OrderProduct) string {
	d := op.Name
	if strings.TrimSpace(op.Model) != "" {
		d += " (" + strings.TrimSpace(op.Model) + ")"
	}
	var opts []string
	for _, o := range op.Options {
		value := strings.TrimSpace(o.Value)
		if o.UploadCode != "" && value == o.UploadCode {
			// The upload row is gone: its code means nothing to a reader.
			value = "uploaded file"
		}
		opts = append(opts, strings.TrimSpace(o.Name)+": "+value)
	}
	if len(opts) > 0 {
		d += " – " + strings.Join(opts, ", ")
	}
	return Clean(d, DescriptionField)
}

// inferRates lists the sets of rates that may be a product's: those
// whose amounts on the unit price give the stored per-unit tax, best
// first — rates with a tax row on the order before rates without one (a
// rate may have been cancelled out by discounts, M12), sets Xero can hold
// on one line, then the smallest sets. All equally good sets are listed.
func (p *plan) inferRates(op opencart.OrderProduct, field string) [][]int {
	if op.Tax.IsZero() {
		return nil
	}
	var candidates []int
	for k, r := range p.rates {
		if r.present {
			candidates = append(candidates, k)
		}
	}
	for k, r := range p.rates {
		if !r.present && len(candidates) < maxInferRates {
			candidates = append(candidates, k)
		}
	}
	type match struct {
		set                     []int
		absent, unmapped, count int
	}
	var found []match
	for _, mask := range subsetsBySize(len(candidates)) {
		if mask == 0 {
			continue
		}
		set := pick(candidates, mask)
		tax, absent := p.setTax(op, set), 0
		for _, k := range set {
			absent += btoi(!p.rates[k].present)
		}
		if tax.Sub(op.Tax).Abs().LessThanOrEqual(taxTolerance) {
			found = append(found, match{set, absent, btoi(!p.expressible(set)), len(set)})
		}
	}
	if len(found) == 0 {
		p.ps.warnf(field, "its tax of %s per unit fits none of the mapped tax rates; the line is sent without tax and the order's tax is shared over the other lines", op.Tax.String())
		return nil
	}
	sort.SliceStable(found, func(a, b int) bool {
		if found[a].absent != found[b].absent {
			return found[a].absent < found[b].absent
		}
		if found[a].unmapped != found[b].unmapped {
			return found[a].unmapped < found[b].unmapped
		}
		return found[a].count < found[b].count
	})
	var sets [][]int
	for _, f := range found {
		if f.absent == found[0].absent && f.unmapped == found[0].unmapped && f.count == found[0].count {
			sets = append(sets, f.set)
		}
	}
	return sets
}

// expressible reports whether a set of rates can be one Xero line: at
// most one percentage rate, or a configured combination.
func (p *plan) expressible(set []int) bool {
	var titles []string
	for _, k := range set {
		if !p.rates[k].m.Fixed() {
			titles = append(titles, p.rates[k].m.Title)
		}
	}
	if len(titles) <= 1 {
		return true
	}
	_, ok := p.opt.combinationType(titles)
	return ok
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func pick(from []int, mask uint32) []int {
	var out []int
	for i, k := range from {
		if mask&(1<<i) != 0 {
			out = append(out, k)
		}
	}
	return out
}
