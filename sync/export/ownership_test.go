package export_test

import (
	"context"
	"path/filepath"
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

// secondShop is another OpenCart shop, with its own history, exporting
// into the same Xero organisation as e (the same sandbox and connection).
func (e *env) secondShop(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	o := &env{t: t, shop: octest.NewDB(t, opencart.Family40, "oc_"), sandbox: e.sandbox, client: e.client, events: &eventLog{}}
	var err error
	if o.store, err = opencart.Open(ctx, o.shop.DSN, "oc_"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.store.Close() })
	if o.hist, err = history.Open(ctx, filepath.Join(t.TempDir(), "history.db")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.hist.Close() })
	return o
}

// reinstalled is the same shop with its history lost: a new history file.
func (e *env) reinstalled(t *testing.T) *env {
	t.Helper()
	o := *e
	o.events = &eventLog{}
	var err error
	if o.hist, err = history.Open(context.Background(), filepath.Join(t.TempDir(), "history.db")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.hist.Close() })
	return &o
}

func paidOrder(id, customerID int, first, last, email string) octest.Order {
	o := vatOrder(id, customerID, first, last, email, 5, []octest.Product{product("Mug", 1, "20.0000", "4.0000")}, nil, "5.0000", "30.0000")
	o.History = []octest.History{{StatusID: 1, DateAdded: octest.DefaultDate}, {StatusID: 5, DateAdded: octest.DefaultDate.Add(time.Hour)}}
	return o
}

func refundedOrder(id, customerID int, first, last, email string) octest.Order {
	o := paidOrder(id, customerID, first, last, email)
	o.StatusID = 11
	o.History = append(o.History, octest.History{StatusID: 11, DateAdded: octest.DefaultDate.Add(48 * time.Hour)})
	return o
}

func customer(first, last, email string) octest.Customer {
	return octest.Customer{FirstName: first, LastName: last, Email: email, Telephone: "020 7946 0000"}
}

// xeroState is what the tests compare before and after another shop's run.
type xeroState struct {
	contacts map[string]xerotest.Contact // by number
	invoices map[string]xerotest.Invoice // by number
	credits  map[string]xerotest.CreditNote
	payments int
}

func (e *env) xero() xeroState {
	s := xeroState{contacts: map[string]xerotest.Contact{}, invoices: map[string]xerotest.Invoice{}, credits: map[string]xerotest.CreditNote{}}
	for _, c := range e.sandbox.Contacts(tenant) {
		if c.ContactNumber != "" {
			s.contacts[c.ContactNumber] = c
		}
	}
	for _, inv := range e.sandbox.Invoices(tenant) {
		s.invoices[inv.InvoiceNumber] = inv
	}
	for _, cn := range e.sandbox.CreditNotes(tenant) {
		s.credits[cn.CreditNoteNumber] = cn
	}
	s.payments = len(e.sandbox.Payments(tenant))
	return s
}

// amt reads a sandbox amount; none is zero.
func amt(a *xerotest.Amount) decimal.Decimal {
	if a == nil {
		return decimal.Zero
	}
	return a.Decimal
}

func (e *env) logFailures() {
	for _, o := range e.events.outcomes() {
		if o.State == history.StateFailed {
			e.t.Logf("%s %s: %s %v", o.Kind, o.OpenCartID, o.Message, o.Problems)
		}
	}
}

