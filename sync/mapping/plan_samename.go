package mapping

// Before buildPlan's phases (branch vat): same-named tax rates. In: the
// order's tax rows and the tax mapping. Out: for each tax row whose title
// several differing rates share ("VAT" at 20% and at 5%), the one rate
// the order's amounts fit; or, when the amounts fit no reading or several,
// the reason, which the tax rows phase (plan_taxrows.go) reports.

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// maxRateChoices bounds the readings of same-named rates tried.
const maxRateChoices = 64

// decideRates tells same-named rates apart by the amounts on the order.
// OpenCart writes one tax row per rate, titled with the rate's name, so an
// order may hold two "VAT" rows: each reading gives every such row one of
// the rates of that name, is worked out as a plan, and the reading whose
// lines fit the rows without errors (then with fewest warnings, then whose
// rates' geo zones hold the customer's address) is kept. When no reading
// fits, or several fit with different lines, no reading is chosen and the
// reason is given per title.
func decideRates(o opencart.Order, opt Options) (map[int]TaxMap, map[string]string) {
	type group struct {
		key  string
		rows []int // indices in o.Totals
		maps []TaxMap
	}
	var groups []group
	at := map[string]int{}
	combos := 1
	for i, t := range o.Totals {
		if t.Code != "tax" {
			continue
		}
		key := strings.ToLower(strings.TrimSpace(t.Title))
		if g, seen := at[key]; seen {
			if g >= 0 {
				groups[g].rows = append(groups[g].rows, i)
				combos *= len(groups[g].maps)
			}
			continue
		}
		at[key] = -1
		ms, _ := opt.taxMapFor(t.Title)
		if len(ms) < 2 || !mapsDiffer(ms) {
			continue
		}
		at[key] = len(groups)
		groups = append(groups, group{key, []int{i}, ms})
		combos *= len(ms)
	}
	if len(groups) == 0 {
		return nil, nil
	}
	why := func(reason string) map[string]string {
		out := map[string]string{}
		for _, g := range groups {
			out[g.key] = reason
		}
		return out
	}
	if combos > maxRateChoices {
		return nil, why(fmt.Sprintf("the order shows only the names, and %d ways of reading them are too many to try", combos))
	}
	type tried struct {
		assign      map[int]TaxMap
		choice      []TaxMap
		errs, warns int
		placed      int
		items       []xero.LineItem
		firstError  string
	}
	var all []tried
	for n := range combos {
		t := tried{assign: map[int]TaxMap{}}
		rest := n
		for _, g := range groups {
			for _, row := range g.rows {
				m := g.maps[rest%len(g.maps)]
				rest /= len(g.maps)
				t.assign[row] = m
				t.choice = append(t.choice, m)
			}
		}
		p := planWith(o, opt, t.assign, nil)
		t.items = p.items()
		for _, pr := range p.ps {
			if pr.Severity == SeverityError {
				if t.errs == 0 {
					t.firstError = pr.Field + ": " + pr.Message
				}
				t.errs++
			} else {
				t.warns++
			}
		}
		for _, m := range t.choice {
			if ratePlaced(opt.Places, m, o) {
				t.placed++
			}
		}
		all = append(all, t)
	}
	better := func(a, b tried) bool {
		if a.errs != b.errs {
			return a.errs < b.errs
		}
		if a.warns != b.warns {
			return a.warns < b.warns
		}
		return a.placed > b.placed
	}
	best := all[0]
	for _, t := range all[1:] {
		if better(t, best) {
			best = t
		}
	}
	var ties []tried
	for _, t := range all {
		if !better(best, t) && !better(t, best) {
			ties = append(ties, t)
		}
	}
	same := true
	for _, t := range ties[1:] {
		same = same && reflect.DeepEqual(t.items, ties[0].items)
	}
	if best.errs == 0 && same {
		return best.assign, nil
	}
	names := func(ms []TaxMap) string {
		parts := make([]string, len(ms))
		for i, m := range ms {
			parts[i] = describeMap(m)
		}
		return strings.Join(parts, " + ")
	}
	if best.errs > 0 {
		var fits []string
		for _, t := range all {
			fits = append(fits, fmt.Sprintf("read as %s: %s", names(t.choice), t.firstError))
		}
		return nil, why("the order's amounts fit none of them (" + strings.Join(fits, "; ") + ")")
	}
	var fits []string
	for _, t := range ties {
		fits = append(fits, names(t.choice))
	}
	return nil, why("the order's amounts fit " + strings.Join(fits, " and ") + " alike, so they cannot tell which it is")
}

// mapsDiffer reports whether same-named mappings differ in rate, type or
// Xero tax type.
func mapsDiffer(ms []TaxMap) bool {
	for _, m := range ms[1:] {
		if m.Type != ms[0].Type || !m.Rate.Equal(ms[0].Rate) || m.TaxType != ms[0].TaxType {
			return true
		}
	}
	return false
}

// describeMap names a mapped rate: "VAT (20%, OUTPUT2)".
func describeMap(m TaxMap) string {
	rate := m.Rate.String() + "%"
	if m.Fixed() {
		rate = m.Rate.StringFixed(2) + " fixed"
	}
	return fmt.Sprintf("%s (%s, %s)", m.Title, rate, m.TaxType)
}

// ratePlaced reports whether the shop has a rate of this name, type and
// rate whose geo zone holds the customer's address.
func ratePlaced(tp *opencart.TaxPlaces, m TaxMap, o opencart.Order) bool {
	if tp == nil {
		return false
	}
	for _, r := range tp.Rates {
		typ := r.Type
		if typ != "F" {
			typ = "P"
		}
		if strings.EqualFold(strings.TrimSpace(r.Name), strings.TrimSpace(m.Title)) && typ == m.Type && r.Rate.Equal(m.Rate) &&
			(inGeoZone(tp, r.GeoZoneID, o.Shipping) || inGeoZone(tp, r.GeoZoneID, o.Payment)) {
			return true
		}
	}
	return false
}
