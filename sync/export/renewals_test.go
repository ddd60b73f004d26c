package export_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// invoicesByNumber is the sandbox's invoices by number; a number held twice fails.
func invoicesByNumber(t *testing.T, e *env) map[string]xerotest.Invoice {
	t.Helper()
	out := map[string]xerotest.Invoice{}
	for _, inv := range e.sandbox.Invoices(tenant) {
		if _, dup := out[inv.InvoiceNumber]; dup {
			t.Errorf("the invoice number %s is held twice in Xero", inv.InvoiceNumber)
		}
		out[inv.InvoiceNumber] = inv
	}
	return out
}

// TestRecurringRenewalsOf30BecomeInvoicesAndPayments: OpenCart 3.0, a
// PayPal Express subscription (issue 17): the first order 18.00 and two
// renewals of 18.00 exist only as order_recurring_transaction rows, with a
// failed and a skipped renewal, the profile's own events and a reversal a
// module wrote. Xero gets the order and one invoice and one payment per
// renewal, once; nothing for the others, each of which is listed.
func TestRecurringRenewalsOf30BecomeInvoicesAndPayments(t *testing.T) {
	e := newEnv(t, opencart.Family30)
	jane := e.shop.AddCustomer(octest.Customer{FirstName: "Jane", LastName: "Smith", Email: "jane@example.com"})
	paid := []octest.History{{StatusID: 1, DateAdded: octest.DefaultDate}, {StatusID: 5, DateAdded: octest.DefaultDate.Add(time.Hour)}}
	// 12.50 + VAT 2.50, shipping 5.00 + VAT 1.00 = 21.00 (the first month and its delivery).
	first := vatOrder(4001, jane, "Jane", "Smith", "jane@example.com", 5, []octest.Product{product("Coffee Club", 1, "12.5000", "2.5000")}, nil, "3.5000", "21.0000")
	first.History, first.PaymentMethod = paid, octest.Method{Title: "PayPal Express", Code: "pp_express"}
	// An ordinary order whose number must not clash with a renewal's.
	other := vatOrder(4002, jane, "Jane", "Smith", "jane@example.com", 5, []octest.Product{product("Mug", 2, "5.0000", "1.0000")}, nil, "3.0000", "18.0000")
	other.History = paid
	e.shop.AddOrders(first, other)
	month := func(n int) time.Time { return octest.DefaultDate.AddDate(0, n, 0) }
	_, tx := e.shop.AddRecurring(octest.Recurring{OrderID: 4001, ProductID: 41, ProductName: "Coffee Club", Name: "Monthly beans",
		Reference: "I-PAYPALPROFILE1", Price: "12.5000", Transactions: []octest.RecurringTransaction{
			{Type: "0", DateAdded: octest.DefaultDate.Add(5 * time.Minute)},          // profile created
			{Type: "1", Amount: "15.0000", DateAdded: month(1)},                      // paid
			{Type: "4", DateAdded: month(2)},                                         // failed
			{Type: "2", Amount: "15.0000", DateAdded: month(2).Add(72 * time.Hour)},  // outstanding collected
			{Type: "3", DateAdded: month(3)},                                         // skipped
			{Type: "1", Amount: "-15.0000", DateAdded: month(3).Add(24 * time.Hour)}, // a reversal by a module
			{Type: "5", DateAdded: month(4)},                                         // cancelled
		}})
	s := e.settings(mapping.StatusAuthorised)

	sum := e.run(s, export.Request{Scope: export.ScopeAll})
	if sum.Failed != 0 {
		for _, o := range e.events.outcomes() {
			t.Log(o.Kind, o.OpenCartID, o.State, o.Message)
		}
		t.Fatalf("failed %d", sum.Failed)
	}
	invs := invoicesByNumber(t, e)
	order, ok := invs["OC-4001"]
	if !ok {
		t.Fatalf("the first order's invoice is missing: %v", invs)
	}
	if _, ok := invs["OC-4002"]; !ok {
		t.Fatal("the other order's invoice is missing")
	}
	wantRenewals := map[string]time.Time{"OC-4001-R" + strconv.Itoa(tx[1]): month(1), "OC-4001-R" + strconv.Itoa(tx[3]): month(2).Add(72 * time.Hour)}
	if len(invs) != 2+len(wantRenewals) {
		t.Errorf("Xero holds %d invoices, want the 2 orders' and %d renewals'", len(invs), len(wantRenewals))
	}
	for number, day := range wantRenewals {
		inv, ok := invs[number]
		if !ok {
			t.Errorf("renewal invoice %s missing", number)
			continue
		}
		if inv.Total == nil || !inv.Total.Equal(mustDec("15.00")) || inv.TotalTax == nil || !inv.TotalTax.Equal(mustDec("2.50")) {
			t.Errorf("%s: total %v tax %v, want 15.00 with VAT 2.50 (20%% inside, as on the product's line)", number, inv.Total, inv.TotalTax)
		}
		if inv.Contact == nil || order.Contact == nil || inv.Contact.ContactID != order.Contact.ContactID {
			t.Errorf("%s is not on the first order's contact", number)
		}
		if len(inv.LineItems) != 1 || inv.LineItems[0].Description != "Renewal: Coffee Club (Monthly beans)" {
			t.Errorf("%s lines: %+v", number, inv.LineItems)
		}
		if inv.Date == nil || !inv.Date.Equal(time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%s dated %v, want the renewal's day %s", number, inv.Date, day.Format("2006-01-02"))
		}
		if inv.AmountPaid == nil || !inv.AmountPaid.Equal(mustDec("15.00")) {
			t.Errorf("%s paid %v, want 15.00", number, inv.AmountPaid)
		}
	}
	renewalPayments := 0
	for _, p := range e.sandbox.Payments(tenant) {
		if p.Invoice != nil && strings.Contains(p.Invoice.InvoiceNumber, "-R") {
			renewalPayments++
		}
	}
	if renewalPayments != len(wantRenewals) {
		t.Errorf("%d renewal payments in Xero, want %d", renewalPayments, len(wantRenewals))
	}
	// The reversal is listed, not exported; the failed and skipped ones are recorded with what happened.
	if sum.RenewalsNotExported != 1 || sum.RenewalsNotExportedLine() != "not exported: subscription renewals (1, total -15.00 GBP)" {
		t.Errorf("summary says %q (%d)", sum.RenewalsNotExportedLine(), sum.RenewalsNotExported)
	}
	ctx := context.Background()
	for i, want := range map[int]string{2: "Payment failed", 4: "Payment skipped", 5: "enter it in Xero by hand"} {
		rec, err := e.hist.RecordFor(ctx, history.KindInvoice, history.RenewalKey(false, tx[i]))
		if err != nil {
			t.Fatalf("renewal %d not listed: %v", tx[i], err)
		}
		if rec.State != history.StateSkipped || !strings.Contains(rec.Error, want) || !strings.Contains(rec.Error, "not exported") {
			t.Errorf("renewal %d: %s %q, want skipped saying %q", tx[i], rec.State, rec.Error, want)
		}
	}
	for _, i := range []int{0, 6} { // the profile's own events are no money
		if _, err := e.hist.RecordFor(ctx, history.KindInvoice, history.RenewalKey(false, tx[i])); err == nil {
			t.Errorf("transaction %d (no money) has a record", tx[i])
		}
	}

	// A second run sends nothing, and still says what is not exported.
	before := e.writes()
	again := e.run(s, export.Request{Scope: export.ScopeAll})
	if e.writes() != before || again.Exported != 0 {
		t.Errorf("the second run wrote %d times (exported %d)", e.writes()-before, again.Exported)
	}
	if again.RenewalsNotExportedLine() != sum.RenewalsNotExportedLine() {
		t.Errorf("the second run says %q", again.RenewalsNotExportedLine())
	}
}

