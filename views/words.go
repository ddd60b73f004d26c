package views

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/reconcile"
)

// The words the screens use for what the history and the engine store as
// keys and codes: "credit note", "order 1021", "Awaiting Payment", never
// credit_note, order-1021 or AUTHORISED.

// kindWords is a record kind as the bookkeeper says it.
func kindWords(kind string) string {
	switch kind {
	case history.KindCreditNote:
		return "credit note"
	}
	return strings.ReplaceAll(kind, "_", " ")
}

// sourceWords names the OpenCart record behind a history key: "order 1021"
// (an invoice, payment or refund of order 1021), "return 7", "subscription
// renewal 17"; a contact keeps its number, which is what Xero shows.
func sourceWords(kind, key string) string {
	if kind == history.KindContact {
		return key
	}
	if k, ok := history.ParseKey(key); ok {
		if k.ReturnID != 0 {
			return "return " + strconv.Itoa(k.ReturnID)
		}
		return "order " + strconv.Itoa(k.OrderID)
	}
	if id, _, ok := history.ParseRenewalKey(key); ok {
		return "subscription renewal " + strconv.Itoa(id)
	}
	return key
}

// xeroStatusWords is a Xero document status as Xero's web app shows it:
// Draft, Awaiting Approval, Awaiting Payment, else the status in lower case
// (paid, voided, deleted).
func xeroStatusWords(status string) string {
	if l := mapping.StatusLabel(status); l != status {
		return l
	}
	return strings.ToLower(status)
}

// problemWords is a reconcile difference in words, with Xero and
// OpenCart spelled as their makers do.
func problemWords(p reconcile.Problem) string {
	s := strings.ReplaceAll(string(p), "_", " ")
	s = strings.ReplaceAll(s, "xero", "Xero")
	return strings.ReplaceAll(s, "opencart", "OpenCart")
}

// capital starts s with a capital letter.
func capital(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// orNone is s, or "none" when s is empty.
func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
