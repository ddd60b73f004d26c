package export

import (
	"context"
	"fmt"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// creditJob is one refund or return on its way to a Xero credit note.
type creditJob struct {
	order    opencart.Order
	doc      xero.CreditNote
	alloc    *xero.Allocation
	problems []mapping.Problem
	hash     string
	rec      history.Record
	invoice  history.Record
}

// toSend is the credit note as sent and its record.
func (j *creditJob) toSend() (xero.CreditNote, pending) {
	return j.doc, pending{rec: &j.rec, hash: j.hash}
}

func (j *creditJob) outcome(msg string) Outcome {
	return Outcome{Document: j.doc, Problems: problemTexts(j.problems), Message: msg}
}

// creditNotes makes the credit notes of these orders: one per return whose
// action gives money back, and one for an order refunded in full (less
// what its returns credited already). Each is allocated to its invoice, or
// — when the invoice was paid — paid out as a refund from the bank account
// the order was paid into.
func (r *run) creditNotes(orders []opencart.Order) error {
	ids := make([]int, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
	}
	returns := map[int][]opencart.Return{}
	for ret, err := range r.store().Returns(r.ctx, opencart.ReturnFilter{OrderIDs: ids}) {
		if err != nil {
			return r.fatal(err)
		}
		returns[ret.OrderID] = append(returns[ret.OrderID], ret)
	}
	var jobs []*creditJob
	for _, o := range orders {
		var prior []xero.CreditNote
		add := func(key string, doc xero.CreditNote, alloc *xero.Allocation, ps []mapping.Problem) {
			if !mapping.HasErrors(ps) {
				prior = append(prior, doc)
			}
			jobs = append(jobs, &creditJob{order: o, doc: doc, alloc: alloc, problems: ps,
				rec: history.Record{Kind: history.KindCreditNote, OpenCartID: key}})
		}
		for _, ret := range returns[o.ID] {
			if r.opt.CreditsMoney(ret) {
				doc, alloc, ps := mapping.ReturnCreditNote(o, ret, prior, r.opt, r.books)
				add(history.ReturnKey(ret.ID), doc, alloc, ps)
			}
		}
		if r.opt.IsRefunded(o) {
			doc, alloc, ps := mapping.RefundCreditNote(o, prior, r.opt, r.books)
			add(history.RefundKey(o.ID), doc, alloc, ps)
		}
	}
	if len(jobs) == 0 {
		return nil
	}
	var create, allocate, lookup []*creditJob
	keys := make([]string, len(jobs))
	for i, j := range jobs {
		keys[i] = j.rec.OpenCartID
	}
	previous, err := r.records(history.KindCreditNote, keys)
	if err != nil {
		return r.fatal(err)
	}
	invoices, err := r.records(history.KindInvoice, orderIDs(orders))
	if err != nil {
		return r.fatal(err)
	}
	for _, j := range jobs {
		var found bool
		var err error
		j.rec, found = previous(j.rec.OpenCartID)
		j.invoice, _ = invoices(history.OrderKey(j.order.ID))
		if j.hash, err = mapping.ContentHash(j.doc); err != nil {
			return r.fatal(err)
		}
		j.rec.Currency = j.doc.CurrencyCode
		total := mapping.XeroTotal(j.doc.LineItems)
		j.rec.OpenCartTotal = money(total)
		switch {
		case r.req.OnlyFailed && found && j.rec.State != history.StateFailed && j.rec.State != history.StateSending:
		case found && j.rec.State == history.StateExported && j.rec.ContentHash == j.hash:
			r.sum.Unchanged++
		case found && (j.rec.State == history.StateExported || j.rec.State == history.StateChanged):
			reason := "the refund changed in OpenCart after its credit note was exported; credit notes are not changed automatically — adjust it in Xero"
			if j.rec.State != history.StateChanged || j.rec.Error != reason {
				j.rec.State, j.rec.Error = history.StateChanged, reason
				if err := r.settle(j.rec, j.outcome("")); err != nil {
					return r.fatal(err)
				}
			}
		case mapping.HasErrors(j.problems):
			j.rec.State, j.rec.Error = history.StateFailed, blocking(j.problems)
			if err := r.settle(j.rec, j.outcome("")); err != nil {
				return r.fatal(err)
			}
		case !r.req.DryRun && (j.invoice.State != history.StateExported || j.invoice.XeroID == ""):
			if err := r.skip(j.rec, found, "skipped: the order's invoice is not in Xero yet; the credit note follows it"); err != nil {
				return err
			}
		case !r.currencyEnabled(j.doc.CurrencyCode):
			j.rec.State, j.rec.Error = history.StateFailed, fmt.Sprintf("not sent: the currency %s is not enabled in Xero", j.doc.CurrencyCode)
			if err := r.settle(j.rec, j.outcome("")); err != nil {
				return r.fatal(err)
			}
		case found && j.rec.State == history.StateSending && !r.req.DryRun:
			lookup = append(lookup, j)
		case found && j.rec.State == history.StateFailed && j.rec.XeroID != "" && !r.req.DryRun:
			allocate = append(allocate, j) // made before, not yet allocated
		default:
			create = append(create, j)
		}
	}
	if len(lookup) > 0 {
		missing, found, err := r.adoptCreditNotes(lookup)
		if err != nil {
			return err
		}
		create = append(create, missing...)
		allocate = append(allocate, found...)
	}
	made, err := r.sendCreditNotes(create)
	if err != nil {
		return err
	}
	return r.allocate(append(allocate, made...))
}

// contactOf is the ContactID of the order's customer, from this run or the history.
func (r *run) contactOf(o opencart.Order) (string, error) {
	key := mapping.ContactKey(o)
	if id := r.contactIDs[key]; id != "" {
		return id, nil
	}
	rec, found, err := r.previous(history.KindContact, key)
	if err != nil || !found || rec.State != history.StateExported {
		return "", err
	}
	r.contactIDs[key] = rec.XeroID
	return rec.XeroID, nil
}

// sendCreditNotes creates credit notes in one batch; it returns those made
// that still need allocating.
func (r *run) sendCreditNotes(jobs []*creditJob) ([]*creditJob, error) {
	if len(jobs) == 0 {
		return nil, nil
	}
	if r.req.DryRun {
		for _, j := range jobs {
			j.rec.State = history.StateExported
			compareTotals(&j.rec, mapping.XeroTotal(j.doc.LineItems), xero.NewAmount(mapping.XeroTotal(j.doc.LineItems)))
			if err := r.settle(j.rec, j.outcome("")); err != nil {
				return nil, r.fatal(err)
			}
		}
		return nil, nil
	}
	send := make([]*creditJob, 0, len(jobs))
	for _, j := range jobs {
		id, err := r.contactOf(j.order)
		if err != nil {
			return nil, r.fatal(err)
		}
		if id == "" {
			if err := r.skip(j.rec, j.rec.ID != 0, "skipped: the customer is not in Xero yet"); err != nil {
				return nil, err
			}
			continue
		}
		j.doc.Contact = &xero.Contact{ContactID: id}
		send = append(send, j)
	}
	if len(send) == 0 {
		return nil, nil
	}
	var made []*creditJob
	err := sendBatch(r, "credit-notes", send, (*creditJob).toSend, r.x().CreateCreditNotes, func(j *creditJob, res xero.Result[xero.CreditNote]) error {
		switch {
		case res.Err == nil:
			r.creditSaved(j, res.Item)
			if j.alloc != nil {
				// Recorded as "sending" with its id until allocated, so a
				// crash in between is resolved by looking it up.
				j.rec.State = history.StateSending
				if _, serr := r.hist().SaveRecord(r.bg, j.rec); serr != nil {
					return r.fatal(serr)
				}
				made = append(made, j)
				return nil
			}
		case numberTaken(res.Err):
			j.rec.State, j.rec.Error = history.StateFailed, "Xero already has a credit note numbered "+j.doc.CreditNoteNumber+"; check it in Xero and remove or renumber one"
		default:
			j.rec.State, j.rec.Error = history.StateFailed, r.xeroReason(res.Err)
		}
		return r.settleErr(j.rec, j.outcome(""))
	})
	if err != nil {
		return nil, err
	}
	return made, nil
}

func (r *run) creditSaved(j *creditJob, saved xero.CreditNote) {
	j.rec.State, j.rec.Error = history.StateExported, ""
	j.rec.XeroID, j.rec.XeroNumber = saved.CreditNoteID, saved.CreditNoteNumber
	compareTotals(&j.rec, mapping.XeroTotal(j.doc.LineItems), saved.Total)
	if note := mismatchNote(j.rec); note != "" {
		j.rec.Error = note
	}
	if saved.RemainingCredit.Given() && j.alloc != nil {
		// Allocate only what is left (an earlier attempt may have done part).
		if left := saved.RemainingCredit.Decimal(); left.LessThan(j.alloc.Amount.Decimal()) {
			j.alloc.Amount = xero.NewAmount(left)
		}
	}
}

// adoptCreditNotes looks up credit notes a crash left unanswered; it
// returns those Xero does not have and those it has that need allocating.
func (r *run) adoptCreditNotes(jobs []*creditJob) (missing, found []*creditJob, err error) {
	numbers := make([]string, len(jobs))
	for i, j := range jobs {
		numbers[i] = j.doc.CreditNoteNumber
	}
	have, err := r.x().CreditNotes(r.bg, xero.CreditNoteQuery{Numbers: numbers})
	if err != nil {
		return nil, nil, r.fatal(err)
	}
	byNumber := map[string]xero.CreditNote{}
	for _, cn := range have {
		if cn.Status != xero.StatusDeleted && cn.Status != xero.StatusVoided {
			byNumber[strings.ToUpper(cn.CreditNoteNumber)] = cn
		}
	}
	for _, j := range jobs {
		cn, ok := byNumber[strings.ToUpper(j.doc.CreditNoteNumber)]
		if !ok {
			missing = append(missing, j)
			continue
		}
		r.creditSaved(j, cn)
		if j.alloc != nil && cn.RemainingCredit.Decimal().IsPositive() {
			found = append(found, j)
			continue
		}
		if err := r.settle(j.rec, j.outcome("found in Xero after an interrupted run")); err != nil {
			return nil, nil, r.fatal(err)
		}
	}
	return missing, found, nil
}

// allocate applies each credit note to its invoice, or, when the invoice
// was paid, pays the credit out as a refund (one batch for all refunds).
func (r *run) allocate(jobs []*creditJob) error {
	var refunds []*creditJob
	for _, j := range jobs {
		if j.alloc == nil {
			continue
		}
		pay, _, err := r.previous(history.KindPayment, history.OrderKey(j.order.ID))
		if err != nil {
			return r.fatal(err)
		}
		if pay.State == history.StateExported {
			refunds = append(refunds, j)
			continue
		}
		allocate := func(ctx context.Context, allocs []xero.Allocation, key string) ([]xero.Result[xero.Allocation], error) {
			return r.x().AllocateCreditNote(ctx, j.rec.XeroID, allocs, key)
		}
		if err := sendBatch(r, "allocation", []*creditJob{j}, (*creditJob).allocation, allocate, func(j *creditJob, res xero.Result[xero.Allocation]) error {
			r.allocated(j, res.Err, "allocated to invoice "+j.invoice.XeroNumber)
			return r.settleErr(j.rec, j.outcome(""))
		}); err != nil {
			return err
		}
	}
	return r.refund(refunds)
}

// madeNote is the record of a credit note made in Xero, about to be
// allocated or refunded: it keeps the content hash of the credit note sent.
func (j *creditJob) madeNote() pending {
	return pending{rec: &j.rec, hash: j.rec.ContentHash, source: j.rec.SourceHash}
}

// allocation applies the credit note to its invoice.
func (j *creditJob) allocation() (xero.Allocation, pending) {
	return xero.Allocation{Invoice: &xero.InvoiceRef{InvoiceID: j.invoice.XeroID}, Amount: j.alloc.Amount, Date: j.alloc.Date}, j.madeNote()
}

// allocated records the result of allocating or refunding a credit note.
func (r *run) allocated(j *creditJob, err error, done string) {
	if err != nil {
		j.rec.State = history.StateFailed
		j.rec.Error = "the credit note is in Xero but was not " + done + ": " + r.xeroReason(err) + " (tried again on the next run)"
		return
	}
	// The credit note's own remark, if any (markSending cleared it).
	j.rec.State, j.rec.Error = history.StateExported, mismatchNote(j.rec)
}

// refund pays credit notes out in one batch.
func (r *run) refund(jobs []*creditJob) error {
	if len(jobs) == 0 {
		return nil
	}
	return sendBatch(r, "refunds", jobs, r.refundOf, r.x().CreatePayments, func(j *creditJob, res xero.Result[xero.Payment]) error {
		r.allocated(j, res.Err, "paid out as a refund (the invoice was already paid)")
		return r.settleErr(j.rec, j.outcome(""))
	})
}

// refundOf pays the credit note out from the bank account the order was
// paid into.
func (r *run) refundOf(j *creditJob) (xero.Payment, pending) {
	p := xero.Payment{
		CreditNote: &xero.CreditNoteRef{CreditNoteID: j.rec.XeroID},
		Account:    &xero.AccountRef{Code: r.opt.PaymentAccount(j.order.PaymentMethod.Code)},
		Date:       j.alloc.Date,
		Amount:     j.alloc.Amount,
		Reference:  mapping.Clean(fmt.Sprintf("Refund of order %d", j.order.ID), mapping.ReferenceField),
	}
	if j.doc.CurrencyRate.Given() {
		p.CurrencyRate = j.doc.CurrencyRate
	}
	return p, j.madeNote()
}
