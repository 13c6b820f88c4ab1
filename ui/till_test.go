package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"loyaltydesk/app"
)

// tillVenue is the seed 001 example: the group «Постоянные», the category
// «Кофе» with two drinks, and the program «Кэшбэк за кофе» paying 10 % of
// the coffee lines, whose points may pay half a bill (BN-06, BN-07, GR-03).
type tillVenue struct {
	group              app.Ref
	coffee             app.ProductCategory
	cappuccino, latte  app.Product
	program            app.Program
	approval           app.Approval
	anna               app.Client // in the group, 100 points
	annaPhone, annaTyp string
}

func newTillVenue(t *testing.T, h *harness) tillVenue {
	t.Helper()
	ctx := context.Background()
	v := tillVenue{group: app.Ref{ID: app.NewID(), Name: "Постоянные"}, annaPhone: "+79161234567", annaTyp: "8 916 123-45-67"}
	if err := h.store.Update(ctx, func(tx app.Tx) error {
		return tx.InsertRef(ctx, app.RefGroup, v.group, time.Now(), h.store.NodeID())
	}); err != nil {
		t.Fatal(err)
	}
	var err error
	if v.coffee, err = h.catalogue.SaveCategory(ctx, app.ProductCategory{Name: "Кофе"}); err != nil {
		t.Fatal(err)
	}
	if v.cappuccino, err = h.catalogue.SaveProduct(ctx, app.Product{Name: "Капучино", CategoryID: v.coffee.ID, Price: 25000}); err != nil {
		t.Fatal(err)
	}
	if v.latte, err = h.catalogue.SaveProduct(ctx, app.Product{Name: "Латте", CategoryID: v.coffee.ID, Price: 35000}); err != nil {
		t.Fatal(err)
	}
	if v.program, err = h.catalogue.SaveProgram(ctx, app.Program{Name: "Кэшбэк за кофе", Enabled: true,
		GroupIDs: []string{v.group.ID}, CategoryIDs: []string{v.coffee.ID}, Weekdays: app.AllWeekdays,
		Reward: app.RewardPercent, RewardValue: 1000, Base: app.BaseSold, MaxPayShareBP: 5000}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.auth.SaveUser(ctx, app.Approval{}, "", app.UserInput{Name: "Owner", Role: app.RoleOwner, Secret: "1234"}); err != nil {
		t.Fatal(err)
	}
	if v.approval, err = h.auth.Approve(ctx, "1234"); err != nil {
		t.Fatal(err)
	}
	v.anna = mustCreate(t, h, app.ClientInput{FirstName: "Анна", LastName: "Смирнова", Phone: v.annaPhone, Note: "Любит овсяное молоко"})
	if _, err := h.clients.Apply(ctx, app.ClientQuery{IDs: []string{v.anna.ID}}, app.Action{Kind: app.ActionSetGroup, GroupID: v.group.ID}); err != nil {
		t.Fatal(err)
	}
	v.give(t, h, v.anna.ID, 10000)
	return v
}

// give accrues points to a client by hand, with the owner's approval.
func (v tillVenue) give(t *testing.T, h *harness, clientID string, points int64) {
	t.Helper()
	if _, err := h.ledger.Adjust(context.Background(), v.approval, app.Adjustment{Target: app.ClientQuery{IDs: []string{clientID}},
		Kind: app.AdjustAccrue, Amount: points, Reason: "перенос из старой системы"}); err != nil {
		t.Fatal(err)
	}
}

// openTill selects the till tab, which reads the catalogue.
func openTill(t *testing.T, h *harness) *tillScreen {
	t.Helper()
	if h.ui.till == nil {
		t.Fatal("no till screen")
	}
	h.ui.tabs.Select(h.ui.tillTab)
	return h.ui.till
}

func enter(e fyne.Focusable) { e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }

// tillType types text into an entry of the till, replacing what it held.
func tillType(e *tillEntry, text string) {
	e.SetText("")
	test.Type(e, text)
}

func account(t *testing.T, h *harness, clientID string) app.Account {
	t.Helper()
	as, err := h.ledger.Accounts(context.Background(), clientID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		if a.TypeID == app.DefaultAccountTypeID {
			return a
		}
	}
	return app.Account{}
}

func sales(t *testing.T, h *harness, clientID string) []app.Purchase {
	t.Helper()
	ps, err := h.purchases.History(context.Background(), app.PurchaseQuery{ClientID: clientID, Kinds: []app.PurchaseKind{app.PurchaseSale}})
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// PU-03, BN-07, issue 5 acceptance: identify by phone, add two products, pay
// 50 points, close; the receipt is stored and the guest's balance shows the
// accrual at once.
func TestTillIdentifyAddPayClose(t *testing.T) {
	h := newHarness(t)
	v := newTillVenue(t, h)
	s := openTill(t, h)
	if h.win.Canvas().Focused() != s.ident {
		t.Error("the till does not start in the identify entry")
	}

	tillType(s.ident, v.annaTyp)
	enter(s.ident)
	if s.order.Guest == nil || s.order.Guest.Client.ID != v.anna.ID {
		t.Fatalf("the guest is not attached: %+v (message %q)", s.order.Guest, s.identMsg.Text)
	}
	panel := visibleTextsOf(s.content)
	for _, want := range []string{"Смирнова Анна", "Группа: Постоянные", "Баланс: 100 баллов", "Любит овсяное молоко", "Скидка: нет"} {
		if !contains(panel, want) {
			t.Errorf("the guest panel does not show %q; it shows %q", want, panel)
		}
	}

	for _, name := range []string{"Капуч", "латте"} {
		tillType(s.search, name)
		if len(s.products) != 1 {
			t.Fatalf("search %q lists %d products", name, len(s.products))
		}
		enter(s.search)
	}
	if len(s.order.Lines) != 2 || s.order.Lines[0].ProductID != v.cappuccino.ID || s.order.Lines[1].ProductID != v.latte.ID {
		t.Fatalf("order lines = %+v", s.order.Lines)
	}
	if s.search.Text != "" || h.win.Canvas().Focused() != s.search {
		t.Errorf("after adding, the search is %q and the focus on %T", s.search.Text, h.win.Canvas().Focused())
	}
	if got := s.totDue.Text; got != "600,00 ₽" {
		t.Errorf("to pay = %q before points", got)
	}
	if got := s.pointsCap.Text; got != "До 100 баллов · доступно 100 баллов" {
		t.Errorf("points cap = %q", got)
	}

	tillType(s.points, "50")
	enter(s.points)
	if s.pointsErr.Visible() {
		t.Fatalf("points error: %q", s.pointsErr.Text)
	}
	if a := account(t, h, v.anna.ID); a.Held != 5000 {
		t.Errorf("held = %d after paying 50 points, want 5000", a.Held)
	}
	if got := s.totDue.Text; got != "550,00 ₽" {
		t.Errorf("to pay = %q, want 550,00 ₽", got)
	}
	if got := s.totEarn.Text; got != "Будет начислено: 55 баллов" {
		t.Errorf("earn = %q", got)
	}

	test.Tap(s.closeBtn)
	ps := sales(t, h, v.anna.ID)
	if len(ps) != 1 {
		t.Fatalf("%d sales stored, want 1", len(ps))
	}
	p := ps[0]
	// 10 % of the coffee paid in money: (600 − 50) ₽ → 55 points; the part
	// paid with points earns nothing by default.
	if p.BonusSpent != 5000 || p.BonusAccrued != 5500 || p.Paid != 55000 || p.Sold != 60000 {
		t.Errorf("receipt: sold %d, paid %d, spent %d, accrued %d", p.Sold, p.Paid, p.BonusSpent, p.BonusAccrued)
	}
	if a := account(t, h, v.anna.ID); a.Posted != 10500 || a.Held != 0 {
		t.Errorf("account after close: posted %d, held %d", a.Posted, a.Held)
	}
	if !s.guestBalance.Visible() || s.guestBalance.Text != "Баланс: 105 баллов" {
		t.Errorf("guest balance label = %q (visible %v), want «Баланс: 105 баллов»", s.guestBalance.Text, s.guestBalance.Visible())
	}
	if !s.receipt.Visible() || !strings.Contains(s.receipt.Text, "Оплачено: 550,00 ₽; списано: 50 баллов; начислено: 55 баллов") ||
		!strings.Contains(s.receipt.Text, "Баланс гостя (Смирнова Анна) теперь: 105 баллов") {
		t.Errorf("receipt summary = %q", s.receipt.Text)
	}
	// A fresh anonymous order, the focus back on identify.
	if len(s.order.Lines) != 0 || s.order.Guest != nil || s.order.Number == p.Number {
		t.Errorf("the next order is not fresh: %+v", s.order)
	}
	if h.win.Canvas().Focused() != s.ident {
		t.Errorf("focus after close on %T, want the identify entry", h.win.Canvas().Focused())
	}
	// The next order's first line puts the closed guest's panel away.
	tillType(s.freeAmount, "100")
	enter(s.freeAmount)
	if s.guestBalance.Visible() || s.receipt.Visible() {
		t.Error("the previous guest still shows on a new order")
	}
}

// PU-03: an unknown phone says so, and the order stays anonymous.
func TestTillUnknownPhone(t *testing.T) {
	h := newHarness(t)
	s := openTill(t, h)
	tillType(s.ident, "+7 900 000-00-00")
	enter(s.ident)
	if want := "Гость не найден по «+7 900 000-00-00»: проверьте номер или карту"; !s.identMsg.Visible() || s.identMsg.Text != want {
		t.Errorf("message = %q (visible %v), want %q", s.identMsg.Text, s.identMsg.Visible(), want)
	}
	if s.order.Guest != nil {
		t.Error("a guest is attached")
	}
	tillType(s.ident, "")
	enter(s.ident)
	if !s.identMsg.Visible() || !strings.HasPrefix(s.identMsg.Text, "Идентификатор") {
		t.Errorf("empty identify message = %q", s.identMsg.Text)
	}
}

// CL-08: a blocked client is shown with the reason, and the order they were
// scanned for stays anonymous: it earns nobody points.
func TestTillBlockedClientStaysAnonymous(t *testing.T) {
	h := newHarness(t)
	v := newTillVenue(t, h)
	ctx := context.Background()
	if _, err := h.clients.Apply(ctx, app.ClientQuery{IDs: []string{v.anna.ID}}, app.Action{Kind: app.ActionBlock, Reason: "передавала карту"}); err != nil {
		t.Fatal(err)
	}
	s := openTill(t, h)
	tillType(s.ident, v.annaTyp)
	enter(s.ident)
	if !s.guestBlocked.Visible() || s.guestBlocked.Text != "Клиент заблокирован: передавала карту" {
		t.Errorf("blocked warning = %q (visible %v)", s.guestBlocked.Text, s.guestBlocked.Visible())
	}
	if s.order.Guest != nil {
		t.Fatal("the blocked client is attached to the order")
	}
	tillType(s.search, "Латте")
	enter(s.search)
	test.Tap(s.closeBtn)
	all, err := h.purchases.History(ctx, app.PurchaseQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].ClientID != "" || all[0].BonusAccrued != 0 {
		t.Fatalf("purchases = %+v, want one anonymous sale earning nothing", all)
	}
	if a := account(t, h, v.anna.ID); a.Posted != 10000 {
		t.Errorf("the blocked client's balance moved: %d", a.Posted)
	}
}

// BN-07: more points than the cap show the field error and hold nothing;
// Max pays exactly the cap.
func TestTillPointsOverCap(t *testing.T) {
	h := newHarness(t)
	v := newTillVenue(t, h)
	s := openTill(t, h)
	s.identify(v.annaPhone)
	tillType(s.search, "Капучино")
	enter(s.search)
	tillType(s.search, "Капучино")
	enter(s.search) // the same product again: one line of two
	if len(s.order.Lines) != 1 || s.order.Lines[0].Quantity != 2000 {
		t.Fatalf("lines = %+v, want one line of 2", s.order.Lines)
	}
	s.lines.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	s.lines.TypedRune('-')
	if s.order.Lines[0].Quantity != 1000 {
		t.Fatalf("quantity after − = %d", s.order.Lines[0].Quantity)
	}
	// A discount of 30 % makes the bill 175 ₽: the cap is 87.5 of Anna's 100 points.
	tillType(s.discount, "30")
	if s.order.Discount != 3000 || s.discountErr.Visible() {
		t.Fatalf("discount %d, error %q", s.order.Discount, s.discountErr.Text)
	}
	tillType(s.points, "90")
	enter(s.points)
	if want := "Оплата баллами: 90 — больше, чем можно оплатить баллами в этом заказе"; !s.pointsErr.Visible() || s.pointsErr.Text != want {
		t.Errorf("points error = %q (visible %v), want %q", s.pointsErr.Text, s.pointsErr.Visible(), want)
	}
	if a := account(t, h, v.anna.ID); a.Held != 0 || s.order.HoldID != "" || s.order.BonusPay != 0 {
		t.Errorf("something was held: account held %d, order hold %q pay %d", a.Held, s.order.HoldID, s.order.BonusPay)
	}
	s.discount.SetText("120") // pasted: the error changes nothing
	if !s.discountErr.Visible() || s.order.Discount != 3000 {
		t.Errorf("a discount of 120 %%: error %q, order discount %d", s.discountErr.Text, s.order.Discount)
	}
	tillType(s.discount, "30")
	test.Tap(s.pointsMax)
	if s.pointsErr.Visible() {
		t.Fatalf("Max shows an error: %q", s.pointsErr.Text)
	}
	if s.order.BonusPay != 8750 || s.points.Text != "87,5" {
		t.Errorf("Max paid %d (field %q), want 8750", s.order.BonusPay, s.points.Text)
	}
	if a := account(t, h, v.anna.ID); a.Held != 8750 {
		t.Errorf("held = %d, want 8750", a.Held)
	}
	if got := s.totDue.Text; got != "87,50 ₽" {
		t.Errorf("to pay = %q", got)
	}
}

// BN-02, lesson «holds on abandoned orders are released»: cancelling the
// order after a confirmation gives the held points back.
func TestTillCancelReleasesHold(t *testing.T) {
	h := newHarness(t)
	v := newTillVenue(t, h)
	s := openTill(t, h)
	s.identify(v.annaTyp)
	tillType(s.search, "Латте")
	enter(s.search)
	tillType(s.points, "30")
	enter(s.points)
	if a := account(t, h, v.anna.ID); a.Held != 3000 {
		t.Fatalf("held = %d, want 3000", a.Held)
	}
	if !contains(visibleTextsOf(s.content), "Зарезервировано под заказы: 30 баллов") {
		t.Errorf("the panel does not show the held points: %q", visibleTextsOf(s.content))
	}
	test.Tap(s.cancelBtn)
	tapDialogButton(t, h, "Отменить заказ")
	if a := account(t, h, v.anna.ID); a.Held != 0 || a.Posted != 10000 {
		t.Errorf("after cancel: held %d, posted %d", a.Held, a.Posted)
	}
	if len(s.order.Lines) != 0 || s.order.Guest != nil || s.order.HoldID != "" {
		t.Errorf("the order is not fresh after cancel: %+v", s.order)
	}
	if n := len(sales(t, h, v.anna.ID)); n != 0 {
		t.Errorf("%d sales after a cancel", n)
	}
}

// PU-03, lesson «voided lines earn nothing»: a voided line stays on the
// receipt, counts nothing and earns nothing; a free amount sells too.
func TestTillVoidedLineAndFreeAmount(t *testing.T) {
	h := newHarness(t)
	v := newTillVenue(t, h)
	s := openTill(t, h)
	s.identify(v.annaPhone)
	tillType(s.search, "Латте")
	enter(s.search)
	tillType(s.search, "Капучино")
	enter(s.search)
	s.lines.TypedRune('*') // voids the chosen line, the cappuccino
	if !s.order.Lines[1].Voided {
		t.Fatalf("lines = %+v, want the second voided", s.order.Lines)
	}
	tillType(s.freeAmount, "12,5")
	enter(s.freeAmount)
	if s.freeErr.Visible() {
		t.Fatalf("free amount error: %q", s.freeErr.Text)
	}
	tillType(s.freeAmount, "abc")
	enter(s.freeAmount)
	if !s.freeErr.Visible() || len(s.order.Lines) != 3 {
		t.Errorf("a bad amount: error %q, %d lines", s.freeErr.Text, len(s.order.Lines))
	}
	if got := s.totDue.Text; got != "362,50 ₽" {
		t.Errorf("to pay = %q", got)
	}
	test.Tap(s.closeBtn)
	ps := sales(t, h, v.anna.ID)
	if len(ps) != 1 {
		t.Fatalf("%d sales", len(ps))
	}
	p, err := h.purchases.Get(context.Background(), ps[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	// Only the latte is coffee that counts: 10 % of 350 ₽.
	if p.Sold != 36250 || p.BonusAccrued != 3500 || len(p.Lines) != 3 || !p.Lines[1].Voided || p.Lines[1].Accrued != 0 {
		t.Errorf("receipt: sold %d, accrued %d, lines %+v", p.Sold, p.BonusAccrued, p.Lines)
	}
	if s.guestBalance.Text != "Баланс: 135 баллов" {
		t.Errorf("balance = %q", s.guestBalance.Text)
	}
}

// PU-03: a parked order keeps its guest, lines and hold and comes back.
func TestTillParkAndResume(t *testing.T) {
	h := newHarness(t)
	v := newTillVenue(t, h)
	s := openTill(t, h)
	s.identify(v.annaPhone)
	tillType(s.search, "Латте")
	enter(s.search)
	tillType(s.points, "20")
	enter(s.points)
	number := s.order.Number
	s.ident.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF7})
	if len(s.parked) != 1 || s.dirty() {
		t.Fatalf("parked %d, current dirty %v", len(s.parked), s.dirty())
	}
	if a := account(t, h, v.anna.ID); a.Held != 2000 {
		t.Errorf("the parked order's hold is gone: held %d", a.Held)
	}
	s.parkedSel.SetSelectedIndex(0)
	if len(s.parked) != 0 || s.order.Number != number || s.order.Guest == nil || len(s.order.Lines) != 1 || s.order.BonusPay != 2000 {
		t.Fatalf("resumed order = %+v", s.order)
	}
	s.points.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF9})
	if ps := sales(t, h, v.anna.ID); len(ps) != 1 || ps[0].BonusSpent != 2000 || ps[0].Number != number {
		t.Errorf("sales = %+v", ps)
	}
}

