package db

// Tests of backups (AD-03).

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"loyaltydesk/app"
)

// checkDBFile opens a database file on its own and returns its schema
// version and client count after PRAGMA integrity_check says ok.
func checkDBFile(t *testing.T, path string) (version, clients int) {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var ok string
	if err := raw.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("%s: integrity_check %q, %v", path, ok, err)
	}
	if err := raw.QueryRow(`SELECT max(version) FROM schema_migrations`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	if err := raw.QueryRow(`SELECT count(*) FROM clients`).Scan(&clients); err != nil {
		t.Fatal(err)
	}
	return version, clients
}

func addClients(t *testing.T, s *Store, n int) {
	t.Helper()
	for i := range n {
		insertClient(t, s, testClient(s.NodeID(), "Анна", strings.Repeat("Ж", i%50+1), ""))
	}
}

// AD-03: a backup through the online API opens on its own, passes the
// integrity check and holds the data; BackupNow names it by the store's clock
// in the backups folder; no temporary file is left.
func TestBackupNow(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	addClients(t, s, 30)
	path, err := s.BackupNow(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(filepath.Dir(s.Path()), "backups", "loyaltydesk-20260315-100000.db")
	if path != want {
		t.Errorf("backup at %s, want %s", path, want)
	}
	v, n := checkDBFile(t, path)
	if ms, _ := Migrations(); v != len(ms) || n != 30 {
		t.Errorf("backup: version %d, %d clients; want %d, 30", v, n, len(ms))
	}
	list, err := s.Backups()
	if err != nil || len(list) != 1 {
		t.Fatalf("Backups: %v, %v", list, err)
	}
	if b := list[0]; b.Name != filepath.Base(want) || !b.Time.Equal(testNow) || b.Size <= 0 || b.BeforeVersion != 0 {
		t.Errorf("Backups()[0] = %+v", b)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("backups folder holds %v, want one file", entries)
	}
}

// AD-03: a cancelled backup leaves no file behind.
func TestBackupCancelled(t *testing.T) {
	s := openTemp(t)
	addClients(t, s, 5)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dest := filepath.Join(t.TempDir(), "out", "copy.db")
	if err := s.Backup(ctx, dest); !errors.Is(err, context.Canceled) {
		t.Fatalf("Backup with a cancelled context: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(dest))
	if len(entries) != 0 {
		t.Errorf("a cancelled backup left %v", entries)
	}
}

// AD-03: Rotate keeps the newest N ordinary backups and never deletes the
// copies made before migrations.
func TestRotate(t *testing.T) {
	ctx := context.Background()
	path := tempPath(t)
	clock := app.NewManualClock(testNow)
	s, err := Open(ctx, path, Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var made []string
	for range 5 {
		p, err := s.BackupNow(ctx)
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, p)
		clock.Advance(24 * time.Hour)
	}
	before := filepath.Join(BackupDir(path), beforeMigrationName(2, testNow.Add(-time.Hour)))
	if err := os.WriteFile(before, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Rotate(3); err != nil {
		t.Fatal(err)
	}
	list, err := s.Backups()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range list {
		names = append(names, b.Name)
	}
	want := []string{filepath.Base(made[4]), filepath.Base(made[3]), filepath.Base(made[2]), filepath.Base(before)}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("after Rotate(3): %v, want %v", names, want)
	}
	latest, err := s.LatestBackup()
	if err != nil || !latest.Equal(testNow.Add(4*24*time.Hour)) {
		t.Errorf("LatestBackup = %v, %v", latest, err)
	}
}

// AD-03: opening a database of an older schema version copies it first to
// backups/loyaltydesk-before-v<N>-<time>.db, which opens at the old version;
// a new database gets no copy, nor does a database already up to date.
func TestBackupBeforeMigration(t *testing.T) {
	ctx := context.Background()
	path := tempPath(t)
	raw, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, raw, ms[:1], testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO clients (id, first_name, name_key, fname_key, created_at, updated_at, node_id)
		VALUES ('c1', 'Анна', 'анна', 'анна', '2026-01-01T10:00:00.000Z', '2026-01-01T10:00:00.000Z', 'n')`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	s := openAt(t, path)
	list, err := s.Backups()
	if err != nil || len(list) != 1 {
		t.Fatalf("after migrating: backups %v, %v; want one", list, err)
	}
	if b := list[0]; b.Name != "loyaltydesk-before-v2-20260315-100000.db" || b.BeforeVersion != 2 {
		t.Errorf("pre-migration backup %+v", b)
	}
	if v, n := checkDBFile(t, list[0].Path); v != 1 || n != 1 {
		t.Errorf("pre-migration backup: version %d, %d clients; want 1, 1", v, n)
	}
	if v, _ := s.SchemaVersion(ctx); v != len(ms) {
		t.Errorf("migrated to %d, want %d", v, len(ms))
	}
	s.Close()
	openAt(t, path) // up to date: no second copy
	if list, _ := ListBackups(path); len(list) != 1 {
		t.Errorf("reopening made another copy: %v", list)
	}

	fresh := tempPath(t)
	openAt(t, fresh)
	if list, _ := ListBackups(fresh); len(list) != 0 {
		t.Errorf("a new database got a copy: %v", list)
	}
}

// AD-03: a backup from a newer LoyaltyDesk is refused with ErrSchemaTooNew,
// and the store's own file cannot be restored over itself.
func TestCheckRestoreRefuses(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	newer := filepath.Join(t.TempDir(), "newer.db")
	if err := s.Backup(ctx, newer); err != nil {
		t.Fatal(err)
	}
	if v, err := CheckDatabaseFile(ctx, newer); err != nil || v < 1 {
		t.Fatalf("a fresh backup: version %d, %v", v, err)
	}
	raw, err := sql.Open("sqlite3", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'x')`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if err := s.CheckRestore(ctx, newer); !errors.Is(err, ErrSchemaTooNew) {
		t.Errorf("a newer backup: %v, want ErrSchemaTooNew", err)
	}
	if err := s.CheckRestore(ctx, s.Path()); !errors.Is(err, ErrNotLoyaltyDesk) {
		t.Errorf("the store's own file: %v, want ErrNotLoyaltyDesk", err)
	}
}

// AD-03: a backup taken page by page while another connection writes
// finishes (one snapshot, no restart) and holds a consistent copy.
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	addClients(t, s, 200)
	old := backupStepPages
	backupStepPages = 1
	defer func() { backupStepPages = old }()
	stop := make(chan struct{})
	done := make(chan int)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				done <- n
				return
			default:
			}
			err := s.Update(ctx, func(tx app.Tx) error {
				return tx.InsertClient(ctx, testClient(s.NodeID(), "Борис", "Пишущий", ""))
			})
			if err != nil {
				t.Error(err)
			}
			n++
		}
	}()
	dest := filepath.Join(t.TempDir(), "copy.db")
	err := s.Backup(ctx, dest)
	close(stop)
	written := <-done
	if err != nil {
		t.Fatal(err)
	}
	if _, n := checkDBFile(t, dest); n < 200 || n > 200+written {
		t.Errorf("the copy holds %d clients; want 200 to %d", n, 200+written)
	}
}
