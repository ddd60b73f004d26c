package export_test

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/filelock"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

const tenant = xerotest.DefaultTenantID

// env is one shop, one Xero sandbox and one history.
type env struct {
	t       testing.TB
	shop    *octest.DB
	store   *opencart.Reader
	sandbox *xerotest.Server
	client  *xero.Client
	hist    *history.Store
	// histPath is the history's file, for tests that write it as an
	// older version did.
	histPath string
	events   *eventLog
}

type eventLog struct {
	mu   sync.Mutex
	list []export.Event
}

func (l *eventLog) Report(e export.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.list = append(l.list, e)
}

func (l *eventLog) outcomes() []export.Outcome {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []export.Outcome
	for _, e := range l.list {
		if e.Record != nil {
			out = append(out, *e.Record)
		}
	}
	return out
}

func newEnv(t *testing.T, family opencart.Family) *env {
	return newEnvB(t, family, xerotest.Options{TimeScale: 0.001})
}

// newEnvB builds a shop of the family, a sandbox started with opts (its
// time scale also drives the client's clock) and a history.
func newEnvB(t testing.TB, family opencart.Family, opts xerotest.Options) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{t: t, shop: octest.NewDB(t, family, "oc_"), events: &eventLog{}}
	var err error
	if e.store, err = opencart.Open(ctx, e.shop.DSN, "oc_"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.store.Close() })
	e.sandbox = xerotest.NewTest(t, opts)
	tok, err := e.sandbox.Connect("engine-test", "")
	if err != nil {
		t.Fatal(err)
	}
	ts := &xero.FileStore{Path: filepath.Join(t.TempDir(), "token.json")}
	if err := ts.Save(ctx, &xero.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken,
		Expiry: time.Now().Add(time.Duration(tok.ExpiresIn) * time.Second), Issuer: e.sandbox.URL}); err != nil {
		t.Fatal(err)
	}
	e.client, err = xero.New(xero.Options{ClientID: "engine-test", BaseURL: e.sandbox.URL, TenantID: tenant, Store: ts,
		Clock: xero.ScaledClock(time.Time{}, opts.TimeScale)})
	if err != nil {
		t.Fatal(err)
	}
	e.histPath = filepath.Join(t.TempDir(), "history.db")
	if e.hist, err = history.Open(ctx, e.histPath); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.hist.Close() })
	return e
}

// settings proposes the export choices from the sandbox, like `config propose`.
func (e *env) settings(status string) export.Settings {
	e.t.Helper()
	s := export.DefaultSettings()
	s.InvoiceStatus = status
	return e.propose(s)
}

// propose fills s from the sandbox and the shop and insists it is complete.
func (e *env) propose(s export.Settings) export.Settings {
	e.t.Helper()
	s, _, err := export.Propose(context.Background(), e.store, e.client, s)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		e.t.Fatalf("proposed settings are incomplete: %v", err)
	}
	return s
}

func (e *env) run(s export.Settings, req export.Request) export.Summary {
	e.t.Helper()
	eng, err := export.New(export.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s, Progress: e.events})
	if err != nil {
		e.t.Fatal(err)
	}
	sum, err := eng.Run(context.Background(), req)
	if err != nil {
		e.t.Fatalf("run: %v", err)
	}
	return sum
}

// writes counts the sandbox's write calls.
func (e *env) writes() int {
	n := 0
	for k, v := range e.sandbox.Calls() {
		if strings.HasPrefix(k, "PUT ") || strings.HasPrefix(k, "POST ") && !strings.Contains(k, "/connect/") {
			n += v
		}
	}
	return n
}

// shopOrders are orders whose totals follow OpenCart's own arithmetic
// (docs/OPENCART.md §2): net prices, VAT 20% per unit, flat shipping 5.00 taxed,
// coupons reducing VAT, store credit after tax.
type shopOrder struct {
	order octest.Order
	want  string // R(total × currency_value)
	tax   string // the VAT row in the order currency, "" when none
}

