package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/safetext"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

var (
	connectCmd = &Command{
		Name:    "connect",
		Usage:   "connect [--no-browser] [--tenant NAME-or-ID] [--timeout 5m]",
		Summary: "sign in to Xero in the browser and choose the organisation",
	}
	disconnectCmd = &Command{
		Name:    "disconnect",
		Usage:   "disconnect",
		Summary: "withdraw the Xero sign-in and forget its tokens",
	}
)

func init() {
	connectCmd.Run, disconnectCmd.Run = runConnect, runDisconnect
	register(connectCmd)
	register(disconnectCmd)
}

func runConnect(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(connectCmd)
	noBrowser := fs.Bool("no-browser", false, "only print the sign-in address")
	tenant := fs.String("tenant", "", "organisation name or tenant id")
	timeout := fs.Duration("timeout", 5*time.Minute, "how long to wait for the sign-in")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErrorf("connect: unexpected argument %q", rest[0])
	}
	if *timeout <= 0 {
		return usageErrorf("connect: --timeout must be positive")
	}
	p, err := env.Profile(ctx)
	if err != nil {
		return err
	}
	cl, err := NewXeroClient(ctx, p, func(o *xero.Options) {
		o.Logf = func(format string, a ...any) { fmt.Fprintln(env.Stderr, safetext.Terminal(fmt.Sprintf(format, a...))) }
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Redirect URI (must be registered with your Xero app): %s\n", cl.RedirectURI())
	lctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	err = cl.Login(lctx, xero.LoginOptions{NoBrowser: *noBrowser, ShowURL: func(u string, opened bool) {
		if opened {
			fmt.Fprintln(env.Stdout, "Your browser should now show Xero's sign-in page. If it does not, open this address:")
		} else {
			fmt.Fprintln(env.Stdout, "Open this address in your browser to sign in to Xero:")
		}
		fmt.Fprintln(env.Stdout, u)
		fmt.Fprintf(env.Stdout, "Waiting up to %s for the sign-in…\n", *timeout)
	}})
	if errors.Is(err, xero.ErrPortInUse) {
		return fmt.Errorf("%w (then: opencart-xero config set xero.redirect_port NEW)", err)
	}
	if err != nil {
		return err
	}
	tenants, err := cl.Tenants(ctx)
	if err != nil {
		return err
	}
	t, err := xero.PickTenant(tenants, *tenant)
	if err != nil {
		if len(tenants) > 0 {
			fmt.Fprintln(env.Stdout, "Organisations this sign-in can use:")
			for _, t := range tenants {
				fmt.Fprintf(env.Stdout, "  %-40s %s\n", safetext.Terminal(t.TenantName), safetext.Terminal(t.TenantID))
			}
		}
		return fmt.Errorf("%w; no organisation was chosen. Choose one with: opencart-xero connect --tenant NAME, or without signing in again: opencart-xero config set xero.tenant_id ID", err)
	}
	if err := p.Settings.Set(ctx, "xero.tenant_id", t.TenantID); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Connected to %s\n", safetext.Terminal(t.TenantName))
	return nil
}

func runDisconnect(ctx context.Context, env *Env, args []string) error {
	rest, err := parseFlags(newFlags(disconnectCmd), args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErrorf("disconnect: unexpected argument %q", rest[0])
	}
	p, err := env.Profile(ctx)
	if err != nil {
		return err
	}
	store := NewXeroTokenStore(p)
	if _, err := store.Load(ctx); errors.Is(err, xero.ErrNoToken) {
		fmt.Fprintln(env.Stdout, "Not connected to Xero; nothing to do.")
		return p.Settings.Set(ctx, "xero.tenant_id", "")
	}
	cl, err := NewXeroClient(ctx, p, nil)
	if err != nil {
		return err
	}
	revokeErr := cl.Revoke(ctx)
	if err := p.Settings.Set(ctx, "xero.tenant_id", ""); err != nil {
		return err
	}
	if revokeErr != nil {
		return fmt.Errorf("the stored Xero sign-in was removed, but Xero could not be told (%w); you can also remove the app under Settings → Connected apps in Xero", revokeErr)
	}
	fmt.Fprintln(env.Stdout, "Disconnected from Xero; the stored sign-in was removed.")
	return nil
}
