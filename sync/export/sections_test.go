package export_test

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
)

// completeSettings are settings with every account, rate and status chosen.
func completeSettings() export.Settings {
	s := export.DefaultSettings()
	s.Accounts = mapping.Accounts{Sales: "200", Shipping: "200", Discounts: "200", VouchersSold: "260", StoreCredit: "260", Fees: "260", Rounding: "860"}
	s.DefaultPaymentAccount = "090"
	s.TaxRates = []mapping.TaxMap{{Title: "VAT (20%)", Rate: decimal.NewFromInt(20), Type: "P", TaxType: "OUTPUT2"}}
	return s
}

// TestSettingsIncompleteBySection: each section of the settings says the
// first thing missing there, and only there.
func TestSettingsIncompleteBySection(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*export.Settings)
		section string
		want    string // in the message; "" = every section complete
	}{
		{"complete", func(*export.Settings) {}, "", ""},
		{"no sales account", func(s *export.Settings) { s.Accounts.Sales = "" }, export.SectionAccounts, "no account chosen for sales"},
		{"a tax rate not mapped", func(s *export.Settings) { s.TaxRates[0].TaxType = "" }, export.SectionAccounts, "no Xero tax type chosen"},
		{"no bank account, awaiting payment", func(s *export.Settings) {
			s.InvoiceStatus, s.DefaultPaymentAccount = mapping.StatusAuthorised, ""
		}, export.SectionRefunds, "bank account"},
		{"no paid status", func(s *export.Settings) { s.PaidStatusIDs = nil }, export.SectionRecords, "paid"},
		{"a status both skipped and paid", func(s *export.Settings) {
			s.SkipStatusIDs = append(s.SkipStatusIDs, s.PaidStatusIDs[0])
		}, export.SectionRecords, "never exported"},
		{"a bad invoice status", func(s *export.Settings) { s.InvoiceStatus = "PAID" }, export.SectionInvoices, "invoice status"},
		{"automatic export beyond a day", func(s *export.Settings) { s.AutoSyncMinutes = 2000 }, export.SectionAuto, "minutes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := completeSettings()
			tc.change(&s)
			got := s.Incomplete()
			if tc.section == "" {
				if len(got) != 0 {
					t.Errorf("complete settings: %v", got)
				}
				return
			}
			msg, ok := got[tc.section]
			if !ok || !strings.Contains(msg, tc.want) {
				t.Errorf("Incomplete() = %v, want %s to say %q", got, tc.section, tc.want)
			}
			if len(got) != 1 {
				t.Errorf("other sections marked too: %v", got)
			}
		})
	}
}
