package mapping

import (
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

func TestPayment(t *testing.T) {
	base := corpusOrder(t, "M2 EUR rows rounded one by one")
	tests := []struct {
		name     string
		order    func() opencart.Order
		status   string
		skipped  string // prefix of the skip reason; "" = a payment
		date     xero.Date
		account  string
		ref      string
		rate     string
		problems bool
	}{
		{name: "paid by PayPal, date of first paid status", order: func() opencart.Order {
			o := withHistory(base, 1, 2, 3, 5)
			o.PaymentMethod = opencart.Method{Title: "PayPal", Code: "pp_standard"}
			return o
		}, date: xero.NewDate(2026, 3, 15), account: "091", ref: "PayPal", rate: "0.7846"},
		{name: "4.x transaction id, default account", order: func() opencart.Order {
			o := withHistory(base, 15)
			o.PaymentMethod = opencart.Method{Title: "Bank Transfer", Code: "bank_transfer.bank_transfer"}
			o.TransactionID = "TX-998"
			return o
		}, date: xero.NewDate(2026, 3, 14), account: "090", ref: "TX-998", rate: "0.7846"},
		{name: "account by the first part of the code", order: func() opencart.Order {
			o := withHistory(base, 5)
			o.PaymentMethod = opencart.Method{Title: "PayPal Express", Code: "pp_standard.express"}
			return o
		}, date: xero.NewDate(2026, 3, 14), account: "091", ref: "PayPal Express", rate: "0.7846"},
		{name: "paid, then refunded: the payment stands", order: func() opencart.Order { return withHistory(base, 1, 5, 11) },
			date: xero.NewDate(2026, 3, 15), account: "090", rate: "0.7846"},
		{name: "paid again after a reversal", order: func() opencart.Order { return withHistory(base, 1, 12, 9) },
			date: xero.NewDate(2026, 3, 16), account: "090", rate: "0.7846"},
		{name: "pending", order: func() opencart.Order { return withHistory(base, 1) }, skipped: "skipped: not paid"},
		{name: "cancelled", order: func() opencart.Order { return withHistory(base, 1, 7) }, skipped: "skipped: not paid"},
		{name: "refunded, never paid", order: func() opencart.Order { return withHistory(base, 1, 11) }, skipped: "skipped: not paid"},
		{name: "draft invoice", order: func() opencart.Order { return withHistory(base, 5) }, status: StatusDraft, skipped: "skipped: invoices are sent as Draft"},
		{name: "nothing to pay", order: func() opencart.Order { return withHistory(corpusOrder(t, "store credit covers the whole order"), 5) }, skipped: "skipped: nothing to pay"},
		{name: "no status history", order: func() opencart.Order { o := base; o.History = nil; return o },
			date: xero.NewDate(2026, 3, 14), account: "090", rate: "0.7846"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opt := testOptions()
			if tc.status != "" {
				opt.InvoiceStatus = tc.status
			}
			o := tc.order()
			o.CurrencyValue = dec("0.78460002")
			pay, skipped, ps := Payment(o, opt, Books{ShopCurrency: "GBP", XeroCurrency: "GBP"})
			if tc.skipped != "" {
				if pay != nil || !strings.HasPrefix(skipped, tc.skipped) {
					t.Errorf("payment %+v, skipped %q, want %q", pay, skipped, tc.skipped)
				}
				return
			}
			if pay == nil {
				t.Fatalf("no payment: %s", skipped)
			}
			if HasErrors(ps) != tc.problems {
				t.Errorf("problems %v", ps)
			}
			inv, _ := Invoice(o, opt, testBooks)
			if !pay.Amount.Decimal().Equal(XeroTotal(inv.LineItems)) || !pay.Amount.Decimal().Equal(dec("14.18")) {
				t.Errorf("amount %s, invoice total %s", pay.Amount, XeroTotal(inv.LineItems))
			}
			if pay.Invoice.InvoiceNumber != inv.InvoiceNumber || pay.Account.Code != tc.account || pay.Date != tc.date {
				t.Errorf("invoice %s account %s date %v", pay.Invoice.InvoiceNumber, pay.Account.Code, pay.Date)
			}
			if tc.ref != "" && pay.Reference != tc.ref {
				t.Errorf("reference %q, want %q", pay.Reference, tc.ref)
			}
			if pay.CurrencyRate.String() != tc.rate {
				t.Errorf("rate %s, want %s", pay.CurrencyRate, tc.rate)
			}
		})
	}
	t.Run("no bank account", func(t *testing.T) {
		opt := testOptions()
		opt.DefaultPaymentAccount = ""
		if _, _, ps := Payment(withHistory(base, 5), opt, testBooks); !HasErrors(ps) {
			t.Error("payment without a bank account")
		}
	})
}
