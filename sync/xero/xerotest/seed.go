package xerotest

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Tenant is one Xero organisation the sandbox holds. Only ID and Name are
// needed; the rest default from CountryCode (GB when empty): a UK org gets
// the UK demo company's chart of accounts, tax rates and GBP/EUR/USD.
type Tenant struct {
	ID           string
	Name         string
	CountryCode  string // ISO 3166 alpha-2; GB, AU, NZ and US have seed data
	BaseCurrency string // default from CountryCode (GBP, AUD, NZD, USD)
	ShortCode    string // shown in deep links; default "!" + 5 letters of the ID
	// Accounts, TaxRates and Currencies replace the seeded ones when set.
	Accounts   []Account
	TaxRates   []TaxRate
	Currencies []Currency
}

// DefaultTenantID is the ID of the one organisation a sandbox has when
// Options.Tenants is empty.
const DefaultTenantID = "c3b2a1d0-5e4f-4a3b-9c8d-7e6f5a4b3c2d"

// DefaultTenants is what a sandbox holds when Options.Tenants is empty.
func DefaultTenants() []Tenant {
	return []Tenant{{ID: DefaultTenantID, Name: "Demo Company (UK)", CountryCode: "GB", BaseCurrency: "GBP"}}
}

// Organisation is the answer of GET /Organisation.
type Organisation struct {
	OrganisationID         string `json:"OrganisationID"`
	APIKey                 string `json:"APIKey"`
	Name                   string `json:"Name"`
	LegalName              string `json:"LegalName"`
	PaysTax                bool   `json:"PaysTax"`
	Version                string `json:"Version"`
	OrganisationType       string `json:"OrganisationType"`
	BaseCurrency           string `json:"BaseCurrency"`
	CountryCode            string `json:"CountryCode"`
	IsDemoCompany          bool   `json:"IsDemoCompany"`
	OrganisationStatus     string `json:"OrganisationStatus"`
	FinancialYearEndDay    int    `json:"FinancialYearEndDay"`
	FinancialYearEndMonth  int    `json:"FinancialYearEndMonth"`
	SalesTaxBasis          string `json:"SalesTaxBasis,omitempty"`
	SalesTaxPeriod         string `json:"SalesTaxPeriod,omitempty"`
	DefaultSalesTax        string `json:"DefaultSalesTax"`
	DefaultPurchasesTax    string `json:"DefaultPurchasesTax"`
	CreatedDateUTC         *Date  `json:"CreatedDateUTC"`
	OrganisationEntityType string `json:"OrganisationEntityType"`
	Timezone               string `json:"Timezone"`
	ShortCode              string `json:"ShortCode"`
	Edition                string `json:"Edition"`
	Class                  string `json:"Class"`
	PeriodLockDate         *Date  `json:"PeriodLockDate,omitempty"`
	EndOfYearLockDate      *Date  `json:"EndOfYearLockDate,omitempty"`
}

type countrySeed struct {
	currency, version, timezone string
	taxRates                    []TaxRate
	revenueTax                  string
}

// xrate is a tax rate with the account classes it may be used on, as
// letters of flags: A assets, E equity, X expenses, L liabilities, R
// revenue (Xero's "Tax Rate Constraints" table).
func xrate(name, taxType, report string, pct string, flags string) TaxRate {
	p := decimal.RequireFromString(pct)
	can := func(c string) bool { return strings.Contains(flags, c) }
	return TaxRate{
		Name: name, TaxType: taxType, ReportTaxType: report, Status: "ACTIVE",
		CanApplyToAssets: can("A"), CanApplyToEquity: can("E"), CanApplyToExpenses: can("X"),
		CanApplyToLiabilities: can("L"), CanApplyToRevenue: can("R"),
		DisplayTaxRate: amt(p), EffectiveRate: amt(p),
		TaxComponents: []TaxComponent{{Name: strings.SplitN(name, " ", 2)[0], Rate: amt(p)}},
	}
}

