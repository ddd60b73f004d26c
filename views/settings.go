package views

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// Xero app types as the settings screen offers them.
const (
	appPKCE   = "Auth Code with PKCE (no secret)"
	appSecret = "Web app (with a client secret)"
)

// xeroAdvancedTitle is the fold of the Xero app's technical details.
const xeroAdvancedTitle = "Advanced: app type, client secret, redirect URI"

// invoiceStatuses are the invoice statuses in Xero's own words.
var invoiceStatuses = []struct{ label, code string }{
	{"Draft", mapping.StatusDraft},
	{"Awaiting Approval", mapping.StatusSubmitted},
	{"Awaiting Payment", mapping.StatusAuthorised},
}

// accountFields are the account dropdowns: label, the field of
// mapping.Accounts they fill, and the use that decides which accounts
// they offer (export.AccountsFor).
var accountFields = []struct {
	label string
	field func(*mapping.Accounts) *string
	use   export.AccountUse
}{
	{"Sales (products)", func(a *mapping.Accounts) *string { return &a.Sales }, export.UseSales},
	{"Shipping", func(a *mapping.Accounts) *string { return &a.Shipping }, export.UseShipping},
	{"Discounts (coupons, reward points)", func(a *mapping.Accounts) *string { return &a.Discounts }, export.UseDiscounts},
	{"Gift vouchers sold", func(a *mapping.Accounts) *string { return &a.VouchersSold }, export.UseVouchersSold},
	{"Store credit and vouchers used", func(a *mapping.Accounts) *string { return &a.StoreCredit }, export.UseStoreCredit},
	{"Fees and surcharges", func(a *mapping.Accounts) *string { return &a.Fees }, export.UseFees},
	{"Rounding", func(a *mapping.Accounts) *string { return &a.Rounding }, export.UseRounding},
}

// settingsScreen is where the bookkeeper connects the shop and Xero and
// decides how records are booked.
type settingsScreen struct {
	u *ui

	host, port, database, user, password, prefix *widget.Entry
	reach                                        *reachSection
	storeResult, storeErr                        *widget.Label
	testBtn                                      *widget.Button

	appType                *widget.RadioGroup
	clientID, clientSecret *widget.Entry
	clientIDErr            *widget.Label
	redirect               *widget.Label
	connectBtn, discBtn    *widget.Button
	signInURL              *widget.Entry
	signInBox              *fyne.Container
	org                    *widget.Select
	tenantIDs              map[string]string
	tokenState             *widget.Label
	xeroAdvanced           *widget.Accordion // app type, client secret, redirect URI
	cancelConnect          context.CancelFunc
	// loading counts the loads of the saved settings under way; afterLoad
	// waits for them (whenLoaded).
	loading   int
	afterLoad []func()
	health    *healthPanel

	invoiceStatus *widget.Select
	draft         *draftWarning // settings_since.go
	ordersSince   *widget.Entry // settings_since.go
	sinceErr      *widget.Label
	// untrustedRate is invoice.implausible_rate, in words.
	untrustedRate *widget.Select
	// customFields shows which custom field is taken as a VAT number.
	customFields *widget.Label

	accounts      []*widget.Select
	bankDefault   *widget.Select
	bankBox       *fyne.Container
	bankMethods   map[string]*widget.Select
	paidWhen      map[string]*widget.Select // per payment method code: when its money has arrived
	taxBox        *fyne.Container
	taxSelects    []*widget.Select
	taxCodes      map[string]string // a tax rate's display name → its tax type code
	noTaxType     *widget.Select
	vatClasses    map[mapping.VATClass]*widget.Select // tax type of untaxed sales, per VAT class
	numberPrefix  *widget.Entry                       // the profile's number prefix (invoice.prefix)
	mappingNote   *widget.Label
	choices       Choices
	haveChoices   bool
	options       export.Settings
	statusChoices *statusChoices // one choice per order status
	statusIDs     map[string]int
	customerScope *widget.RadioGroup
	autoSync      *widget.Check
	everyMinutes  *widget.Entry
	syncErr       *widget.Label
	refunds       refundsSection

	saved *widget.Label
	// sections are the page's parts with whether each is complete
	// (settings_sections.go).
	sections *settingsSections
	// scroll is the page; marks the fields an error can open it at, and
	// highlighted the one marked now (settings_field.go).
	scroll      *container.Scroll
	marks       map[export.Field]*fieldMark
	highlighted export.Field
}

func newSettingsScreen(u *ui) *settingsScreen {
	return &settingsScreen{u: u, tenantIDs: map[string]string{}, bankMethods: map[string]*widget.Select{}, statusIDs: map[string]int{}}
}

// errorLabel is an empty red label shown next to a field.
func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

func setError(l *widget.Label, err error) {
	if err == nil {
		l.SetText("")
		l.Hide()
		return
	}
	l.SetText(plainError(err))
	l.Show()
}

