package mapping

import (
	"strings"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/shopspring/decimal"
)

// TestRateDistrust: which stored exchange rates are not believed, and what
// the documents then carry (docs/ACCOUNTANTS.md, "Exchange rates you can
// trust").
func TestRateDistrust(t *testing.T) {
	books := Books{ShopCurrency: "GBP", XeroCurrency: "GBP", DefaultCurrency: "GBP",
		Rates: map[string]decimal.Decimal{"GBP": dec("1"), "USD": dec("1.27"), "EUR": dec("1.17"), "JPY": dec("190.5")}}
	for _, tc := range []struct {
		name, code, cv string
		books          Books
		distrust       string // "" = trusted
	}{
		{"base currency changed: USD at exactly 1", "USD", "1.00000000", books, "exactly 1"},
		{"rate typed the wrong way round", "JPY", "0.00524934", books, "more than 3 times"},
		{"rate ten times today's", "EUR", "11.7", books, "more than 3 times"},
		{"a rate that moved since, within 3 times", "USD", "1.45", books, ""},
		{"the shop's own currency at 1", "GBP", "1", books, ""},
		{"a currency gone from the table, rate not 1", "CHF", "1.12", books, ""},
		{"a currency gone from the table at 1", "CHF", "1", books, "exactly 1"},
		{"no default currency known: the base decides", "USD", "1", Books{ShopCurrency: "GBP", XeroCurrency: "GBP"}, "exactly 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := opencart.Order{ID: 9, CurrencyCode: tc.code, CurrencyValue: dec(tc.cv)}
			got := RateDistrust(o, tc.books)
			if (got == "") != (tc.distrust == "") || !strings.Contains(got, tc.distrust) {
				t.Fatalf("RateDistrust = %q, want %q", got, tc.distrust)
			}
		})
	}
	// The documents: no rate, the order's own amounts, a note or a refusal.
	o := opencart.Order{ID: 9, StatusID: 5, CurrencyCode: "USD", CurrencyValue: dec("1"), CurrencyDecimalPlaces: 2, Total: dec("120"),
		FirstName: "Old", LastName: "Order", Email: "old@example.com", DateAdded: time.Date(2019, 5, 1, 9, 0, 0, 0, time.UTC),
		Products: []opencart.OrderProduct{{ID: 1, ProductID: 1, Name: "Lamp", Quantity: 1, Price: dec("100"), Total: dec("100"), Tax: dec("20")}},
		Totals:   []opencart.OrderTotal{{Code: "sub_total", Value: dec("100")}, {Code: "tax", Title: "VAT (20%)", Value: dec("20")}, {Code: "total", Value: dec("120")}},
		History:  []opencart.OrderHistory{{StatusID: 5, DateAdded: time.Date(2019, 5, 1, 9, 0, 0, 0, time.UTC)}}}
	opt := testOptions()
	opt.PaymentAccounts = map[string]string{"": "090"}
	opt.DefaultPaymentAccount = "090"
	inv, ps := Invoice(o, opt, books)
	if inv.CurrencyRate.Given() || XeroTotal(inv.LineItems).String() != "120" || HasErrors(ps) || !strings.Contains(joinProblems(ps), "Xero applies its own USD rate") {
		t.Fatalf("xero_rate: rate %v total %s problems %s", inv.CurrencyRate, XeroTotal(inv.LineItems), joinProblems(ps))
	}
	pay, _, ps := Payment(o, opt, books)
	if pay == nil || pay.CurrencyRate.Given() || HasErrors(ps) {
		t.Fatalf("payment %+v %s", pay, joinProblems(ps))
	}
	opt.ImplausibleRate = RateRefuse
	if _, ps := Invoice(o, opt, books); !HasErrors(ps) || !strings.Contains(joinProblems(ps), "not exported") {
		t.Fatalf("refuse: %s", joinProblems(ps))
	}
	opt.ImplausibleRate = "sometimes"
	if err := opt.Validate(); err == nil || !strings.Contains(err.Error(), "untrusted exchange rates") {
		t.Fatalf("Validate: %v", err)
	}
}

// TestInvoiceWithoutTaxRows: orders of a shop whose "Taxes" total is off
// (order_product.tax stored, no tax row), to the cent of OpenCart's total.
func TestInvoiceWithoutTaxRows(t *testing.T) {
	base := func(total string, products ...opencart.OrderProduct) opencart.Order {
		o := opencart.Order{ID: 3, StatusID: 5, CurrencyCode: "EUR", CurrencyValue: dec("1.17"), CurrencyDecimalPlaces: 2, FirstName: "Nora", Email: "n@example.com",
			DateAdded: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC), Products: products, Total: dec(total)}
		sub := decimal.Zero
		for _, p := range products {
			sub = sub.Add(p.Total)
		}
		o.Totals = []opencart.OrderTotal{{Code: "sub_total", Title: "Sub-Total", Value: sub}, {Code: "shipping", Title: "Flat", Value: dec("5")},
			{Code: "total", Title: "Total", Value: dec(total)}}
		return o
	}
	chair := opencart.OrderProduct{ID: 1, ProductID: 1, Name: "Chair", Quantity: 3, Price: dec("8.3333"), Total: dec("24.9999"), Tax: dec("1.6667")}
	lamp := opencart.OrderProduct{ID: 2, ProductID: 2, Name: "Lamp", Quantity: 1, Price: dec("10"), Total: dec("10"), Tax: dec("2")}
	for _, tc := range []struct {
		name     string
		o        opencart.Order
		wantErr  bool
		want     string
		wantNote string
	}{
		{"tax left out of the total: none was charged", base("39.9999", chair, lamp), false, "", "charged no tax"},
		{"tax in the total without a row", base("47.0000", chair, lamp), false, "", "taken from the products' stored tax"},
		{"neither adds up: the numbers, no guess", base("50", chair, lamp), true, "together 47.0000, but the order total is 50.0000 (3.0000 apart)", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := testOptions()
			inv, ps := Invoice(tc.o, opt, testBooks)
			if HasErrors(ps) != tc.wantErr || !strings.Contains(joinProblems(ps), tc.want+tc.wantNote) || strings.Contains(joinProblems(ps), "edited") {
				t.Fatalf("problems:\n%s", joinProblems(ps))
			}
			if tc.wantErr {
				return
			}
			if got, want := XeroTotal(inv.LineItems), DisplayedTotal(tc.o); !got.Equal(want) {
				t.Fatalf("Xero total %s, OpenCart's %s", got, want)
			}
		})
	}
}
