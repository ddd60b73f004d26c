package views

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/export"
)

// undoChosen asks the engine what undoing the chosen run would do (a dry
// run: Xero is only read), shows that plan, and undoes the run only once
// the person confirms.
func (h *historyScreen) undoChosen() {
	id := h.chosen
	if id == 0 {
		h.u.showError("Undo", fmt.Errorf("choose a run first"))
		return
	}
	before := h.detail.Text
	h.detail.SetText(fmt.Sprintf("Reading from Xero what undoing run %d would do…", id))
	background(h.u, func(ctx context.Context) (export.UndoResult, error) {
		return h.u.be.UndoRun(ctx, id, true)
	}, func(plan export.UndoResult, err error) {
		h.detail.SetText(before) // read: the question or the error says the rest
		if err != nil {
			h.u.showError("Undo", err)
			return
		}
		h.undoPlan = plan
		h.showUndoPlan(plan)
	})
}

// undoLine is one item of an undo in words.
func undoLine(it export.UndoItem) string {
	name := kindWords(it.Kind)
	if it.Number != "" {
		name += " " + it.Number
	}
	name += " (" + sourceWords(it.Kind, it.OpenCartID)
	if it.Total != "" {
		name += ", " + strings.TrimSpace(it.Currency+" "+it.Total)
	}
	if it.XeroStatus != "" {
		name += ", " + xeroStatusWords(it.XeroStatus) + " in Xero"
	}
	name += ")"
	switch {
	case it.Error != "":
		return name + ": not undone — " + it.Error
	case it.Done:
		return name + ": " + string(it.Action) + " — done"
	case it.Why != "":
		return name + ": " + string(it.Action) + " — " + it.Why
	}
	return name + ": " + string(it.Action)
}

// undoList is a virtual list of an undo's items (a run may hold
// thousands of documents).
func undoList(items []export.UndoItem) *widget.List {
	return widget.NewList(func() int { return len(items) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(undoLine(items[i])) })
}

// showUndoPlan shows what undoing would do and asks for confirmation.
func (h *historyScreen) showUndoPlan(plan export.UndoResult) {
	summary := fmt.Sprintf("Undoing run %d changes %s in Xero and leaves %d alone, as listed. "+
		"Undone records are marked not exported: the next export sends them again, with a suffix on their number (OC-4001 → OC-4001-2), "+
		"because Xero keeps the numbers of voided and deleted documents.", plan.RunID, documents(plan.Undone), plan.LeftAlone)
	if plan.Undone == 0 {
		summary = fmt.Sprintf("Run %d has nothing that can be undone in Xero now.", plan.RunID)
	}
	content := container.NewBorder(note(summary), nil, nil, nil, undoList(plan.Items))
	if plan.Undone == 0 {
		d := dialog.NewCustom(fmt.Sprintf("Undo run %d", plan.RunID), "Close", content, h.u.win)
		d.Resize(fyne.NewSize(760, 420))
		d.Show()
		h.detail.SetText(summary)
		return
	}
	d := dialog.NewCustomConfirm(fmt.Sprintf("Undo run %d?", plan.RunID), fmt.Sprintf("Undo run %d", plan.RunID), "Cancel", content, func(ok bool) {
		if ok {
			h.undoConfirmed(plan.RunID)
		} else {
			h.detail.SetText(fmt.Sprintf("Run %d was not undone.", plan.RunID))
		}
	}, h.u.win)
	d.Resize(fyne.NewSize(760, 420))
	d.Show()
	h.undoDialog = d
}

// undoConfirmed undoes the run and shows what became of each document.
func (h *historyScreen) undoConfirmed(id int64) {
	h.detail.SetText(fmt.Sprintf("Undoing run %d…", id))
	background(h.u, func(ctx context.Context) (export.UndoResult, error) {
		return h.u.be.UndoRun(ctx, id, false)
	}, func(res export.UndoResult, err error) {
		h.undoDone = res
		if err != nil {
			h.detail.SetText(fmt.Sprintf("Undo of run %d stopped: %s", id, plainError(err)))
			h.u.showError("Undo", err)
			h.refresh()
			return
		}
		text := fmt.Sprintf("Run %d undid run %d: %s undone, %d left alone", res.UndoRunID, id, documents(res.Undone), res.LeftAlone)
		if res.Failed > 0 {
			text += fmt.Sprintf(", %d could not be undone", res.Failed)
		}
		h.detail.SetText(text + ". The next export sends the undone records again.")
		d := dialog.NewCustom(fmt.Sprintf("Run %d undone", id), "Close", container.NewBorder(note(text+"."), nil, nil, nil, undoList(res.Items)), h.u.win)
		d.Resize(fyne.NewSize(760, 420))
		d.Show()
		h.refresh()
	})
}

// documents counts documents in words: "1 document", "82 documents".
func documents(n int) string { return counted(n, "document", "documents") }

// counted says a number with its noun in the right form: "1 problem",
// "3 problems", "100,000 differences".
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return formatCount(n) + " " + many
}
