package views

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// window is the screens in a test window, on a fake backend.
type window struct {
	t  *testing.T
	w  fyne.Window
	u  *ui
	be *fakeBackend
}

// openWindow builds the screens on be in a new test window, opened on tab.
func openWindow(t *testing.T, be *fakeBackend, tab string) *window {
	t.Helper()
	w := test.NewTempWindow(t, nil)
	var u *ui
	// Built under the views' lock: background loads start at once and
	// must not touch the screens before they are in the window.
	Sync(func() {
		u = newUI(testApp, w, Deps{Backend: be, Tab: tab, ProfileDir: "/home/ann/.config/opencart-xero"})
		w.SetContent(u.content)
		w.Resize(DefaultSize)
	})
	return &window{t: t, w: w, u: u, be: be}
}

// waitFor polls cond, run while no background update is under way, until
// it holds; at most 10 s.
func (w *window) waitFor(what string, cond func() bool) {
	w.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var ok bool
		Sync(func() { ok = cond() })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			var calls []string
			w.be.locked(func() { calls = slices.Clone(w.be.calls) })
			w.t.Fatalf("gave up waiting for %s; labels %q; backend calls %q", what, w.labels(), calls)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// objects are the window's visible objects, overlays (dialogs) included.
// Call it inside Sync.
func (w *window) objects() []fyne.CanvasObject {
	objs := visibleObjects(nil, w.w.Canvas().Content())
	for _, o := range w.w.Canvas().Overlays().List() {
		objs = visibleObjects(objs, o)
	}
	return objs
}

func visibleObjects(out []fyne.CanvasObject, o fyne.CanvasObject) []fyne.CanvasObject {
	if o == nil || !o.Visible() {
		return out
	}
	out = append(out, o)
	switch c := o.(type) {
	case fyne.Widget:
		for _, child := range test.WidgetRenderer(c).Objects() {
			out = visibleObjects(out, child)
		}
	case *fyne.Container:
		for _, child := range c.Objects {
			out = visibleObjects(out, child)
		}
	}
	return out
}

// labels are the visible labels' texts, for failure messages.
func (w *window) labels() []string {
	var out []string
	Sync(func() {
		for _, o := range w.objects() {
			if l, ok := o.(*widget.Label); ok && l.Text != "" {
				out = append(out, l.Text)
			}
		}
	})
	return out
}

// hasLabel reports whether a visible label contains text; inside Sync.
func (w *window) hasLabel(text string) bool {
	for _, o := range w.objects() {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, text) {
			return true
		}
	}
	return false
}

// tap waits for a visible, enabled button whose text starts with text and
// taps it.
func (w *window) tap(text string) {
	w.t.Helper()
	var b *widget.Button
	w.waitFor("a button "+text, func() bool {
		for _, o := range w.objects() {
			if v, ok := o.(*widget.Button); ok && !v.Disabled() && strings.HasPrefix(v.Text, text) {
				b = v
				return true
			}
		}
		return false
	})
	Sync(func() { test.Tap(b) })
}

// typeInto replaces an entry's text as typed.
func typeInto(e *widget.Entry, text string) {
	Sync(func() {
		e.SetText("")
		test.Type(e, text)
	})
}

// settingsLoaded opens the Settings tab and waits until the lists from
// Xero are in the dropdowns.
func settingsLoaded(t *testing.T, be *fakeBackend) (*window, *settingsScreen) {
	t.Helper()
	w := openWindow(t, be, TabSettings)
	s := w.u.settings
	w.waitFor("the lists from Xero", func() bool { return s.haveChoices && s.host.Text != "" })
	return w, s
}

