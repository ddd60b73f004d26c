package export

// Orders cancelled in OpenCart after their invoice reached Xero.
//
// An export run (all or orders) looks, after the orders, for invoices
// already in Xero whose order is now in one of Settings.SkipStatusIDs
// (Canceled, Denied, Failed, Expired, Voided…). Xero's own status decides:
//
//   - a draft or an invoice awaiting approval is deleted (it never reached
//     the ledger);
//   - an approved invoice with nothing paid or credited is voided;
//   - an invoice paid or credited (even in part) is left alone and its
//     record is marked "changed" with what to do, since only the bookkeeper
//     can choose between a refund and a void.
//
// Status changes go in batches of at most 50 (POST /Invoices), with the
// records written "sending" first and an Idempotency-Key, like every other
// write of the engine; a run stopped between the call and the record looks
// the invoices up by their Xero id next time and never acts twice. Runs
// where no exported order was cancelled make no Xero call at all.
//
// An invoice whose order is no longer in OpenCart at all is flagged, never
// voided: deleting an order in OpenCart is not a cancellation (shops delete
// test orders, purge old ones, restore partial backups), and a voided
// invoice cannot be brought back, so the bookkeeper decides.
//
// An order that comes back from a cancelled status: if its invoice was
// voided or deleted, the record is marked "changed" (neither can be
// revived, Xero keeps their numbers, and sending another invoice under a
// new number automatically could duplicate one the bookkeeper raises by
// hand); if it was only flagged, the record goes back to "exported" when
// the order did not change meanwhile.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// withdrawalReadPage is how many cancelled orders (or history records, when
// looking for deleted orders) are read per query.
const withdrawalReadPage = 1000

// withdrawal is an exported invoice whose order was cancelled in OpenCart.
type withdrawal struct {
	order  opencart.Order // without its lines
	rec    history.Record
	number string        // the invoice number, for records without a Xero id yet
	inv    *xero.Invoice // as Xero has it; nil when not found
	status string        // the status asked of Xero: VOIDED or DELETED
	hash   string        // the record's content hash before the status change
}

// withdrawCancelled deals with exported invoices whose order was cancelled
// or deleted in OpenCart since. Only runs of all records or of orders do it,
// and not runs limited to chosen statuses.
func (r *run) withdrawCancelled() error {
	if r.req.Scope != ScopeAll && r.req.Scope != ScopeOrders || len(r.req.StatusIDs) > 0 {
		return nil
	}
	r.stage = StageInvoices
	if err := r.cancelledOrders(); err != nil {
		return err
	}
	return r.ordersGone()
}

// cancelledStatuses are the skipped statuses an order is cancelled by
// (status 0, "missing orders", is never among them: no filter returns it).
func cancelledStatuses(skip []int) []int {
	return slices.DeleteFunc(slices.Clone(skip), func(id int) bool { return id <= 0 })
}

// cancelledOrders reads the cancelled orders a page at a time, without
// their lines (the shop's queries for a page, then one history query for
// the page's records), and withdraws the invoices of those exported.
func (r *run) cancelledOrders() error {
	statuses := cancelledStatuses(r.e.cfg.Settings.SkipStatusIDs)
	if len(statuses) == 0 {
		return nil
	}
	f := opencart.OrderFilter{IDs: r.req.IDs, StatusIDs: statuses, Since: r.req.Since, Until: r.req.Until}
	if ids, all := r.selectedIDs(f); !all { // incremental.go: only orders that changed
		if len(ids) == 0 {
			return nil
		}
		f.IDs = ids
	}
	var after *opencart.ListKey // each page after the last order of the one before
	for {
		orders, err := r.store().OrderList(r.ctx, f, opencart.ListOptions{Sort: opencart.SortID, After: after, Limit: withdrawalReadPage})
		if err != nil {
			return r.fatal(err)
		}
		previous, err := r.records(history.KindInvoice, orderIDs(orders))
		if err != nil {
			return r.fatal(err)
		}
		var jobs []*withdrawal
		for _, o := range orders {
			rec, ok := previous(history.OrderKey(o.ID))
			if !ok || !r.toWithdraw(rec) {
				continue
			}
			number, _ := r.opt.InvoiceNumberFor(o)
			if rec.XeroNumber != "" {
				number = rec.XeroNumber
			}
			jobs = append(jobs, &withdrawal{order: o, rec: rec, number: number, hash: rec.ContentHash})
		}
		for start := 0; start < len(jobs); start += r.e.cfg.BatchSize {
			if err := r.withdraw(jobs[start:min(start+r.e.cfg.BatchSize, len(jobs))]); err != nil {
				return err
			}
			if err := r.cancelled(); err != nil {
				return err
			}
		}
		if len(orders) < withdrawalReadPage {
			return nil
		}
		after = &opencart.ListKey{ID: orders[len(orders)-1].ID}
	}
}

