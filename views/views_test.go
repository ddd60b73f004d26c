package views

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

func TestWriteAuditCSV(t *testing.T) {
	at := time.Date(2026, 11, 25, 17, 30, 0, 0, time.FixedZone("CET", 3600))
	entries := []AuditEntry{
		{At: at, RunID: 7, Kind: history.KindInvoice, OpenCartID: "42", XeroID: "inv-1", XeroNumber: "OC-42", State: history.StateExported,
			Currency: "EUR", OpenCartTotal: "30.00", XeroTotal: "30.00", Contact: "OC-C3", DocumentDate: "2026-11-24"},
		{At: at.Add(time.Minute), Kind: history.KindContact, OpenCartID: "OC-C3", State: history.StateFailed,
			Message: "Email address must be valid, \"x@\"\nsecond line"},
		{At: at.Add(2 * time.Minute), RunID: 8, Kind: history.KindCreditNote, OpenCartID: "return-7", XeroID: "cn-1", XeroNumber: "OC-42-R7",
			State: history.StateExported, Currency: "EUR", OpenCartTotal: "12.00", XeroTotal: "12.00", Contact: "OC-C3", DocumentDate: "2026-11-25"},
	}
	var buf bytes.Buffer
	if err := WriteAuditCSV(&buf, entries); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not read back: %v\n%s", err, buf.String())
	}
	want := [][]string{
		{"time", "run", "kind", "opencart_id", "document_number", "document_date", "xero_id", "state", "currency", "opencart_total", "xero_total", "contact", "message"},
		{at.Local().Format(time.RFC3339), "7", "invoice", "42", "OC-42", "2026-11-24", "inv-1", "exported", "EUR", "30.00", "30.00", "OC-C3", ""},
		{at.Add(time.Minute).Local().Format(time.RFC3339), "", "contact", "OC-C3", "", "", "", "failed", "", "", "", "", "Email address must be valid, \"x@\"\nsecond line"},
		{at.Add(2 * time.Minute).Local().Format(time.RFC3339), "8", "credit note", "return-7", "OC-42-R7", "2026-11-25", "cn-1", "exported", "EUR", "12.00", "12.00", "OC-C3", ""},
	}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("rows =\n%q\nwant\n%q", rows, want)
	}
}

// TestWriteAuditCSVNeutralisesFormulas: a cell of shop or Xero text that
// starts like a formula reaches the spreadsheet with an apostrophe first.
func TestWriteAuditCSVNeutralisesFormulas(t *testing.T) {
	for _, first := range []string{"=", "+", "-", "@", "\t", "\r"} {
		t.Run(fmt.Sprintf("%q", first), func(t *testing.T) {
			cell := first + "HYPERLINK(\"http://evil.example\",\"x\")"
			var buf bytes.Buffer
			err := WriteAuditCSV(&buf, []AuditEntry{{Kind: history.KindCreditNote, OpenCartID: cell, XeroNumber: cell, State: history.StateFailed, Message: cell}})
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(&buf).ReadAll()
			if err != nil || len(rows) != 2 {
				t.Fatalf("%d rows (%v):\n%s", len(rows), err, buf.String())
			}
			for _, i := range []int{3, 4, 12} {
				if got := rows[1][i]; got != "'"+cell {
					t.Errorf("column %s = %q, want %q", rows[0][i], got, "'"+cell)
				}
			}
		})
	}
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteAuditCSVReportsWriteErrors(t *testing.T) {
	err := WriteAuditCSV(failingWriter{}, []AuditEntry{{State: "exported"}})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v, want the write error", err)
	}
}

