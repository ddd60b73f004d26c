package mapping

import (
	"fmt"
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
	// DefaultCurrency is the shop's config_currency today ("" = take
	// ShopCurrency). An order in another currency with a stored rate of 1
	// was placed when that currency was the base (docs/OPENCART.md M10).
	DefaultCurrency string `json:"default_currency,omitempty"`
	// Rates are today's currency.value by code (units per base unit): what
	// a stored rate is compared with (RateTrust).
	Rates map[string]decimal.Decimal `json:"rates,omitempty"`
}

// ShopBooks are the books as the shop's settings and currency table give
// them, with Xero keeping the same base currency until the organisation
// says otherwise.
func ShopBooks(s opencart.Settings, currencies []opencart.Currency) Books {
	b := Books{ShopCurrency: s.BaseCurrency, XeroCurrency: s.BaseCurrency, DefaultCurrency: s.Currency}
	for _, c := range currencies {
		if c.Value.IsPositive() {
			if b.Rates == nil {
				b.Rates = map[string]decimal.Decimal{}
			}
			b.Rates[strings.ToUpper(strings.TrimSpace(c.Code))] = c.Value
		}
	}
	return b
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
func currencyRate(o opencart.Order, b Books, opt Options, ps *problems) xero.Amount {
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
	if why := RateDistrust(o, b); why != "" {
		if opt.ImplausibleRate == RateRefuse {
			ps.errorf("currency rate", "%s; it is not exported (Settings: untrusted exchange rates are refused). To export it at Xero's own %s rate of the day, choose \"use Xero's rate\" for untrusted exchange rates", why, code)
		} else {
			ps.warnf("currency rate", "%s; it is sent without a rate, so Xero applies its own %s rate of the invoice date. Its %s amounts are those the customer was shown", why, code, code)
		}
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

// The choices for an exchange rate that cannot be trusted (RateDistrust):
// send the document without a rate, so that Xero applies its own rate of
// the day (RateXero, the default), or refuse it (RateRefuse).
const (
	RateXero   = "xero_rate"
	RateRefuse = "refuse"
)

// implausibleFactor is how far from today's rate a stored rate may be
// before it is not believed: exchange rates between currencies a shop
// sells in do not move threefold, while a rate typed in the wrong
// direction, or left at 1, is off by far more for most pairs.
var implausibleFactor = decimal.NewFromInt(3)

// RateDistrust says why the rate stored with a foreign-currency order (one
// not in the shop's default currency) cannot be trusted, or "" when it can:
//   - it is exactly 1: the order was placed when its currency was the shop's
//     base (the base currency was changed since, docs/OPENCART.md M10), or
//     the rate was never set;
//   - it is more than 3 times above or below the currency table's rate of
//     today for that currency.
//
// The order's amounts in its own currency (stored amount × rate) are still
// those the customer was shown and charged; only the rate to the books'
// currency is wrong.
func RateDistrust(o opencart.Order, b Books) string {
	code := strings.ToUpper(strings.TrimSpace(o.CurrencyCode))
	def := strings.ToUpper(strings.TrimSpace(b.DefaultCurrency))
	if def == "" {
		def = strings.ToUpper(strings.TrimSpace(b.ShopCurrency))
	}
	cv := o.CurrencyValue
	if code == "" || def == "" || code == def || !cv.IsPositive() {
		return ""
	}
	if cv.Equal(decimal.NewFromInt(1)) {
		return fmt.Sprintf("order %d is in %s with a stored exchange rate of exactly 1 while the shop's currency is %s: "+
			"the order was placed when %s was the shop's base currency (or its rate was never set), so 1 is not its rate to %s",
			o.ID, code, def, code, def)
	}
	today, ok := b.Rates[code]
	if !ok || !today.IsPositive() {
		return ""
	}
	if cv.GreaterThan(today.Mul(implausibleFactor)) || cv.Mul(implausibleFactor).LessThan(today) {
		return fmt.Sprintf("order %d is in %s with a stored exchange rate of %s, more than 3 times away from the shop's %s rate of today (%s)",
			o.ID, code, cv.String(), code, today.String())
	}
	return ""
}
