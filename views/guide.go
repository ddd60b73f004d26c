package views

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Guide button texts.
const (
	guideConnect  = "1  Connect to Xero"
	guideAccounts = "2  Check the proposed accounts"
	guideExport   = "3  Export everything new"
	guideSkip     = "Show the orders"
)

// maybeGuide opens a window whose shop is set up but not connected to Xero
// (a demo, a new profile) on a short guide instead of a grid whose export
// button would fail. A tab asked for by name opens as asked.
func (u *ui) maybeGuide() {
	if u.deps.Tab != "" || u.be == nil {
		return
	}
	background(u, func(ctx context.Context) (XeroState, error) {
		return u.be.Xero(ctx)
	}, func(x XeroState, err error) {
		if err != nil || x.Connected && !x.NeedsReconnect && x.TenantID != "" {
			return
		}
		u.root.Objects = []fyne.CanvasObject{u.guide()}
		u.root.Refresh()
	})
}

// guide is the three steps, each a button.
func (u *ui) guide() fyne.CanvasObject {
	back := func(tab string) {
		u.root.Objects = []fyne.CanvasObject{u.tabs}
		u.root.Refresh()
		u.tabs.SelectIndex(tabIndex(tab))
	}
	connect := widget.NewButtonWithIcon(guideConnect, theme.LoginIcon(), func() {
		back(TabSettings)
		u.connectXero()
	})
	connect.Importance = widget.HighImportance
	connect.Alignment = widget.ButtonAlignLeading
	accounts := widget.NewButtonWithIcon(guideAccounts, theme.SettingsIcon(), func() { back(TabSettings) })
	accounts.Alignment = widget.ButtonAlignLeading
	export := widget.NewButtonWithIcon(guideExport, theme.MailSendIcon(), func() {
		back(TabOrders)
		u.exportEverything()
	})
	export.Alignment = widget.ButtonAlignLeading
	skip := widget.NewButtonWithIcon(guideSkip, theme.DocumentIcon(), func() { back(TabOrders) })
	skip.Importance = widget.LowImportance
	steps := container.NewVBox(
		heading("Three steps to your first export"),
		note("The shop is set up. Xero is not connected yet, so nothing can be sent."),
		connect, note("Sign in to Xero in your browser and choose the organisation."),
		accounts, note("Accounts and tax rates are proposed from your organisation; check them and press Save settings."),
		export, note("Contacts, invoices, credit notes and payments go in one run; you see what will go and confirm first."),
		container.NewHBox(skip))
	return container.NewCenter(container.New(layout.NewGridWrapLayout(fyne.NewSize(560, steps.MinSize().Height)), steps))
}
