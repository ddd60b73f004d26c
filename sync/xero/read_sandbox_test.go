package xero_test

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// TestReadBackPaged reads a period's invoices back a thousand a call, with
// a where filter on number prefix and date, then only what a person
// changed since (If-Modified-Since). Every request is checked against the
// spec when the test ends.
func TestReadBackPaged(t *testing.T) {
	h := newHarness(t, xerotest.Options{})
	c := h.connected(nil)
	ctx := ctxT(t)

	const n = 2150 // three pages of 1000
	var invs []xero.Invoice
	for i := range n {
		inv := invoice("OC-"+strconv.Itoa(5000+i), "Reader", "200")
		inv.Status = xero.StatusAuthorised
		invs = append(invs, inv)
	}
	other := invoice("INV-7", "Reader", "200") // not ours: no OC- prefix
	late := invoice("OC-9999", "Reader", "200")
	late.Date = xero.NewDate(2026, 3, 1) // outside the period
	invs = append(invs, other, late)
	res, err := c.CreateInvoices(ctx, invs, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}

	where := `Type=="ACCREC" AND InvoiceNumber.StartsWith("OC-") AND Date>=` + xero.WhereDate(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) +
		` AND Date<` + xero.WhereDate(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC))
	before := c.Calls()
	got, err := c.ReadInvoices(ctx, xero.ReadQuery{Where: where})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("read back %d invoices, want %d", len(got), n)
	}
	if calls := c.Calls() - before; calls != 3 {
		t.Fatalf("%d calls for %d invoices, want 3 (pages of %d)", calls, n, xero.MaxPageSize)
	}
	if len(got[0].LineItems) == 0 {
		t.Fatal("paged invoices came back without their lines")
	}
	pages := h.sentTo("GET", "/Invoices")
	if q := pages[len(pages)-1].URL.Query(); q.Get("pageSize") != "1000" || q.Get("page") != "3" {
		t.Fatalf("last page asked with %v", q)
	}

	// Page by page: the same invoices, in the same order, a page at a time
	// and nothing kept; an error from the callback stops the reading.
	before = c.Calls()
	var sizes []int
	var numbers []string
	err = c.ReadInvoicePages(ctx, xero.ReadQuery{Where: where}, func(page []xero.Invoice) error {
		sizes = append(sizes, len(page))
		for _, inv := range page {
			numbers = append(numbers, inv.InvoiceNumber)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sizes) != "[1000 1000 150]" || c.Calls()-before != 3 {
		t.Fatalf("pages of %v in %d calls, want [1000 1000 150] in 3", sizes, c.Calls()-before)
	}
	for i, inv := range got {
		if numbers[i] != inv.InvoiceNumber {
			t.Fatalf("invoice %d: %s page by page, %s read whole", i, numbers[i], inv.InvoiceNumber)
		}
	}
	stop := errors.New("enough")
	before = c.Calls()
	if err := c.ReadInvoicePages(ctx, xero.ReadQuery{Where: where}, func([]xero.Invoice) error { return stop }); !errors.Is(err, stop) {
		t.Fatalf("callback's error: got %v", err)
	}
	if calls := c.Calls() - before; calls != 1 {
		t.Fatalf("%d calls after the callback stopped the reading, want 1", calls)
	}

	// A person changes the books; a repeat read asks only for the changes.
	// If-Modified-Since has whole seconds: start the change in the next one.
	since := time.Now().Truncate(time.Second).Add(time.Second)
	time.Sleep(time.Until(since) + 50*time.Millisecond)
	bk, err := h.srv.Bookkeeper(xerotest.DefaultTenantID)
	if err != nil {
		t.Fatal(err)
	}
	if err := bk.VoidInvoice("OC-5000"); err != nil {
		t.Fatal(err)
	}
	changed, err := c.ReadInvoices(ctx, xero.ReadQuery{Where: where, ModifiedSince: since})
	if err != nil {
		t.Fatal(err)
	}
	if len(changed) != 1 || changed[0].InvoiceNumber != "OC-5000" || changed[0].Status != xero.StatusVoided {
		t.Fatalf("changed since: %d invoices, want OC-5000 alone", len(changed))
	}
	last := h.sentTo("GET", "/Invoices")
	if hdr := last[len(last)-1].Header.Get("If-Modified-Since"); hdr != since.UTC().Format(time.RFC3339) {
		t.Fatalf("If-Modified-Since %q", hdr)
	}
}

// TestBookkeeperChangesTheBooks: every change a person makes in Xero, made
// through the sandbox's HTTP API, shows in what the client reads back; and
// Xero's rules hold for the person too.
func TestBookkeeperChangesTheBooks(t *testing.T) {
	h := newHarness(t, xerotest.Options{})
	c := h.connected(nil)
	ctx := ctxT(t)
	var invs []xero.Invoice
	for i, st := range []string{xero.StatusAuthorised, xero.StatusAuthorised, xero.StatusDraft, xero.StatusAuthorised, xero.StatusAuthorised} {
		inv := invoice(fmt.Sprintf("OC-%d", 100+i), "Person", "200")
		inv.Status = st
		invs = append(invs, inv)
	}
	if res, err := c.CreateInvoices(ctx, invs, ""); err != nil || res[0].Err != nil {
		t.Fatal(err)
	}
	bk, err := h.srv.Bookkeeper(xerotest.DefaultTenantID)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC)
	steps := []struct {
		name string
		do   func() error
	}{
		{"void", func() error { return bk.VoidInvoice("OC-100") }},
		{"edit a total", func() error { _, err := bk.AddToTotal("OC-101", decimal.NewFromInt(10)); return err }},
		{"delete a draft", func() error { return bk.DeleteInvoice("OC-102") }},
		{"add a payment", func() error {
			_, err := bk.AddPayment("OC-103", decimal.RequireFromString("5.00"), "090", day)
			return err
		}},
		{"change the contact", func() error { return bk.SetContact("OC-104", "Someone Else") }},
		{"remove a payment", func() error {
			if _, err := bk.AddPayment("OC-101", decimal.RequireFromString("1.00"), "090", day); err != nil {
				return err
			}
			return bk.RemovePayments("OC-101")
		}},
		{"type in an OC- invoice", func() error {
			_, err := bk.AddInvoice("OC-777", "Walk-in", "GBP", decimal.RequireFromString("12.50"), "200", day)
			return err
		}},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
	}
	// Xero's rules: an approved invoice cannot be deleted; a paid one cannot be voided.
	if err := bk.DeleteInvoice("OC-101"); err == nil || !strings.Contains(err.Error(), "not of valid status") {
		t.Fatalf("deleting an approved invoice: %v", err)
	}
	if err := bk.VoidInvoice("OC-103"); err == nil || !strings.Contains(err.Error(), "payment") {
		t.Fatalf("voiding a paid invoice: %v", err)
	}

	got, err := c.ReadInvoices(ctx, xero.ReadQuery{Where: `InvoiceNumber.StartsWith("OC-")`})
	if err != nil {
		t.Fatal(err)
	}
	byNumber := map[string]xero.Invoice{}
	for _, inv := range got {
		byNumber[inv.InvoiceNumber] = inv
	}
	// 2 × 10.125 = 20.25 + 20% = 24.30; edited +10 net = 30.25 + 6.05 = 36.30.
	checks := []struct {
		number, status, total, paid, contact string
	}{
		{"OC-100", xero.StatusVoided, "24.3", "0", "Person"},
		{"OC-101", xero.StatusAuthorised, "36.3", "0", "Person"},
		{"OC-102", xero.StatusDeleted, "24.3", "0", "Person"},
		{"OC-103", xero.StatusAuthorised, "24.3", "5", "Person"},
		{"OC-104", xero.StatusAuthorised, "24.3", "0", "Someone Else"},
		{"OC-777", xero.StatusAuthorised, "12.5", "0", "Walk-in"},
	}
	for _, ck := range checks {
		inv, ok := byNumber[ck.number]
		switch {
		case !ok:
			t.Errorf("%s not read back", ck.number)
		case inv.Status != ck.status || inv.Total.String() != ck.total || inv.AmountPaid.Decimal().String() != ck.paid || inv.Contact.Name != ck.contact:
			t.Errorf("%s: status %s total %s paid %s contact %s; want %+v", ck.number, inv.Status, inv.Total, inv.AmountPaid, inv.Contact.Name, ck)
		}
	}
	pays, err := c.ReadPayments(ctx, xero.ReadQuery{Where: `Status=="AUTHORISED" AND Date>=` + xero.WhereDate(day)})
	if err != nil || len(pays) != 1 {
		t.Fatalf("payments read back: %d %v", len(pays), err)
	}
	if _, err := c.DeletePayment(ctx, pays[0].PaymentID, ""); err != nil {
		t.Fatalf("deleting the payment: %v", err)
	}
	if again, _ := c.Invoices(ctx, xero.InvoiceQuery{InvoiceNumbers: []string{"OC-103"}}); len(again) != 1 || again[0].AmountPaid.Decimal().Sign() != 0 {
		t.Fatalf("after the payment was deleted: %+v", again)
	}
}
