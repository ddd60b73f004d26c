package export_test

import (
	"context"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

// incRun runs an engine that reads only what changed, as the app builds
// it; hook, when set, sees every progress event (and may change the shop
// in the middle of the run).
func (e *env) incRun(s export.Settings, req export.Request, now time.Time, hook func(export.Event)) export.Summary {
	e.t.Helper()
	var progress export.Progress = e.events
	if hook != nil {
		progress = progressFunc(func(ev export.Event) { e.events.Report(ev); hook(ev) })
	}
	eng, err := export.New(export.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s, Progress: progress,
		Incremental: true, BatchSize: 2, Now: func() time.Time { return now }})
	if err != nil {
		e.t.Fatal(err)
	}
	sum, err := eng.Run(context.Background(), req)
	if err != nil {
		e.t.Fatalf("run: %v", err)
	}
	return sum
}

type progressFunc func(export.Event)

func (f progressFunc) Report(ev export.Event) { f(ev) }

// pendingOrders adds n orders awaiting payment (status 1), modified an
// hour apart from the shop's default date.
func pendingOrders(e *env, first, n int) []int {
	var ids []int
	for i := range n {
		at := octest.DefaultDate.Add(time.Duration(i) * time.Hour)
		o := vatOrder(first+i, 0, "Ann", "Lee", "ann@example.com", 1,
			[]octest.Product{product("Mug", 1, "10.0000", "2.0000")}, nil, "3.0000", "18.0000")
		o.DateAdded, o.DateModified = at, at
		o.History = []octest.History{{StatusID: 1, DateAdded: at}}
		ids = append(ids, e.shop.AddOrder(o))
	}
	return ids
}

func (e *env) state(kind, key string) string {
	e.t.Helper()
	rec, err := e.hist.RecordFor(context.Background(), kind, key)
	if err != nil {
		return "none"
	}
	return rec.State
}

func TestOrdersEditedDuringARunAreExportedByTheNext(t *testing.T) {
	e := newEnv(t, opencart.Family40)
	s := e.settings("AUTHORISED")
	ids := pendingOrders(e, 3001, 6)
	now := time.Now()
	// The shop's clock at the start of the run is the newest
	// date_modified (ChangedOrders); the edits below come later in the
	// shop's time, one early in the run and one two hours later, as in a
	// long run. A watermark taken at the end of the run would skip the
	// first; one taken at the start keeps both.
	start := octest.DefaultDate.Add(5 * time.Hour)
	edited := false
	first := e.incRun(s, export.Request{Scope: export.ScopeAll}, now, func(ev export.Event) {
		if ev.Stage == export.StageInvoices && ev.Done >= 2 && !edited {
			edited = true
			e.shop.SetOrderStatus(ids[0], 5, start.Add(time.Hour), "paid during the run")
			e.shop.SetOrderStatus(ids[1], 5, start.Add(3*time.Hour), "paid later in the run")
		}
	})
	if !edited || !first.FullRead {
		t.Fatalf("first run: edited %v, read everything %v (%s)", edited, first.FullRead, first.FullReadWhy)
	}
	wm, err := e.hist.Setting(context.Background(), "export.watermark.all")
	if want := start.Add(-export.WatermarkMargin).Format(time.DateTime); err != nil || wm != want {
		t.Fatalf("watermark %q (%v), want the shop's clock at the start less the margin %q", wm, err, want)
	}
	for _, id := range ids[:2] {
		if st := e.state(history.KindPayment, history.OrderKey(id)); st == history.StateExported {
			t.Fatalf("order %d: payment %s by the first run; the edit was meant to come after its invoice", id, st)
		}
	}
	second := e.incRun(s, export.Request{Scope: export.ScopeAll}, now.Add(time.Hour), nil)
	if second.FullRead {
		t.Fatalf("second run read everything (%s), want only what changed", second.FullReadWhy)
	}
	for _, id := range ids[:2] {
		if st := e.state(history.KindPayment, history.OrderKey(id)); st != history.StateExported {
			t.Errorf("order %d paid during the first run: payment %q after the second, want exported", id, st)
		}
	}
	// Orders 3..5 were not touched: only the last (inside the margin of
	// the clock) and the two edited ones are read.
	if second.ChangedOrders != 3 {
		t.Errorf("second run read %d orders, want 3 (the two edited, the newest inside the margin)", second.ChangedOrders)
	}
}