// buildUI lays out every card in one scrolling page.
func (s *settingsScreen) buildUI() fyne.CanvasObject {
	s.saved = widget.NewLabel("")
	s.saved.Wrapping = fyne.TextWrapWord // long reasons wrap instead of widening the window
	save := widget.NewButtonWithIcon("Save settings", theme.DocumentSaveIcon(), s.save)
	save.Importance = widget.HighImportance
	items := []fyne.CanvasObject{}
	if s.u.deps.SecretsWarning != "" {
		w := note("⚠ " + s.u.deps.SecretsWarning)
		w.Importance = widget.WarningImportance
		items = append(items, w)
	}
	content := map[string]fyne.CanvasObject{
		export.SectionShop: s.storeCard(), export.SectionXero: s.xeroCard(), export.SectionInvoices: s.invoiceCard(),
		export.SectionAccounts: s.mappingCard(), export.SectionRecords: s.statusCard(),
		export.SectionRefunds: container.NewVBox(s.refundPaidCard(), s.refunds.card()), export.SectionAuto: s.syncCard()}
	items = append(items, s.sectionsUI(content), note("Profile folder: "+s.u.deps.ProfileDir))
	s.scroll = container.NewVScroll(container.NewVBox(items...))
	s.watchStoreCredit()
	s.draft.watch()
	s.watchSections()
	return container.NewBorder(nil, container.NewBorder(nil, nil, nil, save, container.NewVBox(s.sections.unsaved, s.saved)), nil, nil,
		s.scroll)
}

func (s *settingsScreen) storeCard() fyne.CanvasObject {
	if s.host != nil {
		return s.storeForm()
	}
	s.host = widget.NewEntry()
	s.host.SetPlaceHolder("database host, e.g. 127.0.0.1")
	s.port = widget.NewEntry()
	s.port.SetPlaceHolder("3306")
	s.database = widget.NewEntry()
	s.database.SetPlaceHolder("database name, e.g. opencart")
	s.user = widget.NewEntry()
	s.user.SetPlaceHolder("database user (SELECT is enough)")
	s.password = widget.NewPasswordEntry()
	s.password.SetPlaceHolder("database password")
	s.prefix = widget.NewEntry()
	s.prefix.SetPlaceHolder("table prefix, e.g. oc_")
	s.prefix.Validator = func(v string) error { return s.u.be.CheckSetting("store.prefix", v) }
	s.port.Validator = func(v string) error {
		if n, err := strconv.Atoi(v); v != "" && (err != nil || n < 1 || n > 65535) {
			return errors.New("a port is a number from 1 to 65535")
		}
		return nil
	}
	s.reach = newReachSection(s)
	s.storeResult = note("")
	s.storeResult.Hide()
	s.storeErr = errorLabel()
	s.testBtn = widget.NewButtonWithIcon("Test connection", theme.SearchIcon(), s.testStore)
	return s.storeForm()
}

func (s *settingsScreen) storeForm() fyne.CanvasObject {
	form := widget.NewForm(
		widget.NewFormItem("Host", s.host), widget.NewFormItem("Port", s.port),
		widget.NewFormItem("Database", s.database), widget.NewFormItem("User", s.user),
		widget.NewFormItem("Password", s.password), widget.NewFormItem("Table prefix", s.prefix))
	return widget.NewCard("Your OpenCart shop", "The shop's MySQL database; only read, never changed.",
		container.NewVBox(form, s.reach.ui(), s.storeErr, container.NewHBox(s.testBtn), s.storeResult))
}

// storeConfig is the shop connection as typed.
func (s *settingsScreen) storeConfig() StoreConfig {
	port, _ := strconv.Atoi(strings.TrimSpace(s.port.Text))
	return StoreConfig{Host: strings.TrimSpace(s.host.Text), Port: port, Database: strings.TrimSpace(s.database.Text),
		User: strings.TrimSpace(s.user.Text), Password: s.password.Text, Prefix: strings.TrimSpace(s.prefix.Text), Reach: s.reach.config()}
}

func (s *settingsScreen) testStore() {
	c := s.storeConfig()
	if err := s.u.be.CheckStore(c); err != nil {
		setError(s.storeErr, err)
		return
	}
	setError(s.storeErr, nil)
	s.testBtn.Disable()
	s.storeResult.SetText("Connecting…")
	s.storeResult.Show()
	background(s.u, func(ctx context.Context) (opencart.Summary, error) {
		return s.u.be.TestStore(ctx, c)
	}, func(sum opencart.Summary, err error) {
		s.testBtn.Enable()
		if err != nil {
			s.storeResult.Hide()
			setError(s.storeErr, err)
			return
		}
		s.storeResult.SetText(StoreSummaryText(sum))
		s.reach.tested(sum)
	})
}

// StoreSummaryText describes a shop check in a few lines.
func StoreSummaryText(sum opencart.Summary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Connected: OpenCart %s.x shop “%s” (database %s, prefix %q), currency %s, time zone %s.\n",
		sum.Family, sum.StoreName, sum.Database, sum.Prefix, sum.DefaultCurrency, sum.Timezone)
	fmt.Fprintf(&b, "%d customers (%d enabled, %d disabled), %d orders, %d returns.",
		sum.Customers.Enabled+sum.Customers.Disabled, sum.Customers.Enabled, sum.Customers.Disabled, sum.OrdersTotal, sum.Returns)
	if sum.MissingOrders > 0 {
		fmt.Fprintf(&b, " Unconfirmed checkouts, never exported: %d.", sum.MissingOrders)
	}
	for _, w := range sum.Warnings {
		b.WriteString("\n⚠ " + w)
	}
	return b.String()
}

