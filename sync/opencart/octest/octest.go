// Package octest builds throw-away OpenCart databases on a real MariaDB for
// tests: the tables of a version family (3.0, 4.0, 4.1) under any prefix,
// the rows a fresh shop has, a builder that stores customers, orders and
// returns the way OpenCart stores them, and a seed of awkward cases.
//
//	db := octest.NewDB(t, opencart.Family40, "oc_")
//	id := db.AddOrder(octest.Order{StatusID: 5, FirstName: "Ann",
//		Products: []octest.Product{{ProductID: 1, Name: "Mug", Quantity: 2, Price: "10.0000", Tax: "2.0000"}},
//		Totals: []octest.Total{octest.TotalRow("sub_total", "Sub-Total", "20.0000", 1),
//			octest.TotalRow("tax", "VAT (20%)", "4.0000", 5), octest.TotalRow("total", "Total", "24.0000", 9)}})
//	r, err := opencart.Open(ctx, db.DSN, db.Prefix)
//
// The server is $OPENCART_XERO_TEST_DSN (default root@tcp(127.0.0.1:3306)/);
// when it cannot be reached the test fails, naming that variable.
package octest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// DSNEnv names the environment variable with the MariaDB server tests use.
const DSNEnv = "OPENCART_XERO_TEST_DSN"

// DefaultDSN is used when DSNEnv is not set.
const DefaultDSN = "root@tcp(127.0.0.1:3306)/"

//go:embed schema/*.sql
var schemas embed.FS

// DB is a throw-away OpenCart database, dropped when the test ends.
type DB struct {
	// Name is the database name (ocx_<pid>_<random>).
	Name string
	// DSN connects to the database with the test server's (writing) user.
	DSN string
	// Family is the version family of the tables.
	Family opencart.Family
	// Prefix is the table prefix.
	Prefix string
	// Upgraded is true for a 4.0 shop upgraded from 3.0 (see Upgraded).
	Upgraded bool
	// SQL is a writable connection to the database, with OpenCart's
	// non-strict sql_mode.
	SQL *sql.DB

	t       testing.TB
	server  *mysql.Config
	columns map[string]map[string]bool
}

// Option changes the database NewDB builds.
type Option func(*DB)

// Upgraded builds a 4.0.2 shop that was upgraded from 3.0: leftover 3.0
// columns, and orders whose payment method is the old plain title with
// the converted {"name","code"} JSON in payment_custom_field.
func Upgraded() Option { return func(d *DB) { d.Upgraded = true } }

// ServerDSN is the MariaDB server tests use.
func ServerDSN() string {
	if v := os.Getenv(DSNEnv); v != "" {
		return v
	}
	return DefaultDSN
}

