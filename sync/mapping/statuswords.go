package mapping

// StatusLabel is an invoice status in the words Xero's web app and the
// settings screen use: Draft, Awaiting Approval, Awaiting Payment.
// Reasons shown to the bookkeeper use these words, never Xero's codes.
func StatusLabel(status string) string {
	switch status {
	case StatusDraft:
		return "Draft"
	case StatusSubmitted:
		return "Awaiting Approval"
	case StatusAuthorised:
		return "Awaiting Payment"
	}
	return status
}

// DraftPaymentReason says why no payment is made while new invoices are
// sent in status (one before Awaiting Payment): Xero records payments and
// allocations on approved invoices only (docs/XERO.md, payments).
func DraftPaymentReason(status string) string {
	return "skipped: invoices are sent as " + StatusLabel(status) +
		"; Xero takes payments only once an invoice is approved (Awaiting Payment) — approve it in Xero, or choose Awaiting Payment under Settings › Invoices"
}
