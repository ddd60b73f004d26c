package export_test

import (
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// TestVATNumberFromCustomFieldMakesReverseCharge: the whole way through an
// export, a German business's "VAT Number" custom field (read by the shop
// reader) puts the number on its Xero contact and makes its untaxed sale
// the reverse-charge type chosen; the same sale without the field is an
// export. Nothing is fed to the mapping by hand.
func TestVATNumberFromCustomFieldMakesReverseCharge(t *testing.T) {
	for _, family := range octest.TaxFamilies {
		t.Run(string(family), func(t *testing.T) {
			e := vatShop(t, family, xerotest.Options{TimeScale: 0.001})
			vat := e.shop.AddCustomField(octest.CustomField{Name: "VAT Number"})
			bavaria := vatAddress("Dieter", "Germany", octest.CountryGermany, octest.ZoneBavaria)
			bavaria.Company = "Bayern Handel GmbH"
			lines := []octest.Product{line(productMug, "Mug", 2, "30.0000", "0.0000")}
			rows := []octest.Total{octest.TotalRow("sub_total", "Sub-Total", "60.0000", 1),
				octest.TotalRow("shipping", "Flat Shipping Rate", "5.0000", 3), octest.TotalRow("total", "Total", "65.0000", 9)}
			b2b := vatSale(2201, bavaria, bavaria, lines, rows...)
			b2b.CustomFields = map[string]any{vat: "DE811907980"}
			consumer := vatSale(2202, bavaria, bavaria, lines, rows...)
			consumer.FirstName, consumer.Email = "Dora", "dora@example.com"
			e.shop.AddOrders(b2b, consumer)
			s := e.settings(mapping.StatusAuthorised)
			s.TaxClasses.ReverseCharge = "ECZROUTPUT"
			if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
				t.Fatalf("run: %+v", sum)
			}
			want := map[string]string{"OC-2201": "ECZROUTPUT", "OC-2202": "ZERORATEDOUTPUT"}
			for _, inv := range e.sandbox.Invoices(tenant) {
				w, ok := want[inv.InvoiceNumber]
				if !ok {
					continue
				}
				delete(want, inv.InvoiceNumber)
				for _, got := range sentTypes(inv) {
					if !strings.HasSuffix(got, "="+w) {
						t.Errorf("%s: line %s, want every line %s", inv.InvoiceNumber, got, w)
					}
				}
				if inv.Total.StringFixed(2) != "65.00" {
					t.Errorf("%s: total %s, OpenCart shows 65.00", inv.InvoiceNumber, inv.Total.StringFixed(2))
				}
			}
			if len(want) != 0 {
				t.Fatalf("invoices not in Xero: %v", want)
			}
			var numbers []string
			for _, c := range e.sandbox.Contacts(tenant) {
				if c.TaxNumber != "" {
					numbers = append(numbers, c.Name+": "+c.TaxNumber)
				}
			}
			if len(numbers) != 1 || !strings.HasSuffix(numbers[0], ": DE811907980") {
				t.Errorf("contacts with a tax number: %q, want the business's alone with DE811907980", numbers)
			}
		})
	}
}
