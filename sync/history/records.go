package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Record kinds: which Xero document a record became.
const (
	KindContact    = "contact"
	KindInvoice    = "invoice"
	KindCreditNote = "credit_note"
	KindPayment    = "payment"
)

// Record states.
const (
	// StateSending is written before a record is sent, so that a crash
	// mid-call is resolved on the next run by looking the record up in Xero.
	StateSending  = "sending"
	StateExported = "exported"
	StateFailed   = "failed"
	StateSkipped  = "skipped"
	// StateChanged marks a record changed in OpenCart after export that Xero
	// would not let us update (e.g. a paid invoice), or one that needs the
	// bookkeeper for another reason given with it.
	StateChanged = "changed"
	// StateVoided marks an invoice voided in Xero because its order was
	// cancelled in OpenCart after export.
	StateVoided = "voided"
	// StateDeleted marks a draft (or awaiting approval) invoice deleted in
	// Xero because its order was cancelled in OpenCart after export.
	StateDeleted = "deleted"
)

// Record is the export state of one OpenCart record as one Xero document.
type Record struct {
	ID            int64
	Kind          string
	OpenCartID    string
	XeroID        string
	XeroNumber    string
	Currency      string
	OpenCartTotal string // decimal text in the document currency
	XeroTotal     string
	TotalsMatch   *bool // nil until compared
	State         string
	Error         string // plain-language reason when failed, skipped or changed
	ContentHash   string
	// SourceHash fingerprints the OpenCart record the document was made
	// from, as it was when the document was last sent ("" before it was
	// kept).
	SourceHash string
	// Contact is the Xero ContactNumber of the contact an invoice was sent
	// to ("" before it was kept, and for other kinds): the order's later
	// documents go to the same contact, whatever happens to the customer.
	Contact        string
	IdempotencyKey string
	// DocumentDate is the date of the document this outcome is about
	// (YYYY-MM-DD), written to the outcome's audit event only; "" when
	// there was no document (a skipped payment).
	DocumentDate string
	RunID        int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// SaveRecord inserts or updates the record keyed by (Kind, OpenCartID) and
// appends an audit event; it returns the record's id. Both happen in one
// transaction, so the history never holds a state without its event.
func (s *Store) SaveRecord(ctx context.Context, r Record) (int64, error) {
	ids, err := s.SaveRecords(ctx, []Record{r})
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}

// SaveRecords saves several records, each with its audit trail entry, in
// one transaction: all or none. It returns their ids in order.
func (s *Store) SaveRecords(ctx context.Context, rs []Record) ([]int64, error) {
	for _, r := range rs {
		if err := validateRecord(r); err != nil {
			return nil, err
		}
	}
	if len(rs) == 0 {
		return nil, nil
	}
	what := func(r Record) string {
		if len(rs) == 1 {
			return r.Kind + " " + r.OpenCartID
		}
		return fmt.Sprintf("%d records", len(rs))
	}
	now := s.stamp()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("history: save %s: %w", what(rs[0]), err)
	}
	defer tx.Rollback()
	save, event := tx.StmtContext(ctx, s.saveStmt), tx.StmtContext(ctx, s.eventStmt)
	ids := make([]int64, len(rs))
	for i, r := range rs {
		var match, run any
		if r.TotalsMatch != nil {
			match = *r.TotalsMatch
		}
		if r.RunID != 0 {
			run = r.RunID
		}
		if err := save.QueryRowContext(ctx, r.Kind, r.OpenCartID, r.XeroID, r.XeroNumber, r.Currency, r.OpenCartTotal, r.XeroTotal,
			match, r.State, r.Error, r.ContentHash, r.SourceHash, r.Contact, r.IdempotencyKey, run, now, now).Scan(&ids[i]); err != nil {
			return nil, fmt.Errorf("history: save %s %s: %w", r.Kind, r.OpenCartID, err)
		}
		if _, err := event.ExecContext(ctx, ids[i], run, now, r.State, r.Error, r.DocumentDate); err != nil {
			return nil, fmt.Errorf("history: save %s %s: %w", r.Kind, r.OpenCartID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("history: save %s: %w", what(rs[0]), err)
	}
	return ids, nil
}

const saveRecordSQL = `
INSERT INTO records (kind, opencart_id, xero_id, xero_number, currency, opencart_total, xero_total,
	totals_match, state, error, content_hash, source_hash, contact, idempotency_key, run_id, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT(kind, opencart_id) DO UPDATE SET
	xero_id = excluded.xero_id, xero_number = excluded.xero_number, currency = excluded.currency,
	opencart_total = excluded.opencart_total, xero_total = excluded.xero_total,
	totals_match = excluded.totals_match, state = excluded.state, error = excluded.error,
	content_hash = excluded.content_hash, source_hash = excluded.source_hash, contact = excluded.contact, idempotency_key = excluded.idempotency_key,
	run_id = excluded.run_id, updated_at = excluded.updated_at
RETURNING id`

const recordEventSQL = `INSERT INTO record_events (record_id, run_id, at, state, message, document_date) VALUES (?, ?, ?, ?, ?, ?)`

func validateRecord(r Record) error {
	switch r.Kind {
	case KindContact, KindInvoice, KindCreditNote, KindPayment:
	default:
		return fmt.Errorf("history: unknown record kind %q", r.Kind)
	}
	switch r.State {
	case StateSending, StateExported, StateFailed, StateSkipped, StateChanged, StateVoided, StateDeleted:
	default:
		return fmt.Errorf("history: unknown record state %q", r.State)
	}
	if strings.TrimSpace(r.OpenCartID) == "" {
		return fmt.Errorf("history: %s record without an OpenCart id", r.Kind)
	}
	return nil
}

const recordColumns = `id, kind, opencart_id, xero_id, xero_number, currency, opencart_total, xero_total,
	totals_match, state, error, content_hash, source_hash, contact, idempotency_key, run_id, created_at, updated_at`

const recordForSQL = `SELECT ` + recordColumns + ` FROM records WHERE kind = ? AND opencart_id = ?`

func scanRecord(sc interface{ Scan(...any) error }) (Record, error) {
	var r Record
	var match sql.NullBool
	var run sql.NullInt64
	var created, updated sql.NullString
	err := sc.Scan(&r.ID, &r.Kind, &r.OpenCartID, &r.XeroID, &r.XeroNumber, &r.Currency,
		&r.OpenCartTotal, &r.XeroTotal, &match, &r.State, &r.Error, &r.ContentHash, &r.SourceHash,
		&r.Contact, &r.IdempotencyKey, &run, &created, &updated)
	if match.Valid {
		m := match.Bool
		r.TotalsMatch = &m
	}
	r.RunID = run.Int64
	r.CreatedAt, r.UpdatedAt = parseStamp(created), parseStamp(updated)
	return r, err
}

// RecordFor returns the record of one OpenCart id as one kind of document.
func (s *Store) RecordFor(ctx context.Context, kind, openCartID string) (Record, error) {
	r, err := scanRecord(s.recordForStmt.QueryRowContext(ctx, kind, openCartID))
	if errors.Is(err, sql.ErrNoRows) {
		return Record{}, ErrNotFound
	}
	if err != nil {
		return Record{}, fmt.Errorf("history: read %s %s: %w", kind, openCartID, err)
	}
	return r, nil
}

// KeepSource fills in the source fingerprint of a record that has none
// (one written before it was kept), leaving everything else as it is. No
// audit event: nothing happened to the document. It reports whether the
// record was filled in; a record that has a fingerprint keeps it.
func (s *Store) KeepSource(ctx context.Context, kind, openCartID, source string) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE records SET source_hash = ? WHERE kind = ? AND opencart_id = ? AND source_hash = ''`, source, kind, openCartID)
	if err != nil {
		return false, fmt.Errorf("history: keep the source of %s %s: %w", kind, openCartID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("history: keep the source of %s %s: %w", kind, openCartID, err)
	}
	return n == 1, nil
}

// RecordsFor returns the records of these OpenCart ids as one kind of
// document, by OpenCart id; ids never exported are absent. One query, for a
// page of a list.
func (s *Store) RecordsFor(ctx context.Context, kind string, openCartIDs []string) (map[string]Record, error) {
	out := make(map[string]Record, len(openCartIDs))
	if len(openCartIDs) == 0 {
		return out, nil
	}
	args := []any{kind}
	for _, id := range openCartIDs {
		args = append(args, id)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+recordColumns+` FROM records WHERE kind = ? AND opencart_id IN (?`+
		strings.Repeat(",?", len(openCartIDs)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("history: read %s records: %w", kind, err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("history: read %s records: %w", kind, err)
		}
		out[r.OpenCartID] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history: read %s records: %w", kind, err)
	}
	return out, nil
}

// RecordFilter selects records; zero fields do not filter.
type RecordFilter struct {
	Kind   string
	States []string
	RunID  int64
	// AfterID takes only records with a greater id: the next page of a long
	// list after the last id of the previous one.
	AfterID int64
	Limit   int // 0 = no limit
	Offset  int
}

// Records lists records, oldest first.
func (s *Store) Records(ctx context.Context, f RecordFilter) ([]Record, error) {
	where, args := []string{"1=1"}, []any{}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, f.Kind)
	}
	if len(f.States) > 0 {
		where = append(where, "state IN (?"+strings.Repeat(",?", len(f.States)-1)+")")
		for _, st := range f.States {
			args = append(args, st)
		}
	}
	if f.RunID != 0 {
		where = append(where, "id IN (SELECT record_id FROM record_events WHERE run_id = ?)")
		args = append(args, f.RunID)
	}
	if f.AfterID != 0 {
		where, args = append(where, "id > ?"), append(args, f.AfterID)
	}
	q := `SELECT ` + recordColumns + ` FROM records WHERE ` + strings.Join(where, " AND ") + ` ORDER BY id`
	if f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, f.Offset)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("history: list records: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("history: list records: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history: list records: %w", err)
	}
	return out, nil
}

// Event is one entry of a record's audit trail.
type Event struct {
	RecordID int64
	RunID    int64
	At       time.Time
	State    string
	Message  string
	// DocumentDate is the document's date (YYYY-MM-DD) as of this
	// outcome; "" for events without a document or written before it was kept.
	DocumentDate string
}

// Events returns a record's audit trail, oldest first.
func (s *Store) Events(ctx context.Context, recordID int64) ([]Event, error) {
	rows, err := s.db.QueryContext(ctx,
		`SELECT record_id, run_id, at, state, message, document_date FROM record_events WHERE record_id = ? ORDER BY id`, recordID)
	if err != nil {
		return nil, fmt.Errorf("history: list events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var run sql.NullInt64
		var at sql.NullString
		if err := rows.Scan(&e.RecordID, &run, &at, &e.State, &e.Message, &e.DocumentDate); err != nil {
			return nil, fmt.Errorf("history: list events: %w", err)
		}
		e.RunID, e.At = run.Int64, parseStamp(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history: list events: %w", err)
	}
	return out, nil
}

// ContactNamesHeld finds which of these names exported contacts hold in
// Xero (the name Xero holds, compared without regard to ASCII case): the
// contact number holding each, by the name as Xero holds it.
func (s *Store) ContactNamesHeld(ctx context.Context, names []string) (map[string]string, error) {
	out := map[string]string{}
	if len(names) == 0 {
		return out, nil
	}
	args := []any{KindContact, StateExported}
	for _, n := range names {
		args = append(args, strings.ToLower(n))
	}
	rows, err := s.db.QueryContext(ctx, `SELECT contact, opencart_id FROM records WHERE kind = ? AND state = ? AND xero_id != '' AND lower(contact) IN (?`+
		strings.Repeat(",?", len(names)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("history: read contact names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, key string
		if err := rows.Scan(&name, &key); err != nil {
			return nil, fmt.Errorf("history: read contact names: %w", err)
		}
		out[name] = key
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history: read contact names: %w", err)
	}
	return out, nil
}
