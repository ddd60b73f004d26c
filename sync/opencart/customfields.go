package opencart

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// DefaultTaxNumberFields are the custom field names recognised as a VAT or
// tax number when the bookkeeper chose none. Names are compared without
// regard to case, spaces and punctuation ("VAT-ID" is "vat id").
var DefaultTaxNumberFields = []string{
	"VAT Number", "VAT No", "VAT ID", "VAT Reg No", "VAT Registration Number", "EU VAT Number", "Company VAT",
	"USt-IdNr", "USt-ID", "Tax ID", "Tax Number", "Tax No", "TVA", "Partita IVA", "NIF", "CIF", "BTW Nummer",
	"GST Number", "ABN",
}

// CustomField is one custom field the shop defines (Customers › Custom
// Fields). Its values are stored by ID in the custom_field JSON columns of
// customers, addresses and orders (docs/OPENCART.md §1.2).
type CustomField struct {
	ID   int    `json:"custom_field_id"`
	Name string `json:"name"` // in the admin language
	// Location is "account" (customer.custom_field, order.custom_field)
	// or "address" (address, payment_ and shipping_custom_field).
	Location string `json:"location"`
	Type     string `json:"type"`
	Enabled  bool   `json:"enabled"`
	// TaxNumber says its value is taken as the customer's VAT or tax
	// number (Contact.TaxNumber in Xero).
	TaxNumber bool `json:"tax_number"`
}

// normalFieldName is a name compared without case, spaces or punctuation.
func normalFieldName(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// SetTaxNumberFields chooses the custom field names whose values are a
// VAT or tax number (none given: DefaultTaxNumberFields). Call it before
// reading; later reads fill Order.TaxNumber and Customer.TaxNumber from
// them.
func (r *Reader) SetTaxNumberFields(names []string) {
	set := taxFieldSet(names)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.taxFields = set
}

func taxFieldSet(names []string) map[string]bool {
	set := map[string]bool{}
	if len(names) == 0 {
		names = DefaultTaxNumberFields
	}
	for _, n := range names {
		if k := normalFieldName(n); k != "" {
			set[k] = true
		}
	}
	return set
}

func (r *Reader) taxNumberNames() map[string]bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.taxFields == nil {
		r.taxFields = taxFieldSet(nil)
	}
	return r.taxFields
}

// CustomFields lists the shop's custom fields by id, each marked when its
// value is taken as a tax number.
func (r *Reader) CustomFields(ctx context.Context) ([]CustomField, error) {
	lk, err := r.lookups(ctx)
	if err != nil {
		return nil, err
	}
	names := r.taxNumberNames()
	out := make([]CustomField, 0, len(lk.customFields))
	for _, f := range lk.customFields {
		f.TaxNumber = names[normalFieldName(f.Name)]
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// loadCustomFields reads the custom fields and their names, preferring the
// admin language. A shop without the tables (or with none) has none.
func (r *Reader) loadCustomFields(ctx context.Context, lk *lookups) error {
	lk.customFields = map[int]CustomField{}
	if !r.schema.HasTable("custom_field") || !r.schema.HasTable("custom_field_description") {
		return nil
	}
	c := func(name string) string { return r.schema.col("c", "custom_field", name) }
	q := fmt.Sprintf("SELECT c.custom_field_id, %s, %s, %s, COALESCE(d.language_id, 0), d.name FROM %s c LEFT JOIN %s d ON d.custom_field_id = c.custom_field_id ORDER BY c.custom_field_id",
		c("location"), c("type"), c("status"), r.t("custom_field"), r.t("custom_field_description"))
	preferred := map[int]bool{}
	return r.each(ctx, q, nil, func(rows *sql.Rows) error {
		var f CustomField
		var lang int
		if err := rows.Scan(intOf{&f.ID}, textOf{&f.Location}, textOf{&f.Type}, boolOf{&f.Enabled}, intOf{&lang}, textOf{&f.Name}); err != nil {
			return err
		}
		if _, seen := lk.customFields[f.ID]; seen && (preferred[f.ID] || lang != lk.language()) {
			return nil
		}
		lk.customFields[f.ID], preferred[f.ID] = f, lang == lk.language()
		return nil
	})
}

// taxNumberIn is the first tax-number value among the custom field maps,
// in the order given: the value of a field whose name is recognised, as
// text (a checkbox's list is not a number and is skipped).
func (lk *lookups) taxNumberIn(names map[string]bool, maps ...map[string]any) string {
	if len(lk.customFields) == 0 {
		return ""
	}
	for _, m := range maps {
		ids := make([]string, 0, len(m))
		for id := range m {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			var n int
			if _, err := fmt.Sscan(id, &n); err != nil {
				continue
			}
			f, ok := lk.customFields[n]
			if !ok || !names[normalFieldName(f.Name)] {
				continue
			}
			if v := strings.TrimSpace(jsonString(m, id)); v != "" {
				return v
			}
		}
	}
	return ""
}