// toWithdraw reports whether a cancelled order's invoice record still
// needs something done in Xero.
func (r *run) toWithdraw(rec history.Record) bool {
	switch {
	case r.req.OnlyFailed:
		return rec.State == history.StateSending // only interrupted ones
	case rec.State == history.StateSending:
		return true // whatever was being sent, Xero is asked what it has
	case rec.XeroID == "":
		return false // never reached Xero
	case rec.State == history.StateExported:
		return true
	case rec.State == history.StateChanged:
		return !cancelFlagged(rec) // flagged once is enough
	}
	return false // voided, deleted, failed or skipped already
}

// withdraw looks one batch of invoices up in Xero and deletes, voids or
// flags each as its Xero status says.
func (r *run) withdraw(jobs []*withdrawal) error {
	if r.req.DryRun {
		for _, w := range jobs {
			rec := w.rec
			rec.State = history.StateVoided
			msg := cancelPrefix(w) + ": its invoice " + w.number + " would be voided in Xero (deleted if still a draft or awaiting approval; left as it is and flagged if it was paid or credited)"
			if err := r.settleWithdrawal(rec, Outcome{Message: msg}); err != nil {
				return r.fatal(err)
			}
		}
		return nil
	}
	if err := r.lookUpWithdrawals(jobs); err != nil {
		return err
	}
	var send []*withdrawal
	for _, w := range jobs {
		done, err := r.decideWithdrawal(w)
		if err != nil {
			return err
		}
		if !done {
			send = append(send, w)
		}
	}
	return r.sendWithdrawals(send)
}

// lookUpWithdrawals reads the jobs' invoices from Xero: by Xero id, or by
// number for an invoice whose creation was interrupted.
func (r *run) lookUpWithdrawals(jobs []*withdrawal) error {
	var ids, numbers []string
	for _, w := range jobs {
		if w.rec.XeroID != "" {
			ids = append(ids, w.rec.XeroID)
		} else {
			numbers = append(numbers, w.number)
		}
	}
	byID, byNumber := map[string]xero.Invoice{}, map[string]xero.Invoice{}
	if len(ids) > 0 {
		have, err := r.x().Invoices(r.ctx, xero.InvoiceQuery{IDs: ids})
		if err != nil {
			return r.fatal(err)
		}
		for _, inv := range have {
			byID[strings.ToLower(inv.InvoiceID)] = inv
		}
	}
	if len(numbers) > 0 {
		have, err := r.x().Invoices(r.ctx, xero.InvoiceQuery{InvoiceNumbers: numbers})
		if err != nil {
			return r.fatal(err)
		}
		for _, inv := range have {
			if inv.Status != xero.StatusDeleted && inv.Status != xero.StatusVoided {
				byNumber[strings.ToUpper(inv.InvoiceNumber)] = inv
			}
		}
	}
	for _, w := range jobs {
		inv, ok := byID[strings.ToLower(w.rec.XeroID)]
		if w.rec.XeroID == "" {
			inv, ok = byNumber[strings.ToUpper(w.number)]
			if ok {
				// Found by number only: withdrawn only if provably ours
				// (ownership.go); another's invoice is never voided.
				ours, err := r.orderContactID(w.order.ID, w.rec.Contact, r.opt.ContactKey(w.order))
				if err != nil {
					return err
				}
				ok = documentIsOurs(inv.Contact, inv.Reference, ours, w.order.ID)
			}
		}
		if ok {
			w.inv = &inv
		}
	}
	return nil
}

