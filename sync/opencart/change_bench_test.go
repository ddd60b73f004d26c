package opencart_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

// BenchmarkChangeDetection100k times, on the database's side (no delay),
// what a scheduled run with nothing new asks of a shop of 100,000 orders
// and 100,000 customers with an address each: the changed orders with the
// shop's clock, the customer checksums, and the count of orders in
// statuses the shop does not know. OPENCART_XERO_BENCH_ORDERS changes the
// count, OPENCART_XERO_BENCH_FAMILY the family (default 4.0).
//
//	go test -tags ci -run '^$' -bench ChangeDetection -benchtime 1x ./sync/opencart/
func BenchmarkChangeDetection100k(b *testing.B) {
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
	const chunk = 5000
	for first := 0; first < n; first += chunk {
		cs := make([]octest.Customer, min(chunk, n-first))
		for i := range cs {
			cs[i] = octest.Customer{FirstName: "Buyer", LastName: strconv.Itoa(first + i), Email: fmt.Sprintf("b%d@example.com", first+i),
				Addresses: []octest.Address{{FirstName: "Buyer", LastName: strconv.Itoa(first + i), Address1: "1 High Street",
					City: "Leeds", Postcode: "LS1 1AA", CountryID: 222}}}
		}
		db.AddCustomers(cs...)
	}
	b.Logf("generated %d orders and customers (%s) in %s", n, family, time.Since(start).Round(time.Millisecond))
	ctx := context.Background()
	r, err := opencart.Open(ctx, db.DSN, "oc_")
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Settings(ctx); err != nil {
		b.Fatal(err)
	}
	timed := func(what string, f func() error) {
		best := time.Duration(1 << 62)
		for range 3 {
			start := time.Now()
			if err := f(); err != nil {
				b.Fatalf("%s: %v", what, err)
			}
			best = min(best, time.Since(start))
		}
		fmt.Printf("%d orders: %s %s (best of 3)\n", n, what, best.Round(time.Millisecond))
		b.ReportMetric(float64(best.Microseconds())/1000, what+"-ms")
	}
	for b.Loop() {
		since := time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC) // nothing changed
		timed("changed-orders", func() error { _, err := r.ChangedOrders(ctx, opencart.ChangeFilter{Since: since}); return err })
		timed("customer-blocks", func() error { _, err := r.CustomerBlocks(ctx); return err })
		timed("unknown-statuses", func() error { _, err := r.UnknownStatuses(ctx); return err })
		timed("tax-places", func() error { _, err := r.TaxPlaces(ctx); return err })
	}
}