// The first shop has customer 1 Jane Roe, her paid order 4001 and her
// refunded order 4003 in Xero (OC-C1, OC-4001 paid, OC-CN-4003 allocated
// and paid out). A second shop in the same organisation, with the same
// default prefix, has its own customer 1 and its own orders 4001 and
// 4003: nothing of the first shop's is taken over, renamed, paid or
// credited; each clashing record fails with the clash and the fix.
func TestSecondShopWithClashingNumbersTakesOverNothing(t *testing.T) {
	first := newEnv(t, opencart.Family40)
	jane := first.shop.AddCustomer(customer("Jane", "Roe", "jane@first.example"))
	first.shop.AddOrder(paidOrder(4001, jane, "Jane", "Roe", "jane@first.example"))
	first.shop.AddOrder(refundedOrder(4003, jane, "Jane", "Roe", "jane@first.example"))
	s := first.settings(mapping.StatusAuthorised)
	s.RefundsAreFull = true
	if sum := first.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		first.logFailures()
		t.Fatalf("first shop: %+v", sum)
	}
	before := first.xero()
	if _, ok := before.credits["OC-CN-4003"]; !ok || before.payments != 3 {
		t.Fatalf("first shop's Xero: credit notes %v, %d payments", before.credits, before.payments)
	}

	second := first.secondShop(t)
	sam := second.shop.AddCustomer(customer("Sam", "Lee", "sam@second.example"))
	second.shop.AddOrder(paidOrder(5001, sam, "Sam", "Lee", "sam@second.example"))     // contact OC-C1 clashes
	second.shop.AddOrder(paidOrder(4001, 0, "Ann", "Guest", "ann@second.example"))     // invoice OC-4001 clashes
	second.shop.AddOrder(refundedOrder(4003, 0, "Bob", "Guest", "bob@second.example")) // invoice OC-4003 clashes
	sum := second.run(s, export.Request{Scope: export.ScopeAll})
	if sum.Failed != 4 {
		second.logFailures()
		t.Fatalf("second shop: %+v, want 4 failed (contact OC-C1, invoices 5001, 4001, 4003)", sum)
	}
	for _, c := range []struct{ kind, id, want string }{
		{history.KindContact, "OC-C1", "Xero already holds contact OC-C1 for Jane Roe <jane@first.example>, not this shop's customer Sam Lee <sam@second.example>"},
		{history.KindInvoice, "5001", "Xero already holds contact OC-C1 for Jane Roe"},
		{history.KindInvoice, "4001", "Xero already holds invoice OC-4001 for Jane Roe (not this shop's customer, reference \"Order 4001 · Bank Transfer\"), so it is not order 4001's"},
		{history.KindInvoice, "4003", "Xero already holds invoice OC-4003 for Jane Roe"},
	} {
		rec := second.record(c.kind, c.id)
		if rec.State != history.StateFailed || !strings.Contains(rec.Error, c.want) || !strings.Contains(rec.Error, "config set invoice.prefix") || rec.XeroID != "" {
			t.Errorf("%s %s: %s %q (Xero id %q), want failed with %q and the fix", c.kind, c.id, rec.State, rec.Error, rec.XeroID, c.want)
		}
	}
	for _, id := range []string{"4001", "4003"} {
		if rec, err := second.hist.RecordFor(context.Background(), history.KindPayment, id); err == nil && rec.XeroID != "" {
			t.Errorf("payment %s recorded as %s in Xero", id, rec.XeroID)
		}
	}
	after := first.xero()
	if after.payments != before.payments || len(after.invoices) != len(before.invoices) || len(after.credits) != len(before.credits) {
		t.Errorf("Xero changed: %d→%d payments, %d→%d invoices, %d→%d credit notes", before.payments, after.payments,
			len(before.invoices), len(after.invoices), len(before.credits), len(after.credits))
	}
	if c := after.contacts["OC-C1"]; c.Name != "Jane Roe" || c.EmailAddress != "jane@first.example" || c.ContactID != before.contacts["OC-C1"].ContactID {
		t.Errorf("the first shop's contact OC-C1 is now %q <%s>", c.Name, c.EmailAddress)
	}
	for _, n := range []string{"OC-4001", "OC-4003"} {
		if b, a := before.invoices[n], after.invoices[n]; !amt(a.AmountPaid).Equal(amt(b.AmountPaid)) || !amt(a.AmountCredited).Equal(amt(b.AmountCredited)) || a.Status != b.Status || a.Contact.ContactID != b.Contact.ContactID {
			t.Errorf("%s changed: paid %s→%s, credited %s→%s", n, amt(b.AmountPaid), amt(a.AmountPaid), amt(b.AmountCredited), amt(a.AmountCredited))
		}
	}

	// The fix: a prefix of its own. Every record goes through now, on
	// its own numbers, and the first shop's documents stay as they were.
	s.Prefix = "SHOP2-"
	if sum := second.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		second.logFailures()
		t.Fatalf("second shop with its own prefix: %+v", sum)
	}
	now := first.xero()
	for _, n := range []string{"SHOP2-5001", "SHOP2-4001", "SHOP2-4003"} {
		if _, ok := now.invoices[n]; !ok {
			t.Errorf("no invoice %s", n)
		}
	}
	if c, ok := now.contacts["SHOP2-C1"]; !ok || c.Name != "Sam Lee" {
		t.Errorf("contact SHOP2-C1: %+v", c)
	}
	if _, ok := now.credits["SHOP2-CN-4003"]; !ok {
		t.Errorf("no credit note SHOP2-CN-4003: %v", now.credits)
	}
	if inv := now.invoices["SHOP2-4001"]; !amt(inv.AmountPaid).Equal(mustDec("30")) {
		t.Errorf("SHOP2-4001 paid %s, want 30.00", amt(inv.AmountPaid))
	}
	// Three invoices paid, and SHOP2-CN-4003 paid out (SHOP2-4003 was paid in full).
	if now.payments != before.payments+4 {
		t.Errorf("payments: %d before, %d now, want 4 more", before.payments, now.payments)
	}
	for _, n := range []string{"OC-4001", "OC-4003"} {
		if b, a := before.invoices[n], now.invoices[n]; !amt(a.AmountPaid).Equal(amt(b.AmountPaid)) || !amt(a.AmountCredited).Equal(amt(b.AmountCredited)) {
			t.Errorf("%s changed after the second shop's prefix change", n)
		}
	}
	if c := now.contacts["OC-C1"]; c.Name != "Jane Roe" {
		t.Errorf("OC-C1 is now %q", c.Name)
	}
}

