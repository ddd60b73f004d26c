package xero

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestSplitBatch(t *testing.T) {
	small := func(n int) [][]byte {
		out := make([][]byte, n)
		for i := range out {
			out[i] = []byte(`{"Name":"x"}`)
		}
		return out
	}
	big := bytes.Repeat([]byte("a"), MaxRequestBytes/3)
	huge := bytes.Repeat([]byte("a"), MaxRequestBytes)
	tests := []struct {
		name string
		raws [][]byte
		want []chunk
	}{
		{"empty", nil, nil},
		{"one", small(1), []chunk{{0, 1, false}}},
		{"fifty", small(50), []chunk{{0, 50, false}}},
		{"fifty one", small(51), []chunk{{0, 50, false}, {50, 51, false}}},
		{"one hundred twenty", small(120), []chunk{{0, 50, false}, {50, 100, false}, {100, 120, false}}},
		{"by size", [][]byte{big, big, big, big}, []chunk{{0, 2, false}, {2, 4, false}}},
		{"too big alone", [][]byte{[]byte("{}"), huge, []byte("{}")}, []chunk{{0, 1, false}, {1, 2, true}, {2, 3, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitBatch(tt.raws, len("Invoices"))
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
				if !got[i].tooBig {
					if n := len(envelope("Invoices", tt.raws[got[i].from:got[i].to])); n > MaxRequestBytes {
						t.Fatalf("chunk %d is %d bytes", i, n)
					}
				}
			}
		})
	}
}

func TestEnvelope(t *testing.T) {
	b := envelope("Contacts", [][]byte{[]byte(`{"Name":"a"}`), []byte(`{"Name":"b"}`)})
	var v struct{ Contacts []Contact }
	if err := json.Unmarshal(b, &v); err != nil || len(v.Contacts) != 2 || v.Contacts[1].Name != "b" {
		t.Fatalf("envelope %s: %v", b, err)
	}
}

func TestChunkKey(t *testing.T) {
	long := strings.Repeat("k", 200)
	tests := []struct {
		name     string
		base     string
		n, total int
		want     string
	}{
		{"single keeps the key", "inv:1:abc", 0, 1, "inv:1:abc"},
		{"chunks are numbered", "inv:1:abc", 1, 3, "inv:1:abc-2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := chunkKey(tt.base, tt.n, tt.total); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("IdempotencyKey joins parts within the limit", func(t *testing.T) {
		if k := IdempotencyKey("invoice", "1001", "9f2c"); k != "invoice:1001:9f2c" {
			t.Fatalf("got %q", k)
		}
		if k := IdempotencyKey("invoice", long); len(k) > maxKeyLen || k != IdempotencyKey("invoice", long) || k == IdempotencyKey("invoice", long+"x") {
			t.Fatalf("long key %q", k)
		}
	})
	t.Run("long keys are hashed, stably", func(t *testing.T) {
		a, b := chunkKey(long, 0, 2), chunkKey(long, 0, 2)
		if len(a) > maxKeyLen || a != b || a == chunkKey(long, 1, 2) {
			t.Fatalf("keys %q %q", a, b)
		}
	})
}

func TestFillResults(t *testing.T) {
	res := make([]Result[Invoice], 4)
	got := []Invoice{
		{InvoiceID: "a", ElementStatus: ElementStatus{StatusAttributeString: "OK"}},
		{ElementStatus: ElementStatus{StatusAttributeString: "ERROR", ValidationErrors: []Message{{"Account code '999' is not a valid code."}}}},
		{InvoiceID: "c", ElementStatus: ElementStatus{StatusAttributeString: "WARNING", Warnings: []Message{{"Rate looks odd"}}}},
	}
	fillResults(res, 0, 4, got)
	if res[0].Err != nil || res[0].Item.InvoiceID != "a" {
		t.Fatalf("first: %+v", res[0])
	}
	var ve *ValidationError
	if !errors.As(res[1].Err, &ve) || ve.Index != 1 || ve.Messages[0] != "Account code '999' is not a valid code." {
		t.Fatalf("second: %v", res[1].Err)
	}
	if res[2].Err != nil || len(res[2].Warnings) != 1 {
		t.Fatalf("third: %+v", res[2])
	}
	if !errors.As(res[3].Err, &ve) || ve.Index != 3 {
		t.Fatalf("missing element not reported: %v", res[3].Err)
	}
}

