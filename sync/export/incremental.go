package export

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"iter"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// Runs that read only what changed (Config.Incremental). A run of a whole
// scope (no ids, dates, statuses or --failed) reads:
//
//   - the orders modified since the watermark (order.date_modified), the
//     orders with a return modified since (return.date_modified) or with a
//     return history row since (return_history.date_added);
//   - the orders and returns whose records need work whatever the shop
//     says (history.Unfinished: failed, interrupted, money due), those
//     whose credit notes the last complete run sent or took back (the
//     refunds ledger may take more than one run), and those whose credited return
//     was deleted in the shop (history.CreditedReturns);
//   - the customers of the blocks of ids whose checksum changed
//     (opencart.CustomerBlocks; customers keep no modification date), and
//     those whose contact needs work.
//
// The watermark is the shop's clock when the run started
// (opencart.ChangedOrders) minus WatermarkMargin; it is kept only when the
// run ends without error or cancel, and never by a dry run, so an order
// edited during a run, or one whose transaction was still open when it was
// read, is read again by the next. Everything is read (a full sweep) when
// the request says Full, when no run of the scope has completed yet, when
// the settings changed since the last complete run, and once every
// Config.FullSweepEvery; only a full sweep flags invoices whose order was
// deleted from the shop (ordersGone), which needs every order id.

// WatermarkMargin is taken off the shop's clock before it is kept: for
// clocks that disagree and for transactions still open when the run read
// the orders (OpenCart stamps date_modified when the statement runs, not
// when it commits).
const WatermarkMargin = 10 * time.Minute

// DefaultFullSweepEvery is how often a run reads everything when the
// configuration does not say.
const DefaultFullSweepEvery = 24 * time.Hour

// History settings kept per scope by runs that read only what changed.
const (
	watermarkKey      = "export.watermark."      // + scope: shop wall clock, time.DateTime
	fullSweepKey      = "export.full_sweep."     // + scope: local time of the last complete full sweep, RFC 3339
	settingsSeenKey   = "export.settings_seen."  // + scope: fingerprint of the settings of the last complete run
	customerBlocksKey = "export.customer_blocks" // JSON: checksum per block of customer ids
	lastRunKey        = "export.last_run."       // + scope: id of the last complete run
)

// selection is what a run reads.
type selection struct {
	// full is true when the run reads every record of its scope; why says
	// why (for the summary).
	full bool
	why  string
	// keep is true when the run, if it completes, keeps what it read from:
	// a whole scope, not a dry run.
	keep bool
	// clock is the shop's clock when the run started (zero when not read).
	clock time.Time
	// orders are, when not full, the orders to read, with their status.
	orders map[int]int
	// blocks are the customer checksums read at the start (nil when not
	// read); customerBlocks are, when not full, the blocks to read.
	blocks         map[int]string
	customerBlocks []int
}

// covers says whether a scope reads customers, and whether it reads orders.
func covers(s Scope) (customers, orders bool) {
	return s == ScopeAll || s == ScopeCustomers, s != ScopeCustomers
}

