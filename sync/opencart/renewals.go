package opencart

// Subscription renewals that have no order of their own (docs/OPENCART.md
// §7): OpenCart 3.0 records each payment of a recurring profile as a row of
// order_recurring_transaction, and 4.0.0.x–4.0.1.x as a row of
// subscription_transaction. From 4.0.2.0 on a renewal is an order of its
// own (order.subscription_id), read with the other orders. Any of these
// tables may be absent; a shop without them simply has no renewals.

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// The tables renewals are read from.
const (
	TableRecurringTransaction    = "order_recurring_transaction" // 3.0
	TableSubscriptionTransaction = "subscription_transaction"    // 4.0.0.x–4.0.1.x
)

// RecurringType is order_recurring_transaction.type, a varchar holding
// OpenCart's transaction type number (3.0 admin/model/sale/recurring.php
// getRecurringTransactions and admin/language/en-gb/sale/recurring.php).
type RecurringType string

// OpenCart 3.0's transaction types.
const (
	RecurringCreated           RecurringType = "0" // "Date added": the profile was created (PayPal)
	RecurringPayment           RecurringType = "1" // "Payment"
	RecurringOutstandingPaid   RecurringType = "2" // "Outstanding payment": an overdue amount collected
	RecurringSkipped           RecurringType = "3" // "Payment skipped"
	RecurringFailed            RecurringType = "4" // "Payment failed"
	RecurringCancelled         RecurringType = "5" // "Cancelled"
	RecurringSuspended         RecurringType = "6" // "Suspended"
	RecurringSuspendedFailed   RecurringType = "7" // "Suspended from failed payment"
	RecurringOutstandingFailed RecurringType = "8" // "Outstanding payment failed"
	RecurringExpired           RecurringType = "9" // "Expired"
)

var recurringTypeNames = map[RecurringType]string{
	RecurringCreated: "Date added", RecurringPayment: "Payment", RecurringOutstandingPaid: "Outstanding payment",
	RecurringSkipped: "Payment skipped", RecurringFailed: "Payment failed", RecurringCancelled: "Cancelled",
	RecurringSuspended: "Suspended", RecurringSuspendedFailed: "Suspended from failed payment",
	RecurringOutstandingFailed: "Outstanding payment failed", RecurringExpired: "Expired",
}

// RenewalKind says what a renewal row means for the books.
type RenewalKind int

// The kinds of renewal rows.
const (
	// RenewalPaid: money was received (3.0 types 1 and 2).
	RenewalPaid RenewalKind = iota
	// RenewalNotPaid: a payment was due and did not happen (types 3, 4, 7, 8).
	RenewalNotPaid
	// RenewalEvent: the profile's life (created, cancelled, suspended,
	// expired: types 0, 5, 6, 9); no money moved.
	RenewalEvent
	// RenewalUnknown: a type OpenCart does not define, or a payment row
	// whose amount is not positive (a reversal written by an extension).
	RenewalUnknown
	// RenewalUnexportable: a 4.0.0.x–4.0.1.x subscription_transaction row:
	// its amount is the plan's price in the shop's currency before tax, not
	// what the gateway charged, so it is listed and not exported.
	RenewalUnexportable
)

// Renewal is one row of a subscription's payment history without an order
// of its own, with what it needs from its subscription and first order.
type Renewal struct {
	// Table is TableRecurringTransaction or TableSubscriptionTransaction.
	Table string `json:"table"`
	// ID is the row's id (order_recurring_transaction_id or
	// subscription_transaction_id).
	ID int `json:"id"`
	// ProfileID is order_recurring_id (3.0) or subscription_id (4.0).
	ProfileID int `json:"profile_id"`
	// OrderID is the order that started the subscription.
	OrderID int `json:"order_id"`
	// ProductID, ProductName and Quantity are the subscribed product
	// (order_recurring; 4.0: subscription.order_product_id's line).
	ProductID   int    `json:"product_id"`
	ProductName string `json:"product_name"`
	Quantity    int    `json:"quantity"`
	// ProfileName is the recurring profile's name (3.0 recurring_name);
	// 4.0: subscription.name.
	ProfileName string `json:"profile_name"`
	// ProfileReference is the gateway's id of the profile (3.0
	// order_recurring.reference, e.g. PayPal's recurring_payment_id).
	ProfileReference string `json:"profile_reference"`
	// Reference is the gateway's reference of this payment, when it stores
	// one (SagePay, Worldpay, Square); 4.0: the description.
	Reference string `json:"reference"`
	// Type is the raw type (3.0 only).
	Type RecurringType `json:"type"`
	// Amount is what the gateway reported, as stored (decimal(10,4)).
	Amount decimal.Decimal `json:"amount"`
	// CurrencyCode is the first order's currency: the gateways charge a
	// renewal in the currency of the checkout (docs/OPENCART.md §8).
	CurrencyCode string    `json:"currency_code"`
	DateAdded    time.Time `json:"date_added"`
}

