package opencart_test

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

// listRow is what the model knows of a list row: the values the lists
// sort by, NULL written as "" (a NULL total as 0), which is how the lists
// compare them.
type listRow struct {
	id                  int
	last, first, email  string
	date                string // "2006-01-02 15:04:05"
	total               decimal.Decimal
	nullLast, nullEmail bool
	nullDate, nullTotal bool
}

// listSorts are the sorts both lists offer (the total only on orders).
var listSorts = []opencart.Sort{opencart.SortID, opencart.SortDate, opencart.SortName, opencart.SortEmail, opencart.SortTotal}

// modelOrder is the order a list shows rows in: by the sort's values,
// then by id, all reversed when desc.
func modelOrder(rows []listRow, by opencart.Sort, desc bool) []int {
	sorted := slices.Clone(rows)
	slices.SortFunc(sorted, func(a, b listRow) int {
		var c int
		switch by {
		case opencart.SortDate:
			c = strings.Compare(a.date, b.date)
		case opencart.SortName:
			c = cmp.Or(strings.Compare(a.last, b.last), strings.Compare(a.first, b.first))
		case opencart.SortEmail:
			c = strings.Compare(a.email, b.email)
		case opencart.SortTotal:
			c = a.total.Cmp(b.total)
		}
		c = cmp.Or(c, cmp.Compare(a.id, b.id))
		if desc {
			return -c
		}
		return c
	})
	ids := make([]int, len(sorted))
	for i, r := range sorted {
		ids[i] = r.id
	}
	return ids
}

// seedListRows gives the shop's orders and customers (n of each) sort
// values drawn from short lists, so that ties are many; where the
// schema allows it (4.1), one value in five is NULL.
func seedListRows(t *testing.T, db *octest.DB, family opencart.Family, n int, rnd *rand.Rand) (orders, customers []listRow) {
	t.Helper()
	lasts := []string{"", "ash", "birch", "cedar"}
	firsts := []string{"", "al", "bo"}
	emails := []string{"", "a@x.test", "b@x.test", "c@x.test"}
	totals := []string{"-5.0000", "0.0000", "10.0000", "10.5000", "99.9900"}
	dates := []string{"2024-03-01 10:00:00", "2024-03-01 10:00:01", "2025-01-31 23:59:59"}
	nullable := family == opencart.Family41
	pick := func(list []string) string { return list[rnd.IntN(len(list))] }
	null := func() bool { return nullable && rnd.IntN(5) == 0 }
	value := func(isNull bool, v string) any {
		if isNull {
			return nil
		}
		return v
	}
	row := func(id int) listRow {
		r := listRow{id: id, last: pick(lasts), first: pick(firsts), email: pick(emails), date: pick(dates),
			nullLast: null(), nullEmail: null(), nullDate: null(), nullTotal: null()}
		r.total = decimal.RequireFromString(pick(totals))
		return r
	}
	finish := func(r listRow) listRow {
		if r.nullLast {
			r.last = ""
		}
		if r.nullEmail {
			r.email = ""
		}
		if r.nullDate {
			r.date = ""
		}
		if r.nullTotal {
			r.total = decimal.Zero
		}
		return r
	}
	os := make([]octest.Order, n)
	for i := range os {
		os[i] = octest.Order{StatusID: 2, FirstName: "x", LastName: "x", Email: "x@x.test"}
	}
	for _, id := range db.AddOrders(os...) {
		r := row(id)
		db.Exec("UPDATE `{prefix}order` SET lastname = ?, firstname = ?, email = ?, date_added = ?, total = ? WHERE order_id = ?",
			value(r.nullLast, r.last), r.first, value(r.nullEmail, r.email), value(r.nullDate, r.date), value(r.nullTotal, r.total.StringFixed(4)), id)
		orders = append(orders, finish(r))
	}
	cs := make([]octest.Customer, n)
	for i := range cs {
		cs[i] = octest.Customer{FirstName: "x", LastName: "x", Email: fmt.Sprintf("x%d@x.test", i)}
	}
	for _, id := range db.AddCustomers(cs...) {
		r := row(id)
		r.nullTotal, r.total = false, decimal.Zero
		db.Exec("UPDATE `{prefix}customer` SET lastname = ?, firstname = ?, email = ?, date_added = ? WHERE customer_id = ?",
			value(r.nullLast, r.last), r.first, value(r.nullEmail, r.email), value(r.nullDate, r.date), id)
		customers = append(customers, finish(r))
	}
	return orders, customers
}

// listPage reads one page of orders or customers with its keys.
func listPage(ctx context.Context, r *opencart.Reader, customers bool, opt opencart.ListOptions) ([]int, []opencart.ListKey, error) {
	var ids []int
	if customers {
		cs, keys, err := r.CustomerPage(ctx, opencart.CustomerFilter{}, opt)
		for _, c := range cs {
			ids = append(ids, c.ID)
		}
		return ids, keys, err
	}
	os, keys, err := r.OrderPage(ctx, opencart.OrderFilter{}, opt)
	for _, o := range os {
		ids = append(ids, o.ID)
	}
	return ids, keys, err
}

