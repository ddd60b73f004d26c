package opencart_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/opencart/reach"
	"github.com/opencart-xero/opencart-xero/sync/opencart/reach/sshtest"
)

// tunnelShop is a throw-away shop with n confirmed orders.
func tunnelShop(t *testing.T, n int) *octest.DB {
	db := octest.NewDB(t, opencart.Family40, "oc_")
	orders := make([]octest.Order, n)
	for i := range orders {
		orders[i] = octest.Order{StatusID: 5, FirstName: "Ann", Totals: []octest.Total{octest.TotalRow("total", "Total", "10.0000", 9)}}
	}
	db.AddOrders(orders...)
	return db
}

// serveAgent runs an in-process SSH agent holding the key in file and
// points SSH_AUTH_SOCK at it.
func serveAgent(t *testing.T, file string) {
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ssh.ParseRawPrivateKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	keyring := agent.NewKeyring()
	if err := keyring.Add(agent.AddedKey{PrivateKey: key}); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(t.TempDir(), "agent.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { agent.ServeAgent(keyring, c); c.Close() }()
		}
	}()
	t.Setenv("SSH_AUTH_SOCK", sock)
}

// TestSSHTunnel reads a shop through a real sshd with each way to log in.
func TestSSHTunnel(t *testing.T) {
	srv := sshtest.Start(t)
	db := tunnelShop(t, 3)
	pwLogin, password := srv.PasswordLogin()
	cases := []struct {
		name  string
		ssh   reach.SSH
		agent bool
	}{
		{"key", reach.SSH{Server: srv.Login(), KeyFile: srv.KeyFile}, false},
		{"key with passphrase", reach.SSH{Server: srv.Login(), KeyFile: srv.PassphraseKeyFile, Passphrase: sshtest.Passphrase}, false},
		{"password", reach.SSH{Server: pwLogin, Password: password}, false},
		{"agent", reach.SSH{Server: srv.Login()}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("SSH_AUTH_SOCK", "")
			if c.agent {
				serveAgent(t, srv.KeyFile)
			}
			c.ssh.HostKey = srv.HostKey
			r, err := opencart.OpenRoute(context.Background(), reach.Route{DSN: db.DSN, SSH: c.ssh}, "oc_")
			if err != nil {
				t.Fatalf("OpenRoute: %v\nsshd: %s", err, srv.Log())
			}
			defer r.Close()
			sum, err := r.Check(context.Background())
			if err != nil || sum.OrdersTotal != 3 {
				t.Fatalf("Check = %+v, %v", sum, err)
			}
			if sum.SSHHostKey != srv.HostKey || !strings.Contains(sum.Route, "through SSH") || !strings.Contains(sum.Route, "no TLS") {
				t.Errorf("route %q, host key %q; want through SSH, no TLS, %s", sum.Route, sum.SSHHostKey, srv.HostKey)
			}
		})
	}
}

