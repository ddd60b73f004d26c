package xero_test

import (
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// realClock keeps token expiry in real time, so only the sandbox decides
// when a token is stale (its lifetimes are not scaled).
func realClock(o *xero.Options) { o.Clock = xero.SystemClock() }

// TestTokenExpiryMidRun: Xero starts refusing the access token; the client
// refreshes once, saves the rotated token before using it, and retries.
func TestTokenExpiryMidRun(t *testing.T) {
	h := newHarness(t, xerotest.Options{})
	c := h.connected(realClock)
	ctx := ctxT(t)
	before, err := h.store.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Every Accounting request must carry the access token already saved.
	var unsaved []string
	var mu sync.Mutex
	h.rec.check = func(r *http.Request) {
		if !strings.Contains(r.URL.Path, "/api.xro/") {
			return
		}
		cur, err := h.store.Load(r.Context())
		if err != nil || "Bearer "+cur.AccessToken != r.Header.Get("Authorization") {
			mu.Lock()
			unsaved = append(unsaved, r.URL.Path)
			mu.Unlock()
		}
	}
	tokenCalls, orgCalls := h.calls("POST /connect/token"), h.calls("GET /Organisation")
	h.srv.ExpireAccessTokens()
	if _, err := c.Organisation(ctx); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if n := h.calls("POST /connect/token") - tokenCalls; n != 1 {
		t.Fatalf("%d refreshes, want 1", n)
	}
	if n := h.calls("GET /Organisation") - orgCalls; n != 2 {
		t.Fatalf("%d organisation calls, want 2 (refused, then retried)", n)
	}
	after, err := h.store.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.RefreshToken == before.RefreshToken || after.AccessToken == before.AccessToken {
		t.Fatal("the rotated token was not saved")
	}
	if len(unsaved) > 0 {
		t.Fatalf("requests used a token before it was saved: %v", unsaved)
	}
	// The old refresh token is spent; the client keeps working on the new one.
	h.srv.ExpireAccessTokens()
	if _, err := c.TaxRates(ctx); err != nil {
		t.Fatalf("second expiry: %v", err)
	}
}

// TestTokenRenewedBeforeExpiry: on the client's clock (synctest's fake
// one) the access token is used until a minute before it expires, then
// renewed before the next call rather than after Xero refuses it.
func TestTokenRenewedBeforeExpiry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newBubbleHarness(t, xerotest.Options{AccessTokenTTL: 30 * time.Minute})
		c := h.connected(nil)
		ctx := t.Context()
		time.Sleep(29*time.Minute - time.Nanosecond)
		if _, err := c.Organisation(ctx); err != nil {
			t.Fatal(err)
		}
		if n := h.calls("POST /connect/token"); n != 0 {
			t.Fatalf("%d refreshes with more than a minute left, want 0", n)
		}
		time.Sleep(time.Nanosecond)
		if _, err := c.Organisation(ctx); err != nil {
			t.Fatal(err)
		}
		if n := h.calls("POST /connect/token"); n != 1 {
			t.Fatalf("%d refreshes a minute before expiry, want 1", n)
		}
		for _, r := range h.srv.Requests() {
			if r.Status == http.StatusUnauthorized {
				t.Fatalf("Xero refused a token: %s %s", r.Method, r.Path)
			}
		}
		tok, err := h.store.Load(ctx)
		if err != nil || !tok.Expiry.Equal(time.Now().Add(30*time.Minute)) {
			t.Fatalf("renewed token expires %v (%v), want 30 min from now", tok, err)
		}
	})
}

// TestRefreshRaceTwoClients: two clients (as two processes would) share one
// token store; after expiry both call at once. Only one refresh reaches
// Xero, the other client picks up the saved token, and both calls succeed.
func TestRefreshRaceTwoClients(t *testing.T) {
	h := newHarness(t, xerotest.Options{})
	a := h.connected(realClock)
	b := h.client(realClock)
	b.SetTenant(a.Tenant())
	ctx := ctxT(t)
	for _, c := range []*xero.Client{a, b} { // both hold the current token in memory
		if _, err := c.Currencies(ctx); err != nil {
			t.Fatal(err)
		}
	}
	tokenCalls := h.calls("POST /connect/token")
	h.srv.ExpireAccessTokens()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, c := range []*xero.Client{a, b} {
		wg.Go(func() { _, errs[i] = c.Accounts(ctx) })
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("errors: %v / %v", errs[0], errs[1])
	}
	if n := h.calls("POST /connect/token") - tokenCalls; n != 1 {
		t.Fatalf("%d refreshes reached Xero, want 1", n)
	}
}

