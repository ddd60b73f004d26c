package export

import (
	"context"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// CanUpdateDraft says whether a preview's exported invoice may be updated
// in Xero with what would be sent now: it differs from what Xero holds,
// Xero holds it as a Draft or Awaiting Approval (Xero lets those be
// edited freely), and nothing blocks the invoice now.
func CanUpdateDraft(p Preview) bool {
	if p.InXero == nil || len(p.Differences) == 0 || p.Record.State != history.StateExported || p.Record.XeroID == "" {
		return false
	}
	if mapping.HasErrors(p.Problems) || p.Excluded != "" {
		return false
	}
	return p.InXero.Status == xero.StatusDraft || p.InXero.Status == xero.StatusSubmitted
}

// UpdateDraft updates an exported draft (or awaiting approval) invoice in
// Xero to what would be sent now (PreviewOrder), keeping its number and
// the contact Xero holds, and records the outcome in the history. It
// takes the profile's export lock like a run, and refuses when
// CanUpdateDraft does not hold; it returns the preview read afterwards.
func (e *Engine) UpdateDraft(ctx context.Context, orderID int) (Preview, error) {
	if e.cfg.Xero == nil {
		return Preview{}, errNoXero
	}
	if e.cfg.LockPath != "" {
		unlock, err := takeLock(ctx, e.cfg.LockPath, "manual", 0, e.cfg.Now) // lock.go
		if err != nil {
			return Preview{}, err
		}
		defer unlock()
	}
	p, err := e.PreviewOrder(ctx, orderID)
	if err != nil {
		return p, err
	}
	if p.XeroError != "" {
		return p, errors.New(p.XeroError)
	}
	if !CanUpdateDraft(p) {
		return p, fmt.Errorf("invoice %s cannot be updated from here: only an exported invoice that Xero holds as a Draft or Awaiting Approval, differing from what would be sent now, can be", orNone(p.Record.XeroNumber))
	}
	held := p.InXero
	doc := p.Invoice
	doc.InvoiceID, doc.InvoiceNumber = held.InvoiceID, held.InvoiceNumber
	doc.Status = held.Status // an update changes the content, not the approval
	if held.Contact != nil {
		doc.Contact = &xero.Contact{ContactID: held.Contact.ContactID}
	}
	hash, err := mapping.ContentHash(doc)
	if err != nil {
		return p, err
	}
	res, err := e.cfg.Xero.UpdateInvoices(ctx, []xero.Invoice{doc}, "update-draft-"+held.InvoiceID+"-"+hash)
	if err != nil {
		return p, err
	}
	if len(res) != 1 {
		return p, fmt.Errorf("xero answered %d invoices for one update", len(res))
	}
	rec := p.Record
	if res[0].Err != nil {
		return p, fmt.Errorf("Xero refused the update of invoice %s: %w", held.InvoiceNumber, res[0].Err)
	}
	saved := res[0].Item
	rec.State, rec.Error = history.StateExported, ""
	rec.DocumentDate = dateText(doc.Date)
	openCart, err := decimal.NewFromString(p.OpenCartTotal)
	if err != nil {
		return p, fmt.Errorf("OpenCart's total %q: %w", p.OpenCartTotal, err)
	}
	compareTotals(&rec, openCart, saved.Total)
	if _, err := e.cfg.History.SaveRecord(context.WithoutCancel(ctx), rec); err != nil {
		return p, err
	}
	if err := e.cfg.History.AddNote(context.WithoutCancel(ctx), history.KindInvoice, rec.OpenCartID, 0,
		"updated in Xero from the preview to what would be sent now"); err != nil && !errors.Is(err, history.ErrNotFound) {
		return p, err
	}
	return e.PreviewOrder(ctx, orderID)
}
