package export_test

import (
	"context"
	"strings"
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

// Issue 12, "read before you write money" and "stuck records cost
// nothing": what a person does in Xero (a payment from the bank feed, a
// credit note allocated, an invoice voided) decides what the next run
// sends, and a record Xero keeps refusing stops costing calls.

// pendingCupOrder is cupOrder still pending: its invoice goes to Xero
// unpaid, and the shop marks it paid later (paidCup).
func (r *refundShop) pendingCupOrder(id int) int {
	o := vatOrder(id, r.customer, "Rosa", "Reed", "rosa@example.com", 1,
		[]octest.Product{{ProductID: cupProduct, Name: "Cup", Model: "M-Cup", Quantity: 1, Price: "20.0000", Tax: "4.0000"}}, nil, "5.0000", "30.0000")
	o.History = []octest.History{{StatusID: 1, DateAdded: octest.DefaultDate}}
	return r.shop.AddOrder(o)
}

func (r *refundShop) paidCup(id int) { r.shop.SetOrderStatus(id, 5, day(1), "paid") }

func (r *refundShop) bookkeeper() *xerotest.Bookkeeper {
	r.t.Helper()
	b, err := r.sandbox.Bookkeeper(tenant)
	if err != nil {
		r.t.Fatal(err)
	}
	return b
}

func (r *refundShop) record(kind, id string) history.Record {
	r.t.Helper()
	rec, err := r.hist.RecordFor(context.Background(), kind, id)
	if err != nil {
		r.t.Fatalf("%s %s: %v", kind, id, err)
	}
	return rec
}

// invoiceOf is the sandbox's invoice with this number.
func (r *refundShop) invoiceOf(number string) xerotest.Invoice {
	r.t.Helper()
	for _, inv := range r.sandbox.Invoices(tenant) {
		if inv.InvoiceNumber == number {
			return inv
		}
	}
	r.t.Fatalf("no invoice %s in the sandbox", number)
	return xerotest.Invoice{}
}

func TestInvoicePaidInXeroThenOurPaymentRun(t *testing.T) {
	for _, c := range []struct {
		name       string
		byHand     string // paid in Xero before our run
		wantPaid   string // what Xero received in all
		wantSent   int    // PUT /Payments calls of our run
		wantState  string
		wantReason string
		// wantPreview is what the payment's preview says beforehand: the
		// amount it would pay, or why nothing would be sent.
		wantPreview string
	}{
		{"paid in full from the bank feed", "30", "30", 0, history.StateSkipped, "settled: paid in Xero: invoice OC-1201 was already paid there (total 30.00, paid 30.00, credited 0.00, due 0.00)",
			"nothing: paid in Xero: invoice OC-1201 was already paid there"},
		{"partly paid by hand", "10", "30", 1, history.StateExported, "paid less than OpenCart's total: 20.00 paid, what was still due on invoice OC-1201 in Xero",
			"20.00: paid less than OpenCart's total: 20.00 paid, what was still due on invoice OC-1201 in Xero"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRefundShop(t, true)
			id := r.pendingCupOrder(1201)
			r.exportAll()
			if _, err := r.bookkeeper().AddPayment("OC-1201", mustDec(c.byHand), r.s.DefaultPaymentAccount, day(1)); err != nil {
				t.Fatal(err)
			}
			r.paidCup(id)
			// The preview says what the run will do: the same rule (payAgainst).
			pv, err := r.engine(r.s).PreviewPayment(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			preview := pv.Amount + ": " + pv.Note
			if pv.Document == nil {
				preview = "nothing: " + pv.Skipped
			}
			if !strings.HasPrefix(preview, c.wantPreview) {
				t.Errorf("payment preview %q, want %q", preview, c.wantPreview)
			}
			r.sandbox.ResetCounters()
			sum := r.exportAll()
			calls := r.sandbox.Calls()
			rec := r.record(history.KindPayment, "1201")
			if sum.Failed != 0 || calls["GET /Invoices"] != 1 || calls["PUT /Payments"] != c.wantSent || rec.State != c.wantState || !strings.Contains(rec.Error, c.wantReason) {
				t.Fatalf("summary %+v, calls %s, payment record %s %q", sum, format(calls), rec.State, rec.Error)
			}
			b := r.wantBooks("after our run", "0", "0", "0", "0")
			if !b.received.Equal(mustDec(c.wantPaid)) {
				t.Errorf("received %s in Xero, want %s", b.received, c.wantPaid)
			}
			if inv := r.invoiceOf("OC-1201"); inv.Status != "PAID" {
				t.Errorf("invoice %s", inv.Status)
			}
			// Settled: the next run neither reads nor sends anything for it.
			r.sandbox.ResetCounters()
			if sum := r.exportAll(); sum.APICalls != 0 || sum.Failed != 0 {
				t.Errorf("the run after: %+v, calls %s", sum, format(r.sandbox.Calls()))
			}
		})
	}
}

// TestCreditNoteBeforePayment: `export credit-notes` before `export
// payments` allocates the return's credit note to the unpaid invoice
// first; the payment is then the rest of what is due, not the order's
// total Xero would refuse ("Payment amount exceeds the amount
// outstanding").
func TestCreditNoteBeforePayment(t *testing.T) {
	r := newRefundShop(t, true)
	id := r.cupOrder(1301)
	r.run(r.s, export.Request{Scope: export.ScopeOrders})
	r.addReturn(id, cupProduct, "Cup", 1, "Refunded", day(2))
	if sum := r.run(r.s, export.Request{Scope: export.ScopeCreditNotes}); sum.Failed != 0 {
		t.Fatalf("credit notes: %+v", sum)
	}
	if inv := r.invoiceOf("OC-1301"); !amountOf(inv.AmountDue).Equal(mustDec("6")) {
		t.Fatalf("after the credit note: due %s, want 6.00", amountOf(inv.AmountDue))
	}
	sum := r.run(r.s, export.Request{Scope: export.ScopePayments})
	rec := r.record(history.KindPayment, "1301")
	if sum.Failed != 0 || rec.State != history.StateExported || rec.XeroTotal != "6.00" || !strings.Contains(rec.Error, "6.00 paid, what was still due") {
		t.Fatalf("payments: %+v, record %s %s %q", sum, rec.State, rec.XeroTotal, rec.Error)
	}
	b := r.wantBooks("credit note first", "24", "0", "0", "0")
	if !b.received.Equal(mustDec("6")) {
		t.Errorf("received %s, want 6.00 (30.00 paid, 24.00 of it credited)", b.received)
	}
	if inv := r.invoiceOf("OC-1301"); inv.Status != "PAID" {
		t.Errorf("invoice %s, want PAID", inv.Status)
	}
	r.wantSettled("credit note first")
	r.wantNoWrites("credit note first")
}

func TestRefundOnInvoicePaidInXero(t *testing.T) {
	for _, c := range []struct {
		name                 string
		byHand               string
		received, bankRefund string
	}{
		// Paid in full in Xero: nothing is due, so the credit note is paid
		// out of the bank, up to what Xero received.
		{"paid in full in Xero", "30", "30", "24"},
		// Part paid by hand, the rest by our run: the same.
		{"part paid in Xero", "10", "30", "24"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRefundShop(t, true)
			id := r.pendingCupOrder(1401)
			r.exportAll()
			if _, err := r.bookkeeper().AddPayment("OC-1401", mustDec(c.byHand), r.s.DefaultPaymentAccount, day(1)); err != nil {
				t.Fatal(err)
			}
			r.paidCup(id)
			r.addReturn(id, cupProduct, "Cup", 1, "Refunded", day(2))
			sum := r.exportAll()
			if sum.Failed != 0 {
				t.Fatalf("summary %+v", sum)
			}
			b := r.wantBooks(c.name, "24", "0", c.bankRefund, "0")
			if !b.received.Equal(mustDec(c.received)) {
				t.Errorf("received %s, want %s", b.received, c.received)
			}
			r.wantSettled(c.name)
			r.wantNoWrites(c.name)
		})
	}
}

