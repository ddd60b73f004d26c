package xero

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// accessToken returns an access token that is still valid, renewing it when
// it is about to expire.
func (c *Client) accessToken(ctx context.Context) (string, error) {
	c.tokMu.Lock()
	defer c.tokMu.Unlock()
	if c.tok == nil {
		t, err := c.opts.Store.Load(ctx)
		if errors.Is(err, ErrNoToken) {
			return "", &AuthError{Reason: AuthNoToken}
		}
		if err != nil {
			return "", err
		}
		if err := c.ownToken(t); err != nil {
			return "", err
		}
		c.tok = t
	}
	if c.tok.validAt(c.clock.Now()) {
		return c.tok.AccessToken, nil
	}
	if err := c.renewLocked(ctx, c.tok.AccessToken); err != nil {
		return "", err
	}
	return c.tok.AccessToken, nil
}

// renew replaces an access token Xero refused (stale), unless another
// caller already did.
func (c *Client) renew(ctx context.Context, stale string) error {
	c.tokMu.Lock()
	defer c.tokMu.Unlock()
	if c.tok != nil && c.tok.AccessToken != stale {
		return nil
	}
	return c.renewLocked(ctx, stale)
}

// renewLocked takes the store's lock, re-reads the stored token (another
// process may have renewed it meanwhile) and otherwise refreshes it, saving
// the new token before anything uses it. c.tokMu is held.
func (c *Client) renewLocked(ctx context.Context, stale string) error {
	unlock, err := c.opts.Store.Lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	cur, err := c.opts.Store.Load(ctx)
	if errors.Is(err, ErrNoToken) {
		c.tok = nil
		return &AuthError{Reason: AuthNoToken}
	}
	if err != nil {
		return err
	}
	if err := c.ownToken(cur); err != nil {
		c.tok = nil
		return err
	}
	if cur.AccessToken != stale && cur.validAt(c.clock.Now()) {
		c.tok = cur
		return nil
	}
	fresh, err := c.refresh(ctx, cur.RefreshToken)
	if err != nil {
		return err
	}
	if err := c.opts.Store.Save(ctx, fresh); err != nil {
		return err
	}
	c.tok = fresh
	return nil
}

// refresh trades a refresh token for a new token set, retrying network and
// server failures.
func (c *Client) refresh(ctx context.Context, refreshToken string) (*Token, error) {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, c.http)
	for attempt := 1; ; attempt++ {
		src := c.oauth.TokenSource(ctx, &oauth2.Token{RefreshToken: refreshToken, Expiry: time.Unix(1, 0)})
		t, err := src.Token()
		if err == nil {
			return c.tokenFrom(t, refreshToken)
		}
		err = oauthError(ctx, err)
		var te *TransientError
		if !errors.As(err, &te) {
			return nil, err
		}
		if attempt >= c.maxAttempts {
			te.Attempts = attempt
			return nil, te
		}
		if err := c.pause(ctx, "token refresh", "failed", backoff(attempt, time.Second, 30*time.Second), attempt); err != nil {
			return nil, err
		}
	}
}

// tokenFrom converts oauth2's token, timing the expiry on the client's clock.
func (c *Client) tokenFrom(t *oauth2.Token, previousRefresh string) (*Token, error) {
	if t.AccessToken == "" {
		return nil, &AuthError{Reason: AuthFailed, Err: errors.New("no access token in Xero's answer")}
	}
	life := 30 * time.Minute
	if t.ExpiresIn > 0 {
		life = time.Duration(t.ExpiresIn) * time.Second
	}
	rt := t.RefreshToken
	if rt == "" {
		rt = previousRefresh
	}
	if rt == "" {
		return nil, &AuthError{Reason: AuthFailed, Err: errors.New("no refresh token in Xero's answer; is offline_access among the scopes?")}
	}
	return &Token{AccessToken: t.AccessToken, RefreshToken: rt, Expiry: c.clock.Now().Add(life), Issuer: c.issuer}, nil
}

var oauthCode = regexp.MustCompile(`^[a-z_]{1,40}$`)

