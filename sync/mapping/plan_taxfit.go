package mapping

// Phase 9 of buildPlan: fitting the line taxes to Xero's. In: every
// line's tax per rate (phase 8) and the range each rate's total may take.
// Out: the same taxes with cents passed between lines so that no line is
// more than a cent from the tax Xero computes for it, or problems saying
// which lines cannot be fitted.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// xeroLineTax is the tax Xero computes for a line: its amount at the sum
// of the line's rates (one tax type, or a combination), to the cent.
func (p *plan) xeroLineTax(l planLine) decimal.Decimal {
	rate := decimal.Zero
	for _, k := range l.rates {
		rate = rate.Add(p.rates[k].r)
	}
	return r2(l.amount.Mul(rate))
}

// fitLineTaxes keeps every line's tax within a cent of what Xero computes
// for it, as Xero refuses a line whose given tax is further off. A line
// over the limit passes a cent of one of its rates to another line of that
// rate, which may pass a cent of another rate on (combinations), until a
// line with room takes it, or a rate whose row OpenCart shows with fewer
// decimals than Xero keeps (JPY) absorbs it within what shows as the same
// row — or, failing that, within less than a unit shown (Xero's per-line
// cents decide; the total still comes to OpenCart's). Every rate of a
// 2-decimal currency still comes exactly to its row. What cannot be
// placed is reported: the order's tax rows do not fit its lines.
func (p *plan) fitLineTaxes() {
	one := decimal.NewFromInt(1)
	over := func(off decimal.Decimal) bool { return off.Abs().GreaterThan(one) }
	// stuck remembers, by direction and rates, the lines no chain could
	// help since the last move, so that an edited order with many lines is
	// searched once, not once per line. A move takes as many cents as the
	// line needs or the chain's end can take, and leaves every other line
	// within the limit, so the total excess falls with every move; the cap
	// on moves is for orders no shop would write.
	stuck := map[string]bool{}
	key := func(i int, off decimal.Decimal) string {
		return strconv.FormatBool(off.IsPositive()) + ":" + groupKey(p.lines[i].rates)
	}
	budget := 4*len(p.lines)*(len(p.rates)+1) + 100
	for moved := true; moved && budget > 0; {
		moved = false
		for i := range p.lines {
			for off := p.lineTaxOff(i); over(off) && budget > 0; off = p.lineTaxOff(i) {
				budget--
				sign := int64(off.Sign())
				need := off.Abs().Sub(one)
				if stuck[key(i, off)] || !p.passCents(i, sign, need, false) && !p.passCents(i, sign, need, true) {
					stuck[key(i, off)] = true
					break
				}
				moved = true
				clear(stuck)
			}
		}
	}
	// What is left is reported once per direction and set of rates.
	var keys []string
	left := map[string][]int{}
	for i := range p.lines {
		if off := p.lineTaxOff(i); over(off) {
			k := key(i, off)
			if left[k] == nil {
				keys = append(keys, k)
			}
			left[k] = append(left[k], i)
		}
	}
	for _, k := range keys {
		l := p.lines[left[k][0]]
		others := ""
		if n := len(left[k]) - 1; n > 0 {
			others = fmt.Sprintf(" (and %d more lines of %s)", n, p.titles(l.rates))
		}
		rows := make([]string, len(l.rates))
		for j, k := range l.rates {
			rows[j] = fmt.Sprintf("%s %s", p.rates[k].m.Title, p.money.shown(p.rates[k].value).String())
		}
		p.ps.errorf(fmt.Sprintf("line %q", l.desc), "its share of %s comes to %s, but Xero computes %s for its amount of %s %s and refuses a line more than a cent off%s: the order's tax rows (%s) do not fit the lines that carry them",
			p.titles(l.rates), l.taxAmount().String(), p.xeroLineTax(l).String(), p.order.CurrencyCode, l.amount.String(), others, strings.Join(rows, ", "))
	}
}

// lineTaxOff is how many cents line i's tax is above what Xero computes.
func (p *plan) lineTaxOff(i int) decimal.Decimal {
	return p.lines[i].taxAmount().Sub(p.xeroLineTax(p.lines[i])).Div(cent).Round(0)
}

// rateTotal is what the lines carry of rate k.
func (p *plan) rateTotal(k int) decimal.Decimal {
	t := decimal.Zero
	for _, l := range p.lines {
		t = t.Add(l.tax[k])
	}
	return t
}

// passCents takes up to need cents of tax off line i (sign +1), or gives
// it as many (-1), along the shortest chain of lines that share a rate
// pairwise, ending at a line with room or at a rate whose total may move
// (within its exact range, or its near one when near is set): as many as
// the end can take. It reports whether it moved any.
func (p *plan) passCents(i int, sign int64, need decimal.Decimal, near bool) bool {
	one := decimal.NewFromInt(1)
	dir := decimal.NewFromInt(sign)
	type step struct{ from, rate int }
	prev := map[int]step{i: {-1, -1}}
	// move shifts n cents along the chain from i to line c.
	move := func(c int, n decimal.Decimal) {
		delta := cent.Mul(dir).Mul(n)
		for ; c != i; c = prev[c].from {
			s := prev[c]
			p.lines[s.from].tax[s.rate] = p.lines[s.from].tax[s.rate].Sub(delta)
			p.lines[c].tax[s.rate] = p.lines[c].tax[s.rate].Add(delta)
		}
	}
	queue := []int{i}
	for len(queue) > 0 {
		a := queue[0]
		queue = queue[1:]
		for _, k := range p.lines[a].rates {
			bounds := p.taxRange[k].exact
			if near {
				bounds = p.taxRange[k].near
			}
			// Cents the rate's total may still go down (sign +1) or up.
			total := p.rateTotal(k)
			room := total.Sub(bounds[0])
			if sign < 0 {
				room = bounds[1].Sub(total)
			}
			if room = room.Div(cent).Floor(); room.IsPositive() {
				n := decimal.Min(need, room)
				move(a, n)
				p.lines[a].tax[k] = p.lines[a].tax[k].Sub(cent.Mul(dir).Mul(n))
				return true
			}
		}
		for _, k := range p.lines[a].rates {
			for b := range p.lines {
				if _, seen := prev[b]; seen {
					continue
				}
				if _, ok := p.lines[b].tax[k]; !ok {
					continue
				}
				prev[b] = step{a, k}
				// Line b may take cents until it is a cent beyond Xero's.
				if room := one.Sub(p.lineTaxOff(b).Mul(dir)); room.IsPositive() {
					move(b, decimal.Min(need, room))
					return true
				}
				queue = append(queue, b)
			}
		}
	}
	return false
}
