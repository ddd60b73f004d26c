package xerotest

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// OAuth 2.0 as Xero's identity service does it [XERO.md §1].

const (
	codeTTL         = 5 * time.Minute     // [XERO.md §1.2]: single use, ~5 min
	refreshGrace    = 30 * time.Minute    // old refresh token still works this long after rotation [XERO.md §1.4]
	refreshUnusedTT = 60 * 24 * time.Hour // unused refresh tokens expire after 60 days
	// DefaultWebClientID and DefaultWebClientSecret are the Web app the
	// sandbox accepts when Options.Clients is nil.
	DefaultWebClientID     = "sandbox-web"
	DefaultWebClientSecret = "sandbox-secret"
)

type authState struct {
	codes   map[string]*authCode
	grants  map[string]*grant
	refresh map[string]*refreshToken
	access  map[string]*accessToken
}

func (a *authState) init() {
	a.codes, a.grants = map[string]*authCode{}, map[string]*grant{}
	a.refresh, a.access = map[string]*refreshToken{}, map[string]*accessToken{}
}

type authCode struct {
	clientID, redirectURI, scope, challenge string
	tenants                                 []string
	expires                                 time.Time
	used                                    bool
}

// grant is one consent: a user's authorisation of an app for some tenants.
type grant struct {
	ID          string       `json:"id"`
	AuthEventID string       `json:"authEventId"`
	ClientID    string       `json:"clientId"`
	Scope       string       `json:"scope"`
	UserID      string       `json:"userId"`
	Connections []connection `json:"connections"`
	Revoked     bool         `json:"revoked,omitempty"`
}

