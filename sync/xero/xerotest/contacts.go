package xerotest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Contacts [XERO.md §3.1].
//
// Matching of a POST /Contacts element: ContactID when given (it must
// exist), else ContactNumber (an existing contact with that number is
// updated), else a new contact. Name is never used to match on POST: a new
// contact whose Name is taken by another active contact gets Xero's
// uniqueness error. PUT /Contacts only creates.

// contactIndex is the position of the first contact whose ContactID (any
// case) or ContactNumber (exact) is idOrNumber, or -1; s.mu is held.
func (o *org) contactIndex(idOrNumber string) int {
	return first(o.contactCandidates(idOrNumber), func(i int) bool { return o.isContact(i, idOrNumber) })
}

// contactCandidates are the positions whose ContactID or ContactNumber may be idOrNumber.
func (o *org) contactCandidates(idOrNumber string) []int {
	key := foldKey(idOrNumber)
	return union(o.ix.contactID[key], o.ix.contactNumber[key])
}

func (o *org) isContact(i int, idOrNumber string) bool {
	c := &o.data.Contacts[i]
	return strings.EqualFold(c.ContactID, idOrNumber) || (c.ContactNumber != "" && c.ContactNumber == idOrNumber)
}

func (o *org) activeContactByName(name string) int {
	return first(o.ix.contactName[foldKey(strings.TrimSpace(name))], func(i int) bool {
		c := &o.data.Contacts[i]
		return c.ContactStatus == "ACTIVE" && strings.EqualFold(strings.TrimSpace(c.Name), strings.TrimSpace(name))
	})
}

func (s *Server) getContacts(r *req, id string) {
	ids := csv(r.q.Get("IDs"))
	s.mu.Lock()
	o := r.o
	var picked []int
	switch {
	case id != "":
		picked = o.contactCandidates(id)
	case len(ids) > 0:
		lists := make([][]int, len(ids))
		for i, x := range ids {
			lists[i] = o.ix.contactID[foldKey(x)]
		}
		picked = union(lists...)
	default:
		var narrowed bool
		if picked, narrowed = whereCandidates(r.q.Get("where"), o.contactsWhere); !narrowed {
			picked = everything(len(o.data.Contacts))
		}
	}
	all := make([]Contact, len(picked))
	for i, p := range picked {
		all[i] = o.data.Contacts[p]
	}
	all = clone(all)
	s.mu.Unlock()
	if id != "" {
		var hit []Contact
		for _, c := range all {
			if strings.EqualFold(c.ContactID, id) || (c.ContactNumber != "" && c.ContactNumber == id) {
				hit = append(hit, c)
			}
		}
		if len(hit) == 0 {
			writeProblem(r.w, http.StatusNotFound, "NotFound", "The resource you're looking for cannot be found")
			return
		}
		s.envelope(r.w, "Contacts", hit, nil)
		return
	}
	term := strings.ToLower(r.q.Get("searchTerm"))
	since := modifiedSince(r)
	var out []Contact
	for _, c := range all {
		switch {
		case len(ids) > 0 && !containsFold(ids, c.ContactID):
		case len(ids) == 0 && c.ContactStatus != "ACTIVE" && r.q.Get("includeArchived") != "true":
		case term != "" && !strings.Contains(strings.ToLower(strings.Join([]string{c.Name, c.FirstName, c.LastName, c.ContactNumber, c.EmailAddress}, "\x00")), term):
		case !since.IsZero() && c.UpdatedDateUTC != nil && !c.UpdatedDateUTC.After(since):
		default:
			out = append(out, c)
		}
	}
	out, ok := applyWhere(r, out)
	if !ok {
		return
	}
	out, pg, _ := paginate(out, r.q)
	if out == nil {
		out = []Contact{}
	}
	s.envelope(r.w, "Contacts", out, pg)
}

