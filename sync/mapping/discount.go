package mapping

import (
	"sort"

	"github.com/shopspring/decimal"
)

// taxedNet is a net amount (shop currency) and the percentage rates it
// carries: a product or a charge line, or a candidate for one.
type taxedNet struct {
	rates []int
	base  decimal.Decimal
}

// discountFit says how much net each tax class lost to the order's
// discounts. OpenCart takes a discount off each product's net and reduces
// every percentage tax of that product by the rate times the discount, so
// for each rate k the tax lost, D_k = Σ lines × rate − tax row, is
// Σ_g off_g × rate_k over the classes g (sets of rates) that contain k.
// The fit finds off_g ≥ 0 (at most the class's net times the number of
// discounts) that explains the tax rows best.
type discountFit struct {
	keys     []string // classes, in key order
	rates    map[string][]int
	off      map[string]decimal.Decimal // net taken off per class, ≥ 0
	residual decimal.Decimal            // tax the fit leaves unexplained, shop currency
	untaxed  decimal.Decimal            // discount net not explained by taxed classes (discountNet + Σ off)
}

// fitDiscounts fits the discounts of the order to the tax rows, for lines
// carrying the given rates.
func (p *plan) fitDiscounts(items []taxedNet, rates []int, discountNet decimal.Decimal, discounts int) discountFit {
	f := discountFit{rates: map[string][]int{}, off: map[string]decimal.Decimal{}}
	net := map[string]decimal.Decimal{}
	lost := map[int]decimal.Decimal{} // D_k as a positive amount when tax was lost
	for _, k := range rates {
		lost[k] = p.rates[k].value.Neg()
	}
	for _, it := range items {
		if len(it.rates) == 0 {
			continue
		}
		key := groupKey(it.rates)
		if _, ok := f.rates[key]; !ok {
			f.rates[key] = it.rates
			f.keys = append(f.keys, key)
		}
		net[key] = net[key].Add(it.base)
		for _, k := range it.rates {
			lost[k] = lost[k].Add(it.base.Mul(p.rates[k].r))
		}
	}
	sort.Strings(f.keys)
	if discounts > 0 {
		// Coordinate descent on Σ_k (Σ_{g∋k} off_g·r_k − lost_k)²: convex,
		// a handful of classes, converges in a few rounds.
		limit := decimal.NewFromInt(int64(discounts))
		for range 40 {
			changed := false
			for _, g := range f.keys {
				num, den := decimal.Zero, decimal.Zero
				for _, k := range f.rates[g] {
					r := p.rates[k].r
					others := decimal.Zero
					for _, h := range f.keys {
						if h != g && containsInt(f.rates[h], k) {
							others = others.Add(f.off[h].Mul(r))
						}
					}
					num = num.Add(r.Mul(lost[k].Sub(others)))
					den = den.Add(r.Mul(r))
				}
				off := decimal.Zero
				if den.IsPositive() {
					off = num.DivRound(den, 8)
				}
				off = decimal.Min(decimal.Max(off, decimal.Zero), decimal.Max(net[g].Mul(limit), decimal.Zero))
				changed = changed || !off.Equal(f.off[g])
				f.off[g] = off
			}
			if !changed {
				break
			}
		}
	}
	f.untaxed = discountNet
	for _, g := range f.keys {
		f.untaxed = f.untaxed.Add(f.off[g])
	}
	for _, k := range rates {
		explained := decimal.Zero
		for _, g := range f.keys {
			if containsInt(f.rates[g], k) {
				explained = explained.Add(f.off[g].Mul(p.rates[k].r))
			}
		}
		f.residual = f.residual.Add(lost[k].Sub(explained).Abs())
	}
	return f
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// better reports whether fit a explains the order better than fit b: less
// unexplained tax (beyond storage noise), then the discounts spread over
// taxed lines as far as they go (the smallest untaxed or capped part),
// then fewer rates on charges.
func (p *plan) better(a discountFit, aCount int, b discountFit, bCount int) bool {
	noise := taxTolerance.Mul(decimal.NewFromInt(int64(len(p.lines) + 1)))
	ra, rb := a.residual, b.residual
	if ra.LessThanOrEqual(noise) {
		ra = decimal.Zero
	}
	if rb.LessThanOrEqual(noise) {
		rb = decimal.Zero
	}
	if !ra.Equal(rb) {
		return ra.LessThan(rb)
	}
	ua, ub := a.untaxed.Abs().Round(4), b.untaxed.Abs().Round(4)
	if !ua.Equal(ub) {
		return ua.LessThan(ub)
	}
	return aCount < bCount
}

// discountTotals is the discounts' net and count.
func (p *plan) discountTotals() (decimal.Decimal, int) {
	net := decimal.Zero
	idx := p.linesOf(kindDiscount)
	for _, i := range idx {
		net = net.Add(p.lines[i].base)
	}
	return net, len(idx)
}

// taxedItems lists the non-discount lines with their rates, the charges
// taking the rates chosen for them.
func (p *plan) taxedItems(charges []int, classes [][]int, choice []int) []taxedNet {
	chosen := map[int][]int{}
	for j, i := range charges {
		chosen[i] = classes[choice[j]]
	}
	var items []taxedNet
	for i, l := range p.lines {
		if l.kind == kindDiscount {
			continue
		}
		rates := l.rates
		if c, ok := chosen[i]; ok {
			rates = c
		}
		items = append(items, taxedNet{rates: rates, base: l.base})
	}
	return items
}
