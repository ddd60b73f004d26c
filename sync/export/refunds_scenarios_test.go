package export_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// The shop histories of issue 11 ("Why"), one test each: what Xero holds
// after the runs (the sandbox's books) and what the history says.

// partialRefundNote is what a credit note for a refund of unknown amount says.
const partialRefundNote = "OpenCart does not record partial refunds; check the amount"

// refundShop is a shop with one customer, exported with authorised
// invoices; store credit is paid out to ledgerStoreCredit.
type refundShop struct {
	*env
	s        export.Settings
	customer int
}

func newRefundShop(t *testing.T, refundsAreFull bool) *refundShop {
	e := newEnv(t, opencart.Family40)
	r := &refundShop{env: e}
	r.customer = e.shop.AddCustomer(octest.Customer{FirstName: "Rosa", LastName: "Reed", Email: "rosa@example.com"})
	r.s = e.settings(mapping.StatusAuthorised)
	r.s.Accounts.StoreCredit = ledgerStoreCredit
	r.s.RefundsAreFull = refundsAreFull
	return r
}

// day is a day of the shop's history after the order date.
func day(n int) time.Time { return octest.DefaultDate.AddDate(0, 0, n) }

// cupProduct is the cup of cupOrder: 20.00 + VAT 4.00.
const cupProduct = 61

// cupOrder is a 30.00 order paid on the order date: a cup 20.00 + VAT
// 4.00, shipping 5.00 + VAT 1.00.
func (r *refundShop) cupOrder(id int) int {
	o := vatOrder(id, r.customer, "Rosa", "Reed", "rosa@example.com", 5,
		[]octest.Product{{ProductID: cupProduct, Name: "Cup", Model: "M-Cup", Quantity: 1, Price: "20.0000", Tax: "4.0000"}}, nil, "5.0000", "30.0000")
	o.History = []octest.History{{StatusID: 1, DateAdded: octest.DefaultDate}, {StatusID: 5, DateAdded: octest.DefaultDate.Add(time.Hour)}}
	return r.shop.AddOrder(o)
}

// addReturn records the return of qty of a product with an action (by name).
func (r *refundShop) addReturn(orderID, productID int, name string, qty int, action string, at time.Time) int {
	r.t.Helper()
	id := r.shop.ReturnActionID(action)
	return r.shop.AddReturn(octest.Return{OrderID: orderID, ProductID: productID, CustomerID: r.customer, FirstName: "Rosa", LastName: "Reed",
		Email: "rosa@example.com", Product: name, Model: "M-" + name, Quantity: qty, ReasonID: octest.ReturnReasonFaulty,
		ActionID: id, StatusID: octest.ReturnStatusPending, DateOrdered: octest.DefaultDate, DateAdded: at, DateModified: at})
}

// exportAll runs "export all" and fails the test on an error.
func (r *refundShop) exportAll() export.Summary {
	r.t.Helper()
	return r.run(r.s, export.Request{Scope: export.ScopeAll})
}

// books is what Xero holds for the shop's credit notes and refunds.
type books struct {
	credited, drafts      decimal.Decimal // live credit notes, approved and draft
	bank, storeCredit     decimal.Decimal // refund payments out of the bank, to store credit
	received              decimal.Decimal // payments of invoices
	live, voided, deleted []xerotest.CreditNote
	refunds               []xerotest.Payment // live refund payments
}

