package views

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/export"
)

// firstRun is the guided set-up shown while no shop is configured: the
// shop, then Xero, then the invoice status, then the first export. It uses
// the settings screen's own cards, so what is typed here is what Settings
// shows later.
type firstRun struct {
	u     *ui
	s     *settingsScreen
	step  int
	title *widget.Label
	body  *fyne.Container
	back  *widget.Button
	next  *widget.Button
}

func newFirstRun(u *ui) *firstRun {
	return &firstRun{u: u, s: newSettingsScreen(u)}
}

// steps are the guided steps: a title and the content.
func (f *firstRun) steps() []struct {
	title string
	body  func() fyne.CanvasObject
} {
	return []struct {
		title string
		body  func() fyne.CanvasObject
	}{
		{"Step 1 of 4 — your OpenCart shop", func() fyne.CanvasObject {
			return container.NewVBox(note("Enter the database of your OpenCart shop and press Test connection. A user that may only read (SELECT) is enough."), f.s.storeCard())
		}},
		{"Step 2 of 4 — Xero", func() fyne.CanvasObject {
			return container.NewVBox(note("At developer.xero.com create an app of type “Auth Code with PKCE”, register the redirect URI shown here, paste its Client ID and press Connect."), f.s.xeroCardOpen())
		}},
		{"Step 3 of 4 — invoice status", func() fyne.CanvasObject {
			return container.NewVBox(note("Draft invoices can be checked in Xero before they count; Awaiting Payment invoices are final and can take payments."), f.s.invoiceCard())
		}},
		{"Step 4 of 4 — first export", func() fyne.CanvasObject {
			start := widget.NewButtonWithIcon("Try it: trial run of all orders (nothing is sent)", theme.VisibilityIcon(), func() {
				f.u.progress.start(export.Request{Scope: export.ScopeOrders, DryRun: true, Trigger: "manual"})
			})
			return container.NewVBox(
				note("Accounts and tax rates are proposed from your Xero organisation; check them under Settings before the first real export. A trial run shows what would be sent without sending anything."),
				container.NewHBox(start))
		}},
	}
}

func (f *firstRun) buildUI() fyne.CanvasObject {
	f.s.buildUI() // makes every field; the steps show the cards
	f.title = heading("")
	f.body = container.NewStack()
	f.back = widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), func() { f.show(f.step - 1) })
	f.next = widget.NewButtonWithIcon("Next", theme.NavigateNextIcon(), f.forward)
	f.next.Importance = widget.HighImportance
	skip := widget.NewButton("Skip to the main window", func() { f.u.showMain(TabSettings) })
	f.s.load()
	f.show(0)
	welcome := note("Welcome. Four short steps connect your shop to Xero; everything can be changed later under Settings.")
	return container.NewBorder(container.NewVBox(heading("Set up OpenCart → Xero"), welcome, f.title),
		container.NewHBox(skip, layout.NewSpacer(), f.back, f.next), nil, nil, container.NewVScroll(f.body))
}

func (f *firstRun) show(step int) {
	st := f.steps()
	if step < 0 || step >= len(st) {
		return
	}
	f.step = step
	f.title.SetText(st[step].title)
	f.body.Objects = []fyne.CanvasObject{st[step].body()}
	f.body.Refresh()
	f.back.Enable()
	if step == 0 {
		f.back.Disable()
	}
	f.next.SetText("Next")
	if step == len(st)-1 {
		f.next.SetText("Open the main window")
	}
}

// forward saves what the step asked for and moves on.
func (f *firstRun) forward() {
	if f.step == len(f.steps())-1 {
		f.u.showMain(TabOrders)
		return
	}
	if f.step == 0 {
		if err := f.u.be.CheckStore(f.s.storeConfig()); err != nil {
			setError(f.s.storeErr, fmt.Errorf("%w", err))
			return
		}
	}
	f.s.save()
	f.show(f.step + 1)
}
