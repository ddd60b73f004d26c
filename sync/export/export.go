// Package export runs one export: select OpenCart records, check them
// before anything is sent, map them to Xero documents, send them in batches,
// record every record's outcome in the history and compare Xero's totals
// with OpenCart's. The window and the command line both call Engine.Run.
package export

import (
	"errors"
	"fmt"
	"time"
)

// Scope says which kinds of records a run exports.
type Scope string

// The scopes of a run. ScopeAll exports contacts, invoices, credit notes
// and payments, in that order.
const (
	ScopeCustomers   Scope = "customers"
	ScopeOrders      Scope = "orders"
	ScopeCreditNotes Scope = "credit-notes"
	ScopePayments    Scope = "payments"
	ScopeAll         Scope = "all"
)

// ParseScope reads a scope as typed on the command line.
func ParseScope(s string) (Scope, error) {
	switch sc := Scope(s); sc {
	case ScopeCustomers, ScopeOrders, ScopeCreditNotes, ScopePayments, ScopeAll:
		return sc, nil
	}
	return "", fmt.Errorf("unknown export %q: customers, orders, credit-notes, payments or all", s)
}

// Request is what to export.
type Request struct {
	Scope Scope
	// Since and Until limit records by the date they were added (store
	// time); zero = no limit.
	Since, Until time.Time
	// IDs limits the run to these OpenCart ids (customer ids for
	// customers, order ids otherwise, return ids are reached through their
	// orders).
	IDs []int
	// StatusIDs limits orders to these statuses; empty = the exportable
	// ones (never status 0; cancelled-like statuses only when listed in the
	// options).
	StatusIDs []int
	// OnlyFailed re-sends only records whose last attempt failed.
	OnlyFailed bool
	// DryRun maps and checks but sends nothing and needs no Xero
	// connection; every document is reported through Progress.
	DryRun bool
	// Full reads every record of the scope even when the engine reads only
	// what changed (Config.Incremental; incremental.go).
	Full bool
	// Trigger is recorded with the run: "manual", "scheduled" or
	// "command line" (the Trigger* constants, lock.go).
	Trigger string
	// LockWait is how long the run waits for another export on the
	// profile to finish before it gives up with a BusyError; 0 = 2 s.
	// (branch unattended: the scheduled task waits longer.)
	LockWait time.Duration
}

// Summary is how a run ended.
type Summary struct {
	RunID     int64
	Exported  int // documents created or updated in Xero
	Unchanged int // already exported and unchanged: nothing sent
	Failed    int // with a reason on the record
	Skipped   int // e.g. payment of a draft invoice
	// Waiting counts records not tried again because they failed the same
	// way history.WaitAfter runs in a row and nothing changed since.
	Waiting int
	// Withdrawn counts invoices voided or deleted in Xero because their
	// order was cancelled in OpenCart after export.
	Withdrawn int
	// KeptAsExported counts invoices and contacts (among Unchanged) whose
	// OpenCart record did not change but that the current settings would
	// map differently: they stay in Xero as they were exported.
	KeptAsExported int
	// Mismatches counts exported documents whose Xero total differs from
	// OpenCart's.
	Mismatches int
	APICalls   int
	Duration   time.Duration
	Cancelled  bool
	// ReferenceRead is true when the run read the organisation, accounts,
	// tax rates and currencies from Xero rather than reusing an earlier
	// run's (see Config.ReferenceMaxAge).
	ReferenceRead bool
	// RenewalsNotExported counts subscription renewals that were paid but
	// could not be exported safely (renewals.go), RenewalsNotExportedTotals
	// their amounts per currency; RenewalsNotExportedLine prints them.
	RenewalsNotExported       int
	RenewalsNotExportedTotals map[string]string
	// NotChecked says, for a dry run, what it could not check without
	// Xero (dryrun.go); empty when it checked what a real run checks.
	NotChecked []string
	// ByKind counts the documents exported (in a dry run: that would be)
	// per history kind: contact, invoice, credit note, payment.
	ByKind map[string]int
	// OrdersFrom and OrdersTo are the dates of the first and last order
	// the run took (zero when it took none).
	OrdersFrom, OrdersTo time.Time
	// counted are the documents ByKind counts (a dry run meets a contact
	// again with its order's invoice, as it records nothing).
	counted map[string]bool
	// FullRead is true when the run read every record of its scope,
	// FullReadWhy says why; otherwise it read ChangedOrders orders and
	// the customers of changed blocks (incremental.go).
	FullRead      bool
	FullReadWhy   string
	ChangedOrders int
}

// ErrBusy is returned when another export is running on the same history.
var ErrBusy = errors.New("another export is running with this profile (in the window, a scheduled run or the command line); try again when it has finished")

// ErrCancelled is returned when a run was cancelled between batches; the
// history is consistent and the next run picks up where it stopped.
var ErrCancelled = errors.New("export cancelled")
