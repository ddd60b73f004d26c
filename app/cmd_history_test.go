package app

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/history"
)

func TestHistoryCommand(t *testing.T) {
	dir := t.TempDir()
	if code, out, _ := run(t, dir, "history"); code != 0 || !strings.Contains(out, "No export has run yet.") {
		t.Fatalf("empty history: code %d, %q", code, out)
	}

	ctx := context.Background()
	p, err := OpenProfile(ctx, dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	runID, _ := p.History.StartRun(ctx, "orders", "command line", false)
	yes := true
	for _, r := range []history.Record{
		{Kind: history.KindInvoice, OpenCartID: "1001", XeroNumber: "OC-1001", Currency: "EUR", OpenCartTotal: "10.00", XeroTotal: "10.00", TotalsMatch: &yes, State: history.StateExported, RunID: runID},
		{Kind: history.KindInvoice, OpenCartID: "1002", Currency: "GBP", OpenCartTotal: "5.00", State: history.StateFailed, Error: "Xero says: Account code 999 is not a valid code", RunID: runID},
	} {
		if _, err := p.History.SaveRecord(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.History.FinishRun(ctx, history.Run{ID: runID, State: history.RunDone, Exported: 1, Failed: 1, APICalls: 4}); err != nil {
		t.Fatal(err)
	}
	p.Close()

	code, out, _ := run(t, dir, "history")
	if code != 0 || !strings.Contains(out, "orders") || !strings.Contains(out, "done") {
		t.Fatalf("history: code %d\n%s", code, out)
	}
	code, out, _ = run(t, dir, "history", "--failed")
	if code != 0 || !strings.Contains(out, "Account code 999") || strings.Contains(out, "OC-1001") {
		t.Fatalf("history --failed: code %d\n%s", code, out)
	}
	code, out, _ = run(t, dir, "history", "--json", "--run", "1")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 {
		t.Fatalf("history --json --run 1: code %d\n%s", code, out)
	}
	var rec historyRecord
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil || rec.Type != "record" || rec.XeroNumber != "OC-1001" ||
		rec.TotalsMatch == nil || !*rec.TotalsMatch || rec.OpenCartTotal != "10.00" {
		t.Fatalf("first record = %+v, %v", rec, err)
	}
	code, out, _ = run(t, dir, "history", "--json")
	var r historyRun
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &r); code != 0 || err != nil || r.Exported != 1 || r.Failed != 1 || r.APICalls != 4 || r.State != "done" {
		t.Fatalf("history --json: %+v, %v", r, err)
	}
	if code, _, errOut := run(t, dir, "history", "extra"); code != 2 || !strings.Contains(errOut, "unexpected") {
		t.Fatalf("history extra: code %d %q", code, errOut)
	}
}

// TestHistoryFailedShowsWaitingRecords: a record that failed the same way
// three runs in a row is listed by `history --failed` as waiting, with
// what to do.
func TestHistoryFailedShowsWaitingRecords(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	p, err := OpenProfile(ctx, dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	reason := "waiting: failed 3 times the same way — retry from History or change the order/settings. Last reason: Xero refused it: The document date is invalid for this document."
	for _, r := range []history.Record{
		{Kind: history.KindInvoice, OpenCartID: "7", State: history.StateFailed, Error: reason},
		{Kind: history.KindInvoice, OpenCartID: "8", State: history.StateFailed, Error: "Xero refused it: something else"},
	} {
		if _, err := p.History.SaveRecord(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	p.Close()
	code, out, _ := run(t, dir, "history", "--failed")
	var seven, eight string
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) > 2 && f[1] == "7" {
			seven = f[2]
		}
		if len(f) > 2 && f[1] == "8" {
			eight = f[2]
		}
	}
	if code != 0 || seven != "waiting" || eight != "failed" || !strings.Contains(out, "retry from History") {
		t.Fatalf("history --failed: code %d, states %q %q\n%s", code, seven, eight, out)
	}
}
