package export_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/xero"
)

// A second shop in the same Xero organisation (issue 12), played beside
// the ledger model: before the first run it already holds some of this
// shop's contact numbers (OC-C…) and invoice numbers (OC-…); between runs
// its credit notes appear under numbers this shop's refunds would take
// (OC-CN-{order}, and OC-CN-{order}-2, the number of a reissued one).
// Besides the ledger's checks: no payment, allocation or credit ever lands
// on the other shop's documents, and none of them is renamed or voided;
// an order whose number the other shop holds is held to the safety checks
// only (its documents cannot all reach Xero under that number); and once
// nothing changes, no record fails on every run: after quiet runs every
// record refused for a clash waits, and the next run fails none.

// otherShop is what the other shop put in Xero.
type otherShop struct {
	ids      map[string]bool // the Xero ids of its documents and contacts
	contacts map[string]xero.Contact
	notes    []string // its credit notes' numbers
	invoices []string
}

// TestLedgerModelOtherShop plays the Xero-side sequences with a second
// shop's clashing documents appearing in Xero.
func TestLedgerModelOtherShop(t *testing.T) {
	seed := ledgerSeed()
	n := max(ledgerSequences()/5, 60)
	t.Logf("%d sequences, OCX_LEDGER_SEED=%d", n, seed)
	for shop := 0; shop*ledgerShopSize < n; shop++ {
		size := min(ledgerShopSize, n-shop*ledgerShopSize)
		t.Run(fmt.Sprintf("shop %d", shop), func(t *testing.T) {
			m := newLedgerModel(t, opencart.Family40, seed, 300+uint64(shop), size, shop%2 == 1, true, true)
			m.unpaidRefunds = true
			m.other = &otherShop{ids: map[string]bool{}, contacts: map[string]xero.Contact{}}
			m.play()
		})
	}
}

// otherShopFirst puts the other shop's clashing contacts and invoices in
// Xero before this shop's first run.
func (m *ledgerModel) otherShopFirst() {
	for _, o := range m.orders {
		switch m.rng.IntN(20) {
		case 0:
			number := "OC-C" + strconv.Itoa(o.customer)
			c := m.otherContact(number, fmt.Sprintf("Other Shop Customer %d", o.customer))
			o.clashed = true
			o.logf("the other shop's contact %s (%s) is in Xero before the first run", number, c.Name)
		case 1:
			number := "OC-" + strconv.Itoa(o.id)
			c := m.otherContact("", fmt.Sprintf("Other Shop Buyer %d", o.id))
			res, err := m.e.client.CreateInvoices(context.Background(), []xero.Invoice{{Type: "ACCREC", InvoiceNumber: number,
				Contact: &xero.Contact{ContactID: c.ContactID}, Date: xero.NewDate(2024, 3, 1), DueDate: xero.NewDate(2024, 3, 31),
				Status: "AUTHORISED", Reference: "Order " + strconv.Itoa(o.id), LineAmountTypes: "Exclusive",
				LineItems: []xero.LineItem{{Description: "Other shop's sale", Quantity: xero.NewAmount(decimal.NewFromInt(1)),
					UnitAmount: xero.NewAmount(decimal.NewFromInt(17)), AccountCode: m.s.Accounts.Sales, TaxType: "NONE"}}}}, "")
			if err != nil || len(res) != 1 || res[0].Err != nil {
				m.t.Fatalf("the other shop's invoice %s: %v %+v", number, err, res)
			}
			m.other.ids[strings.ToLower(res[0].Item.InvoiceID)] = true
			m.other.invoices = append(m.other.invoices, number)
			o.clashed = true
			o.logf("the other shop's invoice %s is in Xero before the first run", number)
		}
	}
}

// otherContact creates one of the other shop's contacts.
func (m *ledgerModel) otherContact(number, name string) xero.Contact {
	res, err := m.e.client.CreateContacts(context.Background(), []xero.Contact{{ContactNumber: number, Name: name,
		EmailAddress: strings.ReplaceAll(strings.ToLower(name), " ", ".") + "@other.example"}}, "")
	if err != nil || len(res) != 1 || res[0].Err != nil {
		m.t.Fatalf("the other shop's contact %s: %v %+v", name, err, res)
	}
	c := res[0].Item
	m.other.ids[strings.ToLower(c.ContactID)] = true
	m.other.contacts[c.ContactID] = c
	return c
}

// otherShopStep puts the other shop's credit notes in Xero under numbers
// this shop's refunds would take, for a few orders.
func (m *ledgerModel) otherShopStep() {
	taken := map[string]bool{}
	for _, cn := range m.e.sandbox.CreditNotes(tenant) {
		taken[strings.ToUpper(cn.CreditNoteNumber)] = true
	}
	for _, o := range m.orders {
		if m.rng.IntN(40) != 0 {
			continue
		}
		number := "OC-CN-" + strconv.Itoa(o.id)
		if taken[number] {
			number += "-2" // the number of this order's reissued refund
		}
		if taken[number] {
			continue
		}
		c := m.otherContact("", fmt.Sprintf("Other Shop Refund %d %d", o.id, len(m.other.notes)))
		res, err := m.e.client.CreateCreditNotes(context.Background(), []xero.CreditNote{{Type: "ACCRECCREDIT", CreditNoteNumber: number,
			Contact: &xero.Contact{ContactID: c.ContactID}, Date: xero.NewDate(2024, 3, 2), Status: "AUTHORISED",
			Reference: "Refund of order " + strconv.Itoa(o.id), LineAmountTypes: "Exclusive",
			LineItems: []xero.LineItem{{Description: "Other shop's refund", Quantity: xero.NewAmount(decimal.NewFromInt(1)),
				UnitAmount: xero.NewAmount(decimal.NewFromInt(9)), AccountCode: m.s.Accounts.Sales, TaxType: "NONE"}}}}, "")
		if err != nil || len(res) != 1 || res[0].Err != nil {
			m.t.Fatalf("the other shop's credit note %s: %v %+v", number, err, res)
		}
		m.other.ids[strings.ToLower(res[0].Item.CreditNoteID)] = true
		m.other.notes = append(m.other.notes, number)
		taken[number] = true
		o.clashed = true
		o.logf("%s: the other shop's credit note %s appears in Xero", m.now.Format("2006-01-02"), number)
	}
}

