package octest

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// DefaultDate is the date_added of records added without one.
var DefaultDate = time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)

// Customer is a customer account to add. Text is what a person typed; it
// is stored encoded the way OpenCart stores it, unless Raw is set.
type Customer struct {
	ID                                    int // 0: the next free id
	GroupID                               int // 0: GroupDefault
	StoreID                               int
	FirstName, LastName, Email, Telephone string
	Disabled                              bool
	Newsletter                            bool
	DateAdded                             time.Time
	CustomFields                          map[string]any
	Addresses                             []Address
	// Raw says the text is already in OpenCart's stored (encoded) form.
	Raw bool
}

// Address is an address-book entry of a customer.
type Address struct {
	FirstName, LastName, Company, Address1, Address2, City, Postcode string
	CountryID, ZoneID                                                int
	Default                                                          bool
	CustomFields                                                     map[string]any
}

// Order is an order to add, with explicit lines and totals (the builder
// computes nothing but the defaults noted). Money is decimal text.
type Order struct {
	ID       int // 0: the next free id
	StatusID int // 0 is a "missing order"
	StoreID  int
	// StoreName defaults to the fixture's config_name.
	StoreName, StoreURL string
	InvoicePrefix       string // "" : "INV-2024-00"
	InvoiceNo           int
	TransactionID       string // 4.x
	// SubscriptionID links a 4.0.2+ renewal order to its subscription.
	SubscriptionID int

	CustomerID, CustomerGroupID           int // group 0: GroupDefault
	FirstName, LastName, Email, Telephone string
	CustomFields                          map[string]any
	Payment, Shipping                     OrderAddress
	PaymentMethod, ShippingMethod         Method
	Comment                               string

	// Total is order.total; "" takes the "total" row's value, or the sum
	// of the rows when there is none.
	Total         string
	CurrencyCode  string // "" : GBP
	CurrencyValue string // "" : 1.00000000
	AffiliateID   int
	Commission    string
	DateAdded     time.Time // zero: DefaultDate
	DateModified  time.Time // zero: DateAdded

	Products []Product
	Totals   []Total
	Vouchers []Voucher
	// History defaults to one row entering StatusID at DateAdded (none for
	// a missing order).
	History []History
	// Raw says the text is already in OpenCart's stored (encoded) form.
	Raw bool
}

// OrderAddress is a payment or shipping address on an order. Country and
// Zone are the names copied onto the order.
type OrderAddress struct {
	AddressID                                                        int
	FirstName, LastName, Company, Address1, Address2, City, Postcode string
	Country                                                          string
	CountryID                                                        int
	Zone                                                             string
	ZoneID                                                           int
	CustomFields                                                     map[string]any
}

// Method is a payment or shipping method. Cost and TaxClassID are kept
// only where the family stores them (4.0.2+ shipping JSON).
type Method struct {
	Title, Code string
	Cost        string
	TaxClassID  int
}

// Product is an order line. Total "" is Price × Quantity.
type Product struct {
	ProductID, MasterID int
	Name, Model         string
	Quantity            int
	Price, Total, Tax   string
	Reward              int
	Options             []ProductOption
}

// ProductOption is a product option chosen in an order.
type ProductOption struct{ Name, Value, Type string }

// Total is an order_total row.
type Total struct {
	Code, Title, Value string
	SortOrder          int
}

// TotalRow is an order_total row, for short literals in other packages.
func TotalRow(code, title, value string, sortOrder int) Total {
	return Total{Code: code, Title: title, Value: value, SortOrder: sortOrder}
}

// Voucher is a gift voucher bought in an order (3.0 and 4.0 only).
type Voucher struct {
	Code, Description, FromName, FromEmail, ToName, ToEmail, Message, Amount string
}

// History is an order status change.
type History struct {
	StatusID  int
	Comment   string
	Notify    bool
	DateAdded time.Time
}

// Return is a product return.
type Return struct {
	ID, OrderID, ProductID, CustomerID    int
	FirstName, LastName, Email, Telephone string
	Product, Model                        string
	Quantity                              int
	Opened                                bool
	ReasonID, ActionID, StatusID          int
	Comment                               string
	DateOrdered                           time.Time // zero: stored as OpenCart does (0000-00-00, NULL on 4.1)
	DateAdded, DateModified               time.Time
	Raw                                   bool
}

