package reconcile_test

import (
	"context"
	"slices"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/reconcile"
)

// TestRemedies: a voided invoice re-sent comes back under the next number
// and the month reconciles clean; a total edited in Xero and accepted is
// not reported again until Xero's total changes once more; the remedies
// offered follow the problem.
func TestRemedies(t *testing.T) {
	e := newEnv(t)
	jane := e.customer()
	e.shop.AddOrder(order(6001, jane, 1, "10.0000"))
	e.shop.AddOrder(order(6002, jane, 1, "20.0000"))
	s := e.settings(mapping.StatusAuthorised)
	if sum := e.export(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		t.Fatalf("export: %+v", sum)
	}
	bk, err := e.sandbox.Bookkeeper(tenant)
	if err != nil {
		t.Fatal(err)
	}
	if err := bk.VoidInvoice("OC-6001"); err != nil {
		t.Fatal(err)
	}
	if _, err := bk.AddToTotal("OC-6002", decimal.NewFromInt(1)); err != nil {
		t.Fatal(err)
	}
	rep := e.reconcile(s, march, "")
	byNumber := map[string]reconcile.Difference{}
	for _, d := range rep.Differences {
		byNumber[d.Number] = d
	}
	voided, edited := byNumber["OC-6001"], byNumber["OC-6002"]
	if voided.Problem != reconcile.VoidedInXero || edited.Problem != reconcile.TotalDiffers {
		t.Fatalf("differences: %+v", rep.Differences)
	}
	want := []reconcile.Remedy{reconcile.Resend, reconcile.OpenInXero, reconcile.AcceptXero}
	if got := reconcile.Remedies(voided); !slices.Equal(got, want) {
		t.Fatalf("remedies of a voided invoice: %v, want %v", got, want)
	}
	if got := reconcile.Remedies(reconcile.Difference{Problem: reconcile.MissingInXero, OpenCartID: "5", Number: "OC-5", Detail: "never exported"}); len(got) != 0 {
		t.Fatalf("remedies of an order never exported: %v", got)
	}

	ctx := context.Background()
	if err := reconcile.ApplyResend(ctx, e.hist, voided); err != nil {
		t.Fatal(err)
	}
	if err := reconcile.ApplyAccept(ctx, e.hist, edited); err != nil {
		t.Fatal(err)
	}
	if sum := e.export(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 || sum.Exported != 1 {
		t.Fatalf("export after the re-send: %+v", sum)
	}
	rep = e.reconcile(s, march, "")
	if len(rep.Differences) != 0 || rep.Accepted != 1 {
		t.Fatalf("after the remedies: %d accepted, %+v", rep.Accepted, rep.Differences)
	}
	if _, err := bk.AddToTotal("OC-6002", decimal.NewFromInt(1)); err != nil {
		t.Fatal(err)
	}
	rep = e.reconcile(s, march, "")
	if len(rep.Differences) != 1 || rep.Differences[0].Number != "OC-6002" || rep.Accepted != 0 {
		t.Fatalf("an accepted total changed again in Xero: %d accepted, %+v", rep.Accepted, rep.Differences)
	}
}
