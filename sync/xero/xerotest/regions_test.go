package xerotest_test

import (
	"net/http"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// TestRegionTaxTypes: each region's organisation holds its own default
// tax rates (Xero's "Tax Rate Constraints" table) and refuses, with
// Xero's words, a tax type of another region or one its account class may
// not carry; the untaxed-sale types of each region are accepted on sales.
func TestRegionTaxTypes(t *testing.T) {
	tenants := []xerotest.Tenant{
		{ID: xerotest.DefaultTenantID, Name: "Demo Company (UK)"},
		{ID: "a0000000-0000-4000-8000-0000000000a1", Name: "Demo Company (AU)", CountryCode: "AU"},
		{ID: "a0000000-0000-4000-8000-0000000000a2", Name: "Demo Company (NZ)", CountryCode: "NZ"},
		{ID: "a0000000-0000-4000-8000-0000000000a3", Name: "Demo Company (US)", CountryCode: "US"},
	}
	_, c := start(t, xerotest.Options{Tenants: tenants})
	accept := map[string][]string{
		tenants[0].ID: {"OUTPUT2", "RROUTPUT", "ZERORATEDOUTPUT", "EXEMPTOUTPUT", "ECZROUTPUT", "ECZROUTPUTSERVICES", "NONE"},
		tenants[1].ID: {"OUTPUT", "EXEMPTOUTPUT", "EXEMPTEXPORT", "INPUTTAXED", "BASEXCLUDED"},
		tenants[2].ID: {"OUTPUT2", "ZERORATED", "NONE"},
		tenants[3].ID: {"OUTPUT", "NONE"},
	}
	n := 0
	for _, ten := range tenants {
		c.tenant = ten.ID
		for _, tt := range accept[ten.ID] {
			n++
			inv := c.putInvoice(invoice("OC-R"+string(rune('A'+n)), line("Book", "1", "10", tt)))
			if inv.StatusAttributeString != "OK" {
				t.Errorf("%s: %s refused: %q", ten.Name, tt, errorsOf(inv.ValidationErrors))
			}
		}
	}
	for _, tc := range []struct {
		name, tenant, taxType, account, want string
	}{
		{"UK type in an AU organisation", tenants[1].ID, "ZERORATEDOUTPUT", "200",
			"The TaxType code ZERORATEDOUTPUT does not exist or cannot be used for this type of transaction."},
		{"AU export type in a UK organisation", tenants[0].ID, "EXEMPTEXPORT", "200",
			"The TaxType code EXEMPTEXPORT does not exist or cannot be used for this type of transaction."},
		{"NZ zero rate in a US organisation", tenants[3].ID, "ZERORATED", "200",
			"The TaxType code ZERORATED does not exist or cannot be used for this type of transaction."},
		{"UK EC goods type in an NZ organisation", tenants[2].ID, "ECZROUTPUT", "200",
			"The TaxType code ECZROUTPUT does not exist or cannot be used for this type of transaction."},
		{"NZ zero rate on an asset account", tenants[2].ID, "ZERORATED", "090",
			"The TaxType code 'ZERORATED' cannot be used with account code '090'."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.tenant = tc.tenant
			n++
			l := line("Book", "1", "10", tc.taxType)
			l["AccountCode"] = tc.account
			r := c.call("PUT", "/Invoices?summarizeErrors=false", J{"Invoices": []J{invoice("OC-W"+string(rune('A'+n)), l)}}).must(t, http.StatusOK)
			wantErrors(t, r.Env.Invoices[0].ValidationErrors, tc.want)
		})
	}
}