func (s *Server) writeContacts(r *req, pathID string) {
	ins, raws, ok := decodeAll[Contact](r, "Contacts")
	if !ok {
		return
	}
	if !s.pathTarget(r, pathID, len(ins), func(o *org) bool { return o.contactIndex(pathID) >= 0 }) {
		return
	}
	put := r.r.Method == http.MethodPut
	s.mu.Lock()
	results := make([]element, len(ins))
	for i := range ins {
		c := s.saveContact(r.o, ins[i], raws[i], put, pathID)
		results[i] = c
	}
	s.mu.Unlock()
	s.saveState()
	s.batchResult(r, "Contacts", results)
}

// saveContact creates or updates one contact; s.mu is held.
func (s *Server) saveContact(o *org, in Contact, raw json.RawMessage, put bool, pathID string) *Contact {
	now := s.now()
	idx := -1
	var errs []string
	switch {
	case pathID != "":
		if idx = o.contactIndex(pathID); idx < 0 {
			errs = append(errs, "The contact "+pathID+" could not be found.")
		}
	case in.ContactID != "":
		switch idx = o.contactIndex(in.ContactID); {
		case idx < 0:
			errs = append(errs, "The contact "+in.ContactID+" could not be found.")
		case put:
			errs = append(errs, "A contact with this ContactID already exists; PUT only creates, use POST to update.")
		}
	case !put && in.ContactNumber != "":
		idx = o.contactIndex(in.ContactNumber)
	}
	out := in
	if len(errs) == 0 {
		if idx >= 0 {
			merged, err := overlay(o.data.Contacts[idx], raw)
			if err != nil {
				errs = append(errs, err.Error())
			}
			out = merged
		} else {
			out.ContactID = newID()
			if out.ContactStatus == "" {
				out.ContactStatus = "ACTIVE"
			}
		}
		errs = append(errs, o.validateContact(&out, idx)...)
	}
	clearResult(&out)
	if len(errs) > 0 {
		if idx < 0 {
			out.ContactID = zeroID
		}
		out.HasValidationErrors, out.StatusAttributeString, out.ValidationErrors = true, "ERROR", messages(errs)
		return &out
	}
	out.UpdatedDateUTC = dateOf(now)
	if idx >= 0 {
		o.setContact(idx, out)
		o.addHistory("Contacts/"+out.ContactID, now, "Updated", "Contact updated.")
	} else {
		o.setContact(-1, out)
		o.addHistory("Contacts/"+out.ContactID, now, "Created", "Contact created.")
	}
	res := clone(out)
	res.StatusAttributeString = "OK"
	return &res
}

const zeroID = "00000000-0000-0000-0000-000000000000"

func clearResult(c *Contact) {
	c.HasValidationErrors, c.StatusAttributeString, c.ValidationErrors, c.Warnings = false, "", nil, nil
}

var emailRE = regexp.MustCompile(`^[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$`)

// maxLen adds Xero-style length errors (counted in characters).
func maxLen(errs []string, field, v string, n int) []string {
	if utf8.RuneCountInString(v) > n {
		errs = append(errs, fmt.Sprintf("%s must not be more than %d characters long.", field, n))
	}
	return errs
}

