// Package opencart reads an OpenCart shop's database (3.0.x, 4.0.x and 4.1.x)
// without ever changing it: customers, orders with their lines and totals,
// returns, statuses, taxes and the settings an accounting export needs. Text
// comes out decoded, money as decimals, and long lists are streamed in id
// order a page at a time.
package opencart

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/opencart-xero/opencart-xero/sync/opencart/reach"
)

// DefaultPageSize is how many orders, customers or returns are read per page
// when streaming: a balance between memory (about 30 MB of orders with their
// lines) and the full scans of order_option and order_history, which have
// no order_id index in OpenCart and are read once per page.
const DefaultPageSize = 2500

// warmSessions is how many sessions Open opens at once, and the most the
// pool holds: as many as a run sends queries at once (a page of orders'
// rows and lines with its returns and coupons; the tax tables beside the
// status count, while the two customer checksums run). A query that
// finds no free session opens one, a few round trips more.
const warmSessions = 10

// ErrNotFound is returned when a record asked for by id does not exist.
var ErrNotFound = errors.New("opencart: not found")

// Reader reads one OpenCart database. It only ever issues SELECTs, on
// sessions set to read-only, and is safe for use by several goroutines.
type Reader struct {
	db       *sql.DB
	schema   Schema
	pageSize int
	queries  atomic.Int64
	link     *reach.Link

	mu     sync.Mutex
	lookup *lookups
	// taxFields are the normalised custom field names taken as a tax
	// number (SetTaxNumberFields).
	taxFields map[string]bool
}

// Open connects directly to the shop database named in dsn (go-sql-driver
// form, e.g. "user:pass@tcp(host:3306)/shop"), with the given table prefix
// (e.g. "oc_", may be empty), and detects which OpenCart version family
// the tables belong to. TLS is chosen as reach.TLSAuto does.
func Open(ctx context.Context, dsn, prefix string) (*Reader, error) {
	return OpenRoute(ctx, reach.Route{DSN: dsn}, prefix)
}

// OpenRoute is Open along a route: TLS as chosen, or through an SSH
// tunnel. Options that would let the server read local files or weaken
// the login are refused before anything is sent.
func OpenRoute(ctx context.Context, route reach.Route, prefix string) (*Reader, error) {
	link, err := route.Open(ctx)
	if err != nil {
		return nil, fmt.Errorf("opencart: %w", err)
	}
	cfg := link.Config
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		link.Close()
		return nil, fmt.Errorf("opencart: the store DSN is not valid: %w", err)
	}
	db := sql.OpenDB(readOnlyConnector{Connector: conn, separate: new(atomic.Bool)})
	db.SetMaxOpenConns(warmSessions)
	db.SetMaxIdleConns(warmSessions)
	db.SetConnMaxIdleTime(time.Minute)
	r := &Reader{db: db, pageSize: DefaultPageSize, link: link}
	// The pool's sessions are opened side by side (each costs a few round
	// trips), the first of them answering for the connection.
	if err := warmConns(ctx, db, warmSessions); err != nil {
		r.Close()
		hop := &reach.HopError{Hop: reach.HopMySQL, Server: cfg.Addr, Reason: "refused the connection", Err: err}
		if route.SSH.Server != "" {
			hop.Server += " (seen from the SSH server)"
		}
		return nil, fmt.Errorf("opencart: cannot connect to the store database %s at %s: %w", cfg.DBName, cfg.Addr, hop)
	}
	if r.schema, err = r.detectSchema(ctx, cfg.DBName, prefix); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// Close closes the database connections and the tunnel beneath them.
func (r *Reader) Close() error {
	return errors.Join(r.db.Close(), r.link.Close())
}

// Route describes how the database is reached, e.g. "directly, TLS verified".
func (r *Reader) Route() string { return r.link.Via }

// Schema describes the tables found: version family, prefix and columns.
func (r *Reader) Schema() Schema { return r.schema }

// Family is the OpenCart version family of the shop.
func (r *Reader) Family() Family { return r.schema.Family }

// Queries reports how many SQL queries the reader has issued so far.
func (r *Reader) Queries() int64 { return r.queries.Load() }

// SetPageSize sets how many records a streaming read fetches per page
// (n < 1 restores DefaultPageSize). Call it before reading.
func (r *Reader) SetPageSize(n int) {
	if n < 1 {
		n = DefaultPageSize
	}
	r.pageSize = n
}

// PageSize is how many records a streaming read fetches per page.
func (r *Reader) PageSize() int { return r.pageSize }

