package opencart

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"
)

// Customer is a registered customer account with its address book.
type Customer struct {
	ID           int            `json:"customer_id"`
	GroupID      int            `json:"customer_group_id"`
	Group        string         `json:"customer_group"`
	StoreID      int            `json:"store_id"`
	LanguageID   int            `json:"language_id"`
	FirstName    string         `json:"firstname"`
	LastName     string         `json:"lastname"`
	Email        string         `json:"email"`
	Telephone    string         `json:"telephone"`
	CustomFields map[string]any `json:"custom_fields,omitempty"`
	// TaxNumber is the VAT or tax number from a custom field recognised by
	// its name (Reader.SetTaxNumberFields): the account's, else the
	// default address's; "" when there is none.
	TaxNumber  string    `json:"tax_number,omitempty"`
	Newsletter bool      `json:"newsletter"`
	Enabled    bool      `json:"enabled"`
	DateAdded  time.Time `json:"date_added"`
	// DefaultAddressID is the default address (0 = none).
	DefaultAddressID int       `json:"default_address_id"`
	Addresses        []Address `json:"addresses,omitempty"`
}

// DefaultAddress returns the customer's default address, if there is one.
func (c Customer) DefaultAddress() (Address, bool) {
	for _, a := range c.Addresses {
		if a.ID == c.DefaultAddressID {
			return a, true
		}
	}
	return Address{}, false
}

// Address is one entry of a customer's address book.
type Address struct {
	ID           int            `json:"address_id"`
	FirstName    string         `json:"firstname"`
	LastName     string         `json:"lastname"`
	Company      string         `json:"company"`
	Address1     string         `json:"address_1"`
	Address2     string         `json:"address_2"`
	City         string         `json:"city"`
	Postcode     string         `json:"postcode"`
	CountryID    int            `json:"country_id"`
	Country      string         `json:"country"`
	CountryCode  string         `json:"country_code"`
	ZoneID       int            `json:"zone_id"`
	Zone         string         `json:"zone"`
	ZoneCode     string         `json:"zone_code"`
	CustomFields map[string]any `json:"custom_fields,omitempty"`
}

// CustomerFilter chooses customers. Times are store wall-clock time.
type CustomerFilter struct {
	IDs []int
	// ExceptIDs leaves these customers out (e.g. those already in Xero).
	ExceptIDs   []int
	EnabledOnly bool
	Since       time.Time // date_added >= Since
	Until       time.Time // date_added < Until
	Search      string    // name, e-mail or customer id
	// Blocks keeps the customers of these blocks of CustomerBlockSize ids
	// (customer_id DIV CustomerBlockSize, see CustomerBlocks); nil = all.
	Blocks []int
}

func (f CustomerFilter) where() *where {
	w := &where{}
	w.ids("c.customer_id", f.IDs)
	w.notIDs("c.customer_id", f.ExceptIDs)
	if f.EnabledOnly {
		w.add("c.status = 1")
	}
	w.dateRange("c.date_added", f.Since, f.Until)
	w.search(f.Search, "c", "customer_id")
	if f.Blocks != nil {
		ranges := make([]string, 0, len(f.Blocks)+1)
		ranges = append(ranges, "1 = 0")
		for _, b := range f.Blocks {
			ranges = append(ranges, fmt.Sprintf("c.customer_id BETWEEN %d AND %d", b*CustomerBlockSize, b*CustomerBlockSize+CustomerBlockSize-1))
		}
		w.add("(" + strings.Join(ranges, " OR ") + ")")
	}
	return w
}

// Customers streams the customers the filter chooses, in id order, with
// their addresses.
func (r *Reader) Customers(ctx context.Context, f CustomerFilter) iter.Seq2[Customer, error] {
	return stream(ctx, r.pageSize, func(c Customer) int { return c.ID },
		func(ctx context.Context, after, limit int) ([]Customer, error) {
			w := f.where()
			w.add("c.customer_id > ?", after)
			return r.readCustomers(ctx, w, " ORDER BY c.customer_id LIMIT "+strconv.Itoa(limit))
		})
}

