package xerotest_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

func TestStateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "xero-state.json")
	s, c := start(t, xerotest.Options{StatePath: path})
	tok := login(t, s, granular)
	inv := c.putInvoice(invoice("S-1", line("x", "1", "10", "OUTPUT2")))
	c.putPayment(J{"Invoice": J{"InvoiceID": inv.InvoiceID}, "Account": J{"Code": "090"}, "Amount": 5, "Date": "2026-01-20"})

	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatalf("state file is not JSON: %v", err)
	}
	for _, key := range []string{"Contacts", "Invoices", "CreditNotes", "Payments"} {
		if _, ok := top[key]; !ok {
			t.Fatalf("state file lacks %s", key)
		}
	}
	var data xerotest.OrgData
	if err := json.Unmarshal(b, &data); err != nil || len(data.Invoices) != 1 || data.Invoices[0].InvoiceNumber != "S-1" || len(data.Payments) != 1 {
		t.Fatalf("state file content: %v %+v", err, data.Invoices)
	}
	if got := s.Data(c.tenant); len(got.Contacts) != 1 || got.Invoices[0].AmountDue.String() != "7" {
		t.Fatalf("Data(): %+v", got.Invoices)
	}

	// A new sandbox on the same file has the books and the logins.
	s2 := xerotest.NewTest(t, xerotest.Options{StatePath: path})
	invs := s2.Invoices(xerotest.DefaultTenantID)
	if len(invs) != 1 || invs[0].InvoiceID != inv.InvoiceID || invs[0].AmountPaid.String() != "5" {
		t.Fatalf("after restart: %+v", invs)
	}
	status, fresh := tokenCall(t, s2, url.Values{"grant_type": {"refresh_token"}, "client_id": {pkceApp}, "refresh_token": {tok["refresh_token"].(string)}}, "")
	if status != http.StatusOK {
		t.Fatalf("refresh after restart: %d %v", status, fresh)
	}
	c2 := &client{t: t, s: s2, token: fresh["access_token"].(string), tenant: xerotest.DefaultTenantID}
	if r := c2.call("GET", "/Invoices/S-1", nil).must(t, 200); r.Env.Invoices[0].AmountDue.String() != "7" {
		t.Fatalf("%s", r.Body)
	}
	t.Run("broken file", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad.json")
		if err := os.WriteFile(bad, []byte("{not json"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := xerotest.New(xerotest.Options{StatePath: bad}); err == nil {
			t.Fatal("New accepted a broken state file")
		}
	})
}

func TestListenAndServe(t *testing.T) {
	s, err := xerotest.New(xerotest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := busy.Addr().String()
	if err := s.ListenAndServe(context.Background(), addr); err == nil {
		t.Fatal("ListenAndServe on a busy port returned nil")
	}
	busy.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.ListenAndServe(ctx, addr) }()
	var status int
	for deadline := time.Now().Add(3 * time.Second); status == 0 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/.well-known/openid-configuration"); err == nil {
			status = resp.StatusCode
			resp.Body.Close()
		}
	}
	if status != http.StatusOK {
		t.Fatalf("discovery document: status %d", status)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("after cancel: %v", err)
	}
}
