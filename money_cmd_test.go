package main

// Tests of `loyaltydesk check` (BN-02) and `loyaltydesk import products`
// (PU-01) on a real database file.

import (
	"bytes"
	"context"
	"database/sql"
	"strings"
	"testing"

	"loyaltydesk/app"
	"loyaltydesk/db"
)

func TestCLICheck(t *testing.T) {
	path := cliVenue(t)
	ctx := context.Background()
	store, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := app.NewClients(store, app.SystemClock{}).Search(ctx, app.ClientQuery{Limit: 1})
	if err != nil || len(cs) != 1 {
		t.Fatal(cs, err)
	}
	if _, err := app.NewPurchases(store, app.SystemClock{}).Record(ctx, app.PurchaseInput{ClientID: cs[0].ID, Amount: 500_00}); err != nil {
		t.Fatal(err)
	}
	store.Close()
	var out, errOut bytes.Buffer
	if code := run([]string{"check", "--db", path}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "every balance") {
		t.Fatalf("check on a healthy database: %d %q %q", code, out.String(), errOut.String())
	}
	// A venue without programs earned nothing: give the client an account
	// by hand, then spoil its cached balance behind the store's back.
	store, _ = db.Open(ctx, path, db.Options{})
	if _, err := app.NewLedger(store, app.SystemClock{}).OpenAccount(ctx, cs[0].ID, app.DefaultAccountTypeID); err != nil {
		t.Fatal(err)
	}
	store.Close()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE accounts SET posted = posted + 700`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	out.Reset()
	if code := run([]string{"check", "--db", path}, &out, &errOut); code != 1 || !strings.Contains(out.String(), "ledger: mismatches found: 1") {
		t.Fatalf("check on a spoilt database: %d %q", code, out.String())
	}
}

// Issue 6, item 1: check compares the clients' totals with their purchases,
// and --fix-totals rebuilds them.
func TestCLICheckTotals(t *testing.T) {
	path := cliVenue(t)
	ctx := context.Background()
	store, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cs, _ := app.NewClients(store, app.SystemClock{}).Search(ctx, app.ClientQuery{Limit: 1})
	if _, err := app.NewPurchases(store, app.SystemClock{}).Record(ctx, app.PurchaseInput{ClientID: cs[0].ID, Amount: 500_00}); err != nil {
		t.Fatal(err)
	}
	store.Close()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE clients SET visits = 5`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	var out, errOut bytes.Buffer
	if code := run([]string{"check", "--db", path}, &out, &errOut); code != 1 || !strings.Contains(out.String(), "totals: mismatches found: 1") {
		t.Fatalf("check: %d %q %q", code, out.String(), errOut.String())
	}
	out.Reset()
	if code := run([]string{"check", "--fix-totals", "--db", path}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "clients rebuilt: 1") {
		t.Fatalf("check --fix-totals: %d %q", code, out.String())
	}
	out.Reset()
	if code := run([]string{"check", "--db", path}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "every client's totals equal") {
		t.Fatalf("check after the fix: %d %q", code, out.String())
	}
}

func TestCLIImportProducts(t *testing.T) {
	path := cliVenue(t)
	bad := writeCSV(t, "menu.csv", "Название;Категория;Цена;Артикул\nКапучино;Напитки/Кофе;250;C-1\nЛатте;Напитки/Кофе;дорого;C-2\n")
	var out, errOut bytes.Buffer
	if code := run([]string{"import", "products", bad, "--db", path}, &out, &errOut); code != 1 || !strings.Contains(out.String(), "nothing was written") {
		t.Fatalf("bad file: %d %q %q", code, out.String(), errOut.String())
	}
	good := writeCSV(t, "menu.csv", "Название;Категория;Цена;Артикул\nКапучино;Напитки/Кофе;250;C-1\nЛатте;Напитки/Кофе;280,50;C-2\n")
	out.Reset()
	if code := run([]string{"import", "products", good, "--db", path}, &out, &errOut); code != 0 {
		t.Fatalf("good file: %d %q %q", code, out.String(), errOut.String())
	}
	ctx := context.Background()
	store, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ps, err := store.Products(ctx, app.ProductQuery{Text: "латте"})
	if err != nil || len(ps) != 1 || ps[0].Price != 280_50 {
		t.Fatalf("products %+v, %v", ps, err)
	}
}

// LR-07: `loyaltydesk recalc` applies the saved rules to every client.
func TestCLIRecalc(t *testing.T) {
	path := cliVenue(t)
	ctx := context.Background()
	store, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	clock := app.SystemClock{}
	cs, err := app.NewClients(store, clock).Search(ctx, app.ClientQuery{Limit: 1})
	if err != nil || len(cs) != 1 {
		t.Fatal(cs, err)
	}
	if _, err := app.NewPurchases(store, clock).Record(ctx, app.PurchaseInput{ClientID: cs[0].ID, Amount: 500_00}); err != nil {
		t.Fatal(err)
	}
	// Rules saved without the editor's recalculation: recalc does it.
	if _, _, err := app.NewLoyalty(store, clock).Save(ctx, app.Rules{Discounts: []app.DiscountRule{
		{Measure: app.MeasureVisits, From: 1, DiscountBP: 300}}}); err != nil {
		t.Fatal(err)
	}
	store.Close()
	var out, errOut bytes.Buffer
	if code := run([]string{"recalc", "--db", path}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "changed") {
		t.Fatalf("recalc: %d %q %q", code, out.String(), errOut.String())
	}
	store, _ = db.Open(ctx, path, db.Options{})
	defer store.Close()
	c, err := app.NewClients(store, clock).Get(ctx, cs[0].ID)
	if err != nil || c.DiscountBP != 300 {
		t.Fatalf("after recalc the client has %d (%v), want 3 %%", c.DiscountBP, err)
	}
}