func TestExportStateText(t *testing.T) {
	no := false
	tests := []struct {
		name string
		s    ExportState
		want string
	}{
		{"never", ExportState{}, "not exported"},
		{"exported", ExportState{State: history.StateExported}, "exported"},
		{"totals differ", ExportState{State: history.StateExported, Match: &no}, "exported, totals differ"},
		{"changed", ExportState{State: history.StateChanged}, "changed since export"},
		{"failed", ExportState{State: history.StateFailed, Reason: "Invoice # must be unique."}, "failed: Invoice # must be unique."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.Text(); got != tt.want {
				t.Errorf("Text() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestProgressTexts(t *testing.T) {
	ev := export.Event{Stage: export.StageInvoices, Done: 150, Total: 1000, ETA: 95 * time.Second, DayCallsLeft: 4980, MinuteCallsLeft: 57, APICalls: 20}
	if got, want := eventText(ev), "invoices: 150 of 1000, about 1m35s left · 20 requests to Xero, 4980 left today, 57 this minute"; got != want {
		t.Errorf("eventText = %q, want %q", got, want)
	}
	unknown := export.Event{Stage: export.StagePreflight, DayCallsLeft: -1, MinuteCallsLeft: -1}
	if got, want := eventText(unknown), "preflight: 0 · 0 requests to Xero"; got != want {
		t.Errorf("eventText = %q, want %q", got, want)
	}
	tests := []struct {
		name string
		req  export.Request
		sum  export.Summary
		err  error
		want string
	}{
		{"done", export.Request{}, export.Summary{Exported: 3, Failed: 1, APICalls: 4, Duration: 2 * time.Second, Mismatches: 1},
			nil, "Export finished in 2s: 3 exported, 0 unchanged, 1 failed, 0 skipped, 4 requests to Xero. 1 documents have a Xero total that differs from OpenCart's."},
		{"trial", export.Request{DryRun: true}, export.Summary{}, nil, "Trial run (nothing sent) finished in 0s: 0 exported, 0 unchanged, 0 failed, 0 skipped, 0 requests to Xero."},
		{"cancelled", export.Request{}, export.Summary{Exported: 50}, export.ErrCancelled, "Export cancelled: 50 exported, 0 failed before it stopped. The next run carries on."},
		{"cancelled early", export.Request{}, export.Summary{}, fmt.Errorf("read: %w", context.Canceled), "Export cancelled: 0 exported, 0 failed before it stopped. The next run carries on."},
		{"stopped", export.Request{}, export.Summary{}, errors.New("opencart: the shop's database cannot be reached"), "Export stopped: The shop's database cannot be reached"},
		{"not connected", export.Request{}, export.Summary{}, errors.New("xero: not connected to Xero"), "Export stopped: connect to Xero first (Not connected to Xero)."},
		{"per kind", export.Request{}, export.Summary{Exported: 29, Duration: time.Second, ByKind: map[string]int{"invoice": 12, "credit_note": 3, "payment": 9, "contact": 5}},
			nil, "Export finished in 1s: 29 exported, 0 unchanged, 0 failed, 0 skipped, 0 requests to Xero. Sent: 12 invoices, 3 credit notes, 9 payments, 5 contacts."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := summaryText(tt.req, tt.sum, tt.err); got != tt.want {
				t.Errorf("summaryText = %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestPreviewLines(t *testing.T) {
	inv := xero.Invoice{Type: "ACCREC", InvoiceNumber: "OC-7", Status: "DRAFT", CurrencyCode: "GBP",
		Contact: &xero.Contact{Name: "Ann Smith", ContactNumber: "OC-C1"},
		LineItems: []xero.LineItem{
			{Description: "Tea", Quantity: xero.MustAmount("2"), UnitAmount: xero.MustAmount("5.00"), AccountCode: "200", TaxType: "OUTPUT2",
				TaxAmount: xero.MustAmount("2.00"), LineAmount: xero.MustAmount("10.00")},
			{Description: "Rounding", Quantity: xero.MustAmount("1"), UnitAmount: xero.MustAmount("0.01"), AccountCode: "860", TaxType: "NONE",
				LineAmount: xero.MustAmount("0.01")},
		}}
	head, cells, raw, err := previewLines(inv, map[string]string{"OUTPUT2": "20% (VAT on Income)"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Invoice OC-7 to Ann Smith · Draft · GBP"; head != want {
		t.Errorf("head = %q, want %q", head, want)
	}
	want := [][]string{{"Tea", "2", "5.00", "200", "20% (VAT on Income)", "2.00", "10.00"}, {"Rounding", "1", "0.01", "860", "NONE", "", "0.01"}}
	if fmt.Sprint(cells) != fmt.Sprint(want) {
		t.Errorf("cells = %q\nwant %q", cells, want)
	}
	if !strings.Contains(raw, `"InvoiceNumber": "OC-7"`) {
		t.Errorf("raw JSON lacks the invoice number:\n%s", raw)
	}
}

func TestStoreSummaryText(t *testing.T) {
	sum := opencart.Summary{Family: opencart.Family40, Database: "shop", Prefix: "oc_", StoreName: "Bean & Leaf", DefaultCurrency: "GBP",
		Timezone: "Europe/London", Customers: opencart.CustomerCounts{Enabled: 10, Disabled: 2}, OrdersTotal: 99, Returns: 3, MissingOrders: 4,
		Warnings: []string{"the default currency EUR is not the currency with rate 1.0 (GBP)"}}
	got := StoreSummaryText(sum)
	for _, want := range []string{"OpenCart 4.0.x", "12 customers (10 enabled, 2 disabled), 99 orders, 3 returns", "never exported: 4", "⚠ the default currency EUR"} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
}

func TestTabIndex(t *testing.T) {
	for name, want := range map[string]int{"settings": 0, "Customers": 1, "orders": 2, "credit-notes": 3, "history": 4, "": 2, "nonsense": 2} {
		if got := tabIndex(name); got != want {
			t.Errorf("tabIndex(%q) = %d, want %d", name, got, want)
		}
	}
}

func TestFormatCount(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 25000: "25,000", 100000: "100,000", 1234567: "1,234,567", -1500: "-1,500"} {
		if got := formatCount(n); got != want {
			t.Errorf("formatCount(%d) = %q, want %q", n, got, want)
		}
	}
}
