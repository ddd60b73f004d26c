package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// LoadExportSettings reads the export choices (setting export.options),
// with invoice.status taking precedence for the invoice status.
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
	return s, nil
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
	return p.Settings.Set(ctx, "export.options", string(raw))
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
	cfg := export.Config{Store: store, History: p.History, Settings: settings, Progress: progress,
		LockPath: filepath.Join(p.Dir, "export.lock")}
	if !dryRun {
		client, err := NewXeroClient(ctx, p, nil)
		if err != nil {
			store.Close()
			return nil, err
		}
		if client.Tenant() == "" {
			store.Close()
			return nil, errors.New("no Xero organisation is chosen: run opencart-xero connect")
		}
		cfg.Xero = client
	}
	eng, err := export.New(cfg)
	if err != nil {
		store.Close()
		return nil, err
	}
	return &Engine{Engine: eng, Store: store, close: func() { store.Close() }}, nil
}
