package mapping

import (
	"fmt"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// ProposeTaxMapping suggests a Xero tax type for every OpenCart tax rate:
// percentage rates by equal effective rate among the organisation's active
// sales tax rates, fixed-amount rates (Eco Tax) to the no-tax type (they
// are exported as lines of their own). Rates with no match or several are
// reported and left without a tax type for the bookkeeper to choose.
func ProposeTaxMapping(shopRates []opencart.TaxRate, xeroRates []xero.TaxRate, noTaxType string) ([]TaxMap, []Problem) {
	var ps problems
	var usable []xero.TaxRate
	for _, x := range xeroRates {
		if strings.EqualFold(x.Status, xero.StatusActive) && x.CanApplyToRevenue && x.EffectiveRate.Given() {
			usable = append(usable, x)
		}
	}
	names := map[string]int{}
	for _, r := range shopRates {
		names[strings.ToLower(strings.TrimSpace(r.Name))]++
	}
	var out []TaxMap
	seen := map[string]bool{}
	for _, r := range shopRates {
		m := TaxMap{Title: r.Name, Rate: r.Rate, Type: r.Type}
		if m.Type != "F" {
			m.Type = "P"
		}
		key := strings.ToLower(strings.TrimSpace(m.Title)) + "|" + m.Type + "|" + m.Rate.String()
		if seen[key] {
			continue // the same name, rate and type in another geo zone
		}
		seen[key] = true
		field := fmt.Sprintf("tax rate %q", r.Name)
		if names[strings.ToLower(strings.TrimSpace(r.Name))] > 1 {
			ps.warnf(field, "several OpenCart tax rates are called %q; orders only show the name, so they are told apart by their rate", r.Name)
		}
		if m.Fixed() {
			m.TaxType = noTaxType
			out = append(out, m)
			continue
		}
		var match []xero.TaxRate
		for _, x := range usable {
			if x.EffectiveRate.Decimal().Equal(r.Rate) {
				match = append(match, x)
			}
		}
		if len(match) > 1 {
			// Prefer the plain sales rate (report type OUTPUT) when there is exactly one.
			var output []xero.TaxRate
			for _, x := range match {
				if strings.EqualFold(x.ReportTaxType, "OUTPUT") {
					output = append(output, x)
				}
			}
			if len(output) == 1 {
				match = output
			}
		}
		switch len(match) {
		case 0:
			ps.warnf(field, "no active Xero sales tax rate of %s%%; choose one by hand", r.Rate.String())
		case 1:
			m.TaxType = match[0].TaxType
		default:
			var opts []string
			for _, x := range match {
				opts = append(opts, fmt.Sprintf("%s (%s)", x.Name, x.TaxType))
			}
			ps.warnf(field, "several Xero tax rates of %s%% fit: %s; choose one by hand", r.Rate.String(), strings.Join(opts, ", "))
		}
		out = append(out, m)
	}
	return out, ps
}

// taxMapFor finds the mappings of an order tax row by its title (compared
// without regard to case or surrounding spaces).
func (o Options) taxMapFor(title string) ([]TaxMap, bool) {
	var found []TaxMap
	for _, m := range o.TaxRates {
		if strings.EqualFold(strings.TrimSpace(m.Title), strings.TrimSpace(title)) {
			found = append(found, m)
		}
	}
	return found, len(found) > 0
}

// combinationType is the Xero tax type for a line with several percentage rates.
func (o Options) combinationType(titles []string) (string, bool) {
	for _, c := range o.TaxCombinations {
		if len(c.Titles) != len(titles) {
			continue
		}
		all := true
		for _, t := range titles {
			all = all && containsFold(c.Titles, t)
		}
		if all {
			return c.TaxType, true
		}
	}
	return "", false
}
