//go:build linux

package export_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/reconcile"
)

// BenchmarkReconcileScale reconciles a month of OCX_BENCH_ORDERS (default
// 10,000) orders, each exported first (draft invoices of new customers,
// as BenchmarkExportScale, with Xero's limits out of the way): the month's
// orders read from OpenCart, the history, and Xero's read-back compared
// document by document and in totals. It reports the wall time, the Xero
// calls, the peak Go heap and the process's peak RSS (the in-process
// in-process sandbox included, unless OCX_BENCH_SANDBOX=process runs it in a
// process of its own) of the first reconciliation, then the time and calls
// of a repeat one that asks Xero only for what changed (If-Modified-Since,
// the read-back kept in a cache file). One size per process:
//
//	OCX_BENCH_ORDERS=100000 go test -tags ci -run '^$' -bench ReconcileScale -benchtime 1x -timeout 60m ./sync/export/
func BenchmarkReconcileScale(b *testing.B) {
	n := benchOrders(10000)
	for b.Loop() {
		clock := newVirtualClock()
		var e *env
		var child *sandboxProcess
		if os.Getenv("OCX_BENCH_SANDBOX") == "process" {
			child = startSandboxProcess(b)
			e = newProcessEnv(b, clock, child)
		} else {
			e = newUnlimitedEnv(b, clock)
		}
		for first := 0; first < n; first += 5000 {
			addNewCustomerOrders(e, 800001+first, min(5000, n-first))
		}
		s := e.settings(mapping.StatusDraft)
		eng, err := export.New(export.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s})
		if err != nil {
			b.Fatal(err)
		}
		if sum, err := eng.Run(context.Background(), export.Request{Scope: export.ScopeAll}); err != nil || sum.Failed != 0 {
			b.Fatalf("export of %d orders: %+v, %v", n, sum, err)
		}
		cfg := reconcile.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s, CachePath: filepath.Join(b.TempDir(), "reconcile-cache.json")}
		march := reconcile.Month(2024, time.March)

		runtime.GC()
		rssReset := resetPeakRSS()
		heap := watchHeap()
		start := time.Now()
		rep, err := reconcile.Run(context.Background(), cfg, march)
		wall := time.Since(start)
		peakHeap := heap.stop()
		rss, rssFrom := peakRSS(rssReset)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Orders != n || rep.Invoices != n || len(rep.Differences) != 0 || !rep.Clean() {
			b.Fatalf("reconcile of %d orders: %d orders, %d invoices, %d differences", n, rep.Orders, rep.Invoices, len(rep.Differences))
		}

		start = time.Now()
		again, err := reconcile.Run(context.Background(), cfg, march)
		rerun := time.Since(start)
		if err != nil || len(again.Differences) != 0 {
			b.Fatalf("repeat reconcile: %v, %d differences", err, len(again.Differences))
		}

		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric(float64(rep.Calls), "xero-calls")
		b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MB")
		b.ReportMetric(rss, "peak-RSS-MB")
		b.ReportMetric(rerun.Seconds(), "rerun-s")
		b.ReportMetric(float64(again.Calls), "rerun-xero-calls")
		where := "the sandbox in this process"
		if child != nil {
			where = "the sandbox in a process of its own"
			child.stop(b)
		}
		b.Logf("%s; %d orders reconciled in %v with %d Xero calls (peak heap %.0f MB, peak RSS %.0f MB, %s); repeat %v with %d calls",
			where, n, wall.Round(time.Millisecond), rep.Calls, float64(peakHeap)/(1<<20), rss, rssFrom, rerun.Round(time.Millisecond), again.Calls)
	}
}
