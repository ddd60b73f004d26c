package xero_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// TestUndoingACreditNote takes a credit note apart the way Xero asks: its
// refund payments deleted, its allocation removed, then voided. A
// reconciled refund payment is refused; the credit note read back names
// what is left on it. Every request is checked against Xero's spec.
func TestUndoingACreditNote(t *testing.T) {
	h := newHarness(t, xerotest.Options{})
	c := h.connected(nil)
	ctx := ctxT(t)

	inv := invoice("OC-950", "Ezra Undo", "200")
	inv.Status = "AUTHORISED"
	ires, err := c.CreateInvoices(ctx, []xero.Invoice{inv}, "i-950")
	if err != nil || ires[0].Err != nil {
		t.Fatalf("invoice %v %v", err, ires[0].Err)
	}
	invID, contactID := ires[0].Item.InvoiceID, ires[0].Item.Contact.ContactID
	cn := xero.CreditNote{Type: "ACCRECCREDIT", CreditNoteNumber: "OC-CN-950", Contact: &xero.Contact{ContactID: contactID},
		Date: xero.NewDate(2026, 1, 17), Status: "AUTHORISED", LineAmountTypes: "Exclusive",
		LineItems: []xero.LineItem{{Description: "Refund", Quantity: xero.MustAmount("1"), UnitAmount: xero.MustAmount("10"), AccountCode: "200", TaxType: "OUTPUT2"}}}
	other := cn
	other.CreditNoteNumber = "OC-CN-951"
	nres, err := c.CreateCreditNotes(ctx, []xero.CreditNote{cn, other}, "n-950")
	if err != nil || nres[0].Err != nil || nres[1].Err != nil {
		t.Fatalf("credit notes %v %+v", err, nres)
	}
	cnID, otherID := nres[0].Item.CreditNoteID, nres[1].Item.CreditNoteID
	if ares, err := c.AllocateCreditNote(ctx, cnID, []xero.Allocation{{Invoice: &xero.InvoiceRef{InvoiceID: invID}, Amount: xero.MustAmount("4.00"), Date: xero.NewDate(2026, 1, 17)}}, "a-950"); err != nil || ares[0].Err != nil {
		t.Fatalf("allocation %v %+v", err, ares)
	}
	refund := func(id, amount, key string) string {
		t.Helper()
		pres, err := c.CreatePayments(ctx, []xero.Payment{{CreditNote: &xero.CreditNoteRef{CreditNoteID: id}, Account: &xero.AccountRef{Code: "090"},
			Date: xero.NewDate(2026, 1, 18), Amount: xero.MustAmount(amount)}}, key)
		if err != nil || pres[0].Err != nil {
			t.Fatalf("refund %v %+v", err, pres)
		}
		return pres[0].Item.PaymentID
	}
	refundID := refund(cnID, "8.00", "p-950")
	reconciledID := refund(otherID, "12.00", "p-951")
	if err := h.srv.SetPaymentReconciled(xerotest.DefaultTenantID, reconciledID, true); err != nil {
		t.Fatal(err)
	}

	// Read back by id, in one call: the refund and the allocation are named.
	h.srv.ResetCounters()
	got, err := c.CreditNotes(ctx, xero.CreditNoteQuery{IDs: []string{cnID, otherID}})
	if err != nil || len(got) != 2 || h.calls("GET /CreditNotes") != 1 {
		t.Fatalf("credit notes by id: %d, %v, calls %v", len(got), err, h.srv.Calls())
	}
	var note xero.CreditNote
	for _, g := range got {
		if g.CreditNoteID == cnID {
			note = g
		}
	}
	if note.Status != "PAID" || len(note.Payments) != 1 || note.Payments[0].PaymentID != refundID ||
		len(note.Allocations) != 1 || note.Allocations[0].AllocationID == "" || note.Allocations[0].Amount.String() != "4" {
		t.Fatalf("credit note read back: status %s, payments %+v, allocations %+v", note.Status, note.Payments, note.Allocations)
	}

	// Voiding with money on it is refused.
	if res, err := c.UpdateCreditNotes(ctx, []xero.CreditNote{{CreditNoteID: cnID, Status: "VOIDED"}}, "v-950-early"); err != nil || res[0].Err == nil {
		t.Fatalf("voided with a refund and an allocation on it: %v %+v", err, res)
	}

	pres, err := c.DeletePayments(ctx, []string{reconciledID, refundID}, "d-950")
	var ve *xero.ValidationError
	if err != nil || !errors.As(pres[0].Err, &ve) || !strings.Contains(ve.Messages[0], "reconciled") || pres[1].Err != nil ||
		!strings.EqualFold(pres[1].Item.Status, "DELETED") || pres[1].Item.PaymentID != refundID {
		t.Fatalf("deleting the refunds: %v %+v", err, pres)
	}
	ares, err := c.DeleteAllocations(ctx, []xero.Allocation{{AllocationID: note.Allocations[0].AllocationID, CreditNote: &xero.CreditNoteRef{CreditNoteID: cnID}}}, "")
	if err != nil || ares[0].Err != nil || !ares[0].Item.IsDeleted {
		t.Fatalf("removing the allocation: %v %+v", err, ares)
	}
	// Gone already: Xero does not find it, and says so for that one only.
	again, err := c.DeleteAllocations(ctx, []xero.Allocation{{AllocationID: note.Allocations[0].AllocationID, CreditNote: &xero.CreditNoteRef{CreditNoteID: cnID}}}, "")
	var nf *xero.NotFoundError
	if err != nil || !errors.As(again[0].Err, &nf) {
		t.Fatalf("removing it twice: %v %+v", err, again)
	}
	if calls := h.srv.Calls(); calls["POST /Payments/{id}"] != 2 || calls["DELETE /CreditNotes/{id}/Allocations/{id}"] != 2 {
		t.Fatalf("calls %v", calls)
	}

	vres, err := c.UpdateCreditNotes(ctx, []xero.CreditNote{{CreditNoteID: cnID, Status: "VOIDED"}}, "v-950")
	if err != nil || vres[0].Err != nil || vres[0].Item.Status != "VOIDED" {
		t.Fatalf("voiding: %v %+v", err, vres)
	}
	invs, err := c.Invoices(ctx, xero.InvoiceQuery{IDs: []string{invID}})
	if err != nil || len(invs) != 1 || invs[0].AmountDue.String() != invs[0].Total.String() {
		t.Fatalf("the invoice after the undo: %+v %v", invs, err)
	}
}
