package db

// Tests of the bonus accounts and the ledger (BN-01, BN-02, BN-08, CL-04) on
// a real SQLite file: account types, accounts, entries with lots and draws,
// holds and their settlement, the caches and LedgerCheck.

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"loyaltydesk/app"
)

// ledgerFixture is a store with two clients, each with an account of the
// default type.
type ledgerFixture struct {
	s        *Store
	path     string
	ctx      context.Context
	node     string
	anna     app.Client
	boris    app.Client
	annaAcc  app.Account
	borisAcc app.Account
	at       time.Time // the next entry's time; each entry moves it a second on
}

func newLedgerFixture(t *testing.T) *ledgerFixture {
	t.Helper()
	path := tempPath(t)
	s := openAt(t, path)
	f := &ledgerFixture{s: s, path: path, ctx: context.Background(), node: s.NodeID(), at: testNow}
	f.anna = testClient(f.node, "Анна", "Семёнова", "")
	f.boris = testClient(f.node, "Борис", "Петров", "")
	insertClient(t, s, f.anna)
	insertClient(t, s, f.boris)
	f.annaAcc = f.account(t, f.anna.ID, app.DefaultAccountTypeID)
	f.borisAcc = f.account(t, f.boris.ID, app.DefaultAccountTypeID)
	return f
}

func (f *ledgerFixture) account(t *testing.T, clientID, typeID string) app.Account {
	t.Helper()
	a := app.Account{ID: app.NewID(), ClientID: clientID, TypeID: typeID, CreatedAt: testNow, UpdatedAt: testNow, NodeID: f.node}
	if err := f.s.Update(f.ctx, func(tx app.Tx) error { return tx.InsertAccount(f.ctx, a) }); err != nil {
		t.Fatalf("InsertAccount: %v", err)
	}
	return a
}

// entry returns an entry of kind on the account, stamped with the next time.
func (f *ledgerFixture) entry(a app.Account, kind app.EntryKind, amount, held int64, draws ...app.Draw) app.Entry {
	f.at = f.at.Add(time.Second)
	return app.Entry{ID: app.NewID(), AccountID: a.ID, ClientID: a.ClientID, Kind: kind, Amount: amount, Held: held,
		Author: "cashier", Reason: "test", CreatedAt: f.at, NodeID: f.node, Draws: draws}
}

// appendEntry appends e in its own transaction.
func (f *ledgerFixture) appendEntry(e app.Entry) error {
	return f.s.Update(f.ctx, func(tx app.Tx) error { return tx.AppendEntry(f.ctx, e) })
}

func (f *ledgerFixture) mustAppend(t *testing.T, e app.Entry) app.Entry {
	t.Helper()
	if err := f.appendEntry(e); err != nil {
		t.Fatalf("AppendEntry(%s %d/%d): %v", e.Kind, e.Amount, e.Held, err)
	}
	return e
}

func (f *ledgerFixture) balance(t *testing.T, a app.Account) (posted, held int64) {
	t.Helper()
	got, err := f.s.AccountByID(f.ctx, a.ID)
	if err != nil {
		t.Fatalf("AccountByID: %v", err)
	}
	return got.Posted, got.Held
}

func (f *ledgerFixture) wantBalance(t *testing.T, a app.Account, posted, held int64) {
	t.Helper()
	if p, h := f.balance(t, a); p != posted || h != held {
		t.Errorf("account %s: posted %d, held %d; want %d, %d", a.ClientID, p, h, posted, held)
	}
}

func (f *ledgerFixture) remaining(t *testing.T, a app.Account) map[string]int64 {
	t.Helper()
	lots, err := f.s.OpenLots(f.ctx, a.ID)
	if err != nil {
		t.Fatalf("OpenLots: %v", err)
	}
	out := map[string]int64{}
	for _, l := range lots {
		out[l.EntryID] = l.Remaining
	}
	return out
}

