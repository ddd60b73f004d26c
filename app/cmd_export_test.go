package app

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// connectedProfile is a profile connected to sandbox s and pointed at shop db.
func connectedProfile(t *testing.T, s *xerotest.Server, db *octest.DB) string {
	t.Helper()
	dir := xeroProfile(t, s)
	code, out, errOut := mainWithBrowser(t, s.URL+"/identity/connect/authorize?", "--profile", dir, "connect", "--no-browser", "--timeout", "20s")
	if code != 0 {
		t.Fatalf("connect: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, kv := range [][2]string{{"store.dsn", db.DSN}, {"store.prefix", db.Prefix}} {
		if code, _, errOut := run(t, dir, "config", "set", kv[0], kv[1]); code != 0 {
			t.Fatalf("config set %s: %s", kv[0], errOut)
		}
	}
	return dir
}

// simpleOrders adds n orders of a customer each, VAT 20% on a product and
// on 5.00 shipping, totals as OpenCart computes them; every third is paid.
func simpleOrders(db *octest.DB, first, n int) {
	var orders []octest.Order
	for i := range n {
		id := first + i
		c := db.AddCustomer(octest.Customer{FirstName: "Customer", LastName: strconv.Itoa(id), Email: fmt.Sprintf("c%d@example.com", id)})
		price := fmt.Sprintf("%d.%04d", 1+i%40, (i*37)%10000)
		net := mustDecimal(price)
		vat := net.Mul(mustDecimal("0.2")).Add(mustDecimal("1"))
		total := net.Add(mustDecimal("5")).Add(vat)
		status := 1
		if i%3 == 0 {
			status = 5
		}
		orders = append(orders, octest.Order{ID: id, StatusID: status, CustomerID: c, FirstName: "Customer", LastName: strconv.Itoa(id),
			Email: fmt.Sprintf("c%d@example.com", id), PaymentMethod: octest.Method{Title: "PayPal", Code: "pp_standard"},
			Products: []octest.Product{{ProductID: 50, Name: "Widget", Model: "W", Quantity: 1, Price: price, Tax: net.Mul(mustDecimal("0.2")).StringFixed(4)}},
			Totals: []octest.Total{{Code: "sub_total", Title: "Sub-Total", Value: price, SortOrder: 1},
				{Code: "shipping", Title: "Flat Shipping Rate", Value: "5.0000", SortOrder: 3},
				{Code: "tax", Title: "VAT (20%)", Value: vat.StringFixed(4), SortOrder: 5},
				{Code: "total", Title: "Total", Value: total.StringFixed(4), SortOrder: 9}},
			Total: total.StringFixed(4)})
	}
	db.AddOrders(orders...)
}

func TestExportCommandDryRunAndRealRun(t *testing.T) {
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, TimeScale: 0.001})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	edge := db.SeedEdgeCases()
	simpleOrders(db, 5001, 3)
	dir := connectedProfile(t, s, db)
	if code, out, errOut := run(t, dir, "config", "set", "invoice.status", "AUTHORISED"); code != 0 {
		t.Fatal(out, errOut)
	}
	code, out, errOut := run(t, dir, "config", "propose")
	if code != 0 || !strings.Contains(out, "rounding: account 860") {
		t.Fatalf("config propose: exit %d\n%s\n%s", code, out, errOut)
	}

	// Dry run: one JSON object per record, Xero's field names, nothing sent.
	s.ResetCounters()
	code, out, errOut = run(t, dir, "export", "all", "--dry-run", "--json")
	if code != 0 && code != 1 {
		t.Fatalf("dry run: exit %d\n%s", code, errOut)
	}
	for k := range s.Calls() {
		if xeroWrite(k) {
			t.Fatalf("a dry run wrote to Xero: %v", s.Calls())
		}
	}
	invoices := 0
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("not JSON: %q: %v", sc.Text(), err)
		}
		if rec["kind"] != history.KindInvoice {
			continue
		}
		invoices++
		doc, _ := rec["document"].(map[string]any)
		if doc == nil || doc["Type"] != "ACCREC" || rec["order_id"] == nil || rec["currency"] == "" || rec["opencart_total"] == "" {
			t.Fatalf("dry-run invoice line: %s", sc.Text())
		}
		lines, _ := doc["LineItems"].([]any)
		if len(lines) == 0 {
			t.Fatalf("no lines: %s", sc.Text())
		}
		if _, isNumber := lines[0].(map[string]any)["UnitAmount"].(float64); !isNumber {
			t.Fatalf("amounts must be JSON numbers: %s", sc.Text())
		}
	}
	if invoices < 5 {
		t.Fatalf("%d invoices in the dry run:\n%s", invoices, out)
	}

	// The real run: every invoice Xero accepted matches OpenCart's total;
	// the ones it could not take have a reason in the history.
	code, out, errOut = run(t, dir, "export", "all")
	if !strings.Contains(out, "Run ") {
		t.Fatalf("export all: exit %d\n%s\n%s", code, out, errOut)
	}
	p, err := OpenProfile(context.Background(), dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	recs, err := p.History.Records(context.Background(), history.RecordFilter{Kind: history.KindInvoice})
	if err != nil {
		t.Fatal(err)
	}
	byNumber := map[string]string{}
	for _, inv := range s.Invoices(xerotest.DefaultTenantID) {
		byNumber[inv.InvoiceID] = inv.Total.StringFixed(2)
	}
	exported := 0
	for _, r := range recs {
		switch r.State {
		case history.StateExported:
			exported++
			if byNumber[r.XeroID] != r.OpenCartTotal || r.TotalsMatch == nil || !*r.TotalsMatch {
				t.Errorf("order %s: Xero %s, OpenCart %s", r.OpenCartID, byNumber[r.XeroID], r.OpenCartTotal)
			}
		case history.StateFailed:
			if r.Error == "" {
				t.Errorf("order %s failed without a reason", r.OpenCartID)
			}
		default:
			t.Errorf("order %s left %s", r.OpenCartID, r.State)
		}
	}
	if exported < 5 {
		t.Fatalf("only %d invoices exported:\n%s", exported, out)
	}
	if _, err := p.History.RecordFor(context.Background(), history.KindInvoice, strconv.Itoa(edge.Missing)); err == nil {
		t.Error("the status-0 order was exported")
	}
	// No secret is written anywhere but the secret store.
	tok, err := storedToken(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == secretsFile {
			return err
		}
		b, _ := os.ReadFile(path)
		for _, secret := range []string{tok.AccessToken, tok.RefreshToken} {
			if strings.Contains(string(b), secret) {
				t.Errorf("%s holds a Xero token", path)
			}
		}
		return nil
	})
	if code != 0 {
		code, failed, _ := run(t, dir, "history", "--failed")
		if code != 0 || !strings.Contains(failed, "invoice") {
			t.Fatalf("history --failed: %d\n%s", code, failed)
		}
	}
}

