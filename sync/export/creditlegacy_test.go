package export_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// asOlderVersion closes the history, runs these statements on its file
// (rows as an older version of the app wrote them) and opens it again.
func (e *env) asOlderVersion(statements ...string) {
	e.t.Helper()
	ctx := context.Background()
	if err := e.hist.Close(); err != nil {
		e.t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+e.histPath)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, q := range statements {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			e.t.Fatalf("%s: %v", q, err)
		}
	}
	if err := raw.Close(); err != nil {
		e.t.Fatal(err)
	}
	if e.hist, err = history.Open(ctx, e.histPath); err != nil {
		e.t.Fatal(err)
	}
}

// TestRefundCreditNotesFromBeforeEpisodes: a refund's credit note sent by
// an older version, whose record keeps no episode (history rows as those
// versions wrote them: no source_hash; before migration 4 no credit_notes
// row either; an episode without its refund statuses, as the first
// version with episodes wrote it). Runs after the upgrade neither send it
// again nor send a second one — not on their own, not after a change of
// the refund statuses, not once the bookkeeper approved the draft. The
// first run gives it the refund it stands for now, so that a refund given
// again later, even with no run between (Refunded → Complete → Refunded),
// is a new refund of unknown amount: the approved note is withdrawn and a
// draft waits (it stayed as the new refund's credit before).
func TestRefundCreditNotesFromBeforeEpisodes(t *testing.T) {
	const key = "'order-4003'"
	for _, c := range []struct {
		name string
		// full: refund statuses are full refunds (versions before the
		// history kept lines sent no drafts of unknown amount).
		full  bool
		older []string
	}{
		{"no episode", false, []string{`UPDATE records SET source_hash = '' WHERE kind = 'credit_note' AND opencart_id = ` + key}},
		{"no episode, lines not kept", true, []string{`UPDATE records SET source_hash = '' WHERE kind = 'credit_note' AND opencart_id = ` + key,
			`DELETE FROM credit_notes WHERE opencart_id = ` + key}},
		{"an episode without its refund statuses", false, []string{`UPDATE records SET source_hash = substr(source_hash, 1, instr(source_hash, ';') - 1) WHERE kind = 'credit_note' AND opencart_id = ` + key}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			r := newRefundShop(t, c.full)
			r.cupOrder(4003)
			r.exportAll()
			r.shop.SetOrderStatus(4003, 11, day(2), "")
			r.exportAll()
			credited, draft := "0", "30" // the refund's credit note, in Xero
			if c.full {
				credited, draft = "30", "0"
			}
			r.wantBooks("the refund", credited, draft, credited, "0")
			r.asOlderVersion(c.older...)
			if rec, err := r.hist.RecordFor(ctx, history.KindCreditNote, "order-4003"); err != nil || strings.Contains(rec.SourceHash, "statuses") {
				t.Fatalf("the record as an older version wrote it: %+v, %v", rec, err)
			}

			r.wantNoWrites("the first run after the upgrade")
			r.wantNoWrites("the second run after the upgrade")
			refundStatuses(&r.s, 11, 12) // Chargeback no longer counts as a refund
			r.wantNoWrites("a change of the refund statuses")
			b := r.wantBooks("after the upgrade", credited, draft, credited, "0")
			if len(b.live) != 1 || len(b.voided)+len(b.deleted) != 0 {
				t.Fatalf("after the upgrade: credit notes %s, voided %s, deleted %s; want the one", notes(b.live), notes(b.voided), notes(b.deleted))
			}

			if !c.full {
				// The bookkeeper checks the amount and approves the draft:
				// the export pays it back.
				res, err := r.client.UpdateCreditNotes(ctx, []xero.CreditNote{{CreditNoteID: b.live[0].CreditNoteID, Status: xero.StatusAuthorised}}, "")
				if err != nil || len(res) != 1 || res[0].Err != nil {
					t.Fatalf("approving the draft in the sandbox: %v %+v", err, res)
				}
				if sum := r.exportAll(); sum.Failed != 0 {
					r.logFailures()
					t.Fatalf("after the approval: %+v", sum)
				}
				r.wantBooks("after the approval", "30", "0", "30", "0")
			}

			// The refund is undone and given again with no run between.
			r.shop.SetOrderStatus(4003, 5, day(3), "")
			r.shop.SetOrderStatus(4003, 11, day(4), "")
			for i := 0; i < 2; i++ { // the spec allows the next run to finish what withdrawing leaves
				if sum := r.exportAll(); sum.Failed != 0 {
					r.logFailures()
					t.Fatalf("the refund given again, run %d: %+v", i+1, sum)
				}
			}
			b = r.wantBooks("the refund given again", credited, draft, credited, "0")
			if len(b.live) != 1 || len(b.voided)+len(b.deleted) != 1 {
				t.Errorf("the refund given again: credit notes %s, voided %s, deleted %s; want the first withdrawn and one for the refund now", notes(b.live), notes(b.voided), notes(b.deleted))
			}
			r.wantSettled("the refund given again")
			r.wantNoWrites("the run after")
		})
	}
}
