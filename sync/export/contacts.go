package export

import (
	"strconv"
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
		page = append(page, contactJob{key: mapping.CustomerKey(c.ID), doc: doc, problems: ps, source: source})
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
		if seen[key] || r.contactIDs[key] != "" {
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
		if o.CustomerID > 0 && !o.CustomerDeleted && key == mapping.CustomerKey(o.CustomerID) {
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
			jobs = append(jobs, contactJob{key: mapping.CustomerKey(c.ID), doc: doc, problems: ps, source: source})
		}
	}
	failed, err := r.ensureContacts(jobs, false)
	return r.contactIDs, failed, err
}

// invoiceContactKey is the ContactNumber of the contact an order's invoice
// goes to: the one its record keeps once it was exported, so that a
// customer deleted or renamed in OpenCart since never moves it; else the
// order's customer's (mapping.ContactKey). doc is the order's invoice as
// mapped; for a record from before contacts were kept, the key is the one
// that gives the invoice exported (its content hash), or, for a deleted
// customer, the customer's contact when it is in Xero.
func (r *run) invoiceContactKey(o opencart.Order, rec history.Record, doc xero.Invoice) (string, error) {
	key := mapping.ContactKey(o)
	switch {
	case rec.Contact != "" && rec.XeroID != "":
		return rec.Contact, nil
	case rec.XeroID == "" || rec.ContentHash == "":
		return key, nil // never exported
	}
	candidates := []string{key}
	if o.CustomerID > 0 {
		candidates = append(candidates, mapping.CustomerKey(o.CustomerID))
	}
	candidates = append(candidates, mapping.GuestKey(o.Email), "OC-GO"+strconv.Itoa(o.ID))
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
		c, found, err := r.previous(history.KindContact, mapping.CustomerKey(o.CustomerID))
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
	key := mapping.ContactKey(o)
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
			if j.found && j.rec.XeroID != "" {
				j.doc.ContactID = j.rec.XeroID
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
		have, err := r.x().Contacts(r.bg, xero.ContactQuery{ContactNumbers: numbers})
		if err != nil {
			return nil, r.fatal(err)
		}
		byNumber := map[string]xero.Contact{}
		for _, c := range have {
			byNumber[strings.ToUpper(c.ContactNumber)] = c
		}
		for _, j := range lookup {
			if c, ok := byNumber[strings.ToUpper(j.key)]; ok {
				j.rec.State, j.rec.XeroID, j.rec.XeroNumber, j.rec.Error = history.StateExported, c.ContactID, c.ContactNumber, ""
				r.contactIDs[j.key] = c.ContactID
				if err := r.settle(j.rec, Outcome{Message: "found in Xero after an interrupted run"}); err != nil {
					return nil, r.fatal(err)
				}
				continue
			}
			send = append(send, j)
		}
	}
	for round := 0; len(send) > 0 && round < 3; round++ {
		retry, err := r.sendContacts(send, failed)
		if err != nil {
			return nil, err
		}
		if len(retry) > 0 {
			if err := r.linkOrRename(retry); err != nil {
				return nil, err
			}
		}
		send = retry
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
func (r *run) linkOrRename(jobs []*contactJob) error {
	parts := make([]string, len(jobs))
	for i, j := range jobs {
		parts[i] = "Name==" + xero.WhereQuote(j.doc.Name)
	}
	have, err := r.x().Contacts(r.bg, xero.ContactQuery{Where: strings.Join(parts, " OR ")})
	if err != nil {
		return r.fatal(err)
	}
	for _, j := range jobs {
		linked := false
		for _, c := range have {
			if strings.EqualFold(c.Name, j.doc.Name) && j.doc.EmailAddress != "" && strings.EqualFold(c.EmailAddress, j.doc.EmailAddress) &&
				(c.ContactNumber == "" || strings.EqualFold(c.ContactNumber, j.key)) {
				j.doc.ContactID, linked = c.ContactID, true
				j.problems = append(j.problems, mapping.Problem{Field: "contact", Severity: mapping.SeverityWarning,
					Message: "linked to the contact " + c.Name + " already in Xero with the same e-mail address"})
				break
			}
		}
		if !linked {
			r.names.Reserve(j.doc.Name, "xero")
		}
	}
	return nil
}

// sendContacts sends one batch of contacts and returns those to send again
// with a different name (Xero's names are unique among active contacts).
func (r *run) sendContacts(send []*contactJob, failed map[string]string) ([]*contactJob, error) {
	for _, j := range send {
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
	var retry []*contactJob
	err := sendBatch(r, "contacts", send, (*contactJob).toSend, r.x().UpdateContacts, func(j *contactJob, res xero.Result[xero.Contact]) error {
		switch {
		case res.Err == nil:
			j.rec.State, j.rec.XeroID, j.rec.XeroNumber, j.rec.Error = history.StateExported, res.Item.ContactID, res.Item.ContactNumber, ""
			r.contactIDs[j.key] = res.Item.ContactID
		case nameTaken(res.Err) && j.doc.ContactID == "":
			retry = append(retry, j) // see linkOrRename
			return nil
		default:
			j.rec.State, j.rec.Error = history.StateFailed, r.xeroReason(res.Err)
			failed[j.key] = j.rec.Error
		}
		return r.settleErr(j.rec, Outcome{Document: j.doc, Problems: problemTexts(j.problems)})
	})
	return retry, err
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
