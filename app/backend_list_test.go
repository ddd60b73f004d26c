package app

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/views"
)

// TestListStateFilter reads back, per list screen, the OpenCart ids of the
// records in a state: only the keys of that screen's own records count (a
// return's credit note is not a refunded order, a guest is not a customer).
func TestListStateFilter(t *testing.T) {
	ctx := context.Background()
	hist, err := history.Open(ctx, filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer hist.Close()
	failed := func(kind, key string) history.Record {
		return history.Record{Kind: kind, OpenCartID: key, State: history.StateFailed}
	}
	if _, err := hist.SaveRecords(ctx, []history.Record{
		failed(history.KindContact, "OC-C5"), failed(history.KindContact, "OC-G0123456789ab"),
		failed(history.KindInvoice, "12"), {Kind: history.KindInvoice, OpenCartID: "13", State: history.StateExported},
		failed(history.KindCreditNote, "order-12"), failed(history.KindCreditNote, "return-3"),
		failed(history.KindPayment, "14"),
	}); err != nil {
		t.Fatal(err)
	}
	b := &backend{hist: hist}
	for _, tc := range []struct {
		list  views.ListKind
		state string
		want  []int
	}{
		{views.ListCustomers, history.StateFailed, []int{5}},
		{views.ListOrders, history.StateFailed, []int{12}},
		{views.ListOrders, history.StateExported, []int{13}},
		{views.ListCreditNotes, history.StateFailed, []int{12}},
		{views.ListPayments, history.StateFailed, []int{14}},
	} {
		t.Run(string(tc.list)+" "+tc.state, func(t *testing.T) {
			lk := listKinds[tc.list]
			got, err := b.idsInState(ctx, lk.kind, lk.id, tc.state)
			if err != nil {
				t.Fatal(err)
			}
			if slices.Sort(got); !slices.Equal(got, tc.want) {
				t.Errorf("ids %v, want %v", got, tc.want)
			}
			// Each id read back is the key the screen looks its records up by.
			for _, id := range got {
				if back, ok := lk.id(lk.key(id)); !ok || back != id {
					t.Errorf("key %q reads back as %d, %v", lk.key(id), back, ok)
				}
			}
		})
	}
}
