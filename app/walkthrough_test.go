package app

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
	"github.com/opencart-xero/opencart-xero/views"
)

// newcomer drives a window the way a person does and counts what they do:
// every tap, every text typed, every choice in a list or tab bar is one
// action. Reading the screen is free.
type newcomer struct {
	*guiWindow
	actions []string
}

func (n *newcomer) did(what string) { n.actions = append(n.actions, what) }

// tapButton taps the visible, enabled button whose text is exactly text,
// looking in dialogs first (a confirmation's "Export" is not the
// window's "Export everything new").
func (n *newcomer) tapButton(text string) {
	n.t.Helper()
	var b *widget.Button
	n.waitFor("an enabled button "+strconv.Quote(text), func() bool {
		views.Sync(func() {
			b = nil
			var objs []fyne.CanvasObject
			for _, o := range n.w.Canvas().Overlays().List() {
				objs = visibleObjects(objs, o)
			}
			objs = visibleObjects(objs, n.w.Canvas().Content())
			for _, o := range objs {
				if v, ok := o.(*widget.Button); ok && !v.Disabled() && v.Text == text {
					b = v
					return
				}
			}
		})
		return b != nil
	})
	views.Sync(func() { test.Tap(b) })
	n.did("tap " + strconv.Quote(text))
}

func (n *newcomer) chooseTab(name string) {
	n.t.Helper()
	n.tab(name)
	n.did("tab " + name)
}

func (n *newcomer) typeText(placeholder, text string) {
	n.t.Helper()
	n.typeInto(placeholder, text)
	n.did("type " + strconv.Quote(text))
}

// TestNewcomerWalkthrough is issue 18's proof: a person new to the app, on
// a demo-like shop (guests, refunds, returns, several currencies, a
// cancelled order) and a Xero app set up but not signed in, gets every kind
// of document into Xero in at most 6 actions from launch, and finds why an
// order is not exported in at most 2, counted from another tab. Every
// action goes through the newcomer's counting helpers; waiting for the
// screen to show something is reading, not an action.
func TestNewcomerWalkthrough(t *testing.T) {
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	db.SeedEdgeCases()
	bulkOrders(db, 10)
	canceled := db.AddOrder(octest.Order{StatusID: 7, FirstName: "Carl", LastName: "Cancel", Email: "carl@example.com",
		DateAdded:     time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC),
		PaymentMethod: octest.Method{Title: "Bank Transfer", Code: "bank_transfer.bank_transfer"},
		Products:      []octest.Product{{ProductID: 40, Name: "Tea", Model: "T1", Quantity: 1, Price: "10.0000", Total: "10.0000", Tax: "2.0000"}},
		Totals: []octest.Total{octest.TotalRow("sub_total", "Sub-Total", "10.0000", 1), octest.TotalRow("tax", "VAT (20%)", "2.0000", 5),
			octest.TotalRow("total", "Total", "12.0000", 9)}})
	// Signing in at Xero happens in the browser, outside the app (the
	// sandbox approves at once); it is logged, not counted.
	signIn := browserGet(t)
	var signedIn atomic.Int32
	n := &newcomer{guiWindow: openGUI(t, xeroAppProfile(t, db, sb), "", func(u string) error {
		signedIn.Add(1)
		return signIn(u)
	})}

	// Launch → every kind of document in Xero.
	n.label("Three steps to your first export")
	n.tapButton("1  Connect to Xero")
	n.label("connected, renews automatically")
	n.label("Lists read from Xero") // the proposed accounts, to check
	n.tapButton("Save settings")
	n.label("Saved")
	n.chooseTab("Orders")
	n.tapButton("Export everything new")
	n.label("To Xero organisation")
	if find(n.guiWindow, func(b *widget.Button) bool { return b.Text == "Switch to Awaiting Payment" }) != nil {
		// New invoices default to Draft, on which Xero takes no payment.
		n.tapButton("Switch to Awaiting Payment")
		n.waitFor("the plan counted again", func() bool {
			return find(n.guiWindow, func(b *widget.Button) bool { return b.Text == "Switch to Awaiting Payment" }) == nil
		})
	}
	n.tapButton("Export")
	n.label("Export finished")
	tenant := xerotest.DefaultTenantID
	got := map[string]int{"contacts": len(sb.Contacts(tenant)), "invoices": len(sb.Invoices(tenant)),
		"payments": len(sb.Payments(tenant)), "credit notes": len(sb.CreditNotes(tenant))}
	for kind, c := range got {
		if c == 0 {
			t.Errorf("no %s in Xero after the walkthrough (%v); labels: %q", kind, got, n.labels())
		}
	}
	t.Logf("launch → every kind in Xero (%v): %d actions in the app (and %d sign-in at Xero in the browser): %s",
		got, len(n.actions), signedIn.Load(), strings.Join(n.actions, ", "))
	if len(n.actions) > 6 {
		t.Errorf("launch → every kind of document in Xero took %d actions, want ≤ 6: %s", len(n.actions), strings.Join(n.actions, ", "))
	}

	// Why is the cancelled order not exported? From another tab (the
	// person looked at the history of the run): open Orders, search the
	// order; the grid says.
	n.tab("History")
	n.actions = nil
	n.chooseTab("Orders")
	n.typeText("Search", "carl@example.com")
	n.label("1 order")
	tbl := find(n.guiWindow, func(*widget.Table) bool { return true })
	want := "Excluded: status Canceled — Settings › Which records export"
	n.waitFor("the reason in the grid row", func() bool {
		return n.tableText(tbl, 0, 1) == strconv.Itoa(canceled) && n.rowHas(tbl, 0, want)
	})
	t.Logf("why order %d is not exported: %d actions: %s", canceled, len(n.actions), strings.Join(n.actions, ", "))
	if len(n.actions) > 2 {
		t.Errorf("finding why an order is not exported took %d actions, want ≤ 2", len(n.actions))
	}
}

