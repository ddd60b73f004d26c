package opencart

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // config_timezone must resolve on machines without a zone database

	"github.com/shopspring/decimal"
)

// Settings are the store-0 settings an export depends on.
type Settings struct {
	// Currency is config_currency, the shop's default currency.
	Currency string `json:"currency"`
	// BaseCurrency is the currency whose rate is 1.0; every stored amount is
	// in it. It should equal Currency.
	BaseCurrency string `json:"base_currency"`
	// Tax is config_tax: prices are shown with tax (display only).
	Tax bool `json:"tax"`
	// Name is config_name, the name of store 0.
	Name string `json:"name"`
	// InvoicePrefix is config_invoice_prefix.
	InvoicePrefix string `json:"invoice_prefix"`
	// OrderStatusID is config_order_status_id, the status of a new order.
	OrderStatusID int `json:"order_status_id"`
	// ProcessingStatusIDs is config_processing_status.
	ProcessingStatusIDs []int `json:"processing_status_ids"`
	// CompleteStatusIDs is config_complete_status.
	CompleteStatusIDs []int `json:"complete_status_ids"`
	// Timezone is config_timezone: the zone of every stored date ("UTC" when unset).
	Timezone string `json:"timezone"`
	// LanguageID is the admin language; names of statuses, countries and
	// the like are read in it.
	LanguageID int `json:"language_id"`
	// LanguageCode is the admin language's code, e.g. "en-gb".
	LanguageCode string `json:"language_code"`
}

// Location returns the store's time zone, in which every stored date is a
// wall-clock time.
func (s Settings) Location() (*time.Location, error) {
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil {
		return nil, fmt.Errorf("opencart: the store time zone %q is unknown: %w", s.Timezone, err)
	}
	return loc, nil
}

// StoreTime reads a stored wall-clock date as a moment in the store's zone.
func (s Settings) StoreTime(t time.Time) (time.Time, error) {
	if t.IsZero() {
		return t, nil
	}
	loc, err := s.Location()
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc), nil
}

// Currency is one row of the currency table.
type Currency struct {
	ID            int             `json:"id"`
	Code          string          `json:"code"`
	Title         string          `json:"title"`
	DecimalPlaces int             `json:"decimal_places"`
	Value         decimal.Decimal `json:"value"` // units per 1 base-currency unit, today
	Enabled       bool            `json:"enabled"`
}

// OrderStatus is an order status and its name in the admin language.
type OrderStatus struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// Settings reads the store settings that matter for an export.
func (r *Reader) Settings(ctx context.Context) (Settings, error) {
	lk, err := r.lookups(ctx)
	if err != nil {
		return Settings{}, err
	}
	return lk.settings, nil
}

