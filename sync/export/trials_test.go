package export_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// Fault trials (docs/RELIABILITY.md): long, so they run only with
// OCX_TRIALS=1 (make trials). OCX_TRIAL_SEEDS sets how many seeds each
// trial is repeated with (default 3).

func trialsOnly(t *testing.T) {
	t.Helper()
	if os.Getenv("OCX_TRIALS") != "1" {
		t.Skip("a long trial; OCX_TRIALS=1 (make trials) runs it")
	}
}

func trialSeeds() []uint64 {
	n := 3
	if v, err := strconv.Atoi(os.Getenv("OCX_TRIAL_SEEDS")); err == nil && v > 0 {
		n = v
	}
	seeds := make([]uint64, n)
	for i := range seeds {
		seeds[i] = 20261125 + uint64(i)*7919
	}
	return seeds
}

// trialShop is what a trial's shop holds and Xero must end up with.
type trialShop struct {
	orders   []int // exported order ids
	paid     int   // orders with a payment
	refunded int   // orders with a credit note (and a refund payment)
}

const trialOrders = 160

// addTrialShop adds trialOrders orders, each by a new customer: every
// second one paid, every tenth refunded after being paid, the rest pending.
func addTrialShop(e *env, first int) trialShop {
	customers := make([]octest.Customer, trialOrders)
	for i := range customers {
		customers[i] = octest.Customer{FirstName: "Trial", LastName: strconv.Itoa(first + i), Email: fmt.Sprintf("t%d@example.com", first+i)}
	}
	ids := e.shop.AddCustomers(customers...)
	paidHistory := []octest.History{{StatusID: 1, DateAdded: octest.DefaultDate}, {StatusID: 5, DateAdded: octest.DefaultDate.Add(time.Hour)}}
	var shop trialShop
	orders := make([]octest.Order, trialOrders)
	for i := range orders {
		id := first + i
		status := 1
		switch {
		case i%10 == 9:
			status = 11
		case i%2 == 0:
			status = 5
		}
		o := vatOrder(id, ids[i], "Trial", strconv.Itoa(id), fmt.Sprintf("t%d@example.com", id), status,
			[]octest.Product{product("Widget", 2, "12.5000", "2.5000"), product("Gadget", 1, "7.9900", "1.5980")}, nil, "7.5980", "45.5880")
		switch status {
		case 5:
			o.History = paidHistory
			shop.paid++
		case 11:
			o.History = append(append([]octest.History{}, paidHistory...), octest.History{StatusID: 11, DateAdded: octest.DefaultDate.Add(48 * time.Hour)})
			shop.paid++
			shop.refunded++
		}
		orders[i] = o
		shop.orders = append(shop.orders, id)
	}
	e.shop.AddOrders(orders...)
	return shop
}

// checkXero fails the test when Xero holds a document twice or misses one.
func checkXero(t *testing.T, e *env, shop trialShop) {
	t.Helper()
	seen := map[string]int{}
	for _, inv := range e.sandbox.Invoices(tenant) {
		if inv.Status != "DELETED" && inv.Status != "VOIDED" {
			seen["invoice "+inv.InvoiceNumber]++
		}
	}
	for _, c := range e.sandbox.Contacts(tenant) {
		if c.ContactNumber != "" {
			seen["contact "+c.ContactNumber]++
		}
	}
	for _, cn := range e.sandbox.CreditNotes(tenant) {
		if cn.Status != "DELETED" && cn.Status != "VOIDED" {
			seen["credit note "+cn.CreditNoteNumber]++
		}
	}
	payments, refunds := 0, 0
	for _, p := range e.sandbox.Payments(tenant) {
		switch {
		case p.Status == "DELETED":
		case p.Invoice != nil:
			seen["payment of invoice "+p.Invoice.InvoiceID]++
			payments++
		case p.CreditNote != nil:
			seen["refund of credit note "+p.CreditNote.CreditNoteID]++
			refunds++
		}
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("DUPLICATE: %s is in Xero %d times", k, n)
		}
	}
	for _, id := range shop.orders {
		if seen["invoice OC-"+strconv.Itoa(id)] != 1 {
			t.Errorf("MISSING: order %d has no invoice", id)
		}
	}
	contacts := 0
	for k := range seen {
		if strings.HasPrefix(k, "contact ") {
			contacts++
		}
	}
	if contacts != len(shop.orders) || payments != shop.paid || refunds != shop.refunded ||
		len(e.sandbox.CreditNotes(tenant)) < shop.refunded {
		t.Errorf("Xero holds %d contacts, %d payments, %d refunds; want %d, %d, %d",
			contacts, payments, refunds, len(shop.orders), shop.paid, shop.refunded)
	}
}

