package xerotest_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

const (
	granular  = "offline_access accounting.contacts accounting.invoices accounting.payments accounting.settings.read"
	legacy    = "accounting.transactions accounting.contacts accounting.settings offline_access"
	redirect  = "http://localhost:53682/callback"
	verifier  = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-sandbox-verifier"
	pkceApp   = "desktop-app"
	apiPrefix = "/api.xro/2.0"
)

func challenge(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// noRedirect is an HTTP client that shows redirects instead of following them.
var noRedirect = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// authorizeURL builds a PKCE authorize URL.
func authorizeURL(s *xerotest.Server, extra url.Values) string {
	v := url.Values{"response_type": {"code"}, "client_id": {pkceApp}, "redirect_uri": {redirect},
		"scope": {granular}, "state": {"st-123"}, "code_challenge": {challenge(verifier)}, "code_challenge_method": {"S256"}}
	for k, vs := range extra {
		if vs == nil {
			v.Del(k)
		} else {
			v[k] = vs
		}
	}
	return s.URL + "/identity/connect/authorize?" + v.Encode()
}

// callback follows one authorize step and returns the redirect's query.
func callback(t *testing.T, resp *http.Response) url.Values {
	t.Helper()
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("authorize: status %d, want 302: %s", resp.StatusCode, b)
	}
	u, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Scheme + "://" + u.Host + u.Path; got != redirect {
		t.Fatalf("redirected to %s, want %s", got, redirect)
	}
	return u.Query()
}

