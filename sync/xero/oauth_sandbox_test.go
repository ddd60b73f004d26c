package xero_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// TestLoginAppTypes signs in as a PKCE app and as a Web app and checks what
// went over the wire: PKCE S256 and a random state always, the secret only
// for the Web app and only in the Basic header.
func TestLoginAppTypes(t *testing.T) {
	tests := []struct {
		name, id, secret string
		legacy           bool
	}{
		{"pkce app, granular scopes", "my-pkce-app", "", false},
		{"web app, legacy scopes", "sandbox-web", "sandbox-secret", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, xerotest.Options{})
			var authURL string
			c := h.client(func(o *xero.Options) {
				o.ClientID, o.ClientSecret, o.LegacyScopes = tt.id, tt.secret, tt.legacy
				o.Open = func(u string) error { authURL = u; return h.browse(u) }
			})
			h.connect(c)
			ctx := ctxT(t)
			org, err := c.Organisation(ctx)
			if err != nil || org.Name != "Demo Company (UK)" {
				t.Fatalf("organisation: %+v %v", org, err)
			}

			u, err := url.Parse(authURL)
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			wantScope := xero.ScopesGranular
			if tt.legacy {
				wantScope = xero.ScopesLegacy
			}
			if u.Path != "/identity/connect/authorize" || q.Get("client_id") != tt.id || q.Get("response_type") != "code" ||
				q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) < 43 || len(q.Get("state")) < 20 ||
				q.Get("scope") != wantScope || q.Get("redirect_uri") != c.RedirectURI() {
				t.Fatalf("authorize URL %s", authURL)
			}
			if strings.Contains(authURL, "sandbox-secret") {
				t.Fatal("the client secret is in the browser URL")
			}
			var tokenReq *sent
			for _, s := range h.rec.sent() {
				if s.URL.Path == "/connect/token" {
					tokenReq = &s
					break
				}
			}
			if tokenReq == nil {
				t.Fatal("no token request")
			}
			form, _ := url.ParseQuery(string(tokenReq.Body))
			if form.Get("grant_type") != "authorization_code" || len(form.Get("code_verifier")) < 43 || form.Get("redirect_uri") != c.RedirectURI() {
				t.Fatalf("token request form %v", form)
			}
			user, pass, basic := (&http.Request{Header: tokenReq.Header}).BasicAuth()
			if tt.secret == "" {
				if basic || form.Get("client_id") != tt.id || form.Has("client_secret") {
					t.Fatalf("PKCE token request: basic=%v form=%v", basic, form)
				}
			} else if !basic || user != tt.id || pass != tt.secret || form.Has("client_secret") {
				t.Fatalf("Web app token request: basic=%v user=%q form=%v", basic, user, form)
			}
			tok, err := h.store.Load(ctx)
			if err != nil || tok.AccessToken == "" || tok.RefreshToken == "" {
				t.Fatalf("stored token: %v %v", tok, err)
			}
		})
	}
}

// TestLoginWrongState sends the browser back with a foreign state first:
// that answer is refused with a plain page and the real one still works.
func TestLoginWrongState(t *testing.T) {
	h := newHarness(t, xerotest.Options{})
	c := h.client(func(o *xero.Options) {
		o.Open = func(u string) error {
			go func() {
				resp, err := http.Get(c0(o.RedirectPort) + "?code=stolen&state=forged")
				if err != nil {
					h.pages <- err.Error()
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				h.pages <- strconv.Itoa(resp.StatusCode) + " " + string(b)
				h.browse(u)
			}()
			return nil
		}
	})
	ctx := ctxT(t)
	if err := c.Login(ctx, xero.LoginOptions{}); err != nil {
		t.Fatalf("login after a forged callback: %v", err)
	}
	forged := <-h.pages
	if !strings.HasPrefix(forged, "400 ") || !strings.Contains(forged, "does not belong to the sign-in") {
		t.Fatalf("forged callback page: %s", forged)
	}
	if page := <-h.pages; !strings.Contains(page, "You are connected to Xero") {
		t.Fatalf("real callback page: %s", page)
	}
	if h.calls("POST /connect/token") != 1 {
		t.Fatalf("token calls %d, want 1 (the forged code must not be exchanged)", h.calls("POST /connect/token"))
	}
}

func c0(port int) string { return "http://127.0.0.1:" + strconv.Itoa(port) + "/callback" }

// TestLoginBusyPort: a port taken by another program gives the plain
// message and ErrPortInUse.
func TestLoginBusyPort(t *testing.T) {
	h := newHarness(t, xerotest.Options{})
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	c := h.client(func(o *xero.Options) { o.RedirectPort = port })
	err = c.Login(ctxT(t), xero.LoginOptions{NoBrowser: true})
	want := "port " + strconv.Itoa(port) + " is in use by another program; close it or pick another port and register http://localhost:NEW/callback with your Xero app"
	if !errors.Is(err, xero.ErrPortInUse) || err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v", err)
	}
}

