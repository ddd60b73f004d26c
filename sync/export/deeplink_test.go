package export_test

import (
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
)

func TestXeroLink(t *testing.T) {
	id := "1cf1a11c-a067-4a05-9c8b-06f281f7afed"
	cases := []struct {
		name, short, kind, id, want string
	}{
		{"an invoice in the organisation of its ShortCode", "!NLglS", history.KindInvoice, id,
			"https://go.xero.com/organisationlogin/default.aspx?shortcode=%21NLglS&redirecturl=/AccountsReceivable/View.aspx?InvoiceID=" + id},
		{"an invoice before any run read the ShortCode", "", history.KindInvoice, id, "https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=" + id},
		{"a credit note", "", history.KindCreditNote, id, "https://go.xero.com/AccountsReceivable/ViewCreditNote.aspx?creditNoteID=" + id},
		{"a contact", "", history.KindContact, id, "https://go.xero.com/Contacts/View/" + id},
		{"a payment has no page", "", history.KindPayment, id, ""},
		{"no id, no link", "!NLglS", history.KindInvoice, "", ""},
		{"an id cannot add to the address", "", history.KindInvoice, "x&redirecturl=https://evil", "https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=x%26redirecturl%3Dhttps%3A%2F%2Fevil"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := export.XeroLink(tc.short, tc.kind, tc.id); got != tc.want {
				t.Fatalf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
