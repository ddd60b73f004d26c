package export

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// Settings are the bookkeeper's export choices as stored in the profile:
// the mapping options plus which records a run takes.
type Settings struct {
	mapping.Options
	// SkipStatusIDs are order statuses never exported (cancelled and the
	// like). Status 0 ("missing orders") is never exported whatever this says.
	SkipStatusIDs []int `json:"skip_status_ids"`
	// CustomersEnabledOnly exports only enabled customer accounts as contacts
	// (customers of exported orders are always exported).
	CustomersEnabledOnly bool `json:"customers_enabled_only"`
	// AutoSyncMinutes runs "export all" every so many minutes while the
	// window is open; 0 = off.
	AutoSyncMinutes int `json:"auto_sync_minutes"`
	// LockedPeriod says what happens to a document dated on or before
	// Xero's lock date: LockedRefuse (the default) or LockedFirstOpenDay
	// (lockdates.go). Stored as the setting export.locked_period.
	LockedPeriod string `json:"-"`
	// OrdersSince is the start-date cut-off: orders placed before this day
	// (store time) are never exported, nor their payments and credit notes;
	// zero = none. Stored as the setting export.since (cutoff.go).
	OrdersSince time.Time `json:"-"`
}

// MappingOptions are the options documents are made with: the saved ones,
// with the statuses an order is cancelled by (for when its money arrived,
// mapping.Options.PaidOn).
func (s Settings) MappingOptions() mapping.Options {
	o := s.Options
	o.CancelStatusIDs = cancelledStatuses(s.SkipStatusIDs)
	return o
}

// DefaultSettings are the recommended choices; accounts and the tax
// mapping still have to be chosen.
func DefaultSettings() Settings {
	return Settings{
		Options: mapping.DefaultOptions(),
		// 7 Canceled, 8 Denied, 10 Failed, 14 Expired, 16 Voided.
		SkipStatusIDs: []int{7, 8, 10, 14, 16},
	}
}

// Validate names every problem with the settings, or returns nil. A
// status both never exported and paid (or refunded) is refused: the
// engine voids the invoices of orders that reach a status never exported,
// so one chosen there by mistake would void paid orders' invoices.
func (s Settings) Validate() error {
	var errs []error
	if err := s.Options.Validate(); err != nil {
		errs = append(errs, err)
	}
	for _, id := range s.SkipStatusIDs {
		for _, other := range []struct {
			what string
			ids  []int
		}{{"paid", s.PaidStatusIDs}, {"refunded", s.RefundStatusIDs}} {
			if slices.Contains(other.ids, id) {
				errs = append(errs, fmt.Errorf("%s is both among the statuses never exported and among the %s ones: keep it in one list", s.StatusWords(id), other.what))
			}
		}
	}
	errs = append(errs, s.validatePaymentMethods()...) // paymethods.go
	return errors.Join(errs...)
}

// Config is what an engine works with.
type Config struct {
	// Store reads the OpenCart shop.
	Store *opencart.Reader
	// Xero sends documents; nil is allowed for dry runs.
	Xero *xero.Client
	// History records runs and records.
	History *history.Store
	// Settings are the bookkeeper's choices.
	Settings Settings
	// Progress receives events; nil discards them.
	Progress Progress
	// Now is the clock; nil = time.Now.
	Now func() time.Time
	// BatchSize is how many records go in one request; 0 = 50 (Xero's advice).
	BatchSize int
	// LockPath is a lock file that lets one run at a time use this history
	// (across processes: the window, a scheduled run, the command line);
	// empty = no lock.
	LockPath string
	// ReferenceMaxAge is how long a run reuses the organisation, accounts,
	// tax rates and currencies an earlier run read from Xero (kept in the
	// history); 0 = DefaultReferenceMaxAge, negative = read them every run.
	ReferenceMaxAge time.Duration
	// Incremental makes runs of a whole scope read only what changed since
	// the last complete run, with a full read every FullSweepEvery (0 =
	// DefaultFullSweepEvery) and after a settings change (incremental.go).
	// False (tests of the engine, unless they ask) reads everything.
	Incremental    bool
	FullSweepEvery time.Duration
}

// Engine runs exports.
type Engine struct {
	cfg Config
}

