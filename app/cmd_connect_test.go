package app

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// mainWithBrowser runs Main and plays the browser: when the sign-in
// address appears on stdout it is fetched (the sandbox approves at once and
// redirects to the callback). It returns the exit code, stdout and stderr.
func mainWithBrowser(t *testing.T, signInPrefix string, args ...string) (int, string, string) {
	t.Helper()
	pr, pw := io.Pipe()
	var errOut bytes.Buffer
	done := make(chan int, 1)
	go func() {
		code := mainFile(args, pw, &errOut)
		pw.Close()
		done <- code
	}()
	var out strings.Builder
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := sc.Text()
		out.WriteString(line + "\n")
		if strings.HasPrefix(line, signInPrefix) {
			go func() {
				resp, err := http.Get(line)
				if err != nil {
					t.Errorf("browser: %v", err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}()
		}
	}
	return <-done, out.String(), errOut.String()
}

// xeroProfile is a profile set up for the sandbox s.
func xeroProfile(t *testing.T, s *xerotest.Server) string {
	t.Helper()
	dir := t.TempDir()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	for k, v := range map[string]string{"xero.client_id": "cli-test-app", "xero.base_url": s.URL, "xero.redirect_port": port} {
		var out, errOut bytes.Buffer
		if code := mainFile([]string{"--profile", dir, "config", "set", k, v}, &out, &errOut); code != 0 {
			t.Fatalf("config set %s: %s", k, errOut.String())
		}
	}
	return dir
}

func setting(t *testing.T, dir, name string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := mainFile([]string{"--profile", dir, "config", "get", name}, &out, &errOut); code != 0 {
		t.Fatalf("config get %s: %s", name, errOut.String())
	}
	return strings.TrimSpace(out.String())
}

func storedToken(t *testing.T, dir string) (*xero.Token, error) {
	t.Helper()
	p, err := OpenProfile(context.Background(), dir, io.Discard, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	return NewXeroTokenStore(p).Load(context.Background())
}

// TestConnectAndDisconnect: connect --no-browser against the sandbox end to
// end, then disconnect.
func TestConnectAndDisconnect(t *testing.T) {
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	dir := xeroProfile(t, s)
	signIn := s.URL + "/identity/connect/authorize?"

	code, out, errOut := mainWithBrowser(t, signIn, "--profile", dir, "connect", "--no-browser", "--timeout", "20s")
	if code != 0 {
		t.Fatalf("connect: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	for _, want := range []string{"Redirect URI (must be registered with your Xero app): http://localhost:", "Open this address in your browser", signIn, "Connected to Demo Company (UK)\n"} {
		if !strings.Contains(out, want) {
			t.Fatalf("stdout lacks %q:\n%s", want, out)
		}
	}
	if got := setting(t, dir, "xero.tenant_id"); got != xerotest.DefaultTenantID {
		t.Fatalf("xero.tenant_id = %q", got)
	}
	tok, err := storedToken(t, dir)
	if err != nil || tok.RefreshToken == "" {
		t.Fatalf("stored token: %v", err)
	}
	secrets, err := os.ReadFile(filepath.Join(dir, secretsFile))
	if err != nil || !bytes.Contains(secrets, []byte(tok.RefreshToken)) {
		t.Fatalf("the token is not in the secrets file: %v", err)
	}
	if strings.Contains(out+errOut, tok.RefreshToken) || strings.Contains(out+errOut, tok.AccessToken) {
		t.Fatal("a token was printed")
	}

	// The stored connection works for the engine's client.
	p, err := OpenProfile(context.Background(), dir, io.Discard, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewXeroClient(context.Background(), p, nil)
	if err == nil {
		_, err = c.Organisation(context.Background())
	}
	p.Close()
	if err != nil {
		t.Fatalf("client from the profile: %v", err)
	}

	var o, e bytes.Buffer
	if code := mainFile([]string{"--profile", dir, "disconnect"}, &o, &e); code != 0 || !strings.Contains(o.String(), "Disconnected from Xero") {
		t.Fatalf("disconnect: exit %d %s %s", code, o.String(), e.String())
	}
	if s.Calls()["POST /connect/revocation"] != 1 {
		t.Fatalf("revocation not called: %v", s.Calls())
	}
	if _, err := storedToken(t, dir); err != xero.ErrNoToken {
		t.Fatalf("token after disconnect: %v", err)
	}
	if got := setting(t, dir, "xero.tenant_id"); got != "" {
		t.Fatalf("xero.tenant_id after disconnect = %q", got)
	}
	o.Reset()
	if code := mainFile([]string{"--profile", dir, "disconnect"}, &o, &e); code != 0 || !strings.Contains(o.String(), "Not connected") {
		t.Fatalf("second disconnect: exit %d %s", code, o.String())
	}
}

// TestConnectChoosesTenant: with several organisations, no --tenant stores
// none and says how to choose; --tenant picks by name.
func TestConnectChoosesTenant(t *testing.T) {
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, Tenants: []xerotest.Tenant{
		{ID: "11111111-1111-4111-8111-111111111111", Name: "Shop One Ltd"},
		{ID: "22222222-2222-4222-8222-222222222222", Name: "Shop Two Ltd"},
	}})
	dir := xeroProfile(t, s)
	signIn := s.URL + "/identity/connect/authorize?"

	code, out, errOut := mainWithBrowser(t, signIn, "--profile", dir, "connect", "--no-browser")
	if code != 1 {
		t.Fatalf("several tenants: exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"Shop One Ltd", "11111111-1111-4111-8111-111111111111", "Shop Two Ltd", "22222222-2222-4222-8222-222222222222"} {
		if !strings.Contains(out, want) {
			t.Fatalf("tenant list lacks %q:\n%s", want, out)
		}
	}
	for _, want := range []string{"connect --tenant NAME", "config set xero.tenant_id ID"} {
		if !strings.Contains(errOut, want) {
			t.Fatalf("message lacks %q: %s", want, errOut)
		}
	}
	if got := setting(t, dir, "xero.tenant_id"); got != "" {
		t.Fatalf("a tenant was stored: %q", got)
	}

	code, out, errOut = mainWithBrowser(t, signIn, "--profile", dir, "connect", "--no-browser", "--tenant", "shop two ltd")
	if code != 0 || !strings.Contains(out, "Connected to Shop Two Ltd") {
		t.Fatalf("--tenant: exit %d\n%s\n%s", code, out, errOut)
	}
	if got := setting(t, dir, "xero.tenant_id"); got != "22222222-2222-4222-8222-222222222222" {
		t.Fatalf("xero.tenant_id = %q", got)
	}
}

func TestConnectMistakes(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"no client id", []string{"connect", "--no-browser"}, 1, "config set xero.client_id"},
		{"stray argument", []string{"connect", "now"}, 2, "unexpected argument"},
		{"bad timeout", []string{"connect", "--timeout", "soon"}, 2, "timeout"},
		{"disconnect argument", []string{"disconnect", "all"}, 2, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := mainFile(append([]string{"--profile", dir}, tt.args...), &out, &errOut)
			if code != tt.wantCode || !strings.Contains(errOut.String(), tt.wantErr) {
				t.Fatalf("exit %d (want %d), stderr %q (want %q)", code, tt.wantCode, errOut.String(), tt.wantErr)
			}
		})
	}
}

// TestConnectBusyPort: a taken callback port is reported in plain words,
// with the setting to change.
func TestConnectBusyPort(t *testing.T) {
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	dir := xeroProfile(t, s)
	l, err := net.Listen("tcp4", "127.0.0.1:"+setting(t, dir, "xero.redirect_port"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var out, errOut bytes.Buffer
	code := mainFile([]string{"--profile", dir, "connect", "--no-browser"}, &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "is in use by another program") ||
		!strings.Contains(errOut.String(), "config set xero.redirect_port NEW") {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
}
