package export

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/history"
)

// taxNames are the organisation's tax types by their label (TaxRateLabel, taxlabel.go),
// from the reference the last run read from Xero (no call is made); empty
// when no run read it yet, or it was another organisation's.
func (e *Engine) taxNames(ctx context.Context) map[string]string {
	tenant := ""
	if e.cfg.Xero != nil {
		tenant = e.cfg.Xero.Tenant()
	}
	return TaxNames(ctx, e.cfg.History, tenant)
}

// TaxNames are the tax types of the organisation tenant by their label
// ("20% (VAT on Income)" for OUTPUT2), from the reference the last run
// read from Xero; no call is made. Empty when no run read it yet or it
// was another organisation's ("" tenant takes whatever was read last).
func TaxNames(ctx context.Context, h *history.Store, tenant string) map[string]string {
	if h == nil {
		return nil
	}
	s, err := h.Setting(ctx, referenceKey)
	if err != nil || s == "" {
		return nil
	}
	var ref reference
	if json.Unmarshal([]byte(s), &ref) != nil {
		return nil
	}
	if tenant != "" && ref.Tenant != tenant {
		return nil
	}
	out := map[string]string{}
	for _, t := range ref.TaxRates {
		if t.TaxType != "" && strings.TrimSpace(t.Name) != "" {
			out[t.TaxType] = TaxRateLabel(t)
		}
	}
	return out
}
