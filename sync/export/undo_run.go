package export

// Undoing a run: taking back out of Xero what one export run created, so
// that a run that went wrong (a wrong account, a wrong status) can be sent
// again once the settings are right.
//
// What the run created is read from the history's audit trail: a record
// whose document came into Xero in that run (its first "exported" since it
// was last withdrawn). Documents the run only updated stay, and are listed
// with the run that created them; contacts stay (they carry no money and
// the next export uses them again).
//
// Xero's current state is read first (invoices and credit notes by id, the
// payments on the invoices and the refunds on the credit notes), and an
// order's documents are undone together or not at all:
//
//   - a draft or awaiting-approval document is deleted, an approved one
//     voided; the run's own payment and the refunds and allocations of the
//     run's credit notes are removed first;
//   - anything paid or changed in Xero since is left alone and listed with
//     why: a payment or a refund a person recorded, credit allocated by
//     hand, a total or a number changed, a payment reconciled with a bank
//     statement line, or a later run's payment or credit note on the order
//     (undo that run first);
//   - a document voided or deleted in Xero already needs no call.
//
// Undone records are put back to "not exported" (skipped, no Xero id, the
// number kept), so the next export sends them again; Xero keeps the
// numbers of voided and deleted documents, so they come back with the next
// suffix (numbers.go). Every write goes through sendBatch like an export's,
// and the undo is recorded as a run of its own. A dry run only reads.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/filelock"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// UndoAction is what undoing a run does to one document.
type UndoAction string

// The actions of an undo.
const (
	// UndoDelete deletes a draft or awaiting-approval document.
	UndoDelete UndoAction = "delete"
	// UndoVoid voids an approved document.
	UndoVoid UndoAction = "void"
	// UndoRemovePayment deletes a payment the run made.
	UndoRemovePayment UndoAction = "remove payment"
	// UndoForget changes nothing in Xero (the document is voided or
	// deleted there already) and marks the record not exported.
	UndoForget UndoAction = "mark not exported"
	// UndoKeep leaves a contact in Xero.
	UndoKeep UndoAction = "keep"
	// UndoLeave leaves a document alone; Why says why.
	UndoLeave UndoAction = "leave alone"
)

// UndoRequest says which run to undo.
type UndoRequest struct {
	RunID int64
	// DryRun lists what undoing would do, reading Xero only.
	DryRun bool
	// Trigger is recorded with the undo's run ("manual", "command line").
	Trigger string
}

// UndoItem is one document the run touched and what undoing does to it.
type UndoItem struct {
	Kind       string // history.KindInvoice, KindPayment, KindCreditNote, KindContact
	OpenCartID string
	Number     string // the document's number (a payment: its invoice's)
	XeroID     string
	Currency   string
	Total      string
	XeroStatus string // as Xero holds it now ("" when not read)
	Action     UndoAction
	// Why explains a document left alone or kept.
	Why string
	// Done is set once the undo did it; Error says why it could not.
	Done  bool
	Error string
}

// UndoResult is what undoing a run did (or, in a dry run, would do).
type UndoResult struct {
	RunID     int64 // the run undone
	UndoRunID int64 // the run that recorded the undo; 0 in a dry run
	DryRun    bool
	Items     []UndoItem
	// Undone counts documents taken out of Xero (or found withdrawn) and
	// marked not exported; LeftAlone those left as they are; Failed those
	// Xero refused or did not answer about.
	Undone, LeftAlone, Failed int
	APICalls                  int
}

