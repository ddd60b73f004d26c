package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/zalando/go-keyring"
)

// SecretsEnv names the environment variable that chooses where secrets are
// kept: "keychain" or "file". Only the command line's edge (Main) reads it,
// once, and passes the choice on as a SecretsStore.
const SecretsEnv = "OPENCART_XERO_SECRETS"

// SecretsStore chooses where a profile keeps its secrets.
type SecretsStore string

// Where secrets may be kept.
const (
	// SecretsAuto is the OS keychain when one answers, else the 0600 file
	// with a warning.
	SecretsAuto SecretsStore = ""
	// SecretsKeychain is the OS keychain.
	SecretsKeychain SecretsStore = "keychain"
	// SecretsFile is the 0600 file in the profile directory, chosen by the
	// person (so without a warning).
	SecretsFile SecretsStore = "file"
)

// SecretsStoreFromEnv is the store $OPENCART_XERO_SECRETS chooses; unset
// or any other value is SecretsAuto.
func SecretsStoreFromEnv() SecretsStore {
	switch v := SecretsStore(os.Getenv(SecretsEnv)); v {
	case SecretsKeychain, SecretsFile:
		return v
	}
	return SecretsAuto
}

// ProfileOption changes how a profile is opened.
type ProfileOption func(*profileOptions)

// profileOptions are the choices ProfileOptions make.
type profileOptions struct {
	secrets SecretsStore
}

// WithSecrets keeps the profile's secrets in store (default SecretsAuto).
func WithSecrets(store SecretsStore) ProfileOption {
	return func(o *profileOptions) { o.secrets = store }
}

// ErrNoSecret is returned when a secret was never stored.
var ErrNoSecret = errors.New("secret not stored")

const secretsFile = "secrets.json"

// Secrets keeps the client secret, refresh token and database password in
// the OS keychain, or — where no keychain is available — in a file readable
// only by the user, with a warning.
type Secrets struct {
	dir     string
	service string // keychain service name, unique per profile
	file    bool
	warning string
	mu      sync.Mutex
}

// OpenSecrets opens the secret back-end store for the profile in dir.
func OpenSecrets(dir string, store SecretsStore) *Secrets {
	s := &Secrets{dir: dir, service: "opencart-xero " + dir}
	switch store {
	case SecretsFile:
		s.file = true // chosen by the person, so no warning
	case SecretsKeychain:
	default:
		if _, err := keyring.Get(s.service, "probe"); err != nil && !errors.Is(err, keyring.ErrNotFound) {
			s.file = true
			s.warning = fmt.Sprintf("no OS keychain is available (%v); secrets are kept in %s, readable only by you", err, filepath.Join(dir, secretsFile))
		}
	}
	return s
}

// Backend names where secrets are kept: "keychain" or "file".
func (s *Secrets) Backend() string {
	if s.file {
		return "file"
	}
	return "keychain"
}

// Warning is a sentence for the person when secrets are not in a keychain.
func (s *Secrets) Warning() string { return s.warning }

// Get returns a secret, or ErrNoSecret.
func (s *Secrets) Get(name string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.file {
		v, err := keyring.Get(s.service, name)
		if errors.Is(err, keyring.ErrNotFound) {
			return "", ErrNoSecret
		}
		if err != nil {
			return "", fmt.Errorf("keychain: read %s: %w", name, err)
		}
		return v, nil
	}
	m, err := s.readFile()
	if err != nil {
		return "", err
	}
	v, ok := m[name]
	if !ok {
		return "", ErrNoSecret
	}
	return v, nil
}

// Set stores a secret; an empty value deletes it.
func (s *Secrets) Set(name, value string) error {
	if value == "" {
		return s.Delete(name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.file {
		if err := keyring.Set(s.service, name, value); err != nil {
			return fmt.Errorf("keychain: store %s: %w", name, err)
		}
		return nil
	}
	m, err := s.readFile()
	if err != nil {
		return err
	}
	m[name] = value
	return s.writeFile(m)
}

// Delete removes a secret; removing an absent one is not an error.
func (s *Secrets) Delete(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.file {
		if err := keyring.Delete(s.service, name); err != nil && !errors.Is(err, keyring.ErrNotFound) {
			return fmt.Errorf("keychain: delete %s: %w", name, err)
		}
		return nil
	}
	m, err := s.readFile()
	if err != nil {
		return err
	}
	if _, ok := m[name]; !ok {
		return nil
	}
	delete(m, name)
	return s.writeFile(m)
}

func (s *Secrets) readFile() (map[string]string, error) {
	m := map[string]string{}
	b, err := os.ReadFile(filepath.Join(s.dir, secretsFile))
	if errors.Is(err, os.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, fmt.Errorf("secrets: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("secrets: %s is damaged: %w", secretsFile, err)
	}
	return m, nil
}

// writeFile replaces the secrets file atomically, mode 0600 (on Windows,
// an ACL that admits the user only).
func (s *Secrets) writeFile(m map[string]string) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("secrets: %w", err)
	}
	path := filepath.Join(s.dir, secretsFile)
	if err := WriteFileAtomic(path, b, 0o600); err != nil {
		return err
	}
	if err := restrictToOwner(path, false); err != nil {
		return fmt.Errorf("secrets: %s could not be made readable only by you: %w", path, err)
	}
	return nil
}

// WriteFileAtomic writes data to a temporary file in the same directory,
// syncs it and renames it over path, so readers see the old or the new
// content, never a part.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	name := tmp.Name()
	defer os.Remove(name) // no-op after a successful rename
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
