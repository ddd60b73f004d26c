package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// privateFiles are the profile's files that hold customers' data or
// secrets; with the directory, they are made the user's only.
var privateFiles = []string{"history.db", "history.db-wal", "history.db-shm", "history.db-journal", secretsFile}

// tightenProfile makes the profile directory and its data files the
// user's only — also when --profile names a directory that already existed
// with wider permissions: 0700 and 0600 on Unix, an owner-only ACL on
// Windows (inherited by files created in the directory later). What cannot
// be tightened (a directory owned by someone else) is said in warn.
func tightenProfile(dir string, warn io.Writer) {
	say := func(path string, err error) {
		if warn != nil {
			fmt.Fprintf(warn, "warning: %s could not be made readable only by you (%v); others on this computer may read it\n", path, err)
		}
	}
	if err := restrictToOwner(dir, true); err != nil {
		say(dir, err)
	}
	for _, name := range privateFiles {
		path := filepath.Join(dir, name)
		if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err := restrictToOwner(path, false); err != nil {
			say(path, err)
		}
	}
}
