package views

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/reconcile"
)

// fakeReport is a month with a voided invoice, an invoice whose total was
// edited in Xero and an order never exported.
func fakeReport() *reconcile.Report {
	return &reconcile.Report{TimeZone: "Europe/London", Orders: 3, Invoices: 3, Calls: 2,
		TaxNames: map[string]string{"OUTPUT2": "20% (VAT on Income)"},
		Totals: []reconcile.Totals{{Currency: "GBP",
			Sales: reconcile.Figure{OpenCart: decimal.NewFromInt(60), Xero: decimal.NewFromInt(51)},
			VAT:   map[string]reconcile.Figure{"OUTPUT2": {OpenCart: decimal.NewFromInt(10), Xero: decimal.NewFromInt(8)}}}},
		Differences: []reconcile.Difference{
			{Kind: "invoice", OpenCartID: "1", Number: "OC-1", Problem: reconcile.VoidedInXero, OpenCartTotal: "10.00", XeroTotal: "10.00", Currency: "GBP", Detail: "voided in Xero", XeroID: "x1"},
			{Kind: "invoice", OpenCartID: "2", Number: "OC-2", Problem: reconcile.TotalDiffers, OpenCartTotal: "20.00", XeroTotal: "21.00", Currency: "GBP", Detail: "OpenCart shows 20.00, Xero 21.00", XeroID: "x2"},
			{Kind: "invoice", OpenCartID: "3", Number: "OC-3", Problem: reconcile.MissingInXero, OpenCartTotal: "30.00", Currency: "GBP", Detail: "never exported"},
		}}
}

// enabled reports which of the remedy buttons can be pressed; inside Sync.
func (s *reconcileScreen) enabled() string {
	var out []string
	for _, b := range []*widget.Button{s.resend, s.open, s.accept} {
		if !b.Disabled() {
			out = append(out, b.Text)
		}
	}
	return strings.Join(out, ", ")
}

// TestReconcileTab: the month is reconciled through the backend, the
// totals and differences are shown, each difference offers the engine's
// remedies, and none is applied unless the person confirms.
func TestReconcileTab(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	be.report = fakeReport()
	w := openWindow(t, be, TabReconcile)
	s := w.u.reconcile
	Sync(func() {
		if s.enabled() != "" || !s.csvBtn.Disabled() {
			t.Errorf("before a reconciliation: remedies %q, CSV enabled %v", s.enabled(), !s.csvBtn.Disabled())
		}
	})
	w.tap("Reconcile")
	w.waitFor("the report", func() bool { return s.rep != nil && strings.Contains(s.status.Text, "3 differences") })
	Sync(func() {
		want, _ := reconcile.ParseMonth(s.month.Text)
		if s.rep.Period != want || len(s.totals) != 6 || s.totals[0][1] != "Sales" || s.totals[0][4] != "-9.00" || s.totals[1][1] != "VAT 20% (VAT on Income)" {
			t.Errorf("period %v (want %v), totals %v", s.rep.Period, want, s.totals)
		}
		if s.enabled() != "" {
			t.Errorf("remedies with nothing chosen: %q", s.enabled())
		}
		s.diffTab.Select(widget.TableCellID{Row: 2, Col: 0})
		if s.enabled() != "" {
			t.Errorf("remedies of an order never exported: %q", s.enabled())
		}
		s.diffTab.Select(widget.TableCellID{Row: 0, Col: 0})
		if s.enabled() != "Re-send…, Open in Xero, Accept Xero's version…" {
			t.Errorf("remedies of a voided invoice: %q", s.enabled())
		}
	})

	w.tap("Re-send…")
	w.waitFor("the confirmation", func() bool { return w.hasLabel("sends it again, under a new number (Xero keeps OC-1)") })
	w.tap("No")
	w.tap("Re-send…")
	w.tap("Yes")
	w.waitFor("the re-send", func() bool { return strings.Contains(s.detail.Text, "marked to be sent again") })
	w.tap("Open in Xero")
	w.waitFor("the link", func() bool { return be.count("ApplyRemedy") == 2 })

	Sync(func() { s.diffTab.Select(widget.TableCellID{Row: 1, Col: 0}) })
	w.tap("Accept Xero's version…")
	w.tap("Yes")
	w.waitFor("the accepted difference gone", func() bool {
		return len(s.rep.Differences) == 2 && strings.Contains(s.status.Text, "1 accepted earlier not shown")
	})
	be.locked(func() {
		if want := []string{"resend OC-1", "open OC-1", "accept OC-2"}; !slices.Equal(be.applied, want) {
			t.Errorf("remedies applied %v, want %v", be.applied, want)
		}
	})
}

