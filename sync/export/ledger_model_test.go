package export_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// The model-based test of the refunds ledger (issue 11). Each sequence is
// one order with its own customer: it is paid, set to refund statuses and
// back, gets returns with each action and partial quantities, has return
// actions changed, its customer deleted; settings change (the shipping
// account, and which order statuses count as refunds) and the bookkeeper
// approves draft credit notes in Xero. Between these events the real engine
// runs against the real MariaDB and the sandbox, sometimes interrupted (the
// context cancelled mid-run, or answers dropped after Xero committed).
// After every run a checker recomputes from OpenCart alone (plain SQL on
// the shop, never the engine's history or mapping) what the shop gave back
// and compares it with the sandbox's books (ledgerCheck).
//
// Xero-side events (issue 12) are played as the bookkeeper makes them
// through the sandbox's API: a payment recorded by hand (in full or in
// part, e.g. from the bank feed), a credit note allocated by hand, an
// invoice voided in Xero. Then, besides the ledger's checks: nothing is
// paid twice, never more than is due, and after a clean run no record is
// left failed for a reason the run could have read from Xero. An order
// whose invoice was voided in Xero is held to the safety checks only (its
// money there is closed).
//
// Runs read only what changed, as the app's do (Config.Incremental);
// OCX_LEDGER_FULL_READS=1 makes every run read everything instead.
//
// OCX_LEDGER_SEQUENCES sets how many sequences run (default
// ledgerDefaultSequences), OCX_LEDGER_SEED the seed (default fixed, so
// `make test` is repeatable; `make trials` passes a fresh one). A failure
// names the seed, the order, its events and the amounts.

const (
	ledgerDefaultSequences = 500
	ledgerShopSize         = 100 // sequences (orders) per shop, one shop per sub-test
	ledgerSteps            = 10  // rounds of events, each followed by a run
	ledgerDefaultSeed      = 20261204
	ledgerStoreCredit      = "615" // a sandbox account that takes payments, standing for the store-credit liability
	ledgerReportOrders     = 8     // failing orders reported in full; the rest are counted
)

func ledgerSequences() int {
	if v, err := strconv.Atoi(os.Getenv("OCX_LEDGER_SEQUENCES")); err == nil && v > 0 {
		return v
	}
	return ledgerDefaultSequences
}

func ledgerSeed() uint64 {
	if v, err := strconv.ParseUint(os.Getenv("OCX_LEDGER_SEED"), 10, 64); err == nil {
		return v
	}
	return ledgerDefaultSeed
}

func TestLedgerModel(t *testing.T) {
	n, seed := ledgerSequences(), ledgerSeed()
	t.Logf("%d sequences, OCX_LEDGER_SEED=%d", n, seed)
	families := []opencart.Family{opencart.Family40, opencart.Family30, opencart.Family41}
	for shop := 0; shop*ledgerShopSize < n; shop++ {
		size := min(ledgerShopSize, n-shop*ledgerShopSize)
		family := families[shop%len(families)]
		full := shop%2 == 1 // every other shop says refund statuses are full refunds
		t.Run(fmt.Sprintf("shop %d (%s, refunds are full %v)", shop, family, full), func(t *testing.T) {
			m := newLedgerModel(t, family, seed, uint64(shop), size, full, true, false)
			m.play()
		})
	}
}

// TestLedgerModelCashReturns plays only what the engine did before the
// ledger (payments, returns refunded in cash, no coupons, interrupted
// runs): the checker must find nothing wrong there, so its failures
// elsewhere are the engine's and not its own.
func TestLedgerModelCashReturns(t *testing.T) {
	seed := ledgerSeed()
	t.Logf("OCX_LEDGER_SEED=%d", seed)
	m := newLedgerModel(t, opencart.Family40, seed, 99, 60, false, false, false)
	m.events = map[string]bool{"pay": true, "return": true}
	m.actions = []string{"Refunded"}
	m.play()
}

// TestLedgerModelXeroSide plays the same sequences with refunds and
// returns allowed before the order is paid, and the bookkeeper working in
// Xero more often: drafts approved and allocated by hand, payments from
// the bank feed, invoices voided (issue 12).
func TestLedgerModelXeroSide(t *testing.T) {
	seed := ledgerSeed()
	n := max(ledgerSequences()/5, 60)
	t.Logf("%d sequences, OCX_LEDGER_SEED=%d", n, seed)
	for shop := 0; shop*ledgerShopSize < n; shop++ {
		size := min(ledgerShopSize, n-shop*ledgerShopSize)
		t.Run(fmt.Sprintf("shop %d", shop), func(t *testing.T) {
			m := newLedgerModel(t, opencart.Family40, seed, 200+uint64(shop), size, shop%2 == 1, true, true)
			m.unpaidRefunds = true
			m.play()
		})
	}
}

// ledgerLine is one product line of a generated order.
type ledgerLine struct {
	productID  int
	name       string
	price, tax decimal.Decimal // net unit price and its VAT (0 for the zero-rated line)
	qty        int
	coupon     bool // the order's product-specific coupon applies to it
}

type ledgerReturn struct {
	id, line, qty int
	action        string
	status        int
}

// ledgerOrder is the model of one sequence: what the test did to the
// order in OpenCart, and its event log.
type ledgerOrder struct {
	id, customer  int
	lines         []ledgerLine
	status        int
	paid          bool // entered a paid status
	paidRun       bool // a clean run has seen it paid: returns and refunds may follow
	returns       []ledgerReturn
	deleted       bool
	everCash      bool // a cash return or a refund status at some point
	everStore     bool // a store-credit return at some point
	approved      bool // the bookkeeper approved the draft of the current refund
	log           []string
	failed        bool
	failedMessage string
	voidedInXero  bool // the bookkeeper voided its invoice in Xero
	clashed       bool // the other shop holds one of its numbers (ledger_othershop_test.go)
	ranOnce       bool // a clean run has exported it
	stepEvent     bool // something happened to it in this step (in the shop or in Xero)
	// knownRefund: since it last left Refunded, Reversed and Chargeback,
	// it was Reversed or Chargeback (the whole payment went back), so a
	// Refunded now may be credited as known, not as a draft.
	knownRefund bool
}

func (o *ledgerOrder) logf(format string, args ...any) {
	o.log = append(o.log, fmt.Sprintf(format, args...))
}

type ledgerModel struct {
	t        *testing.T
	e        *env
	s        export.Settings
	rng      *rand.Rand
	seed     uint64
	shop     uint64
	orders   []*ledgerOrder
	byID     map[int]*ledgerOrder
	now      time.Time
	shipping []string // the two shipping accounts a settings change alternates
	failures map[string]int
	reported int
	counts   map[string]int // events and runs played, for the log
	// events are the kinds of event played (nil: all), actions the return
	// actions new returns get.
	events  map[string]bool
	actions []string
	// xero is the sandbox's books as the step's events start.
	xero ledgerBooks
	// unpaidRefunds lets refunds and returns come before the order is
	// paid (its invoice still due in Xero), so that credit notes are
	// allocated first and payments take the rest.
	unpaidRefunds bool
	// other is the second shop in the same organisation, nil without one
	// (ledger_othershop_test.go).
	other *otherShop
}

