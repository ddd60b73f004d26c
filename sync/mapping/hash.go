package mapping

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// ContentHash is a fingerprint of a document as it would be sent to Xero
// (canonical JSON: keys sorted, numbers as written), the same on every
// run for the same content. It tells whether a record changed since it
// was exported and makes idempotency keys.
func ContentHash(doc any) (string, error) {
	raw, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("mapping: content hash: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", fmt.Errorf("mapping: content hash: %w", err)
	}
	canonical, err := json.Marshal(v) // maps marshal with sorted keys
	if err != nil {
		return "", fmt.Errorf("mapping: content hash: %w", err)
	}
	sum := sha256.Sum256(canonical)
	return hex.EncodeToString(sum[:]), nil
}

// OrderHash fingerprints what of an order its invoice is made from: the
// order as read, less what changes without changing the invoice (its
// status, history and last-modified time). It tells an order changed in
// OpenCart from an invoice that changed because the settings did. A
// customer account deleted after the order (e.g. a GDPR request) does not
// change the order either: its documents stay on the contact they were
// exported to.
func OrderHash(o opencart.Order) (string, error) {
	o.StatusID, o.Status, o.History, o.DateModified = 0, "", nil, time.Time{}
	o.CustomerDeleted = false
	o.StatusUnknown = false
	// What the reader adds from other tables does not change the order:
	// an upload's file name (its code is the order's own value), the
	// custom fields' names and the tax number read through them.
	o.Products = slices.Clone(o.Products)
	for i := range o.Products {
		p := &o.Products[i]
		if !slices.ContainsFunc(p.Options, func(op opencart.OrderOption) bool { return op.UploadCode != "" }) {
			continue
		}
		p.Options = slices.Clone(p.Options)
		for j := range p.Options {
			if op := &p.Options[j]; op.UploadCode != "" {
				op.Value, op.UploadCode = op.UploadCode, ""
			}
		}
	}
	o.TaxNumber = ""
	return SourceHash(o)
}

// SourceHash fingerprints an OpenCart record as read. Unlike ContentHash it
// needs no canonical form (Go writes a struct's JSON the same way every
// time, maps by sorted key), which makes it several times cheaper: it runs
// for every order and customer of every run.
func SourceHash(v any) (string, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("mapping: source hash: %w", err)
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:]), nil
}
