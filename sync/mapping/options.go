package mapping

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/shopspring/decimal"
)

// Invoice statuses Xero accepts for a new sales invoice or credit note: the
// bookkeeper's choice of Options.InvoiceStatus.
const (
	StatusDraft      = xero.StatusDraft
	StatusSubmitted  = xero.StatusSubmitted
	StatusAuthorised = xero.StatusAuthorised
)

// Default numbering patterns.
const (
	DefaultInvoiceNumber          = "OC-{order_id}"
	DefaultCreditNoteNumber       = "OC-CN-{order_id}"
	DefaultReturnCreditNoteNumber = "OC-CN-R{return_id}"
)

// Contact naming choices.
const (
	// NameCompanyFirst uses the company as the contact name when there is
	// one, with the person in first and last name.
	NameCompanyFirst = "company"
	// NamePerson always uses the person's full name as the contact name.
	NamePerson = "person"
)

// Options is everything the bookkeeper decides about how OpenCart records
// become Xero documents. It is stored as JSON in the settings.
type Options struct {
	// InvoiceStatus is the status new invoices and credit notes get:
	// DRAFT, SUBMITTED or AUTHORISED. Payments and allocations are only
	// made for AUTHORISED documents.
	InvoiceStatus string `json:"invoice_status"`
	// InvoiceNumber is the invoice number pattern: {order_id}, or
	// {invoice_no} for OpenCart's own invoice number (prefix and number);
	// orders without one then use DefaultInvoiceNumber.
	InvoiceNumber string `json:"invoice_number"`
	// CreditNoteNumber is the pattern for the credit note of a refunded
	// order: {order_id}.
	CreditNoteNumber string `json:"credit_note_number"`
	// ReturnCreditNoteNumber is the pattern for the credit note of a
	// product return: {return_id} and {order_id}.
	ReturnCreditNoteNumber string `json:"return_credit_note_number"`
	// Prefix starts the numbers of this profile's invoices, credit notes
	// and contacts in place of the "OC-" of the patterns ("" = DefaultPrefix);
	// see prefix.go. The setting invoice.prefix overrides it.
	Prefix string `json:"prefix,omitempty"`
	// StorePrefixes gives a store of a multi-store OpenCart (by store_id,
	// as text) a prefix of its own for its invoices and credit notes.
	StorePrefixes map[string]string `json:"store_prefixes,omitempty"`
	// StoreTracking puts every line of a store's invoices and credit notes
	// into a Xero tracking category option ("Category:Option"), by store_id.
	StoreTracking map[string]string `json:"store_tracking,omitempty"`
	// DueDays is how many days after the order date an invoice is due.
	DueDays int `json:"due_days"`
	// ContactName is NameCompanyFirst or NamePerson.
	ContactName string `json:"contact_name"`

	// Accounts are the Xero account codes lines are booked to.
	Accounts Accounts `json:"accounts"`
	// Totals says, per OpenCart order total code (shipping, coupon, …),
	// what kind of line it is and its account; codes not listed use the
	// built-in kinds, unknown codes go to the fees account and are reported.
	Totals map[string]TotalRule `json:"totals,omitempty"`
	// TaxRates maps each OpenCart tax rate to a Xero tax type.
	TaxRates []TaxMap `json:"tax_rates"`
	// TaxCombinations names the Xero tax type for a line that carries
	// several OpenCart percentage rates at once (e.g. GST + PST).
	TaxCombinations []TaxCombination `json:"tax_combinations,omitempty"`
	// NoTaxType is the Xero tax type for lines without tax (e.g. NONE).
	NoTaxType string `json:"no_tax_type"`
	// TaxClasses are the Xero tax types of sales without OpenCart tax, by
	// VAT class (zero-rated, exempt, export, reverse charge); unset
	// classes use NoTaxType.
	TaxClasses TaxClasses `json:"tax_classes,omitzero"`
	// Places is the shop's tax geography, read for each run (not a
	// choice, not saved): it tells exports and reverse-charge sales apart.
	// Nil: unknown, untaxed lines are classed by tax class only.
	Places *opencart.TaxPlaces `json:"-"`
	// ItemCodes optionally gives a Xero item code per OpenCart product id.
	ItemCodes map[int]string `json:"item_codes,omitempty"`

	// RefundStatusIDs are the order statuses that mean "refunded in full".
	RefundStatusIDs []int `json:"refund_status_ids"`
	// RefundStatusNames are matched (case-insensitively) when the id is
	// not in RefundStatusIDs.
	RefundStatusNames []string `json:"refund_status_names"`
	// CreditReturnActions are the return actions (by name,
	// case-insensitive) that give the customer money back, as cash. Kept
	// for profiles saved before ReturnActions; ReturnActions wins when set.
	CreditReturnActions []string `json:"credit_return_actions"`
	// ReturnActions says, per OpenCart return action, what it does with
	// the customer's money (ReturnTreatment); actions not listed give none.
	ReturnActions []ReturnRule `json:"return_actions,omitempty"`
	// RefundsAreFull says a refund status always means the whole order was
	// refunded. Unset (the default), OpenCart records no refund amount, so
	// the credit note of an order in a refund status with nothing returned
	// is sent as a draft saying so, and no money is paid back until the
	// bookkeeper checks the amount and approves it in Xero.
	RefundsAreFull bool `json:"refunds_are_full,omitempty"`
	// StatusNames are the shop's order status names by id, for messages
	// (StatusWords); not stored.
	StatusNames map[int]string `json:"-"`
	// PaidStatusIDs are the order statuses that mean the order was paid,
	// for payment methods PaidStatusByMethod does not name.
	PaidStatusIDs []int `json:"paid_status_ids"`
	// PaidStatusByMethod gives, per payment method code (matched like
	// PaymentAccounts), the order statuses that mean its money arrived
	// (paidrule.go).
	PaidStatusByMethod map[string][]int `json:"paid_statuses_by_method,omitempty"`
	// CancelStatusIDs are the statuses an order is cancelled by (the
	// export's statuses never exported: Canceled, Failed…): money that
	// arrived stays received until the order reaches one (PaidOn). Set
	// from the export settings for each run; not stored here.
	CancelStatusIDs []int `json:"-"`

	// PaymentAccounts maps a payment method code (e.g. "pp_standard" or
	// "bank_transfer.bank_transfer") to the Xero bank account code the
	// money goes to.
	PaymentAccounts map[string]string `json:"payment_accounts,omitempty"`
	// DefaultPaymentAccount is used for payment methods not in PaymentAccounts.
	DefaultPaymentAccount string `json:"default_payment_account"`

	// ImplausibleRate is what happens to a document whose order's stored
	// exchange rate cannot be trusted (RateDistrust): RateXero (or "")
	// sends it without a rate, RateRefuse refuses it.
	ImplausibleRate string `json:"implausible_rate,omitempty"`
	// TaxNumberFields are the names of the custom fields whose value is the
	// customer's VAT or tax number (empty: opencart.DefaultTaxNumberFields).
	TaxNumberFields []string `json:"tax_number_fields,omitempty"`
}

