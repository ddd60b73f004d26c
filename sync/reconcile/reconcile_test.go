package reconcile_test

import (
	"context"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/reconcile"
	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

const tenant = xerotest.DefaultTenantID

// env is one shop, one Xero sandbox and one history, as in the export tests.
type env struct {
	t       testing.TB
	shop    *octest.DB
	store   *opencart.Reader
	sandbox *xerotest.Server
	client  *xero.Client
	hist    *history.Store
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{t: t, shop: octest.NewDB(t, opencart.Family40, "oc_")}
	var err error
	if e.store, err = opencart.Open(ctx, e.shop.DSN, "oc_"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.store.Close() })
	e.sandbox = xerotest.NewTest(t, xerotest.Options{TimeScale: 0.001})
	tok, err := e.sandbox.Connect("reconcile-test", "")
	if err != nil {
		t.Fatal(err)
	}
	ts := &xero.FileStore{Path: filepath.Join(t.TempDir(), "token.json")}
	if err := ts.Save(ctx, &xero.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken,
		Expiry: time.Now().Add(time.Duration(tok.ExpiresIn) * time.Second), Issuer: e.sandbox.URL}); err != nil {
		t.Fatal(err)
	}
	e.client, err = xero.New(xero.Options{ClientID: "reconcile-test", BaseURL: e.sandbox.URL, TenantID: tenant, Store: ts,
		Clock: xero.ScaledClock(time.Time{}, 0.001)})
	if err != nil {
		t.Fatal(err)
	}
	if e.hist, err = history.Open(ctx, filepath.Join(t.TempDir(), "history.db")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.hist.Close() })
	return e
}

func (e *env) settings(status string) export.Settings {
	e.t.Helper()
	s := export.DefaultSettings()
	s.InvoiceStatus = status
	s, _, err := export.Propose(context.Background(), e.store, e.client, s)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		e.t.Fatalf("proposed settings are incomplete: %v", err)
	}
	return s
}

func (e *env) export(s export.Settings, req export.Request) export.Summary {
	e.t.Helper()
	eng, err := export.New(export.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s})
	if err != nil {
		e.t.Fatal(err)
	}
	sum, err := eng.Run(context.Background(), req)
	if err != nil {
		e.t.Fatalf("export: %v", err)
	}
	return sum
}

func (e *env) reconcile(s export.Settings, p reconcile.Period, cache string) *reconcile.Report {
	e.t.Helper()
	rep, err := reconcile.Run(context.Background(), reconcile.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s, CachePath: cache}, p)
	if err != nil {
		e.t.Fatalf("reconcile: %v", err)
	}
	return rep
}

// march is the period of the test orders (octest.DefaultDate is 1 March 2024).
var march = reconcile.Month(2024, time.March)

// order is a VAT order in the style of the export tests: a product at 20%,
// flat shipping 5.00 taxed.
func order(id, customerID int, status int, price string) octest.Order {
	p := decimal.RequireFromString(price)
	vat := p.Add(decimal.NewFromInt(5)).Mul(decimal.RequireFromString("0.2"))
	total := p.Add(decimal.NewFromInt(5)).Add(vat)
	o := octest.Order{ID: id, StatusID: status, CustomerID: customerID, FirstName: "Jane", LastName: "Smith", Email: "jane@example.com",
		Payment:        octest.OrderAddress{FirstName: "Jane", LastName: "Smith", Address1: "1 High Street", City: "London", Postcode: "SW1A 1AA", Country: "United Kingdom", CountryID: octest.CountryUK},
		PaymentMethod:  octest.Method{Title: "Bank Transfer", Code: "bank_transfer.bank_transfer"},
		ShippingMethod: octest.Method{Title: "Flat Shipping Rate", Code: "flat.flat", Cost: "5.00", TaxClassID: octest.TaxClassGoods},
		Products:       []octest.Product{{ProductID: 50, Name: "Mug", Model: "M-1", Quantity: 1, Price: price, Tax: p.Mul(decimal.RequireFromString("0.2")).String()}},
		Totals: []octest.Total{{Code: "sub_total", Title: "Sub-Total", Value: price, SortOrder: 1},
			{Code: "shipping", Title: "Flat Shipping Rate", Value: "5.0000", SortOrder: 3},
			{Code: "tax", Title: "VAT (20%)", Value: vat.String(), SortOrder: 5},
			{Code: "total", Title: "Total", Value: total.String(), SortOrder: 9}},
		Total: total.String()}
	if status == 5 || status == 11 {
		o.History = []octest.History{{StatusID: 1, DateAdded: octest.DefaultDate}, {StatusID: 5, DateAdded: octest.DefaultDate.Add(time.Hour)}}
		if status == 11 {
			o.History = append(o.History, octest.History{StatusID: 11, DateAdded: octest.DefaultDate.Add(48 * time.Hour)})
		}
	}
	return o
}

