package export

import (
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// TestDocumentDate: the audit trail's date of each kind of document.
func TestDocumentDate(t *testing.T) {
	day := xero.Date{Time: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}
	inv := xero.Invoice{Date: day}
	tests := []struct {
		name string
		doc  any
		want string
	}{
		{"invoice", inv, "2026-11-02"},
		{"invoice pointer", &inv, "2026-11-02"},
		{"credit note", xero.CreditNote{Date: day}, "2026-11-02"},
		{"payment", xero.Payment{Date: day}, "2026-11-02"},
		{"contact", xero.Contact{Name: "Ann"}, ""},
		{"none", nil, ""},
		{"undated invoice", xero.Invoice{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := documentDate(tt.doc); got != tt.want {
				t.Errorf("documentDate = %q, want %q", got, tt.want)
			}
		})
	}
}
