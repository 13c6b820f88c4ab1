//go:build !windows

package hardware

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeCommand writes an executable shell script name into dir.
func fakeCommand(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
}

// readLines reads a file of one argument a line.
func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the command was not run: %v", err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// writeArgs is a script line that writes each argument on its own line.
func writeArgs(path string) string {
	return "for a; do printf '%s\\n' \"$a\"; done > '" + path + "'\n"
}

// lpstat's destinations become the printers, the one `lpstat -d` names the
// default, in the C locale so that its words can be parsed.
func TestSystemPrintersLpstat(t *testing.T) {
	dir := t.TempDir()
	locale := filepath.Join(dir, "locale")
	fakeCommand(t, dir, "lpstat", `echo "$LC_ALL" > '`+locale+`'
case "$1" in
-e) printf 'Office_Laser\nKitchen-Slip\n' ;;
-d) echo 'system default destination: Kitchen-Slip' ;;
*) echo "lpstat: bad option $1" >&2; exit 2 ;;
esac
`)
	t.Setenv("PATH", dir)
	ps, err := SystemPrinters(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []SystemPrinter{{Name: "Office_Laser"}, {Name: "Kitchen-Slip", Default: true}}
	if len(ps) != len(want) || ps[0] != want[0] || ps[1] != want[1] {
		t.Errorf("SystemPrinters = %+v, want %+v", ps, want)
	}
	if l := readLines(t, locale); l[0] != "C" {
		t.Errorf("lpstat ran with LC_ALL=%q, want C", l[0])
	}
}

// No default printer, no printers at all, a broken CUPS, and no CUPS.
func TestSystemPrintersEdgeCases(t *testing.T) {
	dir := t.TempDir()
	fakeCommand(t, dir, "lpstat", `case "$1" in
-e) echo Only ;;
-d) echo 'no system default destination' ;;
esac
`)
	t.Setenv("PATH", dir)
	ps, err := SystemPrinters(context.Background())
	if err != nil || len(ps) != 1 || ps[0] != (SystemPrinter{Name: "Only"}) {
		t.Errorf("with no default: %+v, %v; want Only, not the default", ps, err)
	}

	fakeCommand(t, dir, "lpstat", "echo 'lpstat: No destinations added.' >&2; exit 1\n")
	if ps, err := SystemPrinters(context.Background()); err != nil || len(ps) != 0 {
		t.Errorf("with no destinations: %+v, %v; want none and no error", ps, err)
	}

	fakeCommand(t, dir, "lpstat", "echo 'lpstat: Scheduler is not running.' >&2; exit 1\n")
	if _, err := SystemPrinters(context.Background()); err == nil || !strings.Contains(err.Error(), "Scheduler is not running") {
		t.Errorf("with CUPS down: %v; want lpstat's message", err)
	}

	t.Setenv("PATH", t.TempDir())
	if ps, err := SystemPrinters(context.Background()); err != nil || ps != nil {
		t.Errorf("with no lpstat: %+v, %v; want none and no error", ps, err)
	}
}

// lp gets -d and the printer when one is named, and the file as an
// absolute path (a name starting with '-' is not taken for an option).
func TestPrintFileRunsLp(t *testing.T) {
	dir := t.TempDir()
	argsOut := filepath.Join(dir, "args")
	fakeCommand(t, dir, "lp", writeArgs(argsOut)+"echo 'request id is Office-12 (1 file(s))'\n")
	t.Setenv("PATH", dir)
	work := t.TempDir()
	t.Chdir(work)
	if err := os.WriteFile("-cards.pdf", []byte("%PDF-1.4\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	abs := filepath.Join(work, "-cards.pdf")
	ctx := context.Background()

	if err := PrintFile(ctx, "Office", "-cards.pdf"); err != nil {
		t.Fatal(err)
	}
	if got := readLines(t, argsOut); strings.Join(got, " ") != "-d Office "+abs {
		t.Errorf("lp ran with %q, want -d Office %s", got, abs)
	}
	if err := PrintFile(ctx, "", abs); err != nil {
		t.Fatal(err)
	}
	if got := readLines(t, argsOut); len(got) != 1 || got[0] != abs {
		t.Errorf("lp for the default printer ran with %q, want just %s", got, abs)
	}
}

// lp's complaint reaches the caller; a bad printer name, a missing file or
// no lp at all are refused before anything runs.
func TestPrintFileErrors(t *testing.T) {
	dir := t.TempDir()
	ran := filepath.Join(dir, "ran")
	fakeCommand(t, dir, "lp", ": > '"+ran+"'; echo 'lp: The printer or class does not exist.' >&2; exit 1\n")
	t.Setenv("PATH", dir)
	pdf := filepath.Join(t.TempDir(), "cards.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := PrintFile(ctx, "Nowhere", pdf); err == nil || !strings.Contains(err.Error(), "The printer or class does not exist.") {
		t.Errorf("PrintFile to a missing printer = %v, want lp's message", err)
	}
	if err := os.Remove(ran); err != nil {
		t.Fatalf("lp did not run: %v", err)
	}
	for _, c := range []struct{ printer, path, want string }{
		{"-o", pdf, "not a printer name"},
		{"Two words", pdf, "not a printer name"},
		{"Office", filepath.Join(dir, "none.pdf"), "no such file"},
		{"Office", dir, "is a folder"},
	} {
		if err := PrintFile(ctx, c.printer, c.path); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("PrintFile(%q, %q) = %v, want an error with %q", c.printer, c.path, err, c.want)
		}
	}
	if fileExists(ran) {
		t.Error("lp ran for a request refused beforehand")
	}
	t.Setenv("PATH", t.TempDir())
	if err := PrintFile(ctx, "", pdf); err == nil || !strings.Contains(err.Error(), "no lp command") {
		t.Errorf("PrintFile with no lp = %v, want it to say there is no lp", err)
	}
}
