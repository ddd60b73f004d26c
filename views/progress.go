package views

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/export"
)

// progress is the bar at the bottom of the window: what the running export
// does, counts, time left and the Xero calls left, with Cancel.
type progress struct {
	u      *ui
	bar    *widget.ProgressBar
	label  *widget.Label
	cancel *widget.Button
	box    *fyne.Container
	// After a run: the button that fixes why it stopped, the full text and
	// Dismiss (panel.go).
	fix, details, dismiss *widget.Button
	// lastErr is why the last run stopped (nil when it finished).
	lastErr error

	mu      sync.Mutex
	stop    context.CancelFunc // nil when nothing runs
	running bool
	// onDone observers are told when a run ends (e.g. to reload a grid).
	onDone []func()
}

func newProgress(u *ui) *progress { return &progress{u: u} }

func (p *progress) buildUI() fyne.CanvasObject {
	p.bar = widget.NewProgressBar()
	p.label = widget.NewLabel("")
	p.label.Truncation = fyne.TextTruncateEllipsis
	p.cancel = widget.NewButton("Cancel", p.onCancel)
	p.box = container.NewBorder(nil, nil, nil, container.NewHBox(p.endButtons()...), container.NewVBox(p.label, p.bar))
	p.box.Hide()
	return p.box
}

// Running reports whether an export is under way.
func (p *progress) Running() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.running
}

// start runs an export in the background unless one is running already; it
// reports whether the run was started.
func (p *progress) start(req export.Request) bool {
	p.mu.Lock()
	if p.running {
		p.mu.Unlock()
		return false
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.running, p.stop = true, cancel
	p.mu.Unlock()

	p.bar.SetValue(0)
	p.label.SetText(fmt.Sprintf("Starting the export of %s…", req.Scope))
	p.cancel.Enable()
	p.expand()
	p.box.Show()
	go func() {
		var sum export.Summary
		err := guard("the export run", func() (err error) {
			sum, err = p.u.be.Export(ctx, req, p)
			return err
		})
		cancel()
		do(func() { p.finish(req, sum, err) })
	}()
	return true
}

func (p *progress) onCancel() {
	p.mu.Lock()
	stop := p.stop
	p.mu.Unlock()
	if stop != nil {
		stop()
		p.cancel.Disable()
		p.label.SetText("Cancelling after the current batch…")
	}
}

// Report shows one engine event; safe from any goroutine.
func (p *progress) Report(e export.Event) {
	p.u.tray.noteEvent(e)
	do(func() {
		if e.Total > 0 {
			p.bar.Max = float64(e.Total)
			p.bar.SetValue(float64(e.Done))
			if e.Done > 0 && !p.cancel.Disabled() && p.cancel.Visible() {
				p.bar.Show() // only while the run goes on: never over its status line
			}
		}
		p.label.SetText(eventText(e))
	})
}

// eventText is one progress event in words.
func eventText(e export.Event) string {
	s := fmt.Sprintf("%s: %d", e.Stage, e.Done)
	if e.Total > 0 {
		s += " of " + strconv.Itoa(e.Total)
	}
	if e.ETA > 0 {
		s += ", about " + e.ETA.Round(time.Second).String() + " left"
	}
	s += fmt.Sprintf(" · %d requests to Xero", e.APICalls)
	if e.DayCallsLeft >= 0 {
		s += fmt.Sprintf(", %d left today", e.DayCallsLeft)
	}
	if e.MinuteCallsLeft >= 0 {
		s += fmt.Sprintf(", %d this minute", e.MinuteCallsLeft)
	}
	return s
}

// summaryText is how a run ended, in words.
func summaryText(req export.Request, s export.Summary, err error) string {
	switch {
	case errors.Is(err, export.ErrCancelled) || errors.Is(err, context.Canceled):
		return fmt.Sprintf("Export cancelled: %d exported, %d failed before it stopped. The next run carries on.", s.Exported, s.Failed)
	case needsConnect(err):
		return "Export stopped: connect to Xero first (" + plainError(err) + ")."
	case err != nil:
		return "Export stopped: " + plainError(err)
	}
	what := "Export"
	if req.DryRun {
		what = "Trial run (nothing sent)"
	}
	t := fmt.Sprintf("%s finished in %s: %d exported, %d unchanged, %d failed, %d skipped, %d requests to Xero.",
		what, s.Duration.Round(time.Second), s.Exported, s.Unchanged, s.Failed, s.Skipped, s.APICalls) + runKinds(s)
	if s.KeptAsExported > 0 {
		t += fmt.Sprintf(" %d invoices and contacts were exported under earlier settings; their OpenCart records did not change, so they were left as they are in Xero.", s.KeptAsExported)
	}
	if s.Withdrawn > 0 {
		t += fmt.Sprintf(" %d invoices of orders cancelled in OpenCart were voided or deleted in Xero.", s.Withdrawn)
	}
	if s.Mismatches > 0 {
		t += fmt.Sprintf(" %d documents have a Xero total that differs from OpenCart's.", s.Mismatches)
	}
	return t
}

func (p *progress) finish(req export.Request, s export.Summary, err error) {
	p.mu.Lock()
	p.running, p.stop = false, nil
	observers := append([]func(){}, p.onDone...)
	p.mu.Unlock()
	text := summaryText(req, s, err)
	p.label.SetText(text)
	p.cancel.Disable()
	if s.Failed == 0 && err == nil {
		p.bar.SetValue(p.bar.Max)
	}
	p.collapse(err)
	p.u.tray.runEnded(req, text, s, err) // notifications and the tray (tray.go)
	for _, f := range observers {
		f()
	}
}

// whenDone registers f to run (on the UI goroutine) after every run.
func (p *progress) whenDone(f func()) {
	p.mu.Lock()
	p.onDone = append(p.onDone, f)
	p.mu.Unlock()
}

// scheduler runs an export of everything new every N minutes while the
// window is open (export.Settings.AutoSyncMinutes; 0 = off).
type scheduler struct {
	u      *ui
	mu     sync.Mutex
	cancel context.CancelFunc
}

// stop ends the automatic export.
func (s *scheduler) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
}

func newScheduler(u *ui) *scheduler { return &scheduler{u: u} }

// restart reads the interval again and (re)starts the timer.
func (s *scheduler) restart() {
	if s.u.be == nil {
		return
	}
	s.mu.Lock()
	if s.cancel != nil {
		s.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.mu.Unlock()
	go func() {
		var set export.Settings
		err := guard("the automatic export's timer", func() (err error) {
			set, err = s.u.be.ExportSettings(ctx)
			return err
		})
		n := set.AutoSyncMinutes
		s.u.tray.setAutomatic(err == nil && n > 0)
		if err != nil || n <= 0 {
			return
		}
		unit := s.u.deps.SyncUnit
		if unit <= 0 {
			unit = time.Minute
		}
		t := time.NewTicker(time.Duration(n) * unit)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				do(func() {
					s.u.progress.start(export.Request{Scope: export.ScopeAll, Trigger: "scheduled"})
				})
			}
		}
	}()
}
