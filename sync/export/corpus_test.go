package export_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/mapping/mappingtest"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// TestCorpusEndToEnd stores the mapping corpus (orders built the way
// OpenCart computes them) in a shop of each family, runs "export all"
// into the sandbox over HTTP and checks every document Xero kept: the
// invoice total is OpenCart's total in the order currency, the tax of each
// Xero tax type is the order's tax rows, the history says the totals
// match, refused orders sent nothing, contacts are not duplicated and a
// second run sends nothing.
func TestCorpusEndToEnd(t *testing.T) {
	cases := mappingtest.Corpus()
	if len(cases) < 40 {
		t.Fatalf("the corpus has %d orders, want at least 40", len(cases))
	}
	for _, family := range []opencart.Family{opencart.Family30, opencart.Family40, opencart.Family41} {
		t.Run(string(family), func(t *testing.T) { runCorpus(t, family, cases) })
	}
}

// corpusTenant is a UK organisation that also has the Canadian sales taxes
// the corpus charges (GST, PST and the two together on one line).
func corpusTenant() xerotest.Tenant {
	rate := func(name, taxType, pct string, components ...xerotest.TaxComponent) xerotest.TaxRate {
		p := &xerotest.Amount{Decimal: decimal.RequireFromString(pct)}
		if components == nil {
			components = []xerotest.TaxComponent{{Name: name, Rate: p}}
		}
		// Sales rates may also be used on asset, equity and liability
		// accounts, as Xero's UK rates are (store credit, rounding).
		return xerotest.TaxRate{Name: name, TaxType: taxType, Status: "ACTIVE", CanApplyToRevenue: true,
			CanApplyToAssets: true, CanApplyToEquity: true, CanApplyToLiabilities: true,
			DisplayTaxRate: p, EffectiveRate: p, TaxComponents: components}
	}
	gst, pst := rate("GST", "GSTONSALES", "5"), rate("PST", "PSTONSALES", "7")
	return xerotest.Tenant{ID: tenant, Name: "Demo Company (UK)", CountryCode: "GB", TaxRates: []xerotest.TaxRate{
		rate("20% (VAT on Income)", "OUTPUT2", "20"), rate("5% (VAT on Income)", "RROUTPUT", "5"),
		rate("No VAT", "NONE", "0"), gst, pst,
		rate("GST + PST", "GSTPST", "12", gst.TaxComponents[0], pst.TaxComponents[0]),
	}}
}

// corpusSettings are the proposed settings plus the corpus's tax mapping.
func (e *env) corpusSettings() export.Settings {
	e.t.Helper()
	s := export.DefaultSettings()
	s.InvoiceStatus = mapping.StatusAuthorised
	for _, r := range mappingtest.TaxRates() {
		s.TaxRates = append(s.TaxRates, mapping.TaxMap{Title: r.Title, Rate: r.Rate, Type: r.Type, TaxType: r.TaxType})
	}
	for _, c := range mappingtest.TaxCombinations() {
		s.TaxCombinations = append(s.TaxCombinations, mapping.TaxCombination{Titles: c.Titles, TaxType: c.TaxType})
	}
	return e.propose(s)
}

// fourByte reports text utf8mb3 (3.0's tables) cannot store.
func fourByte(o opencart.Order) bool {
	for _, p := range o.Products {
		for _, r := range p.Name {
			if r > 0xFFFF {
				return true
			}
		}
	}
	return false
}

