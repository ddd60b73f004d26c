package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/safetext"
)

func init() {
	register(&Command{
		Name:    "export",
		Usage:   "export customers|orders|credit-notes|payments|all [--since DATE] [--until DATE] [--id N,...] [--status N,...] [--failed] [--full] [--dry-run] [--json] [--quiet] [--scheduled]",
		Summary: "send OpenCart records to Xero (a dry run prints the documents and sends nothing)",
		Run:     runExport,
	})
	register(&Command{
		Name:    "config propose",
		Usage:   "config propose",
		Summary: "fill the export choices still empty (accounts, tax mapping, return actions) from Xero and the shop",
		Run:     runConfigPropose,
	})
}

func runExport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(commands["export"])
	since := fs.String("since", "", "only records added on or after this day (YYYY-MM-DD)")
	until := fs.String("until", "", "only records added before this day (YYYY-MM-DD)")
	ids := fs.String("id", "", "only these OpenCart ids, comma-separated")
	statuses := fs.String("status", "", "only orders with these status ids, comma-separated")
	failed := fs.Bool("failed", false, "only records whose last export failed")
	dry := fs.Bool("dry-run", false, "map and check, print the documents, send nothing (needs no Xero connection)")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	full := fs.Bool("full", false, "read every record, not only what changed since the last complete run")
	quiet := fs.Bool("quiet", false, "print nothing but the one line of an error; the exit status says how it went")
	scheduled := fs.Bool("scheduled", false, "recorded as a run of the scheduled task (opencart-xero schedule)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *quiet {
		env.beQuiet()
	}
	if len(rest) != 1 {
		return usageErrorf("export: say what to export: customers, orders, credit-notes, payments or all")
	}
	scope, err := export.ParseScope(rest[0])
	if err != nil {
		return usageErrorf("export: %v", err)
	}
	req := export.Request{Scope: scope, OnlyFailed: *failed, DryRun: *dry, Full: *full, Trigger: export.TriggerCommandLine}
	if *scheduled {
		// The task runs every few minutes: one that meets the window's
		// automatic export (or a person's) waits for it rather than fail.
		req.Trigger, req.LockWait = export.TriggerScheduledTask, scheduledLockWait
	}
	if req.Since, err = parseDay(*since, "--since"); err != nil {
		return err
	}
	if req.Until, err = parseDay(*until, "--until"); err != nil {
		return err
	}
	if req.IDs, err = parseIDs(*ids, "--id"); err != nil {
		return err
	}
	if req.StatusIDs, err = parseIDs(*statuses, "--status"); err != nil {
		return err
	}
	p, err := env.Profile(ctx)
	if err != nil {
		return withExit(ExitCouldNotRun, err)
	}
	var printer export.Progress
	if *asJSON {
		prefix, err := p.Settings.Get(ctx, "invoice.prefix")
		if err != nil {
			return err
		}
		printer = &jsonPrinter{w: env.Stdout, opt: mapping.Options{Prefix: prefix}}
	} else {
		printer = &textPrinter{w: env.Stdout}
	}
	eng, err := NewEngine(ctx, p, *dry, printer)
	if err != nil {
		return withExit(ExitCouldNotRun, err)
	}
	defer eng.Close()
	sum, err := eng.Run(ctx, req)
	if errors.Is(err, export.ErrBusy) {
		return withExit(ExitCouldNotRun, err) // nothing ran: no summary
	}
	if *asJSON {
		if jerr := json.NewEncoder(env.Stdout).Encode(summaryJSON(sum, err)); jerr != nil && err == nil {
			err = jerr
		}
	} else {
		printSummary(env.Stdout, sum, *dry)
	}
	if req.Trigger == export.TriggerScheduledTask && !req.DryRun {
		// The summary by e-mail (smtp.*); a failure to send is said on
		// standard error (cron mails it) and does not change the status.
		if merr := mailRunSummary(ctx, p, sum, err, env.mailRoots); merr != nil {
			fmt.Fprintf(env.Stderr, "opencart-xero: %s\n", safetext.Terminal(merr.Error()))
		}
	}
	return exportOutcome(sum, err)
}

