package opencart

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
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
	var t taxTables
	if err := parallel([]func() error{t.readClasses(ctx, r), t.readRules(ctx, r)}); err != nil {
		return nil, err
	}
	return t.classesWithRules(), nil
}

// TaxRates lists the tax rates with their geo zone and customer groups, by id.
func (r *Reader) TaxRates(ctx context.Context) ([]TaxRate, error) {
	var t taxTables
	if err := parallel([]func() error{t.readRates(ctx, r), t.readRateGroups(ctx, r), t.readHome(ctx, r), t.readPlaces(ctx, r)}); err != nil {
		return nil, err
	}
	return t.placedRates(), nil
}

// taxTables are the shop's tax tables as read, each by its own query so
// that all go side by side (one round trip), then put together.
type taxTables struct {
	classes    []TaxClass
	rules      []classRule
	rates      []TaxRate
	rateGroups [][2]int // tax_rate_id, customer_group_id
	// home and zone are config_country_id and config_zone_id; countries
	// the ISO code of each country id.
	home, zone int
	countries  map[int]string
	places     []GeoZonePlace
}

type classRule struct {
	classID int
	rule    TaxRule
}

func (t *taxTables) readClasses(ctx context.Context, r *Reader) func() error {
	q := "SELECT c.tax_class_id, " + r.schema.col("c", "tax_class", "title") + ", " + r.schema.col("c", "tax_class", "description") +
		" FROM " + r.t("tax_class") + " c ORDER BY c.tax_class_id"
	return func() error {
		return r.each(ctx, q, nil, func(rows *sql.Rows) error {
			var c TaxClass
			err := rows.Scan(intOf{&c.ID}, textOf{&c.Title}, textOf{&c.Description})
			t.classes = append(t.classes, c)
			return err
		})
	}
}

func (t *taxTables) readRules(ctx context.Context, r *Reader) func() error {
	q := "SELECT tax_rule_id, tax_class_id, tax_rate_id, based, priority FROM " + r.t("tax_rule") + " ORDER BY tax_class_id, priority, tax_rule_id"
	return func() error {
		return r.each(ctx, q, nil, func(rows *sql.Rows) error {
			var cr classRule
			err := rows.Scan(intOf{&cr.rule.ID}, intOf{&cr.classID}, intOf{&cr.rule.TaxRateID}, textOf{&cr.rule.Based}, intOf{&cr.rule.Priority})
			t.rules = append(t.rules, cr)
			return err
		})
	}
}

func (t *taxTables) readRates(ctx context.Context, r *Reader) func() error {
	q := "SELECT t.tax_rate_id, " + r.schema.col("t", "tax_rate", "geo_zone_id") + ", " + r.schema.col("g", "geo_zone", "name") +
		", t.name, t.rate, t.type FROM " + r.t("tax_rate") + " t LEFT JOIN " + r.t("geo_zone") +
		" g ON g.geo_zone_id = t.geo_zone_id ORDER BY t.tax_rate_id"
	return func() error {
		return r.each(ctx, q, nil, func(rows *sql.Rows) error {
			var rate TaxRate
			err := rows.Scan(intOf{&rate.ID}, intOf{&rate.GeoZoneID}, textOf{&rate.GeoZone}, textOf{&rate.Name}, decimalOf{&rate.Rate}, textOf{&rate.Type})
			t.rates = append(t.rates, rate)
			return err
		})
	}
}

func (t *taxTables) readRateGroups(ctx context.Context, r *Reader) func() error {
	q := "SELECT tax_rate_id, customer_group_id FROM " + r.t("tax_rate_to_customer_group") + " ORDER BY tax_rate_id, customer_group_id"
	return func() error {
		return r.each(ctx, q, nil, func(rows *sql.Rows) error {
			var rg [2]int
			err := rows.Scan(intOf{&rg[0]}, intOf{&rg[1]})
			t.rateGroups = append(t.rateGroups, rg)
			return err
		})
	}
}

