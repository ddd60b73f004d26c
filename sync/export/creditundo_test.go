package export_test

import (
	"context"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// undoEnv is a shop whose order id was exported with its invoice status,
// then refunded in OpenCart and exported again: its credit note is in
// Xero, paid out as a refund (the order was paid) or allocated to the
// invoice (it was not).
func undoEnv(t *testing.T, status string, id, orderStatus int) (*env, export.Settings, history.Record) {
	t.Helper()
	e, s, c := cancelEnv(t, status)
	// The refund's amount is known, so its credit note is approved (with
	// the invoices) and its money allocated or paid out at once.
	s.RefundsAreFull = true
	e.shop.AddOrder(cancelOrder(id, c, orderStatus))
	if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		t.Fatalf("first export: %+v", sum)
	}
	e.shop.SetOrderStatus(id, 11, day(2), "") // Refunded
	if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		t.Fatalf("export of the refund: %+v", sum)
	}
	rec := e.creditRecord(id)
	if rec.State != history.StateExported || rec.XeroID == "" {
		t.Fatalf("the refund's credit note: %+v", rec)
	}
	return e, s, rec
}

func (e *env) creditRecord(orderID int) history.Record {
	e.t.Helper()
	rec, err := e.hist.RecordFor(context.Background(), history.KindCreditNote, history.RefundKey(orderID))
	if err != nil {
		e.t.Fatal(err)
	}
	return rec
}

// undo runs undoCredits on the credit note of the order as the history
// has it now; it fails the test on an error unless failing is expected.
func (e *env) undo(s export.Settings, orderID int, failing bool) export.Summary {
	e.t.Helper()
	sum, err := export.UndoCredits(context.Background(), export.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s}, []history.Record{e.creditRecord(orderID)})
	if (err != nil) != failing {
		e.t.Fatalf("undo: %v (an error expected: %v)", err, failing)
	}
	return sum
}

// creditNoteOf is the sandbox's credit note with this id.
func (e *env) creditNoteOf(id string) xerotest.CreditNote {
	e.t.Helper()
	for _, cn := range e.sandbox.CreditNotes(tenant) {
		if cn.CreditNoteID == id {
			return cn
		}
	}
	e.t.Fatalf("no credit note %s in Xero", id)
	return xerotest.CreditNote{}
}

// refundsOf lists the payments paid out on a credit note, by status.
func (e *env) refundsOf(id string) map[string][]xerotest.Payment {
	out := map[string][]xerotest.Payment{}
	for _, p := range e.sandbox.Payments(tenant) {
		if p.CreditNote != nil && p.CreditNote.CreditNoteID == id {
			out[p.Status] = append(out[p.Status], p)
		}
	}
	return out
}

// requestOrder lists the sandbox's write requests in the order they came.
func (e *env) requestOrder() []string {
	var out []string
	for _, r := range e.sandbox.Requests() {
		if r.Method != "GET" && !strings.Contains(r.Key, "/connect/") {
			out = append(out, r.Key)
		}
	}
	return out
}

// undoneAgainDoesNothing undoes the record once more: no call at all.
func (e *env) undoneAgainDoesNothing(s export.Settings, orderID int) {
	e.t.Helper()
	rec := e.creditRecord(orderID)
	e.sandbox.ResetCounters()
	e.undo(s, orderID, false)
	if calls := e.sandbox.Calls(); len(calls) != 0 {
		e.t.Fatalf("undoing again called Xero: %v", calls)
	}
	if again := e.creditRecord(orderID); again.State != rec.State || len(e.trail(again)) != len(e.trail(rec)) {
		e.t.Fatalf("undoing again changed the record: %+v", again)
	}
}

