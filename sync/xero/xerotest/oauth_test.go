package xerotest_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

func TestPKCEFlow(t *testing.T) {
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	q := callback(t, get(t, authorizeURL(s, nil)))
	if q.Get("state") != "st-123" || q.Get("code") == "" {
		t.Fatalf("callback query %v: want the state echoed and a code", q)
	}
	exchange := func(code, redirectURI, verif string) (int, map[string]any) {
		return tokenCall(t, s, url.Values{"grant_type": {"authorization_code"}, "client_id": {pkceApp},
			"code": {code}, "redirect_uri": {redirectURI}, "code_verifier": {verif}}, "")
	}
	code := q.Get("code")
	for _, tc := range []struct{ name, redirect, verifier string }{
		{"wrong verifier", redirect, strings.Repeat("x", 50)},
		{"no verifier", redirect, ""},
		{"wrong redirect_uri", "http://localhost:9999/callback", verifier},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := exchange(code, tc.redirect, tc.verifier)
			if status != http.StatusBadRequest || body["error"] != "invalid_grant" {
				t.Fatalf("got %d %v, want 400 invalid_grant", status, body)
			}
		})
	}
	status, tok := exchange(code, redirect, verifier)
	if status != http.StatusOK {
		t.Fatalf("exchange: %d %v", status, tok)
	}
	if tok["token_type"] != "Bearer" || tok["expires_in"] != float64(1800) || tok["refresh_token"] == "" || tok["scope"] != granular {
		t.Fatalf("token response %v", tok)
	}
	if status, body := exchange(code, redirect, verifier); status != http.StatusBadRequest || body["error"] != "invalid_grant" {
		t.Fatalf("second use of a code: %d %v, want invalid_grant", status, body)
	}
	c := &client{t: t, s: s, token: tok["access_token"].(string)}
	r := c.call("GET", "/connections", nil).must(t, http.StatusOK)
	if !strings.Contains(string(r.Body), `"tenantId":"`+xerotest.DefaultTenantID+`"`) || !strings.Contains(string(r.Body), `"tenantType":"ORGANISATION"`) ||
		!strings.Contains(string(r.Body), `"tenantName":"Demo Company (UK)"`) || !strings.Contains(string(r.Body), `"authEventId"`) {
		t.Fatalf("connections: %s", r.Body)
	}
}

func TestAuthorizeValidation(t *testing.T) {
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	strict := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, GranularScopesOnly: true})
	for _, tc := range []struct {
		name     string
		s        *xerotest.Server
		extra    url.Values
		wantErr  string // error in the redirect; "" = a code
		wantPage bool   // an error page instead of a redirect
	}{
		{"granular scopes", s, nil, "", false},
		{"legacy scopes", s, url.Values{"scope": {legacy}}, "", false},
		{"unknown scope", s, url.Values{"scope": {"offline_access accounting.everything"}}, "invalid_scope", false},
		{"no scope", s, url.Values{"scope": nil}, "invalid_scope", false},
		{"legacy scope on a new app", strict, url.Values{"scope": {legacy}}, "unauthorized_client", false},
		{"response_type token", s, url.Values{"response_type": {"token"}}, "unsupported_response_type", false},
		{"PKCE app without challenge", s, url.Values{"code_challenge": nil}, "invalid_request", false},
		{"plain challenge method", s, url.Values{"code_challenge_method": {"plain"}}, "invalid_request", false},
		{"https redirect", s, url.Values{"redirect_uri": {"https://example.com/cb"}}, "", false},
		{"http redirect to a remote host", s, url.Values{"redirect_uri": {"http://example.com/callback"}}, "", true},
		{"relative redirect", s, url.Values{"redirect_uri": {"/callback"}}, "", true},
		{"no client", s, url.Values{"client_id": nil}, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := get(t, authorizeURL(tc.s, tc.extra))
			if tc.wantPage {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "unauthorized_client") {
					t.Fatalf("got %d %s, want a 400 error page", resp.StatusCode, b)
				}
				return
			}
			if tc.name == "https redirect" {
				resp.Body.Close()
				if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, "https://example.com/cb?") || !strings.Contains(loc, "code=") {
					t.Fatalf("got %d %s", resp.StatusCode, loc)
				}
				return
			}
			q := callback(t, resp)
			if q.Get("error") != tc.wantErr || q.Get("state") != "st-123" || (tc.wantErr == "") != (q.Get("code") != "") {
				t.Fatalf("callback %v, want error %q and the state", q, tc.wantErr)
			}
		})
	}
}

