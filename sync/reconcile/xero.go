package reconcile

import (
	"context"
	"strings"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// Reading back: the period's sales invoices and credit notes whose numbers
// start with this profile's prefixes, a thousand a call. With a cache, a
// repeat run over the same period asks only for what changed since the
// last one (If-Modified-Since) and keeps the rest from the cache.

// startsWithAny is a where filter: field starts with one of the prefixes.
func startsWithAny(field string, prefixes ...string) string {
	var parts []string
	seen := map[string]bool{}
	for _, p := range prefixes {
		covered := false
		for _, q := range prefixes {
			covered = covered || len(q) < len(p) && strings.HasPrefix(p, q)
		}
		if !seen[p] && !covered {
			seen[p] = true
			parts = append(parts, field+".StartsWith("+xero.WhereQuote(p)+")")
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

func (rc *reconciliation) dateWhere() string {
	p := rc.rep.Period
	return "Date>=" + xero.WhereDate(p.Since) + " AND Date<" + xero.WhereDate(p.Until)
}

func (rc *reconciliation) readXero(ctx context.Context) error {
	org, err := rc.cfg.Xero.Organisation(ctx)
	if err != nil {
		return err
	}
	rc.books.XeroCurrency = org.BaseCurrency
	// The profile's prefix (and each store's) decides what is "ours" to
	// read back: a second shop's numbers in the same organisation are not.
	invPrefixes, cnPrefixes := rc.opt.NumberPrefixes()
	invWhere := `Type=="ACCREC" AND ` + startsWithAny("InvoiceNumber", invPrefixes...) + " AND " + rc.dateWhere()
	cnWhere := `Type=="ACCRECCREDIT" AND ` + startsWithAny("CreditNoteNumber", cnPrefixes...) + " AND " + rc.dateWhere()

	// Ask from a second before the last read started: Xero's times have
	// whole seconds, and a record read twice is only merged.
	started := rc.cfg.Now().Add(-time.Second).Truncate(time.Second)
	since := rc.loadCache(invWhere, cnWhere)
	// A changed document replaces its cached copy, by id, in its place; a
	// new one is added at the end. Each page is summed up as it arrives.
	var invPos, notePos map[string]int
	if !since.IsZero() {
		invPos, notePos = positions(rc.invoices), positions(rc.notes)
	}
	err = rc.cfg.Xero.ReadInvoicePages(ctx, xero.ReadQuery{Where: invWhere, ModifiedSince: since}, func(page []xero.Invoice) error {
		for i := range page {
			rc.invoices = put(rc.invoices, invPos, rc.names.invoice(&page[i]))
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = rc.cfg.Xero.ReadCreditNotePages(ctx, xero.ReadQuery{Where: cnWhere, ModifiedSince: since}, func(page []xero.CreditNote) error {
		for i := range page {
			rc.notes = put(rc.notes, notePos, rc.names.creditNote(&page[i]))
		}
		return nil
	})
	if err != nil {
		return err
	}
	rc.rep.Invoices, rc.rep.CreditNotes = len(rc.invoices), len(rc.notes)
	return rc.saveCache(cacheHead{InvoiceWhere: invWhere, CreditNoteWhere: cnWhere, Tenant: rc.cfg.Xero.Tenant(), ReadAt: started})
}

// positions indexes documents by id.
func positions(docs []document) map[string]int {
	pos := make(map[string]int, len(docs))
	for i := range docs {
		pos[strings.ToLower(docs[i].ID)] = i
	}
	return pos
}

// put adds a document read back: over the one with its id when pos (the
// cached documents' positions) has it, else at the end. Without pos every
// document is added.
func put(docs []document, pos map[string]int, d document) []document {
	if pos == nil {
		return append(docs, d)
	}
	id := strings.ToLower(d.ID)
	if i, ok := pos[id]; ok {
		docs[i] = d
		return docs
	}
	pos[id] = len(docs)
	return append(docs, d)
}

// lookUpInvoices finds invoices by id and by number wherever they are dated.
func (rc *reconciliation) lookUpInvoices(ctx context.Context, ids, numbers []string) ([]document, error) {
	var out []document
	if len(ids) > 0 {
		got, err := rc.cfg.Xero.Invoices(ctx, xero.InvoiceQuery{IDs: ids})
		if err != nil {
			return nil, err
		}
		for i := range got {
			out = append(out, rc.names.invoice(&got[i]))
		}
	}
	if len(numbers) > 0 {
		got, err := rc.cfg.Xero.Invoices(ctx, xero.InvoiceQuery{InvoiceNumbers: numbers})
		if err != nil {
			return nil, err
		}
		for i := range got {
			out = append(out, rc.names.invoice(&got[i]))
		}
	}
	return out, nil
}