// TestSSHFailures checks that each hop's failure is named, with why.
func TestSSHFailures(t *testing.T) {
	t.Setenv("SSH_AUTH_SOCK", "")
	srv := sshtest.Start(t)
	db := tunnelShop(t, 1)
	ctx := context.Background()

	// A key the server does not know.
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	block, err := ssh.MarshalPrivateKey(priv, "stranger")
	if err != nil {
		t.Fatal(err)
	}
	stranger := filepath.Join(t.TempDir(), "id_stranger")
	if err := os.WriteFile(stranger, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	closedAddr := closed.Addr().String()
	closed.Close()
	mysqlDown := strings.Replace(db.DSN, "127.0.0.1:3306", "127.0.0.1:1", 1)

	ok := reach.SSH{Server: srv.Login(), KeyFile: srv.KeyFile, HostKey: srv.HostKey}
	with := func(f func(*reach.SSH)) reach.SSH { s := ok; f(&s); return s }
	cases := []struct {
		name string
		dsn  string
		ssh  reach.SSH
		hop  reach.Hop
		is   error
		says []string
	}{
		{"unreachable", db.DSN, with(func(s *reach.SSH) { s.Server = "root@" + closedAddr }), reach.HopSSH, reach.ErrSSHUnreachable, []string{"SSH server", closedAddr, "cannot be reached"}},
		{"key refused", db.DSN, with(func(s *reach.SSH) { s.KeyFile = stranger }), reach.HopSSH, reach.ErrSSHKeyRefused, []string{"refused the login of root", stranger}},
		{"passphrase missing", db.DSN, with(func(s *reach.SSH) { s.KeyFile = srv.PassphraseKeyFile }), reach.HopSSH, reach.ErrPassphrase, []string{"protected by a passphrase", "store.ssh_key_passphrase"}},
		{"passphrase wrong", db.DSN, with(func(s *reach.SSH) { s.KeyFile, s.Passphrase = srv.PassphraseKeyFile, "nope" }), reach.HopSSH, reach.ErrPassphrase, []string{"passphrase", "is wrong"}},
		{"host key not pinned", db.DSN, with(func(s *reach.SSH) { s.HostKey = "" }), reach.HopSSH, reach.ErrHostKeyNotPinned, []string{srv.HostKey, "store.ssh_host_key"}},
		{"mysql refused", mysqlDown, ok, reach.HopMySQL, nil, []string{"MySQL server 127.0.0.1:1 (seen from the SSH server)", "refused"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := opencart.OpenRoute(ctx, reach.Route{DSN: c.dsn, SSH: c.ssh}, "oc_")
			var hop *reach.HopError
			if !errors.As(err, &hop) || hop.Hop != c.hop || (c.is != nil && !errors.Is(err, c.is)) {
				t.Fatalf("OpenRoute: %v; want the %s hop failing with %v", err, c.hop, c.is)
			}
			for _, s := range c.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
		})
	}
}

// TestSSHHostKey pins the host key on first connection and refuses a
// server whose key changed, naming both fingerprints.
func TestSSHHostKey(t *testing.T) {
	t.Setenv("SSH_AUTH_SOCK", "")
	srv := sshtest.Start(t)
	db := tunnelShop(t, 1)
	ctx := context.Background()
	var pinned string
	first := reach.SSH{Server: srv.Login(), KeyFile: srv.KeyFile, NewHostKey: func(fp string) error { pinned = fp; return nil }}
	r, err := opencart.OpenRoute(ctx, reach.Route{DSN: db.DSN, SSH: first}, "oc_")
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	if pinned != srv.HostKey {
		t.Fatalf("pinned %q on first connection, want %q", pinned, srv.HostKey)
	}

	old := srv.HostKey
	srv.NewHostKey()
	srv.Restart()
	_, err = opencart.OpenRoute(ctx, reach.Route{DSN: db.DSN, SSH: reach.SSH{Server: srv.Login(), KeyFile: srv.KeyFile, HostKey: pinned}}, "oc_")
	if !errors.Is(err, reach.ErrHostKeyChanged) {
		t.Fatalf("changed host key: %v, want refused", err)
	}
	for _, s := range []string{old, srv.HostKey, "WARNING", "Nothing was sent"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("warning %q does not name %q", err, s)
		}
	}
}

// TestSSHTunnelDrop kills sshd and every connection it carries while
// orders are read: the read stops with "nothing was changed", and once
// sshd is back the next read gets every order; a tunnel that drops
// between pages is reopened and the read goes on.
func TestSSHTunnelDrop(t *testing.T) {
	t.Setenv("SSH_AUTH_SOCK", "")
	srv := sshtest.Start(t)
	db := tunnelShop(t, 9)
	ctx := context.Background()
	r, err := opencart.OpenRoute(ctx, reach.Route{DSN: db.DSN, SSH: reach.SSH{Server: srv.Login(), KeyFile: srv.KeyFile, HostKey: srv.HostKey}}, "oc_")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.SetPageSize(2)

	read := func(between func(n int)) (int, error) {
		n := 0
		for _, err := range r.Orders(ctx, opencart.OrderFilter{}) {
			if err != nil {
				return n, err
			}
			n++
			between(n)
		}
		return n, nil
	}

	n, err := read(func(n int) {
		if n == 1 {
			srv.Stop()
		}
	})
	if !errors.Is(err, opencart.ErrConnectionLost) || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("read with sshd killed after %d orders: %v, want the connection lost and nothing changed", n, err)
	}

	srv.Restart()
	if n, err := read(func(int) {}); err != nil || n != 9 {
		t.Fatalf("read after sshd is back: %d orders, %v; want 9", n, err)
	}

	n, err = read(func(n int) {
		if n == 4 { // the end of a page: the next one needs a new tunnel
			srv.Restart()
		}
	})
	if err != nil || n != 9 {
		t.Fatalf("read with the tunnel reopened between pages: %d orders, %v; want 9", n, err)
	}
}
