// Package reconcile answers the month-end question "does Xero still hold
// what the shop sold?": it reads a period's orders from OpenCart, reads
// back this profile's documents of the period from Xero, and compares both
// with the export history, document by document and in totals per
// currency. It only reads: nothing is sent to Xero and nothing is written
// to the history.
package reconcile

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// Problem names what is wrong with one document.
type Problem string

// The problems a reconciliation finds, in the bookkeeper's words.
const (
	// MissingInXero: an order of the period that should be in Xero is not
	// (never exported, or exported and gone).
	MissingInXero Problem = "missing_in_xero"
	// DeletedInXero: the document was deleted in Xero.
	DeletedInXero Problem = "deleted_in_xero"
	// VoidedInXero: the document was voided in Xero.
	VoidedInXero Problem = "voided_in_xero"
	// TotalDiffers: Xero's total is not OpenCart's.
	TotalDiffers Problem = "total_differs"
	// ContactDiffers: the invoice is on another contact than the customer's.
	ContactDiffers Problem = "contact_differs"
	// PaidInXeroNotInOpenCart: Xero has money on an invoice whose order is not paid.
	PaidInXeroNotInOpenCart Problem = "paid_in_xero_not_in_opencart"
	// PaymentDiffers: the order is paid, and Xero holds another amount paid.
	PaymentDiffers Problem = "payment_differs"
	// NotInOpenCart: a document with this profile's number in Xero with no
	// OpenCart record behind it.
	NotInOpenCart Problem = "not_in_opencart"
	// FailedNotSent: the export failed (or got no answer) and the document
	// was never sent.
	FailedNotSent Problem = "failed_not_sent"
)

// Problems lists every problem in the order reports show them.
var Problems = []Problem{MissingInXero, DeletedInXero, VoidedInXero, TotalDiffers, ContactDiffers,
	PaidInXeroNotInOpenCart, PaymentDiffers, NotInOpenCart, FailedNotSent}

// Difference is one problem with one document.
type Difference struct {
	// Kind is the document: history.KindInvoice or history.KindCreditNote.
	Kind string `json:"kind"`
	// OpenCartID is the history key: the order id, "order-N", "return-N";
	// "" for a document with no OpenCart record.
	OpenCartID    string  `json:"opencart_id"`
	Number        string  `json:"number"`
	Problem       Problem `json:"problem"`
	OpenCartTotal string  `json:"opencart_total"`
	XeroTotal     string  `json:"xero_total"`
	Currency      string  `json:"currency"`
	Detail        string  `json:"detail"`
	// XeroID is the document's id in Xero ("" when Xero has none), for a
	// link to it.
	XeroID string `json:"-"`
	// Sent is set on a document missing in Xero that the history says was
	// exported: sending it again is a remedy (remedies.go).
	Sent bool `json:"-"`
}

// Figure is one amount as OpenCart and Xero have it.
type Figure struct {
	OpenCart decimal.Decimal `json:"opencart"`
	Xero     decimal.Decimal `json:"xero"`
}

// Difference is Xero's amount less OpenCart's.
func (f Figure) Difference() decimal.Decimal { return f.Xero.Sub(f.OpenCart) }

// Totals are one currency's figures for the period.
type Totals struct {
	Currency string `json:"currency"`
	// Sales is the invoices' totals (tax included).
	Sales Figure `json:"sales"`
	// VAT is the tax per Xero tax type.
	VAT map[string]Figure `json:"vat"`
	// Shipping and Discounts are the lines on the shipping and discount
	// accounts, before tax.
	Shipping  Figure `json:"shipping"`
	Discounts Figure `json:"discounts"`
	// Refunds is the credit notes' totals.
	Refunds Figure `json:"refunds"`
	// Payments is what was paid on the period's invoices.
	Payments Figure `json:"payments"`
}

// Report is a period's reconciliation.
type Report struct {
	Period Period
	// TimeZone is the shop's, in which the period's days are counted.
	TimeZone    string
	Differences []Difference
	Totals      []Totals // by currency code
	// TaxNames are the tax types by Xero's display name ("20% (VAT on
	// Income)" for OUTPUT2), from what the last export read; VATLabel.
	TaxNames map[string]string `json:"-"`
	// Orders is how many orders of the period were compared; Invoices and
	// CreditNotes how many documents Xero holds for the period.
	Orders, Invoices, CreditNotes int
	// Calls is how many calls were made to Xero.
	Calls int
	// Accepted counts the differences left out because the bookkeeper
	// accepted them as Xero has them (remedies.go).
	Accepted int
}

