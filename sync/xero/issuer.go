package xero

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// realXeroIssuer names real Xero as the issuer of a sign-in. A stored
// token without an issuer (saved before tokens carried one) is taken to be
// real Xero's, so it is never sent to another address.
const realXeroIssuer = "https://identity.xero.com"

// issuerOf names who issues the tokens when the client talks to base
// (empty: real Xero): scheme, host and path, in lower case and without a
// trailing slash, so that two spellings of one address are one issuer.
func issuerOf(base string) string {
	if base == "" {
		return realXeroIssuer
	}
	u, err := url.Parse(strings.TrimSpace(base))
	if err != nil {
		return base
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + strings.TrimRight(u.EscapedPath(), "/")
}

// CheckBaseURL says why base cannot be the address of Xero (or a sandbox):
// it must be an https:// URL, or http:// to this computer (localhost or a
// loopback address) only, since tokens and the client secret travel to it.
func CheckBaseURL(base string) error {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("must be an http:// or https:// URL (plain http only to this computer), e.g. https://xero.example or http://127.0.0.1:8089")
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return fmt.Errorf("plain http is only for this computer (localhost, 127.0.0.1, ::1), not %s: use https://", u.Hostname())
	}
	return nil
}

// isLoopback reports whether host names this computer.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ownToken checks that t was issued where this client signs in; a token of
// another issuer is never sent anywhere (not renewed, not revoked, not used).
func (c *Client) ownToken(t *Token) error {
	from := t.Issuer
	if from == "" {
		from = realXeroIssuer
	}
	if issuerOf(from) == c.issuer {
		return nil
	}
	return &AuthError{Reason: AuthOtherIssuer, Err: fmt.Errorf("it was made with %s, and the address is now %s", from, c.issuer)}
}
