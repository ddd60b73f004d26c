package history

import (
	"strconv"
	"strings"
)

// Record keys: how a record names its OpenCart record (Record.OpenCartID),
// together with its Kind. An order's invoice and its payment are keyed by
// the order id; a credit note by the refunded order or by the return; a
// contact by its Xero contact number (mapping.CustomerKey, mapping.GuestKey).
// The keys are stored in every history, so they never change.

const (
	refundPrefix  = "order-"
	returnPrefix  = "return-"
	renewalPrefix = "renewal-"
)

// OrderKey is the key of an order's invoice and of its payment.
func OrderKey(orderID int) string { return strconv.Itoa(orderID) }

// RefundKey is the key of the credit note for an order refunded in full.
func RefundKey(orderID int) string { return refundPrefix + strconv.Itoa(orderID) }

// ReturnKey is the key of the credit note for a return.
func ReturnKey(returnID int) string { return returnPrefix + strconv.Itoa(returnID) }

// Key is what an OrderKey, RefundKey or ReturnKey names.
type Key struct {
	OrderID  int  // the order of an invoice, a payment or a refund
	ReturnID int  // the return of a return's credit note
	Refund   bool // the credit note of an order refunded in full (RefundKey)
}

// ParseKey reads back an OrderKey, RefundKey or ReturnKey; for any other
// key, such as a contact number, it returns the zero Key and false.
func ParseKey(key string) (Key, bool) {
	var k Key
	s, isReturn := strings.CutPrefix(key, returnPrefix)
	if !isReturn {
		s, k.Refund = strings.CutPrefix(key, refundPrefix)
	}
	n, err := strconv.Atoi(s)
	if err != nil || strconv.Itoa(n) != s { // only what the key functions write: no "+", no leading zero
		return Key{}, false
	}
	if isReturn {
		k.ReturnID = n
	} else {
		k.OrderID = n
	}
	return k, true
}

// RenewalKey is the key of the invoice and of the payment of a subscription
// renewal that has no order of its own: the renewal row's table and id
// ("renewal-17" for OpenCart 3.0's order_recurring_transaction 17,
// "renewal-s17" for 4.0.0–4.0.1's subscription_transaction 17). ParseKey
// does not read it (it names no order); ParseRenewalKey does.
func RenewalKey(subscriptionTable bool, id int) string {
	if subscriptionTable {
		return renewalPrefix + "s" + strconv.Itoa(id)
	}
	return renewalPrefix + strconv.Itoa(id)
}

// ParseRenewalKey reads back a RenewalKey.
func ParseRenewalKey(key string) (id int, subscriptionTable bool, ok bool) {
	s, isRenewal := strings.CutPrefix(key, renewalPrefix)
	if !isRenewal {
		return 0, false, false
	}
	s, subscriptionTable = strings.CutPrefix(s, "s")
	n, err := strconv.Atoi(s)
	if err != nil || strconv.Itoa(n) != s || n < 0 {
		return 0, false, false
	}
	return n, subscriptionTable, true
}
