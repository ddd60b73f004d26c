package export

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/xero"
)

func TestConcerns(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sum   Summary
		err   error
		left  int
		kinds []string
	}{
		{"a clean run", Summary{Exported: 5}, nil, 4000, nil},
		{"calls not known yet", Summary{}, nil, -1, nil},
		{"failed records", Summary{Exported: 5, Failed: 2}, nil, 4000, []string{ConcernFailed}},
		{"revoked connection", Summary{}, fmt.Errorf("preflight: %w", &xero.AuthError{Reason: xero.AuthInvalidGrant}), -1, []string{ConcernSignIn}},
		{"wrong client id is not a sign-in", Summary{}, &xero.AuthError{Reason: xero.AuthClient}, -1, []string{ConcernStopped}},
		{"day limit reached", Summary{Failed: 1}, &xero.RateLimitError{Problem: xero.LimitDay, Reset: time.Now().Add(time.Hour)}, 0, []string{ConcernFailed, ConcernCalls}},
		{"calls running short", Summary{Exported: 1}, nil, CallsShort - 1, []string{ConcernCalls}},
		{"calls at the threshold", Summary{Exported: 1}, nil, CallsShort, nil},
		{"cancelled", Summary{}, ErrCancelled, 3000, nil},
		{"another run", Summary{}, &BusyError{}, 3000, nil},
		{"stopped", Summary{}, errors.New("shop unreachable"), 3000, []string{ConcernStopped}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var kinds []string
			for _, c := range Concerns(tc.sum, tc.err, tc.left) {
				if c.Text == "" {
					t.Errorf("%s without words", c.Kind)
				}
				kinds = append(kinds, c.Kind)
			}
			if !slices.Equal(kinds, tc.kinds) {
				t.Fatalf("concerns %v, want %v", kinds, tc.kinds)
			}
		})
	}
}