func (f *ledgerFixture) checkLedger(t *testing.T) {
	t.Helper()
	if ms, err := f.s.LedgerCheck(f.ctx); err != nil || len(ms) != 0 {
		t.Errorf("LedgerCheck = %+v, %v; want no mismatch", ms, err)
	}
}

// BN-01: account types, the default first; an update keeps which is default.
func TestAccountTypes(t *testing.T) {
	f := newLedgerFixture(t)
	ctx := f.ctx
	gold := app.AccountType{ID: app.NewID(), Name: "Золото", ExpiryDays: 30, CreatedAt: testNow, UpdatedAt: testNow, NodeID: f.node}
	acorn := app.AccountType{ID: app.NewID(), Name: "Acorns", CreatedAt: testNow, UpdatedAt: testNow, NodeID: f.node}
	if err := f.s.Update(ctx, func(tx app.Tx) error {
		if err := tx.InsertAccountType(ctx, gold); err != nil {
			return err
		}
		return tx.InsertAccountType(ctx, acorn)
	}); err != nil {
		t.Fatal(err)
	}
	ts, err := f.s.AccountTypes(ctx)
	if err != nil || len(ts) != 3 {
		t.Fatalf("AccountTypes = %+v, %v", ts, err)
	}
	if ts[0].ID != app.DefaultAccountTypeID || !ts[0].IsDefault || ts[1].Name != "Acorns" || ts[2] != gold {
		t.Errorf("AccountTypes = %+v", ts)
	}
	gold.Name, gold.ExpiryDays, gold.UpdatedAt = "Gold", 0, testNow.Add(time.Hour)
	gold.IsDefault = true // ignored: the default never moves by an update
	if err := f.s.Update(ctx, func(tx app.Tx) error { return tx.UpdateAccountType(ctx, gold) }); err != nil {
		t.Fatal(err)
	}
	ts, _ = f.s.AccountTypes(ctx)
	gold.IsDefault = false
	if len(ts) != 3 || ts[0].ID != app.DefaultAccountTypeID || ts[2] != gold {
		t.Errorf("after the update: %+v", ts)
	}
	err = f.s.Update(ctx, func(tx app.Tx) error {
		return tx.UpdateAccountType(ctx, app.AccountType{ID: "nope", Name: "x", UpdatedAt: testNow, NodeID: f.node})
	})
	if !errors.Is(err, app.ErrNotFound) {
		t.Errorf("UpdateAccountType of a missing type = %v", err)
	}
}

// CL-04: accounts with their type names and balances, the default first.
func TestAccounts(t *testing.T) {
	f := newLedgerFixture(t)
	ctx := f.ctx
	gold := app.AccountType{ID: app.NewID(), Name: "Gold", CreatedAt: testNow, UpdatedAt: testNow, NodeID: f.node}
	if err := f.s.Update(ctx, func(tx app.Tx) error { return tx.InsertAccountType(ctx, gold) }); err != nil {
		t.Fatal(err)
	}
	goldAcc := f.account(t, f.anna.ID, gold.ID)
	f.mustAppend(t, f.entry(goldAcc, app.EntryAccrue, 700, 0))

	as, err := f.s.Accounts(ctx, f.anna.ID)
	if err != nil || len(as) != 2 {
		t.Fatalf("Accounts = %+v, %v", as, err)
	}
	if as[0].ID != f.annaAcc.ID || as[0].TypeName != "Bonuses" || as[1].ID != goldAcc.ID || as[1].TypeName != "Gold" ||
		as[1].Posted != 700 || as[1].Available() != 700 {
		t.Errorf("Accounts = %+v", as)
	}
	a, err := f.s.Account(ctx, f.anna.ID, gold.ID)
	if err != nil || a.ID != goldAcc.ID || a.Posted != 700 || a.NodeID != f.node || !a.CreatedAt.Equal(testNow) {
		t.Errorf("Account = %+v, %v", a, err)
	}
	if _, err := f.s.Account(ctx, f.boris.ID, gold.ID); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("Account of a type the client lacks = %v", err)
	}
	if _, err := f.s.AccountByID(ctx, "nope"); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("AccountByID(nope) = %v", err)
	}
	// One account per client and type; a new account starts empty.
	err = f.s.Update(ctx, func(tx app.Tx) error {
		return tx.InsertAccount(ctx, app.Account{ID: app.NewID(), ClientID: f.anna.ID, TypeID: gold.ID,
			CreatedAt: testNow, UpdatedAt: testNow, NodeID: f.node})
	})
	if !errors.Is(err, app.ErrConflict) {
		t.Errorf("a second account of one type = %v, want ErrConflict", err)
	}
	err = f.s.Update(ctx, func(tx app.Tx) error {
		return tx.InsertAccount(ctx, app.Account{ID: app.NewID(), ClientID: f.boris.ID, TypeID: gold.ID, Posted: 100,
			CreatedAt: testNow, UpdatedAt: testNow, NodeID: f.node})
	})
	if !errors.Is(err, app.ErrInvalid) {
		t.Errorf("a new account with a balance = %v, want ErrInvalid", err)
	}
}

