package xerotest_test

import (
	"net/http"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
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

// TestMinuteLimitRealTime: on the sandbox's own clock (time.Now, the
// bubble's fake clock here) a refused call is told to wait exactly until
// the scaled minute of the oldest call ends, and a call then is admitted,
// not a nanosecond sooner.
func TestMinuteLimitRealTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, c := startInProcess(t, xerotest.Options{MinuteLimit: 2, TimeScale: 0.01}) // a minute is 600 ms
		c.call("GET", "/Organisation", nil).must(t, http.StatusOK)
		c.call("GET", "/Organisation", nil).must(t, http.StatusOK)
		r := c.call("GET", "/Organisation", nil).must(t, http.StatusTooManyRequests)
		if r.Header.Get("X-Sandbox-Retry-After-Ms") != "600" || r.Header.Get("Retry-After") != "1" || r.Header.Get("X-Rate-Limit-Problem") != "minute" {
			t.Fatalf("429 headers %v, want a wait of 600 ms (Retry-After 1)", r.Header)
		}
		time.Sleep(600*time.Millisecond - time.Nanosecond)
		c.call("GET", "/Organisation", nil).must(t, http.StatusTooManyRequests)
		time.Sleep(time.Nanosecond)
		c.call("GET", "/Organisation", nil).must(t, http.StatusOK)
	})
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

// TestDayLimit: the day's calls run out, the refusal says the day ends in
// exactly 24 hours, and it does.
func TestDayLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// The access token outlives the day, so only the limit answers.
		_, c := startInProcess(t, xerotest.Options{DayLimit: 2, AccessTokenTTL: 25 * time.Hour})
		c.call("GET", "/Organisation", nil).must(t, http.StatusOK)
		if r := c.call("GET", "/Organisation", nil).must(t, http.StatusOK); r.Header.Get("X-DayLimit-Remaining") != "0" {
			t.Fatalf("X-DayLimit-Remaining %q", r.Header.Get("X-DayLimit-Remaining"))
		}
		r := c.call("GET", "/Organisation", nil).must(t, http.StatusTooManyRequests)
		if r.Header.Get("X-Rate-Limit-Problem") != "day" {
			t.Fatalf("headers %v", r.Header)
		}
		if got := r.Header.Get("Retry-After"); got != "86400" {
			t.Fatalf("Retry-After %q, want 86400 (a day)", got)
		}
		time.Sleep(24*time.Hour - time.Second)
		if r := c.call("GET", "/Organisation", nil).must(t, http.StatusTooManyRequests); r.Header.Get("Retry-After") != "1" {
			t.Fatalf("a second before the day ends: Retry-After %q, want 1", r.Header.Get("Retry-After"))
		}
		time.Sleep(time.Second)
		c.call("GET", "/Organisation", nil).must(t, http.StatusOK)
	})
}

// TestConcurrencyLimit: with five slow calls in flight a sixth is refused
// as concurrent; once they are answered, calls are admitted again.
func TestConcurrencyLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, c := startInProcess(t, xerotest.Options{})
		s.Inject(xerotest.Fault{Method: "GET", Path: "/Organisation", Kind: xerotest.FaultSlow, Delay: 400 * time.Millisecond, Times: 5})
		began := time.Now()
		statuses := make([]int, 5)
		var wg sync.WaitGroup
		for i := range statuses {
			wg.Go(func() { statuses[i] = c.call("GET", "/Organisation", nil).Status })
		}
		synctest.Wait() // every slow call now waits inside the sandbox, holding its slot
		// Errorf, not Fatalf, until the slow calls are answered: the bubble
		// must not end with them still waiting.
		if n := s.InFlight(c.tenant); n != 5 {
			t.Errorf("%d calls in flight, want 5", n)
		}
		r := c.call("GET", "/Accounts", nil)
		if r.Status != http.StatusTooManyRequests || r.Header.Get("X-Rate-Limit-Problem") != "concurrent" || r.Header.Get("Retry-After") != "1" {
			t.Errorf("a sixth call at once: status %d, headers %v; want 429, concurrent, Retry-After 1", r.Status, r.Header)
		}
		wg.Wait()
		if took := time.Since(began); took != 400*time.Millisecond {
			t.Fatalf("the slow calls were answered after %s, want 400ms", took)
		}
		for i, st := range statuses {
			if st != http.StatusOK {
				t.Fatalf("slow call %d: %d", i, st)
			}
		}
		if n := s.InFlight(c.tenant); n != 0 {
			t.Fatalf("%d calls still in flight", n)
		}
		c.call("GET", "/Accounts", nil).must(t, http.StatusOK)
	})
}
