package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// LoadExportSettings reads the export choices (setting export.options),
// with invoice.status, invoice.implausible_rate and
// contact.tax_number_fields taking precedence for what they hold.
func LoadExportSettings(ctx context.Context, p *Profile) (export.Settings, error) {
	s := export.DefaultSettings()
	raw, err := p.Settings.Get(ctx, "export.options")
	if err != nil {
		return s, err
	}
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &s); err != nil {
			return s, fmt.Errorf("export.options is not valid JSON: %w", err)
		}
	}
	if s.InvoiceStatus, err = p.Settings.Get(ctx, "invoice.status"); err != nil {
		return s, err
	}
	if s.LockedPeriod, err = p.Settings.Get(ctx, "export.locked_period"); err != nil {
		return s, err
	}
	for _, k := range taxClassKeys {
		v, err := p.Settings.Get(ctx, k.key)
		if err != nil {
			return s, err
		}
		if v = strings.ToUpper(strings.TrimSpace(v)); v != "" {
			s.TaxClasses.Set(k.class, v)
		}
	}
	since, err := p.Settings.Get(ctx, "export.since")
	if err != nil {
		return s, err
	}
	if s.OrdersSince, err = export.ParseSince(since); err != nil {
		return s, fmt.Errorf("export.since: %w", err)
	}
	if s.ImplausibleRate, err = p.Settings.Get(ctx, "invoice.implausible_rate"); err != nil {
		return s, err
	}
	fields, err := p.Settings.Get(ctx, "contact.tax_number_fields")
	if err != nil {
		return s, err
	}
	s.TaxNumberFields = fieldNames(fields)
	return s, applyPrefixSettings(ctx, p, &s)
}

// SaveExportSettings stores the export choices.
func SaveExportSettings(ctx context.Context, p *Profile, s export.Settings) error {
	raw, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("export.options: %w", err)
	}
	if err := p.Settings.Set(ctx, "invoice.status", s.InvoiceStatus); err != nil {
		return err
	}
	if s.LockedPeriod != "" {
		if err := p.Settings.Set(ctx, "export.locked_period", s.LockedPeriod); err != nil {
			return err
		}
	}
	if err := p.Settings.Set(ctx, "invoice.prefix", s.Prefix); err != nil {
		return err
	}
	for _, k := range taxClassKeys {
		if err := p.Settings.Set(ctx, k.key, s.TaxClasses.TypeOf(k.class)); err != nil {
			return err
		}
	}
	since := ""
	if !s.OrdersSince.IsZero() {
		since = s.OrdersSince.Format(export.SinceLayout)
	}
	if err := p.Settings.Set(ctx, "export.since", since); err != nil {
		return err
	}
	if err := p.Settings.Set(ctx, "invoice.implausible_rate", s.ImplausibleRate); err != nil {
		return err
	}
	if err := p.Settings.Set(ctx, "contact.tax_number_fields", strings.Join(s.TaxNumberFields, ", ")); err != nil {
		return err
	}
	return p.Settings.Set(ctx, "export.options", string(raw))
}

func checkSince(v string) error {
	_, err := export.ParseSince(v)
	return err
}

func checkExportOptions(v string) error {
	var s export.Settings
	if err := json.Unmarshal([]byte(v), &s); err != nil {
		return fmt.Errorf("not valid export options JSON: %w", err)
	}
	return nil
}

// OpenStore opens the shop database read-only from the profile's settings.
func OpenStore(ctx context.Context, p *Profile) (*opencart.Reader, error) {
	dsn, err := p.Settings.Get(ctx, "store.dsn")
	if err != nil {
		return nil, err
	}
	if dsn == "" {
		return nil, errNoStoreDSN
	}
	prefix, err := p.Settings.Get(ctx, "store.prefix")
	if err != nil {
		return nil, err
	}
	return openShop(ctx, p, dsn, prefix)
}

// exportLockFile, in the profile directory, lets one export at a time run
// on the profile's history: the window's, a scheduled one or the command
// line's. The others are refused with export.ErrBusy.
const exportLockFile = "export.lock"

// newEngine is the one place an export engine is built on the profile, for
// the window and the command line alike, so that their runs take the same
// profile lock. hist is the profile's history (the window keeps its own
// reference); a nil client is an engine without Xero (dry runs, previews).
func (p *Profile) newEngine(hist *history.Store, settings export.Settings, store *opencart.Reader, client *xero.Client, progress export.Progress) (*export.Engine, error) {
	every := export.DefaultFullSweepEvery
	if v, err := p.Settings.Get(context.Background(), "export.full_sweep_hours"); err == nil && checkFullSweepHours(v) == nil {
		n, _ := strconv.Atoi(strings.TrimSpace(v))
		every = time.Duration(n) * time.Hour
	}
	return export.New(export.Config{Store: store, Xero: client, History: hist, Settings: settings, Progress: progress,
		LockPath: filepath.Join(p.Dir, exportLockFile), Incremental: true, FullSweepEvery: every})
}

// Engine is an export engine with what it opened; Close releases them.
type Engine struct {
	*export.Engine
	Store *opencart.Reader
	close func()
}

// Close closes the shop database.
func (e *Engine) Close() { e.close() }

// NewEngine builds the export engine from the profile: the shop, Xero
// (not needed for a dry run), the history and the export choices.
func NewEngine(ctx context.Context, p *Profile, dryRun bool, progress export.Progress) (*Engine, error) {
	settings, err := LoadExportSettings(ctx, p)
	if err != nil {
		return nil, err
	}
	store, err := OpenStore(ctx, p)
	if err != nil {
		return nil, err
	}
	var client *xero.Client
	if !dryRun {
		if client, err = NewXeroClient(ctx, p, nil); err != nil {
			store.Close()
			return nil, err
		}
		if client.Tenant() == "" {
			store.Close()
			return nil, errors.New("no Xero organisation is chosen: run opencart-xero connect")
		}
	}
	eng, err := p.newEngine(p.History, settings, store, client, progress)
	if err != nil {
		store.Close()
		return nil, err
	}
	return &Engine{Engine: eng, Store: store, close: func() { store.Close() }}, nil
}
