package mapping

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/opencart-xero/opencart-xero/sync/mapping/mappingtest"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

func testCustomer() opencart.Customer {
	return opencart.Customer{ID: 12, FirstName: "Jane", LastName: "Smith", Email: "Jane@Example.com", Telephone: "+44 20 7946 0000",
		Enabled: true, DefaultAddressID: 3, Addresses: []opencart.Address{
			{ID: 2, FirstName: "Jane", LastName: "Smith", Address1: "Old Road 1", City: "Leeds", Country: "United Kingdom"},
			{ID: 3, FirstName: "Jane", LastName: "Smith", Company: "Smith & Co <Ltd>", Address1: "1 High St", Address2: "Flat 2",
				City: "London", Zone: "Greater London", Postcode: "N1 9GU", Country: "United Kingdom", CountryCode: "GB"},
		}}
}

func TestContactFromCustomer(t *testing.T) {
	tests := []struct {
		name        string
		change      func(*opencart.Customer, *Options)
		wantName    string
		wantEmail   string
		wantWarning bool
	}{
		{"company is the contact name", nil, "Smith & Co Ltd", "Jane@Example.com", false},
		{"person when asked", func(_ *opencart.Customer, o *Options) { o.ContactName = NamePerson }, "Jane Smith", "Jane@Example.com", false},
		{"full name without company, never only the first name", func(c *opencart.Customer, _ *Options) { c.Addresses[1].Company = "" }, "Jane Smith", "Jane@Example.com", false},
		{"invalid e-mail left out", func(c *opencart.Customer, _ *Options) { c.Email = "jane at example" }, "Smith & Co Ltd", "", true},
		{"umlaut e-mail left out", func(c *opencart.Customer, _ *Options) { c.Email = "jürgen@example.de" }, "Smith & Co Ltd", "", true},
		{"disabled customer still exported", func(c *opencart.Customer, _ *Options) { c.Enabled = false }, "Smith & Co Ltd", "Jane@Example.com", false},
		{"emoji and long names cleaned", func(c *opencart.Customer, o *Options) {
			o.ContactName = NamePerson
			c.FirstName, c.LastName = "Zoë 🌸", strings.Repeat("Ä", 300)
		}, "Zoë " + strings.Repeat("Ä", 251), "Jane@Example.com", false},
		{"no name uses the e-mail", func(c *opencart.Customer, o *Options) {
			c.FirstName, c.LastName, c.Addresses[1].Company = "", "", ""
		}, "Jane@Example.com", "Jane@Example.com", true},
		{"no default address", func(c *opencart.Customer, _ *Options) { c.DefaultAddressID = 0 }, "Jane Smith", "Jane@Example.com", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, opt := testCustomer(), testOptions()
			if tc.change != nil {
				tc.change(&c, &opt)
			}
			got, ps := ContactFromCustomer(c, opt)
			if got.Name != tc.wantName {
				t.Errorf("name %q, want %q", got.Name, tc.wantName)
			}
			if utf8.RuneCountInString(got.Name) > 255 {
				t.Errorf("name has %d characters", utf8.RuneCountInString(got.Name))
			}
			if got.EmailAddress != tc.wantEmail {
				t.Errorf("e-mail %q, want %q", got.EmailAddress, tc.wantEmail)
			}
			if got.ContactNumber != "OC-C12" {
				t.Errorf("contact number %q", got.ContactNumber)
			}
			if (len(ps) > 0) != tc.wantWarning || HasErrors(ps) {
				t.Errorf("problems %v, want warning %v", ps, tc.wantWarning)
			}
			if got.FirstName != Clean(c.FirstName, PersonNameField) && c.FirstName != "" {
				t.Errorf("first name %q", got.FirstName)
			}
		})
	}
	t.Run("addresses and phone", func(t *testing.T) {
		got, _ := ContactFromCustomer(testCustomer(), testOptions())
		want := []xero.Address{
			{AddressType: "POBOX", AddressLine1: "1 High St", AddressLine2: "Flat 2", City: "London", Region: "Greater London", PostalCode: "N1 9GU", Country: "United Kingdom", AttentionTo: "Jane Smith"},
			{AddressType: "STREET", AddressLine1: "1 High St", AddressLine2: "Flat 2", City: "London", Region: "Greater London", PostalCode: "N1 9GU", Country: "United Kingdom", AttentionTo: "Jane Smith"},
		}
		if len(got.Addresses) != 2 || got.Addresses[0] != want[0] || got.Addresses[1] != want[1] {
			t.Errorf("addresses %+v", got.Addresses)
		}
		if len(got.Phones) != 1 || got.Phones[0].PhoneNumber != "+44 20 7946 0000" || got.Phones[0].PhoneType != "DEFAULT" {
			t.Errorf("phones %+v", got.Phones)
		}
	})
}

