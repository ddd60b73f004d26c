package app

import (
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

// store check tells the bookkeeper about store credit given by hand, which
// no export sends, with its sum.
func TestStoreCheckSaysStoreCreditIsNotExported(t *testing.T) {
	db := octest.NewDB(t, opencart.Family30, "oc_")
	e := db.SeedEdgeCases()
	db.AddCustomerTransaction(e.Alice, 0, "Sorry for the delay", "10.0000", octest.Day(2026, 3, 2))
	profile := t.TempDir()
	if code, _, errOut := run(t, profile, "config", "set", "store.dsn", db.DSN); code != 0 {
		t.Fatalf("config set store.dsn: %s", errOut)
	}
	code, out, errOut := run(t, profile, "store", "check")
	words := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"Store credit given outside checkout 1 by hand (10.00), 0 linked to orders (0.00); not exported",
		"1 store credit entry given by hand", "10.00 GBP in all"} {
		if code != 0 || !strings.Contains(words, want) {
			t.Errorf("store check: code %d, output lacks %q:\n%s\n%s", code, want, out, errOut)
		}
	}
}
