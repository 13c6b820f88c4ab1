package db

// Tests of Open and Update on real SQLite files in t.TempDir(): connection
// settings, the node id, transactions and concurrent writers.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"loyaltydesk/app"
)

// testNow is when the tests' manual clock stands.
var testNow = time.Date(2026, time.March, 15, 10, 0, 0, 0, time.UTC)

// tempPath returns a database path in a fresh temporary folder.
func tempPath(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), FileName)
}

// openAt opens the store at path with a manual clock and closes it when the test ends.
func openAt(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, Options{Clock: app.NewManualClock(testNow)})
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func openTemp(t *testing.T) *Store {
	t.Helper()
	return openAt(t, tempPath(t))
}

// rawDB opens a second, plain database/sql handle on the file, for checks and
// for rows the store has no method to write.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = raw.Close() })
	return raw
}

func pragma(t *testing.T, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, name string) string {
	t.Helper()
	var v string
	if err := q.QueryRowContext(context.Background(), "PRAGMA "+name).Scan(&v); err != nil {
		t.Fatalf("PRAGMA %s: %v", name, err)
	}
	return v
}

// testClient returns a client ready for InsertClient.
func testClient(node string, first, last, phone string) app.Client {
	return app.Client{
		ID: app.NewID(), FirstName: first, LastName: last, Phone: phone,
		CreatedAt: testNow, UpdatedAt: testNow, NodeID: node,
	}
}

func testIdentifier(clientID, node string, media app.Media, input app.Input, value string) app.Identifier {
	return app.Identifier{
		ID: app.NewID(), ClientID: clientID, Media: media, Input: input, Value: value,
		CreatedAt: testNow, UpdatedAt: testNow, NodeID: node,
	}
}

// insertClient stores c (and its phone as an identifier) in one transaction.
func insertClient(t *testing.T, s *Store, c app.Client) {
	t.Helper()
	err := s.Update(context.Background(), func(tx app.Tx) error {
		if err := tx.InsertClient(context.Background(), c); err != nil {
			return err
		}
		if c.Phone == "" {
			return nil
		}
		return tx.InsertIdentifier(context.Background(), testIdentifier(c.ID, c.NodeID, app.MediaPhone, app.InputPhone, c.Phone))
	})
	if err != nil {
		t.Fatalf("insert client %s: %v", c.FullName(), err)
	}
}

// The database runs in WAL mode with foreign keys on, synchronous=FULL and a
// busy timeout, on the writer and on every reader.
func TestOpenConnectionSettings(t *testing.T) {
	path := tempPath(t)
	s := openAt(t, path)

	if got := pragma(t, rawDB(t, path), "journal_mode"); got != "wal" {
		t.Errorf("journal_mode of the file = %q, want wal", got)
	}
	for name, pool := range map[string]*sql.DB{"write": s.write, "read": s.read} {
		for p, want := range map[string]string{
			"journal_mode": "wal",
			"foreign_keys": "1",
			"synchronous":  "2", // FULL
			"busy_timeout": "10000",
		} {
			if got := pragma(t, pool, p); got != want {
				t.Errorf("%s pool: PRAGMA %s = %s, want %s", name, p, got, want)
			}
		}
	}
	if got := pragma(t, s.read, "cache_size"); got != "-65536" {
		t.Errorf("read pool: cache_size = %s, want -65536 (64 MiB)", got)
	}
	if got := pragma(t, s.write, "cache_size"); got != "-262144" {
		t.Errorf("write pool: cache_size = %s, want -262144 (256 MiB)", got)
	}
	if got := pragma(t, s.read, "query_only"); got != "1" {
		t.Errorf("read pool: query_only = %s, want 1", got)
	}
	if got := pragma(t, s.write, "query_only"); got != "0" {
		t.Errorf("write pool: query_only = %s, want 0", got)
	}
	if st := s.write.Stats(); st.MaxOpenConnections != 1 {
		t.Errorf("write pool allows %d connections, want 1", st.MaxOpenConnections)
	}
	if st := s.read.Stats(); st.MaxOpenConnections != 4 {
		t.Errorf("read pool allows %d connections, want the default 4", st.MaxOpenConnections)
	}
	// The read pool cannot write.
	if _, err := s.read.ExecContext(context.Background(),
		`INSERT INTO settings (key, value, updated_at, node_id) VALUES ('x', 'y', 'z', 'n')`); err == nil {
		t.Error("the read pool accepted an INSERT")
	}
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
}

