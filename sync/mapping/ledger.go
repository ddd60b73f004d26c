package mapping

// The refunds ledger of an order (issue 11): what the shop gave back on
// it, G, worked out from the whole of OpenCart's record of the order every
// time (its invoice, its current status and status history, its returns,
// the coupons' products), so that the order in which things happened never
// changes the money. G is split into reasons, each with its own credit
// note: one per return whose action gives money back, and one for the
// order's refund status covering what the returns do not. Notes compares G
// with the credit notes already in Xero and makes only the difference.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/shopspring/decimal"
)

// PartialRefundNote is what the credit note of a refund of unknown amount
// says: OpenCart keeps no refund amount, so it is a draft to check.
const PartialRefundNote = "OpenCart does not record partial refunds; check the amount"

// PricesNote is what a return's credit note says of its amount: OpenCart
// stores no refund amount for a return.
const PricesNote = "amount computed from the order's prices"

// Reason is one part of what the shop gave back on an order.
type Reason struct {
	// ReturnID is the return; 0 for the order's refund status.
	ReturnID int
	// Treatment is what happens to the money: TreatCash or TreatStoreCredit.
	Treatment Treatment
	// Date is the day the money went back: the return's date_added, or the
	// history entry of the refund status (never date_modified).
	Date time.Time
	// Draft is set for a refund status whose amount OpenCart did not
	// record: its credit note is a draft to check and approve in Xero.
	Draft bool
	// Lines are its part of G, per invoice line and VAT rate.
	Lines []xero.LineItem
	// Problems are this reason's own: a return of a product the order
	// does not have is refused on its record, not on the order's others.
	Problems []Problem
}

// Refund reports whether the reason is the order's refund status.
func (r Reason) Refund() bool { return r.ReturnID == 0 }

// Total is what the reason gives back.
func (r Reason) Total() decimal.Decimal { return XeroTotal(r.Lines) }

// Ledger is what the shop gave back on one order.
type Ledger struct {
	Order opencart.Order
	// Reasons are the returns giving money back, by return id, then the
	// refund status when the order is in one.
	Reasons  []Reason
	Problems []Problem
	p        *plan
}

// Reason finds a reason by its return id (0: the refund status).
func (l Ledger) Reason(returnID int) (Reason, bool) {
	for _, r := range l.Reasons {
		if r.ReturnID == returnID {
			return r, true
		}
	}
	return Reason{}, false
}

// OrderLedger works out what the shop gave back on an order: each return
// whose action gives money back (by return id: the returned quantity at
// the invoiced price and tax, less its product's share of the coupons it
// was on, plus its per-unit fixed tax; never more than is left of the
// line), and, when the order's current status is a refund status,
// whatever of the invoice the returns do not cover. Returns are those of
// the order; coupons the coupons OpenCart applied to it.
func OrderLedger(o opencart.Order, returns []opencart.Return, coupons []opencart.OrderCoupon, opt Options) Ledger {
	p := buildPlan(o, opt)
	l := Ledger{Order: o, p: p}
	returns = slices.Clone(returns)
	slices.SortFunc(returns, func(a, b opencart.Return) int { return a.ID - b.ID })
	on := couponProducts(coupons)
	var given []xero.LineItem
	invoiceTotal := XeroTotal(p.items())
	for _, ret := range returns {
		t := opt.ReturnTreatment(ret)
		if ret.OrderID != o.ID || !t.GivesCredit() {
			continue
		}
		field := fmt.Sprintf("return %d", ret.ID)
		var own []Problem
		credited := sumLines(given)
		li, ok := p.returnedLine(ret, credited)
		var lines []xero.LineItem
		switch {
		case ret.Quantity <= 0:
			p.ps.warnf(field, "the returned quantity is %d; nothing is credited", ret.Quantity)
		case !ok && !p.hasProduct(ret):
			own = append(own, Problem{Field: field, Severity: SeverityError,
				Message: fmt.Sprintf("%q (%s) is not on order %d: check the return in OpenCart", ret.Product, ret.Model, o.ID)})
		case !ok:
			p.ps.warnf(field, "all of %q (%s) on order %d was credited already; nothing more is credited", ret.Product, ret.Model, o.ID)
		default:
			lines = p.returnLines(li, ret, credited, field, on)
		}
		// Never more than is left of the invoice (part of it may have been
		// paid with store credit or vouchers).
		left := invoiceTotal.Sub(XeroTotal(given))
		if excess := XeroTotal(lines).Sub(left); excess.IsPositive() && len(lines) > 0 {
			p.ps.warnf(field, "the credit would be more than the %s left of the invoice (part of the order was paid with store credit or vouchers); %s is taken off", left.String(), excess.String())
			lines = append(lines, xero.LineItem{Description: "Part paid with store credit or vouchers", Quantity: xero.NewAmount(decimal.NewFromInt(1)),
				UnitAmount: xero.NewAmount(excess.Neg()), LineAmount: xero.NewAmount(excess.Neg()), AccountCode: opt.Accounts.StoreCredit,
				TaxType: opt.NoTaxType, TaxAmount: xero.NewAmount(decimal.Zero)})
		}
		given = append(given, lines...)
		l.Reasons = append(l.Reasons, Reason{ReturnID: ret.ID, Treatment: t, Date: ret.DateAdded, Lines: lines, Problems: own})
	}
	if opt.IsRefunded(o) {
		credited := sumLines(given)
		invoiced := sumLines(p.items())
		var lines []xero.LineItem
		for _, key := range invoiceKeys(p) {
			inv := invoiced[key]
			done := credited[key]
			amount, tax := inv.amount.Sub(done.amount), inv.tax.Sub(done.tax)
			if amount.Sign()*inv.amount.Sign() < 0 || amount.Abs().GreaterThan(inv.amount.Abs()) || (amount.IsZero() && tax.IsZero()) {
				continue
			}
			li := inv.item
			li.Quantity, li.UnitAmount = xero.NewAmount(decimal.NewFromInt(1)), xero.NewAmount(amount)
			if left := inv.qty.Sub(done.qty); inv.count == 1 && left.IsPositive() && r2(left.Mul(inv.unit)).Equal(amount) {
				li.Quantity, li.UnitAmount = xero.NewAmount(left), xero.NewAmount(inv.unit)
			}
			li.LineAmount, li.TaxAmount = xero.NewAmount(amount), xero.NewAmount(tax)
			lines = append(lines, li)
		}
		// Returns that give back the whole invoice leave the refund status
		// nothing of its own: no reason, so no draft of an "unknown" amount,
		// and a note sent for it before the returns were recorded is
		// withdrawn for theirs.
		if len(lines) > 0 || len(l.Reasons) == 0 {
			l.Reasons = append(l.Reasons, Reason{Treatment: TreatCash, Date: refundDate(o, opt), Lines: lines,
				Draft: !opt.RefundsAreFull && !knownRefundAmount(o, opt)})
		}
	}
	l.Problems = p.ps
	return l
}

