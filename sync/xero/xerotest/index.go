package xerotest

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Indexes of an organisation's books, so that a request costs about the
// size of its own batch instead of the size of the books. An index only
// narrows the search to candidates: every lookup then applies the very
// comparison a scan of the books would (Xero's case rules, active
// contacts only, first match in the books' order), so answers do not
// change. The books only grow or change in place (nothing is removed), so
// positions in the slices are stable. The indexes are kept on every change
// (setContact, setDocument, addPayment) and rebuilt by reindex whenever the
// books are replaced (seed, state file, change).

// positions maps a key to the ascending positions of the records having it.
type positions map[string][]int

func (p positions) add(key string, i int) {
	l := p[key]
	if n := len(l); n == 0 || l[n-1] < i {
		p[key] = append(l, i)
		return
	}
	if at, found := slices.BinarySearch(l, i); !found {
		p[key] = slices.Insert(l, at, i)
	}
}

func (p positions) remove(key string, i int) {
	l := p[key]
	if at, found := slices.BinarySearch(l, i); found {
		if l = slices.Delete(l, at, at+1); len(l) == 0 {
			delete(p, key)
		} else {
			p[key] = l
		}
	}
}

// docIndex indexes invoices or credit notes.
type docIndex struct {
	id     positions // foldKey(InvoiceID / CreditNoteID)
	number positions // foldKey(InvoiceNumber / CreditNoteNumber), when set
}

// bookIndex indexes one organisation's contacts, documents and payments.
type bookIndex struct {
	contactID     positions // foldKey(ContactID)
	contactNumber positions // foldKey(ContactNumber), when set
	contactName   positions // foldKey(trimmed Name), every status
	docs          map[*docKind]*docIndex
	paymentID     positions // foldKey(PaymentID)
	paymentDoc    positions // foldKey(Invoice.InvoiceID) and foldKey(CreditNote.CreditNoteID)
}

