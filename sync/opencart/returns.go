package opencart

import (
	"context"
	"database/sql"
	"iter"
	"strconv"
	"time"
)

// Return is a product return (RMA). OpenCart records no amount for it:
// only the product, the quantity and labels for reason, action and status.
type Return struct {
	ID           int       `json:"return_id"`
	OrderID      int       `json:"order_id"`
	ProductID    int       `json:"product_id"`
	CustomerID   int       `json:"customer_id"`
	FirstName    string    `json:"firstname"`
	LastName     string    `json:"lastname"`
	Email        string    `json:"email"`
	Telephone    string    `json:"telephone"`
	Product      string    `json:"product"`
	Model        string    `json:"model"`
	Quantity     int       `json:"quantity"`
	Opened       bool      `json:"opened"`
	ReasonID     int       `json:"return_reason_id"`
	Reason       string    `json:"return_reason"`
	ActionID     int       `json:"return_action_id"`
	Action       string    `json:"return_action"`
	StatusID     int       `json:"return_status_id"`
	Status       string    `json:"return_status"`
	Comment      string    `json:"comment"`
	DateOrdered  time.Time `json:"date_ordered"` // zero when OpenCart stored 0000-00-00
	DateAdded    time.Time `json:"date_added"`
	DateModified time.Time `json:"date_modified"`
}

// ReturnFilter chooses returns. Times are store wall-clock time.
type ReturnFilter struct {
	IDs           []int
	OrderIDs      []int
	Since         time.Time // date_added >= Since
	Until         time.Time // date_added < Until
	ModifiedSince time.Time // date_modified >= ModifiedSince
}

func (f ReturnFilter) where() *where {
	w := &where{}
	w.ids("r.return_id", f.IDs)
	w.ids("r.order_id", f.OrderIDs)
	w.dateRange("r.date_added", f.Since, f.Until)
	if !f.ModifiedSince.IsZero() {
		w.add("r.date_modified >= ?", wallClock(f.ModifiedSince))
	}
	return w
}

// Returns streams the returns the filter chooses, in id order.
func (r *Reader) Returns(ctx context.Context, f ReturnFilter) iter.Seq2[Return, error] {
	return stream(ctx, r.pageSize, func(rt Return) int { return rt.ID },
		func(ctx context.Context, after, limit int) ([]Return, error) {
			w := f.where()
			w.add("r.return_id > ?", after)
			return r.readReturns(ctx, w, " ORDER BY r.return_id LIMIT "+strconv.Itoa(limit))
		})
}

// CountReturns counts the returns the filter chooses.
func (r *Reader) CountReturns(ctx context.Context, f ReturnFilter) (int, error) {
	return r.count(ctx, "return", "r", f.where())
}

func (r *Reader) readReturns(ctx context.Context, w *where, tail string) ([]Return, error) {
	lk, err := r.lookups(ctx)
	if err != nil {
		return nil, err
	}
	c := func(name string) string { return r.schema.col("r", "return", name) }
	q := "SELECT r.return_id, " + c("order_id") + ", " + c("product_id") + ", " + c("customer_id") + ", " + c("firstname") + ", " +
		c("lastname") + ", " + c("email") + ", " + c("telephone") + ", " + c("product") + ", " + c("model") + ", " + c("quantity") + ", " +
		c("opened") + ", " + c("return_reason_id") + ", " + c("return_action_id") + ", " + c("return_status_id") + ", " + c("comment") + ", " +
		c("date_ordered") + ", " + c("date_added") + ", " + c("date_modified") + " FROM " + r.t("return") + " r" + w.sql() + tail
	var out []Return
	err = r.each(ctx, q, w.args, func(rows *sql.Rows) error {
		var rt Return
		if err := rows.Scan(intOf{&rt.ID}, intOf{&rt.OrderID}, intOf{&rt.ProductID}, intOf{&rt.CustomerID}, textOf{&rt.FirstName},
			textOf{&rt.LastName}, textOf{&rt.Email}, textOf{&rt.Telephone}, textOf{&rt.Product}, textOf{&rt.Model}, intOf{&rt.Quantity},
			boolOf{&rt.Opened}, intOf{&rt.ReasonID}, intOf{&rt.ActionID}, intOf{&rt.StatusID}, textOf{&rt.Comment},
			timeOf{&rt.DateOrdered}, timeOf{&rt.DateAdded}, timeOf{&rt.DateModified}); err != nil {
			return err
		}
		rt.Reason = lk.names[nameReturnReason].get(rt.ReasonID)
		rt.Action = lk.names[nameReturnAction].get(rt.ActionID)
		rt.Status = lk.names[nameReturnStatus].get(rt.StatusID)
		out = append(out, rt)
		return nil
	})
	return out, err
}