// validateContact checks a contact about to be stored at index self (-1 new).
func (o *org) validateContact(c *Contact, self int) []string {
	var errs []string
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		errs = append(errs, "The contact name must be specified.")
	}
	for _, f := range []struct {
		label, v string
		n        int
	}{{"Name", c.Name, 255}, {"FirstName", c.FirstName, 255}, {"LastName", c.LastName, 255}, {"EmailAddress", c.EmailAddress, 255},
		{"ContactNumber", c.ContactNumber, 50}, {"AccountNumber", c.AccountNumber, 50}, {"TaxNumber", c.TaxNumber, 50},
		{"CompanyNumber", c.CompanyNumber, 50}} {
		errs = maxLen(errs, f.label, f.v, f.n)
	}
	for _, a := range c.Addresses {
		for _, l := range []string{a.AddressLine1, a.AddressLine2, a.AddressLine3, a.AddressLine4} {
			errs = maxLen(errs, "AddressLine", l, 500)
		}
		errs = maxLen(maxLen(maxLen(errs, "City", a.City, 255), "Region", a.Region, 255), "AttentionTo", a.AttentionTo, 255)
		errs = maxLen(maxLen(errs, "PostalCode", a.PostalCode, 50), "Country", a.Country, 50)
		if a.AddressType != "" && a.AddressType != "POBOX" && a.AddressType != "STREET" {
			errs = append(errs, "AddressType must be POBOX or STREET.")
		}
	}
	for _, p := range c.Phones {
		errs = maxLen(maxLen(maxLen(errs, "PhoneNumber", p.PhoneNumber, 50), "PhoneAreaCode", p.PhoneAreaCode, 10), "PhoneCountryCode", p.PhoneCountryCode, 20)
		switch p.PhoneType {
		case "", "DEFAULT", "DDI", "MOBILE", "FAX", "OFFICE":
		default:
			errs = append(errs, "PhoneType must be one of DEFAULT, DDI, MOBILE, FAX, OFFICE.")
		}
	}
	if c.EmailAddress != "" && !emailRE.MatchString(c.EmailAddress) {
		errs = append(errs, "Email address must be valid.")
	}
	if c.Website != "" && !strings.HasPrefix(c.Website, "http://") && !strings.HasPrefix(c.Website, "https://") && !strings.HasPrefix(c.Website, "www.") {
		errs = append(errs, "Website must be valid.")
	}
	switch c.ContactStatus {
	case "ACTIVE", "ARCHIVED", "GDPRREQUEST":
	default:
		errs = append(errs, "ContactStatus must be ACTIVE, ARCHIVED or GDPRREQUEST.")
	}
	if c.DefaultCurrency != "" && !containsCurrency(o.data.Currencies, c.DefaultCurrency) {
		errs = append(errs, "Organisation is not subscribed to currency "+c.DefaultCurrency)
	}
	if c.Name != "" && c.ContactStatus == "ACTIVE" {
		if i := o.activeContactByName(c.Name); i >= 0 && i != self {
			errs = append(errs, fmt.Sprintf("The contact name %s is already assigned to another contact. The contact name must be unique across all active contacts.", c.Name))
		}
	}
	if c.ContactNumber != "" {
		if first(o.ix.contactNumber[foldKey(c.ContactNumber)], func(i int) bool {
			return i != self && o.data.Contacts[i].ContactNumber == c.ContactNumber
		}) >= 0 {
			errs = append(errs, fmt.Sprintf("The contact number %s is already assigned to another contact. The contact number must be unique across all contacts.", c.ContactNumber))
		}
	}
	return errs
}

// addHistory appends an automatic history line; s.mu is held.
func (o *org) addHistory(key string, now time.Time, changes, details string) {
	if o.data.History == nil {
		o.data.History = map[string][]HistoryRecord{}
	}
	o.data.History[key] = append(o.data.History[key], HistoryRecord{Changes: changes, DateUTC: dateOf(now), User: "System Generated", Details: details})
}

// slimContact is the contact as documents and payments carry it.
func slimContact(c Contact) *Contact {
	return &Contact{ContactID: c.ContactID, ContactNumber: c.ContactNumber, Name: c.Name, FirstName: c.FirstName,
		LastName: c.LastName, EmailAddress: c.EmailAddress, ContactStatus: c.ContactStatus}
}

// Contacts returns a copy of a tenant's contacts.
func (s *Server) Contacts(tenantID string) []Contact {
	return snapshot(s, tenantID, func(d *OrgData) []Contact { return d.Contacts })
}

func snapshot[T any](s *Server, tenantID string, pick func(*OrgData) []T) []T {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.org(tenantID)
	if o == nil {
		return nil
	}
	return clone(pick(o.data))
}