// checkHistory fails when a record is left in any state but exported.
func checkHistory(t *testing.T, e *env) {
	t.Helper()
	recs, err := e.hist.Records(context.Background(), history.RecordFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.State != history.StateExported && r.State != history.StateSkipped {
			t.Errorf("history: %s %s left %s: %s", r.Kind, r.OpenCartID, r.State, r.Error)
		}
	}
}

// faultAt calls inject when the run has settled the given numbers of
// records; it is an export.Progress.
type faultAt struct {
	after  map[int64]bool
	inject func()
	seen   atomic.Int64
	mu     sync.Mutex
}

// newFaultAt injects n times, after random numbers of records in [1, max].
func newFaultAt(rng *rand.Rand, n, max int, inject func()) *faultAt {
	f := &faultAt{after: map[int64]bool{}, inject: inject}
	for len(f.after) < n {
		f.after[1+rng.Int64N(int64(max))] = true
	}
	return f
}

func (f *faultAt) Report(ev export.Event) {
	if ev.Record != nil && f.after[f.seen.Add(1)] {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.inject()
	}
}

// runWith runs one export with progress p and returns its summary and error.
func (e *env) runWith(s export.Settings, p export.Progress) (export.Summary, error) {
	eng, err := export.New(export.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s, Progress: p})
	if err != nil {
		e.t.Fatal(err)
	}
	return eng.Run(context.Background(), export.Request{Scope: export.ScopeAll})
}

// withClient replaces the engine's Xero client by one using hc, signed in
// afresh (the sandbox keeps its books).
func (e *env) withClient(hc *http.Client, scale float64) {
	e.t.Helper()
	tok, err := e.sandbox.Connect("engine-test", "")
	if err != nil {
		e.t.Fatal(err)
	}
	ts := &xero.FileStore{Path: filepath.Join(e.t.(*testing.T).TempDir(), "token.json")}
	if err := ts.Save(context.Background(), &xero.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken,
		Expiry: time.Now().Add(time.Duration(tok.ExpiresIn) * time.Second), Issuer: e.sandbox.URL}); err != nil {
		e.t.Fatal(err)
	}
	if e.client, err = xero.New(xero.Options{ClientID: "engine-test", BaseURL: e.sandbox.URL, TenantID: tenant, Store: ts,
		HTTPClient: hc, Clock: xero.ScaledClock(time.Time{}, scale)}); err != nil {
		e.t.Fatal(err)
	}
}

var trialPaths = []string{"/Contacts", "/Invoices", "/Payments", "/CreditNotes"}