// TestRenewalWaitsForItsOrdersInvoice: a renewal whose first order is not
// in Xero (a draft-only or failed export) is skipped with the reason, and
// sent once the order's invoice is there.
func TestRenewalWaitsForItsOrdersInvoice(t *testing.T) {
	e := newEnv(t, opencart.Family30)
	o := vatOrder(5001, 0, "Guest", "Buyer", "guest@example.com", 5, []octest.Product{product("Tea Club", 1, "10.0000", "2.0000")}, nil, "3.0000", "18.0000")
	e.shop.AddOrder(o)
	_, tx := e.shop.AddRecurring(octest.Recurring{OrderID: 5001, ProductID: 41, ProductName: "Tea Club", Name: "Weekly tea",
		Transactions: []octest.RecurringTransaction{{Type: "1", Amount: "12.0000", DateAdded: octest.DefaultDate.AddDate(0, 0, 7)}}})
	s := e.settings(mapping.StatusAuthorised)
	e.run(s, export.Request{Scope: export.ScopeAll, IDs: []int{999}}) // nothing of order 5001
	rec, err := e.hist.RecordFor(context.Background(), history.KindInvoice, history.RenewalKey(false, tx[0]))
	if err == nil {
		t.Fatalf("a renewal outside the run's orders was recorded: %+v", rec)
	}
	// Only the renewals' scope: the order's invoice is not in Xero yet.
	e.run(s, export.Request{Scope: export.ScopePayments})
	if rec, err = e.hist.RecordFor(context.Background(), history.KindPayment, history.RenewalKey(false, tx[0])); err != nil || rec.State != history.StateSkipped {
		t.Fatalf("the renewal's payment before its invoice: %+v %v", rec, err)
	}
	e.run(s, export.Request{Scope: export.ScopeAll})
	invs := invoicesByNumber(t, e)
	if inv, ok := invs["OC-5001-R"+strconv.Itoa(tx[0])]; !ok || inv.AmountPaid == nil || !inv.AmountPaid.Equal(mustDec("12.00")) {
		t.Errorf("renewal after its order: %+v", invs)
	}
}

