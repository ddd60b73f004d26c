package opencart_test

import (
	"context"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

// Store credit an administrator gave by hand and affiliate commissions are
// reported by the check, with their sums, and never taken for credit spent
// at checkout (negative entries), in every family.
func TestCheckReportsStoreCreditOutsideCheckout(t *testing.T) {
	for _, s := range shops {
		t.Run(s.name, func(t *testing.T) {
			db, e, r := s.open(t)
			ctx := context.Background()
			sum, err := r.Check(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if sum.StoreCredit != nil {
				t.Fatalf("a shop without transactions reports store credit %+v", sum.StoreCredit)
			}
			order := e.Registered
			db.AddCustomerTransaction(e.Alice, 0, "Goodwill &amp; apology", "10.0000", octest.Day(2026, 3, 2))
			db.AddCustomerTransaction(e.Alice, 0, "Return 7", "4.5050", octest.Day(2026, 3, 3))
			db.AddCustomerTransaction(e.Alice, order, "Order ID: #1", "-3.0000", octest.Day(2026, 3, 4))
			db.AddCustomerTransaction(e.Alice, order, "Commission", "1.2500", octest.Day(2026, 3, 5))
			sum, err = r.Check(ctx)
			if err != nil {
				t.Fatal(err)
			}
			sc := sum.StoreCredit
			if sc == nil {
				t.Fatal("store credit given by hand is not reported")
			}
			if sc.ByHand != 2 || !sc.ByHandTotal.Equal(dec("14.505")) || sc.Linked != 1 || !sc.LinkedTotal.Equal(dec("1.25")) {
				t.Errorf("StoreCredit = %+v, want 2 by hand (14.505), 1 linked (1.25)", *sc)
			}
			var byHand, linked bool
			for _, w := range sum.Warnings {
				byHand = byHand || strings.Contains(w, "2 store credit entries given by hand") && strings.Contains(w, "14.51 GBP")
				linked = linked || strings.Contains(w, "1 positive customer transaction linked to orders") && strings.Contains(w, "1.25 GBP")
			}
			if !byHand || !linked {
				t.Errorf("warnings do not name both kinds with their sums: %q", sum.Warnings)
			}
		})
	}
}
