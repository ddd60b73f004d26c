package octest

import "github.com/opencart-xero/opencart-xero/sync/opencart"

// A shop's tax set-up beyond the default install's (branch vat): catalog
// products with their tax class, geo zones, tax classes, rates and rules,
// written the way the admin writes them (4.1 tables have no date columns;
// the inserter leaves out what a family lacks).

const taxDate = "2024-01-01 00:00:00"

// AddCatalogProduct adds a product row (product_id, model, tax class):
// orders do not store a product's tax class, the product table does.
func (d *DB) AddCatalogProduct(productID int, model string, taxClassID int) {
	d.t.Helper()
	d.insert("product", row{"product_id": productID, "master_id": 0, "model": model, "sku": "", "quantity": 10, "shipping": 1,
		"price": "0.0000", "points": 0, "tax_class_id": taxClassID, "status": 1, "date_added": taxDate, "date_modified": taxDate})
}

// GeoPlace is a country and one of its zones (0: all zones) in a geo zone.
type GeoPlace struct{ CountryID, ZoneID int }

// AddGeoZone adds a geo zone with its places.
func (d *DB) AddGeoZone(id int, name string, places ...GeoPlace) {
	d.t.Helper()
	d.insert("geo_zone", row{"geo_zone_id": id, "name": text(false, name), "description": text(false, name),
		"date_added": taxDate, "date_modified": taxDate})
	var rows []row
	for _, p := range places {
		rows = append(rows, row{"geo_zone_id": id, "country_id": p.CountryID, "zone_id": p.ZoneID,
			"date_added": taxDate, "date_modified": taxDate})
	}
	if len(rows) > 0 {
		d.insert("zone_to_geo_zone", rows...)
	}
}

// AddTaxRate adds a tax rate ("P" percent or "F" fixed) in a geo zone for
// the customer groups given (GroupDefault when none).
func (d *DB) AddTaxRate(id, geoZoneID int, name, rate, typ string, groups ...int) {
	d.t.Helper()
	d.insert("tax_rate", row{"tax_rate_id": id, "geo_zone_id": geoZoneID, "name": text(false, name), "rate": rate, "type": typ,
		"date_added": taxDate, "date_modified": taxDate})
	if len(groups) == 0 {
		groups = []int{GroupDefault}
	}
	var rows []row
	for _, g := range groups {
		rows = append(rows, row{"tax_rate_id": id, "customer_group_id": g})
	}
	d.insert("tax_rate_to_customer_group", rows...)
}

// TaxRule applies a rate within a class, based on "shipping", "payment"
// or "store".
type TaxRule struct {
	RateID   int
	Based    string
	Priority int
}

// AddTaxClass adds a tax class with its rules (ids from 1000 up, so they
// never meet the default install's).
func (d *DB) AddTaxClass(id int, title string, rules ...TaxRule) {
	d.t.Helper()
	d.insert("tax_class", row{"tax_class_id": id, "title": text(false, title), "description": text(false, title),
		"date_added": taxDate, "date_modified": taxDate})
	d.AddTaxRules(id, rules...)
}

// AddTaxRules adds rules to a tax class.
func (d *DB) AddTaxRules(id int, rules ...TaxRule) {
	d.t.Helper()
	for _, r := range rules {
		d.insert("tax_rule", row{"tax_rule_id": d.nextID("tax_rule", "tax_rule_id") + 1000, "tax_class_id": id,
			"tax_rate_id": r.RateID, "based": r.Based, "priority": or(r.Priority, 1)})
	}
}

// TaxFamilies are the families whose tax tables differ: 3.0 (dates on
// every tax table) and 4.1 (none).
var TaxFamilies = []opencart.Family{opencart.Family30, opencart.Family41}