// TestSubscriptionRenewalOrdersOf4xAreExportedAsOrders: from 4.0.2 a
// renewal is an order of its own (order.subscription_id): it is exported
// like any order, and a 4.0.0–4.0.1 subscription_transaction row (what
// was charged unknown) is listed as not exported, by the run and by
// `store check`.
func TestSubscriptionRenewalOrdersOf4xAreExportedAsOrders(t *testing.T) {
	for _, family := range []opencart.Family{opencart.Family40, opencart.Family41} {
		t.Run(string(family), func(t *testing.T) {
			e := newEnv(t, family)
			jane := e.shop.AddCustomer(octest.Customer{FirstName: "Jane", LastName: "Smith", Email: "jane@example.com"})
			first := vatOrder(6001, jane, "Jane", "Smith", "jane@example.com", 5, []octest.Product{product("Coffee Club", 1, "12.5000", "2.5000")}, nil, "3.5000", "21.0000")
			e.shop.AddOrder(first)
			sub := e.shop.AddSubscription(octest.Subscription{OrderID: 6001, ProductID: 41, CustomerID: jane, Price: "12.5000"})
			renewal := vatOrder(6002, jane, "Jane", "Smith", "jane@example.com", 5, []octest.Product{product("Coffee Club", 1, "12.5000", "2.5000")}, nil, "3.5000", "21.0000")
			renewal.SubscriptionID = sub
			renewal.DateAdded = octest.DefaultDate.AddDate(0, 1, 0)
			e.shop.AddOrder(renewal)
			old := e.shop.AddSubscriptionTransaction(octest.SubscriptionTransaction{SubscriptionID: sub, Description: "Success", Amount: "12.5000",
				DateAdded: octest.DefaultDate.AddDate(0, 2, 0)})
			// The table is a 4.0.0 shop's: open the shop again, as it would be found.
			store, err := opencart.Open(context.Background(), e.shop.DSN, "oc_")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { store.Close() })
			e.store = store

			s := e.settings(mapping.StatusAuthorised)
			sum := e.run(s, export.Request{Scope: export.ScopeAll})
			invs := invoicesByNumber(t, e)
			if _, ok := invs["OC-6002"]; !ok {
				t.Errorf("the renewal order is not exported: %v", invs)
			}
			if len(invs) != 2 {
				t.Errorf("Xero holds %d invoices, want the two orders'", len(invs))
			}
			if sum.RenewalsNotExportedLine() != "not exported: subscription renewals (1, total 12.50 GBP)" {
				t.Errorf("summary says %q", sum.RenewalsNotExportedLine())
			}
			rec, err := e.hist.RecordFor(context.Background(), history.KindInvoice, history.RenewalKey(true, old))
			if err != nil || rec.State != history.StateSkipped || !strings.Contains(rec.Error, "4.0.0–4.0.1") {
				t.Errorf("the 4.0.0 transaction: %+v %v", rec, err)
			}
			check, err := e.store.Check(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if c := check.Renewals; c == nil || c.RenewalOrders != 1 || c.NotExported != 1 {
				t.Fatalf("store check: %+v", c)
			}
			found := false
			for _, w := range check.Warnings {
				found = found || strings.HasPrefix(w, "not exported: subscription renewals (1, total 12.50 GBP)")
			}
			if !found {
				t.Errorf("store check warnings: %q", check.Warnings)
			}
		})
	}
}

// The number of a renewal keeps within Xero's 255 characters and to its
// order's number.
func TestRenewalNumberFitsAndNamesItsOrder(t *testing.T) {
	opt := mapping.DefaultOptions()
	o := opencart.Order{ID: 4001}
	rn := opencart.Renewal{Table: opencart.TableRecurringTransaction, ID: 3}
	if n := mapping.RenewalNumber(o, rn, opt); n != "OC-4001-R3" {
		t.Errorf("number %q", n)
	}
	opt.InvoiceNumber = strings.Repeat("X", 300) + "{order_id}"
	if n := mapping.RenewalNumber(o, rn, opt); len(n) != 255 || !strings.HasSuffix(n, "-R3") {
		t.Errorf("long number: %d characters, %q…", len(n), n[len(n)-10:])
	}
	rn.Table = opencart.TableSubscriptionTransaction
	if n := mapping.RenewalNumber(opencart.Order{ID: 4001}, rn, mapping.DefaultOptions()); n != "OC-4001-RS3" {
		t.Errorf("4.0.0 number %q", n)
	}
}