// decideWithdrawal records what needs no call (already voided or deleted,
// paid, not in Xero) and reports whether the job is settled; otherwise it
// sets the status to ask of Xero.
func (r *run) decideWithdrawal(w *withdrawal) (bool, error) {
	if w.inv == nil && w.rec.XeroID == "" {
		// Its creation was interrupted and Xero never got it.
		w.rec.State = history.StateSkipped
		w.rec.Error = "not sent: " + cancelPrefix(w) + " before its invoice " + w.number + " reached Xero"
		return true, r.settleErr(w.rec, Outcome{})
	}
	if w.inv == nil && w.rec.ContentHash == withdrawalHash(w.rec.XeroID, xero.StatusDeleted) {
		// Asked to delete it last time, and Xero no longer lists it.
		return true, r.withdrawn(w, xero.StatusDeleted)
	}
	if w.inv == nil {
		return true, r.flagWithdrawal(w, cancelPrefix(w)+", but its invoice "+w.number+" (Xero id "+w.rec.XeroID+") is not in Xero any more: check it in Xero by hand")
	}
	inv := w.inv
	w.rec.XeroID = inv.InvoiceID
	if inv.InvoiceNumber != "" {
		w.number, w.rec.XeroNumber = inv.InvoiceNumber, inv.InvoiceNumber
	}
	paid, credited := inv.AmountPaid.Decimal(), inv.AmountCredited.Decimal()
	switch inv.Status {
	case xero.StatusVoided, xero.StatusDeleted:
		return true, r.withdrawn(w, inv.Status)
	case xero.StatusDraft, xero.StatusSubmitted:
		w.status = xero.StatusDeleted
	case xero.StatusAuthorised, xero.StatusPaid:
		if inv.Status == xero.StatusAuthorised && paid.IsZero() && credited.IsZero() {
			w.status = xero.StatusVoided
			break
		}
		var what []string
		if paid.IsPositive() {
			what = append(what, inv.CurrencyCode+" "+money(paid)+" paid")
		}
		if credited.IsPositive() {
			what = append(what, inv.CurrencyCode+" "+money(credited)+" credited")
		}
		how := "was paid in Xero"
		if paid.IsZero() && credited.IsPositive() {
			how = "had credit allocated in Xero"
		}
		detail := ""
		if len(what) > 0 {
			detail = " (" + strings.Join(what, ", ") + ")"
		}
		return true, r.flagWithdrawal(w, fmt.Sprintf("%s after its invoice %s %s%s: refund it in OpenCart (a credit note follows) or void the invoice in Xero by hand",
			cancelPrefix(w), w.number, how, detail))
	default:
		return true, r.flagWithdrawal(w, fmt.Sprintf("%s, but its invoice %s is %s in Xero, which cannot be voided or deleted: check it in Xero by hand", cancelPrefix(w), w.number, inv.Status))
	}
	return false, nil
}

// sendWithdrawals asks Xero to delete or void the invoices, in one batch.
func (r *run) sendWithdrawals(send []*withdrawal) error {
	if len(send) == 0 {
		return nil
	}
	return sendBatch(r, "withdrawals", send, (*withdrawal).toSend, r.x().UpdateInvoices, func(w *withdrawal, res xero.Result[xero.Invoice]) error {
		switch {
		case res.Err == nil && strings.EqualFold(res.Item.Status, w.status):
			return r.withdrawn(w, w.status)
		case res.Err == nil:
			w.rec.ContentHash = w.keptHash()
			return r.flagWithdrawal(w, fmt.Sprintf("%s, but Xero kept its invoice %s as %s when asked to make it %s: check it in Xero by hand",
				cancelPrefix(w), w.number, res.Item.Status, w.status))
		default:
			w.rec.ContentHash = w.keptHash()
			return r.flagWithdrawal(w, fmt.Sprintf("%s, but Xero would not %s its invoice %s (%s): %s it in Xero by hand",
				cancelPrefix(w), verb(w.status), w.number, r.xeroReason(res.Err), verb(w.status)))
		}
	})
}

