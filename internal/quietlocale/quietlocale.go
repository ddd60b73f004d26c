// Package quietlocale keeps Fyne quiet about a C locale while it starts.
//
// Fyne's lang package reads the user's locale in its init, long before main
// runs, and logs three lines ("Fyne error: Error parsing user locale C")
// when the locale is a C or POSIX one with an encoding (LANG=C.UTF-8, the
// usual value in containers and cron): the language part "C" is not a
// language tag. A command-line run must print nothing of the kind, so this
// package, initialised before Fyne's (it imports only os, and Go initialises
// packages in import-path order among those ready, so it comes before
// golang.org/x/text that Fyne's lang waits for), turns such a value into the
// bare "C" that the locale library treats as "no locale" (English). Restore
// puts the person's value back once Fyne has started; the window then sees
// the real locale. TestNoFyneMessageInCLocale in app proves the order holds
// for the built program.
package quietlocale

import (
	"os"
	"strings"
)

// saved is the variable changed at init and its value; name "" = unchanged.
var saved struct{ name, value string }

func init() {
	// The first of these that is set is the one the locale is read from.
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		if isCLocale(v) && v != "C" && v != "POSIX" {
			saved.name, saved.value = name, v
			os.Setenv(name, "C")
		}
		return
	}
}

// isCLocale reports whether v is the C or POSIX locale, with or without an
// encoding or modifier (C.UTF-8, POSIX@euro).
func isCLocale(v string) bool {
	base, _, _ := strings.Cut(v, ".")
	base, _, _ = strings.Cut(base, "@")
	return base == "C" || base == "POSIX"
}

// Restore puts back the locale changed at init, so that programs started
// from here and the window see the person's own value. It may be called more
// than once.
func Restore() {
	if saved.name != "" {
		os.Setenv(saved.name, saved.value)
		saved.name = ""
	}
}