type connection struct {
	ID       string    `json:"id"`
	TenantID string    `json:"tenantId"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
}

type refreshToken struct {
	GrantID   string    `json:"grantId"`
	Issued    time.Time `json:"issued"`
	RotatedAt time.Time `json:"rotatedAt,omitzero"`
}

type accessToken struct {
	GrantID string    `json:"grantId"`
	Expires time.Time `json:"expires"`
	Gen     int       `json:"gen"`
}

func (g *grant) hasScope(any ...string) bool {
	have := strings.Fields(g.Scope)
	for _, want := range any {
		if slices.Contains(have, want) {
			return true
		}
	}
	return false
}

func (g *grant) connectedTo(tenantID string) bool {
	for _, c := range g.Connections {
		if strings.EqualFold(c.TenantID, tenantID) {
			return true
		}
	}
	return false
}

// knownScopes are the scopes the sandbox accepts, broad and granular [XERO.md §1.5].
var knownScopes = map[string]bool{
	"openid": true, "profile": true, "email": true, "offline_access": true,
	"accounting.transactions": true, "accounting.transactions.read": true,
	"accounting.settings": true, "accounting.settings.read": true,
	"accounting.contacts": true, "accounting.contacts.read": true,
	"accounting.invoices": true, "accounting.invoices.read": true,
	"accounting.payments": true, "accounting.payments.read": true,
	"accounting.banktransactions": true, "accounting.banktransactions.read": true,
	"accounting.manualjournals": true, "accounting.manualjournals.read": true,
	"accounting.attachments": true, "accounting.attachments.read": true,
	"accounting.journals.read": true, "accounting.budgets.read": true, "accounting.reports.read": true,
	"accounting.reports.aged.read": true, "accounting.reports.balancesheet.read": true,
	"accounting.reports.banksummary.read": true, "accounting.reports.budgetsummary.read": true,
	"accounting.reports.executivesummary.read": true, "accounting.reports.profitandloss.read": true,
	"accounting.reports.trialbalance.read": true, "accounting.reports.taxreports.read": true,
}

// client returns the registered secret of clientID ("" for a PKCE app).
func (s *Server) client(clientID string) (secret string, ok bool) {
	if clientID == "" {
		return "", false
	}
	if s.opts.Clients == nil {
		if clientID == DefaultWebClientID {
			return DefaultWebClientSecret, true
		}
		return "", true
	}
	secret, ok = s.opts.Clients[clientID]
	return secret, ok
}

// validRedirect: absolute, https, or http to localhost/127.0.0.1/[::1] [XERO.md §1.3].
func validRedirect(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Fragment != "" {
		return false
	}
	switch u.Scheme {
	case "https":
		return true
	case "http":
		h := u.Hostname()
		return h == "localhost" || h == "127.0.0.1" || h == "::1"
	}
	return false
}

var pkceChars = regexp.MustCompile(`^[A-Za-z0-9\-._~]{43,128}$`)

// authRequest is a checked authorize request.
type authRequest struct {
	v                                       url.Values
	clientID, redirectURI, scope, challenge string
}

// checkAuthorize validates an authorize request. A non-nil page error means
// the browser gets an error page (client or redirect_uri bad); otherwise a
// non-empty oauthErr is sent back to the redirect_uri.
//
//lint:ignore ST1008 two outcomes for two audiences: the page error for the browser, the OAuth error for the app
func (s *Server) checkAuthorize(v url.Values) (ar authRequest, pageErr error, oauthErr, desc string) {
	ar = authRequest{v: v, clientID: v.Get("client_id"), redirectURI: v.Get("redirect_uri"),
		scope: strings.Join(strings.Fields(v.Get("scope")), " "), challenge: v.Get("code_challenge")}
	secret, ok := s.client(ar.clientID)
	if !ok {
		return ar, fmt.Errorf("unauthorized_client : Unknown client or client not enabled"), "", ""
	}
	if !validRedirect(ar.redirectURI) {
		return ar, fmt.Errorf("unauthorized_client : Invalid redirect_uri"), "", ""
	}
	if v.Get("response_type") != "code" {
		return ar, nil, "unsupported_response_type", "response_type must be code"
	}
	if ar.scope == "" {
		return ar, nil, "invalid_scope", "scope is required"
	}
	for _, sc := range strings.Fields(ar.scope) {
		if !knownScopes[sc] {
			return ar, nil, "invalid_scope", "unknown scope " + sc
		}
		if s.opts.GranularScopesOnly && (sc == "accounting.transactions" || sc == "accounting.transactions.read" || sc == "accounting.reports.read") {
			return ar, nil, "unauthorized_client", "this app must use granular scopes, not " + sc
		}
	}
	if ar.challenge != "" || secret == "" {
		if ar.challenge == "" {
			return ar, nil, "invalid_request", "code challenge required"
		}
		if v.Get("code_challenge_method") != "S256" {
			return ar, nil, "invalid_request", "code_challenge_method must be S256"
		}
		if !pkceChars.MatchString(ar.challenge) {
			return ar, nil, "invalid_request", "invalid code_challenge"
		}
	}
	return ar, nil, "", ""
}

func redirectTo(c *call, base string, params map[string]string) {
	u, _ := url.Parse(base)
	q := u.Query()
	for k, v := range params {
		if v != "" {
			q.Set(k, v)
		}
	}
	u.RawQuery = q.Encode()
	c.w.Header().Set("Location", u.String())
	c.w.WriteHeader(http.StatusFound)
}

func (s *Server) serveAuthorize(c *call) {
	var v url.Values
	switch c.r.Method {
	case http.MethodGet:
		v = c.r.URL.Query()
	case http.MethodPost:
		var err error
		if v, err = url.ParseQuery(string(c.body)); err != nil {
			s.errorPage(c, http.StatusBadRequest, "invalid_request : "+err.Error())
			return
		}
	default:
		c.w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	ar, pageErr, oauthErr, desc := s.checkAuthorize(v)
	state := v.Get("state")
	switch {
	case pageErr != nil:
		s.errorPage(c, http.StatusBadRequest, pageErr.Error())
		return
	case oauthErr != "":
		redirectTo(c, ar.redirectURI, map[string]string{"error": oauthErr, "error_description": desc, "state": state})
		return
	}
	var tenants []string
	switch {
	case c.r.Method == http.MethodGet && s.opts.AutoApprove:
		tenants = s.tenantIDs()
	case c.r.Method == http.MethodGet:
		s.consentPage(c, ar, "")
		return
	case v.Get("decision") != "allow":
		redirectTo(c, ar.redirectURI, map[string]string{"error": "access_denied", "state": state})
		return
	default:
		for _, id := range v["tenant"] {
			if o := s.org(id); o != nil && !slices.Contains(tenants, o.ID) {
				tenants = append(tenants, o.ID)
			}
		}
		if len(tenants) == 0 {
			s.consentPage(c, ar, "Choose at least one organisation to connect.")
			return
		}
	}
	code := randomToken(32)
	s.mu.Lock()
	s.auth.codes[code] = &authCode{clientID: ar.clientID, redirectURI: ar.redirectURI, scope: ar.scope,
		challenge: ar.challenge, tenants: tenants, expires: s.now().Add(codeTTL)}
	s.mu.Unlock()
	redirectTo(c, ar.redirectURI, map[string]string{"code": code, "scope": ar.scope, "state": state, "session_state": randomToken(16)})
}

func (s *Server) tenantIDs() []string {
	ids := make([]string, len(s.tenants))
	for i, o := range s.tenants {
		ids[i] = o.ID
	}
	return ids
}

var consentTmpl = template.Must(template.New("consent").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Xero sandbox – Allow access</title>
<style>body{font-family:system-ui,sans-serif;background:#f4f6f8;margin:0}main{max-width:32rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.3rem}ul{padding-left:1.2rem}.orgs label{display:block;margin:.3rem 0}.err{color:#b00020}
button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem;border-radius:4px;border:1px solid #13b5ea;cursor:pointer}
.allow{background:#13b5ea;color:#fff}.deny{background:#fff;color:#13b5ea}small{color:#666}</style></head>
<body><main>
<h1><strong>{{.ClientID}}</strong> wants to access your Xero data</h1>
<p>It asks for:</p><ul>{{range .Scopes}}<li>{{.}}</li>{{end}}</ul>
<form method="post" action="/identity/connect/authorize">
{{range $k, $vs := .Params}}{{range $vs}}<input type="hidden" name="{{$k}}" value="{{.}}">{{end}}{{end}}
<fieldset class="orgs"><legend>Organisations to connect</legend>
{{range $i, $t := .Tenants}}<label><input type="checkbox" name="tenant" value="{{$t.ID}}"{{if eq $i 0}} checked{{end}}> {{$t.Name}}</label>{{end}}
</fieldset>
{{if .Message}}<p class="err">{{.Message}}</p>{{end}}
<p><button class="allow" type="submit" name="decision" value="allow">Allow access</button>
<button class="deny" type="submit" name="decision" value="deny">Cancel</button></p>
<small>Local Xero sandbox – nothing leaves this computer.</small>
</form></main></body></html>`))