// NewDB creates a database with the tables of family under prefix and the
// base rows of a fresh shop, and drops it at the end of the test.
func NewDB(t testing.TB, family opencart.Family, prefix string, opts ...Option) *DB {
	t.Helper()
	server, err := mysql.ParseDSN(ServerDSN())
	if err != nil {
		t.Fatalf("octest: %s=%q is not a valid DSN: %v", DSNEnv, ServerDSN(), err)
	}
	server.DBName = ""
	server.Timeout = 5 * time.Second
	admin, err := sql.Open("mysql", server.FormatDSN())
	if err != nil {
		t.Fatalf("octest: %v", err)
	}
	defer admin.Close()
	ctx := context.Background()
	if err := admin.PingContext(ctx); err != nil {
		t.Fatalf("octest: MariaDB is not reachable at %s (set %s to a DSN such as %s): %v", server.Addr, DSNEnv, DefaultDSN, err)
	}
	d := &DB{Name: "ocx_" + fmt.Sprint(os.Getpid()) + "_" + randomHex(4), Family: family, Prefix: prefix, t: t, server: server}
	for _, o := range opts {
		o(d)
	}
	if d.Upgraded && family != opencart.Family40 {
		t.Fatalf("octest: Upgraded applies to family 4.0 only")
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE `"+d.Name+"` CHARACTER SET utf8mb4"); err != nil {
		t.Fatalf("octest: creating database: %v", err)
	}
	t.Cleanup(d.drop)

	cfg := server.Clone()
	cfg.DBName = d.Name
	cfg.ParseTime = true
	cfg.InterpolateParams = true
	cfg.Params = map[string]string{"sql_mode": "'NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION'"}
	if err := cfg.Apply(mysql.Charset("utf8mb4", "utf8mb4_general_ci")); err != nil {
		t.Fatalf("octest: %v", err)
	}
	d.DSN = cfg.FormatDSN()
	if d.SQL, err = sql.Open("mysql", d.DSN); err != nil {
		t.Fatalf("octest: %v", err)
	}
	d.createTables()
	d.addBaseRows()
	return d
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (d *DB) drop() {
	if d.SQL != nil {
		d.SQL.Close()
	}
	admin, err := sql.Open("mysql", d.server.FormatDSN())
	if err != nil {
		d.t.Errorf("octest: dropping %s: %v", d.Name, err)
		return
	}
	defer admin.Close()
	if _, err := admin.Exec("DROP DATABASE IF EXISTS `" + d.Name + "`"); err != nil {
		d.t.Errorf("octest: dropping %s: %v", d.Name, err)
	}
}

// Exec runs a statement on the database; "{prefix}" in it is replaced by
// the table prefix. A failure ends the test.
func (d *DB) Exec(query string, args ...any) sql.Result {
	d.t.Helper()
	res, err := d.SQL.Exec(strings.ReplaceAll(query, "{prefix}", d.Prefix), args...)
	if err != nil {
		d.t.Fatalf("octest: %v\n%s", err, query)
	}
	return res
}

func (d *DB) createTables() {
	ddl, err := schemas.ReadFile("schema/" + string(d.Family) + ".sql")
	if err != nil {
		d.t.Fatalf("octest: no fixture tables for family %q", d.Family)
	}
	for _, stmt := range strings.Split(string(ddl), ";\n") {
		if stmt = strings.TrimSpace(stmt); stmt != "" && strings.Contains(stmt, "CREATE TABLE") {
			d.Exec(stmt)
		}
	}
	if d.Upgraded {
		// Columns the 3.0 → 4.0 upgrade leaves behind.
		d.Exec("ALTER TABLE {prefix}customer ADD `fax` varchar(32) NOT NULL DEFAULT '', ADD `salt` varchar(9) NOT NULL DEFAULT ''")
		d.Exec("ALTER TABLE `{prefix}order` ADD `fax` varchar(32) NOT NULL DEFAULT ''")
	}
	d.columns = map[string]map[string]bool{}
	rows, err := d.SQL.Query("SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()")
	if err != nil {
		d.t.Fatalf("octest: %v", err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, column string
		if err := rows.Scan(&table, &column); err != nil {
			d.t.Fatalf("octest: %v", err)
		}
		table = strings.TrimPrefix(table, d.Prefix)
		if d.columns[table] == nil {
			d.columns[table] = map[string]bool{}
		}
		d.columns[table][column] = true
	}
	if err := rows.Err(); err != nil {
		d.t.Fatalf("octest: %v", err)
	}
}

// ReadOnlyUser creates a MySQL user that may only SELECT in this database
// and returns a DSN for it; the user is dropped when the test ends.
func (d *DB) ReadOnlyUser() string {
	d.t.Helper()
	user, pass := "ocx_ro_"+randomHex(4), randomHex(12)
	account := "'" + user + "'@'%'"
	d.Exec("CREATE USER " + account + " IDENTIFIED BY '" + pass + "'")
	d.t.Cleanup(func() {
		if _, err := d.SQL.Exec("DROP USER IF EXISTS " + account); err != nil {
			d.t.Errorf("octest: dropping user %s: %v", user, err)
		}
	})
	d.Exec("GRANT SELECT ON `" + d.Name + "`.* TO " + account)
	cfg := d.server.Clone()
	cfg.User, cfg.Passwd, cfg.DBName = user, pass, d.Name
	return cfg.FormatDSN()
}
