package opencart

import (
	"context"
	"database/sql"
	"slices"
)

// OrderCoupon is a coupon OpenCart applied to an order (coupon_history):
// the products it was limited to (coupon_product; none: every product) and
// whether it gave free shipping.
type OrderCoupon struct {
	Code     string `json:"code"`
	Products []int  `json:"products,omitempty"`
	Shipping bool   `json:"shipping"`
	// Discount is the coupon's own discount (a percentage or an amount);
	// zero for a coupon that only gives free shipping.
	Discount string `json:"discount"`
}

// ShippingOnly reports whether the coupon took nothing off products: it
// only made the shipping free.
func (c OrderCoupon) ShippingOnly() bool {
	if !c.Shipping {
		return false
	}
	d := c.Discount
	for len(d) > 0 && (d[len(d)-1] == '0' || d[len(d)-1] == '.') {
		d = d[:len(d)-1]
	}
	return d == ""
}

// OrderCoupons reads the coupons applied to these orders, by order id.
// The same in 3.0 and 4.x; a shop without the coupon tables has none.
func (r *Reader) OrderCoupons(ctx context.Context, orderIDs []int) (map[int][]OrderCoupon, error) {
	out := map[int][]OrderCoupon{}
	if len(orderIDs) == 0 || !r.schema.HasTable("coupon_history") || !r.schema.HasTable("coupon") {
		return out, nil
	}
	in, args := inList(orderIDs)
	product := "NULL"
	join := ""
	if r.schema.HasTable("coupon_product") {
		product, join = "p.product_id", " LEFT JOIN "+r.t("coupon_product")+" p ON p.coupon_id = c.coupon_id"
	}
	q := "SELECT h.order_id, c.coupon_id, " + r.schema.col("c", "coupon", "code") + ", " + r.schema.col("c", "coupon", "shipping") + ", " +
		r.schema.col("c", "coupon", "discount") + ", " + product + " FROM " + r.t("coupon_history") + " h JOIN " + r.t("coupon") +
		" c ON c.coupon_id = h.coupon_id" + join + " WHERE h.order_id IN " + in + " ORDER BY h.order_id, c.coupon_id"
	type key struct{ order, coupon int }
	at := map[key]int{}
	err := r.each(ctx, q, args, func(rows *sql.Rows) error {
		var order, coupon, productID int
		var c OrderCoupon
		if err := rows.Scan(intOf{&order}, intOf{&coupon}, textOf{&c.Code}, boolOf{&c.Shipping}, textOf{&c.Discount}, intOf{&productID}); err != nil {
			return err
		}
		k := key{order, coupon}
		i, seen := at[k]
		if !seen {
			i = len(out[order])
			at[k] = i
			out[order] = append(out[order], c)
		}
		if productID > 0 && !slices.Contains(out[order][i].Products, productID) {
			out[order][i].Products = append(out[order][i].Products, productID)
		}
		return nil
	})
	return out, err
}
