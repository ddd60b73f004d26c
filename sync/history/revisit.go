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

// Unfinished lists the records that need work whatever the shop says, and
// the credit notes run touchedSince or a later run (0: none) saved: the
// refunds ledger may take more than one run (a credit note withdrawn in
// one run is reissued for the rest in the next), so such an order is read
// again by the next run, until a run finds nothing left to do for it.
func (s *Store) Unfinished(ctx context.Context, touchedSince int64) (Unfinished, error) {
	var u Unfinished
	rows, err := s.db.QueryContext(ctx, `
SELECT kind, opencart_id FROM records
WHERE kind IN (?, ?, ?, ?) AND state IN (?, ?)
UNION
SELECT ?, opencart_id FROM credit_notes WHERE money_due = 1
UNION
SELECT kind, opencart_id FROM records WHERE ? > 0 AND run_id >= ? AND kind = ?`,
		KindContact, KindInvoice, KindPayment, KindCreditNote, StateFailed, StateSending, KindCreditNote,
		touchedSince, touchedSince, KindCreditNote)
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

// CreditedReturns are the returns a credit note in Xero credits (their
// credit note record exported), with their order.
func (s *Store) CreditedReturns(ctx context.Context) (map[int]int, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT c.opencart_id, c.order_id FROM credit_notes c
JOIN records r ON r.kind = ? AND r.opencart_id = c.opencart_id
WHERE r.state = ?`, KindCreditNote, StateExported)
	if err != nil {
		return nil, fmt.Errorf("history: credited returns: %w", err)
	}
	defer rows.Close()
	out := map[int]int{}
	for rows.Next() {
		var key string
		var order int
		if err := rows.Scan(&key, &order); err != nil {
			return nil, fmt.Errorf("history: credited returns: %w", err)
		}
		if k, ok := ParseKey(key); ok && k.ReturnID > 0 {
			out[k.ReturnID] = order
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history: credited returns: %w", err)
	}
	return out, nil
}
