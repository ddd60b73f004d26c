package mapping

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// Number prefixes: every number this app gives a document or a contact in
// Xero starts with the profile's prefix (Options.Prefix, "OC-" by
// default), so that two shops (or a test shop) exporting into one Xero
// organisation never share a number. A store of a multi-store OpenCart
// may have a prefix of its own for its invoices and credit notes
// (Options.StorePrefixes); contacts always use the profile's, because a
// customer account belongs to the whole shop.

// DefaultPrefix starts every number unless the profile says otherwise.
const DefaultPrefix = "OC-"

// MaxPrefixLen keeps a number within Xero's 50 characters of a contact
// number with room for the longest key (a guest's "G" and 12 hex digits).
const MaxPrefixLen = 20

// CheckPrefix says why a number prefix is not acceptable, or returns nil:
// printable ASCII without spaces, braces or angle brackets, at most
// MaxPrefixLen characters, not empty.
func CheckPrefix(p string) error {
	switch {
	case p == "":
		return fmt.Errorf("a number prefix cannot be empty")
	case len(p) > MaxPrefixLen:
		return fmt.Errorf("a number prefix has at most %d characters, %q has %d", MaxPrefixLen, p, len(p))
	}
	for _, r := range p {
		if r <= ' ' || r > '~' || strings.ContainsRune("{}<>", r) {
			return fmt.Errorf("a number prefix has only letters, digits and signs such as - _ / . without spaces, not %q", r)
		}
	}
	return nil
}

// NumberPrefix is the prefix of the profile's contacts, and of the
// invoices and credit notes of stores without a prefix of their own.
func (o Options) NumberPrefix() string {
	if o.Prefix == "" {
		return DefaultPrefix
	}
	return o.Prefix
}

// StorePrefix is the prefix of the invoices and credit notes of the
// OpenCart store storeID (0 is the default store).
func (o Options) StorePrefix(storeID int) string {
	if p := o.StorePrefixes[strconv.Itoa(storeID)]; p != "" {
		return p
	}
	return o.NumberPrefix()
}

// withPrefix puts prefix in place of the DefaultPrefix a pattern starts
// with; a pattern that does not start with it (e.g. "{invoice_no}" or one
// the bookkeeper wrote) is used as it is.
func withPrefix(pattern, def, prefix string) string {
	if pattern == "" {
		pattern = def
	}
	if rest, ok := strings.CutPrefix(pattern, DefaultPrefix); ok {
		return prefix + rest
	}
	return pattern
}

// InvoicePattern is the invoice number pattern of an order of store storeID.
func (o Options) InvoicePattern(storeID int) string {
	return withPrefix(o.InvoiceNumber, DefaultInvoiceNumber, o.StorePrefix(storeID))
}

// CreditNotePattern is the pattern of a refunded order's credit note.
func (o Options) CreditNotePattern(storeID int) string {
	return withPrefix(o.CreditNoteNumber, DefaultCreditNoteNumber, o.StorePrefix(storeID))
}

// ReturnCreditNotePattern is the pattern of a return's credit note.
func (o Options) ReturnCreditNotePattern(storeID int) string {
	return withPrefix(o.ReturnCreditNoteNumber, DefaultReturnCreditNoteNumber, o.StorePrefix(storeID))
}

// NumberPrefixes are the literal starts of every number pattern the
// options give documents of any store: what reconciliation reads back
// and what a clash check looks for.
func (o Options) NumberPrefixes() (invoices, creditNotes []string) {
	stores := []int{0}
	for _, id := range sortedKeys(o.StorePrefixes) {
		if n, err := strconv.Atoi(id); err == nil && n != 0 {
			stores = append(stores, n)
		}
	}
	for _, s := range stores {
		invoices = append(invoices, literalStart(o.InvoicePattern(s)))
		if strings.Contains(o.InvoicePattern(s), "{invoice_no}") {
			// Orders without an OpenCart invoice number use the default pattern.
			invoices = append(invoices, literalStart(withPrefix(DefaultInvoiceNumber, DefaultInvoiceNumber, o.StorePrefix(s))))
		}
		creditNotes = append(creditNotes, literalStart(o.CreditNotePattern(s)), literalStart(o.ReturnCreditNotePattern(s)))
	}
	return invoices, creditNotes
}

// literalStart is a pattern up to its first placeholder.
func literalStart(pattern string) string {
	if i := strings.IndexByte(pattern, '{'); i >= 0 {
		return pattern[:i]
	}
	return pattern
}

// CustomerKey is the Xero ContactNumber of a registered customer under
// the profile's prefix ("OC-C12").
func (o Options) CustomerKey(customerID int) string {
	return o.NumberPrefix() + "C" + strconv.Itoa(customerID)
}

// GuestKey is the ContactNumber of a guest under the profile's prefix: a
// short hash of the lower-cased e-mail address.
func (o Options) GuestKey(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return o.NumberPrefix() + "G" + hex.EncodeToString(sum[:])[:12]
}

// OrderGuestKey is the ContactNumber of an order without a customer
// account or e-mail address: a contact of its own.
func (o Options) OrderGuestKey(orderID int) string {
	return o.NumberPrefix() + "GO" + strconv.Itoa(orderID)
}

