package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"loyaltydesk/app"
	"loyaltydesk/db"
)

func countClients(t *testing.T, path string) int {
	t.Helper()
	ctx := context.Background()
	store, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	n, err := app.NewClients(store, app.SystemClock{}).Count(ctx, app.ClientQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// AD-03: `backup` writes a copy into the backups folder; `restore FILE` puts
// it back in place of the database, saving the replaced one first.
func TestBackupAndRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a", "loyaltydesk.db")
	if code, _, errOut := runCLI(t, "demo", "--db", a, "--clients", "5"); code != 0 {
		t.Fatalf("demo: %d %s", code, errOut)
	}
	code, out, errOut := runCLI(t, "backup", "--db", a)
	if code != 0 {
		t.Fatalf("backup: exit %d: %s", code, errOut)
	}
	backup := strings.TrimSpace(strings.TrimPrefix(out, "backup: "))
	if filepath.Dir(backup) != filepath.Join(dir, "a", "backups") {
		t.Fatalf("backup at %q", backup)
	}

	b := filepath.Join(dir, "b", "loyaltydesk.db")
	if code, _, errOut := runCLI(t, "demo", "--db", b, "--clients", "8"); code != 0 {
		t.Fatalf("demo: %d %s", code, errOut)
	}
	code, out, errOut = runCLI(t, "restore", backup, "--db", b)
	if code != 0 {
		t.Fatalf("restore: exit %d: %s", code, errOut)
	}
	if n := countClients(t, b); n != 5 {
		t.Errorf("after restore %d clients, want 5", n)
	}
	list, err := db.ListBackups(b)
	if err != nil || len(list) != 1 || !list[0].BeforeRestore || !strings.Contains(out, list[0].Path) {
		t.Fatalf("backups of the replaced database: %+v, %v; output %q", list, err, out)
	}
	if n := countClients(t, list[0].Path); n != 8 {
		t.Errorf("the saved database has %d clients, want 8", n)
	}
}

// AD-03: restore refuses a text file and an SQLite database that is not
// LoyaltyDesk's, with exit 1, and leaves the database alone.
func TestRestoreRefuses(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "loyaltydesk.db")
	if code, _, errOut := runCLI(t, "demo", "--db", path, "--clients", "3"); code != 0 {
		t.Fatalf("demo: %d %s", code, errOut)
	}
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("Фамилия;Телефон\nИванова;+79161234567\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.db")
	raw, err := sql.Open("sqlite3", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('x')`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	for _, f := range []string{text, other, filepath.Join(dir, "missing.db")} {
		code, _, errOut := runCLI(t, "restore", f, "--db", path)
		if code != 1 || !strings.Contains(errOut, "restore:") {
			t.Errorf("restore %s: exit %d, stderr %q; want 1 and a message", filepath.Base(f), code, errOut)
		}
		if f != filepath.Join(dir, "missing.db") && !strings.Contains(errOut, "not a LoyaltyDesk database") {
			t.Errorf("restore %s: stderr %q does not say why", filepath.Base(f), errOut)
		}
	}
	if n := countClients(t, path); n != 3 {
		t.Errorf("after refused restores %d clients, want 3", n)
	}
	if list, _ := db.ListBackups(path); len(list) != 0 {
		t.Errorf("a refused restore made backups: %v", list)
	}
	if code, _, _ := runCLI(t, "restore", "--db", path); code != 2 {
		t.Errorf("restore without FILE: exit %d, want 2", code)
	}
}

// AD-03: restore refuses to replace a database another program has open.
func TestRestoreRefusesOpenDatabase(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "loyaltydesk.db")
	if code, _, errOut := runCLI(t, "demo", "--db", path, "--clients", "3"); code != 0 {
		t.Fatalf("demo: %d %s", code, errOut)
	}
	code, out, errOut := runCLI(t, "backup", "--db", path)
	if code != 0 {
		t.Fatalf("backup: %d %s", code, errOut)
	}
	backup := strings.TrimSpace(strings.TrimPrefix(out, "backup: "))
	store, err := db.Open(context.Background(), path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	code, _, errOut = runCLI(t, "restore", backup, "--db", path)
	if code != 1 || !strings.Contains(errOut, "close LoyaltyDesk first") {
		t.Errorf("restore over an open database: exit %d, stderr %q", code, errOut)
	}
}
