package xerotest_test

import (
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// The sandbox finds records through indexes (index.go); these tests change
// the fields the indexes are built on and check that lookups, uniqueness
// and filters follow, with Xero's case rules, also after a restart from
// the state file.

func contactNames(cs []xerotest.Contact) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func TestIndexFollowsContactChanges(t *testing.T) {
	_, c := start(t, xerotest.Options{})
	write := func(t *testing.T, method string, contacts ...J) []xerotest.Contact {
		t.Helper()
		return c.as(t).call(method, "/Contacts?summarizeErrors=false", J{"Contacts": contacts}).must(t, http.StatusOK).Env.Contacts
	}
	alpha := write(t, "PUT", J{"Name": "Alpha Ltd", "ContactNumber": "N-1"})[0]
	// Renamed and renumbered: the old name and number are free, the new ones taken.
	if got := write(t, "POST", J{"ContactID": alpha.ContactID, "Name": "Beta Ltd", "ContactNumber": "N-2"})[0]; got.StatusAttributeString != "OK" {
		t.Fatalf("%q", errorsOf(got.ValidationErrors))
	}
	if got := write(t, "PUT", J{"Name": "alpha ltd", "ContactNumber": "N-1"})[0]; got.StatusAttributeString != "OK" {
		t.Fatalf("old name and number still taken: %q", errorsOf(got.ValidationErrors))
	}
	got := write(t, "PUT", J{"Name": " BETA LTD ", "ContactNumber": "N-3"})[0]
	wantErrors(t, got.ValidationErrors, "The contact name BETA LTD is already assigned to another contact. The contact name must be unique across all active contacts.")
	got = write(t, "PUT", J{"Name": "Gamma", "ContactNumber": "N-2"})[0]
	wantErrors(t, got.ValidationErrors, "The contact number N-2 is already assigned to another contact. The contact number must be unique across all contacts.")
	// Contact numbers match exactly on POST and in the path; where ignores case.
	if got := write(t, "POST", J{"ContactNumber": "N-2", "EmailAddress": "beta@example.com"})[0]; got.ContactID != alpha.ContactID {
		t.Fatalf("POST by ContactNumber made %+v", got)
	}
	if got := write(t, "POST", J{"ContactNumber": "n-2", "Name": "Lower N2"})[0]; got.ContactID == alpha.ContactID || got.StatusAttributeString != "OK" {
		t.Fatalf("POST by n-2 matched N-2: %+v", got)
	}
	c.call("GET", "/Contacts/N-2", nil).must(t, http.StatusOK)
	if r := c.call("GET", "/Contacts/"+alpha.ContactID, nil).must(t, http.StatusOK); r.Env.Contacts[0].Name != "Beta Ltd" {
		t.Fatalf("%s", r.Body)
	}
	r := c.call("GET", "/Contacts?where="+url.QueryEscape(`ContactNumber=="n-2" OR Name=="ALPHA LTD"`), nil).must(t, http.StatusOK)
	if names := contactNames(r.Env.Contacts); !slices.Equal(names, []string{"Beta Ltd", "alpha ltd", "Lower N2"}) {
		t.Fatalf("where found %v", names)
	}
	// An archived contact's name may be reused, and is found again by where.
	write(t, "POST", J{"ContactID": alpha.ContactID, "ContactStatus": "ARCHIVED"})
	if got := write(t, "PUT", J{"Name": "Beta Ltd"})[0]; got.StatusAttributeString != "OK" {
		t.Fatalf("archived name still taken: %q", errorsOf(got.ValidationErrors))
	}
	r = c.call("GET", "/Contacts?includeArchived=true&where="+url.QueryEscape(`Name=="beta ltd"`), nil).must(t, http.StatusOK)
	if names := contactNames(r.Env.Contacts); len(names) != 2 {
		t.Fatalf("where Name found %v", names)
	}
	// An invoice naming a contact by Name takes the active one.
	inv := c.putInvoice(J{"Type": "ACCREC", "InvoiceNumber": "IX-1", "Contact": J{"Name": "BETA LTD"}, "Date": "2026-01-15",
		"LineItems": []J{line("x", "1", "10", "OUTPUT2")}})
	if inv.Contact == nil || inv.Contact.ContactID == alpha.ContactID || inv.Contact.Name != "Beta Ltd" {
		t.Fatalf("invoice contact %+v", inv.Contact)
	}
}

func TestIndexFollowsDocumentChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	_, c := start(t, xerotest.Options{StatePath: path})
	draft := invoice("IA-1", line("x", "1", "10", "OUTPUT2"))
	draft["Status"] = "DRAFT" // so that it may be deleted below
	inv := c.putInvoice(draft)
	// Renumbered: the old number is free, the new one taken (any case).
	r := c.call("POST", "/Invoices?summarizeErrors=false", J{"Invoices": []J{{"InvoiceID": inv.InvoiceID, "InvoiceNumber": "IB-1"}}}).must(t, http.StatusOK)
	if got := r.Env.Invoices[0]; got.InvoiceNumber != "IB-1" {
		t.Fatalf("%+v", got)
	}
	if got := c.putInvoice(invoice("ia-1", line("x", "1", "10", "OUTPUT2"))); got.StatusAttributeString != "OK" {
		t.Fatalf("old number still taken: %q", errorsOf(got.ValidationErrors))
	}
	wantErrors(t, c.putInvoice(invoice("ib-1", line("x", "1", "10", "OUTPUT2"))).ValidationErrors, "Invoice # must be unique.")
	c.call("GET", "/Invoices/IA-1", nil).must(t, http.StatusNotFound)
	c.call("GET", "/Invoices/ib-1", nil).must(t, http.StatusNotFound) // numbers in the path match exactly
	c.call("GET", "/Invoices/IB-1", nil).must(t, http.StatusOK)
	if r := c.call("GET", "/Invoices?InvoiceNumbers=IB-1,ia-1,nope", nil).must(t, http.StatusOK); len(r.Env.Invoices) != 2 {
		t.Fatalf("%s", r.Body)
	}
	if r := c.call("GET", "/Invoices?where="+url.QueryEscape(`InvoiceNumber=="IA-1"`), nil).must(t, http.StatusOK); len(r.Env.Invoices) != 1 || r.Env.Invoices[0].InvoiceNumber != "ia-1" {
		t.Fatalf("%s", r.Body)
	}
	// Nor a voided one's, changed by its ID alone.
	voided := c.putInvoice(invoice("IV-1", line("x", "1", "10", "OUTPUT2")))
	c.call("POST", "/Invoices", J{"Invoices": []J{{"InvoiceID": voided.InvoiceID, "Status": "VOIDED"}}}).must(t, http.StatusOK)
	wantErrors(t, c.putInvoice(invoice("IV-1", line("x", "1", "10", "OUTPUT2"))).ValidationErrors, "Invoice # must be unique.")
	// Xero does not give a deleted invoice's number back.
	c.call("POST", "/Invoices/IB-1", J{"Invoices": []J{{"Status": "DELETED"}}}).must(t, http.StatusOK)
	wantErrors(t, c.putInvoice(invoice("IB-1", line("x", "1", "10", "OUTPUT2"))).ValidationErrors, "Invoice # must be unique.")
	if r := c.call("GET", "/Invoices?where="+url.QueryEscape(`InvoiceNumber=="ib-1"`), nil).must(t, http.StatusOK); len(r.Env.Invoices) != 1 || r.Env.Invoices[0].Status != "DELETED" {
		t.Fatalf("%s", r.Body)
	}
	authorised := c.putInvoice(invoice("IC-1", line("x", "1", "10", "OUTPUT2")))
	pay := c.putPayment(J{"Invoice": J{"InvoiceNumber": "IC-1"}, "Account": J{"Code": "090"}, "Amount": 2, "Date": "2026-01-20"})
	where := `Invoice.InvoiceID==Guid("` + authorised.InvoiceID + `")`
	if r := c.call("GET", "/Payments?where="+url.QueryEscape(where), nil).must(t, http.StatusOK); len(r.Env.Payments) != 1 || r.Env.Payments[0].PaymentID != pay.PaymentID {
		t.Fatalf("%s", r.Body)
	}

	// A sandbox started from the state file finds the same records.
	s2 := xerotest.NewTest(t, xerotest.Options{StatePath: path, AutoApprove: true})
	c2 := &client{t: t, s: s2, token: login(t, s2, granular)["access_token"].(string), tenant: c.tenant}
	c2.call("GET", "/Invoices/IA-1", nil).must(t, http.StatusNotFound)
	c2.call("GET", "/Payments/"+pay.PaymentID, nil).must(t, http.StatusOK)
	if r := c2.call("GET", "/Invoices?InvoiceNumbers=IC-1", nil).must(t, http.StatusOK); len(r.Env.Invoices) != 1 || r.Env.Invoices[0].InvoiceID != authorised.InvoiceID {
		t.Fatalf("%s", r.Body)
	}
	wantErrors(t, c2.putInvoice(invoice("IC-1", line("x", "1", "10", "OUTPUT2"))).ValidationErrors, "Invoice # must be unique.")
	got := c2.call("PUT", "/Contacts?summarizeErrors=false", J{"Contacts": []J{{"Name": "acme ltd"}}}).must(t, http.StatusOK).Env.Contacts[0]
	wantErrors(t, got.ValidationErrors, "The contact name acme ltd is already assigned to another contact. The contact name must be unique across all active contacts.")
}