// Accounts are the Xero account codes for each kind of line.
type Accounts struct {
	// Sales is for products.
	Sales string `json:"sales"`
	// Shipping is for shipping charges.
	Shipping string `json:"shipping"`
	// Discounts is for coupons and reward points.
	Discounts string `json:"discounts"`
	// VouchersSold is for gift vouchers bought (a liability until used).
	VouchersSold string `json:"vouchers_sold"`
	// StoreCredit is for store credit and gift vouchers redeemed.
	StoreCredit string `json:"store_credit"`
	// Fees is for handling, low-order and unknown fees.
	Fees string `json:"fees"`
	// FixedTax is for fixed-amount taxes such as Eco Tax (Fees when empty).
	FixedTax string `json:"fixed_tax,omitempty"`
	// Rounding is the rounding account (Xero's system ROUNDING account).
	Rounding string `json:"rounding"`
}

// TotalKind is how an order total row is booked.
type TotalKind string

// The kinds of order total rows that become lines.
const (
	// KindCharge is a net charge that may carry tax (shipping, fees).
	KindCharge TotalKind = "charge"
	// KindDiscount is a net discount that reduces tax (coupon, reward).
	KindDiscount TotalKind = "discount"
	// KindAfterTax is taken off after tax and carries none (store credit, vouchers).
	KindAfterTax TotalKind = "after_tax"
)

