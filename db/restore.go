package db

// Restore (AD-03): checking that a file is a LoyaltyDesk database and
// putting it in place of the current one.

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"

	"loyaltydesk/app"
)

// ErrNotLoyaltyDesk is returned for a file that is not a LoyaltyDesk database.
var ErrNotLoyaltyDesk = app.ErrNotLoyaltyDesk

// ErrDatabaseInUse is returned by Restore while another program (or store)
// has the database open.
var ErrDatabaseInUse = errors.New("the database is in use: close LoyaltyDesk first")

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// CheckDatabaseFile reports whether the file at path is a LoyaltyDesk
// database this program can open: an SQLite file with our schema_migrations
// table and a clients table, passing PRAGMA integrity_check, at a schema
// version no newer than this program knows. It returns the schema version.
// Only the main file is read (a -wal beside it is ignored), as that is what
// a restore copies.
func CheckDatabaseFile(ctx context.Context, path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	head := make([]byte, len(sqliteHeader))
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || !bytes.Equal(head, sqliteHeader) {
		return 0, fmt.Errorf("%w: %s is not an SQLite database file", ErrNotLoyaltyDesk, path)
	}
	raw, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&immutable=1")
	if err != nil {
		return 0, err
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('schema_migrations', 'clients')`).Scan(&n); err != nil {
		return 0, fmt.Errorf("%w: %s: %w", ErrNotLoyaltyDesk, path, err)
	}
	if n != 2 {
		return 0, fmt.Errorf("%w: %s has no LoyaltyDesk tables", ErrNotLoyaltyDesk, path)
	}
	var check string
	if err := raw.QueryRowContext(ctx, `PRAGMA integrity_check(1)`).Scan(&check); err != nil {
		return 0, fmt.Errorf("%w: %s: %w", ErrNotLoyaltyDesk, path, err)
	}
	if check != "ok" {
		return 0, fmt.Errorf("%w: %s is damaged: %s", ErrNotLoyaltyDesk, path, check)
	}
	var v int
	if err := raw.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("%w: %s: %w", ErrNotLoyaltyDesk, path, err)
	}
	ms, err := Migrations()
	if err != nil {
		return 0, err
	}
	if v < 1 {
		return 0, fmt.Errorf("%w: %s has no schema version", ErrNotLoyaltyDesk, path)
	}
	if v > len(ms) {
		return 0, fmt.Errorf("%w: %s has schema version %d, this LoyaltyDesk knows up to %d", ErrSchemaTooNew, path, v, len(ms))
	}
	return v, nil
}

// Restore puts the database file src in place of the database at dbPath.
// src is checked first (CheckDatabaseFile). The current database, if any, is
// backed up into the backups folder (its path is returned), then src is
// copied to a temporary file beside dbPath, the current -wal and -shm files
// are removed and the copy is renamed into place. Nothing may have dbPath
// open: close the store (and every other program using it) first. The next
// Open migrates the restored file if it is older.
func Restore(ctx context.Context, dbPath, src string, clock app.Clock) (backup string, err error) {
	if clock == nil {
		clock = app.SystemClock{}
	}
	if _, err := CheckDatabaseFile(ctx, src); err != nil {
		return "", err
	}
	if same, _ := sameFile(src, dbPath); same {
		return "", fmt.Errorf("%w: %s is the database in use", ErrNotLoyaltyDesk, src)
	}
	if _, err := os.Stat(dbPath); err == nil {
		backup = filepath.Join(BackupDir(dbPath), beforeRestoreName(clock.Now()))
		// An exclusive lock held from here to the close proves nothing else
		// (another LoyaltyDesk) has the database open, and keeps it so.
		cur, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: dbPath}).EscapedPath()+"?_locking_mode=EXCLUSIVE&_busy_timeout=2000")
		if err != nil {
			return "", err
		}
		cur.SetMaxOpenConns(1)
		if _, err := cur.ExecContext(ctx, `BEGIN EXCLUSIVE; COMMIT`); err != nil {
			cur.Close()
			return "", fmt.Errorf("%w (%w)", ErrDatabaseInUse, err)
		}
		err = backupDB(ctx, cur, backup)
		// Closing the last connection checkpoints the WAL into the file.
		if cerr := cur.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return "", fmt.Errorf("restore: back up the current database: %w", err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o700); err != nil {
		return backup, err
	}
	tmp, err := copyToTemp(src, filepath.Dir(dbPath))
	if err != nil {
		return backup, fmt.Errorf("restore: %w", err)
	}
	for _, ext := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(dbPath + ext); err != nil && !errors.Is(err, os.ErrNotExist) {
			os.Remove(tmp)
			return backup, fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		os.Remove(tmp)
		return backup, fmt.Errorf("restore: %w", err)
	}
	return backup, nil
}

func copyToTemp(src, dir string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.CreateTemp(dir, ".restore-*.tmp")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", err
	}
	return out.Name(), nil
}

func sameFile(a, b string) (bool, error) {
	ia, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	ib, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(ia, ib), nil
}

// CheckRestore reports whether the file at path may be restored
// (CheckDatabaseFile) and is not this store's own file.
func (s *Store) CheckRestore(ctx context.Context, path string) error {
	if same, _ := sameFile(path, s.path); same {
		return fmt.Errorf("%w: %s is the database in use", ErrNotLoyaltyDesk, path)
	}
	_, err := CheckDatabaseFile(ctx, path)
	return err
}

// CloseAndRestore checks src, closes the store and restores src in place of
// its database (Restore), returning where the replaced database was saved.
// The store is closed afterwards even when the restore fails: the program
// must start again.
func (s *Store) CloseAndRestore(ctx context.Context, src string) (string, error) {
	if err := s.CheckRestore(ctx, src); err != nil {
		return "", err
	}
	if err := s.Close(); err != nil {
		return "", fmt.Errorf("restore: close the database: %w", err)
	}
	return Restore(ctx, s.path, src, s.clock)
}
