package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/go-sql-driver/mysql"
	"github.com/pkg/browser"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
	"github.com/opencart-xero/opencart-xero/views"
)

// backend is the window's engine: it implements views.Backend with the
// profile's settings and history, the shop reader, the Xero client and the
// export engine.
type backend struct {
	p *Profile
	// hist is the profile's history, kept so that work still under way
	// when the profile closes meets a closed database, not a nil one.
	hist *history.Store
	// open shows a URL in the browser (Xero sign-in, deep links).
	open func(string) error

	mu      sync.Mutex
	reader  *opencart.Reader
	readKey string // dsn + prefix the reader was opened with
	sandbox bool   // xero.base_url is set: no deep links into Xero
}

// newBackend builds the window's backend on profile p; open nil means the
// system browser.
func newBackend(ctx context.Context, p *Profile, open func(string) error) (*backend, error) {
	if open == nil {
		open = browser.OpenURL
	}
	b := &backend{p: p, hist: p.History, open: open}
	base, err := p.Settings.Get(ctx, "xero.base_url")
	if err != nil {
		return nil, err
	}
	b.sandbox = base != ""
	return b, nil
}

var _ views.Backend = (*backend)(nil)

// Close closes the shop connection.
func (b *backend) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.reader != nil {
		b.reader.Close()
		b.reader = nil
	}
}

func (b *backend) Setting(ctx context.Context, name string) (string, error) {
	return b.p.Settings.Get(ctx, name)
}

func (b *backend) CheckSetting(name, value string) error {
	k, ok := LookupSettingKey(name)
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownSetting, name)
	}
	if value == "" || k.Check == nil {
		return nil
	}
	return k.Check(strings.TrimSpace(value))
}

func (b *backend) SaveSettings(ctx context.Context, values map[string]string) error {
	fe := views.FieldErrors{}
	names := make([]string, 0, len(values))
	for n := range values {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if err := b.CheckSetting(n, values[n]); err != nil {
			fe[n] = err.Error()
			continue
		}
		if err := b.p.Settings.Set(ctx, n, values[n]); err != nil {
			return err
		}
		if n == "xero.base_url" {
			b.mu.Lock()
			b.sandbox = strings.TrimSpace(values[n]) != ""
			b.mu.Unlock()
		}
	}
	if len(fe) > 0 {
		return fe
	}
	return nil
}

// Store reads store.dsn and store.prefix into the form's fields.
func (b *backend) Store(ctx context.Context) (views.StoreConfig, error) {
	prefix, err := b.p.Settings.Get(ctx, "store.prefix")
	if err != nil {
		return views.StoreConfig{}, err
	}
	dsn, err := b.p.Settings.Get(ctx, "store.dsn")
	if err != nil || dsn == "" {
		return views.StoreConfig{Port: 3306, Prefix: prefix}, err
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return views.StoreConfig{Port: 3306, Prefix: prefix}, fmt.Errorf("the saved shop connection cannot be read: %w", err)
	}
	c := views.StoreConfig{Database: cfg.DBName, User: cfg.User, Password: cfg.Passwd, Prefix: prefix, Port: 3306}
	if c.Reach, err = storeReach(ctx, b.p.Settings); err != nil {
		return c, err
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		host = cfg.Addr
	} else if n, err := strconv.Atoi(port); err == nil {
		c.Port = n
	}
	c.Host = host
	return c, nil
}

// storeDSN composes the MySQL DSN of a shop connection.
func storeDSN(c views.StoreConfig) string {
	cfg := mysql.NewConfig()
	cfg.Net = "tcp"
	port := c.Port
	if port == 0 {
		port = 3306
	}
	cfg.Addr = net.JoinHostPort(c.Host, strconv.Itoa(port))
	cfg.DBName, cfg.User, cfg.Passwd = c.Database, c.User, c.Password
	return cfg.FormatDSN()
}

