package mapping

import (
	"fmt"
	"strings"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// Payment is the payment of a paid order against its invoice: the invoice
// total, on the day the order first became paid, into the bank account of
// its payment method. When there is no payment to make, skipped says why
// in plain words and the payment is nil.
func Payment(o opencart.Order, opt Options, b Books) (payment *xero.Payment, skipped string, ps []Problem) {
	var pr problems
	if opt.InvoiceStatus != StatusAuthorised {
		return nil, fmt.Sprintf("skipped: the invoice is sent as %s; Xero takes payments on approved (AUTHORISED) invoices only", strings.ToLower(opt.InvoiceStatus)), nil
	}
	paidOn, paid := paidDate(o, opt)
	if !paid {
		return nil, fmt.Sprintf("skipped: not paid (order status %q)", o.Status), nil
	}
	amount := DisplayedTotal(o)
	if !amount.IsPositive() {
		return nil, "skipped: nothing to pay (the order total is " + amount.String() + ")", nil
	}
	account := opt.paymentAccount(o.PaymentMethod.Code)
	if account == "" {
		pr.errorf("bank account", "no bank account is chosen for payment method %q and there is no default", o.PaymentMethod.Title)
	}
	reference := strings.TrimSpace(o.TransactionID)
	if reference == "" {
		reference = methodTitle(o.PaymentMethod)
	}
	if reference == "" {
		reference = o.PaymentMethod.Code
	}
	number, _ := opt.InvoiceNumberFor(o)
	return &xero.Payment{
		Invoice:      &xero.InvoiceRef{InvoiceNumber: number},
		Account:      &xero.AccountRef{Code: account},
		Date:         xeroDate(paidOn),
		Amount:       xero.NewAmount(amount),
		CurrencyRate: currencyRate(o, b, opt, &pr),
		Reference:    cleanOptional(reference, ReferenceField),
	}, "", pr
}

// paidDate is when the order first entered a paid status, and whether it
// counts as paid: its status is paid now, or it was paid before it was
// refunded. Without history the order date is used.
func paidDate(o opencart.Order, opt Options) (time.Time, bool) {
	var first time.Time
	for _, h := range o.History {
		if opt.isPaidStatus(h.StatusID) {
			first = h.DateAdded
			break
		}
	}
	switch {
	case opt.isPaidStatus(o.StatusID):
	case opt.IsRefunded(o) && !first.IsZero():
	default:
		return time.Time{}, false
	}
	if first.IsZero() {
		first = o.DateAdded
	}
	return first, true
}
