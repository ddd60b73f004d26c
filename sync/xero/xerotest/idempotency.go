package xerotest

import (
	"crypto/sha256"
	"net/http"
	"net/http/httptest"
	"time"
)

// Idempotency-Key [XERO.md §5]: keys are per app, up to 128 characters; the
// first answer (errors included) is kept for 6 minutes of the sandbox clock
// (Options.Now; not scaled by TimeScale, so a client's retry backoff under a
// small TimeScale still lands inside the window). The same key with a
// different request gives 400. A replay counts against the rate limits like
// any call and carries the sandbox-only header X-Sandbox-Idempotent-Replay: true.

const (
	idemWindow = 6 * time.Minute
	idemMaxLen = 128
)

type idemEntry struct {
	hash    [32]byte
	created time.Time
	done    chan struct{}
	status  int
	header  http.Header
	body    []byte
}

func (s *Server) idempotent(r *req) {
	key := r.r.Header.Get("Idempotency-Key")
	if len(key) > idemMaxLen {
		writeProblem(r.w, http.StatusBadRequest, "Bad Request", "The Idempotency-Key header must be 128 characters or fewer.")
		return
	}
	h := sha256.New()
	for _, part := range []string{r.r.Method, r.r.URL.Path, r.r.URL.RawQuery, r.o.ID} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	h.Write(r.body)
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	id := r.g.ClientID + "\x00" + key

	s.mu.Lock()
	now := s.now()
	for k, e := range s.idem {
		if now.Sub(e.created) > idemWindow {
			delete(s.idem, k)
		}
	}
	e := s.idem[id]
	if e == nil {
		e = &idemEntry{hash: sum, created: now, done: make(chan struct{})}
		s.idem[id] = e
		s.mu.Unlock()
		rec := httptest.NewRecorder()
		inner := *r.call
		inner.w = rec
		s.dispatch(&req{call: &inner, o: r.o, g: r.g, segs: r.segs, q: r.q, warn: r.warn})
		e.status, e.header, e.body = rec.Code, rec.Header().Clone(), rec.Body.Bytes()
		close(e.done)
		copyRecorded(r.w, e, false)
		return
	}
	s.mu.Unlock()
	if e.hash != sum {
		writeProblem(r.w, http.StatusBadRequest, "Bad Request", "Idempotency Key '"+key+"' is used with a different request")
		return
	}
	select {
	case <-e.done:
	case <-r.r.Context().Done():
		return
	}
	r.replayed = true
	copyRecorded(r.w, e, true)
}

func copyRecorded(w *httptest.ResponseRecorder, e *idemEntry, replay bool) {
	for k, v := range e.header {
		if _, limit := w.Header()[k]; !limit {
			w.Header()[k] = v
		}
	}
	if replay {
		w.Header().Set("X-Sandbox-Idempotent-Replay", "true")
	}
	w.WriteHeader(e.status)
	_, _ = w.Write(e.body)
}
