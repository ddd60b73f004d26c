package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/reconcile"
	"github.com/opencart-xero/opencart-xero/sync/safetext"
)

func init() {
	register(&Command{
		Name:    "reconcile",
		Usage:   "reconcile (--period YYYY-MM | --since YYYY-MM-DD --until YYYY-MM-DD) [--json] [--csv FILE] [--html FILE]",
		Summary: "compare a period's orders with what Xero holds now (reads only; sends nothing)",
		Run:     runReconcile,
	})
}

// reconcileCacheFile, in the profile directory, keeps the last read-back
// so that a repeat run asks Xero only for what changed since. Its content is
// JSON lines now (sync/reconcile/cache.go); the name is kept so that a file
// of the first format is replaced, not left behind.
const reconcileCacheFile = "reconcile-cache.json"

// reconcileOptions are the command's flags once read.
type reconcileOptions struct {
	period reconcile.Period
	json   bool
	csv    string
	html   string
}

func runReconcile(ctx context.Context, env *Env, args []string) error {
	c := commands["reconcile"]
	fs := newFlags(c)
	month := fs.String("period", "", "a calendar month, YYYY-MM, in the shop's time zone")
	since := fs.String("since", "", "the first day, YYYY-MM-DD")
	until := fs.String("until", "", "the last day, YYYY-MM-DD (included)")
	asJSON := fs.Bool("json", false, "one JSON object per difference, then a summary line")
	csvPath := fs.String("csv", "", "also write the differences to this CSV file")
	htmlPath := fs.String("html", "", "also write a printable report (totals and differences) to this HTML file")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErrorf("reconcile: unexpected %q", rest[0])
	}
	opts := reconcileOptions{json: *asJSON, csv: *csvPath, html: *htmlPath}
	switch {
	case *month != "" && (*since != "" || *until != ""):
		return usageErrorf("reconcile: give --period or --since and --until, not both")
	case *month != "":
		if opts.period, err = reconcile.ParseMonth(*month); err != nil {
			return usageErrorf("reconcile: %v", err)
		}
	case *since != "" && *until != "":
		if opts.period, err = reconcile.ParseDays(*since, *until); err != nil {
			return usageErrorf("reconcile: %v", err)
		}
	default:
		return usageErrorf("reconcile: give --period YYYY-MM, or --since and --until")
	}
	p, err := env.Profile(ctx)
	if err != nil {
		return couldNotRun(err)
	}
	settings, err := LoadExportSettings(ctx, p)
	if err != nil {
		return couldNotRun(err)
	}
	store, err := OpenStore(ctx, p)
	if err != nil {
		return couldNotRun(err)
	}
	defer store.Close()
	client, err := NewXeroClient(ctx, p, nil)
	if err != nil {
		return couldNotRun(err)
	}
	if client.Tenant() == "" {
		return couldNotRun(errors.New("no Xero organisation is chosen: run opencart-xero connect"))
	}
	rep, err := reconcile.Run(ctx, reconcile.Config{Store: store, Xero: client, History: p.History, Settings: settings,
		CachePath: filepath.Join(p.Dir, reconcileCacheFile)}, opts.period)
	if err != nil {
		return couldNotRun(err)
	}
	return printReconcile(env.Stdout, rep, opts)
}

// printReconcile writes the report as text or JSON lines, and the CSV file.
func printReconcile(w io.Writer, rep *reconcile.Report, opts reconcileOptions) error {
	if opts.csv != "" {
		if err := writeReconcileCSV(opts.csv, rep); err != nil {
			return err
		}
	}
	if opts.html != "" {
		if err := writeReconcileHTML(opts.html, rep); err != nil {
			return err
		}
	}
	if opts.json {
		enc := json.NewEncoder(w)
		for _, d := range rep.Differences {
			if err := enc.Encode(d); err != nil {
				return err
			}
		}
		if err := enc.Encode(map[string]any{"summary": reconcileSummary(rep)}); err != nil {
			return err
		}
	} else {
		printReconcileText(w, rep)
	}
	if n := len(rep.Differences); n > 0 {
		return fmt.Errorf("%s between OpenCart and Xero for %s", export.Counted(n, "difference", "differences"), rep.Period)
	}
	return nil
}

