package views

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
)

// tapExact taps the visible, enabled button whose text is text.
func (w *window) tapExact(text string) {
	w.t.Helper()
	var b *widget.Button
	w.waitFor("the button "+text, func() bool {
		for _, o := range w.objects() {
			if v, ok := o.(*widget.Button); ok && !v.Disabled() && v.Text == text {
				b = v
				return true
			}
		}
		return false
	})
	Sync(func() { test.Tap(b) })
}

func trialBackend() *fakeBackend {
	be := newFakeBackend()
	be.options.InvoiceStatus = mapping.StatusDraft
	be.options.OrdersSince = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	be.trial = export.Summary{ByKind: map[string]int{history.KindInvoice: 2, history.KindPayment: 1, history.KindContact: 2},
		OrdersFrom: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC), OrdersTo: time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)}
	return be
}

// TestExportEverythingConfirmsTheFirstTime: on the Payments tab, the one
// button shows the organisation, the counts per kind from a trial run and
// the date range; under Draft it warns and switches to Awaiting Payment
// (the counts then include the payment); Export runs everything, and the
// second time it runs without asking.
func TestExportEverythingConfirmsTheFirstTime(t *testing.T) {
	t.Parallel()
	be := trialBackend()
	w := openWindow(t, be, TabDocuments)
	w.tap(exportAllText)
	w.waitFor("the confirmation", func() bool {
		return w.hasLabel("To Xero organisation: Bean & Leaf Ltd") && w.hasLabel("Would be sent: 2 invoices, 2 contacts.") &&
			w.hasLabel("Orders placed 2 Nov 2026 to 3 Nov 2026 (orders placed before 1 Nov 2026 are never exported") &&
			w.hasLabel("New invoices are sent as Draft: payments and credit-note allocations wait until the invoices are approved in Xero")
	})
	w.tap(switchToAwaitingPayment)
	w.waitFor("the counts under Awaiting Payment", func() bool {
		return w.hasLabel("Would be sent: 2 invoices, 1 payment, 2 contacts.") && !w.hasLabel("New invoices are sent as Draft")
	})
	be.locked(func() {
		if n := len(be.savedOptions); n != 1 || be.savedOptions[0].InvoiceStatus != mapping.StatusAuthorised {
			t.Errorf("saved %+v, want the invoice status Awaiting Payment", be.savedOptions)
		}
	})
	w.tapExact("Export")
	w.waitFor("the run", func() bool { return !w.u.progress.Running() && w.u.progress.box.Visible() })
	w.tap(exportAllText)
	w.waitFor("the second run, unasked", func() bool {
		var n int
		be.locked(func() { n = len(be.exports) })
		return n == 4 && !w.u.progress.Running()
	})
	be.locked(func() {
		var real []export.Request
		for _, r := range be.exports {
			if !r.DryRun {
				real = append(real, r)
			}
		}
		if len(real) != 2 || real[0].Scope != export.ScopeAll || real[1].Scope != export.ScopeAll {
			t.Errorf("runs %+v, want two of everything", be.exports)
		}
	})
}

// TestExportEverythingConfirmedOncePerProfile: the confirmation is noted
// in the profile (window.export_all_confirmed), so a window opened later on
// the same profile runs at once, while another profile is asked again.
func TestExportEverythingConfirmedOncePerProfile(t *testing.T) {
	t.Parallel()
	be := trialBackend()
	w := openWindow(t, be, TabOrders)
	w.tap(exportAllText)
	w.waitFor("the confirmation", func() bool { return w.hasLabel("Would be sent: 2 invoices, 2 contacts.") })
	w.tapExact("Export")
	w.waitFor("the run and the note in the profile", func() bool {
		var v string
		be.locked(func() { v = be.settings[SettingExportAllConfirmed] })
		return v == "yes" && !w.u.progress.Running() && w.u.progress.box.Visible()
	})

	again := openWindow(t, be, TabCustomers)
	again.tap(exportAllText)
	again.waitFor("the run, unasked", func() bool {
		var real int
		be.locked(func() {
			for _, r := range be.exports {
				if !r.DryRun {
					real++
				}
			}
		})
		return real == 2 && !again.u.progress.Running()
	})
	if again.hasLabel("Would be sent") {
		t.Error("a window on a profile that confirmed before asked again")
	}

	other := trialBackend()
	ow := openWindow(t, other, TabOrders)
	ow.tap(exportAllText)
	ow.waitFor("the confirmation on another profile", func() bool { return ow.hasLabel("Would be sent: 2 invoices, 2 contacts.") })
	other.locked(func() {
		for _, r := range other.exports {
			if !r.DryRun {
				t.Errorf("another profile ran %+v before confirming", r)
			}
		}
	})
}

