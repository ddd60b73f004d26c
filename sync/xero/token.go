package xero

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/filelock"
)

// Token is one Xero sign-in: the short-lived access token, the refresh token
// that renews it (and changes on every renewal) and when the access token
// expires. It never prints its contents.
type Token struct {
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token"`
	Expiry       time.Time `json:"expiry"`
	// Issuer is the address that issued the token (see BaseURL); the
	// token is only ever sent there. Empty means real Xero.
	Issuer string `json:"issuer,omitempty"`
}

// String hides the tokens so that a Token printed by mistake leaks nothing.
func (t *Token) String() string {
	if t == nil {
		return "xero.Token(nil)"
	}
	return "xero.Token{expires " + t.Expiry.UTC().Format(time.RFC3339) + "}"
}

// GoString hides the tokens from %#v too.
func (t *Token) GoString() string { return t.String() }

// validAt reports whether the access token can still be used at now, with a
// minute to spare.
func (t *Token) validAt(now time.Time) bool {
	return t != nil && t.AccessToken != "" && now.Add(time.Minute).Before(t.Expiry)
}

// TokenStore keeps the Xero sign-in between runs. Save must replace the
// stored token atomically. Lock serialises refreshes, also between
// processes; the client holds it while it renews and saves a token.
type TokenStore interface {
	// Load returns the stored token, or ErrNoToken.
	Load(ctx context.Context) (*Token, error)
	// Save stores t in place of the previous token.
	Save(ctx context.Context, t *Token) error
	// Clear forgets the token (after disconnecting).
	Clear(ctx context.Context) error
	// Lock waits for the refresh lock and returns its release.
	Lock(ctx context.Context) (unlock func(), err error)
}

// FileStore is a TokenStore in one JSON file, readable only by the user,
// with a lock file beside it. The app keeps tokens in its secret store
// instead; FileStore serves the sandbox and tools.
type FileStore struct {
	// Path is the token file; the lock is Path + ".lock".
	Path string
}

// Load reads the token file.
func (s *FileStore) Load(ctx context.Context) (*Token, error) {
	b, err := os.ReadFile(s.Path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoToken
	}
	if err != nil {
		return nil, fmt.Errorf("xero: read token file: %w", err)
	}
	return DecodeToken(b)
}

// Save writes the token file atomically with mode 0600.
func (s *FileStore) Save(ctx context.Context, t *Token) error {
	b, err := EncodeToken(t)
	if err != nil {
		return err
	}
	return writeFileAtomic(s.Path, b, 0o600)
}

// Clear removes the token file.
func (s *FileStore) Clear(ctx context.Context) error {
	if err := os.Remove(s.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("xero: remove token file: %w", err)
	}
	return nil
}

// Lock takes the lock file beside the token file.
func (s *FileStore) Lock(ctx context.Context) (func(), error) {
	return filelock.Lock(ctx, s.Path+".lock")
}

// EncodeToken turns a token into the JSON a TokenStore keeps.
func EncodeToken(t *Token) ([]byte, error) {
	if t == nil || t.RefreshToken == "" {
		return nil, errors.New("xero: refusing to store a token without a refresh token")
	}
	b, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("xero: encode token: %w", err)
	}
	return b, nil
}

// DecodeToken reads what EncodeToken wrote.
func DecodeToken(b []byte) (*Token, error) {
	var t Token
	if err := json.Unmarshal(b, &t); err != nil {
		// The JSON error could quote the token; do not pass it on.
		return nil, errors.New("xero: the stored Xero sign-in is damaged; connect again")
	}
	if t.RefreshToken == "" {
		return nil, ErrNoToken
	}
	return &t, nil
}

// writeFileAtomic writes data to a temporary file beside path and renames it
// over path.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("xero: write %s: %w", path, err)
	}
	name := tmp.Name()
	defer os.Remove(name)
	err = tmp.Chmod(perm)
	if err == nil {
		_, err = tmp.Write(data)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(name, path)
	}
	if err != nil {
		return fmt.Errorf("xero: write %s: %w", path, err)
	}
	return nil
}
