package xerotest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// The Accounting API (/api.xro/2.0/...): authentication, tenant, scope,
// rate limits and idempotency, then the resource handlers.

// ProviderName is what the sandbox puts in every response envelope.
const ProviderName = "Xero Sandbox"

// req is one Accounting API call after it was let in.
type req struct {
	*call
	o    *org
	g    *grant
	segs []string // path after /api.xro/2.0, split on "/"
	q    url.Values
	warn func(format string, args ...any)
}

func (s *Server) serveAPI(c *call) {
	g, ok := s.bearer(c)
	if !ok {
		return
	}
	tid := c.r.Header.Get("Xero-Tenant-Id")
	s.mu.Lock()
	o := s.org(tid)
	connected := o != nil && g.connectedTo(o.ID)
	s.mu.Unlock()
	if !connected {
		// [XERO.md §1.1]: missing, wrong or unauthorised tenant → 403 AuthenticationUnsuccessful.
		writeProblem(c.w, http.StatusForbidden, "Forbidden", "AuthenticationUnsuccessful")
		return
	}
	c.entry.TenantID = o.ID
	r := &req{call: c, o: o, g: g, segs: strings.Split(strings.Trim(strings.TrimPrefix(c.r.URL.Path, apiPrefix), "/"), "/"), q: c.r.URL.Query(), warn: s.logf}
	write := c.r.Method != http.MethodGet
	if write {
		// Before and after the write: a list query answered meanwhile is
		// not kept for the next page (listcache.go).
		o.gen.Add(1)
		defer o.gen.Add(1)
	}
	if need := scopesFor(r.segs[0], write); need != nil && !g.hasScope(need...) {
		writeProblem(c.w, http.StatusForbidden, "Forbidden", "AuthorizationUnsuccessful")
		return
	}
	// Xero answers in XML unless asked for JSON, and reads a body as XML
	// unless it is labelled JSON; the sandbox speaks JSON only, so it
	// refuses instead of guessing.
	if !strings.Contains(c.r.Header.Get("Accept"), "application/json") {
		writeProblem(c.w, http.StatusNotAcceptable, "Not Acceptable", "Send Accept: application/json; without it Xero answers in XML, which the sandbox does not speak.")
		return
	}
	if write && len(c.body) > 0 && !strings.HasPrefix(c.r.Header.Get("Content-Type"), "application/json") {
		writeAPIError(c.w, http.StatusBadRequest, 14, "PostDataInvalidException", "Send Content-Type: application/json; without it Xero reads the body as XML.")
		return
	}
	if !s.admit(c, o) {
		return
	}
	defer s.release(o)
	s.sleep(c)
	if write && c.r.Header.Get("Idempotency-Key") != "" {
		s.idempotent(r)
		return
	}
	s.dispatch(r)
}

// scopesFor lists the scopes, any one of which allows the call [XERO.md §1.5].
func scopesFor(resource string, write bool) []string {
	var broad, granular string
	switch resource {
	case "Organisation", "TaxRates", "Accounts", "Currencies", "BrandingThemes", "TrackingCategories", "Items":
		if write {
			return []string{"accounting.settings"}
		}
		return []string{"accounting.settings", "accounting.settings.read"}
	case "Contacts", "ContactGroups":
		broad, granular = "accounting.contacts", "accounting.contacts"
	case "Invoices", "CreditNotes":
		broad, granular = "accounting.transactions", "accounting.invoices"
	case "Payments":
		broad, granular = "accounting.transactions", "accounting.payments"
	default:
		return nil
	}
	if write {
		return []string{broad, granular}
	}
	return []string{broad, granular, broad + ".read", granular + ".read"}
}

