package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"loyaltydesk/app"
	"loyaltydesk/db"
)

// runRecalc is `loyaltydesk recalc`: the loyalty rules applied to every
// client now (LR-07), as the editor does after saving them, then the daily
// work (lapses and lapse warnings, LR-08) if it has not run today.
func runRecalc(args []string, defPath string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loyaltydesk recalc", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dbPath := fs.String("db", defPath, "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout, defPath)
			return 0
		}
		fmt.Fprintln(stderr, "loyaltydesk recalc: usage: loyaltydesk recalc [--db FILE]")
		return 2
	}
	ctx := context.Background()
	store, err := db.Open(ctx, *dbPath, db.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "loyaltydesk recalc: %v\n", err)
		return 1
	}
	defer store.Close()
	l := app.NewLoyalty(store, app.SystemClock{})
	start, shown := time.Now(), time.Now()
	p, err := l.RecalculateAll(ctx, func(p app.RecalcProgress) {
		if time.Since(shown) > 2*time.Second {
			shown = time.Now()
			fmt.Fprintf(stderr, "%d of %d clients…\n", p.Done, p.Total)
		}
	})
	if err != nil {
		fmt.Fprintf(stderr, "loyaltydesk recalc: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "rules: %d clients, %d changed, in %s\n", p.Done, p.Changed, time.Since(start).Round(100*time.Millisecond))
	d, err := l.RunDaily(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "loyaltydesk recalc: %v\n", err)
		return 1
	}
	if d.Ran {
		fmt.Fprintf(stdout, "daily: %d lapse warnings queued, %d skipped\n", d.Warnings, d.Skipped)
	} else {
		fmt.Fprintln(stdout, "daily: already done today")
	}
	return 0
}