func (s *Server) consentPage(c *call, ar authRequest, msg string) {
	params := url.Values{}
	for k, vs := range ar.v {
		if k != "decision" && k != "tenant" {
			params[k] = vs
		}
	}
	s.mu.Lock()
	tenants := make([]Tenant, len(s.tenants))
	for i, o := range s.tenants {
		tenants[i] = o.Tenant
	}
	s.mu.Unlock()
	c.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	c.w.WriteHeader(http.StatusOK)
	_ = consentTmpl.Execute(c.w, map[string]any{"ClientID": ar.clientID, "Scopes": strings.Fields(ar.scope),
		"Params": params, "Tenants": tenants, "Message": msg})
}

func (s *Server) errorPage(c *call, status int, msg string) {
	c.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	c.w.WriteHeader(status)
	_, _ = fmt.Fprintf(c.w, "<!doctype html><html><head><title>Error</title></head><body><h1>Sorry, something went wrong</h1><p>Error: %s</p></body></html>", template.HTMLEscapeString(msg))
}

func oauthError(c *call, status int, code, desc string) {
	c.w.Header().Set("Cache-Control", "no-store")
	body := map[string]string{"error": code}
	if desc != "" {
		body["error_description"] = desc
	}
	writeJSON(c.w, status, body)
}

// clientForm reads the form of a POST to the token or revocation endpoint
// and authenticates its client; it answers the error itself when not ok.
func (s *Server) clientForm(c *call) (form url.Values, clientID string, ok bool) {
	if c.r.Method != http.MethodPost {
		oauthError(c, http.StatusMethodNotAllowed, "invalid_request", "POST required")
		return nil, "", false
	}
	form, err := url.ParseQuery(string(c.body))
	if err != nil {
		oauthError(c, http.StatusBadRequest, "invalid_request", err.Error())
		return nil, "", false
	}
	clientID, ok = s.clientAuth(c, form)
	return form, clientID, ok
}

