//go:build !unix && !windows

package filelock

import (
	"os"
	"sync"
)

// Without file locks on this system, refreshes are serialised within this
// process only.
var (
	processLocksMu sync.Mutex
	processLocks   = map[string]bool{}
)

func tryLock(f *os.File) (bool, error) {
	processLocksMu.Lock()
	defer processLocksMu.Unlock()
	if processLocks[f.Name()] {
		return false, nil
	}
	processLocks[f.Name()] = true
	return true, nil
}

func unlockFile(f *os.File) {
	processLocksMu.Lock()
	defer processLocksMu.Unlock()
	delete(processLocks, f.Name())
}
