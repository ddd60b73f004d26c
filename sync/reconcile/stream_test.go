package reconcile_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/reconcile"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// TestDifferencesOnPageBoundaries: the reconciliation reads Xero a page of
// a thousand at a time and compares the shop's orders a batch at a time
// (here the shop's pages of 300); changes made to the documents at the
// first and last place of each Xero page and each shop batch are each
// found exactly once, and nothing else is reported.
func TestDifferencesOnPageBoundaries(t *testing.T) {
	if testing.Short() {
		t.Skip("1,001 orders")
	}
	e := newEnv(t)
	jane := e.customer()
	const first, n = 6001, 1001
	orders := make([]octest.Order, n)
	for i := range orders {
		orders[i] = order(first+i, jane, 1, "10.0000")
	}
	e.shop.AddOrders(orders...)
	s := e.settings(mapping.StatusAuthorised)
	if sum := e.export(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		t.Fatalf("export: %+v", sum)
	}

	// Xero's pages as the reconciliation reads them: their first and last
	// invoices.
	where := `Type=="ACCREC" AND InvoiceNumber.StartsWith("OC-") AND Date>=` + xero.WhereDate(march.Since) + ` AND Date<` + xero.WhereDate(march.Until)
	var pages [][]string
	if err := e.client.ReadInvoicePages(context.Background(), xero.ReadQuery{Where: where}, func(page []xero.Invoice) error {
		pages = append(pages, []string{page[0].InvoiceNumber, page[len(page)-1].InvoiceNumber})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 {
		t.Fatalf("Xero's pages: %v, want two", pages)
	}
	edges := map[string]bool{}
	for _, p := range pages {
		edges[p[0]], edges[p[1]] = true, true
	}
	// The shop's batches of 300 orders, in order id order.
	const batch = 300
	e.store.SetPageSize(batch)
	for i := 0; i < n; i += batch {
		edges[fmt.Sprintf("OC-%d", first+i)] = true
		edges[fmt.Sprintf("OC-%d", first+min(i+batch, n)-1)] = true
	}

	bk, err := e.sandbox.Bookkeeper(tenant)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2024, 3, 20, 0, 0, 0, 0, time.UTC)
	changes := []struct {
		problem reconcile.Problem
		make    func(number string) error
	}{
		{reconcile.TotalDiffers, func(nr string) error { _, err := bk.AddToTotal(nr, decimal.NewFromInt(10)); return err }},
		{reconcile.VoidedInXero, bk.VoidInvoice},
		{reconcile.PaidInXeroNotInOpenCart, func(nr string) error {
			_, err := bk.AddPayment(nr, decimal.RequireFromString("5.00"), "090", day)
			return err
		}},
		{reconcile.ContactDiffers, func(nr string) error { return bk.SetContact(nr, "Someone Else") }},
	}
	var want []found
	for i := range n {
		number := fmt.Sprintf("OC-%d", first+i)
		if !edges[number] {
			continue
		}
		c := changes[len(want)%len(changes)]
		if err := c.make(number); err != nil {
			t.Fatalf("%s: %v", number, err)
		}
		want = append(want, found{number, c.problem})
	}
	if len(want) < 9 {
		t.Fatalf("only %d documents on the edges: %v", len(want), want)
	}
	// Beside them: an order placed after the export, and an invoice in
	// Xero that no order accounts for (the last on Xero's second page).
	e.shop.AddOrder(order(first+n, jane, 1, "10.0000"))
	if _, err := bk.AddInvoice("OC-99999", "Walk-in", "GBP", decimal.RequireFromString("12.50"), "200", day); err != nil {
		t.Fatal(err)
	}
	want = append(want, found{fmt.Sprintf("OC-%d", first+n), reconcile.MissingInXero}, found{"OC-99999", reconcile.NotInOpenCart})

	rep := e.reconcile(s, march, "")
	got := differences(rep)
	wantSorted := differences(&reconcile.Report{Differences: asDifferences(want)})
	if fmt.Sprint(got) != fmt.Sprint(wantSorted) {
		t.Fatalf("found %d differences, want %d:\n got %v\nwant %v", len(got), len(wantSorted), got, wantSorted)
	}
	if rep.Orders != n+1 || rep.Invoices != n+1 {
		t.Fatalf("compared %d orders and %d invoices, want %d and %d", rep.Orders, rep.Invoices, n+1, n+1)
	}
}

func asDifferences(fs []found) []reconcile.Difference {
	out := make([]reconcile.Difference, len(fs))
	for i, f := range fs {
		out[i] = reconcile.Difference{Number: f.number, Problem: f.problem}
	}
	return out
}

// TestCacheOfAnOtherFormatIsNotUsed: the cache file is JSON lines with a
// version; a cache in the first format (one JSON object holding every
// document), even one read with the same filters, is not trusted: the run
// reads everything, reports what Xero holds, and writes the file anew,
// which the next run then uses. A file cut short, even at the end of a
// line, is not used either.
func TestCacheOfAnOtherFormatIsNotUsed(t *testing.T) {
	e := newEnv(t)
	jane := e.customer()
	e.shop.AddOrder(order(5101, jane, 1, "10.0000"))
	e.shop.AddOrder(order(5102, jane, 1, "20.0000"))
	s := e.settings(mapping.StatusAuthorised)
	e.export(s, export.Request{Scope: export.ScopeAll})
	cache := filepath.Join(t.TempDir(), "reconcile-cache.json")
	if rep := e.reconcile(s, march, cache); !rep.Clean() {
		t.Fatalf("first run: %+v", rep.Differences)
	}
	head := cacheHead(t, cache)

	// The first format, with the same filters, organisation and time, and
	// OC-5102 voided in it: trusted, it would report OC-5102 as voided.
	old := map[string]any{"invoice_where": head["invoice_where"], "credit_note_where": head["credit_note_where"],
		"tenant": head["tenant"], "read_at": head["read_at"],
		"invoices": []map[string]any{{"InvoiceID": "00000000-0000-0000-0000-000000000001", "InvoiceNumber": "OC-5102",
			"Status": "VOIDED", "CurrencyCode": "GBP", "Total": 30}},
		"credit_notes": []any{}}
	raw, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	cut, err := os.ReadFile(cache)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(cut), "\n")
	if len(lines) != 5 || !strings.Contains(lines[3], `"end"`) {
		t.Fatalf("the cache file: %q, want a head, 2 invoices, the end", lines)
	}
	withoutEnd := []byte(strings.Join(lines[:3], ""))
	cut = cut[:len(cut)-len(lines[3])-10] // the last document's line cut short

	for name, content := range map[string][]byte{"first format": raw, "cut short": cut, "without its end": withoutEnd} {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(cache, content, 0o600); err != nil {
				t.Fatal(err)
			}
			e.sandbox.ResetCounters()
			if rep := e.reconcile(s, march, cache); !rep.Clean() || rep.Invoices != 2 {
				t.Fatalf("%d invoices, differences %+v", rep.Invoices, rep.Differences)
			}
			if c := conditionalReads(e); c != 0 {
				t.Fatalf("%d conditional reads with an unusable cache, want 0", c)
			}
			if v := cacheHead(t, cache)["version"]; v != float64(2) {
				t.Fatalf("the cache was not written anew: version %v", v)
			}
			e.sandbox.ResetCounters()
			if rep := e.reconcile(s, march, cache); !rep.Clean() || rep.Invoices != 2 {
				t.Fatalf("from the new cache: %d invoices, differences %+v", rep.Invoices, rep.Differences)
			}
			if c := conditionalReads(e); c != 2 {
				t.Fatalf("%d conditional reads from the new cache, want 2", c)
			}
		})
	}
}

// cacheHead is the first line of the cache file.
func cacheHead(t *testing.T, path string) map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	var head map[string]any
	if err := json.Unmarshal([]byte(strings.TrimSpace(line)), &head); err != nil {
		t.Fatalf("the cache's first line: %v", err)
	}
	return head
}

func conditionalReads(e *env) int {
	n := 0
	for _, r := range e.sandbox.Requests() {
		if r.Header.Get("If-Modified-Since") != "" {
			n++
		}
	}
	return n
}
