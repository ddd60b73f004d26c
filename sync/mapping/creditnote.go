package mapping

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/shopspring/decimal"
)

// RefundCreditNote is the credit note (ACCRECCREDIT) for an order refunded
// in full: every line of its invoice with the same tax, less what earlier
// credit notes for the order (from returns) already credited, so nothing
// is credited twice. With it comes the allocation to its invoice, when the
// credit note is AUTHORISED (Xero allocates only approved credit notes).
func RefundCreditNote(o opencart.Order, prior []xero.CreditNote, opt Options, b Books) (xero.CreditNote, *xero.Allocation, []Problem) {
	p := buildPlan(o, opt)
	if !opt.IsRefunded(o) {
		p.ps.errorf("order status", "order %d is %q, which is not a refund status", o.ID, o.Status)
	}
	credited := sumLines(priorLines(prior))
	invoiced := sumLines(p.items())
	var lines []xero.LineItem
	for _, key := range invoiceKeys(p) {
		inv := invoiced[key]
		done := credited[key]
		amount, tax := inv.amount.Sub(done.amount), inv.tax.Sub(done.tax)
		if amount.Sign()*inv.amount.Sign() < 0 || amount.Abs().GreaterThan(inv.amount.Abs()) {
			p.ps.warnf("credit note", "%q was credited more than invoiced before; nothing more is credited for it", inv.item.Description)
			continue
		}
		if amount.IsZero() && tax.IsZero() {
			continue
		}
		l := inv.item
		l.Quantity, l.UnitAmount = xero.NewAmount(decimal.NewFromInt(1)), xero.NewAmount(amount)
		if left := inv.qty.Sub(done.qty); inv.count == 1 && left.IsPositive() && r2(left.Mul(inv.unit)).Equal(amount) {
			l.Quantity, l.UnitAmount = xero.NewAmount(left), xero.NewAmount(inv.unit)
		}
		l.LineAmount, l.TaxAmount = xero.NewAmount(amount), xero.NewAmount(tax)
		lines = append(lines, l)
	}
	number := fillNumber(opt.CreditNotePattern(o.StoreID), map[string]string{"{order_id}": strconv.Itoa(o.ID)})
	return p.creditNote(number, fmt.Sprintf("Refund of order %d", o.ID), refundDate(o, opt), lines, prior, b)
}

// ReturnCreditNote is the credit note for a product return whose action
// gives money back: the returned quantity at the invoiced unit price with
// that line's share of tax, less the same share of any coupon or reward
// on those products, plus their fixed-amount tax (shipping is not
// credited). Quantities already credited by earlier credit notes for the
// order are not credited again, and the credit never exceeds what is left
// of the invoice.
func ReturnCreditNote(o opencart.Order, r opencart.Return, prior []xero.CreditNote, opt Options, b Books) (xero.CreditNote, *xero.Allocation, []Problem) {
	p := buildPlan(o, opt)
	field := fmt.Sprintf("return %d", r.ID)
	if !opt.CreditsMoney(r) {
		p.ps.errorf(field, "its action %q does not give the customer money back", r.Action)
	}
	if r.OrderID != o.ID {
		p.ps.errorf(field, "it belongs to order %d, not %d", r.OrderID, o.ID)
	}
	credited := sumLines(priorLines(prior))
	var lines []xero.LineItem
	li, ok := p.returnedLine(r, credited)
	switch {
	case !ok:
		p.ps.errorf(field, "%q (%s) is not on order %d, or all of it was credited already", r.Product, r.Model, o.ID)
	case r.Quantity <= 0:
		p.ps.errorf(field, "the returned quantity is %d", r.Quantity)
	default:
		lines = p.returnLines(li, r, credited, field, nil)
	}
	number := fillNumber(opt.ReturnCreditNotePattern(o.StoreID), map[string]string{"{order_id}": strconv.Itoa(o.ID), "{return_id}": strconv.Itoa(r.ID)})
	return p.creditNote(number, fmt.Sprintf("Return %d of order %d", r.ID, o.ID), r.DateAdded, lines, prior, b)
}