// GuestPersonKey is the ContactNumber of a guest under the profile's
// prefix: a short hash of the e-mail address and the normalised name (see
// the package-level GuestPersonKey); GuestKey without a name.
func (o Options) GuestPersonKey(email, first, last string) string {
	name := PersonName(first, last)
	if name == "" {
		return o.GuestKey(email)
	}
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email)) + "\x00" + name))
	return o.NumberPrefix() + "G" + hex.EncodeToString(sum[:])[:12]
}

// IsGuestKeyOf reports whether number is a guest contact number, under the
// profile's prefix, that orders of this e-mail address and name are keyed
// by: the person's key, or the e-mail's key from before names were part of
// it.
func (o Options) IsGuestKeyOf(number, email, first, last string) bool {
	if strings.TrimSpace(email) == "" {
		return false
	}
	return strings.EqualFold(number, o.GuestPersonKey(email, first, last)) || strings.EqualFold(number, o.GuestKey(email))
}

// ContactKey is the ContactNumber of an order's customer under the
// profile's prefix (see the package-level ContactKey).
func (o Options) ContactKey(order opencart.Order) string {
	if order.CustomerID > 0 && !order.CustomerDeleted {
		return o.CustomerKey(order.CustomerID)
	}
	if strings.TrimSpace(order.Email) == "" {
		return o.OrderGuestKey(order.ID)
	}
	first, last := order.FirstName, order.LastName
	if strings.TrimSpace(first+last) == "" {
		first, last = order.Payment.FirstName, order.Payment.LastName
	}
	return o.GuestPersonKey(order.Email, first, last)
}

// CustomerIDOf reads back a CustomerKey of the profile's prefix; ok is
// false for any other contact number.
func (o Options) CustomerIDOf(contactNumber string) (customerID int, ok bool) {
	s, found := strings.CutPrefix(contactNumber, o.NumberPrefix()+"C")
	n, err := strconv.Atoi(s)
	if !found || err != nil || strconv.Itoa(n) != s {
		return 0, false
	}
	return n, true
}

var orderWord = regexp.MustCompile(`(?i)\border (\d+)\b`)

// ReferenceNamesOrder reports whether a document's reference names the
// order orderID the way this app writes it ("Order 123 · …", "Refund of
// order 123", "Return 7 of order 123, …"): one of the proofs that a
// document found in Xero under one of our numbers is ours.
func ReferenceNamesOrder(reference string, orderID int) bool {
	for _, m := range orderWord.FindAllStringSubmatch(reference, -1) {
		if m[1] == strconv.Itoa(orderID) {
			return true
		}
	}
	return false
}

// validatePrefixes checks the profile's prefix, the stores' prefixes and
// the stores' tracking options.
func (o Options) validatePrefixes(bad func(string, ...any)) {
	if o.Prefix != "" {
		if err := CheckPrefix(o.Prefix); err != nil {
			bad("invoice prefix: %v", err)
		}
	}
	for _, id := range sortedKeys(o.StorePrefixes) {
		if n, err := strconv.Atoi(id); err != nil || n < 0 {
			bad("store prefix for %q: a store is named by its OpenCart store_id (0, 1, 2 …)", id)
		}
		if err := CheckPrefix(o.StorePrefixes[id]); err != nil {
			bad("store %s prefix: %v", id, err)
		}
	}
	for _, id := range sortedKeys(o.StoreTracking) {
		if n, err := strconv.Atoi(id); err != nil || n < 0 {
			bad("store tracking for %q: a store is named by its OpenCart store_id (0, 1, 2 …)", id)
		}
		if _, err := ParseTracking(o.StoreTracking[id]); err != nil {
			bad("store %s tracking: %v", id, err)
		}
	}
}

// ParseTracking reads "Category:Option" into a line's tracking.
func ParseTracking(v string) (xero.TrackingOption, error) {
	name, option, ok := strings.Cut(v, ":")
	name, option = strings.TrimSpace(name), strings.TrimSpace(option)
	if !ok || name == "" || option == "" {
		return xero.TrackingOption{}, fmt.Errorf("%q is not Category:Option (e.g. Region:Second shop)", v)
	}
	if Clean(name, TrackingField) != name || Clean(option, TrackingField) != option {
		return xero.TrackingOption{}, fmt.Errorf("%q: a tracking category or option has at most %d characters and no < or >", v, TrackingField.MaxLen)
	}
	return xero.TrackingOption{Name: name, Option: option}, nil
}

// storeTracking is the tracking every line of a store's documents gets,
// or nil.
func (o Options) storeTracking(storeID int) []xero.TrackingOption {
	t, err := ParseTracking(o.StoreTracking[strconv.Itoa(storeID)])
	if err != nil {
		return nil
	}
	return []xero.TrackingOption{t}
}

// track puts lines into the store's tracking option, if it has one.
func (o Options) track(storeID int, lines []xero.LineItem) {
	t := o.storeTracking(storeID)
	if t == nil {
		return
	}
	for i := range lines {
		lines[i].Tracking = t
	}
}
