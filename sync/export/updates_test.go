package export_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

// TestChangedInvoicesGoInFullBatches: changes spread thinly over the
// orders (one in ten) are sent as one update call, not one per page of
// orders read; an order paid since is updated before its payment is sent
// (Xero refuses to change an invoice with a payment on it). What Xero
// holds on the changed invoices is read first, in one call (issue 12).
func TestChangedInvoicesGoInFullBatches(t *testing.T) {
	e := newEnv(t, opencart.Family30)
	const n = 130
	orders := make([]octest.Order, n)
	for i := range orders {
		id := 5001 + i
		orders[i] = vatOrder(id, 0, "Buyer", strconv.Itoa(id), fmt.Sprintf("b%d@example.com", id), 1,
			[]octest.Product{product("Widget", 1, "10.0000", "2.0000")}, nil, "3.0000", "18.0000")
	}
	e.shop.AddOrders(orders...)
	s := e.settings(mapping.StatusAuthorised)
	if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		t.Fatalf("first run: %+v", sum)
	}

	// One order in ten changes; one of them has been paid since.
	if _, err := e.shop.SQL.Exec("UPDATE oc_order_product SET name = 'Widget v2' WHERE order_id % 10 = 0"); err != nil {
		t.Fatal(err)
	}
	const paid = 5010
	if _, err := e.shop.SQL.Exec("UPDATE oc_order SET order_status_id = 5 WHERE order_id = ?", paid); err != nil {
		t.Fatal(err)
	}
	if _, err := e.shop.SQL.Exec("INSERT INTO oc_order_history (order_id, order_status_id, notify, comment, date_added) VALUES (?, 5, 0, '', ?)",
		paid, octest.DefaultDate.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	e.sandbox.ResetCounters()
	sum := e.run(s, export.Request{Scope: export.ScopeAll})
	calls := e.sandbox.Calls()
	if sum.Failed != 0 || sum.Exported != 14 { // 13 updates and a payment
		t.Fatalf("second run: %+v (%s)", sum, format(calls))
	}
	if calls["GET /Invoices"] != 1 || calls["POST /Invoices"] != 1 || calls["PUT /Payments"] != 1 || sum.APICalls != 3 {
		t.Errorf("calls: %s; want one read and one update call for the 13 changed invoices and one payment call", format(calls))
	}
	changed := 0
	for _, inv := range e.sandbox.Invoices(tenant) {
		if strings.Contains(inv.LineItems[0].Description, "Widget v2") {
			changed++
		}
		if inv.InvoiceNumber == "OC-"+strconv.Itoa(paid) && (inv.Status != "PAID" || !strings.Contains(inv.LineItems[0].Description, "Widget v2")) {
			t.Errorf("the paid order's invoice: %s, %q", inv.Status, inv.LineItems[0].Description)
		}
	}
	if changed != 13 || len(e.sandbox.Invoices(tenant)) != n {
		t.Errorf("%d invoices changed, %d in Xero; want 13 of %d", changed, len(e.sandbox.Invoices(tenant)), n)
	}
}

// TestSettingsChangeDoesNotRewriteExportedInvoices: after the sales
// account is changed, exported invoices whose orders did not change stay
// as they are in Xero (nothing is sent); an order changed since is updated
// with the new settings.
func TestSettingsChangeDoesNotRewriteExportedInvoices(t *testing.T) {
	e := newEnv(t, opencart.Family40)
	for i := range 3 {
		id := 6001 + i
		e.shop.AddOrder(vatOrder(id, 0, "Buyer", strconv.Itoa(id), fmt.Sprintf("b%d@example.com", id), 1,
			[]octest.Product{product("Widget", 1, "10.0000", "2.0000")}, nil, "3.0000", "18.0000"))
	}
	// A customer account with a company: its contact's name depends on
	// the settings.
	e.shop.AddCustomer(octest.Customer{FirstName: "Lee", LastName: "Ames", Email: "lee@example.com",
		Addresses: []octest.Address{{FirstName: "Lee", LastName: "Ames", Company: "Leaf Ltd", Address1: "1 High Street", City: "London",
			Postcode: "SW1A 1AA", CountryID: octest.CountryUK, Default: true}}})
	s := e.settings(mapping.StatusDraft)
	if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		t.Fatalf("first run: %+v", sum)
	}
	before := s
	s.Accounts.Sales = s.Accounts.Fees // a new choice, valid in Xero
	if s.Accounts.Sales == before.Accounts.Sales {
		t.Fatalf("the fees and sales accounts are both %s", s.Accounts.Sales)
	}
	s.ContactName = map[string]string{mapping.NameCompanyFirst: mapping.NamePerson, mapping.NamePerson: mapping.NameCompanyFirst}[s.ContactName]
	e.sandbox.ResetCounters()
	sum := e.run(s, export.Request{Scope: export.ScopeAll})
	if sum.KeptAsExported != 4 || sum.Exported != 0 || e.writes() != 0 {
		t.Fatalf("after the settings changed: %+v, %s", sum, format(e.sandbox.Calls()))
	}

	if _, err := e.shop.SQL.Exec("UPDATE oc_order_product SET name = 'Widget v2' WHERE order_id = 6002"); err != nil {
		t.Fatal(err)
	}
	sum = e.run(s, export.Request{Scope: export.ScopeAll})
	if sum.Exported != 1 || sum.KeptAsExported != 3 {
		t.Fatalf("after order 6002 changed: %+v", sum)
	}
	for _, inv := range e.sandbox.Invoices(tenant) {
		want := before.Accounts.Sales
		if inv.InvoiceNumber == "OC-6002" {
			want = s.Accounts.Sales
		}
		if got := inv.LineItems[0].AccountCode; got != want {
			t.Errorf("%s: the product on account %s, want %s", inv.InvoiceNumber, got, want)
		}
	}
}
