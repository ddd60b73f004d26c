package export

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/filelock"
)

// Triggers a run is recorded with: who started it.
const (
	// TriggerWindow is a run the person started in the window.
	TriggerWindow = "manual"
	// TriggerAutomatic is the window's automatic export every N minutes.
	TriggerAutomatic = "scheduled"
	// TriggerCommandLine is a run of `opencart-xero export`.
	TriggerCommandLine = "command line"
	// TriggerScheduledTask is `opencart-xero export --scheduled`, as the
	// task `opencart-xero schedule install` writes runs it (cron, a systemd
	// timer, Task Scheduler, a LaunchAgent).
	TriggerScheduledTask = "scheduled task"
)

// lockWait is how long a run waits for another one to finish before it
// gives up with a BusyError, unless the request says (Request.LockWait).
const lockWait = 2 * time.Second

// Holder is who holds a profile's export lock: written beside the lock
// (LockPath + ".holder") by the run that holds it, read by the one refused.
type Holder struct {
	// Trigger is the running export's Request.Trigger.
	Trigger string `json:"trigger"`
	// Started is when it took the lock.
	Started time.Time `json:"started"`
	// PID is its process.
	PID int `json:"pid"`
}

// From says where a trigger's run was started, for a sentence.
func (h Holder) From() string {
	switch h.Trigger {
	case TriggerWindow:
		return "in the window"
	case TriggerAutomatic:
		return "by the window's automatic export"
	case TriggerCommandLine:
		return "from the command line"
	case TriggerScheduledTask:
		return "by the scheduled task"
	case "":
		return "elsewhere"
	}
	return "(" + h.Trigger + ")"
}

// BusyError is the refusal of a run because another export holds the
// profile's lock; errors.Is(err, ErrBusy) holds.
type BusyError struct {
	// Holder is the running export; zero when it could not be read.
	Holder Holder
	// now is the clock of the refused run, for the wording of the day.
	now time.Time
}

// Error says which export is running: "another export is running … (started 14:02
// from the command line); …".
func (e *BusyError) Error() string {
	if e.Holder.Started.IsZero() {
		return ErrBusy.Error()
	}
	at := e.Holder.Started.Local()
	when := at.Format("15:04")
	if y, m, d := at.Date(); y != e.now.Local().Year() || m != e.now.Local().Month() || d != e.now.Local().Day() {
		when = at.Format("2 Jan 15:04")
	}
	return fmt.Sprintf("another export is running with this profile (started %s %s); try again when it has finished", when, e.Holder.From())
}

// Is makes errors.Is(err, ErrBusy) true.
func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// takeLock takes the export lock at path for a run started by trigger,
// waiting up to wait (0 = lockWait), and writes the holder note beside it. It returns
// the release function, a *BusyError when another run holds the lock, or
// ErrCancelled when ctx ended.
func takeLock(ctx context.Context, path, trigger string, wait time.Duration, now func() time.Time) (func(), error) {
	if wait <= 0 {
		wait = lockWait
	}
	lockCtx, cancel := context.WithTimeout(ctx, wait)
	unlock, err := filelock.Lock(lockCtx, path)
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ErrCancelled
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("export lock: %w", err)
		}
		return nil, &BusyError{Holder: ReadHolder(path), now: now()}
	}
	note := path + ".holder"
	raw, _ := json.Marshal(Holder{Trigger: trigger, Started: now().UTC(), PID: os.Getpid()})
	// Best effort: without the note a refused run still says it is busy.
	_ = os.WriteFile(note, raw, 0o600)
	return func() {
		os.Remove(note)
		unlock()
	}, nil
}

// ReadHolder reads who holds the export lock at path; zero when no note is
// there (a run that was killed leaves one, but then the lock is free and
// the note is not read).
func ReadHolder(path string) Holder {
	var h Holder
	raw, err := os.ReadFile(path + ".holder")
	if err != nil || json.Unmarshal(raw, &h) != nil {
		return Holder{}
	}
	return h
}
