package app

import "testing"

func TestTrayAvailableOn(t *testing.T) {
	tests := []struct {
		name string
		goos string
		bus  string
		uid  int
		want bool
	}{
		{"windows", "windows", "", 1000, true},
		{"macOS", "darwin", "", 501, true},
		{"Linux with a session bus", "linux", "unix:path=/run/user/1000/bus", 1000, true},
		{"Linux without a bus (a bare X session, a CI runner)", "linux", "", -1, false},
		{"Linux, no variable, no user bus socket", "linux", "", 999999, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := trayAvailableOn(tt.goos, tt.bus, tt.uid); got != tt.want {
				t.Errorf("trayAvailableOn(%q, %q, %d) = %v, want %v", tt.goos, tt.bus, tt.uid, got, tt.want)
			}
		})
	}
}
