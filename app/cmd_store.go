package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/reach"
	"github.com/opencart-xero/opencart-xero/sync/safetext"
)

func init() {
	register(&Command{
		Name:    "store check",
		Usage:   "store check [--json] [--dsn DSN] [--prefix P]",
		Summary: "connect to the OpenCart database read-only, detect its version and count records",
		Run:     runStoreCheck,
	})
	register(&Command{
		Name:    "store import-config",
		Usage:   "store import-config [--ssh] FILE",
		Summary: "fill store.dsn and store.prefix from OpenCart's config.php (with --ssh, FILE is a path on the store.ssh server, read over SFTP); PHP is never run",
		Run:     runStoreImportConfig,
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
	// With both flags the check needs no profile and connects directly;
	// otherwise the profile's TLS and SSH settings choose the route, and
	// a new SSH server's host key is shown and pinned.
	route := reach.Route{DSN: *dsn}
	var taxFields []string
	if !given["dsn"] || !given["prefix"] {
		p, err := env.Profile(ctx)
		if err != nil {
			return err
		}
		if route, err = storeRoute(ctx, p.Settings, *dsn, pinHostKey(ctx, p.Settings, env.Stderr)); err != nil {
			return err
		}
		fields, err := p.Settings.Get(ctx, "contact.tax_number_fields")
		if err != nil {
			return err
		}
		taxFields = fieldNames(fields)
	}
	r, err := opencart.OpenRoute(ctx, route, *prefix)
	if err != nil {
		return err
	}
	defer r.Close()
	r.SetTaxNumberFields(taxFields)
	sum, err := r.Check(ctx)
	if err != nil {
		return err
	}
	settings := export.DefaultSettings()
	if !given["dsn"] || !given["prefix"] {
		p, err := env.Profile(ctx)
		if err != nil {
			return err
		}
		if settings, err = LoadExportSettings(ctx, p); err != nil {
			return err
		}
	}
	methods, err := shopPaymentMethods(ctx, r, settings)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(struct {
			opencart.Summary
			PaymentMethods []export.MethodRule `json:"payment_methods"`
		}{sum, methods})
	}
	if err := printStoreSummary(env.Stdout, sum); err != nil {
		return err
	}
	return printPaymentMethods(env.Stdout, methods)
}

// shopPaymentMethods are the payment methods of the shop's orders with
// the rule the settings give each (branch paidmethod).
func shopPaymentMethods(ctx context.Context, r *opencart.Reader, s export.Settings) ([]export.MethodRule, error) {
	methods, err := r.PaymentMethods(ctx)
	if err != nil {
		return nil, err
	}
	statuses, err := r.OrderStatuses(ctx)
	if err != nil {
		return nil, err
	}
	return export.DescribeMethods(methods, statuses, s), nil
}

// printPaymentMethods lists the payment methods with when their orders
// count as paid and where the money goes.
func printPaymentMethods(w io.Writer, methods []export.MethodRule) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	t := safetext.Terminal
	fmt.Fprintf(tw, "Payment methods	%d\n", len(methods))
	for _, m := range methods {
		fmt.Fprintf(tw, "  %s (%s, %d orders)\t%s\n", t(m.Title), t(m.Code), m.Orders, t(m.Rule))
	}
	return tw.Flush()
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
	fmt.Fprintf(tw, "Reached\t%s\n", t(s.Route))
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
	if sc := s.StoreCredit; sc != nil {
		fmt.Fprintf(tw, "Store credit given outside checkout\t%d by hand (%s), %d linked to orders (%s); not exported\n",
			sc.ByHand, sc.ByHandTotal.StringFixed(2), sc.Linked, sc.LinkedTotal.StringFixed(2))
	}
	fmt.Fprintf(tw, "Custom fields\t%d\n", len(s.CustomFields))
	for _, f := range s.CustomFields {
		use := "not used"
		if f.TaxNumber {
			use = "the customer's VAT/tax number (Xero contact: Tax number)"
		}
		fmt.Fprintf(tw, "  %s (%s, id %d)\t%s\n", t(f.Name), t(f.Location), f.ID, use)
	}
	for _, warn := range s.Warnings {
		fmt.Fprintf(tw, "Warning\t%s\n", t(warn))
	}
	return tw.Flush()
}

func runStoreImportConfig(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(commands["store import-config"])
	overSSH := fs.Bool("ssh", false, "FILE is a path on the SSH server (store.ssh), read over SFTP")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageErrorf("store import-config: expected the path of config.php")
	}
	p, err := env.Profile(ctx)
	if err != nil {
		return err
	}
	server, err := p.Settings.Get(ctx, "store.ssh")
	if err != nil {
		return err
	}
	var src []byte
	if *overSSH {
		if server == "" {
			return errNoSSH
		}
		route, err := storeRoute(ctx, p.Settings, "", pinHostKey(ctx, p.Settings, env.Stderr))
		if err != nil {
			return err
		}
		src, err = reach.ReadFile(ctx, route.SSH, rest[0])
		if err != nil {
			return err
		}
	} else if src, err = readLocalConfigPHP(rest[0]); err != nil {
		return err
	}
	cp, err := opencart.ParseConfigPHP(src)
	if err != nil {
		return fmt.Errorf("%s: %w", rest[0], err)
	}
	host, notes := configHost(cp, server != "")
	dsn := configDSN(cp, host)
	if err := p.Settings.Set(ctx, "store.dsn", dsn); err != nil {
		return err
	}
	if err := p.Settings.Set(ctx, "store.prefix", cp.Prefix); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "store.dsn = %s\nstore.prefix = %s\n", RedactDSN(dsn), cp.Prefix)
	for _, n := range append(cp.Notes, notes...) {
		fmt.Fprintf(env.Stderr, "Note: %s\n", n)
	}
	fmt.Fprintln(env.Stdout, "Check the connection with: opencart-xero store check")
	return nil
}