// UndoRun undoes what run req.RunID created in Xero (see above). It takes
// the profile's export lock like Run.
func (e *Engine) UndoRun(ctx context.Context, req UndoRequest) (res UndoResult, err error) {
	res = UndoResult{RunID: req.RunID, DryRun: req.DryRun}
	if e.cfg.Xero == nil {
		return res, errors.New("export: not connected to Xero: undoing a run reads what Xero holds first (connect first)")
	}
	if e.cfg.LockPath != "" {
		lockCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
		unlock, err := filelock.Lock(lockCtx, e.cfg.LockPath)
		cancel()
		if err != nil {
			if ctx.Err() == nil {
				return res, ErrBusy
			}
			return res, ErrCancelled
		}
		defer unlock()
	}
	bg := context.WithoutCancel(ctx)
	target, err := e.cfg.History.RunByID(bg, req.RunID)
	if errors.Is(err, history.ErrNotFound) {
		return res, fmt.Errorf("there is no run %d in this profile's history", req.RunID)
	}
	if err != nil {
		return res, err
	}
	switch {
	case target.DryRun:
		return res, fmt.Errorf("run %d was a dry run: it sent nothing to Xero, so there is nothing to undo", req.RunID)
	case strings.HasPrefix(target.Scope, undoScope):
		return res, fmt.Errorf("run %d was itself an undo (%s): export again to send those records back", req.RunID, target.Scope)
	}
	if req.Trigger == "" {
		req.Trigger = "manual"
	}
	calls0 := e.cfg.Xero.Calls()
	r := &run{e: e, req: Request{DryRun: req.DryRun, Trigger: req.Trigger}, ctx: ctx, bg: bg, eta: newETA(e.cfg.Now),
		contactIDs: map[string]string{}, names: mapping.NewContactNames(nil), stage: StageInvoices}
	r.calls0 = calls0
	u := &undoer{r: r, runID: req.RunID, res: &res}
	defer func() { res.APICalls = int(e.cfg.Xero.Calls() - calls0) }()
	if err := u.collect(); err != nil {
		return res, err
	}
	if err := u.read(); err != nil {
		return res, err
	}
	u.decide()
	if req.DryRun {
		u.count()
		return res, nil
	}
	if len(u.groups) == 0 {
		u.count()
		return res, nil // nothing to take back: no run is recorded
	}
	undoID, err := e.cfg.History.StartRun(bg, fmt.Sprintf("%s %d", undoScope, req.RunID), req.Trigger, false)
	if err != nil {
		return res, err
	}
	r.sum.RunID, res.UndoRunID = undoID, undoID
	err = u.execute()
	u.count()
	state, msg := history.RunDone, ""
	if err != nil {
		state, msg = history.RunFailed, err.Error()
	}
	// The undo's run counts the records it put back to "not exported" as
	// skipped (their state), and those Xero refused as failed.
	ferr := e.cfg.History.FinishRun(bg, history.Run{ID: undoID, State: state, Failed: res.Failed,
		Skipped: res.Undone, APICalls: int(e.cfg.Xero.Calls() - calls0), Error: msg})
	return res, errors.Join(err, ferr)
}

// undoScope begins the scope recorded for an undo's run: "undo of run 7".
const undoScope = "undo of run"

// undoer is the state of one UndoRun.
type undoer struct {
	r      *run
	runID  int64
	res    *UndoResult
	groups []*undoGroup // the orders with documents to take back, by order id

	invoices map[string]xero.Invoice    // by lower-case id
	notes    map[string]xero.CreditNote // by lower-case id
	payments map[string]xero.Payment    // by lower-case id
	onInv    map[string][]xero.Payment  // payments by lower-case invoice id
}

// undoGroup is one order's documents created by the run; they are undone
// together or left alone together (when there is an invoice among them).
type undoGroup struct {
	orderID int
	inv     *undoDoc
	pay     *undoDoc
	credits []*undoDoc
	// invoiceID is the Xero id of the order's invoice (whichever run
	// created it): the one invoice the run's credit notes may be allocated to.
	invoiceID string
	// others are the order's documents in Xero a later (or earlier) run
	// created: with them on the invoice, the order is left alone.
	others  []history.Record
	leave   string // why the whole order is left alone
	stopped bool   // a step was refused or not answered: no further step
}

// undoDoc is one document to take back.
type undoDoc struct {
	rec, orig history.Record
	item      int // its index in res.Items
	status    string
	refunds   []xero.Payment    // refund payments to delete first (credit notes)
	allocs    []xero.Allocation // allocations to remove first (credit notes)
	done      []string          // what was removed, for the record's message
	unknown   bool              // a call about it got no answer
	failed    string            // Xero refused a step: why
	ownDone   bool              // its own step is done: it is out of Xero
}

func (u *undoer) hist() *history.Store { return u.r.hist() }

