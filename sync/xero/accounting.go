package xero

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Xero's request limits.
const (
	// MaxBatch is the most records sent in one request (Xero's advice).
	MaxBatch = 50
	// MaxRequestBytes is the size a request body stays under (Xero: 3.5 MB).
	MaxRequestBytes = 3_500_000
	// maxKeyLen is Xero's limit on Idempotency-Key.
	maxKeyLen = 128
	// pageSize is how many records Xero returns per page by default.
	pageSize = 100
	// maxFilterValues is how many ids or numbers go in one GET.
	maxFilterValues = 40
	// maxHistoryDetails is Xero's limit on a history note.
	maxHistoryDetails = 250
)

// Result is Xero's answer for one record of a batch, in the order given.
type Result[T any] struct {
	// Index is the record's position in the list given.
	Index int
	// Item is the record as Xero saved it (with its new id), or as Xero
	// returned it with the errors.
	Item T
	// Warnings are Xero's remarks that did not stop the record.
	Warnings []string
	// Err is nil when Xero saved the record; a *ValidationError when Xero
	// refused it; another error when the request carrying it failed.
	Err error
}

type batchElement interface{ elementStatus() ElementStatus }

// batch describes one batched write.
type batch struct {
	method string // PUT creates, POST creates or updates
	path   string // e.g. "/Invoices"
	key    string // the list's name in the body, e.g. "Invoices"
	unitdp bool
	// idemKey is the caller's Idempotency-Key for the whole list.
	idemKey string
}

// sendBatch sends items in requests of at most MaxBatch records and under
// MaxRequestBytes, with summarizeErrors=false, and returns one Result per
// item in the same order. A request that fails as a whole marks its records
// with that error; an error that will not go away by itself (sign-in, day
// limit, cancel) also marks the records after it and is returned.
func sendBatch[T batchElement](ctx context.Context, c *Client, b batch, items []T) ([]Result[T], error) {
	results := make([]Result[T], len(items))
	raws := make([][]byte, len(items))
	for i, it := range items {
		results[i] = Result[T]{Index: i, Item: it}
		raw, err := json.Marshal(it)
		if err != nil {
			return nil, fmt.Errorf("xero: record %d cannot be written as JSON: %w", i+1, err)
		}
		raws[i] = raw
	}
	chunks := splitBatch(raws, len(b.key))
	q := url.Values{"summarizeErrors": {"false"}}
	if b.unitdp {
		q.Set("unitdp", "4")
	}
	what := b.method + " " + b.path
	keyBase := b.idemKey
	if keyBase == "" {
		keyBase = randomKey()
	}
	for n, ch := range chunks {
		if ch.tooBig {
			results[ch.from].Err = &ValidationError{Index: ch.from, Messages: []string{fmt.Sprintf(
				"the record is too large to send to Xero (%.1f MB; Xero accepts up to 3.5 MB per request)", float64(len(raws[ch.from]))/1e6)}}
			continue
		}
		body, err := c.do(ctx, request{
			method: b.method, url: c.ep.api + b.path, query: q, body: envelope(b.key, raws[ch.from:ch.to]),
			idemKey: chunkKey(keyBase, n, len(chunks)), tenant: c.Tenant(), what: what,
		})
		if err == nil {
			var got []T
			if got, _, err = decodeList[T](body, b.key, what); err == nil {
				fillResults(results, ch.from, ch.to, got)
				continue
			}
		}
		for i := ch.from; i < ch.to; i++ {
			results[i].Err = err
		}
		if !isRecordError(err) {
			for i := ch.to; i < len(items); i++ {
				results[i].Err = err
			}
			return results, err
		}
	}
	return results, nil
}

// fillResults puts Xero's per-record answers in place.
func fillResults[T batchElement](results []Result[T], from, to int, got []T) {
	for i := from; i < to; i++ {
		k := i - from
		if k >= len(got) {
			results[i].Err = &ValidationError{Index: i, Messages: []string{errNoElement.Error()}}
			continue
		}
		results[i].Item = got[k]
		st := got[k].elementStatus()
		results[i].Warnings = messages(st.Warnings)
		if msgs := messages(st.ValidationErrors); len(msgs) > 0 || strings.EqualFold(st.StatusAttributeString, "ERROR") {
			if len(msgs) == 0 {
				msgs = []string{"Xero marked the record as failed without a reason"}
			}
			results[i].Err = &ValidationError{Index: i, Messages: msgs}
		}
	}
}

