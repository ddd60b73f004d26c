package xero

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// Amount is a money amount, quantity or rate, sent to and read from Xero as
// a JSON number. The zero Amount means "not given" and is left out of
// requests (fields use omitzero); an Amount made with NewAmount is always
// sent, even when it is 0.
type Amount struct {
	d   decimal.Decimal
	set bool
}

// NewAmount gives an Amount that is sent to Xero.
func NewAmount(d decimal.Decimal) Amount { return Amount{d: d, set: true} }

// MustAmount parses a decimal literal such as "12.34"; for constants and tests.
func MustAmount(s string) Amount { return NewAmount(decimal.RequireFromString(s)) }

// Decimal returns the value (0 when not given).
func (a Amount) Decimal() decimal.Decimal { return a.d }

// Given reports whether the amount was set.
func (a Amount) Given() bool { return a.set }

// IsZero reports whether the amount was NOT given (so omitzero leaves it out).
// A given 0 is not "zero" in this sense.
func (a Amount) IsZero() bool { return !a.set }

// String prints the value, or "" when not given.
func (a Amount) String() string {
	if !a.set {
		return ""
	}
	return a.d.String()
}

// MarshalJSON writes a JSON number (null when not given).
func (a Amount) MarshalJSON() ([]byte, error) {
	if !a.set {
		return []byte("null"), nil
	}
	return []byte(a.d.String()), nil
}

// UnmarshalJSON reads a JSON number or a numeric string; null leaves it unset.
func (a *Amount) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*a = Amount{}
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("xero: amount: %w", err)
		}
		if s == "" {
			*a = Amount{}
			return nil
		}
		b = []byte(s)
	}
	d, err := decimal.NewFromString(string(b))
	if err != nil {
		return fmt.Errorf("xero: amount %q: %w", truncate(string(b), 40), err)
	}
	*a = NewAmount(d)
	return nil
}

// Date is a calendar date or moment as Xero has it. It is sent as
// YYYY-MM-DD and read from Xero's "/Date(1539993600000+0000)/" and ISO forms.
type Date struct{ time.Time }

// NewDate makes a Date from a year, month and day (UTC).
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// MarshalJSON writes "YYYY-MM-DD" (null for the zero date).
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.Format("2006-01-02") + `"`), nil
}

// UnmarshalJSON reads the forms Xero uses.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("xero: date: %w", err)
	}
	t, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = Date{t}
	return nil
}

var msDate = regexp.MustCompile(`^/Date\((-?\d{1,15})([+-]\d{4})?\)/$`)

// ParseDate reads a Xero date: "/Date(1539993600000+0000)/", "2018-10-20",
// "2018-10-20T00:00:00", or RFC 3339 with or without fractions.
func ParseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if m := msDate.FindStringSubmatch(s); m != nil {
		ms, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("xero: date %q: %w", truncate(s, 40), err)
		}
		// The milliseconds are UTC; the offset only says where it was shown.
		return time.UnixMilli(ms).UTC(), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("xero: date %q is in no known form", truncate(s, 40))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Message is one reason or warning Xero gives about a record.
type Message struct {
	Message string `json:"Message,omitempty"`
}

// ElementStatus is what Xero reports about each record of a batch.
type ElementStatus struct {
	// StatusAttributeString is OK, WARNING or ERROR.
	StatusAttributeString string    `json:"StatusAttributeString,omitempty"`
	ValidationErrors      []Message `json:"ValidationErrors,omitempty"`
	Warnings              []Message `json:"Warnings,omitempty"`
}

func (s ElementStatus) elementStatus() ElementStatus { return s }

// Pagination is Xero's paging information on list answers.
type Pagination struct {
	Page      int `json:"page"`
	PageSize  int `json:"pageSize"`
	PageCount int `json:"pageCount"`
	ItemCount int `json:"itemCount"`
}

