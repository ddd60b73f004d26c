package store

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/mapping/mappingtest"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

// Shop is what the sample shop holds.
type Shop struct {
	// Customers are the ids of the customer accounts; Disabled is one of them.
	Customers []int
	Disabled  int
	// Orders are the orders, in id order, as OpenCart computed them (the
	// mapping corpus), with the shop's people, dates and statuses.
	Orders []opencart.Order
	// Refunded is the order refunded in full; Canceled the one never
	// exported; RefundReturn the return that gives money back and
	// ReplacementReturn the one that does not.
	Refunded, Canceled, RefundReturn, ReplacementReturn int
	// CashOnDelivery are the orders paid in cash on delivery (one Complete,
	// one Shipped, so not paid yet); Book the order of an untaxed
	// (zero-rated) book; VATNumber the VAT number the business customer
	// gave in the shop's "VAT Number" custom field.
	CashOnDelivery []int
	Book           int
	VATNumber      string
}

// Order statuses the sample shop uses (OpenCart's default ids).
const (
	statusPending    = 1
	statusProcessing = 2
	statusShipped    = 3
	statusComplete   = 5
	statusCanceled   = 7
	statusRefunded   = 11

	returnStatusComplete        = 3
	returnActionReplacementSent = 3
)

// Tax rates the corpus charges besides the fixture's VAT (20%) and
// Eco Tax (-2.00); the Canadian GST and PST orders are left out.
var extraTaxRates = []struct {
	id         int
	name, rate string
	typ        string
}{
	{88, "VAT (5%)", "5.0000", "P"},
	{89, "Eco Tax (-0.35)", "0.3500", "F"},
}

type person struct {
	first, last, email, phone, company string
	address1, city, postcode, zone     string
	zoneID                             int
}

// people are the shop's customers (the first twelve have accounts; the
// rest check out as guests).
var people = []person{
	{"Olivia", "Bennett", "olivia.bennett@example.co.uk", "020 7946 0102", "", "14 Elm Row", "London", "N1 9GU", "Greater London", octest.ZoneLondon},
	{"Harry", "Patel", "harry.patel@example.co.uk", "0161 496 0233", "", "3 Mill Lane", "Manchester", "M1 2AB", "Greater Manchester", 0},
	{"Amelia", "Hughes", "amelia.hughes@example.co.uk", "0117 496 0344", "", "27 Clifton Down", "Bristol", "BS8 3HT", "Bristol", 0},
	{"George", "MacLeod", "george.macleod@example.co.uk", "0131 496 0455", "", "8 Leith Walk", "Edinburgh", "EH6 5AA", "Edinburgh", 0},
	{"Isla", "Thompson", "isla.thompson@example.co.uk", "0113 496 0566", "", "61 Headrow", "Leeds", "LS1 6PU", "West Yorkshire", 0},
	{"Noah", "Evans", "noah.evans@example.co.uk", "029 2018 0677", "", "5 Castle Arcade", "Cardiff", "CF10 1BU", "Cardiff", 0},
	{"Ava", "O'Connor", "ava.oconnor@example.co.uk", "01273 496 078", "", "22 North Laine", "Brighton", "BN1 4GH", "East Sussex", 0},
	{"Oliver", "Wright", "oliver.wright@example.co.uk", "01904 496 089", "Wright & Sons Ltd", "9 Stonegate", "York", "YO1 8AS", "North Yorkshire", 0},
	{"Mia", "Clarke", "mia.clarke@example.co.uk", "01603 496 090", "", "40 Elm Hill", "Norwich", "NR3 1HN", "Norfolk", 0},
	{"Jack", "Robinson", "jack.robinson@example.co.uk", "01225 496 011", "", "2 Pulteney Bridge", "Bath", "BA2 4AT", "Somerset", 0},
	{"Sophie", "Walker", "sophie.walker@example.co.uk", "01865 496 022", "", "17 Turl Street", "Oxford", "OX1 3DH", "Oxfordshire", 0},
	{"Leo", "Ahmed", "leo.ahmed@example.co.uk", "01223 496 033", "", "11 Mill Road", "Cambridge", "CB1 2AD", "Cambridgeshire", 0},
	{"Grace", "Kelly", "grace.kelly@example.com", "07700 900123", "", "6 Quay Street", "Bristol", "BS1 4DB", "Bristol", 0},
	{"Thomas", "Murphy", "tom.murphy@example.com", "07700 900456", "", "30 High Street", "Winchester", "SO23 9BL", "Hampshire", 0},
}

