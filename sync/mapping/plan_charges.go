package mapping

// Phase 6 of buildPlan: the tax class of shipping and fees. In: the
// charge lines (no rates yet), the products' rates, the tax rows and the
// discounts. Out: every line's rates settled, and its net contribution to
// each rate (contrib).

import (
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// assignBearers decides which percentage rates each charge (shipping,
// fees) carries. OpenCart does not store their tax class, so each charge
// gets the tax class — none, one the order's products have, a single rate
// of the order or a configured combination — that best explains the tax
// rows (docs/OPENCART.md §2.10) together with the discounts (see discountFit).
func (p *plan) assignBearers() {
	var charges []int
	for _, i := range p.linesOf(kindCharge) {
		if p.lines[i].base.IsPositive() {
			charges = append(charges, i)
		}
	}
	rates := p.percentRates()
	if len(charges) > 0 && len(rates) > 0 {
		classes := p.chargeClasses(rates)
		discountNet, discounts := p.discountTotals()
		score := func(choice []int) (discountFit, int) {
			count := 0
			for _, c := range choice {
				count += len(classes[c])
			}
			return p.fitDiscounts(p.taxedItems(charges, classes, choice), rates, discountNet, discounts), count
		}
		choice := make([]int, len(charges)) // class per charge
		total := 1
		for range charges {
			total *= len(classes)
			if total > 256 {
				break
			}
		}
		if total <= 256 {
			best := make([]int, len(charges))
			var bestFit discountFit
			bestCount := 0
			for n := range total {
				c := n
				for j := range choice {
					choice[j] = c % len(classes)
					c /= len(classes)
				}
				fit, count := score(choice)
				if n == 0 || p.better(fit, count, bestFit, bestCount) {
					copy(best, choice)
					bestFit, bestCount = fit, count
				}
			}
			choice = best
		} else {
			// Too many charges to try every combination: one at a time.
			for j := range choice {
				bestClass := 0
				var bestFit discountFit
				bestCount := 0
				for c := range classes {
					choice[j] = c
					if fit, count := score(choice); c == 0 || p.better(fit, count, bestFit, bestCount) {
						bestClass, bestFit, bestCount = c, fit, count
					}
				}
				choice[j] = bestClass
			}
		}
		for j, i := range charges {
			p.lines[i].rates = append([]int(nil), classes[choice[j]]...)
		}
	}
	for i := range p.lines {
		l := &p.lines[i]
		sort.Ints(l.rates)
		l.contrib = map[int]decimal.Decimal{}
		for _, k := range l.rates {
			l.contrib[k] = l.base.Mul(p.rates[k].r)
		}
	}
}

// chargeClasses lists the tax classes a charge may have: none, each set of
// rates a product carries, each single rate, each configured combination.
func (p *plan) chargeClasses(rates []int) [][]int {
	classes := [][]int{nil}
	seen := map[string]bool{"": true}
	add := func(set []int) {
		set = append([]int(nil), set...)
		sort.Ints(set)
		if k := groupKey(set); !seen[k] {
			seen[k] = true
			classes = append(classes, set)
		}
	}
	for _, i := range p.linesOf(kindProduct) {
		add(p.lines[i].rates)
	}
	for _, k := range rates {
		add([]int{k})
	}
	for _, c := range p.opt.TaxCombinations {
		var set []int
		for _, title := range c.Titles {
			for _, k := range rates {
				if strings.EqualFold(strings.TrimSpace(p.rates[k].m.Title), strings.TrimSpace(title)) {
					set = append(set, k)
				}
			}
		}
		if len(set) == len(c.Titles) {
			add(set)
		}
	}
	return classes
}
