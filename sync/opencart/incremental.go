package opencart

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// What a run that reads only what changed asks of the shop: which orders
// changed since a moment (with the moment to remember for the next run,
// taken in the same statement), a checksum per block of customer ids
// (customers and addresses keep no modification date), and orders a
// page at a time, so that what goes with a page can be read once for it.

// Changes is what changed in the shop since a moment.
type Changes struct {
	// Clock is the shop's own clock when the statement started, as the
	// wall-clock time OpenCart stamps date_modified with, but never later
	// than the newest order's date_modified (see ChangedOrders).
	Clock time.Time
	// Orders are the ids of the orders chosen, with their status (never 0).
	Orders map[int]int
}

// ChangeFilter says which orders ChangedOrders chooses: those modified
// since Since (order.date_modified), those with a return modified since
// (return.date_modified) or whose return history has a row since
// (return_history.date_added), and the orders and returns named.
type ChangeFilter struct {
	Since     time.Time
	OrderIDs  []int
	ReturnIDs []int
	// Credited are the returns Xero holds a credit note for, with their
	// order: an order whose credited return was deleted in the shop (no
	// row, so no date says so) is chosen too.
	Credited map[int]int
}

// ChangedOrders reads, in one statement, the orders the filter chooses
// and the moment to start the next run from: the least of the server's
// NOW() and the newest order.date_modified. OpenCart stamps date_modified
// with NOW() in its own session, whose time zone it sets from PHP's
// (docs/OPENCART.md §9); our session may be in another zone, and taking
// the least of the two keeps a server clock ahead of the shop's from
// skipping anything. MySQL evaluates NOW() once per statement, at its
// start, so an order written while the statement runs is stamped no
// earlier than Clock.
func (r *Reader) ChangedOrders(ctx context.Context, f ChangeFilter) (Changes, error) {
	ch := Changes{Orders: map[int]int{}}
	gone, err := r.deletedReturns(ctx, f.Credited)
	if err != nil {
		return ch, err
	}
	f.OrderIDs = append(slices.Clone(f.OrderIDs), gone...)
	var conds []string
	var args []any
	since := wallClock(f.Since)
	conds, args = append(conds, "o.date_modified >= ?"), append(args, since)
	if r.schema.HasTable("return") {
		conds = append(conds, "o.order_id IN (SELECT rt.order_id FROM "+r.t("return")+" rt WHERE rt.date_modified >= ?)")
		args = append(args, since)
		if r.schema.HasTable("return_history") {
			conds = append(conds, "o.order_id IN (SELECT rt.order_id FROM "+r.t("return")+" rt JOIN "+r.t("return_history")+
				" rh ON rh.return_id = rt.return_id WHERE rh.date_added >= ?)")
			args = append(args, since)
		}
		if len(f.ReturnIDs) > 0 {
			in, a := inList(f.ReturnIDs)
			conds = append(conds, "o.order_id IN (SELECT rt.order_id FROM "+r.t("return")+" rt WHERE rt.return_id IN "+in+")")
			args = append(args, a...)
		}
	}
	if len(f.OrderIDs) > 0 {
		in, a := inList(f.OrderIDs)
		conds, args = append(conds, "o.order_id IN "+in), append(args, a...)
	}
	q := "SELECT 0, 0, DATE_FORMAT(LEAST(NOW(), COALESCE((SELECT MAX(m.date_modified) FROM " + r.t("order") + " m), NOW())), '%Y-%m-%d %H:%i:%s')" +
		" UNION ALL SELECT o.order_id, o.order_status_id, '' FROM " + r.t("order") + " o WHERE o.order_status_id > 0 AND (" +
		strings.Join(conds, " OR ") + ")"
	err = r.each(ctx, q, args, func(rows *sql.Rows) error {
		var id, status int
		var clock string
		if err := rows.Scan(intOf{&id}, intOf{&status}, rawOf{&clock}); err != nil {
			return err
		}
		if id == 0 {
			t, err := time.ParseInLocation(time.DateTime, clock, time.UTC)
			if err != nil {
				return fmt.Errorf("the shop database's clock %q: %w", clock, err)
			}
			ch.Clock = t
			return nil
		}
		ch.Orders[id] = status
		return nil
	})
	if err == nil && ch.Clock.IsZero() {
		err = fmt.Errorf("opencart: the shop database did not say what time it is")
	}
	return ch, err
}

// Clock is the moment a full read starts from, worked out as
// ChangedOrders does.
func (r *Reader) Clock(ctx context.Context) (time.Time, error) {
	var clock string
	q := "SELECT DATE_FORMAT(LEAST(NOW(), COALESCE((SELECT MAX(m.date_modified) FROM " + r.t("order") + " m), NOW())), '%Y-%m-%d %H:%i:%s')"
	err := r.each(ctx, q, nil, func(rows *sql.Rows) error { return rows.Scan(rawOf{&clock}) })
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.ParseInLocation(time.DateTime, clock, time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("opencart: the shop database's clock %q: %w", clock, err)
	}
	return t, nil
}

// CustomerBlockSize is how many customer ids one checksum of
// CustomerBlocks covers.
const CustomerBlockSize = 1000

// customerSums and addressSums are the columns Customers reads
// (readCustomers, readAddresses): a change to any of them changes the
// block's checksum; a change to any other (a 3.0 shop rewrites
// customer.cart at every visit) does not.
var (
	customerSums = []string{"customer_id", "customer_group_id", "store_id", "language_id", "firstname", "lastname", "email",
		"telephone", "custom_field", "newsletter", "status", "date_added", "address_id"}
	addressSums = []string{"address_id", "customer_id", "firstname", "lastname", "company", "address_1", "address_2", "city",
		"postcode", "country_id", "zone_id", "custom_field", "default"}
)

