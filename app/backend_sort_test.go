package app

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/views"
)

func TestNaturalCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"OC-9", "OC-10", -1},
		{"OC-10", "OC-9", 1},
		{"OC-10", "OC-10", 0},
		{"CN-OC-1", "OC-1", -1},
		{"INV", "INV-1", -1}, // the prefix "INV" before "INV-"
		{"", "OC-1", -1},
	} {
		if got := naturalCompare(tc.a, tc.b); got != tc.want {
			t.Errorf("naturalCompare(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestListSortedByXeroNumberPages pages a list sorted by the Xero number
// (which only the history holds): the rows in number order, those the
// shop's filter leaves out skipped, then the rows without a number by id;
// full shop rows are read for the page shown only.
func TestListSortedByXeroNumberPages(t *testing.T) {
	ctx := context.Background()
	hist, err := history.Open(ctx, filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer hist.Close()
	// Orders 1–30 exported, order n as number OC-(31-n): by number the
	// list runs 30, 29, … 1; orders 31–35 have no number. The shop's filter
	// leaves out order 20.
	var recs []history.Record
	for n := 1; n <= 30; n++ {
		recs = append(recs, history.Record{Kind: history.KindInvoice, OpenCartID: history.OrderKey(n), State: history.StateExported,
			XeroNumber: fmt.Sprintf("OC-%d", 31-n)})
	}
	if _, err := hist.SaveRecords(ctx, recs); err != nil {
		t.Fatal(err)
	}
	b := &backend{hist: hist}
	kept := func(n int) bool { return n != 20 && n <= 35 }
	var want []int
	for n := 30; n >= 1; n-- {
		if kept(n) {
			want = append(want, n)
		}
	}
	want = append(want, 31, 32, 33, 34, 35)
	most := 0 // the most full rows read at once
	idsOf := func(ids []int) ([]int, error) {
		var out []int
		for _, n := range ids {
			if kept(n) {
				out = append(out, n)
			}
		}
		return out, nil
	}
	list := func(ids, except []int, opt opencart.ListOptions) ([]int, error) {
		var out []int
		for n := 1; n <= 35; n++ {
			if kept(n) && (ids == nil || slices.Contains(ids, n)) && !slices.Contains(except, n) {
				out = append(out, n)
			}
		}
		out = out[min(opt.Offset, len(out)):]
		out = out[:min(opt.Limit, len(out))]
		most = max(most, len(out))
		return out, nil
	}
	lk := listKinds[views.ListOrders]
	for _, offset := range []int{0, 8, 24, 32} {
		q := views.ListQuery{Sort: views.SortXeroNumber, Offset: offset, Limit: 8}
		got, err := pageByHistory(ctx, b, lk.kind, lk.id, q, nil, idsOf, list, func(n int) int { return n })
		if err != nil {
			t.Fatal(err)
		}
		if w := want[min(offset, len(want)):min(offset+8, len(want))]; !slices.Equal(got, w) {
			t.Errorf("page at %d: %v, want %v", offset, got, w)
		}
	}
	if most > 8 {
		t.Errorf("%d full rows read at once for pages of 8", most)
	}
}