// Organisation is the Xero organisation (the books) being exported to.
type Organisation struct {
	OrganisationID    string `json:"OrganisationID,omitempty"`
	Name              string `json:"Name,omitempty"`
	LegalName         string `json:"LegalName,omitempty"`
	BaseCurrency      string `json:"BaseCurrency,omitempty"`
	CountryCode       string `json:"CountryCode,omitempty"`
	IsDemoCompany     bool   `json:"IsDemoCompany,omitempty"`
	OrganisationType  string `json:"OrganisationType,omitempty"`
	DefaultSalesTax   string `json:"DefaultSalesTax,omitempty"`
	Timezone          string `json:"Timezone,omitempty"`
	ShortCode         string `json:"ShortCode,omitempty"`
	PeriodLockDate    Date   `json:"PeriodLockDate,omitzero"`
	EndOfYearLockDate Date   `json:"EndOfYearLockDate,omitzero"`
}

// TaxRate is one of the organisation's tax rates; TaxType is the code lines use.
type TaxRate struct {
	Name                  string `json:"Name,omitempty"`
	TaxType               string `json:"TaxType,omitempty"`
	Status                string `json:"Status,omitempty"`
	ReportTaxType         string `json:"ReportTaxType,omitempty"`
	CanApplyToRevenue     bool   `json:"CanApplyToRevenue,omitempty"`
	CanApplyToAssets      bool   `json:"CanApplyToAssets,omitempty"`
	CanApplyToEquity      bool   `json:"CanApplyToEquity,omitempty"`
	CanApplyToExpenses    bool   `json:"CanApplyToExpenses,omitempty"`
	CanApplyToLiabilities bool   `json:"CanApplyToLiabilities,omitempty"`
	DisplayTaxRate        Amount `json:"DisplayTaxRate,omitzero"`
	EffectiveRate         Amount `json:"EffectiveRate,omitzero"`
}

// Account is one account of the chart of accounts.
type Account struct {
	AccountID               string `json:"AccountID,omitempty"`
	Code                    string `json:"Code,omitempty"`
	Name                    string `json:"Name,omitempty"`
	Type                    string `json:"Type,omitempty"`
	Status                  string `json:"Status,omitempty"`
	TaxType                 string `json:"TaxType,omitempty"`
	Class                   string `json:"Class,omitempty"`
	SystemAccount           string `json:"SystemAccount,omitempty"`
	CurrencyCode            string `json:"CurrencyCode,omitempty"`
	EnablePaymentsToAccount bool   `json:"EnablePaymentsToAccount,omitempty"`
	BankAccountNumber       string `json:"BankAccountNumber,omitempty"`
}

// Currency is a currency the organisation has enabled.
type Currency struct {
	Code        string `json:"Code,omitempty"`
	Description string `json:"Description,omitempty"`
}

// BrandingTheme is an invoice layout of the organisation.
type BrandingTheme struct {
	BrandingThemeID string `json:"BrandingThemeID,omitempty"`
	Name            string `json:"Name,omitempty"`
	SortOrder       int    `json:"SortOrder,omitempty"`
}

// Address is a postal or street address of a contact.
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

// Phone is a phone number of a contact.
type Phone struct {
	PhoneType        string `json:"PhoneType,omitempty"`
	PhoneNumber      string `json:"PhoneNumber,omitempty"`
	PhoneAreaCode    string `json:"PhoneAreaCode,omitempty"`
	PhoneCountryCode string `json:"PhoneCountryCode,omitempty"`
}

// Contact is a customer (or supplier) in Xero.
type Contact struct {
	ContactID       string    `json:"ContactID,omitempty"`
	ContactNumber   string    `json:"ContactNumber,omitempty"`
	AccountNumber   string    `json:"AccountNumber,omitempty"`
	ContactStatus   string    `json:"ContactStatus,omitempty"`
	Name            string    `json:"Name,omitempty"`
	FirstName       string    `json:"FirstName,omitempty"`
	LastName        string    `json:"LastName,omitempty"`
	CompanyNumber   string    `json:"CompanyNumber,omitempty"`
	EmailAddress    string    `json:"EmailAddress,omitempty"`
	TaxNumber       string    `json:"TaxNumber,omitempty"`
	DefaultCurrency string    `json:"DefaultCurrency,omitempty"`
	Addresses       []Address `json:"Addresses,omitempty"`
	Phones          []Phone   `json:"Phones,omitempty"`
	IsCustomer      bool      `json:"IsCustomer,omitempty"`
	IsSupplier      bool      `json:"IsSupplier,omitempty"`
	// UpdatedDateUTC is filled by Xero.
	UpdatedDateUTC      Date `json:"UpdatedDateUTC,omitzero"`
	HasValidationErrors bool `json:"HasValidationErrors,omitempty"`
	ElementStatus
}

