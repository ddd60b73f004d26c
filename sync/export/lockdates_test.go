package export_test

import (
	"context"
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

// TestLockDates: Xero's books are locked up to 31 March 2024. An order of
// 3 March is refused before sending, with a plain message on its record;
// with export.locked_period = first_open_day its invoice and payment are
// dated 1 April, with a note in the record's history. An order of 2 April
// goes as usual.
func TestLockDates(t *testing.T) {
	for _, policy := range []string{export.LockedRefuse, export.LockedFirstOpenDay} {
		t.Run(policy, func(t *testing.T) {
			e := newEnv(t, opencart.Family40)
			card := octest.Method{Title: "PayPal", Code: "pp_standard"}
			e.shop.AddOrder(methodOrder(3001, card, step(2, at(3, 3))))
			e.shop.AddOrder(methodOrder(3002, card, step(2, at(4, 2))))
			if err := e.sandbox.SetLockDates(tenant, xerotest.LockDates{Period: time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC)}); err != nil {
				t.Fatal(err)
			}
			s := e.settings(mapping.StatusAuthorised)
			s.LockedPeriod = policy
			e.run(s, export.Request{Scope: export.ScopeAll})
			invoices := map[string]xerotest.Invoice{}
			for _, inv := range e.sandbox.Invoices(tenant) {
				invoices[inv.InvoiceNumber] = inv
			}
			if inv, ok := invoices["OC-3002"]; !ok || inv.Date.Day() != 2 {
				t.Errorf("the order of 2 April: invoice %+v", inv.Date)
			}
			rec, err := e.hist.RecordFor(context.Background(), history.KindInvoice, "3001")
			if err != nil {
				t.Fatal(err)
			}
			if policy == export.LockedRefuse {
				want := "dated 3 March 2024, but Xero's books are locked up to 31 March 2024 (period lock date)"
				if _, sent := invoices["OC-3001"]; sent || rec.State != history.StateFailed || !strings.Contains(rec.Error, want) {
					t.Errorf("locked order: sent %v, record %s %q; want failed with %q", sent, rec.State, rec.Error, want)
				}
				return
			}
			inv, ok := invoices["OC-3001"]
			if !ok || rec.State != history.StateExported || inv.Date.Month() != time.April || inv.Date.Day() != 1 {
				t.Fatalf("locked order: record %s %q, invoice dated %v; want exported on 1 April", rec.State, rec.Error, inv.Date)
			}
			events, err := e.hist.Events(context.Background(), rec.ID)
			if err != nil {
				t.Fatal(err)
			}
			note := "dated 1 April 2024 instead of 3 March 2024: Xero's books are locked up to 31 March 2024"
			if !hasEvent(events, note) {
				t.Errorf("no note %q in the invoice's history: %+v", note, events)
			}
			// The audit trail dates the outcome, and the note on it, by the
			// document as sent.
			for _, ev := range events[len(events)-2:] {
				if ev.State != history.StateExported || ev.DocumentDate != "2024-04-01" {
					t.Errorf("the invoice's event %+v, want exported with the document date 2024-04-01", ev)
				}
			}
			p, ok := e.paymentsByInvoice()["OC-3001"]
			if !ok || p.Date.Month() != time.April || p.Date.Day() != 1 {
				t.Errorf("payment of the locked order: %+v", p.Date)
			}
		})
	}
}

func hasEvent(events []history.Event, text string) bool {
	for _, ev := range events {
		if strings.Contains(ev.Message, text) {
			return true
		}
	}
	return false
}
