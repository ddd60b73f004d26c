package export

import (
	"errors"
	"strings"
)

// Field is one field of the settings an engine error can point at, so the
// window can open Settings there.
type Field string

// The settings fields errors point at.
const (
	FieldSales         Field = "account: sales"
	FieldShipping      Field = "account: shipping"
	FieldDiscounts     Field = "account: discounts"
	FieldVouchersSold  Field = "account: gift vouchers sold"
	FieldStoreCredit   Field = "account: store credit"
	FieldFees          Field = "account: fees"
	FieldRounding      Field = "account: rounding"
	FieldBankAccount   Field = "account: payments"
	FieldTaxRates      Field = "tax rates"
	FieldNoTax         Field = "lines without tax"
	FieldVATClasses    Field = "untaxed sales"
	FieldStatuses      Field = "order statuses"
	FieldInvoiceStatus Field = "invoice status"
	FieldAutoExport    Field = "automatic export"
)

// accountFieldWords are the words the settings' checks name an account by
// (mapping's "no account chosen for …", checkChoices' "account 200 (…)").
var accountFieldWords = []struct {
	words string
	field Field
}{
	{"gift vouchers sold", FieldVouchersSold}, {"store credit", FieldStoreCredit}, {"sales", FieldSales},
	{"shipping", FieldShipping}, {"discounts", FieldDiscounts}, {"fees", FieldFees}, {"rounding", FieldRounding},
	{"payments", FieldBankAccount},
}

// SettingsField is the settings field that fixes err, a run stopped by the
// settings (ErrSettings) or a settings check: the first problem it names
// decides. ok is false when err names no field.
func SettingsField(err error) (f Field, ok bool) {
	if err == nil {
		return "", false
	}
	if errors.Is(err, ErrAutoSyncInterval) {
		return FieldAutoExport, true
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		if f, ok := fieldOf(strings.ToLower(strings.TrimSpace(line))); ok {
			return f, true
		}
	}
	return "", false
}

// fieldOf is the field one problem's words point at.
func fieldOf(m string) (Field, bool) {
	switch {
	case m == "" || strings.HasSuffix(m, ":"):
		return "", false
	case strings.Contains(m, "is the store credit account"):
		return FieldStoreCredit, true
	case strings.HasPrefix(m, "invoice status"):
		return FieldInvoiceStatus, true
	case strings.HasPrefix(m, "order status"), strings.HasPrefix(m, "no order status"):
		return FieldStatuses, true
	case strings.Contains(m, "bank account"):
		return FieldBankAccount, true
	case strings.Contains(m, "(lines without tax)"):
		return FieldNoTax, true
	case strings.Contains(m, "(untaxed sales"):
		return FieldVATClasses, true
	case strings.HasPrefix(m, "tax type"), strings.HasPrefix(m, "tax rate"), strings.Contains(m, "no xero tax type"):
		return FieldTaxRates, true
	case strings.HasPrefix(m, "minutes"), strings.Contains(m, "between exports"):
		return FieldAutoExport, true
	}
	if strings.HasPrefix(m, "no account chosen for ") || strings.HasPrefix(m, "account ") {
		what := strings.TrimPrefix(m, "no account chosen for ")
		if i := strings.Index(m, "("); strings.HasPrefix(m, "account ") && i > 0 {
			what = m[i+1:]
		}
		for _, a := range accountFieldWords {
			if strings.HasPrefix(what, a.words) {
				return a.field, true
			}
		}
	}
	return "", false
}
