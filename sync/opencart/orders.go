package opencart

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"
)

// Order is one OpenCart order. Amounts are in the shop's base currency;
// CurrencyCode and CurrencyValue are the currency the customer saw and its
// rate at order time. Dates are the store's wall-clock time (see
// Settings.Timezone).
type Order struct {
	ID             int    `json:"order_id"`
	InvoicePrefix  string `json:"invoice_prefix"`
	InvoiceNo      int    `json:"invoice_no"` // 0 = no invoice number generated
	StoreID        int    `json:"store_id"`
	StoreName      string `json:"store_name"`
	StoreURL       string `json:"store_url"`
	SubscriptionID int    `json:"subscription_id,omitempty"`
	TransactionID  string `json:"transaction_id,omitempty"` // 4.x

	// CustomerID is 0 for a guest.
	CustomerID int `json:"customer_id"`
	// CustomerDeleted is true when CustomerID names a customer that no
	// longer exists.
	CustomerDeleted bool           `json:"customer_deleted"`
	CustomerGroupID int            `json:"customer_group_id"`
	CustomerGroup   string         `json:"customer_group"`
	FirstName       string         `json:"firstname"`
	LastName        string         `json:"lastname"`
	Email           string         `json:"email"`
	Telephone       string         `json:"telephone"`
	CustomFields    map[string]any `json:"custom_fields,omitempty"`
	// TaxNumber is the customer's VAT or tax number, from a custom field
	// recognised by its name (Reader.SetTaxNumberFields; an order with one, to another EU country, is a reverse-charge sale under mapping's VAT classes): the order's own
	// custom fields first, then the payment address's, then the shipping
	// address's; "" when there is none.
	TaxNumber string `json:"tax_number,omitempty"`

	Payment        OrderAddress `json:"payment_address"`
	Shipping       OrderAddress `json:"shipping_address"`
	PaymentMethod  Method       `json:"payment_method"`
	ShippingMethod Method       `json:"shipping_method"`

	Comment  string          `json:"comment"`
	Total    decimal.Decimal `json:"total"`
	StatusID int             `json:"order_status_id"` // 0 = missing order, never exported
	Status   string          `json:"order_status"`
	// StatusUnknown is true when StatusID (> 0) is not in order_status: a
	// module's own status, or a shop migrated without its statuses.
	StatusUnknown bool            `json:"status_unknown,omitempty"`
	AffiliateID   int             `json:"affiliate_id"`
	Commission    decimal.Decimal `json:"commission"`
	LanguageID    int             `json:"language_id"`
	CurrencyCode  string          `json:"currency_code"`
	CurrencyValue decimal.Decimal `json:"currency_value"`
	// CurrencyDecimalPlaces is how many decimals the order currency is
	// shown with (today's currency row; 2 when the row is gone).
	CurrencyDecimalPlaces int       `json:"currency_decimal_places"`
	DateAdded             time.Time `json:"date_added"`
	DateModified          time.Time `json:"date_modified"`

	// The order's lines; empty in list views (OrderList).
	Products []OrderProduct `json:"products,omitempty"`
	Vouchers []OrderVoucher `json:"vouchers,omitempty"` // gift vouchers bought (≤ 4.0)
	Totals   []OrderTotal   `json:"totals,omitempty"`   // in sort order
	History  []OrderHistory `json:"history,omitempty"`  // oldest first
}

// Guest reports whether the order was placed without an account.
func (o Order) Guest() bool { return o.CustomerID == 0 }

// InvoiceNumber is the invoice number as OpenCart shows it (prefix and
// number), or "" when none was generated.
func (o Order) InvoiceNumber() string {
	if o.InvoiceNo == 0 {
		return ""
	}
	return o.InvoicePrefix + strconv.Itoa(o.InvoiceNo)
}

// OrderAddress is a payment or shipping address copied onto the order.
type OrderAddress struct {
	AddressID    int            `json:"address_id,omitempty"` // 4.0.2+
	FirstName    string         `json:"firstname"`
	LastName     string         `json:"lastname"`
	Company      string         `json:"company"`
	Address1     string         `json:"address_1"`
	Address2     string         `json:"address_2"`
	City         string         `json:"city"`
	Postcode     string         `json:"postcode"`
	Country      string         `json:"country"`
	CountryID    int            `json:"country_id"`
	CountryCode  string         `json:"country_code"` // ISO 3166-1 alpha-2, from the country table
	Zone         string         `json:"zone"`
	ZoneID       int            `json:"zone_id"`
	ZoneCode     string         `json:"zone_code"`
	CustomFields map[string]any `json:"custom_fields,omitempty"`
}

