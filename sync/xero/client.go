// Package xero is the exporter's connection to Xero: signing in with OAuth 2
// in the browser (PKCE or client secret, loopback callback), keeping and
// renewing tokens, choosing the organisation (tenant), and the Accounting API
// calls the export needs — in batches, within Xero's rate limits, with
// retries and typed errors that say in plain words what went wrong.
package xero

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
)

// Scope sets to ask Xero for.
const (
	// ScopesGranular is for Xero apps created from March 2026 (and all apps
	// from September 2027).
	ScopesGranular = "offline_access accounting.contacts accounting.invoices accounting.payments accounting.settings.read"
	// ScopesLegacy is the older broad set, still accepted for older apps.
	ScopesLegacy = "offline_access accounting.transactions accounting.contacts accounting.settings"
)

// DefaultRedirectPort is the loopback port of the redirect URI when none is
// set. It lies below the ranges systems hand out to outgoing connections
// (Linux 32768–60999, Windows and macOS 49152–65535), so no outgoing
// connection of this or another program can be holding it.
const DefaultRedirectPort = 28512

// Real Xero's addresses.
const (
	xeroAuthorize   = "https://login.xero.com/identity/connect/authorize"
	xeroToken       = "https://identity.xero.com/connect/token"
	xeroRevocation  = "https://identity.xero.com/connect/revocation"
	xeroConnections = "https://api.xero.com/connections"
	xeroAPI         = "https://api.xero.com/api.xro/2.0"
)

// Options configure a Client.
type Options struct {
	// ClientID of the Xero app (required).
	ClientID string
	// ClientSecret only for a "Web app"; empty for "Auth Code with PKCE".
	ClientSecret string
	// BaseURL sends every call (sign-in, tokens, connections, accounting)
	// to this host under Xero's own paths; empty means real Xero.
	BaseURL string
	// RedirectPort is the port of http://localhost:PORT/callback; 0 means
	// DefaultRedirectPort.
	RedirectPort int
	// LegacyScopes asks for ScopesLegacy instead of ScopesGranular.
	LegacyScopes bool
	// TenantID is the organisation accounting calls go to.
	TenantID string
	// Store keeps the tokens (required).
	Store TokenStore
	// HTTPClient makes the calls; nil means a client with a 2-minute timeout.
	HTTPClient *http.Client
	// Open shows a URL in the browser; nil means the system browser.
	Open func(url string) error
	// Clock tells time and waits; nil means the real clock.
	Clock Clock
	// MaxAttempts bounds tries of a call that meets 5xx or network errors;
	// 0 means 5.
	MaxAttempts int
	// Logf receives one line per retry or wait; nil discards them. Tokens
	// and secrets never reach it.
	Logf func(format string, args ...any)
}

// Budget is what Xero last said about the calls left for the organisation.
type Budget struct {
	// DayRemaining is calls left today; -1 when not yet known.
	DayRemaining int
	// MinuteRemaining is calls left this minute; -1 when not yet known.
	MinuteRemaining int
	// At is when Xero said so.
	At time.Time
}

// Client talks to Xero for one app and one sign-in. It is safe for
// concurrent use.
type Client struct {
	opts        Options
	ep          endpoints
	issuer      string // who issues this client's tokens; see issuerOf
	http        *http.Client
	clock       Clock
	oauth       *oauth2.Config
	maxAttempts int

	tokMu sync.Mutex // held while loading or renewing the token
	tok   *Token

	calls atomic.Int64 // HTTP exchanges made, for reports

	mu       sync.Mutex // guards the fields below
	tenant   string
	limiters map[string]*limiter
	budget   Budget
}

type endpoints struct{ authorize, token, revocation, connections, api string }

func endpointsFor(base string) endpoints {
	if base == "" {
		return endpoints{xeroAuthorize, xeroToken, xeroRevocation, xeroConnections, xeroAPI}
	}
	base = strings.TrimRight(base, "/")
	return endpoints{
		authorize:   base + "/identity/connect/authorize",
		token:       base + "/connect/token",
		revocation:  base + "/connect/revocation",
		connections: base + "/connections",
		api:         base + "/api.xro/2.0",
	}
}