// rowHas tells whether a cell of the row shows text.
func (g *guiWindow) rowHas(tbl *widget.Table, row int, text string) bool {
	var cols int
	views.Sync(func() { _, cols = tbl.Length() })
	for c := range cols {
		if strings.Contains(g.tableText(tbl, row, c), text) {
			return true
		}
	}
	return false
}

// TestOrdersSortByWhatXeroHolds sorts the Orders grid by the Xero number
// (read from the history): the exported orders in number order, then the
// others (order 10 failed, without a number) by id; a second tap
// reverses; a search still narrows.
func TestOrdersSortByWhatXeroHolds(t *testing.T) {
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	bulkOrders(db, 12)
	dir := windowProfile(t, db, sb)
	exportOrders(t, dir, 3, 10, 5)
	g := openGUI(t, dir, views.TabOrders, nil)
	g.label("12 orders")
	tbl := find(g, func(*widget.Table) bool { return true })
	ids := func(n int) string {
		var out []string
		for i := range n {
			out = append(out, g.tableText(tbl, i, 1))
		}
		return strings.Join(out, " ")
	}
	g.waitFor("order 12 first", func() bool { return g.firstOrderID() == "12" })
	g.tap("Xero number")
	g.waitFor("the exported orders in number order, then the others", func() bool { return ids(5) == "3 5 1 2 4" })
	g.tap("Xero number ▲")
	g.waitFor("reversed", func() bool { return ids(5) == "5 3 12 11 10" })
	g.typeInto("Search", "b04@example.com") // order 5 alone of the 12
	g.label("1 order")
	g.waitFor("order 5 alone", func() bool { return ids(1) == "5" })
}

// exportOrders exports these orders of the profile's shop to its sandbox.
func exportOrders(t *testing.T, dir string, ids ...int) {
	t.Helper()
	ctx := context.Background()
	p, err := OpenProfile(ctx, dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	b, err := newBackend(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := b.Export(ctx, export.Request{Scope: export.ScopeOrders, IDs: ids, Trigger: "manual"}, nil); err != nil {
		t.Fatal(err)
	}
}
