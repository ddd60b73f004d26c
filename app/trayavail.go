package app

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
)

// trayAvailable reports whether the desktop can show a tray icon. Windows
// and macOS always can. Elsewhere the tray is a D-Bus service: without a
// session bus Fyne's tray fails to connect and then crashes the app when it
// quits, so the window then works without a tray (closing it quits).
func trayAvailable() bool {
	return trayAvailableOn(runtime.GOOS, os.Getenv("DBUS_SESSION_BUS_ADDRESS"), os.Getuid())
}

func trayAvailableOn(goos, busAddress string, uid int) bool {
	switch goos {
	case "windows", "darwin":
		return true
	}
	if busAddress != "" {
		return true
	}
	if uid < 0 {
		return false
	}
	// systemd's user bus, found by libdbus without the variable.
	_, err := os.Stat(filepath.Join("/run/user", strconv.Itoa(uid), "bus"))
	return err == nil
}
