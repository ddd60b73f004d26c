package history

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestVoidedStatesMigrationKeepsRecordsAndTheirAuditTrail builds a history
// at schema 1 with a run, records and events, opens it (migrating it), and
// checks that every row is still there, still linked, and that the new
// states are accepted while unknown ones are still refused by the database.
func TestVoidedStatesMigrationKeepsRecordsAndTheirAuditTrail(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "history.db")
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := raw.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if err := migrations[0](tx); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE schema_version (version INTEGER NOT NULL)`,
		`INSERT INTO schema_version (version) VALUES (1)`,
		`INSERT INTO runs (id, started_at, scope) VALUES (7, '2026-01-01T00:00:00Z', 'all')`,
		`INSERT INTO records (id, kind, opencart_id, xero_id, xero_number, state, error, content_hash, run_id, created_at, updated_at)
		 VALUES (3, 'invoice', '1001', 'guid-1', 'OC-1001', 'exported', '', 'h1', 7, '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z')`,
		`INSERT INTO records (id, kind, opencart_id, state, error, created_at, updated_at)
		 VALUES (5, 'payment', '1001', 'skipped', 'skipped: draft', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
		`INSERT INTO record_events (record_id, run_id, at, state) VALUES (3, 7, '2026-01-01T00:00:00Z', 'sending'), (3, 7, '2026-01-01T00:00:01Z', 'exported')`,
	} {
		if _, err := tx.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open a schema-1 history: %v", err)
	}
	defer s.Close()
	if v, err := s.SchemaVersion(ctx); err != nil || v != len(migrations) {
		t.Fatalf("schema version %d, %v", v, err)
	}
	rec, err := s.RecordFor(ctx, KindInvoice, "1001")
	if err != nil || rec.ID != 3 || rec.XeroID != "guid-1" || rec.ContentHash != "h1" || rec.RunID != 7 || rec.State != StateExported {
		t.Fatalf("invoice record after migration: %+v, %v", rec, err)
	}
	if pay, err := s.RecordFor(ctx, KindPayment, "1001"); err != nil || pay.ID != 5 || pay.Error != "skipped: draft" {
		t.Fatalf("payment record after migration: %+v, %v", pay, err)
	}
	events, err := s.Events(ctx, 3)
	if err != nil || len(events) != 2 || events[1].State != StateExported {
		t.Fatalf("audit trail after migration: %+v, %v", events, err)
	}

	rec.State, rec.Error = StateVoided, "order 1001 was cancelled in OpenCart: its invoice OC-1001 was voided in Xero"
	if _, err := s.SaveRecord(ctx, rec); err != nil {
		t.Fatalf("saving a voided record: %v", err)
	}
	if events, _ := s.Events(ctx, 3); len(events) != 3 || events[2].State != StateVoided {
		t.Fatalf("audit trail after voiding: %+v", events)
	}
	// The database itself still refuses states nobody knows.
	if _, err := s.db.Exec(`UPDATE records SET state = 'gone' WHERE id = 3`); err == nil {
		t.Fatal("the records table accepted an unknown state")
	}
	// The audit trail still belongs to records: deleting a record takes its events.
	var target string
	if err := s.db.QueryRow(`SELECT "table" FROM pragma_foreign_key_list('record_events') WHERE "from" = 'record_id'`).Scan(&target); err != nil || target != "records" {
		t.Fatalf("record_events.record_id refers to %q, %v", target, err)
	}
	if _, err := s.db.Exec(`DELETE FROM records WHERE id = 3`); err != nil {
		t.Fatal(err)
	}
	if events, _ := s.Events(ctx, 3); len(events) != 0 {
		t.Fatalf("events outlived their record: %+v", events)
	}
	var indexes int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND name IN
		('records_state','records_run','record_events_record','record_events_run')`).Scan(&indexes); err != nil || indexes != 4 {
		t.Fatalf("%d of 4 indexes after migration, %v", indexes, err)
	}
}

func TestRecordsAfterIDPagesByID(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	var ids []int64
	for _, oc := range []string{"1", "2", "3", "4"} {
		id, err := s.SaveRecord(ctx, Record{Kind: KindInvoice, OpenCartID: oc, State: StateExported})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	page, err := s.Records(ctx, RecordFilter{Kind: KindInvoice, AfterID: ids[1], Limit: 1})
	if err != nil || len(page) != 1 || page[0].OpenCartID != "3" {
		t.Fatalf("the page after id %d: %+v, %v", ids[1], page, err)
	}
}

// TestDocumentDateMigrationKeepsOlderEvents: a history at schema 7 gains
// record_events.document_date; the events it held read back without a
// date, and a new outcome keeps its document's date.
func TestDocumentDateMigrationKeepsOlderEvents(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "history.db")
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := raw.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 7 {
		if err := migrations[i](tx); err != nil {
			t.Fatalf("migration %d: %v", i+1, err)
		}
	}
	for _, q := range []string{
		`CREATE TABLE schema_version (version INTEGER NOT NULL)`,
		`INSERT INTO schema_version (version) VALUES (7)`,
		`INSERT INTO runs (id, started_at, scope) VALUES (7, '2026-01-01T00:00:00Z', 'all')`,
		`INSERT INTO records (id, kind, opencart_id, xero_id, xero_number, state, error, content_hash, run_id, created_at, updated_at)
		 VALUES (3, 'invoice', '1001', 'guid-1', 'OC-1001', 'exported', '', 'h1', 7, '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z')`,
		`INSERT INTO record_events (record_id, run_id, at, state) VALUES (3, 7, '2026-01-01T00:00:01Z', 'exported')`,
	} {
		if _, err := tx.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open a schema-7 history: %v", err)
	}
	defer s.Close()
	if v, err := s.SchemaVersion(ctx); err != nil || v != len(migrations) || v < 8 {
		t.Fatalf("schema version %d, %v", v, err)
	}
	rec, err := s.RecordFor(ctx, KindInvoice, "1001")
	if err != nil {
		t.Fatal(err)
	}
	rec.State, rec.DocumentDate = StateChanged, "2026-01-02"
	if _, err := s.SaveRecord(ctx, rec); err != nil {
		t.Fatal(err)
	}
	events, err := s.Events(ctx, 3)
	if err != nil || len(events) != 2 {
		t.Fatalf("events %+v, %v", events, err)
	}
	if events[0].DocumentDate != "" || events[1].DocumentDate != "2026-01-02" {
		t.Errorf("document dates %q and %q, want none for the older event and 2026-01-02", events[0].DocumentDate, events[1].DocumentDate)
	}
}