// TestLoginListenerLoopbackOnly: while waiting, the callback answers on
// 127.0.0.1 (and ::1 where present) but not on the machine's other
// addresses; after the sign-in nothing listens any more. Without a browser
// the URL is only shown.
func TestLoginListenerLoopbackOnly(t *testing.T) {
	h := newHarness(t, xerotest.Options{})
	port := freePort(t)
	opened := false
	c := h.client(func(o *xero.Options) {
		o.RedirectPort = port
		o.Open = func(string) error { opened = true; return nil }
	})
	addr := func(ip string) string { return net.JoinHostPort(ip, strconv.Itoa(port)) }
	var others []string
	if ifs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range ifs {
			if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && !ipn.IP.IsLinkLocalUnicast() {
				others = append(others, ipn.IP.String())
			}
		}
	}
	var wg sync.WaitGroup
	var shown string
	var shownOpened bool
	err := c.Login(ctxT(t), xero.LoginOptions{NoBrowser: true, ShowURL: func(u string, op bool) {
		shown, shownOpened = u, op
		wg.Go(func() {
			if conn, err := net.DialTimeout("tcp", addr("127.0.0.1"), time.Second); err != nil {
				t.Errorf("callback not listening on 127.0.0.1: %v", err)
			} else {
				conn.Close()
			}
			if conn, err := net.DialTimeout("tcp6", addr("::1"), time.Second); err == nil {
				conn.Close()
			} else if l6, lerr := net.Listen("tcp6", "[::1]:0"); lerr == nil {
				l6.Close()
				t.Errorf("IPv6 loopback exists but the callback does not listen on it: %v", err)
			}
			for _, ip := range others {
				if conn, err := net.DialTimeout("tcp", addr(ip), 300*time.Millisecond); err == nil {
					conn.Close()
					t.Errorf("callback reachable on %s", ip)
				}
			}
			h.browse(u)
		})
	}})
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if opened || shownOpened || !strings.HasPrefix(shown, h.srv.URL+"/identity/connect/authorize?") {
		t.Fatalf("no-browser: opened=%v shown=%q", opened, shown)
	}
	if len(others) == 0 {
		t.Log("no non-loopback address on this machine; only loopback binding was checked")
	}
	if page := <-h.pages; !strings.Contains(page, "You are connected to Xero") {
		t.Fatalf("page: %s", page)
	}
	if conn, err := net.DialTimeout("tcp", addr("127.0.0.1"), time.Second); err == nil {
		conn.Close()
		t.Fatal("callback still listening after the sign-in")
	}
}

// TestLoginCancelClosesListener: cancelling the wait frees the port.
func TestLoginCancelClosesListener(t *testing.T) {
	h := newHarness(t, xerotest.Options{})
	port := freePort(t)
	c := h.client(func(o *xero.Options) { o.RedirectPort = port })
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	err := c.Login(ctx, xero.LoginOptions{NoBrowser: true})
	if err == nil || !strings.Contains(err.Error(), "not completed in time") {
		t.Fatalf("err = %v", err)
	}
	l, err := net.Listen("tcp4", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Fatalf("port still taken after cancel: %v", err)
	}
	l.Close()
}

// TestLoginBrowserFails: when no browser opens, the address is shown with
// browserOpened false and the sign-in still completes from it.
func TestLoginBrowserFails(t *testing.T) {
	h := newHarness(t, xerotest.Options{})
	c := h.client(func(o *xero.Options) { o.Open = func(string) error { return errors.New("no display") } })
	var opened = true
	err := c.Login(ctxT(t), xero.LoginOptions{ShowURL: func(u string, op bool) { opened = op; h.browse(u) }})
	if err != nil || opened {
		t.Fatalf("err=%v opened=%v", err, opened)
	}
	if !strings.Contains(h.logs.String(), "could not open a browser") {
		t.Fatalf("logs: %s", h.logs)
	}
}

// TestLoginVerifierNeverReused signs in three times with one client: each
// sign-in has its own PKCE verifier, challenge and state, and each
// challenge is the S256 of its own verifier.
func TestLoginVerifierNeverReused(t *testing.T) {
	h := newHarness(t, xerotest.Options{})
	var challenges, states []string
	c := h.client(func(o *xero.Options) {
		o.Open = func(u string) error {
			q, err := url.Parse(u)
			if err != nil {
				return err
			}
			challenges = append(challenges, q.Query().Get("code_challenge"))
			states = append(states, q.Query().Get("state"))
			return h.browse(u)
		}
	})
	const logins = 3
	for range logins {
		h.connect(c)
	}
	var verifiers []string
	for _, s := range h.rec.sent() {
		if s.URL.Path != "/connect/token" {
			continue
		}
		if form, _ := url.ParseQuery(string(s.Body)); form.Get("grant_type") == "authorization_code" {
			verifiers = append(verifiers, form.Get("code_verifier"))
		}
	}
	if len(verifiers) != logins || len(challenges) != logins {
		t.Fatalf("%d verifiers and %d challenges for %d sign-ins", len(verifiers), len(challenges), logins)
	}
	seen := map[string]bool{}
	for i, v := range verifiers {
		sum := sha256.Sum256([]byte(v))
		if got := base64.RawURLEncoding.EncodeToString(sum[:]); got != challenges[i] {
			t.Errorf("sign-in %d: challenge %q is not S256 of its verifier (%q)", i, challenges[i], got)
		}
		for _, x := range []string{"v" + v, "c" + challenges[i], "s" + states[i]} {
			if seen[x] {
				t.Errorf("sign-in %d reuses %q", i, x[1:])
			}
			seen[x] = true
		}
	}
}
