package xerotest

import (
	"fmt"
	"time"
)

// Lock dates [XERO.md §3.2 "Lock dates"]: an adviser closes the books up to
// a day, and Xero then refuses to post anything dated on or before it:
// approved (AUTHORISED) invoices and credit notes, voiding one, and
// payments. Drafts and documents awaiting approval are still accepted
// (they post nothing). The period lock date binds every user but advisers,
// the end of year lock date every user; the sandbox's caller is never an
// adviser, so both bind.

// LockDates are an organisation's lock dates; a zero time is no lock.
type LockDates struct {
	Period, EndOfYear time.Time
}

// SetLockDates sets a tenant's lock dates (days, in UTC), as an adviser
// does in Xero's financial settings; zero times remove them.
func (s *Server) SetLockDates(tenantID string, l LockDates) error {
	return s.change(tenantID, func(d *OrgData) {
		d.PeriodLockDate, d.EndOfYearLockDate = nil, nil
		if !l.Period.IsZero() {
			d.PeriodLockDate = dateOf(day(l.Period))
		}
		if !l.EndOfYear.IsZero() {
			d.EndOfYearLockDate = dateOf(day(l.EndOfYear))
		}
	})
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// lockErrors are Xero's refusals of something dated date: one per lock
// date on or after it.
func (o *org) lockErrors(date *Date) []string {
	if date == nil {
		return nil
	}
	on := day(date.Time)
	var errs []string
	for _, l := range []struct {
		what string
		at   *Date
	}{{"period lock date", o.data.PeriodLockDate}, {"end of year lock date", o.data.EndOfYearLockDate}} {
		if l.at != nil && !on.After(day(l.at.Time)) {
			errs = append(errs, fmt.Sprintf("The document date cannot be before the %s, currently set at %s", l.what, l.at.Format("02-Jan-2006")))
		}
	}
	return errs
}

// withLockDates adds the tenant's lock dates to the organisation's answer.
func (o *org) withLockDates(org Organisation) Organisation {
	org.PeriodLockDate, org.EndOfYearLockDate = o.data.PeriodLockDate, o.data.EndOfYearLockDate
	return org
}