// TestExportEverythingNotConnectedSaysConnectFirst: the problem comes with
// the button that fixes it, which opens Settings and starts the sign-in.
func TestExportEverythingNotConnectedSaysConnectFirst(t *testing.T) {
	t.Parallel()
	be := trialBackend()
	be.xero.Connected, be.xero.TenantID = false, ""
	w := openWindow(t, be, TabOrders)
	w.tap(exportAllText)
	w.waitFor("the remedy", func() bool { return w.hasLabel("Connect to Xero first") })
	w.tap("Connect to Xero")
	w.waitFor("the sign-in from Settings", func() bool {
		return w.u.tabs.SelectedIndex() == tabIndex(TabSettings) && be.count("Connect") == 1
	})
}

// TestConnectRemedyWaitsForTheSettings: the remedy's sign-in starts once
// Settings holds the saved Client ID, however slowly the settings load,
// never with "Enter the Client ID first" on a form not filled yet.
func TestConnectRemedyWaitsForTheSettings(t *testing.T) {
	t.Parallel()
	be := trialBackend()
	be.xero.Connected, be.xero.TenantID = false, ""
	gate := make(chan struct{})
	be.storeGate = gate
	w := openWindow(t, be, TabOrders)
	w.tap(exportAllText)
	w.waitFor("the remedy", func() bool { return w.hasLabel("Connect to Xero first") })
	w.tap("Connect to Xero")
	w.waitFor("Settings", func() bool { return w.u.tabs.SelectedIndex() == tabIndex(TabSettings) })
	time.Sleep(300 * time.Millisecond) // what an early sign-in would do, done
	Sync(func() {
		if s := w.u.settings; s.clientIDErr.Visible() || be.count("Connect") != 0 {
			t.Errorf("the sign-in started before the settings were read: %q, %d connects", s.clientIDErr.Text, be.count("Connect"))
		}
	})
	close(gate)
	w.waitFor("the sign-in", func() bool { return be.count("Connect") == 1 })
	Sync(func() {
		if s := w.u.settings; s.clientIDErr.Visible() {
			t.Errorf("the sign-in says %q", s.clientIDErr.Text)
		}
	})
}

// TestRunPanelCollapsesWithItsRemedy: a run stopped by the settings ends as
// one status line with Open settings, Details and Dismiss; the bar and
// Cancel go; Dismiss hides it.
func TestRunPanelCollapsesWithItsRemedy(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	be.failOn("Export", fmt.Errorf("preflight: %w: no account chosen for sales", export.ErrSettings))
	w, _ := ordersWindow(t, be)
	p := w.u.progress
	w.tap("Export all new orders")
	w.waitFor("the collapsed panel", func() bool {
		return !p.Running() && p.box.Visible() && !p.bar.Visible() && !p.cancel.Visible() && p.fix.Visible() &&
			p.fix.Text == "Open settings" && p.dismiss.Visible() && strings.HasPrefix(p.label.Text, "Export stopped:")
	})
	Sync(func() {
		if p.label.Wrapping != fyne.TextWrapOff || p.box.MinSize().Height > DefaultSize.Height/3 {
			t.Errorf("panel %v high, wrapping %v", p.box.MinSize(), p.label.Wrapping)
		}
	})
	w.tap("Open settings")
	w.waitFor("Settings", func() bool { return w.u.tabs.SelectedIndex() == tabIndex(TabSettings) })
	w.tap("Dismiss")
	w.waitFor("the panel gone", func() bool { return !p.box.Visible() })
}

// TestSettingsDraftWarningAndStartDate: under Draft the Invoices card says
// payments wait and offers the switch; the start date is saved as a date
// and one the app cannot read is refused at the field.
func TestSettingsDraftWarningAndStartDate(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	w, s := settingsLoaded(t, be)
	w.waitFor("the Draft warning", func() bool { return s.draft.box.Visible() && strings.Contains(s.draft.text.Text, "sent as Draft") })
	w.tap(switchToAwaitingPayment)
	w.waitFor("Awaiting Payment", func() bool { return s.invoiceStatus.Selected == "Awaiting Payment" && !s.draft.box.Visible() })

	typeInto(s.ordersSince, "01/11/2026")
	w.tap("Save settings")
	w.waitFor("the refusal", func() bool { return s.sinceErr.Visible() && s.saved.Text == "Not saved: see the fields marked in red." })
	typeInto(s.ordersSince, "2026-11-01")
	w.tap("Save settings")
	w.waitFor("the save", func() bool { return be.count("SaveExportSettings") == 1 })
	be.locked(func() {
		got := be.savedOptions[0]
		if !got.OrdersSince.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)) || got.InvoiceStatus != mapping.StatusAuthorised {
			t.Errorf("saved start %v, status %q", got.OrdersSince, got.InvoiceStatus)
		}
	})
}

