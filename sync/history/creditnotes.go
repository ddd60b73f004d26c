package history

import (
	"context"
	"fmt"
	"strings"
)

// CreditNote is what the history keeps of a credit note sent to Xero
// besides its record: the lines it credits (JSON, as sent), its treatment
// and whether its money (allocation to the invoice, refund payment) is
// still to be done.
type CreditNote struct {
	OpenCartID string // the key of its record (RefundKey, ReturnKey)
	OrderID    int
	Lines      string
	Treatment  string
	MoneyDue   bool
}

// SaveCreditNote inserts or replaces what is kept of a credit note.
func (s *Store) SaveCreditNote(ctx context.Context, c CreditNote) error {
	if strings.TrimSpace(c.OpenCartID) == "" {
		return fmt.Errorf("history: credit note without an OpenCart id")
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO credit_notes (opencart_id, order_id, lines, treatment, money_due) VALUES (?, ?, ?, ?, ?)
ON CONFLICT(opencart_id) DO UPDATE SET order_id = excluded.order_id, lines = excluded.lines, treatment = excluded.treatment, money_due = excluded.money_due`,
		c.OpenCartID, c.OrderID, c.Lines, c.Treatment, c.MoneyDue)
	if err != nil {
		return fmt.Errorf("history: save credit note %s: %w", c.OpenCartID, err)
	}
	return nil
}

// CreditNotesOf reads what is kept of the credit notes of these orders,
// by record key.
func (s *Store) CreditNotesOf(ctx context.Context, orderIDs []int) (map[string]CreditNote, error) {
	out := map[string]CreditNote{}
	if len(orderIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(orderIDs))
	for i, id := range orderIDs {
		args[i] = id
	}
	rows, err := s.db.QueryContext(ctx, `SELECT opencart_id, order_id, lines, treatment, money_due FROM credit_notes WHERE order_id IN (?`+
		strings.Repeat(",?", len(orderIDs)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("history: read credit notes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c CreditNote
		if err := rows.Scan(&c.OpenCartID, &c.OrderID, &c.Lines, &c.Treatment, &c.MoneyDue); err != nil {
			return nil, fmt.Errorf("history: read credit notes: %w", err)
		}
		out[c.OpenCartID] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history: read credit notes: %w", err)
	}
	return out, nil
}
