package export_test

// What real shop databases hold (issue 17): a base currency changed since
// old orders, one e-mail for several people, a guest who registers later,
// VAT numbers in custom fields, markup in extension titles, file uploads,
// a status missing from order_status, and no tax rows. Each situation is
// built in OpenCart's own tables and sent to the Xero sandbox over HTTP.

import (
	"context"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// record reads a record or fails.
func (e *env) record(kind, id string) history.Record {
	e.t.Helper()
	rec, err := e.hist.RecordFor(context.Background(), kind, id)
	if err != nil {
		e.t.Fatalf("%s record %s: %v", kind, id, err)
	}
	return rec
}

// runWarnings are the run-level warnings reported so far.
func (e *env) runWarnings() []string {
	var out []string
	for _, o := range e.events.outcomes() {
		if o.Kind == "run" && o.State == "warning" {
			out = append(out, o.Message)
		}
	}
	return out
}

// onlyInvoice is the one sandbox invoice numbered so, or fails.
func (e *env) onlyInvoice(number string) xerotest.Invoice {
	e.t.Helper()
	got := e.invoicesNumbered(number)
	if len(got) != 1 {
		e.t.Fatalf("%d invoices numbered %s in Xero, want 1", len(got), number)
	}
	return got[0]
}

func (e *env) contactsNamed(name string) []xerotest.Contact {
	var out []xerotest.Contact
	for _, c := range e.sandbox.Contacts(tenant) {
		if strings.EqualFold(c.Name, name) {
			out = append(out, c)
		}
	}
	return out
}

// TestUntrustedExchangeRateIsNotSent: an old USD order stored with rate 1
// from the days USD was the shop's base (the shop and Xero now keep GBP),
// and a EUR order whose stored rate is ten times today's, are sent in
// their own currency, to the cent of what the customer was shown, without
// a CurrencyRate (Xero applies its own: the sandbox's 1.27 for USD) and
// with a note — or refused with a plain message when Settings say so. A
// trustworthy rate is still sent as it is.
func TestUntrustedExchangeRateIsNotSent(t *testing.T) {
	for _, tc := range []struct {
		name, policy         string
		currency, rate       string
		wantTotal, wantRate  string // Xero's; "" = not in Xero
		wantNote, wantRefuse string
	}{
		{"base currency changed: USD order at rate 1, xero_rate", mapping.RateXero, "USD", "1.00000000", "126.00", "1.27", "exactly 1 while the shop's currency is GBP", ""},
		{"base currency changed: USD order at rate 1, refuse", mapping.RateRefuse, "USD", "1.00000000", "", "", "", "is not exported (Settings: untrusted exchange rates are refused)"},
		{"rate ten times today's, xero_rate", "", "EUR", "11.70000000", "1474.20", "1.15", "more than 3 times away from the shop's EUR rate of today (1.17)", ""},
		{"a trustworthy rate is sent", mapping.RateRefuse, "EUR", "1.10000000", "138.60", "1.1", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, opencart.Family30)
			s := e.settings(mapping.StatusAuthorised)
			s.ImplausibleRate = tc.policy
			o := vatOrder(8101, 0, "Old", "Customer", "old@example.com", 5, []octest.Product{product("Lamp", 1, "100.0000", "20.0000")}, nil, "21.0000", "126.0000")
			o.CurrencyCode, o.CurrencyValue = tc.currency, tc.rate
			e.shop.AddOrder(o)
			e.run(s, export.Request{Scope: export.ScopeOrders})
			rec := e.record(history.KindInvoice, "8101")
			if tc.wantRefuse != "" {
				if rec.State != history.StateFailed || !strings.Contains(rec.Error, tc.wantRefuse) || len(e.invoicesNumbered("OC-8101")) != 0 {
					t.Fatalf("record %s %q; invoices %d", rec.State, rec.Error, len(e.invoicesNumbered("OC-8101")))
				}
				return
			}
			inv := e.onlyInvoice("OC-8101")
			if inv.CurrencyCode != tc.currency || inv.Total == nil || inv.Total.StringFixed(2) != tc.wantTotal || inv.CurrencyRate == nil || inv.CurrencyRate.String() != tc.wantRate {
				t.Fatalf("invoice %s total %v rate %v, want %s %s at %s", inv.CurrencyCode, inv.Total, inv.CurrencyRate, tc.currency, tc.wantTotal, tc.wantRate)
			}
			if rec.State != history.StateExported || rec.OpenCartTotal != tc.wantTotal {
				t.Fatalf("record %+v", rec)
			}
			noted := false
			for _, out := range e.events.outcomes() {
				if out.OpenCartID == "8101" && out.Kind == history.KindInvoice {
					noted = noted || strings.Contains(strings.Join(out.Problems, "\n"), tc.wantNote) && tc.wantNote != ""
				}
			}
			if noted != (tc.wantNote != "") {
				t.Fatalf("note %v, want %q: %+v", noted, tc.wantNote, e.events.outcomes())
			}
		})
	}
}

