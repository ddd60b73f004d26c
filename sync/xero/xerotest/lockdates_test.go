package xerotest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// TestLockDatesRefuseWhatPostsOnOrBeforeThem: with the books locked up to
// 31 January 2026, an approved invoice or a payment dated on or before it
// is refused with Xero's message; a draft is accepted, and so is anything
// dated after it. GET /Organisation shows the lock dates.
func TestLockDatesRefuseWhatPostsOnOrBeforeThem(t *testing.T) {
	s, c := start(t, xerotest.Options{})
	open := c.putInvoice(invoice("OC-1", line("x", "1", "100", "OUTPUT2"))) // dated 15 January, before the lock
	if err := s.SetLockDates(xerotest.DefaultTenantID, xerotest.LockDates{Period: time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC),
		EndOfYear: time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	period := "The document date cannot be before the period lock date, currently set at 31-Jan-2026"
	dated := func(number, date, status string) J {
		inv := invoice(number, line("x", "1", "10", "OUTPUT2"))
		inv["Date"], inv["DueDate"], inv["Status"] = date, "2026-03-01", status
		return inv
	}
	t.Run("approved invoice on the lock date", func(t *testing.T) {
		got := c.as(t).call("PUT", "/Invoices?summarizeErrors=false", J{"Invoices": []J{dated("OC-2", "2026-01-31", "AUTHORISED")}}).must(t, http.StatusOK).Env.Invoices[0]
		wantErrors(t, got.ValidationErrors, period)
	})
	t.Run("approved invoice inside both locks", func(t *testing.T) {
		got := c.as(t).call("PUT", "/Invoices?summarizeErrors=false", J{"Invoices": []J{dated("OC-3", "2025-12-01", "AUTHORISED")}}).must(t, http.StatusOK).Env.Invoices[0]
		wantErrors(t, got.ValidationErrors, period, "The document date cannot be before the end of year lock date, currently set at 31-Dec-2025")
	})
	t.Run("draft inside the lock is accepted", func(t *testing.T) {
		if got := c.as(t).putInvoice(dated("OC-4", "2026-01-10", "DRAFT")); len(got.ValidationErrors) > 0 || got.InvoiceID == "" {
			t.Errorf("draft refused: %+v", got.ValidationErrors)
		}
	})
	t.Run("approved invoice the day after", func(t *testing.T) {
		if got := c.as(t).putInvoice(dated("OC-5", "2026-02-01", "AUTHORISED")); len(got.ValidationErrors) > 0 {
			t.Errorf("refused: %+v", got.ValidationErrors)
		}
	})
	t.Run("payment inside the lock", func(t *testing.T) {
		got := c.as(t).putPayment(J{"Invoice": J{"InvoiceID": open.InvoiceID}, "Account": J{"Code": "090"}, "Date": "2026-01-20", "Amount": num("1")})
		wantErrors(t, got.ValidationErrors, period)
	})
	t.Run("payment after the lock", func(t *testing.T) {
		if got := c.as(t).putPayment(J{"Invoice": J{"InvoiceID": open.InvoiceID}, "Account": J{"Code": "090"}, "Date": "2026-02-02", "Amount": num("1")}); len(got.ValidationErrors) > 0 {
			t.Errorf("refused: %+v", got.ValidationErrors)
		}
	})
	t.Run("organisation shows the lock dates", func(t *testing.T) {
		o := c.as(t).call("GET", "/Organisation", nil).must(t, http.StatusOK).Env.Organisations[0]
		if o.PeriodLockDate == nil || !o.PeriodLockDate.Equal(time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)) ||
			o.EndOfYearLockDate == nil || !o.EndOfYearLockDate.Equal(time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("organisation lock dates %v, %v", o.PeriodLockDate, o.EndOfYearLockDate)
		}
	})
}
