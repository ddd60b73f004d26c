package app

import (
	"io"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// TestUndoCommand: --dry-run lists the plan and changes nothing; without
// a terminal to ask on, --yes is needed; a "no" at the prompt changes
// nothing; --yes undoes the run, and the next export sends the orders
// again under suffixed numbers.
func TestUndoCommand(t *testing.T) {
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, TimeScale: 0.001})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	simpleOrders(db, 5101, 3)
	dir := connectedProfile(t, s, db)
	for _, args := range [][]string{{"config", "set", "invoice.status", "AUTHORISED"}, {"config", "propose"}, {"export", "all"}} {
		if code, out, errOut := run(t, dir, args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, errOut)
		}
	}
	live := func() []string {
		var out []string
		for _, inv := range s.Invoices(xerotest.DefaultTenantID) {
			if inv.Status != "VOIDED" && inv.Status != "DELETED" {
				out = append(out, inv.InvoiceNumber)
			}
		}
		return out
	}

	code, out, errOut := run(t, dir, "undo", "--run", "1", "--dry-run")
	if code != 0 || !strings.Contains(out, "Undoing run 1 would do this") || !strings.Contains(out, "OC-5101") || !strings.Contains(out, "void") ||
		!strings.Contains(out, "3 to undo") && !strings.Contains(out, "4 to undo") {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, out, errOut)
	}
	if n := len(live()); n != 3 {
		t.Fatalf("the dry run changed Xero: %d live invoices", n)
	}

	code, _, errOut = run(t, dir, "undo", "--run", "1")
	if code == 0 || !strings.Contains(errOut, "--yes") || len(live()) != 3 {
		t.Fatalf("undo without a terminal or --yes: exit %d\n%s", code, errOut)
	}

	asked := askConfirmation
	askConfirmation = func(io.Reader, io.Writer, string) (string, bool, error) { return "no", true, nil }
	t.Cleanup(func() { askConfirmation = asked })
	code, _, errOut = run(t, dir, "undo", "--run", "1")
	if code == 0 || !strings.Contains(errOut, "not confirmed") || len(live()) != 3 {
		t.Fatalf("undo answered no: exit %d\n%s", code, errOut)
	}

	code, out, errOut = run(t, dir, "undo", "--run", "1", "--yes")
	if code != 0 || !strings.Contains(out, "undid run 1") || len(live()) != 0 {
		t.Fatalf("undo --yes: exit %d, live %v\n%s\n%s", code, live(), out, errOut)
	}
	if code, out, errOut := run(t, dir, "export", "all"); code != 0 {
		t.Fatalf("export again: exit %d\n%s\n%s", code, out, errOut)
	}
	got := strings.Join(live(), " ")
	for _, n := range []string{"OC-5101-2", "OC-5102-2", "OC-5103-2"} {
		if !strings.Contains(got, n) {
			t.Fatalf("after the re-export Xero holds %s, not %s", got, n)
		}
	}
	if code, out, _ := run(t, dir, "history"); code != 0 || !strings.Contains(out, "undo of run 1") {
		t.Fatalf("history does not show the undo:\n%s", out)
	}
}
