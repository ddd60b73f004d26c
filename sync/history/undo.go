package history

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// EventsOfRun returns the whole audit trail, oldest first, of every record
// the run touched, by record id: what undoing a run reads to tell the
// documents the run created from those it only updated.
func (s *Store) EventsOfRun(ctx context.Context, runID int64) (map[int64][]Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT record_id, run_id, at, state, message FROM record_events
WHERE record_id IN (SELECT record_id FROM record_events WHERE run_id = ?) ORDER BY id`, runID)
	if err != nil {
		return nil, fmt.Errorf("history: events of run %d: %w", runID, err)
	}
	defer rows.Close()
	out := map[int64][]Event{}
	for rows.Next() {
		var e Event
		var run sql.NullInt64
		var at sql.NullString
		if err := rows.Scan(&e.RecordID, &run, &at, &e.State, &e.Message); err != nil {
			return nil, fmt.Errorf("history: events of run %d: %w", runID, err)
		}
		e.RunID, e.At = run.Int64, parseStamp(at)
		out[e.RecordID] = append(out[e.RecordID], e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history: events of run %d: %w", runID, err)
	}
	return out, nil
}

// CreditNoteOrders returns the order of each of these credit note keys
// the history keeps lines for (a return's key does not name its order).
func (s *Store) CreditNoteOrders(ctx context.Context, keys []string) (map[string]int, error) {
	out := map[string]int{}
	for start := 0; start < len(keys); start += 500 {
		part := keys[start:min(start+500, len(keys))]
		args := make([]any, len(part))
		for i, k := range part {
			args[i] = k
		}
		rows, err := s.db.QueryContext(ctx, `SELECT opencart_id, order_id FROM credit_notes WHERE opencart_id IN (?`+
			strings.Repeat(",?", len(part)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("history: read credit notes: %w", err)
		}
		for rows.Next() {
			var k string
			var id int
			if err := rows.Scan(&k, &id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("history: read credit notes: %w", err)
			}
			out[k] = id
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("history: read credit notes: %w", err)
		}
	}
	return out, nil
}
