package export_test

import (
	"context"
	"strings"
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

// cancelEnv is a shop with one customer and the export settings for status.
func cancelEnv(t *testing.T, status string) (*env, export.Settings, int) {
	e := newEnv(t, opencart.Family40)
	c := e.shop.AddCustomer(octest.Customer{FirstName: "Cara", LastName: "Voss", Email: "cara@example.com"})
	return e, e.settings(status), c
}

// cancelOrder is a 126.00 order (100.00 + shipping 5.00 + VAT 21.00).
func cancelOrder(id, customer, status int) octest.Order {
	o := vatOrder(id, customer, "Cara", "Voss", "cara@example.com", status, []octest.Product{product("Teapot", 1, "100.0000", "20.0000")}, nil, "21.0000", "126.0000")
	if status == 5 {
		o.History = []octest.History{{StatusID: 1, DateAdded: octest.DefaultDate}, {StatusID: 5, DateAdded: octest.DefaultDate.Add(time.Hour)}}
	}
	return o
}

func (e *env) setStatus(orderID, status int) {
	e.t.Helper()
	if _, err := e.shop.SQL.Exec("UPDATE oc_order SET order_status_id = ? WHERE order_id = ?", status, orderID); err != nil {
		e.t.Fatal(err)
	}
}

// invoicesNumbered lists the sandbox's invoices with this number.
func (e *env) invoicesNumbered(number string) []xerotest.Invoice {
	var out []xerotest.Invoice
	for _, inv := range e.sandbox.Invoices(tenant) {
		if inv.InvoiceNumber == number {
			out = append(out, inv)
		}
	}
	return out
}

func (e *env) invoiceRecord(id string) history.Record {
	e.t.Helper()
	rec, err := e.hist.RecordFor(context.Background(), history.KindInvoice, id)
	if err != nil {
		e.t.Fatalf("invoice record %s: %v", id, err)
	}
	return rec
}

func (e *env) trail(rec history.Record) []history.Event {
	e.t.Helper()
	evs, err := e.hist.Events(context.Background(), rec.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return evs
}

// rerunSendsNothing runs again and insists on no write and no invoice
// look-up in Xero.
func (e *env) rerunSendsNothing(s export.Settings) export.Summary {
	e.t.Helper()
	e.sandbox.ResetCounters()
	sum := e.run(s, export.Request{Scope: export.ScopeAll})
	if w, get := e.writes(), e.sandbox.Calls()["GET /Invoices"]; w != 0 || get != 0 {
		e.t.Fatalf("a re-run made %d writes and %d invoice look-ups: %v", w, get, e.sandbox.Calls())
	}
	return sum
}

func TestCancelledDraftIsDeletedAndCannotComeBack(t *testing.T) {
	e, s, c := cancelEnv(t, mapping.StatusDraft)
	e.shop.AddOrders(cancelOrder(5001, c, 1), cancelOrder(5002, c, 1))
	if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		t.Fatalf("first export: %+v", sum)
	}
	first := e.invoicesNumbered("OC-5001")
	if len(first) != 1 || first[0].Status != "DRAFT" {
		t.Fatalf("OC-5001 before the cancel: %+v", first)
	}

	e.setStatus(5001, 7)
	e.sandbox.ResetCounters()
	sum := e.run(s, export.Request{Scope: export.ScopeAll})
	if sum.Failed != 0 || sum.Withdrawn != 1 || sum.Exported != 0 {
		t.Fatalf("run after the cancel: %+v", sum)
	}
	if got := e.invoicesNumbered("OC-5001"); len(got) != 1 || got[0].Status != "DELETED" {
		t.Fatalf("OC-5001 after the cancel: %+v", got)
	}
	if got := e.invoicesNumbered("OC-5002"); len(got) != 1 || got[0].Status != "DRAFT" {
		t.Fatalf("the order still pending was touched: %+v", got)
	}
	if calls := e.sandbox.Calls(); calls["POST /Invoices"] != 1 || calls["GET /Invoices"] != 1 {
		t.Fatalf("calls for one cancelled order: %v", calls)
	}
	rec := e.invoiceRecord("5001")
	if rec.State != history.StateDeleted || rec.XeroID != first[0].InvoiceID ||
		rec.Error != "order 5001 was cancelled in OpenCart (now Canceled): its invoice OC-5001 (not yet approved) was deleted in Xero" {
		t.Fatalf("record after the cancel: %+v", rec)
	}
	evs := e.trail(rec)
	if n := len(evs); n < 3 || evs[n-2].State != history.StateSending || evs[n-1].State != history.StateDeleted {
		t.Fatalf("audit trail: %+v", evs)
	}
	e.rerunSendsNothing(s)

	// Back to pending: Xero keeps a deleted invoice's number, so nothing
	// is sent and the bookkeeper is told what to do, once.
	e.setStatus(5001, 1)
	back := e.rerunSendsNothing(s)
	rec = e.invoiceRecord("5001")
	if back.Failed != 1 || rec.State != history.StateChanged ||
		!strings.Contains(rec.Error, "order 5001 is Pending again in OpenCart, but its invoice OC-5001 was deleted in Xero") ||
		!strings.Contains(rec.Error, "keeps its number") {
		t.Fatalf("after the order came back: %+v, record %+v", back, rec)
	}
	if got := e.invoicesNumbered("OC-5001"); len(got) != 1 || got[0].Status != "DELETED" {
		t.Fatalf("OC-5001 after the order came back: %+v", got)
	}
	if again := e.rerunSendsNothing(s); again.Failed != 0 {
		t.Fatalf("flagged again: %+v", again)
	}
	e.rerunSendsNothing(s)
}

func TestCancelledApprovedInvoiceIsVoidedAndCannotComeBack(t *testing.T) {
	e, s, c := cancelEnv(t, mapping.StatusAuthorised)
	e.shop.AddOrders(cancelOrder(5101, c, 1), cancelOrder(5102, c, 1))
	if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		t.Fatalf("first export: %+v", sum)
	}
	e.setStatus(5101, 8)

	// A dry run says what would happen and sends nothing.
	e.sandbox.ResetCounters()
	e.events.list = nil
	eng, err := export.New(export.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s, Progress: e.events})
	if err != nil {
		t.Fatal(err)
	}
	dry, err := eng.Run(context.Background(), export.Request{Scope: export.ScopeAll, DryRun: true})
	if err != nil || dry.Failed != 0 {
		t.Fatalf("dry run: %+v, %v", dry, err)
	}
	if calls := e.sandbox.Calls(); len(calls) != 0 {
		t.Fatalf("the dry run called Xero: %v", calls)
	}
	var said string
	for _, o := range e.events.outcomes() {
		if o.Kind == history.KindInvoice && o.OpenCartID == "5101" {
			said = o.State + ": " + o.Message
		}
	}
	if !strings.HasPrefix(said, "dry run: order 5101 was cancelled in OpenCart (now Denied): its invoice OC-5101 would be voided in Xero") {
		t.Fatalf("the dry run said %q", said)
	}
	if rec := e.invoiceRecord("5101"); rec.State != history.StateExported {
		t.Fatalf("the dry run changed the record: %+v", rec)
	}

	sum := e.run(s, export.Request{Scope: export.ScopeAll})
	if sum.Failed != 0 || sum.Withdrawn != 1 || sum.Exported != 0 {
		t.Fatalf("run after the cancel: %+v", sum)
	}
	if got := e.invoicesNumbered("OC-5101"); len(got) != 1 || got[0].Status != "VOIDED" {
		t.Fatalf("OC-5101 after the cancel: %+v", got)
	}
	if got := e.invoicesNumbered("OC-5102"); len(got) != 1 || got[0].Status != "AUTHORISED" {
		t.Fatalf("the order still pending was touched: %+v", got)
	}
	rec := e.invoiceRecord("5101")
	if rec.State != history.StateVoided || rec.Error != "order 5101 was cancelled in OpenCart (now Denied): its invoice OC-5101 was voided in Xero" {
		t.Fatalf("record after the cancel: %+v", rec)
	}
	e.rerunSendsNothing(s)

	// Complete after all: a voided invoice cannot be revived, and no second
	// invoice is made behind the bookkeeper's back.
	e.setStatus(5101, 5)
	back := e.rerunSendsNothing(s)
	rec = e.invoiceRecord("5101")
	if back.Failed != 1 || rec.State != history.StateChanged || !strings.Contains(rec.Error, "order 5101 is Complete again in OpenCart, but its invoice OC-5101 was voided in Xero") ||
		!strings.Contains(rec.Error, "cannot bring it back and keeps its number") {
		t.Fatalf("after the order came back: %+v, record %+v", back, rec)
	}
	if got := e.invoicesNumbered("OC-5101"); len(got) != 1 || got[0].Status != "VOIDED" {
		t.Fatalf("OC-5101 after the order came back: %+v", got)
	}
	if pay, err := e.hist.RecordFor(t.Context(), history.KindPayment, "5101"); err != nil || pay.State != history.StateSkipped ||
		!strings.Contains(pay.Error, "the invoice needs attention first (changed: order 5101 is Complete again") {
		t.Fatalf("the payment of the order that came back: %+v, %v", pay, err)
	}
	trail := len(e.trail(rec))
	again := e.rerunSendsNothing(s)
	if rec = e.invoiceRecord("5101"); again.Failed != 0 || rec.State != history.StateChanged || len(e.trail(rec)) != trail {
		t.Fatalf("the flag was recorded again: %+v, record %+v", again, rec)
	}
	// Cancelled once more: the record says voided again, nothing is sent.
	e.setStatus(5101, 7)
	e.sandbox.ResetCounters()
	e.run(s, export.Request{Scope: export.ScopeAll})
	if rec = e.invoiceRecord("5101"); rec.State != history.StateVoided || e.writes() != 0 {
		t.Fatalf("cancelled again: record %+v, calls %v", rec, e.sandbox.Calls())
	}
}

