package xero

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

// FuzzParseResponse feeds arbitrary answers to every parser of Xero's
// answers: none may panic, and a refusal always gives a typed error.
func FuzzParseResponse(f *testing.F) {
	seeds := []struct {
		status int
		body   string
	}{
		{200, `{"Invoices":[{"InvoiceID":"a","Total":1.5,"Date":"/Date(1539993600000+0000)/","LineItems":[{"UnitAmount":"2.5"}]}]}`},
		{200, `{"Contacts":[{"ContactID":"x","ValidationErrors":[{"Message":"bad"}]}],"pagination":{"page":1,"pageCount":3}}`},
		{200, `{"Invoices":null}`},
		{200, `[]`},
		{400, `{"ErrorNumber":10,"Type":"ValidationException","Elements":[{"ValidationErrors":[{"Message":"m"}]}]}`},
		{403, `{"title":"Forbidden","detail":"AuthenticationUnsuccessful"}`},
		{500, `<html>`},
		{429, ``},
	}
	for _, s := range seeds {
		f.Add(s.status, []byte(s.body), "60")
	}
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter string) {
		if status < 200 || status > 299 {
			err := decodeError(status, body, "PUT /Invoices")
			var ve *ValidationError
			var re *RequestError
			var fe *ForbiddenError
			var ne *NotFoundError
			var ae *AuthError
			if !errors.As(err, &ve) && !errors.As(err, &re) && !errors.As(err, &fe) && !errors.As(err, &ne) && !errors.As(err, &ae) {
				t.Fatalf("untyped error %T", err)
			}
			_ = err.Error()
			_ = errorDetail(body)
		}
		h := http.Header{"Retry-After": {retryAfter}, "X-Rate-Limit-Problem": {retryAfter}}
		_ = rateLimitFrom(h, time.Unix(0, 0)).Error()
		_, _, _ = decodeList[Invoice](body, "Invoices", "GET /Invoices")
		_, _, _ = decodeList[Contact](body, "Contacts", "GET /Contacts")
		_, _, _ = decodeList[CreditNote](body, "CreditNotes", "GET /CreditNotes")
		_, _, _ = decodeList[Payment](body, "Payments", "GET /Payments")
		var ts []Tenant
		_ = decodeJSON(body, &ts, "GET /connections")
		res := make([]Result[Invoice], 3)
		if got, _, err := decodeList[Invoice](body, "Invoices", "PUT /Invoices"); err == nil {
			fillResults(res, 0, 3, got)
		}
	})
}
