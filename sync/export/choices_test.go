package export_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// chartOfAccounts is a small chart with one account of each kind the
// settings screen has to sort.
var chartOfAccounts = []xero.Account{
	{Code: "090", Name: "Business Bank Account", Type: "BANK", Status: "ACTIVE"},
	{Code: "091", Name: "Old Bank Account", Type: "BANK", Status: "ARCHIVED"},
	{Code: "092", Name: "Savings", Type: "bank", Status: "active"},
	{Code: "200", Name: "Sales", Type: "REVENUE", Status: "ACTIVE"},
	{Code: "260", Name: "Other Revenue", Type: "OTHERINCOME"},
	{Code: "610", Name: "Accounts Receivable", Type: "CURRENT", Status: "ACTIVE"},
	{Code: "615", Name: "Card clearing", Type: "CURRENT", Status: "ACTIVE", EnablePaymentsToAccount: true},
	{Code: "616", Name: "Old clearing", Type: "CURRENT", Status: "ARCHIVED", EnablePaymentsToAccount: true},
	{Code: "", Name: "Bank without a code", Type: "BANK", Status: "ACTIVE"},
	{Code: "", Name: "Revenue without a code", Type: "REVENUE", Status: "ACTIVE"},
	{Code: "860", Name: "Rounding", Type: "CURRENT", Status: "ACTIVE", SystemAccount: "ROUNDING"},
}

func codes(as []xero.Account) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Code)
	}
	return out
}

