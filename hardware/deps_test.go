package hardware_test

// Dependency rules: hardware knows nothing of clients (no app), of screens
// (no Fyne) or of storage (no database), and nothing in the program uses the
// goqr decoder that misreads numeric codes (README, "Why not goqr").

import (
	"os/exec"
	"strings"
	"testing"
)

func TestHardwareImportsNoAppUIOrStorage(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	out, err := exec.Command(gobin, "list", "-deps", "loyaltydesk/hardware").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	found := map[string]bool{}
	for _, d := range deps {
		found[d] = true
		switch {
		case strings.HasPrefix(d, "loyaltydesk/") && d != "loyaltydesk/hardware":
			t.Errorf("hardware depends on %s", d)
		case strings.HasPrefix(d, "fyne.io/"), d == "database/sql", strings.HasPrefix(d, "github.com/mattn/go-sqlite3"):
			t.Errorf("hardware depends on %s", d)
		}
	}
	for _, want := range []string{"github.com/makiuchi-d/gozxing", "go.bug.st/serial"} {
		if !found[want] {
			t.Errorf("go list -deps loyaltydesk/hardware lacks %s; is the command right?", want)
		}
	}
	all, err := exec.Command(gobin, "list", "-deps", "loyaltydesk/...").Output()
	if err != nil {
		t.Fatalf("go list -deps loyaltydesk/...: %v", err)
	}
	if strings.Contains(string(all), "github.com/liyue201/goqr") {
		t.Error("the program depends on github.com/liyue201/goqr, which misreads numeric QR segments")
	}
}