func TestWebAppFlow(t *testing.T) {
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, Clients: map[string]string{"web-app": "s3cret"}})
	code := func() string {
		v := url.Values{"client_id": {"web-app"}, "code_challenge": nil, "code_challenge_method": nil}
		return callback(t, get(t, authorizeURL(s, v))).Get("code")
	}
	form := func(c string) url.Values {
		return url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {redirect}}
	}
	t.Run("unknown client", func(t *testing.T) {
		resp := get(t, authorizeURL(s, nil)) // desktop-app is not registered here
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("status %d, want 400", resp.StatusCode)
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		status, body := tokenCall(t, s, form(code()), "web-app:nope")
		if status != http.StatusUnauthorized || body["error"] != "invalid_client" {
			t.Fatalf("got %d %v, want 401 invalid_client", status, body)
		}
	})
	t.Run("no secret", func(t *testing.T) {
		f := form(code())
		f.Set("client_id", "web-app")
		status, body := tokenCall(t, s, f, "")
		if status != http.StatusUnauthorized || body["error"] != "invalid_client" {
			t.Fatalf("got %d %v, want 401 invalid_client", status, body)
		}
	})
	t.Run("basic auth", func(t *testing.T) {
		status, body := tokenCall(t, s, form(code()), "web-app:s3cret")
		if status != http.StatusOK || body["access_token"] == nil || body["refresh_token"] == nil {
			t.Fatalf("got %d %v", status, body)
		}
		status, body = tokenCall(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {body["refresh_token"].(string)}}, "web-app:s3cret")
		if status != http.StatusOK {
			t.Fatalf("refresh: %d %v", status, body)
		}
	})
	t.Run("secret in the form", func(t *testing.T) {
		f := form(code())
		f.Set("client_id", "web-app")
		f.Set("client_secret", "s3cret")
		if status, body := tokenCall(t, s, f, ""); status != http.StatusOK {
			t.Fatalf("got %d %v", status, body)
		}
	})
}

// clock is a settable time source for Options.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestRefreshRotation(t *testing.T) {
	clk := &clock{now: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, Now: clk.Now})
	first := login(t, s, granular)
	refresh := func(rt string) (int, map[string]any) {
		return tokenCall(t, s, url.Values{"grant_type": {"refresh_token"}, "client_id": {pkceApp}, "refresh_token": {rt}}, "")
	}
	status, second := refresh(first["refresh_token"].(string))
	if status != http.StatusOK || second["refresh_token"] == first["refresh_token"] || second["access_token"] == first["access_token"] {
		t.Fatalf("refresh: %d %v, want new tokens", status, second)
	}
	clk.Add(29 * time.Minute)
	status, again := refresh(first["refresh_token"].(string))
	if status != http.StatusOK || again["refresh_token"] == second["refresh_token"] {
		t.Fatalf("old token within the 30-minute grace: %d %v", status, again)
	}
	// The first access token (30 min) is still valid at 29 min, expired at 31.
	c := &client{t: t, s: s, token: first["access_token"].(string), tenant: xerotest.DefaultTenantID}
	c.call("GET", "/Organisation", nil).must(t, http.StatusOK)
	clk.Add(2 * time.Minute)
	r := c.call("GET", "/Organisation", nil).must(t, http.StatusUnauthorized)
	if !strings.HasPrefix(r.Env.Detail, "TokenExpired: token expired at ") || r.Env.Title != "Unauthorized" {
		t.Fatalf("expired token answer: %s", r.Body)
	}
	if status, body := refresh(first["refresh_token"].(string)); status != http.StatusBadRequest || body["error"] != "invalid_grant" {
		t.Fatalf("old token after the grace: %d %v, want invalid_grant", status, body)
	}
	if status, body := refresh(again["refresh_token"].(string)); status != http.StatusOK {
		t.Fatalf("newest token: %d %v", status, body)
	}
	// That refresh let the sandbox forget the expired token; it still says TokenExpired.
	if r := c.call("GET", "/Organisation", nil).must(t, http.StatusUnauthorized); !strings.HasPrefix(r.Env.Detail, "TokenExpired") {
		t.Fatalf("forgotten expired token: %s", r.Body)
	}
	t.Run("other client", func(t *testing.T) {
		status, body := tokenCall(t, s, url.Values{"grant_type": {"refresh_token"}, "client_id": {"someone-else"}, "refresh_token": {second["refresh_token"].(string)}}, "")
		if status != http.StatusBadRequest || body["error"] != "invalid_grant" {
			t.Fatalf("got %d %v", status, body)
		}
	})
	t.Run("no offline_access, no refresh token", func(t *testing.T) {
		tok := login(t, s, "accounting.contacts")
		if _, ok := tok["refresh_token"]; ok {
			t.Fatalf("refresh token issued without offline_access: %v", tok)
		}
	})
}