// Empty reports whether no address was collected (4.x may skip the
// payment address).
func (a OrderAddress) Empty() bool {
	return a.FirstName == "" && a.LastName == "" && a.Company == "" && a.Address1 == "" &&
		a.City == "" && a.Postcode == "" && a.CountryID == 0 && a.Country == ""
}

// Method is a payment or shipping method as recorded on the order.
type Method struct {
	Title string `json:"title"`
	Code  string `json:"code"` // e.g. "bank_transfer.bank_transfer", "flat.flat"
	// TaxClassID is the shipping tax class, stored by 4.0.2+ only.
	TaxClassID int `json:"tax_class_id,omitempty"`
}

// OrderProduct is one product line. Price and Total are net of tax; Tax is
// the tax per unit.
type OrderProduct struct {
	ID        int             `json:"order_product_id"`
	ProductID int             `json:"product_id"`
	MasterID  int             `json:"master_id,omitempty"` // 4.x variant parent
	Name      string          `json:"name"`
	Model     string          `json:"model"`
	Quantity  int             `json:"quantity"`
	Price     decimal.Decimal `json:"price"`
	Total     decimal.Decimal `json:"total"`
	Tax       decimal.Decimal `json:"tax"`
	Reward    int             `json:"reward"`
	Options   []OrderOption   `json:"options,omitempty"`
	// TaxClassID is the product's tax class today (product.tax_class_id;
	// orders do not store it): 0 for none, or when the product is gone.
	TaxClassID int `json:"tax_class_id,omitempty"`
}

// OrderOption is a product option chosen in the order (text only; its
// price is inside the product's price).
type OrderOption struct {
	ID                   int    `json:"order_option_id"`
	ProductOptionID      int    `json:"product_option_id"`
	ProductOptionValueID int    `json:"product_option_value_id"`
	Name                 string `json:"name"`
	// Value is the text chosen or typed; for a file upload (Type "file")
	// the uploaded file's name from the upload table, when it is there.
	Value string `json:"value"`
	Type  string `json:"type"`
	// UploadCode is what OpenCart stores as the value of a file upload:
	// the 40-character code of its upload row.
	UploadCode string `json:"upload_code,omitempty"`
}

// OrderTotal is one row of the order's totals (sub-total, shipping,
// coupon, tax, total, …). Values are net of tax except tax rows.
type OrderTotal struct {
	ID        int             `json:"order_total_id"`
	Code      string          `json:"code"`
	Title     string          `json:"title"`
	Value     decimal.Decimal `json:"value"`
	SortOrder int             `json:"sort_order"`
	Extension string          `json:"extension,omitempty"` // 4.x, "opencart" for the core totals
}

// OrderVoucher is a gift voucher bought in the order.
type OrderVoucher struct {
	ID          int             `json:"order_voucher_id"`
	VoucherID   int             `json:"voucher_id"`
	Description string          `json:"description"`
	Code        string          `json:"code"`
	FromName    string          `json:"from_name"`
	FromEmail   string          `json:"from_email"`
	ToName      string          `json:"to_name"`
	ToEmail     string          `json:"to_email"`
	Amount      decimal.Decimal `json:"amount"`
}

// OrderHistory is one status change of an order.
type OrderHistory struct {
	ID        int       `json:"order_history_id"`
	StatusID  int       `json:"order_status_id"`
	Status    string    `json:"order_status"`
	Notify    bool      `json:"notify"`
	Comment   string    `json:"comment"`
	DateAdded time.Time `json:"date_added"`
}

// OrderFilter chooses orders. Orders with status 0 ("missing orders") are
// never returned by a filter. Times are compared as store wall-clock time.
type OrderFilter struct {
	IDs []int
	// ExceptIDs leaves these orders out (e.g. those already in Xero).
	ExceptIDs []int
	StatusIDs []int
	// ExcludeStatusIDs leaves these statuses out (with StatusIDs empty:
	// every status but these, statuses missing from order_status included).
	ExcludeStatusIDs []int
	Since            time.Time // date_added >= Since
	Until            time.Time // date_added < Until
	ModifiedSince    time.Time // date_modified >= ModifiedSince
	Search           string    // customer name, e-mail or order id
	// Credited, when set, keeps only the orders that may owe the customer
	// a credit note.
	Credited *CreditFilter
}

// CreditFilter chooses orders that may owe the customer a credit note:
// those in a refund status, and those (in any status) with a product
// return whose action gives money back.
type CreditFilter struct {
	RefundStatusIDs []int
	// ReturnActions are return action names as the shop's admin shows
	// them, compared without regard to case.
	ReturnActions []string
}

