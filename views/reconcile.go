package views

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/reconcile"
)

// reconcileScreen is the Reconcile tab: a month is compared through the
// backend, the totals per currency and the differences are shown, and
// each difference offers the remedies the engine allows, applied only
// once the person confirms. The differences are a virtual table, so a
// month of 100,000 orders stays usable.
type reconcileScreen struct {
	u       *ui
	months  []string
	month   *widget.SelectEntry // a month of the list, or one typed YYYY-MM
	runBtn  *widget.Button
	status  *widget.Label
	rep     *reconcile.Report
	totals  [][]string
	totTab  *widget.Table
	diffTab *widget.Table
	chosen  int // the chosen difference, -1 for none
	detail  *widget.Label
	resend  *widget.Button
	open    *widget.Button
	accept  *widget.Button
	csvBtn  *widget.Button
	htmlBtn *widget.Button
	// now is the clock the month list starts from.
	now func() time.Time
}

func newReconcileScreen(u *ui) *reconcileScreen {
	return &reconcileScreen{u: u, chosen: -1, now: time.Now}
}

var totalColumns = []column{
	{title: "Currency", width: 80},
	{title: "Figure", width: 160},
	{title: "OpenCart", width: 110},
	{title: "Xero", width: 110},
	{title: "Difference", width: 110},
}

var differenceColumns = []column{
	{title: "Kind", width: 90},
	{title: "Number", width: 110},
	{title: "Problem", width: 200},
	{title: "OpenCart total", width: 110},
	{title: "Xero total", width: 100},
	{title: "Currency", width: 70},
	{title: "Detail", width: 420},
}

// differenceCells are a difference's cells in differenceColumns order.
func differenceCells(d reconcile.Difference) []string {
	return []string{kindWords(d.Kind), differenceName(d), problemWords(d.Problem), d.OpenCartTotal, d.XeroTotal, d.Currency, d.Detail}
}

// differenceName is the document's number, or the OpenCart record it
// stands for when it has none in Xero ("order 1021").
func differenceName(d reconcile.Difference) string {
	if d.Number == "" && d.OpenCartID != "" {
		return sourceWords(d.Kind, d.OpenCartID)
	}
	return d.Number
}