func TestUndoCashRefundDeletesThePaymentBeforeTheVoid(t *testing.T) {
	e, s, rec := undoEnv(t, mapping.StatusAuthorised, 6001, 5)
	refunds := e.refundsOf(rec.XeroID)
	if cn := e.creditNoteOf(rec.XeroID); cn.Status != "PAID" || len(refunds["AUTHORISED"]) != 1 {
		t.Fatalf("before the undo: %s, refunds %+v", cn.Status, refunds)
	}
	e.sandbox.ResetCounters()
	sum := e.undo(s, 6001, false)
	if got := e.requestOrder(); strings.Join(got, ", ") != "POST /Payments/{id}, POST /CreditNotes" {
		t.Fatalf("writes, in order: %v", got)
	}
	if calls := e.sandbox.Calls(); calls["GET /CreditNotes"] != 1 {
		t.Fatalf("look-ups: %v", calls)
	}
	if cn := e.creditNoteOf(rec.XeroID); cn.Status != "VOIDED" {
		t.Fatalf("the credit note after the undo: %s", cn.Status)
	}
	if after := e.refundsOf(rec.XeroID); len(after["DELETED"]) != 1 || len(after["AUTHORISED"]) != 0 {
		t.Fatalf("the refund after the undo: %+v", after)
	}
	if got := e.invoicesNumbered("OC-6001"); len(got) != 1 || got[0].Status != "PAID" {
		t.Fatalf("the invoice after the undo: %+v", got)
	}
	done := e.creditRecord(6001)
	if sum.Failed != 0 || done.State != history.StateVoided || done.XeroID != rec.XeroID ||
		done.Error != "order 6001 is no longer refunded in OpenCart: its credit note OC-CN-6001 was voided in Xero, after the refund payment of GBP 126.00 on OC-CN-6001 deleted" {
		t.Fatalf("the record after the undo: %+v, %+v", done, sum)
	}
	evs := e.trail(done)
	if n := len(evs); n < 3 || evs[n-2].State != history.StateSending || evs[n-1].State != history.StateVoided {
		t.Fatalf("audit trail: %+v", evs)
	}
	e.undoneAgainDoesNothing(s, 6001)
}

func TestUndoAllocatedNoteRemovesTheAllocation(t *testing.T) {
	e, s, rec := undoEnv(t, mapping.StatusAuthorised, 6101, 1)
	if cn := e.creditNoteOf(rec.XeroID); cn.Status != "PAID" || len(cn.Allocations) != 1 || len(e.refundsOf(rec.XeroID)) != 0 {
		t.Fatalf("before the undo: %+v", cn)
	}
	e.sandbox.ResetCounters()
	e.undo(s, 6101, false)
	if got := e.requestOrder(); strings.Join(got, ", ") != "DELETE /CreditNotes/{id}/Allocations/{id}, POST /CreditNotes" {
		t.Fatalf("writes, in order: %v", got)
	}
	if cn := e.creditNoteOf(rec.XeroID); cn.Status != "VOIDED" || len(cn.Allocations) != 0 {
		t.Fatalf("the credit note after the undo: %+v", cn)
	}
	if got := e.invoicesNumbered("OC-6101"); len(got) != 1 || got[0].Status != "AUTHORISED" || got[0].AmountDue.String() != "126" {
		t.Fatalf("the invoice after the undo: %+v", got)
	}
	if done := e.creditRecord(6101); done.State != history.StateVoided ||
		!strings.HasSuffix(done.Error, "after the allocation of GBP 126.00 from OC-CN-6101 to invoice OC-6101 removed") {
		t.Fatalf("the record after the undo: %+v", done)
	}
	e.undoneAgainDoesNothing(s, 6101)
}

func TestUndoDraftNoteDeletesIt(t *testing.T) {
	e, s, rec := undoEnv(t, mapping.StatusDraft, 6201, 1)
	if cn := e.creditNoteOf(rec.XeroID); cn.Status != "DRAFT" {
		t.Fatalf("before the undo: %s", cn.Status)
	}
	e.sandbox.ResetCounters()
	e.undo(s, 6201, false)
	if got := e.requestOrder(); strings.Join(got, ", ") != "POST /CreditNotes" {
		t.Fatalf("writes, in order: %v", got)
	}
	if cn := e.creditNoteOf(rec.XeroID); cn.Status != "DELETED" {
		t.Fatalf("the credit note after the undo: %s", cn.Status)
	}
	if done := e.creditRecord(6201); done.State != history.StateDeleted ||
		done.Error != "order 6201 is no longer refunded in OpenCart: its credit note OC-CN-6201 (not yet approved) was deleted in Xero" {
		t.Fatalf("the record after the undo: %+v", done)
	}
	e.undoneAgainDoesNothing(s, 6201)
}

