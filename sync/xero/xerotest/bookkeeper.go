package xerotest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/shopspring/decimal"
)

// A Bookkeeper changes a tenant's books the way a person working in Xero
// would: voids, deletes, edits totals and contacts, records payments and
// types in invoices of their own. Every change goes through the sandbox's
// HTTP API with the same rules an app meets (a paid invoice cannot be
// edited, an approved one cannot be deleted), so tests of the
// reconciliation and of undo see exactly what Xero would show them.
type Bookkeeper struct {
	s      *Server
	tenant string
	token  string
}

// bookkeeperClientID is the app the bookkeeper's changes are made with.
const bookkeeperClientID = "xero-web-bookkeeper"

// Bookkeeper signs a person in to tenantID's books.
func (s *Server) Bookkeeper(tenantID string) (*Bookkeeper, error) {
	tok, err := s.Connect(bookkeeperClientID, "offline_access accounting.contacts accounting.invoices accounting.payments accounting.settings.read", tenantID)
	if err != nil {
		return nil, fmt.Errorf("xerotest: bookkeeper: %w", err)
	}
	return &Bookkeeper{s: s, tenant: tenantID, token: tok.AccessToken}, nil
}

// call makes one Accounting API call and decodes the list under key into out.
func (b *Bookkeeper) call(method, path string, query url.Values, body any, key string, out any) error {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(raw)
	}
	u := b.s.URL + apiPrefix + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+b.token)
	req.Header.Set("Xero-Tenant-Id", b.tenant)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("xerotest: bookkeeper: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("xerotest: bookkeeper: %s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	var env map[string]json.RawMessage
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("xerotest: bookkeeper: %s %s: %w", method, path, err)
	}
	if err := json.Unmarshal(env[key], out); err != nil {
		return fmt.Errorf("xerotest: bookkeeper: %s %s: %w", method, path, err)
	}
	return nil
}

// refused turns an element's validation errors into an error.
func refused(what string, errs []ValidationError) error {
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Message
	}
	return fmt.Errorf("xerotest: bookkeeper: Xero refused to %s: %v", what, msgs)
}

// Invoice reads one invoice by its number (or id), with its lines.
func (b *Bookkeeper) Invoice(number string) (Invoice, error) {
	var got []Invoice
	if err := b.call(http.MethodGet, "/Invoices/"+url.PathEscape(number), url.Values{"unitdp": {"4"}}, nil, "Invoices", &got); err != nil {
		return Invoice{}, err
	}
	if len(got) != 1 {
		return Invoice{}, fmt.Errorf("xerotest: bookkeeper: invoice %s: %d found", number, len(got))
	}
	return got[0], nil
}

// saveInvoice posts changes to one invoice and returns it as saved.
func (b *Bookkeeper) saveInvoice(what, number string, change map[string]any) (Invoice, error) {
	inv, err := b.Invoice(number)
	if err != nil {
		return Invoice{}, err
	}
	var got []Invoice
	if err := b.call(http.MethodPost, "/Invoices/"+inv.InvoiceID, url.Values{"unitdp": {"4"}}, map[string]any{"Invoices": []any{change}}, "Invoices", &got); err != nil {
		return Invoice{}, err
	}
	if len(got) != 1 {
		return Invoice{}, fmt.Errorf("xerotest: bookkeeper: %s %s: no answer", what, number)
	}
	return got[0], refused(what+" "+number, got[0].ValidationErrors)
}

// VoidInvoice voids an approved invoice without payments.
func (b *Bookkeeper) VoidInvoice(number string) error {
	_, err := b.saveInvoice("void", number, map[string]any{"Status": "VOIDED"})
	return err
}

// DeleteInvoice deletes a draft or submitted invoice.
func (b *Bookkeeper) DeleteInvoice(number string) error {
	_, err := b.saveInvoice("delete", number, map[string]any{"Status": "DELETED"})
	return err
}

// AddToTotal edits an invoice's first line so that its total grows by
// delta (tax excluded): what a person does who corrects a price in Xero.
func (b *Bookkeeper) AddToTotal(number string, delta decimal.Decimal) (Invoice, error) {
	inv, err := b.Invoice(number)
	if err != nil {
		return Invoice{}, err
	}
	lines := make([]map[string]any, len(inv.LineItems))
	for i, ln := range inv.LineItems {
		m := map[string]any{"LineItemID": ln.LineItemID, "Description": ln.Description, "Quantity": dec(ln.Quantity),
			"UnitAmount": dec(ln.UnitAmount), "AccountCode": ln.AccountCode, "TaxType": ln.TaxType}
		if i == 0 {
			q := dec(ln.Quantity)
			if q.IsZero() {
				q = one
			}
			m["Quantity"], m["UnitAmount"] = one, round(q.Mul(dec(ln.UnitAmount)).Add(delta), 4)
		} else {
			m["TaxAmount"] = dec(ln.TaxAmount)
		}
		lines[i] = m
	}
	return b.saveInvoice("edit", number, map[string]any{"LineItems": lines})
}

