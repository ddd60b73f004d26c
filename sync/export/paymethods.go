package export

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// MethodKind is how a payment method's money arrives, as proposed from its
// code: taken at checkout (cards, PayPal and the like) or received later
// (cash on delivery, bank transfer, cheque).
type MethodKind string

const (
	// MethodAtCheckout: the gateway takes the money before the order is
	// confirmed, so Processing already means paid.
	MethodAtCheckout MethodKind = "at checkout"
	// MethodOnReceipt: the money arrives after the order (on delivery, by
	// transfer or cheque); only Complete means paid.
	MethodOnReceipt MethodKind = "on receipt"
	// MethodUnknown: the code says neither; the general paid statuses apply.
	MethodUnknown MethodKind = ""
)

// onReceiptCodes are OpenCart's offline methods (free_checkout is an
// order with nothing to pay: no payment is made at all).
var onReceiptCodes = []string{"cod", "bank_transfer", "cheque", "free_checkout"}

// atCheckoutPrefixes start the codes of OpenCart's card and wallet
// gateways (3.0 extension/payment and 4.x extension folders).
var atCheckoutPrefixes = []string{"pp_", "paypal", "stripe", "authorizenet", "sagepay", "opayo", "worldpay", "square",
	"braintree", "klarna", "amazon", "2checkout", "twocheckout", "skrill", "cardinity", "securetrading",
	"realex", "globalpay", "firstdata", "bluepay", "eway", "liqpay", "nochex", "paymate", "perpetual", "web_payment",
	"payza", "g2apay", "laybuy", "wechat", "alipay", "mollie", "adyen", "checkoutcom", "payflow", "card"}

// ProposeMethodKind says how a payment method's money arrives, from its
// code ("pp_standard", "stripe.stripe", "cod.cod"…); MethodUnknown when the
// code says neither.
func ProposeMethodKind(code string) MethodKind {
	c := strings.ToLower(strings.TrimSpace(code))
	if i := strings.IndexByte(c, '.'); i > 0 {
		c = c[:i]
	}
	switch {
	case c == "":
		return MethodUnknown
	case slices.Contains(onReceiptCodes, c):
		return MethodOnReceipt
	case slices.ContainsFunc(atCheckoutPrefixes, func(p string) bool { return strings.HasPrefix(c, p) }):
		return MethodAtCheckout
	}
	return MethodUnknown
}

// methodRuleKey is the key a method's rule is saved under: its first part
// ("cod" of "cod.cod"), so that one rule holds for the 3.0 and 4.x codes.
func methodRuleKey(code string) string {
	if i := strings.IndexByte(code, '.'); i > 0 {
		return code[:i]
	}
	return code
}

// completeStatus is the shop's Complete status (5 in every version).
func completeStatus(statuses []opencart.OrderStatus) int {
	for _, s := range statuses {
		if strings.EqualFold(strings.TrimSpace(s.Name), "Complete") {
			return s.ID
		}
	}
	return 5
}

// ProposePaymentMethods adds a paid-statuses rule for each payment method
// found in the shop that has none: those taken at checkout are paid in the
// general paid statuses (Processing, Shipped, Complete…), those received
// later only when Complete. Where Xero has an account that takes payments
// named after the method (a "PayPal" clearing account), it is proposed
// for its money. Rules already chosen are kept; a method whose code says
// nothing is left to the general paid statuses, with a note.
func ProposePaymentMethods(methods []opencart.Method, statuses []opencart.OrderStatus, accounts []xero.Account, s *Settings) []string {
	var notes []string
	complete := completeStatus(statuses)
	for _, m := range methods {
		if m.Code == "" {
			continue
		}
		key := methodRuleKey(m.Code)
		name := m.Title
		if name == "" {
			name = m.Code
		}
		if _, ok := s.PaidStatusByMethod[key]; !ok {
			if _, whole := s.PaidStatusByMethod[m.Code]; !whole {
				var ids []int
				switch ProposeMethodKind(m.Code) {
				case MethodAtCheckout:
					ids = slices.Clone(s.PaidStatusIDs)
				case MethodOnReceipt:
					ids = []int{complete}
				default:
					notes = append(notes, fmt.Sprintf("payment method %q (%s): its code does not say when the money arrives, so the general paid statuses apply; choose its paid statuses under Payments", name, m.Code))
				}
				if ids != nil {
					if s.PaidStatusByMethod == nil {
						s.PaidStatusByMethod = map[string][]int{}
					}
					s.PaidStatusByMethod[key] = ids
					notes = append(notes, fmt.Sprintf("payment method %q (%s): paid %s, when %s", name, m.Code, ProposeMethodKind(m.Code), statusNames(ids, statuses)))
				}
			}
		}
		if _, ok := s.PaymentAccounts[key]; ok {
			continue
		}
		if _, ok := s.PaymentAccounts[m.Code]; ok {
			continue
		}
		if a := namedPaymentAccount(accounts, key); a != nil {
			if s.PaymentAccounts == nil {
				s.PaymentAccounts = map[string]string{}
			}
			s.PaymentAccounts[key] = a.Code
			notes = append(notes, fmt.Sprintf("payment method %q (%s): money into account %s (%s)", name, m.Code, a.Code, a.Name))
		}
	}
	return notes
}

