package xerotest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// FaultKind is a kind of trouble the sandbox can be told to cause.
type FaultKind int

// The fault kinds.
const (
	// FaultDropAfterCommit applies the request, then closes the connection
	// without answering: the client sees a network error although the
	// write happened (and its idempotency result is cached).
	FaultDropAfterCommit FaultKind = iota + 1
	// Fault500 answers 500 with Xero's unhandled-error body, applying nothing.
	Fault500
	// Fault503 answers 503 "The Xero API is currently offline for maintenance".
	Fault503
	// FaultSlow waits Delay (real time) before handling the request; on the
	// Accounting API the wait happens while the call holds a concurrency slot.
	FaultSlow
	// FaultExpireToken answers 401 TokenExpired (Accounting API and
	// /connections) as if the access token had just expired.
	FaultExpireToken
	// Fault429 answers 429 with Retry-After and X-Rate-Limit-Problem: minute.
	Fault429
	// FaultDayLimit answers 429 with Retry-After and X-Rate-Limit-Problem: day.
	FaultDayLimit
	// FaultRefuse answers a write as Xero does with summarizeErrors=false
	// when it refuses every element — 200, each element returned with
	// StatusAttributeString ERROR and Message as its validation error —
	// applying nothing: Xero refusing a document for a reason the sandbox
	// does not model (tests of what the engine does with such a refusal).
	FaultRefuse
)

func (k FaultKind) String() string {
	switch k {
	case FaultDropAfterCommit:
		return "DropAfterCommit"
	case Fault500:
		return "500"
	case Fault503:
		return "503"
	case FaultSlow:
		return "Slow"
	case FaultExpireToken:
		return "ExpireToken"
	case Fault429:
		return "429"
	case FaultDayLimit:
		return "DayLimit"
	case FaultRefuse:
		return "Refuse"
	}
	return "Fault(" + strconv.Itoa(int(k)) + ")"
}

// Fault is trouble injected into matching requests.
type Fault struct {
	// Method matches the HTTP method ("" = any).
	Method string
	// Path matches the request path or anything below it ("" = any), e.g.
	// "/api.xro/2.0/Invoices"; the short form "/Invoices" means the same.
	Path string
	// Kind is what happens.
	Kind FaultKind
	// Times is how many matching requests it hits: 0 or 1 = the next one,
	// n = the next n, -1 = every one until ClearFaults.
	Times int
	// Delay is FaultSlow's wait (real time, not scaled).
	Delay time.Duration
	// RetryAfter is the Retry-After of Fault429 (default 1) and
	// FaultDayLimit (default 3600), in seconds, sent as given.
	RetryAfter int
	// Message is FaultRefuse's validation error.
	Message string
}

// Inject adds a fault; faults are consumed in the order injected.
func (s *Server) Inject(f Fault) {
	if f.Times == 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every pending fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// PendingFaults is how many injected faults have not been used up.
func (s *Server) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.faults)
}

func (f *Fault) matches(r *http.Request) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
		return false
	}
	if f.Path == "" {
		return true
	}
	p := strings.TrimSuffix(f.Path, "/")
	for _, path := range []string{r.URL.Path, strings.TrimPrefix(r.URL.Path, apiPrefix)} {
		if strings.EqualFold(path, p) || strings.HasPrefix(strings.ToLower(path), strings.ToLower(p)+"/") {
			return true
		}
	}
	return false
}

// takeFault returns and uses up the first fault matching r; s.mu is held.
func (s *Server) takeFault(r *http.Request) *Fault {
	for i, f := range s.faults {
		if !f.matches(r) {
			continue
		}
		hit := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &hit
	}
	return nil
}

// applyFault answers the request itself when the fault replaces the
// answer, and reports whether it did.
func (s *Server) applyFault(c *call) bool {
	if c.fault == nil {
		return false
	}
	switch c.fault.Kind {
	case Fault500:
		writeJSON(c.w, http.StatusInternalServerError, map[string]any{"Title": "An error occurred", "Detail": "An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status.", "Status": 500, "Instance": newID()})
	case Fault503:
		c.w.Header().Set("Content-Type", "text/html; charset=utf-8")
		c.w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = c.w.WriteString("The Xero API is currently offline for maintenance")
	case Fault429:
		s.writeRateLimited(c, "minute", time.Duration(orDefault(c.fault.RetryAfter, 1))*time.Second)
	case FaultDayLimit:
		s.writeRateLimited(c, "day", time.Duration(orDefault(c.fault.RetryAfter, 3600))*time.Second)
	case FaultRefuse:
		refuseAll(c)
	case FaultSlow:
		if !strings.HasPrefix(c.r.URL.Path, apiPrefix+"/") {
			s.sleep(c)
		}
		return false
	default:
		return false
	}
	return true
}

// sleep carries out FaultSlow's wait, cut short if the client goes away.
func (s *Server) sleep(c *call) {
	if c.fault == nil || c.fault.Kind != FaultSlow || c.fault.Delay <= 0 {
		return
	}
	t := time.NewTimer(c.fault.Delay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-c.r.Context().Done():
	}
}

func orDefault(v, d int) int {
	if v > 0 {
		return v
	}
	return d
}

// refuseAll answers FaultRefuse: every element of the request's list
// comes back as sent, refused with the fault's message.
func refuseAll(c *call) {
	var env map[string]json.RawMessage
	if err := json.Unmarshal(c.body, &env); err != nil {
		writeJSON(c.w, http.StatusBadRequest, map[string]any{"ErrorNumber": 14, "Type": "PostDataInvalidException", "Message": "JSON for the request could not be read"})
		return
	}
	out := map[string]any{}
	for key, raw := range env {
		var elems []map[string]any
		if json.Unmarshal(raw, &elems) != nil {
			continue
		}
		for _, el := range elems {
			el["StatusAttributeString"] = "ERROR"
			el["ValidationErrors"] = []map[string]string{{"Message": c.fault.Message}}
		}
		out[key] = elems
	}
	writeJSON(c.w, http.StatusOK, out)
}