// clientAuth reads client credentials (HTTP Basic, or client_id and
// client_secret in the form) and checks them; it answers 401 invalid_client
// on failure.
func (s *Server) clientAuth(c *call, form url.Values) (clientID string, ok bool) {
	id, secret, basic := c.r.BasicAuth()
	if basic {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = form.Get("client_id"), form.Get("client_secret")
	}
	want, known := s.client(id)
	if !known || (want != "" && subtle.ConstantTimeCompare([]byte(want), []byte(secret)) != 1) {
		oauthError(c, http.StatusUnauthorized, "invalid_client", "")
		return "", false
	}
	return id, true
}

func (s *Server) serveToken(c *call) {
	form, clientID, ok := s.clientForm(c)
	if !ok {
		return
	}
	defer s.saveState() // runs after the unlock below
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	var g *grant
	switch form.Get("grant_type") {
	case "authorization_code":
		code := s.auth.codes[form.Get("code")]
		switch {
		case code == nil || code.used || now.After(code.expires) || code.clientID != clientID:
			oauthError(c, http.StatusBadRequest, "invalid_grant", "")
			return
		case form.Get("redirect_uri") != code.redirectURI:
			oauthError(c, http.StatusBadRequest, "invalid_grant", "redirect_uri does not match")
			return
		case code.challenge != "" && !pkceMatches(form.Get("code_verifier"), code.challenge):
			oauthError(c, http.StatusBadRequest, "invalid_grant", "invalid code_verifier")
			return
		}
		code.used = true
		g = s.newGrant(clientID, code.scope, code.tenants, now)
	case "refresh_token":
		rt := s.auth.refresh[form.Get("refresh_token")]
		if rt == nil {
			oauthError(c, http.StatusBadRequest, "invalid_grant", "")
			return
		}
		g = s.auth.grants[rt.GrantID]
		expired := now.After(rt.Issued.Add(refreshUnusedTT)) || (!rt.RotatedAt.IsZero() && now.After(rt.RotatedAt.Add(refreshGrace)))
		if g == nil || g.Revoked || g.ClientID != clientID || expired {
			oauthError(c, http.StatusBadRequest, "invalid_grant", "")
			return
		}
		if rt.RotatedAt.IsZero() {
			rt.RotatedAt = now
		}
	default:
		oauthError(c, http.StatusBadRequest, "unsupported_grant_type", "")
		return
	}
	c.w.Header().Set("Cache-Control", "no-store")
	writeJSON(c.w, http.StatusOK, s.issueTokens(g, now))
}

// newGrant records a user's consent for clientID on tenants; s.mu is held.
func (s *Server) newGrant(clientID, scope string, tenants []string, now time.Time) *grant {
	g := &grant{ID: newID(), AuthEventID: newID(), ClientID: clientID, Scope: scope, UserID: stableID(clientID, "user")}
	for _, t := range tenants {
		g.Connections = append(g.Connections, connection{ID: newID(), TenantID: t, Created: now, Updated: now})
	}
	s.auth.grants[g.ID] = g
	return g
}

// Token is the token endpoint's answer.
type Token struct {
	AccessToken  string `json:"access_token"`
	ExpiresIn    int    `json:"expires_in"`
	TokenType    string `json:"token_type"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope"`
	IDToken      string `json:"id_token,omitempty"`
}

// issueTokens makes the tokens of one token call; s.mu is held.
func (s *Server) issueTokens(g *grant, now time.Time) Token {
	s.pruneTokens(now)
	t := Token{AccessToken: s.issueAccess(g, now), ExpiresIn: int(s.opts.AccessTokenTTL.Seconds()), TokenType: "Bearer", Scope: g.Scope}
	if g.hasScope("offline_access") {
		t.RefreshToken = randomToken(32)
		s.auth.refresh[t.RefreshToken] = &refreshToken{GrantID: g.ID, Issued: now}
	}
	if g.hasScope("openid") {
		t.IDToken = s.jwt(map[string]any{"iss": s.URL + "/identity", "aud": g.ClientID, "sub": g.UserID,
			"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "xero_userid": g.UserID,
			"email": "demo@example.com", "given_name": "Demo", "family_name": "User"})
	}
	return t
}

