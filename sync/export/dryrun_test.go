package export_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// dryRun runs a dry run as the app does: without a Xero client.
func (e *env) dryRun(s export.Settings) (export.Summary, []string) {
	e.t.Helper()
	log := &eventLog{}
	eng, err := export.New(export.Config{Store: e.store, History: e.hist, Settings: s, Progress: log})
	if err != nil {
		e.t.Fatal(err)
	}
	sum, err := eng.Run(context.Background(), export.Request{Scope: export.ScopeAll, DryRun: true})
	if err != nil {
		e.t.Fatalf("dry run: %v", err)
	}
	return sum, failures(log.outcomes())
}

// failures are the failed records of a run, as "kind id: reason".
func failures(outs []export.Outcome) []string {
	var out []string
	for _, o := range outs {
		if o.State == history.StateFailed && o.Kind != "run" {
			out = append(out, fmt.Sprintf("%s %s: %s", o.Kind, o.OpenCartID, o.Message))
		}
	}
	slices.Sort(out)
	return out
}

// TestDryRunReportsTheSameFailuresAsTheRealRun: a payment method's account
// missing from Xero and an order in a currency Xero has not enabled fail
// the same records, with the same reasons, in a dry run (from the last
// run's reference) as in the real run. Before any real run, the dry run
// says plainly what it could not check.
func TestDryRunReportsTheSameFailuresAsTheRealRun(t *testing.T) {
	e := newEnv(t, opencart.Family40)
	cod := octest.Method{Title: "Cash On Delivery", Code: "cod.cod"}
	e.shop.AddOrder(methodOrder(4001, cod, step(5, at(3, 3))))
	e.shop.AddOrder(methodOrder(4002, octest.Method{Title: "PayPal", Code: "pp_standard"}, step(2, at(3, 4))))
	chf := methodOrder(4003, octest.Method{Title: "PayPal", Code: "pp_standard"}, step(2, at(3, 5)))
	chf.CurrencyCode, chf.CurrencyValue = "CHF", "1.10000000"
	e.shop.AddOrder(chf)
	s := e.settings(mapping.StatusAuthorised)
	s.PaymentAccounts = map[string]string{"cod": "095"} // not in Xero's chart

	sum, _ := e.dryRun(s)
	if len(sum.NotChecked) == 0 || !strings.Contains(sum.NotChecked[0], "not connected to Xero yet: accounts, tax types, currencies and lock dates were not checked") {
		t.Errorf("dry run before any real run: not checked %q", sum.NotChecked)
	}

	e.events = &eventLog{}
	e.run(s, export.Request{Scope: export.ScopeAll})
	real := failures(e.events.outcomes())
	want := []string{
		"invoice 4003: not sent: the currency CHF is not enabled in Xero (Settings → Currencies in Xero)",
		"payment 4001: not sent: bank account: account 095 (payments by cod) is not an active account in Xero's chart of accounts: choose another under Payments",
	}
	if !slices.Equal(real, want) {
		t.Fatalf("real run failed:\n%s\nwant:\n%s", strings.Join(real, "\n"), strings.Join(want, "\n"))
	}
	dry, got := e.dryRun(s)
	if !slices.Equal(got, real) {
		t.Errorf("dry run failed:\n%s\nthe real run:\n%s", strings.Join(got, "\n"), strings.Join(real, "\n"))
	}
	if slices.ContainsFunc(dry.NotChecked, func(s string) bool { return strings.Contains(s, "not connected") }) {
		t.Errorf("dry run after a real run says it was not connected: %q", dry.NotChecked)
	}
}

// contactNames are the names of the contacts in a run's outcomes, by
// contact number.
func contactNames(outs []export.Outcome) map[string]string {
	names := map[string]string{}
	for _, o := range outs {
		if c, ok := o.Document.(xero.Contact); ok && o.Kind == history.KindContact && c.Name != "" {
			names[o.OpenCartID] = c.Name
		}
	}
	return names
}

// TestDryRunNamesContactsAsTheRealRun: a new customer whose name a contact
// exported before already holds in Xero is named in the dry run as the real
// run names it (disambiguated with its e-mail address), and so are two
// new customers of one name within the run; the customer exported before
// keeps its name in both.
func TestDryRunNamesContactsAsTheRealRun(t *testing.T) {
	e := newEnv(t, opencart.Family40)
	s := e.settings(mapping.StatusAuthorised)
	first := e.shop.AddCustomer(customer("Sam", "Lee", "sam1@example.com"))
	e.shop.AddOrder(paidOrder(1, first, "Sam", "Lee", "sam1@example.com"))
	if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		e.logFailures()
		t.Fatalf("first run: %+v", sum)
	}
	second := e.shop.AddCustomer(customer("Sam", "Lee", "sam2@example.com"))
	e.shop.AddOrder(paidOrder(2, second, "Sam", "Lee", "sam2@example.com"))
	third := e.shop.AddCustomer(customer("Ann", "Cole", "ann1@example.com"))
	fourth := e.shop.AddCustomer(customer("Ann", "Cole", "ann2@example.com"))
	e.shop.AddOrder(paidOrder(3, third, "Ann", "Cole", "ann1@example.com"))
	e.shop.AddOrder(paidOrder(4, fourth, "Ann", "Cole", "ann2@example.com"))

	log := &eventLog{}
	eng, err := export.New(export.Config{Store: e.store, History: e.hist, Settings: s, Progress: log})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Run(context.Background(), export.Request{Scope: export.ScopeAll, DryRun: true}); err != nil {
		t.Fatal(err)
	}
	dry := contactNames(log.outcomes())

	e.events = &eventLog{}
	if sum := e.run(s, export.Request{Scope: export.ScopeAll}); sum.Failed != 0 {
		e.logFailures()
		t.Fatalf("real run: %+v", sum)
	}
	real := map[string]string{}
	for _, c := range e.sandbox.Contacts(tenant) {
		real[c.ContactNumber] = c.Name
	}
	if real["OC-C2"] != "Sam Lee (sam2@example.com)" || real["OC-C1"] != "Sam Lee" {
		t.Fatalf("the real run named them %q", real)
	}
	for key, name := range dry {
		if real[key] != name {
			t.Errorf("contact %s: the dry run names it %q, the real run %q", key, name, real[key])
		}
	}
	for _, key := range []string{"OC-C2", "OC-C3", "OC-C4"} {
		if dry[key] == "" {
			t.Errorf("the dry run shows no contact %s: %q", key, dry)
		}
	}
}
