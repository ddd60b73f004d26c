package views

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/safetext"
)

// historyScreen lists export runs and, for the chosen run, its records with
// Xero's message for each failed one.
type historyScreen struct {
	u       *ui
	runs    []history.Run
	rows    []runRow // runs as listed: quiet runs in a row folded into one
	records []history.Record
	runList *widget.Table
	recList *widget.Table
	detail  *widget.Label
	retry   *widget.Button
	chosen  int64
	newest  int64 // the newest run seen
	// undoPlan and undoDone are the last undo's plan and outcome (undo.go);
	// undoDialog asks for its confirmation.
	undoPlan, undoDone export.UndoResult
	undoDialog         dialog.Dialog
}

func newHistoryScreen(u *ui) *historyScreen { return &historyScreen{u: u} }

var runColumns = []column{
	{title: "Run", width: 50},
	{title: "Started", width: 175},
	{title: "What", width: 150},
	{title: "Exported", width: 110},
	{title: "Failed", width: 60},
	{title: "Skipped", width: 70},
	{title: "Took", width: 70},
	{title: "State", width: 90},
}

var recordColumns = []column{
	{title: "Kind", width: 90},
	{title: "OpenCart", width: 120},
	{title: "Xero number", width: 110},
	{title: "OpenCart total", width: 110},
	{title: "Xero total", width: 100},
	{title: "State", width: 80},
	{title: "Xero's message", width: 360},
}

// runCells are a run's cells in runColumns order.
func runCells(r history.Run) []string {
	what := r.Scope + ", " + r.Trigger
	if r.DryRun {
		what += ", trial"
	}
	took := ""
	if !r.FinishedAt.IsZero() {
		took = r.Duration().Round(time.Second).String()
	}
	exported := strconv.Itoa(r.Exported)
	if r.DryRun {
		exported = "(" + exported + " would go)" // a trial sends nothing
	}
	return []string{strconv.FormatInt(r.ID, 10), r.StartedAt.Local().Format("2006-01-02 15:04"), what,
		exported, strconv.Itoa(r.Failed), strconv.Itoa(r.Skipped), took, r.State}
}

// runRow is one row of the runs list: a run, or several runs in a row that
// found nothing to export (Newest to Oldest, newest first).
type runRow struct {
	Newest, Oldest history.Run
	Count          int
}

// quiet reports whether a run found nothing to export: it ended well,
// sent nothing and nothing failed (a scheduled run every few minutes).
func quiet(r history.Run) bool {
	return r.State == history.RunDone && r.Exported == 0 && r.Failed == 0 && !r.DryRun
}

// foldRuns lists runs (newest first) with each stretch of two or more quiet
// runs in a row folded into one row.
func foldRuns(runs []history.Run) []runRow {
	var rows []runRow
	for _, r := range runs {
		if n := len(rows); n > 0 && quiet(r) && quiet(rows[n-1].Oldest) {
			rows[n-1].Oldest = r
			rows[n-1].Count++
			continue
		}
		rows = append(rows, runRow{Newest: r, Oldest: r, Count: 1})
	}
	return rows
}

// rowCells are a row's cells in runColumns order.
func rowCells(r runRow) []string {
	if r.Count == 1 {
		return runCells(r.Newest)
	}
	from, to := r.Oldest.StartedAt.Local(), r.Newest.StartedAt.Local()
	started := from.Format("2006-01-02 15:04") + "–" + to.Format("15:04")
	if from.YearDay() != to.YearDay() || from.Year() != to.Year() {
		started = from.Format("2006-01-02 15:04") + "–" + to.Format("01-02 15:04")
	}
	return []string{fmt.Sprintf("%d–%d", r.Oldest.ID, r.Newest.ID), started, fmt.Sprintf("%d runs, nothing new", r.Count),
		"0", "0", "", "", history.RunDone}
}

