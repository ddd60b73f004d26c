package mapping

// Before buildPlan's phases (branch vat): same-named tax rates. In: the
// order's tax rows and the tax mapping. Out: the mapping with, for each
// tax row whose title several differing rates share ("VAT" at 20% and at
// 5%), the one rate the order's amounts fit; or, when the amounts fit
// none or several, the reason, which the tax rows phase reports.

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// maxRateChoices bounds the combinations of same-named rates tried.
const maxRateChoices = 16

// decideRates tells same-named rates apart by the amounts on the order:
// each combination of them is worked out as a plan, and the one whose
// lines fit the tax rows without errors (then with fewest warnings, then
// whose rates' geo zones hold the customer's address) is kept. When no
// combination fits, or several fit with different lines, the mapping is
// returned as it is with the reason per title.
func decideRates(o opencart.Order, opt Options) (Options, map[string]string) {
	type group struct {
		key  string
		maps []TaxMap
	}
	var groups []group
	seen := map[string]bool{}
	combos := 1
	for _, t := range o.Totals {
		key := strings.ToLower(strings.TrimSpace(t.Title))
		if t.Code != "tax" || seen[key] {
			continue
		}
		seen[key] = true
		ms, _ := opt.taxMapFor(t.Title)
		if len(ms) < 2 || !mapsDiffer(ms) {
			continue
		}
		groups = append(groups, group{key, ms})
		combos *= len(ms)
	}
	if len(groups) == 0 {
		return opt, nil
	}
	why := func(reason string) map[string]string {
		out := map[string]string{}
		for _, g := range groups {
			out[g.key] = reason
		}
		return out
	}
	if combos > maxRateChoices {
		return opt, why(fmt.Sprintf("the order shows only the names, and %d ways of reading them are too many to try", combos))
	}
	type tried struct {
		opt         Options
		choice      []TaxMap
		errs, warns int
		placed      int
		items       []xero.LineItem
		firstError  string
	}
	var all []tried
	for n := range combos {
		choice := make([]TaxMap, len(groups))
		rest := n
		for i, g := range groups {
			choice[i] = g.maps[rest%len(g.maps)]
			rest /= len(g.maps)
		}
		o2 := opt
		o2.TaxRates = nil
		for _, m := range opt.TaxRates {
			keep := true
			for i, g := range groups {
				if strings.ToLower(strings.TrimSpace(m.Title)) == g.key && !(m.Type == choice[i].Type && m.Rate.Equal(choice[i].Rate) && m.TaxType == choice[i].TaxType) {
					keep = false
				}
			}
			if keep {
				o2.TaxRates = append(o2.TaxRates, m)
			}
		}
		p := planWith(o, o2, nil)
		t := tried{opt: o2, choice: choice, items: p.items()}
		for _, pr := range p.ps {
			if pr.Severity == SeverityError {
				if t.errs == 0 {
					t.firstError = pr.String()
				}
				t.errs++
			} else {
				t.warns++
			}
		}
		for _, m := range choice {
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
		return best.opt, nil
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
		return opt, why("the order's amounts fit none of them (" + strings.Join(fits, "; ") + ")")
	}
	var fits []string
	for _, t := range ties {
		fits = append(fits, names(t.choice))
	}
	return opt, why("the order's amounts fit " + strings.Join(fits, " and ") + " alike, so they cannot tell which it is")
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