func (s *settingsScreen) xeroCard() fyne.CanvasObject {
	if s.clientID == nil {
		s.appType = widget.NewRadioGroup([]string{appPKCE, appSecret}, func(v string) {
			if v == appSecret {
				s.clientSecret.Enable()
			} else {
				s.clientSecret.Disable()
			}
		})
		s.appType.Horizontal = true
		s.clientID = widget.NewEntry()
		s.clientID.SetPlaceHolder("Client ID from developer.xero.com")
		s.clientIDErr = errorLabel()
		s.clientSecret = widget.NewPasswordEntry()
		s.clientSecret.SetPlaceHolder("client secret (Web app only)")
		s.appType.SetSelected(appPKCE)
		s.redirect = widget.NewLabel("")
		s.redirect.TextStyle.Monospace = true
		s.connectBtn = widget.NewButtonWithIcon("Connect to Xero", theme.LoginIcon(), s.connect)
		s.connectBtn.Importance = widget.HighImportance
		s.discBtn = widget.NewButtonWithIcon("Disconnect", theme.LogoutIcon(), s.disconnect)
		s.discBtn.Disable()
		s.signInURL = widget.NewEntry()
		s.signInURL.Wrapping = fyne.TextWrapBreak
		s.signInURL.MultiLine = true
		s.signInBox = container.NewVBox(note("If no browser opened, open this address to sign in to Xero:"),
			container.NewBorder(nil, nil, nil, copyButton(s.u, "Copy", func() string { return s.signInURL.Text }), s.signInURL))
		s.signInBox.Hide()
		s.org = widget.NewSelect(nil, s.chooseOrg)
		s.org.PlaceHolder = "(connect first)"
		s.tokenState = widget.NewLabel("not connected")
		s.health = newHealthPanel(s.connect) // health.go
	}
	copyRedirect := copyButton(s.u, "Copy", func() string { return s.redirect.Text })
	form := widget.NewForm(
		widget.NewFormItem("Client ID", container.NewVBox(s.clientID, s.clientIDErr)),
		widget.NewFormItem("Organisation", s.org),
		widget.NewFormItem("Connection", s.tokenState),
		widget.NewFormItem("Health", s.health.box))
	advanced := widget.NewForm(
		widget.NewFormItem("App type", s.appType),
		widget.NewFormItem("Client secret", s.clientSecret),
		widget.NewFormItem("Redirect URI", container.NewBorder(nil, nil, nil, copyRedirect, s.redirect)))
	s.xeroAdvanced = widget.NewAccordion(widget.NewAccordionItem(xeroAdvancedTitle, advanced))
	return widget.NewCard("Xero", "Create an app at developer.xero.com and register with it the redirect URI under Advanced, exactly.",
		container.NewVBox(form, s.xeroAdvanced, container.NewHBox(s.connectBtn, s.discBtn), s.signInBox))
}

func (s *settingsScreen) invoiceCard() fyne.CanvasObject {
	if s.invoiceStatus == nil {
		var labels []string
		for _, st := range invoiceStatuses {
			labels = append(labels, st.label)
		}
		s.invoiceStatus = widget.NewSelect(labels, nil)
		s.draft = newDraftWarning(s)
		s.invoiceStatus.SetSelectedIndex(0)
	}
	if s.untrustedRate == nil {
		var labels []string
		for _, r := range untrustedRates {
			labels = append(labels, r.label)
		}
		s.untrustedRate = widget.NewSelect(labels, nil)
		s.untrustedRate.SetSelectedIndex(0)
	}
	if s.numberPrefix == nil {
		s.numberPrefix = widget.NewEntry()
		s.numberPrefix.SetPlaceHolder(mapping.DefaultPrefix)
		s.numberPrefix.Validator = func(v string) error {
			if strings.TrimSpace(v) == "" {
				return nil // the default
			}
			return s.u.be.CheckSetting("invoice.prefix", v)
		}
	}
	prefixHelp := note("Invoices OC-4001, credit notes OC-CN-4001, contacts OC-C12. A second shop exporting into the same Xero organisation needs a prefix of its own, e.g. SHOP2-. Choose it before the first export: documents already in Xero keep their numbers, and customers get new contacts under a new prefix.")
	return widget.NewCard("Invoices", "", container.NewVBox(widget.NewForm(widget.NewFormItem("New invoices are", s.mark(export.FieldInvoiceStatus, export.SectionInvoices, s.invoiceStatus)),
		widget.NewFormItem("Number prefix", s.numberPrefix), widget.NewFormItem("Exchange rate that cannot be trusted", s.untrustedRate)),
		prefixHelp, s.draft.box))
}

// untrustedRates are the choices for a foreign-currency order whose stored
// exchange rate is 1 or far from today's (docs/ACCOUNTANTS.md).
var untrustedRates = []struct{ code, label string }{
	{mapping.RateXero, "Send without it: Xero uses its own rate of the day"},
	{mapping.RateRefuse, "Do not export the order"},
}

