package export

// Only our own documents. Xero may already hold a document or a contact
// under one of this profile's numbers that this profile did not make: a
// second shop exporting into the same organisation with the same prefix,
// a shop reinstalled with its order ids starting again, a test shop. Such
// a document is never taken over (and so never paid, credited or
// renamed). A document found under our number is this profile's only
// when it is provably so:
//
//   - our history holds its Xero id (then it is never looked up by number), or
//   - its contact is the contact this order's customer is mapped to, and
//     its reference names the order ("Order 123 · …", "Refund of order
//     123", "Return 7 of order 123 …"), as this app writes them.
//
// A contact found under our contact number is this customer's when its
// e-mail address is the customer's (or, for a customer without one, its
// name is the customer's name, disambiguated or not). Anything else is a
// clash: the record fails, naming what Xero holds and the fix.

import (
	"fmt"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// prefixFix is the way out of a clash, said in every clash message.
const prefixFix = "give this shop a number prefix of its own (opencart-xero config set invoice.prefix SHOP2-) and export again"

// contactIsOurs reports whether a contact Xero holds under our contact
// number is the customer doc was made from.
func contactIsOurs(held, doc xero.Contact) bool {
	if doc.EmailAddress != "" || held.EmailAddress != "" {
		return strings.EqualFold(strings.TrimSpace(held.EmailAddress), strings.TrimSpace(doc.EmailAddress))
	}
	return mapping.NameDerivedFrom(held.Name, doc.Name)
}

// contactClash is the reason a contact is not sent: its number is held by
// someone else's contact.
func contactClash(number string, held xero.Contact, doc xero.Contact) string {
	who := mapping.Clean(held.Name, mapping.ContactNameField)
	if held.EmailAddress != "" {
		who += " <" + held.EmailAddress + ">"
	}
	return fmt.Sprintf("not sent: Xero already holds contact %s for %s, not this shop's customer %s: %s",
		number, who, describeContact(doc), prefixFix)
}

func describeContact(c xero.Contact) string {
	if c.EmailAddress != "" {
		return c.Name + " <" + c.EmailAddress + ">"
	}
	return c.Name
}

// contactOf is the ContactID our history or this run holds for a contact
// number, or "".
func (r *run) contactOf(key string) (string, error) {
	if id := r.contactIDs[key]; id != "" {
		return id, nil
	}
	rec, found, err := r.previous(history.KindContact, key)
	if err != nil {
		return "", r.fatal(err)
	}
	if found && rec.State == history.StateExported {
		return rec.XeroID, nil
	}
	return "", nil
}

// documentIsOurs reports whether a document Xero holds under our number,
// on contact heldContact with reference ref, is order orderID's: its
// contact is ours (ourContact, a ContactID) and its reference names the
// order.
func documentIsOurs(heldContact *xero.Contact, ref, ourContact string, orderID int) bool {
	return heldContact != nil && ourContact != "" && strings.EqualFold(heldContact.ContactID, ourContact) &&
		mapping.ReferenceNamesOrder(ref, orderID)
}

// documentClash is the reason a document is not sent: Xero holds one
// under its number that is not provably this order's.
func documentClash(what, number string, heldContact *xero.Contact, ref string, orderID int) string {
	who := "another contact"
	if heldContact != nil && heldContact.Name != "" {
		who = mapping.Clean(heldContact.Name, mapping.ContactNameField)
	}
	detail := "not this shop's customer"
	if ref != "" {
		detail += ", reference " + fmt.Sprintf("%q", mapping.Clean(ref, mapping.ReferenceField))
	}
	return fmt.Sprintf("not sent: Xero already holds %s %s for %s (%s), so it is not order %d's and is left alone: %s",
		what, number, who, detail, orderID, prefixFix)
}

// orderContactID is the ContactID of the contact an order's documents go
// to: the one its invoice record names, else key (the invoice's own
// record's contact), else fallback; "" when that contact is not in Xero.
func (r *run) orderContactID(orderID int, key, fallback string) (string, error) {
	inv, found, err := r.previous(history.KindInvoice, history.OrderKey(orderID))
	if err != nil {
		return "", r.fatal(err)
	}
	switch {
	case found && inv.Contact != "":
		key = inv.Contact
	case key == "":
		key = fallback
	}
	if key == "" {
		return "", nil
	}
	return r.contactOf(key)
}