// The screenshot example identifies a guest and opens an order.
func TestTillShowExample(t *testing.T) {
	h := newHarness(t)
	v := newTillVenue(t, h)
	h.ui.Open(ScreenTill)
	s := h.ui.till
	if s.order.Guest == nil || s.order.Guest.Client.ID != v.anna.ID || len(s.order.Lines) != 2 {
		t.Fatalf("example order = %+v", s.order)
	}
	if s.order.BonusPay <= 0 || s.quote == nil {
		t.Errorf("the example pays no points: %+v", s.order)
	}
}

// PU-03: the birthday badge says when the birthday is, within a week.
func TestTillBirthdayBadge(t *testing.T) {
	h := newHarness(t) // today is 23.11.2026
	s := openTill(t, h)
	for _, tc := range []struct{ phone, birth, want string }{
		{"+79160000001", "23.11.1990", "Сегодня день рождения!"},
		{"+79160000002", "25.11.1985", "День рождения через 2 дня"},
		{"+79160000003", "18.11.2000", "День рождения был 5 дней назад"},
		{"+79160000004", "01.01.1990", ""},
	} {
		mustCreate(t, h, app.ClientInput{FirstName: "Гость", LastName: tc.birth, Phone: tc.phone, BirthDate: tc.birth})
		s.identify(tc.phone)
		if s.order.Guest == nil {
			t.Fatalf("%s: not identified: %q", tc.phone, s.identMsg.Text)
		}
		got := ""
		if s.guestBirthday.Visible() {
			got = s.guestBirthday.Text
		}
		if got != tc.want {
			t.Errorf("birthday %s: badge %q, want %q", tc.birth, got, tc.want)
		}
	}
}

