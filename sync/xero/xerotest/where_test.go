package xerotest

import (
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestWhere(t *testing.T) {
	jan := func(d int) *Date { return dateOf(time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC)) }
	invs := []Invoice{
		{InvoiceNumber: "A", Document: Document{Status: "AUTHORISED", Date: jan(5), Total: amt(decimal.RequireFromString("10.50")),
			Contact: &Contact{ContactID: "11111111-1111-4111-8111-111111111111", Name: "O'Brien \"Ltd\""}}},
		{InvoiceNumber: "B", Document: Document{Status: "DRAFT", Date: jan(20), Total: amt(decimal.RequireFromString("99")),
			Contact: &Contact{ContactID: "22222222-2222-4222-8222-222222222222", Name: "Acme"}}},
	}
	for _, tc := range []struct {
		where string
		want  []string // invoice numbers; nil with wantErr
		err   bool
	}{
		{`Status=="AUTHORISED"`, []string{"A"}, false},
		{`Status != "AUTHORISED"`, []string{"B"}, false},
		{`status=="draft"`, []string{"B"}, false},
		{`Contact.ContactID==Guid("22222222-2222-4222-8222-222222222222")`, []string{"B"}, false},
		{`Contact.Name=="O'Brien \"Ltd\""`, []string{"A"}, false},
		{`Date>=DateTime(2026,01,10)`, []string{"B"}, false},
		{`Date<DateTime(2026,1,10,0,0,0)`, []string{"A"}, false},
		{`Total>50`, []string{"B"}, false},
		{`Total==10.5`, []string{"A"}, false},
		{`NOT (Status=="DRAFT") AND Total<=10.50`, []string{"A"}, false},
		{`Status=="DRAFT" || Contact.Name.StartsWith("o'b")`, []string{"A", "B"}, false},
		{`Reference==null`, []string{"A", "B"}, false},
		{`Status=="DRAFT" AND`, nil, true},
		{`Status=="DRAFT`, nil, true},
		{`Status.ToUpper()=="X"`, nil, true},
		{`Contact.ContactID==Guid("not-a-guid")`, nil, true},
		{`Date>=DateTime(2026)`, nil, true},
		{`Status=DRAFT`, nil, true},
		{`Total>5;DROP`, nil, true},
	} {
		t.Run(tc.where, func(t *testing.T) {
			got, err := filterWhere(invs, tc.where)
			if tc.err {
				if err == nil {
					t.Fatalf("accepted, matched %d", len(got))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var nums []string
			for _, i := range got {
				nums = append(nums, i.InvoiceNumber)
			}
			if !slices.Equal(nums, tc.want) {
				t.Fatalf("got %v, want %v", nums, tc.want)
			}
		})
	}
}
