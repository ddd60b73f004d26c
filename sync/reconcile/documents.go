package reconcile

// What is kept of Xero's documents: a period of 100,000 invoices read back
// whole, with their lines and contacts, held 1.6 GB. The comparison needs
// of each document only its id, number, status, currency, contact, total
// and amount paid, and the totals only its lines' tax per tax type and
// amounts per account code; a page of Xero's documents is summed up into
// these records as it arrives and then dropped.

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// document is what a reconciliation keeps of one invoice or credit note
// read back from Xero; it is also a line of the cache file (cache.go).
type document struct {
	ID          string `json:"id"`
	Number      string `json:"number"`
	Status      string `json:"status"`
	Currency    string `json:"currency"`
	ContactID   string `json:"contact_id,omitempty"`
	ContactName string `json:"contact_name,omitempty"`
	// Total is the document's total; Paid what was paid on an invoice.
	Total decimal.Decimal `json:"total"`
	Paid  decimal.Decimal `json:"paid"`
	// Tax is the lines' tax per tax type; Accounts the lines' amounts per
	// account code (lines without one left out).
	Tax      []share `json:"tax,omitempty"`
	Accounts []share `json:"accounts,omitempty"`
}

// share is one tax type's or one account's part of a document.
type share struct {
	Key    string          `json:"k"`
	Amount decimal.Decimal `json:"a"`
}

// withdrawn reports whether the document is out of the books (deleted or
// voided).
func (d *document) withdrawn() bool {
	return d.Status == xero.StatusDeleted || d.Status == xero.StatusVoided
}

// names keeps one copy of the short texts every document repeats
// (statuses, currency codes, tax types, account codes).
type names map[string]string

func (n names) of(s string) string {
	if v, ok := n[s]; ok {
		return v
	}
	n[s] = s
	return s
}

// invoice sums up an invoice read back.
func (n names) invoice(inv *xero.Invoice) document {
	d := document{ID: inv.InvoiceID, Number: inv.InvoiceNumber, Status: n.of(inv.Status), Currency: n.of(inv.CurrencyCode),
		Total: inv.Total.Decimal(), Paid: inv.AmountPaid.Decimal()}
	if inv.Contact != nil {
		d.ContactID, d.ContactName = inv.Contact.ContactID, inv.Contact.Name
	}
	d.Tax, d.Accounts = n.lines(inv.LineItems)
	return d
}

// creditNote sums up a credit note read back.
func (n names) creditNote(cn *xero.CreditNote) document {
	d := document{ID: cn.CreditNoteID, Number: cn.CreditNoteNumber, Status: n.of(cn.Status), Currency: n.of(cn.CurrencyCode),
		Total: cn.Total.Decimal()}
	if cn.Contact != nil {
		d.ContactID, d.ContactName = cn.Contact.ContactID, cn.Contact.Name
	}
	d.Tax, d.Accounts = n.lines(cn.LineItems)
	return d
}

// lines sums the lines' tax per tax type (a line counts when it has tax or
// names a tax type) and their amounts per account code, in the order the
// keys first appear.
func (n names) lines(items []xero.LineItem) (tax, accounts []share) {
	add := func(list []share, key string, v decimal.Decimal) []share {
		for i := range list {
			if list[i].Key == key {
				list[i].Amount = list[i].Amount.Add(v)
				return list
			}
		}
		return append(list, share{Key: n.of(key), Amount: v})
	}
	for _, ln := range items {
		if t := ln.TaxAmount.Decimal(); !t.IsZero() || ln.TaxType != "" {
			tax = add(tax, ln.TaxType, t)
		}
		if ln.AccountCode == "" {
			continue
		}
		amount := ln.LineAmount.Decimal()
		if !ln.LineAmount.Given() {
			amount = ln.Quantity.Decimal().Mul(ln.UnitAmount.Decimal()).Round(2)
		}
		accounts = add(accounts, ln.AccountCode, amount)
	}
	return tax, accounts
}

// addShares adds a document's tax, shipping and discounts to a side of the
// totals, as addLine does line by line.
func (rc *reconciliation) addShares(t *Totals, d *document, shop bool) {
	side := func(f Figure, v decimal.Decimal) Figure {
		if shop {
			f.OpenCart = f.OpenCart.Add(v)
		} else {
			f.Xero = f.Xero.Add(v)
		}
		return f
	}
	for _, s := range d.Tax {
		t.VAT[s.Key] = side(t.VAT[s.Key], s.Amount)
	}
	acc := rc.opt.Accounts
	for _, s := range d.Accounts {
		switch {
		case strings.EqualFold(s.Key, acc.Shipping):
			t.Shipping = side(t.Shipping, s.Amount)
		case strings.EqualFold(s.Key, acc.Discounts):
			t.Discounts = side(t.Discounts, s.Amount)
		}
	}
}
