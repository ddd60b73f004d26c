package app

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/NAME, or writes it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to write it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from what is generated:\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// scheduleSpecs are the tasks the golden files hold, per system: a plain
// profile, and one whose path has a space, a quote and a percent sign.
var scheduleSpecs = map[string][]scheduleSpec{
	schedCron: {
		{Exe: "/usr/local/bin/opencart-xero", Profile: "/home/anne/.config/opencart-xero", Every: 15 * time.Minute, Home: "/home/anne",
			Secrets: SecretsFile},
		{Exe: "/opt/opencart xero/opencart-xero", Profile: "/home/anne/Shop's 100% profile", Every: 2 * time.Hour, Home: "/home/anne",
			Env: []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus"}},
	},
	schedSystemd: {
		{Exe: "/usr/local/bin/opencart-xero", Profile: "/home/anne/.config/opencart-xero", Every: 15 * time.Minute, Home: "/home/anne"},
		{Exe: "/opt/opencart xero/opencart-xero", Profile: `/home/anne/Shop's "100%" profile`, Every: 90 * time.Minute, Home: "/home/anne",
			Secrets: SecretsFile},
	},
	schedWindows: {
		{Exe: `C:\Program Files\opencart-xero\opencart-xero.exe`, Profile: `C:\Users\anne\AppData\Roaming\opencart-xero`, Every: 15 * time.Minute, Home: `C:\Users\anne`},
		{Exe: `C:\Program Files\opencart-xero\opencart-xero.exe`, Profile: `C:\Users\Anne O'Neil\Shop "A&B"\`, Every: time.Hour, Home: `C:\Users\Anne O'Neil`, Secrets: SecretsFile},
	},
	schedMacOS: {
		{Exe: "/Applications/opencart-xero.app/Contents/MacOS/opencart-xero", Profile: "/Users/anne/Library/Application Support/opencart-xero", Every: 15 * time.Minute, Home: "/Users/anne"},
		{Exe: "/Applications/opencart-xero.app/Contents/MacOS/opencart-xero", Profile: "/Users/anne/Shops/A&B <test>", Every: 30 * time.Minute, Home: "/Users/anne",
			Secrets: SecretsFile},
	},
}

// TestScheduleFilesPerSystem: what `schedule install` writes on each
// system (all generated here, whatever this computer runs) equals the
// golden files in testdata/schedule, read and checked by a person.
func TestScheduleFilesPerSystem(t *testing.T) {
	for _, system := range []string{schedCron, schedSystemd, schedWindows, schedMacOS} {
		for i, s := range scheduleSpecs[system] {
			name := system + []string{"", "-awkward"}[i]
			t.Run(name, func(t *testing.T) {
				if err := checkEvery(system, s.Every); err != nil {
					t.Fatal(err)
				}
				if system == schedCron {
					golden(t, "schedule/"+name+".crontab", cronLine(s)+"\n")
					return
				}
				files, err := scheduleFiles(system, s)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range files {
					ext := filepath.Ext(f.Path)
					golden(t, "schedule/"+name+ext, f.Content)
				}
			})
		}
	}
}

// TestScheduleArgumentsSurviveQuoting: the awkward profile path reaches
// the program unchanged through sh (the cron line).
func TestScheduleArgumentsSurviveQuoting(t *testing.T) {
	s := scheduleSpecs[schedCron][1]
	s.Exe = "/usr/bin/printf"
	line := cronLine(s)
	cmd := strings.Join(strings.Fields(line)[5:], " ")
	// cron turns \% into %; sh does the rest.
	cmd = strings.ReplaceAll(cmd, `\%`, "%")
	out, err := exec.Command("sh", "-c", strings.Replace(cmd, "/usr/bin/printf", "/usr/bin/printf '%s\\n'", 1)).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := append([]string{}, s.args()...)
	if got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n"); !slices.Equal(got, want) {
		t.Fatalf("sh passed %q, want %q", got, want)
	}
}

// TestScheduleEvery: what each system can repeat at.
func TestScheduleEvery(t *testing.T) {
	for _, tc := range []struct {
		system string
		every  time.Duration
		ok     bool
	}{
		{schedCron, 15 * time.Minute, true},
		{schedCron, 45 * time.Minute, false},
		{schedCron, 6 * time.Hour, true},
		{schedCron, 5 * time.Hour, false},
		{schedSystemd, 45 * time.Minute, true},
		{schedWindows, 90 * time.Second, false},
		{schedMacOS, 0, false},
		{schedMacOS, 25 * time.Hour, false},
	} {
		if err := checkEvery(tc.system, tc.every); (err == nil) != tc.ok {
			t.Errorf("%s every %s: %v, want ok=%v", tc.system, tc.every, err, tc.ok)
		}
	}
}

// systemTools stands in for systemctl, schtasks and launchctl (absent on
// this computer): it notes each call and keeps whether the Windows task
// exists, so that install, remove and status can be run twice over.
type systemTools struct {
	calls []string
	tasks map[string]bool
}

func (s *systemTools) run(name string, args ...string) ([]byte, error) {
	s.calls = append(s.calls, name+" "+strings.Join(args, " "))
	if name == "schtasks" {
		switch args[0] {
		case "/Create":
			s.tasks[args[2]] = true
		case "/Delete":
			delete(s.tasks, args[2])
		case "/Query":
			if !s.tasks[args[2]] {
				return []byte("ERROR: The system cannot find the file specified."), &exec.ExitError{}
			}
			return []byte("TaskName " + args[2] + " Ready"), nil
		}
	}
	if name == "systemctl" && args[1] == "show-environment" {
		return nil, &exec.ExitError{}
	}
	return nil, nil
}

// TestScheduleInstallRemoveStatus: install, status and remove on each
// system through the command, each twice: the second install replaces the
// first (one task, the new interval), the second remove is no error.
func TestScheduleInstallRemoveStatus(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		system string
		goos   string
		files  []string // under the home directory
		// every15, every30: how the last file says 15 and 30 minutes.
		every15, every30 string
	}{
		{schedCron, "linux", nil, "", ""},
		{schedSystemd, "linux", []string{".config/systemd/user/*.service", ".config/systemd/user/*.timer"}, "OnUnitActiveSec=15min", "OnUnitActiveSec=30min"},
		{schedWindows, "windows", nil, "", ""},
		{schedMacOS, "darwin", []string{"Library/LaunchAgents/*.plist"}, "<integer>900</integer>", "<integer>1800</integer>"},
	} {
		t.Run(tc.system, func(t *testing.T) {
			home := t.TempDir()
			tools := &systemTools{tasks: map[string]bool{}}
			table := fileCrontab(filepath.Join(home, "crontab"))
			os.WriteFile(string(table), []byte("MAILTO=anne@example.com\n0 3 * * * /usr/bin/backup\n"), 0o600)
			host := &scheduleHost{Exe: "/usr/local/bin/opencart-xero", Home: home, Run: tools.run, Cron: table, GOOS: tc.goos}
			cmd := func(args ...string) string {
				t.Helper()
				var out, errOut bytes.Buffer
				env := &Env{Stdout: &out, Stderr: &errOut, Secrets: SecretsFile, schedule: host}
				if code := runMain(env, append([]string{"--profile", dir, "schedule"}, args...)); code != 0 {
					t.Fatalf("schedule %v: exit %d\n%s%s", args, code, out.String(), errOut.String())
				}
				return out.String()
			}
			// The system is the computer's own unless --using says.
			using := []string{}
			if tc.system == schedCron || tc.system == schedSystemd {
				using = []string{"--using", tc.system}
			}
			if out := cmd(append([]string{"status"}, using...)...); !strings.Contains(out, "Not scheduled") {
				t.Fatalf("status before install: %s", out)
			}
			cmd(append([]string{"install", "--every", "30m"}, using...)...)
			cmd(append([]string{"install"}, using...)...)
			out := cmd(append([]string{"status"}, using...)...)
			if !strings.Contains(out, "Scheduled with") || !strings.Contains(out, "No scheduled run yet.") {
				t.Fatalf("status after install: %s", out)
			}
			for _, pattern := range tc.files {
				matches, _ := filepath.Glob(filepath.Join(home, pattern))
				if len(matches) != 1 {
					t.Fatalf("%s: %d files after two installs, want 1", pattern, len(matches))
				}
				b, _ := os.ReadFile(matches[0])
				if !strings.Contains(string(b), dir) {
					t.Errorf("%s does not name the profile:\n%s", matches[0], b)
				}
				if pattern == tc.files[len(tc.files)-1] && (strings.Contains(string(b), tc.every30) || !strings.Contains(string(b), tc.every15)) {
					t.Errorf("%s does not hold the second install's interval:\n%s", matches[0], b)
				}
			}
			if tc.system == schedCron {
				b, _ := os.ReadFile(string(table))
				if strings.Count(string(b), "opencart-xero schedule") != 1 || !strings.Contains(string(b), "*/15 * * * *") ||
					!strings.HasPrefix(string(b), "MAILTO=anne@example.com\n0 3 * * * /usr/bin/backup\n") {
					t.Errorf("crontab after two installs:\n%s", b)
				}
			}
			if tc.system == schedWindows && len(tools.tasks) != 1 {
				t.Errorf("%d Task Scheduler tasks, want 1", len(tools.tasks))
			}
			cmd(append([]string{"remove"}, using...)...)
			if out := cmd(append([]string{"remove"}, using...)...); !strings.Contains(out, "no ") {
				t.Errorf("second remove: %s", out)
			}
			if out := cmd(append([]string{"status"}, using...)...); !strings.Contains(out, "Not scheduled") {
				t.Fatalf("status after remove: %s", out)
			}
			for _, pattern := range tc.files {
				if matches, _ := filepath.Glob(filepath.Join(home, pattern)); len(matches) != 0 {
					t.Errorf("left after remove: %v", matches)
				}
			}
			if tc.system == schedCron {
				if b, _ := os.ReadFile(string(table)); string(b) != "MAILTO=anne@example.com\n0 3 * * * /usr/bin/backup\n" {
					t.Errorf("crontab after remove:\n%s", b)
				}
			}
			if len(tools.tasks) != 0 {
				t.Errorf("Task Scheduler tasks left: %v", tools.tasks)
			}
			t.Logf("system tools called: %q", tools.calls)
		})
	}
}

