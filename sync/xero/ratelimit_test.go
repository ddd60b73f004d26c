package xero

import (
	"net/http"
	"testing"
	"time"
)

// TestRateLimitWaitIsBounded: whatever Retry-After says, the client waits
// between nothing and five minutes on a minute or concurrency limit, and a
// day limit is reported (never slept on) with a wait of at most a day.
func TestRateLimitWaitIsBounded(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, problem, retryAfter string
		want                      time.Duration
	}{
		{"seconds", "minute", "7", 7 * time.Second},
		{"zero", "minute", "0", 0},
		{"spaces", "minute", " 12 ", 12 * time.Second},
		{"missing", "minute", "", time.Second},
		{"negative", "minute", "-30", time.Second},
		{"garbage", "minute", "soon", time.Second},
		{"fraction", "minute", "1.5", time.Second},
		{"an hour on a minute limit", "minute", "3600", maxRateLimitWait},
		{"a year", "concurrent", "31536000", maxRateLimitWait},
		{"overflows a Duration", "minute", "9223372036854775807", maxRateLimitWait},
		{"overflows an int64", "minute", "99999999999999999999999", maxRateLimitWait},
		{"HTTP date", "minute", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"HTTP date far ahead", "minute", now.AddDate(5, 0, 0).Format(http.TimeFormat), maxRateLimitWait},
		{"HTTP date past", "minute", now.Add(-time.Hour).Format(http.TimeFormat), time.Second},
		{"day limit", "day", "7200", 2 * time.Hour},
		{"day limit, huge", "day", "9223372036854775807", 24 * time.Hour},
		{"day limit, negative", "day", "-1", time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			h.Set("X-Rate-Limit-Problem", tc.problem)
			if tc.retryAfter != "" {
				h.Set("Retry-After", tc.retryAfter)
			}
			rl := rateLimitFrom(h, now)
			if rl.RetryAfter != tc.want || !rl.Reset.Equal(now.Add(tc.want)) {
				t.Errorf("Retry-After %q (%s limit): wait %s, reset %s; want %s", tc.retryAfter, tc.problem, rl.RetryAfter, rl.Reset, tc.want)
			}
		})
	}
}