var ledgerActions = []string{"Refunded", "Credit Issued", "Replacement Sent"}

// newLedgerModel builds a shop of size orders (sequences); withCoupons puts a
// product-specific coupon on about one order in four; mostUnpaid leaves two
// orders in three unpaid at first (one in three otherwise).
func newLedgerModel(t *testing.T, family opencart.Family, seed, shop uint64, size int, full, withCoupons, mostUnpaid bool) *ledgerModel {
	m := &ledgerModel{t: t, e: newEnv(t, family), rng: rand.New(rand.NewPCG(seed, shop)), seed: seed, shop: shop,
		byID: map[int]*ledgerOrder{}, now: octest.DefaultDate, failures: map[string]int{}, actions: ledgerActions, counts: map[string]int{}}
	customers := make([]octest.Customer, size)
	for i := range customers {
		customers[i] = octest.Customer{FirstName: "Ledger", LastName: strconv.Itoa(i), Email: fmt.Sprintf("ledger%d@example.com", i)}
	}
	ids := m.e.shop.AddCustomers(customers...)
	prices := []string{"5", "8", "10", "12", "15", "20", "25"}
	var orders []octest.Order
	var coupons []octest.Coupon
	for i := range size {
		o := &ledgerOrder{id: 7001 + i, customer: ids[i], status: 1}
		nLines := 1 + m.rng.IntN(3)
		for k := range nLines {
			price := mustDec(prices[m.rng.IntN(len(prices))])
			tax := price.Div(decimal.NewFromInt(5)) // 20% VAT
			if k == 1 && m.rng.IntN(3) == 0 {
				tax = decimal.Zero // a zero-rated line
			}
			o.lines = append(o.lines, ledgerLine{productID: 500 + 10*i + k, name: fmt.Sprintf("Item %d-%d", i, k),
				price: price, tax: tax, qty: 1 + m.rng.IntN(3)})
		}
		if m.rng.IntN(4) == 0 && withCoupons {
			o.lines[0].coupon = true // a 10% coupon on the first (taxed) product only
		}
		paid := m.rng.IntN(3) > 0
		if mostUnpaid {
			paid = !paid
		}
		oc, coupon := m.shopOrder(o, paid)
		orders = append(orders, oc)
		if coupon != nil {
			coupons = append(coupons, *coupon)
		}
		o.logf("order of %s, total %s%s", o.describeLines(), oc.Total, map[bool]string{true: ", paid", false: ", pending"}[paid])
		if paid {
			o.status, o.paid = 5, true
		}
		m.orders = append(m.orders, o)
		m.byID[o.id] = o
	}
	m.e.shop.AddOrders(orders...)
	for _, c := range coupons {
		m.e.shop.AddCoupon(c)
	}
	m.s = m.e.settings(mapping.StatusAuthorised)
	m.s.Accounts.StoreCredit = ledgerStoreCredit
	m.s.RefundsAreFull = full
	m.shipping = []string{m.s.Accounts.Shipping, "260"}
	if m.shipping[0] == "260" {
		m.shipping[1] = "200"
	}
	return m
}

