package views

import (
	"slices"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// chartWithSystemAccounts is a chart as Xero's demo company has it: system
// accounts (receivables, payables, VAT, retained earnings) beside the ones
// lines and money may go to.
var chartWithSystemAccounts = []xero.Account{
	{Code: "090", Name: "Business Bank Account", Type: "BANK", Class: "ASSET", Status: "ACTIVE"},
	{Code: "200", Name: "Sales", Type: "REVENUE", Class: "REVENUE", Status: "ACTIVE"},
	{Code: "310", Name: "Cost of Goods Sold", Type: "DIRECTCOSTS", Class: "EXPENSE", Status: "ACTIVE"},
	{Code: "610", Name: "Accounts Receivable", Type: "CURRENT", Class: "ASSET", Status: "ACTIVE", SystemAccount: "DEBTORS"},
	{Code: "800", Name: "Accounts Payable", Type: "CURRLIAB", Class: "LIABILITY", Status: "ACTIVE", SystemAccount: "CREDITORS"},
	{Code: "815", Name: "Customer Store Credit", Type: "CURRLIAB", Class: "LIABILITY", Status: "ACTIVE", EnablePaymentsToAccount: true},
	{Code: "820", Name: "VAT", Type: "CURRLIAB", Class: "LIABILITY", Status: "ACTIVE", SystemAccount: "GST"},
	{Code: "835", Name: "Gift Vouchers", Type: "CURRLIAB", Class: "LIABILITY", Status: "ACTIVE"},
	{Code: "860", Name: "Rounding", Type: "CURRLIAB", Class: "LIABILITY", Status: "ACTIVE", SystemAccount: "ROUNDING"},
	{Code: "960", Name: "Retained Earnings", Type: "EQUITY", Class: "EQUITY", Status: "ACTIVE", SystemAccount: "RETAINEDEARNINGS"},
}

// TestSettingsAccountListsFitTheirUse: each account dropdown offers what
// the engine allows for its use (never payables, VAT or retained
// earnings), gift vouchers sold are proposed to their liability, and a
// saved account that does not fit stays chosen, marked with why.
func TestSettingsAccountListsFitTheirUse(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	saved := export.DefaultSettings()
	saved.Accounts.Shipping = "820" // VAT: chosen by mistake before the lists were filtered
	be.options = saved
	be.choices = export.NewChoices("", chartWithSystemAccounts, fakeTaxRates, nil, be.statuses, fakeReturnActions, nil, saved)
	_, s := settingsLoaded(t, be)
	field := func(use export.AccountUse) int {
		for i, f := range accountFields {
			if f.use == use {
				return i
			}
		}
		t.Fatalf("no dropdown for %s", use)
		return -1
	}
	Sync(func() {
		for _, tt := range []struct {
			use  export.AccountUse
			want []string
		}{
			{export.UseSales, []string{"200 — Sales"}},
			{export.UseVouchersSold, []string{"200 — Sales", "815 — Customer Store Credit", "835 — Gift Vouchers"}},
			{export.UseRounding, []string{"200 — Sales", "310 — Cost of Goods Sold", "860 — Rounding"}},
			{export.UseShipping, []string{"200 — Sales", "820 — VAT  ⚠ one of Xero's system accounts, which invoice lines cannot use"}},
		} {
			if got := s.accounts[field(tt.use)].Options; !slices.Equal(got, tt.want) {
				t.Errorf("%s offers %q, want %q", tt.use, got, tt.want)
			}
		}
		if got := s.accounts[field(export.UseVouchersSold)].Selected; got != "835 — Gift Vouchers" {
			t.Errorf("gift vouchers sold proposed %q, want the liability 835", got)
		}
		if got := codeOf(s.accounts[field(export.UseShipping)]); got != "820" {
			t.Errorf("the saved shipping account shows as %q, want 820 kept", got)
		}
		if want := []string{"090 — Business Bank Account", "815 — Customer Store Credit"}; !slices.Equal(s.bankDefault.Options, want) {
			t.Errorf("bank account offers %q, want %q", s.bankDefault.Options, want)
		}
	})
}