// TotalRule says how one order total code is booked.
type TotalRule struct {
	Kind TotalKind `json:"kind"`
	// Account overrides the account of the kind.
	Account string `json:"account,omitempty"`
}

// TaxMap maps one OpenCart tax rate (as its name appears on orders, its
// rate and type) to a Xero tax type.
type TaxMap struct {
	// Title is the tax rate name as it appears on order tax rows.
	Title string `json:"title"`
	// Rate is the percentage (type P) or the fixed amount (type F).
	Rate decimal.Decimal `json:"rate"`
	// Type is "P" (percentage) or "F" (fixed amount per unit).
	Type string `json:"type"`
	// TaxType is the Xero tax type; for F rates the fixed amount is its
	// own line and this is normally the no-tax type.
	TaxType string `json:"tax_type"`
	// Account is the account a fixed-amount tax line goes to (F only;
	// Accounts.FixedTax when empty).
	Account string `json:"account,omitempty"`
}

// Fixed reports whether the rate is a fixed amount rather than a percentage.
func (m TaxMap) Fixed() bool { return m.Type == "F" }

// TaxCombination is the Xero tax type of a line carrying several
// OpenCart percentage rates.
type TaxCombination struct {
	Titles  []string `json:"titles"`
	TaxType string   `json:"tax_type"`
}

// DefaultOptions returns the recommended options; account codes, tax
// mapping and the no-tax type still have to be chosen.
func DefaultOptions() Options {
	return Options{
		InvoiceStatus:          StatusDraft,
		InvoiceNumber:          DefaultInvoiceNumber,
		CreditNoteNumber:       DefaultCreditNoteNumber,
		ReturnCreditNoteNumber: DefaultReturnCreditNoteNumber,
		DueDays:                0,
		ContactName:            NameCompanyFirst,
		NoTaxType:              "NONE",
		RefundStatusIDs:        []int{11, 12, 13},
		RefundStatusNames:      []string{"Refunded", "Reversed", "Chargeback"},
		CreditReturnActions:    []string{"Credit Issued", "Refunded"},
		ReturnActions: []ReturnRule{{Action: "Credit Issued", Treatment: TreatStoreCredit}, {Action: "Refunded", Treatment: TreatCash},
			{Action: "Replacement Sent", Treatment: TreatNone}},
		PaidStatusIDs:   []int{2, 3, 5, 9, 15},
		ImplausibleRate: RateXero,
	}
}

// builtinTotals are the order total codes OpenCart and common extensions
// write, with how each is booked.
var builtinTotals = map[string]TotalKind{
	"shipping":      KindCharge,
	"handling":      KindCharge,
	"low_order_fee": KindCharge,
	"klarna_fee":    KindCharge,
	"coupon":        KindDiscount,
	"reward":        KindDiscount,
	"voucher":       KindAfterTax,
	"credit":        KindAfterTax,
}

// notLines are the order total codes that are not lines of their own.
var notLines = map[string]bool{"sub_total": true, "tax": true, "total": true}

var placeholder = regexp.MustCompile(`\{[^{}]*\}`)

