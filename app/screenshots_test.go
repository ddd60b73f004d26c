//go:build screenshots

package app

// Screenshots of every screen for docs/screenshots, taken from the real
// (cgo) binary under Xvfb, on a real OpenCart database and the Xero
// sandbox:
//
//	go build -o /tmp/ocx . && OPENCART_XERO_BIN=/tmp/ocx \
//	  go test -tags 'ci screenshots' -run TestScreenshots -timeout 10m ./app

import (
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
	"github.com/opencart-xero/opencart-xero/views"
)

func TestScreenshots(t *testing.T) {
	bin := os.Getenv("OPENCART_XERO_BIN")
	if bin == "" {
		t.Fatal("set OPENCART_XERO_BIN to the GUI binary (go build -o /tmp/ocx .)")
	}
	out, err := filepath.Abs("../docs/screenshots")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	db.SeedEdgeCases()
	bulkOrders(db, 2000)
	dir := windowProfile(t, db, sb)

	// Export the first 150 orders so that the screens show every state.
	ctx := context.Background()
	p, err := OpenProfile(ctx, dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	b, err := newBackend(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int
	for i := 1; i <= 150; i++ {
		ids = append(ids, i)
	}
	if _, err := b.Export(ctx, export.Request{Scope: export.ScopeOrders, IDs: ids, Trigger: "manual"}, nil); err != nil {
		t.Fatal(err)
	}
	b.Close()
	p.Close()

	shoot := func(name, profile, tab string) {
		t.Helper()
		shot := filepath.Join(out, name+".png")
		cmd := exec.Command("xvfb-run", "-a", "-s", "-screen 0 1100x760x24", "sh", "-c",
			`"$BIN" & app=$!; sleep 7; import -window root "$SHOT"; kill $app; wait $app`)
		cmd.Env = append(os.Environ(), "BIN="+bin, "SHOT="+shot, ProfileEnv+"="+profile, SecretsEnv+"=file",
			TabEnv+"="+tab, "LANG=en_US.UTF-8")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, b)
		}
	}
	for _, tab := range []string{views.TabSettings, views.TabCustomers, views.TabOrders, views.TabDocuments, views.TabHistory, views.TabReconcile} {
		shoot(tab, dir, tab)
	}
	shoot("first-run", t.TempDir(), "")

	// The preview is a dialog: captured in-process with the app's theme.
	g := openGUIThemed(t, dir, views.TabOrders, windowOptions{}, views.Look())
	g.label(" orders")
	exported := find(g, func(s *widget.Select) bool { return s.Selected == "Any export state" })
	views.Sync(func() { exported.SetSelected("Exported") })
	g.label("104 orders")
	tbl := find(g, func(*widget.Table) bool { return true })
	g.waitFor("order 150 first", func() bool { return g.firstOrderID() == "150" })
	views.Sync(func() { tbl.Select(widget.TableCellID{Row: 0, Col: 2}) })
	g.tap("Preview")
	g.label("Xero document, line by line")
	f, err := os.Create(filepath.Join(out, "preview.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, g.w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}

	// The accounts and tax part of Settings, below the first screenful.
	s := openGUIThemed(t, dir, views.TabSettings, windowOptions{}, views.Look())
	s.label("Lists read from Xero")
	scroll := find(s, func(*container.Scroll) bool { return true })
	views.Sync(func() { scroll.ScrollToOffset(fyne.NewPos(0, 650)) })
	f2, err := os.Create(filepath.Join(out, "settings-accounts.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	if err := png.Encode(f2, s.w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

// TestDemoScreenshots takes, on the demo's profile (scripts/demo.sh
// shots starts the sample shop and the sandbox and prepares it), the
// screenshots that need a dialog open or a page scrolled: the same window
// as the binary's, in-process, with the app's theme. OPENCART_XERO_SHOTS
// names the shots to take.
func TestDemoScreenshots(t *testing.T) {
	dir := os.Getenv("OPENCART_XERO_SHOTS_PROFILE")
	if dir == "" {
		t.Fatal("set OPENCART_XERO_SHOTS_PROFILE to the demo profile (run scripts/demo.sh shots)")
	}
	out, err := filepath.Abs("../docs/screenshots")
	if err != nil {
		t.Fatal(err)
	}
	save := func(g *guiWindow, name string) {
		t.Helper()
		f, err := os.Create(filepath.Join(out, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, g.w.Canvas().Capture()); err != nil {
			t.Fatal(err)
		}
	}
	// settingsAt scrolls Settings so that the heading is above pixels
	// below the top.
	settingsAt := func(name, heading string, above float32) {
		s := openGUIThemed(t, dir, views.TabSettings, windowOptions{}, views.Look())
		s.label(heading)
		// The lists read from Xero and the shop fill in the background:
		// wait for the last of them before measuring the page.
		s.label("Lists read from Xero")
		s.label("VAT Number")
		time.Sleep(2 * time.Second)
		scroll := find(s, func(*container.Scroll) bool { return true })
		h := find(s, func(l *widget.Label) bool { return l.Text == heading })
		views.Sync(func() {
			d := fyne.CurrentApp().Driver()
			y := d.AbsolutePositionForObject(h).Y - d.AbsolutePositionForObject(scroll.Content).Y
			scroll.ScrollToOffset(fyne.NewPos(0, y-above))
		})
		time.Sleep(500 * time.Millisecond)
		save(s, name)
	}
	for _, name := range strings.Fields(os.Getenv("OPENCART_XERO_SHOTS")) {
		switch name {
		case "export-everything-confirm":
			g := openGUIThemed(t, dir, views.TabOrders, windowOptions{}, views.Look())
			g.label(" orders")
			g.tap("Export everything new")
			g.label("Would be sent")
			save(g, name)
		case "preview":
			g := openGUIThemed(t, dir, views.TabOrders, windowOptions{}, views.Look())
			g.label(" orders")
			tbl := find(g, func(*widget.Table) bool { return true })
			g.waitFor("the orders", func() bool { return g.firstOrderID() != "" })
			views.Sync(func() { tbl.Select(widget.TableCellID{Row: 0, Col: 2}) })
			g.tap("Preview")
			g.label("Xero document, line by line")
			save(g, name)
		case "history":
			// The day's real run chosen, below the folded quiet runs.
			g := openGUIThemed(t, dir, views.TabHistory, windowOptions{}, views.Look())
			g.label("Run ")
			runs := find(g, func(*widget.Table) bool { return true })
			views.Sync(func() { runs.Select(widget.TableCellID{Row: 1, Col: 2}) })
			g.label("Run 2:")
			time.Sleep(time.Second)
			save(g, name)
		case "reconcile":
			// This month read back from Xero after the day's export.
			g := openGUIThemed(t, dir, views.TabReconcile, windowOptions{}, views.Look())
			g.tap("Reconcile")
			g.label("Differences")
			time.Sleep(3 * time.Second)
			save(g, name)
		case "undo-confirm":
			// What undoing the day's export would do, asked before anything changes.
			g := openGUIThemed(t, dir, views.TabHistory, windowOptions{}, views.Look())
			g.label("Run ")
			runs := find(g, func(*widget.Table) bool { return true })
			views.Sync(func() { runs.Select(widget.TableCellID{Row: 1, Col: 2}) })
			g.label("Run 2:")
			g.tap("Undo this run…")
			g.label("Undo run 2?") // the plan read from Xero, asked about
			time.Sleep(500 * time.Millisecond)
			save(g, name)
		case "settings-accounts":
			settingsAt(name, "Payment methods: the account their money goes into, and when it has arrived", 420)
		case "settings-payment-methods":
			settingsAt(name, "Payment methods: the account their money goes into, and when it has arrived", 40)
		case "settings-vat-classes":
			settingsAt(name, "Sales OpenCart charged no tax on: their VAT class", 40)
		default:
			t.Fatalf("no screenshot %q", name)
		}
	}
}