// BN-02: lots, draws and remainders; entries read back whole.
func TestLedgerLotsAndDraws(t *testing.T) {
	f := newLedgerFixture(t)
	ctx := f.ctx
	a := f.annaAcc
	soon := f.entry(a, app.EntryAccrue, 1000, 0)
	soon.ExpiresAt = testNow.Add(48 * time.Hour)
	soon.Message = "Спасибо!"
	f.mustAppend(t, soon)
	never := f.mustAppend(t, f.entry(a, app.EntryOpening, 500, 0))
	later := f.entry(a, app.EntryCorrect, 300, 0)
	later.ExpiresAt = testNow.Add(96 * time.Hour)
	f.mustAppend(t, later)
	f.wantBalance(t, a, 1800, 0)

	lots, err := f.s.OpenLots(ctx, a.ID)
	if err != nil || len(lots) != 3 {
		t.Fatalf("OpenLots = %+v, %v", lots, err)
	}
	if lots[0].EntryID != soon.ID || lots[1].EntryID != later.ID || lots[2].EntryID != never.ID {
		t.Errorf("OpenLots order = %s %s %s; want soonest expiring first, never last", lots[0].EntryID, lots[1].EntryID, lots[2].EntryID)
	}
	if l := lots[0]; l.Amount != 1000 || l.Remaining != 1000 || !l.ExpiresAt.Equal(soon.ExpiresAt) ||
		!l.CreatedAt.Equal(soon.CreatedAt) || l.AccountID != a.ID {
		t.Errorf("lot = %+v", l)
	}
	if !lots[2].ExpiresAt.IsZero() {
		t.Errorf("a never-expiring lot has ExpiresAt %v", lots[2].ExpiresAt)
	}

	// A debit of 1200 takes the soon lot whole and 200 of the later one.
	debit := f.entry(a, app.EntryDebit, -1200, 0, app.Draw{LotID: soon.ID, Amount: 1000}, app.Draw{LotID: later.ID, Amount: 200})
	f.mustAppend(t, debit)
	f.wantBalance(t, a, 600, 0)
	if got := f.remaining(t, a); !reflect.DeepEqual(got, map[string]int64{later.ID: 100, never.ID: 500}) {
		t.Errorf("remainders after the debit = %v", got)
	}
	got, err := f.s.Entry(ctx, debit.ID)
	if err != nil || !reflect.DeepEqual(got, debit) {
		t.Errorf("Entry(debit) =\n%+v, %v\nwant\n%+v", got, err, debit)
	}
	got, err = f.s.Entry(ctx, soon.ID)
	soon.Draws = nil
	if err != nil || !reflect.DeepEqual(got, soon) {
		t.Errorf("Entry(lot) =\n%+v, %v\nwant\n%+v", got, err, soon)
	}
	if _, err := f.s.Entry(ctx, "nope"); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("Entry(nope) = %v", err)
	}
	f.checkLedger(t)
}

