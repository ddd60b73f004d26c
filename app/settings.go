package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/reach"
	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/opencart-xero/opencart-xero/views"
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
	// branch paidmethod: what happens to documents dated inside Xero's locked period.
	{Name: "export.locked_period", Help: "a document dated on or before Xero's lock date: refuse (not sent, the record says why) or first_open_day (dated the day after the lock date, with a note in its history)", Default: export.LockedRefuse, Check: export.CheckLockedPeriod},
	// branch ownership (issue 12): the profile's number prefix; per-store
	// settings store.<id>.prefix and store.<id>.tracking are in settings_prefix.go.
	{Name: "invoice.prefix", Help: "number prefix of this shop's invoices (OC-4001), contacts (OC-C12, OC-G…) and credit notes (OC-CN-4001, OC-CN-R7); a second shop exporting into the same Xero organisation needs its own, e.g. SHOP2-", Default: mapping.DefaultPrefix, Check: mapping.CheckPrefix},
	// VAT classes of untaxed sales (branch vat): each takes precedence over
	// export.options' tax_classes, as invoice.status does.
	{Name: "tax.class.zero_rated", Help: "Xero tax type of untaxed sales whose tax class has no rate (or a 0% one) for the customer, e.g. ZERORATEDOUTPUT (UK), EXEMPTOUTPUT (AU), ZERORATED (NZ); empty = export.options, else the no-tax type", Check: checkNoSpace},
	{Name: "tax.class.exempt", Help: "Xero tax type of exempt sales (products of a tax class marked exempt in export.options tax_classes.by_tax_class), e.g. EXEMPTOUTPUT (UK), INPUTTAXED (AU)", Check: checkNoSpace},
	{Name: "tax.class.export", Help: "Xero tax type of sales to a customer outside every geo zone of the shop's tax rules, e.g. ZERORATEDOUTPUT (UK), EXEMPTEXPORT (AU), ZERORATED (NZ)", Check: checkNoSpace},
	{Name: "tax.class.reverse_charge", Help: "Xero tax type of sales to a business in another EU country with a VAT number, e.g. ECZROUTPUT or ECZROUTPUTSERVICES (Northern Ireland); empty = as exports", Check: checkNoSpace},
	// branch firsthour: the start-date cut-off.
	{Name: "export.since", Help: "export only orders placed from this day on (YYYY-MM-DD, shop time), with their payments and credit notes; empty = all orders", Check: checkSince},
	// Branch shopdata (issue 17): untrusted exchange rates, VAT number custom fields.
	{Name: "invoice.implausible_rate", Help: "a foreign-currency order whose stored exchange rate cannot be trusted (exactly 1, or more than 3 times off today's rate: the shop's base currency changed since): xero_rate = send it without a rate, Xero applies its own rate of the day; refuse = do not export it", Default: mapping.RateXero, Check: oneOf(mapping.RateXero, mapping.RateRefuse)},
	{Name: "contact.tax_number_fields", Help: "names of the OpenCart custom fields that hold a customer's VAT or tax number, comma-separated (compared without case, spaces or punctuation); empty = the usual ones: " + strings.Join(opencart.DefaultTaxNumberFields, ", "), Check: checkFieldNames},
	// branch incremental: runs read only what changed, with a full read this often.
	{Name: "export.full_sweep_hours", Help: "runs read only the orders, returns and customers changed since the last complete run; every this many hours (and after a settings change, or with export all --full) a run reads everything", Default: "24", Check: checkFullSweepHours},
	// branch unattended: the run summary by e-mail (mail.go).
	{Name: "smtp.host", Help: "mail server that sends the summary of scheduled exports (empty = no e-mail)", Check: checkNoSpace},
	{Name: "smtp.port", Help: "its port: 587 (STARTTLS) or 465 (TLS from the start); the password is only ever sent encrypted", Default: "587", Check: checkMailPort},
	{Name: "smtp.user", Help: "user name on the mail server (empty = no sign-in)"},
	{Name: "smtp.password", Help: "password on the mail server", Secret: true},
	{Name: "smtp.from", Help: "sender address of the summary", Check: checkMailAddresses},
	{Name: "smtp.to", Help: "where the summary goes: addresses separated by commas", Check: checkMailAddresses},
	// The window: "Export everything new" was confirmed once for this profile.
	{Name: views.SettingExportAllConfirmed, Help: "yes once \"Export everything new\" was confirmed in the window: it no longer asks first (empty = ask)", Check: oneOf("yes")},
	{Name: "smtp.when", Help: "problems (a scheduled export with failed records or that stopped) or always", Default: "problems", Check: oneOf("problems", "always")},
}

// taxClassKeys are the settings of the VAT classes, by class.
var taxClassKeys = []struct {
	key   string
	class mapping.VATClass
}{
	{"tax.class.zero_rated", mapping.VATZeroRated}, {"tax.class.exempt", mapping.VATExempt},
	{"tax.class.export", mapping.VATExport}, {"tax.class.reverse_charge", mapping.VATReverseCharge},
}

// checkFieldNames accepts a comma-separated list of non-empty names.
func checkFieldNames(v string) error {
	for _, n := range strings.Split(v, ",") {
		if strings.TrimSpace(n) == "" {
			return errors.New("an empty name in the list (names are separated by commas)")
		}
	}
	return nil
}

// fieldNames splits contact.tax_number_fields; empty gives nil (the usual names).
func fieldNames(v string) []string {
	var out []string
	for _, n := range strings.Split(v, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// checkFullSweepHours accepts a whole number of hours from 1 to 8760.
func checkFullSweepHours(v string) error {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 || n > 8760 {
		return fmt.Errorf("%q: a whole number of hours from 1 to 8760", v)
	}
	return nil
}

// LookupSettingKey finds a setting by name.
func LookupSettingKey(name string) (SettingKey, bool) {
	for _, k := range SettingKeys {
		if k.Name == name {
			return k, true
		}
	}
	return storeSettingKey(name)
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
	stores, err := s.storeSettings(ctx)
	return append(out, stores...), err
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
