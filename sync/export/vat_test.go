package export_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// The VAT set-up of a UK shop beyond the default install (branch vat):
// books in a tax class without rates, services in a class named exempt,
// and two rates both called "VAT" (20% standard, 5% reduced) in the UK
// zone.
const (
	classBooks    = 1001
	classExempt   = 1002
	classStandard = 1003
	classReduced  = 1004
	rateVAT20     = 91
	rateVAT5      = 92
	geoFranceOSS  = 5
	rateTVAFR     = 90

	productBook    = 501
	productService = 502
	productHeater  = 503
	productSeat    = 504
	productMug     = 505
)

func vatShop(t *testing.T, family opencart.Family, opts xerotest.Options) *env {
	e := newEnvB(t, family, opts)
	d := e.shop
	d.AddTaxClass(classBooks, "Zero Rated Books")
	d.AddTaxClass(classExempt, "VAT Exempt Services")
	d.AddTaxRate(rateVAT20, octest.GeoZoneUKVAT, "VAT", "20.0000", "P", octest.GroupDefault)
	d.AddTaxRate(rateVAT5, octest.GeoZoneUKVAT, "VAT", "5.0000", "P", octest.GroupDefault)
	d.AddTaxClass(classStandard, "Standard (VAT)", octest.TaxRule{RateID: rateVAT20, Based: "shipping"})
	d.AddTaxClass(classReduced, "Reduced (VAT)", octest.TaxRule{RateID: rateVAT5, Based: "shipping"})
	d.AddCatalogProduct(productBook, "BOOK-1", classBooks)
	d.AddCatalogProduct(productService, "CONSULT", classExempt)
	d.AddCatalogProduct(productHeater, "HEAT-1", classStandard)
	d.AddCatalogProduct(productSeat, "SEAT-1", classReduced)
	d.AddCatalogProduct(productMug, "MUG-1", octest.TaxClassGoods)
	return e
}

// vatAddress is a customer's address in a country and zone.
func vatAddress(first, country string, countryID, zoneID int) octest.OrderAddress {
	return octest.OrderAddress{FirstName: first, LastName: "Buyer", Address1: "1 Main Street", City: "Town", Postcode: "12345",
		Country: country, CountryID: countryID, ZoneID: zoneID}
}

// vatSale is an order with explicit lines and totals, shipped to ship
// (nothing shipped when ship is empty), paid from pay.
func vatSale(id int, pay, ship octest.OrderAddress, products []octest.Product, rows ...octest.Total) octest.Order {
	o := octest.Order{ID: id, StatusID: 5, FirstName: pay.FirstName, LastName: "Buyer", Email: "buyer" + strconv.Itoa(id) + "@example.com",
		Payment: pay, Shipping: ship, PaymentMethod: octest.Method{Title: "Bank Transfer", Code: "bank_transfer.bank_transfer"},
		Products: products, Totals: rows}
	if ship.CountryID != 0 {
		o.ShippingMethod = octest.Method{Title: "Flat Shipping Rate", Code: "flat.flat", Cost: "5.00", TaxClassID: octest.TaxClassGoods}
	}
	return o
}

func line(id int, name string, qty int, price, tax string) octest.Product {
	return octest.Product{ProductID: id, Name: name, Model: "M-" + strconv.Itoa(id), Quantity: qty, Price: price, Tax: tax}
}

// sentTypes is each line's description and TaxType of the invoice Xero
// holds, in order.
func sentTypes(inv xerotest.Invoice) []string {
	var out []string
	for _, li := range inv.LineItems {
		desc := li.Description
		if i := strings.Index(desc, " ("); i > 0 {
			desc = desc[:i]
		}
		out = append(out, desc+"="+li.TaxType)
	}
	return out
}

