package export

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// DocumentPreview is one Xero document of an order (a credit note or a
// payment) as the engine would make it now, beside what Xero holds for it
// when it was exported. Nothing is sent to make it.
type DocumentPreview struct {
	// Kind is history.KindCreditNote or history.KindPayment; Key its
	// history key (refund-5, return-3, order-5).
	Kind, Key string
	// Title names the document in the bookkeeper's words.
	Title string
	// Document is the xero.CreditNote or xero.Payment as it would be sent
	// now; nil when nothing would be sent (Skipped says why).
	Document any
	Skipped  string
	// Currency and Amount are what the document credits or pays.
	Currency, Amount string
	// InXero is what Xero holds now for an exported document (read by its
	// Xero id, one call for all of an order's); nil when it was never
	// exported or could not be read (XeroError says why).
	InXero    any
	XeroError string
	// Differences are what would be sent now and Xero holds that differ,
	// one sentence each; empty when they agree or there is nothing to compare.
	Differences []string
	Problems    []mapping.Problem
	Record      history.Record
	// Excluded is why the order is never exported (Settings.Excluded).
	Excluded string
	// TaxNames are the tax types by Xero's display name (Preview.TaxNames).
	TaxNames map[string]string
	// Note says why a payment is for less than OpenCart's total: what is
	// still due on the invoice in Xero (the same rule as a run, payAgainst).
	Note string
}

// previewBasis reads what every preview maps with: the order, the shop's
// books and the options with the shop's tax places.
func (e *Engine) previewBasis(ctx context.Context, orderID int) (opencart.Order, mapping.Options, mapping.Books, error) {
	e.cfg.Store.SetTaxNumberFields(e.cfg.Settings.TaxNumberFields)
	o, err := e.cfg.Store.Order(ctx, orderID)
	if err != nil {
		return o, mapping.Options{}, mapping.Books{}, err
	}
	shop, err := e.cfg.Store.Settings(ctx)
	if err != nil {
		return o, mapping.Options{}, mapping.Books{}, err
	}
	currencies, err := e.cfg.Store.Currencies(ctx)
	if err != nil {
		return o, mapping.Options{}, mapping.Books{}, err
	}
	places, err := e.cfg.Store.TaxPlaces(ctx)
	if err != nil {
		return o, mapping.Options{}, mapping.Books{}, err
	}
	opt := e.cfg.Settings.MappingOptions()
	opt.Places = &places
	return o, opt, mapping.ShopBooks(shop, currencies), nil
}