func TestUndoReconciledRefundIsFlaggedWithTheStep(t *testing.T) {
	e, s, rec := undoEnv(t, mapping.StatusAuthorised, 6301, 5)
	refund := e.refundsOf(rec.XeroID)["AUTHORISED"][0]
	if err := e.sandbox.SetPaymentReconciled(tenant, refund.PaymentID, true); err != nil {
		t.Fatal(err)
	}
	e.sandbox.ResetCounters()
	sum := e.undo(s, 6301, false)
	flagged := e.creditRecord(6301)
	if sum.Failed != 1 || flagged.State != history.StateChanged || !strings.HasPrefix(flagged.Error,
		"order 6301 is no longer refunded in OpenCart, but the refund payment of GBP 126.00 on OC-CN-6301 is reconciled with a bank statement line: unreconcile it in Xero") ||
		!strings.HasSuffix(flagged.Error, "then export again: the payment is deleted and OC-CN-6301 voided then") {
		t.Fatalf("the record: %+v, %+v", flagged, sum)
	}
	if got, calls := e.requestOrder(), e.sandbox.Calls(); len(got) != 0 || calls["GET /Payments"] != 1 {
		t.Fatalf("a reconciled payment is read, not deleted (Xero refuses it), and nothing is voided: writes %v, calls %v", got, calls)
	}
	if cn := e.creditNoteOf(rec.XeroID); cn.Status != "PAID" || len(e.refundsOf(rec.XeroID)["AUTHORISED"]) != 1 {
		t.Fatalf("the credit note after the refusal: %s", cn.Status)
	}
	// Tried again while still reconciled: no write, the flag not recorded twice.
	trail := len(e.trail(flagged))
	e.sandbox.ResetCounters()
	e.undo(s, 6301, false)
	if again := e.creditRecord(6301); again.Error != flagged.Error || again.State != history.StateChanged || len(e.trail(again)) != trail || e.writes() != 0 {
		t.Fatalf("flagged again: %+v (%d events, %d before), calls %v", again, len(e.trail(again)), trail, e.sandbox.Calls())
	}
	// Unreconciled in Xero, as the record says: the next run finishes.
	if err := e.sandbox.SetPaymentReconciled(tenant, refund.PaymentID, false); err != nil {
		t.Fatal(err)
	}
	e.undo(s, 6301, false)
	if done := e.creditRecord(6301); done.State != history.StateVoided || e.creditNoteOf(rec.XeroID).Status != "VOIDED" {
		t.Fatalf("after unreconciling: %+v", done)
	}
	e.undoneAgainDoesNothing(s, 6301)
}

func TestUndoInterruptedAfterThePaymentIsFinishedNextRun(t *testing.T) {
	e, s, rec := undoEnv(t, mapping.StatusAuthorised, 6401, 5)
	// Xero deletes the refund payment but no answer comes back, on every
	// retry: as if the process died between the deletion and the void.
	e.sandbox.Inject(xerotest.Fault{Method: "POST", Path: "/Payments", Kind: xerotest.FaultDropAfterCommit, Times: -1})
	e.undo(s, 6401, true)
	e.sandbox.ClearFaults()
	if mid := e.creditRecord(6401); mid.State != history.StateSending {
		t.Fatalf("the record after the unanswered deletion: %+v", mid)
	}
	if cn := e.creditNoteOf(rec.XeroID); cn.Status != "AUTHORISED" || len(e.refundsOf(rec.XeroID)["DELETED"]) != 1 {
		t.Fatalf("Xero after the unanswered deletion: %s, %+v", cn.Status, e.refundsOf(rec.XeroID))
	}

	e.sandbox.ResetCounters()
	e.undo(s, 6401, false)
	if got := e.requestOrder(); strings.Join(got, ", ") != "POST /CreditNotes" {
		t.Fatalf("the next run's writes (the payment is not deleted twice): %v", got)
	}
	if cn := e.creditNoteOf(rec.XeroID); cn.Status != "VOIDED" {
		t.Fatalf("the credit note after the next run: %s", cn.Status)
	}
	if done := e.creditRecord(6401); done.State != history.StateVoided {
		t.Fatalf("the record after the next run: %+v", done)
	}
	e.undoneAgainDoesNothing(s, 6401)
}