// TestInvoiceVoidedInXeroTakesNoMoney: the bookkeeper voided the invoice
// in Xero; the order is then paid and a product returned in the shop.
// Neither payment nor credit note is sent, each record says why, and
// later runs send and read nothing for them.
func TestInvoiceVoidedInXeroTakesNoMoney(t *testing.T) {
	r := newRefundShop(t, true)
	id := r.pendingCupOrder(1501)
	r.exportAll()
	if err := r.bookkeeper().VoidInvoice("OC-1501"); err != nil {
		t.Fatal(err)
	}
	r.paidCup(id)
	ret := r.addReturn(id, cupProduct, "Cup", 1, "Refunded", day(2))
	before := r.writes()
	sum := r.exportAll()
	if w := r.writes() - before; w != 0 || sum.Failed != 0 {
		t.Fatalf("%d writes, summary %+v", w, sum)
	}
	pay := r.record(history.KindPayment, "1501")
	cn := r.record(history.KindCreditNote, history.ReturnKey(ret))
	for _, rec := range []history.Record{pay, cn} {
		if rec.State != history.StateSkipped || !strings.Contains(rec.Error, "invoice OC-1501 is voided in Xero") {
			t.Errorf("%s %s: %s %q", rec.Kind, rec.OpenCartID, rec.State, rec.Error)
		}
	}
	r.sandbox.ResetCounters()
	if sum := r.exportAll(); sum.APICalls != 0 || sum.Failed != 0 {
		t.Errorf("the run after: %+v, calls %s", sum, format(r.sandbox.Calls()))
	}
}