// seeds holds the default tax rates each region's organisations start
// with, by TaxType and name, with the account classes each may be used
// on, from Xero's Tax Rates documentation ("Tax Rate Constraints",
// https://developer.xero.com/documentation/api/accounting/taxrates;
// XERO.md §3.5), less the capital and domestic reverse-charge rates. The
// rates are those of today (UK 20%/5%, AU 10%, NZ 15%); a US organisation
// keeps its sales tax rates itself, so OUTPUT and INPUT hold 0% until one
// is set up (an assumption: the documentation lists no rate).
var seeds = map[string]countrySeed{
	"GB": {currency: "GBP", version: "UK", timezone: "GMTSTANDARDTIME", revenueTax: "OUTPUT2", taxRates: []TaxRate{
		xrate("20% (VAT on Income)", "OUTPUT2", "OUTPUT", "20", "AELR"),
		xrate("5% (VAT on Income)", "RROUTPUT", "OUTPUT", "5", "AELR"),
		xrate("Zero Rated Income", "ZERORATEDOUTPUT", "OUTPUT", "0", "AELR"),
		xrate("Exempt Income", "EXEMPTOUTPUT", "EXEMPTOUTPUT", "0", "AELR"),
		xrate("Zero Rated EC Goods Income", "ECZROUTPUT", "ECOUTPUT", "0", "AELR"),
		xrate("Zero Rated EC Services", "ECZROUTPUTSERVICES", "ECOUTPUTSERVICES", "0", "AELR"),
		xrate("20% (VAT on Expenses)", "INPUT2", "INPUT", "20", "AEXL"),
		xrate("5% (VAT on Expenses)", "RRINPUT", "INPUT", "5", "AEXL"),
		xrate("Zero Rated Expenses", "ZERORATEDINPUT", "INPUT", "0", "AEXL"),
		xrate("Exempt Expenses", "EXEMPTINPUT", "EXEMPTINPUT", "0", "AEXL"),
		xrate("VAT on Imports", "GSTONIMPORTS", "GSTONIMPORTS", "0", "L"),
		xrate("No VAT", "NONE", "NONE", "0", "AEXLR"),
	}},
	"AU": {currency: "AUD", version: "AU", timezone: "AUSEASTERNSTANDARDTIME", revenueTax: "OUTPUT", taxRates: []TaxRate{
		xrate("GST on Income", "OUTPUT", "OUTPUT", "10", "AELR"),
		xrate("GST Free Income", "EXEMPTOUTPUT", "EXEMPTOUTPUT", "0", "AELR"),
		xrate("GST Free Exports", "EXEMPTEXPORT", "EXEMPTEXPORT", "0", "AELR"),
		xrate("Input Taxed", "INPUTTAXED", "INPUTTAXED", "0", "AEXLR"),
		xrate("GST on Expenses", "INPUT", "INPUT", "10", "AEXL"),
		xrate("GST Free Expenses", "EXEMPTEXPENSES", "EXEMPTEXPENSES", "0", "AEXL"),
		xrate("GST on Imports", "GSTONIMPORTS", "GSTONIMPORTS", "0", "L"),
		xrate("BAS Excluded", "BASEXCLUDED", "BASEXCLUDED", "0", "AEXLR"),
	}},
	"NZ": {currency: "NZD", version: "NZ", timezone: "NEWZEALANDSTANDARDTIME", revenueTax: "OUTPUT2", taxRates: []TaxRate{
		xrate("15% GST on Income", "OUTPUT2", "OUTPUT", "15", "AELR"),
		xrate("Zero Rated", "ZERORATED", "ZERORATED", "0", "LR"),
		xrate("15% GST on Expenses", "INPUT2", "INPUT", "15", "AEXL"),
		xrate("GST on Imports", "GSTONIMPORTS", "GSTONIMPORTS", "0", "AEL"),
		xrate("No GST", "NONE", "NONE", "0", "AEXLR"),
	}},
	"US": {currency: "USD", version: "US", timezone: "EASTERNSTANDARDTIME", revenueTax: "OUTPUT", taxRates: []TaxRate{
		xrate("Tax on Sales", "OUTPUT", "", "0", "AEXLR"),
		xrate("Tax on Purchases", "INPUT", "", "0", "AEXLR"),
		xrate("Sales Tax on Imports", "GSTONIMPORTS", "", "0", "L"),
		xrate("Tax Exempt", "NONE", "", "0", "AEXLR"),
	}},
}