// isRecordError reports whether err concerns only the records sent (so the
// next request may still succeed).
func isRecordError(err error) bool {
	switch err.(type) {
	case *ValidationError, *RequestError:
		return true
	}
	return false
}

type chunk struct {
	from, to int
	tooBig   bool
}

// splitBatch cuts records into requests of at most MaxBatch records and
// MaxRequestBytes bytes, keeping order; a record too large alone is its own
// chunk marked tooBig.
func splitBatch(raws [][]byte, keyLen int) []chunk {
	overhead := keyLen + len(`{"":[]}`)
	var out []chunk
	from, size := 0, overhead
	for i, raw := range raws {
		add := len(raw)
		if i > from {
			add++ // comma
		}
		if i > from && (i-from >= MaxBatch || size+add > MaxRequestBytes) {
			out = append(out, chunk{from: from, to: i})
			from, size, add = i, overhead, len(raw)
		}
		if overhead+len(raw) > MaxRequestBytes {
			if i > from {
				out = append(out, chunk{from: from, to: i})
			}
			out = append(out, chunk{from: i, to: i + 1, tooBig: true})
			from, size = i+1, overhead
			continue
		}
		size += add
	}
	if from < len(raws) {
		out = append(out, chunk{from: from, to: len(raws)})
	}
	return out
}

func envelope(key string, raws [][]byte) []byte {
	n := len(key) + 8
	for _, r := range raws {
		n += len(r) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, `{"`...)
	b = append(b, key...)
	b = append(b, `":[`...)
	for i, r := range raws {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, r...)
	}
	return append(b, "]}"...)
}

// chunkKey derives request n's Idempotency-Key from the caller's key, the
// same on every retry, within Xero's 128 characters.
func chunkKey(base string, n, total int) string {
	k := base
	if total > 1 {
		k = base + "-" + strconv.Itoa(n+1)
	}
	if len(k) > maxKeyLen {
		sum := sha256.Sum256([]byte(k))
		k = hex.EncodeToString(sum[:])
	}
	return k
}

func randomKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// IdempotencyKey builds a key from parts (e.g. record kind, id and content
// hash) that fits Xero's limit.
func IdempotencyKey(parts ...string) string { return chunkKey(strings.Join(parts, ":"), 0, 1) }

// get fetches path and reads the list under key.
func getList[T any](ctx context.Context, c *Client, path, key string, q url.Values) ([]T, *Pagination, error) {
	tenant := c.Tenant()
	if tenant == "" {
		return nil, nil, ErrNoTenant
	}
	what := "GET " + path
	body, err := c.do(ctx, request{method: http.MethodGet, url: c.ep.api + path, query: q, tenant: tenant, what: what})
	if err != nil {
		return nil, nil, err
	}
	return decodeList[T](body, key, what)
}

// getPages fetches every page of a list, stopping at the last page (or
// when a page repeats records, for servers that ignore paging).
func getPages[T any](ctx context.Context, c *Client, path, key string, q url.Values, idOf func(T) string) ([]T, error) {
	var all []T
	seen := map[string]bool{}
	for page := 1; ; page++ {
		pq := url.Values{}
		for k, v := range q {
			pq[k] = v
		}
		pq.Set("page", strconv.Itoa(page))
		items, pg, err := getList[T](ctx, c, path, key, pq)
		if err != nil {
			return nil, err
		}
		fresh := 0
		for _, it := range items {
			if id := idOf(it); id == "" || !seen[id] {
				seen[id] = true
				all = append(all, it)
				fresh++
			}
		}
		switch {
		case pg != nil && pg.PageCount > 0:
			if page >= pg.PageCount {
				return all, nil
			}
		case len(items) < pageSize || fresh == 0:
			return all, nil
		}
	}
}

func mustTenant(c *Client) error {
	if c.Tenant() == "" {
		return ErrNoTenant
	}
	return nil
}

