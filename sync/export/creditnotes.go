package export

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// creditJob is one reason of an order's ledger on its way to a Xero
// credit note, or a credit note already in Xero whose money (allocation,
// refund payment) is still to do.
type creditJob struct {
	order    opencart.Order
	reason   mapping.Reason
	doc      xero.CreditNote
	problems []mapping.Problem
	hash     string
	rec      history.Record
	invoice  history.Record
	// alloc and pay are the amounts of its money step, worked out from
	// what Xero holds (allocate, refund).
	alloc, pay decimal.Decimal
	account    string // the account the refund payment is paid from or to
	// source is the refund's episode (refundEpisode) for the credit note
	// of a refund status, kept on its record; "" for a return's.
	source string
}

// toSend is the credit note as sent and its record.
func (j *creditJob) toSend() (xero.CreditNote, pending) {
	return j.doc, pending{rec: &j.rec, hash: j.hash, source: j.source}
}

func (j *creditJob) outcome(msg string) Outcome {
	return Outcome{Document: j.doc, Problems: problemTexts(j.problems), Message: msg}
}

// orderLedger is an order's ledger with the history of its credit notes.
type orderLedger struct {
	order  opencart.Order
	ledger mapping.Ledger
	// recs are the records of its credit notes (every reason's key, and
	// every credit note the history knows for the order).
	recs map[string]history.Record
	sent map[string]history.CreditNote
}

// reasonKey is the history key of a reason's credit note.
func reasonKey(orderID int, r mapping.Reason) string {
	if r.Refund() {
		return history.RefundKey(orderID)
	}
	return history.ReturnKey(r.ReturnID)
}

// keptRecord reports whether a record's credit note is in Xero and kept:
// sent (it has a Xero id) and not withdrawn.
func keptRecord(rec history.Record) bool {
	return rec.XeroID != "" && rec.State != history.StateVoided && rec.State != history.StateDeleted
}

// kept lists the order's kept credit notes for the ledger.
func (l *orderLedger) kept() []mapping.Kept {
	var out []mapping.Kept
	for key, rec := range l.recs {
		if !keptRecord(rec) {
			continue
		}
		k, ok := history.ParseKey(key)
		if !ok {
			continue
		}
		var lines []xero.LineItem
		if sent, ok := l.sent[key]; ok {
			_ = json.Unmarshal([]byte(sent.Lines), &lines)
		}
		out = append(out, mapping.Kept{ReturnID: k.ReturnID, Number: rec.XeroNumber, Lines: lines})
	}
	slices.SortFunc(out, func(a, b mapping.Kept) int { return strings.Compare(a.Number, b.Number) })
	return out
}

// creditsToWithdraw lists the kept credit notes of an order whose reason
// left what the shop gave back (the refund status left, a return's action
// changed to one that gives no money, a return deleted), and those the
// ledger reissues because their part grew.
func creditsToWithdraw(l *orderLedger, reissue []int) []history.Record {
	in := map[string]bool{}
	for _, r := range l.ledger.Reasons {
		in[reasonKey(l.order.ID, r)] = true
	}
	for _, id := range reissue {
		delete(in, reasonKey(l.order.ID, mapping.Reason{ReturnID: id}))
	}
	var out []history.Record
	for key, rec := range l.recs {
		if keptRecord(rec) && !in[key] {
			out = append(out, rec)
		}
	}
	slices.SortFunc(out, func(a, b history.Record) int { return strings.Compare(a.OpenCartID, b.OpenCartID) })
	return out
}

// refundEpisode marks the refund a refund status's credit note is sent
// for (mapping.RefundEpisode): the day the order last entered a refund
// status, and the statuses taken as refunds then. It is kept on the record
// (as its SourceHash); "" for a return's credit note.
func (r *run) refundEpisode(o opencart.Order, reason mapping.Reason) string {
	if !reason.Refund() {
		return ""
	}
	return r.opt.RefundEpisodeOf(o).String()
}

