package reconcile

import (
	"context"
	"fmt"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
)

// Remedy is something the bookkeeper may do about a difference. None is
// ever applied without the bookkeeper asking.
type Remedy string

// The remedies.
const (
	// Resend marks the record so that the next export sends it again
	// (a document Xero no longer holds as sent) or updates it (Xero's
	// total differs).
	Resend Remedy = "resend"
	// OpenInXero opens the document in Xero's web app.
	OpenInXero Remedy = "open"
	// AcceptXero remembers the difference as accepted: Xero's version
	// stands, and it is not reported again while Xero's total stays.
	AcceptXero Remedy = "accept"
)

// Remedies lists what can be done about a difference, in the order a
// screen offers them.
func Remedies(d Difference) []Remedy {
	var out []Remedy
	switch d.Problem {
	case MissingInXero:
		if d.OpenCartID != "" && d.Sent {
			out = append(out, Resend)
		}
	case DeletedInXero, VoidedInXero:
		if d.OpenCartID != "" {
			out = append(out, Resend)
		}
	case TotalDiffers:
		if d.OpenCartID != "" && d.Kind == history.KindInvoice {
			out = append(out, Resend)
		}
	}
	if d.XeroID != "" {
		out = append(out, OpenInXero)
	}
	switch d.Problem {
	case MissingInXero, FailedNotSent:
	default:
		if d.Number != "" {
			out = append(out, AcceptXero)
		}
	}
	return out
}

// ApplyResend marks the difference's record to be sent again (Resend).
func ApplyResend(ctx context.Context, h *history.Store, d Difference) error {
	if !hasRemedy(d, Resend) {
		return fmt.Errorf("%s %s (%s) cannot be sent again from here", d.Kind, d.Number, d.Problem)
	}
	why := fmt.Sprintf("reconcile found it %s", strings.ReplaceAll(string(d.Problem), "_", " "))
	if d.Problem == TotalDiffers {
		return export.MarkForUpdate(ctx, h, d.Kind, d.OpenCartID, why)
	}
	return export.MarkForResend(ctx, h, d.Kind, d.OpenCartID, why)
}

// ApplyAccept remembers the difference as accepted (AcceptXero).
func ApplyAccept(ctx context.Context, h *history.Store, d Difference) error {
	if !hasRemedy(d, AcceptXero) {
		return fmt.Errorf("%s %s (%s) cannot be accepted as Xero has it", d.Kind, d.Number, d.Problem)
	}
	return h.Accept(ctx, history.Accepted{Kind: d.Kind, Number: d.Number, Problem: string(d.Problem), XeroTotal: d.XeroTotal, OpenCartID: d.OpenCartID})
}

func hasRemedy(d Difference, r Remedy) bool {
	for _, x := range Remedies(d) {
		if x == r {
			return true
		}
	}
	return false
}

// dropAccepted removes the differences the bookkeeper accepted (the same
// document, problem and Xero total) and counts them.
func dropAccepted(ctx context.Context, h *history.Store, rep *Report) error {
	acc, err := h.AcceptedDifferences(ctx)
	if err != nil || len(acc) == 0 {
		return err
	}
	type key struct{ kind, number, problem string }
	total := map[key]string{}
	for _, a := range acc {
		total[key{a.Kind, strings.ToUpper(a.Number), a.Problem}] = a.XeroTotal
	}
	kept := rep.Differences[:0]
	for _, d := range rep.Differences {
		if t, ok := total[key{d.Kind, strings.ToUpper(d.Number), string(d.Problem)}]; ok && t == d.XeroTotal {
			rep.Accepted++
			continue
		}
		kept = append(kept, d)
	}
	rep.Differences = kept
	return nil
}
