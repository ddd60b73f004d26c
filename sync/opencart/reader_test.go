package opencart_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

// shop is one fixture the reader is tested against.
type shop struct {
	name     string
	family   opencart.Family
	prefix   string
	upgraded bool
}

var shops = []shop{
	{"3.0 oc_", opencart.Family30, "oc_", false},
	{"4.0.2 custom prefix", opencart.Family40, "shop_", false},
	{"4.0.2 upgraded from 3.0", opencart.Family40, "oc_", true},
	{"4.1 empty prefix", opencart.Family41, "", false},
}

func (s shop) open(t *testing.T) (*octest.DB, octest.EdgeCases, *opencart.Reader) {
	t.Helper()
	var opts []octest.Option
	if s.upgraded {
		opts = append(opts, octest.Upgraded())
	}
	db := octest.NewDB(t, s.family, s.prefix, opts...)
	e := db.SeedEdgeCases()
	r, err := opencart.Open(context.Background(), db.DSN, s.prefix)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return db, e, r
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestReader(t *testing.T) {
	for _, s := range shops {
		t.Run(s.name, func(t *testing.T) {
			db, e, r := s.open(t)
			t.Run("detect", func(t *testing.T) { testDetect(t, s, r) })
			t.Run("check", func(t *testing.T) { testCheck(t, s, r) })
			t.Run("settings", func(t *testing.T) { testSettings(t, r) })
			t.Run("orders", func(t *testing.T) { testOrders(t, s, e, r) })
			t.Run("customers", func(t *testing.T) { testCustomers(t, s, e, r) })
			t.Run("returns", func(t *testing.T) { testReturns(t, e, r) })
			t.Run("filters", func(t *testing.T) { testFilters(t, e, r) })
			t.Run("lists", func(t *testing.T) { testLists(t, e, r) })
			t.Run("taxes", func(t *testing.T) { testTaxes(t, r) })
			t.Run("read-only", func(t *testing.T) { testReadOnly(t, s, db, r) })
		})
	}
}

func testDetect(t *testing.T, s shop, r *opencart.Reader) {
	sc := r.Schema()
	if sc.Family != s.family || sc.Prefix != s.prefix || sc.Upgraded != s.upgraded {
		t.Errorf("schema = %+v, want family %s prefix %q upgraded %v", sc, s.family, s.prefix, s.upgraded)
	}
	if got, want := sc.HasTable("order_voucher"), s.family != opencart.Family41; got != want {
		t.Errorf("HasTable(order_voucher) = %v, want %v", got, want)
	}
}

func testCheck(t *testing.T, s shop, r *opencart.Reader) {
	sum, err := r.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := opencart.Summary{Family: s.family, Database: r.Schema().Database, Prefix: s.prefix, Upgraded: s.upgraded,
		DefaultCurrency: "GBP", BaseCurrency: "GBP", CurrencyOK: true, StoreName: "Bean & Leaf Café", Timezone: "Europe/London",
		Customers: opencart.CustomerCounts{Enabled: 3, Disabled: 1},
		Orders: []opencart.StatusCount{{ID: 1, Name: "Pending", Count: 1}, {ID: 2, Name: "Processing", Count: 1},
			{ID: 3, Name: "Shipped", Count: 1}, {ID: 5, Name: "Complete", Count: 2}, {ID: 11, Name: "Refunded", Count: 1}},
		OrdersTotal: 6, MissingOrders: 1, Returns: 2, Route: "directly, no TLS"}
	if !reflect.DeepEqual(sum, want) {
		t.Errorf("Check =\n%+v\nwant\n%+v", sum, want)
	}
	raw, err := json.Marshal(sum)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"family", "prefix", "default_currency", "base_currency", "customers", "orders_by_status", "missing_orders", "returns"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("summary JSON lacks %q: %s", k, raw)
		}
	}
}

