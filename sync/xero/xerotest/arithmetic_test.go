package xerotest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// amounts renders the figures of an invoice for comparison.
func amounts(inv xerotest.Invoice) string {
	var b strings.Builder
	for _, l := range inv.LineItems {
		b.WriteString(l.UnitAmount.String() + "/" + l.LineAmount.StringFixed(2) + "/" + l.TaxAmount.StringFixed(2) + " ")
	}
	b.WriteString("sub=" + inv.SubTotal.StringFixed(2) + " tax=" + inv.TotalTax.StringFixed(2) + " total=" + inv.Total.StringFixed(2) + " due=" + inv.AmountDue.StringFixed(2))
	return b.String()
}

func num(s string) json.Number { return json.Number(s) }

func TestArithmetic(t *testing.T) {
	nz := xerotest.Tenant{ID: "a0000000-0000-4000-8000-00000000000a", Name: "Demo Company (NZ)", CountryCode: "NZ"}
	uk := xerotest.Tenant{ID: xerotest.DefaultTenantID, Name: "Demo Company (UK)"}
	_, c := start(t, xerotest.Options{Tenants: []xerotest.Tenant{uk, nz}})
	for _, tc := range []struct {
		name    string
		tenant  string
		query   string
		lat     string
		lines   []J
		want    string // amounts(); "" when wantErr
		wantErr string
	}{
		{
			// [XERO.md §7, ROUNDING]: 25.06, 25.61, 25.63 at 15% → 11.44 (not 11.45 on the total).
			name: "tax per line then summed", tenant: nz.ID, lat: "Exclusive",
			lines: []J{line("a", "1", "25.06", "OUTPUT2"), line("b", "1", "25.61", "OUTPUT2"), line("c", "1", "25.63", "OUTPUT2")},
			want:  "25.06/25.06/3.76 25.61/25.61/3.84 25.63/25.63/3.84 sub=76.30 tax=11.44 total=87.74 due=87.74",
		},
		{
			name: "inclusive", lat: "Inclusive",
			lines: []J{line("a", "1", "20.00", "OUTPUT2"), line("b", "3", "9.99", "RROUTPUT")},
			// 20×0.2/1.2 = 3.333 → 3.33; 29.97×0.05/1.05 = 1.4271 → 1.43
			want: "20/20.00/3.33 9.99/29.97/1.43 sub=45.21 tax=4.76 total=49.97 due=49.97",
		},
		{
			name: "no tax", lat: "NoTax",
			lines: []J{line("a", "2", "10.50", "OUTPUT2")},
			want:  "10.5/21.00/0.00 sub=21.00 tax=0.00 total=21.00 due=21.00",
		},
		{
			name: "unitdp=4 keeps four decimals", query: "&unitdp=4", lat: "Exclusive",
			lines: []J{line("a", "3", "1.2345", "OUTPUT2")},
			// 3 × 1.2345 = 3.7035 → 3.70; tax 0.74
			want: "1.2345/3.70/0.74 sub=3.70 tax=0.74 total=4.44 due=4.44",
		},
		{
			name: "without unitdp the unit price is rounded to 2 dp first", lat: "Exclusive",
			lines: []J{line("a", "3", "1.2345", "OUTPUT2")},
			// 1.2345 → 1.23; 3 × 1.23 = 3.69; tax 0.738 → 0.74
			want: "1.23/3.69/0.74 sub=3.69 tax=0.74 total=4.43 due=4.43",
		},
		{
			name: "half away from zero", lat: "Exclusive",
			lines: []J{line("a", "1", "0.10", "RROUTPUT"), line("b", "-1", "0.10", "RROUTPUT")},
			// 0.10 × 5% = 0.005 → 0.01 (banker's rounding would give 0.00); -0.005 → -0.01
			want: "0.1/0.10/0.01 0.1/-0.10/-0.01 sub=0.00 tax=0.00 total=0.00 due=0.00",
		},
		{
			name: "discount rate", lat: "Exclusive",
			lines: []J{{"Description": "d", "Quantity": num("3"), "UnitAmount": num("9.99"), "DiscountRate": num("12.5"), "AccountCode": "200", "TaxType": "OUTPUT2"}},
			// 29.97 × 0.875 = 26.22375 → 26.22; tax 5.244 → 5.24
			want: "9.99/26.22/5.24 sub=26.22 tax=5.24 total=31.46 due=31.46",
		},
		{
			name: "discount amount", lat: "Exclusive",
			lines: []J{{"Description": "d", "Quantity": num("2"), "UnitAmount": num("10"), "DiscountAmount": num("1.50"), "LineAmount": num("18.50"), "AccountCode": "200", "TaxType": "OUTPUT2"}},
			want:  "10/18.50/3.70 sub=18.50 tax=3.70 total=22.20 due=22.20",
		},
		{
			name: "tax type from the account", lat: "Exclusive",
			lines: []J{{"Description": "d", "Quantity": num("1"), "UnitAmount": num("10"), "AccountCode": "200"}},
			want:  "10/10.00/2.00 sub=10.00 tax=2.00 total=12.00 due=12.00",
		},
		{
			name: "supplied TaxAmount within 0.01 is kept", lat: "Exclusive",
			lines: []J{{"Description": "d", "Quantity": num("1"), "UnitAmount": num("10.03"), "AccountCode": "200", "TaxType": "OUTPUT2", "TaxAmount": num("2.00")}},
			// computed 2.006 → 2.01; 2.00 is within tolerance
			want: "10.03/10.03/2.00 sub=10.03 tax=2.00 total=12.03 due=12.03",
		},
		{
			name: "supplied TaxAmount outside the tolerance", lat: "Exclusive",
			lines:   []J{{"Description": "d", "Quantity": num("1"), "UnitAmount": num("10.03"), "AccountCode": "200", "TaxType": "OUTPUT2", "TaxAmount": num("1.99")}},
			wantErr: "Tax amount 1.99 is incorrect for OUTPUT2 tax type, should be 2.01",
		},
		{
			name: "supplied LineAmount that disagrees", lat: "Exclusive",
			lines:   []J{{"Description": "d", "Quantity": num("2"), "UnitAmount": num("10"), "LineAmount": num("19.99"), "AccountCode": "200", "TaxType": "OUTPUT2"}},
			wantErr: "The line total 19.99 does not match the expected line total 20.00",
		},
		{
			name: "LineAmount only", lat: "Exclusive",
			lines: []J{{"Description": "d", "LineAmount": num("12.34"), "AccountCode": "200", "TaxType": "OUTPUT2"}},
			want:  "12.34/12.34/2.47 sub=12.34 tax=2.47 total=14.81 due=14.81",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cc := c.as(t)
			if tc.tenant != "" {
				cc.tenant = tc.tenant
			}
			inv := invoice("", tc.lines...)
			inv["LineAmountTypes"] = tc.lat
			r := cc.call("PUT", "/Invoices?summarizeErrors=false"+tc.query, J{"Invoices": []J{inv}}).must(t, http.StatusOK)
			got := r.Env.Invoices[0]
			if tc.wantErr != "" {
				if errs := errorsOf(got.ValidationErrors); got.StatusAttributeString != "ERROR" || len(errs) != 1 || errs[0] != tc.wantErr {
					t.Fatalf("errors %q (%s), want %q", errs, got.StatusAttributeString, tc.wantErr)
				}
				return
			}
			if got.StatusAttributeString != "OK" {
				t.Fatalf("not saved: %q", errorsOf(got.ValidationErrors))
			}
			if a := amounts(got); a != tc.want {
				t.Fatalf("amounts\n got %s\nwant %s", a, tc.want)
			}
		})
	}
}

