package opencart

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shopspring/decimal"
)

// StoreCredit is the store credit the shop's customer_transaction table
// holds beyond what checkout itself wrote. OpenCart writes a negative
// entry, linked to its order, when a customer spends credit at checkout
// (that spending is the order's "credit" total line, which the invoice
// carries). Positive entries come from elsewhere and none of them says
// which sale it gives money back on: credit an administrator gave by hand
// (Customers › Customers › Transaction; OpenCart stores no order with it),
// and entries linked to an order, which OpenCart 4 writes for an
// affiliate's commission on that order and extensions write for their own
// reasons. The exporter sends none of them to Xero (docs/OPENCART.md §6).
type StoreCredit struct {
	// ByHand counts the positive entries with no order, and their sum in
	// the shop's base currency.
	ByHand      int             `json:"by_hand"`
	ByHandTotal decimal.Decimal `json:"by_hand_total"`
	// Linked counts the positive entries linked to an order.
	Linked      int             `json:"linked_to_orders"`
	LinkedTotal decimal.Decimal `json:"linked_to_orders_total"`
}

// storeCredit reads the positive customer_transaction entries; nil when
// the table is absent or holds none.
func (r *Reader) storeCredit(ctx context.Context) (*StoreCredit, error) {
	if !r.schema.HasTable("customer_transaction") || !r.schema.HasColumn("customer_transaction", "amount") {
		return nil, nil
	}
	order := r.schema.col("ct", "customer_transaction", "order_id")
	q := "SELECT COALESCE(" + order + ", 0) > 0, COUNT(*), COALESCE(SUM(ct.`amount`), 0) FROM " + r.t("customer_transaction") +
		" ct WHERE ct.`amount` > 0 GROUP BY 1"
	var sc StoreCredit
	err := r.each(ctx, q, nil, func(rows *sql.Rows) error {
		var linked bool
		var n int
		var sum decimal.Decimal
		if err := rows.Scan(boolOf{&linked}, &n, decimalOf{&sum}); err != nil {
			return err
		}
		if linked {
			sc.Linked, sc.LinkedTotal = n, sum
		} else {
			sc.ByHand, sc.ByHandTotal = n, sum
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("opencart: reading store credit (customer_transaction): %w", err)
	}
	if sc.ByHand == 0 && sc.Linked == 0 {
		return nil, nil
	}
	return &sc, nil
}

// storeCreditWarnings says what the exporter does with store credit it
// cannot place on a sale.
func storeCreditWarnings(sc *StoreCredit, currency string) []string {
	if sc == nil {
		return nil
	}
	var w []string
	if sc.ByHand > 0 {
		w = append(w, fmt.Sprintf("%d store credit %s given by hand (Customers › Transaction, %s %s in all) name no order, so none is exported: "+
			"the credit a return gives reaches Xero through the return's action (e.g. Credit Issued); credit given for any other reason needs a credit note or journal in Xero, "+
			"or Xero's store credit account runs short when the customer spends it",
			sc.ByHand, plural(sc.ByHand, "entry", "entries"), sc.ByHandTotal.StringFixed(2), currency))
	}
	if sc.Linked > 0 {
		w = append(w, fmt.Sprintf("%d positive customer %s linked to orders (%s %s in all; OpenCart 4 writes an affiliate's commission this way) are not exported: "+
			"book commissions as a bill or expense in Xero",
			sc.Linked, plural(sc.Linked, "transaction", "transactions"), sc.LinkedTotal.StringFixed(2), currency))
	}
	return w
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
