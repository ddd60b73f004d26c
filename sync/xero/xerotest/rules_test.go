package xerotest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// putInvoice creates one invoice with summarizeErrors=false and returns it.
func (c *client) putInvoice(inv J) xerotest.Invoice {
	c.t.Helper()
	r := c.call("PUT", "/Invoices?summarizeErrors=false&unitdp=4", J{"Invoices": []J{inv}}).must(c.t, http.StatusOK)
	return r.Env.Invoices[0]
}

// wantErrors checks the validation messages of one element.
func wantErrors(t *testing.T, got []xerotest.ValidationError, want ...string) {
	t.Helper()
	if msgs := errorsOf(got); !slices.Equal(msgs, want) {
		t.Fatalf("validation errors %q, want %q", msgs, want)
	}
}

func TestInvoiceRules(t *testing.T) {
	s, c := start(t, xerotest.Options{})
	first := c.putInvoice(invoice("OC-100", line("Widget", "1", "10", "OUTPUT2")))
	if first.StatusAttributeString != "OK" {
		t.Fatalf("first invoice: %q", errorsOf(first.ValidationErrors))
	}
	for _, tc := range []struct {
		name  string
		setup func()
		inv   J
		want  string
	}{
		{"duplicate InvoiceNumber", nil, invoice("OC-100", line("Widget", "1", "10", "OUTPUT2")), "Invoice # must be unique."},
		{"unknown account code", nil, invoice("OC-101", J{"Description": "x", "Quantity": 1, "UnitAmount": 1, "AccountCode": "999", "TaxType": "OUTPUT2"}),
			"Account code '999' is not a valid code for this document."},
		{"unknown tax type", nil, invoice("OC-102", line("x", "1", "1", "BOGUS")),
			"The TaxType code BOGUS does not exist or cannot be used for this type of transaction."},
		{"purchase tax type on a sale", nil, invoice("OC-103", line("x", "1", "1", "INPUT2")),
			"The TaxType code INPUT2 does not exist or cannot be used for this type of transaction."},
		{"disabled currency", func() {
			if err := s.DisableCurrency(c.tenant, "EUR"); err != nil {
				t.Fatal(err)
			}
		}, func() J { i := invoice("OC-104", line("x", "1", "1", "OUTPUT2")); i["CurrencyCode"] = "EUR"; return i }(),
			"Organisation is not subscribed to currency EUR"},
		{"no contact", nil, func() J { i := invoice("OC-105", line("x", "1", "1", "OUTPUT2")); i["Contact"] = J{}; return i }(),
			"The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber"},
		{"unknown ContactID", nil, func() J {
			i := invoice("OC-106", line("x", "1", "1", "OUTPUT2"))
			i["Contact"] = J{"ContactID": "0b0b0b0b-0000-4000-8000-000000000000"}
			return i
		}(), "The contact with ContactID 0b0b0b0b-0000-4000-8000-000000000000 could not be found."},
		{"created as PAID", nil, func() J { i := invoice("OC-107", line("x", "1", "1", "OUTPUT2")); i["Status"] = "PAID"; return i }(),
			"PAID is not a valid status for a new Invoice; use DRAFT, SUBMITTED or AUTHORISED."},
		{"reference too long", nil, func() J {
			i := invoice("OC-108", line("x", "1", "1", "OUTPUT2"))
			i["Reference"] = strings.Repeat("r", 256)
			return i
		}(),
			"Reference must not be more than 255 characters long."},
		{"description too long", nil, invoice("OC-109", J{"Description": strings.Repeat("d", 4001), "Quantity": 1, "UnitAmount": 1, "AccountCode": "200"}),
			"Description must not be more than 4000 characters long."},
		{"approved line without account", nil, invoice("OC-110", J{"Description": "x", "Quantity": 1, "UnitAmount": 1}),
			"An account code must be specified for each line item on an approved document."},
		{"invalid contact email", nil, func() J {
			i := invoice("OC-111", line("x", "1", "1", "OUTPUT2"))
			i["Contact"] = J{"Name": "New Person", "EmailAddress": "not-an-email"}
			return i
		}(), "Email address must be valid."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				tc.setup()
			}
			got := c.as(t).putInvoice(tc.inv)
			if got.StatusAttributeString != "ERROR" || got.InvoiceID != "00000000-0000-0000-0000-000000000000" || !got.HasErrors {
				t.Fatalf("saved or wrong shape: %+v", got)
			}
			wantErrors(t, got.ValidationErrors, tc.want)
		})
	}
	if n := len(s.Invoices(c.tenant)); n != 1 {
		t.Fatalf("%d invoices stored, want only the first", n)
	}
	t.Run("foreign currency with a rate", func(t *testing.T) {
		i := invoice("OC-120", line("x", "1", "10", "OUTPUT2"))
		i["CurrencyCode"], i["CurrencyRate"] = "USD", json.Number("1.3")
		got := c.as(t).putInvoice(i)
		if got.StatusAttributeString != "OK" || got.CurrencyRate.String() != "1.3" || got.CurrencyCode != "USD" {
			t.Fatalf("%+v %q", got.Document.CurrencyRate, errorsOf(got.ValidationErrors))
		}
	})
	t.Run("contact by name is matched, not duplicated", func(t *testing.T) {
		a := c.as(t).putInvoice(invoice("OC-121", line("x", "1", "1", "OUTPUT2")))
		if a.Contact.ContactID != first.Contact.ContactID {
			t.Fatalf("contact %s, want the existing %s", a.Contact.ContactID, first.Contact.ContactID)
		}
		names := 0
		for _, ct := range s.Contacts(c.tenant) {
			if ct.Name == "Acme Ltd" {
				names++
			}
		}
		if names != 1 {
			t.Fatalf("%d contacts named Acme Ltd", names)
		}
	})
	t.Run("get by number, list, paging", func(t *testing.T) {
		cc := c.as(t)
		r := cc.call("GET", "/Invoices/OC-100", nil).must(t, http.StatusOK)
		if len(r.Env.Invoices) != 1 || r.Env.Invoices[0].InvoiceID != first.InvoiceID || len(r.Env.Invoices[0].LineItems) != 1 {
			t.Fatalf("%s", r.Body)
		}
		r = cc.call("GET", "/Invoices?InvoiceNumbers=OC-100,OC-121", nil).must(t, http.StatusOK)
		if len(r.Env.Invoices) != 2 || len(r.Env.Invoices[0].LineItems) != 0 {
			t.Fatalf("unpaged list: %d invoices, lines %d", len(r.Env.Invoices), len(r.Env.Invoices[0].LineItems))
		}
		r = cc.call("GET", "/Invoices?page=1&Statuses=AUTHORISED&IDs="+first.InvoiceID, nil).must(t, http.StatusOK)
		if len(r.Env.Invoices) != 1 || len(r.Env.Invoices[0].LineItems) != 1 || !strings.Contains(string(r.Body), `"pagination":{`) {
			t.Fatalf("paged list: %s", r.Body)
		}
		cc.call("GET", "/Invoices/OC-999", nil).must(t, http.StatusNotFound)
		cc.call("POST", "/Invoices/OC-999", J{"Status": "VOIDED"}).must(t, http.StatusNotFound)
		cc.call("POST", "/Payments/0b0b0b0b-0000-4000-8000-000000000000", J{"Status": "DELETED"}).must(t, http.StatusNotFound)
	})
}

