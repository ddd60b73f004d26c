package export

// What Xero holds decides (issue 12). Before money is written to an
// invoice — a payment, a credit note's allocation or refund — or an
// invoice is updated, the run reads the invoice as Xero holds it now
// (Status, AmountDue, AmountPaid, AmountCredited), fifty a call, unless an
// answer of this same run already says (an invoice created, updated or
// read in this run; a payment or allocation made on it since is applied
// to that answer as Xero applies it). A record that keeps failing the
// same way waits for a change (failure streaks, history/streaks.go), and
// only a refusal naming an account, a tax type or a currency makes the
// next run read Xero's reference again.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// xeroState is what a run knows of Xero's side beyond its reference.
type xeroState struct {
	// invoices are invoices as Xero holds them now, by lower-cased id.
	invoices map[string]xero.Invoice
	// refDigest fingerprints the reference the run works from.
	refDigest string
	// tried is the content hash of the attempt a record is on (set when
	// its failure streak is looked at), failedBefore the records that had
	// failed before this run; by streakKey.
	tried        map[string]string
	failedBefore map[string]bool
}

func (r *run) state() *xeroState {
	if r.xs == nil {
		r.xs = &xeroState{invoices: map[string]xero.Invoice{}, tried: map[string]string{}, failedBefore: map[string]bool{}}
	}
	return r.xs
}

// knowInvoice keeps an invoice as an answer of this run showed it.
func (r *run) knowInvoice(inv xero.Invoice) {
	if inv.InvoiceID != "" && !r.req.DryRun {
		r.state().invoices[strings.ToLower(inv.InvoiceID)] = inv
	}
}

// invoiceStates returns the invoices with these ids as Xero holds them
// now: those this run already knows, the others read from Xero, fifty a
// call. An id Xero does not know is absent.
func (r *run) invoiceStates(ids []string) (map[string]xero.Invoice, error) {
	known := r.state().invoices
	var read []string
	out := map[string]xero.Invoice{}
	for _, id := range ids {
		k := strings.ToLower(id)
		if k == "" {
			continue
		}
		if inv, ok := known[k]; ok {
			out[k] = inv
		} else {
			read = append(read, id)
		}
	}
	if len(read) == 0 || r.req.DryRun {
		return out, nil
	}
	got, err := r.x().InvoiceStates(r.bg, read)
	if err != nil {
		return nil, r.fatal(err)
	}
	for k, inv := range got {
		known[k] = inv
		out[k] = inv
	}
	return out, nil
}

// paidOn applies a payment made in this run to the invoice as known, as
// Xero applies it: less due, more paid, PAID when nothing is due.
func (r *run) paidOn(invoiceID string, amount decimal.Decimal) {
	r.moneyOn(invoiceID, amount, false)
}

// creditedOn applies an allocation made in this run to the invoice.
func (r *run) creditedOn(invoiceID string, amount decimal.Decimal) {
	r.moneyOn(invoiceID, amount, true)
}

func (r *run) moneyOn(invoiceID string, amount decimal.Decimal, credit bool) {
	k := strings.ToLower(invoiceID)
	inv, ok := r.state().invoices[k]
	if !ok {
		return
	}
	inv.AmountDue = xero.NewAmount(inv.AmountDue.Decimal().Sub(amount))
	if credit {
		inv.AmountCredited = xero.NewAmount(inv.AmountCredited.Decimal().Add(amount))
	} else {
		inv.AmountPaid = xero.NewAmount(inv.AmountPaid.Decimal().Add(amount))
	}
	if !inv.AmountDue.Decimal().IsPositive() && inv.Status == xero.StatusAuthorised {
		inv.Status = xero.StatusPaid
	}
	r.state().invoices[k] = inv
}

// gone reports whether Xero holds an invoice as voided or deleted.
func gone(inv xero.Invoice) bool {
	return inv.Status == xero.StatusVoided || inv.Status == xero.StatusDeleted
}

// settledPrefix starts the reason of a record settled from what Xero
// holds: nothing is left to do for it, so it is not tried again.
const settledPrefix = "settled: "

// goneNote says that an invoice is voided or deleted in Xero, so what of
// the order's money was still to do is not sent.
func goneNote(inv xero.Invoice, number, what string) string {
	if inv.InvoiceNumber != "" {
		number = inv.InvoiceNumber
	}
	return fmt.Sprintf("%sinvoice %s is %s in Xero, so %s is not sent; if that was a mistake, see ACCOUNTANTS.md (an invoice changed in Xero)",
		settledPrefix, number, strings.ToLower(inv.Status), what)
}

