package export_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/filelock"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/reconcile"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// undoShop is a shop of three orders exported in one run with approved
// invoices: 7001 paid, 7002 not paid, 7003 paid then refunded (invoice,
// payment, a credit note paid out as a refund).
func undoShop(t *testing.T) (*env, export.Settings, export.Summary) {
	t.Helper()
	e, s, c := cancelEnv(t, mapping.StatusAuthorised)
	s.RefundsAreFull = true
	e.shop.AddOrder(cancelOrder(7001, c, 5))
	e.shop.AddOrder(cancelOrder(7002, c, 1))
	refunded := cancelOrder(7003, c, 5)
	refunded.StatusID = 11
	refunded.History = append(refunded.History, refunded.History[0])
	refunded.History[2].StatusID, refunded.History[2].DateAdded = 11, day(2)
	e.shop.AddOrder(refunded)
	sum := e.run(s, export.Request{Scope: export.ScopeAll})
	if sum.Failed != 0 {
		t.Fatalf("first export: %+v", sum)
	}
	return e, s, sum
}

func (e *env) undoRun(s export.Settings, runID int64, dry bool) export.UndoResult {
	e.t.Helper()
	eng, err := export.New(export.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s})
	if err != nil {
		e.t.Fatal(err)
	}
	res, err := eng.UndoRun(context.Background(), export.UndoRequest{RunID: runID, DryRun: dry})
	if err != nil {
		e.t.Fatalf("undo run %d: %v", runID, err)
	}
	return res
}

// actions is the undo's plan as "kind opencart-id: action".
func actions(res export.UndoResult) map[string]export.UndoAction {
	out := map[string]export.UndoAction{}
	for _, it := range res.Items {
		out[it.Kind+" "+it.OpenCartID] = it.Action
	}
	return out
}

// live lists the invoices (or credit notes) in the sandbox neither voided
// nor deleted, by number.
func (e *env) liveInvoices() map[string]xerotest.Invoice {
	out := map[string]xerotest.Invoice{}
	for _, inv := range e.sandbox.Invoices(tenant) {
		if inv.Status != "VOIDED" && inv.Status != "DELETED" {
			if _, twice := out[inv.InvoiceNumber]; twice {
				e.t.Fatalf("two live invoices %s", inv.InvoiceNumber)
			}
			out[inv.InvoiceNumber] = inv
		}
	}
	return out
}

func (e *env) liveCreditNotes() []string {
	var out []string
	for _, cn := range e.sandbox.CreditNotes(tenant) {
		if cn.Status != "VOIDED" && cn.Status != "DELETED" {
			out = append(out, cn.CreditNoteNumber)
		}
	}
	return out
}

func onlyReads(e *env) []string {
	var writes []string
	for _, r := range e.sandbox.Requests() {
		if r.Method != "GET" && !strings.Contains(r.Key, "/connect/") {
			writes = append(writes, r.Key)
		}
	}
	return writes
}

// TestUndoRunThenExportAgainHoldsEachOrderOnce: a dry run lists the plan
// and only reads; the undo voids the invoices and the credit note (their
// payment and refund removed first) and puts the records back, so the
// next export sends each order again under a suffixed number; Xero then
// holds each order once and the month reconciles clean.
func TestUndoRunThenExportAgainHoldsEachOrderOnce(t *testing.T) {
	e, s, first := undoShop(t)
	if n := len(e.liveInvoices()); n != 3 {
		t.Fatalf("%d invoices after the export", n)
	}

	e.sandbox.ResetCounters()
	dry := e.undoRun(s, first.RunID, true)
	if w := onlyReads(e); len(w) != 0 {
		t.Fatalf("the dry run wrote to Xero: %v", w)
	}
	want := map[string]export.UndoAction{
		"invoice 7001": export.UndoVoid, "payment 7001": export.UndoRemovePayment,
		"invoice 7002": export.UndoVoid,
		"invoice 7003": export.UndoVoid, "payment 7003": export.UndoRemovePayment, "credit_note order-7003": export.UndoVoid,
	}
	got := actions(dry)
	for k, a := range want {
		if got[k] != a {
			t.Errorf("plan for %s: %q, want %q (%+v)", k, got[k], a, dry.Items)
		}
	}
	if dry.Undone != len(want) || dry.LeftAlone != 0 || dry.UndoRunID != 0 {
		t.Fatalf("dry run counts: %+v", dry)
	}
	if rec := e.invoiceRecord("7001"); rec.State != history.StateExported || rec.XeroID == "" {
		t.Fatalf("the dry run changed the history: %+v", rec)
	}

	res := e.undoRun(s, first.RunID, false)
	if res.Undone != len(want) || res.Failed != 0 || res.UndoRunID == 0 {
		t.Fatalf("undo: %+v", res)
	}
	if n := len(e.liveInvoices()); n != 0 {
		t.Fatalf("%d invoices left live after the undo", n)
	}
	if cns := e.liveCreditNotes(); len(cns) != 0 {
		t.Fatalf("credit notes left live: %v", cns)
	}
	for _, p := range e.sandbox.Payments(tenant) {
		if p.Status != "DELETED" {
			t.Fatalf("a payment was left: %+v", p)
		}
	}
	rec := e.invoiceRecord("7001")
	if rec.State != history.StateSkipped || rec.XeroID != "" || rec.XeroNumber != "OC-7001" || !strings.Contains(rec.Error, "undone by run") {
		t.Fatalf("the undone invoice's record: %+v", rec)
	}
	if again := e.undoRun(s, first.RunID, false); again.Undone != 0 || again.UndoRunID != 0 {
		t.Fatalf("undoing twice did something: %+v", again)
	}

	again := e.run(s, export.Request{Scope: export.ScopeAll})
	if again.Failed != 0 {
		t.Fatalf("export after the undo: %+v", again)
	}
	live := e.liveInvoices()
	for _, n := range []string{"OC-7001-2", "OC-7002-2", "OC-7003-2"} {
		if _, ok := live[n]; !ok {
			t.Fatalf("no live invoice %s: %v", n, live)
		}
	}
	if len(live) != 3 {
		t.Fatalf("live invoices after the re-export: %v", live)
	}
	if cns := e.liveCreditNotes(); len(cns) != 1 || cns[0] != "OC-CN-7003-2" {
		t.Fatalf("live credit notes after the re-export: %v", cns)
	}
	if inv := live["OC-7001-2"]; inv.AmountPaid == nil || !inv.AmountPaid.Decimal.Equal(decimal.NewFromInt(126)) {
		t.Fatalf("the re-exported paid order is not paid: %+v", inv.AmountPaid)
	}
	if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Exported != 0 || sum.Failed != 0 {
		t.Fatalf("a third export sent again: %+v", sum)
	}

	rep, err := reconcile.Run(context.Background(), reconcile.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s},
		reconcile.Month(2024, time.March))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Differences) != 0 || !rep.Clean() {
		t.Fatalf("reconcile after undo and re-export: %+v %+v", rep.Differences, rep.Totals)
	}
}

