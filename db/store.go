package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"

	"loyaltydesk/app"
)

const timeLayout = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(timeLayout, s) }

// writeCacheKiB is the write connection's page cache.
const writeCacheKiB = 256 << 10

// settingNodeID is the settings key of this installation's node id.
const settingNodeID = "node_id"

// Options tune Open.
type Options struct {
	// Clock stamps the rows the store writes itself (migrations, the node id).
	// Nil means the system clock.
	Clock app.Clock
	// ReadConns is the size of the read pool (default 4).
	ReadConns int
}

// Store is the SQLite store. It is safe for concurrent use.
type Store struct {
	queries // reads go to the read pool
	path    string
	write   *sql.DB // exactly one connection: SQLite has one writer
	read    *sql.DB
	node    string
	clock   app.Clock

	closeOnce sync.Once
	closeErr  error

	ckpt ckpt // the background checkpointer (checkpoint.go)
}

var _ app.Store = (*Store)(nil)

// Open opens (creating if needed) the database file at path, applies the
// migrations it lacks and returns the store. A database written by a newer
// LoyaltyDesk is refused with ErrSchemaTooNew.
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	if opt.Clock == nil {
		opt.Clock = app.SystemClock{}
	}
	if opt.ReadConns <= 0 {
		opt.ReadConns = 4
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
	}
	write, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	s := &Store{path: path, write: write, clock: opt.Clock}
	if err := s.init(ctx, opt); err != nil {
		write.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	read, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	read.SetMaxOpenConns(opt.ReadConns)
	read.SetMaxIdleConns(opt.ReadConns)
	s.read = read
	s.queries = queries{q: read, hints: newPlanHints()}
	if err := s.startCheckpoints(); err != nil {
		read.Close()
		write.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return s, nil
}

// dsn builds the go-sqlite3 connection string. Every connection gets WAL, foreign
// keys, a busy timeout and synchronous=FULL; writers take the write lock at BEGIN
// (immediate) so two writers never deadlock upgrading a read lock.
func dsn(path string, readOnly bool) string {
	v := url.Values{}
	v.Set("_journal_mode", "WAL")
	v.Set("_foreign_keys", "on")
	v.Set("_busy_timeout", "10000")
	v.Set("_synchronous", "FULL")
	// Each connection keeps its prepared statements: closing an order runs
	// about twenty, and preparing them again each time was a fifth of its work.
	v.Set("_stmt_cache_size", "128")
	if readOnly {
		v.Set("_query_only", "true")
		v.Set("_cache_size", "-65536") // 64 MiB of page cache per reader
	} else {
		v.Set("_txlock", "immediate")
		// The writer's transactions touch pages all over a dozen indexes of
		// a million entries each (an import of 100,000 clients): with 64 MiB
		// it spills and reads pages again, taking 22 s instead of 11 s. The
		// cache grows only as pages are used.
		v.Set("_cache_size", fmt.Sprint(-writeCacheKiB))
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + v.Encode()
}

func (s *Store) init(ctx context.Context, opt Options) error {
	var mode string
	if err := s.write.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		return err
	}
	if mode != "wal" {
		return fmt.Errorf("journal mode is %q, want wal", mode)
	}
	// Commits never checkpoint: the checkpointer (checkpoint.go) does it on
	// its own connection. Only a WAL that it could not keep small (walMaxPages)
	// makes a commit checkpoint, as SQLite does by default.
	if _, err := s.write.ExecContext(ctx, fmt.Sprintf(`PRAGMA wal_autocheckpoint = %d`, walMaxPages)); err != nil {
		return err
	}
	ms, err := Migrations()
	if err != nil {
		return err
	}
	if err := s.backupBeforeMigration(ctx, ms); err != nil {
		return err
	}
	if err := migrate(ctx, s.write, ms, opt.Clock.Now()); err != nil {
		return err
	}
	q := queries{q: s.write}
	node, ok, err := q.Setting(ctx, settingNodeID)
	if err != nil {
		return err
	}
	if !ok {
		node = app.NewID()
		if err := q.SetSetting(ctx, settingNodeID, node, opt.Clock.Now(), node); err != nil {
			return err
		}
	}
	s.node = node
	return nil
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// NodeID returns this installation's id, made at the database's first start.
func (s *Store) NodeID() string { return s.node }

// SchemaVersion returns the highest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	return schemaVersion(ctx, s.write)
}

// Close lets SQLite refresh its planner statistics where they went stale
// (PRAGMA optimize) and closes both pools. Closing again does nothing.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		ckErr := s.stopCheckpoints()
		_, err := s.write.Exec(`PRAGMA optimize`)
		s.closeErr = errors.Join(ckErr, err, s.read.Close(), s.write.Close())
	})
	return s.closeErr
}

// Update runs fn in one write transaction and commits when fn returns nil.
// Unique-constraint violations come back as app.ErrConflict.
func (s *Store) Update(ctx context.Context, fn func(tx app.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	// Roll back on any way out but a commit, a panic included, so the one write
	// connection never stays inside an open transaction.
	committed := false
	defer func() {
		if !committed {
			_ = tx.Rollback()
		}
	}()
	if err := fn(&queries{q: tx, hints: s.hints}); err != nil {
		return mapErr(err)
	}
	committed = true
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", mapErr(err))
	}
	return nil
}

// mapErr turns SQLite constraint errors into app's error kinds.
func mapErr(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrConstraint {
		if se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey {
			return fmt.Errorf("%w: %w", app.ErrConflict, err)
		}
		return fmt.Errorf("%w: %w", app.ErrInvalid, err)
	}
	return err
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// queries implements the readers and writers over a pool or a transaction.
type queries struct {
	q     querier
	hints *planHints // shared by the store and its transactions; nil: none kept
}

var _ app.Tx = (*queries)(nil)
