package export

import (
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// TaxRateLabel is a Xero tax rate as the bookkeeper sees it in Xero: its
// display name ("20% (VAT on Income)"), or its code when it has none.
func TaxRateLabel(t xero.TaxRate) string {
	if n := strings.TrimSpace(t.Name); n != "" {
		return n
	}
	return t.TaxType
}

// TaxTypeLabel is a tax type code (OUTPUT2) by its name in Xero's tax
// rates ("20% (VAT on Income)"), or the code itself when rates do not have
// it.
func TaxTypeLabel(code string, rates []xero.TaxRate) string {
	for _, t := range rates {
		if code != "" && strings.EqualFold(t.TaxType, code) {
			return TaxRateLabel(t)
		}
	}
	return code
}