func (s *Server) dispatch(r *req) {
	res, id, sub := r.segs[0], "", ""
	if len(r.segs) > 1 {
		id = r.segs[1]
	}
	if len(r.segs) > 2 {
		sub = r.segs[2]
	}
	m := r.r.Method
	get, write := m == http.MethodGet, m == http.MethodPut || m == http.MethodPost
	switch {
	case sub == "History" && len(r.segs) == 3 && (get || write):
		s.history(r, res, id)
	case res == "Organisation" && get && id == "":
		s.getOrganisation(r)
	case res == "Organisation" && get && id == "Actions":
		s.getActions(r)
	case res == "TaxRates" && get && id == "":
		getList(s, r, "TaxRates", func(d *OrgData) []TaxRate { return d.TaxRates }, false)
	case res == "Accounts" && get && id == "":
		getList(s, r, "Accounts", func(d *OrgData) []Account { return d.Accounts }, false)
	case res == "Accounts" && get:
		getList(s, r, "Accounts", func(d *OrgData) []Account {
			return filterByID(d.Accounts, id, func(a Account) string { return a.AccountID })
		}, true)
	case res == "Currencies" && get && id == "":
		getList(s, r, "Currencies", func(d *OrgData) []Currency { return d.Currencies }, false)
	case res == "Currencies" && m == http.MethodPut && id == "":
		s.putCurrency(r)
	case res == "BrandingThemes" && get && id == "":
		getList(s, r, "BrandingThemes", func(d *OrgData) []BrandingTheme { return d.BrandingThemes }, false)
	case (res == "TrackingCategories" || res == "Items") && get && id == "":
		// The sandbox's orgs have no tracking categories and no items.
		s.envelope(r.w, res, []any{}, nil)
	case res == "Contacts" && get:
		s.getContacts(r, id)
	case res == "Contacts" && write && sub == "":
		s.writeContacts(r, id)
	case (res == "Invoices" || res == "CreditNotes") && get && sub == "":
		s.getDocuments(r, kindOf(res), id)
	case (res == "Invoices" || res == "CreditNotes") && write && sub == "":
		s.writeDocuments(r, kindOf(res), id)
	case res == "CreditNotes" && sub == "Allocations" && m == http.MethodPut && len(r.segs) == 3:
		s.putAllocations(r, id)
	case res == "CreditNotes" && sub == "Allocations" && m == http.MethodDelete && len(r.segs) == 4:
		s.deleteAllocation(r, id, r.segs[3])
	case res == "Payments" && get && sub == "":
		s.getPayments(r, id)
	case res == "Payments" && write && sub == "":
		s.writePayments(r, id)
	default:
		writeProblem(r.w, http.StatusNotFound, "NotFound", "The resource you're looking for cannot be found")
	}
}

// --- response shapes [XERO.md §8] ---

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		fmt.Fprintf(&buf, `{"Title":"An error occurred","Status":500,"Detail":%q}`, err.Error())
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// writeProblem writes Xero's problem body: {"Type":null,"Title":…,"Status":…,"Detail":…,"Instance":…}.
func writeProblem(w http.ResponseWriter, status int, title, detail string) {
	writeJSON(w, status, map[string]any{"Type": nil, "Title": title, "Status": status, "Detail": detail, "Instance": newID(), "Extensions": map[string]any{}})
}

// writeAPIError writes the Accounting API's {"ErrorNumber","Type","Message"} error.
func writeAPIError(w http.ResponseWriter, status, number int, typ, msg string) {
	writeJSON(w, status, map[string]any{"ErrorNumber": number, "Type": typ, "Message": msg})
}

func postDataInvalid(w http.ResponseWriter, err error) {
	writeAPIError(w, http.StatusBadRequest, 14, "PostDataInvalidException", "JSON for post data was invalid,"+err.Error())
}

// envelope writes {"Id","Status":"OK","ProviderName","DateTimeUTC",key:items}.
func (s *Server) envelope(w http.ResponseWriter, key string, items any, extra map[string]any) {
	body := map[string]any{"Id": newID(), "Status": "OK", "ProviderName": ProviderName, "DateTimeUTC": dateOf(s.now()), key: items}
	for k, v := range extra {
		body[k] = v
	}
	writeJSON(w, http.StatusOK, body)
}

// element is one result of a batch write.
type element interface{ failed() bool }

func (c *Contact) failed() bool    { return len(c.ValidationErrors) > 0 }
func (d *Document) failed() bool   { return len(d.ValidationErrors) > 0 }
func (p *Payment) failed() bool    { return len(p.ValidationErrors) > 0 }
func (a *Allocation) failed() bool { return len(a.ValidationErrors) > 0 }

func messages(errs []string) []ValidationError {
	out := make([]ValidationError, len(errs))
	for i, e := range errs {
		out[i] = ValidationError{Message: e}
	}
	return out
}