// collect reads the records the run touched, sorts out those it created
// and groups them by order.
func (u *undoer) collect() error {
	bg := u.r.bg
	events, err := u.hist().EventsOfRun(bg, u.runID)
	if err != nil {
		return err
	}
	recs, err := u.hist().Records(bg, history.RecordFilter{RunID: u.runID})
	if err != nil {
		return err
	}
	var returnKeys []string
	for _, rec := range recs {
		if k, ok := history.ParseKey(rec.OpenCartID); ok && k.ReturnID > 0 && rec.Kind == history.KindCreditNote {
			returnKeys = append(returnKeys, rec.OpenCartID)
		}
	}
	returnOrders, err := u.hist().CreditNoteOrders(bg, returnKeys)
	if err != nil {
		return err
	}
	byOrder := map[int]*undoGroup{}
	group := func(id int) *undoGroup {
		g := byOrder[id]
		if g == nil {
			g = &undoGroup{orderID: id}
			byOrder[id] = g
			u.groups = append(u.groups, g)
		}
		return g
	}
	var keep []UndoItem
	for _, rec := range recs {
		creator, held := creatorRun(events[rec.ID])
		inXero := rec.XeroID != "" && held && slices.Contains([]string{history.StateExported, history.StateChanged, history.StateSending}, rec.State)
		switch {
		case rec.State == history.StateSending && rec.XeroID == "" && rec.RunID == u.runID:
			keep = append(keep, u.item(rec, UndoLeave, "the run stopped while it was being sent, so whether Xero has it is not known: export again (it is looked up in Xero first), then undo"))
			continue
		case !inXero:
			continue // nothing of the run's in Xero: failed, skipped, withdrawn since
		case rec.Kind == history.KindContact:
			keep = append(keep, u.item(rec, UndoKeep, "contacts stay in Xero: they carry no money, and the next export uses them again"))
			continue
		case creator > u.runID:
			continue // the run's document was withdrawn since, and a later run sent this one
		case creator != u.runID:
			keep = append(keep, u.item(rec, UndoLeave, fmt.Sprintf("run %d only updated it; run %d created it (undo run %d to take it back)", u.runID, creator, creator)))
			continue
		}
		k, ok := history.ParseKey(rec.OpenCartID)
		orderID := k.OrderID
		if ok && k.ReturnID > 0 {
			orderID = returnOrders[rec.OpenCartID]
		}
		if !ok || orderID == 0 {
			keep = append(keep, u.item(rec, UndoLeave, "the history does not say which order it belongs to: void it in Xero by hand if it must go"))
			continue
		}
		d := &undoDoc{rec: rec, orig: rec}
		g := group(orderID)
		switch rec.Kind {
		case history.KindInvoice:
			g.inv = d
		case history.KindPayment:
			g.pay = d
		case history.KindCreditNote:
			g.credits = append(g.credits, d)
		}
	}
	slices.SortFunc(u.groups, func(a, b *undoGroup) int { return a.orderID - b.orderID })
	for _, g := range u.groups {
		for _, d := range g.docs() {
			d.item = len(u.res.Items)
			u.res.Items = append(u.res.Items, u.item(d.rec, "", ""))
		}
	}
	u.res.Items = append(u.res.Items, keep...)
	return u.others()
}

// creatorRun is the run that brought the record's current document into
// Xero: its first "exported" since it was last withdrawn or put back.
func creatorRun(evs []history.Event) (int64, bool) {
	var run int64
	held := false
	for _, e := range evs {
		switch e.State {
		case history.StateExported, history.StateChanged:
			if !held {
				run, held = e.RunID, true
			}
		case history.StateVoided, history.StateDeleted, history.StateSkipped:
			held = false
		}
	}
	return run, held
}

// docs lists a group's documents in the order they are shown.
func (g *undoGroup) docs() []*undoDoc {
	var out []*undoDoc
	if g.inv != nil {
		out = append(out, g.inv)
	}
	if g.pay != nil {
		out = append(out, g.pay)
	}
	return append(out, g.credits...)
}

// item is a record's line in the result.
func (u *undoer) item(rec history.Record, a UndoAction, why string) UndoItem {
	total := rec.XeroTotal
	if total == "" {
		total = rec.OpenCartTotal
	}
	return UndoItem{Kind: rec.Kind, OpenCartID: rec.OpenCartID, Number: rec.XeroNumber, XeroID: rec.XeroID,
		Currency: rec.Currency, Total: total, Action: a, Why: why}
}

