package mappingtest

import (
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

// ShopOrder is the fixture order that stores o in a test shop
// (octest.DB.AddOrders): its lines, options, total rows, gift vouchers,
// status history, currency and customer, with the text as a person typed
// it (octest encodes it the way OpenCart does). An order without history
// gets OpenCart's one row entering its status.
func ShopOrder(o opencart.Order) octest.Order {
	out := octest.Order{ID: o.ID, StatusID: o.StatusID, StoreID: o.StoreID, StoreName: o.StoreName, StoreURL: o.StoreURL,
		InvoicePrefix: o.InvoicePrefix, InvoiceNo: o.InvoiceNo, TransactionID: o.TransactionID,
		CustomerID: o.CustomerID, CustomerGroupID: o.CustomerGroupID,
		FirstName: o.FirstName, LastName: o.LastName, Email: o.Email, Telephone: o.Telephone, CustomFields: o.CustomFields,
		Payment: shopAddress(o.Payment), Shipping: shopAddress(o.Shipping),
		PaymentMethod:  octest.Method{Title: o.PaymentMethod.Title, Code: o.PaymentMethod.Code},
		ShippingMethod: octest.Method{Title: o.ShippingMethod.Title, Code: o.ShippingMethod.Code, TaxClassID: o.ShippingMethod.TaxClassID},
		Comment:        o.Comment, Total: o.Total.String(), CurrencyCode: o.CurrencyCode, CurrencyValue: o.CurrencyValue.StringFixed(8),
		AffiliateID: o.AffiliateID, Commission: o.Commission.String(), DateAdded: o.DateAdded, DateModified: o.DateModified}
	for _, p := range o.Products {
		sp := octest.Product{ProductID: p.ProductID, MasterID: p.MasterID, Name: p.Name, Model: p.Model, Quantity: p.Quantity,
			Price: p.Price.String(), Total: p.Total.String(), Tax: p.Tax.String(), Reward: p.Reward}
		for _, op := range p.Options {
			sp.Options = append(sp.Options, octest.ProductOption{Name: op.Name, Value: op.Value, Type: op.Type})
		}
		out.Products = append(out.Products, sp)
	}
	for _, t := range o.Totals {
		out.Totals = append(out.Totals, octest.TotalRow(t.Code, t.Title, t.Value.String(), t.SortOrder))
	}
	for _, v := range o.Vouchers {
		out.Vouchers = append(out.Vouchers, octest.Voucher{Code: v.Code, Description: v.Description, FromName: v.FromName,
			FromEmail: v.FromEmail, ToName: v.ToName, ToEmail: v.ToEmail, Amount: v.Amount.String()})
	}
	for _, h := range o.History {
		out.History = append(out.History, octest.History{StatusID: h.StatusID, Comment: h.Comment, Notify: h.Notify, DateAdded: h.DateAdded})
	}
	return out
}

func shopAddress(a opencart.OrderAddress) octest.OrderAddress {
	return octest.OrderAddress{AddressID: a.AddressID, FirstName: a.FirstName, LastName: a.LastName, Company: a.Company,
		Address1: a.Address1, Address2: a.Address2, City: a.City, Postcode: a.Postcode, Country: a.Country,
		CountryID: a.CountryID, Zone: a.Zone, ZoneID: a.ZoneID, CustomFields: a.CustomFields}
}

// ShopCustomer is the customer account an order needs in a test shop
// (its CustomerID, names and e-mail); false for a guest and for a customer
// who has been deleted, who must have no account.
func ShopCustomer(o opencart.Order) (octest.Customer, bool) {
	if o.CustomerID == 0 || o.CustomerDeleted {
		return octest.Customer{}, false
	}
	return octest.Customer{ID: o.CustomerID, GroupID: o.CustomerGroupID, StoreID: o.StoreID, FirstName: o.FirstName,
		LastName: o.LastName, Email: o.Email, Telephone: o.Telephone}, true
}
