package ui

// Tests of the change-by-hand dialog (GR-04) over the real store: each
// meaning of a discount or class set by hand from the client page, and the
// client list's bulk action over the checked clients.

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// GR-04: the dialog states what each meaning does, refuses a change it cannot
// read, and then: a fixed discount and class survive a recalculation; a
// minimum above the rules stays and one below them is raised by the rule at
// once; a value «until the next recalculation» is overwritten by the next
// one; «back to the rules» lets the rules decide now. Each change is audited.
func TestManualDialogModes(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	classes, err := h.ui.deps.Loyalty.PresetClasses(ctx, [3]string{"Бронза", "Серебро", "Золото"})
	if err != nil {
		t.Fatal(err)
	}
	vip, err := h.ui.deps.Loyalty.SaveStatus(ctx, app.Status{Name: "VIP"})
	if err != nil {
		t.Fatal(err)
	}
	mustRules(t, h, app.Rules{
		Discounts: []app.DiscountRule{{Measure: app.MeasureSold, From: 5_000_00, DiscountBP: 500}},
		Classes:   app.PresetClassRules(classes),
	})
	c := mustCreate(t, h, app.ClientInput{FirstName: "Анна", LastName: "Смирнова"})
	mustBuy(t, h, c.ID, 7_300_00)
	l := openLoyalty(t, h, c.ID)
	stored := func() app.Client { return mustGet(t, h, c.ID) }

	d := l.openManual()
	wantModes := []string{"Не менять",
		"Закрепить: правила не меняют, пока не изменят вручную",
		"Как минимум: правила могут повысить, но не понизить",
		"До следующего пересчёта: правила могут изменить",
		"Вернуть правилам: правила пересчитают сейчас"}
	if !slices.Equal(d.discMode.Options, wantModes) || !slices.Equal(d.classMode.Options, wantModes) {
		t.Errorf("the meanings offered: %q / %q", d.discMode.Options, d.classMode.Options)
	}
	shown := visibleTextsOf(h.win.Canvas().Overlays().Top())
	for _, want := range []string{"Клиент: Смирнова Анна", "Статус ставится только вручную и остаётся, пока его не изменят вручную: правила статусы не меняют."} {
		if !contains(shown, want) {
			t.Errorf("the dialog does not say %q: %q", want, shown)
		}
	}
	if !d.discount.Disabled() || !d.class.Disabled() {
		t.Error("the values are open while «Не менять» is chosen")
	}
	test.Tap(d.saveBtn)
	if d.general.Text != "Выберите, что изменить: статус, скидку или класс" || !d.open {
		t.Errorf("nothing chosen: %q (open %v)", d.general.Text, d.open)
	}
	setMode(d.discMode, app.ManualFixed)
	test.Tap(d.saveBtn)
	if got := d.visibleErrors()[app.FieldDiscount]; got != "Скидка: обязательное поле" {
		t.Errorf("no value: %q", got)
	}
	d.discount.SetText("200")
	test.Tap(d.saveBtn)
	if got := d.visibleErrors()[app.FieldDiscount]; got != "Скидка: «200» — не процент от 0 до 100" {
		t.Errorf("bad value: %q", got)
	}

	// Fixed: 3 %, class «Золото», and the status, through one dialog.
	d.discount.SetText("3")
	setMode(d.classMode, app.ManualFixed)
	d.class.SetSelected("Золото")
	d.status.SetSelected("VIP")
	test.Tap(d.saveBtn)
	if d.open {
		t.Fatalf("the dialog is still open: %q", d.visibleErrors())
	}
	if got := stored(); got.DiscountBP != 300 || got.ClassID != classes[2].ID || got.StatusID != vip.ID {
		t.Fatalf("fixed: discount %d, class %q, status %q", got.DiscountBP, got.ClassID, got.StatusID)
	}
	wantLines(t, h, l,
		"Скидка 3 % — задана вручную и закреплена: правила её не меняют, пока её не изменят вручную",
		"Класс «Золото» (приоритет 3) — задан вручную и закреплён: правила его не меняют, пока его не изменят вручную",
		"Статус «VIP» — ставится только вручную: правила статусы не меняют")
	if l.status.Text != "Изменено вручную" {
		t.Errorf("status = %q", l.status.Text)
	}
	test.Tap(l.recalcBtn)
	if _, err := h.ui.deps.Loyalty.RecalculateAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got := stored(); got.DiscountBP != 300 || got.ClassID != classes[2].ID {
		t.Errorf("a recalculation changed fixed values: discount %d, class %q", got.DiscountBP, got.ClassID)
	}

	// A minimum above what the rules give stays.
	d = l.openManual()
	setMode(d.discMode, app.ManualFloor)
	d.discount.SetText("10")
	test.Tap(d.saveBtn)
	if got := stored().DiscountBP; got != 1000 {
		t.Errorf("floor 10 %%: discount %d", got)
	}
	wantLines(t, h, l, "Скидка 10 % — задана вручную как минимум; правила могут только повысить", "Правила сейчас дают 5 %")

	// A minimum below it is raised by the rule at once.
	d = l.openManual()
	setMode(d.discMode, app.ManualFloor)
	d.discount.SetText("3")
	test.Tap(d.saveBtn)
	if got := stored().DiscountBP; got != 500 {
		t.Errorf("floor 3 %%: discount %d, want the rule's 500", got)
	}
	wantLines(t, h, l, "Скидка 5 % — по правилу „Продано от 5 000 ₽: 5 %“: продано 7 300,00 ₽",
		"Минимум, заданный вручную, — 3 % — ниже")

	// Until the next recalculation: set now, gone at the next one.
	d = l.openManual()
	setMode(d.discMode, app.ManualOnce)
	d.discount.SetText("2")
	test.Tap(d.saveBtn)
	if got := stored().DiscountBP; got != 200 {
		t.Errorf("once 2 %%: discount %d", got)
	}
	wantLines(t, h, l, "Сохранено сейчас: 2 %")
	if !l.pending.Visible() {
		t.Error("the tab does not say the next recalculation will change it")
	}
	test.Tap(l.recalcBtn)
	if got := stored().DiscountBP; got != 500 {
		t.Errorf("after the recalculation: discount %d, want 500", got)
	}

	// Back to the rules: the class the rules give (none at 7 300 ₽, one visit).
	d = l.openManual()
	setMode(d.classMode, app.ManualRules)
	if !d.class.Disabled() {
		t.Error("«Вернуть правилам» leaves the class to choose")
	}
	test.Tap(d.saveBtn)
	if got := stored(); got.ClassID != "" || got.StatusID != vip.ID {
		t.Errorf("back to the rules: class %q, status %q", got.ClassID, got.StatusID)
	}
	wantLines(t, h, l, "Класса нет: ни одно правило не подходит")

	log := auditActions(t, h, "client.manual")
	if len(log) != 5 {
		t.Fatalf("audit = %+v", log)
	}
	if !strings.Contains(log[len(log)-1].Details, `"discount_mode":"fixed"`) {
		t.Errorf("the first change's audit: %s", log[len(log)-1].Details)
	}
}

