package export

import "testing"

func TestCounted(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{{0, "0 documents"}, {1, "1 document"}, {2, "2 documents"}, {-1, "-1 documents"}}
	for _, tt := range tests {
		if got := Counted(tt.n, "document", "documents"); got != tt.want {
			t.Errorf("Counted(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
