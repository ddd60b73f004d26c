package export_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// Issue 12's call budget: reading what Xero holds before money is written
// costs reads only for invoices that need money this run, fifty a call;
// new orders cost none (the invoice's own answer says what is due); a
// record Xero keeps refusing stops costing calls.

// addPendingOrders adds n orders by new customers, not paid yet.
func addPendingOrders(e *env, first, n int) {
	customers := make([]octest.Customer, n)
	for i := range customers {
		customers[i] = octest.Customer{FirstName: "Buyer", LastName: strconv.Itoa(first + i), Email: fmt.Sprintf("b%d@example.com", first+i)}
	}
	ids := e.shop.AddCustomers(customers...)
	orders := make([]octest.Order, n)
	for i := range orders {
		orders[i] = vatOrder(first+i, ids[i], "Buyer", strconv.Itoa(first+i), fmt.Sprintf("b%d@example.com", first+i), 1,
			[]octest.Product{product("Widget", 2, "12.5000", "2.5000"), product("Gadget", 1, "7.9900", "1.5980")}, nil, "7.5980", "45.5880")
		orders[i].History = []octest.History{{StatusID: 1, DateAdded: octest.DefaultDate}}
	}
	e.shop.AddOrders(orders...)
}

// payAll marks orders first … first+n-1 paid (Complete) on day.
func payAll(e *env, first, n int, day time.Time) {
	e.shop.Exec("UPDATE `{prefix}order` SET order_status_id = 5 WHERE order_id BETWEEN ? AND ?", first, first+n-1)
	e.shop.Exec("INSERT INTO `{prefix}order_history` (order_id, order_status_id, notify, comment, date_added) "+
		"SELECT order_id, 5, 0, '', ? FROM `{prefix}order` WHERE order_id BETWEEN ? AND ?", day.Format(time.DateTime), first, first+n-1)
}

// moneyDay is the day's events on invoices already in Xero: every order is
// paid, and one in ten returns its gadget for a cash refund.
func moneyDay(e *env, first, n int) (payments, refunds int) {
	day := octest.DefaultDate.AddDate(0, 0, 1)
	payAll(e, first, n, day)
	action := e.shop.ReturnActionID("Refunded")
	for i := 0; i < n; i += 10 {
		id := first + i
		e.shop.AddReturn(octest.Return{OrderID: id, ProductID: 41, CustomerID: 0, FirstName: "Buyer", LastName: strconv.Itoa(id),
			Email: fmt.Sprintf("b%d@example.com", id), Product: "Gadget", Model: "M-Gadget", Quantity: 1, ReasonID: octest.ReturnReasonFaulty,
			ActionID: action, StatusID: octest.ReturnStatusPending, DateOrdered: octest.DefaultDate, DateAdded: day, DateModified: day})
		refunds++
	}
	return n, refunds
}

// BenchmarkMoneyCalls counts Xero calls per 1,000 orders (OCX_BENCH_ORDERS)
// for (a) new paid orders with approved invoices (each with its payment),
// (b) a day of payments and refunds on invoices already in Xero, and
// (c) runs with 10 records Xero refuses for a reason of the document.
func BenchmarkMoneyCalls(b *testing.B) {
	n := benchOrders(1000)
	for b.Loop() {
		// (a) New paid orders: no reads, the invoice's own answer says
		// what is due.
		e := newEnvB(b, opencart.Family40, xerotest.Options{TimeScale: 0.001})
		addNewCustomerOrders(e, 100001, n)
		s := e.settings(mapping.StatusAuthorised)
		e.sandbox.ResetCounters()
		if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
			b.Fatalf("new orders: %+v", sum)
		}
		calls := e.sandbox.Calls()
		total := report(b, "new-paid", calls, n)
		b.Logf("(a) %d new paid orders, approved invoices: %d calls (%.1f per 1,000): %s", n, total, float64(total)*1000/float64(n), format(calls))
		if calls["GET /Invoices"] != 0 {
			b.Fatalf("(a) new orders read %d invoices' state from Xero, want none", calls["GET /Invoices"])
		}

		// (b) A day of payments and refunds on existing invoices.
		e = newEnvB(b, opencart.Family40, xerotest.Options{TimeScale: 0.001})
		addPendingOrders(e, 300001, n)
		s = e.settings(mapping.StatusAuthorised)
		if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
			b.Fatalf("pending orders: %+v", sum)
		}
		pays, refunds := moneyDay(e, 300001, n)
		e.sandbox.ResetCounters()
		sum := e.run(s, export.Request{Scope: export.ScopeAll})
		if sum.Failed != 0 {
			b.Fatalf("money day: %+v", sum)
		}
		calls = e.sandbox.Calls()
		total = report(b, "money-day", calls, n)
		b.Logf("(b) a day of %d payments and %d cash refunds on invoices already in Xero: %d calls (%.1f per 1,000 orders): %s",
			pays, refunds, total, float64(total)*1000/float64(n), format(calls))
		if want := (n + 49) / 50; calls["GET /Invoices"] > want {
			b.Fatalf("(b) %d invoice reads, want at most %d (fifty a call, each invoice once)", calls["GET /Invoices"], want)
		}

		// (c) 10 records Xero refuses for a reason of the document, on a
		// profile that has run: three runs try them, then they wait.
		e = newEnvB(b, opencart.Family40, xerotest.Options{TimeScale: 0.001})
		addNewCustomerOrders(e, 500001, n)
		s = e.settings(mapping.StatusDraft)
		now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
		e.runAt(s, now, 0)
		for id := 600001; id < 600011; id++ {
			e.addVATOrder(id, "", "")
		}
		refuseInvoices(e)
		var perRun []int
		for k := 1; k <= 6; k++ {
			e.sandbox.ResetCounters()
			sum := e.runAt(s, now.Add(time.Duration(k)*5*time.Minute), 0)
			perRun = append(perRun, sum.APICalls)
			if k > 3 && (sum.APICalls != 0 || sum.Waiting != 10) {
				b.Fatalf("(c) run %d: %+v, calls %s", k, sum, format(e.sandbox.Calls()))
			}
		}
		b.ReportMetric(float64(perRun[5]), "stuck-run-calls")
		b.Logf("(c) %d orders exported and 10 refused by Xero for a reason of the document: calls per run %v (the records wait from the 4th run)", n, perRun)
	}
}
