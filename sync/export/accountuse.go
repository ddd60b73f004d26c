package export

import (
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// AccountUse is what an account is chosen for in the settings.
type AccountUse int

// The uses of an account, one per account the settings choose.
const (
	// UseSales books products sold.
	UseSales AccountUse = iota
	// UseShipping books shipping charged.
	UseShipping
	// UseDiscounts books coupons and reward points.
	UseDiscounts
	// UseVouchersSold books gift vouchers sold: money owed to whoever
	// spends them.
	UseVouchersSold
	// UseStoreCredit books store credit and vouchers spent on an order.
	UseStoreCredit
	// UseFees books fees and surcharges charged.
	UseFees
	// UseRounding books the last cent that makes an invoice equal the shop's.
	UseRounding
	// UsePayments is where money received and refunded goes: payments,
	// refunds, per payment method too.
	UsePayments
)

// AccountUses are every use, in the settings' order.
var AccountUses = []AccountUse{UseSales, UseShipping, UseDiscounts, UseVouchersSold, UseStoreCredit, UseFees, UseRounding, UsePayments}

// String is the use in the settings' words.
func (u AccountUse) String() string {
	switch u {
	case UseSales:
		return "sales"
	case UseShipping:
		return "shipping"
	case UseDiscounts:
		return "discounts"
	case UseVouchersSold:
		return "gift vouchers sold"
	case UseStoreCredit:
		return "store credit and vouchers used"
	case UseFees:
		return "fees and surcharges"
	case UseRounding:
		return "rounding"
	case UsePayments:
		return "payments and refunds"
	}
	return "an unknown use"
}

// Xero's account classes (an account's Class).
const (
	classAsset     = "ASSET"
	classEquity    = "EQUITY"
	classExpense   = "EXPENSE"
	classLiability = "LIABILITY"
	classRevenue   = "REVENUE"
)

// accountClass is an account's class as Xero gives it, else as its type
// implies (an account read without its class).
func accountClass(a xero.Account) string {
	if a.Class != "" {
		return strings.ToUpper(a.Class)
	}
	switch strings.ToUpper(a.Type) {
	case "BANK", "CURRENT", "FIXED", "INVENTORY", "NONCURRENT", "PREPAYMENT":
		return classAsset
	case "CURRLIAB", "LIABILITY", "TERMLIAB", "PAYGLIABILITY", "SUPERANNUATIONLIABILITY", "WAGESPAYABLELIABILITY":
		return classLiability
	case "EQUITY":
		return classEquity
	case "DEPRECIATN", "DIRECTCOSTS", "EXPENSE", "OVERHEADS", "SUPERANNUATIONEXPENSE", "WAGESEXPENSE":
		return classExpense
	case "REVENUE", "SALES", "OTHERINCOME":
		return classRevenue
	}
	return ""
}

// lineClasses are the account classes each line use allows.
var lineClasses = map[AccountUse][]string{
	UseSales:     {classRevenue},
	UseShipping:  {classRevenue},
	UseDiscounts: {classRevenue, classExpense},
	// Vouchers sold are owed until spent (a liability); some book them as
	// sales when sold, which stays allowed.
	UseVouchersSold: {classLiability, classRevenue},
	UseStoreCredit:  {classLiability, classRevenue},
	UseFees:         {classRevenue},
	UseRounding:     {classRevenue, classExpense},
}

// AccountUnfit says why account a may not be chosen for use, in words,
// or "" when it may: lines go to accounts of the classes that use books
// (income for sales, a liability or income for vouchers…), never to a
// bank account or one of Xero's system accounts (receivables, payables,
// VAT, retained earnings; rounding may take Xero's rounding account);
// payments and refunds go to a bank account or one that allows payments.
// Archived accounts and accounts without a code are never offered.
func AccountUnfit(use AccountUse, a xero.Account) string {
	switch {
	case !activeInXero(a.Status):
		return "archived in Xero"
	case a.Code == "":
		return "has no code in Xero"
	case use == UsePayments:
		if TakesPayments(a) {
			return ""
		}
		return "not a bank account, and Xero does not allow payments to it"
	case isBank(a):
		return "a bank account: invoice lines never go to one"
	case use == UseRounding && strings.EqualFold(a.SystemAccount, "ROUNDING"):
		return ""
	case a.SystemAccount != "":
		return "one of Xero's system accounts, which invoice lines cannot use"
	}
	class := accountClass(a)
	for _, c := range lineClasses[use] {
		if class == c {
			return ""
		}
	}
	return "not " + classWords(lineClasses[use]) + " account"
}

// classWords names account classes for a reason: "an income or an expense".
func classWords(classes []string) string {
	words := map[string]string{classRevenue: "an income", classExpense: "an expense", classLiability: "a liability",
		classAsset: "an asset", classEquity: "an equity"}
	var out []string
	for _, c := range classes {
		out = append(out, words[c])
	}
	return strings.Join(out, " or ")
}

// AccountsFor are the accounts that may be chosen for use, in Xero's order.
func (c Choices) AccountsFor(use AccountUse) []xero.Account {
	var out []xero.Account
	for _, a := range c.Accounts {
		if AccountUnfit(use, a) == "" {
			out = append(out, a)
		}
	}
	return out
}

// AccountByCode is the organisation's account with code, if it has one.
func (c Choices) AccountByCode(code string) (xero.Account, bool) {
	for _, a := range c.Accounts {
		if code != "" && strings.EqualFold(a.Code, code) {
			return a, true
		}
	}
	return xero.Account{}, false
}
