package opencart

import (
	"context"
	"database/sql"
	"fmt"
)

// Summary is what `store check` reports about a shop.
type Summary struct {
	Family   Family `json:"family"`
	Database string `json:"database"`
	Prefix   string `json:"prefix"`
	Upgraded bool   `json:"upgraded"`
	// DefaultCurrency is config_currency; BaseCurrency the currency whose
	// rate is 1.0 (in which all amounts are stored). They should agree.
	DefaultCurrency string         `json:"default_currency"`
	BaseCurrency    string         `json:"base_currency"`
	CurrencyOK      bool           `json:"currency_ok"`
	StoreName       string         `json:"store_name"`
	Timezone        string         `json:"timezone"`
	Customers       CustomerCounts `json:"customers"`
	Orders          []StatusCount  `json:"orders_by_status"`
	// OrdersTotal counts orders with a status (status 0 excluded).
	OrdersTotal int `json:"orders_total"`
	// MissingOrders counts status-0 orders (checkout never confirmed);
	// they are never exported.
	MissingOrders int `json:"missing_orders"`
	// UnknownStatuses are order statuses (> 0) orders are in that are not
	// in order_status; such orders are not exported until they are named
	// or classified (mapping.UnknownStatusAdvice).
	UnknownStatuses []StatusCount `json:"unknown_statuses,omitempty"`
	// CustomFields are the shop's custom fields, those taken as a VAT or
	// tax number marked.
	CustomFields []CustomField `json:"custom_fields,omitempty"`
	Returns      int           `json:"returns"`
	// Renewals is what the shop holds about subscriptions (renewals.go);
	// nil when it has no subscription tables.
	Renewals *RenewalCounts `json:"renewals,omitempty"`
	// Route is how the database was reached, e.g. "directly, TLS verified".
	Route string `json:"route"`
	// SSHHostKey is the SSH server's host key fingerprint, when reached
	// through SSH.
	SSHHostKey string `json:"ssh_host_key,omitempty"`
	// StoreCredit is the store credit given outside checkout, which is
	// not exported; nil when there is none.
	StoreCredit *StoreCredit `json:"store_credit,omitempty"`
	Warnings    []string     `json:"warnings,omitempty"`
}

// CustomerCounts splits customers into enabled and disabled accounts.
type CustomerCounts struct {
	Enabled  int `json:"enabled"`
	Disabled int `json:"disabled"`
}

// StatusCount is the number of orders in one order status.
type StatusCount struct {
	ID    int    `json:"order_status_id"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Check reads the shop's family, currencies and record counts.
func (r *Reader) Check(ctx context.Context) (Summary, error) {
	lk, err := r.lookups(ctx)
	if err != nil {
		return Summary{}, err
	}
	s := Summary{
		Family: r.schema.Family, Database: r.schema.Database, Prefix: r.schema.Prefix, Upgraded: r.schema.Upgraded,
		DefaultCurrency: lk.settings.Currency, BaseCurrency: lk.settings.BaseCurrency,
		StoreName: lk.settings.Name, Timezone: lk.settings.Timezone, Orders: []StatusCount{},
		Route: r.link.Via, SSHHostKey: r.link.HostKey,
	}
	s.Warnings = append(s.Warnings, r.link.Warnings...)
	s.CurrencyOK = s.DefaultCurrency != "" && s.DefaultCurrency == s.BaseCurrency
	switch {
	case s.DefaultCurrency == "":
		s.Warnings = append(s.Warnings, "the setting config_currency (default currency) is not set")
	case s.BaseCurrency == "":
		s.Warnings = append(s.Warnings, "no currency has the rate 1.0, so the currency amounts are stored in is unknown")
	case !s.CurrencyOK:
		s.Warnings = append(s.Warnings, fmt.Sprintf("the default currency %s is not the currency with rate 1.0 (%s)", s.DefaultCurrency, s.BaseCurrency))
	}
	if _, err := lk.settings.Location(); err != nil {
		s.Warnings = append(s.Warnings, err.Error())
	}

	err = r.each(ctx, "SELECT COALESCE(status, 0) <> 0, COUNT(*) FROM "+r.t("customer")+" GROUP BY 1", nil, func(rows *sql.Rows) error {
		var enabled bool
		var n int
		err := rows.Scan(boolOf{&enabled}, &n)
		if enabled {
			s.Customers.Enabled = n
		} else {
			s.Customers.Disabled = n
		}
		return err
	})
	if err != nil {
		return Summary{}, err
	}
	err = r.each(ctx, "SELECT COALESCE(order_status_id, 0), COUNT(*) FROM "+r.t("order")+" GROUP BY 1 ORDER BY 1", nil, func(rows *sql.Rows) error {
		var st StatusCount
		if err := rows.Scan(&st.ID, &st.Count); err != nil {
			return err
		}
		if st.ID <= 0 {
			s.MissingOrders += st.Count
			return nil
		}
		st.Name = lk.names[nameOrderStatus].get(st.ID)
		if _, known := lk.names[nameOrderStatus][st.ID]; !known {
			st.Name = fmt.Sprintf("(unknown status %d)", st.ID)
			s.UnknownStatuses = append(s.UnknownStatuses, st)
			s.Warnings = append(s.Warnings, fmt.Sprintf("%d orders are in order status %d, which is missing from the order_status table: "+
				"they are not exported until the status is added in OpenCart (System › Localisation › Order Statuses) "+
				"or listed in Settings among the paid, refunded or never-exported statuses", st.Count, st.ID))
		}
		s.Orders = append(s.Orders, st)
		s.OrdersTotal += st.Count
		return nil
	})
	if err != nil {
		return Summary{}, err
	}
	if s.Returns, err = r.count(ctx, "return", "r", &where{}); err != nil {
		return Summary{}, err
	}
	if s.StoreCredit, err = r.storeCredit(ctx); err != nil {
		return Summary{}, err
	}
	s.Warnings = append(s.Warnings, storeCreditWarnings(s.StoreCredit, s.BaseCurrency)...)
	if s.Renewals, err = r.renewalCounts(ctx); err != nil {
		return Summary{}, err
	}
	if c := s.Renewals; c != nil && c.NotExported > 0 {
		s.Warnings = append(s.Warnings, fmt.Sprintf("not exported: subscription renewals (%d, total %s): %s", c.NotExported,
			TotalsText(c.NotExportedTotals), "each is listed by export runs (opencart-xero history) and by reconcile with the reason; enter them in Xero by hand"))
	}
	if s.CustomFields, err = r.CustomFields(ctx); err != nil {
		return Summary{}, err
	}
	if len(s.CustomFields) == 0 {
		s.CustomFields = nil // none: left out of the JSON
	}
	return s, nil
}

// UnknownStatuses counts the orders (status > 0) whose status is missing
// from order_status: one grouped count over the orders.
func (r *Reader) UnknownStatuses(ctx context.Context) ([]StatusCount, error) {
	lk, err := r.lookups(ctx)
	if err != nil {
		return nil, err
	}
	var out []StatusCount
	err = r.each(ctx, "SELECT order_status_id, COUNT(*) FROM "+r.t("order")+" WHERE order_status_id > 0 GROUP BY 1 ORDER BY 1", nil, func(rows *sql.Rows) error {
		var st StatusCount
		if err := rows.Scan(&st.ID, &st.Count); err != nil {
			return err
		}
		if _, known := lk.names[nameOrderStatus][st.ID]; !known {
			st.Name = fmt.Sprintf("(unknown status %d)", st.ID)
			out = append(out, st)
		}
		return nil
	})
	return out, err
}
