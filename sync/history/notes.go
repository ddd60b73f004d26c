package history

import (
	"context"
	"fmt"
)

// AddNote appends a note to a record's audit trail without changing the
// record (e.g. "dated on the first open day": the document was sent, with
// something the bookkeeper should know). A record not yet saved has no
// trail: the note is then dropped and ErrNotFound returned.
func (s *Store) AddNote(ctx context.Context, kind, openCartID string, runID int64, message string) error {
	var run any
	if runID != 0 {
		run = runID
	}
	// The note is about the document of the record's latest outcome: it
	// carries that outcome's document date.
	res, err := s.db.ExecContext(ctx, `INSERT INTO record_events (record_id, run_id, at, state, message, document_date)
SELECT id, ?, ?, state, ?, COALESCE((SELECT e.document_date FROM record_events e WHERE e.record_id = records.id ORDER BY e.id DESC LIMIT 1), '')
FROM records WHERE kind = ? AND opencart_id = ?`, run, s.stamp(), message, kind, openCartID)
	if err != nil {
		return fmt.Errorf("history: note on %s %s: %w", kind, openCartID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}
