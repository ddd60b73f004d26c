package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/reconcile"
	"github.com/opencart-xero/opencart-xero/views"
)

// UndoRun undoes (or, dryRun, lists the undo of) an export run with the
// profile's engine, under its export lock.
func (b *backend) UndoRun(ctx context.Context, runID int64, dryRun bool) (export.UndoResult, error) {
	e, err := b.engine(ctx, nil, false) // even a dry run reads Xero
	if err != nil {
		return export.UndoResult{RunID: runID, DryRun: dryRun}, err
	}
	return e.UndoRun(ctx, export.UndoRequest{RunID: runID, DryRun: dryRun, Trigger: "manual"})
}

// Reconcile compares the period's orders with what Xero holds, keeping the
// read-back in the profile folder like the command line.
func (b *backend) Reconcile(ctx context.Context, p reconcile.Period) (*reconcile.Report, error) {
	r, err := b.store(ctx)
	if err != nil {
		return nil, err
	}
	set, err := b.ExportSettings(ctx)
	if err != nil {
		return nil, err
	}
	cl, err := b.xeroClient(ctx)
	if err != nil {
		return nil, err
	}
	if cl.Tenant() == "" {
		return nil, errors.New("no Xero organisation is chosen: connect in Settings first")
	}
	return reconcile.Run(ctx, reconcile.Config{Store: r, Xero: cl, History: b.hist, Settings: set,
		CachePath: filepath.Join(b.p.Dir, reconcileCacheFile)}, p)
}

func (b *backend) Remedies(d reconcile.Difference) []reconcile.Remedy { return reconcile.Remedies(d) }

// ApplyRemedy applies a remedy the person confirmed.
func (b *backend) ApplyRemedy(ctx context.Context, d reconcile.Difference, r reconcile.Remedy) error {
	switch r {
	case reconcile.Resend:
		return reconcile.ApplyResend(ctx, b.hist, d)
	case reconcile.AcceptXero:
		return reconcile.ApplyAccept(ctx, b.hist, d)
	case reconcile.OpenInXero:
		link := b.XeroLink(d.Kind, d.XeroID)
		if link == "" {
			return fmt.Errorf("%s %s has no page in Xero's web app to open (with a sandbox there is none)", d.Kind, d.Number)
		}
		return b.open(link)
	}
	return fmt.Errorf("unknown remedy %q", r)
}

// WriteReconcileReport writes the report as CSV or as a printable page.
func (b *backend) WriteReconcileReport(w io.Writer, rep *reconcile.Report, format views.ReportFormat) error {
	if rep == nil {
		return errors.New("reconcile a period first")
	}
	if format == views.ReportHTML {
		return reconcile.WriteHTML(w, rep, time.Now())
	}
	return reconcile.WriteCSV(w, rep)
}
