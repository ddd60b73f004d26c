package export

import (
	"fmt"
	"slices"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// StatusChoice is what the export does with orders in one order status:
// the one choice the settings give each status.
type StatusChoice string

// The choices for an order status, in the settings' words.
const (
	// StatusExport exports the order's invoice, not paid yet.
	StatusExport StatusChoice = "Export"
	// StatusExportPaid exports the invoice and its payment.
	StatusExportPaid StatusChoice = "Export as paid"
	// StatusRefund exports the invoice and a credit note for the refund.
	StatusRefund StatusChoice = "Refund"
	// StatusNever never exports the order (and withdraws an invoice sent
	// before the order reached it).
	StatusNever StatusChoice = "Never export"
)

// StatusChoices are the choices in the order the settings offer them.
var StatusChoices = []StatusChoice{StatusExport, StatusExportPaid, StatusRefund, StatusNever}

// StatusRow is one of the shop's order statuses with its choice.
type StatusRow struct {
	ID     int
	Name   string
	Choice StatusChoice
	// Conflict says, in words, how the settings contradicted themselves
	// for this status (in two lists at once) and which choice is shown;
	// "" when they did not.
	Conflict string
}

// StatusRows are the shop's statuses, each with the one choice the
// settings make for it: never exported, refunded, paid, else exported.
// A status the settings put in two lists (never exported and paid, paid
// and refunded…) shows the first of those and says so in Conflict; saving
// the rows (SetStatusChoices) keeps that one choice only.
func (s Settings) StatusRows(statuses []opencart.OrderStatus) []StatusRow {
	rows := make([]StatusRow, 0, len(statuses))
	for _, st := range statuses {
		var in []StatusChoice
		if slices.Contains(s.SkipStatusIDs, st.ID) {
			in = append(in, StatusNever)
		}
		if s.isRefundStatus(st) {
			in = append(in, StatusRefund)
		}
		if slices.Contains(s.PaidStatusIDs, st.ID) {
			in = append(in, StatusExportPaid)
		}
		row := StatusRow{ID: st.ID, Name: st.Name, Choice: StatusExport}
		if len(in) > 0 {
			row.Choice = in[0]
		}
		if len(in) > 1 {
			var words []string
			for _, c := range in {
				words = append(words, choiceWords(c))
			}
			row.Conflict = fmt.Sprintf("%q was set as %s at once; it shows as %q, and saving keeps only that", st.Name, strings.Join(words, " and "), row.Choice)
		}
		rows = append(rows, row)
	}
	return rows
}

// isRefundStatus reports whether the settings take a status as refunded:
// by id, or by name (RefundStatusNames).
func (s Settings) isRefundStatus(st opencart.OrderStatus) bool {
	if slices.Contains(s.RefundStatusIDs, st.ID) {
		return true
	}
	return slices.ContainsFunc(s.RefundStatusNames, func(n string) bool {
		return st.Name != "" && strings.EqualFold(strings.TrimSpace(n), strings.TrimSpace(st.Name))
	})
}

// choiceWords is a choice as part of a sentence.
func choiceWords(c StatusChoice) string {
	switch c {
	case StatusNever:
		return "never exported"
	case StatusRefund:
		return "refunded"
	case StatusExportPaid:
		return "paid"
	}
	return "exported"
}

// SetStatusChoices stores one choice per status in the settings' lists
// (never exported, paid, refunded). Statuses the rows do not name keep
// what the lists said; a refund status named by name (RefundStatusNames)
// that the rows choose otherwise is no longer taken as refunded.
func (s *Settings) SetStatusChoices(rows []StatusRow) {
	chosen := map[int]bool{}
	names := map[string]bool{}
	for _, r := range rows {
		chosen[r.ID] = true
		names[strings.ToLower(strings.TrimSpace(r.Name))] = true
	}
	keep := func(ids []int) []int {
		var out []int
		for _, id := range ids {
			if !chosen[id] {
				out = append(out, id)
			}
		}
		return out
	}
	skip, paid, refund := keep(s.SkipStatusIDs), keep(s.PaidStatusIDs), keep(s.RefundStatusIDs)
	for _, r := range rows {
		switch r.Choice {
		case StatusNever:
			skip = append(skip, r.ID)
		case StatusExportPaid:
			paid = append(paid, r.ID)
		case StatusRefund:
			refund = append(refund, r.ID)
		}
	}
	var refundNames []string
	for _, n := range s.RefundStatusNames {
		if !names[strings.ToLower(strings.TrimSpace(n))] {
			refundNames = append(refundNames, n)
		}
	}
	slices.Sort(skip)
	slices.Sort(paid)
	slices.Sort(refund)
	s.SkipStatusIDs, s.PaidStatusIDs, s.RefundStatusIDs, s.RefundStatusNames = skip, paid, refund, refundNames
}

// StatusNames are the shop's order status names by id
// (mapping.Options.StatusNames).
func StatusNames(statuses []opencart.OrderStatus) map[int]string {
	out := make(map[int]string, len(statuses))
	for _, st := range statuses {
		out[st.ID] = st.Name
	}
	return out
}
