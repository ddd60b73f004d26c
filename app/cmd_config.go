package app

import (
	"context"
	"fmt"
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
	}
	return nil
}
