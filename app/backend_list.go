package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/views"
)

// listKinds says, per list screen, which history kind its export state is,
// how an OpenCart id becomes the record's key and how a key is read back.
var listKinds = map[views.ListKind]struct {
	kind string
	key  func(id int) string
	id   func(key string) (int, bool)
}{
	views.ListCustomers:   {history.KindContact, mapping.CustomerKey, mapping.CustomerID},
	views.ListOrders:      {history.KindInvoice, history.OrderKey, orderOfKey},
	views.ListCreditNotes: {history.KindCreditNote, history.RefundKey, refundOfKey},
	views.ListPayments:    {history.KindPayment, history.OrderKey, orderOfKey},
}

// orderOfKey reads back a history.OrderKey.
func orderOfKey(key string) (int, bool) {
	k, ok := history.ParseKey(key)
	return k.OrderID, ok && history.OrderKey(k.OrderID) == key
}

// refundOfKey reads back a history.RefundKey: the refunded order.
func refundOfKey(key string) (int, bool) {
	k, ok := history.ParseKey(key)
	return k.OrderID, ok && history.RefundKey(k.OrderID) == key
}

// List reads one page of a list screen: the rows from the shop, their
// export state from the history.
func (b *backend) List(ctx context.Context, kind views.ListKind, q views.ListQuery) (views.Page, error) {
	lk, ok := listKinds[kind]
	if !ok {
		return views.Page{}, fmt.Errorf("unknown list %q", kind)
	}
	r, err := b.store(ctx)
	if err != nil {
		return views.Page{}, err
	}
	set, err := b.ExportSettings(ctx)
	if err != nil {
		return views.Page{}, err
	}
	if kind == views.ListCustomers {
		// Contacts are keyed under the profile's number prefix.
		lk.key, lk.id = set.CustomerKey, set.CustomerIDOf
	}
	var ids, except []int
	switch q.State {
	case "":
	case views.FilterNotExported:
		// Rows with nothing in Xero: no record, or one that failed or was
		// skipped.
		if except, err = b.idsInState(ctx, lk.kind, lk.id, history.StateExported, history.StateChanged, history.StateSending,
			history.StateVoided, history.StateDeleted); err != nil {
			return views.Page{}, err
		}
	case views.FilterTotalsDiffer:
		if ids, err = b.idsTotalsDiffer(ctx, lk.kind, lk.id); err != nil {
			return views.Page{}, err
		}
		if len(ids) == 0 {
			return views.Page{}, nil
		}
	default:
		if ids, err = b.idsInState(ctx, lk.kind, lk.id, q.State); err != nil {
			return views.Page{}, err
		}
		if len(ids) == 0 {
			return views.Page{}, nil
		}
	}
	opt := opencart.ListOptions{Sort: q.Sort, Desc: q.Desc, Offset: q.Offset, Limit: q.Limit}
	if q.From != nil && q.From.Index <= q.Offset {
		// After a key the grid has seen: the rows before it are not read.
		opt.After, opt.Offset = &q.From.Key, q.Offset-q.From.Index
	}
	var page views.Page
	var keys []opencart.ListKey
	if kind == views.ListCustomers {
		f := opencart.CustomerFilter{IDs: ids, ExceptIDs: except, EnabledOnly: set.CustomersEnabledOnly, Since: q.Since, Until: q.Until, Search: q.Search}
		if opt.Sort == opencart.SortTotal {
			opt.Sort, opt.After, opt.Offset = opencart.SortID, nil, q.Offset
		}
		var cs []opencart.Customer
		if historySorts[q.Sort] != nil {
			cs, err = pageByHistory(ctx, b, lk.kind, lk.id, q, ids, func(in []int) ([]int, error) {
				g := f
				g.IDs = in
				return r.CustomerIDs(ctx, g)
			}, func(in, out []int, o opencart.ListOptions) ([]opencart.Customer, error) {
				g := f
				g.IDs, g.ExceptIDs = in, append(slices.Clone(except), out...)
				return r.CustomerList(ctx, g, o)
			}, func(c opencart.Customer) int { return c.ID })
		} else {
			cs, keys, err = r.CustomerPage(ctx, f, opt)
		}
		if err != nil {
			return page, err
		}
		for _, c := range cs {
			account := "enabled"
			if !c.Enabled {
				account = "disabled"
			}
			page.Rows = append(page.Rows, views.Row{ID: c.ID, Name: strings.TrimSpace(c.FirstName + " " + c.LastName),
				Email: c.Email, Status: account, Date: c.DateAdded, Export: views.ExportState{Excluded: set.ExcludedCustomer(c.Enabled)}})
		}
		if q.Count {
			if page.Total, err = r.CountCustomers(ctx, f); err != nil {
				return page, err
			}
		}
	} else {
		f := opencart.OrderFilter{IDs: ids, ExceptIDs: except, Since: q.Since, Until: q.Until, Search: q.Search}
		switch kind {
		case views.ListCreditNotes:
			// Refunded orders, and orders with a return whose treatment
			// gives credit (cash or store credit).
			f.Credited = &opencart.CreditFilter{RefundStatusIDs: set.RefundStatusIDs, ReturnActions: set.CreditActions()}
		case views.ListPayments:
			f.StatusIDs = set.PaidStatusIDs
			if len(f.StatusIDs) == 0 {
				return page, nil // no paid statuses chosen: nothing to list
			}
		}
		if q.StatusID != 0 {
			if f.StatusIDs != nil && !slices.Contains(f.StatusIDs, q.StatusID) {
				return page, nil
			}
			f.StatusIDs = []int{q.StatusID}
		}
		var os []opencart.Order
		if historySorts[q.Sort] != nil {
			os, err = pageByHistory(ctx, b, lk.kind, lk.id, q, ids, func(in []int) ([]int, error) {
				g := f
				g.IDs = in
				return r.OrderIDs(ctx, g)
			}, func(in, out []int, o opencart.ListOptions) ([]opencart.Order, error) {
				g := f
				g.IDs, g.ExceptIDs = in, append(slices.Clone(except), out...)
				return r.OrderList(ctx, g, o)
			}, func(o opencart.Order) int { return o.ID })
		} else {
			os, keys, err = r.OrderPage(ctx, f, opt)
		}
		if err != nil {
			return page, err
		}
		for _, o := range os {
			page.Rows = append(page.Rows, views.Row{ID: o.ID, Name: strings.TrimSpace(o.FirstName + " " + o.LastName),
				Email: o.Email, Status: o.Status, Date: o.DateAdded, Currency: o.CurrencyCode, OpenCartTotal: orderTotalShown(o),
				Export: views.ExportState{Excluded: set.Excluded(o.StatusID, o.Status, o.DateAdded)}})
		}
		if q.Count {
			if page.Total, err = r.CountOrders(ctx, f); err != nil {
				return page, err
			}
		}
	}
	if n := len(keys); n > 0 {
		page.Last = &keys[n-1]
	}
	recKeys := make([]string, len(page.Rows))
	for i, row := range page.Rows {
		recKeys[i] = lk.key(row.ID)
	}
	recs, err := b.hist.RecordsFor(ctx, lk.kind, recKeys)
	if err != nil {
		return page, err
	}
	for i := range page.Rows {
		if rec, ok := recs[recKeys[i]]; ok {
			page.Rows[i].Export, page.Rows[i].XeroTotal = exportState(rec), rec.XeroTotal
		}
	}
	if kind == views.ListCreditNotes {
		if err := b.creditedAmounts(ctx, page); err != nil {
			return page, err
		}
		return page, b.returnCreditNotes(ctx, r, page)
	}
	return page, nil
}

