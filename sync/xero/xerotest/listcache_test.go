package xerotest_test

import (
	"net/http"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// TestPagedListSeesWritesBetweenPages: the next page of a paged query is
// answered from the choice the first page made only while the books are
// unchanged; a write between pages (a void) shows on the next page.
func TestPagedListSeesWritesBetweenPages(t *testing.T) {
	_, c := start(t, xerotest.Options{})
	var ids []string
	for _, n := range []string{"OC-1", "OC-2", "OC-3", "OC-4"} {
		ids = append(ids, c.putInvoice(invoice(n, line("x", "1", "10", "OUTPUT2"))).InvoiceID)
	}
	page := func(n string) []string {
		r := c.call("GET", "/Invoices?where=Status%3D%3D%22AUTHORISED%22&page="+n+"&pageSize=2", nil).must(t, http.StatusOK)
		var out []string
		for _, inv := range r.Env.Invoices {
			out = append(out, inv.InvoiceNumber)
		}
		return out
	}
	if got := page("1"); len(got) != 2 || got[0] != "OC-1" {
		t.Fatalf("page 1: %v", got)
	}
	if got := page("2"); len(got) != 2 || got[1] != "OC-4" {
		t.Fatalf("page 2 before the void: %v", got)
	}
	c.call("POST", "/Invoices/"+ids[3]+"?summarizeErrors=false", J{"Status": "VOIDED"}).must(t, http.StatusOK)
	if got := page("2"); len(got) != 1 || got[0] != "OC-3" {
		t.Fatalf("page 2 after OC-4 was voided: %v", got)
	}
}