const accounts = 12

// business is the customer (in people) who buys for a company and gave
// its VAT number at checkout.
const business = 7

// The book: a product with no tax class, so OpenCart charges no VAT on it
// (books are zero-rated in the UK); only its shipping is taxed.
const (
	bookProductID = 950
	bookModel     = "BK-ROAST"
	bookName      = "The Home Coffee Roaster (paperback)"
	bookPrice     = "18.00"
)

var (
	bankTransfer   = octest.Method{Title: "Bank Transfer", Code: "bank_transfer.bank_transfer"}
	cardPayment    = octest.Method{Title: "Credit / Debit Card (Stripe)", Code: "stripe.stripe"}
	paypal         = octest.Method{Title: "PayPal Checkout", Code: "paypal.paypal"}
	cashOnDelivery = octest.Method{Title: "Cash On Delivery", Code: "cod.cod"}
	flatShipping   = octest.Method{Title: "Flat Shipping Rate", Code: "flat.flat", Cost: "5.00", TaxClassID: octest.TaxClassGoods}
)

// fits says whether a corpus order belongs in a small UK shop: it is not
// one the export must refuse, it is in pounds, euros or dollars, its taxes
// are UK ones, its total is a small shop's and its text fits OpenCart's
// columns (go-mysql-server refuses over-long text where MariaDB cuts it).
func fits(c mappingtest.Case) bool {
	o := c.Order
	if c.WantErr || o.CurrencyCode != "GBP" && o.CurrencyCode != "EUR" && o.CurrencyCode != "USD" ||
		o.Total.GreaterThan(decimal.NewFromInt(5000)) {
		return false
	}
	for _, t := range o.Totals {
		if t.Code == "tax" && (t.Title == "GST" || t.Title == "PST") {
			return false
		}
	}
	for _, p := range o.Products {
		if len([]rune(p.Name)) > 255 {
			return false
		}
	}
	return true
}

