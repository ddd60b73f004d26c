package mapping

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/mapping/mappingtest"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/shopspring/decimal"
)

// checkInvoice asserts the invariants every exported invoice must keep,
// computing what Xero computes on its own (not with the package's helpers).
func checkInvoice(o opencart.Order, inv xero.Invoice, ps []Problem, opt Options) []string {
	var fails []string
	fail := func(format string, args ...any) { fails = append(fails, fmt.Sprintf(format, args...)) }
	cv, dp := o.CurrencyValue, int32(min(max(o.CurrencyDecimalPlaces, 0), 2))
	shown := func(v decimal.Decimal) decimal.Decimal { return v.Mul(cv).Round(dp) }
	// Fixed taxes are lines to the cent, whatever the currency.
	cents := func(v decimal.Decimal) decimal.Decimal { return v.Mul(cv).Round(2) }

	// Xero's own arithmetic: line amount = round2(qty × unit), plus the tax.
	total := decimal.Zero
	var rounding []xero.LineItem
	qtySum := decimal.Zero
	for _, l := range inv.LineItems {
		q, u := l.Quantity.Decimal(), l.UnitAmount.Decimal()
		if !q.IsPositive() {
			fail("line %q: quantity %s is not positive", l.Description, q)
		}
		if u.Exponent() < -4 || l.LineAmount.Decimal().Exponent() < -2 || l.TaxAmount.Decimal().Exponent() < -2 {
			fail("line %q: too many decimals (unit %s, amount %s, tax %s)", l.Description, u, l.LineAmount, l.TaxAmount)
		}
		la := q.Mul(u).Round(2)
		if !l.LineAmount.Given() || !la.Equal(l.LineAmount.Decimal()) {
			fail("line %q: Xero says the line total %s does not match the expected line total %s", l.Description, l.LineAmount, la)
		}
		if !l.TaxAmount.Given() || l.TaxType == "" || l.AccountCode == "" {
			fail("line %q: tax amount, tax type or account missing", l.Description)
		}
		if rate, ok := xeroRate(opt, l.TaxType); ok {
			// Xero keeps a given tax amount only near its own (the
			// sandbox's default tolerance is a cent).
			tol := decimal.New(1, -2)
			if own := la.Mul(rate).Round(2); own.Sub(l.TaxAmount.Decimal()).Abs().GreaterThan(tol) {
				fail("line %q: tax %s, Xero computes %s", l.Description, l.TaxAmount, own)
			}
		}
		if l.TaxType == opt.NoTaxType && !l.TaxAmount.Decimal().IsZero() {
			fail("line %q: %s tax on a no-tax line", l.Description, l.TaxAmount)
		}
		if Clean(l.Description, DescriptionField) != l.Description {
			fail("line %q: description not cleaned", l.Description)
		}
		if l.AccountCode == opt.Accounts.Rounding {
			rounding = append(rounding, l)
		}
		if l.AccountCode == opt.Accounts.Sales {
			qtySum = qtySum.Add(q)
		}
		total = total.Add(la).Add(l.TaxAmount.Decimal())
	}
	if want := shown(o.Total); !total.Equal(want) {
		fail("Xero total %s, OpenCart total %s", total, want)
	}

	// Per tax rate: the lines of its tax type carry exactly the tax row;
	// each fixed tax row is a line of its own.
	bucket := func(taxType string) string {
		for _, c := range opt.TaxCombinations {
			if taxType == c.TaxType {
				return "combined:" + c.TaxType
			}
			for _, title := range c.Titles {
				for _, m := range opt.TaxRates {
					if m.Title == title && m.TaxType == taxType {
						return "combined:" + c.TaxType
					}
				}
			}
		}
		return taxType
	}
	want, got := map[string]decimal.Decimal{}, map[string]decimal.Decimal{}
	rowsOf := map[string]int{}
	taxRows := 0
	for _, t := range o.Totals {
		if t.Code != "tax" {
			continue
		}
		taxRows++
		var m TaxMap
		for _, x := range opt.TaxRates {
			if x.Title == t.Title {
				m = x
			}
		}
		if m.Fixed() {
			found := false
			for _, l := range inv.LineItems {
				found = found || (l.Description == Clean(t.Title, DescriptionField) && l.LineAmount.Decimal().Equal(cents(t.Value)))
			}
			if !found {
				fail("no line of %s for fixed tax %q", cents(t.Value), t.Title)
			}
			continue
		}
		want[bucket(m.TaxType)] = want[bucket(m.TaxType)].Add(shown(t.Value))
		rowsOf[bucket(m.TaxType)]++
	}
	for _, l := range inv.LineItems {
		if l.TaxType != opt.NoTaxType {
			got[bucket(l.TaxType)] = got[bucket(l.TaxType)].Add(l.TaxAmount.Decimal())
		}
	}
	for k := range want {
		// What OpenCart shows: to the cent. For a currency shown with fewer
		// decimals (JPY), less than a unit shown away per row: Xero's tax
		// is cents per line within a cent of its own, which may not round
		// to OpenCart's row (¥12,234.51 against ¥12,234).
		ok := want[k].Equal(got[k])
		if dp < 2 {
			ok = got[k].Sub(want[k]).Abs().LessThan(decimal.New(1, -dp).Mul(decimal.NewFromInt(int64(rowsOf[k]))))
		}
		if !ok {
			fail("tax %s: lines carry %s, the order's tax rows %s", k, got[k], want[k])
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok && !got[k].IsZero() {
			fail("tax %s: lines carry %s, the order has no such tax row", k, got[k])
		}
	}

	// Rounding: at most one line, within what rounding can explain.
	step := decimal.New(1, -dp)
	allowed := step.Mul(decimal.NewFromInt(int64(len(inv.LineItems) + taxRows + 1))).
		Add(qtySum.Mul(decimal.New(5, -5)).Mul(cv.Add(decimal.NewFromInt(1))))
	if len(rounding) > 1 {
		fail("%d rounding lines", len(rounding))
	}
	for _, l := range rounding {
		if l.LineAmount.Decimal().Abs().GreaterThan(allowed) {
			fail("rounding line of %s is more than %s", l.LineAmount, allowed)
		}
	}

	// Every order total row that is not sub-total, tax or total has its
	// lines, and they add up to the row.
	for _, t := range o.Totals {
		if t.Code == "sub_total" || t.Code == "tax" || t.Code == "total" {
			continue
		}
		title := Clean(t.Title, DescriptionField)
		sum, n := decimal.Zero, 0
		for _, l := range inv.LineItems {
			if l.Description == title || strings.HasPrefix(l.Description, title+" – ") {
				sum = sum.Add(l.LineAmount.Decimal())
				n++
			}
		}
		if n == 0 || !sum.Equal(t.Value.Mul(cv).Round(2)) {
			fail("order total %q (%s): %d lines adding up to %s", t.Title, t.Value, n, sum)
		}
	}
	for _, p := range o.Products {
		name := Clean(p.Name, DescriptionField)
		found := false
		for _, l := range inv.LineItems {
			found = found || strings.Contains(l.Description, name[:min(len(name), 40)])
		}
		if !found {
			fail("no line for product %q", p.Name)
		}
	}
	return fails
}

// xeroRate is the effective rate (a fraction) of a single-rate Xero tax
// type of the test options.
func xeroRate(opt Options, taxType string) (decimal.Decimal, bool) {
	for _, m := range opt.TaxRates {
		if m.TaxType == taxType && !m.Fixed() {
			return m.Rate.Div(decimal.NewFromInt(100)), true
		}
	}
	return decimal.Zero, false
}

func TestInvoiceCorpus(t *testing.T) {
	opt := testOptions()
	cases := mappingtest.Corpus()
	if len(cases) < 40 {
		t.Fatalf("corpus has %d orders, want at least 40", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			o := c.Order
			inv, ps := Invoice(o, opt, testBooks)
			if HasErrors(ps) != c.WantErr {
				t.Fatalf("errors = %v, want %v:\n%s", HasErrors(ps), c.WantErr, joinProblems(ps))
			}
			if c.WantErr {
				return
			}
			if c.Want != "" && !DisplayedTotal(o).Equal(dec(c.Want)) {
				t.Errorf("OpenCart total %s, worked out by hand %s", DisplayedTotal(o), c.Want)
			}
			for _, f := range checkInvoice(o, inv, ps, opt) {
				t.Error(f)
			}
			if !XeroTotal(inv.LineItems).Equal(DisplayedTotal(o)) {
				t.Errorf("XeroTotal %s, DisplayedTotal %s", XeroTotal(inv.LineItems), DisplayedTotal(o))
			}
			if t.Failed() {
				for _, l := range inv.LineItems {
					t.Logf("%-50.50q qty %s unit %s amount %s tax %s %s %s", l.Description, l.Quantity, l.UnitAmount, l.LineAmount, l.TaxAmount, l.TaxType, l.AccountCode)
				}
				for _, r := range o.Totals {
					t.Logf("row %s %q %s", r.Code, r.Title, r.Value)
				}
				t.Log(joinProblems(ps))
			}
		})
	}
}

