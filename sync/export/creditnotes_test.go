package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// settlingProbe stands between the engine and Xero for the requests that
// settle a credit note made in Xero (a refund, or an allocation to its
// invoice): while refuse is set it zeroes their amounts, so Xero refuses
// them; otherwise it calls seen before Xero gets them.
type settlingProbe struct {
	match func(r *http.Request, body []byte) bool
	mu    sync.Mutex
	// refuse makes Xero refuse the matching requests.
	refuse bool
	// seen is called with each matching request Xero is let to accept.
	seen func()
}

func (p *settlingProbe) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodPut || r.Body == nil {
		return http.DefaultTransport.RoundTrip(r)
	}
	body, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	refuse, seen := p.refuse, p.seen
	p.mu.Unlock()
	if p.match(r, body) {
		switch {
		case refuse:
			var list map[string][]map[string]any
			if err := json.Unmarshal(body, &list); err != nil {
				return nil, err
			}
			for _, elems := range list {
				for _, el := range elems {
					el["Amount"] = 0
				}
			}
			if body, err = json.Marshal(list); err != nil {
				return nil, err
			}
		case seen != nil:
			seen()
		}
	}
	r = r.Clone(r.Context())
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return http.DefaultTransport.RoundTrip(r)
}

// TestCreditNoteSettledAgainIsSendingFirst follows a credit note whose
// refund (or allocation) Xero refused: the next run tries again, and like
// every other write, its record is "sending" before Xero gets the request,
// so a run stopped during that call looks the credit note up instead of
// paying it out (or allocating it) a second time.
func TestCreditNoteSettledAgainIsSendingFirst(t *testing.T) {
	paid := []octest.History{{StatusID: 1, DateAdded: octest.DefaultDate}, {StatusID: 5, DateAdded: octest.DefaultDate.Add(time.Hour)},
		{StatusID: 11, DateAdded: octest.DefaultDate.Add(48 * time.Hour)}}
	unpaid := []octest.History{{StatusID: 1, DateAdded: octest.DefaultDate}, {StatusID: 11, DateAdded: octest.DefaultDate.Add(48 * time.Hour)}}
	for _, tc := range []struct {
		name    string
		history []octest.History
		match   func(r *http.Request, body []byte) bool
		refused string // what the record says after Xero's refusal
		settled func(e *env) int
	}{
		{"refund of a paid order", paid,
			func(r *http.Request, body []byte) bool {
				return strings.HasSuffix(r.URL.Path, "/Payments") && bytes.Contains(body, []byte(`"CreditNote"`))
			},
			"the credit note is in Xero but was not paid out as a refund",
			func(e *env) int {
				n := 0
				for _, p := range e.sandbox.Payments(tenant) {
					if p.CreditNote != nil {
						n++
					}
				}
				return n
			}},
		{"allocation to an unpaid order's invoice", unpaid,
			func(r *http.Request, _ []byte) bool { return strings.HasSuffix(r.URL.Path, "/Allocations") },
			"the credit note is in Xero but was not allocated to invoice OC-3001",
			func(e *env) int { return len(e.creditNote(t).Allocations) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, s, customer := cancelEnv(t, mapping.StatusAuthorised)
			s.RefundsAreFull = true // allocated and paid out at once, not a draft of unknown amount (issue 11)
			o := cancelOrder(3001, customer, 11)
			o.History = tc.history
			e.shop.AddOrder(o)
			probe := &settlingProbe{match: tc.match, refuse: true}
			e.withClient(&http.Client{Timeout: 2 * time.Minute, Transport: probe}, 0.001)

			first := e.run(s, export.Request{Scope: export.ScopeAll})
			rec := e.creditNoteRecord(t)
			if first.Failed != 1 || rec.State != history.StateFailed || rec.XeroID == "" || !strings.Contains(rec.Error, tc.refused) {
				t.Fatalf("after Xero's refusal: %+v, record %+v", first, rec)
			}

			sent := 0
			probe.mu.Lock()
			probe.refuse, probe.seen = false, func() {
				sent++
				if got := e.creditNoteRecord(t); got.State != history.StateSending {
					t.Errorf("when Xero gets the request, the credit note's record is %s (%s); want sending", got.State, got.Error)
				}
			}
			probe.mu.Unlock()
			again := e.run(s, export.Request{Scope: export.ScopeAll})
			rec = e.creditNoteRecord(t)
			if sent != 1 || again.Failed != 0 || rec.State != history.StateExported || rec.Error != "" {
				t.Fatalf("tried again: %d requests, %+v, record %+v", sent, again, rec)
			}
			if cn := e.creditNote(t); tc.settled(e) != 1 || !cn.RemainingCredit.IsZero() {
				t.Fatalf("Xero settled the credit note %d times, %s credit left", tc.settled(e), cn.RemainingCredit.String())
			}
			e.rerunSendsNothing(s)
		})
	}
}

func (e *env) creditNoteRecord(t *testing.T) history.Record {
	t.Helper()
	rec, err := e.hist.RecordFor(context.Background(), history.KindCreditNote, history.RefundKey(3001))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func (e *env) creditNote(t *testing.T) xerotest.CreditNote {
	t.Helper()
	cns := e.sandbox.CreditNotes(tenant)
	if len(cns) != 1 {
		t.Fatalf("%d credit notes in Xero; want 1", len(cns))
	}
	return cns[0]
}