// TestFilterAfterScrollingShowsTheTopAndDropsAHiddenSelection: the grid
// scrolled to its end, a row chosen; a search that hides it brings the
// grid back to its top (not blank) and Preview no longer opens the
// hidden order.
func TestFilterAfterScrollingShowsTheTopAndDropsAHiddenSelection(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	var rows []Row
	for i := 300; i > 0; i-- {
		rows = append(rows, Row{ID: i, Name: fmt.Sprintf("Customer %d", i), Status: "Complete", Currency: "GBP", OpenCartTotal: "10.00"})
	}
	rows[299].Name = "Zed Quist" // order 1, the last row
	be.rows[ListOrders] = rows
	w := openWindow(t, be, TabOrders)
	l := w.u.lists[1]
	w.waitFor("the first page", func() bool { return l.count.Text == "300 orders" })
	Sync(func() { l.table.ScrollToBottom() })
	w.waitFor("the last page", func() bool { _, ok := l.rowAt(299); return ok })
	Sync(func() { l.onSelected(widget.TableCellID{Row: 298, Col: 2}) })
	w.waitFor("a chosen row", func() bool { return l.current != nil && l.current.ID == 2 && !l.preview.Disabled() })
	typeInto(l.search, "Zed")
	w.waitFor("one order at the top", func() bool {
		return l.count.Text == "1 order" && l.current == nil && l.preview.Disabled() && w.hasLabel("Zed Quist")
	})
}

func TestGridSaysWhyAndWhetherTotalsMatch(t *testing.T) {
	t.Parallel()
	no, yes := false, true
	for _, tc := range []struct {
		name       string
		e          ExportState
		text, mark string
	}{
		{"excluded", ExportState{Excluded: "Excluded: status Canceled — Settings › Which records export"}, "Excluded: status Canceled — Settings › Which records export", ""},
		{"skipped once", ExportState{State: history.StateSkipped, Reason: "skipped: invoices are sent as Draft"}, "skipped: invoices are sent as Draft", ""},
		{"differs", ExportState{State: history.StateExported, Match: &no}, "exported, totals differ", "✗ differs"},
		{"same", ExportState{State: history.StateExported, Match: &yes}, "exported", "✓ same"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Row{Currency: "EUR", XeroTotal: "12.00", Export: tc.e}
			if got := tc.e.Text(); got != tc.text {
				t.Errorf("Text = %q, want %q", got, tc.text)
			}
			if got := matchText(r); got != tc.mark {
				t.Errorf("match = %q, want %q", got, tc.mark)
			}
			if got := xeroTotal(r); got != "EUR 12.00" {
				t.Errorf("Xero total = %q", got)
			}
		})
	}
}

func TestDatesInTheUsersOrder(t *testing.T) {
	t.Parallel()
	nov1 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, locale, in string
		want             time.Time
		err              string
	}{
		{"ISO anywhere", "C", "2026-11-01", nov1, ""},
		{"British day first", "en-GB", "01/11/2026", nov1, ""},
		{"German dots", "de-DE", "1.11.2026", nov1, ""},
		{"US month first", "en-US", "11/01/2026", nov1, ""},
		{"language unknown", "C", "01/11/2026", time.Time{}, "does not say whether 01/11/2026 is day/month or month/day"},
		{"not a date", "en-GB", "soon", time.Time{}, "DD/MM/YYYY"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseDateIn(tc.in, tc.locale)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one with %q", err, tc.err)
				}
				return
			}
			if err != nil || !got.Equal(tc.want) {
				t.Fatalf("parse = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestCopyButtonSaysCopied(t *testing.T) {
	be := newFakeBackend()
	w := openWindow(t, be, TabSettings)
	var b *widget.Button
	Sync(func() { b = copyButton(w.u, "Copy", func() string { return "http://localhost:28512/callback" }) })
	Sync(func() { test.Tap(b) })
	Sync(func() {
		if b.Text != "Copied ✓" || testApp.Clipboard().Content() != "http://localhost:28512/callback" {
			t.Errorf("button %q, clipboard %q", b.Text, testApp.Clipboard().Content())
		}
	})
	w.waitFor("the label back", func() bool { return b.Text == "Copy" })
}
