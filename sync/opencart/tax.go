package opencart

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// TaxClass is a tax class ("Taxable Goods") and the rates it applies.
type TaxClass struct {
	ID          int       `json:"tax_class_id"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Rules       []TaxRule `json:"rules"`
}

// TaxRule applies one tax rate within a class, based on the shipping,
// payment or store address.
type TaxRule struct {
	ID        int    `json:"tax_rule_id"`
	TaxRateID int    `json:"tax_rate_id"`
	Based     string `json:"based"` // "shipping", "payment" or "store"
	Priority  int    `json:"priority"`
}

// TaxRate is a tax rate: a percentage (type P) or a fixed amount per unit
// (type F), in a geo zone, for some customer groups. Tax rows on orders
// carry the rate's name at order time.
type TaxRate struct {
	ID               int             `json:"tax_rate_id"`
	GeoZoneID        int             `json:"geo_zone_id"`
	GeoZone          string          `json:"geo_zone"`
	Name             string          `json:"name"`
	Rate             decimal.Decimal `json:"rate"`
	Type             string          `json:"type"` // "P" percent, "F" fixed amount
	CustomerGroupIDs []int           `json:"customer_group_ids"`
	// Countries are the ISO codes of the countries of its geo zone, and
	// Domestic says the geo zone holds the shop's own country
	// (config_country_id): a rate elsewhere is another country's tax (EU
	// One-Stop Shop) or an export's. Both empty when the geo zone has no
	// places.
	Countries []string `json:"countries,omitempty"`
	Domestic  bool     `json:"domestic,omitempty"`
}

// Fixed reports whether the rate is a fixed amount rather than a percentage.
func (t TaxRate) Fixed() bool { return t.Type == "F" }

// TaxClasses lists the tax classes with their rules, by id.
func (r *Reader) TaxClasses(ctx context.Context) ([]TaxClass, error) {
	var classes []TaxClass
	q := "SELECT c.tax_class_id, " + r.schema.col("c", "tax_class", "title") + ", " + r.schema.col("c", "tax_class", "description") +
		" FROM " + r.t("tax_class") + " c ORDER BY c.tax_class_id"
	err := r.each(ctx, q, nil, func(rows *sql.Rows) error {
		var c TaxClass
		err := rows.Scan(intOf{&c.ID}, textOf{&c.Title}, textOf{&c.Description})
		classes = append(classes, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	pos := make(map[int]int, len(classes))
	for i, c := range classes {
		pos[c.ID] = i
	}
	q = "SELECT tax_rule_id, tax_class_id, tax_rate_id, based, priority FROM " + r.t("tax_rule") + " ORDER BY tax_class_id, priority, tax_rule_id"
	err = r.each(ctx, q, nil, func(rows *sql.Rows) error {
		var classID int
		var rule TaxRule
		err := rows.Scan(intOf{&rule.ID}, intOf{&classID}, intOf{&rule.TaxRateID}, textOf{&rule.Based}, intOf{&rule.Priority})
		if i, ok := pos[classID]; ok && err == nil {
			classes[i].Rules = append(classes[i].Rules, rule)
		}
		return err
	})
	return classes, err
}

// TaxRates lists the tax rates with their geo zone and customer groups, by id.
func (r *Reader) TaxRates(ctx context.Context) ([]TaxRate, error) {
	var rates []TaxRate
	q := "SELECT t.tax_rate_id, " + r.schema.col("t", "tax_rate", "geo_zone_id") + ", " + r.schema.col("g", "geo_zone", "name") +
		", t.name, t.rate, t.type FROM " + r.t("tax_rate") + " t LEFT JOIN " + r.t("geo_zone") +
		" g ON g.geo_zone_id = t.geo_zone_id ORDER BY t.tax_rate_id"
	err := r.each(ctx, q, nil, func(rows *sql.Rows) error {
		var t TaxRate
		err := rows.Scan(intOf{&t.ID}, intOf{&t.GeoZoneID}, textOf{&t.GeoZone}, textOf{&t.Name}, decimalOf{&t.Rate}, textOf{&t.Type})
		rates = append(rates, t)
		return err
	})
	if err != nil {
		return nil, err
	}
	pos := make(map[int]int, len(rates))
	for i, t := range rates {
		pos[t.ID] = i
	}
	q = "SELECT tax_rate_id, customer_group_id FROM " + r.t("tax_rate_to_customer_group") + " ORDER BY tax_rate_id, customer_group_id"
	err = r.each(ctx, q, nil, func(rows *sql.Rows) error {
		var rateID, groupID int
		err := rows.Scan(intOf{&rateID}, intOf{&groupID})
		if i, ok := pos[rateID]; ok && err == nil {
			rates[i].CustomerGroupIDs = append(rates[i].CustomerGroupIDs, groupID)
		}
		return err
	})
	if err != nil {
		return rates, err
	}
	return rates, r.placeRates(ctx, rates)
}

// placeRates fills each rate's countries and whether its geo zone holds
// the shop's country.
func (r *Reader) placeRates(ctx context.Context, rates []TaxRate) error {
	if !r.schema.HasTable("zone_to_geo_zone") {
		return nil
	}
	home := 0
	q := "SELECT " + r.schema.col("s", "setting", "value") + " FROM " + r.t("setting") + " s WHERE s.store_id = 0 AND s.`key` = 'config_country_id'"
	if err := r.each(ctx, q, nil, func(rows *sql.Rows) error { return rows.Scan(intOf{&home}) }); err != nil {
		return err
	}
	if home == 0 {
		return nil // the shop's country is unknown: no rate is known to be foreign
	}
	type place struct {
		code string
		home bool
	}
	zones := map[int][]place{}
	q = "SELECT z.geo_zone_id, z.country_id, " + r.schema.col("c", "country", "iso_code_2") + " FROM " + r.t("zone_to_geo_zone") +
		" z LEFT JOIN " + r.t("country") + " c ON c.country_id = z.country_id ORDER BY z.geo_zone_id, c.iso_code_2"
	err := r.each(ctx, q, nil, func(rows *sql.Rows) error {
		var zone, country int
		var code string
		err := rows.Scan(intOf{&zone}, intOf{&country}, rawOf{&code})
		zones[zone] = append(zones[zone], place{strings.ToUpper(strings.TrimSpace(code)), country == home && home != 0})
		return err
	})
	if err != nil {
		return err
	}
	for i := range rates {
		for _, p := range zones[rates[i].GeoZoneID] {
			rates[i].Domestic = rates[i].Domestic || p.home
			if p.code != "" && !slices.Contains(rates[i].Countries, p.code) {
				rates[i].Countries = append(rates[i].Countries, p.code)
			}
		}
	}
	return nil
}

// GeoZonePlace is one row of a geo zone (zone_to_geo_zone): a country, and
// one of its zones or, with ZoneID 0, all of them.
type GeoZonePlace struct {
	GeoZoneID int `json:"geo_zone_id"`
	CountryID int `json:"country_id"`
	ZoneID    int `json:"zone_id"`
}

// TaxPlaces is the shop's tax geography: where it is, its tax classes and
// rates, the places of each geo zone and the ISO code of each country. It
// says which rates a customer's address would get (OpenCart's tax library
// chooses rates by address, geo zone and customer group).
type TaxPlaces struct {
	// CountryID and ZoneID are the shop's address (config_country_id,
	// config_zone_id); CountryCode is its ISO 3166-1 alpha-2 code.
	CountryID   int            `json:"country_id"`
	ZoneID      int            `json:"zone_id"`
	CountryCode string         `json:"country_code"`
	Classes     []TaxClass     `json:"classes"`
	Rates       []TaxRate      `json:"rates"`
	Places      []GeoZonePlace `json:"places"`
	// Countries maps a country id to its ISO 3166-1 alpha-2 code.
	Countries map[int]string `json:"countries"`
}

// TaxPlaces reads the shop's tax geography (store 0's address, tax
// classes, rates, geo zones and countries).
func (r *Reader) TaxPlaces(ctx context.Context) (TaxPlaces, error) {
	var tp TaxPlaces
	var err error
	if tp.Classes, err = r.TaxClasses(ctx); err != nil {
		return tp, err
	}
	if tp.Rates, err = r.TaxRates(ctx); err != nil {
		return tp, err
	}
	q := "SELECT `key`, " + r.schema.col("s", "setting", "value") + " FROM " + r.t("setting") +
		" s WHERE s.store_id = 0 AND s.`key` IN ('config_country_id','config_zone_id')"
	err = r.each(ctx, q, nil, func(rows *sql.Rows) error {
		var k string
		var v int
		if err := rows.Scan(rawOf{&k}, intOf{&v}); err != nil {
			return err
		}
		if k == "config_country_id" {
			tp.CountryID = v
		} else {
			tp.ZoneID = v
		}
		return nil
	})
	if err != nil {
		return tp, err
	}
	if r.schema.HasTable("zone_to_geo_zone") {
		q = "SELECT geo_zone_id, country_id, " + r.schema.col("z", "zone_to_geo_zone", "zone_id") + " FROM " + r.t("zone_to_geo_zone") +
			" z ORDER BY geo_zone_id, country_id, zone_id"
		err = r.each(ctx, q, nil, func(rows *sql.Rows) error {
			var p GeoZonePlace
			err := rows.Scan(intOf{&p.GeoZoneID}, intOf{&p.CountryID}, intOf{&p.ZoneID})
			tp.Places = append(tp.Places, p)
			return err
		})
		if err != nil {
			return tp, err
		}
	}
	tp.Countries = map[int]string{}
	q = "SELECT country_id, " + r.schema.col("c", "country", "iso_code_2") + " FROM " + r.t("country") + " c"
	err = r.each(ctx, q, nil, func(rows *sql.Rows) error {
		var id int
		var code string
		err := rows.Scan(intOf{&id}, rawOf{&code})
		tp.Countries[id] = strings.ToUpper(strings.TrimSpace(code))
		return err
	})
	tp.CountryCode = tp.Countries[tp.CountryID]
	return tp, err
}
