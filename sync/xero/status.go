package xero

// Statuses as Xero writes them in the Status fields of documents, accounts
// and tax rates. They are untyped string constants, not a named type: the
// fields they go in are plain strings decoded from whatever Xero sends, and
// the status a bookkeeper chooses for new invoices is kept as text in the
// export settings (mapping.Options.InvoiceStatus); a named type would only
// add conversions at each of those places.

// Statuses of invoices and credit notes; payments are AUTHORISED or DELETED.
const (
	StatusDraft      = "DRAFT"      // "Draft"
	StatusSubmitted  = "SUBMITTED"  // "Awaiting Approval"
	StatusAuthorised = "AUTHORISED" // "Awaiting Payment": approved, open for payments
	StatusPaid       = "PAID"
	StatusVoided     = "VOIDED"
	StatusDeleted    = "DELETED"
)

// StatusActive is an account or tax rate in use (not archived or deleted).
const StatusActive = "ACTIVE"
