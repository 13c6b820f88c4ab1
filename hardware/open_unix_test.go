//go:build !windows && !darwin

package hardware

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// OpenFile hands the absolute path to xdg-open and returns while the viewer
// still runs (it is not waited for).
func TestOpenFileRunsXdgOpen(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep to build a lingering viewer with")
	}
	dir := t.TempDir()
	argsOut := filepath.Join(dir, "args")
	pidOut := filepath.Join(dir, "pid")
	// The viewer writes its arguments, then its pid (what the test waits
	// for), then lingers until the test ends it.
	fakeCommand(t, dir, "xdg-open", writeArgs(argsOut)+"echo $$ > '"+pidOut+"'\nexec "+sleep+" 30\n")
	t.Setenv("PATH", dir)
	work := t.TempDir()
	t.Chdir(work)
	if err := os.WriteFile("card 1.pdf", []byte("%PDF-1.4\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := OpenFile("card 1.pdf"); err != nil {
		t.Fatal(err)
	}
	pid := 0
	for deadline := time.Now().Add(10 * time.Second); pid == 0 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		b, _ := os.ReadFile(pidOut)
		pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	if pid == 0 {
		t.Fatal("xdg-open was not run")
	}
	defer syscall.Kill(pid, syscall.SIGTERM) // the viewer this test started
	args, err := os.ReadFile(argsOut)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.TrimSuffix(string(args), "\n"), filepath.Join(work, "card 1.pdf"); got != want {
		t.Errorf("xdg-open ran with %q, want %q", got, want)
	}
	if err := syscall.Kill(pid, 0); err != nil {
		t.Errorf("the viewer is gone already (%v): was it waited for?", err)
	}
}

// A missing file or a missing xdg-open is an error, at once.
func TestOpenFileErrors(t *testing.T) {
	dir := t.TempDir()
	fakeCommand(t, dir, "xdg-open", "exit 0\n")
	t.Setenv("PATH", dir)
	if err := OpenFile(filepath.Join(dir, "none.pdf")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("OpenFile of a missing file = %v, want no such file", err)
	}
	t.Setenv("PATH", t.TempDir())
	pdf := filepath.Join(dir, "xdg-open") // any file that exists
	if err := OpenFile(pdf); err == nil || !strings.Contains(err.Error(), "no xdg-open") {
		t.Errorf("OpenFile with no xdg-open = %v, want it to say so", err)
	}
}
