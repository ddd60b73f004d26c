package export

// Proposals of the VAT classes of untaxed sales by Xero region (branch
// vat). The tax types are Xero's default rates of each region, as Xero's
// Tax Rates documentation lists them ("Tax Rate Constraints"; XERO.md
// §3.5): a proposal is made only when the organisation has that rate
// active for revenue, and says when it is a judgement the bookkeeper
// should check.

import (
	"fmt"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// Xero regions with VAT class proposals.
const (
	RegionUK = "UK"
	RegionAU = "AU"
	RegionNZ = "NZ"
	RegionUS = "US"
)

// vatProposal is the tax type proposed for a class in a region, and what
// the bookkeeper should know about it ("" when it is plain).
type vatProposal struct {
	taxType, caveat string
}

// vatProposals are, per region and VAT class, the proposed Xero tax type.
// A class missing from a region is left empty: reverse charge then falls
// back to export.
var vatProposals = map[string]map[mapping.VATClass]vatProposal{
	RegionUK: {
		mapping.VATZeroRated: {"ZERORATEDOUTPUT", ""},
		mapping.VATExempt:    {"EXEMPTOUTPUT", ""},
		mapping.VATExport:    {"ZERORATEDOUTPUT", "exports of goods are zero-rated (Box 6); services sold abroad may be outside the scope of UK VAT (No VAT, NONE) — check with your accountant"},
	},
	RegionAU: {
		mapping.VATZeroRated: {"EXEMPTOUTPUT", ""},
		mapping.VATExempt:    {"INPUTTAXED", "input-taxed sales (financial supplies, residential rent); GST-free sales are the zero-rated class"},
		mapping.VATExport:    {"EXEMPTEXPORT", ""},
	},
	RegionNZ: {
		mapping.VATZeroRated: {"ZERORATED", ""},
		mapping.VATExempt:    {"NONE", "exempt supplies stay out of the GST return (No GST)"},
		mapping.VATExport:    {"ZERORATED", ""},
	},
	RegionUS: {
		mapping.VATZeroRated: {"NONE", "US organisations file no VAT return; untaxed sales are Tax Exempt"},
		mapping.VATExempt:    {"NONE", ""},
		mapping.VATExport:    {"NONE", ""},
	},
}

// reverseChargeNote is said for regions with no reverse-charge proposal.
var reverseChargeNote = map[string]string{
	RegionUK: "EU business customers with a VAT number: no type proposed, so they follow exports (Zero Rated Income); since 2021 a Great Britain business's goods sold to EU businesses are exports, while a Northern Ireland business chooses Zero Rated EC Goods Income (ECZROUTPUT) or, for services, Zero Rated EC Services (ECZROUTPUTSERVICES) here",
}

// RegionOf is the Xero region of an organisation: from its country code
// when known (GB is UK), else from the default tax rates it holds.
func RegionOf(countryCode string, taxRates []xero.TaxRate) string {
	switch strings.ToUpper(strings.TrimSpace(countryCode)) {
	case "GB", "UK":
		return RegionUK
	case "AU":
		return RegionAU
	case "NZ":
		return RegionNZ
	case "US":
		return RegionUS
	case "":
	default:
		return ""
	}
	has := func(t string) bool { return hasTaxType(taxRates, t) }
	switch {
	case has("ZERORATEDOUTPUT") && (has("ECZROUTPUT") || has("RROUTPUT") || has("EXEMPTOUTPUT") && has("OUTPUT2")):
		return RegionUK
	case has("EXEMPTEXPORT") || has("BASEXCLUDED"):
		return RegionAU
	case has("ZERORATED") && has("OUTPUT2"):
		return RegionNZ
	}
	for _, t := range taxRates {
		if strings.EqualFold(t.ReportTaxType, "USSALESTAX") || t.TaxType == "AVALARA" {
			return RegionUS
		}
	}
	return ""
}

// proposeVATClasses fills the empty VAT classes of untaxed sales with the
// region's tax types the organisation has active for revenue, and says
// what it chose, what it could not, and what to check.
func proposeVATClasses(region string, taxRates []xero.TaxRate, c *mapping.TaxClasses) []string {
	var notes []string
	table, ok := vatProposals[region]
	if !ok {
		if c.TypeOf(mapping.VATZeroRated) == "" {
			notes = append(notes, "untaxed sales: the Xero region is not one the app knows (UK, AU, NZ, US), so no VAT classes were proposed; choose the tax types of zero-rated, exempt, export and reverse-charge sales in the tax settings, or they use the no-tax type")
		}
		return notes
	}
	for _, v := range mapping.VATClasses {
		if v == mapping.VATOutside || c.TypeOf(v) != "" {
			continue
		}
		label := strings.ReplaceAll(string(v), "_", "-") + " sales"
		p, ok := table[v]
		if !ok {
			if n := reverseChargeNote[region]; n != "" && v == mapping.VATReverseCharge {
				notes = append(notes, n)
			}
			continue
		}
		rate, found := revenueRate(taxRates, p.taxType)
		if !found {
			notes = append(notes, fmt.Sprintf("%s: Xero has no active sales rate %s; choose a tax type by hand, or they use the no-tax type", label, p.taxType))
			continue
		}
		c.Set(v, rate.TaxType)
		note := fmt.Sprintf("%s: Xero's %s", label, TaxRateLabel(rate))
		if p.caveat != "" {
			note += "; check: " + p.caveat
		}
		notes = append(notes, note)
	}
	return notes
}

// revenueRate finds an active tax rate that can be used on sales.
func revenueRate(rates []xero.TaxRate, taxType string) (xero.TaxRate, bool) {
	for _, r := range rates {
		if strings.EqualFold(r.TaxType, taxType) && strings.EqualFold(r.Status, xero.StatusActive) && r.CanApplyToRevenue {
			return r, true
		}
	}
	return xero.TaxRate{}, false
}

// exemptWords are words of an OpenCart tax class title that say its
// products are exempt from VAT.
var exemptWords = []string{"exempt", "befreit", "exonéré", "exento", "esente"}

// proposeExemptClasses marks the shop's tax classes named as exempt
// ("VAT Exempt Services") as the exempt VAT class, unless one was chosen.
func proposeExemptClasses(classes []opencart.TaxClass, c *mapping.TaxClasses) []string {
	var notes []string
	for _, tc := range classes {
		if _, chosen := c.ByTaxClass[tc.ID]; chosen {
			continue
		}
		title := strings.ToLower(tc.Title)
		for _, w := range exemptWords {
			if strings.Contains(title, w) {
				if c.ByTaxClass == nil {
					c.ByTaxClass = map[int]mapping.VATClass{}
				}
				c.ByTaxClass[tc.ID] = mapping.VATExempt
				notes = append(notes, fmt.Sprintf("OpenCart tax class %q: its untaxed products are exempt sales (by its name)", tc.Title))
				break
			}
		}
	}
	return notes
}
