package xerotest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Invoices and credit notes share one shape (Document) and one set of
// rules [XERO.md §3.2, §3.3, §7].

// document is an *Invoice or a *CreditNote.
type document interface {
	doc() *Document
	id() *string
	number() *string
	failed() bool
}

func (i *Invoice) doc() *Document     { return &i.Document }
func (i *Invoice) id() *string        { return &i.InvoiceID }
func (i *Invoice) number() *string    { return &i.InvoiceNumber }
func (c *CreditNote) doc() *Document  { return &c.Document }
func (c *CreditNote) id() *string     { return &c.CreditNoteID }
func (c *CreditNote) number() *string { return &c.CreditNoteNumber }

// docKind describes invoices or credit notes.
type docKind struct {
	plural, singular string
	types            []string // allowed Type values; the first is the sales type
	prefix           string   // automatic numbers: INV-0001, CN-0001
	uniqueMsg        string
	count            func(d *OrgData) int
	at               func(d *OrgData, i int) document // a pointer into the stored slice
	add              func(d *OrgData, x document)
	fresh            func() document
}

var invoiceKind = &docKind{plural: "Invoices", singular: "Invoice", types: []string{"ACCREC", "ACCPAY"}, prefix: "INV-",
	uniqueMsg: "Invoice # must be unique.", // [XERO.md §5, §8]
	count:     func(d *OrgData) int { return len(d.Invoices) },
	at:        func(d *OrgData, i int) document { return &d.Invoices[i] },
	add:       func(d *OrgData, x document) { d.Invoices = append(d.Invoices, *x.(*Invoice)) },
	fresh:     func() document { return &Invoice{} },
}

var creditNoteKind = &docKind{plural: "CreditNotes", singular: "Credit Note", types: []string{"ACCRECCREDIT", "ACCPAYCREDIT"}, prefix: "CN-",
	uniqueMsg: "Credit Note # must be unique.", // by analogy with invoices (UNVERIFIED wording)
	count:     func(d *OrgData) int { return len(d.CreditNotes) },
	at:        func(d *OrgData, i int) document { return &d.CreditNotes[i] },
	add:       func(d *OrgData, x document) { d.CreditNotes = append(d.CreditNotes, *x.(*CreditNote)) },
	fresh:     func() document { return &CreditNote{} },
}

func kindOf(resource string) *docKind {
	if resource == "CreditNotes" {
		return creditNoteKind
	}
	return invoiceKind
}

func (k *docKind) isSales(typ string) bool { return typ == k.types[0] }

// find returns the first stored document whose ID (any case) or, when
// byNumber, number (exact) is idOrNumber, and its position; nil and -1
// when there is none. s.mu is held.
func (k *docKind) find(o *org, idOrNumber string, byNumber bool) (document, int) {
	ix, key := o.ix.docs[k], foldKey(idOrNumber)
	candidates := ix.id[key]
	if byNumber {
		candidates = union(candidates, ix.number[key])
	}
	i := first(candidates, func(i int) bool {
		x := k.at(o.data, i)
		return strings.EqualFold(*x.id(), idOrNumber) || (byNumber && *x.number() != "" && *x.number() == idOrNumber)
	})
	if i < 0 {
		return nil, -1
	}
	return k.at(o.data, i), i
}

func assign(dst, src document) {
	switch d := dst.(type) {
	case *Invoice:
		*d = *src.(*Invoice)
	case *CreditNote:
		*d = *src.(*CreditNote)
	}
}

func cloneDoc(x document) document {
	switch d := x.(type) {
	case *Invoice:
		c := clone(*d)
		return &c
	case *CreditNote:
		c := clone(*d)
		return &c
	}
	return nil
}

func overlayDoc(existing document, raw json.RawMessage) (document, error) {
	switch d := existing.(type) {
	case *Invoice:
		c, err := overlay(*d, raw)
		return &c, err
	case *CreditNote:
		c, err := overlay(*d, raw)
		return &c, err
	}
	return nil, fmt.Errorf("unknown document")
}

