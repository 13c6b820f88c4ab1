package app_test

// Tests of the money side (issue 5) over the real SQLite store: the seed 001
// coffee example, the ledger's rules, purchases, refunds, holds, expiry and
// the lessons from the peers' trackers.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"loyaltydesk/app"
	"loyaltydesk/app/demo"
	"loyaltydesk/db"
)

// money is the money side's use cases over one env.
type money struct {
	*env
	ledger    *app.Ledger
	purchases *app.Purchases
	catalogue *app.Catalogue
	auth      *app.Auth
	till      *app.Till
	admin     app.Approval
}

func newMoney(t *testing.T) *money {
	t.Helper()
	e := newEnv(t)
	m := &money{env: e,
		ledger:    app.NewLedger(e.store, e.clock),
		purchases: app.NewPurchases(e.store, e.clock),
		catalogue: app.NewCatalogue(e.store, e.clock),
		auth:      app.NewAuth(e.store, e.clock),
	}
	m.till = app.NewTill(e.store, e.clock, m.ledger, m.purchases)
	m.ctx = app.WithActor(e.ctx, "Ольга")
	if _, err := m.auth.SaveUser(m.ctx, app.Approval{}, "", app.UserInput{Name: "Ольга", Role: app.RoleOwner, Secret: "4321"}); err != nil {
		t.Fatal(err)
	}
	ap, err := m.auth.Approve(m.ctx, "4321")
	if err != nil {
		t.Fatal(err)
	}
	m.admin = ap
	return m
}