func TestCancelledPaidInvoiceIsFlaggedAndLeftAlone(t *testing.T) {
	e, s, c := cancelEnv(t, mapping.StatusAuthorised)
	e.shop.AddOrders(cancelOrder(5201, c, 5), cancelOrder(5202, c, 1))
	if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		t.Fatalf("first export: %+v", sum)
	}
	if got := e.invoicesNumbered("OC-5201"); len(got) != 1 || got[0].Status != "PAID" {
		t.Fatalf("OC-5201 before the cancel: %+v", got)
	}
	exported := e.invoiceRecord("5201")
	// The unpaid order's invoice gets part of a payment in Xero by hand.
	part := []xero.Payment{{Invoice: &xero.InvoiceRef{InvoiceID: e.invoiceRecord("5202").XeroID}, Account: &xero.AccountRef{Code: s.DefaultPaymentAccount},
		Date: xero.NewDate(2024, time.March, 2), Amount: xero.NewAmount(mustDec("50.00"))}}
	if res, err := e.client.CreatePayments(context.Background(), part, ""); err != nil || res[0].Err != nil {
		t.Fatalf("payment by hand: %v, %+v", err, res)
	}

	e.setStatus(5201, 7)
	e.setStatus(5202, 14)
	e.sandbox.ResetCounters()
	sum := e.run(s, export.Request{Scope: export.ScopeAll})
	want := map[string]string{
		"5201": "order 5201 was cancelled in OpenCart (now Canceled) after its invoice OC-5201 was paid in Xero (GBP 126.00 paid): refund it in OpenCart (a credit note follows) or void the invoice in Xero by hand",
		"5202": "order 5202 was cancelled in OpenCart (now Expired) after its invoice OC-5202 was paid in Xero (GBP 50.00 paid): refund it in OpenCart (a credit note follows) or void the invoice in Xero by hand",
	}
	for id, msg := range want {
		if rec := e.invoiceRecord(id); rec.State != history.StateChanged || rec.Error != msg {
			t.Errorf("order %s after the cancel: %+v", id, rec)
		}
	}
	if sum.Failed != 2 || e.writes() != 0 {
		t.Fatalf("run after the cancel: %+v, calls %v", sum, e.sandbox.Calls())
	}
	for number, status := range map[string]string{"OC-5201": "PAID", "OC-5202": "AUTHORISED"} {
		if got := e.invoicesNumbered(number); len(got) != 1 || got[0].Status != status {
			t.Fatalf("%s after the cancel: %+v", number, got)
		}
	}
	e.rerunSendsNothing(s)

	// Pending again, unchanged: the record goes back to exported, quietly.
	e.setStatus(5202, 1)
	e.rerunSendsNothing(s)
	if rec := e.invoiceRecord("5202"); rec.State != history.StateExported {
		t.Fatalf("after the order came back: %+v", rec)
	}
	// Refunded in OpenCart, as the message advises: the invoice is exported
	// again and the refund's credit note follows.
	e.setStatus(5201, 11)
	if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		t.Fatalf("run after the refund: %+v", sum)
	}
	if rec := e.invoiceRecord("5201"); rec.State != history.StateExported || rec.ContentHash != exported.ContentHash || rec.XeroID != exported.XeroID {
		t.Fatalf("after the refund: %+v", rec)
	}
	cn, err := e.hist.RecordFor(context.Background(), history.KindCreditNote, "order-5201")
	if err != nil || cn.State != history.StateExported || cn.XeroTotal != "126.00" {
		t.Fatalf("the refund's credit note: %+v, %v", cn, err)
	}
	if got := e.invoicesNumbered("OC-5201"); len(got) != 1 || got[0].Status != "PAID" {
		t.Fatalf("OC-5201 after the refund: %+v", got)
	}
}

