package history

import (
	"context"
	"fmt"
)

// Unfinished are the records a run that reads only what changed must read
// again although nothing changed in the shop: their last attempt failed,
// was interrupted ("sending"), or a credit note's allocation or refund
// payment is still to do. Skipped records are not among them: every
// unpaid order has a skipped payment, and reading them all again would
// make every run read the whole shop; the one skip that can end without a
// change in the shop (a payment waiting for its invoice to be approved in
// Xero) is taken up by the daily full read.
type Unfinished struct {
	// OrderIDs are orders whose invoice, payment or credit note needs work.
	OrderIDs []int
	// ReturnIDs are returns whose credit note needs work.
	ReturnIDs []int
	// Contacts are the ContactNumbers of contacts whose last attempt
	// failed or was interrupted.
	Contacts []string
}

// Unfinished lists the records that need work whatever the shop says.
func (s *Store) Unfinished(ctx context.Context) (Unfinished, error) {
	var u Unfinished
	rows, err := s.db.QueryContext(ctx, `
SELECT kind, opencart_id FROM records
WHERE kind IN (?, ?, ?, ?) AND state IN (?, ?)
UNION
SELECT ?, opencart_id FROM credit_notes WHERE money_due = 1`,
		KindContact, KindInvoice, KindPayment, KindCreditNote, StateFailed, StateSending, KindCreditNote)
	if err != nil {
		return u, fmt.Errorf("history: unfinished records: %w", err)
	}
	defer rows.Close()
	seenOrder, seenReturn := map[int]bool{}, map[int]bool{}
	for rows.Next() {
		var kind, key string
		if err := rows.Scan(&kind, &key); err != nil {
			return u, fmt.Errorf("history: unfinished records: %w", err)
		}
		if kind == KindContact {
			u.Contacts = append(u.Contacts, key)
			continue
		}
		k, ok := ParseKey(key)
		switch {
		case !ok:
		case k.ReturnID > 0 && !seenReturn[k.ReturnID]:
			seenReturn[k.ReturnID] = true
			u.ReturnIDs = append(u.ReturnIDs, k.ReturnID)
		case k.OrderID > 0 && !seenOrder[k.OrderID]:
			seenOrder[k.OrderID] = true
			u.OrderIDs = append(u.OrderIDs, k.OrderID)
		}
	}
	if err := rows.Err(); err != nil {
		return u, fmt.Errorf("history: unfinished records: %w", err)
	}
	return u, nil
}
