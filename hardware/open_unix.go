//go:build !windows && !darwin

package hardware

// openFile opens path with the desktop's viewer (xdg-open).
func openFile(path string) error { return startViewer("xdg-open", path) }