// TestExportSurvivesSIGKILL kills the real program at random points of an
// export, then runs it to the end: Xero holds exactly one invoice, contact
// and payment per record, and nothing is missing. OCX_SIGKILL_TRIALS sets
// the number of kills tried (default 12; make trials runs 30).
func TestExportSurvivesSIGKILL(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "opencart-xero")
	build := exec.Command("go", "build", "-tags", "ci", "-o", bin, "..")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, TimeScale: 0.001})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	// 25 orders a kill (300 for the default 12), so that every run has
	// work left to be killed in.
	trials := sigkillTrials()
	orders := 25 * trials
	simpleOrders(db, 7001, orders)
	dir := connectedProfile(t, s, db)
	for _, args := range [][]string{{"config", "set", "invoice.status", "AUTHORISED"}, {"config", "propose"}} {
		if code, out, errOut := run(t, dir, args...); code != 0 {
			t.Fatal(out, errOut)
		}
	}
	// Slightly slow answers, so that kills also land while a call is out.
	s.Inject(xerotest.Fault{Kind: xerotest.FaultSlow, Times: -1, Delay: 15 * time.Millisecond})

	// Each trial is killed after a random number of settled records plus a
	// random pause: between two records, during a batch call, or while the
	// history is written.
	rng := rand.New(rand.NewPCG(20261125, 1))
	kills := 0
	for trial := range trials {
		cmd := exec.Command(bin, "--profile", dir, "export", "all")
		cmd.Env = append(os.Environ(), SecretsEnv+"=file")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = cmd.Stdout
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		after, pause := 1+rng.IntN(80), time.Duration(rng.IntN(60))*time.Millisecond
		lines, killed := 0, false
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "  ") {
				lines++
			}
			if lines == after && !killed {
				time.Sleep(pause)
				cmd.Process.Signal(syscall.SIGKILL)
				killed = true
			}
		}
		err = cmd.Wait()
		if killed {
			kills++
		}
		t.Logf("trial %d: killed=%v after %d records + %s (%v)", trial, killed, after, pause, err)
	}
	s.ClearFaults()
	code, out, errOut := run(t, dir, "export", "all")
	if code != 0 {
		t.Fatalf("final run: exit %d\n%s\n%s", code, out, errOut)
	}
	if kills*3 < trials*2 {
		t.Fatalf("only %d of %d runs were killed mid-run; the test proves nothing", kills, trials)
	}

	seen := map[string]int{}
	for _, inv := range s.Invoices(xerotest.DefaultTenantID) {
		seen["invoice "+inv.InvoiceNumber]++
	}
	for _, c := range s.Contacts(xerotest.DefaultTenantID) {
		seen["contact "+c.ContactNumber]++
	}
	paidInvoices := 0
	for _, p := range s.Payments(xerotest.DefaultTenantID) {
		if p.Status != "DELETED" && p.Invoice != nil {
			seen["payment "+p.Invoice.InvoiceID]++
			paidInvoices++
		}
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("%s is in Xero %d times", k, n)
		}
	}
	for i := range orders {
		if seen["invoice OC-"+strconv.Itoa(7001+i)] != 1 {
			t.Errorf("order %d is missing", 7001+i)
		}
	}
	if want := (orders + 2) / 3; paidInvoices != want {
		t.Errorf("%d payments, want %d", paidInvoices, want)
	}
	t.Logf("%d kills; Xero calls: %v", kills, s.Calls())
}