// New checks the configuration and returns an engine.
func New(cfg Config) (*Engine, error) {
	if cfg.Store == nil || cfg.History == nil {
		return nil, errors.New("export: a store and a history are needed")
	}
	if cfg.Progress == nil {
		cfg.Progress = discard
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.BatchSize <= 0 || cfg.BatchSize > 50 {
		cfg.BatchSize = 50
	}
	return &Engine{cfg: cfg}, nil
}

// Run exports what the request asks for. It returns ErrCancelled when ctx
// was cancelled; the batch in flight is finished and recorded first, so
// the history stays consistent.
func (e *Engine) Run(ctx context.Context, req Request) (sum Summary, err error) {
	if req.Scope == "" {
		req.Scope = ScopeAll
	}
	if _, err := ParseScope(string(req.Scope)); err != nil {
		return Summary{}, err
	}
	if !req.DryRun && e.cfg.Xero == nil {
		return Summary{}, errors.New("export: not connected to Xero (connect first, or use a dry run)")
	}
	if req.Trigger == "" {
		req.Trigger = "manual"
	}
	if e.cfg.LockPath != "" {
		unlock, err := takeLock(ctx, e.cfg.LockPath, req.Trigger, req.LockWait, e.cfg.Now) // lock.go
		if err != nil {
			return Summary{}, err
		}
		defer unlock()
	}
	started := e.cfg.Now()
	bg := context.WithoutCancel(ctx)
	runID, err := e.cfg.History.StartRun(bg, string(req.Scope), req.Trigger, req.DryRun)
	if err != nil {
		return Summary{}, err
	}
	r := &run{e: e, req: req, ctx: ctx, bg: bg, sum: Summary{RunID: runID}, eta: newETA(e.cfg.Now),
		contactIDs: map[string]string{}, names: mapping.NewContactNames(nil)}
	if e.cfg.Xero != nil {
		r.calls0 = e.cfg.Xero.Calls()
	}
	defer func() {
		r.sum.Duration = e.cfg.Now().Sub(started)
		r.sum.APICalls = r.apiCalls()
		if err == nil {
			err = r.keepSelection() // incremental.go: only a complete run moves the watermark
		}
		state, msg := history.RunDone, ""
		switch {
		case errors.Is(err, ErrCancelled):
			state, r.sum.Cancelled = history.RunCancelled, true
		case err != nil:
			state, msg = history.RunFailed, err.Error()
		}
		if r.refused && !req.DryRun {
			if ferr := forgetReference(bg, e.cfg.History); ferr != nil && err == nil {
				err = ferr
			}
		}
		ferr := e.cfg.History.FinishRun(bg, history.Run{ID: runID, State: state, Exported: r.sum.Exported,
			Failed: r.sum.Failed, Skipped: r.sum.Skipped, APICalls: r.sum.APICalls, Error: msg})
		if err == nil {
			err = ferr
		}
		r.report(StageDone, 0, 0, nil)
		sum = r.sum
	}()

	// The customer checksums cost the server a while on a large shop:
	// they are asked for now, while the preflight reads the settings and
	// the tax tables, for selectRecords, which always uses them when the
	// run keeps what it read (incremental.go).
	if withCustomers, _ := covers(req.Scope); withCustomers && e.cfg.Incremental && !req.DryRun {
		r.earlyBlocks = r.startCustomerBlocks()
		defer r.earlyBlocks.wait() // never left reading after the run
	}
	if err := r.preflight(); err != nil {
		return r.sum, err
	}
	if err := r.selectRecords(); err != nil { // incremental.go
		return r.sum, err
	}
	if req.Scope == ScopeCustomers || req.Scope == ScopeAll {
		if err := r.exportCustomers(); err != nil {
			return r.sum, err
		}
	}
	if req.Scope != ScopeCustomers {
		if err := r.exportOrders(); err != nil {
			return r.sum, err
		}
		if err := r.exportRenewals(); err != nil { // renewals.go
			return r.sum, err
		}
	}
	if err := r.withdrawCancelled(); err != nil { // withdrawals.go
		return r.sum, err
	}
	return r.sum, nil
}

// run is the state of one Run.
type run struct {
	e   *Engine
	req Request
	// earlyBlocks are the customer checksums asked for as the run starts.
	earlyBlocks *customerBlocks
	// ctx is cancelled by the person; bg is never cancelled and carries
	// the calls of a batch that was started, so it is always recorded.
	ctx, bg context.Context
	sum     Summary
	calls0  int64
	eta     *eta
	stage   Stage

	opt        mapping.Options
	books      mapping.Books
	currencies map[string]bool // enabled in Xero; nil in a dry run
	// refKept is true while the run works from an earlier run's reference;
	// refused is set when Xero refused a record (the next run reads the
	// reference again).
	refKept, refused bool
	// updates are changed invoices waiting for a full batch (orderPage).
	updates    []*invoiceJob
	contactIDs map[string]string
	names      *mapping.ContactNames
	statuses   []opencart.OrderStatus
	// methodsNoted are the payment methods without a rule already warned
	// about in this run (paymethods.go).
	methodsNoted map[string]bool
	// lock is Xero's lock dates as the reference has them, lockNotes the
	// notes to keep in a record's history once it is sent (lockdates.go);
	// accounts are the reference's active accounts by upper-cased code (nil
	// when there is no reference: a dry run never connected).
	lock      lockDates
	lockNotes map[string]string
	accounts  map[string]xero.Account
	// contactClashes are contacts this run found held by someone else's
	// contact, with the reason: not tried again in the same run (ownership.go).
	contactClashes map[string]string
	// sharedEmails are the guest e-mail addresses met with their names
	// (contacts.go, noteGuest).
	sharedEmails *emailNames
	// xs is what the run knows of Xero's side: invoices as Xero holds
	// them, failure streaks (xerostate.go).
	xs *xeroState
	// sel is what the run reads, pre what goes with the page of orders
	// read last (incremental.go).
	sel selection
	pre *prefetched
}

func (r *run) x() *xero.Client         { return r.e.cfg.Xero }
func (r *run) hist() *history.Store    { return r.e.cfg.History }
func (r *run) store() *opencart.Reader { return r.e.cfg.Store }

func (r *run) apiCalls() int {
	if r.x() == nil {
		return 0
	}
	return int(r.x().Calls() - r.calls0)
}

// cancelled reports a cancel request; checked between batches only.
func (r *run) cancelled() error {
	if r.ctx.Err() != nil {
		return ErrCancelled
	}
	return nil
}

// report sends a progress event.
func (r *run) report(stage Stage, done, total int, rec *Outcome) {
	ev := Event{RunID: r.sum.RunID, Stage: stage, Done: done, Total: total, ETA: r.eta.left(done, total),
		DayCallsLeft: -1, MinuteCallsLeft: -1, APICalls: r.apiCalls(), Record: rec}
	if r.x() != nil {
		b := r.x().Budget()
		ev.DayCallsLeft, ev.MinuteCallsLeft = b.DayRemaining, b.MinuteRemaining
	}
	r.e.cfg.Progress.Report(ev)
}

// startStage resets the ETA for a new stage.
func (r *run) startStage(s Stage, total int) {
	r.stage = s
	r.eta.restart()
	r.report(s, 0, total, nil)
}

// exportableStatuses are the order statuses a run takes.
func (r *run) exportableStatuses() []int {
	if len(r.req.StatusIDs) > 0 {
		return slices.DeleteFunc(slices.Clone(r.req.StatusIDs), func(id int) bool { return id == 0 })
	}
	var ids []int
	for _, s := range r.statuses {
		if s.ID != 0 && !slices.Contains(r.e.cfg.Settings.SkipStatusIDs, s.ID) {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

func (r *run) orderFilter() opencart.OrderFilter {
	f := opencart.OrderFilter{IDs: r.req.IDs, StatusIDs: r.exportableStatuses(), Since: r.since(), Until: r.req.Until}
	if len(r.req.StatusIDs) == 0 {
		// Every status but those never exported, so that an order in a
		// status missing from order_status is met and reported (the
		// mapping refuses it with what to do), never silently left out.
		f.StatusIDs, f.ExcludeStatusIDs = nil, r.e.cfg.Settings.SkipStatusIDs
	}
	if ids, all := r.selectedIDs(f); !all { // incremental.go
		f.IDs = ids
	}
	return f
}

// fatal wraps an error that stops the run with the stage it happened in.
func (r *run) fatal(err error) error {
	if errors.Is(err, ErrCancelled) || r.ctx.Err() != nil && errors.Is(err, context.Canceled) {
		return ErrCancelled
	}
	return fmt.Errorf("%s: %w", r.stage, err)
}
