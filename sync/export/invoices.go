package export

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// exportOrders walks the selected orders a page at a time and, per page,
// sends their invoices (with their contacts first), then payments, then
// credit notes, as the scope asks. Changed invoices wait until a full
// batch of them has gathered (see orderPage).
func (r *run) exportOrders() error {
	f := r.orderFilter()
	if r.nothingSelected(f) { // incremental.go
		return r.sendUpdates()
	}
	total, err := r.countOrders(f)
	if err != nil {
		return r.fatal(err)
	}
	stage := map[Scope]Stage{ScopeOrders: StageInvoices, ScopeAll: StageInvoices, ScopePayments: StagePayments, ScopeCreditNotes: StageCreditNotes}[r.req.Scope]
	r.startStage(stage, total)
	done := 0
	page := make([]opencart.Order, 0, r.e.cfg.BatchSize)
	flush := func() error {
		if len(page) == 0 {
			return nil
		}
		if err := r.orderPage(page); err != nil {
			return err
		}
		done += len(page)
		page = page[:0]
		r.stage = stage
		r.report(stage, done, total, nil)
		return r.cancelled()
	}
	for o, err := range r.selectedOrders(f) { // incremental.go: a page at a time, with its returns and customers
		if err != nil {
			return r.fatal(err)
		}
		page = append(page, o)
		r.sum.takeDate(o.DateAdded)
		if len(page) == r.e.cfg.BatchSize {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if err := r.sendUpdates(); err != nil {
		return err
	}
	r.reportSharedEmails()
	return nil
}

// orderPage exports one page of orders. An order whose invoice changed
// since it was exported joins r.updates instead, with its payment and
// credit notes (Xero refuses to change an invoice once a payment or credit
// note is on it): a full batch of updates is then one call, however
// thinly the changes are spread over the orders.
func (r *run) orderPage(orders []opencart.Order) error {
	all := r.req.Scope == ScopeAll
	if all || r.req.Scope == ScopeOrders {
		r.stage = StageInvoices
		if err := r.invoices(orders); err != nil {
			return err
		}
		waiting := map[int]bool{}
		for _, j := range r.updates {
			waiting[j.order.ID] = true
		}
		orders = slices.DeleteFunc(slices.Clone(orders), func(o opencart.Order) bool { return waiting[o.ID] })
		if len(r.updates) >= r.e.cfg.BatchSize {
			if err := r.sendUpdates(); err != nil {
				return err
			}
		}
	}
	return r.afterInvoices(orders)
}

// sendUpdates sends the changed invoices gathered so far, then their
// orders' payments and credit notes.
func (r *run) sendUpdates() error {
	if len(r.updates) == 0 {
		return nil
	}
	jobs := r.updates
	r.updates = nil
	r.stage = StageInvoices
	editable, err := r.editable(jobs) // xerostate.go
	if err != nil {
		return err
	}
	if err := r.sendInvoices(editable, true); err != nil {
		return err
	}
	orders := make([]opencart.Order, len(jobs))
	for i, j := range jobs {
		orders[i] = j.order
	}
	return r.afterInvoices(orders)
}

// afterInvoices sends the orders' payments and credit notes, as the scope asks.
func (r *run) afterInvoices(orders []opencart.Order) error {
	all := r.req.Scope == ScopeAll
	if all || r.req.Scope == ScopePayments {
		r.stage = StagePayments
		if err := r.payments(orders); err != nil {
			return err
		}
	}
	if all || r.req.Scope == ScopeCreditNotes {
		r.stage = StageCreditNotes
		if err := r.creditNotes(orders); err != nil {
			return err
		}
	}
	return nil
}

// invoiceJob is one order on its way to a Xero invoice.
type invoiceJob struct {
	order    opencart.Order
	doc      xero.Invoice
	problems []mapping.Problem
	hash     string
	rec      history.Record
	expected decimal.Decimal
	// heldBy is the status of a voided or deleted Xero invoice found
	// holding this order's invoice number.
	heldBy string
	// source fingerprints the order the invoice is made from.
	source string
	// contact is the ContactNumber of the contact the invoice goes to
	// (invoiceContactKey).
	contact string
}

// outcome is the job's report line.
func (j *invoiceJob) outcome(msg string) Outcome {
	return Outcome{Document: j.doc, Problems: problemTexts(j.problems), Message: msg}
}

// toSend is the invoice as sent and its record.
func (j *invoiceJob) toSend() (xero.Invoice, pending) {
	return j.doc, pending{rec: &j.rec, hash: j.hash, source: j.source}
}

// invoices maps the orders and sends the invoices that are new, changed,
// or were interrupted by a crash (after looking those up).
func (r *run) invoices(orders []opencart.Order) error {
	var create, update, lookup []*invoiceJob
	previous, err := r.records(history.KindInvoice, orderIDs(orders))
	if err != nil {
		return r.fatal(err)
	}
	for _, o := range orders {
		r.noteGuest(o)
		j := &invoiceJob{order: o, expected: mapping.ExpectedTotal(o)}
		j.doc, j.problems = mapping.Invoice(o, r.opt, r.books)
		var found bool
		j.rec, found = previous(history.OrderKey(o.ID))
		j.doc.InvoiceNumber = DocumentNumber(j.doc.InvoiceNumber, j.rec) // numbers.go
		j.problems = r.lockInvoice(&j.doc, j.rec, j.problems)            // lockdates.go
		var err error
		if j.contact, err = r.invoiceContactKey(o, j.rec, j.doc); err != nil {
			return err
		}
		j.doc.Contact = &xero.Contact{ContactNumber: j.contact}
		if j.hash, err = mapping.ContentHash(j.doc); err != nil {
			return r.fatal(err)
		}
		if found && j.rec.XeroID != "" && j.rec.Contact == "" && j.contact != r.opt.ContactKey(o) && !r.req.DryRun {
			// Exported before contacts were kept, and its customer is
			// deleted since: its contact is kept now, for its credit notes.
			j.rec.Contact = j.contact
			if _, err := r.hist().SaveRecord(r.bg, j.rec); err != nil {
				return r.fatal(err)
			}
		}
		j.rec.Currency = j.doc.CurrencyCode
		// The order's fingerprint is only needed when the invoice may be
		// sent or its settings changed: not for the usual unchanged one.
		unchanged := found && j.rec.State == history.StateExported && j.rec.ContentHash == j.hash && !cancelTouched(j.rec)
		if !unchanged {
			if j.source, err = mapping.OrderHash(o); err != nil {
				return r.fatal(err)
			}
		}
		wait := false
		if !unchanged {
			if wait, err = r.waits(j.rec, j.hash); err != nil { // xerostate.go
				return err
			}
		}
		switch {
		case r.req.OnlyFailed && found && j.rec.State != history.StateFailed && j.rec.State != history.StateSending:
		case found && cancelTouched(j.rec): // the order was cancelled or deleted before (withdrawals.go)
			if err := r.orderBack(j, &create, &update); err != nil {
				return err
			}
		case wait: // failed the same way WaitAfter runs in a row; nothing changed since
		case found && j.rec.State == history.StateExported && j.rec.ContentHash == j.hash:
			r.sum.Unchanged++
		case found && j.rec.State == history.StateExported && j.rec.SourceHash != "" && j.rec.SourceHash == j.source:
			// The order is as it was exported; only the settings changed
			// since. An exported invoice is not rewritten for that: the
			// settings apply to what is exported from now on.
			r.sum.Unchanged++
			r.sum.KeptAsExported++
		case mapping.HasErrors(j.problems):
			if err := r.failInvoice(j, blocking(j.problems)); err != nil {
				return err
			}
		case !r.currencyEnabled(j.doc.CurrencyCode):
			if err := r.failInvoice(j, fmt.Sprintf("not sent: the currency %s is not enabled in Xero (Settings → Currencies in Xero)", j.doc.CurrencyCode)); err != nil {
				return err
			}
		case found && j.rec.State == history.StateSending && !r.req.DryRun:
			lookup = append(lookup, j)
		case found && j.rec.XeroID != "" && (j.rec.State == history.StateExported || j.rec.State == history.StateChanged):
			update = append(update, j)
		default:
			create = append(create, j)
		}
	}
	if len(lookup) > 0 {
		missing, err := r.adoptInvoices(lookup, "found in Xero after an interrupted run")
		if err != nil {
			return err
		}
		create = append(create, missing...)
	}
	if len(create)+len(update) == 0 {
		return nil
	}
	if err := r.attachContacts(append(append([]*invoiceJob{}, create...), update...)); err != nil {
		return err
	}
	if err := r.sendInvoices(create, false); err != nil {
		return err
	}
	r.updates = append(r.updates, update...)
	return nil
}

func (r *run) failInvoice(j *invoiceJob, reason string) error {
	j.rec.State, j.rec.Error = history.StateFailed, reason
	j.rec.OpenCartTotal = money(j.expected)
	if err := r.settle(j.rec, j.outcome("")); err != nil {
		return r.fatal(err)
	}
	return nil
}

// attachContacts points each invoice at its contact's ContactID (creating
// contacts as needed); invoices whose contact failed fail with the reason.
func (r *run) attachContacts(jobs []*invoiceJob) error {
	wanted := make([]orderContact, len(jobs))
	for i, j := range jobs {
		wanted[i] = orderContact{order: j.order, key: j.contact}
	}
	ids, failed, err := r.contactsForOrders(wanted)
	if err != nil {
		return err
	}
	r.stage = StageInvoices
	for _, j := range jobs {
		key := j.contact
		switch {
		case failed[key] != "":
			j.problems = append(j.problems, mapping.Problem{Field: "contact", Severity: mapping.SeverityError,
				Message: "the customer could not be created in Xero: " + failed[key]})
		case ids[key] != "":
			j.doc.Contact = &xero.Contact{ContactID: ids[key]}
		case !r.req.DryRun:
			j.problems = append(j.problems, mapping.Problem{Field: "contact", Severity: mapping.SeverityError,
				Message: "the customer's contact is not in Xero yet (no answer from Xero); the invoice is sent on the next run"})
		}
	}
	return nil
}

// sendInvoices creates (or, with update, updates) invoices in one batch
// and records each answer.
func (r *run) sendInvoices(jobs []*invoiceJob, update bool) error {
	var send []*invoiceJob
	for _, j := range jobs {
		if mapping.HasErrors(j.problems) {
			if err := r.failInvoice(j, blocking(j.problems)); err != nil {
				return err
			}
			continue
		}
		if update {
			// Keep Xero's status (it may have been approved there) and
			// change the content only.
			j.doc.InvoiceID, j.doc.Status = j.rec.XeroID, ""
		}
		send = append(send, j)
	}
	if len(send) == 0 {
		return nil
	}
	if r.req.DryRun {
		return r.dryInvoices(send)
	}
	call := r.x().CreateInvoices
	if update {
		call = r.x().UpdateInvoices
	}
	var taken []*invoiceJob
	err := sendBatch(r, "invoices "+strconv.FormatBool(update), send, (*invoiceJob).toSend, call, func(j *invoiceJob, res xero.Result[xero.Invoice]) error {
		switch {
		case res.Err == nil:
			r.invoiceSaved(j, res.Item)
		case !update && numberTaken(res.Err):
			taken = append(taken, j)
			return nil
		case update:
			j.rec.State = history.StateChanged
			j.rec.Error = "changed in OpenCart after export, but Xero refused the update (" + r.xeroReason(res.Err) + "); change the invoice in Xero by hand"
		default:
			j.rec.State, j.rec.Error = history.StateFailed, r.xeroReason(res.Err)
			j.rec.OpenCartTotal = money(j.expected)
		}
		return r.settleErr(j.rec, j.outcome(""))
	})
	if err != nil {
		return err
	}
	if len(taken) > 0 {
		missing, err := r.adoptInvoices(taken, "an invoice with this number was already in Xero, on this customer's contact and naming this order; it is taken as this order's invoice")
		if err != nil {
			return err
		}
		for _, j := range missing {
			reason := "Xero says the invoice number " + j.doc.InvoiceNumber + " is taken, but finds no such invoice"
			if j.heldBy != "" {
				reason = "the invoice number " + j.doc.InvoiceNumber + " belongs to an invoice " + j.heldBy + " in Xero, and Xero never gives a number back: " +
					"rename that invoice in Xero (e.g. " + j.doc.InvoiceNumber + "-" + j.heldBy + ") and export again"
			}
			if err := r.failInvoice(j, reason); err != nil {
				return err
			}
		}
	}
	return nil
}

// invoiceSaved records an invoice Xero saved, with both totals.
func (r *run) invoiceSaved(j *invoiceJob, saved xero.Invoice) {
	j.rec.State, j.rec.Error = history.StateExported, ""
	j.rec.XeroID, j.rec.XeroNumber, j.rec.Contact = saved.InvoiceID, saved.InvoiceNumber, j.contact
	compareTotals(&j.rec, j.expected, saved.Total)
	if note := mismatchNote(j.rec); note != "" {
		j.rec.Error = note
	}
	r.knowInvoice(saved) // xerostate.go: what Xero holds on it now
}

// adoptInvoices looks the jobs' invoice numbers up in Xero, records the
// invoices found that are provably this order's (ownership.go) as this
// run's, fails the jobs whose number another's invoice holds, and returns
// the jobs not found.
func (r *run) adoptInvoices(jobs []*invoiceJob, note string) ([]*invoiceJob, error) {
	numbers := make([]string, len(jobs))
	for i, j := range jobs {
		numbers[i] = j.doc.InvoiceNumber
	}
	have, err := r.x().Invoices(r.bg, xero.InvoiceQuery{InvoiceNumbers: numbers})
	if err != nil {
		return nil, r.fatal(err)
	}
	byNumber, withdrawn := map[string]xero.Invoice{}, map[string]string{}
	for _, inv := range have {
		if inv.Status != xero.StatusDeleted && inv.Status != xero.StatusVoided {
			byNumber[strings.ToUpper(inv.InvoiceNumber)] = inv
		} else {
			withdrawn[strings.ToUpper(inv.InvoiceNumber)] = strings.ToLower(inv.Status)
		}
	}
	var missing []*invoiceJob
	for _, j := range jobs {
		inv, ok := byNumber[strings.ToUpper(j.doc.InvoiceNumber)]
		if !ok {
			j.heldBy = withdrawn[strings.ToUpper(j.doc.InvoiceNumber)]
			missing = append(missing, j)
			continue
		}
		ours := ""
		if j.doc.Contact != nil {
			ours = j.doc.Contact.ContactID
		}
		if ours == "" {
			if ours, err = r.contactOf(j.contact); err != nil {
				return nil, err
			}
		}
		if !documentIsOurs(inv.Contact, inv.Reference, ours, j.order.ID) {
			// Someone else's invoice under our number: never taken over.
			if err := r.failInvoice(j, documentClash("invoice", inv.InvoiceNumber, inv.Contact, inv.Reference, j.order.ID)); err != nil {
				return nil, err
			}
			continue
		}
		// The record keeps the content hash of what was sent then, so a
		// later change to the order shows on the next run.
		r.invoiceSaved(j, inv)
		if err := r.settle(j.rec, j.outcome(note)); err != nil {
			return nil, r.fatal(err)
		}
	}
	return missing, nil
}

// numberTaken recognises Xero's refusal of a document number in use.
func numberTaken(err error) bool {
	var ve *xero.ValidationError
	if !asValidation(err, &ve) {
		return false
	}
	for _, m := range ve.Messages {
		if strings.Contains(m, "must be unique") {
			return true
		}
	}
	return false
}

// dryInvoices records, for a dry run, what the invoices would be: sent as
// they are, their totals compared with OpenCart's.
func (r *run) dryInvoices(jobs []*invoiceJob) error {
	for _, j := range jobs {
		j.rec.State = history.StateExported
		compareTotals(&j.rec, j.expected, xero.NewAmount(mapping.XeroTotal(j.doc.LineItems)))
		if err := r.settle(j.rec, j.outcome(mismatchNote(j.rec))); err != nil {
			return r.fatal(err)
		}
	}
	return nil
}
