package export

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/history"
)

// SinceLayout is how the start-date cut-off is written (setting
// export.since): a day, in the shop's time.
const SinceLayout = "2006-01-02"

// ParseSince reads the start-date cut-off; "" is no cut-off.
func ParseSince(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(SinceLayout, v)
	if err != nil {
		return time.Time{}, errors.New("a start date is written YYYY-MM-DD, e.g. 2026-11-01")
	}
	return t, nil
}

// since is the earliest order date a run takes: the request's, or the
// cut-off of the settings when that is later.
func (r *run) since() time.Time {
	cut := r.e.cfg.Settings.OrdersSince
	if cut.After(r.req.Since) {
		return cut
	}
	return r.req.Since
}

// countKind counts one exported document of a kind, once.
func (s *Summary) countKind(kind, key string) {
	if s.ByKind == nil {
		s.ByKind, s.counted = map[string]int{}, map[string]bool{}
	}
	if s.counted[kind+"/"+key] {
		return
	}
	s.counted[kind+"/"+key] = true
	s.ByKind[kind]++
}

// takeDate widens the run's order date range to t.
func (s *Summary) takeDate(t time.Time) {
	if t.IsZero() {
		return
	}
	if s.OrdersFrom.IsZero() || t.Before(s.OrdersFrom) {
		s.OrdersFrom = t
	}
	if t.After(s.OrdersTo) {
		s.OrdersTo = t
	}
}

// kindWords are the document kinds in the order a summary names them,
// singular and plural.
var kindWords = []struct{ kind, one, many string }{
	{history.KindInvoice, "invoice", "invoices"},
	{history.KindCreditNote, "credit note", "credit notes"},
	{history.KindPayment, "payment", "payments"},
	{history.KindContact, "contact", "contacts"},
}

// KindsText counts documents per kind in words: "12 invoices, 3 credit
// notes, 9 payments, 5 contacts"; kinds with none are left out, "nothing"
// when all are.
func KindsText(byKind map[string]int) string {
	var parts []string
	for _, k := range kindWords {
		switch n := byKind[k.kind]; n {
		case 0:
		case 1:
			parts = append(parts, "1 "+k.one)
		default:
			parts = append(parts, fmt.Sprintf("%d %s", n, k.many))
		}
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

// Where the bookkeeper changes what makes an order excluded.
const (
	whereStatuses = "Settings › Which records export"
	whereSince    = "Settings › Which records export › Export orders placed from"
)

// Excluded says why an order (with its invoice, payment and credit notes)
// is never taken by a run under these settings, in the words the grid and
// the preview show ("Excluded: status Canceled — Settings › Which records
// export"); "" when it is taken. It is the same rule as the run's order
// selection (exportableStatuses, since).
func (s Settings) Excluded(statusID int, status string, placed time.Time) string {
	switch {
	case statusID == 0:
		return "Excluded: an unconfirmed checkout (no order status), never exported"
	case slices.Contains(s.SkipStatusIDs, statusID):
		return "Excluded: status " + status + " — " + whereStatuses
	case !s.OrdersSince.IsZero() && placed.Before(s.OrdersSince):
		return "Excluded: placed before " + s.OrdersSince.Format(SinceLayout) + ", the export start date — " + whereSince
	}
	return ""
}

// ErrSettings is matched (errors.Is) by a run stopped by the bookkeeper's
// choices: incomplete, or naming accounts or tax rates Xero does not have.
// The window answers it with an "Open settings" button.
var ErrSettings = errors.New("the export settings need attention")

// settingsError marks an error as one about the settings; its text is the
// error's own.
type settingsError struct{ err error }

func (e settingsError) Error() string        { return e.err.Error() }
func (e settingsError) Unwrap() error        { return e.err }
func (e settingsError) Is(target error) bool { return target == ErrSettings }

// ExcludedCustomer says why a customer account is not exported as a
// contact on its own under these settings; "" when it is. (A customer
// with an exported order becomes a contact with that order whatever this
// says.)
func (s Settings) ExcludedCustomer(enabled bool) string {
	if s.CustomersEnabledOnly && !enabled {
		return "Excluded: a disabled account (exported only with an order) — Settings › Which records export › Customers"
	}
	return ""
}