// BN-02: the store refuses an overdraft, a bad draw, a duplicate id and a
// second settlement of one hold, and leaves nothing of the refused entry.
func TestAppendEntryRefuses(t *testing.T) {
	f := newLedgerFixture(t)
	a, b := f.annaAcc, f.borisAcc
	lot := f.mustAppend(t, f.entry(a, app.EntryAccrue, 1000, 0))
	bLot := f.mustAppend(t, f.entry(b, app.EntryAccrue, 5000, 0))
	hold := f.mustAppend(t, f.entry(a, app.EntryHold, 0, 400))

	for _, tc := range []struct {
		name string
		e    app.Entry
		want error
	}{
		{"debit beyond the balance", f.entry(a, app.EntryDebit, -1500, 0, app.Draw{LotID: lot.ID, Amount: 1500}), app.ErrInvalid},
		{"debit beyond what is available", f.entry(a, app.EntryDebit, -700, 0, app.Draw{LotID: lot.ID, Amount: 700}), app.ErrInvalid},
		{"hold beyond what is available", f.entry(a, app.EntryHold, 0, 700), app.ErrInvalid},
		{"draws short of the amount", f.entry(a, app.EntryDebit, -300, 0, app.Draw{LotID: lot.ID, Amount: 200}), app.ErrInvalid},
		{"a negative entry without draws", f.entry(a, app.EntryDebit, -100, 0), app.ErrInvalid},
		{"a positive entry with draws", f.entry(a, app.EntryAccrue, 100, 0, app.Draw{LotID: lot.ID, Amount: 100}), app.ErrInvalid},
		{"a draw from another account's lot", f.entry(a, app.EntryDebit, -100, 0, app.Draw{LotID: bLot.ID, Amount: 100}), app.ErrInvalid},
		{"a draw from no lot", f.entry(a, app.EntryDebit, -100, 0, app.Draw{LotID: hold.ID, Amount: 100}), app.ErrInvalid},
		{"a sign against the kind", f.entry(a, app.EntryAccrue, -100, 0, app.Draw{LotID: lot.ID, Amount: 100}), app.ErrInvalid},
		{"a held amount on an accrual", f.entry(a, app.EntryAccrue, 100, 100), app.ErrInvalid},
		{"an unknown kind", f.entry(a, "gift", 100, 0), app.ErrInvalid},
		{"another client's account", f.entry(app.Account{ID: a.ID, ClientID: f.boris.ID}, app.EntryAccrue, 100, 0), app.ErrInvalid},
		{"no such account", f.entry(app.Account{ID: "nope", ClientID: f.anna.ID}, app.EntryAccrue, 100, 0), app.ErrInvalid},
		{"an id that exists", func() app.Entry { e := f.entry(a, app.EntryAccrue, 100, 0); e.ID = lot.ID; return e }(), app.ErrConflict},
	} {
		if err := f.appendEntry(tc.e); !errors.Is(err, tc.want) {
			t.Errorf("%s: AppendEntry = %v, want %v", tc.name, err, tc.want)
		}
	}
	f.wantBalance(t, a, 1000, 400)
	if got := f.remaining(t, a); got[lot.ID] != 1000 {
		t.Errorf("lot remainder after refused entries = %d", got[lot.ID])
	}

	// Settlements: wrong ones are refused, the right one lands once.
	release := func(id string, held int64, holdID string) app.Entry {
		e := f.entry(a, app.EntryRelease, 0, held)
		e.ID, e.HoldID = id, holdID
		return e
	}
	settle := app.DerivedID("settle", hold.ID)
	for _, tc := range []struct {
		name string
		e    app.Entry
		want error
	}{
		{"a release of part of the hold", release(settle, -300, hold.ID), app.ErrInvalid},
		{"a release naming no hold", release(settle, -400, lot.ID), app.ErrInvalid},
		{"a release naming nothing", release(settle, -400, ""), app.ErrInvalid},
	} {
		if err := f.appendEntry(tc.e); !errors.Is(err, tc.want) {
			t.Errorf("%s: AppendEntry = %v, want %v", tc.name, err, tc.want)
		}
	}
	f.mustAppend(t, release(settle, -400, hold.ID))
	f.wantBalance(t, a, 1000, 0)
	if err := f.appendEntry(release(settle, -400, hold.ID)); !errors.Is(err, app.ErrConflict) {
		t.Errorf("the same settlement again = %v, want ErrConflict", err)
	}
	if err := f.appendEntry(release(app.NewID(), -400, hold.ID)); !errors.Is(err, app.ErrConflict) {
		t.Errorf("a second release of one hold = %v, want ErrConflict", err)
	}
	confirm := f.entry(a, app.EntryConfirm, -100, -400, app.Draw{LotID: lot.ID, Amount: 100})
	confirm.HoldID = hold.ID
	if err := f.appendEntry(confirm); !errors.Is(err, app.ErrConflict) {
		t.Errorf("a confirm of a released hold = %v, want ErrConflict", err)
	}
	f.wantBalance(t, a, 1000, 0)
	f.checkLedger(t)

	// A refused entry inside a transaction leaves nothing behind, and the
	// transaction goes on.
	ok := f.entry(a, app.EntryAccrue, 50, 0)
	err := f.s.Update(f.ctx, func(tx app.Tx) error {
		bad := f.entry(a, app.EntryDebit, -2000, 0, app.Draw{LotID: lot.ID, Amount: 2000})
		if err := tx.AppendEntry(f.ctx, bad); !errors.Is(err, app.ErrInvalid) {
			t.Errorf("overdraft inside a transaction = %v", err)
		}
		if _, err := tx.Entry(f.ctx, bad.ID); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("the refused entry is readable: %v", err)
		}
		return tx.AppendEntry(f.ctx, ok)
	})
	if err != nil {
		t.Fatal(err)
	}
	f.wantBalance(t, a, 1050, 0)
	f.checkLedger(t)
}

