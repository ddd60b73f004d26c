package xero_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

func invoice(number, contact, account string) xero.Invoice {
	return xero.Invoice{
		Type: "ACCREC", InvoiceNumber: number, Contact: &xero.Contact{Name: contact},
		Date: xero.NewDate(2026, 1, 15), DueDate: xero.NewDate(2026, 2, 15), LineAmountTypes: "Exclusive",
		LineItems: []xero.LineItem{{
			Description: "Widget", Quantity: xero.MustAmount("2"), UnitAmount: xero.MustAmount("10.1250"),
			AccountCode: account, TaxType: "OUTPUT2",
		}},
	}
}

// sentTo lists the captured requests for method and Accounting path.
func (h *harness) sentTo(method, path string) []sent {
	var out []sent
	for _, s := range h.rec.sent() {
		if s.Method == method && strings.HasSuffix(s.URL.Path, "/api.xro/2.0"+path) {
			out = append(out, s)
		}
	}
	return out
}

// TestMixedBatch: three invoices, the middle one invalid, sent with
// summarizeErrors=false and unitdp=4: two are saved, the second carries
// Xero's reason with its index.
func TestMixedBatch(t *testing.T) {
	h := newHarness(t, xerotest.Options{})
	c := h.connected(nil)
	ctx := ctxT(t)
	invs := []xero.Invoice{invoice("OC-1", "Ann Smith", "200"), invoice("OC-2", "Bob Jones", "999"), invoice("OC-3", "Cy Twombly", "200")}
	res, err := c.CreateInvoices(ctx, invs, "batch-mixed")
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 {
		t.Fatalf("%d results", len(res))
	}
	for _, i := range []int{0, 2} {
		r := res[i]
		if r.Err != nil || r.Item.InvoiceID == "" || r.Item.InvoiceNumber != invs[i].InvoiceNumber || r.Index != i {
			t.Fatalf("result %d: %+v", i, r)
		}
		// 2 × 10.125 = 20.25 + 20% VAT 4.05 = 24.30: unitdp=4 kept the price.
		if r.Item.Total.String() != "24.3" {
			t.Fatalf("result %d total %s, want 24.30", i, r.Item.Total)
		}
	}
	var ve *xero.ValidationError
	if !errors.As(res[1].Err, &ve) || ve.Index != 1 || len(ve.Messages) == 0 || !strings.Contains(ve.Error(), "record 2") {
		t.Fatalf("result 1: %v", res[1].Err)
	}
	puts := h.sentTo("PUT", "/Invoices")
	if len(puts) != 1 {
		t.Fatalf("%d PUT /Invoices", len(puts))
	}
	q := puts[0].URL.Query()
	if q.Get("summarizeErrors") != "false" || q.Get("unitdp") != "4" || puts[0].Header.Get("Idempotency-Key") != "batch-mixed" {
		t.Fatalf("query %v key %q", q, puts[0].Header.Get("Idempotency-Key"))
	}
	if n := len(h.srv.Invoices(xerotest.DefaultTenantID)); n != 2 {
		t.Fatalf("sandbox holds %d invoices, want 2", n)
	}
}