// refuseInvoices makes the sandbox refuse every new invoice for a reason
// of the document itself (until cleared).
func refuseInvoices(e *env) {
	e.sandbox.Inject(xerotest.Fault{Method: "PUT", Path: "/Invoices", Kind: xerotest.FaultRefuse, Times: -1,
		Message: "The document date is invalid for this document."})
}

// TestStuckRecordDoesNotCostReferenceReads: a record Xero refuses for a
// reason of the document makes no later run read Xero's organisation,
// accounts, tax rates and currencies again; one naming an account does.
func TestStuckRecordDoesNotCostReferenceReads(t *testing.T) {
	for _, c := range []struct {
		name      string
		message   string
		wantReads int
	}{
		{"a document reason", "The document date is invalid for this document.", 0},
		{"an account named", "Account code '200' has been archived, or has been deleted. Each line item must reference a valid account.", 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, opencart.Family40)
			s := e.settings(mapping.StatusDraft)
			now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
			e.addVATOrder(1, "", "")
			e.sandbox.Inject(xerotest.Fault{Method: "PUT", Path: "/Invoices", Kind: xerotest.FaultRefuse, Times: -1, Message: c.message})
			if sum := e.runAt(s, now, 0); sum.Failed != 1 {
				t.Fatalf("first run: %+v", sum)
			}
			e.sandbox.ResetCounters()
			sum := e.runAt(s, now.Add(5*time.Minute), 0)
			if got := e.referenceReads(); got != c.wantReads || sum.Failed != 1 {
				t.Fatalf("the next run: %d reference reads, want %d; %+v, calls %s", got, c.wantReads, sum, format(e.sandbox.Calls()))
			}
		})
	}
}

