package xerotest

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Payments, credit-note allocations and history [XERO.md §3.3, §3.4, §9].

var paymentTypes = map[string]string{"ACCREC": "ACCRECPAYMENT", "ACCPAY": "ACCPAYPAYMENT", "ACCRECCREDIT": "ARCREDITPAYMENT", "ACCPAYCREDIT": "APCREDITPAYMENT"}

func (s *Server) getPayments(r *req, id string) {
	s.mu.Lock()
	o := r.o
	var picked []int
	if id != "" {
		picked = o.paymentsByID(id)
	} else {
		var narrowed bool
		if picked, narrowed = whereCandidates(r.q.Get("where"), o.paymentsWhere); !narrowed {
			picked = everything(len(o.data.Payments))
		}
	}
	all := make([]Payment, len(picked))
	for i, p := range picked {
		all[i] = o.data.Payments[p]
	}
	all = clone(all)
	s.mu.Unlock()
	if id != "" {
		hit := filterByID(all, id, func(p Payment) string { return p.PaymentID })
		if len(hit) == 0 {
			writeProblem(r.w, http.StatusNotFound, "NotFound", "The resource you're looking for cannot be found")
			return
		}
		s.envelope(r.w, "Payments", hit, nil)
		return
	}
	since := modifiedSince(r)
	var out []Payment
	for _, p := range all {
		if since.IsZero() || p.UpdatedDateUTC == nil || p.UpdatedDateUTC.After(since) {
			out = append(out, p)
		}
	}
	out, ok := applyWhere(r, out)
	if !ok {
		return
	}
	out, pg, _ := paginate(out, r.q)
	if out == nil {
		out = []Payment{}
	}
	s.envelope(r.w, "Payments", out, pg)
}

// writePayments creates payments (PUT or POST /Payments) or deletes one
// (POST /Payments/{id} with {"Status":"DELETED"}, or an element carrying
// PaymentID and Status DELETED).
func (s *Server) writePayments(r *req, pathID string) {
	ins, _, ok := decodeAll[Payment](r, "Payments")
	if !ok {
		return
	}
	if !s.pathTarget(r, pathID, len(ins), func(o *org) bool {
		return len(o.paymentsByID(pathID)) > 0
	}) {
		return
	}
	if pathID != "" {
		ins[0].PaymentID = pathID
	}
	s.mu.Lock()
	results := make([]element, len(ins))
	for i, in := range ins {
		if in.PaymentID != "" {
			results[i] = s.deletePayment(r.o, in)
		} else {
			results[i] = s.createPayment(r.o, in)
		}
	}
	s.mu.Unlock()
	s.saveState()
	s.batchResult(r, "Payments", results)
}

func failedPayment(in Payment, errs []string) *Payment {
	in.PaymentID = zeroID
	in.HasValidationErrors, in.StatusAttributeString, in.ValidationErrors = true, "ERROR", messages(errs)
	return &in
}

// paymentTarget finds the invoice or credit note a payment or allocation names; s.mu is held.
func (o *org) paymentTarget(inv *Invoice, cn *CreditNote) (document, string) {
	switch {
	case inv != nil:
		ref := inv.InvoiceID
		if ref == "" {
			ref = inv.InvoiceNumber
		}
		if x, _ := invoiceKind.find(o, ref, inv.InvoiceID == ""); x != nil && ref != "" {
			return x, ""
		}
		return nil, "Invoice could not be found."
	case cn != nil:
		ref := cn.CreditNoteID
		if ref == "" {
			ref = cn.CreditNoteNumber
		}
		if x, _ := creditNoteKind.find(o, ref, cn.CreditNoteID == ""); x != nil && ref != "" {
			return x, ""
		}
		return nil, "Credit Note could not be found."
	}
	return nil, "A payment must name an Invoice or a CreditNote."
}

// docRef is the short form of a document inside a payment or allocation.
func (o *org) docRef(x document) (*Invoice, *CreditNote) {
	f := x.doc()
	short := Document{Type: f.Type, Contact: f.Contact, CurrencyCode: f.CurrencyCode, Status: f.Status}
	if f.Contact != nil {
		if i := o.contactIndex(f.Contact.ContactID); i >= 0 {
			short.Contact = slimContact(o.data.Contacts[i])
		}
	}
	switch d := x.(type) {
	case *Invoice:
		return &Invoice{InvoiceID: d.InvoiceID, InvoiceNumber: d.InvoiceNumber, Document: short}, nil
	case *CreditNote:
		return nil, &CreditNote{CreditNoteID: d.CreditNoteID, CreditNoteNumber: d.CreditNoteNumber, Document: short}
	}
	return nil, nil
}

