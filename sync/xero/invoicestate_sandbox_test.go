package xero_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// TestInvoiceStatesReadFiftyACall: what Xero holds on 120 invoices (one of
// them paid in part) comes back in three calls of at most 50 ids, by
// lower-cased id, with AmountDue, AmountPaid and Status and without lines;
// an id Xero does not know is absent. The requests are checked against
// the spec when the test ends.
func TestInvoiceStatesReadFiftyACall(t *testing.T) {
	h := newHarness(t, xerotest.Options{})
	c := h.connected(nil)
	ctx := ctxT(t)
	var invs []xero.Invoice
	for i := range 120 {
		inv := invoice("OC-"+strconv.Itoa(8000+i), "States", "200")
		inv.Status = xero.StatusAuthorised
		invs = append(invs, inv)
	}
	res, err := c.CreateInvoices(ctx, invs, "")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range res {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		ids = append(ids, strings.ToUpper(r.Item.InvoiceID))
	}
	total := res[7].Item.Total.Decimal()
	pay, err := c.CreatePayments(ctx, []xero.Payment{{Invoice: &xero.InvoiceRef{InvoiceID: res[7].Item.InvoiceID}, Account: &xero.AccountRef{Code: "090"},
		Date: xero.NewDate(2026, 1, 20), Amount: xero.NewAmount(decimal.NewFromInt(1))}}, "")
	if err != nil || pay[0].Err != nil {
		t.Fatalf("payment: %v %+v", err, pay)
	}
	unknown := "00000000-0000-0000-0000-0000000000aa"
	before := c.Calls()
	got, err := c.InvoiceStates(ctx, append(append(ids, unknown), ids[3]))
	if err != nil {
		t.Fatal(err)
	}
	if calls := c.Calls() - before; calls != 3 {
		t.Fatalf("%d calls for 121 ids, want 3 (50 a call)", calls)
	}
	if len(got) != 120 {
		t.Fatalf("%d invoices, want 120", len(got))
	}
	paid, ok := got[strings.ToLower(ids[7])]
	if !ok || paid.Status != xero.StatusAuthorised || !paid.AmountPaid.Decimal().Equal(decimal.NewFromInt(1)) ||
		!paid.AmountDue.Decimal().Equal(total.Sub(decimal.NewFromInt(1))) || len(paid.LineItems) != 0 {
		t.Fatalf("invoice paid in part: %+v (found %v)", paid, ok)
	}
}