// toSend is the status change asked of Xero and the invoice's record.
func (w *withdrawal) toSend() (xero.Invoice, pending) {
	return xero.Invoice{InvoiceID: w.rec.XeroID, Status: w.status}, pending{rec: &w.rec, hash: withdrawalHash(w.rec.XeroID, w.status)}
}

// keptHash is the content hash a record keeps when its invoice stays as it
// was in Xero: the one from before the status change was asked.
func (w *withdrawal) keptHash() string {
	if isWithdrawalHash(history.Record{XeroID: w.rec.XeroID, ContentHash: w.hash}) {
		return "" // an earlier attempt's; the invoice's own is not known
	}
	return w.hash
}

// withdrawn records an invoice Xero has voided or deleted.
func (r *run) withdrawn(w *withdrawal, status string) error {
	what := "its invoice " + w.number + " was voided in Xero"
	w.rec.State = history.StateVoided
	if status == xero.StatusDeleted {
		w.rec.State = history.StateDeleted
		what = "its invoice " + w.number + " (not yet approved) was deleted in Xero"
	}
	w.rec.ContentHash = withdrawalHash(w.rec.XeroID, status)
	w.rec.Error = cancelPrefix(w) + ": " + what
	doc := xero.Invoice{InvoiceID: w.rec.XeroID, InvoiceNumber: w.number, Status: status}
	if err := r.settleWithdrawal(w.rec, Outcome{Document: doc}); err != nil {
		return r.fatal(err)
	}
	return nil
}

// flagWithdrawal marks a cancelled order's invoice as needing the bookkeeper.
func (r *run) flagWithdrawal(w *withdrawal, reason string) error {
	w.rec.State, w.rec.Error = history.StateChanged, reason
	if err := r.settleWithdrawal(w.rec, Outcome{}); err != nil {
		return r.fatal(err)
	}
	return nil
}

// settleWithdrawal settles a record and counts a voided or deleted invoice.
func (r *run) settleWithdrawal(rec history.Record, out Outcome) error {
	if err := r.settle(rec, out); err != nil {
		return err
	}
	if rec.State == history.StateVoided || rec.State == history.StateDeleted {
		r.sum.Withdrawn++
	}
	return nil
}

// cancelPrefix begins every message about a cancelled order's invoice;
// cancelFlagged recognises it.
func cancelPrefix(w *withdrawal) string {
	s := "order " + strconv.Itoa(w.order.ID) + " was cancelled in OpenCart"
	if w.order.Status != "" {
		s += " (now " + w.order.Status + ")"
	}
	return s
}

// cancelFlagged reports whether a record was marked because its order was
// cancelled. Should the wording ever change, the order is only looked up
// once more.
func cancelFlagged(rec history.Record) bool {
	return strings.HasPrefix(rec.Error, "order "+rec.OpenCartID+" was cancelled in OpenCart")
}

// goneFlagged reports whether a record was marked because its order is no
// longer in OpenCart.
func goneFlagged(rec history.Record) bool {
	return strings.HasPrefix(rec.Error, "order "+rec.OpenCartID+" is no longer in OpenCart")
}

// withdrawalHash is the content hash of the status change sent to Xero:
// a record carrying it was last sent a void or a delete.
func withdrawalHash(xeroID, status string) string {
	// An Invoice with two strings always marshals.
	h, _ := mapping.ContentHash(xero.Invoice{InvoiceID: xeroID, Status: status})
	return h
}

