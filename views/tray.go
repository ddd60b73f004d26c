package views

import (
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"

	"github.com/opencart-xero/opencart-xero/sync/export"
)

// LoginStarter turns on and off starting the window at login, minimised
// to the tray (Deps.Login); the app writes the system's entry.
type LoginStarter interface {
	// StartsAtLogin reports whether the entry is there.
	StartsAtLogin() bool
	// SetStartAtLogin writes or removes it.
	SetStartAtLogin(on bool) error
}

// Window titles: the plain one, and the one that says something needs the
// bookkeeper (the "badge" a taskbar shows).
const (
	windowTitle          = "OpenCart → Xero"
	windowTitleAttention = "OpenCart → Xero — needs attention"
)

// NotificationTitle and AttentionTitle head the desktop notifications: a
// scheduled run's summary, and a problem to act on.
const (
	NotificationTitle = "OpenCart → Xero"
	AttentionTitle    = "OpenCart → Xero: needs attention"
)

// tray is the system tray icon and its menu (Open, Export now, Pause,
// Start at login, Quit), the problems runs left for the bookkeeper, and
// closing the window to the tray while the automatic export is on.
type tray struct {
	u    *ui
	desk desktop.App // nil when the desktop has no tray

	menu                                *fyne.Menu
	open, exportNow, pause, login, quit *fyne.MenuItem

	mu        sync.Mutex
	automatic bool // the automatic export is set (every N minutes)
	paused    bool
	hidden    bool // the window is closed to the tray
	concerns  []export.Concern
	dayLeft   int // Xero calls left today, as last reported; -1 = unknown
	toldTray  bool
}

func newTray(u *ui) *tray {
	t := &tray{u: u, dayLeft: -1, hidden: u.deps.StartHidden}
	if !u.deps.NoTray {
		t.desk, _ = u.app.(desktop.App)
	}
	return t
}

// install puts the menu in the tray and makes closing the window hide it
// while the automatic export is on.
func (t *tray) install() {
	t.u.win.SetCloseIntercept(t.onClose)
	if t.desk == nil {
		return
	}
	t.open = fyne.NewMenuItem("Open", t.show)
	t.exportNow = fyne.NewMenuItem("Export now", func() {
		t.u.progress.start(export.Request{Scope: export.ScopeAll, Trigger: export.TriggerWindow})
	})
	t.pause = fyne.NewMenuItem("Pause automatic export", t.togglePause)
	t.login = fyne.NewMenuItem("Start at login", t.toggleLogin)
	t.quit = fyne.NewMenuItem("Quit", t.doQuit)
	t.quit.IsQuit = true
	if t.u.deps.Login != nil {
		t.login.Checked = t.u.deps.Login.StartsAtLogin()
	} else {
		t.login.Disabled = true
	}
	t.menu = fyne.NewMenu("OpenCart → Xero", t.open, t.exportNow, t.pause, fyne.NewMenuItemSeparator(), t.login, fyne.NewMenuItemSeparator(), t.quit)
	t.refresh()
}

// TrayMenu is the tray's menu (nil without a tray), for tests.
func (t *tray) TrayMenu() *fyne.Menu { return t.menu }

// setAutomatic is told by the scheduler whether the automatic export is set.
func (t *tray) setAutomatic(on bool) {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.automatic = on
	t.mu.Unlock()
	do(t.refresh)
}

// noteEvent keeps the day's Xero calls left from a progress event.
func (t *tray) noteEvent(e export.Event) {
	if t == nil || e.DayCallsLeft < 0 {
		return
	}
	t.mu.Lock()
	t.dayLeft = e.DayCallsLeft
	t.mu.Unlock()
}

