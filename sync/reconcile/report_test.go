package reconcile_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/reconcile"
)

// TestHTMLReportIsSelfContainedAndEscaped: shop and Xero text cannot add
// markup or scripts to the printable report, the page loads nothing from
// elsewhere, and the figures are all there.
func TestHTMLReportIsSelfContainedAndEscaped(t *testing.T) {
	rep := &reconcile.Report{Period: reconcile.Month(2024, time.March), TimeZone: "Europe/London", Orders: 2, Invoices: 2,
		Differences: []reconcile.Difference{{Kind: "invoice", Number: "OC-1<b>", Problem: reconcile.TotalDiffers, OpenCartTotal: "10.00",
			XeroTotal: "11.00", Currency: "GBP", Detail: `<script>alert("x")</script><img src="http://evil/">`}},
		Totals: []reconcile.Totals{{Currency: "GBP", Sales: reconcile.Figure{OpenCart: decimal.NewFromInt(10), Xero: decimal.NewFromInt(11)},
			VAT: map[string]reconcile.Figure{"OUTPUT2": {OpenCart: decimal.NewFromInt(2), Xero: decimal.NewFromInt(2)}}}}}
	var b bytes.Buffer
	if err := reconcile.WriteHTML(&b, rep, time.Date(2024, 4, 2, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, bad := range []string{"<script", "<img", "<b>", `src="`, `href="`, "<link", "@import"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;", "OC-1&lt;b&gt;", "2024-03-01 to 2024-03-31", "<td>total_differs</td>",
		`<td class="n">10.00</td><td class="n">11.00</td><td class="n">&#43;1.00</td>`, "VAT OUTPUT2", "1 difference"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}
