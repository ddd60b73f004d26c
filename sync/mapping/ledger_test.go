package mapping

import (
	"fmt"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/shopspring/decimal"
)

// permutations lists every order of n events.
func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{nil}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			q := append(append(append([]int{}, p[:i]...), n-1), p[i:]...)
			out = append(out, q)
		}
	}
	return out
}

// taxTotals adds up lines per tax type: net and tax.
func taxTotals(lines []xero.LineItem) map[string][2]decimal.Decimal {
	out := map[string][2]decimal.Decimal{}
	for _, l := range lines {
		s := out[l.TaxType]
		out[l.TaxType] = [2]decimal.Decimal{s[0].Add(l.LineAmount.Decimal()), s[1].Add(l.TaxAmount.Decimal())}
	}
	return out
}

func sameTotals(a, b map[string][2]decimal.Decimal) bool {
	for k, v := range a {
		if !v[0].Equal(b[k][0]) || !v[1].Equal(b[k][1]) {
			return false
		}
	}
	for k, v := range b {
		if !v[0].Equal(a[k][0]) || !v[1].Equal(a[k][1]) {
			return false
		}
	}
	return true
}

// TestLedgerOrderIndependence plays the same events (returns with each
// treatment, the refund status) in every order, running the ledger after
// each and sending only what its notes say: whatever the order, Xero ends
// up crediting the same per tax rate, and that is the final ledger's G.
func TestLedgerOrderIndependence(t *testing.T) {
	opt := testOptions()
	opt.ReturnActions = []ReturnRule{{"Refunded", TreatCash}, {"Credit Issued", TreatStoreCredit}, {"Replacement Sent", TreatNone}}
	for _, tc := range []struct {
		order   string
		returns []opencart.Return // product index in Quantity's place is set below
		refund  bool
	}{
		{"two VAT rates with a fixed coupon", nil, true},
		{"M3 coupon reduces VAT, eco tax is not reduced", nil, true},
		{"M4 eco tax per unit and per shipment", nil, false},
	} {
		t.Run(tc.order, func(t *testing.T) {
			base := withHistory(corpusOrder(t, tc.order), 5)
			returns := []opencart.Return{returnOf(base, 10, 0, 1), returnOf(base, 12, len(base.Products)-1, 1), returnOf(base, 11, 0, 1)}
			returns[0].Action, returns[1].Action, returns[2].Action = "Refunded", "Credit Issued", "Replacement Sent"
			events := len(returns)
			if tc.refund {
				events++
			}
			var want map[string][2]decimal.Decimal
			for _, perm := range permutations(events) {
				o := base
				var seen []opencart.Return
				var kept []Kept
				for step, e := range perm {
					if e < len(returns) {
						seen = append(seen, returns[e])
					} else {
						o = withHistory(base, 5, 11)
						o.History[1].DateAdded = day(16 + step)
					}
					l := OrderLedger(o, seen, nil, opt)
					notes, reissue := l.Notes(kept, opt, testBooks)
					if len(reissue) > 0 {
						t.Fatalf("%v step %d: reissue %v without a withdrawal", perm, step, reissue)
					}
					for _, n := range notes {
						if len(n.Note.LineItems) > 0 {
							kept = append(kept, Kept{ReturnID: n.Reason.ReturnID, Number: n.Note.CreditNoteNumber, Lines: n.Note.LineItems})
						}
					}
				}
				var sent, g []xero.LineItem
				for _, k := range kept {
					sent = append(sent, k.Lines...)
				}
				for _, r := range OrderLedger(o, seen, nil, opt).Reasons {
					g = append(g, r.Lines...)
				}
				got := taxTotals(sent)
				if !sameTotals(got, taxTotals(g)) {
					t.Errorf("events %v: credited %v, the ledger's G is %v", perm, got, taxTotals(g))
				}
				if want == nil {
					want = got
				} else if !sameTotals(got, want) {
					t.Errorf("events %v: credited %v, another order of the same events %v", perm, got, want)
				}
			}
			if tc.refund {
				inv, _ := Invoice(withHistory(base, 5, 11), opt, testBooks)
				if !sameTotals(want, taxTotals(inv.LineItems)) {
					t.Errorf("refunded: credited %v, invoiced %v", want, taxTotals(inv.LineItems))
				}
			}
		})
	}
}

