package db

import (
	"os"
	"path/filepath"
	"runtime"
)

// FileName is the database file's name in the data folder.
const FileName = "loyaltydesk.db"

// DataDir returns the per-user data folder of LoyaltyDesk:
// $XDG_DATA_HOME/loyaltydesk (~/.local/share/loyaltydesk) on Linux,
// ~/Library/Application Support/LoyaltyDesk on macOS and
// %APPDATA%\LoyaltyDesk on Windows.
func DataDir() (string, error) {
	switch runtime.GOOS {
	case "windows", "darwin":
		base, err := os.UserConfigDir() // %APPDATA%, ~/Library/Application Support
		if err != nil {
			return "", err
		}
		return filepath.Join(base, "LoyaltyDesk"), nil
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "loyaltydesk"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "share", "loyaltydesk"), nil
}

// DefaultPath returns the database file in DataDir.
func DefaultPath() (string, error) {
	dir, err := DataDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, FileName), nil
}