func TestChoicesAccounts(t *testing.T) {
	c := export.Choices{Accounts: chartOfAccounts}
	tests := []struct {
		name string
		got  []xero.Account
		want []string
	}{
		// Bank accounts and accounts that allow payments; never archived
		// ones, never ones without a code.
		{"payment accounts", c.PaymentAccounts(), []string{"090", "092", "615"}},
		// Every active account with a code except bank accounts.
		{"line accounts", c.LineAccounts(), []string{"200", "260", "610", "615", "860"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := codes(tt.got); !slices.Equal(got, tt.want) {
				t.Errorf("codes = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTakesPayments(t *testing.T) {
	tests := []struct {
		name string
		a    xero.Account
		want bool
	}{
		{"bank", xero.Account{Type: "BANK"}, true},
		{"bank in lower case", xero.Account{Type: "bank"}, true},
		{"payments allowed", xero.Account{Type: "CURRENT", EnablePaymentsToAccount: true}, true},
		{"revenue", xero.Account{Type: "REVENUE"}, false},
		{"current asset", xero.Account{Type: "CURRENT"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := export.TakesPayments(tt.a); got != tt.want {
				t.Errorf("TakesPayments = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMergeTaxMapping(t *testing.T) {
	vat := mapping.TaxMap{Title: "VAT (20%)", Rate: mustDec("20"), Type: "P", TaxType: "OUTPUT2"}
	eco := mapping.TaxMap{Title: "Eco Tax", Rate: mustDec("2"), Type: "F", TaxType: "NONE"}
	with := func(m mapping.TaxMap, edit func(*mapping.TaxMap)) mapping.TaxMap { edit(&m); return m }
	tests := []struct {
		name            string
		saved, proposed []mapping.TaxMap
		want            []string // tax types, one per proposed rate
	}{
		{"nothing saved", nil, []mapping.TaxMap{vat, eco}, []string{"OUTPUT2", "NONE"}},
		{"saved wins", []mapping.TaxMap{with(vat, func(m *mapping.TaxMap) { m.TaxType = "EXEMPTOUTPUT" })}, []mapping.TaxMap{vat, eco},
			[]string{"EXEMPTOUTPUT", "NONE"}},
		{"saved without a tax type leaves the proposal", []mapping.TaxMap{with(vat, func(m *mapping.TaxMap) { m.TaxType = "" })}, []mapping.TaxMap{vat},
			[]string{"OUTPUT2"}},
		{"title ignores case and spaces", []mapping.TaxMap{with(vat, func(m *mapping.TaxMap) { m.Title, m.TaxType = " vat (20%) ", "ZERORATEDOUTPUT" })},
			[]mapping.TaxMap{vat}, []string{"ZERORATEDOUTPUT"}},
		{"another rate is another tax", []mapping.TaxMap{with(vat, func(m *mapping.TaxMap) { m.Rate, m.TaxType = mustDec("5"), "RROUTPUT" })},
			[]mapping.TaxMap{vat}, []string{"OUTPUT2"}},
		{"another type is another tax", []mapping.TaxMap{with(vat, func(m *mapping.TaxMap) { m.Type, m.TaxType = "F", "RROUTPUT" })},
			[]mapping.TaxMap{vat}, []string{"OUTPUT2"}},
		{"saved rates no longer proposed are dropped", []mapping.TaxMap{{Title: "Gone", Rate: mustDec("7"), Type: "P", TaxType: "X"}},
			[]mapping.TaxMap{eco}, []string{"NONE"}},
		{"nothing proposed", []mapping.TaxMap{vat}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			proposed := slices.Clone(tt.proposed)
			got := export.MergeTaxMapping(tt.saved, tt.proposed)
			var types []string
			for i, m := range got {
				types = append(types, m.TaxType)
				if m.Title != tt.proposed[i].Title || !m.Rate.Equal(tt.proposed[i].Rate) {
					t.Errorf("entry %d is %q %s, want the proposed %q %s", i, m.Title, m.Rate, tt.proposed[i].Title, tt.proposed[i].Rate)
				}
			}
			if !slices.Equal(types, tt.want) {
				t.Errorf("tax types = %v, want %v", types, tt.want)
			}
			if fmt.Sprint(proposed) != fmt.Sprint(tt.proposed) {
				t.Errorf("the proposal was changed: %v, was %v", tt.proposed, proposed)
			}
		})
	}
}

func TestCheckAutoSyncInterval(t *testing.T) {
	for _, tt := range []struct {
		minutes int
		ok      bool
	}{{-5, false}, {0, false}, {1, true}, {60, true}, {1440, true}, {1441, false}} {
		t.Run(fmt.Sprint(tt.minutes), func(t *testing.T) {
			err := export.CheckAutoSyncInterval(tt.minutes)
			if (err == nil) != tt.ok {
				t.Fatalf("CheckAutoSyncInterval(%d) = %v, want ok %v", tt.minutes, err, tt.ok)
			}
			if err != nil && !errors.Is(err, export.ErrAutoSyncInterval) {
				t.Errorf("err = %v, want ErrAutoSyncInterval", err)
			}
		})
	}
}

func TestNewChoices(t *testing.T) {
	rates := []xero.TaxRate{
		{Name: "20% (VAT on Income)", TaxType: "OUTPUT2", Status: "ACTIVE", CanApplyToRevenue: true, EffectiveRate: xero.MustAmount("20")},
		{Name: "No VAT", TaxType: "NONE", Status: "ACTIVE", CanApplyToRevenue: true, EffectiveRate: xero.MustAmount("0")},
		{Name: "Old rate", TaxType: "OLD", Status: "DELETED", CanApplyToRevenue: true, EffectiveRate: xero.MustAmount("17.5")},
		{Name: "Unsaid", TaxType: "UNSAID", EffectiveRate: xero.MustAmount("5")},
	}
	shop := []opencart.TaxRate{{Name: "VAT (20%)", Rate: mustDec("20"), Type: "P"}}
	card := opencart.Method{Title: "Card", Code: "card.card"}
	bank := opencart.Method{Title: "Bank transfer", Code: "bank_transfer.bank_transfer"}
	recent := []opencart.Order{{PaymentMethod: card}, {PaymentMethod: bank}, {PaymentMethod: card}, {}}
	saved := export.DefaultSettings()
	saved.Accounts.Sales = "260"
	saved.PaymentAccounts = map[string]string{"cod.cod": "090", "card.card": "615"}

	actions := []opencart.ReturnAction{{ID: 1, Name: "Refunded"}, {ID: 5, Name: "Sent to the workshop"}}
	c := export.NewChoices("", chartOfAccounts, rates, shop, []opencart.OrderStatus{{ID: 1, Name: "Pending"}}, actions, recent, saved)

	var types []string
	for _, r := range c.TaxRates {
		types = append(types, r.TaxType)
	}
	if want := []string{"OUTPUT2", "NONE", "UNSAID"}; !slices.Equal(types, want) {
		t.Errorf("tax rates offered = %v, want the active ones %v", types, want)
	}
	var methods []string
	for _, m := range c.PaymentMethods {
		methods = append(methods, m.Code)
	}
	if want := []string{"card.card", "bank_transfer.bank_transfer", "cod.cod"}; !slices.Equal(methods, want) {
		t.Errorf("payment methods = %v, want %v (recent ones once each, then saved ones)", methods, want)
	}
	if c.Proposal.Accounts.Sales != "260" {
		t.Errorf("proposed sales account = %q, want the saved 260", c.Proposal.Accounts.Sales)
	}
	if c.Proposal.DefaultPaymentAccount != "090" || c.Proposal.Accounts.Rounding != "860" {
		t.Errorf("proposal: bank %q rounding %q, want 090 and 860", c.Proposal.DefaultPaymentAccount, c.Proposal.Accounts.Rounding)
	}
	if len(c.Proposal.TaxRates) != 1 || c.Proposal.TaxRates[0].TaxType != "OUTPUT2" {
		t.Errorf("proposed tax mapping = %+v, want VAT (20%%) → OUTPUT2", c.Proposal.TaxRates)
	}
	if len(c.Statuses) != 1 || len(c.Notes) == 0 {
		t.Errorf("statuses %v, notes %v", c.Statuses, c.Notes)
	}
	if len(c.ReturnActions) != 2 || !slices.Equal(c.UnsureReturnActions, []string{"Sent to the workshop"}) {
		t.Errorf("return actions %v, unsure %v; want both actions offered and the workshop one unsure", c.ReturnActions, c.UnsureReturnActions)
	}
	if got := c.Proposal.ReturnTreatment(opencart.Return{Action: "Sent to the workshop"}); got != mapping.TreatNone {
		t.Errorf("unsure action proposed as %q, want none", got)
	}
}
