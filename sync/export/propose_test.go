package export_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

func TestProposeTreatment(t *testing.T) {
	tests := []struct {
		action string
		want   mapping.Treatment
		sure   bool
	}{
		{"Credit Issued", mapping.TreatStoreCredit, true},
		{"store credit", mapping.TreatStoreCredit, true},
		{"Voucher sent", mapping.TreatStoreCredit, true},
		{"Refunded", mapping.TreatCash, true},
		{"REFUND", mapping.TreatCash, true},
		{"Money back", mapping.TreatCash, true},
		{"Replacement Sent", mapping.TreatNone, true},
		{"Repaired", mapping.TreatNone, true},
		{"Exchange", mapping.TreatNone, true},
		{"Waiting for return", mapping.TreatNone, true},
		// Names that say nothing, or two things, give no money and are unsure.
		{"Sent to the workshop", mapping.TreatNone, false},
		{"", mapping.TreatNone, false},
		{"Refund as store credit", mapping.TreatNone, false},
		{"Credit card refund", mapping.TreatNone, false},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			got, sure := export.ProposeTreatment(tt.action)
			if got != tt.want || sure != tt.sure {
				t.Errorf("ProposeTreatment(%q) = %q, %v; want %q, %v", tt.action, got, sure, tt.want, tt.sure)
			}
		})
	}
}

func TestProposeReturnActions(t *testing.T) {
	actions := []opencart.ReturnAction{{ID: 1, Name: "Waiting for return"}, {ID: 2, Name: "Credit Issued"},
		{ID: 3, Name: "Replacement Sent"}, {ID: 4, Name: "Refunded"}, {ID: 5, Name: "Gutschrift"}, {ID: 6, Name: " "}}
	tests := []struct {
		name       string
		saved      []mapping.ReturnRule
		want       []mapping.ReturnRule
		unsure     []string
		notes      []string // substrings of the notes, in order
		notInNotes string
	}{
		{
			name: "nothing chosen: every action from its name",
			want: []mapping.ReturnRule{{Action: "Waiting for return", Treatment: mapping.TreatNone}, {Action: "Credit Issued", Treatment: mapping.TreatStoreCredit},
				{Action: "Replacement Sent", Treatment: mapping.TreatNone}, {Action: "Refunded", Treatment: mapping.TreatCash},
				{Action: "Gutschrift", Treatment: mapping.TreatNone}},
			unsure: []string{"Gutschrift"},
			notes: []string{`return action "Waiting for return": no money — replacement`, `return action "Credit Issued": store credit`,
				`return action "Refunded": cash refund`, `return action "Gutschrift": its name does not say what it does with money, so it is proposed as no money`},
		},
		{
			name:  "choices made are kept, whatever the name says",
			saved: []mapping.ReturnRule{{Action: "credit issued", Treatment: mapping.TreatCash}, {Action: "Gutschrift", Treatment: mapping.TreatStoreCredit}},
			want: []mapping.ReturnRule{{Action: "credit issued", Treatment: mapping.TreatCash}, {Action: "Gutschrift", Treatment: mapping.TreatStoreCredit},
				{Action: "Waiting for return", Treatment: mapping.TreatNone}, {Action: "Replacement Sent", Treatment: mapping.TreatNone},
				{Action: "Refunded", Treatment: mapping.TreatCash}},
			notInNotes: "Gutschrift",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := export.DefaultSettings()
			s.ReturnActions = slices.Clone(tt.saved)
			p := export.ProposeFrom("", chartOfAccounts, nil, nil, actions, s)
			if !slices.Equal(p.Settings.ReturnActions, tt.want) {
				t.Errorf("rules = %v\nwant    %v", p.Settings.ReturnActions, tt.want)
			}
			if !slices.Equal(p.UnsureReturnActions, tt.unsure) {
				t.Errorf("unsure = %v, want %v", p.UnsureReturnActions, tt.unsure)
			}
			all := strings.Join(p.Notes, "\n")
			at := 0
			for _, n := range tt.notes {
				i := strings.Index(all[at:], n)
				if i < 0 {
					t.Fatalf("notes lack %q (in order):\n%s", n, all)
				}
				at += i + len(n)
			}
			if tt.notInNotes != "" && strings.Contains(all, tt.notInNotes) {
				t.Errorf("notes mention the kept choice %q:\n%s", tt.notInNotes, all)
			}
			if err := p.Settings.Validate(); err != nil && strings.Contains(err.Error(), "return action") {
				t.Errorf("proposed rules do not validate: %v", err)
			}
		})
	}
}

