package views

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/reconcile"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// testApp is the one headless Fyne app every widget test opens its own
// window in: test.NewApp replaces the process's current app, so making
// one per test would not be safe in parallel.
var testApp fyne.App

func TestMain(m *testing.M) {
	testApp = test.NewApp()
	os.Exit(m.Run())
}

// fakeBackend is an in-memory Backend for widget tests: a settings map,
// a few rows per list, a preview, history runs and an export that reports
// the events it is given. fail injects an error per method name. It is
// safe for concurrent use; every call is recorded.
type fakeBackend struct {
	mu       sync.Mutex
	settings map[string]string
	store    StoreConfig
	xero     XeroState
	choices  Choices
	options  export.Settings
	statuses []opencart.OrderStatus
	rows     map[ListKind][]Row
	preview  export.Preview
	docs     map[string][]export.DocumentPreview // PreviewDocuments by kind
	runs     []history.Run
	records  map[int64][]history.Record
	// events are what Export reports before it returns summary. With
	// step set, Export waits for a value on it before each event and
	// before returning.
	events  []export.Event
	summary export.Summary
	// trial is what a dry run returns (the confirmation's counts); nil
	// ByKind = the summary like any run.
	trial export.Summary
	step  chan struct{}
	// storeGate, when set, holds every Store call (the first read of a
	// settings load) until it is closed.
	storeGate chan struct{}
	// fail makes the method of that name return the error.
	fail map[string]error

	// report is what Reconcile returns (a fresh copy each time); undoPlan
	// and undoDone what UndoRun returns for a dry run and an undo
	// (fake_reconcile_test.go).
	report             *reconcile.Report
	undoPlan, undoDone export.UndoResult
	// updated is the preview UpdateDraft answers (and Preview after it).
	updated export.Preview
	applied []string // "remedy number" of ApplyRemedy
	undos   []string // "run dry-run?" of UndoRun

	calls          []string
	savedOptions   []export.Settings
	savedSettings  []map[string]string
	previewed      []int
	queries        []ListQuery
	exports        []export.Request
	recordsAskedOf []int64
}

// newFakeBackend is a shop with three orders and two customers, connected
// to an organisation with the chart of accounts of fakeAccounts.
func newFakeBackend() *fakeBackend {
	day := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	f := &fakeBackend{
		settings: map[string]string{"invoice.status": "DRAFT"},
		store:    StoreConfig{Host: "127.0.0.1", Port: 3306, Database: "shop", User: "reader", Prefix: "oc_"},
		xero: XeroState{ClientID: "CLIENT", RedirectURI: "http://localhost:28512/callback", Connected: true, TenantID: "t1",
			Tenants: []xero.Tenant{{TenantID: "t1", TenantName: "Bean & Leaf Ltd"}}},
		options:  export.DefaultSettings(),
		statuses: []opencart.OrderStatus{{ID: 1, Name: "Pending"}, {ID: 5, Name: "Complete"}, {ID: 7, Name: "Canceled"}},
		rows: map[ListKind][]Row{
			ListOrders: {
				{ID: 3, Name: "Carol Jones", Email: "carol@example.com", Status: "Complete", Date: day, Currency: "GBP", OpenCartTotal: "30.00"},
				{ID: 2, Name: "Bob Smith", Email: "bob@example.com", Status: "Complete", Date: day, Currency: "GBP", OpenCartTotal: "20.00",
					Export: ExportState{State: history.StateExported, Kind: history.KindInvoice, XeroID: "inv-2", XeroNumber: "OC-2"}},
				{ID: 1, Name: "Ann Lee", Email: "ann@example.com", Status: "Pending", Date: day, Currency: "GBP", OpenCartTotal: "10.00"},
			},
			ListCustomers: {
				{ID: 2, Name: "Bob Smith", Email: "bob@example.com", Status: "enabled", Date: day},
				{ID: 1, Name: "Ann Lee", Email: "ann@example.com", Status: "enabled", Date: day},
			},
			ListCreditNotes: {{ID: 3, Name: "Carol Jones", Status: "Refunded", Date: day, Currency: "GBP", OpenCartTotal: "30.00"}},
			ListPayments:    {{ID: 2, Name: "Bob Smith", Status: "Complete", Date: day, Currency: "GBP", OpenCartTotal: "20.00"}},
		},
		preview: export.Preview{Currency: "GBP", OpenCartTotal: "20.00", XeroTotal: "20.00", Match: true,
			Invoice: xero.Invoice{Type: "ACCREC", InvoiceNumber: "OC-2", Status: "DRAFT", CurrencyCode: "GBP",
				Contact: &xero.Contact{Name: "Bob Smith", ContactNumber: "OC-C2"}}},
		runs: []history.Run{
			{ID: 2, StartedAt: day.Add(time.Hour), FinishedAt: day.Add(time.Hour + time.Minute), Scope: "all", Trigger: "manual", Exported: 2, Failed: 1, State: "finished"},
			{ID: 1, StartedAt: day, FinishedAt: day.Add(time.Minute), Scope: "orders", Trigger: "manual", Exported: 1, State: "finished"},
		},
		records: map[int64][]history.Record{
			2: {
				{Kind: history.KindInvoice, OpenCartID: "2", XeroNumber: "OC-2", State: history.StateExported},
				{Kind: history.KindContact, OpenCartID: "OC-C2", State: history.StateExported},
				{Kind: history.KindInvoice, OpenCartID: "3", State: history.StateFailed, Error: "Account code '999' is not a valid code"},
			},
			1: {{Kind: history.KindInvoice, OpenCartID: "1", XeroNumber: "OC-1", State: history.StateExported}},
		},
		fail: map[string]error{},
	}
	f.choices = export.NewChoices("", fakeAccounts, fakeTaxRates, nil, f.statuses, fakeReturnActions,
		[]opencart.Order{{PaymentMethod: opencart.Method{Title: "Card", Code: "card.card"}}}, f.options)
	return f
}