// SetContact moves an invoice to another contact, created by name when
// there is none.
func (b *Bookkeeper) SetContact(number, contactName string) error {
	_, err := b.saveInvoice("change the contact of", number, map[string]any{"Contact": map[string]any{"Name": contactName}})
	return err
}

// AddPayment records a payment of amount on an invoice into the bank
// account with the given code, on date.
func (b *Bookkeeper) AddPayment(number string, amount decimal.Decimal, accountCode string, date time.Time) (Payment, error) {
	inv, err := b.Invoice(number)
	if err != nil {
		return Payment{}, err
	}
	p := map[string]any{"Invoice": map[string]any{"InvoiceID": inv.InvoiceID}, "Account": map[string]any{"Code": accountCode},
		"Amount": amount, "Date": date.Format("2006-01-02")}
	var got []Payment
	if err := b.call(http.MethodPut, "/Payments", nil, map[string]any{"Payments": []any{p}}, "Payments", &got); err != nil {
		return Payment{}, err
	}
	if len(got) != 1 {
		return Payment{}, fmt.Errorf("xerotest: bookkeeper: payment on %s: no answer", number)
	}
	return got[0], refused("record a payment on "+number, got[0].ValidationErrors)
}

// AddInvoice types in an approved sales invoice of one line (amount, tax
// type NONE on account code) to a contact named contactName.
func (b *Bookkeeper) AddInvoice(number, contactName, currency string, amount decimal.Decimal, accountCode string, date time.Time) (Invoice, error) {
	inv := map[string]any{"Type": "ACCREC", "InvoiceNumber": number, "Contact": map[string]any{"Name": contactName},
		"Date": date.Format("2006-01-02"), "DueDate": date.Format("2006-01-02"), "Status": "AUTHORISED", "CurrencyCode": currency,
		"LineItems": []any{map[string]any{"Description": "Typed in Xero", "Quantity": 1, "UnitAmount": amount, "AccountCode": accountCode, "TaxType": "NONE"}}}
	var got []Invoice
	if err := b.call(http.MethodPut, "/Invoices", url.Values{"unitdp": {"4"}}, map[string]any{"Invoices": []any{inv}}, "Invoices", &got); err != nil {
		return Invoice{}, err
	}
	if len(got) != 1 {
		return Invoice{}, fmt.Errorf("xerotest: bookkeeper: invoice %s: no answer", number)
	}
	return got[0], refused("create invoice "+number, got[0].ValidationErrors)
}

// RemovePayments deletes every payment on an invoice, as a person does
// who un-reconciles and removes them in Xero.
func (b *Bookkeeper) RemovePayments(number string) error {
	inv, err := b.Invoice(number)
	if err != nil {
		return err
	}
	for _, p := range inv.Payments {
		var got []Payment
		if err := b.call(http.MethodPost, "/Payments/"+p.PaymentID, nil, map[string]any{"Status": "DELETED"}, "Payments", &got); err != nil {
			return err
		}
		if len(got) == 1 {
			if err := refused("remove a payment on "+number, got[0].ValidationErrors); err != nil {
				return err
			}
		}
	}
	return nil
}

// CreditNote reads one credit note by its number (or id).
func (b *Bookkeeper) CreditNote(number string) (CreditNote, error) {
	var got []CreditNote
	if err := b.call(http.MethodGet, "/CreditNotes/"+url.PathEscape(number), url.Values{"unitdp": {"4"}}, nil, "CreditNotes", &got); err != nil {
		return CreditNote{}, err
	}
	if len(got) != 1 {
		return CreditNote{}, fmt.Errorf("xerotest: bookkeeper: credit note %s: %d found", number, len(got))
	}
	return got[0], nil
}

// Allocate applies amount of a credit note to an invoice (each by number
// or id) on date, as a person does who allocates credit in Xero.
func (b *Bookkeeper) Allocate(creditNote, invoice string, amount decimal.Decimal, date time.Time) error {
	cn, err := b.CreditNote(creditNote)
	if err != nil {
		return err
	}
	inv, err := b.Invoice(invoice)
	if err != nil {
		return err
	}
	a := map[string]any{"Invoice": map[string]any{"InvoiceID": inv.InvoiceID}, "Amount": amount, "Date": date.Format("2006-01-02")}
	var got []Allocation
	if err := b.call(http.MethodPut, "/CreditNotes/"+cn.CreditNoteID+"/Allocations", nil, map[string]any{"Allocations": []any{a}}, "Allocations", &got); err != nil {
		return err
	}
	if len(got) != 1 {
		return fmt.Errorf("xerotest: bookkeeper: allocation of %s: no answer", creditNote)
	}
	return refused("allocate "+creditNote+" to "+invoice, got[0].ValidationErrors)
}