func vatOrder(id, customerID int, first, last, email string, status int, products []octest.Product, extra []octest.Total, vat, total string) octest.Order {
	sub := "0"
	for _, p := range products {
		sub = addText(sub, mulText(p.Price, p.Quantity))
	}
	rows := []octest.Total{{Code: "sub_total", Title: "Sub-Total", Value: sub, SortOrder: 1},
		{Code: "shipping", Title: "Flat Shipping Rate", Value: "5.0000", SortOrder: 3}}
	rows = append(rows, extra...)
	if vat != "" {
		rows = append(rows, octest.Total{Code: "tax", Title: "VAT (20%)", Value: vat, SortOrder: 5})
	}
	rows = append(rows, octest.Total{Code: "total", Title: "Total", Value: total, SortOrder: 9})
	return octest.Order{ID: id, StatusID: status, CustomerID: customerID, FirstName: first, LastName: last, Email: email,
		Payment:        octest.OrderAddress{FirstName: first, LastName: last, Address1: "1 High Street", City: "London", Postcode: "SW1A 1AA", Country: "United Kingdom", CountryID: octest.CountryUK},
		PaymentMethod:  octest.Method{Title: "Bank Transfer", Code: "bank_transfer.bank_transfer"},
		ShippingMethod: octest.Method{Title: "Flat Shipping Rate", Code: "flat.flat", Cost: "5.00", TaxClassID: octest.TaxClassGoods},
		Products:       products, Totals: rows, Total: total}
}

func product(name string, qty int, price, tax string) octest.Product {
	return octest.Product{ProductID: 40 + qty, Name: name, Model: "M-" + name, Quantity: qty, Price: price, Tax: tax}
}

