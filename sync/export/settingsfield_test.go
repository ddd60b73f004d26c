package export_test

import (
	"fmt"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
)

// TestSettingsField: the settings' own checks point at the field that
// fixes them.
func TestSettingsField(t *testing.T) {
	tests := []struct {
		name   string
		change func(*export.Settings)
		want   export.Field
	}{
		{"no sales account", func(s *export.Settings) { s.Accounts.Sales = "" }, export.FieldSales},
		{"no account for vouchers sold", func(s *export.Settings) { s.Accounts.VouchersSold = "" }, export.FieldVouchersSold},
		{"no store credit account", func(s *export.Settings) { s.Accounts.StoreCredit = "" }, export.FieldStoreCredit},
		{"no rounding account", func(s *export.Settings) { s.Accounts.Rounding = "" }, export.FieldRounding},
		{"no bank account", func(s *export.Settings) { s.InvoiceStatus, s.DefaultPaymentAccount = mapping.StatusAuthorised, "" }, export.FieldBankAccount},
		{"a tax rate not mapped", func(s *export.Settings) { s.TaxRates[0].TaxType = "" }, export.FieldTaxRates},
		{"no paid status", func(s *export.Settings) { s.PaidStatusIDs = nil }, export.FieldStatuses},
		{"a status never exported and paid", func(s *export.Settings) { s.SkipStatusIDs = append(s.SkipStatusIDs, 5) }, export.FieldStatuses},
		{"a bad invoice status", func(s *export.Settings) { s.InvoiceStatus = "PAID" }, export.FieldInvoiceStatus},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := completeSettings()
			tt.change(&s)
			err := fmt.Errorf("the export settings are incomplete:\n%w", s.Validate())
			if got, ok := export.SettingsField(err); !ok || got != tt.want {
				t.Errorf("SettingsField(%q) = %q, %v; want %q", err, got, ok, tt.want)
			}
		})
	}
	// What checkChoices says when Xero lacks a choice.
	for msg, want := range map[string]export.Field{
		"the export settings do not fit this Xero organisation:\naccount 205 (shipping) is not an active account in Xero's chart of accounts": export.FieldShipping,
		"the export settings do not fit this Xero organisation:\naccount 200 (payments) cannot take payments":                                 export.FieldBankAccount,
		"the export settings do not fit this Xero organisation:\ntax type NONE (lines without tax) is not a tax rate in Xero":                 export.FieldNoTax,
		"the export settings do not fit this Xero organisation:\ntax rate \"Zero Rated\" (untaxed sales: zero rated) is no longer active":     export.FieldVATClasses,
		"the export settings do not fit this Xero organisation:\ntax type OUTPUT9 (OpenCart rate VAT) is not a tax rate in Xero":              export.FieldTaxRates,
		"account 200 (Sales) is the store credit account but does not accept payments":                                                        export.FieldStoreCredit,
	} {
		if got, ok := export.SettingsField(fmt.Errorf("%s", msg)); !ok || got != want {
			t.Errorf("SettingsField(%q) = %q, %v; want %q", msg, got, ok, want)
		}
	}
	if _, ok := export.SettingsField(fmt.Errorf("Xero is not answering")); ok {
		t.Error("an error about no field points at one")
	}
	if got, ok := export.SettingsField(export.ErrAutoSyncInterval); !ok || got != export.FieldAutoExport {
		t.Errorf("the interval points at %q", got)
	}
}