func testSettings(t *testing.T, r *opencart.Reader) {
	ctx := context.Background()
	st, err := r.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := opencart.Settings{Currency: "GBP", BaseCurrency: "GBP", Tax: true, Name: "Bean & Leaf Café", InvoicePrefix: "INV-2024-00",
		OrderStatusID: 1, ProcessingStatusIDs: []int{5, 1, 2, 12, 3}, CompleteStatusIDs: []int{5, 3}, Timezone: "Europe/London",
		LanguageID: octest.LanguageEnglish, LanguageCode: "en-gb"}
	if !reflect.DeepEqual(st, want) {
		t.Errorf("Settings = %+v, want %+v", st, want)
	}
	local, err := st.StoreTime(time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC))
	if err != nil || local.UTC().Hour() != 11 {
		t.Errorf("StoreTime(12:00 wall clock in London summer) = %v (%v), want 11:00 UTC", local.UTC(), err)
	}
	statuses, err := r.OrderStatuses(ctx)
	if err != nil || len(statuses) != len(octest.OrderStatuses) || statuses[0] != (opencart.OrderStatus{ID: 1, Name: "Pending"}) {
		t.Errorf("OrderStatuses = %v, %v (want the English names, by id)", statuses, err)
	}
	currencies, err := r.Currencies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range currencies {
		codes = append(codes, c.Code+"="+c.Value.StringFixed(8)+"/"+decimal.NewFromInt(int64(c.DecimalPlaces)).String())
	}
	if w := []string{"EUR=1.17000000/2", "GBP=1.00000000/2", "JPY=190.50000000/0", "USD=1.27000000/2"}; !slices.Equal(codes, w) {
		t.Errorf("Currencies = %v, want %v", codes, w)
	}
}

func readOrder(t *testing.T, r *opencart.Reader, id int) opencart.Order {
	t.Helper()
	o, err := r.Order(context.Background(), id)
	if err != nil {
		t.Fatalf("Order(%d): %v", id, err)
	}
	return o
}

