package mapping

// Phases 8 and 10 of buildPlan: the lines' taxes. In: the lines with their
// rates and contributions, and the tax rows. Out (phase 8): every line's
// tax per rate in the order currency, each rate adding up to its row as
// OpenCart shows it, then kept within Xero's cent (phase 9, plan_taxfit.go);
// (phase 10) every line's Xero tax type.

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// allocateTaxes gives every line its tax per rate, in the order currency,
// so that each rate's line taxes add up exactly to the tax row as
// OpenCart shows it, R(row × currency value) (see taxTarget for
// currencies shown with fewer decimals than Xero keeps).
func (p *plan) allocateTaxes() {
	for i := range p.lines {
		p.lines[i].tax = map[int]decimal.Decimal{}
	}
	p.taxRange = map[int]taxRange{}
	for _, k := range p.percentRates() {
		r := p.rates[k]
		// Start from the tax Xero computes for each line, then move cents
		// to the lines OpenCart's own arithmetic favours.
		var idx []int
		var exact, start []decimal.Decimal
		natural := decimal.Zero
		for i, l := range p.lines {
			if c, ok := l.contrib[k]; ok {
				idx = append(idx, i)
				exact = append(exact, c.Mul(p.money.cv))
				start = append(start, r2(l.amount.Mul(r.r)))
				natural = natural.Add(start[len(start)-1])
			}
		}
		target, lo, hi := decimal.Zero, decimal.Zero, decimal.Zero
		if r.present {
			target = p.money.taxTarget(r.value, natural)
			lo, hi = p.money.taxBand(r.value)
		}
		tr := taxRange{exact: [2]decimal.Decimal{lo, hi}, near: [2]decimal.Decimal{lo, hi}}
		if p.money.dp < xeroDP && r.present {
			half := p.money.step().Div(decimal.NewFromInt(2))
			tr.near = [2]decimal.Decimal{lo.Sub(half), hi.Add(half)}
		}
		p.taxRange[k] = tr
		field := fmt.Sprintf("tax %q", r.m.Title)
		if len(idx) == 0 {
			if !target.IsZero() {
				p.ps.errorf(field, "the order has %s of this tax but no line it could belong to; it is booked as a fee without tax", target.String())
				p.lines = append(p.lines, planLine{kind: kindUnmappedTax, desc: Clean(r.m.Title, DescriptionField), account: p.opt.Accounts.Fees,
					qty: decimal.NewFromInt(1), unit: target, amount: target, product: -1, tax: map[int]decimal.Decimal{}})
			}
			continue
		}
		sum := decimal.Zero
		for _, e := range exact {
			sum = sum.Add(e)
		}
		limit := cent.Mul(decimal.NewFromInt(int64(len(idx)))).Add(cent)
		if target.Sub(sum).Abs().GreaterThan(limit) {
			p.ps.warnf(field, "the lines would carry %s of this tax but the order shows %s; the difference is shared over the lines that carry it", r2(sum).String(), target.String())
		}
		for j, amount := range spreadFrom(target, start, exact) {
			p.lines[idx[j]].tax[k] = amount
		}
	}
	p.fitLineTaxes()
}

// setTaxTypes gives each line the Xero tax type of its rates.
func (p *plan) setTaxTypes() {
	for i := range p.lines {
		l := &p.lines[i]
		switch len(l.rates) {
		case 0:
			l.taxType = p.opt.NoTaxType
		case 1:
			l.taxType = p.rates[l.rates[0]].m.TaxType
		default:
			titles := make([]string, len(l.rates))
			for j, k := range l.rates {
				titles[j] = p.rates[k].m.Title
			}
			if t, ok := p.opt.combinationType(titles); ok {
				l.taxType = t
				continue
			}
			l.taxType = p.rates[l.rates[0]].m.TaxType
			p.ps.errorf(fmt.Sprintf("line %q", l.desc), "it carries %s together; Xero has one tax rate per line — add a tax combination for them in the tax settings", p.titles(l.rates))
		}
	}
}
