// Package reach is how the shop's MySQL database is reached: directly,
// over TLS, or through an SSH tunnel. It shapes the driver's connection
// from a DSN the bookkeeper typed (refusing the options that would let a
// database server read local files or weaken the login), dials through
// the tunnel, pins the SSH server's host key and names which hop failed.
// Nothing above the shop reader knows which route is taken.
package reach

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

// TLSMode says whether and how the MySQL connection is encrypted.
type TLSMode string

// The TLS modes of store.tls.
const (
	// TLSAuto is TLSVerify for a host reached directly that is not this
	// computer, TLSOff for this computer and through SSH (the tunnel
	// encrypts).
	TLSAuto TLSMode = "auto"
	// TLSOff never encrypts.
	TLSOff TLSMode = "off"
	// TLSPreferred encrypts when the server offers it, without checking
	// its certificate, and falls back to plain text.
	TLSPreferred TLSMode = "preferred"
	// TLSRequired always encrypts, without checking the certificate.
	TLSRequired TLSMode = "required"
	// TLSVerify always encrypts and checks the certificate's chain and
	// that it names the host.
	TLSVerify TLSMode = "verify"
)

// TLSModes lists the modes in the order a form offers them.
var TLSModes = []TLSMode{TLSAuto, TLSOff, TLSPreferred, TLSRequired, TLSVerify}

// ParseTLSMode reads a store.tls value; "" is TLSAuto.
func ParseTLSMode(s string) (TLSMode, error) {
	if s == "" {
		return TLSAuto, nil
	}
	for _, m := range TLSModes {
		if string(m) == s {
			return m, nil
		}
	}
	return "", fmt.Errorf("the TLS mode %q is not one of auto, off, preferred, required, verify", s)
}

// Route is everything that decides how the shop database is reached.
type Route struct {
	// DSN is the go-sql-driver DSN (user:password@tcp(host:3306)/shop).
	// Through SSH, its host is resolved on the SSH server's side.
	DSN string
	// TLS is the encryption of the MySQL connection itself ("" = auto).
	TLS TLSMode
	// TLSCA is a PEM file of the certificate authority that signed the
	// server's certificate (managed databases); "" = the system's.
	TLSCA string
	// SSH is the tunnel; its Server "" means a direct connection.
	SSH SSH
}

// Effective is the TLS mode a route really uses, auto resolved.
func (r Route) Effective(host string) TLSMode {
	m, err := ParseTLSMode(string(r.TLS))
	if err != nil || m != TLSAuto {
		return m
	}
	if r.SSH.Server != "" || isLoopback(host) {
		return TLSOff
	}
	return TLSVerify
}

// isLoopback reports whether host is this computer.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

// ErrUnsafeDSN marks a DSN refused because of one of its options.
var ErrUnsafeDSN = errors.New("unsafe DSN option")

// refusedOptions are the DSN parameters the app never lets through, with
// why, in the bookkeeper's words.
var refusedOptions = []struct{ name, why string }{
	{"allowAllFiles", "it lets the database server read any file on this computer (LOAD DATA LOCAL INFILE), such as the saved passwords"},
	{"allowCleartextPasswords", "it sends the database password in plain text"},
	{"allowOldPasswords", "it allows MySQL's old, broken password hashing"},
	{"allowFallbackToPlaintext", "it silently drops encryption; choose the TLS mode with store.tls instead"},
	{"tls", "encryption is chosen with the setting store.tls (off, preferred, required, verify) and store.tls_ca, not in the DSN"},
	{"serverPubKey", "the server's key is not registered by this app"},
}

// ParseDSN reads a DSN and refuses the options that would let a database
// server read local files, weaken the login or choose the encryption
// behind store.tls's back. The returned config has them forced off.
func ParseDSN(dsn string) (*mysql.Config, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("not a MySQL DSN (user:password@tcp(host:3306)/database): %w", err)
	}
	// The driver reads parameters after the first "?" that follows the
	// last "/"; so does this check.
	slash := strings.LastIndex(dsn, "/")
	if q := strings.Index(dsn[slash+1:], "?"); q >= 0 {
		for _, kv := range strings.Split(dsn[slash+1+q+1:], "&") {
			name, _, _ := strings.Cut(kv, "=")
			for _, o := range refusedOptions {
				if strings.EqualFold(name, o.name) {
					return nil, fmt.Errorf("%w: remove %q from the DSN: %s", ErrUnsafeDSN, name, o.why)
				}
			}
		}
	}
	if cfg.DBName == "" {
		return nil, errors.New("the DSN names no database (…/database at the end)")
	}
	cfg.AllowAllFiles = false
	cfg.AllowCleartextPasswords = false
	cfg.AllowOldPasswords = false
	cfg.AllowFallbackToPlaintext = false
	cfg.TLSConfig, cfg.TLS = "", nil
	return cfg, nil
}

