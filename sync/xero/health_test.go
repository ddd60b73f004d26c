package xero

import (
	"testing"
	"time"
)

func TestConnectionClock(t *testing.T) {
	renewed := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		tok      *Token
		renewed  time.Time
		now      time.Time
		daysLeft int
		warn     bool
	}{
		{"just renewed", nil, renewed, renewed, 60, false},
		{"renewal read from the token", &Token{Expiry: renewed.Add(AccessTokenLife)}, time.Time{}, renewed.Add(time.Hour), 59, false},
		{"15 days left", nil, renewed, renewed.Add(45 * 24 * time.Hour), 15, false},
		{"14 days left: warned", nil, renewed, renewed.Add(46 * 24 * time.Hour), 14, true},
		{"last day", nil, renewed, renewed.Add(60*24*time.Hour - time.Hour), 0, true},
		{"lapsed", nil, renewed, renewed.Add(61 * 24 * time.Hour), -1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ClockOf(tc.tok, tc.renewed)
			if got := c.DaysLeft(tc.now); got != tc.daysLeft {
				t.Errorf("days left %d, want %d", got, tc.daysLeft)
			}
			if got := c.Warn(tc.now); got != tc.warn {
				t.Errorf("warn %v, want %v", got, tc.warn)
			}
		})
	}
	if c := ClockOf(nil, time.Time{}); !c.Lapses.IsZero() || c.Warn(renewed) {
		t.Errorf("unknown clock: %+v", c)
	}
}
