package app

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/go-sql-driver/mysql"

	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/views"
)

// guiWindow is a window on a real profile, with the real backend.
type guiWindow struct {
	t *testing.T
	w fyne.Window
	p *Profile
}

// openGUI opens a test window on profile dir; open plays the browser.
func openGUI(t *testing.T, dir, tab string, open func(string) error) *guiWindow {
	return openGUIWith(t, dir, tab, windowOptions{Open: open})
}

// openGUIWith opens a test window with window options.
func openGUIWith(t *testing.T, dir, tab string, o windowOptions) *guiWindow {
	t.Helper()
	return openGUIThemed(t, dir, tab, o, nil)
}

// openGUIThemed opens a test window drawn with th (nil: the test theme).
// The theme is set before the window has content: setting it later races
// with the screens' background loads in Fyne's test driver.
func openGUIThemed(t *testing.T, dir, tab string, o windowOptions, th fyne.Theme) *guiWindow {
	t.Helper()
	t.Setenv(TabEnv, tab)
	a := test.NewTempApp(t)
	if th != nil {
		a.Settings().SetTheme(th)
	}
	ctx := context.Background()
	p, err := OpenProfile(ctx, dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	// Built under the views' lock: background loads start at once and
	// must not touch the screens before they are in the window.
	var closeBackend func()
	views.Sync(func() {
		var content fyne.CanvasObject
		content, closeBackend, err = windowContent(ctx, a, w, p, o)
		if err == nil {
			w.SetContent(content)
			w.Resize(views.DefaultSize)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeBackend(); p.Close() })
	return &guiWindow{t: t, w: w, p: p}
}

// objects are the window's visible objects (hidden ones and everything
// inside them left out). Call it inside views.Sync.
func (g *guiWindow) objects() []fyne.CanvasObject {
	objs := visibleObjects(nil, g.w.Canvas().Content())
	for _, o := range g.w.Canvas().Overlays().List() {
		objs = visibleObjects(objs, o)
	}
	return objs
}

func visibleObjects(out []fyne.CanvasObject, o fyne.CanvasObject) []fyne.CanvasObject {
	if o == nil || !o.Visible() {
		return out
	}
	out = append(out, o)
	switch c := o.(type) {
	case fyne.Widget:
		for _, child := range test.WidgetRenderer(c).Objects() {
			out = visibleObjects(out, child)
		}
	case *fyne.Container:
		for _, child := range c.Objects {
			out = visibleObjects(out, child)
		}
	}
	return out
}

// find returns the first visible object that matches, or nil.
func find[T fyne.CanvasObject](g *guiWindow, match func(T) bool) T {
	var found T
	views.Sync(func() {
		for _, o := range g.objects() {
			if v, ok := o.(T); ok && match(v) {
				found = v
				return
			}
		}
	})
	return found
}

// waitFor polls until cond holds, at most 20 s. cond reads widgets
// through the locked helpers (objects, find, tableText).
func (g *guiWindow) waitFor(what string, cond func() bool) {
	g.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			g.t.Fatalf("gave up waiting for %s; labels: %q", what, g.labels())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// labels are the texts of every visible label, for failure messages.
func (g *guiWindow) labels() []string {
	var out []string
	views.Sync(func() {
		for _, o := range g.objects() {
			if l, ok := o.(*widget.Label); ok && l.Text != "" {
				out = append(out, l.Text)
			}
		}
	})
	return out
}

// label waits for a visible label containing text and returns its text.
func (g *guiWindow) label(text string) string {
	g.t.Helper()
	var got string
	g.waitFor("a label with "+strconv.Quote(text), func() bool {
		l := find(g, func(l *widget.Label) bool { return strings.Contains(l.Text, text) })
		if l == nil {
			return false
		}
		views.Sync(func() { got = l.Text })
		return true
	})
	return got
}

// text reads an entry's text.
func (g *guiWindow) text(e *widget.Entry) string {
	var s string
	views.Sync(func() { s = e.Text })
	return s
}

// entry finds the entry whose placeholder starts with ph.
func (g *guiWindow) entry(ph string) *widget.Entry {
	g.t.Helper()
	e := find(g, func(e *widget.Entry) bool { return strings.HasPrefix(e.PlaceHolder, ph) })
	if e == nil {
		g.t.Fatalf("no entry with placeholder %q", ph)
	}
	return e
}

// typeInto replaces an entry's text as typed.
func (g *guiWindow) typeInto(ph, text string) {
	g.t.Helper()
	e := g.entry(ph)
	views.Sync(func() {
		e.SetText("")
		test.Type(e, text)
	})
}

// tap taps the visible button whose text starts with text.
func (g *guiWindow) tap(text string) {
	g.t.Helper()
	var b *widget.Button
	g.waitFor("an enabled button "+strconv.Quote(text), func() bool {
		b = find(g, func(v *widget.Button) bool { return !v.Disabled() && strings.HasPrefix(v.Text, text) })
		return b != nil
	})
	views.Sync(func() { test.Tap(b) })
}

// tab selects the tab called name, in whichever visible tab bar has it.
func (g *guiWindow) tab(name string) {
	g.t.Helper()
	tabs := find(g, func(ts *container.AppTabs) bool {
		for _, it := range ts.Items {
			if it.Text == name {
				return true
			}
		}
		return false
	})
	if tabs == nil {
		g.t.Fatalf("no tab %q", name)
	}
	views.Sync(func() {
		for i, it := range tabs.Items {
			if it.Text == name {
				tabs.SelectIndex(i)
			}
		}
	})
}

// setting reads a setting from the profile.
func (g *guiWindow) setting(name string) string {
	g.t.Helper()
	v, err := g.p.Settings.Get(context.Background(), name)
	if err != nil {
		g.t.Fatal(err)
	}
	return v
}

// shopConfig is the form's view of an octest database.
func shopConfig(t testing.TB, db *octest.DB) views.StoreConfig {
	t.Helper()
	cfg, err := mysql.ParseDSN(db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(port)
	return views.StoreConfig{Host: host, Port: n, Database: cfg.DBName, User: cfg.User, Password: cfg.Passwd, Prefix: db.Prefix}
}

// profileWithShop is a profile whose shop is db.
func profileWithShop(t testing.TB, db *octest.DB) string {
	t.Helper()
	dir := t.TempDir()
	p, err := OpenProfile(context.Background(), dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	c := shopConfig(t, db)
	for k, v := range map[string]string{"store.dsn": storeDSN(c), "store.prefix": c.Prefix} {
		if err := p.Settings.Set(context.Background(), k, v); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// browserGet plays the browser: it fetches the address and follows the
// sandbox's redirects to the loopback callback.
func browserGet(t *testing.T) func(string) error {
	return func(u string) error {
		go func() {
			resp, err := http.Get(u)
			if err != nil {
				t.Errorf("browser: %v", err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}()
		return nil
	}
}

// freePort is a loopback port nothing listens on.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

// tableText is the text the table shows in a cell, through its own
// callbacks (the row's page is read first if need be).
func (g *guiWindow) tableText(tbl *widget.Table, row, col int) string {
	if tbl == nil {
		return ""
	}
	var text string
	views.Sync(func() {
		if rows, _ := tbl.Length(); row >= rows {
			return
		}
		cell := tbl.CreateCell()
		tbl.UpdateCell(widget.TableCellID{Row: row, Col: col}, cell)
		switch l := cell.(type) {
		case *widget.Label:
			text = l.Text
		case interface{ Text() string }: // the views' grid cell
			text = l.Text()
		}
	})
	return text
}
