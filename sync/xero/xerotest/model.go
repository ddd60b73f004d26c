package xerotest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Amount is a money or quantity value, written as a bare JSON number the
// way Xero writes it (not as a quoted string). Requests may send a number
// or a numeric string.
type Amount struct{ decimal.Decimal }

// amt wraps a decimal as an *Amount.
func amt(d decimal.Decimal) *Amount { return &Amount{d} }

// dec returns the value of a possibly-missing amount (zero when missing).
func dec(a *Amount) decimal.Decimal {
	if a == nil {
		return decimal.Zero
	}
	return a.Decimal
}

// MarshalJSON writes the amount as a JSON number with at least two
// decimals and as many as it was rounded to (2.0000 for a quantity, 10.0050
// for a unit price under unitdp=4), as Xero does.
func (a Amount) MarshalJSON() ([]byte, error) {
	return []byte(a.StringFixed(max(2, -a.Exponent()))), nil
}

// UnmarshalJSON reads a JSON number or numeric string; null is zero.
func (a *Amount) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	if s == "null" {
		a.Decimal = decimal.Zero
		return nil
	}
	s = strings.Trim(s, `"`)
	d, err := decimal.NewFromString(s)
	if err != nil {
		return fmt.Errorf("Input string '%s' was not in a correct format.", s)
	}
	a.Decimal = d
	return nil
}

// Date is a date or timestamp. Responses carry Xero's "/Date(1539993600000+0000)/"
// form; requests may send "2026-01-15", "2026-01-15T10:00:00" or the /Date()/ form.
type Date struct{ time.Time }

var msDate = regexp.MustCompile(`^/Date\((-?\d+)([+-]\d{4})?\)/$`)

// dateOf wraps a time as a *Date (in UTC).
func dateOf(t time.Time) *Date { return &Date{t.UTC()} }

// MarshalJSON writes /Date(ms+0000)/.
func (d Date) MarshalJSON() ([]byte, error) {
	return json.Marshal(fmt.Sprintf("/Date(%d+0000)/", d.UTC().UnixMilli()))
}

// UnmarshalJSON reads the request forms Xero accepts.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("Could not convert string to DateTime: %s", string(b))
	}
	t, err := parseDate(s)
	if err != nil {
		return err
	}
	d.Time = t
	return nil
}

func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if m := msDate.FindStringSubmatch(s); m != nil {
		ms, _ := strconv.ParseInt(m[1], 10, 64)
		return time.UnixMilli(ms).UTC(), nil
	}
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04:05", "2006-01-02T15:04:05.9999999", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("Could not convert string to DateTime: %s", s)
}

// dateString is Xero's companion "DateString" form, e.g. 2026-01-15T00:00:00.
func dateString(d *Date) string {
	if d == nil {
		return ""
	}
	return d.UTC().Format("2006-01-02T15:04:05")
}

// ValidationError is one reason an element was refused.
type ValidationError struct {
	Message string `json:"Message"`
}

// Address is a contact's postal or street address.
type Address struct {
	AddressType  string `json:"AddressType,omitempty"`
	AddressLine1 string `json:"AddressLine1,omitempty"`
	AddressLine2 string `json:"AddressLine2,omitempty"`
	AddressLine3 string `json:"AddressLine3,omitempty"`
	AddressLine4 string `json:"AddressLine4,omitempty"`
	City         string `json:"City,omitempty"`
	Region       string `json:"Region,omitempty"`
	PostalCode   string `json:"PostalCode,omitempty"`
	Country      string `json:"Country,omitempty"`
	AttentionTo  string `json:"AttentionTo,omitempty"`
}

// Phone is one of a contact's phone numbers.
type Phone struct {
	PhoneType        string `json:"PhoneType,omitempty"`
	PhoneNumber      string `json:"PhoneNumber,omitempty"`
	PhoneAreaCode    string `json:"PhoneAreaCode,omitempty"`
	PhoneCountryCode string `json:"PhoneCountryCode,omitempty"`
}