// Connect grants clientID access to tenantIDs (every tenant when none are
// given) as if a person had approved the consent page, and returns the
// tokens, for tests that are not about logging in. scope "" means the
// granular exporter set.
func (s *Server) Connect(clientID, scope string, tenantIDs ...string) (Token, error) {
	if _, ok := s.client(clientID); !ok {
		return Token{}, fmt.Errorf("xerotest: unknown client %q", clientID)
	}
	if scope == "" {
		scope = "offline_access accounting.contacts accounting.invoices accounting.payments accounting.settings.read"
	}
	for _, sc := range strings.Fields(scope) {
		if !knownScopes[sc] {
			return Token{}, fmt.Errorf("xerotest: unknown scope %q", sc)
		}
	}
	if len(tenantIDs) == 0 {
		tenantIDs = s.tenantIDs()
	}
	var ids []string
	for _, id := range tenantIDs {
		o := s.org(id)
		if o == nil {
			return Token{}, fmt.Errorf("xerotest: unknown tenant %q", id)
		}
		ids = append(ids, o.ID)
	}
	s.mu.Lock()
	now := s.now()
	t := s.issueTokens(s.newGrant(clientID, strings.Join(strings.Fields(scope), " "), ids, now), now)
	s.mu.Unlock()
	s.saveState()
	return t, nil
}

