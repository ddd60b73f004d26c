package export

import (
	"errors"
	"fmt"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// Xero's lock dates [XERO.md §3.2 "Lock dates"]: once an adviser locks the
// books up to a day, Xero refuses approved documents and payments dated on
// or before it (drafts and documents awaiting approval are accepted, but
// cannot be approved there). The run checks each document's date before
// sending it, so that it fails with a plain message instead of a refusal
// on every run; or, when the bookkeeper chose it, dates it on the first
// open day and says so in its history.

// What happens to a document dated inside Xero's locked period
// (Settings.LockedPeriod, the setting export.locked_period).
const (
	// LockedRefuse: the record fails, saying why and what to do.
	LockedRefuse = "refuse"
	// LockedFirstOpenDay: the document is dated on the day after the lock
	// date, with a note in its history.
	LockedFirstOpenDay = "first_open_day"
)

// CheckLockedPeriod says why v cannot be export.locked_period, or nil.
func CheckLockedPeriod(v string) error {
	switch v {
	case "", LockedRefuse, LockedFirstOpenDay:
		return nil
	}
	return fmt.Errorf("%q: use %s or %s", v, LockedRefuse, LockedFirstOpenDay)
}

// lockDates are the organisation's lock dates; zero = none.
type lockDates struct{ period, endOfYear time.Time }

func lockOf(org xero.Organisation) lockDates {
	return lockDates{period: org.PeriodLockDate.Time, endOfYear: org.EndOfYearLockDate.Time}
}

// last is the later lock date, which binds, and its name.
func (l lockDates) last() (time.Time, string) {
	if l.endOfYear.After(l.period) {
		return dayOf(l.endOfYear), "end of year lock date"
	}
	if l.period.IsZero() {
		return time.Time{}, ""
	}
	return dayOf(l.period), "period lock date"
}

func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// longDay prints a day as people write it: 3 March 2026.
func longDay(t time.Time) string { return t.Format("2 January 2006") }

func (r *run) firstOpenDay() bool { return r.e.cfg.Settings.LockedPeriod == LockedFirstOpenDay }

// lockPolicyWords says what the run does with documents dated inside the
// locked period.
func (r *run) lockPolicyWords() string {
	if r.firstOpenDay() {
		return "documents dated on or before it are dated on the first open day, with a note in their history"
	}
	return "documents dated on or before it are not sent (export.locked_period = refuse)"
}

// lockCheck checks a document's date against the lock dates and returns
// the problems with what it found added. posts is false for a draft or a
// document awaiting approval (Xero accepts those); existing is true for a
// document already in Xero, which Xero no longer lets change at all.
func (r *run) lockCheck(date *xero.Date, posts bool, rec history.Record, existing bool, ps []mapping.Problem) []mapping.Problem {
	at, which := r.lock.last()
	if at.IsZero() || date.IsZero() || dayOf(date.Time).After(at) {
		return ps
	}
	dated, locked := longDay(date.Time), longDay(at)
	fail := func(msg string) []mapping.Problem {
		return append(ps, mapping.Problem{Field: "date", Severity: mapping.SeverityError, Message: msg})
	}
	switch {
	case existing:
		return fail(fmt.Sprintf("dated %s, but Xero's books are locked up to %s (%s), so Xero no longer lets this document change — "+
			"ask your adviser to move the lock date in Xero (Accounting → Advanced → Financial settings), then export again", dated, locked, which))
	case r.firstOpenDay():
		open := at.AddDate(0, 0, 1)
		*date = xero.Date{Time: open}
		note := fmt.Sprintf("dated %s instead of %s: Xero's books are locked up to %s (%s), and the settings ask for the first open day", longDay(open), dated, locked, which)
		if r.lockNotes == nil {
			r.lockNotes = map[string]string{}
		}
		r.lockNotes[rec.Kind+"/"+rec.OpenCartID] = note
		return append(ps, mapping.Problem{Field: "date", Severity: mapping.SeverityWarning, Message: note})
	case !posts:
		return append(ps, mapping.Problem{Field: "date", Severity: mapping.SeverityWarning, Message: fmt.Sprintf(
			"dated %s, inside Xero's locked period (up to %s, %s): Xero keeps it unapproved, and it can be approved only once the lock date moves", dated, locked, which)})
	}
	return fail(fmt.Sprintf("dated %s, but Xero's books are locked up to %s (%s) — ask your adviser to move the lock date in Xero "+
		"(Accounting → Advanced → Financial settings), or set export.locked_period to %s to date such documents on the first open day", dated, locked, which, LockedFirstOpenDay))
}

// lockInvoice is lockCheck for an invoice; a new one dated on the first
// open day is due no earlier than that day.
func (r *run) lockInvoice(doc *xero.Invoice, rec history.Record, ps []mapping.Problem) []mapping.Problem {
	existing := rec.XeroID != "" && (rec.State == history.StateExported || rec.State == history.StateChanged)
	ps = r.lockCheck(&doc.Date, doc.Status == xero.StatusAuthorised, rec, existing, ps)
	if !doc.DueDate.IsZero() && doc.DueDate.Before(doc.Date.Time) {
		doc.DueDate = doc.Date
	}
	return ps
}

// checkPayment checks a payment against what Xero holds: the lock dates,
// and its payment method's own account (paymethods.go).
func (r *run) checkPayment(o opencart.Order, pay *xero.Payment, rec history.Record, ps []mapping.Problem) []mapping.Problem {
	rec.Kind = history.KindPayment
	ps = r.lockCheck(&pay.Date, true, rec, false, ps)
	if msg := r.methodAccountProblem(o.PaymentMethod.Code); msg != "" {
		ps = append(ps, mapping.Problem{Field: "bank account", Severity: mapping.SeverityError, Message: msg})
	}
	return ps
}

// keepLockNote adds the note of a document dated on the first open day to
// its record's history once it is sent.
func (r *run) keepLockNote(rec history.Record) error {
	key := rec.Kind + "/" + rec.OpenCartID
	note, ok := r.lockNotes[key]
	if !ok || rec.State != history.StateExported {
		return nil
	}
	delete(r.lockNotes, key)
	if err := r.hist().AddNote(r.bg, rec.Kind, rec.OpenCartID, r.sum.RunID, note); err != nil && !errors.Is(err, history.ErrNotFound) {
		return err
	}
	return nil
}