func runCorpus(t *testing.T, family opencart.Family, all []mappingtest.Case) {
	started := time.Now()
	e := newEnvB(t, family, xerotest.Options{TimeScale: 0.001, Tenants: []xerotest.Tenant{corpusTenant()}})
	if err := e.sandbox.EnableCurrency(tenant, "JPY"); err != nil {
		t.Fatal(err)
	}

	var cases []mappingtest.Case
	var orders []octest.Order
	customers := map[int]bool{}
	for _, c := range all {
		if family == opencart.Family41 && len(c.Order.Vouchers) > 0 {
			continue // 4.1 sells no gift vouchers
		}
		cases = append(cases, c)
		orders = append(orders, mappingtest.ShopOrder(c.Order))
		if cust, ok := mappingtest.ShopCustomer(c.Order); ok && !customers[cust.ID] {
			customers[cust.ID] = true
			cust.Disabled = strings.HasPrefix(c.Name, "disabled") // the order does not say; the case name does
			e.shop.AddCustomer(cust)
		}
	}
	e.shop.AddOrders(orders...)
	t.Logf("%d orders of the corpus in a %s shop", len(cases), family)

	s := e.corpusSettings()
	sum := e.run(s, export.Request{Scope: export.ScopeAll})
	t.Logf("first run: %+v", sum)

	invoices := map[string]xerotest.Invoice{}
	for _, inv := range e.sandbox.Invoices(tenant) {
		invoices[inv.InvoiceNumber] = inv
	}
	taxTypes := map[string]mapping.TaxMap{}
	for _, m := range s.TaxRates {
		taxTypes[m.Title] = m
	}
	// A tax type of a combination is checked with the combination: its
	// lines carry the rates together.
	bucket := map[string]string{}
	for _, c := range s.TaxCombinations {
		bucket[c.TaxType] = c.TaxType
		for _, title := range c.Titles {
			bucket[taxTypes[title].TaxType] = c.TaxType
		}
	}
	bucketOf := func(taxType string) string {
		if b, ok := bucket[taxType]; ok {
			return b
		}
		return taxType
	}

	wantContacts := map[string]bool{}
	for id := range customers {
		wantContacts[mapping.CustomerKey(id)] = true
	}
	var failed []string
	for _, c := range cases {
		o := c.Order
		id := strconv.Itoa(o.ID)
		rec, err := e.hist.RecordFor(context.Background(), history.KindInvoice, id)
		if err != nil {
			t.Errorf("%s (order %d): no history record: %v", c.Name, o.ID, err)
			continue
		}
		if c.WantErr {
			failed = append(failed, id)
			checkRefused(t, e, c, rec, invoices)
			continue
		}
		wantContacts[mapping.ContactKey(o)] = true
		inv, ok := invoices["OC-"+id]
		if !ok {
			t.Errorf("%s (order %d): no invoice in Xero; history %s: %s", c.Name, o.ID, rec.State, rec.Error)
			continue
		}
		dp := int32(min(max(o.CurrencyDecimalPlaces, 0), 2))
		shown := func(v decimal.Decimal) decimal.Decimal { return v.Mul(o.CurrencyValue).Round(dp) }
		want := shown(o.Total)
		if c.Want != "" && !want.Equal(decimal.RequireFromString(c.Want)) {
			t.Errorf("%s: OpenCart shows %s, worked out by hand %s", c.Name, want, c.Want)
		}
		if !inv.Total.Equal(want) {
			t.Errorf("%s (order %d): Xero total %s %s, OpenCart shows %s", c.Name, o.ID, inv.Total, inv.CurrencyCode, want)
		}
		if inv.CurrencyCode != o.CurrencyCode || inv.Status != "AUTHORISED" && inv.Status != "PAID" {
			t.Errorf("%s (order %d): invoice in %s, status %s", c.Name, o.ID, inv.CurrencyCode, inv.Status)
		}

		// Tax per Xero tax type: the order's tax rows as OpenCart shows
		// them; fixed taxes are lines of their own, to the cent.
		wantTax, gotTax := map[string]decimal.Decimal{}, map[string]decimal.Decimal{}
		for _, row := range o.Totals {
			if row.Code != "tax" {
				continue
			}
			m, ok := taxTypes[row.Title]
			if !ok {
				t.Errorf("%s: the settings map no tax %q", c.Name, row.Title)
				continue
			}
			if m.Fixed() {
				if !hasLine(inv, row.Title, row.Value.Mul(o.CurrencyValue).Round(2)) {
					t.Errorf("%s (order %d): no line of %s for the fixed tax %q", c.Name, o.ID, row.Value.Mul(o.CurrencyValue).Round(2), row.Title)
				}
				continue
			}
			wantTax[bucketOf(m.TaxType)] = wantTax[bucketOf(m.TaxType)].Add(shown(row.Value))
		}
		for _, l := range inv.LineItems {
			if l.TaxAmount != nil {
				gotTax[bucketOf(l.TaxType)] = gotTax[bucketOf(l.TaxType)].Add(l.TaxAmount.Decimal)
			}
		}
		for _, k := range union(wantTax, gotTax) {
			if !gotTax[k].Round(dp).Equal(wantTax[k]) {
				t.Errorf("%s (order %d): tax %s: the lines carry %s, the order's tax rows %s", c.Name, o.ID, k, gotTax[k], wantTax[k])
			}
		}
		if fourByte(o) {
			checkStoredText(t, family, c, inv)
		}

		if rec.State != history.StateExported || rec.TotalsMatch == nil || !*rec.TotalsMatch || rec.XeroID != inv.InvoiceID ||
			!sameAmount(rec.OpenCartTotal, want) || !sameAmount(rec.XeroTotal, want) {
			t.Errorf("%s (order %d): history %+v", c.Name, o.ID, rec)
		}
	}
	if sum.Mismatches != 0 || sum.Failed != len(failed) {
		t.Errorf("summary %+v: want %d failed (orders %v) and no mismatches", sum, len(failed), failed)
	}
	if t.Failed() {
		logOutcomes(t, e)
	}

	// Contacts: one per customer account and one per guest e-mail.
	numbers, names := map[string]int{}, map[string]int{}
	for _, c := range e.sandbox.Contacts(tenant) {
		numbers[c.ContactNumber]++
		names[strings.ToLower(c.Name)]++
	}
	for k, n := range numbers {
		if n > 1 || !wantContacts[k] {
			t.Errorf("contact number %q: %d contacts, expected: %v", k, n, wantContacts[k])
		}
	}
	for k, n := range names {
		if n > 1 {
			t.Errorf("%d contacts named %q", n, k)
		}
	}
	if len(numbers) != len(wantContacts) {
		t.Errorf("%d contacts in Xero, want %d (%v)", len(numbers), len(wantContacts), wantContacts)
	}

	before := e.writes()
	again := e.run(s, export.Request{Scope: export.ScopeAll})
	if w := e.writes() - before; w != 0 || again.Exported != 0 {
		t.Errorf("second run: %d writes, summary %+v", w, again)
	}
	t.Logf("%s: %d orders, %d invoices, %d contacts, %d payments in %s", family, len(cases), len(invoices),
		len(numbers), len(e.sandbox.Payments(tenant)), time.Since(started).Round(time.Millisecond))
}