func testOrders(t *testing.T, s shop, e octest.EdgeCases, r *opencart.Reader) {
	v4 := s.family != opencart.Family30

	t.Run("guest", func(t *testing.T) {
		o := readOrder(t, r, e.Guest)
		if !o.Guest() || o.CustomerDeleted || o.InvoiceNumber() != "INV-2024-007" || o.Status != "Complete" || o.StatusID != 5 {
			t.Errorf("guest header = customer %d deleted %v invoice %q status %d %q", o.CustomerID, o.CustomerDeleted, o.InvoiceNumber(), o.StatusID, o.Status)
		}
		if !o.Total.Equal(dec("50.6")) || o.CurrencyCode != "GBP" || !o.CurrencyValue.Equal(dec("1")) || o.CurrencyDecimalPlaces != 2 {
			t.Errorf("money = %s %s %s dp %d", o.Total, o.CurrencyCode, o.CurrencyValue, o.CurrencyDecimalPlaces)
		}
		if want := time.Date(2024, 1, 10, 9, 15, 0, 0, time.UTC); !o.DateAdded.Equal(want) {
			t.Errorf("DateAdded = %v, want %v", o.DateAdded, want)
		}
		wantPay := opencart.Method{Title: "Bank Transfer", Code: "bank_transfer.bank_transfer"}
		wantShip := opencart.Method{Title: "Flat Shipping Rate", Code: "flat.flat"}
		if v4 && !s.upgraded {
			wantShip.TaxClassID = octest.TaxClassGoods
		}
		if o.PaymentMethod != wantPay || o.ShippingMethod != wantShip {
			t.Errorf("methods = %+v / %+v, want %+v / %+v", o.PaymentMethod, o.ShippingMethod, wantPay, wantShip)
		}
		if o.Payment.CustomFields != nil {
			t.Errorf("payment custom fields = %v, want none (the upgraded shop's method JSON is not a custom field)", o.Payment.CustomFields)
		}
		wantAddr := opencart.OrderAddress{FirstName: "Grace", LastName: "Guest", Address1: "2 Low Rd", City: "London", Postcode: "E1 6AN",
			Country: "United Kingdom", CountryID: octest.CountryUK, CountryCode: "GB", Zone: "Greater London", ZoneID: octest.ZoneLondon, ZoneCode: "LND"}
		if !reflect.DeepEqual(o.Payment, wantAddr) || !reflect.DeepEqual(o.Shipping, wantAddr) {
			t.Errorf("addresses = %+v / %+v", o.Payment, o.Shipping)
		}
		var names []string
		for _, p := range o.Products {
			names = append(names, p.Name)
		}
		if w := []string{`Mug "Large" & Saucer`, "Tea <Earl Grey>", "Spoon"}; !slices.Equal(names, w) {
			t.Errorf("products = %q, want %q", names, w)
		}
		p := o.Products[1]
		if p.ProductID != 102 || p.Model != "TEA-2" || p.Quantity != 1 || !p.Price.Equal(dec("8.3333")) || !p.Total.Equal(dec("8.3333")) || !p.Tax.Equal(dec("3.6667")) {
			t.Errorf("product 2 = %+v", p)
		}
		opts := o.Products[0].Options
		if len(opts) != 2 || opts[0].Name != "Colour" || opts[0].Value != "Blue & White" || opts[0].Type != "select" || opts[1].Value != "<b>Hi</b>" {
			t.Errorf("options = %+v", opts)
		}
		var rows []string
		for _, tot := range o.Totals {
			rows = append(rows, tot.Code+"|"+tot.Title+"|"+tot.Value.String())
		}
		wantRows := []string{"sub_total|Sub-Total|28.3333", "shipping|Flat Shipping Rate|5", "coupon|Coupon (SAVE10)|-2.8333",
			"tax|VAT (20%)|6.1", "tax|Eco Tax (-2.00)|14", "total|Total|50.6"}
		if !slices.Equal(rows, wantRows) {
			t.Errorf("totals = %q, want %q", rows, wantRows)
		}
		if ext := o.Totals[0].Extension; (ext == "opencart") != v4 {
			t.Errorf("total extension = %q on family %s", ext, s.family)
		}
		if len(o.History) != 2 || o.History[0].Status != "Pending" || !o.History[0].Notify || o.History[1].StatusID != 5 || o.History[1].Comment != "Shipped & paid" {
			t.Errorf("history = %+v", o.History)
		}
	})

	t.Run("registered, stored text", func(t *testing.T) {
		o := readOrder(t, r, e.Registered)
		if o.CustomerID != e.Alice || o.CustomerDeleted || o.CustomerGroup != "Wholesale & Trade" || o.LastName != "O'Neil & Co" {
			t.Errorf("customer = %d %v %q %q", o.CustomerID, o.CustomerDeleted, o.CustomerGroup, o.LastName)
		}
		if o.Comment != `Leave at "back door" & ring` {
			t.Errorf("comment = %q", o.Comment)
		}
		if o.Payment.Company != "R&amp;D Ltd" || o.Payment.Address1 != `12 rue "Vieille"` || o.Payment.Zone != "Côte d'or" ||
			o.Payment.Country != "France" || o.Payment.CountryCode != "FR" || o.Shipping.Address2 != "Bât. 'A'" {
			t.Errorf("payment/shipping = %+v / %+v", o.Payment, o.Shipping)
		}
		// The upgrade wrote the method JSON over payment_custom_field.
		if wantCF := map[string]any{"3": "<none>"}; s.upgraded && o.Payment.CustomFields != nil ||
			!s.upgraded && !reflect.DeepEqual(o.Payment.CustomFields, wantCF) {
			t.Errorf("payment custom fields = %v", o.Payment.CustomFields)
		}
		if o.PaymentMethod != (opencart.Method{Title: "Cash & Carry", Code: "cod"}) ||
			o.ShippingMethod != (opencart.Method{Title: "Pick-up from store", Code: "pickup.pickup"}) {
			t.Errorf("methods = %+v / %+v", o.PaymentMethod, o.ShippingMethod)
		}
		if o.CurrencyCode != "EUR" || o.CurrencyValue.StringFixed(8) != "1.16000000" || o.CurrencyDecimalPlaces != 2 {
			t.Errorf("currency = %s %s dp %d (order-time rate, not today's 1.17)", o.CurrencyCode, o.CurrencyValue, o.CurrencyDecimalPlaces)
		}
		if wantTx := map[bool]string{true: "pi_3N&x", false: ""}[v4]; o.TransactionID != wantTx {
			t.Errorf("TransactionID = %q, want %q", o.TransactionID, wantTx)
		}
		var codes []string
		for _, tot := range o.Totals {
			codes = append(codes, tot.Code)
		}
		if w := []string{"sub_total", "reward", "tax", "credit", "voucher", "total"}; !slices.Equal(codes, w) {
			t.Errorf("total rows in sort order = %v, want %v", codes, w)
		}
		if s.family == opencart.Family41 {
			if len(o.Vouchers) != 0 {
				t.Errorf("4.1 has no gift vouchers, got %+v", o.Vouchers)
			}
		} else if len(o.Vouchers) != 1 || o.Vouchers[0].Description != "£25.00 Gift Certificate for Bob" || o.Vouchers[0].ToName != "Bob & Co" || !o.Vouchers[0].Amount.Equal(dec("25")) {
			t.Errorf("vouchers = %+v", o.Vouchers)
		}
		if o.Products[0].Reward != 100 {
			t.Errorf("reward = %d", o.Products[0].Reward)
		}
	})

	t.Run("deleted customer", func(t *testing.T) {
		o := readOrder(t, r, e.DeletedCustomer)
		if o.CustomerID != e.Deleted || !o.CustomerDeleted || o.Guest() {
			t.Errorf("customer %d deleted %v", o.CustomerID, o.CustomerDeleted)
		}
		if o.CurrencyCode != "USD" || !o.CurrencyValue.Equal(dec("1.25")) || o.PaymentMethod.Code != "pp_express" || o.ShippingMethod != (opencart.Method{}) {
			t.Errorf("currency %s %s, methods %+v %+v", o.CurrencyCode, o.CurrencyValue, o.PaymentMethod, o.ShippingMethod)
		}
	})

	t.Run("emoji", func(t *testing.T) {
		o := readOrder(t, r, e.EmojiOrder)
		// 3.0's utf8 (3-byte) tables cannot hold an emoji; MariaDB in
		// OpenCart's non-strict mode stores '?' instead.
		want := map[bool][3]string{true: {"Zoë 😀", "Thanks 😀 a lot", "Emoji 🎉 Tee"}, false: {"Zoë ?", "Thanks ? a lot", "Emoji ? Tee"}}[v4]
		if got := [3]string{o.FirstName, o.Comment, o.Products[0].Name}; got != want {
			t.Errorf("emoji text = %q, want %q", got, want)
		}
	})

	t.Run("empty payment address, control characters, JPY", func(t *testing.T) {
		o := readOrder(t, r, e.EmptyPayment)
		if !o.Payment.Empty() || o.Shipping.Empty() || o.PaymentMethod != (opencart.Method{}) {
			t.Errorf("payment %+v shipping %+v method %+v", o.Payment, o.Shipping, o.PaymentMethod)
		}
		if o.Comment != "Line1\r\nLine2\x01\x7f end" {
			t.Errorf("comment = %q", o.Comment)
		}
		name := o.Products[0].Name
		if want := strings.TrimSpace(strings.Repeat("Long name ", 30)[:255]); name != want {
			t.Errorf("255-char product name = %q (%d), want %d chars", name, len(name), len(want))
		}
		if o.CurrencyDecimalPlaces != 0 || o.CurrencyValue.StringFixed(8) != "190.12345678" || !o.Total.Equal(dec("1500")) {
			t.Errorf("JPY: dp %d value %s total %s", o.CurrencyDecimalPlaces, o.CurrencyValue, o.Total)
		}
		if o.Status != "Refunded" {
			t.Errorf("status = %q", o.Status)
		}
	})

	t.Run("unknown currency, truncated names", func(t *testing.T) {
		o := readOrder(t, r, e.UnknownCurrency)
		if o.CurrencyCode != "CHF" || o.CurrencyDecimalPlaces != 2 {
			t.Errorf("CHF without a currency row: dp %d, want 2", o.CurrencyDecimalPlaces)
		}
		// "xxx…&" is stored "xxx…&amp;" and cut at 32 characters to "xxx…&am".
		if want := strings.Repeat("x", 29) + "&am"; o.FirstName != want || o.LastName != strings.Repeat("L", 32) {
			t.Errorf("names = %q %q", o.FirstName, o.LastName)
		}
	})

	t.Run("missing order and not found", func(t *testing.T) {
		o := readOrder(t, r, e.Missing)
		if o.StatusID != 0 || o.Status != "" {
			t.Errorf("missing order status = %d %q", o.StatusID, o.Status)
		}
		if _, err := r.Order(context.Background(), 999999); !errors.Is(err, opencart.ErrNotFound) {
			t.Errorf("Order(999999) error = %v, want ErrNotFound", err)
		}
	})
}