// createPayment checks and applies one payment; s.mu is held.
func (s *Server) createPayment(o *org, in Payment) *Payment {
	now := s.now()
	target, msg := o.paymentTarget(in.Invoice, in.CreditNote)
	var errs []string
	if msg != "" {
		errs = append(errs, msg)
	}
	var acct *Account
	if in.Account != nil && (in.Account.AccountID != "" || in.Account.Code != "") {
		acct = o.account(func(a *Account) bool {
			return (in.Account.AccountID != "" && strings.EqualFold(a.AccountID, in.Account.AccountID)) || (in.Account.AccountID == "" && strings.EqualFold(a.Code, in.Account.Code))
		})
	}
	switch {
	case acct == nil:
		errs = append(errs, "Account could not be found")
	case acct.Type != "BANK" && !acct.EnablePaymentsToAccount:
		errs = append(errs, "Account type is invalid for making a payment to/from")
	}
	amount := decimal.Zero
	if in.Amount != nil {
		amount = round(in.Amount.Decimal, 2)
	}
	if !amount.IsPositive() {
		errs = append(errs, "Payment amount must be greater than zero.")
	}
	errs = maxLen(errs, "Reference", in.Reference, 255)
	if target != nil {
		switch {
		case target.doc().Status != "AUTHORISED":
			errs = append(errs, "Payments can only be made against Authorised documents")
		case amount.GreaterThan(dec(remaining(target))):
			errs = append(errs, "Payment amount exceeds the amount outstanding on this document")
		}
	}
	if in.Date == nil {
		y, m, d := now.UTC().Date()
		in.Date = dateOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
	}
	errs = append(errs, o.lockErrors(in.Date)...) // lockdates.go
	if len(errs) > 0 {
		return failedPayment(in, errs)
	}
	f := target.doc()
	rate := in.CurrencyRate
	if f.CurrencyCode == o.BaseCurrency || rate == nil || !rate.IsPositive() {
		rate = f.CurrencyRate
	}
	p := Payment{PaymentID: newID(), Date: in.Date, Amount: amt(amount), CurrencyRate: rate, Reference: in.Reference,
		IsReconciled: in.IsReconciled, Status: "AUTHORISED", PaymentType: paymentTypes[f.Type],
		Account: &AccountRef{AccountID: acct.AccountID, Code: acct.Code}, UpdatedDateUTC: dateOf(now)}
	if in.BankAmount != nil {
		p.BankAmount = amt(round(in.BankAmount.Decimal, 2))
	} else {
		p.BankAmount = amt(amount)
	}
	p.Invoice, p.CreditNote = o.docRef(target)
	f.Payments = append(f.Payments, Payment{PaymentID: p.PaymentID, Date: p.Date, Amount: p.Amount, CurrencyRate: p.CurrencyRate, Reference: p.Reference})
	o.computeTotals(target)
	settleStatus(target, p.Date)
	f.UpdatedDateUTC = dateOf(now)
	o.addPayment(p)
	o.addHistory(docKey(target)+*target.id(), now, "Payment", "Payment received of "+amount.StringFixed(2)+".")
	o.addHistory("Payments/"+p.PaymentID, now, "Created", "Payment of "+amount.StringFixed(2)+" created.")
	res := clone(p)
	res.StatusAttributeString = "OK"
	return &res
}

func docKey(x document) string {
	if _, ok := x.(*CreditNote); ok {
		return "CreditNotes/"
	}
	return "Invoices/"
}

// deletePayment reverses a payment (Status DELETED); s.mu is held.
func (s *Server) deletePayment(o *org, in Payment) *Payment {
	now := s.now()
	i := -1 // the last payment with this ID
	if same := o.paymentsByID(in.PaymentID); len(same) > 0 {
		i = same[len(same)-1]
	}
	switch {
	case i < 0:
		return failedPayment(in, []string{"Payment could not be found."})
	case !strings.EqualFold(in.Status, "DELETED"):
		return failedPayment(in, []string{"Only the Status of a payment can be changed, to DELETED."})
	case o.data.Payments[i].Status == "DELETED":
		return failedPayment(in, []string{"Payment not of valid status for modification"})
	case o.data.Payments[i].IsReconciled:
		// Xero keeps a payment matched to a bank statement line until it is
		// unreconciled in Xero (wording UNVERIFIED).
		return failedPayment(in, []string{"This payment has been reconciled and cannot be deleted. Unreconcile it first."})
	}
	p := &o.data.Payments[i]
	p.Status, p.UpdatedDateUTC = "DELETED", dateOf(now)
	target, _ := o.paymentTarget(p.Invoice, p.CreditNote)
	if target != nil {
		f := target.doc()
		for j, tp := range f.Payments {
			if tp.PaymentID == p.PaymentID {
				f.Payments = append(f.Payments[:j:j], f.Payments[j+1:]...)
				break
			}
		}
		o.computeTotals(target)
		settleStatus(target, nil)
		f.UpdatedDateUTC = dateOf(now)
		o.addHistory(docKey(target)+*target.id(), now, "Payment", "Payment of "+dec(p.Amount).StringFixed(2)+" deleted.")
	}
	o.addHistory("Payments/"+p.PaymentID, now, "Deleted", "Payment deleted.")
	res := clone(*p)
	res.StatusAttributeString = "OK"
	return &res
}