// Count is how many differences have the problem.
func (r *Report) Count(p Problem) int {
	n := 0
	for _, d := range r.Differences {
		if d.Problem == p {
			n++
		}
	}
	return n
}

// Clean reports whether OpenCart, the history and Xero agree.
func (r *Report) Clean() bool {
	if len(r.Differences) > 0 {
		return false
	}
	for _, t := range r.Totals {
		for _, f := range t.figures() {
			if !f.Difference().IsZero() {
				return false
			}
		}
	}
	return true
}

func (t Totals) figures() []Figure {
	out := []Figure{t.Sales, t.Shipping, t.Discounts, t.Refunds, t.Payments}
	for _, f := range t.VAT {
		out = append(out, f)
	}
	return out
}

// Config is what a reconciliation reads.
type Config struct {
	Store    *opencart.Reader
	Xero     *xero.Client
	History  *history.Store
	Settings export.Settings
	// CachePath, when set, is a file that keeps the documents read back, so
	// that a repeat run over the same period asks Xero only for what
	// changed since (If-Modified-Since). "" reads everything every time.
	CachePath string
	// Now is the clock; nil = time.Now.
	Now func() time.Time
}

// Run reconciles the period.
func Run(ctx context.Context, cfg Config, p Period) (*Report, error) {
	if cfg.Store == nil || cfg.Xero == nil || cfg.History == nil {
		return nil, errors.New("reconcile: the shop, Xero and the history are all needed")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	calls0 := cfg.Xero.Calls()
	rc := &reconciliation{cfg: cfg, opt: cfg.Settings.MappingOptions(), rep: &Report{Period: p}, names: names{}, refunds: map[string]bool{}, totals: map[string]*Totals{}}
	rc.rep.TaxNames = export.TaxNames(ctx, cfg.History, cfg.Xero.Tenant())
	if err := rc.readShop(ctx); err != nil {
		return nil, err
	}
	if err := rc.readXero(ctx); err != nil {
		return nil, err
	}
	if err := rc.compareInvoices(ctx); err != nil {
		return nil, err
	}
	if err := rc.compareCreditNotes(ctx); err != nil {
		return nil, err
	}
	rc.finish()
	if err := dropAccepted(ctx, cfg.History, rc.rep); err != nil {
		return nil, err
	}
	rc.rep.Calls = int(cfg.Xero.Calls() - calls0)
	return rc.rep, nil
}

// reconciliation is the state of one Run. It holds no order beyond the
// batch being compared, and of Xero's documents only what the comparison
// uses (documents.go).
type reconciliation struct {
	cfg   Config
	opt   mapping.Options
	books mapping.Books
	rep   *Report
	names names

	take       []int           // the order statuses an export takes
	withdrawn  map[string]bool // invoice numbers of the period's orders never exported (cancelled and the like)
	refunds    map[string]bool // refund keys of the period's orders
	invoices   []document
	notes      []document
	invoiceIDs map[string]bool // Xero invoices matched to an order
	totals     map[string]*Totals
}

func (rc *reconciliation) currency(code string) *Totals {
	t := rc.totals[code]
	if t == nil {
		t = &Totals{Currency: code, VAT: map[string]Figure{}}
		rc.totals[code] = t
	}
	return t
}

func (rc *reconciliation) differ(d Difference) { rc.rep.Differences = append(rc.rep.Differences, d) }

// readShop reads the shop's settings and the numbers of the period's orders
// an export never takes (their withdrawn invoices are expected); the orders
// it takes are read batch by batch as they are compared (compareInvoices).
func (rc *reconciliation) readShop(ctx context.Context) error {
	st := rc.cfg.Store
	settings, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	// The shop's tax geography gives untaxed sales the tax type an export
	// gave them (mapping's VAT classes).
	places, err := st.TaxPlaces(ctx)
	if err != nil {
		return err
	}
	rc.opt.Places = &places
	rc.rep.TimeZone = settings.Timezone
	if rc.rep.TimeZone == "" {
		rc.rep.TimeZone = "UTC"
	}
	currencies, err := st.Currencies(ctx)
	if err != nil {
		return err
	}
	for _, c := range currencies {
		if c.Value.Equal(decimal.NewFromInt(1)) {
			rc.books.ShopCurrency = c.Code
			break
		}
	}
	statuses, err := st.OrderStatuses(ctx)
	if err != nil {
		return err
	}
	var leave []int
	for _, s := range statuses {
		switch {
		case s.ID == 0:
		case slices.Contains(rc.cfg.Settings.SkipStatusIDs, s.ID):
			leave = append(leave, s.ID)
		default:
			rc.take = append(rc.take, s.ID)
		}
	}
	p := rc.rep.Period
	rc.withdrawn = map[string]bool{}
	if len(leave) > 0 {
		list, err := st.OrderList(ctx, opencart.OrderFilter{StatusIDs: leave, Since: p.Since, Until: p.Until}, opencart.ListOptions{})
		if err != nil {
			return err
		}
		for _, o := range list {
			n, _ := rc.opt.InvoiceNumberFor(o)
			rc.withdrawn[strings.ToUpper(n)] = true
		}
	}
	return nil
}

// compareBatch is the most orders compared at once: their history records
// are read in one query (SQLite takes 500 keys a statement).
const compareBatch = 500

// sale is what the comparison needs of one order of the period.
type sale struct {
	key, number string
	status      string // the order's status in OpenCart
	rec         history.Record
	found       bool // the history has rec
	// contactID and contactNumber are the customer's contact in Xero, as
	// the history has it ("" when it has none).
	contactID, contactNumber string
	expected, paid           decimal.Decimal
	currency                 string
}

// invoiceIndex finds the Xero invoice of an order: by the Xero id the
// history holds, else by its number.
type invoiceIndex struct {
	byID, byNumber map[string]*document
}

func newInvoiceIndex(docs []document) invoiceIndex {
	ix := invoiceIndex{byID: make(map[string]*document, len(docs)), byNumber: make(map[string]*document, len(docs))}
	for i := range docs {
		ix.byID[strings.ToLower(docs[i].ID)] = &docs[i]
		ix.byNumber[strings.ToUpper(docs[i].Number)] = &docs[i]
	}
	return ix
}

func (ix invoiceIndex) find(s *sale) *document {
	if s.found && s.rec.XeroID != "" {
		if d := ix.byID[strings.ToLower(s.rec.XeroID)]; d != nil {
			return d
		}
	}
	return ix.byNumber[strings.ToUpper(s.number)]
}

// compareInvoices compares each order of the period with its invoice in
// Xero, a batch of orders at a time as the shop's pages arrive, then lists
// Xero's invoices no order accounts for.
func (rc *reconciliation) compareInvoices(ctx context.Context) error {
	ix := newInvoiceIndex(rc.invoices)
	rc.invoiceIDs = map[string]bool{}
	// Invoices not found in the period may have been re-dated in Xero:
	// the orders are kept aside and looked up by id and number, all at
	// once, before they are called missing.
	var pending []sale
	if len(rc.take) > 0 {
		size := min(compareBatch, rc.cfg.Store.PageSize())
		p := rc.rep.Period
		for page, err := range rc.cfg.Store.OrderPages(ctx, opencart.OrderFilter{StatusIDs: rc.take, Since: p.Since, Until: p.Until}) {
			if err != nil {
				return err
			}
			for len(page) > 0 {
				n := min(size, len(page))
				var err error
				if pending, err = rc.compareOrders(ctx, ix, page[:n], pending); err != nil {
					return err
				}
				page = page[n:]
			}
		}
	}
	if len(pending) > 0 {
		var lookIDs, lookNumbers []string
		for i := range pending {
			if s := &pending[i]; s.found && s.rec.XeroID != "" {
				lookIDs = append(lookIDs, s.rec.XeroID)
			} else {
				lookNumbers = append(lookNumbers, s.number)
			}
		}
		extra, err := rc.lookUpInvoices(ctx, lookIDs, lookNumbers)
		if err != nil {
			return err
		}
		for i := range extra {
			d := &extra[i]
			ix.byID[strings.ToLower(d.ID)] = d
			if ix.byNumber[strings.ToUpper(d.Number)] == nil {
				ix.byNumber[strings.ToUpper(d.Number)] = d
			}
		}
		for i := range pending {
			rc.compareSale(&pending[i], ix.find(&pending[i]))
		}
	}

	renewals, err := rc.renewalInvoices(ctx) // renewals.go
	if err != nil {
		return err
	}
	for i := range rc.invoices {
		inv := &rc.invoices[i]
		id := strings.ToLower(inv.ID)
		if rec, ok := renewals[id]; ok && !rc.invoiceIDs[id] {
			rc.addRenewal(rec, inv)
			continue
		}
		if rc.invoiceIDs[id] || rc.withdrawn[strings.ToUpper(inv.Number)] {
			continue
		}
		if inv.withdrawn() {
			continue // nothing in the books, and nothing OpenCart needs
		}
		rc.differ(Difference{Kind: history.KindInvoice, Number: inv.Number, Problem: NotInOpenCart, XeroID: inv.ID,
			XeroTotal: money(inv.Total), Currency: inv.Currency,
			Detail: "an invoice with this profile's numbering in Xero that no OpenCart order of the period accounts for"})
	}
	return nil
}

// compareOrders compares one batch of orders with their invoices; the
// orders whose invoice is not among those read back are added to pending.
func (rc *reconciliation) compareOrders(ctx context.Context, ix invoiceIndex, orders []opencart.Order, pending []sale) ([]sale, error) {
	h := rc.cfg.History
	keys := make([]string, len(orders))
	contactKeys := make([]string, len(orders))
	for i, o := range orders {
		keys[i] = history.OrderKey(o.ID)
		contactKeys[i] = rc.opt.ContactKey(o)
	}
	recs, err := h.RecordsFor(ctx, history.KindInvoice, keys)
	if err != nil {
		return nil, err
	}
	contacts, err := h.RecordsFor(ctx, history.KindContact, contactKeys)
	if err != nil {
		return nil, err
	}
	for i, o := range orders {
		rc.rep.Orders++
		rc.refunds[history.RefundKey(o.ID)] = true
		s := sale{key: keys[i], status: o.Status}
		s.rec, s.found = recs[s.key]
		s.number = export.InvoiceNumber(rc.opt, o, s.rec)
		if c, ok := contacts[contactKeys[i]]; ok {
			s.contactID, s.contactNumber = c.XeroID, c.XeroNumber
		}
		doc, _ := mapping.Invoice(o, rc.opt, rc.books)
		s.expected, s.currency = mapping.ExpectedTotal(o), doc.CurrencyCode
		rc.addShopTotals(doc, s.expected)
		if pay, _, _ := mapping.Payment(o, rc.opt, rc.books); pay != nil {
			s.paid = pay.Amount.Decimal()
		}
		inv := ix.find(&s)
		if inv == nil && (!s.found || s.rec.XeroID != "" || s.rec.State != history.StateFailed) {
			pending = append(pending, s)
			continue
		}
		rc.compareSale(&s, inv)
	}
	return pending, nil
}

// compareSale compares one order with its invoice in Xero (nil: none).
func (rc *reconciliation) compareSale(s *sale, inv *document) {
	rec, found := s.rec, s.found
	d := Difference{Kind: history.KindInvoice, OpenCartID: s.key, Number: s.number, OpenCartTotal: money(s.expected), Currency: s.currency}
	if inv != nil {
		rc.invoiceIDs[strings.ToLower(inv.ID)] = true
		d.Number, d.XeroID, d.XeroTotal = inv.Number, inv.ID, money(inv.Total)
	}
	switch {
	case inv == nil && found && (rec.State == history.StateFailed || rec.State == history.StateSending):
		d.Problem, d.Detail = FailedNotSent, rec.Error
		rc.differ(d)
		return
	case inv == nil && found && rec.XeroID != "":
		d.Problem, d.Sent, d.Detail = MissingInXero, true, fmt.Sprintf("exported in run %d as %s, but Xero no longer has it", rec.RunID, rec.XeroNumber)
		rc.differ(d)
		return
	case inv == nil && found:
		d.Problem, d.Detail = MissingInXero, "not exported ("+rec.State+"): "+rec.Error
		rc.differ(d)
		return
	case inv == nil:
		d.Problem, d.Detail = MissingInXero, "never exported"
		rc.differ(d)
		return
	case inv.Status == xero.StatusDeleted:
		d.Problem, d.Detail = DeletedInXero, "deleted in Xero; the order is still "+s.status+" in OpenCart"
		rc.differ(d)
		return
	case inv.Status == xero.StatusVoided:
		d.Problem, d.Detail = VoidedInXero, "voided in Xero; the order is still "+s.status+" in OpenCart"
		rc.differ(d)
		return
	}
	if !inv.Total.Equal(s.expected) {
		d.Problem, d.Detail = TotalDiffers, fmt.Sprintf("OpenCart shows %s, Xero %s", money(s.expected), money(inv.Total))
		rc.differ(d)
	}
	if s.contactID != "" && inv.ContactID != "" && !strings.EqualFold(s.contactID, inv.ContactID) {
		cd := d
		cd.Problem, cd.Detail = ContactDiffers, fmt.Sprintf("the invoice is on %q in Xero, not on the customer's contact %s", inv.ContactName, s.contactNumber)
		rc.differ(cd)
	}
	shopPaid, xeroPaid := s.paid, inv.Paid
	t := rc.currency(s.currency)
	t.Payments.OpenCart = t.Payments.OpenCart.Add(shopPaid)
	switch {
	case shopPaid.IsZero() && xeroPaid.IsPositive():
		pd := d
		pd.Problem, pd.Detail = PaidInXeroNotInOpenCart, fmt.Sprintf("%s paid in Xero; the order is %s in OpenCart", money(xeroPaid), s.status)
		rc.differ(pd)
	case shopPaid.IsPositive() && !xeroPaid.Equal(shopPaid):
		pd := d
		pd.Problem, pd.Detail = PaymentDiffers, fmt.Sprintf("paid %s in OpenCart, %s in Xero", money(shopPaid), money(xeroPaid))
		rc.differ(pd)
	}
}

// compareCreditNotes compares Xero's credit notes of the period with the
// credit notes the history says were exported.
func (rc *reconciliation) compareCreditNotes(ctx context.Context) error {
	all, err := rc.cfg.History.Records(ctx, history.RecordFilter{Kind: history.KindCreditNote})
	if err != nil {
		return err
	}
	byXeroID := map[string]history.Record{}
	for _, r := range all {
		if r.XeroID != "" {
			byXeroID[strings.ToLower(r.XeroID)] = r
		}
	}
	seen := map[string]bool{}
	for i := range rc.notes {
		cn := &rc.notes[i]
		rec, ok := byXeroID[strings.ToLower(cn.ID)]
		seen[strings.ToLower(cn.ID)] = true
		d := Difference{Kind: history.KindCreditNote, OpenCartID: rec.OpenCartID, Number: cn.Number, XeroID: cn.ID,
			OpenCartTotal: rec.OpenCartTotal, XeroTotal: money(cn.Total), Currency: cn.Currency}
		active := !cn.withdrawn()
		withdrawnByUs := rec.State == history.StateVoided || rec.State == history.StateDeleted
		if ok && !withdrawnByUs {
			t := rc.currency(cn.Currency)
			t.Refunds.OpenCart = t.Refunds.OpenCart.Add(dec(rec.OpenCartTotal))
		}
		switch {
		case !ok && active:
			d.Problem, d.Detail = NotInOpenCart, "a credit note with this profile's numbering in Xero that no exported refund or return accounts for"
		case !ok || withdrawnByUs:
			continue
		case cn.Status == xero.StatusDeleted:
			d.Problem, d.Detail = DeletedInXero, "deleted in Xero"
		case cn.Status == xero.StatusVoided:
			d.Problem, d.Detail = VoidedInXero, "voided in Xero"
		case rec.OpenCartTotal != "" && !dec(rec.OpenCartTotal).Equal(cn.Total):
			d.Problem, d.Detail = TotalDiffers, fmt.Sprintf("OpenCart shows %s, Xero %s", money(dec(rec.OpenCartTotal)), money(cn.Total))
		default:
			continue
		}
		rc.differ(d)
	}
	// Credit notes of the period's orders the history has and Xero does not.
	ours := rc.refunds
	var look []history.Record
	for _, r := range all {
		switch {
		case !ours[r.OpenCartID]:
		case r.State == history.StateFailed || r.State == history.StateSending:
			rc.differ(Difference{Kind: history.KindCreditNote, OpenCartID: r.OpenCartID, Number: r.XeroNumber, Problem: FailedNotSent,
				OpenCartTotal: r.OpenCartTotal, Currency: r.Currency, Detail: r.Error})
		case r.XeroID != "" && r.State == history.StateExported && !seen[strings.ToLower(r.XeroID)]:
			look = append(look, r)
		}
	}
	if len(look) == 0 {
		return nil
	}
	ids := make([]string, len(look))
	for i, r := range look {
		ids[i] = r.XeroID
	}
	found, err := rc.cfg.Xero.CreditNotes(ctx, xero.CreditNoteQuery{IDs: ids})
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, cn := range found {
		have[strings.ToLower(cn.CreditNoteID)] = true
	}
	for _, r := range look {
		if !have[strings.ToLower(r.XeroID)] {
			rc.differ(Difference{Kind: history.KindCreditNote, OpenCartID: r.OpenCartID, Number: r.XeroNumber, Problem: MissingInXero, Sent: true,
				OpenCartTotal: r.OpenCartTotal, Currency: r.Currency, Detail: fmt.Sprintf("exported in run %d, but Xero no longer has it", r.RunID)})
		}
	}
	return nil
}

// addShopTotals adds an order to OpenCart's side of the totals.
func (rc *reconciliation) addShopTotals(doc xero.Invoice, expected decimal.Decimal) {
	t := rc.currency(doc.CurrencyCode)
	t.Sales.OpenCart = t.Sales.OpenCart.Add(expected)
	for _, ln := range doc.LineItems {
		rc.addLine(t, ln, true)
	}
}

// addLine adds one line's tax, shipping and discount to a side of the totals.
func (rc *reconciliation) addLine(t *Totals, ln xero.LineItem, shop bool) {
	side := func(f Figure, v decimal.Decimal) Figure {
		if shop {
			f.OpenCart = f.OpenCart.Add(v)
		} else {
			f.Xero = f.Xero.Add(v)
		}
		return f
	}
	if tax := ln.TaxAmount.Decimal(); !tax.IsZero() || ln.TaxType != "" {
		t.VAT[ln.TaxType] = side(t.VAT[ln.TaxType], tax)
	}
	amount := ln.LineAmount.Decimal()
	if !ln.LineAmount.Given() {
		amount = ln.Quantity.Decimal().Mul(ln.UnitAmount.Decimal()).Round(2)
	}
	acc := rc.opt.Accounts
	switch {
	case ln.AccountCode == "":
	case strings.EqualFold(ln.AccountCode, acc.Shipping):
		t.Shipping = side(t.Shipping, amount)
	case strings.EqualFold(ln.AccountCode, acc.Discounts):
		t.Discounts = side(t.Discounts, amount)
	}
}

// finish adds Xero's side of the totals and sorts the report.
func (rc *reconciliation) finish() {
	for i := range rc.invoices {
		inv := &rc.invoices[i]
		if inv.withdrawn() || rc.withdrawn[strings.ToUpper(inv.Number)] {
			continue
		}
		t := rc.currency(inv.Currency)
		t.Sales.Xero = t.Sales.Xero.Add(inv.Total)
		t.Payments.Xero = t.Payments.Xero.Add(inv.Paid)
		rc.addShares(t, inv, false)
	}
	for i := range rc.notes {
		cn := &rc.notes[i]
		if cn.withdrawn() {
			continue
		}
		t := rc.currency(cn.Currency)
		t.Refunds.Xero = t.Refunds.Xero.Add(cn.Total)
	}
	codes := make([]string, 0, len(rc.totals))
	for c := range rc.totals {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		rc.rep.Totals = append(rc.rep.Totals, *rc.totals[c])
	}
	rank := map[Problem]int{}
	for i, p := range Problems {
		rank[p] = i
	}
	sort.SliceStable(rc.rep.Differences, func(i, j int) bool {
		a, b := rc.rep.Differences[i], rc.rep.Differences[j]
		if a.Kind != b.Kind {
			return a.Kind > b.Kind // invoices first
		}
		if a.Number != b.Number {
			return a.Number < b.Number
		}
		return rank[a.Problem] < rank[b.Problem]
	})
}

func money(d decimal.Decimal) string { return d.StringFixed(2) }

func dec(s string) decimal.Decimal {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero
	}
	return d
}

// VATLabel names a tax type's VAT row as the bookkeeper knows it: "VAT
// 20% (VAT on Income)", or "VAT OUTPUT2" when Xero's name is not known.
func (r *Report) VATLabel(code string) string {
	if n, ok := r.TaxNames[code]; ok && n != "" {
		return "VAT " + n
	}
	return "VAT " + code
}