// namedPaymentAccount is an active account that takes payments and whose
// name holds the method's name (its code up to a digit or underscore,
// "stripe" of "stripe"; "paypal" for OpenCart's pp_… codes).
func namedPaymentAccount(accounts []xero.Account, key string) *xero.Account {
	word := strings.ToLower(key)
	if strings.HasPrefix(word, "pp_") {
		word = "paypal"
	}
	if i := strings.IndexAny(word, "_0123456789"); i >= 0 {
		word = word[:i]
	}
	if len(word) < 4 || slices.Contains(onReceiptCodes, key) {
		return nil
	}
	var found []xero.Account
	for _, a := range accounts {
		if activeInXero(a.Status) && a.Code != "" && TakesPayments(a) && strings.Contains(strings.ToLower(a.Name), word) {
			found = append(found, a)
		}
	}
	if len(found) == 0 {
		return nil
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].Code < found[j].Code })
	return &found[0]
}

// statusNames names order statuses, in the shop's words where it has them.
func statusNames(ids []int, statuses []opencart.OrderStatus) string {
	words := make([]string, len(ids))
	for i, id := range ids {
		words[i] = statusName(id, statuses)
	}
	return strings.Join(words, ", ")
}

func statusName(id int, statuses []opencart.OrderStatus) string {
	for _, s := range statuses {
		if s.ID == id && s.Name != "" {
			return s.Name
		}
	}
	return fmt.Sprintf("status %d", id)
}

// validatePaymentMethods refuses a per-method paid status that is also
// never exported (see Settings.Validate).
func (s Settings) validatePaymentMethods() []error {
	var errs []error
	codes := make([]string, 0, len(s.PaidStatusByMethod))
	for code := range s.PaidStatusByMethod {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		for _, id := range s.PaidStatusByMethod[code] {
			if slices.Contains(s.SkipStatusIDs, id) {
				errs = append(errs, fmt.Errorf("%s is both among the statuses never exported and among the paid ones of payment method %q: keep it in one list", s.StatusWords(id), code))
			}
		}
	}
	return errs
}

// MethodRule is one payment method with the rule the settings give it, as
// `store check` and the settings show it.
type MethodRule struct {
	opencart.Method
	// Orders is how many of the shop's orders used it (0 when unknown).
	Orders int `json:"orders"`
	// Rule says in words which statuses mean paid and where the money goes.
	Rule string `json:"rule"`
	// Known is false when no rule names the method (the general paid
	// statuses apply).
	Known bool `json:"known"`
}

// DescribeMethods gives each payment method its rule in words.
func DescribeMethods(methods []opencart.MethodCount, statuses []opencart.OrderStatus, s Settings) []MethodRule {
	out := make([]MethodRule, len(methods))
	for i, m := range methods {
		out[i] = MethodRule{Method: m.Method, Orders: m.Orders, Known: s.PaymentRule(m.Code).Known(),
			Rule: s.DescribePaymentRule(m.Code, func(id int) string { return statusName(id, statuses) })}
	}
	return out
}

