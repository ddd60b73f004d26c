package views

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// creditNote is a one-line credit note of a cup, on account.
func creditNote(number, account string) xero.CreditNote {
	return xero.CreditNote{Type: "ACCRECCREDIT", CreditNoteNumber: number, Status: "AUTHORISED", CurrencyCode: "GBP",
		Contact: &xero.Contact{Name: "Carol Jones", ContactNumber: "OC-C3"},
		LineItems: []xero.LineItem{{Description: "Cup (returned)", Quantity: xero.MustAmount("1"), UnitAmount: xero.MustAmount("20"),
			AccountCode: account, TaxType: "OUTPUT2", TaxAmount: xero.MustAmount("4"), LineAmount: xero.MustAmount("20")}}}
}

// selectFirstRow chooses a list's first row and waits for its details.
func selectFirstRow(w *window, l *listScreen) {
	w.t.Helper()
	w.waitFor("the first page", func() bool { return l.total > 0 })
	Sync(func() { l.table.Select(widget.TableCellID{Row: 0, Col: 1}) })
	w.waitFor("Preview enabled", func() bool { return !l.preview.Disabled() })
}

// TestPreviewOfCreditNotesAndPayments: Preview on the credit-note grid
// shows the credit notes (lines, what Xero holds, differences marked),
// on the payment grid the payment; never the invoice.
func TestPreviewOfCreditNotesAndPayments(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	be.docs = map[string][]export.DocumentPreview{
		history.KindCreditNote: {{Kind: history.KindCreditNote, Key: "return-4", Title: "Credit note for return 4", Currency: "GBP", Amount: "24.00",
			Document: creditNote("", "210"), InXero: creditNote("CN-OC-3", "200"),
			Differences: []string{"Line 1 account: Xero has 200, now 210"},
			Record:      history.Record{State: history.StateExported, XeroNumber: "CN-OC-3", XeroID: "cn-1"}}},
		history.KindPayment: {{Kind: history.KindPayment, Key: "order-2", Title: "Payment of the invoice", Currency: "GBP", Amount: "20.00",
			Document: xero.Payment{Amount: xero.MustAmount("20"), Date: xero.NewDate(2026, 11, 2), Account: &xero.AccountRef{Code: "090"},
				Invoice: &xero.InvoiceRef{InvoiceNumber: "OC-2"}}}},
	}
	w := openWindow(t, be, TabDocuments)
	notes := w.u.lists[2]
	selectFirstRow(w, notes)
	w.tap("Preview")
	for _, want := range []string{"Credit notes of order 3 in Xero", "Credit note for return 4 · GBP 24.00", "Cup (returned)",
		"In Xero now (CN-OC-3)", "✘ Line 1 account: Xero has 200, now 210", "Last export: exported CN-OC-3"} {
		w.waitFor(want, func() bool { return w.hasLabel(want) })
	}
	Sync(func() {
		if w.hasLabel("OpenCart order totals") {
			t.Error("the credit-note preview shows the invoice")
		}
	})
	be.locked(func() {
		if len(be.calls) == 0 {
			t.Fatal("no call")
		}
		for _, c := range be.calls {
			if c == "Preview 3" {
				t.Error("the credit-note grid previewed the invoice")
			}
		}
	})
	closeDialogs(w)

	pays := w.u.lists[3]
	Sync(func() { w.u.tabs.SelectIndex(tabIndex(TabDocuments)) })
	selectFirstRow(w, pays)
	Sync(func() { pays.showPreview() })
	w.waitFor("the payment", func() bool {
		return w.hasLabel("Would be sent now: 20.00 on 2026-11-02 into account 090 against invoice OC-2")
	})
	Sync(func() {
		if !w.hasLabel("Not exported yet: this is what will be sent.") {
			t.Errorf("labels %q", w.labels())
		}
	})
}

// TestPreviewSaysWhyAnOrderIsExcluded: the preview of an order never
// exported that the settings exclude says so, not "this is what will be
// sent"; an exported one shows what Xero holds and the differences.
func TestPreviewSaysWhyAnOrderIsExcluded(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	be.preview.Excluded = "Excluded: status Canceled — Settings › Which records export"
	w, l := ordersWindow(t, be)
	Sync(func() { l.table.Select(widget.TableCellID{Row: 0, Col: 1}) })
	w.tap("Preview")
	want := "Excluded: status Canceled — Settings › Which records export. Nothing will be sent while it is."
	w.waitFor("the reason", func() bool { return w.hasLabel(want) })
	Sync(func() {
		if w.hasLabel("this is what will be sent") {
			t.Error("an excluded order's preview says it will be sent")
		}
	})
	closeDialogs(w)

	be.locked(func() {
		held := be.preview.Invoice
		held.LineItems = []xero.LineItem{{Description: "Tea", AccountCode: "200", LineAmount: xero.MustAmount("20")}}
		be.preview.Excluded = ""
		be.preview.Record = history.Record{State: history.StateExported, XeroNumber: "OC-2", XeroID: "inv-2"}
		be.preview.InXero = &held
		be.preview.Differences = []string{"Total: Xero has 20.00, now 22.00"}
	})
	Sync(func() { l.showPreview() })
	for _, want := range []string{"In Xero now (OC-2)", "✘ Total: Xero has 20.00, now 22.00"} {
		w.waitFor(want, func() bool { return w.hasLabel(want) })
	}
}

