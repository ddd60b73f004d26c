package app

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/filelock"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// TestNoFyneMessageInCLocale runs the built program in the C locales cron,
// containers and Task Scheduler give it: no subcommand prints a word of
// Fyne's (it used to print "Fyne error: Error parsing user locale C").
func TestNoFyneMessageInCLocale(t *testing.T) {
	bin := buildCLI(t)
	dir := t.TempDir()
	for _, locale := range []string{"C.UTF-8", "C", "POSIX", "C.utf8", "en_GB.UTF-8"} {
		for _, args := range [][]string{{"help"}, {"--profile", dir, "history"}, {"--profile", dir, "config", "get", "store.prefix"}} {
			t.Run(locale+" "+strings.Join(args, " "), func(t *testing.T) {
				cmd := exec.Command(bin, args...)
				cmd.Env = append(os.Environ(), "LANG="+locale, "LC_ALL="+locale, SecretsEnv+"=file")
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				if err := cmd.Run(); err != nil {
					t.Fatalf("%v\n%s", err, stderr.String())
				}
				if stderr.Len() != 0 {
					t.Fatalf("standard error is not empty:\n%s", stderr.String())
				}
			})
		}
	}
}

// TestKeychainWarningOncePerProfile: without a keychain the file warning
// is said the first time a profile is opened, not on every (scheduled) run,
// and never with --quiet.
func TestKeychainWarningOncePerProfile(t *testing.T) {
	dir := t.TempDir()
	open := func() string {
		var warn bytes.Buffer
		p, err := OpenProfile(context.Background(), dir, &warn)
		if err != nil {
			t.Fatal(err)
		}
		p.Close()
		return warn.String()
	}
	first := open()
	if first == "" {
		t.Skip("this computer has a keychain: no warning to give")
	}
	if !strings.Contains(first, "no OS keychain") {
		t.Fatalf("first opening: %q", first)
	}
	if again := open(); again != "" {
		t.Fatalf("second opening warned again: %q", again)
	}
	other := t.TempDir()
	var out, errOut bytes.Buffer
	if code := runMain(&Env{Stdout: &out, Stderr: &errOut, Secrets: SecretsAuto}, []string{"--profile", other, "--quiet", "history"}); code != 0 || errOut.Len() != 0 || out.Len() != 0 {
		t.Fatalf("--quiet history: exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}

// TestExitStatus: each way a run can end gives its documented status and
// one line on standard error; --quiet prints nothing else.
func TestExitStatus(t *testing.T) {
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, TimeScale: 0.001})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	edge := db.SeedEdgeCases()
	simpleOrders(db, 6001, 2)
	dir := connectedProfile(t, s, db)
	for _, args := range [][]string{{"config", "set", "invoice.status", "AUTHORISED"}, {"config", "propose"}} {
		if code, out, errOut := run(t, dir, args...); code != 0 {
			t.Fatal(out, errOut)
		}
	}
	noShop := t.TempDir()
	for _, tc := range []struct {
		name    string
		profile string
		args    []string
		setup   func(t *testing.T) (undo func())
		code    int
		stderr  string
	}{
		{"all done", dir, []string{"export", "customers", "--quiet"}, nil, ExitOK, ""},
		{"some records failed", dir, []string{"export", "orders", "--id", strconv.Itoa(edge.UnknownCurrency), "--quiet"}, nil, ExitFailed, "1 record failed"},
		{"no shop", noShop, []string{"export", "all", "--quiet"}, nil, ExitCouldNotRun, "store.dsn"},
		{"another export running", dir, []string{"export", "all", "--quiet"}, func(t *testing.T) func() {
			unlock, err := filelock.Lock(context.Background(), filepath.Join(dir, exportLockFile))
			if err != nil {
				t.Fatal(err)
			}
			return unlock
		}, ExitCouldNotRun, "another export is running"},
		{"a run stopped by Xero failing", dir, []string{"export", "orders", "--id", "6001", "--quiet"}, func(t *testing.T) func() {
			s.Inject(xerotest.Fault{Kind: xerotest.Fault503, Times: -1})
			return s.ClearFaults
		}, ExitCouldNotRun, "could not be reached"},
		{"the day's Xero calls used up", dir, []string{"export", "orders", "--id", "6002", "--quiet"}, func(t *testing.T) func() {
			s.Inject(xerotest.Fault{Kind: xerotest.FaultDayLimit, Times: -1})
			return s.ClearFaults
		}, ExitStopped, "daily limit"},
		{"a command-line mistake", dir, []string{"export", "everything", "--quiet"}, nil, ExitCouldNotRun, "unknown export"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				defer tc.setup(t)()
			}
			code, out, errOut := run(t, tc.profile, tc.args...)
			if code != tc.code || out != "" || !strings.Contains(errOut, tc.stderr) {
				t.Fatalf("exit %d, want %d\nstdout %q\nstderr %q (want %q)", code, tc.code, out, errOut, tc.stderr)
			}
			if lines := strings.Count(strings.TrimSuffix(errOut, "\n"), "\n"); errOut != "" && lines != 0 && tc.code != ExitCouldNotRun {
				t.Errorf("stderr is %d lines, want one:\n%s", lines+1, errOut)
			}
		})
	}
}

// TestExitStatusOfOutcomes: how an ended run maps to a status, for the ends
// a test cannot cause from outside (a cancel by signal).
func TestExitStatusOfOutcomes(t *testing.T) {
	for _, tc := range []struct {
		name string
		sum  export.Summary
		err  error
		want int
	}{
		{"all done", export.Summary{Exported: 3}, nil, ExitOK},
		{"records failed", export.Summary{Exported: 3, Failed: 1}, nil, ExitFailed},
		{"cancelled", export.Summary{Exported: 1}, export.ErrCancelled, ExitStopped},
		{"day limit", export.Summary{}, &xero.RateLimitError{Problem: xero.LimitDay}, ExitStopped},
		{"minute limit after waiting", export.Summary{}, &xero.RateLimitError{Problem: xero.LimitMinute}, ExitCouldNotRun},
		{"sign in again", export.Summary{}, &xero.AuthError{Reason: xero.AuthInvalidGrant}, ExitCouldNotRun},
		{"other", export.Summary{}, errors.New("disk full"), ExitCouldNotRun},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := exportOutcome(tc.sum, tc.err)
			got := ExitOK
			if err != nil {
				got = exitCode(err)
			}
			if got != tc.want {
				t.Fatalf("%v: exit %d, want %d", err, got, tc.want)
			}
		})
	}
}