// GR-04, CL-15: «Статус, скидка, класс вручную…» in the list's actions
// changes exactly the checked clients, after saying how many and what.
func TestBulkManualOverCheckedClients(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	vip, err := h.ui.deps.Loyalty.SaveStatus(ctx, app.Status{Name: "VIP"})
	if err != nil {
		t.Fatal(err)
	}
	cs := people(t, h)
	s := h.ui.clients
	s.loadDirectory()
	var items []string
	for _, it := range s.actionsMenu(nil).Items {
		items = append(items, it.Label)
	}
	if !slices.Contains(items, "Статус, скидка, класс вручную…") {
		t.Fatalf("the actions menu = %q", items)
	}
	for _, row := range []int{0, 2, 4} {
		s.toggleCheck(row)
	}
	d := s.startManual()
	if scope, ok := d.target.scope.Widget.(*widget.RadioGroup); !ok || scope.Selected != "Отмеченные (3)" {
		t.Errorf("the scope offered is not the checked clients: %+v", d.target.scope.Widget)
	}
	d.status.SetSelected("VIP")
	setMode(d.discMode, app.ManualFixed)
	d.discount.SetText("10")
	test.Tap(d.saveBtn)
	confirm := strings.Join(plainAll(visibleTextsOf(h.win.Canvas().Overlays().Top())), " | ")
	if !strings.Contains(confirm, "Изменить 3 клиентов: статус: «VIP»; скидка: 10 % (закреплена вручную)?") {
		t.Fatalf("the confirmation says %q", confirm)
	}
	tapDialogButton(t, h, "Применить")
	if d.open {
		t.Fatalf("the dialog is still open: %q", d.visibleErrors())
	}
	if !strings.HasPrefix(s.status.Text, "Изменено 3 клиента") {
		t.Errorf("status = %q", s.status.Text)
	}
	for i, c := range cs {
		got := mustGet(t, h, c.ID)
		changed := got.StatusID == vip.ID && got.DiscountBP == 1000
		if want := i%2 == 0; changed != want {
			t.Errorf("%s: status %q, discount %d; changed %v, want %v", got.DisplayName(), got.StatusID, got.DiscountBP, changed, want)
		}
	}
	if log := auditActions(t, h, "clients.manual"); len(log) != 1 || !strings.Contains(log[0].Details, `"clients":"3"`) {
		t.Errorf("audit = %+v", log)
	}
}
