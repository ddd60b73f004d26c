//go:build linux

package export_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
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

// BenchmarkExportScale is a real export (not a dry run) of
// OCX_BENCH_ORDERS (default 10,000) new orders, each by a new customer
// (draft invoices, as BenchmarkExportCalls), through the sandbox over
// HTTP, with Xero's rate limits out of the way: the sandbox's limits are
// set beyond reach and the client's own pacing (60 calls a minute) waits
// on a virtual clock that takes no real time. It measures the program's
// own work plus the sandbox's, not Xero's limits (BenchmarkOrdersPerMinute
// and BenchmarkOrdersPerDay do that).
//
// It reports the export's wall time, orders/s, Xero calls, the peak Go
// heap and the process's peak RSS during the export (VmHWM, reset just
// before through /proc/self/clear_refs; when that is not possible, the
// process's maximum since it started, getrusage ru_maxrss), then the time
// and calls of a second run with nothing changed. Run one size per process
// so the memory figures are its own:
//
//	OCX_BENCH_ORDERS=100000 go test -tags ci -run '^$' -bench ExportScale -benchtime 1x -timeout 60m ./sync/export/
//
// The sandbox runs in this process, so the memory figures include its
// books and request log. With OCX_BENCH_SANDBOX=process it runs in a
// process of its own (this test binary again, see TestScaleSandboxServer):
// the memory figures are then the exporting process's alone, and the
// sandbox's peak RSS is reported beside them. OCX_BENCH_HEAPPROFILE=file
// writes what is still held after the export (a pprof heap profile).
func BenchmarkExportScale(b *testing.B) {
	n := benchOrders(10000)
	own := os.Getenv("OCX_BENCH_SANDBOX") == "process"
	for b.Loop() {
		clock := newVirtualClock()
		var e *env
		var child *sandboxProcess
		if own {
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
		calls := newCallCount(e)
		runtime.GC()
		rssReset := resetPeakRSS()
		heap := watchHeap()

		start := time.Now()
		sum, err := eng.Run(context.Background(), export.Request{Scope: export.ScopeAll})
		wall := time.Since(start)
		peakHeap := heap.stop()
		rss, rssFrom := peakRSS(rssReset)
		if err != nil || sum.Failed != 0 || sum.Exported != 2*n {
			b.Fatalf("export of %d orders: %+v, %v", n, sum, err)
		}
		made, detail := calls.since()
		if path := os.Getenv("OCX_BENCH_HEAPPROFILE"); path != "" {
			writeHeapProfile(b, path)
		}
		if e.sandbox != nil {
			if got := len(e.sandbox.Invoices(tenant)); got != n {
				b.Fatalf("%d invoices in the sandbox, want %d", got, n)
			}
		}

		// A second run with nothing changed: nothing should be sent.
		calls = newCallCount(e)
		start = time.Now()
		again, err := eng.Run(context.Background(), export.Request{Scope: export.ScopeAll})
		rerun := time.Since(start)
		if err != nil || again.Exported != 0 || again.Failed != 0 {
			b.Fatalf("second run: %+v, %v", again, err)
		}
		rerunMade, rerunDetail := calls.since()

		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric(float64(n)/wall.Seconds(), "orders/s")
		b.ReportMetric(float64(made), "xero-calls")
		b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MB")
		b.ReportMetric(rss, "peak-RSS-MB")
		b.ReportMetric(rerun.Seconds(), "rerun-s")
		b.ReportMetric(float64(rerunMade), "rerun-xero-calls")
		where := "in this process"
		if child != nil {
			sandboxRSS := child.stop(b)
			b.ReportMetric(sandboxRSS, "sandbox-RSS-MB")
			where = fmt.Sprintf("in its own process, peak RSS %.0f MB", sandboxRSS)
		}
		b.Logf("%d new orders with new customers, rate limits off, sandbox %s: %s (%.0f orders/s), %d Xero calls (%s); peak Go heap %.0f MB, peak RSS %.0f MB (%s)",
			n, where, wall.Round(time.Millisecond), float64(n)/wall.Seconds(), made, detail, float64(peakHeap)/(1<<20), rss, rssFrom)
		b.Logf("second run, nothing changed: %s, %d unchanged, %d Xero calls (%s)", rerun.Round(time.Millisecond), again.Unchanged, rerunMade, rerunDetail)
	}
}

// callCount counts Accounting API calls from a starting point: by endpoint
// from the sandbox's counters when it runs in this process, else from the
// client's count of its HTTP exchanges.
type callCount struct {
	e      *env
	client int64
}

func newCallCount(e *env) callCount {
	if e.sandbox != nil {
		e.sandbox.ResetCounters()
	}
	return callCount{e: e, client: e.client.Calls()}
}

func (c callCount) since() (int, string) {
	if c.e.sandbox != nil {
		calls := c.e.sandbox.Calls()
		return apiCalls(calls), format(calls)
	}
	return int(c.e.client.Calls() - c.client), "counted by the client"
}

// writeHeapProfile writes the live heap after a collection.
func writeHeapProfile(b *testing.B, path string) {
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}

// newUnlimitedEnv is a shop, a sandbox whose rate limits cannot be reached
// and a client whose own pacing waits on clock (no real time).
func newUnlimitedEnv(b *testing.B, clock *virtualClock) *env {
	quiet := func(string, ...any) {} // thousands of requests: not logged
	e := newEnvB(b, opencart.Family40, xerotest.Options{TimeScale: 1, Now: clock.Now, Logf: quiet,
		DayLimit: 1 << 30, MinuteLimit: 1 << 30, AppMinuteLimit: 1 << 30})
	tok, err := e.sandbox.Connect("engine-test", "")
	if err != nil {
		b.Fatal(err)
	}
	e.client = unlimitedClient(b, clock, e.sandbox.URL, tok)
	return e
}

// unlimitedClient is a client of the sandbox at url, signed in with tok,
// whose own pacing waits on clock.
func unlimitedClient(b *testing.B, clock *virtualClock, url string, tok xerotest.Token) *xero.Client {
	ts := &xero.FileStore{Path: filepath.Join(b.TempDir(), "token.json")}
	if err := ts.Save(context.Background(), &xero.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken,
		Expiry: clock.Now().Add(time.Duration(tok.ExpiresIn) * time.Second), Issuer: url}); err != nil {
		b.Fatal(err)
	}
	c, err := xero.New(xero.Options{ClientID: "engine-test", BaseURL: url, TenantID: tenant, Store: ts, Clock: clock})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// newProcessEnv is a shop, a history and a client of the sandbox running
// in child (e.sandbox is nil).
func newProcessEnv(b *testing.B, clock *virtualClock, child *sandboxProcess) *env {
	ctx := context.Background()
	e := &env{t: b, shop: octest.NewDB(b, opencart.Family40, "oc_"), events: &eventLog{}}
	var err error
	if e.store, err = opencart.Open(ctx, e.shop.DSN, "oc_"); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.store.Close() })
	e.client = unlimitedClient(b, clock, child.url, child.token)
	if e.hist, err = history.Open(ctx, filepath.Join(b.TempDir(), "history.db")); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.hist.Close() })
	return e
}

