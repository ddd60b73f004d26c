package export

import (
	"fmt"
	"slices"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// contactJob is one contact the run needs in Xero.
type contactJob struct {
	key      string // ContactNumber, also the history id
	doc      xero.Contact
	problems []mapping.Problem
	hash     string
	rec      history.Record
	found    bool
	// source fingerprints the customer account the contact is made from
	// ("" for a contact made from an order).
	source string
	// keepName says doc.Name is the name Xero holds for this contact: an
	// update sends it as it is, never another (disambiguated) name.
	keepName bool
}

// toSend is the contact as sent and its record.
func (j *contactJob) toSend() (xero.Contact, pending) {
	return j.doc, pending{rec: &j.rec, hash: j.hash, source: j.source}
}

// exportCustomers sends every customer account (or the enabled ones) as a
// contact, updating those that changed since their export.
func (r *run) exportCustomers() error {
	f := opencart.CustomerFilter{EnabledOnly: r.e.cfg.Settings.CustomersEnabledOnly, Since: r.req.Since, Until: r.req.Until}
	if r.req.Scope == ScopeCustomers {
		f.IDs = r.req.IDs
	}
	if !r.customerSelection(&f) { // incremental.go: no customer changed
		return nil
	}
	total, err := r.store().CountCustomers(r.ctx, f)
	if err != nil {
		return r.fatal(err)
	}
	r.startStage(StageContacts, total)
	done := 0
	var page []contactJob
	flush := func() error {
		if len(page) == 0 {
			return nil
		}
		if _, err := r.ensureContacts(page, true); err != nil {
			return err
		}
		done += len(page)
		page = page[:0]
		r.report(StageContacts, done, total, nil)
		return r.cancelled()
	}
	for c, err := range r.store().Customers(r.ctx, f) {
		if err != nil {
			return r.fatal(err)
		}
		doc, ps := mapping.ContactFromCustomer(c, r.opt)
		source, err := mapping.SourceHash(c)
		if err != nil {
			return r.fatal(err)
		}
		page = append(page, contactJob{key: r.opt.CustomerKey(c.ID), doc: doc, problems: ps, source: source})
		if len(page) == r.e.cfg.BatchSize {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// orderContact is an order and the ContactNumber its documents go to
// (invoiceContactKey).
type orderContact struct {
	order opencart.Order
	key   string
}

// contactsForOrders makes sure the contacts of these orders are in Xero
// and returns their ContactIDs by ContactNumber, and for those that could
// not be made, the reason. A contact exported before is used as it is; a
// customer's account (still in OpenCart) makes a new one, otherwise the
// order's own details do.
func (r *run) contactsForOrders(wanted []orderContact) (map[string]string, map[string]string, error) {
	var jobs []contactJob
	var customerIDs []int
	seen := map[string]bool{}
	for _, w := range wanted {
		o, key := w.order, w.key
		if seen[key] || r.contactIDs[key] != "" || r.contactClashes[key] != "" {
			continue
		}
		seen[key] = true
		// A contact exported before is used as it is; the customers stage
		// keeps contacts up to date.
		rec, found, err := r.previous(history.KindContact, key)
		if err != nil {
			return nil, nil, r.fatal(err)
		}
		if found && rec.State == history.StateExported && rec.XeroID != "" {
			r.contactIDs[key] = rec.XeroID
			continue
		}
		if o.CustomerID > 0 && !o.CustomerDeleted && key == r.opt.CustomerKey(o.CustomerID) {
			customerIDs = append(customerIDs, o.CustomerID)
			continue
		}
		doc, ps := mapping.ContactFromOrder(o, r.opt)
		doc.ContactNumber = key // the contact the order's invoice was sent to
		jobs = append(jobs, contactJob{key: key, doc: doc, problems: ps})
	}
	if len(customerIDs) > 0 {
		for c, err := range r.customersOf(customerIDs) { // incremental.go: read once per page of orders
			if err != nil {
				return nil, nil, r.fatal(err)
			}
			doc, ps := mapping.ContactFromCustomer(c, r.opt)
			source, err := mapping.SourceHash(c)
			if err != nil {
				return nil, nil, r.fatal(err)
			}
			jobs = append(jobs, contactJob{key: r.opt.CustomerKey(c.ID), doc: doc, problems: ps, source: source})
		}
	}
	failed, err := r.ensureContacts(jobs, false)
	for key, reason := range r.contactClashes {
		failed[key] = reason
	}
	return r.contactIDs, failed, err
}

// invoiceContactKey is the ContactNumber of the contact an order's invoice
// goes to: the one its record keeps once it was exported, so that a
// customer deleted or renamed in OpenCart since never moves it; else the
// order's customer's (Options.ContactKey). doc is the order's invoice as
// mapped; for a record from before contacts were kept, the key is the one
// that gives the invoice exported (its content hash), or, for a deleted
// customer, the customer's contact when it is in Xero.
func (r *run) invoiceContactKey(o opencart.Order, rec history.Record, doc xero.Invoice) (string, error) {
	key := r.opt.ContactKey(o)
	switch {
	case rec.Contact != "" && rec.XeroID != "":
		return rec.Contact, nil
	case rec.XeroID == "" || rec.ContentHash == "":
		return key, nil // never exported
	}
	candidates := []string{key}
	if o.CustomerID > 0 {
		candidates = append(candidates, r.opt.CustomerKey(o.CustomerID))
	}
	candidates = append(candidates, r.opt.GuestKey(o.Email), r.opt.OrderGuestKey(o.ID))
	for _, k := range candidates {
		doc.Contact = &xero.Contact{ContactNumber: k}
		h, err := mapping.ContentHash(doc)
		if err != nil {
			return "", r.fatal(err)
		}
		if h == rec.ContentHash {
			return k, nil
		}
	}
	if o.CustomerID > 0 && o.CustomerDeleted {
		c, found, err := r.previous(history.KindContact, r.opt.CustomerKey(o.CustomerID))
		if err != nil {
			return "", r.fatal(err)
		}
		if found && c.XeroID != "" {
			return c.OpenCartID, nil // deleted after its orders were exported
		}
	}
	return key, nil
}

// documentContact is the ContactID an order's documents (its invoice's
// updates, its credit notes) go to: the contact its invoice was exported
// to, whatever became of the customer since; before its invoice is in
// Xero, its customer's. "" when that contact is not in Xero yet.
func (r *run) documentContact(o opencart.Order) (string, error) {
	key := r.opt.ContactKey(o)
	inv, found, err := r.previous(history.KindInvoice, history.OrderKey(o.ID))
	if err != nil {
		return "", r.fatal(err)
	}
	if found && inv.Contact != "" && inv.XeroID != "" {
		key = inv.Contact
	}
	if id := r.contactIDs[key]; id != "" {
		return id, nil
	}
	rec, found, err := r.previous(history.KindContact, key)
	if err != nil || !found || rec.State != history.StateExported {
		return "", err
	}
	r.contactIDs[key] = rec.XeroID
	return rec.XeroID, nil
}

// ensureContacts creates or updates contacts in Xero in one batch, records
// each, and returns the reasons for those that failed. update says whether
// contacts exported before are updated when they changed.
func (r *run) ensureContacts(jobs []contactJob, update bool) (map[string]string, error) {
	failed := map[string]string{}
	var send, lookup []*contactJob
	for i := range jobs {
		j := &jobs[i]
		var err error
		if j.rec, j.found, err = r.previous(history.KindContact, j.key); err != nil {
			return nil, r.fatal(err)
		}
		if j.hash, err = mapping.ContentHash(j.doc); err != nil {
			return nil, r.fatal(err)
		}
		switch {
		case r.req.OnlyFailed && j.found && j.rec.State != history.StateFailed && j.rec.State != history.StateSending:
			if j.rec.XeroID != "" {
				r.contactIDs[j.key] = j.rec.XeroID
			}
		case j.found && j.rec.State == history.StateExported && j.rec.XeroID != "" && (j.rec.ContentHash == j.hash || !update):
			r.sum.Unchanged++
			r.contactIDs[j.key] = j.rec.XeroID
		case j.found && j.rec.State == history.StateExported && j.rec.XeroID != "" && j.source != "" && j.rec.SourceHash == j.source:
			// The customer is as exported; only the settings changed.
			r.sum.Unchanged++
			r.sum.KeptAsExported++
			r.contactIDs[j.key] = j.rec.XeroID
		case mapping.HasErrors(j.problems):
			j.rec.State, j.rec.Error = history.StateFailed, blocking(j.problems)
			failed[j.key] = j.rec.Error
			if err := r.settle(j.rec, Outcome{Document: j.doc, Problems: problemTexts(j.problems)}); err != nil {
				return nil, r.fatal(err)
			}
		case j.found && j.rec.State == history.StateSending && !r.req.DryRun:
			lookup = append(lookup, j)
		default:
			// A contact refused the same way WaitAfter runs in a row (its
			// number held by another shop's contact, say) waits for a
			// change like any stuck record: no call for it (xerostate.go).
			if wait, err := r.waits(j.rec, j.hash); err != nil {
				return nil, err
			} else if wait {
				if r.contactClashes == nil {
					r.contactClashes = map[string]string{}
				}
				r.contactClashes[j.key] = j.rec.Error
				failed[j.key] = j.rec.Error
				continue
			}
			if j.found && j.rec.XeroID != "" {
				j.doc.ContactID = j.rec.XeroID
				if j.rec.Contact != "" && mapping.NameDerivedFrom(j.rec.Contact, j.doc.Name) {
					// The name Xero holds (perhaps disambiguated) stays.
					j.doc.Name, j.keepName = j.rec.Contact, true
				}
			}
			send = append(send, j)
		}
	}
	if len(lookup) > 0 {
		// A crash left these between "sending" and an answer: adopt the
		// ones Xero has, send the others.
		numbers := make([]string, len(lookup))
		for i, j := range lookup {
			numbers[i] = j.key
		}
		have, err := r.x().Contacts(r.bg, xero.ContactQuery{ContactNumbers: numbers, IncludeArchived: true})
		if err != nil {
			return nil, r.fatal(err)
		}
		byNumber := map[string]xero.Contact{}
		for _, c := range have {
			byNumber[strings.ToUpper(c.ContactNumber)] = c
		}
		for _, j := range lookup {
			c, ok := byNumber[strings.ToUpper(j.key)]
			switch {
			case !ok:
				send = append(send, j)
			case contactIsOurs(c, j.doc):
				j.rec.State, j.rec.XeroID, j.rec.XeroNumber, j.rec.Error, j.rec.Contact = history.StateExported, c.ContactID, c.ContactNumber, "", c.Name
				r.contactIDs[j.key] = c.ContactID
				if err := r.settle(j.rec, Outcome{Message: "found in Xero after an interrupted run"}); err != nil {
					return nil, r.fatal(err)
				}
			default:
				if err := r.failContact(j, failed, contactClash(j.key, c, j.doc)); err != nil {
					return nil, err
				}
			}
		}
	}
	for round := 0; len(send) > 0 && round < 3; round++ {
		retry, err := r.sendContacts(send, failed)
		if err != nil {
			return nil, err
		}
		var rename, keep []*contactJob
		for _, j := range retry {
			if j.doc.ContactID == "" {
				rename = append(rename, j)
			} else {
				keep = append(keep, j) // ours, found in Xero: updated on the next try
			}
		}
		if len(rename) > 0 {
			if rename, err = r.linkOrRename(rename); err != nil {
				return nil, err
			}
		}
		send = append(keep, rename...)
	}
	for _, j := range send {
		j.rec.State, j.rec.Error = history.StateFailed, "Xero refused every name tried for this contact, the last was "+j.doc.Name
		failed[j.key] = j.rec.Error
		if err := r.settle(j.rec, Outcome{Document: j.doc, Problems: problemTexts(j.problems)}); err != nil {
			return nil, r.fatal(err)
		}
	}
	return failed, nil
}

// linkOrRename handles contacts whose name another Xero contact has. When
// that contact has the same e-mail address (and no other contact number),
// it is this customer entered by hand: it is linked (updated with the
// contact number) instead of duplicated. Otherwise the name is left to its
// owner and the customer gets a disambiguated name on the next try.
func (r *run) linkOrRename(jobs []*contactJob) ([]*contactJob, error) {
	parts := make([]string, len(jobs))
	for i, j := range jobs {
		parts[i] = "Name==" + xero.WhereQuote(j.doc.Name)
	}
	have, err := r.x().Contacts(r.bg, xero.ContactQuery{Where: strings.Join(parts, " OR ")})
	if err != nil {
		return nil, r.fatal(err)
	}
	var send []*contactJob
	for _, j := range jobs {
		linked := false
		for _, c := range have {
			if !strings.EqualFold(c.Name, j.doc.Name) || j.doc.EmailAddress == "" || !strings.EqualFold(c.EmailAddress, j.doc.EmailAddress) {
				continue
			}
			how := samePerson(r.opt, j, c)
			if how == "" {
				continue
			}
			linked = true
			msg := "linked to the contact " + c.Name + " already in Xero with the same e-mail address and name"
			if how == "keep" {
				// One person, one contact: the guest's orders join the
				// contact this person already has, as it is.
				j.rec.State, j.rec.XeroID, j.rec.XeroNumber, j.rec.Error, j.rec.ContentHash = history.StateExported, c.ContactID, c.ContactNumber, "", j.hash
				r.contactIDs[j.key] = c.ContactID
				if err := r.settle(j.rec, Outcome{Document: j.doc, Problems: problemTexts(j.problems), Message: msg + " (" + c.ContactNumber + "): one person, one contact"}); err != nil {
					return nil, r.fatal(err)
				}
				break
			}
			j.doc.ContactID = c.ContactID
			j.problems = append(j.problems, mapping.Problem{Field: "contact", Severity: mapping.SeverityWarning, Message: msg})
			send = append(send, j)
			break
		}
		if !linked {
			r.names.Reserve(j.doc.Name, "xero")
			send = append(send, j)
		}
	}
	return send, nil
}

// sendContacts sends one batch of contacts and returns those to send again:
// new ones with a different name (Xero's names are unique among active
// contacts), and ones found in Xero as ours (numberTaken, keepXeroName).
// New contacts are created (PUT), never upserted by number: a contact
// another shop made under the same number is refused by Xero, not
// overwritten, and looked at (adoptTaken).
func (r *run) sendContacts(send []*contactJob, failed map[string]string) ([]*contactJob, error) {
	if r.req.DryRun {
		if err := r.reserveHeldNames(send); err != nil {
			return nil, err
		}
	}
	for _, j := range send {
		if j.keepName {
			r.names.Reserve(j.doc.Name, j.key)
			continue
		}
		if r.names.Claim(&j.doc) {
			j.problems = append(j.problems, mapping.Problem{Field: "name", Severity: mapping.SeverityWarning,
				Message: "another customer has the same name, so this contact is called " + j.doc.Name})
		}
	}
	if r.req.DryRun {
		for _, j := range send {
			j.rec.State = history.StateExported
			if err := r.settle(j.rec, Outcome{Document: j.doc, Problems: problemTexts(j.problems)}); err != nil {
				return nil, r.fatal(err)
			}
		}
		return nil, nil
	}
	var creates, updates, retry, taken, renamed []*contactJob
	for _, j := range send {
		if j.doc.ContactID == "" {
			creates = append(creates, j)
		} else {
			updates = append(updates, j)
		}
	}
	answered := func(j *contactJob, res xero.Result[xero.Contact]) error {
		switch {
		case res.Err == nil:
			j.rec.State, j.rec.XeroID, j.rec.XeroNumber, j.rec.Error = history.StateExported, res.Item.ContactID, res.Item.ContactNumber, ""
			j.rec.Contact = res.Item.Name // the name Xero holds, kept by later updates
			r.contactIDs[j.key] = res.Item.ContactID
		case nameTaken(res.Err) && j.doc.ContactID == "":
			retry = append(retry, j) // see linkOrRename
			return nil
		case nameTaken(res.Err) && !j.keepName:
			renamed = append(renamed, j) // see keepXeroName
			return nil
		case contactNumberTaken(res.Err) && j.doc.ContactID == "":
			taken = append(taken, j) // see adoptTaken
			return nil
		default:
			j.rec.State, j.rec.Error = history.StateFailed, r.xeroReason(res.Err)
			failed[j.key] = j.rec.Error
		}
		return r.settleErr(j.rec, Outcome{Document: j.doc, Problems: problemTexts(j.problems)})
	}
	if err := sendBatch(r, "contacts", creates, (*contactJob).toSend, r.x().CreateContacts, answered); err != nil {
		return nil, err
	}
	if err := sendBatch(r, "contacts update", updates, (*contactJob).toSend, r.x().UpdateContacts, answered); err != nil {
		return nil, err
	}
	again, err := r.adoptTaken(taken, failed)
	if err != nil {
		return nil, err
	}
	kept, err := r.keepXeroName(renamed, failed)
	if err != nil {
		return nil, err
	}
	return append(append(retry, again...), kept...), nil
}

// reserveHeldNames gives a dry run the names contacts exported before hold
// in Xero, which a real run learns from Xero's refusal (linkOrRename): a
// new contact whose name one of them holds is named as the real run names
// it.
func (r *run) reserveHeldNames(send []*contactJob) error {
	var names []string
	for _, j := range send {
		if !j.keepName {
			names = append(names, j.doc.Name)
		}
	}
	held, err := r.hist().ContactNamesHeld(r.bg, names)
	if err != nil {
		return r.fatal(err)
	}
	for name, key := range held {
		r.names.Reserve(name, key)
	}
	return nil
}

// adoptTaken looks at the contacts Xero holds under the numbers of new
// contacts it refused as taken: one that is this customer's (contactIsOurs:
// an earlier installation's, or a run that stopped before its answer) is
// taken, keeping the name Xero holds, and updated on the next round; any
// other is someone else's, and the contact fails with the clash.
func (r *run) adoptTaken(jobs []*contactJob, failed map[string]string) ([]*contactJob, error) {
	if len(jobs) == 0 {
		return nil, nil
	}
	numbers := make([]string, len(jobs))
	for i, j := range jobs {
		numbers[i] = j.key
	}
	have, err := r.x().Contacts(r.bg, xero.ContactQuery{ContactNumbers: numbers, IncludeArchived: true})
	if err != nil {
		return nil, r.fatal(err)
	}
	byNumber := map[string]xero.Contact{}
	for _, c := range have {
		byNumber[strings.ToUpper(c.ContactNumber)] = c
	}
	var again []*contactJob
	for _, j := range jobs {
		c, ok := byNumber[strings.ToUpper(j.key)]
		switch {
		case !ok:
			err = r.failContact(j, failed, "Xero says the contact number "+j.key+" is taken, but finds no contact with it")
		case contactIsOurs(c, j.doc):
			j.doc.ContactID, j.doc.Name, j.keepName = c.ContactID, c.Name, true
			j.problems = append(j.problems, mapping.Problem{Field: "contact", Severity: mapping.SeverityWarning,
				Message: "Xero already held this customer's contact " + j.key + " (" + c.Name + ", same e-mail address): it is taken and updated, keeping its name"})
			again = append(again, j)
		default:
			err = r.failContact(j, failed, contactClash(j.key, c, j.doc))
		}
		if err != nil {
			return nil, err
		}
	}
	return again, nil
}

// keepXeroName gives contacts whose update Xero refused for a name another
// contact has the name Xero holds for them, to be sent again: an update
// never renames a contact onto someone else's name.
func (r *run) keepXeroName(jobs []*contactJob, failed map[string]string) ([]*contactJob, error) {
	if len(jobs) == 0 {
		return nil, nil
	}
	ids := make([]string, len(jobs))
	for i, j := range jobs {
		ids[i] = j.doc.ContactID
	}
	have, err := r.x().Contacts(r.bg, xero.ContactQuery{IDs: ids, IncludeArchived: true})
	if err != nil {
		return nil, r.fatal(err)
	}
	byID := map[string]xero.Contact{}
	for _, c := range have {
		byID[strings.ToLower(c.ContactID)] = c
	}
	var again []*contactJob
	for _, j := range jobs {
		c, ok := byID[strings.ToLower(j.doc.ContactID)]
		if !ok {
			if err := r.failContact(j, failed, "its contact "+j.key+" (Xero id "+j.doc.ContactID+") is not in Xero any more: check it in Xero"); err != nil {
				return nil, err
			}
			continue
		}
		j.problems = append(j.problems, mapping.Problem{Field: "name", Severity: mapping.SeverityWarning,
			Message: "the name " + j.doc.Name + " belongs to another contact in Xero, so this contact keeps its name " + c.Name})
		j.doc.Name, j.keepName = c.Name, true
		again = append(again, j)
	}
	return again, nil
}

// failContact records a contact that cannot be sent, with the reason.
func (r *run) failContact(j *contactJob, failed map[string]string, reason string) error {
	if r.contactClashes == nil {
		r.contactClashes = map[string]string{}
	}
	r.contactClashes[j.key] = reason
	j.rec.State, j.rec.Error = history.StateFailed, reason
	failed[j.key] = reason
	return r.settleErr(j.rec, Outcome{Document: j.doc, Problems: problemTexts(j.problems)})
}

// contactNumberTaken recognises Xero's refusal of a contact number another
// contact has [XERO.md §3.1].
func contactNumberTaken(err error) bool {
	var ve *xero.ValidationError
	if !asValidation(err, &ve) {
		return false
	}
	for _, m := range ve.Messages {
		if strings.Contains(m, "already assigned to another contact") && strings.Contains(strings.ToLower(m), "contact number") {
			return true
		}
	}
	return false
}

// nameTaken recognises Xero's refusal of a contact name used by another contact.
func nameTaken(err error) bool {
	var ve *xero.ValidationError
	if !asValidation(err, &ve) {
		return false
	}
	for _, m := range ve.Messages {
		if strings.Contains(m, "already assigned to another contact") && strings.Contains(strings.ToLower(m), "contact name") {
			return true
		}
	}
	return false
}

// samePerson says whether the Xero contact c (whose name and e-mail are
// the job's) is this person's own contact, and how to link it: "" = not
// theirs; "number" = take it under the job's contact number (one entered
// by hand, without a number; a guest contact of this e-mail and name when
// the person has since registered: the customer's number replaces the
// guest's); "keep" = record it as the job's contact, unchanged (a guest whose e-mail and name
// already have a contact: the one from before names were part of guest
// keys, or the account they registered). A registered customer's contact
// is only shared with a guest when the addresses agree where both have
// one.
func samePerson(opt mapping.Options, j *contactJob, c xero.Contact) string {
	first, last := j.doc.FirstName, j.doc.LastName
	_, jobIsCustomer := opt.CustomerIDOf(j.key)
	_, theirsIsCustomer := opt.CustomerIDOf(c.ContactNumber)
	switch {
	case c.ContactNumber == "" || strings.EqualFold(c.ContactNumber, j.key):
		return "number"
	case jobIsCustomer && opt.IsGuestKeyOf(c.ContactNumber, j.doc.EmailAddress, first, last):
		return "number"
	case !jobIsCustomer && opt.IsGuestKeyOf(c.ContactNumber, j.doc.EmailAddress, first, last):
		return "keep"
	case !jobIsCustomer && theirsIsCustomer && addressesAgree(j.doc.Addresses, c.Addresses):
		return "keep"
	}
	return ""
}

// addressesAgree compares the billing (POBOX) addresses where both have
// one: first line and postal code, without regard to case and spacing.
func addressesAgree(a, b []xero.Address) bool {
	find := func(as []xero.Address) (xero.Address, bool) {
		for _, x := range as {
			if x.AddressType == "POBOX" && strings.TrimSpace(x.AddressLine1) != "" {
				return x, true
			}
		}
		return xero.Address{}, false
	}
	x, okA := find(a)
	y, okB := find(b)
	if !okA || !okB {
		return true
	}
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), "")) }
	return norm(x.AddressLine1) == norm(y.AddressLine1) && norm(x.PostalCode) == norm(y.PostalCode)
}