// fill creates the sample shop: OpenCart 4.0 tables with a fresh shop's
// rows, the extra tax rates, twelve customers, the fitting corpus orders
// spread over the twelve weeks before anchor, one order refunded, one
// canceled and two returns.
func fill(anchor time.Time) (shop Shop, err error) {
	t := &seedT{}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("demo store: filling the sample shop: %v", r)
		}
		if err == nil && len(t.errs) > 0 {
			err = fmt.Errorf("demo store: filling the sample shop: %s", strings.Join(t.errs, "; "))
		}
	}()
	db := octest.NewDB(t, opencart.Family40, Prefix, octest.Named(Database))
	for _, r := range extraTaxRates {
		db.Exec("INSERT INTO {prefix}tax_rate (tax_rate_id, geo_zone_id, name, rate, type, date_added, date_modified) VALUES (?, ?, ?, ?, ?, ?, ?)",
			r.id, octest.GeoZoneUKVAT, r.name, r.rate, r.typ, "2024-01-01 00:00:00", "2024-01-01 00:00:00")
		db.Exec("INSERT INTO {prefix}tax_rate_to_customer_group (tax_rate_id, customer_group_id) VALUES (?, ?)", r.id, octest.GroupDefault)
	}

	day := time.Date(anchor.Year(), anchor.Month(), anchor.Day(), 0, 0, 0, 0, time.UTC)
	start := day.AddDate(0, 0, -84)
	// Customers › Custom Fields: the VAT number a business gives at
	// checkout, kept in customer.custom_field and order.custom_field.
	vatField := db.AddCustomField(octest.CustomField{Name: "VAT Number"})
	shop.VATNumber = "GB123456789"
	customers := make([]octest.Customer, accounts)
	for i, p := range people[:accounts] {
		customers[i] = octest.Customer{FirstName: p.first, LastName: p.last, Email: p.email, Telephone: p.phone,
			Newsletter: i%3 == 0, DateAdded: start.AddDate(0, 0, -30*(accounts-i)).Add(9 * time.Hour),
			Addresses: []octest.Address{{FirstName: p.first, LastName: p.last, Company: p.company, Address1: p.address1,
				City: p.city, Postcode: p.postcode, CountryID: octest.CountryUK, ZoneID: p.zoneID, Default: true}}}
		if p.company != "" {
			customers[i].GroupID = octest.GroupWholesale
		}
		if i == business {
			customers[i].CustomFields = map[string]any{vatField: shop.VATNumber}
		}
	}
	customers[accounts-1].Disabled = true
	shop.Customers = db.AddCustomers(customers...)
	shop.Disabled = shop.Customers[accounts-1]

	var cases []mappingtest.Case
	for _, c := range mappingtest.Corpus() {
		if fits(c) {
			cases = append(cases, c)
		}
	}
	step := 84 * 24 * time.Hour / time.Duration(len(cases))
	// One order is refunded in full a few days after it was completed, one
	// canceled before it was paid; the newest are still under way.
	refunded, canceled := len(cases)/3, len(cases)/2
	var rows []octest.Order
	for i, c := range cases {
		o := c.Order
		o.ID = 1000 + i
		p := people[i%len(people)]
		o.CustomerID, o.CustomerDeleted = 0, false
		if i%len(people) < accounts {
			o.CustomerID = shop.Customers[i%len(people)]
		}
		o.FirstName, o.LastName, o.Email, o.Telephone = p.first, p.last, p.email, p.phone
		addr := opencart.OrderAddress{FirstName: p.first, LastName: p.last, Company: p.company, Address1: p.address1,
			City: p.city, Postcode: p.postcode, Country: "United Kingdom", CountryID: octest.CountryUK, Zone: p.zone, ZoneID: p.zoneID}
		o.Payment, o.Shipping = addr, addr
		o.DateAdded = start.Add(time.Duration(i)*step + time.Duration(8+i%11)*time.Hour)
		o.DateModified = o.DateAdded.Add(2 * time.Hour)
		o.StatusID, o.History = statusComplete, nil
		switch {
		case i == refunded:
			o.StatusID, o.DateModified = statusRefunded, o.DateAdded.AddDate(0, 0, 4)
			o.History = []opencart.OrderHistory{{StatusID: statusComplete, DateAdded: o.DateAdded},
				{StatusID: statusRefunded, Comment: "Refunded in full: arrived damaged", DateAdded: o.DateModified}}
			shop.Refunded = o.ID
		case i == canceled:
			o.StatusID = statusCanceled
			shop.Canceled = o.ID
		case len(cases)-i == 1:
			o.StatusID = statusPending
		case len(cases)-i == 2:
			o.StatusID = statusProcessing
		case len(cases)-i <= 4:
			o.StatusID = statusShipped
		}
		row := mappingtest.ShopOrder(o)
		row.PaymentMethod = []octest.Method{cardPayment, paypal, bankTransfer}[i%3]
		if len(cases)-i == 3 || len(cases)-i == 6 {
			// Cash on delivery: paid only once Complete, so the
			// Shipped one has no payment yet.
			row.PaymentMethod = cashOnDelivery
			shop.CashOnDelivery = append(shop.CashOnDelivery, o.ID)
		}
		if i%len(people) == business {
			row.CustomFields = map[string]any{vatField: shop.VATNumber}
		}
		for _, tot := range o.Totals {
			if tot.Code == "shipping" {
				row.ShippingMethod = flatShipping
			}
		}
		rows = append(rows, row)
		shop.Orders = append(shop.Orders, o)
	}
	book, bookRow := bookOrder(1000+len(cases), shop.Customers[0], people[0], start.Add(84*24*time.Hour-30*time.Hour))
	rows = append(rows, bookRow)
	shop.Orders = append(shop.Orders, book)
	shop.Book = book.ID
	db.AddCatalogProduct(bookProductID, bookModel, 0)
	db.AddOrders(rows...)

	// Two returns of one unit each on orders of several units: one
	// refunded, one replaced.
	var returns []octest.Return
	for _, r := range rows[:len(rows)*2/3] {
		if r.ID == shop.Refunded || r.ID == shop.Canceled || r.StatusID != statusComplete || r.CustomerID == 0 {
			continue
		}
		for _, p := range r.Products {
			if p.Quantity >= 2 && len(returns) < 2 {
				returns = append(returns, octest.Return{OrderID: r.ID, ProductID: p.ProductID, CustomerID: r.CustomerID,
					FirstName: r.FirstName, LastName: r.LastName, Email: r.Email, Telephone: r.Telephone,
					Product: p.Name, Model: p.Model, Quantity: 1, Opened: true, ReasonID: octest.ReturnReasonFaulty,
					StatusID: returnStatusComplete, Comment: "Stopped working after a week", DateOrdered: r.DateAdded,
					DateAdded: r.DateAdded.AddDate(0, 0, 9), DateModified: r.DateAdded.AddDate(0, 0, 11)})
				break
			}
		}
	}
	if len(returns) < 2 {
		return shop, fmt.Errorf("demo store: the corpus has too few orders of several units for two returns")
	}
	returns[0].ActionID = octest.ReturnActionRefunded(opencart.Family40)
	returns[1].ActionID = returnActionReplacementSent
	shop.RefundReturn, shop.ReplacementReturn = db.AddReturn(returns[0]), db.AddReturn(returns[1])
	return shop, nil
}

