package octest

import (
	"time"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// Recurring is an OpenCart 3.0 recurring profile (order_recurring) with
// its transactions (order_recurring_transaction), as
// catalog/model/checkout/recurring.php and the payment extensions write
// them.
type Recurring struct {
	ID                int // 0: the next free id
	OrderID           int
	ProductID         int
	ProductName       string
	Quantity          int // 0: 1
	Name, Description string
	Reference         string // the gateway's profile id
	Price             string // recurring_price; "": 0
	Status            int    // order_recurring.status; 0: 1 Active
	DateAdded         time.Time
	Transactions      []RecurringTransaction
}

// RecurringTransaction is one row of order_recurring_transaction. Type is
// OpenCart's type number as text ("1" payment, "4" failed, …).
type RecurringTransaction struct {
	ID        int // 0: the next free id
	Reference string
	Type      string
	Amount    string // "": 0
	DateAdded time.Time
}

// AddRecurring adds a 3.0 recurring profile and its transactions and
// returns the profile's id and the transactions' ids.
func (d *DB) AddRecurring(rc Recurring) (int, []int) {
	d.t.Helper()
	if d.Family != opencart.Family30 {
		d.t.Fatalf("octest: recurring profiles are OpenCart 3.0's; %s keeps subscriptions", d.Family)
	}
	if rc.ID == 0 {
		rc.ID = d.nextID("order_recurring", "order_recurring_id")
	}
	d.insert("order_recurring", row{"order_recurring_id": rc.ID, "order_id": rc.OrderID, "reference": rc.Reference,
		"product_id": rc.ProductID, "product_name": text(false, rc.ProductName), "product_quantity": or(rc.Quantity, 1),
		"recurring_id": 1, "recurring_name": text(false, rc.Name), "recurring_description": text(false, rc.Description),
		"recurring_frequency": "month", "recurring_cycle": 1, "recurring_duration": 0, "recurring_price": orText(rc.Price, "0"),
		"trial": 0, "trial_frequency": "day", "trial_cycle": 0, "trial_duration": 0, "trial_price": "0",
		"status": or(rc.Status, 1), "date_added": dateText(rc.DateAdded, DefaultDate)})
	ids := make([]int, len(rc.Transactions))
	next := d.nextID("order_recurring_transaction", "order_recurring_transaction_id")
	for i, tx := range rc.Transactions {
		if tx.ID == 0 {
			tx.ID = next
		}
		next = max(next, tx.ID+1)
		ids[i] = tx.ID
		d.insert("order_recurring_transaction", row{"order_recurring_transaction_id": tx.ID, "order_recurring_id": rc.ID,
			"reference": tx.Reference, "type": tx.Type, "amount": orText(tx.Amount, "0"), "date_added": dateText(tx.DateAdded, DefaultDate)})
	}
	return rc.ID, ids
}

// Subscription is a 4.x subscription row (subscription), as
// catalog/model/checkout/subscription.php writes it at checkout.
type Subscription struct {
	ID, OrderID, OrderProductID, ProductID, CustomerID int
	Quantity                                           int    // 0: 1
	Price                                              string // "": 0
	StatusID                                           int    // subscription_status_id; 0: 1
	DateAdded                                          time.Time
}

// AddSubscription adds a 4.x subscription and returns its id.
func (d *DB) AddSubscription(s Subscription) int {
	d.t.Helper()
	if d.Family == opencart.Family30 {
		d.t.Fatalf("octest: subscriptions are OpenCart 4's; 3.0 keeps recurring profiles")
	}
	if s.ID == 0 {
		s.ID = d.nextID("subscription", "subscription_id")
	}
	added := dateText(s.DateAdded, DefaultDate)
	d.insert("subscription", row{"subscription_id": s.ID, "order_id": s.OrderID, "order_product_id": s.OrderProductID,
		"store_id": 0, "customer_id": s.CustomerID, "payment_address_id": 0, "payment_method": "", "shipping_address_id": 0,
		"shipping_method": "", "product_id": s.ProductID, "quantity": or(s.Quantity, 1), "subscription_plan_id": 1,
		"trial_price": "0", "trial_tax": "0", "trial_frequency": "month", "trial_cycle": 0, "trial_duration": 0, "trial_remaining": 0,
		"trial_status": 0, "price": orText(s.Price, "0"), "tax": "0", "frequency": "month", "cycle": 1, "duration": 0, "remaining": 0,
		"date_next": added, "comment": "", "subscription_status_id": or(s.StatusID, 1), "affiliate_id": 0, "marketing_id": 0,
		"tracking": "", "language_id": LanguageEnglish, "language": "en-gb", "currency_id": 1, "currency": "GBP", "ip": "", "forwarded_ip": "",
		"user_agent": "", "accept_language": "", "date_added": added, "date_modified": added})
	return s.ID
}

// SubscriptionTransaction is a row of OpenCart 4.0.0.x–4.0.1.x's
// subscription_transaction (dropped from the schema in 4.0.2.0, kept by
// upgraded shops).
type SubscriptionTransaction struct {
	ID, SubscriptionID, OrderID int
	Description, Amount         string
	DateAdded                   time.Time
}

// AddSubscriptionTransaction adds a 4.0.0.x–4.0.1.x subscription_transaction
// row, creating the table as 4.0.0.0's db_schema.php declares it when the
// fixture's (4.0.2.3 or 4.1) schema has none; it returns the row's id.
func (d *DB) AddSubscriptionTransaction(tx SubscriptionTransaction) int {
	d.t.Helper()
	if d.columns["subscription_transaction"] == nil {
		d.Exec("CREATE TABLE IF NOT EXISTS `" + d.Prefix + "subscription_transaction` (" +
			"`subscription_transaction_id` int(11) NOT NULL AUTO_INCREMENT, `subscription_id` int(11) NOT NULL, `order_id` int(11) NOT NULL, " +
			"`transaction_id` varchar(255) NOT NULL, `description` text NOT NULL, `amount` decimal(10,4) NOT NULL, " +
			"`payment_method` varchar(128) NOT NULL, `payment_code` varchar(128) NOT NULL, `date_added` datetime NOT NULL, " +
			"PRIMARY KEY (`subscription_transaction_id`), KEY `subscription_id` (`subscription_id`), KEY `order_id` (`order_id`)" +
			") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4")
		d.columns["subscription_transaction"] = map[string]bool{}
		for _, c := range []string{"subscription_transaction_id", "subscription_id", "order_id", "transaction_id", "description", "amount", "payment_method", "payment_code", "date_added"} {
			d.columns["subscription_transaction"][c] = true
		}
	}
	if tx.ID == 0 {
		tx.ID = d.nextID("subscription_transaction", "subscription_transaction_id")
	}
	d.insert("subscription_transaction", row{"subscription_transaction_id": tx.ID, "subscription_id": tx.SubscriptionID,
		"order_id": tx.OrderID, "transaction_id": "", "description": tx.Description, "amount": orText(tx.Amount, "0"),
		"payment_method": "", "payment_code": "", "date_added": dateText(tx.DateAdded, DefaultDate)})
	return tx.ID
}
