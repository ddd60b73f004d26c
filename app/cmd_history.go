package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/safetext"
)

func init() {
	register(&Command{
		Name:    "history",
		Usage:   "history [--json] [--failed] [--run N] [--limit N]",
		Summary: "list export runs, or the records of one run, or the failed records",
		Run:     runHistory,
	})
}

// historyRun is a run as printed by `history --json`.
type historyRun struct {
	Type       string `json:"type"` // "run"
	ID         int64  `json:"run_id"`
	StartedAt  string `json:"started_at"`
	FinishedAt string `json:"finished_at,omitempty"`
	Seconds    int64  `json:"duration_seconds"`
	Scope      string `json:"scope"`
	Trigger    string `json:"trigger"`
	DryRun     bool   `json:"dry_run"`
	State      string `json:"state"`
	Exported   int    `json:"exported"`
	Failed     int    `json:"failed"`
	Skipped    int    `json:"skipped"`
	APICalls   int    `json:"api_calls"`
	Error      string `json:"error,omitempty"`
}

// historyRecord is a record as printed by `history --json`.
type historyRecord struct {
	Type          string `json:"type"` // "record"
	Kind          string `json:"kind"`
	OpenCartID    string `json:"opencart_id"`
	XeroID        string `json:"xero_id,omitempty"`
	XeroNumber    string `json:"xero_number,omitempty"`
	Currency      string `json:"currency,omitempty"`
	OpenCartTotal string `json:"opencart_total,omitempty"`
	XeroTotal     string `json:"xero_total,omitempty"`
	TotalsMatch   *bool  `json:"totals_match,omitempty"`
	State         string `json:"state"`
	Error         string `json:"error,omitempty"`
	RunID         int64  `json:"run_id,omitempty"`
	UpdatedAt     string `json:"updated_at"`
}

func runHistory(ctx context.Context, env *Env, args []string) error {
	c := commands["history"]
	fs := newFlags(c)
	asJSON := fs.Bool("json", false, "one JSON object per line")
	failed := fs.Bool("failed", false, "only records that failed (or wait after failing the same way 3 times) or changed after export")
	runID := fs.Int64("run", 0, "the records of this run")
	limit := fs.Int("limit", 50, "at most this many runs")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErrorf("history: unexpected %q", rest[0])
	}
	p, err := env.Profile(ctx)
	if err != nil {
		return err
	}
	if *failed || *runID != 0 {
		f := history.RecordFilter{RunID: *runID}
		if *failed {
			f.States = []string{history.StateFailed, history.StateChanged}
		}
		recs, err := p.History.Records(ctx, f)
		if err != nil {
			return err
		}
		return printRecords(env, recs, *asJSON)
	}
	runs, err := p.History.Runs(ctx, *limit)
	if err != nil {
		return err
	}
	return printRuns(env, runs, *asJSON)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

func printRuns(env *Env, runs []history.Run, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(env.Stdout)
		for _, r := range runs {
			if err := enc.Encode(historyRun{Type: "run", ID: r.ID, StartedAt: stamp(r.StartedAt), FinishedAt: stamp(r.FinishedAt),
				Seconds: int64(r.Duration().Seconds()), Scope: r.Scope, Trigger: r.Trigger, DryRun: r.DryRun, State: r.State,
				Exported: r.Exported, Failed: r.Failed, Skipped: r.Skipped, APICalls: r.APICalls, Error: r.Error}); err != nil {
				return err
			}
		}
		return nil
	}
	if len(runs) == 0 {
		fmt.Fprintln(env.Stdout, "No export has run yet.")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tSTARTED\tTOOK\tWHAT\tSTATE\tEXPORTED\tFAILED\tSKIPPED\tXERO CALLS")
	for _, r := range runs {
		what := r.Scope
		if r.DryRun {
			what += " (dry run)"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\n", r.ID, stamp(r.StartedAt), r.Duration().Round(time.Second),
			safetext.Terminal(what), safetext.Terminal(r.State), r.Exported, r.Failed, r.Skipped, r.APICalls)
	}
	return tw.Flush()
}

func printRecords(env *Env, recs []history.Record, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(env.Stdout)
		for _, r := range recs {
			if err := enc.Encode(historyRecord{Type: "record", Kind: r.Kind, OpenCartID: r.OpenCartID, XeroID: r.XeroID,
				XeroNumber: r.XeroNumber, Currency: r.Currency, OpenCartTotal: r.OpenCartTotal, XeroTotal: r.XeroTotal,
				TotalsMatch: r.TotalsMatch, State: r.State, Error: r.Error, RunID: r.RunID, UpdatedAt: stamp(r.UpdatedAt)}); err != nil {
				return err
			}
		}
		return nil
	}
	if len(recs) == 0 {
		fmt.Fprintln(env.Stdout, "No records.")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tOPENCART\tXERO\tOPENCART TOTAL\tXERO TOTAL\tSTATE\tREASON")
	for _, r := range recs {
		total := func(v string) string {
			if v == "" {
				return ""
			}
			return r.Currency + " " + v
		}
		// Shop and Xero text, one cell each: no control character may
		// reach the terminal, no tab may shift the columns.
		cells := []string{r.Kind, r.OpenCartID, r.XeroNumber, total(r.OpenCartTotal), total(r.XeroTotal), history.ShownState(r), r.Error}
		for i, c := range cells {
			cells[i] = safetext.Terminal(c)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}