func TestRevocation(t *testing.T) {
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	tok := login(t, s, granular)
	status, _ := formCall(t, s.URL+"/connect/revocation", url.Values{"token": {tok["refresh_token"].(string)}, "client_id": {pkceApp}}, "")
	if status != http.StatusOK {
		t.Fatalf("revocation: %d", status)
	}
	status, body := tokenCall(t, s, url.Values{"grant_type": {"refresh_token"}, "client_id": {pkceApp}, "refresh_token": {tok["refresh_token"].(string)}}, "")
	if status != http.StatusBadRequest || body["error"] != "invalid_grant" {
		t.Fatalf("refresh after revocation: %d %v", status, body)
	}
	c := &client{t: t, s: s, token: tok["access_token"].(string), tenant: xerotest.DefaultTenantID}
	c.call("GET", "/connections", nil).must(t, http.StatusUnauthorized)
	c.call("GET", "/Organisation", nil).must(t, http.StatusUnauthorized)
}

func TestConsentPage(t *testing.T) {
	tenants := []xerotest.Tenant{{ID: "11111111-1111-4111-8111-111111111111", Name: "Shop One Ltd"}, {ID: "22222222-2222-4222-8222-222222222222", Name: "Shop Two Ltd"}}
	s := xerotest.NewTest(t, xerotest.Options{Tenants: tenants})
	resp := get(t, authorizeURL(s, nil))
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"Shop One Ltd", "Shop Two Ltd", `value="allow"`, `value="deny"`, `method="post"`, "accounting.invoices"} {
		if !strings.Contains(string(page), want) {
			t.Fatalf("consent page lacks %q:\n%s", want, page)
		}
	}
	// Submit the form as the browser would: every hidden field plus the choice.
	form := url.Values{}
	u, _ := url.Parse(authorizeURL(s, nil))
	for k, v := range u.Query() {
		form[k] = v
	}
	post := func(f url.Values) *http.Response {
		resp, err := noRedirect.PostForm(s.URL+"/identity/connect/authorize", f)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	t.Run("deny", func(t *testing.T) {
		f := url.Values{"decision": {"deny"}}
		for k, v := range form {
			f[k] = v
		}
		q := callback(t, post(f))
		if q.Get("error") != "access_denied" || q.Get("state") != "st-123" || q.Get("code") != "" {
			t.Fatalf("deny: %v", q)
		}
	})
	t.Run("allow the second org", func(t *testing.T) {
		f := url.Values{"decision": {"allow"}, "tenant": {tenants[1].ID}}
		for k, v := range form {
			f[k] = v
		}
		q := callback(t, post(f))
		status, tok := tokenCall(t, s, url.Values{"grant_type": {"authorization_code"}, "client_id": {pkceApp},
			"code": {q.Get("code")}, "redirect_uri": {redirect}, "code_verifier": {verifier}}, "")
		if status != http.StatusOK {
			t.Fatalf("token: %d %v", status, tok)
		}
		c := &client{t: t, s: s, token: tok["access_token"].(string), tenant: tenants[0].ID}
		r := c.call("GET", "/connections", nil).must(t, http.StatusOK)
		if strings.Contains(string(r.Body), tenants[0].ID) || !strings.Contains(string(r.Body), tenants[1].ID) {
			t.Fatalf("connections: %s", r.Body)
		}
		if r := c.call("GET", "/Organisation", nil).must(t, http.StatusForbidden); r.Env.Detail != "AuthenticationUnsuccessful" {
			t.Fatalf("not-connected tenant: %s", r.Body)
		}
		c.tenant = tenants[1].ID
		if r := c.call("GET", "/Organisation", nil).must(t, http.StatusOK); r.Env.Organisations[0].Name != "Shop Two Ltd" {
			t.Fatalf("organisation: %s", r.Body)
		}
	})
	t.Run("allow without an org", func(t *testing.T) {
		f := url.Values{"decision": {"allow"}}
		for k, v := range form {
			f[k] = v
		}
		resp := post(f)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), "Choose at least one organisation") {
			t.Fatalf("got %d %s", resp.StatusCode, b)
		}
	})
}

