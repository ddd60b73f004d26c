// Command opencart-xero exports an OpenCart shop's customers, orders, refunds
// and payments into Xero. With no arguments it opens the window; with a
// subcommand it runs the same engine headless.
package main

import (
	"os"

	"github.com/opencart-xero/opencart-xero/app"
)

func main() {
	os.Exit(app.Main(os.Args[1:], os.Stdout, os.Stderr))
}
