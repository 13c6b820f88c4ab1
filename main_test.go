package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"loyaltydesk/app"
	"loyaltydesk/db"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

// PK-01: the version comes from FyneApp.toml, the one place it is written.
func TestVersion(t *testing.T) {
	src, err := os.ReadFile("FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*Version\s*=\s*"([^"]+)"`).FindStringSubmatch(string(src))
	if m == nil {
		t.Fatal("FyneApp.toml has no Version")
	}
	code, out, _ := runCLI(t, "version")
	if code != 0 || out != "LoyaltyDesk "+m[1]+"\n" {
		t.Errorf("version: code %d, output %q, want LoyaltyDesk %s", code, out, m[1])
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		code, out, _ := runCLI(t, args...)
		if code != 0 {
			t.Errorf("%v: exit %d", args, code)
		}
		for _, want := range []string{"loyaltydesk demo", "--clients N", "--db FILE", "--screen NAME", "client-edit", "version"} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: help lacks %q:\n%s", args, want, out)
			}
		}
	}
}

func TestBadUsage(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"--nope"}, {"demo", "--clients", "0"}, {"--screen", "nowhere"}, {"version", "extra"}} {
		code, _, errOut := runCLI(t, args...)
		if code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errOut)
		}
	}
}

// The demo command fills a new database and refuses one that has clients.
func TestDemo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	code, _, errOut := runCLI(t, "demo", "--db", path, "--clients", "300", "--seed", "5")
	if code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errOut)
	}
	ctx := context.Background()
	store, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n, err := app.NewClients(store, app.SystemClock{}).Count(ctx, app.ClientQuery{})
	store.Close()
	if err != nil || n != 300 {
		t.Fatalf("demo wrote %d clients (err %v), want 300", n, err)
	}
	code, _, errOut = runCLI(t, "demo", "--db", path, "--clients", "10")
	if code != 1 || errOut == "" {
		t.Errorf("second demo into the same file: exit %d, stderr %q; want 1 and a message", code, errOut)
	}
}
