package export

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// Choices are what the bookkeeper picks from when setting up an export:
// the organisation's accounts and tax rates, the shop's tax rates, order
// statuses and payment methods, with the proposed picks. The settings
// screen only shows them; which of them may be picked where is decided
// here.
type Choices struct {
	// Accounts are the organisation's chart of accounts, as Xero lists it.
	Accounts []xero.Account
	// TaxRates are the organisation's active tax rates.
	TaxRates []xero.TaxRate
	// ShopTaxRates are the OpenCart tax rates.
	ShopTaxRates []opencart.TaxRate
	// Proposal is the saved export choices with the empty ones filled from
	// Xero and the shop (ProposeFrom): accounts, bank, tax mapping.
	Proposal Settings
	// Notes say what was proposed and what is left to choose.
	Notes []string
	// ReturnActions are the shop's return actions; the proposal has a
	// treatment for each.
	ReturnActions []opencart.ReturnAction
	// UnsureReturnActions are the return actions the proposal could not
	// place from their names (proposed as no money, to be checked).
	UnsureReturnActions []string
	// Statuses are the shop's order statuses.
	Statuses []opencart.OrderStatus
	// PaymentMethods are the payment methods seen on recent orders, then
	// those a bank account was saved for but no recent order used.
	PaymentMethods []opencart.Method
	// CustomFields are the shop's custom fields, those whose value is taken
	// as the customer's VAT or tax number marked (opencart.CustomField).
	CustomFields []opencart.CustomField
}

// NewChoices builds the choices from what was read from Xero and the shop:
// the organisation's country (ProposeFrom), accounts and tax rates, the shop's tax rates, order
// statuses and return actions, and recent orders (their payment methods
// are offered); saved are the saved export choices, which the proposal
// keeps.
func NewChoices(countryCode string, accounts []xero.Account, taxRates []xero.TaxRate, shopRates []opencart.TaxRate,
	statuses []opencart.OrderStatus, actions []opencart.ReturnAction, recent []opencart.Order, saved Settings) Choices {
	c := Choices{Accounts: accounts, ShopTaxRates: shopRates, Statuses: statuses, ReturnActions: actions}
	for _, t := range taxRates {
		if activeInXero(t.Status) {
			c.TaxRates = append(c.TaxRates, t)
		}
	}
	p := ProposeFrom(countryCode, accounts, taxRates, shopRates, actions, saved)
	c.Proposal, c.Notes, c.UnsureReturnActions = p.Settings, p.Notes, p.UnsureReturnActions
	seen := map[string]bool{}
	for _, o := range recent {
		if m := o.PaymentMethod; m.Code != "" && !seen[m.Code] {
			seen[m.Code] = true
			c.PaymentMethods = append(c.PaymentMethods, m)
		}
	}
	for code := range saved.PaymentAccounts {
		if !seen[code] {
			seen[code] = true
			c.PaymentMethods = append(c.PaymentMethods, opencart.Method{Title: code, Code: code})
		}
	}
	for code := range saved.PaidStatusByMethod {
		if !seen[code] && !slices.ContainsFunc(c.PaymentMethods, func(m opencart.Method) bool { return methodRuleKey(m.Code) == code }) {
			seen[code] = true
			c.PaymentMethods = append(c.PaymentMethods, opencart.Method{Title: code, Code: code})
		}
	}
	c.Notes = append(c.Notes, ProposePaymentMethods(c.PaymentMethods, statuses, accounts, &c.Proposal)...)
	return c
}

// activeInXero reports whether an account or tax rate of that status may
// be used: an active one, or one whose status Xero did not say.
func activeInXero(status string) bool {
	return status == "" || strings.EqualFold(status, xero.StatusActive)
}

// isBank reports whether an account is a bank account.
func isBank(a xero.Account) bool { return strings.EqualFold(a.Type, "BANK") }

// TakesPayments reports whether payments may be recorded to an account:
// bank accounts, and accounts Xero allows payments to.
func TakesPayments(a xero.Account) bool { return isBank(a) || a.EnablePaymentsToAccount }

// choosable are the accounts that may be picked at all: active, with a
// code (the settings store codes).
func (c Choices) choosable(ok func(xero.Account) bool) []xero.Account {
	var out []xero.Account
	for _, a := range c.Accounts {
		if activeInXero(a.Status) && a.Code != "" && ok(a) {
			out = append(out, a)
		}
	}
	return out
}