// readHome reads the shop's country and zone (store 0's settings) and
// every country's ISO code, in one statement.
func (t *taxTables) readHome(ctx context.Context, r *Reader) func() error {
	q := "SELECT 's', `key`, " + r.schema.col("s", "setting", "value") + " FROM " + r.t("setting") +
		" s WHERE s.store_id = 0 AND s.`key` IN ('config_country_id','config_zone_id')" +
		" UNION ALL SELECT 'c', country_id, " + r.schema.col("c", "country", "iso_code_2") + " FROM " + r.t("country") + " c"
	return func() error {
		t.countries = map[int]string{}
		return r.each(ctx, q, nil, func(rows *sql.Rows) error {
			var tag, k, v string
			if err := rows.Scan(rawOf{&tag}, rawOf{&k}, rawOf{&v}); err != nil {
				return err
			}
			switch {
			case tag == "c":
				id, err := strconv.Atoi(strings.TrimSpace(k))
				t.countries[id] = strings.ToUpper(strings.TrimSpace(v))
				return err
			case k == "config_country_id":
				return intOf{&t.home}.Scan(v)
			default:
				return intOf{&t.zone}.Scan(v)
			}
		})
	}
}

func (t *taxTables) readPlaces(ctx context.Context, r *Reader) func() error {
	if !r.schema.HasTable("zone_to_geo_zone") {
		return func() error { return nil }
	}
	q := "SELECT geo_zone_id, country_id, " + r.schema.col("z", "zone_to_geo_zone", "zone_id") + " FROM " + r.t("zone_to_geo_zone") +
		" z ORDER BY geo_zone_id, country_id, zone_id"
	return func() error {
		return r.each(ctx, q, nil, func(rows *sql.Rows) error {
			var p GeoZonePlace
			err := rows.Scan(intOf{&p.GeoZoneID}, intOf{&p.CountryID}, intOf{&p.ZoneID})
			t.places = append(t.places, p)
			return err
		})
	}
}

// classesWithRules are the classes with their rules.
func (t *taxTables) classesWithRules() []TaxClass {
	pos := make(map[int]int, len(t.classes))
	for i, c := range t.classes {
		pos[c.ID] = i
	}
	for _, cr := range t.rules {
		if i, ok := pos[cr.classID]; ok {
			t.classes[i].Rules = append(t.classes[i].Rules, cr.rule)
		}
	}
	return t.classes
}

// placedRates are the rates with their customer groups, the countries of
// their geo zone (by ISO code) and whether it holds the shop's country
// (none known when the shop's country is not).
func (t *taxTables) placedRates() []TaxRate {
	pos := make(map[int]int, len(t.rates))
	for i, rate := range t.rates {
		pos[rate.ID] = i
	}
	for _, rg := range t.rateGroups {
		if i, ok := pos[rg[0]]; ok {
			t.rates[i].CustomerGroupIDs = append(t.rates[i].CustomerGroupIDs, rg[1])
		}
	}
	if t.home == 0 {
		return t.rates // the shop's country is unknown: no rate is known to be foreign
	}
	for i := range t.rates {
		rate := &t.rates[i]
		for _, p := range t.places {
			if p.GeoZoneID != rate.GeoZoneID {
				continue
			}
			rate.Domestic = rate.Domestic || p.CountryID == t.home
			if code := t.countries[p.CountryID]; code != "" && !slices.Contains(rate.Countries, code) {
				rate.Countries = append(rate.Countries, code)
			}
		}
		slices.Sort(rate.Countries)
	}
	return t.rates
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
// classes, rates, geo zones and countries): six queries side by side, one
// round trip.
func (r *Reader) TaxPlaces(ctx context.Context) (TaxPlaces, error) {
	var t taxTables
	err := parallel([]func() error{t.readClasses(ctx, r), t.readRules(ctx, r), t.readRates(ctx, r), t.readRateGroups(ctx, r),
		t.readHome(ctx, r), t.readPlaces(ctx, r)})
	if err != nil {
		return TaxPlaces{}, err
	}
	return TaxPlaces{CountryID: t.home, ZoneID: t.zone, CountryCode: t.countries[t.home], Classes: t.classesWithRules(),
		Rates: t.placedRates(), Places: t.places, Countries: t.countries}, nil
}
