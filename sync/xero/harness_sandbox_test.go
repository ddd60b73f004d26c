package xero_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// sent is one request the client made, as captured by the test transport.
type sent struct {
	Method string
	URL    *url.URL
	Header http.Header
	Body   []byte
}

// recorder is an http.RoundTripper that keeps a copy of every request the
// client sends, then passes it on; check, when set, runs before sending.
type recorder struct {
	next  http.RoundTripper
	mu    sync.Mutex
	reqs  []sent
	check func(*http.Request)
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, sent{Method: req.Method, URL: req.URL, Header: req.Header.Clone(), Body: body})
	check := r.check
	r.mu.Unlock()
	if check != nil {
		check(req)
	}
	return r.next.RoundTrip(req)
}

func (r *recorder) sent() []sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sent(nil), r.reqs...)
}

// harness is one sandbox plus the clients of one test. Every request body
// the clients send to the Accounting API is checked against Xero's OpenAPI
// spec when the test ends.
type harness struct {
	t     *testing.T
	srv   *xerotest.Server
	rec   *recorder
	store *xero.FileStore
	clock xero.Clock
	logs  *logBuffer
	pages chan string // the callback pages the "browser" was shown
	// inBubble: made by newBubbleHarness; clients are signed in with
	// Server.Connect instead of the browser and the loopback callback.
	inBubble bool
}

type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.WriteString(strings.TrimSpace(fmt.Sprintf(format, args...)) + "\n")
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newHarness(t *testing.T, opts xerotest.Options) *harness {
	t.Helper()
	opts.AutoApprove = true
	if opts.TimeScale == 0 {
		opts.TimeScale = 0.001
	}
	h := &harness{
		t:     t,
		srv:   xerotest.NewTest(t, opts),
		rec:   &recorder{next: &http.Transport{}},
		store: &xero.FileStore{Path: filepath.Join(t.TempDir(), "token.json")},
		clock: xero.ScaledClock(time.Time{}, opts.TimeScale),
		logs:  &logBuffer{},
		pages: make(chan string, 8),
	}
	t.Cleanup(func() { checkContract(t, h.rec.sent()) })
	return h
}

// newBubbleHarness is newHarness for a test inside a testing/synctest
// bubble, for waits (rate limits, retry backoff, token expiry): the
// sandbox answers in-process (a goroutine waiting on a socket is never
// durably blocked, so the bubble's fake clock would not move), both sides
// tell time by the bubble's fake clock (the sandbox's time.Now, the
// client's SystemClock) and nothing is scaled unless opts.TimeScale says so.
func newBubbleHarness(t *testing.T, opts xerotest.Options) *harness {
	t.Helper()
	opts.AutoApprove = true
	srv, err := xerotest.New(opts)
	if err != nil {
		t.Fatalf("xerotest.New: %v", err)
	}
	srv.URL = "http://127.0.0.1:1" // never dialled: inProcess answers; loopback, so plain http is allowed
	h := &harness{
		t:        t,
		srv:      srv,
		rec:      &recorder{next: inProcess{srv}},
		store:    &xero.FileStore{Path: filepath.Join(t.TempDir(), "token.json")},
		clock:    xero.SystemClock(),
		logs:     &logBuffer{},
		pages:    make(chan string, 8),
		inBubble: true,
	}
	t.Cleanup(func() { checkContract(t, h.rec.sent()) })
	return h
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

// freePort finds a loopback port nobody listens on.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// browse plays the browser: it follows the sign-in URL (the sandbox
// approves at once and redirects to the callback) and keeps the page.
func (h *harness) browse(u string) error {
	go func() {
		resp, err := http.Get(u)
		if err != nil {
			h.pages <- "browser error: " + err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		h.pages <- string(b)
	}()
	return nil
}

// client builds a client for the sandbox with the test's store, clock,
// recorder and "browser"; adjust changes options.
func (h *harness) client(adjust func(*xero.Options)) *xero.Client {
	h.t.Helper()
	port := xero.DefaultRedirectPort // never listened on in a bubble
	if !h.inBubble {
		port = freePort(h.t)
	}
	o := xero.Options{
		ClientID:     "test-pkce-app",
		BaseURL:      h.srv.URL,
		RedirectPort: port,
		Store:        h.store,
		HTTPClient:   &http.Client{Transport: h.rec, Timeout: 30 * time.Second},
		Open:         h.browse,
		Clock:        h.clock,
		Logf:         h.logs.logf,
	}
	if adjust != nil {
		adjust(&o)
	}
	c, err := xero.New(o)
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

// connect signs c in and chooses the demo organisation.
func (h *harness) connect(c *xero.Client) {
	h.t.Helper()
	if h.inBubble {
		h.grant(c)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := c.Login(ctx, xero.LoginOptions{}); err != nil {
		h.t.Fatalf("login: %v", err)
	}
	if page := <-h.pages; !strings.Contains(page, "You are connected to Xero") {
		h.t.Fatalf("callback page: %s", page)
	}
	ts, err := c.Tenants(ctx)
	if err != nil {
		h.t.Fatalf("tenants: %v", err)
	}
	tn, err := xero.PickTenant(ts, "Demo Company (UK)")
	if err != nil {
		h.t.Fatal(err)
	}
	c.SetTenant(tn.TenantID)
}

// grant signs c in without the browser, as if the person had approved the
// demo organisation: the sandbox's tokens go straight into the store.
func (h *harness) grant(c *xero.Client) {
	h.t.Helper()
	tok, err := h.srv.Connect("test-pkce-app", "", xerotest.DefaultTenantID)
	if err != nil {
		h.t.Fatal(err)
	}
	saved := &xero.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken,
		Expiry: h.clock.Now().Add(time.Duration(tok.ExpiresIn) * time.Second), Issuer: h.srv.URL}
	if err := h.store.Save(context.Background(), saved); err != nil {
		h.t.Fatal(err)
	}
	c.SetTenant(xerotest.DefaultTenantID)
}

// connected is a signed-in client for the demo organisation.
func (h *harness) connected(adjust func(*xero.Options)) *xero.Client {
	c := h.client(adjust)
	h.connect(c)
	return c
}

func (h *harness) calls(key string) int { return h.srv.Calls()[key] }

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// specPath is Xero's OpenAPI description of the Accounting API, kept in
// testdata with its licence (testdata/openapi/SOURCE.md).
const specPath = "testdata/openapi/xero_accounting.yaml"
