package export_test

import (
	"context"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// calls is the sandbox's call count per key, for comparing before/after.
func (e *env) callsSince(before map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range e.sandbox.Calls() {
		if d := v - before[k]; d > 0 {
			out[k] = d
		}
	}
	return out
}

func (e *env) engine(s export.Settings) *export.Engine {
	e.t.Helper()
	eng, err := export.New(export.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s})
	if err != nil {
		e.t.Fatal(err)
	}
	return eng
}

// TestPreviewOfEachDocument previews an order's credit note (from its
// refunds ledger) and payment, not its invoice: before the export what
// would be sent; after it, what Xero holds beside it, read by Xero id in
// one call per kind and nothing sent; after the sales account changed,
// the difference is marked on the line.
func TestPreviewOfEachDocument(t *testing.T) {
	r := newRefundShop(t, true)
	ctx := context.Background()
	order := r.cupOrder(1)
	ret := r.addReturn(order, cupProduct, "Cup", 1, "Refunded", day(3))

	t.Run("before the export: what would be sent", func(t *testing.T) {
		eng := r.engine(r.s)
		cns, err := eng.PreviewCreditNotes(ctx, order)
		if err != nil {
			t.Fatal(err)
		}
		if len(cns) != 1 || cns[0].Key != history.ReturnKey(ret) || cns[0].Amount != "24.00" || cns[0].Currency != "GBP" {
			t.Fatalf("credit notes = %+v, want the return's 24.00 GBP", cns)
		}
		cn, ok := cns[0].Document.(xero.CreditNote)
		if !ok || len(cn.LineItems) == 0 || cn.LineItems[0].Description == "" {
			t.Fatalf("the credit note's lines are not there: %+v", cns[0].Document)
		}
		if cns[0].InXero != nil || cns[0].Record.State != "" {
			t.Errorf("never exported, yet %+v", cns[0])
		}
		pay, err := eng.PreviewPayment(ctx, order)
		if err != nil {
			t.Fatal(err)
		}
		if pay.Document == nil || pay.Amount != "30.00" || pay.InXero != nil {
			t.Errorf("payment preview = %+v, want 30.00 to send", pay)
		}
	})

	r.exportAll()
	before := r.sandbox.Calls()
	writes := r.writes()

	t.Run("exported and unchanged: Xero beside it, no difference", func(t *testing.T) {
		eng := r.engine(r.s)
		cns, err := eng.PreviewCreditNotes(ctx, order)
		if err != nil {
			t.Fatal(err)
		}
		if len(cns) != 1 || cns[0].InXero == nil || cns[0].XeroError != "" {
			t.Fatalf("credit note preview = %+v, want what Xero holds", cns)
		}
		if len(cns[0].Differences) != 0 {
			t.Errorf("differences on an unchanged credit note: %q", cns[0].Differences)
		}
		pay, err := eng.PreviewPayment(ctx, order)
		if err != nil {
			t.Fatal(err)
		}
		if pay.InXero == nil || len(pay.Differences) != 0 || pay.Record.State != history.StateExported {
			t.Errorf("payment preview = %+v, want Xero's payment with no difference", pay)
		}
		inv, err := eng.PreviewOrder(ctx, order)
		if err != nil {
			t.Fatal(err)
		}
		if inv.InXero == nil || len(inv.Differences) != 0 {
			t.Errorf("invoice preview: in Xero %v, differences %q", inv.InXero != nil, inv.Differences)
		}
		// Tax types by Xero's display name, from the run's reference (no call).
		if inv.TaxNames["OUTPUT2"] != "20% (VAT on Income)" || cns[0].TaxNames["ZERORATEDOUTPUT"] != "Zero Rated Income" {
			t.Errorf("tax names %q and %q", inv.TaxNames, cns[0].TaxNames)
		}
	})
	if got := r.writes(); got != writes {
		t.Errorf("previews wrote to Xero: %d writes, before %d", got, writes)
	}
	calls := r.callsSince(before)
	for k, n := range calls {
		if n > 1 || !strings.HasPrefix(k, "GET ") {
			t.Errorf("previews called %s %d times; want one read per kind", k, n)
		}
	}

	t.Run("the sales account changed: the line says so", func(t *testing.T) {
		s := r.s
		old := s.Accounts.Sales
		s.Accounts.Sales = "210"
		if old == s.Accounts.Sales {
			s.Accounts.Sales = "200"
		}
		eng := r.engine(s)
		inv, err := eng.PreviewOrder(ctx, order)
		if err != nil {
			t.Fatal(err)
		}
		want := "Line 1 account: Xero has " + old + ", now " + s.Accounts.Sales
		if !strings.Contains(strings.Join(inv.Differences, "\n"), want) {
			t.Errorf("invoice differences %q, want %q", inv.Differences, want)
		}
		cns, err := eng.PreviewCreditNotes(ctx, order)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(cns[0].Differences, "\n"), want) {
			t.Errorf("credit note differences %q, want %q", cns[0].Differences, want)
		}
	})

	t.Run("a cancelled order says why it is excluded", func(t *testing.T) {
		r.shop.SetOrderStatus(order, 7, day(5), "")
		eng := r.engine(r.s)
		inv, err := eng.PreviewOrder(ctx, order)
		if err != nil {
			t.Fatal(err)
		}
		if want := "Excluded: status Canceled — Settings › Which records export"; inv.Excluded != want {
			t.Errorf("Excluded = %q, want %q", inv.Excluded, want)
		}
		pay, err := eng.PreviewPayment(ctx, order)
		if err != nil {
			t.Fatal(err)
		}
		if pay.Excluded == "" {
			t.Error("the payment preview of a cancelled order does not say it is excluded")
		}
	})
}

