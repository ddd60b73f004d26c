package opencart

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Family is an OpenCart version family, told apart by its tables and columns.
type Family string

// The version families the reader understands.
const (
	Family30 Family = "3.0" // 3.0.x: payment_code/shipping_code columns, utf8 tables
	Family40 Family = "4.0" // 4.0.x: order_total.extension; 4.0.2+ JSON payment/shipping methods
	Family41 Family = "4.1" // 4.1.x: country/zone descriptions, nullable columns, no gift vouchers
)

// MissingTableError says that a table the reader needs is not in the
// database, usually because the table prefix is wrong.
type MissingTableError struct {
	Database string
	Prefix   string
	Table    string // without the prefix
}

func (e *MissingTableError) Error() string {
	return fmt.Sprintf("opencart: table %q not found in database %q (table prefix %q, table %q): check the store's table prefix setting",
		e.Prefix+e.Table, e.Database, e.Prefix, e.Table)
}

// requiredTables are read for every family; "order" comes first so that a
// wrong prefix is reported on the table people recognise.
var requiredTables = []string{
	"order", "order_product", "order_option", "order_total", "order_history", "order_status",
	"customer", "customer_group_description", "address", "currency", "setting", "language",
	"country", "zone", "return", "return_status", "return_action", "return_reason",
	"tax_class", "tax_rate", "tax_rule", "tax_rate_to_customer_group", "geo_zone",
}

// optionalTables exist only in some families.
var optionalTables = []string{"order_voucher", "country_description", "zone_description", "store",
	"coupon", "coupon_history", "coupon_product",
	// subscriptions (renewals.go): 3.0 recurring profiles, 4.0.0–4.0.1 subscription transactions
	"order_recurring", "order_recurring_transaction", "subscription", "subscription_transaction",
	// store credit outside checkout (storecredit.go)
	"customer_transaction",

	// Read for VAT classes (branch vat): a product's tax class, and the
	// places of each geo zone.
	"product", "zone_to_geo_zone",
	// custom fields (VAT numbers) and uploaded files (branch shopdata)
	"upload", "custom_field", "custom_field_description",
	// a return's status changes, for runs that read only what changed (incremental.go)
	"return_history"}

// Schema is what the reader found in the database.
type Schema struct {
	Family   Family `json:"family"`
	Database string `json:"database"`
	Prefix   string `json:"prefix"`
	// Upgraded is true when a 4.x database still holds columns of an older
	// version (e.g. customer.salt), i.e. the shop was upgraded in place.
	Upgraded bool `json:"upgraded"`

	columns map[string]map[string]bool
}

// HasTable reports whether the (unprefixed) table exists.
func (s Schema) HasTable(table string) bool { return s.columns[table] != nil }

// HasColumn reports whether the (unprefixed) table has the column.
func (s Schema) HasColumn(table, column string) bool { return s.columns[table][column] }

// col returns alias.`column` when the column exists, else NULL, which the
// scanners read as the zero value.
func (s Schema) col(alias, table, column string) string {
	if !s.HasColumn(table, column) {
		return "NULL"
	}
	return alias + ".`" + column + "`"
}

// noteColumn records a column the server listed for a prefixed table. The
// names come from the server, which may be hostile: a name shorter than
// the prefix or without it is not one of the shop's tables and is ignored.
// The prefix is compared as MySQL compares table names here, ignoring case.
func (s *Schema) noteColumn(table, column string) {
	if len(table) <= len(s.Prefix) || !strings.EqualFold(table[:len(s.Prefix)], s.Prefix) {
		return
	}
	t := table[len(s.Prefix):]
	if s.columns[t] == nil {
		s.columns[t] = map[string]bool{}
	}
	s.columns[t][column] = true
}

func (r *Reader) detectSchema(ctx context.Context, database, prefix string) (Schema, error) {
	s := Schema{Database: database, Prefix: prefix, columns: map[string]map[string]bool{}}
	all := append(append([]string{}, requiredTables...), optionalTables...)
	names := make([]any, len(all))
	for i, t := range all {
		names[i] = prefix + t
	}
	in, _ := inList(make([]int, len(all)))
	q := "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN " + in
	err := r.each(ctx, q, names, func(rows *sql.Rows) error {
		var table, column string
		if err := rows.Scan(&table, &column); err != nil {
			return err
		}
		s.noteColumn(table, column)
		return nil
	})
	if err != nil {
		return s, err
	}
	for _, t := range requiredTables {
		if !s.HasTable(t) {
			return s, &MissingTableError{Database: database, Prefix: prefix, Table: t}
		}
	}
	switch {
	case !s.HasColumn("order_total", "extension"):
		s.Family = Family30
	case s.HasTable("country_description") || s.HasColumn("customer", "commenter"):
		s.Family = Family41
	default:
		s.Family = Family40
	}
	s.Upgraded = s.Family != Family30 && (s.HasColumn("customer", "salt") || s.HasColumn("customer", "fax"))
	return s, nil
}