// New makes a Client. It does not contact Xero.
func New(opts Options) (*Client, error) {
	if opts.ClientID == "" {
		return nil, errors.New("xero: no client ID; set xero.client_id to the Client ID of your Xero app")
	}
	if opts.Store == nil {
		return nil, errors.New("xero: no token store")
	}
	if opts.BaseURL != "" {
		if err := CheckBaseURL(opts.BaseURL); err != nil {
			return nil, fmt.Errorf("xero: base URL %q: %w", opts.BaseURL, err)
		}
	}
	if opts.RedirectPort == 0 {
		opts.RedirectPort = DefaultRedirectPort
	}
	if opts.RedirectPort < 1 || opts.RedirectPort > 65535 {
		return nil, fmt.Errorf("xero: redirect port %d is not a port number", opts.RedirectPort)
	}
	c := &Client{
		opts:        opts,
		ep:          endpointsFor(opts.BaseURL),
		issuer:      issuerOf(opts.BaseURL),
		http:        opts.HTTPClient,
		clock:       opts.Clock,
		maxAttempts: opts.MaxAttempts,
		tenant:      opts.TenantID,
		limiters:    map[string]*limiter{},
		budget:      Budget{DayRemaining: -1, MinuteRemaining: -1},
	}
	if c.http == nil {
		c.http = &http.Client{Timeout: 2 * time.Minute}
	}
	if c.clock == nil {
		c.clock = SystemClock()
	}
	if c.maxAttempts <= 0 {
		c.maxAttempts = 5
	}
	scopes := ScopesGranular
	if opts.LegacyScopes {
		scopes = ScopesLegacy
	}
	style := oauth2.AuthStyleInParams // PKCE: client_id in the form, no secret
	if opts.ClientSecret != "" {
		style = oauth2.AuthStyleInHeader // Web app: HTTP Basic with the secret
	}
	c.oauth = &oauth2.Config{
		ClientID:     opts.ClientID,
		ClientSecret: opts.ClientSecret,
		Endpoint:     oauth2.Endpoint{AuthURL: c.ep.authorize, TokenURL: c.ep.token, AuthStyle: style},
		RedirectURL:  RedirectURI(opts.RedirectPort),
		Scopes:       strings.Fields(scopes),
	}
	return c, nil
}

// RedirectURI is the exact redirect URI to register with the Xero app for
// the given port.
func RedirectURI(port int) string { return "http://localhost:" + strconv.Itoa(port) + "/callback" }

// RedirectURI is the redirect URI this client signs in with.
func (c *Client) RedirectURI() string { return c.oauth.RedirectURL }

// Scopes is the space-separated scope list the client asks for.
func (c *Client) Scopes() string { return strings.Join(c.oauth.Scopes, " ") }

// Tenant is the organisation accounting calls go to.
func (c *Client) Tenant() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tenant
}

// SetTenant chooses the organisation accounting calls go to.
func (c *Client) SetTenant(tenantID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tenant = tenantID
}

// Calls counts the HTTP exchanges with Xero so far (retries included:
// each counts against Xero's limits).
func (c *Client) Calls() int64 { return c.calls.Load() }

// Budget is what Xero last said about the calls left.
func (c *Client) Budget() Budget {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.budget
}

func (c *Client) logf(format string, args ...any) {
	if c.opts.Logf != nil {
		c.opts.Logf(format, args...)
	}
}

func (c *Client) limiterFor(tenant string) *limiter {
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.limiters[tenant]
	if l == nil {
		l = newLimiter(c.clock)
		c.limiters[tenant] = l
	}
	return l
}