// reconcileSummary is the last JSON line: the period, the counts and the totals.
func reconcileSummary(rep *reconcile.Report) map[string]any {
	counts := map[string]int{}
	for _, p := range reconcile.Problems {
		counts[string(p)] = rep.Count(p)
	}
	type figure struct {
		OpenCart   string `json:"opencart"`
		Xero       string `json:"xero"`
		Difference string `json:"difference"`
	}
	fig := func(f reconcile.Figure) figure {
		return figure{f.OpenCart.StringFixed(2), f.Xero.StringFixed(2), f.Difference().StringFixed(2)}
	}
	var totals []map[string]any
	for _, t := range rep.Totals {
		vat := map[string]figure{}
		for code, f := range t.VAT {
			vat[code] = fig(f)
		}
		totals = append(totals, map[string]any{"currency": t.Currency, "sales": fig(t.Sales), "vat": vat, "shipping": fig(t.Shipping),
			"discounts": fig(t.Discounts), "refunds": fig(t.Refunds), "payments": fig(t.Payments)})
	}
	return map[string]any{"since": rep.Period.Since.Format("2006-01-02"), "until": rep.Period.Until.AddDate(0, 0, -1).Format("2006-01-02"),
		"time_zone": rep.TimeZone, "orders": rep.Orders, "invoices": rep.Invoices, "credit_notes": rep.CreditNotes,
		"differences": len(rep.Differences), "problems": counts, "totals": totals, "clean": rep.Clean(), "xero_calls": rep.Calls}
}

func printReconcileText(w io.Writer, rep *reconcile.Report) {
	fmt.Fprintf(w, "Reconciliation %s (days in the shop's time zone, %s): %d orders, %d invoices and %d credit notes in Xero; %d Xero calls.\n",
		rep.Period, safetext.Terminal(rep.TimeZone), rep.Orders, rep.Invoices, rep.CreditNotes, rep.Calls)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	for _, t := range rep.Totals {
		fmt.Fprintf(tw, "\n%s\tOpenCart\tXero\tDifference\t\n", safetext.Terminal(t.Currency))
		row := func(name string, f reconcile.Figure) {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", name, f.OpenCart.StringFixed(2), f.Xero.StringFixed(2), signed(f.Difference()))
		}
		row("Sales", t.Sales)
		codes := make([]string, 0, len(t.VAT))
		for code := range t.VAT {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		for _, code := range codes {
			row(safetext.Terminal(rep.VATLabel(code)), t.VAT[code])
		}
		row("Shipping", t.Shipping)
		row("Discounts", t.Discounts)
		row("Refunds", t.Refunds)
		row("Payments", t.Payments)
	}
	tw.Flush()
	if len(rep.Differences) == 0 {
		if rep.Clean() {
			fmt.Fprintln(w, "\nOpenCart, the history and Xero agree.")
		} else {
			fmt.Fprintln(w, "\nNo document differs, but the totals do (see above).")
		}
		return
	}
	fmt.Fprintf(w, "\n%s:\n", export.Counted(len(rep.Differences), "difference", "differences"))
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NUMBER\tPROBLEM\tOPENCART\tXERO\tCURRENCY\tDETAIL")
	for _, d := range rep.Differences {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", safetext.Terminal(d.Number), d.Problem, safetext.Terminal(d.OpenCartTotal),
			safetext.Terminal(d.XeroTotal), safetext.Terminal(d.Currency), safetext.Terminal(d.Detail))
	}
	tw.Flush()
}

func signed(d decimal.Decimal) string {
	if d.IsPositive() {
		return "+" + d.StringFixed(2)
	}
	return d.StringFixed(2)
}

// writeReconcileCSV writes one row per difference (reconcile.WriteCSV).
func writeReconcileCSV(path string, rep *reconcile.Report) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	if err := reconcile.WriteCSV(f, rep); err != nil {
		f.Close()
		return fmt.Errorf("reconcile: %s: %w", path, err)
	}
	return f.Close()
}

// writeReconcileHTML writes the printable report (reconcile.WriteHTML).
func writeReconcileHTML(path string, rep *reconcile.Report) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	if err := reconcile.WriteHTML(f, rep, time.Now()); err != nil {
		f.Close()
		return fmt.Errorf("reconcile: %s: %w", path, err)
	}
	return f.Close()
}
