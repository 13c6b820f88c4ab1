package ui

// Tests of the client page's «Лояльность» tab over the real store (issue 6
// items 4 and 7, LR-01, LR-02, LR-07, PU-04): the explanation of a discount a
// purchase earned by a rule, its lapse after the clock moves on and the
// recalculation from the card, and visits with a status recorded through the
// dialog moving the totals and the explanation.

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"loyaltydesk/app"
)

// loyaltyDay is a day of the harness clock.
const loyaltyDay = 24 * time.Hour

// plain turns the no-break and thin spaces of money, points and percents
// into plain ones, so expected texts read as typed.
func plain(s string) string { return strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(s) }

// plainAll is plain over a list.
func plainAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = plain(s)
	}
	return out
}

// mustRules saves rules through the app and applies them to everyone, as the
// rule editor does.
func mustRules(t *testing.T, h *harness, r app.Rules) app.Rules {
	t.Helper()
	ctx := context.Background()
	saved, _, err := h.ui.deps.Loyalty.Save(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.ui.deps.Loyalty.RecalculateAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	return saved
}

// mustBuy records a purchase without lines.
func mustBuy(t *testing.T, h *harness, clientID string, amount int64) {
	t.Helper()
	if _, err := h.purchases.Record(context.Background(), app.PurchaseInput{ClientID: clientID, Amount: amount}); err != nil {
		t.Fatal(err)
	}
}

// openLoyalty opens the client's page on the loyalty tab, loaded.
func openLoyalty(t *testing.T, h *harness, id string) *loyaltySide {
	t.Helper()
	p := openPage(t, h, id)
	l := p.loyalty
	if !l.on || !slices.Contains(p.tabs.Items, l.tab) {
		t.Fatal("the page has no loyalty tab")
	}
	if l.tab.Text != "Лояльность" {
		t.Errorf("the tab is called %q", l.tab.Text)
	}
	l.selectTab(pageTabLoyalty)
	if p.tabs.Selected() != l.tab {
		t.Fatal("the loyalty tab is not selected")
	}
	if !l.loaded || l.errl.Visible() {
		t.Fatalf("the loyalty tab did not load: %q", l.errl.Text)
	}
	return l
}

// wantLines checks that the explanation shows each line (no-break spaces as
// plain ones), in the tab and in the window.
func wantLines(t *testing.T, h *harness, l *loyaltySide, want ...string) {
	t.Helper()
	got := plainAll(l.texts())
	shown := plainAll(visibleTexts(h.win))
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("the explanation lacks %q; it says:\n%s", w, strings.Join(got, "\n"))
		} else if !slices.Contains(shown, w) {
			t.Errorf("%q is not shown in the window", w)
		}
	}
}

