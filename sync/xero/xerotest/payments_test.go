package xerotest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

func (c *client) putPayment(p J) xerotest.Payment {
	c.t.Helper()
	return c.call("PUT", "/Payments?summarizeErrors=false", J{"Payments": []J{p}}).must(c.t, http.StatusOK).Env.Payments[0]
}

func (c *client) getInvoice(id string) xerotest.Invoice {
	c.t.Helper()
	return c.call("GET", "/Invoices/"+id, nil).must(c.t, http.StatusOK).Env.Invoices[0]
}

func TestPayments(t *testing.T) {
	_, c := start(t, xerotest.Options{})
	inv := c.putInvoice(invoice("OC-1", line("x", "1", "100", "OUTPUT2"))) // total 120.00
	draft := func() xerotest.Invoice {
		i := invoice("OC-2", line("x", "1", "10", "OUTPUT2"))
		i["Status"] = "DRAFT"
		return c.putInvoice(i)
	}()
	pay := func(id, code, amount string) J {
		return J{"Invoice": J{"InvoiceID": id}, "Account": J{"Code": code}, "Date": "2026-01-20", "Amount": num(amount), "Reference": "PayPal 1"}
	}
	for _, tc := range []struct {
		name string
		p    J
		want string
	}{
		{"more than the amount due", pay(inv.InvoiceID, "090", "120.01"), "Payment amount exceeds the amount outstanding on this document"},
		{"draft invoice", pay(draft.InvoiceID, "090", "1"), "Payments can only be made against Authorised documents"},
		{"not a bank account", pay(inv.InvoiceID, "200", "1"), "Account type is invalid for making a payment to/from"},
		{"unknown account", pay(inv.InvoiceID, "999", "1"), "Account could not be found"},
		{"unknown invoice", J{"Invoice": J{"InvoiceNumber": "NOPE"}, "Account": J{"Code": "090"}, "Amount": 1}, "Invoice could not be found."},
		{"zero amount", pay(inv.InvoiceID, "090", "0"), "Payment amount must be greater than zero."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := c.as(t).putPayment(tc.p)
			wantErrors(t, got.ValidationErrors, tc.want)
		})
	}
	t.Run("part, then the rest, then delete", func(t *testing.T) {
		cc := c.as(t)
		p1 := cc.putPayment(pay(inv.InvoiceID, "090", "20"))
		if p1.StatusAttributeString != "OK" || p1.PaymentType != "ACCRECPAYMENT" || p1.Status != "AUTHORISED" || p1.Invoice.InvoiceNumber != "OC-1" {
			t.Fatalf("%+v", p1)
		}
		if got := cc.getInvoice(inv.InvoiceID); got.Status != "AUTHORISED" || got.AmountDue.String() != "100" || got.AmountPaid.String() != "20" {
			t.Fatalf("after part payment: %s due %s paid %s", got.Status, got.AmountDue, got.AmountPaid)
		}
		void := cc.call("POST", "/Invoices/"+inv.InvoiceID+"?summarizeErrors=false", J{"Status": "VOIDED"}).must(t, 200).Env.Invoices[0]
		wantErrors(t, void.ValidationErrors, "This document cannot be edited as it has a payment or credit note allocated to it.")
		// 615 is not a bank account but accepts payments.
		p2 := cc.putPayment(J{"Invoice": J{"InvoiceNumber": "OC-1"}, "Account": J{"Code": "615"}, "Date": "2026-01-21", "Amount": num("100")})
		if p2.StatusAttributeString != "OK" {
			t.Fatalf("%q", errorsOf(p2.ValidationErrors))
		}
		got := cc.getInvoice(inv.InvoiceID)
		if got.Status != "PAID" || !got.AmountDue.IsZero() || got.FullyPaidOnDate == nil || len(got.Payments) != 2 {
			t.Fatalf("after full payment: %s due %s", got.Status, got.AmountDue)
		}
		edit := cc.call("POST", "/Invoices/"+inv.InvoiceID+"?summarizeErrors=false", J{"LineItems": []J{line("y", "1", "1", "OUTPUT2")}}).must(t, 200).Env.Invoices[0]
		wantErrors(t, edit.ValidationErrors, "This document cannot be edited as it has a payment or credit note allocated to it.")
		void = cc.call("POST", "/Invoices/"+inv.InvoiceID+"?summarizeErrors=false", J{"Status": "VOIDED"}).must(t, 200).Env.Invoices[0]
		wantErrors(t, void.ValidationErrors, "Invoice not of valid status for modification")
		del := cc.call("POST", "/Payments/"+p2.PaymentID, J{"Status": "DELETED"}).must(t, 200).Env.Payments[0]
		if del.Status != "DELETED" {
			t.Fatalf("%+v", del)
		}
		if got := cc.getInvoice(inv.InvoiceID); got.Status != "AUTHORISED" || got.AmountDue.String() != "100" {
			t.Fatalf("after deleting a payment: %s due %s", got.Status, got.AmountDue)
		}
		again := cc.call("POST", "/Payments/"+p2.PaymentID+"?summarizeErrors=false", J{"Status": "DELETED"}).must(t, 200).Env.Payments[0]
		wantErrors(t, again.ValidationErrors, "Payment not of valid status for modification")
		if r := cc.call("GET", "/Payments?where=Status%3D%3D%22AUTHORISED%22", nil).must(t, 200); len(r.Env.Payments) != 1 {
			t.Fatalf("authorised payments: %s", r.Body)
		}
	})
}

