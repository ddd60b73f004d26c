package export

import (
	"slices"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// TestCreditsToWithdraw: a sent credit note is withdrawn when its reason
// left what the shop gave back, or when the ledger reissues it; one whose
// reason stands is kept, and one never sent or already withdrawn is not
// withdrawn again.
func TestCreditsToWithdraw(t *testing.T) {
	sent := func(key, state string) history.Record {
		return history.Record{Kind: history.KindCreditNote, OpenCartID: key, XeroID: "x-" + key, State: state}
	}
	refund, ret7, ret8 := history.RefundKey(5), history.ReturnKey(7), history.ReturnKey(8)
	for _, c := range []struct {
		name    string
		reasons []int // return ids in the ledger, 0 = the refund status
		recs    []history.Record
		reissue []int
		want    []string
	}{
		{"reasons stand", []int{7, 0}, []history.Record{sent(refund, history.StateExported), sent(ret7, history.StateExported)}, nil, nil},
		{"the refund status left", []int{7}, []history.Record{sent(refund, history.StateExported), sent(ret7, history.StateExported)}, nil, []string{refund}},
		{"a return's action gives no money now, or it was deleted", nil, []history.Record{sent(ret7, history.StateExported), sent(ret8, history.StateFailed)}, nil, []string{ret7, ret8}},
		{"the refund's part grew", []int{0}, []history.Record{sent(refund, history.StateExported)}, []int{0}, []string{refund}},
		{"never sent, or withdrawn already", nil, []history.Record{{Kind: history.KindCreditNote, OpenCartID: ret7, State: history.StateSkipped},
			sent(ret8, history.StateVoided), sent(refund, history.StateDeleted)}, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := &orderLedger{order: opencart.Order{ID: 5}, recs: map[string]history.Record{}}
			for _, id := range c.reasons {
				l.ledger.Reasons = append(l.ledger.Reasons, mapping.Reason{ReturnID: id})
			}
			for _, rec := range c.recs {
				l.recs[rec.OpenCartID] = rec
			}
			var got []string
			for _, rec := range creditsToWithdraw(l, c.reissue) {
				got = append(got, rec.OpenCartID)
			}
			slices.Sort(c.want)
			if !slices.Equal(got, c.want) {
				t.Errorf("withdrawn %q, want %q", got, c.want)
			}
		})
	}
}