// group makes a client group by name.
func (m *money) group(t *testing.T, name string) string {
	t.Helper()
	id := app.NewID()
	err := m.store.Update(m.ctx, func(tx app.Tx) error {
		return tx.InsertRef(m.ctx, app.RefGroup, app.Ref{ID: id, Name: name}, m.clock.Now(), m.store.NodeID())
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// guest makes a client, in group groupID when it is not empty.
func (m *money) guest(t *testing.T, phone, groupID string) app.Client {
	t.Helper()
	c := m.create(t, app.ClientInput{FirstName: "Гость " + phone, Phone: phone})
	if groupID != "" {
		if _, err := m.clients.Apply(m.ctx, app.ClientQuery{IDs: []string{c.ID}}, app.Action{Kind: app.ActionSetGroup, GroupID: groupID}); err != nil {
			t.Fatal(err)
		}
	}
	return m.get(t, c.ID)
}

// menu is the seed 001 venue: Coffee (cappuccino 250, latte 280) and Bakery
// (croissant 150), the group "Постоянные клиенты" and the program "Кэшбэк за
// кофе", 10 % of coffee lines for that group.
type menu struct {
	coffee, bakery         string
	cappuccino, latte, bun app.Product
	regulars               string
	program                app.Program
}

func (m *money) menu(t *testing.T) menu {
	t.Helper()
	var mn menu
	coffee, err := m.catalogue.SaveCategory(m.ctx, app.ProductCategory{Name: "Кофе"})
	if err != nil {
		t.Fatal(err)
	}
	bakery, err := m.catalogue.SaveCategory(m.ctx, app.ProductCategory{Name: "Выпечка"})
	if err != nil {
		t.Fatal(err)
	}
	mn.coffee, mn.bakery = coffee.ID, bakery.ID
	save := func(name, cat string, price int64) app.Product {
		p, err := m.catalogue.SaveProduct(m.ctx, app.Product{Name: name, CategoryID: cat, Price: price})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	mn.cappuccino = save("Капучино", coffee.ID, 250_00)
	mn.latte = save("Латте", coffee.ID, 280_00)
	mn.bun = save("Круассан", bakery.ID, 150_00)
	mn.regulars = m.group(t, "Постоянные клиенты")
	mn.program, err = m.catalogue.SaveProgram(m.ctx, app.Program{
		Name: "Кэшбэк за кофе", Enabled: true, GroupIDs: []string{mn.regulars},
		CategoryIDs: []string{coffee.ID}, Weekdays: app.AllWeekdays,
		Reward: app.RewardPercent, RewardValue: 1000, MaxPayShareBP: 5000,
	})
	if err != nil {
		t.Fatal(err)
	}
	return mn
}

func line(p app.Product, pieces int64) app.LineInput {
	return app.LineInput{ProductID: p.ID, CategoryID: p.CategoryID, Name: p.Name, Quantity: pieces * 1000, Price: p.Price}
}

func (m *money) balance(t *testing.T, clientID string) app.Account {
	t.Helper()
	a, err := m.ledger.Balance(m.ctx, clientID, app.DefaultAccountTypeID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (m *money) record(t *testing.T, in app.PurchaseInput) app.Purchase {
	t.Helper()
	p, err := m.purchases.Record(m.ctx, in)
	if err != nil {
		t.Fatalf("record %+v: %v", in, err)
	}
	return p
}

func (m *money) accrue(t *testing.T, clientID string, points int64) {
	t.Helper()
	_, err := m.ledger.Adjust(m.ctx, m.admin, app.Adjustment{Target: app.ClientQuery{IDs: []string{clientID}},
		Kind: app.AdjustAccrue, Amount: points, Reason: "тест"})
	if err != nil {
		t.Fatal(err)
	}
}

// checkLedger asserts the cached balances equal the entries' sums and no
// balance is negative.
func (m *money) checkLedger(t *testing.T) {
	t.Helper()
	ms, err := m.ledger.Check(m.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ms {
		t.Errorf("ledger mismatch: %+v", x)
	}
}

// Seed 001 (BN-06, GR-03, PU-03): a regular buys coffee at the till and sees
// 10 % of the coffee on their account when identified again; the croissant
// earns nothing, and a guest outside the group earns nothing.
func TestSeed001CoffeeCashback(t *testing.T) {
	m := newMoney(t)
	mn := m.menu(t)
	regular := m.guest(t, "+79161234567", mn.regulars)
	stranger := m.guest(t, "+79161234568", "")

	o := m.till.NewOrder()
	g, err := m.till.Identify(m.ctx, "8 916 123-45-67")
	if err != nil {
		t.Fatal(err)
	}
	if g.Client.ID != regular.ID || g.Account.ID != "" {
		t.Fatalf("identified %+v, want %s without an account (CL-04)", g.Client.ID, regular.ID)
	}
	if err := m.till.Attach(m.ctx, &o, g); err != nil {
		t.Fatal(err)
	}
	o.Lines = []app.LineInput{line(mn.cappuccino, 2), line(mn.bun, 1)}
	q, err := m.till.Quote(m.ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if q.Accrued() != 50_00 {
		t.Errorf("quote earns %d, want 5000", q.Accrued())
	}
	p, err := m.till.Close(m.ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if p.Sold != 650_00 || p.Paid != 650_00 || p.BonusAccrued != 50_00 {
		t.Errorf("receipt sold %d paid %d accrued %d, want 65000 65000 5000", p.Sold, p.Paid, p.BonusAccrued)
	}
	g, err = m.till.Identify(m.ctx, "+79161234567")
	if err != nil {
		t.Fatal(err)
	}
	if g.Account.Posted != 50_00 || g.Account.Available() != 50_00 {
		t.Errorf("balance after the coffee = %+v, want 50 points", g.Account)
	}
	if got := m.get(t, regular.ID).Stats; got.Visits != 1 || got.Sold != 650_00 {
		t.Errorf("client totals %+v, want one visit of 650", got)
	}

	o2 := m.till.NewOrder()
	gs, _ := m.till.Identify(m.ctx, "+79161234568")
	_ = m.till.Attach(m.ctx, &o2, gs)
	o2.Lines = []app.LineInput{line(mn.latte, 1)}
	p2, err := m.till.Close(m.ctx, o2)
	if err != nil {
		t.Fatal(err)
	}
	if p2.BonusAccrued != 0 || m.balance(t, stranger.ID).Posted != 0 {
		t.Errorf("a guest outside the group earned %d", p2.BonusAccrued)
	}
	m.checkLedger(t)
}

// BN-07: points pay at most the program's share of the bill; the cashier
// chooses how many within it; the cap is tested at and around its edge.
func TestPayWithPointsCappedByShare(t *testing.T) {
	m := newMoney(t)
	mn := m.menu(t)
	c := m.guest(t, "+79160000001", mn.regulars)
	m.accrue(t, c.ID, 1000_00)
	in := app.PurchaseInput{ClientID: c.ID, Lines: []app.LineInput{line(mn.latte, 1)}} // 280, cap 50 % = 140
	q, err := m.purchases.Preview(m.ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if q.PayCap != 140_00 {
		t.Fatalf("cap = %d, want 14000", q.PayCap)
	}
	in.BonusPay = 140_01
	_, err = m.purchases.Record(m.ctx, in)
	wantField(t, err, app.FieldBonusPay, app.ReasonOverCap)
	if m.balance(t, c.ID).Posted != 1000_00 {
		t.Fatal("a refused order moved the balance")
	}
	in.BonusPay = 139_99
	p := m.record(t, in)
	if p.BonusSpent != 139_99 || p.Paid != 280_00-139_99 {
		t.Errorf("spent %d paid %d", p.BonusSpent, p.Paid)
	}
	in.Number, in.BonusPay = "", 140_00
	m.record(t, in)
	m.checkLedger(t)
}

// BN-07: the minimum balance is a floor on what the guest has, tested at
// the threshold and one kopeck below.
func TestMinBalanceThreshold(t *testing.T) {
	m := newMoney(t)
	mn := m.menu(t)
	mn.program.MinBalance = 100_00
	if _, err := m.catalogue.SaveProgram(m.ctx, mn.program); err != nil {
		t.Fatal(err)
	}
	c := m.guest(t, "+79160000002", mn.regulars)
	m.accrue(t, c.ID, 99_99)
	in := app.PurchaseInput{ClientID: c.ID, Lines: []app.LineInput{line(mn.latte, 1)}}
	if q, _ := m.purchases.Preview(m.ctx, in); q.PayCap != 0 {
		t.Errorf("cap at 99.99 points = %d, want 0", q.PayCap)
	}
	m.accrue(t, c.ID, 1)
	if q, _ := m.purchases.Preview(m.ctx, in); q.PayCap != 100_00 {
		t.Errorf("cap at 100 points = %d, want 10000 (all available, under the share)", q.PayCap)
	}
}

// BN-06: the minimum order is tested at the threshold and one kopeck either side.
func TestMinOrderThreshold(t *testing.T) {
	m := newMoney(t)
	mn := m.menu(t)
	mn.program.MinOrder = 500_00
	if _, err := m.catalogue.SaveProgram(m.ctx, mn.program); err != nil {
		t.Fatal(err)
	}
	c := m.guest(t, "+79160000003", mn.regulars)
	for _, tc := range []struct {
		amount, want int64
	}{{499_99, 0}, {500_00, 50_00}, {500_01, 50_00}} {
		in := app.PurchaseInput{ClientID: c.ID, Lines: []app.LineInput{{ProductID: mn.cappuccino.ID, CategoryID: mn.coffee, Quantity: 1000, Price: tc.amount}}}
		q, err := m.purchases.Preview(m.ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if q.Accrued() != tc.want {
			t.Errorf("order of %d earns %d, want %d", tc.amount, q.Accrued(), tc.want)
		}
	}
}

// PU-05 and the lesson: a refund takes back what its lines earned and
// returns what they spent, exactly once; buy + full refund leaves the
// balance and the client's totals as they were.
func TestFullRefundRestoresBothBalances(t *testing.T) {
	m := newMoney(t)
	mn := m.menu(t)
	c := m.guest(t, "+79160000004", mn.regulars)
	m.accrue(t, c.ID, 200_00)
	before := m.balance(t, c.ID)
	stats := m.get(t, c.ID).Stats
	sale := m.record(t, app.PurchaseInput{ClientID: c.ID, BonusPay: 100_00,
		Lines: []app.LineInput{line(mn.cappuccino, 2), line(mn.bun, 1)}})
	// 10 % of the coffee (500) less its share of the 100 points paid
	// (500/650 of them: 76.92): 42.30.
	if sale.BonusAccrued != 42_30 {
		t.Errorf("accrued %d, want 4230", sale.BonusAccrued)
	}
	es, _ := m.ledger.History(m.ctx, app.EntryQuery{PurchaseID: sale.ID})
	if len(es) != 2 {
		t.Fatalf("the sale wrote %d entries, want a debit and an accrual, never a net", len(es))
	}
	rf, err := m.purchases.Refund(m.ctx, app.RefundInput{PurchaseID: sale.ID})
	if err != nil {
		t.Fatal(err)
	}
	if rf.BonusSpent != 100_00 || rf.BonusAccrued != 42_30 || rf.Sold != sale.Sold || rf.Paid != sale.Paid || rf.Unrecovered != 0 {
		t.Errorf("refund %+v", rf)
	}
	after := m.balance(t, c.ID)
	if after.Posted != before.Posted || after.Held != 0 {
		t.Errorf("balance after buy + refund = %d, want %d", after.Posted, before.Posted)
	}
	got := m.get(t, c.ID).Stats
	if got.Sold != stats.Sold || got.Paid != stats.Paid {
		t.Errorf("totals after buy + refund = %+v, want %+v", got, stats)
	}
	// A second full refund finds nothing left.
	_, err = m.purchases.Refund(m.ctx, app.RefundInput{PurchaseID: sale.ID})
	wantField(t, err, app.FieldPurchase, app.ReasonTooMany)
	m.checkLedger(t)
}

// PU-05: partial refunds by line add up exactly to the sale, and a line
// cannot be refunded beyond its quantity.
func TestPartialRefundsByLine(t *testing.T) {
	m := newMoney(t)
	mn := m.menu(t)
	c := m.guest(t, "+79160000005", mn.regulars)
	m.accrue(t, c.ID, 100_00)
	sale := m.record(t, app.PurchaseInput{ClientID: c.ID, DiscountBP: 700, BonusPay: 33_33,
		Lines: []app.LineInput{line(mn.cappuccino, 3), line(mn.latte, 1)}})
	capLine := sale.Lines[0].ID
	var spent, accrued, sold, paid int64
	for _, q := range []int64{1000, 1000, 1000} {
		rf, err := m.purchases.Refund(m.ctx, app.RefundInput{PurchaseID: sale.ID, Lines: []app.RefundLine{{LineID: capLine, Quantity: q}}})
		if err != nil {
			t.Fatal(err)
		}
		spent += rf.BonusSpent
		accrued += rf.BonusAccrued
		sold += rf.Sold
		paid += rf.Paid
	}
	_, err := m.purchases.Refund(m.ctx, app.RefundInput{PurchaseID: sale.ID, Lines: []app.RefundLine{{LineID: capLine, Quantity: 1000}}})
	wantField(t, err, app.FieldQuantity, app.ReasonTooMany)
	rf, err := m.purchases.Refund(m.ctx, app.RefundInput{PurchaseID: sale.ID}) // the latte
	if err != nil {
		t.Fatal(err)
	}
	spent += rf.BonusSpent
	accrued += rf.BonusAccrued
	sold += rf.Sold
	paid += rf.Paid
	if spent != sale.BonusSpent || accrued != sale.BonusAccrued || sold != sale.Sold || paid != sale.Paid {
		t.Errorf("refunds add up to spent %d accrued %d sold %d paid %d; sale %d %d %d %d",
			spent, accrued, sold, paid, sale.BonusSpent, sale.BonusAccrued, sale.Sold, sale.Paid)
	}
	if b := m.balance(t, c.ID); b.Posted != 100_00 {
		t.Errorf("balance after refunding everything = %d, want 10000", b.Posted)
	}
	m.checkLedger(t)
}

// PU-05: points earned and already spent cannot be taken back; the refund
// reports them instead of driving the balance negative.
func TestRefundAfterEarnedPointsSpent(t *testing.T) {
	m := newMoney(t)
	mn := m.menu(t)
	c := m.guest(t, "+79160000006", mn.regulars)
	sale := m.record(t, app.PurchaseInput{ClientID: c.ID, Lines: []app.LineInput{line(mn.cappuccino, 4)}}) // earns 100
	m.record(t, app.PurchaseInput{ClientID: c.ID, BonusPay: 80_00, Lines: []app.LineInput{line(mn.bun, 2)}})
	rf, err := m.purchases.Refund(m.ctx, app.RefundInput{PurchaseID: sale.ID})
	if err != nil {
		t.Fatal(err)
	}
	if rf.BonusAccrued != 20_00 || rf.Unrecovered != 80_00 {
		t.Errorf("took back %d, unrecovered %d; want 2000 and 8000", rf.BonusAccrued, rf.Unrecovered)
	}
	if b := m.balance(t, c.ID); b.Posted != 0 {
		t.Errorf("balance %d, want 0", b.Posted)
	}
	m.checkLedger(t)
}

// Lessons: voided lines earn nothing; the accrual is on the amount after
// discounts; the part paid with points earns nothing unless the program
// says so; a "paid" base counts the money actually received (LR-09).
func TestAccrualBase(t *testing.T) {
	m := newMoney(t)
	mn := m.menu(t)
	c := m.guest(t, "+79160000007", mn.regulars)
	m.accrue(t, c.ID, 100_00)
	voided := line(mn.latte, 1)
	voided.Voided = true
	in := app.PurchaseInput{ClientID: c.ID, DiscountBP: 1000, Lines: []app.LineInput{line(mn.cappuccino, 2), voided}}
	q, err := m.purchases.Preview(m.ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if q.Purchase.Sold != 450_00 || q.Accrued() != 45_00 {
		t.Errorf("sold %d accrued %d, want 45000 (after 10 %% off, latte voided) and 4500", q.Purchase.Sold, q.Accrued())
	}
	in.BonusPay = 50_00
	if q, _ = m.purchases.Preview(m.ctx, in); q.Accrued() != 40_00 {
		t.Errorf("with 50 points paid: accrued %d, want 4000", q.Accrued())
	}
	mn.program.EarnOnBonusPaid = true
	if _, err := m.catalogue.SaveProgram(m.ctx, mn.program); err != nil {
		t.Fatal(err)
	}
	if q, _ = m.purchases.Preview(m.ctx, in); q.Accrued() != 45_00 {
		t.Errorf("earning on points paid: accrued %d, want 4500", q.Accrued())
	}
	mn.program.Base, mn.program.EarnOnBonusPaid = app.BasePaid, false
	if _, err := m.catalogue.SaveProgram(m.ctx, mn.program); err != nil {
		t.Fatal(err)
	}
	paid := int64(200_00) // of 400 due in money the guest paid 200
	in.Paid = &paid
	if q, _ = m.purchases.Preview(m.ctx, in); q.Accrued() != 20_00 || q.Purchase.Paid != 200_00 {
		t.Errorf("paid base: accrued %d paid %d, want 2000 and 20000", q.Accrued(), q.Purchase.Paid)
	}
}

// PU-02: the same purchase number with the same content records once and
// accrues once; with other content it is refused.
func TestSameNumberTwiceAccruesOnce(t *testing.T) {
	m := newMoney(t)
	mn := m.menu(t)
	c := m.guest(t, "+79160000008", mn.regulars)
	in := app.PurchaseInput{Number: "R-1001", ClientID: c.ID, Lines: []app.LineInput{line(mn.cappuccino, 1)}}
	first := m.record(t, in)
	again := m.record(t, in)
	if again.ID != first.ID {
		t.Errorf("retry made purchase %s, want %s", again.ID, first.ID)
	}
	if b := m.balance(t, c.ID); b.Posted != 25_00 {
		t.Errorf("balance %d after a retried purchase, want 2500", b.Posted)
	}
	if got := m.get(t, c.ID).Stats.Visits; got != 1 {
		t.Errorf("%d visits, want 1", got)
	}
	in.Lines = []app.LineInput{line(mn.latte, 1)}
	_, err := m.purchases.Record(m.ctx, in)
	wantField(t, err, app.FieldNumber, app.ReasonMismatch)
}

// BN-02: a hold reserves points; cancelling the order releases them; a
// closed order confirms its hold; an abandoned one is released by the
// timeout job; "reset holds" releases what is pending.
func TestHolds(t *testing.T) {
	m := newMoney(t)
	mn := m.menu(t)
	c := m.guest(t, "+79160000009", mn.regulars)
	m.accrue(t, c.ID, 300_00)
	g, _ := m.till.Guest(m.ctx, c.ID)

	o := m.till.NewOrder()
	_ = m.till.Attach(m.ctx, &o, g)
	o.Lines = []app.LineInput{line(mn.latte, 2)}
	if err := m.till.PayWithPoints(m.ctx, &o, 100_00); err != nil {
		t.Fatal(err)
	}
	if b := m.balance(t, c.ID); b.Held != 100_00 || b.Available() != 200_00 {
		t.Fatalf("after the hold: %+v", b)
	}
	if err := m.till.Cancel(m.ctx, o); err != nil {
		t.Fatal(err)
	}
	if b := m.balance(t, c.ID); b.Held != 0 || b.Posted != 300_00 {
		t.Fatalf("after cancel: %+v", b)
	}

	o = m.till.NewOrder()
	_ = m.till.Attach(m.ctx, &o, g)
	o.Lines = []app.LineInput{line(mn.latte, 2)}
	if err := m.till.PayWithPoints(m.ctx, &o, 280_00); err != nil { // the whole cap
		t.Fatal(err)
	}
	p, err := m.till.Close(m.ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	es, _ := m.ledger.History(m.ctx, app.EntryQuery{PurchaseID: p.ID, Kinds: []app.EntryKind{app.EntryConfirm}})
	if len(es) != 1 || es[0].Amount != -280_00 {
		t.Fatalf("close confirmed %+v", es)
	}
	if b := m.balance(t, c.ID); b.Held != 0 || b.Posted != 300_00-280_00+28_00 {
		t.Errorf("after close: %+v", b)
	}

	// Abandoned: the till went away with a hold standing.
	o = m.till.NewOrder()
	_ = m.till.Attach(m.ctx, &o, g)
	o.Lines = []app.LineInput{line(mn.cappuccino, 1)}
	if err := m.till.PayWithPoints(m.ctx, &o, 10_00); err != nil {
		t.Fatal(err)
	}
	if n, _ := m.ledger.ReleaseStale(m.ctx, app.HoldTimeout); n != 0 {
		t.Errorf("released %d fresh holds", n)
	}
	m.clock.Advance(app.HoldTimeout + time.Minute)
	if n, _ := m.ledger.ReleaseStale(m.ctx, app.HoldTimeout); n != 1 {
		t.Errorf("released %d stale holds, want 1", n)
	}
	if n, _ := m.ledger.ReleaseStale(m.ctx, app.HoldTimeout); n != 0 {
		t.Errorf("a re-run released %d more", n)
	}
	if b := m.balance(t, c.ID); b.Held != 0 {
		t.Errorf("held %d after the timeout", b.Held)
	}
	// Closing that order later still works: the points are debited afresh.
	if _, err := m.till.Close(m.ctx, o); err != nil {
		t.Fatal(err)
	}

	if _, err := m.ledger.Hold(m.ctx, c.ID, "", 5_00, "A"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.ledger.Hold(m.ctx, c.ID, "", 6_00, "B"); err != nil {
		t.Fatal(err)
	}
	if n, err := m.ledger.ResetHolds(m.ctx, c.ID); err != nil || n != 2 {
		t.Errorf("reset holds released %d (%v), want 2", n, err)
	}
	if b := m.balance(t, c.ID); b.Held != 0 {
		t.Errorf("held %d after reset", b.Held)
	}
	m.checkLedger(t)
}

// BN-02: two debits racing on goroutines cannot overdraw the account.
func TestConcurrentDebitsCannotOverdraw(t *testing.T) {
	m := newMoney(t)
	c := m.guest(t, "+79160000010", "")
	m.accrue(t, c.ID, 100_00)
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			_, err := m.ledger.Adjust(m.ctx, m.admin, app.Adjustment{Target: app.ClientQuery{IDs: []string{c.ID}},
				Kind: app.AdjustDebit, Amount: 30_00, Reason: "гонка"})
			errs <- err
		}()
	}
	ok := 0
	for range 8 {
		err := <-errs
		switch {
		case err == nil:
			ok++
		case errors.Is(err, app.ErrInvalid):
			wantField(t, err, app.FieldAmount, app.ReasonInsufficient)
		default:
			t.Error(err)
		}
	}
	if ok != 3 {
		t.Errorf("%d debits of 30 from 100 went through, want 3", ok)
	}
	if b := m.balance(t, c.ID); b.Posted != 10_00 {
		t.Errorf("balance %d, want 1000", b.Posted)
	}
	m.checkLedger(t)
}

// BN-08 and the lesson: spends draw the soonest-expiring lots first, so
// expiry takes only what is left of a lot, never spent or held points, and
// never drives a balance negative; a re-run expires nothing more.
func TestExpiryDrawsLotsOldestExpiringFirst(t *testing.T) {
	m := newMoney(t)
	types, _ := m.ledger.AccountTypes(m.ctx)
	def := types[0]
	def.ExpiryDays = 30
	if _, err := m.ledger.SaveAccountType(m.ctx, def); err != nil {
		t.Fatal(err)
	}
	c := m.guest(t, "+79160000011", "")
	m.accrue(t, c.ID, 100_00) // lot A, expires day 30
	m.clock.Advance(10 * 24 * time.Hour)
	m.admin, _ = m.auth.Approve(m.ctx, "4321")
	m.accrue(t, c.ID, 50_00) // lot B, expires day 40
	m.clock.Advance(10 * 24 * time.Hour)
	m.admin, _ = m.auth.Approve(m.ctx, "4321") // the approval of day 0 has run out
	if _, err := m.ledger.Adjust(m.ctx, m.admin, app.Adjustment{Target: app.ClientQuery{IDs: []string{c.ID}},
		Kind: app.AdjustDebit, Amount: 120_00, Reason: "подарок"}); err != nil {
		t.Fatal(err)
	}
	es, _ := m.ledger.History(m.ctx, app.EntryQuery{ClientID: c.ID, Kinds: []app.EntryKind{app.EntryDebit}})
	full, err := m.store.Entry(m.ctx, es[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Draws) != 2 || full.Draws[0].Amount != 100_00 || full.Draws[1].Amount != 20_00 {
		t.Errorf("debit draws %+v, want all of the first lot then 20 of the second", full.Draws)
	}
	if _, err := m.ledger.Hold(m.ctx, c.ID, "", 25_00, "X"); err != nil {
		t.Fatal(err)
	}
	m.clock.Advance(25 * 24 * time.Hour) // day 45: both lots due
	n, err := m.ledger.ExpireDue(m.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("expired %d lots, want 1 (lot A is spent)", n)
	}
	b := m.balance(t, c.ID)
	if b.Posted != 25_00 || b.Held != 25_00 || b.Available() != 0 {
		t.Errorf("after expiry: %+v, want the held 25 kept", b)
	}
	if n, _ := m.ledger.ExpireDue(m.ctx); n != 0 {
		t.Errorf("a re-run expired %d more", n)
	}
	// Once the order lets go of its hold, the held rest expires too.
	if _, err := m.ledger.ResetHolds(m.ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := m.ledger.ExpireDue(m.ctx); n != 1 {
		t.Errorf("after the hold: expired %d, want 1", n)
	}
	if b := m.balance(t, c.ID); b.Posted != 0 || b.Held != 0 {
		t.Errorf("after the hold's rest expired: %+v", b)
	}
	if n, _ := m.ledger.ExpireDue(m.ctx); n != 0 {
		t.Errorf("a last re-run expired %d more", n)
	}
	m.checkLedger(t)
}

// BN-08: due lots held back by open orders do not stop a run from reaching
// the lots after them, however many they are.
func TestExpiryStepsOverHeldLots(t *testing.T) {
	m := newMoney(t)
	types, _ := m.ledger.AccountTypes(m.ctx)
	def := types[0]
	def.ExpiryDays = 1
	if _, err := m.ledger.SaveAccountType(m.ctx, def); err != nil {
		t.Fatal(err)
	}
	var held []string
	for i := range 3 {
		c := m.guest(t, fmt.Sprintf("+7916999000%d", i), "")
		m.accrue(t, c.ID, 10_00)
		if i < 2 { // these two keep everything held
			if _, err := m.ledger.Hold(m.ctx, c.ID, "", 10_00, "X"); err != nil {
				t.Fatal(err)
			}
			held = append(held, c.ID)
		}
	}
	m.clock.Advance(48 * time.Hour)
	if n, err := m.ledger.ExpireDue(m.ctx); err != nil || n != 1 {
		t.Fatalf("expired %d (%v), want the one lot not held", n, err)
	}
	for _, id := range held {
		if b := m.balance(t, id); b.Posted != 10_00 {
			t.Errorf("a held lot expired: %+v", b)
		}
	}
	m.checkLedger(t)
}

// Lesson: every movement carries a reason and an actor.
func TestEveryEntryHasReasonAndActor(t *testing.T) {
	m := newMoney(t)
	mn := m.menu(t)
	c := m.guest(t, "+79160000012", mn.regulars)
	m.accrue(t, c.ID, 100_00)
	sale := m.record(t, app.PurchaseInput{ClientID: c.ID, BonusPay: 50_00, Lines: []app.LineInput{line(mn.latte, 1)}})
	if _, err := m.purchases.Refund(m.ctx, app.RefundInput{PurchaseID: sale.ID, Reason: "остыл"}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.ledger.Hold(m.ctx, c.ID, "", 1_00, "Z"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.ledger.ResetHolds(m.ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	es, err := m.ledger.History(m.ctx, app.EntryQuery{ClientID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) < 6 {
		t.Fatalf("%d entries", len(es))
	}
	for _, e := range es {
		if e.Author == "" || e.Reason == "" {
			t.Errorf("%s entry without author or reason: %+v", e.Kind, e)
		}
	}
	// Manual operations need a reason, and an approval.
	_, err = m.ledger.Adjust(m.ctx, m.admin, app.Adjustment{Target: app.ClientQuery{IDs: []string{c.ID}}, Kind: app.AdjustAccrue, Amount: 1})
	wantField(t, err, app.FieldOpReason, app.ReasonRequired)
	_, err = m.ledger.Adjust(m.ctx, app.Approval{}, app.Adjustment{Target: app.ClientQuery{IDs: []string{c.ID}}, Kind: app.AdjustAccrue, Amount: 1, Reason: "x"})
	if !errors.Is(err, app.ErrDenied) {
		t.Errorf("adjust without approval: %v, want ErrDenied", err)
	}
}

// BN-05: a bulk debit leaves out the clients who cannot afford it, in one
// transaction with one audit line.
func TestBulkDebitSkipsShortClients(t *testing.T) {
	m := newMoney(t)
	a := m.guest(t, "+79160000013", "")
	b := m.guest(t, "+79160000014", "")
	m.accrue(t, a.ID, 100_00)
	m.accrue(t, b.ID, 10_00)
	rep, err := m.ledger.Adjust(m.ctx, m.admin, app.Adjustment{Target: app.ClientQuery{IDs: []string{a.ID, b.ID}},
		Kind: app.AdjustDebit, Amount: 50_00, Reason: "акция", Message: "Списали 50 баллов"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Changed != 1 || len(rep.Short) != 1 || rep.Short[0] != b.ID {
		t.Errorf("report %+v", rep)
	}
	if m.balance(t, a.ID).Posted != 50_00 || m.balance(t, b.ID).Posted != 10_00 {
		t.Error("balances moved wrongly")
	}
	log, _ := m.auth.AuditLog(m.ctx, app.AuditQuery{Action: "ledger.debit"})
	if len(log) != 1 || log[0].Actor != "Ольга" {
		t.Errorf("audit %+v", log)
	}
}

// PU-06: a gift costs its points, and cannot be given without them.
func TestGift(t *testing.T) {
	m := newMoney(t)
	c := m.guest(t, "+79160000015", "")
	g, err := m.catalogue.SaveGift(m.ctx, app.Gift{Name: "Десерт", Points: 150_00})
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.purchases.Gift(m.ctx, c.ID, g.ID, "")
	wantField(t, err, app.FieldPoints, app.ReasonInsufficient)
	m.accrue(t, c.ID, 200_00)
	p, err := m.purchases.Gift(m.ctx, c.ID, g.ID, "день рождения")
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind != app.PurchaseGift || p.BonusSpent != 150_00 || m.balance(t, c.ID).Posted != 50_00 {
		t.Errorf("gift %+v, balance %d", p, m.balance(t, c.ID).Posted)
	}
	if got := m.get(t, c.ID).Stats.Visits; got != 0 {
		t.Errorf("a gift counted as %d visits", got)
	}
}

// CL-08: a blocked client is not identified and earns nothing.
func TestBlockedClientEarnsNothing(t *testing.T) {
	m := newMoney(t)
	mn := m.menu(t)
	c := m.guest(t, "+79160000016", mn.regulars)
	if _, err := m.clients.Apply(m.ctx, app.ClientQuery{IDs: []string{c.ID}}, app.Action{Kind: app.ActionBlock, Reason: "долг"}); err != nil {
		t.Fatal(err)
	}
	g, err := m.till.Identify(m.ctx, "+79160000016")
	if !errors.Is(err, app.ErrBlocked) || g.Client.ID != c.ID {
		t.Fatalf("identify a blocked client: %v", err)
	}
	p := m.record(t, app.PurchaseInput{ClientID: c.ID, Lines: []app.LineInput{line(mn.latte, 1)}})
	if p.BonusAccrued != 0 {
		t.Errorf("blocked client earned %d", p.BonusAccrued)
	}
}

// AD-01: repeated wrong passwords lock the prompt for a while.
func TestApprovalLockout(t *testing.T) {
	m := newMoney(t)
	for i := range 5 {
		_, err := m.auth.Approve(m.ctx, "0000")
		if i < 4 && !errors.Is(err, app.ErrBadSecret) {
			t.Fatalf("try %d: %v", i, err)
		}
		if i == 4 && !errors.Is(err, app.ErrLocked) {
			t.Fatalf("fifth wrong try: %v, want locked", err)
		}
	}
	if _, err := m.auth.Approve(m.ctx, "4321"); !errors.Is(err, app.ErrLocked) {
		t.Fatalf("the right password while locked: %v", err)
	}
	m.clock.Advance(time.Minute + time.Second)
	if _, err := m.auth.Approve(m.ctx, "4321"); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	cashier, err := m.auth.SaveUser(m.ctx, m.admin, "", app.UserInput{Name: "Кассир", Role: app.RoleCashier, Secret: "1111"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.auth.Approve(m.ctx, "1111"); !errors.Is(err, app.ErrBadSecret) {
		t.Errorf("a cashier's PIN approved: %v", err)
	}
	if s, err := m.auth.SignIn(m.ctx, "кассир", "1111"); err != nil || s.UserID != cashier.ID || s.Role != app.RoleCashier {
		t.Errorf("sign in: %+v %v", s, err)
	}
}

// Issue 5, item 9 (CL-18): the client import takes an opening balance,
// written as one "opening" entry per client; a bad balance rejects the file
// and writes nothing; importing the file again does not double it.
func TestImportOpeningBalances(t *testing.T) {
	m := newMoney(t)
	rows := func(cells ...[]string) []app.ImportRow {
		var out []app.ImportRow
		for i, c := range cells {
			out = append(out, app.ImportRow{Line: i + 2, Cells: c})
		}
		return out
	}
	tb := app.ImportTable{Name: "old.csv", Header: []string{"ФИО", "Телефон", "Баллы"}, Rows: rows(
		[]string{"Смирнова Анна", "+79161110001", "150,50"},
		[]string{"Иванов Пётр", "+79161110002", "-5"},
	)}
	opt := app.ImportOptions{Mapping: app.AutoMap(tb.Header, nil), Duplicates: app.DuplicatesMerge}
	if opt.Mapping[2] != app.ImportOpening {
		t.Fatalf("«Баллы» maps to %q", opt.Mapping[2])
	}
	rep := m.importTable(t, tb, opt)
	if rep.Written || rep.Rejected != 1 || rep.Problems[0].Field != app.FieldOpeningBal || rep.Problems[0].Reason != app.ReasonNegative {
		t.Fatalf("report %+v", rep)
	}
	if ms, _ := m.ledger.History(m.ctx, app.EntryQuery{}); len(ms) != 0 {
		t.Fatalf("a rejected import wrote %d entries", len(ms))
	}
	tb.Rows[1].Cells[2] = "1 200"
	rep = m.importTable(t, tb, opt)
	if !rep.Written || rep.Openings != 2 {
		t.Fatalf("report %+v", rep)
	}
	anna := m.lookup(t, "+79161110001")
	if b := m.balance(t, anna.ID); b.Posted != 150_50 {
		t.Errorf("Anna's balance %d, want 15050", b.Posted)
	}
	es, _ := m.ledger.History(m.ctx, app.EntryQuery{ClientID: anna.ID})
	if len(es) != 1 || es[0].Kind != app.EntryOpening {
		t.Errorf("entries %+v, want one opening", es)
	}
	rep = m.importTable(t, tb, opt) // again: merged, no second opening
	if !rep.Written {
		t.Fatalf("report %+v", rep)
	}
	if b := m.balance(t, anna.ID); b.Posted != 150_50 {
		t.Errorf("after a second import Anna has %d", b.Posted)
	}
	m.checkLedger(t)
}

// The demo venue's loyalty setup (demo.Loyalty) goes through the use cases:
// its programs and balances are what the screenshots show.
func TestDemoLoyalty(t *testing.T) {
	ctx := app.WithActor(context.Background(), "demo")
	path := filepath.Join(t.TempDir(), "demo.db")
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	if _, err := db.LoadDemo(ctx, path, app.NewManualClock(now), demo.Options{Clients: 400, Seed: 3, Now: now}, nil); err != nil {
		t.Fatal(err)
	}
	store, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := demo.Loyalty(ctx, store, app.NewManualClock(now), 50); err != nil {
		t.Fatal(err)
	}
	ps, err := store.Programs(ctx)
	if err != nil || len(ps) != 2 || len(ps[1].CategoryIDs) != 1 {
		t.Fatalf("programs %+v, %v", ps, err)
	}
	es, err := store.Entries(ctx, app.EntryQuery{Kinds: []app.EntryKind{app.EntryOpening}})
	if err != nil || len(es) < 20 {
		t.Fatalf("%d opening balances, %v", len(es), err)
	}
}

// BN-05: a bulk accrual to a filtered list opens the accounts it lacks, gives
// every client one lot with the type's expiry, and keeps the caches true.
func TestBulkAccrualToFilteredList(t *testing.T) {
	m := newMoney(t)
	types, _ := m.ledger.AccountTypes(m.ctx)
	def := types[0]
	def.ExpiryDays = 10
	if _, err := m.ledger.SaveAccountType(m.ctx, def); err != nil {
		t.Fatal(err)
	}
	g := m.group(t, "Акция")
	var ids []string
	for i := range 7 {
		group := g
		if i == 6 {
			group = ""
		}
		ids = append(ids, m.guest(t, fmt.Sprintf("+7916777000%d", i), group).ID)
	}
	m.accrue(t, ids[0], 5_00) // one already has an account
	rep, err := m.ledger.Adjust(m.ctx, m.admin, app.Adjustment{Target: app.ClientQuery{Filter: app.ClientFilter{GroupID: g}},
		Kind: app.AdjustAccrue, Amount: 100_00, Reason: "8 марта", Message: "Дарим 100 баллов"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Changed != 6 || rep.Total != 600_00 {
		t.Errorf("report %+v", rep)
	}
	for i, id := range ids {
		want := int64(100_00)
		switch i {
		case 0:
			want = 105_00
		case 6:
			want = 0
		}
		if b := m.balance(t, id); b.Posted != want {
			t.Errorf("client %d: balance %d, want %d", i, b.Posted, want)
		}
	}
	es, _ := m.ledger.History(m.ctx, app.EntryQuery{ClientID: ids[1]})
	if len(es) != 1 || es[0].Reason != "8 марта" || es[0].Message != "Дарим 100 баллов" || es[0].Author != "Ольга" ||
		!es[0].ExpiresAt.Equal(m.clock.Now().AddDate(0, 0, 10)) {
		t.Errorf("entries %+v", es)
	}
	m.checkLedger(t)
	m.clock.Advance(11 * 24 * time.Hour)
	if n, err := m.ledger.ExpireDue(m.ctx); err != nil || n != 7 {
		t.Errorf("expired %d lots (%v), want 7", n, err)
	}
	m.checkLedger(t)
}

// Issue 6, item 1: the totals each purchase, refund and gift keeps on the
// client equal a recomputation from the purchases, on a 10,000-client demo
// venue after a few hundred operations through the use cases; a spoilt figure
// is found and the rebuild puts it right.
func TestIncrementalTotalsEqualRebuild(t *testing.T) {
	ctx := app.WithActor(context.Background(), "test")
	path := filepath.Join(t.TempDir(), "venue.db")
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	clock := app.NewManualClock(now)
	if _, err := db.LoadDemo(ctx, path, clock, demo.Options{Clients: 10_000, Seed: 5, Now: now}, nil); err != nil {
		t.Fatal(err)
	}
	store, err := db.Open(ctx, path, db.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if ms, err := store.CheckClientTotals(ctx, false); err != nil || len(ms) != 0 {
		t.Fatalf("after the load: %d mismatches, %v", len(ms), err)
	}
	clients := app.NewClients(store, clock)
	purchases := app.NewPurchases(store, clock)
	catalogue := app.NewCatalogue(store, clock)
	gift, err := catalogue.SaveGift(ctx, app.Gift{Name: "Открытка"})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := clients.Search(ctx, app.ClientQuery{Sort: app.SortVisits, Desc: true, Limit: 300})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cs {
		clock.Advance(time.Minute)
		sale, err := purchases.Record(ctx, app.PurchaseInput{ClientID: c.ID, DiscountBP: 500, Lines: []app.LineInput{
			{Name: "Латте", Quantity: 2000, Price: 250_00}, {Name: "Круассан", Quantity: 1000, Price: 180_00}}})
		if err != nil && !errors.Is(err, app.ErrInvalid) {
			t.Fatal(err)
		}
		switch {
		case err != nil:
		case i%3 == 0:
			if _, err := purchases.Refund(ctx, app.RefundInput{PurchaseID: sale.ID, Lines: []app.RefundLine{{LineID: sale.Lines[0].ID, Quantity: 1000}}}); err != nil {
				t.Fatal(err)
			}
		case i%3 == 1:
			if _, err := purchases.Refund(ctx, app.RefundInput{PurchaseID: sale.ID}); err != nil {
				t.Fatal(err)
			}
		default:
			if _, err := purchases.Gift(ctx, c.ID, gift.ID, ""); err != nil && !errors.Is(err, app.ErrInvalid) {
				t.Fatal(err)
			}
		}
	}
	ms, err := store.CheckClientTotals(ctx, false)
	if err != nil || len(ms) != 0 {
		t.Fatalf("incremental totals differ from the rebuild for %d clients (%v): %+v", len(ms), err, ms[:min(len(ms), 3)])
	}
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE clients SET sold = sold + 1 WHERE id = ?`, cs[7].ID); err != nil {
		t.Fatal(err)
	}
	if ms, err := store.CheckClientTotals(ctx, true); err != nil || len(ms) != 1 || ms[0].ClientID != cs[7].ID {
		t.Fatalf("spoilt figure: %+v, %v", ms, err)
	}
	if ms, err := store.CheckClientTotals(ctx, false); err != nil || len(ms) != 0 {
		t.Fatalf("after the rebuild: %d mismatches, %v", len(ms), err)
	}
}

// ID-02: a scan is looked up by its canonical value, then by its secondary
// values (an EM-Marine card's Wiegand-26 pair); an unknown scan is not found
// under its canonical value.
func TestIdentifyScanTriesAltValues(t *testing.T) {
	m := newMoney(t)
	c := m.guest(t, "+79161234567", "")
	if _, err := m.clients.AddIdentifier(m.ctx, c.ID, app.IdentifierInput{Media: app.MediaCard, Input: app.InputRFID, Value: "126,58404"}); err != nil {
		t.Fatal(err)
	}
	g, err := m.till.IdentifyScan(m.ctx, "007EE424", "", "126,58404")
	if err != nil || g.Client.ID != c.ID {
		t.Fatalf("IdentifyScan by the W26 pair = %v, %v; want %s", g.Client.ID, err, c.ID)
	}
	if _, err := m.clients.AddIdentifier(m.ctx, c.ID, app.IdentifierInput{Media: app.MediaCard, Input: app.InputRFID, Value: "00007EE424"}); err != nil {
		t.Fatal(err)
	}
	if g, err := m.till.IdentifyScan(m.ctx, "00007EE424", "999,1"); err != nil || g.Client.ID != c.ID {
		t.Fatalf("IdentifyScan by the canonical value = %v, %v", g.Client.ID, err)
	}
	_, err = m.till.IdentifyScan(m.ctx, "FFFFFFFFFF", "255,65535")
	if !errors.Is(err, app.ErrNotFound) || !strings.Contains(err.Error(), "FFFFFFFFFF") {
		t.Fatalf("unknown scan: %v, want ErrNotFound naming the canonical value", err)
	}
}