// refundGivenAgain lists the refund status (0) for reissue when its kept
// credit note was sent for an earlier refund: the order left its refund
// statuses since and entered one again (Chargeback → Canceled Reversal →
// Refunded). The earlier note credited that refund as it was (the whole
// order of a chargeback, or a draft of unknown amount); the refund now is
// another, whatever runs saw in between: a run stopped before it withdrew
// the earlier note leaves the next run only the order's history to tell.
// Which statuses count as refunds may have changed since the note was
// sent; a change of settings alone never makes the refund another
// (mapping.Options.RefundGivenAgain), so the same money is never credited
// twice. A record from before episodes were kept is given the refund
// it stands for now by the first run that reads it (legacyEpisodes).
func refundGivenAgain(l *orderLedger, opt mapping.Options) []int {
	if _, ok := l.ledger.Reason(0); !ok {
		return nil
	}
	rec, ok := l.recs[history.RefundKey(l.order.ID)]
	if !ok || !keptRecord(rec) {
		return nil
	}
	e, ok := mapping.ParseRefundEpisode(rec.SourceHash)
	if !ok || !opt.RefundGivenAgain(l.order, e) {
		return nil
	}
	return []int{0}
}

// legacyEpisodes gives a kept refund credit note whose record has no
// episode (sent by a version from before episodes were kept) the refund
// the order is in now, as the settings now see it. The credit note itself
// is left as it is, neither withdrawn nor sent again: whether the order
// left its refund statuses and came back before this run can no longer be
// told, and taking the note for the refund now never credits the same
// money twice. From then on a refund given again is told apart like any
// other (refundGivenAgain). No call to Xero; dry runs change nothing.
func (r *run) legacyEpisodes(ledgers []*orderLedger) error {
	if r.req.DryRun {
		return nil
	}
	for _, l := range ledgers {
		reason, ok := l.ledger.Reason(0)
		key := history.RefundKey(l.order.ID)
		rec := l.recs[key]
		if !ok || !keptRecord(rec) || rec.State != history.StateExported || rec.SourceHash != "" {
			continue
		}
		source := r.refundEpisode(l.order, reason)
		if _, err := r.hist().KeepSource(r.bg, history.KindCreditNote, key, source); err != nil {
			return r.fatal(err)
		}
		rec.SourceHash = source
		l.recs[key] = rec
	}
	return nil
}

// creditNotes brings Xero to what each order's ledger says the shop gave
// back: credit notes kept as exported while their reason stands, new
// ones for what they do not credit yet, those whose reason left withdrawn;
// then each credit note's money: allocated to what is still due on the
// invoice, the rest paid out (cash from the order's bank account, store
// credit to the store-credit account); a draft waits for its approval.
func (r *run) creditNotes(orders []opencart.Order) error {
	ledgers, err := r.ledgers(orders)
	if err != nil {
		return err
	}
	if err := r.legacyEpisodes(ledgers); err != nil {
		return err
	}
	var withdraw []history.Record
	var touched []int
	for _, l := range ledgers {
		_, reissue := l.ledger.Notes(l.kept(), r.opt, r.books)
		w := creditsToWithdraw(l, append(reissue, refundGivenAgain(l, r.opt)...))
		withdraw = append(withdraw, w...)
		if len(w) > 0 {
			touched = append(touched, l.order.ID)
		}
	}
	if len(withdraw) > 0 && !r.req.DryRun {
		if err := r.withdrawCredits(withdraw); err != nil {
			return err
		}
		if err := r.reopenPayments(touched); err != nil { // xerostate.go
			return err
		}
		if err := r.readCreditHistory(ledgers); err != nil {
			return err
		}
	}
	var create, lookup, money []*creditJob
	invoices, err := r.records(history.KindInvoice, orderIDs(orders))
	if err != nil {
		return r.fatal(err)
	}
	for _, l := range ledgers {
		inv, _ := invoices(history.OrderKey(l.order.ID))
		notes, _ := l.ledger.Notes(l.kept(), r.opt, r.books)
		for _, n := range notes {
			key := reasonKey(l.order.ID, n.Reason)
			j := &creditJob{order: l.order, reason: n.Reason, doc: n.Note, problems: append(slices.Clone(l.ledger.Problems), n.Problems...), rec: l.recs[key], invoice: inv}
			if err := r.newCredit(j, n, &create, &lookup); err != nil {
				return err
			}
		}
		for key, rec := range l.recs {
			sent, ok := l.sent[key]
			due := ok && sent.MoneyDue || rec.State == history.StateSending || rec.State == history.StateFailed
			if !keptRecord(rec) || !due || r.req.DryRun || (r.req.OnlyFailed && rec.State != history.StateFailed && rec.State != history.StateSending) {
				continue
			}
			if wait, err := r.waits(rec, rec.ContentHash); err != nil {
				return err
			} else if wait {
				continue
			}
			k, _ := history.ParseKey(key)
			reason, _ := l.ledger.Reason(k.ReturnID)
			if t := mapping.Treatment(sent.Treatment); t.GivesCredit() {
				reason.Treatment = t
			}
			money = append(money, &creditJob{order: l.order, reason: reason, rec: rec, invoice: inv})
		}
	}
	if len(create) == 0 && len(lookup) == 0 && len(money) == 0 {
		return nil
	}
	xinv, err := r.xeroInvoices(append(append(slices.Clone(create), lookup...), money...))
	if err != nil {
		return err
	}
	if len(lookup) > 0 {
		missing, found, err := r.adoptCreditNotes(lookup, xinv, "found in Xero after an interrupted run")
		if err != nil {
			return err
		}
		create = append(create, missing...)
		money = append(money, found...)
	}
	made, err := r.sendCreditNotes(create, xinv)
	if err != nil {
		return err
	}
	return r.creditMoney(append(money, made...), xinv)
}

