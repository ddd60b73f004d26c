package xerotest

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Options configure a sandbox. The zero value is a UK demo org with Xero's
// standard limits, any client id accepted as a PKCE app, in real time.
type Options struct {
	// AutoApprove makes /identity/connect/authorize redirect straight to the
	// redirect_uri with a code for every tenant (no consent page), so that
	// `curl -L` of the URL completes a command-line login.
	AutoApprove bool
	// StatePath, when set, is a JSON file loaded at start and rewritten
	// (temp file + rename) after every change; see OrgData for its shape.
	StatePath string
	// Clients maps client_id to its secret; an empty secret is an
	// "Auth Code with PKCE" app. nil accepts any client_id as a PKCE app,
	// plus "sandbox-web" with secret "sandbox-secret" as a Web app.
	Clients map[string]string
	// Tenants are the organisations; default DefaultTenants().
	Tenants []Tenant
	// TimeScale shrinks the sandbox's rate-limit windows: with 0.001 the
	// 60-second minute lasts 60 ms and the day 86.4 s. Retry-After keeps
	// Xero's form (whole seconds) and gives the real wait under the scale,
	// rounded up to at least 1 second, so a client that obeys it works
	// unchanged; the exact real wait is also sent as
	// X-Sandbox-Retry-After-Ms. Token lifetimes, code lifetime and the
	// idempotency window are not scaled. Default 1.
	TimeScale float64
	// AccessTokenTTL is the access token lifetime (default 30 min, not scaled).
	AccessTokenTTL time.Duration
	// DayLimit is the calls per day per tenant (default 5000; Starter tier 1000).
	DayLimit int
	// MinuteLimit is the calls per (scaled) minute per tenant (default 60).
	MinuteLimit int
	// AppMinuteLimit is the calls per (scaled) minute for the whole app (default 10000).
	AppMinuteLimit int
	// Concurrency is the calls in flight per tenant (default 5); one more
	// gets 429 with X-Rate-Limit-Problem: concurrent.
	Concurrency int
	// GranularScopesOnly refuses the broad accounting.transactions scopes at
	// authorize (unauthorized_client), as for apps created after 2 Mar 2026.
	GranularScopesOnly bool
	// TaxTolerance is how far a supplied line TaxAmount may differ from the
	// computed one and still be kept (default 0.01 per line; outside it the
	// line is refused). Xero does not document its tolerance [XERO.md §7].
	TaxTolerance string
	// Now is the sandbox's clock (default time.Now). Token expiry, refresh
	// grace, code lifetime, idempotency and rate windows all read it.
	Now func() time.Time
	// Logf, when set, receives one line per request and warnings (e.g. a
	// batch over 50 elements).
	Logf func(format string, args ...any)
}

// Server is a running sandbox; it is an http.Handler.
type Server struct {
	// URL is the base URL once started by NewTest, Serve or ListenAndServe.
	URL string

	opts    Options
	handler http.Handler

	mu       sync.Mutex // guards everything below
	tenants  []*org
	byTenant map[string]*org
	auth     authState
	faults   []*Fault
	calls    map[string]int
	requests []LoggedRequest
	idem     map[string]*idemEntry
	appCalls []time.Time
	tokenGen int

	saveMu sync.Mutex // serialises state-file writes
}

// org is one tenant's books and counters.
type org struct {
	Tenant
	data    *OrgData
	ix      *bookIndex // indexes of data; see index.go
	created time.Time
	lim     limiter
	// gen counts changes to the books (bumped around every write request
	// and every reindex); list is the last paged list query's choice of
	// documents, valid while gen is unchanged (listcache.go).
	gen  atomic.Uint64
	list *listCache
}