func TestStatusTransitions(t *testing.T) {
	_, c := start(t, xerotest.Options{})
	for _, tc := range []struct {
		from, to string
		ok       bool
	}{
		{"DRAFT", "SUBMITTED", true}, {"DRAFT", "AUTHORISED", true}, {"DRAFT", "DELETED", true}, {"SUBMITTED", "DRAFT", true},
		{"SUBMITTED", "DELETED", true}, {"AUTHORISED", "VOIDED", true}, {"AUTHORISED", "DELETED", false},
		{"AUTHORISED", "DRAFT", false}, {"AUTHORISED", "PAID", false}, {"DRAFT", "VOIDED", false},
	} {
		t.Run(tc.from+"→"+tc.to, func(t *testing.T) {
			cc := c.as(t)
			i := invoice("", line("x", "1", "10", "OUTPUT2"))
			i["Status"] = tc.from
			inv := cc.putInvoice(i)
			r := cc.call("POST", "/Invoices/"+inv.InvoiceID+"?summarizeErrors=false", J{"Status": tc.to}).must(t, http.StatusOK)
			got := r.Env.Invoices[0]
			if tc.ok {
				if got.Status != tc.to || got.StatusAttributeString != "OK" {
					t.Fatalf("status %s %q", got.Status, errorsOf(got.ValidationErrors))
				}
				if (tc.to == "VOIDED" || tc.to == "DELETED") && got.AmountDue.String() != "0" {
					t.Fatalf("AmountDue %s after %s", got.AmountDue, tc.to)
				}
				return
			}
			wantErrors(t, got.ValidationErrors, "Invoice not of valid status for modification")
			if again := cc.call("GET", "/Invoices/"+inv.InvoiceID, nil).Env.Invoices[0]; again.Status != tc.from {
				t.Fatalf("status changed to %s", again.Status)
			}
		})
	}
	t.Run("unitdp=4 lines survive a status change without unitdp", func(t *testing.T) {
		cc := c.as(t)
		i := invoice("", line("x", "3", "1.2345", "OUTPUT2"))
		i["Status"] = "DRAFT"
		inv := cc.putInvoice(i) // unitdp=4: 3.70
		r := cc.call("POST", "/Invoices/"+inv.InvoiceID+"?summarizeErrors=false", J{"Status": "AUTHORISED"}).must(t, http.StatusOK)
		got := r.Env.Invoices[0]
		if got.StatusAttributeString != "OK" || got.Total.String() != "4.44" || got.LineItems[0].UnitAmount.String() != "1.23" {
			t.Fatalf("total %s unit %s %q", got.Total, got.LineItems[0].UnitAmount, errorsOf(got.ValidationErrors))
		}
		if u := cc.call("GET", "/Invoices/"+inv.InvoiceID+"?unitdp=4", nil).must(t, 200).Env.Invoices[0].LineItems[0].UnitAmount; u.String() != "1.2345" {
			t.Fatalf("stored unit price %s, want 1.2345", u)
		}
	})
	t.Run("edit lines of an authorised invoice", func(t *testing.T) {
		cc := c.as(t)
		inv := cc.putInvoice(invoice("", line("x", "1", "10", "OUTPUT2")))
		r := cc.call("POST", "/Invoices/"+inv.InvoiceID+"?summarizeErrors=false", J{"LineItems": []J{line("y", "2", "10", "OUTPUT2")}}).must(t, http.StatusOK)
		if got := r.Env.Invoices[0]; got.Total.String() != "24" || got.Reference != "" || got.Contact.Name != "Acme Ltd" {
			t.Fatalf("edit: total %s %q", got.Total, errorsOf(got.ValidationErrors))
		}
	})
}

