//go:build !windows

package hardware

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// startViewer runs viewer on path (made absolute, so that it cannot be taken
// for an option) and returns once it has started; the viewer is waited for
// in the background so that it leaves no zombie.
func startViewer(viewer, path string) error {
	abs, err := viewerPath(path)
	if err != nil {
		return err
	}
	bin, err := exec.LookPath(viewer)
	if err != nil {
		return fmt.Errorf("open: no %s to open %s with", viewer, abs)
	}
	cmd := exec.Command(bin, abs)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("open: %s %s: %w", viewer, abs, err)
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

// viewerPath is path made absolute, or an error when there is no such file.
func viewerPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("open: %w", err)
	}
	if _, err := os.Stat(abs); err != nil {
		return "", fmt.Errorf("open: %w", err)
	}
	return abs, nil
}