func testCustomers(t *testing.T, s shop, e octest.EdgeCases, r *opencart.Reader) {
	ctx := context.Background()
	c, err := r.Customer(ctx, e.Alice)
	if err != nil {
		t.Fatal(err)
	}
	if c.FirstName != "Anne-Marie" || c.LastName != "O'Neil & Co" || c.Group != "Wholesale & Trade" || !c.Enabled || !c.Newsletter {
		t.Errorf("Alice = %+v", c)
	}
	if want := map[string]any{"1": "GB123 & co", "2": []any{"a", "b & c"}}; !reflect.DeepEqual(c.CustomFields, want) {
		t.Errorf("custom fields = %#v, want %#v", c.CustomFields, want)
	}
	def, ok := c.DefaultAddress()
	want := opencart.Address{ID: def.ID, FirstName: "Anne-Marie", LastName: "O'Neil & Co", Address1: `12 rue "Vieille"`, City: "Dijon",
		Postcode: "21000", CountryID: octest.CountryFrance, Country: "France", CountryCode: "FR", ZoneID: octest.ZoneCoteDOr,
		Zone: "Côte d'or", ZoneCode: "21", CustomFields: map[string]any{"4": "Door <B>"}}
	if !ok || len(c.Addresses) != 2 || !reflect.DeepEqual(def, want) {
		t.Errorf("default address = %+v (found %v of %d), want %+v", def, ok, len(c.Addresses), want)
	}
	if london := c.Addresses[0]; london.Company != "R&amp;D Ltd" || london.Country != "United Kingdom" || london.Zone != "Greater London" {
		// 4.1 reads the names from country_description in the admin language.
		t.Errorf("London address = %+v", london)
	}
	emoji, err := r.Customer(ctx, e.Emoji)
	if want := map[bool]string{true: "Zoë 😀", false: "Zoë ?"}[s.family != opencart.Family30]; err != nil || emoji.FirstName != want {
		t.Errorf("emoji customer = %q (%v), want %q", emoji.FirstName, err, want)
	}
	long, err := r.Customer(ctx, e.Long)
	if err != nil || long.Telephone != "+44\x01 123\t456" || len(long.LastName) != 32 {
		t.Errorf("long customer = %+v (%v)", long, err)
	}
	if _, err := r.Customer(ctx, e.Deleted); !errors.Is(err, opencart.ErrNotFound) {
		t.Errorf("deleted customer error = %v, want ErrNotFound", err)
	}
}

