package opencart_test

import (
	"context"
	"slices"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

// TestTaxPlaces reads a UK shop's tax geography from OpenCart's own table
// shapes (3.0 with dates on every tax table, 4.1 without): the shop's
// country, each rate's countries and whether its geo zone is domestic (a
// France One-Stop-Shop zone is not), the geo zones' places, and an order
// line's tax class from the product table (0 when the product is gone).
func TestTaxPlaces(t *testing.T) {
	for _, family := range octest.TaxFamilies {
		t.Run(string(family), func(t *testing.T) {
			ctx := context.Background()
			db := octest.NewDB(t, family, "oc_")
			db.AddGeoZone(5, "France (OSS)", octest.GeoPlace{CountryID: octest.CountryFrance})
			db.AddTaxRate(90, 5, "TVA FR (20%)", "20.0000", "P")
			db.AddTaxClass(1001, "Zero Rated Books")
			db.AddCatalogProduct(501, "BOOK-1", 1001)
			db.AddOrder(octest.Order{ID: 7, StatusID: 5, FirstName: "A", LastName: "B", Email: "a@example.com",
				Products: []octest.Product{{ProductID: 501, Name: "Book", Quantity: 1, Price: "10.0000"},
					{ProductID: 999, Name: "Gone", Quantity: 1, Price: "1.0000"}},
				Totals: []octest.Total{octest.TotalRow("sub_total", "Sub-Total", "11.0000", 1), octest.TotalRow("total", "Total", "11.0000", 9)}})
			r, err := opencart.Open(ctx, db.DSN, "oc_")
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			tp, err := r.TaxPlaces(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if tp.CountryID != octest.CountryUK || tp.ZoneID != octest.ZoneLondon || tp.CountryCode != "GB" {
				t.Errorf("shop place %d/%d %q", tp.CountryID, tp.ZoneID, tp.CountryCode)
			}
			rates := map[string]opencart.TaxRate{}
			for _, rt := range tp.Rates {
				rates[rt.Name] = rt
			}
			if vat := rates["VAT (20%)"]; !vat.Domestic || !slices.Equal(vat.Countries, []string{"GB"}) {
				t.Errorf("VAT (20%%): domestic %v countries %v", vat.Domestic, vat.Countries)
			}
			if fr := rates["TVA FR (20%)"]; fr.Domestic || !slices.Equal(fr.Countries, []string{"FR"}) || fr.GeoZone != "France (OSS)" {
				t.Errorf("TVA FR: domestic %v countries %v zone %q", fr.Domestic, fr.Countries, fr.GeoZone)
			}
			if !slices.Contains(tp.Places, opencart.GeoZonePlace{GeoZoneID: 5, CountryID: octest.CountryFrance}) ||
				!slices.Contains(tp.Places, opencart.GeoZonePlace{GeoZoneID: octest.GeoZoneUKVAT, CountryID: octest.CountryUK}) {
				t.Errorf("places %v", tp.Places)
			}
			o, err := r.Order(ctx, 7)
			if err != nil {
				t.Fatal(err)
			}
			if o.Products[0].TaxClassID != 1001 || o.Products[1].TaxClassID != 0 {
				t.Errorf("tax classes %d, %d; want 1001 and 0 for a product that is gone", o.Products[0].TaxClassID, o.Products[1].TaxClassID)
			}
		})
	}
}
