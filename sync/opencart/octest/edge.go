package octest

import (
	"strings"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// EdgeCases are the ids of the records SeedEdgeCases adds.
type EdgeCases struct {
	// Customers.
	Alice    int // enabled, wholesale group, two addresses (default in France), custom fields
	Disabled int // disabled account
	Deleted  int // deleted after ordering (its orders keep the id)
	Emoji    int // "Zoë 😀" (3.0 tables cannot store the emoji)
	Long     int // names longer than varchar(32), an entity cut in half

	// Orders.
	Guest           int // GBP guest, 3 products with options, coupon and two tax rows, status Complete, invoice 7
	Registered      int // Alice's, EUR at 1.16 (today 1.17), stored text given encoded: entities, double-encoded &amp;amp;
	DeletedCustomer int // USD at 1.25 (today 1.27), customer row gone
	Missing         int // status 0
	EmojiOrder      int // emoji in name, comment and product
	EmptyPayment    int // no payment address, control characters, 255-char product name, JPY (0 decimals)
	UnknownCurrency int // CHF, which has no currency row; truncated names

	// Returns.
	RefundReturn int // on Guest, action Refunded
	CreditReturn int // on EmptyPayment, no date ordered
}

// Day returns midnight of a date, for seeds and filters.
func Day(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}

// SeedEdgeCases adds customers, orders and returns that exercise what
// real shops contain: guests, deleted and disabled customers, encoded text,
// emoji, control characters, over-long names, an empty payment address,
// several tax rows, coupon/voucher/reward/credit totals, four currencies,
// a status-0 order and returns.
func (d *DB) SeedEdgeCases() EdgeCases {
	d.t.Helper()
	var e EdgeCases
	london := Address{FirstName: "Anne-Marie", LastName: "O'Neil & Co", Company: "R&amp;D Ltd", Address1: "1 High St",
		City: "London", Postcode: "SW1A 1AA", CountryID: CountryUK, ZoneID: ZoneLondon}
	dijon := Address{FirstName: "Anne-Marie", LastName: "O'Neil & Co", Address1: `12 rue "Vieille"`, City: "Dijon",
		Postcode: "21000", CountryID: CountryFrance, ZoneID: ZoneCoteDOr, Default: true, CustomFields: map[string]any{"4": "Door <B>"}}
	ids := d.AddCustomers(
		Customer{FirstName: "Anne-Marie", LastName: "O'Neil & Co", Email: "anne@example.com", Telephone: "+44 20 7946 0000",
			GroupID: GroupWholesale, Newsletter: true, DateAdded: Day(2023, 5, 1),
			CustomFields: map[string]any{"1": "GB123 & co", "2": []string{"a", "b & c"}}, Addresses: []Address{london, dijon}},
		Customer{FirstName: "Dora", LastName: "Disabled", Email: "dora@example.com", Disabled: true, DateAdded: Day(2023, 6, 1)},
		Customer{FirstName: "Derek", LastName: "Deleted", Email: "derek@example.com", DateAdded: Day(2023, 7, 1)},
		Customer{FirstName: "Zoë 😀", LastName: "Smith", Email: "zoe@example.com", DateAdded: Day(2023, 8, 1)},
		Customer{FirstName: strings.Repeat("x", 29) + "&", LastName: strings.Repeat("L", 40), Email: "long@example.com",
			Telephone: "+44\x01 123\t456", DateAdded: Day(2023, 9, 1)},
	)
	e.Alice, e.Disabled, e.Deleted, e.Emoji, e.Long = ids[0], ids[1], ids[2], ids[3], ids[4]

	ukAddress := OrderAddress{FirstName: "Grace", LastName: "Guest", Address1: "2 Low Rd", City: "London", Postcode: "E1 6AN",
		Country: "United Kingdom", CountryID: CountryUK, Zone: "Greater London", ZoneID: ZoneLondon}
	bank := Method{Title: "Bank Transfer", Code: "bank_transfer.bank_transfer"}
	flat := Method{Title: "Flat Shipping Rate", Code: "flat.flat", Cost: "5.00", TaxClassID: TaxClassGoods}
	simple := func(total string) ([]Product, []Total) {
		return []Product{{ProductID: 200, Name: "Plain Tee", Model: "TEE", Quantity: 1, Price: total, Tax: "0"}},
			[]Total{{"sub_total", "Sub-Total", total, 1}, {"total", "Total", total, 9}}
	}

	guest := Order{StatusID: 5, InvoiceNo: 7, FirstName: "Grace", LastName: "Guest", Email: "grace@example.com",
		Telephone: "020 7946 0001", Payment: ukAddress, Shipping: ukAddress, PaymentMethod: bank, ShippingMethod: flat,
		Comment: "Please knock", DateAdded: time.Date(2024, 1, 10, 9, 15, 0, 0, time.UTC),
		Products: []Product{
			{ProductID: 101, Name: `Mug "Large" & Saucer`, Model: "MUG-1", Quantity: 2, Price: "10.0000", Tax: "4.0000",
				Options: []ProductOption{{"Colour", "Blue & White", "select"}, {"Engraving", "<b>Hi</b>", "text"}}},
			{ProductID: 102, Name: "Tea <Earl Grey>", Model: "TEA-2", Quantity: 1, Price: "8.3333", Tax: "3.6667"},
			{ProductID: 103, Name: "Spoon", Model: "SP-3", Quantity: 3, Price: "0.0000", Tax: "2.0000"},
		},
		Totals: []Total{{"sub_total", "Sub-Total", "28.3333", 1}, {"shipping", "Flat Shipping Rate", "5.0000", 3},
			{"coupon", "Coupon (SAVE10)", "-2.8333", 4}, {"tax", "VAT (20%)", "6.1000", 5},
			{"tax", "Eco Tax (-2.00)", "14.0000", 5}, {"total", "Total", "50.6000", 9}},
		History: []History{{StatusID: 1, Notify: true, DateAdded: time.Date(2024, 1, 10, 9, 15, 0, 0, time.UTC)},
			{StatusID: 5, Comment: "Shipped & paid", DateAdded: time.Date(2024, 1, 11, 12, 0, 0, 0, time.UTC)}},
	}

	// Alice's order is given in OpenCart's stored form (Raw).
	dijonOnOrder := OrderAddress{FirstName: "Anne-Marie", LastName: "O'Neil &amp; Co", Company: "R&amp;amp;D Ltd",
		Address1: "12 rue &quot;Vieille&quot;", City: "Dijon", Postcode: "21000", Country: "France", CountryID: CountryFrance,
		Zone: "C&ocirc;te d&#039;or", ZoneID: ZoneCoteDOr, CustomFields: map[string]any{"3": "&lt;none&gt;"}}
	shipDijon := dijonOnOrder
	shipDijon.Address2, shipDijon.CustomFields = "B&acirc;t. &#39;A&#39;", nil
	registered := Order{Raw: true, StatusID: 2, CustomerID: e.Alice, CustomerGroupID: GroupWholesale,
		FirstName: "Anne-Marie", LastName: "O'Neil &amp; Co", Email: "anne@example.com", Telephone: "+44 20 7946 0000",
		Payment: dijonOnOrder, Shipping: shipDijon, TransactionID: "pi_3N&amp;x",
		PaymentMethod:  Method{Title: "Cash &amp; Carry", Code: "cod"},
		ShippingMethod: Method{Title: "Pick-up from store", Code: "pickup.pickup"},
		Comment:        "Leave at &quot;back door&quot; &amp; ring  ", CurrencyCode: "EUR", CurrencyValue: "1.16000000",
		DateAdded: time.Date(2024, 2, 10, 14, 30, 0, 0, time.UTC), DateModified: time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC),
		Products: []Product{{ProductID: 104, Name: "Gift Box", Model: "GB-1", Quantity: 1, Price: "50.0000", Tax: "10.0000", Reward: 100}},
		Totals: []Total{{"sub_total", "Sub-Total", "75.0000", 1}, {"reward", "Reward Points (100)", "-5.0000", 2},
			{"tax", "VAT (20%)", "9.0000", 5}, {"voucher", "Gift Certificate (ABC123)", "-10.0000", 8},
			{"credit", "Store Credit", "-3.5000", 7}, {"total", "Total", "65.5000", 9}},
	}
	if d.Family != opencart.Family41 {
		registered.Vouchers = []Voucher{{Code: "GIFT01", Description: "&pound;25.00 Gift Certificate for Bob", FromName: "Anne",
			FromEmail: "anne@example.com", ToName: "Bob &amp; Co", ToEmail: "bob@example.com", Amount: "25.0000"}}
	}

	deletedProducts, deletedTotals := simple("10.0000")
	deleted := Order{StatusID: 3, CustomerID: e.Deleted, FirstName: "Derek", LastName: "Deleted", Email: "derek@example.com",
		Payment: ukAddress, Shipping: ukAddress, PaymentMethod: Method{Title: "PayPal Express Checkout", Code: "pp_express"},
		CurrencyCode: "USD", CurrencyValue: "1.25000000", DateAdded: time.Date(2024, 3, 10, 11, 0, 0, 0, time.UTC),
		Products: deletedProducts, Totals: deletedTotals}

	missingProducts, missingTotals := simple("12.0000")
	missing := Order{StatusID: 0, FirstName: "Max", LastName: "Missing", Email: "max@example.com", Payment: ukAddress,
		DateAdded: time.Date(2024, 3, 15, 8, 0, 0, 0, time.UTC), Products: missingProducts, Totals: missingTotals}

	emojiProducts, emojiTotals := simple("15.0000")
	emojiProducts[0].Name = "Emoji 🎉 Tee"
	emoji := Order{StatusID: 1, CustomerID: e.Emoji, FirstName: "Zoë 😀", LastName: "Smith", Email: "zoe@example.com",
		Payment: ukAddress, Shipping: ukAddress, PaymentMethod: bank, Comment: "Thanks 😀 a lot",
		DateAdded: time.Date(2024, 4, 10, 10, 0, 0, 0, time.UTC), Products: emojiProducts, Totals: emojiTotals}

	emptyProducts, emptyTotals := simple("1500.0000")
	emptyProducts[0].Name = strings.Repeat("Long name ", 30)
	emptyPayment := Order{StatusID: 11, CustomerID: e.Disabled, FirstName: "Dora", LastName: "Disabled", Email: "dora@example.com",
		Shipping: ukAddress, ShippingMethod: flat, Comment: "Line1\r\nLine2\x01\x7f end\n", CurrencyCode: "JPY",
		CurrencyValue: "190.12345678", DateAdded: time.Date(2024, 5, 10, 16, 45, 0, 0, time.UTC),
		Products: emptyProducts, Totals: emptyTotals}

	unknownProducts, unknownTotals := simple("20.0000")
	unknown := Order{StatusID: 5, CustomerID: e.Long, FirstName: strings.Repeat("x", 29) + "&", LastName: strings.Repeat("L", 40),
		Email: "long@example.com", Payment: ukAddress, PaymentMethod: bank, CurrencyCode: "CHF", CurrencyValue: "0.95000000",
		DateAdded: time.Date(2024, 6, 10, 23, 59, 59, 0, time.UTC), Products: unknownProducts, Totals: unknownTotals}

	ids = d.AddOrders(guest, registered, deleted, missing, emoji, emptyPayment, unknown)
	e.Guest, e.Registered, e.DeletedCustomer, e.Missing, e.EmojiOrder, e.EmptyPayment, e.UnknownCurrency =
		ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6]
	d.DeleteCustomer(e.Deleted)

	e.RefundReturn = d.AddReturn(Return{OrderID: e.Guest, ProductID: 101, FirstName: "Grace", LastName: "Guest",
		Email: "grace@example.com", Product: `Mug "Large" & Saucer`, Model: "MUG-1", Quantity: 1, Opened: true,
		ReasonID: ReturnReasonFaulty, ActionID: ReturnActionRefunded(d.Family), StatusID: 3,
		Comment: "Handle broke off & cracked", DateOrdered: Day(2024, 1, 10), DateAdded: time.Date(2024, 1, 20, 10, 0, 0, 0, time.UTC)})
	e.CreditReturn = d.AddReturn(Return{OrderID: e.EmptyPayment, ProductID: 200, CustomerID: e.Disabled, FirstName: "Dora",
		LastName: "Disabled", Email: "dora@example.com", Product: "Plain Tee", Model: "TEE", Quantity: 2, ReasonID: 1,
		ActionID: 2, DateAdded: time.Date(2024, 5, 20, 10, 0, 0, 0, time.UTC)})
	return e
}
