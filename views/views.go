// Package views holds the Fyne screens of opencart-xero. Views hold no
// business logic: they call the engine through small interfaces and show
// what it returns. This package never imports database/sql or net/http.
package views

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// DefaultSize is the window's size on first start.
var DefaultSize = fyne.NewSize(1024, 700)

// Deps is what the screens need from the rest of the app.
type Deps struct {
	// ProfileDir is where settings and history live, shown to the person.
	ProfileDir string
	// SecretsWarning is non-empty when secrets cannot go to a keychain.
	SecretsWarning string
}

// Create builds the window's content: one tab per screen.
func Create(a fyne.App, w fyne.Window, d Deps) *container.AppTabs {
	tabs := container.NewAppTabs(
		container.NewTabItemWithIcon("Settings", theme.SettingsIcon(), newSettings(d).buildUI()),
		container.NewTabItemWithIcon("Customers", theme.AccountIcon(), placeholder("Customers", "The customers of your shop and their export state will be listed here.")),
		container.NewTabItemWithIcon("Orders", theme.DocumentIcon(), placeholder("Orders", "Orders, their OpenCart and Xero totals and their export state will be listed here.")),
		container.NewTabItemWithIcon("History", theme.HistoryIcon(), placeholder("History", "Every export run and what became of each record will be listed here.")),
	)
	tabs.SetTabLocation(container.TabLocationTop)
	return tabs
}

func placeholder(title, text string) fyne.CanvasObject {
	heading := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body := widget.NewLabel(text)
	body.Wrapping = fyne.TextWrapWord
	return container.NewVBox(heading, body)
}

// settings is the Settings screen.
type settings struct {
	deps Deps
}

func newSettings(d Deps) *settings { return &settings{deps: d} }

func (s *settings) buildUI() fyne.CanvasObject {
	heading := widget.NewLabelWithStyle("Settings", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	profile := widget.NewLabel("Profile folder: " + s.deps.ProfileDir)
	profile.Wrapping = fyne.TextWrapBreak
	items := []fyne.CanvasObject{heading, profile}
	if s.deps.SecretsWarning != "" {
		warn := widget.NewLabel("⚠ " + s.deps.SecretsWarning)
		warn.Wrapping = fyne.TextWrapWord
		items = append(items, warn)
	}
	return container.NewVBox(items...)
}