// guestOrder is a 126.00 guest order (100.00 + shipping 5.00 + VAT 21.00).
func guestOrder(id int, first, last, email string) octest.Order {
	o := vatOrder(id, 0, first, last, email, 2, []octest.Product{product("Teapot", 1, "100.0000", "20.0000")}, nil, "21.0000", "126.0000")
	o.Payment.Address1 = "1 " + last + " Road"
	return o
}

// TestPhoneOrdersOnTheShopsEmailKeepOnePersonPerContact: staff key phone
// orders in with the shop's own e-mail address for different buyers:
// each buyer gets a contact of their own, the run says the address is
// shared, and a buyer's second order joins their contact.
func TestPhoneOrdersOnTheShopsEmailKeepOnePersonPerContact(t *testing.T) {
	e := newEnv(t, opencart.Family41)
	s := e.settings(mapping.StatusAuthorised)
	shopEmail := "orders@shop.example"
	e.shop.AddOrders(guestOrder(8201, "Alice", "Brown", shopEmail), guestOrder(8202, "Bob", "Green", shopEmail), guestOrder(8203, "alice", "BROWN", shopEmail))
	if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		t.Fatalf("run: %+v", sum)
	}
	alice, bob, alice2 := e.onlyInvoice("OC-8201"), e.onlyInvoice("OC-8202"), e.onlyInvoice("OC-8203")
	if alice.Contact.ContactID == bob.Contact.ContactID {
		t.Fatal("Bob Green's invoice is on Alice Brown's contact")
	}
	if alice.Contact.ContactID != alice2.Contact.ContactID {
		t.Fatal("Alice Brown's second order has a contact of its own")
	}
	if len(e.contactsNamed("Alice Brown")) != 1 || len(e.contactsNamed("Bob Green")) != 1 {
		t.Fatalf("contacts: %+v", e.sandbox.Contacts(tenant))
	}
	shared := false
	for _, w := range e.runWarnings() {
		shared = shared || strings.Contains(w, shopEmail) && strings.Contains(w, "Alice Brown") && strings.Contains(w, "Bob Green") && strings.Contains(w, "2 different people")
	}
	if !shared {
		t.Fatalf("the run does not say the e-mail is shared: %q", e.runWarnings())
	}
}

