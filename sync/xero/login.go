package xero

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/pkg/browser"
	"golang.org/x/oauth2"
)

// LoginOptions steer the browser sign-in.
type LoginOptions struct {
	// NoBrowser only shows the address; it does not try to open a browser.
	NoBrowser bool
	// ShowURL is always given the sign-in address, and whether a browser
	// was opened with it, so the person can open or copy it.
	ShowURL func(url string, browserOpened bool)
}

// Login signs in to Xero in the browser: it listens on the loopback redirect
// URI, opens (or shows) Xero's sign-in page, waits for Xero to send the
// person back, trades the code for tokens (PKCE always; with the secret for
// a Web app) and saves them in the token store. It ends when ctx does.
func (c *Client) Login(ctx context.Context, lo LoginOptions) error {
	lns, err := listenLoopback(c.opts.RedirectPort)
	if err != nil {
		return err
	}
	state, err := randomState()
	if err != nil {
		for _, l := range lns {
			l.Close()
		}
		return err
	}
	verifier := oauth2.GenerateVerifier()
	authURL := c.oauth.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))

	cb := &callback{state: state, codes: make(chan string, 1), outcome: make(chan error, 1), failed: make(chan error, 1)}
	mux := http.NewServeMux()
	mux.Handle("/callback", cb)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	for _, l := range lns {
		go srv.Serve(l)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if srv.Shutdown(sctx) != nil {
			srv.Close()
		}
	}()

	opened := false
	if !lo.NoBrowser {
		open := c.opts.Open
		if open == nil {
			open = browser.OpenURL
		}
		if err := open(authURL); err != nil {
			c.logf("xero: could not open a browser: %v", err)
		} else {
			opened = true
		}
	}
	if lo.ShowURL != nil {
		lo.ShowURL(authURL, opened)
	}

	var code string
	select {
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return errors.New("xero: the Xero sign-in was not completed in time; start again")
		}
		return ctx.Err()
	case err := <-cb.failed:
		return err
	case code = <-cb.codes:
	}
	err = c.exchange(ctx, code, verifier)
	cb.outcome <- err
	return err
}

// exchange trades the authorization code for tokens and saves them.
func (c *Client) exchange(ctx context.Context, code, verifier string) error {
	hctx := context.WithValue(ctx, oauth2.HTTPClient, c.http)
	t, err := c.oauth.Exchange(hctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return oauthError(ctx, err)
	}
	tok, err := c.tokenFrom(t, "")
	if err != nil {
		return err
	}
	c.tokMu.Lock()
	defer c.tokMu.Unlock()
	unlock, err := c.opts.Store.Lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	if err := c.opts.Store.Save(ctx, tok); err != nil {
		return err
	}
	c.tok = tok
	return nil
}

// callback receives the browser coming back from Xero.
type callback struct {
	state   string
	codes   chan string // the code, once
	outcome chan error  // the result of the exchange, for the page
	failed  chan error  // Xero reported a refusal
}

// ServeHTTP answers the browser with a page in plain words.
func (cb *callback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("state") != cb.state {
		page(w, http.StatusBadRequest, false, "This sign-in answer does not belong to the sign-in opencart-xero started, so it was ignored. Start connecting again from opencart-xero.")
		return
	}
	if e := q.Get("error"); e != "" {
		reason := AuthFailed
		if e == "access_denied" {
			reason = AuthDenied
		} else if oauthCode.MatchString(e) {
			reason = e
		}
		select {
		case cb.failed <- &AuthError{Reason: reason}:
		default:
		}
		page(w, http.StatusOK, false, "Xero did not give access ("+e+"). You can close this tab and try again from opencart-xero.")
		return
	}
	code := q.Get("code")
	if code == "" {
		page(w, http.StatusBadRequest, false, "Xero sent no sign-in code. Start connecting again from opencart-xero.")
		return
	}
	select {
	case cb.codes <- code:
	default:
		page(w, http.StatusConflict, false, "This sign-in was already used. Close this tab.")
		return
	}
	select {
	case err := <-cb.outcome:
		if err != nil {
			page(w, http.StatusOK, false, "Connecting to Xero failed: "+err.Error()+" You can close this tab.")
			return
		}
		page(w, http.StatusOK, true, "You are connected to Xero. You can close this tab and go back to opencart-xero.")
	case <-r.Context().Done():
	}
}

func page(w http.ResponseWriter, status int, ok bool, msg string) {
	title := "Connecting to Xero failed"
	if ok {
		title = "Connected to Xero"
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><html><head><meta charset=\"utf-8\"><title>%s</title></head>"+
		"<body style=\"font-family:sans-serif;max-width:40em;margin:4em auto\"><h1>%s</h1><p>%s</p></body></html>",
		html.EscapeString(title), html.EscapeString(title), html.EscapeString(msg))
}

func randomState() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("xero: random state: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// portError says the callback port is taken.
type portError struct{ port int }

// Error says the port is taken and what to do.
func (e portError) Error() string {
	return fmt.Sprintf("xero: port %d is in use by another program; close it or pick another port and register http://localhost:NEW/callback with your Xero app", e.port)
}

// Is makes errors.Is(err, ErrPortInUse) true.
func (e portError) Is(target error) bool { return target == ErrPortInUse }

// listenLoopback listens on 127.0.0.1 and, where the system has it, [::1].
func listenLoopback(port int) ([]net.Listener, error) {
	p := strconv.Itoa(port)
	l4, err := net.Listen("tcp4", "127.0.0.1:"+p)
	if err != nil {
		if addrInUse(err) {
			return nil, portError{port}
		}
		return nil, fmt.Errorf("xero: cannot listen for the Xero sign-in on 127.0.0.1:%d: %w", port, err)
	}
	l6, err := net.Listen("tcp6", "[::1]:"+p)
	if err != nil {
		if addrInUse(err) {
			l4.Close()
			return nil, portError{port}
		}
		return []net.Listener{l4}, nil // no IPv6 loopback here
	}
	return []net.Listener{l4, l6}, nil
}

func addrInUse(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE) ||
		strings.Contains(err.Error(), "address already in use") ||
		strings.Contains(err.Error(), "Only one usage of each socket address")
}