// CustomerIDs lists the ids of the customers the filter chooses, in id
// order: narrow rows only.
func (r *Reader) CustomerIDs(ctx context.Context, f CustomerFilter) ([]int, error) {
	w := f.where()
	return r.ids(ctx, "SELECT c.customer_id FROM "+r.t("customer")+" c"+w.sql()+" ORDER BY c.customer_id", w.args)
}

// CountCustomers counts the customers the filter chooses.
func (r *Reader) CountCustomers(ctx context.Context, f CustomerFilter) (int, error) {
	return r.count(ctx, "customer", "c", f.where())
}

// customerSorts are the sorts the customers list offers, beside the id.
var customerSorts = map[Sort][]sortValue{
	SortDate:  {dateSort("c.date_added")},
	SortName:  {textSort("c.lastname"), textSort("c.firstname")},
	SortEmail: {textSort("c.email")},
}

// CustomerList reads one page of customers for a list view.
func (r *Reader) CustomerList(ctx context.Context, f CustomerFilter, opt ListOptions) ([]Customer, error) {
	cs, _, err := r.CustomerPage(ctx, f, opt)
	return cs, err
}

// CustomerPage reads one page of customers for a list view with each
// row's key, as OrderPage does: the page's ids in a derived table, then
// only the page's rows (and, in one more query, their addresses).
func (r *Reader) CustomerPage(ctx context.Context, f CustomerFilter, opt ListOptions) ([]Customer, []ListKey, error) {
	ls, err := opt.sortOf(customerSorts, "c.customer_id")
	if err != nil {
		return nil, nil, err
	}
	w := f.where()
	if err := ls.after(w, opt.After); err != nil {
		return nil, nil, err
	}
	from := " FROM " + r.t("customer") + " c JOIN (SELECT c.customer_id FROM " + r.t("customer") + " c" + w.sql() + ls.orderBy() +
		opt.limit() + ") page ON page.customer_id = c.customer_id" + ls.orderBy()
	return r.readCustomerRows(ctx, from, w.args, ls.exprs())
}

// Customer reads one customer.
func (r *Reader) Customer(ctx context.Context, id int) (Customer, error) {
	w := &where{}
	w.add("c.customer_id = ?", id)
	cs, err := r.readCustomers(ctx, w, "")
	if err != nil {
		return Customer{}, err
	}
	if len(cs) == 0 {
		return Customer{}, fmt.Errorf("opencart: customer %d: %w", id, ErrNotFound)
	}
	return cs[0], nil
}

// readCustomers reads customers and, in one more query, their addresses.
func (r *Reader) readCustomers(ctx context.Context, w *where, tail string) ([]Customer, error) {
	cs, _, err := r.readCustomerRows(ctx, " FROM "+r.t("customer")+" c"+w.sql()+tail, w.args, nil)
	return cs, err
}

