package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The systems `schedule install` writes a task for.
const (
	schedCron    = "cron"    // a crontab line (Linux, other Unix without a systemd user session)
	schedSystemd = "systemd" // a systemd user timer and service (Linux)
	schedWindows = "windows" // a Task Scheduler task (schtasks /XML)
	schedMacOS   = "macos"   // a LaunchAgent (launchctl)
)

// scheduleSpec is what a scheduled task runs: the program on a profile,
// every Every.
type scheduleSpec struct {
	// Exe is the program's absolute path.
	Exe string
	// Profile is the profile directory's absolute path.
	Profile string
	// Every is the time between runs.
	Every time.Duration
	// Secrets is where the profile keeps its secrets, passed as --secrets
	// (no system's task needs an environment variable for it).
	Secrets SecretsStore
	// Env is the environment the run needs beyond the system's (cron: the
	// session bus of the keychain).
	Env []string
	// Home is the user's home directory (systemd units, LaunchAgents).
	Home string
}

// defaultEvery is the time between scheduled runs unless --every says.
const defaultEvery = 15 * time.Minute

// args is the command line the task runs, without the program.
func (s scheduleSpec) args() []string {
	a := []string{"--profile", s.Profile}
	if s.Secrets != SecretsAuto {
		a = append(a, "--secrets", string(s.Secrets))
	}
	return append(a, "export", "all", "--scheduled", "--quiet")
}

// id names the task after the profile, so that two profiles get two tasks
// and installing again replaces the profile's own.
func (s scheduleSpec) id() string {
	sum := sha256.Sum256([]byte(s.Profile))
	return hex.EncodeToString(sum[:4])
}

// name is the task's name: the unit, the Task Scheduler task, the label.
func (s scheduleSpec) name() string { return "opencart-xero-export-" + s.id() }

// cronMarker ends the crontab line of the profile's task.
func (s scheduleSpec) cronMarker() string { return "# opencart-xero schedule " + s.id() }

// checkEvery says whether the system can run a task every d.
func checkEvery(system string, d time.Duration) error {
	if d < time.Minute || d%time.Minute != 0 || d > 24*time.Hour {
		return fmt.Errorf("--every %s: give whole minutes, from 1m to 24h", d)
	}
	if system == schedCron {
		m := int(d / time.Minute)
		if !(m < 60 && 60%m == 0) && !(m%60 == 0 && 24%(m/60) == 0) {
			return fmt.Errorf("--every %s: cron runs a task at fixed minutes of the hour, so give minutes that divide an hour (5m, 10m, 15m, 20m, 30m) or hours that divide a day (1h, 2h, 3h, 4h, 6h, 8h, 12h, 24h)", d)
		}
	}
	return nil
}

// shellQuote quotes s for sh: in single quotes, each quote in s closing,
// escaping and reopening them.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:@+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// cronLine is the profile's crontab line.
func cronLine(s scheduleSpec) string {
	m := int(s.Every / time.Minute)
	when := fmt.Sprintf("*/%d * * * *", m)
	switch {
	case m == 1:
		when = "* * * * *"
	case m == 60:
		when = "0 * * * *"
	case m == 24*60:
		when = "0 0 * * *"
	case m > 60:
		when = fmt.Sprintf("0 */%d * * *", m/60)
	}
	var cmd []string
	cmd = append(cmd, s.Env...)
	cmd = append(cmd, shellQuote(s.Exe))
	for _, a := range s.args() {
		cmd = append(cmd, shellQuote(a))
	}
	// cron takes % as a line break: escaped.
	line := strings.ReplaceAll(strings.Join(cmd, " "), "%", `\%`)
	return when + " " + line + " " + s.cronMarker()
}