// Validate names every problem with the options, or returns nil.
func (o Options) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	switch o.InvoiceStatus {
	case StatusDraft, StatusSubmitted, StatusAuthorised:
	default:
		bad("invoice status %q must be DRAFT, SUBMITTED or AUTHORISED", o.InvoiceStatus)
	}
	checkPattern := func(what, pattern string, allowed []string, needOne []string) {
		for _, p := range placeholder.FindAllString(pattern, -1) {
			if !slices.Contains(allowed, p) {
				bad("%s pattern %q: unknown placeholder %s (use %s)", what, pattern, p, strings.Join(allowed, " or "))
			}
		}
		found := false
		for _, p := range needOne {
			found = found || strings.Contains(pattern, p)
		}
		if !found {
			bad("%s pattern %q must contain %s so that every document gets its own number", what, pattern, strings.Join(needOne, " or "))
		}
		if Clean(pattern, DocNumberField) != pattern {
			bad("%s pattern %q may only hold printable ASCII characters", what, pattern)
		}
	}
	switch o.ImplausibleRate {
	case "", RateXero, RateRefuse:
	default:
		bad("untrusted exchange rates %q must be %s or %s", o.ImplausibleRate, RateXero, RateRefuse)
	}
	checkPattern("invoice number", o.InvoiceNumber, []string{"{order_id}", "{invoice_no}"}, []string{"{order_id}", "{invoice_no}"})
	checkPattern("credit note number", o.CreditNoteNumber, []string{"{order_id}"}, []string{"{order_id}"})
	checkPattern("return credit note number", o.ReturnCreditNoteNumber, []string{"{order_id}", "{return_id}"}, []string{"{return_id}"})
	if o.CreditNoteNumber == o.ReturnCreditNoteNumber {
		bad("credit note number patterns for refunds and returns must differ")
	}
	o.validatePrefixes(bad)
	if o.DueDays < 0 || o.DueDays > 3650 {
		bad("due days %d must be between 0 and 3650", o.DueDays)
	}
	if o.ContactName != NameCompanyFirst && o.ContactName != NamePerson {
		bad("contact name %q must be %q or %q", o.ContactName, NameCompanyFirst, NamePerson)
	}
	for _, a := range []struct{ name, code string }{
		{"sales", o.Accounts.Sales}, {"shipping", o.Accounts.Shipping}, {"discounts", o.Accounts.Discounts},
		{"gift vouchers sold", o.Accounts.VouchersSold}, {"store credit", o.Accounts.StoreCredit},
		{"fees", o.Accounts.Fees}, {"rounding", o.Accounts.Rounding},
	} {
		if strings.TrimSpace(a.code) == "" {
			bad("no account chosen for %s", a.name)
		}
	}
	for _, code := range sortedKeys(o.Totals) {
		r := o.Totals[code]
		if notLines[code] {
			bad("order total %q is not a line and cannot have a rule", code)
		}
		if r.Kind != KindCharge && r.Kind != KindDiscount && r.Kind != KindAfterTax {
			bad("order total %q: kind %q must be charge, discount or after_tax", code, r.Kind)
		}
	}
	if strings.TrimSpace(o.NoTaxType) == "" {
		bad("no tax type chosen for lines without tax (e.g. NONE)")
	}
	type key struct {
		title, typ string
		rate       string
	}
	seen := map[key]bool{}
	for _, m := range o.TaxRates {
		name := fmt.Sprintf("tax rate %q (%s %s)", m.Title, m.Rate.String(), m.Type)
		if strings.TrimSpace(m.Title) == "" {
			bad("a tax rate has no name")
		}
		if m.Type != "P" && m.Type != "F" {
			bad("%s: type must be P (percentage) or F (fixed amount)", name)
		}
		if m.Rate.IsNegative() {
			bad("%s: rate must not be negative", name)
		}
		if strings.TrimSpace(m.TaxType) == "" {
			bad("%s: no Xero tax type chosen", name)
		}
		k := key{strings.ToLower(strings.TrimSpace(m.Title)), m.Type, m.Rate.String()}
		if seen[k] {
			bad("%s is listed twice", name)
		}
		seen[k] = true
	}
	o.TaxClasses.validate(bad)
	for _, c := range o.TaxCombinations {
		if len(c.Titles) < 2 || strings.TrimSpace(c.TaxType) == "" {
			bad("tax combination %v needs at least two rate names and a Xero tax type", c.Titles)
		}
	}
	o.validateReturnActions(bad)
	if len(o.RefundStatusIDs) == 0 && len(o.RefundStatusNames) == 0 {
		bad("no order status chosen as refunded")
	}
	if len(o.PaidStatusIDs) == 0 {
		bad("no order status chosen as paid")
	}
	for _, id := range o.PaidStatusIDs {
		if slices.Contains(o.RefundStatusIDs, id) {
			bad("%s cannot be both paid and refunded", o.StatusWords(id))
		}
	}
	o.validatePaymentMethods(bad)
	if o.InvoiceStatus == StatusAuthorised && strings.TrimSpace(o.DefaultPaymentAccount) == "" {
		bad("no default bank account chosen for payments")
	}
	return errors.Join(errs...)
}