// TestGuestWhoRegistersKeepsOneContact: Jane orders as a guest, then
// registers with the same e-mail, name and address and orders again: she
// keeps one contact (the guest contact, now under her account's number),
// with both invoices on it. A registered namesake at another address on
// the same e-mail is not merged with a guest.
func TestGuestWhoRegistersKeepsOneContact(t *testing.T) {
	for _, family := range []opencart.Family{opencart.Family30, opencart.Family40} {
		t.Run(string(family), func(t *testing.T) {
			e := newEnv(t, family)
			s := e.settings(mapping.StatusAuthorised)
			e.shop.AddOrder(guestOrder(8301, "Jane", "Smith", "jane@example.com"))
			if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
				t.Fatalf("first run: %+v", sum)
			}
			guestContact := e.onlyInvoice("OC-8301").Contact.ContactID
			jane := e.shop.AddCustomer(octest.Customer{FirstName: "Jane", LastName: "Smith", Email: "jane@example.com",
				Addresses: []octest.Address{{FirstName: "Jane", LastName: "Smith", Address1: "1 Smith Road", City: "London", Postcode: "SW1A 1AA", CountryID: octest.CountryUK, Default: true}}})
			o := vatOrder(8302, jane, "Jane", "Smith", "jane@example.com", 2, []octest.Product{product("Cup", 1, "10.0000", "2.0000")}, nil, "3.0000", "18.0000")
			e.shop.AddOrder(o)
			if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
				t.Fatalf("second run: %+v", sum)
			}
			if got := e.onlyInvoice("OC-8302").Contact.ContactID; got != guestContact {
				t.Fatalf("the registered customer's invoice is on %s, the guest orders on %s", got, guestContact)
			}
			if n := len(e.contactsNamed("Jane Smith")) + len(e.contactsNamed("Jane Smith (jane@example.com)")); n != 1 {
				t.Fatalf("%d contacts for Jane Smith: %+v", n, e.sandbox.Contacts(tenant))
			}
			if rec := e.record(history.KindContact, mapping.CustomerKey(jane)); rec.XeroID != guestContact {
				t.Fatalf("the customer's contact record %+v", rec)
			}
			// A later guest order of hers still lands on the one contact.
			e.shop.AddOrder(guestOrder(8303, "Jane", "Smith", "jane@example.com"))
			if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
				t.Fatalf("third run: %+v", sum)
			}
			if got := e.onlyInvoice("OC-8303").Contact.ContactID; got != guestContact {
				t.Fatalf("her later guest order is on %s", got)
			}
		})
	}
}

// TestGuestContactFromBeforeNamesKeepsWorking: a history written when
// guests were keyed by e-mail alone (a contact numbered GuestKey(e-mail)
// already in Xero): the same person's new orders join it, nothing is
// duplicated or renumbered, and another person on that e-mail gets a
// contact of their own.
func TestGuestContactFromBeforeNamesKeepsWorking(t *testing.T) {
	e := newEnv(t, opencart.Family40)
	s := e.settings(mapping.StatusAuthorised)
	ctx := context.Background()
	legacy := mapping.GuestKey("family@example.com")
	res, err := e.client.UpdateContacts(ctx, []xero.Contact{{ContactNumber: legacy, Name: "Carol White", FirstName: "Carol", LastName: "White", EmailAddress: "family@example.com"}}, "legacy-contact")
	if err != nil || len(res) != 1 || res[0].Err != nil {
		t.Fatalf("the contact from before: %v %+v", err, res)
	}
	if _, err := e.hist.SaveRecord(ctx, history.Record{Kind: history.KindContact, OpenCartID: legacy, XeroID: res[0].Item.ContactID,
		XeroNumber: legacy, State: history.StateExported, ContentHash: "from-an-older-version"}); err != nil {
		t.Fatal(err)
	}
	e.shop.AddOrders(guestOrder(8401, "Carol", "White", "family@example.com"), guestOrder(8402, "Dan", "White", "family@example.com"))
	if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		t.Fatalf("run: %+v", sum)
	}
	if got := e.onlyInvoice("OC-8401").Contact.ContactID; got != res[0].Item.ContactID {
		t.Fatalf("Carol's new order is on %s, not on her contact %s", got, res[0].Item.ContactID)
	}
	carol := e.contactsNamed("Carol White")
	if len(carol) != 1 || carol[0].ContactNumber != legacy || len(e.contactsNamed("Carol White (family@example.com)")) != 0 {
		t.Fatalf("Carol's contacts: %+v", e.sandbox.Contacts(tenant))
	}
	if got := e.onlyInvoice("OC-8402").Contact.ContactID; got == res[0].Item.ContactID {
		t.Fatal("Dan's order is on Carol's contact")
	}
	if again := e.rerunSendsNothing(s); again.Failed != 0 {
		t.Fatalf("a run later: %+v", again)
	}
}

