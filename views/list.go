package views

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// pageSize is how many rows a list reads at a time.
const pageSize = 100

// keepPages bounds the pages a list keeps in memory.
const keepPages = 30

// column is one column of a list.
type column struct {
	title string
	width float32
	sort  opencart.Sort // "" = not sortable
	text  func(Row) string
	// fits is set on columns whose text always fits their width (ids,
	// dates, totals): they are clipped, which costs far less than the
	// ellipsis names and reasons get (scrolling 100,000 rows stays smooth).
	fits bool
}

// stateChoices are the export-state filter's entries and their states.
var stateChoices = []struct{ label, state string }{
	{"Any export state", ""},
	{"Not exported", FilterNotExported},
	{"Exported", history.StateExported},
	{"Totals differ", FilterTotalsDiffer},
	{"Changed since export", history.StateChanged},
	{"Failed", history.StateFailed},
	{"Skipped", history.StateSkipped},
	{"Voided (order cancelled)", history.StateVoided},
	{"Deleted (order cancelled)", history.StateDeleted},
}

// listScreen is a paged grid of customers, orders, refunds or payments:
// it reads one page of 100 rows at a time, as the person scrolls, so that a
// shop with 100,000 orders stays responsive.
type listScreen struct {
	u     *ui
	kind  ListKind
	cols  []column
	scope export.Scope

	table    *widget.Table
	search   *widget.Entry
	status   *widget.Select
	since    *widget.Entry
	until    *widget.Entry
	state    *widget.Select
	count    *widget.Label
	detail   *widget.Label
	exportSe *widget.Button
	preview  *widget.Button
	openXero *widget.Button

	statusIDs map[string]int
	sortBy    opencart.Sort
	desc      bool

	gen   int // bumped on every new query; stale pages are dropped
	total int
	pages map[int][]Row
	// starts are where the pages read so far go on (page → the key of
	// the row before it), kept when a page is dropped, so that scrolling
	// back, or on, is read by key.
	starts   map[int]PageStart
	loading  map[int]bool
	selected map[int]bool
	current  *Row
	debounce *time.Timer
}

func newListScreen(u *ui, kind ListKind) *listScreen {
	s := &listScreen{u: u, kind: kind, sortBy: opencart.SortID, desc: true,
		pages: map[int][]Row{}, loading: map[int]bool{}, starts: map[int]PageStart{}, selected: map[int]bool{}, statusIDs: map[string]int{}}
	mark := column{title: "✓", width: 36, fits: true, text: func(r Row) string {
		if s.selected[r.ID] {
			return "☑"
		}
		return "☐"
	}}
	state := column{title: "Export state", width: 260, sort: SortExportState, text: func(r Row) string { return r.Export.Text() }}
	date := func(r Row) string {
		if r.Date.IsZero() {
			return ""
		}
		return r.Date.Format("2006-01-02 15:04")
	}
	switch kind {
	case ListCustomers:
		s.scope = export.ScopeCustomers
		s.cols = []column{mark,
			{"Customer", 90, opencart.SortID, func(r Row) string { return strconv.Itoa(r.ID) }, true},
			{"Name", 200, opencart.SortName, func(r Row) string { return r.Name }, false},
			{"E-mail", 240, opencart.SortEmail, func(r Row) string { return r.Email }, false},
			{"Added", 140, opencart.SortDate, date, true},
			{"Account", 90, "", func(r Row) string { return r.Status }, true},
			state}
	default:
		s.scope = map[ListKind]export.Scope{ListOrders: export.ScopeOrders, ListCreditNotes: export.ScopeCreditNotes, ListPayments: export.ScopePayments}[kind]
		s.cols = []column{mark,
			{"Order", 64, opencart.SortID, func(r Row) string { return strconv.Itoa(r.ID) }, true},
			{"Customer", 140, opencart.SortName, func(r Row) string { return r.Name }, false},
			{"Status", 90, "", func(r Row) string { return r.Status }, false},
			{"Date", 140, opencart.SortDate, date, true},
			{ocTotalTitle(kind), 110, ocTotalSort(kind), func(r Row) string { return strings.TrimSpace(r.Currency + " " + r.OpenCartTotal) }, true},
			{"Xero total", 110, SortXeroTotal, xeroTotal, true},
			{"Match", 80, SortMatch, matchText, true},
			narrow(state, 150),
			{"Xero number", 100, SortXeroNumber, func(r Row) string { return r.Export.XeroNumber }, true}}
	}
	return s
}

// narrow gives a column another width (the order grids have more columns
// to fit in the window than the customers').
func narrow(c column, width float32) column {
	c.width = width
	return c
}

