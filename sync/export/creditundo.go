package export

// Credit notes whose reason left what the shop gave back: a refund undone
// in OpenCart (Refunded → Complete, Reversed → Canceled Reversal), a return
// whose action no longer gives money, a return deleted. The ledger decides
// which; undoCredits takes them back out of Xero in the order Xero asks:
//
//  1. the refund payments paid out on the credit note are deleted;
//  2. its allocations to the invoice are removed;
//  3. it is voided (approved) or deleted (draft or awaiting approval).
//
// Every step is one batch through sendBatch, so the records are "sending"
// before each call. Each run first reads the credit notes from Xero (by id,
// 40 to a call) and acts on what they still carry: a run stopped half-way
// is finished by the next one, and a payment deleted or an allocation
// removed is never asked for again, since Xero no longer lists it on the
// credit note. Where Xero refuses a step (a refund payment reconciled with
// a bank statement line, say), the record is marked "changed" with the
// step to take in Xero; the next run starts again from what Xero holds then.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// undoJob is a credit note to take back out of Xero.
type undoJob struct {
	rec    history.Record
	why    string           // why it leaves Xero; "" = undoPrefix of its record
	number string           // its number, for messages
	cn     *xero.CreditNote // as Xero has it; nil when not found
	status string           // VOIDED or DELETED, asked of Xero last
	// stopped is set when a step was refused (with the step for the
	// bookkeeper in flag) or got no answer: no further step this run.
	stopped bool
	flag    string
	done    []string // what this run removed, for the record's message
}

// undoCredits undoes these credit notes in Xero (see above), a batch at a
// time. Records voided or deleted already are left as they are.
func (r *run) undoCredits(recs []history.Record) error {
	return r.undoCreditsBecause(recs, nil)
}

// undoCreditsBecause is undoCredits with the reason each credit note leaves
// Xero given by why (nil: it is no longer given back in OpenCart).
func (r *run) undoCreditsBecause(recs []history.Record, why func(history.Record) string) error {
	r.stage = StageCreditNotes
	var jobs []*undoJob
	for _, rec := range recs {
		if rec.Kind != history.KindCreditNote || rec.State == history.StateVoided || rec.State == history.StateDeleted {
			continue
		}
		j := &undoJob{rec: rec, number: rec.XeroNumber}
		if why != nil {
			j.why = why(rec)
		}
		jobs = append(jobs, j)
	}
	for start := 0; start < len(jobs); start += r.e.cfg.BatchSize {
		if err := r.undo(jobs[start:min(start+r.e.cfg.BatchSize, len(jobs))]); err != nil {
			return err
		}
		if err := r.cancelled(); err != nil {
			return err
		}
	}
	return nil
}

// undo takes one batch of credit notes out of Xero.
func (r *run) undo(jobs []*undoJob) error {
	if r.req.DryRun {
		for _, j := range jobs {
			rec := j.rec
			rec.State = history.StateVoided
			msg := j.prefix() + ": its credit note " + j.name() + " would be voided in Xero (deleted if still a draft), its refund payments deleted and its allocations removed first"
			if err := r.settleErr(rec, Outcome{Message: msg}); err != nil {
				return err
			}
		}
		return nil
	}
	var look []*undoJob
	for _, j := range jobs {
		if j.rec.XeroID != "" || j.rec.XeroNumber != "" {
			look = append(look, j)
			continue
		}
		if err := r.neverSent(j); err != nil {
			return err
		}
	}
	if err := r.lookUpCredits(look); err != nil {
		return err
	}
	var send []*undoJob
	for _, j := range look {
		done, err := r.decideUndo(j)
		if err != nil {
			return err
		}
		if !done {
			send = append(send, j)
		}
	}
	if err := r.deleteRefunds(send); err != nil {
		return err
	}
	if err := r.removeAllocations(send); err != nil {
		return err
	}
	return r.voidCredits(send)
}

// neverSent settles a credit note Xero never got: nothing to undo there.
func (r *run) neverSent(j *undoJob) error {
	if j.rec.State == history.StateSending {
		// Its creation was interrupted and it has no number to look up.
		return r.flagUndo(j, j.prefix()+", but a run stopped while its credit note was being sent: look for it in Xero and void it if it is there")
	}
	msg := "not sent: " + j.prefix() + " before its credit note reached Xero"
	if j.rec.State == history.StateSkipped && j.rec.Error == msg {
		return nil
	}
	j.rec.State, j.rec.Error = history.StateSkipped, msg
	return r.settleErr(j.rec, Outcome{})
}