func (s *settingsScreen) mappingCard() fyne.CanvasObject {
	form := widget.NewForm()
	for _, f := range accountFields {
		sel := widget.NewSelect(nil, nil)
		sel.PlaceHolder = "(connect to Xero)"
		s.accounts = append(s.accounts, sel)
		form.Append(f.label, s.mark(useField[f.use], export.SectionAccounts, sel))
	}
	s.bankDefault = widget.NewSelect(nil, nil)
	s.bankDefault.PlaceHolder = "(connect to Xero)"
	form.Append("Bank account for payments", s.mark(export.FieldBankAccount, export.SectionAccounts, s.bankDefault))
	s.bankBox = container.NewVBox()
	s.noTaxType = widget.NewSelect(nil, nil)
	s.noTaxType.PlaceHolder = "(connect to Xero)"
	s.taxBox = container.NewVBox()
	vatForm := widget.NewForm()
	s.vatClasses = map[mapping.VATClass]*widget.Select{}
	for _, v := range vatClassFields {
		sel := widget.NewSelect(nil, nil)
		sel.PlaceHolder = "(connect to Xero)"
		s.vatClasses[v.class] = sel
		vatForm.Append(v.label, sel)
	}
	s.mappingNote = note("Connect to Xero to choose accounts and tax rates from your organisation.")
	s.customFields = note("Read from your shop once connected to Xero.")
	reload := widget.NewButtonWithIcon("Reload lists from Xero", theme.ViewRefreshIcon(), s.loadChoices)
	return widget.NewCard("", "Where each kind of line is booked in Xero.",
		container.NewVBox(s.mappingNote, form,
			heading("Payment methods: the account their money goes into, and when it has arrived"), s.bankBox,
			heading("Tax rates: OpenCart → Xero"), s.mark(export.FieldTaxRates, export.SectionAccounts, s.taxBox),
			heading("Custom fields: the customer's VAT number"), s.customFields,
			widget.NewForm(widget.NewFormItem("Lines without tax", s.mark(export.FieldNoTax, export.SectionAccounts, s.noTaxType))),
			heading("Sales OpenCart charged no tax on: their VAT class"), s.mark(export.FieldVATClasses, export.SectionAccounts, vatForm),
			container.NewHBox(reload)))
}

func (s *settingsScreen) statusCard() fyne.CanvasObject {
	s.statusChoices = newStatusChoices()
	s.customerScope = widget.NewRadioGroup([]string{"All customers", "Enabled accounts only"}, nil)
	s.customerScope.Horizontal = true
	s.customerScope.SetSelected("All customers")
	return widget.NewCard("", "Order statuses are read from your shop.",
		container.NewVBox(
			heading("What happens to orders in each status"), s.mark(export.FieldStatuses, export.SectionRecords, s.statusChoices.box),
			note("Export as paid also records the payment; a payment method given its own paid statuses under "+export.SectionRefunds+" follows those. Refund also makes a credit note. Never export keeps the order out of Xero, and withdraws its invoice if it was sent before."),
			widget.NewForm(widget.NewFormItem("Customers", s.customerScope),
				widget.NewFormItem("Export orders placed from", s.sinceField()))))
}

// refundPaidCard says where the statuses that mean paid and refunded are
// chosen now.
func (s *settingsScreen) refundPaidCard() fyne.CanvasObject {
	return note("Which order statuses mean paid or refunded is chosen per status under " + export.SectionRecords + ".")
}

func (s *settingsScreen) syncCard() fyne.CanvasObject {
	s.everyMinutes = widget.NewEntry()
	s.everyMinutes.SetText("60")
	s.autoSync = widget.NewCheck("Export new records automatically while this window is open", func(on bool) {
		if on {
			s.everyMinutes.Enable()
		} else {
			s.everyMinutes.Disable()
		}
	})
	s.everyMinutes.Disable()
	s.syncErr = errorLabel()
	return widget.NewCard("", "",
		container.NewVBox(s.autoSync, widget.NewForm(widget.NewFormItem("Every (minutes)", container.NewVBox(s.mark(export.FieldAutoExport, export.SectionAuto, s.everyMinutes), s.syncErr)))))
}

// settingsSnapshot is what load reads in the background.
type settingsSnapshot struct {
	store StoreConfig
	xero  XeroState
	// invoiceStatus is the invoice.status setting, which overrides the
	// options' InvoiceStatus.
	invoiceStatus string
	options       export.Settings
	statuses      []opencart.OrderStatus
	storeErr      error
}

// load fills the form from the saved settings.
func (s *settingsScreen) load() {
	s.loading++
	background(s.u, func(ctx context.Context) (settingsSnapshot, error) {
		var snap settingsSnapshot
		var err error
		if snap.store, err = s.u.be.Store(ctx); err != nil {
			return snap, err
		}
		if snap.options, err = s.u.be.ExportSettings(ctx); err != nil {
			return snap, err
		}
		if snap.invoiceStatus, err = s.u.be.Setting(ctx, "invoice.status"); err != nil {
			return snap, err
		}
		snap.statuses, snap.storeErr = s.u.be.Statuses(ctx)
		snap.xero, err = s.u.be.Xero(ctx)
		return snap, err
	}, func(snap settingsSnapshot, err error) {
		defer s.loaded()
		if err != nil {
			s.u.showError("Settings", err)
			return
		}
		s.fill(snap)
	})
}

