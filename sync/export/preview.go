package export

import (
	"context"
	"errors"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// Preview is one order's invoice as it is (or would be) sent to Xero,
// beside OpenCart's own figures, for the bookkeeper to compare line by line.
type Preview struct {
	OrderID int
	// Invoice is the Xero document exactly as it would be sent now.
	Invoice xero.Invoice
	// Totals are OpenCart's order total rows converted to the order
	// currency and rounded the way OpenCart shows them.
	Totals        []PreviewTotal
	Currency      string
	OpenCartTotal string
	// XeroTotal is the total as Xero computes it from the lines.
	XeroTotal string
	Match     bool
	Problems  []mapping.Problem
	// Record is the export history of the invoice (State "" = never exported).
	Record history.Record
	// InXero is the invoice as Xero holds it now, read by its Xero id
	// when it was exported; nil otherwise or when it could not be read
	// (XeroError says why). Differences compare it with Invoice.
	InXero      *xero.Invoice
	XeroError   string
	Differences []string
	// Excluded is why the order is never exported (Settings.Excluded).
	Excluded string
	// TaxNames are the organisation's tax types by Xero's display name
	// ("20% (VAT on Income)"), as the last run read them; nil before one did.
	TaxNames map[string]string
}

// PreviewTotal is one OpenCart total row as the shop shows it.
type PreviewTotal struct {
	Code, Title, Value string
}

// PreviewOrder maps one order to its invoice without sending anything.
func (e *Engine) PreviewOrder(ctx context.Context, orderID int) (Preview, error) {
	e.cfg.Store.SetTaxNumberFields(e.cfg.Settings.TaxNumberFields)
	o, err := e.cfg.Store.Order(ctx, orderID)
	if err != nil {
		return Preview{}, err
	}
	shop, err := e.cfg.Store.Settings(ctx)
	if err != nil {
		return Preview{}, err
	}
	currencies, err := e.cfg.Store.Currencies(ctx)
	if err != nil {
		return Preview{}, err
	}
	books := mapping.ShopBooks(shop, currencies)
	places, err := e.cfg.Store.TaxPlaces(ctx)
	if err != nil {
		return Preview{}, err
	}
	opt := e.cfg.Settings.MappingOptions()
	opt.Places = &places
	inv, ps := mapping.Invoice(o, opt, books)
	p := Preview{OrderID: o.ID, Invoice: inv, Currency: inv.CurrencyCode, Problems: ps}
	expected := mapping.DisplayedTotal(o)
	xt := mapping.XeroTotal(inv.LineItems)
	p.OpenCartTotal, p.XeroTotal, p.Match = money(expected), money(xt), xt.Equal(expected)
	dp := int32(mapping.DisplayedDecimals(o))
	for _, t := range o.Totals {
		p.Totals = append(p.Totals, PreviewTotal{Code: t.Code, Title: t.Title, Value: mapping.DisplayedAmount(o, t.Value).StringFixed(dp)})
	}
	p.Record, err = e.cfg.History.RecordFor(ctx, history.KindInvoice, history.OrderKey(o.ID))
	if err != nil && !errors.Is(err, history.ErrNotFound) {
		return Preview{}, err
	}
	p.Excluded = e.cfg.Settings.Excluded(o.StatusID, o.Status, o.DateAdded)
	p.TaxNames = e.taxNames(ctx) // taxnames.go
	e.heldInvoice(ctx, &p)       // preview_docs.go
	return p, nil
}
