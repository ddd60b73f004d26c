package reconcile_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/reconcile"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// callBudget is issue 13's budget: reading back 10,000 invoices costs at
// most 110 calls.
const callBudget = 110

// fillXero puts n approved OC- invoices of March 2024 in the sandbox.
func fillXero(tb testing.TB, e *env, n int) {
	tb.Helper()
	invs := make([]xero.Invoice, n)
	for i := range invs {
		invs[i] = xero.Invoice{Type: "ACCREC", InvoiceNumber: "OC-" + strconv.Itoa(100000+i), Contact: &xero.Contact{Name: "Bulk Buyer"},
			Date: xero.NewDate(2024, 3, 1+i%28), Status: xero.StatusAuthorised, LineAmountTypes: "Exclusive",
			LineItems: []xero.LineItem{{Description: "Mug", Quantity: xero.MustAmount("1"), UnitAmount: xero.MustAmount("10"), AccountCode: "200", TaxType: "OUTPUT2"}}}
	}
	res, err := e.client.CreateInvoices(context.Background(), invs, "")
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil {
			tb.Fatal(r.Err)
		}
	}
}

// TestReadBackBudget: a period of 10,000 invoices in Xero is read back
// within the budget (a thousand a call).
func TestReadBackBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 invoices")
	}
	e := newEnv(t)
	fillXero(t, e, 10_000)
	s := export.DefaultSettings()
	rep := e.reconcile(s, march, "")
	if rep.Invoices != 10_000 {
		t.Fatalf("read back %d invoices", rep.Invoices)
	}
	if rep.Calls > callBudget {
		t.Fatalf("%d calls to read back 10,000 invoices; the budget is %d", rep.Calls, callBudget)
	}
	// A thousand a call: the organisation, 10 pages of invoices, 1 of credit notes.
	if want := 1 + 10_000/xero.MaxPageSize + 1; rep.Calls != want {
		t.Fatalf("%d calls, want %d", rep.Calls, want)
	}
	t.Logf("10,000 invoices read back in %d calls", rep.Calls)
}

// BenchmarkReconcile10k reconciles a period of 10,000 invoices: calls per
// run are reported beside time and memory.
func BenchmarkReconcile10k(b *testing.B) {
	e := newEnv(b)
	fillXero(b, e, 10_000)
	s := export.DefaultSettings()
	calls := 0
	for b.Loop() {
		rep, err := reconcile.Run(context.Background(), reconcile.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s}, march)
		if err != nil {
			b.Fatal(err)
		}
		calls = rep.Calls
	}
	b.ReportMetric(float64(calls), "calls/op")
}