func (r *refundShop) books() books {
	var b books
	for _, cn := range r.sandbox.CreditNotes(tenant) {
		switch cn.Status {
		case "VOIDED":
			b.voided = append(b.voided, cn)
		case "DELETED":
			b.deleted = append(b.deleted, cn)
		case "DRAFT", "SUBMITTED":
			b.drafts = b.drafts.Add(amountOf(cn.Total))
			b.live = append(b.live, cn)
		default:
			b.credited = b.credited.Add(amountOf(cn.Total))
			b.live = append(b.live, cn)
		}
	}
	for _, p := range r.sandbox.Payments(tenant) {
		switch {
		case p.Status == "DELETED":
		case p.Invoice != nil:
			b.received = b.received.Add(amountOf(p.Amount))
		case p.CreditNote != nil && p.Account != nil && p.Account.Code == ledgerStoreCredit:
			b.storeCredit = b.storeCredit.Add(amountOf(p.Amount))
			b.refunds = append(b.refunds, p)
		case p.CreditNote != nil:
			b.bank = b.bank.Add(amountOf(p.Amount))
			b.refunds = append(b.refunds, p)
		}
	}
	return b
}

// wantBooks fails unless Xero holds these amounts (decimal text).
func (r *refundShop) wantBooks(what string, credited, drafts, bank, storeCredit string) books {
	r.t.Helper()
	b := r.books()
	for _, c := range []struct {
		name      string
		got, want decimal.Decimal
	}{{"credited", b.credited, mustDec(credited)}, {"in draft credit notes", b.drafts, mustDec(drafts)},
		{"paid back out of the bank", b.bank, mustDec(bank)}, {"paid out as store credit", b.storeCredit, mustDec(storeCredit)}} {
		if !c.got.Equal(c.want) {
			r.t.Errorf("%s: %s %s in Xero, want %s", what, c.name, c.got.StringFixed(2), c.want.StringFixed(2))
		}
	}
	seen := map[string]bool{}
	for _, cn := range b.live {
		if seen[cn.CreditNoteNumber] {
			r.t.Errorf("%s: credit note %s is in Xero twice", what, cn.CreditNoteNumber)
		}
		seen[cn.CreditNoteNumber] = true
	}
	return b
}

// notes names credit notes with their status, date, total and reference.
func notes(list []xerotest.CreditNote) string {
	var out []string
	for _, cn := range list {
		date := ""
		if cn.Date != nil {
			date = cn.Date.Format(time.DateOnly)
		}
		out = append(out, fmt.Sprintf("%s %s %s %s %q", cn.CreditNoteNumber, cn.Status, date, amountOf(cn.Total).StringFixed(2), cn.Reference))
	}
	return "[" + strings.Join(out, "; ") + "]"
}

// wantSettled fails when a record of the shop is failed, changed or left
// sending: every state here is one the bookkeeper need not act on.
func (r *refundShop) wantSettled(what string) {
	r.t.Helper()
	recs, err := r.hist.Records(context.Background(), history.RecordFilter{})
	if err != nil {
		r.t.Fatal(err)
	}
	for _, rec := range recs {
		if rec.State == history.StateFailed || rec.State == history.StateChanged || rec.State == history.StateSending {
			r.t.Errorf("%s: %s %s is %s: %s", what, rec.Kind, rec.OpenCartID, rec.State, rec.Error)
		}
	}
}

// wantNoWrites runs again and fails if anything is sent to Xero.
func (r *refundShop) wantNoWrites(what string) {
	r.t.Helper()
	before := r.writes()
	sum := r.exportAll()
	if w := r.writes() - before; w != 0 || sum.Failed != 0 {
		r.t.Errorf("%s: the run after sent %d writes, summary %+v", what, w, sum)
	}
}

