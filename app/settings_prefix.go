package app

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
)

// Number prefixes (issue 12, branch ownership): invoice.prefix is the
// profile's, store.<id>.prefix and store.<id>.tracking are per store of a
// multi-store OpenCart. They override the same choices in export.options,
// as invoice.status does.

// storeSetting matches the per-store settings: store.1.prefix, store.2.tracking.
var storeSetting = regexp.MustCompile(`^store\.(\d{1,9})\.(prefix|tracking)$`)

// storeSettingKey describes a per-store setting; ok is false for any
// other name.
func storeSettingKey(name string) (SettingKey, bool) {
	m := storeSetting.FindStringSubmatch(name)
	if m == nil {
		return SettingKey{}, false
	}
	if m[2] == "prefix" {
		return SettingKey{Name: name, Help: "number prefix of store " + m[1] + "'s invoices and credit notes (empty = invoice.prefix)", Check: mapping.CheckPrefix}, true
	}
	return SettingKey{Name: name, Help: "Xero tracking category option of every line of store " + m[1] + "'s invoices and credit notes, as Category:Option (empty = none)",
		Check: func(v string) error { _, err := mapping.ParseTracking(v); return err }}, true
}

// storeSettings are the per-store settings stored, sorted by name.
func (s *Settings) storeSettings(ctx context.Context) ([][2]string, error) {
	all, err := s.store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	var out [][2]string
	for k, v := range all {
		if storeSetting.MatchString(k) {
			out = append(out, [2]string{k, v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out, nil
}

// applyPrefixSettings puts invoice.prefix and the per-store settings into
// the export choices.
func applyPrefixSettings(ctx context.Context, p *Profile, s *export.Settings) error {
	prefix, err := p.Settings.Get(ctx, "invoice.prefix")
	if err != nil {
		return err
	}
	if prefix != "" {
		s.Prefix = prefix
	}
	stores, err := p.Settings.storeSettings(ctx)
	if err != nil {
		return err
	}
	for _, kv := range stores {
		m := storeSetting.FindStringSubmatch(kv[0])
		id, _ := strconv.Atoi(m[1])
		key := strconv.Itoa(id)
		switch {
		case m[2] == "prefix" && s.StorePrefixes == nil:
			s.StorePrefixes = map[string]string{}
		case m[2] == "tracking" && s.StoreTracking == nil:
			s.StoreTracking = map[string]string{}
		}
		if m[2] == "prefix" {
			s.StorePrefixes[key] = kv[1]
		} else {
			s.StoreTracking[key] = kv[1]
		}
	}
	return nil
}

// isPrefixSetting reports whether a setting gives documents a number prefix.
func isPrefixSetting(name string) bool {
	m := storeSetting.FindStringSubmatch(name)
	return name == "invoice.prefix" || m != nil && m[2] == "prefix"
}

// checkPrefixAgainstXero tells whether Xero already holds invoices under a
// prefix just set that this profile did not make: one paged read. It says
// so plainly when it cannot check (no organisation connected).
func checkPrefixAgainstXero(ctx context.Context, p *Profile, prefix string) string {
	tenant, err := p.Settings.Get(ctx, "xero.tenant_id")
	if err != nil || tenant == "" {
		return "not checked against Xero: no Xero organisation is connected yet (opencart-xero connect); set the prefix again afterwards to check it"
	}
	client, err := NewXeroClient(ctx, p, nil)
	if err != nil {
		return "not checked against Xero: " + err.Error()
	}
	clash, err := export.CheckPrefix(ctx, client, p.History, prefix)
	if err != nil {
		return "not checked against Xero: " + err.Error()
	}
	if clash.Clear() {
		return "checked against Xero: " + clash.String()
	}
	return fmt.Sprintf("warning: %s", clash.String())
}