func TestInterruptedVoidIsLookedUpNotSentTwice(t *testing.T) {
	e, s, c := cancelEnv(t, mapping.StatusAuthorised)
	e.shop.AddOrders(cancelOrder(5301, c, 1), cancelOrder(5302, c, 1))
	if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		t.Fatalf("first export: %+v", sum)
	}
	e.setStatus(5301, 7)
	e.setStatus(5302, 7)
	// Xero voids the invoice but no answer comes back, on every retry: as
	// if the process died between the call and the record.
	e.sandbox.Inject(xerotest.Fault{Method: "POST", Path: "/Invoices", Kind: xerotest.FaultDropAfterCommit, Times: -1})
	eng, err := export.New(export.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Run(context.Background(), export.Request{Scope: export.ScopeAll}); err == nil {
		t.Fatal("a run whose void got no answer ended without an error")
	}
	e.sandbox.ClearFaults()
	for _, id := range []string{"5301", "5302"} {
		if rec := e.invoiceRecord(id); rec.State != history.StateSending {
			t.Fatalf("record after the unanswered void: %+v", rec)
		}
		if got := e.invoicesNumbered("OC-" + id); len(got) != 1 || got[0].Status != "VOIDED" {
			t.Fatalf("OC-%s after the unanswered void: %+v", id, got)
		}
	}
	// Before the next run, one of the two orders is pending again.
	e.setStatus(5302, 1)

	e.sandbox.ResetCounters()
	sum := e.run(s, export.Request{Scope: export.ScopeAll})
	rec := e.invoiceRecord("5301")
	if rec.State != history.StateVoided || e.writes() != 0 || e.sandbox.Calls()["GET /Invoices"] != 2 {
		t.Fatalf("the next run: %+v, record %+v, calls %v", sum, rec, e.sandbox.Calls())
	}
	back := e.invoiceRecord("5302")
	if sum.Failed != 1 || back.State != history.StateChanged || !strings.Contains(back.Error, "order 5302 is Pending again in OpenCart, but its invoice OC-5302 was voided in Xero") {
		t.Fatalf("the order back before the look-up: %+v, record %+v", sum, back)
	}
	if got := e.invoicesNumbered("OC-5302"); len(got) != 1 || got[0].Status != "VOIDED" {
		t.Fatalf("OC-5302 after the order came back: %+v", got)
	}
	e.rerunSendsNothing(s)
}