func TestSettingsRefusedValueIsNotSaved(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(s *settingsScreen)
		field func(s *settingsScreen) *widget.Label
		want  string
	}{
		{"minutes not a number", func(s *settingsScreen) { test.Tap(s.autoSync); s.everyMinutes.SetText("soon") },
			func(s *settingsScreen) *widget.Label { return s.syncErr }, plainError(export.ErrAutoSyncInterval)},
		{"no minutes", func(s *settingsScreen) { test.Tap(s.autoSync); s.everyMinutes.SetText("0") },
			func(s *settingsScreen) *widget.Label { return s.syncErr }, plainError(export.ErrAutoSyncInterval)},
		{"more minutes than a day", func(s *settingsScreen) { test.Tap(s.autoSync); s.everyMinutes.SetText("1441") },
			func(s *settingsScreen) *widget.Label { return s.syncErr }, plainError(export.ErrAutoSyncInterval)},
		{"client id with a space", func(s *settingsScreen) { s.clientID.SetText(""); test.Type(s.clientID, "my app") },
			func(s *settingsScreen) *widget.Label { return s.clientIDErr }, "Must not contain spaces"},
		{"table prefix", func(s *settingsScreen) { s.prefix.SetText(""); test.Type(s.prefix, "oc-") },
			func(s *settingsScreen) *widget.Label { return s.storeErr }, "A table prefix has only letters, digits and _"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			be := newFakeBackend()
			w, s := settingsLoaded(t, be)
			Sync(func() { tt.edit(s) })
			w.tap("Save settings")
			w.waitFor("the refusal", func() bool { return s.saved.Text == "Not saved: see the fields marked in red." })
			Sync(func() {
				if l := tt.field(s); !l.Visible() || l.Text != tt.want {
					t.Errorf("field message = %q (shown %v), want %q", l.Text, l.Visible(), tt.want)
				}
			})
			for _, m := range []string{"SaveStore", "SaveSettings", "SaveExportSettings"} {
				if n := be.count(m); n != 0 {
					t.Errorf("%s called %d times for a refused value", m, n)
				}
			}
		})
	}
}

func TestSettingsSaveCallsTheBackend(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	// The screen shows the saved tax type over the proposed one.
	vat := mapping.TaxMap{Title: "VAT (20%)", Rate: decimal.RequireFromString("20"), Type: "P"}
	saved := vat
	saved.TaxType = "NONE"
	be.options.TaxRates = []mapping.TaxMap{saved}
	be.choices = export.NewChoices("", fakeAccounts, fakeTaxRates, []opencart.TaxRate{{Name: vat.Title, Rate: vat.Rate, Type: "P"}},
		be.statuses, fakeReturnActions, nil, export.DefaultSettings())
	if got := be.choices.Proposal.TaxRates; len(got) != 1 || got[0].TaxType != "OUTPUT2" {
		t.Fatalf("proposed tax mapping = %+v, want VAT → OUTPUT2", got)
	}
	w, s := settingsLoaded(t, be)
	Sync(func() {
		if got := s.taxSelects[0].Selected; got != "No VAT" {
			t.Errorf("VAT shows %q, want the saved No VAT", got)
		}
		test.Tap(s.autoSync)
		s.everyMinutes.SetText("")
		test.Type(s.everyMinutes, "30")
		s.invoiceStatus.SetSelected("Awaiting Payment")
		s.taxSelects[0].SetSelected("20% (VAT on Income)")
	})
	w.tap("Save settings")
	w.waitFor("the settings saved", func() bool { return strings.HasPrefix(s.saved.Text, "Saved.") })
	be.locked(func() {
		if len(be.savedOptions) != 1 {
			t.Fatalf("SaveExportSettings called %d times, want once", len(be.savedOptions))
		}
		o := be.savedOptions[0]
		if o.AutoSyncMinutes != 30 || o.InvoiceStatus != mapping.StatusAuthorised {
			t.Errorf("saved every %d minutes, invoices %q; want 30 and AUTHORISED", o.AutoSyncMinutes, o.InvoiceStatus)
		}
		if o.DefaultPaymentAccount != "090" || o.Accounts.Sales != "200" || o.Accounts.Rounding != "860" {
			t.Errorf("saved accounts: bank %q sales %q rounding %q, want the proposed 090, 200, 860", o.DefaultPaymentAccount, o.Accounts.Sales, o.Accounts.Rounding)
		}
		if len(o.TaxRates) != 1 || o.TaxRates[0].TaxType != "OUTPUT2" {
			t.Errorf("saved tax mapping = %+v, want VAT → OUTPUT2 as picked", o.TaxRates)
		}
		if n := len(be.savedSettings); n == 0 || be.savedSettings[n-1]["invoice.status"] != mapping.StatusAuthorised {
			t.Errorf("saved settings = %v, want invoice.status AUTHORISED", be.savedSettings)
		}
	})
	if be.count("SaveStore") != 1 {
		t.Errorf("SaveStore called %d times, want once", be.count("SaveStore"))
	}
}

