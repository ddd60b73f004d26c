package history

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestMigrationsAreAppliedOnceAndRecorded(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	v, err := s.SchemaVersion(ctx)
	if err != nil || v != len(migrations) {
		t.Fatalf("schema version = %d, %v; want %d", v, err, len(migrations))
	}
	if err := s.SetSetting(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// Reopening must not re-run migrations (they would fail on existing tables) and keeps data.
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s2.Close()
	if got, err := s2.Setting(ctx, "k"); err != nil || got != "v" {
		t.Fatalf("after reopen Setting = %q, %v", got, err)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	if _, err := s.db.Exec(`UPDATE schema_version SET version = ?`, len(migrations)+1); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err := Open(ctx, path)
	if err == nil || !strings.Contains(err.Error(), "newer than this program") {
		t.Fatalf("Open on a newer schema: err = %v", err)
	}
}

func TestPragmas(t *testing.T) {
	s, _ := openTemp(t)
	var mode string
	var fk, timeout int
	if err := s.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow(`PRAGMA busy_timeout`).Scan(&timeout); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" || fk != 1 || timeout != 5000 {
		t.Fatalf("journal_mode=%s foreign_keys=%d busy_timeout=%d", mode, fk, timeout)
	}
}

func TestSettings(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	if _, err := s.Setting(ctx, "missing"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing setting: err = %v, want ErrNotFound", err)
	}
	for _, v := range []string{"first", "second"} {
		if err := s.SetSetting(ctx, "invoice.status", v); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetSetting(ctx, "store.prefix", "oc_"); err != nil {
		t.Fatal(err)
	}
	all, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all["invoice.status"] != "second" || all["store.prefix"] != "oc_" {
		t.Fatalf("Settings = %v", all)
	}
	if err := s.DeleteSetting(ctx, "store.prefix"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Setting(ctx, "store.prefix"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted setting: err = %v", err)
	}
}

func TestRuns(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	id, err := s.StartRun(ctx, "orders", "manual", false)
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.RunByID(ctx, id)
	if err != nil || r.State != RunRunning || r.Scope != "orders" || r.StartedAt.IsZero() || !r.FinishedAt.IsZero() {
		t.Fatalf("started run = %+v, %v", r, err)
	}
	if err := s.FinishRun(ctx, Run{ID: id, State: RunRunning}); err == nil {
		t.Fatal("finishing a run as running must fail")
	}
	if err := s.FinishRun(ctx, Run{ID: id + 99, State: RunDone}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("finishing an unknown run: err = %v", err)
	}
	if err := s.FinishRun(ctx, Run{ID: id, State: RunDone, Exported: 3, Failed: 1, Skipped: 2, APICalls: 7}); err != nil {
		t.Fatal(err)
	}
	id2, _ := s.StartRun(ctx, "all", "scheduled", true)
	runs, err := s.Runs(ctx, 10)
	if err != nil || len(runs) != 2 {
		t.Fatalf("Runs = %v, %v", runs, err)
	}
	if runs[0].ID != id2 || !runs[0].DryRun || runs[1].Exported != 3 || runs[1].Failed != 1 || runs[1].APICalls != 7 || runs[1].FinishedAt.IsZero() {
		t.Fatalf("Runs newest first with counts: %+v", runs)
	}
	if _, err := s.RunByID(ctx, 12345); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown run: err = %v", err)
	}
}

func TestRecordsUpsertKeepsOneRowPerDocumentAndAnAuditTrail(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	run, _ := s.StartRun(ctx, "orders", "manual", false)
	base := Record{Kind: KindInvoice, OpenCartID: "1001", Currency: "EUR", OpenCartTotal: "1757.41",
		ContentHash: "h1", IdempotencyKey: "inv-1001-h1", RunID: run}

	sending := base
	sending.State = StateSending
	id1, err := s.SaveRecord(ctx, sending)
	if err != nil {
		t.Fatal(err)
	}
	done := base
	done.State, done.XeroID, done.XeroNumber, done.XeroTotal = StateExported, "a-guid", "OC-1001", "1757.41"
	match := true
	done.TotalsMatch = &match
	id2, err := s.SaveRecord(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	if id1 != id2 {
		t.Fatalf("the same (kind, OpenCart id) must stay one row: ids %d and %d", id1, id2)
	}
	got, err := s.RecordFor(ctx, KindInvoice, "1001")
	if err != nil {
		t.Fatal(err)
	}
	if got.State != StateExported || got.XeroNumber != "OC-1001" || got.TotalsMatch == nil || !*got.TotalsMatch ||
		got.OpenCartTotal != "1757.41" || got.RunID != run || got.CreatedAt.IsZero() {
		t.Fatalf("RecordFor = %+v", got)
	}
	events, err := s.Events(ctx, id1)
	if err != nil || len(events) != 2 || events[0].State != StateSending || events[1].State != StateExported || events[1].RunID != run {
		t.Fatalf("Events = %+v, %v", events, err)
	}

	// The same OpenCart id as another kind is another row.
	pay := Record{Kind: KindPayment, OpenCartID: "1001", State: StateSkipped, Error: "skipped: invoice is draft"}
	if _, err := s.SaveRecord(ctx, pay); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordFor(ctx, KindCreditNote, "1001"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("absent record: err = %v", err)
	}

	tests := []struct {
		name   string
		filter RecordFilter
		want   int
	}{
		{"all", RecordFilter{}, 2},
		{"invoices", RecordFilter{Kind: KindInvoice}, 1},
		{"skipped", RecordFilter{States: []string{StateSkipped, StateFailed}}, 1},
		{"by run", RecordFilter{RunID: run}, 1},
		{"page", RecordFilter{Limit: 1, Offset: 1}, 1},
		{"nothing", RecordFilter{Kind: KindContact}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs, err := s.Records(ctx, tc.filter)
			if err != nil || len(rs) != tc.want {
				t.Fatalf("Records(%+v) = %d rows, %v; want %d", tc.filter, len(rs), err, tc.want)
			}
		})
	}
}

func TestSaveRecordRejectsBadInput(t *testing.T) {
	s, _ := openTemp(t)
	bad := []Record{
		{Kind: "order", OpenCartID: "1", State: StateExported},
		{Kind: KindInvoice, OpenCartID: "1", State: "done"},
		{Kind: KindInvoice, OpenCartID: "  ", State: StateExported},
	}
	for _, r := range bad {
		if _, err := s.SaveRecord(context.Background(), r); err == nil {
			t.Errorf("SaveRecord(%+v) accepted", r)
		}
	}
}

func TestRecordsForReadsAPageInOneQuery(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	for _, id := range []string{"1", "2", "3"} {
		if _, err := s.SaveRecord(ctx, Record{Kind: KindInvoice, OpenCartID: id, State: StateExported, XeroNumber: "OC-" + id}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SaveRecord(ctx, Record{Kind: KindPayment, OpenCartID: "2", State: StateSkipped}); err != nil {
		t.Fatal(err)
	}
	got, err := s.RecordsFor(ctx, KindInvoice, []string{"2", "3", "9"})
	if err != nil || len(got) != 2 || got["2"].XeroNumber != "OC-2" || got["3"].XeroNumber != "OC-3" {
		t.Fatalf("RecordsFor = %+v, %v", got, err)
	}
	if none, err := s.RecordsFor(ctx, KindInvoice, nil); err != nil || len(none) != 0 {
		t.Fatalf("RecordsFor(nil) = %v, %v", none, err)
	}
}

// TestKeepSourceFillsInOnlyAMissingFingerprint: a record without a source
// fingerprint gets one, with no audit event; one that has a fingerprint
// keeps it.
func TestKeepSourceFillsInOnlyAMissingFingerprint(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	id, err := s.SaveRecord(ctx, Record{Kind: KindCreditNote, OpenCartID: "order-7", XeroID: "cn-7", State: StateExported})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		source string
		filled bool
	}{{"refund entered 2026-03-01T10:00:00Z; refund statuses 11", true}, {"another", false}} {
		filled, err := s.KeepSource(ctx, KindCreditNote, "order-7", c.source)
		if err != nil || filled != c.filled {
			t.Fatalf("KeepSource(%q) = %v, %v; want %v", c.source, filled, err, c.filled)
		}
	}
	rec, err := s.RecordFor(ctx, KindCreditNote, "order-7")
	if err != nil || rec.SourceHash != "refund entered 2026-03-01T10:00:00Z; refund statuses 11" || rec.State != StateExported || rec.XeroID != "cn-7" {
		t.Fatalf("record after KeepSource: %+v, %v", rec, err)
	}
	if events, err := s.Events(ctx, id); err != nil || len(events) != 1 {
		t.Fatalf("audit trail after KeepSource: %d events, %v; want only the save's", len(events), err)
	}
	if filled, err := s.KeepSource(ctx, KindCreditNote, "order-8", "x"); err != nil || filled {
		t.Fatalf("KeepSource of a record that does not exist: %v, %v", filled, err)
	}
}
