package app

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestStartAtLoginFiles: the entries that start the window at login, per
// system, equal the golden files in testdata/login.
func TestStartAtLoginFiles(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec scheduleSpec
		gen  func(scheduleSpec) string
	}{
		{"linux.desktop", scheduleSpecs[schedSystemd][0], autostartDesktop},
		{"linux-awkward.desktop", scheduleSpec{Exe: `/opt/open cart/opencart-xero`, Profile: `/home/anne/Shop's "100%" $HOME \ profile`, Secrets: SecretsFile}, autostartDesktop},
		{"windows-run.txt", scheduleSpecs[schedWindows][0], func(s scheduleSpec) string { return windowsRunValue(s) + "\n" }},
		{"windows-run-awkward.txt", scheduleSpecs[schedWindows][1], func(s scheduleSpec) string { return windowsRunValue(s) + "\n" }},
		{"macos.plist", scheduleSpecs[schedMacOS][1], loginAgent},
	} {
		t.Run(tc.name, func(t *testing.T) { golden(t, "login/"+tc.name, tc.gen(tc.spec)) })
	}
}

// registry stands in for reg.exe's Run key (absent here).
type registry map[string]string

func (r registry) run(name string, args ...string) ([]byte, error) {
	if name != "reg" || args[1] != runKey {
		return nil, &exec.ExitError{}
	}
	switch args[0] {
	case "add":
		r[args[3]] = args[7]
	case "delete":
		delete(r, args[3])
	case "query":
		if _, ok := r[args[3]]; !ok {
			return nil, &exec.ExitError{}
		}
	}
	return nil, nil
}

// TestStartAtLoginOnOff: turning it on twice leaves one entry, off twice
// leaves none, on each system.
func TestStartAtLoginOnOff(t *testing.T) {
	for _, goos := range []string{"linux", "windows", "darwin"} {
		t.Run(goos, func(t *testing.T) {
			home := t.TempDir()
			reg := registry{}
			p := &Profile{Dir: "/home/anne/profile", Secrets: &Secrets{file: true}}
			l, err := newLoginEntry(p, &scheduleHost{Exe: "/usr/bin/opencart-xero", Home: home, GOOS: goos, Run: reg.run})
			if err != nil {
				t.Fatal(err)
			}
			count := func() int {
				files, _ := filepath.Glob(filepath.Join(home, "*", "*", "*"))
				return len(files) + len(reg)
			}
			if l.StartsAtLogin() || count() != 0 {
				t.Fatal("on before turned on")
			}
			for range 2 {
				if err := l.SetStartAtLogin(true); err != nil {
					t.Fatal(err)
				}
			}
			if !l.StartsAtLogin() || count() != 1 {
				t.Fatalf("after on: %d entries", count())
			}
			if goos == "windows" {
				if v := reg[l.spec.loginName()]; !strings.Contains(v, "--secrets file --minimised") {
					t.Errorf("Run value %q", v)
				}
			}
			for range 2 {
				if err := l.SetStartAtLogin(false); err != nil {
					t.Fatal(err)
				}
			}
			if l.StartsAtLogin() || count() != 0 {
				t.Fatalf("after off: %d entries", count())
			}
		})
	}
}

// TestDesktopExecRoundTrip: the awkward profile path comes back whole
// when the Exec line is unescaped as the Desktop Entry Specification says
// (string escapes, then quoting) and split by sh, which quotes the same way.
func TestDesktopExecRoundTrip(t *testing.T) {
	profile := `/home/anne/Shop's "100%" $HOME \ profile`
	line := desktopExecArg(profile)
	// The string value's escapes: \\ → \.
	v := strings.ReplaceAll(line, `\\`, `\`)
	// Field codes: %% → %.
	v = strings.ReplaceAll(v, "%%", "%")
	out, err := exec.Command("sh", "-c", "printf '%s' "+v).Output()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != profile {
		t.Fatalf("came back as %q, want %q", out, profile)
	}
}
