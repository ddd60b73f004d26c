package export

import (
	"errors"
	"fmt"

	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// Concern is something about a run the bookkeeper must hear of even when
// nobody watched it: told by a desktop notification and the tray icon.
type Concern struct {
	// Kind is one of the Concern* constants.
	Kind string
	// Text says it in the bookkeeper's words.
	Text string
}

// The kinds of Concern.
const (
	// ConcernFailed: records failed; History lists them with the reason.
	ConcernFailed = "failed"
	// ConcernSignIn: Xero no longer accepts the connection (the refresh
	// token lapsed after 60 days unused, or was revoked): sign in again.
	ConcernSignIn = "sign-in"
	// ConcernCalls: the day's Xero calls are used up or running short.
	ConcernCalls = "calls"
	// ConcernStopped: the run stopped on an error that is not a record's.
	ConcernStopped = "stopped"
)

// CallsShort is the number of Xero calls left for the day under which
// exports are said to run short: a run of a few hundred orders takes a few
// dozen calls in batches of 50, so under 100 the next runs may not finish.
// (Our own threshold; Xero allows 1,000 or 5,000 a day by plan, XERO.md §1.6.)
const CallsShort = 100

// Concerns are what a finished run (its summary, error, and the day's
// Xero calls left as last reported, -1 = unknown) gives the bookkeeper to
// hear of; none for a clean run or a cancel.
func Concerns(s Summary, err error, dayCallsLeft int) []Concern {
	var out []Concern
	if s.Failed > 0 {
		records := fmt.Sprintf("%d records", s.Failed)
		if s.Failed == 1 {
			records = "1 record"
		}
		out = append(out, Concern{ConcernFailed, records + " failed in the last export; History lists them with the reason."})
	}
	var auth *xero.AuthError
	var limit *xero.RateLimitError
	switch {
	case err == nil, errors.Is(err, ErrCancelled), errors.Is(err, ErrBusy):
	case errors.As(err, &auth) && auth.Reason != xero.AuthClient:
		out = append(out, Concern{ConcernSignIn, "Xero no longer accepts the connection: sign in to Xero again (Settings → Connect)."})
	case errors.As(err, &limit) && limit.Problem == xero.LimitDay:
		out = append(out, Concern{ConcernCalls, fmt.Sprintf("Xero's calls for today are used up; exports carry on after %s.", limit.Reset.Local().Format("15:04"))})
	default:
		out = append(out, Concern{ConcernStopped, "The last export stopped: " + err.Error()})
	}
	if dayCallsLeft >= 0 && dayCallsLeft < CallsShort && !hasKind(out, ConcernCalls) {
		out = append(out, Concern{ConcernCalls, fmt.Sprintf("Only %d Xero calls are left for today; exports may stop until tomorrow.", dayCallsLeft)})
	}
	return out
}

func hasKind(cs []Concern, kind string) bool {
	for _, c := range cs {
		if c.Kind == kind {
			return true
		}
	}
	return false
}
