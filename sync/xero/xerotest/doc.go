// Package xerotest is a local Xero sandbox: an HTTP server with Xero's own
// paths on one host — login (/identity/connect/authorize), identity
// (/connect/token, /connect/revocation), /connections and the Accounting
// API (/api.xro/2.0/…) — that keeps per-tenant books in memory and applies
// Xero's rules, arithmetic, rate limits and error shapes closely enough that
// a client passing against it works against Xero. Tests start one with
// NewTest; the `sandbox` command runs one for the demo. Faults (dropped
// connections after commit, 5xx, 429, expired tokens, slow answers) can be
// injected, and every request is logged and counted. Records are found
// through indexes kept on every change (index.go), so a request costs
// about the size of its own batch, not of the books (BenchmarkSandbox*).
//
// The package does not import the Xero client (sync/xero): it has its own
// types in Xero's JSON field names, so it cannot share the client's
// mistakes. References like [XERO.md §7] point to docs/XERO.md.
//
// # Choices where Xero's documentation is silent
//
//   - Error texts listed in XERO.md §8 are copied exactly ("Invoice # must be unique.",
//     the contact-name and contact-number uniqueness texts, "The line total
//     X does not match the expected line total Y", "Email address must be
//     valid.", "Payments can only be made against Authorised documents",
//     "Payment amount exceeds the amount outstanding on this document",
//     "Account type is invalid for making a payment to/from", "Organisation
//     is not subscribed to currency X", "The TaxType code X does not exist
//     or cannot be used for this type of transaction."). Other texts
//     (lengths, allocations, transitions, history) are the sandbox's own
//     wording; clients should show Xero's message, not match on it.
//   - A supplied line TaxAmount is kept when within Options.TaxTolerance
//     (default 0.01) of the computed tax; otherwise the element fails with
//     "Tax amount A is incorrect for T tax type, should be B" (Xero's
//     bank-transaction wording; its invoice tolerance is undocumented).
//   - A supplied Total/SubTotal/TotalTax is ignored (the spec says Total
//     "will be ignored if it doesn't equal the sum of the LineAmounts").
//   - Rounding is half away from zero at every step (decimal).
//   - A line with LineAmount but no UnitAmount gets Quantity 1 (or the one
//     given) and UnitAmount = LineAmount / Quantity.
//   - POST /Contacts matches an element on ContactID, else ContactNumber;
//     never on Name. An invoice's Contact is matched on ContactID, else
//     ContactNumber, else an ACTIVE contact with the same Name (case
//     ignored), else created; extra contact fields update the contact.
//   - InvoiceNumber (ACCREC) and CreditNoteNumber (ACCRECCREDIT) are unique
//     among all documents, VOIDED and DELETED ones included: Xero does not
//     give a number back (integrators' guides tell users to rename a voided
//     or deleted invoice before its number can be used again, e.g.
//     ServiceM8's "Resolving Xero invoice number conflicts"). Missing
//     numbers become INV-0001 / CN-0001.
//   - Status moves: DRAFT↔SUBMITTED, either → AUTHORISED or DELETED;
//     AUTHORISED → VOIDED only without payments or allocations; PAID is set
//     by payments and allocations only. Documents with payments or
//     allocations refuse changes to lines or status.
//   - Lists (GET /Invoices, /CreditNotes) carry line items only when
//     `page` is given, as Xero does; a single GET always carries them.
//   - where supports ==, !=, <, <=, >, >=, Contains/StartsWith/EndsWith,
//     Guid(…), DateTime(…), AND/OR/NOT/&&/||/parentheses; text compares
//     ignore case. Anything else is a 400 QueryParseException.
//   - The Accounting API insists on Accept: application/json (Xero would
//     answer in XML) and on Content-Type: application/json for bodies.
//   - Missing scope → 403 "AuthorizationUnsuccessful"; missing or foreign
//     tenant → 403 "AuthenticationUnsuccessful"; expired token → 401
//     "TokenExpired: token expired at MM/DD/YYYY hh:mm:ss".
//   - Rate limits: 5 in flight, a sliding minute and a day window starting
//     at the first call, per tenant; X-Rate-Limit-Problem is minute, day,
//     concurrent or appminute. Time windows are scaled by TimeScale;
//     Retry-After is the real (scaled) wait in whole seconds, at least 1,
//     and X-Sandbox-Retry-After-Ms gives it to the millisecond.
//   - Idempotency-Key answers are kept 6 minutes of Options.Now (not
//     scaled); replays carry X-Sandbox-Idempotent-Replay: true. Note that
//     Go's http.Transport itself re-sends a request carrying an
//     Idempotency-Key when a reused connection breaks, so a dropped answer
//     may surface to a Go client as the replayed answer.
//   - Foreign-currency documents without CurrencyRate get a fixed sandbox
//     rate (e.g. 1.15 EUR and 1.27 USD per GBP), not XE.com's.
package xerotest