// withdrawCredits withdraws credit notes whose reason left the ledger.
// The mechanics (refund payments first, then allocations, then the credit
// note) are undoCredits' (creditundo.go).
func (r *run) withdrawCredits(recs []history.Record) error {
	return r.undoCredits(recs) // withdrawn by undoCredits (creditundo.go, branch undo)
}

// ledgers reads the orders' returns and coupons and works out each
// order's ledger, with the history of its credit notes.
func (r *run) ledgers(orders []opencart.Order) ([]*orderLedger, error) {
	ids := make([]int, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
	}
	returns := map[int][]opencart.Return{}
	for ret, err := range r.returnsOf(ids) { // incremental.go: read once per page of orders
		if err != nil {
			return nil, r.fatal(err)
		}
		returns[ret.OrderID] = append(returns[ret.OrderID], ret)
	}
	coupons, err := r.couponsOf(ids)
	if err != nil {
		return nil, r.fatal(err)
	}
	out := make([]*orderLedger, len(orders))
	for i, o := range orders {
		out[i] = &orderLedger{order: o, ledger: mapping.OrderLedger(o, returns[o.ID], coupons[o.ID], r.opt)}
	}
	return out, r.readCreditHistory(out)
}

// readCreditHistory reads the records of the ledgers' credit notes: every
// reason's, and every one the history knows for the order.
func (r *run) readCreditHistory(ledgers []*orderLedger) error {
	ids := make([]int, len(ledgers))
	for i, l := range ledgers {
		ids[i] = l.order.ID
	}
	sent, err := r.hist().CreditNotesOf(r.bg, ids)
	if err != nil {
		return r.fatal(err)
	}
	var keys []string
	for _, l := range ledgers {
		l.sent = map[string]history.CreditNote{}
		keys = append(keys, history.RefundKey(l.order.ID))
		for _, reason := range l.ledger.Reasons {
			keys = append(keys, reasonKey(l.order.ID, reason))
		}
	}
	for key := range sent {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	recs, err := r.hist().RecordsFor(r.bg, history.KindCreditNote, keys)
	if err != nil {
		return r.fatal(err)
	}
	byOrder := map[int]*orderLedger{}
	for _, l := range ledgers {
		byOrder[l.order.ID] = l
		l.recs = map[string]history.Record{}
		for _, key := range append([]string{history.RefundKey(l.order.ID)}, reasonKeys(l)...) {
			if rec, ok := recs[key]; ok {
				l.recs[key] = rec
			} else {
				l.recs[key] = history.Record{Kind: history.KindCreditNote, OpenCartID: key}
			}
		}
	}
	for key, c := range sent {
		if l := byOrder[c.OrderID]; l != nil {
			l.sent[key] = c
			if rec, ok := recs[key]; ok {
				l.recs[key] = rec
			}
		}
	}
	// Credit notes sent before the history kept their lines are read back
	// from Xero once.
	var legacy []history.Record
	for _, l := range ledgers {
		for key, rec := range l.recs {
			if _, ok := l.sent[key]; !ok && keptRecord(rec) {
				legacy = append(legacy, rec)
			}
		}
	}
	if len(legacy) == 0 || r.req.DryRun || r.x() == nil {
		return nil
	}
	idsX := make([]string, len(legacy))
	for i, rec := range legacy {
		idsX[i] = rec.XeroID
	}
	have, err := r.x().CreditNotes(r.bg, xero.CreditNoteQuery{IDs: idsX})
	if err != nil {
		return r.fatal(err)
	}
	byID := map[string]xero.CreditNote{}
	for _, cn := range have {
		byID[strings.ToLower(cn.CreditNoteID)] = cn
	}
	for _, l := range ledgers {
		for key, rec := range l.recs {
			cn, ok := byID[strings.ToLower(rec.XeroID)]
			if _, known := l.sent[key]; known || !ok || !keptRecord(rec) {
				continue
			}
			c, err := r.keepLines(l.order.ID, key, cn.LineItems, mapping.TreatCash, false)
			if err != nil {
				return err
			}
			l.sent[key] = c
		}
	}
	return nil
}

func reasonKeys(l *orderLedger) []string {
	keys := make([]string, len(l.ledger.Reasons))
	for i, reason := range l.ledger.Reasons {
		keys[i] = reasonKey(l.order.ID, reason)
	}
	return keys
}

// keepLines records what a credit note sent credits.
func (r *run) keepLines(orderID int, key string, lines []xero.LineItem, t mapping.Treatment, moneyDue bool) (history.CreditNote, error) {
	b, err := json.Marshal(lines)
	if err != nil {
		return history.CreditNote{}, r.fatal(err)
	}
	c := history.CreditNote{OpenCartID: key, OrderID: orderID, Lines: string(b), Treatment: string(t), MoneyDue: moneyDue}
	if r.req.DryRun {
		return c, nil
	}
	if err := r.hist().SaveCreditNote(r.bg, c); err != nil {
		return c, r.fatal(err)
	}
	return c, nil
}

// newCredit decides what becomes of a reason not yet credited by a kept
// credit note: settled, failed, skipped, looked up, or created.
func (r *run) newCredit(j *creditJob, n mapping.NewNote, create, lookup *[]*creditJob) error {
	found := j.rec.ID != 0
	if r.req.OnlyFailed && found && j.rec.State != history.StateFailed && j.rec.State != history.StateSending {
		return nil
	}
	if found && goneSettled(j.rec) {
		r.sum.Unchanged++ // its invoice is voided or deleted in Xero, which never brings it back
		return nil
	}
	if found && !keptRecord(j.rec) && j.rec.XeroNumber != "" && j.rec.State != history.StateSending {
		// The reason's earlier credit note was withdrawn (voided or
		// deleted): Xero never gives its number back.
		j.doc.CreditNoteNumber = reissuedNumber(j.doc.CreditNoteNumber, j.rec.XeroNumber)
		// The withdrawn one's id goes: kept, a failed attempt would make
		// the record look like a kept credit note (keptRecord), and the
		// next run would take the voided credit note for this reason's
		// credit. Its number stays for the next suffix.
		j.rec.XeroID = ""
	}
	j.source = r.refundEpisode(j.order, j.reason)
	j.problems = r.lockCheck(&j.doc.Date, j.doc.Status == xero.StatusAuthorised, j.rec, false, j.problems) // lockdates.go
	var err error
	if j.hash, err = mapping.ContentHash(j.doc); err != nil {
		return r.fatal(err)
	}
	if wait, err := r.waits(j.rec, j.hash); err != nil || wait { // xerostate.go
		return err
	}
	j.rec.Currency = strings.ToUpper(strings.TrimSpace(j.order.CurrencyCode))
	j.rec.OpenCartTotal = money(mapping.XeroTotal(j.doc.LineItems))
	switch {
	case len(j.doc.LineItems) == 0 && len(n.CoveredBy) > 0:
		return r.settled(j, found, "settled: already credited by "+strings.Join(n.CoveredBy, ", "))
	case len(j.doc.LineItems) == 0 && !mapping.HasErrors(j.problems):
		return r.settled(j, found, fmt.Sprintf("settled: nothing to credit on order %d", j.order.ID))
	case mapping.HasErrors(j.problems) || len(j.doc.LineItems) == 0:
		j.rec.State, j.rec.Error = history.StateFailed, blocking(j.problems)
		return r.settleErr(j.rec, j.outcome(""))
	case !r.req.DryRun && (j.invoice.State != history.StateExported || j.invoice.XeroID == ""):
		return r.skip(j.rec, found, "skipped: the order's invoice is not in Xero yet; the credit note follows it")
	case !r.currencyEnabled(j.doc.CurrencyCode):
		j.rec.State, j.rec.Error = history.StateFailed, fmt.Sprintf("not sent: the currency %s is not enabled in Xero", j.doc.CurrencyCode)
		return r.settleErr(j.rec, j.outcome(""))
	case found && j.rec.State == history.StateSending && j.rec.XeroID == "" && !r.req.DryRun:
		*lookup = append(*lookup, j)
	default:
		*create = append(*create, j)
	}
	return nil
}

// settled records a reason with nothing (more) to credit: a state the
// bookkeeper need not act on, looked at again every run.
func (r *run) settled(j *creditJob, found bool, msg string) error {
	if found && j.rec.State == history.StateSkipped && j.rec.Error == msg {
		r.sum.Unchanged++
		return nil
	}
	// The number stays: a credit note withdrawn under it keeps it in Xero,
	// so a later one for the same reason needs another (reissuedNumber).
	j.rec.State, j.rec.Error, j.rec.XeroID = history.StateSkipped, msg, ""
	return r.settleErr(j.rec, j.outcome(""))
}

// xeroInvoices reads the jobs' invoices from Xero: their contact, what is
// still due on them and what was paid.
func (r *run) xeroInvoices(jobs []*creditJob) (map[string]xero.Invoice, error) {
	out := map[string]xero.Invoice{}
	if r.req.DryRun {
		return out, nil
	}
	var ids []string
	for _, j := range jobs {
		if j.invoice.XeroID != "" {
			ids = append(ids, j.invoice.XeroID)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return out, nil
	}
	return r.invoiceStates(ids) // xerostate.go: read unless this run knows them
}

// sendCreditNotes creates credit notes in one batch, each on the contact
// of its order's invoice; it returns those made whose money is to do.
func (r *run) sendCreditNotes(jobs []*creditJob, invoices map[string]xero.Invoice) ([]*creditJob, error) {
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
		if inv, ok := invoices[strings.ToLower(j.invoice.XeroID)]; ok && gone(inv) {
			// Voided or deleted in Xero: nothing can be allocated to it,
			// and the order's money there is closed.
			j.rec.State, j.rec.Error, j.rec.XeroID = history.StateSkipped, goneNote(inv, j.invoice.XeroNumber, "its credit note"), ""
			if err := r.settleErr(j.rec, j.outcome("")); err != nil {
				return nil, err
			}
			continue
		}
		id, err := r.creditContact(j, invoices)
		if err != nil {
			return nil, err
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
	var made, taken []*creditJob
	err := sendBatch(r, "credit-notes", send, (*creditJob).toSend, r.x().CreateCreditNotes, func(j *creditJob, res xero.Result[xero.CreditNote]) error {
		switch {
		case res.Err == nil:
			due, err := r.creditSaved(j, res.Item)
			if err != nil {
				return err
			}
			if due {
				made = append(made, j)
			}
		case numberTaken(res.Err):
			taken = append(taken, j) // see adoptCreditNotes
			return nil
		default:
			j.rec.State, j.rec.Error = history.StateFailed, r.xeroReason(res.Err)
		}
		return r.settleErr(j.rec, j.outcome(""))
	})
	if err != nil {
		return nil, err
	}
	if len(taken) > 0 {
		missing, found, err := r.adoptCreditNotes(taken, invoices, "a credit note with this number was already in Xero, on this order's contact and naming this order; it is taken as this one")
		if err != nil {
			return nil, err
		}
		for _, j := range missing {
			j.rec.State, j.rec.Error = history.StateFailed, "Xero already has a credit note numbered "+j.doc.CreditNoteNumber+" (voided or deleted, or not readable); check it in Xero and rename it, then export again"
			if err := r.settleErr(j.rec, j.outcome("")); err != nil {
				return nil, err
			}
		}
		made = append(made, found...)
	}
	return made, nil
}

// creditContact is the ContactID a credit note goes to: its invoice's
// contact in Xero (an order's documents stay on it), else the order's
// contact in the history; "" when neither is in Xero.
func (r *run) creditContact(j *creditJob, invoices map[string]xero.Invoice) (string, error) {
	if inv, ok := invoices[strings.ToLower(j.invoice.XeroID)]; ok && inv.Contact != nil && inv.Contact.ContactID != "" {
		return inv.Contact.ContactID, nil
	}
	id, err := r.documentContact(j.order)
	if err != nil {
		return "", r.fatal(err)
	}
	return id, nil
}

// creditSaved records a credit note Xero holds and what it credits; it
// reports whether its money is to do (an approved credit note, or a draft
// of unknown amount waiting for its approval).
func (r *run) creditSaved(j *creditJob, saved xero.CreditNote) (bool, error) {
	j.rec.State, j.rec.Error = history.StateExported, ""
	j.rec.XeroID, j.rec.XeroNumber = saved.CreditNoteID, saved.CreditNoteNumber
	compareTotals(&j.rec, mapping.XeroTotal(j.doc.LineItems), saved.Total)
	if note := mismatchNote(j.rec); note != "" {
		j.rec.Error = note
	}
	due := j.reason.Draft || j.doc.Status == mapping.StatusAuthorised
	if !due {
		j.rec.Error = joinNote(j.rec.Error, "sent as "+j.doc.Status+", so it is not allocated; approve and allocate it in Xero")
	}
	if j.reason.Draft {
		j.rec.Error = joinNote(j.rec.Error, waitingNote)
	}
	if _, err := r.keepLines(j.order.ID, j.rec.OpenCartID, j.doc.LineItems, j.reason.Treatment, due); err != nil {
		return false, err
	}
	return due && !j.reason.Draft, nil
}

// waitingNote says what a draft of unknown amount waits for.
const waitingNote = "a draft: " + mapping.PartialRefundNote + ", then approve it in Xero; the next export allocates it and pays out the rest"

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// adoptCreditNotes looks up credit notes a crash left unanswered, or whose
// number Xero said was taken; it records those Xero has that are provably
// this order's (ownership.go: on the contact of the order's invoice, the
// reference naming the order), fails those whose number another's credit
// note holds, and returns those Xero does not have and those it has whose
// money is to do.
func (r *run) adoptCreditNotes(jobs []*creditJob, invoices map[string]xero.Invoice, note string) (missing, found []*creditJob, err error) {
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
		ours, err := r.creditContact(j, invoices)
		if err != nil {
			return nil, nil, err
		}
		if !documentIsOurs(cn.Contact, cn.Reference, ours, j.order.ID) {
			// Someone else's credit note under our number: never taken
			// over, so nothing is ever allocated from it.
			j.rec.State, j.rec.Error = history.StateFailed, documentClash("credit note", cn.CreditNoteNumber, cn.Contact, cn.Reference, j.order.ID)
			if err := r.settleErr(j.rec, j.outcome("")); err != nil {
				return nil, nil, err
			}
			continue
		}
		due, err := r.creditSaved(j, cn)
		if err != nil {
			return nil, nil, err
		}
		if due {
			found = append(found, j)
			continue
		}
		if err := r.settle(j.rec, j.outcome(note)); err != nil {
			return nil, nil, r.fatal(err)
		}
	}
	return missing, found, nil
}

// creditMoney does the money of credit notes in Xero, from what Xero
// holds now (read first): each approved credit note is allocated to what
// is still due on its invoice, and the rest of its credit is paid out —
// cash from the bank account the order was paid into (never more than the
// invoice's payments), store credit to the store-credit account. A draft
// waits for its approval in Xero.
func (r *run) creditMoney(jobs []*creditJob, invoices map[string]xero.Invoice) error {
	if len(jobs) == 0 {
		return nil
	}
	ids := make([]string, len(jobs))
	for i, j := range jobs {
		ids[i] = j.rec.XeroID
	}
	have, err := r.x().CreditNotes(r.bg, xero.CreditNoteQuery{IDs: ids})
	if err != nil {
		return r.fatal(err)
	}
	notes := map[string]xero.CreditNote{}
	for _, cn := range have {
		notes[strings.ToLower(cn.CreditNoteID)] = cn
	}
	due, paid := map[string]decimal.Decimal{}, map[string]decimal.Decimal{}
	for id, inv := range invoices {
		due[id], paid[id] = inv.AmountDue.Decimal(), inv.AmountPaid.Decimal()
	}
	var allocs, refunds, approve, drop []*creditJob
	for _, j := range jobs {
		cn, ok := notes[strings.ToLower(j.rec.XeroID)]
		inv := strings.ToLower(j.invoice.XeroID)
		_, invOK := invoices[inv]
		switch {
		case !ok || !invOK:
			j.rec.State, j.rec.Error = history.StateFailed, "the credit note or its invoice was not found in Xero; its allocation and refund are tried again on the next run"
			if err := r.settleErr(j.rec, j.outcome("")); err != nil {
				return err
			}
			continue
		case gone(invoices[inv]) && cn.Status == xero.StatusAuthorised:
			// The invoice is voided or deleted in Xero: nothing can be
			// allocated to it, and no cash was received on it to pay back.
			j.doc = cn
			if _, err := r.keepLinesOf(j, false); err != nil {
				return err
			}
			j.rec.State, j.rec.Error = history.StateExported, goneNote(invoices[inv], j.invoice.XeroNumber, "the credit note's allocation or refund")
			if err := r.settleErr(j.rec, j.outcome("")); err != nil {
				return err
			}
			continue
		case gone(invoices[inv]) && (cn.Status == xero.StatusDraft || cn.Status == xero.StatusSubmitted):
			// The invoice was voided or deleted in Xero while this credit
			// note waited for approval: it could never be allocated, and
			// approving it would credit a sale Xero no longer holds. It
			// is deleted; the ledger's next credit note for the reason is
			// refused on the voided invoice, so nothing comes back.
			drop = append(drop, j)
			continue
		case cn.Status == xero.StatusDraft && j.reason.Refund() && !j.reason.Draft &&
			r.opt.InvoiceStatus == mapping.StatusAuthorised && strings.Contains(cn.Reference, mapping.PartialRefundNote):
			// Sent as a draft because OpenCart recorded no amount, which is
			// known now (the order went on to Reversed or Chargeback, or
			// refund statuses are full refunds now): approved like any
			// credit note; its money follows on the next run.
			approve = append(approve, j)
			continue
		case cn.Status == xero.StatusDraft || cn.Status == xero.StatusSubmitted:
			if j.rec.State != history.StateExported || j.rec.Error != waitingNote {
				j.rec.State, j.rec.Error = history.StateExported, waitingNote
				if err := r.settleErr(j.rec, j.outcome("")); err != nil {
					return err
				}
			}
			continue
		case cn.Status != xero.StatusAuthorised:
			// Paid in full, voided or deleted in Xero: nothing more to do.
			if err := r.moneyDone(j); err != nil {
				return err
			}
			continue
		}
		left := cn.RemainingCredit.Decimal()
		j.alloc = decimal.Min(left, decimal.Max(due[inv], decimal.Zero))
		due[inv] = due[inv].Sub(j.alloc)
		j.pay = left.Sub(j.alloc)
		j.account = r.opt.PaymentAccount(j.order.PaymentMethod.Code)
		if j.reason.Treatment == mapping.TreatStoreCredit {
			j.account = r.opt.Accounts.StoreCredit
		} else {
			j.pay = decimal.Min(j.pay, decimal.Max(paid[inv], decimal.Zero))
			paid[inv] = paid[inv].Sub(j.pay)
		}
		j.doc = cn
		switch {
		case j.alloc.IsPositive():
			allocs = append(allocs, j)
		case j.pay.IsPositive():
			refunds = append(refunds, j)
		default:
			if err := r.moneyDone(j); err != nil {
				return err
			}
		}
	}
	if len(drop) > 0 {
		recs := make([]history.Record, len(drop))
		goneOf := map[string]string{}
		for i, j := range drop {
			recs[i] = j.rec
			inv := invoices[strings.ToLower(j.invoice.XeroID)]
			number := j.invoice.XeroNumber
			if inv.InvoiceNumber != "" {
				number = inv.InvoiceNumber
			}
			goneOf[j.rec.OpenCartID] = fmt.Sprintf("invoice %s is %s in Xero, so a credit note awaiting approval can never be allocated to it", number, strings.ToLower(inv.Status))
		}
		if err := r.undoCreditsBecause(recs, func(rec history.Record) string { return goneOf[rec.OpenCartID] }); err != nil { // creditundo.go
			return err
		}
	}
	if err := sendBatch(r, "approvals", approve, (*creditJob).approval, r.x().UpdateCreditNotes, func(j *creditJob, res xero.Result[xero.CreditNote]) error {
		if res.Err != nil {
			return r.moneyFailed(j, res.Err, "approved (its amount is known now)")
		}
		j.rec.State, j.rec.Error = history.StateExported, ""
		return r.settleErr(j.rec, j.outcome("approved in Xero: its amount is known now; allocated and paid out on the next run"))
	}); err != nil {
		return err
	}
	for _, j := range allocs {
		allocate := func(ctx context.Context, a []xero.Allocation, key string) ([]xero.Result[xero.Allocation], error) {
			return r.x().AllocateCreditNote(ctx, j.rec.XeroID, a, key)
		}
		if err := sendBatch(r, "allocation", []*creditJob{j}, (*creditJob).allocation, allocate, func(j *creditJob, res xero.Result[xero.Allocation]) error {
			if res.Err != nil {
				return r.moneyFailed(j, res.Err, "allocated to invoice "+j.invoice.XeroNumber)
			}
			r.creditedOn(j.invoice.XeroID, j.alloc) // xerostate.go
			if j.pay.IsPositive() {
				refunds = append(refunds, j)
				return nil
			}
			return r.moneyDone(j)
		}); err != nil {
			return err
		}
	}
	return sendBatch(r, "refunds", refunds, r.refundOf, r.x().CreatePayments, func(j *creditJob, res xero.Result[xero.Payment]) error {
		if res.Err != nil {
			if j.reason.Treatment == mapping.TreatStoreCredit {
				return r.moneyFailed(j, res.Err, "paid out to the store credit account")
			}
			return r.moneyFailed(j, res.Err, "paid out as a refund")
		}
		return r.moneyDone(j)
	})
}

// moneyDone records a credit note whose money is done.
func (r *run) moneyDone(j *creditJob) error {
	if _, err := r.keepLinesOf(j, false); err != nil {
		return err
	}
	j.rec.State, j.rec.Error = history.StateExported, mismatchNote(j.rec)
	return r.settleErr(j.rec, j.outcome(""))
}

// moneyFailed records a refused allocation or refund payment; the next
// run tries again from what Xero holds then.
func (r *run) moneyFailed(j *creditJob, err error, done string) error {
	j.rec.State = history.StateFailed
	j.rec.Error = "the credit note is in Xero but was not " + done + ": " + r.xeroReason(err) + " (tried again on the next run)"
	return r.settleErr(j.rec, j.outcome(""))
}

// keepLinesOf updates whether a credit note's money is to do, keeping the
// lines it was sent with.
func (r *run) keepLinesOf(j *creditJob, moneyDue bool) (history.CreditNote, error) {
	sent, err := r.hist().CreditNotesOf(r.bg, []int{j.order.ID})
	if err != nil {
		return history.CreditNote{}, r.fatal(err)
	}
	c, ok := sent[j.rec.OpenCartID]
	if !ok {
		return r.keepLines(j.order.ID, j.rec.OpenCartID, j.doc.LineItems, j.reason.Treatment, moneyDue)
	}
	c.MoneyDue = moneyDue
	if err := r.hist().SaveCreditNote(r.bg, c); err != nil {
		return c, r.fatal(err)
	}
	return c, nil
}

// madeNote is the record of a credit note in Xero whose money is being
// done: it keeps the content hash of the credit note sent.
func (j *creditJob) madeNote() pending {
	return pending{rec: &j.rec, hash: j.rec.ContentHash, source: j.rec.SourceHash}
}

// allocation applies the credit note to what is due on its invoice.
// approval approves a draft credit note in Xero.
func (j *creditJob) approval() (xero.CreditNote, pending) {
	return xero.CreditNote{CreditNoteID: j.rec.XeroID, Status: xero.StatusAuthorised}, j.madeNote()
}

func (j *creditJob) allocation() (xero.Allocation, pending) {
	return xero.Allocation{Invoice: &xero.InvoiceRef{InvoiceID: j.invoice.XeroID}, Amount: xero.NewAmount(j.alloc), Date: j.doc.Date}, j.madeNote()
}

// refundOf pays the rest of the credit out: cash from the bank account the
// order was paid into, store credit to the store-credit account.
func (r *run) refundOf(j *creditJob) (xero.Payment, pending) {
	p := xero.Payment{
		CreditNote: &xero.CreditNoteRef{CreditNoteID: j.rec.XeroID},
		Account:    &xero.AccountRef{Code: j.account},
		Date:       j.doc.Date,
		Amount:     xero.NewAmount(j.pay),
		Reference:  refundReference(j.order.ID, j.reason.Treatment),
	}
	if j.doc.CurrencyRate.Given() {
		p.CurrencyRate = j.doc.CurrencyRate
	}
	return p, j.madeNote()
}

// refundReference is the reference of the refund payment of a credit note
// of the order: how the undo of a run tells the refunds the app paid out
// from those a person recorded in Xero.
func refundReference(orderID int, t mapping.Treatment) string {
	what := "Refund of order %d"
	if t == mapping.TreatStoreCredit {
		what = "Store credit for order %d"
	}
	return mapping.Clean(fmt.Sprintf(what, orderID), mapping.ReferenceField)
}