func dateText(t, fallback time.Time) string {
	if t.IsZero() {
		t = fallback
	}
	return t.Format(time.DateTime)
}

func text(raw bool, s string) string {
	if raw {
		return s
	}
	return opencart.EncodeText(s)
}

// jsonText encodes v like PHP json_encode, with strings encoded as typed
// text; an empty map gives "[]" as json_encode(array()) does.
func jsonText(raw bool, v any) string {
	if v == nil {
		return ""
	}
	if m, ok := v.(map[string]any); ok && len(m) == 0 {
		return "[]"
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(encodeStrings(raw, v))
	return string(bytes.TrimSpace(buf.Bytes()))
}

func encodeStrings(raw bool, v any) any {
	switch x := v.(type) {
	case string:
		return text(raw, x)
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = text(raw, s)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = encodeStrings(raw, e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = encodeStrings(raw, e)
		}
		return out
	default:
		return v
	}
}

// AddCustomer adds a customer with its addresses and returns its id.
func (d *DB) AddCustomer(c Customer) int { return d.AddCustomers(c)[0] }

// AddCustomers adds customers in bulk and returns their ids.
func (d *DB) AddCustomers(cs ...Customer) []int {
	d.t.Helper()
	in := d.newInserter(d.SQL)
	nextCustomer, nextAddress := d.nextID("customer", "customer_id"), d.nextID("address", "address_id")
	ids := make([]int, len(cs))
	for i, c := range cs {
		if c.ID == 0 {
			c.ID = nextCustomer
		}
		nextCustomer = max(nextCustomer, c.ID+1)
		ids[i] = c.ID
		defaultAddress := 0
		for _, a := range c.Addresses {
			if a.Default || defaultAddress == 0 && len(c.Addresses) == 1 {
				defaultAddress = nextAddress
			}
			in.add("address", row{"address_id": nextAddress, "customer_id": c.ID, "firstname": text(c.Raw, a.FirstName),
				"lastname": text(c.Raw, a.LastName), "company": text(c.Raw, a.Company), "address_1": text(c.Raw, a.Address1),
				"address_2": text(c.Raw, a.Address2), "city": text(c.Raw, a.City), "postcode": text(c.Raw, a.Postcode),
				"country_id": a.CountryID, "zone_id": a.ZoneID, "custom_field": jsonText(c.Raw, a.CustomFields),
				"default": defaultAddress == nextAddress})
			nextAddress++
		}
		in.add("customer", row{"customer_id": c.ID, "customer_group_id": or(c.GroupID, GroupDefault), "store_id": c.StoreID,
			"language_id": LanguageEnglish, "firstname": text(c.Raw, c.FirstName), "lastname": text(c.Raw, c.LastName),
			"email": text(c.Raw, c.Email), "telephone": text(c.Raw, c.Telephone), "fax": "", "password": "x", "salt": "",
			"newsletter": c.Newsletter, "address_id": defaultAddress, "custom_field": jsonText(c.Raw, c.CustomFields),
			"ip": "127.0.0.1", "status": !c.Disabled, "safe": 0, "token": "", "code": "",
			"date_added": dateText(c.DateAdded, DefaultDate)})
	}
	in.flush()
	return ids
}

func orDate(t, fallback time.Time) time.Time {
	if t.IsZero() {
		return fallback
	}
	return t
}

func or(v, fallback int) int {
	if v == 0 {
		return fallback
	}
	return v
}

func orText(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}

// AddOrder adds an order with its lines and returns its id.
func (d *DB) AddOrder(o Order) int { return d.AddOrders(o)[0] }

// AddOrders adds orders in bulk (multi-row INSERTs in one transaction) and
// returns their ids.
func (d *DB) AddOrders(orders ...Order) []int {
	d.t.Helper()
	tx, err := d.SQL.Begin()
	if err != nil {
		d.t.Fatalf("octest: %v", err)
	}
	defer tx.Rollback()
	in := d.newInserter(tx)
	nextOrder, nextProduct := d.nextID("order", "order_id"), d.nextID("order_product", "order_product_id")
	ids := make([]int, len(orders))
	for i, o := range orders {
		if o.ID == 0 {
			o.ID = nextOrder
		}
		nextOrder = max(nextOrder, o.ID+1)
		ids[i] = o.ID
		d.addOrderRows(in, o, &nextProduct)
	}
	in.flush()
	if err := tx.Commit(); err != nil {
		d.t.Fatalf("octest: %v", err)
	}
	return ids
}

func (d *DB) addOrderRows(in *inserter, o Order, nextProduct *int) {
	t := func(s string) string { return text(o.Raw, s) }
	added := dateText(o.DateAdded, DefaultDate)
	r := row{"order_id": o.ID, "subscription_id": o.SubscriptionID, "invoice_no": o.InvoiceNo, "invoice_prefix": t(orText(o.InvoicePrefix, "INV-2024-00")),
		"transaction_id": t(o.TransactionID), "store_id": o.StoreID, "store_name": orText(o.StoreName, Settings["config_name"]),
		"store_url": orText(o.StoreURL, "https://shop.example/"), "customer_id": o.CustomerID,
		"customer_group_id": or(o.CustomerGroupID, GroupDefault), "firstname": t(o.FirstName), "lastname": t(o.LastName),
		"email": t(o.Email), "telephone": t(o.Telephone), "fax": "", "custom_field": jsonText(o.Raw, o.CustomFields),
		"comment": t(o.Comment), "total": d.orderTotal(o), "order_status_id": o.StatusID, "affiliate_id": o.AffiliateID,
		"commission": orText(o.Commission, "0"), "marketing_id": 0, "tracking": "", "language_id": LanguageEnglish,
		"language_code": "en-gb", "currency_id": d.currencyID(o.CurrencyCode), "currency_code": orText(o.CurrencyCode, "GBP"),
		"currency_value": orText(o.CurrencyValue, "1.00000000"), "ip": "127.0.0.1", "forwarded_ip": "",
		"user_agent": "Mozilla/5.0", "accept_language": "en-GB,en;q=0.9", "date_added": added,
		"date_modified": dateText(o.DateModified, orDate(o.DateAdded, DefaultDate)),
	}
	for prefix, a := range map[string]OrderAddress{"payment_": o.Payment, "shipping_": o.Shipping} {
		r[prefix+"address_id"] = a.AddressID
		r[prefix+"firstname"], r[prefix+"lastname"], r[prefix+"company"] = t(a.FirstName), t(a.LastName), t(a.Company)
		r[prefix+"address_1"], r[prefix+"address_2"], r[prefix+"city"] = t(a.Address1), t(a.Address2), t(a.City)
		r[prefix+"postcode"], r[prefix+"country"], r[prefix+"country_id"] = t(a.Postcode), t(a.Country), a.CountryID
		r[prefix+"zone"], r[prefix+"zone_id"], r[prefix+"address_format"] = t(a.Zone), a.ZoneID, ""
		r[prefix+"custom_field"] = jsonText(o.Raw, a.CustomFields)
	}
	d.storeMethods(r, o)
	in.add("order", r)

	for _, p := range o.Products {
		id := *nextProduct
		*nextProduct++
		total := p.Total
		if total == "" {
			total = decimal.RequireFromString(orText(p.Price, "0")).Mul(decimal.NewFromInt(int64(p.Quantity))).String()
		}
		in.add("order_product", row{"order_product_id": id, "order_id": o.ID, "product_id": p.ProductID, "master_id": p.MasterID,
			"name": t(p.Name), "model": t(p.Model), "quantity": p.Quantity, "price": orText(p.Price, "0"), "total": total,
			"tax": orText(p.Tax, "0"), "reward": p.Reward})
		for _, op := range p.Options {
			in.add("order_option", row{"order_id": o.ID, "order_product_id": id, "product_option_id": 1,
				"product_option_value_id": 0, "name": t(op.Name), "value": t(op.Value), "type": orText(op.Type, "text")})
		}
	}
	for _, tot := range o.Totals {
		in.add("order_total", row{"order_id": o.ID, "extension": "opencart", "code": tot.Code, "title": t(tot.Title),
			"value": tot.Value, "sort_order": tot.SortOrder})
	}
	if len(o.Vouchers) > 0 && d.columns["order_voucher"] == nil {
		d.t.Fatalf("octest: family %s has no gift vouchers", d.Family)
	}
	for _, v := range o.Vouchers {
		in.add("order_voucher", row{"order_id": o.ID, "voucher_id": 0, "description": t(v.Description), "code": t(v.Code),
			"from_name": t(v.FromName), "from_email": t(v.FromEmail), "to_name": t(v.ToName), "to_email": t(v.ToEmail),
			"voucher_theme_id": 1, "message": t(v.Message), "amount": v.Amount})
	}
	history := o.History
	if history == nil && o.StatusID > 0 {
		history = []History{{StatusID: o.StatusID, DateAdded: o.DateAdded}}
	}
	for _, h := range history {
		in.add("order_history", row{"order_id": o.ID, "order_status_id": h.StatusID, "notify": h.Notify,
			"comment": t(h.Comment), "date_added": dateText(h.DateAdded, DefaultDate)})
	}
}

// orderTotal is Order.Total, else the "total" row, else the sum of rows.
func (d *DB) orderTotal(o Order) string {
	if o.Total != "" {
		return o.Total
	}
	sum := decimal.Zero
	for _, t := range o.Totals {
		if t.Code == "total" {
			return t.Value
		}
		sum = sum.Add(decimal.RequireFromString(t.Value))
	}
	return sum.String()
}

func (d *DB) currencyID(code string) int {
	for _, c := range Currencies {
		if c.Code == orText(code, "GBP") {
			return c.ID
		}
	}
	return 0
}

// storeMethods writes the payment and shipping methods the way the family
// stores them: 3.0 title + code columns; 4.0.2+ JSON; an upgraded 4.0 shop
// the plain title with the JSON in payment_custom_field.
func (d *DB) storeMethods(r row, o Order) {
	t := func(s string) string { return text(o.Raw, s) }
	pm, sm := o.PaymentMethod, o.ShippingMethod
	r["payment_code"], r["shipping_code"] = pm.Code, sm.Code
	if d.Family == opencart.Family30 {
		r["payment_method"], r["shipping_method"] = t(pm.Title), t(sm.Title)
		return
	}
	payJSON := ""
	if pm != (Method{}) {
		payJSON = jsonText(o.Raw, map[string]any{"name": pm.Title, "code": pm.Code})
	}
	shipJSON := ""
	if sm != (Method{}) {
		ship := map[string]any{"code": sm.Code, "name": sm.Title, "cost": orText(sm.Cost, "0.00"), "text": ""}
		if !d.Upgraded {
			ship["tax_class_id"] = strconv.Itoa(sm.TaxClassID)
		}
		shipJSON = jsonText(o.Raw, ship)
	}
	r["payment_method"], r["shipping_method"] = payJSON, shipJSON
	if d.Upgraded && pm != (Method{}) {
		r["payment_method"], r["payment_custom_field"] = t(pm.Title), payJSON
	}
}

// AddReturn adds a product return and returns its id.
func (d *DB) AddReturn(rt Return) int {
	d.t.Helper()
	if rt.ID == 0 {
		rt.ID = d.nextID("return", "return_id")
	}
	t := func(s string) string { return text(rt.Raw, s) }
	r := row{"return_id": rt.ID, "order_id": rt.OrderID, "product_id": rt.ProductID, "customer_id": rt.CustomerID,
		"firstname": t(rt.FirstName), "lastname": t(rt.LastName), "email": t(rt.Email), "telephone": t(rt.Telephone),
		"product": t(rt.Product), "model": t(rt.Model), "quantity": rt.Quantity, "opened": rt.Opened,
		"return_reason_id": rt.ReasonID, "return_action_id": rt.ActionID, "return_status_id": or(rt.StatusID, ReturnStatusPending),
		"comment": t(rt.Comment), "date_added": dateText(rt.DateAdded, DefaultDate), "date_modified": dateText(rt.DateModified, DefaultDate)}
	if !rt.DateOrdered.IsZero() {
		r["date_ordered"] = rt.DateOrdered.Format(time.DateOnly)
	}
	d.insert("return", r)
	return rt.ID
}

// DeleteCustomer removes a customer and its addresses, as the admin does,
// leaving its orders pointing at a customer that is gone.
func (d *DB) DeleteCustomer(id int) {
	d.Exec("DELETE FROM {prefix}customer WHERE customer_id = ?", id)
	d.Exec("DELETE FROM {prefix}address WHERE customer_id = ?", id)
}