// TestVATClassesOfUntaxedSales exports, from a UK shop of each family
// whose tax tables differ, a zero-rated book, an exempt service, an export
// to the US, a sale to a German business, two same-named rates the
// amounts tell apart and one the amounts cannot decide, with the
// settings `config propose` makes: each invoice line reaches the sandbox
// (over HTTP) with the tax type of its VAT class, every invoice equals
// OpenCart's total to the cent, and the undecidable order fails alone,
// naming both rates and why.
func TestVATClassesOfUntaxedSales(t *testing.T) {
	for _, family := range octest.TaxFamilies {
		t.Run(string(family), func(t *testing.T) {
			e := vatShop(t, family, xerotest.Options{TimeScale: 0.001})
			london := vatAddress("Lucy", "United Kingdom", octest.CountryUK, octest.ZoneLondon)
			newYork := vatAddress("Nina", "United States", octest.CountryUS, octest.ZoneNewYork)
			bavaria := vatAddress("Dieter", "Germany", octest.CountryGermany, octest.ZoneBavaria)
			bavaria.Company = "Bayern Handel GmbH"
			none := octest.OrderAddress{}
			orders := []struct {
				order octest.Order
				want  []string // description=TaxType per line; nil: refused
				total string
			}{
				// Zero-rated book to London: the book's class has no rate;
				// shipping carries VAT 20%.
				{vatSale(2001, london, london, []octest.Product{line(productBook, "Book", 2, "10.0000", "0.0000")},
					octest.TotalRow("sub_total", "Sub-Total", "20.0000", 1), octest.TotalRow("shipping", "Flat Shipping Rate", "5.0000", 3),
					octest.TotalRow("tax", "VAT (20%)", "1.0000", 5), octest.TotalRow("total", "Total", "26.0000", 9)),
					[]string{"Book=ZERORATEDOUTPUT", "Flat Shipping Rate=OUTPUT2"}, "26.00"},
				// Exempt service, nothing shipped.
				{vatSale(2002, london, none, []octest.Product{line(productService, "Consultation", 1, "50.0000", "0.0000")},
					octest.TotalRow("sub_total", "Sub-Total", "50.0000", 1), octest.TotalRow("total", "Total", "50.0000", 9)),
					[]string{"Consultation=EXEMPTOUTPUT"}, "50.00"},
				// Export to New York: outside every geo zone, so no VAT at
				// all, and the export type for goods, the service and
				// shipping alike.
				{vatSale(2003, newYork, newYork, []octest.Product{line(productMug, "Mug", 1, "20.0000", "0.0000"),
					line(productService, "Consultation", 1, "50.0000", "0.0000")},
					octest.TotalRow("sub_total", "Sub-Total", "70.0000", 1), octest.TotalRow("shipping", "Flat Shipping Rate", "5.0000", 3),
					octest.TotalRow("total", "Total", "75.0000", 9)),
					[]string{"Mug=ZERORATEDOUTPUT", "Consultation=ZERORATEDOUTPUT", "Flat Shipping Rate=ZERORATEDOUTPUT"}, "75.00"},
				// A German business: without a VAT number on the order (the
				// reader has none yet) it is an export.
				{vatSale(2004, bavaria, bavaria, []octest.Product{line(productMug, "Mug", 3, "30.0000", "0.0000")},
					octest.TotalRow("sub_total", "Sub-Total", "90.0000", 1), octest.TotalRow("shipping", "Flat Shipping Rate", "5.0000", 3),
					octest.TotalRow("total", "Total", "95.0000", 9)),
					[]string{"Mug=ZERORATEDOUTPUT", "Flat Shipping Rate=ZERORATEDOUTPUT"}, "95.00"},
				// Two rates called "VAT" on one order: one row each, told
				// apart by the amounts.
				{vatSale(2005, london, none, []octest.Product{line(productHeater, "Heater", 1, "100.0000", "20.0000"),
					line(productSeat, "Child seat", 2, "20.0000", "1.0000")},
					octest.TotalRow("sub_total", "Sub-Total", "140.0000", 1), octest.TotalRow("tax", "VAT", "20.0000", 5),
					octest.TotalRow("tax", "VAT", "2.0000", 5), octest.TotalRow("total", "Total", "162.0000", 9)),
					[]string{"Heater=OUTPUT2", "Child seat=RROUTPUT"}, "162.00"},
				// Only the reduced one: decided too.
				{vatSale(2006, london, none, []octest.Product{line(productSeat, "Child seat", 1, "20.0000", "1.0000")},
					octest.TotalRow("sub_total", "Sub-Total", "20.0000", 1), octest.TotalRow("tax", "VAT", "1.0000", 5),
					octest.TotalRow("total", "Total", "21.0000", 9)),
					[]string{"Child seat=RROUTPUT"}, "21.00"},
				// A "VAT" of 10% fits neither rate: refused, alone.
				{vatSale(2007, london, none, []octest.Product{line(productHeater, "Heater", 1, "100.0000", "10.0000")},
					octest.TotalRow("sub_total", "Sub-Total", "100.0000", 1), octest.TotalRow("tax", "VAT", "10.0000", 5),
					octest.TotalRow("total", "Total", "110.0000", 9)),
					nil, ""},
			}
			for _, o := range orders {
				e.shop.AddOrder(o.order)
			}
			s, notes, err := export.Propose(context.Background(), e.store, e.client, export.DefaultSettings())
			if err != nil {
				t.Fatal(err)
			}
			tc := s.TaxClasses
			if tc.ZeroRated != "ZERORATEDOUTPUT" || tc.Exempt != "EXEMPTOUTPUT" || tc.Export != "ZERORATEDOUTPUT" || tc.ReverseCharge != "" ||
				tc.ByTaxClass[classExempt] != mapping.VATExempt {
				t.Fatalf("proposed VAT classes %+v; notes:\n%s", tc, strings.Join(notes, "\n"))
			}
			if err := s.Validate(); err != nil {
				t.Fatalf("proposed settings: %v", err)
			}
			s.InvoiceStatus = mapping.StatusAuthorised
			sum := e.run(s, export.Request{Scope: export.ScopeAll})

			invoices := map[string]xerotest.Invoice{}
			for _, inv := range e.sandbox.Invoices(tenant) {
				invoices[inv.InvoiceNumber] = inv
			}
			failed := map[string]string{}
			for _, out := range e.events.outcomes() {
				if out.Kind == history.KindInvoice && out.State == history.StateFailed {
					failed[out.OpenCartID] = out.Message + " " + strings.Join(out.Problems, " ")
				}
			}
			for _, o := range orders {
				number := "OC-" + strconv.Itoa(o.order.ID)
				inv, sent := invoices[number]
				if o.want == nil {
					if sent {
						t.Errorf("order %d sent, want it refused", o.order.ID)
					}
					msg := failed[history.OrderKey(o.order.ID)]
					for _, want := range []string{`several tax rates are called "VAT"`, "VAT (20%, OUTPUT2)", "VAT (5%, RROUTPUT)", "fit none"} {
						if !strings.Contains(msg, want) {
							t.Errorf("order %d refused with %q, want it to say %q", o.order.ID, msg, want)
						}
					}
					continue
				}
				if !sent {
					t.Errorf("order %d not sent: %s", o.order.ID, failed[history.OrderKey(o.order.ID)])
					continue
				}
				if got := sentTypes(inv); strings.Join(got, " | ") != strings.Join(o.want, " | ") {
					t.Errorf("order %d lines %v, want %v", o.order.ID, got, o.want)
				}
				if got := inv.Total.StringFixed(2); got != o.total {
					t.Errorf("order %d: Xero total %s, OpenCart shows %s", o.order.ID, got, o.total)
				}
			}
			if sum.Failed != 1 {
				t.Errorf("summary %+v, want exactly the undecidable order failed", sum)
			}
		})
	}
}

