package mapping

import (
	"strings"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// ukPlaces is a UK shop's tax geography: VAT 20% (class 9) in the UK
// zone, class 1001 with no rate (books), class 1002 named exempt.
func ukPlaces() *opencart.TaxPlaces {
	return &opencart.TaxPlaces{CountryID: 222, ZoneID: 3563, CountryCode: "GB",
		Classes: []opencart.TaxClass{{ID: 9, Title: "Taxable Goods", Rules: []opencart.TaxRule{{TaxRateID: 86, Based: "shipping"}}},
			{ID: 1001, Title: "Books"}, {ID: 1002, Title: "VAT Exempt Services"}},
		Rates:     []opencart.TaxRate{{ID: 86, GeoZoneID: 3, Name: "VAT (20%)", Rate: dec("20"), Type: "P"}},
		Places:    []opencart.GeoZonePlace{{GeoZoneID: 3, CountryID: 222}},
		Countries: map[int]string{222: "GB", 81: "DE", 223: "US"},
	}
}

// untaxedOrder is one untaxed product of a tax class, with untaxed
// shipping, sent to a country.
func untaxedOrder(classID, countryID int, code, vatNumber string) opencart.Order {
	addr := opencart.OrderAddress{FirstName: "A", LastName: "B", CountryID: countryID, CountryCode: code}
	return opencart.Order{ID: 9, StatusID: 5, CurrencyCode: "GBP", CurrencyValue: dec("1"), CurrencyDecimalPlaces: 2, TaxNumber: vatNumber,
		Payment: addr, Shipping: addr, Email: "a@example.com", DateAdded: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC),
		Products: []opencart.OrderProduct{{ProductID: 1, Name: "Item", Quantity: 1, Price: dec("10"), Total: dec("10"), TaxClassID: classID}},
		Totals: []opencart.OrderTotal{{Code: "sub_total", Value: dec("10")}, {Code: "shipping", Title: "Post", Value: dec("5")},
			{Code: "total", Value: dec("15")}}, Total: dec("15")}
}

func TestUntaxedSalesByVATClass(t *testing.T) {
	classes := TaxClasses{ZeroRated: "ZERORATEDOUTPUT", Exempt: "EXEMPTOUTPUT", Export: "EXPORTTYPE", ReverseCharge: "ECZROUTPUT",
		ByTaxClass: map[int]VATClass{1002: VATExempt}}
	for _, tc := range []struct {
		name      string
		classes   TaxClasses
		places    bool
		order     opencart.Order
		want      string // product, shipping
		wantTotal string
	}{
		{"no classes chosen: the no-tax type, as before", TaxClasses{}, true, untaxedOrder(1001, 222, "GB", ""), "NONE NONE", "15.00"},
		{"book in a class without rates: zero-rated", classes, true, untaxedOrder(1001, 222, "GB", ""), "ZERORATEDOUTPUT ZERORATEDOUTPUT", "15.00"},
		{"product without a tax class: zero-rated", classes, true, untaxedOrder(0, 222, "GB", ""), "ZERORATEDOUTPUT ZERORATEDOUTPUT", "15.00"},
		{"class marked exempt", classes, true, untaxedOrder(1002, 222, "GB", ""), "EXEMPTOUTPUT EXEMPTOUTPUT", "15.00"},
		{"outside every geo zone: export", classes, true, untaxedOrder(9, 223, "US", ""), "EXPORTTYPE EXPORTTYPE", "15.00"},
		{"exempt class exported: export wins", classes, true, untaxedOrder(1002, 223, "US", ""), "EXPORTTYPE EXPORTTYPE", "15.00"},
		{"EU business with a VAT number: reverse charge", classes, true, untaxedOrder(9, 81, "DE", "DE123456789"), "ECZROUTPUT ECZROUTPUT", "15.00"},
		{"VAT number outside the EU: export", classes, true, untaxedOrder(9, 223, "US", "123"), "EXPORTTYPE EXPORTTYPE", "15.00"},
		{"no reverse-charge type: as an export", TaxClasses{ZeroRated: "Z", Export: "X"}, true, untaxedOrder(9, 81, "DE", "DE1"), "X X", "15.00"},
		{"geography unknown: by tax class only", classes, false, untaxedOrder(9, 223, "US", ""), "ZERORATEDOUTPUT ZERORATEDOUTPUT", "15.00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := testOptions()
			opt.TaxClasses = tc.classes
			if tc.places {
				opt.Places = ukPlaces()
			}
			inv, ps := Invoice(tc.order, opt, testBooks)
			if HasErrors(ps) {
				t.Fatalf("problems %v", ps)
			}
			var got []string
			for _, li := range inv.LineItems {
				got = append(got, li.TaxType)
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("tax types %v, want %s", got, tc.want)
			}
			if XeroTotal(inv.LineItems).StringFixed(2) != tc.wantTotal {
				t.Errorf("total %s, want %s", XeroTotal(inv.LineItems).StringFixed(2), tc.wantTotal)
			}
		})
	}
}

