package export

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/history"
)

// XeroLink is the address of a document in Xero's web app [XERO.md §10]:
// through Xero's organisation login with the organisation's ShortCode
// when it is known, so that the link opens in the right organisation for a
// person with several; "" for a kind Xero has no page for.
func XeroLink(shortCode, kind, xeroID string) string {
	if xeroID == "" {
		return ""
	}
	id := url.QueryEscape(xeroID)
	var path string
	switch kind {
	case history.KindInvoice:
		path = "/AccountsReceivable/View.aspx?InvoiceID=" + id
	case history.KindCreditNote:
		path = "/AccountsReceivable/ViewCreditNote.aspx?creditNoteID=" + id
	case history.KindContact:
		path = "/Contacts/View/" + url.PathEscape(xeroID)
	default:
		return ""
	}
	if shortCode == "" {
		return "https://go.xero.com" + path
	}
	return "https://go.xero.com/organisationlogin/default.aspx?shortcode=" + url.QueryEscape(shortCode) + "&redirecturl=" + path
}

// ShortCode is the ShortCode of the organisation the last run read from
// Xero for this tenant ("" when none was read yet).
func ShortCode(ctx context.Context, h *history.Store, tenant string) string {
	raw, err := h.Setting(ctx, referenceKey)
	if err != nil || raw == "" {
		return ""
	}
	var ref reference
	if json.Unmarshal([]byte(raw), &ref) != nil || !strings.EqualFold(ref.Tenant, tenant) {
		return ""
	}
	return ref.Organisation.ShortCode
}
