package export

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// previous returns the history of one record, and whether there is one.
func (r *run) previous(kind, id string) (history.Record, bool, error) {
	rec, err := r.hist().RecordFor(r.bg, kind, id)
	if errors.Is(err, history.ErrNotFound) {
		return history.Record{Kind: kind, OpenCartID: id}, false, nil
	}
	return rec, err == nil, err
}

// records reads the history of a page of records of one kind in one query
// and returns a lookup with previous's answers. The page's records must
// not be saved between the read and their lookup.
func (r *run) records(kind string, ids []string) (func(id string) (history.Record, bool), error) {
	recs, err := r.hist().RecordsFor(r.bg, kind, ids)
	if err != nil {
		return nil, err
	}
	return func(id string) (history.Record, bool) {
		rec, ok := recs[id]
		if !ok {
			return history.Record{Kind: kind, OpenCartID: id}, false
		}
		return rec, true
	}, nil
}

// orderIDs are the orders' ids as history keys.
func orderIDs(orders []opencart.Order) []string {
	ids := make([]string, len(orders))
	for i, o := range orders {
		ids[i] = history.OrderKey(o.ID)
	}
	return ids
}

// pending is a record about to be sent with the content hash of its
// document and, for invoices and customers' contacts, the fingerprint of
// the OpenCart record it was made from.
type pending struct {
	rec          *history.Record
	hash, source string
}

// markSending chooses the Idempotency-Key of a batch and writes every
// record's "sending" state before the call, so that a crash during the
// call is resolved on the next run by looking the records up. The key
// covers the contents and each record's previous key, so a batch sent again
// after an unanswered call gets a new key (Xero caches errors under a key).
func (r *run) markSending(kind string, batch []pending) (string, error) {
	parts := []string{kind}
	for _, p := range batch {
		parts = append(parts, p.hash, p.rec.IdempotencyKey)
	}
	key := xero.IdempotencyKey(parts...)
	recs := make([]history.Record, len(batch))
	for i, p := range batch {
		p.rec.State, p.rec.Error, p.rec.ContentHash, p.rec.SourceHash, p.rec.IdempotencyKey, p.rec.RunID = history.StateSending, "", p.hash, p.source, key, r.sum.RunID
		recs[i] = *p.rec
	}
	// One transaction: the whole batch is "sending", or none of it is.
	if _, err := r.hist().SaveRecords(r.bg, recs); err != nil {
		return "", r.fatal(err)
	}
	return key, nil
}

// settle records a record's outcome, counts it and reports it. In a dry
// run nothing is recorded.
func (r *run) settle(rec history.Record, out Outcome) error {
	out.Kind, out.OpenCartID = rec.Kind, rec.OpenCartID
	if out.State == "" {
		out.State = rec.State
	}
	if out.Message == "" {
		out.Message = rec.Error
	}
	out.XeroID, out.XeroNumber = rec.XeroID, rec.XeroNumber
	out.Currency, out.OpenCartTotal, out.XeroTotal, out.TotalsMatch = rec.Currency, rec.OpenCartTotal, rec.XeroTotal, rec.TotalsMatch
	switch {
	case r.req.DryRun:
		out.State = "dry run"
		if rec.State == history.StateFailed || rec.State == history.StateSkipped {
			out.State = rec.State
		}
	default:
		rec.RunID = r.sum.RunID
		if _, err := r.hist().SaveRecord(r.bg, rec); err != nil {
			return err
		}
	}
	switch rec.State {
	case history.StateExported:
		r.sum.Exported++
		if rec.TotalsMatch != nil && !*rec.TotalsMatch {
			r.sum.Mismatches++
		}
	case history.StateFailed, history.StateChanged:
		r.sum.Failed++
	case history.StateSkipped:
		r.sum.Skipped++
	}
	r.report(r.stage, 0, 0, &out)
	return nil
}

// problemTexts prints problems one per string.
func problemTexts(ps []mapping.Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

// blocking joins the problems that stop a document, in plain words.
func blocking(ps []mapping.Problem) string {
	var msgs []string
	for _, p := range ps {
		if p.Severity == mapping.SeverityError {
			if p.Field != "" {
				msgs = append(msgs, p.Field+": "+p.Message)
			} else {
				msgs = append(msgs, p.Message)
			}
		}
	}
	return "not sent: " + strings.Join(msgs, "; ")
}

// xeroReason turns an error about one record into a sentence for the
// bookkeeper. A refusal makes the next run read Xero's accounts, tax
// rates and currencies again: they may be what changed.
func (r *run) xeroReason(err error) string {
	var ve *xero.ValidationError
	if errors.As(err, &ve) {
		r.refused = true
		return "Xero refused it: " + strings.Join(ve.Messages, "; ")
	}
	return err.Error()
}

// money prints an amount to 2 decimals, as Xero keeps totals.
func money(d decimal.Decimal) string { return d.StringFixed(2) }

// compareTotals fills both totals and whether they match.
func compareTotals(rec *history.Record, openCart decimal.Decimal, x xero.Amount) {
	rec.OpenCartTotal = money(openCart)
	if !x.Given() {
		rec.XeroTotal, rec.TotalsMatch = "", nil
		return
	}
	rec.XeroTotal = money(x.Decimal())
	match := x.Decimal().Equal(openCart)
	rec.TotalsMatch = &match
}

// mismatchNote explains a total that differs.
func mismatchNote(rec history.Record) string {
	if rec.TotalsMatch == nil || *rec.TotalsMatch {
		return ""
	}
	return fmt.Sprintf("Xero's total %s %s differs from OpenCart's %s %s", rec.Currency, rec.XeroTotal, rec.Currency, rec.OpenCartTotal)
}

func asValidation(err error, target **xero.ValidationError) bool { return errors.As(err, target) }

// isRecordErr reports whether Xero answered about this record (refused it),
// as opposed to the request failing without an answer.
func isRecordErr(err error) bool {
	var ve *xero.ValidationError
	var re *xero.RequestError
	return errors.As(err, &ve) || errors.As(err, &re)
}

// leaveSending keeps a record in the "sending" state with the reason: the
// request got no answer, so whether Xero saved it is unknown until the next
// run looks it up.
func (r *run) leaveSending(rec history.Record, err error) error {
	rec.State, rec.RunID = history.StateSending, r.sum.RunID
	rec.Error = "no answer from Xero (" + err.Error() + "); it is looked up in Xero before it is sent again"
	_, serr := r.hist().SaveRecord(r.bg, rec)
	return serr
}
