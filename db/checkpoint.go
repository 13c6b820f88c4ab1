package db

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"time"

	"github.com/mattn/go-sqlite3"
)

// The WAL is copied into the database file by a background checkpointer, not
// by the commit that happens to cross SQLite's threshold: with
// synchronous=FULL that commit would write and sync megabytes of scattered
// pages of a multi-gigabyte file, and the till would freeze for a second or
// two in the middle of a rush (BenchmarkCloseOrder measured 1.9 s). A PASSIVE
// checkpoint runs beside the writer and the readers without blocking them.

// checkpointEvery is how often the checkpointer runs.
const checkpointEvery = time.Second

// walMaxPages is the WAL size (4 KiB pages, 64 MiB) at which a commit
// checkpoints after all, should the checkpointer fall behind.
const walMaxPages = 16384

// ckpt is the checkpointer's state.
type ckpt struct {
	db   *sql.DB
	stop context.CancelFunc
	done chan struct{}
}

// startCheckpoints opens the checkpointer's connection (not query-only: a
// checkpoint writes the database file) and starts it.
func (s *Store) startCheckpoints() error {
	db, err := sql.Open("sqlite3", dsn(s.path, false))
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	ctx, cancel := context.WithCancel(context.Background())
	s.ckpt = ckpt{db: db, stop: cancel, done: make(chan struct{})}
	go s.ckpt.run(ctx)
	return nil
}

func (c ckpt) run(ctx context.Context) {
	defer close(c.done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		var blocked, logPages, done int // what wal_checkpoint reports; unused
		err := c.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&blocked, &logPages, &done)
		var se sqlite3.Error
		busy := errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
		if err != nil && ctx.Err() == nil && !busy { // busy: another checkpoint runs; the next tick will do
			slog.Warn("wal checkpoint", "err", err)
		}
	}
}

// stopCheckpoints stops the checkpointer and closes its connection.
func (s *Store) stopCheckpoints() error {
	if s.ckpt.db == nil {
		return nil
	}
	s.ckpt.stop()
	<-s.ckpt.done
	return s.ckpt.db.Close()
}
