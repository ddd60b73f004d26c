package xero

import (
	"math"
	"time"
)

// Lifetimes of a sign-in [XERO.md §1.4]: the access token lasts 30 minutes;
// the refresh token lapses after 60 days unused, and every refresh (each
// export that calls Xero) starts its 60 days again.
const (
	AccessTokenLife        = 30 * time.Minute
	RefreshTokenUnusedLife = 60 * 24 * time.Hour
	// LapseWarning is how long before the lapse the bookkeeper is warned
	// (our choice: two weeks leaves time to run an export or sign in).
	LapseWarning = 14 * 24 * time.Hour
)

// ConnectionClock is when a stored sign-in was last renewed and when it
// lapses if nothing renews it.
type ConnectionClock struct {
	// Refreshed is when the tokens were last issued (sign-in or refresh).
	Refreshed time.Time
	// Lapses is when the refresh token dies unused.
	Lapses time.Time
}

// ClockOf is the clock of a sign-in renewed at refreshed; a zero time
// (unknown) is read from the token: its access token was issued
// AccessTokenLife before it expires.
func ClockOf(t *Token, refreshed time.Time) ConnectionClock {
	if refreshed.IsZero() && t != nil && !t.Expiry.IsZero() {
		refreshed = t.Expiry.Add(-AccessTokenLife)
	}
	if refreshed.IsZero() {
		return ConnectionClock{}
	}
	return ConnectionClock{Refreshed: refreshed, Lapses: refreshed.Add(RefreshTokenUnusedLife)}
}

// DaysLeft is the whole days from now until the lapse (0 on its last day,
// negative after it).
func (c ConnectionClock) DaysLeft(now time.Time) int {
	return int(math.Floor(c.Lapses.Sub(now).Hours() / 24))
}

// Warn reports whether the lapse is LapseWarning or less away (or past).
func (c ConnectionClock) Warn(now time.Time) bool {
	return !c.Lapses.IsZero() && c.Lapses.Sub(now) <= LapseWarning
}
