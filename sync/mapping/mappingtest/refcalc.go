// Package mappingtest is test support for the mapping and export tests: a
// small reference calculator that builds orders the way OpenCart computes
// them, a corpus of orders built with it (with their expected totals), random
// orders for fuzzing, and the rows that store such an order in a fixture shop
// (octest). It must not import the mapping package, whose own tests use it.
package mappingtest

import (
	"sort"
	"strconv"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/shopspring/decimal"
)

// The reference calculator builds orders the way OpenCart does
// (docs/OPENCART.md §2): taxes per unit price × quantity, total
// extensions in sort order, coupon and reward reducing the percentage taxes
// of what they discount, tax rows only when > 0, every stored value rounded
// to 4 decimals. The corpus and the random orders use it so that no
// expected order is hand-typed.

type refRate struct {
	id   int
	name string
	rate string // percentage or fixed amount
	typ  string // "P" or "F"
}

var (
	rateVAT     = refRate{1, "VAT (20%)", "20", "P"}
	rateEco     = refRate{2, "Eco Tax (-2.00)", "2", "F"}
	rateReduced = refRate{3, "VAT (5%)", "5", "P"}
	rateGST     = refRate{4, "GST", "5", "P"}
	ratePST     = refRate{5, "PST", "7", "P"}
	rateEcoSmal = refRate{6, "Eco Tax (-0.35)", "0.35", "F"}
)

// TaxRate is one OpenCart tax rate the corpus uses, with the Xero tax
// type the tests map it to.
type TaxRate struct {
	Title   string
	Rate    decimal.Decimal // percentage, or the fixed amount
	Type    string          // "P" (percentage) or "F" (fixed amount)
	TaxType string
}

// TaxCombination is a set of rates charged on one line together, and the
// Xero tax type that covers them all (like GST + PST).
type TaxCombination struct {
	Titles  []string
	TaxType string
}

// TaxRates are all rates of the corpus, with their Xero tax types.
func TaxRates() []TaxRate {
	var out []TaxRate
	for _, r := range []struct {
		refRate
		taxType string
	}{
		{rateVAT, "OUTPUT2"}, {rateEco, "NONE"}, {rateReduced, "RROUTPUT"},
		{rateGST, "GSTONSALES"}, {ratePST, "PSTONSALES"}, {rateEcoSmal, "NONE"},
	} {
		out = append(out, TaxRate{Title: r.name, Rate: dec(r.rate), Type: r.typ, TaxType: r.taxType})
	}
	return out
}

// TaxCombinations are the rates the corpus charges together on one line.
func TaxCombinations() []TaxCombination {
	return []TaxCombination{{Titles: []string{rateGST.name, ratePST.name}, TaxType: "GSTPST"}}
}

type refProduct struct {
	name, model string
	price       string // net unit price; may have more than 4 decimals (4.1 discounts)
	qty         int
	rates       []refRate // the product's tax class at the customer's address
	noCoupon    bool      // the coupon is limited to other products
	points      bool      // reward points can be spent on it
	options     [][2]string
}

type refFee struct {
	code, title string
	value       string
	rates       []refRate
	sort        int
}

type refCoupon struct {
	code     string
	typ      string // P or F
	discount string
	shipping bool // free shipping
}

// refOrder describes an order as a customer built it at checkout.
type refOrder struct {
	id            int
	products      []refProduct
	vouchers      []string // gift vouchers bought
	shipping      *refFee  // code "shipping"
	fees          []refFee // handling, low_order_fee, third-party
	coupon        *refCoupon
	couponSort    int    // 0 = default 4
	reward        string // share of the reward-eligible products paid with points, e.g. "0.5"
	credit        string // store credit balance
	voucher       string // gift voucher balance redeemed
	clamp         bool   // 3.0: the total row is max(0, total)
	currency      string
	cv            string
	dp            int
	customerID    int
	status        int
	paymentCode   string
	paymentMethod string
}

func dec(s string) decimal.Decimal {
	if s == "" {
		return decimal.Zero
	}
	return decimal.RequireFromString(s)
}

func r4(d decimal.Decimal) decimal.Decimal { return d.Round(4) }

// getRates is OpenCart's Tax::getRates for one value.
func getRates(value decimal.Decimal, rates []refRate) map[refRate]decimal.Decimal {
	out := map[refRate]decimal.Decimal{}
	for _, r := range rates {
		if r.typ == "F" {
			out[r] = out[r].Add(dec(r.rate))
		} else {
			out[r] = out[r].Add(value.Div(decimal.NewFromInt(100)).Mul(dec(r.rate)))
		}
	}
	return out
}