// readOnlyConnector puts every new session in read-only mode, a second
// safety beside the reader only issuing SELECTs. separate is set once a
// server refused the one-statement form (MySQL has neither tx_read_only
// nor in_predicate_conversion_threshold): later sessions go straight to
// the two statements.
type readOnlyConnector struct {
	driver.Connector
	separate *atomic.Bool
}

// sessionSetup is the session set-up in one round trip on MariaDB:
// read-only, and no conversion of long IN lists (MariaDB turns an IN list
// of 1000 or more values into a subquery, which plans the page queries far
// worse). Over a slow link every statement is a round trip, and a pool
// opens several sessions.
const sessionSetup = "SET SESSION tx_read_only = 1, SESSION in_predicate_conversion_threshold = 0"

func (c readOnlyConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	ex, ok := conn.(driver.ExecerContext)
	if !ok {
		conn.Close()
		return nil, errors.New("opencart: the MySQL driver cannot set the session read-only")
	}
	if c.separate == nil || !c.separate.Load() {
		if _, err := ex.ExecContext(ctx, sessionSetup, nil); err == nil {
			return conn, nil
		}
		if c.separate != nil {
			c.separate.Store(true)
		}
	}
	if _, err := ex.ExecContext(ctx, "SET SESSION TRANSACTION READ ONLY", nil); err != nil {
		conn.Close()
		return nil, fmt.Errorf("opencart: setting the session read-only: %w", err)
	}
	// MySQL has no such variable, so an error here is ignored.
	_, _ = ex.ExecContext(ctx, "SET SESSION in_predicate_conversion_threshold = 0", nil)
	return conn, nil
}

// warmConns opens n sessions at once (each costs a few round trips: TCP,
// the handshake, the session set-up) and puts them back in the pool, so
// the parallel queries of a run find them ready instead of opening them
// one after another. Opening a session is its proof of life: no ping
// (one more round trip) follows. It fails only when no session opened.
func warmConns(ctx context.Context, db *sql.DB, n int) error {
	var wg sync.WaitGroup
	conns := make(chan *sql.Conn, n)
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := db.Conn(ctx)
			if err != nil {
				errs <- err
				return
			}
			conns <- c
		}()
	}
	wg.Wait()
	close(conns)
	close(errs)
	opened := 0
	for c := range conns {
		opened++
		c.Close()
	}
	if opened == 0 {
		return <-errs
	}
	return nil
}

// query runs one SELECT and counts it.
func (r *Reader) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	r.queries.Add(1)
	rows, err := r.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, plainDBError(err)
	}
	return rows, nil
}

// ErrConnectionLost says the shop database stopped answering mid-read.
var ErrConnectionLost = errors.New("opencart: the connection to the shop database was lost while reading (the server restarted, a network problem, or the connection was closed); nothing was changed — run the export again")

// plainDBError puts the driver's wording for a dropped connection into
// words a bookkeeper understands; other errors keep the driver's text.
func plainDBError(err error) error {
	var hop *reach.HopError // the tunnel could not be reopened mid-read
	if errors.As(err, &hop) || errors.Is(err, mysql.ErrInvalidConn) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w (%v)", ErrConnectionLost, err)
	}
	return fmt.Errorf("opencart: %w", err)
}

// each runs q and calls scan for every row; rows.Err is checked.
func (r *Reader) each(ctx context.Context, q string, args []any, scan func(*sql.Rows) error) error {
	rows, err := r.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("opencart: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return plainDBError(err)
	}
	return nil
}

// t quotes the prefixed name of an OpenCart table.
func (r *Reader) t(name string) string {
	return "`" + strings.ReplaceAll(r.schema.Prefix+name, "`", "``") + "`"
}

// columnList is an ordered list of SELECT expressions with the scan
// destination of each, so the SQL text and its Scan stay side by side.
type columnList[T any] []column[T]

type column[T any] struct {
	expr string
	dest func(*T) any
}

func (cs columnList[T]) sql() string {
	exprs := make([]string, len(cs))
	for i, c := range cs {
		exprs[i] = c.expr
	}
	return strings.Join(exprs, ", ")
}

// scan reads a row into v; extra are the destinations of columns the
// statement selects after the list's.
func (cs columnList[T]) scan(rows *sql.Rows, v *T, extra ...any) error {
	dests := make([]any, len(cs), len(cs)+len(extra))
	for i, c := range cs {
		dests[i] = c.dest(v)
	}
	return rows.Scan(append(dests, extra...)...)
}

// inList returns "(?,?,…)" and the arguments for ids.
func inList(ids []int) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return "(" + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + ")", args
}

// wallClock formats t as the DATETIME text OpenCart compares against: the
// wall-clock time t shows, in whatever location it carries.
func wallClock(t time.Time) string { return t.Format(time.DateTime) }
