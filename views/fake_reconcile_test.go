package views

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/reconcile"
)

func (f *fakeBackend) UndoRun(_ context.Context, runID int64, dryRun bool) (export.UndoResult, error) {
	if err := f.called("UndoRun", runID, dryRun); err != nil {
		return export.UndoResult{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.undos = append(f.undos, fmt.Sprint(runID, " ", dryRun))
	res := f.undoDone
	if dryRun {
		res = f.undoPlan
	}
	res.RunID, res.DryRun = runID, dryRun
	res.Items = slices.Clone(res.Items)
	return res, nil
}

func (f *fakeBackend) Reconcile(_ context.Context, p reconcile.Period) (*reconcile.Report, error) {
	if err := f.called("Reconcile", p.String()); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.report == nil {
		return nil, fmt.Errorf("no report in the fake")
	}
	rep := *f.report
	rep.Period = p
	rep.Differences = slices.Clone(rep.Differences)
	return &rep, nil
}

// Remedies is the engine's own rule: it is a pure function of the difference.
func (f *fakeBackend) Remedies(d reconcile.Difference) []reconcile.Remedy {
	return reconcile.Remedies(d)
}

func (f *fakeBackend) ApplyRemedy(_ context.Context, d reconcile.Difference, r reconcile.Remedy) error {
	if err := f.called("ApplyRemedy", string(r), d.Number); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.applied = append(f.applied, string(r)+" "+d.Number)
	return nil
}

func (f *fakeBackend) WriteReconcileReport(w io.Writer, rep *reconcile.Report, format ReportFormat) error {
	if err := f.called("WriteReconcileReport", string(format)); err != nil {
		return err
	}
	if format == ReportHTML {
		return reconcile.WriteHTML(w, rep, rep.Period.Since)
	}
	return reconcile.WriteCSV(w, rep)
}