// TestSameNamedRates: two rates share a name; the order's amounts decide
// which each tax row is, and only amounts that fit both (or neither) stop
// the invoice, naming the rates and why.
func TestSameNamedRates(t *testing.T) {
	base := func(tax string, rows ...string) opencart.Order {
		o := untaxedOrder(9, 222, "GB", "")
		o.Products[0].Tax = dec(tax)
		o.Totals = []opencart.OrderTotal{{Code: "sub_total", Value: dec("10")}}
		total := dec("10")
		for _, r := range rows {
			o.Totals = append(o.Totals, opencart.OrderTotal{Code: "tax", Title: "VAT", Value: dec(r)})
			total = total.Add(dec(r))
		}
		o.Totals = append(o.Totals, opencart.OrderTotal{Code: "total", Value: total})
		o.Total = total
		return o
	}
	percent := []TaxMap{{Title: "VAT", Rate: dec("20"), Type: "P", TaxType: "OUTPUT2"}, {Title: "VAT", Rate: dec("5"), Type: "P", TaxType: "RROUTPUT"}}
	for _, tc := range []struct {
		name  string
		maps  []TaxMap
		order opencart.Order
		want  string // the product's tax type, or the error's words
	}{
		{"standard rate decided", percent, base("2", "2"), "OUTPUT2"},
		{"reduced rate decided", percent, base("0.5", "0.5"), "RROUTPUT"},
		{"fits neither", percent, base("1", "1"), `fit none of them (read as VAT (20%, OUTPUT2)`},
		{"a fixed 2.00 and 20% of 10.00 fit alike", []TaxMap{percent[0], {Title: "VAT", Rate: dec("2"), Type: "F", TaxType: "NONE"}},
			base("2", "2"), "VAT (20%, OUTPUT2) and VAT (2.00 fixed, NONE) alike"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := testOptions()
			opt.TaxRates = tc.maps
			inv, ps := Invoice(tc.order, opt, testBooks)
			if strings.HasPrefix(tc.want, "OUTPUT2") || strings.HasPrefix(tc.want, "RROUTPUT") {
				if HasErrors(ps) || inv.LineItems[0].TaxType != tc.want {
					t.Fatalf("line %+v problems %v, want %s", inv.LineItems[0], ps, tc.want)
				}
				if XeroTotal(inv.LineItems).Sub(DisplayedTotal(tc.order)).IsZero() == false {
					t.Errorf("total %s, OpenCart %s", XeroTotal(inv.LineItems), DisplayedTotal(tc.order))
				}
				return
			}
			msg := joinProblems(ps)
			if !HasErrors(ps) || !strings.Contains(msg, `several tax rates are called "VAT"`) || !strings.Contains(msg, tc.want) {
				t.Errorf("problems:\n%s\nwant an error saying %q", msg, tc.want)
			}
			if n := strings.Count(msg, "several tax rates"); n != 1 {
				t.Errorf("said %d times:\n%s", n, msg)
			}
		})
	}
}