// knownRefundAmount reports whether the order's refund status says how
// much went back: a reversal or a chargeback takes the whole payment.
func knownRefundAmount(o opencart.Order, opt Options) bool {
	name := strings.ToLower(o.Status)
	return strings.Contains(name, "revers") || strings.Contains(name, "chargeback") ||
		(name == "" && (o.StatusID == 12 || o.StatusID == 13) && slices.Contains(opt.RefundStatusIDs, o.StatusID))
}

// couponProducts is the set of products the order's coupons were on; nil
// when a coupon was on every product (or OpenCart does not say).
func couponProducts(coupons []opencart.OrderCoupon) map[int]bool {
	if len(coupons) == 0 {
		return nil
	}
	on := map[int]bool{}
	for _, c := range coupons {
		if len(c.Products) == 0 && !c.ShippingOnly() {
			return nil
		}
		for _, id := range c.Products {
			on[id] = true
		}
	}
	return on
}

// Kept is a credit note of the order already in Xero and kept as it was
// exported: its reason and the lines it was sent with.
type Kept struct {
	ReturnID int // 0: the refund status
	Number   string
	Lines    []xero.LineItem
}

// NewNote is the credit note one reason still needs.
type NewNote struct {
	Reason Reason
	// Note is the credit note to send; it has no lines when the kept
	// credit notes already credit the reason's part (CoveredBy) or there
	// is nothing to credit.
	Note xero.CreditNote
	// CoveredBy are the numbers of the kept credit notes that already
	// credit the reason's part.
	CoveredBy []string
	Problems  []Problem
}