func (e *env) customer() int {
	return e.shop.AddCustomer(octest.Customer{FirstName: "Jane", LastName: "Smith", Email: "jane@example.com"})
}

// found is one difference as the tests compare it.
type found struct {
	number  string
	problem reconcile.Problem
}

func differences(rep *reconcile.Report) []found {
	var out []found
	for _, d := range rep.Differences {
		out = append(out, found{d.Number, d.Problem})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].number != out[j].number {
			return out[i].number < out[j].number
		}
		return out[i].problem < out[j].problem
	})
	return out
}

// TestUnchangedShopReconcilesClean: after an export nobody touched, the
// period shows no difference and every total agrees — a refunded order's
// credit note, a euro order and a cancelled order's withdrawal included.
func TestUnchangedShopReconcilesClean(t *testing.T) {
	e := newEnv(t)
	jane := e.customer()
	e.shop.AddOrder(order(3001, jane, 5, "100.0000"))
	e.shop.AddOrder(order(3002, jane, 1, "20.0000"))
	e.shop.AddOrder(order(3003, jane, 11, "30.0000"))
	eur := order(3004, 0, 2, "10.0000")
	eur.CurrencyCode, eur.CurrencyValue = "EUR", "1.15000000"
	e.shop.AddOrder(eur)
	e.shop.AddOrder(order(3005, jane, 7, "1.0000"))                  // cancelled: never exported
	outside := order(3006, jane, 5, "40.0000")                       // April: outside the period
	outside.DateAdded = time.Date(2024, 4, 1, 0, 30, 0, 0, time.UTC) // the shop's midnight has passed
	e.shop.AddOrder(outside)
	s := e.settings(mapping.StatusAuthorised)
	s.Accounts.Shipping = "260" // shipping on an account of its own, so its figure is shipping alone
	if sum := e.export(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		t.Fatalf("export: %+v", sum)
	}

	rep := e.reconcile(s, march, "")
	if len(rep.Differences) > 0 {
		t.Fatalf("an untouched export shows differences: %+v", rep.Differences)
	}
	if !rep.Clean() {
		t.Fatalf("totals differ: %+v", rep.Totals)
	}
	if rep.Orders != 4 || rep.Invoices != 4 || rep.CreditNotes != 1 {
		t.Fatalf("compared %d orders, %d invoices, %d credit notes; want 4, 4, 1", rep.Orders, rep.Invoices, rep.CreditNotes)
	}
	gbp := totalsOf(t, rep, "GBP")
	// 126 + 30 + 42 sold; 126 + 42 paid (3003 paid, then refunded).
	if gbp.Sales.OpenCart.String() != "198" || gbp.Payments.Xero.String() != "168" || gbp.Refunds.Xero.IsZero() || gbp.Shipping.Xero.String() != "15" {
		t.Fatalf("GBP totals %+v", gbp)
	}
	if v := gbp.VAT["OUTPUT2"]; v.OpenCart.String() != "33" || !v.Difference().IsZero() {
		t.Fatalf("VAT at 20%%: %+v", v)
	}
	// The VAT row says the rate as Xero names it, from what the export read.
	if got := rep.VATLabel("OUTPUT2"); got != "VAT 20% (VAT on Income)" {
		t.Errorf("VAT row %q, want Xero's name for OUTPUT2", got)
	}
	if len(rep.Totals) != 2 {
		t.Fatalf("currencies: %+v", rep.Totals)
	}
}

func totalsOf(t *testing.T, rep *reconcile.Report, code string) reconcile.Totals {
	t.Helper()
	for _, tt := range rep.Totals {
		if tt.Currency == code {
			return tt
		}
	}
	t.Fatalf("no %s totals", code)
	return reconcile.Totals{}
}