// TrackingOption puts a line into a tracking category option.
type TrackingOption struct {
	Name   string `json:"Name,omitempty"`
	Option string `json:"Option,omitempty"`
}

// LineItem is one line of an invoice or credit note.
type LineItem struct {
	LineItemID     string           `json:"LineItemID,omitempty"`
	Description    string           `json:"Description,omitempty"`
	Quantity       Amount           `json:"Quantity,omitzero"`
	UnitAmount     Amount           `json:"UnitAmount,omitzero"`
	ItemCode       string           `json:"ItemCode,omitempty"`
	AccountCode    string           `json:"AccountCode,omitempty"`
	TaxType        string           `json:"TaxType,omitempty"`
	TaxAmount      Amount           `json:"TaxAmount,omitzero"`
	LineAmount     Amount           `json:"LineAmount,omitzero"`
	DiscountRate   Amount           `json:"DiscountRate,omitzero"`
	DiscountAmount Amount           `json:"DiscountAmount,omitzero"`
	Tracking       []TrackingOption `json:"Tracking,omitempty"`
}

// Invoice is a sales invoice (Type ACCREC) or bill. Fields after
// BrandingThemeID that Xero computes are read-only: leave them unset.
type Invoice struct {
	InvoiceID       string     `json:"InvoiceID,omitempty"`
	Type            string     `json:"Type,omitempty"`
	InvoiceNumber   string     `json:"InvoiceNumber,omitempty"`
	Reference       string     `json:"Reference,omitempty"`
	Contact         *Contact   `json:"Contact,omitempty"`
	Date            Date       `json:"Date,omitzero"`
	DueDate         Date       `json:"DueDate,omitzero"`
	Status          string     `json:"Status,omitempty"`
	LineAmountTypes string     `json:"LineAmountTypes,omitempty"`
	LineItems       []LineItem `json:"LineItems,omitempty"`
	CurrencyCode    string     `json:"CurrencyCode,omitempty"`
	CurrencyRate    Amount     `json:"CurrencyRate,omitzero"`
	BrandingThemeID string     `json:"BrandingThemeID,omitempty"`
	URL             string     `json:"Url,omitempty"`
	SentToContact   bool       `json:"SentToContact,omitempty"`
	// Read-only, filled by Xero.
	SubTotal       Amount `json:"SubTotal,omitzero"`
	TotalTax       Amount `json:"TotalTax,omitzero"`
	Total          Amount `json:"Total,omitzero"`
	AmountDue      Amount `json:"AmountDue,omitzero"`
	AmountPaid     Amount `json:"AmountPaid,omitzero"`
	AmountCredited Amount `json:"AmountCredited,omitzero"`
	UpdatedDateUTC Date   `json:"UpdatedDateUTC,omitzero"`
	HasErrors      bool   `json:"HasErrors,omitempty"`
	ElementStatus
}