func TestRateLimitFrom(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		problem, retry string
		wantProblem    string
		wantWait       time.Duration
	}{
		{"minute", "7", LimitMinute, 7 * time.Second},
		{"Minute", "", LimitMinute, time.Second},
		{"day", "66975", LimitDay, 66975 * time.Second},
		{"Daily", "60", LimitDay, time.Minute},
		{"concurrent", "1", LimitConcurrent, time.Second},
		{"", "Thu, 01 Jan 2026 12:00:30 GMT", LimitMinute, 30 * time.Second},
		{"", "-5", LimitMinute, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.problem+"/"+tt.retry, func(t *testing.T) {
			h := http.Header{}
			h.Set("X-Rate-Limit-Problem", tt.problem)
			h.Set("Retry-After", tt.retry)
			rl := rateLimitFrom(h, now)
			if rl.Problem != tt.wantProblem || rl.RetryAfter != tt.wantWait || !rl.Reset.Equal(now.Add(tt.wantWait)) {
				t.Fatalf("got %+v", rl)
			}
		})
	}
}

func TestDecodeError(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		check  func(error) bool
		words  string
	}{
		{"validation", 400, `{"ErrorNumber":10,"Type":"ValidationException","Message":"A validation exception occurred","Elements":[{"ValidationErrors":[{"Message":"Email address must be valid."}]}]}`,
			func(err error) bool { var e *ValidationError; return errors.As(err, &e) && e.Index == -1 }, "Email address must be valid."},
		{"post data", 400, `{"ErrorNumber":14,"Type":"PostDataInvalidException","Message":"JSON for post data was invalid"}`,
			func(err error) bool {
				var e *RequestError
				return errors.As(err, &e) && e.Type == "PostDataInvalidException"
			}, "JSON for post data was invalid"},
		{"forbidden", 403, `{"title":"Forbidden","status":403,"detail":"AuthenticationUnsuccessful"}`,
			func(err error) bool { var e *ForbiddenError; return errors.As(err, &e) }, "AuthenticationUnsuccessful"},
		{"not found", 404, `The resource you're looking for cannot be found`,
			func(err error) bool { var e *NotFoundError; return errors.As(err, &e) }, "GET /Invoices/1"},
		{"plain text", 400, `bad thing`,
			func(err error) bool { var e *RequestError; return errors.As(err, &e) }, "bad thing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := decodeError(tt.status, []byte(tt.body), "GET /Invoices/1")
			if !tt.check(err) || !strings.Contains(err.Error(), tt.words) {
				t.Fatalf("got %T %v", err, err)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	for attempt := 1; attempt <= 10; attempt++ {
		want := min(time.Second<<(attempt-1), 30*time.Second)
		for range 20 {
			d := backoff(attempt, time.Second, 30*time.Second)
			if d < want/2 || d > want {
				t.Fatalf("attempt %d: %s outside [%s, %s]", attempt, d, want/2, want)
			}
		}
	}
}

// TestLimiterMinute checks the 60-per-minute window on synctest's fake
// clock: 150 calls start in three bursts of at most 60, each a window
// (Xero's minute and a second to spare) and a millisecond after the last.
func TestLimiterMinute(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clock := SystemClock() // fake time inside the bubble
		l := newLimiter(clock)
		start := clock.Now()
		var starts []time.Duration
		for range 150 {
			rel, err := l.acquire(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			starts = append(starts, clock.Now().Sub(start))
			rel()
		}
		step := limitWindow + time.Millisecond
		for i, at := range starts {
			if want := time.Duration(i/MaxPerMinute) * step; at != want {
				t.Fatalf("call %d started after %s, want %s", i+1, at, want)
			}
		}
		// Xero's own window: no 60 seconds hold more than 60 starts.
		for i := MaxPerMinute; i < len(starts); i++ {
			if starts[i]-starts[i-MaxPerMinute] <= time.Minute {
				t.Fatalf("calls %d and %d started %s apart: 61 calls in Xero's minute", i-MaxPerMinute+1, i+1, starts[i]-starts[i-MaxPerMinute])
			}
		}
	})
}

// TestLimiterConcurrency: 20 callers at once, each holding its slot for
// 5 ms, run exactly MaxInFlight at a time.
func TestLimiterConcurrency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLimiter(SystemClock())
		var mu sync.Mutex
		cur, peak := 0, 0
		start := time.Now()
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				rel, err := l.acquire(t.Context())
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				cur++
				peak = max(peak, cur)
				mu.Unlock()
				time.Sleep(5 * time.Millisecond)
				mu.Lock()
				cur--
				mu.Unlock()
				rel()
			})
		}
		wg.Wait()
		if peak != MaxInFlight {
			t.Fatalf("peak %d calls at once, want %d", peak, MaxInFlight)
		}
		if took, want := time.Since(start), 20/MaxInFlight*5*time.Millisecond; took != want {
			t.Fatalf("20 calls of 5 ms took %s, want %s (%d at a time)", took, want, MaxInFlight)
		}
	})
}

