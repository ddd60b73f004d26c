package export

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// DefaultReferenceMaxAge is how long a run reuses the organisation,
// accounts, tax rates and currencies an earlier run read from Xero.
// They change rarely, and a stale copy can only refuse, never send wrong:
// choices that do not fit it, or a currency it lacks, make the run read
// Xero again, and a record Xero refuses makes the next run read afresh.
const DefaultReferenceMaxAge = 7 * 24 * time.Hour

// referenceKey is the history setting that holds the last reference read.
const referenceKey = "xero.reference"

// reference is what a run reads from Xero before it sends anything.
type reference struct {
	Tenant       string            `json:"tenant"`
	ReadAt       time.Time         `json:"read_at"`
	Organisation xero.Organisation `json:"organisation"`
	Accounts     []xero.Account    `json:"accounts"`
	TaxRates     []xero.TaxRate    `json:"tax_rates"`
	Currencies   []xero.Currency   `json:"currencies"`
}

// readReference reads the reference from Xero (4 calls) and keeps it in
// the history for the next runs.
func (r *run) readReference() (*reference, error) {
	ref := &reference{Tenant: r.x().Tenant(), ReadAt: r.e.cfg.Now()}
	org, err := r.x().Organisation(r.ctx)
	if err != nil {
		return nil, err
	}
	ref.Organisation = *org
	if ref.Accounts, err = r.x().Accounts(r.ctx); err != nil {
		return nil, err
	}
	if ref.TaxRates, err = r.x().TaxRates(r.ctx); err != nil {
		return nil, err
	}
	if ref.Currencies, err = r.x().Currencies(r.ctx); err != nil {
		return nil, err
	}
	b, err := json.Marshal(ref)
	if err != nil {
		return nil, err
	}
	if err := r.hist().SetSetting(r.bg, referenceKey, string(b)); err != nil {
		return nil, err
	}
	r.sum.ReferenceRead = true
	return ref, nil
}

// keptReference is the reference an earlier run read for this
// organisation, if it is younger than the engine's ReferenceMaxAge.
func (r *run) keptReference() (*reference, bool) {
	maxAge := r.e.cfg.ReferenceMaxAge
	if maxAge < 0 {
		return nil, false
	}
	if maxAge == 0 {
		maxAge = DefaultReferenceMaxAge
	}
	s, err := r.hist().Setting(r.bg, referenceKey)
	if err != nil || s == "" {
		return nil, false
	}
	var ref reference
	if json.Unmarshal([]byte(s), &ref) != nil || ref.Tenant != r.x().Tenant() {
		return nil, false
	}
	if age := r.e.cfg.Now().Sub(ref.ReadAt); age < 0 || age > maxAge {
		return nil, false
	}
	return &ref, true
}

// forgetReference makes the next run read the reference from Xero again.
func forgetReference(ctx context.Context, h *history.Store) error {
	return h.DeleteSetting(ctx, referenceKey)
}

// enabledCurrencies are the reference's currencies, upper-cased, with the
// base currency.
func (ref *reference) enabledCurrencies() map[string]bool {
	out := map[string]bool{strings.ToUpper(ref.Organisation.BaseCurrency): true}
	for _, c := range ref.Currencies {
		out[strings.ToUpper(c.Code)] = true
	}
	return out
}