// Organisation reads the organisation's details (base currency, country…).
func (c *Client) Organisation(ctx context.Context) (*Organisation, error) {
	orgs, _, err := getList[Organisation](ctx, c, "/Organisation", "Organisations", nil)
	if err != nil {
		return nil, err
	}
	if len(orgs) == 0 {
		return nil, &NotFoundError{What: "GET /Organisation"}
	}
	return &orgs[0], nil
}

// TaxRates lists the organisation's tax rates.
func (c *Client) TaxRates(ctx context.Context) ([]TaxRate, error) {
	l, _, err := getList[TaxRate](ctx, c, "/TaxRates", "TaxRates", nil)
	return l, err
}

// Accounts lists the chart of accounts.
func (c *Client) Accounts(ctx context.Context) ([]Account, error) {
	l, _, err := getList[Account](ctx, c, "/Accounts", "Accounts", nil)
	return l, err
}

// Currencies lists the currencies the organisation has enabled.
func (c *Client) Currencies(ctx context.Context) ([]Currency, error) {
	l, _, err := getList[Currency](ctx, c, "/Currencies", "Currencies", nil)
	return l, err
}

// BrandingThemes lists the organisation's invoice layouts.
func (c *Client) BrandingThemes(ctx context.Context) ([]BrandingTheme, error) {
	l, _, err := getList[BrandingTheme](ctx, c, "/BrandingThemes", "BrandingThemes", nil)
	return l, err
}

// WhereQuote makes s a quoted string for a Xero where filter.
func WhereQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// whereAny builds `field=="a" OR field=="b"`, joined with an extra filter.
func whereAny(field string, values []string, extra string) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = field + "==" + WhereQuote(v)
	}
	w := strings.Join(parts, " OR ")
	if extra != "" {
		w = "(" + extra + ") AND (" + w + ")"
	}
	return w
}

// inGroups calls fn for values in groups of at most maxFilterValues; with
// no values it calls fn(nil) once.
func inGroups(values []string, fn func([]string) error) error {
	if len(values) == 0 {
		return fn(nil)
	}
	for i := 0; i < len(values); i += maxFilterValues {
		if err := fn(values[i:min(i+maxFilterValues, len(values))]); err != nil {
			return err
		}
	}
	return nil
}

// ContactQuery selects contacts; set one of IDs, ContactNumbers or Where
// (Where combines with ContactNumbers).
type ContactQuery struct {
	IDs             []string
	ContactNumbers  []string
	Where           string
	IncludeArchived bool
}