func testReturns(t *testing.T, e octest.EdgeCases, r *opencart.Reader) {
	var got []opencart.Return
	for rt, err := range r.Returns(context.Background(), opencart.ReturnFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, rt)
	}
	if len(got) != 2 {
		t.Fatalf("returns = %d, want 2", len(got))
	}
	a, b := got[0], got[1]
	if a.ID != e.RefundReturn || a.OrderID != e.Guest || a.ProductID != 101 || a.Product != `Mug "Large" & Saucer` || a.Model != "MUG-1" ||
		a.Quantity != 1 || !a.Opened || a.Action != "Refunded" || a.Reason != "Faulty, please supply details" || a.Status != "Complete" ||
		a.Comment != "Handle broke off & cracked" || !a.DateOrdered.Equal(octest.Day(2024, 1, 10)) {
		t.Errorf("refund return = %+v", a)
	}
	if b.ID != e.CreditReturn || b.Action != "Credit Issued" || b.Reason != "Dead On Arrival" || b.Status != "Pending" || !b.DateOrdered.IsZero() || b.Quantity != 2 {
		t.Errorf("credit return = %+v (date_ordered 0000-00-00 or NULL must read as zero)", b)
	}
}

// collect streams orders and returns their ids.
func collect(t *testing.T, r *opencart.Reader, f opencart.OrderFilter) []int {
	t.Helper()
	var ids []int
	for o, err := range r.Orders(context.Background(), f) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.ID)
	}
	return ids
}

func testFilters(t *testing.T, e octest.EdgeCases, r *opencart.Reader) {
	ctx := context.Background()
	all := []int{e.Guest, e.Registered, e.DeletedCustomer, e.EmojiOrder, e.EmptyPayment, e.UnknownCurrency}
	for _, tc := range []struct {
		name   string
		filter opencart.OrderFilter
		want   []int
	}{
		{"all but status 0", opencart.OrderFilter{}, all},
		{"ids (status 0 never)", opencart.OrderFilter{IDs: []int{e.Missing, e.Guest}}, []int{e.Guest}},
		{"statuses", opencart.OrderFilter{StatusIDs: []int{5, 0}}, []int{e.Guest, e.UnknownCurrency}},
		{"since", opencart.OrderFilter{Since: octest.Day(2024, 4, 10)}, []int{e.EmojiOrder, e.EmptyPayment, e.UnknownCurrency}},
		{"until", opencart.OrderFilter{Until: octest.Day(2024, 2, 10)}, []int{e.Guest}},
		{"since and until", opencart.OrderFilter{Since: octest.Day(2024, 2, 1), Until: octest.Day(2024, 4, 1)}, []int{e.Registered, e.DeletedCustomer}},
		{"modified since", opencart.OrderFilter{ModifiedSince: octest.Day(2024, 5, 31)}, []int{e.Registered, e.UnknownCurrency}},
		{"search name as typed", opencart.OrderFilter{Search: "o'neil & co"}, []int{e.Registered}},
		{"search e-mail", opencart.OrderFilter{Search: "GRACE@example"}, []int{e.Guest}},
		{"search id", opencart.OrderFilter{Search: "#" + itoa(e.EmojiOrder)}, []int{e.EmojiOrder}},
		{"search wildcard is literal", opencart.OrderFilter{Search: "%"}, nil},
		{"refunded or returned for money", opencart.OrderFilter{Credited: &opencart.CreditFilter{RefundStatusIDs: []int{11}, ReturnActions: []string{"Refunded"}}},
			[]int{e.Guest, e.EmptyPayment}},
		{"returned, action in any case", opencart.OrderFilter{Credited: &opencart.CreditFilter{ReturnActions: []string{" REFUNDED "}}}, []int{e.Guest}},
		{"credited and a status", opencart.OrderFilter{StatusIDs: []int{5}, Credited: &opencart.CreditFilter{RefundStatusIDs: []int{11}, ReturnActions: []string{"Refunded"}}},
			[]int{e.Guest}},
		{"credited by nothing chosen", opencart.OrderFilter{Credited: &opencart.CreditFilter{ReturnActions: []string{"no such action"}}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := collect(t, r, tc.filter); !slices.Equal(got, tc.want) {
				t.Errorf("ids = %v, want %v", got, tc.want)
			}
			if n, err := r.CountOrders(ctx, tc.filter); err != nil || n != len(tc.want) {
				t.Errorf("CountOrders = %d, %v, want %d", n, err, len(tc.want))
			}
		})
	}
	var enabled []int
	for c, err := range r.Customers(ctx, opencart.CustomerFilter{EnabledOnly: true}) {
		if err != nil {
			t.Fatal(err)
		}
		enabled = append(enabled, c.ID)
	}
	if want := []int{e.Alice, e.Emoji, e.Long}; !slices.Equal(enabled, want) {
		t.Errorf("enabled customers = %v, want %v", enabled, want)
	}
	if n, err := r.CountCustomers(ctx, opencart.CustomerFilter{Search: "example.com"}); err != nil || n != 4 {
		t.Errorf("CountCustomers(search) = %d, %v, want 4", n, err)
	}
	if n, err := r.CountReturns(ctx, opencart.ReturnFilter{OrderIDs: []int{e.Guest}}); err != nil || n != 1 {
		t.Errorf("CountReturns(order) = %d, %v, want 1", n, err)
	}
}

