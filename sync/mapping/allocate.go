package mapping

import (
	"math/bits"
	"sort"
	"sync"

	"github.com/shopspring/decimal"
)

// spread rounds exact amounts to cents so that they add up to target
// exactly. A small difference (at most a cent per amount) goes, a cent at a
// time, to the amounts that lost most to rounding; a larger one is shared
// in proportion to the amounts' sizes.
func spread(target decimal.Decimal, exact []decimal.Decimal) []decimal.Decimal {
	start := make([]decimal.Decimal, len(exact))
	for i, e := range exact {
		start[i] = r2(e)
	}
	return spreadFrom(target, start, exact)
}

// spreadFrom is spread starting from given cent amounts instead of the
// rounded exact ones.
func spreadFrom(target decimal.Decimal, start, exact []decimal.Decimal) []decimal.Decimal {
	n := len(exact)
	if n == 0 {
		return nil
	}
	out := make([]decimal.Decimal, n)
	sum := decimal.Zero
	for i := range exact {
		out[i] = start[i]
		sum = sum.Add(out[i])
	}
	cents := target.Sub(sum).Div(cent).Round(0).IntPart()
	if cents == 0 {
		return out
	}
	sign := decimal.NewFromInt(1)
	if cents < 0 {
		sign, cents = sign.Neg(), -cents
	}
	if cents > int64(n) {
		// Share in proportion to size first, then finish by remainders.
		weights := make([]decimal.Decimal, n)
		total := decimal.Zero
		for i, e := range exact {
			weights[i] = e.Abs()
			total = total.Add(weights[i])
		}
		if total.IsZero() {
			for i := range weights {
				weights[i] = decimal.NewFromInt(1)
			}
			total = decimal.NewFromInt(int64(n))
		}
		budget := decimal.NewFromInt(cents)
		given := int64(0)
		for i := range out {
			share := budget.Mul(weights[i]).Div(total).Floor().IntPart()
			out[i] = out[i].Add(sign.Mul(cent).Mul(decimal.NewFromInt(share)))
			given += share
		}
		cents -= given
	}
	// Hand out the remaining cents by rounding loss, cycling if need be.
	order := make([]int, n)
	loss := make([]decimal.Decimal, n)
	for i := range order {
		order[i] = i
		loss[i] = exact[i].Sub(out[i]).Mul(sign)
	}
	sort.SliceStable(order, func(a, b int) bool { return loss[order[a]].GreaterThan(loss[order[b]]) })
	for k := int64(0); k < cents; k++ {
		i := order[k%int64(n)]
		out[i] = out[i].Add(sign.Mul(cent))
	}
	return out
}

// maxInferRates is the most tax rates tried together on one product.
const maxInferRates = 10

var subsetCache sync.Map // n → []uint32

// subsetsBySize lists the subsets of n elements as bit masks, smallest
// first, then in mask order. Callers must not change the slice.
func subsetsBySize(n int) []uint32 {
	if m, ok := subsetCache.Load(n); ok {
		return m.([]uint32)
	}
	masks := make([]uint32, 1<<n)
	for i := range masks {
		masks[i] = uint32(i)
	}
	sort.SliceStable(masks, func(a, b int) bool {
		ca, cb := bits.OnesCount32(masks[a]), bits.OnesCount32(masks[b])
		if ca != cb {
			return ca < cb
		}
		return masks[a] < masks[b]
	})
	subsetCache.Store(n, masks)
	return masks
}
