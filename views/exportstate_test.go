package views

import (
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/history"
)

// TestExportStateTextSaysWaitingAndSettled: the grids say "waiting: …"
// for a record that waits after failing the same way, and "settled: …"
// for one settled from what Xero holds, without a second state word.
func TestExportStateTextSaysWaitingAndSettled(t *testing.T) {
	for _, c := range []struct {
		name string
		in   ExportState
		want string
	}{
		{"waiting", ExportState{State: history.StateFailed, Reason: "waiting: failed 3 times the same way — retry from History or change the order/settings"}, "waiting: failed 3 times the same way — retry from History or change the order/settings"},
		{"failed", ExportState{State: history.StateFailed, Reason: "Xero refused it: no"}, "failed: Xero refused it: no"},
		{"paid in Xero", ExportState{State: history.StateSkipped, Reason: "settled: paid in Xero: invoice OC-1 was already paid there"}, "settled: paid in Xero: invoice OC-1 was already paid there"},
	} {
		if got := c.in.Text(); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
