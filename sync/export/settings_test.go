package export_test

import (
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// TestSettingsRefuseAStatusInTwoLists: a status never exported is one
// whose exported invoices get voided, so it may not also be paid or refunded.
func TestSettingsRefuseAStatusInTwoLists(t *testing.T) {
	e := newEnv(t, opencart.Family40)
	base := e.settings(mapping.StatusAuthorised)
	if err := base.Validate(); err != nil {
		t.Fatalf("proposed settings: %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(*export.Settings)
		want string
	}{
		{"paid", func(s *export.Settings) { s.SkipStatusIDs = append(s.SkipStatusIDs, s.PaidStatusIDs[0]) }, "among the paid ones"},
		{"refunded", func(s *export.Settings) { s.SkipStatusIDs = append(s.SkipStatusIDs, s.RefundStatusIDs[0]) }, "among the refunded ones"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := base
			s.SkipStatusIDs = append([]int(nil), base.SkipStatusIDs...)
			tc.edit(&s)
			err := s.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate = %v, want %q", err, tc.want)
			}
			eng, err := export.New(export.Config{Store: e.store, Xero: e.client, History: e.hist, Settings: s})
			if err != nil {
				t.Fatal(err)
			}
			before := e.writes()
			if _, err := eng.Run(t.Context(), export.Request{Scope: export.ScopeAll}); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("run = %v, want it refused: %q", err, tc.want)
			}
			if w := e.writes() - before; w != 0 {
				t.Errorf("%d writes to Xero", w)
			}
		})
	}
}
