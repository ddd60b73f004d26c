// Package mapping turns OpenCart records into Xero documents: customer to
// Contact, order to Invoice (to the cent), refund or return to CreditNote,
// paid order to Payment, and the one text cleaner every string sent to Xero
// goes through. Pure functions: no I/O.
package mapping

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Field says how a text is cleaned for one Xero field: its length limit and
// what the field accepts.
type Field struct {
	// Name of the field, for messages.
	Name string
	// MaxLen is Xero's limit in characters (runes), 0 for none.
	MaxLen int
	// MultiLine keeps line breaks (collapsing blank lines); otherwise every
	// run of white space becomes one space.
	MultiLine bool
	// NoAngle removes < and >, which Xero refuses in names.
	NoAngle bool
	// ASCII keeps printable ASCII only (Xero's InvoiceNumber).
	ASCII bool
	// NoSpace removes all white space (e-mail addresses, phone numbers keep
	// theirs: this is for e-mail only).
	NoSpace bool
	// HTML says the text may hold markup an extension put there (payment
	// and shipping titles with an <img> logo or a <br />): tags are
	// removed, an image's alt text is kept, a line break or block tag
	// becomes a space. Use it with NoAngle, so that a stray < or > left
	// over cannot form a tag the next time the text is cleaned.
	HTML bool
	// Fallback is returned when nothing is left of a required field.
	Fallback string
}

// Xero's text fields and their limits (docs/XERO.md §3.6, §9).
var (
	ContactNameField   = Field{Name: "contact name", MaxLen: 255, NoAngle: true, Fallback: "Customer"}
	PersonNameField    = Field{Name: "person name", MaxLen: 255, NoAngle: true}
	EmailField         = Field{Name: "e-mail", MaxLen: 255, NoSpace: true}
	ContactNumberField = Field{Name: "contact number", MaxLen: 50}
	TaxNumberField     = Field{Name: "tax number", MaxLen: 50, NoAngle: true}
	PhoneField         = Field{Name: "phone", MaxLen: 50}
	AddressLineField   = Field{Name: "address line", MaxLen: 500}
	CityField          = Field{Name: "city", MaxLen: 255}
	RegionField        = Field{Name: "region", MaxLen: 255}
	PostalCodeField    = Field{Name: "postal code", MaxLen: 50}
	CountryField       = Field{Name: "country", MaxLen: 50}
	DescriptionField   = Field{Name: "description", MaxLen: 4000, MultiLine: true, Fallback: "-"}
	ReferenceField     = Field{Name: "reference", MaxLen: 255}
	DocNumberField     = Field{Name: "document number", MaxLen: 255, ASCII: true}
	ItemCodeField      = Field{Name: "item code", MaxLen: 30, ASCII: true}
	HistoryNoteField   = Field{Name: "history note", MaxLen: 250}
	// TrackingField is a tracking category or option name: Name ≤ 100 in the
	// LineItemTracking schema of Xero's OpenAPI description.
	TrackingField = Field{Name: "tracking", MaxLen: 100, NoAngle: true}
	// ExtensionTitleField is for titles written by payment, shipping and
	// total extensions (order.payment_method, order_total.title): text,
	// with any markup taken out. The result goes on into a reference or a
	// line description, which cleans it again for its own limits.
	ExtensionTitleField = Field{Name: "extension title", MaxLen: 4000, HTML: true, NoAngle: true}
)

// Clean makes s safe for the Xero field f. The input is text as a person
// typed it (OpenCart's HTML entities were already decoded, once, by the
// reader — decoding again would turn a typed "&amp;" into "&"). It
// normalises to NFKC (ligatures, full-width forms), removes control, format
// (zero-width, bidi marks), private-use and non-BMP characters (emoji, which
// Xero strips or rejects), collapses white space, applies the field's rules,
// cuts to the field's length in characters (never inside a character) and
// returns the field's fallback rather than an empty string. Invalid UTF-8
// bytes are dropped.
func Clean(s string, f Field) string {
	s = strings.ToValidUTF8(s, "")
	if f.HTML {
		s = stripTags(s)
	}
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	pendingSpace, pendingBreaks := false, 0
	for _, r := range s {
		switch {
		case r == '\r':
			continue
		case r == '\n' && f.MultiLine:
			pendingSpace = false
			pendingBreaks++
			continue
		case unicode.IsSpace(r):
			pendingSpace = true
			continue
		case !keepRune(r, f):
			continue
		}
		if b.Len() > 0 {
			switch {
			case pendingBreaks > 0:
				b.WriteString(strings.Repeat("\n", min(pendingBreaks, 2)))
			case pendingSpace && !f.NoSpace:
				b.WriteByte(' ')
			}
		}
		pendingSpace, pendingBreaks = false, 0
		b.WriteRune(r)
	}
	// Removing a character between a letter and its accent leaves them
	// apart; compose again so that cleaning a cleaned text changes nothing.
	out := truncate(norm.NFC.String(b.String()), f.MaxLen)
	if out == "" {
		return f.Fallback
	}
	return out
}

// keepRune reports whether r may be sent in field f.
func keepRune(r rune, f Field) bool {
	switch {
	case r == utf8.RuneError:
		return false
	case r > 0xFFFF: // emoji and other supplementary-plane characters
		return false
	case r >= 0xFE00 && r <= 0xFE0F: // variation selectors left over from emoji
		return false
	case r == 0xFFFE || r == 0xFFFF:
		return false
	case unicode.IsControl(r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Co, r), unicode.Is(unicode.Cs, r):
		return false
	case f.NoAngle && (r == '<' || r == '>'):
		return false
	case f.ASCII && (r < 0x20 || r > 0x7E):
		return false
	}
	return true
}

// truncate cuts s to at most max runes, then trims trailing white space.
func truncate(s string, max int) string {
	if max > 0 && utf8.RuneCountInString(s) > max {
		n := 0
		for i := range s {
			if n == max {
				s = s[:i]
				break
			}
			n++
		}
	}
	return strings.TrimRightFunc(s, unicode.IsSpace)
}

// CleanEmail returns the cleaned address and whether Xero will accept it.
// An invalid address is not sent: Xero would reject the whole document.
func CleanEmail(s string) (string, bool) {
	e := Clean(s, EmailField)
	if e == "" || !strings.Contains(e, "@") || strings.ContainsAny(e, "<>\"(),;:[]\\") {
		return e, false
	}
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Address != e {
		return e, false
	}
	at := strings.LastIndexByte(e, '@')
	domain := e[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return e, false
	}
	for _, r := range e {
		if r > unicode.MaxASCII { // Xero: "umlauts not supported"
			return e, false
		}
	}
	return e, true
}
