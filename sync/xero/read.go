package xero

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Reading back many documents at once: the reconciliation reads a whole
// period's invoices, credit notes and payments, so it asks for the largest
// page Xero serves and, on a repeat run, only for what changed since
// [XERO.md §2 "where, paging and incremental reads"].

// MaxPageSize is the largest pageSize Xero serves on Invoices, CreditNotes
// and Payments (Xero's paging guide: 1 to 1000, 100 when left out).
const MaxPageSize = 1000

// ReadQuery selects documents to read back in full pages.
type ReadQuery struct {
	// Where is Xero's filter, e.g. `Type=="ACCREC" AND Date>=DateTime(2026,01,01)`.
	Where string
	// ModifiedSince, when set, asks only for records changed after it
	// (If-Modified-Since).
	ModifiedSince time.Time
}

// WhereDate is a Xero where literal for a calendar day: DateTime(2026,01,31).
func WhereDate(t time.Time) string {
	return "DateTime(" + t.Format("2006,01,02") + ")"
}

// eachPage reads every page of a list with pageSize MaxPageSize, one call
// per thousand records (plus one when the last page is exactly full), and
// hands each page to fn as it arrives; no page is kept.
func eachPage[T any](ctx context.Context, c *Client, path, key string, q ReadQuery, unitdp bool, fn func([]T) error) error {
	if err := mustTenant(c); err != nil {
		return err
	}
	what := "GET " + path
	for page := 1; ; page++ {
		v := url.Values{"page": {strconv.Itoa(page)}, "pageSize": {strconv.Itoa(MaxPageSize)}}
		if unitdp {
			v.Set("unitdp", "4")
		}
		if q.Where != "" {
			v.Set("where", q.Where)
		}
		body, err := c.do(ctx, request{method: http.MethodGet, url: c.ep.api + path, query: v, tenant: c.Tenant(), what: what, modifiedSince: q.ModifiedSince})
		if err != nil {
			return err
		}
		items, pg, err := decodeList[T](body, key, what)
		if err != nil {
			return err
		}
		if len(items) > 0 {
			if err := fn(items); err != nil {
				return err
			}
		}
		switch {
		case pg != nil && pg.PageCount > 0:
			if page >= pg.PageCount {
				return nil
			}
		case len(items) < MaxPageSize:
			return nil
		}
	}
}

// readPages reads every page of a list and keeps them all.
func readPages[T any](ctx context.Context, c *Client, path, key string, q ReadQuery, unitdp bool) ([]T, error) {
	var all []T
	err := eachPage(ctx, c, path, key, q, unitdp, func(items []T) error {
		all = append(all, items...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}

// ReadInvoices reads back every invoice the query selects, with its lines
// (unit prices to 4 decimals), a thousand a call.
func (c *Client) ReadInvoices(ctx context.Context, q ReadQuery) ([]Invoice, error) {
	return readPages[Invoice](ctx, c, "/Invoices", "Invoices", q, true)
}

// ReadInvoicePages reads back the invoices the query selects as
// ReadInvoices does, handing each page (up to MaxPageSize invoices, with
// their lines) to fn as it arrives instead of keeping them all; an error
// from fn stops the reading and is returned.
func (c *Client) ReadInvoicePages(ctx context.Context, q ReadQuery, fn func([]Invoice) error) error {
	return eachPage(ctx, c, "/Invoices", "Invoices", q, true, fn)
}

// ReadCreditNotes reads back every credit note the query selects, with its
// lines, a thousand a call.
func (c *Client) ReadCreditNotes(ctx context.Context, q ReadQuery) ([]CreditNote, error) {
	return readPages[CreditNote](ctx, c, "/CreditNotes", "CreditNotes", q, true)
}

// ReadCreditNotePages reads back the credit notes the query selects a page
// at a time, as ReadInvoicePages does.
func (c *Client) ReadCreditNotePages(ctx context.Context, q ReadQuery, fn func([]CreditNote) error) error {
	return eachPage(ctx, c, "/CreditNotes", "CreditNotes", q, true, fn)
}

// ReadPayments reads back every payment the query selects, a thousand a call.
func (c *Client) ReadPayments(ctx context.Context, q ReadQuery) ([]Payment, error) {
	return readPages[Payment](ctx, c, "/Payments", "Payments", q, false)
}

// DeletePayment reverses a payment: POST /Payments/{id} with the bare body
// {"Status":"DELETED"} (the spec's PaymentDelete) [XERO.md §3.4].
func (c *Client) DeletePayment(ctx context.Context, paymentID, idemKey string) (*Payment, error) {
	if err := mustTenant(c); err != nil {
		return nil, err
	}
	if idemKey == "" {
		idemKey = randomKey()
	}
	what := "POST /Payments/{id}"
	body, err := c.do(ctx, request{method: http.MethodPost, url: c.ep.api + "/Payments/" + url.PathEscape(paymentID),
		body: []byte(`{"Status":"DELETED"}`), idemKey: chunkKey(idemKey, 0, 1), tenant: c.Tenant(), what: what})
	if err != nil {
		return nil, err
	}
	got, _, err := decodeList[Payment](body, "Payments", what)
	if err != nil {
		return nil, err
	}
	if len(got) != 1 {
		return nil, &ValidationError{Index: -1, Messages: []string{errNoElement.Error()}}
	}
	if msgs := messages(got[0].ValidationErrors); len(msgs) > 0 {
		return nil, &ValidationError{Index: -1, Messages: msgs}
	}
	return &got[0], nil
}

// UpdateCreditNoteStatus sets one credit note's status, e.g. VOIDED or DELETED.
func (c *Client) UpdateCreditNoteStatus(ctx context.Context, creditNoteID, status, idemKey string) (*CreditNote, error) {
	if err := mustTenant(c); err != nil {
		return nil, err
	}
	res, err := sendBatch(ctx, c, batch{method: http.MethodPost, path: "/CreditNotes/" + url.PathEscape(creditNoteID), key: "CreditNotes", unitdp: true, idemKey: idemKey},
		[]CreditNote{{CreditNoteID: creditNoteID, Status: status}})
	if err != nil {
		return nil, err
	}
	if err := single(res[0].Err); err != nil {
		return nil, err
	}
	return &res[0].Item, nil
}