// PreviewCreditNotes maps an order's credit notes from its refunds ledger
// (mapping.OrderLedger), one per reason (each return giving money back,
// the refund status), each as it would be sent if none were in Xero yet,
// beside what Xero holds for those exported. Nothing is sent.
func (e *Engine) PreviewCreditNotes(ctx context.Context, orderID int) ([]DocumentPreview, error) {
	o, opt, books, err := e.previewBasis(ctx, orderID)
	if err != nil {
		return nil, err
	}
	var returns []opencart.Return
	for ret, err := range e.cfg.Store.Returns(ctx, opencart.ReturnFilter{OrderIDs: []int{orderID}}) {
		if err != nil {
			return nil, err
		}
		returns = append(returns, ret)
	}
	coupons, err := e.cfg.Store.OrderCoupons(ctx, []int{orderID})
	if err != nil {
		return nil, err
	}
	ledger := mapping.OrderLedger(o, returns, coupons[orderID], opt)
	notes, _ := ledger.Notes(nil, opt, books)
	keys := make([]string, len(notes))
	for i, n := range notes {
		keys[i] = reasonKey(orderID, n.Reason)
	}
	// What a run would send for the reasons not in Xero yet: the ledger
	// less what the kept credit notes credit (as creditNotes does).
	ol := &orderLedger{order: o, ledger: ledger}
	if ol.sent, err = e.cfg.History.CreditNotesOf(ctx, []int{orderID}); err != nil {
		return nil, err
	}
	all := append([]string{history.RefundKey(orderID)}, keys...)
	for key := range ol.sent {
		all = append(all, key)
	}
	slices.Sort(all)
	if ol.recs, err = e.cfg.History.RecordsFor(ctx, history.KindCreditNote, slices.Compact(all)); err != nil {
		return nil, err
	}
	recs := ol.recs
	toSend := map[string]mapping.NewNote{}
	if kept := ol.kept(); len(kept) > 0 {
		fresh, _ := ledger.Notes(kept, opt, books)
		for _, n := range fresh {
			toSend[reasonKey(orderID, n.Reason)] = n
		}
	}
	excluded := e.cfg.Settings.Excluded(o.StatusID, o.Status, o.DateAdded)
	out := make([]DocumentPreview, len(notes))
	var ids []string
	for i, n := range notes {
		title := "Credit note for the order's refund status"
		if !n.Reason.Refund() {
			title = fmt.Sprintf("Credit note for return %d", n.Reason.ReturnID)
		}
		rec, ok := recs[keys[i]]
		if !ok {
			rec = history.Record{Kind: history.KindCreditNote, OpenCartID: keys[i]}
		}
		if fresh, ok := toSend[keys[i]]; ok && !keptRecord(rec) {
			n = fresh // not in Xero yet: what the run sends beside the kept ones
		}
		if keptRecord(rec) {
			n.Note = ol.intended(rec, n.Note)
			notes[i].Note = n.Note
		}
		out[i] = DocumentPreview{Kind: history.KindCreditNote, Key: keys[i], Title: title, Document: n.Note,
			Currency: n.Note.CurrencyCode, Amount: money(mapping.XeroTotal(n.Note.LineItems)),
			Problems: append(slices.Clone(ledger.Problems), n.Problems...), Record: rec, Excluded: excluded, TaxNames: e.taxNames(ctx)}
		if len(n.Note.LineItems) == 0 && len(n.CoveredBy) > 0 {
			out[i].Document, out[i].Currency = nil, strings.ToUpper(o.CurrencyCode)
			out[i].Skipped = "nothing left to credit: " + strings.Join(n.CoveredBy, ", ") + " in Xero already credit it"
		}
		if keptRecord(rec) {
			ids = append(ids, rec.XeroID)
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	held, xerr := e.heldCreditNotes(ctx, ids)
	for i := range out {
		p := &out[i]
		if !keptRecord(p.Record) {
			continue
		}
		if xerr != nil {
			p.XeroError = xerr.Error()
			continue
		}
		cn, ok := held[strings.ToLower(p.Record.XeroID)]
		if !ok {
			p.XeroError = "Xero has no credit note " + p.Record.XeroNumber + " any more"
			continue
		}
		p.InXero = cn
		p.Differences = documentDifferences(docOf(notes[i].Note), docOf(cn))
	}
	return out, nil
}

// intended is what a credit note in Xero should hold: its reason's note
// as the ledger makes it now (now) when that credits what the note was
// sent with, so that a change of settings shows; otherwise the lines it
// was sent with. A ledger that splits G differently since (a return
// recorded after the refund status was credited in full, which the
// refund's note covers) is no difference in the note: the split of a
// note already sent is kept, and the run never sends it again.
func (l *orderLedger) intended(rec history.Record, now xero.CreditNote) xero.CreditNote {
	sent, ok := l.sent[rec.OpenCartID]
	if !ok {
		return now // sent before its lines were kept
	}
	var lines []xero.LineItem
	if err := json.Unmarshal([]byte(sent.Lines), &lines); err != nil || len(lines) == 0 {
		return now
	}
	if len(now.LineItems) > 0 && mapping.XeroTotal(lines).Equal(mapping.XeroTotal(now.LineItems)) {
		return now
	}
	now.LineItems = lines
	return now
}

// heldCreditNotes reads credit notes by their Xero ids, in one call.
func (e *Engine) heldCreditNotes(ctx context.Context, ids []string) (map[string]xero.CreditNote, error) {
	if e.cfg.Xero == nil {
		return nil, errNoXero
	}
	cns, err := e.cfg.Xero.CreditNotes(ctx, xero.CreditNoteQuery{IDs: ids})
	if err != nil {
		return nil, err
	}
	out := map[string]xero.CreditNote{}
	for _, cn := range cns {
		out[strings.ToLower(cn.CreditNoteID)] = cn
	}
	return out, nil
}

// errNoXero is why what Xero holds is not shown without a connection.
var errNoXero = errors.New("not connected to Xero: what Xero holds cannot be read")

// PreviewPayment maps an order's payment as it would be sent now (or why
// none would be), beside what Xero holds when it was exported. Nothing is
// sent.
func (e *Engine) PreviewPayment(ctx context.Context, orderID int) (DocumentPreview, error) {
	o, opt, books, err := e.previewBasis(ctx, orderID)
	if err != nil {
		return DocumentPreview{}, err
	}
	key := history.OrderKey(orderID)
	p := DocumentPreview{Kind: history.KindPayment, Key: key, Title: "Payment of the invoice",
		Currency: strings.ToUpper(o.CurrencyCode), Excluded: e.cfg.Settings.Excluded(o.StatusID, o.Status, o.DateAdded)}
	if p.Record, err = e.cfg.History.RecordFor(ctx, history.KindPayment, key); err != nil && !errors.Is(err, history.ErrNotFound) {
		return p, err
	}
	pay, skipped, ps := mapping.Payment(o, opt, books)
	p.Problems = ps
	if pay == nil {
		p.Skipped = strings.TrimPrefix(skipped, "skipped: ")
	} else {
		if inv, err := e.cfg.History.RecordFor(ctx, history.KindInvoice, key); err == nil && inv.XeroID != "" {
			pay.Invoice = &xero.InvoiceRef{InvoiceID: inv.XeroID, InvoiceNumber: inv.XeroNumber}
		}
		p.Document, p.Amount = *pay, money(pay.Amount.Decimal())
		if p.Record.State != history.StateExported && pay.Invoice != nil {
			e.dueNow(ctx, &p, *pay)
		}
	}
	if p.Record.XeroID == "" || p.Record.State != history.StateExported {
		return p, nil
	}
	if e.cfg.Xero == nil {
		p.XeroError = errNoXero.Error()
		return p, nil
	}
	held, err := e.cfg.Xero.Payments(ctx, "PaymentID==Guid("+xero.WhereQuote(p.Record.XeroID)+")")
	switch {
	case err != nil:
		p.XeroError = err.Error()
	case len(held) == 0:
		p.XeroError = "Xero has no such payment any more"
	default:
		p.InXero = held[0]
		if pay != nil {
			p.Differences = paymentDifferences(*pay, held[0])
		}
	}
	return p, nil
}

// dueNow makes a payment not yet sent what a run would send now: it reads
// the invoice as Xero holds it and applies payAgainst, so a preview shows
// what is still due, or why nothing would be sent.
func (e *Engine) dueNow(ctx context.Context, p *DocumentPreview, pay xero.Payment) {
	if e.cfg.Xero == nil {
		p.XeroError = errNoXero.Error()
		return
	}
	states, err := e.cfg.Xero.InvoiceStates(ctx, []string{pay.Invoice.InvoiceID})
	if err != nil {
		p.XeroError = err.Error()
		return
	}
	inv, ok := states[strings.ToLower(pay.Invoice.InvoiceID)]
	number := pay.Invoice.InvoiceNumber
	if inv.InvoiceNumber != "" {
		number = inv.InvoiceNumber
	}
	if !ok {
		p.XeroError = "Xero has no invoice " + number + " any more"
		return
	}
	due := payAgainst(inv, number, pay.Amount.Decimal())
	switch {
	case due.settle != "":
		p.Document, p.Skipped = nil, strings.TrimPrefix(due.settle, settledPrefix)
	case due.skip != "":
		p.Document, p.Skipped = nil, strings.TrimPrefix(due.skip, "skipped: ")
	case due.note != "":
		pay.Amount = xero.NewAmount(due.amount)
		p.Document, p.Amount, p.Note = pay, money(due.amount), due.note
	}
}

// heldInvoice reads an exported invoice by its Xero id and compares it
// with the one that would be sent now.
func (e *Engine) heldInvoice(ctx context.Context, p *Preview) {
	if p.Record.XeroID == "" {
		return
	}
	if e.cfg.Xero == nil {
		p.XeroError = errNoXero.Error()
		return
	}
	invs, err := e.cfg.Xero.Invoices(ctx, xero.InvoiceQuery{IDs: []string{p.Record.XeroID}})
	switch {
	case err != nil:
		p.XeroError = err.Error()
	case len(invs) == 0:
		p.XeroError = "Xero has no invoice " + p.Record.XeroNumber + " any more"
	default:
		p.InXero = &invs[0]
		p.Differences = documentDifferences(docOf(p.Invoice), docOf(invs[0]))
	}
}

// doc is what an invoice and a credit note have in common for comparing.
type doc struct {
	date      xero.Date
	reference string
	currency  string
	contact   string
	lines     []xero.LineItem
}

func docOf(d any) doc {
	number := func(c *xero.Contact) string {
		if c == nil {
			return ""
		}
		return c.ContactNumber
	}
	switch v := d.(type) {
	case xero.Invoice:
		return doc{v.Date, v.Reference, v.CurrencyCode, number(v.Contact), v.LineItems}
	case xero.CreditNote:
		return doc{v.Date, v.Reference, v.CurrencyCode, number(v.Contact), v.LineItems}
	}
	return doc{}
}

// documentDifferences says, field by field, where what would be sent now
// (now) and what Xero holds (held) differ.
func documentDifferences(now, held doc) []string {
	var out []string
	diff := func(what, x, n string) {
		if x != n {
			out = append(out, fmt.Sprintf("%s: Xero has %s, now %s", what, orNone(x), orNone(n)))
		}
	}
	diff("Date", dateText(held.date), dateText(now.date))
	diff("Reference", held.reference, now.reference)
	diff("Currency", strings.ToUpper(held.currency), strings.ToUpper(now.currency))
	if held.contact != "" && now.contact != "" {
		diff("Contact", held.contact, now.contact)
	}
	diff("Total", money(mapping.XeroTotal(held.lines)), money(mapping.XeroTotal(now.lines)))
	if len(held.lines) != len(now.lines) {
		out = append(out, fmt.Sprintf("Lines: Xero has %d, now %d", len(held.lines), len(now.lines)))
	}
	for i := range min(len(held.lines), len(now.lines)) {
		h, n := held.lines[i], now.lines[i]
		at := fmt.Sprintf("Line %d ", i+1)
		diff(at+"description", h.Description, n.Description)
		diff(at+"quantity", amountText(h.Quantity), amountText(n.Quantity))
		diff(at+"unit price", amountText(h.UnitAmount), amountText(n.UnitAmount))
		diff(at+"account", h.AccountCode, n.AccountCode)
		diff(at+"tax type", h.TaxType, n.TaxType)
		diff(at+"tax", amountText(h.TaxAmount), amountText(n.TaxAmount))
		diff(at+"amount", amountText(h.LineAmount), amountText(n.LineAmount))
	}
	return out
}

// paymentDifferences compares a payment that would be sent now with the
// one Xero holds.
func paymentDifferences(now, held xero.Payment) []string {
	var out []string
	if !now.Amount.Decimal().Equal(held.Amount.Decimal()) {
		out = append(out, fmt.Sprintf("Amount: Xero has %s, now %s", money(held.Amount.Decimal()), money(now.Amount.Decimal())))
	}
	if a, b := dateText(held.Date), dateText(now.Date); a != b {
		out = append(out, fmt.Sprintf("Date: Xero has %s, now %s", orNone(a), orNone(b)))
	}
	code := func(a *xero.AccountRef) string {
		if a == nil {
			return ""
		}
		return a.Code
	}
	if a, b := code(held.Account), code(now.Account); a != "" && b != "" && a != b {
		out = append(out, fmt.Sprintf("Account: Xero has %s, now %s", a, b))
	}
	return out
}

func dateText(d xero.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Format("2006-01-02")
}

// amountText writes an amount so that 10 and 10.0000 read the same.
func amountText(a xero.Amount) string {
	if !a.Given() {
		return ""
	}
	return a.Decimal().Round(4).String()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// CreditedAmounts is, per order, what its refunds ledger credits (every
// reason: returns giving money back and the refund status), in the order
// currency, as the credit-note grid shows it beside each order; orders
// whose ledger credits nothing are left out. Nothing is sent.
func (e *Engine) CreditedAmounts(ctx context.Context, orderIDs []int) (map[int]string, error) {
	out := map[int]string{}
	if len(orderIDs) == 0 {
		return out, nil
	}
	e.cfg.Store.SetTaxNumberFields(e.cfg.Settings.TaxNumberFields)
	places, err := e.cfg.Store.TaxPlaces(ctx)
	if err != nil {
		return nil, err
	}
	opt := e.cfg.Settings.MappingOptions()
	opt.Places = &places
	returns := map[int][]opencart.Return{}
	for ret, err := range e.cfg.Store.Returns(ctx, opencart.ReturnFilter{OrderIDs: orderIDs}) {
		if err != nil {
			return nil, err
		}
		returns[ret.OrderID] = append(returns[ret.OrderID], ret)
	}
	coupons, err := e.cfg.Store.OrderCoupons(ctx, orderIDs)
	if err != nil {
		return nil, err
	}
	for o, err := range e.cfg.Store.Orders(ctx, opencart.OrderFilter{IDs: orderIDs}) {
		if err != nil {
			return nil, err
		}
		l := mapping.OrderLedger(o, returns[o.ID], coupons[o.ID], opt)
		var lines []xero.LineItem
		for _, r := range l.Reasons {
			lines = append(lines, r.Lines...)
		}
		if len(lines) > 0 {
			out[o.ID] = money(mapping.XeroTotal(lines))
		}
	}
	return out, nil
}