// exportOutcome is the error a finished run ends the command with, marked
// with its exit status: cancelled or out of Xero calls for the day 3, a run
// stopped by an error that is not one record's 2, failed records 1.
func exportOutcome(sum export.Summary, err error) error {
	if errors.Is(err, export.ErrCancelled) {
		return withExit(ExitStopped, errors.New("export cancelled; what was sent is recorded, and the next run continues from there"))
	}
	if err != nil {
		if exitCode(err) == ExitStopped {
			return withExit(ExitStopped, fmt.Errorf("%w; what was sent is recorded, and the next run continues from there", err))
		}
		return withExit(ExitCouldNotRun, err)
	}
	if sum.Failed > 0 {
		return withExit(ExitFailed, fmt.Errorf("%s failed; see: opencart-xero history --failed", export.Counted(sum.Failed, "record", "records")))
	}
	return nil
}

// scheduledLockWait is how long a scheduled run waits for another export
// on the profile to finish.
const scheduledLockWait = 10 * time.Minute

func parseDay(v, flag string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return t, usageErrorf("%s %q: expected a day as YYYY-MM-DD", flag, v)
	}
	return t, nil
}

func parseIDs(v, flag string) ([]int, error) {
	if v == "" {
		return nil, nil
	}
	var out []int
	for _, part := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n <= 0 {
			return nil, usageErrorf("%s: %q is not an id", flag, part)
		}
		out = append(out, n)
	}
	return out, nil
}

// textPrinter shows a run's progress for a person: stage changes, every
// record that was not simply exported, and mismatching totals.
type textPrinter struct {
	mu    sync.Mutex
	w     io.Writer
	stage export.Stage
}

func (t *textPrinter) Report(e export.Event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e.Stage != t.stage && e.Stage != export.StageDone {
		t.stage = e.Stage
		fmt.Fprintf(t.w, "— %s\n", e.Stage)
	}
	r := e.Record
	if r == nil {
		return
	}
	line := fmt.Sprintf("  %s %s", kindWord(r.Kind), r.OpenCartID)
	if r.XeroNumber != "" {
		line += " → " + r.XeroNumber
	}
	if r.OpenCartTotal != "" {
		line += fmt.Sprintf("  %s %s", r.Currency, r.OpenCartTotal)
		if r.TotalsMatch != nil && !*r.TotalsMatch {
			line += " (Xero: " + r.XeroTotal + ")"
		}
	}
	line += "  " + r.State
	if r.Message != "" {
		line += ": " + r.Message
	}
	// The line holds shop and Xero text (a product model, Xero's reasons):
	// shown literally, never obeyed by the terminal.
	fmt.Fprintln(t.w, safetext.Terminal(line))
	for _, p := range r.Problems {
		fmt.Fprintln(t.w, "      "+safetext.Terminal(p))
	}
}

func kindWord(kind string) string {
	switch kind {
	case history.KindContact:
		return "contact"
	case history.KindInvoice:
		return "order"
	case history.KindCreditNote:
		return "credit note"
	case history.KindPayment:
		return "payment of order"
	}
	return kind
}

func printSummary(w io.Writer, s export.Summary, dry bool) {
	what := "exported"
	if dry {
		what = "would be sent"
	}
	fmt.Fprintf(w, "Run %d: %d %s, %d unchanged, %d failed, %d skipped", s.RunID, s.Exported, what, s.Unchanged, s.Failed, s.Skipped)
	if s.Withdrawn > 0 {
		fmt.Fprintf(w, ", %d invoices of cancelled orders voided or deleted", s.Withdrawn)
	}
	if s.KeptAsExported > 0 {
		fmt.Fprintf(w, " (%d unchanged records kept as exported under earlier settings)", s.KeptAsExported)
	}
	if s.Mismatches > 0 {
		fmt.Fprintf(w, ", %d with a different total in Xero", s.Mismatches)
	}
	fmt.Fprintf(w, "; %d Xero calls in %s\n", s.APICalls, s.Duration.Round(time.Millisecond))
	if line := s.RenewalsNotExportedLine(); line != "" {
		fmt.Fprintln(w, line+" — see `opencart-xero history --run "+strconv.FormatInt(s.RunID, 10)+"` for each")
	}
	for _, what := range s.NotChecked {
		fmt.Fprintf(w, "Not checked: %s\n", what)
	}
	if s.RunID != 0 {
		fmt.Fprintln(w, "The run "+s.SelectionLine()+".")
	}
}

