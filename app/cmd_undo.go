package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/safetext"
)

func init() {
	register(&Command{
		Name:    "undo",
		Usage:   "undo --run N [--dry-run] [--yes]",
		Summary: "take what export run N created back out of Xero, and mark those records not exported",
		Run:     runUndo,
	})
}

// errNotConfirmed is returned when the person does not confirm an undo.
var errNotConfirmed = errors.New("undo: not confirmed; nothing was changed")

func runUndo(ctx context.Context, env *Env, args []string) error {
	c := commands["undo"]
	fs := newFlags(c)
	runID := fs.Int64("run", 0, "the export run to undo (see opencart-xero history)")
	dry := fs.Bool("dry-run", false, "list what undoing would do; read Xero only")
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErrorf("undo: unexpected %q", rest[0])
	}
	if *runID <= 0 {
		return usageErrorf("undo: give the run to undo with --run N (opencart-xero history lists the runs)")
	}
	p, err := env.Profile(ctx)
	if err != nil {
		return err
	}
	eng, err := NewEngine(ctx, p, false, nil)
	if err != nil {
		return err
	}
	defer eng.Close()
	return undoRun(ctx, env, eng.Engine, *runID, *dry, *yes)
}

// undoRun prints the plan of undoing the run (a dry run), then, unless
// only a dry run was asked, confirms and undoes it and prints the outcome.
func undoRun(ctx context.Context, env *Env, eng *export.Engine, runID int64, dry, yes bool) error {
	plan, err := eng.UndoRun(ctx, export.UndoRequest{RunID: runID, DryRun: true, Trigger: "command line"})
	if err != nil {
		return err
	}
	printUndo(env.Stdout, plan)
	if dry || plan.Undone == 0 {
		return nil
	}
	if !yes {
		ok, err := confirmUndo(env, runID, plan.Undone)
		if err != nil {
			return err
		}
		if !ok {
			return errNotConfirmed
		}
	}
	res, err := eng.UndoRun(ctx, export.UndoRequest{RunID: runID, Trigger: "command line"})
	if res.UndoRunID != 0 || len(res.Items) > 0 {
		fmt.Fprintln(env.Stdout)
		printUndo(env.Stdout, res)
	}
	if err != nil {
		return err
	}
	if res.Failed > 0 {
		return fmt.Errorf("undo of run %d: %s could not be undone (see above)", runID, export.Counted(res.Failed, "document", "documents"))
	}
	return nil
}

// askConfirmation reads the person's answer on a terminal; ok is false
// when standard input is not one. Tests replace it.
var askConfirmation = func(in io.Reader, out io.Writer, question string) (answer string, ok bool, err error) {
	f, isFile := in.(*os.File)
	if !isFile || !term.IsTerminal(int(f.Fd())) {
		return "", false, nil
	}
	fmt.Fprint(out, question)
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && line == "" {
		return "", true, err
	}
	return strings.TrimSpace(line), true, nil
}

// confirmUndo asks on a terminal; elsewhere --yes is needed.
func confirmUndo(env *Env, runID int64, n int) (bool, error) {
	answer, asked, err := askConfirmation(env.Stdin, env.Stderr,
		fmt.Sprintf("Undo run %d: change %s in Xero as listed above? Type yes to go on: ", runID, export.Counted(n, "document", "documents")))
	if err != nil {
		return false, fmt.Errorf("undo: reading the answer: %w", err)
	}
	if !asked {
		return false, usageErrorf("undo changes Xero: confirm with --yes (standard input is not a terminal to ask on)")
	}
	return strings.EqualFold(answer, "yes") || strings.EqualFold(answer, "y"), nil
}

// printUndo writes an undo's items and counts.
func printUndo(w io.Writer, res export.UndoResult) {
	switch {
	case res.DryRun:
		fmt.Fprintf(w, "Undoing run %d would do this (nothing is changed yet):\n", res.RunID)
	case res.UndoRunID != 0:
		fmt.Fprintf(w, "Run %d undid run %d:\n", res.UndoRunID, res.RunID)
	}
	if len(res.Items) == 0 {
		fmt.Fprintf(w, "Run %d has nothing in Xero to undo.\n", res.RunID)
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tOPENCART\tNUMBER\tTOTAL\tIN XERO\tACTION\tWHY")
	for _, it := range res.Items {
		action := string(it.Action)
		switch {
		case it.Error != "":
			action = "FAILED: " + action
		case it.Done:
			action = "done: " + action
		}
		why := it.Why
		if it.Error != "" {
			why = it.Error
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", it.Kind, safetext.Terminal(it.OpenCartID), safetext.Terminal(it.Number),
			strings.TrimSpace(it.Currency+" "+it.Total), strings.ToLower(it.XeroStatus), action, safetext.Terminal(why))
	}
	tw.Flush()
	verb := "undone"
	if res.DryRun {
		verb = "to undo"
	}
	fmt.Fprintf(w, "%d %s, %d left alone", res.Undone, verb, res.LeftAlone)
	if res.Failed > 0 {
		fmt.Fprintf(w, ", %d failed", res.Failed)
	}
	fmt.Fprintf(w, "; %s to Xero.\n", export.Counted(res.APICalls, "request", "requests"))
	if !res.DryRun && res.Undone > 0 {
		fmt.Fprintln(w, "The next export sends the undone records again; Xero keeps the numbers of voided and deleted documents, so they come back with a suffix (OC-4001 → OC-4001-2).")
	}
}