// New builds a sandbox from opts, loading opts.StatePath when it exists.
func New(opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.TimeScale <= 0 {
		opts.TimeScale = 1
	}
	if opts.AccessTokenTTL <= 0 {
		opts.AccessTokenTTL = 30 * time.Minute
	}
	if opts.DayLimit <= 0 {
		opts.DayLimit = 5000
	}
	if opts.MinuteLimit <= 0 {
		opts.MinuteLimit = 60
	}
	if opts.AppMinuteLimit <= 0 {
		opts.AppMinuteLimit = 10000
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 5
	}
	if opts.TaxTolerance == "" {
		opts.TaxTolerance = "0.01"
	}
	if !validDecimal(opts.TaxTolerance) {
		return nil, fmt.Errorf("xerotest: TaxTolerance %q is not a number", opts.TaxTolerance)
	}
	if len(opts.Tenants) == 0 {
		opts.Tenants = DefaultTenants()
	}
	s := &Server{opts: opts, byTenant: map[string]*org{}, calls: map[string]int{}, idem: map[string]*idemEntry{}}
	s.auth.init()
	now := s.now()
	for _, t := range opts.Tenants {
		t, err := normaliseTenant(t)
		if err != nil {
			return nil, err
		}
		if s.org(t.ID) != nil {
			return nil, fmt.Errorf("xerotest: tenant %s given twice", t.ID)
		}
		o := &org{Tenant: t, data: seedOrg(t, now), created: now}
		o.reindex()
		s.tenants = append(s.tenants, o)
		s.byTenant[strings.ToLower(t.ID)] = o
	}
	if err := s.loadState(); err != nil {
		return nil, err
	}
	s.handler = http.HandlerFunc(s.serve)
	return s, nil
}

// NewTest starts a sandbox on 127.0.0.1 with a free port for one test and
// closes it when the test ends; s.URL is set. It fails the test if opts are
// invalid.
func NewTest(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Logf == nil {
		// t.Logf must not be called once the test is over; late requests
		// (e.g. from a client's goroutine) are then not logged.
		var mu sync.Mutex
		done := false
		t.Cleanup(func() { mu.Lock(); done = true; mu.Unlock() })
		opts.Logf = func(format string, args ...any) {
			mu.Lock()
			defer mu.Unlock()
			if !done {
				t.Logf("xerotest: "+format, args...)
			}
		}
	}
	s, err := New(opts)
	if err != nil {
		t.Fatalf("xerotest.New: %v", err)
	}
	ts := httptest.NewUnstartedServer(s)
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.Start()
	s.URL = ts.URL
	t.Cleanup(ts.Close)
	return s
}

// Serve answers requests on ln until ctx ends; s.URL is set from ln.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.URL = "http://" + ln.Addr().String()
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0),
		BaseContext: func(net.Listener) context.Context { return ctx }}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("xerotest: serve: %w", err)
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
		<-errc
		return nil
	}
}

// ListenAndServe listens on addr (e.g. "127.0.0.1:8089") and serves until
// ctx ends. It returns a plain error when the port is busy.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("xerotest: listen on %s: %w", addr, err)
	}
	return s.Serve(ctx, ln)
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) now() time.Time { return s.opts.Now() }

// org finds a tenant by ID (any case); s.mu is held or the map is not
// changing (it is fixed after New).
func (s *Server) org(tenantID string) *org { return s.byTenant[strings.ToLower(tenantID)] }