// line finds the invoice line with the description, or fails.
func line(t *testing.T, inv xero.Invoice, prefix string) xero.LineItem {
	t.Helper()
	for _, l := range inv.LineItems {
		if strings.HasPrefix(l.Description, prefix) {
			return l
		}
	}
	t.Fatalf("no line %q", prefix)
	return xero.LineItem{}
}

// TestInvoiceWorkedExamples checks the worked numbers of docs/OPENCART.md §3 by hand,
// independently of the reference calculator.
func TestInvoiceWorkedExamples(t *testing.T) {
	opt := testOptions()
	byName := map[string]opencart.Order{}
	for _, c := range mappingtest.Corpus() {
		byName[c.Name] = c.Order
	}
	type expect struct {
		desc, amount, tax string
	}
	tests := []struct {
		name  string
		rows  map[string]string // order total rows by title, as docs/OPENCART.md §3 gives them
		lines []expect
	}{
		{"M1 tax per order, not per line", map[string]string{"VAT (20%)": "0.594", "Total": "3.564"},
			[]expect{{"Pen", "0.99", ""}, {"Pencil", "0.99", ""}}},
		{"M2 EUR rows rounded one by one", map[string]string{"Sub-Total": "10.06", "VAT (20%)": "3.012", "Total": "18.072"},
			[]expect{{"Mug", "7.89", "1.58"}, {"Flat Shipping Rate", "3.92", "0.78"}, {"Rounding", "0.01", "0"}}},
		{"M3 coupon reduces VAT, eco tax is not reduced", map[string]string{"Coupon (SAVE20)": "-20", "VAT (20%)": "17", "Eco Tax (-2.00)": "4", "Total": "106"},
			[]expect{{"Kettle", "100.00", "20.00"}, {"Flat Shipping Rate", "5.00", "1.00"}, {"Coupon (SAVE20)", "-20.00", "-4.00"}, {"Eco Tax (-2.00)", "4.00", "0"}}},
		{"M5 store credit is after tax", map[string]string{"Store Credit": "-25", "VAT (20%)": "10", "Total": "35"},
			[]expect{{"Store Credit", "-25.00", "0"}}},
		{"M6 gift voucher bought", map[string]string{"Sub-Total": "70", "Total": "74"},
			[]expect{{"Gift voucher: £50 Gift Certificate", "50.00", "0"}, {"Book", "20.00", "4.00"}}},
		{"M7 4-decimal net price", map[string]string{"Sub-Total": "49.9998", "VAT (20%)": "9.99996", "Total": "59.99976"},
			[]expect{{"Candle", "50.00", "10.00"}}},
		{"M7b unit tax drift over 1000 units", map[string]string{"VAT (20%)": "83.34", "Total": "500.04"},
			[]expect{{"Screw", "416.70", "83.34"}}},
		{"M11 100% coupon with free shipping before shipping", map[string]string{"Coupon (FREE)": "-10", "Flat Shipping Rate": "5", "Total": "5"},
			[]expect{{"Cap", "10.00", ""}, {"Coupon (FREE)", "-10.00", ""}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := byName[tc.name]
			for title, v := range tc.rows {
				found := false
				for _, r := range o.Totals {
					if r.Title == title {
						found = true
						if !r.Value.Equal(dec(v).Round(4)) {
							t.Errorf("row %q = %s, docs/OPENCART.md §3 says %s", title, r.Value, v)
						}
					}
				}
				if !found {
					t.Errorf("no row %q", title)
				}
			}
			inv, ps := Invoice(o, opt, testBooks)
			if HasErrors(ps) {
				t.Fatal(joinProblems(ps))
			}
			for _, e := range tc.lines {
				l := line(t, inv, e.desc)
				if !l.LineAmount.Decimal().Equal(dec(e.amount)) {
					t.Errorf("%s: amount %s, want %s", e.desc, l.LineAmount, e.amount)
				}
				if e.tax != "" && !l.TaxAmount.Decimal().Equal(dec(e.tax)) {
					t.Errorf("%s: tax %s, want %s", e.desc, l.TaxAmount, e.tax)
				}
			}
		})
	}
}

