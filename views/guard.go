package views

import (
	"fmt"
	"log"
	"runtime/debug"
)

// guard runs one window action's backend work and turns a panic in it into
// a plain error (which the view shows like any other) and a log entry with
// the stack, so a fault in one action never takes the window down halfway
// through writing. Every goroutine the screens start runs its work in it.
func guard(what string, work func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("opencart-xero: internal error in %s: %v\n%s", what, r, debug.Stack())
			err = fmt.Errorf("internal error in %s: %v; please report it", what, r)
		}
	}()
	return work()
}