func TestOrderDeletedInOpenCartIsFlaggedNotVoided(t *testing.T) {
	e, s, c := cancelEnv(t, mapping.StatusAuthorised)
	e.shop.AddOrders(cancelOrder(5401, c, 1), cancelOrder(5402, c, 1))
	if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		t.Fatalf("first export: %+v", sum)
	}
	if _, err := e.shop.SQL.Exec("DELETE FROM oc_order WHERE order_id = 5401"); err != nil {
		t.Fatal(err)
	}
	e.sandbox.ResetCounters()
	sum := e.run(s, export.Request{Scope: export.ScopeAll})
	rec := e.invoiceRecord("5401")
	if sum.Failed != 1 || rec.State != history.StateChanged || !strings.HasPrefix(rec.Error, "order 5401 is no longer in OpenCart (deleted there), but its invoice OC-5401 is still in Xero") {
		t.Fatalf("after the delete: %+v, record %+v", sum, rec)
	}
	if e.writes() != 0 || e.sandbox.Calls()["GET /Invoices"] != 0 {
		t.Fatalf("a deleted order made calls: %v", e.sandbox.Calls())
	}
	if got := e.invoicesNumbered("OC-5401"); len(got) != 1 || got[0].Status != "AUTHORISED" {
		t.Fatalf("OC-5401 after the delete: %+v", got)
	}
	if other := e.invoiceRecord("5402"); other.State != history.StateExported {
		t.Fatalf("the order still there was flagged: %+v", other)
	}
	trail := len(e.trail(rec))
	if again := e.rerunSendsNothing(s); again.Failed != 0 || len(e.trail(e.invoiceRecord("5401"))) != trail {
		t.Fatalf("the flag was recorded again: %+v", again)
	}
}

