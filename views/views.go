// Package views holds the Fyne screens of opencart-xero. Views hold no
// business logic: they call the engine through the Backend interface and
// show what it returns. This package never imports database/sql or net/http.
package views

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// DefaultSize is the window's size on first start.
var DefaultSize = fyne.NewSize(1080, 720)

// Tab names, as OPENCART_XERO_TAB may give them.
const (
	TabSettings  = "settings"
	TabCustomers = "customers"
	TabOrders    = "orders"
	TabDocuments = "credit-notes"
	TabHistory   = "history"
	TabReconcile = "reconcile"
)

// Deps is what the screens need from the rest of the app.
type Deps struct {
	// ProfileDir is where settings and history live, shown to the person.
	ProfileDir string
	// SecretsWarning is non-empty when secrets cannot go to a keychain.
	SecretsWarning string
	// Backend is the engine.
	Backend Backend
	// FirstRun shows the guided set-up instead of the tabs.
	FirstRun bool
	// Tab is the tab to open first (one of the Tab* names); "" = Orders.
	Tab string
	// SyncUnit is what the automatic export's "every N minutes" counts
	// in; 0 = minutes (tests use milliseconds).
	SyncUnit time.Duration
	// Login turns starting at login on and off (the tray menu); nil = not
	// offered.
	Login LoginStarter
	// StartHidden is a start at login: the window stays in the tray.
	StartHidden bool
	// NoTray says the desktop shows no tray icon (e.g. no D-Bus session
	// bus): no tray menu, and closing the window quits.
	NoTray bool
}

// Create builds the window's content: the guided set-up on first run, else
// one tab per screen, with the progress bar of the running export below.
// It sets the window's OnClosed to stop the automatic export.
func Create(a fyne.App, w fyne.Window, d Deps) fyne.CanvasObject {
	return newUI(a, w, d).content
}

// newUI builds the screens (see Create); tests keep the ui to reach them.
func newUI(a fyne.App, w fyne.Window, d Deps) *ui {
	u := &ui{app: a, win: w, deps: d, be: d.Backend}
	u.progress = newProgress(u)
	u.root = container.NewStack()
	if d.FirstRun {
		u.root.Objects = []fyne.CanvasObject{newFirstRun(u).buildUI()}
	} else {
		u.root.Objects = []fyne.CanvasObject{u.mainUI()}
		u.maybeGuide() // guide.go
	}
	u.tray = newTray(u) // tray.go
	u.scheduler = newScheduler(u)
	u.scheduler.restart()
	// The automatic export runs while the window is open or closed to the
	// tray; it stops when the app ends.
	w.SetOnClosed(func() {
		u.scheduler.stop()
		if u.settings != nil {
			u.settings.stopWatching()
		}
	})
	u.tray.install()
	u.banner = newSignInBanner(u) // health.go
	u.content = container.NewBorder(u.banner.box, u.progress.buildUI(), nil, nil, u.root)
	return u
}

// ui is the state the screens share: the window, the backend, the running
// export.
type ui struct {
	app       fyne.App
	win       fyne.Window
	deps      Deps
	be        Backend
	root      *fyne.Container
	content   fyne.CanvasObject // the window's content: root and progress
	tabs      *container.AppTabs
	progress  *progress
	scheduler *scheduler
	tray      *tray
	banner    *signInBanner
	settings  *settingsScreen
	history   *historyScreen
	reconcile *reconcileScreen
	lists     []*listScreen
}

// mainUI builds the tabs.
func (u *ui) mainUI() fyne.CanvasObject {
	u.settings = newSettingsScreen(u)
	u.history = newHistoryScreen(u)
	u.reconcile = newReconcileScreen(u)
	customers := newListScreen(u, ListCustomers)
	orders := newListScreen(u, ListOrders)
	docs := newDocumentsScreen(u)
	u.lists = append([]*listScreen{customers, orders}, docs.lists...)
	u.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Settings", theme.SettingsIcon(), u.settings.buildUI()),
		container.NewTabItemWithIcon("Customers", theme.AccountIcon(), customers.buildUI()),
		container.NewTabItemWithIcon("Orders", theme.DocumentIcon(), orders.buildUI()),
		container.NewTabItemWithIcon("Credit notes & payments", theme.ContentUndoIcon(), docs.buildUI()),
		container.NewTabItemWithIcon("History", theme.HistoryIcon(), u.history.buildUI()),
		container.NewTabItemWithIcon("Reconcile", theme.SearchIcon(), u.reconcile.buildUI()),
	)
	u.tabs.SetTabLocation(container.TabLocationTop)
	previous := ""
	u.tabs.OnSelected = func(it *container.TabItem) {
		if previous == "Settings" && it.Text != "Settings" {
			u.leavingSettings() // settings_sections.go
		}
		previous = it.Text
		switch it.Text {
		case "History":
			u.history.refresh()
		case "Settings":
			u.settings.load()
		}
	}
	u.tabs.SelectIndex(tabIndex(u.deps.Tab))
	previous = u.tabs.Selected().Text // selecting the tab shown already calls no OnSelected
	u.settings.load()
	return u.tabs
}

func tabIndex(name string) int {
	for i, n := range []string{TabSettings, TabCustomers, TabOrders, TabDocuments, TabHistory, TabReconcile} {
		if strings.EqualFold(name, n) {
			return i
		}
	}
	return 2
}

// showMain replaces the guided set-up with the tabs.
func (u *ui) showMain(tab string) {
	u.deps.Tab = tab
	u.root.Objects = []fyne.CanvasObject{u.mainUI()}
	u.root.Refresh()
}

// background runs slow work off the UI goroutine and hands its result to
// done on the UI goroutine; an error goes to a dialog unless done takes it.
func background[T any](u *ui, work func(ctx context.Context) (T, error), done func(T, error)) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		var v T
		err := guard("background work", func() (err error) {
			v, err = work(ctx)
			return err
		})
		do(func() { done(v, err) })
	}()
}

// uiMu serialises screen updates made from background work. In the app
// they all run on the UI goroutine anyway; in headless tests, where
// fyne.Do runs its function at once on the calling goroutine, it keeps
// them apart from the test's own reading and tapping (see Sync).
var uiMu sync.Mutex

// do runs f on the UI goroutine, one update at a time.
func do(f func()) {
	fyne.Do(func() {
		uiMu.Lock()
		defer uiMu.Unlock()
		f()
	})
}

// Sync runs f while no background update of the screens is under way;
// tests drive and read widgets through it.
func Sync(f func()) {
	uiMu.Lock()
	defer uiMu.Unlock()
	f()
}

// showError tells the person what went wrong, in plain words.
func (u *ui) showError(what string, err error) {
	if err == nil {
		return
	}
	dialog.ShowError(fmt.Errorf("%s: %s", what, plainError(err)), u.win)
}

// plainError strips Go package prefixes from an error text.
func plainError(err error) string {
	var fe FieldErrors
	if errors.As(err, &fe) {
		var parts []string
		for k, v := range fe {
			parts = append(parts, k+": "+v)
		}
		return "some values were not accepted — " + strings.Join(parts, "; ")
	}
	msg := err.Error()
	for _, p := range []string{"opencart: ", "xero: ", "export: ", "history: ", "mapping: ", "app: "} {
		msg = strings.ReplaceAll(msg, p, "")
	}
	if msg != "" {
		msg = strings.ToUpper(msg[:1]) + msg[1:]
	}
	return msg
}

// heading is a bold label.
func heading(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// note is a wrapped label for longer explanations.
func note(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}