// CustomerBlocks returns a checksum per block of CustomerBlockSize
// customer ids (customer_id DIV CustomerBlockSize), over the customer
// rows and their addresses as Customers reads them: two statements side
// by side (one round trip), one short row per block. A block whose
// checksum differs from an earlier one has a customer added, changed or
// deleted, or an address so. Customers and addresses keep no date, so
// every row is read on the server's side; 64 bits of an MD5 per row (not
// a cheaper CRC32, which XOR-folds linearly: two customers swapping an
// e-mail address in one block would cancel out).
func (r *Reader) CustomerBlocks(ctx context.Context) (map[int]string, error) {
	sum := func(alias, table string, cols []string) string {
		exprs := make([]string, len(cols))
		for i, c := range cols {
			exprs[i] = "COALESCE(" + r.schema.col(alias, table, c) + ", '')"
		}
		// 64 bits of each row's MD5, folded by XOR, with the row count.
		return "CONCAT(COUNT(*), '-', BIT_XOR(CAST(CONV(LEFT(MD5(CONCAT_WS(0x1f, " + strings.Join(exprs, ", ") + ")), 16), 16, 10) AS UNSIGNED)))"
	}
	size := strconv.Itoa(CustomerBlockSize)
	// Two statements side by side: the server works on both at once.
	customers, addresses := map[int]string{}, map[int]string{}
	read := func(q string, into map[int]string) func() error {
		return func() error {
			return r.each(ctx, q, nil, func(rows *sql.Rows) error {
				var s string
				var blk int
				if err := rows.Scan(intOf{&blk}, rawOf{&s}); err != nil {
					return err
				}
				into[blk] = s
				return nil
			})
		}
	}
	err := parallel([]func() error{
		read("SELECT c.customer_id DIV "+size+" AS blk, "+sum("c", "customer", customerSums)+" FROM "+r.t("customer")+" c GROUP BY blk", customers),
		read("SELECT a.customer_id DIV "+size+" AS blk, "+sum("a", "address", addressSums)+" FROM "+r.t("address")+" a GROUP BY blk", addresses),
	})
	out := map[int]string{}
	for blk, s := range customers {
		out[blk] = s + "/" + addresses[blk]
	}
	for blk, s := range addresses {
		out[blk] = customers[blk] + "/" + s
	}
	return out, err
}

// OrderPages streams the orders the filter chooses a page at a time
// (SetPageSize), in order id order, with all their lines: what Orders
// yields one by one. When the filter names the orders (a run reading what
// changed), each page's rows and lines are read side by side, and a page
// may hold fewer orders than the page size.
func (r *Reader) OrderPages(ctx context.Context, f OrderFilter) iter.Seq2[[]Order, error] {
	if len(f.IDs) > 0 {
		return r.namedOrderPages(ctx, f)
	}
	return func(yield func([]Order, error) bool) {
		after := 0
		for {
			if err := ctx.Err(); err != nil {
				yield(nil, fmt.Errorf("opencart: %w", err))
				return
			}
			w, err := r.orderWhere(ctx, f)
			if err != nil {
				yield(nil, err)
				return
			}
			w.add("o.order_id > ?", after)
			page, err := r.readOrders(ctx, w, " ORDER BY o.order_id LIMIT "+strconv.Itoa(r.pageSize), true)
			if err != nil {
				yield(nil, err)
				return
			}
			if len(page) > 0 && !yield(page, nil) {
				return
			}
			if len(page) < r.pageSize {
				return
			}
			after = page[len(page)-1].ID
		}
	}
}

// namedOrderPages is OrderPages for a filter that names its orders: a
// page per PageSize ids.
func (r *Reader) namedOrderPages(ctx context.Context, f OrderFilter) iter.Seq2[[]Order, error] {
	return func(yield func([]Order, error) bool) {
		ids := slices.Compact(slices.Sorted(slices.Values(f.IDs)))
		for start := 0; start < len(ids); start += r.pageSize {
			if err := ctx.Err(); err != nil {
				yield(nil, fmt.Errorf("opencart: %w", err))
				return
			}
			g := f
			g.IDs = ids[start:min(start+r.pageSize, len(ids))]
			w, err := r.orderWhere(ctx, g)
			if err != nil {
				yield(nil, err)
				return
			}
			page, err := r.readNamedOrders(ctx, w, g.IDs)
			if err != nil {
				yield(nil, err)
				return
			}
			if len(page) > 0 && !yield(page, nil) {
				return
			}
		}
	}
}

// deletedReturns are the orders of the credited returns the shop no longer
// has: one query over the returns' ids, in chunks (ids are numbers, written
// into the statement).
func (r *Reader) deletedReturns(ctx context.Context, credited map[int]int) ([]int, error) {
	if len(credited) == 0 || !r.schema.HasTable("return") {
		return nil, nil
	}
	ids := slices.Sorted(maps.Keys(credited))
	have := map[int]bool{}
	const chunk = 10000
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		words := make([]string, len(part))
		for i, id := range part {
			words[i] = strconv.Itoa(id)
		}
		err := r.each(ctx, "SELECT return_id FROM "+r.t("return")+" WHERE return_id IN ("+strings.Join(words, ",")+")", nil, func(rows *sql.Rows) error {
			var id int
			err := rows.Scan(&id)
			have[id] = true
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("opencart: which credited returns are still there: %w", err)
		}
	}
	var orders []int
	for _, id := range ids {
		if !have[id] {
			orders = append(orders, credited[id])
		}
	}
	return orders, nil
}