// fakeAccounts are one account of each kind the settings screen sorts.
var fakeAccounts = []xero.Account{
	{Code: "090", Name: "Business Bank Account", Type: "BANK", Status: "ACTIVE"},
	{Code: "091", Name: "Closed Bank Account", Type: "BANK", Status: "ARCHIVED"},
	{Code: "200", Name: "Sales", Type: "REVENUE", Status: "ACTIVE"},
	{Code: "260", Name: "Other Revenue", Type: "OTHERINCOME", Status: "ACTIVE"},
	{Code: "615", Name: "Card clearing", Type: "CURRENT", Status: "ACTIVE", EnablePaymentsToAccount: true},
	{Code: "860", Name: "Rounding", Type: "CURRENT", Status: "ACTIVE", SystemAccount: "ROUNDING"},
}

// fakeReturnActions are OpenCart 3.0's return actions.
var fakeReturnActions = []opencart.ReturnAction{{ID: 1, Name: "Refunded"}, {ID: 2, Name: "Credit Issued"}, {ID: 3, Name: "Replacement Sent"}}

var fakeTaxRates = []xero.TaxRate{
	{Name: "20% (VAT on Income)", TaxType: "OUTPUT2", Status: "ACTIVE", CanApplyToRevenue: true, EffectiveRate: xero.MustAmount("20")},
	{Name: "No VAT", TaxType: "NONE", Status: "ACTIVE", CanApplyToRevenue: true, EffectiveRate: xero.MustAmount("0")},
}

var _ Backend = (*fakeBackend)(nil)

// called records a call and returns the error injected for it.
func (f *fakeBackend) called(method string, args ...any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, strings.TrimSpace(method+" "+fmt.Sprint(args...)))
	return f.fail[method]
}

// failOn injects err into every later call of method.
func (f *fakeBackend) failOn(method string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[method] = err
}

// count is how many times method was called.
func (f *fakeBackend) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c == method || strings.HasPrefix(c, method+" ") {
			n++
		}
	}
	return n
}

// locked runs g with the fake's state locked, to read what was recorded.
func (f *fakeBackend) locked(g func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	g()
}

func (f *fakeBackend) Setting(_ context.Context, name string) (string, error) {
	if err := f.called("Setting", name); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.settings[name], nil
}

