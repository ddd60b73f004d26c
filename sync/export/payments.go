package export

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// paymentJob is one paid order on its way to a Xero payment.
type paymentJob struct {
	order    opencart.Order
	doc      xero.Payment
	problems []mapping.Problem
	rec      history.Record
	hash     string
	// note says why the amount paid differs from OpenCart's.
	note string
	// before is what the export paid already on this invoice, when a
	// credit note taken back left more due (reopenPayments).
	before decimal.Decimal
}

// toSend is the payment as sent and its record.
func (j *paymentJob) toSend() (xero.Payment, pending) {
	return j.doc, pending{rec: &j.rec, hash: j.hash}
}

// payments records, for the paid orders whose invoice is in Xero, the
// payment against that invoice. A payment has no number of its own in
// Xero, so one interrupted by a crash is looked up by its invoice. What
// is sent follows what Xero holds on the invoice now (readyToPay).
func (r *run) payments(orders []opencart.Order) error {
	var send, lookup []*paymentJob
	ids := orderIDs(orders)
	previous, err := r.records(history.KindPayment, ids)
	if err != nil {
		return r.fatal(err)
	}
	invoices, err := r.records(history.KindInvoice, ids)
	if err != nil {
		return r.fatal(err)
	}
	for _, o := range orders {
		id := history.OrderKey(o.ID)
		rec, found := previous(id)
		if found && (rec.State == history.StateExported || rec.State == history.StateSkipped && strings.HasPrefix(rec.Error, settledPrefix)) {
			continue // a payment is made once; one settled from what Xero holds is done too
		}
		if r.req.OnlyFailed && found && rec.State != history.StateFailed && rec.State != history.StateSending {
			continue
		}
		r.noteUnknownMethod(o)
		pay, skipped, ps := mapping.Payment(o, r.opt, r.books)
		rec.Currency = strings.ToUpper(o.CurrencyCode)
		rec.OpenCartTotal = money(mapping.ExpectedTotal(o))
		if pay == nil {
			if err := r.skip(rec, found, skipped); err != nil {
				return err
			}
			continue
		}
		ps = r.checkPayment(o, pay, rec, ps) // lockdates.go, paymethods.go
		inv, invFound := invoices(id)
		j := &paymentJob{order: o, doc: *pay, problems: ps, rec: rec, before: paidSoFar(rec)}
		if j.before.IsPositive() {
			left := j.doc.Amount.Decimal().Sub(j.before)
			if !left.IsPositive() {
				j.rec.State, j.rec.Error = history.StateExported, ""
				if err := r.settle(j.rec, Outcome{Document: j.doc}); err != nil {
					return r.fatal(err)
				}
				continue
			}
			j.doc.Amount = xero.NewAmount(left)
		}
		if j.hash, err = mapping.ContentHash(j.doc); err != nil {
			return r.fatal(err)
		}
		wait, err := r.waits(rec, j.hash) // xerostate.go
		if err != nil {
			return err
		}
		switch {
		case wait:
		case mapping.HasErrors(ps):
			j.rec.State, j.rec.Error = history.StateFailed, blocking(ps)
			if err := r.settle(j.rec, Outcome{Document: j.doc, Problems: problemTexts(ps)}); err != nil {
				return r.fatal(err)
			}
		case !r.req.DryRun && invFound && inv.State != history.StateExported && inv.State != history.StateSending && inv.Error != "":
			// Voided for a cancelled order, changed after it was paid…
			if err := r.skip(rec, found, "skipped: the invoice needs attention first ("+inv.State+": "+inv.Error+")"); err != nil {
				return err
			}
		case !r.req.DryRun && (!invFound || inv.XeroID == "" || inv.State != history.StateExported):
			if err := r.skip(rec, found, "skipped: the invoice is not in Xero yet; the payment follows it"); err != nil {
				return err
			}
		case found && rec.State == history.StateSending && !r.req.DryRun:
			j.doc.Invoice = &xero.InvoiceRef{InvoiceID: inv.XeroID}
			lookup = append(lookup, j)
		default:
			if inv.XeroID != "" {
				j.doc.Invoice = &xero.InvoiceRef{InvoiceID: inv.XeroID}
			}
			send = append(send, j)
		}
	}
	return r.payInvoices(lookup, send)
}

