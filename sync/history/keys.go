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
	refundPrefix = "order-"
	returnPrefix = "return-"
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