func mustDecimal(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// TestExportCommandVoidsCancelledOrder: through the export command, an
// order cancelled in OpenCart after its invoice went to Xero gets that
// invoice voided; the summary and the history say so, and a second run
// sends nothing.
func TestExportCommandVoidsCancelledOrder(t *testing.T) {
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, TimeScale: 0.001})
	db := octest.NewDB(t, opencart.Family30, "oc_")
	simpleOrders(db, 5001, 3) // 5002 and 5003 are pending: approved, unpaid
	dir := connectedProfile(t, s, db)
	for _, args := range [][]string{{"config", "set", "invoice.status", "AUTHORISED"}, {"config", "propose"}, {"export", "all"}} {
		if code, out, errOut := run(t, dir, args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, errOut)
		}
	}
	if _, err := db.SQL.Exec("UPDATE oc_order SET order_status_id = 7 WHERE order_id = 5002"); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, dir, "export", "all")
	if code != 0 || !strings.Contains(out, "1 invoices of cancelled orders voided or deleted") {
		t.Fatalf("export after the cancel: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, inv := range s.Invoices(xerotest.DefaultTenantID) {
		if want := map[bool]string{true: "VOIDED", false: "AUTHORISED"}[inv.InvoiceNumber == "OC-5002"]; inv.Status != want && !(inv.Status == "PAID" && want == "AUTHORISED") {
			t.Errorf("%s is %s, want %s", inv.InvoiceNumber, inv.Status, want)
		}
	}
	if code, out, _ := run(t, dir, "history", "--run", "2"); code != 0 || !strings.Contains(out, "voided") {
		t.Fatalf("history of the run: exit %d\n%s", code, out)
	}
	s.ResetCounters()
	if code, out, errOut := run(t, dir, "export", "all"); code != 0 || strings.Contains(out, "voided") {
		t.Fatalf("a second run: exit %d\n%s\n%s", code, out, errOut)
	}
	for k, n := range s.Calls() {
		if xeroWrite(k) {
			t.Errorf("the second run wrote to Xero: %s %d", k, n)
		}
	}
}

// xeroWrite reports whether a sandbox call key ("PUT /Invoices", "POST
// /Contacts", "POST /connect/token") is a write to the books.
func xeroWrite(key string) bool {
	return strings.HasPrefix(key, "PUT ") || strings.HasPrefix(key, "POST /") && !strings.HasPrefix(key, "POST /connect/")
}

// TestJSONRecordIDs checks that `export --json` names each record's
// OpenCart record by what its history key says it is.
func TestJSONRecordIDs(t *testing.T) {
	for _, tc := range []struct {
		name, kind, key string
		want            recordJSON
	}{
		{"a customer's contact", history.KindContact, "OC-C5", recordJSON{CustomerID: 5}},
		{"a guest's contact", history.KindContact, "OC-G0123456789ab", recordJSON{ContactNumber: "OC-G0123456789ab"}},
		{"an invoice", history.KindInvoice, "12", recordJSON{OrderID: 12}},
		{"a payment", history.KindPayment, "12", recordJSON{OrderID: 12}},
		{"a refunded order's credit note", history.KindCreditNote, "order-12", recordJSON{OrderID: 12}},
		{"a return's credit note", history.KindCreditNote, "return-3", recordJSON{ReturnID: 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			(&jsonPrinter{w: &out}).Report(export.Event{Record: &export.Outcome{Kind: tc.kind, OpenCartID: tc.key, State: history.StateExported}})
			var got recordJSON
			if err := json.Unmarshal([]byte(out.String()), &got); err != nil {
				t.Fatalf("%q: %v", out.String(), err)
			}
			if got.OrderID != tc.want.OrderID || got.CustomerID != tc.want.CustomerID || got.ReturnID != tc.want.ReturnID || got.ContactNumber != tc.want.ContactNumber {
				t.Errorf("%s", out.String())
			}
		})
	}
}