// noteBudget records Xero's remaining-calls headers.
func (c *Client) noteBudget(h http.Header) {
	day, dok := headerInt(h, "X-DayLimit-Remaining")
	minute, mok := headerInt(h, "X-MinLimit-Remaining")
	if !dok && !mok {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if dok {
		c.budget.DayRemaining = day
	}
	if mok {
		c.budget.MinuteRemaining = minute
	}
	c.budget.At = c.clock.Now()
}

func headerInt(h http.Header, name string) (int, bool) {
	v, err := strconv.Atoi(strings.TrimSpace(h.Get(name)))
	return v, err == nil
}

// request is one call to Xero.
type request struct {
	method  string
	url     string
	query   url.Values
	body    []byte
	idemKey string
	// tenant, when set, goes in xero-tenant-id and selects the rate limiter.
	tenant string
	// what names the call in messages, e.g. "PUT /Invoices".
	what string
	// modifiedSince, when set, goes in If-Modified-Since: only records
	// changed after it are returned.
	modifiedSince time.Time
}

const (
	maxRateLimitWaits = 20
	maxResponseBytes  = 64 << 20
)

// do sends r, renewing the token once on 401, waiting on 429 and retrying
// 5xx and network errors, and returns the body of a 2xx answer.
func (c *Client) do(ctx context.Context, r request) ([]byte, error) {
	attempts, waits := 0, 0
	renewed := false
	for {
		release := func() {}
		if r.tenant != "" {
			var err error
			if release, err = c.limiterFor(r.tenant).acquire(ctx); err != nil {
				return nil, err
			}
		}
		tok, err := c.accessToken(ctx)
		if err != nil {
			release()
			return nil, err
		}
		status, hdr, body, err := c.roundTrip(ctx, r, tok)
		release()
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			attempts++
			if attempts >= c.maxAttempts {
				return nil, &TransientError{Attempts: attempts, Err: err}
			}
			if err := c.pause(ctx, r.what, "network error", backoff(attempts, time.Second, 30*time.Second), attempts); err != nil {
				return nil, err
			}
			continue
		}
		c.noteBudget(hdr)
		switch {
		case status >= 200 && status < 300:
			return body, nil
		case status == http.StatusUnauthorized:
			if renewed {
				return nil, &AuthError{Reason: AuthRevoked}
			}
			renewed = true
			if err := c.renew(ctx, tok); err != nil {
				return nil, err
			}
		case status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable && isOldRateLimit(body):
			rl := rateLimitFrom(hdr, c.clock.Now())
			waits++
			if rl.Problem == LimitDay || waits > maxRateLimitWaits {
				return nil, rl
			}
			if err := c.pause(ctx, r.what, rl.Problem+" rate limit", rl.RetryAfter, waits); err != nil {
				return nil, err
			}
		case status >= 500:
			attempts++
			if attempts >= c.maxAttempts {
				return nil, &TransientError{Status: status, Attempts: attempts, Err: errors.New(errorDetail(body))}
			}
			if err := c.pause(ctx, r.what, "Xero error "+strconv.Itoa(status), backoff(attempts, time.Second, 30*time.Second), attempts); err != nil {
				return nil, err
			}
		default:
			return nil, decodeError(status, body, r.what)
		}
	}
}

func (c *Client) pause(ctx context.Context, what, why string, d time.Duration, n int) error {
	c.logf("xero: %s: %s, waiting %s (try %d)", what, why, d.Round(time.Millisecond), n+1)
	return c.clock.Sleep(ctx, d)
}

// roundTrip makes one HTTP exchange.
func (c *Client) roundTrip(ctx context.Context, r request, accessToken string) (int, http.Header, []byte, error) {
	u := r.url
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("xero: %s: %w", r.what, err)
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.tenant != "" {
		req.Header.Set("xero-tenant-id", r.tenant)
	}
	if r.idemKey != "" {
		req.Header.Set("Idempotency-Key", r.idemKey)
	}
	if !r.modifiedSince.IsZero() {
		req.Header.Set("If-Modified-Since", r.modifiedSince.UTC().Format(time.RFC3339))
	}
	c.calls.Add(1)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("xero: %s: %w", r.what, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("xero: %s: reading the answer: %w", r.what, err)
	}
	return resp.StatusCode, resp.Header, b, nil
}

// rateLimitFrom reads a 429's headers.
func rateLimitFrom(h http.Header, now time.Time) *RateLimitError {
	problem := strings.ToLower(strings.TrimSpace(h.Get("X-Rate-Limit-Problem")))
	switch {
	case strings.HasPrefix(problem, "day") || problem == "daily":
		problem = LimitDay
	case strings.Contains(problem, "concurrent"):
		problem = LimitConcurrent
	default:
		problem = LimitMinute
	}
	wait := retryAfter(h.Get("Retry-After"), now)
	if problem != LimitDay {
		wait = min(wait, maxRateLimitWait)
	}
	return &RateLimitError{Problem: problem, RetryAfter: wait, Reset: now.Add(wait)}
}

// Bounds on what a Retry-After header can make the client do.
const (
	// maxRateLimitWait is the longest wait for a minute or concurrency
	// limit (Xero's minute limit resets within 60 seconds); a longer
	// Retry-After is taken as this.
	maxRateLimitWait = 5 * time.Minute
	// maxRetryAfter bounds any Retry-After read (a day limit is reported,
	// never slept on), so no value overflows a time.Duration.
	maxRetryAfter = 24 * time.Hour
)

// retryAfter reads a Retry-After value: seconds or an HTTP date, at most
// maxRetryAfter; a missing, negative, past or unreadable value means one
// second.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			return time.Second
		}
		return time.Duration(min(s, int64(maxRetryAfter/time.Second))) * time.Second
	}
	if isDigits(v) { // too many digits for an int64: a huge wait
		return maxRetryAfter
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), maxRetryAfter)
	}
	return time.Second
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// isOldRateLimit recognises Xero's older 503 rate-limit answer.
func isOldRateLimit(body []byte) bool {
	return bytes.Contains(bytes.ToLower(body), []byte("rate limit exceeded"))
}