// batchResult answers a batch write [XERO.md §4]: with summarizeErrors=false
// 200 and every element; otherwise 400 ValidationException listing only the
// failed elements when any failed (the good ones were saved all the same).
func (s *Server) batchResult(r *req, key string, results []element) {
	if !strings.EqualFold(r.q.Get("summarizeErrors"), "false") {
		var failed []element
		for _, e := range results {
			if e.failed() {
				failed = append(failed, e)
			}
		}
		if len(failed) > 0 {
			writeJSON(r.w, http.StatusBadRequest, map[string]any{"ErrorNumber": 10, "Type": "ValidationException",
				"Message": "A validation exception occurred", "Elements": failed})
			return
		}
	}
	s.envelope(r.w, key, results, nil)
}

// decodeElements reads {"Key":[…]} (or one bare element, or a bare array).
func decodeElements(body []byte, key string) ([]json.RawMessage, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, fmt.Errorf("the request body is empty")
	}
	if body[0] == '[' {
		var arr []json.RawMessage
		return arr, json.Unmarshal(body, &arr)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, err
	}
	for k, v := range top {
		if strings.EqualFold(k, key) {
			var arr []json.RawMessage
			if err := json.Unmarshal(v, &arr); err != nil {
				return nil, err
			}
			return arr, nil
		}
	}
	return []json.RawMessage{body}, nil
}

// decodeAll decodes every element into T, or answers 400 PostDataInvalid.
func decodeAll[T any](r *req, key string) ([]T, []json.RawMessage, bool) {
	raws, err := decodeElements(r.body, key)
	if err != nil {
		postDataInvalid(r.w, err)
		return nil, nil, false
	}
	out := make([]T, len(raws))
	for i, raw := range raws {
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			postDataInvalid(r.w, err)
			return nil, nil, false
		}
	}
	r.countElements(len(raws))
	return out, raws, true
}

// pathTarget checks a write addressed by ID in the path: the record must
// exist (else 404) and the body must hold one element (else 400).
func (s *Server) pathTarget(r *req, pathID string, n int, exists func(o *org) bool) bool {
	if pathID == "" {
		return true
	}
	s.mu.Lock()
	found := exists(r.o)
	s.mu.Unlock()
	switch {
	case !found:
		writeProblem(r.w, http.StatusNotFound, "NotFound", "The resource you're looking for cannot be found")
	case n != 1:
		postDataInvalid(r.w, fmt.Errorf("one element is expected when the ID is in the path, got %d", n))
	default:
		return true
	}
	return false
}

// countElements records a batch's size and warns above Xero's advice of 50 [XERO.md §4].
func (r *req) countElements(n int) {
	r.entry.Elements = n
	if n > 50 {
		r.warn("%s %s carries %d elements; Xero recommends at most 50 per call", r.r.Method, r.r.URL.Path, n)
	}
}

// overlay applies the fields present in raw to a copy of existing (Xero
// keeps the fields an update leaves out); nested objects and lists are
// replaced whole.
func overlay[T any](existing T, raw json.RawMessage) (T, error) {
	var out T
	base := map[string]json.RawMessage{}
	b, err := json.Marshal(existing)
	if err != nil {
		return out, err
	}
	if err := json.Unmarshal(b, &base); err != nil {
		return out, err
	}
	var upd map[string]json.RawMessage
	if err := json.Unmarshal(raw, &upd); err != nil {
		return out, err
	}
	for k, v := range upd {
		for bk := range base {
			if strings.EqualFold(bk, k) && bk != k {
				delete(base, bk)
			}
		}
		base[k] = v
	}
	b, err = json.Marshal(base)
	if err != nil {
		return out, err
	}
	return out, json.Unmarshal(b, &out)
}

// clone deep-copies v through JSON.
func clone[T any](v T) T {
	var out T
	b, _ := json.Marshal(v)
	_ = json.Unmarshal(b, &out)
	return out
}

// --- reference data ---

func (s *Server) getOrganisation(r *req) {
	s.envelope(r.w, "Organisations", []Organisation{r.o.withLockDates(organisationOf(r.o.Tenant, r.o.created))}, nil)
}

func (s *Server) getActions(r *req) {
	var actions []map[string]string
	for _, a := range []string{"UseMulticurrency", "CreateApprovedInvoice", "CreateApprovedBill", "CreateInvoicePayment",
		"CreateBillPayment", "CreateApprovedCreditNote", "CreateApprovedCreditNoteBill", "AllocateCreditNote",
		"CreateDraftInvoice", "CreateDraftBill", "CreateContact", "ApproveInvoice", "VoidInvoice"} {
		actions = append(actions, map[string]string{"Name": a, "Status": "ALLOWED"})
	}
	s.envelope(r.w, "Actions", actions, nil)
}