// lookUpCredits reads the jobs' credit notes from Xero: by id, or by
// number for one whose creation was interrupted.
func (r *run) lookUpCredits(jobs []*undoJob) error {
	var ids, numbers []string
	for _, j := range jobs {
		if j.rec.XeroID != "" {
			ids = append(ids, j.rec.XeroID)
		} else {
			numbers = append(numbers, j.rec.XeroNumber)
		}
	}
	byID, byNumber := map[string]xero.CreditNote{}, map[string]xero.CreditNote{}
	if len(ids) > 0 {
		have, err := r.x().CreditNotes(r.ctx, xero.CreditNoteQuery{IDs: ids})
		if err != nil {
			return r.fatal(err)
		}
		for _, cn := range have {
			byID[strings.ToLower(cn.CreditNoteID)] = cn
		}
	}
	if len(numbers) > 0 {
		have, err := r.x().CreditNotes(r.ctx, xero.CreditNoteQuery{Numbers: numbers})
		if err != nil {
			return r.fatal(err)
		}
		for _, cn := range have {
			if cn.Status != xero.StatusDeleted && cn.Status != xero.StatusVoided {
				byNumber[strings.ToUpper(cn.CreditNoteNumber)] = cn
			}
		}
	}
	for _, j := range jobs {
		cn, ok := byID[strings.ToLower(j.rec.XeroID)]
		if j.rec.XeroID == "" {
			cn, ok = byNumber[strings.ToUpper(j.rec.XeroNumber)]
			if ok {
				// Found by number only: undone only if provably ours
				// (ownership.go); another's credit note is never touched.
				k, _ := history.ParseKey(j.rec.OpenCartID)
				ours, err := r.orderContactID(k.OrderID, "", "")
				if err != nil {
					return err
				}
				ok = documentIsOurs(cn.Contact, cn.Reference, ours, k.OrderID)
			}
		}
		if ok {
			j.cn = &cn
		}
	}
	return nil
}

// decideUndo records what needs no call (voided or deleted already, not in
// Xero) and reports whether the job is settled; otherwise it sets the
// status to ask of Xero once the payments and allocations are gone.
func (r *run) decideUndo(j *undoJob) (bool, error) {
	if j.cn == nil {
		switch {
		case j.rec.XeroID == "":
			return true, r.neverSent(j) // looked up by number: Xero never got it
		case j.rec.ContentHash == undoHash(j.rec.XeroID, xero.StatusDeleted):
			return true, r.undone(j, xero.StatusDeleted) // asked to delete it, and Xero no longer lists it
		}
		return true, r.flagUndo(j, fmt.Sprintf("%s, but its credit note %s (Xero id %s) is not in Xero any more: check it in Xero by hand", j.prefix(), j.name(), j.rec.XeroID))
	}
	j.rec.XeroID = j.cn.CreditNoteID
	if j.cn.CreditNoteNumber != "" {
		j.number, j.rec.XeroNumber = j.cn.CreditNoteNumber, j.cn.CreditNoteNumber
	}
	switch j.cn.Status {
	case xero.StatusVoided, xero.StatusDeleted:
		return true, r.undone(j, j.cn.Status)
	case xero.StatusDraft, xero.StatusSubmitted:
		j.status = xero.StatusDeleted
	case xero.StatusAuthorised, xero.StatusPaid:
		j.status = xero.StatusVoided
	default:
		return true, r.flagUndo(j, fmt.Sprintf("%s, but its credit note %s is %s in Xero, which cannot be voided or deleted: check it in Xero by hand", j.prefix(), j.name(), j.cn.Status))
	}
	return false, nil
}

// pending is the job's record, marked as being undone.
func (j *undoJob) pending() pending {
	return pending{rec: &j.rec, hash: undoHash(j.rec.XeroID, j.status)}
}

// undoPayment is one refund payment of a credit note being undone.
type undoPayment struct {
	job      *undoJob
	payment  xero.Payment
	answered bool
}

// deleteRefunds deletes the refund payments still on the credit notes, in
// one batch.
func (r *run) deleteRefunds(jobs []*undoJob) error {
	var items []*undoPayment
	for _, j := range jobs {
		for _, p := range j.cn.Payments {
			if p.PaymentID != "" && !strings.EqualFold(p.Status, xero.StatusDeleted) {
				items = append(items, &undoPayment{job: j, payment: p})
			}
		}
	}
	items, err := r.unreconciled(items)
	if err != nil {
		return err
	}
	err = sendBatch(r, "credit-note undo: refunds", items, func(u *undoPayment) (string, pending) { return u.payment.PaymentID, u.job.pending() },
		r.x().DeletePayments, func(u *undoPayment, res xero.Result[xero.Payment]) error {
			u.answered = true
			j := u.job
			what := "the refund payment of " + j.amount(u.payment.Amount) + " on " + j.name()
			switch {
			case res.Err == nil:
				j.done = append(j.done, what+" deleted")
			case reconciled(res.Err):
				j.stop(reconciledStep(j, what))
			default:
				j.stop(fmt.Sprintf("%s, but Xero would not delete %s (%s): delete that payment in Xero by hand, then export again", j.prefix(), what, r.xeroReason(res.Err)))
			}
			return nil
		})
	for _, u := range items {
		if !u.answered {
			u.job.stopped = true // left "sending": the next run reads it again
		}
	}
	return err
}

