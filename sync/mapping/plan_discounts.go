package mapping

// Phase 7 of buildPlan: splitting the discounts. In: the discount lines
// (coupon, reward) and what each rate's tax row lost to them (the
// arithmetic is discountFit, in discount.go). Out: each discount line
// replaced by one line per set of rates it reduced, plus an untaxed part.

import "github.com/shopspring/decimal"

// splitDiscounts works out how much tax each percentage rate lost to the
// discounts (the tax row against what the lines carry) and splits every
// discount line into one line per set of rates it reduced, plus an
// untaxed part: Xero has one tax rate per line (M3, M11, M12).
func (p *plan) splitDiscounts() {
	discounts := p.linesOf(kindDiscount)
	if len(discounts) == 0 {
		return
	}
	discountNet, _ := p.discountTotals()
	fit := p.fitDiscounts(p.taxedItems(nil, nil, nil), p.percentRates(), discountNet, len(discounts))
	var keys []string
	for _, key := range fit.keys {
		// Less than a cent off is OpenCart's 4-decimal storage, not a discount.
		if !r2(fit.off[key].Mul(p.money.cv)).IsZero() {
			keys = append(keys, key)
		}
	}
	// What the taxed parts do not explain is untaxed; it is positive when
	// OpenCart capped the discount at the running total but not its tax
	// reduction (M11): the parts keep their natural size and tax, and the
	// cap is a line of its own.
	untaxed := fit.untaxed

	var out []planLine
	for _, l := range p.lines {
		if l.kind != kindDiscount {
			out = append(out, l)
			continue
		}
		share := decimal.NewFromInt(1).Div(decimal.NewFromInt(int64(len(discounts))))
		if !discountNet.IsZero() {
			share = l.base.Div(discountNet)
		}
		var parts []planLine
		var weights []decimal.Decimal
		for _, key := range keys {
			off := fit.off[key].Mul(share).Neg()
			part := planLine{kind: kindDiscount, code: l.code, desc: l.desc, account: l.account, product: -1,
				rates: fit.rates[key], base: off, contrib: map[int]decimal.Decimal{}}
			for _, k := range part.rates {
				part.contrib[k] = off.Mul(p.rates[k].r)
			}
			parts = append(parts, part)
			weights = append(weights, part.base)
		}
		if !r2(untaxed.Mul(share).Mul(p.money.cv)).IsZero() || len(parts) == 0 {
			parts = append(parts, planLine{kind: kindDiscount, code: l.code, desc: l.desc, account: l.account, product: -1,
				base: untaxed.Mul(share), contrib: map[int]decimal.Decimal{}})
			weights = append(weights, untaxed.Mul(share))
		}
		for j := range weights {
			weights[j] = weights[j].Mul(p.money.cv)
		}
		amounts := spread(l.amount, weights)
		for j := range parts {
			parts[j].qty, parts[j].unit, parts[j].amount = decimal.NewFromInt(1), amounts[j], amounts[j]
			if len(parts) > 1 {
				what := "untaxed items"
				switch {
				case len(parts[j].rates) > 0:
					what = p.titles(parts[j].rates)
				case parts[j].base.Sign() != discountNet.Sign() && !discountNet.IsZero():
					what = "limited to the order total"
				}
				parts[j].desc = Clean(l.desc+" – "+what, DescriptionField)
			}
		}
		out = append(out, parts...)
	}
	p.lines = out
}
