package mapping

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

func TestOptionsValidate(t *testing.T) {
	if err := testOptions().Validate(); err != nil {
		t.Fatalf("complete options: %v", err)
	}
	err := DefaultOptions().Validate()
	if err == nil {
		t.Fatal("default options without accounts pass")
	}
	for _, want := range []string{"account chosen for sales", "shipping", "discounts", "gift vouchers sold", "store credit", "fees", "rounding"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
	tests := []struct {
		name   string
		change func(*Options)
		want   []string
	}{
		{"status", func(o *Options) { o.InvoiceStatus = "PAID" }, []string{`invoice status "PAID"`}},
		{"unknown placeholder", func(o *Options) { o.InvoiceNumber = "OC-{order}" }, []string{"unknown placeholder {order}", "must contain"}},
		{"numbers need an id", func(o *Options) { o.CreditNoteNumber = "CN"; o.ReturnCreditNoteNumber = "R-{order_id}" }, []string{"credit note number pattern \"CN\"", "return credit note number pattern"}},
		{"non-ASCII pattern", func(o *Options) { o.InvoiceNumber = "Ñ-{order_id}" }, []string{"printable ASCII"}},
		{"tax mapping", func(o *Options) {
			o.TaxRates = append(o.TaxRates, TaxMap{Title: "VAT (20%)", Rate: dec("20"), Type: "P", TaxType: "X"}, TaxMap{Title: "Odd", Rate: dec("-1"), Type: "Q"})
		}, []string{"listed twice", "type must be P", "must not be negative", `"Odd" (-1 Q): no Xero tax type`}},
		{"no-tax type", func(o *Options) { o.NoTaxType = " " }, []string{"no tax type chosen"}},
		{"statuses", func(o *Options) { o.PaidStatusIDs = []int{5, 11} }, []string{"both paid and refunded"}},
		{"total rules", func(o *Options) {
			o.Totals = map[string]TotalRule{"tax": {Kind: KindCharge}, "gift_wrap": {Kind: "fee"}}
		}, []string{`"tax" is not a line`, `"gift_wrap": kind "fee"`}},
		{"payment account", func(o *Options) { o.DefaultPaymentAccount = "" }, []string{"default bank account"}},
		{"contact naming", func(o *Options) { o.ContactName = "nickname" }, []string{`contact name "nickname"`}},
		{"due days", func(o *Options) { o.DueDays = -1 }, []string{"due days -1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := testOptions()
			tc.change(&o)
			err := o.Validate()
			if err == nil {
				t.Fatal("passes")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("missing %q in:\n%v", w, err)
				}
			}
		})
	}
}

func TestOptionsJSON(t *testing.T) {
	o := testOptions()
	o.Totals = map[string]TotalRule{"gift_wrap": {Kind: KindCharge, Account: "270"}}
	o.ItemCodes = map[int]string{40: "KETTLE"}
	raw, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	var back Options
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(mustJSON(t, back), string(raw)) || back.TaxRates[0].Rate.String() != "20" {
		t.Errorf("round trip changed the options:\n%s\n%s", raw, mustJSON(t, back))
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestProposeTaxMapping(t *testing.T) {
	x := func(name, taxType, rate, status, report string, revenue bool) xero.TaxRate {
		return xero.TaxRate{Name: name, TaxType: taxType, Status: status, ReportTaxType: report, CanApplyToRevenue: revenue, EffectiveRate: xero.MustAmount(rate)}
	}
	xeroRates := []xero.TaxRate{
		x("20% (VAT on Income)", "OUTPUT2", "20", "ACTIVE", "OUTPUT", true),
		x("20% (VAT on Expenses)", "INPUT2", "20", "ACTIVE", "INPUT", false),
		x("20% ECS on Income", "ECOUTPUT", "20", "ACTIVE", "ECOUTPUT", true),
		x("Old 17.5%", "TAX001", "17.5", "DELETED", "OUTPUT", true),
		x("5% (VAT on Income)", "RROUTPUT", "5", "ACTIVE", "OUTPUT", true),
		x("Zero Rated Income", "ZERORATEDOUTPUT", "0", "ACTIVE", "OUTPUT", true),
		x("Exempt Income", "EXEMPTOUTPUT", "0", "ACTIVE", "EXEMPTOUTPUT", true),
		x("No VAT", "NONE", "0", "ACTIVE", "NONE", true),
		x("12% sales", "TAX002", "12", "ACTIVE", "OUTPUT", true),
		x("12% other", "TAX003", "12", "ACTIVE", "OUTPUT", true),
	}
	shop := []opencart.TaxRate{
		{ID: 86, Name: "VAT (20%)", Rate: dec("20.0000"), Type: "P"},
		{ID: 87, Name: "Eco Tax (-2.00)", Rate: dec("2.0000"), Type: "F"},
		{ID: 88, Name: "VAT (5%)", Rate: dec("5.0000"), Type: "P"},
		{ID: 89, Name: "Old VAT", Rate: dec("17.5000"), Type: "P"},
		{ID: 90, Name: "Twelve", Rate: dec("12"), Type: "P"},
		{ID: 91, Name: "VAT (20%)", Rate: dec("20.0000"), Type: "P"}, // same rate in another geo zone
	}
	got, ps := ProposeTaxMapping(shop, xeroRates, "NONE")
	want := map[string]string{"VAT (20%)": "OUTPUT2", "Eco Tax (-2.00)": "NONE", "VAT (5%)": "RROUTPUT", "Old VAT": "", "Twelve": ""}
	if len(got) != len(want) {
		t.Fatalf("%d proposals, want %d: %+v", len(got), len(want), got)
	}
	for _, m := range got {
		if m.TaxType != want[m.Title] {
			t.Errorf("%s: %q, want %q", m.Title, m.TaxType, want[m.Title])
		}
	}
	text := joinProblems(ps)
	for _, w := range []string{`"Old VAT": no active Xero sales tax rate of 17.5%`, `"Twelve": several Xero tax rates of 12% fit: 12% sales (TAX002), 12% other (TAX003)`, `several OpenCart tax rates are called "VAT (20%)"`} {
		if !strings.Contains(text, w) {
			t.Errorf("missing %q in:\n%s", w, text)
		}
	}
}

func TestContentHash(t *testing.T) {
	o := corpusOrder(t, "M3 coupon reduces VAT, eco tax is not reduced")
	a, _ := Invoice(o, testOptions(), testBooks)
	b, _ := Invoice(o, testOptions(), testBooks)
	ha, err := ContentHash(a)
	if err != nil {
		t.Fatal(err)
	}
	if hb, _ := ContentHash(b); ha != hb || len(ha) != 64 {
		t.Errorf("same invoice, hashes %s and %s", ha, hb)
	}
	o.Products[0].Name = "Kettle (blue)"
	c, _ := Invoice(o, testOptions(), testBooks)
	if hc, _ := ContentHash(c); hc == ha {
		t.Error("a changed invoice keeps its hash")
	}
	// A fixed document has a fixed hash: the canonical form must not drift
	// between runs or versions.
	fixed := xero.Contact{ContactNumber: "OC-C1", Name: "Jane Smith", EmailAddress: "jane@example.com"}
	if h, _ := ContentHash(fixed); h != "9ea91421008ac55a69bce79f27b1472e1b77d24aa257bfecc858329a62f34b96" {
		t.Errorf("hash of the fixed contact changed to %s: every exported record would look changed", h)
	}
	if _, err := ContentHash(func() {}); err == nil {
		t.Error("hashing a function succeeded")
	}
}