func TestMixedBatch(t *testing.T) {
	s, c := start(t, xerotest.Options{})
	bad := invoice("B-2", line("x", "1", "1", "BOGUS"))
	t.Run("summarizeErrors=false", func(t *testing.T) {
		r := c.as(t).call("PUT", "/Invoices?summarizeErrors=false", J{"Invoices": []J{invoice("B-1", line("x", "1", "1", "OUTPUT2")), bad, invoice("B-3", line("x", "1", "1", "OUTPUT2"))}}).must(t, http.StatusOK)
		var states []string
		for _, inv := range r.Env.Invoices {
			states = append(states, inv.StatusAttributeString)
		}
		if !slices.Equal(states, []string{"OK", "ERROR", "OK"}) || len(r.Env.Invoices[1].ValidationErrors) != 1 {
			t.Fatalf("states %v: %s", states, r.Body)
		}
		if n := len(s.Invoices(c.tenant)); n != 2 {
			t.Fatalf("%d stored, want 2", n)
		}
	})
	t.Run("summarised", func(t *testing.T) {
		r := c.as(t).call("PUT", "/Invoices", J{"Invoices": []J{invoice("B-4", line("x", "1", "1", "OUTPUT2")), bad}}).must(t, http.StatusBadRequest)
		if r.Env.ErrorNumber != 10 || r.Env.Type != "ValidationException" || r.Env.Message != "A validation exception occurred" || len(r.Env.Elements) != 1 {
			t.Fatalf("%s", r.Body)
		}
		var el xerotest.Invoice
		if err := json.Unmarshal(r.Env.Elements[0], &el); err != nil || el.InvoiceNumber != "B-2" || len(el.ValidationErrors) != 1 {
			t.Fatalf("element %s: %v", r.Env.Elements[0], err)
		}
		if n := len(s.Invoices(c.tenant)); n != 3 {
			t.Fatalf("%d stored, want 3 (the good element is saved even so)", n)
		}
	})
	t.Run("unreadable JSON", func(t *testing.T) {
		r := c.as(t).call("PUT", "/Invoices", `{"Invoices":[{"Date":"15/01/2026"}]}`).must(t, http.StatusBadRequest)
		if r.Env.ErrorNumber != 14 || r.Env.Type != "PostDataInvalidException" || !strings.Contains(r.Env.Message, "Could not convert string to DateTime") {
			t.Fatalf("%s", r.Body)
		}
	})
	t.Run("too large", func(t *testing.T) {
		c.as(t).call("PUT", "/Invoices", `{"Invoices":[{"Reference":"`+strings.Repeat("x", 3_600_000)+`"}]}`).must(t, http.StatusRequestEntityTooLarge)
	})
	t.Run("element count recorded", func(t *testing.T) {
		reqs := s.Requests()
		var counts []int
		for _, r := range reqs {
			if r.Key == "PUT /Invoices" {
				counts = append(counts, r.Elements)
			}
		}
		if len(counts) < 2 || counts[0] != 3 || counts[1] != 2 {
			t.Fatalf("element counts %v", counts)
		}
	})
}