// TestRecordFailingTheSameWayWaits: ten records Xero refuses the same way
// on three runs in a row wait: the next runs send nothing for them and
// read nothing, `history --failed` shows them waiting; a change of the
// order, a change of the settings, or a retry by hand tries again.
func TestRecordFailingTheSameWayWaits(t *testing.T) {
	e := newEnv(t, opencart.Family40)
	s := e.settings(mapping.StatusDraft)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	for id := 1; id <= 10; id++ {
		e.addVATOrder(id, "", "")
	}
	refuseInvoices(e)
	runs := 0
	next := func() export.Summary {
		runs++
		return e.runAt(s, now.Add(time.Duration(runs)*5*time.Minute), 0)
	}
	for i := 1; i <= 3; i++ {
		e.sandbox.ResetCounters()
		sum := next()
		if sum.Failed != 10 || e.sandbox.Calls()["PUT /Invoices"] != 1 {
			t.Fatalf("run %d: %+v, calls %s", i, sum, format(e.sandbox.Calls()))
		}
	}
	rec, _ := e.hist.RecordFor(context.Background(), history.KindInvoice, "3")
	if rec.State != history.StateFailed || !strings.HasPrefix(rec.Error, "waiting: failed 3 times the same way — retry from History or change the order/settings") ||
		!strings.Contains(rec.Error, "The document date is invalid") {
		t.Fatalf("after three runs: %s %q", rec.State, rec.Error)
	}
	e.sandbox.ResetCounters()
	sum := next()
	if sum.APICalls != 0 || sum.Waiting != 10 || sum.Failed != 0 {
		t.Fatalf("the fourth run: %+v, calls %s; want the 10 records waiting and no call", sum, format(e.sandbox.Calls()))
	}

	t.Run("the order changes", func(t *testing.T) {
		if _, err := e.shop.SQL.Exec("UPDATE oc_order_product SET name = 'Big mug' WHERE order_id = 1"); err != nil {
			t.Fatal(err)
		}
		e.sandbox.ResetCounters()
		sum := next()
		if sum.Failed != 1 || sum.Waiting != 9 || e.sandbox.Calls()["PUT /Invoices"] != 1 {
			t.Fatalf("%+v, calls %s; want order 1 tried again", sum, format(e.sandbox.Calls()))
		}
		if rec, _ := e.hist.RecordFor(context.Background(), history.KindInvoice, "1"); strings.HasPrefix(rec.Error, "waiting") {
			t.Errorf("order 1 after its change: %q, want a first failure", rec.Error)
		}
	})
	t.Run("a retry by hand", func(t *testing.T) {
		e.sandbox.ClearFaults()
		e.sandbox.ResetCounters()
		eng, err := export.New(export.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s,
			Now: func() time.Time { return now.Add(time.Hour) }})
		if err != nil {
			t.Fatal(err)
		}
		sum, err := eng.Run(context.Background(), export.Request{Scope: export.ScopeAll, OnlyFailed: true})
		if err != nil || sum.Failed != 0 || sum.Exported < 10 || sum.Waiting != 0 {
			t.Fatalf("retry: %+v %v", sum, err)
		}
		if rec, _ := e.hist.RecordFor(context.Background(), history.KindInvoice, "3"); rec.State != history.StateExported {
			t.Errorf("order 3 after the retry: %s %q", rec.State, rec.Error)
		}
	})
}

// TestWaitingRecordResumesWhenTheSettingsChange: a change of settings
// that changes the document tries a waiting record again.
func TestWaitingRecordResumesWhenTheSettingsChange(t *testing.T) {
	e := newEnv(t, opencart.Family40)
	s := e.settings(mapping.StatusDraft)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	e.addVATOrder(1, "", "")
	refuseInvoices(e)
	for i := 1; i <= 4; i++ {
		e.runAt(s, now.Add(time.Duration(i)*time.Minute), 0)
	}
	e.sandbox.ResetCounters()
	if sum := e.runAt(s, now.Add(5*time.Minute), 0); sum.Waiting != 1 || sum.APICalls != 0 {
		t.Fatalf("waiting: %+v", sum)
	}
	e.sandbox.ClearFaults()
	s.Accounts.Shipping = "260"
	if s.Accounts.Shipping == e.settings(mapping.StatusDraft).Accounts.Shipping {
		s.Accounts.Shipping = "200"
	}
	sum := e.runAt(s, now.Add(6*time.Minute), 0)
	rec, _ := e.hist.RecordFor(context.Background(), history.KindInvoice, "1")
	if sum.Waiting != 0 || rec.State != history.StateExported {
		t.Fatalf("after the settings changed: %+v, record %s %q", sum, rec.State, rec.Error)
	}
}

