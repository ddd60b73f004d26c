package export_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

var shopStatuses = []opencart.OrderStatus{{ID: 1, Name: "Pending"}, {ID: 5, Name: "Complete"}, {ID: 7, Name: "Canceled"}, {ID: 11, Name: "Refunded"}, {ID: 20, Name: "Chargeback"}}

func TestStatusRows(t *testing.T) {
	tests := []struct {
		name     string
		change   func(*export.Settings)
		want     map[int]export.StatusChoice
		conflict map[int]string // in the row's Conflict
	}{
		{"the defaults, refund by name too", func(*export.Settings) {},
			map[int]export.StatusChoice{1: export.StatusExport, 5: export.StatusExportPaid, 7: export.StatusNever, 11: export.StatusRefund, 20: export.StatusRefund}, nil},
		{"never exported and paid: never, said", func(s *export.Settings) { s.PaidStatusIDs = append(s.PaidStatusIDs, 7) },
			map[int]export.StatusChoice{7: export.StatusNever}, map[int]string{7: `"Canceled" was set as never exported and paid at once; it shows as "Never export"`}},
		{"paid and refunded: refund, said", func(s *export.Settings) { s.PaidStatusIDs = append(s.PaidStatusIDs, 11) },
			map[int]export.StatusChoice{11: export.StatusRefund}, map[int]string{11: "refunded and paid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := export.DefaultSettings()
			tt.change(&s)
			rows := s.StatusRows(shopStatuses)
			if len(rows) != len(shopStatuses) {
				t.Fatalf("%d rows for %d statuses", len(rows), len(shopStatuses))
			}
			for _, r := range rows {
				if want, ok := tt.want[r.ID]; ok && r.Choice != want {
					t.Errorf("%s: %q, want %q", r.Name, r.Choice, want)
				}
				if want := tt.conflict[r.ID]; want == "" && r.Conflict != "" || want != "" && !strings.Contains(r.Conflict, want) {
					t.Errorf("%s: conflict %q, want %q", r.Name, r.Conflict, want)
				}
			}
		})
	}
}

// TestSetStatusChoices: one choice per status goes back into the lists,
// contradictions gone; statuses not shown keep theirs, and a refund status
// named by name is no longer refunded once chosen otherwise.
func TestSetStatusChoices(t *testing.T) {
	s := export.DefaultSettings()
	s.PaidStatusIDs = append(s.PaidStatusIDs, 7) // contradicts "never exported"
	rows := s.StatusRows(shopStatuses)
	for i := range rows {
		if rows[i].Name == "Chargeback" {
			rows[i].Choice = export.StatusExport
		}
		if rows[i].Name == "Pending" {
			rows[i].Choice = export.StatusExportPaid
		}
	}
	s.SetStatusChoices(rows)
	if want := []int{8, 10, 14, 16, 7}; !sameIDs(s.SkipStatusIDs, want) {
		t.Errorf("never exported %v, want %v", s.SkipStatusIDs, want)
	}
	if want := []int{1, 2, 3, 5, 9, 15}; !sameIDs(s.PaidStatusIDs, want) {
		t.Errorf("paid %v, want %v", s.PaidStatusIDs, want)
	}
	if want := []int{11, 12, 13}; !sameIDs(s.RefundStatusIDs, want) {
		t.Errorf("refunded %v, want %v", s.RefundStatusIDs, want)
	}
	if slices.Contains(s.RefundStatusNames, "Chargeback") {
		t.Errorf("refund names %v still take Chargeback as refunded", s.RefundStatusNames)
	}
	if err := s.Validate(); err != nil && strings.Contains(err.Error(), "status") {
		t.Errorf("contradictions left: %v", err)
	}
	for _, r := range s.StatusRows(shopStatuses) {
		if r.Conflict != "" {
			t.Errorf("after saving: %s", r.Conflict)
		}
	}
}

func sameIDs(got, want []int) bool {
	w := slices.Clone(want)
	slices.Sort(w)
	return slices.Equal(got, w)
}

// TestValidateNamesStatuses: a contradiction names the status as the shop
// does when its names are known.
func TestValidateNamesStatuses(t *testing.T) {
	s := completeSettings()
	s.SkipStatusIDs = append(s.SkipStatusIDs, 5)
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "order status 5 is both") {
		t.Errorf("without names: %v", err)
	}
	s.StatusNames = export.StatusNames(shopStatuses)
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), `order status "Complete" is both among the statuses never exported and among the paid ones`) {
		t.Errorf("with names: %v", err)
	}
}
