package reconcile

// Subscription renewals exported as invoices of their own (export's
// renewals.go, numbered mapping.RenewalNumber) are the shop's too: they are
// matched by the history, so they are not "not in OpenCart", and their
// amounts join OpenCart's side of the totals. Renewals of the period that
// were not exported are listed.

import (
	"context"
	"strconv"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// RenewalNotExported: a subscription renewal payment of the period was not
// exported (see the detail).
const RenewalNotExported Problem = "renewal_not_exported"

func init() { Problems = append(Problems, RenewalNotExported) }

// historyPage is how many history records are read at a time.
const historyPage = 2000

// renewalInvoices reads the history's exported renewal invoices (by Xero
// id) and lists the period's renewal payments (read from the shop) that
// are not in Xero.
func (rc *reconciliation) renewalInvoices(ctx context.Context) (map[string]history.Record, error) {
	exported := map[string]history.Record{}
	if !rc.cfg.Store.HasRenewalTables() {
		return exported, nil
	}
	// The history's invoices are read a page at a time: only the renewals'
	// are kept.
	byKey := map[string]history.Record{}
	for after := int64(0); ; {
		page, err := rc.cfg.History.Records(ctx, history.RecordFilter{Kind: history.KindInvoice, AfterID: after, Limit: historyPage})
		if err != nil {
			return nil, err
		}
		for _, rec := range page {
			if _, _, ok := history.ParseRenewalKey(rec.OpenCartID); !ok {
				continue
			}
			byKey[rec.OpenCartID] = rec
			if rec.XeroID != "" && rec.State == history.StateExported {
				exported[strings.ToLower(rec.XeroID)] = rec
			}
		}
		if len(page) < historyPage {
			break
		}
		after = page[len(page)-1].ID
	}
	p := rc.rep.Period
	rows, err := rc.cfg.Store.Renewals(ctx, opencart.RenewalFilter{Since: p.Since, Until: p.Until})
	if err != nil {
		return nil, err
	}
	for _, rn := range rows {
		kind := rn.Kind()
		if kind == opencart.RenewalEvent || kind == opencart.RenewalNotPaid {
			continue
		}
		key := history.RenewalKey(rn.Table == opencart.TableSubscriptionTransaction, rn.ID)
		rec, found := byKey[key]
		if kind == opencart.RenewalPaid && found && rec.State == history.StateExported && rec.XeroID != "" {
			continue
		}
		detail := "not exported: subscription renewal of order " + strconv.Itoa(rn.OrderID) + " (" + rn.TypeName() + ")"
		if found && rec.Error != "" {
			detail = rec.Error
		} else if kind == opencart.RenewalPaid {
			detail += ": never exported"
		}
		rc.differ(Difference{Kind: history.KindInvoice, OpenCartID: key, Number: rec.XeroNumber, Problem: RenewalNotExported,
			OpenCartTotal: money(rn.Amount), Currency: rn.CurrencyCode, Detail: detail})
	}
	return exported, nil
}

// addRenewal adds an exported renewal invoice to OpenCart's side of the
// totals: the amount received, its lines as exported, and its payment.
func (rc *reconciliation) addRenewal(rec history.Record, inv *document) {
	t := rc.currency(inv.Currency)
	amount := dec(rec.OpenCartTotal)
	t.Sales.OpenCart = t.Sales.OpenCart.Add(amount)
	rc.addShares(t, inv, true)
	if rc.opt.InvoiceStatus == mapping.StatusAuthorised {
		t.Payments.OpenCart = t.Payments.OpenCart.Add(amount)
	}
}