func TestProposeStoreCreditAccount(t *testing.T) {
	sales := xero.Account{Code: "200", Name: "Sales", Type: "REVENUE", Status: "ACTIVE"}
	payable := xero.Account{Code: "815", Name: "Customer Store Credit", Type: "CURRLIAB", Status: "ACTIVE", EnablePaymentsToAccount: true}
	tests := []struct {
		name     string
		chart    []xero.Account
		rules    []mapping.ReturnRule // nil: the defaults (Credit Issued is store credit)
		saved    string
		want     string
		note     string // substring of a note; "" = no store-credit note beyond the pick
		wantNote bool
	}{
		{"a liability for store credit that accepts payments", []xero.Account{sales, payable}, nil, "", "815", "store credit and vouchers used: account 815", true},
		{"vouchers and gift cards count too", []xero.Account{sales,
			{Code: "812", Name: "Gift Vouchers Outstanding", Type: "CURRLIAB", Status: "ACTIVE", EnablePaymentsToAccount: true}}, nil, "", "812", "account 812", true},
		{"the one that accepts payments first", []xero.Account{sales,
			{Code: "810", Name: "Income in Advance", Type: "CURRLIAB", Status: "ACTIVE"}, payable}, nil, "", "815", "account 815", true},
		{"one that does not accept payments yet, with a note", []xero.Account{sales,
			{Code: "810", Name: "Income in Advance", Type: "CURRLIAB", Status: "ACTIVE"}}, nil, "", "810", `tick "Enable payments to this account"`, true},
		{"never an archived one", []xero.Account{sales,
			{Code: "815", Name: "Customer Store Credit", Type: "CURRLIAB", Status: "ARCHIVED", EnablePaymentsToAccount: true}}, nil, "", "200", "no liability account for it in Xero", true},
		{"never a clearing asset or another liability", []xero.Account{sales,
			{Code: "615", Name: "Undeposited Funds", Type: "CURRENT", Status: "ACTIVE", EnablePaymentsToAccount: true},
			{Code: "811", Name: "Credit Card Control Account", Type: "CURRLIAB", Status: "ACTIVE", EnablePaymentsToAccount: true}}, nil, "", "200", "no liability account for it in Xero", true},
		{"no store credit given: sales, as before, without a note", []xero.Account{sales},
			[]mapping.ReturnRule{{Action: "Credit Issued", Treatment: mapping.TreatCash}}, "", "200", "no liability account", false},
		{"a saved choice is kept", []xero.Account{sales, payable}, nil, "200", "200", "store credit", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := export.DefaultSettings()
			if tt.rules != nil {
				s.ReturnActions = tt.rules
			}
			s.Accounts.StoreCredit = tt.saved
			p := export.ProposeFrom("", tt.chart, nil, nil, nil, s)
			if got := p.Settings.Accounts.StoreCredit; got != tt.want {
				t.Errorf("store credit account = %q, want %q (notes %v)", got, tt.want, p.Notes)
			}
			if got := strings.Contains(strings.Join(p.Notes, "\n"), tt.note); got != tt.wantNote {
				t.Errorf("notes contain %q: %v, want %v\n%s", tt.note, got, tt.wantNote, strings.Join(p.Notes, "\n"))
			}
		})
	}
}

