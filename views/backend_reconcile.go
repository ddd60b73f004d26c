package views

import (
	"context"
	"io"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/reconcile"
)

// Reconciler is what the Reconcile tab and the undo of a run in History ask
// of the engine. Which remedy fits which difference is the engine's rule
// (reconcile.Remedies), not the screen's.
type Reconciler interface {
	// UndoRun lists (dryRun: Xero is only read) or does the undo of an
	// export run.
	UndoRun(ctx context.Context, runID int64, dryRun bool) (export.UndoResult, error)
	// Reconcile compares a period's orders with what Xero holds (reads only).
	Reconcile(ctx context.Context, p reconcile.Period) (*reconcile.Report, error)
	// Remedies lists what can be done about a difference.
	Remedies(d reconcile.Difference) []reconcile.Remedy
	// ApplyRemedy applies a remedy the person confirmed.
	ApplyRemedy(ctx context.Context, d reconcile.Difference, r reconcile.Remedy) error
	// WriteReconcileReport writes the report as CSV or as a printable HTML page.
	WriteReconcileReport(w io.Writer, rep *reconcile.Report, format ReportFormat) error
}

// ReportFormat is a file format of the reconciliation report.
type ReportFormat string

// The report formats.
const (
	ReportCSV  ReportFormat = "csv"
	ReportHTML ReportFormat = "html"
)