func TestPickTenant(t *testing.T) {
	ts := []Tenant{
		{ID: "c1", TenantID: "t1", TenantName: "Demo Company (UK)"},
		{ID: "c2", TenantID: "t2", TenantName: "Shop Ltd"},
		{ID: "c3", TenantID: "t3", TenantName: "Twin"},
		{ID: "c4", TenantID: "t4", TenantName: "twin"},
	}
	tests := []struct {
		list    []Tenant
		pick    string
		want    string
		wantErr string
	}{
		{ts, "t2", "t2", ""},
		{ts, "c1", "t1", ""},
		{ts, "demo company (uk)", "t1", ""},
		{ts, " Shop Ltd ", "t2", ""},
		{ts, "Twin", "", "several"},
		{ts, "Nope", "", "no connected organisation"},
		{ts, "", "", "several"},
		{ts[:1], "", "t1", ""},
		{nil, "", "", "no organisation"},
	}
	for _, tt := range tests {
		t.Run(tt.pick, func(t *testing.T) {
			got, err := PickTenant(tt.list, tt.pick)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got.TenantID != tt.want {
				t.Fatalf("got %+v %v, want %s", got, err, tt.want)
			}
		})
	}
}

func TestWhere(t *testing.T) {
	if got, want := whereAny("ContactNumber", []string{`OC-C1`, `a"b\c`}, `ContactStatus=="ACTIVE"`),
		`(ContactStatus=="ACTIVE") AND (ContactNumber=="OC-C1" OR ContactNumber=="a\"b\\c")`; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestEndpoints(t *testing.T) {
	real := endpointsFor("")
	if real.authorize != "https://login.xero.com/identity/connect/authorize" || real.token != "https://identity.xero.com/connect/token" ||
		real.revocation != "https://identity.xero.com/connect/revocation" || real.connections != "https://api.xero.com/connections" ||
		real.api != "https://api.xero.com/api.xro/2.0" {
		t.Fatalf("real Xero endpoints wrong: %+v", real)
	}
	sb := endpointsFor("http://127.0.0.1:9/")
	want := endpoints{"http://127.0.0.1:9/identity/connect/authorize", "http://127.0.0.1:9/connect/token",
		"http://127.0.0.1:9/connect/revocation", "http://127.0.0.1:9/connections", "http://127.0.0.1:9/api.xro/2.0"}
	if sb != want {
		t.Fatalf("got %+v, want %+v", sb, want)
	}
	if RedirectURI(53682) != "http://localhost:53682/callback" {
		t.Fatal(RedirectURI(53682))
	}
}