// goneSettled reports whether a record was settled because its invoice is
// voided or deleted in Xero: Xero never brings such an invoice back.
func goneSettled(rec history.Record) bool {
	return rec.State == history.StateSkipped && strings.HasPrefix(rec.Error, settledPrefix+"invoice ") &&
		(strings.Contains(rec.Error, " is voided in Xero") || strings.Contains(rec.Error, " is deleted in Xero"))
}

// amountsNote prints what Xero holds on an invoice.
func amountsNote(inv xero.Invoice) string {
	return fmt.Sprintf("total %s, paid %s, credited %s, due %s", money(inv.Total.Decimal()), money(inv.AmountPaid.Decimal()),
		money(inv.AmountCredited.Decimal()), money(inv.AmountDue.Decimal()))
}

// referenceWords find a refusal that names an account, a tax type or a
// currency: what the reference holds, so the next run reads it again.
// Xero's texts carry no code for it [XERO.md §8], hence words.
var referenceWords = regexp.MustCompile(`(?i)\baccounts?\b|tax ?types?\b|tax ?rates?\b|currenc`)

// namesReference reports whether one of Xero's messages names an
// account, a tax type or a currency.
func namesReference(msgs []string) bool {
	for _, m := range msgs {
		if referenceWords.MatchString(m) {
			return true
		}
	}
	return false
}

// digest fingerprints the reference (without when it was read): a
// change of accounts, tax rates, currencies or the organisation in Xero
// ends every failure streak.
func (ref *reference) digest() string {
	b, _ := json.Marshal(struct {
		O xero.Organisation
		A []xero.Account
		T []xero.TaxRate
		C []xero.Currency
	}{ref.Organisation, ref.Accounts, ref.TaxRates, ref.Currencies})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}

func streakKey(kind, id string) string { return kind + " " + id }

// print fingerprints an attempt: the document (which the order and the
// settings make) and Xero's reference.
func (r *run) print(hash string) string {
	h := sha256.Sum256([]byte(hash + "|" + r.state().refDigest))
	return hex.EncodeToString(h[:8])
}

// failing reports whether a record's last attempt failed.
func failing(rec history.Record) bool {
	return rec.State == history.StateFailed || rec.State == history.StateChanged
}

// waits reports whether a record that failed the same way WaitAfter runs
// in a row waits: nothing about it changed since (hash is what would be
// sent now), and nobody asked to retry it. It notes the attempt for the
// failure streak either way.
func (r *run) waits(rec history.Record, hash string) (bool, error) {
	if r.req.DryRun {
		return false, nil
	}
	key := streakKey(rec.Kind, rec.OpenCartID)
	r.state().tried[key] = hash
	if !failing(rec) || rec.ID == 0 {
		return false, nil
	}
	r.state().failedBefore[key] = true
	if r.req.OnlyFailed {
		return false, nil // a retry by hand
	}
	st, err := r.hist().Streaks(r.bg, rec.Kind, []string{rec.OpenCartID})
	if err != nil {
		return false, r.fatal(err)
	}
	if s, ok := st[rec.OpenCartID]; ok && s.Waiting(r.print(hash)) {
		r.sum.Waiting++
		return true, nil
	}
	return false, nil
}

// waitingPrefix starts the reason of a record that waits for a change.
const waitingPrefix = history.WaitingPrefix

// countFailure keeps a record's failure streak as it is saved: a failure
// adds to it (and from WaitAfter on the record says it waits), anything
// else ends it. Only records whose streak the run looked at (waits) are
// counted: the kinds that wait (invoices, payments, credit notes). It
// returns the record as it is to be saved.
func (r *run) countFailure(rec history.Record) (history.Record, error) {
	key := streakKey(rec.Kind, rec.OpenCartID)
	xs := r.state()
	hash, consulted := xs.tried[key]
	delete(xs.tried, key)
	switch {
	case !failing(rec):
		if xs.failedBefore[key] {
			delete(xs.failedBefore, key)
			return rec, r.hist().EndStreak(r.bg, rec.Kind, rec.OpenCartID)
		}
		return rec, nil
	case !consulted:
		return rec, nil
	}
	reason := strings.TrimPrefix(rec.Error, waitingPrefix)
	if i := strings.Index(reason, waitReasonSep); strings.HasPrefix(rec.Error, waitingPrefix) && i >= 0 {
		reason = reason[i+len(waitReasonSep):]
	}
	st, err := r.hist().CountFailure(r.bg, rec.Kind, rec.OpenCartID, reason, r.print(hash))
	if err != nil {
		return rec, err
	}
	xs.failedBefore[key] = true
	if st.Count >= history.WaitAfter {
		rec.Error = fmt.Sprintf("%sfailed %d times the same way — retry from History or change the order/settings%s%s",
			waitingPrefix, st.Count, waitReasonSep, reason)
	}
	return rec, nil
}

