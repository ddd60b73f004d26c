package export

// Subscription renewals without an order of their own (OpenCart 3.0's
// order_recurring_transaction; 4.0.0–4.0.1's subscription_transaction),
// a phase after the orders: each renewal payment becomes an invoice of its
// own (mapping.RenewalInvoice, numbered mapping.RenewalNumber) on its first
// order's contact, and its payment. What is not exported is never silent:
// a payment that failed or was skipped is recorded as skipped with what
// happened, and a row that cannot be exported safely is recorded and
// counted in Summary.RenewalsNotExported. 4.0.2+ renewals are orders and
// go with the orders.

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// StageRenewals is the renewal phase of a run.
const StageRenewals Stage = "renewals"

// RenewalsNotExported is the run's line about renewals it did not export:
// "not exported: subscription renewals (2, total 30.00 GBP)", or "" when
// there are none.
func (s Summary) RenewalsNotExportedLine() string {
	if s.RenewalsNotExported == 0 {
		return ""
	}
	return fmt.Sprintf("not exported: subscription renewals (%d, total %s)", s.RenewalsNotExported, opencart.TotalsText(s.RenewalsNotExportedTotals))
}

// exportRenewals is the renewal phase.
func (r *run) exportRenewals() error {
	if !r.store().HasRenewalTables() {
		return nil
	}
	invoices := r.req.Scope == ScopeAll || r.req.Scope == ScopeOrders
	payments := r.req.Scope == ScopeAll || r.req.Scope == ScopePayments
	if !invoices && !payments {
		return nil
	}
	rows, err := r.store().Renewals(r.ctx, opencart.RenewalFilter{OrderIDs: r.req.IDs, Since: r.req.Since, Until: r.req.Until})
	if err != nil {
		return r.fatal(err)
	}
	r.startStage(StageRenewals, len(rows))
	orders, err := r.renewalOrders(rows)
	if err != nil {
		return err
	}
	var paid []opencart.Renewal
	for _, rn := range rows {
		key := history.RenewalKey(rn.Table == opencart.TableSubscriptionTransaction, rn.ID)
		switch rn.Kind() {
		case opencart.RenewalEvent:
			continue // the profile's life: no money moved
		case opencart.RenewalPaid:
			paid = append(paid, rn)
			continue
		case opencart.RenewalNotPaid:
			if !invoices {
				continue
			}
			rec, found, err := r.previous(history.KindInvoice, key)
			if err != nil {
				return r.fatal(err)
			}
			rec.Currency, rec.OpenCartTotal = rn.CurrencyCode, money(rn.Amount)
			if err := r.skip(rec, found, fmt.Sprintf("not exported: the renewal of order %d was not paid (%s, %s); nothing was received",
				rn.OrderID, rn.TypeName(), rn.DateAdded.Format("2006-01-02"))); err != nil {
				return err
			}
			continue
		}
		// Unknown types, non-positive payments, 4.0.0–4.0.1 transactions.
		r.renewalNotExported(rn)
		if !invoices {
			continue
		}
		rec, found, err := r.previous(history.KindInvoice, key)
		if err != nil {
			return r.fatal(err)
		}
		rec.Currency, rec.OpenCartTotal = rn.CurrencyCode, money(rn.Amount)
		if err := r.skip(rec, found, notExportedReason(rn)); err != nil {
			return err
		}
	}
	for start := 0; start < len(paid); start += r.e.cfg.BatchSize {
		page := paid[start:min(start+r.e.cfg.BatchSize, len(paid))]
		if invoices {
			if err := r.renewalInvoices(page, orders); err != nil {
				return err
			}
		}
		if payments {
			if err := r.renewalPayments(page, orders); err != nil {
				return err
			}
		}
		r.report(StageRenewals, start+len(page), len(rows), nil)
		if err := r.cancelled(); err != nil {
			return err
		}
	}
	return nil
}

// renewalNotExported counts a renewal the run does not export.
func (r *run) renewalNotExported(rn opencart.Renewal) {
	r.sum.RenewalsNotExported++
	if r.sum.RenewalsNotExportedTotals == nil {
		r.sum.RenewalsNotExportedTotals = map[string]string{}
	}
	c := rn.CurrencyCode
	if c == "" {
		c = "?"
	}
	sum, _ := decimal.NewFromString(r.sum.RenewalsNotExportedTotals[c])
	r.sum.RenewalsNotExportedTotals[c] = sum.Add(rn.Amount).StringFixed(2)
}

// notExportedReason says why a renewal row is not exported.
func notExportedReason(rn opencart.Renewal) string {
	when := rn.DateAdded.Format("2006-01-02")
	if rn.Table == opencart.TableSubscriptionTransaction {
		return fmt.Sprintf("not exported: subscription renewal of order %d (%s %s on %s): OpenCart 4.0.0–4.0.1 records the plan's price before tax in the shop's currency, not what was charged; enter it in Xero by hand",
			rn.OrderID, rn.Amount.StringFixed(2), rn.CurrencyCode, when)
	}
	return fmt.Sprintf("not exported: subscription renewal of order %d (%s, amount %s on %s) is not a payment OpenCart defines (a refund or reversal written by a payment extension?); enter it in Xero by hand",
		rn.OrderID, rn.TypeName(), rn.Amount.StringFixed(2), when)
}