// SetPaymentReconciled marks a payment as reconciled with a bank
// statement line (or not any more), as the bookkeeper does in Xero; Xero
// refuses to delete a reconciled payment.
func (s *Server) SetPaymentReconciled(tenantID, paymentID string, reconciled bool) error {
	found := false
	err := s.change(tenantID, func(d *OrgData) {
		for i := range d.Payments {
			if strings.EqualFold(d.Payments[i].PaymentID, paymentID) {
				d.Payments[i].IsReconciled, found = reconciled, true
			}
		}
	})
	if err == nil && !found {
		err = fmt.Errorf("xerotest: no payment %s", paymentID)
	}
	return err
}

// Payments returns a copy of a tenant's payments.
func (s *Server) Payments(tenantID string) []Payment {
	return snapshot(s, tenantID, func(d *OrgData) []Payment { return d.Payments })
}

// putAllocations applies credit to invoices: PUT /CreditNotes/{id}/Allocations.
func (s *Server) putAllocations(r *req, cnID string) {
	ins, _, ok := decodeAll[Allocation](r, "Allocations")
	if !ok {
		return
	}
	s.mu.Lock()
	x, _ := creditNoteKind.find(r.o, cnID, true)
	if x == nil {
		s.mu.Unlock()
		writeProblem(r.w, http.StatusNotFound, "NotFound", "The resource you're looking for cannot be found")
		return
	}
	cn := x.(*CreditNote)
	results := make([]element, len(ins))
	for i, in := range ins {
		results[i] = s.allocate(r.o, cn, in)
	}
	s.mu.Unlock()
	s.saveState()
	s.batchResult(r, "Allocations", results)
}

// allocate checks and applies one allocation; s.mu is held. The rules are
// ordinary accounting (same contact, same currency, not more than the
// remaining credit nor the amount due); Xero's wording is UNVERIFIED.
func (s *Server) allocate(o *org, cn *CreditNote, in Allocation) *Allocation {
	now := s.now()
	var errs []string
	var inv *Invoice
	if in.Invoice == nil {
		errs = append(errs, "An Invoice must be specified.")
	} else if x, msg := o.paymentTarget(in.Invoice, nil); msg != "" {
		errs = append(errs, msg)
	} else {
		inv = x.(*Invoice)
	}
	amount := decimal.Zero
	if in.Amount != nil {
		amount = round(in.Amount.Decimal, 2)
	}
	if !amount.IsPositive() {
		errs = append(errs, "The amount allocated must be greater than zero.")
	}
	if in.Date == nil {
		errs = append(errs, "The allocation Date must be specified.")
	}
	if cn.Status != "AUTHORISED" {
		errs = append(errs, "Only AUTHORISED credit notes can be allocated.")
	}
	if inv != nil {
		switch {
		case inv.Status != "AUTHORISED":
			errs = append(errs, "Credit can only be allocated to AUTHORISED invoices.")
		case (cn.Type == "ACCRECCREDIT") != (inv.Type == "ACCREC"):
			errs = append(errs, "A sales credit note can only be allocated to a sales invoice (and a purchase one to a bill).")
		case cn.Contact == nil || inv.Contact == nil || !strings.EqualFold(cn.Contact.ContactID, inv.Contact.ContactID):
			errs = append(errs, "The credit note and the invoice must be for the same contact.")
		case cn.CurrencyCode != inv.CurrencyCode:
			errs = append(errs, "The credit note and the invoice must be in the same currency.")
		case amount.GreaterThan(dec(inv.AmountDue)):
			errs = append(errs, "The amount allocated exceeds the amount due on the invoice.")
		}
	}
	if amount.GreaterThan(dec(cn.RemainingCredit)) {
		errs = append(errs, "The amount allocated exceeds the remaining credit on the credit note.")
	}
	if len(errs) > 0 {
		in.StatusAttributeString, in.ValidationErrors = "ERROR", messages(errs)
		return &in
	}
	a := Allocation{AllocationID: newID(), Amount: amt(amount), Date: in.Date}
	a.Invoice, _ = o.docRef(inv)
	cn.Allocations = append(cn.Allocations, a)
	inv.CreditNotes = append(inv.CreditNotes, CreditNote{CreditNoteID: cn.CreditNoteID, CreditNoteNumber: cn.CreditNoteNumber,
		AppliedAmount: amt(amount), Document: Document{Date: in.Date, Total: cn.Total}})
	for _, x := range []document{cn, inv} {
		o.computeTotals(x)
		settleStatus(x, in.Date)
		x.doc().UpdatedDateUTC = dateOf(now)
	}
	o.addHistory("CreditNotes/"+cn.CreditNoteID, now, "Credit Applied", amount.StringFixed(2)+" allocated to "+inv.InvoiceNumber+".")
	o.addHistory("Invoices/"+inv.InvoiceID, now, "Credit Applied", amount.StringFixed(2)+" credited from "+cn.CreditNoteNumber+".")
	res := clone(a)
	_, res.CreditNote = o.docRef(cn)
	res.StatusAttributeString = "OK"
	return &res
}