// testGuestOrder is the corpus guest's order, numbered 501, from France.
func testGuestOrder() opencart.Order {
	var o opencart.Order
	for _, c := range mappingtest.Corpus() {
		if c.Name == "guest" {
			o = c.Order
		}
	}
	o.ID = 501
	o.FirstName, o.LastName, o.Email = "Ann", "Lee", "Ann.Lee@Example.org"
	o.Payment = opencart.OrderAddress{FirstName: "Ann", LastName: "Lee", Address1: "5 Rue Neuve", City: "Lyon", Postcode: "69001", Country: "France"}
	o.Shipping = opencart.OrderAddress{FirstName: "Ann", LastName: "Lee", Address1: "9 Quai Sud", City: "Lyon", Postcode: "69002", Country: "France"}
	return o
}

func TestContactFromOrder(t *testing.T) {
	t.Run("guest keyed by lower-cased e-mail and name", func(t *testing.T) {
		o := testGuestOrder()
		c, ps := ContactFromOrder(o, testOptions())
		if len(ps) > 0 {
			t.Fatal(ps)
		}
		if c.ContactNumber != GuestPersonKey("ann.lee@example.org", "Ann", "Lee") || !strings.HasPrefix(c.ContactNumber, "OC-G") || len(c.ContactNumber) > 50 {
			t.Errorf("contact number %q", c.ContactNumber)
		}
		if GuestPersonKey(" ANN.LEE@example.ORG ", " ann ", "LEE.") != c.ContactNumber {
			t.Error("guest key depends on case, spaces or punctuation")
		}
		if GuestPersonKey("other@example.org", "Ann", "Lee") == c.ContactNumber {
			t.Error("two addresses share a guest key")
		}
		if GuestPersonKey("ann.lee@example.org", "Bob", "Green") == c.ContactNumber {
			t.Error("two people on one address share a guest key")
		}
		if GuestPersonKey("ann.lee@example.org", "", "") != GuestKey("ann.lee@example.org") {
			t.Error("a guest without a name is not keyed by the e-mail alone")
		}
		if !IsGuestKeyOf(GuestKey("ann.lee@example.org"), "Ann.Lee@example.org", "Ann", "Lee") || !IsGuestKeyOf(c.ContactNumber, "ann.lee@example.org", "ANN", "lee") ||
			IsGuestKeyOf(GuestPersonKey("ann.lee@example.org", "Bob", "Green"), "ann.lee@example.org", "Ann", "Lee") {
			t.Error("IsGuestKeyOf")
		}
		if c.Name != "Ann Lee" || c.EmailAddress != "Ann.Lee@Example.org" {
			t.Errorf("name %q e-mail %q", c.Name, c.EmailAddress)
		}
		if len(c.Addresses) != 2 || c.Addresses[0].AddressLine1 != "5 Rue Neuve" || c.Addresses[1].AddressLine1 != "9 Quai Sud" {
			t.Errorf("addresses %+v", c.Addresses)
		}
		if ContactKey(o) != c.ContactNumber {
			t.Errorf("ContactKey %q", ContactKey(o))
		}
	})
	t.Run("4.x without payment address uses the shipping address", func(t *testing.T) {
		o := testGuestOrder()
		o.Payment = opencart.OrderAddress{}
		c, _ := ContactFromOrder(o, testOptions())
		if len(c.Addresses) != 2 || c.Addresses[0].AddressType != "POBOX" || c.Addresses[0].AddressLine1 != "9 Quai Sud" {
			t.Errorf("addresses %+v", c.Addresses)
		}
	})
	t.Run("deleted customer becomes a guest", func(t *testing.T) {
		o := testGuestOrder()
		o.CustomerID, o.CustomerDeleted = 88, true
		if ContactKey(o) != GuestPersonKey(o.Email, o.FirstName, o.LastName) {
			t.Errorf("key %q", ContactKey(o))
		}
		o.CustomerDeleted = false
		if ContactKey(o) != "OC-C88" {
			t.Errorf("key %q", ContactKey(o))
		}
	})
	t.Run("guest without e-mail gets a contact of its own", func(t *testing.T) {
		o := testGuestOrder()
		o.Email = ""
		c, _ := ContactFromOrder(o, testOptions())
		if c.ContactNumber != "OC-GO501" {
			t.Errorf("key %q", c.ContactNumber)
		}
	})
	t.Run("company from the payment address", func(t *testing.T) {
		o := testGuestOrder()
		o.Payment.Company = "Lee Imports"
		c, _ := ContactFromOrder(o, testOptions())
		if c.Name != "Lee Imports" || c.FirstName != "Ann" || c.LastName != "Lee" {
			t.Errorf("%q %q %q", c.Name, c.FirstName, c.LastName)
		}
	})
}