func TestExportAllMatchesOpenCartToTheCent(t *testing.T) {
	e := newEnv(t, opencart.Family40)
	jane := e.shop.AddCustomer(octest.Customer{FirstName: "Jane", LastName: "Smith", Email: "jane@example.com",
		Addresses: []octest.Address{{FirstName: "Jane", LastName: "Smith", Company: "", Address1: "1 High Street", City: "London", Postcode: "SW1A 1AA", CountryID: octest.CountryUK, Default: true}}})
	otherJane := e.shop.AddCustomer(octest.Customer{FirstName: "Jane", LastName: "Smith", Email: "jane.smith@example.org"})
	tom := e.shop.AddCustomer(octest.Customer{FirstName: "Tom & Jerry", LastName: "O'Brien", Email: "tom@example.com"})
	paid := []octest.History{{StatusID: 1, DateAdded: octest.DefaultDate}, {StatusID: 5, DateAdded: octest.DefaultDate.Add(time.Hour)}}

	orders := []shopOrder{
		// 100.00 + VAT 20.00, shipping 5.00 + VAT 1.00.
		{vatOrder(1001, jane, "Jane", "Smith", "jane@example.com", 5, []octest.Product{product("Blue Mug", 1, "100.0000", "20.0000")}, nil, "21.0000", "126.0000"), "126.00", "21.00"},
		// The same name, another customer.
		{vatOrder(1002, otherJane, "Jane", "Smith", "jane.smith@example.org", 5, []octest.Product{product("Tea", 3, "0.9900", "0.1980")}, nil, "1.5940", "9.5640"), "9.56", "1.59"},
		// Coupon 10% reduces VAT: 100 − 10, VAT 20 − 2 + 1.
		{vatOrder(1003, tom, "Tom & Jerry", "O'Brien", "tom@example.com", 1, []octest.Product{product("Plate", 2, "50.0000", "10.0000")},
			[]octest.Total{{Code: "coupon", Title: "Coupon (SAVE10)", Value: "-10.0000", SortOrder: 4}}, "19.0000", "114.0000"), "114.00", "19.00"},
		// Store credit after tax: 50 + 5 + VAT 11 − 25.
		{vatOrder(1004, jane, "Jane", "Smith", "jane@example.com", 5, []octest.Product{product("Bowl", 1, "50.0000", "10.0000")},
			[]octest.Total{{Code: "credit", Title: "Store Credit", Value: "-25.0000", SortOrder: 7}}, "11.0000", "41.0000"), "41.00", "11.00"},
	}
	// A guest paying in euros at the order's own rate (not today's).
	eur := vatOrder(1005, 0, "Guest", "Buyer", "guest@example.com", 2, []octest.Product{product("Jug", 1, "10.0600", "2.0120")}, nil, "3.0120", "18.0720")
	eur.CurrencyCode, eur.CurrencyValue = "EUR", "1.15000000"
	eur.PaymentMethod = octest.Method{Title: "Stripe", Code: "stripe.stripe"} // a card: paid when Processing
	orders = append(orders, shopOrder{eur, "20.78", "3.46"})
	// Refunded after being paid: invoice, payment, credit note paid out.
	refunded := vatOrder(1006, tom, "Tom & Jerry", "O'Brien", "tom@example.com", 11, []octest.Product{product("Cup", 1, "20.0000", "4.0000")}, nil, "5.0000", "30.0000")
	refunded.History = append(append([]octest.History{}, paid...), octest.History{StatusID: 11, DateAdded: octest.DefaultDate.Add(48 * time.Hour)})
	orders = append(orders, shopOrder{refunded, "30.00", "5.00"})
	for _, o := range orders {
		if o.order.History == nil && o.order.StatusID == 5 {
			o.order.History = paid
		}
		e.shop.AddOrder(o.order)
	}
	// Never exported: a cancelled order and a "missing" one.
	e.shop.AddOrder(vatOrder(1007, jane, "Jane", "Smith", "jane@example.com", 7, []octest.Product{product("Lost", 1, "1.0000", "0.2000")}, nil, "1.2000", "7.2000"))
	e.shop.AddOrder(vatOrder(1008, jane, "Jane", "Smith", "jane@example.com", 0, []octest.Product{product("Abandoned", 1, "1.0000", "0.2000")}, nil, "1.2000", "7.2000"))

	s := e.settings(mapping.StatusAuthorised)
	s.RefundsAreFull = true // the refund is paid out at once, not a draft of unknown amount (issue 11)
	sum := e.run(s, export.Request{Scope: export.ScopeAll})
	if sum.Failed != 0 || sum.Mismatches != 0 {
		for _, o := range e.events.outcomes() {
			if o.State == history.StateFailed {
				t.Logf("%s %s: %s %v", o.Kind, o.OpenCartID, o.Message, o.Problems)
			}
		}
		t.Fatalf("summary %+v", sum)
	}

	invoices := map[string]xerotest.Invoice{}
	for _, inv := range e.sandbox.Invoices(tenant) {
		invoices[inv.InvoiceNumber] = inv
	}
	if len(invoices) != len(orders) {
		t.Fatalf("%d invoices in Xero, want %d", len(invoices), len(orders))
	}
	for _, o := range orders {
		inv, ok := invoices["OC-"+strconv.Itoa(o.order.ID)]
		if !ok {
			t.Errorf("order %d: no invoice", o.order.ID)
			continue
		}
		if got := inv.Total.StringFixed(2); got != o.want {
			t.Errorf("order %d: Xero total %s, OpenCart shows %s", o.order.ID, got, o.want)
		}
		var vat string
		for _, li := range inv.LineItems {
			if li.TaxType == "OUTPUT2" {
				vat = addText(vat, li.TaxAmount.String())
			}
		}
		if o.tax != "" && fixed2(vat) != o.tax {
			t.Errorf("order %d: VAT lines add up to %s, the tax row is %s", o.order.ID, vat, o.tax)
		}
		if inv.Status != "AUTHORISED" && inv.Status != "PAID" {
			t.Errorf("order %d: status %s", o.order.ID, inv.Status)
		}
		rec, err := e.hist.RecordFor(context.Background(), history.KindInvoice, strconv.Itoa(o.order.ID))
		if err != nil || rec.State != history.StateExported || rec.TotalsMatch == nil || !*rec.TotalsMatch || rec.XeroID != inv.InvoiceID {
			t.Errorf("order %d: history %+v, %v", o.order.ID, rec, err)
		}
	}
	for _, n := range []string{"OC-1007", "OC-1008"} {
		if _, ok := invoices[n]; ok {
			t.Errorf("%s was exported", n)
		}
	}

	// Contacts: full names, a readable disambiguator, the guest by e-mail.
	names := map[string]bool{}
	for _, c := range e.sandbox.Contacts(tenant) {
		names[c.Name] = true
	}
	for _, want := range []string{"Jane Smith", "Jane Smith (jane.smith@example.org)", "Tom & Jerry O'Brien", "Guest Buyer"} {
		if !names[want] {
			t.Errorf("no contact %q; have %v", want, names)
		}
	}

	// Payments for the paid orders; the unpaid one has none.
	paidInvoices := map[string]string{}
	refunds := 0
	for _, p := range e.sandbox.Payments(tenant) {
		switch {
		case p.Invoice != nil:
			paidInvoices[p.Invoice.InvoiceID] = p.Amount.StringFixed(2)
		case p.CreditNote != nil:
			refunds++
		}
	}
	for _, id := range []int{1001, 1002, 1004, 1005, 1006} {
		inv := invoices["OC-"+strconv.Itoa(id)]
		if paidInvoices[inv.InvoiceID] != inv.Total.StringFixed(2) {
			t.Errorf("order %d: payment %q, invoice total %s", id, paidInvoices[inv.InvoiceID], inv.Total.StringFixed(2))
		}
	}
	if _, ok := paidInvoices[invoices["OC-1003"].InvoiceID]; ok {
		t.Error("the pending order got a payment")
	}
	cns := e.sandbox.CreditNotes(tenant)
	if len(cns) != 1 || cns[0].CreditNoteNumber != "OC-CN-1006" || cns[0].Total.StringFixed(2) != "30.00" || refunds != 1 {
		t.Fatalf("credit notes %+v, refunds %d", cns, refunds)
	}

	// Run again: nothing is sent.
	before := e.writes()
	again := e.run(s, export.Request{Scope: export.ScopeAll})
	if w := e.writes() - before; w != 0 || again.Exported != 0 || again.Failed != 0 {
		t.Fatalf("second run: %d writes, summary %+v", w, again)
	}

	// Change the pending order: its invoice is updated, not duplicated.
	if _, err := e.shop.SQL.Exec("UPDATE oc_order_product SET name = 'Dinner plate' WHERE order_id = 1003"); err != nil {
		t.Fatal(err)
	}
	third := e.run(s, export.Request{Scope: export.ScopeOrders})
	if third.Exported != 1 || third.Failed != 0 {
		t.Fatalf("after a change: %+v", third)
	}
	if n := len(e.sandbox.Invoices(tenant)); n != len(orders) {
		t.Fatalf("%d invoices after the update, want %d", n, len(orders))
	}
	var desc []string
	for _, inv := range e.sandbox.Invoices(tenant) {
		if inv.InvoiceNumber == "OC-1003" {
			for _, li := range inv.LineItems {
				desc = append(desc, li.Description)
			}
		}
	}
	if !strings.Contains(strings.Join(desc, "|"), "Dinner plate") {
		t.Fatalf("OC-1003 lines after the update: %v", desc)
	}
	// A paid invoice cannot change in Xero: read first, recorded with the
	// reason, and the update Xero would refuse is not sent.
	if _, err := e.shop.SQL.Exec("UPDATE oc_order_product SET name = 'Big Blue Mug' WHERE order_id = 1001"); err != nil {
		t.Fatal(err)
	}
	e.sandbox.ResetCounters()
	fourth := e.run(s, export.Request{Scope: export.ScopeOrders})
	rec, _ := e.hist.RecordFor(context.Background(), history.KindInvoice, "1001")
	if calls := e.sandbox.Calls(); calls["POST /Invoices"] != 0 || calls["GET /Invoices"] != 1 {
		t.Fatalf("changing a paid invoice: calls %s, want one read and no update", format(calls))
	}
	if fourth.Failed != 1 || rec.State != history.StateChanged || !strings.Contains(rec.Error, "has a payment or credit note in Xero (total 126.00, paid 126.00") {
		t.Fatalf("changing a paid invoice: %+v, record %+v", fourth, rec)
	}
}