// runDetail is what the detail line says of a chosen row before (or
// instead of) its records.
func runDetail(r runRow) string {
	if r.Count > 1 {
		return fmt.Sprintf("Runs %d to %d (%d runs) found nothing new to export.", r.Oldest.ID, r.Newest.ID, r.Count)
	}
	run := r.Newest
	switch {
	case run.State == history.RunFailed && run.Error != "":
		return fmt.Sprintf("Run %d failed: %s", run.ID, run.Error)
	case run.State == history.RunFailed:
		return fmt.Sprintf("Run %d failed before it recorded why.", run.ID)
	case run.State == history.RunCancelled:
		return fmt.Sprintf("Run %d was cancelled.", run.ID)
	}
	return ""
}

// recordCells are a record's cells in recordColumns order.
func recordCells(r history.Record) []string {
	return []string{kindWords(r.Kind), sourceWords(r.Kind, r.OpenCartID), r.XeroNumber, r.OpenCartTotal, r.XeroTotal, history.ShownState(r), r.Error}
}

// newTextTable is a read-only table of text cells with a header row.
func newTextTable(cols []column, rows func() int, cell func(row, col int) string) *widget.Table {
	t := widget.NewTableWithHeaders(
		func() (int, int) { return rows(), len(cols) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) { o.(*widget.Label).SetText(cell(id.Row, id.Col)) })
	t.ShowHeaderColumn = false
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(cols) {
			o.(*widget.Label).SetText(cols[id.Col].title)
		}
	}
	for i, c := range cols {
		t.SetColumnWidth(i, c.width)
	}
	return t
}

func (h *historyScreen) buildUI() fyne.CanvasObject {
	h.runList = newTextTable(runColumns, func() int { return len(h.rows) },
		func(row, col int) string {
			if row >= len(h.rows) {
				return ""
			}
			return rowCells(h.rows[row])[col]
		})
	h.runList.OnSelected = func(id widget.TableCellID) {
		if id.Row < 0 || id.Row >= len(h.rows) {
			return
		}
		r := h.rows[id.Row]
		if r.Count > 1 {
			h.chosen, h.records = 0, nil
			h.recList.Refresh()
			h.detail.SetText(runDetail(r))
			return
		}
		h.chosen = r.Newest.ID
		h.loadRecords()
	}
	h.recList = newTextTable(recordColumns, func() int { return len(h.records) },
		func(row, col int) string { return recordCells(h.records[row])[col] })
	h.recList.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(h.records) {
			r := h.records[id.Row]
			t := fmt.Sprintf("%s of %s → Xero %s: %s", capital(kindWords(r.Kind)), sourceWords(r.Kind, r.OpenCartID), orNone(r.XeroNumber), history.ShownState(r))
			if r.Error != "" {
				t += " — " + r.Error
			}
			h.detail.SetText(t)
		}
	}
	h.detail = note("Choose a run to see what became of each record.")
	refresh := widget.NewButtonWithIcon("Refresh", theme.ViewRefreshIcon(), h.refresh)
	h.retry = widget.NewButtonWithIcon("Retry failed", theme.MediaReplayIcon(), h.retryFailed)
	csvBtn := widget.NewButtonWithIcon("Export audit trail (CSV)…", theme.DocumentSaveIcon(), h.saveCSV)
	undo := widget.NewButtonWithIcon("Undo this run…", theme.ContentUndoIcon(), h.undoChosen) // undo.go
	top := container.NewBorder(nil, nil, heading("Export runs"), container.NewHBox(refresh, h.retry, undo, csvBtn))
	split := container.NewVSplit(h.runList, container.NewBorder(heading("Records of the chosen run"), nil, nil, nil, h.recList))
	split.Offset = 0.4
	h.u.progress.whenDone(h.refresh)
	return container.NewBorder(top, h.detail, nil, nil, split)
}