// TestCreditedAmounts: the credit-note grid's amount is what the ledger
// credits (the returned cup, 24.00), not the order total (30.00).
func TestCreditedAmounts(t *testing.T) {
	r := newRefundShop(t, true)
	order := r.cupOrder(1)
	plain := r.cupOrder(2)
	r.addReturn(order, cupProduct, "Cup", 1, "Refunded", day(3))
	got, err := r.engine(r.s).CreditedAmounts(context.Background(), []int{order, plain})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[order] != "24.00" {
		t.Errorf("credited = %v, want only order %d crediting 24.00", got, order)
	}
}

// TestCreditNotePreviewIsWhatTheRunSends: the order's refund status is
// credited in Xero in full; a return recorded afterwards previews as the
// run treats it (nothing left to credit, the refund's credit note covers
// it), not as a second credit note of the cup.
func TestCreditNotePreviewIsWhatTheRunSends(t *testing.T) {
	r := newRefundShop(t, true)
	ctx := context.Background()
	order := r.cupOrder(1)
	r.shop.SetOrderStatus(order, 11, day(2), "refunded")
	r.exportAll()
	ret := r.addReturn(order, cupProduct, "Cup", 1, "Refunded", day(3))
	cns, err := r.engine(r.s).PreviewCreditNotes(ctx, order)
	if err != nil {
		t.Fatal(err)
	}
	var preview *export.DocumentPreview
	for i := range cns {
		if cns[i].Key == history.ReturnKey(ret) {
			preview = &cns[i]
		}
	}
	if preview == nil || preview.Document != nil || !strings.Contains(preview.Skipped, "nothing left to credit") {
		t.Fatalf("credit note previews %+v, want the return's with nothing left to credit", cns)
	}
	before := len(r.sandbox.CreditNotes(tenant))
	r.exportAll()
	if after := len(r.sandbox.CreditNotes(tenant)); after != before {
		t.Errorf("the run sent %d credit notes more; the preview said nothing would go", after-before)
	}
}

// TestCreditNotePreviewOfASplitRefund: the order's refund status is
// credited in Xero in full (30.00), then a return of the cup is recorded:
// the ledger now splits the refund into the return's 24.00 and the
// refund status's 6.00, but the credit note in Xero was sent for the
// whole 30.00 and the return's is covered by it. Each credit note is set
// against what it was sent to hold, so it does not "differ" (a change of
// settings still shows: TestPreviewOfEachDocument).
func TestCreditNotePreviewOfASplitRefund(t *testing.T) {
	r := newRefundShop(t, true)
	ctx := context.Background()
	order := r.cupOrder(1)
	r.shop.SetOrderStatus(order, 11, day(2), "refunded")
	r.exportAll()
	r.addReturn(order, cupProduct, "Cup", 1, "Refunded", day(3))
	r.exportAll()
	refund := func() export.DocumentPreview {
		t.Helper()
		cns, err := r.engine(r.s).PreviewCreditNotes(ctx, order)
		if err != nil {
			t.Fatal(err)
		}
		for _, cn := range cns {
			if cn.Key == history.RefundKey(order) {
				return cn
			}
		}
		t.Fatalf("no preview of the refund's credit note in %+v", cns)
		return export.DocumentPreview{}
	}
	p := refund()
	if p.InXero == nil || p.XeroError != "" {
		t.Fatalf("the refund's credit note: %+v", p)
	}
	if len(p.Differences) != 0 || p.Amount != "30.00" {
		t.Errorf("the refund's credit note, as sent: differences %q, amount %s; want none and 30.00", p.Differences, p.Amount)
	}
}
