package xerotest_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// raw sends a request and returns the transport error, if any.
func (c *client) raw(method, path, body string, headers ...string) (*http.Response, error) {
	req, _ := http.NewRequest(method, c.s.URL+apiPrefix+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Xero-Tenant-Id", c.tenant)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	// A fresh connection: Go's Transport silently re-sends a request that
	// carries an Idempotency-Key when a reused connection breaks.
	resp, err := (&http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err == nil {
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		resp.Body.Close()
	}
	return resp, err
}

func TestFaults(t *testing.T) {
	body := func(n string) string {
		return `{"Invoices":[{"Type":"ACCREC","InvoiceNumber":"` + n + `","Contact":{"Name":"Acme Ltd"},"Status":"AUTHORISED","LineItems":[{"Description":"x","Quantity":1,"UnitAmount":10,"AccountCode":"200","TaxType":"OUTPUT2"}]}]}`
	}
	for _, tc := range []struct {
		name      string
		fault     xerotest.Fault
		status    int
		header    [2]string
		detail    string
		committed bool
	}{
		{"500", xerotest.Fault{Kind: xerotest.Fault500}, 500, [2]string{}, "An error occurred in Xero", false},
		{"503", xerotest.Fault{Kind: xerotest.Fault503}, 503, [2]string{}, "offline for maintenance", false},
		{"429", xerotest.Fault{Kind: xerotest.Fault429, RetryAfter: 7}, 429, [2]string{"Retry-After", "7"}, "", false},
		{"429 default", xerotest.Fault{Kind: xerotest.Fault429}, 429, [2]string{"X-Rate-Limit-Problem", "minute"}, "", false},
		{"day limit", xerotest.Fault{Kind: xerotest.FaultDayLimit}, 429, [2]string{"X-Rate-Limit-Problem", "day"}, "", false},
		{"expired token", xerotest.Fault{Kind: xerotest.FaultExpireToken}, 401, [2]string{}, "TokenExpired: token expired at", false},
		{"slow", xerotest.Fault{Kind: xerotest.FaultSlow, Delay: 150 * time.Millisecond}, 200, [2]string{}, "", true},
		{"refuse", xerotest.Fault{Kind: xerotest.FaultRefuse, Message: "The document date is invalid for this document."}, 200, [2]string{}, `"StatusAttributeString":"ERROR","Type":"ACCREC","ValidationErrors":[{"Message":"The document date is invalid for this document."}]`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, c := start(t, xerotest.Options{})
			c = c.as(t)
			tc.fault.Method, tc.fault.Path = "PUT", "/api.xro/2.0/Invoices"
			s.Inject(tc.fault)
			c.call("GET", "/Invoices", nil).must(t, http.StatusOK) // other calls are untouched
			began := time.Now()
			r := c.call("PUT", "/Invoices", body("F-1")).must(t, tc.status)
			if tc.header[0] != "" && r.Header.Get(tc.header[0]) != tc.header[1] {
				t.Fatalf("%s: %q, want %q", tc.header[0], r.Header.Get(tc.header[0]), tc.header[1])
			}
			if !strings.Contains(string(r.Body), tc.detail) {
				t.Fatalf("body %s lacks %q", r.Body, tc.detail)
			}
			if tc.fault.Kind == xerotest.FaultSlow && time.Since(began) < tc.fault.Delay {
				t.Fatalf("answered after %v, before the delay", time.Since(began))
			}
			if got := len(s.Invoices(c.tenant)); got != map[bool]int{true: 1, false: 0}[tc.committed] {
				t.Fatalf("%d invoices stored", got)
			}
			if s.PendingFaults() != 0 {
				t.Fatal("the fault was not used up")
			}
			c.call("PUT", "/Invoices", body("F-2")).must(t, http.StatusOK) // once only
		})
	}
	t.Run("drop after commit", func(t *testing.T) {
		s, c := start(t, xerotest.Options{})
		c = c.as(t)
		s.Inject(xerotest.Fault{Method: "PUT", Path: "/Invoices", Kind: xerotest.FaultDropAfterCommit})
		if _, err := c.raw("PUT", "/Invoices", body("D-1")); err == nil {
			t.Fatal("the client got an answer; want a network error")
		}
		if invs := s.Invoices(c.tenant); len(invs) != 1 || invs[0].InvoiceNumber != "D-1" {
			t.Fatalf("the write was not committed: %d invoices", len(invs))
		}
		reqs := s.Requests()
		last := reqs[len(reqs)-1]
		if last.Status != 0 || last.Fault != "DropAfterCommit" || last.Key != "PUT /Invoices" {
			t.Fatalf("logged %+v", last)
		}
		// A retry without an idempotency key meets the unique number.
		r := c.call("PUT", "/Invoices?summarizeErrors=false", body("D-1")).must(t, 200)
		wantErrors(t, r.Env.Invoices[0].ValidationErrors, "Invoice # must be unique.")
	})
	t.Run("times, method and path", func(t *testing.T) {
		s, c := start(t, xerotest.Options{})
		c = c.as(t)
		s.Inject(xerotest.Fault{Method: "POST", Path: "/Contacts", Kind: xerotest.Fault503, Times: 2})
		s.Inject(xerotest.Fault{Path: "/api.xro/2.0/Accounts", Kind: xerotest.Fault500, Times: -1})
		c.call("GET", "/Contacts", nil).must(t, 200)
		c.call("POST", "/Contacts", J{"Name": "A"}).must(t, 503)
		c.call("POST", "/Contacts", J{"Name": "A"}).must(t, 503)
		c.call("POST", "/Contacts", J{"Name": "A"}).must(t, 200)
		for range 3 {
			c.call("GET", "/Accounts", nil).must(t, 500)
		}
		s.ClearFaults()
		c.call("GET", "/Accounts", nil).must(t, 200)
	})
	t.Run("token endpoint 503", func(t *testing.T) {
		s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
		s.Inject(xerotest.Fault{Path: "/connect/token", Kind: xerotest.Fault503})
		q := callback(t, get(t, authorizeURL(s, nil)))
		form := map[string][]string{"grant_type": {"authorization_code"}, "client_id": {pkceApp}, "code": {q.Get("code")}, "redirect_uri": {redirect}, "code_verifier": {verifier}}
		if status, _ := tokenCall(t, s, form, ""); status != 503 {
			t.Fatalf("status %d", status)
		}
		if status, _ := tokenCall(t, s, form, ""); status != 200 {
			t.Fatalf("status %d after the fault", status)
		}
	})
}

func TestCountersAndLog(t *testing.T) {
	s, c := start(t, xerotest.Options{})
	inv := c.putInvoice(invoice("C-1", line("x", "1", "1", "OUTPUT2")))
	c.call("GET", "/Invoices/"+inv.InvoiceID, nil).must(t, 200)
	c.call("GET", "/Invoices", nil).must(t, 200)
	c.call("POST", "/Contacts", J{"Name": "B"}).must(t, 200)
	c.call("PUT", "/Invoices/"+inv.InvoiceID+"/History", J{"HistoryRecords": []J{{"Details": "n"}}}).must(t, 200)
	got := s.Calls()
	for key, want := range map[string]int{"GET /identity/connect/authorize": 1, "POST /connect/token": 1, "PUT /Invoices": 1,
		"GET /Invoices/{id}": 1, "GET /Invoices": 1, "POST /Contacts": 1, "PUT /Invoices/{id}/History": 1} {
		if got[key] != want {
			t.Errorf("Calls()[%q] = %d, want %d (all: %v)", key, got[key], want, got)
		}
	}
	reqs := s.Requests()
	for _, r := range reqs {
		if a := r.Header.Get("Authorization"); a != "" && a != "Bearer [redacted]" {
			t.Fatalf("Authorization logged as %q", a)
		}
	}
	put := reqs[2]
	if put.Method != "PUT" || put.Path != "/api.xro/2.0/Invoices" || !strings.Contains(put.Query, "summarizeErrors=false") ||
		!strings.Contains(put.Body, `"InvoiceNumber":"C-1"`) || put.Status != 200 || put.TenantID != c.tenant || put.Time.IsZero() {
		t.Fatalf("logged %+v", put)
	}
	s.ResetCounters()
	if len(s.Calls()) != 0 || len(s.Requests()) != 0 {
		t.Fatal("ResetCounters left something")
	}
}