// scaled converts a duration of Xero time into the sandbox's real time.
func (s *Server) scaled(d time.Duration) time.Duration {
	return time.Duration(float64(d) * s.opts.TimeScale)
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// LoggedRequest is one request the sandbox answered (or dropped).
type LoggedRequest struct {
	Time         time.Time
	Method       string
	Path         string
	Query        string
	Header       http.Header // Authorization is redacted
	Body         string
	Status       int // 0 when the connection was dropped
	ResponseBody string
	Key          string // the counter key, e.g. "PUT /Invoices"
	TenantID     string
	Elements     int    // elements in a batch body
	Fault        string // the injected fault that hit this request, if any
	Replayed     bool   // answered from the idempotency cache
}

// maxBody is Xero's size limit of one POST/PUT [XERO.md §4].
const maxBody = 3_500_000

// call is one request on its way through the sandbox.
type call struct {
	r        *http.Request
	body     []byte
	w        *httptest.ResponseRecorder
	fault    *Fault
	entry    *LoggedRequest
	replayed bool
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	c := &call{r: r, body: body, w: httptest.NewRecorder()}
	key := counterKey(r.Method, r.URL.Path)
	c.entry = &LoggedRequest{Time: s.now(), Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Header: redact(r.Header), Body: string(body), Key: key}
	s.mu.Lock()
	s.calls[key]++
	c.fault = s.takeFault(r)
	s.mu.Unlock()
	if c.fault != nil {
		c.entry.Fault = c.fault.Kind.String()
	}
	switch {
	case err != nil:
		writeProblem(c.w, http.StatusBadRequest, "Bad Request", "could not read the request body: "+err.Error())
	case len(body) > maxBody:
		writeProblem(c.w, http.StatusRequestEntityTooLarge, "Request Entity Too Large", "The request is larger than 3.5 MB.")
	case !s.applyFault(c):
		s.route(c)
	}
	c.entry.Status = c.w.Code
	c.entry.ResponseBody = c.w.Body.String()
	c.entry.Replayed = c.replayed
	if c.fault != nil && c.fault.Kind == FaultDropAfterCommit {
		c.entry.Status = 0
		s.record(c.entry)
		dropConnection(w)
		return
	}
	s.record(c.entry)
	for k, v := range c.w.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(c.w.Code)
	_, _ = w.Write(c.w.Body.Bytes())
}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // HTTP/2: abort the stream instead
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// maxLogged bounds the request log of a long-running sandbox.
const maxLogged = 20000

func (s *Server) record(e *LoggedRequest) {
	fault := ""
	if e.Fault != "" {
		fault = " (fault " + e.Fault + ")"
	}
	s.logf("%s %s?%s -> %d%s", e.Method, e.Path, e.Query, e.Status, fault)
	s.mu.Lock()
	if len(s.requests) >= maxLogged {
		s.requests = append(s.requests[:0:0], s.requests[len(s.requests)-maxLogged/2:]...)
	}
	s.requests = append(s.requests, *e)
	s.mu.Unlock()
}

func redact(h http.Header) http.Header {
	out := h.Clone()
	if out.Get("Authorization") != "" {
		kind, _, _ := strings.Cut(out.Get("Authorization"), " ")
		out.Set("Authorization", kind+" [redacted]")
	}
	return out
}

func (s *Server) route(c *call) {
	p := c.r.URL.Path
	switch {
	case strings.HasPrefix(p, apiPrefix+"/"):
		s.serveAPI(c)
	case p == "/identity/connect/authorize":
		s.serveAuthorize(c)
	case p == "/connect/token":
		s.serveToken(c)
	case p == "/connect/revocation":
		s.serveRevocation(c)
	case p == "/connections" || strings.HasPrefix(p, "/connections/") || p == "/Connections":
		s.serveConnections(c)
	case p == "/.well-known/openid-configuration":
		s.serveDiscovery(c)
	case p == "/":
		s.serveIndex(c)
	default:
		writeProblem(c.w, http.StatusNotFound, "NotFound", "The resource you're looking for cannot be found")
	}
}

const apiPrefix = "/api.xro/2.0"

var idSegment = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// counterKey names an endpoint for Calls(): "PUT /Invoices",
// "GET /Invoices/{id}", "PUT /CreditNotes/{id}/Allocations",
// "POST /connect/token", "DELETE /connections/{id}".
func counterKey(method, path string) string {
	p := strings.TrimPrefix(path, apiPrefix)
	parts := strings.Split(strings.Trim(p, "/"), "/")
	for i := 1; i < len(parts); i++ {
		if idSegment.MatchString(parts[i]) || (i == 1 && !isSubResource(parts[i])) {
			parts[i] = "{id}"
		}
	}
	if p == path && len(parts) > 1 && parts[0] != "connections" {
		return method + " " + path // identity paths keep their words
	}
	return method + " /" + strings.Join(parts, "/")
}

func isSubResource(s string) bool {
	switch s {
	case "Actions", "History", "Allocations", "connect", "authorize", "token", "revocation":
		return true
	}
	return false
}

// Calls returns how many requests each endpoint received, keyed like
// "PUT /Invoices", "GET /Invoices/{id}" or "POST /connect/token".
func (s *Server) Calls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.calls))
	for k, v := range s.calls {
		out[k] = v
	}
	return out
}

// Requests returns the requests answered so far, oldest first (a
// long-running sandbox keeps the latest 10,000 to 20,000).
func (s *Server) Requests() []LoggedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]LoggedRequest(nil), s.requests...)
}

// ResetCounters clears the call counters and the request log (not the
// books, tokens or rate-limit windows).
func (s *Server) ResetCounters() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = map[string]int{}
	s.requests = nil
}
