package db

// Backups (AD-03): copies of the database made through SQLite's online backup
// API into the backups folder beside it, on demand, daily and before every
// migration, and the restore of such a copy.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"loyaltydesk/app"
)

// BackupDirName is the backups folder's name beside the database file.
const BackupDirName = "backups"

// DefaultBackupKeep is how many ordinary (daily and on-demand) backups
// Rotate keeps by default.
const DefaultBackupKeep = 14

// backupPrefix starts every backup's file name.
const backupPrefix = "loyaltydesk-"

// backupTimeLayout is the time in a backup's name (UTC, from the store's clock).
const backupTimeLayout = "20060102-150405"

// backupStepPages is how many pages one backup step copies: between steps
// the context is checked and the source is unlocked.
var backupStepPages = 2048

// BackupInfo describes one file in the backups folder.
type BackupInfo = app.BackupInfo

// BackupDir returns the backups folder of the database at dbPath.
func BackupDir(dbPath string) string {
	return filepath.Join(filepath.Dir(dbPath), BackupDirName)
}

// backupName is an ordinary backup's file name.
func backupName(t time.Time) string {
	return backupPrefix + t.UTC().Format(backupTimeLayout) + ".db"
}

// beforeMigrationName is the name of the copy made before migrating to version v.
func beforeMigrationName(v int, t time.Time) string {
	return fmt.Sprintf("%sbefore-v%d-%s.db", backupPrefix, v, t.UTC().Format(backupTimeLayout))
}

// beforeRestoreName is the name of the copy of the database a restore replaces.
func beforeRestoreName(t time.Time) string {
	return backupPrefix + "before-restore-" + t.UTC().Format(backupTimeLayout) + ".db"
}

// parseBackupName reads a backup's time and kind from its file name.
func parseBackupName(name string) (BackupInfo, bool) {
	b := BackupInfo{Name: name}
	rest, found := strings.CutPrefix(name, backupPrefix)
	if !found {
		return b, false
	}
	rest, found = strings.CutSuffix(rest, ".db")
	if !found {
		return b, false
	}
	if ts, ok := strings.CutPrefix(rest, "before-restore-"); ok {
		b.BeforeRestore, rest = true, ts
	} else if v, ok := strings.CutPrefix(rest, "before-v"); ok {
		num, ts, ok := strings.Cut(v, "-")
		if !ok {
			return b, false
		}
		if _, err := fmt.Sscanf(num, "%d", &b.BeforeVersion); err != nil || b.BeforeVersion <= 0 {
			return b, false
		}
		rest = ts
	}
	t, err := time.Parse(backupTimeLayout, rest)
	if err != nil {
		return b, false
	}
	b.Time = t
	return b, true
}

// Backup writes a consistent copy of the database to dest through SQLite's
// online backup API, while the store stays usable. The copy is made in a
// temporary file in dest's folder and renamed into place, so a failed or
// cancelled backup leaves no partial file.
func (s *Store) Backup(ctx context.Context, dest string) error {
	return backupDB(ctx, s.read, dest)
}

// BackupNow makes an ordinary backup in the backups folder and returns its path.
func (s *Store) BackupNow(ctx context.Context) (string, error) {
	dest := filepath.Join(BackupDir(s.path), backupName(s.clock.Now()))
	if err := s.Backup(ctx, dest); err != nil {
		return "", err
	}
	return dest, nil
}

// Backups lists the backups folder, newest first.
func (s *Store) Backups() ([]BackupInfo, error) {
	return ListBackups(s.path)
}