// TypeName is the type as OpenCart's admin shows it.
func (rn Renewal) TypeName() string {
	if rn.Table == TableSubscriptionTransaction {
		return "Subscription transaction"
	}
	if n, ok := recurringTypeNames[RecurringType(strings.TrimSpace(string(rn.Type)))]; ok {
		return n
	}
	return "unknown type " + strings.TrimSpace(string(rn.Type))
}

// Kind is what the row means for the books.
func (rn Renewal) Kind() RenewalKind {
	if rn.Table == TableSubscriptionTransaction {
		return RenewalUnexportable
	}
	switch RecurringType(strings.TrimSpace(string(rn.Type))) {
	case RecurringPayment, RecurringOutstandingPaid:
		if rn.Amount.IsPositive() {
			return RenewalPaid
		}
		return RenewalUnknown
	case RecurringSkipped, RecurringFailed, RecurringSuspendedFailed, RecurringOutstandingFailed:
		return RenewalNotPaid
	case RecurringCreated, RecurringCancelled, RecurringSuspended, RecurringExpired:
		return RenewalEvent
	}
	return RenewalUnknown
}

// RenewalFilter selects renewal rows; zero values select all.
type RenewalFilter struct {
	// OrderIDs limits to subscriptions started by these orders.
	OrderIDs []int
	// Since and Until limit by the row's date (store wall-clock time).
	Since, Until time.Time
}

// HasRenewalTables reports whether the shop has a table renewals without
// orders are kept in.
func (r *Reader) HasRenewalTables() bool {
	return r.recurringReadable() || r.subscriptionTxReadable()
}

func (r *Reader) recurringReadable() bool {
	return r.schema.HasTable("order_recurring") && r.schema.HasTable(TableRecurringTransaction)
}

func (r *Reader) subscriptionTxReadable() bool {
	return r.schema.HasTable("subscription") && r.schema.HasTable(TableSubscriptionTransaction)
}