func TestCheckStoreCredit(t *testing.T) {
	chart := []xero.Account{
		{Code: "090", Name: "Business Bank Account", Type: "BANK", Status: "ACTIVE"},
		{Code: "200", Name: "Sales", Type: "REVENUE", Status: "ACTIVE"},
		{Code: "815", Name: "Customer Store Credit", Type: "CURRLIAB", Status: "ACTIVE", EnablePaymentsToAccount: true},
	}
	storeCredit := []mapping.ReturnRule{{Action: "Credit Issued", Treatment: mapping.TreatStoreCredit}, {Action: "Refunded", Treatment: mapping.TreatCash}}
	cashOnly := []mapping.ReturnRule{{Action: "Credit Issued", Treatment: mapping.TreatCash}}
	tests := []struct {
		name    string
		status  string
		rules   []mapping.ReturnRule
		account string
		wantErr string // "" = fits
	}{
		{"an account that accepts payments", mapping.StatusAuthorised, storeCredit, "815", ""},
		{"sales cannot take the payout", mapping.StatusAuthorised, storeCredit,
			"200", `account 200 (Sales) is the store credit account but does not accept payments, and return actions "Credit Issued" give store credit`},
		{"nor a bank account: money would leave", mapping.StatusAuthorised, storeCredit, "090", "account 090 (Business Bank Account)"},
		{"no action gives store credit", mapping.StatusAuthorised, cashOnly, "200", ""},
		{"drafts get no payments", mapping.StatusDraft, storeCredit, "200", ""},
		{"an account Xero lacks is checked elsewhere", mapping.StatusAuthorised, storeCredit, "999", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := mapping.DefaultOptions()
			o.InvoiceStatus, o.ReturnActions, o.Accounts.StoreCredit = tt.status, tt.rules, tt.account
			err := export.CheckStoreCredit(o, chart)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("CheckStoreCredit = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// TestProposeFromTheSandbox proposes from a fresh 4.1 shop and the
// sandbox's demo chart: each return action gets a treatment and store
// credit goes to the liability that accepts payments. With sales as the
// store credit account instead, an approved export stops before sending
// anything and says why.
func TestProposeFromTheSandbox(t *testing.T) {
	e := newEnv(t, opencart.Family41)
	e.shop.SeedEdgeCases()
	s, notes, err := export.Propose(context.Background(), e.store, e.client, export.DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	if s.Accounts.StoreCredit != "815" {
		t.Errorf("store credit account = %q, want 815 (notes %v)", s.Accounts.StoreCredit, notes)
	}
	for action, want := range map[string]mapping.Treatment{"Waiting for return": mapping.TreatNone, "Credit Issued": mapping.TreatStoreCredit,
		"Replacement Sent": mapping.TreatNone, "Refunded": mapping.TreatCash} {
		if got := s.ReturnTreatment(opencart.Return{Action: action}); got != want {
			t.Errorf("%q proposed as %q, want %q", action, got, want)
		}
	}

	s.InvoiceStatus = mapping.StatusAuthorised
	s.Accounts.StoreCredit = s.Accounts.Sales
	eng, err := export.New(export.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s, Progress: e.events})
	if err != nil {
		t.Fatal(err)
	}
	e.sandbox.ResetCounters()
	_, err = eng.Run(context.Background(), export.Request{Scope: export.ScopeAll})
	if err == nil || !strings.Contains(err.Error(), "is the store credit account but does not accept payments") {
		t.Fatalf("run with sales as the store credit account: %v, want the store credit account refused", err)
	}
	if e.writes() != 0 {
		t.Errorf("%d writes to Xero before the settings were refused", e.writes())
	}
}

// TestVATClassesFollowTheOrganisationsCountry: the VAT classes of untaxed
// sales are proposed from the tax types of the organisation's country
// (Organisation.CountryCode), not guessed from the tax rates it holds: an
// organisation whose rates include another region's types (added by hand,
// or a sandbox holding every region's) still gets its own country's.
func TestVATClassesFollowTheOrganisationsCountry(t *testing.T) {
	var rates []xero.TaxRate
	for _, tt := range []string{"ZERORATEDOUTPUT", "EXEMPTOUTPUT", "ECZROUTPUT", "OUTPUT2", "EXEMPTEXPORT", "INPUTTAXED", "ZERORATED", "NONE"} {
		rates = append(rates, xero.TaxRate{Name: tt, TaxType: tt, Status: xero.StatusActive, CanApplyToRevenue: true})
	}
	for _, c := range []struct {
		country                  string
		zeroRated, exempt, sales string
	}{
		{"GB", "ZERORATEDOUTPUT", "EXEMPTOUTPUT", "ZERORATEDOUTPUT"},
		{"AU", "EXEMPTOUTPUT", "INPUTTAXED", "EXEMPTEXPORT"},
		{"NZ", "ZERORATED", "NONE", "ZERORATED"},
		{"US", "NONE", "NONE", "NONE"},
	} {
		t.Run(c.country, func(t *testing.T) {
			p := export.ProposeFrom(c.country, chartOfAccounts, rates, nil, nil, export.Settings{})
			tc := p.Settings.TaxClasses
			if got := [3]string{tc.TypeOf(mapping.VATZeroRated), tc.TypeOf(mapping.VATExempt), tc.TypeOf(mapping.VATExport)}; got != [3]string{c.zeroRated, c.exempt, c.sales} {
				t.Errorf("zero-rated, exempt, export: %q, want %q %q %q (notes %q)", got, c.zeroRated, c.exempt, c.sales, p.Notes)
			}
			choices := export.NewChoices(c.country, chartOfAccounts, rates, nil, nil, nil, nil, export.Settings{})
			if got := choices.Proposal.TaxClasses.TypeOf(mapping.VATExport); got != c.sales {
				t.Errorf("NewChoices proposes export sales %q, want %q", got, c.sales)
			}
		})
	}
}
