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
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
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
	g := openGUIThemed(t, dir, views.TabOrders, windowOptions{}, theme.DefaultTheme())
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
	s := openGUIThemed(t, dir, views.TabSettings, windowOptions{}, theme.DefaultTheme())
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