func TestRefundAfterReturnsAndReturnsAfterRefundCreditTheOrderOnce(t *testing.T) {
	for _, c := range []struct {
		name          string
		refundFirst   bool
		settledRecord string // the record that finds its part already credited
	}{
		{"refunded, then the return recorded", true, "return"},
		{"returned, then refunded", false, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRefundShop(t, true)
			id := r.cupOrder(1101)
			r.exportAll()
			refund := func() { r.shop.SetOrderStatus(id, 11, day(2), "refunded") }
			var ret int
			giveBack := func() { ret = r.addReturn(id, cupProduct, "Cup", 1, "Refunded", day(3)) }
			if c.refundFirst {
				refund()
				r.exportAll()
				r.wantBooks("after the refund", "30", "0", "30", "0")
				giveBack()
			} else {
				giveBack()
				r.exportAll()
				r.wantBooks("after the return", "24", "0", "24", "0")
				refund()
			}
			r.exportAll()
			r.wantBooks("after both", "30", "0", "30", "0")
			r.exportAll()
			r.wantBooks("a run later", "30", "0", "30", "0")
			r.wantSettled("after both")
			if c.settledRecord == "return" {
				rec, err := r.hist.RecordFor(context.Background(), history.KindCreditNote, "return-"+strconv.Itoa(ret))
				if err == nil && (rec.State == history.StateFailed || rec.State == history.StateChanged) {
					t.Errorf("the return already credited by the refund: record %+v", rec)
				}
			}
			r.wantNoWrites("settled")
		})
	}
}

func TestStoreCreditIsNotPaidOutOfTheBankNorTakenFromRevenueTwice(t *testing.T) {
	r := newRefundShop(t, false)
	id := r.cupOrder(1201)
	r.exportAll()
	r.addReturn(id, cupProduct, "Cup", 1, "Credit Issued", day(3))
	r.exportAll()
	b := r.wantBooks("store credit issued", "24", "0", "0", "24")
	for _, p := range b.refunds {
		if p.Account == nil || p.Account.Code != ledgerStoreCredit {
			t.Errorf("store credit of %s paid to account %+v, want the store-credit account %s", amountOf(p.Amount).StringFixed(2), *p.Account, ledgerStoreCredit)
		}
	}
	r.wantSettled("store credit issued")

	// The customer spends the credit on a later order: the credit line is
	// booked to the store-credit account, not against revenue.
	later := vatOrder(1202, r.customer, "Rosa", "Reed", "rosa@example.com", 5,
		[]octest.Product{{ProductID: 62, Name: "Bowl", Model: "M-Bowl", Quantity: 1, Price: "40.0000", Tax: "8.0000"}},
		[]octest.Total{{Code: "credit", Title: "Store Credit", Value: "-24.0000", SortOrder: 7}}, "9.0000", "30.0000")
	later.History = []octest.History{{StatusID: 5, DateAdded: day(5)}}
	r.shop.AddOrder(later)
	r.exportAll()
	r.wantSettled("the credit spent")
	inv := r.invoicesNumbered("OC-1202")
	if len(inv) != 1 {
		t.Fatalf("%d invoices OC-1202", len(inv))
	}
	revenue, credit := decimal.Zero, decimal.Zero
	for _, li := range inv[0].LineItems {
		switch li.AccountCode {
		case ledgerStoreCredit:
			credit = credit.Add(amountOf(li.LineAmount))
		case r.s.Accounts.Sales, r.s.Accounts.Shipping:
			revenue = revenue.Add(amountOf(li.LineAmount))
		}
	}
	if !credit.Equal(mustDec("-24")) {
		t.Errorf("the store credit spent is %s on the store-credit account, want -24.00 (lines %+v)", credit.StringFixed(2), inv[0].LineItems)
	}
	if !revenue.Equal(mustDec("45")) {
		t.Errorf("revenue of the later order %s, want 45.00 net (the credit must not lower it)", revenue.StringFixed(2))
	}
	r.wantBooks("the credit spent", "24", "0", "0", "24")
}

