package mapping

// Subscription renewals without an order of their own (OpenCart 3.0's
// order_recurring_transaction payments): an invoice of their own, on the
// first order's contact, and its payment. See docs/ACCOUNTANTS.md.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// RenewalNumber is the invoice number of a renewal: the first order's
// invoice number, "-R" and the renewal row's id ("OC-4001-R3"). An order's
// invoice number never ends in "-R" and digits unless its own pattern is
// written so, so the two never clash; the order part is shortened when
// needed to keep the whole within Xero's 255 characters.
func RenewalNumber(o opencart.Order, rn opencart.Renewal, opt Options) string {
	base, _ := opt.InvoiceNumberFor(o)
	suffix := "-R" + strconv.Itoa(rn.ID)
	if rn.Table == opencart.TableSubscriptionTransaction {
		suffix = "-RS" + strconv.Itoa(rn.ID)
	}
	if over := len(base) + len(suffix) - DocNumberField.MaxLen; over > 0 { // DocNumberField is ASCII
		base = base[:len(base)-over]
	}
	return base + suffix
}

// RenewalAmount is the renewal's amount as Xero holds it: in the first
// order's currency, to its decimals (at most 2).
func RenewalAmount(o opencart.Order, rn opencart.Renewal) decimal.Decimal {
	return round(rn.Amount, moneyOf(o).dp)
}

// renewalLineName is "Renewal: <product> (<profile>)".
func renewalLineName(rn opencart.Renewal) string {
	what := strings.TrimSpace(rn.ProductName)
	profile := strings.TrimSpace(rn.ProfileName)
	switch {
	case what == "":
		what = profile
	case profile != "" && !strings.EqualFold(profile, what):
		what += " (" + profile + ")"
	}
	if what == "" {
		what = "subscription of order " + strconv.Itoa(rn.OrderID)
	}
	return "Renewal: " + what
}

// renewalTax is the tax of the subscribed product's line on the first
// order: its Xero tax type, account and item code, and its percentage
// rates added up (a fraction). found is false when the order has no line
// for the product.
func renewalTax(o opencart.Order, rn opencart.Renewal, opt Options) (taxType, account, itemCode string, rate decimal.Decimal, rates string, found bool) {
	p := buildPlan(o, opt)
	for _, l := range p.lines {
		if l.kind != kindProduct || l.product < 0 || l.product >= len(o.Products) || o.Products[l.product].ProductID != rn.ProductID {
			continue
		}
		rate = decimal.Zero
		for _, k := range l.rates {
			rate = rate.Add(p.rates[k].r)
		}
		return l.taxType, l.account, l.itemCode, rate, p.titles(l.rates), true
	}
	return opt.NoTaxType, opt.Accounts.Sales, "", decimal.Zero, "", false
}

