package mapping

import (
	"fmt"
	"strings"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// Invoice turns an order into a Xero sales invoice (ACCREC) in the order's
// currency, at the order's own exchange rate, whose total as Xero computes
// it is what the customer saw and paid. Every line carries its tax amount
// explicitly; each tax rate's lines add up to the order's tax row; any
// remaining cent is on a rounding line.
func Invoice(o opencart.Order, opt Options, b Books) (xero.Invoice, []Problem) {
	p := buildPlan(o, opt)
	number, note := opt.InvoiceNumberFor(o)
	if note != "" {
		p.ps.warnf("invoice number", "%s", note)
	}
	date := xeroDate(o.DateAdded)
	if o.DateAdded.IsZero() {
		p.ps.errorf("date", "order %d has no date", o.ID)
	}
	inv := xero.Invoice{
		Type:            "ACCREC",
		InvoiceNumber:   number,
		Reference:       orderReference(o),
		Contact:         &xero.Contact{ContactNumber: opt.ContactKey(o)},
		Date:            date,
		Status:          opt.InvoiceStatus,
		LineAmountTypes: "Exclusive",
		LineItems:       p.items(),
		CurrencyCode:    strings.ToUpper(strings.TrimSpace(o.CurrencyCode)),
		CurrencyRate:    currencyRate(o, b, opt, &p.ps),
	}
	opt.track(o.StoreID, inv.LineItems)
	if !date.IsZero() {
		inv.DueDate = xero.Date{Time: date.AddDate(0, 0, opt.DueDays)}
	}
	return inv, p.ps
}

// orderReference is "Order 123 · Bank Transfer".
func orderReference(o opencart.Order) string {
	ref := fmt.Sprintf("Order %d", o.ID)
	if m := methodTitle(o.PaymentMethod); m != "" {
		ref += " · " + m
	}
	return Clean(ref, ReferenceField)
}

// xeroDate is the calendar day of a store wall-clock time.
func xeroDate(t time.Time) xero.Date {
	if t.IsZero() {
		return xero.Date{}
	}
	return xero.NewDate(t.Year(), t.Month(), t.Day())
}

// methodTitle is a payment or shipping method's title as text: extensions
// put logos (<img alt="PayPal">) and line breaks in their titles.
func methodTitle(m opencart.Method) string {
	return cleanOptional(m.Title, ExtensionTitleField)
}
