//go:build !windows

package hardware

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// play hands the WAV to the first player on PATH as a file and removes the
// file afterwards; with no player it says so and does nothing.
func TestPlayUsesPlayerOnPath(t *testing.T) {
	ps := players(runtime.GOOS)
	last := ps[len(ps)-1] // the last choice: found only when the others are not
	dir := t.TempDir()
	out := filepath.Join(dir, "played.wav")
	argsOut := filepath.Join(dir, "args")
	cp, err := exec.LookPath("cp")
	if err != nil {
		t.Skip("no cp to build a fake player with")
	}
	script := "#!/bin/sh\necho \"$@\" > '" + argsOut + "'\nfor f; do :; done\n" + cp + " \"$f\" '" + out + "'\n"
	if err := os.WriteFile(filepath.Join(dir, last.name), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	wav := BeepWAV(false)
	if err := play(wav); err != nil {
		t.Fatalf("play: %v", err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("the player got no file: %v", err)
	}
	if !bytes.Equal(got, wav) {
		t.Errorf("the player got %d bytes, not the %d of the beep", len(got), len(wav))
	}
	args, _ := os.ReadFile(argsOut)
	fields := bytes.Fields(args)
	if len(fields) != len(last.args)+1 {
		t.Errorf("%s was run with %q, want its options %q and the file", last.name, args, last.args)
	}
	if file := string(fields[len(fields)-1]); fileExists(file) {
		t.Errorf("the temporary file %s is left behind", file)
	}

	t.Setenv("PATH", t.TempDir())
	if err := play(wav); err != errNoPlayer {
		t.Errorf("play with no player = %v, want errNoPlayer", err)
	}
	if err := playAsync(wav); err != errNoPlayer {
		t.Errorf("playAsync with no player = %v, want errNoPlayer", err)
	}
	Beep(true) // silently nothing
}

func fileExists(path string) bool { _, err := os.Stat(path); return err == nil }