// others finds, for each group with an invoice, the order's documents in
// Xero that another run created, and the order's invoice id.
func (u *undoer) others() error {
	if len(u.groups) == 0 {
		return nil
	}
	var orderKeys, cnKeys []string
	var ids []int
	for _, g := range u.groups {
		orderKeys = append(orderKeys, history.OrderKey(g.orderID))
		cnKeys = append(cnKeys, history.RefundKey(g.orderID))
		ids = append(ids, g.orderID)
	}
	bg := u.r.bg
	kept, err := u.hist().CreditNotesOf(bg, ids)
	if err != nil {
		return err
	}
	for k := range kept {
		cnKeys = append(cnKeys, k)
	}
	invs, err := recordsIn(bg, u.hist(), history.KindInvoice, orderKeys)
	if err != nil {
		return err
	}
	pays, err := recordsIn(bg, u.hist(), history.KindPayment, orderKeys)
	if err != nil {
		return err
	}
	cns, err := recordsIn(bg, u.hist(), history.KindCreditNote, cnKeys)
	if err != nil {
		return err
	}
	byOrder := map[int]*undoGroup{}
	for _, g := range u.groups {
		byOrder[g.orderID] = g
		g.invoiceID = invs[history.OrderKey(g.orderID)].XeroID
	}
	mine := func(g *undoGroup, rec history.Record) bool {
		for _, d := range g.docs() {
			if d.rec.ID == rec.ID {
				return true
			}
		}
		return false
	}
	inXero := func(rec history.Record) bool {
		return rec.XeroID != "" && slices.Contains([]string{history.StateExported, history.StateChanged, history.StateSending}, rec.State)
	}
	for _, g := range u.groups {
		if g.inv == nil {
			continue
		}
		if p, ok := pays[history.OrderKey(g.orderID)]; ok && inXero(p) && !mine(g, p) {
			g.others = append(g.others, p)
		}
	}
	for key, rec := range cns {
		orderID := 0
		if k, ok := history.ParseKey(key); ok && k.Refund {
			orderID = k.OrderID
		} else if c, ok := kept[key]; ok {
			orderID = c.OrderID
		}
		if g := byOrder[orderID]; g != nil && g.inv != nil && inXero(rec) && !mine(g, rec) {
			g.others = append(g.others, rec)
		}
	}
	return nil
}

// recordsIn reads records by key, 500 keys a query.
func recordsIn(ctx context.Context, h *history.Store, kind string, keys []string) (map[string]history.Record, error) {
	out := map[string]history.Record{}
	for i := 0; i < len(keys); i += 500 {
		m, err := h.RecordsFor(ctx, kind, keys[i:min(i+500, len(keys))])
		if err != nil {
			return nil, err
		}
		for k, v := range m {
			out[k] = v
		}
	}
	return out, nil
}

// read reads what Xero holds now: the run's invoices and credit notes by
// id, then the payments on those invoices, the run's payments and the
// credit notes' refunds (40 to a call).
func (u *undoer) read() error {
	u.invoices, u.notes, u.payments, u.onInv = map[string]xero.Invoice{}, map[string]xero.CreditNote{}, map[string]xero.Payment{}, map[string][]xero.Payment{}
	var invIDs, cnIDs []string
	for _, g := range u.groups {
		if g.inv != nil {
			invIDs = append(invIDs, g.inv.rec.XeroID)
		}
		for _, d := range g.credits {
			cnIDs = append(cnIDs, d.rec.XeroID)
		}
	}
	x, ctx := u.r.x(), u.r.ctx
	if len(invIDs) > 0 {
		list, err := x.Invoices(ctx, xero.InvoiceQuery{IDs: invIDs})
		if err != nil {
			return u.r.fatal(err)
		}
		for _, inv := range list {
			u.invoices[strings.ToLower(inv.InvoiceID)] = inv
		}
	}
	if len(cnIDs) > 0 {
		list, err := x.CreditNotes(ctx, xero.CreditNoteQuery{IDs: cnIDs})
		if err != nil {
			return u.r.fatal(err)
		}
		for _, cn := range list {
			u.notes[strings.ToLower(cn.CreditNoteID)] = cn
		}
	}
	var parts []string
	for _, g := range u.groups {
		if g.inv != nil {
			parts = append(parts, "Invoice.InvoiceID==Guid("+xero.WhereQuote(g.inv.rec.XeroID)+")")
		}
		if g.pay != nil {
			parts = append(parts, "PaymentID==Guid("+xero.WhereQuote(g.pay.rec.XeroID)+")")
		}
		for _, d := range g.credits {
			if cn, ok := u.notes[strings.ToLower(d.rec.XeroID)]; ok {
				for _, p := range cn.Payments {
					if p.PaymentID != "" {
						parts = append(parts, "PaymentID==Guid("+xero.WhereQuote(p.PaymentID)+")")
					}
				}
			}
		}
	}
	slices.Sort(parts)
	parts = slices.Compact(parts)
	for start := 0; start < len(parts); start += 40 {
		list, err := x.Payments(ctx, strings.Join(parts[start:min(start+40, len(parts))], " OR "))
		if err != nil {
			return u.r.fatal(err)
		}
		for _, p := range list {
			u.payments[strings.ToLower(p.PaymentID)] = p
			if p.Invoice != nil && p.Invoice.InvoiceID != "" && !strings.EqualFold(p.Status, xero.StatusDeleted) {
				id := strings.ToLower(p.Invoice.InvoiceID)
				if !slices.ContainsFunc(u.onInv[id], func(q xero.Payment) bool { return strings.EqualFold(q.PaymentID, p.PaymentID) }) {
					u.onInv[id] = append(u.onInv[id], p)
				}
			}
		}
	}
	return nil
}