// orderWhere is the SQL condition of an order filter.
func (r *Reader) orderWhere(ctx context.Context, f OrderFilter) (*where, error) {
	w := &where{}
	w.add("o.order_status_id > 0")
	w.ids("o.order_id", f.IDs)
	w.notIDs("o.order_id", f.ExceptIDs)
	w.ids("o.order_status_id", f.StatusIDs)
	if len(f.ExcludeStatusIDs) > 0 {
		in, args := inList(f.ExcludeStatusIDs)
		w.add("o.order_status_id NOT IN "+in, args...)
	}
	w.dateRange("o.date_added", f.Since, f.Until)
	if !f.ModifiedSince.IsZero() {
		w.add("o.date_modified >= ?", wallClock(f.ModifiedSince))
	}
	w.search(f.Search, "o", "order_id")
	if c := f.Credited; c != nil {
		var parts []string
		var args []any
		if len(c.RefundStatusIDs) > 0 {
			in, a := inList(c.RefundStatusIDs)
			parts, args = append(parts, "o.order_status_id IN "+in), append(args, a...)
		}
		if len(c.ReturnActions) > 0 && r.schema.HasColumn("return", "return_action_id") {
			lk, err := r.lookups(ctx)
			if err != nil {
				return nil, err
			}
			var actions []int
			for id, n := range lk.names[nameReturnAction] {
				for _, name := range c.ReturnActions {
					if strings.EqualFold(strings.TrimSpace(n.name), strings.TrimSpace(name)) {
						actions = append(actions, id)
					}
				}
			}
			if len(actions) > 0 {
				slices.Sort(actions)
				in, a := inList(actions)
				parts = append(parts, "o.order_id IN (SELECT rt.`order_id` FROM "+r.t("return")+" rt WHERE rt.`return_action_id` IN "+in+")")
				args = append(args, a...)
			}
		}
		if len(parts) == 0 {
			w.add("1 = 0")
		} else {
			w.add("("+strings.Join(parts, " OR ")+")", args...)
		}
	}
	return w, nil
}

// Orders streams the orders the filter chooses, in order id order, with
// all their lines. Each page costs a fixed number of queries.
func (r *Reader) Orders(ctx context.Context, f OrderFilter) iter.Seq2[Order, error] {
	return stream(ctx, r.pageSize, func(o Order) int { return o.ID },
		func(ctx context.Context, after, limit int) ([]Order, error) {
			w, err := r.orderWhere(ctx, f)
			if err != nil {
				return nil, err
			}
			w.add("o.order_id > ?", after)
			return r.readOrders(ctx, w, " ORDER BY o.order_id LIMIT "+strconv.Itoa(limit), true)
		})
}

// OrderIDs lists the ids of the orders the filter chooses, in id order:
// narrow rows only.
func (r *Reader) OrderIDs(ctx context.Context, f OrderFilter) ([]int, error) {
	w, err := r.orderWhere(ctx, f)
	if err != nil {
		return nil, err
	}
	return r.ids(ctx, "SELECT o.order_id FROM "+r.t("order")+" o"+w.sql()+" ORDER BY o.order_id", w.args)
}

// CountOrders counts the orders the filter chooses.
func (r *Reader) CountOrders(ctx context.Context, f OrderFilter) (int, error) {
	w, err := r.orderWhere(ctx, f)
	if err != nil {
		return 0, err
	}
	return r.count(ctx, "order", "o", w)
}

// orderSorts are the sorts the orders list offers, beside the id.
var orderSorts = map[Sort][]sortValue{
	SortDate:  {dateSort("o.date_added")},
	SortTotal: {decimalSort("o.total")},
	SortName:  {textSort("o.lastname"), textSort("o.firstname")},
	SortEmail: {textSort("o.email")},
}

// OrderList reads one page of orders for a list view, without their lines.
func (r *Reader) OrderList(ctx context.Context, f OrderFilter, opt ListOptions) ([]Order, error) {
	orders, _, err := r.OrderPage(ctx, f, opt)
	return orders, err
}