// readCustomerRows reads "SELECT <customer columns>, keys… " + from
// (alias c), with each row's list key when keys are given, and the
// customers' addresses.
func (r *Reader) readCustomerRows(ctx context.Context, from string, args []any, keys []string) ([]Customer, []ListKey, error) {
	lk, err := r.lookups(ctx)
	if err != nil {
		return nil, nil, err
	}
	s := r.schema
	c := func(name string) string { return s.col("c", "customer", name) }
	var customers []Customer
	q := "SELECT c.customer_id, " + c("customer_group_id") + ", " + c("store_id") + ", " + c("language_id") + ", " +
		c("firstname") + ", " + c("lastname") + ", " + c("email") + ", " + c("telephone") + ", " + c("custom_field") + ", " +
		c("newsletter") + ", " + c("status") + ", " + c("date_added") + ", " + c("address_id")
	if len(keys) > 0 {
		q += ", " + strings.Join(keys, ", ")
	}
	var listKeys []ListKey
	err = r.each(ctx, q+from, args, func(rows *sql.Rows) error {
		var cu Customer
		var custom string
		key := ListKey{Values: make([]string, len(keys))}
		dests := []any{intOf{&cu.ID}, intOf{&cu.GroupID}, intOf{&cu.StoreID}, intOf{&cu.LanguageID},
			textOf{&cu.FirstName}, textOf{&cu.LastName}, textOf{&cu.Email}, textOf{&cu.Telephone}, rawOf{&custom},
			boolOf{&cu.Newsletter}, boolOf{&cu.Enabled}, timeOf{&cu.DateAdded}, intOf{&cu.DefaultAddressID}}
		for i := range keys {
			dests = append(dests, rawOf{&key.Values[i]})
		}
		if err := rows.Scan(dests...); err != nil {
			return err
		}
		cu.CustomFields = decodeCustomFields(custom)
		cu.Group = lk.names[nameCustomerGroup].get(cu.GroupID)
		customers = append(customers, cu)
		key.ID = cu.ID
		listKeys = append(listKeys, key)
		return nil
	})
	if err != nil || len(customers) == 0 {
		return customers, listKeys, err
	}
	if err := r.readAddresses(ctx, lk, customers); err != nil {
		return nil, nil, err
	}
	taxNames := r.taxNumberNames()
	for i := range customers {
		cu := &customers[i]
		maps := []map[string]any{cu.CustomFields}
		if a, ok := cu.DefaultAddress(); ok {
			maps = append(maps, a.CustomFields)
		}
		cu.TaxNumber = lk.taxNumberIn(taxNames, maps...)
	}
	return customers, listKeys, nil
}

// readAddresses fills the address books of a page of customers. 4.x marks
// the default with address.default; 3.0 keeps it in customer.address_id.
func (r *Reader) readAddresses(ctx context.Context, lk *lookups, customers []Customer) error {
	s := r.schema
	byID := make(map[int]*Customer, len(customers))
	ids := make([]int, len(customers))
	for i := range customers {
		byID[customers[i].ID] = &customers[i]
		ids[i] = customers[i].ID
	}
	in, args := inList(ids)
	a := func(name string) string { return s.col("a", "address", name) }
	q := "SELECT a.customer_id, a.address_id, " + a("firstname") + ", " + a("lastname") + ", " + a("company") + ", " +
		a("address_1") + ", " + a("address_2") + ", " + a("city") + ", " + a("postcode") + ", " + a("country_id") + ", " +
		a("zone_id") + ", " + a("custom_field") + ", " + a("default") +
		" FROM " + r.t("address") + " a WHERE a.customer_id IN " + in + " ORDER BY a.customer_id, a.address_id"
	marked := map[int]bool{}
	return r.each(ctx, q, args, func(rows *sql.Rows) error {
		var customerID int
		var ad Address
		var custom string
		var isDefault bool
		if err := rows.Scan(intOf{&customerID}, intOf{&ad.ID}, textOf{&ad.FirstName}, textOf{&ad.LastName}, textOf{&ad.Company},
			textOf{&ad.Address1}, textOf{&ad.Address2}, textOf{&ad.City}, textOf{&ad.Postcode}, intOf{&ad.CountryID},
			intOf{&ad.ZoneID}, rawOf{&custom}, boolOf{&isDefault}); err != nil {
			return err
		}
		ad.CustomFields = decodeCustomFields(custom)
		lk.fillPlaces(&ad.Country, &ad.CountryCode, ad.CountryID, &ad.Zone, &ad.ZoneCode, ad.ZoneID)
		cu := byID[customerID]
		if cu == nil {
			return nil
		}
		cu.Addresses = append(cu.Addresses, ad)
		if isDefault && !marked[customerID] {
			cu.DefaultAddressID, marked[customerID] = ad.ID, true
		}
		return nil
	})
}
