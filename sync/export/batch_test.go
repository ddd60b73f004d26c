package export

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// TestSendBatchSendsNothingTwice holds sendBatch to the rule every write
// to Xero relies on: the records are "sending" (under the call's key)
// before the call, a record Xero answered about is recorded with its
// outcome, and one without an answer stays "sending" to be looked up.
func TestSendBatchSendsNothingTwice(t *testing.T) {
	noAnswer := errors.New("connection reset by peer")
	refused := &xero.ValidationError{Messages: []string{"Account could not be found"}}
	saved := func(id string) xero.Result[string] { return xero.Result[string]{Item: id} }
	for _, tc := range []struct {
		name    string
		results []xero.Result[string] // Xero's answer to the three records
		err     error                 // the call's own error
		want    []string              // each record's state afterwards
	}{
		{"every record answered", []xero.Result[string]{saved("x-1"), {Err: refused}, saved("x-3")}, nil,
			[]string{history.StateExported, history.StateFailed, history.StateExported}},
		{"one record unanswered", []xero.Result[string]{saved("x-1"), {Err: noAnswer}, {Err: refused}}, nil,
			[]string{history.StateExported, history.StateSending, history.StateFailed}},
		{"the call stopped after an answer", []xero.Result[string]{saved("x-1"), {Err: noAnswer}, {Err: noAnswer}}, noAnswer,
			[]string{history.StateExported, history.StateSending, history.StateSending}},
		{"no answer at all", nil, noAnswer,
			[]string{history.StateSending, history.StateSending, history.StateSending}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			r := testRun(t)
			jobs := make([]*history.Record, 3)
			for i := range jobs {
				jobs[i] = &history.Record{Kind: history.KindPayment, OpenCartID: strconv.Itoa(i + 1),
					State: history.StateFailed, IdempotencyKey: "earlier-key"}
				if _, err := r.hist().SaveRecord(ctx, *jobs[i]); err != nil {
					t.Fatal(err)
				}
			}
			toSend := func(rec *history.Record) (string, pending) {
				return "payment " + rec.OpenCartID, pending{rec: rec, hash: "hash " + rec.OpenCartID}
			}
			called := false
			call := func(_ context.Context, docs []string, key string) ([]xero.Result[string], error) {
				called = true
				if len(docs) != 3 || docs[0] != "payment 1" {
					t.Errorf("sent %q", docs)
				}
				if key == "" || key == "earlier-key" {
					t.Errorf("sent under the key %q: a batch sent again needs a new one", key)
				}
				for _, rec := range jobs {
					got := record(t, r, rec.OpenCartID)
					if got.State != history.StateSending || got.IdempotencyKey != key || got.ContentHash != "hash "+rec.OpenCartID {
						t.Errorf("record %s when Xero gets it: %s, key %q, hash %q; want sending under the call's key", rec.OpenCartID, got.State, got.IdempotencyKey, got.ContentHash)
					}
				}
				return tc.results, tc.err
			}
			var answered []string
			err := sendBatch(r, "payments", jobs, toSend, call, func(rec *history.Record, res xero.Result[string]) error {
				answered = append(answered, rec.OpenCartID)
				if res.Err == nil {
					rec.State, rec.XeroID = history.StateExported, res.Item
				} else {
					rec.State, rec.Error = history.StateFailed, r.xeroReason(res.Err)
				}
				return r.settleErr(*rec, Outcome{})
			})
			if !called {
				t.Fatal("nothing was sent")
			}
			if (err != nil) != (tc.err != nil) || err != nil && !errors.Is(err, tc.err) {
				t.Errorf("sendBatch returned %v; want %v", err, tc.err)
			}
			var wantAnswered []string
			for i, state := range tc.want {
				id := strconv.Itoa(i + 1)
				got := record(t, r, id)
				if got.State != state {
					t.Errorf("record %s is %s; want %s", id, got.State, state)
				}
				switch state {
				case history.StateSending:
					if !strings.Contains(got.Error, "no answer from Xero") || !strings.Contains(got.Error, noAnswer.Error()) {
						t.Errorf("record %s left sending says %q; want why", id, got.Error)
					}
				default:
					wantAnswered = append(wantAnswered, id)
				}
			}
			if strings.Join(answered, ",") != strings.Join(wantAnswered, ",") {
				t.Errorf("answers recorded for %q; want %q", answered, wantAnswered)
			}
		})
	}
}

// TestSendBatchStopsWhenSendingCannotBeRecorded: a batch whose "sending"
// state cannot be written is not sent at all.
func TestSendBatchStopsWhenSendingCannotBeRecorded(t *testing.T) {
	r := testRun(t)
	if err := r.hist().Close(); err != nil {
		t.Fatal(err)
	}
	rec := &history.Record{Kind: history.KindPayment, OpenCartID: "1"}
	toSend := func(rec *history.Record) (string, pending) { return "payment", pending{rec: rec, hash: "hash"} }
	call := func(context.Context, []string, string) ([]xero.Result[string], error) {
		t.Error("sent although its records could not be marked sending")
		return nil, nil
	}
	err := sendBatch(r, "payments", []*history.Record{rec}, toSend, call, func(*history.Record, xero.Result[string]) error {
		t.Error("an answer without a call")
		return nil
	})
	if err == nil {
		t.Error("no error")
	}
}

// TestSendBatchOfNothingCallsNothing: an empty batch is no call to Xero.
func TestSendBatchOfNothingCallsNothing(t *testing.T) {
	r := testRun(t)
	toSend := func(rec *history.Record) (string, pending) { return "payment", pending{rec: rec} }
	call := func(context.Context, []string, string) ([]xero.Result[string], error) {
		t.Error("an empty batch was sent")
		return nil, nil
	}
	if err := sendBatch(r, "payments", nil, toSend, call, func(*history.Record, xero.Result[string]) error { return nil }); err != nil {
		t.Error(err)
	}
}

// testRun is a run with only a history, as sendBatch needs.
func testRun(t *testing.T) *run {
	t.Helper()
	ctx := context.Background()
	h, err := history.Open(ctx, filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	id, err := h.StartRun(ctx, string(ScopePayments), "test", false)
	if err != nil {
		t.Fatal(err)
	}
	e := &Engine{cfg: Config{History: h, Progress: discard, Now: time.Now, BatchSize: 50}}
	return &run{e: e, ctx: ctx, bg: ctx, sum: Summary{RunID: id}, eta: newETA(time.Now), stage: StagePayments}
}

func record(t *testing.T, r *run, id string) history.Record {
	t.Helper()
	rec, err := r.hist().RecordFor(context.Background(), history.KindPayment, id)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}
