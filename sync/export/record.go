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
		if rec.DocumentDate == "" {
			rec.DocumentDate = documentDate(out.Document)
		}
		before := rec.Error
		var err error
		if rec, err = r.countFailure(rec); err != nil { // xerostate.go
			return err
		}
		if rec.Error != before {
			out.Message = rec.Error
		}
		if _, err := r.hist().SaveRecord(r.bg, rec); err != nil {
			return err
		}
		if err := r.keepLockNote(rec); err != nil { // lockdates.go
			return err
		}
	}
	switch rec.State {
	case history.StateExported:
		r.sum.Exported++
		r.sum.countKind(rec.Kind, rec.OpenCartID)
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

// settleErr is settle with the engine's error wrapping.
func (r *run) settleErr(rec history.Record, out Outcome) error {
	if err := r.settle(rec, out); err != nil {
		return r.fatal(err)
	}
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
// bookkeeper. A refusal that names an account, a tax type or a currency
// makes the next run read Xero's accounts, tax rates and currencies
// again: they may be what changed. A refusal for the document itself
// does not (it would cost the reference's calls on every run).
func (r *run) xeroReason(err error) string {
	var ve *xero.ValidationError
	if errors.As(err, &ve) {
		r.refused = r.refused || namesReference(ve.Messages)
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

// documentDate is the date of a document the run sent or would send
// (YYYY-MM-DD), for the audit trail; "" for a contact or no document.
func documentDate(doc any) string {
	var d xero.Date
	switch v := doc.(type) {
	case xero.Invoice:
		d = v.Date
	case *xero.Invoice:
		if v != nil {
			d = v.Date
		}
	case xero.CreditNote:
		d = v.Date
	case *xero.CreditNote:
		if v != nil {
			d = v.Date
		}
	case xero.Payment:
		d = v.Date
	case *xero.Payment:
		if v != nil {
			d = v.Date
		}
	}
	return dateText(d)
}