// The second shop numbers its invoices B-{order_id} but left the credit
// notes on OC-CN-{order_id}, which the first shop already uses for order
// 4003: the second shop's credit note fails with the clash, nothing is
// allocated from or to the first shop's credit note.
func TestSecondShopCreditNoteNumberClashIsNotAdopted(t *testing.T) {
	first := newEnv(t, opencart.Family40)
	jane := first.shop.AddCustomer(customer("Jane", "Roe", "jane@first.example"))
	first.shop.AddOrder(refundedOrder(4003, jane, "Jane", "Roe", "jane@first.example"))
	s := first.settings(mapping.StatusAuthorised)
	s.RefundsAreFull = true
	if sum := first.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		first.logFailures()
		t.Fatalf("first shop: %+v", sum)
	}
	before := first.xero()

	second := first.secondShop(t)
	second.shop.AddOrder(refundedOrder(4003, 0, "Bob", "Guest", "bob@second.example"))
	s2 := s
	s2.InvoiceNumber = "B-{order_id}"
	if sum := second.run(s2, export.Request{Scope: export.ScopeAll}); sum.Failed != 1 {
		second.logFailures()
		t.Fatalf("second shop: %+v, want 1 failed", sum)
	}
	rec := second.record(history.KindCreditNote, history.RefundKey(4003))
	want := "Xero already holds credit note OC-CN-4003 for Jane Roe (not this shop's customer, reference \"Refund of order 4003\")"
	if rec.State != history.StateFailed || !strings.Contains(rec.Error, want) || rec.XeroID != "" {
		t.Errorf("credit note: %s %q, want failed with %q", rec.State, rec.Error, want)
	}
	after := first.xero()
	b, a := before.credits["OC-CN-4003"], after.credits["OC-CN-4003"]
	if !amt(a.RemainingCredit).Equal(amt(b.RemainingCredit)) || len(a.Allocations) != len(b.Allocations) || a.Status != b.Status {
		t.Errorf("the first shop's credit note changed: remaining %s→%s, %d→%d allocations", amt(b.RemainingCredit), amt(a.RemainingCredit), len(b.Allocations), len(a.Allocations))
	}
	inv := after.invoices["B-4003"]
	if !amt(inv.AmountCredited).IsZero() || !amt(inv.AmountPaid).Equal(mustDec("30")) {
		t.Errorf("B-4003: credited %s, paid %s; want nothing credited, 30.00 paid", amt(inv.AmountCredited), amt(inv.AmountPaid))
	}
	if after.payments != before.payments+1 {
		t.Errorf("%d payments, want %d (B-4003's only)", after.payments, before.payments+1)
	}
}