// BN-02: a hold reserves points, a confirm spends part of it and settles it;
// open holds are those not settled.
func TestHolds(t *testing.T) {
	f := newLedgerFixture(t)
	ctx := f.ctx
	a, b := f.annaAcc, f.borisAcc
	lot := f.mustAppend(t, f.entry(a, app.EntryAccrue, 1000, 0))
	f.mustAppend(t, f.entry(b, app.EntryAccrue, 1000, 0))
	h1 := f.entry(a, app.EntryHold, 0, 600)
	h1.OrderRef = "T-1"
	f.mustAppend(t, h1)
	h2 := f.mustAppend(t, f.entry(a, app.EntryHold, 0, 100))
	h3 := f.mustAppend(t, f.entry(b, app.EntryHold, 0, 200))
	f.wantBalance(t, a, 1000, 700)

	open, err := f.s.OpenHolds(ctx, f.anna.ID, time.Time{})
	if err != nil || len(open) != 2 || open[0].ID != h1.ID || open[1].ID != h2.ID || open[0].OrderRef != "T-1" || open[0].Held != 600 {
		t.Errorf("OpenHolds(anna) = %+v, %v", open, err)
	}
	open, err = f.s.OpenHolds(ctx, "", h2.CreatedAt.Add(time.Millisecond))
	if err != nil || len(open) != 2 || open[0].ID != h1.ID || open[1].ID != h2.ID {
		t.Errorf("OpenHolds(everyone, before h3) = %+v, %v", open, err)
	}

	// The order closes for 500 of the 600 held.
	c := f.entry(a, app.EntryConfirm, -500, -600, app.Draw{LotID: lot.ID, Amount: 500})
	c.ID, c.HoldID = app.DerivedID("settle", h1.ID), h1.ID
	f.mustAppend(t, c)
	f.wantBalance(t, a, 500, 100)
	if got := f.remaining(t, a); got[lot.ID] != 500 {
		t.Errorf("lot after the confirm: %v", got)
	}
	open, _ = f.s.OpenHolds(ctx, "", time.Time{})
	if len(open) != 2 || open[0].ID != h2.ID || open[1].ID != h3.ID {
		t.Errorf("OpenHolds after the confirm = %+v", open)
	}
	got, err := f.s.Entry(ctx, c.ID)
	if err != nil || got.HoldID != h1.ID || got.Held != -600 || len(got.Draws) != 1 {
		t.Errorf("Entry(confirm) = %+v, %v", got, err)
	}
	f.checkLedger(t)
}

