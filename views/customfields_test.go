package views

import (
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// TestCustomFieldsShownInSettings: the Settings screen says which custom
// field's value goes to the Xero contact's tax number, and says so when
// the shop has none.
func TestCustomFieldsShownInSettings(t *testing.T) {
	got := customFieldsText([]opencart.CustomField{{ID: 1, Name: "VAT Number", Location: "account", TaxNumber: true}, {ID: 2, Name: "Gift note", Location: "account"}})
	if got != "VAT Number (account): → the Xero contact's Tax number\nGift note (account): not used" {
		t.Errorf("%q", got)
	}
	if none := customFieldsText(nil); !strings.Contains(none, "no custom fields") {
		t.Errorf("%q", none)
	}
}
