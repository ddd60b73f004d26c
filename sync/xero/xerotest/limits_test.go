package xerotest_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

func TestMinuteLimit(t *testing.T) {
	clk := &clock{now: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	_, c := start(t, xerotest.Options{MinuteLimit: 3, TimeScale: 0.001, Now: clk.Now})
	for i, want := range []string{"2", "1", "0"} {
		r := c.call("GET", "/Organisation", nil).must(t, http.StatusOK)
		if got := r.Header.Get("X-MinLimit-Remaining"); got != want {
			t.Fatalf("call %d: X-MinLimit-Remaining %q, want %q", i+1, got, want)
		}
		if r.Header.Get("X-DayLimit-Remaining") != strconv.Itoa(4999-i) || r.Header.Get("X-AppMinLimit-Remaining") == "" {
			t.Fatalf("call %d: day/app headers %v", i+1, r.Header)
		}
	}
	r := c.call("GET", "/Organisation", nil).must(t, http.StatusTooManyRequests)
	// The scaled minute is 60 ms: Retry-After rounds it up to 1 second.
	if r.Header.Get("X-Rate-Limit-Problem") != "minute" || r.Header.Get("Retry-After") != "1" || r.Header.Get("X-Sandbox-Retry-After-Ms") != "60" {
		t.Fatalf("429 headers %v", r.Header)
	}
	clk.Add(30 * time.Millisecond)
	if r := c.call("GET", "/Organisation", nil).must(t, http.StatusTooManyRequests); r.Header.Get("X-Sandbox-Retry-After-Ms") != "30" {
		t.Fatalf("X-Sandbox-Retry-After-Ms %q after 30 ms, want 30", r.Header.Get("X-Sandbox-Retry-After-Ms"))
	}
	clk.Add(31 * time.Millisecond)
	c.call("GET", "/Organisation", nil).must(t, http.StatusOK)
}

func TestMinuteLimitRealTime(t *testing.T) {
	_, c := start(t, xerotest.Options{MinuteLimit: 2, TimeScale: 0.01}) // a minute is 600 ms
	c.call("GET", "/Organisation", nil).must(t, http.StatusOK)
	c.call("GET", "/Organisation", nil).must(t, http.StatusOK)
	r := c.call("GET", "/Organisation", nil)
	if r.Status != http.StatusTooManyRequests {
		t.Skipf("the machine was too slow to make 3 calls within 600 ms (status %d)", r.Status)
	}
	ms, err := strconv.Atoi(r.Header.Get("X-Sandbox-Retry-After-Ms"))
	if err != nil || ms <= 0 || ms > 600 {
		t.Fatalf("X-Sandbox-Retry-After-Ms %q", r.Header.Get("X-Sandbox-Retry-After-Ms"))
	}
	time.Sleep(time.Duration(ms+5) * time.Millisecond)
	c.call("GET", "/Organisation", nil).must(t, http.StatusOK)
}

func TestMinuteLimitUnscaled(t *testing.T) {
	clk := &clock{now: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	_, c := start(t, xerotest.Options{MinuteLimit: 1, Now: clk.Now})
	c.call("GET", "/Organisation", nil).must(t, http.StatusOK)
	clk.Add(15 * time.Second)
	r := c.call("GET", "/Organisation", nil).must(t, http.StatusTooManyRequests)
	if r.Header.Get("Retry-After") != "45" {
		t.Fatalf("Retry-After %q, want 45", r.Header.Get("Retry-After"))
	}
}

func TestDayLimit(t *testing.T) {
	_, c := start(t, xerotest.Options{DayLimit: 2})
	c.call("GET", "/Organisation", nil).must(t, http.StatusOK)
	if r := c.call("GET", "/Organisation", nil).must(t, http.StatusOK); r.Header.Get("X-DayLimit-Remaining") != "0" {
		t.Fatalf("X-DayLimit-Remaining %q", r.Header.Get("X-DayLimit-Remaining"))
	}
	r := c.call("GET", "/Organisation", nil).must(t, http.StatusTooManyRequests)
	if r.Header.Get("X-Rate-Limit-Problem") != "day" {
		t.Fatalf("headers %v", r.Header)
	}
	if secs, _ := strconv.Atoi(r.Header.Get("Retry-After")); secs < 86000 || secs > 86400 {
		t.Fatalf("Retry-After %q, want about a day", r.Header.Get("Retry-After"))
	}
}

func TestConcurrencyLimit(t *testing.T) {
	s, c := start(t, xerotest.Options{})
	s.Inject(xerotest.Fault{Method: "GET", Path: "/Organisation", Kind: xerotest.FaultSlow, Delay: 400 * time.Millisecond, Times: 5})
	statuses := make([]int, 5)
	done := make(chan struct{})
	go func() {
		concurrently(5, func(i int) { statuses[i] = c.call("GET", "/Organisation", nil).Status })
		close(done)
	}()
	for deadline := time.Now().Add(5 * time.Second); s.InFlight(c.tenant) < 5; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d calls in flight", s.InFlight(c.tenant))
		}
	}
	r := c.call("GET", "/Accounts", nil).must(t, http.StatusTooManyRequests)
	if r.Header.Get("X-Rate-Limit-Problem") != "concurrent" || r.Header.Get("Retry-After") == "" {
		t.Fatalf("headers %v", r.Header)
	}
	<-done
	for i, st := range statuses {
		if st != http.StatusOK {
			t.Fatalf("slow call %d: %d", i, st)
		}
	}
	c.call("GET", "/Accounts", nil).must(t, http.StatusOK)
}