func TestRefundStatusWithNothingReturnedIsADraftOfUnknownAmount(t *testing.T) {
	t.Run("amount unknown", func(t *testing.T) {
		r := newRefundShop(t, false)
		id := r.cupOrder(1301)
		r.exportAll()
		r.shop.SetOrderStatus(id, 11, day(2), "refunded through PayPal")
		r.exportAll()
		b := r.wantBooks("refunded, nothing returned", "0", "30", "0", "0")
		if len(b.live) != 1 {
			t.Fatalf("credit notes %s", notes(b.live))
		}
		cn := b.live[0]
		said := cn.Reference
		if len(cn.LineItems) > 0 {
			said += " | " + cn.LineItems[0].Description
		}
		if cn.Status != "DRAFT" || !strings.Contains(said, partialRefundNote) {
			t.Errorf("credit note %s %s says %q; want a DRAFT saying %q", cn.CreditNoteNumber, cn.Status, said, partialRefundNote)
		}
		if len(cn.Allocations) != 0 {
			t.Errorf("the draft was allocated: %+v", cn.Allocations)
		}
		r.wantSettled("the draft sent")
		r.wantNoWrites("waiting for approval")
		if cn.Status != "DRAFT" {
			t.FailNow() // nothing for the bookkeeper to approve
		}

		// The bookkeeper checks the amount and approves it in Xero: the
		// next run pays it back.
		res, err := r.client.UpdateCreditNotes(context.Background(), []xero.CreditNote{{CreditNoteID: cn.CreditNoteID, Status: "AUTHORISED"}}, "")
		if err != nil || len(res) != 1 || res[0].Err != nil {
			t.Fatalf("approving: %v %+v", err, res)
		}
		r.exportAll()
		r.wantBooks("approved in Xero", "30", "0", "30", "0")
		r.wantSettled("approved in Xero")
	})
	t.Run("amount known later: the order goes on to Reversed", func(t *testing.T) {
		r := newRefundShop(t, false)
		id := r.cupOrder(1303)
		r.exportAll()
		r.shop.SetOrderStatus(id, 11, day(2), "refunded through PayPal")
		r.exportAll()
		r.wantBooks("refunded, nothing returned", "0", "30", "0", "0")
		// The payment is reversed: the whole of it went back, so the draft
		// is approved (one run) and paid back (the next).
		r.shop.SetOrderStatus(id, 12, day(3), "")
		r.exportAll()
		r.exportAll()
		b := r.wantBooks("reversed after a refund of unknown amount", "30", "0", "30", "0")
		if len(b.live) != 1 {
			t.Errorf("credit notes %s: want the draft approved, not another note", notes(b.live))
		}
		r.wantSettled("reversed")
	})
	t.Run("refunds are full", func(t *testing.T) {
		r := newRefundShop(t, true)
		id := r.cupOrder(1302)
		r.exportAll()
		r.shop.SetOrderStatus(id, 11, day(2), "")
		r.exportAll()
		b := r.wantBooks("refunded in full", "30", "0", "30", "0")
		if len(b.live) != 1 || b.live[0].Status == "DRAFT" || strings.Contains(b.live[0].Reference, partialRefundNote) {
			t.Errorf("credit notes %s: want one authorised, not saying %q", notes(b.live), partialRefundNote)
		}
		r.wantSettled("refunded in full")
	})
}

