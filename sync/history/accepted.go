package history

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Accepted is a difference of a reconciliation the bookkeeper accepted as
// Xero has it: the same problem with the same document (and Xero's same
// total) is not reported again.
type Accepted struct {
	Kind       string
	Number     string
	Problem    string
	XeroTotal  string
	OpenCartID string
	At         time.Time
}

// Accept remembers an accepted difference (again, when Xero's total
// changed since it was last accepted).
func (s *Store) Accept(ctx context.Context, a Accepted) error {
	if strings.TrimSpace(a.Kind) == "" || strings.TrimSpace(a.Number) == "" || strings.TrimSpace(a.Problem) == "" {
		return fmt.Errorf("history: an accepted difference needs its kind, number and problem")
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO accepted_differences (kind, number, problem, xero_total, opencart_id, at) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT(kind, number, problem) DO UPDATE SET xero_total = excluded.xero_total, opencart_id = excluded.opencart_id, at = excluded.at`,
		a.Kind, strings.ToUpper(a.Number), a.Problem, a.XeroTotal, a.OpenCartID, s.stamp())
	if err != nil {
		return fmt.Errorf("history: accept %s %s: %w", a.Kind, a.Number, err)
	}
	return nil
}

// AcceptedDifferences lists the accepted differences.
func (s *Store) AcceptedDifferences(ctx context.Context) ([]Accepted, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT kind, number, problem, xero_total, opencart_id, at FROM accepted_differences ORDER BY at`)
	if err != nil {
		return nil, fmt.Errorf("history: read accepted differences: %w", err)
	}
	defer rows.Close()
	var out []Accepted
	for rows.Next() {
		var a Accepted
		var at sql.NullString
		if err := rows.Scan(&a.Kind, &a.Number, &a.Problem, &a.XeroTotal, &a.OpenCartID, &at); err != nil {
			return nil, fmt.Errorf("history: read accepted differences: %w", err)
		}
		a.At = parseStamp(at)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history: read accepted differences: %w", err)
	}
	return out, nil
}