// A shop reinstalled (its history lost) finds its own contact and invoices
// in Xero under its numbers, with its contact and references: it takes
// them, creates nothing twice, and later pays the right invoice once.
func TestReinstalledShopAdoptsItsOwnDocuments(t *testing.T) {
	e := newEnv(t, opencart.Family40)
	jane := e.shop.AddCustomer(customer("Jane", "Roe", "jane@shop.example"))
	pending := paidOrder(4001, jane, "Jane", "Roe", "jane@shop.example")
	pending.StatusID, pending.History = 1, []octest.History{{StatusID: 1, DateAdded: octest.DefaultDate}}
	e.shop.AddOrder(pending)
	e.shop.AddOrder(paidOrder(4002, 0, "Ann", "Guest", "ann@shop.example"))
	s := e.settings(mapping.StatusAuthorised)
	if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		e.logFailures()
		t.Fatalf("first install: %+v", sum)
	}
	before := e.xero()

	again := e.reinstalled(t)
	sum := again.run(s, export.Request{Scope: export.ScopeAll})
	if sum.Failed != 0 {
		again.logFailures()
		t.Fatalf("reinstalled: %+v", sum)
	}
	after := e.xero()
	if len(after.contacts) != len(before.contacts) || len(after.invoices) != len(before.invoices) || after.payments != before.payments {
		t.Fatalf("made twice: contacts %d→%d, invoices %d→%d, payments %d→%d", len(before.contacts), len(after.contacts),
			len(before.invoices), len(after.invoices), before.payments, after.payments)
	}
	for _, c := range []struct{ kind, id, xeroID string }{
		{history.KindContact, "OC-C1", before.contacts["OC-C1"].ContactID},
		{history.KindInvoice, "4001", before.invoices["OC-4001"].InvoiceID},
		{history.KindInvoice, "4002", before.invoices["OC-4002"].InvoiceID},
	} {
		if rec := again.record(c.kind, c.id); rec.State != history.StateExported || rec.XeroID != c.xeroID {
			t.Errorf("%s %s: %s %q, Xero id %s want %s", c.kind, c.id, rec.State, rec.Error, rec.XeroID, c.xeroID)
		}
	}

	// Order 4001 is paid now: its payment goes onto its own invoice, once.
	again.shop.SetOrderStatus(4001, 5, octest.DefaultDate.Add(24*time.Hour), "")
	if sum := again.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		again.logFailures()
		t.Fatalf("paid after reinstall: %+v", sum)
	}
	if inv := e.xero().invoices["OC-4001"]; !amt(inv.AmountPaid).Equal(mustDec("30")) || inv.Status != "PAID" {
		t.Errorf("OC-4001: paid %s, %s", amt(inv.AmountPaid), inv.Status)
	}
	if n := e.xero().payments; n != before.payments+1 {
		t.Errorf("%d payments, want %d", n, before.payments+1)
	}
}

