package octest

import "time"

// AddCustomerTransaction adds a customer_transaction row as OpenCart writes
// one: an administrator's store credit (order 0, amount > 0), credit spent
// at checkout (the order, amount < 0), an affiliate's commission (the
// order, amount > 0). Amount is a decimal string.
func (d *DB) AddCustomerTransaction(customerID, orderID int, description, amount string, at time.Time) {
	d.t.Helper()
	d.insert("customer_transaction", row{"customer_id": customerID, "order_id": orderID,
		"description": text(false, description), "amount": amount, "date_added": dateText(at, DefaultDate)})
}