// loaded ends one load; once none is under way, what waited for them runs.
func (s *settingsScreen) loaded() {
	if s.loading--; s.loading > 0 {
		return
	}
	s.loading = 0
	waiting := s.afterLoad
	s.afterLoad = nil
	for _, f := range waiting {
		f()
	}
}

// whenLoaded runs f once the form holds the saved settings: at once, or
// when the loads under way end. A sign-in started from another tab waits
// so, or it would find no Client ID on a form not filled yet (and a load
// ending after it would fill the form over the sign-in under way).
func (s *settingsScreen) whenLoaded(f func()) {
	if s.loading == 0 {
		f()
		return
	}
	s.afterLoad = append(s.afterLoad, f)
}

// connectWhenLoaded starts the sign-in once the form is filled, unless one
// is under way.
func (s *settingsScreen) connectWhenLoaded() {
	s.whenLoaded(func() {
		if s.cancelConnect == nil {
			s.connect()
		}
	})
}

func (s *settingsScreen) fill(snap settingsSnapshot) {
	// A shop not saved yet leaves what is being typed alone.
	if c := snap.store; c.Host != "" || c.Database != "" {
		s.host.SetText(c.Host)
		s.port.SetText(strconv.Itoa(c.Port))
		s.database.SetText(c.Database)
		s.user.SetText(c.User)
		s.password.SetText(c.Password)
		s.prefix.SetText(c.Prefix)
		s.reach.fill(c.Reach)
	} else if s.prefix.Text == "" {
		s.prefix.SetText(c.Prefix)
	}
	s.options = snap.options
	if snap.options.Prefix != mapping.DefaultPrefix {
		s.numberPrefix.SetText(snap.options.Prefix)
	}
	for _, r := range untrustedRates {
		if r.code == snap.options.ImplausibleRate {
			s.untrustedRate.SetSelected(r.label)
		}
	}
	for _, st := range invoiceStatuses {
		if st.code == snap.invoiceStatus {
			s.invoiceStatus.SetSelected(st.label)
		}
	}
	s.fillSince(snap.options)
	s.fillStatuses(snap.statuses)
	s.fillRefunds()
	if snap.options.CustomersEnabledOnly {
		s.customerScope.SetSelected("Enabled accounts only")
	} else {
		s.customerScope.SetSelected("All customers")
	}
	if n := snap.options.AutoSyncMinutes; n > 0 {
		s.everyMinutes.SetText(strconv.Itoa(n))
		s.autoSync.SetChecked(true)
	} else {
		s.autoSync.SetChecked(false)
	}
	s.fillXero(snap.xero)
	if s.haveChoices {
		s.fillChoices() // the saved picks again (changes discarded)
	}
	s.markSaved()
}

func (s *settingsScreen) fillStatuses(sts []opencart.OrderStatus) {
	for _, st := range sts {
		s.statusIDs[st.Name] = st.ID
	}
	s.statusChoices.set(s.options.StatusRows(sts))
}

// statusChoices is one row per order status with the one choice made for
// it (export.StatusRows), and what the saved settings contradicted.
type statusChoices struct {
	box     *fyne.Container
	rows    []export.StatusRow
	selects []*widget.Select
}

func newStatusChoices() *statusChoices {
	return &statusChoices{box: container.NewVBox()}
}

// set shows one row per status.
func (p *statusChoices) set(rows []export.StatusRow) {
	p.box.RemoveAll()
	p.rows, p.selects = rows, nil
	var labels []string
	for _, c := range export.StatusChoices {
		labels = append(labels, string(c))
	}
	form := widget.NewForm()
	var conflicts []string
	for _, r := range rows {
		sel := widget.NewSelect(labels, nil)
		sel.SetSelected(string(r.Choice))
		p.selects = append(p.selects, sel)
		form.Append(r.Name, sel)
		if r.Conflict != "" {
			conflicts = append(conflicts, "⚠ "+r.Conflict+".")
		}
	}
	p.box.Add(form)
	if len(conflicts) > 0 {
		w := note("The saved settings contradicted themselves:\n" + strings.Join(conflicts, "\n"))
		w.Importance = widget.WarningImportance
		p.box.Add(w)
	}
}

// chosen are the rows with the choices as picked.
func (p *statusChoices) chosen() []export.StatusRow {
	out := slices.Clone(p.rows)
	for i := range out {
		out[i].Choice = export.StatusChoice(p.selects[i].Selected)
		out[i].Conflict = ""
	}
	return out
}

func (s *settingsScreen) fillXero(x XeroState) {
	if x.ClientID != "" || x.Connected {
		s.clientID.SetText(x.ClientID)
		s.clientSecret.SetText(x.ClientSecret)
		if x.ClientSecret != "" {
			s.appType.SetSelected(appSecret)
		} else {
			s.appType.SetSelected(appPKCE)
		}
	}
	s.redirect.SetText(x.RedirectURI)
	s.tokenState.SetText(x.TokenText())
	if x.NeedsReconnect {
		s.tokenState.Importance = widget.DangerImportance
	} else {
		s.tokenState.Importance = widget.MediumImportance
	}
	s.tokenState.Refresh()
	s.health.fill(x)
	s.setTenants(x.Tenants, x.TenantID)
	if x.Connected {
		s.discBtn.Enable()
		s.connectBtn.SetText("Reconnect")
	} else {
		s.discBtn.Disable()
		s.connectBtn.SetText("Connect to Xero")
	}
	if x.Connected && !x.NeedsReconnect && x.TenantID != "" && !s.haveChoices {
		s.loadChoices()
	}
}