// bookOrder is a Complete card order of one book, which has no tax class
// (zero-rated), sent by flat-rate shipping, which is taxed at 20%: the
// totals as OpenCart 4.0 writes them.
func bookOrder(id, customerID int, p person, at time.Time) (opencart.Order, octest.Order) {
	d := decimal.RequireFromString
	addr := opencart.OrderAddress{FirstName: p.first, LastName: p.last, Address1: p.address1, City: p.city,
		Postcode: p.postcode, Country: "United Kingdom", CountryID: octest.CountryUK, Zone: p.zone, ZoneID: p.zoneID}
	o := opencart.Order{ID: id, StatusID: statusComplete, CustomerID: customerID, CustomerGroupID: octest.GroupDefault,
		FirstName: p.first, LastName: p.last, Email: p.email, Telephone: p.phone, Payment: addr, Shipping: addr,
		CurrencyCode: "GBP", CurrencyValue: d("1"), Total: d("24.00"), DateAdded: at, DateModified: at.Add(26 * time.Hour),
		Products: []opencart.OrderProduct{{ProductID: bookProductID, Name: bookName, Model: bookModel, Quantity: 1,
			Price: d(bookPrice), Total: d(bookPrice), Tax: d("0")}},
		Totals: []opencart.OrderTotal{
			{Code: "sub_total", Title: "Sub-Total", Value: d(bookPrice), SortOrder: 1},
			{Code: "shipping", Title: flatShipping.Title, Value: d("5.00"), SortOrder: 3},
			{Code: "tax", Title: "VAT (20%)", Value: d("1.00"), SortOrder: 5},
			{Code: "total", Title: "Total", Value: d("24.00"), SortOrder: 9}}}
	row := mappingtest.ShopOrder(o)
	row.PaymentMethod, row.ShippingMethod = cardPayment, flatShipping
	return o, row
}

// seedT is the testing.TB octest reports to while it fills the shop
// outside a test: a fatal failure stops the filling (fill turns it into an
// error), other failures are collected. The embedded interface only
// supplies the method set; octest uses none of the methods left to it.
type seedT struct {
	testing.TB
	errs []string
}

func (t *seedT) Helper()                         {}
func (t *seedT) Name() string                    { return "demo store" }
func (t *seedT) Cleanup(func())                  {} // the shop lives as long as the server
func (t *seedT) Log(args ...any)                 {}
func (t *seedT) Logf(format string, args ...any) {}
func (t *seedT) Error(args ...any)               { t.errs = append(t.errs, fmt.Sprint(args...)) }
func (t *seedT) Errorf(format string, args ...any) {
	t.errs = append(t.errs, fmt.Sprintf(format, args...))
}
func (t *seedT) Fatal(args ...any)                 { panic(fmt.Sprint(args...)) }
func (t *seedT) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (t *seedT) FailNow()                          { panic("failed") }
func (t *seedT) Failed() bool                      { return len(t.errs) > 0 }