// knownCurrencies are the currencies PUT /Currencies can enable, with the
// sandbox's fixed exchange rate (units per 1 GBP) used when a document in a
// foreign currency gives no CurrencyRate (real Xero uses XE.com's day rate).
var knownCurrencies = map[string]struct {
	name   string
	perGBP string
}{
	"GBP": {"British Pound", "1"}, "EUR": {"Euro", "1.15"}, "USD": {"United States Dollar", "1.27"},
	"AUD": {"Australian Dollar", "1.95"}, "NZD": {"New Zealand Dollar", "2.15"}, "CAD": {"Canadian Dollar", "1.75"},
	"CHF": {"Swiss Franc", "1.12"}, "JPY": {"Japanese Yen", "190"}, "SEK": {"Swedish Krona", "13.5"},
	"DKK": {"Danish Krone", "8.6"}, "NOK": {"Norwegian Krone", "13.6"}, "PLN": {"Polish Zloty", "5.0"},
}

// defaultRate is the sandbox's day rate from base to code (units of code per base unit).
func defaultRate(base, code string) decimal.Decimal {
	b, okB := knownCurrencies[base]
	c, okC := knownCurrencies[code]
	if !okB || !okC {
		return decimal.NewFromInt(1)
	}
	return decimal.RequireFromString(c.perGBP).Div(decimal.RequireFromString(b.perGBP)).Round(6)
}

// stableID derives a fixed UUID-shaped ID from a tenant and a name, so seeded
// accounts keep their IDs across restarts.
func stableID(tenantID, name string) string {
	h := uint64(14695981039346656037)
	for _, b := range []byte(tenantID + "/" + name) {
		h ^= uint64(b)
		h *= 1099511628211
	}
	g := h*6364136223846793005 + 1442695040888963407
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(h>>32), uint16(h>>16), uint16(h)&0xfff, uint16(g>>48)&0xfff, g&0xffffffffffff)
}

// seedOrg builds a new organisation's reference data.
func seedOrg(t Tenant, now time.Time) *OrgData {
	sd, ok := seeds[t.CountryCode]
	if !ok {
		sd = seeds["GB"]
	}
	acct := func(code, name, typ, class, tax, system string, pay bool) Account {
		return Account{AccountID: stableID(t.ID, "account/"+code), Code: code, Name: name, Type: typ, Class: class,
			Status: "ACTIVE", TaxType: tax, SystemAccount: system, EnablePaymentsToAccount: pay, UpdatedDateUTC: dateOf(now)}
	}
	none := "NONE"
	if _, ok := findTaxRate(sd.taxRates, "NONE"); !ok {
		none = sd.taxRates[len(sd.taxRates)-1].TaxType
	}
	d := &OrgData{
		TenantID: t.ID, TenantName: t.Name,
		Contacts: []Contact{}, Invoices: []Invoice{}, CreditNotes: []CreditNote{}, Payments: []Payment{},
		Accounts: []Account{
			acct("090", "Business Bank Account", "BANK", "ASSET", none, "", false),
			acct("091", "Business Savings Account", "BANK", "ASSET", none, "", false),
			acct("200", "Sales", "REVENUE", "REVENUE", sd.revenueTax, "", false),
			acct("260", "Other Revenue", "REVENUE", "REVENUE", sd.revenueTax, "", false),
			acct("270", "Interest Income", "REVENUE", "REVENUE", none, "", false),
			acct("310", "Cost of Goods Sold", "DIRECTCOSTS", "EXPENSE", none, "", false),
			acct("404", "Bank Fees", "OVERHEADS", "EXPENSE", none, "", false),
			acct("429", "General Expenses", "OVERHEADS", "EXPENSE", none, "", false),
			acct("610", "Accounts Receivable", "CURRENT", "ASSET", none, "DEBTORS", false),
			acct("615", "Undeposited Funds", "CURRENT", "ASSET", none, "", true),
			acct("800", "Accounts Payable", "CURRLIAB", "LIABILITY", none, "CREDITORS", false),
			// What customers may still spend: store credit is paid out to it.
			acct("815", "Customer Store Credit", "CURRLIAB", "LIABILITY", none, "", true),
			acct("820", "VAT", "CURRLIAB", "LIABILITY", none, "GST", false),
			acct("860", "Rounding", "CURRLIAB", "LIABILITY", none, "ROUNDING", false),
			acct("960", "Retained Earnings", "EQUITY", "EQUITY", none, "RETAINEDEARNINGS", false),
		},
		TaxRates:       append([]TaxRate(nil), sd.taxRates...),
		BrandingThemes: []BrandingTheme{{BrandingThemeID: stableID(t.ID, "theme/standard"), Name: "Standard", Type: "INVOICE", SortOrder: 0, CreatedDateUTC: dateOf(now)}},
		History:        map[string][]HistoryRecord{},
	}
	d.Accounts[0].BankAccountNumber, d.Accounts[0].BankAccountType = "12345678", "BANK"
	d.Accounts[1].BankAccountNumber, d.Accounts[1].BankAccountType = "87654321", "BANK"
	for _, code := range []string{t.BaseCurrency, "EUR", "USD"} {
		if !containsCurrency(d.Currencies, code) {
			d.Currencies = append(d.Currencies, Currency{Code: code, Description: knownCurrencies[code].name})
		}
	}
	if t.Accounts != nil {
		d.Accounts = append([]Account(nil), t.Accounts...)
	}
	if t.TaxRates != nil {
		d.TaxRates = append([]TaxRate(nil), t.TaxRates...)
	}
	if t.Currencies != nil {
		d.Currencies = append([]Currency(nil), t.Currencies...)
	}
	return d
}