func TestContacts(t *testing.T) {
	_, c := start(t, xerotest.Options{})
	put := func(t *testing.T, method string, contacts ...J) []xerotest.Contact {
		t.Helper()
		return c.as(t).call(method, "/Contacts?summarizeErrors=false", J{"Contacts": contacts}).must(t, http.StatusOK).Env.Contacts
	}
	jane := put(t, "PUT", J{"Name": "Jane Doe", "ContactNumber": "OC-C1", "EmailAddress": "jane@example.com", "FirstName": "Jane"})[0]
	put(t, "PUT", J{"Name": "John Roe", "ContactNumber": "OC-C2", "EmailAddress": "john@example.com"}, J{"Name": "Old Shop", "ContactStatus": "ARCHIVED"})
	t.Run("duplicate active name", func(t *testing.T) {
		got := put(t, "PUT", J{"Name": "Jane Doe", "ContactNumber": "OC-C9"})[0]
		wantErrors(t, got.ValidationErrors, "The contact name Jane Doe is already assigned to another contact. The contact name must be unique across all active contacts.")
		if !got.HasValidationErrors || got.StatusAttributeString != "ERROR" {
			t.Fatalf("%+v", got)
		}
	})
	t.Run("archived name may be reused", func(t *testing.T) {
		if got := put(t, "PUT", J{"Name": "Old Shop"})[0]; got.StatusAttributeString != "OK" {
			t.Fatalf("%q", errorsOf(got.ValidationErrors))
		}
	})
	t.Run("duplicate contact number", func(t *testing.T) {
		got := put(t, "PUT", J{"Name": "Someone", "ContactNumber": "OC-C1"})[0]
		wantErrors(t, got.ValidationErrors, "The contact number OC-C1 is already assigned to another contact. The contact number must be unique across all contacts.")
	})
	t.Run("POST updates by ContactNumber and keeps other fields", func(t *testing.T) {
		got := put(t, "POST", J{"ContactNumber": "OC-C1", "EmailAddress": "jane.doe@example.com"})[0]
		if got.ContactID != jane.ContactID || got.EmailAddress != "jane.doe@example.com" || got.FirstName != "Jane" || got.Name != "Jane Doe" {
			t.Fatalf("%+v", got)
		}
	})
	t.Run("POST by id in the path", func(t *testing.T) {
		r := c.as(t).call("POST", "/Contacts/"+jane.ContactID, J{"Contacts": []J{{"LastName": "Doe"}}}).must(t, http.StatusOK)
		if got := r.Env.Contacts[0]; got.LastName != "Doe" || got.EmailAddress != "jane.doe@example.com" {
			t.Fatalf("%+v", got)
		}
	})
	t.Run("validation", func(t *testing.T) {
		got := put(t, "PUT", J{"Name": strings.Repeat("n", 256), "EmailAddress": "bad@", "ContactNumber": strings.Repeat("9", 51)})[0]
		wantErrors(t, got.ValidationErrors, "Name must not be more than 255 characters long.", "ContactNumber must not be more than 50 characters long.", "Email address must be valid.")
	})
	for _, tc := range []struct {
		name, where string
		want        []string
		status      int
	}{
		{"by ContactNumber", `ContactNumber=="OC-C1"`, []string{"Jane Doe"}, 200},
		{"by EmailAddress", `EmailAddress=="JOHN@example.com"`, []string{"John Roe"}, 200},
		{"by Name", `Name=="Jane Doe"`, []string{"Jane Doe"}, 200},
		{"OR", `ContactNumber=="OC-C1" OR ContactNumber=="OC-C2"`, []string{"Jane Doe", "John Roe"}, 200},
		{"AND", `Name=="Jane Doe" AND EmailAddress=="john@example.com"`, nil, 200},
		{"parentheses and escapes", `(Name=="Jane Doe" || Name=="Nobody \"X\"") && ContactStatus=="ACTIVE"`, []string{"Jane Doe"}, 200},
		{"Contains", `Name.Contains("roe")`, []string{"John Roe"}, 200},
		{"unsupported", `Name.Matches("x")`, nil, 400},
		{"garbage", `Name === 3 +`, nil, 400},
	} {
		t.Run("where "+tc.name, func(t *testing.T) {
			r := c.as(t).call("GET", "/Contacts?where="+url.QueryEscape(tc.where), nil).must(t, tc.status)
			if tc.status == 400 {
				if r.Env.Type != "QueryParseException" || !strings.Contains(r.Env.Message, "not supported") {
					t.Fatalf("%s", r.Body)
				}
				return
			}
			var names []string
			for _, ct := range r.Env.Contacts {
				names = append(names, ct.Name)
			}
			if !slices.Equal(names, tc.want) {
				t.Fatalf("got %v, want %v", names, tc.want)
			}
		})
	}
	t.Run("by number and IDs", func(t *testing.T) {
		cc := c.as(t)
		if r := cc.call("GET", "/Contacts/OC-C1", nil).must(t, 200); r.Env.Contacts[0].ContactID != jane.ContactID {
			t.Fatalf("%s", r.Body)
		}
		if r := cc.call("GET", "/Contacts?IDs="+jane.ContactID, nil).must(t, 200); len(r.Env.Contacts) != 1 {
			t.Fatalf("%s", r.Body)
		}
		cc.call("GET", "/Contacts/OC-NOPE", nil).must(t, http.StatusNotFound)
	})
}

