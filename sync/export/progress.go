package export

import (
	"sync"
	"time"
)

// Stage names what a run is doing.
type Stage string

// The stages of a run, in order.
const (
	StagePreflight   Stage = "preflight"
	StageContacts    Stage = "contacts"
	StageInvoices    Stage = "invoices"
	StageCreditNotes Stage = "credit notes"
	StagePayments    Stage = "payments"
	StageDone        Stage = "done"
)

// Event is one progress report: where the run is, with counts, an ETA and
// the Xero call budget left. Record is set when one record was settled.
type Event struct {
	RunID int64
	Stage Stage
	// Done and Total count the records of the stage (Total 0 = unknown).
	Done, Total int
	// ETA estimates the time left for the stage (0 = unknown).
	ETA time.Duration
	// DayCallsLeft and MinuteCallsLeft are Xero's remaining budget (-1 = not known yet).
	DayCallsLeft, MinuteCallsLeft int
	// APICalls counts the Xero calls of this run so far.
	APICalls int
	// Record is the outcome of one record, when this event reports one.
	Record *Outcome
}

// Outcome is what became of one record in a run.
type Outcome struct {
	Kind       string // history.KindContact, KindInvoice, …
	OpenCartID string
	XeroID     string
	XeroNumber string
	State      string // history.StateExported, StateFailed, …
	Message    string // the plain-language reason, when not exported
	// Document is what was (or, in a dry run, would be) sent.
	Document any
	// OpenCartTotal and XeroTotal are decimal texts in Currency.
	Currency      string
	OpenCartTotal string
	XeroTotal     string
	TotalsMatch   *bool
	Problems      []string
}

// Progress receives a run's events. Implementations must be safe to call
// from any goroutine: the window wraps its widget updates in fyne.Do, the
// command line prints text or JSON.
type Progress interface {
	Report(Event)
}

// ProgressFunc adapts a function to Progress.
type ProgressFunc func(Event)

// Report calls f.
func (f ProgressFunc) Report(e Event) { f(e) }

// discard is the Progress used when none is given.
var discard = ProgressFunc(func(Event) {})

// eta estimates the time left from the pace so far.
type eta struct {
	mu    sync.Mutex
	start time.Time
	now   func() time.Time
}

func newETA(now func() time.Time) *eta { return &eta{start: now(), now: now} }

func (e *eta) restart() {
	e.mu.Lock()
	e.start = e.now()
	e.mu.Unlock()
}

func (e *eta) left(done, total int) time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	if done <= 0 || total <= done {
		return 0
	}
	per := e.now().Sub(e.start) / time.Duration(done)
	return per * time.Duration(total-done)
}
