package history

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations bring the schema up to date. Order is important: add new
// migrations at the end of the list, never edit one that has shipped.
var migrations = []func(tx *sql.Tx) error{
	func(tx *sql.Tx) error {
		_, err := tx.Exec(`
CREATE TABLE settings (
	key        TEXT PRIMARY KEY,
	value      TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE TABLE runs (
	id          INTEGER PRIMARY KEY,
	started_at  TEXT NOT NULL,
	finished_at TEXT,
	scope       TEXT NOT NULL,            -- customers, orders, credit-notes, payments, all
	trigger     TEXT NOT NULL DEFAULT 'manual', -- manual, scheduled, command line
	dry_run     INTEGER NOT NULL DEFAULT 0,
	state       TEXT NOT NULL DEFAULT 'running'
	            CHECK (state IN ('running','done','failed','cancelled')),
	exported    INTEGER NOT NULL DEFAULT 0,
	failed      INTEGER NOT NULL DEFAULT 0,
	skipped     INTEGER NOT NULL DEFAULT 0,
	api_calls   INTEGER NOT NULL DEFAULT 0,
	error       TEXT NOT NULL DEFAULT ''
);
CREATE TABLE records (
	id              INTEGER PRIMARY KEY,
	kind            TEXT NOT NULL
	                CHECK (kind IN ('contact','invoice','credit_note','payment')),
	opencart_id     TEXT NOT NULL,        -- customer_id, order_id, return_id, or a guest's e-mail key
	xero_id         TEXT NOT NULL DEFAULT '',
	xero_number     TEXT NOT NULL DEFAULT '',
	currency        TEXT NOT NULL DEFAULT '',
	opencart_total  TEXT NOT NULL DEFAULT '', -- decimal text, never a float
	xero_total      TEXT NOT NULL DEFAULT '',
	totals_match    INTEGER,              -- NULL: not compared yet
	state           TEXT NOT NULL
	                CHECK (state IN ('sending','exported','failed','skipped','changed')),
	error           TEXT NOT NULL DEFAULT '',
	content_hash    TEXT NOT NULL DEFAULT '',
	idempotency_key TEXT NOT NULL DEFAULT '',
	run_id          INTEGER REFERENCES runs(id) ON DELETE SET NULL,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	UNIQUE (kind, opencart_id)
);
CREATE INDEX records_state ON records(kind, state);
CREATE INDEX records_run ON records(run_id);
-- The audit trail: every state a record went through, in every run.
CREATE TABLE record_events (
	id         INTEGER PRIMARY KEY,
	record_id  INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
	run_id     INTEGER REFERENCES runs(id) ON DELETE SET NULL,
	at         TEXT NOT NULL,
	state      TEXT NOT NULL,
	message    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX record_events_record ON record_events(record_id);
CREATE INDEX record_events_run ON record_events(run_id);
`)
		return err
	},
	// 2: invoices voided or deleted in Xero because their order was
	// cancelled in OpenCart get states of their own. SQLite cannot change a
	// CHECK constraint in place, so both record tables are copied into new
	// ones (same columns, same ids; the audit trail stays attached because
	// it is copied before the old tables go) and the indexes are rebuilt.
	func(tx *sql.Tx) error {
		_, err := tx.Exec(`
CREATE TABLE records_v2 (
	id              INTEGER PRIMARY KEY,
	kind            TEXT NOT NULL
	                CHECK (kind IN ('contact','invoice','credit_note','payment')),
	opencart_id     TEXT NOT NULL,
	xero_id         TEXT NOT NULL DEFAULT '',
	xero_number     TEXT NOT NULL DEFAULT '',
	currency        TEXT NOT NULL DEFAULT '',
	opencart_total  TEXT NOT NULL DEFAULT '',
	xero_total      TEXT NOT NULL DEFAULT '',
	totals_match    INTEGER,
	state           TEXT NOT NULL
	                CHECK (state IN ('sending','exported','failed','skipped','changed','voided','deleted')),
	error           TEXT NOT NULL DEFAULT '',
	content_hash    TEXT NOT NULL DEFAULT '',
	idempotency_key TEXT NOT NULL DEFAULT '',
	run_id          INTEGER REFERENCES runs(id) ON DELETE SET NULL,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	UNIQUE (kind, opencart_id)
);
INSERT INTO records_v2 (id, kind, opencart_id, xero_id, xero_number, currency, opencart_total, xero_total,
	totals_match, state, error, content_hash, idempotency_key, run_id, created_at, updated_at)
SELECT id, kind, opencart_id, xero_id, xero_number, currency, opencart_total, xero_total,
	totals_match, state, error, content_hash, idempotency_key, run_id, created_at, updated_at FROM records;
CREATE TABLE record_events_v2 (
	id         INTEGER PRIMARY KEY,
	record_id  INTEGER NOT NULL REFERENCES records_v2(id) ON DELETE CASCADE,
	run_id     INTEGER REFERENCES runs(id) ON DELETE SET NULL,
	at         TEXT NOT NULL,
	state      TEXT NOT NULL,
	message    TEXT NOT NULL DEFAULT ''
);
INSERT INTO record_events_v2 (id, record_id, run_id, at, state, message)
SELECT id, record_id, run_id, at, state, message FROM record_events;
DROP TABLE record_events;
DROP TABLE records;
-- Renaming also points record_events_v2's foreign key at "records".
ALTER TABLE records_v2 RENAME TO records;
ALTER TABLE record_events_v2 RENAME TO record_events;
CREATE INDEX records_state ON records(kind, state);
CREATE INDEX records_run ON records(run_id);
CREATE INDEX record_events_record ON record_events(record_id);
CREATE INDEX record_events_run ON record_events(run_id);
`)
		return err
	},
	// 3: the fingerprint of the OpenCart record a document was made from,
	// so that a change of settings alone does not rewrite exported
	// documents.
	func(tx *sql.Tx) error {
		_, err := tx.Exec(`ALTER TABLE records ADD COLUMN source_hash TEXT NOT NULL DEFAULT ''`)
		return err
	},
	// 4: what each credit note credits (its lines as sent) and whether its
	// allocation or refund payment is still to do, so that the refunds
	// ledger compares what the shop gave back with what Xero holds without
	// reading every credit note back from Xero on every run.
	func(tx *sql.Tx) error {
		_, err := tx.Exec(`
CREATE TABLE credit_notes (
	opencart_id TEXT PRIMARY KEY,          -- the credit note record's key (RefundKey, ReturnKey)
	order_id    INTEGER NOT NULL,          -- the order it credits
	lines       TEXT NOT NULL,             -- its lines as sent, JSON
	treatment   TEXT NOT NULL DEFAULT '',  -- cash or store_credit
	money_due   INTEGER NOT NULL DEFAULT 0 -- 1 while its allocation or refund payment is to do
);
CREATE INDEX credit_notes_order ON credit_notes(order_id);`)
		return err
	},
	// 5: the contact an invoice was sent to, so that an order's documents
	// stay on it when the customer is deleted or renamed in OpenCart.
	func(tx *sql.Tx) error {
		_, err := tx.Exec(`ALTER TABLE records ADD COLUMN contact TEXT NOT NULL DEFAULT ''`)
		return err
	},
	// 6: the failure streak of a record that keeps failing
	// the same way, so that it waits for a change instead of costing calls
	// on every run (streaks.go).
	func(tx *sql.Tx) error {
		_, err := tx.Exec(`
CREATE TABLE failure_streaks (
	kind        TEXT NOT NULL,
	opencart_id TEXT NOT NULL,
	reason      TEXT NOT NULL,             -- the failure as first worded
	print       TEXT NOT NULL,             -- what was tried: the document, the settings, Xero's reference
	count       INTEGER NOT NULL,          -- runs in a row that failed this way
	since       TEXT NOT NULL,
	PRIMARY KEY (kind, opencart_id)
);`)
		return err
	},
	// 7: differences of a reconciliation the bookkeeper
	// accepted as Xero has them, so that they are not reported again while
	// Xero's total stays the same.
	func(tx *sql.Tx) error {
		_, err := tx.Exec(`
CREATE TABLE accepted_differences (
	kind        TEXT NOT NULL,             -- invoice or credit_note
	number      TEXT NOT NULL,             -- the document's number in Xero
	problem     TEXT NOT NULL,             -- the reconcile problem, e.g. total_differs
	xero_total  TEXT NOT NULL DEFAULT '',  -- Xero's total when accepted
	opencart_id TEXT NOT NULL DEFAULT '',
	at          TEXT NOT NULL,
	PRIMARY KEY (kind, number, problem)
);`)
		return err
	},
	// 8: the date of the document an outcome was about (an invoice's or
	// credit note's date, a payment's), for the audit file; events written
	// before it have none ('').
	func(tx *sql.Tx) error {
		_, err := tx.Exec(`ALTER TABLE record_events ADD COLUMN document_date TEXT NOT NULL DEFAULT ''`)
		return err
	},
}

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("history: create schema_version: %w", err)
	}
	for {
		done, err := s.migrateOne(ctx)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

// migrateOne applies the next pending migration in its own transaction and
// reports whether the schema was already current.
func (s *Store) migrateOne(ctx context.Context) (bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("history: begin migration: %w", err)
	}
	defer tx.Rollback()
	var version int
	err = tx.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&version)
	switch {
	case err == sql.ErrNoRows:
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (0)`); err != nil {
			return false, fmt.Errorf("history: init schema_version: %w", err)
		}
	case err != nil:
		return false, fmt.Errorf("history: read schema_version: %w", err)
	}
	if version > len(migrations) {
		return false, fmt.Errorf("history: database schema %d is newer than this program (%d); update opencart-xero", version, len(migrations))
	}
	if version == len(migrations) {
		return true, tx.Commit()
	}
	if err := migrations[version](tx); err != nil {
		return false, fmt.Errorf("history: migration %d: %w", version+1, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, version+1); err != nil {
		return false, fmt.Errorf("history: migration %d: %w", version+1, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("history: migration %d: %w", version+1, err)
	}
	return false, nil
}
