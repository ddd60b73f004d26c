package xero

import (
	"context"
	"net/url"
	"strings"
)

// Reading what Xero holds now on invoices before money is written to them
// (issue 12): a payment pays what is still due, an invoice paid or voided
// in Xero takes nothing more [XERO.md §3.2, §2 "IDs"].

// MaxIDsPerRead is how many invoice ids one InvoiceStates call asks for:
// Xero's advice for a batch, and within what its URLs were seen to take
// (about 52 GUIDs, XeroAPI/Xero-Java issue #331) [XERO.md §2].
const MaxIDsPerRead = 50

// InvoiceStates reads the invoices with these ids as Xero holds them now —
// Status, Total, AmountDue, AmountPaid, AmountCredited, their contact —
// without their lines (no page is asked for, so the list comes without
// line items [XERO.md §10]): one call per MaxIDsPerRead ids. The answer
// is keyed by the lower-cased InvoiceID; an id Xero does not know is
// absent.
func (c *Client) InvoiceStates(ctx context.Context, ids []string) (map[string]Invoice, error) {
	if err := mustTenant(c); err != nil {
		return nil, err
	}
	out := make(map[string]Invoice, len(ids))
	seen := map[string]bool{}
	var unique []string
	for _, id := range ids {
		k := strings.ToLower(strings.TrimSpace(id))
		if k != "" && !seen[k] {
			seen[k] = true
			unique = append(unique, id)
		}
	}
	for start := 0; start < len(unique); start += MaxIDsPerRead {
		group := unique[start:min(start+MaxIDsPerRead, len(unique))]
		list, _, err := getList[Invoice](ctx, c, "/Invoices", "Invoices", url.Values{"IDs": {strings.Join(group, ",")}})
		if err != nil {
			return nil, err
		}
		for _, inv := range list {
			out[strings.ToLower(inv.InvoiceID)] = inv
		}
	}
	return out, nil
}