// Contact is a customer or supplier, in Xero's field names.
type Contact struct {
	ContactID                 string            `json:"ContactID,omitempty"`
	ContactNumber             string            `json:"ContactNumber,omitempty"`
	AccountNumber             string            `json:"AccountNumber,omitempty"`
	ContactStatus             string            `json:"ContactStatus,omitempty"`
	Name                      string            `json:"Name,omitempty"`
	FirstName                 string            `json:"FirstName,omitempty"`
	LastName                  string            `json:"LastName,omitempty"`
	EmailAddress              string            `json:"EmailAddress,omitempty"`
	CompanyNumber             string            `json:"CompanyNumber,omitempty"`
	TaxNumber                 string            `json:"TaxNumber,omitempty"`
	AccountsReceivableTaxType string            `json:"AccountsReceivableTaxType,omitempty"`
	DefaultCurrency           string            `json:"DefaultCurrency,omitempty"`
	Website                   string            `json:"Website,omitempty"`
	Addresses                 []Address         `json:"Addresses,omitempty"`
	Phones                    []Phone           `json:"Phones,omitempty"`
	IsCustomer                bool              `json:"IsCustomer,omitempty"`
	IsSupplier                bool              `json:"IsSupplier,omitempty"`
	UpdatedDateUTC            *Date             `json:"UpdatedDateUTC,omitempty"`
	HasValidationErrors       bool              `json:"HasValidationErrors,omitempty"`
	StatusAttributeString     string            `json:"StatusAttributeString,omitempty"`
	ValidationErrors          []ValidationError `json:"ValidationErrors,omitempty"`
	Warnings                  []ValidationError `json:"Warnings,omitempty"`
}

// TrackingCategory is a tracking option chosen on a line.
type TrackingCategory struct {
	TrackingCategoryID string `json:"TrackingCategoryID,omitempty"`
	Name               string `json:"Name,omitempty"`
	Option             string `json:"Option,omitempty"`
}

// LineItem is one line of an invoice or credit note.
type LineItem struct {
	LineItemID       string             `json:"LineItemID,omitempty"`
	Description      string             `json:"Description,omitempty"`
	Quantity         *Amount            `json:"Quantity,omitempty"`
	UnitAmount       *Amount            `json:"UnitAmount,omitempty"`
	ItemCode         string             `json:"ItemCode,omitempty"`
	AccountCode      string             `json:"AccountCode,omitempty"`
	AccountID        string             `json:"AccountID,omitempty"`
	TaxType          string             `json:"TaxType,omitempty"`
	TaxAmount        *Amount            `json:"TaxAmount,omitempty"`
	LineAmount       *Amount            `json:"LineAmount,omitempty"`
	DiscountRate     *Amount            `json:"DiscountRate,omitempty"`
	DiscountAmount   *Amount            `json:"DiscountAmount,omitempty"`
	Tracking         []TrackingCategory `json:"Tracking,omitempty"`
	ValidationErrors []ValidationError  `json:"ValidationErrors,omitempty"`
}

// Document holds what invoices and credit notes have in common.
type Document struct {
	Type                  string            `json:"Type,omitempty"`
	Reference             string            `json:"Reference,omitempty"`
	Contact               *Contact          `json:"Contact,omitempty"`
	Date                  *Date             `json:"Date,omitempty"`
	DateString            string            `json:"DateString,omitempty"`
	DueDate               *Date             `json:"DueDate,omitempty"`
	DueDateString         string            `json:"DueDateString,omitempty"`
	Status                string            `json:"Status,omitempty"`
	LineAmountTypes       string            `json:"LineAmountTypes,omitempty"`
	LineItems             []LineItem        `json:"LineItems,omitempty"`
	SubTotal              *Amount           `json:"SubTotal,omitempty"`
	TotalTax              *Amount           `json:"TotalTax,omitempty"`
	Total                 *Amount           `json:"Total,omitempty"`
	CurrencyCode          string            `json:"CurrencyCode,omitempty"`
	CurrencyRate          *Amount           `json:"CurrencyRate,omitempty"`
	BrandingThemeID       string            `json:"BrandingThemeID,omitempty"`
	FullyPaidOnDate       *Date             `json:"FullyPaidOnDate,omitempty"`
	Payments              []Payment         `json:"Payments,omitempty"`
	HasErrors             bool              `json:"HasErrors,omitempty"`
	UpdatedDateUTC        *Date             `json:"UpdatedDateUTC,omitempty"`
	StatusAttributeString string            `json:"StatusAttributeString,omitempty"`
	ValidationErrors      []ValidationError `json:"ValidationErrors,omitempty"`
	Warnings              []ValidationError `json:"Warnings,omitempty"`
}

