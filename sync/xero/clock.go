package xero

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// Clock tells the time and waits. Tests and demos use ScaledClock to run
// Xero's minute windows, Retry-After waits and token lifetimes faster.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx is done.
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the real clock.
func SystemClock() Clock { return systemClock{} }

type systemClock struct{}

// Now is the real time.
func (systemClock) Now() time.Time { return time.Now() }

// Sleep waits d of real time.
func (systemClock) Sleep(ctx context.Context, d time.Duration) error { return sleepCtx(ctx, d) }

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// ScaledClock runs time faster: with scale 0.001 a minute passes in 60 ms of
// real time. It starts at start (the real time when start is zero).
func ScaledClock(start time.Time, scale float64) Clock {
	if start.IsZero() {
		start = time.Now()
	}
	return &scaledClock{start: start, realStart: time.Now(), scale: scale}
}

type scaledClock struct {
	start, realStart time.Time
	scale            float64
}

// Now is the start plus the real time elapsed, divided by the scale.
func (c *scaledClock) Now() time.Time {
	return c.start.Add(time.Duration(float64(time.Since(c.realStart)) / c.scale))
}

// Sleep waits d times the scale of real time.
func (c *scaledClock) Sleep(ctx context.Context, d time.Duration) error {
	return sleepCtx(ctx, time.Duration(float64(d)*c.scale))
}

// Limits Xero sets per organisation (tenant).
const (
	// MaxInFlight is how many calls may run at once per organisation.
	MaxInFlight = 5
	// MaxPerMinute is how many calls may start per minute per organisation.
	MaxPerMinute = 60
	// limitWindow is the minute the client counts calls in, a second longer
	// than Xero's so that calls arriving a little late at Xero never make
	// 61 in Xero's minute.
	limitWindow = time.Minute + time.Second
)

// limiter keeps one organisation's calls within Xero's limits: at most
// MaxInFlight at once and MaxPerMinute started in any 60 seconds.
type limiter struct {
	clock  Clock
	slots  chan struct{}
	mu     sync.Mutex
	starts []time.Time // start times within the last minute, oldest first
}

func newLimiter(c Clock) *limiter {
	return &limiter{clock: c, slots: make(chan struct{}, MaxInFlight)}
}

// acquire waits for a free slot and a free place in the minute window; the
// returned function frees the slot.
func (l *limiter) acquire(ctx context.Context) (func(), error) {
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release := func() { <-l.slots }
	for {
		wait := l.reserve()
		if wait <= 0 {
			return release, nil
		}
		if err := l.clock.Sleep(ctx, wait); err != nil {
			release()
			return nil, err
		}
	}
}

// reserve records a start now and returns 0, or says how long to wait.
func (l *limiter) reserve() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	cut := now.Add(-limitWindow)
	i := 0
	for i < len(l.starts) && !l.starts[i].After(cut) {
		i++
	}
	l.starts = l.starts[i:]
	if len(l.starts) < MaxPerMinute {
		l.starts = append(l.starts, now)
		return 0
	}
	return l.starts[0].Sub(cut) + time.Millisecond
}

// backoff is the wait before try number attempt (1 = first retry): capped
// exponential with jitter in [d/2, d].
func backoff(attempt int, base, limit time.Duration) time.Duration {
	d := base
	for i := 1; i < attempt && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}