const waitReasonSep = ". Last reason: "

// editable reads what Xero holds on the invoices of changed orders and
// keeps those Xero lets the run update. One with a payment or an
// allocated credit note, or paid, voided or deleted in Xero, is flagged
// (changed) with what Xero holds, without sending the update Xero would
// refuse ("This document cannot be edited as it has a payment or credit
// note allocated to it" [XERO.md §3.2]).
func (r *run) editable(jobs []*invoiceJob) ([]*invoiceJob, error) {
	if r.req.DryRun || len(jobs) == 0 {
		return jobs, nil
	}
	var ids []string
	for _, j := range jobs {
		if !hasBlocking(j) {
			ids = append(ids, j.rec.XeroID)
		}
	}
	states, err := r.invoiceStates(ids)
	if err != nil {
		return nil, err
	}
	var keep []*invoiceJob
	for _, j := range jobs {
		inv, ok := states[strings.ToLower(j.rec.XeroID)]
		if hasBlocking(j) || !ok {
			keep = append(keep, j) // failed by sendInvoices, or Xero answers for itself
			continue
		}
		var why string
		switch {
		case gone(inv):
			why = "it is " + strings.ToLower(inv.Status) + " in Xero"
		case inv.AmountPaid.Decimal().IsPositive() || inv.AmountCredited.Decimal().IsPositive() || inv.Status == xero.StatusPaid:
			why = "it has a payment or credit note in Xero (" + amountsNote(inv) + "), and Xero does not let such an invoice be edited"
		}
		if why == "" {
			keep = append(keep, j)
			continue
		}
		j.rec.State = history.StateChanged
		j.rec.Error = "changed in OpenCart after export, but invoice " + j.rec.XeroNumber + " was not updated: " + why + "; change it in Xero by hand"
		if err := r.settleErr(j.rec, j.outcome("")); err != nil {
			return nil, err
		}
	}
	return keep, nil
}

func hasBlocking(j *invoiceJob) bool { return mapping.HasErrors(j.problems) }

// creditSettled starts the reason of a payment not sent because credit
// notes cover what was due on its invoice.
const creditSettled = settledPrefix + "nothing is due"

// reopenPayments is called when credit notes of these orders were taken
// back out of Xero: what this run knows of their invoices is stale, and a
// payment not sent because credit notes covered it is worked out again on
// the next run.
func (r *run) reopenPayments(orderIDs []int) error {
	clear(r.state().invoices)
	if len(orderIDs) == 0 {
		return nil
	}
	ids := make([]string, len(orderIDs))
	for i, id := range orderIDs {
		ids[i] = history.OrderKey(id)
	}
	recs, err := r.hist().RecordsFor(r.bg, history.KindPayment, ids)
	if err != nil {
		return r.fatal(err)
	}
	for _, rec := range recs {
		covered := rec.State == history.StateSkipped && strings.HasPrefix(rec.Error, creditSettled)
		short := rec.State == history.StateExported && strings.HasPrefix(rec.Error, shortPaid)
		if !covered && !short {
			continue
		}
		// The record keeps what was paid so far (XeroTotal).
		rec.State, rec.Error = history.StateSkipped, reopenedNote
		if err := r.settleErr(rec, Outcome{}); err != nil {
			return err
		}
	}
	return nil
}

// shortPaid starts the note of a payment that paid less than OpenCart's
// total because less was due in Xero.
const shortPaid = "paid less than OpenCart's total: "

// reopenedNote is the reason of a payment to work out again.
const reopenedNote = "skipped: a credit note on the invoice was taken back; the rest of the payment is worked out again on the next run"

// paidSoFar is what the export paid already on a reopened payment.
func paidSoFar(rec history.Record) decimal.Decimal {
	if rec.State != history.StateSkipped || rec.Error != reopenedNote || rec.XeroTotal == "" {
		return decimal.Zero
	}
	d, err := decimal.NewFromString(rec.XeroTotal)
	if err != nil {
		return decimal.Zero
	}
	return d
}
