package views

import (
	"context"
	"strings"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// Backend is everything the screens ask of the engine. The app implements
// it with the real profile, shop reader, Xero client and export engine.
// Every method may be slow: the screens call them from goroutines.
type Backend interface {
	// Setting returns a setting's value (secrets included, for editing).
	Setting(ctx context.Context, name string) (string, error)
	// CheckSetting says in plain words why a value is not acceptable.
	CheckSetting(name, value string) error
	// SaveSettings stores several settings; a FieldErrors error names the
	// fields that were refused.
	SaveSettings(ctx context.Context, values map[string]string) error

	// Store returns the shop connection as the form shows it.
	Store(ctx context.Context) (StoreConfig, error)
	// CheckStore says why a shop connection cannot be saved, or nil.
	CheckStore(c StoreConfig) error
	// SaveStore stores the shop connection.
	SaveStore(ctx context.Context, c StoreConfig) error
	// TestStore connects to the shop and reads its version and counts.
	TestStore(ctx context.Context, c StoreConfig) (opencart.Summary, error)
	// ReadConfigPHP fills the shop connection from OpenCart's config.php:
	// a file on this computer, or on the SSH server of c when onServer.
	// The notes say what could not be read or needs care.
	ReadConfigPHP(ctx context.Context, c StoreConfig, path string, onServer bool) (StoreConfig, []string, error)

	// Xero reports the Xero connection.
	Xero(ctx context.Context) (XeroState, error)
	// Connect signs in to Xero in the browser; show is given the sign-in
	// address (and whether a browser opened). It returns the organisations.
	Connect(ctx context.Context, show func(url string, browserOpened bool)) ([]xero.Tenant, error)
	// ChooseTenant makes one organisation the one exports go to.
	ChooseTenant(ctx context.Context, tenantID string) error
	// Disconnect withdraws the Xero sign-in.
	Disconnect(ctx context.Context) error

	// Choices lists what the mapping dropdowns offer, from the shop and
	// the connected organisation, with proposed defaults.
	Choices(ctx context.Context) (Choices, error)
	// ExportSettings returns the saved export choices (mapping options,
	// statuses never exported, customer scope, automatic export).
	ExportSettings(ctx context.Context) (export.Settings, error)
	// SaveExportSettings stores the export choices.
	SaveExportSettings(ctx context.Context, s export.Settings) error

	// Statuses lists the shop's order statuses.
	Statuses(ctx context.Context) ([]opencart.OrderStatus, error)
	// List reads one page of a list screen.
	List(ctx context.Context, kind ListKind, q ListQuery) (Page, error)
	// Preview shows the Xero invoice of an order beside OpenCart's totals.
	Preview(ctx context.Context, orderID int) (export.Preview, error)
	// UpdateDraft updates an order's exported draft invoice in Xero to what
	// would be sent now (only when export.CanUpdateDraft holds) and returns
	// the preview read afterwards.
	UpdateDraft(ctx context.Context, orderID int) (export.Preview, error)
	// PreviewDocuments shows an order's credit notes (kind
	// history.KindCreditNote) or payment (history.KindPayment) as they
	// would be sent now, beside what Xero holds for those exported.
	PreviewDocuments(ctx context.Context, kind string, orderID int) ([]export.DocumentPreview, error)
	// Export runs an export, reporting progress; it returns when the run ends.
	Export(ctx context.Context, req export.Request, p export.Progress) (export.Summary, error)

	// Runs lists the newest export runs.
	Runs(ctx context.Context, limit int) ([]history.Run, error)
	// RunRecords lists the records a run touched.
	RunRecords(ctx context.Context, runID int64) ([]history.Record, error)
	// AuditTrail lists every event of every record, oldest first.
	AuditTrail(ctx context.Context) ([]AuditEntry, error)

	// XeroLink is the address of a document in Xero's web app; "" when
	// there is none to open (e.g. with a sandbox).
	XeroLink(kind, xeroID string) string
	// OpenURL opens an address in the browser.
	OpenURL(u string) error

	// Reconciler: the Reconcile tab and the undo of a run (backend_reconcile.go).
	Reconciler
}

// FieldErrors maps setting names to why their value was refused.
type FieldErrors map[string]string

func (f FieldErrors) Error() string {
	s := "some settings were not saved:"
	for k, v := range f {
		s += " " + k + ": " + v + ";"
	}
	return s
}

// StoreConfig is the OpenCart database connection as the form shows it.
type StoreConfig struct {
	Host     string
	Port     int
	Database string
	User     string
	Password string
	Prefix   string
	// Reach is how the database is reached: TLS and the SSH tunnel.
	Reach StoreReach
}

// XeroState is the Xero connection as the settings screen shows it.
type XeroState struct {
	ClientID     string
	ClientSecret string
	// RedirectURI must be registered with the Xero app, exactly.
	RedirectURI string
	// Connected is true when a sign-in is stored.
	Connected bool
	// NeedsReconnect is true when Xero refused the stored sign-in.
	NeedsReconnect bool
	TenantID       string
	Tenants        []xero.Tenant
	// Sandbox is true when calls go to a sandbox instead of Xero.
	Sandbox bool
	// Clock is when the sign-in was last renewed and when it lapses
	// unused (zero = unknown); health.go shows it.
	Clock xero.ConnectionClock
}

// TokenText is the connection state in the bookkeeper's words.
func (x XeroState) TokenText() string {
	switch {
	case !x.Connected:
		return "not connected"
	case x.NeedsReconnect:
		return "reconnect needed"
	}
	return "connected, renews automatically"
}

// Choices are what the mapping dropdowns offer. Which account may be
// picked where is the engine's rule (export.Choices), not the screen's.
type Choices = export.Choices

// ListKind names a list screen.
type ListKind string

// The list screens.
const (
	ListCustomers   ListKind = "customers"
	ListOrders      ListKind = "orders"
	ListCreditNotes ListKind = "credit-notes"
	ListPayments    ListKind = "payments"
)

// Export-state filters beyond the history's states.
const (
	// FilterNotExported keeps the rows with nothing in Xero: never
	// exported, failed or skipped.
	FilterNotExported = "not-exported"
	// FilterTotalsDiffer keeps the exported rows whose Xero total differs
	// from OpenCart's.
	FilterTotalsDiffer = "totals-differ"
)

// Sorts the history answers (what Xero holds), beside the shop's
// (opencart.Sort*): rows exported sort among themselves, then the others.
const (
	SortXeroNumber  opencart.Sort = "xero-number"
	SortXeroTotal   opencart.Sort = "xero-total"
	SortExportState opencart.Sort = "export-state"
	SortMatch       opencart.Sort = "match"
)

// ListQuery chooses one page of a list.
type ListQuery struct {
	Search   string
	StatusID int // 0 = any
	Since    time.Time
	Until    time.Time
	// State limits rows to one export state (history.State*, or
	// FilterNotExported, FilterTotalsDiffer); "" = any.
	State string
	Sort  opencart.Sort
	Desc  bool
	// Offset is the index of the page's first row in the list.
	Offset int
	// From, when set, is a row the list has read before Offset: the page
	// is read after its key (keyset paging), Offset-From.Index rows on.
	// A list sorted by what only the history holds ignores it.
	From  *PageStart
	Limit int
	// Count asks for the number of rows the query chooses.
	Count bool
}

// PageStart is where a list read by key goes on: after the row with Key,
// which is row Index-1 of the list.
type PageStart struct {
	Key   opencart.ListKey
	Index int
}

// Page is one page of a list.
type Page struct {
	Rows []Row
	// Total is the number of rows the query chooses (when Count was asked).
	Total int
	// Last is the key of the page's last row, when the shop sorted it:
	// the next page is read after it.
	Last *opencart.ListKey
}

// Row is one line of a list screen.
type Row struct {
	ID       int
	Name     string
	Email    string
	Status   string
	Date     time.Time
	Currency string
	// OpenCartTotal and XeroTotal are in the order currency.
	OpenCartTotal string
	XeroTotal     string
	Export        ExportState
}

// ExportState is what became of a row in Xero.
type ExportState struct {
	// State is a history.State*; "" = never exported.
	State      string
	Reason     string
	Kind       string
	XeroID     string
	XeroNumber string
	Match      *bool
	// Excluded says why a record never exported will not be, in the
	// engine's words (export.Settings.Excluded); "" = it will be.
	Excluded string
}

// Text is the state in the bookkeeper's words.
func (e ExportState) Text() string {
	switch e.State {
	case "":
		if e.Excluded != "" {
			return e.Excluded
		}
		return "not exported"
	case history.StateExported:
		if e.Match != nil && !*e.Match {
			return "exported, totals differ"
		}
		return "exported"
	case history.StateChanged:
		return "changed since export"
	case history.StateFailed:
		if strings.HasPrefix(e.Reason, history.WaitingPrefix) {
			return e.Reason // "waiting: failed 3 times the same way …"
		}
		return "failed: " + strings.TrimPrefix(e.Reason, "failed: ")
	case history.StateSkipped:
		if strings.HasPrefix(e.Reason, "settled: ") {
			return e.Reason // settled from what Xero holds, e.g. "settled: paid in Xero …"
		}
		return "skipped: " + strings.TrimPrefix(e.Reason, "skipped: ")
	case history.StateSending:
		return "sending…"
	}
	return e.State
}

// AuditEntry is one line of the audit trail.
type AuditEntry struct {
	At         time.Time
	RunID      int64
	Kind       string
	OpenCartID string
	XeroID     string
	XeroNumber string
	State      string
	Message    string
	// Currency and the two totals are the record's, as last compared.
	Currency      string
	OpenCartTotal string
	XeroTotal     string
	// Contact is the Xero contact number the document went to.
	Contact string
	// DocumentDate is the date of the document the outcome was about
	// (YYYY-MM-DD); "" when there was none or it was not kept yet.
	DocumentDate string
}
