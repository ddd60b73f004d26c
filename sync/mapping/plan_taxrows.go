package mapping

// Phase 2 of buildPlan: reading the tax rows. In: the order's "tax" total
// rows and the tax mapping. Out: p.rates (one per mapped rate, with its row
// if the order has one), and a fee line per unmapped tax row.

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// readTaxRows finds the mapping of each tax row, then adds the mapped
// percentage rates that have no row (they may have been cancelled out by
// a discount, M12) so that products can still be recognised.
func (p *plan) readTaxRows() {
	byTitle := map[string]int{}
	for row, t := range p.order.Totals {
		if t.Code != "tax" {
			continue
		}
		field := fmt.Sprintf("tax %q", t.Title)
		if m, ok := p.assign[row]; ok {
			// A same-named rate the amounts decided (plan_samename.go).
			p.addRateRow(byTitle, m, t.Value)
			continue
		}
		ms, ok := p.opt.taxMapFor(t.Title)
		if !ok {
			p.ps.errorf(field, "this tax on the order is not mapped to a Xero tax rate; map it in the tax settings")
			amount := p.money.line(t.Value)
			p.lines = append(p.lines, planLine{kind: kindUnmappedTax, desc: t.Title, account: p.opt.Accounts.Fees,
				qty: decimal.NewFromInt(1), unit: amount, amount: amount, base: t.Value, product: -1})
			continue
		}
		m := ms[0]
		_, again := byTitle[strings.ToLower(strings.TrimSpace(t.Title))]
		for _, other := range ms[1:] {
			if !again && (other.Type != m.Type || !other.Rate.Equal(m.Rate) || other.TaxType != m.TaxType) {
				why := p.undecided[strings.ToLower(strings.TrimSpace(t.Title))]
				if why == "" {
					why = "the order does not say which one this is"
				}
				p.ps.errorf(field, "several tax rates are called %q: %s — rename one in OpenCart or keep one in the tax settings", t.Title, why)
				break
			}
		}
		key := strings.ToLower(strings.TrimSpace(t.Title))
		if i, dup := byTitle[key]; dup {
			p.rates[i].value = p.rates[i].value.Add(t.Value)
			continue
		}
		byTitle[key] = len(p.rates)
		p.rates = append(p.rates, planRate{m: m, r: rateFactor(m), present: true, value: t.Value})
	}
	for _, m := range p.opt.TaxRates {
		// A rate whose name others share is known by its name, type and
		// rate once the amounts decided a row of that name.
		key := strings.ToLower(strings.TrimSpace(m.Title))
		_, titled := byTitle[key]
		if _, decided := byTitle[assignedKey(m)]; decided || titled || m.Fixed() {
			continue
		}
		if p.assign != nil {
			key = assignedKey(m)
		}
		byTitle[key] = len(p.rates)
		p.rates = append(p.rates, planRate{m: m, r: rateFactor(m)})
	}
}

// assignedKey names a rate whose name others share: its name, type and rate.
func assignedKey(m TaxMap) string {
	return strings.ToLower(strings.TrimSpace(m.Title)) + "|" + m.Type + "|" + m.Rate.String()
}

// addRateRow adds a tax row decided as rate m: rows decided as the same
// rate add up, as rows of one title do.
func (p *plan) addRateRow(byTitle map[string]int, m TaxMap, value decimal.Decimal) {
	key := assignedKey(m)
	if i, dup := byTitle[key]; dup {
		p.rates[i].value = p.rates[i].value.Add(value)
		return
	}
	byTitle[key] = len(p.rates)
	p.rates = append(p.rates, planRate{m: m, r: rateFactor(m), present: true, value: value})
}

func rateFactor(m TaxMap) decimal.Decimal {
	if m.Fixed() {
		return m.Rate
	}
	return m.Rate.Div(hundred)
}