// A multi-store shop: store 1 has a prefix of its own (and a tracking
// option); the default store keeps the profile's prefix. Contacts are the
// whole shop's.
func TestStoresNumberWithTheirOwnPrefix(t *testing.T) {
	e := newEnv(t, opencart.Family40)
	jane := e.shop.AddCustomer(customer("Jane", "Roe", "jane@shop.example"))
	main := paidOrder(4001, jane, "Jane", "Roe", "jane@shop.example")
	second := paidOrder(4002, jane, "Jane", "Roe", "jane@shop.example")
	second.StoreID = 1
	refund := refundedOrder(4003, 0, "Ann", "Guest", "ann@shop.example")
	refund.StoreID = 1
	e.shop.AddOrders(main, second, refund)
	s := e.settings(mapping.StatusAuthorised)
	s.RefundsAreFull = true
	s.StorePrefixes = map[string]string{"1": "S1-"}
	s.StoreTracking = map[string]string{"1": "Shop:Europe"}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		e.logFailures()
		t.Fatalf("%+v", sum)
	}
	x := e.xero()
	for _, n := range []string{"OC-4001", "S1-4002", "S1-4003"} {
		if _, ok := x.invoices[n]; !ok {
			t.Errorf("no invoice %s", n)
		}
	}
	if _, ok := x.credits["S1-CN-4003"]; !ok {
		t.Errorf("no credit note S1-CN-4003: %v", x.credits)
	}
	tracked := func(lines []xerotest.LineItem) bool {
		for _, l := range lines {
			if len(l.Tracking) != 1 || l.Tracking[0].Name != "Shop" || l.Tracking[0].Option != "Europe" {
				return false
			}
		}
		return len(lines) > 0
	}
	if !tracked(x.invoices["S1-4002"].LineItems) || !tracked(x.credits["S1-CN-4003"].LineItems) {
		t.Errorf("store 1's lines are not all tracked as Shop:Europe: %+v", x.invoices["S1-4002"].LineItems)
	}
	for _, l := range x.invoices["OC-4001"].LineItems {
		if len(l.Tracking) != 0 {
			t.Errorf("the default store's line %q is tracked: %+v", l.Description, l.Tracking)
		}
	}
	if _, ok := x.contacts["OC-C1"]; !ok || len(x.contacts) != 2 {
		t.Errorf("contacts %v, want OC-C1 and Ann's guest contact", x.contacts)
	}
}

// Two customers called Sam Lee: the second became "Sam Lee
// (sam2@example.com)". When its phone number changes, the update keeps
// that name, and Xero takes it (it would refuse "Sam Lee", the first
// one's). A contact exported before the name was kept learns it from Xero.
func TestDisambiguatedContactUpdateKeepsItsXeroName(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		name := "name kept in history"
		if legacy {
			name = "exported before names were kept"
		}
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, opencart.Family40)
			e.shop.AddCustomers(customer("Sam", "Lee", "sam1@example.com"), customer("Sam", "Lee", "sam2@example.com"))
			s := e.settings(mapping.StatusAuthorised)
			if sum := e.run(s, export.Request{Scope: export.ScopeCustomers}); sum.Failed != 0 {
				e.logFailures()
				t.Fatalf("%+v", sum)
			}
			if got := e.xero().contacts["OC-C2"].Name; got != "Sam Lee (sam2@example.com)" {
				t.Fatalf("second Sam Lee is called %q", got)
			}
			if legacy {
				rec := e.record(history.KindContact, "OC-C2")
				rec.Contact = ""
				if _, err := e.hist.SaveRecord(context.Background(), rec); err != nil {
					t.Fatal(err)
				}
			}
			e.shop.Exec("UPDATE oc_customer SET telephone = '07700 900123' WHERE customer_id = 2")
			e.sandbox.ResetCounters()
			for run := 1; run <= 2; run++ {
				sum := e.run(s, export.Request{Scope: export.ScopeCustomers})
				if sum.Failed != 0 {
					e.logFailures()
					t.Fatalf("run %d: %+v", run, sum)
				}
			}
			refusedOnce := false
			for k := range e.sandbox.Calls() {
				refusedOnce = refusedOnce || strings.HasPrefix(k, "GET ") && strings.Contains(k, "Contacts")
			}
			if refusedOnce != legacy {
				t.Errorf("the contact's name was read back from Xero after a refusal: %v (only a contact exported before names were kept needs that)", refusedOnce)
			}
			c := e.xero().contacts["OC-C2"]
			if c.Name != "Sam Lee (sam2@example.com)" || len(c.Phones) == 0 || c.Phones[0].PhoneNumber != "07700 900123" {
				t.Errorf("OC-C2 is %q, phones %+v", c.Name, c.Phones)
			}
			if rec := e.record(history.KindContact, "OC-C2"); rec.State != history.StateExported || rec.Contact != "Sam Lee (sam2@example.com)" {
				t.Errorf("history: %s %q, name %q", rec.State, rec.Error, rec.Contact)
			}
			e.sandbox.ResetCounters()
			if sum := e.run(s, export.Request{Scope: export.ScopeCustomers}); sum.Failed != 0 || e.writes() != 0 {
				t.Errorf("a run with nothing changed: %+v, %d writes", sum, e.writes())
			}
		})
	}
}