func TestCreditNotesAndAllocations(t *testing.T) {
	s, c := start(t, xerotest.Options{})
	inv := c.putInvoice(invoice("OC-10", line("x", "1", "50", "OUTPUT2"))) // 60.00
	cnReq := func(number, contact string, status string) J {
		return J{"Type": "ACCRECCREDIT", "CreditNoteNumber": number, "Contact": J{"Name": contact}, "Date": "2026-01-16",
			"Status": status, "LineAmountTypes": "Exclusive", "LineItems": []J{line("refund", "1", "10", "OUTPUT2")}} // 12.00
	}
	put := func(t *testing.T, cn J) xerotest.CreditNote {
		return c.as(t).call("PUT", "/CreditNotes?summarizeErrors=false", J{"CreditNotes": []J{cn}}).must(t, 200).Env.CreditNotes[0]
	}
	cn := put(t, cnReq("OC-CN-1", "Acme Ltd", "AUTHORISED"))
	if cn.StatusAttributeString != "OK" || cn.RemainingCredit.String() != "12" || cn.Total.String() != "12" {
		t.Fatalf("credit note: %+v %q", cn.RemainingCredit, errorsOf(cn.ValidationErrors))
	}
	t.Run("duplicate number", func(t *testing.T) {
		wantErrors(t, put(t, cnReq("OC-CN-1", "Acme Ltd", "AUTHORISED")).ValidationErrors, "Credit Note # must be unique.")
	})
	t.Run("no discounts on credit notes", func(t *testing.T) {
		x := cnReq("OC-CN-9", "Acme Ltd", "DRAFT")
		x["LineItems"] = []J{{"Description": "x", "Quantity": 1, "UnitAmount": 10, "DiscountRate": 10, "AccountCode": "200"}}
		wantErrors(t, put(t, x).ValidationErrors, "Discounts are not supported on credit notes.")
	})
	other := put(t, cnReq("OC-CN-2", "Other Buyer", "AUTHORISED"))
	draft := put(t, cnReq("OC-CN-3", "Acme Ltd", "DRAFT"))
	alloc := func(t *testing.T, cnID, amount string) xerotest.Allocation {
		r := c.as(t).call("PUT", "/CreditNotes/"+cnID+"/Allocations?summarizeErrors=false",
			J{"Allocations": []J{{"Invoice": J{"InvoiceID": inv.InvoiceID}, "Amount": num(amount), "Date": "2026-01-17"}}}).must(t, 200)
		return r.Env.Allocations[0]
	}
	for _, tc := range []struct {
		name, cnID, amount, want string
	}{
		{"more than the credit", cn.CreditNoteID, "12.01", "The amount allocated exceeds the remaining credit on the credit note."},
		{"other contact", other.CreditNoteID, "1", "The credit note and the invoice must be for the same contact."},
		{"draft credit note", draft.CreditNoteID, "1", "Only AUTHORISED credit notes can be allocated."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErrors(t, alloc(t, tc.cnID, tc.amount).ValidationErrors, tc.want)
		})
	}
	t.Run("allocate part, then all", func(t *testing.T) {
		a := alloc(t, cn.CreditNoteID, "5")
		if a.StatusAttributeString != "OK" || a.AllocationID == "" || a.Invoice.InvoiceID != inv.InvoiceID {
			t.Fatalf("%+v", a)
		}
		got := c.as(t).getInvoice(inv.InvoiceID)
		if got.AmountCredited.String() != "5" || got.AmountDue.String() != "55" || len(got.CreditNotes) != 1 {
			t.Fatalf("invoice after allocation: credited %s due %s", got.AmountCredited, got.AmountDue)
		}
		alloc(t, cn.CreditNoteID, "7")
		cns := s.CreditNotes(c.tenant)
		if cns[0].Status != "PAID" || !cns[0].RemainingCredit.IsZero() || len(cns[0].Allocations) != 2 {
			t.Fatalf("credit note after full allocation: %s remaining %s", cns[0].Status, cns[0].RemainingCredit)
		}
		// Removing an allocation re-opens both documents.
		c.as(t).call("DELETE", "/CreditNotes/"+cn.CreditNoteID+"/Allocations/"+a.AllocationID, nil).must(t, 200)
		if got := c.as(t).getInvoice(inv.InvoiceID); got.AmountDue.String() != "53" {
			t.Fatalf("after removing an allocation: due %s", got.AmountDue)
		}
		if cns := s.CreditNotes(c.tenant); cns[0].Status != "AUTHORISED" || cns[0].RemainingCredit.String() != "5" {
			t.Fatalf("credit note: %s remaining %s", cns[0].Status, cns[0].RemainingCredit)
		}
	})
	t.Run("more than the invoice's amount due", func(t *testing.T) {
		small := c.as(t).putInvoice(invoice("OC-11", line("x", "1", "1", "OUTPUT2"))) // 1.20
		r := c.as(t).call("PUT", "/CreditNotes/"+cn.CreditNoteID+"/Allocations?summarizeErrors=false",
			J{"Allocations": []J{{"Invoice": J{"InvoiceID": small.InvoiceID}, "Amount": 2, "Date": "2026-01-17"}}}).must(t, 200)
		wantErrors(t, r.Env.Allocations[0].ValidationErrors, "The amount allocated exceeds the amount due on the invoice.")
	})
}

