package export_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// benchOrders is OCX_BENCH_ORDERS, or def.
func benchOrders(def int) int {
	if n, err := strconv.Atoi(os.Getenv("OCX_BENCH_ORDERS")); err == nil && n > 0 {
		return n
	}
	return def
}

// addNewCustomerOrders adds n orders, each by a new customer, in bulk.
func addNewCustomerOrders(e *env, first, n int) {
	customers := make([]octest.Customer, n)
	for i := range customers {
		customers[i] = octest.Customer{FirstName: "Buyer", LastName: strconv.Itoa(first + i), Email: fmt.Sprintf("b%d@example.com", first+i)}
	}
	ids := e.shop.AddCustomers(customers...)
	orders := make([]octest.Order, n)
	for i := range orders {
		orders[i] = vatOrder(first+i, ids[i], "Buyer", strconv.Itoa(first+i), fmt.Sprintf("b%d@example.com", first+i), 5,
			[]octest.Product{product("Widget", 2, "12.5000", "2.5000"), product("Gadget", 1, "7.9900", "1.5980")}, nil, "7.5980", "45.5880")
	}
	e.shop.AddOrders(orders...)
}

// BenchmarkExportCalls counts Xero calls, by endpoint, to export new
// orders with new customers (default 1,000; OCX_BENCH_ORDERS), then an
// incremental run where 10% of the orders changed.
func BenchmarkExportCalls(b *testing.B) {
	n := benchOrders(1000)
	for b.Loop() {
		e := newEnvB(b, opencart.Family40, xerotest.Options{TimeScale: 0.001})
		addNewCustomerOrders(e, 100001, n)
		s := e.settings(mapping.StatusDraft)
		e.sandbox.ResetCounters()
		start := time.Now()
		sum := e.run(s, export.Request{Scope: export.ScopeAll})
		took := time.Since(start)
		if sum.Failed != 0 {
			b.Fatalf("summary %+v", sum)
		}
		calls := e.sandbox.Calls()
		total := report(b, "new", calls, n)
		b.Logf("%d new orders with new customers: %d Xero calls (%.1f per 1,000), %s: %s", n, total, float64(total)*1000/float64(n), took.Round(time.Millisecond), format(calls))

		// 10% of the orders change.
		if _, err := e.shop.SQL.Exec("UPDATE oc_order_product SET name = 'Widget v2' WHERE order_id % 10 = 0 AND name = 'Widget'"); err != nil {
			b.Fatal(err)
		}
		e.sandbox.ResetCounters()
		sum = e.run(s, export.Request{Scope: export.ScopeAll})
		calls = e.sandbox.Calls()
		total = report(b, "incremental", calls, n)
		b.Logf("incremental run, 10%% changed: %d updated, %d Xero calls: %s", sum.Exported, total, format(calls))
	}
}

func report(b *testing.B, what string, calls map[string]int, n int) int {
	total := 0
	for k, v := range calls {
		if !strings.Contains(k, "/connect") {
			total += v
		}
	}
	b.ReportMetric(float64(total)*1000/float64(n), what+"-calls/1000orders")
	return total
}

func format(calls map[string]int) string {
	keys := make([]string, 0, len(calls))
	for k := range calls {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, calls[k])
	}
	return strings.Join(parts, ", ")
}

// BenchmarkDryRun times a dry run (read, map, check; nothing sent) over
// OCX_BENCH_ORDERS orders (default 10,000; the note reports 100,000).
func BenchmarkDryRun(b *testing.B) {
	n := benchOrders(10000)
	e := newEnvB(b, opencart.Family40, xerotest.Options{TimeScale: 0.001})
	for first := 0; first < n; first += 5000 {
		addNewCustomerOrders(e, 200001+first, min(5000, n-first))
	}
	s := e.settings(mapping.StatusDraft)
	for b.Loop() {
		eng, err := export.New(export.Config{Store: e.store, History: e.hist, Settings: s})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		sum, err := eng.Run(context.Background(), export.Request{Scope: export.ScopeOrders, DryRun: true})
		if err != nil || sum.Failed != 0 {
			b.Fatalf("%+v %v", sum, err)
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "orders/s")
		b.Logf("dry run of %d orders: %s", n, time.Since(start).Round(time.Millisecond))
	}
}