// deleteAllocation removes an allocation: DELETE /CreditNotes/{id}/Allocations/{AllocationID}.
func (s *Server) deleteAllocation(r *req, cnID, allocID string) {
	s.mu.Lock()
	now := s.now()
	var res *Allocation
	if x, _ := creditNoteKind.find(r.o, cnID, true); x != nil {
		cn := x.(*CreditNote)
		for i, a := range cn.Allocations {
			if !strings.EqualFold(a.AllocationID, allocID) {
				continue
			}
			cn.Allocations = append(cn.Allocations[:i:i], cn.Allocations[i+1:]...)
			touched := []document{cn}
			if y, _ := r.o.paymentTarget(a.Invoice, nil); y != nil {
				inv := y.(*Invoice)
				for j, c := range inv.CreditNotes {
					if c.CreditNoteID == cn.CreditNoteID && dec(c.AppliedAmount).Equal(dec(a.Amount)) {
						inv.CreditNotes = append(inv.CreditNotes[:j:j], inv.CreditNotes[j+1:]...)
						break
					}
				}
				touched = append(touched, inv)
			}
			for _, t := range touched {
				r.o.computeTotals(t)
				settleStatus(t, nil)
				t.doc().UpdatedDateUTC = dateOf(now)
			}
			a.IsDeleted = true
			res = &a
			break
		}
	}
	s.mu.Unlock()
	if res == nil {
		writeProblem(r.w, http.StatusNotFound, "NotFound", "The resource you're looking for cannot be found")
		return
	}
	s.saveState()
	s.envelope(r.w, "Allocations", []Allocation{*res}, nil)
}

// history answers GET and PUT/POST /{Invoices|CreditNotes|Contacts|Payments}/{id}/History.
func (s *Server) history(r *req, resource, id string) {
	s.mu.Lock()
	d := r.o.data
	realID := ""
	switch resource {
	case "Invoices", "CreditNotes":
		if x, _ := kindOf(resource).find(r.o, id, true); x != nil {
			realID = *x.id()
		}
	case "Contacts":
		if i := r.o.contactIndex(id); i >= 0 {
			realID = d.Contacts[i].ContactID
		}
	case "Payments":
		if p := r.o.paymentsByID(id); len(p) > 0 {
			realID = d.Payments[p[0]].PaymentID
		}
	}
	s.mu.Unlock()
	if realID == "" {
		writeProblem(r.w, http.StatusNotFound, "NotFound", "The resource you're looking for cannot be found")
		return
	}
	key := resource + "/" + realID
	if r.r.Method == http.MethodGet {
		s.mu.Lock()
		recs := clone(d.History[key])
		s.mu.Unlock()
		if recs == nil {
			recs = []HistoryRecord{}
		}
		s.envelope(r.w, "HistoryRecords", recs, nil)
		return
	}
	ins, _, ok := decodeAll[HistoryRecord](r, "HistoryRecords")
	if !ok {
		return
	}
	var bad []map[string]any
	for _, h := range ins {
		var errs []string
		if strings.TrimSpace(h.Details) == "" {
			errs = append(errs, "The Details of a history note must be specified.")
		}
		if errs = maxLen(errs, "Details", h.Details, 250); len(errs) > 0 {
			bad = append(bad, map[string]any{"Details": h.Details, "ValidationErrors": messages(errs)})
		}
	}
	if len(bad) > 0 {
		writeJSON(r.w, http.StatusBadRequest, map[string]any{"ErrorNumber": 10, "Type": "ValidationException", "Message": "A validation exception occurred", "Elements": bad})
		return
	}
	now := s.now()
	s.mu.Lock()
	var out []HistoryRecord
	for _, h := range ins {
		rec := HistoryRecord{Changes: "Note", DateUTC: dateOf(now), User: ProviderName, Details: h.Details}
		d.History[key] = append(d.History[key], rec)
		out = append(out, rec)
	}
	s.mu.Unlock()
	s.saveState()
	s.envelope(r.w, "HistoryRecords", out, nil)
}