// TestBatchSplit: 120 contacts go as 50 + 50 + 20 with numbered keys, and
// the results come back in the order given.
func TestBatchSplit(t *testing.T) {
	h := newHarness(t, xerotest.Options{})
	c := h.connected(nil)
	ctx := ctxT(t)
	contacts := make([]xero.Contact, 120)
	for i := range contacts {
		contacts[i] = xero.Contact{Name: fmt.Sprintf("Customer %03d", i), ContactNumber: fmt.Sprintf("OC-C%d", i), EmailAddress: fmt.Sprintf("c%d@example.com", i)}
	}
	res, err := c.CreateContacts(ctx, contacts, "contacts-run-1")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Err != nil || r.Index != i || r.Item.Name != contacts[i].Name || r.Item.ContactID == "" {
			t.Fatalf("result %d: %+v", i, r)
		}
	}
	puts := h.sentTo("PUT", "/Contacts")
	if len(puts) != 3 {
		t.Fatalf("%d requests, want 3", len(puts))
	}
	for i, want := range []int{50, 50, 20} {
		if n := strings.Count(string(puts[i].Body), `"Name":`); n != want {
			t.Fatalf("request %d carried %d contacts, want %d", i, n, want)
		}
		if k := puts[i].Header.Get("Idempotency-Key"); k != fmt.Sprintf("contacts-run-1-%d", i+1) {
			t.Fatalf("request %d key %q", i, k)
		}
	}
	// Read back by numbers and by ids.
	got, err := c.Contacts(ctx, xero.ContactQuery{ContactNumbers: []string{"OC-C5", "OC-C77", "OC-C119"}})
	if err != nil || len(got) != 3 {
		t.Fatalf("by numbers: %d %v", len(got), err)
	}
	got, err = c.Contacts(ctx, xero.ContactQuery{IDs: []string{res[3].Item.ContactID, res[100].Item.ContactID}})
	if err != nil || len(got) != 2 {
		t.Fatalf("by ids: %d %v", len(got), err)
	}
	all, err := c.Contacts(ctx, xero.ContactQuery{Where: `Name.StartsWith("Customer")`})
	if err != nil || len(all) != 120 {
		t.Fatalf("paged where: %d %v", len(all), err)
	}
}

// TestDroppedAfterCommit: Xero saves the invoice but the answer is lost;
// the retry carries the same Idempotency-Key and body, and exactly one
// invoice exists. With keep-alive, Go's transport itself replays the
// request (it may, because of the Idempotency-Key); without, the client's
// retry does.
func TestDroppedAfterCommit(t *testing.T) {
	for _, keepAlive := range []bool{true, false} {
		t.Run(fmt.Sprintf("keepalive=%v", keepAlive), func(t *testing.T) {
			h := newHarness(t, xerotest.Options{})
			h.rec.next = &http.Transport{DisableKeepAlives: !keepAlive}
			c := h.connected(nil)
			ctx := ctxT(t)
			h.srv.Inject(xerotest.Fault{Method: "PUT", Path: "/Invoices", Kind: xerotest.FaultDropAfterCommit})
			res, err := c.CreateInvoices(ctx, []xero.Invoice{invoice("OC-100", "Ann Smith", "200")}, "inv-OC-100-abc123")
			if err != nil || res[0].Err != nil || res[0].Item.InvoiceID == "" {
				t.Fatalf("create: %v %+v", err, res)
			}
			var puts []xerotest.LoggedRequest
			for _, r := range h.srv.Requests() {
				if r.Key == "PUT /Invoices" {
					puts = append(puts, r)
				}
			}
			if len(puts) != 2 || puts[0].Status != 0 || !puts[1].Replayed {
				t.Fatalf("%d PUTs reached the sandbox: %+v", len(puts), puts)
			}
			for _, p := range puts {
				if p.Header.Get("Idempotency-Key") != "inv-OC-100-abc123" || p.Body != puts[0].Body {
					t.Fatalf("retry differs: key %q", p.Header.Get("Idempotency-Key"))
				}
			}
			if own := len(h.sentTo("PUT", "/Invoices")); own != map[bool]int{true: 1, false: 2}[keepAlive] {
				t.Fatalf("client sent %d PUTs itself", own)
			}
			n := 0
			for _, inv := range h.srv.Invoices(xerotest.DefaultTenantID) {
				if inv.InvoiceNumber == "OC-100" {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("%d invoices OC-100 in Xero, want exactly 1", n)
			}
			found, err := c.Invoices(ctx, xero.InvoiceQuery{InvoiceNumbers: []string{"OC-100"}})
			if err != nil || len(found) != 1 || found[0].InvoiceID != res[0].Item.InvoiceID || len(found[0].LineItems) != 1 ||
				found[0].LineItems[0].UnitAmount.String() != "10.125" {
				t.Fatalf("lookup by number: %+v %v", found, err)
			}
		})
	}
}

// TestServerErrorsRetried: 500 and 503 are retried after a backoff;
// endless failure ends in a TransientError after the allowed tries. On
// synctest's fake clock the waits are measured exactly: three retries wait
// 1, 2 and 4 s, each with jitter down to half.
func TestServerErrorsRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newBubbleHarness(t, xerotest.Options{})
		c := h.connected(func(o *xero.Options) { o.MaxAttempts = 4 })
		ctx := t.Context()
		const least, most = (1 + 2 + 4) * time.Second / 2, (1 + 2 + 4) * time.Second
		h.srv.Inject(xerotest.Fault{Path: "/TaxRates", Kind: xerotest.Fault500})
		h.srv.Inject(xerotest.Fault{Path: "/TaxRates", Kind: xerotest.Fault503, Times: 2})
		before := h.calls("GET /TaxRates")
		began := time.Now()
		rates, err := c.TaxRates(ctx)
		if err != nil || len(rates) == 0 {
			t.Fatalf("after 3 failures: %v", err)
		}
		if n := h.calls("GET /TaxRates") - before; n != 4 {
			t.Fatalf("%d calls, want 4", n)
		}
		if waited := time.Since(began); waited < least || waited > most {
			t.Fatalf("3 retries waited %s in all, want %s to %s", waited, least, most)
		}
		h.srv.Inject(xerotest.Fault{Path: "/Accounts", Kind: xerotest.Fault500, Times: -1})
		began = time.Now()
		_, err = c.Accounts(ctx)
		h.srv.ClearFaults()
		var te *xero.TransientError
		if !errors.As(err, &te) || te.Status != 500 || te.Attempts != 4 {
			t.Fatalf("err = %T %v", err, err)
		}
		if waited := time.Since(began); waited < least || waited > most {
			t.Fatalf("4 tries waited %s in all, want %s to %s", waited, least, most)
		}
	})
}

