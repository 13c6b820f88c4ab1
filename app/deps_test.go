package app_test

// Dependency rules (STYLE.md, "app/ imports no Fyne, SQL or hardware"): the
// domain stays plain Go, and the UI reaches data only through app.

import (
	"os/exec"
	"strings"
	"testing"
)

// goList runs `go list args...` in this package's folder and returns its lines.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	cmd := exec.Command(gobin, append([]string{"list"}, args...)...)
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, msg)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

func TestAppImportsNoUIStorageOrHardware(t *testing.T) {
	deps := goList(t, "-deps", "loyaltydesk/app/...")
	if len(deps) < 10 {
		t.Fatalf("go list -deps returned only %v", deps)
	}
	forbidden := []string{"fyne.io/", "github.com/mattn/go-sqlite3", "go.bug.st/", "github.com/liyue201/goqr"}
	found := map[string]bool{}
	for _, d := range deps {
		found[d] = true
		for _, f := range forbidden {
			if strings.HasPrefix(d, f) {
				t.Errorf("loyaltydesk/app/... depends on %s", d)
			}
		}
		if d == "database/sql" {
			t.Errorf("loyaltydesk/app/... depends on database/sql")
		}
		if d == "loyaltydesk/db" || strings.HasPrefix(d, "loyaltydesk/ui") || strings.HasPrefix(d, "loyaltydesk/hardware") {
			t.Errorf("loyaltydesk/app/... depends on %s", d)
		}
	}
	// The list is real: it holds app itself and what app does use.
	for _, want := range []string{"loyaltydesk/app", "github.com/nyaruka/phonenumbers", "github.com/google/uuid"} {
		if !found[want] {
			t.Errorf("go list -deps loyaltydesk/app/... lacks %s; is the command right?", want)
		}
	}
}

func TestUIDoesNotImportDB(t *testing.T) {
	lines := goList(t, "-f", `{{.ImportPath}} {{join .Imports " "}}`, "loyaltydesk/ui/...")
	sawUI := false
	for _, line := range lines {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if fields[0] == "loyaltydesk/ui" {
			sawUI = true
		}
		for _, imp := range fields[1:] {
			if imp == "loyaltydesk/db" || strings.HasPrefix(imp, "loyaltydesk/db/") {
				t.Errorf("%s imports %s; the UI must go through app", fields[0], imp)
			}
		}
	}
	if !sawUI {
		t.Errorf("go list found no loyaltydesk/ui package in %q", lines)
	}
}