// oauthError turns an oauth2 failure into a typed error without quoting the
// token endpoint's answer (which is never shown: it could carry secrets).
func oauthError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		// A network failure; url.Error names only the token endpoint.
		var ue *url.Error
		if errors.As(err, &ue) {
			return &TransientError{Err: errors.New(ue.Op + " " + redactURL(ue.URL) + ": " + ue.Err.Error())}
		}
		return &TransientError{Err: errors.New("the token request failed")}
	}
	status := 0
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	if status >= 500 || status == http.StatusTooManyRequests {
		return &TransientError{Status: status}
	}
	code := re.ErrorCode
	switch {
	case code == "invalid_grant":
		return &AuthError{Reason: AuthInvalidGrant}
	case code == "invalid_client" || code == "unauthorized_client":
		return &AuthError{Reason: AuthClient}
	case oauthCode.MatchString(code):
		return &AuthError{Reason: code}
	}
	return &AuthError{Reason: AuthFailed}
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(token endpoint)"
	}
	u.RawQuery, u.User = "", nil
	return u.String()
}

// Tenants lists the organisations this sign-in may use.
func (c *Client) Tenants(ctx context.Context) ([]Tenant, error) {
	body, err := c.do(ctx, request{method: http.MethodGet, url: c.ep.connections, what: "GET /connections"})
	if err != nil {
		return nil, err
	}
	var ts []Tenant
	if err := decodeJSON(body, &ts, "GET /connections"); err != nil {
		return nil, err
	}
	return ts, nil
}

// PickTenant finds the organisation named nameOrID (tenant id, connection id
// or name, ignoring case). An empty nameOrID picks the only one.
func PickTenant(tenants []Tenant, nameOrID string) (Tenant, error) {
	if nameOrID == "" {
		switch len(tenants) {
		case 0:
			return Tenant{}, errors.New("xero: this Xero sign-in gives access to no organisation")
		case 1:
			return tenants[0], nil
		}
		return Tenant{}, errors.New("xero: this Xero sign-in gives access to several organisations; choose one")
	}
	for _, t := range tenants {
		if t.TenantID == nameOrID || t.ID == nameOrID {
			return t, nil
		}
	}
	var found []Tenant
	for _, t := range tenants {
		if strings.EqualFold(strings.TrimSpace(t.TenantName), strings.TrimSpace(nameOrID)) {
			found = append(found, t)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return Tenant{}, errors.New("xero: no connected organisation is called or has the id " + quote(nameOrID))
	}
	return Tenant{}, errors.New("xero: several connected organisations are called " + quote(nameOrID) + "; choose by tenant id")
}

func quote(s string) string { return `"` + s + `"` }

// Disconnect removes one organisation's connection (by connection id, see
// Tenant.ID) from this sign-in.
func (c *Client) Disconnect(ctx context.Context, connectionID string) error {
	_, err := c.do(ctx, request{method: http.MethodDelete, url: c.ep.connections + "/" + url.PathEscape(connectionID), what: "DELETE /connections"})
	return err
}

// Revoke withdraws this sign-in at Xero (all its organisations) and forgets
// the stored tokens. The tokens are forgotten even when Xero cannot be
// reached, or when they were issued by another address than the client's
// (they are never sent there); the error then says so.
func (c *Client) Revoke(ctx context.Context) error {
	c.tokMu.Lock()
	defer c.tokMu.Unlock()
	unlock, err := c.opts.Store.Lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	t, err := c.opts.Store.Load(ctx)
	if errors.Is(err, ErrNoToken) {
		c.tok = nil
		return nil
	}
	if err != nil {
		return err
	}
	// A sign-in made with another address is forgotten here but not sent
	// to this one; the error says Xero was not told.
	revokeErr := c.ownToken(t)
	if revokeErr == nil {
		revokeErr = c.revoke(ctx, t.RefreshToken)
	}
	c.tok = nil
	if err := c.opts.Store.Clear(ctx); err != nil {
		return err
	}
	return revokeErr
}

func (c *Client) revoke(ctx context.Context, refreshToken string) error {
	form := url.Values{"token": {refreshToken}, "token_type_hint": {"refresh_token"}}
	if c.opts.ClientSecret == "" {
		form.Set("client_id", c.opts.ClientID)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.ep.revocation, strings.NewReader(form.Encode()))
	if err != nil {
		return &TransientError{Err: errors.New("could not build the revocation request")}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if c.opts.ClientSecret != "" {
		req.SetBasicAuth(url.QueryEscape(c.opts.ClientID), url.QueryEscape(c.opts.ClientSecret))
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return oauthError(ctx, err)
	}
	resp.Body.Close()
	switch {
	case resp.StatusCode < 300:
		return nil
	case resp.StatusCode >= 500:
		return &TransientError{Status: resp.StatusCode, Attempts: 1}
	case resp.StatusCode == http.StatusUnauthorized:
		return &AuthError{Reason: AuthClient}
	}
	// 400 (token already invalid) leaves nothing to revoke.
	return nil
}