// renewalOrders reads the first orders of the paid renewals, whatever
// their status.
func (r *run) renewalOrders(rows []opencart.Renewal) (map[int]opencart.Order, error) {
	seen := map[int]bool{}
	var ids []int
	for _, rn := range rows {
		if rn.Kind() == opencart.RenewalPaid && rn.OrderID > 0 && !seen[rn.OrderID] {
			seen[rn.OrderID] = true
			ids = append(ids, rn.OrderID)
		}
	}
	out := map[int]opencart.Order{}
	for start := 0; start < len(ids); start += 1000 {
		for o, err := range r.store().Orders(r.ctx, opencart.OrderFilter{IDs: ids[start:min(start+1000, len(ids))]}) {
			if err != nil {
				return nil, r.fatal(err)
			}
			out[o.ID] = o
		}
	}
	return out, nil
}

// renewalKey is a paid renewal's history key.
func renewalKey(rn opencart.Renewal) string {
	return history.RenewalKey(rn.Table == opencart.TableSubscriptionTransaction, rn.ID)
}

// renewalContact is the Xero contact of the first order's invoice, or why
// the renewal has to wait for it.
func (r *run) renewalContact(o opencart.Order) (contactKey, contactID, wait string, err error) {
	inv, found, err := r.previous(history.KindInvoice, history.OrderKey(o.ID))
	if err != nil {
		return "", "", "", r.fatal(err)
	}
	contactKey = inv.Contact
	if contactKey == "" {
		contactKey = r.opt.ContactKey(o)
	}
	if r.req.DryRun {
		return contactKey, "", "", nil
	}
	if !found || inv.State != history.StateExported || inv.XeroID == "" {
		state := "never exported"
		if found {
			state = inv.State
			if inv.Error != "" {
				state += ": " + inv.Error
			}
		}
		return "", "", fmt.Sprintf("skipped: the invoice of order %d is not in Xero (%s); its renewals follow it", o.ID, state), nil
	}
	c, found, err := r.previous(history.KindContact, contactKey)
	if err != nil {
		return "", "", "", r.fatal(err)
	}
	if !found || c.XeroID == "" {
		return "", "", fmt.Sprintf("skipped: the contact %s of order %d is not in Xero yet; its renewals follow it", contactKey, o.ID), nil
	}
	return contactKey, c.XeroID, "", nil
}

// renewalInvoices sends the invoices of a page of paid renewals.
func (r *run) renewalInvoices(page []opencart.Renewal, orders map[int]opencart.Order) error {
	r.stage = StageRenewals
	var send, lookup []*invoiceJob
	for _, rn := range page {
		key := renewalKey(rn)
		rec, found, err := r.previous(history.KindInvoice, key)
		if err != nil {
			return r.fatal(err)
		}
		if found && rec.State == history.StateExported {
			r.sum.Unchanged++ // a payment received does not change
			continue
		}
		if r.req.OnlyFailed && found && rec.State != history.StateFailed && rec.State != history.StateSending {
			continue
		}
		rec.Currency, rec.OpenCartTotal = strings.ToUpper(rn.CurrencyCode), money(rn.Amount)
		o, ok := orders[rn.OrderID]
		if !ok {
			r.renewalNotExported(rn)
			if err := r.skip(rec, found, fmt.Sprintf("not exported: subscription renewal %s of order %d (%s on %s): the order is not in OpenCart (deleted, or a missing order)",
				rn.Amount.StringFixed(2), rn.OrderID, rn.TypeName(), rn.DateAdded.Format("2006-01-02"))); err != nil {
				return err
			}
			continue
		}
		contactKey, contactID, wait, err := r.renewalContact(o)
		if err != nil {
			return err
		}
		if wait != "" {
			if err := r.skip(rec, found, wait); err != nil {
				return err
			}
			continue
		}
		j := &invoiceJob{order: o, rec: rec, expected: mapping.RenewalAmount(o, rn), contact: contactKey}
		j.doc, j.problems = mapping.RenewalInvoice(o, rn, r.opt)
		if contactID != "" {
			j.doc.Contact = &xero.Contact{ContactID: contactID}
		}
		j.rec.Currency = j.doc.CurrencyCode
		if j.hash, err = mapping.ContentHash(j.doc); err != nil {
			return r.fatal(err)
		}
		switch {
		case mapping.HasErrors(j.problems):
			if err := r.failInvoice(j, blocking(j.problems)); err != nil {
				return err
			}
		case !r.currencyEnabled(j.doc.CurrencyCode):
			if err := r.failInvoice(j, fmt.Sprintf("not sent: the currency %s is not enabled in Xero (Settings → Currencies in Xero)", j.doc.CurrencyCode)); err != nil {
				return err
			}
		case found && rec.State == history.StateSending && !r.req.DryRun:
			lookup = append(lookup, j)
		default:
			send = append(send, j)
		}
	}
	if len(lookup) > 0 {
		missing, err := r.adoptRenewals(lookup)
		if err != nil {
			return err
		}
		send = append(send, missing...)
	}
	if len(send) == 0 {
		return nil
	}
	if r.req.DryRun {
		return r.dryInvoices(send)
	}
	return sendBatch(r, "renewal invoices", send, (*invoiceJob).toSend, r.x().CreateInvoices, func(j *invoiceJob, res xero.Result[xero.Invoice]) error {
		switch {
		case res.Err == nil:
			r.invoiceSaved(j, res.Item)
		case numberTaken(res.Err):
			j.rec.State, j.rec.Error = history.StateFailed, "the invoice number "+j.doc.InvoiceNumber+" is already used by another invoice in Xero (entered by hand?); rename that one in Xero and export again"
			j.rec.OpenCartTotal = money(j.expected)
		default:
			j.rec.State, j.rec.Error = history.StateFailed, r.xeroReason(res.Err)
			j.rec.OpenCartTotal = money(j.expected)
		}
		return r.settleErr(j.rec, j.outcome(""))
	})
}

