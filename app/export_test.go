package app

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/filelock"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// TestWindowTakesTheProfileExportLock starts an export through the window's
// Backend while the profile's export lock is held — by the lock file itself
// or by a command-line run under way — and expects it refused as busy, then
// run once the lock is let go.
func TestWindowTakesTheProfileExportLock(t *testing.T) {
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	bulkOrders(db, 3)
	ctx := context.Background()
	p, err := OpenProfile(ctx, windowProfile(t, db, sb), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	b, err := newBackend(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		// hold takes the lock the way another export would and returns
		// the function that lets it go.
		hold func(t *testing.T) (release func())
	}{
		{"the lock file held", func(t *testing.T) func() {
			unlock, err := filelock.Lock(ctx, filepath.Join(p.Dir, exportLockFile))
			if err != nil {
				t.Fatal(err)
			}
			return unlock
		}},
		{"a command-line run under way", func(t *testing.T) func() {
			started, resume := make(chan struct{}), make(chan struct{})
			var once sync.Once
			// The run stops at its first progress event, with the lock held,
			// until released.
			progress := export.ProgressFunc(func(export.Event) {
				once.Do(func() { close(started); <-resume })
			})
			eng, err := NewEngine(ctx, p, false, progress)
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { _, err := eng.Run(ctx, export.Request{Scope: export.ScopeAll, Trigger: "cli"}); done <- err }()
			<-started
			return func() {
				close(resume)
				if err := <-done; err != nil {
					t.Errorf("command-line run: %v", err)
				}
				eng.Close()
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			release := tc.hold(t)
			_, err := b.Export(ctx, export.Request{Scope: export.ScopeAll}, nil)
			release()
			if !errors.Is(err, export.ErrBusy) {
				t.Fatalf("window export while the profile's export lock is held: %v, want export.ErrBusy", err)
			}
			if _, err := b.Export(ctx, export.Request{Scope: export.ScopeAll}, nil); err != nil {
				t.Fatalf("window export once the lock is let go: %v", err)
			}
		})
	}
}