func TestInvoiceHeader(t *testing.T) {
	base := corpusOrder(t, "M2 EUR rows rounded one by one")
	base.PaymentMethod = opencart.Method{Title: "Bank Transfer", Code: "bank_transfer"}
	tests := []struct {
		name    string
		change  func(*opencart.Order, *Options, *Books)
		number  string
		rate    string
		warning string // a problem that must be reported
		isError bool
	}{
		{name: "defaults", number: "OC-2", rate: "0.7846"},
		{name: "OpenCart invoice number", change: func(o *opencart.Order, opt *Options, _ *Books) {
			opt.InvoiceNumber, o.InvoicePrefix, o.InvoiceNo = "{invoice_no}", "INV-2026-00", 17
		}, number: "INV-2026-0017", rate: "0.7846"},
		{name: "no OpenCart invoice number yet", change: func(o *opencart.Order, opt *Options, _ *Books) {
			opt.InvoiceNumber = "SHOP-{invoice_no}"
		}, number: "OC-2", rate: "0.7846", warning: "has no OpenCart invoice number yet"},
		{name: "order in Xero's base currency", change: func(_ *opencart.Order, _ *Options, b *Books) {
			b.XeroCurrency, b.ShopCurrency = "EUR", "EUR"
		}, number: "OC-2"},
		{name: "shop and Xero in different currencies", change: func(_ *opencart.Order, _ *Options, b *Books) {
			b.ShopCurrency = "USD"
		}, number: "OC-2", warning: "Xero will use its own EUR rate of the day"},
		{name: "8-decimal rate cut to 6", change: func(o *opencart.Order, _ *Options, _ *Books) {
			o.CurrencyValue = dec("1.16123456")
		}, number: "OC-2", rate: "1.161235"},
		{name: "missing order", change: func(o *opencart.Order, _ *Options, _ *Books) { o.StatusID = 0 },
			number: "OC-2", rate: "0.7846", warning: "never completed", isError: true},
		{name: "unmapped tax", change: func(_ *opencart.Order, opt *Options, _ *Books) { opt.TaxRates = opt.TaxRates[1:] },
			number: "OC-2", rate: "0.7846", warning: "not mapped to a Xero tax rate", isError: true},
		{name: "two rates with one name are told apart by the amounts", change: func(_ *opencart.Order, opt *Options, _ *Books) {
			opt.TaxRates = append(opt.TaxRates, TaxMap{Title: "VAT (20%)", Rate: dec("21"), Type: "P", TaxType: "OUTPUT3"})
		}, number: "OC-2", rate: "0.7846"},
		{name: "three decimals", change: func(o *opencart.Order, _ *Options, _ *Books) { o.CurrencyDecimalPlaces = 3 },
			number: "OC-2", rate: "0.7846", warning: "Xero keeps 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, opt, books := base, testOptions(), Books{ShopCurrency: "GBP", XeroCurrency: "GBP"}
			o.Totals = append([]opencart.OrderTotal(nil), base.Totals...)
			if tc.change != nil {
				tc.change(&o, &opt, &books)
			}
			inv, ps := Invoice(o, opt, books)
			if inv.InvoiceNumber != tc.number || inv.CurrencyRate.String() != tc.rate {
				t.Errorf("number %q rate %q, want %q %q", inv.InvoiceNumber, inv.CurrencyRate, tc.number, tc.rate)
			}
			if HasErrors(ps) != tc.isError || (tc.warning == "") != (len(ps) == 0) || !strings.Contains(joinProblems(ps), tc.warning) {
				t.Errorf("problems:\n%s\nwant %q (error %v)", joinProblems(ps), tc.warning, tc.isError)
			}
			if inv.Type != "ACCREC" || inv.Status != StatusAuthorised || inv.LineAmountTypes != "Exclusive" || inv.CurrencyCode != "EUR" || inv.URL != "" {
				t.Errorf("header %+v", inv)
			}
			if inv.Reference != "Order 2 · Bank Transfer" || inv.Contact.ContactNumber != GuestPersonKey("jane@example.com", o.FirstName, o.LastName) {
				t.Errorf("reference %q contact %+v", inv.Reference, inv.Contact)
			}
			if inv.Date != xero.NewDate(2026, 3, 14) || inv.DueDate != xero.NewDate(2026, 3, 28) {
				t.Errorf("dates %v %v", inv.Date, inv.DueDate)
			}
		})
	}
	t.Run("item codes and registered customer", func(t *testing.T) {
		o := base
		o.CustomerID = 12
		opt := testOptions()
		opt.ItemCodes = map[int]string{o.Products[0].ProductID: "MUG-1"}
		inv, _ := Invoice(o, opt, testBooks)
		if inv.LineItems[0].ItemCode != "MUG-1" || inv.LineItems[1].ItemCode != "" || inv.Contact.ContactNumber != "OC-C12" {
			t.Errorf("item codes %q %q contact %q", inv.LineItems[0].ItemCode, inv.LineItems[1].ItemCode, inv.Contact.ContactNumber)
		}
	})
	t.Run("several rates without a combination", func(t *testing.T) {
		opt := testOptions()
		opt.TaxCombinations = nil
		_, ps := Invoice(corpusOrder(t, "GST and PST on one line"), opt, testBooks)
		if !HasErrors(ps) || !strings.Contains(joinProblems(ps), "add a tax combination") {
			t.Errorf("problems %v", ps)
		}
	})
	t.Run("bad input does not panic", func(t *testing.T) {
		o := opencart.Order{ID: 9, StatusID: 1, Totals: []opencart.OrderTotal{{Code: "tax", Title: "VAT (20%)", Value: dec("3")}, {Code: "shipping", Value: dec("-1")}},
			Products: []opencart.OrderProduct{{Name: "", Quantity: -2, Price: dec("5"), Total: dec("-10"), Tax: dec("1")}, {Quantity: 0}}}
		inv, ps := Invoice(o, testOptions(), Books{})
		if !HasErrors(ps) || len(inv.LineItems) == 0 {
			t.Errorf("lines %d problems %v", len(inv.LineItems), ps)
		}
	})
}