// TestNumberHeldByAVoidedInvoice: an invoice voided by hand in Xero keeps
// its number; a new profile exporting the order again is refused by Xero
// and says which invoice holds the number and what to do.
func TestNumberHeldByAVoidedInvoice(t *testing.T) {
	// Xero's clock, moved on past its idempotency window (6 minutes)
	// before the new profile runs: within it Xero would replay its answer
	// to the first profile's identical request.
	var later atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(later.Load())) }
	e := newEnvB(t, opencart.Family40, xerotest.Options{TimeScale: 0.001, Now: now})
	c := e.shop.AddCustomer(octest.Customer{FirstName: "Cara", LastName: "Voss", Email: "cara@example.com"})
	s := e.settings(mapping.StatusAuthorised)
	e.shop.AddOrder(cancelOrder(5501, c, 1))
	if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		t.Fatalf("first export: %+v", sum)
	}
	inv := e.invoicesNumbered("OC-5501")[0]
	res, err := e.client.UpdateInvoices(t.Context(), []xero.Invoice{{InvoiceID: inv.InvoiceID, Status: "VOIDED"}}, "void-by-hand")
	if err != nil || res[0].Err != nil {
		t.Fatalf("voiding by hand: %v %v", err, res)
	}
	// A new profile: its history knows nothing of OC-5501.
	fresh, err := history.Open(t.Context(), t.TempDir()+"/history.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fresh.Close() })
	e.hist = fresh
	later.Store(int64(7 * time.Minute))
	sum := e.run(s, export.Request{Scope: export.ScopeAll})
	rec := e.invoiceRecord("5501")
	if sum.Failed != 1 || rec.State != history.StateFailed ||
		rec.Error != "the invoice number OC-5501 belongs to an invoice voided in Xero, and Xero never gives a number back: rename that invoice in Xero (e.g. OC-5501-voided) and export again" {
		t.Fatalf("%+v, record %+v", sum, rec)
	}
	if got := e.invoicesNumbered("OC-5501"); len(got) != 1 || got[0].Status != "VOIDED" {
		t.Fatalf("OC-5501: %+v", got)
	}
}
