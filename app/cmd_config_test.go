package app

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// run calls Main with a profile and returns the exit code and both outputs.
func run(t *testing.T, profile string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := mainFile(append([]string{"--profile", profile}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

// mainFile is Main with the profile's secrets in their 0600 file, as
// $OPENCART_XERO_SECRETS=file chooses, without setting the variable.
func mainFile(args []string, stdout, stderr io.Writer) int {
	return runMain(&Env{Stdout: stdout, Stderr: stderr, Stdin: os.Stdin, Secrets: SecretsFile}, args)
}

func TestConfigSetGetList(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string // substring of stdout
		wantErr  string // substring of stderr
	}{
		{"default prefix", []string{"config", "get", "store.prefix"}, 0, "oc_\n", ""},
		{"default status", []string{"config", "get", "invoice.status"}, 0, "DRAFT\n", ""},
		{"set status", []string{"config", "set", "invoice.status", "AUTHORISED"}, 0, "invoice.status = AUTHORISED", ""},
		{"read it back", []string{"config", "get", "invoice.status"}, 0, "AUTHORISED\n", ""},
		{"bad status", []string{"config", "set", "invoice.status", "PAID"}, 1, "", "must be one of DRAFT, SUBMITTED, AUTHORISED"},
		{"bad prefix", []string{"config", "set", "store.prefix", "oc-"}, 1, "", "letters, digits and _"},
		{"bad url", []string{"config", "set", "xero.base_url", "localhost:8089"}, 1, "", "http:// or https://"},
		{"bad port", []string{"config", "set", "xero.redirect_port", "80"}, 1, "", "1024 to 65535"},
		{"bad dsn", []string{"config", "set", "store.dsn", "shop"}, 1, "", "not a MySQL DSN"},
		{"dsn without db", []string{"config", "set", "store.dsn", "u:p@tcp(h:3306)/"}, 1, "", "names no database"},
		{"dsn reading local files", []string{"config", "set", "store.dsn", "u:p@tcp(h:3306)/shop?allowAllFiles=true"}, 1, "", "read any file on this computer"},
		{"dsn with tls", []string{"config", "set", "store.dsn", "u:p@tcp(h:3306)/shop?tls=skip-verify"}, 1, "", "store.tls"},
		{"bad tls mode", []string{"config", "set", "store.tls", "skip-verify"}, 1, "", "not one of auto, off, preferred, required, verify"},
		{"bad ssh server", []string{"config", "set", "store.ssh", "example.com"}, 1, "", "not user@host"},
		{"bad host key", []string{"config", "set", "store.ssh_host_key", "ab:cd"}, 1, "", "SHA256:"},
		{"unknown key", []string{"config", "get", "xero.nope"}, 2, "", "unknown setting"},
		{"unknown verb", []string{"config", "remove", "x"}, 2, "", "unknown action"},
		{"set without value", []string{"config", "set", "store.prefix"}, 2, "", "expected 2 argument"},
		{"secret redacted on set", []string{"config", "set", "xero.client_secret", "s3cr3t-value"}, 0, "xero.client_secret = ********", ""},
		{"secret redacted on get", []string{"config", "get", "xero.client_secret"}, 0, "********\n", ""},
		{"dsn password redacted", []string{"config", "set", "store.dsn", "shop:pa55word@tcp(db.example:3306)/opencart?timeout=5s"}, 0, "shop:********@tcp(db.example:3306)/opencart?timeout=5s", ""},
		{"list", []string{"config", "list"}, 0, "invoice.status       AUTHORISED", ""},
		{"reset to default", []string{"config", "set", "invoice.status", ""}, 0, "invoice.status = DRAFT", ""},
		{"no table prefix", []string{"config", "set", "store.prefix", ""}, 0, "store.prefix = \n", ""},
		{"no table prefix kept", []string{"config", "get", "store.prefix"}, 0, "\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(t, dir, tc.args...)
			if code != tc.wantCode || !strings.Contains(out, tc.wantOut) || !strings.Contains(errOut, tc.wantErr) {
				t.Fatalf("%v: code %d (want %d)\nstdout: %q (want %q)\nstderr: %q (want %q)",
					tc.args, code, tc.wantCode, out, tc.wantOut, errOut, tc.wantErr)
			}
		})
	}

	// Secrets are nowhere in clear but the 0600 secrets file.
	_, list, _ := run(t, dir, "config", "list")
	for _, secret := range []string{"s3cr3t-value", "pa55word"} {
		if strings.Contains(list, secret) {
			t.Errorf("config list shows %q", secret)
		}
		for _, f := range []string{"history.db", "history.db-wal"} {
			b, _ := os.ReadFile(filepath.Join(dir, f))
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s contains the secret %q", f, secret)
			}
		}
	}
	st, err := os.Stat(filepath.Join(dir, secretsFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("secrets file: %v, mode %v", err, st.Mode())
	}

	// The engine still gets the full DSN.
	p, err := OpenProfile(context.Background(), dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	dsn, err := p.Settings.Get(context.Background(), "store.dsn")
	if err != nil || dsn != "shop:pa55word@tcp(db.example:3306)/opencart?timeout=5s" {
		t.Fatalf("store.dsn for the engine = %q, %v", dsn, err)
	}
}

func TestProfileFromEnvironment(t *testing.T) {
	t.Setenv(SecretsEnv, "file")
	dir := filepath.Join(t.TempDir(), "nested", "profile")
	t.Setenv(ProfileEnv, dir)
	var out, errOut bytes.Buffer
	if code := Main([]string{"config", "set", "store.prefix", "shop_"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	// $OPENCART_XERO_SECRETS=file keeps secrets in the profile's file.
	if code := Main([]string{"config", "set", "xero.client_secret", "s3cret"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if b, err := os.ReadFile(filepath.Join(dir, secretsFile)); err != nil || !strings.Contains(string(b), "s3cret") {
		t.Fatalf("the secret is not in %s as $%s=file asks: %v", secretsFile, SecretsEnv, err)
	}
	if strings.Contains(errOut.String(), "warning:") {
		t.Errorf("a warning for secrets the person chose to keep in a file:\n%s", errOut.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "history.db")); err != nil {
		t.Fatalf("history.db not in the profile from $%s: %v", ProfileEnv, err)
	}
	st, _ := os.Stat(dir)
	if st.Mode().Perm() != 0o700 {
		t.Errorf("profile dir mode = %v, want 0700", st.Mode().Perm())
	}
}

// TestSecretsStoreOption: the secrets store is chosen when the profile is
// opened, so tests need no environment variable and run in parallel.
func TestSecretsStoreOption(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p, err := OpenProfile(context.Background(), dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if p.Secrets.Backend() != "file" || p.Secrets.Warning() != "" {
		t.Errorf("secrets in %q with warning %q, want the file chosen, without a warning", p.Secrets.Backend(), p.Secrets.Warning())
	}
	if err := p.Settings.Set(context.Background(), "xero.client_secret", "s3cret"); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, secretsFile)); err != nil || !strings.Contains(string(b), "s3cret") {
		t.Fatalf("the secret is not in %s: %v", secretsFile, err)
	}
}

func TestUnknownCommandAndHelp(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := run(t, dir, "frobnicate"); code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Fatalf("unknown command: code %d, stderr %q", code, errOut)
	}
	if code, out, _ := run(t, dir, "help"); code != 0 || !strings.Contains(out, "config set|get|list") {
		t.Fatalf("help: code %d, stdout %q", code, out)
	}
	if code, _, errOut := run(t, dir, "--profile"); code != 2 || !strings.Contains(errOut, "--profile needs a directory") {
		t.Fatalf("--profile without dir: code %d, stderr %q", code, errOut)
	}
}

func TestWriteFileAtomicReplacesWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	for _, content := range []string{"first version, long", "second"} {
		if err := WriteFileAtomic(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(path)
		if string(b) != content {
			t.Fatalf("content = %q, want %q", b, content)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

func TestConfigListShowsRefunds(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name    string
		options string // export.options; "" = the defaults
		want    []string
	}{
		{"defaults", "", []string{
			`  return action "Credit Issued"          Store credit`,
			`  return action "Refunded"               Cash refund`,
			`  return action "Replacement Sent"       No money — replacement`,
			"  refund statuses                        amount unknown: a draft credit note for the whole order"}},
		{"chosen", `{"return_actions":[{"action":"Gutschrift","treatment":"store_credit"},{"action":"Refunded","treatment":"none"}],"refunds_are_full":true}`, []string{
			`  return action "Gutschrift"             Store credit`,
			`  return action "Refunded"               No money — replacement`,
			"  refund statuses                        the whole order was refunded"}},
		{"saved before treatments: cash", `{"return_actions":null,"credit_return_actions":["Refunded"]}`, []string{
			`  return action "Refunded"               Cash refund`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if code, out, errOut := run(t, dir, "config", "set", "export.options", tc.options); code != 0 {
				t.Fatal(out, errOut)
			}
			code, out, errOut := run(t, dir, "config", "list")
			if code != 0 {
				t.Fatalf("config list: exit %d\n%s", code, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("config list lacks %q:\n%s", w, out)
				}
			}
			if tc.name == "chosen" && strings.Contains(out, "Credit Issued") {
				t.Errorf("config list shows a default rule the chosen ones replaced:\n%s", out)
			}
		})
	}
}

// TestConfigProposeReturnActions: config propose gives each of the shop's
// return actions a treatment, says which one it could not place, and
// proposes the sandbox's store credit liability.
func TestConfigProposeReturnActions(t *testing.T) {
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, TimeScale: 0.001})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	db.SeedEdgeCases()
	db.Exec("INSERT INTO {prefix}return_action (return_action_id, language_id, name) VALUES (9, ?, 'Sent to the workshop')", octest.LanguageEnglish)
	dir := connectedProfile(t, s, db)
	code, out, errOut := run(t, dir, "config", "propose")
	if code != 0 {
		t.Fatalf("config propose: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"store credit and vouchers used: account 815",
		`return action "Sent to the workshop": its name does not say what it does with money, so it is proposed as no money`} {
		if !strings.Contains(out, want) {
			t.Errorf("config propose does not say %q:\n%s", want, out)
		}
	}
	_, out, _ = run(t, dir, "config", "list")
	for _, want := range []string{`return action "Credit Issued"          Store credit`, `return action "Sent to the workshop"   No money — replacement`} {
		if !strings.Contains(out, want) {
			t.Errorf("config list lacks %q:\n%s", want, out)
		}
	}
}
