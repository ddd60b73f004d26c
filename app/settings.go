package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart/reach"
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
	{Name: "store.tls", Help: "encryption of the MySQL connection: auto (verify for a host reached directly over the network; off for this computer and through SSH), off, preferred, required or verify (checks the certificate's name and chain)", Default: string(reach.TLSAuto), Check: checkTLSMode},
	{Name: "store.tls_ca", Help: "PEM file of the certificate authority that signed the database's certificate (managed databases); empty = the system's", Check: checkCAFile},
	{Name: "store.ssh", Help: "reach the database through SSH: user@host or user@host:port (empty = connect directly); the DSN's host is then as the SSH server sees it, usually 127.0.0.1", Check: checkSSHServer},
	{Name: "store.ssh_key", Help: "private key file for store.ssh (empty = the password, or the SSH agent where one runs)", Check: checkFile},
	{Name: "store.ssh_key_passphrase", Help: "passphrase of store.ssh_key, when it has one", Secret: true},
	{Name: "store.ssh_password", Help: "password of the SSH account, when it logs in with one", Secret: true},
	{Name: "store.ssh_host_key", Help: "SHA256 fingerprint of the SSH server's host key, pinned on first connection (store check); a changed key is refused", Check: reach.CheckHostKey},
	{Name: "xero.client_id", Help: "Client ID of your Xero app", Check: checkNoSpace},
	{Name: "xero.client_secret", Help: "Client secret (only for a \"Web app\"; leave empty for \"Auth Code with PKCE\")", Secret: true},
	{Name: "xero.base_url", Help: "empty = real Xero; a sandbox URL sends every Xero call there", Check: checkBaseURL},
	{Name: "xero.redirect_port", Help: "port of the loopback redirect URI registered with Xero (http://localhost:PORT/callback)", Default: "28512", Check: checkPort},
	{Name: "xero.scopes", Help: "granular (apps created from March 2026) or legacy (accounting.transactions)", Default: "granular", Check: oneOf("granular", "legacy")},
	{Name: "xero.tenant_id", Help: "the connected Xero organisation (tenant id)", Check: checkNoSpace},
	{Name: "invoice.status", Help: "status of new invoices: DRAFT, SUBMITTED (Awaiting Approval) or AUTHORISED (Awaiting Payment)", Default: mapping.StatusDraft, Check: oneOf(mapping.StatusDraft, mapping.StatusSubmitted, mapping.StatusAuthorised)},
	{Name: "export.options", Help: "export choices as JSON (accounts, tax mapping, statuses); see: opencart-xero config propose", Check: checkExportOptions},
	// branch unattended: the run summary by e-mail (mail.go).
	{Name: "smtp.host", Help: "mail server that sends the summary of scheduled exports (empty = no e-mail)", Check: checkNoSpace},
	{Name: "smtp.port", Help: "its port: 587 (STARTTLS) or 465 (TLS from the start); the password is only ever sent encrypted", Default: "587", Check: checkMailPort},
	{Name: "smtp.user", Help: "user name on the mail server (empty = no sign-in)"},
	{Name: "smtp.password", Help: "password on the mail server", Secret: true},
	{Name: "smtp.from", Help: "sender address of the summary", Check: checkMailAddresses},
	{Name: "smtp.to", Help: "where the summary goes: addresses separated by commas", Check: checkMailAddresses},
	{Name: "smtp.when", Help: "problems (a scheduled export with failed records or that stopped) or always", Default: "problems", Check: oneOf("problems", "always")},
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
	if name == "store.ssh" {
		if err := s.forgetHostKey(ctx, value); err != nil {
			return err
		}
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

// checkDSN refuses a DSN that is not one, names no database, or holds an
// option that would let the server read local files or weaken the login.
func checkDSN(v string) error { return reach.CheckDSN(v) }

// forgetHostKey drops the pinned host key when store.ssh names another
// server: the pin belongs to the server it was seen on.
func (s *Settings) forgetHostKey(ctx context.Context, server string) error {
	old, err := s.Get(ctx, "store.ssh")
	if err != nil {
		return err
	}
	if sameSSHServer(old, server) {
		return nil
	}
	return s.store.DeleteSetting(ctx, "store.ssh_host_key")
}

func sameSSHServer(a, b string) bool {
	_, addrA, errA := reach.ParseServer(a)
	_, addrB, errB := reach.ParseServer(b)
	return errA == nil && errB == nil && addrA == addrB
}

func checkTLSMode(v string) error {
	_, err := reach.ParseTLSMode(v)
	return err
}

func checkCAFile(v string) error {
	_, err := reach.LoadCA(v)
	return err
}

func checkSSHServer(v string) error {
	_, _, err := reach.ParseServer(v)
	return err
}

func checkFile(v string) error {
	st, err := os.Stat(v)
	if err != nil {
		return fmt.Errorf("the file cannot be read: %w", err)
	}
	if st.IsDir() {
		return fmt.Errorf("%s is a folder, not a file", v)
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
