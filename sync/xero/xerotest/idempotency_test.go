package xerotest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

func TestIdempotency(t *testing.T) {
	clk := &clock{now: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	s, c := start(t, xerotest.Options{Now: clk.Now})
	body := J{"Invoices": []J{invoice("I-1", line("x", "1", "10", "OUTPUT2"))}}
	first := c.call("PUT", "/Invoices?summarizeErrors=false", body, "Idempotency-Key", "key-1").must(t, 200)
	again := c.call("PUT", "/Invoices?summarizeErrors=false", body, "Idempotency-Key", "key-1").must(t, 200)
	if string(first.Body) != string(again.Body) || again.Header.Get("X-Sandbox-Idempotent-Replay") != "true" {
		t.Fatalf("replay differs:\n%s\n%s", first.Body, again.Body)
	}
	if n := len(s.Invoices(c.tenant)); n != 1 {
		t.Fatalf("%d invoices after a replay", n)
	}
	t.Run("different body", func(t *testing.T) {
		other := J{"Invoices": []J{invoice("I-2", line("x", "1", "10", "OUTPUT2"))}}
		r := c.as(t).call("PUT", "/Invoices?summarizeErrors=false", other, "Idempotency-Key", "key-1").must(t, http.StatusBadRequest)
		if !strings.Contains(r.Env.Detail, "is used with a different request") {
			t.Fatalf("%s", r.Body)
		}
	})
	t.Run("too long", func(t *testing.T) {
		c.as(t).call("PUT", "/Invoices", body, "Idempotency-Key", strings.Repeat("k", 129)).must(t, http.StatusBadRequest)
		c.as(t).call("POST", "/Contacts?summarizeErrors=false", J{"Name": "K"}, "Idempotency-Key", strings.Repeat("k", 128)).must(t, http.StatusOK)
	})
	t.Run("errors are cached too", func(t *testing.T) {
		bad := J{"Invoices": []J{invoice("I-3", line("x", "1", "10", "BOGUS"))}}
		a := c.as(t).call("PUT", "/Invoices", bad, "Idempotency-Key", "key-bad").must(t, http.StatusBadRequest)
		b := c.as(t).call("PUT", "/Invoices", bad, "Idempotency-Key", "key-bad").must(t, http.StatusBadRequest)
		if string(a.Body) != string(b.Body) {
			t.Fatal("error not replayed")
		}
	})
	t.Run("after the 6-minute window the request runs again", func(t *testing.T) {
		clk.Add(6*time.Minute + time.Second)
		r := c.as(t).call("PUT", "/Invoices?summarizeErrors=false", body, "Idempotency-Key", "key-1").must(t, 200)
		wantErrors(t, r.Env.Invoices[0].ValidationErrors, "Invoice # must be unique.")
	})
	t.Run("retry after a dropped connection", func(t *testing.T) {
		cc := c.as(t)
		s.Inject(xerotest.Fault{Method: "PUT", Path: "/Invoices", Kind: xerotest.FaultDropAfterCommit})
		raw := `{"Invoices":[{"Type":"ACCREC","InvoiceNumber":"I-9","Contact":{"Name":"Acme Ltd"},"LineItems":[{"Description":"x","Quantity":1,"UnitAmount":5,"AccountCode":"200"}]}]}`
		if _, err := cc.raw("PUT", "/Invoices?summarizeErrors=false", raw, "Idempotency-Key", "key-9"); err == nil {
			t.Fatal("want a network error")
		}
		r := cc.call("PUT", "/Invoices?summarizeErrors=false", raw, "Idempotency-Key", "key-9").must(t, 200)
		if r.Env.Invoices[0].StatusAttributeString != "OK" || r.Header.Get("X-Sandbox-Idempotent-Replay") != "true" {
			t.Fatalf("%s", r.Body)
		}
		n := 0
		for _, inv := range s.Invoices(c.tenant) {
			if inv.InvoiceNumber == "I-9" {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d copies of I-9", n)
		}
	})
	t.Run("Go's transport retries a keyed request on a reused connection", func(t *testing.T) {
		cc := c.as(t)
		s.Inject(xerotest.Fault{Method: "PUT", Path: "/Invoices", Kind: xerotest.FaultDropAfterCommit})
		before := s.Calls()["PUT /Invoices"]
		r := cc.call("PUT", "/Invoices?summarizeErrors=false", J{"Invoices": []J{invoice("I-10", line("x", "1", "1", "OUTPUT2"))}}, "Idempotency-Key", "key-10")
		if r.Status != 200 || r.Header.Get("X-Sandbox-Idempotent-Replay") != "true" || s.Calls()["PUT /Invoices"] != before+2 {
			t.Fatalf("status %d, replay %q, calls %d", r.Status, r.Header.Get("X-Sandbox-Idempotent-Replay"), s.Calls()["PUT /Invoices"]-before)
		}
	})
}
