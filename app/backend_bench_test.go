package app

import (
	"context"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/views"
)

// BenchmarkOrdersPage100k measures one page of the Orders grid (100 rows
// with their export state) on a shop with 100,000 orders: the first page
// with the count, the last page, and a search.
//
//	go test -tags ci -run '^$' -bench OrdersPage100k -benchtime 20x ./app
func BenchmarkOrdersPage100k(b *testing.B) {
	db := octest.NewDB(b, opencart.Family40, "oc_")
	for range 50 {
		bulkOrders(db, 2000)
	}
	dir := profileWithShop(b, db)
	ctx := context.Background()
	p, err := OpenProfile(ctx, dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	be, err := newBackend(ctx, p, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer be.Close()
	for _, bc := range []struct {
		name string
		q    views.ListQuery
	}{
		{"first page and count", views.ListQuery{Sort: opencart.SortID, Desc: true, Limit: 100, Count: true}},
		{"last page", views.ListQuery{Sort: opencart.SortID, Desc: true, Offset: 99_900, Limit: 100}},
		{"by total", views.ListQuery{Sort: opencart.SortTotal, Offset: 50_000, Limit: 100}},
		{"search and count", views.ListQuery{Search: "b07@example.com", Sort: opencart.SortDate, Limit: 100, Count: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				page, err := be.List(ctx, views.ListOrders, bc.q)
				if err != nil {
					b.Fatal(err)
				}
				if len(page.Rows) != 100 {
					b.Fatalf("%d rows", len(page.Rows))
				}
			}
		})
	}
}