func round(d decimal.Decimal, places int32) decimal.Decimal { return d.Round(places) } // half away from zero

var (
	hundred = decimal.NewFromInt(100)
	one     = decimal.NewFromInt(1)
)

// unitDP is the unit-price precision a call asks for [XERO.md §7].
func unitDP(r *req) int32 {
	if r.q.Get("unitdp") == "4" {
		return 4
	}
	return 2
}

// hasKey reports whether a JSON object has the key (any case).
func hasKey(raw json.RawMessage, key string) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	for k := range m {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

func (s *Server) writeDocuments(r *req, k *docKind, pathID string) {
	raws, err := decodeElements(r.body, k.plural)
	if err != nil {
		postDataInvalid(r.w, err)
		return
	}
	ins := make([]document, len(raws))
	for i, raw := range raws {
		ins[i] = k.fresh()
		if err := json.Unmarshal(raw, ins[i]); err != nil {
			postDataInvalid(r.w, err)
			return
		}
	}
	r.countElements(len(raws))
	if !s.pathTarget(r, pathID, len(ins), func(o *org) bool { x, _ := k.find(o, pathID, true); return x != nil }) {
		return
	}
	dp := unitDP(r)
	s.mu.Lock()
	results := make([]element, len(ins))
	for i := range ins {
		results[i] = s.saveDocument(r.o, k, ins[i], raws[i], r.r.Method == http.MethodPut, pathID, dp)
	}
	s.mu.Unlock()
	s.saveState()
	s.batchResult(r, k.plural, results)
}

// saveDocument validates, computes and stores one document; s.mu is held.
func (s *Server) saveDocument(o *org, k *docKind, in document, raw json.RawMessage, put bool, pathID string, dp int32) document {
	now := s.now()
	var errs []string
	var existing document
	pos := -1 // existing's position in the books
	switch {
	case pathID != "":
		if existing, pos = k.find(o, pathID, true); existing == nil {
			errs = append(errs, k.singular+" could not be found.")
		}
	case *in.id() != "" && *in.id() != zeroID:
		existing, pos = k.find(o, *in.id(), false)
		switch {
		case existing == nil:
			errs = append(errs, k.singular+" could not be found.")
		case put:
			errs = append(errs, "A "+k.singular+" with this ID already exists; PUT only creates, use POST to update.")
		}
	}
	out := in
	var commitContact func()
	if len(errs) == 0 {
		if existing != nil {
			merged, err := overlayDoc(existing, raw)
			if err != nil {
				errs = append(errs, err.Error())
			} else {
				out = merged
			}
		} else {
			out = cloneDoc(in)
			*out.id() = newID()
		}
		lineDP := dp
		if existing != nil && !hasKey(raw, "LineItems") {
			lineDP = 4 // lines kept from the stored document keep their precision
		}
		var cerrs []string
		cerrs, commitContact = s.settle(o, k, out, existing, lineDP, now)
		errs = append(errs, cerrs...)
	}
	f := out.doc()
	f.StatusAttributeString, f.ValidationErrors, f.Warnings, f.HasErrors = "", nil, nil, false
	if len(errs) > 0 {
		res := cloneDoc(out)
		if existing == nil {
			*res.id() = zeroID
		}
		rf := res.doc()
		rf.HasErrors, rf.StatusAttributeString, rf.ValidationErrors = true, "ERROR", messages(errs)
		return res
	}
	if commitContact != nil {
		commitContact()
	}
	f.UpdatedDateUTC = dateOf(now)
	key := k.plural + "/" + *out.id()
	if existing != nil {
		from := existing.doc().Status
		o.setDocument(k, pos, existing, out)
		change := map[string]string{"AUTHORISED": "Approved", "VOIDED": "Voided", "DELETED": "Deleted", "SUBMITTED": "Submitted"}[f.Status]
		if change == "" || from == f.Status {
			change = "Updated"
		}
		o.addHistory(key, now, change, fmt.Sprintf("%s %s %s.", k.singular, *out.number(), strings.ToLower(change)))
	} else {
		o.setDocument(k, -1, nil, out)
		o.addHistory(key, now, "Created", fmt.Sprintf("%s to %s for %s.", *out.number(), f.Contact.Name, dec(f.Total).StringFixed(2)))
	}
	res := o.present(cloneDoc(out), true, dp)
	res.doc().StatusAttributeString = "OK"
	return res
}

// transitions lists the statuses a document may move to [XERO.md §3.2].
var transitions = map[string][]string{
	"DRAFT":      {"DRAFT", "SUBMITTED", "AUTHORISED", "DELETED"},
	"SUBMITTED":  {"DRAFT", "SUBMITTED", "AUTHORISED", "DELETED"},
	"AUTHORISED": {"AUTHORISED", "VOIDED"},
	"PAID":       {"PAID"},
	"VOIDED":     {"VOIDED"},
	"DELETED":    {"DELETED"},
}

// settle checks and computes a document about to be stored; it returns the
// errors and, when the document is good, a function that creates or
// updates the contact it names. s.mu is held.
func (s *Server) settle(o *org, k *docKind, x document, existing document, dp int32, now time.Time) ([]string, func()) {
	f := x.doc()
	var errs []string
	f.Type = strings.ToUpper(f.Type)
	switch {
	case f.Type == "":
		errs = append(errs, "The document Type must be specified.")
	case !slices.Contains(k.types, f.Type):
		errs = append(errs, fmt.Sprintf("%s is not a valid Type for a %s.", f.Type, k.singular))
	}

	// Status and the edit rules.
	from := ""
	if existing != nil {
		from = existing.doc().Status
	}
	f.Status = strings.ToUpper(f.Status)
	if f.Status == "" {
		f.Status = map[bool]string{true: from, false: "DRAFT"}[from != ""]
	}
	statusOK := true
	if from == "" && !slices.Contains([]string{"DRAFT", "SUBMITTED", "AUTHORISED"}, f.Status) {
		errs, statusOK = append(errs, fmt.Sprintf("%s is not a valid status for a new %s; use DRAFT, SUBMITTED or AUTHORISED.", f.Status, k.singular)), false
	} else if from != "" && !slices.Contains(transitions[from], f.Status) {
		errs, statusOK = append(errs, fmt.Sprintf("%s not of valid status for modification", k.singular)), false
	}
	approved := f.Status == "SUBMITTED" || f.Status == "AUTHORISED"

	errs, commitContact := o.resolveDocContact(f, errs, now)

	if f.Date == nil {
		y, m, d := now.UTC().Date()
		f.Date = dateOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
	}
	f.DateString, f.DueDateString = dateString(f.Date), dateString(f.DueDate)
	if f.Status == "AUTHORISED" || f.Status == "VOIDED" {
		errs = append(errs, o.lockErrors(f.Date)...) // lockdates.go
	}

	// Currency [XERO.md §7 "Currency"].
	f.CurrencyCode = strings.ToUpper(f.CurrencyCode)
	if f.CurrencyCode == "" {
		f.CurrencyCode = o.BaseCurrency
	}
	switch {
	case !containsCurrency(o.data.Currencies, f.CurrencyCode):
		errs = append(errs, "Organisation is not subscribed to currency "+f.CurrencyCode)
	case f.CurrencyCode == o.BaseCurrency:
		f.CurrencyRate = amt(one)
	case f.CurrencyRate != nil && !f.CurrencyRate.IsPositive():
		errs = append(errs, "The currency rate must be greater than zero.")
	case f.CurrencyRate != nil:
		f.CurrencyRate = amt(round(f.CurrencyRate.Decimal, 6))
	default:
		f.CurrencyRate = amt(defaultRate(o.BaseCurrency, f.CurrencyCode))
	}

	// Number: unique among the org's sales documents of this kind (deleted ones excepted).
	num := x.number()
	*num = strings.TrimSpace(*num)
	if *num == "" && (k.isSales(f.Type) || k == creditNoteKind) {
		*num = o.nextNumber(k)
	}
	errs = maxLen(errs, k.singular+" Number", *num, 255)
	if k.isSales(f.Type) && *num != "" {
		if first(o.ix.docs[k].number[foldKey(*num)], func(i int) bool {
			other := k.at(o.data, i)
			return *other.id() != *x.id() && other.doc().Type == f.Type && strings.EqualFold(*other.number(), *num)
		}) >= 0 {
			errs = append(errs, k.uniqueMsg)
		}
	}
	errs = maxLen(errs, "Reference", f.Reference, 255)
	if f.BrandingThemeID != "" && !slices.ContainsFunc(o.data.BrandingThemes, func(b BrandingTheme) bool { return strings.EqualFold(b.BrandingThemeID, f.BrandingThemeID) }) {
		errs = append(errs, "Branding theme could not be found.")
	}
	if inv, ok := x.(*Invoice); ok {
		errs = maxLen(errs, "Url", inv.Url, 2000)
	}

	// Lines and totals [XERO.md §7].
	switch strings.ToUpper(f.LineAmountTypes) {
	case "", "EXCLUSIVE":
		f.LineAmountTypes = "Exclusive"
	case "INCLUSIVE":
		f.LineAmountTypes = "Inclusive"
	case "NOTAX":
		f.LineAmountTypes = "NoTax"
	default:
		errs = append(errs, "LineAmountTypes must be Exclusive, Inclusive or NoTax.")
	}
	if len(f.LineItems) == 0 {
		errs = append(errs, "At least one line item must be specified.")
	}
	tol := decimal.RequireFromString(s.opts.TaxTolerance)
	for i := range f.LineItems {
		errs = append(errs, o.settleLine(k, f, &f.LineItems[i], dp, approved, tol)...)
	}
	o.computeTotals(x)

	if existing != nil && statusOK {
		old := existing.doc()
		paidOrCredited := dec(old.Total).GreaterThan(dec(remaining(existing)))
		linesChanged := !jsonEqual(stripLineIDs(old.LineItems), stripLineIDs(f.LineItems)) || old.LineAmountTypes != f.LineAmountTypes || old.CurrencyCode != f.CurrencyCode
		// A document with money on it keeps its contact and date too: Xero
		// asks for the payments and allocations to be removed first.
		movedOrRedated := old.Contact != nil && f.Contact != nil && !strings.EqualFold(old.Contact.ContactID, f.Contact.ContactID) ||
			dateString(old.Date) != f.DateString
		switch {
		case (from == "VOIDED" || from == "DELETED") && linesChanged:
			errs = append(errs, fmt.Sprintf("%s not of valid status for modification", k.singular))
		case paidOrCredited && (linesChanged || f.Status != from || movedOrRedated):
			errs = append(errs, "This document cannot be edited as it has a payment or credit note allocated to it.")
		}
	}
	return errs, commitContact
}

// remaining is what is still open on a document (AmountDue or RemainingCredit).
func remaining(x document) *Amount {
	switch d := x.(type) {
	case *Invoice:
		return d.AmountDue
	case *CreditNote:
		return d.RemainingCredit
	}
	return nil
}

func stripLineIDs(ls []LineItem) []LineItem {
	out := clone(ls)
	for i := range out {
		out[i].LineItemID = ""
	}
	return out
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// nextNumber is the next free automatic number, e.g. INV-0007; s.mu is held.
func (o *org) nextNumber(k *docKind) string {
	for n := k.count(o.data) + 1; ; n++ {
		cand := fmt.Sprintf("%s%04d", k.prefix, n)
		if x, _ := k.find(o, cand, true); x == nil {
			return cand
		}
	}
}

// resolveDocContact finds (or prepares to create or update) the document's
// contact [XERO.md §3.1]: ContactID must exist; else ContactNumber, else an
// active contact with the Name; else a new contact from the given fields.
// Fields beyond the identifiers (or a new Name for a contact found by ID or
// number) update the contact, as Xero does. s.mu is held.
func (o *org) resolveDocContact(f *Document, errs []string, now time.Time) ([]string, func()) {
	in := f.Contact
	if in == nil || (in.ContactID == "" && in.Name == "" && in.ContactNumber == "") {
		return append(errs, "The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber"), nil
	}
	idx := -1
	switch {
	case in.ContactID != "":
		if idx = o.contactIndex(in.ContactID); idx < 0 {
			return append(errs, "The contact with ContactID "+in.ContactID+" could not be found."), nil
		}
	case in.ContactNumber != "":
		idx = o.contactIndex(in.ContactNumber)
	}
	byName := false
	if idx < 0 && in.ContactID == "" && in.Name != "" {
		idx, byName = o.activeContactByName(in.Name), true
	}
	supplied := *in
	supplied.ContactID = ""
	clearResult(&supplied)
	var c Contact
	changed := true
	switch {
	case idx >= 0:
		c = o.data.Contacts[idx]
		renamed := !byName && supplied.Name != "" && supplied.Name != c.Name
		if changed = renamed || hasExtraContactFields(supplied); changed {
			raw, _ := json.Marshal(supplied)
			if c, _ = overlay(c, raw); true {
				if cerrs := o.validateContact(&c, idx); len(cerrs) > 0 {
					return append(errs, cerrs...), nil
				}
			}
		}
	case in.Name == "":
		return append(errs, "The contact with ContactNumber "+in.ContactNumber+" could not be found."), nil
	default:
		c = supplied
		c.ContactID, c.ContactStatus = newID(), "ACTIVE"
		if cerrs := o.validateContact(&c, -1); len(cerrs) > 0 {
			return append(errs, cerrs...), nil
		}
	}
	f.Contact = slimContact(c)
	if !changed {
		return errs, nil
	}
	return errs, func() {
		c.UpdatedDateUTC = dateOf(now)
		if i := o.contactIndex(c.ContactID); i >= 0 {
			o.setContact(i, c)
			o.addHistory("Contacts/"+c.ContactID, now, "Updated", "Contact updated.")
			return
		}
		o.setContact(-1, c)
		o.addHistory("Contacts/"+c.ContactID, now, "Created", "Contact created.")
	}
}

// hasExtraContactFields reports whether a document's contact carries more
// than the fields that identify it.
func hasExtraContactFields(c Contact) bool {
	c.ContactID, c.ContactNumber, c.Name = "", "", ""
	b, _ := json.Marshal(c)
	return string(b) != "{}"
}

// settleLine checks one line and computes its LineAmount and TaxAmount
// [XERO.md §7]; s.mu is held.
func (o *org) settleLine(k *docKind, f *Document, ln *LineItem, dp int32, approved bool, tol decimal.Decimal) []string {
	errs := maxLen(nil, "Description", ln.Description, 4000)
	hasAmounts := ln.Quantity != nil || ln.UnitAmount != nil || ln.LineAmount != nil
	if ln.DiscountRate != nil || ln.DiscountAmount != nil {
		switch {
		case k == creditNoteKind:
			errs = append(errs, "Discounts are not supported on credit notes.")
		case ln.DiscountRate != nil && ln.DiscountAmount != nil:
			errs = append(errs, "A line item cannot have both a DiscountRate and a DiscountAmount.")
		case ln.DiscountRate != nil && (ln.DiscountRate.IsNegative() || ln.DiscountRate.GreaterThan(hundred)):
			errs = append(errs, "DiscountRate must be between 0 and 100.")
		}
	}
	if !hasAmounts {
		if ln.Description == "" {
			errs = append(errs, "Description must be specified for a line item without amounts.")
		}
		ln.LineAmount, ln.TaxAmount = amt(decimal.Zero), amt(decimal.Zero)
		return errs
	}
	// UnitAmount is kept to 2 dp unless unitdp=4; extra decimals are rounded.
	q := one
	if ln.Quantity != nil {
		q = round(ln.Quantity.Decimal, 4)
	}
	var u decimal.Decimal
	switch {
	case ln.UnitAmount != nil:
		u = round(ln.UnitAmount.Decimal, dp)
	case !q.IsZero():
		u = round(ln.LineAmount.Decimal.Div(q), dp)
	}
	gross := q.Mul(u)
	expected := round(gross, 2)
	switch {
	case ln.DiscountRate != nil:
		ln.DiscountRate = amt(round(ln.DiscountRate.Decimal, 2))
		expected = round(gross.Mul(one.Sub(ln.DiscountRate.Div(hundred))), 2)
	case ln.DiscountAmount != nil:
		ln.DiscountAmount = amt(round(ln.DiscountAmount.Decimal, 2))
		expected = round(gross.Sub(ln.DiscountAmount.Decimal), 2)
	}
	if ln.LineAmount != nil && !round(ln.LineAmount.Decimal, 2).Equal(expected) {
		errs = append(errs, fmt.Sprintf("The line total %s does not match the expected line total %s", ln.LineAmount.StringFixed(2), expected.StringFixed(2)))
	}
	ln.Quantity, ln.UnitAmount, ln.LineAmount = amt(q), amt(u), amt(expected)

	var acct *Account
	switch {
	case ln.AccountCode != "":
		acct = o.account(func(a *Account) bool { return strings.EqualFold(a.Code, ln.AccountCode) })
		if acct == nil {
			errs = append(errs, fmt.Sprintf("Account code '%s' is not a valid code for this document.", ln.AccountCode))
		}
	case ln.AccountID != "":
		if acct = o.account(func(a *Account) bool { return strings.EqualFold(a.AccountID, ln.AccountID) }); acct == nil {
			errs = append(errs, "Account could not be found.")
		}
	case approved:
		errs = append(errs, "An account code must be specified for each line item on an approved document.")
	}
	if ln.ItemCode != "" { // the sandbox's orgs have no items
		errs = append(errs, fmt.Sprintf("Item code '%s' is not valid.", ln.ItemCode))
	}
	if acct != nil {
		ln.AccountCode, ln.AccountID = acct.Code, acct.AccountID
	}

	taxType := strings.ToUpper(ln.TaxType)
	if taxType == "" && acct != nil {
		taxType = acct.TaxType
	}
	if taxType == "" {
		if _, ok := findTaxRate(o.data.TaxRates, "NONE"); ok {
			taxType = "NONE"
		}
	}
	tax := decimal.Zero
	if taxType != "" {
		tr, ok := findTaxRate(o.data.TaxRates, taxType)
		sales := f.Type == "ACCREC" || f.Type == "ACCRECCREDIT"
		switch {
		case !ok || tr.Status != "ACTIVE" || (sales && !tr.CanApplyToRevenue) || (!sales && !tr.CanApplyToExpenses):
			errs = append(errs, fmt.Sprintf("The TaxType code %s does not exist or cannot be used for this type of transaction.", ln.TaxType))
		case acct != nil && !taxFitsAccount(tr, *acct):
			// A rate is limited to some account classes (Xero's "Tax Rate
			// Constraints"): e.g. UK "VAT on Imports" only on liabilities.
			errs = append(errs, fmt.Sprintf("The TaxType code '%s' cannot be used with account code '%s'.", tr.TaxType, acct.Code))
		default:
			taxType = tr.TaxType
			r := dec(tr.EffectiveRate).Div(hundred)
			switch f.LineAmountTypes {
			case "Exclusive":
				tax = round(expected.Mul(r), 2)
			case "Inclusive":
				tax = round(expected.Mul(r).Div(one.Add(r)), 2)
			}
		}
	}
	if ln.TaxAmount != nil {
		given := round(ln.TaxAmount.Decimal, 2)
		if given.Sub(tax).Abs().GreaterThan(tol) {
			errs = append(errs, fmt.Sprintf("Tax amount %s is incorrect for %s tax type, should be %s", given.StringFixed(2), taxType, tax.StringFixed(2)))
		} else {
			tax = given
		}
	}
	ln.TaxType, ln.TaxAmount = taxType, amt(tax)
	if ln.LineItemID == "" {
		ln.LineItemID = newID()
	}
	if len(ln.Tracking) > 2 {
		errs = append(errs, "A line item can have at most 2 tracking categories.")
	}
	return errs
}

func (o *org) account(match func(*Account) bool) *Account {
	for i := range o.data.Accounts {
		if a := &o.data.Accounts[i]; a.Status == "ACTIVE" && match(a) {
			return a
		}
	}
	return nil
}

// computeTotals sums the lines: tax per line then summed; Inclusive lines
// already contain their tax [XERO.md §7]. It also sets what is still open.
func (o *org) computeTotals(x document) {
	f := x.doc()
	sum, tax, disc := decimal.Zero, decimal.Zero, decimal.Zero
	for _, ln := range f.LineItems {
		sum, tax = sum.Add(dec(ln.LineAmount)), tax.Add(dec(ln.TaxAmount))
		if ln.DiscountRate != nil || ln.DiscountAmount != nil {
			disc = disc.Add(round(dec(ln.Quantity).Mul(dec(ln.UnitAmount)), 2).Sub(dec(ln.LineAmount)))
		}
	}
	sub, total := sum, sum.Add(tax)
	if f.LineAmountTypes == "Inclusive" {
		sub, total = sum.Sub(tax), sum
	}
	f.SubTotal, f.TotalTax, f.Total = amt(sub), amt(tax), amt(total)
	paid := decimal.Zero
	for _, p := range f.Payments {
		paid = paid.Add(dec(p.Amount))
	}
	open := func(done decimal.Decimal) *Amount {
		if f.Status == "VOIDED" || f.Status == "DELETED" {
			return amt(decimal.Zero)
		}
		return amt(total.Sub(done))
	}
	switch d := x.(type) {
	case *Invoice:
		credited := decimal.Zero
		for _, cn := range d.CreditNotes {
			credited = credited.Add(dec(cn.AppliedAmount))
		}
		d.AmountPaid, d.AmountCredited, d.AmountDue = amt(paid), amt(credited), open(paid.Add(credited))
		if d.Type == "ACCREC" {
			d.TotalDiscount, d.IsDiscounted = amt(disc), disc.IsPositive()
		}
	case *CreditNote:
		allocated := decimal.Zero
		for _, a := range d.Allocations {
			allocated = allocated.Add(dec(a.Amount))
		}
		d.RemainingCredit = open(paid.Add(allocated))
	}
}

// settleStatus marks a document PAID when nothing is left open, and back to
// AUTHORISED when a payment or allocation is removed; s.mu is held.
func settleStatus(x document, when *Date) {
	f := x.doc()
	left := dec(remaining(x))
	switch {
	case f.Status == "AUTHORISED" && left.IsZero() && dec(f.Total).IsPositive():
		f.Status, f.FullyPaidOnDate = "PAID", when
	case f.Status == "PAID" && left.IsPositive():
		f.Status, f.FullyPaidOnDate = "AUTHORISED", nil
	}
}

// present refreshes a document's contact from the contact list for output,
// shows unit prices to dp decimals (2 unless the call says unitdp=4) and
// drops the lines when they are not wanted; s.mu is held.
func (o *org) present(x document, withLines bool, dp int32) document {
	f := x.doc()
	for i := range f.LineItems {
		if u := f.LineItems[i].UnitAmount; u != nil {
			f.LineItems[i].UnitAmount = amt(round(u.Decimal, dp))
		}
	}
	if f.Contact != nil {
		if i := o.contactIndex(f.Contact.ContactID); i >= 0 {
			f.Contact = slimContact(o.data.Contacts[i])
		}
	}
	if !withLines {
		f.LineItems = nil
	}
	return x
}

func (s *Server) getDocuments(r *req, k *docKind, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id != "" {
		x, _ := k.find(r.o, id, true)
		if x == nil {
			writeProblem(r.w, http.StatusNotFound, "NotFound", "The resource you're looking for cannot be found")
			return
		}
		s.envelope(r.w, k.plural, []document{r.o.present(cloneDoc(x), true, unitDP(r))}, nil)
		return
	}
	ids, numbers := csv(r.q.Get("IDs")), csv(r.q.Get("InvoiceNumbers"))
	if k == creditNoteKind {
		numbers = csv(r.q.Get("CreditNoteNumbers"))
	}
	contacts, statuses := csv(r.q.Get("ContactIDs")), csv(r.q.Get("Statuses"))
	since := modifiedSince(r)
	ix := r.o.ix.docs[k]
	var candidates []int
	switch {
	case len(ids) > 0:
		lists := make([][]int, len(ids))
		for i, x := range ids {
			lists[i] = ix.id[foldKey(x)]
		}
		candidates = union(lists...)
	case len(numbers) > 0:
		lists := make([][]int, len(numbers))
		for i, x := range numbers {
			lists[i] = ix.number[foldKey(x)]
		}
		candidates = union(lists...)
	default:
		var narrowed bool
		if candidates, narrowed = whereCandidates(r.q.Get("where"), r.o.documentsWhere(k)); !narrowed {
			candidates = everything(k.count(r.o.data))
		}
	}
	// The documents are chosen as the books hold them and only the page
	// answered is copied; the next page of the same query reuses the
	// choice while the books are unchanged (listcache.go).
	key := listKey(k, r, since)
	picked, kept := r.o.keptList(key)
	if !kept {
		for _, i := range candidates {
			x := k.at(r.o.data, i)
			f := x.doc()
			switch {
			case len(ids) > 0 && !containsFold(ids, *x.id()):
			case len(numbers) > 0 && !slices.Contains(numbers, *x.number()):
			case len(contacts) > 0 && (f.Contact == nil || !containsFold(contacts, f.Contact.ContactID)):
			case len(statuses) > 0 && !containsFold(statuses, f.Status):
			case !since.IsZero() && f.UpdatedDateUTC != nil && !f.UpdatedDateUTC.After(since):
			default:
				picked = append(picked, x)
			}
		}
		var ok bool
		if picked, ok = applyWhere(r, picked); !ok {
			return
		}
		r.o.keepList(key, picked)
	}
	// Lists carry line items only when paged [XERO.md §10].
	picked, pg, paged := paginate(picked, r.q)
	page := make([]document, len(picked))
	for i, x := range picked {
		page[i] = r.o.present(cloneDoc(x), paged, unitDP(r))
	}
	s.envelope(r.w, k.plural, page, pg) // never null: make gives an empty list
}

// Invoices returns a copy of a tenant's invoices.
func (s *Server) Invoices(tenantID string) []Invoice {
	return snapshot(s, tenantID, func(d *OrgData) []Invoice { return d.Invoices })
}

// CreditNotes returns a copy of a tenant's credit notes.
func (s *Server) CreditNotes(tenantID string) []CreditNote {
	return snapshot(s, tenantID, func(d *OrgData) []CreditNote { return d.CreditNotes })
}

// taxFitsAccount reports whether a tax rate may be used on an account of
// its class.
func taxFitsAccount(tr TaxRate, a Account) bool {
	switch strings.ToUpper(a.Class) {
	case "ASSET":
		return tr.CanApplyToAssets
	case "EQUITY":
		return tr.CanApplyToEquity
	case "EXPENSE":
		return tr.CanApplyToExpenses
	case "LIABILITY":
		return tr.CanApplyToLiabilities
	case "REVENUE":
		return tr.CanApplyToRevenue
	}
	return true
}