// TestVATNumberCustomFieldReachesTaxNumber: a "VAT Number" custom field on
// the account (customer.custom_field) and on a guest's order
// (order.custom_field), and a renamed field chosen in Settings, reach the
// Xero contact's TaxNumber, in 3.0 and 4.1 shapes; a value longer than
// Xero's 50 characters is left off with a note, never cut.
func TestVATNumberCustomFieldReachesTaxNumber(t *testing.T) {
	for _, family := range []opencart.Family{opencart.Family30, opencart.Family41} {
		t.Run(string(family), func(t *testing.T) {
			e := newEnv(t, family)
			// The fields exist before the reader first reads the shop
			// (reference tables are read once per connection).
			vat := e.shop.AddCustomField(octest.CustomField{Name: "VAT Number"})
			steuer := e.shop.AddCustomField(octest.CustomField{Name: "Steuernummer", Location: "address"})
			other := e.shop.AddCustomField(octest.CustomField{Name: "Favourite colour"})
			s := e.settings(mapping.StatusAuthorised)
			b2b := e.shop.AddCustomer(octest.Customer{FirstName: "Max", LastName: "Kunde", Email: "max@firma.example",
				CustomFields: map[string]any{vat: "GB123456789", other: "blue"}})
			guest := guestOrder(8501, "Eva", "Gast", "eva@example.com")
			guest.CustomFields = map[string]any{vat: " DE 811 907 980 "}
			long := guestOrder(8502, "Lena", "Lang", "lena@example.com")
			long.CustomFields = map[string]any{vat: strings.Repeat("X", 51)}
			named := guestOrder(8503, "Sam", "Steuer", "sam@example.com")
			named.Payment.CustomFields = map[string]any{steuer: "12/345/67890"}
			e.shop.AddOrders(guest, long, named)
			s.TaxNumberFields = append(append([]string(nil), opencart.DefaultTaxNumberFields...), "Steuernummer")
			if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
				t.Fatalf("run: %+v", sum)
			}
			want := map[string]string{"Max Kunde": "GB123456789", "Eva Gast": "DE 811 907 980", "Lena Lang": "", "Sam Steuer": "12/345/67890"}
			for name, tn := range want {
				cs := e.contactsNamed(name)
				if len(cs) != 1 || cs[0].TaxNumber != tn {
					t.Errorf("%s: %+v, want TaxNumber %q", name, cs, tn)
				}
			}
			noted := false
			for _, out := range e.events.outcomes() {
				noted = noted || out.Kind == history.KindContact && strings.Contains(strings.Join(out.Problems, "\n"), "longer than the 50 characters")
			}
			if !noted {
				t.Error("the VAT number too long for Xero is left off without a note")
			}
			// The reader exposes the number and the field mapping.
			o, err := e.store.Order(context.Background(), 8501)
			if err != nil || o.TaxNumber != "DE 811 907 980" {
				t.Fatalf("Order.TaxNumber %q, %v", o.TaxNumber, err)
			}
			c, err := e.store.Customer(context.Background(), b2b)
			if err != nil || c.TaxNumber != "GB123456789" {
				t.Fatalf("Customer.TaxNumber %q, %v", c.TaxNumber, err)
			}
			sum, err := e.store.Check(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			marked := map[string]bool{}
			for _, f := range sum.CustomFields {
				marked[f.Name] = f.TaxNumber
			}
			if len(marked) != 3 || !marked["VAT Number"] || !marked["Steuernummer"] || marked["Favourite colour"] {
				t.Fatalf("store check's custom fields: %+v", sum.CustomFields)
			}
		})
	}
}

