package views

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// healthNow is the clock of the connection's health; tests set it.
var healthNow = time.Now

// healthText says the Xero connection's health: when the sign-in was
// renewed and when it lapses unused; warn when the bookkeeper must act.
func healthText(x XeroState, now time.Time) (text string, warn bool) {
	switch {
	case !x.Connected:
		return "Not connected.", false
	case x.NeedsReconnect:
		return "Sign in to Xero again: Xero no longer accepts this connection (it lapsed after 60 days unused, or was withdrawn).", true
	case x.Clock.Lapses.IsZero():
		return "Connected.", false
	}
	days := x.Clock.DaysLeft(now)
	text = fmt.Sprintf("Last renewed %s. Every export renews it; if none runs, it lapses on %s (%d days left).",
		x.Clock.Refreshed.Local().Format("2 Jan 2006 15:04"), x.Clock.Lapses.Local().Format("2 Jan 2006"), days)
	if x.Clock.Warn(now) {
		return fmt.Sprintf("⚠ The Xero connection lapses on %s, in %d days, unless an export runs or you sign in again before then. (Last renewed %s.)",
			x.Clock.Lapses.Local().Format("2 Jan 2006"), days, x.Clock.Refreshed.Local().Format("2 Jan 2006 15:04")), true
	}
	return text, false
}

// healthPanel is the connection's health in the Xero card, with a button
// to sign in again when needed.
type healthPanel struct {
	label  *widget.Label
	signIn *widget.Button
	box    *fyne.Container
}

func newHealthPanel(signIn func()) *healthPanel {
	h := &healthPanel{label: note("")}
	h.signIn = widget.NewButtonWithIcon("Sign in to Xero again", theme.LoginIcon(), signIn)
	h.signIn.Importance = widget.DangerImportance
	h.signIn.Hide()
	h.box = container.NewVBox(h.label, container.NewHBox(h.signIn))
	return h
}

// fill shows the state of x.
func (h *healthPanel) fill(x XeroState) {
	text, warn := healthText(x, healthNow())
	h.label.SetText(text)
	if warn {
		h.label.Importance = widget.WarningImportance
	} else {
		h.label.Importance = widget.MediumImportance
	}
	h.label.Refresh()
	if x.NeedsReconnect {
		h.signIn.Show()
	} else {
		h.signIn.Hide()
	}
}

// signInBanner is the strip at the top of the window after a run found
// the Xero connection refused: a plain sentence and the button.
type signInBanner struct {
	u   *ui
	box *fyne.Container
}

func newSignInBanner(u *ui) *signInBanner {
	b := &signInBanner{u: u}
	msg := widget.NewLabel("Xero no longer accepts the connection: sign in to Xero again.")
	msg.Importance = widget.DangerImportance
	btn := widget.NewButtonWithIcon("Sign in to Xero again", theme.LoginIcon(), b.signIn)
	btn.Importance = widget.HighImportance
	b.box = container.NewBorder(nil, nil, nil, btn, msg)
	b.box.Hide()
	return b
}

// show puts the banner up; the window lays itself out again around it.
func (b *signInBanner) show() {
	b.box.Show()
	if b.u.content != nil {
		b.u.content.Refresh()
	}
}

// signIn goes to Settings and starts the sign-in.
func (b *signInBanner) signIn() {
	b.box.Hide()
	if b.u.content != nil {
		b.u.content.Refresh()
	}
	if b.u.tabs == nil || b.u.settings == nil {
		return
	}
	b.u.tabs.SelectIndex(tabIndex(TabSettings))
	b.u.settings.connectWhenLoaded()
}
