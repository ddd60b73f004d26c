package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/reach"
	"github.com/opencart-xero/opencart-xero/views"
)

// storeRoute reads how the shop database is reached: the DSN with the
// TLS and SSH settings. pin, when not nil, pins a server's host key on
// first connection; nil refuses a server whose key is not pinned yet.
func storeRoute(ctx context.Context, s *Settings, dsn string, pin func(string) error) (reach.Route, error) {
	v := map[string]string{}
	for _, name := range []string{"store.tls", "store.tls_ca", "store.ssh", "store.ssh_key", "store.ssh_key_passphrase", "store.ssh_password", "store.ssh_host_key"} {
		val, err := s.Get(ctx, name)
		if err != nil {
			return reach.Route{}, err
		}
		v[name] = val
	}
	return reach.Route{DSN: dsn, TLS: reach.TLSMode(v["store.tls"]), TLSCA: v["store.tls_ca"], SSH: reach.SSH{
		Server: v["store.ssh"], KeyFile: v["store.ssh_key"], Passphrase: v["store.ssh_key_passphrase"],
		Password: v["store.ssh_password"], HostKey: v["store.ssh_host_key"], NewHostKey: pin,
	}}, nil
}

// openShop opens the shop reader for the saved route. A run never trusts
// an SSH server on its own: its host key is pinned by store check or the
// window's Test connection, where it is shown.
func openShop(ctx context.Context, p *Profile, dsn, prefix string) (*opencart.Reader, error) {
	route, err := storeRoute(ctx, p.Settings, dsn, nil)
	if err != nil {
		return nil, err
	}
	return opencart.OpenRoute(ctx, route, prefix)
}

// pinHostKey pins a server's host key in the settings on first
// connection and says so on w, with the fingerprint to compare.
func pinHostKey(ctx context.Context, s *Settings, w io.Writer) func(string) error {
	return func(fp string) error {
		if err := s.Set(ctx, "store.ssh_host_key", fp); err != nil {
			return err
		}
		server, _ := s.Get(ctx, "store.ssh")
		fmt.Fprintf(w, "First connection to the SSH server %s: its host key is %s.\n"+
			"It is now pinned (store.ssh_host_key); a server showing another key will be refused.\n"+
			"Compare it with the fingerprint your hosting company shows for the server.\n", server, fp)
		return nil
	}
}

// storeReach reads the TLS and SSH settings into the form's fields.
func storeReach(ctx context.Context, s *Settings) (views.StoreReach, error) {
	var r views.StoreReach
	for name, dst := range map[string]*string{"store.tls": &r.TLS, "store.tls_ca": &r.TLSCA, "store.ssh": &r.SSH,
		"store.ssh_key": &r.SSHKey, "store.ssh_key_passphrase": &r.SSHPassphrase, "store.ssh_password": &r.SSHPassword,
		"store.ssh_host_key": &r.SSHHostKey} {
		v, err := s.Get(ctx, name)
		if err != nil {
			return r, err
		}
		*dst = v
	}
	return r, nil
}

// reachSettings are the settings the form's TLS and SSH fields hold, in
// the order they are checked and saved (store.ssh before the pinned key,
// which changing the server forgets).
func reachSettings(r views.StoreReach) [][2]string {
	return [][2]string{{"store.tls", r.TLS}, {"store.tls_ca", r.TLSCA}, {"store.ssh", r.SSH}, {"store.ssh_key", r.SSHKey},
		{"store.ssh_key_passphrase", r.SSHPassphrase}, {"store.ssh_password", r.SSHPassword}, {"store.ssh_host_key", r.SSHHostKey}}
}

// checkStoreReach says why the form's TLS and SSH fields cannot be saved.
func checkStoreReach(r views.StoreReach) error {
	for _, kv := range reachSettings(r) {
		k, _ := LookupSettingKey(kv[0])
		if v := strings.TrimSpace(kv[1]); v != "" && k.Check != nil {
			if err := k.Check(v); err != nil {
				return fmt.Errorf("%s: %w", kv[0], err)
			}
		}
	}
	return nil
}

