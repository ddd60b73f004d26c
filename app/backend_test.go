package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
	"github.com/opencart-xero/opencart-xero/views"
)

// TestFirstRunStoreStep walks the guided set-up's first step against a
// real OpenCart database: typing the connection, testing it (version and
// counts shown), and moving on stores it in the profile.
func TestFirstRunStoreStep(t *testing.T) {
	for _, fam := range []opencart.Family{opencart.Family30, opencart.Family41} {
		t.Run(string(fam), func(t *testing.T) {
			db := octest.NewDB(t, fam, "shop_")
			db.SeedEdgeCases()
			c := shopConfig(t, db)
			g := openGUI(t, t.TempDir(), "", nil)
			g.label("Step 1 of 4")
			g.typeInto("database host", c.Host)
			g.typeInto("3306", strconv.Itoa(c.Port))
			g.typeInto("database name", c.Database)
			g.typeInto("database user", c.User)
			g.typeInto("database password", c.Password)
			g.typeInto("table prefix", c.Prefix)
			g.tap("Test connection")
			got := g.label("Connected: OpenCart " + string(fam))
			for _, want := range []string{"customers (", "orders", `prefix "shop_"`} {
				if !strings.Contains(got, want) {
					t.Errorf("test result %q lacks %q", got, want)
				}
			}
			g.tap("Next")
			g.label("Step 2 of 4")
			// The step saves everything on the page; export.options is written last.
			g.waitFor("the step saved", func() bool { return g.setting("export.options") != "" })
			if got := g.setting("store.prefix"); got != "shop_" {
				t.Errorf("store.prefix = %q", got)
			}
			if got, want := g.setting("store.dsn"), storeDSN(c); got != want {
				t.Errorf("store.dsn = %q, want %q", got, want)
			}
		})
	}
}

// TestSettingsRefusesBadInput shows the settings' own messages next to the
// fields and stores nothing.
func TestSettingsRefusesBadInput(t *testing.T) {
	db := octest.NewDB(t, opencart.Family40, "oc_")
	g := openGUI(t, profileWithShop(t, db), views.TabSettings, nil)
	g.waitFor("the form filled", func() bool { return g.text(g.entry("table prefix")) == "oc_" })
	tests := []struct {
		name, placeholder, value, want string
	}{
		{"prefix", "table prefix", "oc-", "a table prefix has only letters"},
		{"client id", "Client ID", "has space", "must not contain spaces"},
		{"no host", "database host", "", "enter the host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g.typeInto(tt.placeholder, tt.value)
			g.tap("Save settings")
			g.label("Not saved: see the fields marked in red.")
			msg := strings.ToUpper(tt.want[:1]) + tt.want[1:]
			g.waitFor(strconv.Quote(msg)+" in red", func() bool {
				return find(g, func(l *widget.Label) bool {
					return l.Importance == widget.DangerImportance && strings.Contains(l.Text, msg)
				}) != nil
			})
			if g.setting("store.prefix") != "oc_" || g.setting("xero.client_id") != "" {
				t.Error("a refused value was stored")
			}
		})
		// put the field back for the next case
		switch tt.placeholder {
		case "table prefix":
			g.typeInto(tt.placeholder, "oc_")
		case "Client ID":
			g.typeInto(tt.placeholder, "")
		case "database host":
			g.typeInto(tt.placeholder, shopConfig(t, db).Host)
		}
	}
	g.typeInto("Client ID", "my-app")
	g.tap("Save settings")
	g.label("Saved")
	if got := g.setting("xero.client_id"); got != "my-app" {
		t.Errorf("xero.client_id = %q", got)
	}
}

