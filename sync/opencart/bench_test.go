package opencart_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

// BenchmarkReadOrders100k generates 100,000 orders (3 products, 5 total
// rows, an option and a history row each) into a throw-away database once,
// then streams them all. It reports queries, peak Go heap and the process's
// peak resident memory. OPENCART_XERO_BENCH_ORDERS changes the count,
// OPENCART_XERO_BENCH_FAMILY the family (3.0, 4.0, 4.1; default 4.0) and
// OPENCART_XERO_BENCH_PAGE the page size (default DefaultPageSize).
func BenchmarkReadOrders100k(b *testing.B) {
	n := 100000
	if v := os.Getenv("OPENCART_XERO_BENCH_ORDERS"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	family := opencart.Family40
	if v := os.Getenv("OPENCART_XERO_BENCH_FAMILY"); v != "" {
		family = opencart.Family(v)
	}
	db := octest.NewDB(b, family, "oc_")
	start := time.Now()
	generateOrders(db, n)
	b.Logf("generated %d orders (%s) in %s", n, family, time.Since(start).Round(time.Millisecond))

	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		runtime.GC()
		peak := sampleHeap()
		r, err := opencart.Open(ctx, db.DSN, "oc_")
		if err != nil {
			b.Fatal(err)
		}
		if v := os.Getenv("OPENCART_XERO_BENCH_PAGE"); v != "" {
			size, _ := strconv.Atoi(v)
			r.SetPageSize(size)
		}
		read, lines := 0, 0
		for o, err := range r.Orders(ctx, opencart.OrderFilter{}) {
			if err != nil {
				b.Fatal(err)
			}
			read++
			lines += len(o.Products) + len(o.Totals)
		}
		heap := peak()
		if read != n || lines != 8*n {
			b.Fatalf("read %d orders with %d lines, want %d and %d", read, lines, n, 8*n)
		}
		b.ReportMetric(float64(r.Queries()), "queries/op")
		// A list view deep in the orders, sorted by a column without an index.
		listStart := time.Now()
		page, err := r.OrderList(ctx, opencart.OrderFilter{Search: "c7@"}, opencart.ListOptions{Sort: opencart.SortTotal, Desc: true, Offset: n / 2 / 500, Limit: 50})
		if err != nil || len(page) == 0 {
			b.Fatalf("OrderList: %d orders, %v", len(page), err)
		}
		if _, err := r.OrderList(ctx, opencart.OrderFilter{}, opencart.ListOptions{Sort: opencart.SortDate, Offset: n / 2, Limit: 50}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(time.Since(listStart).Milliseconds())/2, "list-page-ms")
		b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
		r.Close()
	}
	b.StopTimer()
	if hwm := vmHWM(); hwm > 0 {
		b.ReportMetric(float64(hwm)/(1<<10), "VmHWM-MB")
	}
}

// generateOrders adds n orders in bulk, 2,000 per transaction.
func generateOrders(db *octest.DB, n int) {
	const chunk = 2000
	base := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	batch := make([]octest.Order, 0, chunk)
	for i := range n {
		batch = append(batch, octest.Order{
			StatusID: 1 + i%5, CustomerID: i % 500, FirstName: "Customer", LastName: strconv.Itoa(i % 500),
			Email: fmt.Sprintf("c%d@example.com", i%500), Comment: "Bulk & fast",
			PaymentMethod:  octest.Method{Title: "Bank Transfer", Code: "bank_transfer.bank_transfer"},
			ShippingMethod: octest.Method{Title: "Flat Shipping Rate", Code: "flat.flat", Cost: "5.00", TaxClassID: 9},
			DateAdded:      base.Add(time.Duration(i) * time.Minute),
			Products: []octest.Product{
				{ProductID: 40, Name: "iPhone", Model: "product 11", Quantity: 1, Price: "101.0000", Tax: "22.2000",
					Options: []octest.ProductOption{{Name: "Colour", Value: "Black", Type: "select"}}},
				{ProductID: 41, Name: "iMac", Model: "Product 14", Quantity: 2, Price: "100.0000", Tax: "22.0000"},
				{ProductID: 42, Name: "Apple Cinema 30\"", Model: "Product 15", Quantity: 1, Price: "90.0000", Tax: "20.0000"},
			},
			Totals: []octest.Total{
				octest.TotalRow("sub_total", "Sub-Total", "391.0000", 1),
				octest.TotalRow("shipping", "Flat Shipping Rate", "5.0000", 3),
				octest.TotalRow("tax", "Eco Tax (-2.00)", "10.0000", 5),
				octest.TotalRow("tax", "VAT (20%)", "79.2000", 5),
				octest.TotalRow("total", "Total", "485.2000", 9),
			},
		})
		if len(batch) == chunk || i == n-1 {
			db.AddOrders(batch...)
			batch = batch[:0]
		}
	}
}

// sampleHeap samples the live Go heap every few milliseconds until the
// returned function is called, which returns the highest value seen.
func sampleHeap() func() uint64 {
	var (
		mu   sync.Mutex
		peak uint64
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	read := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		mu.Lock()
		peak = max(peak, m.HeapInuse)
		mu.Unlock()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				read()
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		read()
		return peak
	}
}

// vmHWM is the process's peak resident memory in KiB (Linux), 0 elsewhere.
func vmHWM() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}