// TestEveryChangeFoundOnce: a person changes Xero's books in every way the
// reconciliation knows; each change is found exactly once, on its
// document, and nothing else is reported.
func TestEveryChangeFoundOnce(t *testing.T) {
	e := newEnv(t)
	jane := e.customer()
	for id, status := range map[int]int{4001: 5, 4002: 5, 4003: 1, 4004: 1, 4005: 1, 4006: 1, 4007: 1, 4008: 1} {
		e.shop.AddOrder(order(id, jane, status, strconv.Itoa(10*(id-4000))+".0000"))
	}
	eur := order(4009, jane, 1, "10.0000")
	eur.CurrencyCode, eur.CurrencyValue = "EUR", "1.15000000"
	e.shop.AddOrder(eur)
	// 4005 goes out as a draft first (a person can delete only drafts).
	draft := e.settings(mapping.StatusDraft)
	e.export(draft, export.Request{Scope: export.ScopeAll, IDs: []int{4005}})
	s := e.settings(mapping.StatusAuthorised)
	// EUR is off in Xero: 4009 fails and is never sent.
	if err := e.sandbox.DisableCurrency(tenant, "EUR"); err != nil {
		t.Fatal(err)
	}
	if sum := e.export(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 1 {
		t.Fatalf("export: %+v", sum)
	}
	if rep := e.reconcile(s, march, ""); len(rep.Differences) != 1 || rep.Differences[0].Problem != reconcile.FailedNotSent {
		t.Fatalf("before any change: %+v", rep.Differences)
	}
	// An order placed after the export: not in Xero yet.
	e.shop.AddOrder(order(4010, jane, 1, "12.0000"))

	bk, err := e.sandbox.Bookkeeper(tenant)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2024, 3, 20, 0, 0, 0, 0, time.UTC)
	for _, step := range []func() error{
		func() error { return bk.RemovePayments("OC-4002") },
		func() error {
			_, err := bk.AddPayment("OC-4003", decimal.RequireFromString("5.00"), "090", day)
			return err
		},
		func() error { return bk.VoidInvoice("OC-4004") },
		func() error { return bk.DeleteInvoice("OC-4005") },
		func() error { _, err := bk.AddToTotal("OC-4006", decimal.NewFromInt(10)); return err },
		func() error { return bk.SetContact("OC-4007", "Someone Else") },
		func() error {
			_, err := bk.AddInvoice("OC-9999", "Walk-in", "GBP", decimal.RequireFromString("12.50"), "200", day)
			return err
		},
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}

	rep := e.reconcile(s, march, "")
	want := []found{
		{"OC-4002", reconcile.PaymentDiffers},
		{"OC-4003", reconcile.PaidInXeroNotInOpenCart},
		{"OC-4004", reconcile.VoidedInXero},
		{"OC-4005", reconcile.DeletedInXero},
		{"OC-4006", reconcile.TotalDiffers},
		{"OC-4007", reconcile.ContactDiffers},
		{"OC-4009", reconcile.FailedNotSent},
		{"OC-4010", reconcile.MissingInXero},
		{"OC-9999", reconcile.NotInOpenCart},
	}
	got := differences(rep)
	if len(got) != len(want) {
		t.Fatalf("found %d differences, want %d:\n got %v\nwant %v", len(got), len(want), got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("difference %d: %v, want %v", i, got[i], want[i])
		}
	}
	for _, d := range rep.Differences {
		if d.Problem == reconcile.TotalDiffers && (d.OpenCartTotal != "78.00" || d.XeroTotal != "90.00") {
			t.Errorf("total_differs shows %s and %s, want 78.00 and 90.00 (60 + 5 shipping + 20%% VAT; the product line edited to 70)", d.OpenCartTotal, d.XeroTotal)
		}
	}
	gbp := totalsOf(t, rep, "GBP")
	if gbp.Sales.Difference().IsZero() || gbp.Payments.Difference().IsZero() {
		t.Errorf("the totals do not show the changes: %+v", gbp)
	}
}

// TestRepeatRunReadsOnlyChanges: with a cache, a second run over the same
// period asks Xero only for what changed (If-Modified-Since) and finds a
// change made in between.
func TestRepeatRunReadsOnlyChanges(t *testing.T) {
	e := newEnv(t)
	jane := e.customer()
	e.shop.AddOrder(order(5001, jane, 1, "10.0000"))
	e.shop.AddOrder(order(5002, jane, 1, "20.0000"))
	s := e.settings(mapping.StatusAuthorised)
	e.export(s, export.Request{Scope: export.ScopeAll})
	cache := filepath.Join(t.TempDir(), "reconcile-cache.json")
	if rep := e.reconcile(s, march, cache); !rep.Clean() {
		t.Fatalf("first run: %+v", rep.Differences)
	}
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)) + 50*time.Millisecond)
	bk, err := e.sandbox.Bookkeeper(tenant)
	if err != nil {
		t.Fatal(err)
	}
	if err := bk.VoidInvoice("OC-5002"); err != nil {
		t.Fatal(err)
	}
	e.sandbox.ResetCounters()
	rep := e.reconcile(s, march, cache)
	if got := differences(rep); len(got) != 1 || got[0] != (found{"OC-5002", reconcile.VoidedInXero}) {
		t.Fatalf("second run: %v", got)
	}
	var conditional int
	for _, r := range e.sandbox.Requests() {
		if r.Header.Get("If-Modified-Since") != "" {
			conditional++
		}
	}
	if conditional != 2 {
		t.Fatalf("%d conditional reads, want 2 (invoices and credit notes)", conditional)
	}
	if rep.Invoices != 2 {
		t.Fatalf("%d invoices after merging the cache, want 2", rep.Invoices)
	}
}
