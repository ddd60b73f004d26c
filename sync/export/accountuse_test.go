package export_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// demoChart is Xero's demo chart of accounts as the sandbox seeds it, with
// classes, plus accounts read without a class and one for vouchers.
var demoChart = []xero.Account{
	{Code: "090", Name: "Business Bank Account", Type: "BANK", Class: "ASSET", Status: "ACTIVE"},
	{Code: "200", Name: "Sales", Type: "REVENUE", Class: "REVENUE", Status: "ACTIVE"},
	{Code: "260", Name: "Other Revenue", Type: "REVENUE", Class: "REVENUE", Status: "ACTIVE"},
	{Code: "310", Name: "Cost of Goods Sold", Type: "DIRECTCOSTS", Class: "EXPENSE", Status: "ACTIVE"},
	{Code: "610", Name: "Accounts Receivable", Type: "CURRENT", Class: "ASSET", Status: "ACTIVE", SystemAccount: "DEBTORS"},
	{Code: "615", Name: "Undeposited Funds", Type: "CURRENT", Class: "ASSET", Status: "ACTIVE", EnablePaymentsToAccount: true},
	{Code: "800", Name: "Accounts Payable", Type: "CURRLIAB", Class: "LIABILITY", Status: "ACTIVE", SystemAccount: "CREDITORS"},
	{Code: "815", Name: "Customer Store Credit", Type: "CURRLIAB", Class: "LIABILITY", Status: "ACTIVE", EnablePaymentsToAccount: true},
	{Code: "820", Name: "VAT", Type: "CURRLIAB", Class: "LIABILITY", Status: "ACTIVE", SystemAccount: "GST"},
	{Code: "860", Name: "Rounding", Type: "CURRLIAB", Class: "LIABILITY", Status: "ACTIVE", SystemAccount: "ROUNDING"},
	{Code: "960", Name: "Retained Earnings", Type: "EQUITY", Class: "EQUITY", Status: "ACTIVE", SystemAccount: "RETAINEDEARNINGS"},
	{Code: "270", Name: "Freight income", Type: "OTHERINCOME", Status: "ACTIVE"},            // no class: by its type
	{Code: "835", Name: "Gift vouchers", Type: "CURRLIAB", Status: "ACTIVE"},                // no class: by its type
	{Code: "201", Name: "Old sales", Type: "REVENUE", Class: "REVENUE", Status: "ARCHIVED"}, // never offered
}

func TestAccountsForEachUse(t *testing.T) {
	c := export.Choices{Accounts: demoChart}
	tests := []struct {
		use  export.AccountUse
		want []string
	}{
		// Income only: never payables, VAT, retained earnings or a bank.
		{export.UseSales, []string{"200", "260", "270"}},
		{export.UseShipping, []string{"200", "260", "270"}},
		{export.UseFees, []string{"200", "260", "270"}},
		// Discounts may be booked as an expense.
		{export.UseDiscounts, []string{"200", "260", "310", "270"}},
		// A voucher is owed until spent: liabilities, and income for those
		// who book it when sold; never VAT, payables or rounding.
		{export.UseVouchersSold, []string{"200", "260", "815", "270", "835"}},
		{export.UseStoreCredit, []string{"200", "260", "815", "270", "835"}},
		// Xero's rounding account is the one system account a line may use.
		{export.UseRounding, []string{"200", "260", "310", "860", "270"}},
		// Money goes to a bank account or one that allows payments.
		{export.UsePayments, []string{"090", "615", "815"}},
	}
	for _, tt := range tests {
		t.Run(tt.use.String(), func(t *testing.T) {
			if got := codes(c.AccountsFor(tt.use)); !slices.Equal(got, tt.want) {
				t.Errorf("accounts for %s = %v, want %v", tt.use, got, tt.want)
			}
		})
	}
	if len(tests) != len(export.AccountUses) {
		t.Errorf("%d uses tested, %d exist", len(tests), len(export.AccountUses))
	}
}