// emailNames are the names met per guest e-mail address in a run.
type emailNames struct {
	order []string                     // e-mail addresses, as first met
	names map[string]map[string]string // lower-cased e-mail → PersonName → name as typed
}

// noteGuest notes a guest order's e-mail address and name, so that the run
// can say which addresses different people share.
func (r *run) noteGuest(o opencart.Order) {
	if o.CustomerID > 0 && !o.CustomerDeleted || strings.TrimSpace(o.Email) == "" {
		return
	}
	name := mapping.PersonName(o.FirstName, o.LastName)
	if name == "" {
		return
	}
	if r.sharedEmails == nil {
		r.sharedEmails = &emailNames{names: map[string]map[string]string{}}
	}
	e := strings.ToLower(strings.TrimSpace(o.Email))
	if r.sharedEmails.names[e] == nil {
		r.sharedEmails.names[e] = map[string]string{}
		r.sharedEmails.order = append(r.sharedEmails.order, e)
	}
	if _, ok := r.sharedEmails.names[e][name]; !ok {
		r.sharedEmails.names[e][name] = strings.TrimSpace(o.FirstName + " " + o.LastName)
	}
}

// reportSharedEmails says, once per run, which guest e-mail addresses
// different people used: each person has a contact of their own.
func (r *run) reportSharedEmails() {
	if r.sharedEmails == nil {
		return
	}
	for _, e := range r.sharedEmails.order {
		names := r.sharedEmails.names[e]
		if len(names) < 2 {
			continue
		}
		shown := make([]string, 0, len(names))
		for _, n := range names {
			shown = append(shown, n)
		}
		slices.Sort(shown)
		r.report(r.stage, 0, 0, &Outcome{Kind: "run", State: "warning",
			Message: fmt.Sprintf("the e-mail address %s is on guest orders of %d different people (%s), e.g. the shop's own address on orders taken by phone: each person has a contact of their own",
				e, len(names), strings.Join(shown, ", "))})
	}
}
