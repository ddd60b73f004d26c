package app

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/reconcile"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// TestReconcileCommand: an export nobody touched reconciles clean (exit 0);
// after a person voids an invoice in Xero, --json prints that one
// difference with the keys and a summary line, --csv writes it,
// and the exit status says there are differences.
func TestReconcileCommand(t *testing.T) {
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, TimeScale: 0.001})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	simpleOrders(db, 5001, 3) // dated 1 March 2024; 5002 and 5003 approved, unpaid
	dir := connectedProfile(t, s, db)
	for _, args := range [][]string{{"config", "set", "invoice.status", "AUTHORISED"}, {"config", "propose"}, {"export", "all"}} {
		if code, out, errOut := run(t, dir, args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, errOut)
		}
	}
	code, out, errOut := run(t, dir, "reconcile", "--period", "2024-03")
	if code != 0 || !strings.Contains(out, "OpenCart, the history and Xero agree.") || !strings.Contains(out, "3 orders, 3 invoices") {
		t.Fatalf("clean reconcile: exit %d\n%s\n%s", code, out, errOut)
	}

	bk, err := s.Bookkeeper(xerotest.DefaultTenantID)
	if err != nil {
		t.Fatal(err)
	}
	if err := bk.VoidInvoice("OC-5002"); err != nil {
		t.Fatal(err)
	}
	csvPath := filepath.Join(t.TempDir(), "march.csv")
	htmlPath := filepath.Join(t.TempDir(), "march.html")
	code, out, errOut = run(t, dir, "reconcile", "--since", "2024-03-01", "--until", "2024-03-31", "--json", "--csv", csvPath, "--html", htmlPath)
	if code != 1 || !strings.Contains(errOut, "1 difference between OpenCart and Xero") {
		t.Fatalf("reconcile after a void: exit %d\n%s\n%s", code, out, errOut)
	}
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("not JSON: %q", sc.Text())
		}
		lines = append(lines, m)
	}
	if len(lines) != 2 {
		t.Fatalf("%d JSON lines, want a difference and the summary:\n%s", len(lines), out)
	}
	d := lines[0]
	for _, k := range reconcile.CSVHeader {
		if _, ok := d[k]; !ok {
			t.Errorf("the difference has no %q: %v", k, d)
		}
	}
	if len(d) != len(reconcile.CSVHeader) || d["problem"] != "voided_in_xero" || d["number"] != "OC-5002" || d["opencart_id"] != "5002" || d["kind"] != "invoice" {
		t.Fatalf("difference %v", d)
	}
	sum, _ := lines[1]["summary"].(map[string]any)
	if sum == nil || sum["differences"] != float64(1) || sum["clean"] != false || sum["orders"] != float64(3) {
		t.Fatalf("summary %v", lines[1])
	}
	rows := readCSV(t, csvPath)
	if len(rows) != 2 || strings.Join(rows[0], ",") != strings.Join(reconcile.CSVHeader, ",") || rows[1][3] != "voided_in_xero" {
		t.Fatalf("CSV %v", rows)
	}

	page, err := os.ReadFile(htmlPath)
	if err != nil || !strings.Contains(string(page), "<td>voided_in_xero</td>") || !strings.Contains(string(page), "OC-5002") || !strings.Contains(string(page), "1 difference.") {
		t.Fatalf("HTML report (%v):\n%s", err, page)
	}

	if code, _, errOut := run(t, dir, "reconcile", "--period", "2024-3-1"); code != 2 || !strings.Contains(errOut, "YYYY-MM") {
		t.Fatalf("a bad period: exit %d %s", code, errOut)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestReconcileCSVNeutralisesFormulas: text from the shop or Xero that a
// spreadsheet would run as a formula is written as text.
func TestReconcileCSVNeutralisesFormulas(t *testing.T) {
	rep := &reconcile.Report{Differences: []reconcile.Difference{{Kind: "invoice", Number: "=HYPERLINK(\"http://x\")", Problem: reconcile.NotInOpenCart,
		XeroTotal: "-1.00", Currency: "GBP", Detail: "@SUM(A1)"}}}
	path := filepath.Join(t.TempDir(), "r.csv")
	if err := writeReconcileCSV(path, rep); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, path)
	for _, cell := range rows[1] {
		if cell != "" && strings.ContainsAny(cell[:1], "=+@") {
			t.Fatalf("a formula cell survived: %q in %v", cell, rows[1])
		}
	}
}
