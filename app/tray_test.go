package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
	"github.com/opencart-xero/opencart-xero/views"
)

// trayApp is Fyne's test app with a system tray (desktop.App), noting the
// menu and icon the app puts there, the notifications and Quit.
type trayApp struct {
	fyne.App
	mu    sync.Mutex
	menu  *fyne.Menu
	icon  fyne.Resource
	notes []fyne.Notification
	quit  bool
}

func (a *trayApp) SetSystemTrayMenu(m *fyne.Menu) { a.mu.Lock(); a.menu = m; a.mu.Unlock() }
func (a *trayApp) SetSystemTrayIcon(r fyne.Resource) {
	a.mu.Lock()
	a.icon = r
	a.mu.Unlock()
}
func (a *trayApp) SetSystemTrayWindow(fyne.Window) {}
func (a *trayApp) Quit()                           { a.mu.Lock(); a.quit = true; a.mu.Unlock() }
func (a *trayApp) SendNotification(n *fyne.Notification) {
	a.mu.Lock()
	a.notes = append(a.notes, *n)
	a.mu.Unlock()
	a.App.SendNotification(n)
}

// item finds a tray menu item by the start of its label.
func (a *trayApp) item(t *testing.T, label string) *fyne.MenuItem {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.menu == nil {
		t.Fatal("no tray menu")
	}
	for _, it := range a.menu.Items {
		if strings.HasPrefix(it.Label, label) {
			return it
		}
	}
	var labels []string
	for _, it := range a.menu.Items {
		labels = append(labels, it.Label)
	}
	t.Fatalf("no tray item %q in %q", label, labels)
	return nil
}

// lastNote is the newest notification ("" = none).
func (a *trayApp) lastNote() fyne.Notification {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.notes) == 0 {
		return fyne.Notification{}
	}
	return a.notes[len(a.notes)-1]
}

func (a *trayApp) warns() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.icon != nil && a.icon.Name() == theme.NewErrorThemedResource(theme.WarningIcon()).Name()
}

// closableWindow is a test window whose close button can be pressed
// (Fyne's test window keeps the close intercept to itself).
type closableWindow struct {
	fyne.Window
	mu        sync.Mutex
	intercept func()
	onClosed  func()
	hidden    bool
	closed    bool
}

func (w *closableWindow) SetCloseIntercept(f func()) { w.intercept = f; w.Window.SetCloseIntercept(f) }
func (w *closableWindow) Hide()                      { w.mu.Lock(); w.hidden = true; w.mu.Unlock(); w.Window.Hide() }
func (w *closableWindow) Show()                      { w.mu.Lock(); w.hidden = false; w.mu.Unlock(); w.Window.Show() }
func (w *closableWindow) SetOnClosed(f func())       { w.onClosed = f }

// Close runs what closing runs; the test window itself is closed by the
// test's cleanup.
func (w *closableWindow) Close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	if w.onClosed != nil {
		w.onClosed()
	}
}

// pressClose is the person pressing the window's close button.
func (w *closableWindow) pressClose() {
	if w.intercept != nil {
		views.Sync(w.intercept)
		return
	}
	w.Close()
}

func (w *closableWindow) state() (hidden, closed bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.hidden, w.closed
}