// Rotate deletes the oldest ordinary backups, keeping the newest keep (at
// least one). Copies made before migrations are never deleted by it.
func (s *Store) Rotate(keep int) error {
	if keep < 1 {
		keep = 1
	}
	all, err := s.Backups()
	if err != nil {
		return err
	}
	var errs []error
	n := 0
	for _, b := range all {
		if !b.Ordinary() {
			continue
		}
		if n++; n > keep {
			if err := os.Remove(b.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// LatestBackup returns the time of the newest ordinary backup (zero if none).
func (s *Store) LatestBackup() (time.Time, error) {
	all, err := s.Backups()
	if err != nil {
		return time.Time{}, err
	}
	for _, b := range all {
		if b.Ordinary() {
			return b.Time, nil
		}
	}
	return time.Time{}, nil
}

// ListBackups lists the backups folder of the database at dbPath, newest first.
func ListBackups(dbPath string) ([]BackupInfo, error) {
	dir := BackupDir(dbPath)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list backups: %w", err)
	}
	var out []BackupInfo
	for _, e := range entries {
		b, ok := parseBackupName(e.Name())
		if !ok || e.IsDir() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		b.Path, b.Size = filepath.Join(dir, e.Name()), info.Size()
		out = append(out, b)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Time.Equal(out[j].Time) {
			return out[i].Time.After(out[j].Time)
		}
		return out[i].Name > out[j].Name
	})
	return out, nil
}

// backupDB copies the database behind src to dest (see Store.Backup).
func backupDB(ctx context.Context, src *sql.DB, dest string) (err error) {
	dir := filepath.Dir(dest)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmpf, err := os.CreateTemp(dir, ".backup-*.tmp")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmp := tmpf.Name()
	tmpf.Close()
	defer func() {
		if err != nil {
			os.Remove(tmp)
			os.Remove(tmp + "-journal")
		}
	}()
	if err := copyPages(ctx, src, tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// copyPages runs the online backup from a connection of src into the file
// at dest, a few pages per step.
func copyPages(ctx context.Context, src *sql.DB, dest string) error {
	dst, err := sql.Open("sqlite3", "file:"+dest)
	if err != nil {
		return err
	}
	defer dst.Close()
	dconn, err := dst.Conn(ctx)
	if err != nil {
		return err
	}
	defer dconn.Close()
	sconn, err := src.Conn(ctx)
	if err != nil {
		return err
	}
	defer sconn.Close()
	// One read transaction on the source across all the steps: the copy is
	// of one snapshot, and writes by other connections meanwhile (WAL lets
	// them go on) do not restart the backup from the first page.
	if _, err := sconn.ExecContext(ctx, `BEGIN`); err != nil {
		return err
	}
	defer sconn.ExecContext(context.Background(), `ROLLBACK`) //nolint:errcheck // read-only
	var n int
	if err := sconn.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&n); err != nil {
		return err
	}
	err = dconn.Raw(func(d any) error {
		return sconn.Raw(func(s any) error {
			dc, ok1 := d.(*sqlite3.SQLiteConn)
			sc, ok2 := s.(*sqlite3.SQLiteConn)
			if !ok1 || !ok2 {
				return errors.New("not a go-sqlite3 connection")
			}
			b, err := dc.Backup("main", sc, "main")
			if err != nil {
				return err
			}
			for {
				if err := ctx.Err(); err != nil {
					b.Finish()
					return err
				}
				done, err := b.Step(backupStepPages)
				if err != nil {
					b.Finish()
					return err
				}
				if done {
					return b.Finish()
				}
				if b.Remaining() > 0 && b.PageCount() > 0 {
					// Busy or more to copy: let writers in between steps.
					time.Sleep(time.Millisecond)
				}
			}
		})
	})
	if err != nil {
		return err
	}
	// The copy carries the source's WAL mode in its header; a backup is one
	// self-contained file, so switch it to a rollback journal.
	var mode string
	if err := dconn.QueryRowContext(ctx, `PRAGMA journal_mode=DELETE`).Scan(&mode); err != nil {
		return err
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

// backupBeforeMigration copies a database that holds data at an older schema
// version to backups/loyaltydesk-before-v<N>-<time>.db, N being the version
// the migrations are about to bring, before any of them runs. A new, empty
// database (version 0) gets no copy. The copy is taken through the one write
// connection, before the read pool exists, so nothing writes meanwhile.
func (s *Store) backupBeforeMigration(ctx context.Context, ms []Migration) error {
	cur, err := schemaVersion(ctx, s.write)
	if err != nil {
		return err
	}
	if cur == 0 || cur >= len(ms) {
		return nil
	}
	dest := filepath.Join(BackupDir(s.path), beforeMigrationName(cur+1, s.clock.Now()))
	if err := backupDB(ctx, s.write, dest); err != nil {
		return fmt.Errorf("before migrating to version %d: %w", cur+1, err)
	}
	return nil
}