// TestReverseChargeWithVATNumber feeds a VAT number into the order (the
// hook a custom-field reader fills) of a German business buying from a
// UK shop: with a reverse-charge type chosen the invoice goes to Xero with
// it; without one it falls back to the export type. A French consumer
// without a VAT number stays an export.
func TestReverseChargeWithVATNumber(t *testing.T) {
	for _, family := range octest.TaxFamilies {
		t.Run(string(family), func(t *testing.T) {
			ctx := context.Background()
			e := vatShop(t, family, xerotest.Options{TimeScale: 0.001})
			bavaria := vatAddress("Dieter", "Germany", octest.CountryGermany, octest.ZoneBavaria)
			bavaria.Company = "Bayern Handel GmbH"
			e.shop.AddOrder(vatSale(2101, bavaria, bavaria, []octest.Product{line(productMug, "Mug", 2, "30.0000", "0.0000")},
				octest.TotalRow("sub_total", "Sub-Total", "60.0000", 1), octest.TotalRow("shipping", "Flat Shipping Rate", "5.0000", 3),
				octest.TotalRow("total", "Total", "65.0000", 9)))
			s := e.settings(mapping.StatusAuthorised)
			o, err := e.store.Order(ctx, 2101)
			if err != nil {
				t.Fatal(err)
			}
			places, err := e.store.TaxPlaces(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if places.CountryCode != "GB" || o.Products[0].TaxClassID != octest.TaxClassGoods {
				t.Fatalf("shop country %q, product tax class %d", places.CountryCode, o.Products[0].TaxClassID)
			}
			contact, _ := mapping.ContactFromOrder(o, s.Options)
			if _, err := e.client.CreateContacts(ctx, []xero.Contact{contact}, ""); err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				name, vatNumber, reverse string
				want                     string
			}{
				{"VAT number, reverse charge chosen", "DE123456789", "ECZROUTPUT", "ECZROUTPUT"},
				{"VAT number, no reverse-charge type: as an export", "DE123456789", "", "ZERORATEDOUTPUT"},
				{"no VAT number: an export", "", "ECZROUTPUT", "ZERORATEDOUTPUT"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					opt := s.Options
					opt.Places = &places
					opt.TaxClasses.ReverseCharge = tc.reverse
					o.TaxNumber = tc.vatNumber
					inv, ps := mapping.Invoice(o, opt, mapping.Books{ShopCurrency: "GBP", XeroCurrency: "GBP"})
					if mapping.HasErrors(ps) {
						t.Fatalf("problems %v", ps)
					}
					inv.InvoiceNumber += "-" + strconv.Itoa(len(e.sandbox.Invoices(tenant)))
					res, err := e.client.CreateInvoices(ctx, []xero.Invoice{inv}, "")
					if err != nil || res[0].Err != nil {
						t.Fatalf("sent: %v %v", err, res)
					}
					got := e.sandbox.Invoices(tenant)
					sent := got[len(got)-1]
					for _, li := range sent.LineItems {
						if li.TaxType != tc.want {
							t.Errorf("line %q sent as %s, want %s", li.Description, li.TaxType, tc.want)
						}
					}
					if sent.Total.StringFixed(2) != "65.00" {
						t.Errorf("total %s, OpenCart shows 65.00", sent.Total.StringFixed(2))
					}
				})
			}
		})
	}
}