func (s *settingsScreen) setTenants(ts []xero.Tenant, current string) {
	s.tenantIDs = map[string]string{}
	var names []string
	chosen := ""
	for _, t := range ts {
		names = append(names, t.TenantName)
		s.tenantIDs[t.TenantName] = t.TenantID
		if t.TenantID == current {
			chosen = t.TenantName
		}
	}
	s.org.OnChanged = nil
	s.org.SetOptions(names)
	if chosen != "" {
		s.org.SetSelected(chosen)
	} else {
		s.org.ClearSelected()
	}
	if len(names) > 0 {
		s.org.PlaceHolder = "(choose the organisation)"
	}
	s.org.OnChanged = s.chooseOrg
}

func (s *settingsScreen) chooseOrg(name string) {
	id := s.tenantIDs[name]
	if id == "" {
		return
	}
	background(s.u, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.u.be.ChooseTenant(ctx, id)
	}, func(_ struct{}, err error) {
		if err != nil {
			s.u.showError("Organisation", err)
			return
		}
		s.haveChoices = false
		s.loadChoices()
	})
}

// saveXeroApp stores the client id and secret; it reports whether they
// were accepted.
func (s *settingsScreen) xeroAppValues() map[string]string {
	secret := s.clientSecret.Text
	if s.appType.Selected != appSecret {
		secret = ""
	}
	return map[string]string{"xero.client_id": strings.TrimSpace(s.clientID.Text), "xero.client_secret": secret}
}

// connect saves the Xero app, signs in in the browser and lists the
// organisations; a second tap cancels a sign-in under way.
func (s *settingsScreen) connect() {
	if s.cancelConnect != nil {
		s.cancelConnect()
		return
	}
	vals := s.xeroAppValues()
	if vals["xero.client_id"] == "" {
		setError(s.clientIDErr, errors.New("enter the Client ID of your Xero app first"))
		return
	}
	setError(s.clientIDErr, s.u.be.CheckSetting("xero.client_id", vals["xero.client_id"]))
	if s.clientIDErr.Visible() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	s.cancelConnect = cancel
	s.connectBtn.SetText("Cancel sign-in")
	s.tokenState.SetText("waiting for the sign-in in your browser…")
	go func() {
		defer cancel()
		var tenants []xero.Tenant
		var x XeroState
		err := guard("connecting to Xero", func() error {
			if err := s.u.be.SaveSettings(ctx, vals); err != nil {
				return err
			}
			var err error
			tenants, err = s.u.be.Connect(ctx, func(url string, opened bool) {
				do(func() {
					s.signInURL.SetText(url)
					s.signInBox.Show()
				})
			})
			if err != nil {
				return err
			}
			x, err = s.u.be.Xero(ctx)
			return err
		})
		do(func() {
			s.cancelConnect = nil
			s.signInBox.Hide()
			if err != nil {
				s.connectBtn.SetText("Connect to Xero")
				s.tokenState.SetText("not connected")
				if !errors.Is(err, context.Canceled) {
					s.u.showError("Connect to Xero", err)
				}
				return
			}
			s.haveChoices = false
			s.fillXero(x)
			if len(tenants) > 1 && x.TenantID == "" {
				s.tokenState.SetText("connected — choose the organisation above")
			}
		})
	}()
}

func (s *settingsScreen) disconnect() {
	s.discBtn.Disable()
	background(s.u, func(ctx context.Context) (XeroState, error) {
		if err := s.u.be.Disconnect(ctx); err != nil {
			return XeroState{}, err
		}
		return s.u.be.Xero(ctx)
	}, func(x XeroState, err error) {
		if err != nil {
			s.discBtn.Enable()
			s.u.showError("Disconnect", err)
			return
		}
		s.fillXero(x)
	})
}

// accountLabel is how an account appears in a dropdown.
func accountLabel(a xero.Account) string { return a.Code + " — " + a.Name }

// accountOptions are the dropdown entries of the accounts Xero allows for
// use (the engine's rule), and the account chosen before (code) marked
// with why it does not fit when the rule leaves it out, so that a choice
// is never dropped without a word.
func (s *settingsScreen) accountOptions(use export.AccountUse, code string) []string {
	var opts []string
	for _, a := range s.choices.AccountsFor(use) {
		opts = append(opts, accountLabel(a))
	}
	if a, ok := s.choices.AccountByCode(code); ok {
		if why := export.AccountUnfit(use, a); why != "" {
			opts = append(opts, accountLabel(a)+"  ⚠ "+why)
		}
	}
	return opts
}

// loadChoices fills the account and tax dropdowns from Xero and the shop.
func (s *settingsScreen) loadChoices() {
	s.mappingNote.SetText("Reading accounts and tax rates from Xero…")
	background(s.u, func(ctx context.Context) (Choices, error) {
		return s.u.be.Choices(ctx)
	}, func(c Choices, err error) {
		if err != nil {
			s.mappingNote.SetText("The lists could not be read: " + plainError(err))
			return
		}
		// Saved picks shown in the dropdowns are no change; proposals
		// for accounts never saved count as unsaved (settings_sections.go).
		wasClean := !s.dirty()
		s.choices, s.haveChoices = c, true
		s.fillChoices()
		if wasClean {
			s.markSaved()
		} else {
			s.refreshSections()
		}
	})
}

