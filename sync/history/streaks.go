package history

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// A failure streak counts the runs in a row in which a record failed the
// same way: the same reason, for the same attempt (its print: the
// document, the settings it was made with, Xero's reference). The export
// lets a record whose streak reached WaitAfter wait until its print
// changes or someone retries it by hand, so that a record Xero refuses for
// a reason no run can change costs nothing on every run (issue 12).

// WaitAfter is how many runs in a row a record fails the same way before
// it waits for a change.
const WaitAfter = 3

// WaitingPrefix starts the reason of a failed record that waits for a
// change (the export writes it once the streak reaches WaitAfter).
const WaitingPrefix = "waiting: "

// ShownState is a record's state as lists show it: "waiting" for a failed
// record that waits for a change, else its state.
func ShownState(r Record) string {
	if r.State == StateFailed && strings.HasPrefix(r.Error, WaitingPrefix) {
		return "waiting"
	}
	return r.State
}

// Streak is a record's current failure streak.
type Streak struct {
	Kind, OpenCartID string
	Reason           string
	Print            string
	Count            int
	Since            time.Time
}

// Waiting reports whether the streak makes its record wait while its
// print is print.
func (s Streak) Waiting(print string) bool {
	return s.Count >= WaitAfter && s.Print == print
}

// Streaks reads the streaks of these records of one kind, by OpenCart id.
func (s *Store) Streaks(ctx context.Context, kind string, openCartIDs []string) (map[string]Streak, error) {
	out := map[string]Streak{}
	if len(openCartIDs) == 0 {
		return out, nil
	}
	args := []any{kind}
	for _, id := range openCartIDs {
		args = append(args, id)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT kind, opencart_id, reason, print, count, since FROM failure_streaks WHERE kind = ? AND opencart_id IN (?`+
		strings.Repeat(",?", len(openCartIDs)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("history: read failure streaks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st Streak
		var since sql.NullString
		if err := rows.Scan(&st.Kind, &st.OpenCartID, &st.Reason, &st.Print, &st.Count, &since); err != nil {
			return nil, fmt.Errorf("history: read failure streaks: %w", err)
		}
		st.Since = parseStamp(since)
		out[st.OpenCartID] = st
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history: read failure streaks: %w", err)
	}
	return out, nil
}

// CountFailure adds a failure to a record's streak and returns the
// streak: one more when the record failed the same way (reason and print)
// last time, a new streak of one otherwise.
func (s *Store) CountFailure(ctx context.Context, kind, openCartID, reason, print string) (Streak, error) {
	st := Streak{Kind: kind, OpenCartID: openCartID, Reason: reason, Print: print, Count: 1}
	old, err := s.Streaks(ctx, kind, []string{openCartID})
	if err != nil {
		return st, err
	}
	now := s.stamp()
	if o, ok := old[openCartID]; ok && o.Reason == reason && o.Print == print {
		st.Count, st.Since = o.Count+1, o.Since
		now = o.Since.UTC().Format(time.RFC3339Nano)
	} else {
		st.Since = parseStamp(sql.NullString{String: now, Valid: true})
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO failure_streaks (kind, opencart_id, reason, print, count, since) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT(kind, opencart_id) DO UPDATE SET reason = excluded.reason, print = excluded.print, count = excluded.count, since = excluded.since`,
		kind, openCartID, reason, print, st.Count, now)
	if err != nil {
		return st, fmt.Errorf("history: save failure streak of %s %s: %w", kind, openCartID, err)
	}
	return st, nil
}

// EndStreak forgets a record's failure streak (it no longer fails).
func (s *Store) EndStreak(ctx context.Context, kind, openCartID string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM failure_streaks WHERE kind = ? AND opencart_id = ?`, kind, openCartID); err != nil {
		return fmt.Errorf("history: end failure streak of %s %s: %w", kind, openCartID, err)
	}
	return nil
}
