package export_test

import (
	"context"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
)

// TestDeletedCustomerMovesNoDocumentToAnotherContact: a customer deleted
// in OpenCart (a GDPR request) after their order was exported and paid
// moves nothing in Xero, and the order's later documents go to the
// contact its invoice is on — also for a history written before invoices
// kept their contact.
func TestDeletedCustomerMovesNoDocumentToAnotherContact(t *testing.T) {
	for _, tc := range []struct {
		name  string
		older bool // the invoice's record does not know its contact
	}{
		{"the invoice's record keeps its contact", false},
		{"a history from before contacts were kept", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, s, c := cancelEnv(t, mapping.StatusAuthorised)
			e.shop.AddOrder(cancelOrder(7001, c, 5))
			if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
				t.Fatalf("first export: %+v", sum)
			}
			before := e.invoicesNumbered("OC-7001")
			if len(before) != 1 || before[0].Status != "PAID" || before[0].Contact == nil {
				t.Fatalf("the invoice: %+v", before)
			}
			contact := before[0].Contact.ContactID
			rec := e.invoiceRecord("7001")
			if rec.Contact != mapping.CustomerKey(c) {
				t.Fatalf("the invoice's record keeps the contact %q, want %q", rec.Contact, mapping.CustomerKey(c))
			}
			if tc.older {
				rec.Contact = ""
				if _, err := e.hist.SaveRecord(context.Background(), rec); err != nil {
					t.Fatal(err)
				}
			}

			e.shop.DeleteCustomer(c)
			e.sandbox.ResetCounters()
			sum := e.run(s, export.Request{Scope: export.ScopeAll})
			if sum.Failed != 0 || e.writes() != 0 {
				t.Fatalf("the run after the customer was deleted: %+v, calls %v", sum, e.sandbox.Calls())
			}
			after := e.invoicesNumbered("OC-7001")
			if len(after) != 1 || after[0].Contact == nil || after[0].Contact.ContactID != contact || after[0].Status != "PAID" {
				t.Fatalf("the invoice moved: %+v", after)
			}
			for _, kind := range []string{history.KindInvoice, history.KindPayment} {
				if r, err := e.hist.RecordFor(context.Background(), kind, "7001"); err != nil || r.State != history.StateExported {
					t.Fatalf("the %s record: %+v, %v", kind, r, err)
				}
			}
			if got := e.invoiceRecord("7001").Contact; got != mapping.CustomerKey(c) {
				t.Fatalf("the invoice's record keeps the contact %q, want %q", got, mapping.CustomerKey(c))
			}
			// Credit notes go to the invoice's contact (creditnotes.go
			// calls documentContact).
			got, err := export.DocumentContact(context.Background(), export.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s}, 7001)
			if err != nil || got != contact {
				t.Fatalf("the order's documents go to %q (%v), want the invoice's contact %s", got, err, contact)
			}
			if again := e.rerunSendsNothing(s); again.Failed != 0 {
				t.Fatalf("a run later: %+v", again)
			}
		})
	}
}
