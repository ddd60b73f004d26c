package export

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBusySaysWhoAndWhen: a run refused because another holds the lock
// says when that one started and from where; the note goes with the lock.
func TestBusySaysWhoAndWhen(t *testing.T) {
	lock := filepath.Join(t.TempDir(), "export.lock")
	started := time.Date(2026, 3, 9, 14, 2, 0, 0, time.Local)
	for _, tc := range []struct {
		name    string
		trigger string
		now     time.Time
		want    string
	}{
		{"the command line, today", TriggerCommandLine, started.Add(3 * time.Minute), "(started 14:02 from the command line)"},
		{"the window, today", TriggerWindow, started.Add(time.Hour), "(started 14:02 in the window)"},
		{"the window's automatic export", TriggerAutomatic, started, "(started 14:02 by the window's automatic export)"},
		{"the scheduled task, since yesterday", TriggerScheduledTask, started.Add(20 * time.Hour), "(started 9 Mar 14:02 by the scheduled task)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			release, err := takeLock(context.Background(), lock, tc.trigger, 0, func() time.Time { return started })
			if err != nil {
				t.Fatal(err)
			}
			_, err = takeLock(context.Background(), lock, TriggerCommandLine, 0, func() time.Time { return tc.now })
			release()
			var busy *BusyError
			if !errors.As(err, &busy) || !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), tc.want) ||
				!strings.HasPrefix(err.Error(), "another export is running") {
				t.Fatalf("second run: %v, want a BusyError saying %q", err, tc.want)
			}
			if busy.Holder.PID != os.Getpid() {
				t.Errorf("holder pid %d, want %d", busy.Holder.PID, os.Getpid())
			}
			if _, err := os.Stat(lock + ".holder"); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the holder note outlives the lock: %v", err)
			}
		})
	}
}

// TestBusyWithoutNote: a lock held without a note (an older program) still
// gives the plain busy sentence; a cancelled wait is a cancel.
func TestBusyWithoutNote(t *testing.T) {
	lock := filepath.Join(t.TempDir(), "export.lock")
	release, err := takeLock(context.Background(), lock, TriggerWindow, 0, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	os.Remove(lock + ".holder")
	if _, err := takeLock(context.Background(), lock, TriggerCommandLine, 0, time.Now); err == nil || err.Error() != ErrBusy.Error() {
		t.Fatalf("without a note: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := takeLock(ctx, lock, TriggerCommandLine, 0, time.Now); !errors.Is(err, ErrCancelled) {
		t.Fatalf("cancelled wait: %v", err)
	}
}

// TestLockWaitsAsAsked: a run that may wait longer gets the lock once the
// other lets go, within its wait.
func TestLockWaitsAsAsked(t *testing.T) {
	lock := filepath.Join(t.TempDir(), "export.lock")
	release, err := takeLock(context.Background(), lock, TriggerWindow, 0, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	go func() { time.Sleep(2500 * time.Millisecond); release() }()
	start := time.Now()
	second, err := takeLock(context.Background(), lock, TriggerScheduledTask, time.Minute, time.Now)
	if err != nil {
		t.Fatalf("waiting a minute: %v", err)
	}
	second()
	if took := time.Since(start); took < 2*time.Second {
		t.Fatalf("took the lock after %s while it was held", took)
	}
}
