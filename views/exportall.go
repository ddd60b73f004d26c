package views

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
)

// exportAllText is the one button that sends everything new.
const exportAllText = "Export everything new"

// newExportAllButton is the "Export everything new" button every list tab
// shows: contacts, invoices, credit notes and payments, in that order.
func newExportAllButton(u *ui) *widget.Button {
	b := widget.NewButtonWithIcon(exportAllText, theme.MailSendIcon(), u.exportEverything)
	b.Importance = widget.HighImportance
	return b
}

// plan is what "Export everything new" would send, as the confirmation
// shows it: counted by a trial run of the engine (nothing sent).
type plan struct {
	org      string
	xero     XeroState
	settings export.Settings
	trial    export.Summary
}

// SettingExportAllConfirmed is the profile's setting that holds "yes" once
// "Export everything new" was confirmed: the confirmation is shown once per
// profile, not once per window.
const SettingExportAllConfirmed = "window.export_all_confirmed"

// exportEverything starts a run of everything new; the first time for a
// profile it first shows what would go and asks. Without a Xero connection
// it says so, with the button that connects.
func (u *ui) exportEverything() {
	if u.progress.Running() {
		u.showError("Export", fmt.Errorf("an export is already running; wait for it or cancel it"))
		return
	}
	background(u, func(ctx context.Context) (bool, error) {
		v, err := u.be.Setting(ctx, SettingExportAllConfirmed)
		return v == "yes", err
	}, func(confirmed bool, err error) {
		if err == nil && confirmed {
			u.startAll()
			return
		}
		// Without the setting (or unreadable) it asks, which is safe.
		u.loadPlan(func(p plan, err error) {
			if err != nil {
				u.showProblem("Export everything new", err)
				return
			}
			u.confirmAll(p)
		})
	})
}

// rememberConfirmed notes in the profile that the person confirmed a run
// of everything; a failure to note it only means being asked again.
func (u *ui) rememberConfirmed() {
	background(u, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, u.be.SaveSettings(ctx, map[string]string{SettingExportAllConfirmed: "yes"})
	}, func(_ struct{}, err error) {
		if err != nil {
			fyne.LogError("noting the export confirmation", err)
		}
	})
}

// startAll starts the real run.
func (u *ui) startAll() {
	if !u.progress.start(export.Request{Scope: export.ScopeAll, Trigger: "manual"}) {
		u.showError("Export", fmt.Errorf("an export is already running; wait for it or cancel it"))
	}
}

// errNotConnected is why "Export everything new" cannot start.
var errNotConnected = fmt.Errorf("not connected to Xero")

// loadPlan reads the connection and the settings and counts, by a trial
// run, what a run of everything would send.
func (u *ui) loadPlan(done func(plan, error)) {
	background(u, func(ctx context.Context) (plan, error) {
		var p plan
		var err error
		if p.xero, err = u.be.Xero(ctx); err != nil {
			return p, err
		}
		if !p.xero.Connected || p.xero.NeedsReconnect || p.xero.TenantID == "" {
			return p, errNotConnected
		}
		for _, t := range p.xero.Tenants {
			if t.TenantID == p.xero.TenantID {
				p.org = t.TenantName
			}
		}
		if p.settings, err = u.be.ExportSettings(ctx); err != nil {
			return p, err
		}
		p.trial, err = u.be.Export(ctx, export.Request{Scope: export.ScopeAll, DryRun: true, Trigger: "manual"}, export.ProgressFunc(func(export.Event) {}))
		return p, err
	}, done)
}

// planText is the confirmation's account of what would go.
func planText(p plan) string {
	var b strings.Builder
	org := p.org
	if org == "" {
		org = "the connected organisation"
	}
	fmt.Fprintf(&b, "To Xero organisation: %s\n", org)
	fmt.Fprintf(&b, "Would be sent: %s.\n", export.KindsText(p.trial.ByKind))
	switch {
	case !p.trial.OrdersFrom.IsZero():
		fmt.Fprintf(&b, "Orders placed %s to %s", p.trial.OrdersFrom.Format("2 Jan 2006"), p.trial.OrdersTo.Format("2 Jan 2006"))
	default:
		b.WriteString("No orders to send")
	}
	if since := p.settings.OrdersSince; !since.IsZero() {
		fmt.Fprintf(&b, " (orders placed before %s are never exported: Settings › Which records export).", since.Format("2 Jan 2006"))
	} else {
		b.WriteString(" (every order in the shop: set a start date under Settings › Which records export to keep older ones out).")
	}
	if p.trial.Failed > 0 {
		fmt.Fprintf(&b, "\n%d records cannot be sent as they are; each says why in its grid.", p.trial.Failed)
	}
	return b.String()
}

// draftWarningText says what an invoice status before Awaiting Payment
// means for payments; "" for Awaiting Payment.
func draftWarningText(status string) string {
	if status == mapping.StatusAuthorised || status == "" {
		return ""
	}
	return fmt.Sprintf("⚠ New invoices are sent as %s: payments and credit-note allocations wait until the invoices are approved in Xero (Awaiting Payment).",
		mapping.StatusLabel(status))
}

// switchToAwaitingPayment is the button beside a Draft warning.
const switchToAwaitingPayment = "Switch to Awaiting Payment"

// confirmAll shows what a run of everything would send and asks.
func (u *ui) confirmAll(p plan) {
	text := note(planText(p))
	warn := note(draftWarningText(p.settings.InvoiceStatus))
	warn.Importance = widget.WarningImportance
	var sw *widget.Button
	sw = widget.NewButtonWithIcon(switchToAwaitingPayment, theme.ConfirmIcon(), func() {
		sw.Disable()
		set := p.settings
		set.InvoiceStatus = mapping.StatusAuthorised
		background(u, func(ctx context.Context) (plan, error) {
			if err := u.be.SaveExportSettings(ctx, set); err != nil {
				return p, err
			}
			np := p
			np.settings = set
			var err error
			np.trial, err = u.be.Export(ctx, export.Request{Scope: export.ScopeAll, DryRun: true, Trigger: "manual"}, export.ProgressFunc(func(export.Event) {}))
			return np, err
		}, func(np plan, err error) {
			if err != nil {
				sw.Enable()
				u.showProblem("Invoice status", err)
				return
			}
			p = np
			text.SetText(planText(p))
			warn.Hide()
			sw.Hide()
			if u.settings != nil && u.settings.invoiceStatus != nil {
				u.settings.options.InvoiceStatus = set.InvoiceStatus
				u.settings.invoiceStatus.SetSelected(mapping.StatusLabel(set.InvoiceStatus))
			}
		})
	})
	if warn.Text == "" {
		warn.Hide()
		sw.Hide()
	}
	body := container.NewVBox(text, warn, container.NewHBox(sw))
	d := dialog.NewCustomConfirm("Export everything new?", "Export", "Cancel", body, func(ok bool) {
		if ok {
			u.rememberConfirmed()
			u.startAll()
		}
	}, u.win)
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
}

// runKinds is a finished run's documents per kind, for its summary.
func runKinds(s export.Summary) string {
	if len(s.ByKind) == 0 {
		return ""
	}
	return " Sent: " + export.KindsText(s.ByKind) + "."
}
