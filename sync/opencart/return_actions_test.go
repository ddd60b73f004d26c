package opencart_test

import (
	"context"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

func TestReturnActions(t *testing.T) {
	for _, s := range []shop{shops[0], shops[3]} {
		t.Run(s.name, func(t *testing.T) {
			db := octest.NewDB(t, s.family, s.prefix)
			db.SeedEdgeCases()
			r, err := opencart.Open(context.Background(), db.DSN, s.prefix)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			got, err := r.ReturnActions(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			want := octest.ReturnActions(s.family)
			if len(got) != len(want) {
				t.Fatalf("ReturnActions = %v, want %v", got, want)
			}
			for i, a := range got {
				if a.Name != want[a.ID] || i > 0 && got[i-1].ID >= a.ID {
					t.Errorf("ReturnActions = %v, want the English names of %v, by id", got, want)
				}
			}
		})
	}
}