// selectRecords decides what the run reads, before it reads anything.
func (r *run) selectRecords() error {
	s := &r.sel
	req := r.req
	s.full = true
	r.sum.FullRead = true
	if len(req.IDs) > 0 || !req.Since.IsZero() || !req.Until.IsZero() || len(req.StatusIDs) > 0 || req.OnlyFailed {
		return nil // the records asked for, as asked; nothing is kept
	}
	s.keep = !req.DryRun
	if !r.e.cfg.Incremental && !s.keep {
		return nil
	}
	scope := string(req.Scope)
	settings := r.hist().Setting
	get := func(key string) (string, error) {
		v, err := settings(r.bg, key)
		if errors.Is(err, history.ErrNotFound) {
			return "", nil
		}
		return v, err
	}
	watermark, err := get(watermarkKey + scope)
	if err != nil {
		return r.fatal(err)
	}
	lastFull, err := get(fullSweepKey + scope)
	if err != nil {
		return r.fatal(err)
	}
	seen, err := get(settingsSeenKey + scope)
	if err != nil {
		return r.fatal(err)
	}
	since, werr := time.ParseInLocation(time.DateTime, watermark, time.UTC)
	swept, ferr := time.Parse(time.RFC3339, lastFull)
	withCustomers, withOrders := covers(req.Scope)
	every := r.e.cfg.FullSweepEvery
	if every <= 0 {
		every = DefaultFullSweepEvery
	}
	switch {
	case !r.e.cfg.Incremental:
		s.why = "every run reads everything"
	case req.Full:
		s.why = "asked for"
	case watermark == "" || werr != nil && withOrders:
		s.why = "no complete run of " + scope + " yet"
	case seen != r.settingsFingerprint():
		s.why = "the settings changed"
	case lastFull == "" || ferr != nil || r.e.cfg.Now().Sub(swept) >= every:
		s.why = "the daily full read"
	default:
		s.full = false
	}
	var unf history.Unfinished
	var credited map[int]int
	if !s.full {
		lastRun, err := get(lastRunKey + scope)
		if err != nil {
			return r.fatal(err)
		}
		touched, _ := strconv.ParseInt(lastRun, 10, 64) // none or unreadable: 0
		if unf, err = r.hist().Unfinished(r.bg, touched); err != nil {
			return r.fatal(err)
		}
		if credited, err = r.hist().CreditedReturns(r.bg); err != nil {
			return r.fatal(err)
		}
	}
	// The shop's clock (with the changed orders) and the customer
	// checksums are read side by side: one round trip.
	var ch opencart.Changes
	var cherr, berr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		switch {
		case !withCustomers || !s.keep && s.full:
		case r.earlyBlocks != nil:
			s.blocks, berr = r.earlyBlocks.wait()
		default:
			s.blocks, berr = r.store().CustomerBlocks(r.ctx)
		}
	}()
	switch {
	case !withOrders && !s.keep:
	case s.full:
		ch.Clock, cherr = r.store().Clock(r.ctx)
	default:
		ch, cherr = r.store().ChangedOrders(r.ctx, opencart.ChangeFilter{Since: since, OrderIDs: unf.OrderIDs, ReturnIDs: unf.ReturnIDs, Credited: credited})
	}
	<-done
	if err := errors.Join(cherr, berr); err != nil {
		return r.fatal(err)
	}
	s.clock = ch.Clock
	r.sum.FullRead, r.sum.FullReadWhy = s.full, s.why
	if s.full {
		return nil
	}
	s.orders = ch.Orders
	r.sum.ChangedOrders = len(s.orders)
	if withCustomers {
		var old map[int]string
		raw, err := get(customerBlocksKey)
		if err != nil {
			return r.fatal(err)
		}
		if raw != "" {
			if err := json.Unmarshal([]byte(raw), &old); err != nil {
				old = nil // unreadable: every block is read
			}
		}
		changed := map[int]bool{}
		for b, sum := range s.blocks {
			if old[b] != sum {
				changed[b] = true
			}
		}
		for b := range old {
			if _, ok := s.blocks[b]; !ok {
				changed[b] = true // every customer of the block deleted
			}
		}
		for _, key := range unf.Contacts {
			if id, ok := mapping.CustomerID(key); ok {
				changed[id/opencart.CustomerBlockSize] = true
			}
		}
		s.customerBlocks = slices.Sorted(maps.Keys(changed))
		if s.customerBlocks == nil {
			s.customerBlocks = []int{}
		}
	}
	return nil
}

// settingsFingerprint identifies the export settings: a run after they
// changed reads everything, so that every record is compared with what
// the new settings make of it.
func (r *run) settingsFingerprint() string {
	raw, _ := json.Marshal(struct {
		Settings
		Locked string
	}{r.e.cfg.Settings, r.e.cfg.Settings.LockedPeriod})
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:12])
}

// keepSelection remembers, after a complete run of a whole scope, where
// the next run starts from.
func (r *run) keepSelection() error {
	s := &r.sel
	if !s.keep {
		return nil
	}
	scope := string(r.req.Scope)
	set := func(key, value string) error { return r.hist().SetSetting(r.bg, key, value) }
	var errs []error
	if !s.clock.IsZero() {
		errs = append(errs, set(watermarkKey+scope, s.clock.Add(-WatermarkMargin).Format(time.DateTime)))
	} else if _, withOrders := covers(r.req.Scope); !withOrders {
		errs = append(errs, set(watermarkKey+scope, "customers only"))
	}
	if s.blocks != nil {
		raw, err := json.Marshal(s.blocks)
		errs = append(errs, err, set(customerBlocksKey, string(raw)))
	}
	if s.full {
		errs = append(errs, set(fullSweepKey+scope, r.e.cfg.Now().UTC().Format(time.RFC3339)))
	}
	errs = append(errs, set(settingsSeenKey+scope, r.settingsFingerprint()))
	errs = append(errs, set(lastRunKey+scope, strconv.FormatInt(r.sum.RunID, 10)))
	return errors.Join(errs...)
}