// TestFailingRefreshLeaksNoToken: when the sign-in was withdrawn, the error
// says to connect again — and neither it nor the log holds a token or the
// client secret.
func TestFailingRefreshLeaksNoToken(t *testing.T) {
	h := newHarness(t, xerotest.Options{})
	web := func(o *xero.Options) {
		realClock(o)
		o.ClientID, o.ClientSecret = "sandbox-web", "sandbox-secret"
	}
	c := h.connected(web)
	ctx := ctxT(t)
	tok, err := h.store.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Withdraw the grant from a second client holding a copy of the token.
	other := &xero.FileStore{Path: filepath.Join(t.TempDir(), "copy.json")}
	if err := other.Save(ctx, tok); err != nil {
		t.Fatal(err)
	}
	revoker := h.client(func(o *xero.Options) { web(o); o.Store = other })
	if err := revoker.Revoke(ctx); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	h.srv.ExpireAccessTokens()
	_, err = c.Invoices(ctx, xero.InvoiceQuery{InvoiceNumbers: []string{"OC-1"}})
	var ae *xero.AuthError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %T %v, want AuthError", err, err)
	}
	if !strings.Contains(err.Error(), "connect to Xero again") {
		t.Fatalf("message not plain: %v", err)
	}
	for _, secret := range []string{tok.AccessToken, tok.RefreshToken, "sandbox-secret"} {
		if strings.Contains(err.Error(), secret) || strings.Contains(h.logs.String(), secret) {
			t.Fatalf("a token or the secret leaked: error %q, log %q", err, h.logs)
		}
	}
}

// TestRevokeAndDisconnect: disconnecting a tenant removes it from the
// connections; revoking withdraws the sign-in and clears the store.
func TestRevokeAndDisconnect(t *testing.T) {
	h := newHarness(t, xerotest.Options{Tenants: []xerotest.Tenant{
		{ID: "11111111-1111-4111-8111-111111111111", Name: "Shop One Ltd"},
		{ID: "22222222-2222-4222-8222-222222222222", Name: "Shop Two Ltd"},
	}})
	c := h.client(realClock)
	ctx := ctxT(t)
	if err := c.Login(ctx, xero.LoginOptions{}); err != nil {
		t.Fatal(err)
	}
	<-h.pages
	ts, err := c.Tenants(ctx)
	if err != nil || len(ts) != 2 {
		t.Fatalf("tenants: %+v %v", ts, err)
	}
	if _, err := xero.PickTenant(ts, ""); err == nil {
		t.Fatal("two tenants and no choice picked one")
	}
	two, err := xero.PickTenant(ts, "shop two ltd")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Disconnect(ctx, two.ID); err != nil {
		t.Fatalf("disconnect: %v", err)
	}
	if ts, err = c.Tenants(ctx); err != nil || len(ts) != 1 || ts[0].TenantName != "Shop One Ltd" {
		t.Fatalf("after disconnect: %+v %v", ts, err)
	}
	c.SetTenant(two.TenantID)
	var fe *xero.ForbiddenError
	if _, err := c.Organisation(ctx); !errors.As(err, &fe) {
		t.Fatalf("disconnected tenant: err = %T %v, want ForbiddenError", err, err)
	}
	if err := c.Revoke(ctx); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	if _, err := h.store.Load(ctx); !errors.Is(err, xero.ErrNoToken) {
		t.Fatalf("store after revoke: %v", err)
	}
	var ae *xero.AuthError
	if _, err := c.Tenants(ctx); !errors.As(err, &ae) || ae.Reason != xero.AuthNoToken {
		t.Fatalf("after revoke: %v", err)
	}
	if h.calls("POST /connect/revocation") != 1 {
		t.Fatalf("revocation calls: %v", h.srv.Calls())
	}
}