// saveStoreReach stores the form's TLS and SSH fields and drops the open
// shop connection, which the next read reopens along the new route.
func (b *backend) saveStoreReach(ctx context.Context, r views.StoreReach) error {
	for _, kv := range reachSettings(r) {
		if err := b.p.Settings.Set(ctx, kv[0], kv[1]); err != nil {
			return err
		}
	}
	b.Close()
	return nil
}

// formRoute is the route the form describes (not saved yet). The host key
// of a server seen for the first time is accepted and comes back in the
// summary, for the form to pin when saved.
func formRoute(c views.StoreConfig) reach.Route {
	r := c.Reach
	return reach.Route{DSN: storeDSN(c), TLS: reach.TLSMode(r.TLS), TLSCA: r.TLSCA, SSH: reach.SSH{
		Server: r.SSH, KeyFile: r.SSHKey, Passphrase: r.SSHPassphrase, Password: r.SSHPassword, HostKey: r.SSHHostKey,
		NewHostKey: func(string) error { return nil },
	}}
}

// testShop connects along the form's route and checks the shop.
func testShop(ctx context.Context, c views.StoreConfig) (opencart.Summary, error) {
	r, err := opencart.OpenRoute(ctx, formRoute(c), c.Prefix)
	if err != nil {
		return opencart.Summary{}, err
	}
	defer r.Close()
	return r.Check(ctx)
}

// ReadConfigPHP fills the form from the shop's config.php: a file on this
// computer, or on the SSH server of the form's route when onServer.
func (b *backend) ReadConfigPHP(ctx context.Context, c views.StoreConfig, path string, onServer bool) (views.StoreConfig, []string, error) {
	var src []byte
	var err error
	if onServer {
		src, err = reach.ReadFile(ctx, formRoute(c).SSH, path)
	} else {
		src, err = readLocalConfigPHP(path)
	}
	if err != nil {
		return c, nil, err
	}
	cp, err := opencart.ParseConfigPHP(src)
	if err != nil {
		return c, nil, err
	}
	host, notes := configHost(cp, onServer || c.Reach.SSH != "")
	c.Host, c.Port, c.Database, c.User, c.Password, c.Prefix = host, cp.Port, cp.Database, cp.Username, cp.Password, cp.Prefix
	if c.Port == 0 {
		c.Port = 3306
	}
	return c, append(cp.Notes, notes...), nil
}

func readLocalConfigPHP(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, reach.MaxRemoteFile+1))
	if err != nil {
		return nil, err
	}
	if len(src) > reach.MaxRemoteFile {
		return nil, fmt.Errorf("%s is larger than %d bytes: not a config.php", path, reach.MaxRemoteFile)
	}
	return src, nil
}

// configHost is the database host to connect to: PHP's "localhost" (a
// socket on the shop's server) is 127.0.0.1 over TCP, which only means
// the shop's server when the connection goes through SSH.
func configHost(cp opencart.ConfigPHP, viaSSH bool) (string, []string) {
	host := cp.Hostname
	if host == "" || strings.EqualFold(host, "localhost") {
		host = "127.0.0.1"
	}
	if (host == "127.0.0.1" || host == "::1") && !viaSSH {
		return host, []string{"the database is on the shop's own server (DB_HOSTNAME " + strconv.Quote(cp.Hostname) +
			"): reach it through SSH (store.ssh), or ask the hosting company for remote MySQL access and use the server's name"}
	}
	return host, nil
}

// configDSN composes the DSN of a config.php's database.
func configDSN(cp opencart.ConfigPHP, host string) string {
	cfg := mysql.NewConfig()
	cfg.Net = "tcp"
	port := cp.Port
	if port == 0 {
		port = 3306
	}
	cfg.Addr = net.JoinHostPort(host, strconv.Itoa(port))
	cfg.DBName, cfg.User, cfg.Passwd = cp.Database, cp.Username, cp.Password
	return cfg.FormatDSN()
}

// errNoSSH says the SSH server is not set for --ssh.
var errNoSSH = errors.New("no SSH server is set: opencart-xero config set store.ssh user@host (and store.ssh_key or store.ssh_password)")