// TestFaultTrials runs a full export (contacts, invoices, payments, credit
// notes and refunds of 160 orders) while the sandbox causes one kind of
// trouble at random points, then a clean run: Xero must hold every
// document exactly once and the history must show every record exported.
func TestFaultTrials(t *testing.T) {
	trialsOnly(t)
	kinds := []struct {
		name   string
		fault  func(rng *rand.Rand) xerotest.Fault
		faults int // how many times the trouble starts during a run
	}{
		{"response dropped after commit", func(rng *rand.Rand) xerotest.Fault {
			return xerotest.Fault{Method: "", Path: trialPaths[rng.IntN(4)], Kind: xerotest.FaultDropAfterCommit, Times: 1 + rng.IntN(3)}
		}, 4},
		{"500", func(rng *rand.Rand) xerotest.Fault {
			return xerotest.Fault{Path: trialPaths[rng.IntN(4)], Kind: xerotest.Fault500, Times: 1 + rng.IntN(6)}
		}, 4},
		{"503", func(rng *rand.Rand) xerotest.Fault {
			return xerotest.Fault{Path: trialPaths[rng.IntN(4)], Kind: xerotest.Fault503, Times: 1 + rng.IntN(6)}
		}, 4},
		{"slow beyond the client timeout", func(rng *rand.Rand) xerotest.Fault {
			return xerotest.Fault{Path: trialPaths[rng.IntN(4)], Kind: xerotest.FaultSlow, Delay: 400 * time.Millisecond, Times: 1 + rng.IntN(3)}
		}, 3},
		{"429 storm", func(rng *rand.Rand) xerotest.Fault {
			return xerotest.Fault{Kind: xerotest.Fault429, Times: 10 + rng.IntN(40)}
		}, 3},
		{"access token expiry mid-run", func(rng *rand.Rand) xerotest.Fault {
			paths := append([]string{"", ""}, trialPaths...) // "" = the next call, whatever it is
			return xerotest.Fault{Path: paths[rng.IntN(len(paths))], Kind: xerotest.FaultExpireToken}
		}, 3},
	}
	for _, k := range kinds {
		for _, seed := range trialSeeds() {
			t.Run(fmt.Sprintf("%s/seed %d", k.name, seed), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(seed, uint64(len(k.name))))
				e := newEnvB(t, opencart.Family40, xerotest.Options{TimeScale: 0.001})
				if k.name == "slow beyond the client timeout" {
					e.withClient(&http.Client{Timeout: 150 * time.Millisecond}, 0.001)
				}
				shop := addTrialShop(e, 100000+int(seed%1000)*1000)
				s := e.settings(mapping.StatusAuthorised)
				var injected []string
				p := newFaultAt(rng, k.faults, 3*trialOrders, func() {
					f := k.fault(rng)
					injected = append(injected, fmt.Sprintf("%s %s ×%d", f.Kind, f.Path, f.Times))
					e.sandbox.Inject(f)
				})
				// A run the trouble stopped is run again, still with trouble to
				// come, as a person would; then the trouble ends.
				for try := 1; try <= 6; try++ {
					sum, err := e.runWith(s, p)
					t.Logf("faulty run %d: %+v, err %v; injected so far %q, %d pending", try, sum, err, injected, e.sandbox.PendingFaults())
					if err == nil {
						break
					}
				}
				e.sandbox.ClearFaults()
				final, err := e.runWith(s, nil)
				if err != nil || final.Failed != 0 {
					e.events.dump(t)
					t.Fatalf("final clean run: %+v, %v", final, err)
				}
				checkXero(t, e, shop)
				checkHistory(t, e)
			})
		}
	}
}

// shiftedClock is the sandbox's clock, movable a day at a time.
type shiftedClock struct{ offset atomic.Int64 }

func (c *shiftedClock) now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// TestDayLimitTrial exports on an organisation allowed only a few calls
// a day: each run stops cleanly with the reset time, the next "day" goes
// on where it stopped, and in the end Xero holds every document once.
func TestDayLimitTrial(t *testing.T) {
	trialsOnly(t)
	for _, seed := range trialSeeds() {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 1))
			clock := &shiftedClock{}
			e := newEnvB(t, opencart.Family40, xerotest.Options{TimeScale: 0.001, Now: clock.now, DayLimit: 8 + rng.IntN(12)})
			shop := addTrialShop(e, 300000+int(seed%1000)*1000)
			s := e.settings(mapping.StatusAuthorised)
			days := 0
			for ; days < 60; days++ {
				clock.offset.Add(int64(25 * time.Hour)) // a new day in Xero
				sum, err := e.runWith(s, nil)
				if err == nil {
					t.Logf("day %d: finished, %+v", days+1, sum)
					break
				}
				var rl *xero.RateLimitError
				if !errors.As(err, &rl) || rl.Problem != xero.LimitDay || rl.Reset.IsZero() || !strings.Contains(err.Error(), "resets at") {
					t.Fatalf("day %d: the run did not stop on the day limit with the reset time: %v", days+1, err)
				}
				runs, _ := e.hist.Runs(context.Background(), 1)
				if len(runs) == 0 || runs[0].State != history.RunFailed || !strings.Contains(runs[0].Error, "resets at") {
					t.Fatalf("day %d: the run is recorded as %+v", days+1, runs)
				}
			}
			if days == 60 {
				t.Fatal("still not finished after 60 days")
			}
			checkXero(t, e, shop)
			checkHistory(t, e)
			t.Logf("%d days", days+1)
		})
	}
}

