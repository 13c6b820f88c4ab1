package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// mustOwner adds the owner whose password "1234" approves manual operations.
func mustOwner(t *testing.T, h *harness) {
	t.Helper()
	if _, err := h.auth.SaveUser(context.Background(), app.Approval{}, "", app.UserInput{Name: "Owner", Role: app.RoleOwner, Secret: "1234"}); err != nil {
		t.Fatal(err)
	}
}

// mustCashback adds a program that pays 10 % of every order and lets points
// pay half of one.
func mustCashback(t *testing.T, h *harness) {
	t.Helper()
	_, err := h.catalogue.SaveProgram(context.Background(), app.Program{Name: "Кэшбэк", Enabled: true,
		Weekdays: app.AllWeekdays, Reward: app.RewardPercent, RewardValue: 1000, MaxPayShareBP: 5000})
	if err != nil {
		t.Fatal(err)
	}
}

// mustAccrue gives a client points through the ledger, approved by the owner.
func mustAccrue(t *testing.T, h *harness, id string, points int64) {
	t.Helper()
	ctx := context.Background()
	ap, err := h.auth.Approve(ctx, "1234")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.ledger.Adjust(ctx, ap, app.Adjustment{Target: app.ClientQuery{IDs: []string{id}},
		Kind: app.AdjustAccrue, Amount: points, Reason: "test"}); err != nil {
		t.Fatal(err)
	}
}