// decide works out each group's actions from what Xero holds.
func (u *undoer) decide() {
	for _, g := range u.groups {
		if g.inv != nil {
			g.leave = u.decideInvoice(g)
		}
		if g.pay != nil && g.leave == "" {
			u.decidePayment(g, g.pay)
		}
		for _, d := range g.credits {
			if g.leave == "" {
				if why := u.decideCredit(g, d); why != "" {
					if g.inv != nil {
						g.leave = why // an order is undone whole or not at all
					} else {
						u.leaveDoc(d, why)
					}
				}
			}
		}
		if g.leave != "" {
			for _, d := range g.docs() {
				why := g.leave
				if d != g.inv && g.inv != nil {
					why = "left with its invoice " + g.inv.rec.XeroNumber + ": " + g.leave
				}
				u.leaveDoc(d, why)
			}
		}
	}
}

// leaveDoc marks a document left alone.
func (u *undoer) leaveDoc(d *undoDoc, why string) {
	it := &u.res.Items[d.item]
	it.Action, it.Why, d.status, d.refunds, d.allocs = UndoLeave, why, "", nil, nil
}

// plan sets a document's action.
func (u *undoer) plan(d *undoDoc, a UndoAction, xeroStatus string) {
	it := &u.res.Items[d.item]
	it.Action, it.XeroStatus = a, xeroStatus
	switch a {
	case UndoDelete:
		d.status = xero.StatusDeleted
	case UndoVoid:
		d.status = xero.StatusVoided
	}
}

// decideInvoice checks the run's invoice and its payment against Xero and
// returns why the order is left alone, or "" with the invoice's action set.
func (u *undoer) decideInvoice(g *undoGroup) string {
	d := g.inv
	if len(g.others) > 0 {
		var what []string
		for _, o := range g.others {
			name := "its payment"
			if o.Kind == history.KindCreditNote {
				name = "credit note " + o.XeroNumber
			}
			what = append(what, fmt.Sprintf("%s (run %d)", name, o.RunID))
		}
		return "a later run sent " + strings.Join(what, " and ") + " for this order: undo that run first"
	}
	inv, ok := u.invoices[strings.ToLower(d.rec.XeroID)]
	if !ok {
		return fmt.Sprintf("Xero no longer has invoice %s (Xero id %s): check it in Xero by hand", d.rec.XeroNumber, d.rec.XeroID)
	}
	u.res.Items[d.item].XeroStatus = inv.Status
	switch inv.Status {
	case xero.StatusVoided, xero.StatusDeleted:
		u.plan(d, UndoForget, inv.Status)
		return ""
	}
	if d.rec.XeroNumber != "" && !strings.EqualFold(inv.InvoiceNumber, d.rec.XeroNumber) {
		return fmt.Sprintf("it was renamed in Xero since (%s → %s)", d.rec.XeroNumber, inv.InvoiceNumber)
	}
	if d.rec.XeroTotal != "" && !inv.Total.Decimal().Equal(decimal.RequireFromString(d.rec.XeroTotal)) {
		return fmt.Sprintf("its total was changed in Xero since (%s %s → %s)", inv.CurrencyCode, d.rec.XeroTotal, money(inv.Total.Decimal()))
	}
	ourPayment := ""
	if g.pay != nil {
		ourPayment = strings.ToLower(g.pay.rec.XeroID)
	}
	for _, p := range u.onInv[strings.ToLower(inv.InvoiceID)] {
		if strings.ToLower(p.PaymentID) != ourPayment {
			return fmt.Sprintf("it was paid in Xero since (%s %s on %s)", inv.CurrencyCode, money(p.Amount.Decimal()), p.Date.Format(time.DateOnly))
		}
		if p.IsReconciled {
			return fmt.Sprintf("its payment of %s %s is reconciled with a bank statement line: unreconcile it in Xero, then undo again", inv.CurrencyCode, money(p.Amount.Decimal()))
		}
	}
	ours := decimal.Zero
	for _, c := range g.credits {
		if cn, ok := u.notes[strings.ToLower(c.rec.XeroID)]; ok {
			for _, a := range cn.Allocations {
				if !a.IsDeleted && a.Invoice != nil && strings.EqualFold(a.Invoice.InvoiceID, inv.InvoiceID) {
					ours = ours.Add(a.Amount.Decimal())
				}
			}
		}
	}
	if credited := inv.AmountCredited.Decimal(); credited.GreaterThan(ours) {
		return fmt.Sprintf("credit of %s %s was allocated to it in Xero since", inv.CurrencyCode, money(credited.Sub(ours)))
	}
	switch inv.Status {
	case xero.StatusDraft, xero.StatusSubmitted:
		u.plan(d, UndoDelete, inv.Status)
	case xero.StatusAuthorised, xero.StatusPaid:
		u.plan(d, UndoVoid, inv.Status)
	default:
		return fmt.Sprintf("it is %s in Xero, which cannot be voided or deleted", inv.Status)
	}
	return ""
}