// isWithdrawalHash reports whether the last document sent for the record
// was a void or a delete.
func isWithdrawalHash(rec history.Record) bool {
	return rec.XeroID != "" && rec.ContentHash != "" &&
		(rec.ContentHash == withdrawalHash(rec.XeroID, xero.StatusVoided) || rec.ContentHash == withdrawalHash(rec.XeroID, xero.StatusDeleted))
}

func verb(status string) string {
	if status == xero.StatusDeleted {
		return "delete"
	}
	return "void"
}

// ordersGone flags exported invoices whose order is no longer in OpenCart.
// It reads the history a page at a time and counts the page's orders in
// OpenCart (one query); only a page with orders missing is read further.
// Runs limited by date skip it: a deleted order has no date to compare.
func (r *run) ordersGone() error {
	if !r.req.Since.IsZero() || !r.req.Until.IsZero() || r.req.OnlyFailed || !r.sel.full {
		return nil // a run reading only what changed leaves it to the daily full read (incremental.go)
	}
	states := []string{history.StateExported, history.StateChanged}
	if len(r.req.IDs) > 0 {
		keys := make([]string, len(r.req.IDs))
		for i, id := range r.req.IDs {
			keys[i] = history.OrderKey(id)
		}
		recs, err := r.hist().RecordsFor(r.bg, history.KindInvoice, keys)
		if err != nil {
			return r.fatal(err)
		}
		var page []history.Record
		for _, k := range keys {
			if rec, ok := recs[k]; ok && slices.Contains(states, rec.State) {
				page = append(page, rec)
			}
		}
		return r.flagGone(page)
	}
	// A shop without a single order is more likely the wrong database than
	// a shop whose orders were all deleted: nothing is flagged then.
	if n, err := r.store().CountOrders(r.ctx, opencart.OrderFilter{}); err != nil || n == 0 {
		if err != nil {
			return r.fatal(err)
		}
		return nil
	}
	var after int64
	for {
		page, err := r.hist().Records(r.bg, history.RecordFilter{Kind: history.KindInvoice, States: states, AfterID: after, Limit: withdrawalReadPage})
		if err != nil {
			return r.fatal(err)
		}
		if len(page) == 0 {
			return nil
		}
		if err := r.flagGone(page); err != nil {
			return err
		}
		if err := r.cancelled(); err != nil {
			return err
		}
		after = page[len(page)-1].ID
	}
}