// LineAccounts are the accounts invoice and credit note lines may be
// booked to (sales, shipping, discounts, fees, rounding…): every active
// account with a code except bank accounts.
func (c Choices) LineAccounts() []xero.Account {
	return c.choosable(func(a xero.Account) bool { return !isBank(a) })
}

// PaymentAccounts are the accounts payments may be recorded to: active
// accounts with a code that take payments (TakesPayments).
func (c Choices) PaymentAccounts() []xero.Account {
	return c.choosable(TakesPayments)
}

// TaxMapping is the tax mapping to show: one entry per proposed OpenCart
// rate, with the Xero tax type saved (MergeTaxMapping) where there is one.
func (c Choices) TaxMapping(saved []mapping.TaxMap) []mapping.TaxMap {
	return MergeTaxMapping(saved, c.Proposal.TaxRates)
}

// MergeTaxMapping returns proposed with each rate's Xero tax type taken
// from saved where saved maps the same OpenCart rate (same title, type and
// rate) to a tax type; an empty saved tax type leaves the proposed one.
// proposed itself is not changed.
func MergeTaxMapping(saved, proposed []mapping.TaxMap) []mapping.TaxMap {
	if proposed == nil {
		return nil
	}
	out := make([]mapping.TaxMap, len(proposed))
	for i, p := range proposed {
		for _, s := range saved {
			if sameShopRate(s, p) && s.TaxType != "" {
				p.TaxType = s.TaxType
			}
		}
		out[i] = p
	}
	return out
}

// sameShopRate reports whether two tax mappings are for the same OpenCart
// rate: the same title (ignoring case and surrounding spaces), type and rate.
func sameShopRate(a, b mapping.TaxMap) bool {
	return strings.EqualFold(strings.TrimSpace(a.Title), strings.TrimSpace(b.Title)) && a.Type == b.Type && a.Rate.Equal(b.Rate)
}

// MaxAutoSyncMinutes is the longest interval of the automatic export: a day.
const MaxAutoSyncMinutes = 24 * 60

// ErrAutoSyncInterval is returned for an interval of the automatic export
// out of range.
var ErrAutoSyncInterval = errors.New("write the number of minutes between exports, from 1 to 1440")

// CheckAutoSyncInterval says why minutes cannot be the interval of the
// automatic export (Settings.AutoSyncMinutes when it is on), or nil.
func CheckAutoSyncInterval(minutes int) error {
	if minutes < 1 || minutes > MaxAutoSyncMinutes {
		return ErrAutoSyncInterval
	}
	return nil
}

// usesStoreCredit reports whether some return action gives store credit.
func usesStoreCredit(o mapping.Options) bool {
	return slices.ContainsFunc(o.ReturnActions, func(r mapping.ReturnRule) bool { return r.Treatment == mapping.TreatStoreCredit })
}

// CheckStoreCredit says why the store-credit account does not fit the
// return actions, or nil. A return treated as store credit is paid out to
// that account instead of the bank (no money leaves), so once documents
// are approved (payments are made only then) the account must accept
// payments. An account Xero does not have is checkChoices' to report.
func CheckStoreCredit(o mapping.Options, accounts []xero.Account) error {
	if o.InvoiceStatus != mapping.StatusAuthorised || !usesStoreCredit(o) || o.Accounts.StoreCredit == "" {
		return nil
	}
	var actions []string
	for _, r := range o.ReturnActions {
		if r.Treatment == mapping.TreatStoreCredit {
			actions = append(actions, strconv.Quote(r.Action))
		}
	}
	for _, a := range accounts {
		if !strings.EqualFold(a.Code, o.Accounts.StoreCredit) || !activeInXero(a.Status) {
			continue
		}
		if a.EnablePaymentsToAccount && !isBank(a) {
			return nil
		}
		return fmt.Errorf("account %s (%s) is the store credit account but does not accept payments, and return actions %s give store credit, which is paid out to it: "+
			"choose a liability account that accepts payments (e.g. \"Customer Store Credit\", with \"Enable payments to this account\" ticked in Xero), or treat those actions as cash refunds",
			a.Code, a.Name, strings.Join(actions, ", "))
	}
	return nil
}
