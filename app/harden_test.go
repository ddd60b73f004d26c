package app

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// TestPanickingCommandFailsPlainly: a command that panics ends with exit
// status 1 and one plain line on stderr, and its details go to the crash
// log in the profile, not to the terminal.
func TestPanickingCommandFailsPlainly(t *testing.T) {
	t.Setenv(SecretsEnv, "file")
	register(&Command{Name: "test-panic", Usage: "test-panic", Summary: "panics", Run: func(ctx context.Context, env *Env, args []string) error {
		_ = args[len(args)+2] // index out of range: a runtime panic
		return nil
	}})
	t.Cleanup(func() { delete(commands, "test-panic") })
	dir := t.TempDir()
	code, out, errOut := run(t, dir, "test-panic")
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if out != "" {
		t.Errorf("stdout: %q", out)
	}
	lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
	if len(lines) != 1 || !strings.Contains(errOut, `internal error in "test-panic"`) || !strings.Contains(errOut, "index out of range") {
		t.Errorf("stderr is not one plain line:\n%s", errOut)
	}
	log, err := os.ReadFile(filepath.Join(dir, crashLogFile))
	if err != nil || !strings.Contains(string(log), "goroutine") {
		t.Errorf("crash log (%v):\n%s", err, log)
	}
}

// TestShopTextCannotDriveTheTerminal: a return whose product model (typed
// by a customer on the storefront) holds an OSC window title, an
// erase-line and a fake green "all records exported OK" reaches the
// export's and history's output as plain text, without one control byte.
func TestShopTextCannotDriveTheTerminal(t *testing.T) {
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, TimeScale: 0.001})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	simpleOrders(db, 7001, 1)
	const hostile = "\x1b]0;pwned\x07W-1\r\x1b[2K\x1b[32;1mall records exported OK\x1b[0m\u009b2J\u202e"
	db.AddReturn(octest.Return{OrderID: 7001, ProductID: 999, FirstName: "Customer", LastName: "7001", Email: "c7001@example.com",
		Product: "Not on the order", Model: hostile, Quantity: 1, ReasonID: 1, ActionID: 1})
	dir := connectedProfile(t, s, db)
	if code, out, errOut := run(t, dir, "config", "propose"); code != 0 {
		t.Fatal(out, errOut)
	}
	for _, args := range [][]string{{"export", "all"}, {"history", "--failed"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			_, out, errOut := run(t, dir, args...)
			all := out + errOut
			if !strings.Contains(all, "all records exported OK") {
				t.Fatalf("the return's failure is not shown:\n%s", all)
			}
			for _, bad := range []string{"\x1b", "\x07", "\r", "\u009b", "\u202e"} {
				if strings.Contains(all, bad) {
					t.Errorf("the output holds %q:\n%q", bad, all)
				}
			}
		})
	}
}