// noteUnknownMethod warns once a run that an order's payment method has
// no paid-statuses rule, so the general paid statuses decide.
func (r *run) noteUnknownMethod(o opencart.Order) {
	code := o.PaymentMethod.Code
	if code == "" || r.opt.PaymentRule(code).Known() || r.methodsNoted[code] {
		return
	}
	if r.methodsNoted == nil {
		r.methodsNoted = map[string]bool{}
	}
	r.methodsNoted[code] = true
	r.report(r.stage, 0, 0, &Outcome{Kind: "run", State: "warning",
		Message: fmt.Sprintf("payment method %q (%s) has no paid statuses of its own: the general paid statuses decide when its orders are paid; choose them under Payments (config propose proposes them)", o.PaymentMethod.Title, code)})
}

// methodAccountProblem says why a payment method's own account (one the
// settings name for it, not the default) cannot take its payments in Xero,
// or "". Without Xero's accounts (a dry run never connected) nothing is
// checked.
func (r *run) methodAccountProblem(code string) string {
	if r.accounts == nil || code == "" {
		return ""
	}
	key, ok := methodKeyOf(r.opt.PaymentAccounts, code)
	if !ok {
		return ""
	}
	acc := r.opt.PaymentAccounts[key]
	a, found := r.accounts[strings.ToUpper(acc)]
	switch {
	case !found:
		return fmt.Sprintf("account %s (payments by %s) is not an active account in Xero's chart of accounts: choose another under Payments", acc, key)
	case !TakesPayments(a):
		return fmt.Sprintf("account %s (payments by %s) cannot take payments: choose a bank account, or allow payments to it in Xero", acc, key)
	}
	return ""
}

// methodKeyOf finds the key a payment method's entry is under, as
// mapping.Options.PaymentRule does: the whole code, then its first part.
func methodKeyOf(m map[string]string, code string) (string, bool) {
	if v, ok := m[code]; ok && v != "" {
		return code, true
	}
	if i := strings.IndexByte(code, '.'); i > 0 {
		if v, ok := m[code[:i]]; ok && v != "" {
			return code[:i], true
		}
	}
	return "", false
}

// PaidWhen is one answer to "when has a payment method's money arrived?"
// that the settings offer: its words and the order statuses it saves (nil:
// the general paid statuses, no rule of the method's own).
type PaidWhen struct {
	Label string
	IDs   []int
}

// PaidWhenGeneral is the label of the choice that leaves a method to the
// general paid statuses.
const PaidWhenGeneral = "in the paid statuses"

// PaidWhenChoices are the answers offered for a payment method: the
// general paid statuses (which follow later changes of them), only when
// Complete (money received on delivery or by transfer), and, when the
// saved rule is neither, that rule as it is.
func (c Choices) PaidWhenChoices(code string, saved Settings) []PaidWhen {
	complete := completeStatus(c.Statuses)
	out := []PaidWhen{{Label: PaidWhenGeneral}, {Label: "only when " + statusNames([]int{complete}, c.Statuses), IDs: []int{complete}}}
	if ids, ok := saved.PaidStatusByMethod[methodRuleKey(code)]; ok && !slices.Equal(ids, []int{complete}) {
		out = append(out, PaidWhen{Label: "when " + statusNames(ids, c.Statuses), IDs: ids})
	}
	return out
}

// PaidWhenOf is the label of the method's saved (or proposed) rule among
// PaidWhenChoices.
func (c Choices) PaidWhenOf(code string, saved Settings) string {
	ids, ok := saved.PaidStatusByMethod[methodRuleKey(code)]
	if !ok {
		return PaidWhenGeneral
	}
	for _, w := range c.PaidWhenChoices(code, saved) {
		if w.IDs != nil && slices.Equal(w.IDs, ids) {
			return w.Label
		}
	}
	return PaidWhenGeneral
}

// SetPaidWhen saves the answer with this label as the method's rule.
func (c Choices) SetPaidWhen(code, label string, s *Settings) {
	key := methodRuleKey(code)
	for _, w := range c.PaidWhenChoices(code, *s) {
		if w.Label != label {
			continue
		}
		if w.IDs == nil {
			delete(s.PaidStatusByMethod, key)
			return
		}
		if s.PaidStatusByMethod == nil {
			s.PaidStatusByMethod = map[string][]int{}
		}
		s.PaidStatusByMethod[key] = slices.Clone(w.IDs)
		return
	}
}