func itoa(n int) string { return decimal.NewFromInt(int64(n)).String() }

func testLists(t *testing.T, e octest.EdgeCases, r *opencart.Reader) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		opt  opencart.ListOptions
		want []int
	}{
		{"total desc", opencart.ListOptions{Sort: opencart.SortTotal, Desc: true, Limit: 3}, []int{e.EmptyPayment, e.Registered, e.Guest}},
		{"date, second page", opencart.ListOptions{Sort: opencart.SortDate, Offset: 2, Limit: 2}, []int{e.DeletedCustomer, e.EmojiOrder}},
		{"id desc", opencart.ListOptions{Desc: true, Limit: 2}, []int{e.UnknownCurrency, e.EmptyPayment}},
		{"name desc", opencart.ListOptions{Sort: opencart.SortName, Desc: true, Limit: 3}, []int{e.EmojiOrder, e.Registered, e.UnknownCurrency}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			orders, err := r.OrderList(ctx, opencart.OrderFilter{}, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int
			for _, o := range orders {
				ids = append(ids, o.ID)
				if o.Products != nil || o.Totals != nil {
					t.Errorf("list rows carry lines: %+v", o)
				}
			}
			if !slices.Equal(ids, tc.want) {
				t.Errorf("ids = %v, want %v", ids, tc.want)
			}
		})
	}
	cs, err := r.CustomerList(ctx, opencart.CustomerFilter{Search: "smith"}, opencart.ListOptions{Sort: opencart.SortName})
	if err != nil || len(cs) != 1 || cs[0].ID != e.Emoji {
		t.Errorf("CustomerList(search smith) = %+v, %v", cs, err)
	}
	if _, err := r.CustomerList(ctx, opencart.CustomerFilter{}, opencart.ListOptions{Sort: opencart.SortTotal}); err == nil {
		t.Error("customers sorted by total: no error")
	}
}

func testTaxes(t *testing.T, r *opencart.Reader) {
	ctx := context.Background()
	rates, err := r.TaxRates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rates) != 2 || rates[0].Name != "VAT (20%)" || !rates[0].Rate.Equal(dec("20")) || rates[0].Fixed() ||
		rates[0].GeoZone != "UK VAT Zone" || !slices.Equal(rates[0].CustomerGroupIDs, []int{1, 2}) ||
		rates[1].Name != "Eco Tax (-2.00)" || !rates[1].Fixed() || !rates[1].Rate.Equal(dec("2")) {
		t.Errorf("tax rates = %+v", rates)
	}
	classes, err := r.TaxClasses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(classes) != 2 || classes[0].Title != "Taxable Goods" || len(classes[0].Rules) != 2 ||
		classes[0].Rules[1] != (opencart.TaxRule{ID: 121, TaxRateID: octest.TaxRateEco, Based: "shipping", Priority: 2}) {
		t.Errorf("tax classes = %+v", classes)
	}
}