func (o *ledgerOrder) describeLines() string {
	var parts []string
	for _, l := range o.lines {
		p := fmt.Sprintf("%d×%s at %s+%s VAT", l.qty, l.name, l.price.StringFixed(2), l.tax.StringFixed(2))
		if l.coupon {
			p += " (10% coupon)"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

// shopOrder is the order as OpenCart stores it: net prices, VAT per unit,
// flat shipping 5.00 + VAT 1.00, a product-specific 10% coupon reducing
// the VAT of what it discounts.
func (m *ledgerModel) shopOrder(o *ledgerOrder, paid bool) (octest.Order, *octest.Coupon) {
	sub, vat, discount := decimal.Zero, mustDec("1"), decimal.Zero
	var products []octest.Product
	for _, l := range o.lines {
		q := decimal.NewFromInt(int64(l.qty))
		sub = sub.Add(l.price.Mul(q))
		vat = vat.Add(l.tax.Mul(q))
		if l.coupon {
			d := l.price.Mul(q).Div(decimal.NewFromInt(10))
			discount = discount.Add(d)
			vat = vat.Sub(d.Mul(l.tax).Div(l.price))
		}
		products = append(products, octest.Product{ProductID: l.productID, Name: l.name, Model: "M-" + strconv.Itoa(l.productID),
			Quantity: l.qty, Price: l.price.StringFixed(4), Tax: l.tax.StringFixed(4)})
	}
	total := sub.Add(mustDec("5")).Sub(discount).Add(vat)
	rows := []octest.Total{{Code: "sub_total", Title: "Sub-Total", Value: sub.StringFixed(4), SortOrder: 1},
		{Code: "shipping", Title: "Flat Shipping Rate", Value: "5.0000", SortOrder: 3}}
	var coupon *octest.Coupon
	if discount.IsPositive() {
		code := fmt.Sprintf("C%d", o.id)
		rows = append(rows, octest.Total{Code: "coupon", Title: "Coupon (" + code + ")", Value: discount.Neg().StringFixed(4), SortOrder: 4})
		coupon = &octest.Coupon{Code: code, Type: "P", Discount: "10", Products: []int{o.lines[0].productID},
			Orders: []octest.CouponUse{{OrderID: o.id, CustomerID: o.customer, Amount: discount.Neg().StringFixed(4)}}}
	}
	rows = append(rows, octest.Total{Code: "tax", Title: "VAT (20%)", Value: vat.StringFixed(4), SortOrder: 5},
		octest.Total{Code: "total", Title: "Total", Value: total.StringFixed(4), SortOrder: 9})
	name := "Ledger"
	last := strconv.Itoa(o.id)
	oc := octest.Order{ID: o.id, StatusID: 1, CustomerID: o.customer, FirstName: name, LastName: last, Email: fmt.Sprintf("o%d@example.com", o.id),
		Payment:        octest.OrderAddress{FirstName: name, LastName: last, Address1: "1 High Street", City: "London", Postcode: "SW1A 1AA", Country: "United Kingdom", CountryID: octest.CountryUK},
		PaymentMethod:  octest.Method{Title: "Credit Card (Stripe)", Code: "stripe.stripe"}, // taken at checkout: paid when Processing
		ShippingMethod: octest.Method{Title: "Flat Shipping Rate", Code: "flat.flat", Cost: "5.00", TaxClassID: octest.TaxClassGoods},
		Products:       products, Totals: rows, Total: total.StringFixed(4), DateAdded: octest.DefaultDate,
		History: []octest.History{{StatusID: 1, DateAdded: octest.DefaultDate}}}
	if paid {
		oc.StatusID = 5
		oc.History = append(oc.History, octest.History{StatusID: 5, DateAdded: octest.DefaultDate.Add(time.Hour)})
	}
	return oc, coupon
}

// play runs the steps: events, a run (sometimes interrupted), the checks.
func (m *ledgerModel) play() {
	if m.other != nil {
		m.otherShopFirst()
	}
	clean := m.run(false)
	m.check(clean)
	for step := range ledgerSteps {
		m.now = octest.DefaultDate.AddDate(0, 0, 1+step)
		if m.rng.IntN(5) == 0 && m.allowed("settings") {
			if m.s.Accounts.Shipping == m.shipping[0] {
				m.s.Accounts.Shipping = m.shipping[1]
			} else {
				m.s.Accounts.Shipping = m.shipping[0]
			}
			for _, o := range m.orders {
				o.logf("settings: shipping account %s", m.s.Accounts.Shipping)
			}
			m.counts["settings"]++
		}
		refundsBefore := slices.Clone(m.s.RefundStatusIDs)
		if m.rng.IntN(4) == 0 && m.allowed("refund-statuses") {
			m.toggleRefundStatus()
		}
		m.xero = m.books()
		for _, o := range m.orders {
			o.stepEvent = false
			if m.rng.IntN(100) < 60 {
				m.event(o)
			}
		}
		if m.other != nil {
			m.otherShopStep()
		}
		settled := clean
		clean = m.run(m.rng.IntN(3) == 0)
		m.check(clean)
		if settled {
			m.checkQuiet(refundsBefore)
		}
	}
	if !clean {
		m.check(m.run(false))
	}
	if m.other != nil {
		m.checkOtherShop()
	}
	var played []string
	for k, n := range m.counts {
		played = append(played, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(played)
	m.t.Logf("%d sequences: %s", len(m.orders), strings.Join(played, ", "))
	if len(m.failures) > 0 {
		var kinds []string
		for k, n := range m.failures {
			kinds = append(kinds, fmt.Sprintf("%s: %d orders", k, n))
		}
		sort.Strings(kinds)
		m.t.Errorf("OCX_LEDGER_SEED=%d shop %d: %d of %d orders failed a check:\n  %s", m.seed, m.shop, m.failedOrders(), len(m.orders), strings.Join(kinds, "\n  "))
	}
}

func (m *ledgerModel) failedOrders() int {
	n := 0
	for _, o := range m.orders {
		if o.failed {
			n++
		}
	}
	return n
}

// ledgerRefundStatuses are the statuses a settings change takes out of the
// refund statuses or puts back: Refunded, Reversed, Chargeback.
var ledgerRefundStatuses = []int{11, 12, 13}

// toggleRefundStatus changes which order statuses count as refunds, as the
// user does under Settings (by id and by name): one of Refunded, Reversed
// and Chargeback is taken out, or put back, at least one staying. Orders
// already in that status are then refunded, or no longer, from the next
// run on: the checker works out what Xero must hold from the settings now.
func (m *ledgerModel) toggleRefundStatus() {
	st := ledgerRefundStatuses[m.rng.IntN(len(ledgerRefundStatuses))]
	ids := slices.Clone(m.s.RefundStatusIDs)
	what := "no longer counts as a refund"
	if i := slices.Index(ids, st); i >= 0 && len(ids) > 1 {
		ids = slices.Delete(ids, i, i+1)
	} else if i < 0 {
		ids = append(ids, st)
		slices.Sort(ids)
		what = "counts as a refund again"
	} else {
		return // the last refund status stays
	}
	refundStatuses(&m.s, ids...)
	for _, o := range m.orders {
		o.logf("settings: status %s %s (refund statuses %v)", octest.OrderStatuses[st], what, ids)
	}
	m.counts["settings: refund statuses"]++
}

// event applies one random event to an order, as the shop admin would.
func (m *ledgerModel) event(o *ledgerOrder) {
	at := m.now.Add(time.Duration(m.rng.IntN(8*60)) * time.Minute)
	refund := slices.Contains(m.s.RefundStatusIDs, o.status)
	type choice struct {
		weight int
		do     func()
	}
	var choices []choice
	add := func(name string, weight int, do func()) {
		if m.allowed(name) {
			choices = append(choices, choice{weight, func() { m.counts[name]++; do() }})
		}
	}
	if !o.paid {
		add("pay", 6, func() {
			st := []int{5, 2}[m.rng.IntN(2)]
			m.e.shop.SetOrderStatus(o.id, st, at, "")
			o.status, o.paid, o.knownRefund = st, true, false
			o.logf("%s: paid (status %s)", at.Format(time.DateTime), octest.OrderStatuses[st])
		})
	}
	if (o.paidRun || m.unpaidRefunds && o.ranOnce) && !refund {
		add("refund", 3, func() {
			st := []int{11, 11, 11, 12, 13}[m.rng.IntN(5)]
			m.e.shop.SetOrderStatus(o.id, st, at, "")
			// Reversed and Chargeback say the amount: the whole payment.
			// Refunded straight after one of them (the order never left
			// Refunded, Reversed and Chargeback, whatever the settings
			// said of them on the way) is the same refund.
			o.knownRefund = st != 11 || o.knownRefund && slices.Contains(ledgerRefundStatuses, o.status)
			o.status, o.everCash, o.approved = st, true, false
			o.logf("%s: status %s", at.Format(time.DateTime), octest.OrderStatuses[st])
		})
	}
	if refund {
		add("undo", 2, func() {
			st := map[int]int{11: 5, 12: 9, 13: 9}[o.status]
			m.e.shop.SetOrderStatus(o.id, st, at, "")
			o.status, o.approved, o.knownRefund = st, false, false
			o.logf("%s: back to %s (the refund is undone)", at.Format(time.DateTime), octest.OrderStatuses[st])
		})
		if o.status == 11 && !m.s.RefundsAreFull && !o.approved {
			add("approve", 2, func() { m.approve(o) })
		}
	}
	if o.paidRun || m.unpaidRefunds && o.ranOnce {
		var open []int
		for i, l := range o.lines {
			if l.qty > o.returned(i) {
				open = append(open, i)
			}
		}
		if len(open) > 0 {
			add("return", 5, func() {
				line := open[m.rng.IntN(len(open))]
				l := o.lines[line]
				qty := 1 + m.rng.IntN(l.qty-o.returned(line))
				action := m.actions[m.rng.IntN(len(m.actions))]
				status := []int{octest.ReturnStatusPending, octest.ReturnStatusAwaiting}[m.rng.IntN(2)]
				id := m.e.shop.AddReturn(octest.Return{OrderID: o.id, ProductID: l.productID, CustomerID: o.customer,
					FirstName: "Ledger", LastName: strconv.Itoa(o.id), Email: fmt.Sprintf("o%d@example.com", o.id),
					Product: l.name, Model: "M-" + strconv.Itoa(l.productID), Quantity: qty, ReasonID: octest.ReturnReasonFaulty,
					ActionID: m.e.shop.ReturnActionID(action), StatusID: status, DateOrdered: octest.DefaultDate, DateAdded: at, DateModified: at})
				o.returns = append(o.returns, ledgerReturn{id: id, line: line, qty: qty, action: action, status: status})
				o.noteTreatment(m.s, action)
				o.logf("%s: return %d of %d×%s, action %s", at.Format(time.DateTime), id, qty, l.name, action)
			})
		}
	}
	if len(o.returns) > 0 {
		add("action", 3, func() {
			r := &o.returns[m.rng.IntN(len(o.returns))]
			var others []string
			for _, a := range ledgerActions {
				if a != r.action {
					others = append(others, a)
				}
			}
			r.action = others[m.rng.IntN(len(others))]
			m.e.shop.SetReturnAction(r.id, m.e.shop.ReturnActionID(r.action), at)
			o.noteTreatment(m.s, r.action)
			o.logf("%s: return %d action changed to %s", at.Format(time.DateTime), r.id, r.action)
		})
		add("workflow", 2, func() {
			r := &o.returns[m.rng.IntN(len(o.returns))]
			if r.status == octest.ReturnStatusComplete {
				return
			}
			r.status++
			m.e.shop.SetReturnStatus(r.id, r.status, at, "")
			o.logf("%s: return %d status %d (workflow only)", at.Format(time.DateTime), r.id, r.status)
		})
	}
	m.xeroEvents(o, at, add)
	if !o.deleted {
		add("delete", 1, func() {
			m.e.shop.DeleteCustomer(o.customer)
			o.deleted = true
			o.logf("%s: customer %d deleted", at.Format(time.DateTime), o.customer)
		})
	}
	total := 0
	for _, c := range choices {
		total += c.weight
	}
	if total == 0 {
		return
	}
	pick := m.rng.IntN(total)
	for _, c := range choices {
		if pick < c.weight {
			o.stepEvent = true
			c.do()
			return
		}
		pick -= c.weight
	}
}

func (o *ledgerOrder) returned(line int) int {
	n := 0
	for _, r := range o.returns {
		if r.line == line {
			n += r.qty
		}
	}
	return n
}

func (o *ledgerOrder) noteTreatment(s export.Settings, action string) {
	switch ledgerTreatment(s, action) {
	case mapping.TreatCash:
		o.everCash = true
	case mapping.TreatStoreCredit:
		o.everStore = true
	}
}

// ledgerTreatment is the settings' treatment of a return action, looked up
// here rather than through mapping (the checker stays independent).
func ledgerTreatment(s export.Settings, action string) mapping.Treatment {
	for _, r := range s.ReturnActions {
		if strings.EqualFold(strings.TrimSpace(r.Action), strings.TrimSpace(action)) {
			return r.Treatment
		}
	}
	return mapping.TreatNone
}

// approve approves the order's draft credit notes in Xero, as the
// bookkeeper does after checking the amount.
func (m *ledgerModel) approve(o *ledgerOrder) {
	books := m.books()
	var ids []string
	for _, cn := range books.notes[o.id] {
		if cn.Status == "DRAFT" || cn.Status == "SUBMITTED" {
			ids = append(ids, cn.CreditNoteID)
		}
	}
	if len(ids) == 0 {
		o.logf("the bookkeeper finds no draft to approve in Xero")
		return
	}
	for _, id := range ids {
		res, err := m.e.client.UpdateCreditNotes(context.Background(), []xero.CreditNote{{CreditNoteID: id, Status: "AUTHORISED"}}, "")
		if err != nil || len(res) != 1 || res[0].Err != nil {
			m.t.Fatalf("approving credit note %s in the sandbox: %v %+v", id, err, res)
		}
	}
	o.approved = true
	o.logf("the bookkeeper approves the draft credit note(s) in Xero")
	if m.rng.IntN(2) == 0 && m.allowed("xero-allocate") {
		m.allocateByHand(o, ids)
	}
}

// allocateByHand allocates approved credit notes to what is due on the
// order's invoice, as the bookkeeper does in Xero after approving them.
func (m *ledgerModel) allocateByHand(o *ledgerOrder, ids []string) {
	bk, err := m.e.sandbox.Bookkeeper(tenant)
	if err != nil {
		m.t.Fatal(err)
	}
	inv, err := bk.Invoice("OC-" + strconv.Itoa(o.id))
	if err != nil || inv.Status != "AUTHORISED" {
		return
	}
	due := amountOf(inv.AmountDue)
	for _, id := range ids {
		cn, err := bk.CreditNote(id)
		if err != nil {
			m.t.Fatal(err)
		}
		amount := decimal.Min(due, amountOf(cn.RemainingCredit))
		if !amount.IsPositive() {
			continue
		}
		if err := bk.Allocate(id, inv.InvoiceID, amount, m.now); err != nil {
			m.t.Fatalf("order %d: %v", o.id, err)
		}
		due = due.Sub(amount)
		m.counts["xero-allocate"]++
		o.logf("in Xero, the bookkeeper allocates %s of %s to %s", amount.StringFixed(2), cn.CreditNoteNumber, inv.InvoiceNumber)
	}
}

// run runs the engine over the whole shop; interrupted, it is cancelled
// after a few records or Xero's answers are dropped after it committed.
// It reports whether the run finished cleanly.
func (m *ledgerModel) run(interrupt bool) bool {
	eng := func(p export.Progress) *export.Engine {
		eng, err := export.New(export.Config{Store: m.e.store, Xero: m.e.client, History: m.e.hist, Settings: m.s, Progress: p, Incremental: os.Getenv("OCX_LEDGER_FULL_READS") == ""})
		if err != nil {
			m.t.Fatal(err)
		}
		return eng
	}
	what := "run"
	if !interrupt {
		sum, err := eng(nil).Run(context.Background(), export.Request{Scope: export.ScopeAll})
		if err != nil {
			m.t.Fatalf("OCX_LEDGER_SEED=%d shop %d: run: %v", m.seed, m.shop, err)
		}
		what += fmt.Sprintf(" (exported %d, failed %d)", sum.Exported, sum.Failed)
		m.counts["runs"]++
	} else if m.rng.IntN(2) == 0 {
		after := 1 + m.rng.IntN(3*len(m.orders)/2)
		ctx, cancel := context.WithCancel(context.Background())
		seen := 0
		_, _ = eng(export.ProgressFunc(func(ev export.Event) {
			if ev.Record != nil {
				if seen++; seen == after {
					cancel()
				}
			}
		})).Run(ctx, export.Request{Scope: export.ScopeAll})
		cancel()
		what = fmt.Sprintf("run cancelled after %d records", after)
		m.counts["runs cancelled"]++
	} else {
		paths := []string{"/CreditNotes", "/Payments", "/Invoices"}
		f := xerotest.Fault{Path: paths[m.rng.IntN(len(paths))], Kind: xerotest.FaultDropAfterCommit, Times: 1 + m.rng.IntN(2)}
		m.e.sandbox.Inject(f)
		_, _ = eng(nil).Run(context.Background(), export.Request{Scope: export.ScopeAll})
		m.e.sandbox.ClearFaults()
		what = fmt.Sprintf("run killed: answers to %s dropped after commit (%d times)", f.Path, f.Times)
		m.counts["runs killed"]++
	}
	for _, o := range m.orders {
		o.logf("%s", what)
		if !interrupt && o.paid {
			o.paidRun = true
		}
		if !interrupt {
			o.ranOnce = true
		}
	}
	return !interrupt
}

// ledgerBooks is what the sandbox holds, per order.
type ledgerBooks struct {
	invoices map[int][]xerotest.Invoice
	notes    map[int][]xerotest.CreditNote
	received map[int]decimal.Decimal // live payments on the order's invoice
	payments map[int]int             // how many
	ours     map[int]int             // how many of them the export made (they carry a reference)
	ourPaid  map[int]decimal.Decimal // and how much they paid
	refunds  map[int][]xerotest.Payment
	stray    []string // documents the checker cannot tie to an order
}

var (
	invoiceNumber = regexp.MustCompile(`^OC-(\d+)$`)
	orderNote     = regexp.MustCompile(`^OC-CN-(\d+)`)
	returnNote    = regexp.MustCompile(`^OC-CN-R(\d+)`)
)

// otherShops reports whether a Xero id is the other shop's document.
func (m *ledgerModel) otherShops(id string) bool {
	return m.other != nil && m.other.ids[strings.ToLower(id)]
}

func dead(status string) bool { return status == "VOIDED" || status == "DELETED" }

func amountOf(a *xerotest.Amount) decimal.Decimal {
	if a == nil {
		return decimal.Zero
	}
	return a.Decimal
}

// books reads the sandbox and ties every document to its order: invoices
// by number, credit notes by number (OC-CN-{order}, OC-CN-R{return}) or
// else by their contact, payments by their document.
func (m *ledgerModel) books() ledgerBooks {
	b := ledgerBooks{invoices: map[int][]xerotest.Invoice{}, notes: map[int][]xerotest.CreditNote{},
		received: map[int]decimal.Decimal{}, payments: map[int]int{}, ours: map[int]int{}, ourPaid: map[int]decimal.Decimal{}, refunds: map[int][]xerotest.Payment{}}
	returnOrder := map[int]int{}
	for _, o := range m.orders {
		for _, r := range o.returns {
			returnOrder[r.id] = o.id
		}
	}
	invoiceOrder, contactOrder := map[string]int{}, map[string]int{}
	for _, inv := range m.e.sandbox.Invoices(tenant) {
		if m.otherShops(inv.InvoiceID) {
			continue
		}
		mm := invoiceNumber.FindStringSubmatch(inv.InvoiceNumber)
		if mm == nil {
			b.stray = append(b.stray, "invoice "+inv.InvoiceNumber)
			continue
		}
		id, _ := strconv.Atoi(mm[1])
		b.invoices[id] = append(b.invoices[id], inv)
		invoiceOrder[inv.InvoiceID] = id
		if inv.Contact != nil && !dead(inv.Status) {
			contactOrder[inv.Contact.ContactID] = id
		}
	}
	noteOrder := map[string]int{}
	for _, cn := range m.e.sandbox.CreditNotes(tenant) {
		if m.otherShops(cn.CreditNoteID) {
			continue
		}
		id := 0
		if mm := returnNote.FindStringSubmatch(cn.CreditNoteNumber); mm != nil {
			rid, _ := strconv.Atoi(mm[1])
			id = returnOrder[rid]
		} else if mm := orderNote.FindStringSubmatch(cn.CreditNoteNumber); mm != nil {
			id, _ = strconv.Atoi(mm[1])
		} else if cn.Contact != nil {
			id = contactOrder[cn.Contact.ContactID]
		}
		if m.byID[id] == nil {
			b.stray = append(b.stray, "credit note "+cn.CreditNoteNumber)
			continue
		}
		b.notes[id] = append(b.notes[id], cn)
		noteOrder[cn.CreditNoteID] = id
	}
	for _, p := range m.e.sandbox.Payments(tenant) {
		if p.Status == "DELETED" || p.Invoice != nil && m.otherShops(p.Invoice.InvoiceID) || p.CreditNote != nil && m.otherShops(p.CreditNote.CreditNoteID) {
			continue // the other shop's (checkOtherShop)
		}
		switch {
		case p.Invoice != nil:
			id := invoiceOrder[p.Invoice.InvoiceID]
			b.received[id] = b.received[id].Add(amountOf(p.Amount))
			b.payments[id]++
			if p.Reference != "" {
				b.ours[id]++
				b.ourPaid[id] = b.ourPaid[id].Add(amountOf(p.Amount))
			}
		case p.CreditNote != nil:
			id, ok := noteOrder[p.CreditNote.CreditNoteID]
			if !ok {
				b.stray = append(b.stray, "refund payment of credit note "+p.CreditNote.CreditNoteNumber)
				continue
			}
			b.refunds[id] = append(b.refunds[id], p)
		}
	}
	return b
}

// ledgerGiven is what the shop gave back on one order, per the spec,
// computed from OpenCart's rows alone.
type ledgerGiven struct {
	gross, vat decimal.Decimal
	invoiced   decimal.Decimal // the order total T
	refund     int             // the order status when it is a refund status, else 0
	why        []string
}

// given reads the shop with plain SQL and computes G for every order:
// each return whose action gives credit, at the invoiced unit price and
// VAT less the product's share of its coupon (product-specific coupons
// only over their products); the whole order when its current status is
// a refund status.
func (m *ledgerModel) given() map[int]*ledgerGiven {
	db := m.e.shop
	q := func(query string, scan func(rows interface{ Scan(...any) error })) {
		rows, err := db.SQL.Query(strings.ReplaceAll(query, "{prefix}", db.Prefix))
		if err != nil {
			m.t.Fatalf("checker: %v", err)
		}
		defer rows.Close()
		for rows.Next() {
			scan(rows)
		}
		if err := rows.Err(); err != nil {
			m.t.Fatalf("checker: %v", err)
		}
	}
	type line struct {
		product    int
		qty        int
		price, tax decimal.Decimal
	}
	out := map[int]*ledgerGiven{}
	lines := map[int][]line{}
	q("SELECT order_id, order_status_id, total FROM `{prefix}order`", func(r interface{ Scan(...any) error }) {
		var id, status int
		var total string
		must(m.t, r.Scan(&id, &status, &total))
		g := &ledgerGiven{invoiced: mustDec(total).Round(2)}
		if slices.Contains(m.s.RefundStatusIDs, status) {
			g.refund = status
		}
		out[id] = g
	})
	q("SELECT order_id, product_id, quantity, price, tax FROM {prefix}order_product ORDER BY order_product_id", func(r interface{ Scan(...any) error }) {
		var id, product, qty int
		var price, tax string
		must(m.t, r.Scan(&id, &product, &qty, &price, &tax))
		lines[id] = append(lines[id], line{product, qty, mustDec(price), mustDec(tax)})
	})
	taxRow, couponRow := map[int]decimal.Decimal{}, map[int]decimal.Decimal{}
	q("SELECT order_id, code, value FROM {prefix}order_total WHERE code IN ('tax', 'coupon')", func(r interface{ Scan(...any) error }) {
		var id int
		var code, value string
		must(m.t, r.Scan(&id, &code, &value))
		if code == "tax" {
			taxRow[id] = taxRow[id].Add(mustDec(value))
		} else {
			couponRow[id] = couponRow[id].Add(mustDec(value).Neg())
		}
	})
	couponProducts := map[int]map[int]bool{} // order → products its coupon applies to (nil: all)
	q("SELECT h.order_id, p.product_id FROM {prefix}coupon_history h LEFT JOIN {prefix}coupon_product p ON p.coupon_id = h.coupon_id", func(r interface{ Scan(...any) error }) {
		var id int
		var product *int
		must(m.t, r.Scan(&id, &product))
		if couponProducts[id] == nil {
			couponProducts[id] = map[int]bool{}
		}
		if product != nil {
			couponProducts[id][*product] = true
		}
	})
	type ret struct {
		id, product, qty int
		action           string
	}
	returns := map[int][]ret{}
	q("SELECT r.return_id, r.order_id, r.product_id, r.quantity, COALESCE(a.name, '') FROM `{prefix}return` r "+
		"LEFT JOIN {prefix}return_action a ON a.return_action_id = r.return_action_id AND a.language_id = 1 ORDER BY r.return_id",
		func(r interface{ Scan(...any) error }) {
			var x ret
			var order int
			must(m.t, r.Scan(&x.id, &order, &x.product, &x.qty, &x.action))
			returns[order] = append(returns[order], x)
		})
	for id, g := range out {
		// Each product's share of the coupon, spread over the products it
		// applies to in proportion to their line totals.
		share := map[int]decimal.Decimal{}
		if c := couponRow[id]; c.IsPositive() {
			base := decimal.Zero
			on := func(l line) bool { p := couponProducts[id]; return len(p) == 0 || p[l.product] }
			for _, l := range lines[id] {
				if on(l) {
					base = base.Add(l.price.Mul(decimal.NewFromInt(int64(l.qty))))
				}
			}
			for _, l := range lines[id] {
				if on(l) && base.IsPositive() {
					share[l.product] = c.Mul(l.price).Mul(decimal.NewFromInt(int64(l.qty))).Div(base)
				}
			}
		}
		left := map[int]int{}
		for _, l := range lines[id] {
			left[l.product] += l.qty
		}
		returned := decimal.Zero
		returnedVAT := decimal.Zero
		for _, r := range returns[id] {
			if !ledgerTreatment(m.s, r.action).GivesCredit() {
				continue
			}
			var l *line
			for i := range lines[id] {
				if lines[id][i].product == r.product {
					l = &lines[id][i]
				}
			}
			if l == nil {
				continue
			}
			qty := min(r.qty, left[r.product]) // per line, never more than was invoiced
			left[r.product] -= qty
			q := decimal.NewFromInt(int64(qty))
			unitOff := share[l.product].Div(decimal.NewFromInt(int64(l.qty)))
			net := l.price.Sub(unitOff).Mul(q)
			vat := l.tax.Mul(q)
			if l.price.IsPositive() {
				vat = l.tax.Sub(unitOff.Mul(l.tax).Div(l.price)).Mul(q)
			}
			returned, returnedVAT = returned.Add(net).Add(vat), returnedVAT.Add(vat)
			g.why = append(g.why, fmt.Sprintf("return %d: %d×product %d (%s) %s", r.id, qty, r.product, r.action, net.Add(vat).StringFixed(2)))
		}
		if g.refund != 0 {
			g.gross, g.vat = g.invoiced, taxRow[id].Round(2)
			g.why = append(g.why, fmt.Sprintf("status %s: the whole order %s", octest.OrderStatuses[g.refund], g.invoiced.StringFixed(2)))
		} else {
			g.gross, g.vat = decimal.Min(returned.Round(2), g.invoiced), returnedVAT.Round(2)
		}
	}
	return out
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// ledgerTotals is one order's side of the books.
type ledgerTotals struct {
	credited, creditedVAT, drafts, draftsVAT, invoiced decimal.Decimal
	received, bankRefunds, storeCredit                 decimal.Decimal
}

// check compares every order's books with what OpenCart says was given
// back. After an interrupted run only what must hold at every moment is
// checked (nothing twice, credited ≤ invoiced, cash refunded ≤ cash
// received, payouts to the right accounts); after a clean run also that
// Xero holds exactly G, once the engine had one more run to finish what
// undoing leaves (the spec: "in the same or next run").
func (m *ledgerModel) check(clean bool) {
	m.checkOnce(clean, false)
	if !clean {
		return
	}
	pending := false
	for _, o := range m.orders {
		if o.failedMessage == "again" {
			pending = true
		}
	}
	if !pending {
		return
	}
	m.run(false)
	for _, o := range m.orders {
		if o.failedMessage == "again" {
			o.failedMessage = ""
			o.logf("(run again: the spec allows the next run to finish)")
		}
	}
	m.checkOnce(true, true)
}

func (m *ledgerModel) checkOnce(clean, last bool) {
	books := m.books()
	for _, s := range books.stray {
		m.t.Errorf("OCX_LEDGER_SEED=%d shop %d: Xero holds %s, which no order of the shop explains", m.seed, m.shop, s)
	}
	given := m.given()
	recs, err := m.e.hist.Records(context.Background(), history.RecordFilter{})
	if err != nil {
		m.t.Fatal(err)
	}
	records := map[string]history.Record{}
	for _, r := range recs {
		records[r.Kind+" "+r.OpenCartID] = r
	}
	banks := map[string]bool{m.s.DefaultPaymentAccount: true}
	for _, a := range m.s.PaymentAccounts {
		banks[a] = true
	}
	for _, o := range m.orders {
		if o.failed {
			continue
		}
		g := given[o.id]
		var tot ledgerTotals
		var safety, exact []ledgerProblem
		bad := func(list *[]ledgerProblem, kind, format string, args ...any) {
			*list = append(*list, ledgerProblem{kind, fmt.Sprintf(format, args...)})
		}

		// One invoice, one payment.
		var contact string
		live := 0
		var due decimal.Decimal
		for _, inv := range books.invoices[o.id] {
			if !dead(inv.Status) {
				live++
				tot.invoiced = amountOf(inv.Total)
				due = amountOf(inv.AmountDue)
				if inv.Contact != nil {
					contact = inv.Contact.ContactID
				}
			}
		}
		if live > 1 {
			bad(&safety, "invoice twice", "%d live invoices OC-%d", live, o.id)
		}
		if live == 1 && books.ourPaid[o.id].GreaterThan(tot.invoiced) {
			bad(&safety, "payment twice", "the export paid %s in %d payments on an invoice of %s", books.ourPaid[o.id].StringFixed(2), books.ours[o.id], tot.invoiced.StringFixed(2))
		}
		tot.received = books.received[o.id]
		if live == 1 && tot.received.GreaterThan(tot.invoiced) {
			bad(&safety, "paid more than invoiced", "received %s on an invoice of %s", tot.received.StringFixed(2), tot.invoiced.StringFixed(2))
		}

		// Credit notes: one live note per number, on the invoice's contact.
		numbers := map[string]int{}
		status := map[string]string{}
		for _, cn := range books.notes[o.id] {
			status[cn.CreditNoteID] = cn.Status
			if dead(cn.Status) {
				continue
			}
			numbers[strings.ToUpper(cn.CreditNoteNumber)]++
			if cn.Status == "DRAFT" || cn.Status == "SUBMITTED" {
				tot.drafts, tot.draftsVAT = tot.drafts.Add(amountOf(cn.Total)), tot.draftsVAT.Add(amountOf(cn.TotalTax))
			} else {
				tot.credited, tot.creditedVAT = tot.credited.Add(amountOf(cn.Total)), tot.creditedVAT.Add(amountOf(cn.TotalTax))
				if rc := amountOf(cn.RemainingCredit); rc.IsPositive() && !o.voidedInXero {
					bad(&exact, "credit neither allocated nor paid out", "credit note %s keeps %s of unused credit (neither allocated nor paid out)", cn.CreditNoteNumber, rc.StringFixed(2))
				}
			}
			if cn.Contact != nil && contact != "" && cn.Contact.ContactID != contact {
				bad(&safety, "credit note on another contact", "credit note %s is on another contact than invoice OC-%d", cn.CreditNoteNumber, o.id)
			}
		}
		for n, c := range numbers {
			if c > 1 {
				bad(&safety, "credit note twice", "credit note %s is in Xero %d times", n, c)
			}
		}
		// Refund payments: out of the bank, or to the store-credit account.
		for _, p := range books.refunds[o.id] {
			code := ""
			if p.Account != nil {
				code = p.Account.Code
			}
			switch {
			case dead(status[p.CreditNote.CreditNoteID]):
				bad(&safety, "refund left on a withdrawn credit note", "a refund of %s is left on credit note %s, which is %s", amountOf(p.Amount).StringFixed(2), p.CreditNote.CreditNoteNumber, status[p.CreditNote.CreditNoteID])
			case code == ledgerStoreCredit:
				tot.storeCredit = tot.storeCredit.Add(amountOf(p.Amount))
			case banks[code]:
				tot.bankRefunds = tot.bankRefunds.Add(amountOf(p.Amount))
			default:
				bad(&safety, "refund to a wrong account", "refund of %s paid to account %s, neither a bank account nor store credit", amountOf(p.Amount).StringFixed(2), code)
			}
		}
		if tot.credited.GreaterThan(tot.invoiced) {
			bad(&safety, "credited > invoiced", "credited %s > invoiced %s", tot.credited.StringFixed(2), tot.invoiced.StringFixed(2))
		}
		if tot.bankRefunds.GreaterThan(tot.received) {
			bad(&safety, "cash refunded > cash received", "cash refunded %s > cash received %s", tot.bankRefunds.StringFixed(2), tot.received.StringFixed(2))
		}
		if !o.everCash && tot.bankRefunds.IsPositive() {
			bad(&safety, "store credit paid out of the bank", "%s paid back out of the bank, though nothing was ever refunded in cash (store credit or replacements only)", tot.bankRefunds.StringFixed(2))
		}
		if !o.everStore && tot.storeCredit.IsPositive() {
			bad(&safety, "cash refund paid as store credit", "%s paid out as store credit, though no return ever gave store credit", tot.storeCredit.StringFixed(2))
		}

		if o.clashed {
			exact = nil // the other shop holds one of its numbers: safety only
		}
		if clean && o.voidedInXero {
			// Its money in Xero is closed: no record may be left failed.
			for _, k := range []string{history.KindPayment + " " + strconv.Itoa(o.id), history.KindCreditNote + " order-" + strconv.Itoa(o.id)} {
				if r, ok := records[k]; ok && (r.State == history.StateFailed || r.State == history.StateSending) {
					bad(&exact, "history: failed record on a voided invoice", "history: %s is %s: %s", k, r.State, r.Error)
				}
			}
		}
		if clean && !o.voidedInXero && !o.clashed {
			wantDraft := g.refund == 11 && !m.s.RefundsAreFull && !o.approved && !o.knownRefund
			if o.paid && live == 1 && due.IsPositive() {
				bad(&exact, "paid order with something due", "the order was paid, but %s is still due on its invoice in Xero (received %s)", due.StringFixed(2), tot.received.StringFixed(2))
			}
			switch {
			case !tot.credited.Add(tot.drafts).Equal(g.gross):
				bad(&exact, "credited ≠ given back", "credited %s + draft %s in Xero, OpenCart gave back %s", tot.credited.StringFixed(2), tot.drafts.StringFixed(2), g.gross.StringFixed(2))
			case !tot.creditedVAT.Add(tot.draftsVAT).Equal(g.vat):
				bad(&exact, "VAT credited ≠ VAT given back", "VAT credited %s + draft %s in Xero, OpenCart gave back VAT %s", tot.creditedVAT.StringFixed(2), tot.draftsVAT.StringFixed(2), g.vat.StringFixed(2))
			}
			if wantDraft && !tot.drafts.IsPositive() {
				bad(&exact, "no draft for an unknown refund amount", "status Refunded with the amount unknown: no draft credit note waits for approval (credited %s)", tot.credited.StringFixed(2))
			}
			// After the bookkeeper approved the refund's draft, a draft may
			// come again only if the refund's part grew since (a return's
			// money taken back while the order stays Refunded): that part's
			// amount is unknown again. The sum above holds it to G.
			if !(g.refund == 11 && !m.s.RefundsAreFull) && tot.drafts.IsPositive() {
				bad(&exact, "draft left", "a draft credit note of %s is left, though no refund amount is unknown", tot.drafts.StringFixed(2))
			}
			keys := []string{history.KindInvoice + " " + strconv.Itoa(o.id), history.KindPayment + " " + strconv.Itoa(o.id),
				history.KindCreditNote + " order-" + strconv.Itoa(o.id)}
			for _, r := range o.returns {
				keys = append(keys, history.KindCreditNote+" return-"+strconv.Itoa(r.id))
			}
			for _, k := range keys {
				if r, ok := records[k]; ok && (r.State == history.StateFailed || r.State == history.StateChanged || r.State == history.StateSending) {
					bad(&exact, "history: failed or changed record", "history: %s is %s: %s", k, r.State, r.Error)
				}
			}
		}
		switch {
		case len(safety) > 0:
			m.fail(o, g, tot, safety)
		case len(exact) > 0 && !last:
			o.failedMessage = "again"
		case len(exact) > 0:
			m.fail(o, g, tot, exact)
		}
	}
}

// checkQuiet holds the orders nothing happened to in a step, after a clean
// run before it, to "a change of settings never credits the same money
// twice": an order refunded under the refund statuses before the step's
// settings change and after it gets no new credit note for its refund
// status, and none of its refund's credit notes is withdrawn. (Which
// statuses count as refunds used to move the refund's start, and its
// credit note was voided and sent again.)
func (m *ledgerModel) checkQuiet(refundsBefore []int) {
	now := m.books()
	refundNotes := func(list []xerotest.CreditNote) (all, withdrawn int) {
		for _, cn := range list {
			if returnNote.MatchString(cn.CreditNoteNumber) || !orderNote.MatchString(cn.CreditNoteNumber) {
				continue
			}
			all++
			if dead(cn.Status) {
				withdrawn++
			}
		}
		return all, withdrawn
	}
	for _, o := range m.orders {
		if o.failed || o.stepEvent || o.clashed || !slices.Contains(refundsBefore, o.status) || !slices.Contains(m.s.RefundStatusIDs, o.status) {
			continue
		}
		allBefore, deadBefore := refundNotes(m.xero.notes[o.id])
		allNow, deadNow := refundNotes(now.notes[o.id])
		if allNow != allBefore || deadNow != deadBefore {
			m.fail(o, m.given()[o.id], now.totals(o.id), []ledgerProblem{{"refund credited again with nothing changed",
				fmt.Sprintf("nothing happened to the order but a change of settings: its refund's credit notes went from %d (%d withdrawn) to %d (%d withdrawn): %s → %s",
					allBefore, deadBefore, allNow, deadNow, noteList(m.xero.notes[o.id]), noteList(now.notes[o.id]))}})
		}
	}
}

// totals is what the books hold of an order's credit notes and money
// (for messages; the full checks are checkOnce's).
func (b ledgerBooks) totals(id int) ledgerTotals {
	t := ledgerTotals{received: b.received[id]}
	for _, inv := range b.invoices[id] {
		if !dead(inv.Status) {
			t.invoiced = amountOf(inv.Total)
		}
	}
	for _, cn := range b.notes[id] {
		switch {
		case dead(cn.Status):
		case cn.Status == "DRAFT" || cn.Status == "SUBMITTED":
			t.drafts, t.draftsVAT = t.drafts.Add(amountOf(cn.Total)), t.draftsVAT.Add(amountOf(cn.TotalTax))
		default:
			t.credited, t.creditedVAT = t.credited.Add(amountOf(cn.Total)), t.creditedVAT.Add(amountOf(cn.TotalTax))
		}
	}
	for _, p := range b.refunds[id] {
		if p.Account != nil && p.Account.Code == ledgerStoreCredit {
			t.storeCredit = t.storeCredit.Add(amountOf(p.Amount))
		} else {
			t.bankRefunds = t.bankRefunds.Add(amountOf(p.Amount))
		}
	}
	return t
}

// noteList names credit notes with their status.
func noteList(list []xerotest.CreditNote) string {
	var out []string
	for _, cn := range list {
		out = append(out, cn.CreditNoteNumber+" "+cn.Status)
	}
	return "[" + strings.Join(out, ", ") + "]"
}

// ledgerProblem is one difference the checker found: its kind (for the
// count per kind) and the sentence naming the amounts.
type ledgerProblem struct{ kind, text string }

func (m *ledgerModel) fail(o *ledgerOrder, g *ledgerGiven, tot ledgerTotals, problems []ledgerProblem) {
	o.failed = true
	texts := make([]string, len(problems))
	for i, p := range problems {
		m.failures[p.kind]++
		texts[i] = p.text
	}
	m.reported++
	if m.reported > ledgerReportOrders {
		return
	}
	m.t.Errorf("OCX_LEDGER_SEED=%d shop %d, order %d:\n  %s\n"+
		"  expected (OpenCart): given back %s, VAT %s, invoiced %s [%s]\n"+
		"  found (Xero): credited %s (VAT %s), draft %s, invoice %s, received %s, refunded from the bank %s, store credit %s\n"+
		"  events:\n    %s",
		m.seed, m.shop, o.id, strings.Join(texts, "\n  "),
		g.gross.StringFixed(2), g.vat.StringFixed(2), g.invoiced.StringFixed(2), strings.Join(g.why, "; "),
		tot.credited.StringFixed(2), tot.creditedVAT.StringFixed(2), tot.drafts.StringFixed(2), tot.invoiced.StringFixed(2),
		tot.received.StringFixed(2), tot.bankRefunds.StringFixed(2), tot.storeCredit.StringFixed(2),
		strings.Join(o.log, "\n    "))
}

func (m *ledgerModel) allowed(event string) bool { return m.events == nil || m.events[event] }

// xeroEvents offers the bookkeeper's changes in Xero to an order: a
// payment recorded by hand (all or part of what is due), a credit note of
// the order allocated by hand, the invoice voided (only while nothing is
// paid or credited on it, as Xero requires).
func (m *ledgerModel) xeroEvents(o *ledgerOrder, at time.Time, add func(string, int, func())) {
	if o.voidedInXero {
		return
	}
	var inv *xerotest.Invoice
	for i, x := range m.xero.invoices[o.id] {
		if x.Status == "AUTHORISED" {
			inv = &m.xero.invoices[o.id][i]
		}
	}
	if inv == nil {
		return
	}
	due := amountOf(inv.AmountDue)
	bk := func() *xerotest.Bookkeeper {
		b, err := m.e.sandbox.Bookkeeper(tenant)
		if err != nil {
			m.t.Fatal(err)
		}
		return b
	}
	if due.IsPositive() {
		add("xero-pay", 4, func() {
			amount := due
			if m.rng.IntN(2) == 0 {
				amount = due.Div(decimal.NewFromInt(2)).Round(2)
			}
			if _, err := bk().AddPayment(inv.InvoiceNumber, amount, m.s.DefaultPaymentAccount, at); err != nil {
				m.t.Fatalf("order %d: %v", o.id, err)
			}
			o.logf("%s: in Xero, the bookkeeper records a payment of %s on %s (due %s)", at.Format(time.DateTime), amount.StringFixed(2), inv.InvoiceNumber, due.StringFixed(2))
		})
		for _, cn := range m.xero.notes[o.id] {
			left := amountOf(cn.RemainingCredit)
			if cn.Status != "AUTHORISED" || !left.IsPositive() {
				continue
			}
			add("xero-allocate", 6, func() {
				amount := decimal.Min(left, due)
				if err := bk().Allocate(cn.CreditNoteNumber, inv.InvoiceNumber, amount, at); err != nil {
					m.t.Fatalf("order %d: %v", o.id, err)
				}
				o.logf("%s: in Xero, the bookkeeper allocates %s of %s to %s", at.Format(time.DateTime), amount.StringFixed(2), cn.CreditNoteNumber, inv.InvoiceNumber)
			})
			break
		}
	}
	if !amountOf(inv.AmountPaid).IsPositive() && !amountOf(inv.AmountCredited).IsPositive() && len(inv.Payments) == 0 && len(inv.CreditNotes) == 0 {
		add("xero-void", 1, func() {
			if err := bk().VoidInvoice(inv.InvoiceNumber); err != nil {
				m.t.Fatalf("order %d: %v", o.id, err)
			}
			o.voidedInXero = true
			o.logf("%s: in Xero, the bookkeeper voids %s", at.Format(time.DateTime), inv.InvoiceNumber)
		})
	}
}