func TestConnect(t *testing.T) {
	two := []xerotest.Tenant{{ID: "11111111-1111-4111-8111-111111111111", Name: "One"}, {ID: "22222222-2222-4222-8222-222222222222", Name: "Two"}}
	s := xerotest.NewTest(t, xerotest.Options{Tenants: two})
	tok, err := s.Connect("any-app", "", two[1].ID)
	if err != nil || tok.RefreshToken == "" || tok.ExpiresIn != 1800 {
		t.Fatalf("Connect: %+v %v", tok, err)
	}
	c := &client{t: t, s: s, token: tok.AccessToken, tenant: two[1].ID}
	c.call("GET", "/Organisation", nil).must(t, http.StatusOK)
	c.tenant = two[0].ID
	c.call("GET", "/Organisation", nil).must(t, http.StatusForbidden)
	status, body := tokenCall(t, s, url.Values{"grant_type": {"refresh_token"}, "client_id": {"any-app"}, "refresh_token": {tok.RefreshToken}}, "")
	if status != http.StatusOK {
		t.Fatalf("refresh: %d %v", status, body)
	}
	for _, bad := range [][]string{{"any-app", "accounting.nope"}, {"any-app", "", "no-such-tenant"}} {
		if _, err := s.Connect(bad[0], bad[1], bad[2:]...); err == nil {
			t.Errorf("Connect%q accepted", bad)
		}
	}
}

func TestAccessChecks(t *testing.T) {
	s, c := start(t, xerotest.Options{})
	t.Run("JSON only", func(t *testing.T) {
		r := c.as(t).call("GET", "/Invoices", nil, "Accept", "")
		if r.Status != http.StatusNotAcceptable {
			t.Fatalf("no Accept: %d %s", r.Status, r.Body)
		}
		r = c.as(t).call("PUT", "/Contacts", `{"Name":"X"}`, "Content-Type", "text/xml")
		if r.Status != http.StatusBadRequest || r.Env.Type != "PostDataInvalidException" {
			t.Fatalf("XML body: %d %s", r.Status, r.Body)
		}
	})
	t.Run("missing tenant", func(t *testing.T) {
		other := c.as(t)
		other.tenant = ""
		if r := other.call("GET", "/Invoices", nil).must(t, http.StatusForbidden); r.Env.Title != "Forbidden" || r.Env.Detail != "AuthenticationUnsuccessful" {
			t.Fatalf("%s", r.Body)
		}
	})
	t.Run("unknown token", func(t *testing.T) {
		other := c.as(t)
		other.token = "nope"
		other.call("GET", "/Invoices", nil).must(t, http.StatusUnauthorized)
	})
	t.Run("missing scope", func(t *testing.T) {
		tok := login(t, s, "offline_access accounting.contacts")
		other := c.as(t)
		other.token = tok["access_token"].(string)
		other.call("GET", "/Contacts", nil).must(t, http.StatusOK)
		if r := other.call("GET", "/Invoices", nil).must(t, http.StatusForbidden); r.Env.Detail != "AuthorizationUnsuccessful" {
			t.Fatalf("%s", r.Body)
		}
		other.call("GET", "/Accounts", nil).must(t, http.StatusForbidden)
	})
	t.Run("read-only scope cannot write", func(t *testing.T) {
		tok := login(t, s, "accounting.settings.read")
		other := c.as(t)
		other.token = tok["access_token"].(string)
		other.call("PUT", "/Currencies", J{"Code": "AUD"}).must(t, http.StatusForbidden)
	})
	t.Run("ExpireAccessTokens", func(t *testing.T) {
		tok := login(t, s, granular)
		other := c.as(t)
		other.token = tok["access_token"].(string)
		other.call("GET", "/Organisation", nil).must(t, http.StatusOK)
		s.ExpireAccessTokens()
		if r := other.call("GET", "/Organisation", nil).must(t, http.StatusUnauthorized); !strings.HasPrefix(r.Env.Detail, "TokenExpired") {
			t.Fatalf("%s", r.Body)
		}
		status, fresh := tokenCall(t, s, url.Values{"grant_type": {"refresh_token"}, "client_id": {pkceApp}, "refresh_token": {tok["refresh_token"].(string)}}, "")
		if status != http.StatusOK {
			t.Fatalf("refresh: %d %v", status, fresh)
		}
		other.token = fresh["access_token"].(string)
		other.call("GET", "/Organisation", nil).must(t, http.StatusOK)
	})
	t.Run("delete connection", func(t *testing.T) {
		tok := login(t, s, granular)
		other := c.as(t)
		other.token = tok["access_token"].(string)
		r := other.call("GET", "/connections", nil).must(t, http.StatusOK)
		id := strings.Split(strings.Split(string(r.Body), `"id":"`)[1], `"`)[0]
		other.call("DELETE", "/connections/"+id, nil).must(t, http.StatusNoContent)
		if r := other.call("GET", "/connections", nil).must(t, http.StatusOK); strings.TrimSpace(string(r.Body)) != "[]" {
			t.Fatalf("after delete: %s", r.Body)
		}
		other.call("GET", "/Organisation", nil).must(t, http.StatusForbidden)
	})
}