// checkRefused asserts an order the mapping must refuse failed with a
// plain reason and that nothing of it reached Xero.
func checkRefused(t *testing.T, e *env, c mappingtest.Case, rec history.Record, invoices map[string]xerotest.Invoice) {
	t.Helper()
	number := "OC-" + strconv.Itoa(c.Order.ID)
	if rec.State != history.StateFailed || rec.Error == "" || strings.ContainsAny(rec.Error, "{}") ||
		strings.Contains(rec.Error, "%!") || strings.Contains(rec.Error, "<nil>") {
		t.Errorf("%s (order %d): history %s %q, want failed with a plain reason", c.Name, c.Order.ID, rec.State, rec.Error)
	}
	if _, ok := invoices[number]; ok {
		t.Errorf("%s: the refused order is in Xero as %s", c.Name, number)
	}
	for _, r := range e.sandbox.Requests() {
		if (r.Method == "PUT" || r.Method == "POST") && strings.Contains(r.Body, `"`+number+`"`) {
			t.Errorf("%s: %s %s sent the refused order", c.Name, r.Method, r.Path)
		}
	}
}

// checkStoredText asserts what became of 4-byte characters: 3.0's utf8mb3
// tables keep '?' in their place, 4.x keeps them and the export drops them.
func checkStoredText(t *testing.T, family opencart.Family, c mappingtest.Case, inv xerotest.Invoice) {
	t.Helper()
	var desc []string
	for _, l := range inv.LineItems {
		desc = append(desc, l.Description)
	}
	all := strings.Join(desc, "|")
	q := strings.Contains(all, "?")
	if family == opencart.Family30 && !q || family != opencart.Family30 && q {
		t.Errorf("%s in %s: lines %q", c.Name, family, desc)
	}
}

func hasLine(inv xerotest.Invoice, title string, amount decimal.Decimal) bool {
	for _, l := range inv.LineItems {
		if strings.HasPrefix(l.Description, mapping.Clean(title, mapping.DescriptionField)) && l.LineAmount != nil && l.LineAmount.Equal(amount) {
			return true
		}
	}
	return false
}

func union(a, b map[string]decimal.Decimal) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	return keys
}

func sameAmount(text string, want decimal.Decimal) bool {
	d, err := decimal.NewFromString(text)
	return err == nil && d.Equal(want)
}

func logOutcomes(t *testing.T, e *env) {
	t.Helper()
	for _, o := range e.events.outcomes() {
		if o.State == history.StateFailed {
			t.Logf("%s %s: %s %v", o.Kind, o.OpenCartID, o.Message, o.Problems)
		}
	}
}