// returnedLine finds the invoice line of the returned product: by product
// id, then name and model, preferring a line with quantity left.
func (p *plan) returnedLine(r opencart.Return, credited map[string]lineSum) (int, bool) {
	best, bestScore := -1, -1
	for i, l := range p.lines {
		if l.kind != kindProduct {
			continue
		}
		op := p.order.Products[l.product]
		score := 0
		if r.ProductID > 0 && op.ProductID == r.ProductID {
			score += 4
		}
		if strings.EqualFold(strings.TrimSpace(op.Name), strings.TrimSpace(r.Product)) {
			score += 2
		}
		if strings.EqualFold(strings.TrimSpace(op.Model), strings.TrimSpace(r.Model)) && op.Model != "" {
			score++
		}
		if score < 2 || p.quantityLeft(i, credited) <= 0 {
			continue
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	return best, best >= 0
}

// quantityLeft is how many units of a product line have not been credited.
func (p *plan) quantityLeft(i int, credited map[string]lineSum) int {
	l := p.lines[i]
	ordered := p.order.Products[l.product].Quantity
	done := credited[itemKey(l.item())]
	if l.qty.Equal(decimal.NewFromInt(1)) && ordered != 1 && l.amount.IsPositive() {
		// A line sent as one unit: count the credited share of its amount.
		return ordered - int(done.amount.Div(l.amount).Mul(decimal.NewFromInt(int64(ordered))).Round(0).IntPart())
	}
	return ordered - int(done.qty.IntPart())
}

// returnLines are the credit note lines for a return of product line li.
// couponOn is the set of products the order's coupons were on (nil: every
// product): a product no coupon was on gets no share of the coupons.
func (p *plan) returnLines(li int, r opencart.Return, credited map[string]lineSum, field string, couponOn map[int]bool) []xero.LineItem {
	l := p.lines[li]
	ordered := p.order.Products[l.product].Quantity
	q := r.Quantity
	if left := p.quantityLeft(li, credited); q > left {
		p.ps.warnf(field, "%d returned but only %d of %d ordered are left to credit; %d are credited", q, left, ordered, left)
		q = left
	}
	share := decimal.NewFromInt(int64(q)).Div(decimal.NewFromInt(int64(max(ordered, 1))))
	product := l.item()
	if l.qty.Equal(decimal.NewFromInt(int64(ordered))) {
		product.Quantity = xero.NewAmount(decimal.NewFromInt(int64(q)))
		product.LineAmount = xero.NewAmount(r2(decimal.NewFromInt(int64(q)).Mul(l.unit)))
	} else {
		amount := r2(l.amount.Mul(share))
		product.Quantity, product.UnitAmount, product.LineAmount = xero.NewAmount(decimal.NewFromInt(1)), xero.NewAmount(amount), xero.NewAmount(amount)
	}
	product.TaxAmount = xero.NewAmount(r2(l.taxAmount().Mul(share)))
	lines := []xero.LineItem{product}

	// The coupon and reward share: the discount lines of the same tax
	// rates, in proportion to this product's part of the products they
	// were on (a coupon only over its products, a reward over all).
	group := groupKey(l.rates)
	on := func(o planLine, code string) bool {
		return code != "coupon" || couponOn == nil || couponOn[p.order.Products[o.product].ProductID]
	}
	groupNet := func(code string) decimal.Decimal {
		net := decimal.Zero
		for _, o := range p.lines {
			if o.kind == kindProduct && groupKey(o.rates) == group && on(o, code) {
				net = net.Add(o.amount)
			}
		}
		return net
	}
	for _, d := range p.lines {
		if d.kind != kindDiscount || groupKey(d.rates) != group || !on(l, d.code) || !groupNet(d.code).IsPositive() {
			continue
		}
		f := product.LineAmount.Decimal().Div(groupNet(d.code))
		item := d.item()
		amount, tax := r2(d.amount.Mul(f)), r2(d.taxAmount().Mul(f))
		if amount.IsZero() && tax.IsZero() {
			continue
		}
		item.UnitAmount, item.LineAmount, item.TaxAmount = xero.NewAmount(amount), xero.NewAmount(amount), xero.NewAmount(tax)
		lines = append(lines, item)
	}
	// Fixed-amount taxes paid per unit (Eco Tax).
	for _, k := range l.fixed {
		for _, f := range p.lines {
			if f.kind != kindFixedTax || f.desc != Clean(p.rates[k].m.Title, DescriptionField) {
				continue
			}
			item := f.item()
			left := f.amount.Sub(credited[itemKey(item)].amount)
			amount := decimal.Min(p.money.line(p.rates[k].r.Mul(decimal.NewFromInt(int64(q)))), left)
			if amount.IsPositive() {
				item.UnitAmount, item.LineAmount = xero.NewAmount(amount), xero.NewAmount(amount)
				lines = append(lines, item)
			}
		}
	}
	return lines
}

// creditNote finishes a credit note and its allocation, keeping the
// credit within what is left of the invoice.
func (p *plan) creditNote(number, reference string, date time.Time, lines []xero.LineItem, prior []xero.CreditNote, b Books) (xero.CreditNote, *xero.Allocation, []Problem) {
	o := p.order
	invoiceTotal := XeroTotal(p.items())
	left := invoiceTotal
	for _, cn := range prior {
		left = left.Sub(XeroTotal(cn.LineItems))
	}
	total := XeroTotal(lines)
	if excess := total.Sub(left); excess.IsPositive() && left.IsPositive() && len(lines) > 0 {
		p.ps.warnf("credit note", "the credit of %s would be more than the %s left of the invoice (part of the order was paid with store credit or vouchers); %s is taken off", total.String(), left.String(), excess.String())
		lines = append(lines, xero.LineItem{Description: "Part paid with store credit or vouchers", Quantity: xero.NewAmount(decimal.NewFromInt(1)),
			UnitAmount: xero.NewAmount(excess.Neg()), LineAmount: xero.NewAmount(excess.Neg()), AccountCode: p.opt.Accounts.StoreCredit,
			TaxType: p.opt.NoTaxType, TaxAmount: xero.NewAmount(decimal.Zero)})
		total = left
	}
	if !total.IsPositive() {
		p.ps.errorf("credit note", "nothing is left to credit on order %d (invoice %s, already credited %s)", o.ID, invoiceTotal.String(), invoiceTotal.Sub(left).String())
	}
	invoiceNumber, _ := p.opt.InvoiceNumberFor(o)
	cn := xero.CreditNote{
		Type:             "ACCRECCREDIT",
		CreditNoteNumber: Clean(number, DocNumberField),
		Reference:        Clean(reference, ReferenceField),
		Contact:          &xero.Contact{ContactNumber: p.opt.ContactKey(o)},
		Date:             xeroDate(date),
		Status:           p.opt.InvoiceStatus,
		LineAmountTypes:  "Exclusive",
		LineItems:        lines,
		CurrencyCode:     strings.ToUpper(strings.TrimSpace(o.CurrencyCode)),
		CurrencyRate:     currencyRate(o, b, p.opt, &p.ps),
	}
	p.opt.track(o.StoreID, cn.LineItems)
	if date.IsZero() {
		p.ps.errorf("date", "the credit note has no date")
	}
	if p.opt.InvoiceStatus != StatusAuthorised || !total.IsPositive() {
		if total.IsPositive() {
			p.ps.warnf("allocation", "the credit note is sent as %s, so it is not allocated to invoice %s; approve and allocate it in Xero", p.opt.InvoiceStatus, invoiceNumber)
		}
		return cn, nil, p.ps
	}
	return cn, &xero.Allocation{Invoice: &xero.InvoiceRef{InvoiceNumber: invoiceNumber}, Amount: xero.NewAmount(total), Date: cn.Date}, p.ps
}

// refundDate is when the order last entered a refund status.
func refundDate(o opencart.Order, opt Options) time.Time {
	var entered time.Time
	in := false
	for _, h := range o.History {
		refund := opt.isRefundStatus(h.StatusID, h.Status)
		if refund && !in {
			entered = h.DateAdded
		}
		in = refund
	}
	if entered.IsZero() && len(o.History) > 0 {
		return o.History[len(o.History)-1].DateAdded // the status set without a history entry of its own
	}
	if entered.IsZero() {
		return o.DateAdded
	}
	return entered
}

// lineSum adds up lines of the same description, account and tax type.
type lineSum struct {
	item                   xero.LineItem
	qty, unit, amount, tax decimal.Decimal
	count                  int
}

func itemKey(l xero.LineItem) string {
	return l.Description + "\x00" + l.AccountCode + "\x00" + l.TaxType
}

func sumLines(lines []xero.LineItem) map[string]lineSum {
	out := map[string]lineSum{}
	for _, l := range lines {
		k := itemKey(l)
		s := out[k]
		if s.count == 0 {
			s.item, s.unit = l, l.UnitAmount.Decimal()
		}
		s.count++
		s.qty = s.qty.Add(l.Quantity.Decimal())
		s.amount = s.amount.Add(l.LineAmount.Decimal())
		s.tax = s.tax.Add(l.TaxAmount.Decimal())
		out[k] = s
	}
	return out
}

func priorLines(prior []xero.CreditNote) []xero.LineItem {
	var out []xero.LineItem
	for _, cn := range prior {
		out = append(out, cn.LineItems...)
	}
	return out
}

// invoiceKeys lists the invoice's line keys in line order, once each.
func invoiceKeys(p *plan) []string {
	var keys []string
	seen := map[string]bool{}
	for _, l := range p.items() {
		if k := itemKey(l); !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return keys
}