// totalRule says how an order total row with this code is booked, and
// whether the code is one OpenCart or the options know.
func (o Options) totalRule(code string, value decimal.Decimal) (TotalRule, bool) {
	r, ok := o.Totals[code]
	if !ok {
		var kind TotalKind
		kind, ok = builtinTotals[code]
		r.Kind = kind
	}
	if !ok {
		r.Kind = KindCharge
		if value.IsNegative() {
			r.Kind = KindDiscount
		}
		r.Account = o.Accounts.Fees
	}
	if r.Account == "" {
		switch {
		case code == "shipping":
			r.Account = o.Accounts.Shipping
		case r.Kind == KindDiscount:
			r.Account = o.Accounts.Discounts
		case r.Kind == KindAfterTax:
			r.Account = o.Accounts.StoreCredit
		default:
			r.Account = o.Accounts.Fees
		}
	}
	return r, ok
}

// IsRefunded reports whether the order's status means it was refunded in full.
func (o Options) IsRefunded(order opencart.Order) bool {
	return o.isRefundStatus(order.StatusID, order.Status)
}

func (o Options) isRefundStatus(id int, name string) bool {
	if slices.Contains(o.RefundStatusIDs, id) {
		return true
	}
	return id != 0 && containsFold(o.RefundStatusNames, name)
}

// CreditsMoney reports whether the return's action gives the customer
// money back, as cash or as store credit.
func (o Options) CreditsMoney(r opencart.Return) bool {
	return o.ReturnTreatment(r).GivesCredit()
}

// paymentAccount is the bank account for a payment method code: the
// whole code, then its first part ("bank_transfer" of
// "bank_transfer.bank_transfer"), then the default.
func (o Options) paymentAccount(code string) string {
	if a, ok := o.PaymentAccounts[code]; ok && a != "" {
		return a
	}
	if i := strings.IndexByte(code, '.'); i > 0 {
		if a, ok := o.PaymentAccounts[code[:i]]; ok && a != "" {
			return a
		}
	}
	return o.DefaultPaymentAccount
}

// fillNumber puts values into a numbering pattern.
func fillNumber(pattern string, values map[string]string) string {
	return placeholder.ReplaceAllStringFunc(pattern, func(p string) string {
		if v, ok := values[p]; ok {
			return v
		}
		return p
	})
}

// InvoiceNumberFor is the Xero invoice number of an order, and a note when
// the pattern could not be used as asked.
func (o Options) InvoiceNumberFor(order opencart.Order) (string, string) {
	pattern, note := o.InvoicePattern(order.StoreID), ""
	ocNumber := order.InvoiceNumber()
	if strings.Contains(pattern, "{invoice_no}") && ocNumber == "" {
		pattern = withPrefix(DefaultInvoiceNumber, DefaultInvoiceNumber, o.StorePrefix(order.StoreID))
		note = fmt.Sprintf("order %d has no OpenCart invoice number yet, so it is numbered %s", order.ID, fillNumber(pattern, map[string]string{"{order_id}": strconv.Itoa(order.ID)}))
	}
	n := fillNumber(pattern, map[string]string{"{order_id}": strconv.Itoa(order.ID), "{invoice_no}": ocNumber})
	return Clean(n, DocNumberField), note
}

func containsFold(list []string, s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	for _, v := range list {
		if strings.EqualFold(strings.TrimSpace(v), s) {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// StatusWords names an order status in a message: its name when the shop's
// names are known (StatusNames), else its number.
func (o Options) StatusWords(id int) string {
	if n := strings.TrimSpace(o.StatusNames[id]); n != "" {
		return fmt.Sprintf("order status %q", n)
	}
	return fmt.Sprintf("order status %d", id)
}
