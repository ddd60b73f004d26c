package views

import (
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/reconcile"
)

func TestSourceWords(t *testing.T) {
	tests := []struct{ kind, key, want string }{
		{history.KindInvoice, "1021", "order 1021"},
		{history.KindPayment, "1021", "order 1021"},
		{history.KindCreditNote, "order-1021", "order 1021"},
		{history.KindCreditNote, "return-7", "return 7"},
		{history.KindInvoice, "renewal-17", "subscription renewal 17"},
		{history.KindPayment, "renewal-s17", "subscription renewal 17"},
		{history.KindContact, "OC-C12", "OC-C12"},
	}
	for _, tt := range tests {
		t.Run(tt.kind+" "+tt.key, func(t *testing.T) {
			if got := sourceWords(tt.kind, tt.key); got != tt.want {
				t.Errorf("sourceWords(%q, %q) = %q, want %q", tt.kind, tt.key, got, tt.want)
			}
		})
	}
}

// programmerWords are what a screen must not show a bookkeeper: a
// snake_case code (credit_note, missing_in_xero), a history key
// (order-1021, return-7, renewal-s17) or a Xero status code (AUTHORISED).
var programmerWords = regexp.MustCompile(`\b[a-z]+_[a-z_]+\b|\b(order|return|renewal)-s?\d+\b|\b(DRAFT|SUBMITTED|AUTHORISED|PAID|VOIDED|DELETED)\b`)

// TestScreensSayRecordsInWords scans what History (its records, a
// record's detail, the undo plan) and Reconcile (its rows and a
// difference's detail) show for programmer words.
func TestScreensSayRecordsInWords(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	be.records[2] = []history.Record{
		{Kind: history.KindCreditNote, OpenCartID: "order-1021", XeroNumber: "OC-CN-1021", State: history.StateExported},
		{Kind: history.KindCreditNote, OpenCartID: "return-7", State: history.StateFailed, Error: "the invoice is not in Xero yet"},
		{Kind: history.KindPayment, OpenCartID: "1021", XeroNumber: "OC-1021", State: history.StateExported},
		{Kind: history.KindInvoice, OpenCartID: "renewal-s17", XeroNumber: "OC-R17", State: history.StateExported},
	}
	be.undoPlan = export.UndoResult{Undone: 3, LeftAlone: 1, Items: []export.UndoItem{
		{Kind: history.KindCreditNote, OpenCartID: "order-1021", Number: "OC-CN-1021", XeroStatus: "AUTHORISED", Action: export.UndoVoid},
		{Kind: history.KindCreditNote, OpenCartID: "return-7", Number: "OC-CN-R7", XeroStatus: "DRAFT", Action: export.UndoDelete},
		{Kind: history.KindPayment, OpenCartID: "1021", Number: "OC-1021", XeroStatus: "PAID", Action: export.UndoRemovePayment},
		{Kind: history.KindInvoice, OpenCartID: "renewal-17", Number: "OC-R17", XeroStatus: "VOIDED", Action: export.UndoLeave, Why: "it was voided in Xero"},
	}}
	rep := fakeReport()
	rep.Differences = nil
	for i, p := range []reconcile.Problem{reconcile.MissingInXero, reconcile.DeletedInXero, reconcile.VoidedInXero, reconcile.TotalDiffers,
		reconcile.ContactDiffers, reconcile.PaidInXeroNotInOpenCart, reconcile.PaymentDiffers, reconcile.NotInOpenCart,
		reconcile.FailedNotSent, reconcile.RenewalNotExported} {
		d := reconcile.Difference{Kind: history.KindCreditNote, OpenCartID: "order-1021", Problem: p, Currency: "GBP", Detail: "as found"}
		if i%2 == 1 {
			d.Kind, d.OpenCartID, d.Number = history.KindInvoice, "1021", "OC-1021"
		}
		rep.Differences = append(rep.Differences, d)
	}
	be.report = rep

	w := openWindow(t, be, TabHistory)
	h := w.u.history
	w.waitFor("the newest run's records", func() bool { return h.chosen == 2 && len(h.records) == 4 })
	var shown []string
	look := func(where string) {
		for _, l := range w.labels() {
			shown = append(shown, where+": "+l)
		}
	}
	look("History")
	for row := range 4 {
		Sync(func() { h.recList.Select(widget.TableCellID{Row: row, Col: 0}) })
		look("a record's detail")
	}
	w.tap("Undo this run…")
	w.waitFor("the undo plan", func() bool { return w.hasLabel("Undoing run 2") })
	look("the undo plan")
	w.tap("Cancel")

	Sync(func() { w.u.tabs.SelectIndex(tabIndex(TabReconcile)) })
	s := w.u.reconcile
	w.tap("Reconcile")
	w.waitFor("the report", func() bool { return s.rep != nil && len(s.rep.Differences) == 10 })
	look("Reconcile")
	for row := range 10 {
		Sync(func() { s.diffTab.Select(widget.TableCellID{Row: row, Col: 0}) })
		look("a difference's detail")
	}

	var saw struct{ order, creditNote, status bool }
	for _, l := range shown {
		if m := programmerWords.FindString(l); m != "" {
			t.Errorf("%q shows %q", l, m)
		}
		saw.order = saw.order || strings.Contains(l, "order 1021")
		saw.creditNote = saw.creditNote || strings.Contains(l, "credit note")
		saw.status = saw.status || strings.Contains(l, "Awaiting Payment in Xero")
	}
	if !saw.order || !saw.creditNote || !saw.status {
		t.Errorf("the screens never said %+v; they showed %q", saw, shown)
	}
}
