package app

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/opencart-xero/opencart-xero/sync/safetext"
)

func init() {
	register(&Command{
		Name:    "config",
		Usage:   "config set|get|list [KEY] [VALUE|-]",
		Summary: "show or change settings (secrets are shown redacted; VALUE - reads it from standard input)",
		Run:     runConfig,
	})
}

// maxStdinValue bounds a value read from standard input.
const maxStdinValue = 1 << 20

func runConfig(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usageErrorf("config: say set, get or list")
	}
	verb, args := args[0], args[1:]
	want := map[string]int{"set": 2, "get": 1, "list": 0}
	n, ok := want[verb]
	if !ok {
		return usageErrorf("config: unknown action %q (set, get or list)", verb)
	}
	if n > 0 && len(args) > 0 {
		if _, known := LookupSettingKey(args[0]); !known {
			return usageErrorf("config: unknown setting %q (see: opencart-xero config list)", args[0])
		}
	}
	// `config set KEY ""` resets; `config set KEY -` reads the value from
	// standard input; `config set KEY` alone asks for a secret at a
	// terminal (not shown) and is otherwise a mistake.
	if verb == "set" && len(args) == 1 {
		v, asked, err := askSecret(env, args[0])
		if err != nil {
			return err
		}
		if asked {
			args = append(args, v)
		}
	} else if verb == "set" && len(args) == 2 && args[1] == "-" {
		v, err := readStdinValue(env.Stdin)
		if err != nil {
			return err
		}
		args[1] = v
	}
	if len(args) != n {
		hint := ""
		if verb == "set" && len(args) == 1 {
			hint = " (to keep a secret off the command line: opencart-xero config set " + args[0] + " - < file, or run it at a terminal)"
		}
		return usageErrorf("config %s: expected %d argument(s), got %d%s", verb, n, len(args), hint)
	}
	p, err := env.Profile(ctx)
	if err != nil {
		return err
	}
	switch verb {
	case "set":
		if err := p.Settings.Set(ctx, args[0], args[1]); err != nil {
			return err
		}
		shown, err := p.Settings.Shown(ctx, args[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s = %s\n", args[0], safetext.Terminal(shown))
		if isPrefixSetting(args[0]) && shown != "" {
			fmt.Fprintln(env.Stdout, safetext.Terminal(checkPrefixAgainstXero(ctx, p, shown)))
		}
	case "get":
		v, err := p.Settings.Shown(ctx, args[0])
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, safetext.Terminal(v))
	case "list":
		all, err := p.Settings.All(ctx)
		if err != nil {
			return err
		}
		for _, kv := range all {
			fmt.Fprintf(env.Stdout, "%-20s %s\n", kv[0], safetext.Terminal(kv[1]))
		}
		s, err := LoadExportSettings(ctx, p)
		if err != nil {
			return err
		}
		printRefunds(env.Stdout, s.Options)
	}
	return nil
}

// printRefunds shows what each return action does with money and how
// refund statuses are read: the part of export.options the bookkeeper
// checks most, in words.
func printRefunds(w io.Writer, o mapping.Options) {
	fmt.Fprintln(w, "\nRefunds and returns (chosen in the window's Settings; kept in export.options):")
	line := func(what, does string) { fmt.Fprintf(w, "  %-38s %s\n", what, does) }
	var actions []string
	for _, r := range o.ReturnActions {
		actions = append(actions, r.Action)
	}
	if len(o.ReturnActions) == 0 {
		actions = o.CreditReturnActions
	}
	for _, a := range actions {
		line(fmt.Sprintf("return action %q", a), export.TreatmentLabel(o.ReturnTreatment(opencart.Return{Action: a})))
	}
	line("other return actions", export.TreatmentLabel(mapping.TreatNone))
	if o.RefundsAreFull {
		line("refund statuses", "the whole order was refunded (refunds_are_full)")
	} else {
		line("refund statuses", "amount unknown: a draft credit note for the whole order, to check and approve in Xero")
	}
}

// holdsSecret reports whether a setting's value is (or holds) a secret,
// which is better typed at a prompt than put on the command line.
func holdsSecret(name string) bool {
	k, _ := LookupSettingKey(name)
	return k.Secret || name == "store.dsn" // the DSN holds the database password
}

// askSecret asks for the value of a secret setting when standard input is
// a terminal, without echoing it; asked is false when it did not ask.
func askSecret(env *Env, name string) (v string, asked bool, err error) {
	if !holdsSecret(name) {
		return "", false, nil
	}
	read, ok := hiddenInput(env.Stdin)
	if !ok {
		return "", false, nil
	}
	fmt.Fprintf(env.Stderr, "%s (not shown as you type): ", name)
	v, err = read()
	fmt.Fprintln(env.Stderr)
	if err != nil {
		return "", true, fmt.Errorf("config set %s: reading the value: %w", name, err)
	}
	return v, true, nil
}

// hiddenInput gives a reader of one line typed with echo off when in is a
// terminal; ok is false when it is not. Tests replace it.
var hiddenInput = func(in io.Reader) (read func() (string, error), ok bool) {
	f, isFile := in.(*os.File)
	if !isFile || !term.IsTerminal(int(f.Fd())) {
		return nil, false
	}
	return func() (string, error) {
		b, err := term.ReadPassword(int(f.Fd()))
		return string(b), err
	}, true
}

// readStdinValue reads a setting's value from standard input, without the
// line break that ends it.
func readStdinValue(in io.Reader) (string, error) {
	if in == nil {
		return "", errors.New("config set: no standard input to read the value from")
	}
	b, err := io.ReadAll(io.LimitReader(in, maxStdinValue+1))
	if err != nil {
		return "", fmt.Errorf("config set: reading standard input: %w", err)
	}
	if len(b) > maxStdinValue {
		return "", errors.New("config set: the value on standard input is longer than 1 MiB")
	}
	v := strings.TrimSuffix(string(b), "\n")
	return strings.TrimSuffix(v, "\r"), nil
}