// jsonPrinter prints one JSON object per record.
type jsonPrinter struct {
	mu  sync.Mutex
	w   io.Writer
	opt mapping.Options // the profile's number prefix, to read contact keys back
}

// recordJSON is one record as `export --json` prints it.
type recordJSON struct {
	Kind          string   `json:"kind"`
	OrderID       int      `json:"order_id,omitempty"`
	CustomerID    int      `json:"customer_id,omitempty"`
	ReturnID      int      `json:"return_id,omitempty"`
	ContactNumber string   `json:"contact_number,omitempty"`
	State         string   `json:"state"`
	Message       string   `json:"message,omitempty"`
	XeroID        string   `json:"xero_id,omitempty"`
	XeroNumber    string   `json:"xero_number,omitempty"`
	Currency      string   `json:"currency,omitempty"`
	OpenCartTotal string   `json:"opencart_total,omitempty"`
	XeroTotal     string   `json:"xero_total,omitempty"`
	TotalsMatch   *bool    `json:"totals_match,omitempty"`
	Document      any      `json:"document,omitempty"`
	Problems      []string `json:"problems"`
}

func (j *jsonPrinter) Report(e export.Event) {
	r := e.Record
	if r == nil || r.Kind == "run" {
		return
	}
	out := recordJSON{Kind: r.Kind, State: r.State, Message: r.Message, XeroID: r.XeroID, XeroNumber: r.XeroNumber,
		Currency: r.Currency, OpenCartTotal: r.OpenCartTotal, XeroTotal: r.XeroTotal, TotalsMatch: r.TotalsMatch,
		Document: r.Document, Problems: r.Problems}
	if out.Problems == nil {
		out.Problems = []string{}
	}
	if r.Kind == history.KindContact {
		var ok bool
		if out.CustomerID, ok = j.opt.CustomerIDOf(r.OpenCartID); !ok {
			out.ContactNumber = r.OpenCartID
		}
	} else {
		k, _ := history.ParseKey(r.OpenCartID)
		out.OrderID, out.ReturnID = k.OrderID, k.ReturnID
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	json.NewEncoder(j.w).Encode(out)
}

// summaryJSON is the last line of `export --json`.
func summaryJSON(s export.Summary, err error) map[string]any {
	m := map[string]any{"summary": map[string]any{"run_id": s.RunID, "exported": s.Exported, "unchanged": s.Unchanged,
		"failed": s.Failed, "skipped": s.Skipped, "withdrawn": s.Withdrawn, "kept_as_exported": s.KeptAsExported, "mismatches": s.Mismatches, "renewals_not_exported": s.RenewalsNotExported, "renewals_not_exported_totals": s.RenewalsNotExportedTotals, "api_calls": s.APICalls,
		"seconds": s.Duration.Seconds(), "cancelled": s.Cancelled}}
	if len(s.NotChecked) > 0 {
		m["summary"].(map[string]any)["not_checked"] = s.NotChecked
	}
	m["summary"].(map[string]any)["read_everything"] = s.FullRead
	if !s.FullRead {
		m["summary"].(map[string]any)["changed_orders"] = s.ChangedOrders
	}
	if err != nil {
		m["error"] = err.Error()
	}
	return m
}

func runConfigPropose(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 {
		return usageErrorf("config propose: unexpected %q", args[0])
	}
	p, err := env.Profile(ctx)
	if err != nil {
		return err
	}
	store, err := OpenStore(ctx, p)
	if err != nil {
		return err
	}
	defer store.Close()
	client, err := NewXeroClient(ctx, p, nil)
	if err != nil {
		return err
	}
	current, err := LoadExportSettings(ctx, p)
	if err != nil {
		return err
	}
	proposed, notes, err := export.Propose(ctx, store, client, current)
	if err != nil {
		return err
	}
	if err := SaveExportSettings(ctx, p, proposed); err != nil {
		return err
	}
	for _, n := range notes {
		fmt.Fprintln(env.Stdout, safetext.Terminal(n))
	}
	if err := proposed.Validate(); err != nil {
		fmt.Fprintf(env.Stdout, "Still to choose:\n%s\n", safetext.TerminalLines(err.Error()))
		return nil
	}
	fmt.Fprintln(env.Stdout, "The export settings are complete.")
	return nil
}
