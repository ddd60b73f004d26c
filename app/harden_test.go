package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// TestPanickingCommandFailsPlainly: a command that panics ends with exit
// status 1 and one plain line on stderr, and its details go to the crash
// log in the profile, not to the terminal.
func TestPanickingCommandFailsPlainly(t *testing.T) {
	t.Setenv(SecretsEnv, "file")
	register(&Command{Name: "test-panic", Usage: "test-panic", Summary: "panics", Run: func(ctx context.Context, env *Env, args []string) error {
		var m map[string]int
		m["boom"]++ // assignment to a nil map
		return nil
	}})
	t.Cleanup(func() { delete(commands, "test-panic") })
	dir := t.TempDir()
	code, out, errOut := run(t, dir, "test-panic")
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if out != "" {
		t.Errorf("stdout: %q", out)
	}
	lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
	if len(lines) != 1 || !strings.Contains(errOut, `internal error in "test-panic"`) || !strings.Contains(errOut, "nil map") {
		t.Errorf("stderr is not one plain line:\n%s", errOut)
	}
	log, err := os.ReadFile(filepath.Join(dir, crashLogFile))
	if err != nil || !strings.Contains(string(log), "goroutine") {
		t.Errorf("crash log (%v):\n%s", err, log)
	}
}

// TestShopTextCannotDriveTheTerminal: a return whose product model (typed
// by a customer on the storefront) holds an OSC window title, an
// erase-line and a fake green "all records exported OK" reaches the
// export's and history's output as plain text, without one control byte.
func TestShopTextCannotDriveTheTerminal(t *testing.T) {
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, TimeScale: 0.001})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	simpleOrders(db, 7001, 1)
	const hostile = "\x1b]0;pwned\x07W-1\r\x1b[2K\x1b[32;1mall records exported OK\x1b[0m\u009b2J\u202e"
	db.AddReturn(octest.Return{OrderID: 7001, ProductID: 999, FirstName: "Customer", LastName: "7001", Email: "c7001@example.com",
		Product: "Not on the order", Model: hostile, Quantity: 1, ReasonID: 1, ActionID: 1})
	dir := connectedProfile(t, s, db)
	if code, out, errOut := run(t, dir, "config", "propose"); code != 0 {
		t.Fatal(out, errOut)
	}
	for _, args := range [][]string{{"export", "all"}, {"history", "--failed"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			_, out, errOut := run(t, dir, args...)
			all := out + errOut
			if !strings.Contains(all, "all records exported OK") {
				t.Fatalf("the return's failure is not shown:\n%s", all)
			}
			for _, bad := range []string{"\x1b", "\x07", "\r", "\u009b", "\u202e"} {
				if strings.Contains(all, bad) {
					t.Errorf("the output holds %q:\n%q", bad, all)
				}
			}
		})
	}
}