func TestDraftInvoicesGetNoPaymentAndBadRecordsDoNotStopTheBatch(t *testing.T) {
	e := newEnv(t, opencart.Family30)
	c := e.shop.AddCustomer(octest.Customer{FirstName: "Ann", LastName: "Lee", Email: "ann@example.com"})
	good := vatOrder(2001, c, "Ann", "Lee", "ann@example.com", 5, []octest.Product{product("Spoon", 1, "10.0000", "2.0000")}, nil, "3.0000", "18.0000")
	// Yen are not enabled in this Xero organisation.
	yen := vatOrder(2002, c, "Ann", "Lee", "ann@example.com", 5, []octest.Product{product("Fork", 1, "10.0000", "2.0000")}, nil, "3.0000", "18.0000")
	yen.CurrencyCode, yen.CurrencyValue = "JPY", "190.00000000"
	// A tax row no mapping knows.
	odd := vatOrder(2003, c, "Ann", "Lee", "ann@example.com", 5, []octest.Product{product("Knife", 1, "10.0000", "2.0000")},
		[]octest.Total{{Code: "tax", Title: "Luxury levy", Value: "1.0000", SortOrder: 5}}, "3.0000", "19.0000")
	e.shop.AddOrders(good, yen, odd)

	s := e.settings(mapping.StatusDraft)
	sum := e.run(s, export.Request{Scope: export.ScopeAll})
	if sum.Exported < 2 || sum.Failed != 2 { // the contact and one invoice; yen and the odd tax fail
		t.Fatalf("summary %+v", sum)
	}
	if n := len(e.sandbox.Invoices(tenant)); n != 1 {
		t.Fatalf("%d invoices, want 1", n)
	}
	if n := len(e.sandbox.Payments(tenant)); n != 0 {
		t.Fatalf("%d payments for draft invoices", n)
	}
	for id, want := range map[string]string{"2002": "currency JPY is not enabled", "2003": "Luxury levy"} {
		rec, err := e.hist.RecordFor(context.Background(), history.KindInvoice, id)
		if err != nil || rec.State != history.StateFailed || !strings.Contains(rec.Error, want) {
			t.Errorf("order %s: %+v, %v (want an error about %q)", id, rec, err, want)
		}
	}
	pay, err := e.hist.RecordFor(context.Background(), history.KindPayment, "2001")
	if err != nil || pay.State != history.StateSkipped || !strings.Contains(pay.Error, "invoices are sent as Draft") {
		t.Fatalf("payment record %+v, %v", pay, err)
	}
}