// TestTaxProposalsByPlace: in a UK shop, "TVA FR (20%)" in a France geo
// zone (EU One-Stop Shop) is not proposed as the UK 20% type although
// its percentage matches; the proposal says why and leaves it to choose.
// The domestic "VAT (20%)" still gets OUTPUT2.
func TestTaxProposalsByPlace(t *testing.T) {
	for _, family := range octest.TaxFamilies {
		t.Run(string(family), func(t *testing.T) {
			e := newEnv(t, family)
			e.shop.AddGeoZone(geoFranceOSS, "France (OSS)", octest.GeoPlace{CountryID: octest.CountryFrance})
			e.shop.AddTaxRate(rateTVAFR, geoFranceOSS, "TVA FR (20%)", "20.0000", "P", octest.GroupDefault)
			e.shop.AddTaxRules(octest.TaxClassGoods, octest.TaxRule{RateID: rateTVAFR, Based: "shipping", Priority: 1})
			s, notes, err := export.Propose(context.Background(), e.store, e.client, export.DefaultSettings())
			if err != nil {
				t.Fatal(err)
			}
			types := map[string]string{}
			for _, m := range s.TaxRates {
				types[m.Title] = m.TaxType
			}
			if types["VAT (20%)"] != "OUTPUT2" || types["TVA FR (20%)"] != "" {
				t.Errorf("proposed %v, want VAT (20%%) OUTPUT2 and TVA FR (20%%) left to choose", types)
			}
			said := strings.Join(notes, "\n")
			for _, want := range []string{`tax rate "TVA FR (20%)"`, `"France (OSS)" (FR)`, "One-Stop Shop", "not proposed"} {
				if !strings.Contains(said, want) {
					t.Errorf("notes do not say %q:\n%s", want, said)
				}
			}
			if err := s.Validate(); err == nil || !strings.Contains(err.Error(), `tax rate "TVA FR (20%)"`) {
				t.Errorf("settings with the OSS rate unchosen: %v, want it named as still to choose", err)
			}
		})
	}
}