func TestLedgerReasons(t *testing.T) {
	opt := testOptions()
	opt.ReturnActions = []ReturnRule{{"Refunded", TreatCash}, {"Credit Issued", TreatStoreCredit}}
	o := withHistory(corpusOrder(t, "two VAT rates with a fixed coupon"), 1, 5, 11, 5, 11)
	ret := returnOf(o, 10, 0, 1)
	for _, c := range []struct {
		name      string
		full      bool
		status    string
		wantDraft bool
	}{
		{"refund of unknown amount", false, "Refunded", true},
		{"refunds are full", true, "Refunded", false},
		{"a reversal takes the whole payment", false, "Reversed", false},
		{"a chargeback too", false, "Chargeback", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			opt.RefundsAreFull = c.full
			o := o
			o.Status = c.status
			l := OrderLedger(o, []opencart.Return{ret}, nil, opt)
			if len(l.Reasons) != 2 || l.Reasons[0].ReturnID != 10 || !l.Reasons[1].Refund() {
				t.Fatalf("reasons %+v", l.Reasons)
			}
			if l.Reasons[0].Treatment != TreatStoreCredit || !l.Reasons[0].Date.Equal(ret.DateAdded) {
				t.Errorf("return: %s dated %v, want store credit dated by date_added %v", l.Reasons[0].Treatment, l.Reasons[0].Date, ret.DateAdded)
			}
			// Last entered the refund status on the 18th (the 5th entry).
			if r := l.Reasons[1]; r.Draft != c.wantDraft || !r.Date.Equal(day(18)) || r.Treatment != TreatCash {
				t.Errorf("refund: draft %v dated %v %s, want draft %v dated %v", r.Draft, r.Date, r.Treatment, c.wantDraft, day(18))
			}
			notes, _ := l.Notes(nil, opt, testBooks)
			if d := notes[1].Note; (d.Status == StatusDraft) != c.wantDraft || c.wantDraft && d.Reference != PartialRefundNote+fmt.Sprintf(" (refund of order %d)", o.ID) {
				t.Errorf("refund note %s %q", d.Status, d.Reference)
			}
		})
	}
}

// TestLedgerCouponProducts: a return gets a coupon's share only if the
// coupon was on its product; a coupon only for free shipping never
// reaches a product.
func TestLedgerCouponProducts(t *testing.T) {
	opt := testOptions()
	o := withHistory(corpusOrder(t, "two VAT rates with a fixed coupon"), 5)
	ret := returnOf(o, 10, 0, 1)
	other := o.Products[1].ProductID
	total := func(coupons []opencart.OrderCoupon) decimal.Decimal {
		return OrderLedger(o, []opencart.Return{ret}, coupons, opt).Reasons[0].Total()
	}
	everywhere := total(nil)
	p := o.Products[0]
	full := r2(p.Price.Add(p.Tax))
	for _, c := range []struct {
		name    string
		coupons []opencart.OrderCoupon
		want    decimal.Decimal
	}{
		{"on every product", []opencart.OrderCoupon{{Code: "KIDS", Discount: "30"}}, everywhere},
		{"on the other product only", []opencart.OrderCoupon{{Code: "KIDS", Discount: "30", Products: []int{other}}}, full},
		// The toy is the only product at its rate: the coupon's part at
		// that rate (what the rate's tax row lost) is all its own.
		{"on the returned product", []opencart.OrderCoupon{{Code: "KIDS", Discount: "30", Products: []int{p.ProductID}}}, everywhere},
		{"free shipping only", []opencart.OrderCoupon{{Code: "KIDS", Discount: "0.0000", Shipping: true}}, full},
	} {
		got := total(c.coupons)
		if !got.Equal(c.want) {
			t.Errorf("%s: credited %s, want %s", c.name, got, c.want)
		}
	}
	if !everywhere.LessThan(full) {
		t.Errorf("a coupon on every product: credited %s, want less than %s", everywhere, full)
	}
}