func TestAccountUnfitSaysWhy(t *testing.T) {
	byCode := map[string]xero.Account{}
	for _, a := range demoChart {
		byCode[a.Code] = a
	}
	tests := []struct {
		use  export.AccountUse
		code string
		want string
	}{
		{export.UseSales, "800", "system accounts"},
		{export.UseSales, "090", "a bank account"},
		{export.UseSales, "815", "not an income account"},
		{export.UseSales, "201", "archived"},
		{export.UseDiscounts, "815", "not an income or an expense account"},
		{export.UseVouchersSold, "310", "not a liability or an income account"},
		{export.UsePayments, "200", "does not allow payments"},
		{export.UseSales, "200", ""},
	}
	for _, tt := range tests {
		got := export.AccountUnfit(tt.use, byCode[tt.code])
		if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("%s for %s: %q, want %q", tt.code, tt.use, got, tt.want)
		}
	}
}

// TestProposeVouchersSold: gift vouchers sold are proposed to a liability
// for them, else to sales with a note saying to add one.
func TestProposeVouchersSold(t *testing.T) {
	sales := xero.Account{Code: "200", Name: "Sales", Type: "REVENUE", Status: "ACTIVE"}
	vat := xero.Account{Code: "820", Name: "VAT", Type: "CURRLIAB", Status: "ACTIVE", SystemAccount: "GST"}
	tests := []struct {
		name  string
		chart []xero.Account
		saved string
		want  string
		note  string
	}{
		{"a liability for vouchers", []xero.Account{sales, vat, {Code: "835", Name: "Gift Vouchers", Type: "CURRLIAB", Status: "ACTIVE"}}, "", "835", "gift vouchers sold: account 835"},
		{"a voucher account before a store credit one", []xero.Account{sales, {Code: "815", Name: "Customer Store Credit", Type: "CURRLIAB", Status: "ACTIVE"},
			{Code: "835", Name: "Gift Vouchers", Type: "CURRLIAB", Status: "ACTIVE"}}, "", "835", "gift vouchers sold: account 835"},
		{"store credit owed to customers", []xero.Account{sales, {Code: "815", Name: "Customer Store Credit", Type: "CURRLIAB", Status: "ACTIVE"}}, "", "815", "gift vouchers sold: account 815"},
		{"no liability for them: sales, said", []xero.Account{sales, vat}, "", "200", "Xero lacks a liability account for them"},
		{"a saved choice is kept", []xero.Account{sales, {Code: "835", Name: "Gift Vouchers", Type: "CURRLIAB", Status: "ACTIVE"}}, "200", "200", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := export.DefaultSettings()
			s.Accounts.VouchersSold = tt.saved
			p := export.ProposeFrom("", tt.chart, nil, nil, nil, s)
			if got := p.Settings.Accounts.VouchersSold; got != tt.want {
				t.Errorf("vouchers sold = %q, want %q (notes %v)", got, tt.want, p.Notes)
			}
			notes := strings.Join(p.Notes, "\n")
			if tt.note != "" && !strings.Contains(notes, tt.note) || tt.note == "" && strings.Contains(notes, "gift vouchers sold") {
				t.Errorf("notes %q, want %q", notes, tt.note)
			}
		})
	}
}

func TestTaxLabels(t *testing.T) {
	rates := []xero.TaxRate{{Name: "20% (VAT on Income)", TaxType: "OUTPUT2"}, {TaxType: "NAMELESS"}}
	for _, tt := range []struct{ code, want string }{
		{"OUTPUT2", "20% (VAT on Income)"}, {"output2", "20% (VAT on Income)"}, {"NAMELESS", "NAMELESS"}, {"RROUTPUT", "RROUTPUT"}, {"", ""},
	} {
		if got := export.TaxTypeLabel(tt.code, rates); got != tt.want {
			t.Errorf("TaxTypeLabel(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
}