func (b *backend) CheckStore(c views.StoreConfig) error {
	var missing []string
	for _, f := range []struct{ name, v string }{{"the host", c.Host}, {"the database name", c.Database}, {"the user", c.User}} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("enter %s", strings.Join(missing, ", "))
	}
	if c.Port < 0 || c.Port > 65535 {
		return errors.New("a port is a number from 1 to 65535")
	}
	if err := checkPrefix(c.Prefix); err != nil {
		return err
	}
	if err := checkDSN(storeDSN(c)); err != nil {
		return err
	}
	return checkStoreReach(c.Reach)
}

func (b *backend) SaveStore(ctx context.Context, c views.StoreConfig) error {
	if err := b.CheckStore(c); err != nil {
		return err
	}
	if err := b.p.Settings.Set(ctx, "store.dsn", storeDSN(c)); err != nil {
		return err
	}
	if err := b.saveStoreReach(ctx, c.Reach); err != nil {
		return err
	}
	return b.p.Settings.Set(ctx, "store.prefix", c.Prefix)
}

func (b *backend) TestStore(ctx context.Context, c views.StoreConfig) (opencart.Summary, error) {
	if err := b.CheckStore(c); err != nil {
		return opencart.Summary{}, err
	}
	return testShop(ctx, c)
}

// store returns the shop reader for the saved connection, opening it on
// first use and again when the connection was changed.
func (b *backend) store(ctx context.Context) (*opencart.Reader, error) {
	dsn, err := b.p.Settings.Get(ctx, "store.dsn")
	if err != nil {
		return nil, err
	}
	if dsn == "" {
		return nil, errors.New("no shop is set up yet: enter its database under Settings")
	}
	prefix, err := b.p.Settings.Get(ctx, "store.prefix")
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.reader != nil && b.readKey == dsn+"\x00"+prefix {
		return b.reader, nil
	}
	r, err := openShop(ctx, b.p, dsn, prefix)
	if err != nil {
		return nil, err
	}
	if b.reader != nil {
		b.reader.Close()
	}
	b.reader, b.readKey = r, dsn+"\x00"+prefix
	return r, nil
}

// xeroClient builds the Xero client with the window's browser opener.
func (b *backend) xeroClient(ctx context.Context) (*xero.Client, error) {
	return NewXeroClient(ctx, b.p, func(o *xero.Options) { o.Open = b.open })
}

func (b *backend) Xero(ctx context.Context) (views.XeroState, error) {
	var x views.XeroState
	var err error
	if x.ClientID, err = b.p.Settings.Get(ctx, "xero.client_id"); err != nil {
		return x, err
	}
	if x.ClientSecret, err = b.p.Settings.Get(ctx, "xero.client_secret"); err != nil {
		return x, err
	}
	if x.TenantID, err = b.p.Settings.Get(ctx, "xero.tenant_id"); err != nil {
		return x, err
	}
	port, err := b.p.Settings.Get(ctx, "xero.redirect_port")
	if err != nil {
		return x, err
	}
	n, _ := strconv.Atoi(port)
	x.RedirectURI = xero.RedirectURI(n)
	base, err := b.p.Settings.Get(ctx, "xero.base_url")
	if err != nil {
		return x, err
	}
	x.Sandbox = base != ""
	if _, err := NewXeroTokenStore(b.p).Load(ctx); errors.Is(err, xero.ErrNoToken) {
		return x, nil
	} else if err != nil {
		return x, err
	}
	x.Connected = true
	if x.ClientID == "" {
		return x, nil
	}
	cl, err := b.xeroClient(ctx)
	if err != nil {
		return x, err
	}
	// Listing the organisations renews the sign-in when needed: a refusal
	// means the bookkeeper has to connect again.
	x.Tenants, err = cl.Tenants(ctx)
	var ae *xero.AuthError
	if errors.As(err, &ae) {
		x.NeedsReconnect = true
		return x, nil
	}
	if tok, terr := NewXeroTokenStore(b.p).Load(ctx); terr == nil {
		x.Clock = xero.ClockOf(tok, tokenRenewed(b.p.Dir)) // health.go
	}
	return x, err
}