// runEnded tells the bookkeeper what needs them after a run: a desktop
// notification with the problems, the tray's icon and the window's title;
// a scheduled run without problems sends its summary as before. On the UI
// goroutine. A ui built without newUI (some tests) has no tray.
func (t *tray) runEnded(req export.Request, summary string, s export.Summary, err error) {
	if t == nil {
		return
	}
	t.mu.Lock()
	concerns := export.Concerns(s, err, t.dayLeft)
	t.concerns = concerns
	unattended := req.Trigger == export.TriggerAutomatic || t.hidden
	t.mu.Unlock()
	if t.u.banner != nil && hasConcern(concerns, export.ConcernSignIn) {
		t.u.banner.show() // health.go
	}
	switch {
	case len(concerns) > 0 && (unattended || hasConcern(concerns, export.ConcernSignIn)):
		var texts []string
		for _, c := range concerns {
			texts = append(texts, c.Text)
		}
		t.u.app.SendNotification(fyne.NewNotification(AttentionTitle, strings.Join(texts, " ")))
	case req.Trigger == export.TriggerAutomatic:
		t.u.app.SendNotification(fyne.NewNotification(NotificationTitle, summary))
	}
	t.refresh()
}

func hasConcern(cs []export.Concern, kind string) bool {
	for _, c := range cs {
		if c.Kind == kind {
			return true
		}
	}
	return false
}

// refresh shows the state in the menu, the tray icon and the title.
func (t *tray) refresh() {
	t.mu.Lock()
	n, paused, automatic := len(t.concerns), t.paused, t.automatic
	t.mu.Unlock()
	if n > 0 {
		t.u.win.SetTitle(windowTitleAttention)
	} else {
		t.u.win.SetTitle(windowTitle)
	}
	if t.desk == nil || t.menu == nil {
		return
	}
	t.open.Label = "Open"
	if n > 0 {
		t.open.Label = "Open — " + counted(n, "problem", "problems") + " to look at"
	}
	t.pause.Label = "Pause automatic export"
	if paused {
		t.pause.Label = "Resume automatic export"
	}
	t.pause.Disabled = !automatic && !paused
	icon := t.u.app.Icon()
	if icon == nil {
		icon = theme.UploadIcon()
	}
	if n > 0 {
		icon = theme.NewErrorThemedResource(theme.WarningIcon())
	}
	t.desk.SetSystemTrayMenu(t.menu)
	t.desk.SetSystemTrayIcon(icon)
	t.menu.Refresh()
}

// onClose is the window's close button: to the tray while the automatic
// export runs (and a tray exists), else the app ends.
func (t *tray) onClose() {
	if t.u.askBeforeClosing(t.closeNow) { // settings_sections.go
		return
	}
	t.closeNow()
}

// closeNow closes the window, or hides it in the tray while the automatic
// export is on.
func (t *tray) closeNow() {
	t.mu.Lock()
	toTray := t.desk != nil && t.automatic && !t.paused
	first := toTray && !t.toldTray
	if toTray {
		t.hidden, t.toldTray = true, true
	}
	t.mu.Unlock()
	if !toTray {
		t.u.win.Close()
		return
	}
	t.u.win.Hide()
	if first {
		t.u.app.SendNotification(fyne.NewNotification(NotificationTitle,
			"Still exporting automatically from the tray. Quit from the tray icon's menu to stop."))
	}
}

// show brings the window back; the problems count as seen.
func (t *tray) show() {
	t.mu.Lock()
	t.hidden = false
	t.concerns = nil
	t.mu.Unlock()
	t.u.win.Show()
	t.u.win.RequestFocus()
	t.refresh()
}

// togglePause stops or restarts the automatic export.
func (t *tray) togglePause() {
	t.mu.Lock()
	t.paused = !t.paused
	paused := t.paused
	t.mu.Unlock()
	if paused {
		t.u.scheduler.stop()
	} else {
		t.u.scheduler.restart()
	}
	t.refresh()
}

// toggleLogin writes or removes the start-at-login entry.
func (t *tray) toggleLogin() {
	if t.u.deps.Login == nil {
		return
	}
	on := !t.login.Checked
	if err := t.u.deps.Login.SetStartAtLogin(on); err != nil {
		t.u.showError("Start at login", err)
		return
	}
	t.login.Checked = on
	t.refresh()
}

// doQuit stops the automatic export and ends the app.
func (t *tray) doQuit() {
	t.u.scheduler.stop()
	t.u.app.Quit()
}
