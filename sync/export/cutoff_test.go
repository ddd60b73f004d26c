package export_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

// TestStartDateCutOffKeepsOlderOrdersOut: with export.since set, a full
// run (and its dry run, which the window's confirmation counts with) takes
// only orders placed from that day on — no invoice, payment or credit note
// for older ones — and counts what it took per kind.
func TestStartDateCutOffKeepsOlderOrdersOut(t *testing.T) {
	e := newEnv(t, opencart.Family30)
	c := e.shop.AddCustomer(octest.Customer{FirstName: "Ann", LastName: "Lee", Email: "ann@example.com"})
	at := func(id int, day time.Time) octest.Order {
		o := vatOrder(id, c, "Ann", "Lee", "ann@example.com", 5, []octest.Product{product("Spoon", 1, "10.0000", "2.0000")}, nil, "3.0000", "18.0000")
		o.DateAdded = day
		return o
	}
	cut := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	e.shop.AddOrders(
		at(4001, cut.Add(-time.Minute)), // 31 October, 23:59: before the cut-off
		at(4002, cut),                   // midnight on the day: taken
		at(4003, cut.Add(50*time.Hour)), // 3 November: taken
		at(4004, cut.AddDate(0, -6, 0)), // May: before
	)
	s := e.settings(mapping.StatusAuthorised)
	s.OrdersSince = cut

	eng, err := export.New(export.Config{Store: e.store, History: e.hist, Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	dry, err := eng.Run(context.Background(), export.Request{Scope: export.ScopeAll, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := export.KindsText(dry.ByKind); got != "2 invoices, 2 payments, 1 contact" {
		t.Errorf("dry run would export %q (%v)", got, dry.ByKind)
	}
	if !dry.OrdersFrom.Equal(cut) || !dry.OrdersTo.Equal(cut.Add(50*time.Hour)) {
		t.Errorf("dry run's order dates %v – %v", dry.OrdersFrom, dry.OrdersTo)
	}

	sum := e.run(s, export.Request{Scope: export.ScopeAll})
	if sum.Failed != 0 || sum.ByKind[history.KindInvoice] != 2 || sum.ByKind[history.KindPayment] != 2 {
		t.Fatalf("summary %+v", sum)
	}
	if n := len(e.sandbox.Invoices(tenant)); n != 2 {
		t.Fatalf("%d invoices in Xero, want 2", n)
	}
	for _, id := range []string{"4001", "4004"} {
		for _, kind := range []string{history.KindInvoice, history.KindPayment} {
			if rec, err := e.hist.RecordFor(context.Background(), kind, id); !errors.Is(err, history.ErrNotFound) {
				t.Errorf("order %s before the cut-off has a %s record %+v, %v", id, kind, rec, err)
			}
		}
	}
	// A run asking for an earlier range still stops at the cut-off.
	again := e.run(s, export.Request{Scope: export.ScopeOrders, Since: cut.AddDate(-1, 0, 0)})
	if again.Exported != 0 || again.Unchanged != 2 {
		t.Errorf("second run %+v", again)
	}
}

func TestExcludedSaysWhyInTheSettingsWords(t *testing.T) {
	s := export.DefaultSettings() // 7 Canceled is never exported
	s.OrdersSince = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	nov := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		statusID int
		status   string
		placed   time.Time
		want     string
	}{
		{"taken", 5, "Complete", nov, ""},
		{"cancelled", 7, "Canceled", nov, "Excluded: status Canceled — Settings › Which records export"},
		{"before the start date", 5, "Complete", nov.AddDate(0, -1, 0), "Excluded: placed before 2026-11-01, the export start date — Settings › Which records export › Export orders placed from"},
		{"unconfirmed checkout", 0, "", nov, "Excluded: an unconfirmed checkout (no order status), never exported"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.Excluded(tc.statusID, tc.status, tc.placed); got != tc.want {
				t.Errorf("Excluded = %q, want %q", got, tc.want)
			}
		})
	}
	if got := export.KindsText(map[string]int{history.KindInvoice: 12, history.KindCreditNote: 3, history.KindPayment: 9, history.KindContact: 5}); got != "12 invoices, 3 credit notes, 9 payments, 5 contacts" {
		t.Errorf("KindsText = %q", got)
	}
	if _, err := export.ParseSince("01/11/2026"); err == nil {
		t.Error("01/11/2026 accepted as a start date")
	}
}
