//go:build windows

package hardware

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
)

// openFile opens path with the program Windows has for its type
// (ShellExecute with the "open" verb), which returns once it has started.
func openFile(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	if _, err := os.Stat(abs); err != nil {
		return fmt.Errorf("open: %w", err)
	}
	verb, err := windows.UTF16PtrFromString("open")
	if err != nil {
		return err
	}
	file, err := windows.UTF16PtrFromString(abs)
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	if err := windows.ShellExecute(0, verb, file, nil, nil, windows.SW_SHOWNORMAL); err != nil {
		return fmt.Errorf("open: %s: %w", abs, err)
	}
	return nil
}
