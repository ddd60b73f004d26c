package app

import "testing"

func TestNaturalCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"OC-9", "OC-10", -1},
		{"OC-10", "OC-9", 1},
		{"OC-10", "OC-10", 0},
		{"CN-OC-1", "OC-1", -1},
		{"INV", "INV-1", -1}, // the prefix "INV" before "INV-"
		{"", "OC-1", -1},
	} {
		if got := naturalCompare(tc.a, tc.b); got != tc.want {
			t.Errorf("naturalCompare(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
