// Command demostore serves the demo's sample OpenCart 4.0 shop from memory
// on a loopback port until it is stopped (Ctrl-C or SIGTERM), so that
// opencart-xero can be tried without a shop or a MySQL server. It prints
// the DSN to give the app (opencart-xero config set store.dsn DSN).
//
//	demostore [--addr 127.0.0.1:3307] [--anchor YYYY-MM-DD] [--verbose]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/opencart-xero/opencart-xero/demo/store"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("demostore", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:3307", "loopback address to listen on (port 0 = any free port)")
	anchor := fs.String("anchor", time.Now().UTC().Format(time.DateOnly), "the orders lie in the twelve weeks before this day (YYYY-MM-DD); keep it to get the same shop again")
	verbose := fs.Bool("verbose", false, "log every connection and query error of the server")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("demostore: unexpected argument %q", fs.Arg(0))
	}
	day, err := time.Parse(time.DateOnly, *anchor)
	if err != nil {
		return fmt.Errorf("demostore: --anchor %q is not a day (YYYY-MM-DD)", *anchor)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s, err := store.Start(*addr, day, *verbose)
	if err != nil {
		return err
	}
	fmt.Printf("Sample OpenCart 4.0 shop: %d customers, %d orders (1 canceled, 1 refunded), 2 returns (1 refunded), orders up to %s\n",
		len(s.Shop.Customers), len(s.Shop.Orders), day.Format(time.DateOnly))
	fmt.Printf("DSN %s\n", s.DSN)
	fmt.Printf("Table prefix %s\n", store.Prefix)
	fmt.Println("Press Ctrl-C to stop.")
	<-ctx.Done()
	return s.Close()
}