// creditedAmounts shows on the credit-note grid what each order's refunds
// ledger credits, not the order total (export.Engine.CreditedAmounts).
func (b *backend) creditedAmounts(ctx context.Context, page views.Page) error {
	if len(page.Rows) == 0 {
		return nil
	}
	e, err := b.engine(ctx, nil, true)
	if err != nil {
		return err
	}
	ids := make([]int, len(page.Rows))
	for i, row := range page.Rows {
		ids[i] = row.ID
	}
	credited, err := e.CreditedAmounts(ctx, ids)
	if err != nil {
		return err
	}
	for i := range page.Rows {
		page.Rows[i].OpenCartTotal = credited[page.Rows[i].ID]
		if page.Rows[i].OpenCartTotal == "" {
			page.Rows[i].OpenCartTotal = "0.00"
		}
	}
	return nil
}

// returnCreditNotes shows, for refunded orders without a credit note of
// their own, the credit note of one of their product returns.
func (b *backend) returnCreditNotes(ctx context.Context, r *opencart.Reader, page views.Page) error {
	rows := map[int]*views.Row{}
	var ids []int
	for i := range page.Rows {
		if page.Rows[i].Export.State == "" {
			rows[page.Rows[i].ID] = &page.Rows[i]
			ids = append(ids, page.Rows[i].ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	for ret, err := range r.Returns(ctx, opencart.ReturnFilter{OrderIDs: ids}) {
		if err != nil {
			return err
		}
		rec, err := b.hist.RecordFor(ctx, history.KindCreditNote, history.ReturnKey(ret.ID))
		if errors.Is(err, history.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		row := rows[ret.OrderID]
		row.Export, row.XeroTotal = exportState(rec), rec.XeroTotal
	}
	return nil
}

// exportState is a history record as a list row shows it.
func exportState(rec history.Record) views.ExportState {
	return views.ExportState{State: rec.State, Reason: rec.Error, Kind: rec.Kind, XeroID: rec.XeroID,
		XeroNumber: rec.XeroNumber, Match: rec.TotalsMatch}
}

// orderTotalShown is the order total as the customer saw it, written with
// its currency's decimals (mapping.DisplayedTotal: at most Xero's 2).
func orderTotalShown(o opencart.Order) string {
	return mapping.DisplayedTotal(o).StringFixed(int32(mapping.DisplayedDecimals(o)))
}

// idsInState lists the OpenCart ids whose record of kind is in state; id
// reads a record's key back, and keys it does not read are left out.
func (b *backend) idsInState(ctx context.Context, kind string, id func(key string) (int, bool), states ...string) ([]int, error) {
	recs, err := b.hist.Records(ctx, history.RecordFilter{Kind: kind, States: states})
	if err != nil {
		return nil, err
	}
	var ids []int
	for _, r := range recs {
		if n, ok := id(r.OpenCartID); ok {
			ids = append(ids, n)
		}
	}
	return ids, nil
}

// idsTotalsDiffer lists the OpenCart ids whose exported record of kind
// has a Xero total that differs from OpenCart's.
func (b *backend) idsTotalsDiffer(ctx context.Context, kind string, id func(key string) (int, bool)) ([]int, error) {
	recs, err := b.hist.Records(ctx, history.RecordFilter{Kind: kind, States: []string{history.StateExported, history.StateChanged}})
	if err != nil {
		return nil, err
	}
	var ids []int
	for _, r := range recs {
		if r.TotalsMatch == nil || *r.TotalsMatch {
			continue
		}
		if n, ok := id(r.OpenCartID); ok {
			ids = append(ids, n)
		}
	}
	return ids, nil
}