// TestTokensStayWithTheirIssuer: after connecting to the sandbox, pointing
// xero.base_url at another server (a capture server here) sends it no
// token and no client secret — not on disconnect, not on export — and both
// say to connect again.
func TestTokensStayWithTheirIssuer(t *testing.T) {
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, TimeScale: 0.001})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	simpleOrders(db, 8001, 2)
	dir := xeroProfile(t, s)
	for k, v := range map[string]string{"xero.client_id": xerotest.DefaultWebClientID, "xero.client_secret": xerotest.DefaultWebClientSecret,
		"store.dsn": db.DSN, "store.prefix": db.Prefix} {
		if code, out, errOut := run(t, dir, "config", "set", k, v); code != 0 {
			t.Fatal(out, errOut)
		}
	}
	if code, out, errOut := mainWithBrowser(t, s.URL+"/identity/connect/authorize?", "--profile", dir, "connect", "--no-browser", "--timeout", "20s"); code != 0 {
		t.Fatalf("connect: exit %d\n%s\n%s", code, out, errOut)
	}
	tok, err := storedToken(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, dir, "config", "propose"); code != 0 {
		t.Fatal(out, errOut)
	}

	var mu sync.Mutex
	var captured []string
	capture := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		captured = append(captured, fmt.Sprintf("%s %s\n%v\n%s", r.Method, r.URL, r.Header, body))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"access_token":"captured","refresh_token":"captured","expires_in":1800}`))
	}))
	defer capture.Close()
	if code, out, errOut := run(t, dir, "config", "set", "xero.base_url", capture.URL); code != 0 {
		t.Fatal(out, errOut)
	}
	basic := base64.StdEncoding.EncodeToString([]byte(xerotest.DefaultWebClientID + ":" + xerotest.DefaultWebClientSecret))
	for _, tc := range []struct {
		args []string
		want string
		// code: an export that cannot start is "could not run" (2); a
		// disconnect that could not tell Xero failed (1).
		code int
	}{
		{[]string{"export", "all"}, "connect to Xero again", ExitCouldNotRun},
		{[]string{"disconnect"}, "Xero could not be told", ExitFailed},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := run(t, dir, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, "another Xero address") {
				t.Errorf("exit %d, want %d saying %q:\n%s\n%s", code, tc.code, tc.want, out, errOut)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, req := range captured {
				for _, secret := range []string{tok.AccessToken, tok.RefreshToken, xerotest.DefaultWebClientSecret, basic} {
					if strings.Contains(req, secret) {
						t.Errorf("the capture server received a secret (%.12s…):\n%s", secret, req)
					}
				}
			}
		})
	}
	if len(captured) != 0 {
		t.Errorf("the capture server was called %d times:\n%s", len(captured), strings.Join(captured, "\n\n"))
	}
	if _, err := storedToken(t, dir); err != xero.ErrNoToken {
		t.Errorf("after disconnect the sign-in is still stored: %v", err)
	}
}

// TestPlainHTTPOnlyToThisComputer: tokens and the client secret travel to
// xero.base_url, so plain http is refused unless it stays on this computer.
func TestPlainHTTPOnlyToThisComputer(t *testing.T) {
	t.Setenv(SecretsEnv, "file")
	dir := t.TempDir()
	for _, tc := range []struct {
		url  string
		code int
	}{
		{"http://127.0.0.1:8089", 0},
		{"http://localhost:8089/", 0},
		{"http://[::1]:8089", 0},
		{"https://xero.example", 0},
		{"http://xero.example", 1},
		{"http://192.168.1.20:8089", 1},
		{"http://127.0.0.1.example.com", 1},
	} {
		t.Run(tc.url, func(t *testing.T) {
			if code, out, errOut := run(t, dir, "config", "set", "xero.base_url", tc.url); code != tc.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tc.code, out, errOut)
			}
		})
	}
}

// TestSecretsWithoutArgv: `config set KEY -` reads the value from standard
// input (one trailing line break dropped); `config set KEY` alone asks at
// a terminal for a secret, and is a usage mistake otherwise.
func TestSecretsWithoutArgv(t *testing.T) {
	t.Setenv(SecretsEnv, "file")
	dsn := "shop:pa55-w0rd@tcp(127.0.0.1:3306)/opencart"
	for _, tc := range []struct {
		name     string
		args     []string
		stdin    string
		terminal string // typed at the (fake) terminal; "" = stdin is no terminal
		key      string
		want     string // stored value; "" with wantErr
		wantErr  string
	}{
		{"client secret from stdin", []string{"xero.client_secret", "-"}, "s3cret-from-pipe\n", "", "xero.client_secret", "s3cret-from-pipe", ""},
		{"CRLF line break", []string{"xero.client_secret", "-"}, "s3cret\r\n", "", "xero.client_secret", "s3cret", ""},
		{"no line break", []string{"xero.client_secret", "-"}, "s3cret", "", "xero.client_secret", "s3cret", ""},
		{"dsn from stdin", []string{"store.dsn", "-"}, dsn + "\n", "", "store.dsn", dsn, ""},
		{"not a secret, from stdin", []string{"invoice.status", "-"}, "AUTHORISED\n", "", "invoice.status", "AUTHORISED", ""},
		{"prompted at a terminal", []string{"xero.client_secret"}, "", "typed-s3cret", "xero.client_secret", "typed-s3cret", ""},
		{"dsn prompted at a terminal", []string{"store.dsn"}, "", dsn, "store.dsn", dsn, ""},
		{"no terminal, no value", []string{"xero.client_secret"}, "", "", "", "", "expected 2 argument"},
		{"not a secret: no prompt", []string{"invoice.status"}, "", "AUTHORISED", "", "", "expected 2 argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			orig := hiddenInput
			t.Cleanup(func() { hiddenInput = orig })
			prompted := false
			hiddenInput = func(io.Reader) (func() (string, error), bool) {
				if tc.terminal == "" {
					return nil, false
				}
				return func() (string, error) { prompted = true; return tc.terminal, nil }, true
			}
			var out, errOut strings.Builder
			env := &Env{Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader(tc.stdin), ProfileDir: t.TempDir()}
			defer env.Close()
			err := runCommand(context.Background(), env, append([]string{"config", "set"}, tc.args...))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || prompted {
					t.Fatalf("err = %v (prompted %v), want %q", err, prompted, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p, err := env.Profile(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got, err := p.Settings.Get(context.Background(), tc.key); err != nil || got != tc.want {
				t.Errorf("%s = %q (%v), want %q", tc.key, got, err, tc.want)
			}
			for _, secret := range []string{"s3cret", "pa55-w0rd"} {
				if strings.Contains(out.String()+errOut.String(), secret) {
					t.Errorf("the secret was printed: %q %q", out.String(), errOut.String())
				}
			}
		})
	}
}

// TestExistingProfileIsTightened: a profile directory and data files left
// readable by others (made by an older version, or by hand) are made the
// user's only when the profile opens.
func TestExistingProfileIsTightened(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix modes; Windows gets an owner-only ACL instead")
	}
	dir := filepath.Join(t.TempDir(), "profile")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"history.db", secretsFile} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chmod(filepath.Join(dir, name), 0o644) // whatever the umask
	}
	if err := os.WriteFile(filepath.Join(dir, secretsFile), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := OpenProfile(context.Background(), dir, io.Discard, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "history.db"): 0o600, filepath.Join(dir, secretsFile): 0o600} {
		if info, err := os.Stat(path); err != nil || info.Mode().Perm() != want {
			t.Errorf("%s: %v (%v), want %v", path, info.Mode().Perm(), err, want)
		}
	}
}
