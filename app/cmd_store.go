package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/safetext"
)

func init() {
	register(&Command{
		Name:    "store check",
		Usage:   "store check [--json] [--dsn DSN] [--prefix P]",
		Summary: "connect to the OpenCart database read-only, detect its version and count records",
		Run:     runStoreCheck,
	})
}

// errNoStoreDSN says how to configure the shop database.
var errNoStoreDSN = errors.New("the OpenCart database is not configured; set it with: opencart-xero config set store.dsn 'user:pass@tcp(host:3306)/db'")

func runStoreCheck(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(commands["store check"])
	asJSON := fs.Bool("json", false, "print one JSON object")
	dsn := fs.String("dsn", "", "OpenCart database DSN (default: the profile's store.dsn)")
	prefix := fs.String("prefix", "", "table prefix (default: the profile's store.prefix)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErrorf("store check: unexpected %q", rest[0])
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if !given["dsn"] || !given["prefix"] {
		p, err := env.Profile(ctx)
		if err != nil {
			return err
		}
		for name, v := range map[string]*string{"dsn": dsn, "prefix": prefix} {
			if !given[name] {
				if *v, err = p.Settings.Get(ctx, "store."+name); err != nil {
					return err
				}
			}
		}
	}
	if *dsn == "" {
		return errNoStoreDSN
	}
	r, err := opencart.Open(ctx, *dsn, *prefix)
	if err != nil {
		return err
	}
	defer r.Close()
	sum, err := r.Check(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(sum)
	}
	return printStoreSummary(env.Stdout, sum)
}

// printStoreSummary writes the summary for a person to read. Every name in
// it comes from the shop's database and is shown literally.
func printStoreSummary(w io.Writer, s opencart.Summary) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	t := safetext.Terminal
	upgraded := ""
	if s.Upgraded {
		upgraded = " (upgraded from an older version)"
	}
	fmt.Fprintf(tw, "OpenCart version\t%s.x%s\n", s.Family, upgraded)
	fmt.Fprintf(tw, "Database\t%s\n", t(s.Database))
	fmt.Fprintf(tw, "Table prefix\t%q\n", s.Prefix)
	fmt.Fprintf(tw, "Store name\t%s\n", t(s.StoreName))
	fmt.Fprintf(tw, "Time zone\t%s\n", t(s.Timezone))
	fmt.Fprintf(tw, "Default currency\t%s (amounts stored in %s)\n", t(s.DefaultCurrency), t(s.BaseCurrency))
	fmt.Fprintf(tw, "Customers\t%d enabled, %d disabled\n", s.Customers.Enabled, s.Customers.Disabled)
	fmt.Fprintf(tw, "Orders\t%d\n", s.OrdersTotal)
	for _, st := range s.Orders {
		fmt.Fprintf(tw, "  %s (status %d)\t%d\n", t(st.Name), st.ID, st.Count)
	}
	fmt.Fprintf(tw, "Missing orders\t%d (status 0, checkout never confirmed; never exported)\n", s.MissingOrders)
	fmt.Fprintf(tw, "Returns\t%d\n", s.Returns)
	for _, warn := range s.Warnings {
		fmt.Fprintf(tw, "Warning\t%s\n", t(warn))
	}
	return tw.Flush()
}