// TestShopConnectionKilledTrial kills the reader's MariaDB connections
// (KILL from another connection) at a random point of an export: the run
// stops with a clear error or carries on over a fresh connection, nothing
// is half-recorded, and the next run completes without duplicates.
func TestShopConnectionKilledTrial(t *testing.T) {
	trialsOnly(t)
	for _, seed := range trialSeeds() {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 2))
			e := newEnvB(t, opencart.Family40, xerotest.Options{TimeScale: 0.001})
			shop := addTrialShop(e, 500000+int(seed%1000)*1000)
			s := e.settings(mapping.StatusAuthorised)
			e.store.SetPageSize(20) // several reads per run
			// From a random record on, the shop's connections are killed every
			// 2 ms for 300 ms, so that some KILLs land in the middle of a read.
			var killed atomic.Int64
			var wg sync.WaitGroup
			p := newFaultAt(rng, 1, 3*trialOrders, func() {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for end := time.Now().Add(300 * time.Millisecond); time.Now().Before(end); time.Sleep(2 * time.Millisecond) {
						killed.Add(int64(killReaders(t, e.shop)))
					}
				}()
			})
			sum, err := e.runWith(s, p)
			wg.Wait()
			t.Logf("run with %d connections killed: %+v, %v", killed.Load(), sum, err)
			if killed.Load() == 0 {
				t.Fatal("no reader connection was found to kill")
			}
			if err != nil && !strings.Contains(err.Error(), "opencart") && !strings.Contains(err.Error(), "connection") {
				t.Errorf("unclear error: %v", err)
			}
			final, err := e.runWith(s, nil)
			if err != nil || final.Failed != 0 {
				t.Fatalf("final run: %+v, %v", final, err)
			}
			checkXero(t, e, shop)
			checkHistory(t, e)
		})
	}
}

// killReaders kills every connection to the shop's database but the one
// issuing the KILL, and returns how many it killed.
func killReaders(t *testing.T, db *octest.DB) int {
	ctx := context.Background()
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()", db.Name)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	for _, id := range ids {
		if _, err := conn.ExecContext(ctx, "KILL "+strconv.FormatInt(id, 10)); err != nil {
			t.Logf("KILL %d: %v", id, err)
		}
	}
	return len(ids)
}

// TestDiskFullTrial keeps the history on a 32 MB tmpfs (mount needs root)
// and fills the disk at a random point of an export: the run stops with
// the disk error, the history database stays intact (integrity_check),
// and once space is freed the next run completes without duplicates.
func TestDiskFullTrial(t *testing.T) {
	trialsOnly(t)
	for _, seed := range trialSeeds() {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 3))
			dir := t.TempDir()
			if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", dir).CombinedOutput(); err != nil {
				t.Skipf("cannot mount a small tmpfs here (needs root): %v %s", err, out)
			}
			e := newEnvB(t, opencart.Family40, xerotest.Options{TimeScale: 0.001})
			ctx := context.Background()
			e.hist.Close()
			var err error
			if e.hist, err = history.Open(ctx, filepath.Join(dir, "history.db")); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				e.hist.Close()
				if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
					t.Errorf("umount %s: %v %s", dir, err, out)
				}
			})
			shop := addTrialShop(e, 800000+int(seed%1000)*1000)
			s := e.settings(mapping.StatusAuthorised)
			filler := filepath.Join(dir, "filler")
			p := newFaultAt(rng, 1, 3*trialOrders, func() { fillDisk(t, filler) })
			sum, err := e.runWith(s, p)
			t.Logf("run on a full disk: %+v, %v", sum, err)
			if err == nil {
				t.Error("the run did not notice the full disk")
			} else if !strings.Contains(err.Error(), "full") {
				t.Errorf("unclear error on a full disk: %v", err)
			}
			if err := os.Remove(filler); err != nil {
				t.Fatal(err)
			}
			checkIntegrity(t, filepath.Join(dir, "history.db"))
			final, err := e.runWith(s, nil)
			if err != nil || final.Failed != 0 {
				e.events.dump(t)
				t.Fatalf("final run: %+v, %v", final, err)
			}
			checkXero(t, e, shop)
			checkHistory(t, e)
			checkIntegrity(t, filepath.Join(dir, "history.db"))
			out, _ := exec.Command("du", "-sh", dir).CombinedOutput()
			t.Logf("profile disk use at the end: %s", out)
		})
	}
}

// fillDisk writes path until the disk is full.
func fillDisk(t *testing.T, path string) {
	f, err := os.Create(path)
	if err != nil {
		t.Logf("filler: %v", err)
		return
	}
	defer f.Close()
	block := make([]byte, 4096)
	for {
		if _, err := f.Write(block); err != nil {
			return
		}
	}
}

// checkIntegrity runs SQLite's integrity check on the history database.
func checkIntegrity(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		t.Fatalf("history integrity: %q, %v", res, err)
	}
}
