package xerotest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// The sandbox benchmarks below time one request of a 50-element batch (or
// a 50-value lookup) against an organisation already holding N contacts
// and N invoices, for N = 1,000, 10,000 and 100,000. A request should cost
// about the size of its own batch: the time per operation should stay
// about flat as N grows. If lookups scan the books again, it grows with N.
// Every operation adds its batch to the books, so run them with a fixed,
// small count, e.g.:
//
//	go test -tags ci -run '^$' -bench Sandbox -benchtime 20x ./sync/xero/xerotest/

// booksSizes are the sizes of the books the benchmarks start from.
var booksSizes = []int{1000, 10000, 100000}

// benchBooks is a sandbox (rate limits out of the way) whose one
// organisation holds n contacts (CUST-1… named "Customer 1"…) and n draft
// invoices (BOOK-1…), each for its contact, and a caller signed in to it.
type benchBooks struct {
	s        *Server
	token    string
	contacts []Contact
}

func newBenchBooks(b *testing.B, n int) *benchBooks {
	b.Helper()
	s := NewTest(b, Options{Logf: func(string, ...any) {}, DayLimit: 1 << 30, MinuteLimit: 1 << 30, AppMinuteLimit: 1 << 30})
	tok, err := s.Connect("books-bench", "")
	if err != nil {
		b.Fatal(err)
	}
	contacts := make([]Contact, n)
	invoices := make([]Invoice, n)
	for i := range n {
		c := Contact{ContactID: newID(), ContactNumber: fmt.Sprintf("CUST-%d", i+1), Name: fmt.Sprintf("Customer %d", i+1),
			EmailAddress: fmt.Sprintf("c%d@example.com", i+1), ContactStatus: "ACTIVE", IsCustomer: true}
		contacts[i] = c
		total := amt(decimal.RequireFromString("24.00"))
		invoices[i] = Invoice{InvoiceID: newID(), InvoiceNumber: fmt.Sprintf("BOOK-%d", i+1), Document: Document{
			Type: "ACCREC", Contact: slimContact(c), Status: "DRAFT", LineAmountTypes: "Exclusive", CurrencyCode: "GBP",
			CurrencyRate: amt(one), SubTotal: amt(decimal.RequireFromString("20.00")), TotalTax: amt(decimal.RequireFromString("4.00")), Total: total,
			LineItems: []LineItem{{LineItemID: newID(), Description: "Widget", Quantity: amt(one), UnitAmount: amt(decimal.RequireFromString("20.00")),
				AccountCode: "200", TaxType: "OUTPUT2", TaxAmount: amt(decimal.RequireFromString("4.00")), LineAmount: amt(decimal.RequireFromString("20.00"))}},
		}, AmountDue: total, AmountPaid: amt(decimal.RequireFromString("0")), AmountCredited: amt(decimal.RequireFromString("0"))}
	}
	if err := s.change(DefaultTenantID, func(d *OrgData) {
		d.Contacts, d.Invoices = contacts, invoices
	}); err != nil {
		b.Fatal(err)
	}
	return &benchBooks{s: s, token: tok.AccessToken, contacts: contacts}
}

// call sends one Accounting API request and insists on the status.
func (k *benchBooks) call(b *testing.B, method, path string, body any, status int) {
	var rd io.Reader
	if body != nil {
		j, err := json.Marshal(body)
		if err != nil {
			b.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, k.s.URL+apiPrefix+path, rd)
	req.Header.Set("Authorization", "Bearer "+k.token)
	req.Header.Set("Xero-Tenant-Id", DefaultTenantID)
	req.Header.Set("Accept", "application/json")
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		b.Fatalf("%s %s: status %d, want %d: %.500s", method, path, resp.StatusCode, status, got)
	}
}

// BenchmarkSandboxInvoices is one PUT /Invoices of 50 new invoices, each
// for an existing contact named by ContactID (as the export sends them).
func BenchmarkSandboxInvoices(b *testing.B) {
	for _, n := range booksSizes {
		b.Run(fmt.Sprintf("books=%d", n), func(b *testing.B) {
			k := newBenchBooks(b, n)
			next := 0
			for b.Loop() {
				batch := make([]map[string]any, 50)
				for i := range batch {
					next++
					c := k.contacts[(next*7919)%n]
					batch[i] = map[string]any{"Type": "ACCREC", "InvoiceNumber": fmt.Sprintf("NEW-%d", next),
						"Contact": map[string]any{"ContactID": c.ContactID}, "Date": "2026-01-15", "DueDate": "2026-02-15",
						"Status": "DRAFT", "LineAmountTypes": "Exclusive", "LineItems": []map[string]any{
							{"Description": "Widget", "Quantity": 2, "UnitAmount": 12.5, "AccountCode": "200", "TaxType": "OUTPUT2"},
							{"Description": "Gadget", "Quantity": 1, "UnitAmount": 7.99, "AccountCode": "200", "TaxType": "OUTPUT2"}}}
				}
				k.call(b, http.MethodPut, "/Invoices?unitdp=4", map[string]any{"Invoices": batch}, http.StatusOK)
			}
		})
	}
}

// BenchmarkSandboxContacts is one POST /Contacts of 50 new contacts with
// contact numbers (as the export sends them: matched on ContactNumber,
// name and number unique).
func BenchmarkSandboxContacts(b *testing.B) {
	for _, n := range booksSizes {
		b.Run(fmt.Sprintf("books=%d", n), func(b *testing.B) {
			k := newBenchBooks(b, n)
			next := 0
			for b.Loop() {
				batch := make([]map[string]any, 50)
				for i := range batch {
					next++
					batch[i] = map[string]any{"ContactNumber": fmt.Sprintf("NEWC-%d", next), "Name": fmt.Sprintf("New Buyer %d", next),
						"EmailAddress": fmt.Sprintf("n%d@example.com", next), "IsCustomer": true}
				}
				k.call(b, http.MethodPost, "/Contacts", map[string]any{"Contacts": batch}, http.StatusOK)
			}
		})
	}
}

// BenchmarkSandboxContactLookup is one GET /Contacts with a where of 50
// ContactNumber=="…" alternatives (the client's ContactNumbers query).
func BenchmarkSandboxContactLookup(b *testing.B) {
	for _, n := range booksSizes {
		b.Run(fmt.Sprintf("books=%d", n), func(b *testing.B) {
			k := newBenchBooks(b, n)
			next := 0
			for b.Loop() {
				parts := make([]string, 50)
				for i := range parts {
					next++
					parts[i] = fmt.Sprintf(`ContactNumber=="CUST-%d"`, (next*7919)%n+1)
				}
				k.call(b, http.MethodGet, "/Contacts?where="+url.QueryEscape(strings.Join(parts, " OR ")), nil, http.StatusOK)
			}
		})
	}
}