func TestContactNames(t *testing.T) {
	names := NewContactNames(map[string]string{"Acme Ltd": "OC-C1"})
	claim := func(name, email, number string) string {
		c := xero.Contact{Name: name, EmailAddress: email, ContactNumber: number}
		names.Claim(&c)
		return c.Name
	}
	long := strings.Repeat("x", 255)
	tests := []struct {
		name, email, number, want string
	}{
		{"Jane Smith", "jane@example.com", "OC-C2", "Jane Smith"},
		{"Jane Smith", "jane@example.com", "OC-C2", "Jane Smith"}, // the same customer again
		{"JANE  SMITH", "jane.smith@other.example", "OC-C3", "JANE SMITH (jane.smith@other.example)"},
		{"Jane Smith", "jane@example.com", "OC-C4", "Jane Smith (jane@example.com)"}, // same name and e-mail, other customer
		{"Jane Smith", "jane@example.com", "OC-C8", "Jane Smith (OC-C8)"},
		{"Jane Smith", "", "OC-G1a2b", "Jane Smith (OC-G1a2b)"},
		{"acme ltd", "", "OC-C5", "acme ltd (OC-C5)"}, // taken in Xero already
		{"Acme Ltd", "", "OC-C1", "Acme Ltd"},
		{long, "a@b.co", "OC-C6", long},
		{long, "a@b.co", "OC-C7", strings.Repeat("x", 255-len(" (a@b.co)")) + " (a@b.co)"},
	}
	for _, tc := range tests {
		if got := claim(tc.name, tc.email, tc.number); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.name, tc.number, got, tc.want)
		}
	}
	// A name someone literally has that equals a disambiguated one.
	c := xero.Contact{Name: "Jane Smith (OC-C8)", ContactNumber: "OC-C9"}
	if !names.Claim(&c) || c.Name != "Jane Smith (OC-C8) (OC-C9)" {
		t.Errorf("collision with a disambiguated name kept: %q", c.Name)
	}
}

func TestCustomerID(t *testing.T) {
	if id, ok := CustomerID(CustomerKey(12)); !ok || id != 12 {
		t.Errorf("CustomerID(CustomerKey(12)) = %d, %v", id, ok)
	}
	for _, number := range []string{"", "OC-C", "OC-Cx", "OC-C012", GuestKey("ann@example.org"), "C12", "12"} {
		if id, ok := CustomerID(number); ok || id != 0 {
			t.Errorf("CustomerID(%q) = %d, want not a customer's", number, id)
		}
	}
}
