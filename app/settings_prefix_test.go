package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// Setting a number prefix checks it against Xero in one read: an invoice
// another shop (or a person) made under it is named; a free prefix is
// said to be free. Per-store prefixes and tracking options are settings
// of their own, checked, listed and used by the export.
func TestConfigSetPrefixChecksXeroForClashes(t *testing.T) {
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, TimeScale: 0.001})
	bk, err := s.Bookkeeper(xerotest.DefaultTenantID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bk.AddInvoice("SHOP2-9", "Walk-in Customer", "GBP", decimal.RequireFromString("12.50"), "200", time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	db := octest.NewDB(t, opencart.Family40, "oc_")
	dir := connectedProfile(t, s, db)

	for _, c := range []struct{ args, want []string }{
		{[]string{"invoice.prefix", "SHOP2-"}, []string{"invoice.prefix = SHOP2-", "warning: Xero already holds 1 invoice numbered SHOP2-… that this profile did not make (SHOP2-9 for Walk-in Customer)"}},
		{[]string{"invoice.prefix", "SHOP3-"}, []string{"checked against Xero: no invoice in Xero starts with SHOP3-"}},
		{[]string{"store.1.prefix", "SHOP2-"}, []string{"warning: Xero already holds 1 invoice numbered SHOP2-"}},
		{[]string{"store.1.tracking", "Region:Second shop"}, []string{"store.1.tracking = Region:Second shop"}},
	} {
		code, out, errOut := run(t, dir, append([]string{"config", "set"}, c.args...)...)
		if code != 0 {
			t.Fatalf("config set %v: exit %d\n%s", c.args, code, errOut)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("config set %v says\n%s\nwant %q", c.args, out, w)
			}
		}
	}
	for _, bad := range [][]string{{"store.1.tracking", "Region"}, {"invoice.prefix", "has space"}, {"store.x.prefix", "S-"}} {
		if code, _, _ := run(t, dir, append([]string{"config", "set"}, bad...)...); code == 0 {
			t.Errorf("config set %v was accepted", bad)
		}
	}
	_, out, _ := run(t, dir, "config", "list")
	for _, w := range []string{"invoice.prefix       SHOP3-", "store.1.prefix       SHOP2-", "store.1.tracking     Region:Second shop"} {
		if !strings.Contains(out, w) {
			t.Errorf("config list lacks %q:\n%s", w, out)
		}
	}
	p, err := OpenProfile(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	set, err := LoadExportSettings(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if set.Prefix != "SHOP3-" || set.StorePrefixes["1"] != "SHOP2-" || set.StoreTracking["1"] != "Region:Second shop" {
		t.Errorf("export settings: prefix %q, stores %v, tracking %v", set.Prefix, set.StorePrefixes, set.StoreTracking)
	}
}

func TestConfigSetPrefixWithoutXeroSaysNotChecked(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := run(t, dir, "config", "set", "invoice.prefix", "SHOP2-")
	if code != 0 || !strings.Contains(out, "not checked against Xero: no Xero organisation is connected yet") {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
}