// Open creates the folder the database lives in, and a path with spaces and
// Cyrillic letters works.
func TestOpenCreatesFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "Мои данные", "new folder", FileName)
	s := openAt(t, path)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database file not created: %v", err)
	}
	if v, err := s.SchemaVersion(context.Background()); err != nil || v < 1 {
		t.Errorf("SchemaVersion = %d, %v", v, err)
	}
	// A path that cannot be a folder is an error, not a panic.
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), filepath.Join(blocker, FileName), Options{}); err == nil {
		t.Error("Open under a regular file succeeded")
	}
}

// A file that is not SQLite is refused.
func TestOpenRefusesGarbage(t *testing.T) {
	path := tempPath(t)
	junk := []byte(strings.Repeat("this is not a database\n", 200))
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := Open(context.Background(), path, Options{}); err == nil {
		s.Close()
		t.Fatal("Open of a text file succeeded")
	}
	if got, _ := os.ReadFile(path); string(got) != string(junk) {
		t.Error("Open changed the file it refused")
	}
}

// Foreign keys are enforced on the store's own write connection.
func TestForeignKeysEnforced(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	idf := testIdentifier(app.NewID(), s.NodeID(), app.MediaCard, app.InputBarcode, "CARD-1")
	err := s.Update(ctx, func(tx app.Tx) error { return tx.InsertIdentifier(ctx, idf) })
	if err == nil {
		t.Fatal("an identifier of a client that does not exist was stored")
	}
	if !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Errorf("err = %v, want a FOREIGN KEY constraint error", err)
	}
	if !errors.Is(err, app.ErrInvalid) || errors.Is(err, app.ErrConflict) {
		t.Errorf("err = %v: Is(ErrInvalid) = %v, Is(ErrConflict) = %v; want true, false",
			err, errors.Is(err, app.ErrInvalid), errors.Is(err, app.ErrConflict))
	}
	if _, err := s.IdentifierByValue(ctx, "CARD-1"); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("IdentifierByValue after the refused insert: %v", err)
	}
	// A client's referrer must exist too.
	c := testClient(s.NodeID(), "Анна", "", "")
	c.ReferrerID = app.NewID()
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.InsertClient(ctx, c) }); err == nil || !errors.Is(err, app.ErrInvalid) {
		t.Errorf("client with an unknown referrer: err = %v, want a foreign key error", err)
	}
	// CHECK constraints come back as ErrInvalid as well.
	bad := testClient(s.NodeID(), "Анна", "", "")
	bad.Gender = "other"
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.InsertClient(ctx, bad) }); !errors.Is(err, app.ErrInvalid) {
		t.Errorf("client with gender %q: err = %v, want ErrInvalid", bad.Gender, err)
	}
}

// Unique-constraint violations come back as ErrConflict.
func TestUpdateMapsUniqueToConflict(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	c := testClient(s.NodeID(), "Анна", "", "")
	insertClient(t, s, c)
	err := s.Update(ctx, func(tx app.Tx) error { return tx.InsertClient(ctx, c) }) // same id
	if !errors.Is(err, app.ErrConflict) {
		t.Errorf("duplicate primary key: err = %v, want ErrConflict", err)
	}
}