// TestRateLimitStorm: a run of 429s is waited out, exactly as long as
// Retry-After says each time, and every call succeeds.
func TestRateLimitStorm(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newBubbleHarness(t, xerotest.Options{})
		c := h.connected(nil)
		ctx := t.Context()
		h.srv.Inject(xerotest.Fault{Path: "/Currencies", Kind: xerotest.Fault429, Times: 6, RetryAfter: 5})
		start := h.clock.Now()
		for range 3 {
			if _, err := c.Currencies(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if waited := h.clock.Now().Sub(start); waited != 6*5*time.Second {
			t.Fatalf("waited %s, want 6 × 5 s", waited)
		}
		if n := h.calls("GET /Currencies"); n != 9 {
			t.Fatalf("%d calls, want 9", n)
		}
		b := c.Budget()
		if b.DayRemaining < 0 || b.MinuteRemaining < 0 || b.At.IsZero() {
			t.Fatalf("budget unknown after calls: %+v", b)
		}
	})
}

// TestDayLimit: Xero's day limit stops with a typed error and the reset.
func TestDayLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newBubbleHarness(t, xerotest.Options{})
		c := h.connected(nil)
		ctx := t.Context()
		h.srv.Inject(xerotest.Fault{Path: "/Invoices", Kind: xerotest.FaultDayLimit, RetryAfter: 7200})
		now := h.clock.Now()
		res, err := c.CreateInvoices(ctx, []xero.Invoice{invoice("OC-7", "Ann Smith", "200")}, "k7")
		var rl *xero.RateLimitError
		if !errors.As(err, &rl) || rl.Problem != xero.LimitDay || rl.RetryAfter != 2*time.Hour {
			t.Fatalf("err = %T %v", err, err)
		}
		if d := rl.Reset.Sub(now); d != 2*time.Hour {
			t.Fatalf("reset %s after now, want 2h", d)
		}
		if !errors.As(res[0].Err, &rl) || !strings.Contains(err.Error(), "daily limit") {
			t.Fatalf("record not marked: %v", res[0].Err)
		}
		if h.calls("PUT /Invoices") != 1 {
			t.Fatal("a day-limit refusal was retried")
		}
	})
}

