package xerotest_test

import (
	"net/http"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// TestDocumentsWithMoneyKeepContactAndDate: once a payment or a credit
// note is on an invoice, or a refund is paid out of a credit note, Xero
// refuses to move the document to another contact or another date, as it
// refuses to change its lines or status.
func TestDocumentsWithMoneyKeepContactAndDate(t *testing.T) {
	_, c := start(t, xerotest.Options{})
	const refused = "This document cannot be edited as it has a payment or credit note allocated to it."
	post := func(t *testing.T, path string, body J) []xerotest.ValidationError {
		r := c.as(t).call("POST", path+"?summarizeErrors=false", body).must(t, http.StatusOK)
		if len(r.Env.Invoices) > 0 {
			return r.Env.Invoices[0].ValidationErrors
		}
		return r.Env.CreditNotes[0].ValidationErrors
	}
	paid := c.putInvoice(invoice("OC-40", line("x", "1", "10", "OUTPUT2"))) // 12.00
	c.putPayment(J{"Invoice": J{"InvoiceID": paid.InvoiceID}, "Account": J{"Code": "090"}, "Date": "2026-01-20", "Amount": num("5")})
	unpaid := c.putInvoice(invoice("OC-41", line("x", "1", "10", "OUTPUT2")))
	cn := c.call("PUT", "/CreditNotes?summarizeErrors=false", J{"CreditNotes": []J{{"Type": "ACCRECCREDIT", "CreditNoteNumber": "OC-CN-40",
		"Contact": J{"Name": "Acme Ltd"}, "Date": "2026-01-16", "Status": "AUTHORISED", "LineAmountTypes": "Exclusive",
		"LineItems": []J{line("refund", "1", "10", "OUTPUT2")}}}}).must(t, http.StatusOK).Env.CreditNotes[0]
	c.putPayment(J{"CreditNote": J{"CreditNoteID": cn.CreditNoteID}, "Account": J{"Code": "090"}, "Date": "2026-01-21", "Amount": num("2")})

	for _, tc := range []struct {
		name, path string
		body       J
		want       []string
	}{
		{"paid invoice to another contact", "/Invoices/" + paid.InvoiceID, J{"Contact": J{"Name": "Somebody Else"}}, []string{refused}},
		{"paid invoice to another date", "/Invoices/" + paid.InvoiceID, J{"Date": "2026-02-01"}, []string{refused}},
		{"refunded credit note to another date", "/CreditNotes/" + cn.CreditNoteID, J{"Date": "2026-02-01"}, []string{refused}},
		{"refunded credit note voided", "/CreditNotes/" + cn.CreditNoteID, J{"Status": "VOIDED"}, []string{refused}},
		{"unpaid invoice to another contact", "/Invoices/" + unpaid.InvoiceID, J{"Contact": J{"Name": "Somebody Else"}}, nil},
		{"unpaid invoice to another date", "/Invoices/" + unpaid.InvoiceID, J{"Date": "2026-02-01"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErrors(t, post(t, tc.path, tc.body), tc.want...)
		})
	}
}