// systemdQuote quotes an argument of ExecStart (systemd.service(5),
// "Command lines"): in double quotes, with \ and " escaped and % doubled
// (the specifier character).
func systemdQuote(a string) string {
	a = strings.ReplaceAll(a, `\`, `\\`)
	a = strings.ReplaceAll(a, `"`, `\"`)
	a = strings.ReplaceAll(a, "%", "%%")
	return `"` + a + `"`
}

// systemdUnits are the service and the timer of the profile's task.
func systemdUnits(s scheduleSpec) (service, timer string) {
	var b strings.Builder
	b.WriteString("[Unit]\nDescription=opencart-xero: export the shop to Xero (profile " + strings.ReplaceAll(s.Profile, "%", "%%") + ")\n\n[Service]\nType=oneshot\n")
	for _, e := range s.Env {
		b.WriteString("Environment=" + systemdQuote(e) + "\n")
	}
	b.WriteString("ExecStart=" + systemdQuote(s.Exe))
	for _, a := range s.args() {
		b.WriteString(" " + systemdQuote(a))
	}
	// Exit statuses 1 (records failed) and 3 (cancelled, day limit) are
	// outcomes of a run, told in the history and the window; only 2
	// (could not run) marks the unit failed.
	b.WriteString("\nSuccessExitStatus=1 3\n")
	service = b.String()
	m := int(s.Every / time.Minute)
	timer = fmt.Sprintf("[Unit]\nDescription=opencart-xero: export every %d minutes (profile %s)\n\n[Timer]\nOnBootSec=2min\nOnUnitActiveSec=%dmin\nUnit=%s.service\n\n[Install]\nWantedBy=timers.target\n",
		m, strings.ReplaceAll(s.Profile, "%", "%%"), m, s.name())
	return service, timer
}

// windowsTask is the Task Scheduler XML of the profile's task
// (the Task Scheduler schema, version 1.2).
func windowsTask(s scheduleSpec) (string, error) {
	type exec struct {
		Command   string `xml:"Command"`
		Arguments string `xml:"Arguments"`
	}
	var args []string
	for _, a := range s.args() {
		args = append(args, windowsArg(a))
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-16"?>` + "\n")
	b.WriteString(`<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">` + "\n")
	b.WriteString("  <RegistrationInfo>\n    <Description>opencart-xero: export the shop to Xero</Description>\n  </RegistrationInfo>\n")
	b.WriteString("  <Triggers>\n    <TimeTrigger>\n      <Repetition>\n")
	fmt.Fprintf(&b, "        <Interval>PT%dM</Interval>\n", int(s.Every/time.Minute))
	b.WriteString("        <StopAtDurationEnd>false</StopAtDurationEnd>\n      </Repetition>\n")
	b.WriteString("      <StartBoundary>2000-01-01T00:00:00</StartBoundary>\n      <Enabled>true</Enabled>\n    </TimeTrigger>\n  </Triggers>\n")
	b.WriteString("  <Principals>\n    <Principal id=\"Author\">\n      <LogonType>InteractiveToken</LogonType>\n      <RunLevel>LeastPrivilege</RunLevel>\n    </Principal>\n  </Principals>\n")
	b.WriteString("  <Settings>\n    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>\n    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>\n")
	b.WriteString("    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>\n    <StartWhenAvailable>true</StartWhenAvailable>\n")
	b.WriteString("    <ExecutionTimeLimit>PT2H</ExecutionTimeLimit>\n    <Enabled>true</Enabled>\n  </Settings>\n")
	b.WriteString("  <Actions Context=\"Author\">\n")
	out, err := xml.MarshalIndent(struct {
		XMLName xml.Name `xml:"Exec"`
		exec
	}{exec: exec{Command: s.Exe, Arguments: strings.Join(args, " ")}}, "    ", "  ")
	if err != nil {
		return "", err
	}
	b.Write(out)
	b.WriteString("\n  </Actions>\n</Task>\n")
	return b.String(), nil
}

// windowsArg quotes an argument the way Windows programs split their
// command line (CommandLineToArgvW): in double quotes when it has a space
// or a quote, with backslashes before a quote doubled.
func windowsArg(a string) string {
	if a != "" && !strings.ContainsAny(a, " \t\"") {
		return a
	}
	var b strings.Builder
	b.WriteByte('"')
	slashes := 0
	for _, r := range a {
		switch r {
		case '\\':
			slashes++
			continue
		case '"':
			b.WriteString(strings.Repeat(`\`, 2*slashes+1))
		default:
			b.WriteString(strings.Repeat(`\`, slashes))
		}
		slashes = 0
		b.WriteRune(r)
	}
	b.WriteString(strings.Repeat(`\`, 2*slashes))
	b.WriteByte('"')
	return b.String()
}

// launchAgent is the LaunchAgent property list of the profile's task
// (launchd.plist(5)).
func launchAgent(s scheduleSpec) string {
	return plist(launchLabel(s), append([]string{s.Exe}, s.args()...), s.Env,
		fmt.Sprintf("  <key>StartInterval</key>\n  <integer>%d</integer>\n", int(s.Every/time.Second))+
			"  <key>RunAtLoad</key>\n  <false/>\n  <key>ProcessType</key>\n  <string>Background</string>\n")
}

// plist is a LaunchAgent property list: its label, program arguments,
// environment and the keys saying when it runs.
func plist(label string, args, env []string, when string) string {
	esc := xmlText
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n")
	b.WriteString("<plist version=\"1.0\">\n<dict>\n")
	b.WriteString("  <key>Label</key>\n  <string>" + esc(label) + "</string>\n")
	b.WriteString("  <key>ProgramArguments</key>\n  <array>\n")
	for _, a := range args {
		b.WriteString("    <string>" + esc(a) + "</string>\n")
	}
	b.WriteString("  </array>\n")
	if len(env) > 0 {
		b.WriteString("  <key>EnvironmentVariables</key>\n  <dict>\n")
		for _, e := range env {
			k, v, _ := strings.Cut(e, "=")
			b.WriteString("    <key>" + esc(k) + "</key>\n    <string>" + esc(v) + "</string>\n")
		}
		b.WriteString("  </dict>\n")
	}
	b.WriteString(when)
	b.WriteString("</dict>\n</plist>\n")
	return b.String()
}

// xmlText escapes v for XML text.
func xmlText(v string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(v))
	return b.String()
}

// launchLabel is the LaunchAgent's label (reverse-DNS, after the app id).
func launchLabel(s scheduleSpec) string { return AppID + ".export." + s.id() }

// scheduleFile is a file a system's task is made of.
type scheduleFile struct {
	Path, Content string
}

// scheduleFiles are the files the task consists of on system (none for
// cron, whose table is not a file of ours).
func scheduleFiles(system string, s scheduleSpec) ([]scheduleFile, error) {
	switch system {
	case schedSystemd:
		service, timer := systemdUnits(s)
		dir := filepath.Join(s.Home, ".config", "systemd", "user")
		return []scheduleFile{{filepath.Join(dir, s.name()+".service"), service}, {filepath.Join(dir, s.name()+".timer"), timer}}, nil
	case schedMacOS:
		return []scheduleFile{{filepath.Join(s.Home, "Library", "LaunchAgents", launchLabel(s)+".plist"), launchAgent(s)}}, nil
	case schedWindows:
		x, err := windowsTask(s)
		if err != nil {
			return nil, err
		}
		// Handed to schtasks /XML, then removed.
		return []scheduleFile{{filepath.Join(os.TempDir(), s.name()+".xml"), x}}, nil
	}
	return nil, nil
}

// defaultScheduleSystem is the system `schedule` uses here unless --using
// says: Task Scheduler, launchd, a systemd user session when one answers,
// else cron.
func defaultScheduleSystem(goos string, run cmdRunner) string {
	switch goos {
	case "windows":
		return schedWindows
	case "darwin":
		return schedMacOS
	}
	if _, err := run("systemctl", "--user", "show-environment"); err == nil {
		return schedSystemd
	}
	return schedCron
}

// cmdRunner runs a program and returns its combined output.
type cmdRunner func(name string, args ...string) ([]byte, error)

// runProgram is the cmdRunner of the real system.
func runProgram(name string, args ...string) ([]byte, error) {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		msg := strings.TrimSpace(string(out))
		if msg != "" {
			err = fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, msg)
		} else {
			err = fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
		}
	}
	return out, err
}

// crontab is a user's cron table.
type crontab interface {
	Read() (string, error)
	Write(string) error
}

// userCrontab is the table `crontab -l` shows and `crontab -` replaces.
type userCrontab struct{}

func (userCrontab) Read() (string, error) {
	cmd := exec.Command("crontab", "-l")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		// "no crontab for user": an empty table.
		if errors.As(err, &ee) && strings.Contains(stderr.String(), "no crontab") {
			return "", nil
		}
		return "", fmt.Errorf("crontab -l: %w %s", err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

func (userCrontab) Write(table string) error {
	cmd := exec.Command("crontab", "-")
	cmd.Stdin = strings.NewReader(table)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("crontab -: %w %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// fileCrontab is a cron table kept in a file (for /etc/cron.d-like use and
// tests): the same lines as the user's table.
type fileCrontab string

func (f fileCrontab) Read() (string, error) {
	b, err := os.ReadFile(string(f))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	return string(b), err
}

func (f fileCrontab) Write(table string) error {
	return os.WriteFile(string(f), []byte(table), 0o600)
}

// withCronLine returns table with the profile's line replaced by line (or
// removed when line is ""), the other lines kept as they are.
func withCronLine(table string, s scheduleSpec, line string) string {
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(table, "\n"), "\n") {
		if l == "" && len(out) == 0 {
			continue
		}
		if strings.HasSuffix(l, s.cronMarker()) {
			continue
		}
		out = append(out, l)
	}
	if line != "" {
		out = append(out, line)
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "\n") + "\n"
}

// cronLineOf finds the profile's line in table.
func cronLineOf(table string, s scheduleSpec) string {
	for _, l := range strings.Split(table, "\n") {
		if strings.HasSuffix(l, s.cronMarker()) {
			return l
		}
	}
	return ""
}

// scheduler installs, removes and reports the profile's task on a system.
type scheduler struct {
	system string
	spec   scheduleSpec
	run    cmdRunner
	cron   crontab
}

// install writes the task (replacing the profile's own, if any) and turns
// it on. It says what it did.
func (sc *scheduler) install() (string, error) {
	s := sc.spec
	if err := checkEvery(sc.system, s.Every); err != nil {
		return "", err
	}
	files, err := scheduleFiles(sc.system, s)
	if err != nil {
		return "", err
	}
	for _, f := range files {
		if err := os.MkdirAll(filepath.Dir(f.Path), 0o700); err != nil {
			return "", err
		}
		content := []byte(f.Content)
		if sc.system == schedWindows {
			content = utf16File(f.Content) // as the XML says: schtasks reads UTF-16
		}
		if err := os.WriteFile(f.Path, content, 0o600); err != nil {
			return "", err
		}
	}
	switch sc.system {
	case schedCron:
		table, err := sc.cron.Read()
		if err != nil {
			return "", err
		}
		line := cronLine(s)
		if err := sc.cron.Write(withCronLine(table, s, line)); err != nil {
			return "", err
		}
		return "cron runs, every " + s.Every.String() + ":\n  " + line, nil
	case schedSystemd:
		if _, err := sc.run("systemctl", "--user", "daemon-reload"); err != nil {
			return "", err
		}
		if _, err := sc.run("systemctl", "--user", "enable", "--now", s.name()+".timer"); err != nil {
			return "", err
		}
		return fmt.Sprintf("the systemd user timer %s.timer runs %s every %s", s.name(), files[0].Path, s.Every), nil
	case schedWindows:
		defer os.Remove(files[0].Path)
		if _, err := sc.run("schtasks", "/Create", "/TN", s.name(), "/XML", files[0].Path, "/F"); err != nil {
			return "", err
		}
		return fmt.Sprintf("the Task Scheduler task %s runs every %s", s.name(), s.Every), nil
	case schedMacOS:
		// Loaded again, so that a changed interval applies.
		sc.run("launchctl", "bootout", "gui/"+strconv.Itoa(os.Getuid()), files[0].Path)
		if _, err := sc.run("launchctl", "bootstrap", "gui/"+strconv.Itoa(os.Getuid()), files[0].Path); err != nil {
			return "", err
		}
		return fmt.Sprintf("the LaunchAgent %s runs every %s", files[0].Path, s.Every), nil
	}
	return "", fmt.Errorf("unknown scheduler %q", sc.system)
}

// remove turns the task off and deletes it; no task is no error.
func (sc *scheduler) remove() (string, error) {
	s := sc.spec
	switch sc.system {
	case schedCron:
		table, err := sc.cron.Read()
		if err != nil {
			return "", err
		}
		if cronLineOf(table, s) == "" {
			return "no cron line of this profile was installed", nil
		}
		return "the cron line is removed", sc.cron.Write(withCronLine(table, s, ""))
	case schedSystemd:
		files, _ := scheduleFiles(sc.system, s)
		if _, err := os.Stat(files[1].Path); errors.Is(err, os.ErrNotExist) {
			return "no systemd timer of this profile was installed", nil
		}
		if _, err := sc.run("systemctl", "--user", "disable", "--now", s.name()+".timer"); err != nil {
			return "", err
		}
		for _, f := range files {
			if err := os.Remove(f.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
				return "", err
			}
		}
		_, err := sc.run("systemctl", "--user", "daemon-reload")
		return "the systemd timer is removed", err
	case schedWindows:
		if _, err := sc.run("schtasks", "/Query", "/TN", s.name()); err != nil {
			return "no Task Scheduler task of this profile was installed", nil
		}
		if _, err := sc.run("schtasks", "/Delete", "/TN", s.name(), "/F"); err != nil {
			return "", err
		}
		return "the Task Scheduler task is removed", nil
	case schedMacOS:
		files, _ := scheduleFiles(sc.system, s)
		if _, err := os.Stat(files[0].Path); errors.Is(err, os.ErrNotExist) {
			return "no LaunchAgent of this profile was installed", nil
		}
		sc.run("launchctl", "bootout", "gui/"+strconv.Itoa(os.Getuid()), files[0].Path)
		if err := os.Remove(files[0].Path); err != nil {
			return "", err
		}
		return "the LaunchAgent is removed", nil
	}
	return "", fmt.Errorf("unknown scheduler %q", sc.system)
}

// status says whether the task is installed and how.
func (sc *scheduler) status() (installed bool, what string, err error) {
	s := sc.spec
	switch sc.system {
	case schedCron:
		table, err := sc.cron.Read()
		if err != nil {
			return false, "", err
		}
		if l := cronLineOf(table, s); l != "" {
			return true, "cron: " + l, nil
		}
	case schedSystemd, schedMacOS:
		files, _ := scheduleFiles(sc.system, s)
		last := files[len(files)-1].Path
		if b, err := os.ReadFile(last); err == nil {
			if sc.system == schedSystemd {
				out, _ := sc.run("systemctl", "--user", "is-active", s.name()+".timer")
				return true, fmt.Sprintf("systemd: %s (%s)\n%s", last, strings.TrimSpace(string(out)), strings.TrimSpace(string(b))), nil
			}
			return true, "launchd: " + last, nil
		}
	case schedWindows:
		if out, err := sc.run("schtasks", "/Query", "/TN", s.name()); err == nil {
			return true, "Task Scheduler: " + strings.TrimSpace(string(out)), nil
		}
	default:
		return false, "", fmt.Errorf("unknown scheduler %q", sc.system)
	}
	return false, "", nil
}