// Issue 6 item 7, LR-01, LR-02, LR-07: a purchase that reaches 5 000 ₽ gives
// 5 % by seed 004's rule, and the tab says which rule and which figure, and
// until when the discount holds; 64 days later the daily job has not run yet,
// so the tab says the rules now give nothing and why, and «Пересчитать» from
// the card applies it.
func TestLoyaltyTabExplainsRuleDiscountAndLapse(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	c := mustCreate(t, h, app.ClientInput{LastName: "Смирнова", FirstName: "Анна"})
	mustRules(t, h, app.Rules{
		Discounts:         []app.DiscountRule{{Measure: app.MeasureSold, From: 5_000_00, DiscountBP: 500}},
		DiscountLapseDays: 60,
	})
	status, err := h.ui.deps.Loyalty.SaveStatus(ctx, app.Status{Name: "Постоянный"})
	if err != nil {
		t.Fatal(err)
	}
	mustBuy(t, h, c.ID, 7_300_00)
	if got := mustGet(t, h, c.ID).DiscountBP; got != 500 {
		t.Fatalf("the purchase gave %d bp, want 500", got)
	}

	l := openLoyalty(t, h, c.ID)
	wantLines(t, h, l,
		"Скидка",
		"Скидка 5 % — по правилу „Продано от 5 000 ₽: 5 %“: продано 7 300,00 ₽",
		"Сохранится до 22.01.2027, если клиент не придёт: правило отмены — более 60 дней без визита",
		"Класс", "Класса нет: правил для классов нет",
		"Группа", "Клиент не в группе",
		"Категории", "Ни в одной категории",
		"Статус", "Статуса нет — статусы ставятся только вручную: правила статусы не меняют")
	if l.pending.Visible() {
		t.Error("the tab says a recalculation is due right after the purchase applied the rules")
	}

	// A status set by hand is named with what it means.
	if _, err := h.ui.deps.Loyalty.SetManual(ctx, app.ClientQuery{IDs: []string{c.ID}}, app.ManualChange{StatusID: &status.ID}); err != nil {
		t.Fatal(err)
	}
	l.p.load()
	wantLines(t, h, l, "Статус «Постоянный» — ставится только вручную: правила статусы не меняют")

	// 64 days without a visit: the rule cancels the discount after 60.
	h.clock.Advance(64 * loyaltyDay)
	l.p.load()
	wantLines(t, h, l,
		"Скидки нет: не посещал 64 дня, правило отмены — более 60 дней",
		"Сохранено сейчас: 5 %")
	if !l.pending.Visible() || l.pending.Text != "Правила дают другое, чем сохранено: будет применено при следующем пересчёте" {
		t.Errorf("pending = %q (visible %v)", l.pending.Text, l.pending.Visible())
	}
	test.Tap(l.recalcBtn)
	if got := mustGet(t, h, c.ID).DiscountBP; got != 0 {
		t.Errorf("after «Пересчитать» the discount is %d bp, want 0", got)
	}
	if l.pending.Visible() {
		t.Error("the tab still says a recalculation is due")
	}
	if !l.status.Visible() || l.status.Text != "Пересчитано: изменения сохранены" {
		t.Errorf("status = %q", l.status.Text)
	}
	if got := plainAll(l.texts()); slices.Contains(got, "Сохранено сейчас: 5 %") {
		t.Errorf("the tab still shows the old value: %q", got)
	}
	if log := auditActions(t, h, "rules.apply"); len(log) == 0 || log[0].EntityID != c.ID {
		t.Errorf("audit = %+v", log)
	}
	// A second press has nothing to change.
	test.Tap(l.recalcBtn)
	if l.status.Text != "Пересчитано: менять ничего не пришлось" {
		t.Errorf("status = %q", l.status.Text)
	}
}