// TestReconcileTabStaysLightWith100000Differences: the differences are a
// virtual table: a month of 100,000 differences is shown at once and
// builds cells only for the rows on screen.
func TestReconcileTabStaysLightWith100000Differences(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	rep := fakeReport()
	rep.Differences = make([]reconcile.Difference, 100_000)
	for i := range rep.Differences {
		rep.Differences[i] = reconcile.Difference{Kind: "invoice", OpenCartID: fmt.Sprint(i + 1), Number: fmt.Sprintf("OC-%d", i+1),
			Problem: reconcile.TotalDiffers, OpenCartTotal: "1.00", XeroTotal: "2.00", Currency: "GBP", Detail: "OpenCart shows 1.00, Xero 2.00", XeroID: fmt.Sprint("x", i)}
	}
	be.report = rep
	w := openWindow(t, be, TabReconcile)
	s := w.u.reconcile
	start := time.Now()
	w.tap("Reconcile")
	w.waitFor("the report", func() bool { return s.rep != nil && strings.Contains(s.status.Text, "100,000 differences") })
	took := time.Since(start)
	var labels int
	Sync(func() {
		s.diffTab.ScrollToBottom()
		for _, o := range w.objects() {
			if _, ok := o.(*widget.Label); ok {
				labels++
			}
		}
	})
	if labels > 2000 {
		t.Fatalf("%d labels on screen for 100,000 differences: the table is not virtual", labels)
	}
	if took > 5*time.Second {
		t.Fatalf("showing 100,000 differences took %v", took)
	}
	t.Logf("100,000 differences shown in %v with %d labels on screen", took, labels)
}

// TestHistoryUndo: "Undo this run…" shows the plan from a dry run; Cancel
// changes nothing; confirming undoes the run and shows the outcome.
func TestHistoryUndo(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	items := []export.UndoItem{
		{Kind: "invoice", OpenCartID: "2", Number: "OC-2", Currency: "GBP", Total: "20.00", XeroStatus: "AUTHORISED", Action: export.UndoVoid},
		{Kind: "invoice", OpenCartID: "5", Number: "OC-5", Currency: "GBP", Total: "50.00", XeroStatus: "PAID", Action: export.UndoLeave, Why: "it was paid in Xero since (GBP 50.00 on 2026-11-03)"},
	}
	be.undoPlan = export.UndoResult{Undone: 1, LeftAlone: 1, Items: items}
	done := slices.Clone(items)
	done[0].Done = true
	be.undoDone = export.UndoResult{UndoRunID: 3, Undone: 1, LeftAlone: 1, Items: done}
	w := openWindow(t, be, TabHistory)
	h := w.u.history
	w.waitFor("the newest run", func() bool { return h.chosen == 2 && len(h.records) == 3 })

	w.tap("Undo this run…")
	w.waitFor("the plan", func() bool {
		return w.hasLabel("Undoing run 2 changes 1 document in Xero and leaves 1 alone") &&
			w.hasLabel("invoice OC-2 (order 2, GBP 20.00, Awaiting Payment in Xero): void") &&
			w.hasLabel("leave alone — it was paid in Xero since")
	})
	w.tap("Cancel")
	w.waitFor("the refusal", func() bool { return h.detail.Text == "Run 2 was not undone." })
	be.locked(func() {
		if !slices.Equal(be.undos, []string{"2 true"}) {
			t.Errorf("undo calls %v, want only the dry run", be.undos)
		}
	})

	w.tap("Undo this run…")
	w.tap("Undo run 2")
	w.waitFor("the outcome", func() bool {
		return w.hasLabel("Run 3 undid run 2: 1 document undone, 1 left alone") && w.hasLabel("void — done")
	})
	be.locked(func() {
		if !slices.Equal(be.undos, []string{"2 true", "2 true", "2 false"}) {
			t.Errorf("undo calls %v", be.undos)
		}
	})
}
