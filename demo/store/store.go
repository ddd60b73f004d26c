// Package store serves the demo's sample OpenCart 4.0 shop from memory: a
// MySQL-compatible server (go-mysql-server) on a loopback port holding a
// small UK shop, so the app can be tried without a shop of one's own and
// without a MySQL server on the machine. It lives in its own Go module so
// that go-mysql-server (about 60 MB) never reaches the shipped app.
package store

import (
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	sqle "github.com/dolthub/go-mysql-server"
	"github.com/dolthub/go-mysql-server/memory"
	"github.com/dolthub/go-mysql-server/server"
	"github.com/dolthub/go-mysql-server/sql"
	"github.com/sirupsen/logrus"

	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
)

// Database is the name of the sample shop's database.
const Database = "opencart"

// Prefix is the sample shop's table prefix.
const Prefix = "oc_"

// Store is a running sample shop.
type Store struct {
	// Addr is the host:port the server listens on.
	Addr string
	// DSN connects to the shop, in the form the app's store.dsn takes.
	DSN string
	// Shop is what was put in the shop.
	Shop Shop

	srv *server.Server
}

// Start serves a fresh sample shop on addr (a loopback host:port; port 0
// picks a free one). Its orders lie in the weeks before anchor, so a shop
// started again with the same anchor holds the same records. Verbose keeps
// the server's own log; otherwise only its errors are shown.
func Start(addr string, anchor time.Time, verbose bool) (*Store, error) {
	if err := checkLoopback(addr); err != nil {
		return nil, err
	}
	if !verbose {
		logrus.SetLevel(logrus.ErrorLevel)
	}
	pro := memory.NewDBProvider()
	engine := sqle.NewDefault(pro)
	srv, err := server.NewServer(server.Config{Protocol: "tcp", Address: addr}, engine, sql.NewContext,
		memory.NewSessionBuilder(pro), nil)
	if err != nil {
		return nil, fmt.Errorf("demo store: listening on %s: %w", addr, err)
	}
	s := &Store{Addr: srv.Listener.Addr().String(), srv: srv}
	s.DSN = "root@tcp(" + s.Addr + ")/" + Database
	started := make(chan error, 1)
	go func() { started <- srv.Start() }()

	// octest creates the tables and rows on the server named by its
	// environment variable; this process's server is the only one here.
	if err := os.Setenv(octest.DSNEnv, "root@tcp("+s.Addr+")/"); err != nil {
		s.Close()
		return nil, fmt.Errorf("demo store: %w", err)
	}
	if s.Shop, err = fill(anchor); err != nil {
		s.Close()
		return nil, err
	}
	select {
	case err := <-started:
		return nil, fmt.Errorf("demo store: the server stopped: %w", err)
	default:
	}
	return s, nil
}

// Close stops the server; the shop is gone with it.
func (s *Store) Close() error {
	if err := s.srv.Close(); err != nil {
		return fmt.Errorf("demo store: %w", err)
	}
	return nil
}

// checkLoopback refuses an address that would serve the shop beyond this
// machine.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("demo store: %q is not HOST:PORT: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return errors.New("demo store: " + addr + " is not a loopback address; the demo shop only listens on 127.0.0.1, ::1 or localhost")
	}
	return nil
}