// TestResponseShape checks the JSON Xero clients parse: envelope, numbers
// as JSON numbers, /Date()/ dates with DateString.
func TestResponseShape(t *testing.T) {
	_, c := start(t, xerotest.Options{})
	r := c.call("PUT", "/Invoices?unitdp=4", J{"Invoices": []J{invoice("OC-SHAPE", line("Widget", "2", "10.005", "OUTPUT2"))}}).must(t, http.StatusOK)
	body := string(r.Body)
	for _, want := range []string{`"Status":"OK"`, `"ProviderName":"Xero Sandbox"`, `"DateTimeUTC":"/Date(`, `"Date":"/Date(1768435200000+0000)/"`,
		`"DateString":"2026-01-15T00:00:00"`, `"Quantity":2.0000`, `"UnitAmount":10.0050`, `"LineAmount":20.01`, `"TaxAmount":4.00`,
		`"Total":24.01`, `"AmountDue":24.01`, `"UpdatedDateUTC":"/Date(`, `"CurrencyCode":"GBP"`} {
		if !strings.Contains(body, want) {
			t.Errorf("response lacks %s:\n%s", want, body)
		}
	}
	var top map[string]any
	if err := json.Unmarshal(r.Body, &top); err != nil || top["Id"] == nil {
		t.Fatalf("envelope Id missing: %v %s", err, body)
	}
}