// PU-03: the picker works from the keyboard: Down from the search into the
// results, Down again, Enter adds; Up at the top goes back to the search.
func TestTillKeyboardPicker(t *testing.T) {
	h := newHarness(t)
	v := newTillVenue(t, h)
	s := openTill(t, h)
	c := h.win.Canvas()
	s.ident.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF3})
	if c.Focused() != s.search || len(s.products) != 2 {
		t.Fatalf("F3: focus on %T, %d products", c.Focused(), len(s.products))
	}
	s.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if c.Focused() != s.results || s.resultSel != 0 {
		t.Fatalf("Down: focus on %T, chosen %d", c.Focused(), s.resultSel)
	}
	s.results.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	enter(s.results)
	if len(s.order.Lines) != 1 || s.order.Lines[0].ProductID != v.latte.ID {
		t.Fatalf("lines = %+v, want the latte (the second product by name)", s.order.Lines)
	}
	if c.Focused() != s.search {
		t.Errorf("after adding the focus is on %T", c.Focused())
	}
	s.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	s.results.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	if c.Focused() != s.search {
		t.Errorf("Up at the top: focus on %T", c.Focused())
	}
	s.search.TypedShortcut(shortcutTillClose)
	if n := len(sales(t, h, "")); n != 1 {
		t.Errorf("Ctrl+Enter closed %d orders, want 1", n)
	}
}