func (b *backend) Connect(ctx context.Context, show func(url string, browserOpened bool)) ([]xero.Tenant, error) {
	cl, err := b.xeroClient(ctx)
	if err != nil {
		return nil, err
	}
	if err := cl.Login(ctx, xero.LoginOptions{ShowURL: show}); err != nil {
		if errors.Is(err, xero.ErrPortInUse) {
			return nil, fmt.Errorf("%w: another program uses the redirect port; close it, or change xero.redirect_port and register the new redirect URI with your Xero app", err)
		}
		return nil, err
	}
	tenants, err := cl.Tenants(ctx)
	if err != nil {
		return nil, err
	}
	current, err := b.p.Settings.Get(ctx, "xero.tenant_id")
	if err != nil {
		return nil, err
	}
	if t, err := xero.PickTenant(tenants, current); err == nil {
		return tenants, b.p.Settings.Set(ctx, "xero.tenant_id", t.TenantID)
	}
	if len(tenants) == 1 {
		return tenants, b.p.Settings.Set(ctx, "xero.tenant_id", tenants[0].TenantID)
	}
	return tenants, b.p.Settings.Set(ctx, "xero.tenant_id", "")
}

func (b *backend) ChooseTenant(ctx context.Context, tenantID string) error {
	return b.p.Settings.Set(ctx, "xero.tenant_id", tenantID)
}

func (b *backend) Disconnect(ctx context.Context) error {
	if _, err := NewXeroTokenStore(b.p).Load(ctx); errors.Is(err, xero.ErrNoToken) {
		return b.p.Settings.Set(ctx, "xero.tenant_id", "")
	}
	cl, err := b.xeroClient(ctx)
	if err != nil {
		return err
	}
	revokeErr := cl.Revoke(ctx)
	if err := b.p.Settings.Set(ctx, "xero.tenant_id", ""); err != nil {
		return err
	}
	if revokeErr != nil {
		return fmt.Errorf("the stored Xero sign-in was removed, but Xero could not be told (%w); you can also remove the app under Settings → Connected apps in Xero", revokeErr)
	}
	return nil
}

// recentOrders is how many of the newest orders are read to find the
// payment methods the shop uses.
const recentOrders = 500

// Choices reads the organisation's accounts and tax rates and the shop's
// tax rates, statuses, return actions and recent orders; export.NewChoices decides what
// the dropdowns offer and proposes the picks.
func (b *backend) Choices(ctx context.Context) (views.Choices, error) {
	cl, err := b.xeroClient(ctx)
	if err != nil {
		return views.Choices{}, err
	}
	org, err := cl.Organisation(ctx)
	if err != nil {
		return views.Choices{}, err
	}
	accounts, err := cl.Accounts(ctx)
	if err != nil {
		return views.Choices{}, err
	}
	rates, err := cl.TaxRates(ctx)
	if err != nil {
		return views.Choices{}, err
	}
	r, err := b.store(ctx)
	if err != nil {
		return views.Choices{}, err
	}
	shopRates, err := r.TaxRates(ctx)
	if err != nil {
		return views.Choices{}, err
	}
	set, err := b.ExportSettings(ctx)
	if err != nil {
		return views.Choices{}, err
	}
	statuses, err := r.OrderStatuses(ctx)
	if err != nil {
		return views.Choices{}, err
	}
	actions, err := r.ReturnActions(ctx)
	if err != nil {
		return views.Choices{}, err
	}
	orders, err := r.OrderList(ctx, opencart.OrderFilter{}, opencart.ListOptions{Sort: opencart.SortID, Desc: true, Limit: recentOrders})
	if err != nil {
		return views.Choices{}, err
	}
	c := export.NewChoices(org.CountryCode, accounts, rates, shopRates, statuses, actions, orders, set)
	r.SetTaxNumberFields(set.TaxNumberFields)
	if c.CustomFields, err = r.CustomFields(ctx); err != nil {
		return views.Choices{}, err
	}
	return c, nil
}

// ExportSettings reads the export choices (export.options, with
// invoice.status taking precedence).
func (b *backend) ExportSettings(ctx context.Context) (export.Settings, error) {
	return LoadExportSettings(ctx, b.p)
}