func TestReferenceData(t *testing.T) {
	s, c := start(t, xerotest.Options{})
	r := c.call("GET", "/Accounts?where="+url.QueryEscape(`Status=="ACTIVE" AND Type=="BANK"`), nil).must(t, 200)
	var codes []string
	for _, a := range r.Env.Accounts {
		codes = append(codes, a.Code)
	}
	if !slices.Equal(codes, []string{"090", "091"}) {
		t.Fatalf("bank accounts %v", codes)
	}
	r = c.call("GET", "/Accounts?where="+url.QueryEscape(`SystemAccount=="ROUNDING"`), nil).must(t, 200)
	if len(r.Env.Accounts) != 1 || r.Env.Accounts[0].Code != "860" {
		t.Fatalf("rounding account: %s", r.Body)
	}
	r = c.call("GET", "/TaxRates?TaxType=OUTPUT2", nil).must(t, 200)
	if len(r.Env.TaxRates) != 1 || r.Env.TaxRates[0].Name != "20% (VAT on Income)" || r.Env.TaxRates[0].EffectiveRate.String() != "20" {
		t.Fatalf("tax rates: %s", r.Body)
	}
	c.call("PUT", "/Currencies", J{"Code": "AUD"}).must(t, http.StatusForbidden) // settings.read only
	settings := c.as(t)
	settings.token = login(t, s, legacy)["access_token"].(string)
	settings.call("PUT", "/Currencies", J{"Code": "AUD"}).must(t, 200)
	r = c.call("GET", "/Currencies", nil).must(t, 200)
	var cur []string
	for _, x := range r.Env.Currencies {
		cur = append(cur, x.Code)
	}
	if !slices.Equal(cur, []string{"GBP", "EUR", "USD", "AUD"}) {
		t.Fatalf("currencies %v", cur)
	}
	c.call("GET", "/BrandingThemes", nil).must(t, 200)
	if r := c.call("GET", "/Organisation", nil).must(t, 200); r.Env.Organisations[0].BaseCurrency != "GBP" || r.Env.Organisations[0].CountryCode != "GB" {
		t.Fatalf("%s", r.Body)
	}
}
