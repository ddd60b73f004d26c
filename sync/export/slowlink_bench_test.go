//go:build linux

package export_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

// BenchmarkSlowLink measures what a run reads from the shop over a link
// with 0, 50 and 150 ms round trip (octest.SlowLink, between the reader
// and MariaDB): the first read of OCX_BENCH_ORDERS orders (default
// 10,000; a dry run of export all, which reads and maps everything and
// sends nothing), a scheduled run with nothing new after a complete real
// export (opening the shop included, as the app does for each run), and
// a grid page of 50 orders. Bytes are counted through the proxy.
//
//	go test -tags ci -run '^$' -bench SlowLink -benchtime 1x -timeout 60m ./sync/export/
func BenchmarkSlowLink(b *testing.B) {
	n := benchOrders(10000)
	for b.Loop() {
		clock := newVirtualClock()
		e := newUnlimitedEnv(b, clock)
		for first := 0; first < n; first += 5000 {
			addNewCustomerOrders(e, 800001+first, min(5000, n-first))
		}
		// A shop's orders come one after another: a minute apart here
		// (the builder dates them all the same day and time).
		e.shop.Exec("UPDATE `{prefix}order` SET date_added = ? + INTERVAL (order_id - 800001) MINUTE, date_modified = ? + INTERVAL (order_id - 800001) MINUTE",
			octest.DefaultDate.Format(time.DateTime), octest.DefaultDate.Format(time.DateTime))
		s := e.settings(mapping.StatusDraft)
		newEngine := func(store *opencart.Reader) *export.Engine {
			eng, err := export.New(export.Config{Store: store, Xero: e.client, History: e.hist, Settings: s, Incremental: true})
			if err != nil {
				b.Fatal(err)
			}
			return eng
		}
		// The complete export every later run starts from (no delay).
		start := time.Now()
		if sum, err := newEngine(e.store).Run(context.Background(), export.Request{Scope: export.ScopeAll}); err != nil || sum.Failed != 0 {
			b.Fatalf("export: %+v %v", sum, err)
		}
		b.Logf("%d orders exported (no delay) in %s", n, time.Since(start).Round(time.Millisecond))
		for _, rtt := range []time.Duration{0, 50 * time.Millisecond, 150 * time.Millisecond} {
			link := octest.NewSlowLink(b, rtt)
			ms := float64(rtt.Milliseconds())
			open := func() *opencart.Reader {
				r, err := opencart.Open(context.Background(), link.DSN(e.shop.DSN), "oc_")
				if err != nil {
					b.Fatal(err)
				}
				return r
			}

			// First read: everything, mapped, nothing sent (left out with
			// OCX_BENCH_QUIET_ONLY=1, e.g. on 100,000 orders).
			if os.Getenv("OCX_BENCH_QUIET_ONLY") != "1" {
				link.Reset()
				start := time.Now()
				store := open()
				sum, err := newEngine(store).Run(context.Background(), export.Request{Scope: export.ScopeAll, DryRun: true, Full: true})
				first := time.Since(start)
				if err != nil || !sum.FullRead {
					b.Fatalf("first read: %+v %v", sum, err)
				}
				queries, read := store.Queries(), link.BytesRead()
				store.Close()
				fmt.Printf("rtt %3.0f ms: first read of %d orders (dry run) %s, %d queries (%.1f per 1,000 orders), %.1f MB read\n",
					ms, n, first.Round(time.Millisecond), queries, float64(queries)*1000/float64(n), float64(read)/(1<<20))
				b.ReportMetric(first.Seconds(), "first-s-"+rtt.String())
			}

			// A scheduled run with nothing new, opening the shop first.

			link.Reset()
			start = time.Now()
			store := open()
			sum, err := newEngine(store).Run(context.Background(), export.Request{Scope: export.ScopeAll, Trigger: "scheduled"})
			quiet := time.Since(start)
			if err != nil || sum.FullRead || sum.Exported != 0 {
				b.Fatalf("quiet run: %+v %v", sum, err)
			}
			queries, read := store.Queries(), link.BytesRead()
			fmt.Printf("rtt %3.0f ms: quiet run on %d orders %s, %d queries, %d orders read again, %.1f KB read\n",
				ms, n, quiet.Round(time.Millisecond), queries, sum.ChangedOrders, float64(read)/1024)
			b.ReportMetric(quiet.Seconds(), "quiet-s-"+rtt.String())

			// A grid page (the reader already open, lookups read).
			for _, page := range []int{0, n/50/2 - 1} {
				start = time.Now()
				rows, err := store.OrderList(context.Background(), opencart.OrderFilter{}, opencart.ListOptions{Sort: opencart.SortID, Offset: page * 50, Limit: 50})
				if err != nil || len(rows) != 50 {
					b.Fatalf("grid page %d: %d rows, %v", page, len(rows), err)
				}
				fmt.Printf("rtt %3.0f ms: grid page %d of 50 orders %s\n", ms, page+1, time.Since(start).Round(time.Millisecond))
			}
			store.Close()
			link.Close()
		}
	}
}