// RenewalInvoice is the invoice of a renewal payment: one line "Renewal:
// <product>" for the amount the gateway reported, in the first order's
// currency, dated the day of the payment. OpenCart does not record the
// tax of a renewal, and the gateways charge differently (PayPal Express
// the price with tax when the shop shows prices with tax; SagePay,
// Worldpay and Square the price before tax), so the amount received is
// taken as including tax at the rate(s) of the product's line on the
// first order, under that line's Xero tax type; the tax is worked out and
// stated on the line, and the record says so (a warning). Fixed-amount
// taxes (Eco Tax) are not split out. The currency rate is left to Xero
// (its rate of the payment day): the first order's rate is from another day.
func RenewalInvoice(o opencart.Order, rn opencart.Renewal, opt Options) (xero.Invoice, []Problem) {
	var ps problems
	amount := RenewalAmount(o, rn)
	if !amount.IsPositive() {
		ps.errorf("amount", "the renewal's amount is %s; only payments are invoiced", rn.Amount.String())
	}
	date := xeroDate(rn.DateAdded)
	if rn.DateAdded.IsZero() {
		ps.errorf("date", "renewal %d has no date", rn.ID)
	}
	taxType, account, itemCode, rate, rates, found := renewalTax(o, rn, opt)
	tax := decimal.Zero
	switch {
	case !found:
		ps.warnf("tax", "the tax of this renewal is unknown: order %d has no line for product %d, so it is booked without tax (%s); check it", o.ID, rn.ProductID, opt.NoTaxType)
	case rate.IsZero():
		ps.warnf("tax", "OpenCart does not record the tax of a renewal; the product's line on order %d had no percentage tax, so none is booked (%s)", o.ID, taxType)
	default:
		tax = r2(amount.Mul(rate).Div(decimal.NewFromInt(1).Add(rate)))
		ps.warnf("tax", "OpenCart does not record the tax of a renewal: the %s received is taken as including %s, as on the product's line of order %d (%s); check it", amount.StringFixed(2), rates, o.ID, taxType)
	}
	net := amount.Sub(tax)
	reference := fmt.Sprintf("Renewal of order %d", o.ID)
	if ref := strings.TrimSpace(rn.Reference); ref != "" {
		reference += " · " + ref
	} else if ref := strings.TrimSpace(rn.ProfileReference); ref != "" {
		reference += " · " + ref
	}
	inv := xero.Invoice{
		Type:            "ACCREC",
		InvoiceNumber:   RenewalNumber(o, rn, opt),
		Reference:       Clean(reference, ReferenceField),
		Contact:         &xero.Contact{ContactNumber: ContactKey(o)},
		Date:            date,
		Status:          opt.InvoiceStatus,
		LineAmountTypes: "Exclusive",
		LineItems: []xero.LineItem{{
			Description: Clean(renewalLineName(rn), DescriptionField),
			Quantity:    xero.NewAmount(decimal.NewFromInt(1)),
			UnitAmount:  xero.NewAmount(net),
			ItemCode:    cleanOptional(itemCode, ItemCodeField),
			AccountCode: account,
			TaxType:     taxType,
			TaxAmount:   xero.NewAmount(tax),
			LineAmount:  xero.NewAmount(net),
		}},
		CurrencyCode: strings.ToUpper(strings.TrimSpace(o.CurrencyCode)),
	}
	if account == "" {
		ps.errorf("account", "no sales account is chosen")
	}
	if !date.IsZero() {
		inv.DueDate = xero.Date{Time: date.AddDate(0, 0, opt.DueDays)}
	}
	return inv, ps
}

// RenewalPayment is the payment of a renewal's invoice: the amount, on the
// day of the renewal, into the bank account of the first order's payment
// method. As for orders, only approved (AUTHORISED) invoices take payments.
func RenewalPayment(o opencart.Order, rn opencart.Renewal, opt Options) (payment *xero.Payment, skipped string, ps []Problem) {
	var pr problems
	if opt.InvoiceStatus != StatusAuthorised {
		return nil, fmt.Sprintf("skipped: the invoice is sent as %s; Xero takes payments on approved (AUTHORISED) invoices only", strings.ToLower(opt.InvoiceStatus)), nil
	}
	amount := RenewalAmount(o, rn)
	if !amount.IsPositive() {
		return nil, "skipped: nothing to pay (the renewal's amount is " + amount.String() + ")", nil
	}
	account := opt.paymentAccount(o.PaymentMethod.Code)
	if account == "" {
		pr.errorf("bank account", "no bank account is chosen for payment method %q and there is no default", o.PaymentMethod.Title)
	}
	reference := strings.TrimSpace(rn.Reference)
	if reference == "" {
		reference = strings.TrimSpace(rn.ProfileReference)
	}
	if reference == "" {
		reference = strings.TrimSpace(o.PaymentMethod.Title)
	}
	return &xero.Payment{
		Invoice:   &xero.InvoiceRef{InvoiceNumber: RenewalNumber(o, rn, opt)},
		Account:   &xero.AccountRef{Code: account},
		Date:      xeroDate(rn.DateAdded),
		Amount:    xero.NewAmount(amount),
		Reference: cleanOptional(reference, ReferenceField),
	}, "", pr
}
