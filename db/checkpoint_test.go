package db

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"loyaltydesk/app"
)

// Commits leave the WAL to the background checkpointer: a while after a
// write, the database file itself (read while ignoring the WAL) holds it.
func TestCheckpointerCopiesTheWAL(t *testing.T) {
	path := tempPath(t)
	s := openAt(t, path)
	if got := pragma(t, s.write, "wal_autocheckpoint"); got != "16384" {
		t.Errorf("wal_autocheckpoint = %s, want 16384 (commits do not checkpoint)", got)
	}
	ctx := context.Background()
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.SetSetting(ctx, "probe", "written", testNow, s.NodeID()) }); err != nil {
		t.Fatal(err)
	}
	// An immutable connection reads the file as it is, ignoring the WAL; a
	// new one each time, since it also assumes the file never changes.
	fileHas := func() (string, error) {
		fileOnly, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&immutable=1")
		if err != nil {
			return "", err
		}
		defer fileOnly.Close()
		var v string
		err = fileOnly.QueryRow(`SELECT value FROM settings WHERE key = 'probe'`).Scan(&v)
		return v, err
	}
	deadline := time.Now().Add(5 * checkpointEvery)
	for {
		v, err := fileHas()
		if err == nil && v == "written" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the database file lacks the write after %v: %v", 5*checkpointEvery, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.ckpt.done:
	default:
		t.Error("the checkpointer still runs after Close")
	}
}
