package export

import (
	"context"
	"encoding/json"
	"strings"
)

// taxNames are the organisation's tax types by their label (TaxRateLabel, taxlabel.go),
// from the reference the last run read from Xero (no call is made); empty
// when no run read it yet, or it was another organisation's.
func (e *Engine) taxNames(ctx context.Context) map[string]string {
	s, err := e.cfg.History.Setting(ctx, referenceKey)
	if err != nil || s == "" {
		return nil
	}
	var ref reference
	if json.Unmarshal([]byte(s), &ref) != nil {
		return nil
	}
	if e.cfg.Xero != nil && ref.Tenant != e.cfg.Xero.Tenant() {
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