// TestSettingsConnectXero signs in to the sandbox through the window: the
// "browser" fetches the sign-in address, the organisation is chosen, the
// account and tax dropdowns fill from Xero with the proposals pre-selected,
// and saving stores the mapping; Disconnect forgets the sign-in.
func TestSettingsConnectXero(t *testing.T) {
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	db.SeedEdgeCases()
	g := openGUI(t, xeroAppProfile(t, db, sb), views.TabSettings, browserGet(t))
	g.label("not connected")
	g.waitFor("the saved client id", func() bool { return g.text(g.entry("Client ID")) == "gui-test-app" })
	g.tap("Connect to Xero")
	g.label("connected, renews automatically")
	if got := g.setting("xero.tenant_id"); got != xerotest.DefaultTenantID {
		t.Errorf("xero.tenant_id = %q, want the only organisation %q", got, xerotest.DefaultTenantID)
	}
	g.label("Lists read from Xero")
	rounding := find(g, func(s *widget.Select) bool { return strings.HasPrefix(s.Selected, "860 ") })
	if rounding == nil {
		t.Error("the rounding account 860 (Xero's ROUNDING system account) is not pre-selected")
	}
	vat := find(g, func(s *widget.Select) bool {
		return strings.Contains(s.Selected, "20%") || strings.HasPrefix(s.Selected, "OUTPUT2 ")
	})
	if vat == nil {
		t.Error("the 20% VAT rate is not mapped to Xero's 20% output VAT")
	}
	// Every account is proposed, as `config propose` does: nothing is left to choose.
	if empty := find(g, func(s *widget.Select) bool {
		return s.PlaceHolder == "(choose)" && s.Selected == "" && len(s.Options) > 0
	}); empty != nil {
		t.Errorf("a dropdown is left to choose: %v", empty.Options)
	}
	g.tap("Save settings")
	g.label("Saved. Changes apply to what is exported from now on")
	var set export.Settings
	if err := json.Unmarshal([]byte(g.setting("export.options")), &set); err != nil {
		t.Fatal(err)
	}
	if set.Accounts.Rounding != "860" || set.Accounts.Sales != "200" || set.DefaultPaymentAccount == "" {
		t.Errorf("saved accounts %+v, bank %q", set.Accounts, set.DefaultPaymentAccount)
	}
	if len(set.TaxRates) == 0 {
		t.Error("no tax mapping saved")
	}
	g.tap("Disconnect")
	g.label("not connected")
	if got := g.setting("xero.tenant_id"); got != "" {
		t.Errorf("xero.tenant_id after disconnect = %q", got)
	}
}