// BN-02, BN-08: Entries by every field of EntryQuery, newest first; DueLots.
func TestEntriesAndDueLots(t *testing.T) {
	f := newLedgerFixture(t)
	ctx := f.ctx
	a, b := f.annaAcc, f.borisAcc
	p := app.Purchase{ID: app.NewID(), Number: "R-1", Kind: app.PurchaseSale, ClientID: f.anna.ID,
		OccurredAt: testNow, CreatedAt: testNow, UpdatedAt: testNow, NodeID: f.node}
	if err := f.s.Update(ctx, func(tx app.Tx) error { return tx.InsertPurchase(ctx, p) }); err != nil {
		t.Fatal(err)
	}
	e1 := f.entry(a, app.EntryAccrue, 1000, 0)
	e1.ExpiresAt, e1.PurchaseID = testNow.Add(time.Hour), p.ID
	f.mustAppend(t, e1)
	e2 := f.entry(b, app.EntryAccrue, 2000, 0)
	e2.ExpiresAt = testNow.Add(2 * time.Hour)
	f.mustAppend(t, e2)
	e3 := f.entry(a, app.EntryDebit, -100, 0, app.Draw{LotID: e1.ID, Amount: 100})
	e3.PurchaseID = p.ID
	f.mustAppend(t, e3)
	e4 := f.entry(a, app.EntryAccrue, 300, 0)
	e4.ExpiresAt = testNow.Add(3 * time.Hour)
	f.mustAppend(t, e4)
	e5 := f.mustAppend(t, f.entry(a, app.EntryHold, 0, 50))

	ids := func(es []app.Entry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		q    app.EntryQuery
		want []app.Entry
	}{
		{"all", app.EntryQuery{}, []app.Entry{e5, e4, e3, e2, e1}},
		{"client", app.EntryQuery{ClientID: f.anna.ID}, []app.Entry{e5, e4, e3, e1}},
		{"account", app.EntryQuery{AccountID: b.ID}, []app.Entry{e2}},
		{"purchase", app.EntryQuery{PurchaseID: p.ID}, []app.Entry{e3, e1}},
		{"kinds", app.EntryQuery{Kinds: []app.EntryKind{app.EntryDebit, app.EntryHold}}, []app.Entry{e5, e3}},
		{"page", app.EntryQuery{ClientID: f.anna.ID, Offset: 1, Limit: 2}, []app.Entry{e4, e3}},
	} {
		got, err := f.s.Entries(ctx, tc.q)
		if err != nil || !reflect.DeepEqual(ids(got), ids(tc.want)) {
			t.Errorf("Entries(%s) = %v, %v; want %v", tc.name, ids(got), err, ids(tc.want))
		}
	}
	if got, _ := f.s.Entries(ctx, app.EntryQuery{PurchaseID: p.ID}); len(got) == 2 {
		e3.Draws = nil
		if !reflect.DeepEqual(got[0], e3) {
			t.Errorf("Entries row =\n%+v\nwant\n%+v", got[0], e3)
		}
	}

	due, err := f.s.DueLots(ctx, testNow.Add(2*time.Hour), 0, 0)
	if err != nil || len(due) != 2 || due[0].EntryID != e1.ID || due[0].Remaining != 900 || due[1].EntryID != e2.ID {
		t.Errorf("DueLots = %+v, %v", due, err)
	}
	if due, _ := f.s.DueLots(ctx, testNow.Add(3*time.Hour), 0, 1); len(due) != 1 || due[0].EntryID != e1.ID {
		t.Errorf("DueLots(limit 1) = %+v", due)
	}
	// The expiry takes what is left of e1 (BN-08); e1 is due no more.
	exp := f.entry(a, app.EntryExpire, -900, 0, app.Draw{LotID: e1.ID, Amount: 900})
	exp.ID = app.DerivedID("expire", e1.ID)
	f.mustAppend(t, exp)
	if due, _ := f.s.DueLots(ctx, testNow.Add(2*time.Hour), 0, 0); len(due) != 1 || due[0].EntryID != e2.ID {
		t.Errorf("DueLots after the expiry = %+v", due)
	}
	f.wantBalance(t, a, 300, 50)
	f.checkLedger(t)
}

