package ui

// Tests of the loyalty rule editor (issue 6, LR-01…LR-08) over the real
// store: seed 004's rules typed into the rows and saved, errors next to
// their rows that save nothing, the warning before saving rules that never
// apply, the Bronze / Silver / Gold preset, classes in use that are not
// deleted, the recalculation after a save, and the lapse warning's preview.

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// openRules shows the rule editor with its data loaded.
func openRules(t *testing.T, h *harness) *rulesScreen {
	t.Helper()
	if h.ui.rulesTab == nil || !slices.Contains(h.ui.tabs.Items, h.ui.rulesTab) {
		t.Fatal("no rule editor tab")
	}
	h.ui.tabs.Select(h.ui.rulesTab)
	return h.ui.rules
}

// typeRule adds a row with the «Add a rule» button of its list and fills it
// as a person would: the measure chosen by its words, the figures typed.
func typeRule(t *testing.T, s *rulesScreen, kind rowKind, measure, from, percent, ref string) *ruleRow {
	t.Helper()
	btn := map[rowKind]*widget.Button{rowDiscount: s.discAdd, rowClass: s.classAdd,
		rowCategoryAdd: s.catAddAdd, rowCategoryRemove: s.catRemoveAdd}[kind]
	test.Tap(btn)
	rows := *s.rowsOf(kind)
	r := rows[len(rows)-1]
	if r.id == "" {
		t.Fatal("a new row has no id")
	}
	r.measure.SetSelected(measure)
	if r.measure.Selected != measure {
		t.Fatalf("measure %q is not offered: %q", measure, r.measure.Options)
	}
	if from != "" {
		test.Type(r.from, from)
	}
	if percent != "" {
		test.Type(r.percent, percent)
	}
	if ref != "" {
		r.ref.SetSelected(ref)
		if r.ref.Selected != ref {
			t.Fatalf("%q is not offered: %q", ref, r.ref.Options)
		}
	}
	return r
}

