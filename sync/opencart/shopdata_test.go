package opencart_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

// TestCustomFieldTaxNumbers: custom field values are stored by id in the
// JSON columns (order, payment address, customer, default address) with
// their names in custom_field_description; the one named like a VAT number
// becomes Order.TaxNumber and Customer.TaxNumber, in every family and
// prefix, names compared without case, spaces or punctuation; the admin
// language's name wins; a checkbox (a list) is not a number.
func TestCustomFieldTaxNumbers(t *testing.T) {
	for _, s := range shops {
		t.Run(s.name, func(t *testing.T) {
			var opts []octest.Option
			if s.upgraded {
				opts = append(opts, octest.Upgraded())
			}
			db := octest.NewDB(t, s.family, s.prefix, opts...)
			vat := db.AddCustomField(octest.CustomField{Name: "VAT-ID", Names: map[int]string{2: "USt-IdNr."}})
			addr := db.AddCustomField(octest.CustomField{Name: "Company VAT", Location: "address"})
			box := db.AddCustomField(octest.CustomField{Name: "Tax number", Type: "checkbox"})
			other := db.AddCustomField(octest.CustomField{Name: "Delivery notes"})
			c := db.AddCustomer(octest.Customer{FirstName: "Max", LastName: "Kunde", Email: "max@example.com",
				CustomFields: map[string]any{other: "ring twice"},
				Addresses:    []octest.Address{{FirstName: "Max", Address1: "1 Weg", City: "Berlin", Default: true, CustomFields: map[string]any{addr: "DE811907980"}}}})
			own := db.AddOrder(octest.Order{StatusID: 1, FirstName: "Eva", Email: "eva@example.com", CustomFields: map[string]any{vat: "ATU12345678", other: "x"},
				Payment: octest.OrderAddress{FirstName: "Eva", CustomFields: map[string]any{addr: "ignored: the order's own comes first"}}})
			onAddress := db.AddOrder(octest.Order{StatusID: 1, FirstName: "Sam", Email: "sam@example.com",
				Payment: octest.OrderAddress{FirstName: "Sam", Address1: "2 Weg", CustomFields: map[string]any{addr: "FR40303265045"}}})
			checkbox := db.AddOrder(octest.Order{StatusID: 1, FirstName: "Box", Email: "box@example.com", CustomFields: map[string]any{box: []string{"1", "2"}}})
			r, err := opencart.Open(context.Background(), db.DSN, s.prefix)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			ctx := context.Background()
			for id, want := range map[int]string{own: "ATU12345678", onAddress: "FR40303265045", checkbox: ""} {
				o, err := r.Order(ctx, id)
				if err != nil || o.TaxNumber != want {
					t.Errorf("order %d: TaxNumber %q (%v), want %q", id, o.TaxNumber, err, want)
				}
			}
			cu, err := r.Customer(ctx, c)
			if err != nil || cu.TaxNumber != "DE811907980" {
				t.Errorf("customer: TaxNumber %q (%v)", cu.TaxNumber, err)
			}
			fields, err := r.CustomFields(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var marked []string
			for _, f := range fields {
				if f.TaxNumber {
					marked = append(marked, f.Name)
				}
			}
			if len(fields) != 4 || !slices.Equal(marked, []string{"VAT-ID", "Company VAT", "Tax number"}) || fields[1].Location != "address" {
				t.Errorf("fields %+v", fields)
			}
			// Only the names chosen count once some are chosen.
			r.SetTaxNumberFields([]string{"delivery NOTES"})
			if o, _ := r.Order(ctx, own); o.TaxNumber != "x" {
				t.Errorf("with the field chosen by name: %q", o.TaxNumber)
			}
		})
	}
}

// TestUploadOptionsShowTheFileName: a file option's value is the upload's
// 40-character code; the reader shows the uploaded file's name (upload
// table, 3.0 and 4.x alike) and keeps the code; an upload whose row is
// gone keeps its code.
func TestUploadOptionsShowTheFileName(t *testing.T) {
	for _, s := range shops {
		t.Run(s.name, func(t *testing.T) {
			db := octest.NewDB(t, s.family, s.prefix)
			code := db.AddUpload("Logo & Brand.svg")
			gone := strings.Repeat("0f", 20)
			id := db.AddOrder(octest.Order{StatusID: 1, FirstName: "Ivy", Products: []octest.Product{{ProductID: 1, Name: "Mug", Quantity: 1, Price: "10",
				Options: []octest.ProductOption{{Name: "Print file", Value: code, Type: "file"}, {Name: "Old", Value: gone, Type: "file"}, {Name: "Note", Value: code, Type: "text"}}}}})
			r, err := opencart.Open(context.Background(), db.DSN, s.prefix)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			o, err := r.Order(context.Background(), id)
			if err != nil || len(o.Products) != 1 || len(o.Products[0].Options) != 3 {
				t.Fatalf("order %+v, %v", o, err)
			}
			ops := o.Products[0].Options
			if ops[0].Value != "Logo & Brand.svg" || ops[0].UploadCode != code || len(code) != 40 {
				t.Errorf("upload option %+v", ops[0])
			}
			if ops[1].Value != gone || ops[1].UploadCode != gone {
				t.Errorf("upload gone %+v", ops[1])
			}
			if ops[2].Value != code || ops[2].UploadCode != "" {
				t.Errorf("a text option is text %+v", ops[2])
			}
		})
	}
}

// TestUnknownOrderStatus: an order in a status missing from order_status
// is marked, counted by UnknownStatuses and Check, and chosen by a filter
// that excludes statuses rather than listing them; status 0 (missing
// orders) is never chosen.
func TestUnknownOrderStatus(t *testing.T) {
	for _, s := range shops[:2] {
		t.Run(s.name, func(t *testing.T) {
			db := octest.NewDB(t, s.family, s.prefix)
			unknown := db.AddOrder(octest.Order{StatusID: 31, FirstName: "Kim"})
			known := db.AddOrder(octest.Order{StatusID: 5, FirstName: "Lee"})
			cancelled := db.AddOrder(octest.Order{StatusID: 7, FirstName: "Max"})
			db.AddOrder(octest.Order{StatusID: 0, FirstName: "Abandoned"})
			r, err := opencart.Open(context.Background(), db.DSN, s.prefix)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			ctx := context.Background()
			var got []int
			for o, err := range r.Orders(ctx, opencart.OrderFilter{ExcludeStatusIDs: []int{7}}) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, o.ID)
				if o.StatusUnknown != (o.ID == unknown) {
					t.Errorf("order %d in status %d: StatusUnknown %v", o.ID, o.StatusID, o.StatusUnknown)
				}
			}
			if !slices.Equal(got, []int{unknown, known}) {
				t.Errorf("orders %v, want %v (not %d, not status 0)", got, []int{unknown, known}, cancelled)
			}
			us, err := r.UnknownStatuses(ctx)
			if err != nil || len(us) != 1 || us[0].ID != 31 || us[0].Count != 1 {
				t.Errorf("UnknownStatuses %+v %v", us, err)
			}
			sum, err := r.Check(ctx)
			if err != nil || len(sum.UnknownStatuses) != 1 || sum.MissingOrders != 1 {
				t.Errorf("check %+v %v", sum, err)
			}
		})
	}
}
