package opencart_test

import (
	"context"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

// TestPaymentMethodsOfEveryShape: the payment methods found on a shop's
// orders, one per code with its order count, however the version stores
// them (3.0 code column, 4.0.2+ JSON, an upgraded shop's JSON in
// payment_custom_field); orders never confirmed (status 0) are left out,
// and per-order payment custom fields do not split a method.
func TestPaymentMethodsOfEveryShape(t *testing.T) {
	for _, s := range shops {
		t.Run(s.name, func(t *testing.T) {
			var opts []octest.Option
			if s.upgraded {
				opts = append(opts, octest.Upgraded())
			}
			db := octest.NewDB(t, s.family, s.prefix, opts...)
			cod := octest.Method{Title: "Cash On Delivery", Code: "cod"}
			card := octest.Method{Title: "Stripe", Code: "stripe"}
			if s.family != opencart.Family30 {
				cod.Code, card.Code = "cod.cod", "stripe.stripe"
			}
			add := func(status int, m octest.Method, vat string) {
				o := octest.Order{StatusID: status, FirstName: "Ann", PaymentMethod: m,
					Totals: []octest.Total{octest.TotalRow("total", "Total", "10.0000", 9)}}
				if vat != "" {
					o.Payment.CustomFields = map[string]any{"1": vat}
				}
				db.AddOrder(o)
			}
			add(5, cod, "")
			add(2, card, "GB1")
			add(3, card, "GB2")
			add(5, card, "")
			add(0, cod, "") // checkout never confirmed
			r, err := opencart.Open(context.Background(), db.DSN, s.prefix)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer r.Close()
			got, err := r.PaymentMethods(context.Background())
			if err != nil {
				t.Fatalf("PaymentMethods: %v", err)
			}
			want := []opencart.MethodCount{{Method: opencart.Method{Title: "Stripe", Code: card.Code}, Orders: 3},
				{Method: opencart.Method{Title: "Cash On Delivery", Code: cod.Code}, Orders: 1}}
			if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
				t.Errorf("PaymentMethods = %+v, want %+v", got, want)
			}
		})
	}
}