// payInvoices finishes the payments of a page, for orders and renewals
// alike: those interrupted mid-send are looked up in Xero first (found ones
// are recorded, the rest sent), then what Xero holds on each invoice is
// read and only what is still due is paid (readyToPay).
func (r *run) payInvoices(lookup, send []*paymentJob) error {
	if len(lookup) > 0 {
		missing, err := r.adoptPayments(lookup)
		if err != nil {
			return err
		}
		send = append(send, missing...)
	}
	send, err := r.readyToPay(send)
	if err != nil {
		return err
	}
	return r.sendPayments(send)
}

// readyToPay reads what Xero holds on the jobs' invoices (unless this run
// knows it already) and keeps the payments still to make, each for what is
// still due and never more: an invoice paid in Xero (from the bank feed,
// by hand, or with a credit note allocated first) takes the rest of what
// is due, or nothing; one voided or deleted in Xero takes nothing. Those
// are settled, not failed, and not looked at again.
func (r *run) readyToPay(jobs []*paymentJob) ([]*paymentJob, error) {
	if r.req.DryRun || len(jobs) == 0 {
		return jobs, nil
	}
	ids := make([]string, 0, len(jobs))
	for _, j := range jobs {
		ids = append(ids, j.doc.Invoice.InvoiceID)
	}
	states, err := r.invoiceStates(ids)
	if err != nil {
		return nil, err
	}
	var send []*paymentJob
	for _, j := range jobs {
		inv, ok := states[strings.ToLower(j.doc.Invoice.InvoiceID)]
		number := j.doc.Invoice.InvoiceNumber
		if inv.InvoiceNumber != "" {
			number = inv.InvoiceNumber
		}
		j.rec.XeroNumber = number
		if !ok {
			j.rec.State, j.rec.Error = history.StateFailed, "invoice "+number+" was not found in Xero; the payment is tried again on the next run"
			if err := r.settleErr(j.rec, Outcome{Document: j.doc}); err != nil {
				return nil, err
			}
			continue
		}
		due := payAgainst(inv, number, j.doc.Amount.Decimal())
		settle := due.settle
		switch {
		case due.skip != "":
			if err := r.skip(j.rec, j.rec.ID != 0, due.skip); err != nil {
				return nil, err
			}
			continue
		case due.note != "":
			j.doc.Amount = xero.NewAmount(due.amount)
			j.note = due.note
			if j.hash, err = mapping.ContentHash(j.doc); err != nil {
				return nil, r.fatal(err)
			}
		}
		if settle != "" {
			j.rec.State, j.rec.Error, j.rec.XeroID = history.StateSkipped, settle, ""
			if err := r.settleErr(j.rec, Outcome{Document: j.doc}); err != nil {
				return nil, err
			}
			continue
		}
		send = append(send, j)
	}
	return send, nil
}

// paymentDue is what a payment of want on an invoice as Xero holds it
// comes to: settle says why none is sent and the record is done; skip why
// none is sent yet; otherwise amount is what to pay, with note saying why
// it is less than want.
type paymentDue struct {
	amount             decimal.Decimal
	settle, skip, note string
}

// payAgainst decides a payment of want against inv as Xero holds it, for
// the run (readyToPay) and the preview (PreviewPayment) alike: an invoice
// paid in Xero (from the bank feed, by hand, or with a credit note
// allocated first) takes the rest of what is due, or nothing; one voided
// or deleted takes nothing; one not approved takes none yet.
func payAgainst(inv xero.Invoice, number string, want decimal.Decimal) paymentDue {
	due := inv.AmountDue.Decimal()
	switch {
	case gone(inv):
		return paymentDue{settle: goneNote(inv, number, "the payment")}
	case (inv.Status == xero.StatusPaid || inv.Status == xero.StatusAuthorised && !due.IsPositive()) && inv.AmountCredited.Decimal().IsPositive():
		// Credit notes cover what the payment would: if one of ours is
		// withdrawn later, the payment is worked out again (reopenPayments).
		return paymentDue{settle: fmt.Sprintf("%s on invoice %s in Xero (%s): credit notes cover it, so no payment is sent", creditSettled, number, amountsNote(inv))}
	case inv.Status == xero.StatusPaid || inv.Status == xero.StatusAuthorised && !due.IsPositive():
		return paymentDue{settle: fmt.Sprintf("%spaid in Xero: invoice %s was already paid there (%s), so no payment is sent", settledPrefix, number, amountsNote(inv))}
	case inv.Status != xero.StatusAuthorised:
		return paymentDue{skip: fmt.Sprintf("skipped: invoice %s is %s in Xero; Xero takes payments on approved invoices only, so the payment follows its approval", number, strings.ToLower(inv.Status))}
	case due.LessThan(want):
		return paymentDue{amount: due, note: fmt.Sprintf("%s%s paid, what was still due on invoice %s in Xero (%s), not %s", shortPaid, money(due), number, amountsNote(inv), money(want))}
	}
	return paymentDue{amount: want}
}

