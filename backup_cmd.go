package main

// `loyaltydesk backup` and `loyaltydesk restore FILE` (AD-03).

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"loyaltydesk/db"
)

func runBackupCmd(cmd string, args []string, defPath string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loyaltydesk "+cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dbPath := fs.String("db", defPath, "")
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printUsage(stdout, defPath)
		return 0
	}
	want := 0
	if cmd == "restore" {
		want = 1
	}
	if err == nil && len(pos) != want {
		err = fmt.Errorf("want %d file argument(s), got %d", want, len(pos))
		if want == 1 {
			err = errors.New("usage: loyaltydesk restore FILE [--db FILE]")
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "loyaltydesk %s: %v\n", cmd, err)
		return 2
	}
	ctx := context.Background()
	if cmd == "backup" {
		store, err := db.Open(ctx, *dbPath, db.Options{})
		if err != nil {
			fmt.Fprintf(stderr, "loyaltydesk backup: %v\n", err)
			return 1
		}
		defer store.Close()
		path, err := store.BackupNow(ctx)
		if err == nil {
			err = store.Rotate(db.DefaultBackupKeep)
		}
		if err != nil {
			fmt.Fprintf(stderr, "loyaltydesk backup: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "backup: %s\n", path)
		return 0
	}
	prev, err := db.Restore(ctx, *dbPath, pos[0], nil)
	if err != nil {
		fmt.Fprintf(stderr, "loyaltydesk restore: %v\n", err)
		if errors.Is(err, db.ErrNotLoyaltyDesk) || errors.Is(err, db.ErrSchemaTooNew) || errors.Is(err, db.ErrDatabaseInUse) {
			fmt.Fprintln(stderr, "Refused: the current database was not changed.")
		}
		return 1
	}
	if prev != "" {
		fmt.Fprintf(stdout, "restore: the previous database was saved to %s\n", prev)
	}
	fmt.Fprintf(stdout, "restore: %s now holds the data of %s\n", *dbPath, pos[0])
	return 0
}