// totalRows are the report's totals as table rows, a currency's figures
// together.
func totalRows(rep *reconcile.Report) [][]string {
	var out [][]string
	for _, t := range rep.Totals {
		add := func(name string, f reconcile.Figure) {
			diff := f.Difference()
			d := diff.StringFixed(2)
			if diff.IsPositive() {
				d = "+" + d
			}
			out = append(out, []string{t.Currency, name, f.OpenCart.StringFixed(2), f.Xero.StringFixed(2), d})
		}
		add("Sales", t.Sales)
		codes := make([]string, 0, len(t.VAT))
		for c := range t.VAT {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		for _, c := range codes {
			add(rep.VATLabel(c), t.VAT[c])
		}
		add("Shipping", t.Shipping)
		add("Discounts", t.Discounts)
		add("Refunds", t.Refunds)
		add("Payments", t.Payments)
	}
	return out
}

// monthChoices are the last two years' months, newest first, as YYYY-MM.
func monthChoices(now time.Time) []string {
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	out := make([]string, 24)
	for i := range out {
		out[i] = first.AddDate(0, -i, 0).Format("2006-01")
	}
	return out
}

func (s *reconcileScreen) buildUI() fyne.CanvasObject {
	s.months = monthChoices(s.now())
	s.month = widget.NewSelectEntry(s.months)
	s.month.SetText(s.months[1]) // last month: the usual month-end
	s.month.SetPlaceHolder("YYYY-MM")
	s.runBtn = widget.NewButtonWithIcon("Reconcile", theme.SearchIcon(), s.run)
	s.status = note("Choose a month and press Reconcile: the month's orders are compared with what Xero holds now. Nothing is sent.")
	s.totTab = newTextTable(totalColumns, func() int { return len(s.totals) }, func(row, col int) string { return s.totals[row][col] })
	s.diffTab = newTextTable(differenceColumns, func() int { return s.count() }, func(row, col int) string {
		return differenceCells(s.rep.Differences[row])[col]
	})
	s.diffTab.OnSelected = func(id widget.TableCellID) { s.choose(id.Row) }
	s.detail = note("")
	s.resend = widget.NewButtonWithIcon("Re-send…", theme.MailSendIcon(), func() { s.confirm(reconcile.Resend) })
	s.open = widget.NewButtonWithIcon("Open in Xero", theme.ComputerIcon(), s.openInXero)
	s.accept = widget.NewButtonWithIcon("Accept Xero's version…", theme.ConfirmIcon(), func() { s.confirm(reconcile.AcceptXero) })
	s.csvBtn = widget.NewButtonWithIcon("Export CSV…", theme.DocumentSaveIcon(), func() { s.save(ReportCSV) })
	s.htmlBtn = widget.NewButtonWithIcon("Printable report…", theme.DocumentPrintIcon(), func() { s.save(ReportHTML) })
	s.enableRemedies()
	s.csvBtn.Disable()
	s.htmlBtn.Disable()

	top := container.NewVBox(
		container.NewBorder(nil, nil, container.NewHBox(widget.NewLabel("Month"), container.NewGridWrap(fyne.NewSize(130, s.month.MinSize().Height), s.month), s.runBtn), container.NewHBox(s.csvBtn, s.htmlBtn)),
		s.status)
	totals := container.NewBorder(heading("Totals per currency"), nil, nil, nil, s.totTab)
	remedies := container.NewBorder(nil, nil, nil, container.NewHBox(s.resend, s.open, s.accept), s.detail)
	diffs := container.NewBorder(heading("Differences"), remedies, nil, nil, s.diffTab)
	split := container.NewVSplit(totals, diffs)
	split.Offset = 0.35
	return container.NewBorder(top, nil, nil, nil, split)
}

func (s *reconcileScreen) count() int {
	if s.rep == nil {
		return 0
	}
	return len(s.rep.Differences)
}

// run reconciles the chosen month through the backend.
func (s *reconcileScreen) run() {
	p, err := reconcile.ParseMonth(strings.TrimSpace(s.month.Text))
	if err != nil {
		s.u.showError("Reconcile", err)
		return
	}
	s.runBtn.Disable()
	s.status.SetText(fmt.Sprintf("Reading %s from OpenCart and Xero…", p))
	background(s.u, func(ctx context.Context) (*reconcile.Report, error) {
		return s.u.be.Reconcile(ctx, p)
	}, func(rep *reconcile.Report, err error) {
		s.runBtn.Enable()
		if err != nil {
			s.status.SetText("The month could not be reconciled: " + plainError(err))
			s.u.showError("Reconcile", err)
			return
		}
		s.show(rep)
	})
}

// show puts a report on the screen.
func (s *reconcileScreen) show(rep *reconcile.Report) {
	s.rep, s.chosen = rep, -1
	s.totals = totalRows(rep)
	s.diffTab.UnselectAll()
	s.totTab.Refresh()
	s.diffTab.Refresh()
	s.detail.SetText("")
	s.enableRemedies()
	s.csvBtn.Enable()
	s.htmlBtn.Enable()
	s.status.SetText(s.summary())
}

// summary is the report's headline.
func (s *reconcileScreen) summary() string {
	rep := s.rep
	head := fmt.Sprintf("%s (days in the shop's time zone, %s): %d orders, %d invoices and %d credit notes in Xero, %d requests to Xero.",
		rep.Period, rep.TimeZone, rep.Orders, rep.Invoices, rep.CreditNotes, rep.Calls)
	switch {
	case rep.Clean():
		return head + " OpenCart, the history and Xero agree."
	case len(rep.Differences) == 0:
		return head + " No document differs, but the totals do."
	}
	var counts []string
	for _, p := range reconcile.Problems {
		if n := rep.Count(p); n > 0 {
			counts = append(counts, fmt.Sprintf("%d %s", n, strings.ReplaceAll(string(p), "_", " ")))
		}
	}
	text := fmt.Sprintf("%s %s: %s.", head, counted(len(rep.Differences), "difference", "differences"), strings.Join(counts, ", "))
	if rep.Accepted > 0 {
		text += fmt.Sprintf(" %d accepted earlier not shown.", rep.Accepted)
	}
	return text
}

// choose shows a difference and the remedies the engine offers for it.
func (s *reconcileScreen) choose(row int) {
	if row < 0 || row >= s.count() {
		s.chosen = -1
	} else {
		s.chosen = row
		d := s.rep.Differences[row]
		s.detail.SetText(fmt.Sprintf("%s %s — %s: %s", capital(kindWords(d.Kind)), d.Number, problemWords(d.Problem), d.Detail))
	}
	s.enableRemedies()
}

// remedies are those of the chosen difference.
func (s *reconcileScreen) remedies() []reconcile.Remedy {
	if s.chosen < 0 || s.chosen >= s.count() {
		return nil
	}
	return s.u.be.Remedies(s.rep.Differences[s.chosen])
}

func (s *reconcileScreen) enableRemedies() {
	have := s.remedies()
	for _, b := range []struct {
		btn *widget.Button
		r   reconcile.Remedy
	}{{s.resend, reconcile.Resend}, {s.open, reconcile.OpenInXero}, {s.accept, reconcile.AcceptXero}} {
		if slices.Contains(have, b.r) {
			b.btn.Enable()
		} else {
			b.btn.Disable()
		}
	}
}

// confirm asks before a remedy that changes the history.
func (s *reconcileScreen) confirm(r reconcile.Remedy) {
	if !slices.Contains(s.remedies(), r) {
		return
	}
	d := s.rep.Differences[s.chosen]
	title, text := "Re-send "+d.Number+"?", ""
	switch {
	case r == reconcile.Resend && d.Problem == reconcile.TotalDiffers:
		text = fmt.Sprintf("The next export updates %s in Xero with OpenCart's version (%s %s instead of Xero's %s), where Xero allows it.", d.Number, d.Currency, d.OpenCartTotal, d.XeroTotal)
	case r == reconcile.Resend:
		text = fmt.Sprintf("%s %s is marked not exported: the next export sends it again, under a new number (Xero keeps %s).", capital(kindWords(d.Kind)), d.Number, d.Number)
	default:
		title = "Accept Xero's version of " + d.Number + "?"
		text = fmt.Sprintf("Xero's version stands (%s). This difference is not reported again while Xero's total stays %s %s.", problemWords(d.Problem), d.Currency, d.XeroTotal)
	}
	dialog.ShowConfirm(title, text, func(ok bool) {
		if ok {
			s.apply(s.chosen, r)
		}
	}, s.u.win)
}

// apply applies a confirmed remedy to the difference in row.
func (s *reconcileScreen) apply(row int, r reconcile.Remedy) {
	rep := s.rep
	d := rep.Differences[row]
	background(s.u, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.u.be.ApplyRemedy(ctx, d, r)
	}, func(_ struct{}, err error) {
		if err != nil {
			s.u.showError("Reconcile", err)
			return
		}
		if s.rep != rep || row >= len(rep.Differences) {
			return // a new reconciliation replaced the list meanwhile
		}
		if r == reconcile.AcceptXero {
			rep.Differences = slices.Delete(rep.Differences, row, row+1)
			rep.Accepted++
			s.diffTab.UnselectAll()
			s.chosen = -1
			s.diffTab.Refresh()
			s.enableRemedies()
			s.status.SetText(s.summary())
			s.detail.SetText(fmt.Sprintf("%s %s accepted as Xero has it.", capital(kindWords(d.Kind)), d.Number))
			return
		}
		s.detail.SetText(fmt.Sprintf("%s %s is marked to be sent again: the next export sends it.", capital(kindWords(d.Kind)), d.Number))
	})
}

// openInXero opens the chosen document in Xero's web app.
func (s *reconcileScreen) openInXero() {
	if !slices.Contains(s.remedies(), reconcile.OpenInXero) {
		return
	}
	d := s.rep.Differences[s.chosen]
	background(s.u, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.u.be.ApplyRemedy(ctx, d, reconcile.OpenInXero)
	}, func(_ struct{}, err error) { s.u.showError("Open in Xero", err) })
}

// save asks where to write the report and writes it there.
func (s *reconcileScreen) save(format ReportFormat) {
	rep := s.rep
	if rep == nil {
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			s.u.showError("Reconcile", err)
			return
		}
		background(s.u, func(ctx context.Context) (struct{}, error) {
			defer w.Close()
			return struct{}{}, s.u.be.WriteReconcileReport(w, rep, format)
		}, func(_ struct{}, err error) {
			if err != nil {
				s.u.showError("Reconcile", err)
				return
			}
			s.detail.SetText("Saved to " + w.URI().Path() + ".")
		})
	}, s.u.win)
	d.SetFileName("reconciliation-" + rep.Period.Since.Format("2006-01") + "." + string(format))
	d.SetFilter(storage.NewExtensionFileFilter([]string{"." + string(format)}))
	d.Show()
}
