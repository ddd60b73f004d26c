package reconcile

import (
	"encoding/csv"
	"fmt"
	"html/template"
	"io"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/safetext"
)

// CSVHeader is the CSV report's first row: the JSON lines' keys.
var CSVHeader = []string{"kind", "opencart_id", "number", "problem", "opencart_total", "xero_total", "currency", "detail"}

// WriteCSV writes one row per difference under CSVHeader; every cell is
// made safe for spreadsheets (a cell starting with = + - @ is not a
// formula).
func WriteCSV(w io.Writer, rep *Report) error {
	cw := csv.NewWriter(w)
	rows := [][]string{CSVHeader}
	for _, d := range rep.Differences {
		rows = append(rows, []string{d.Kind, d.OpenCartID, d.Number, string(d.Problem), d.OpenCartTotal, d.XeroTotal, d.Currency, d.Detail})
	}
	for _, r := range rows {
		for i := range r {
			r[i] = safetext.CSVCell(r[i])
		}
		if err := cw.Write(r); err != nil {
			return fmt.Errorf("reconcile CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("reconcile CSV: %w", err)
	}
	return nil
}

// htmlRow is one figure of the totals in the printable report.
type htmlRow struct {
	Name, OpenCart, Xero, Difference string
	Differs                          bool
}

type htmlTotals struct {
	Currency string
	Rows     []htmlRow
}

type htmlReport struct {
	Title, Period, TimeZone, Generated string
	Orders, Invoices, CreditNotes      int
	Accepted                           int
	Clean                              bool
	Totals                             []htmlTotals
	Differences                        []Difference
	Problems                           []htmlCount
}

type htmlCount struct {
	Problem Problem
	Count   int
}

// reportPage is the printable report: one self-contained page (its style
// inline, no script, no outside address), every text escaped by
// html/template.
var reportPage = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body { font: 11pt/1.4 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 2em; color: #111; }
h1 { font-size: 16pt; margin: 0 0 .2em; }
h2 { font-size: 13pt; margin: 1.4em 0 .4em; }
p.meta { color: #555; margin: 0 0 1em; }
table { border-collapse: collapse; margin: .3em 0 1em; }
th, td { border: 1px solid #bbb; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #eee; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.differs td { background: #fde8e8; }
.ok { color: #155724; font-weight: bold; }
.bad { color: #8a1c1c; font-weight: bold; }
@media print { body { margin: 0; } tr { page-break-inside: avoid; } }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="meta">Period {{.Period}} (days in the shop's time zone, {{.TimeZone}}) · {{.Orders}} orders in OpenCart · {{.Invoices}} invoices and {{.CreditNotes}} credit notes in Xero · generated {{.Generated}}</p>
{{if .Clean}}<p class="ok">OpenCart, the export history and Xero agree for this period.</p>
{{else}}<p class="bad">{{len .Differences}} difference{{if ne (len .Differences) 1}}s{{end}}{{if .Accepted}}, besides {{.Accepted}} accepted as Xero has them{{end}}.</p>{{end}}
<h2>Totals per currency</h2>
{{range .Totals}}<table>
<tr><th>{{.Currency}}</th><th>OpenCart</th><th>Xero</th><th>Difference</th></tr>
{{range .Rows}}<tr{{if .Differs}} class="differs"{{end}}><td>{{.Name}}</td><td class="n">{{.OpenCart}}</td><td class="n">{{.Xero}}</td><td class="n">{{.Difference}}</td></tr>
{{end}}</table>
{{end}}
{{if .Differences}}<h2>Differences</h2>
<table>
<tr><th>Problem</th><th>Count</th></tr>
{{range .Problems}}<tr><td>{{.Problem}}</td><td class="n">{{.Count}}</td></tr>
{{end}}</table>
<table>
<tr><th>Kind</th><th>Number</th><th>OpenCart id</th><th>Problem</th><th>OpenCart total</th><th>Xero total</th><th>Currency</th><th>Detail</th></tr>
{{range .Differences}}<tr><td>{{.Kind}}</td><td>{{.Number}}</td><td>{{.OpenCartID}}</td><td>{{.Problem}}</td><td class="n">{{.OpenCartTotal}}</td><td class="n">{{.XeroTotal}}</td><td>{{.Currency}}</td><td>{{.Detail}}</td></tr>
{{end}}</table>
{{end}}
</body>
</html>
`))

// WriteHTML writes the printable report for the accountant: the totals
// per currency and every difference, on one self-contained HTML page.
func WriteHTML(w io.Writer, rep *Report, generated time.Time) error {
	page := htmlReport{Title: "Reconciliation of OpenCart and Xero", Period: rep.Period.String(), TimeZone: rep.TimeZone,
		Generated: generated.Format("2006-01-02 15:04"), Orders: rep.Orders, Invoices: rep.Invoices, CreditNotes: rep.CreditNotes,
		Accepted: rep.Accepted, Clean: rep.Clean(), Differences: rep.Differences}
	for _, t := range rep.Totals {
		ht := htmlTotals{Currency: t.Currency}
		add := func(name string, f Figure) {
			ht.Rows = append(ht.Rows, htmlRow{Name: name, OpenCart: f.OpenCart.StringFixed(2), Xero: f.Xero.StringFixed(2),
				Difference: signedMoney(f.Difference()), Differs: !f.Difference().IsZero()})
		}
		add("Sales", t.Sales)
		codes := make([]string, 0, len(t.VAT))
		for code := range t.VAT {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		for _, code := range codes {
			add(rep.VATLabel(code), t.VAT[code])
		}
		add("Shipping", t.Shipping)
		add("Discounts", t.Discounts)
		add("Refunds", t.Refunds)
		add("Payments", t.Payments)
		page.Totals = append(page.Totals, ht)
	}
	for _, p := range Problems {
		if n := rep.Count(p); n > 0 {
			page.Problems = append(page.Problems, htmlCount{p, n})
		}
	}
	if err := reportPage.Execute(w, page); err != nil {
		return fmt.Errorf("reconcile report: %w", err)
	}
	return nil
}

// signedMoney writes a difference with its sign.
func signedMoney(d decimal.Decimal) string {
	if d.IsPositive() {
		return "+" + d.StringFixed(2)
	}
	return d.StringFixed(2)
}