// ocTotalTitle is the OpenCart amount column's title: on the credit-note
// grid it is what the refunds ledger credits, not the order total.
func ocTotalTitle(kind ListKind) string {
	if kind == ListCreditNotes {
		return "Refund (shop)" // "Refund (OpenCart)" ran into the next heading
	}
	return "OpenCart total"
}

// ocTotalSort sorts by the order total, except on the credit-note grid,
// where the amount is the refund (the shop cannot sort by it).
func ocTotalSort(kind ListKind) opencart.Sort {
	if kind == ListCreditNotes {
		return ""
	}
	return opencart.SortTotal
}

func (s *listScreen) buildUI() fyne.CanvasObject {
	s.table = widget.NewTableWithHeaders(
		func() (int, int) { return s.total, len(s.cols) },
		func() fyne.CanvasObject { return newGridCell() },
		s.updateCell)
	s.table.ShowHeaderColumn = false
	s.table.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		return b
	}
	s.table.UpdateHeader = s.updateHeader
	for i, c := range s.cols {
		s.table.SetColumnWidth(i, c.width)
	}
	s.table.OnSelected = s.onSelected

	s.search = widget.NewEntry()
	s.search.SetPlaceHolder("Search name, e-mail or number")
	s.search.OnChanged = func(string) { s.filterSoon() }
	s.since = widget.NewEntry()
	s.since.SetPlaceHolder("from " + datePlaceholder())
	s.until = widget.NewEntry()
	s.until.SetPlaceHolder("to " + datePlaceholder())
	for _, e := range []*widget.Entry{s.since, s.until} {
		e.Validator = checkDate
		e.OnChanged = func(string) { s.filterSoon() }
	}
	var labels []string
	for _, c := range stateChoices {
		labels = append(labels, c.label)
	}
	s.state = widget.NewSelect(labels, nil)
	s.state.SetSelectedIndex(0)
	s.state.OnChanged = func(string) { s.filtersChanged() }
	s.count = widget.NewLabel("")
	filters := []fyne.CanvasObject{sized(172, s.since), sized(172, s.until), sized(185, s.state)}
	if s.kind != ListCustomers {
		s.status = widget.NewSelect([]string{"Any status"}, nil)
		s.status.SetSelectedIndex(0)
		s.status.OnChanged = func(string) { s.filtersChanged() }
		filters = append([]fyne.CanvasObject{sized(150, s.status)}, filters...)
	}
	filterRow := container.NewBorder(nil, nil, nil, container.NewHBox(append(filters, s.count)...), s.search)

	s.detail = widget.NewLabel("Click a row to see its details; click ☐ to select it.")
	s.detail.Wrapping = fyne.TextWrapWord
	s.exportSe = widget.NewButtonWithIcon("Export selected", theme.UploadIcon(), s.exportSelected)
	s.exportSe.Disable()
	all := widget.NewButtonWithIcon(s.kindButtonText(), theme.UploadIcon(), s.exportAll)
	everything := newExportAllButton(s.u)
	s.preview = widget.NewButtonWithIcon("Preview", theme.VisibilityIcon(), s.showPreview)
	s.preview.Disable()
	if s.kind == ListCustomers {
		s.preview.Hide()
	}
	s.openXero = widget.NewButtonWithIcon("Open in Xero", theme.ComputerIcon(), s.openInXero)
	s.openXero.Hide()
	actions := container.NewBorder(nil, nil, nil,
		container.NewHBox(s.preview, s.openXero, s.exportSe, all, everything), s.detail)

	s.u.progress.whenDone(s.reload)
	s.reload()
	return container.NewBorder(filterRow, actions, nil, nil, s.table)
}

// sized gives o a fixed width in a row of filters.
func sized(width float32, o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(width, o.MinSize().Height), o)
}

// query is the list's current filters.
func (s *listScreen) query() ListQuery {
	q := ListQuery{Search: strings.TrimSpace(s.search.Text), Sort: s.sortBy, Desc: s.desc, Limit: pageSize}
	if t, err := parseDate(s.since.Text); err == nil && !t.IsZero() {
		q.Since = t
	}
	if t, err := parseDate(s.until.Text); err == nil && !t.IsZero() {
		q.Until = t.AddDate(0, 0, 1)
	}
	if i := s.state.SelectedIndex(); i > 0 {
		q.State = stateChoices[i].state
	}
	if s.status != nil {
		q.StatusID = s.statusIDs[s.status.Selected]
	}
	return q
}

// reload starts over with the current filters: count and first page.
func (s *listScreen) reload() {
	if s.table == nil || s.u.be == nil {
		return
	}
	s.gen++
	s.pages, s.loading, s.starts = map[int][]Row{}, map[int]bool{}, map[int]PageStart{}
	s.count.SetText("loading…")
	s.loadStatuses()
	s.loadPage(0, true)
}