// Currencies lists the shop's currencies by code.
func (r *Reader) Currencies(ctx context.Context) ([]Currency, error) {
	lk, err := r.lookups(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Currency, 0, len(lk.currencies))
	for _, c := range lk.currencies {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

// OrderStatuses lists the order statuses by id.
func (r *Reader) OrderStatuses(ctx context.Context) ([]OrderStatus, error) {
	lk, err := r.lookups(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]OrderStatus, 0, len(lk.names[nameOrderStatus]))
	for id, n := range lk.names[nameOrderStatus] {
		out = append(out, OrderStatus{ID: id, Name: n.name})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// lookups are the small reference tables, read once per Reader.
type lookups struct {
	settings   Settings
	names      map[string]nameSet // by nameOrderStatus etc.
	countries  map[int]place
	zones      map[int]place
	currencies map[string]Currency
	// customFields by custom_field_id (customfields.go)
	customFields map[int]CustomField
	// settingsRead is closed once settings are read (or failed to be):
	// the other lookups are asked for at the same time and wait for it
	// only to choose between languages.
	settingsRead chan struct{}
}

// language is the admin language's id, once the settings are read.
func (lk *lookups) language() int {
	<-lk.settingsRead
	return lk.settings.LanguageID
}

type place struct{ name, code, code3 string }

const (
	nameOrderStatus   = "order_status"
	nameReturnStatus  = "return_status"
	nameReturnAction  = "return_action"
	nameReturnReason  = "return_reason"
	nameCustomerGroup = "customer_group_description"
)

// nameSet keeps one name per id, preferring the admin language.
type nameSet map[int]nameRow

type nameRow struct {
	name      string
	preferred bool
}

func (n nameSet) put(id int, name string, preferred bool) {
	if old, ok := n[id]; ok && (old.preferred || !preferred) {
		return
	}
	n[id] = nameRow{name, preferred}
}

func (n nameSet) get(id int) string { return n[id].name }

func (r *Reader) lookups(ctx context.Context) (*lookups, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.lookup != nil {
		return r.lookup, nil
	}
	lk := &lookups{names: map[string]nameSet{}, countries: map[int]place{}, zones: map[int]place{}, currencies: map[string]Currency{},
		settingsRead: make(chan struct{})}
	// One round trip in all: the settings (which name the admin language)
	// and the names, places, currencies and custom fields are asked for
	// side by side; the rows in several languages wait for the settings.
	err := parallel([]func() error{
		func() error {
			defer close(lk.settingsRead)
			return r.loadSettings(ctx, lk)
		},
		func() error { return r.loadNames(ctx, lk) },
		func() error { return r.loadPlaces(ctx, lk) },
		func() error { return r.loadCurrencies(ctx, lk) },
		func() error { return r.loadCustomFields(ctx, lk) },
	})
	if err != nil {
		return nil, err
	}
	r.lookup = lk
	return lk, nil
}

func (r *Reader) loadSettings(ctx context.Context, lk *lookups) error {
	values := map[string]string{}
	// The settings and the languages in one statement.
	q := "SELECT 's', `key`, " + r.schema.col("s", "setting", "value") + " FROM " + r.t("setting") +
		" s WHERE s.store_id = 0 AND s.`key` IN ('config_currency','config_tax','config_name','config_invoice_prefix'," +
		"'config_order_status_id','config_processing_status','config_complete_status','config_timezone'," +
		"'config_admin_language','config_language_admin','config_language','config_language_catalog')" +
		" UNION ALL SELECT 'l', language_id, " + r.schema.col("l", "language", "code") + " FROM " + r.t("language") + " l"
	type language struct {
		id   int
		code string
	}
	var languages []language
	err := r.each(ctx, q, nil, func(rows *sql.Rows) error {
		var tag, k, v string
		if err := rows.Scan(rawOf{&tag}, rawOf{&k}, rawOf{&v}); err != nil {
			return err
		}
		if tag == "s" {
			values[k] = v
			return nil
		}
		id, err := strconv.Atoi(k)
		languages = append(languages, language{id, v})
		return err
	})
	if err != nil {
		return err
	}
	slices.SortFunc(languages, func(a, b language) int { return cmp.Compare(a.id, b.id) })
	s := &lk.settings
	s.Currency = strings.TrimSpace(values["config_currency"])
	s.Tax = strings.TrimSpace(values["config_tax"]) == "1"
	s.Name = DecodeText(values["config_name"])
	s.InvoicePrefix = DecodeText(values["config_invoice_prefix"])
	s.OrderStatusID, _ = strconv.Atoi(strings.TrimSpace(values["config_order_status_id"]))
	s.ProcessingStatusIDs = statusList(values["config_processing_status"])
	s.CompleteStatusIDs = statusList(values["config_complete_status"])
	s.Timezone = strings.TrimSpace(values["config_timezone"])
	if s.Timezone == "" {
		s.Timezone = "UTC"
	}
	admin := firstNonEmpty(values["config_language_admin"], values["config_admin_language"],
		values["config_language"], values["config_language_catalog"])
	for _, l := range languages {
		// The admin language wins; otherwise the lowest id.
		if s.LanguageID == 0 || strings.EqualFold(l.code, admin) && !strings.EqualFold(s.LanguageCode, admin) {
			s.LanguageID, s.LanguageCode = l.id, l.code
		}
	}
	return nil
}

// statusList reads a serialized status setting: a JSON array of ids written
// as strings (["5","1"]); numbers are accepted too.
func statusList(raw string) []int {
	var items []any
	if err := json.Unmarshal([]byte(raw), &items); err != nil {
		return nil
	}
	out := make([]int, 0, len(items))
	for _, it := range items {
		var n int
		switch v := it.(type) {
		case string:
			n, _ = strconv.Atoi(strings.TrimSpace(v))
		case float64:
			n = int(v)
		}
		if n > 0 {
			out = append(out, n)
		}
	}
	return out
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// loadNames reads every status, action, reason and customer group name in
// one query.
func (r *Reader) loadNames(ctx context.Context, lk *lookups) error {
	parts := make([]string, 0, 5)
	for _, table := range []string{nameOrderStatus, nameReturnStatus, nameReturnAction, nameReturnReason, nameCustomerGroup} {
		idCol := strings.TrimSuffix(table, "_description") + "_id"
		parts = append(parts, fmt.Sprintf("SELECT '%s', n.`%s`, %s, %s FROM %s n", table, idCol,
			r.schema.col("n", table, "language_id"), r.schema.col("n", table, "name"), r.t(table)))
		lk.names[table] = nameSet{}
	}
	return r.each(ctx, strings.Join(parts, " UNION ALL "), nil, func(rows *sql.Rows) error {
		var table, name string
		var id, lang int
		if err := rows.Scan(rawOf{&table}, intOf{&id}, intOf{&lang}, textOf{&name}); err != nil {
			return err
		}
		lk.names[table].put(id, name, lang == lk.language())
		return nil
	})
}

// loadPlaces reads country and zone names; 4.1 keeps them in description
// tables, one row per language.
func (r *Reader) loadPlaces(ctx context.Context, lk *lookups) error {
	var queries []func() error
	for _, kind := range []struct {
		table, codes string
		into         map[int]place
	}{
		{"country", "c.iso_code_2, c.iso_code_3", lk.countries},
		{"zone", "c.code, ''", lk.zones},
	} {
		q := fmt.Sprintf("SELECT c.%s_id, %s, 0, %s FROM %s c", kind.table, r.schema.col("c", kind.table, "name"), kind.codes, r.t(kind.table))
		if desc := kind.table + "_description"; !r.schema.HasColumn(kind.table, "name") && r.schema.HasTable(desc) {
			q = fmt.Sprintf("SELECT c.%[1]s_id, d.name, COALESCE(d.language_id, 0), %[2]s FROM %[3]s c LEFT JOIN %[4]s d ON d.%[1]s_id = c.%[1]s_id",
				kind.table, kind.codes, r.t(kind.table), r.t(desc))
		}
		preferred := map[int]bool{}
		queries = append(queries, func() error {
			return r.each(ctx, q, nil, func(rows *sql.Rows) error {
				var id, lang int
				var p place
				if err := rows.Scan(intOf{&id}, textOf{&p.name}, intOf{&lang}, textOf{&p.code}, textOf{&p.code3}); err != nil {
					return err
				}
				if _, seen := kind.into[id]; seen && (preferred[id] || lang != lk.language()) {
					return nil
				}
				kind.into[id], preferred[id] = p, lang == lk.language()
				return nil
			})
		})
	}
	return parallel(queries)
}

func (r *Reader) loadCurrencies(ctx context.Context, lk *lookups) error {
	q := "SELECT currency_id, " + r.schema.col("c", "currency", "code") + ", " + r.schema.col("c", "currency", "title") + ", " +
		r.schema.col("c", "currency", "decimal_place") + ", CAST(c.value AS DECIMAL(20,8)), " + r.schema.col("c", "currency", "status") +
		" FROM " + r.t("currency") + " c ORDER BY currency_id"
	var base []string
	err := r.each(ctx, q, nil, func(rows *sql.Rows) error {
		var c Currency
		var dp string
		if err := rows.Scan(intOf{&c.ID}, textOf{&c.Code}, textOf{&c.Title}, rawOf{&dp}, decimalOf{&c.Value}, boolOf{&c.Enabled}); err != nil {
			return err
		}
		c.DecimalPlaces = 2
		if n, err := strconv.Atoi(strings.TrimSpace(dp)); err == nil {
			c.DecimalPlaces = n
		}
		if c.Value.Equal(decimal.NewFromInt(1)) {
			base = append(base, c.Code)
		}
		if _, dup := lk.currencies[c.Code]; !dup {
			lk.currencies[c.Code] = c
		}
		return nil
	})
	if err != nil {
		return err
	}
	<-lk.settingsRead // the default currency settles a tie
	lk.settings.BaseCurrency = strings.Join(base, ",")
	if len(base) > 1 {
		for _, code := range base {
			if code == lk.settings.Currency {
				lk.settings.BaseCurrency = code
			}
		}
	}
	return nil
}

// decimalPlaces is the number of decimals shown for a currency, read from
// today's currency row; 2 when the row is gone.
func (lk *lookups) decimalPlaces(code string) int {
	if c, ok := lk.currencies[code]; ok {
		return c.DecimalPlaces
	}
	return 2
}
