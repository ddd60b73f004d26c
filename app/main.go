// Package app is the composition root of opencart-xero: the profile
// directory, settings and secrets, the command-line subcommands, and the
// start of the window. It builds the engine from sync/ and hands it to views/.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/opencart-xero/opencart-xero/internal/quietlocale"
	"github.com/opencart-xero/opencart-xero/sync/safetext"
)

// Main runs opencart-xero with the given arguments and returns the process
// exit status (exitcodes.go): 0 all done, 1 some records failed or the
// command failed, 2 could not run, 3 cancelled or Xero's limit reached.
// The environment is read here, once: $OPENCART_XERO_SECRETS chooses where
// secrets are kept.
func Main(args []string, stdout, stderr io.Writer) int {
	// Fyne has read the locale by now (quietlocale kept it quiet): the
	// window and programs started from here get the person's own.
	quietlocale.Restore()
	return runMain(&Env{Stdout: stdout, Stderr: stderr, Stdin: os.Stdin, Secrets: SecretsStoreFromEnv()}, args)
}

// runMain is Main with the environment already read into env.
func runMain(env *Env, args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer env.Close()

	rest, err := env.parseGlobal(args)
	if err == nil && len(rest) == 0 {
		err = runWindow(ctx, env)
	} else if err == nil {
		err = runCommand(ctx, env, rest)
	}
	var ue *UsageError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "opencart-xero: %s\n\n", ue.Msg)
		if !env.Quiet {
			printHelp(env.Stderr)
		}
		return ExitCouldNotRun
	default:
		// An error may quote the shop or Xero (a name, a reason): shown
		// literally, never obeyed by the terminal. One line, for cron's mail.
		fmt.Fprintf(env.Stderr, "opencart-xero: %s\n", safetext.TerminalLines(err.Error()))
		return exitCode(err)
	}
}

func runCommand(ctx context.Context, env *Env, args []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = commandPanic(env, args[0], r, debug.Stack())
		}
	}()
	if args[0] == "help" || args[0] == "--help" || args[0] == "-h" {
		printHelp(env.Stdout)
		return nil
	}
	c, rest := lookup(args)
	if c == nil {
		return usageErrorf("unknown command %q", args[0])
	}
	return c.Run(ctx, env, rest)
}

// crashLogFile, in the profile directory, keeps the details of internal
// errors (panics): what was running, the value and the stack.
const crashLogFile = "crash.log"

// commandPanic turns a panic in a command into a plain one-line error, after
// appending its details to the crash log. Writes already made are whole:
// the history and settings change in transactions, files by rename.
func commandPanic(env *Env, command string, r any, stack []byte) error {
	msg := fmt.Sprintf("internal error in %q: %v", command, r)
	dir := env.ProfileDir
	if env.profile != nil {
		dir = env.profile.Dir
	} else if d, err := ResolveProfileDir(env.ProfileDir); err == nil {
		dir = d
	}
	if path, err := logCrash(dir, msg, stack); err == nil {
		return fmt.Errorf("%s (details in %s); please report it", safetext.Terminal(msg), path)
	}
	return fmt.Errorf("%s; please report it", safetext.Terminal(msg))
}

// logCrash appends one entry to the crash log in dir and returns its path.
func logCrash(dir, msg string, stack []byte) (string, error) {
	if dir == "" {
		return "", errors.New("no profile directory")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, crashLogFile)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return "", err
	}
	_, err = fmt.Fprintf(f, "%s %s\n%s\n", time.Now().UTC().Format(time.RFC3339), msg, stack)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return path, err
}