// adoptRenewals looks up renewal invoices a crash left "sending" by their
// number and records those Xero has; it returns the others.
func (r *run) adoptRenewals(jobs []*invoiceJob) ([]*invoiceJob, error) {
	numbers := make([]string, len(jobs))
	for i, j := range jobs {
		numbers[i] = j.doc.InvoiceNumber
	}
	have, err := r.x().Invoices(r.bg, xero.InvoiceQuery{InvoiceNumbers: numbers})
	if err != nil {
		return nil, r.fatal(err)
	}
	byNumber := map[string]xero.Invoice{}
	for _, inv := range have {
		if inv.Status != xero.StatusDeleted && inv.Status != xero.StatusVoided {
			byNumber[strings.ToUpper(inv.InvoiceNumber)] = inv
		}
	}
	var missing []*invoiceJob
	for _, j := range jobs {
		inv, ok := byNumber[strings.ToUpper(j.doc.InvoiceNumber)]
		if !ok {
			missing = append(missing, j)
			continue
		}
		r.invoiceSaved(j, inv)
		if err := r.settle(j.rec, j.outcome("found in Xero after an interrupted run")); err != nil {
			return nil, r.fatal(err)
		}
	}
	return missing, nil
}

// renewalPayments pays the renewal invoices of a page that are in Xero.
func (r *run) renewalPayments(page []opencart.Renewal, orders map[int]opencart.Order) error {
	r.stage = StageRenewals
	var send, lookup []*paymentJob
	for _, rn := range page {
		key := renewalKey(rn)
		o, ok := orders[rn.OrderID]
		if !ok {
			continue // recorded with its invoice
		}
		rec, found, err := r.previous(history.KindPayment, key)
		if err != nil {
			return r.fatal(err)
		}
		if found && rec.State == history.StateExported {
			continue // a payment is made once
		}
		if r.req.OnlyFailed && found && rec.State != history.StateFailed && rec.State != history.StateSending {
			continue
		}
		rec.Currency, rec.OpenCartTotal = strings.ToUpper(o.CurrencyCode), money(mapping.RenewalAmount(o, rn))
		pay, skipped, ps := mapping.RenewalPayment(o, rn, r.opt)
		if pay == nil {
			if err := r.skip(rec, found, skipped); err != nil {
				return err
			}
			continue
		}
		inv, invFound, err := r.previous(history.KindInvoice, key)
		if err != nil {
			return r.fatal(err)
		}
		j := &paymentJob{order: o, doc: *pay, problems: ps, rec: rec}
		if j.hash, err = mapping.ContentHash(j.doc); err != nil {
			return r.fatal(err)
		}
		switch {
		case mapping.HasErrors(ps):
			j.rec.State, j.rec.Error = history.StateFailed, blocking(ps)
			if err := r.settle(j.rec, Outcome{Document: j.doc, Problems: problemTexts(ps)}); err != nil {
				return r.fatal(err)
			}
		case !r.req.DryRun && (!invFound || inv.XeroID == "" || inv.State != history.StateExported):
			if err := r.skip(rec, found, "skipped: the renewal's invoice is not in Xero yet; the payment follows it"); err != nil {
				return err
			}
		case found && rec.State == history.StateSending && !r.req.DryRun:
			j.doc.Invoice = &xero.InvoiceRef{InvoiceID: inv.XeroID}
			lookup = append(lookup, j)
		default:
			if inv.XeroID != "" {
				j.doc.Invoice = &xero.InvoiceRef{InvoiceID: inv.XeroID}
			}
			send = append(send, j)
		}
	}
	return r.payInvoices(lookup, send) // payments.go: Xero is read before money
}