// TestUndoRunLeavesWhatChangedInXeroSince: an invoice a person paid in
// Xero after the run, and an invoice a later run paid, are left alone and
// listed with why; the rest of the run is undone.
func TestUndoRunLeavesWhatChangedInXeroSince(t *testing.T) {
	e, s, c := cancelEnv(t, mapping.StatusAuthorised)
	e.shop.AddOrder(cancelOrder(7101, c, 1))
	e.shop.AddOrder(cancelOrder(7102, c, 1))
	e.shop.AddOrder(cancelOrder(7103, c, 1))
	first := e.run(s, export.Request{Scope: export.ScopeAll})
	if first.Failed != 0 {
		t.Fatalf("first export: %+v", first)
	}
	bk, err := e.sandbox.Bookkeeper(tenant)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bk.AddPayment("OC-7101", decimal.NewFromInt(50), s.DefaultPaymentAccount, day(3)); err != nil {
		t.Fatal(err)
	}
	e.shop.SetOrderStatus(7102, 5, day(1), "") // paid later: the next run pays it
	if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		t.Fatalf("second export: %+v", sum)
	}

	e.sandbox.ResetCounters()
	dry := e.undoRun(s, first.RunID, true)
	if w := onlyReads(e); len(w) != 0 {
		t.Fatalf("the dry run wrote to Xero: %v", w)
	}
	why := map[string]string{}
	for _, it := range dry.Items {
		if it.Kind == history.KindInvoice {
			why[it.OpenCartID] = string(it.Action) + ": " + it.Why
		}
	}
	if !strings.HasPrefix(why["7101"], "leave alone: it was paid in Xero since") || !strings.Contains(why["7101"], "50.00") {
		t.Fatalf("7101: %q", why["7101"])
	}
	if !strings.HasPrefix(why["7102"], "leave alone: a later run sent its payment") {
		t.Fatalf("7102: %q", why["7102"])
	}
	if why["7103"] != "void: " {
		t.Fatalf("7103: %q", why["7103"])
	}
	if got := actions(dry)["contact "+mapping.CustomerKey(c)]; got != export.UndoKeep {
		t.Fatalf("the contact: %q (%+v)", got, dry.Items)
	}

	res := e.undoRun(s, first.RunID, false)
	if res.Undone != 1 || res.LeftAlone != 2 || res.Failed != 0 {
		t.Fatalf("undo: %+v", res)
	}
	live := e.liveInvoices()
	if _, ok := live["OC-7101"]; !ok {
		t.Fatalf("the invoice paid by hand went: %v", live)
	}
	if _, ok := live["OC-7103"]; ok {
		t.Fatalf("OC-7103 was not voided")
	}
	if rec := e.invoiceRecord("7101"); rec.State != history.StateExported || rec.XeroID == "" {
		t.Fatalf("the record of the invoice left alone: %+v", rec)
	}
}

// TestUndoRunRefusals: a dry run's run, an unknown run and a busy profile
// are refused with the reason; nothing is read from Xero.
func TestUndoRunRefusals(t *testing.T) {
	e, s, c := cancelEnv(t, mapping.StatusAuthorised)
	e.shop.AddOrder(cancelOrder(7201, c, 1))
	dry := e.run(s, export.Request{Scope: export.ScopeAll, DryRun: true})
	lock := filepath.Join(t.TempDir(), "export.lock")
	cases := []struct {
		name   string
		run    int64
		locked bool
		want   string
	}{
		{"a dry run sent nothing", dry.RunID, false, "was a dry run"},
		{"no such run", 999, false, "there is no run 999"},
		{"another export is running", dry.RunID, true, "another export is running"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			eng, err := export.New(export.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s, LockPath: lock})
			if err != nil {
				t.Fatal(err)
			}
			if tc.locked {
				unlock, err := filelock.Lock(context.Background(), lock)
				if err != nil {
					t.Fatal(err)
				}
				defer unlock()
			}
			e.sandbox.ResetCounters()
			_, err = eng.UndoRun(context.Background(), export.UndoRequest{RunID: tc.run})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if tc.locked && !errors.Is(err, export.ErrBusy) {
				t.Fatalf("not ErrBusy: %v", err)
			}
			if n := len(e.sandbox.Requests()); n != 0 {
				t.Fatalf("%d calls to Xero", n)
			}
		})
	}
}