func TestDryRunSendsNothingAndNeedsNoXero(t *testing.T) {
	e := newEnv(t, opencart.Family41)
	c := e.shop.AddCustomer(octest.Customer{FirstName: "Zoë", LastName: "Ñandú 🎉", Email: "zoe@example.com"})
	e.shop.AddOrder(vatOrder(3001, c, "Zoë", "Ñandú 🎉", "zoe@example.com", 5, []octest.Product{product("Glass", 2, "8.3333", "1.6667")}, nil, "4.3333", "26.0000"))
	s := export.DefaultSettings()
	s.Accounts = mapping.Accounts{Sales: "200", Shipping: "200", Discounts: "200", VouchersSold: "200", StoreCredit: "200", Fees: "260", Rounding: "860"}
	s.TaxRates = []mapping.TaxMap{{Title: "VAT (20%)", Rate: mustDec("20"), Type: "P", TaxType: "OUTPUT2"}}
	eng, err := export.New(export.Config{Store: e.store, History: e.hist, Settings: s, Progress: e.events})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := eng.Run(context.Background(), export.Request{Scope: export.ScopeAll, DryRun: true})
	if err != nil || sum.Failed != 0 {
		t.Fatalf("dry run: %+v, %v", sum, err)
	}
	if len(e.sandbox.Calls()) != 0 {
		t.Fatalf("a dry run called Xero: %v", e.sandbox.Calls())
	}
	var inv *xero.Invoice
	for _, o := range e.events.outcomes() {
		if o.Kind == history.KindInvoice {
			doc := o.Document.(xero.Invoice)
			inv = &doc
			if o.OpenCartTotal != "26.00" || o.XeroTotal != "26.00" || o.State != "dry run" {
				t.Errorf("dry-run outcome %+v", o)
			}
		}
	}
	if inv == nil || inv.InvoiceNumber != "OC-3001" || inv.Contact.ContactNumber != "OC-C"+strconv.Itoa(c) {
		t.Fatalf("dry-run invoice %+v", inv)
	}
	if recs, _ := e.hist.Records(context.Background(), history.RecordFilter{}); len(recs) != 0 {
		t.Fatalf("a dry run recorded %d records", len(recs))
	}
}