// CheckDSN says in plain words why a DSN cannot be saved, or nil.
func CheckDSN(dsn string) error {
	_, err := ParseDSN(dsn)
	return err
}

// Link is an opened route: the driver's connection settings, dialling
// through the tunnel when there is one. Close it when done.
type Link struct {
	// Config connects with the database driver (mysql.NewConnector).
	Config *mysql.Config
	// Via describes the route in a few words, e.g. "directly, TLS verified".
	Via string
	// Warnings are said to the bookkeeper (an unencrypted connection over
	// the internet).
	Warnings []string
	// HostKey is the SSH server's host key fingerprint, "" when direct.
	HostKey string
	tunnel  *Tunnel
}

// Close closes the tunnel, if any.
func (l *Link) Close() error {
	if l.tunnel == nil {
		return nil
	}
	return l.tunnel.Close()
}

// Open shapes the driver's settings for r and, through SSH, opens the
// tunnel now, so that the SSH hop's problems show before MySQL's.
func (r Route) Open(ctx context.Context) (*Link, error) {
	cfg, err := ParseDSN(r.DSN)
	if err != nil {
		return nil, err
	}
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	cfg.InterpolateParams = true
	if err := cfg.Apply(mysql.Charset("utf8mb4", "utf8mb4_general_ci")); err != nil {
		return nil, err
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		host = cfg.Addr
	}
	l := &Link{Config: cfg}
	mode := r.Effective(host)
	if err := applyTLS(cfg, mode, r.TLSCA, host); err != nil {
		return nil, err
	}
	if r.SSH.Server == "" {
		l.Via = "directly, " + describeTLS(mode)
		if (mode == TLSOff || mode == TLSPreferred) && !isLoopback(host) {
			l.Warnings = append(l.Warnings, fmt.Sprintf("the connection to %s may be unencrypted (store.tls is %s): the database password and the shop's data could be read on the way; use store.tls verify or an SSH tunnel (store.ssh)", host, mode))
		}
		return l, nil
	}
	if cfg.Net != "tcp" {
		return nil, fmt.Errorf("through SSH the DSN must name tcp(host:3306), not %s(…)", cfg.Net)
	}
	if cfg.ReadTimeout != 0 || cfg.WriteTimeout != 0 {
		return nil, errors.New("readTimeout and writeTimeout cannot be used through SSH; remove them from the DSN (the tunnel's keep-alives notice a dead link)")
	}
	t, err := NewTunnel(r.SSH)
	if err != nil {
		return nil, err
	}
	if err := t.Connect(ctx); err != nil {
		return nil, err
	}
	cfg.DialFunc = t.DialContext
	l.tunnel, l.HostKey = t, t.HostKey()
	l.Via = fmt.Sprintf("through SSH %s (host key %s), MySQL %s", t.server, l.HostKey, describeTLS(mode))
	return l, nil
}

func describeTLS(m TLSMode) string {
	switch m {
	case TLSVerify:
		return "TLS verified"
	case TLSRequired:
		return "TLS without certificate check"
	case TLSPreferred:
		return "TLS when offered"
	}
	return "no TLS"
}

// applyTLS sets the driver's TLS configuration for mode.
func applyTLS(cfg *mysql.Config, mode TLSMode, caFile, host string) error {
	switch mode {
	case TLSOff:
		return nil
	case TLSPreferred:
		cfg.TLS = &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}
		cfg.AllowFallbackToPlaintext = true
		return nil
	case TLSRequired:
		cfg.TLS = &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}
		return nil
	case TLSVerify:
		tc := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
		if caFile != "" {
			pool, err := LoadCA(caFile)
			if err != nil {
				return err
			}
			tc.RootCAs = pool
		}
		cfg.TLS = tc
		return nil
	}
	return fmt.Errorf("the TLS mode %q is not one of off, preferred, required, verify", mode)
}

// LoadCA reads a PEM file of certificate authorities (store.tls_ca).
func LoadCA(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("the TLS certificate authority file cannot be read: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("the file %s holds no PEM certificate (-----BEGIN CERTIFICATE-----)", path)
	}
	return pool, nil
}
