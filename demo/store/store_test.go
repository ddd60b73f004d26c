package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

var anchor = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// startShop serves a sample shop on a free port and opens the real
// OpenCart reader on it.
func startShop(t *testing.T) (*Store, *opencart.Reader) {
	t.Helper()
	s, err := Start("127.0.0.1:0", anchor, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	r, err := opencart.Open(context.Background(), s.DSN, Prefix)
	if err != nil {
		t.Fatalf("the reader cannot open the demo shop: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return s, r
}

// TestReaderSeesTheSampleShop reads the demo shop through the same reader
// the app uses and checks it finds what was put in: the 4.0 family, the
// counts, every order to the line and total row, and the returns.
func TestReaderSeesTheSampleShop(t *testing.T) {
	s, r := startShop(t)
	ctx := context.Background()
	sum, err := r.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Family != opencart.Family40 || sum.Database != Database || !sum.CurrencyOK || len(sum.Warnings) > 0 {
		t.Errorf("store check: %+v", sum)
	}
	if got := sum.Customers.Enabled + sum.Customers.Disabled; got != len(s.Shop.Customers) || sum.Customers.Disabled != 1 {
		t.Errorf("customers %+v, want %d with one disabled", sum.Customers, len(s.Shop.Customers))
	}
	if sum.OrdersTotal != len(s.Shop.Orders) || sum.MissingOrders != 0 || sum.Returns != 2 {
		t.Errorf("orders %d (missing %d), returns %d; want %d orders and 2 returns", sum.OrdersTotal, sum.MissingOrders, sum.Returns, len(s.Shop.Orders))
	}
	if len(s.Shop.Orders) < 30 || len(s.Shop.Customers) != 12 {
		t.Errorf("a small shop has %d orders and %d customers", len(s.Shop.Orders), len(s.Shop.Customers))
	}

	want := map[int]opencart.Order{}
	for _, o := range s.Shop.Orders {
		want[o.ID] = o
	}
	n := 0
	for got, err := range r.Orders(ctx, opencart.OrderFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		w, ok := want[got.ID]
		if !ok {
			t.Errorf("order %d was not put in the shop", got.ID)
			continue
		}
		if !got.Total.Equal(w.Total) || got.StatusID != w.StatusID || got.CurrencyCode != w.CurrencyCode ||
			!got.CurrencyValue.Equal(w.CurrencyValue) || !got.DateAdded.Equal(w.DateAdded) || got.Email != w.Email ||
			got.LastName != w.LastName || got.Payment.City != w.Payment.City || len(got.Products) != len(w.Products) || len(got.Totals) != len(w.Totals) {
			t.Errorf("order %d read back as\n%+v\nwant\n%+v", got.ID, got, w)
			continue
		}
		if got.ID == s.Shop.Refunded && (len(got.History) != 2 || got.History[1].Status != "Refunded" || !got.History[1].DateAdded.Equal(w.DateModified)) {
			t.Errorf("refunded order %d: history %+v", got.ID, got.History)
		}
		for i, p := range got.Products {
			wp := w.Products[i]
			if p.Name != wp.Name || p.Quantity != wp.Quantity || !p.Price.Equal(wp.Price) || !p.Tax.Equal(wp.Tax) || !p.Total.Equal(wp.Total) {
				t.Errorf("order %d line %d: %+v, want %+v", got.ID, i, p, wp)
			}
		}
		for i, tot := range got.Totals {
			wt := w.Totals[i]
			if tot.Code != wt.Code || tot.Title != wt.Title || !tot.Value.Equal(wt.Value) {
				t.Errorf("order %d total row %d: %+v, want %+v", got.ID, i, tot, wt)
			}
		}
	}
	if n != len(s.Shop.Orders) {
		t.Errorf("read %d orders, want %d", n, len(s.Shop.Orders))
	}

	actions := map[int]string{}
	for ret, err := range r.Returns(ctx, opencart.ReturnFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		actions[ret.ID] = ret.Action
		if ret.Quantity != 1 || ret.DateOrdered.IsZero() || ret.Status != "Complete" {
			t.Errorf("return %+v", ret)
		}
	}
	if actions[s.Shop.RefundReturn] != "Refunded" || actions[s.Shop.ReplacementReturn] != "Replacement Sent" || len(actions) != 2 {
		t.Errorf("return actions %v", actions)
	}
}

// TestReaderFilters runs the reader's filtered queries (id lists, dates,
// statuses, search) on go-mysql-server, which the app's export and list
// views issue.
func TestReaderFilters(t *testing.T) {
	s, r := startShop(t)
	ctx := context.Background()
	orders := s.Shop.Orders
	mid := orders[len(orders)/2]
	tests := []struct {
		name string
		f    opencart.OrderFilter
		want func(opencart.Order) bool
	}{
		{"ids", opencart.OrderFilter{IDs: []int{orders[0].ID, mid.ID, 999999}},
			func(o opencart.Order) bool { return o.ID == orders[0].ID || o.ID == mid.ID }},
		{"since", opencart.OrderFilter{Since: mid.DateAdded}, func(o opencart.Order) bool { return !o.DateAdded.Before(mid.DateAdded) }},
		{"until", opencart.OrderFilter{Until: mid.DateAdded}, func(o opencart.Order) bool { return o.DateAdded.Before(mid.DateAdded) }},
		{"refunded", opencart.OrderFilter{StatusIDs: []int{statusRefunded}}, func(o opencart.Order) bool { return o.ID == s.Shop.Refunded }},
		{"search by e-mail", opencart.OrderFilter{Search: "ISLA.THOMPSON"},
			func(o opencart.Order) bool { return strings.EqualFold(o.Email, "isla.thompson@example.co.uk") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var want []int
			for _, o := range orders {
				if tc.want(o) {
					want = append(want, o.ID)
				}
			}
			if len(want) == 0 {
				t.Fatal("the case selects no order of the shop")
			}
			var got []int
			for o, err := range r.Orders(ctx, tc.f) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, o.ID)
			}
			if len(got) != len(want) {
				t.Fatalf("got orders %v, want %v", got, want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("got orders %v, want %v", got, want)
				}
			}
		})
	}
}

// TestStartRefusesOutsideLoopback checks the shop is never served beyond
// this machine.
func TestStartRefusesOutsideLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:3307", ":3307", "nonsense"} {
		t.Run(addr, func(t *testing.T) {
			if s, err := Start(addr, anchor, false); err == nil {
				s.Close()
				t.Fatalf("Start(%q) served the shop", addr)
			}
		})
	}
}