func TestHistory(t *testing.T) {
	_, c := start(t, xerotest.Options{})
	inv := c.putInvoice(invoice("OC-H1", line("x", "1", "10", "OUTPUT2")))
	r := c.call("PUT", "/Invoices/"+inv.InvoiceID+"/History", J{"HistoryRecords": []J{{"Details": "Exported from OpenCart order #1"}}}).must(t, 200)
	if len(r.Env.HistoryRecords) != 1 || r.Env.HistoryRecords[0].Changes != "Note" {
		t.Fatalf("%s", r.Body)
	}
	r = c.call("GET", "/Invoices/OC-H1/History", nil).must(t, 200)
	if n := len(r.Env.HistoryRecords); n != 2 || r.Env.HistoryRecords[0].Changes != "Created" || r.Env.HistoryRecords[1].Details != "Exported from OpenCart order #1" {
		t.Fatalf("history: %s", r.Body)
	}
	long := make([]byte, 251)
	for i := range long {
		long[i] = 'x'
	}
	c.call("PUT", "/Invoices/"+inv.InvoiceID+"/History", J{"HistoryRecords": []J{{"Details": string(long)}}}).must(t, http.StatusBadRequest)
	c.call("GET", "/Invoices/0b0b0b0b-0000-4000-8000-000000000000/History", nil).must(t, http.StatusNotFound)
	contact := inv.Contact.ContactID
	if r := c.call("GET", "/Contacts/"+contact+"/History", nil).must(t, 200); len(r.Env.HistoryRecords) == 0 {
		t.Fatalf("contact history empty")
	}
}

func TestRefundAndForeignCurrency(t *testing.T) {
	s, c := start(t, xerotest.Options{})
	cn := c.call("PUT", "/CreditNotes?summarizeErrors=false", J{"CreditNotes": []J{{"Type": "ACCRECCREDIT", "Contact": J{"Name": "Acme Ltd"},
		"Status": "AUTHORISED", "CurrencyCode": "EUR", "LineItems": []J{line("refund", "1", "10", "OUTPUT2")}}}}).must(t, 200).Env.CreditNotes[0]
	if cn.CreditNoteNumber != "CN-0001" || cn.CurrencyRate.String() != "1.15" {
		t.Fatalf("number %q rate %s (want the sandbox's EUR day rate)", cn.CreditNoteNumber, cn.CurrencyRate)
	}
	p := c.putPayment(J{"CreditNote": J{"CreditNoteNumber": "CN-0001"}, "Account": J{"Code": "090"}, "Amount": 12, "Date": "2026-02-01"})
	if p.StatusAttributeString != "OK" || p.PaymentType != "ARCREDITPAYMENT" || p.CreditNote.CreditNoteID != cn.CreditNoteID || p.CurrencyRate.String() != "1.15" {
		t.Fatalf("refund: %+v %q", p, errorsOf(p.ValidationErrors))
	}
	if got := s.CreditNotes(c.tenant)[0]; got.Status != "PAID" || !got.RemainingCredit.IsZero() {
		t.Fatalf("credit note after refund: %s remaining %s", got.Status, got.RemainingCredit)
	}
	if ps := s.Payments(c.tenant); len(ps) != 1 || ps[0].Amount.String() != "12" {
		t.Fatalf("Payments(): %+v", ps)
	}
	t.Run("If-Modified-Since", func(t *testing.T) {
		cc := c.as(t)
		since := time.Now().UTC().Add(time.Hour).Format(http.TimeFormat)
		if r := cc.call("GET", "/CreditNotes", nil, "If-Modified-Since", since).must(t, 200); len(r.Env.CreditNotes) != 0 {
			t.Fatalf("modified in the future: %d", len(r.Env.CreditNotes))
		}
		past := time.Now().UTC().Add(-time.Hour).Format(http.TimeFormat)
		if r := cc.call("GET", "/Payments", nil, "If-Modified-Since", past).must(t, 200); len(r.Env.Payments) != 1 {
			t.Fatalf("payments since an hour ago: %d", len(r.Env.Payments))
		}
	})
}
