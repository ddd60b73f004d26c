//go:build !windows

package app

import "os"

// restrictToOwner gives path mode 0700 (a directory) or 0600 (a file).
func restrictToOwner(path string, dir bool) error {
	mode := os.FileMode(0o600)
	if dir {
		mode = 0o700
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if info.Mode().Perm() == mode {
		return nil
	}
	return os.Chmod(path, mode)
}
