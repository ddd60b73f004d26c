package mapping

import (
	"fmt"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// Payment is the payment of a paid order against its invoice: the invoice
// total, on the day the order last became paid by its payment method's
// paid statuses (Options.PaidOn), into the bank account of its payment
// method. When there is no payment to make, skipped says why
// in plain words and the payment is nil.
func Payment(o opencart.Order, opt Options, b Books) (payment *xero.Payment, skipped string, ps []Problem) {
	var pr problems
	if opt.InvoiceStatus != StatusAuthorised {
		return nil, DraftPaymentReason(opt.InvoiceStatus), nil
	}
	paidOn, paid := opt.PaidOn(o)
	if !paid {
		return nil, fmt.Sprintf("skipped: not paid (order status %q)", o.Status), nil
	}
	amount := DisplayedTotal(o)
	if !amount.IsPositive() {
		return nil, "skipped: nothing to pay (the order total is " + amount.String() + ")", nil
	}
	account := opt.PaymentRule(o.PaymentMethod.Code).Account
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
