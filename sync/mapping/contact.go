package mapping

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// CustomerKey is the Xero ContactNumber of a registered customer under
// the default prefix (Options.CustomerKey for a profile's).
func CustomerKey(customerID int) string { return Options{}.CustomerKey(customerID) }

// CustomerID reads back a CustomerKey of the default prefix; ok is false
// for any other contact number (a guest's, or one the bookkeeper typed in
// Xero). Options.CustomerIDOf reads a profile's.
func CustomerID(contactNumber string) (customerID int, ok bool) {
	return Options{}.CustomerIDOf(contactNumber)
}

// GuestKey is the ContactNumber guests were keyed by (under the default
// prefix) before the key held their name: a short hash of the lower-cased
// e-mail address alone. It is still the key of a guest without a name, and
// contacts exported under it keep it (docs/ACCOUNTANTS.md, "One person,
// one contact").
func GuestKey(email string) string { return Options{}.GuestKey(email) }

// GuestPersonKey is the Xero ContactNumber of a guest under the default
// prefix: a short hash of the lower-cased e-mail address and the
// normalised name (PersonName), so that different people on one e-mail
// address (the shop's own, for orders taken by phone; a family's) never
// share a contact. Without a name it is GuestKey.
func GuestPersonKey(email, first, last string) string {
	return Options{}.GuestPersonKey(email, first, last)
}

// PersonName is a name as compared between orders and contacts: first and
// last name, NFKC, lower case, letters and digits only, single spaces.
func PersonName(first, last string) string {
	s := norm.NFKC.String(first + " " + last)
	var words []string
	for _, w := range strings.Fields(s) {
		w = strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return unicode.ToLower(r)
			}
			return -1
		}, w)
		if w != "" {
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}

// IsGuestKeyOf reports whether number is a guest contact number (under the
// default prefix) that OpenCart orders of this e-mail address and name are,
// or were, keyed by.
func IsGuestKeyOf(number, email, first, last string) bool {
	return Options{}.IsGuestKeyOf(number, email, first, last)
}

// ContactKey is the Xero ContactNumber of the customer of an order under
// the default prefix: the customer account when it still exists, otherwise
// the guest key of the order's e-mail and name (an order without an e-mail
// gets a contact of its own).
func ContactKey(o opencart.Order) string { return Options{}.ContactKey(o) }

// person is who a contact is made from, whatever the source.
type person struct {
	first, last, company, email, phone string
	taxNumber                          string
	billing, delivery                  *xero.Address
}

// ContactFromCustomer turns a customer account into a Xero contact, with
// billing (POBOX) and delivery (STREET) addresses from the default address.
func ContactFromCustomer(c opencart.Customer, opt Options) (xero.Contact, []Problem) {
	pr := person{first: c.FirstName, last: c.LastName, email: c.Email, phone: c.Telephone, taxNumber: c.TaxNumber}
	if a, ok := c.DefaultAddress(); ok {
		pr.company = a.Company
		pr.billing = xeroAddress("POBOX", a.FirstName, a.LastName, a.Company, a.Address1, a.Address2, a.City, a.Zone, a.Postcode, a.Country)
		pr.delivery = xeroAddress("STREET", a.FirstName, a.LastName, a.Company, a.Address1, a.Address2, a.City, a.Zone, a.Postcode, a.Country)
	}
	return pr.contact(opt.CustomerKey(c.ID), opt)
}

// ContactFromOrder turns the customer details on an order into a Xero
// contact: for guests and deleted customers (keyed by e-mail) and for
// customers whose account is not at hand. The payment address is the
// billing address; when 4.x collected none, the shipping address is used.
func ContactFromOrder(o opencart.Order, opt Options) (xero.Contact, []Problem) {
	pay, ship := o.Payment, o.Shipping
	if pay.Empty() {
		pay = ship
	}
	if ship.Empty() {
		ship = pay
	}
	pr := person{first: o.FirstName, last: o.LastName, email: o.Email, phone: o.Telephone, company: pay.Company, taxNumber: o.TaxNumber}
	if strings.TrimSpace(pr.first+pr.last) == "" {
		pr.first, pr.last = pay.FirstName, pay.LastName
	}
	if !pay.Empty() {
		pr.billing = xeroAddress("POBOX", pay.FirstName, pay.LastName, pay.Company, pay.Address1, pay.Address2, pay.City, pay.Zone, pay.Postcode, pay.Country)
		pr.delivery = xeroAddress("STREET", ship.FirstName, ship.LastName, ship.Company, ship.Address1, ship.Address2, ship.City, ship.Zone, ship.Postcode, ship.Country)
	}
	return pr.contact(opt.ContactKey(o), opt)
}