func storedRules(t *testing.T, h *harness) app.Rules {
	t.Helper()
	r, err := app.NewLoyalty(h.store, h.clock).Rules(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// LR-01, LR-02: seed 004's discount rules typed into the editor — 5 % from
// 5 000 sold, 5 % from more than two visits, cancelled after 60 days
// without a visit — are stored as typed, with the rows' ids, and come back
// into the editor on the next load.
func TestRulesSeedDiscountsSaved(t *testing.T) {
	h := newHarness(t)
	s := openRules(t, h)
	for _, want := range []string{"Правила для скидок", "Классы важности", "Категории", "Статусы", "Настройки"} {
		if !slices.ContainsFunc(s.tabs.Items, func(i *container.TabItem) bool { return i.Text == want }) {
			t.Errorf("no tab %q", want)
		}
	}
	sold := typeRule(t, s, rowDiscount, "По проданному", "5 000", "5", "")
	if sold.fromText.Text != "Продано от" || sold.unit.Text != "₽" {
		t.Errorf("sold row reads %q … %q", sold.fromText.Text, sold.unit.Text)
	}
	visits := typeRule(t, s, rowDiscount, "По количеству визитов", "3", "5", "")
	if visits.fromText.Text != "Визитов от" {
		t.Errorf("visits row reads %q", visits.fromText.Text)
	}
	test.Type(s.lapse, "60")
	test.Tap(s.saveBtn)

	if s.lastWarn != nil {
		t.Fatalf("warnings for rules that do not overlap: %q", s.lastWarn.texts)
	}
	r := storedRules(t, h)
	want := []app.DiscountRule{
		{ID: sold.id, Measure: app.MeasureSold, From: 5_000_00, DiscountBP: 500},
		{ID: visits.id, Measure: app.MeasureVisits, From: 3, DiscountBP: 500},
	}
	if !slices.Equal(r.Discounts, want) || r.DiscountLapseDays != 60 {
		t.Fatalf("stored %+v, lapse %d; want %+v, 60", r.Discounts, r.DiscountLapseDays, want)
	}
	if s.dirty {
		t.Error("the editor counts saved rules as unsaved edits")
	}
	if s.progText.Text != "Готово: изменено 0 клиентов" {
		t.Errorf("after the save the progress says %q", s.progText.Text)
	}

	// They come back on the next load, in order, as typed.
	s.clearRows()
	s.load()
	if len(s.discounts) != 2 || s.discounts[0].id != sold.id || s.discounts[0].from.Text != "5000" ||
		s.discounts[0].percent.Text != "5" || s.discounts[1].measure.Selected != "По количеству визитов" || s.lapse.Text != "60" {
		t.Errorf("reloaded rows: %d, first %q %q %q", len(s.discounts), s.discounts[0].measure.Selected, s.discounts[0].from.Text, s.discounts[0].percent.Text)
	}
	if got := ruleText(sold.id, r, nil, nil); got != "Продано от 5\u202f000\u00a0₽: 5\u00a0%" {
		t.Errorf("ruleText = %q", got)
	}
}

// LR-01: a percent that is not one, above 100 or empty shows a translated
// error next to its row, the field gets the focus, and nothing is saved;
// the use case's own errors (a category rule of 0 days away) land next to
// their row too.
func TestRulesBadPercentSavesNothing(t *testing.T) {
	h := newHarness(t)
	s := openRules(t, h)
	good := typeRule(t, s, rowDiscount, "По проданному", "5000", "5", "")
	bad := typeRule(t, s, rowDiscount, "По оплаченному", "1000", "150", "")
	test.Tap(s.saveBtn)

	if want := "Скидка: «150» — не процент больше 0 и не больше 100"; !bad.err.Visible() || bad.err.Text != want {
		t.Errorf("row error = %q (shown %v), want %q", bad.err.Text, bad.err.Visible(), want)
	}
	if good.err.Visible() {
		t.Errorf("the good row shows %q", good.err.Text)
	}
	if f := h.win.Canvas().Focused(); f != bad.percent {
		t.Errorf("focus is on %T, not the bad percent", f)
	}
	if r := storedRules(t, h); len(r.Discounts) != 0 {
		t.Fatalf("stored after an error: %+v", r.Discounts)
	}

	bad.percent.SetText("")
	bad.from.SetText("много")
	test.Tap(s.saveBtn)
	for _, want := range []string{"Скидка: обязательное поле", "Оплачено от: «много» — не сумма; пример: 1500 или 1 500,50"} {
		if !strings.Contains(bad.err.Text, want) {
			t.Errorf("row error = %q, want it to say %q", bad.err.Text, want)
		}
	}

	// The use case refuses a category rule of 0 days away: next to its row.
	bad.percent.SetText("7")
	bad.from.SetText("1000")
	addClientCategory(t, s, "Потерянные")
	lost := typeRule(t, s, rowCategoryAdd, "По дням без визита", "0", "", "Потерянные")
	test.Tap(s.saveBtn)
	if want := "Не посещал более: должно быть больше нуля"; !lost.err.Visible() || lost.err.Text != want {
		t.Errorf("category row error = %q, want %q", lost.err.Text, want)
	}
	if bad.err.Visible() {
		t.Errorf("the fixed row still shows %q", bad.err.Text)
	}
	if s.tabs.Selected() != s.catTab {
		t.Error("the editor did not open the tab of the row in error")
	}
	if r := storedRules(t, h); len(r.Discounts)+len(r.Categories) != 0 {
		t.Fatalf("stored after an error: %+v", r)
	}
}

// LR-06: a rule that never applies (7 % from 2 000 beats 5 % from 3 000)
// raises the warning dialog naming both rules in words; «Fix» saves
// nothing, «Save anyway» saves, and the warning stays under the tabs.
func TestRulesOverlapWarns(t *testing.T) {
	h := newHarness(t)
	s := openRules(t, h)
	typeRule(t, s, rowDiscount, "По проданному", "3000", "5", "")
	typeRule(t, s, rowDiscount, "По проданному", "2000", "7", "")
	test.Tap(s.saveBtn)

	d := s.lastWarn
	want := "Правило „Продано от 3\u202f000\u00a0₽: 5\u00a0%“ никогда не сработает: „Продано от 2\u202f000\u00a0₽: 7\u00a0%“ даёт больше с меньшего порога"
	if d == nil || !slices.Equal(d.texts, []string{want}) {
		var got []string
		if d != nil {
			got = d.texts
		}
		t.Fatalf("warnings = %q, want %q", got, want)
	}
	if top := h.win.Canvas().Overlays().Top(); top == nil || !contains(visibleTextsOf(top), "• "+want) {
		t.Error("the dialog does not show the warning")
	}
	test.Tap(d.fix)
	if r := storedRules(t, h); len(r.Discounts) != 0 {
		t.Fatalf("«Fix» saved: %+v", r.Discounts)
	}
	if s.warnScroll.Visible() {
		t.Error("warnings of unsaved rules shown as the saved ones'")
	}

	test.Tap(s.saveBtn)
	tapDialogButton(t, h, "Сохранить всё равно")
	if r := storedRules(t, h); len(r.Discounts) != 2 {
		t.Fatalf("«Save anyway» stored %+v", r.Discounts)
	}
	if !s.warnScroll.Visible() || !strings.Contains(s.warnLabel.Text, want) {
		t.Errorf("under the tabs: %q", s.warnLabel.Text)
	}
	// And after a load, too.
	s.showWarnings(nil, app.Rules{})
	s.load()
	if !strings.Contains(s.warnLabel.Text, want) {
		t.Errorf("after a load the warnings read %q", s.warnLabel.Text)
	}
}

// GR-05, LR-03: the preset adds Bronze, Silver and Gold in rising priority
// and seed 004's six class rules to the editor (not saved until «Save»);
// pressing it again adds nothing twice.
func TestRulesPresetClasses(t *testing.T) {
	h := newHarness(t)
	s := openRules(t, h)
	test.Tap(s.presetBtn)

	cs, err := app.NewLoyalty(h.store, h.clock).Classes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cs {
		names = append(names, c.Name+":"+strconv.Itoa(c.Priority))
	}
	if !slices.Equal(names, []string{"Золото:3", "Серебро:2", "Бронза:1"}) {
		t.Fatalf("classes = %q", names)
	}
	if len(s.classRules) != 6 {
		t.Fatalf("%d class rows, want 6", len(s.classRules))
	}
	if r := storedRules(t, h); len(r.Classes) != 0 {
		t.Fatalf("the preset saved rules itself: %+v", r.Classes)
	}
	if s.tabs.Selected() != s.classTab || len(s.classes) != 3 {
		t.Errorf("the classes tab shows %d classes", len(s.classes))
	}
	first := s.classRules[0]
	if first.ref.Selected != "Бронза" || first.measure.Selected != "По проданному" || first.from.Text != "20000" {
		t.Errorf("first row = %q %q %q", first.ref.Selected, first.measure.Selected, first.from.Text)
	}
	test.Tap(s.presetBtn)
	if len(s.classRules) != 6 {
		t.Errorf("a second press made %d rows", len(s.classRules))
	}

	test.Tap(s.saveBtn)
	r := storedRules(t, h)
	if len(r.Classes) != 6 || s.lastWarn != nil {
		t.Fatalf("stored %d class rules (warnings %v)", len(r.Classes), s.lastWarn)
	}
	gold := cs[0].ID
	var got []string
	for _, c := range r.Classes {
		if c.ClassID == gold {
			got = append(got, ruleText(c.ID, r, cs, nil))
		}
	}
	if want := []string{"Продано от 100\u202f000\u00a0₽: класс «Золото»", "Визитов от 50: класс «Золото»"}; !slices.Equal(got, want) {
		t.Errorf("Gold's rules = %q, want %q", got, want)
	}
}

// GR-05: a class the rules name, or that clients have, is not deleted: the
// reason shows and the class stays; one without either goes.
func TestRulesDeleteClassInUse(t *testing.T) {
	h := newHarness(t)
	s := openRules(t, h)
	ctx := context.Background()
	test.Tap(s.presetBtn)
	test.Tap(s.saveBtn)

	// Named by the rules (the top row is Gold).
	s.classList.table.Select(tableCell(0))
	test.Tap(s.classList.delBtn)
	want := "Этот класс называют правила: сначала удалите эти правила и сохраните"
	if top := h.win.Canvas().Overlays().Top(); top == nil || !contains(visibleTextsOf(top), want) {
		t.Fatalf("the refusal is not shown")
	}
	h.win.Canvas().Overlays().Top().Hide()

	// A class of its own, given to a client by hand.
	d := s.editRef(app.RefClass, -1)
	test.Type(d.name, "Партнёры")
	if d.number.Text != "4" {
		t.Errorf("a new class's priority = %q, want 4 (above Gold)", d.number.Text)
	}
	test.Tap(d.saveBtn)
	if d.open {
		t.Fatalf("class dialog still open: %v", d.visibleErrors())
	}
	if len(s.classes) != 4 || s.classes[0].Name != "Партнёры" {
		t.Fatalf("classes = %+v", s.classes)
	}
	c := mustCreate(t, h, app.ClientInput{FirstName: "Анна"})
	partners := s.classes[0].ID
	l := app.NewLoyalty(h.store, h.clock)
	if _, err := l.SetManual(ctx, app.ClientQuery{IDs: []string{c.ID}}, app.ManualChange{Class: &app.ManualClass{Mode: app.ManualFixed, ClassID: partners}}); err != nil {
		t.Fatal(err)
	}
	s.load()
	s.classList.table.Select(tableCell(0))
	test.Tap(s.classList.delBtn)
	tapDialogButton(t, h, "Удалить")
	want = "У клиентов есть этот класс (1): сначала назначьте им другой"
	if top := h.win.Canvas().Overlays().Top(); top == nil || !contains(visibleTextsOf(top), want) {
		var texts []string
		if top != nil {
			texts = visibleTextsOf(top)
		}
		t.Fatalf("the refusal is not shown: %q", texts)
	}
	h.win.Canvas().Overlays().Top().Hide()
	if cs, _ := l.Classes(ctx); len(cs) != 4 {
		t.Fatalf("classes after refused deletes: %d", len(cs))
	}

	// Back to the rules, the class has no clients and goes.
	if _, err := l.SetManual(ctx, app.ClientQuery{IDs: []string{c.ID}}, app.ManualChange{Class: &app.ManualClass{Mode: app.ManualFixed}}); err != nil {
		t.Fatal(err)
	}
	s.load()
	s.classList.table.Select(tableCell(0))
	test.Tap(s.classList.delBtn)
	tapDialogButton(t, h, "Удалить")
	if cs, _ := l.Classes(ctx); len(cs) != 3 || len(s.classes) != 3 {
		t.Errorf("after delete: %d stored, %d shown", len(cs), len(s.classes))
	}
}

// LR-07: saving the rules recalculates everyone: a client who spent
// 6 000 ₽ before there were rules has 5 % after the save.
func TestRulesRecalculateAfterSave(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	c := mustCreate(t, h, app.ClientInput{FirstName: "Анна", Phone: "+79161234567"})
	mustCreate(t, h, app.ClientInput{FirstName: "Борис"})
	if _, err := h.purchases.Record(ctx, app.PurchaseInput{ClientID: c.ID, Amount: 6_000_00}); err != nil {
		t.Fatal(err)
	}
	discount := func() int64 {
		t.Helper()
		got, err := h.clients.Get(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.DiscountBP
	}
	if bp := discount(); bp != 0 {
		t.Fatalf("a discount before any rule: %d", bp)
	}

	s := openRules(t, h)
	r := typeRule(t, s, rowDiscount, "По проданному", "5000", "5", "")
	r.percent.TypedShortcut(shortcutSave) // Ctrl+S in a field saves
	if bp := discount(); bp != 500 {
		t.Errorf("after the save the discount is %d, want 500", bp)
	}
	if s.progText.Text != "Готово: изменён 1 клиент" || s.progress.Visible() {
		t.Errorf("progress reads %q (bar shown %v)", s.progText.Text, s.progress.Visible())
	}

	// «Recalculate everyone» runs again; nothing is left to change.
	test.Tap(s.recalcBtn)
	if s.progText.Text != "Готово: изменено 0 клиентов" {
		t.Errorf("a second run reads %q", s.progText.Text)
	}
	s.showProgress(app.RecalcProgress{Done: 12000, Total: 1000000})
	if want := "Пересчёт правил: 12\u202f000 из 1\u202f000\u202f000"; s.progText.Text != want {
		t.Errorf("progress = %q, want %q", s.progText.Text, want)
	}
}

// LR-08: the preview renders the template with an example name, discount
// and last day; an unknown placeholder is refused under the template, and a
// warning without a lapse is named before saving.
func TestRulesWarningPreview(t *testing.T) {
	h := newHarness(t)
	s := openRules(t, h)
	if s.template.Text != app.DefaultWarningTemplate {
		t.Errorf("template = %q, want the default", s.template.Text)
	}
	s.template.SetText("")
	test.Type(s.template, "{name}, скидка {discount} до {date}")
	test.Type(s.warnDays, "3")
	if want := "Анна, скидка 5\u00a0% до 25.11.2026"; s.preview.Text != want {
		t.Errorf("preview = %q, want %q", s.preview.Text, want)
	}
	typeRule(t, s, rowDiscount, "По проданному", "5000", "7,5", "")
	if want := "Анна, скидка 7,5\u00a0% до 25.11.2026"; s.preview.Text != want {
		t.Errorf("preview = %q, want %q", s.preview.Text, want)
	}

	s.template.SetText("{имя}, скидка {discount}")
	test.Tap(s.saveBtn)
	if want := "Шаблон сообщения: «{имя}» — неизвестная подстановка; можно {name}, {discount} или {date}"; !s.templateErr.Visible() || s.templateErr.Text != want {
		t.Errorf("template error = %q, want %q", s.templateErr.Text, want)
	}
	if s.tabs.Selected() != s.settingsTab {
		t.Error("the settings tab is not opened on its error")
	}

	s.template.SetText("{name}, скидка {discount} до {date}")
	test.Tap(s.saveBtn)
	if d := s.lastWarn; d == nil || len(d.texts) != 1 || !strings.HasPrefix(d.texts[0], "Предупреждение об отмене скидки включено") {
		t.Fatalf("no warning about a warning without a lapse: %+v", d)
	}
	test.Tap(s.lastWarn.saveAnyway)
	if r := storedRules(t, h); r.Warning.Days != 3 || r.Warning.Template != "{name}, скидка {discount} до {date}" {
		t.Errorf("stored warning = %+v", r.Warning)
	}
}

// LR-04, LR-05: seed 004's categories through the dialog and their rules,
// the visit status rows without a threshold.
func TestRulesCategoriesSaved(t *testing.T) {
	h := newHarness(t)
	s := openRules(t, h)
	for _, n := range []string{"Эконом", "Стандарт", "VIP", "Потерянные"} {
		addClientCategory(t, s, n)
	}
	econ := typeRule(t, s, rowCategoryAdd, "По проданному", "2000", "", "Эконом")
	typeRule(t, s, rowCategoryAdd, "По оплаченному", "30000", "", "VIP")
	typeRule(t, s, rowCategoryAdd, "По количеству визитов", "20", "", "VIP")
	lost := typeRule(t, s, rowCategoryAdd, "По дням без визита", "90", "", "Потерянные")
	if lost.fromText.Text != "Не посещал более" || lost.unit.Text != "дней" {
		t.Errorf("days row reads %q … %q", lost.fromText.Text, lost.unit.Text)
	}
	typeRule(t, s, rowCategoryRemove, "По проданному", "10000", "", "Эконом")
	came := typeRule(t, s, rowCategoryRemove, "Установлен статус визита «Клиент пришёл»", "", "", "Потерянные")
	if came.from.Visible() {
		t.Error("a visit status rule asks for a threshold")
	}
	test.Tap(s.saveBtn)
	if s.lastWarn != nil {
		t.Fatalf("warnings: %q", s.lastWarn.texts)
	}
	r := storedRules(t, h)
	if len(r.Categories) != 6 {
		t.Fatalf("stored %+v", r.Categories)
	}
	cats := s.categories
	if got := ruleText(econ.id, r, nil, cats); got != "Продано от 2\u202f000\u00a0₽: в категорию «Эконом»" {
		t.Errorf("ruleText = %q", got)
	}
	if got := ruleText(lost.id, r, nil, cats); got != "Не посещал более 90 дней: в категорию «Потерянные»" {
		t.Errorf("ruleText = %q", got)
	}
	if got := ruleText(came.id, r, nil, cats); got != "Установлен статус визита «Клиент пришёл»: из категории «Потерянные»" {
		t.Errorf("ruleText = %q", got)
	}
}

// Keyboard: Enter in a field moves on and keeps what was typed; leaving the
// tab and coming back keeps unsaved rows.
func TestRulesEnterKeepsWork(t *testing.T) {
	h := newHarness(t)
	s := openRules(t, h)
	r := typeRule(t, s, rowDiscount, "По проданному", "5000", "", "")
	h.win.Canvas().Focus(r.from)
	r.from.TypedKey(enterKey())
	if f := h.win.Canvas().Focused(); f != r.percent {
		t.Errorf("Enter moved the focus to %T, not the percent", f)
	}
	test.Type(r.percent, "5")
	h.ui.tabs.Select(h.ui.clientsTab)
	h.ui.tabs.Select(h.ui.rulesTab)
	if len(s.discounts) != 1 || s.discounts[0].from.Text != "5000" || s.discounts[0].percent.Text != "5" {
		t.Errorf("after leaving the tab: %d rows", len(s.discounts))
	}
	if r := storedRules(t, h); len(r.Discounts) != 0 {
		t.Errorf("Enter saved: %+v", r.Discounts)
	}
}

// addClientCategory adds a client category through its dialog.
func addClientCategory(t *testing.T, s *rulesScreen, name string) {
	t.Helper()
	d := s.editRef(app.RefCategory, -1)
	test.Type(d.name, name)
	d.name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if d.open {
		t.Fatalf("category dialog still open: %v", d.visibleErrors())
	}
}

// LR-07: a recalculation started while one runs cancels the older; only the
// newest reports, and the editor stays usable meanwhile.
func TestRulesNewerRecalcCancelsOlder(t *testing.T) {
	h := newHarness(t)
	mustCreate(t, h, app.ClientInput{FirstName: "Анна"})
	s := openRules(t, h)
	var pending []func()
	h.ui.deps.Async = func(f func()) { pending = append(pending, f) } // run when the test says
	s.recalculate()
	s.recalculate()
	if len(pending) != 2 {
		t.Fatalf("%d runs started, want 2", len(pending))
	}
	if !s.progress.Visible() || s.progText.Text != "Пересчёт правил…" {
		t.Errorf("while running: bar shown %v, %q", s.progress.Visible(), s.progText.Text)
	}
	typeRule(t, s, rowDiscount, "По проданному", "5000", "5", "") // the editor works meanwhile
	pending[0]()                                                  // the older run: cancelled, says nothing
	if !s.progress.Visible() || s.progText.Text != "Пересчёт правил…" {
		t.Errorf("the cancelled run reported: bar shown %v, %q", s.progress.Visible(), s.progText.Text)
	}
	pending[1]()
	if s.progress.Visible() || s.progText.Text != "Готово: изменено 0 клиентов" {
		t.Errorf("after the newer run: bar shown %v, %q", s.progress.Visible(), s.progText.Text)
	}
}

// Ctrl+S goes to the menu first: on the rule editor it saves the rules, and
// never a client page left open behind the Clients tab.
func TestRulesCtrlSWithAPageOpen(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	c := mustCreate(t, h, app.ClientInput{FirstName: "Анна"})
	p := openPage(t, h, c.ID)
	p.note.SetText("не сохранять")
	s := openRules(t, h)
	typeRule(t, s, rowDiscount, "По проданному", "5000", "5", "")
	var save *fyne.MenuItem
	for _, m := range h.win.MainMenu().Items {
		for _, it := range m.Items {
			if it.Shortcut != nil && it.Shortcut.ShortcutName() == shortcutSave.ShortcutName() {
				save = it
			}
		}
	}
	if save == nil {
		t.Fatal("no menu item takes Ctrl+S")
	}
	save.Action()
	if r, err := h.ui.deps.Loyalty.Rules(ctx); err != nil || len(r.Discounts) != 1 {
		t.Errorf("rules after Ctrl+S: %+v, %v", r.Discounts, err)
	}
	if got, err := h.clients.Get(ctx, c.ID); err != nil || got.Note != "" {
		t.Errorf("the hidden client page was saved: note %q, %v", got.Note, err)
	}
}
