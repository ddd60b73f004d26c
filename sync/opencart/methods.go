package opencart

import (
	"context"
	"database/sql"
	"sort"
)

// MethodCount is a payment method found on the shop's orders and how many
// orders (with a status) used it.
type MethodCount struct {
	Method
	Orders int `json:"orders"`
}

// PaymentMethods lists the payment methods of the shop's orders (status 0,
// checkout never confirmed, left out), most used first. The method is read
// as the orders are (payment_code in 3.0 and 4.0.0–4.0.1, the JSON of
// payment_method from 4.0.2, the upgrade's JSON in payment_custom_field),
// so each code comes once, under the title most orders show.
func (r *Reader) PaymentMethods(ctx context.Context) ([]MethodCount, error) {
	s := r.schema
	// payment_custom_field holds the method only in upgraded 4.0.2+ shops
	// whose payment_method kept its old title; elsewhere it is per-order
	// data, left out so that orders group by method.
	cf := "NULL"
	if !s.HasColumn("order", "payment_code") && s.HasColumn("order", "payment_custom_field") && s.HasColumn("order", "payment_method") {
		cf = "CASE WHEN TRIM(o.`payment_method`) LIKE '{%' THEN NULL ELSE o.`payment_custom_field` END"
	}
	q := "SELECT " + s.col("o", "order", "payment_method") + ", " + s.col("o", "order", "payment_code") + ", " +
		cf + ", COUNT(*) FROM " + r.t("order") +
		" o WHERE o.order_status_id > 0 GROUP BY 1, 2, 3"
	type found struct {
		m      Method
		orders int
		best   int // orders of the title shown
	}
	byCode := map[string]*found{}
	var order []string
	err := r.each(ctx, q, nil, func(rows *sql.Rows) error {
		var method, code, cf string
		var n int
		if err := rows.Scan(rawOf{&method}, rawOf{&code}, rawOf{&cf}, &n); err != nil {
			return err
		}
		row := orderRow{paymentMethod: method, paymentCode: code, paymentCF: cf}
		m := row.paymentMethodOf()
		f := byCode[m.Code]
		if f == nil {
			f = &found{}
			byCode[m.Code] = f
			order = append(order, m.Code)
		}
		f.orders += n
		if n > f.best {
			f.m, f.best = Method{Title: m.Title, Code: m.Code}, n
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]MethodCount, 0, len(order))
	for _, code := range order {
		f := byCode[code]
		out = append(out, MethodCount{Method: f.m, Orders: f.orders})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Orders != out[j].Orders {
			return out[i].Orders > out[j].Orders
		}
		return out[i].Code < out[j].Code
	})
	return out, nil
}
