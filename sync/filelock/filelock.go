// Package filelock takes an exclusive lock on a file, shared between
// processes: the Xero sign-in and the export runs of one profile use it so
// that the window, a scheduled run and the command line take turns.
package filelock

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// retryEvery is how often Lock tries again while the lock is held.
const retryEvery = 20 * time.Millisecond

// Lock takes an exclusive lock on the file at path (creating it and its
// directory), waiting until it is free or ctx ends. Other processes taking
// the same lock wait. It returns the function that releases the lock.
func Lock(ctx context.Context, path string) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if ok {
			return func() { unlockFile(f); f.Close() }, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(retryEvery):
		}
	}
}