// TestWrongRegionTaxTypeRefused: UK tax types chosen for an Australian
// organisation stop the run before anything is sent, naming each; sent
// anyway, the sandbox refuses the line as Xero does.
func TestWrongRegionTaxTypeRefused(t *testing.T) {
	ctx := context.Background()
	e := vatShop(t, opencart.Family41, xerotest.Options{TimeScale: 0.001,
		Tenants: []xerotest.Tenant{{ID: tenant, Name: "Demo Company (AU)", CountryCode: "AU"}}})
	london := vatAddress("Lucy", "United Kingdom", octest.CountryUK, octest.ZoneLondon)
	e.shop.AddOrder(vatSale(2201, london, london, []octest.Product{line(productBook, "Book", 1, "10.0000", "0.0000")},
		octest.TotalRow("sub_total", "Sub-Total", "10.0000", 1), octest.TotalRow("shipping", "Flat Shipping Rate", "5.0000", 3),
		octest.TotalRow("tax", "VAT (20%)", "1.0000", 5), octest.TotalRow("total", "Total", "16.0000", 9)))
	s, notes, err := export.Propose(ctx, e.store, e.client, export.DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	if s.TaxClasses.ZeroRated != "EXEMPTOUTPUT" || s.TaxClasses.Export != "EXEMPTEXPORT" || s.TaxClasses.Exempt != "INPUTTAXED" {
		t.Fatalf("AU proposal %+v\n%s", s.TaxClasses, strings.Join(notes, "\n"))
	}
	s.TaxClasses.ZeroRated = "ZERORATEDOUTPUT"
	for i := range s.TaxRates {
		if s.TaxRates[i].TaxType == "" {
			s.TaxRates[i].TaxType = "OUTPUT"
		}
	}
	eng, err := export.New(export.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s, Progress: e.events})
	if err != nil {
		t.Fatal(err)
	}
	_, err = eng.Run(ctx, export.Request{Scope: export.ScopeAll})
	if err == nil || !strings.Contains(err.Error(), "tax type ZERORATEDOUTPUT (untaxed sales: zero rated) is not a tax rate in Xero") {
		t.Fatalf("run: %v, want the UK type named", err)
	}
	if e.writes() != 0 {
		t.Errorf("%d writes before the settings were refused", e.writes())
	}

	o, err := e.store.Order(ctx, 2201)
	if err != nil {
		t.Fatal(err)
	}
	contact, _ := mapping.ContactFromOrder(o, s.Options)
	if _, err := e.client.CreateContacts(ctx, []xero.Contact{contact}, ""); err != nil {
		t.Fatal(err)
	}
	inv, _ := mapping.Invoice(o, s.Options, mapping.Books{ShopCurrency: "GBP", XeroCurrency: "AUD"})
	res, err := e.client.CreateInvoices(ctx, []xero.Invoice{inv}, "")
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "The TaxType code ZERORATEDOUTPUT does not exist or cannot be used for this type of transaction.") {
		t.Errorf("sandbox answer %v, want Xero's refusal of ZERORATEDOUTPUT", res[0].Err)
	}
}