// getList answers a GET of reference data, filtered by where (and, for
// TaxRates, the TaxType parameter).
func getList[T any](s *Server, r *req, key string, pick func(*OrgData) []T, byID bool) {
	s.mu.Lock()
	items := clone(pick(r.o.data))
	s.mu.Unlock()
	filtered, ok := applyWhere(r, items)
	if !ok {
		return
	}
	if tt := r.q.Get("TaxType"); tt != "" && key == "TaxRates" {
		filtered, _ = filterWhere(filtered, `TaxType=="`+strings.ReplaceAll(tt, `"`, ``)+`"`)
	}
	if byID && len(filtered) == 0 {
		writeProblem(r.w, http.StatusNotFound, "NotFound", "The resource you're looking for cannot be found")
		return
	}
	s.envelope(r.w, key, filtered, nil)
}

func filterByID[T any](items []T, id string, idOf func(T) string) []T {
	var out []T
	for _, it := range items {
		if strings.EqualFold(idOf(it), id) {
			out = append(out, it)
		}
	}
	return out
}

func (s *Server) putCurrency(r *req) {
	cs, _, ok := decodeAll[Currency](r, "Currencies")
	if !ok {
		return
	}
	s.mu.Lock()
	var out []Currency
	for _, c := range cs {
		k, known := knownCurrencies[strings.ToUpper(c.Code)]
		if !known {
			s.mu.Unlock()
			writeAPIError(r.w, http.StatusBadRequest, 10, "ValidationException", "Currency code '"+c.Code+"' is not a valid currency code.")
			return
		}
		c.Code, c.Description = strings.ToUpper(c.Code), k.name
		if !containsCurrency(r.o.data.Currencies, c.Code) {
			r.o.data.Currencies = append(r.o.data.Currencies, c)
		}
		out = append(out, c)
	}
	s.mu.Unlock()
	s.saveState()
	s.envelope(r.w, "Currencies", out, nil)
}

// EnableCurrency turns a currency on for a tenant (as PUT /Currencies does).
func (s *Server) EnableCurrency(tenantID, code string) error {
	k, ok := knownCurrencies[strings.ToUpper(code)]
	if !ok {
		return fmt.Errorf("xerotest: unknown currency %q", code)
	}
	return s.change(tenantID, func(d *OrgData) {
		if !containsCurrency(d.Currencies, code) {
			d.Currencies = append(d.Currencies, Currency{Code: strings.ToUpper(code), Description: k.name})
		}
	})
}

// DisableCurrency turns a currency off for a tenant (not possible through
// Xero's API; for tests of "currency not enabled").
func (s *Server) DisableCurrency(tenantID, code string) error {
	return s.change(tenantID, func(d *OrgData) {
		out := d.Currencies[:0]
		for _, c := range d.Currencies {
			if !strings.EqualFold(c.Code, code) {
				out = append(out, c)
			}
		}
		d.Currencies = out
	})
}

// change runs f on a tenant's books under the lock and saves the state file.
func (s *Server) change(tenantID string, f func(*OrgData)) error {
	s.mu.Lock()
	o := s.org(tenantID)
	if o == nil {
		s.mu.Unlock()
		return fmt.Errorf("xerotest: no tenant %s", tenantID)
	}
	f(o.data)
	o.reindex()
	s.mu.Unlock()
	s.saveState()
	return nil
}

// paginate applies page/pageSize; it reports whether paging was asked for.
func paginate[T any](items []T, q url.Values) ([]T, map[string]any, bool) {
	if q.Get("page") == "" {
		return items, nil, false
	}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	size, _ := strconv.Atoi(q.Get("pageSize"))
	if size <= 0 {
		size = 100
	}
	size = min(size, 1000)
	count := (len(items) + size - 1) / size
	lo, hi := min((page-1)*size, len(items)), min(page*size, len(items))
	return items[lo:hi], map[string]any{"pagination": map[string]int{"page": page, "pageSize": size, "pageCount": count, "itemCount": len(items)}}, true
}

// modifiedSince reads the If-Modified-Since header (zero when absent).
func modifiedSince(r *req) time.Time {
	h := r.r.Header.Get("If-Modified-Since")
	if h == "" {
		return time.Time{}
	}
	if t, err := http.ParseTime(h); err == nil {
		return t
	}
	t, _ := parseDate(h)
	return t
}

func csv(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

func validDecimal(s string) bool {
	_, err := decimal.NewFromString(s)
	return err == nil
}
