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
	o, err := e.cfg.Store.Order(ctx, orderID)
	if err != nil {
		return p, err
	}
	source, err := mapping.OrderHash(o)
	if err != nil {
		return p, err
	}
	openCart, err := decimal.NewFromString(p.OpenCartTotal)
	if err != nil {
		return p, fmt.Errorf("OpenCart's total %q: %w", p.OpenCartTotal, err)
	}
	// Through sendBatch like every write (batch.go): the record is
	// "sending" before the call, so a crash during it leaves a record the
	// next run looks up in Xero and records as Xero holds it.
	r := &run{e: e, ctx: ctx, bg: context.WithoutCancel(ctx), stage: StageInvoices}
	before, rec := p.Record, p.Record
	var refused error
	err = sendBatch(r, "update draft "+held.InvoiceID, []*history.Record{&rec},
		func(rec *history.Record) (xero.Invoice, pending) {
			return doc, pending{rec: rec, hash: hash, source: source}
		},
		e.cfg.Xero.UpdateInvoices, func(rec *history.Record, res xero.Result[xero.Invoice]) error {
			if res.Err != nil {
				// Xero kept the invoice as it was: so is its record, with
				// the new key (Xero keeps its answer under the old one).
				refused = fmt.Errorf("the update of invoice %s was refused by Xero: %w", held.InvoiceNumber, res.Err)
				before.IdempotencyKey = rec.IdempotencyKey
				_, err := e.cfg.History.SaveRecord(r.bg, before)
				return err
			}
			rec.State, rec.Error = history.StateExported, ""
			rec.DocumentDate = dateText(doc.Date)
			compareTotals(rec, openCart, res.Item.Total)
			_, err := e.cfg.History.SaveRecord(r.bg, *rec)
			return err
		})
	if err != nil {
		return p, err
	}
	if refused != nil {
		return p, refused
	}
	if err := e.cfg.History.AddNote(r.bg, history.KindInvoice, rec.OpenCartID, 0,
		"updated in Xero from the preview to what would be sent now"); err != nil && !errors.Is(err, history.ErrNotFound) {
		return p, err
	}
	return e.PreviewOrder(ctx, orderID)
}
