package mapping

import (
	"slices"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

func TestReturnTreatment(t *testing.T) {
	rules := []ReturnRule{{Action: "Credit Issued", Treatment: TreatStoreCredit}, {Action: " Refunded ", Treatment: TreatCash},
		{Action: "Replacement Sent", Treatment: TreatNone}}
	for _, tc := range []struct {
		name    string
		opt     Options
		action  string
		want    Treatment
		credits bool
	}{
		{"store credit", Options{ReturnActions: rules}, "credit issued", TreatStoreCredit, true},
		{"cash, spaces and case ignored", Options{ReturnActions: rules}, "REFUNDED", TreatCash, true},
		{"replacement", Options{ReturnActions: rules}, "Replacement Sent", TreatNone, false},
		{"unknown action gives nothing", Options{ReturnActions: rules}, "Sent to the moon", TreatNone, false},
		{"old profile: credit actions are cash", Options{CreditReturnActions: []string{"Credit Issued"}}, "Credit Issued", TreatCash, true},
		{"old profile: others give nothing", Options{CreditReturnActions: []string{"Credit Issued"}}, "Replacement Sent", TreatNone, false},
		{"rules win over the old list", Options{ReturnActions: rules, CreditReturnActions: []string{"Replacement Sent"}}, "Replacement Sent", TreatNone, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := opencart.Return{Action: tc.action}
			if got := tc.opt.ReturnTreatment(r); got != tc.want {
				t.Errorf("ReturnTreatment(%q) = %q, want %q", tc.action, got, tc.want)
			}
			if got := tc.opt.CreditsMoney(r); got != tc.credits {
				t.Errorf("CreditsMoney(%q) = %v, want %v", tc.action, got, tc.credits)
			}
		})
	}
}

func TestReturnActionsValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rules []ReturnRule
		want  string
	}{
		{"unknown treatment", []ReturnRule{{Action: "Refunded", Treatment: "money"}}, `treatment "money" must be one of`},
		{"listed twice", []ReturnRule{{Action: "Refunded", Treatment: TreatCash}, {Action: "refunded ", Treatment: TreatNone}}, "listed twice"},
		{"no name", []ReturnRule{{Action: " ", Treatment: TreatCash}}, "has no action name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := DefaultOptions()
			opt.ReturnActions = tc.rules
			if err := opt.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want it to say %q", err, tc.want)
			}
		})
	}
	opt := DefaultOptions()
	if err := opt.Validate(); err != nil && strings.Contains(err.Error(), "return action") {
		t.Errorf("the default return actions are refused: %v", err)
	}
}

func TestCreditActions(t *testing.T) {
	o := Options{ReturnActions: []ReturnRule{{"Refunded", TreatCash}, {"Credit Issued", TreatStoreCredit}, {"Replacement Sent", TreatNone}}}
	if got := o.CreditActions(); !slices.Equal(got, []string{"Refunded", "Credit Issued"}) {
		t.Errorf("credit actions %q, want the cash and store credit ones", got)
	}
	legacy := Options{CreditReturnActions: []string{"Refunded"}}
	if got := legacy.CreditActions(); !slices.Equal(got, []string{"Refunded"}) {
		t.Errorf("a profile from before the treatments: %q", got)
	}
}
