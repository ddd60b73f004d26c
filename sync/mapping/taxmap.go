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
//
// The place decides first (branch vat): a percentage rate whose geo zone
// does not hold the shop's country is another country's tax (an EU
// One-Stop-Shop rate such as "TVA FR (20%)") or a foreign sales tax, which
// does not belong in the organisation's own VAT return whatever its
// percentage: it is left without a tax type, saying why, for the
// bookkeeper to choose (e.g. a rate set up in Xero for OSS sales).
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
		if foreign, where := foreignRate(shopRates, r); foreign {
			ps.warnf(field, "its geo zone %s is outside the shop's country, so it is that country's tax (%s), not the domestic %s%%: not proposed — choose the Xero tax type you keep for it by hand", where, foreignKind(r), r.Rate.String())
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

// foreignRate reports whether every OpenCart rate of this name, rate and
// type lies in geo zones that do not hold the shop's country (rates whose
// geo zones have no known places count as domestic), and names them.
func foreignRate(all []opencart.TaxRate, r opencart.TaxRate) (bool, string) {
	var where []string
	for _, x := range all {
		if !strings.EqualFold(strings.TrimSpace(x.Name), strings.TrimSpace(r.Name)) || !x.Rate.Equal(r.Rate) || x.Fixed() != r.Fixed() {
			continue
		}
		if x.Domestic || len(x.Countries) == 0 {
			return false, ""
		}
		where = append(where, fmt.Sprintf("%q (%s)", x.GeoZone, strings.Join(x.Countries, ", ")))
	}
	return len(where) > 0, strings.Join(where, ", ")
}

// foreignKind says what a foreign rate is likely to be.
func foreignKind(r opencart.TaxRate) string {
	for _, c := range r.Countries {
		if !InEU(c) {
			return "a foreign sales tax or VAT"
		}
	}
	return "EU VAT of another member state, e.g. under the One-Stop Shop"
}