// Issue 6 item 7: the class by rule with its priority, the group moved by
// spend with its band, the categories a rule added and the one a removal
// rule keeps the client out of, each with its figure.
func TestLoyaltyTabExplainsClassGroupCategories(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	l := h.ui.deps.Loyalty
	classes, err := l.PresetClasses(ctx, [3]string{"Бронза", "Серебро", "Золото"})
	if err != nil {
		t.Fatal(err)
	}
	cat := func(name string) app.Category {
		c, err := l.SaveCategory(ctx, app.Category{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	econom, standard, handpicked := cat("Эконом"), cat("Стандарт"), cat("Избранные")
	g, err := h.ui.deps.Groups.Save(ctx, app.Group{Name: "Стартовая", SpendFrom: 100_00, SpendTo: 20_000_00, AutoMove: true})
	if err != nil {
		t.Fatal(err)
	}
	mustRules(t, h, app.Rules{
		Classes: app.PresetClassRules(classes),
		Categories: []app.CategoryRule{
			{CategoryID: econom.ID, Add: true, Measure: app.MeasureSold, From: 2_000_00},
			{CategoryID: standard.ID, Add: true, Measure: app.MeasureSold, From: 10_000_00},
			{CategoryID: econom.ID, Measure: app.MeasureSold, From: 10_000_00},
		},
	})
	c := mustCreate(t, h, app.ClientInput{FirstName: "Борис"})
	mustBuy(t, h, c.ID, 12_000_00)
	for range 9 {
		mustBuy(t, h, c.ID, 10_00)
	}
	// A category set by hand stays, and is said to be.
	if err := h.store.Update(ctx, func(tx app.Tx) error {
		return tx.ApplyRuleChanges(ctx, []app.RuleChange{{ClientID: c.ID, AddCategories: []string{handpicked.ID}}}, h.clock.Now(), h.store.NodeID())
	}); err != nil {
		t.Fatal(err)
	}
	got := mustGet(t, h, c.ID)
	if got.ClassID != classes[0].ID || got.GroupID != g.ID {
		t.Fatalf("class %q, group %q: want Бронза by 10 visits and «Стартовая»", got.ClassID, got.GroupID)
	}
	side := openLoyalty(t, h, c.ID)
	wantLines(t, h, side,
		"Класс «Бронза» (приоритет 1) — по правилу „Визитов от 10: класс «Бронза»“: визитов: 10",
		"Группа «Стартовая» — переводится автоматически по проданному: 12 090,00 ₽, диапазон группы 100,00 ₽ – 20 000,00 ₽",
		"«Избранные» — добавлен вручную или раньше",
		"«Стандарт» — по правилу „Продано от 10 000 ₽: в категорию «Стандарт»“: продано 12 090,00 ₽",
		"Не в «Эконом» — правило „Продано от 10 000 ₽: из категории «Эконом»“ не пускает клиента: продано 12 090,00 ₽")

	// The group without automatic moves says the client stays.
	if _, err := h.ui.deps.Groups.Save(ctx, app.Group{ID: g.ID, Name: "Стартовая", SpendFrom: 100_00, SpendTo: 20_000_00, CreatedAt: g.CreatedAt}); err != nil {
		t.Fatal(err)
	}
	side.p.load()
	wantLines(t, h, side, "Группа «Стартовая» — группа без автоперевода: клиент остаётся в ней, пока его не переведут вручную")
}

// PU-04, LR-07: a visit recorded as «пришёл» through the dialog counts as a
// visit with its bill, applies the rules at once (more than two visits give
// 5 %) and shows in the list and the explanation; a «не пришёл» has no bill,
// moves nothing but the category by status, and its status can be corrected.
func TestLoyaltyVisitsThroughTheDialog(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	missed, err := h.ui.deps.Loyalty.SaveCategory(ctx, app.Category{Name: "Не пришедшие"})
	if err != nil {
		t.Fatal(err)
	}
	mustRules(t, h, app.Rules{
		Discounts:  []app.DiscountRule{{Measure: app.MeasureVisits, From: 3, DiscountBP: 500}},
		Categories: []app.CategoryRule{{CategoryID: missed.ID, Add: true, Measure: app.MeasureMissed}, {CategoryID: missed.ID, Measure: app.MeasureCame}},
	})
	c := mustCreate(t, h, app.ClientInput{FirstName: "Вера", LastName: "Васильева"})
	mustBuy(t, h, c.ID, 500_00)
	mustBuy(t, h, c.ID, 500_00)

	l := openLoyalty(t, h, c.ID)
	wantLines(t, h, l, "Скидки нет: ни одно правило не подходит", "Сейчас: продано 1 000,00 ₽, оплачено 1 000,00 ₽, визитов: 2")
	if !l.noVisits.Visible() || l.cameBtn.Disabled() == false || l.missedBtn.Disabled() == false {
		t.Errorf("no visits yet: hint %v, buttons came %v missed %v", l.noVisits.Visible(), !l.cameBtn.Disabled(), !l.missedBtn.Disabled())
	}

	// Mistakes stay in the dialog under their fields and record nothing.
	d := l.recordVisit()
	if d.date.Text != "23.11.2026" || d.status.Selected != "пришёл" {
		t.Errorf("the dialog starts with %q, %q; want today and «пришёл»", d.date.Text, d.status.Selected)
	}
	test.Type(d.sold, "1500")
	test.Type(d.paid, "2000")
	d.date.SetText("24.11.2026")
	test.Tap(d.saveBtn)
	errs := d.visibleErrors()
	if errs[app.FieldPaid] != "Оплачено: больше, чем продано" || errs[app.FieldVisitAt] != "Дата визита: 24.11.2026 — дата в будущем" {
		t.Errorf("errors = %q", errs)
	}
	if !d.open {
		t.Fatal("the dialog closed on a mistake")
	}
	d.paid.SetText("abc")
	test.Tap(d.saveBtn)
	if got := d.visibleErrors()[app.FieldPaid]; got != "Оплачено: «abc» — не сумма; пример: 1500 или 1 500,50" {
		t.Errorf("paid error = %q", got)
	}
	// Came, paid in full when «Оплачено» is left empty.
	d.date.SetText("23.11.2026")
	d.paid.SetText("")
	test.Type(d.note, "Стрижка")
	test.Tap(d.saveBtn)
	if d.open {
		t.Fatalf("the dialog is still open: %q", d.visibleErrors())
	}
	got := mustGet(t, h, c.ID)
	if got.Stats.Visits != 3 || got.Stats.Sold != 2_500_00 || got.Stats.Paid != 2_500_00 || got.DiscountBP != 500 {
		t.Errorf("after the visit: visits %d, sold %d, paid %d, discount %d", got.Stats.Visits, got.Stats.Sold, got.Stats.Paid, got.DiscountBP)
	}
	if l.status.Text != "Визит записан: 23.11.2026, «пришёл»" {
		t.Errorf("status = %q", l.status.Text)
	}
	if plain(l.p.totals[totalVisits].Text) != "3" || plain(l.p.totals[totalSold].Text) != "2 500,00 ₽" {
		t.Errorf("header totals: visits %q, sold %q", l.p.totals[totalVisits].Text, l.p.totals[totalSold].Text)
	}
	wantLines(t, h, l, "Скидка 5 % — по правилу „Визитов от 3: 5 %“: визитов: 3")
	if len(l.visits) != 1 {
		t.Fatalf("visits listed: %d", len(l.visits))
	}
	row := func(r int) []string {
		var out []string
		for col := range 6 {
			text, _ := l.visitCell(r, col)
			out = append(out, plain(text))
		}
		return out
	}
	if got, want := row(0), []string{"23.11.2026", "пришёл", "1 500,00 ₽", "1 500,00 ₽", "Стрижка", "owner"}; !slices.Equal(got, want) {
		t.Errorf("visit row = %q, want %q", got, want)
	}

	// Did not come: no bill; the category by status follows.
	h.clock.Advance(2 * loyaltyDay)
	d = l.recordVisit()
	d.status.SetSelected("не пришёл")
	if !d.sold.Disabled() || !d.paid.Disabled() {
		t.Error("«не пришёл» leaves the bill open")
	}
	test.Tap(d.saveBtn)
	if d.open {
		t.Fatalf("the dialog is still open: %q", d.visibleErrors())
	}
	got = mustGet(t, h, c.ID)
	if got.Stats.Visits != 3 || !slices.Contains(got.CategoryIDs, missed.ID) {
		t.Errorf("after a missed visit: visits %d, categories %q", got.Stats.Visits, got.CategoryIDs)
	}
	wantLines(t, h, l, "«Не пришедшие» — по правилу „Установлен статус визита «Клиент не пришёл»: в категорию «Не пришедшие»“: последний визит: не пришёл")
	if len(l.visits) != 2 || l.visits[0].Status != app.VisitMissed {
		t.Fatalf("visits = %+v", l.visits)
	}

	// The guest did come after all: the status is corrected from the list.
	l.visitTable.Select(tableCell(0))
	if l.cameBtn.Disabled() || !l.missedBtn.Disabled() {
		t.Errorf("a missed visit offers came %v, missed %v", !l.cameBtn.Disabled(), !l.missedBtn.Disabled())
	}
	test.Tap(l.cameBtn)
	got = mustGet(t, h, c.ID)
	if got.Stats.Visits != 4 || slices.Contains(got.CategoryIDs, missed.ID) {
		t.Errorf("after the correction: visits %d, categories %q", got.Stats.Visits, got.CategoryIDs)
	}
	if r := row(0); r[1] != "пришёл" || l.visitRow != 0 {
		t.Errorf("the corrected visit reads %q (chosen row %d)", r, l.visitRow)
	}
	// A visit with a bill cannot become «не пришёл».
	l.visitTable.Select(tableCell(1))
	if !l.missedBtn.Disabled() {
		t.Error("a visit with a bill offers «не пришёл»")
	}
	if log := auditActions(t, h, "visit."); len(log) != 3 {
		t.Errorf("audit of visits = %+v", log)
	}
}

// The screenshot's path: the busiest client's page opens on the loyalty tab.
func TestOpenClientLoyaltyScreen(t *testing.T) {
	h := newHarness(t)
	c := mustCreate(t, h, app.ClientInput{FirstName: "Анна"})
	mustBuy(t, h, c.ID, 100_00)
	h.ui.Open(ScreenClientLoyalty)
	p := h.ui.pages.open
	if p == nil || p.id != c.ID || p.tabs.Selected() != p.loyalty.tab {
		t.Fatalf("the page did not open on the loyalty tab: %+v", p)
	}
}