// CreditNote is a credit note (Type ACCRECCREDIT for a customer refund).
type CreditNote struct {
	CreditNoteID     string     `json:"CreditNoteID,omitempty"`
	Type             string     `json:"Type,omitempty"`
	CreditNoteNumber string     `json:"CreditNoteNumber,omitempty"`
	Reference        string     `json:"Reference,omitempty"`
	Contact          *Contact   `json:"Contact,omitempty"`
	Date             Date       `json:"Date,omitzero"`
	Status           string     `json:"Status,omitempty"`
	LineAmountTypes  string     `json:"LineAmountTypes,omitempty"`
	LineItems        []LineItem `json:"LineItems,omitempty"`
	CurrencyCode     string     `json:"CurrencyCode,omitempty"`
	CurrencyRate     Amount     `json:"CurrencyRate,omitzero"`
	BrandingThemeID  string     `json:"BrandingThemeID,omitempty"`
	// Read-only, filled by Xero.
	SubTotal        Amount       `json:"SubTotal,omitzero"`
	TotalTax        Amount       `json:"TotalTax,omitzero"`
	Total           Amount       `json:"Total,omitzero"`
	RemainingCredit Amount       `json:"RemainingCredit,omitzero"`
	Allocations     []Allocation `json:"Allocations,omitempty"`
	// Payments are the refunds paid out on the credit note.
	Payments       []Payment `json:"Payments,omitempty"`
	UpdatedDateUTC Date      `json:"UpdatedDateUTC,omitzero"`
	HasErrors      bool      `json:"HasErrors,omitempty"`
	ElementStatus
}

// InvoiceRef points at an invoice by id or number.
type InvoiceRef struct {
	InvoiceID     string `json:"InvoiceID,omitempty"`
	InvoiceNumber string `json:"InvoiceNumber,omitempty"`
}

// CreditNoteRef points at a credit note by id or number.
type CreditNoteRef struct {
	CreditNoteID     string `json:"CreditNoteID,omitempty"`
	CreditNoteNumber string `json:"CreditNoteNumber,omitempty"`
}

// AccountRef points at an account by id or code.
type AccountRef struct {
	AccountID string `json:"AccountID,omitempty"`
	Code      string `json:"Code,omitempty"`
}

// Allocation applies (part of) a credit note to an invoice.
type Allocation struct {
	AllocationID string      `json:"AllocationID,omitempty"`
	Invoice      *InvoiceRef `json:"Invoice,omitempty"`
	Amount       Amount      `json:"Amount,omitzero"`
	Date         Date        `json:"Date,omitzero"`
	// CreditNote is the credit note the allocation is from: Xero names it
	// in its answers; DeleteAllocations needs it.
	CreditNote *CreditNoteRef `json:"CreditNote,omitempty"`
	// IsDeleted is Xero's answer to an allocation removed.
	IsDeleted bool `json:"IsDeleted,omitempty"`
	ElementStatus
}

// Payment is money received against an invoice (or paid out on a credit note).
type Payment struct {
	PaymentID    string         `json:"PaymentID,omitempty"`
	Invoice      *InvoiceRef    `json:"Invoice,omitempty"`
	CreditNote   *CreditNoteRef `json:"CreditNote,omitempty"`
	Account      *AccountRef    `json:"Account,omitempty"`
	Date         Date           `json:"Date,omitzero"`
	Amount       Amount         `json:"Amount,omitzero"`
	CurrencyRate Amount         `json:"CurrencyRate,omitzero"`
	Reference    string         `json:"Reference,omitempty"`
	IsReconciled bool           `json:"IsReconciled,omitempty"`
	Status       string         `json:"Status,omitempty"`
	// Read-only, filled by Xero.
	PaymentType         string `json:"PaymentType,omitempty"`
	UpdatedDateUTC      Date   `json:"UpdatedDateUTC,omitzero"`
	HasValidationErrors bool   `json:"HasValidationErrors,omitempty"`
	ElementStatus
}

// HistoryRecord is a note in a record's history ("History & Notes" in Xero).
type HistoryRecord struct {
	Details string `json:"Details,omitempty"`
	// Read-only, filled by Xero.
	Changes string `json:"Changes,omitempty"`
	User    string `json:"User,omitempty"`
	DateUTC Date   `json:"DateUTC,omitzero"`
}

// Tenant is an organisation the Xero sign-in gave access to.
type Tenant struct {
	// ID is the connection id (used to disconnect).
	ID string `json:"id"`
	// TenantID identifies the organisation in every accounting call.
	TenantID   string `json:"tenantId"`
	TenantType string `json:"tenantType"`
	TenantName string `json:"tenantName"`
}

var errNoElement = errors.New("no result came back from Xero for this record")