// foldKey is the index key of a text: texts equal under strings.EqualFold,
// or under strings.ToLower, have the same key (each rune becomes the
// smallest rune of the case-folding orbit of its lower case). A key only
// finds candidates; the exact comparison is made afterwards.
func foldKey(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToUpper(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

func foldRune(r rune) rune {
	r = unicode.ToLower(r)
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		m = min(m, f)
	}
	return m
}

// reindex rebuilds the indexes from the books; s.mu is held.
func (o *org) reindex() {
	o.gen.Add(1) // the books changed: a kept list query is stale (listcache.go)
	ix := &bookIndex{contactID: positions{}, contactNumber: positions{}, contactName: positions{},
		docs: map[*docKind]*docIndex{}, paymentID: positions{}, paymentDoc: positions{}}
	o.ix = ix
	for i, c := range o.data.Contacts {
		ix.addContact(i, &c)
	}
	for _, k := range []*docKind{invoiceKind, creditNoteKind} {
		ix.docs[k] = &docIndex{id: positions{}, number: positions{}}
		for i := range k.count(o.data) {
			ix.addDocument(k, i, k.at(o.data, i))
		}
	}
	for i := range o.data.Payments {
		ix.addPayment(i, &o.data.Payments[i])
	}
}

func (ix *bookIndex) addContact(i int, c *Contact) {
	ix.contactID.add(foldKey(c.ContactID), i)
	if c.ContactNumber != "" {
		ix.contactNumber.add(foldKey(c.ContactNumber), i)
	}
	ix.contactName.add(foldKey(strings.TrimSpace(c.Name)), i)
}

func (ix *bookIndex) removeContact(i int, c *Contact) {
	ix.contactID.remove(foldKey(c.ContactID), i)
	if c.ContactNumber != "" {
		ix.contactNumber.remove(foldKey(c.ContactNumber), i)
	}
	ix.contactName.remove(foldKey(strings.TrimSpace(c.Name)), i)
}

func (ix *bookIndex) addDocument(k *docKind, i int, x document) {
	d := ix.docs[k]
	d.id.add(foldKey(*x.id()), i)
	if *x.number() != "" {
		d.number.add(foldKey(*x.number()), i)
	}
}

func (ix *bookIndex) removeDocument(k *docKind, i int, x document) {
	d := ix.docs[k]
	d.id.remove(foldKey(*x.id()), i)
	if *x.number() != "" {
		d.number.remove(foldKey(*x.number()), i)
	}
}

func (ix *bookIndex) addPayment(i int, p *Payment) {
	ix.paymentID.add(foldKey(p.PaymentID), i)
	if p.Invoice != nil {
		ix.paymentDoc.add(foldKey(p.Invoice.InvoiceID), i)
	}
	if p.CreditNote != nil {
		ix.paymentDoc.add(foldKey(p.CreditNote.CreditNoteID), i)
	}
}

// setContact stores c at position i, or appends it when i < 0, and
// returns its position; s.mu is held.
func (o *org) setContact(i int, c Contact) int {
	if i < 0 {
		o.data.Contacts = append(o.data.Contacts, c)
		i = len(o.data.Contacts) - 1
	} else {
		o.ix.removeContact(i, &o.data.Contacts[i])
		o.data.Contacts[i] = c
	}
	o.ix.addContact(i, &o.data.Contacts[i])
	return i
}

// setDocument stores x over the document at position i (existing), or
// appends it when existing is nil; s.mu is held.
func (o *org) setDocument(k *docKind, i int, existing, x document) {
	if existing == nil {
		k.add(o.data, x)
		i = k.count(o.data) - 1
	} else {
		o.ix.removeDocument(k, i, existing)
		assign(existing, x)
	}
	o.ix.addDocument(k, i, k.at(o.data, i))
}

// addPayment appends a payment; s.mu is held.
func (o *org) addPayment(p Payment) {
	o.data.Payments = append(o.data.Payments, p)
	i := len(o.data.Payments) - 1
	o.ix.addPayment(i, &o.data.Payments[i])
}

// union merges lists of positions into one ascending list without repeats.
func union(lists ...[]int) []int {
	var out []int
	for _, l := range lists {
		out = append(out, l...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// first returns the first of the candidates (ascending) that match, or -1.
func first(candidates []int, match func(i int) bool) int {
	for _, i := range candidates {
		if match(i) {
			return i
		}
	}
	return -1
}

// everything is the positions 0…n-1, for requests no index narrows.
func everything(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// whereCandidates narrows a where clause to candidates: when every record
// it matches must pass one of its Field=="text" tests on a field lookup
// knows (lookup returns the positions whose field may equal the text, and
// false for a field it does not index), it returns those positions. ok is
// false when the clause cannot be narrowed so. A clause that does not
// parse has no candidates: the request is refused anyway.
func whereCandidates(where string, lookup func(path []string, text string) ([]int, bool)) ([]int, bool) {
	if strings.TrimSpace(where) == "" {
		return nil, false
	}
	e, err := parseWhere(where)
	if err != nil {
		return nil, true
	}
	l, ok := narrow(e, lookup)
	if !ok {
		return nil, false
	}
	return union(l), true
}

func narrow(e whereExpr, lookup func(path []string, text string) ([]int, bool)) ([]int, bool) {
	switch x := e.(type) {
	case whereCmp:
		// Field == "text" holds only for a text field equal to it, case ignored.
		if v, isText := x.val.(string); isText && x.op == "==" {
			return lookup(x.path, v)
		}
	case whereOr:
		l, okL := narrow(x.l, lookup)
		r, okR := narrow(x.r, lookup)
		if okL && okR {
			return union(l, r), true // a new slice: l and r may be the index's own
		}
	case whereAnd:
		l, okL := narrow(x.l, lookup)
		r, okR := narrow(x.r, lookup)
		switch {
		case okL && okR && len(r) < len(l):
			return r, true
		case okL:
			return l, true
		case okR:
			return r, true
		}
	}
	return nil, false
}

// isPath reports whether a where path names the field (case ignored, as
// the evaluator does).
func isPath(path []string, field ...string) bool {
	if len(path) != len(field) {
		return false
	}
	for i := range path {
		if !strings.EqualFold(path[i], field[i]) {
			return false
		}
	}
	return true
}

// contactsWhere looks up contacts for a where clause: ContactID,
// ContactNumber and Name.
func (o *org) contactsWhere(path []string, text string) ([]int, bool) {
	switch {
	case isPath(path, "ContactID"):
		return o.ix.contactID[foldKey(text)], true
	case isPath(path, "ContactNumber"):
		return o.ix.contactNumber[foldKey(text)], true
	case isPath(path, "Name"):
		return o.ix.contactName[foldKey(strings.TrimSpace(text))], true
	}
	return nil, false
}

// documentsWhere looks up invoices or credit notes for a where clause:
// their ID and number.
func (o *org) documentsWhere(k *docKind) func(path []string, text string) ([]int, bool) {
	idField, numberField := "InvoiceID", "InvoiceNumber"
	if k == creditNoteKind {
		idField, numberField = "CreditNoteID", "CreditNoteNumber"
	}
	d := o.ix.docs[k]
	return func(path []string, text string) ([]int, bool) {
		switch {
		case isPath(path, idField):
			return d.id[foldKey(text)], true
		case isPath(path, numberField):
			return d.number[foldKey(text)], true
		}
		return nil, false
	}
}

// paymentsWhere looks up payments for a where clause: PaymentID,
// Invoice.InvoiceID and CreditNote.CreditNoteID.
func (o *org) paymentsWhere(path []string, text string) ([]int, bool) {
	switch {
	case isPath(path, "PaymentID"):
		return o.ix.paymentID[foldKey(text)], true
	case isPath(path, "Invoice", "InvoiceID"), isPath(path, "CreditNote", "CreditNoteID"):
		return o.ix.paymentDoc[foldKey(text)], true
	}
	return nil, false
}

// paymentsByID are the positions of the payments with this ID (case ignored).
func (o *org) paymentsByID(id string) []int {
	var out []int
	for _, i := range o.ix.paymentID[foldKey(id)] {
		if strings.EqualFold(o.data.Payments[i].PaymentID, id) {
			out = append(out, i)
		}
	}
	return out
}