func TestSettingsPaymentAccountsAreTheEnginesRule(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	_, s := settingsLoaded(t, be)
	var allowed []string
	for _, a := range be.choices.PaymentAccounts() {
		allowed = append(allowed, accountLabel(a))
	}
	// The rule itself (bank accounts and accounts that take payments,
	// never archived ones) is tested in sync/export; here, the screen
	// offers exactly what it allows.
	if want := []string{"090 — Business Bank Account", "615 — Card clearing"}; !slices.Equal(allowed, want) {
		t.Fatalf("the engine allows %q, the fake expects %q", allowed, want)
	}
	Sync(func() {
		if !slices.Equal(s.bankDefault.Options, allowed) {
			t.Errorf("bank account offers %q, want %q", s.bankDefault.Options, allowed)
		}
		card := s.bankMethods["card.card"]
		if card == nil {
			t.Fatal("no dropdown for the card payment method")
		}
		if want := append([]string{"(the bank account above)"}, allowed...); !slices.Equal(card.Options, want) {
			t.Errorf("card payments offer %q, want %q", card.Options, want)
		}
		if slices.Contains(s.accounts[0].Options, "090 — Business Bank Account") || !slices.Contains(s.accounts[0].Options, "200 — Sales") {
			t.Errorf("sales account offers %q: want no bank account, and the sales account", s.accounts[0].Options)
		}
	})
}

func TestSettingsListsNotReadFromXero(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	be.failOn("Choices", errors.New("xero: the organisation could not be reached"))
	w := openWindow(t, be, TabSettings)
	w.waitFor("the reason the lists are missing", func() bool {
		return w.u.settings.mappingNote.Text == "The lists could not be read: The organisation could not be reached"
	})
}

// ordersWindow opens the Orders tab and waits for its first page.
func ordersWindow(t *testing.T, be *fakeBackend) (*window, *listScreen) {
	t.Helper()
	w := openWindow(t, be, TabOrders)
	l := w.u.lists[1]
	if l.kind != ListOrders {
		t.Fatalf("list 1 is %s, want orders", l.kind)
	}
	w.waitFor("the first page", func() bool { return l.count.Text == "3 orders" })
	return w, l
}

func TestListSearchNarrowsRowsAndPreviewsTheSelectedOrder(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	w, l := ordersWindow(t, be)
	typeInto(l.search, "smith")
	w.waitFor("one order", func() bool { return l.count.Text == "1 order" })
	Sync(func() {
		r, ok := l.rowAt(0)
		if !ok || r.ID != 2 || r.Name != "Bob Smith" {
			t.Errorf("row 0 = %+v (%v), want order 2 of Bob Smith", r, ok)
		}
		if l.total != 1 {
			t.Errorf("%d rows, want 1", l.total)
		}
		if !l.preview.Disabled() {
			t.Error("Preview is enabled before a row is chosen")
		}
		l.table.Select(widget.TableCellID{Row: 0, Col: 1})
	})
	w.waitFor("the row's details", func() bool {
		return l.detail.Text == "Order 2, Bob Smith: exported (Xero OC-2)" && !l.preview.Disabled() && l.openXero.Visible()
	})
	w.tap("Preview")
	w.waitFor("the preview of order 2", func() bool { return w.hasLabel("Invoice OC-2 to Bob Smith · Draft · GBP") })
	be.locked(func() {
		if !slices.Equal(be.previewed, []int{2}) {
			t.Errorf("previewed orders %v, want [2]", be.previewed)
		}
	})
	Sync(func() {
		if !w.hasLabel("OpenCart total GBP 20.00 · Xero total GBP 20.00 · ✔ the totals match") {
			t.Errorf("the preview lacks the totals; labels %q", w.labels())
		}
	})
}