func TestUndoneRefundsAreWithdrawnPaymentFirst(t *testing.T) {
	for _, c := range []struct {
		name           string
		full           bool
		refund, undo   int
		credited, bank string // while refunded
		drafts         string
	}{
		{"Reversed, then Canceled Reversal", false, 12, 9, "30", "30", "0"},
		{"Refunded in full, then Complete", true, 11, 5, "30", "30", "0"},
		{"Refunded (draft), then Complete", false, 11, 5, "0", "0", "30"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRefundShop(t, c.full)
			id := r.cupOrder(1401)
			r.exportAll()
			r.shop.SetOrderStatus(id, c.refund, day(2), "")
			r.exportAll()
			r.wantBooks("refunded", c.credited, c.drafts, c.bank, "0")
			r.sandbox.ResetCounters()
			r.shop.SetOrderStatus(id, c.undo, day(4), "")
			r.exportAll()
			r.exportAll()
			b := r.wantBooks("undone", "0", "0", "0", "0")
			if len(b.voided)+len(b.deleted) != 1 {
				t.Errorf("withdrawn credit notes: voided %d, deleted %d; want the one", len(b.voided), len(b.deleted))
			}
			// The refund payment goes before the credit note.
			payment, note := -1, -1
			for i, req := range r.sandbox.Requests() {
				if req.Method != "POST" || req.Status != 200 {
					continue
				}
				switch {
				case strings.Contains(req.Path, "/Payments") && strings.Contains(req.Body, "DELETED") && payment < 0:
					payment = i
				case strings.Contains(req.Path, "/CreditNotes") && (strings.Contains(req.Body, "VOIDED") || strings.Contains(req.Body, "DELETED")) && note < 0:
					note = i
				}
			}
			if c.bank != "0" && (payment < 0 || note < 0 || payment > note) {
				t.Errorf("refund payment deleted at request %d, credit note withdrawn at %d: the payment goes first", payment, note)
			}
			rec, err := r.hist.RecordFor(context.Background(), history.KindCreditNote, "order-"+strconv.Itoa(id))
			if err != nil || (rec.State != history.StateVoided && rec.State != history.StateDeleted) {
				t.Errorf("credit note record %+v, %v; want voided or deleted", rec, err)
			}
			r.wantSettled("undone")
		})
	}
}

func TestReturnWorkflowChangesNothing(t *testing.T) {
	r := newRefundShop(t, false)
	id := r.cupOrder(1501)
	r.exportAll()
	added := day(3)
	ret := r.addReturn(id, cupProduct, "Cup", 1, "Refunded", added)
	// Already moved to Awaiting Products when first exported: the note is
	// dated by date_added, not date_modified.
	r.shop.SetReturnStatus(ret, octest.ReturnStatusAwaiting, day(5), "")
	r.exportAll()
	b := r.wantBooks("returned", "24", "0", "24", "0")
	if len(b.live) != 1 || b.live[0].Date == nil || !b.live[0].Date.Time.Equal(added.Truncate(24*time.Hour)) {
		t.Errorf("credit notes %s: want one dated %s (the return's date_added)", notes(b.live), added.Format(time.DateOnly))
	}
	// Awaiting Products → Complete a week later: return.date_modified moves.
	r.shop.SetReturnStatus(ret, octest.ReturnStatusComplete, day(10), "goods received")
	r.wantNoWrites("the return completed")
	r.wantSettled("the return completed")
	after := r.wantBooks("the return completed", "24", "0", "24", "0")
	if len(after.live) != 1 || after.live[0].Date == nil || !after.live[0].Date.Time.Equal(added.Truncate(24*time.Hour)) {
		t.Errorf("credit notes after the workflow moved: %s, want one dated %s", notes(after.live), added.Format(time.DateOnly))
	}
}

func TestSettingsChangeKeepsCreditNotesAsExported(t *testing.T) {
	r := newRefundShop(t, true)
	a, b := r.cupOrder(1601), r.cupOrder(1602)
	r.exportAll()
	r.addReturn(a, cupProduct, "Cup", 1, "Refunded", day(2))
	r.shop.SetOrderStatus(b, 11, day(2), "")
	r.exportAll()
	r.wantBooks("credited", "54", "0", "54", "0")
	r.s.Accounts.Shipping = map[bool]string{true: "260", false: "200"}[r.s.Accounts.Shipping != "260"]
	r.wantNoWrites("shipping account changed")
	r.wantSettled("shipping account changed")
	r.wantBooks("shipping account changed", "54", "0", "54", "0")
}

