package export

import (
	"context"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
)

// UndoCredits runs undoCredits alone, in a run of its own, for the tests
// of package export_test (an export run calls it once the ledger has
// decided which credit notes no longer belong in Xero).
func UndoCredits(ctx context.Context, cfg Config, recs []history.Record) (Summary, error) {
	e, err := New(cfg)
	if err != nil {
		return Summary{}, err
	}
	id, err := cfg.History.StartRun(ctx, string(ScopeCreditNotes), "test", false)
	if err != nil {
		return Summary{}, err
	}
	r := &run{e: e, req: Request{Scope: ScopeCreditNotes}, ctx: ctx, bg: context.WithoutCancel(ctx), sum: Summary{RunID: id},
		eta: newETA(e.cfg.Now), contactIDs: map[string]string{}, names: mapping.NewContactNames(nil)}
	err = r.undoCredits(recs)
	state := history.RunDone
	if err != nil {
		state = history.RunFailed
	}
	if ferr := cfg.History.FinishRun(ctx, history.Run{ID: id, State: state, Exported: r.sum.Exported, Failed: r.sum.Failed, Skipped: r.sum.Skipped}); err == nil {
		err = ferr
	}
	return r.sum, err
}
