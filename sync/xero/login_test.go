package xero

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestCallbackPages drives the callback handler directly: every answer the
// browser can bring back gets a page in plain words, and only a matching
// state is acted on.
func TestCallbackPages(t *testing.T) {
	tests := []struct {
		name       string
		query      string
		exchange   error // outcome of the code exchange, when a code is taken
		wantStatus int
		wantPage   string
		wantCode   string
		wantFailed string // AuthError reason sent to Login
	}{
		{"foreign state", "?state=other&code=c", nil, 400, "does not belong to the sign-in", "", ""},
		{"no state", "?code=c", nil, 400, "does not belong to the sign-in", "", ""},
		{"declined", "?state=S&error=access_denied", nil, 200, "Xero did not give access", "", AuthDenied},
		{"other refusal", "?state=S&error=unauthorized_client", nil, 200, "Xero did not give access", "", "unauthorized_client"},
		{"odd error text", "?state=S&error=%3Cscript%3E", nil, 200, "&lt;script&gt;", "", AuthFailed},
		{"no code", "?state=S", nil, 400, "sent no sign-in code", "", ""},
		{"success", "?state=S&code=abc", nil, 200, "You are connected to Xero", "abc", ""},
		{"exchange fails", "?state=S&code=abc", &AuthError{Reason: AuthInvalidGrant}, 200, "Connecting to Xero failed", "abc", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb := &callback{state: "S", codes: make(chan string, 1), outcome: make(chan error, 1), failed: make(chan error, 1)}
			if tt.wantCode != "" {
				go func() {
					select {
					case code := <-cb.codes:
						if code != tt.wantCode {
							t.Errorf("code %q", code)
						}
						cb.outcome <- tt.exchange
					case <-time.After(5 * time.Second):
						t.Error("no code delivered")
					}
				}()
			}
			w := httptest.NewRecorder()
			cb.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/callback"+tt.query, nil))
			if w.Code != tt.wantStatus || !strings.Contains(w.Body.String(), tt.wantPage) {
				t.Fatalf("status %d page %s", w.Code, w.Body.String())
			}
			select {
			case err := <-cb.failed:
				var ae *AuthError
				if !errors.As(err, &ae) || ae.Reason != tt.wantFailed {
					t.Fatalf("failed with %v, want reason %q", err, tt.wantFailed)
				}
			default:
				if tt.wantFailed != "" {
					t.Fatal("refusal not reported")
				}
			}
			if tt.wantCode == "" && len(cb.codes) > 0 {
				t.Fatal("a code was taken from a refused answer")
			}
		})
	}
}
