package views

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// remedy is what fixes a problem: a button's text and what it does.
type remedy struct {
	text string
	icon fyne.Resource
	do   func()
}

// needsConnect reports an error that a sign-in to Xero fixes: never
// connected, the sign-in refused, or no organisation chosen.
func needsConnect(err error) bool {
	var ae *xero.AuthError
	return errors.Is(err, xero.ErrNoToken) || errors.Is(err, xero.ErrNoTenant) || errors.As(err, &ae) ||
		err != nil && strings.Contains(err.Error(), "not connected to Xero")
}

// remedyFor is the button that fixes err, if there is one: Connect to
// Xero for a missing or refused sign-in, Open settings for choices that are
// incomplete or that Xero does not have.
func (u *ui) remedyFor(err error) (remedy, bool) {
	switch {
	case err == nil:
	case needsConnect(err):
		return remedy{"Connect to Xero", theme.LoginIcon(), u.connectXero}, true
	case errors.Is(err, export.ErrSettings):
		if f, ok := export.SettingsField(err); ok {
			return remedy{"Open settings", theme.SettingsIcon(), func() { u.openSettingsAt(f) }}, true
		}
		return remedy{"Open settings", theme.SettingsIcon(), u.openSettings}, true
	}
	return remedy{}, false
}

// openSettings shows the Settings tab.
func (u *ui) openSettings() {
	if u.tabs == nil {
		u.showMain(TabSettings)
		return
	}
	u.tabs.SelectIndex(tabIndex(TabSettings))
}

// openSettingsAt shows the Settings tab at the field f, focused and
// marked for a few seconds.
func (u *ui) openSettingsAt(f export.Field) {
	u.openSettings()
	if u.settings != nil {
		u.settings.openAt(f)
	}
}

// connectXero opens Settings and starts the sign-in to Xero (which asks
// for the Client ID first when there is none).
func (u *ui) connectXero() {
	u.openSettings()
	if u.settings != nil && u.settings.connectBtn != nil {
		u.settings.connectWhenLoaded()
	}
}

// showProblem shows what went wrong with the button that fixes it, when
// there is one; otherwise a plain error dialog.
func (u *ui) showProblem(what string, err error) {
	r, ok := u.remedyFor(err)
	if !ok {
		u.showError(what, err)
		return
	}
	text := plainError(err)
	if needsConnect(err) {
		text = "Connect to Xero first: exports go to the organisation you sign in to. (" + text + ")"
	}
	var d dialog.Dialog
	fix := widget.NewButtonWithIcon(r.text, r.icon, func() {
		d.Hide()
		r.do()
	})
	fix.Importance = widget.HighImportance
	body := note(text)
	d = dialog.NewCustom(what, "Close", container.NewVBox(body, container.NewHBox(fix)), u.win)
	d.Show()
}
