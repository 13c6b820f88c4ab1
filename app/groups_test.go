package app_test

import (
	"errors"
	"testing"

	"loyaltydesk/app"
)

// Seed 000 (GR-01, GR-02): with «Стартовая» from 100 and «Клиенты с 10%
// скидки» from 200, both moving clients automatically, a client reaching
// 100 ₽ of spend joins the first and at 200 ₽ the second; a client of a group
// without the flag never moves. Thresholds are tested at ±1 kopeck.
func TestSeed000GroupPromotion(t *testing.T) {
	m := newMoney(t)
	groups := app.NewGroups(m.store, m.clock)
	start, err := groups.Save(m.ctx, app.Group{Name: "Стартовая", SpendFrom: 100_00, SpendTo: 200_00, AutoMove: true})
	if err != nil {
		t.Fatal(err)
	}
	ten, err := groups.Save(m.ctx, app.Group{Name: "Клиенты с 10% скидки", DiscountBP: 1000, SpendFrom: 200_00, AutoMove: true})
	if err != nil {
		t.Fatal(err)
	}
	staff, err := groups.Save(m.ctx, app.Group{Name: "Сотрудники", DiscountBP: 3000})
	if err != nil {
		t.Fatal(err)
	}
	c := m.guest(t, "+79168880001", "")
	fixed := m.guest(t, "+79168880002", staff.ID)
	buy := func(id string, amount int64) app.Purchase {
		return m.record(t, app.PurchaseInput{ClientID: id, Amount: amount})
	}
	group := func(id string) string { return m.get(t, id).GroupID }

	buy(c.ID, 99_99)
	if g := group(c.ID); g != "" {
		t.Errorf("at 99.99 ₽ the client is in %q, want no group", g)
	}
	buy(c.ID, 1)
	if g := group(c.ID); g != start.ID {
		t.Errorf("at 100 ₽ the client is in %q, want «Стартовая»", g)
	}
	buy(c.ID, 99_99)
	if g := group(c.ID); g != start.ID {
		t.Errorf("at 199.99 ₽ the client is in %q, want «Стартовая»", g)
	}
	last := buy(c.ID, 1)
	if g := group(c.ID); g != ten.ID {
		t.Errorf("at 200 ₽ the client is in %q, want «Клиенты с 10%% скидки»", g)
	}
	// The new group's discount applies at the till.
	till := app.NewTill(m.store, m.clock, m.ledger, m.purchases)
	if gu, err := till.Guest(m.ctx, c.ID); err != nil || gu.DiscountBP != 1000 {
		t.Errorf("guest discount %d (%v), want 10 %%", gu.DiscountBP, err)
	}
	// A refund that takes spend back under 200 moves the client back.
	if _, err := m.purchases.Refund(m.ctx, app.RefundInput{PurchaseID: last.ID}); err != nil {
		t.Fatal(err)
	}
	if g := group(c.ID); g != start.ID {
		t.Errorf("after the refund the client is in %q, want «Стартовая»", g)
	}
	buy(fixed.ID, 500_00)
	if g := group(fixed.ID); g != staff.ID {
		t.Errorf("a client of a group without the flag moved to %q", g)
	}
	// Promotion by paid, when the venue says so: a bonus payment is spend
	// by "sold" but not by "paid".
	if err := m.store.Update(m.ctx, func(tx app.Tx) error {
		return tx.SetSetting(m.ctx, app.SettingPromotionBase, string(app.BasePaid), m.clock.Now(), m.store.NodeID())
	}); err != nil {
		t.Fatal(err)
	}
	p := m.guest(t, "+79168880003", "")
	paid := int64(50_00)
	m.record(t, app.PurchaseInput{ClientID: p.ID, Amount: 150_00, Paid: &paid})
	if g := group(p.ID); g != "" {
		t.Errorf("paid 50 ₽ of 150 ₽: in %q, want no group when promotion counts paid", g)
	}

	log, _ := m.auth.AuditLog(m.ctx, app.AuditQuery{Action: "group.promote"})
	if len(log) != 3 { // up, up, and back down after the refund
		t.Errorf("%d promotion audit lines, want 3", len(log))
	}
	gs, err := groups.List(m.ctx)
	if err != nil || len(gs) != 3 || gs[2].Name != "Стартовая" || gs[2].Clients != 1 || gs[1].Clients != 1 || gs[0].Clients != 0 {
		t.Errorf("groups %+v, %v", gs, err)
	}
	if err := groups.Delete(m.ctx, start.ID); !errors.Is(err, app.ErrInvalid) {
		t.Errorf("deleting a group with clients: %v, want refused", err)
	}
}

// GR-01: a group's fields are checked.
func TestGroupValidation(t *testing.T) {
	m := newMoney(t)
	groups := app.NewGroups(m.store, m.clock)
	_, err := groups.Save(m.ctx, app.Group{Name: " ", DiscountBP: 10001, SpendFrom: 500, SpendTo: 500})
	for _, f := range []struct{ field, reason string }{
		{app.FieldName, app.ReasonRequired}, {app.FieldDiscount, app.ReasonBadValue}, {app.FieldSpendTo, app.ReasonBadRange},
	} {
		wantField(t, err, f.field, f.reason)
	}
	if _, err := groups.Save(m.ctx, app.Group{Name: "VIP"}); err != nil {
		t.Fatal(err)
	}
	_, err = groups.Save(m.ctx, app.Group{Name: "vip"})
	wantField(t, err, app.FieldName, app.ReasonTaken)
	gs, _ := groups.List(m.ctx)
	if len(gs) != 1 {
		t.Errorf("%d groups, want 1", len(gs))
	}
}
