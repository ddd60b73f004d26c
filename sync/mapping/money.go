package mapping

import (
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/shopspring/decimal"
)

// Books says which currency each side keeps its books in.
type Books struct {
	// ShopCurrency is OpenCart's default currency (the one with value 1),
	// in which OpenCart stores every amount.
	ShopCurrency string `json:"shop_currency"`
	// XeroCurrency is the Xero organisation's base currency.
	XeroCurrency string `json:"xero_currency"`
}

// Xero keeps every amount except unit prices to 2 decimals.
const xeroDP = 2

var (
	cent    = decimal.New(1, -2)
	hundred = decimal.NewFromInt(100)
)

// round rounds half away from zero, like PHP's round() (shopspring's Round
// does the same).
func round(d decimal.Decimal, places int) decimal.Decimal { return d.Round(int32(places)) }

// r2 rounds to Xero's 2 decimals.
func r2(d decimal.Decimal) decimal.Decimal { return round(d, xeroDP) }

// orderMoney is how one order's amounts become order-currency amounts.
type orderMoney struct {
	cv decimal.Decimal // order currency units per shop currency unit
	// dp is the decimals OpenCart shows the order currency with, capped at
	// Xero's 2.
	dp int
}

func moneyOf(o opencart.Order) orderMoney {
	m := orderMoney{cv: o.CurrencyValue, dp: o.CurrencyDecimalPlaces}
	if !m.cv.IsPositive() {
		m.cv = decimal.NewFromInt(1)
	}
	if m.dp < 0 || m.dp > xeroDP {
		m.dp = xeroDP
	}
	return m
}

// shown is an amount as OpenCart shows it in the order currency:
// R_dp(value × cv).
func (m orderMoney) shown(v decimal.Decimal) decimal.Decimal { return round(v.Mul(m.cv), m.dp) }

// line is an amount in the order currency at Xero's 2 decimals; for the
// usual 2-decimal currencies the same as shown.
func (m orderMoney) line(v decimal.Decimal) decimal.Decimal { return r2(v.Mul(m.cv)) }

// unit is a unit price in the order currency at Xero's 4 decimals (unitdp=4).
func (m orderMoney) unit(v decimal.Decimal) decimal.Decimal { return round(v.Mul(m.cv), 4) }

// taxTarget is what a tax row's lines must add up to in Xero, given the
// tax Xero itself computes for them (natural): OpenCart's row as shown,
// R_dp(row × cv). For a currency shown with fewer decimals than Xero's 2
// (JPY with 0), it is the cent amount nearest to natural within taxBand:
// rounding the tax to whole yen would make Xero keep tax amounts it does
// not compute itself, while the total still comes to OpenCart's through
// the rounding line.
func (m orderMoney) taxTarget(row, natural decimal.Decimal) decimal.Decimal {
	lo, hi := m.taxBand(row)
	return decimal.Min(decimal.Max(natural, lo), hi)
}

// taxBand is the range of cent amounts OpenCart would show as a tax row:
// the row itself for 2-decimal currencies, more for those shown with fewer.
func (m orderMoney) taxBand(row decimal.Decimal) (lo, hi decimal.Decimal) {
	shown := m.shown(row)
	if m.dp >= xeroDP {
		return shown, shown
	}
	half := m.step().Div(decimal.NewFromInt(2))
	// Halves round away from zero.
	lo, hi = shown.Sub(half), shown.Add(half)
	if shown.Sign() >= 0 {
		hi = hi.Sub(cent)
	}
	if shown.Sign() <= 0 {
		lo = lo.Add(cent)
	}
	if !round(lo, m.dp).Equal(shown) || !round(hi, m.dp).Equal(shown) {
		c := r2(row.Mul(m.cv))
		return c, c
	}
	return lo, hi
}

// step is the smallest amount OpenCart shows in the order currency.
func (m orderMoney) step() decimal.Decimal { return decimal.New(1, -int32(m.dp)) }

// DisplayedTotal is the order total as OpenCart showed it to the customer,
// as Xero can hold it: order total × currency value, rounded half away from
// zero (like PHP's round) to the order currency's decimals, at most Xero's
// 2. An order without a valid currency value is taken as it is (value 1),
// one with invalid decimals at 2. It is what the customer paid, and what an
// invoice for the order must come to in Xero.
func DisplayedTotal(o opencart.Order) decimal.Decimal { return DisplayedAmount(o, o.Total) }

// DisplayedAmount is an amount of the order (in the shop currency, as
// OpenCart stores it) as OpenCart shows it in the order currency, by the
// rule of DisplayedTotal.
func DisplayedAmount(o opencart.Order, v decimal.Decimal) decimal.Decimal {
	return moneyOf(o).shown(v)
}

// DisplayedDecimals is the number of decimals DisplayedTotal and
// DisplayedAmount are written with: the order currency's, at most 2.
func DisplayedDecimals(o opencart.Order) int { return moneyOf(o).dp }

// ExpectedTotal is what an order's invoice must come to in Xero: its
// DisplayedTotal.
func ExpectedTotal(o opencart.Order) decimal.Decimal { return DisplayedTotal(o) }

// XeroTotal is the total Xero computes for a document's lines: the sum of
// the line amounts (Quantity × UnitAmount to 2 decimals where no line
// amount is given) and the line tax amounts.
func XeroTotal(lines []xero.LineItem) decimal.Decimal {
	total := decimal.Zero
	for _, l := range lines {
		amount := l.LineAmount.Decimal()
		if !l.LineAmount.Given() {
			amount = r2(l.Quantity.Decimal().Mul(l.UnitAmount.Decimal()))
		}
		total = total.Add(amount).Add(l.TaxAmount.Decimal())
	}
	return total
}

// currencyRate is the Xero CurrencyRate for an order, when one should be
// sent. Xero's CurrencyRate is the number of document-currency units per
// one unit of the organisation's base currency, the same direction as
// OpenCart's currency_value (order-currency units per shop-currency unit);
// so it is the order's own rate, to Xero's 6 decimals, when the shop and
// Xero keep their books in the same currency.
func currencyRate(o opencart.Order, b Books, ps *problems) xero.Amount {
	code := strings.ToUpper(strings.TrimSpace(o.CurrencyCode))
	xeroCur := strings.ToUpper(strings.TrimSpace(b.XeroCurrency))
	shopCur := strings.ToUpper(strings.TrimSpace(b.ShopCurrency))
	if code == "" || code == xeroCur {
		return xero.Amount{}
	}
	if !o.CurrencyValue.IsPositive() {
		ps.errorf("currency rate", "order %d has no exchange rate for %s (currency value %s)", o.ID, code, o.CurrencyValue.String())
		return xero.Amount{}
	}
	if shopCur == "" || xeroCur == "" || shopCur != xeroCur {
		ps.warnf("currency rate", "the shop keeps its books in %s and Xero in %s, so Xero will use its own %s rate of the day", orUnknown(shopCur), orUnknown(xeroCur), code)
		return xero.Amount{}
	}
	// Xero keeps 6 decimals (OpenCart 8): only the base-currency value of
	// the invoice can move; its amounts in the order currency cannot (M9).
	rate := round(o.CurrencyValue, 6)
	if !rate.IsPositive() {
		ps.errorf("currency rate", "the exchange rate %s is too small for Xero", o.CurrencyValue.String())
		return xero.Amount{}
	}
	return xero.NewAmount(rate)
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown currency"
	}
	return s
}
