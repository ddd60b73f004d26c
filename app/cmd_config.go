package app

import (
	"context"
	"fmt"
	"io"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

func init() {
	register(&Command{
		Name:    "config",
		Usage:   "config set|get|list [KEY] [VALUE]",
		Summary: "show or change settings (secrets are shown redacted)",
		Run:     runConfig,
	})
}

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
	// `config set KEY ""` resets; `config set KEY` alone is a mistake.
	if len(args) != n {
		return usageErrorf("config %s: expected %d argument(s), got %d", verb, n, len(args))
	}
	if n > 0 {
		if _, known := LookupSettingKey(args[0]); !known {
			return usageErrorf("config: unknown setting %q (see: opencart-xero config list)", args[0])
		}
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
		fmt.Fprintf(env.Stdout, "%s = %s\n", args[0], shown)
	case "get":
		v, err := p.Settings.Shown(ctx, args[0])
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, v)
	case "list":
		all, err := p.Settings.All(ctx)
		if err != nil {
			return err
		}
		for _, kv := range all {
			fmt.Fprintf(env.Stdout, "%-20s %s\n", kv[0], kv[1])
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
