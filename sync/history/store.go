// Package history is the local SQLite store of opencart-xero: settings, export
// runs, and one row per exported record with both totals, its state and the
// plain-language reason when it failed.
package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("history: not found")

// Store wraps the history database.
type Store struct {
	db  *sql.DB
	now func() time.Time
	// Statements an export runs for every record, prepared once: parsing
	// them again each time cost more than the writes themselves.
	saveStmt, eventStmt, recordForStmt *sql.Stmt
}

// Open opens (creating if needed) the history database at path and brings
// its schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	// The history holds customers' names, e-mails and amounts: only the
	// user may read it. SQLite gives its -wal and -shm files the same mode.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("history: open %s: %w", path, err)
	}
	f.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		return nil, fmt.Errorf("history: open %s: %w", path, err)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("history: open %s: %w", path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("history: open %s: %w", path, err)
	}
	s := &Store{db: db, now: time.Now}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	for _, st := range []struct {
		into **sql.Stmt
		sql  string
	}{{&s.saveStmt, saveRecordSQL}, {&s.eventStmt, recordEventSQL}, {&s.recordForStmt, recordForSQL}} {
		if *st.into, err = db.PrepareContext(ctx, st.sql); err != nil {
			s.Close()
			return nil, fmt.Errorf("history: open %s: %w", path, err)
		}
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	for _, st := range []*sql.Stmt{s.saveStmt, s.eventStmt, s.recordForStmt} {
		if st != nil {
			st.Close()
		}
	}
	return s.db.Close()
}

// SchemaVersion reports the number of migrations applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("history: read schema version: %w", err)
	}
	return v, nil
}

func (s *Store) stamp() string { return s.now().UTC().Format(time.RFC3339Nano) }

func parseStamp(v sql.NullString) time.Time {
	if !v.Valid || v.String == "" {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, v.String)
	return t
}