// TestExtensionTitlesAndUploadsAreText: a payment method titled with an
// <img> logo and a shipping title with <br />, in 3.0 (plain title
// columns) and 4.0 (JSON methods) shapes, reach the invoice reference, the
// payment reference and the shipping line as text; a file-upload option
// shows the uploaded file's name, not its 40-character code.
func TestExtensionTitlesAndUploadsAreText(t *testing.T) {
	for _, family := range []opencart.Family{opencart.Family30, opencart.Family40} {
		t.Run(string(family), func(t *testing.T) {
			e := newEnv(t, family)
			s := e.settings(mapping.StatusAuthorised)
			code := e.shop.AddUpload("artwork-final.pdf")
			gone := strings.Repeat("ab", 20) // an upload row deleted since
			p := product("Poster", 1, "100.0000", "20.0000")
			p.Options = []octest.ProductOption{{Name: "Your artwork", Value: code, Type: "file"}, {Name: "Old file", Value: gone, Type: "file"}, {Name: "Size", Value: "A2", Type: "select"}}
			o := vatOrder(8601, 0, "Ivy", "Print", "ivy@example.com", 5, []octest.Product{p}, nil, "21.0000", "126.0000")
			o.PaymentMethod = octest.Method{Title: `<img src="paypal.png" alt="PayPal" /> Express Checkout`, Code: "pp_express"}
			o.Totals[1].Title = "Royal Mail<br />Signed For<br>1st Class"
			e.shop.AddOrder(o)
			if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
				t.Fatalf("run: %+v", sum)
			}
			inv := e.onlyInvoice("OC-8601")
			if inv.Reference != "Order 8601 · PayPal Express Checkout" {
				t.Errorf("reference %q", inv.Reference)
			}
			var lines []string
			for _, l := range inv.LineItems {
				lines = append(lines, l.Description)
			}
			all := strings.Join(lines, "\n")
			if !strings.Contains(all, "Royal Mail Signed For 1st Class") || !strings.Contains(all, "Your artwork: artwork-final.pdf") ||
				!strings.Contains(all, "Old file: uploaded file") || strings.Contains(all, code) || strings.Contains(all, gone) || strings.ContainsAny(all, "<>") {
				t.Errorf("lines:\n%s", all)
			}
			if inv.Total == nil || inv.Total.StringFixed(2) != "126.00" {
				t.Errorf("total %v", inv.Total)
			}
			for _, pay := range e.sandbox.Payments(tenant) {
				if strings.ContainsAny(pay.Reference, "<>") {
					t.Errorf("payment reference %q", pay.Reference)
				}
			}
			if again := e.rerunSendsNothing(s); again.Failed != 0 {
				t.Fatalf("a run later: %+v", again)
			}
		})
	}
}

