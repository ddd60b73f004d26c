package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
	"github.com/opencart-xero/opencart-xero/views"
)

// TestWindowUndoAndReconcile drives the real backend through the window:
// an export, its undo from History (the plan, then the confirmation), the
// Reconcile tab finding the undone orders missing, a new export, and the
// month reconciling clean with the orders back under suffixed numbers.
func TestWindowUndoAndReconcile(t *testing.T) {
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	simpleOrders(db, 5301, 3) // 1 March 2024
	dir := windowProfile(t, db, sb)
	live := func() []string {
		var out []string
		for _, inv := range sb.Invoices(xerotest.DefaultTenantID) {
			if inv.Status != "VOIDED" && inv.Status != "DELETED" {
				out = append(out, inv.InvoiceNumber)
			}
		}
		return out
	}
	g := openGUI(t, dir, views.TabOrders, nil)
	g.label("3 orders")
	g.tap("Export all new")
	g.label("Export finished")
	if n := len(live()); n != 3 {
		t.Fatalf("%d invoices after the export", n)
	}

	g.tab("History")
	g.label("Run 1: ")
	g.tap("Undo this run…")
	g.label("Undoing run 1 changes 3 documents in Xero")
	g.tap("Undo run 1")
	g.label("undid run 1: 3 documents undone")
	if l := live(); len(l) != 0 {
		t.Fatalf("live invoices after the undo: %v", l)
	}
	g.tap("Close")

	g.tab("Reconcile")
	month := find(g, func(*widget.SelectEntry) bool { return true })
	views.Sync(func() { month.SetText("2024-03") })
	g.tap("Reconcile")
	g.label("3 differences: 3 missing in xero")

	g.tab("Orders")
	g.tap("Export all new")
	g.waitFor("the second export", func() bool { return len(live()) == 3 })
	got := strings.Join(live(), " ")
	for _, n := range []string{"OC-5301-2", "OC-5302-2", "OC-5303-2"} {
		if !strings.Contains(got, n) {
			t.Fatalf("after the re-export Xero holds %s, not %s", got, n)
		}
	}
	g.waitFor("the second export to end", func() bool {
		runs, err := g.p.History.Runs(context.Background(), 1)
		return err == nil && len(runs) == 1 && runs[0].ID == 3 && runs[0].State == history.RunDone
	})
	g.tab("Reconcile")
	g.tap("Reconcile")
	g.label("OpenCart, the history and Xero agree.")
}