// selectedIDs are the chosen orders (when the run does not read
// everything) with one of these statuses, in id order; all is true when
// the run reads everything.
func (r *run) selectedIDs(f opencart.OrderFilter) (ids []int, all bool) {
	if r.sel.full {
		return nil, true
	}
	for id, st := range r.sel.orders {
		if len(f.StatusIDs) > 0 && slices.Contains(f.StatusIDs, st) || len(f.StatusIDs) == 0 && !slices.Contains(f.ExcludeStatusIDs, st) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, false
}

// countOrders is how many orders the filter chooses: known without a
// query when the run reads only what changed.
func (r *run) countOrders(f opencart.OrderFilter) (int, error) {
	if !r.sel.full {
		return len(f.IDs), nil
	}
	return r.store().CountOrders(r.ctx, f)
}

// nothingSelected is true when the run reads only what changed and no
// order changed.
func (r *run) nothingSelected(f opencart.OrderFilter) bool {
	return !r.sel.full && len(f.IDs) == 0
}

// customerSelection narrows the customers stage's filter to the changed
// blocks; false when there is nothing to read.
func (r *run) customerSelection(f *opencart.CustomerFilter) bool {
	if r.sel.full || r.req.Scope == ScopeCustomers && len(r.req.IDs) > 0 {
		return true
	}
	f.Blocks = r.sel.customerBlocks
	return len(f.Blocks) > 0
}

// prefetched is what goes with the page of orders read last: its returns
// and coupons, and the customers whose contact is not yet in Xero, each
// read once for the page (a few thousand orders) instead of once per
// batch of fifty.
type prefetched struct {
	orders    map[int]bool
	returns   map[int][]opencart.Return
	coupons   map[int][]opencart.OrderCoupon
	customers map[int]opencart.Customer
	// customerIDs are the customers read (some may be gone).
	customerIDs map[int]bool
}

// selectedOrders streams the chosen orders a page at a time, reading for
// each page what its batches will ask for.
func (r *run) selectedOrders(f opencart.OrderFilter) iter.Seq2[opencart.Order, error] {
	return func(yield func(opencart.Order, error) bool) {
		// Orders named that fit one page (a run reading what changed):
		// their returns and coupons are asked for with the page itself.
		var early *pageExtras
		if n := len(f.IDs); n > 0 && n <= r.store().PageSize() {
			early = r.readExtras(f.IDs)
		}
		for page, err := range r.store().OrderPages(r.ctx, f) {
			if err == nil {
				err = r.prefetch(page, early)
				early = nil
			}
			if err != nil {
				yield(opencart.Order{}, err)
				return
			}
			for _, o := range page {
				if !yield(o, nil) {
					return
				}
			}
		}
	}
}

// customerBlocks are customer checksums being read (opencart.CustomerBlocks).
type customerBlocks struct {
	done   chan struct{}
	blocks map[int]string
	err    error
}

// startCustomerBlocks starts reading the customer checksums.
func (r *run) startCustomerBlocks() *customerBlocks {
	cb := &customerBlocks{done: make(chan struct{})}
	go func() {
		defer close(cb.done)
		cb.blocks, cb.err = r.store().CustomerBlocks(r.ctx)
	}()
	return cb
}

// wait gives the checksums once read; on nil, nothing.
func (cb *customerBlocks) wait() (map[int]string, error) {
	if cb == nil {
		return nil, nil
	}
	<-cb.done
	return cb.blocks, cb.err
}

// pageExtras are the returns and coupons of some orders, being read.
type pageExtras struct {
	done    chan struct{}
	returns map[int][]opencart.Return
	coupons map[int][]opencart.OrderCoupon
	err     error
}

// readExtras starts reading the returns and coupons of these orders, side
// by side; wait gives them.
func (r *run) readExtras(orderIDs []int) *pageExtras {
	x := &pageExtras{done: make(chan struct{}), returns: map[int][]opencart.Return{}}
	go func() {
		defer close(x.done)
		var retErr, couponErr error
		got := make(chan struct{})
		go func() {
			defer close(got)
			x.coupons, couponErr = r.store().OrderCoupons(r.ctx, orderIDs)
		}()
		for ret, err := range r.store().Returns(r.ctx, opencart.ReturnFilter{OrderIDs: orderIDs}) {
			if err != nil {
				retErr = err
				break
			}
			x.returns[ret.OrderID] = append(x.returns[ret.OrderID], ret)
		}
		<-got
		x.err = errors.Join(retErr, couponErr)
	}()
	return x
}

func (x *pageExtras) wait() error {
	<-x.done
	return x.err
}

// prefetch reads the returns, coupons and wanted customers of a page of
// orders, side by side; early, when given, holds the returns and coupons
// already asked for.
func (r *run) prefetch(page []opencart.Order, early *pageExtras) error {
	p := &prefetched{orders: map[int]bool{}, returns: map[int][]opencart.Return{}, customerIDs: map[int]bool{},
		customers: map[int]opencart.Customer{}}
	orderIDs := make([]int, len(page))
	var keys []string
	for i, o := range page {
		orderIDs[i] = o.ID
		p.orders[o.ID] = true
		if o.CustomerID > 0 && !o.CustomerDeleted && !p.customerIDs[o.CustomerID] {
			p.customerIDs[o.CustomerID] = true
			keys = append(keys, mapping.CustomerKey(o.CustomerID))
		}
	}
	exported, err := r.hist().RecordsFor(r.bg, history.KindContact, keys)
	if err != nil {
		return err
	}
	var wanted []int
	for id := range p.customerIDs {
		if rec, ok := exported[mapping.CustomerKey(id)]; ok && rec.State == history.StateExported && rec.XeroID != "" {
			delete(p.customerIDs, id) // contactsForOrders will not ask
			continue
		}
		wanted = append(wanted, id)
	}
	slices.Sort(wanted)
	if early == nil {
		early = r.readExtras(orderIDs)
	}
	queries := []func() error{
		func() error {
			err := early.wait()
			p.returns, p.coupons = early.returns, early.coupons
			return err
		},
	}
	if len(wanted) > 0 {
		queries = append(queries, func() error {
			for c, err := range r.store().Customers(r.ctx, opencart.CustomerFilter{IDs: wanted}) {
				if err != nil {
					return err
				}
				p.customers[c.ID] = c
			}
			return nil
		})
	}
	errs := make(chan error, len(queries))
	for _, q := range queries {
		go func() { errs <- q() }()
	}
	var all []error
	for range queries {
		all = append(all, <-errs)
	}
	if err := errors.Join(all...); err != nil {
		return err
	}
	r.pre = p
	return nil
}

// prefetchedOrders reports whether every order is in the page read last.
func (r *run) prefetchedOrders(ids []int) bool {
	if r.pre == nil || len(ids) == 0 {
		return false
	}
	for _, id := range ids {
		if !r.pre.orders[id] {
			return false
		}
	}
	return true
}

// returnsOf streams the returns of these orders: from the page read last
// when it holds them all, else from the shop.
func (r *run) returnsOf(ids []int) iter.Seq2[opencart.Return, error] {
	if !r.prefetchedOrders(ids) {
		return r.store().Returns(r.ctx, opencart.ReturnFilter{OrderIDs: ids})
	}
	pre := r.pre
	return func(yield func(opencart.Return, error) bool) {
		for _, id := range ids {
			for _, ret := range pre.returns[id] {
				if !yield(ret, nil) {
					return
				}
			}
		}
	}
}

// couponsOf reads the coupons of these orders, as returnsOf does.
func (r *run) couponsOf(ids []int) (map[int][]opencart.OrderCoupon, error) {
	if !r.prefetchedOrders(ids) {
		return r.store().OrderCoupons(r.ctx, ids)
	}
	out := make(map[int][]opencart.OrderCoupon, len(ids))
	for _, id := range ids {
		if c, ok := r.pre.coupons[id]; ok {
			out[id] = c
		}
	}
	return out, nil
}

// customersOf streams these customers: from the page read last when it
// read them all, else from the shop.
func (r *run) customersOf(ids []int) iter.Seq2[opencart.Customer, error] {
	pre := r.pre
	all := pre != nil
	for _, id := range ids {
		all = all && pre.customerIDs[id]
	}
	if !all {
		return r.store().Customers(r.ctx, opencart.CustomerFilter{IDs: ids})
	}
	sorted := slices.Sorted(slices.Values(ids))
	return func(yield func(opencart.Customer, error) bool) {
		for _, id := range sorted {
			if c, ok := pre.customers[id]; ok {
				if !yield(c, nil) {
					return
				}
			}
		}
	}
}

// SelectionLine says what the run read, for the summary.
func (s Summary) SelectionLine() string {
	if s.FullRead {
		return "read everything (" + s.FullReadWhy + ")"
	}
	return "read only what changed since the last complete run (" + strconv.Itoa(s.ChangedOrders) + " orders)"
}
