package xerotest

import (
	"net/url"
	"time"
)

// A paged read-back (GET /Invoices?where=…&page=N&pageSize=1000, page
// after page) would otherwise filter every document of the books again for
// each page, so reading 100,000 invoices back cost the sandbox time
// quadratic in the books. The documents a paged query chose are kept,
// with the books' generation, for the query's next page; any write (and
// any reindex) moves the generation on, so a kept choice is never used
// once the books changed. Only references are kept: each page is copied
// when it is answered, as before.

// listCache is the last paged list query's choice of documents.
type listCache struct {
	key  string
	gen  uint64
	docs []document
}

// listKey names a paged list query: the kind, every parameter but the page,
// and If-Modified-Since; "" for a query that is not paged (not kept).
func listKey(k *docKind, r *req, since time.Time) string {
	if r.q.Get("page") == "" {
		return ""
	}
	q := url.Values{}
	for name, v := range r.q {
		if name != "page" {
			q[name] = v
		}
	}
	return k.plural + "?" + q.Encode() + "|" + since.UTC().Format(time.RFC3339Nano)
}

// keptList is the kept choice of the query key, if the books are unchanged
// since it was made. Call it under the server's lock.
func (o *org) keptList(key string) ([]document, bool) {
	if key == "" || o.list == nil || o.list.key != key || o.list.gen != o.gen.Load() {
		return nil, false
	}
	return o.list.docs, true
}

// keepList keeps the choice of the query key for its next page. Call it
// under the server's lock.
func (o *org) keepList(key string, docs []document) {
	if key == "" {
		return
	}
	o.list = &listCache{key: key, gen: o.gen.Load(), docs: docs}
}
