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
	"syscall"
)

// Main runs opencart-xero with the given arguments and returns the process
// exit status: 0 on success, 1 on failure, 2 on a command-line mistake.
// The environment is read here, once: $OPENCART_XERO_SECRETS chooses where
// secrets are kept.
func Main(args []string, stdout, stderr io.Writer) int {
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
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "opencart-xero: %s\n\n", ue.Msg)
		printHelp(env.Stderr)
		return 2
	default:
		fmt.Fprintf(env.Stderr, "opencart-xero: %v\n", err)
		return 1
	}
}

func runCommand(ctx context.Context, env *Env, args []string) error {
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