func TestANewReturnOnAnUnchangedOrderIsPickedUp(t *testing.T) {
	r := newRefundShop(t, false)
	id := r.cupOrder(1301)
	now := time.Now()
	if sum := r.incRun(r.s, export.Request{Scope: export.ScopeAll}, now, nil); !sum.FullRead {
		t.Fatal("the first run should read everything")
	}
	// Later orders move the shop's clock on; the return comes after them,
	// and the order's own date_modified does not change.
	for i := range 3 {
		o := vatOrder(1302+i, r.customer, "Rosa", "Reed", "rosa@example.com", 1,
			[]octest.Product{{ProductID: cupProduct, Name: "Cup", Quantity: 1, Price: "20.0000", Tax: "4.0000"}}, nil, "5.0000", "30.0000")
		o.DateAdded = day(10 + i)
		r.shop.AddOrder(o)
	}
	r.incRun(r.s, export.Request{Scope: export.ScopeAll}, now.Add(time.Hour), nil)
	ret := r.addReturn(id, cupProduct, "Cup", 1, "Credit Issued", day(20))
	sum := r.incRun(r.s, export.Request{Scope: export.ScopeAll}, now.Add(2*time.Hour), nil)
	if sum.FullRead {
		t.Fatalf("the run read everything (%s)", sum.FullReadWhy)
	}
	if st := r.state(history.KindCreditNote, history.ReturnKey(ret)); st != history.StateExported {
		t.Fatalf("return %d on order %d (date_modified unchanged): credit note %q, want exported", ret, id, st)
	}
	r.wantBooks("store credit issued", "24", "0", "0", "24")
	// The run after the one that sent the credit note reads its order once
	// more (the ledger may need a second run), then it rests: only the
	// newest order, inside the clock's margin, is read.
	// (The return's own stamp is put back before the shop's clock, which
	// the test's dates would otherwise leave it after for good.)
	r.shop.Exec("UPDATE `{prefix}return` SET date_modified = ? WHERE return_id = ?", day(1).Format(time.DateTime), ret)
	r.incRun(r.s, export.Request{Scope: export.ScopeAll}, now.Add(3*time.Hour), nil)
	if sum = r.incRun(r.s, export.Request{Scope: export.ScopeAll}, now.Add(4*time.Hour), nil); sum.FullRead || sum.ChangedOrders != 1 {
		t.Fatalf("a quiet run: read everything %v, %d orders; want only the newest, inside the margin", sum.FullRead, sum.ChangedOrders)
	}
	// A return status change alone (return_history) is seen too.
	r.shop.Exec("UPDATE `{prefix}return` SET date_modified = ? WHERE return_id = ?", day(1).Format(time.DateTime), ret)
	r.shop.SetReturnStatus(ret, octest.ReturnStatusPending, day(30), "checked")
	r.shop.Exec("UPDATE `{prefix}return` SET date_modified = ? WHERE return_id = ?", day(1).Format(time.DateTime), ret)
	sum = r.incRun(r.s, export.Request{Scope: export.ScopeAll}, now.Add(5*time.Hour), nil)
	if sum.FullRead || sum.ChangedOrders != 2 {
		t.Errorf("after a return history row: read everything %v, %d orders; want order %d and the newest, inside the margin", sum.FullRead, sum.ChangedOrders, id)
	}
}

func TestARunAfterASettingsChangeReadsEverything(t *testing.T) {
	e := newEnv(t, opencart.Family40)
	s := e.settings("AUTHORISED")
	pendingOrders(e, 3101, 3)
	now := time.Now()
	for i, c := range []struct {
		name     string
		change   func()
		req      export.Request
		after    time.Duration
		wantFull bool
		why      string
	}{
		{"first run", nil, export.Request{}, 0, true, "no complete run of all yet"},
		{"nothing changed", nil, export.Request{}, time.Hour, false, ""},
		{"settings changed", func() { s.CustomersEnabledOnly = !s.CustomersEnabledOnly }, export.Request{}, 2 * time.Hour, true, "the settings changed"},
		{"after the sweep", nil, export.Request{}, 3 * time.Hour, false, ""},
		{"--full", nil, export.Request{Full: true}, 4 * time.Hour, true, "asked for"},
		{"a day after the last full read", nil, export.Request{}, 29 * time.Hour, true, "the daily full read"},
		{"a dry run never moves the watermark", nil, export.Request{DryRun: true}, 30 * time.Hour, false, ""},
		{"an explicit selection reads what it names", nil, export.Request{IDs: []int{3101}}, 31 * time.Hour, true, ""},
	} {
		if c.change != nil {
			c.change()
		}
		c.req.Scope = export.ScopeAll
		sum := e.incRun(s, c.req, now.Add(c.after), nil)
		if sum.FullRead != c.wantFull || sum.FullReadWhy != c.why {
			t.Errorf("%d %s: read everything %v (%q), want %v (%q)", i, c.name, sum.FullRead, sum.FullReadWhy, c.wantFull, c.why)
		}
	}
}

