package app

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/history"
)

// ProfileEnv names the environment variable that selects the profile directory.
const ProfileEnv = "OPENCART_XERO_PROFILE"

// Env is what a command runs with: its output streams and, opened on first
// use, the profile (settings, secrets, history).
type Env struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	// ProfileDir is the profile directory; empty means the default.
	ProfileDir string
	// Secrets is where the profile keeps its secrets.
	Secrets SecretsStore
	// Quiet (--quiet) prints nothing but errors: no progress, summary or
	// warning; the exit status says how it went.
	Quiet bool
	// Minimised (--minimised) opens the window in the system tray, as the
	// start at login does.
	Minimised bool

	profile *Profile
	// schedule is the computer `schedule` works on; nil = this one.
	schedule *scheduleHost
	// mailRoots are the certificate authorities the summary e-mail's
	// server is checked against; nil = the system's (tests give theirs).
	mailRoots *x509.CertPool
}

// parseGlobal takes the global flags (--profile DIR, --secrets file|keychain,
// --quiet) from the front of args.
func (e *Env) parseGlobal(args []string) ([]string, error) {
	for len(args) > 0 {
		a := args[0]
		switch {
		case a == "--profile" || a == "-profile":
			if len(args) < 2 {
				return nil, usageErrorf("--profile needs a directory")
			}
			e.ProfileDir, args = args[1], args[2:]
		case strings.HasPrefix(a, "--profile="):
			e.ProfileDir, args = strings.TrimPrefix(a, "--profile="), args[1:]
		case a == "--secrets" || a == "-secrets":
			// Where secrets are kept, as $OPENCART_XERO_SECRETS says; the
			// scheduled task passes it so that it needs no environment.
			if len(args) < 2 || (args[1] != string(SecretsFile) && args[1] != string(SecretsKeychain)) {
				return nil, usageErrorf("--secrets needs file or keychain")
			}
			e.Secrets, args = SecretsStore(args[1]), args[2:]
		case a == "--minimised" || a == "--minimized":
			e.Minimised, args = true, args[1:]
		case a == "--quiet" || a == "-quiet" || a == "-q":
			e.beQuiet()
			args = args[1:]
		default:
			return args, nil
		}
	}
	return args, nil
}

// beQuiet turns on --quiet: standard output is dropped, errors still go to
// standard error.
func (e *Env) beQuiet() {
	e.Quiet = true
	e.Stdout = io.Discard
}

// Profile opens the profile on first use and returns it.
func (e *Env) Profile(ctx context.Context) (*Profile, error) {
	if e.profile != nil {
		return e.profile, nil
	}
	dir, err := ResolveProfileDir(e.ProfileDir)
	if err != nil {
		return nil, err
	}
	warn := e.Stderr
	if e.Quiet {
		warn = nil
	}
	p, err := OpenProfile(ctx, dir, warn, WithSecrets(e.Secrets))
	if err != nil {
		return nil, err
	}
	e.profile = p
	return p, nil
}

// Close closes the profile if it was opened.
func (e *Env) Close() {
	if e.profile != nil {
		e.profile.Close()
		e.profile = nil
	}
}

// ResolveProfileDir picks the profile directory: the flag, then
// $OPENCART_XERO_PROFILE, then opencart-xero under the user config dir.
func ResolveProfileDir(flagValue string) (string, error) {
	if flagValue != "" {
		return filepath.Abs(flagValue)
	}
	if v := os.Getenv(ProfileEnv); v != "" {
		return filepath.Abs(v)
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no profile directory: %w (use --profile DIR or $%s)", err, ProfileEnv)
	}
	return filepath.Join(base, "opencart-xero"), nil
}

// Profile is one user's local state: settings, secrets and export history.
type Profile struct {
	Dir      string
	History  *history.Store
	Secrets  *Secrets
	Settings *Settings
}

// OpenProfile opens (creating if needed) the profile in dir. Warnings meant
// for the person (e.g. no keychain) are written to warn. Options choose
// where secrets are kept (WithSecrets).
func OpenProfile(ctx context.Context, dir string, warn io.Writer, opts ...ProfileOption) (*Profile, error) {
	var o profileOptions
	for _, opt := range opts {
		opt(&o)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	tightenProfile(dir, warn)
	h, err := history.Open(ctx, filepath.Join(dir, "history.db"))
	if err != nil {
		return nil, err
	}
	sec := OpenSecrets(dir, o.secrets)
	if w := sec.Warning(); w != "" && warn != nil && firstSecretsWarning(dir) {
		fmt.Fprintln(warn, "warning:", w)
	}
	return &Profile{Dir: dir, History: h, Secrets: sec, Settings: &Settings{store: h, secrets: sec}}, nil
}

// Close closes the history database.
func (p *Profile) Close() error {
	if p == nil || p.History == nil {
		return nil
	}
	err := p.History.Close()
	p.History = nil
	return err
}