// fillChoices sets the dropdowns' options and the saved (or proposed) picks.
func (s *settingsScreen) fillChoices() {
	c, o := s.choices, s.options
	pickCode := func(sel *widget.Select, opts []string, code string) {
		sel.SetOptions(opts)
		sel.ClearSelected()
		for _, op := range opts {
			if code != "" && strings.HasPrefix(op, code+" — ") {
				sel.SetSelected(op)
			}
		}
		sel.PlaceHolder = "(choose)"
		sel.Refresh()
	}
	acc := c.Proposal.Accounts
	for i, f := range accountFields {
		code := *f.field(&acc)
		pickCode(s.accounts[i], s.accountOptions(f.use, code), code)
	}
	pickCode(s.bankDefault, s.accountOptions(export.UsePayments, c.Proposal.DefaultPaymentAccount), c.Proposal.DefaultPaymentAccount)
	s.bankBox.RemoveAll()
	s.bankMethods = map[string]*widget.Select{}
	s.paidWhen = map[string]*widget.Select{}
	bankForm := widget.NewForm()
	for _, m := range c.PaymentMethods {
		sel := widget.NewSelect(nil, nil)
		pickCode(sel, append([]string{"(the bank account above)"}, s.accountOptions(export.UsePayments, o.PaymentAccounts[m.Code])...), o.PaymentAccounts[m.Code])
		if sel.Selected == "" {
			sel.SetSelected(sel.Options[0]) // the default bank account
		}
		s.bankMethods[m.Code] = sel
		var labels []string
		for _, w := range c.PaidWhenChoices(m.Code, c.Proposal) {
			labels = append(labels, w.Label)
		}
		paid := widget.NewSelect(labels, nil)
		paid.SetSelected(c.PaidWhenOf(m.Code, c.Proposal))
		s.paidWhen[m.Code] = paid
		bankForm.Append(m.Title, container.NewGridWithColumns(2, sel, paid))
	}
	s.bankBox.Add(bankForm)

	// Tax rates by Xero's display names ("20% (VAT on Income)"); the
	// code behind each is taxCodes'.
	var taxTypes []string
	s.taxCodes = map[string]string{}
	for _, t := range c.TaxRates {
		label := export.TaxRateLabel(t)
		if _, twice := s.taxCodes[label]; twice {
			label += " (" + t.TaxType + ")"
		}
		s.taxCodes[label] = t.TaxType
		taxTypes = append(taxTypes, label)
	}
	pickTax := func(sel *widget.Select, opts []string, code string) {
		sel.SetOptions(opts)
		sel.ClearSelected()
		for _, op := range opts {
			if code != "" && strings.EqualFold(s.taxCodes[op], code) {
				sel.SetSelected(op)
			}
		}
		sel.PlaceHolder = "(choose)"
		sel.Refresh()
	}
	pickTax(s.noTaxType, taxTypes, c.Proposal.NoTaxType)
	for class, sel := range s.vatClasses {
		pickTax(sel, append([]string{vatAsNoTax}, taxTypes...), c.Proposal.TaxClasses.TypeOf(class))
		if sel.Selected == "" {
			sel.SetSelected(vatAsNoTax)
		}
	}
	s.taxBox.RemoveAll()
	s.taxSelects = nil
	taxForm := widget.NewForm()
	for _, p := range c.TaxMapping(o.TaxRates) {
		sel := widget.NewSelect(nil, nil)
		pickTax(sel, taxTypes, p.TaxType)
		s.taxSelects = append(s.taxSelects, sel)
		taxForm.Append(p.Title, sel)
	}
	s.taxBox.Add(taxForm)
	var notes []string
	notes = append(notes, c.Notes...)
	s.mappingNote.SetText(strings.TrimSpace("Lists read from Xero; proposed choices are pre-selected.\n" + strings.Join(notes, "\n")))
	s.customFields.SetText(customFieldsText(c.CustomFields))
	s.fillRefunds()
}

// codeOf is the code in front of a dropdown entry ("200 — Sales" → "200").
func codeOf(sel *widget.Select) string {
	code, _, ok := strings.Cut(sel.Selected, " — ")
	if !ok {
		return ""
	}
	return code
}

