package mapping

import (
	"github.com/opencart-xero/opencart-xero/sync/mapping/mappingtest"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal {
	if s == "" {
		return decimal.Zero
	}
	return decimal.RequireFromString(s)
}

// testOptions are complete options for the test shop.
func testOptions() Options {
	o := DefaultOptions()
	o.InvoiceStatus = StatusAuthorised
	o.DueDays = 14
	o.Accounts = Accounts{Sales: "200", Shipping: "210", Discounts: "220", VouchersSold: "820", StoreCredit: "825",
		Fees: "260", FixedTax: "265", Rounding: "860"}
	for _, r := range mappingtest.TaxRates() {
		o.TaxRates = append(o.TaxRates, TaxMap{Title: r.Title, Rate: r.Rate, Type: r.Type, TaxType: r.TaxType})
	}
	for _, c := range mappingtest.TaxCombinations() {
		o.TaxCombinations = append(o.TaxCombinations, TaxCombination{Titles: c.Titles, TaxType: c.TaxType})
	}
	o.DefaultPaymentAccount = "090"
	o.PaymentAccounts = map[string]string{"pp_standard": "091"}
	o.CancelStatusIDs = []int{7, 8, 10, 14, 16} // the export's default statuses never exported
	return o
}

var testBooks = Books{ShopCurrency: "GBP", XeroCurrency: "GBP"}
