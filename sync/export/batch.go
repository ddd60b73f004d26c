package export

// Every write to Xero goes through sendBatch, so that nothing is sent
// twice: the records are written "sending" before the call, a record Xero
// gave no answer about stays "sending" (the next run looks it up in Xero
// before sending it again), and a record Xero answered about is recorded
// with its outcome. Each kind of document supplies only what differs: the
// documents, the call, and what an answer means for its record.

import (
	"context"
	"errors"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// pending is a record about to be sent with the content hash of its
// document and, for invoices and customers' contacts, the fingerprint of
// the OpenCart record it was made from.
type pending struct {
	rec          *history.Record
	hash, source string
}

// sendBatch sends the jobs' documents to Xero in one call; toSend gives a
// job's document and its record. Before the call every record is written
// "sending" (markSending); a record the call brought no answer about is
// left "sending" (leaveSending); answered gets every job Xero answered
// about, saved (res.Err nil) or refused (a record error), and records its
// outcome (its errors are returned as they are). When the call stopped
// with an error, that error is returned, as fatal, once every answer is
// recorded. No jobs, no call.
func sendBatch[J, D, T any](r *run, kind string, jobs []J, toSend func(J) (D, pending),
	call func(ctx context.Context, docs []D, key string) ([]xero.Result[T], error),
	answered func(j J, res xero.Result[T]) error) error {
	if len(jobs) == 0 {
		return nil
	}
	docs := make([]D, len(jobs))
	batch := make([]pending, len(jobs))
	for i, j := range jobs {
		docs[i], batch[i] = toSend(j)
	}
	key, err := r.markSending(kind, batch)
	if err != nil {
		return err
	}
	results, err := call(r.bg, docs, key)
	for i, j := range jobs {
		res := xero.Result[T]{Index: i, Err: err}
		if i < len(results) {
			res = results[i]
		} else if err == nil {
			res.Err = errNoAnswer
		}
		if res.Err != nil && !isRecordErr(res.Err) {
			if serr := r.leaveSending(*batch[i].rec, res.Err); serr != nil {
				return r.fatal(serr)
			}
			continue
		}
		if aerr := answered(j, res); aerr != nil {
			return aerr
		}
	}
	if err != nil {
		return r.fatal(err)
	}
	return nil
}

// errNoAnswer stands for a record Xero's answer left out.
var errNoAnswer = errors.New("the reply from Xero left this record out")

// markSending chooses the Idempotency-Key of a batch and writes every
// record's "sending" state before the call, so that a crash during the
// call is resolved on the next run by looking the records up. The key
// covers the contents and each record's previous key, so a batch sent again
// after an unanswered call gets a new key (Xero caches errors under a key).
func (r *run) markSending(kind string, batch []pending) (string, error) {
	parts := []string{kind}
	for _, p := range batch {
		parts = append(parts, p.hash, p.rec.IdempotencyKey)
	}
	key := xero.IdempotencyKey(parts...)
	recs := make([]history.Record, len(batch))
	for i, p := range batch {
		p.rec.State, p.rec.Error, p.rec.ContentHash, p.rec.SourceHash, p.rec.IdempotencyKey, p.rec.RunID = history.StateSending, "", p.hash, p.source, key, r.sum.RunID
		recs[i] = *p.rec
	}
	// One transaction: the whole batch is "sending", or none of it is.
	if _, err := r.hist().SaveRecords(r.bg, recs); err != nil {
		return "", r.fatal(err)
	}
	return key, nil
}

// isRecordErr reports whether Xero answered about this record (refused it),
// as opposed to the request failing without an answer.
func isRecordErr(err error) bool {
	var ve *xero.ValidationError
	var re *xero.RequestError
	return errors.As(err, &ve) || errors.As(err, &re)
}

// leaveSending keeps a record in the "sending" state with the reason: the
// request got no answer, so whether Xero saved it is unknown until the next
// run looks it up.
func (r *run) leaveSending(rec history.Record, err error) error {
	rec.State, rec.RunID = history.StateSending, r.sum.RunID
	rec.Error = "no answer from Xero (" + err.Error() + "); it is looked up in Xero before it is sent again"
	_, serr := r.hist().SaveRecord(r.bg, rec)
	return serr
}
