package app

import (
	"context"
	"time"
)

// Backups is what the backup policy needs from the store (AD-03).
type Backups interface {
	// LatestBackup is when the newest daily or on-demand backup was made
	// (zero if there is none).
	LatestBackup() (time.Time, error)
	// BackupNow makes a backup and returns its path.
	BackupNow(ctx context.Context) (string, error)
	// Rotate keeps the newest keep daily or on-demand backups.
	Rotate(keep int) error
	// Backups lists every backup, newest first.
	Backups() ([]BackupInfo, error)
}

// DailyBackup makes an automatic backup when the newest one is a day old
// (AD-03): at start and then at every check while the program runs.
type DailyBackup struct {
	Store Backups
	Clock Clock
	// Keep is how many backups rotation keeps (default 14).
	Keep int
	// Every is how often Run checks (default 3 hours).
	Every time.Duration
	// OnDone, if set, hears of every backup made or failed.
	OnDone func(path string, err error)
}

// backupAge is how old the newest backup may get before a new one is made.
const backupAge = 24 * time.Hour

// Check makes a backup and rotates if the newest backup is older than a day;
// it returns the new backup's path, or "" when none was due.
func (d *DailyBackup) Check(ctx context.Context) (string, error) {
	latest, err := d.Store.LatestBackup()
	if err != nil {
		return "", err
	}
	if !latest.IsZero() && d.Clock.Now().Sub(latest) < backupAge {
		return "", nil
	}
	path, err := d.Store.BackupNow(ctx)
	if err != nil {
		return "", err
	}
	return path, d.Store.Rotate(d.keep())
}

// Run checks at once and then every d.Every until ctx is done.
func (d *DailyBackup) Run(ctx context.Context) {
	every := d.Every
	if every <= 0 {
		every = 3 * time.Hour
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		path, err := d.Check(ctx)
		if (path != "" || err != nil) && d.OnDone != nil && ctx.Err() == nil {
			d.OnDone(path, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// BackupInfo describes one backup file.
type BackupInfo struct {
	Name string
	Path string
	// Time is when the backup was made (from its name).
	Time time.Time
	Size int64
	// BeforeVersion is the schema version a migration was about to bring,
	// for the copies made before migrations; 0 for the others.
	BeforeVersion int
	// BeforeRestore marks the copy of the database a restore replaced.
	BeforeRestore bool
}

// Ordinary reports whether b is a daily or on-demand backup, the kind
// rotation deletes when old.
func (b BackupInfo) Ordinary() bool { return b.BeforeVersion == 0 && !b.BeforeRestore }

// keep is the rotation's size.
func (d *DailyBackup) keep() int {
	if d.Keep <= 0 {
		return 14
	}
	return d.Keep
}

// Now makes a backup on demand and rotates.
func (d *DailyBackup) Now(ctx context.Context) (string, error) {
	path, err := d.Store.BackupNow(ctx)
	if err != nil {
		return "", err
	}
	return path, d.Store.Rotate(d.keep())
}

// List lists every backup, newest first.
func (d *DailyBackup) List() ([]BackupInfo, error) { return d.Store.Backups() }

// RestoreStore is what restoring from the GUI needs of the store.
type RestoreStore interface {
	// CheckRestore reports whether the file may be restored.
	CheckRestore(ctx context.Context, path string) error
	// CloseAndRestore closes the store and puts the file in place of its
	// database, returning where the replaced database was saved.
	CloseAndRestore(ctx context.Context, path string) (string, error)
}

// Restorer restores a backup in place of the open database (AD-03). After
// Restore the store is closed: the program must start again.
type Restorer struct {
	Store RestoreStore
	// BeforeClose, if set, stops what else uses the store (the daily backup)
	// and waits for it.
	BeforeClose func()
}

// Check reports whether the file at path may be restored.
func (r *Restorer) Check(ctx context.Context, path string) error {
	return r.Store.CheckRestore(ctx, path)
}

// Restore checks the file, stops the store's other users, closes it and
// restores the file; it returns where the replaced database was saved.
func (r *Restorer) Restore(ctx context.Context, path string) (string, error) {
	if err := r.Store.CheckRestore(ctx, path); err != nil {
		return "", err
	}
	if r.BeforeClose != nil {
		r.BeforeClose()
	}
	return r.Store.CloseAndRestore(ctx, path)
}
