package app

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

func TestStoreCheck(t *testing.T) {

	t.Run("no dsn configured", func(t *testing.T) {
		code, _, errOut := run(t, t.TempDir(), "store", "check")
		if code != 1 || !strings.Contains(errOut, "set it with: opencart-xero config set store.dsn 'user:pass@tcp(host:3306)/db'") {
			t.Errorf("code %d, stderr %q", code, errOut)
		}
	})
	t.Run("unexpected argument", func(t *testing.T) {
		if code, _, errOut := run(t, t.TempDir(), "store", "check", "extra"); code != 2 || !strings.Contains(errOut, `unexpected "extra"`) {
			t.Errorf("code %d, stderr %q", code, errOut)
		}
	})

	for _, tc := range []struct {
		name     string
		family   opencart.Family
		prefix   string
		opts     []octest.Option
		upgraded bool
	}{
		{"3.0", opencart.Family30, "oc_", nil, false},
		{"4.0 other prefix", opencart.Family40, "shop_", nil, false},
		{"4.0 upgraded", opencart.Family40, "oc_", []octest.Option{octest.Upgraded()}, true},
		{"4.1 empty prefix", opencart.Family41, "", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := octest.NewDB(t, tc.family, tc.prefix, tc.opts...)
			db.SeedEdgeCases()
			db.AddCustomField(octest.CustomField{Name: "VAT Number"})
			db.AddCustomField(octest.CustomField{Name: "Gift message"})
			profile := t.TempDir()
			if code, _, errOut := run(t, profile, "config", "set", "store.dsn", db.DSN); code != 0 {
				t.Fatalf("config set store.dsn: %s", errOut)
			}
			prefixArgs := []string{"--prefix", tc.prefix}
			if tc.prefix != "" {
				// A non-empty prefix comes from the profile.
				if code, _, errOut := run(t, profile, "config", "set", "store.prefix", tc.prefix); code != 0 {
					t.Fatalf("config set store.prefix: %s", errOut)
				}
				prefixArgs = nil
			}

			code, out, errOut := run(t, profile, append([]string{"store", "check", "--json"}, prefixArgs...)...)
			if code != 0 {
				t.Fatalf("store check --json: code %d, stderr %q", code, errOut)
			}
			if strings.Count(strings.TrimSpace(out), "\n") != 0 {
				t.Errorf("--json printed more than one line: %q", out)
			}
			var got struct {
				Family          string         `json:"family"`
				Prefix          string         `json:"prefix"`
				Upgraded        bool           `json:"upgraded"`
				DefaultCurrency string         `json:"default_currency"`
				CurrencyOK      bool           `json:"currency_ok"`
				Customers       map[string]int `json:"customers"`
				Orders          []struct {
					ID    int    `json:"order_status_id"`
					Name  string `json:"name"`
					Count int    `json:"count"`
				} `json:"orders_by_status"`
				OrdersTotal   int `json:"orders_total"`
				MissingOrders int `json:"missing_orders"`
				Returns       int `json:"returns"`
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("store check --json: %v\n%s", err, out)
			}
			if got.Family != string(tc.family) || got.Prefix != tc.prefix || got.Upgraded != tc.upgraded || got.DefaultCurrency != "GBP" ||
				!got.CurrencyOK || got.Customers["enabled"] != 3 || got.Customers["disabled"] != 1 || got.OrdersTotal != 6 ||
				got.MissingOrders != 1 || got.Returns != 2 || len(got.Orders) != 5 || got.Orders[3].Name != "Complete" || got.Orders[3].Count != 2 {
				t.Errorf("store check --json = %+v", got)
			}

			code, out, errOut = run(t, profile, append([]string{"store", "check"}, prefixArgs...)...)
			words := strings.Join(strings.Fields(out), " ") // the columns are aligned with spaces
			for _, want := range []string{"OpenCart version " + string(tc.family) + ".x", "Customers 3 enabled, 1 disabled",
				"Complete (status 5) 2", "Missing orders 1 (status 0", "never exported", "Default currency GBP", "Returns 2",
				// Each payment method with its rule; none is chosen yet, so the general paid statuses apply.
				"Payment methods", "PayPal Express Checkout (pp_express, 1 orders) paid when Processing, Shipped, Complete, Canceled Reversal, Processed, into account (no account chosen); no rule for this method: the general paid statuses apply",
				"Custom fields 2", "VAT Number (account, id 1) the customer's VAT/tax number", "Gift message (account, id 2) not used"} {
				if code != 0 || !strings.Contains(words, want) {
					t.Errorf("store check: code %d, output lacks %q:\n%s%s", code, want, out, errOut)
				}
			}

			// Flags win over the profile; a wrong prefix names the table.
			code, _, errOut = run(t, t.TempDir(), "store", "check", "--dsn", db.DSN, "--prefix", "wp_")
			if code != 1 || !strings.Contains(errOut, `"wp_order"`) || !strings.Contains(errOut, "prefix") {
				t.Errorf("wrong prefix: code %d, stderr %q", code, errOut)
			}
		})
	}
}
