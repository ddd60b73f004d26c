package export

import "strings"

// The sections of the settings, as the window groups them; the names are
// also the words the remedies point at ("Settings › Which records export").
const (
	SectionShop     = "Shop"
	SectionXero     = "Xero"
	SectionInvoices = "Invoices"
	SectionAccounts = "Accounts & tax"
	SectionRefunds  = "Refunds & payments"
	SectionRecords  = "Which records export"
	SectionAuto     = "Automatic export"
)

// Incomplete says, per section of the settings, the first thing Validate
// finds missing or contradictory there; a section left out is complete.
// (Shop and Xero are connections, not export settings: the window judges
// them by whether they are connected.)
func (s Settings) Incomplete() map[string]string {
	out := map[string]string{}
	for _, err := range flatten(s.Validate()) {
		sec := sectionOf(err.Error())
		if _, ok := out[sec]; !ok {
			out[sec] = err.Error()
		}
	}
	if err := CheckAutoSyncInterval(s.AutoSyncMinutes); s.AutoSyncMinutes != 0 && err != nil {
		out[SectionAuto] = err.Error()
	}
	return out
}

// sectionOf is the section a Validate message belongs to, by its words.
func sectionOf(msg string) string {
	m := strings.ToLower(msg)
	switch {
	case strings.HasPrefix(m, "invoice status"), strings.Contains(m, "pattern"):
		return SectionInvoices
	case strings.Contains(m, "never exported"):
		return SectionRecords
	case strings.HasPrefix(m, "payment method"):
		return SectionRefunds
	case strings.HasPrefix(m, "order status"), strings.HasPrefix(m, "no order status"):
		return SectionRecords // one choice per status: Which records export
	case strings.Contains(m, "bank account"), strings.Contains(m, "paid"), strings.Contains(m, "refund"),
		strings.Contains(m, "return action"), strings.Contains(m, "payment method"):
		return SectionRefunds
	case strings.Contains(m, "account"), strings.Contains(m, "tax"), strings.Contains(m, "vat"):
		return SectionAccounts
	}
	return SectionInvoices
}

// flatten lists the errors errors.Join put together, nested joins too.
func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}
