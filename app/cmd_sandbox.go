package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"

	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

var sandboxCmd = &Command{
	Name:    "sandbox",
	Usage:   "sandbox [--addr 127.0.0.1:8089] [--auto-approve] [--state FILE] [--time-scale F]",
	Summary: "run a local Xero sandbox (login, connections and Accounting API) for tests and demos",
}

func init() {
	sandboxCmd.Run = runSandbox
	register(sandboxCmd)
}

// runSandbox serves the Xero sandbox on a loopback address until ctx ends
// (Ctrl-C or SIGTERM).
func runSandbox(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(sandboxCmd)
	addr := fs.String("addr", "127.0.0.1:8089", "loopback address to listen on (port 0 = any free port)")
	auto := fs.Bool("auto-approve", false, "skip the consent page: authorize redirects straight back with a code")
	state := fs.String("state", "", "JSON file to load the books from and write them to after every change")
	scale := fs.Float64("time-scale", 1, "speed of the rate-limit windows (0.001 makes a minute last 60 ms)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErrorf("sandbox takes no arguments, got %q", strings.Join(rest, " "))
	}
	if err := checkLoopback(*addr); err != nil {
		return err
	}
	if *scale <= 0 {
		return usageErrorf("--time-scale must be greater than 0, got %v", *scale)
	}
	s, err := xerotest.New(xerotest.Options{AutoApprove: *auto, StatePath: *state, TimeScale: *scale,
		Logf: func(format string, a ...any) { fmt.Fprintf(env.Stderr, "sandbox: "+format+"\n", a...) }})
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("sandbox: %s is already in use (another sandbox running?); choose another port with --addr 127.0.0.1:PORT", *addr)
	}
	if err != nil {
		return fmt.Errorf("sandbox: listen on %s: %w", *addr, err)
	}
	url := "http://" + ln.Addr().String()
	w := env.Stdout
	fmt.Fprintf(w, "Xero sandbox listening on %s\n", url)
	fmt.Fprintf(w, "Point the app at it:\n  opencart-xero config set xero.base_url %s\n", url)
	fmt.Fprintf(w, "Client ids: any client id is accepted as a PKCE app (no secret);\n  Web app: client id %s, secret %s\n", xerotest.DefaultWebClientID, xerotest.DefaultWebClientSecret)
	for _, t := range xerotest.DefaultTenants() {
		fmt.Fprintf(w, "Organisation: %s (tenant id %s)\n", t.Name, t.ID)
	}
	if *auto {
		fmt.Fprintln(w, "Consent: auto-approved (no page)")
	} else {
		fmt.Fprintln(w, "Consent: a page at /identity/connect/authorize with Allow / Cancel")
	}
	if *state != "" {
		fmt.Fprintf(w, "State file: %s (rewritten after every change)\n", *state)
	}
	fmt.Fprintln(w, "Press Ctrl-C to stop.")
	if err := s.Serve(ctx, ln); err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	fmt.Fprintln(w, "Sandbox stopped.")
	return nil
}

// checkLoopback refuses any address that would serve beyond this machine.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usageErrorf("--addr %q is not HOST:PORT: %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return usageErrorf("--addr %q is not a loopback address; the sandbox only listens on 127.0.0.1, ::1 or localhost", addr)
}