// balanceOf reads the client's default account as stored.
func balanceOf(t *testing.T, h *harness, id string) app.Account {
	t.Helper()
	a, err := h.ledger.Balance(context.Background(), id, app.DefaultAccountTypeID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// auditActions lists the audit log's actions starting with prefix.
func auditActions(t *testing.T, h *harness, prefix string) []app.AuditEntry {
	t.Helper()
	es, err := h.auth.AuditLog(context.Background(), app.AuditQuery{Action: prefix})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// enterPassword types secret into the administrator password prompt on top
// and confirms it.
func enterPassword(t *testing.T, h *harness, secret string) {
	t.Helper()
	top := h.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no password prompt is open")
	}
	var entry *widget.Entry
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() || entry != nil {
			return
		}
		if e, ok := o.(*widget.Entry); ok && e.Password {
			entry = e
			return
		}
		switch c := o.(type) {
		case fyne.Widget:
			for _, ch := range test.WidgetRenderer(c).Objects() {
				walk(ch)
			}
		case *fyne.Container:
			for _, ch := range c.Objects {
				walk(ch)
			}
		}
	}
	walk(top)
	if entry == nil {
		t.Fatalf("the dialog on top has no password field; it shows %q", visibleTextsOf(top))
	}
	entry.SetText(secret)
	tapDialogButton(t, h, "Подтвердить")
}

// openMoneyTab opens the client's page on a money tab.
func openMoneyTab(t *testing.T, h *harness, id, tab string) *moneySide {
	t.Helper()
	p := openPage(t, h, id)
	p.money.selectTab(tab)
	if !p.money.loaded || p.money.bonusErr.Visible() {
		t.Fatalf("the money tabs did not load: %q", p.money.bonusErr.Text)
	}
	return p.money
}

// CL-04, CL-05, CL-06: after a purchase the page shows the accrual on the
// bonus accounts tab and in the header, the receipt in the operation history
// and the running total in the accumulation history.
func TestClientMoneyTabsAfterPurchase(t *testing.T) {
	h := newHarness(t)
	mustCashback(t, h)
	c := mustCreate(t, h, app.ClientInput{FirstName: "Анна", LastName: "Смирнова"})
	ctx := context.Background()
	if _, err := h.purchases.Record(ctx, app.PurchaseInput{Number: "R-1", ClientID: c.ID, Amount: 150000}); err != nil {
		t.Fatal(err)
	}
	m := openMoneyTab(t, h, c.ID, pageTabBonus)

	var titles []string
	for _, it := range m.p.tabs.Items {
		titles = append(titles, it.Text)
	}
	if !strings.HasPrefix(strings.Join(titles, "|"), "Основное|Бонусные счета|История операций (1)|История накоплений|") {
		t.Errorf("tabs = %q", titles)
	}
	texts := pageTexts(h)
	for _, want := range []string{"Баллы: 150", "Бонусы", "Начисление", "+150", "Кэшбэк"} {
		if !contains(texts, want) {
			t.Errorf("the bonus tab does not show %q; it shows %q", want, texts)
		}
	}
	if len(m.accounts) != 1 || m.accounts[0].Available() != 15000 {
		t.Fatalf("accounts = %+v", m.accounts)
	}
	if !m.resetBtn.Disabled() || !m.createBtn.Disabled() {
		t.Error("Reset holds or Create account is enabled with no holds and every account open")
	}
	// The accrual belongs to the receipt: Enter on it opens the receipt.
	h.win.Canvas().Focus(m.entryTable)
	m.entryTable.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if r := m.lastReceipt; r == nil || !r.open || r.pu.Number != "R-1" {
		t.Fatal("Enter on the accrual did not open its receipt")
	}
	m.lastReceipt.dlg.Hide()

	m.selectTab(pageTabOperations)
	texts = pageTexts(h)
	for _, want := range []string{"R-1", "Продажа", "1\u202f500,00\u00a0₽", "150"} {
		if !contains(texts, want) {
			t.Errorf("the operation history does not show %q; it shows %q", want, texts)
		}
	}
	m.selectTab(pageTabAccumulation)
	if len(m.accum) != 1 || m.accum[0].cumulative != 150000 {
		t.Errorf("accumulation = %+v", m.accum)
	}
	if !contains(pageTexts(h), "+150") {
		t.Errorf("the accumulation history does not show the points earned: %q", pageTexts(h))
	}
}

// BN-03, AD-01, AD-02: a manual accrual asks for the reason first, then the
// administrator password; a wrong password keeps the dialogs open and changes
// nothing; the right one moves the balance and writes the audit log.
func TestClientMoneyAccrueNeedsReasonAndPassword(t *testing.T) {
	h := newHarness(t)
	mustOwner(t, h)
	c := mustCreate(t, h, app.ClientInput{FirstName: "Анна"})
	m := openMoneyTab(t, h, c.ID, pageTabBonus)
	if !m.noAccounts.Visible() {
		t.Error("no hint for a client without accounts")
	}

	test.Tap(m.accrueBtn)
	d := m.lastAdjust
	if d == nil || !d.open {
		t.Fatal("Accrue… opened no dialog")
	}
	test.Type(d.f.amount, "50")
	test.Tap(d.okBtn)
	if got := d.f.errs.visible(app.FieldOpReason); got != "Причина: обязательное поле" {
		t.Errorf("reason error = %q", got)
	}
	if n := len(auditActions(t, h, "auth.approve")); n != 0 {
		t.Errorf("the password was asked before the reason was given (%d audit lines)", n)
	}

	test.Type(d.f.reason, "Компенсация за ожидание")
	test.Type(d.f.message, "Извините за ожидание!")
	test.Tap(d.okBtn)
	enterPassword(t, h, "0000")
	if !contains(visibleTextsOf(h.win.Canvas().Overlays().Top()), "Неверное имя или пароль") {
		t.Errorf("the prompt does not say the password is wrong: %q", visibleTextsOf(h.win.Canvas().Overlays().Top()))
	}
	if !d.open {
		t.Error("a wrong password closed the dialog")
	}
	if a := balanceOf(t, h, c.ID); a.Posted != 0 {
		t.Fatalf("balance %d after a wrong password", a.Posted)
	}

	enterPassword(t, h, "1234")
	if d.open {
		t.Fatalf("the dialog is still open: %q", visibleTextsOf(h.win.Canvas().Overlays().Top()))
	}
	if a := balanceOf(t, h, c.ID); a.Posted != 5000 {
		t.Fatalf("balance = %d, want 5000", a.Posted)
	}
	log := auditActions(t, h, "ledger.accrue")
	if len(log) != 1 || !strings.Contains(log[0].Details, "Компенсация за ожидание") || !strings.Contains(log[0].Details, "Owner") {
		t.Errorf("audit = %+v", log)
	}
	es, err := h.ledger.History(context.Background(), app.EntryQuery{ClientID: c.ID})
	if err != nil || len(es) != 1 || es[0].Reason != "Компенсация за ожидание" || es[0].Message != "Извините за ожидание!" {
		t.Errorf("entries = %+v, %v", es, err)
	}
	texts := pageTexts(h)
	for _, want := range []string{"Начислено баллов: 50", "Баллы: 50", "Начисление", "+50", "Компенсация за ожидание"} {
		if !contains(texts, want) {
			t.Errorf("the page does not show %q; it shows %q", want, texts)
		}
	}
}

// BN-03: a debit above the balance says so under the amount, keeps the
// dialog open and changes nothing; a correction downwards within it works
// with the approval already given.
func TestClientMoneyDebitAboveBalance(t *testing.T) {
	h := newHarness(t)
	mustOwner(t, h)
	c := mustCreate(t, h, app.ClientInput{FirstName: "Анна"})
	mustAccrue(t, h, c.ID, 3000)
	m := openMoneyTab(t, h, c.ID, pageTabBonus)

	d := m.adjust(app.AdjustDebit)
	test.Type(d.f.amount, "50")
	test.Type(d.f.reason, "Ошибка кассира")
	test.Tap(d.okBtn)
	enterPassword(t, h, "1234")
	if got := d.f.errs.visible(app.FieldAmount); got != "Баллы: недостаточно доступных баллов (запрошено 50)" {
		t.Errorf("amount error = %q", got)
	}
	if !d.open {
		t.Fatal("the dialog closed on a refused debit")
	}
	if a := balanceOf(t, h, c.ID); a.Posted != 3000 {
		t.Fatalf("balance = %d after a refused debit", a.Posted)
	}
	d.f.amount.SetText("20")
	test.Tap(d.okBtn) // the approval given above still serves
	if d.open {
		t.Fatalf("the dialog is still open: %q", d.f.errs.visible(app.FieldAmount))
	}
	if a := balanceOf(t, h, c.ID); a.Posted != 1000 {
		t.Errorf("balance = %d, want 1000", a.Posted)
	}
	if !contains(pageTexts(h), "−20") {
		t.Errorf("the entries do not show the debit: %q", pageTexts(h))
	}

	// A correction takes a signed amount; a word is refused under the field.
	d = m.adjust(app.AdjustCorrect)
	test.Type(d.f.amount, "много")
	test.Type(d.f.reason, "Пересчёт")
	test.Tap(d.okBtn)
	if got := d.f.errs.visible(app.FieldAmount); got != "Баллы: недопустимое значение" {
		t.Errorf("amount error = %q", got)
	}
	d.f.amount.SetText("-2,5")
	test.Tap(d.okBtn)
	enterPassword(t, h, "1234")
	if a := balanceOf(t, h, c.ID); a.Posted != 750 {
		t.Errorf("balance after the correction = %d, want 750", a.Posted)
	}
}

// BN-02: Reset holds releases a hold after a confirmation naming the points.
func TestClientMoneyResetHolds(t *testing.T) {
	h := newHarness(t)
	mustOwner(t, h)
	c := mustCreate(t, h, app.ClientInput{FirstName: "Анна"})
	mustAccrue(t, h, c.ID, 10000)
	if _, err := h.ledger.Hold(context.Background(), c.ID, "", 4000, "T-1"); err != nil {
		t.Fatal(err)
	}
	m := openMoneyTab(t, h, c.ID, pageTabBonus)
	if m.balance.Text != "Баллы: 100 (доступно 60)" {
		t.Errorf("balance = %q", m.balance.Text)
	}
	if m.resetBtn.Disabled() {
		t.Fatal("Reset holds is disabled with a hold")
	}
	test.Tap(m.resetBtn)
	if !containsPart(visibleTextsOf(h.win.Canvas().Overlays().Top()), "баллов: 40") {
		t.Errorf("the confirmation does not name the points: %q", visibleTextsOf(h.win.Canvas().Overlays().Top()))
	}
	tapDialogButton(t, h, "Снять холды")
	if a := balanceOf(t, h, c.ID); a.Held != 0 || a.Posted != 10000 {
		t.Errorf("account after reset = %+v", a)
	}
	if !m.resetBtn.Disabled() || m.balance.Text != "Баллы: 100" {
		t.Errorf("after reset: button disabled %v, balance %q", m.resetBtn.Disabled(), m.balance.Text)
	}
	texts := pageTexts(h)
	for _, want := range []string{"Снятие холда", "Холд", "Снято холдов: 1"} {
		if !contains(texts, want) {
			t.Errorf("the page does not show %q; it shows %q", want, texts)
		}
	}
	if n := len(auditActions(t, h, "ledger.reset_holds")); n != 1 {
		t.Errorf("%d audit lines for the reset", n)
	}
}

// CL-04: an account of another type is opened by hand and selected.
func TestClientMoneyCreateAccount(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if _, err := h.ledger.SaveAccountType(ctx, app.AccountType{Name: "Подарочные"}); err != nil {
		t.Fatal(err)
	}
	c := mustCreate(t, h, app.ClientInput{FirstName: "Анна"})
	m := openMoneyTab(t, h, c.ID, pageTabBonus)
	if m.createBtn.Disabled() {
		t.Fatal("Create account is disabled for a client without accounts")
	}
	test.Tap(m.createBtn)
	d := m.lastCreate
	d.typ.SetSelected("Подарочные")
	test.Tap(d.okBtn)
	if d.open {
		t.Fatalf("the dialog is still open: %q", d.errs.general.Text)
	}
	as, err := h.ledger.Accounts(ctx, c.ID)
	if err != nil || len(as) != 1 || as[0].TypeName != "Подарочные" {
		t.Fatalf("accounts = %+v, %v", as, err)
	}
	if m.acct != 0 || !contains(pageTexts(h), "Операции по счёту «Подарочные»") {
		t.Errorf("the new account is not selected: %q", pageTexts(h))
	}
}

func TestMoneyFormats(t *testing.T) {
	for v, want := range map[int64]string{0: "0", 5000: "50", 2550: "25,5", 2505: "25,05", 123456700: "1\u202f234\u202f567", -250: "−2,5"} {
		if got := moneyPoints(v); got != want {
			t.Errorf("moneyPoints(%d) = %q, want %q", v, got, want)
		}
	}
	for text, want := range map[string]int64{"1": 1000, "1,5": 1500, "0.25": 250, " 2 ": 2000, ",5": 500} {
		if got, ok := moneyParseQty(text); !ok || got != want {
			t.Errorf("moneyParseQty(%q) = %d, %v, want %d", text, got, ok, want)
		}
	}
	for _, text := range []string{"", ".", "1,2345", "-1", "abc"} {
		if _, ok := moneyParseQty(text); ok {
			t.Errorf("moneyParseQty(%q) accepted", text)
		}
	}
	if got := moneyQty(1250); got != "1,25" {
		t.Errorf("moneyQty(1250) = %q", got)
	}
	if got := moneyDiscountShare(5000, 50000); got != "10\u00a0%" {
		t.Errorf("share = %q", got)
	}
}

// The reasons the program writes itself read in the UI's language.
func TestEntryReasonTranslated(t *testing.T) {
	newHarness(t) // Russian
	for in, want := range map[string]string{
		"order 2611231542-3F9A":           "заказ 2611231542-3F9A",
		"order 2611231542-3F9A cancelled": "заказ 2611231542-3F9A отменён",
		"refund R-2: остыл":               "возврат R-2: остыл",
		"opening balance: old.csv":        "начальный баланс: old.csv",
		"expired":                         "баллы сгорели",
		"Акция к 8 марта":                 "Акция к 8 марта",
	} {
		if got := entryReason(in); got != want {
			t.Errorf("entryReason(%q) = %q, want %q", in, got, want)
		}
	}
}
