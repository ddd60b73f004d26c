package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Command is one headless subcommand, e.g. "store check" or "export".
// A command is wiring plus a Run function that gets its output through Env,
// so tests call it directly.
type Command struct {
	// Name is the words that select the command, e.g. "store check".
	Name string
	// Usage is the full synopsis shown in help, e.g. "store check [--json]".
	Usage string
	// Summary says in one line what the command does.
	Summary string
	// Run does the work; args are what follows the command's name.
	Run func(ctx context.Context, env *Env, args []string) error
}

var commands = map[string]*Command{}

// register adds a command; each cmd_*.go file registers its own in init.
func register(c *Command) {
	if _, dup := commands[c.Name]; dup {
		panic("app: command registered twice: " + c.Name)
	}
	commands[c.Name] = c
}

// lookup finds the command whose name is the longest prefix of args.
func lookup(args []string) (*Command, []string) {
	for n := min(len(args), 3); n > 0; n-- {
		if c, ok := commands[strings.Join(args[:n], " ")]; ok {
			return c, args[n:]
		}
	}
	return nil, args
}

// UsageError marks a mistake in the command line; Main prints the usage and
// exits with status 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// usageErrorf builds a UsageError.
func usageErrorf(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// newFlags returns a flag set for a command that reports errors as
// UsageError instead of printing or exiting.
func newFlags(c *Command) *flag.FlagSet {
	fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses args (flags may come before or after positional
// arguments) and returns the positional ones.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, usageErrorf("help requested")
			}
			return nil, usageErrorf("%s: %v", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "Usage: opencart-xero [--profile DIR] [--secrets file|keychain] [--quiet] [--minimised] [COMMAND ...]")
	fmt.Fprintln(w, "With no command, opens the window (--minimised: in the system tray). Commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := commands[n]
		fmt.Fprintf(w, "  %-58s %s\n", c.Usage, c.Summary)
	}
	fmt.Fprintln(w, "The profile directory (settings, history.db) is --profile, $OPENCART_XERO_PROFILE, or the user config dir.")
	fmt.Fprintln(w, exitHelp)
}