func (f *fakeBackend) CheckSetting(name, value string) error {
	if err := f.called("CheckSetting", name); err != nil {
		return err
	}
	if name == "xero.client_id" && strings.ContainsAny(value, " \t") {
		return errors.New("must not contain spaces")
	}
	if name == "store.prefix" && strings.ContainsAny(value, " -.") {
		return errors.New("a table prefix has only letters, digits and _")
	}
	return nil
}

func (f *fakeBackend) SaveSettings(_ context.Context, values map[string]string) error {
	if err := f.called("SaveSettings"); err != nil {
		return err
	}
	fe := FieldErrors{}
	for k, v := range values {
		if err := f.CheckSetting(k, v); err != nil {
			fe[k] = err.Error()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.savedSettings = append(f.savedSettings, maps.Clone(values))
	if len(fe) > 0 {
		return fe
	}
	maps.Copy(f.settings, values)
	return nil
}

func (f *fakeBackend) Store(context.Context) (StoreConfig, error) {
	if err := f.called("Store"); err != nil {
		return StoreConfig{}, err
	}
	f.mu.Lock()
	gate := f.storeGate
	f.mu.Unlock()
	if gate != nil {
		<-gate
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.store, nil
}

func (f *fakeBackend) CheckStore(c StoreConfig) error {
	if err := f.called("CheckStore"); err != nil {
		return err
	}
	if c.Host == "" || c.Database == "" || c.User == "" {
		return errors.New("enter the host, the database name and the user")
	}
	return f.CheckSetting("store.prefix", c.Prefix)
}

func (f *fakeBackend) SaveStore(_ context.Context, c StoreConfig) error {
	if err := f.called("SaveStore"); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.store = c
	return nil
}

func (f *fakeBackend) TestStore(_ context.Context, c StoreConfig) (opencart.Summary, error) {
	if err := f.called("TestStore"); err != nil {
		return opencart.Summary{}, err
	}
	return opencart.Summary{Family: opencart.Family40, Database: c.Database, Prefix: c.Prefix, StoreName: "Bean & Leaf", OrdersTotal: 3}, nil
}

// ReadConfigPHP fills the form as a shop's config.php would: the fake
// reads no file, it answers with a fixed shop.
func (f *fakeBackend) ReadConfigPHP(_ context.Context, c StoreConfig, path string, onServer bool) (StoreConfig, []string, error) {
	if err := f.called("ReadConfigPHP"); err != nil {
		return c, nil, err
	}
	c.Host, c.Port, c.Database, c.User, c.Password, c.Prefix = "127.0.0.1", 3306, "shop", "shop_ro", "s3cret", "oc_"
	return c, []string{"read from " + path}, nil
}

func (f *fakeBackend) Xero(context.Context) (XeroState, error) {
	if err := f.called("Xero"); err != nil {
		return XeroState{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.xero, nil
}

func (f *fakeBackend) Connect(_ context.Context, show func(url string, browserOpened bool)) ([]xero.Tenant, error) {
	if err := f.called("Connect"); err != nil {
		return nil, err
	}
	show("https://login.example/authorize", false)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.xero.Connected = true
	return f.xero.Tenants, nil
}

func (f *fakeBackend) ChooseTenant(_ context.Context, id string) error {
	if err := f.called("ChooseTenant", id); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.xero.TenantID = id
	return nil
}

func (f *fakeBackend) Disconnect(context.Context) error {
	if err := f.called("Disconnect"); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.xero.Connected, f.xero.TenantID = false, ""
	return nil
}

func (f *fakeBackend) Choices(context.Context) (Choices, error) {
	if err := f.called("Choices"); err != nil {
		return Choices{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.choices, nil
}

func (f *fakeBackend) ExportSettings(context.Context) (export.Settings, error) {
	if err := f.called("ExportSettings"); err != nil {
		return export.Settings{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.options, nil
}

func (f *fakeBackend) SaveExportSettings(_ context.Context, s export.Settings) error {
	if err := f.called("SaveExportSettings"); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.savedOptions = append(f.savedOptions, s)
	f.options = s
	return nil
}

func (f *fakeBackend) Statuses(context.Context) ([]opencart.OrderStatus, error) {
	if err := f.called("Statuses"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.statuses), nil
}

// List filters the kind's rows by the search text (name, e-mail or
// number), status and export state, then pages them.
func (f *fakeBackend) List(_ context.Context, kind ListKind, q ListQuery) (Page, error) {
	if err := f.called("List", kind, " ", q.Search); err != nil {
		return Page{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queries = append(f.queries, q)
	statusName := ""
	for _, st := range f.statuses {
		if st.ID == q.StatusID {
			statusName = st.Name
		}
	}
	search := strings.ToLower(q.Search)
	var rows []Row
	for _, r := range f.rows[kind] {
		text := strings.ToLower(r.Name + " " + r.Email + " " + strconv.Itoa(r.ID))
		if search != "" && !strings.Contains(text, search) ||
			q.StatusID != 0 && r.Status != statusName || q.State != "" && r.Export.State != q.State {
			continue
		}
		rows = append(rows, r)
	}
	p := Page{Total: len(rows)}
	if !q.Count {
		p.Total = 0
	}
	lo := q.Offset
	if q.From != nil {
		// By key, as the shop reads it: after the row with the key.
		lo = len(rows)
		for i, r := range rows {
			if r.ID == q.From.Key.ID {
				lo = i + 1 + q.Offset - q.From.Index
			}
		}
	}
	lo = min(lo, len(rows))
	hi := min(lo+q.Limit, len(rows))
	p.Rows = rows[lo:hi]
	if hi > lo {
		p.Last = &opencart.ListKey{ID: rows[hi-1].ID}
	}
	return p, nil
}

func (f *fakeBackend) Preview(_ context.Context, orderID int) (export.Preview, error) {
	if err := f.called("Preview", orderID); err != nil {
		return export.Preview{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.previewed = append(f.previewed, orderID)
	return f.preview, nil
}

// UpdateDraft records the update and answers the preview in updated.
func (f *fakeBackend) UpdateDraft(_ context.Context, orderID int) (export.Preview, error) {
	if err := f.called("UpdateDraft", orderID); err != nil {
		return export.Preview{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.preview = f.updated
	return f.updated, nil
}

func (f *fakeBackend) PreviewDocuments(_ context.Context, kind string, orderID int) ([]export.DocumentPreview, error) {
	if err := f.called("PreviewDocuments", orderID); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.previewed = append(f.previewed, orderID)
	return f.docs[kind], nil
}

// Export reports the fake's events, waiting on step (when set) before each
// and before it returns the summary.
func (f *fakeBackend) Export(ctx context.Context, req export.Request, p export.Progress) (export.Summary, error) {
	f.mu.Lock()
	f.exports = append(f.exports, req)
	events, sum, step := slices.Clone(f.events), f.summary, f.step
	if req.DryRun && f.trial.ByKind != nil {
		trial := f.trial
		trial.ByKind = maps.Clone(f.trial.ByKind)
		if f.options.InvoiceStatus != mapping.StatusAuthorised {
			delete(trial.ByKind, history.KindPayment) // payments wait for approved invoices
		}
		f.mu.Unlock()
		return trial, f.called("Export")
	}
	f.mu.Unlock()
	wait := func() error {
		if step == nil {
			return nil
		}
		select {
		case <-step:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for _, e := range events {
		if err := wait(); err != nil {
			return export.Summary{}, err
		}
		p.Report(e)
	}
	if err := wait(); err != nil {
		return export.Summary{}, err
	}
	if err := f.called("Export"); err != nil {
		return sum, err
	}
	return sum, nil
}

func (f *fakeBackend) Runs(_ context.Context, limit int) ([]history.Run, error) {
	if err := f.called("Runs"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.runs[:min(limit, len(f.runs))]), nil
}

func (f *fakeBackend) RunRecords(_ context.Context, runID int64) ([]history.Record, error) {
	if err := f.called("RunRecords", runID); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.recordsAskedOf = append(f.recordsAskedOf, runID)
	return slices.Clone(f.records[runID]), nil
}

func (f *fakeBackend) AuditTrail(context.Context) ([]AuditEntry, error) {
	if err := f.called("AuditTrail"); err != nil {
		return nil, err
	}
	return nil, nil
}

func (f *fakeBackend) XeroLink(kind, xeroID string) string {
	if xeroID == "" {
		return ""
	}
	return "https://go.xero.example/" + kind + "/" + xeroID
}

func (f *fakeBackend) OpenURL(u string) error { return f.called("OpenURL", u) }
