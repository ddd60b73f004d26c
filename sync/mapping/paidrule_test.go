package mapping

import (
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// TestPaidOnPerPaymentMethod: which statuses mean paid, and the payment's
// date, depend on the order's payment method. withHistory dates the n-th
// status change on the (14+n)th of March 2026.
func TestPaidOnPerPaymentMethod(t *testing.T) {
	base := corpusOrder(t, "M2 EUR rows rounded one by one")
	cod := opencart.Method{Title: "Cash On Delivery", Code: "cod"}
	card := opencart.Method{Title: "Stripe", Code: "stripe.stripe"}
	other := opencart.Method{Title: "Mystery Pay", Code: "mystery"}
	tests := []struct {
		name     string
		method   opencart.Method
		statuses []int
		paid     bool
		day      int
	}{
		{name: "cash on delivery processing then shipped is not paid", method: cod, statuses: []int{1, 2, 3}},
		{name: "cash on delivery complete is paid on the complete date", method: cod, statuses: []int{1, 2, 3, 5}, paid: true, day: 17},
		{name: "card paid on processing", method: card, statuses: []int{1, 2, 3, 5}, paid: true, day: 15},
		{name: "card processing failed complete paid on complete", method: card, statuses: []int{2, 10, 5}, paid: true, day: 16},
		{name: "card processing then failed is not paid", method: card, statuses: []int{1, 2, 10}},
		{name: "card processing then canceled is not paid", method: card, statuses: []int{2, 7}},
		{name: "card paid then refunded keeps the payment", method: card, statuses: []int{2, 5, 11}, paid: true, day: 14},
		{name: "card refund undone keeps the first date", method: card, statuses: []int{2, 11, 5}, paid: true, day: 14},
		{name: "cash on delivery refunded before complete was never paid", method: cod, statuses: []int{2, 11}},
		{name: "card processing then on hold stays paid on the processing day", method: card, statuses: []int{1, 2, 17}, paid: true, day: 15},
		{name: "card paid then a chargeback not taken as a refund stays paid", method: card, statuses: []int{2, 5, 13}, paid: true, day: 14},
		{name: "card paid, on hold, complete keeps the first date", method: card, statuses: []int{2, 17, 5}, paid: true, day: 14},
		{name: "card paid, on hold, then canceled is not paid", method: card, statuses: []int{2, 17, 7}},
		{name: "card paid, canceled, pending is not paid", method: card, statuses: []int{2, 7, 1}},
		{name: "cash on delivery complete then back to shipped stays paid", method: cod, statuses: []int{2, 5, 3}, paid: true, day: 15},
		{name: "unknown method uses the general paid statuses", method: other, statuses: []int{1, 2}, paid: true, day: 15},
		{name: "method matched by the first part of its code", method: opencart.Method{Code: "cod.cod"}, statuses: []int{2, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opt := testOptions()
			opt.PaidStatusByMethod = map[string][]int{"cod": {5}, "stripe": {2, 3, 5, 9, 15}}
			opt.RefundStatusIDs, opt.RefundStatusNames = []int{11, 12}, nil // Chargeback (13) is not taken as a refund
			o := withHistory(base, tc.statuses...)
			o.PaymentMethod = tc.method
			on, paid := opt.PaidOn(o)
			if paid != tc.paid {
				t.Fatalf("paid = %v, want %v", paid, tc.paid)
			}
			if paid && !on.Equal(day(tc.day)) {
				t.Errorf("paid on %s, want %s", on, day(tc.day))
			}
		})
	}
}

// TestPaymentIntoTheMethodsAccount: the payment goes to the account of
// the order's payment method, dated when it last became paid.
func TestPaymentIntoTheMethodsAccount(t *testing.T) {
	opt := testOptions()
	opt.PaidStatusByMethod = map[string][]int{"cod": {5}}
	opt.PaymentAccounts = map[string]string{"cod": "092"}
	o := withHistory(corpusOrder(t, "M2 EUR rows rounded one by one"), 2, 3, 5)
	o.PaymentMethod = opencart.Method{Title: "Cash On Delivery", Code: "cod"}
	pay, skipped, _ := Payment(o, opt, Books{ShopCurrency: "GBP", XeroCurrency: "GBP"})
	if pay == nil {
		t.Fatalf("no payment: %s", skipped)
	}
	if pay.Account.Code != "092" || pay.Date != xero.NewDate(2026, 3, 16) {
		t.Errorf("payment into %s on %v, want 092 on 2026-03-16", pay.Account.Code, pay.Date)
	}
	o = withHistory(o, 2, 3)
	if pay, skipped, _ = Payment(o, opt, Books{ShopCurrency: "GBP", XeroCurrency: "GBP"}); pay != nil || !strings.HasPrefix(skipped, "skipped: not paid") {
		t.Errorf("shipped cash on delivery: payment %v, skipped %q; want not paid", pay, skipped)
	}
}

func TestValidatePaymentMethods(t *testing.T) {
	opt := testOptions()
	opt.PaidStatusByMethod = map[string][]int{"cod": {}, "pp_standard": {5, 11}}
	err := opt.Validate()
	if err == nil || !strings.Contains(err.Error(), `payment method "cod": no order status chosen as paid`) ||
		!strings.Contains(err.Error(), `payment method "pp_standard": order status 11 cannot be both paid and refunded`) {
		t.Errorf("Validate() = %v", err)
	}
}
