package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"unicode/utf16"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/safetext"
)

func init() {
	for _, action := range []string{"install", "remove", "status"} {
		summary := map[string]string{
			"install": "run `export all` on this profile every 15 minutes (or --every) without the window: cron, a systemd user timer, Task Scheduler or a LaunchAgent",
			"remove":  "remove the scheduled export of this profile",
			"status":  "say whether the export of this profile is scheduled, and how its last scheduled run went",
		}[action]
		usage := "schedule " + action + " [--using cron|systemd|windows|macos]"
		if action == "install" {
			usage = "schedule install [--every 15m] [--using cron|systemd|windows|macos]"
		}
		register(&Command{Name: "schedule " + action, Usage: usage, Summary: summary,
			Run: func(ctx context.Context, env *Env, args []string) error { return runSchedule(ctx, env, action, args) }})
	}
}

// scheduleHost is what `schedule` works with on this computer; tests give
// their own (Env.schedule).
type scheduleHost struct {
	// Exe is the program the task runs; "" = this one.
	Exe string
	// Home is the user's home; "" = os.UserHomeDir.
	Home string
	// Run runs systemctl, schtasks or launchctl; nil = runProgram.
	Run cmdRunner
	// Cron is the cron table; nil = the user's (crontab -l / crontab -).
	Cron crontab
	// GOOS chooses the system's default scheduler; "" = runtime.GOOS.
	GOOS string
}

func runSchedule(ctx context.Context, env *Env, action string, args []string) error {
	fs := newFlags(commands["schedule "+action])
	every := fs.Duration("every", defaultEvery, "time between runs, e.g. 15m, 1h")
	using := fs.String("using", "", "cron, systemd, windows or macos (default: this computer's)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErrorf("schedule %s: unexpected %q", action, rest[0])
	}
	h := scheduleHost{}
	if env.schedule != nil {
		h = *env.schedule
	}
	if h.Run == nil {
		h.Run = runProgram
	}
	if h.Cron == nil {
		h.Cron = userCrontab{}
	}
	if h.GOOS == "" {
		h.GOOS = runtime.GOOS
	}
	system := *using
	switch system {
	case "":
		system = defaultScheduleSystem(h.GOOS, h.Run)
	case schedCron, schedSystemd, schedWindows, schedMacOS:
	default:
		return usageErrorf("schedule: --using %q: give cron, systemd, windows or macos", system)
	}
	if action == "install" {
		if err := checkEvery(system, *every); err != nil {
			return usageErrorf("schedule install: %v", err)
		}
	}
	p, err := env.Profile(ctx)
	if err != nil {
		return withExit(ExitCouldNotRun, err)
	}
	spec := scheduleSpec{Exe: h.Exe, Profile: p.Dir, Every: *every, Home: h.Home}
	if spec.Exe == "" {
		if spec.Exe, err = os.Executable(); err != nil {
			return err
		}
		if resolved, err := filepath.EvalSymlinks(spec.Exe); err == nil {
			spec.Exe = resolved
		}
	}
	if spec.Home == "" {
		if spec.Home, err = os.UserHomeDir(); err != nil {
			return err
		}
	}
	// A scheduled run looks for the secrets where this profile keeps them.
	if p.Secrets.Backend() == "file" {
		spec.Secrets = SecretsFile
	} else if system == schedCron && h.GOOS != "windows" && h.GOOS != "darwin" {
		// cron gives no session bus; the keychain (Secret Service) is on
		// the user's, which lives while the user is logged in.
		spec.Env = append([]string{"DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/" + strconv.Itoa(os.Getuid()) + "/bus"}, spec.Env...)
	}
	sc := &scheduler{system: system, spec: spec, run: h.Run, cron: h.Cron}
	switch action {
	case "install":
		what, err := sc.install()
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "Scheduled: "+safetext.TerminalLines(what))
		fmt.Fprintln(env.Stdout, "Each run is `export all` on "+safetext.Terminal(p.Dir)+"; see them with: opencart-xero history")
	case "remove":
		what, err := sc.remove()
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, safetext.Terminal(what)+".")
	case "status":
		installed, what, err := sc.status()
		if err != nil {
			return err
		}
		if installed {
			fmt.Fprintln(env.Stdout, "Scheduled with "+safetext.TerminalLines(what))
		} else {
			fmt.Fprintf(env.Stdout, "Not scheduled with %s (install with: opencart-xero schedule install).\n", system)
		}
		return printLastScheduledRun(ctx, env, p)
	}
	return nil
}

// printLastScheduledRun says how the last run of the scheduled task went.
func printLastScheduledRun(ctx context.Context, env *Env, p *Profile) error {
	runs, err := p.History.Runs(ctx, 500)
	if err != nil {
		return err
	}
	for _, r := range runs {
		if r.Trigger != export.TriggerScheduledTask {
			continue
		}
		fmt.Fprintf(env.Stdout, "Last scheduled run: %d at %s, %s: %d exported, %d failed", r.ID,
			r.StartedAt.Local().Format("2006-01-02 15:04"), r.State, r.Exported, r.Failed)
		if r.Error != "" {
			fmt.Fprint(env.Stdout, "; "+safetext.Terminal(r.Error))
		}
		fmt.Fprintln(env.Stdout)
		return nil
	}
	fmt.Fprintln(env.Stdout, "No scheduled run yet.")
	return nil
}

// utf16File is text as Windows tools want their UTF-16 files: little
// endian, with a byte order mark.
func utf16File(s string) []byte {
	u := utf16.Encode([]rune("\ufeff" + s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		b[2*i], b[2*i+1] = byte(c), byte(c>>8)
	}
	return b
}