// undoAllocation is one allocation of a credit note being undone.
type undoAllocation struct {
	job      *undoJob
	alloc    xero.Allocation
	answered bool
}

// removeAllocations removes the allocations still on the credit notes
// whose refunds are gone, in one batch.
func (r *run) removeAllocations(jobs []*undoJob) error {
	var items []*undoAllocation
	for _, j := range jobs {
		if j.stopped {
			continue
		}
		for _, a := range j.cn.Allocations {
			if a.AllocationID != "" && !a.IsDeleted {
				a.CreditNote = &xero.CreditNoteRef{CreditNoteID: j.rec.XeroID}
				items = append(items, &undoAllocation{job: j, alloc: a})
			}
		}
	}
	err := sendBatch(r, "credit-note undo: allocations", items, func(u *undoAllocation) (xero.Allocation, pending) { return u.alloc, u.job.pending() },
		r.x().DeleteAllocations, func(u *undoAllocation, res xero.Result[xero.Allocation]) error {
			u.answered = true
			j := u.job
			what := "the allocation of " + j.amount(u.alloc.Amount) + " from " + j.name()
			if u.alloc.Invoice != nil && u.alloc.Invoice.InvoiceNumber != "" {
				what += " to invoice " + u.alloc.Invoice.InvoiceNumber
			}
			if res.Err == nil {
				j.done = append(j.done, what+" removed")
				return nil
			}
			j.stop(fmt.Sprintf("%s, but Xero would not remove %s (%s): remove it in Xero by hand (open %s → Options → Remove allocation), then export again",
				j.prefix(), what, r.xeroReason(res.Err), j.name()))
			return nil
		})
	for _, u := range items {
		if !u.answered {
			u.job.stopped = true
		}
	}
	return err
}

// voidCredits voids or deletes the credit notes that carry nothing any
// more, in one batch, and flags those a step was refused for.
func (r *run) voidCredits(jobs []*undoJob) error {
	var send []*undoJob
	for _, j := range jobs {
		switch {
		case j.flag != "":
			if err := r.flagUndo(j, j.flag); err != nil {
				return err
			}
		case !j.stopped:
			send = append(send, j)
		}
	}
	return sendBatch(r, "credit-note undo", send, func(j *undoJob) (xero.CreditNote, pending) {
		return xero.CreditNote{CreditNoteID: j.rec.XeroID, Status: j.status}, j.pending()
	}, r.x().UpdateCreditNotes, func(j *undoJob, res xero.Result[xero.CreditNote]) error {
		switch {
		case res.Err == nil && strings.EqualFold(res.Item.Status, j.status):
			return r.undone(j, j.status)
		case res.Err == nil:
			return r.flagUndo(j, fmt.Sprintf("%s, but Xero kept its credit note %s as %s when asked to make it %s: check it in Xero by hand",
				j.prefix(), j.name(), res.Item.Status, j.status))
		default:
			return r.flagUndo(j, fmt.Sprintf("%s, but Xero would not %s its credit note %s (%s): %s it in Xero by hand",
				j.prefix(), verb(j.status), j.name(), r.xeroReason(res.Err), verb(j.status)))
		}
	})
}

// unreconciled reads the payments about to be deleted (one call) and
// keeps those not reconciled with a bank statement line: Xero refuses to
// delete the others, so their credit notes are flagged without a write,
// and a flagged one is tried again only once the bookkeeper unreconciled
// its payment.
func (r *run) unreconciled(items []*undoPayment) ([]*undoPayment, error) {
	if len(items) == 0 {
		return nil, nil
	}
	parts := make([]string, len(items))
	for i, u := range items {
		parts[i] = "PaymentID==Guid(" + xero.WhereQuote(u.payment.PaymentID) + ")"
	}
	have, err := r.x().Payments(r.ctx, strings.Join(parts, " OR "))
	if err != nil {
		return nil, r.fatal(err)
	}
	held := map[string]bool{}
	for _, p := range have {
		if p.IsReconciled {
			held[strings.ToLower(p.PaymentID)] = true
		}
	}
	for _, u := range items {
		if held[strings.ToLower(u.payment.PaymentID)] {
			u.job.stop(reconciledStep(u.job, "the refund payment of "+u.job.amount(u.payment.Amount)+" on "+u.job.name()))
		}
	}
	var keep []*undoPayment
	for _, u := range items {
		if !u.job.stopped { // a credit note held by one payment is left whole
			keep = append(keep, u)
		}
	}
	return keep, nil
}