// loadStatuses fills the status filter once.
func (s *listScreen) loadStatuses() {
	if s.status == nil || len(s.status.Options) > 1 {
		return
	}
	background(s.u, func(ctx context.Context) ([]opencart.OrderStatus, error) {
		return s.u.be.Statuses(ctx)
	}, func(sts []opencart.OrderStatus, err error) {
		if err != nil || len(s.status.Options) > 1 {
			return // the list itself reports a shop that cannot be read
		}
		opts := []string{"Any status"}
		for _, st := range sts {
			opts = append(opts, st.Name)
			s.statusIDs[st.Name] = st.ID
		}
		s.status.SetOptions(opts)
	})
}

// loadPage reads one page in the background, unless it is loading already.
func (s *listScreen) loadPage(page int, count bool) {
	if s.loading[page] {
		return
	}
	s.loading[page] = true
	gen := s.gen
	q := s.query()
	q.Offset, q.Count, q.From = page*pageSize, count, s.startBefore(page)
	background(s.u, func(ctx context.Context) (Page, error) {
		return s.u.be.List(ctx, s.kind, q)
	}, func(p Page, err error) {
		if gen != s.gen {
			return
		}
		delete(s.loading, page)
		if err != nil {
			s.count.SetText("could not be read")
			s.detail.SetText(plainError(err))
			s.total = 0
			s.table.Refresh()
			return
		}
		s.pages[page] = p.Rows
		if p.Last != nil && len(p.Rows) == pageSize {
			s.starts[page+1] = PageStart{Key: *p.Last, Index: (page + 1) * pageSize}
		}
		s.evict(page)
		if count {
			s.total = p.Total
			s.count.SetText(s.countText(p.Total))
		}
		s.table.Refresh()
	})
}

// startBefore is the nearest known start at or before page (nil: none,
// the list is read from its top): a page far from any read is read after
// that key with an offset, which the database skips over narrow rows.
func (s *listScreen) startBefore(page int) *PageStart {
	for p := page; p > 0; p-- {
		if st, ok := s.starts[p]; ok {
			return &st
		}
	}
	return nil
}

// evict drops the pages farthest from the one just read.
func (s *listScreen) evict(near int) {
	if len(s.pages) <= keepPages {
		return
	}
	var ps []int
	for p := range s.pages {
		ps = append(ps, p)
	}
	dist := func(p int) int {
		if p > near {
			return p - near
		}
		return near - p
	}
	sort.Slice(ps, func(i, j int) bool { return dist(ps[i]) > dist(ps[j]) })
	for _, p := range ps[:len(ps)-keepPages] {
		delete(s.pages, p)
	}
}

// countText is the number of rows in words ("1 order", "2,000 orders").
func (s *listScreen) countText(n int) string {
	nouns := map[ListKind][2]string{ListCustomers: {"customer", "customers"}, ListOrders: {"order", "orders"},
		ListCreditNotes: {"order credited", "orders credited"}, ListPayments: {"paid order", "paid orders"}}[s.kind]
	if n != 1 {
		return fmt.Sprintf("%s %s", formatCount(n), nouns[1])
	}
	return "1 " + nouns[0]
}

// formatCount writes a count with thousands separators (100,000).
func formatCount(n int) string {
	if n < 0 {
		return "-" + formatCount(-n)
	}
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// rowAt returns a row when its page is in memory, else asks for the page.
func (s *listScreen) rowAt(i int) (Row, bool) {
	page := i / pageSize
	rows, ok := s.pages[page]
	if !ok {
		s.loadPage(page, false)
		return Row{}, false
	}
	if i%pageSize >= len(rows) {
		return Row{}, false
	}
	return rows[i%pageSize], true
}

func (s *listScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	c := o.(*gridCell)
	row := id.Row
	c.menu = func(at fyne.Position) { s.showRowMenu(row, at) }
	l := c.label
	// Cells are reused across columns: set the truncation before the text.
	l.Truncation = fyne.TextTruncateEllipsis
	if id.Col >= 0 && id.Col < len(s.cols) && s.cols[id.Col].fits {
		l.Truncation = fyne.TextTruncateClip
	}
	r, ok := s.rowAt(id.Row)
	c.highlight(ok && s.current != nil && s.current.ID == r.ID)
	switch {
	case !ok && id.Col == 1:
		l.SetText("…")
	case !ok:
		l.SetText("")
	default:
		l.SetText(s.cols[id.Col].text(r))
	}
}

func (s *listScreen) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	b := o.(*widget.Button)
	if id.Col < 0 || id.Col >= len(s.cols) {
		b.SetText("")
		return
	}
	c := s.cols[id.Col]
	text := c.title
	if c.sort != "" && c.sort == s.sortBy && s.cols[id.Col].title == s.sortTitle() {
		if s.desc {
			text += " ▼"
		} else {
			text += " ▲"
		}
	}
	b.SetText(text)
	b.OnTapped = func() { s.sortOn(id.Col) }
}

