package xero

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestCheckBaseURL(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"https://api.example.com", true},
		{"http://127.0.0.1:8089", true},
		{"http://127.9.9.9", true},
		{"http://localhost:1234/x", true},
		{"http://LOCALHOST", true},
		{"http://[::1]:80", true},
		{"http://example.com", false},
		{"http://10.0.0.1:8089", false},
		{"http://localhost.evil.example", false},
		{"ftp://127.0.0.1", false},
		{"127.0.0.1:8089", false},
		{"", false},
	} {
		t.Run(tc.url, func(t *testing.T) {
			if err := CheckBaseURL(tc.url); (err == nil) != tc.ok {
				t.Errorf("CheckBaseURL(%q) = %v, want ok %v", tc.url, err, tc.ok)
			}
		})
	}
}

// TestTokenOfAnotherIssuerIsRefused: a client only uses, renews or revokes
// a token its own address issued; a token saved without an issuer is real
// Xero's.
func TestTokenOfAnotherIssuerIsRefused(t *testing.T) {
	for _, tc := range []struct {
		name, base, issuer string
		ok                 bool
	}{
		{"same sandbox", "http://127.0.0.1:8089", "http://127.0.0.1:8089", true},
		{"same sandbox, other spelling", "HTTP://127.0.0.1:8089/", "http://127.0.0.1:8089", true},
		{"real Xero, no issuer stored", "", "", true},
		{"real Xero", "", realXeroIssuer, true},
		{"other port", "http://127.0.0.1:9999", "http://127.0.0.1:8089", false},
		{"look-alike host", "https://xero.example", "", false},
		{"token of a sandbox, real Xero now", "", "http://127.0.0.1:8089", false},
		{"token of real Xero, sandbox now", "http://127.0.0.1:8089", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := &FileStore{Path: filepath.Join(t.TempDir(), "token.json")}
			if err := store.Save(context.Background(), &Token{AccessToken: "acc", RefreshToken: "ref", Expiry: time.Now().Add(time.Hour), Issuer: tc.issuer}); err != nil {
				t.Fatal(err)
			}
			c, err := New(Options{ClientID: "id", BaseURL: tc.base, Store: store})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.accessToken(context.Background())
			var ae *AuthError
			if tc.ok && err != nil || !tc.ok && !(errors.As(err, &ae) && ae.Reason == AuthOtherIssuer) {
				t.Errorf("accessToken: %v, want ok %v", err, tc.ok)
			}
		})
	}
}
