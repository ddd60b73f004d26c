package app

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/views"
)

// historySorts compare two records for the list sorts the history answers
// (what Xero holds: the shop cannot sort by it).
var historySorts = map[opencart.Sort]func(a, b history.Record) int{
	views.SortXeroNumber: func(a, b history.Record) int { return naturalCompare(a.XeroNumber, b.XeroNumber) },
	views.SortXeroTotal: func(a, b history.Record) int {
		return decimalOrZero(a.XeroTotal).Cmp(decimalOrZero(b.XeroTotal))
	},
	views.SortExportState: func(a, b history.Record) int {
		return strings.Compare(exportState(a).Text(), exportState(b).Text())
	},
	views.SortMatch: func(a, b history.Record) int { return cmp.Compare(matchRank(a), matchRank(b)) },
}

// historySortHas says whether a record has a value to sort by; rows
// without one (never exported, failed before Xero gave a number) come
// after those with one, by id.
var historySortHas = map[opencart.Sort]func(history.Record) bool{
	views.SortXeroNumber:  func(r history.Record) bool { return r.XeroNumber != "" },
	views.SortXeroTotal:   func(r history.Record) bool { return r.XeroTotal != "" },
	views.SortExportState: func(history.Record) bool { return true },
	views.SortMatch:       func(r history.Record) bool { return r.TotalsMatch != nil },
}

// matchRank orders totals that differ before those that match.
func matchRank(r history.Record) int {
	if r.TotalsMatch != nil && !*r.TotalsMatch {
		return 0
	}
	return 1
}

func decimalOrZero(s string) decimal.Decimal {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero
	}
	return d
}

// naturalCompare compares texts with their trailing numbers as numbers
// (OC-9 before OC-10).
func naturalCompare(a, b string) int {
	split := func(s string) (string, int, bool) {
		i := len(s)
		for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
			i--
		}
		n, err := strconv.Atoi(s[i:])
		return s[:i], n, err == nil
	}
	pa, na, oka := split(a)
	pb, nb, okb := split(b)
	if c := strings.Compare(pa, pb); c != 0 || !oka || !okb {
		if c != 0 {
			return c
		}
		return strings.Compare(a, b)
	}
	return cmp.Compare(na, nb)
}

// pageByHistory reads a page sorted by what the history holds: the rows
// with a value in their record first, in the record order (reversed when
// desc), then the rows without one by id. idsOf reads which of ids (nil:
// any) the shop's filter keeps, ids only; list reads the shop's full rows
// among ids except except; within is the filter's own id list (nil: any).
// Full rows are read for the page shown only.
func pageByHistory[T any](ctx context.Context, b *backend, kind string, idOf func(string) (int, bool), q views.ListQuery,
	within []int, idsOf func(ids []int) ([]int, error), list func(ids, except []int, opt opencart.ListOptions) ([]T, error),
	id func(T) int) ([]T, error) {
	compare := historySorts[q.Sort]
	recs, err := b.hist.Records(ctx, history.RecordFilter{Kind: kind})
	if err != nil {
		return nil, err
	}
	has := historySortHas[q.Sort]
	byID := map[int]history.Record{}
	for _, r := range recs {
		if n, ok := idOf(r.OpenCartID); ok && has(r) {
			byID[n] = r
		}
	}
	if within != nil {
		keep := map[int]bool{}
		for _, n := range within {
			keep[n] = true
		}
		for n := range byID {
			if !keep[n] {
				delete(byID, n)
			}
		}
	}
	sorted := make([]int, 0, len(byID))
	for n := range byID {
		sorted = append(sorted, n)
	}
	slices.SortFunc(sorted, func(x, y int) int {
		c := compare(byID[x], byID[y])
		if c == 0 {
			c = cmp.Compare(x, y)
		}
		if q.Desc {
			c = -c
		}
		return c
	})
	// The rows with a value that the shop's filter keeps, in record order:
	// ids only.
	var head []int
	if len(sorted) > 0 {
		kept, err := idsOf(sorted)
		if err != nil {
			return nil, err
		}
		keep := make(map[int]bool, len(kept))
		for _, n := range kept {
			keep[n] = true
		}
		for _, n := range sorted {
			if keep[n] {
				head = append(head, n)
			}
		}
	}
	var out []T
	if q.Offset < len(head) {
		shown := head[q.Offset:min(len(head), q.Offset+q.Limit)]
		if out, err = list(shown, nil, opencart.ListOptions{Sort: opencart.SortID, Limit: len(shown)}); err != nil {
			return nil, err
		}
		pos := make(map[int]int, len(shown))
		for i, n := range shown {
			pos[n] = i
		}
		slices.SortFunc(out, func(x, y T) int { return cmp.Compare(pos[id(x)], pos[id(y)]) })
	}
	if left := q.Limit - len(out); left > 0 {
		rest, err := list(within, sorted, opencart.ListOptions{Sort: opencart.SortID, Desc: q.Desc, Offset: max(0, q.Offset-len(head)), Limit: left})
		if err != nil {
			return nil, err
		}
		out = append(out, rest...)
	}
	return out, nil
}