// openTrayWindow opens the window on profile dir in a test app with a tray.
func openTrayWindow(t *testing.T, dir string, o windowOptions) (*trayApp, *closableWindow) {
	t.Helper()
	a := &trayApp{App: test.NewTempApp(t)}
	ctx := context.Background()
	p, err := OpenProfile(ctx, dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	w := &closableWindow{Window: test.NewTempWindow(t, nil)}
	var closeBackend func()
	views.Sync(func() {
		var content fyne.CanvasObject
		content, closeBackend, err = windowContent(ctx, a, w, p, o)
		if err == nil {
			w.SetContent(content)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeBackend(); p.Close() })
	return a, w
}

// automaticProfile is a window profile with the automatic export set
// (every 30 units; the tests' unit is an hour, so it never fires itself).
func automaticProfile(t *testing.T, db *octest.DB, sb *xerotest.Server, minutes int) string {
	t.Helper()
	dir := windowProfile(t, db, sb)
	p, err := OpenProfile(context.Background(), dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	set, err := LoadExportSettings(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	set.AutoSyncMinutes = minutes
	if err := SaveExportSettings(context.Background(), p, set); err != nil {
		t.Fatal(err)
	}
	return dir
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestTrayAndCloseToTray: with the automatic export on, the window's close
// button keeps the app in the tray (said once by a notification); the
// tray's Export now runs an export whose failed records reach the
// bookkeeper as a notification, the tray's warning icon, the menu and the
// window title; Open shows the window and counts them seen; Pause stops the
// automatic export, after which closing ends the app; Start at login writes
// and removes the autostart entry; Quit ends the app.
func TestTrayAndCloseToTray(t *testing.T) {
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	bulkOrders(db, 12) // order 10's totals do not add up: it fails
	dir := automaticProfile(t, db, sb, 30)
	home := t.TempDir()
	a, w := openTrayWindow(t, dir, windowOptions{SyncUnit: time.Hour, Login: &scheduleHost{Exe: "/usr/bin/opencart-xero", Home: home, GOOS: "linux"}})
	waitUntil(t, "the pause item to be offered", func() bool {
		var on bool
		views.Sync(func() { on = !a.item(t, "Pause automatic export").Disabled })
		return on
	})

	w.pressClose()
	if hidden, closed := w.state(); !hidden || closed {
		t.Fatalf("close with the automatic export on: hidden %v, closed %v; want it in the tray", hidden, closed)
	}
	if n := a.lastNote(); !strings.Contains(n.Content, "Still exporting automatically from the tray") {
		t.Fatalf("closing to the tray said %q", n.Content)
	}

	views.Sync(a.item(t, "Export now").Action)
	waitUntil(t, "the export's problems to reach the tray", a.warns)
	n := a.lastNote()
	if n.Title != views.AttentionTitle || !strings.Contains(n.Content, "1 record failed") {
		t.Fatalf("notification after a run with a failed record: %+v", n)
	}
	views.Sync(func() {
		if l := a.item(t, "Open").Label; l != "Open — 1 problem to look at" {
			t.Errorf("Open item: %q", l)
		}
		if w.Title() != "OpenCart → Xero — needs attention" {
			t.Errorf("window title: %q", w.Title())
		}
	})

	views.Sync(a.item(t, "Open").Action)
	if hidden, _ := w.state(); hidden || a.warns() {
		t.Fatalf("Open: hidden %v, warning icon %v", hidden, a.warns())
	}
	views.Sync(func() {
		if w.Title() != "OpenCart → Xero" || a.item(t, "Open").Label != "Open" {
			t.Errorf("after Open: title %q, item %q", w.Title(), a.item(t, "Open").Label)
		}
	})

	views.Sync(a.item(t, "Start at login").Action)
	entries, _ := filepath.Glob(filepath.Join(home, ".config", "autostart", "opencart-xero-*.desktop"))
	if len(entries) != 1 || !a.item(t, "Start at login").Checked {
		t.Fatalf("start at login on: entries %v", entries)
	}
	b, _ := os.ReadFile(entries[0])
	if !strings.Contains(string(b), "Exec=/usr/bin/opencart-xero --profile "+desktopExecArg(dir)+" --secrets file --minimised\n") {
		t.Errorf("autostart entry:\n%s", b)
	}
	views.Sync(a.item(t, "Start at login").Action)
	if entries, _ := filepath.Glob(filepath.Join(home, ".config", "autostart", "*")); len(entries) != 0 || a.item(t, "Start at login").Checked {
		t.Fatalf("start at login off: entries %v", entries)
	}

	views.Sync(a.item(t, "Pause automatic export").Action)
	views.Sync(func() {
		if a.item(t, "Resume automatic export") == nil {
			t.Fatal("no Resume")
		}
	})
	w.pressClose()
	if _, closed := w.state(); !closed {
		t.Fatal("close while paused did not end the app")
	}
	views.Sync(a.item(t, "Quit").Action)
	if !a.quit {
		t.Fatal("Quit did not end the app")
	}
}

// TestCloseWithoutAutomaticExportQuits: without the automatic export the
// close button ends the app as before, and the pause item is not offered.
func TestCloseWithoutAutomaticExportQuits(t *testing.T) {
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	dir := automaticProfile(t, db, sb, 0)
	a, w := openTrayWindow(t, dir, windowOptions{SyncUnit: time.Hour, Login: &scheduleHost{Exe: "/usr/bin/opencart-xero", Home: t.TempDir(), GOOS: "linux"}})
	time.Sleep(200 * time.Millisecond) // the scheduler reads the settings
	views.Sync(func() {
		if !a.item(t, "Pause automatic export").Disabled {
			t.Error("pause offered without an automatic export")
		}
	})
	w.pressClose()
	if hidden, closed := w.state(); hidden || !closed {
		t.Fatalf("close without automatic export: hidden %v, closed %v", hidden, closed)
	}
}

// TestProblemsReachTheBookkeeper: an automatic export that finds the Xero
// connection withdrawn, or the day's Xero calls running short, sends a
// notification saying so, and the tray icon warns.
func TestProblemsReachTheBookkeeper(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opts  xerotest.Options
		setup func(t *testing.T, dir string, sb *xerotest.Server)
		want  string
	}{
		{"sign in again", xerotest.Options{AutoApprove: true}, func(t *testing.T, dir string, sb *xerotest.Server) {
			p, err := OpenProfile(context.Background(), dir, nil, WithSecrets(SecretsFile))
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			b, _ := json.Marshal(map[string]any{"access_token": "expired", "refresh_token": "withdrawn", "expiry": time.Now().Add(-time.Hour), "issuer": sb.URL})
			if err := p.Secrets.Set(secretXeroToken, string(b)); err != nil {
				t.Fatal(err)
			}
		}, "sign in to Xero again"},
		{"calls running short", xerotest.Options{AutoApprove: true, DayLimit: 100}, nil, "Xero calls are left for today"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb := xerotest.NewTest(t, tc.opts)
			db := octest.NewDB(t, opencart.Family40, "oc_")
			bulkOrders(db, 3)
			dir := automaticProfile(t, db, sb, 1)
			if tc.setup != nil {
				tc.setup(t, dir, sb)
			}
			// The automatic export fires every 300 ms here.
			a, _ := openTrayWindow(t, dir, windowOptions{SyncUnit: 300 * time.Millisecond, Login: &scheduleHost{Home: t.TempDir(), GOOS: "linux", Exe: "/x"}})
			waitUntil(t, "a notification of the problem", func() bool {
				n := a.lastNote()
				return n.Title == views.AttentionTitle && strings.Contains(n.Content, tc.want)
			})
			if !a.warns() {
				t.Error("the tray icon does not warn")
			}
		})
	}
}

// TestNoTrayWithoutASessionBus: where the desktop shows no tray (no D-Bus
// session bus: Fyne's tray would crash the app when it quits), no tray
// menu is set, and closing the window quits even with the automatic
// export on.
func TestNoTrayWithoutASessionBus(t *testing.T) {
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	dir := automaticProfile(t, db, sb, 30)
	a, w := openTrayWindow(t, dir, windowOptions{SyncUnit: time.Hour, NoTray: true})
	time.Sleep(200 * time.Millisecond) // the scheduler reads the settings
	a.mu.Lock()
	menu := a.menu
	a.mu.Unlock()
	if menu != nil {
		t.Errorf("a tray menu was set without a tray: %v", menu.Items)
	}
	w.pressClose()
	if hidden, closed := w.state(); hidden || !closed {
		t.Fatalf("close without a tray: hidden %v, closed %v; want it closed", hidden, closed)
	}
}
