package export

import (
	"context"
	"fmt"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
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

// DocumentContact is documentContact in a run of its own, for the tests of
// package export_test: the ContactID the order's credit notes go to.
func DocumentContact(ctx context.Context, cfg Config, orderID int) (string, error) {
	e, err := New(cfg)
	if err != nil {
		return "", err
	}
	r := &run{e: e, req: Request{Scope: ScopeCreditNotes, DryRun: true}, ctx: ctx, bg: ctx, eta: newETA(e.cfg.Now),
		contactIDs: map[string]string{}, names: mapping.NewContactNames(nil)}
	orders, err := cfg.Store.OrderList(ctx, opencart.OrderFilter{IDs: []int{orderID}}, opencart.ListOptions{Limit: 1})
	if err != nil || len(orders) != 1 {
		return "", fmt.Errorf("order %d: %d found, %v", orderID, len(orders), err)
	}
	return r.documentContact(orders[0])
}
