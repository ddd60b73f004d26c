package export_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// virtualClock is Xero's time for a throughput run: everything the
// program does takes its real time, but a wait for a rate limit takes no
// real time and moves the clock on instead. The sandbox (Options.Now) and
// the client (Options.Clock) both read it, so the sandbox enforces Xero's
// real limits (5 at once, 60 a minute, the day) in this time.
type virtualClock struct {
	mu        sync.Mutex
	realStart time.Time
	start     time.Time
	skipped   time.Duration // time jumped over by waits
}

func newVirtualClock() *virtualClock {
	now := time.Now()
	return &virtualClock{realStart: now, start: now}
}

// Now is the start plus the real time elapsed plus the waits.
func (c *virtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.start.Add(time.Since(c.realStart) + c.skipped)
}

// Sleep moves the clock on by d and returns at once. The engine sends one
// batch at a time, so waits never overlap and adding them is exact; were
// they to overlap, the figure would come out lower, never higher.
func (c *virtualClock) Sleep(ctx context.Context, d time.Duration) error {
	if d > 0 {
		c.mu.Lock()
		c.skipped += d
		c.mu.Unlock()
	}
	return ctx.Err()
}

// waited is the Xero time spent waiting for limits so far.
func (c *virtualClock) waited() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.skipped
}

// newVirtualEnv is a shop, a sandbox enforcing Xero's limits in virtual
// time, and a client on the same clock.
func newVirtualEnv(b *testing.B, clock *virtualClock, dayLimit int) *env {
	quiet := func(string, ...any) {} // thousands of requests: not logged
	e := newEnvB(b, opencart.Family40, xerotest.Options{TimeScale: 1, Now: clock.Now, DayLimit: dayLimit, Logf: quiet})
	tok, err := e.sandbox.Connect("engine-test", "")
	if err != nil {
		b.Fatal(err)
	}
	ts := &xero.FileStore{Path: filepath.Join(b.TempDir(), "token.json")}
	if err := ts.Save(context.Background(), &xero.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken,
		Expiry: clock.Now().Add(time.Duration(tok.ExpiresIn) * time.Second), Issuer: e.sandbox.URL}); err != nil {
		b.Fatal(err)
	}
	if e.client, err = xero.New(xero.Options{ClientID: "engine-test", BaseURL: e.sandbox.URL, TenantID: tenant, Store: ts, Clock: clock}); err != nil {
		b.Fatal(err)
	}
	return e
}

// fillMinute makes 60 calls so that the run starts with Xero's minute
// window full: the figure is the steady rate, not a first-minute burst.
func fillMinute(b *testing.B, e *env, clock *virtualClock) {
	_ = clock.Sleep(context.Background(), 62*time.Second) // empty the window first
	for range xero.MaxPerMinute {
		if _, err := e.client.Organisation(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOrdersPerMinute exports OCX_BENCH_ORDERS (default 5,000) new
// orders, each by a new customer (draft invoices, as BenchmarkExportCalls),
// against the sandbox enforcing Xero's per-organisation limits in virtual
// time (see virtualClock), starting with the minute window full. It reports
// orders per Xero minute, and the Xero time split into waiting for limits
// and the program's own work (real time).
func BenchmarkOrdersPerMinute(b *testing.B) {
	n := benchOrders(5000)
	for b.Loop() {
		clock := newVirtualClock()
		e := newVirtualEnv(b, clock, 0)
		for first := 0; first < n; first += 5000 {
			addNewCustomerOrders(e, 600001+first, min(5000, n-first))
		}
		s := e.settings(mapping.StatusDraft)
		fillMinute(b, e, clock)
		e.sandbox.ResetCounters()
		realStart, xeroStart, waitStart := time.Now(), clock.Now(), clock.waited()
		sum := e.run(s, export.Request{Scope: export.ScopeAll})
		real, xeroTime, waited := time.Since(realStart), clock.Now().Sub(xeroStart), clock.waited()-waitStart
		if sum.Failed != 0 || sum.Exported != 2*n {
			b.Fatalf("summary %+v", sum)
		}
		calls := e.sandbox.Calls()
		total := report(b, "new", calls, n)
		perMin := float64(n) / xeroTime.Minutes()
		b.ReportMetric(perMin, "orders/xero-min")
		b.ReportMetric(waited.Seconds(), "wait-xero-s")
		b.ReportMetric(real.Seconds(), "work-real-s")
		b.Logf("%d orders with new customers: %d calls, Xero time %s = waiting for limits %s + own work %s: %.0f orders per minute; %s",
			n, total, xeroTime.Round(time.Second), waited.Round(time.Second), real.Round(time.Millisecond), perMin, format(calls))
	}
}

// BenchmarkOrdersPerDay is a Starter organisation (1,000 calls a day, 60
// a minute, in virtual time) with a backlog of OCX_BENCH_ORDERS (default
// 25,000, the target) new orders, each by a new customer (draft invoices).
// The day before, the settings are proposed and a run (with nothing to
// export yet) reads Xero's organisation, accounts, tax rates and
// currencies, as the shop's daily runs do; the next day one run goes until
// it is done or the day limit stops it, and the orders whose invoice
// reached Xero that day are counted. The run sends every new customer first, so a
// backlog larger than a day's capacity leaves fewer invoices: the figure
// holds for a backlog of about the day's capacity.
func BenchmarkOrdersPerDay(b *testing.B) {
	n := benchOrders(25000)
	for b.Loop() {
		clock := newVirtualClock()
		e := newVirtualEnv(b, clock, 1000)
		s := e.settings(mapping.StatusDraft)
		eng, err := export.New(export.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s, Now: clock.Now})
		if err != nil {
			b.Fatal(err)
		}
		if sum, err := eng.Run(context.Background(), export.Request{Scope: export.ScopeAll}); err != nil || !sum.ReferenceRead {
			b.Fatalf("the day before: %+v, %v", sum, err)
		}
		for first := 0; first < n; first += 5000 {
			addNewCustomerOrders(e, 700001+first, min(5000, n-first))
		}
		_ = clock.Sleep(context.Background(), 24*time.Hour+time.Minute) // the next day
		e.sandbox.ResetCounters()
		xeroStart, realStart := clock.Now(), time.Now()
		sum, runErr := eng.Run(context.Background(), export.Request{Scope: export.ScopeAll})
		var rl *xero.RateLimitError
		if runErr != nil && (!errors.As(runErr, &rl) || rl.Problem != xero.LimitDay) {
			b.Fatalf("the run stopped for another reason than the day limit: %+v, %v", sum, runErr)
		}
		recs, err := e.hist.Records(context.Background(), history.RecordFilter{Kind: history.KindInvoice})
		if err != nil {
			b.Fatal(err)
		}
		invoices := 0
		for _, r := range recs {
			if r.State == history.StateExported {
				invoices++
			}
		}
		if len(e.sandbox.Invoices(tenant)) != invoices {
			b.Fatalf("%d invoices in Xero, %d exported in the history", len(e.sandbox.Invoices(tenant)), invoices)
		}
		calls := e.sandbox.Calls()
		b.ReportMetric(float64(invoices), "orders/day")
		b.Logf("Starter organisation, backlog %d: %d orders exported in the day (%d calls: %s); Xero time %s, own work %s; the run ended with: %v",
			n, invoices, total(calls), format(calls), clock.Now().Sub(xeroStart).Round(time.Second), time.Since(realStart).Round(time.Millisecond), runErr)
	}
}

func total(calls map[string]int) int {
	n := 0
	for _, v := range calls {
		n += v
	}
	return n
}
