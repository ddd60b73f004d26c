package app

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/xero"
)

func openTestProfile(t *testing.T) *Profile {
	t.Helper()
	p, err := OpenProfile(context.Background(), t.TempDir(), io.Discard, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func TestXeroTokenStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	p := openTestProfile(t)
	s := NewXeroTokenStore(p)

	if _, err := s.Load(ctx); !errors.Is(err, xero.ErrNoToken) {
		t.Fatalf("empty store: err = %v, want ErrNoToken", err)
	}
	want := &xero.Token{AccessToken: "acc-123", RefreshToken: "ref-456", Expiry: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	if err := s.Save(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessToken != want.AccessToken || got.RefreshToken != want.RefreshToken || !got.Expiry.Equal(want.Expiry) {
		t.Fatalf("round trip: got %+v", *got)
	}

	// The tokens live in the 0600 secrets file only, not in history.db.
	fi, err := os.Stat(filepath.Join(p.Dir, secretsFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("secrets file mode %v, want 0600", fi.Mode().Perm())
	}
	entries, err := os.ReadDir(p.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == secretsFile || e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(p.Dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("ref-456")) || bytes.Contains(b, []byte("acc-123")) {
			t.Fatalf("%s holds a token in clear", e.Name())
		}
	}

	// A second save replaces the first (rotation).
	if err := s.Save(ctx, &xero.Token{AccessToken: "acc-2", RefreshToken: "ref-2", Expiry: want.Expiry}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Load(ctx); got == nil || got.RefreshToken != "ref-2" {
		t.Fatalf("after rotation: %v", got)
	}
	if err := s.Save(ctx, &xero.Token{AccessToken: "x"}); err == nil {
		t.Fatal("a token without refresh token was stored")
	}
	if err := s.Clear(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx); !errors.Is(err, xero.ErrNoToken) {
		t.Fatalf("after clear: err = %v", err)
	}
}

func TestXeroTokenStoreLock(t *testing.T) {
	ctx := context.Background()
	p := openTestProfile(t)
	a, b := NewXeroTokenStore(p), NewXeroTokenStore(p)
	unlock, err := a.Lock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := b.Lock(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second lock while held: err = %v, want a wait that times out", err)
	}
	unlock()
	unlock2, err := b.Lock(ctx)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	unlock2()
	if _, err := os.Stat(filepath.Join(p.Dir, xeroLockFile)); err != nil {
		t.Fatalf("lock file not in the profile dir: %v", err)
	}
}

func TestXeroOptions(t *testing.T) {
	ctx := context.Background()
	p := openTestProfile(t)
	if _, err := XeroOptions(ctx, p); err == nil || !strings.Contains(err.Error(), "config set xero.client_id") {
		t.Fatalf("without client id: %v", err)
	}
	for k, v := range map[string]string{
		"xero.client_id": "CID", "xero.client_secret": "SEC", "xero.base_url": "http://127.0.0.1:9",
		"xero.redirect_port": "50123", "xero.scopes": "legacy", "xero.tenant_id": "T1",
	} {
		if err := p.Settings.Set(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	o, err := XeroOptions(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if o.ClientID != "CID" || o.ClientSecret != "SEC" || o.BaseURL != "http://127.0.0.1:9" || o.RedirectPort != 50123 ||
		!o.LegacyScopes || o.TenantID != "T1" || o.Store == nil {
		t.Fatalf("options %+v", o)
	}
	c, err := NewXeroClient(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.RedirectURI() != "http://localhost:50123/callback" || c.Scopes() != xero.ScopesLegacy || c.Tenant() != "T1" {
		t.Fatalf("client: %s %s %s", c.RedirectURI(), c.Scopes(), c.Tenant())
	}
}