// bulkOrders adds n orders with 20 customers' names, one a minute; every
// tenth order's total is 2.00 more than its lines (an edited order).
func bulkOrders(db *octest.DB, n int) {
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var orders []octest.Order
	for i := range n {
		// Statuses the shop has (4 is not one: such orders are refused
		// with what to do, see TestOrderInUnknownStatusIsReported).
		orders = append(orders, octest.Order{StatusID: []int{1, 2, 3, 15, 5}[i%5], FirstName: "Buyer", LastName: fmt.Sprintf("N%02d", i%20),
			Email: fmt.Sprintf("b%02d@example.com", i%20), DateAdded: base.Add(time.Duration(i) * time.Minute),
			PaymentMethod: octest.Method{Title: "Bank Transfer", Code: "bank_transfer.bank_transfer"},
			Products:      []octest.Product{{ProductID: 40, Name: "Tea", Model: "T1", Quantity: 1, Price: "10.0000", Total: "10.0000", Tax: "2.0000"}},
			Totals: []octest.Total{octest.TotalRow("sub_total", "Sub-Total", "10.0000", 1), octest.TotalRow("tax", "VAT (20%)", "2.0000", 5),
				octest.TotalRow("total", "Total", strconv.Itoa(12+2*btoi(i%10 == 9))+".0000", 9)}})
	}
	db.AddOrders(orders...)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// firstOrderID is the order number in the first row of the visible grid.
func (g *guiWindow) firstOrderID() string {
	tbl := find(g, func(*widget.Table) bool { return true })
	if tbl == nil {
		return ""
	}
	return g.tableText(tbl, 0, 1)
}

// TestOrdersGridPagesSearchesSorts pages through a shop's orders, searches
// and sorts, with the export state read from the history.
func TestOrdersGridPagesSearchesSorts(t *testing.T) {
	db := octest.NewDB(t, opencart.Family40, "oc_")
	bulkOrders(db, 250)
	dir := profileWithShop(t, db)
	g := openGUI(t, dir, views.TabOrders, nil)
	g.label("250 orders")
	g.waitFor("the newest order first", func() bool { return g.firstOrderID() == "250" })

	// A failed export of order 250 shows with its reason.
	if _, err := g.p.History.SaveRecord(context.Background(), history.Record{Kind: history.KindInvoice, OpenCartID: "250",
		State: history.StateFailed, Error: "Account code '999' is not a valid code"}); err != nil {
		t.Fatal(err)
	}
	stateSel := find(g, func(s *widget.Select) bool { return s.Selected == "Any export state" })
	views.Sync(func() { stateSel.SetSelected("Failed") })
	g.label("1 order")
	g.waitFor("the failed row", func() bool {
		tbl := find(g, func(*widget.Table) bool { return true })
		return strings.Contains(g.tableText(tbl, 0, 8), "failed: Account code '999'")
	})
	views.Sync(func() { stateSel.SetSelected("Any export state") })
	g.label("250 orders")

	g.typeInto("Search", "b07@example.com")
	g.label("13 orders") // orders 8, 28, … 248
	g.waitFor("order 248 first", func() bool { return g.firstOrderID() == "248" })
	g.tap("Order ▼")
	g.waitFor("order 8 first after sorting up", func() bool { return g.firstOrderID() == "8" })
	g.typeInto("Search", "")
	g.label("250 orders")
	g.waitFor("order 1 first", func() bool { return g.firstOrderID() == "1" })

	// Scrolling far down loads the page there, not everything before it.
	tbl := find(g, func(*widget.Table) bool { return true })
	views.Sync(func() { tbl.ScrollTo(widget.TableCellID{Row: 240, Col: 1}) })
	g.waitFor("order 241 read on its own page", func() bool { return g.tableText(tbl, 240, 1) == "241" })
}

// TestExportProgressCancelAndHistory runs an export from the Orders screen
// against the sandbox with the progress bar, then retries failed records
// from History. It needs the export engine.
func TestExportProgressCancelAndHistory(t *testing.T) {
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	bulkOrders(db, 120)
	dir := windowProfile(t, db, sb)
	g := openGUI(t, dir, views.TabOrders, nil)
	g.label("120 orders")
	g.tap("Export all new")
	g.tap("Cancel")
	g.label("Export cancelled")
	g.tap("Export all new")
	g.waitFor("the export to end", func() bool {
		for _, l := range g.labels() {
			if strings.HasPrefix(l, "Export finished") || strings.HasPrefix(l, "Export stopped") {
				return true
			}
		}
		return false
	})
	got := g.label("Export finished")
	if !strings.Contains(got, "12 failed") {
		t.Errorf("summary %q: want the 12 edited orders failed", got)
	}
	g.tab("History")
	run := g.label(" records, 12 failed.")
	if strings.HasPrefix(run, "Run 0") {
		t.Errorf("history: %q", run)
	}
	g.label("the customer paid 14")
	g.tap("Retry failed")
	g.waitFor("the retry run to end", func() bool { return g.label("Export finished") != got })
	// The retry run sends the 12 failed records again (they fail again).
	g.waitFor("the retry run in the history", func() bool { return g.label(" records, 12 failed.") != run })
}

// windowProfile is a profile whose shop is db, signed in to the sandbox
// sb with accounts and the 20% VAT rate mapped.
func windowProfile(t *testing.T, db *octest.DB, sb *xerotest.Server) string {
	t.Helper()
	dir := profileWithShop(t, db)
	ctx := context.Background()
	p, err := OpenProfile(ctx, dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"xero.client_id": "gui-test-app", "xero.base_url": sb.URL,
		"xero.redirect_port": freePort(t), "xero.tenant_id": xerotest.DefaultTenantID} {
		if err := p.Settings.Set(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	tok, err := sb.Connect("gui-test-app", "offline_access accounting.contacts accounting.invoices accounting.payments accounting.settings.read", xerotest.DefaultTenantID)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"access_token": tok.AccessToken, "refresh_token": tok.RefreshToken, "expiry": time.Now().Add(25 * time.Minute), "issuer": sb.URL})
	if err := p.Secrets.Set(secretXeroToken, string(b)); err != nil {
		t.Fatal(err)
	}
	set := export.DefaultSettings()
	set.Accounts.Sales, set.Accounts.Shipping, set.Accounts.Discounts, set.Accounts.Fees = "200", "200", "200", "260"
	set.Accounts.VouchersSold, set.Accounts.StoreCredit, set.Accounts.Rounding = "260", "260", "860"
	set.DefaultPaymentAccount = "090"
	set.TaxRates = []mapping.TaxMap{{Title: "VAT (20%)", Rate: decimal.NewFromInt(20), Type: "P", TaxType: "OUTPUT2"}}
	if err := SaveExportSettings(ctx, p, set); err != nil {
		t.Fatal(err)
	}
	p.Close()

	return dir
}

// TestOrderPreview opens the preview of an order from the Orders screen:
// the invoice line by line beside OpenCart's totals, with the match.
func TestOrderPreview(t *testing.T) {
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	bulkOrders(db, 10)
	g := openGUI(t, windowProfile(t, db, sb), views.TabOrders, nil)
	g.label("10 orders")
	tbl := find(g, func(*widget.Table) bool { return true })
	g.waitFor("order 10 first", func() bool { return g.firstOrderID() == "10" })
	views.Sync(func() { tbl.Select(widget.TableCellID{Row: 1, Col: 2}) })
	g.label("Order 9, Buyer N08: not exported")
	g.tap("Preview")
	g.label("Xero document, line by line")
	g.label("Invoice OC-9 to contact OC-G")
	g.label("OpenCart total GBP 12.00 · Xero total GBP 12.00 · ✔ the totals match")
	g.label("Not exported yet")
	for _, want := range []string{"Tea", "OUTPUT2", "Sub-Total", "VAT (20%)"} {
		g.label(want)
	}
}

// TestAuditTrail lists every outcome of every record, oldest first, as the
// CSV export writes them: "sending" only where no answer followed it.
func TestAuditTrail(t *testing.T) {
	ctx := context.Background()
	p, err := OpenProfile(ctx, t.TempDir(), nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	run, err := p.History.StartRun(ctx, "orders", "manual", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []history.Record{
		{Kind: history.KindInvoice, OpenCartID: "5", State: history.StateSending, RunID: run},
		{Kind: history.KindInvoice, OpenCartID: "5", State: history.StateFailed, Error: "Invoice # must be unique.", RunID: run, DocumentDate: "2026-11-02"},
		{Kind: history.KindContact, OpenCartID: "OC-C1", State: history.StateExported, XeroID: "c-1", RunID: run},
		{Kind: history.KindInvoice, OpenCartID: "6", State: history.StateSending, RunID: run},
	} {
		if _, err := p.History.SaveRecord(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	b, err := newBackend(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := b.AuditTrail(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, fmt.Sprintf("%d %s %s %s %s %s", e.RunID, e.Kind, e.OpenCartID, e.State, e.DocumentDate, e.Message))
	}
	want := []string{
		fmt.Sprintf("%d invoice 5 failed 2026-11-02 Invoice # must be unique.", run),
		fmt.Sprintf("%d contact OC-C1 exported  ", run),
		fmt.Sprintf("%d invoice 6 sending  ", run),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit trail =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var buf strings.Builder
	if err := views.WriteAuditCSV(&buf, entries); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n"); n != 4 {
		t.Errorf("CSV has %d lines, want a header and 3 outcomes:\n%s", n, buf.String())
	}
}

// TestFirstRunMarkup pins the guided set-up's first screen (test theme).
func TestFirstRunMarkup(t *testing.T) {
	g := openGUI(t, t.TempDir(), "", nil)
	g.waitFor("the default prefix", func() bool { return g.text(g.entry("table prefix")) == "oc_" })
	views.Sync(func() { test.AssertRendersToMarkup(t, "first-run.xml", g.w.Canvas()) })
}

// TestExportSelected ticks two orders and exports only those.
func TestExportSelected(t *testing.T) {
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	bulkOrders(db, 5)
	g := openGUI(t, windowProfile(t, db, sb), views.TabOrders, nil)
	g.label("5 orders")
	g.waitFor("order 5 first", func() bool { return g.firstOrderID() == "5" })
	tbl := find(g, func(*widget.Table) bool { return true })
	views.Sync(func() {
		tbl.Select(widget.TableCellID{Row: 0, Col: 0})
		tbl.Select(widget.TableCellID{Row: 2, Col: 0})
	})
	if got := g.tableText(tbl, 0, 0) + g.tableText(tbl, 1, 0) + g.tableText(tbl, 2, 0); got != "☑☐☑" {
		t.Errorf("ticks = %q", got)
	}
	g.tap("Export selected (2)")
	g.label("Export finished")
	g.waitFor("the states in the grid", func() bool {
		return g.tableText(tbl, 0, 8) == "exported" && g.tableText(tbl, 2, 8) == "exported"
	})
	for _, row := range []int{1, 3, 4} {
		if got := g.tableText(tbl, row, 8); got != "not exported" {
			t.Errorf("row %d: %q, want not exported", row, got)
		}
	}
	if got := g.tableText(tbl, 0, 6); got != "GBP 12.00" {
		t.Errorf("Xero total of order 5 = %q, want GBP 12.00 beside OpenCart's", got)
	}
	if n := len(sb.Invoices(xerotest.DefaultTenantID)); n != 2 {
		t.Errorf("%d invoices in Xero, want 2", n)
	}
}

// TestScheduledExport runs the automatic export (here every 30 × 20 ms
// instead of 30 minutes, so that one run ends before the next starts) and
// tells the desktop when it ends.
func TestScheduledExport(t *testing.T) {
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	bulkOrders(db, 3)
	dir := windowProfile(t, db, sb)
	p, err := OpenProfile(context.Background(), dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	set, err := LoadExportSettings(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	set.AutoSyncMinutes = 30
	if err := SaveExportSettings(context.Background(), p, set); err != nil {
		t.Fatal(err)
	}
	p.Close()
	g := openGUIWith(t, dir, views.TabHistory, windowOptions{SyncUnit: 20 * time.Millisecond})
	n := &fyne.Notification{Title: "OpenCart → Xero"}
	test.AssertNotificationSent(t, n, func() {
		n.Content = g.label("Export finished")
	})
	g.label("all, scheduled")
}

// TestSettingsReconnectNeeded shows a sign-in Xero no longer accepts.
func TestSettingsReconnectNeeded(t *testing.T) {
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	dir := windowProfile(t, db, sb)
	p, err := OpenProfile(context.Background(), dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"access_token": "expired", "refresh_token": "withdrawn", "expiry": time.Now().Add(-time.Hour), "issuer": sb.URL})
	if err := p.Secrets.Set(secretXeroToken, string(b)); err != nil {
		t.Fatal(err)
	}
	p.Close()
	g := openGUI(t, dir, views.TabSettings, nil)
	g.label("reconnect needed")
}

// TestSettingsConnectPicksOrganisation asks which organisation to use when
// the sign-in reaches several, and stores the one picked.
func TestSettingsConnectPicksOrganisation(t *testing.T) {
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, Tenants: []xerotest.Tenant{
		{ID: "11111111-1111-4111-8111-111111111111", Name: "Bean & Leaf Ltd", CountryCode: "GB", BaseCurrency: "GBP"},
		{ID: "22222222-2222-4222-8222-222222222222", Name: "Bean & Leaf GmbH", CountryCode: "GB", BaseCurrency: "GBP"},
	}})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	g := openGUI(t, xeroAppProfile(t, db, sb), views.TabSettings, browserGet(t))
	g.waitFor("the saved client id", func() bool { return g.text(g.entry("Client ID")) == "gui-test-app" })
	g.tap("Connect to Xero")
	g.label("connected — choose the organisation above")
	if got := g.setting("xero.tenant_id"); got != "" {
		t.Errorf("an organisation was chosen without asking: %q", got)
	}
	org := find(g, func(s *widget.Select) bool { return s.PlaceHolder == "(choose the organisation)" })
	if org == nil {
		t.Fatal("no organisation picker")
	}
	views.Sync(func() { org.SetSelected("Bean & Leaf GmbH") })
	g.waitFor("the organisation saved", func() bool { return g.setting("xero.tenant_id") == "22222222-2222-4222-8222-222222222222" })
}

// xeroAppProfile is a profile whose shop is db, with a Xero app set up for
// the sandbox sb but not signed in.
func xeroAppProfile(t *testing.T, db *octest.DB, sb *xerotest.Server) string {
	t.Helper()
	dir := profileWithShop(t, db)
	p, err := OpenProfile(context.Background(), dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for k, v := range map[string]string{"xero.client_id": "gui-test-app", "xero.base_url": sb.URL, "xero.redirect_port": freePort(t)} {
		if err := p.Settings.Set(context.Background(), k, v); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestCreditNotesAndPayments lists refunded and paid orders with the state
// of their credit note (here one of a product return) and payment.
func TestCreditNotesAndPayments(t *testing.T) {
	db := octest.NewDB(t, opencart.Family40, "oc_")
	ec := db.SeedEdgeCases()
	dir := profileWithShop(t, db)
	p, err := OpenProfile(context.Background(), dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []history.Record{
		{Kind: history.KindCreditNote, OpenCartID: "return-" + strconv.Itoa(ec.CreditReturn), State: history.StateFailed, Error: "Organisation is not subscribed to currency JPY"},
		{Kind: history.KindPayment, OpenCartID: strconv.Itoa(ec.Guest), State: history.StateExported, XeroID: "p-1", XeroTotal: "95.30"},
	} {
		if _, err := p.History.SaveRecord(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	p.Close()
	g := openGUI(t, dir, views.TabDocuments, nil)
	// The refunded order, and the guest's completed order with a refunded
	// return: both owe a credit note.
	g.label("2 orders credited")
	tbl := find(g, func(*widget.Table) bool { return true })
	g.waitFor("the refunded order with its return's credit note, and the guest's returned order", func() bool {
		rows := map[string]string{}
		for i := range 2 {
			rows[g.tableText(tbl, i, 1)] = g.tableText(tbl, i, 8)
		}
		state, listed := rows[strconv.Itoa(ec.Guest)]
		return rows[strconv.Itoa(ec.EmptyPayment)] == "failed: Organisation is not subscribed to currency JPY" && listed && state == "not exported"
	})
	// The amount is the refund the ledger credits (one returned mug,
	// less its share of the coupon), not the guest's order total 50.60.
	for i := range 2 {
		if g.tableText(tbl, i, 1) == strconv.Itoa(ec.Guest) {
			if got := g.tableText(tbl, i, 5); got == "GBP 50.60" || !strings.HasPrefix(got, "GBP ") || got == "GBP 0.00" {
				t.Errorf("the guest's refund shows %q, want the returned mug's amount", got)
			}
		}
	}
	g.tab("Payments (paid orders)")
	g.label(" paid order")
	pay := find(g, func(*widget.Table) bool { return true })
	g.waitFor("the guest's payment", func() bool {
		rows, _ := pay.Length()
		for i := range rows {
			if g.tableText(pay, i, 1) == strconv.Itoa(ec.Guest) {
				return g.tableText(pay, i, 8) == "exported"
			}
		}
		return false
	})
}