// skip records a record as skipped with the reason, unless it already was
// for the same reason (so a draft's payment is not re-recorded every run).
func (r *run) skip(rec history.Record, found bool, reason string) error {
	if found && rec.State == history.StateSkipped && rec.Error == reason {
		return nil
	}
	if r.req.DryRun {
		return nil // a dry run lists what would be sent
	}
	rec.State, rec.Error = history.StateSkipped, reason
	if err := r.settle(rec, Outcome{}); err != nil {
		return r.fatal(err)
	}
	return nil
}

// adoptPayments finds payments Xero already has on the jobs' invoices
// (for the same amount) and records them; it returns the jobs not found.
func (r *run) adoptPayments(jobs []*paymentJob) ([]*paymentJob, error) {
	var missing []*paymentJob
	for start := 0; start < len(jobs); start += 40 {
		group := jobs[start:min(start+40, len(jobs))]
		parts := make([]string, len(group))
		for i, j := range group {
			parts[i] = "Invoice.InvoiceID==Guid(" + xero.WhereQuote(j.doc.Invoice.InvoiceID) + ")"
		}
		have, err := r.x().Payments(r.bg, strings.Join(parts, " OR "))
		if err != nil {
			return nil, r.fatal(err)
		}
		for _, j := range group {
			var match *xero.Payment
			for i := range have {
				p := &have[i]
				if p.Invoice != nil && strings.EqualFold(p.Invoice.InvoiceID, j.doc.Invoice.InvoiceID) &&
					p.Status != xero.StatusDeleted && p.Amount.Decimal().Equal(j.doc.Amount.Decimal()) {
					match = p
					break
				}
			}
			if match == nil {
				missing = append(missing, j)
				continue
			}
			r.paymentSaved(j, *match)
			if err := r.settle(j.rec, Outcome{Document: j.doc, Message: "found in Xero after an interrupted run"}); err != nil {
				return nil, r.fatal(err)
			}
		}
	}
	return missing, nil
}

func (r *run) paymentSaved(j *paymentJob, saved xero.Payment) {
	j.rec.State, j.rec.Error = history.StateExported, ""
	j.rec.XeroID = saved.PaymentID
	if saved.Invoice != nil {
		j.rec.XeroNumber = saved.Invoice.InvoiceNumber
	}
	compareTotals(&j.rec, j.doc.Amount.Decimal().Add(j.before), xero.NewAmount(saved.Amount.Decimal().Add(j.before)))
	if j.note != "" {
		j.rec.Error = j.note
	}
}

// sendPayments sends payments in one batch and records each answer.
func (r *run) sendPayments(send []*paymentJob) error {
	if len(send) == 0 {
		return nil
	}
	if r.req.DryRun {
		for _, j := range send {
			j.rec.State = history.StateExported
			compareTotals(&j.rec, j.doc.Amount.Decimal(), j.doc.Amount)
			if err := r.settle(j.rec, Outcome{Document: j.doc, Problems: problemTexts(j.problems)}); err != nil {
				return r.fatal(err)
			}
		}
		return nil
	}
	return sendBatch(r, "payments", send, (*paymentJob).toSend, r.x().CreatePayments, func(j *paymentJob, res xero.Result[xero.Payment]) error {
		if res.Err == nil {
			r.paymentSaved(j, res.Item)
			r.paidOn(j.doc.Invoice.InvoiceID, res.Item.Amount.Decimal()) // xerostate.go
		} else {
			j.rec.State, j.rec.Error = history.StateFailed, r.xeroReason(res.Err)
		}
		return r.settleErr(j.rec, Outcome{Document: j.doc, Problems: problemTexts(j.problems)})
	})
}
