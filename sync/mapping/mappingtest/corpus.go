package mappingtest

import (
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// corpusCase is one order of the corpus as written: the checkout, an
// optional change afterwards (names, customers) and what is expected.
type corpusCase struct {
	name    string
	order   refOrder
	change  func(*opencart.Order)
	wantErr bool
	want    string
}

// Case is one order of the corpus: built by the reference calculator,
// sometimes changed afterwards (names, customers), with what it must give.
type Case struct {
	// Name says what the order tests (docs/OPENCART.md §3 numbers where it has one).
	Name string
	// Order is the order as the OpenCart reader returns it.
	Order opencart.Order
	// Want is the total worked out by hand (in the order currency, to its
	// decimals), "" when only the calculator's total is known.
	Want string
	// WantErr says the order must be refused, never sent to Xero.
	WantErr bool
}

// Corpus returns the orders of docs/OPENCART.md §3 and their neighbours: VAT per
// order, rounding per row, coupons, reward points, store credit, gift
// vouchers bought and redeemed, fixed and combined taxes, fees, JPY, EUR
// and USD at 8-decimal rates, guests, deleted customers and awkward text.
func Corpus() []Case {
	var out []Case
	for _, c := range corpus() {
		o := c.order.build()
		if c.change != nil {
			c.change(&o)
		}
		out = append(out, Case{Name: c.name, Order: o, Want: c.want, WantErr: c.wantErr})
	}
	return out
}

func flat(rates ...refRate) *refFee {
	return &refFee{code: "shipping", title: "Flat Shipping Rate", value: "5.00", rates: rates, sort: 3}
}

func ship(value string, rates ...refRate) *refFee {
	return &refFee{code: "shipping", title: "Flat Shipping Rate", value: value, rates: rates, sort: 3}
}

func prod(name, price string, qty int, rates ...refRate) refProduct {
	return refProduct{name: name, model: "M-" + strings.ReplaceAll(name, " ", ""), price: price, qty: qty, rates: rates}
}

func withPoints(p refProduct) refProduct { p.points = true; return p }

func noCoupon(p refProduct) refProduct { p.noCoupon = true; return p }

const (
	eurCV = "1.16123456"
	usdCV = "1.27654321"
	jpyCV = "187.12345678"
)

func corpus() []corpusCase {
	long := strings.Repeat("Grand Widget Deluxe ", 14) // 280 characters
	return []corpusCase{
		{name: "M1 tax per order, not per line", want: "3.56", order: refOrder{id: 1, products: []refProduct{
			prod("Pen", "0.99", 1, rateVAT), prod("Pencil", "0.99", 1, rateVAT), prod("Eraser", "0.99", 1, rateVAT)}}},
		{name: "M2 EUR rows rounded one by one", want: "14.18", order: refOrder{id: 2, currency: "EUR", cv: "0.78460002", dp: 2,
			products: []refProduct{prod("Mug", "10.06", 1, rateVAT)}, shipping: flat(rateVAT)}},
		{name: "M3 coupon reduces VAT, eco tax is not reduced", want: "106.00", order: refOrder{id: 3,
			products: []refProduct{prod("Kettle", "100", 1, rateVAT, rateEco)}, shipping: flat(rateVAT, rateEco),
			coupon: &refCoupon{code: "SAVE20", typ: "P", discount: "20"}}},
		{name: "M4 eco tax per unit and per shipment", order: refOrder{id: 4,
			products: []refProduct{prod("Lamp", "12.50", 3, rateVAT, rateEco)}, shipping: flat(rateVAT, rateEco)}},
		{name: "M5 store credit is after tax", want: "35.00", order: refOrder{id: 5,
			products: []refProduct{prod("Chair", "50", 1, rateVAT)}, credit: "25"}},
		{name: "M6 gift voucher bought", want: "74.00", order: refOrder{id: 6,
			products: []refProduct{prod("Book", "20", 1, rateVAT)}, vouchers: []string{"50"}}},
		{name: "M7 4-decimal net price", want: "60.00", order: refOrder{id: 7,
			products: []refProduct{prod("Candle", "8.3333", 6, rateVAT)}}},
		{name: "M7b unit tax drift over 1000 units", want: "500.04", order: refOrder{id: 8,
			products: []refProduct{prod("Screw", "0.4167", 1000, rateVAT)}}},
		{name: "M11 100% coupon with free shipping before shipping", want: "5.00", order: refOrder{id: 9, couponSort: 2,
			products: []refProduct{prod("Cap", "10", 1, rateVAT)}, shipping: flat(rateVAT),
			coupon: &refCoupon{code: "FREE", typ: "P", discount: "100", shipping: true}}},
		{name: "M12 reward and coupon cancel the VAT row", want: "20.00", order: refOrder{id: 10, reward: "1",
			products: []refProduct{withPoints(prod("Hat", "10", 1, rateVAT)), noCoupon(prod("Card", "30", 1))},
			coupon:   &refCoupon{code: "HATS", typ: "P", discount: "100"}}},
		{name: "M13 negative total", wantErr: true, order: refOrder{id: 11, clamp: true,
			products: []refProduct{prod("Sock", "20", 1)},
			fees:     []refFee{{code: "custom_discount", title: "Loyalty discount", value: "-50", sort: 6}}}},
		{name: "M16 unknown taxed payment fee", order: refOrder{id: 12,
			products: []refProduct{prod("Shirt", "25", 2, rateVAT)}, shipping: flat(rateVAT),
			fees: []refFee{{code: "payment_fee", title: "PayPal fee", value: "2.50", rates: []refRate{rateVAT}, sort: 4}}}},
		{name: "M16 klarna fee untaxed", order: refOrder{id: 13,
			products: []refProduct{prod("Shoe", "45.99", 1, rateVAT)}, shipping: flat(rateVAT),
			fees: []refFee{{code: "klarna_fee", title: "Klarna Invoice Fee", value: "1.95", sort: 4}}}},
		{name: "M18 JPY with no decimals", order: refOrder{id: 14, currency: "JPY", cv: jpyCV, dp: 0,
			products: []refProduct{prod("Tea", "3.33", 3, rateVAT), prod("Cup", "7.77", 2, rateVAT)}, shipping: flat(rateVAT)}},
		{name: "M18 JPY with coupon and eco", order: refOrder{id: 15, currency: "JPY", cv: jpyCV, dp: 0,
			products: []refProduct{prod("Fan", "19.99", 2, rateVAT, rateEco)}, shipping: flat(rateVAT),
			coupon: &refCoupon{code: "JP10", typ: "P", discount: "10"}}},
		{name: "EUR fixed coupon", order: refOrder{id: 16, currency: "EUR", cv: eurCV, dp: 2,
			products: []refProduct{prod("Bag", "33.3333", 1, rateVAT), prod("Belt", "12.5", 2, rateVAT)}, shipping: flat(rateVAT),
			coupon: &refCoupon{code: "TENOFF", typ: "F", discount: "10"}}},
		{name: "USD reward points", order: refOrder{id: 17, currency: "USD", cv: usdCV, dp: 2, reward: "0.37",
			products: []refProduct{withPoints(prod("Watch", "99.99", 1, rateVAT)), prod("Strap", "9.99", 3, rateVAT)}, shipping: flat(rateVAT)}},
		{name: "percentage coupon without shipping", order: refOrder{id: 18,
			products: []refProduct{prod("Plate", "7.49", 4, rateVAT)}, coupon: &refCoupon{code: "P15", typ: "P", discount: "15"}}},
		{name: "fixed coupon capped at the sub-total", order: refOrder{id: 19,
			products: []refProduct{prod("Spoon", "3.2", 5, rateVAT)}, shipping: flat(rateVAT),
			coupon: &refCoupon{code: "BIG", typ: "F", discount: "500"}}},
		{name: "coupon on some products only", order: refOrder{id: 20,
			products: []refProduct{prod("Desk", "120", 1, rateVAT), noCoupon(prod("Lamp shade", "15.5", 2, rateVAT))},
			shipping: flat(rateVAT), coupon: &refCoupon{code: "DESK", typ: "P", discount: "25"}}},
		{name: "two VAT rates with a fixed coupon", order: refOrder{id: 21,
			products: []refProduct{prod("Toy", "24.99", 2, rateVAT), prod("Child seat", "80", 1, rateReduced)}, shipping: flat(rateVAT),
			coupon: &refCoupon{code: "KIDS", typ: "F", discount: "30"}}},
		{name: "GST and PST on one line", order: refOrder{id: 22, currency: "USD", cv: usdCV, dp: 2,
			products: []refProduct{prod("Jacket", "149.95", 1, rateGST, ratePST)}, shipping: flat(rateGST)}},
		{name: "GST and PST with a coupon", order: refOrder{id: 23,
			products: []refProduct{prod("Boots", "89.5", 2, rateGST, ratePST), prod("Laces", "2.25", 3, rateGST)},
			shipping: flat(rateGST), coupon: &refCoupon{code: "FALL", typ: "P", discount: "10", shipping: true}}},
		{name: "handling fee taxed", order: refOrder{id: 24,
			products: []refProduct{prod("Vase", "40", 1, rateVAT)}, shipping: flat(rateVAT),
			fees: []refFee{{code: "handling", title: "Handling Fee", value: "3.50", rates: []refRate{rateVAT}, sort: 3}}}},
		{name: "low order fee untaxed", order: refOrder{id: 25,
			products: []refProduct{prod("Clip", "1.10", 2, rateVAT)}, shipping: flat(rateVAT),
			fees: []refFee{{code: "low_order_fee", title: "Low Order Fee", value: "2", sort: 3}}}},
		{name: "gift voucher redeemed", order: refOrder{id: 26,
			products: []refProduct{prod("Scarf", "18.75", 2, rateVAT)}, shipping: flat(rateVAT), voucher: "10"}},
		{name: "store credit covers the whole order", want: "0.00", order: refOrder{id: 27,
			products: []refProduct{prod("Gloves", "15", 1, rateVAT)}, credit: "100"}},
		{name: "free product", want: "0.00", order: refOrder{id: 28, products: []refProduct{prod("Sample", "0", 1, rateVAT)}}},
		{name: "free shipping row of zero", order: refOrder{id: 29,
			products: []refProduct{prod("Pillow", "22.22", 1, rateVAT)}, shipping: ship("0", rateVAT)}},
		{name: "untaxed shipping with a coupon", order: refOrder{id: 30,
			products: []refProduct{prod("Rug", "59.99", 1, rateVAT)}, shipping: ship("4.95"),
			coupon: &refCoupon{code: "RUG", typ: "P", discount: "10"}}},
		{name: "ten odd prices in EUR", order: refOrder{id: 31, currency: "EUR", cv: eurCV, dp: 2, products: []refProduct{
			prod("A", "0.3333", 3, rateVAT), prod("B", "1.0101", 7, rateVAT), prod("C", "2.4999", 1, rateVAT), prod("D", "0.0105", 11, rateVAT),
			prod("E", "5.5555", 2, rateVAT), prod("F", "9.9999", 1, rateVAT), prod("G", "0.125", 8, rateVAT), prod("H", "3.3335", 3, rateVAT),
			prod("I", "7.0001", 1, rateVAT), prod("J", "0.9949", 9, rateVAT)}, shipping: flat(rateVAT)}},
		{name: "4.1 percentage discount gives 6-decimal prices", order: refOrder{id: 32,
			products: []refProduct{prod("Blender", "16.666667", 3, rateVAT), prod("Jug", "4.123456", 7, rateVAT)}}},
		{name: "large quantity of a cheap part in USD", order: refOrder{id: 33, currency: "USD", cv: usdCV, dp: 2,
			products: []refProduct{prod("Washer", "0.0333", 250, rateVAT)}}},
		{name: "product options", order: refOrder{id: 34, products: []refProduct{{name: "T-Shirt", model: "TS-1", price: "15", qty: 2,
			rates: []refRate{rateVAT}, options: [][2]string{{"Size", "L"}, {"Colour", "Red"}}}}, shipping: flat(rateVAT)}},
		{name: "small eco tax over seven units", order: refOrder{id: 35,
			products: []refProduct{prod("Battery", "1.49", 7, rateVAT, rateEcoSmal)}, shipping: flat(rateVAT)}},
		{name: "half paid with reward points, with eco tax", order: refOrder{id: 36, reward: "0.5",
			products: []refProduct{withPoints(prod("Heater", "65", 1, rateVAT, rateEco)), prod("Plug", "3", 2, rateVAT)}, shipping: flat(rateVAT, rateEco)}},
		{name: "coupon, reward, store credit and voucher together", order: refOrder{id: 37, reward: "0.2", credit: "5", voucher: "7.5",
			products: []refProduct{withPoints(prod("Drill", "79", 1, rateVAT)), prod("Bits", "12.4", 2, rateVAT)}, shipping: flat(rateVAT),
			coupon: &refCoupon{code: "DIY", typ: "P", discount: "5"}}},
		{name: "guest", order: refOrder{id: 38, products: []refProduct{prod("Map", "6.5", 1, rateVAT)}, shipping: flat(rateVAT)}},
		{name: "deleted customer", order: refOrder{id: 39, customerID: 77, products: []refProduct{prod("Globe", "30", 1, rateVAT)}},
			change: func(o *opencart.Order) { o.CustomerDeleted = true }},
		{name: "disabled customer", order: refOrder{id: 40, customerID: 78, products: []refProduct{prod("Atlas", "30", 1, rateVAT)}}},
		{name: "decoded entities, emoji and a 280-character name", order: refOrder{id: 41, products: []refProduct{
			prod("Fish & Chips \"Deluxe\" <b>", "4.5", 2, rateVAT), prod("Cake 🎂 party", "12", 1, rateVAT), prod(long, "1", 1, rateVAT)}}},
		{name: "no tax at all", order: refOrder{id: 42, products: []refProduct{prod("Export box", "48", 2)}, shipping: ship("12")}},
		{name: "reduced-rate products, standard-rate shipping", order: refOrder{id: 43,
			products: []refProduct{prod("Baby food", "2.79", 6, rateReduced)}, shipping: flat(rateVAT)}},
		{name: "USD free-shipping coupon", order: refOrder{id: 44, currency: "USD", cv: usdCV, dp: 2,
			products: []refProduct{prod("Lens", "249", 1, rateVAT)}, shipping: ship("9.95", rateVAT),
			coupon: &refCoupon{code: "SHIPFREE", typ: "F", discount: "0", shipping: true}}},
		{name: "EUR gift voucher bought with a taxed product", order: refOrder{id: 45, currency: "EUR", cv: eurCV, dp: 2,
			products: []refProduct{prod("Frame", "17.89", 1, rateVAT)}, vouchers: []string{"25", "40"}}},
		{name: "high value order", order: refOrder{id: 46, products: []refProduct{prod("Machine", "9999.9999", 99, rateVAT)}, shipping: ship("250", rateVAT)}},
		{name: "reward covers everything, shipping taxed", order: refOrder{id: 47, reward: "1",
			products: []refProduct{withPoints(prod("Poster", "12", 2, rateVAT))}, shipping: flat(rateVAT)}},
		{name: "same name, different e-mail", order: refOrder{id: 48, customerID: 91, products: []refProduct{prod("Ink", "8", 1, rateVAT)}},
			change: func(o *opencart.Order) { o.Email = "jane.smith@other.example" }},
		{name: "EUR coupon on two rates with eco", order: refOrder{id: 49, currency: "EUR", cv: eurCV, dp: 2,
			products: []refProduct{prod("Radio", "45.45", 1, rateVAT, rateEco), prod("Manual", "6.6", 1, rateReduced)}, shipping: flat(rateVAT, rateEco),
			coupon: &refCoupon{code: "MIX", typ: "F", discount: "12.34", shipping: true}}},
	}
}