// Invoice is a sales (ACCREC) or purchase (ACCPAY) invoice.
type Invoice struct {
	InvoiceID     string `json:"InvoiceID,omitempty"`
	InvoiceNumber string `json:"InvoiceNumber,omitempty"`
	Document
	AmountDue      *Amount      `json:"AmountDue,omitempty"`
	AmountPaid     *Amount      `json:"AmountPaid,omitempty"`
	AmountCredited *Amount      `json:"AmountCredited,omitempty"`
	TotalDiscount  *Amount      `json:"TotalDiscount,omitempty"`
	IsDiscounted   bool         `json:"IsDiscounted,omitempty"`
	Url            string       `json:"Url,omitempty"`
	SentToContact  bool         `json:"SentToContact,omitempty"`
	CreditNotes    []CreditNote `json:"CreditNotes,omitempty"`
}

// CreditNote is a sales (ACCRECCREDIT) or purchase (ACCPAYCREDIT) credit note.
type CreditNote struct {
	CreditNoteID     string `json:"CreditNoteID,omitempty"`
	CreditNoteNumber string `json:"CreditNoteNumber,omitempty"`
	Document
	RemainingCredit *Amount      `json:"RemainingCredit,omitempty"`
	AppliedAmount   *Amount      `json:"AppliedAmount,omitempty"`
	Allocations     []Allocation `json:"Allocations,omitempty"`
}

// Allocation applies part of a credit note to an invoice.
type Allocation struct {
	AllocationID          string            `json:"AllocationID,omitempty"`
	Invoice               *Invoice          `json:"Invoice,omitempty"`
	CreditNote            *CreditNote       `json:"CreditNote,omitempty"`
	Amount                *Amount           `json:"Amount,omitempty"`
	Date                  *Date             `json:"Date,omitempty"`
	IsDeleted             bool              `json:"IsDeleted,omitempty"`
	StatusAttributeString string            `json:"StatusAttributeString,omitempty"`
	ValidationErrors      []ValidationError `json:"ValidationErrors,omitempty"`
}

// AccountRef names an account by ID or code (payments).
type AccountRef struct {
	AccountID string `json:"AccountID,omitempty"`
	Code      string `json:"Code,omitempty"`
}

// Payment is money received against an invoice or refunded against a credit note.
type Payment struct {
	PaymentID             string            `json:"PaymentID,omitempty"`
	Invoice               *Invoice          `json:"Invoice,omitempty"`
	CreditNote            *CreditNote       `json:"CreditNote,omitempty"`
	Account               *AccountRef       `json:"Account,omitempty"`
	Date                  *Date             `json:"Date,omitempty"`
	Amount                *Amount           `json:"Amount,omitempty"`
	BankAmount            *Amount           `json:"BankAmount,omitempty"`
	CurrencyRate          *Amount           `json:"CurrencyRate,omitempty"`
	Reference             string            `json:"Reference,omitempty"`
	IsReconciled          bool              `json:"IsReconciled,omitempty"`
	Status                string            `json:"Status,omitempty"`
	PaymentType           string            `json:"PaymentType,omitempty"`
	UpdatedDateUTC        *Date             `json:"UpdatedDateUTC,omitempty"`
	HasValidationErrors   bool              `json:"HasValidationErrors,omitempty"`
	StatusAttributeString string            `json:"StatusAttributeString,omitempty"`
	ValidationErrors      []ValidationError `json:"ValidationErrors,omitempty"`
	Warnings              []ValidationError `json:"Warnings,omitempty"`
}