// TestCreditAllocatedByHandInXero: the bookkeeper approves the draft
// credit note of a refund and allocates it to the unpaid invoice in Xero
// by hand; the next run neither allocates it again nor pays anything out,
// and nothing is left failed.
func TestCreditAllocatedByHandInXero(t *testing.T) {
	r := newRefundShop(t, false)
	id := r.pendingCupOrder(1601)
	r.exportAll()
	r.shop.SetOrderStatus(id, 11, day(1), "refunded")
	r.exportAll()
	r.wantBooks("the draft", "0", "30", "0", "0")
	var draft string
	for _, cn := range r.sandbox.CreditNotes(tenant) {
		if cn.Status == "DRAFT" {
			draft = cn.CreditNoteID
		}
	}
	res, err := r.client.UpdateCreditNotes(context.Background(), []xero.CreditNote{{CreditNoteID: draft, Status: xero.StatusAuthorised}}, "")
	if err != nil || len(res) != 1 || res[0].Err != nil {
		t.Fatalf("approving: %v %+v", err, res)
	}
	if err := r.bookkeeper().Allocate(draft, "OC-1601", mustDec("30"), day(2)); err != nil {
		t.Fatal(err)
	}
	before := r.writes()
	if sum := r.exportAll(); sum.Failed != 0 || r.writes() != before {
		t.Fatalf("after the allocation by hand: %+v, %d writes", sum, r.writes()-before)
	}
	b := r.wantBooks("allocated by hand", "30", "0", "0", "0")
	if !b.received.IsZero() {
		t.Errorf("received %s, want nothing (the order was never paid)", b.received)
	}
	if inv := r.invoiceOf("OC-1601"); inv.Status != "PAID" || !amountOf(inv.AmountCredited).Equal(mustDec("30")) {
		t.Errorf("invoice %s, credited %s", inv.Status, amountOf(inv.AmountCredited))
	}
	r.wantSettled("allocated by hand")
	r.wantNoWrites("allocated by hand")
}

// TestDraftCreditNoteOnAnInvoiceVoidedInXeroIsWithdrawn: a refund of an
// unknown amount is sent as a draft credit note to approve; the bookkeeper
// then voids the invoice in Xero. The next run deletes the draft (it could
// never be allocated, and approving it would credit a sale Xero no longer
// holds) and sends nothing in its place; later runs leave the order alone.
// Found by the ledger model (OCX_LEDGER_SEED=3, TestLedgerModelXeroSide).
func TestDraftCreditNoteOnAnInvoiceVoidedInXeroIsWithdrawn(t *testing.T) {
	r := newRefundShop(t, false)
	id := r.pendingCupOrder(1601)
	r.exportAll()
	r.shop.SetOrderStatus(id, 11, day(2), "refunded through PayPal")
	r.exportAll()
	if cn, err := r.bookkeeper().CreditNote("OC-CN-1601"); err != nil || cn.Status != "DRAFT" {
		t.Fatalf("the refund's credit note: %+v, %v; want a draft", cn, err)
	}
	if err := r.bookkeeper().VoidInvoice("OC-1601"); err != nil {
		t.Fatal(err)
	}
	if sum := r.exportAll(); sum.Failed != 0 {
		t.Fatalf("run after the void: %+v", sum)
	}
	if cn, err := r.bookkeeper().CreditNote("OC-CN-1601"); err != nil || cn.Status != "DELETED" {
		t.Fatalf("the draft on the voided invoice: %+v, %v; want it deleted", cn, err)
	}
	rec := r.record(history.KindCreditNote, history.RefundKey(id))
	if rec.State != history.StateDeleted || !strings.Contains(rec.Error, "invoice OC-1601 is voided in Xero") {
		t.Errorf("credit note record %s %q", rec.State, rec.Error)
	}
	r.exportAll() // the ledger's credit note is refused on the voided invoice
	r.sandbox.ResetCounters()
	if sum := r.exportAll(); sum.Failed != 0 || sum.APICalls != 0 {
		t.Errorf("a later run: %+v, calls %s", sum, format(r.sandbox.Calls()))
	}
	for _, cn := range r.sandbox.CreditNotes(tenant) {
		if cn.Status != "DELETED" && cn.Status != "VOIDED" {
			t.Errorf("credit note %s %s %s left in Xero on a voided invoice", cn.CreditNoteNumber, cn.Status, cn.Total.StringFixed(2))
		}
	}
}