func TestListShowsWhyItCannotBeRead(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	be.failOn("List", errors.New("opencart: the shop's database cannot be reached"))
	w := openWindow(t, be, TabOrders)
	l := w.u.lists[1]
	w.waitFor("the reason", func() bool {
		return l.count.Text == "could not be read" && l.detail.Text == "The shop's database cannot be reached"
	})
}

func TestProgressPanel(t *testing.T) {
	t.Parallel()
	first := export.Event{Stage: export.StageInvoices, Done: 1, Total: 4, DayCallsLeft: -1, MinuteCallsLeft: -1, APICalls: 1}
	last := export.Event{Stage: export.StageInvoices, Done: 4, Total: 4, DayCallsLeft: 4990, MinuteCallsLeft: 58, APICalls: 2}
	tests := []struct {
		name   string
		fail   error
		cancel bool
		want   string
	}{
		{"finished", nil, false, "Export finished in 2s: 4 exported, 0 unchanged, 0 failed, 0 skipped, 2 requests to Xero."},
		{"stopped", errors.New("xero: not connected to Xero"), false, "Export stopped: connect to Xero first (Not connected to Xero)."},
		{"cancelled", nil, true, "Export cancelled: 0 exported, 0 failed before it stopped. The next run carries on."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			be := newFakeBackend()
			be.events = []export.Event{first, last}
			be.summary = export.Summary{Exported: 4, APICalls: 2, Duration: 2 * time.Second}
			be.step = make(chan struct{})
			if tt.fail != nil {
				be.failOn("Export", tt.fail)
			}
			w, _ := ordersWindow(t, be)
			p := w.u.progress
			w.tap("Export all new")
			w.waitFor("the panel", func() bool {
				return p.box.Visible() && p.label.Text == "Starting the export of orders…" && !p.cancel.Disabled() && !p.bar.Visible()
			})
			be.step <- struct{}{}
			w.waitFor("the first event", func() bool {
				return p.label.Text == "invoices: 1 of 4 · 1 requests to Xero" && p.bar.Max == 4 && p.bar.Value == 1 && p.bar.Visible()
			})
			if tt.cancel {
				w.tap("Cancel")
				w.waitFor("the cancelled run", func() bool { return p.label.Text == tt.want && p.cancel.Disabled() })
				return
			}
			be.step <- struct{}{}
			w.waitFor("the last event", func() bool {
				return p.label.Text == "invoices: 4 of 4 · 2 requests to Xero, 4990 left today, 58 this minute" && p.bar.Value == 4
			})
			be.step <- struct{}{}
			w.waitFor("the summary", func() bool { return p.label.Text == tt.want && p.cancel.Disabled() && !p.Running() })
			be.locked(func() {
				if len(be.exports) != 1 || be.exports[0].Scope != export.ScopeOrders || be.exports[0].Trigger != "manual" {
					t.Errorf("exports = %+v, want one manual export of orders", be.exports)
				}
			})
		})
	}
}

func TestHistory(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	w := openWindow(t, be, TabHistory)
	h := w.u.history
	w.waitFor("the newest run's records", func() bool {
		return len(h.runs) == 2 && h.detail.Text == "Run 2: 3 records, 1 failed."
	})
	Sync(func() { h.runList.Select(widget.TableCellID{Row: 1, Col: 0}) })
	w.waitFor("the older run's records", func() bool { return h.detail.Text == "Run 1: 1 records, 0 failed." && len(h.records) == 1 })
	Sync(func() { h.runList.Select(widget.TableCellID{Row: 0, Col: 0}) })
	w.waitFor("the newest run again", func() bool { return len(h.records) == 3 })
	Sync(func() { h.recList.Select(widget.TableCellID{Row: 2, Col: 0}) })
	w.waitFor("the failed record", func() bool {
		return h.detail.Text == "Invoice of order 3 → Xero none: failed — Account code '999' is not a valid code"
	})
	be.locked(func() {
		if !slices.Equal(be.recordsAskedOf, []int64{2, 1, 2}) {
			t.Errorf("records read of runs %v, want [2 1 2]", be.recordsAskedOf)
		}
	})
	w.tap("Retry failed")
	w.waitFor("the retry", func() bool { return !w.u.progress.Running() && w.u.progress.box.Visible() })
	be.locked(func() {
		if len(be.exports) != 1 || !be.exports[0].OnlyFailed || be.exports[0].Scope != export.ScopeAll {
			t.Errorf("exports = %+v, want one retry of everything that failed", be.exports)
		}
	})
}