// checkOtherShop checks that nothing of the other shop's was touched, then
// runs quietly until every stuck record waits: the last run fails none.
func (m *ledgerModel) checkOtherShop() {
	for _, inv := range m.e.sandbox.Invoices(tenant) {
		if !m.other.ids[strings.ToLower(inv.InvoiceID)] {
			continue
		}
		if inv.Status != "AUTHORISED" || amountOf(inv.AmountPaid).IsPositive() || amountOf(inv.AmountCredited).IsPositive() || len(inv.Payments) > 0 || len(inv.CreditNotes) > 0 {
			m.t.Errorf("OCX_LEDGER_SEED=%d shop %d: the other shop's invoice %s was touched: %s, paid %s, credited %s", m.seed, m.shop,
				inv.InvoiceNumber, inv.Status, amountOf(inv.AmountPaid).StringFixed(2), amountOf(inv.AmountCredited).StringFixed(2))
		}
	}
	for _, cn := range m.e.sandbox.CreditNotes(tenant) {
		if !m.other.ids[strings.ToLower(cn.CreditNoteID)] {
			continue
		}
		if cn.Status != "AUTHORISED" || !amountOf(cn.RemainingCredit).Equal(amountOf(cn.Total)) || len(cn.Allocations) > 0 || len(cn.Payments) > 0 {
			m.t.Errorf("OCX_LEDGER_SEED=%d shop %d: the other shop's credit note %s was touched: %s, remaining %s of %s, %d allocations, %d payments",
				m.seed, m.shop, cn.CreditNoteNumber, cn.Status, amountOf(cn.RemainingCredit).StringFixed(2), amountOf(cn.Total).StringFixed(2), len(cn.Allocations), len(cn.Payments))
		}
	}
	for _, c := range m.e.sandbox.Contacts(tenant) {
		if was, ok := m.other.contacts[c.ContactID]; ok && (c.Name != was.Name || c.EmailAddress != was.EmailAddress || c.ContactNumber != was.ContactNumber) {
			m.t.Errorf("OCX_LEDGER_SEED=%d shop %d: the other shop's contact %s is now %q <%s> (%s)", m.seed, m.shop, was.Name, c.Name, c.EmailAddress, c.ContactNumber)
		}
	}
	for _, p := range m.e.sandbox.Payments(tenant) {
		if p.Status == "DELETED" {
			continue
		}
		if p.Invoice != nil && m.other.ids[strings.ToLower(p.Invoice.InvoiceID)] || p.CreditNote != nil && m.other.ids[strings.ToLower(p.CreditNote.CreditNoteID)] {
			m.t.Errorf("OCX_LEDGER_SEED=%d shop %d: a payment of %s landed on the other shop's document", m.seed, m.shop, amountOf(p.Amount).StringFixed(2))
		}
	}
	// Nothing changes any more: a record refused for a reason Xero holds
	// waits after WaitAfter runs failing the same way.
	for range history.WaitAfter + 1 {
		m.run(false)
	}
	eng, err := export.New(export.Config{Store: m.e.store, Xero: m.e.client, History: m.e.hist, Settings: m.s, Incremental: true})
	if err != nil {
		m.t.Fatal(err)
	}
	sum, err := eng.Run(context.Background(), export.Request{Scope: export.ScopeAll})
	if err != nil {
		m.t.Fatal(err)
	}
	// The history never calls a credit note exported that Xero holds
	// voided or deleted (a reissued note refused for a clash once took the
	// voided one's id).
	live := map[string]string{}
	for _, cn := range m.e.sandbox.CreditNotes(tenant) {
		live[strings.ToLower(cn.CreditNoteID)] = cn.Status
	}
	recs, err := m.e.hist.Records(context.Background(), history.RecordFilter{Kind: history.KindCreditNote})
	if err != nil {
		m.t.Fatal(err)
	}
	for _, r := range recs {
		if st := live[strings.ToLower(r.XeroID)]; r.State == history.StateExported && r.XeroID != "" && dead(st) {
			m.t.Errorf("OCX_LEDGER_SEED=%d shop %d: history: credit note %s is exported as %s, which Xero holds %s", m.seed, m.shop, r.OpenCartID, r.XeroNumber, st)
		}
	}
	if sum.Failed != 0 {
		recs, _ := m.e.hist.Records(context.Background(), history.RecordFilter{})
		for _, r := range recs {
			if r.State == history.StateFailed && r.RunID == sum.RunID {
				m.t.Logf("failed again: %s %s: %s", r.Kind, r.OpenCartID, r.Error)
			}
		}
		m.t.Errorf("OCX_LEDGER_SEED=%d shop %d: after %d quiet runs, a run still fails %d records (waiting %d): they fail on every run", m.seed, m.shop, history.WaitAfter+1, sum.Failed, sum.Waiting)
	}
	m.t.Logf("the other shop: %d invoices, %d credit notes, %d contacts; %d records wait", len(m.other.invoices), len(m.other.notes), len(m.other.contacts), sum.Waiting)
}
