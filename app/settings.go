package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// SettingKey describes one setting: its name, help, default and rules.
type SettingKey struct {
	Name    string
	Help    string
	Default string
	// Secret settings are kept in the keychain (or the 0600 file) and only
	// ever shown redacted.
	Secret bool
	// Check returns a plain-language reason when a value is not acceptable.
	Check func(string) error
	// EmptyIsValue stores an empty value as such instead of resetting the
	// setting to its default (a shop may have no table prefix).
	EmptyIsValue bool
}

// secretDSNPassword is the secret that holds the password part of store.dsn.
const secretDSNPassword = "store.password"

// SettingKeys lists every setting, in the order shown by `config list`.
var SettingKeys = []SettingKey{
	{Name: "store.dsn", Help: "OpenCart MySQL database: user:password@tcp(host:3306)/database (the password is kept as a secret)", Check: checkDSN},
	{Name: "store.prefix", Help: "OpenCart table prefix (\"\" for none)", Default: "oc_", Check: checkPrefix, EmptyIsValue: true},
	{Name: "xero.client_id", Help: "Client ID of your Xero app", Check: checkNoSpace},
	{Name: "xero.client_secret", Help: "Client secret (only for a \"Web app\"; leave empty for \"Auth Code with PKCE\")", Secret: true},
	{Name: "xero.base_url", Help: "empty = real Xero; a sandbox URL sends every Xero call there", Check: checkBaseURL},
	{Name: "xero.redirect_port", Help: "port of the loopback redirect URI registered with Xero (http://localhost:PORT/callback)", Default: "28512", Check: checkPort},
	{Name: "xero.scopes", Help: "granular (apps created from March 2026) or legacy (accounting.transactions)", Default: "granular", Check: oneOf("granular", "legacy")},
	{Name: "xero.tenant_id", Help: "the connected Xero organisation (tenant id)", Check: checkNoSpace},
	{Name: "invoice.status", Help: "status of new invoices: DRAFT, SUBMITTED (Awaiting Approval) or AUTHORISED (Awaiting Payment)", Default: mapping.StatusDraft, Check: oneOf(mapping.StatusDraft, mapping.StatusSubmitted, mapping.StatusAuthorised)},
	{Name: "export.options", Help: "export choices as JSON (accounts, tax mapping, statuses); see: opencart-xero config propose", Check: checkExportOptions},
}

// LookupSettingKey finds a setting by name.
func LookupSettingKey(name string) (SettingKey, bool) {
	for _, k := range SettingKeys {
		if k.Name == name {
			return k, true
		}
	}
	return SettingKey{}, false
}

// ErrUnknownSetting is returned for a name that is not a setting.
var ErrUnknownSetting = errors.New("unknown setting")

// Settings reads and writes the profile's settings; secret ones go to the
// secret store, the rest to history.db.
type Settings struct {
	store   *history.Store
	secrets *Secrets
}

// Get returns a setting's value, or its default when unset. For store.dsn
// the password is put back in, so the value is ready to connect with.
func (s *Settings) Get(ctx context.Context, name string) (string, error) {
	k, ok := LookupSettingKey(name)
	if !ok {
		return "", fmt.Errorf("%w %q", ErrUnknownSetting, name)
	}
	if k.Secret {
		v, err := s.secrets.Get(name)
		if errors.Is(err, ErrNoSecret) {
			return k.Default, nil
		}
		return v, err
	}
	v, err := s.store.Setting(ctx, name)
	if errors.Is(err, history.ErrNotFound) {
		return k.Default, nil
	}
	if err != nil {
		return "", err
	}
	if name == "store.dsn" && v != "" {
		pw, err := s.secrets.Get(secretDSNPassword)
		if err != nil && !errors.Is(err, ErrNoSecret) {
			return "", err
		}
		return withDSNPassword(v, pw)
	}
	return v, nil
}

// Set checks and stores a setting; an empty value resets it to its default
// (or, for EmptyIsValue settings, is stored as the empty value).
func (s *Settings) Set(ctx context.Context, name, value string) error {
	k, ok := LookupSettingKey(name)
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownSetting, name)
	}
	value = strings.TrimSpace(value)
	if value != "" && k.Check != nil {
		if err := k.Check(value); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if k.Secret {
		return s.secrets.Set(name, value)
	}
	if name == "store.dsn" {
		bare, pw, err := splitDSNPassword(value)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := s.secrets.Set(secretDSNPassword, pw); err != nil {
			return err
		}
		value = bare
	}
	if value == "" && !k.EmptyIsValue {
		return s.store.DeleteSetting(ctx, name)
	}
	return s.store.SetSetting(ctx, name, value)
}

// Shown returns a setting as it may be displayed: secrets and the DSN
// password redacted.
func (s *Settings) Shown(ctx context.Context, name string) (string, error) {
	k, ok := LookupSettingKey(name)
	if !ok {
		return "", fmt.Errorf("%w %q", ErrUnknownSetting, name)
	}
	v, err := s.Get(ctx, name)
	if err != nil {
		return "", err
	}
	switch {
	case k.Secret && v != "":
		return "********", nil
	case name == "store.dsn" && v != "":
		return RedactDSN(v), nil
	}
	return v, nil
}

// All returns every setting name in display order with its shown value.
func (s *Settings) All(ctx context.Context) ([][2]string, error) {
	out := make([][2]string, 0, len(SettingKeys))
	for _, k := range SettingKeys {
		v, err := s.Shown(ctx, k.Name)
		if err != nil {
			return nil, err
		}
		out = append(out, [2]string{k.Name, v})
	}
	return out, nil
}

// RedactDSN replaces the password of a MySQL DSN with asterisks.
func RedactDSN(dsn string) string {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return "(unreadable DSN)"
	}
	if cfg.Passwd != "" {
		cfg.Passwd = "********"
	}
	return formatDSN(cfg)
}

func splitDSNPassword(dsn string) (bare, password string, err error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return "", "", err
	}
	password, cfg.Passwd = cfg.Passwd, ""
	return formatDSN(cfg), password, nil
}

func withDSNPassword(dsn, password string) (string, error) {
	if password == "" {
		return dsn, nil
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return "", fmt.Errorf("store.dsn: %w", err)
	}
	cfg.Passwd = password
	return formatDSN(cfg), nil
}

// formatDSN prints a DSN; the driver writes only non-default parameters.
func formatDSN(cfg *mysql.Config) string { return cfg.FormatDSN() }

func checkDSN(v string) error {
	cfg, err := mysql.ParseDSN(v)
	if err != nil {
		return fmt.Errorf("not a MySQL DSN (user:password@tcp(host:3306)/database): %w", err)
	}
	if cfg.DBName == "" {
		return errors.New("the DSN names no database (…/database at the end)")
	}
	return nil
}

func checkPrefix(v string) error {
	for _, r := range v {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return fmt.Errorf("a table prefix has only letters, digits and _, not %q", r)
		}
	}
	return nil
}

func checkNoSpace(v string) error {
	if strings.ContainsAny(v, " \t\r\n") {
		return errors.New("must not contain spaces")
	}
	return nil
}

// checkBaseURL keeps plain http to this computer: tokens and the client
// secret travel to the base URL.
func checkBaseURL(v string) error { return xero.CheckBaseURL(v) }

func checkPort(v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1024 || n > 65535 {
		return errors.New("must be a port number from 1024 to 65535")
	}
	return nil
}

func oneOf(allowed ...string) func(string) error {
	return func(v string) error {
		for _, a := range allowed {
			if v == a {
				return nil
			}
		}
		return fmt.Errorf("must be one of %s", strings.Join(allowed, ", "))
	}
}