// Each payment method says when its money has arrived: the proposal's rule
// is shown (cash on delivery: only when Complete; a card: the general paid
// statuses), and what the bookkeeper picks is saved as the method's rule.
func TestSettingsPaidWhenPerPaymentMethod(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	be.choices = export.NewChoices("", fakeAccounts, fakeTaxRates, nil, be.statuses, fakeReturnActions,
		[]opencart.Order{{PaymentMethod: opencart.Method{Title: "Card", Code: "card.card"}},
			{PaymentMethod: opencart.Method{Title: "Cash On Delivery", Code: "cod.cod"}}}, be.options)
	w, s := settingsLoaded(t, be)
	onlyComplete := "only when Complete"
	Sync(func() {
		cod, card := s.paidWhen["cod.cod"], s.paidWhen["card.card"]
		if cod == nil || card == nil {
			t.Fatalf("no paid-when dropdown per method: %v", s.paidWhen)
		}
		if cod.Selected != onlyComplete {
			t.Errorf("cash on delivery shows %q, want the proposed %q", cod.Selected, onlyComplete)
		}
		if !slices.Contains(card.Options, export.PaidWhenGeneral) || !slices.Contains(card.Options, onlyComplete) {
			t.Errorf("card offers %q", card.Options)
		}
		card.SetSelected(onlyComplete)
		cod.SetSelected(export.PaidWhenGeneral)
	})
	w.tap("Save settings")
	w.waitFor("the settings saved", func() bool { return strings.HasPrefix(s.saved.Text, "Saved.") })
	be.locked(func() {
		if len(be.savedOptions) != 1 {
			t.Fatalf("SaveExportSettings called %d times, want once", len(be.savedOptions))
		}
		rules := be.savedOptions[0].PaidStatusByMethod
		if !slices.Equal(rules["card"], []int{5}) {
			t.Errorf("card's saved rule = %v, want only Complete [5]", rules["card"])
		}
		if _, ok := rules["cod"]; ok {
			t.Errorf("cash on delivery keeps a rule %v, want the general paid statuses", rules["cod"])
		}
	})
}

// The number prefix and the VAT classes of untaxed sales are set in the
// window: each class offers Xero's tax types or "as lines without tax",
// and the picks are saved with the export settings.
func TestSettingsNumberPrefixAndVATClasses(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	w, s := settingsLoaded(t, be)
	Sync(func() {
		zero := s.vatClasses[mapping.VATZeroRated]
		if zero == nil || len(s.vatClasses) != 4 {
			t.Fatalf("VAT class dropdowns: %v", s.vatClasses)
		}
		if want := []string{vatAsNoTax, "20% (VAT on Income)", "No VAT"}; !slices.Equal(zero.Options, want) {
			t.Errorf("zero-rated offers %q, want %q", zero.Options, want)
		}
		if s.numberPrefix.Text != "" || s.numberPrefix.PlaceHolder != mapping.DefaultPrefix {
			t.Errorf("prefix shows %q (placeholder %q), want empty with the default as placeholder", s.numberPrefix.Text, s.numberPrefix.PlaceHolder)
		}
		zero.SetSelected("No VAT")
		test.Type(s.numberPrefix, "SHOP2-")
	})
	w.tap("Save settings")
	w.waitFor("the settings saved", func() bool { return strings.HasPrefix(s.saved.Text, "Saved.") })
	be.locked(func() {
		if len(be.savedOptions) != 1 {
			t.Fatalf("SaveExportSettings called %d times, want once", len(be.savedOptions))
		}
		o := be.savedOptions[0]
		if o.Prefix != "SHOP2-" {
			t.Errorf("saved prefix %q, want SHOP2-", o.Prefix)
		}
		if o.TaxClasses.ZeroRated != "NONE" || o.TaxClasses.Export != "" {
			t.Errorf("saved VAT classes %+v, want zero-rated NONE and the rest as lines without tax", o.TaxClasses)
		}
	})
}