func (b *backend) SaveExportSettings(ctx context.Context, s export.Settings) error {
	return SaveExportSettings(ctx, b.p, s)
}

func (b *backend) Statuses(ctx context.Context) ([]opencart.OrderStatus, error) {
	r, err := b.store(ctx)
	if err != nil {
		return nil, err
	}
	return r.OrderStatuses(ctx)
}

func (b *backend) Preview(ctx context.Context, orderID int) (export.Preview, error) {
	e, err := b.engine(ctx, nil, true)
	if err != nil {
		return export.Preview{}, err
	}
	return e.PreviewOrder(ctx, orderID)
}

func (b *backend) UpdateDraft(ctx context.Context, orderID int) (export.Preview, error) {
	e, err := b.engine(ctx, nil, false)
	if err != nil {
		return export.Preview{}, err
	}
	return e.UpdateDraft(ctx, orderID)
}

// engine builds an export engine; without Xero (dry runs, previews) a
// missing connection is no error.
func (b *backend) engine(ctx context.Context, p export.Progress, dryRun bool) (*export.Engine, error) {
	r, err := b.store(ctx)
	if err != nil {
		return nil, err
	}
	set, err := b.ExportSettings(ctx)
	if err != nil {
		return nil, err
	}
	var cl *xero.Client
	if _, terr := NewXeroTokenStore(b.p).Load(ctx); terr == nil || !dryRun {
		if cl, err = b.xeroClient(ctx); err != nil && !dryRun {
			return nil, err
		}
	}
	return b.p.newEngine(b.hist, set, r, cl, p)
}

func (b *backend) Export(ctx context.Context, req export.Request, p export.Progress) (export.Summary, error) {
	e, err := b.engine(ctx, p, req.DryRun)
	if err != nil {
		return export.Summary{}, err
	}
	return e.Run(ctx, req)
}

func (b *backend) Runs(ctx context.Context, limit int) ([]history.Run, error) {
	return b.hist.Runs(ctx, limit)
}

func (b *backend) RunRecords(ctx context.Context, runID int64) ([]history.Record, error) {
	return b.hist.Records(ctx, history.RecordFilter{RunID: runID})
}

func (b *backend) AuditTrail(ctx context.Context) ([]views.AuditEntry, error) {
	recs, err := b.hist.Records(ctx, history.RecordFilter{})
	if err != nil {
		return nil, err
	}
	var out []views.AuditEntry
	for _, r := range recs {
		evs, err := b.hist.Events(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		for i, e := range evs {
			// "sending" is the step before an outcome; it is one only when
			// nothing followed it (the answer never came).
			if e.State == history.StateSending && i < len(evs)-1 {
				continue
			}
			out = append(out, views.AuditEntry{At: e.At, RunID: e.RunID, Kind: r.Kind, OpenCartID: r.OpenCartID,
				XeroID: r.XeroID, XeroNumber: r.XeroNumber, State: e.State, Message: e.Message,
				Currency: r.Currency, OpenCartTotal: r.OpenCartTotal, XeroTotal: r.XeroTotal, Contact: r.Contact,
				DocumentDate: e.DocumentDate})
		}
	}
	slices.SortStableFunc(out, func(a, b views.AuditEntry) int { return a.At.Compare(b.At) })
	return out, nil
}

// XeroLink is the document's page in Xero's web app (export.XeroLink),
// through the organisation's ShortCode when a run has read it. The sandbox
// serves no web app, so there is no link when calls go to one.
func (b *backend) XeroLink(kind, xeroID string) string {
	b.mu.Lock()
	sandbox := b.sandbox
	b.mu.Unlock()
	if sandbox || xeroID == "" {
		return ""
	}
	ctx := context.Background()
	tenant, _ := b.p.Settings.Get(ctx, "xero.tenant_id")
	return export.XeroLink(export.ShortCode(ctx, b.hist, tenant), kind, xeroID)
}

func (b *backend) OpenURL(u string) error { return b.open(u) }