// OrderPage reads one page of orders for a list view, without their
// lines, with each row's key (ListOptions.After reads the next page
// after the last). One statement: the page's ids are chosen in a derived
// table that sorts only narrow rows (however deep the page, OFFSET or
// key), and only the page's full rows are read.
func (r *Reader) OrderPage(ctx context.Context, f OrderFilter, opt ListOptions) ([]Order, []ListKey, error) {
	ls, err := opt.sortOf(orderSorts, "o.order_id")
	if err != nil {
		return nil, nil, err
	}
	w, err := r.orderWhere(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	if err := ls.after(w, opt.After); err != nil {
		return nil, nil, err
	}
	// The primary key is forced: 4.1's order_status_id index would
	// otherwise be chosen for "status > 0", which is much slower here.
	from := " FROM " + r.t("order") + " o JOIN (SELECT o.order_id FROM " + r.t("order") + " o FORCE INDEX (`PRIMARY`)" +
		w.sql() + ls.orderBy() + opt.limit() + ") page ON page.order_id = o.order_id" + ls.orderBy()
	return r.readOrderRows(ctx, from, w.args, ls.exprs(), false)
}

// Order reads one order with its lines, whatever its status (0 included).
func (r *Reader) Order(ctx context.Context, id int) (Order, error) {
	w := &where{}
	w.add("o.order_id = ?", id)
	orders, err := r.readOrders(ctx, w, "", true)
	if err != nil {
		return Order{}, err
	}
	if len(orders) == 0 {
		return Order{}, fmt.Errorf("opencart: order %d: %w", id, ErrNotFound)
	}
	return orders[0], nil
}

func (r *Reader) count(ctx context.Context, table, alias string, w *where) (int, error) {
	n := 0
	err := r.each(ctx, "SELECT COUNT(*) FROM "+r.t(table)+" "+alias+w.sql(), w.args, func(rows *sql.Rows) error {
		return rows.Scan(&n)
	})
	return n, err
}

func (r *Reader) ids(ctx context.Context, q string, args []any) ([]int, error) {
	var ids []int
	err := r.each(ctx, q, args, func(rows *sql.Rows) error {
		var id int
		err := rows.Scan(&id)
		ids = append(ids, id)
		return err
	})
	return ids, err
}

// orderRow is an order as scanned, with the raw JSON-or-text columns that
// are interpreted after the scan.
type orderRow struct {
	Order
	customField                              string
	paymentMethod, paymentCode, paymentCF    string
	shippingMethod, shippingCode, shippingCF string
}

func (r *Reader) orderColumns() columnList[orderRow] {
	s := r.schema
	c := func(name string) string { return s.col("o", "order", name) }
	text := func(name string, p func(*orderRow) *string) column[orderRow] {
		return column[orderRow]{c(name), func(o *orderRow) any { return textOf{p(o)} }}
	}
	raw := func(name string, p func(*orderRow) *string) column[orderRow] {
		return column[orderRow]{c(name), func(o *orderRow) any { return rawOf{p(o)} }}
	}
	num := func(name string, p func(*orderRow) *int) column[orderRow] {
		return column[orderRow]{c(name), func(o *orderRow) any { return intOf{p(o)} }}
	}
	money := func(name string, p func(*orderRow) *decimal.Decimal) column[orderRow] {
		return column[orderRow]{c(name), func(o *orderRow) any { return decimalOf{p(o)} }}
	}
	date := func(name string, p func(*orderRow) *time.Time) column[orderRow] {
		return column[orderRow]{c(name), func(o *orderRow) any { return timeOf{p(o)} }}
	}
	cols := columnList[orderRow]{
		num("order_id", func(o *orderRow) *int { return &o.ID }),
		text("invoice_prefix", func(o *orderRow) *string { return &o.InvoicePrefix }),
		num("invoice_no", func(o *orderRow) *int { return &o.InvoiceNo }),
		num("store_id", func(o *orderRow) *int { return &o.StoreID }),
		text("store_name", func(o *orderRow) *string { return &o.StoreName }),
		text("store_url", func(o *orderRow) *string { return &o.StoreURL }),
		num("subscription_id", func(o *orderRow) *int { return &o.SubscriptionID }),
		text("transaction_id", func(o *orderRow) *string { return &o.TransactionID }),
		num("customer_id", func(o *orderRow) *int { return &o.CustomerID }),
		num("customer_group_id", func(o *orderRow) *int { return &o.CustomerGroupID }),
		text("firstname", func(o *orderRow) *string { return &o.FirstName }),
		text("lastname", func(o *orderRow) *string { return &o.LastName }),
		text("email", func(o *orderRow) *string { return &o.Email }),
		text("telephone", func(o *orderRow) *string { return &o.Telephone }),
		raw("custom_field", func(o *orderRow) *string { return &o.customField }),
		raw("payment_method", func(o *orderRow) *string { return &o.paymentMethod }),
		raw("payment_code", func(o *orderRow) *string { return &o.paymentCode }),
		raw("payment_custom_field", func(o *orderRow) *string { return &o.paymentCF }),
		raw("shipping_method", func(o *orderRow) *string { return &o.shippingMethod }),
		raw("shipping_code", func(o *orderRow) *string { return &o.shippingCode }),
		raw("shipping_custom_field", func(o *orderRow) *string { return &o.shippingCF }),
		text("comment", func(o *orderRow) *string { return &o.Comment }),
		money("total", func(o *orderRow) *decimal.Decimal { return &o.Total }),
		num("order_status_id", func(o *orderRow) *int { return &o.StatusID }),
		num("affiliate_id", func(o *orderRow) *int { return &o.AffiliateID }),
		money("commission", func(o *orderRow) *decimal.Decimal { return &o.Commission }),
		num("language_id", func(o *orderRow) *int { return &o.LanguageID }),
		text("currency_code", func(o *orderRow) *string { return &o.CurrencyCode }),
		money("currency_value", func(o *orderRow) *decimal.Decimal { return &o.CurrencyValue }),
		date("date_added", func(o *orderRow) *time.Time { return &o.DateAdded }),
		date("date_modified", func(o *orderRow) *time.Time { return &o.DateModified }),
		// Whether the order's customer row is gone, in the same statement.
		{"(o.customer_id > 0 AND NOT EXISTS (SELECT 1 FROM " + r.t("customer") + " dc WHERE dc.customer_id = o.customer_id))",
			func(o *orderRow) any { return boolOf{&o.CustomerDeleted} }},
	}
	for _, side := range []struct {
		prefix string
		addr   func(*orderRow) *OrderAddress
	}{
		{"payment_", func(o *orderRow) *OrderAddress { return &o.Payment }},
		{"shipping_", func(o *orderRow) *OrderAddress { return &o.Shipping }},
	} {
		a := side.addr
		cols = append(cols,
			num(side.prefix+"address_id", func(o *orderRow) *int { return &a(o).AddressID }),
			text(side.prefix+"firstname", func(o *orderRow) *string { return &a(o).FirstName }),
			text(side.prefix+"lastname", func(o *orderRow) *string { return &a(o).LastName }),
			text(side.prefix+"company", func(o *orderRow) *string { return &a(o).Company }),
			text(side.prefix+"address_1", func(o *orderRow) *string { return &a(o).Address1 }),
			text(side.prefix+"address_2", func(o *orderRow) *string { return &a(o).Address2 }),
			text(side.prefix+"city", func(o *orderRow) *string { return &a(o).City }),
			text(side.prefix+"postcode", func(o *orderRow) *string { return &a(o).Postcode }),
			text(side.prefix+"country", func(o *orderRow) *string { return &a(o).Country }),
			num(side.prefix+"country_id", func(o *orderRow) *int { return &a(o).CountryID }),
			text(side.prefix+"zone", func(o *orderRow) *string { return &a(o).Zone }),
			num(side.prefix+"zone_id", func(o *orderRow) *int { return &a(o).ZoneID }),
		)
	}
	return cols
}

// readOrders reads the orders matching w (tail adds ORDER BY/LIMIT), and
// with lines=true their products, options, totals, vouchers and history:
// a fixed number of queries whatever the number of orders.
func (r *Reader) readOrders(ctx context.Context, w *where, tail string, lines bool) ([]Order, error) {
	orders, _, err := r.readOrderRows(ctx, " FROM "+r.t("order")+" o"+w.sql()+tail, w.args, nil, lines)
	return orders, err
}

// readOrderRows reads "SELECT <order columns>, keys… " + from (alias o),
// with each row's list key when keys are given, and with lines=true the
// orders' lines.
func (r *Reader) readOrderRows(ctx context.Context, from string, args []any, keys []string, lines bool) ([]Order, []ListKey, error) {
	lk, err := r.lookups(ctx)
	if err != nil {
		return nil, nil, err
	}
	cols := r.orderColumns()
	taxNames := r.taxNumberNames()
	q := "SELECT " + cols.sql()
	if len(keys) > 0 {
		q += ", " + strings.Join(keys, ", ")
	}
	var orders []Order
	var listKeys []ListKey
	err = r.each(ctx, q+from, args, func(rows *sql.Rows) error {
		var row orderRow
		key := ListKey{Values: make([]string, len(keys))}
		extra := make([]any, len(keys))
		for i := range keys {
			extra[i] = rawOf{&key.Values[i]}
		}
		if err := cols.scan(rows, &row, extra...); err != nil {
			return err
		}
		orders = append(orders, row.finish(lk, taxNames))
		key.ID = row.ID
		listKeys = append(listKeys, key)
		return nil
	})
	if err != nil || len(orders) == 0 || !lines {
		return orders, listKeys, err
	}
	var pl pageLines
	if err := parallel(r.lineQueries(ctx, lk, orders, &pl)); err != nil {
		return nil, nil, err
	}
	pl.attach(orders)
	if err := r.nameUploads(ctx, orders); err != nil {
		return nil, nil, err
	}
	return orders, listKeys, nil
}

// readNamedOrders reads the orders among ids that w chooses, with their
// lines: the order rows and the lines are asked for side by side, as the
// ids are known before the rows are read (one round trip, not two).
func (r *Reader) readNamedOrders(ctx context.Context, w *where, ids []int) ([]Order, error) {
	lk, err := r.lookups(ctx)
	if err != nil {
		return nil, err
	}
	var orders []Order
	var pl pageLines
	queries := append(r.linesOf(ctx, lk, ids, &pl), func() (err error) {
		orders, _, err = r.readOrderRows(ctx, " FROM "+r.t("order")+" o"+w.sql()+" ORDER BY o.order_id", w.args, nil, false)
		return err
	})
	if err := parallel(queries); err != nil {
		return nil, err
	}
	if len(orders) == 0 {
		return nil, nil
	}
	pl.attach(orders)
	if err := r.nameUploads(ctx, orders); err != nil {
		return nil, err
	}
	return orders, nil
}

// paymentMethodOf is the order's payment method: payment_code beside a
// title, or the JSON of payment_method. A shop upgraded to 4.0.2+ keeps
// the old title in payment_method and the converted {"name","code"} JSON
// in payment_custom_field.
func (row *orderRow) paymentMethodOf() Method {
	m := parseMethod(row.paymentMethod, row.paymentCode)
	if m.Code == "" {
		if cf, ok := methodFromJSON(decodeCustomFields(row.paymentCF)); ok {
			if m.Title == "" {
				m.Title = cf.Title
			}
			m.Code = cf.Code
		}
	}
	return m
}

// finish interprets the raw columns: JSON, methods, names from lookups.
func (row *orderRow) finish(lk *lookups, taxNames map[string]bool) Order {
	o := row.Order
	o.CustomFields = decodeCustomFields(row.customField)
	o.Payment.CustomFields = decodeCustomFields(row.paymentCF)
	o.Shipping.CustomFields = decodeCustomFields(row.shippingCF)
	o.PaymentMethod = row.paymentMethodOf()
	if _, ok := methodFromJSON(o.Payment.CustomFields); ok && o.PaymentMethod.Code != "" && parseMethod(row.paymentMethod, row.paymentCode).Code == "" {
		o.Payment.CustomFields = nil // it held the method, not custom fields
	}
	o.ShippingMethod = parseMethod(row.shippingMethod, row.shippingCode)
	o.Status = lk.names[nameOrderStatus].get(o.StatusID)
	_, known := lk.names[nameOrderStatus][o.StatusID]
	o.StatusUnknown = o.StatusID > 0 && !known
	o.TaxNumber = lk.taxNumberIn(taxNames, o.CustomFields, o.Payment.CustomFields, o.Shipping.CustomFields)
	o.CustomerGroup = lk.names[nameCustomerGroup].get(o.CustomerGroupID)
	o.CurrencyDecimalPlaces = lk.decimalPlaces(o.CurrencyCode)
	lk.fillPlaces(&o.Payment.Country, &o.Payment.CountryCode, o.Payment.CountryID, &o.Payment.Zone, &o.Payment.ZoneCode, o.Payment.ZoneID)
	lk.fillPlaces(&o.Shipping.Country, &o.Shipping.CountryCode, o.Shipping.CountryID, &o.Shipping.Zone, &o.Shipping.ZoneCode, o.Shipping.ZoneID)
	return o
}

// fillPlaces adds country and zone codes, and the names when the order
// row has none.
func (lk *lookups) fillPlaces(country, countryCode *string, countryID int, zone, zoneCode *string, zoneID int) {
	if c, ok := lk.countries[countryID]; ok && countryID != 0 {
		*countryCode = c.code
		if *country == "" {
			*country = c.name
		}
	}
	if z, ok := lk.zones[zoneID]; ok && zoneID != 0 {
		*zoneCode = z.code
		if *zone == "" {
			*zone = z.name
		}
	}
}

// parseMethod reads a payment or shipping method: 4.0.2+ JSON
// ({"name","code",…}) in the method column, or (3.0, 4.0.0-4.0.1) a plain
// title with the code in its own column. ”, '[]' and text are tolerated.
func parseMethod(method, code string) Method {
	trimmed := strings.TrimSpace(method)
	if strings.HasPrefix(trimmed, "{") || strings.HasPrefix(trimmed, "[") {
		obj, _ := decodeJSON(trimmed).(map[string]any)
		m, _ := methodFromJSON(obj)
		if m.Code == "" {
			m.Code = DecodeText(code)
		}
		return m
	}
	return Method{Title: DecodeText(method), Code: DecodeText(code)}
}

func methodFromJSON(obj map[string]any) (Method, bool) {
	m := Method{Title: jsonString(obj, "name"), Code: jsonString(obj, "code")}
	if m.Title == "" {
		m.Title = jsonString(obj, "title")
	}
	m.TaxClassID, _ = strconv.Atoi(jsonString(obj, "tax_class_id"))
	return m, m.Code != "" && len(obj) > 0
}

// pageLines are the lines of a page of orders as read, keyed by order id
// (options by order_product_id), before they are attached to the orders.
type pageLines struct {
	products []keyed[OrderProduct]
	options  []keyed[OrderOption]
	totals   []keyed[OrderTotal]
	vouchers []keyed[OrderVoucher]
	history  []keyed[OrderHistory]
}

type keyed[T any] struct {
	key  int
	line T
}

// lineQueries returns the queries that read the products, options,
// totals, vouchers and history of a page of orders: one per table for the
// whole page. They may run at the same time; each fills its own slice.
func (r *Reader) lineQueries(ctx context.Context, lk *lookups, orders []Order, into *pageLines) []func() error {
	ids := make([]int, len(orders))
	for i := range orders {
		ids[i] = orders[i].ID
	}
	return r.linesOf(ctx, lk, ids, into)
}

// linesOf returns the queries that read the lines of the orders with
// these ids (ids of orders that are not read are harmless: their lines
// are left unattached).
func (r *Reader) linesOf(ctx context.Context, lk *lookups, ids []int, into *pageLines) []func() error {
	s := r.schema
	in, args := inList(ids)
	// The BETWEEN lets an order_id index narrow the rows before the IN.
	lo, hi := strconv.Itoa(slices.Min(ids)), strconv.Itoa(slices.Max(ids))
	from := func(table, alias string) string {
		return " FROM " + r.t(table) + " " + alias + " WHERE " + alias + ".order_id BETWEEN " + lo + " AND " + hi +
			" AND " + alias + ".order_id IN " + in
	}
	queries := []func() error{
		func() error {
			// The product's tax class is today's (orders do not keep it).
			class, join := "NULL", ""
			if s.HasColumn("product", "tax_class_id") && s.HasColumn("order_product", "product_id") {
				class, join = "pr.tax_class_id", " LEFT JOIN "+r.t("product")+" pr ON pr.product_id = p.product_id"
			}
			return r.each(ctx, "SELECT p.order_id, p.order_product_id, "+s.col("p", "order_product", "product_id")+", "+
				s.col("p", "order_product", "master_id")+", p.name, p.model, "+s.col("p", "order_product", "quantity")+
				", p.price, p.total, p.tax, "+s.col("p", "order_product", "reward")+", "+class+
				strings.Replace(from("order_product", "p"), " WHERE ", join+" WHERE ", 1), args,
				func(rows *sql.Rows) error {
					var k keyed[OrderProduct]
					p := &k.line
					err := rows.Scan(intOf{&k.key}, intOf{&p.ID}, intOf{&p.ProductID}, intOf{&p.MasterID}, textOf{&p.Name},
						textOf{&p.Model}, intOf{&p.Quantity}, decimalOf{&p.Price}, decimalOf{&p.Total}, decimalOf{&p.Tax}, intOf{&p.Reward},
						intOf{&p.TaxClassID})
					into.products = append(into.products, k)
					return err
				})
		},
		func() error {
			return r.each(ctx, "SELECT oo.order_product_id, oo.order_option_id, "+s.col("oo", "order_option", "product_option_id")+", "+
				s.col("oo", "order_option", "product_option_value_id")+", oo.name, oo.value, oo.type"+from("order_option", "oo"), args,
				func(rows *sql.Rows) error {
					var k keyed[OrderOption]
					op := &k.line
					err := rows.Scan(intOf{&k.key}, intOf{&op.ID}, intOf{&op.ProductOptionID}, intOf{&op.ProductOptionValueID},
						textOf{&op.Name}, textOf{&op.Value}, textOf{&op.Type})
					into.options = append(into.options, k)
					return err
				})
		},
		func() error {
			return r.each(ctx, "SELECT t.order_id, t.order_total_id, t.code, t.title, t.value, "+s.col("t", "order_total", "sort_order")+", "+
				s.col("t", "order_total", "extension")+from("order_total", "t"), args, func(rows *sql.Rows) error {
				var k keyed[OrderTotal]
				t := &k.line
				err := rows.Scan(intOf{&k.key}, intOf{&t.ID}, textOf{&t.Code}, textOf{&t.Title}, decimalOf{&t.Value}, intOf{&t.SortOrder}, textOf{&t.Extension})
				into.totals = append(into.totals, k)
				return err
			})
		},
		func() error {
			return r.each(ctx, "SELECT h.order_id, h.order_history_id, "+s.col("h", "order_history", "order_status_id")+", "+
				s.col("h", "order_history", "notify")+", h.comment, h.date_added"+from("order_history", "h"), args,
				func(rows *sql.Rows) error {
					var k keyed[OrderHistory]
					h := &k.line
					err := rows.Scan(intOf{&k.key}, intOf{&h.ID}, intOf{&h.StatusID}, boolOf{&h.Notify}, textOf{&h.Comment}, timeOf{&h.DateAdded})
					h.Status = lk.names[nameOrderStatus].get(h.StatusID)
					into.history = append(into.history, k)
					return err
				})
		},
	}
	if s.HasTable("order_voucher") {
		queries = append(queries, func() error {
			return r.each(ctx, "SELECT v.order_id, v.order_voucher_id, "+s.col("v", "order_voucher", "voucher_id")+", v.description, v.code, "+
				"v.from_name, v.from_email, v.to_name, v.to_email, v.amount"+from("order_voucher", "v"), args, func(rows *sql.Rows) error {
				var k keyed[OrderVoucher]
				v := &k.line
				err := rows.Scan(intOf{&k.key}, intOf{&v.ID}, intOf{&v.VoucherID}, textOf{&v.Description}, textOf{&v.Code},
					textOf{&v.FromName}, textOf{&v.FromEmail}, textOf{&v.ToName}, textOf{&v.ToEmail}, decimalOf{&v.Amount})
				into.vouchers = append(into.vouchers, k)
				return err
			})
		})
	}
	return queries
}

// attach puts the lines on their orders, each list in OpenCart's order.
func (pl *pageLines) attach(orders []Order) {
	byID := make(map[int]*Order, len(orders))
	for i := range orders {
		byID[orders[i].ID] = &orders[i]
	}
	slices.SortFunc(pl.products, func(a, b keyed[OrderProduct]) int { return cmp.Compare(a.line.ID, b.line.ID) })
	for _, k := range pl.products {
		if o := byID[k.key]; o != nil {
			o.Products = append(o.Products, k.line)
		}
	}
	products := map[int]*OrderProduct{}
	for _, o := range byID {
		for i := range o.Products {
			products[o.Products[i].ID] = &o.Products[i]
		}
	}
	slices.SortFunc(pl.options, func(a, b keyed[OrderOption]) int { return cmp.Compare(a.line.ID, b.line.ID) })
	for _, k := range pl.options {
		if p := products[k.key]; p != nil {
			p.Options = append(p.Options, k.line)
		}
	}
	slices.SortFunc(pl.totals, func(a, b keyed[OrderTotal]) int {
		return cmp.Or(cmp.Compare(a.line.SortOrder, b.line.SortOrder), cmp.Compare(a.line.ID, b.line.ID))
	})
	for _, k := range pl.totals {
		if o := byID[k.key]; o != nil {
			o.Totals = append(o.Totals, k.line)
		}
	}
	slices.SortFunc(pl.vouchers, func(a, b keyed[OrderVoucher]) int { return cmp.Compare(a.line.ID, b.line.ID) })
	for _, k := range pl.vouchers {
		if o := byID[k.key]; o != nil {
			o.Vouchers = append(o.Vouchers, k.line)
		}
	}
	slices.SortFunc(pl.history, func(a, b keyed[OrderHistory]) int {
		return cmp.Or(a.line.DateAdded.Compare(b.line.DateAdded), cmp.Compare(a.line.ID, b.line.ID))
	})
	for _, k := range pl.history {
		if o := byID[k.key]; o != nil {
			o.History = append(o.History, k.line)
		}
	}
}

// parallel runs the queries at the same time and returns the first error.
func parallel(queries []func() error) error {
	errs := make([]error, len(queries))
	var wg sync.WaitGroup
	for i, q := range queries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = q()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