// decidePayment sets the action of the run's payment.
func (u *undoer) decidePayment(g *undoGroup, d *undoDoc) {
	p, ok := u.payments[strings.ToLower(d.rec.XeroID)]
	switch {
	case !ok || strings.EqualFold(p.Status, xero.StatusDeleted):
		u.plan(d, UndoForget, xero.StatusDeleted)
	case p.IsReconciled:
		u.leaveDoc(d, "it is reconciled with a bank statement line: unreconcile it in Xero, then undo again")
		u.res.Items[d.item].XeroStatus = p.Status
	default:
		u.plan(d, UndoRemovePayment, p.Status)
	}
}

// decideCredit checks one of the run's credit notes against Xero: it
// returns why it is left alone, or "" with its action, refunds and
// allocations set.
func (u *undoer) decideCredit(g *undoGroup, d *undoDoc) string {
	cn, ok := u.notes[strings.ToLower(d.rec.XeroID)]
	if !ok {
		return fmt.Sprintf("Xero no longer has credit note %s (Xero id %s): check it in Xero by hand", d.rec.XeroNumber, d.rec.XeroID)
	}
	u.res.Items[d.item].XeroStatus = cn.Status
	switch cn.Status {
	case xero.StatusVoided, xero.StatusDeleted:
		u.plan(d, UndoForget, cn.Status)
		return ""
	}
	name := "credit note " + d.rec.XeroNumber
	if d.rec.XeroTotal != "" && !cn.Total.Decimal().Equal(decimal.RequireFromString(d.rec.XeroTotal)) {
		return fmt.Sprintf("the total of %s was changed in Xero since (%s %s → %s)", name, cn.CurrencyCode, d.rec.XeroTotal, money(cn.Total.Decimal()))
	}
	refs := []string{refundReference(g.orderID, mapping.TreatCash), refundReference(g.orderID, mapping.TreatStoreCredit)}
	d.refunds, d.allocs = nil, nil
	for _, p := range cn.Payments {
		if p.PaymentID == "" || strings.EqualFold(p.Status, xero.StatusDeleted) {
			continue
		}
		full, ok := u.payments[strings.ToLower(p.PaymentID)]
		if ok && strings.EqualFold(full.Status, xero.StatusDeleted) {
			continue
		}
		if ok {
			p = full
		}
		if !slices.Contains(refs, p.Reference) {
			return fmt.Sprintf("a refund of %s %s was recorded on %s in Xero since", cn.CurrencyCode, money(p.Amount.Decimal()), name)
		}
		if p.IsReconciled {
			return fmt.Sprintf("the refund of %s %s on %s is reconciled with a bank statement line: unreconcile it in Xero, then undo again", cn.CurrencyCode, money(p.Amount.Decimal()), name)
		}
		d.refunds = append(d.refunds, p)
	}
	for _, a := range cn.Allocations {
		if a.IsDeleted || a.AllocationID == "" {
			continue
		}
		if a.Invoice == nil || g.invoiceID == "" || !strings.EqualFold(a.Invoice.InvoiceID, g.invoiceID) {
			to := "another invoice"
			if a.Invoice != nil && a.Invoice.InvoiceNumber != "" {
				to = "invoice " + a.Invoice.InvoiceNumber
			}
			return fmt.Sprintf("%s was allocated to %s in Xero since", name, to)
		}
		a.CreditNote = &xero.CreditNoteRef{CreditNoteID: cn.CreditNoteID}
		d.allocs = append(d.allocs, a)
	}
	switch cn.Status {
	case xero.StatusDraft, xero.StatusSubmitted:
		u.plan(d, UndoDelete, cn.Status)
	case xero.StatusAuthorised, xero.StatusPaid:
		u.plan(d, UndoVoid, cn.Status)
	default:
		return fmt.Sprintf("%s is %s in Xero, which cannot be voided or deleted", name, cn.Status)
	}
	return ""
}

// count totals the result's items.
func (u *undoer) count() {
	u.res.Undone, u.res.LeftAlone, u.res.Failed = 0, 0, 0
	for _, it := range u.res.Items {
		switch {
		case it.Error != "":
			u.res.Failed++
		case it.Action == UndoLeave:
			u.res.LeftAlone++
		case it.Action == UndoKeep:
		case it.Done || u.res.DryRun:
			u.res.Undone++
		}
	}
}

