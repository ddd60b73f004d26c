package mappingtest

import (
	"math/rand/v2"
	"strconv"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/shopspring/decimal"
)

// RandomOrder builds an order from two seeds: random 4-decimal
// (sometimes 6-decimal) prices, quantities, tax classes of one region,
// shipping, fees, coupons of both kinds, reward points, store credit,
// vouchers, and one of four currencies at an 8-decimal rate.
func RandomOrder(seed1, seed2 uint64) opencart.Order {
	rnd := rand.New(rand.NewPCG(seed1, seed2))
	money := func(maxUnits int, places int32) string {
		return decimal.New(rnd.Int64N(int64(maxUnits)*10000+1), -4).Round(places).String()
	}
	classes := [][][]refRate{
		{nil, {rateVAT}, {rateVAT, rateEco}, {rateReduced}, {rateVAT, rateEcoSmal}},
		{nil, {rateGST}, {rateGST, ratePST}},
	}[rnd.IntN(2)]
	class := func() []refRate { return classes[rnd.IntN(len(classes))] }
	ro := refOrder{id: int(seed1%100000) + 1, couponSort: []int{2, 4}[rnd.IntN(2)]}
	for i := range 1 + rnd.IntN(5) {
		price := money(300, 4)
		if rnd.IntN(5) == 0 {
			price = decimal.New(rnd.Int64N(300_000_000), -6).String() // 4.1 percentage discounts
		}
		qty := 1 + rnd.IntN(12)
		if rnd.IntN(8) == 0 {
			qty = 1 + rnd.IntN(1000)
		}
		p := refProduct{name: "Product " + strconv.Itoa(i), price: price, qty: qty, rates: class(),
			noCoupon: rnd.IntN(4) == 0, points: rnd.IntN(2) == 0}
		ro.products = append(ro.products, p)
	}
	if rnd.IntN(2) == 0 {
		ro.shipping = ship(money(30, 2), class()...)
	}
	if rnd.IntN(6) == 0 {
		ro.fees = append(ro.fees, refFee{code: "handling", title: "Handling Fee", value: money(10, 2), rates: class(), sort: 3})
	}
	if rnd.IntN(8) == 0 {
		ro.fees = append(ro.fees, refFee{code: "payment_fee", title: "Payment fee", value: money(5, 2), rates: class(), sort: 4})
	}
	if rnd.IntN(5) < 2 {
		c := &refCoupon{code: "C" + strconv.Itoa(rnd.IntN(99)), typ: "P", discount: strconv.Itoa(1 + rnd.IntN(100)), shipping: rnd.IntN(4) == 0}
		if rnd.IntN(2) == 0 {
			c.typ, c.discount = "F", money(150, 2)
		}
		ro.coupon = c
	}
	if rnd.IntN(4) == 0 {
		ro.reward = decimal.New(1+rnd.Int64N(100), -2).String()
	}
	if rnd.IntN(7) == 0 {
		ro.credit = money(100, 2)
	}
	if rnd.IntN(7) == 0 {
		ro.voucher = money(100, 2)
	}
	if rnd.IntN(10) == 0 {
		ro.vouchers = []string{money(100, 2)}
	}
	switch rnd.IntN(4) {
	case 1:
		ro.currency, ro.cv, ro.dp = "EUR", decimal.New(50_000_000+rnd.Int64N(150_000_000), -8).String(), 2
	case 2:
		ro.currency, ro.cv, ro.dp = "USD", decimal.New(50_000_000+rnd.Int64N(150_000_000), -8).String(), 2
	case 3:
		ro.currency, ro.cv, ro.dp = "JPY", decimal.New(10_000_000_000+rnd.Int64N(20_000_000_000), -8).String(), 0
	}
	return ro.build()
}