// An error returned from the Update callback rolls back everything done in it.
func TestUpdateRollsBackOnError(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	kept := testClient(s.NodeID(), "Вера", "Старая", "+79030000001")
	insertClient(t, s, kept)

	errStop := errors.New("stop")
	c := testClient(s.NodeID(), "Анна", "Семёнова", "+79161234567")
	err := s.Update(ctx, func(tx app.Tx) error {
		if err := tx.InsertClient(ctx, c); err != nil {
			return err
		}
		if err := tx.InsertIdentifier(ctx, testIdentifier(c.ID, c.NodeID, app.MediaPhone, app.InputPhone, c.Phone)); err != nil {
			return err
		}
		if err := tx.SetSetting(ctx, app.SettingVenueName, "Зерно", testNow, s.NodeID()); err != nil {
			return err
		}
		if err := tx.DeleteClient(ctx, kept.ID, testNow, s.NodeID()); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, app.AuditEntry{ID: app.NewID(), At: testNow, NodeID: s.NodeID(),
			Actor: "t", Action: "client.create", Entity: "client", EntityID: c.ID}); err != nil {
			return err
		}
		// Inside the transaction everything is visible.
		if _, err := tx.Client(ctx, c.ID); err != nil {
			return fmt.Errorf("read own write: %w", err)
		}
		if v, ok, err := tx.Setting(ctx, app.SettingVenueName); err != nil || !ok || v != "Зерно" {
			return fmt.Errorf("read own setting: %q %v %v", v, ok, err)
		}
		return errStop
	})
	if !errors.Is(err, errStop) {
		t.Fatalf("Update returned %v, want the callback's error", err)
	}
	if _, err := s.Client(ctx, c.ID); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("client inserted in a failed Update exists: %v", err)
	}
	if _, err := s.IdentifierByValue(ctx, c.Phone); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("identifier inserted in a failed Update exists: %v", err)
	}
	if _, ok, _ := s.Setting(ctx, app.SettingVenueName); ok {
		t.Error("setting written in a failed Update exists")
	}
	if got, err := s.Client(ctx, kept.ID); err != nil || got.FirstName != "Вера" {
		t.Errorf("client deleted in a failed Update is gone: %v", err)
	}
	if entries, err := s.AuditOf(ctx, "client", c.ID); err != nil || len(entries) != 0 {
		t.Errorf("audit written in a failed Update: %v, %v", entries, err)
	}
	// The write connection is free again.
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.InsertClient(ctx, c) }); err != nil {
		t.Errorf("Update after a rolled-back one: %v", err)
	}
}

