package mapping

import (
	"fmt"
	"sort"
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
func buildPlan(o opencart.Order, opt Options) *plan {
	p := &plan{order: o, opt: opt, money: moneyOf(o)}
	p.checkOrder()
	p.readTaxRows()
	p.addProducts()
	p.addVouchers()
	p.addTotals()
	p.assignBearers()
	p.splitDiscounts()
	p.allocateTaxes()
	p.setTaxTypes()
	p.addRounding()
	return p
}

// checkOrder reports what makes an order unfit to send, or suspicious.
func (p *plan) checkOrder() {
	o := p.order
	if o.StatusID == 0 {
		p.ps.errorf("order status", "order %d was never completed (a \"missing order\")", o.ID)
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
	rows := decimal.Zero
	n := 0
	for _, t := range o.Totals {
		if t.Code != "total" {
			rows = rows.Add(t.Value)
			n++
		}
	}
	if n > 0 && rows.Sub(o.Total).Abs().GreaterThan(decimal.New(5, -5).Mul(decimal.NewFromInt(int64(n+1)))) {
		p.ps.warnf("totals", "the order's total rows add up to %s but the order total is %s; the order may have been edited or an extension misbehaved", rows.StringFixed(4), o.Total.StringFixed(4))
	}
}

// readTaxRows finds the mapping of each tax row, then adds the mapped
// percentage rates that have no row (they may have been cancelled out by
// a discount, M12) so that products can still be recognised.
func (p *plan) readTaxRows() {
	byTitle := map[string]int{}
	for _, t := range p.order.Totals {
		if t.Code != "tax" {
			continue
		}
		field := fmt.Sprintf("tax %q", t.Title)
		ms, ok := p.opt.taxMapFor(t.Title)
		if !ok {
			p.ps.errorf(field, "this tax on the order is not mapped to a Xero tax rate; map it in the tax settings")
			amount := p.money.line(t.Value)
			p.lines = append(p.lines, planLine{kind: kindUnmappedTax, desc: t.Title, account: p.opt.Accounts.Fees,
				qty: decimal.NewFromInt(1), unit: amount, amount: amount, base: t.Value, product: -1})
			continue
		}
		m := ms[0]
		for _, other := range ms[1:] {
			if other.Type != m.Type || !other.Rate.Equal(m.Rate) || other.TaxType != m.TaxType {
				p.ps.errorf(field, "several tax rates are called %q; the order does not say which one this is — rename one in OpenCart or keep one in the tax settings", t.Title)
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
		if _, dup := byTitle[strings.ToLower(strings.TrimSpace(m.Title))]; dup || m.Fixed() {
			continue
		}
		byTitle[strings.ToLower(strings.TrimSpace(m.Title))] = len(p.rates)
		p.rates = append(p.rates, planRate{m: m, r: rateFactor(m)})
	}
}

func rateFactor(m TaxMap) decimal.Decimal {
	if m.Fixed() {
		return m.Rate
	}
	return m.Rate.Div(hundred)
}

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
		opts = append(opts, strings.TrimSpace(o.Name)+": "+strings.TrimSpace(o.Value))
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

// titles names a set of rates ("VAT 20% + Eco Tax").
func (p *plan) titles(set []int) string {
	names := make([]string, len(set))
	for i, k := range set {
		names[i] = p.rates[k].m.Title
	}
	return strings.Join(names, " + ")
}

func (p *plan) addVouchers() {
	for _, v := range p.order.Vouchers {
		amount := p.money.line(v.Amount)
		desc := strings.TrimSpace(v.Description)
		if desc == "" {
			desc = "Gift voucher " + v.Code
		}
		p.lines = append(p.lines, planLine{kind: kindVoucherSold, desc: Clean("Gift voucher: "+desc, DescriptionField),
			account: p.opt.Accounts.VouchersSold, qty: decimal.NewFromInt(1), unit: amount, amount: amount, base: v.Amount, product: -1})
	}
}

// addTotals adds a line for every order total row except sub-total, tax
// and total, and one line per fixed-amount tax row.
func (p *plan) addTotals() {
	for _, t := range p.order.Totals {
		if notLines[t.Code] {
			continue
		}
		rule, known := p.opt.totalRule(t.Code, t.Value)
		if !known {
			p.ps.warnf(fmt.Sprintf("order total %q", t.Code), "%q (%s) is not an OpenCart total this exporter knows; it is booked to the fees account as a %s", t.Title, t.Value.StringFixed(4), rule.Kind)
		}
		kind := map[TotalKind]lineKind{KindCharge: kindCharge, KindDiscount: kindDiscount, KindAfterTax: kindAfterTax}[rule.Kind]
		amount := p.money.line(t.Value)
		title := t.Title
		if strings.TrimSpace(title) == "" {
			title = t.Code
		}
		p.lines = append(p.lines, planLine{kind: kind, code: t.Code, desc: Clean(title, DescriptionField), account: rule.Account,
			qty: decimal.NewFromInt(1), unit: amount, amount: amount, base: t.Value, product: -1})
	}
	for _, r := range p.rates {
		if !r.present || !r.m.Fixed() {
			continue
		}
		account := r.m.Account
		if account == "" {
			account = p.opt.Accounts.FixedTax
		}
		if account == "" {
			account = p.opt.Accounts.Fees
		}
		amount := p.money.line(r.value)
		p.lines = append(p.lines, planLine{kind: kindFixedTax, desc: Clean(r.m.Title, DescriptionField), account: account,
			qty: decimal.NewFromInt(1), unit: amount, amount: amount, base: r.value, product: -1})
	}
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

// groupKey names a set of rates.
func groupKey(rates []int) string {
	parts := make([]string, len(rates))
	for i, k := range rates {
		parts[i] = strconv.Itoa(k)
	}
	return strings.Join(parts, ",")
}

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
		p.ps.errorf(fmt.Sprintf("line %q", l.desc), "its share of %s comes to %s, but Xero computes %s for it and refuses a line more than a cent off%s: the order's tax rows do not fit its lines (was the order edited?)",
			p.titles(l.rates), l.taxAmount().String(), p.xeroLineTax(l).String(), others)
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

// addRounding adds the difference between what the customer paid and
// what Xero will compute as a rounding line, and reports it when it is
// more than rounding.
func (p *plan) addRounding() {
	sum := decimal.Zero
	rows := 1
	products := decimal.Zero
	for _, l := range p.lines {
		sum = sum.Add(l.amount).Add(l.taxAmount())
		rows++
		if l.kind == kindProduct {
			// Unit prices at 4 decimals drift by up to half a unit of the
			// 4th decimal per unit, in both currencies.
			products = products.Add(decimal.Min(l.qty.Mul(decimal.New(5, -5)).Mul(p.money.cv.Add(decimal.NewFromInt(1))), decimal.New(15, -3)))
		}
	}
	for _, r := range p.rates {
		if r.present {
			rows++
		}
	}
	allowed := p.money.step().Mul(decimal.NewFromInt(int64(rows))).Add(products)
	diff := ExpectedTotal(p.order).Sub(sum)
	if diff.IsZero() {
		return
	}
	if diff.Abs().GreaterThan(allowed) {
		p.ps.errorf("total", "the lines and taxes come to %s but the customer paid %s: %s is more than rounding; check the order for edits or unusual totals", sum.String(), ExpectedTotal(p.order).String(), diff.String())
	}
	p.lines = append(p.lines, planLine{kind: kindRounding, desc: "Rounding", account: p.opt.Accounts.Rounding,
		qty: decimal.NewFromInt(1), unit: diff, amount: diff, product: -1, taxType: p.opt.NoTaxType, tax: map[int]decimal.Decimal{}})
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