func testReadOnly(t *testing.T, s shop, db *octest.DB, r *opencart.Reader) {
	ctx := context.Background()
	// The reader's own sessions refuse writes even for a user who may write.
	stmt := "UPDATE `" + s.prefix + "order` SET comment = 'x'"
	if err := opencart.ExecForTest(ctx, r, stmt); err == nil || !strings.Contains(err.Error(), "READ ONLY") {
		t.Errorf("write through the reader's session: %v, want a read-only error", err)
	}
	// A user with SELECT alone can do everything the reader does.
	ro, err := opencart.Open(ctx, db.ReadOnlyUser(), s.prefix)
	if err != nil {
		t.Fatalf("Open as SELECT-only user: %v", err)
	}
	defer ro.Close()
	sum, err := ro.Check(ctx)
	if err != nil || sum.OrdersTotal != 6 || sum.Family != s.family {
		t.Errorf("Check as SELECT-only user = %+v, %v", sum, err)
	}
	n := 0
	for _, err := range ro.Orders(ctx, opencart.OrderFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	for _, err := range ro.Customers(ctx, opencart.CustomerFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ro.TaxClasses(ctx); err != nil {
		t.Error(err)
	}
	if n != 6 {
		t.Errorf("orders read as SELECT-only user = %d, want 6", n)
	}
	if err := opencart.ExecForTest(ctx, ro, stmt); err == nil {
		t.Error("a SELECT-only user could write")
	}
}

func TestWrongPrefix(t *testing.T) {
	db := octest.NewDB(t, opencart.Family30, "oc_")
	for _, prefix := range []string{"wp_", ""} {
		t.Run("prefix "+prefix, func(t *testing.T) {
			_, err := opencart.Open(context.Background(), db.DSN, prefix)
			var missing *opencart.MissingTableError
			if !errors.As(err, &missing) || missing.Prefix != prefix || missing.Table != "order" ||
				!strings.Contains(err.Error(), `"`+prefix+`order"`) || !strings.Contains(err.Error(), "prefix") {
				t.Errorf("Open with prefix %q: %v, want a MissingTableError naming %sorder", prefix, err, prefix)
			}
		})
	}
	if _, err := opencart.Open(context.Background(), "user:pass@tcp(127.0.0.1:1)/", "oc_"); err == nil || !strings.Contains(err.Error(), "names no database") {
		t.Errorf("DSN without database: %v", err)
	}
}

// TestStreamPages checks keyset paging in id order and that the number of
// queries per page does not grow with the number of orders on it.
func TestStreamPages(t *testing.T) {
	ctx := context.Background()
	for _, s := range []shop{shops[0], shops[3]} {
		t.Run(s.name, func(t *testing.T) {
			db := octest.NewDB(t, s.family, s.prefix)
			// queries streams all orders with a page size and returns the
			// queries the stream issued (the reference tables are read first).
			queries := func(pageSize int) (int64, []int) {
				r, err := opencart.Open(ctx, db.DSN, s.prefix)
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				r.SetPageSize(pageSize)
				if _, err := r.Settings(ctx); err != nil {
					t.Fatal(err)
				}
				before := r.Queries()
				ids := collect(t, r, opencart.OrderFilter{})
				return r.Queries() - before, ids
			}
			add := func(n int) {
				orders := make([]octest.Order, n)
				for i := range orders {
					orders[i] = octest.Order{StatusID: 5, CustomerID: 1 + i%2, FirstName: "Bulk", Email: "bulk@example.com",
						Products: []octest.Product{{ProductID: 1, Name: "A", Quantity: 1, Price: "1", Tax: "0.2",
							Options: []octest.ProductOption{{Name: "Size", Value: "M", Type: "select"}}}, {ProductID: 2, Name: "B", Quantity: 2, Price: "3"}},
						Totals: []octest.Total{octest.TotalRow("sub_total", "Sub-Total", "7", 1), octest.TotalRow("total", "Total", "7", 9)}}
				}
				db.AddOrders(orders...)
			}
			db.AddCustomers(octest.Customer{FirstName: "One"}, octest.Customer{FirstName: "Two"})
			add(9)
			q9big, ids := queries(1000)
			q9, ids3 := queries(3)
			if len(ids) != 9 || !slices.Equal(ids, ids3) || !slices.IsSorted(ids) {
				t.Fatalf("ids = %v / %v, want 9 in id order either way", ids, ids3)
			}
			db.Exec("UPDATE `{prefix}order` SET order_status_id = 0 WHERE order_id = 5")
			add(21) // 29 exportable orders
			q29big, ids := queries(1000)
			q29, ids3 := queries(3)
			if len(ids) != 29 || !slices.Equal(ids, ids3) || !slices.IsSorted(ids) || slices.Contains(ids, 5) {
				t.Fatalf("ids = %v, want 29 in id order without the status-0 order", ids)
			}
			if q9big != q29big {
				t.Errorf("one page: %d queries for 9 orders, %d for 29", q9big, q29big)
			}
			// k queries per page whatever the number of orders on it; pages
			// of 3: 9 orders = 3 full pages and an empty one (1 query), 29
			// orders = 10 pages.
			k := q9big
			if q29big != k || k > 7 || q9 != 3*k+1 || q29 != 10*k {
				t.Errorf("queries: one page %d (9 orders) / %d (29 orders); pages of 3: %d for 9 orders, %d for 29", q9big, q29big, q9, q29)
			}
		})
	}
}

func TestDecodeText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Fish &amp; Chips", "Fish & Chips"},
		{"&quot;quoted&quot; &lt;b&gt;", `"quoted" <b>`},
		{"C&ocirc;te d&#039;or", "Côte d'or"},
		{"R&amp;amp;D", "R&amp;D"},
		{"  padded\t\n", "padded"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{"&#0; and &#xD800;", "\uFFFD and \uFFFD"},
		{"no entities here", "no entities here"},
		{"&unknown; & alone", "&unknown; & alone"},
	} {
		if got := opencart.DecodeText(tc.in); got != tc.want {
			t.Errorf("DecodeText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzDecodeText(f *testing.F) {
	for _, s := range []string{"", "&amp;amp;", "C&ocirc;te d&#039;or", "\xff\xfe", " x ", "&#x1F600;", "&", "&#99999999;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := opencart.DecodeText(in)
		if !utf8.ValidString(out) {
			t.Fatalf("DecodeText(%q) = %q is not valid UTF-8", in, out)
		}
		if !strings.Contains(in, "&") && utf8.ValidString(in) && out != strings.TrimSpace(in) {
			t.Fatalf("DecodeText(%q) = %q, want it trimmed only", in, out)
		}
	})
}

// TestNullColumns reads 4.1 rows whose columns are NULL (4.1 makes almost
// every column nullable) as zero values, and pages through customers.
func TestNullColumns(t *testing.T) {
	ctx := context.Background()
	db := octest.NewDB(t, opencart.Family41, "oc_")
	for _, stmt := range []string{
		"INSERT INTO `{prefix}order` (order_id, order_status_id) VALUES (50, 2)",
		"INSERT INTO `{prefix}order_product` (order_product_id, order_id) VALUES (90, 50)",
		"INSERT INTO `{prefix}order_option` (order_option_id, order_id, order_product_id) VALUES (90, 50, 90)",
		"INSERT INTO `{prefix}order_total` (order_total_id, order_id) VALUES (90, 50)",
		"INSERT INTO `{prefix}order_history` (order_history_id, order_id) VALUES (90, 50)",
		"INSERT INTO `{prefix}customer` (customer_id) VALUES (60), (61), (62)",
		"INSERT INTO `{prefix}address` (address_id, customer_id) VALUES (70, 60)",
		"INSERT INTO `{prefix}return` (return_id) VALUES (80)",
	} {
		db.Exec(stmt)
	}
	r, err := opencart.Open(ctx, db.DSN, "oc_")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	o, err := r.Order(ctx, 50)
	if err != nil {
		t.Fatal(err)
	}
	if !o.Total.IsZero() || o.CurrencyCode != "" || o.CurrencyDecimalPlaces != 2 || !o.DateAdded.IsZero() || o.Status != "Processing" ||
		len(o.Products) != 1 || o.Products[0].Quantity != 1 || !o.Products[0].Price.IsZero() || len(o.Products[0].Options) != 1 ||
		len(o.Totals) != 1 || o.Totals[0].Code != "" || len(o.History) != 1 || !o.History[0].DateAdded.IsZero() || !o.Payment.Empty() {
		t.Errorf("order with NULL columns = %+v", o)
	}
	r.SetPageSize(1)
	var ids []int
	for c, err := range r.Customers(ctx, opencart.CustomerFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
		if c.ID == 60 && (c.Enabled || len(c.Addresses) != 1 || c.Addresses[0].Country != "") {
			t.Errorf("customer with NULL columns = %+v", c)
		}
	}
	if !slices.Equal(ids, []int{60, 61, 62}) {
		t.Errorf("customers paged one at a time = %v", ids)
	}
	n := 0
	for rt, err := range r.Returns(ctx, opencart.ReturnFilter{}) {
		if err != nil || rt.ID != 80 || !rt.DateAdded.IsZero() {
			t.Errorf("return with NULL columns = %+v, %v", rt, err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("returns = %d, want 1", n)
	}
}