// walkByKey reads a whole list page after page, each after the last key
// of the one before, and counts the queries.
func walkByKey(t *testing.T, r *opencart.Reader, customers bool, by opencart.Sort, desc bool, size int) (ids []int, queries int64) {
	t.Helper()
	ctx := context.Background()
	var after *opencart.ListKey
	for range 1000 {
		before := r.Queries()
		page, keys, err := listPage(ctx, r, customers, opencart.ListOptions{Sort: by, Desc: desc, After: after, Limit: size})
		queries += r.Queries() - before
		if err != nil {
			t.Fatalf("page after %+v: %v", after, err)
		}
		if len(keys) != len(page) {
			t.Fatalf("%d rows, %d keys", len(page), len(keys))
		}
		ids = append(ids, page...)
		if len(page) < size {
			return ids, queries
		}
		after = &keys[len(keys)-1]
	}
	t.Fatal("the list never ends")
	return nil, 0
}

// TestListPagesByKeyset walks the orders and customers lists of each
// schema page by page by key, for every sort in both directions: every
// row once, in the list's order (values, then id), and a page of orders
// in one statement (two for customers: their addresses).
func TestListPagesByKeyset(t *testing.T) {
	ctx := context.Background()
	for _, s := range shops {
		if s.upgraded {
			continue
		}
		t.Run(s.name, func(t *testing.T) {
			db := octest.NewDB(t, s.family, s.prefix)
			orders, customers := seedListRows(t, db, s.family, 23, rand.New(rand.NewPCG(1, uint64(len(s.name)))))
			r, err := opencart.Open(ctx, db.DSN, s.prefix)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if _, err := r.Settings(ctx); err != nil { // the lookups, read once
				t.Fatal(err)
			}
			for _, list := range []struct {
				name      string
				customers bool
				rows      []listRow
				perPage   int64
			}{{"orders", false, orders, 1}, {"customers", true, customers, 2}} {
				for _, by := range listSorts {
					if list.customers && by == opencart.SortTotal {
						continue
					}
					for _, desc := range []bool{false, true} {
						got, queries := walkByKey(t, r, list.customers, by, desc, 4)
						want := modelOrder(list.rows, by, desc)
						if !slices.Equal(got, want) {
							t.Errorf("%s by %s desc=%v, pages of 4 by key:\n got %v\nwant %v", list.name, by, desc, got, want)
						}
						if pages := int64(len(want)/4 + 1); queries != pages*list.perPage {
							t.Errorf("%s by %s: %d queries for %d pages, want %d a page", list.name, by, queries, pages, list.perPage)
						}
					}
				}
			}
		})
	}
}

// TestListPagesAfterAKeyAsByOffset is a model check: on a 4.1 shop with
// NULLs and many ties, for every sort and direction, the page read after
// a key (the last of the page before, or an earlier one with an offset
// from it: a far jump) is the page LIMIT … OFFSET reads, and both are the
// model's.
func TestListPagesAfterAKeyAsByOffset(t *testing.T) {
	ctx := context.Background()
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			db := octest.NewDB(t, opencart.Family41, "oc_")
			rnd := rand.New(rand.NewPCG(seed, 20261205))
			orders, customers := seedListRows(t, db, opencart.Family41, 31+rnd.IntN(10), rnd)
			r, err := opencart.Open(ctx, db.DSN, "oc_")
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			const size = 5
			for _, list := range []struct {
				name      string
				customers bool
				rows      []listRow
			}{{"orders", false, orders}, {"customers", true, customers}} {
				for _, by := range listSorts {
					if list.customers && by == opencart.SortTotal {
						continue
					}
					for _, desc := range []bool{false, true} {
						want := modelOrder(list.rows, by, desc)
						var keys []opencart.ListKey // of every row read by offset
						for offset := 0; offset < len(want)+size; offset += size {
							page, pk, err := listPage(ctx, r, list.customers, opencart.ListOptions{Sort: by, Desc: desc, Offset: offset, Limit: size})
							if err != nil {
								t.Fatal(err)
							}
							if w := want[min(offset, len(want)):min(offset+size, len(want))]; !slices.Equal(page, w) {
								t.Fatalf("%s by %s desc=%v offset %d: %v, model %v", list.name, by, desc, offset, page, w)
							}
							keys = append(keys, pk...)
						}
						for start := size; start < len(want)+size; start += size {
							// After the key of the row before, and after an
							// earlier key with the offset from it.
							for from := min(start, len(keys)); from >= 0; from -= 2 * size {
								opt := opencart.ListOptions{Sort: by, Desc: desc, Offset: start - from, Limit: size}
								if from > 0 {
									opt.After = &keys[from-1]
								}
								page, _, err := listPage(ctx, r, list.customers, opt)
								if err != nil {
									t.Fatal(err)
								}
								if w := want[min(start, len(want)):min(start+size, len(want))]; !slices.Equal(page, w) {
									t.Fatalf("%s by %s desc=%v, row %d after the key of row %d: %v, want %v (key %+v)",
										list.name, by, desc, start, from-1, page, w, opt.After)
								}
							}
						}
					}
				}
			}
		})
	}
}

// TestListKeyOfAnotherSort refuses a key that does not fit the sort.
func TestListKeyOfAnotherSort(t *testing.T) {
	db := octest.NewDB(t, opencart.Family30, "oc_")
	r, err := opencart.Open(context.Background(), db.DSN, "oc_")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_, err = r.OrderList(context.Background(), opencart.OrderFilter{},
		opencart.ListOptions{Sort: opencart.SortName, After: &opencart.ListKey{Values: []string{"x"}, ID: 3}})
	if err == nil {
		t.Error("a key of one value was taken for a sort by two")
	}
}