// Notes compares the ledger with the credit notes kept in Xero for its
// reasons and makes the credit notes of the reasons not yet sent: together
// they credit what G holds beyond what the kept ones credit, per invoice
// line and VAT rate, reason by reason. Reissue lists the kept reasons to
// withdraw and send again when part of G is credited by no note and no new
// note can take it (a return's credit note withdrawn while the refund
// status, whose note was split around it, covers the rest).
func (l Ledger) Notes(kept []Kept, opt Options, b Books) (notes []NewNote, reissue []int) {
	var all []xero.LineItem
	for _, r := range l.Reasons {
		all = append(all, r.Lines...)
	}
	var keptLines []xero.LineItem
	keptBy := map[int]Kept{}
	var numbers []string
	for _, k := range kept {
		keptLines = append(keptLines, k.Lines...)
		keptBy[k.ReturnID] = k
		numbers = append(numbers, k.Number)
	}
	g, done := sumLines(all), sumLines(keptLines)
	open := map[string]lineSum{}
	for key, s := range g {
		d := done[key]
		s.amount, s.tax = s.amount.Sub(d.amount), s.tax.Sub(d.tax)
		open[key] = s
	}
	for _, r := range l.Reasons {
		if _, ok := keptBy[r.ReturnID]; ok {
			continue
		}
		var lines []xero.LineItem
		for _, li := range r.Lines {
			key := itemKey(li)
			s := open[key]
			amount := take(li.LineAmount.Decimal(), s.amount)
			tax := take(li.TaxAmount.Decimal(), s.tax)
			if amount.IsZero() && tax.IsZero() {
				continue
			}
			s.amount, s.tax = s.amount.Sub(amount), s.tax.Sub(tax)
			open[key] = s
			if !amount.Equal(li.LineAmount.Decimal()) {
				li.Quantity, li.UnitAmount = xero.NewAmount(decimal.NewFromInt(1)), xero.NewAmount(amount)
			}
			li.LineAmount, li.TaxAmount = xero.NewAmount(amount), xero.NewAmount(tax)
			lines = append(lines, li)
		}
		n := NewNote{Reason: r}
		if XeroTotal(lines).IsPositive() {
			n.Note, n.Problems = l.creditNote(r, lines, opt, b)
		} else if XeroTotal(r.Lines).IsPositive() {
			n.CoveredBy = numbers
		}
		n.Problems = append(n.Problems, r.Problems...)
		notes = append(notes, n)
	}
	left := decimal.Zero
	for _, s := range open {
		if s.amount.IsPositive() {
			left = left.Add(s.amount)
		}
	}
	// Some of G credited by no note, while no new note can take it: a kept
	// note split G as it was when it was sent. Totals decide, not lines:
	// lines name accounts, which a change of settings renames. The kept
	// reasons whose note credits less than their part now are withdrawn
	// and sent again; when none does, the refund's (which takes whatever
	// the returns leave) is.
	short := XeroTotal(all).Sub(XeroTotal(keptLines))
	for _, n := range notes {
		short = short.Sub(XeroTotal(n.Note.LineItems))
	}
	if r2(left).IsPositive() && r2(short).IsPositive() {
		var refundKept bool
		for _, r := range l.Reasons {
			k, ok := keptBy[r.ReturnID]
			if !ok {
				continue
			}
			refundKept = refundKept || r.Refund()
			if XeroTotal(k.Lines).LessThan(r.Total()) {
				reissue = append(reissue, r.ReturnID)
			}
		}
		if len(reissue) == 0 && refundKept {
			reissue = append(reissue, 0)
		}
	}
	return notes, reissue
}

// take is what of want is still open: want itself when open covers it,
// the open part when it covers some, nothing when none (or the signs
// differ).
func take(want, open decimal.Decimal) decimal.Decimal {
	switch {
	case want.Sign() != open.Sign() || want.IsZero():
		return decimal.Zero
	case want.Abs().LessThanOrEqual(open.Abs()):
		return want
	default:
		return open
	}
}

// creditNote is the credit note of a reason with these lines.
func (l Ledger) creditNote(r Reason, lines []xero.LineItem, opt Options, b Books) (xero.CreditNote, []Problem) {
	o := l.Order
	var ps problems
	var number, reference string
	if r.Refund() {
		number = fillNumber(opt.CreditNotePattern(o.StoreID), map[string]string{"{order_id}": strconv.Itoa(o.ID)})
		reference = fmt.Sprintf("Refund of order %d", o.ID)
		if r.Draft {
			reference = PartialRefundNote + " (refund of order " + strconv.Itoa(o.ID) + ")"
		}
	} else {
		number = fillNumber(opt.ReturnCreditNotePattern(o.StoreID), map[string]string{"{order_id}": strconv.Itoa(o.ID), "{return_id}": strconv.Itoa(r.ReturnID)})
		reference = fmt.Sprintf("Return %d of order %d, %s", r.ReturnID, o.ID, PricesNote)
	}
	status := opt.InvoiceStatus
	if r.Draft {
		status = StatusDraft
	}
	if r.Date.IsZero() {
		ps.errorf("date", "the credit note has no date")
	}
	cn := xero.CreditNote{
		Type:             "ACCRECCREDIT",
		CreditNoteNumber: Clean(number, DocNumberField),
		Reference:        Clean(reference, ReferenceField),
		Contact:          &xero.Contact{ContactNumber: opt.ContactKey(o)},
		Date:             xeroDate(r.Date),
		Status:           status,
		LineAmountTypes:  "Exclusive",
		LineItems:        lines,
		CurrencyCode:     strings.ToUpper(strings.TrimSpace(o.CurrencyCode)),
		CurrencyRate:     currencyRate(o, b, opt, &ps),
	}
	opt.track(o.StoreID, cn.LineItems)
	return cn, ps
}

// hasProduct reports whether the order has the returned product at all
// (by product id, or by name), whatever was credited of it already.
func (p *plan) hasProduct(r opencart.Return) bool {
	for _, op := range p.order.Products {
		if r.ProductID > 0 && op.ProductID == r.ProductID ||
			strings.EqualFold(strings.TrimSpace(op.Name), strings.TrimSpace(r.Product)) {
			return true
		}
	}
	return false
}