func TestAChangedCustomerIsReadByTheNextRun(t *testing.T) {
	e := newEnv(t, opencart.Family30)
	s := e.settings("AUTHORISED")
	ids := e.shop.AddCustomers(octest.Customer{FirstName: "Ann", LastName: "Lee", Email: "ann@example.com"},
		octest.Customer{FirstName: "Bo", LastName: "Ng", Email: "bo@example.com"})
	now := time.Now()
	e.incRun(s, export.Request{Scope: export.ScopeAll}, now, nil)
	e.shop.Exec("UPDATE `{prefix}customer` SET cart = 'x' WHERE customer_id = ?", ids[1]) // not a column the export reads
	before := e.writes()
	e.incRun(s, export.Request{Scope: export.ScopeAll}, now.Add(time.Hour), nil)
	if n := e.writes() - before; n != 0 {
		t.Errorf("nothing the export reads changed, yet %d writes to Xero", n)
	}
	e.shop.Exec("UPDATE `{prefix}customer` SET lastname = 'Ngata' WHERE customer_id = ?", ids[1])
	e.incRun(s, export.Request{Scope: export.ScopeAll}, now.Add(2*time.Hour), nil)
	found := false
	for _, c := range e.sandbox.Contacts(tenant) {
		found = found || c.LastName == "Ngata"
	}
	if !found {
		t.Error("the renamed customer's contact was not updated by the next run")
	}
}

// TestADeletedReturnIsNoticedWithoutAFullRead: a return deleted in the shop
// leaves no row and no date behind, and its order's date_modified does not
// change; a run that reads only what changed still reads that order (its
// return's credit note is in Xero) and takes the credit note back, once.
func TestADeletedReturnIsNoticedWithoutAFullRead(t *testing.T) {
	r := newRefundShop(t, false)
	id := r.cupOrder(1401)
	now := time.Now()
	r.incRun(r.s, export.Request{Scope: export.ScopeAll}, now, nil)
	ret := r.addReturn(id, cupProduct, "Cup", 1, "Credit Issued", day(20))
	r.incRun(r.s, export.Request{Scope: export.ScopeAll}, now.Add(time.Hour), nil)
	if st := r.state(history.KindCreditNote, history.ReturnKey(ret)); st != history.StateExported {
		t.Fatalf("return %d: credit note %q, want exported", ret, st)
	}
	r.wantBooks("store credit issued", "24", "0", "0", "24")
	r.incRun(r.s, export.Request{Scope: export.ScopeAll}, now.Add(2*time.Hour), nil) // nothing new
	r.shop.DeleteReturn(ret)
	sum := r.incRun(r.s, export.Request{Scope: export.ScopeAll}, now.Add(3*time.Hour), nil)
	if sum.FullRead {
		t.Fatalf("the run read everything (%s)", sum.FullReadWhy)
	}
	if sum.ChangedOrders != 1 {
		t.Errorf("read %d orders after the return was deleted, want order %d", sum.ChangedOrders, id)
	}
	r.wantBooks("the deleted return's credit note taken back", "0", "0", "0", "0")
	before := r.record(history.KindCreditNote, history.ReturnKey(ret))
	r.incRun(r.s, export.Request{Scope: export.ScopeAll}, now.Add(4*time.Hour), nil)
	r.incRun(r.s, export.Request{Scope: export.ScopeAll}, now.Add(5*time.Hour), nil)
	if after := r.record(history.KindCreditNote, history.ReturnKey(ret)); after.RunID != before.RunID || after.State != before.State {
		t.Errorf("the withdrawn credit note was touched again: run %d %s, then run %d %s", before.RunID, before.State, after.RunID, after.State)
	}
	r.wantBooks("still nothing credited", "0", "0", "0", "0")
}
