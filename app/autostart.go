package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// The window can start when the person logs in, minimised to the tray, so
// that its automatic export runs all day: an autostart entry on Linux
// (the XDG Autostart specification: ~/.config/autostart/*.desktop), a value
// under the Run key on Windows, a LaunchAgent run at load on macOS.

// runKey is the Windows registry key whose values start at login.
const runKey = `HKCU\Software\Microsoft\Windows\CurrentVersion\Run`

// loginArgs is the window's command line at login, without the program.
func (s scheduleSpec) loginArgs() []string {
	a := []string{"--profile", s.Profile}
	if s.Secrets != SecretsAuto {
		a = append(a, "--secrets", string(s.Secrets))
	}
	return append(a, "--minimised")
}

// loginName names the login entry after the profile.
func (s scheduleSpec) loginName() string { return "opencart-xero-" + s.id() }

// desktopExecArg quotes one argument of a desktop entry's Exec key (Desktop
// Entry Specification, "The Exec key"): in double quotes, with ", `, $ and
// \ escaped by a backslash, % doubled; then the string value's own escape
// doubles every backslash once more.
func desktopExecArg(a string) string {
	if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@+,=") == "" {
		return a
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range a {
		switch r {
		case '"', '`', '$':
			b.WriteString(`\\`) // \ of the quoting, doubled by the string escape
			b.WriteRune(r)
		case '\\':
			b.WriteString(`\\\\`)
		case '%':
			b.WriteString("%%")
		case '\n', '\r', '\t':
			b.WriteByte(' ') // a path with a line break cannot be written; never the case for a profile
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// desktopValue is a desktop entry string value: backslash escapes, one line.
func desktopValue(v string) string {
	r := strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\r", `\r`, "\t", `\t`)
	return r.Replace(v)
}

// autostartDesktop is the Linux autostart entry.
func autostartDesktop(s scheduleSpec) string {
	exec := []string{desktopExecArg(s.Exe)}
	for _, a := range s.loginArgs() {
		exec = append(exec, desktopExecArg(a))
	}
	return "[Desktop Entry]\nType=Application\nName=OpenCart → Xero\n" +
		"Comment=" + desktopValue("Exports the shop to Xero in the background (profile "+s.Profile+")") + "\n" +
		"Exec=" + strings.Join(exec, " ") + "\n" +
		"Terminal=false\nX-GNOME-Autostart-enabled=true\n"
}

// windowsRunValue is the command line the Run key holds.
func windowsRunValue(s scheduleSpec) string {
	parts := []string{windowsArg(s.Exe)}
	if !strings.HasPrefix(parts[0], `"`) {
		parts[0] = `"` + parts[0] + `"` // a program path is always quoted
	}
	for _, a := range s.loginArgs() {
		parts = append(parts, windowsArg(a))
	}
	return strings.Join(parts, " ")
}

// loginAgent is the macOS LaunchAgent that opens the window at login.
func loginAgent(s scheduleSpec) string {
	return plist(loginLabel(s), append([]string{s.Exe}, s.loginArgs()...), nil,
		"  <key>RunAtLoad</key>\n  <true/>\n  <key>ProcessType</key>\n  <string>Interactive</string>\n")
}

// loginLabel is the login LaunchAgent's label.
func loginLabel(s scheduleSpec) string { return AppID + ".login." + s.id() }

// loginPath is the file of the login entry on Linux and macOS ("" on
// Windows, where it is a registry value).
func loginPath(system string, s scheduleSpec) string {
	switch system {
	case schedMacOS:
		return filepath.Join(s.Home, "Library", "LaunchAgents", loginLabel(s)+".plist")
	case schedWindows:
		return ""
	}
	return filepath.Join(s.Home, ".config", "autostart", s.loginName()+".desktop")
}

// loginSystem is the kind of login entry for an operating system.
func loginSystem(goos string) string {
	switch goos {
	case "windows":
		return schedWindows
	case "darwin":
		return schedMacOS
	}
	return "xdg"
}

// setStartAtLogin writes (on) or removes (off) the login entry; both are
// idempotent.
func setStartAtLogin(system string, s scheduleSpec, run cmdRunner, on bool) error {
	if system == schedWindows {
		if on {
			_, err := run("reg", "add", runKey, "/v", s.loginName(), "/t", "REG_SZ", "/d", windowsRunValue(s), "/f")
			return err
		}
		if _, err := run("reg", "query", runKey, "/v", s.loginName()); err != nil {
			return nil // not there
		}
		_, err := run("reg", "delete", runKey, "/v", s.loginName(), "/f")
		return err
	}
	path := loginPath(system, s)
	if !on {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("start at login: %w", err)
		}
		return nil
	}
	content := autostartDesktop(s)
	if system == schedMacOS {
		content = loginAgent(s)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	return nil
}

// startsAtLogin reports whether the login entry is there.
func startsAtLogin(system string, s scheduleSpec, run cmdRunner) bool {
	if system == schedWindows {
		_, err := run("reg", "query", runKey, "/v", s.loginName())
		return err == nil
	}
	_, err := os.Stat(loginPath(system, s))
	return err == nil
}

// loginEntry is the start-at-login entry of a profile's window, as the
// tray menu turns it on and off (views.LoginStarter).
type loginEntry struct {
	system string
	spec   scheduleSpec
	run    cmdRunner
}

// newLoginEntry is the entry for profile p on this computer (host nil) or
// the one a test gives.
func newLoginEntry(p *Profile, host *scheduleHost) (*loginEntry, error) {
	h := scheduleHost{}
	if host != nil {
		h = *host
	}
	if h.Run == nil {
		h.Run = runProgram
	}
	if h.GOOS == "" {
		h.GOOS = runtime.GOOS
	}
	spec := scheduleSpec{Exe: h.Exe, Profile: p.Dir, Home: h.Home}
	var err error
	if spec.Exe == "" {
		if spec.Exe, err = os.Executable(); err != nil {
			return nil, err
		}
		if resolved, err := filepath.EvalSymlinks(spec.Exe); err == nil {
			spec.Exe = resolved
		}
	}
	if spec.Home == "" {
		if spec.Home, err = os.UserHomeDir(); err != nil {
			return nil, err
		}
	}
	if p.Secrets.Backend() == "file" {
		spec.Secrets = SecretsFile
	}
	return &loginEntry{system: loginSystem(h.GOOS), spec: spec, run: h.Run}, nil
}

func (l *loginEntry) StartsAtLogin() bool { return startsAtLogin(l.system, l.spec, l.run) }

func (l *loginEntry) SetStartAtLogin(on bool) error {
	return setStartAtLogin(l.system, l.spec, l.run, on)
}