// TestReaderLists runs the reader's other reads, the ones behind the
// app's list views and settings, on go-mysql-server: every sort of the
// order and customer lists, single records, counts and reference data.
func TestReaderLists(t *testing.T) {
	s, r := startShop(t)
	ctx := context.Background()
	for _, sort := range []opencart.Sort{opencart.SortID, opencart.SortDate, opencart.SortTotal, opencart.SortName, opencart.SortEmail} {
		for _, desc := range []bool{false, true} {
			t.Run(fmt.Sprintf("orders by %s desc=%v", sort, desc), func(t *testing.T) {
				page, err := r.OrderList(ctx, opencart.OrderFilter{}, opencart.ListOptions{Sort: sort, Desc: desc, Limit: 10, Offset: 5})
				if err != nil || len(page) != 10 {
					t.Fatalf("%d orders, %v", len(page), err)
				}
			})
			if sort == opencart.SortTotal {
				continue
			}
			t.Run(fmt.Sprintf("customers by %s desc=%v", sort, desc), func(t *testing.T) {
				page, err := r.CustomerList(ctx, opencart.CustomerFilter{}, opencart.ListOptions{Sort: sort, Desc: desc, Limit: 5})
				if err != nil || len(page) != 5 {
					t.Fatalf("%d customers, %v", len(page), err)
				}
			})
		}
	}
	first := s.Shop.Orders[0]
	if o, err := r.Order(ctx, first.ID); err != nil || !o.Total.Equal(first.Total) || len(o.Products) != len(first.Products) {
		t.Errorf("Order(%d) = %+v, %v", first.ID, o, err)
	}
	if _, err := r.Order(ctx, 999999); !errors.Is(err, opencart.ErrNotFound) {
		t.Errorf("Order(999999): %v, want ErrNotFound", err)
	}
	if c, err := r.Customer(ctx, s.Shop.Disabled); err != nil || c.Enabled {
		t.Errorf("Customer(%d) = %+v, %v; want the disabled account", s.Shop.Disabled, c, err)
	}
	if n, err := r.CountCustomers(ctx, opencart.CustomerFilter{EnabledOnly: true}); err != nil || n != len(s.Shop.Customers)-1 {
		t.Errorf("enabled customers %d, %v", n, err)
	}
	n := 0
	for _, err := range r.Customers(ctx, opencart.CustomerFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != len(s.Shop.Customers) {
		t.Errorf("streamed %d customers, want %d", n, len(s.Shop.Customers))
	}
	if n, err := r.CountOrders(ctx, opencart.OrderFilter{StatusIDs: []int{statusComplete}}); err != nil || n == 0 {
		t.Errorf("complete orders %d, %v", n, err)
	}
	if n, err := r.CountReturns(ctx, opencart.ReturnFilter{}); err != nil || n != 2 {
		t.Errorf("returns %d, %v", n, err)
	}
	settings, err := r.Settings(ctx)
	if err != nil || settings.Currency != "GBP" || settings.Timezone != "Europe/London" {
		t.Errorf("settings %+v, %v", settings, err)
	}
	currencies, err := r.Currencies(ctx)
	if err != nil || len(currencies) == 0 {
		t.Errorf("currencies %v, %v", currencies, err)
	}
	statuses, err := r.OrderStatuses(ctx)
	if err != nil || len(statuses) == 0 {
		t.Errorf("order statuses %v, %v", statuses, err)
	}
	classes, err := r.TaxClasses(ctx)
	if err != nil || len(classes) == 0 {
		t.Errorf("tax classes %v, %v", classes, err)
	}
	rates, err := r.TaxRates(ctx)
	if err != nil || len(rates) != 2+len(extraTaxRates) {
		t.Errorf("tax rates %v, %v; want the fixture's two and %d more", rates, err, len(extraTaxRates))
	}
}

// TestReaderSeesTheShopData reads, on go-mysql-server, what the export
// reads beside the orders: the custom fields (the VAT number), the
// payment methods (cash on delivery), the products' tax classes and the
// tax geography (the untaxed book), the statuses left out with NOT IN,
// the unknown statuses and the renewal tables.
func TestReaderSeesTheShopData(t *testing.T) {
	s, r := startShop(t)
	ctx := context.Background()

	fields, err := r.CustomFields(ctx)
	if err != nil || len(fields) != 1 || fields[0].Name != "VAT Number" || !fields[0].TaxNumber || !fields[0].Enabled {
		t.Errorf("custom fields %+v, %v; want the VAT Number field, taken as the tax number", fields, err)
	}
	withNumber := 0
	for o, err := range r.Orders(ctx, opencart.OrderFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		if o.TaxNumber != "" {
			withNumber++
			if o.TaxNumber != s.Shop.VATNumber || o.LastName != people[business].last {
				t.Errorf("order %d of %s has VAT number %q", o.ID, o.LastName, o.TaxNumber)
			}
		}
		if o.ID == s.Shop.Book && (len(o.Products) != 1 || o.Products[0].TaxClassID != 0 || !o.Products[0].Tax.IsZero()) {
			t.Errorf("book order %+v", o.Products)
		}
	}
	if withNumber == 0 {
		t.Error("no order of the business customer carries its VAT number")
	}
	if c, err := r.Customer(ctx, s.Shop.Customers[business]); err != nil || c.TaxNumber != s.Shop.VATNumber {
		t.Errorf("business customer %+v, %v", c, err)
	}

	methods, err := r.PaymentMethods(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cod := 0
	for _, m := range methods {
		if m.Code == cashOnDelivery.Code {
			cod = m.Orders
		}
	}
	if cod != len(s.Shop.CashOnDelivery) || cod != 2 {
		t.Errorf("payment methods %+v; want cash on delivery on 2 orders", methods)
	}

	places, err := r.TaxPlaces(ctx)
	if err != nil {
		t.Fatalf("tax places: %v", err)
	}
	if places.CountryCode != "GB" || len(places.Places) == 0 || len(places.Classes) == 0 {
		t.Errorf("tax places %+v; want a GB shop with its UK VAT zone and tax classes", places)
	}

	n, err := r.CountOrders(ctx, opencart.OrderFilter{ExcludeStatusIDs: []int{statusCanceled, statusPending}})
	if err != nil || n != len(s.Shop.Orders)-2 {
		t.Errorf("orders but canceled and pending: %d, %v; want %d", n, err, len(s.Shop.Orders)-2)
	}
	if unknown, err := r.UnknownStatuses(ctx); err != nil || len(unknown) != 0 {
		t.Errorf("unknown statuses %v, %v", unknown, err)
	}
	if _, err := r.Renewals(ctx, opencart.RenewalFilter{}); err != nil {
		t.Errorf("renewals: %v", err)
	}
}
