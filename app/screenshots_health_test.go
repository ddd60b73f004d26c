//go:build screenshots

package app

// Screenshots of the Xero connection's health for docs/screenshots,
// captured in-process with the app's theme (no binary needed):
//
//	go test -tags 'ci screenshots' -run TestHealthScreenshots ./app

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
	"github.com/opencart-xero/opencart-xero/views"
)

func TestHealthScreenshots(t *testing.T) {
	out, err := filepath.Abs("../docs/screenshots")
	if err != nil {
		t.Fatal(err)
	}
	save := func(name string, g *guiWindow) {
		t.Helper()
		var img image.Image
		views.Sync(func() { img = g.w.Canvas().Capture() })
		f, err := os.Create(filepath.Join(out, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
	}
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	bulkOrders(db, 20)
	dir := windowProfile(t, db, sb)

	// Settings → Xero → Health, 9 days before the sign-in lapses unused.
	renewedDaysAgo(t, dir, 50)
	g := openGUIThemed(t, dir, views.TabSettings, windowOptions{}, views.Look())
	g.label("The Xero connection lapses on")
	// The Xero section at the top (its header is 600 down the page): an
	// entry half scrolled out has its placeholder drawn over the tabs.
	scroll := find(g, func(*container.Scroll) bool { return true })
	views.Sync(func() { scroll.ScrollToOffset(fyne.NewPos(0, 600)) })
	time.Sleep(300 * time.Millisecond)
	save("health", g)

	// A run that finds the sign-in withdrawn: the banner and its button.
	withdrawSignIn(t, dir, sb)
	o := openGUIThemed(t, dir, views.TabOrders, windowOptions{}, views.Look())
	o.tap("Export all new")
	o.label("Xero no longer accepts the connection: sign in to Xero again.")
	save("sign-in-again", o)
}