func get(t *testing.T, rawURL string) *http.Response {
	t.Helper()
	resp, err := noRedirect.Get(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// tokenCall posts the token endpoint; basic is "id:secret" or "".
func tokenCall(t *testing.T, s *xerotest.Server, form url.Values, basic string) (int, map[string]any) {
	t.Helper()
	return formCall(t, s.URL+"/connect/token", form, basic)
}

func formCall(t *testing.T, u string, form url.Values, basic string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic != "" {
		id, secret, _ := strings.Cut(basic, ":")
		req.SetBasicAuth(id, secret)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m
}

// login runs the PKCE flow with AutoApprove and returns the token response.
func login(t *testing.T, s *xerotest.Server, scope string) map[string]any {
	t.Helper()
	q := callback(t, get(t, authorizeURL(s, url.Values{"scope": {scope}})))
	status, tok := tokenCall(t, s, url.Values{"grant_type": {"authorization_code"}, "client_id": {pkceApp},
		"code": {q.Get("code")}, "redirect_uri": {redirect}, "code_verifier": {verifier}}, "")
	if status != http.StatusOK {
		t.Fatalf("token: status %d: %v", status, tok)
	}
	return tok
}

// client talks to the Accounting API as one tenant.
type client struct {
	t      *testing.T
	s      *xerotest.Server
	token  string
	tenant string
	http   *http.Client // nil: noRedirect, over the network
}

// start runs a sandbox with AutoApprove and a logged-in client.
func start(t *testing.T, opts xerotest.Options) (*xerotest.Server, *client) {
	t.Helper()
	opts.AutoApprove = true
	s := xerotest.NewTest(t, opts)
	tok := login(t, s, granular)
	tenant := xerotest.DefaultTenantID
	if len(opts.Tenants) > 0 {
		tenant = opts.Tenants[0].ID
	}
	return s, &client{t: t, s: s, token: tok["access_token"].(string), tenant: tenant}
}

// startInProcess is start for a testing/synctest bubble: the sandbox
// answers in the calling goroutine instead of on a socket (a goroutine
// waiting on the network is never durably blocked, so the bubble's fake
// clock would not move), its clock is the bubble's unless opts.Now is set,
// and the client is signed in with Server.Connect.
func startInProcess(t *testing.T, opts xerotest.Options) (*xerotest.Server, *client) {
	t.Helper()
	if opts.Logf == nil {
		opts.Logf = t.Logf
	}
	s, err := xerotest.New(opts)
	if err != nil {
		t.Fatalf("xerotest.New: %v", err)
	}
	s.URL = "http://xerotest.invalid"
	tenant := xerotest.DefaultTenantID
	if len(opts.Tenants) > 0 {
		tenant = opts.Tenants[0].ID
	}
	tok, err := s.Connect(pkceApp, granular, tenant)
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Transport: inProcess{s}, CheckRedirect: noRedirect.CheckRedirect}
	return s, &client{t: t, s: s, token: tok.AccessToken, tenant: tenant, http: hc}
}

// inProcess is an http.RoundTripper that hands each request straight to a
// handler, in the caller's goroutine.
type inProcess struct{ h http.Handler }

func (p inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	if r.Body == nil {
		r.Body = http.NoBody
	}
	r.RequestURI = r.URL.RequestURI()
	r.RemoteAddr = "127.0.0.1:1"
	w := httptest.NewRecorder()
	p.h.ServeHTTP(w, r)
	resp := w.Result()
	resp.Request = req
	return resp, nil
}

// as returns a copy of the client that reports to t (for subtests).
func (c *client) as(t *testing.T) *client {
	cp := *c
	cp.t = t
	return &cp
}

// response is a decoded Accounting API answer.
type response struct {
	Status int
	Header http.Header
	Body   []byte
	Env    envelope
}

// envelope holds whatever list the answer carried, in the sandbox's types.
type envelope struct {
	Status         any // "OK" in an envelope, a number in a problem body
	ProviderName   string
	DateTimeUTC    string
	Contacts       []xerotest.Contact
	Invoices       []xerotest.Invoice
	CreditNotes    []xerotest.CreditNote
	Payments       []xerotest.Payment
	Allocations    []xerotest.Allocation
	HistoryRecords []xerotest.HistoryRecord
	Accounts       []xerotest.Account
	TaxRates       []xerotest.TaxRate
	Currencies     []xerotest.Currency
	Organisations  []xerotest.Organisation
	// Error responses.
	ErrorNumber int
	Type        string
	Message     string
	Title       string
	Detail      string
	Elements    []json.RawMessage
}

// call sends one request; path is below /api.xro/2.0 unless it starts with
// "/connections". headers are name, value pairs.
func (c *client) call(method, path string, body any, headers ...string) response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	u := c.s.URL + apiPrefix + path
	if strings.HasPrefix(path, "/connections") {
		u = c.s.URL + path
	}
	req, _ := http.NewRequest(method, u, rd)
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Xero-Tenant-Id", c.tenant)
	req.Header.Set("Accept", "application/json")
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	hc := c.http
	if hc == nil {
		hc = noRedirect
	}
	resp, err := hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	r := response{Status: resp.StatusCode, Header: resp.Header, Body: b}
	if len(b) > 0 && b[0] == '{' {
		if err := json.Unmarshal(b, &r.Env); err != nil {
			c.t.Fatalf("%s %s: decode %s: %v", method, path, b, err)
		}
	}
	return r
}

// must checks the status of a response.
func (r response) must(t *testing.T, status int) response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	return r
}

// errorsOf collects every element's validation messages.
func errorsOf(docErrs []xerotest.ValidationError) []string {
	var out []string
	for _, e := range docErrs {
		out = append(out, e.Message)
	}
	return out
}

// J is shorthand for a JSON object in a request.
type J = map[string]any

// invoice builds a minimal ACCREC invoice element.
func invoice(number string, lines ...J) J {
	return J{"Type": "ACCREC", "InvoiceNumber": number, "Contact": J{"Name": "Acme Ltd"}, "Date": "2026-01-15",
		"DueDate": "2026-02-15", "LineAmountTypes": "Exclusive", "Status": "AUTHORISED", "LineItems": lines}
}

func line(desc string, qty, unit string, tax string) J {
	return J{"Description": desc, "Quantity": json.Number(qty), "UnitAmount": json.Number(unit), "AccountCode": "200", "TaxType": tax}
}