// jwtExpiry reads the exp claim of a JWT-shaped token.
func jwtExpiry(tok string) (time.Time, bool) {
	parts := strings.Split(strings.TrimSpace(tok), ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	var claims struct {
		Exp int64 `json:"exp"`
	}
	if err != nil || json.Unmarshal(b, &claims) != nil || claims.Exp == 0 {
		return time.Time{}, false
	}
	return time.Unix(claims.Exp, 0), true
}

func pkceMatches(verifier, challenge string) bool {
	if !pkceChars.MatchString(verifier) {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	return subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(challenge)) == 1
}

// pruneTokens forgets codes, access tokens and refresh tokens that can no
// longer be used; s.mu is held.
func (s *Server) pruneTokens(now time.Time) {
	for k, c := range s.auth.codes {
		if c.used || now.After(c.expires) {
			delete(s.auth.codes, k)
		}
	}
	for k, at := range s.auth.access {
		if now.After(at.Expires) {
			delete(s.auth.access, k)
		}
	}
	for k, rt := range s.auth.refresh {
		if (!rt.RotatedAt.IsZero() && now.After(rt.RotatedAt.Add(refreshGrace))) || now.After(rt.Issued.Add(refreshUnusedTT)) {
			delete(s.auth.refresh, k)
		}
	}
}

// issueAccess makes a JWT-shaped access token; s.mu is held.
func (s *Server) issueAccess(g *grant, now time.Time) string {
	exp := now.Add(s.opts.AccessTokenTTL)
	tok := s.jwt(map[string]any{"nbf": now.Unix(), "exp": exp.Unix(), "iss": s.URL + "/identity",
		"aud": s.URL + "/identity/resources", "client_id": g.ClientID, "sub": g.UserID, "auth_time": now.Unix(),
		"xero_userid": g.UserID, "global_session_id": g.ID, "jti": newID(), "authentication_event_id": g.AuthEventID,
		"scope": strings.Fields(g.Scope)})
	s.auth.access[tok] = &accessToken{GrantID: g.ID, Expires: exp, Gen: s.tokenGen}
	return tok
}

// jwt builds an unsigned-looking JWT (random signature): clients may decode
// the claims but must treat it as opaque.
func (s *Server) jwt(claims map[string]any) string {
	h, _ := json.Marshal(map[string]string{"alg": "RS256", "kid": "sandbox", "typ": "JWT"})
	p, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding.EncodeToString
	return enc(h) + "." + enc(p) + "." + randomToken(32)
}

func (s *Server) serveRevocation(c *call) {
	form, clientID, ok := s.clientForm(c)
	if !ok {
		return
	}
	s.mu.Lock()
	tok := form.Get("token")
	var g *grant
	if rt := s.auth.refresh[tok]; rt != nil {
		g = s.auth.grants[rt.GrantID]
	} else if at := s.auth.access[tok]; at != nil {
		g = s.auth.grants[at.GrantID]
	}
	if g != nil && g.ClientID == clientID {
		g.Revoked = true
		g.Connections = nil
	}
	s.mu.Unlock()
	s.saveState()
	c.w.WriteHeader(http.StatusOK)
}

// bearer checks the access token of an Accounting or connections call and
// answers 401 when it is missing, unknown, revoked or expired.
func (s *Server) bearer(c *call) (*grant, bool) {
	kind, tok, _ := strings.Cut(c.r.Header.Get("Authorization"), " ")
	s.mu.Lock()
	defer s.mu.Unlock()
	at := s.auth.access[strings.TrimSpace(tok)]
	var g *grant
	if at != nil {
		g = s.auth.grants[at.GrantID]
	}
	now := s.now()
	if exp, ok := jwtExpiry(tok); at == nil && ok && !now.Before(exp) {
		// A token of ours that was forgotten after it expired.
		at, g = &accessToken{Expires: exp}, &grant{}
	}
	if !strings.EqualFold(kind, "Bearer") || at == nil || g == nil || g.Revoked {
		writeProblem(c.w, http.StatusUnauthorized, "Unauthorized", "AuthenticationUnsuccessful")
		return nil, false
	}
	expiredAt := at.Expires
	switch {
	case c.fault != nil && c.fault.Kind == FaultExpireToken:
		expiredAt = now
	case at.Gen < s.tokenGen:
	case now.Before(at.Expires):
		return g, true
	}
	if expiredAt.After(now) {
		expiredAt = now
	}
	c.w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="The access token expired"`)
	writeProblem(c.w, http.StatusUnauthorized, "Unauthorized", "TokenExpired: token expired at "+expiredAt.UTC().Format("01/02/2006 15:04:05"))
	return nil, false
}

// ExpireAccessTokens makes every access token issued so far answer 401
// TokenExpired; tokens issued afterwards work.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	s.tokenGen++
	s.mu.Unlock()
	s.saveState()
}

func (s *Server) serveConnections(c *call) {
	g, ok := s.bearer(c)
	if !ok {
		return
	}
	id := strings.TrimPrefix(strings.TrimPrefix(c.r.URL.Path, "/connections"), "/")
	defer s.saveState() // runs after the unlock below
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case c.r.Method == http.MethodGet && id == "":
		out := []map[string]any{}
		for _, cn := range g.Connections {
			if e := c.r.URL.Query().Get("authEventId"); e != "" && !strings.EqualFold(e, g.AuthEventID) {
				continue
			}
			name := ""
			if o := s.org(cn.TenantID); o != nil {
				name = o.Name
			}
			out = append(out, map[string]any{"id": cn.ID, "authEventId": g.AuthEventID, "tenantId": cn.TenantID,
				"tenantType": "ORGANISATION", "tenantName": name,
				"createdDateUtc": cn.Created.UTC().Format("2006-01-02T15:04:05.0000000"),
				"updatedDateUtc": cn.Updated.UTC().Format("2006-01-02T15:04:05.0000000")})
		}
		writeJSON(c.w, http.StatusOK, out)
	case c.r.Method == http.MethodDelete && id != "":
		i := slices.IndexFunc(g.Connections, func(cn connection) bool { return strings.EqualFold(cn.ID, id) })
		if i < 0 {
			writeProblem(c.w, http.StatusNotFound, "NotFound", "Connection not found")
			return
		}
		g.Connections = slices.Delete(g.Connections, i, i+1)
		c.w.WriteHeader(http.StatusNoContent)
	default:
		writeProblem(c.w, http.StatusMethodNotAllowed, "Method Not Allowed", "")
	}
}

func (s *Server) serveDiscovery(c *call) {
	writeJSON(c.w, http.StatusOK, map[string]any{
		"issuer": s.URL + "/identity", "authorization_endpoint": s.URL + "/identity/connect/authorize",
		"token_endpoint": s.URL + "/connect/token", "revocation_endpoint": s.URL + "/connect/revocation",
		"response_types_supported": []string{"code"}, "grant_types_supported": []string{"authorization_code", "refresh_token"},
		"code_challenge_methods_supported": []string{"S256"}, "token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post", "none"},
		"scopes_supported": slices.Sorted(maps.Keys(knownScopes)),
	})
}

func (s *Server) serveIndex(c *call) {
	c.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = fmt.Fprintf(c.w, `<!doctype html><html><head><title>Xero sandbox</title></head><body><h1>Local Xero sandbox</h1>
<p>Point the app at it: <code>opencart-xero config set xero.base_url %s</code></p>
<p>Endpoints: /identity/connect/authorize, /connect/token, /connect/revocation, /connections, /api.xro/2.0/…</p></body></html>`,
		template.HTMLEscapeString(s.URL))
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newID returns a random UUID (version 4).
func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
