package export_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// at is noon of a day in 2024 (the shop's orders are of March 2024).
func at(month time.Month, day int) time.Time {
	return time.Date(2024, month, day, 12, 0, 0, 0, time.UTC)
}

// methodOrder is a paid-or-not order by a payment method, with its status
// history (statuses entered on the days given).
func methodOrder(id int, m octest.Method, steps ...octest.History) octest.Order {
	o := vatOrder(id, 0, "Ann", "Lee-"+strconv.Itoa(id), "ann"+strconv.Itoa(id)+"@example.com", steps[len(steps)-1].StatusID,
		[]octest.Product{product("Mug", 1, "10.0000", "2.0000")}, nil, "3.0000", "18.0000")
	o.PaymentMethod, o.History, o.DateAdded = m, steps, steps[0].DateAdded
	return o
}

func step(status int, on time.Time) octest.History {
	return octest.History{StatusID: status, DateAdded: on}
}

// paymentsByInvoice are the sandbox's payments on invoices, by invoice number.
func (e *env) paymentsByInvoice() map[string]xerotest.Payment {
	numbers := map[string]string{}
	for _, inv := range e.sandbox.Invoices(tenant) {
		numbers[inv.InvoiceID] = inv.InvoiceNumber
	}
	out := map[string]xerotest.Payment{}
	for _, p := range e.sandbox.Payments(tenant) {
		if p.Invoice != nil && p.Status != "DELETED" {
			out[numbers[p.Invoice.InvoiceID]] = p
		}
	}
	return out
}

// TestPaidPerPaymentMethod: with the proposed rules, cash on delivery is
// paid when Complete (not on dispatch), a card when Processing; the
// payment is dated when the order last entered a paid status, and goes to
// the payment method's own account. On the 3.0 shape (payment_code) and
// the 4.x shape (payment_method JSON).
func TestPaidPerPaymentMethod(t *testing.T) {
	for _, family := range []opencart.Family{opencart.Family30, opencart.Family41} {
		t.Run(string(family), func(t *testing.T) {
			e := newEnv(t, family)
			cod := octest.Method{Title: "Cash On Delivery", Code: "cod"}
			card := octest.Method{Title: "Credit Card (Stripe)", Code: "stripe"}
			if family != opencart.Family30 {
				cod.Code, card.Code = "cod.cod", "stripe.stripe"
			}
			e.shop.AddOrder(methodOrder(2001, cod, step(1, at(3, 1)), step(2, at(3, 2)), step(3, at(3, 4))))                    // shipped: not paid
			e.shop.AddOrder(methodOrder(2002, cod, step(1, at(3, 1)), step(2, at(3, 2)), step(3, at(3, 4)), step(5, at(3, 9)))) // complete: paid 9 March
			e.shop.AddOrder(methodOrder(2003, card, step(1, at(3, 1)), step(2, at(3, 3)), step(3, at(3, 5))))                   // paid on Processing, 3 March
			e.shop.AddOrder(methodOrder(2004, card, step(2, at(3, 1)), step(10, at(3, 6)), step(5, at(4, 20))))                 // Processing → Failed → Complete: 20 April

			s := export.DefaultSettings()
			s.InvoiceStatus = mapping.StatusAuthorised
			s.PaymentAccounts = map[string]string{"cod": "091"}
			s = e.propose(s)
			if got := s.PaidStatusByMethod["cod"]; len(got) != 1 || got[0] != 5 {
				t.Errorf("proposed paid statuses for cash on delivery %v, want [5]", got)
			}
			if got := s.PaidStatusByMethod["stripe"]; len(got) < 3 || got[0] != 2 {
				t.Errorf("proposed paid statuses for Stripe %v, want Processing first", got)
			}
			if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
				t.Fatalf("summary %+v", sum)
			}
			pays := e.paymentsByInvoice()
			if p, ok := pays["OC-2001"]; ok {
				t.Errorf("shipped cash-on-delivery order paid on %v", p.Date)
			}
			for _, want := range []struct {
				number, account string
				on              time.Time
			}{{"OC-2002", "091", at(3, 9)}, {"OC-2003", "090", at(3, 3)}, {"OC-2004", "090", at(4, 20)}} {
				p, ok := pays[want.number]
				if !ok {
					t.Errorf("%s: no payment", want.number)
					continue
				}
				if y, m, d := p.Date.Date(); y != 2024 || m != want.on.Month() || d != want.on.Day() || p.Account == nil || p.Account.Code != want.account {
					t.Errorf("%s: paid on %v into %+v, want %s into %s", want.number, p.Date, p.Account, want.on.Format("2 Jan"), want.account)
				}
			}
			rec, err := e.hist.RecordFor(context.Background(), history.KindPayment, "2001")
			if err != nil || rec.State != history.StateSkipped || !strings.HasPrefix(rec.Error, "skipped: not paid") {
				t.Errorf("shipped cash-on-delivery payment record %+v, %v", rec, err)
			}
		})
	}
}