// sandboxProcess is the sandbox running in a child process.
type sandboxProcess struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	url   string
	token xerotest.Token
}

// sandboxAddress is where the sandbox process listens, and a sign-in.
type sandboxAddress struct {
	URL   string
	Token xerotest.Token
}

// startSandboxProcess runs this test binary as a sandbox (see
// TestScaleSandboxServer) and reads its address and a token.
func startSandboxProcess(b *testing.B) *sandboxProcess {
	cmd := exec.Command(os.Args[0], "-test.run=^TestScaleSandboxServer$")
	cmd.Env = append(os.Environ(), "OCX_SCALE_SANDBOX=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	p := &sandboxProcess{cmd: cmd, stdin: stdin}
	b.Cleanup(func() {
		if p.stdin != nil {
			p.stdin.Close()
			_ = cmd.Wait()
		}
	})
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "SANDBOX "); ok {
			var a sandboxAddress
			if err := json.Unmarshal([]byte(rest), &a); err != nil {
				b.Fatalf("sandbox process: %v", err)
			}
			p.url, p.token = a.URL, a.Token
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			return p
		}
	}
	b.Fatalf("the sandbox process ended without its address: %v", sc.Err())
	return nil
}

// stop ends the sandbox process and returns its peak RSS in MB.
func (p *sandboxProcess) stop(b *testing.B) float64 {
	p.stdin.Close()
	p.stdin = nil
	if err := p.cmd.Wait(); err != nil {
		b.Fatalf("sandbox process: %v", err)
	}
	return float64(p.cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) / 1024 // KiB on Linux
}

// TestScaleSandboxServer is not a test of its own: BenchmarkExportScale
// (OCX_BENCH_SANDBOX=process) runs this test binary with
// OCX_SCALE_SANDBOX=1 to serve the sandbox, limits out of reach, from a
// process of its own. It writes one line "SANDBOX " and a sandboxAddress
// in JSON, and serves until its input closes.
func TestScaleSandboxServer(t *testing.T) {
	if os.Getenv("OCX_SCALE_SANDBOX") != "1" {
		t.Skip("the sandbox process of BenchmarkExportScale (OCX_BENCH_SANDBOX=process)")
	}
	s, err := xerotest.New(xerotest.Options{Logf: func(string, ...any) {}, DayLimit: 1 << 30, MinuteLimit: 1 << 30, AppMinuteLimit: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Connect("engine-test", "")
	if err != nil {
		t.Fatal(err)
	}
	line, err := json.Marshal(sandboxAddress{URL: "http://" + ln.Addr().String(), Token: tok})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("SANDBOX %s\n", line)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	if err := s.Serve(ctx, ln); err != nil {
		t.Fatal(err)
	}
}

// apiCalls counts the Accounting API calls (not sign-in and token calls).
func apiCalls(calls map[string]int) int {
	n := 0
	for k, v := range calls {
		if !strings.Contains(k, "/connect") {
			n += v
		}
	}
	return n
}

// heapWatch samples the live Go heap until stopped and keeps the peak.
type heapWatch struct {
	done chan struct{}
	wg   sync.WaitGroup
	peak uint64
}

func watchHeap() *heapWatch {
	h := &heapWatch{done: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() {
		metrics.Read(sample)
		h.peak = max(h.peak, sample[0].Value.Uint64())
	}
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			read()
			select {
			case <-h.done:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

// stop ends the sampling and returns the peak heap in bytes.
func (h *heapWatch) stop() uint64 {
	close(h.done)
	h.wg.Wait()
	return h.peak
}

// resetPeakRSS resets the process's peak resident memory (VmHWM) on Linux
// and reports whether it could.
func resetPeakRSS() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// peakRSS is the process's peak resident memory in MB: VmHWM since the
// reset when there was one, else ru_maxrss since the process started.
func peakRSS(reset bool) (float64, string) {
	if reset {
		if f, err := os.Open("/proc/self/status"); err == nil {
			defer f.Close()
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
					if kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB")); err == nil {
						return float64(kb) / 1024, "VmHWM during the export"
					}
				}
			}
		}
	}
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Maxrss) / 1024, "ru_maxrss since the process started"
}