// normaliseTenant fills a tenant's defaults.
func normaliseTenant(t Tenant) (Tenant, error) {
	if t.ID == "" || t.Name == "" {
		return t, fmt.Errorf("xerotest: tenant needs an ID and a Name")
	}
	if t.CountryCode == "" {
		t.CountryCode = "GB"
	}
	if t.BaseCurrency == "" {
		sd, ok := seeds[t.CountryCode]
		if !ok {
			return t, fmt.Errorf("xerotest: tenant %s: no seed data for country %q; set BaseCurrency, Accounts and TaxRates", t.ID, t.CountryCode)
		}
		t.BaseCurrency = sd.currency
	}
	if t.ShortCode == "" {
		t.ShortCode = "!" + strings.ToUpper(strings.ReplaceAll(t.ID, "-", "")[:5])
	}
	return t, nil
}

func organisationOf(t Tenant, created time.Time) Organisation {
	sd, ok := seeds[t.CountryCode]
	if !ok {
		sd = seeds["GB"]
	}
	return Organisation{
		OrganisationID: t.ID, APIKey: "", Name: t.Name, LegalName: t.Name, PaysTax: true, Version: sd.version,
		OrganisationType: "COMPANY", BaseCurrency: t.BaseCurrency, CountryCode: t.CountryCode, IsDemoCompany: false,
		OrganisationStatus: "ACTIVE", FinancialYearEndDay: 31, FinancialYearEndMonth: 3, SalesTaxBasis: "ACCRUALS",
		SalesTaxPeriod: "QUARTERLY1", DefaultSalesTax: "Tax Exclusive", DefaultPurchasesTax: "Tax Exclusive",
		CreatedDateUTC: dateOf(created), OrganisationEntityType: "COMPANY", Timezone: sd.timezone,
		ShortCode: t.ShortCode, Edition: "BUSINESS", Class: "STANDARD",
	}
}

func findTaxRate(rates []TaxRate, taxType string) (TaxRate, bool) {
	for _, r := range rates {
		if strings.EqualFold(r.TaxType, taxType) {
			return r, true
		}
	}
	return TaxRate{}, false
}

func containsCurrency(cs []Currency, code string) bool {
	for _, c := range cs {
		if strings.EqualFold(c.Code, code) {
			return true
		}
	}
	return false
}