// TestScheduledCronLineExports installs the cron line into a crontab file,
// runs its command with sh as cron would (no systemd here), against the
// Xero sandbox and a throw-away shop: it exports, records a run of the
// scheduled task, prints nothing, and `schedule status` reports it.
func TestScheduledCronLineExports(t *testing.T) {
	bin := buildCLI(t)
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, TimeScale: 0.001})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	simpleOrders(db, 7101, 4)
	dir := connectedProfile(t, s, db)
	for _, args := range [][]string{{"config", "set", "invoice.status", "AUTHORISED"}, {"config", "propose"}} {
		if code, out, errOut := run(t, dir, args...); code != 0 {
			t.Fatal(out, errOut)
		}
	}
	table := fileCrontab(filepath.Join(t.TempDir(), "crontab"))
	host := &scheduleHost{Exe: bin, Home: t.TempDir(), Cron: table, GOOS: "linux"}
	schedule := func(args ...string) string {
		var out, errOut bytes.Buffer
		env := &Env{Stdout: &out, Stderr: &errOut, Secrets: SecretsFile, schedule: host}
		if code := runMain(env, append([]string{"--profile", dir, "schedule"}, args...)); code != 0 {
			t.Fatalf("schedule %v: exit %d\n%s%s", args, code, out.String(), errOut.String())
		}
		return out.String()
	}
	schedule("install", "--using", "cron", "--every", "5m")
	b, err := os.ReadFile(string(table))
	if err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSpace(string(b))
	fields := strings.Fields(line)
	if strings.Join(fields[:5], " ") != "*/5 * * * *" {
		t.Fatalf("cron line: %s", line)
	}
	// What cron hands to sh: the rest of the line, \% turned into %.
	command := strings.ReplaceAll(strings.SplitN(line, " ", 6)[5], `\%`, "%")
	sh := exec.Command("sh", "-c", command)
	sh.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + host.Home, "LANG=C.UTF-8"} // cron's sparse environment
	out, err := sh.CombinedOutput()
	if err != nil || len(out) != 0 {
		t.Fatalf("the cron command: %v, printed %q\n%s", err, out, command)
	}
	p, err := OpenProfile(context.Background(), dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	runs, err := p.History.Runs(context.Background(), 10)
	p.Close()
	if err != nil || len(runs) != 1 || runs[0].Trigger != export.TriggerScheduledTask || runs[0].State != "done" || runs[0].Exported < 4 {
		t.Fatalf("runs after the cron command: %+v %v", runs, err)
	}
	if n := len(s.Invoices(xerotest.DefaultTenantID)); n != 4 {
		t.Fatalf("%d invoices in Xero, want 4", n)
	}
	if status := schedule("status", "--using", "cron"); !strings.Contains(status, "Last scheduled run: 1") || !strings.Contains(status, "done") {
		t.Fatalf("status: %s", status)
	}
}