// closeDialogs removes every dialog from the window.
func closeDialogs(w *window) {
	Sync(func() {
		ov := w.w.Canvas().Overlays()
		for o := ov.Top(); o != nil; o = ov.Top() {
			ov.Remove(o)
		}
	})
}

// TestPreviewUpdatesTheDraft: an exported invoice Xero holds as a Draft
// that differs from what would be sent now comes with "Update the draft
// in Xero"; tapping it asks the engine, and the preview shown again holds
// the same as Xero, without the button. An invoice Awaiting Payment in
// Xero has no such button.
func TestPreviewUpdatesTheDraft(t *testing.T) {
	t.Parallel()
	for _, status := range []string{"DRAFT", "AUTHORISED"} {
		t.Run(status, func(t *testing.T) {
			t.Parallel()
			be := newFakeBackend()
			held := be.preview.Invoice
			held.Status = status
			be.preview.Record = history.Record{Kind: history.KindInvoice, OpenCartID: "2", XeroID: "inv-2", XeroNumber: "OC-2", State: history.StateExported}
			be.preview.InXero = &held
			be.preview.Differences = []string{"Line 1 account: Xero has 200, now 260"}
			be.updated = be.preview
			be.updated.Differences = nil
			w, l := ordersWindow(t, be)
			var id int
			Sync(func() {
				r, _ := l.rowAt(0)
				id = r.ID
				l.table.Select(widget.TableCellID{Row: 0, Col: 1})
			})
			w.tap("Preview")
			w.waitFor("the differences", func() bool { return w.hasLabel("✘ Line 1 account: Xero has 200, now 260") })
			if status != "DRAFT" {
				Sync(func() {
					for _, o := range w.objects() {
						if b, ok := o.(*widget.Button); ok && b.Text == updateDraftText {
							t.Error("an invoice Awaiting Payment in Xero is offered for update")
						}
					}
				})
				return
			}
			w.tapExact(updateDraftText)
			w.waitFor("the preview read again", func() bool {
				return be.count("UpdateDraft") == 1 && w.hasLabel("✔ Xero holds the same as would be sent now.")
			})
			be.locked(func() {
				if !slices.Contains(be.calls, fmt.Sprint("UpdateDraft ", id)) {
					t.Errorf("calls %q, want UpdateDraft %d", be.calls, id)
				}
			})
			Sync(func() {
				for _, o := range w.objects() {
					if b, ok := o.(*widget.Button); ok && b.Text == updateDraftText {
						t.Error("the button is still there after the update")
					}
				}
			})
		})
	}
}

// TestPreviewJSONIsUnderAdvanced: "Copy the document (JSON)" is for
// whoever checks a document with Xero's API: in the invoice preview and
// the credit-note preview it is under Advanced, closed at first, and
// copies the document once Advanced is opened.
func TestPreviewJSONIsUnderAdvanced(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, tab, button string }{
		{"invoice", TabOrders, "Copy the document (JSON)"},
		{"credit notes", TabDocuments, "Copy the documents (JSON)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			be := newFakeBackend()
			be.docs = map[string][]export.DocumentPreview{history.KindCreditNote: {{Kind: history.KindCreditNote, Key: "return-4",
				Title: "Credit note for return 4", Currency: "GBP", Amount: "24.00", Document: creditNote("", "210")}}}
			w := openWindow(t, be, tc.tab)
			l := w.u.lists[1]
			if tc.tab == TabDocuments {
				l = w.u.lists[2]
			}
			selectFirstRow(w, l)
			w.tap("Preview")
			w.waitFor("the Advanced fold", func() bool { return w.hasButton(previewAdvancedTitle) })
			Sync(func() {
				if w.hasButton(tc.button) {
					t.Errorf("%q shows before Advanced is opened", tc.button)
				}
			})
			w.tapExact(previewAdvancedTitle)
			w.tapExact(tc.button)
			w.waitFor("the copy", func() bool { return w.hasButton("Copied ✓") })
			var copied string
			Sync(func() { copied = w.u.app.Clipboard().Content() })
			if !strings.HasPrefix(strings.TrimSpace(copied), "{") {
				t.Errorf("copied %q, want the document's JSON", copied)
			}
		})
	}
}

// hasButton reports whether a visible button's text is text; inside Sync
// or in waitFor.
func (w *window) hasButton(text string) bool {
	for _, o := range w.objects() {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return true
		}
	}
	return false
}
