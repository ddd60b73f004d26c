package xerotest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The --state file: one JSON object whose top level is the first tenant's
// books ({"TenantID", "Contacts":[…], "Invoices":[…], "CreditNotes":[…]
// (allocations inside, as Xero nests them), "Payments":[…], "Accounts",
// "TaxRates", "Currencies", "BrandingThemes", "History"}), with further
// tenants under "OtherTenants" and the sandbox's logins (grants and refresh
// tokens, so the app stays connected across restarts) under "Auth".
// It is rewritten through a temporary file and a rename after every change.

type stateFile struct {
	OrgData
	OtherTenants []OrgData     `json:"OtherTenants,omitempty"`
	Auth         *authSnapshot `json:"Auth,omitempty"`
}

type authSnapshot struct {
	Grants        []*grant                 `json:"Grants"`
	RefreshTokens map[string]*refreshToken `json:"RefreshTokens"`
	AccessTokens  map[string]*accessToken  `json:"AccessTokens"`
	TokenGen      int                      `json:"TokenGen"`
}

// Data returns a copy of a tenant's books, the same object the state file holds.
func (s *Server) Data(tenantID string) OrgData {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.org(tenantID); o != nil {
		return clone(*o.data)
	}
	return OrgData{}
}

func (s *Server) loadState() error {
	if s.opts.StatePath == "" {
		return nil
	}
	b, err := os.ReadFile(s.opts.StatePath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("xerotest: read state: %w", err)
	}
	var st stateFile
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("xerotest: state file %s: %w", s.opts.StatePath, err)
	}
	if st.TenantID == "" {
		st.TenantID = s.tenants[0].ID
	}
	for _, d := range append([]OrgData{st.OrgData}, st.OtherTenants...) {
		o := s.org(d.TenantID)
		if o == nil {
			s.logf("state file: tenant %s (%s) is not configured; its data is ignored", d.TenantID, d.TenantName)
			continue
		}
		seed := o.data
		d.TenantName = o.Name
		if d.Accounts == nil {
			d.Accounts = seed.Accounts
		}
		if d.TaxRates == nil {
			d.TaxRates = seed.TaxRates
		}
		if d.Currencies == nil {
			d.Currencies = seed.Currencies
		}
		if d.BrandingThemes == nil {
			d.BrandingThemes = seed.BrandingThemes
		}
		if d.History == nil {
			d.History = map[string][]HistoryRecord{}
		}
		d.Contacts, d.Invoices, d.CreditNotes, d.Payments = nonNil(d.Contacts), nonNil(d.Invoices), nonNil(d.CreditNotes), nonNil(d.Payments)
		dd := d
		o.data = &dd
		o.reindex()
	}
	if st.Auth != nil {
		for _, g := range st.Auth.Grants {
			s.auth.grants[g.ID] = g
		}
		for tok, rt := range st.Auth.RefreshTokens {
			s.auth.refresh[tok] = rt
		}
		for tok, at := range st.Auth.AccessTokens {
			s.auth.access[tok] = at
		}
		s.tokenGen = st.Auth.TokenGen
	}
	return nil
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

// saveState writes the state file (when configured); failures are logged.
func (s *Server) saveState() {
	if s.opts.StatePath == "" {
		return
	}
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	s.mu.Lock()
	st := stateFile{OrgData: *s.tenants[0].data, Auth: &authSnapshot{RefreshTokens: s.auth.refresh, AccessTokens: s.auth.access, TokenGen: s.tokenGen}}
	for _, o := range s.tenants[1:] {
		st.OtherTenants = append(st.OtherTenants, *o.data)
	}
	for _, g := range s.auth.grants {
		st.Auth.Grants = append(st.Auth.Grants, g)
	}
	b, err := json.MarshalIndent(st, "", "  ")
	s.mu.Unlock()
	if err == nil {
		err = writeFileAtomic(s.opts.StatePath, append(b, '\n'))
	}
	if err != nil {
		s.logf("state file: %v", err)
	}
}

func writeFileAtomic(path string, data []byte) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+strings.TrimPrefix(base, ".")+".tmp*")
	if err != nil {
		return fmt.Errorf("xerotest: write state: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("xerotest: write state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("xerotest: write state: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("xerotest: write state: %w", err)
	}
	return nil
}