type refRow struct {
	code, title string
	value       decimal.Decimal
	sort        int
}

// build runs the checkout pipeline and returns the order as the reader
// would give it.
func (ro refOrder) build() opencart.Order {
	taxes := map[refRate]decimal.Decimal{}
	addTaxes := func(m map[refRate]decimal.Decimal, times decimal.Decimal) {
		for r, v := range m {
			taxes[r] = taxes[r].Add(v.Mul(times))
		}
	}
	reducePercent := func(value decimal.Decimal, rates []refRate) {
		for r, v := range getRates(value, rates) {
			if r.typ == "P" {
				taxes[r] = taxes[r].Sub(v)
			}
		}
	}
	o := opencart.Order{ID: ro.id, CustomerID: ro.customerID, StatusID: ro.status, Status: StatusName(ro.status),
		FirstName: "Jane", LastName: "Smith", Email: "jane@example.com",
		CurrencyCode: ro.currency, CurrencyValue: dec(ro.cv), CurrencyDecimalPlaces: ro.dp,
		DateAdded:     time.Date(2026, 3, 14, 10, 30, 0, 0, time.UTC),
		DateModified:  time.Date(2026, 3, 15, 9, 0, 0, 0, time.UTC),
		PaymentMethod: opencart.Method{Title: ro.paymentMethod, Code: ro.paymentCode}}
	if o.StatusID == 0 {
		o.StatusID, o.Status = 5, "Complete"
	}
	if o.CurrencyCode == "" {
		o.CurrencyCode, o.CurrencyValue, o.CurrencyDecimalPlaces = "GBP", decimal.NewFromInt(1), 2
	}
	type line struct {
		p     refProduct
		price decimal.Decimal
		total decimal.Decimal
	}
	var lines []line
	for i, p := range ro.products {
		price := dec(p.price)
		lines = append(lines, line{p, price, price.Mul(decimal.NewFromInt(int64(p.qty)))})
		unitTax := decimal.Zero
		for _, v := range getRates(price, p.rates) {
			unitTax = unitTax.Add(v)
		}
		addTaxes(getRates(price, p.rates), decimal.NewFromInt(int64(p.qty)))
		op := opencart.OrderProduct{ID: 100 + i, ProductID: 40 + i, Name: p.name, Model: p.model, Quantity: p.qty,
			Price: r4(price), Total: r4(price.Mul(decimal.NewFromInt(int64(p.qty)))), Tax: r4(unitTax)}
		for j, kv := range p.options {
			op.Options = append(op.Options, opencart.OrderOption{ID: j + 1, Name: kv[0], Value: kv[1], Type: "select"})
		}
		o.Products = append(o.Products, op)
	}
	for i, v := range ro.vouchers {
		o.Vouchers = append(o.Vouchers, opencart.OrderVoucher{ID: i + 1, Code: "GV" + strconv.Itoa(i), Description: "£" + v + " Gift Certificate", Amount: r4(dec(v))})
	}

	type ext struct {
		code string
		sort int
		run  func(total decimal.Decimal) (rows []refRow, add decimal.Decimal)
	}
	var exts []ext
	exts = append(exts, ext{"sub_total", 1, func(decimal.Decimal) ([]refRow, decimal.Decimal) {
		v := decimal.Zero
		for _, l := range lines {
			v = v.Add(l.total)
		}
		for _, vv := range ro.vouchers {
			v = v.Add(dec(vv))
		}
		return []refRow{{"sub_total", "Sub-Total", v, 1}}, v
	}})
	if ro.reward != "" {
		exts = append(exts, ext{"reward", 2, func(decimal.Decimal) ([]refRow, decimal.Decimal) {
			f := dec(ro.reward)
			d := decimal.Zero
			for _, l := range lines {
				if l.p.points {
					disc := l.total.Mul(f)
					reducePercent(disc, l.p.rates)
					d = d.Add(disc)
				}
			}
			return []refRow{{"reward", "Reward Points (" + f.Mul(decimal.NewFromInt(1000)).StringFixed(0) + ")", d.Neg(), 2}}, d.Neg()
		}})
	}
	if s := ro.shipping; s != nil {
		exts = append(exts, ext{"shipping", 3, func(decimal.Decimal) ([]refRow, decimal.Decimal) {
			v := dec(s.value)
			addTaxes(getRates(v, s.rates), decimal.NewFromInt(1))
			return []refRow{{"shipping", s.title, v, 3}}, v
		}})
	}
	for _, f := range ro.fees {
		exts = append(exts, ext{f.code, f.sort, func(decimal.Decimal) ([]refRow, decimal.Decimal) {
			v := dec(f.value)
			addTaxes(getRates(v, f.rates), decimal.NewFromInt(1))
			return []refRow{{f.code, f.title, v, f.sort}}, v
		}})
	}
	if c := ro.coupon; c != nil {
		sortOrder := 4
		if ro.couponSort != 0 {
			sortOrder = ro.couponSort
		}
		exts = append(exts, ext{"coupon", sortOrder, func(total decimal.Decimal) ([]refRow, decimal.Decimal) {
			subTotal := decimal.Zero
			for _, l := range lines {
				if !l.p.noCoupon {
					subTotal = subTotal.Add(l.total)
				}
			}
			discount := dec(c.discount)
			if c.typ == "F" {
				discount = decimal.Min(discount, subTotal)
			}
			d := decimal.Zero
			for _, l := range lines {
				if l.p.noCoupon {
					continue
				}
				var disc decimal.Decimal
				if c.typ == "F" {
					if subTotal.IsZero() {
						continue
					}
					disc = discount.Mul(l.total.Div(subTotal))
				} else {
					disc = l.total.Div(decimal.NewFromInt(100)).Mul(discount)
				}
				reducePercent(disc, l.p.rates)
				d = d.Add(disc)
			}
			if c.shipping && ro.shipping != nil {
				reducePercent(dec(ro.shipping.value), ro.shipping.rates)
				d = d.Add(dec(ro.shipping.value))
			}
			if d.GreaterThan(total) {
				d = total
			}
			if !d.IsPositive() {
				return nil, decimal.Zero
			}
			return []refRow{{"coupon", "Coupon (" + c.code + ")", d.Neg(), sortOrder}}, d.Neg()
		}})
	}
	exts = append(exts, ext{"tax", 5, func(decimal.Decimal) ([]refRow, decimal.Decimal) {
		var rows []refRow
		add := decimal.Zero
		var keys []refRate
		for r := range taxes {
			keys = append(keys, r)
		}
		sort.Slice(keys, func(a, b int) bool { return keys[a].id < keys[b].id })
		for _, r := range keys {
			if v := taxes[r]; v.IsPositive() {
				rows = append(rows, refRow{"tax", r.name, v, 5})
				add = add.Add(v)
			}
		}
		return rows, add
	}})
	for _, a := range []struct{ code, title, balance string }{{"credit", "Store Credit", ro.credit}, {"voucher", "Gift Certificate (GIFT10)", ro.voucher}} {
		if a.balance == "" {
			continue
		}
		sortOrder := map[string]int{"credit": 7, "voucher": 8}[a.code]
		exts = append(exts, ext{a.code, sortOrder, func(total decimal.Decimal) ([]refRow, decimal.Decimal) {
			v := decimal.Min(dec(a.balance), total)
			if !v.IsPositive() {
				return nil, decimal.Zero
			}
			return []refRow{{a.code, a.title, v.Neg(), sortOrder}}, v.Neg()
		}})
	}
	sort.SliceStable(exts, func(a, b int) bool {
		if exts[a].sort != exts[b].sort {
			return exts[a].sort < exts[b].sort
		}
		return exts[a].code < exts[b].code
	})
	total := decimal.Zero
	var rows []refRow
	for _, e := range exts {
		r, add := e.run(total)
		rows = append(rows, r...)
		total = total.Add(add)
	}
	shown := total
	if ro.clamp && shown.IsNegative() {
		shown = decimal.Zero
	}
	rows = append(rows, refRow{"total", "Total", shown, 9})
	for i, r := range rows {
		o.Totals = append(o.Totals, opencart.OrderTotal{ID: i + 1, Code: r.code, Title: r.title, Value: r4(r.value), SortOrder: r.sort})
	}
	o.Total = r4(total)
	return o
}

// StatusName is the name of an OpenCart default order status.
func StatusName(id int) string {
	return map[int]string{1: "Pending", 2: "Processing", 3: "Shipped", 5: "Complete", 7: "Canceled", 9: "Canceled Reversal",
		11: "Refunded", 12: "Reversed", 13: "Chargeback", 15: "Processed"}[id]
}
