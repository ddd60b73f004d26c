package octest

import (
	"time"
)

// Changes to a shop between runs, made the way the OpenCart admin makes
// them: a status change writes the order (or return) row and a history
// row dated when it happened; a coupon is a coupon row with the products
// it applies to and the orders that used it.

// SetOrderStatus moves an order to a status at a time, as the admin's
// history form does: order.order_status_id and date_modified, and an
// order_history row dated at.
func (d *DB) SetOrderStatus(orderID, statusID int, at time.Time, comment string) {
	d.t.Helper()
	when := dateText(at, DefaultDate)
	d.Exec("UPDATE `{prefix}order` SET order_status_id = ?, date_modified = ? WHERE order_id = ?", statusID, when, orderID)
	d.insert("order_history", row{"order_id": orderID, "order_status_id": statusID, "notify": false,
		"comment": text(false, comment), "date_added": when})
}

// SetReturnAction changes a return's action (return_action_id) at a
// time; OpenCart keeps no history of actions, only date_modified.
func (d *DB) SetReturnAction(returnID, actionID int, at time.Time) {
	d.t.Helper()
	d.Exec("UPDATE `{prefix}return` SET return_action_id = ?, date_modified = ? WHERE return_id = ?", actionID, dateText(at, DefaultDate), returnID)
}

// SetReturnStatus moves a return along its workflow (Pending, Awaiting
// Products, Complete…) at a time: return_status_id, date_modified and a
// return_history row.
func (d *DB) SetReturnStatus(returnID, statusID int, at time.Time, comment string) {
	d.t.Helper()
	when := dateText(at, DefaultDate)
	d.Exec("UPDATE `{prefix}return` SET return_status_id = ?, date_modified = ? WHERE return_id = ?", statusID, when, returnID)
	d.insert("return_history", row{"return_id": returnID, "return_status_id": statusID, "notify": false,
		"comment": text(false, comment), "date_added": when})
}

// DeleteReturn removes a return and its history, as the admin does.
func (d *DB) DeleteReturn(returnID int) {
	d.t.Helper()
	d.Exec("DELETE FROM `{prefix}return` WHERE return_id = ?", returnID)
	d.Exec("DELETE FROM {prefix}return_history WHERE return_id = ?", returnID)
}

// ReturnActionID is the id of the return action with this (English) name
// in the shop, or 0; the ids differ between families (ReturnActions).
func (d *DB) ReturnActionID(name string) int {
	d.t.Helper()
	for id, n := range ReturnActions(d.Family) {
		if n == name {
			return id
		}
	}
	return 0
}

// Return statuses of every fixture (Pending is ReturnStatusPending).
const (
	ReturnStatusAwaiting = 2 // "Awaiting Products"
	ReturnStatusComplete = 3 // "Complete"
)

// Coupon is a discount coupon. Products limits it to those product ids
// (coupon_product); none means every product. Orders are the orders that
// used it (coupon_history, with the amount each was given).
type Coupon struct {
	ID       int // 0: the next free id
	Name     string
	Code     string
	Type     string // "P" percentage, "F" fixed amount
	Discount string
	Shipping bool // free shipping
	Products []int
	Orders   []CouponUse
}

// CouponUse is one order's use of a coupon (coupon_history).
type CouponUse struct {
	OrderID, CustomerID int
	Amount              string // negative, as OpenCart stores it
	DateAdded           time.Time
}

// AddCoupon adds a coupon with its products and uses and returns its id.
func (d *DB) AddCoupon(c Coupon) int {
	d.t.Helper()
	if c.ID == 0 {
		c.ID = d.nextID("coupon", "coupon_id")
	}
	d.insert("coupon", row{"coupon_id": c.ID, "name": text(false, orText(c.Name, c.Code)), "code": c.Code, "type": orText(c.Type, "P"),
		"discount": orText(c.Discount, "0"), "logged": 0, "shipping": c.Shipping, "total": "0", "date_start": "2024-01-01",
		"date_end": "2030-01-01", "uses_total": 0, "uses_customer": 0, "status": 1, "date_added": dateText(time.Time{}, DefaultDate)})
	var rows []row
	for _, p := range c.Products {
		rows = append(rows, row{"coupon_id": c.ID, "product_id": p})
	}
	if len(rows) > 0 {
		d.insert("coupon_product", rows...)
	}
	rows = nil
	for _, u := range c.Orders {
		rows = append(rows, row{"coupon_id": c.ID, "order_id": u.OrderID, "customer_id": u.CustomerID, "amount": u.Amount,
			"date_added": dateText(u.DateAdded, DefaultDate)})
	}
	if len(rows) > 0 {
		d.insert("coupon_history", rows...)
	}
	return c.ID
}
