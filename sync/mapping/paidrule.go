package mapping

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// Which order statuses mean the money arrived depends on how the customer
// paid: a card or PayPal payment is taken at checkout, so Processing
// already means paid; cash on delivery, a bank transfer or a cheque is
// received when the shop says so, usually Complete. Options.PaidStatusByMethod
// holds the statuses per payment method code (branch paidmethod).

// PaymentMethodRule is what the settings say about one payment method:
// the statuses that mean its money arrived, and the account it goes to.
type PaymentMethodRule struct {
	// Code is the payment method code the rule was found under ("" when
	// no rule names the method: the global paid statuses then apply).
	Code string
	// StatusIDs are the order statuses that mean paid.
	StatusIDs []int
	// Account is the Xero account the money goes to.
	Account string
}

// Known reports whether the settings name this payment method.
func (r PaymentMethodRule) Known() bool { return r.Code != "" }

// methodKey finds a payment method code in a map keyed by codes: the whole
// code, then its first part ("bank_transfer" of
// "bank_transfer.bank_transfer").
func methodKey[V any](m map[string]V, code string) (string, bool) {
	if _, ok := m[code]; ok && code != "" {
		return code, true
	}
	if i := strings.IndexByte(code, '.'); i > 0 {
		if _, ok := m[code[:i]]; ok {
			return code[:i], true
		}
	}
	return "", false
}

// PaymentRule is the rule for a payment method code: its own paid
// statuses when the settings list them, otherwise the global
// PaidStatusIDs (Code is then empty), and its account.
func (o Options) PaymentRule(code string) PaymentMethodRule {
	r := PaymentMethodRule{StatusIDs: o.PaidStatusIDs, Account: o.paymentAccount(code)}
	if k, ok := methodKey(o.PaidStatusByMethod, code); ok && len(o.PaidStatusByMethod[k]) > 0 {
		r.Code, r.StatusIDs = k, o.PaidStatusByMethod[k]
	}
	return r
}

// IsPaidStatusFor reports whether an order status means paid for orders
// paid by this method.
func (o Options) IsPaidStatusFor(code string, statusID int) bool {
	return slices.Contains(o.PaymentRule(code).StatusIDs, statusID)
}

// PaidOn is when the order's money arrived, and whether it did: the last
// time the order entered one of its payment method's paid statuses after
// it was cancelled, or the first time when it never was, as its status
// history tells. Money that arrived stays received whatever status the
// order moves to next — a refund status (the refund pays it back), or one
// that is neither paid nor a refund (On Hold, a chargeback the settings do
// not take as a refund) — until the order is cancelled (CancelStatusIDs:
// Canceled, Failed…). So whether it is paid does not depend on whether a
// run saw it in a paid status: a payment sent stays sent. Without any
// history the order date is used.
//
// Processing on 1 March → Failed → Complete on 20 April is paid on 20
// April: the money of the first attempt never stayed. Processing → Failed
// is not paid; Processing → On Hold is paid on the Processing day.
func (o Options) PaidOn(order opencart.Order) (time.Time, bool) {
	rule := o.PaymentRule(order.PaymentMethod.Code)
	paid := func(id int) bool { return slices.Contains(rule.StatusIDs, id) }
	cancelled := func(id int) bool { return slices.Contains(o.CancelStatusIDs, id) }
	// since is when the money arrived: when the order entered its paid
	// statuses, forgotten when it is cancelled.
	var since time.Time
	for _, h := range order.History {
		switch {
		case paid(h.StatusID):
			if since.IsZero() {
				since = h.DateAdded
			}
		case cancelled(h.StatusID):
			since = time.Time{}
		}
	}
	switch {
	case paid(order.StatusID):
		if since.IsZero() {
			// The history does not show it entering its status (no
			// history, or a status set without a history row).
			since = order.DateAdded
		}
		return since, true
	case cancelled(order.StatusID) || since.IsZero():
		return time.Time{}, false
	}
	return since, true
}

// validatePaymentMethods names the problems of the per-method paid
// statuses: a method with none, or one that is also a refund status.
func (o Options) validatePaymentMethods(bad func(string, ...any)) {
	for _, code := range sortedKeys(o.PaidStatusByMethod) {
		ids := o.PaidStatusByMethod[code]
		if strings.TrimSpace(code) == "" {
			bad("paid statuses are given for a payment method with no code")
		}
		if len(ids) == 0 {
			bad("payment method %q: no order status chosen as paid (remove the method to use the general paid statuses)", code)
		}
		for _, id := range ids {
			if slices.Contains(o.RefundStatusIDs, id) {
				bad("payment method %q: %s cannot be both paid and refunded", code, o.StatusWords(id))
			}
		}
	}
}

// DescribePaymentRule says in words which statuses mean paid for a payment
// method and where the money goes; names gives the statuses' names.
func (o Options) DescribePaymentRule(code string, names func(int) string) string {
	r := o.PaymentRule(code)
	words := make([]string, len(r.StatusIDs))
	for i, id := range r.StatusIDs {
		words[i] = names(id)
		if words[i] == "" {
			words[i] = fmt.Sprintf("status %d", id)
		}
	}
	account := r.Account
	if account == "" {
		account = "(no account chosen)"
	}
	s := fmt.Sprintf("paid when %s, into account %s", strings.Join(words, ", "), account)
	if !r.Known() {
		s += "; no rule for this method: the general paid statuses apply"
	}
	return s
}