// reconciledStep is what the bookkeeper does about a reconciled refund
// payment (what names it).
func reconciledStep(j *undoJob, what string) string {
	return fmt.Sprintf("%s, but %s is reconciled with a bank statement line: unreconcile it in Xero (the bank account's transactions → the payment → Options → Unreconcile), then export again: the payment is deleted and %s %s then",
		j.prefix(), what, j.name(), j.finalPastTense())
}

// reconciled recognises Xero's refusal to delete a payment matched to a
// bank statement line.
func reconciled(err error) bool {
	var ve *xero.ValidationError
	if !asValidation(err, &ve) {
		return false
	}
	for _, m := range ve.Messages {
		if strings.Contains(strings.ToLower(m), "reconciled") {
			return true
		}
	}
	return false
}

// stop ends the job's undo for this run with the step for the bookkeeper
// (the first refusal is the one to deal with first).
func (j *undoJob) stop(flag string) {
	j.stopped = true
	if j.flag == "" {
		j.flag = flag
	}
}

// undone records a credit note Xero has voided or deleted.
func (r *run) undone(j *undoJob, status string) error {
	what := "its credit note " + j.name() + " was voided in Xero"
	j.rec.State = history.StateVoided
	if status == xero.StatusDeleted {
		j.rec.State = history.StateDeleted
		what = "its credit note " + j.name() + " (not yet approved) was deleted in Xero"
	}
	if len(j.done) > 0 {
		what += ", after " + strings.Join(j.done, " and ")
	}
	j.rec.ContentHash = undoHash(j.rec.XeroID, status)
	j.rec.Error = j.prefix() + ": " + what
	return r.settleErr(j.rec, Outcome{Document: xero.CreditNote{CreditNoteID: j.rec.XeroID, CreditNoteNumber: j.number, Status: status}})
}

// flagUndo marks a credit note that could not be undone with what to do
// in Xero; a record flagged so already is not recorded again.
func (r *run) flagUndo(j *undoJob, reason string) error {
	if j.rec.State == history.StateChanged && j.rec.Error == reason {
		return nil
	}
	j.rec.State, j.rec.Error = history.StateChanged, reason
	return r.settleErr(j.rec, Outcome{})
}

// name is how messages call the credit note.
func (j *undoJob) name() string {
	if j.number != "" {
		return j.number
	}
	return "for " + j.rec.OpenCartID
}

// amount prints an amount of the credit note's currency.
func (j *undoJob) amount(a xero.Amount) string {
	cur := j.rec.Currency
	if j.cn != nil && j.cn.CurrencyCode != "" {
		cur = j.cn.CurrencyCode
	}
	return strings.TrimSpace(cur + " " + money(a.Decimal()))
}

// finalPastTense is what happens to the credit note at the end.
func (j *undoJob) finalPastTense() string {
	if j.status == xero.StatusDeleted {
		return "deleted"
	}
	return "voided"
}

// prefix begins every message about the job: why its credit note leaves
// Xero.
func (j *undoJob) prefix() string {
	if j.why != "" {
		return j.why
	}
	return undoPrefix(j.rec)
}

// undoPrefix begins every message about an undone credit note: why it no
// longer belongs in Xero.
func undoPrefix(rec history.Record) string {
	k, ok := history.ParseKey(rec.OpenCartID)
	switch {
	case ok && k.ReturnID > 0:
		return "return " + strconv.Itoa(k.ReturnID) + " no longer gives money back in OpenCart (its action changed, or it was deleted)"
	case ok && k.Refund:
		return "order " + strconv.Itoa(k.OrderID) + " is no longer refunded in OpenCart"
	}
	return rec.OpenCartID + " is no longer given back in OpenCart"
}

// undoHash is the content hash of a credit note asked to be voided or
// deleted: a record carrying it is (being) undone.
func undoHash(xeroID, status string) string {
	// A CreditNote with two strings always marshals.
	h, _ := mapping.ContentHash(xero.CreditNote{CreditNoteID: xeroID, Status: status})
	return h
}
