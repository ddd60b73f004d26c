package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
	"github.com/opencart-xero/opencart-xero/views"
)

// withdrawSignIn stores a sign-in Xero no longer accepts: its access has
// expired and its refresh token is unknown (as after a revocation).
func withdrawSignIn(t *testing.T, dir string, sb *xerotest.Server) {
	t.Helper()
	p, err := OpenProfile(context.Background(), dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	b, _ := json.Marshal(map[string]any{"access_token": "expired", "refresh_token": "withdrawn", "expiry": time.Now().Add(-time.Hour), "issuer": sb.URL})
	if err := p.Secrets.Set(secretXeroToken, string(b)); err != nil {
		t.Fatal(err)
	}
}

// renewedDaysAgo makes the sign-in's last renewal n days old.
func renewedDaysAgo(t *testing.T, dir string, n int) {
	t.Helper()
	noteTokenRenewed(dir, time.Now().Add(-time.Duration(n)*24*time.Hour))
}

// TestStatusCommand: `status` names the organisation, the last renewal and
// the days before the connection lapses unused; it warns (exit 1) from 14
// days before, and says to sign in again when Xero refuses the sign-in.
func TestStatusCommand(t *testing.T) {
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	dir := connectedProfile(t, sb, db)
	for _, tc := range []struct {
		name    string
		setup   func(t *testing.T)
		args    []string
		code    int
		stdout  []string
		without string
	}{
		{"just connected", nil, nil, ExitOK, []string{"Xero: connected to ", "last renewed ", "if no export runs before then: 59 days left", "Last export: none yet"}, "warning"},
		{"46 days unused", func(t *testing.T) { renewedDaysAgo(t, dir, 46) }, nil, ExitFailed,
			[]string{"warning: the connection lapses", "in 13 days"}, ""},
		{"offline, 10 days", func(t *testing.T) { renewedDaysAgo(t, dir, 10) }, []string{"--offline"}, ExitOK, []string{"49 days left"}, "warning"},
		{"json", func(t *testing.T) { renewedDaysAgo(t, dir, 10) }, []string{"--json", "--offline"}, ExitOK, []string{`"days_left":49`, `"connected":true`, `"warning":false`}, ""},
		{"withdrawn", func(t *testing.T) { withdrawSignIn(t, dir, sb) }, nil, ExitFailed, []string{"Xero: sign in to Xero again"}, "connected to"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				tc.setup(t)
			}
			code, out, errOut := run(t, dir, append([]string{"status"}, tc.args...)...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tc.code, out, errOut)
			}
			for _, w := range tc.stdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			if tc.without != "" && strings.Contains(out, tc.without) {
				t.Errorf("stdout says %q:\n%s", tc.without, out)
			}
		})
	}
	if code, out, _ := run(t, t.TempDir(), "status"); code != ExitFailed || !strings.Contains(out, "not connected") {
		t.Errorf("a new profile: exit %d\n%s", code, out)
	}
}

// TestTokenRenewalNoted: a run renews the sign-in when its access has
// expired, and the renewal is noted: the lapse moves 60 days on.
func TestTokenRenewalNoted(t *testing.T) {
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	dir := connectedProfile(t, sb, db)
	renewedDaysAgo(t, dir, 50)
	sb.ExpireAccessTokens()
	// The stored access token must look expired too, or it is not renewed.
	p, err := OpenProfile(context.Background(), dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := NewXeroTokenStore(p).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tok.Expiry = time.Now().Add(-time.Minute)
	b, _ := json.Marshal(tok)
	p.Secrets.Set(secretXeroToken, string(b))
	p.Close()
	before := time.Now()
	if code, out, errOut := run(t, dir, "status"); code != ExitOK || !strings.Contains(out, "59 days left") {
		t.Fatalf("status after renewal: exit %d\n%s%s", code, out, errOut)
	}
	if got := tokenRenewed(dir); got.Before(before.Add(-time.Second)) {
		t.Fatalf("renewal noted at %s, before the run (%s)", got, before)
	}
	if _, err := os.Stat(filepath.Join(dir, tokenRenewedFile)); err != nil {
		t.Fatal(err)
	}
}

// TestHealthPanel: the Settings screen shows when the sign-in was renewed
// and when it lapses, warns 14 days ahead, and offers "Sign in to Xero
// again" when Xero refuses it; a run that finds it refused says so at the
// top of the window with the button.
func TestHealthPanel(t *testing.T) {
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	dir := windowProfile(t, db, sb)

	t.Run("healthy", func(t *testing.T) {
		renewedDaysAgo(t, dir, 3)
		g := openGUI(t, dir, views.TabSettings, nil)
		g.label("Every export renews it; if none runs, it lapses on")
		g.label("(56 days left)")
	})
	t.Run("lapsing", func(t *testing.T) {
		renewedDaysAgo(t, dir, 50)
		g := openGUI(t, dir, views.TabSettings, nil)
		l := g.label("The Xero connection lapses on")
		if !strings.Contains(l, "in 9 days") {
			t.Errorf("warning: %q", l)
		}
		w := find(g, func(l *widget.Label) bool { return strings.Contains(l.Text, "The Xero connection lapses on") })
		views.Sync(func() {
			if w.Importance != widget.WarningImportance {
				t.Errorf("the lapse warning is not shown as a warning")
			}
		})
	})
	t.Run("withdrawn", func(t *testing.T) {
		withdrawSignIn(t, dir, sb)
		g := openGUI(t, dir, views.TabOrders, browserGet(t))
		g.tap("Export all new")
		g.label("Xero no longer accepts the connection: sign in to Xero again.")
		// The banner's button signs in again (the sandbox approves at once).
		g.tap("Sign in to Xero again")
		g.label("Every export renews it; if none runs, it lapses on")
		if got := tokenRenewed(dir); time.Since(got) > time.Minute {
			t.Errorf("the new sign-in was not noted: %s", got)
		}
	})
}
