package reconcile

// The cache file keeps what the last read-back found, so that a repeat run
// over the same period asks Xero only for what changed since
// (If-Modified-Since). It is JSON lines: a first line naming the format's
// version and what the documents were read with, then one document
// (documents.go) a line, written and read a line at a time, never whole,
// then a last line with the number of each. A file in any other form (the first version was one JSON object holding
// every document whole), of another version or with a line that does not
// read is not used: the run reads everything and writes the file anew, to
// a temporary file renamed over the old one once complete.

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// cacheVersion is the cache file's format.
const cacheVersion = 2

// maxCacheHead is the longest first line read: a longer one is not this
// format (an old cache is a single line of every document).
const maxCacheHead = 64 << 10

// cacheHead is the cache file's first line.
type cacheHead struct {
	Version int `json:"version"`
	// InvoiceWhere and CreditNoteWhere are the filters the documents were
	// read with; a cache read with other filters is not used.
	InvoiceWhere    string    `json:"invoice_where"`
	CreditNoteWhere string    `json:"credit_note_where"`
	Tenant          string    `json:"tenant"`
	ReadAt          time.Time `json:"read_at"`
}

// cacheLine is one document of the cache file, or its last line (End).
type cacheLine struct {
	CreditNote bool      `json:"credit_note,omitempty"`
	End        *cacheEnd `json:"end,omitempty"`
	document
}

// cacheEnd counts the documents of a complete cache file.
type cacheEnd struct {
	Invoices    int `json:"invoices"`
	CreditNotes int `json:"credit_notes"`
}

// loadCache reads the cache into rc.invoices and rc.notes when it was read
// with the same filters from the same organisation, and returns when that
// read started; the zero time when there is no cache to use (and nothing
// is read).
func (rc *reconciliation) loadCache(invWhere, cnWhere string) time.Time {
	if rc.cfg.CachePath == "" {
		return time.Time{}
	}
	f, err := os.Open(rc.cfg.CachePath)
	if err != nil {
		return time.Time{}
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, maxCacheHead)
	first, err := br.ReadSlice('\n')
	if err != nil {
		return time.Time{} // too long or no line at all: not this format
	}
	var head cacheHead
	if json.Unmarshal(first, &head) != nil || head.Version != cacheVersion || head.InvoiceWhere != invWhere ||
		head.CreditNoteWhere != cnWhere || head.Tenant != rc.cfg.Xero.Tenant() || head.ReadAt.IsZero() {
		return time.Time{}
	}
	var invs, notes []document
	dec := json.NewDecoder(br)
	for {
		var ln cacheLine
		if err := dec.Decode(&ln); err != nil {
			return time.Time{} // cut short, or a line that does not read
		}
		if ln.End != nil {
			if ln.End.Invoices != len(invs) || ln.End.CreditNotes != len(notes) || !errors.Is(dec.Decode(&ln), io.EOF) {
				return time.Time{}
			}
			break
		}
		if ln.ID == "" {
			return time.Time{}
		}
		ln.Status, ln.Currency = rc.names.of(ln.Status), rc.names.of(ln.Currency)
		for _, list := range [][]share{ln.Tax, ln.Accounts} {
			for i := range list {
				list[i].Key = rc.names.of(list[i].Key)
			}
		}
		if ln.CreditNote {
			notes = append(notes, ln.document)
		} else {
			invs = append(invs, ln.document)
		}
	}
	rc.invoices, rc.notes = invs, notes
	return head.ReadAt
}

// saveCache writes the documents read back, a line each, to a temporary
// file and renames it over the cache.
func (rc *reconciliation) saveCache(head cacheHead) (err error) {
	if rc.cfg.CachePath == "" {
		return nil
	}
	defer func() {
		if err != nil {
			err = fmt.Errorf("reconcile: cache: %w", err)
		}
	}()
	if err := os.MkdirAll(filepath.Dir(rc.cfg.CachePath), 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	tmp := rc.cfg.CachePath + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	w := bufio.NewWriterSize(f, 64<<10)
	enc := json.NewEncoder(w)
	head.Version = cacheVersion
	if err := enc.Encode(head); err != nil {
		return err
	}
	for _, kind := range []struct {
		docs []document
		note bool
	}{{rc.invoices, false}, {rc.notes, true}} {
		for _, d := range kind.docs {
			if err := enc.Encode(cacheLine{CreditNote: kind.note, document: d}); err != nil {
				return err
			}
		}
	}
	if err := enc.Encode(cacheLine{End: &cacheEnd{Invoices: len(rc.invoices), CreditNotes: len(rc.notes)}}); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, rc.cfg.CachePath)
}