// Contacts finds contacts.
func (c *Client) Contacts(ctx context.Context, q ContactQuery) ([]Contact, error) {
	if err := mustTenant(c); err != nil {
		return nil, err
	}
	base := url.Values{}
	if q.IncludeArchived {
		base.Set("includeArchived", "true")
	}
	var out []Contact
	get := func(v url.Values) error {
		l, err := getPages(ctx, c, "/Contacts", "Contacts", v, func(x Contact) string { return x.ContactID })
		out = append(out, l...)
		return err
	}
	var err error
	switch {
	case len(q.IDs) > 0:
		err = inGroups(q.IDs, func(ids []string) error {
			v := cloneValues(base)
			v.Set("IDs", strings.Join(ids, ","))
			if q.Where != "" {
				v.Set("where", q.Where)
			}
			return get(v)
		})
	case len(q.ContactNumbers) > 0:
		err = inGroups(q.ContactNumbers, func(nums []string) error {
			v := cloneValues(base)
			v.Set("where", whereAny("ContactNumber", nums, q.Where))
			return get(v)
		})
	default:
		v := cloneValues(base)
		if q.Where != "" {
			v.Set("where", q.Where)
		}
		err = get(v)
	}
	return out, err
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// write is sendBatch after checking that an organisation is chosen.
func write[T batchElement](ctx context.Context, c *Client, items []T, b batch) ([]Result[T], error) {
	if err := mustTenant(c); err != nil {
		return nil, err
	}
	return sendBatch(ctx, c, b, items)
}

// CreateContacts creates contacts (PUT); idemKey is reused on retries.
func (c *Client) CreateContacts(ctx context.Context, contacts []Contact, idemKey string) ([]Result[Contact], error) {
	return write(ctx, c, contacts, batch{method: http.MethodPut, path: "/Contacts", key: "Contacts", idemKey: idemKey})
}

// UpdateContacts updates the contacts given with their ContactID (POST;
// ones without are created).
func (c *Client) UpdateContacts(ctx context.Context, contacts []Contact, idemKey string) ([]Result[Contact], error) {
	return write(ctx, c, contacts, batch{method: http.MethodPost, path: "/Contacts", key: "Contacts", idemKey: idemKey})
}

// InvoiceQuery selects invoices; IDs, InvoiceNumbers, Statuses and Where
// combine.
type InvoiceQuery struct {
	IDs            []string
	InvoiceNumbers []string
	Statuses       []string
	Where          string
}

// Invoices finds invoices, with their lines, unit prices to 4 decimals.
func (c *Client) Invoices(ctx context.Context, q InvoiceQuery) ([]Invoice, error) {
	if err := mustTenant(c); err != nil {
		return nil, err
	}
	base := url.Values{"unitdp": {"4"}}
	if q.Where != "" {
		base.Set("where", q.Where)
	}
	if len(q.Statuses) > 0 {
		base.Set("Statuses", strings.Join(q.Statuses, ","))
	}
	var out []Invoice
	get := func(v url.Values) error {
		l, err := getPages(ctx, c, "/Invoices", "Invoices", v, func(x Invoice) string { return x.InvoiceID })
		out = append(out, l...)
		return err
	}
	err := inGroups(q.IDs, func(ids []string) error {
		return inGroups(q.InvoiceNumbers, func(nums []string) error {
			v := cloneValues(base)
			if len(ids) > 0 {
				v.Set("IDs", strings.Join(ids, ","))
			}
			if len(nums) > 0 {
				v.Set("InvoiceNumbers", strings.Join(nums, ","))
			}
			return get(v)
		})
	})
	return out, err
}

// CreateInvoices creates invoices (PUT, unit prices to 4 decimals).
func (c *Client) CreateInvoices(ctx context.Context, invoices []Invoice, idemKey string) ([]Result[Invoice], error) {
	return write(ctx, c, invoices, batch{method: http.MethodPut, path: "/Invoices", key: "Invoices", unitdp: true, idemKey: idemKey})
}

// UpdateInvoices updates the invoices given with InvoiceID (POST).
func (c *Client) UpdateInvoices(ctx context.Context, invoices []Invoice, idemKey string) ([]Result[Invoice], error) {
	return write(ctx, c, invoices, batch{method: http.MethodPost, path: "/Invoices", key: "Invoices", unitdp: true, idemKey: idemKey})
}

// UpdateInvoiceStatus sets one invoice's status, e.g. AUTHORISED or VOIDED.
func (c *Client) UpdateInvoiceStatus(ctx context.Context, invoiceID, status, idemKey string) (*Invoice, error) {
	if err := mustTenant(c); err != nil {
		return nil, err
	}
	res, err := sendBatch(ctx, c, batch{method: http.MethodPost, path: "/Invoices/" + url.PathEscape(invoiceID), key: "Invoices", unitdp: true, idemKey: idemKey},
		[]Invoice{{InvoiceID: invoiceID, Status: status}})
	if err != nil {
		return nil, err
	}
	if err := single(res[0].Err); err != nil {
		return nil, err
	}
	return &res[0].Item, nil
}

// single presents a one-record batch error as about "this" record.
func single(err error) error {
	if ve, ok := err.(*ValidationError); ok {
		return &ValidationError{Index: -1, Messages: ve.Messages}
	}
	return err
}

// CreditNoteQuery selects credit notes; Numbers and IDs combine with Where.
type CreditNoteQuery struct {
	IDs     []string
	Numbers []string
	Where   string
}

// CreditNotes finds credit notes, unit prices to 4 decimals.
func (c *Client) CreditNotes(ctx context.Context, q CreditNoteQuery) ([]CreditNote, error) {
	if err := mustTenant(c); err != nil {
		return nil, err
	}
	var out []CreditNote
	get := func(where string) error {
		v := url.Values{"unitdp": {"4"}}
		if where != "" {
			v.Set("where", where)
		}
		l, err := getPages(ctx, c, "/CreditNotes", "CreditNotes", v, func(x CreditNote) string { return x.CreditNoteID })
		out = append(out, l...)
		return err
	}
	if len(q.IDs) == 0 && len(q.Numbers) == 0 {
		return out, get(q.Where)
	}
	err := inGroups(q.Numbers, func(nums []string) error {
		if len(nums) == 0 {
			return nil
		}
		return get(whereAny("CreditNoteNumber", nums, q.Where))
	})
	if err == nil {
		err = inGroups(q.IDs, func(ids []string) error {
			if len(ids) == 0 {
				return nil
			}
			parts := make([]string, len(ids))
			for i, id := range ids {
				parts[i] = "CreditNoteID==Guid(" + WhereQuote(id) + ")"
			}
			w := strings.Join(parts, " OR ")
			if q.Where != "" {
				w = "(" + q.Where + ") AND (" + w + ")"
			}
			return get(w)
		})
	}
	return out, err
}

// CreateCreditNotes creates credit notes (PUT, unit prices to 4 decimals).
func (c *Client) CreateCreditNotes(ctx context.Context, notes []CreditNote, idemKey string) ([]Result[CreditNote], error) {
	return write(ctx, c, notes, batch{method: http.MethodPut, path: "/CreditNotes", key: "CreditNotes", unitdp: true, idemKey: idemKey})
}

// UpdateCreditNotes updates the credit notes given with CreditNoteID (POST).
func (c *Client) UpdateCreditNotes(ctx context.Context, notes []CreditNote, idemKey string) ([]Result[CreditNote], error) {
	return write(ctx, c, notes, batch{method: http.MethodPost, path: "/CreditNotes", key: "CreditNotes", unitdp: true, idemKey: idemKey})
}

// AllocateCreditNote applies an (AUTHORISED) credit note to invoices.
func (c *Client) AllocateCreditNote(ctx context.Context, creditNoteID string, allocs []Allocation, idemKey string) ([]Result[Allocation], error) {
	return write(ctx, c, allocs, batch{method: http.MethodPut, path: "/CreditNotes/" + url.PathEscape(creditNoteID) + "/Allocations", key: "Allocations", idemKey: idemKey})
}

// Payments finds payments matching a where filter (all when empty).
func (c *Client) Payments(ctx context.Context, where string) ([]Payment, error) {
	if err := mustTenant(c); err != nil {
		return nil, err
	}
	v := url.Values{}
	if where != "" {
		v.Set("where", where)
	}
	return getPages(ctx, c, "/Payments", "Payments", v, func(x Payment) string { return x.PaymentID })
}

// CreatePayments records payments (PUT).
func (c *Client) CreatePayments(ctx context.Context, payments []Payment, idemKey string) ([]Result[Payment], error) {
	return write(ctx, c, payments, batch{method: http.MethodPut, path: "/Payments", key: "Payments", idemKey: idemKey})
}

// DeletePayments reverses payments, one request each (POST
// /Payments/{PaymentID} with {"Status":"DELETED"}, Xero's only way), and
// answers per payment like a batch: a payment Xero refused (e.g. one
// reconciled with a bank statement line) has a *ValidationError; an error
// that will not go away by itself stops the calls and marks the payments
// after it.
func (c *Client) DeletePayments(ctx context.Context, paymentIDs []string, idemKey string) ([]Result[Payment], error) {
	return eachRequest[string, Payment](ctx, c, paymentIDs, idemKey, func(id string) (request, error) {
		return request{method: http.MethodPost, url: c.ep.api + "/Payments/" + url.PathEscape(id),
			body: []byte(`{"Status":"DELETED"}`), what: "POST /Payments/{id}"}, nil
	}, "Payments")
}

// DeleteAllocations removes credit note allocations, one request each
// (DELETE /CreditNotes/{CreditNoteID}/Allocations/{AllocationID}); each
// allocation names its CreditNote (by id) and its AllocationID. Answers
// are per allocation, as DeletePayments's.
func (c *Client) DeleteAllocations(ctx context.Context, allocs []Allocation, idemKey string) ([]Result[Allocation], error) {
	return eachRequest[Allocation, Allocation](ctx, c, allocs, idemKey, func(a Allocation) (request, error) {
		if a.CreditNote == nil || a.CreditNote.CreditNoteID == "" || a.AllocationID == "" {
			return request{}, &ValidationError{Index: -1, Messages: []string{"an allocation to remove needs its credit note's id and its AllocationID"}}
		}
		return request{method: http.MethodDelete, url: c.ep.api + "/CreditNotes/" + url.PathEscape(a.CreditNote.CreditNoteID) + "/Allocations/" + url.PathEscape(a.AllocationID),
			what: "DELETE /CreditNotes/{id}/Allocations/{id}"}, nil
	}, "Allocations")
}

// eachRequest makes one request per item (for Xero's calls that take one
// record in the path) and gathers the answers like sendBatch: item i's
// request carries the Idempotency-Key chunkKey(idemKey, i, n) (not a
// DELETE: Xero takes keys on PUT, POST and PATCH); a refusal of one item,
// or Xero not finding it, is its Result's Err; an error that is not about
// the item marks it and every item after it, and is returned.
func eachRequest[I any, T batchElement](ctx context.Context, c *Client, items []I, idemKey string, build func(I) (request, error), key string) ([]Result[T], error) {
	if err := mustTenant(c); err != nil {
		return nil, err
	}
	results := make([]Result[T], len(items))
	if idemKey == "" {
		idemKey = randomKey()
	}
	for i, it := range items {
		results[i].Index = i
		r, err := build(it)
		if err == nil {
			r.tenant = c.Tenant()
			if r.method != http.MethodDelete {
				r.idemKey = chunkKey(idemKey, i, len(items))
			}
			var body []byte
			if body, err = c.do(ctx, r); err == nil {
				var got []T
				if got, _, err = decodeList[T](body, key, r.what); err == nil {
					fillResults(results, i, i+1, got)
					continue
				}
			}
		}
		if ve, ok := err.(*ValidationError); ok {
			err = &ValidationError{Index: i, Messages: ve.Messages}
		}
		results[i].Err = err
		var nf *NotFoundError
		if !isRecordError(err) && !errors.As(err, &nf) {
			for j := i + 1; j < len(items); j++ {
				results[j] = Result[T]{Index: j, Err: err}
			}
			return results, err
		}
	}
	return results, nil
}

// Record kinds that keep a history of notes.
const (
	HistoryInvoices    = "Invoices"
	HistoryCreditNotes = "CreditNotes"
	HistoryContacts    = "Contacts"
	HistoryPayments    = "Payments"
)

func historyPath(kind, id string) (string, error) {
	switch kind {
	case HistoryInvoices, HistoryCreditNotes, HistoryContacts, HistoryPayments:
		return "/" + kind + "/" + url.PathEscape(id) + "/History", nil
	}
	return "", fmt.Errorf("xero: %q keeps no history notes here", kind)
}

// AddHistoryNote adds a note (at most 250 characters) to a record's history.
func (c *Client) AddHistoryNote(ctx context.Context, kind, id, details, idemKey string) error {
	path, err := historyPath(kind, id)
	if err != nil {
		return err
	}
	if err := mustTenant(c); err != nil {
		return err
	}
	if n := len([]rune(details)); n == 0 || n > maxHistoryDetails {
		return &ValidationError{Index: -1, Messages: []string{fmt.Sprintf("a history note must have 1 to %d characters, not %d", maxHistoryDetails, n)}}
	}
	if idemKey == "" {
		idemKey = randomKey()
	}
	body, err := json.Marshal(map[string][]HistoryRecord{"HistoryRecords": {{Details: details}}})
	if err != nil {
		return fmt.Errorf("xero: history note: %w", err)
	}
	_, err = c.do(ctx, request{method: http.MethodPut, url: c.ep.api + path, body: body, idemKey: chunkKey(idemKey, 0, 1), tenant: c.Tenant(), what: "PUT /" + kind + "/History"})
	return err
}

// History reads a record's history and notes.
func (c *Client) History(ctx context.Context, kind, id string) ([]HistoryRecord, error) {
	path, err := historyPath(kind, id)
	if err != nil {
		return nil, err
	}
	l, _, err := getList[HistoryRecord](ctx, c, path, "HistoryRecords", nil)
	return l, err
}