// Renewals reads the renewal rows (every kind), oldest first. Shops have
// few of them compared with orders, so they are read in one query per table.
func (r *Reader) Renewals(ctx context.Context, f RenewalFilter) ([]Renewal, error) {
	var out []Renewal
	if r.recurringReadable() {
		s := r.schema
		q := "SELECT t.order_recurring_transaction_id, t.order_recurring_id, COALESCE(p.order_id, 0), " +
			s.col("p", "order_recurring", "product_id") + ", " + s.col("p", "order_recurring", "product_name") + ", " +
			s.col("p", "order_recurring", "product_quantity") + ", " + s.col("p", "order_recurring", "recurring_name") + ", " +
			s.col("p", "order_recurring", "reference") + ", " + s.col("t", TableRecurringTransaction, "reference") + ", " +
			s.col("t", TableRecurringTransaction, "type") + ", " + s.col("t", TableRecurringTransaction, "amount") + ", " +
			"COALESCE(o.currency_code, ''), " + s.col("t", TableRecurringTransaction, "date_added") +
			" FROM " + r.t(TableRecurringTransaction) + " t LEFT JOIN " + r.t("order_recurring") + " p ON p.order_recurring_id = t.order_recurring_id" +
			" LEFT JOIN " + r.t("order") + " o ON o.order_id = p.order_id"
		w, args := renewalWhere("p.order_id", "t.date_added", f)
		err := r.each(ctx, q+w+" ORDER BY t.order_recurring_transaction_id", args, func(rows *sql.Rows) error {
			rn := Renewal{Table: TableRecurringTransaction}
			var typ string
			err := rows.Scan(intOf{&rn.ID}, intOf{&rn.ProfileID}, intOf{&rn.OrderID}, intOf{&rn.ProductID}, textOf{&rn.ProductName},
				intOf{&rn.Quantity}, textOf{&rn.ProfileName}, textOf{&rn.ProfileReference}, textOf{&rn.Reference},
				rawOf{&typ}, decimalOf{&rn.Amount}, rawOf{&rn.CurrencyCode}, timeOf{&rn.DateAdded})
			rn.Type = RecurringType(strings.TrimSpace(typ))
			out = append(out, rn)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	if r.subscriptionTxReadable() {
		s := r.schema
		q := "SELECT t.subscription_transaction_id, t.subscription_id, COALESCE(NULLIF(" + s.col("t", TableSubscriptionTransaction, "order_id") +
			", 0), sb.order_id, 0), " + s.col("sb", "subscription", "name") + ", " + s.col("t", TableSubscriptionTransaction, "description") + ", " +
			s.col("t", TableSubscriptionTransaction, "amount") + ", COALESCE(o.currency_code, ''), " +
			s.col("t", TableSubscriptionTransaction, "date_added") +
			" FROM " + r.t(TableSubscriptionTransaction) + " t LEFT JOIN " + r.t("subscription") + " sb ON sb.subscription_id = t.subscription_id" +
			" LEFT JOIN " + r.t("order") + " o ON o.order_id = sb.order_id"
		w, args := renewalWhere("sb.order_id", "t.date_added", f)
		err := r.each(ctx, q+w+" ORDER BY t.subscription_transaction_id", args, func(rows *sql.Rows) error {
			rn := Renewal{Table: TableSubscriptionTransaction}
			err := rows.Scan(intOf{&rn.ID}, intOf{&rn.ProfileID}, intOf{&rn.OrderID}, textOf{&rn.ProfileName}, textOf{&rn.Reference},
				decimalOf{&rn.Amount}, rawOf{&rn.CurrencyCode}, timeOf{&rn.DateAdded})
			out = append(out, rn)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func renewalWhere(orderCol, dateCol string, f RenewalFilter) (string, []any) {
	w := &where{}
	w.ids(orderCol, f.OrderIDs)
	w.dateRange(dateCol, f.Since, f.Until)
	return w.sql(), w.args
}

// RenewalCounts is what `store check` says about subscriptions.
type RenewalCounts struct {
	// Tables are the subscription tables found.
	Tables []string `json:"tables"`
	// Paid counts the renewal payments without an order (3.0), each
	// exported as an invoice of its own with its payment.
	Paid int `json:"paid"`
	// PaidTotals is their sum per currency.
	PaidTotals map[string]string `json:"paid_totals,omitempty"`
	// NotPaid counts renewals that were due and not paid (skipped, failed).
	NotPaid int `json:"not_paid"`
	// NotExported counts rows that are not exported (4.0.0.x–4.0.1.x
	// subscription transactions, unknown types, non-positive payments),
	// NotExportedTotals their sum per currency.
	NotExported       int               `json:"not_exported"`
	NotExportedTotals map[string]string `json:"not_exported_totals,omitempty"`
	// RenewalOrders counts 4.0.2+ orders made by a subscription renewal
	// (order.subscription_id ≠ 0): exported as ordinary orders.
	RenewalOrders int `json:"renewal_orders"`
}

// renewalCounts fills the subscription part of a store check; nil when the
// shop has no subscription tables.
func (r *Reader) renewalCounts(ctx context.Context) (*RenewalCounts, error) {
	var c RenewalCounts
	for _, t := range []string{"order_recurring", TableRecurringTransaction, "subscription", TableSubscriptionTransaction} {
		if r.schema.HasTable(t) {
			c.Tables = append(c.Tables, r.schema.Prefix+t)
		}
	}
	hasOrderLink := r.schema.HasColumn("order", "subscription_id")
	if len(c.Tables) == 0 && !hasOrderLink {
		return nil, nil
	}
	rows, err := r.Renewals(ctx, RenewalFilter{})
	if err != nil {
		return nil, err
	}
	paid, other := map[string]decimal.Decimal{}, map[string]decimal.Decimal{}
	for _, rn := range rows {
		switch rn.Kind() {
		case RenewalPaid:
			c.Paid++
			paid[rn.CurrencyCode] = paid[rn.CurrencyCode].Add(rn.Amount)
		case RenewalNotPaid:
			c.NotPaid++
		case RenewalUnknown, RenewalUnexportable:
			c.NotExported++
			other[rn.CurrencyCode] = other[rn.CurrencyCode].Add(rn.Amount)
		}
	}
	c.PaidTotals, c.NotExportedTotals = amountTexts(paid), amountTexts(other)
	if hasOrderLink {
		if c.RenewalOrders, err = r.count(ctx, "order", "o", &where{conds: []string{"COALESCE(o.subscription_id, 0) <> 0"}}); err != nil {
			return nil, err
		}
	}
	if c.Paid == 0 && c.NotPaid == 0 && c.NotExported == 0 && c.RenewalOrders == 0 {
		return nil, nil // the tables are there, empty: nothing to say
	}
	return &c, nil
}

func amountTexts(m map[string]decimal.Decimal) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := map[string]string{}
	for k, v := range m {
		if k == "" {
			k = "?"
		}
		out[k] = v.StringFixed(2)
	}
	return out
}

// TotalsText prints per-currency totals as "12.00 GBP, 5.00 EUR".
func TotalsText(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = m[k] + " " + k
	}
	return strings.Join(parts, ", ")
}
