package reconcile

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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

// cache is what a repeat run keeps of the last read-back.
type cache struct {
	// InvoiceWhere and CreditNoteWhere are the filters the documents were
	// read with; a cache read with other filters is not used.
	InvoiceWhere    string            `json:"invoice_where"`
	CreditNoteWhere string            `json:"credit_note_where"`
	Tenant          string            `json:"tenant"`
	ReadAt          time.Time         `json:"read_at"`
	Invoices        []xero.Invoice    `json:"invoices"`
	CreditNotes     []xero.CreditNote `json:"credit_notes"`
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
	old := rc.loadCache(invWhere, cnWhere)
	var since time.Time
	if old != nil {
		since = old.ReadAt
	}
	invs, err := rc.cfg.Xero.ReadInvoices(ctx, xero.ReadQuery{Where: invWhere, ModifiedSince: since})
	if err != nil {
		return err
	}
	notes, err := rc.cfg.Xero.ReadCreditNotes(ctx, xero.ReadQuery{Where: cnWhere, ModifiedSince: since})
	if err != nil {
		return err
	}
	if old != nil {
		invs = merge(old.Invoices, invs, func(i xero.Invoice) string { return i.InvoiceID })
		notes = merge(old.CreditNotes, notes, func(c xero.CreditNote) string { return c.CreditNoteID })
	}
	rc.invoices, rc.notes = invs, notes
	rc.rep.Invoices, rc.rep.CreditNotes = len(invs), len(notes)
	return rc.saveCache(&cache{InvoiceWhere: invWhere, CreditNoteWhere: cnWhere, Tenant: rc.cfg.Xero.Tenant(), ReadAt: started, Invoices: invs, CreditNotes: notes})
}

// merge puts the changed records over the cached ones, by id, keeping order.
func merge[T any](cached, changed []T, id func(T) string) []T {
	pos := map[string]int{}
	out := append([]T(nil), cached...)
	for i, x := range out {
		pos[strings.ToLower(id(x))] = i
	}
	for _, x := range changed {
		if i, ok := pos[strings.ToLower(id(x))]; ok {
			out[i] = x
		} else {
			out = append(out, x)
		}
	}
	return out
}

func (rc *reconciliation) loadCache(invWhere, cnWhere string) *cache {
	if rc.cfg.CachePath == "" {
		return nil
	}
	raw, err := os.ReadFile(rc.cfg.CachePath)
	if err != nil {
		return nil
	}
	var c cache
	if json.Unmarshal(raw, &c) != nil || c.InvoiceWhere != invWhere || c.CreditNoteWhere != cnWhere || c.Tenant != rc.cfg.Xero.Tenant() || c.ReadAt.IsZero() {
		return nil
	}
	return &c
}

func (rc *reconciliation) saveCache(c *cache) error {
	if rc.cfg.CachePath == "" {
		return nil
	}
	raw, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("reconcile: cache: %w", err)
	}
	tmp := rc.cfg.CachePath + ".tmp"
	if err := os.MkdirAll(filepath.Dir(rc.cfg.CachePath), 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("reconcile: cache: %w", err)
	}
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		return fmt.Errorf("reconcile: cache: %w", err)
	}
	if err := os.Rename(tmp, rc.cfg.CachePath); err != nil {
		return fmt.Errorf("reconcile: cache: %w", err)
	}
	return nil
}

// lookUpInvoices finds invoices by id and by number wherever they are dated.
func (rc *reconciliation) lookUpInvoices(ctx context.Context, ids, numbers []string) ([]xero.Invoice, error) {
	var out []xero.Invoice
	if len(ids) > 0 {
		got, err := rc.cfg.Xero.Invoices(ctx, xero.InvoiceQuery{IDs: ids})
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	if len(numbers) > 0 {
		got, err := rc.cfg.Xero.Invoices(ctx, xero.InvoiceQuery{InvoiceNumbers: numbers})
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}
