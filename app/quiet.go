package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// The exit statuses, the same for every command (help lists them), so that
// cron, Task Scheduler and scripts can tell how a run went.
const (
	// ExitOK: all done.
	ExitOK = 0
	// ExitFailed: some records failed (export), differences were found
	// (reconcile), or the command failed.
	ExitFailed = 1
	// ExitCouldNotRun: nothing ran — a mistake in the command line, no
	// shop or Xero connection, another export running, an export stopped
	// by an error that is not one record's.
	ExitCouldNotRun = 2
	// ExitStopped: cancelled (Ctrl-C, the system stopping the program), or
	// Xero's daily call limit reached; the next run continues from there.
	ExitStopped = 3
)

// exitHelp is what help says of the exit statuses.
const exitHelp = `Exit status: 0 all done; 1 some records failed (export), differences found (reconcile) or the
command failed; 2 could not run (a command-line mistake, no shop or Xero connection, another export
running, a run stopped by an error); 3 cancelled, or Xero's daily call limit reached (the next run
continues from there). --quiet prints nothing but the one line of an error.`

// exitError gives an error its exit status.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// withExit marks err (nil stays nil) with the exit status code.
func withExit(code int, err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: code, err: err}
}

// couldNotRun marks err as the reason nothing (more) ran: exit status 2,
// unless it is a cancel or Xero's daily limit (3).
func couldNotRun(err error) error {
	if err == nil || exitCode(err) == ExitStopped {
		return err
	}
	return withExit(ExitCouldNotRun, err)
}

// exitCode is the exit status for a command's error (not a usage error).
func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	var rl *xero.RateLimitError
	switch {
	case errors.Is(err, export.ErrCancelled), errors.Is(err, context.Canceled):
		return ExitStopped
	case errors.As(err, &rl) && rl.Problem == xero.LimitDay:
		return ExitStopped
	}
	return ExitFailed
}

// secretsWarnedFile, in the profile directory, records that the person was
// told once that secrets are kept in a file (no keychain): the command line
// says it the first time only, not on every scheduled run.
const secretsWarnedFile = "secrets-warning-shown"

// firstSecretsWarning reports whether the no-keychain warning has not been
// shown for the profile in dir yet, and records that it now is.
func firstSecretsWarning(dir string) bool {
	path := filepath.Join(dir, secretsWarnedFile)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		// Already shown (or the folder cannot be written: then every run
		// says it, which is the safe side).
		return !errors.Is(err, os.ErrExist)
	}
	// The file's presence is what counts; its words are for a curious person.
	f.WriteString("The warning that no OS keychain is available was shown; delete this file to see it again.\n")
	f.Close()
	return true
}
