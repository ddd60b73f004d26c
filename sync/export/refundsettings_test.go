package export_test

import (
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

// refundStatuses makes these order statuses (and only these) the refund
// statuses of the settings, by id and by name, as Settings' status rows do.
func refundStatuses(s *export.Settings, ids ...int) {
	s.RefundStatusIDs, s.RefundStatusNames = nil, nil
	for _, id := range ids {
		s.RefundStatusIDs = append(s.RefundStatusIDs, id)
		s.RefundStatusNames = append(s.RefundStatusNames, octest.OrderStatuses[id])
	}
}

// TestRefundStatusSettingsChangeNeverCreditsTwice: which order statuses
// count as refunds changes between runs, the order's history does not.
// The refund's credit note was sent for the refund as it was; a status
// the change took out of (or put into) the refund statuses does not make
// the refund another, so nothing is withdrawn and nothing sent again (it
// was: the refund's start moved with the settings, and its credit note
// was voided and credited a second time). A change that takes the order's
// own status out of the refunds withdraws the credit, one that puts it
// back credits it again: per the ledger, from the settings now.
func TestRefundStatusSettingsChangeNeverCreditsTwice(t *testing.T) {
	type step struct {
		status   int   // the order enters it (0: no change)
		refunds  []int // the refund statuses from this step on (nil: no change)
		credited string
	}
	for _, c := range []struct {
		name  string
		steps []step
		// voided is how many credit notes may be withdrawn on the way.
		voided int
	}{
		{"a status put into the refunds moves the refund's start earlier", []step{
			{refunds: []int{11}, status: 13, credited: "0"},
			{status: 11, credited: "30"},
			{refunds: []int{11, 12, 13}, credited: "30"},
		}, 0},
		{"a status taken out of the refunds moves the refund's start later", []step{
			{status: 13, credited: "30"},
			{status: 11, credited: "30"},
			{refunds: []int{11, 12}, credited: "30"},
		}, 0},
		{"a status taken out of the refunds in the middle of one", []step{
			{status: 11, credited: "30"},
			{status: 13, credited: "30"},
			{status: 11, credited: "30"},
			{refunds: []int{11, 12}, credited: "30"},
		}, 0},
		{"the order's own status taken out of the refunds and put back", []step{
			{status: 13, credited: "30"},
			{refunds: []int{11, 12}, credited: "0"},
			{refunds: []int{11, 12, 13}, credited: "30"},
		}, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRefundShop(t, true)
			r.cupOrder(4003)
			r.exportAll()
			for i, s := range c.steps {
				if s.refunds != nil {
					refundStatuses(&r.s, s.refunds...)
				}
				if s.status != 0 {
					r.shop.SetOrderStatus(4003, s.status, day(2+i), "")
				}
				for run := 0; run < 2; run++ { // the spec allows the next run to finish what withdrawing leaves
					if sum := r.exportAll(); sum.Failed != 0 {
						r.logFailures()
						t.Fatalf("step %d, run %d: %+v", i+1, run+1, sum)
					}
				}
				b := r.wantBooks("step "+string(rune('1'+i)), s.credited, "0", s.credited, "0")
				if n := len(b.voided) + len(b.deleted); n > c.voided {
					t.Fatalf("step %d: %d credit notes withdrawn, at most %d may be: %s", i+1, n, c.voided, notes(append(b.voided, b.deleted...)))
				}
				r.wantSettled("step " + string(rune('1'+i)))
			}
			r.wantNoWrites("the last step")
		})
	}
}