func TestNothingLeftToCreditIsSettled(t *testing.T) {
	t.Run("fully returned, then refunded", func(t *testing.T) {
		r := newRefundShop(t, false)
		// No shipping: the return covers the whole invoice (24.00).
		o := vatOrder(1701, r.customer, "Rosa", "Reed", "rosa@example.com", 5,
			[]octest.Product{{ProductID: cupProduct, Name: "Cup", Model: "M-Cup", Quantity: 1, Price: "20.0000", Tax: "4.0000"}}, nil, "4.0000", "24.0000")
		o.Totals = []octest.Total{{Code: "sub_total", Title: "Sub-Total", Value: "20.0000", SortOrder: 1},
			{Code: "tax", Title: "VAT (20%)", Value: "4.0000", SortOrder: 5}, {Code: "total", Title: "Total", Value: "24.0000", SortOrder: 9}}
		o.ShippingMethod = octest.Method{}
		o.History = []octest.History{{StatusID: 5, DateAdded: octest.DefaultDate}}
		id := r.shop.AddOrder(o)
		r.exportAll()
		r.addReturn(id, cupProduct, "Cup", 1, "Refunded", day(2))
		r.exportAll()
		r.shop.SetOrderStatus(id, 11, day(3), "")
		r.exportAll()
		r.wantBooks("returned and refunded", "24", "0", "24", "0")
		r.wantSettled("returned and refunded")
		r.wantNoWrites("returned and refunded")
		r.wantSettled("a run later")
	})
	t.Run("zero-total order refunded", func(t *testing.T) {
		r := newRefundShop(t, false)
		o := vatOrder(1702, r.customer, "Rosa", "Reed", "rosa@example.com", 5,
			[]octest.Product{{ProductID: 63, Name: "Sample", Model: "M-Sample", Quantity: 1, Price: "0.0000", Tax: "0.0000"}}, nil, "", "0.0000")
		o.Totals = []octest.Total{{Code: "sub_total", Title: "Sub-Total", Value: "0.0000", SortOrder: 1}, {Code: "total", Title: "Total", Value: "0.0000", SortOrder: 9}}
		o.ShippingMethod = octest.Method{}
		o.History = []octest.History{{StatusID: 5, DateAdded: octest.DefaultDate}}
		id := r.shop.AddOrder(o)
		r.exportAll()
		r.shop.SetOrderStatus(id, 11, day(2), "")
		r.exportAll()
		r.wantBooks("zero total refunded", "0", "0", "0", "0")
		r.wantSettled("zero total refunded")
		r.wantNoWrites("zero total refunded")
		r.wantSettled("a run later")
	})
}

func TestDeletedCustomerKeepsItsDocumentsOnOneContact(t *testing.T) {
	r := newRefundShop(t, false)
	id := r.cupOrder(1801)
	r.exportAll()
	before := r.invoicesNumbered("OC-1801")
	if len(before) != 1 || before[0].Contact == nil {
		t.Fatalf("invoice %+v", before)
	}
	contact := before[0].Contact.ContactID
	r.shop.DeleteCustomer(r.customer) // a GDPR request
	r.exportAll()
	r.addReturn(id, cupProduct, "Cup", 1, "Refunded", day(3))
	r.exportAll()
	after := r.invoicesNumbered("OC-1801")
	if len(after) != 1 || after[0].Contact == nil || after[0].Contact.ContactID != contact {
		t.Errorf("the invoice moved from contact %s (%d invoices OC-1801)", contact, len(after))
	}
	b := r.wantBooks("returned after the customer was deleted", "24", "0", "24", "0")
	for _, cn := range b.live {
		if cn.Contact == nil || cn.Contact.ContactID != contact {
			t.Errorf("credit note %s is on another contact than its invoice (%s)", cn.CreditNoteNumber, contact)
		}
	}
	r.wantSettled("customer deleted")
}

