package mapping

// VAT classes (branch vat): the Xero tax type of a line that carries no
// OpenCart tax, by rule, so that zero-rated goods, exempt services,
// exports and EU business sales still land in the right box of the VAT or
// GST return instead of all going to the no-tax type (which leaves them
// out of it).

import (
	"slices"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// VATClass is why a sale carries no tax, which decides its Xero tax type.
type VATClass string

// The VAT classes of untaxed sales.
const (
	// VATZeroRated is a sale taxed at 0%: the product's tax class has no
	// rate for the customer's place, or a 0% one (books, children's
	// clothes; AU "GST-free").
	VATZeroRated VATClass = "zero_rated"
	// VATExempt is a sale exempt from VAT (insurance, some training; AU
	// "input taxed"). Only a tax class override says so.
	VATExempt VATClass = "exempt"
	// VATExport is a sale to a customer outside every geo zone of the
	// shop's tax rules.
	VATExport VATClass = "export"
	// VATReverseCharge is a sale to a business in another EU country that
	// gave a VAT number.
	VATReverseCharge VATClass = "reverse_charge"
	// VATOutside is outside the return altogether: the no-tax type.
	VATOutside VATClass = "outside"
)

// VATClasses lists the classes in the order the settings show them.
var VATClasses = []VATClass{VATZeroRated, VATExempt, VATExport, VATReverseCharge, VATOutside}

// TaxClasses are the Xero tax types of untaxed sales, per VAT class. An
// empty type falls back: reverse charge to export, the others to the
// no-tax type (as before VAT classes existed).
type TaxClasses struct {
	ZeroRated     string `json:"zero_rated,omitempty"`
	Exempt        string `json:"exempt,omitempty"`
	Export        string `json:"export,omitempty"`
	ReverseCharge string `json:"reverse_charge,omitempty"`
	// ByTaxClass says, per OpenCart tax class id (0: products without a
	// tax class), which VAT class its untaxed products are when the sale
	// is neither an export nor reverse-charged; zero-rated when not listed.
	ByTaxClass map[int]VATClass `json:"by_tax_class,omitempty"`
}

// TypeOf is the Xero tax type chosen for a class, or "".
func (c TaxClasses) TypeOf(v VATClass) string {
	switch v {
	case VATZeroRated:
		return c.ZeroRated
	case VATExempt:
		return c.Exempt
	case VATExport:
		return c.Export
	case VATReverseCharge:
		return c.ReverseCharge
	}
	return ""
}

// Set chooses the Xero tax type of a class.
func (c *TaxClasses) Set(v VATClass, taxType string) {
	switch v {
	case VATZeroRated:
		c.ZeroRated = taxType
	case VATExempt:
		c.Exempt = taxType
	case VATExport:
		c.Export = taxType
	case VATReverseCharge:
		c.ReverseCharge = taxType
	}
}

// validate names what is wrong with the classes.
func (c TaxClasses) validate(bad func(string, ...any)) {
	for id, v := range c.ByTaxClass {
		if !slices.Contains(VATClasses, v) {
			bad("tax class %d: VAT class %q must be one of zero_rated, exempt, export, reverse_charge or outside", id, v)
		}
	}
}

// euCountries are the ISO codes of the European Union's member states
// (since 1 February 2020), for reverse-charge sales.
var euCountries = map[string]bool{
	"AT": true, "BE": true, "BG": true, "HR": true, "CY": true, "CZ": true, "DK": true, "EE": true, "FI": true,
	"FR": true, "DE": true, "GR": true, "HU": true, "IE": true, "IT": true, "LV": true, "LT": true, "LU": true,
	"MT": true, "NL": true, "PL": true, "PT": true, "RO": true, "SK": true, "SI": true, "ES": true, "SE": true,
}

// InEU reports whether an ISO 3166-1 alpha-2 code is an EU member state.
func InEU(code string) bool { return euCountries[strings.ToUpper(strings.TrimSpace(code))] }

// customerPlace is where the sale is made for VAT: the shipping address
// for goods sent, the payment address otherwise.
func customerPlace(o opencart.Order) opencart.OrderAddress {
	if o.Shipping.CountryID != 0 {
		return o.Shipping
	}
	return o.Payment
}

// inGeoZone reports whether an address lies in a geo zone.
func inGeoZone(tp *opencart.TaxPlaces, geoZoneID int, a opencart.OrderAddress) bool {
	for _, pl := range tp.Places {
		if pl.GeoZoneID == geoZoneID && pl.CountryID == a.CountryID && (pl.ZoneID == 0 || pl.ZoneID == a.ZoneID) {
			return true
		}
	}
	return false
}

// inTaxZone reports whether an address lies in a geo zone of any rate the
// shop's tax rules use.
func inTaxZone(tp *opencart.TaxPlaces, a opencart.OrderAddress) bool {
	used := map[int]bool{}
	for _, c := range tp.Classes {
		for _, r := range c.Rules {
			used[r.TaxRateID] = true
		}
	}
	for _, r := range tp.Rates {
		if used[r.ID] && inGeoZone(tp, r.GeoZoneID, a) {
			return true
		}
	}
	return false
}

// classRates are the rates a tax class gives this order, as OpenCart's
// tax library chooses them: per rule, the shipping, payment or store
// address in the rate's geo zone, for the order's customer group.
func classRates(tp *opencart.TaxPlaces, classID int, o opencart.Order) []opencart.TaxRate {
	var out []opencart.TaxRate
	for _, c := range tp.Classes {
		if c.ID != classID {
			continue
		}
		for _, rule := range c.Rules {
			a := o.Shipping
			switch rule.Based {
			case "payment":
				a = o.Payment
			case "store":
				a = opencart.OrderAddress{CountryID: tp.CountryID, ZoneID: tp.ZoneID}
			}
			if rule.Based == "shipping" && a.CountryID == 0 {
				a = o.Payment
			}
			for _, r := range tp.Rates {
				if r.ID == rule.TaxRateID && inGeoZone(tp, r.GeoZoneID, a) &&
					(len(r.CustomerGroupIDs) == 0 || slices.Contains(r.CustomerGroupIDs, o.CustomerGroupID)) {
					out = append(out, r)
				}
			}
		}
	}
	return out
}

// vatDecision is an order's VAT class, when the whole sale has one ("":
// each line decides).
type vatDecision struct{ class VATClass }

// orderVAT decides whether the whole sale is reverse-charged or an
// export, from the customer's place and VAT number and the shop's tax
// geography (unknown: each line decides).
func (p *plan) orderVAT() vatDecision {
	tp := p.opt.Places
	if tp == nil {
		return vatDecision{}
	}
	a := customerPlace(p.order)
	if a.CountryID == 0 {
		return vatDecision{}
	}
	code := strings.ToUpper(strings.TrimSpace(a.CountryCode))
	if code == "" {
		code = tp.Countries[a.CountryID]
	}
	if strings.TrimSpace(p.order.TaxNumber) != "" && InEU(code) && code != tp.CountryCode && p.opt.TaxClasses.ReverseCharge != "" {
		return vatDecision{VATReverseCharge}
	}
	if !inTaxZone(tp, a) {
		return vatDecision{VATExport}
	}
	return vatDecision{}
}

// productVAT is the Xero tax type of an untaxed product line: a mapped 0%
// rate its tax class gives the customer, else its class's override, else
// zero-rated.
func (p *plan) productVAT(op opencart.OrderProduct) string {
	if tp := p.opt.Places; tp != nil && op.TaxClassID != 0 {
		for _, r := range classRates(tp, op.TaxClassID, p.order) {
			if r.Fixed() || !r.Rate.IsZero() {
				continue
			}
			for _, m := range p.opt.TaxRates {
				if strings.EqualFold(strings.TrimSpace(m.Title), strings.TrimSpace(r.Name)) && !m.Fixed() && m.Rate.IsZero() && m.TaxType != "" {
					return m.TaxType
				}
			}
		}
	}
	class, ok := p.opt.TaxClasses.ByTaxClass[op.TaxClassID]
	if !ok {
		class = VATZeroRated
	}
	return p.classType(class)
}

// classType is the tax type of a class, falling back to the no-tax type.
func (p *plan) classType(v VATClass) string {
	if t := p.opt.TaxClasses.TypeOf(v); t != "" {
		return t
	}
	if v == VATReverseCharge {
		return p.classType(VATExport)
	}
	return p.opt.NoTaxType
}

// setUntaxedTypes gives every line without a rate its tax type by VAT
// class: the sale's class (reverse charge, export) for products, shipping,
// fees and discounts; otherwise products by their tax class, and shipping,
// fees and untaxed parts of discounts the type the order's untaxed products
// share (zero-rated when they share none). Gift vouchers sold, store
// credit, vouchers used, fixed taxes and rounding keep the no-tax type:
// they are not sales in the return.
func (p *plan) setUntaxedTypes() {
	d := p.orderVAT()
	shared, sharing := "", true
	for i := range p.lines {
		l := &p.lines[i]
		if len(l.rates) > 0 {
			continue
		}
		switch l.kind {
		case kindProduct, kindCharge, kindDiscount:
		default:
			l.taxType = p.opt.NoTaxType
			continue
		}
		if d.class != "" {
			l.taxType = p.classType(d.class)
			continue
		}
		if l.kind == kindProduct && l.product >= 0 {
			l.taxType = p.productVAT(p.order.Products[l.product])
			if shared != "" && shared != l.taxType {
				sharing = false
			}
			shared = l.taxType
		}
	}
	if !sharing || shared == "" {
		shared = p.classType(VATZeroRated)
	}
	if d.class != "" {
		return
	}
	for i := range p.lines {
		if l := &p.lines[i]; len(l.rates) == 0 && (l.kind == kindCharge || l.kind == kindDiscount) {
			l.taxType = shared
		}
	}
}
