package export

import (
	"context"
	"errors"
	"fmt"

	"github.com/opencart-xero/opencart-xero/sync/history"
)

// MarkForResend marks a record so that the next export sends its document
// again: a reconciliation's remedy, applied only when the bookkeeper asks.
//
// With gone (Xero no longer holds the document as sent: deleted, voided,
// missing) the record is put back to "not exported" like an undone one —
// the number kept, so the document comes back under the next suffix
// (numbers.go) — and so is the payment of an order whose invoice goes
// again (Xero removed it with the invoice). Otherwise (Xero's total
// differs) the record forgets what was sent, so the next export updates
// the document in Xero with OpenCart's version, where Xero allows it.
func MarkForResend(ctx context.Context, h *history.Store, kind, openCartID, why string) error {
	return markForResend(ctx, h, kind, openCartID, why, true)
}

// MarkForUpdate is MarkForResend for a document Xero still holds.
func MarkForUpdate(ctx context.Context, h *history.Store, kind, openCartID, why string) error {
	return markForResend(ctx, h, kind, openCartID, why, false)
}

func markForResend(ctx context.Context, h *history.Store, kind, openCartID, why string, gone bool) error {
	rec, err := h.RecordFor(ctx, kind, openCartID)
	if errors.Is(err, history.ErrNotFound) {
		return fmt.Errorf("%s %s was never exported: the next export sends it", kind, openCartID)
	}
	if err != nil {
		return err
	}
	switch {
	case rec.State == history.StateSending:
		return fmt.Errorf("%s %s is being sent (or a run stopped while it was): export again first", kind, openCartID)
	case rec.XeroID == "":
		return fmt.Errorf("%s %s is not in Xero as far as the history knows (%s): the next export sends it", kind, openCartID, rec.State)
	}
	recs := []history.Record{}
	if gone {
		number := rec.XeroNumber
		rec.State, rec.XeroID, rec.XeroTotal, rec.TotalsMatch, rec.ContentHash, rec.SourceHash = history.StateSkipped, "", "", nil, "", ""
		rec.Error = "not exported: marked to be sent again (" + why + "); the next export sends it"
		if number != "" {
			rec.Error += " under a new number (Xero keeps " + number + ")"
		}
		recs = append(recs, rec)
		if kind == history.KindInvoice {
			pay, err := h.RecordFor(ctx, history.KindPayment, openCartID)
			switch {
			case err == nil && pay.XeroID != "":
				pay.State, pay.XeroID, pay.XeroNumber, pay.XeroTotal, pay.TotalsMatch, pay.ContentHash = history.StateSkipped, "", "", "", nil, ""
				pay.Error = "not exported: its invoice is sent again, and the payment with it"
				recs = append(recs, pay)
			case err != nil && !errors.Is(err, history.ErrNotFound):
				return err
			}
		}
	} else {
		if rec.State != history.StateExported && rec.State != history.StateChanged {
			return fmt.Errorf("%s %s is %s, not exported: nothing to update", kind, openCartID, rec.State)
		}
		rec.State, rec.ContentHash, rec.SourceHash = history.StateExported, "", ""
		rec.Error = "marked to be sent again (" + why + "): the next export updates it in Xero with OpenCart's version"
	}
	if !gone {
		recs = append(recs, rec)
	}
	_, err = h.SaveRecords(ctx, recs)
	return err
}
