package octest

import (
	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// Ids of the base rows every fixture has.
const (
	LanguageEnglish = 1 // en-gb, the admin language
	LanguageGerman  = 2 // de-de, names differ so tests see which language is read

	GroupDefault   = 1
	GroupWholesale = 2 // "Wholesale & Trade" (stored encoded)

	CountryUK      = 222
	CountryFrance  = 73
	CountryGermany = 81
	CountryUS      = 223

	ZoneLondon   = 3563
	ZoneCoteDOr  = 1102 // stored as "C&ocirc;te d&#039;or"
	ZoneBavaria  = 1256
	ZoneNewYork  = 3655
	GeoZoneUKVAT = 3

	TaxClassGoods = 9
	TaxRateVAT    = 86 // "VAT (20%)", 20 %
	TaxRateEco    = 87 // "Eco Tax (-2.00)", fixed 2.00

	ReturnReasonFaulty  = 4
	ReturnStatusPending = 1
)

// BaseCurrency is the currency with rate 1.0 in every fixture.
const BaseCurrency = "GBP"

// Currencies in the fixtures, with today's rates.
var Currencies = []struct {
	ID            int
	Code, Title   string
	DecimalPlaces int
	Value         string
	Enabled       bool
}{
	{1, "GBP", "Pound Sterling", 2, "1.00000000", true},
	{2, "EUR", "Euro", 2, "1.17000000", true},
	{3, "USD", "US Dollar", 2, "1.27000000", true},
	{4, "JPY", "Yen", 0, "190.50000000", false},
}

// OrderStatuses are OpenCart's default order statuses (4 and 6 unused).
var OrderStatuses = map[int]string{
	1: "Pending", 2: "Processing", 3: "Shipped", 5: "Complete", 7: "Canceled", 8: "Denied", 9: "Canceled Reversal",
	10: "Failed", 11: "Refunded", 12: "Reversed", 13: "Chargeback", 14: "Expired", 15: "Processed", 16: "Voided",
}

// ReturnActions are the default return actions of a family: 3.0 and 4.0
// have 1 Refunded; a fresh 4.1 has 4 Refunded.
func ReturnActions(f opencart.Family) map[int]string {
	if f == opencart.Family41 {
		return map[int]string{1: "Waiting for return", 2: "Credit Issued", 3: "Replacement Sent", 4: "Refunded"}
	}
	return map[int]string{1: "Refunded", 2: "Credit Issued", 3: "Replacement Sent"}
}

// ReturnActionRefunded is the id of the "Refunded" return action in f.
func ReturnActionRefunded(f opencart.Family) int {
	if f == opencart.Family41 {
		return 4
	}
	return 1
}

// Settings of store 0 in every fixture (as stored).
var Settings = map[string]string{
	"config_name":              "Bean &amp; Leaf Caf&eacute;",
	"config_currency":          "GBP",
	"config_tax":               "1",
	"config_invoice_prefix":    "INV-2024-00",
	"config_order_status_id":   "1",
	"config_processing_status": `["5","1","2","12","3"]`,
	"config_complete_status":   `["5","3"]`,
	"config_timezone":          "Europe/London",
	"config_country_id":        "222",
	"config_zone_id":           "3563",
}

// addBaseRows inserts what a freshly installed shop has.
func (d *DB) addBaseRows() {
	d.insert("language",
		row{"language_id": LanguageEnglish, "name": "English", "code": "en-gb", "locale": "en-gb,en", "image": "gb.png",
			"directory": "english", "extension": "", "sort_order": 1, "status": 1},
		row{"language_id": LanguageGerman, "name": "Deutsch", "code": "de-de", "locale": "de-de,de", "image": "de.png",
			"directory": "german", "extension": "", "sort_order": 2, "status": 1})

	var rows []row
	for id, name := range OrderStatuses {
		rows = append(rows, row{"order_status_id": id, "language_id": LanguageEnglish, "name": name},
			row{"order_status_id": id, "language_id": LanguageGerman, "name": "DE " + name})
	}
	d.insert("order_status", rows...)
	d.insertNames("return_status", map[int]string{1: "Pending", 2: "Awaiting Products", 3: "Complete"})
	d.insertNames("return_action", ReturnActions(d.Family))
	d.insertNames("return_reason", map[int]string{1: "Dead On Arrival", 2: "Received Wrong Item", 3: "Order Error",
		4: "Faulty, please supply details", 5: "Other, please supply details"})

	d.insert("customer_group", row{"customer_group_id": GroupDefault, "approval": 0, "sort_order": 1},
		row{"customer_group_id": GroupWholesale, "approval": 1, "sort_order": 2})
	d.insert("customer_group_description",
		row{"customer_group_id": GroupDefault, "language_id": LanguageEnglish, "name": "Default", "description": ""},
		row{"customer_group_id": GroupWholesale, "language_id": LanguageEnglish, "name": "Wholesale &amp; Trade", "description": ""})

	rows = nil
	for _, c := range Currencies {
		rows = append(rows, row{"currency_id": c.ID, "title": c.Title, "code": c.Code, "symbol_left": "", "symbol_right": "",
			"decimal_place": c.DecimalPlaces, "value": c.Value, "status": c.Enabled, "date_modified": "2024-01-01 00:00:00"})
	}
	d.insert("currency", rows...)

	rows = nil
	settings := map[string]string{}
	for k, v := range Settings {
		settings[k] = v
	}
	switch d.Family {
	case opencart.Family30:
		settings["config_language"], settings["config_admin_language"] = "en-gb", "en-gb"
	case opencart.Family40:
		settings["config_language"], settings["config_language_admin"] = "en-gb", "en-gb"
	default:
		settings["config_language_catalog"], settings["config_language_admin"] = "en-gb", "en-gb"
	}
	for k, v := range settings {
		serialized := 0
		if len(v) > 0 && v[0] == '[' {
			serialized = 1
		}
		rows = append(rows, row{"store_id": 0, "code": "config", "key": k, "value": v, "serialized": serialized})
	}
	// A second store overriding the currency must not change store 0's.
	rows = append(rows, row{"store_id": 1, "code": "config", "key": "config_currency", "value": "EUR", "serialized": 0})
	d.insert("setting", rows...)
	d.insert("store", row{"store_id": 1, "name": "Second &amp; Shop", "url": "https://second.example/", "ssl": ""})

	d.addPlaces()
	d.addTaxes()
}

func (d *DB) insertNames(table string, names map[int]string) {
	id := table + "_id"
	var rows []row
	for k, v := range names {
		rows = append(rows, row{id: k, "language_id": LanguageEnglish, "name": v})
	}
	d.insert(table, rows...)
}

// addPlaces adds the countries and zones the fixtures use; 4.1 keeps their
// names in description tables, one per language.
func (d *DB) addPlaces() {
	countries := []struct {
		id                 int
		name, german, iso2 string
		iso3               string
	}{
		{CountryUK, "United Kingdom", "Vereinigtes K&ouml;nigreich", "GB", "GBR"},
		{CountryFrance, "France", "Frankreich", "FR", "FRA"},
		{CountryGermany, "Germany", "Deutschland", "DE", "DEU"},
		{CountryUS, "United States", "Vereinigte Staaten", "US", "USA"},
	}
	zones := []struct {
		id, country int
		name, code  string
	}{
		{ZoneLondon, CountryUK, "Greater London", "LND"},
		{ZoneCoteDOr, CountryFrance, "C&ocirc;te d&#039;or", "21"},
		{ZoneBavaria, CountryGermany, "Bayern", "BAY"},
		{ZoneNewYork, CountryUS, "New York", "NY"},
	}
	var rows, desc []row
	for _, c := range countries {
		rows = append(rows, row{"country_id": c.id, "name": c.name, "iso_code_2": c.iso2, "iso_code_3": c.iso3,
			"address_format": "", "address_format_id": 1, "postcode_required": 0, "status": 1})
		desc = append(desc, row{"country_id": c.id, "language_id": LanguageGerman, "name": c.german},
			row{"country_id": c.id, "language_id": LanguageEnglish, "name": c.name})
	}
	d.insert("country", rows...)
	if d.Family == opencart.Family41 {
		d.insert("country_description", desc...)
	}
	rows, desc = nil, nil
	for _, z := range zones {
		rows = append(rows, row{"zone_id": z.id, "country_id": z.country, "name": z.name, "code": z.code, "status": 1})
		desc = append(desc, row{"zone_id": z.id, "language_id": LanguageEnglish, "name": z.name})
	}
	d.insert("zone", rows...)
	if d.Family == opencart.Family41 {
		d.insert("zone_description", desc...)
	}
	d.insert("geo_zone", row{"geo_zone_id": GeoZoneUKVAT, "name": "UK VAT Zone", "description": "UK VAT",
		"date_added": "2009-01-06 23:26:25", "date_modified": "2010-02-26 22:33:24"})
	d.insert("zone_to_geo_zone", row{"zone_to_geo_zone_id": 1, "country_id": CountryUK, "zone_id": 0, "geo_zone_id": GeoZoneUKVAT,
		"date_added": "2009-01-06 23:26:25", "date_modified": "2009-01-06 23:26:25"})
}

func (d *DB) addTaxes() {
	dates := func(r row) row {
		r["date_added"], r["date_modified"] = "2011-03-09 21:17:10", "2011-09-22 22:24:29"
		return r
	}
	d.insert("tax_class",
		dates(row{"tax_class_id": TaxClassGoods, "title": "Taxable Goods", "description": "Taxed goods"}),
		dates(row{"tax_class_id": 10, "title": "Downloadable Products", "description": "Downloadable"}))
	d.insert("tax_rate",
		dates(row{"tax_rate_id": TaxRateVAT, "geo_zone_id": GeoZoneUKVAT, "name": "VAT (20%)", "rate": "20.0000", "type": "P"}),
		dates(row{"tax_rate_id": TaxRateEco, "geo_zone_id": GeoZoneUKVAT, "name": "Eco Tax (-2.00)", "rate": "2.0000", "type": "F"}))
	d.insert("tax_rate_to_customer_group",
		row{"tax_rate_id": TaxRateVAT, "customer_group_id": GroupDefault},
		row{"tax_rate_id": TaxRateVAT, "customer_group_id": GroupWholesale},
		row{"tax_rate_id": TaxRateEco, "customer_group_id": GroupDefault})
	d.insert("tax_rule",
		row{"tax_rule_id": 120, "tax_class_id": TaxClassGoods, "tax_rate_id": TaxRateVAT, "based": "shipping", "priority": 1},
		row{"tax_rule_id": 121, "tax_class_id": TaxClassGoods, "tax_rate_id": TaxRateEco, "based": "shipping", "priority": 2},
		row{"tax_rule_id": 127, "tax_class_id": 10, "tax_rate_id": TaxRateVAT, "based": "payment", "priority": 1})
}