func TestCancelStopsBetweenBatchesAndTheNextRunFinishes(t *testing.T) {
	e := newEnv(t, opencart.Family40)
	c := e.shop.AddCustomer(octest.Customer{FirstName: "Bo", LastName: "Ek", Email: "bo@example.com"})
	var orders []octest.Order
	for i := range 12 {
		orders = append(orders, vatOrder(4001+i, c, "Bo", "Ek", "bo@example.com", 1, []octest.Product{product("Pen", 1, "1.0000", "0.2000")}, nil, "1.2000", "7.2000"))
	}
	e.shop.AddOrders(orders...)
	s := e.settings(mapping.StatusDraft)
	ctx, cancel := context.WithCancel(context.Background())
	prog := export.ProgressFunc(func(ev export.Event) {
		if ev.Stage == export.StageInvoices && ev.Done >= 5 {
			cancel()
		}
	})
	eng, _ := export.New(export.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s, Progress: prog, BatchSize: 5})
	sum, err := eng.Run(ctx, export.Request{Scope: export.ScopeOrders})
	if err != export.ErrCancelled || !sum.Cancelled || sum.Exported == 0 || sum.Exported >= 12 {
		t.Fatalf("cancelled run: %+v, %v", sum, err)
	}
	runs, _ := e.hist.Runs(context.Background(), 1)
	if runs[0].State != history.RunCancelled {
		t.Fatalf("run state %s", runs[0].State)
	}
	sum2 := e.run(s, export.Request{Scope: export.ScopeOrders})
	if n := len(e.sandbox.Invoices(tenant)); n != 12 || sum2.Failed != 0 {
		t.Fatalf("%d invoices after resuming, summary %+v", n, sum2)
	}
}

func TestContactsEnteredByHandAreLinkedNotDuplicated(t *testing.T) {
	e := newEnv(t, opencart.Family40)
	ctx := context.Background()
	// Entered in Xero by hand before the app: the same person, and a namesake.
	if _, err := e.client.CreateContacts(ctx, []xero.Contact{
		{Name: "Jane Smith", EmailAddress: "JANE@example.com"},
		{Name: "Ann Lee", EmailAddress: "someone.else@example.net"},
	}, ""); err != nil {
		t.Fatal(err)
	}
	jane := e.shop.AddCustomer(octest.Customer{FirstName: "Jane", LastName: "Smith", Email: "jane@example.com"})
	ann := e.shop.AddCustomer(octest.Customer{FirstName: "Ann", LastName: "Lee", Email: "ann@shop.example"})
	sum := e.run(e.settings(mapping.StatusDraft), export.Request{Scope: export.ScopeCustomers})
	if sum.Failed != 0 || sum.Exported != 2 {
		e.events.dump(t)
		t.Fatalf("summary %+v", sum)
	}
	byName := map[string]xerotest.Contact{}
	for _, c := range e.sandbox.Contacts(tenant) {
		byName[c.Name] = c
	}
	if len(byName) != 3 {
		t.Fatalf("contacts %v", byName)
	}
	if c := byName["Jane Smith"]; c.ContactNumber != mapping.CustomerKey(jane) {
		t.Errorf("Jane Smith was not linked: %+v", c)
	}
	if c := byName["Ann Lee"]; c.ContactNumber != "" {
		t.Errorf("the namesake was taken over: %+v", c)
	}
	if c, ok := byName["Ann Lee (ann@shop.example)"]; !ok || c.ContactNumber != mapping.CustomerKey(ann) {
		t.Errorf("Ann Lee was not given a readable other name: %v", byName)
	}
}

func (l *eventLog) dump(t testing.TB) {
	for _, o := range l.outcomes() {
		t.Logf("%s %s %s: %s %v", o.Kind, o.OpenCartID, o.State, o.Message, o.Problems)
	}
}

func TestOneRunAtATime(t *testing.T) {
	e := newEnv(t, opencart.Family40)
	lock := filepath.Join(t.TempDir(), "export.lock")
	held, err := filelock.Lock(context.Background(), lock) // another process's run
	if err != nil {
		t.Fatal(err)
	}
	eng, _ := export.New(export.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: e.settings(mapping.StatusDraft), LockPath: lock})
	if _, err := eng.Run(context.Background(), export.Request{Scope: export.ScopeAll}); !errors.Is(err, export.ErrBusy) {
		t.Fatalf("run while another holds the lock: %v", err)
	}
	if runs, _ := e.hist.Runs(context.Background(), 10); len(runs) != 0 {
		t.Fatalf("a refused run was recorded: %+v", runs)
	}
	held()
	if _, err := eng.Run(context.Background(), export.Request{Scope: export.ScopeAll}); err != nil {
		t.Fatalf("run after the lock was freed: %v", err)
	}
}
