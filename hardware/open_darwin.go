//go:build darwin

package hardware

// openFile opens path with macOS's open.
func openFile(path string) error { return startViewer("open", path) }
