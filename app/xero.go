package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/filelock"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// secretXeroToken is the secret that holds the Xero sign-in: access token,
// refresh token and expiry, as one JSON value so it is replaced at once.
const secretXeroToken = "xero.token"

// xeroLockFile, in the profile directory, lets one process at a time renew
// the Xero sign-in.
const xeroLockFile = "xero-token.lock"

// XeroTokenStore keeps the Xero sign-in in the profile's secret store (OS
// keychain or the 0600 file) with a lock file in the profile directory.
type XeroTokenStore struct {
	secrets  *Secrets
	lockPath string
}

// NewXeroTokenStore is the token store of profile p.
func NewXeroTokenStore(p *Profile) *XeroTokenStore {
	return &XeroTokenStore{secrets: p.Secrets, lockPath: filepath.Join(p.Dir, xeroLockFile)}
}

// Load reads the stored sign-in, or xero.ErrNoToken.
func (s *XeroTokenStore) Load(ctx context.Context) (*xero.Token, error) {
	v, err := s.secrets.Get(secretXeroToken)
	if errors.Is(err, ErrNoSecret) {
		return nil, xero.ErrNoToken
	}
	if err != nil {
		return nil, err
	}
	return xero.DecodeToken([]byte(v))
}

// Save replaces the stored sign-in, noting when it was renewed
// (health.go).
func (s *XeroTokenStore) Save(ctx context.Context, t *xero.Token) error {
	b, err := xero.EncodeToken(t)
	if err != nil {
		return err
	}
	if err := s.secrets.Set(secretXeroToken, string(b)); err != nil {
		return err
	}
	noteTokenRenewed(filepath.Dir(s.lockPath), time.Now())
	return nil
}

// Clear forgets the stored sign-in.
func (s *XeroTokenStore) Clear(ctx context.Context) error { return s.secrets.Delete(secretXeroToken) }

// Lock takes the profile's Xero lock file.
func (s *XeroTokenStore) Lock(ctx context.Context) (func(), error) {
	return filelock.Lock(ctx, s.lockPath)
}

// XeroOptions reads the profile's xero.* settings into client options.
func XeroOptions(ctx context.Context, p *Profile) (xero.Options, error) {
	get := func(name string) (string, error) { return p.Settings.Get(ctx, name) }
	var o xero.Options
	var err error
	if o.ClientID, err = get("xero.client_id"); err != nil {
		return o, err
	}
	if o.ClientID == "" {
		return o, errors.New("xero.client_id is not set: create an app at developer.xero.com (type \"Auth Code with PKCE\"), then run: opencart-xero config set xero.client_id YOUR_CLIENT_ID")
	}
	if o.ClientSecret, err = get("xero.client_secret"); err != nil {
		return o, err
	}
	if o.BaseURL, err = get("xero.base_url"); err != nil {
		return o, err
	}
	port, err := get("xero.redirect_port")
	if err != nil {
		return o, err
	}
	if o.RedirectPort, err = strconv.Atoi(port); err != nil {
		return o, fmt.Errorf("xero.redirect_port %q is not a number", port)
	}
	scopes, err := get("xero.scopes")
	if err != nil {
		return o, err
	}
	o.LegacyScopes = scopes == "legacy"
	if o.TenantID, err = get("xero.tenant_id"); err != nil {
		return o, err
	}
	o.Store = NewXeroTokenStore(p)
	return o, nil
}

// NewXeroClient builds the Xero client from the profile's settings; adjust,
// when given, changes options first (e.g. the window's browser opener).
func NewXeroClient(ctx context.Context, p *Profile, adjust func(*xero.Options)) (*xero.Client, error) {
	o, err := XeroOptions(ctx, p)
	if err != nil {
		return nil, err
	}
	if adjust != nil {
		adjust(&o)
	}
	return xero.New(o)
}
