package mapping

import (
	"slices"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// episodeOrder is an order whose history enters these statuses a day
// apart from 1 March 2026 (Complete first).
func episodeOrder(statuses ...int) opencart.Order {
	names := map[int]string{5: "Complete", 9: "Canceled Reversal", 11: "Refunded", 12: "Reversed", 13: "Chargeback"}
	start := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	o := opencart.Order{ID: 1, StatusID: 5, Status: "Complete", History: []opencart.OrderHistory{{StatusID: 5, Status: "Complete", DateAdded: start}}}
	for i, st := range statuses {
		o.History = append(o.History, opencart.OrderHistory{StatusID: st, Status: names[st], DateAdded: start.AddDate(0, 0, 1+i)})
		o.StatusID, o.Status = st, names[st]
	}
	return o
}

// refundOptions takes these statuses (and only these) as refunds.
func refundOptions(ids ...int) Options {
	o := DefaultOptions()
	o.RefundStatusIDs, o.RefundStatusNames = ids, nil
	return o
}

func TestRefundEpisodeReadsBackWhatItKeeps(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, e := range []RefundEpisode{{Entered: at, Statuses: []int{11, 12, 13}}, {Entered: at, Statuses: []int{}}, {Entered: at}} {
		got, ok := ParseRefundEpisode(e.String())
		if !ok || !got.Entered.Equal(e.Entered) || !slices.Equal(got.Statuses, e.Statuses) || (got.Statuses == nil) != (e.Statuses == nil) {
			t.Errorf("ParseRefundEpisode(%q) = %+v, %v", e.String(), got, ok)
		}
	}
	for _, s := range []string{"", "3f2a9c", "refund entered yesterday", "refund entered 2026-03-02T10:00:00Z; refund statuses 11,x"} {
		if _, ok := ParseRefundEpisode(s); ok {
			t.Errorf("ParseRefundEpisode(%q) read an episode", s)
		}
	}
}

// TestRefundGivenAgainOnlyWhenTheRefundWasUndone: the refund now is
// another only when, since the episode's refund, the order was in a status
// that is a refund neither under the episode's settings nor under these;
// a change of settings alone never parts two refunds.
func TestRefundGivenAgainOnlyWhenTheRefundWasUndone(t *testing.T) {
	for _, c := range []struct {
		name     string
		history  []int
		sentWith Options // the settings the credit note was sent under, at the first refund status
		now      Options
		want     bool
	}{
		{"still the refund it was sent for", []int{11}, refundOptions(11, 12, 13), refundOptions(11, 12, 13), false},
		{"undone and given again", []int{13, 9, 11}, refundOptions(11, 12, 13), refundOptions(11, 12, 13), true},
		{"undone and given again, settings changed too", []int{11, 5, 11}, refundOptions(11, 12, 13), refundOptions(11), true},
		{"a status taken out of the refunds on the way", []int{11, 13, 11}, refundOptions(11, 12, 13), refundOptions(11, 12), false},
		{"a status put into the refunds on the way", []int{11, 13, 11}, refundOptions(11), refundOptions(11, 13), false},
		{"the refund's start moved later by the settings", []int{13, 11}, refundOptions(11, 12, 13), refundOptions(11, 12), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			first := episodeOrder(c.history[0])
			sent := c.sentWith.RefundEpisodeOf(first)
			o := episodeOrder(c.history...)
			if got := c.now.RefundGivenAgain(o, sent); got != c.want {
				t.Errorf("RefundGivenAgain after %v, sent as %q = %v, want %v", c.history, sent, got, c.want)
			}
			// An episode kept without its statuses is judged by the settings now.
			old, _ := ParseRefundEpisode(episodePrefix + sent.Entered.UTC().Format(time.RFC3339))
			if got, want := c.now.RefundGivenAgain(o, old), c.now.RefundGivenAgain(o, RefundEpisode{Entered: sent.Entered, Statuses: []int{}}); got != want {
				t.Errorf("an episode without its statuses: %v, want %v", got, want)
			}
		})
	}
}