// refresh reads the runs again.
func (h *historyScreen) refresh() {
	if h.runList == nil {
		return
	}
	background(h.u, func(ctx context.Context) ([]history.Run, error) {
		return h.u.be.Runs(ctx, 200)
	}, func(runs []history.Run, err error) {
		if err != nil {
			h.u.showError("History", err)
			return
		}
		h.runs, h.rows = runs, foldRuns(runs)
		h.runList.Refresh()
		// A new run is shown at once; otherwise the chosen run stays.
		if len(runs) > 0 && runs[0].ID > h.newest {
			h.chosen, h.newest = runs[0].ID, runs[0].ID
		}
		h.loadRecords()
	})
}

func (h *historyScreen) loadRecords() {
	if h.chosen == 0 {
		return
	}
	id := h.chosen
	background(h.u, func(ctx context.Context) ([]history.Record, error) {
		return h.u.be.RunRecords(ctx, id)
	}, func(recs []history.Record, err error) {
		if err != nil {
			h.u.showError("History", err)
			return
		}
		if h.chosen != id {
			return // another row was chosen meanwhile: its own load shows it
		}
		h.records = recs
		h.recList.Refresh()
		failed := 0
		for _, r := range recs {
			if r.State == history.StateFailed {
				failed++
			}
		}
		text := fmt.Sprintf("Run %d: %d records, %d failed.", id, len(recs), failed)
		for _, r := range h.rows {
			if r.Count == 1 && r.Newest.ID == id {
				if d := runDetail(r); d != "" {
					text = d + " · " + text
				}
			}
		}
		h.detail.SetText(text)
	})
}

// retryFailed sends again every record whose last attempt failed.
func (h *historyScreen) retryFailed() {
	if !h.u.progress.start(export.Request{Scope: export.ScopeAll, OnlyFailed: true, Trigger: "manual"}) {
		h.u.showError("Retry", fmt.Errorf("an export is already running; wait for it or cancel it"))
	}
}

// saveCSV asks where to save the audit trail and writes it there.
func (h *historyScreen) saveCSV() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			h.u.showError("Audit trail", err)
			return
		}
		background(h.u, func(ctx context.Context) (int, error) {
			defer w.Close()
			entries, err := h.u.be.AuditTrail(ctx)
			if err != nil {
				return 0, err
			}
			return len(entries), WriteAuditCSV(w, entries)
		}, func(n int, err error) {
			if err != nil {
				h.u.showError("Audit trail", err)
				return
			}
			h.detail.SetText(fmt.Sprintf("%d audit entries saved to %s.", n, w.URI().Path()))
		})
	}, h.u.win)
	d.SetFileName("opencart-xero-audit-" + time.Now().Format("2006-01-02") + ".csv")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	d.Show()
}

// WriteAuditCSV writes the audit trail as CSV with a header row: one line
// per outcome of every record, times in the computer's time zone (RFC 3339
// with the offset), the kind in words, the document's date, both totals
// with their currency. A
// cell that a spreadsheet would take for a formula starts with an
// apostrophe.
func WriteAuditCSV(w io.Writer, entries []AuditEntry) error {
	cw := csv.NewWriter(w)
	header := []string{"time", "run", "kind", "opencart_id", "document_number", "document_date", "xero_id", "state", "currency",
		"opencart_total", "xero_total", "contact", "message"}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("audit CSV: %w", err)
	}
	for _, e := range entries {
		run := ""
		if e.RunID != 0 {
			run = strconv.FormatInt(e.RunID, 10)
		}
		row := []string{e.At.Local().Format(time.RFC3339), run, kindWords(e.Kind), e.OpenCartID, e.XeroNumber, e.DocumentDate, e.XeroID, e.State,
			e.Currency, e.OpenCartTotal, e.XeroTotal, e.Contact, e.Message}
		for i, c := range row {
			row[i] = safetext.CSVCell(c) // a spreadsheet shows shop and Xero text, never runs it
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("audit CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("audit CSV: %w", err)
	}
	return nil
}
