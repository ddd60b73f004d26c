package app

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// gate stops a run at its first progress (an event, or the first line the
// command prints) with the profile's export lock held, until opened.
type gate struct {
	once            sync.Once
	started, resume chan struct{}
}

func newGate() *gate { return &gate{started: make(chan struct{}), resume: make(chan struct{})} }

func (g *gate) stop() { g.once.Do(func() { close(g.started); <-g.resume }) }

func (g *gate) Report(export.Event) { g.stop() }

func (g *gate) Write(p []byte) (int, error) { g.stop(); return len(p), nil }

// runner is one of the ways an export starts on a profile.
type runner struct {
	name string
	// from is how a refused run names this one ("from the command line").
	from string
	// start begins a run that stops with the lock held; release lets it
	// finish and checks it ended well.
	start func(t *testing.T) (release func())
	// try runs to the end and returns its error (nil = it ran).
	try func(t *testing.T) error
	// waits: this one waits for a running export to finish (the scheduled
	// task) instead of giving up after 2 s.
	waits bool
}

// TestOneLockForEveryRun: the window (a person's export, the automatic
// export every N minutes), the command line and the scheduled task all take
// the profile's one export lock. For every pair, while the first runs the
// second is refused, naming the first and when it started, and nothing of
// it is recorded; once the first is done the second runs. The scheduled
// task instead waits for the first and then runs.
func TestOneLockForEveryRun(t *testing.T) {
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, TimeScale: 0.001})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	bulkOrders(db, 3)
	ctx := context.Background()
	dir := windowProfile(t, db, sb)
	// Two windows on the profile may be open at once (two app instances).
	window := func() *backend {
		p, err := OpenProfile(ctx, dir, nil, WithSecrets(SecretsFile))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		b, err := newBackend(ctx, p, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(b.Close)
		return b
	}
	windowRunner := func(name, trigger, from string) runner {
		b := window()
		return runner{name: name, from: from,
			start: func(t *testing.T) func() {
				g := newGate()
				done := make(chan error, 1)
				go func() {
					_, err := b.Export(ctx, export.Request{Scope: export.ScopeAll, Trigger: trigger}, g)
					done <- err
				}()
				<-g.started
				return func() {
					close(g.resume)
					if err := <-done; err != nil {
						t.Errorf("%s: %v", name, err)
					}
				}
			},
			try: func(t *testing.T) error {
				_, err := b.Export(ctx, export.Request{Scope: export.ScopeAll, Trigger: trigger}, nil)
				return err
			}}
	}
	cliRunner := func(name, from string, extra ...string) runner {
		args := append([]string{"--profile", dir, "export", "all"}, extra...)
		return runner{name: name, from: from, waits: slices.Contains(extra, "--scheduled"),
			start: func(t *testing.T) func() {
				g := newGate()
				done := make(chan int, 1)
				var errOut bytes.Buffer
				go func() { done <- mainFile(args, g, &errOut) }()
				<-g.started
				return func() {
					close(g.resume)
					if code := <-done; code != ExitOK {
						t.Errorf("%s: exit %d: %s", name, code, errOut.String())
					}
				}
			},
			try: func(t *testing.T) error {
				var out, errOut bytes.Buffer
				code := mainFile(args, &out, &errOut)
				if code == ExitOK {
					return nil
				}
				if code != ExitCouldNotRun {
					t.Errorf("%s: exit %d, want %d when refused", name, code, ExitCouldNotRun)
				}
				return errors.New(errOut.String())
			}}
	}
	runners := []runner{
		windowRunner("window", export.TriggerWindow, "in the window"),
		windowRunner("automatic export in the window", export.TriggerAutomatic, "by the window's automatic export"),
		cliRunner("command line", "from the command line"),
		cliRunner("scheduled task", "by the scheduled task", "--scheduled"),
	}
	p, err := OpenProfile(ctx, dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for _, first := range runners {
		for _, second := range runners {
			t.Run(first.name+" then "+second.name, func(t *testing.T) {
				before, err := p.History.Runs(ctx, 1000)
				if err != nil {
					t.Fatal(err)
				}
				release := first.start(t)
				started := time.Now().Format("15:04")
				if second.waits {
					// It waits for the first, then runs: not before the
					// first lets go, and after it without an error.
					done := make(chan error, 1)
					go func() { done <- second.try(t) }()
					select {
					case err := <-done:
						release()
						t.Fatalf("%s ended while %s was running: %v", second.name, first.name, err)
					case <-time.After(3 * time.Second):
					}
					release()
					if err := <-done; err != nil {
						t.Fatalf("%s after waiting for %s: %v", second.name, first.name, err)
					}
					after, _ := p.History.Runs(ctx, 1000)
					if len(after) != len(before)+2 || after[0].Trigger != export.TriggerScheduledTask || after[0].StartedAt.Before(after[1].FinishedAt) {
						t.Fatalf("runs: %+v", after[:2])
					}
					return
				}
				err = second.try(t)
				after, _ := p.History.Runs(ctx, 1000)
				release()
				if err == nil {
					t.Fatalf("%s ran while %s was running", second.name, first.name)
				}
				if !strings.Contains(err.Error(), "another export is running") || !strings.Contains(err.Error(), first.from) ||
					!strings.Contains(err.Error(), "(started ") {
					t.Fatalf("%s refused with %q, want it to say an export is running %s, started %s", second.name, err, first.from, started)
				}
				if len(after) != len(before)+1 {
					t.Errorf("%d runs recorded while the first ran, want only the first's", len(after)-len(before))
				}
				if err := second.try(t); err != nil {
					t.Fatalf("%s after %s finished: %v", second.name, first.name, err)
				}
			})
		}
	}
}

// TestOneLockAcrossProcesses: a command-line export in another process
// and the window's take turns the same way, in both orders.
func TestOneLockAcrossProcesses(t *testing.T) {
	bin := buildCLI(t)
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, TimeScale: 0.001})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	bulkOrders(db, 30)
	ctx := context.Background()
	dir := windowProfile(t, db, sb)
	p, err := OpenProfile(ctx, dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	b, err := newBackend(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	cli := func(args ...string) *exec.Cmd {
		cmd := exec.Command(bin, append([]string{"--profile", dir, "export", "all"}, args...)...)
		cmd.Env = append(os.Environ(), SecretsEnv+"=file")
		return cmd
	}

	t.Run("window then command-line process", func(t *testing.T) {
		g := newGate()
		done := make(chan error, 1)
		go func() {
			_, err := b.Export(ctx, export.Request{Scope: export.ScopeAll, Trigger: export.TriggerWindow}, g)
			done <- err
		}()
		<-g.started
		out, err := cli("--quiet").CombinedOutput()
		close(g.resume)
		if werr := <-done; werr != nil {
			t.Fatalf("window run: %v", werr)
		}
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != ExitCouldNotRun || !strings.Contains(string(out), "in the window") ||
			strings.Count(string(out), "\n") != 1 {
			t.Fatalf("the process while the window exports: %v\n%s", err, out)
		}
	})

	t.Run("command-line process then window", func(t *testing.T) {
		// Slow answers keep the process exporting longer than the window waits
		// for the lock (2 s).
		sb.Inject(xerotest.Fault{Kind: xerotest.FaultSlow, Times: -1, Delay: 1500 * time.Millisecond})
		defer sb.ClearFaults()
		simpleOrders(db, 8001, 20) // new orders: the process has Xero calls to make
		cmd := cli()
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The process prints its first stage once it holds the lock.
		line := make([]byte, 64)
		if _, err := stdout.Read(line); err != nil {
			t.Fatal(err)
		}
		_, werr := b.Export(ctx, export.Request{Scope: export.ScopeAll, Trigger: export.TriggerWindow}, nil)
		rest := new(bytes.Buffer)
		rest.ReadFrom(stdout)
		// bulkOrders holds orders whose totals do not add up: they fail (1).
		var ee *exec.ExitError
		if err := cmd.Wait(); err != nil && (!errors.As(err, &ee) || ee.ExitCode() != ExitFailed) {
			t.Fatalf("the process: %v\n%s%s", err, line, rest)
		}
		if !errors.Is(werr, export.ErrBusy) || !strings.Contains(werr.Error(), "from the command line") {
			t.Fatalf("the window while a process exports: %v", werr)
		}
	})
}
