package views

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/history"
)

func TestFoldRuns(t *testing.T) {
	at := time.Date(2026, 12, 5, 9, 0, 0, 0, time.Local)
	run := func(id int64, state string, exported, failed int) history.Run {
		return history.Run{ID: id, StartedAt: at.Add(time.Duration(id) * time.Minute), State: state, Exported: exported, Failed: failed}
	}
	tests := []struct {
		name string
		runs []history.Run
		want string // each row as Newest-Oldest×Count
	}{
		{"none", nil, "[]"},
		{"one quiet run stays a run", []history.Run{run(1, history.RunDone, 0, 0)}, "[1-1×1]"},
		{"quiet runs in a row fold", []history.Run{run(4, history.RunDone, 0, 0), run(3, history.RunDone, 0, 0), run(2, history.RunDone, 0, 0)}, "[4-2×3]"},
		{"a run that exported splits the stretch", []history.Run{run(5, history.RunDone, 0, 0), run(4, history.RunDone, 0, 0),
			run(3, history.RunDone, 2, 0), run(2, history.RunDone, 0, 0), run(1, history.RunDone, 0, 0)}, "[5-4×2 3-3×1 2-1×2]"},
		{"failed and cancelled runs are never folded", []history.Run{run(4, history.RunFailed, 0, 0), run(3, history.RunCancelled, 0, 0),
			run(2, history.RunDone, 0, 1), run(1, history.RunDone, 0, 0)}, "[4-4×1 3-3×1 2-2×1 1-1×1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, r := range foldRuns(tt.runs) {
				got = append(got, fmt.Sprintf("%d-%d×%d", r.Newest.ID, r.Oldest.ID, r.Count))
			}
			if fmt.Sprint(got) != tt.want && !(len(got) == 0 && tt.want == "[]") {
				t.Errorf("foldRuns = %v, want %s", got, tt.want)
			}
		})
	}
}

func TestRunDetail(t *testing.T) {
	tests := []struct {
		name string
		row  runRow
		want string
	}{
		{"folded", runRow{Newest: history.Run{ID: 9}, Oldest: history.Run{ID: 3}, Count: 7}, "Runs 3 to 9 (7 runs) found nothing new to export."},
		{"failed with its reason", runRow{Newest: history.Run{ID: 4, State: history.RunFailed, Error: "the shop database refused the connection"}, Count: 1},
			"Run 4 failed: the shop database refused the connection"},
		{"failed without a reason", runRow{Newest: history.Run{ID: 4, State: history.RunFailed}, Count: 1}, "Run 4 failed before it recorded why."},
		{"cancelled", runRow{Newest: history.Run{ID: 5, State: history.RunCancelled}, Count: 1}, "Run 5 was cancelled."},
		{"done", runRow{Newest: history.Run{ID: 6, State: history.RunDone}, Count: 1}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := runDetail(tt.row); got != tt.want {
				t.Errorf("runDetail = %q, want %q", got, tt.want)
			}
		})
	}
}

// The History tab folds a stretch of scheduled runs that found nothing into
// one row, and a failed run says why when chosen.
func TestHistoryFoldsQuietRunsAndShowsWhyARunFailed(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	day := time.Date(2026, 12, 5, 9, 0, 0, 0, time.Local)
	be.runs = []history.Run{
		{ID: 6, StartedAt: day.Add(5 * time.Minute), Scope: "all", Trigger: "scheduled", State: history.RunDone},
		{ID: 5, StartedAt: day.Add(4 * time.Minute), Scope: "all", Trigger: "scheduled", State: history.RunDone},
		{ID: 4, StartedAt: day.Add(3 * time.Minute), Scope: "all", Trigger: "scheduled", State: history.RunDone},
		{ID: 3, StartedAt: day.Add(2 * time.Minute), Scope: "all", Trigger: "scheduled", State: history.RunFailed,
			Error: "Xero refused the sign-in: sign in to Xero again"},
		{ID: 2, StartedAt: day.Add(time.Minute), Scope: "all", Trigger: "manual", State: history.RunDone, Exported: 2},
	}
	w := openWindow(t, be, TabHistory)
	h := w.u.history
	w.waitFor("three rows", func() bool { return len(h.rows) == 3 })
	Sync(func() {
		if got := rowCells(h.rows[0]); got[0] != "4–6" || got[2] != "3 runs, nothing new" {
			t.Errorf("first row = %q, want runs 4–6 folded", got)
		}
		h.runList.Select(widget.TableCellID{Row: 0, Col: 0})
	})
	w.waitFor("the folded row's detail", func() bool {
		return h.detail.Text == "Runs 4 to 6 (3 runs) found nothing new to export." && len(h.records) == 0
	})
	Sync(func() { h.runList.Select(widget.TableCellID{Row: 1, Col: 0}) })
	w.waitFor("the failed run's reason", func() bool {
		return h.detail.Text == "Run 3 failed: Xero refused the sign-in: sign in to Xero again · Run 3: 0 records, 0 failed."
	})
}

// A trial run (the confirmation's count, a dry run) sent nothing: its row
// says what would have gone, not that it was exported.
func TestRunCellsOfATrialRun(t *testing.T) {
	at := time.Date(2026, 12, 5, 9, 0, 0, 0, time.Local)
	trial := runCells(history.Run{ID: 1, StartedAt: at, Scope: "all", Trigger: "manual", DryRun: true, Exported: 70, State: history.RunDone})
	real := runCells(history.Run{ID: 2, StartedAt: at, Scope: "all", Trigger: "manual", Exported: 70, State: history.RunDone})
	if trial[3] != "(70 would go)" || trial[2] != "all, manual, trial" {
		t.Errorf("trial run cells %q", trial)
	}
	if real[3] != "70" {
		t.Errorf("real run's exported cell %q, want 70", real[3])
	}
}

// A record's kind is said in words in History.
func TestRecordCellsSayTheKindInWords(t *testing.T) {
	got := recordCells(history.Record{Kind: history.KindCreditNote, OpenCartID: "order-7", XeroNumber: "OC-CN-7", State: history.StateExported})
	if got[0] != "credit note" {
		t.Errorf("kind cell %q, want credit note", got[0])
	}
}
