package main

// The money side's commands: `check` proves the cached balances equal the
// ledger (BN-02), `import products` loads the catalogue from CSV (PU-01).

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"loyaltydesk/app"
	"loyaltydesk/app/transfer"
	"loyaltydesk/db"
	"loyaltydesk/ui"
)

// runCheck runs `check`: every account's cached balance and every lot's
// cached remainder against the sums of the ledger's entries, and every
// client's totals against the purchases (with --fix-totals rebuilding those).
func runCheck(args []string, defPath string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loyaltydesk check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dbPath := fs.String("db", defPath, "")
	fixTotals := fs.Bool("fix-totals", false, "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout, defPath)
			return 0
		}
		fmt.Fprintln(stderr, "loyaltydesk check: usage: loyaltydesk check [--fix-totals] [--db FILE]")
		return 2
	}
	ctx := context.Background()
	store, err := db.Open(ctx, *dbPath, db.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "loyaltydesk check: %v\n", err)
		return 1
	}
	defer store.Close()
	ms, err := app.NewLedger(store, app.SystemClock{}).Check(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "loyaltydesk check: %v\n", err)
		return 1
	}
	for _, m := range ms {
		if m.LotID != "" {
			fmt.Fprintf(stdout, "lot %s of account %s: cached %s %d, entries give %d\n", m.LotID, m.AccountID, m.What, m.Cached, m.Summed)
		} else {
			fmt.Fprintf(stdout, "account %s: cached %s %d, entries give %d\n", m.AccountID, m.What, m.Cached, m.Summed)
		}
	}
	code := 0
	if len(ms) > 0 {
		fmt.Fprintf(stdout, "ledger: mismatches found: %d\n", len(ms))
		code = 1
	} else {
		fmt.Fprintln(stdout, "ledger: every balance equals the sum of its entries")
	}
	ts, err := store.CheckClientTotals(ctx, *fixTotals)
	if err != nil {
		fmt.Fprintf(stderr, "loyaltydesk check: %v\n", err)
		return 1
	}
	for _, t := range ts {
		fmt.Fprintf(stdout, "client %s: kept visits %d sold %d paid %d, purchases give %d, %d, %d\n",
			t.ClientID, t.Kept.Visits, t.Kept.Sold, t.Kept.Paid, t.Recomputed.Visits, t.Recomputed.Sold, t.Recomputed.Paid)
	}
	switch {
	case len(ts) == 0:
		fmt.Fprintln(stdout, "totals: every client's totals equal their purchases")
	case *fixTotals:
		fmt.Fprintf(stdout, "totals: clients rebuilt: %d\n", len(ts))
	default:
		fmt.Fprintf(stdout, "totals: mismatches found: %d (--fix-totals rebuilds them)\n", len(ts))
		code = 1
	}
	return code
}

// runImportProducts runs `import products FILE [--dry-run]`.
func runImportProducts(args []string, defPath string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loyaltydesk import products", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dbPath := fs.String("db", defPath, "")
	dryRun := fs.Bool("dry-run", false, "")
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printUsage(stdout, defPath)
		return 0
	}
	if err == nil && len(pos) != 1 {
		err = errors.New("want `import products FILE`")
	}
	if err != nil {
		fmt.Fprintf(stderr, "loyaltydesk import products: %v\n", err)
		return 2
	}
	ctx := app.WithActor(context.Background(), "command line")
	t, err := transfer.ReadFile(ctx, pos[0], transfer.ReadOptions{})
	if err != nil {
		fmt.Fprintf(stderr, "loyaltydesk import products: %v\n", err)
		return 1
	}
	store, err := db.Open(ctx, *dbPath, db.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "loyaltydesk import products: %v\n", err)
		return 1
	}
	defer store.Close()
	rep, err := app.NewCatalogue(store, app.SystemClock{}).ImportProducts(ctx, t, *dryRun)
	for _, p := range rep.Problems {
		fmt.Fprintln(stdout, ui.ImportProblemText(p))
	}
	if err != nil && len(rep.Problems) == 0 {
		fmt.Fprintf(stderr, "loyaltydesk import products: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "rows %d, new products %d, updated %d, new categories %d", rep.Rows, rep.Created, rep.Updated, rep.Categories)
	switch {
	case len(rep.Problems) > 0:
		fmt.Fprintln(stdout, "; rejected rows: nothing was written")
		return 1
	case rep.DryRun:
		fmt.Fprintln(stdout, "; a dry run: nothing was written")
	default:
		fmt.Fprintln(stdout)
	}
	return 0
}