// collectOptions builds the mapping options from the form, keeping what the
// form does not show (or could not fill without Xero).
func (s *settingsScreen) collectOptions() (export.Settings, error) {
	o := s.options
	for _, st := range invoiceStatuses {
		if st.label == s.invoiceStatus.Selected {
			o.InvoiceStatus = st.code
		}
	}
	for _, r := range untrustedRates {
		if r.label == s.untrustedRate.Selected {
			o.ImplausibleRate = r.code
		}
	}
	o.CustomersEnabledOnly = s.customerScope.Selected == "Enabled accounts only"
	if s.numberPrefix != nil {
		o.Prefix = strings.TrimSpace(s.numberPrefix.Text)
		if o.Prefix == "" {
			o.Prefix = mapping.DefaultPrefix
		}
	}
	if err := s.collectSince(&o); err != nil {
		return o, err
	}
	o.AutoSyncMinutes = 0
	if s.autoSync.Checked {
		n, _ := strconv.Atoi(strings.TrimSpace(s.everyMinutes.Text)) // not a number: 0, refused
		if err := export.CheckAutoSyncInterval(n); err != nil {
			return o, err
		}
		o.AutoSyncMinutes = n
	}
	if len(s.statusIDs) > 0 {
		o.SetStatusChoices(s.statusChoices.chosen())
		o.StatusNames = map[int]string{} // section titles name statuses as the shop does
		for name, id := range s.statusIDs {
			o.StatusNames[id] = name
		}
	}
	s.refunds.collect(&o.Options)
	if !s.haveChoices {
		return o, nil
	}
	for i, f := range accountFields {
		*f.field(&o.Accounts) = codeOf(s.accounts[i])
	}
	o.DefaultPaymentAccount = codeOf(s.bankDefault)
	o.PaymentAccounts = map[string]string{}
	for code, sel := range s.bankMethods {
		if c := codeOf(sel); c != "" {
			o.PaymentAccounts[code] = c
		}
	}
	o.PaidStatusByMethod = maps.Clone(s.choices.Proposal.PaidStatusByMethod)
	for code, sel := range s.paidWhen {
		s.choices.SetPaidWhen(code, sel.Selected, &o)
	}
	o.NoTaxType = s.taxCodes[s.noTaxType.Selected]
	for class, sel := range s.vatClasses {
		o.TaxClasses.Set(class, s.taxCodes[sel.Selected]) // "(as lines without tax)" has no code: ""
	}
	o.TaxRates = nil
	for i, p := range s.choices.Proposal.TaxRates {
		if i >= len(s.taxSelects) {
			break // the dropdowns are being made
		}
		p.TaxType = s.taxCodes[s.taxSelects[i].Selected]
		o.TaxRates = append(o.TaxRates, p)
	}
	return o, nil
}

// save checks and stores everything on the page.
func (s *settingsScreen) save() {
	c := s.storeConfig()
	storeErr := s.u.be.CheckStore(c)
	if c.Host == "" && c.Database == "" {
		storeErr = nil // no shop yet: nothing to store
	}
	setError(s.storeErr, storeErr)
	vals := s.xeroAppValues()
	setError(s.clientIDErr, s.u.be.CheckSetting("xero.client_id", vals["xero.client_id"]))
	for _, st := range invoiceStatuses {
		if st.label == s.invoiceStatus.Selected {
			vals["invoice.status"] = st.code
		}
	}
	s.checkSince()
	opts, syncErr := s.collectOptions()
	if s.sinceErr.Visible() {
		syncErr = nil // marked at the start date itself
	}
	setError(s.syncErr, syncErr)
	if storeErr != nil || s.clientIDErr.Visible() || syncErr != nil || s.sinceErr.Visible() {
		s.saved.SetText("Not saved: see the fields marked in red.")
		return
	}
	s.saved.SetText("Saving…")
	background(s.u, func(ctx context.Context) (struct{}, error) {
		if c.Host != "" || c.Database != "" {
			if err := s.u.be.SaveStore(ctx, c); err != nil {
				return struct{}{}, err
			}
		}
		if err := s.u.be.SaveSettings(ctx, vals); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, s.u.be.SaveExportSettings(ctx, opts)
	}, func(_ struct{}, err error) {
		if err != nil {
			s.saved.SetText("Not saved.")
			s.u.showError("Settings", err)
			return
		}
		s.options = opts
		s.markSaved()
		msg := "Saved. Changes apply to what is exported from now on; documents already in Xero stay as they are."
		if verr := opts.Validate(); verr != nil {
			msg = "Saved. Before exporting: " + plainError(verr)
		}
		s.saved.SetText(msg)
		s.u.progress.settingsSaved(opts.Validate() == nil)
		s.u.scheduler.restart()
		for _, l := range s.u.lists {
			l.reload()
		}
	})
}

// vatAsNoTax is the choice that leaves a VAT class to the "Lines without
// tax" type.
const vatAsNoTax = "(as lines without tax)"

// vatClassFields are the VAT classes of untaxed sales the settings show,
// in the bookkeeper's words (docs/ACCOUNTANTS.md, "VAT classes").
var vatClassFields = []struct {
	class mapping.VATClass
	label string
}{
	{mapping.VATZeroRated, "Zero-rated (books, children's clothes)"},
	{mapping.VATExempt, "Exempt (tax classes marked exempt)"},
	{mapping.VATExport, "Exports (outside the shop's tax zones)"},
	{mapping.VATReverseCharge, "EU business with a VAT number"},
}

// customFieldsText says which of the shop's custom fields goes to the Xero
// contact's tax number (setting contact.tax_number_fields chooses by name).
func customFieldsText(fields []opencart.CustomField) string {
	if len(fields) == 0 {
		return "Your shop has no custom fields: no VAT numbers are read."
	}
	var lines []string
	for _, f := range fields {
		use := "not used"
		if f.TaxNumber {
			use = "→ the Xero contact's Tax number"
		}
		lines = append(lines, fmt.Sprintf("%s (%s): %s", f.Name, f.Location, use))
	}
	return strings.Join(lines, "\n")
}