func (pr person) contact(key string, opt Options) (xero.Contact, []Problem) {
	var ps problems
	c := xero.Contact{ContactNumber: Clean(key, ContactNumberField)}
	first, last := cleanOptional(pr.first, PersonNameField), cleanOptional(pr.last, PersonNameField)
	c.FirstName, c.LastName = first, last
	full := strings.TrimSpace(first + " " + last)
	company := cleanOptional(pr.company, ContactNameField)
	email, valid := "", false
	if strings.TrimSpace(pr.email) != "" {
		email, valid = CleanEmail(pr.email)
		if valid {
			c.EmailAddress = email
		} else {
			ps.warnf("e-mail", "%q is not an e-mail address Xero accepts; the contact is sent without it", pr.email)
		}
	}
	switch {
	case company != "" && opt.ContactName != NamePerson:
		c.Name = company
	case full != "":
		c.Name = full
	case company != "":
		c.Name = company
	case valid:
		c.Name = email
		ps.warnf("name", "the customer has no name; the contact is named after the e-mail address")
	default:
		c.Name = c.ContactNumber
		ps.warnf("name", "the customer has no name and no e-mail address; the contact is named %s", c.ContactNumber)
	}
	c.Name = Clean(c.Name, ContactNameField)
	if tn := cleanOptional(pr.taxNumber, Field{Name: "tax number", NoAngle: true}); utf8.RuneCountInString(tn) > TaxNumberField.MaxLen {
		// A number cut short is a wrong number: better none.
		ps.warnf("tax number", "the VAT/tax number %q is longer than the %d characters Xero keeps; the contact is sent without it", tn, TaxNumberField.MaxLen)
	} else {
		c.TaxNumber = tn
	}
	if phone := cleanOptional(pr.phone, PhoneField); phone != "" {
		c.Phones = []xero.Phone{{PhoneType: "DEFAULT", PhoneNumber: phone}}
	}
	for _, a := range []*xero.Address{pr.billing, pr.delivery} {
		if a != nil {
			c.Addresses = append(c.Addresses, *a)
		}
	}
	return c, ps
}

// xeroAddress makes a Xero address, or nil when there is nothing in it.
func xeroAddress(kind, first, last, company, line1, line2, city, region, postcode, country string) *xero.Address {
	a := xero.Address{
		AddressType:  kind,
		AddressLine1: cleanOptional(line1, AddressLineField),
		AddressLine2: cleanOptional(line2, AddressLineField),
		City:         cleanOptional(city, CityField),
		Region:       cleanOptional(region, RegionField),
		PostalCode:   cleanOptional(postcode, PostalCodeField),
		Country:      cleanOptional(country, CountryField),
	}
	if a.AddressLine1 == "" && a.AddressLine2 == "" && a.City == "" && a.PostalCode == "" && a.Country == "" {
		return nil
	}
	if strings.TrimSpace(company) != "" {
		a.AttentionTo = cleanOptional(strings.TrimSpace(first+" "+last), PersonNameField)
	}
	return &a
}

// ContactNames keeps Xero's rule that no two active contacts share a name
// (compared without regard to case): a different customer with a name
// already taken gets a readable disambiguator, first its e-mail address,
// then its contact number. Claims are deterministic for the same order
// of calls.
type ContactNames struct {
	owner map[string]string // lower-cased name → ContactNumber
}

// NewContactNames starts from the names already in Xero, by contact number.
func NewContactNames(existing map[string]string) *ContactNames {
	n := &ContactNames{owner: map[string]string{}}
	for _, name := range sortedKeys(existing) {
		n.owner[nameKey(name)] = existing[name]
	}
	return n
}

func nameKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

// Reserve records that name belongs to owner (e.g. a contact Xero already
// has), whoever claimed it before.
func (n *ContactNames) Reserve(name, owner string) { n.owner[nameKey(name)] = owner }

// Claim gives the contact a name no other contact has, records it, and
// reports whether the name had to change.
func (n *ContactNames) Claim(c *xero.Contact) bool {
	base := c.Name
	candidates := []string{base}
	if c.EmailAddress != "" {
		candidates = append(candidates, withSuffix(base, " ("+c.EmailAddress+")"))
	}
	candidates = append(candidates, withSuffix(base, " ("+c.ContactNumber+")"))
	for i := 2; ; i++ {
		for _, name := range candidates {
			owner, taken := n.owner[nameKey(name)]
			if !taken || owner == c.ContactNumber {
				n.owner[nameKey(name)] = c.ContactNumber
				c.Name = name
				return name != base
			}
		}
		candidates = []string{withSuffix(base, fmt.Sprintf(" (%s %d)", c.ContactNumber, i))}
	}
}

// withSuffix appends suffix to name, shortening the name so that the whole
// fits Xero's contact name length.
func withSuffix(name, suffix string) string {
	room := ContactNameField.MaxLen - utf8.RuneCountInString(suffix)
	if room < 1 {
		return Clean(suffix, ContactNameField)
	}
	short := Clean(name, Field{Name: "contact name", MaxLen: room, NoAngle: true})
	return Clean(short+suffix, ContactNameField)
}

// NameDerivedFrom reports whether name is base or one of the names
// ContactNames.Claim makes of base ("Sam Lee (sam2@example.com)", "Sam
// Lee (OC-C12)", a long name shortened to fit its disambiguator): the
// name of a contact exported for this customer, kept by Xero, whatever
// disambiguator it got.
func NameDerivedFrom(name, base string) bool {
	n, b := nameKey(name), nameKey(base)
	if n == b {
		return n != ""
	}
	i := strings.LastIndex(n, " (")
	if i <= 0 || !strings.HasSuffix(n, ")") {
		return false
	}
	stem := n[:i]
	if stem == b {
		return true
	}
	// withSuffix shortened the base to make room for the disambiguator.
	return utf8.RuneCountInString(name) >= ContactNameField.MaxLen-1 && strings.HasPrefix(b, strings.TrimRight(stem, ".… "))
}
