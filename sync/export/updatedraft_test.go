package export_test

import (
	"context"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// TestUpdateDraft: an order exported as a Draft whose sales account
// changed since is updated in Xero from the preview (same number, same
// contact, the new account), after which the preview shows no difference
// and the history says so; an invoice Xero holds as Awaiting Payment is
// not offered and is refused.
func TestUpdateDraft(t *testing.T) {
	for _, status := range []string{mapping.StatusDraft, mapping.StatusAuthorised} {
		t.Run(status, func(t *testing.T) {
			r := newRefundShop(t, true)
			ctx := context.Background()
			r.s.InvoiceStatus = status
			order := r.cupOrder(1)
			r.exportAll()
			s := r.s
			old := s.Accounts.Sales
			s.Accounts.Sales = "260"
			if old == s.Accounts.Sales {
				s.Accounts.Sales = "200"
			}
			eng := r.engine(s)
			before, err := eng.PreviewOrder(ctx, order)
			if err != nil {
				t.Fatal(err)
			}
			want := "Line 1 account: Xero has " + old + ", now " + s.Accounts.Sales
			if !strings.Contains(strings.Join(before.Differences, "\n"), want) {
				t.Fatalf("differences %q, want %q", before.Differences, want)
			}
			after, err := eng.UpdateDraft(ctx, order)
			if status == mapping.StatusAuthorised {
				if export.CanUpdateDraft(before) || err == nil {
					t.Fatalf("an invoice Awaiting Payment: offered %v, update error %v", export.CanUpdateDraft(before), err)
				}
				if inv := r.invoiceOf("OC-1"); inv.LineItems[0].AccountCode != old {
					t.Errorf("refused, yet Xero's line account is %s", inv.LineItems[0].AccountCode)
				}
				return
			}
			if !export.CanUpdateDraft(before) {
				t.Fatal("a draft that differs is not offered for update")
			}
			if err != nil {
				t.Fatal(err)
			}
			inv := r.invoiceOf("OC-1")
			if inv.LineItems[0].AccountCode != s.Accounts.Sales || inv.Status != "DRAFT" || inv.InvoiceNumber != "OC-1" {
				t.Errorf("Xero holds %s %s with line account %s, want draft OC-1 on %s", inv.InvoiceNumber, inv.Status, inv.LineItems[0].AccountCode, s.Accounts.Sales)
			}
			if len(after.Differences) != 0 || export.CanUpdateDraft(after) {
				t.Errorf("after the update: differences %q", after.Differences)
			}
			rec := r.record(history.KindInvoice, "1")
			events, err := r.hist.Events(ctx, rec.ID)
			if err != nil {
				t.Fatal(err)
			}
			if rec.State != history.StateExported || rec.TotalsMatch == nil || !*rec.TotalsMatch || !hasEvent(events, "updated in Xero from the preview") {
				t.Errorf("record %+v, events %+v", rec, events)
			}
			// The next run leaves it as updated.
			if sum := r.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
				t.Errorf("the run after: %+v", sum)
			}
			if inv := r.invoiceOf("OC-1"); inv.LineItems[0].AccountCode != s.Accounts.Sales {
				t.Errorf("after the next run Xero's line account is %s", inv.LineItems[0].AccountCode)
			}
		})
	}
}

// TestUpdateDraftInterruptedIsLookedUp: the update of a draft from the
// preview goes through the same protection as every write. Xero saves the
// update but no answer comes back, as if the process were killed between
// the call and the record: the record is left "sending", the next run
// looks the invoice up (no second invoice, no write) and records it as
// Xero holds it, and the preview then shows no difference.
func TestUpdateDraftInterruptedIsLookedUp(t *testing.T) {
	r := newRefundShop(t, true)
	ctx := context.Background()
	r.s.InvoiceStatus = mapping.StatusDraft
	order := r.cupOrder(1)
	r.exportAll()
	s := r.s
	s.Accounts.Sales = "260"
	if r.s.Accounts.Sales == s.Accounts.Sales {
		s.Accounts.Sales = "200"
	}
	eng := r.engine(s)
	r.sandbox.Inject(xerotest.Fault{Method: "POST", Path: "/Invoices", Kind: xerotest.FaultDropAfterCommit, Times: -1})
	if _, err := eng.UpdateDraft(ctx, order); err == nil {
		t.Fatal("an update that got no answer returned no error")
	}
	r.sandbox.ClearFaults()
	if rec := r.record(history.KindInvoice, "1"); rec.State != history.StateSending || !strings.Contains(rec.Error, "no answer from Xero") {
		t.Fatalf("the record after the unanswered update: %+v; want sending", rec)
	}
	if inv := r.invoiceOf("OC-1"); inv.LineItems[0].AccountCode != s.Accounts.Sales {
		t.Fatalf("Xero's line account is %s; the sandbox saved the update", inv.LineItems[0].AccountCode)
	}

	r.sandbox.ResetCounters()
	if sum := r.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		t.Fatalf("the next run: %+v", sum)
	}
	if w := r.writes(); w != 0 || r.sandbox.Calls()["GET /Invoices"] == 0 {
		t.Errorf("the next run made %d writes, looked up invoices %d times: %v", w, r.sandbox.Calls()["GET /Invoices"], r.sandbox.Calls())
	}
	if n := len(r.invoicesNumbered("OC-1")); n != 1 {
		t.Errorf("Xero holds OC-1 %d times", n)
	}
	rec := r.record(history.KindInvoice, "1")
	if rec.State != history.StateExported || rec.TotalsMatch == nil || !*rec.TotalsMatch {
		t.Errorf("the record after the look-up: %+v", rec)
	}
	p, err := eng.PreviewOrder(ctx, order)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Differences) != 0 || export.CanUpdateDraft(p) {
		t.Errorf("the preview after the look-up: differences %q", p.Differences)
	}
	r.rerunSendsNothing(s)
}