// A panic in the callback must not leave the single write connection inside
// an open transaction: later writes would wait for ever.
func TestUpdateAfterPanicInCallback(t *testing.T) {
	s := openTemp(t)
	func() {
		defer func() { _ = recover() }()
		_ = s.Update(context.Background(), func(tx app.Tx) error {
			if err := tx.SetSetting(context.Background(), "k", "v", testNow, s.NodeID()); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := s.Update(ctx, func(tx app.Tx) error { return tx.SetSetting(ctx, "k2", "v2", testNow, s.NodeID()) })
	if err == nil {
		if _, ok, _ := s.Setting(context.Background(), "k"); ok {
			t.Error("the write of the panicking callback was committed")
		}
		return
	}
	t.Error("db/store.go Store.Update: when fn panics the transaction is neither rolled back nor committed " +
		"(no deferred Rollback), so the one write connection stays busy and the next Update fails: " + err.Error())
}

// The node id is made once, at the first Open, and kept.
func TestNodeIDStable(t *testing.T) {
	path := tempPath(t)
	s := openAt(t, path)
	node := s.NodeID()
	if u, err := uuid.Parse(node); err != nil || u.Version() != 7 {
		t.Fatalf("node id %q is not a UUIDv7 (%v)", node, err)
	}
	if v, ok, err := s.Setting(context.Background(), settingNodeID); err != nil || !ok || v != node {
		t.Errorf("stored node id = %q, %v, %v; want %s", v, ok, err, node)
	}
	s.Close()
	for range 3 {
		s2 := openAt(t, path)
		if s2.NodeID() != node {
			t.Errorf("node id after re-open = %s, want %s", s2.NodeID(), node)
		}
		s2.Close()
	}
	if other := openTemp(t); other.NodeID() == node {
		t.Error("two databases share a node id")
	}
}

// SY-01: the rows the store writes itself carry the node id and the clock's time.
func TestRowsCarryNodeAndClock(t *testing.T) {
	path := tempPath(t)
	s := openAt(t, path)
	var node, at string
	if err := rawDB(t, path).QueryRow(`SELECT node_id, updated_at FROM settings WHERE key = 'node_id'`).Scan(&node, &at); err != nil {
		t.Fatal(err)
	}
	if node != s.NodeID() || at != "2026-03-15T10:00:00.000Z" {
		t.Errorf("node id row = %s at %s, want %s at 2026-03-15T10:00:00.000Z", node, at, s.NodeID())
	}
}

// Many goroutines writing at once all succeed: one writer connection, an
// immediate transaction and a busy timeout, no "database is locked".
func TestConcurrentUpdates(t *testing.T) {
	s := openTemp(t)
	clients := app.NewClients(s, app.NewManualClock(testNow))
	const workers, each = 8, 20
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				_, err := clients.Create(context.Background(), app.ClientInput{
					FirstName: fmt.Sprintf("Гость %d-%d", w, i),
					Phone:     fmt.Sprintf("+7916%03d%04d", w, i),
				})
				if err != nil {
					errs <- fmt.Errorf("worker %d, client %d: %w", w, i, err)
				}
			}
		})
	}
	// Readers run meanwhile.
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := clients.Count(context.Background(), app.ClientQuery{Text: "гость"}); err != nil {
					errs <- fmt.Errorf("reader: %w", err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	n, err := clients.Count(context.Background(), app.ClientQuery{})
	if err != nil || n != workers*each {
		t.Errorf("count = %d, %v; want %d", n, err, workers*each)
	}
}

// Two stores on one file (two programs) write at once: the busy timeout makes
// the second wait for the first instead of failing.
func TestConcurrentStoresOnOneFile(t *testing.T) {
	path := tempPath(t)
	a := openAt(t, path)
	b := openAt(t, path)
	if a.NodeID() != b.NodeID() {
		t.Errorf("two stores on one file have node ids %s and %s", a.NodeID(), b.NodeID())
	}
	const each = 25
	var wg sync.WaitGroup
	errs := make(chan error, 4*each)
	for w, s := range []*Store{a, b, a, b} {
		clients := app.NewClients(s, app.NewManualClock(testNow))
		wg.Go(func() {
			for i := range each {
				if _, err := clients.Create(context.Background(), app.ClientInput{
					FirstName: fmt.Sprintf("Гость %d-%d", w, i), Phone: fmt.Sprintf("+7903%03d%04d", w, i),
				}); err != nil {
					errs <- fmt.Errorf("writer %d, client %d: %w", w, i, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, s := range []*Store{a, b} {
		if n, err := s.CountClients(context.Background(), app.ClientSelect{Keys: app.SearchKeys{}}); err != nil || n != 4*each {
			t.Errorf("count = %d, %v; want %d", n, err, 4*each)
		}
	}
}

// Update honours its context.
func TestUpdateCancelledContext(t *testing.T) {
	s := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	called := false
	err := s.Update(ctx, func(tx app.Tx) error { called = true; return nil })
	if err == nil || !errors.Is(err, context.Canceled) {
		t.Errorf("Update with a cancelled context = %v, want context.Canceled", err)
	}
	if called {
		t.Error("the callback ran under a cancelled context")
	}
}

// The data folder follows XDG on Linux.
func TestDataDir(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG applies on Linux only")
	}
	xdg := t.TempDir()
	t.Setenv("XDG_DATA_HOME", xdg)
	dir, err := DataDir()
	if err != nil || dir != filepath.Join(xdg, "loyaltydesk") {
		t.Errorf("DataDir = %q, %v; want %s", dir, err, filepath.Join(xdg, "loyaltydesk"))
	}
	if p, err := DefaultPath(); err != nil || p != filepath.Join(xdg, "loyaltydesk", FileName) {
		t.Errorf("DefaultPath = %q, %v", p, err)
	}
	// A relative XDG_DATA_HOME is ignored (the spec wants it absolute).
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_DATA_HOME", "relative/dir")
	if dir, err := DataDir(); err != nil || dir != filepath.Join(home, ".local", "share", "loyaltydesk") {
		t.Errorf("DataDir with a relative XDG_DATA_HOME = %q, %v; want ~/.local/share/loyaltydesk", dir, err)
	}
}
