package mapping

import (
	"strings"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/mapping/mappingtest"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/shopspring/decimal"
)

func day(d int) time.Time { return time.Date(2026, 3, d, 12, 0, 0, 0, time.UTC) }

// withHistory sets the order's status history, one status a day from the
// 14th; the last one is the current status.
func withHistory(o opencart.Order, statuses ...int) opencart.Order {
	o.History = nil
	for i, s := range statuses {
		o.History = append(o.History, opencart.OrderHistory{ID: i + 1, StatusID: s, Status: mappingtest.StatusName(s), DateAdded: day(14 + i)})
	}
	if n := len(statuses); n > 0 {
		o.StatusID, o.Status = statuses[n-1], mappingtest.StatusName(statuses[n-1])
	}
	return o
}

func corpusOrder(t *testing.T, name string) opencart.Order {
	t.Helper()
	for _, c := range mappingtest.Corpus() {
		if c.Name == name {
			return c.Order
		}
	}
	t.Fatalf("no corpus order %q", name)
	return opencart.Order{}
}

func returnOf(o opencart.Order, id, product, qty int) opencart.Return {
	p := o.Products[product]
	return opencart.Return{ID: id, OrderID: o.ID, ProductID: p.ProductID, Product: p.Name, Model: p.Model, Quantity: qty,
		Action: "Credit Issued", DateAdded: day(20), DateModified: day(21)}
}

func TestRefundCreditNote(t *testing.T) {
	opt := testOptions()
	for _, name := range []string{"M3 coupon reduces VAT, eco tax is not reduced", "M2 EUR rows rounded one by one", "two VAT rates with a fixed coupon", "M18 JPY with coupon and eco"} {
		t.Run(name, func(t *testing.T) {
			o := withHistory(corpusOrder(t, name), 1, 5, 11)
			inv, _ := Invoice(o, opt, testBooks)
			cn, alloc, ps := RefundCreditNote(o, nil, opt, testBooks)
			if HasErrors(ps) {
				t.Fatal(joinProblems(ps))
			}
			if !XeroTotal(cn.LineItems).Equal(XeroTotal(inv.LineItems)) || !XeroTotal(cn.LineItems).Equal(DisplayedTotal(o)) {
				t.Errorf("credit %s, invoice %s", XeroTotal(cn.LineItems), XeroTotal(inv.LineItems))
			}
			if len(cn.LineItems) != len(inv.LineItems) {
				t.Errorf("%d lines, invoice has %d", len(cn.LineItems), len(inv.LineItems))
			}
			for i := range min(len(cn.LineItems), len(inv.LineItems)) {
				a, b := cn.LineItems[i], inv.LineItems[i]
				if a.Description != b.Description || !a.LineAmount.Decimal().Equal(b.LineAmount.Decimal()) || !a.TaxAmount.Decimal().Equal(b.TaxAmount.Decimal()) || a.TaxType != b.TaxType {
					t.Errorf("line %d: %+v, invoice %+v", i, a, b)
				}
			}
			if cn.Type != "ACCRECCREDIT" || cn.CreditNoteNumber != "OC-CN-"+itoa(o.ID) || cn.Date != xero.NewDate(2026, 3, 16) || cn.CurrencyCode != inv.CurrencyCode {
				t.Errorf("header %+v", cn)
			}
			if alloc == nil || alloc.Invoice.InvoiceNumber != inv.InvoiceNumber || !alloc.Amount.Decimal().Equal(XeroTotal(cn.LineItems)) || alloc.Date != cn.Date {
				t.Errorf("allocation %+v", alloc)
			}
		})
	}
	t.Run("not a refund status", func(t *testing.T) {
		o := withHistory(corpusOrder(t, "M5 store credit is after tax"), 5)
		if _, _, ps := RefundCreditNote(o, nil, opt, testBooks); !HasErrors(ps) {
			t.Error("credit note for a complete order")
		}
	})
	t.Run("refund status by name", func(t *testing.T) {
		o := withHistory(corpusOrder(t, "M5 store credit is after tax"), 5)
		o.StatusID, o.Status = 21, "refunded"
		if _, _, ps := RefundCreditNote(o, nil, opt, testBooks); HasErrors(ps) {
			t.Error(joinProblems(ps))
		}
	})
	t.Run("a second full refund credits nothing", func(t *testing.T) {
		o := withHistory(corpusOrder(t, "M5 store credit is after tax"), 5, 11)
		first, _, _ := RefundCreditNote(o, nil, opt, testBooks)
		if _, alloc, ps := RefundCreditNote(o, []xero.CreditNote{first}, opt, testBooks); !HasErrors(ps) || alloc != nil {
			t.Errorf("refunded twice: %v", ps)
		}
	})
	t.Run("draft credit notes are not allocated", func(t *testing.T) {
		o := withHistory(corpusOrder(t, "M5 store credit is after tax"), 5, 11)
		draft := testOptions()
		draft.InvoiceStatus = StatusDraft
		cn, alloc, ps := RefundCreditNote(o, nil, draft, testBooks)
		if alloc != nil || cn.Status != StatusDraft || HasErrors(ps) || len(ps) != 1 {
			t.Errorf("allocation %+v, problems %v", alloc, ps)
		}
	})
}

func itoa(i int) string { return decimal.NewFromInt(int64(i)).String() }