// flagGone flags the records of one page whose order OpenCart no longer has.
func (r *run) flagGone(page []history.Record) error {
	var ids []int
	for _, rec := range page {
		if k, ok := history.ParseKey(rec.OpenCartID); ok && rec.XeroID != "" {
			ids = append(ids, k.OrderID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	n, err := r.store().CountOrders(r.ctx, opencart.OrderFilter{IDs: ids})
	if err != nil {
		return r.fatal(err)
	}
	if n == len(ids) {
		return nil
	}
	present, err := r.store().OrderList(r.ctx, opencart.OrderFilter{IDs: ids}, opencart.ListOptions{Sort: opencart.SortID, Limit: len(ids)})
	if err != nil {
		return r.fatal(err)
	}
	have := map[string]bool{}
	for _, o := range present {
		have[history.OrderKey(o.ID)] = true
	}
	for _, rec := range page {
		if have[rec.OpenCartID] || rec.XeroID == "" {
			continue
		}
		if _, ok := history.ParseKey(rec.OpenCartID); !ok {
			continue
		}
		number := rec.XeroNumber
		if number == "" {
			number = "(Xero id " + rec.XeroID + ")"
		}
		msg := goneMessage(rec, number)
		if rec.State == history.StateChanged && rec.Error == msg {
			continue // flagged already
		}
		rec.State, rec.Error = history.StateChanged, msg
		if err := r.settle(rec, Outcome{}); err != nil {
			return r.fatal(err)
		}
	}
	return nil
}

// goneMessage explains an invoice whose order OpenCart no longer has.
func goneMessage(rec history.Record, number string) string {
	return "order " + rec.OpenCartID + " is no longer in OpenCart (deleted there), but its invoice " + number +
		" is still in Xero: if the sale was cancelled, void or delete the invoice in Xero by hand; if the order was only removed to tidy the shop, nothing needs doing"
}

// cancelTouched reports whether an invoice record is as it is because its
// order was cancelled (or deleted) in OpenCart: its invoice was voided or
// deleted, is being so, or was flagged.
func cancelTouched(rec history.Record) bool {
	switch rec.State {
	case history.StateVoided, history.StateDeleted:
		return true
	case history.StateSending:
		return isWithdrawalHash(rec)
	case history.StateChanged:
		return isWithdrawalHash(rec) || cancelFlagged(rec) || goneFlagged(rec)
	}
	return false
}

// orderBack deals with an order exported again (its status is no longer a
// cancelled one, or it is back in OpenCart) whose invoice record
// cancelTouched: a deleted invoice is sent anew under its number, a voided
// one is flagged (it cannot be revived), a flagged one is exported again
// or updated when the order changed meanwhile.
func (r *run) orderBack(j *invoiceJob, create, update *[]*invoiceJob) error {
	rec := j.rec
	state := rec.State
	if state == history.StateSending {
		// A void or delete was interrupted: ask Xero how it ended.
		if r.req.DryRun {
			return r.settleErr(rec, j.outcome("its invoice was being voided or deleted in Xero when a run stopped; it is looked up in Xero before anything is sent"))
		}
		have, err := r.x().Invoices(r.ctx, xero.InvoiceQuery{IDs: []string{rec.XeroID}})
		if err != nil {
			return r.fatal(err)
		}
		state = history.StateExported // unless Xero says otherwise
		if rec.ContentHash == withdrawalHash(rec.XeroID, xero.StatusDeleted) {
			state = history.StateDeleted // unless Xero still lists it
		}
		for _, inv := range have {
			if strings.EqualFold(inv.InvoiceID, rec.XeroID) {
				switch inv.Status {
				case xero.StatusVoided:
					state = history.StateVoided
				case xero.StatusDeleted:
					state = history.StateDeleted
				default:
					state = history.StateExported
				}
			}
		}
		if state == history.StateExported {
			*update = append(*update, j) // never withdrawn: brought up to date
			return nil
		}
	}
	switch {
	case state == history.StateVoided || state == history.StateDeleted || isWithdrawalHash(rec):
		number := rec.XeroNumber
		if number == "" {
			number = j.doc.InvoiceNumber
		}
		now := "in an exported status"
		if j.order.Status != "" {
			now = j.order.Status
		}
		done, status := "voided", xero.StatusVoided
		if state == history.StateDeleted || rec.ContentHash == withdrawalHash(rec.XeroID, xero.StatusDeleted) {
			done, status = "deleted", xero.StatusDeleted
		}
		// Xero keeps the number of a voided or deleted invoice: a new one
		// under the same number would be refused.
		msg := fmt.Sprintf("order %d is %s again in OpenCart, but its invoice %s was %s in Xero when the order was cancelled; Xero cannot bring it back and keeps its number: raise a new invoice for this order in Xero by hand, under another number",
			j.order.ID, now, number, done)
		if rec.State == history.StateChanged && rec.Error == msg {
			return nil // flagged already
		}
		rec.State, rec.Error = history.StateChanged, msg
		if !isWithdrawalHash(rec) {
			rec.ContentHash = withdrawalHash(rec.XeroID, status)
		}
		return r.settleErr(rec, j.outcome(""))
	case rec.ContentHash == j.hash:
		// Flagged and left alone in Xero; the order is as it was exported.
		rec.State, rec.Error = history.StateExported, mismatchNote(rec)
		return r.settleErr(rec, j.outcome(fmt.Sprintf("order %d is exported again in OpenCart; its invoice %s was left as it was in Xero", j.order.ID, rec.XeroNumber)))
	default:
		*update = append(*update, j)
		return nil
	}
}
