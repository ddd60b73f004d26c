package xerotest

import (
	"strings"
	"testing"
	"unicode"
)

// TestFoldKey checks that texts the sandbox compares as equal (EqualFold
// for IDs and names, ToLower for where) always share an index key, over
// every rune, and that different texts mostly do not.
func TestFoldKey(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		s := string(r)
		k := foldKey(s)
		if lower := strings.ToLower(s); foldKey(lower) != k {
			t.Fatalf("%U: key %q, its lower case %q has %q", r, k, lower, foldKey(lower))
		}
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if !strings.EqualFold(s, string(f)) || foldKey(string(f)) != k {
				t.Fatalf("%U and %U are equal ignoring case but have keys %q and %q", r, f, k, foldKey(string(f)))
			}
		}
	}
	for _, tc := range []struct{ a, b string }{{"Jane Doe", "JANE DOE"}, {"straße", "STRASSE"}, {"ſ", "S"}, {"K", "k"}, {"İ", "i"}, {"Ab\xff", "aB\xfe"}} {
		//lint:ignore SA6005 both of Go's notions of "equal ignoring case" must give one key
		if equal := strings.EqualFold(tc.a, tc.b) || strings.ToLower(tc.a) == strings.ToLower(tc.b); equal && foldKey(tc.a) != foldKey(tc.b) {
			t.Errorf("%q and %q compare equal but have keys %q and %q", tc.a, tc.b, foldKey(tc.a), foldKey(tc.b))
		}
	}
	if foldKey("OC-C1") == foldKey("OC-C2") {
		t.Error("different numbers share a key")
	}
}
