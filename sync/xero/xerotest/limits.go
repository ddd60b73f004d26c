package xerotest

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// limiter holds one tenant's rate-limit state [XERO.md §6]: calls in flight,
// a sliding minute of admitted calls, and a fixed day window starting at
// the first call.
type limiter struct {
	inflight int
	minute   []time.Time
	dayStart time.Time
	dayCount int
}

const (
	xeroMinute = time.Minute
	xeroDay    = 24 * time.Hour
)

// prune drops calls that left the (scaled) windows; s.mu is held.
func (s *Server) prune(l *limiter, now time.Time) {
	cut := now.Add(-s.scaled(xeroMinute))
	i := 0
	for i < len(l.minute) && !l.minute[i].After(cut) {
		i++
	}
	l.minute = l.minute[i:]
	if l.dayStart.IsZero() || !now.Before(l.dayStart.Add(s.scaled(xeroDay))) {
		l.dayStart, l.dayCount = now, 0
	}
	j := 0
	for j < len(s.appCalls) && !s.appCalls[j].After(cut) {
		j++
	}
	s.appCalls = s.appCalls[j:]
}

// admit takes a call slot for o, or answers 429 and returns false.
// The caller must call release when admitted.
func (s *Server) admit(c *call, o *org) bool {
	s.mu.Lock()
	now := s.now()
	l := &o.lim
	s.prune(l, now)
	problem, wait := "", time.Duration(0)
	switch {
	case l.dayCount >= s.opts.DayLimit:
		problem, wait = "day", l.dayStart.Add(s.scaled(xeroDay)).Sub(now)
	case len(l.minute) >= s.opts.MinuteLimit:
		problem, wait = "minute", l.minute[0].Add(s.scaled(xeroMinute)).Sub(now)
	case len(s.appCalls) >= s.opts.AppMinuteLimit:
		problem, wait = "appminute", s.appCalls[0].Add(s.scaled(xeroMinute)).Sub(now)
	case l.inflight >= s.opts.Concurrency:
		problem, wait = "concurrent", s.scaled(time.Second)
	}
	if problem == "" {
		l.inflight++
		l.minute = append(l.minute, now)
		l.dayCount++
		s.appCalls = append(s.appCalls, now)
	}
	s.setLimitHeaders(c, l)
	s.mu.Unlock()
	if problem != "" {
		s.writeRateLimited(c, problem, wait)
		return false
	}
	return true
}

func (s *Server) release(o *org) {
	s.mu.Lock()
	o.lim.inflight--
	s.mu.Unlock()
}

// setLimitHeaders adds X-DayLimit-Remaining, X-MinLimit-Remaining and
// X-AppMinLimit-Remaining; s.mu is held.
func (s *Server) setLimitHeaders(c *call, l *limiter) {
	h := c.w.Header()
	h.Set("X-DayLimit-Remaining", strconv.Itoa(max(s.opts.DayLimit-l.dayCount, 0)))
	h.Set("X-MinLimit-Remaining", strconv.Itoa(max(s.opts.MinuteLimit-len(l.minute), 0)))
	h.Set("X-AppMinLimit-Remaining", strconv.Itoa(max(s.opts.AppMinuteLimit-len(s.appCalls), 0)))
}

// writeRateLimited answers 429. wait is real time (already scaled):
// Retry-After is it in whole seconds, rounded up, at least 1, so a client
// that obeys Retry-After works unchanged under a small TimeScale;
// X-Sandbox-Retry-After-Ms gives it to the millisecond.
func (s *Server) writeRateLimited(c *call, problem string, wait time.Duration) {
	h := c.w.Header()
	h.Set("Retry-After", strconv.Itoa(max(int(math.Ceil(wait.Seconds())), 1)))
	h.Set("X-Rate-Limit-Problem", problem)
	h.Set("X-Sandbox-Retry-After-Ms", strconv.FormatInt(max(wait.Milliseconds(), 1), 10))
	writeProblem(c.w, http.StatusTooManyRequests, "Too Many Requests", "You have exceeded the "+problem+" rate limit.")
}

// InFlight is how many Accounting calls for tenantID are being handled now.
func (s *Server) InFlight(tenantID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.org(tenantID); o != nil {
		return o.lim.inflight
	}
	return 0
}
