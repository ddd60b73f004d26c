package app

import (
	"context"
	"os"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/opencart-xero/opencart-xero/views"
)

// AppID is the application id, as in FyneApp.toml.
const AppID = "io.github.opencart_xero"

// TabEnv names the environment variable that chooses the tab the window
// opens on (settings, customers, orders, credit-notes, history), e.g. for
// screenshots.
const TabEnv = "OPENCART_XERO_TAB"

// runWindow opens the main window and blocks until it is closed.
func runWindow(ctx context.Context, env *Env) error {
	p, err := env.Profile(ctx)
	if err != nil {
		return err
	}
	a := fyneapp.NewWithID(AppID)
	a.Settings().SetTheme(views.Look()) // legible disabled text and ✓ in the dark variant too
	w := a.NewWindow("OpenCart → Xero")
	_, hasTray := a.(desktop.App)
	hasTray = hasTray && trayAvailable() // trayavail.go
	content, closeBackend, err := windowContent(ctx, a, w, p, windowOptions{Minimised: env.Minimised && hasTray, NoTray: !hasTray})
	if err != nil {
		return err
	}
	defer closeBackend()
	w.SetContent(content)
	w.Resize(views.DefaultSize)
	w.SetMaster()
	if env.Minimised && hasTray {
		a.Run() // in the tray until Open
		return nil
	}
	w.ShowAndRun()
	return nil
}

// windowOptions change how the window works, for tests.
type windowOptions struct {
	// Open shows Xero's sign-in page and deep links; nil = the system browser.
	Open func(string) error
	// SyncUnit is what the automatic export's "every N minutes" counts in;
	// 0 = minutes.
	SyncUnit time.Duration
	// Minimised starts in the tray (--minimised, the start at login).
	Minimised bool
	// NoTray: the desktop shows no tray icon (no D-Bus session bus).
	NoTray bool
	// Login is the computer the start-at-login entry is written on; nil =
	// this one.
	Login *scheduleHost
}

// windowContent builds the window's screens on profile p. The returned
// func closes the shop connection.
func windowContent(ctx context.Context, a fyne.App, w fyne.Window, p *Profile, o windowOptions) (fyne.CanvasObject, func(), error) {
	be, err := newBackend(ctx, p, o.Open)
	if err != nil {
		return nil, nil, err
	}
	dsn, err := p.Settings.Get(ctx, "store.dsn")
	if err != nil {
		return nil, nil, err
	}
	login, err := newLoginEntry(p, o.Login)
	if err != nil {
		return nil, nil, err
	}
	content := views.Create(a, w, views.Deps{
		ProfileDir:     p.Dir,
		SecretsWarning: p.Secrets.Warning(),
		Backend:        be,
		FirstRun:       dsn == "",
		Tab:            os.Getenv(TabEnv),
		SyncUnit:       o.SyncUnit,
		Login:          login,
		StartHidden:    o.Minimised,
		NoTray:         o.NoTray,
	})
	return content, be.Close, nil
}
