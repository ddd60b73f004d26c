package reconcile

import (
	"fmt"
	"time"
)

// Period is the stretch of days a reconciliation covers, as the shop's
// calendar has them: from Since's day up to, not including, Until's day.
// The times are wall-clock dates in the shop's time zone (OpenCart stores
// every date that way, and an invoice is dated on its order's day), so the
// same bounds select the orders in OpenCart and the documents in Xero.
type Period struct {
	Since, Until time.Time
}

// Month is the period of one calendar month.
func Month(year int, month time.Month) Period {
	start := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	return Period{Since: start, Until: start.AddDate(0, 1, 0)}
}

// ParseMonth reads a month written YYYY-MM.
func ParseMonth(s string) (Period, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return Period{}, fmt.Errorf("the period %q is not a month written YYYY-MM", s)
	}
	return Month(t.Year(), t.Month()), nil
}

// ParseDays reads a first and a last day, both YYYY-MM-DD and both included.
func ParseDays(since, until string) (Period, error) {
	a, err := time.Parse(time.DateOnly, since)
	if err != nil {
		return Period{}, fmt.Errorf("the first day %q is not a date written YYYY-MM-DD", since)
	}
	b, err := time.Parse(time.DateOnly, until)
	if err != nil {
		return Period{}, fmt.Errorf("the last day %q is not a date written YYYY-MM-DD", until)
	}
	if b.Before(a) {
		return Period{}, fmt.Errorf("the last day %s is before the first day %s", until, since)
	}
	return Period{Since: a, Until: b.AddDate(0, 0, 1)}, nil
}

// String writes the period as its first and last day.
func (p Period) String() string {
	return p.Since.Format(time.DateOnly) + " to " + p.Until.AddDate(0, 0, -1).Format(time.DateOnly)
}
