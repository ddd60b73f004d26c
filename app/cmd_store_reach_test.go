package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/opencart/reach"
	"github.com/opencart-xero/opencart-xero/sync/opencart/reach/sshtest"
	"github.com/opencart-xero/opencart-xero/views"
)

// TestStoreThroughSSH sets a shop up the way a bookkeeper would: the SSH
// server and key, config.php read over SFTP, store check pinning the host
// key; then the server's key changes and every route refuses it.
func TestStoreThroughSSH(t *testing.T) {
	t.Setenv(SecretsEnv, "file")
	t.Setenv("SSH_AUTH_SOCK", "")
	srv := sshtest.Start(t)
	db := octest.NewDB(t, opencart.Family30, "shop_")
	// The shop's config.php, on the SSH server (this machine).
	configPHP := filepath.Join(t.TempDir(), "config.php")
	src := "<?php\n// DB\ndefine('DB_DRIVER', 'mysqli');\ndefine('DB_HOSTNAME', 'localhost');\ndefine('DB_USERNAME', 'root');\n" +
		"define('DB_PASSWORD', '');\ndefine('DB_DATABASE', '" + db.Name + "');\ndefine('DB_PORT', '3306');\ndefine('DB_PREFIX', 'shop_');\n"
	if err := os.WriteFile(configPHP, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	profile := t.TempDir()
	must := func(args ...string) (string, string) {
		t.Helper()
		code, out, errOut := run(t, profile, args...)
		if code != 0 {
			t.Fatalf("%v: code %d\n%s%s", args, code, out, errOut)
		}
		return out, errOut
	}
	must("config", "set", "store.ssh", srv.Login())
	must("config", "set", "store.ssh_key", srv.KeyFile)

	out, errOut := must("store", "import-config", "--ssh", configPHP)
	if !strings.Contains(out, "store.dsn = root@tcp(127.0.0.1:3306)/"+db.Name) || !strings.Contains(out, "store.prefix = shop_") {
		t.Errorf("import-config printed %q", out)
	}
	if !strings.Contains(errOut, srv.HostKey) {
		t.Errorf("the first connection did not show the host key %s: %q", srv.HostKey, errOut)
	}
	if got, _ := must("config", "get", "store.ssh_host_key"); strings.TrimSpace(got) != srv.HostKey {
		t.Errorf("store.ssh_host_key = %q, want %s pinned", got, srv.HostKey)
	}

	out, _ = must("store", "check")
	if !strings.Contains(out, "Reached") || !strings.Contains(out, "through SSH "+srv.Addr) || !strings.Contains(out, "Table prefix      \"shop_\"") {
		t.Errorf("store check through SSH printed:\n%s", out)
	}

	old := srv.HostKey
	srv.NewHostKey()
	srv.Restart()
	code, _, errOut := run(t, profile, "store", "check")
	if code != 1 || !strings.Contains(errOut, old) || !strings.Contains(errOut, srv.HostKey) || !strings.Contains(errOut, "intercepting") {
		t.Errorf("store check with a changed host key: code %d, stderr %q; want refused naming both keys", code, errOut)
	}

	// A run never pins a server on its own.
	must("config", "set", "store.ssh_host_key", "")
	p, err := OpenProfile(context.Background(), profile, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := OpenStore(context.Background(), p); !errors.Is(err, reach.ErrHostKeyNotPinned) || !strings.Contains(err.Error(), srv.HostKey) {
		t.Errorf("OpenStore with no pinned key: %v, want refused showing %s", err, srv.HostKey)
	}
}

func TestStoreImportConfigLocal(t *testing.T) {
	t.Setenv(SecretsEnv, "file")
	profile := t.TempDir()
	file := filepath.Join("..", "sync", "opencart", "testdata", "configphp", "opencart4.php")
	code, out, errOut := run(t, profile, "store", "import-config", file)
	if code != 0 || !strings.Contains(out, "store.dsn = u123_oc:********@tcp(127.0.0.1:3307)/u123_oc") ||
		!strings.Contains(errOut, "reach it through SSH") {
		t.Fatalf("import-config: code %d\n%s%s", code, out, errOut)
	}
	if _, dsn, _ := run(t, profile, "config", "get", "store.dsn"); strings.Contains(dsn, "pa") {
		t.Errorf("config get shows the password: %q", dsn)
	}
	if code, _, errOut := run(t, profile, "store", "import-config", filepath.Join(t.TempDir(), "none.php")); code != 1 || !strings.Contains(errOut, "none.php") {
		t.Errorf("missing file: code %d, %q", code, errOut)
	}
	if code, _, errOut := run(t, profile, "store", "import-config", "--ssh", file); code != 1 || !strings.Contains(errOut, "no SSH server is set") {
		t.Errorf("--ssh without store.ssh: code %d, %q", code, errOut)
	}
}

// TestBackendReach: the window's form reaches the shop through SSH, shows
// the host key to pin, reads config.php, and saves the route.
func TestBackendReach(t *testing.T) {
	t.Setenv(SecretsEnv, "file")
	t.Setenv("SSH_AUTH_SOCK", "")
	srv := sshtest.Start(t)
	db := octest.NewDB(t, opencart.Family40, "oc_")
	ctx := context.Background()
	p, err := OpenProfile(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	b, err := newBackend(ctx, p, func(string) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	c := views.StoreConfig{Reach: views.StoreReach{SSH: srv.Login(), SSHKey: srv.PassphraseKeyFile, SSHPassphrase: sshtest.Passphrase}}
	file := filepath.Join("..", "sync", "opencart", "testdata", "configphp", "opencart3.php")
	c, notes, err := b.ReadConfigPHP(ctx, c, file, false)
	if err != nil || c.Host != "127.0.0.1" || c.Database != "shop_db" || c.Prefix != "oc_" || len(notes) != 0 {
		t.Fatalf("ReadConfigPHP = %+v, %q, %v", c, notes, err)
	}
	c.Database, c.User, c.Password = db.Name, "root", ""

	sum, err := b.TestStore(ctx, c)
	if err != nil || sum.SSHHostKey != srv.HostKey {
		t.Fatalf("TestStore through SSH = %+v, %v; want the host key %s shown", sum, err, srv.HostKey)
	}
	c.Reach.SSHHostKey, c.Reach.TLS = sum.SSHHostKey, "auto"
	if err := b.SaveStore(ctx, c); err != nil {
		t.Fatal(err)
	}
	back, err := b.Store(ctx)
	if err != nil || back.Reach != c.Reach || back.Database != db.Name {
		t.Fatalf("Store = %+v, %v; want %+v", back, err, c)
	}
	if _, err := b.Statuses(ctx); err != nil {
		t.Errorf("reading the shop along the saved route: %v", err)
	}
	back.Reach.TLS = "skip-verify"
	if err := b.CheckStore(back); err == nil || !strings.Contains(err.Error(), "store.tls") {
		t.Errorf("CheckStore with a bad TLS mode: %v", err)
	}
}