// TestInvoiceTaxRowsOffTheLines: an edited order whose VAT row is more
// than a cent per line away from what its lines give. Xero keeps a given
// line tax only within a cent of its own, so the cents are shared where
// they fit and an order they cannot fit is refused before it is sent.
func TestInvoiceTaxRowsOffTheLines(t *testing.T) {
	product := func(id int, price string) opencart.OrderProduct {
		return opencart.OrderProduct{ID: id, ProductID: id, Name: fmt.Sprintf("Mug %d", id), Quantity: 1,
			Price: dec(price), Total: dec(price), Tax: dec(price).Mul(dec("0.2"))}
	}
	order := func(vatRow string, products ...opencart.OrderProduct) opencart.Order {
		o := opencart.Order{ID: 7, StatusID: 5, CurrencyCode: "GBP", CurrencyValue: dec("1"), CurrencyDecimalPlaces: 2,
			FirstName: "Ann", LastName: "Lee", Email: "ann@example.com", Products: products,
			DateAdded: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
		sub := decimal.Zero
		for _, p := range products {
			sub = sub.Add(p.Total)
		}
		o.Totals = []opencart.OrderTotal{{Code: "sub_total", Title: "Sub-Total", Value: sub},
			{Code: "tax", Title: "VAT (20%)", Value: dec(vatRow)}, {Code: "total", Title: "Total", Value: sub.Add(dec(vatRow))}}
		o.Total = o.Totals[2].Value
		return o
	}
	many := make([]opencart.OrderProduct, 1000)
	for i := range many {
		many[i] = product(i+1, "10")
	}
	cases := []struct {
		name    string
		order   opencart.Order
		wantErr bool
		reason  string
	}{
		// 2.00 + 2.00 + 2.00 = 6.00; 6.03 gives each line a cent.
		{"three cents over three lines", order("6.03", product(1, "10"), product(2, "10"), product(3, "10")), false, ""},
		{"two cents under two lines", order("3.98", product(1, "10"), product(2, "10")), false, ""},
		// One line cannot carry 2.00 more than Xero's 2.00.
		{"row edited by hand", order("4.00", product(1, "10")), true, ""},
		{"four cents over three lines", order("6.04", product(1, "10"), product(2, "10"), product(3, "10")), true, ""},
		// 2,000.00 of VAT on the lines, 2,500.00 on the order: said once.
		{"a thousand lines, the row edited", order("2500", many...), true, "(and 999 more lines of VAT (20%))"},
		{"a thousand lines, ten cents over", order("2000.10", many...), false, ""},
	}
	opt := testOptions()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv, ps := Invoice(tc.order, opt, testBooks)
			if HasErrors(ps) != tc.wantErr {
				t.Fatalf("errors = %v, want %v: %s", HasErrors(ps), tc.wantErr, joinProblems(ps))
			}
			if tc.wantErr {
				if !strings.Contains(joinProblems(ps), "Xero computes") || !strings.Contains(joinProblems(ps), "do not fit the lines that carry them") ||
					strings.Contains(joinProblems(ps), "edited") ||
					!strings.Contains(joinProblems(ps), tc.reason) || strings.Count(joinProblems(ps), "Xero computes") != 1 {
					t.Errorf("the reason does not say why, once: %s", joinProblems(ps))
				}
				return
			}
			if fails := checkInvoice(tc.order, inv, ps, opt); len(fails) > 0 {
				t.Fatal(fails)
			}
		})
	}
}