func TestReturnGetsOnlyItsProductsCouponShare(t *testing.T) {
	r := newRefundShop(t, false)
	// Two products at 20.00 + VAT 4.00; a 10% coupon on the mug only
	// (2.00 off, VAT 0.40 less); shipping 5.00 + VAT 1.00: 51.60.
	const mug, plate = 71, 72
	o := vatOrder(1901, r.customer, "Rosa", "Reed", "rosa@example.com", 5, []octest.Product{
		{ProductID: mug, Name: "Mug", Model: "M-Mug", Quantity: 1, Price: "20.0000", Tax: "4.0000"},
		{ProductID: plate, Name: "Plate", Model: "M-Plate", Quantity: 1, Price: "20.0000", Tax: "4.0000"},
	}, []octest.Total{{Code: "coupon", Title: "Coupon (MUG10)", Value: "-2.0000", SortOrder: 4}}, "8.6000", "51.6000")
	o.History = []octest.History{{StatusID: 5, DateAdded: octest.DefaultDate}}
	id := r.shop.AddOrder(o)
	r.shop.AddCoupon(octest.Coupon{Code: "MUG10", Type: "P", Discount: "10", Products: []int{mug},
		Orders: []octest.CouponUse{{OrderID: id, CustomerID: r.customer, Amount: "-2.0000"}}})
	r.exportAll()
	r.addReturn(id, plate, "Plate", 1, "Refunded", day(2))
	r.exportAll()
	r.wantBooks("the plate returned (no coupon on it)", "24", "0", "24", "0")
	r.addReturn(id, mug, "Mug", 1, "Refunded", day(3))
	r.exportAll()
	r.wantBooks("the mug returned (its coupon share off)", "45.6", "0", "45.6", "0")
	r.wantSettled("both returned")
}

// TestRefundGivenAgainAfterAStoppedRunIsANewRefund: the order leaves its
// refund status and enters one again while no run finished in between (a
// run cancelled before it reached the order, found by the ledger model,
// seed 3: paid → Chargeback → Canceled Reversal in a cancelled run →
// Refunded). The credit note of the first refund was sent for it; the
// refund now is another: the first is withdrawn and the second sent as
// its status says (a draft of unknown amount for Refunded, the whole
// order for a Chargeback), whatever runs saw in between.
func TestRefundGivenAgainAfterAStoppedRunIsANewRefund(t *testing.T) {
	for _, c := range []struct {
		name            string
		first, undo, by int
		afterFirst      [4]string // credited, drafts, bank, store credit
		want            [4]string
	}{
		{"Chargeback, Canceled Reversal, Refunded", 13, 9, 11, [4]string{"30", "0", "30", "0"}, [4]string{"0", "30", "0", "0"}},
		{"Refunded, Complete, Chargeback", 11, 5, 13, [4]string{"0", "30", "0", "0"}, [4]string{"30", "0", "30", "0"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRefundShop(t, false)
			r.cupOrder(4003)
			r.exportAll()
			r.shop.SetOrderStatus(4003, c.first, day(2), "")
			if sum := r.exportAll(); sum.Failed != 0 {
				r.logFailures()
				t.Fatalf("the first refund: %+v", sum)
			}
			r.wantBooks("the first refund", c.afterFirst[0], c.afterFirst[1], c.afterFirst[2], c.afterFirst[3])
			r.shop.SetOrderStatus(4003, c.undo, day(3), "") // the run after this one stopped before the order
			r.shop.SetOrderStatus(4003, c.by, day(4), "")
			for i := 0; i < 2; i++ { // the spec allows the next run to finish what withdrawing leaves
				if sum := r.exportAll(); sum.Failed != 0 {
					r.logFailures()
					t.Fatalf("the refund given again, run %d: %+v", i+1, sum)
				}
			}
			b := r.wantBooks("the refund given again", c.want[0], c.want[1], c.want[2], c.want[3])
			if len(b.voided)+len(b.deleted) != 1 || len(b.live) != 1 {
				t.Errorf("credit notes: %d live, %d voided, %d deleted; want the first withdrawn, one live", len(b.live), len(b.voided), len(b.deleted))
			}
			if sum := r.exportAll(); sum.Exported != 0 || sum.Failed != 0 || sum.Withdrawn != 0 {
				t.Errorf("a third run did something: %+v", sum)
			}
		})
	}
}
