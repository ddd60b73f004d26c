package export

import (
	"context"
	"fmt"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// PrefixClash is what Xero already holds under a number prefix that this
// profile did not make.
type PrefixClash struct {
	Prefix string
	// Invoices are the sales invoices whose number starts with Prefix and
	// whose Xero id is in no record of this profile's history.
	Invoices []xero.Invoice
}

// Clear reports whether nothing clashes.
func (c PrefixClash) Clear() bool { return len(c.Invoices) == 0 }

// String says the clash in words, with up to three examples.
func (c PrefixClash) String() string {
	if c.Clear() {
		return fmt.Sprintf("no invoice in Xero starts with %s other than this profile's own", c.Prefix)
	}
	var ex []string
	for _, inv := range c.Invoices[:min(3, len(c.Invoices))] {
		who := "no contact"
		if inv.Contact != nil && inv.Contact.Name != "" {
			who = mapping.Clean(inv.Contact.Name, mapping.ContactNameField)
		}
		ex = append(ex, mapping.Clean(inv.InvoiceNumber, mapping.DocNumberField)+" for "+who)
	}
	return fmt.Sprintf("Xero already holds %s numbered %s… that this profile did not make (%s): orders with those numbers, and contacts and credit notes under the same prefix, would fail as clashes; choose a prefix no other shop uses",
		Counted(len(c.Invoices), "invoice", "invoices"), c.Prefix, strings.Join(ex, ", "))
}

// CheckPrefix reads the sales invoices Xero holds whose number starts with
// prefix (one paged read, a thousand a call) and returns those that are in
// no record of hist: another shop's, a test shop's, typed in by hand.
func CheckPrefix(ctx context.Context, x *xero.Client, hist *history.Store, prefix string) (PrefixClash, error) {
	out := PrefixClash{Prefix: prefix}
	if err := mapping.CheckPrefix(prefix); err != nil {
		return out, err
	}
	invs, err := x.ReadInvoices(ctx, xero.ReadQuery{Where: `Type=="ACCREC" AND InvoiceNumber.StartsWith(` + xero.WhereQuote(prefix) + `)`})
	if err != nil {
		return out, err
	}
	if len(invs) == 0 {
		return out, nil
	}
	recs, err := hist.Records(ctx, history.RecordFilter{Kind: history.KindInvoice})
	if err != nil {
		return out, err
	}
	ours := map[string]bool{}
	for _, r := range recs {
		if r.XeroID != "" {
			ours[strings.ToLower(r.XeroID)] = true
		}
	}
	for _, inv := range invs {
		// Voided and deleted ones count: Xero never gives their numbers back.
		if !ours[strings.ToLower(inv.InvoiceID)] {
			out.Invoices = append(out.Invoices, inv)
		}
	}
	return out, nil
}
