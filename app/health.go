package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/safetext"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// tokenRenewedFile, in the profile directory, holds when the Xero sign-in
// was last renewed (a time, no secret), written with every token saved.
const tokenRenewedFile = "xero-token-renewed"

// noteTokenRenewed records that the sign-in was renewed at t.
func noteTokenRenewed(dir string, t time.Time) {
	// Best effort: without it the time is read from the token.
	_ = os.WriteFile(filepath.Join(dir, tokenRenewedFile), []byte(t.UTC().Format(time.RFC3339)+"\n"), 0o600)
}

// tokenRenewed reads when the sign-in was last renewed; zero = unknown.
func tokenRenewed(dir string) time.Time {
	b, err := os.ReadFile(filepath.Join(dir, tokenRenewedFile))
	if err != nil {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339, strings.TrimSpace(string(b)))
	return t
}

// ConnectionHealth is the state of the profile's Xero connection.
type ConnectionHealth struct {
	// Connected: a sign-in is stored.
	Connected bool `json:"connected"`
	// NeedsSignIn: Xero refused it (lapsed or revoked): sign in again.
	NeedsSignIn bool `json:"needs_sign_in"`
	// Organisation and TenantID are the organisation exports go to.
	Organisation string `json:"organisation,omitempty"`
	TenantID     string `json:"tenant_id,omitempty"`
	// Clock is when the sign-in was renewed and lapses unused.
	Clock xero.ConnectionClock `json:"-"`
	// Problem is another error of the live check, in words.
	Problem string `json:"problem,omitempty"`
}

// connectionHealth reads the connection's state; live asks Xero for the
// organisations, which renews the sign-in when its access has expired and
// finds a revoked one.
func connectionHealth(ctx context.Context, p *Profile, live bool) (ConnectionHealth, error) {
	var h ConnectionHealth
	tok, err := NewXeroTokenStore(p).Load(ctx)
	if errors.Is(err, xero.ErrNoToken) {
		return h, nil
	}
	if err != nil {
		return h, err
	}
	h.Connected = true
	if h.TenantID, err = p.Settings.Get(ctx, "xero.tenant_id"); err != nil {
		return h, err
	}
	if live {
		cl, err := NewXeroClient(ctx, p, nil)
		if err != nil {
			return h, err
		}
		tenants, err := cl.Tenants(ctx)
		var ae *xero.AuthError
		switch {
		case errors.As(err, &ae) && ae.Reason != xero.AuthClient:
			h.NeedsSignIn = true
		case err != nil:
			h.Problem = err.Error()
		}
		for _, t := range tenants {
			if t.TenantID == h.TenantID {
				h.Organisation = t.TenantName
			}
		}
		if tok, err = NewXeroTokenStore(p).Load(ctx); err != nil && !errors.Is(err, xero.ErrNoToken) {
			return h, err
		}
	}
	h.Clock = xero.ClockOf(tok, tokenRenewed(p.Dir))
	return h, nil
}

// Lines says the health for a person, the first line the summary; warn
// is true when the bookkeeper must act (sign in, or the lapse is near).
func (h ConnectionHealth) Lines(now time.Time) (lines []string, warn bool) {
	switch {
	case !h.Connected:
		return []string{"Xero: not connected; run: opencart-xero connect"}, true
	case h.NeedsSignIn:
		return []string{"Xero: sign in to Xero again — Xero no longer accepts this connection (it lapsed after 60 days unused, or was withdrawn); run: opencart-xero connect"}, true
	}
	org := h.Organisation
	if org == "" {
		org = h.TenantID
	}
	if org == "" {
		org = "no organisation chosen"
	}
	lines = append(lines, "Xero: connected to "+safetext.Terminal(org))
	if !h.Clock.Refreshed.IsZero() {
		lines = append(lines, "  last renewed "+h.Clock.Refreshed.Local().Format("2006-01-02 15:04")+" (every export renews it)")
		days := h.Clock.DaysLeft(now)
		lapse := fmt.Sprintf("  lapses %s if no export runs before then: %s left", h.Clock.Lapses.Local().Format("2006-01-02"), export.Counted(days, "day", "days"))
		if h.Clock.Warn(now) {
			warn = true
			lapse = fmt.Sprintf("  warning: the connection lapses %s, in %s, unless an export runs or you sign in again before then", h.Clock.Lapses.Local().Format("2006-01-02"), export.Counted(days, "day", "days"))
		}
		lines = append(lines, lapse)
	}
	if h.Problem != "" {
		lines = append(lines, "  could not ask Xero: "+safetext.Terminal(h.Problem))
	}
	return lines, warn
}

func init() {
	register(&Command{
		Name:    "status",
		Usage:   "status [--json] [--offline]",
		Summary: "the Xero connection (organisation, last renewal, days before it lapses unused) and the last export",
		Run:     runStatus,
	})
}

func runStatus(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(commands["status"])
	asJSON := fs.Bool("json", false, "one JSON object")
	offline := fs.Bool("offline", false, "do not ask Xero (no renewal, no check for a withdrawn connection)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErrorf("status: unexpected %q", rest[0])
	}
	p, err := env.Profile(ctx)
	if err != nil {
		return withExit(ExitCouldNotRun, err)
	}
	h, err := connectionHealth(ctx, p, !*offline)
	if err != nil {
		return withExit(ExitCouldNotRun, err)
	}
	now := time.Now()
	lines, warn := h.Lines(now)
	runs, err := p.History.Runs(ctx, 1)
	if err != nil {
		return err
	}
	if *asJSON {
		out := map[string]any{"xero": h, "warning": warn}
		if !h.Clock.Lapses.IsZero() {
			out["renewed"] = h.Clock.Refreshed.UTC().Format(time.RFC3339)
			out["lapses"] = h.Clock.Lapses.UTC().Format(time.RFC3339)
			out["days_left"] = h.Clock.DaysLeft(now)
		}
		if len(runs) > 0 {
			r := runs[0]
			out["last_run"] = map[string]any{"id": r.ID, "started": r.StartedAt.UTC().Format(time.RFC3339), "trigger": r.Trigger,
				"state": r.State, "exported": r.Exported, "failed": r.Failed, "error": r.Error}
		}
		if err := json.NewEncoder(env.Stdout).Encode(out); err != nil {
			return err
		}
	} else {
		for _, l := range lines {
			fmt.Fprintln(env.Stdout, l)
		}
		if len(runs) == 0 {
			fmt.Fprintln(env.Stdout, "Last export: none yet")
		} else {
			r := runs[0]
			fmt.Fprintf(env.Stdout, "Last export: run %d at %s (%s), %s: %d exported, %d failed\n", r.ID,
				r.StartedAt.Local().Format("2006-01-02 15:04"), r.Trigger, r.State, r.Exported, r.Failed)
		}
	}
	if warn {
		// For cron and scripts: 1 when the bookkeeper must act.
		return withExit(ExitFailed, errors.New(strings.TrimSpace(lines[len(lines)-1])))
	}
	return nil
}
