package export_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

// referenceReads counts the reads a run makes of Xero's organisation,
// accounts, tax rates and currencies.
func (e *env) referenceReads() int {
	c := e.sandbox.Calls()
	return c["GET /Organisation"] + c["GET /Accounts"] + c["GET /TaxRates"] + c["GET /Currencies"]
}

// runAt runs an export with the engine's clock at now.
func (e *env) runAt(s export.Settings, now time.Time, maxAge time.Duration) export.Summary {
	e.t.Helper()
	eng, err := export.New(export.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s, Progress: e.events,
		Now: func() time.Time { return now }, ReferenceMaxAge: maxAge})
	if err != nil {
		e.t.Fatal(err)
	}
	sum, err := eng.Run(context.Background(), export.Request{Scope: export.ScopeAll})
	if err != nil {
		e.t.Fatalf("run: %v", err)
	}
	return sum
}

func (e *env) addVATOrder(id int, currency, rate string) {
	o := vatOrder(id, 0, "Ann", "Lee-"+strconv.Itoa(id), "ann"+strconv.Itoa(id)+"@example.com", 2,
		[]octest.Product{product("Mug", 1, "10.0000", "2.0000")}, nil, "3.0000", "18.0000")
	if currency != "" {
		o.CurrencyCode, o.CurrencyValue = currency, rate
	}
	e.shop.AddOrder(o)
}

// TestExportReusesXeroReference: a run reads Xero's organisation,
// accounts, tax rates and currencies once and later runs reuse them (the
// calls a Starter organisation's day allows go to documents), until they
// are too old, do not fit the settings, lack a currency, or Xero refused a
// record.
func TestExportReusesXeroReference(t *testing.T) {
	e := newEnv(t, opencart.Family40)
	s := e.settings(mapping.StatusDraft)
	day := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	e.addVATOrder(1, "", "")

	e.sandbox.ResetCounters()
	if sum := e.runAt(s, day, 0); !sum.ReferenceRead || e.referenceReads() != 4 || sum.Exported == 0 {
		t.Fatalf("first run: %+v, %d reference reads, want 4", sum, e.referenceReads())
	}

	t.Run("a later run reuses them", func(t *testing.T) {
		e.addVATOrder(2, "", "")
		e.sandbox.ResetCounters()
		sum := e.runAt(s, day.Add(6*time.Hour), 0)
		if sum.ReferenceRead || e.referenceReads() != 0 || sum.Exported != 2 || sum.Failed != 0 {
			t.Fatalf("%+v, %d reference reads, want 0 and the order exported (contact + invoice)", sum, e.referenceReads())
		}
		if sum.APICalls != 2 {
			t.Errorf("%d calls for one new order and its customer, want 2", sum.APICalls)
		}
	})

	t.Run("too old", func(t *testing.T) {
		e.sandbox.ResetCounters()
		if sum := e.runAt(s, day.Add(export.DefaultReferenceMaxAge+time.Hour), 0); !sum.ReferenceRead || e.referenceReads() != 4 {
			t.Fatalf("%+v, %d reference reads, want 4", sum, e.referenceReads())
		}
		e.sandbox.ResetCounters()
		if sum := e.runAt(s, day.Add(export.DefaultReferenceMaxAge+2*time.Hour), -1); !sum.ReferenceRead || e.referenceReads() != 4 {
			t.Fatalf("ReferenceMaxAge < 0: %+v, %d reference reads, want 4", sum, e.referenceReads())
		}
	})

	now := day.Add(export.DefaultReferenceMaxAge + 3*time.Hour)
	t.Run("an account chosen since", func(t *testing.T) {
		// A kept copy from before the sales account existed in Xero.
		raw, err := e.hist.Setting(context.Background(), "xero.reference")
		if err != nil {
			t.Fatal(err)
		}
		var ref map[string]json.RawMessage
		if err := json.Unmarshal([]byte(raw), &ref); err != nil {
			t.Fatal(err)
		}
		var accounts []map[string]any
		if err := json.Unmarshal(ref["accounts"], &accounts); err != nil {
			t.Fatal(err)
		}
		var kept []map[string]any
		for _, a := range accounts {
			if a["Code"] != s.Accounts.Sales {
				kept = append(kept, a)
			}
		}
		if len(kept) == len(accounts) {
			t.Fatalf("sales account %s not in the kept reference", s.Accounts.Sales)
		}
		ref["accounts"], _ = json.Marshal(kept)
		b, _ := json.Marshal(ref)
		if err := e.hist.SetSetting(context.Background(), "xero.reference", string(b)); err != nil {
			t.Fatal(err)
		}
		e.sandbox.ResetCounters()
		if sum := e.runAt(s, now, 0); !sum.ReferenceRead || e.referenceReads() != 4 {
			t.Fatalf("%+v, %d reference reads, want 4 (the kept copy does not fit the settings)", sum, e.referenceReads())
		}
	})

	t.Run("a currency enabled since", func(t *testing.T) {
		e.addVATOrder(3, "JPY", "150.00000000")
		e.sandbox.ResetCounters()
		if sum := e.runAt(s, now, 0); sum.Failed != 1 || e.referenceReads() != 4 {
			t.Fatalf("JPY not enabled: %+v, %d reference reads, want 1 failed after reading Xero again", sum, e.referenceReads())
		}
		if err := e.sandbox.EnableCurrency(tenant, "JPY"); err != nil {
			t.Fatal(err)
		}
		e.sandbox.ResetCounters()
		sum := e.runAt(s, now.Add(time.Minute), 0)
		rec, err := e.hist.RecordFor(context.Background(), history.KindInvoice, "3")
		if err != nil || sum.Failed != 0 || rec.State != history.StateExported || e.referenceReads() != 4 {
			t.Fatalf("JPY enabled: %+v, record %+v %v, %d reference reads, want the order exported after reading Xero again", sum, rec, err, e.referenceReads())
		}
	})

	t.Run("Xero refused a record", func(t *testing.T) {
		// The kept copy says EUR is enabled; it was disabled since, so
		// Xero refuses the invoice and the next run reads Xero again.
		if err := e.sandbox.DisableCurrency(tenant, "EUR"); err != nil {
			t.Fatal(err)
		}
		e.addVATOrder(4, "EUR", "1.15000000")
		e.sandbox.ResetCounters()
		sum := e.runAt(s, now.Add(2*time.Minute), 0)
		rec, err := e.hist.RecordFor(context.Background(), history.KindInvoice, "4")
		if err != nil || sum.ReferenceRead || rec.State != history.StateFailed || e.sandbox.Calls()["PUT /Invoices"] != 1 {
			t.Fatalf("%+v, record %+v %v: want the invoice sent and refused by Xero", sum, rec, err)
		}
		e.sandbox.ResetCounters()
		sum = e.runAt(s, now.Add(3*time.Minute), 0)
		if !sum.ReferenceRead || e.referenceReads() != 4 || e.sandbox.Calls()["PUT /Invoices"] != 0 || sum.Failed != 1 {
			t.Fatalf("%+v, %d reference reads, %d PUT /Invoices: want Xero read again and the EUR order refused before sending",
				sum, e.referenceReads(), e.sandbox.Calls()["PUT /Invoices"])
		}
	})
}