// sortTitle is the title of the column the list is sorted by.
func (s *listScreen) sortTitle() string {
	for _, c := range s.cols {
		if c.sort == s.sortBy {
			return c.title
		}
	}
	return ""
}

// sortOn sorts by a column; a second tap reverses the order.
func (s *listScreen) sortOn(col int) {
	c := s.cols[col]
	if c.sort == "" {
		return
	}
	if c.sort == s.sortBy {
		s.desc = !s.desc
	} else {
		s.sortBy, s.desc = c.sort, false
	}
	s.filtersChanged()
}

func (s *listScreen) onSelected(id widget.TableCellID) {
	s.table.Unselect(id)
	r, ok := s.rowAt(id.Row)
	if !ok {
		return
	}
	if id.Col == 0 {
		if s.selected[r.ID] {
			delete(s.selected, r.ID)
		} else {
			s.selected[r.ID] = true
		}
	}
	s.choose(r)
}

// choose makes r the row the buttons act on, highlighted across.
func (s *listScreen) choose(r Row) {
	s.current = &r
	s.table.Refresh()
	s.detail.SetText(s.describe(r))
	s.preview.Enable()
	if s.u.be.XeroLink(r.Export.Kind, r.Export.XeroID) != "" {
		s.openXero.Show()
	} else {
		s.openXero.Hide()
	}
	if n := len(s.selected); n > 0 {
		s.exportSe.SetText(fmt.Sprintf("Export selected (%d)", n))
		s.exportSe.Enable()
	} else {
		s.exportSe.SetText("Export selected")
		s.exportSe.Disable()
	}
}

// describe is one row in a sentence, with the reason when it failed.
func (s *listScreen) describe(r Row) string {
	what := map[ListKind]string{ListCustomers: "Customer"}[s.kind]
	if what == "" {
		what = "Order"
	}
	t := fmt.Sprintf("%s %d, %s: %s", what, r.ID, r.Name, r.Export.Text())
	if r.Export.XeroNumber != "" {
		t += " (Xero " + r.Export.XeroNumber + ")"
	}
	return t
}

// selectedIDs are the ticked rows, in order.
func (s *listScreen) selectedIDs() []int {
	var ids []int
	for id := range s.selected {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	return ids
}

func (s *listScreen) exportSelected() {
	ids := s.selectedIDs()
	if len(ids) == 0 {
		return
	}
	if s.u.progress.start(export.Request{Scope: s.scope, IDs: ids, Trigger: "manual"}) {
		s.selected = map[int]bool{}
		s.exportSe.SetText("Export selected")
		s.exportSe.Disable()
	} else {
		s.u.showError("Export", fmt.Errorf("an export is already running; wait for it or cancel it"))
	}
}

func (s *listScreen) exportAll() {
	if !s.u.progress.start(export.Request{Scope: s.scope, Trigger: "manual"}) {
		s.u.showError("Export", fmt.Errorf("an export is already running; wait for it or cancel it"))
	}
}

func (s *listScreen) showPreview() {
	if s.current == nil {
		return
	}
	switch s.kind {
	case ListOrders:
		showPreview(s.u, s.current.ID)
	case ListCreditNotes:
		showDocumentsPreview(s.u, history.KindCreditNote, s.current.ID)
	case ListPayments:
		showDocumentsPreview(s.u, history.KindPayment, s.current.ID)
	}
}

func (s *listScreen) openInXero() {
	if s.current == nil {
		return
	}
	if link := s.u.be.XeroLink(s.current.Export.Kind, s.current.Export.XeroID); link != "" {
		s.u.showError("Open in Xero", s.u.be.OpenURL(link))
	}
}

// documentsScreen holds the refunds (credit notes) and payments lists.
type documentsScreen struct {
	lists []*listScreen
}

func newDocumentsScreen(u *ui) *documentsScreen {
	return &documentsScreen{lists: []*listScreen{newListScreen(u, ListCreditNotes), newListScreen(u, ListPayments)}}
}

func (d *documentsScreen) buildUI() fyne.CanvasObject {
	tabs := container.NewAppTabs(
		container.NewTabItem("Credit notes (refunds and returns)", d.lists[0].buildUI()),
		container.NewTabItem("Payments (paid orders)", d.lists[1].buildUI()),
	)
	return tabs
}