// TestOrderInUnknownStatusIsReported: an order in a status missing from
// order_status (a module's own) is not exported but refused on its record
// with what to do, said once for the run and in store check; a missing
// order (status 0) stays out of everything; once the status is listed as
// paid in Settings, the order is exported and paid.
func TestOrderInUnknownStatusIsReported(t *testing.T) {
	e := newEnv(t, opencart.Family41)
	s := e.settings(mapping.StatusAuthorised)
	e.shop.AddOrders(guestOrder(8701, "Kim", "Module", "kim@example.com"), guestOrder(8702, "Abandoned", "Cart", "cart@example.com"))
	e.setStatus(8701, 27)
	e.setStatus(8702, 0)
	e.run(s, export.Request{Scope: export.ScopeAll})
	rec := e.record(history.KindInvoice, "8701")
	if rec.State != history.StateFailed || !strings.Contains(rec.Error, "order status 27 is not one of the shop's order statuses") || !strings.Contains(rec.Error, "Order Statuses") {
		t.Fatalf("record %s %q", rec.State, rec.Error)
	}
	if _, err := e.hist.RecordFor(context.Background(), history.KindInvoice, "8702"); err == nil {
		t.Fatal("a missing order (status 0) got a record")
	}
	said := 0
	for _, w := range e.runWarnings() {
		if strings.Contains(w, "order status 27") {
			said++
		}
	}
	if said != 1 {
		t.Fatalf("the run says it %d times: %q", said, e.runWarnings())
	}
	sum, err := e.store.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.UnknownStatuses) != 1 || sum.UnknownStatuses[0].ID != 27 || sum.UnknownStatuses[0].Count != 1 || sum.MissingOrders != 1 ||
		!strings.Contains(strings.Join(sum.Warnings, "\n"), "order status 27") {
		t.Fatalf("store check: %+v", sum)
	}
	s.PaidStatusIDs = append(s.PaidStatusIDs, 27)
	e.shop.Exec("UPDATE {prefix}order_history SET order_status_id = 27 WHERE order_id = 8701")
	if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		t.Fatalf("run with 27 as paid: %+v", sum)
	}
	inv := e.onlyInvoice("OC-8701")
	if inv.Status != "PAID" || inv.Total.StringFixed(2) != "126.00" {
		t.Fatalf("invoice %s %v", inv.Status, inv.Total)
	}
}

// TestShopWithoutTaxRows: the "Taxes" order total switched off, so orders
// keep the per-product tax (order_product.tax) but no tax row. Where the
// total leaves the tax out, the customer paid none and the invoice has
// none; where the products' tax makes up the total, the invoice carries it
// by rate; where neither adds up, the order is refused with the numbers.
// Every invoice sent equals OpenCart's total to the cent.
func TestShopWithoutTaxRows(t *testing.T) {
	for _, tc := range []struct {
		name              string
		total             string
		wantTotal, wantTx string // "" = refused
		wantNote          string
	}{
		{"the total leaves the tax out", "205.0000", "205.00", "0.00", "the customer was charged no tax"},
		{"the products' tax makes up the total", "245.0000", "245.00", "40.00", "taken from the products' stored tax"},
		{"neither adds up", "250.0000", "", "", "together 245.0000, but the order total is 250.0000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, opencart.Family30)
			s := e.settings(mapping.StatusAuthorised)
			o := vatOrder(8801, 0, "Nora", "Notax", "nora@example.com", 2, []octest.Product{product("Chair", 2, "100.0000", "20.0000")}, nil, "", tc.total)
			e.shop.AddOrder(o)
			e.run(s, export.Request{Scope: export.ScopeOrders})
			rec := e.record(history.KindInvoice, "8801")
			var problems string
			for _, out := range e.events.outcomes() {
				if out.Kind == history.KindInvoice && out.OpenCartID == "8801" {
					problems += strings.Join(out.Problems, "\n") + out.Message
				}
			}
			if !strings.Contains(problems+rec.Error, tc.wantNote) || strings.Contains(problems+rec.Error, "edited") {
				t.Fatalf("problems %q / %q, want %q", problems, rec.Error, tc.wantNote)
			}
			if tc.wantTotal == "" {
				if rec.State != history.StateFailed || len(e.invoicesNumbered("OC-8801")) != 0 {
					t.Fatalf("record %s, invoices %d", rec.State, len(e.invoicesNumbered("OC-8801")))
				}
				return
			}
			inv := e.onlyInvoice("OC-8801")
			if inv.Total.StringFixed(2) != tc.wantTotal || inv.TotalTax.StringFixed(2) != tc.wantTx || rec.State != history.StateExported {
				t.Fatalf("invoice total %v tax %v, record %s", inv.Total, inv.TotalTax, rec.State)
			}
		})
	}
}
