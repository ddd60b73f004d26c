package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Run states.
const (
	RunRunning   = "running"
	RunDone      = "done"
	RunFailed    = "failed"
	RunCancelled = "cancelled"
)

// Run is one export run: what it covered and how it ended.
type Run struct {
	ID         int64
	StartedAt  time.Time
	FinishedAt time.Time // zero while running
	Scope      string    // customers, orders, credit-notes, payments, all
	Trigger    string    // manual, scheduled, command line, scheduled task (export.Trigger*)
	DryRun     bool
	State      string
	Exported   int
	Failed     int
	Skipped    int
	APICalls   int
	Error      string
}

// Duration is how long the run took (or has taken so far).
func (r Run) Duration() time.Duration {
	if r.FinishedAt.IsZero() {
		return time.Since(r.StartedAt)
	}
	return r.FinishedAt.Sub(r.StartedAt)
}

// StartRun records the start of a run and returns its id.
func (s *Store) StartRun(ctx context.Context, scope, trigger string, dryRun bool) (int64, error) {
	res, err := s.db.ExecContext(ctx,
		`INSERT INTO runs (started_at, scope, trigger, dry_run) VALUES (?, ?, ?, ?)`,
		s.stamp(), scope, trigger, dryRun)
	if err != nil {
		return 0, fmt.Errorf("history: start run: %w", err)
	}
	return res.LastInsertId()
}

// FinishRun records how a run ended, with its counts.
func (s *Store) FinishRun(ctx context.Context, r Run) error {
	switch r.State {
	case RunDone, RunFailed, RunCancelled:
	default:
		return fmt.Errorf("history: finish run %d: state %q is not final", r.ID, r.State)
	}
	res, err := s.db.ExecContext(ctx, `
UPDATE runs SET finished_at = ?, state = ?, exported = ?, failed = ?, skipped = ?, api_calls = ?, error = ?
WHERE id = ?`, s.stamp(), r.State, r.Exported, r.Failed, r.Skipped, r.APICalls, r.Error, r.ID)
	if err != nil {
		return fmt.Errorf("history: finish run %d: %w", r.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("history: finish run %d: %w", r.ID, ErrNotFound)
	}
	return nil
}

const runColumns = `id, started_at, finished_at, scope, trigger, dry_run, state, exported, failed, skipped, api_calls, error`

func scanRun(sc interface{ Scan(...any) error }) (Run, error) {
	var r Run
	var started, finished sql.NullString
	err := sc.Scan(&r.ID, &started, &finished, &r.Scope, &r.Trigger, &r.DryRun, &r.State,
		&r.Exported, &r.Failed, &r.Skipped, &r.APICalls, &r.Error)
	r.StartedAt, r.FinishedAt = parseStamp(started), parseStamp(finished)
	return r, err
}

// RunByID returns one run.
func (s *Store) RunByID(ctx context.Context, id int64) (Run, error) {
	r, err := scanRun(s.db.QueryRowContext(ctx, `SELECT `+runColumns+` FROM runs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, ErrNotFound
	}
	if err != nil {
		return Run{}, fmt.Errorf("history: read run %d: %w", id, err)
	}
	return r, nil
}

// Runs returns the newest runs first, at most limit of them.
func (s *Store) Runs(ctx context.Context, limit int) ([]Run, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+runColumns+` FROM runs ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("history: list runs: %w", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("history: list runs: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history: list runs: %w", err)
	}
	return out, nil
}