// TestMinuteLimiter: 130 calls never see a 429 — the client keeps within 60
// per minute and 5 at once by itself. The sandbox keeps Xero's real
// minute on synctest's fake clock, so the client's second to spare is
// exactly a second: 130 calls start in three bursts, each its window (61 s)
// and a millisecond after the one before.
func TestMinuteLimiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newBubbleHarness(t, xerotest.Options{TimeScale: 1})
		c := h.connected(nil)
		ctx := t.Context()
		start := h.clock.Now()
		errs := make(chan error, 130)
		for range 130 {
			go func() { _, err := c.Currencies(ctx); errs <- err }()
		}
		for range 130 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range h.srv.Requests() {
			if r.Status == 429 {
				t.Fatalf("the sandbox answered 429: %s", r.ResponseBody)
			}
		}
		if took, want := h.clock.Now().Sub(start), 2*(time.Minute+time.Second+time.Millisecond); took != want {
			t.Fatalf("130 calls took %s, want %s", took, want)
		}
	})
}

// TestDocumentsFlow goes through every call the export uses: reference
// data, contacts, an authorised invoice, a payment, a credit note with its
// allocation, a status change and history notes.
func TestDocumentsFlow(t *testing.T) {
	h := newHarness(t, xerotest.Options{})
	c := h.connected(nil)
	ctx := ctxT(t)

	org, err := c.Organisation(ctx)
	if err != nil || org.BaseCurrency != "GBP" {
		t.Fatalf("organisation %+v %v", org, err)
	}
	rates, err := c.TaxRates(ctx)
	if err != nil || !hasTax(rates, "OUTPUT2", "20") {
		t.Fatalf("tax rates %+v %v", rates, err)
	}
	accts, err := c.Accounts(ctx)
	if err != nil || !hasAccount(accts, "090") || !hasAccount(accts, "200") {
		t.Fatalf("accounts %v", err)
	}
	if cur, err := c.Currencies(ctx); err != nil || len(cur) == 0 {
		t.Fatalf("currencies %v", err)
	}
	if _, err := c.BrandingThemes(ctx); err != nil {
		t.Fatalf("branding themes %v", err)
	}

	cres, err := c.CreateContacts(ctx, []xero.Contact{{Name: "Dora Flow", ContactNumber: "OC-C900", EmailAddress: "dora@example.com"}}, "c-900")
	if err != nil || cres[0].Err != nil {
		t.Fatalf("contact %v %v", err, cres[0].Err)
	}
	contactID := cres[0].Item.ContactID
	upd, err := c.UpdateContacts(ctx, []xero.Contact{{ContactID: contactID, FirstName: "Dora"}}, "c-900-u")
	if err != nil || upd[0].Err != nil || upd[0].Item.FirstName != "Dora" {
		t.Fatalf("update contact %v %+v", err, upd)
	}

	inv := invoice("OC-900", "", "200")
	inv.Contact = &xero.Contact{ContactID: contactID}
	inv.Status = "AUTHORISED"
	ires, err := c.CreateInvoices(ctx, []xero.Invoice{inv}, "i-900")
	if err != nil || ires[0].Err != nil {
		t.Fatalf("invoice %v %v", err, ires[0].Err)
	}
	invID := ires[0].Item.InvoiceID

	pres, err := c.CreatePayments(ctx, []xero.Payment{{
		Invoice: &xero.InvoiceRef{InvoiceID: invID}, Account: &xero.AccountRef{Code: "090"},
		Date: xero.NewDate(2026, 1, 16), Amount: xero.MustAmount("10.00"), Reference: "PayPal 1",
	}}, "p-900")
	if err != nil || pres[0].Err != nil || pres[0].Item.PaymentID == "" {
		t.Fatalf("payment %v %+v", err, pres)
	}
	pays, err := c.Payments(ctx, `Invoice.InvoiceID==Guid("`+invID+`")`)
	if err != nil || len(pays) != 1 {
		t.Fatalf("payments %d %v", len(pays), err)
	}

	cn := xero.CreditNote{Type: "ACCRECCREDIT", CreditNoteNumber: "OC-R900", Contact: &xero.Contact{ContactID: contactID},
		Date: xero.NewDate(2026, 1, 17), Status: "AUTHORISED", LineAmountTypes: "Exclusive",
		LineItems: []xero.LineItem{{Description: "Refund", Quantity: xero.MustAmount("1"), UnitAmount: xero.MustAmount("5"), AccountCode: "200", TaxType: "OUTPUT2"}}}
	nres, err := c.CreateCreditNotes(ctx, []xero.CreditNote{cn}, "n-900")
	if err != nil || nres[0].Err != nil {
		t.Fatalf("credit note %v %v", err, nres[0].Err)
	}
	cnID := nres[0].Item.CreditNoteID
	ares, err := c.AllocateCreditNote(ctx, cnID, []xero.Allocation{{Invoice: &xero.InvoiceRef{InvoiceID: invID}, Amount: xero.MustAmount("6.00"), Date: xero.NewDate(2026, 1, 17)}}, "a-900")
	if err != nil || ares[0].Err != nil {
		t.Fatalf("allocation %v %+v", err, ares)
	}
	notes, err := c.CreditNotes(ctx, xero.CreditNoteQuery{Numbers: []string{"OC-R900"}})
	if err != nil || len(notes) != 1 || notes[0].RemainingCredit.String() != "0" {
		t.Fatalf("credit note read back %+v %v", notes, err)
	}
	if byID, err := c.CreditNotes(ctx, xero.CreditNoteQuery{IDs: []string{cnID}}); err != nil || len(byID) != 1 {
		t.Fatalf("credit note by id %d %v", len(byID), err)
	}

	got, err := c.Invoices(ctx, xero.InvoiceQuery{IDs: []string{invID}})
	// 24.30 − 10.00 paid − 6.00 credited = 8.30 due.
	if err != nil || len(got) != 1 || got[0].AmountDue.String() != "8.3" {
		t.Fatalf("invoice read back %+v %v", got, err)
	}

	draft, err := c.CreateInvoices(ctx, []xero.Invoice{invoice("OC-901", "Dora Flow", "200")}, "i-901")
	if err != nil || draft[0].Err != nil {
		t.Fatalf("draft %v", err)
	}
	sub, err := c.UpdateInvoiceStatus(ctx, draft[0].Item.InvoiceID, "AUTHORISED", "s-901")
	if err != nil || sub.Status != "AUTHORISED" {
		t.Fatalf("status %+v %v", sub, err)
	}
	_, err = c.UpdateInvoiceStatus(ctx, draft[0].Item.InvoiceID, "DELETED", "s-901-d")
	var ve *xero.ValidationError
	if !errors.As(err, &ve) || ve.Index != -1 {
		t.Fatalf("deleting an authorised invoice: %T %v", err, err)
	}

	if err := c.AddHistoryNote(ctx, xero.HistoryInvoices, invID, "Exported from OpenCart order #900", "h-900"); err != nil {
		t.Fatalf("history note %v", err)
	}
	before := h.calls("PUT /Invoices/{id}/History")
	if before != 1 {
		t.Fatalf("history notes sent: %d, want 1", before)
	}
	if err := c.AddHistoryNote(ctx, xero.HistoryInvoices, invID, strings.Repeat("x", 251), "h-long"); !errors.As(err, &ve) {
		t.Fatalf("251-character note: %v", err)
	}
	if h.calls("PUT /Invoices/{id}/History") != before {
		t.Fatal("an over-long note was sent")
	}
	hist, err := c.History(ctx, xero.HistoryInvoices, invID)
	if err != nil || !hasNote(hist, "Exported from OpenCart order #900") {
		t.Fatalf("history %+v %v", hist, err)
	}

	var nf *xero.NotFoundError
	if _, err := c.History(ctx, xero.HistoryInvoices, "00000000-0000-4000-8000-000000000000"); !errors.As(err, &nf) {
		t.Fatalf("history of no invoice: %T %v", err, err)
	}
	c.SetTenant("")
	if _, err := c.Accounts(ctx); !errors.Is(err, xero.ErrNoTenant) {
		t.Fatalf("no tenant: %v", err)
	}
}

func hasTax(rates []xero.TaxRate, code, rate string) bool {
	for _, r := range rates {
		if r.TaxType == code && r.EffectiveRate.String() == rate {
			return true
		}
	}
	return false
}

func hasAccount(accts []xero.Account, code string) bool {
	for _, a := range accts {
		if a.Code == code {
			return true
		}
	}
	return false
}

func hasNote(h []xero.HistoryRecord, details string) bool {
	for _, r := range h {
		if r.Details == details {
			return true
		}
	}
	return false
}