// TestContactClashWaitsLikeOtherStuckRecords: a second shop's customer
// whose contact number the first shop's contact holds fails with the
// clash on three runs in a row, then waits like any stuck record: the
// next runs send and read nothing for it (no PUT, no look-up of the
// number), until a retry by hand tries it again.
func TestContactClashWaitsLikeOtherStuckRecords(t *testing.T) {
	first := newEnv(t, opencart.Family40)
	jane := first.shop.AddCustomer(customer("Jane", "Roe", "jane@first.example"))
	first.shop.AddOrder(paidOrder(4001, jane, "Jane", "Roe", "jane@first.example"))
	s := first.settings(mapping.StatusAuthorised)
	if sum := first.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		first.logFailures()
		t.Fatalf("first shop: %+v", sum)
	}
	second := first.secondShop(t)
	sam := second.shop.AddCustomer(customer("Sam", "Lee", "sam@second.example"))
	second.shop.AddOrder(paidOrder(5001, sam, "Sam", "Lee", "sam@second.example")) // contact OC-C1 clashes
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	for i := 1; i <= 3; i++ {
		second.sandbox.ResetCounters()
		sum := second.runAt(s, now.Add(time.Duration(i)*5*time.Minute), 0)
		if sum.Failed != 2 {
			second.logFailures()
			t.Fatalf("run %d: %+v, want the contact and the invoice failed", i, sum)
		}
	}
	rec := second.record(history.KindContact, "OC-C1")
	if rec.State != history.StateFailed || !strings.HasPrefix(rec.Error, history.WaitingPrefix) || !strings.Contains(rec.Error, "Xero already holds contact OC-C1 for Jane Roe") {
		t.Fatalf("contact OC-C1 after three runs: %s %q, want waiting with the clash", rec.State, rec.Error)
	}
	second.sandbox.ResetCounters()
	sum := second.runAt(s, now.Add(20*time.Minute), 0)
	calls := second.sandbox.Calls()
	if calls["PUT /Contacts"]+calls["POST /Contacts"]+calls["GET /Contacts"] != 0 || sum.Waiting < 1 {
		t.Fatalf("the fourth run: %+v, calls %s; want the contact waiting, nothing sent or read for it", sum, format(calls))
	}
	if c := first.xero().contacts["OC-C1"]; c.Name != "Jane Roe" || c.EmailAddress != "jane@first.example" {
		t.Errorf("the first shop's contact OC-C1 is now %q <%s>", c.Name, c.EmailAddress)
	}

	// A retry by hand tries it again (and fails with the clash again).
	second.sandbox.ResetCounters()
	eng, err := export.New(export.Config{Store: second.store, Xero: second.client, History: second.hist, Settings: s,
		Now: func() time.Time { return now.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Run(context.Background(), export.Request{Scope: export.ScopeAll, OnlyFailed: true}); err != nil {
		t.Fatal(err)
	}
	if calls := second.sandbox.Calls(); calls["PUT /Contacts"] == 0 {
		t.Errorf("a retry by hand: calls %s, want the contact sent again", format(calls))
	}
}

// TestReissuedCreditNoteHeldByAnotherShopWaits: order 4003's refund was
// credited (OC-CN-4003), then taken back (the credit note voided), then
// given again: its credit note is reissued as OC-CN-4003-2, a number
// another shop's credit note in the same organisation already holds. The
// refund fails with the clash, nothing is allocated from or paid out of
// the other shop's credit note, and after three runs failing the same way
// it waits: no run sends or reads anything for it.
func TestReissuedCreditNoteHeldByAnotherShopWaits(t *testing.T) {
	r := newRefundShop(t, true)
	r.cupOrder(4003)
	if sum := r.exportAll(); sum.Failed != 0 {
		r.logFailures()
		t.Fatalf("first export: %+v", sum)
	}
	r.shop.SetOrderStatus(4003, 11, day(2), "")
	if sum := r.exportAll(); sum.Failed != 0 {
		r.logFailures()
		t.Fatalf("the refund: %+v", sum)
	}
	r.shop.SetOrderStatus(4003, 5, day(3), "")
	if sum := r.exportAll(); sum.Failed != 0 {
		r.logFailures()
		t.Fatalf("the refund taken back: %+v", sum)
	}
	if cn := r.xero().credits["OC-CN-4003"]; cn.Status != "VOIDED" {
		t.Fatalf("OC-CN-4003 is %s, want voided", cn.Status)
	}

	// Another shop's credit note, typed in the same organisation.
	res, err := r.client.CreateCreditNotes(context.Background(), []xero.CreditNote{{Type: "ACCRECCREDIT", CreditNoteNumber: "OC-CN-4003-2",
		Contact: &xero.Contact{Name: "Bob Guest"}, Date: xero.NewDate(2024, time.March, 4), Status: "AUTHORISED", Reference: "Refund of order 4003",
		LineAmountTypes: "Exclusive", LineItems: []xero.LineItem{{Description: "Lamp", Quantity: xero.NewAmount(decimal.NewFromInt(1)),
			UnitAmount: xero.NewAmount(decimal.NewFromInt(40)), AccountCode: r.s.Accounts.Sales, TaxType: "NONE"}}}}, "")
	if err != nil || len(res) != 1 || res[0].Err != nil {
		t.Fatalf("the other shop's credit note: %v %+v", err, res)
	}
	theirs := r.xero().credits["OC-CN-4003-2"]

	r.shop.SetOrderStatus(4003, 11, day(5), "")
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	for i := 1; i <= 3; i++ {
		sum := r.runAt(r.s, now.Add(time.Duration(i)*5*time.Minute), 0)
		if sum.Failed != 1 {
			r.logFailures()
			for n, cn := range r.xero().credits {
				t.Logf("%s %s %s remaining %s ref %q", n, cn.Status, amt(cn.Total), amt(cn.RemainingCredit), cn.Reference)
			}
			t.Logf("record %+v", r.record(history.KindCreditNote, history.RefundKey(4003)))
			t.Fatalf("run %d after the refund came back: %+v, want the credit note failed", i, sum)
		}
	}
	rec := r.record(history.KindCreditNote, history.RefundKey(4003))
	if rec.State != history.StateFailed || !strings.HasPrefix(rec.Error, history.WaitingPrefix) ||
		!strings.Contains(rec.Error, "Xero already holds credit note OC-CN-4003-2 for Bob Guest") {
		t.Fatalf("the refund's record after three runs: %s %q, want waiting with the clash", rec.State, rec.Error)
	}
	r.sandbox.ResetCounters()
	sum := r.runAt(r.s, now.Add(20*time.Minute), 0)
	calls := r.sandbox.Calls()
	if calls["PUT /CreditNotes"]+calls["GET /CreditNotes"]+calls["PUT /Payments"]+calls["PUT /CreditNotes/Allocations"] != 0 || sum.Waiting != 1 || sum.Failed != 0 {
		t.Fatalf("the fourth run: %+v, calls %s; want the credit note waiting, nothing sent or read for it", sum, format(calls))
	}
	now4 := r.xero().credits["OC-CN-4003-2"]
	if now4.Status != theirs.Status || !amt(now4.RemainingCredit).Equal(amt(theirs.RemainingCredit)) || len(now4.Allocations) != 0 || len(now4.Payments) != 0 {
		t.Errorf("the other shop's credit note changed: %s, remaining %s, %d allocations, %d payments", now4.Status, amt(now4.RemainingCredit), len(now4.Allocations), len(now4.Payments))
	}
}
