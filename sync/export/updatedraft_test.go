package export_test

import (
	"context"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
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