// execute takes the groups out of Xero, a batch of groups at a time, and
// records each document's outcome.
func (u *undoer) execute() error {
	var todo []*undoGroup
	for _, g := range u.groups {
		if g.leave == "" {
			todo = append(todo, g)
		}
	}
	size := u.r.e.cfg.BatchSize
	for start := 0; start < len(todo); start += size {
		part := todo[start:min(start+size, len(todo))]
		err := u.steps(part)
		if rerr := u.record(part); rerr != nil {
			return errors.Join(err, rerr)
		}
		if err != nil {
			return err
		}
	}
	// Documents left alone on their own (a standalone payment or credit
	// note) are only listed; nothing is written for them.
	return nil
}

// undoMark is the content hash of a document being undone.
func undoMark(kind, xeroID, status string) string {
	h, _ := mapping.ContentHash(struct{ Undo, Kind, ID, Status string }{"undo", kind, xeroID, status})
	return h
}

func (d *undoDoc) pending() pending {
	return pending{rec: &d.rec, hash: undoMark(d.rec.Kind, d.orig.XeroID, d.status)}
}

// owner is the group and document a call's item belongs to.
type owner struct {
	g        *undoGroup
	d        *undoDoc
	answered bool
}

func (o *owner) stop(why string) {
	o.g.stopped = true
	if o.d.failed == "" {
		o.d.failed = why
	}
}

// steps makes the calls for a batch of groups: payments and refunds
// deleted, allocations removed, credit notes then invoices voided or
// deleted. A group a step failed for goes no further.
func (u *undoer) steps(groups []*undoGroup) error {
	r := u.r
	type payItem struct {
		owner
		id     string
		amount xero.Amount
	}
	var pays []*payItem
	for _, g := range groups {
		if g.pay != nil && u.res.Items[g.pay.item].Action == UndoRemovePayment {
			pays = append(pays, &payItem{owner: owner{g: g, d: g.pay}, id: g.pay.rec.XeroID})
		}
		for _, d := range g.credits {
			for _, p := range d.refunds {
				pays = append(pays, &payItem{owner: owner{g: g, d: d}, id: p.PaymentID, amount: p.Amount})
			}
		}
	}
	err := sendBatch(r, "undo: payments", pays, func(p *payItem) (string, pending) { return p.id, p.d.pending() }, r.x().DeletePayments,
		func(p *payItem, res xero.Result[xero.Payment]) error {
			p.answered = true
			switch {
			case res.Err != nil:
				p.stop("Xero would not delete the payment (" + r.xeroReason(res.Err) + ")")
			case p.d.rec.Kind == history.KindCreditNote:
				p.d.done = append(p.d.done, "its refund of "+money(p.amount.Decimal())+" deleted")
			default:
				p.d.ownDone = true
			}
			return nil
		})
	for _, p := range pays {
		if !p.answered {
			p.d.unknown, p.g.stopped = true, true
		}
	}
	if err != nil {
		return err
	}
	type allocItem struct {
		owner
		a xero.Allocation
	}
	var allocs []*allocItem
	for _, g := range groups {
		for _, d := range g.credits {
			if g.stopped {
				break
			}
			for _, a := range d.allocs {
				allocs = append(allocs, &allocItem{owner: owner{g: g, d: d}, a: a})
			}
		}
	}
	err = sendBatch(r, "undo: allocations", allocs, func(a *allocItem) (xero.Allocation, pending) { return a.a, a.d.pending() }, r.x().DeleteAllocations,
		func(a *allocItem, res xero.Result[xero.Allocation]) error {
			a.answered = true
			if res.Err != nil {
				a.stop("Xero would not remove its allocation (" + r.xeroReason(res.Err) + ")")
			} else {
				a.d.done = append(a.d.done, "its allocation of "+money(a.a.Amount.Decimal())+" removed")
			}
			return nil
		})
	for _, a := range allocs {
		if !a.answered {
			a.d.unknown, a.g.stopped = true, true
		}
	}
	if err != nil {
		return err
	}
	var notes []*owner
	for _, g := range groups {
		for _, d := range g.credits {
			if !g.stopped && d.status != "" {
				notes = append(notes, &owner{g: g, d: d})
			}
		}
	}
	err = sendBatch(r, "undo: credit notes", notes, func(o *owner) (xero.CreditNote, pending) {
		return xero.CreditNote{CreditNoteID: o.d.orig.XeroID, Status: o.d.status}, o.d.pending()
	}, r.x().UpdateCreditNotes, func(o *owner, res xero.Result[xero.CreditNote]) error {
		o.answered = true
		u.answer(o, res.Err, res.Item.Status)
		return nil
	})
	for _, o := range notes {
		if !o.answered {
			o.d.unknown, o.g.stopped = true, true
		}
	}
	if err != nil {
		return err
	}
	var invs []*owner
	for _, g := range groups {
		if !g.stopped && g.inv != nil && g.inv.status != "" {
			invs = append(invs, &owner{g: g, d: g.inv})
		}
	}
	err = sendBatch(r, "undo: invoices", invs, func(o *owner) (xero.Invoice, pending) {
		return xero.Invoice{InvoiceID: o.d.orig.XeroID, Status: o.d.status}, o.d.pending()
	}, r.x().UpdateInvoices, func(o *owner, res xero.Result[xero.Invoice]) error {
		o.answered = true
		u.answer(o, res.Err, res.Item.Status)
		return nil
	})
	for _, o := range invs {
		if !o.answered {
			o.d.unknown, o.g.stopped = true, true
		}
	}
	return err
}