// Account is one account of the chart of accounts.
type Account struct {
	AccountID               string `json:"AccountID"`
	Code                    string `json:"Code"`
	Name                    string `json:"Name"`
	Type                    string `json:"Type"`
	Class                   string `json:"Class,omitempty"`
	Status                  string `json:"Status"`
	TaxType                 string `json:"TaxType,omitempty"`
	Description             string `json:"Description,omitempty"`
	SystemAccount           string `json:"SystemAccount,omitempty"`
	EnablePaymentsToAccount bool   `json:"EnablePaymentsToAccount"`
	ShowInExpenseClaims     bool   `json:"ShowInExpenseClaims"`
	BankAccountNumber       string `json:"BankAccountNumber,omitempty"`
	BankAccountType         string `json:"BankAccountType,omitempty"`
	CurrencyCode            string `json:"CurrencyCode,omitempty"`
	ReportingCode           string `json:"ReportingCode,omitempty"`
	UpdatedDateUTC          *Date  `json:"UpdatedDateUTC,omitempty"`
}

// TaxComponent is one part of a (possibly compound) tax rate.
type TaxComponent struct {
	Name             string  `json:"Name"`
	Rate             *Amount `json:"Rate"`
	IsCompound       bool    `json:"IsCompound"`
	IsNonRecoverable bool    `json:"IsNonRecoverable"`
}

// TaxRate is a tax rate of the organisation; lines name it by TaxType.
type TaxRate struct {
	Name                  string         `json:"Name"`
	TaxType               string         `json:"TaxType"`
	ReportTaxType         string         `json:"ReportTaxType,omitempty"`
	Status                string         `json:"Status"`
	CanApplyToAssets      bool           `json:"CanApplyToAssets"`
	CanApplyToEquity      bool           `json:"CanApplyToEquity"`
	CanApplyToExpenses    bool           `json:"CanApplyToExpenses"`
	CanApplyToLiabilities bool           `json:"CanApplyToLiabilities"`
	CanApplyToRevenue     bool           `json:"CanApplyToRevenue"`
	DisplayTaxRate        *Amount        `json:"DisplayTaxRate"`
	EffectiveRate         *Amount        `json:"EffectiveRate"`
	TaxComponents         []TaxComponent `json:"TaxComponents"`
}

// Currency is a currency enabled in the organisation.
type Currency struct {
	Code        string `json:"Code"`
	Description string `json:"Description,omitempty"`
}

// BrandingTheme is an invoice layout.
type BrandingTheme struct {
	BrandingThemeID string `json:"BrandingThemeID"`
	Name            string `json:"Name"`
	Type            string `json:"Type,omitempty"`
	SortOrder       int    `json:"SortOrder"`
	CreatedDateUTC  *Date  `json:"CreatedDateUTC,omitempty"`
}

// HistoryRecord is one line of a document's history and notes.
type HistoryRecord struct {
	Changes string `json:"Changes,omitempty"`
	DateUTC *Date  `json:"DateUTC,omitempty"`
	User    string `json:"User,omitempty"`
	Details string `json:"Details,omitempty"`
}

// OrgData is everything one organisation holds; it is also the shape of
// the --state file (see state.go).
type OrgData struct {
	TenantID       string                     `json:"TenantID,omitempty"`
	TenantName     string                     `json:"TenantName,omitempty"`
	Contacts       []Contact                  `json:"Contacts"`
	Invoices       []Invoice                  `json:"Invoices"`
	CreditNotes    []CreditNote               `json:"CreditNotes"`
	Payments       []Payment                  `json:"Payments"`
	Accounts       []Account                  `json:"Accounts,omitempty"`
	TaxRates       []TaxRate                  `json:"TaxRates,omitempty"`
	Currencies     []Currency                 `json:"Currencies,omitempty"`
	BrandingThemes []BrandingTheme            `json:"BrandingThemes,omitempty"`
	History        map[string][]HistoryRecord `json:"History,omitempty"`
	// PeriodLockDate and EndOfYearLockDate close the books up to a day
	// (lockdates.go).
	PeriodLockDate    *Date `json:"PeriodLockDate,omitempty"`
	EndOfYearLockDate *Date `json:"EndOfYearLockDate,omitempty"`
}