func TestReturnCreditNote(t *testing.T) {
	opt := testOptions()
	type step struct {
		product, qty int
		action       string
		want         string // credit total; "" = refused
		warn         bool
	}
	tests := []struct {
		name  string
		order string
		steps []step
	}{
		{"one of three lamps with its eco tax", "M4 eco tax per unit and per shipment", []step{
			{0, 1, "Credit Issued", "17.00", false}, {0, 2, "refunded", "34.00", false}, {0, 1, "Refunded", "", false}}},
		{"more returned than left", "M4 eco tax per unit and per shipment", []step{
			{0, 2, "Credit Issued", "34.00", false}, {0, 5, "Credit Issued", "17.00", true}}},
		{"coupon share taken off", "M3 coupon reduces VAT, eco tax is not reduced", []step{{0, 1, "Credit Issued", "98.00", false}}},
		{"replacement does not credit", "M4 eco tax per unit and per shipment", []step{{0, 1, "Replacement Sent", "", false}}},
		{"never more than the invoice", "M5 store credit is after tax", []step{{0, 1, "Credit Issued", "35.00", true}}},
		{"EUR fixed coupon split over two rates", "two VAT rates with a fixed coupon", []step{{1, 1, "Credit Issued", "64.62", false}, {0, 1, "Credit Issued", "23.06", false}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := withHistory(corpusOrder(t, tc.order), 5)
			inv, _ := Invoice(o, opt, testBooks)
			var prior []xero.CreditNote
			for i, s := range tc.steps {
				r := returnOf(o, 10+i, s.product, s.qty)
				r.Action = s.action
				cn, alloc, ps := ReturnCreditNote(o, r, prior, opt, testBooks)
				if s.want == "" {
					if !HasErrors(ps) {
						t.Errorf("step %d: credited %s, want refused", i, XeroTotal(cn.LineItems))
					}
					continue
				}
				if HasErrors(ps) {
					t.Fatalf("step %d: %s", i, joinProblems(ps))
				}
				total := XeroTotal(cn.LineItems)
				if !total.Equal(dec(s.want)) {
					t.Errorf("step %d: credit %s, want %s", i, total, s.want)
					dumpItems(t, cn.LineItems)
				}
				hasWarning := len(ps) > 0
				if hasWarning != s.warn {
					t.Errorf("step %d: warnings %v, want %v", i, ps, s.warn)
				}
				if alloc == nil || !alloc.Amount.Decimal().Equal(total) || cn.CreditNoteNumber != "OC-CN-R"+itoa(r.ID) || cn.Date != xero.NewDate(2026, 3, 20) { // dated by date_added, not date_modified (issue 11)
					t.Errorf("step %d: allocation %+v number %s date %v", i, alloc, cn.CreditNoteNumber, cn.Date)
				}
				for _, l := range cn.LineItems {
					if !l.Quantity.Decimal().IsPositive() || !r2(l.Quantity.Decimal().Mul(l.UnitAmount.Decimal())).Equal(l.LineAmount.Decimal()) {
						t.Errorf("step %d: line %q qty %s unit %s amount %s", i, l.Description, l.Quantity, l.UnitAmount, l.LineAmount)
					}
					if strings.Contains(l.Description, "Shipping") {
						t.Errorf("step %d: shipping credited on a return", i)
					}
				}
				prior = append(prior, cn)
			}
			credited := decimal.Zero
			for _, cn := range prior {
				credited = credited.Add(XeroTotal(cn.LineItems))
			}
			if credited.GreaterThan(XeroTotal(inv.LineItems)) {
				t.Errorf("credited %s of an invoice of %s", credited, XeroTotal(inv.LineItems))
			}
		})
	}
}

// TestRefundAfterReturns checks a full refund credits only what returns left.
func TestRefundAfterReturns(t *testing.T) {
	opt := testOptions()
	for _, name := range []string{"M4 eco tax per unit and per shipment", "M3 coupon reduces VAT, eco tax is not reduced",
		"two VAT rates with a fixed coupon", "EUR coupon on two rates with eco", "coupon, reward, store credit and voucher together", "ten odd prices in EUR"} {
		t.Run(name, func(t *testing.T) {
			o := withHistory(corpusOrder(t, name), 5, 11)
			inv, _ := Invoice(o, opt, testBooks)
			r := returnOf(o, 30, 0, 1)
			ret, _, ps := ReturnCreditNote(o, r, nil, opt, testBooks)
			if HasErrors(ps) {
				t.Fatal(joinProblems(ps))
			}
			rest, alloc, ps := RefundCreditNote(o, []xero.CreditNote{ret}, opt, testBooks)
			if HasErrors(ps) {
				t.Fatal(joinProblems(ps))
			}
			sum := XeroTotal(ret.LineItems).Add(XeroTotal(rest.LineItems))
			if !sum.Equal(XeroTotal(inv.LineItems)) {
				t.Errorf("return %s + refund %s = %s, invoice %s", XeroTotal(ret.LineItems), XeroTotal(rest.LineItems), sum, XeroTotal(inv.LineItems))
				dumpItems(t, rest.LineItems)
			}
			if alloc == nil || !alloc.Amount.Decimal().Equal(XeroTotal(rest.LineItems)) {
				t.Errorf("allocation %+v", alloc)
			}
			for _, l := range rest.LineItems {
				if !l.Quantity.Decimal().IsPositive() {
					t.Errorf("line %q quantity %s", l.Description, l.Quantity)
				}
			}
		})
	}
}

func dumpItems(t *testing.T, lines []xero.LineItem) {
	t.Helper()
	for _, l := range lines {
		t.Logf("%-45.45q qty %s unit %s amount %s tax %s %s", l.Description, l.Quantity, l.UnitAmount, l.LineAmount, l.TaxAmount, l.TaxType)
	}
}