// answer records Xero's answer to a void or a delete.
func (u *undoer) answer(o *owner, err error, status string) {
	switch {
	case err != nil:
		o.stop(fmt.Sprintf("Xero would not %s it (%s)", verb(o.d.status), u.r.xeroReason(err)))
	case !strings.EqualFold(status, o.d.status):
		o.stop(fmt.Sprintf("Xero kept it %s when asked to %s it", status, verb(o.d.status)))
	default:
		o.d.ownDone = true
	}
}

// record writes each document's outcome: undone documents back to "not
// exported", refused ones back as they were with the reason, unanswered
// ones left "sending" (the next undo or export looks them up).
func (u *undoer) record(groups []*undoGroup) error {
	var recs []history.Record
	for _, g := range groups {
		for _, d := range g.docs() {
			it := &u.res.Items[d.item]
			switch {
			case it.Action == UndoLeave:
				// Left alone on its own: nothing was asked of Xero.
			case d.unknown:
				it.Error = "no answer from Xero: undo run " + strconv.FormatInt(u.runID, 10) + " again to finish"
			case d.ownDone || it.Action == UndoForget:
				it.Done = true
				recs = append(recs, u.forget(d))
			default:
				why := d.failed
				if why == "" {
					why = "not undone, because another document of the order could not be undone"
				}
				if len(d.done) > 0 {
					why += " (" + strings.Join(d.done, " and ") + " before that: export again to make it good)"
				}
				it.Error = why
				rec := d.orig
				rec.RunID = u.r.sum.RunID
				rec.Error = fmt.Sprintf("undo of run %d: %s; it is still in Xero", u.runID, why)
				recs = append(recs, rec)
			}
		}
	}
	if _, err := u.hist().SaveRecords(u.r.bg, recs); err != nil {
		return u.r.fatal(err)
	}
	return nil
}

// forget is a document's record put back to "not exported".
func (u *undoer) forget(d *undoDoc) history.Record {
	rec := d.orig
	it := u.res.Items[d.item]
	var what string
	switch {
	case it.Action == UndoForget:
		what = fmt.Sprintf("it was already %s in Xero", strings.ToLower(it.XeroStatus))
		if d.rec.Kind == history.KindPayment {
			what = "its payment was already deleted in Xero"
		}
	case d.rec.Kind == history.KindPayment:
		what = "its payment was deleted in Xero"
	default:
		name := "invoice"
		if d.rec.Kind == history.KindCreditNote {
			name = "credit note"
		}
		what = fmt.Sprintf("its %s %s was %s in Xero", name, d.orig.XeroNumber, pastTense(d.status))
		if len(d.done) > 0 {
			what += ", after " + strings.Join(d.done, " and ")
		}
	}
	again := "; the next export sends it again"
	if d.rec.Kind != history.KindPayment && d.orig.XeroNumber != "" {
		again += " under a new number (Xero keeps " + d.orig.XeroNumber + ")"
	}
	rec.State, rec.Error = history.StateSkipped, fmt.Sprintf("not exported: undone by run %d (the undo of run %d): %s%s", u.r.sum.RunID, u.runID, what, again)
	rec.XeroID, rec.XeroTotal, rec.TotalsMatch, rec.ContentHash, rec.SourceHash = "", "", nil, "", ""
	rec.IdempotencyKey, rec.RunID = d.rec.IdempotencyKey, u.r.sum.RunID
	if rec.Kind == history.KindPayment {
		rec.XeroNumber = ""
	}
	return rec
}

func pastTense(status string) string {
	if status == xero.StatusDeleted {
		return "deleted"
	}
	return "voided"
}
