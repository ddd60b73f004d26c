package xero_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// The contract check: every Accounting API request a test's client sent is
// validated (path, query, headers and JSON body) against Xero's official
// OpenAPI spec (specPath, in testdata).

var (
	specOnce sync.Once
	specDoc  *openapi3.T
	specErr  error
)

func loadSpec() (*openapi3.T, error) {
	specOnce.Do(func() {
		l := openapi3.NewLoader()
		specDoc, specErr = l.LoadFromFile(specPath)
		if specErr != nil {
			specErr = fmt.Errorf("load %s: %w", specPath, specErr)
		}
	})
	return specDoc, specErr
}

// checkContract fails t for every captured Accounting request that does not
// match the spec.
func checkContract(t *testing.T, reqs []sent) {
	t.Helper()
	doc, err := loadSpec()
	if err != nil {
		t.Error(err)
		return
	}
	checked := 0
	for _, s := range reqs {
		if !strings.Contains(s.URL.Path, "/api.xro/2.0/") {
			continue
		}
		checked++
		if err := validateSent(doc, s); err != nil {
			t.Errorf("%s %s does not match Xero's spec: %v\nbody: %.2000s", s.Method, s.URL.Path, err, s.Body)
		}
	}
	t.Logf("contract: %d Accounting API requests checked against the spec", checked)
}

// validateSent checks one request with kin-openapi's request validation.
func validateSent(doc *openapi3.T, s sent) error {
	path := s.URL.Path[strings.Index(s.URL.Path, "/api.xro/2.0")+len("/api.xro/2.0"):]
	route, params := findRoute(doc, s.Method, path)
	if route == nil {
		return errors.New("no such operation in the spec")
	}
	req, err := http.NewRequest(s.Method, s.URL.String(), bytes.NewReader(s.Body))
	if err != nil {
		return err
	}
	req.Header = s.Header.Clone()
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		// SkipSettingDefaults: check what the client sent, not the spec's
		// defaults (several boolean defaults in the spec are the string "false").
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true, SkipSettingDefaults: true},
	}
	return openapi3filter.ValidateRequest(context.Background(), in)
}

// findRoute matches a concrete path to the spec's path template with the
// most literal segments.
func findRoute(doc *openapi3.T, method, path string) (*routers.Route, map[string]string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	var best *routers.Route
	var bestParams map[string]string
	bestScore := -1
	for tmpl, item := range doc.Paths.Map() {
		op := item.GetOperation(method)
		if op == nil {
			continue
		}
		ts := strings.Split(strings.Trim(tmpl, "/"), "/")
		if len(ts) != len(segs) {
			continue
		}
		params, score := map[string]string{}, 0
		for i, t := range ts {
			seg, _ := url.PathUnescape(segs[i])
			switch {
			case strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}"):
				params[t[1:len(t)-1]] = seg
			case strings.EqualFold(t, seg):
				score++
			default:
				score = -1
			}
			if score < 0 {
				break
			}
		}
		if score > bestScore {
			best = &routers.Route{Spec: doc, Path: tmpl, PathItem: item, Method: method, Operation: op}
			bestParams, bestScore = params, score
		}
	}
	return best, bestParams
}

// TestContractChecker shows the contract check finds what it must: a
// read-only total, a string where Xero wants a number, a missing tenant
// header — and passes a correct invoice.
func TestContractChecker(t *testing.T) {
	doc, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("http://127.0.0.1/api.xro/2.0/Invoices?summarizeErrors=false&unitdp=4")
	hdr := http.Header{"Content-Type": {"application/json"}, "Xero-Tenant-Id": {"t"}, "Authorization": {"Bearer x"}}
	good := `{"Invoices":[{"Type":"ACCREC","Contact":{"ContactID":"0b6e0b55-04a4-4e12-8f3b-8d1ff3e5a0c1"},"Date":"2026-01-15","LineItems":[{"Description":"x","Quantity":1,"UnitAmount":12.3456,"AccountCode":"200","TaxType":"OUTPUT2"}]}]}`
	tests := []struct {
		name    string
		header  http.Header
		body    string
		wantErr string
	}{
		{"correct invoice", hdr, good, ""},
		{"read-only total", hdr, strings.Replace(good, `"Type":"ACCREC"`, `"Type":"ACCREC","Total":1`, 1), "readOnly"},
		{"amount as string", hdr, strings.Replace(good, `12.3456`, `"12.3456"`, 1), "number"},
		{"unknown status", hdr, strings.Replace(good, `"Type":"ACCREC"`, `"Type":"ACCREC","Status":"SENT"`, 1), "Status"},
		{"no tenant header", http.Header{"Content-Type": {"application/json"}}, good, "xero-tenant-id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := validateSent(doc, sent{Method: "PUT", URL: u, Header: tt.header, Body: []byte(tt.body)})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("valid request refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
			}
		})
	}
	if r, _ := findRoute(doc, "PUT", "/CreditNotes/abc/Allocations"); r == nil || r.Path != "/CreditNotes/{CreditNoteID}/Allocations" {
		t.Fatalf("allocation route: %+v", r)
	}
}