// BN-02: LedgerCheck finds nothing after a mixed sequence and finds every
// cache a raw write corrupts.
func TestLedgerCheck(t *testing.T) {
	f := newLedgerFixture(t)
	a, b := f.annaAcc, f.borisAcc
	l1 := f.mustAppend(t, f.entry(a, app.EntryAccrue, 1000, 0))
	l2 := f.mustAppend(t, f.entry(a, app.EntryCorrect, 250, 0))
	f.mustAppend(t, f.entry(a, app.EntryDebit, -1100, 0, app.Draw{LotID: l1.ID, Amount: 1000}, app.Draw{LotID: l2.ID, Amount: 100}))
	h := f.mustAppend(t, f.entry(a, app.EntryHold, 0, 100))
	c := f.entry(a, app.EntryConfirm, -80, -100, app.Draw{LotID: l2.ID, Amount: 80})
	c.HoldID = h.ID
	f.mustAppend(t, c)
	r := f.mustAppend(t, f.entry(a, app.EntryReturn, 80, 0))
	f.mustAppend(t, f.entry(a, app.EntryReverse, -50, 0, app.Draw{LotID: r.ID, Amount: 50}))
	f.mustAppend(t, f.entry(a, app.EntryCorrect, -70, 0, app.Draw{LotID: l2.ID, Amount: 70}))
	f.mustAppend(t, f.entry(b, app.EntryOpening, 333, 0))
	f.mustAppend(t, f.entry(b, app.EntryHold, 0, 33))
	f.wantBalance(t, a, 30, 0)
	f.wantBalance(t, b, 333, 33)
	f.checkLedger(t)

	raw := rawDB(t, f.path)
	for _, q := range []string{
		`UPDATE accounts SET posted = posted + 7 WHERE id = '` + a.ID + `'`,
		`UPDATE accounts SET held = held - 3 WHERE id = '` + b.ID + `'`,
		`UPDATE ledger_lots SET remaining = remaining + 5 WHERE entry_id = '` + l2.ID + `'`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	ms, err := f.s.LedgerCheck(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[app.LedgerMismatch]bool{
		{AccountID: a.ID, What: "posted", Cached: 37, Summed: 30}:                true,
		{AccountID: b.ID, What: "held", Cached: 30, Summed: 33}:                  true,
		{AccountID: a.ID, LotID: l2.ID, What: "remaining", Cached: 5, Summed: 0}: true,
	}
	if len(ms) != len(want) {
		t.Errorf("LedgerCheck = %+v, want %v", ms, want)
	}
	for _, m := range ms {
		if !want[m] {
			t.Errorf("LedgerCheck: unexpected %+v", m)
		}
	}
	// A lost lot row is found too.
	if _, err := raw.Exec(`DELETE FROM ledger_lots WHERE entry_id = ?`, l1.ID); err != nil {
		t.Fatal(err)
	}
	if ms, _ := f.s.LedgerCheck(f.ctx); len(ms) != 3 {
		t.Errorf("a lot that is used up and lost is no mismatch: %+v", ms)
	}
	if _, err := raw.Exec(`DELETE FROM ledger_lots WHERE entry_id = ?`, r.ID); err != nil {
		t.Fatal(err)
	}
	ms, _ = f.s.LedgerCheck(f.ctx)
	found := false
	for _, m := range ms {
		found = found || (m.LotID == r.ID && m.Cached == 0 && m.Summed == 30)
	}
	if !found {
		t.Errorf("a lost lot with points left is not found: %+v", ms)
	}
}

// BN-02: a refund writes its entries before its receipt in one transaction;
// an entry naming a receipt that never comes fails at the commit.
func TestEntryBeforeItsPurchase(t *testing.T) {
	f := newLedgerFixture(t)
	ctx := f.ctx
	p := app.Purchase{ID: app.NewID(), Number: "R-2", Kind: app.PurchaseSale, ClientID: f.anna.ID,
		OccurredAt: testNow, CreatedAt: testNow, UpdatedAt: testNow, NodeID: f.node}
	e := f.entry(f.annaAcc, app.EntryAccrue, 100, 0)
	e.PurchaseID = p.ID
	if err := f.s.Update(ctx, func(tx app.Tx) error {
		if err := tx.AppendEntry(ctx, e); err != nil {
			return err
		}
		return tx.InsertPurchase(ctx, p)
	}); err != nil {
		t.Fatalf("entry, then its purchase: %v", err)
	}
	orphan := f.entry(f.annaAcc, app.EntryAccrue, 100, 0)
	orphan.PurchaseID = "no-such-purchase"
	if err := f.appendEntry(orphan); !errors.Is(err, app.ErrInvalid) {
		t.Errorf("an entry of a purchase that never comes = %v, want ErrInvalid", err)
	}
	f.wantBalance(t, f.annaAcc, 100, 0)
}

// AccrueMany opens missing accounts, writes one lot per client and moves the
// balances as AppendEntry would; it refuses what is not a lot and mismatched
// lists, writing nothing.
func TestAccrueMany(t *testing.T) {
	f := newLedgerFixture(t)
	clara := testClient(f.node, "Клара", "Новикова", "")
	insertClient(t, f.s, clara)
	f.mustAppend(t, f.entry(f.annaAcc, app.EntryAccrue, 500, 0))
	e := app.Entry{Kind: app.EntryAccrue, Amount: 1000, Author: "owner", Reason: "праздник", CreatedAt: testNow, NodeID: f.node}
	clients := []string{f.anna.ID, clara.ID}
	accrue := func(e app.Entry, clients, entries, accounts []string) error {
		return f.s.Update(f.ctx, func(tx app.Tx) error {
			return tx.(app.BatchAccruer).AccrueMany(f.ctx, app.DefaultAccountTypeID, e, clients, entries, accounts)
		})
	}
	bad := e
	bad.Kind, bad.Amount = app.EntryDebit, -1000
	if err := accrue(bad, clients, []string{app.NewID(), app.NewID()}, []string{app.NewID(), app.NewID()}); !errors.Is(err, app.ErrInvalid) {
		t.Errorf("a debit: %v, want ErrInvalid", err)
	}
	if err := accrue(e, clients, []string{app.NewID()}, []string{app.NewID(), app.NewID()}); !errors.Is(err, app.ErrInvalid) {
		t.Errorf("mismatched lists: %v, want ErrInvalid", err)
	}
	if err := accrue(e, clients, []string{app.NewID(), app.NewID()}, []string{app.NewID(), app.NewID()}); err != nil {
		t.Fatal(err)
	}
	f.wantBalance(t, f.annaAcc, 1500, 0)
	claraAcc, err := f.s.Account(f.ctx, clara.ID, app.DefaultAccountTypeID)
	if err != nil {
		t.Fatal(err)
	}
	f.wantBalance(t, claraAcc, 1000, 0)
	if rem := f.remaining(t, claraAcc); len(rem) != 1 {
		t.Errorf("Клара's lots %v, want one", rem)
	}
	f.checkLedger(t)
}
