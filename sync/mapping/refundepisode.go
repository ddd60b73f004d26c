package mapping

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// RefundEpisode is the refund a refund status's credit note was sent for:
// when the order last entered a refund status, and which statuses counted
// as refunds then. The statuses are kept because the settings may change
// which do: a change of settings must never make the same refund look
// like a new one (and so credit it twice).
type RefundEpisode struct {
	Entered time.Time
	// Statuses are the order status ids taken as refunds when the credit
	// note was sent; nil when not known (episodes kept before they were).
	Statuses []int
}

const (
	episodePrefix   = "refund entered "
	episodeStatuses = "; refund statuses "
)

// RefundEpisodeOf is the order's refund as these options see it now: when
// it last entered a refund status, and the statuses taken as refunds (by
// id, by name among the shop's statuses, and those of its own history).
func (o Options) RefundEpisodeOf(order opencart.Order) RefundEpisode {
	e := RefundEpisode{Entered: refundDate(order, o)}
	e.Statuses = slices.Clone(o.RefundStatusIDs)
	for id, name := range o.StatusNames {
		if o.isRefundStatus(id, name) {
			e.Statuses = append(e.Statuses, id)
		}
	}
	for _, h := range order.History {
		if o.isRefundStatus(h.StatusID, h.Status) {
			e.Statuses = append(e.Statuses, h.StatusID)
		}
	}
	if o.isRefundStatus(order.StatusID, order.Status) {
		e.Statuses = append(e.Statuses, order.StatusID)
	}
	slices.Sort(e.Statuses)
	e.Statuses = slices.Compact(e.Statuses)
	if e.Statuses == nil {
		e.Statuses = []int{}
	}
	return e
}

// String is the episode as kept on its credit note's record:
// "refund entered 2026-03-01T10:00:00Z; refund statuses 11,12,13".
func (e RefundEpisode) String() string {
	s := episodePrefix + e.Entered.UTC().Format(time.RFC3339)
	if e.Statuses == nil {
		return s
	}
	ids := make([]string, len(e.Statuses))
	for i, id := range e.Statuses {
		ids[i] = strconv.Itoa(id)
	}
	return s + episodeStatuses + strings.Join(ids, ",")
}

// ParseRefundEpisode reads back an episode kept by String, also one kept
// before the statuses were ("refund entered …" alone: Statuses nil). It
// reports false for anything else, such as the empty text of a record
// made before episodes were kept.
func ParseRefundEpisode(s string) (RefundEpisode, bool) {
	rest, ok := strings.CutPrefix(s, episodePrefix)
	if !ok {
		return RefundEpisode{}, false
	}
	at, list, withStatuses := strings.Cut(rest, episodeStatuses)
	entered, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return RefundEpisode{}, false
	}
	e := RefundEpisode{Entered: entered}
	if !withStatuses {
		return e, true
	}
	e.Statuses = []int{}
	for _, f := range strings.Split(list, ",") {
		if f == "" {
			continue
		}
		id, err := strconv.Atoi(f)
		if err != nil {
			return RefundEpisode{}, false
		}
		e.Statuses = append(e.Statuses, id)
	}
	return e, true
}

// RefundGivenAgain reports whether the order's refund now is another than
// the episode's: since the episode's refund was given, the order's history
// shows it in a status that counts as a refund neither under these options
// nor under those the episode was sent with (Canceled Reversal, Complete) —
// the refund was undone, and the order is refunded again. A status that
// only a change of settings took out of (or put into) the refund statuses
// never parts two refunds: the money went back once. When the episode does
// not say its statuses, these options alone decide.
func (o Options) RefundGivenAgain(order opencart.Order, e RefundEpisode) bool {
	for _, h := range order.History {
		if !h.DateAdded.After(e.Entered) {
			continue
		}
		if o.isRefundStatus(h.StatusID, h.Status) || slices.Contains(e.Statuses, h.StatusID) {
			continue
		}
		return true
	}
	return false
}
