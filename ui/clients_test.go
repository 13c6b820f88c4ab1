package ui

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
	"loyaltydesk/db"
)

// openHarness builds the UI over the database file at path, for tests that
// close the store and open it again.
func openHarness(t *testing.T, path string) *harness {
	t.Helper()
	store, err := db.Open(context.Background(), path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	clock := app.NewManualClock(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	clients := app.NewClients(store, clock)
	u := New(fyne.CurrentApp(), Deps{
		Clients:  clients,
		Settings: app.NewSettings(store, clock),
		DBPath:   store.Path(),
		Version:  "test",
		Async:    func(f func()) { f() },
	})
	u.win.Resize(fyne.NewSize(1240, 740))
	u.win.Show()
	t.Cleanup(u.win.Close)
	return &harness{ui: u, store: store, clients: clients, win: u.win}
}

func newRuApp(t *testing.T) {
	t.Helper()
	t.Setenv("LANGUAGE", "ru")
	if err := SetupLanguage("ru"); err != nil {
		t.Fatal(err)
	}
	test.NewTempApp(t)
}

// people makes a small client base: ages on 23.11.2026 are Анна 36,
// Борис 26, Вера 46, Галина 31, Дмитрий unknown.
func people(t *testing.T, h *harness) []app.Client {
	t.Helper()
	var out []app.Client
	for _, in := range []app.ClientInput{
		{LastName: "Алексеева", FirstName: "Анна", Gender: app.GenderFemale, BirthDate: "14.02.1990", Phone: "+79161110001", Email: "anna@example.ru"},
		{LastName: "Борисов", FirstName: "Борис", Gender: app.GenderMale, BirthDate: "01.03.2000", Phone: "+79161110002"},
		{LastName: "Васильева", FirstName: "Вера", Gender: app.GenderFemale, BirthDate: "30.12.1979", Email: "vera@example.ru"},
		{LastName: "Григорьева", FirstName: "Галина", Gender: app.GenderFemale, BirthDate: "05.06.1995", Phone: "+79161110004"},
		{LastName: "Дмитриев", FirstName: "Дмитрий", Gender: app.GenderMale, Phone: "+79161110005"},
	} {
		c, err := h.clients.Create(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	h.ui.clients.reload()
	return out
}

// rowNames returns the names in the list's first rows.
func rowNames(s *clientsScreen, n int) []string {
	var out []string
	for i := 0; i < n && i < s.total; i++ {
		r, ok := s.row(i)
		if !ok {
			out = append(out, "?")
			continue
		}
		out = append(out, r.c.DisplayName())
	}
	return out
}

// CL-14: conditions combine, narrow the list and show the count of matches.
func TestClientListFilterNarrowsAndCounts(t *testing.T) {
	h := newHarness(t)
	people(t, h)
	s := h.ui.clients
	if s.total != 5 {
		t.Fatalf("list shows %d rows, want 5", s.total)
	}
	test.Tap(s.filtersBtn)
	if !s.filters.content.Visible() {
		t.Fatal("the filter panel did not open")
	}
	f := s.filters
	f.gender.SetSelected(genderLabel(app.GenderFemale))
	f.apply()
	if s.total != 3 {
		t.Errorf("women: %d rows, want 3", s.total)
	}
	test.Type(f.ageFrom, "30")
	test.Type(f.ageTo, "40")
	f.apply()
	if got := rowNames(s, 5); !slices.Equal(got, []string{"Алексеева Анна", "Григорьева Галина"}) {
		t.Errorf("women aged 30–40 = %q", got)
	}
	if s.count.Text != "Найдено 2 из 5" {
		t.Errorf("count = %q, want «Найдено 2 из 5»", s.count.Text)
	}
	if s.filtersBtn.Text != "Фильтры (2)" {
		t.Errorf("filters button = %q", s.filtersBtn.Text)
	}
	test.Type(f.bdayFrom, "01.06")
	test.Type(f.bdayTo, "31.12")
	f.apply()
	if got := rowNames(s, 5); !slices.Equal(got, []string{"Григорьева Галина"}) {
		t.Errorf("with a birthday in June–December = %q", got)
	}
	if !contains(visibleTexts(h.win), "Найден 1 из 5") {
		t.Errorf("the window does not show «Найден 1 из 5»: %q", visibleTexts(h.win))
	}
	test.Tap(f.resetBtn)
	if s.total != 5 || s.count.Text != "5 клиентов" {
		t.Errorf("after reset: %d rows, count %q", s.total, s.count.Text)
	}
}

// CL-14: a value that does not read gets a message naming its field, and
// the list stays as it was.
func TestClientListBadFilterValue(t *testing.T) {
	h := newHarness(t)
	people(t, h)
	s := h.ui.clients
	f := s.filters
	f.gender.SetSelected(genderLabel(app.GenderMale))
	f.apply()
	if s.total != 2 {
		t.Fatalf("men: %d rows, want 2", s.total)
	}
	gen := s.gen
	for _, tc := range []struct {
		entry *widget.Entry
		text  string
		want  string
	}{
		{f.ageFrom, "тридцать", "Возраст: «тридцать» — не целое число"},
		{f.soldFrom, "1 000,555", "Продано: «1 000,555» — не сумма; пример: 1500 или 1 500,50"},
		{f.lastFrom, "31.02.2026", "Последний визит: «31.02.2026» — не дата; введите ДД.ММ.ГГГГ"},
		{f.bdayTo, "32.01", "День рождения: «32.01» — не день года; введите ДД.ММ"},
		{f.visitsFrom, "-3", "Покупки: не может быть меньше нуля"},
	} {
		tc.entry.SetText(tc.text)
		f.apply()
		if !f.errLbl.Visible() || f.errLbl.Text != tc.want {
			t.Errorf("%q: message %q (shown %v), want %q", tc.text, f.errLbl.Text, f.errLbl.Visible(), tc.want)
		}
		if s.gen != gen || s.total != 2 {
			t.Errorf("%q: the list was queried again (%d rows)", tc.text, s.total)
		}
		tc.entry.SetText("")
	}
	f.ageFrom.SetText("50")
	f.ageTo.SetText("20")
	f.apply()
	if f.errLbl.Text != "Возраст: значение «от» больше значения «до»" {
		t.Errorf("age 50–20: message %q", f.errLbl.Text)
	}
	if s.gen != gen {
		t.Error("a bad range queried the list")
	}
	f.ageFrom.SetText("")
	f.ageTo.SetText("")
	f.soldFrom.SetText("1 500,5")
	f.apply()
	if f.errLbl.Visible() {
		t.Errorf("a good amount shows %q", f.errLbl.Text)
	}
	if s.filter.SoldFrom == nil || *s.filter.SoldFrom != 150050 {
		t.Errorf("sold from = %v, want 150050 kopecks", s.filter.SoldFrom)
	}
}

func TestParseMoney(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "1500": 150000, "1 500,50": 150050, "1500.5": 150050, "12 ₽": 1200, "1\u00a0000": 100000} {
		if got, err := parseMoney(in); err != nil || got != want {
			t.Errorf("parseMoney(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "1,234,5", "1.555", "1e3", ",5", "5,"} {
		if _, err := parseMoney(in); err == nil {
			t.Errorf("parseMoney(%q) accepted", in)
		}
	}
	if got := roublesInput(150050); got != "1500,50" {
		t.Errorf("roublesInput = %q", got)
	}
	if got := moneyText(123456789); got != "1\u202f234\u202f567,89 ₽" {
		t.Errorf("moneyText = %q", got)
	}
}

// CL-14: a saved segment is in the sidebar after the program starts again on
// the same database, and choosing it brings its filter back.
func TestSegmentSurvivesReopen(t *testing.T) {
	newRuApp(t)
	path := filepath.Join(t.TempDir(), "seg.db")
	h := openHarness(t, path)
	people(t, h)
	s := h.ui.clients
	s.filters.gender.SetSelected(genderLabel(app.GenderFemale))
	s.filters.ageFrom.SetText("40")
	s.filters.apply()
	if s.total != 1 {
		t.Fatalf("women over 40: %d rows", s.total)
	}
	d := s.showSaveSegment()
	test.Tap(d.save)
	if !d.errLbl.Visible() || d.errLbl.Text != "Название: обязательное поле" {
		t.Errorf("empty name: %q", d.errLbl.Text)
	}
	test.Type(d.name, "Дамы 40+")
	test.Tap(d.save)
	if d.open {
		t.Fatalf("the save dialog stays open: %q", d.errLbl.Text)
	}
	if !contains(visibleTexts(h.win), "Дамы 40+") {
		t.Errorf("the sidebar does not list the new segment: %q", visibleTexts(h.win))
	}
	if err := h.store.Close(); err != nil {
		t.Fatal(err)
	}

	h2 := openHarness(t, path)
	s2 := h2.ui.clients
	if s2.total != 5 {
		t.Fatalf("the new window lists %d clients, want 5", s2.total)
	}
	i := slices.IndexFunc(s2.side.items, func(it sideItem) bool { return it.label == "Дамы 40+" })
	if i < 0 {
		t.Fatalf("the segment is not in the sidebar after reopening: %+v", s2.side.items)
	}
	s2.side.list.Select(i)
	if got := rowNames(s2, 5); !slices.Equal(got, []string{"Васильева Вера"}) {
		t.Errorf("the segment lists %q", got)
	}
	if s2.filters.gender.Selected != genderLabel(app.GenderFemale) || s2.filters.ageFrom.Text != "40" {
		t.Errorf("the panel shows gender %q, age from %q", s2.filters.gender.Selected, s2.filters.ageFrom.Text)
	}
	if !s2.side.delBtn.Disabled() {
		test.Tap(s2.side.delBtn)
	} else {
		t.Fatal("the delete button is off with a segment chosen")
	}
}

// GR-01: the sidebar lists the groups; choosing one lists its clients.
func TestSidebarGroupListsItsClients(t *testing.T) {
	h := newHarness(t)
	cs := people(t, h)
	ctx := context.Background()
	vip := app.Ref{ID: app.NewID(), Name: "VIP"}
	err := h.store.Update(ctx, func(tx app.Tx) error {
		return tx.InsertRef(ctx, app.RefGroup, vip, time.Now(), h.store.NodeID())
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.clients.Apply(ctx, app.ClientQuery{IDs: []string{cs[1].ID, cs[3].ID}}, app.Action{Kind: app.ActionSetGroup, GroupID: vip.ID}); err != nil {
		t.Fatal(err)
	}
	s := h.ui.clients
	s.loadDirectory()
	i := slices.IndexFunc(s.side.items, func(it sideItem) bool { return it.kind == sideGroup && it.label == "VIP" })
	if i < 0 {
		t.Fatalf("no VIP group in the sidebar: %+v", s.side.items)
	}
	s.side.list.Select(i)
	if got := rowNames(s, 5); !slices.Equal(got, []string{"Борисов Борис", "Григорьева Галина"}) {
		t.Errorf("group VIP lists %q", got)
	}
	s.side.list.Select(0) // all clients
	if s.total != 5 {
		t.Errorf("all clients: %d rows", s.total)
	}
}

// CL-15, CL-09: a tag added to three checked clients lands on exactly them.
func TestBulkTagOnThreeCheckedClients(t *testing.T) {
	h := newHarness(t)
	cs := people(t, h)
	s := h.ui.clients
	for _, row := range []int{0, 2, 4} {
		s.toggleCheck(row)
	}
	if len(s.checked) != 3 || !s.checkedLbl.Visible() || s.checkedLbl.Text != "· отмечено: 3" {
		t.Fatalf("checked %d, label %q", len(s.checked), s.checkedLbl.Text)
	}
	d := s.startAction(app.ActionAddTag)
	if d.scope.Selected != "Отмеченные (3)" {
		t.Errorf("scope = %q, want the checked clients", d.scope.Selected)
	}
	test.Tap(d.okBtn)
	if d.errLbl.Text != "Тег: обязательное поле" {
		t.Errorf("empty tag: %q", d.errLbl.Text)
	}
	test.Type(d.tag, "Завсегдатай")
	test.Tap(d.okBtn)
	if !strings.HasPrefix(s.status.Text, "Изменено 3 клиента") {
		t.Errorf("status = %q", s.status.Text)
	}
	ctx := context.Background()
	for i, c := range cs {
		got, err := h.clients.Get(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		tagged := slices.ContainsFunc(got.Tags, func(tg app.Tag) bool { return tg.Name == "Завсегдатай" })
		if want := i%2 == 0; tagged != want {
			t.Errorf("%s tagged %v, want %v", got.DisplayName(), tagged, want)
		}
	}
	// The new tag is offered by the tag filter, and it narrows the list.
	i := slices.IndexFunc(s.filters.tag.refs, func(r app.Ref) bool { return r.Name == "Завсегдатай" })
	if i < 0 {
		t.Fatal("the tag filter does not offer the new tag")
	}
	s.filters.tag.SetSelectedIndex(i + 2)
	s.filters.apply()
	if s.total != 3 {
		t.Errorf("tag filter: %d rows, want 3", s.total)
	}
}

// CL-15: an action on everything the list found changes only those clients.
func TestBulkActionOnAllFound(t *testing.T) {
	h := newHarness(t)
	people(t, h)
	s := h.ui.clients
	s.filters.gender.SetSelected(genderLabel(app.GenderMale))
	s.filters.apply()
	d := s.startAction(app.ActionBlock)
	if !d.scope.Disabled() || d.scope.Selected != "Все найденные (2)" {
		t.Errorf("scope %q (disabled %v)", d.scope.Selected, d.scope.Disabled())
	}
	test.Tap(d.okBtn)
	if d.errLbl.Text != "Причина блокировки: обязательное поле" {
		t.Errorf("no reason: %q", d.errLbl.Text)
	}
	test.Type(d.reason, "долг")
	test.Tap(d.okBtn)
	n, err := h.clients.Count(context.Background(), app.ClientQuery{Filter: app.ClientFilter{Blocked: app.Yes}})
	if err != nil || n != 2 {
		t.Errorf("blocked clients = %d, %v; want 2", n, err)
	}
}

// CL-12: the chosen columns are kept in the database and come back in a
// new window.
func TestColumnChoicePersists(t *testing.T) {
	newRuApp(t)
	path := filepath.Join(t.TempDir(), "cols.db")
	h := openHarness(t, path)
	people(t, h)
	s := h.ui.clients
	cc := s.showColumnChooser()
	want := []string{app.ColPhone, app.ColFullName, app.ColAge, app.ColTags}
	cc.set(want)
	// Move age above the name.
	cc.move(2, -1)
	want = []string{app.ColPhone, app.ColAge, app.ColFullName, app.ColTags}
	test.Tap(cc.save)
	if !slices.Equal(s.colKeys, want) {
		t.Fatalf("the list shows %v, want %v", s.colKeys, want)
	}
	texts := visibleTexts(h.win)
	for _, w := range []string{"Телефон", "Возраст", "ФИО", "Теги", "36", "+7 916 111-00-01"} {
		if !contains(texts, w) {
			t.Errorf("the list does not show %q: %q", w, texts)
		}
	}
	if contains(texts, "Продано") {
		t.Error("a column left out is still shown")
	}
	h.store.Close()

	h2 := openHarness(t, path)
	if !slices.Equal(h2.ui.clients.colKeys, want) {
		t.Errorf("after reopening the list shows %v, want %v", h2.ui.clients.colKeys, want)
	}
	cc2 := h2.ui.clients.showColumnChooser()
	cc2.set(nil)
	if !cc2.save.Disabled() || cc2.errLbl.Text != "Выберите хотя бы один столбец" {
		t.Errorf("no columns: save enabled %v, message %q", !cc2.save.Disabled(), cc2.errLbl.Text)
	}
}

// CL-12: a click on a sortable header sorts by it; a second click reverses.
func TestSortToggles(t *testing.T) {
	h := newHarness(t)
	people(t, h)
	s := h.ui.clients
	name, _ := app.ColumnByKey(app.ColFullName)
	first := func() string { return rowNames(s, 1)[0] }
	if first() != "Алексеева Анна" {
		t.Fatalf("first row %q", first())
	}
	s.sortBy(name)
	if !s.desc || first() != "Дмитриев Дмитрий" {
		t.Errorf("after a click: desc %v, first %q", s.desc, first())
	}
	s.sortBy(name)
	if s.desc || first() != "Алексеева Анна" {
		t.Errorf("after a second click: desc %v, first %q", s.desc, first())
	}
	// Newest first on the first click on "Added"; the header shows the arrow.
	s.setColumns([]string{app.ColFullName, app.ColCreated})
	created, _ := app.ColumnByKey(app.ColCreated)
	s.sortBy(created)
	if s.sort != app.SortCreated || !s.desc {
		t.Errorf("sort %q desc %v", s.sort, s.desc)
	}
	if s.filters.sortBy.Selected != "Дата добавления" || !s.filters.sortDesc.Checked {
		t.Errorf("the order selector shows %q desc %v", s.filters.sortBy.Selected, s.filters.sortDesc.Checked)
	}
	hc := newHeaderCell()
	s.table.updateHeader(widget.TableCellID{Row: -1, Col: 2}, hc)
	if hc.icon.Resource == nil || hc.icon.Resource.Name() != theme.MoveDownIcon().Name() {
		t.Errorf("the Added header shows no down arrow: %v", hc.icon.Resource)
	}
	test.Tap(hc)
	if s.desc {
		t.Error("a tap on the header did not reverse the order")
	}
	// Unsortable columns ignore taps.
	s.table.updateHeader(widget.TableCellID{Row: -1, Col: 1}, hc)
	s.table.updateHeader(widget.TableCellID{Row: -1, Col: 0}, hc)
}

// CL-15: checking a row shows the client's essentials beside the list.
func TestQuickInfoShowsCheckedClient(t *testing.T) {
	h := newHarness(t)
	cs := people(t, h)
	ctx := context.Background()
	if _, err := h.clients.Apply(ctx, app.ClientQuery{IDs: []string{cs[0].ID}}, app.Action{Kind: app.ActionAddTag, Tag: "Кофеман"}); err != nil {
		t.Fatal(err)
	}
	s := h.ui.clients
	if s.quick.content.Visible() {
		t.Fatal("the quick-info panel shows with nothing checked")
	}
	s.toggleCheck(0)
	if !s.quick.content.Visible() {
		t.Fatal("the quick-info panel did not open")
	}
	texts := visibleTexts(h.win)
	for _, w := range []string{"Алексеева Анна", "+7 916 111-00-01", "anna@example.ru", "14.02.1990 · 36 лет", "Кофеман", "пока не было"} {
		if !contains(texts, w) {
			t.Errorf("quick info lacks %q: %q", w, texts)
		}
	}
	// A second checked client takes the panel; the count shows.
	s.toggleCheck(1)
	if s.quick.name.Text != "Борисов Борис" || s.quick.checked.Text != "Отмечено 2 клиента" {
		t.Errorf("panel %q, %q", s.quick.name.Text, s.quick.checked.Text)
	}
	// Clicking a row (no check) shows it too.
	s.table.Select(widget.TableCellID{Row: 3, Col: 1})
	if s.quick.name.Text != "Григорьева Галина" || len(s.checked) != 2 {
		t.Errorf("after a click: panel %q, %d checked", s.quick.name.Text, len(s.checked))
	}
	test.Tap(s.quick.clearBtn)
	if len(s.checked) != 0 || s.checkedLbl.Visible() {
		t.Error("uncheck all left checks")
	}
	test.Tap(s.quick.closeBtn)
	if s.quick.content.Visible() {
		t.Error("the panel did not close")
	}
}

// CL-15: the header's box checks every row on screen, and again unchecks them.
func TestCheckAllOnScreen(t *testing.T) {
	h := newHarness(t)
	for i := range 60 {
		if _, err := h.clients.Create(context.Background(), app.ClientInput{FirstName: "Гость", LastName: "Номер" + string(rune('А'+i%30)) + string(rune('а'+i/30))}); err != nil {
			t.Fatal(err)
		}
	}
	s := h.ui.clients
	s.reload()
	s.checkAllOnScreen()
	n := len(s.checked)
	if n < 5 || n >= 60 {
		t.Fatalf("checked %d rows; want those on screen", n)
	}
	for _, row := range s.visibleRows() {
		if r, _ := s.row(row); !s.checked[r.c.ID] {
			t.Errorf("row %d on screen is not checked", row)
		}
	}
	s.checkAllOnScreen()
	if len(s.checked) != 0 {
		t.Errorf("a second tap left %d checked", len(s.checked))
	}
	// Space checks the row the keyboard is on; Down moves.
	s.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	s.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	if r, _ := s.row(1); len(s.checked) != 1 || !s.checked[r.c.ID] {
		t.Errorf("Space checked %v, want row 1", s.checked)
	}
	// A new search clears the checks.
	s.search.SetText("Номер")
	s.reload()
	if len(s.checked) != 0 {
		t.Error("checks survived a new search")
	}
}

// CL-11: a pasted list unsubscribes clients and reports every entry.
func TestMassUnsubscribeReport(t *testing.T) {
	h := newHarness(t)
	cs := people(t, h)
	ctx := context.Background()
	if _, err := h.clients.Apply(ctx, app.ClientQuery{}, app.Action{Kind: app.ActionSubscribeSMS}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.clients.Apply(ctx, app.ClientQuery{IDs: []string{cs[0].ID}}, app.Action{Kind: app.ActionSubscribeEmail}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.clients.Apply(ctx, app.ClientQuery{IDs: []string{cs[1].ID}}, app.Action{Kind: app.ActionUnsubscribeSMS}); err != nil {
		t.Fatal(err)
	}
	s := h.ui.clients
	d := s.showUnsubscribe()
	test.Tap(d.okBtn)
	if d.errLbl.Text != "Вставьте хотя бы один телефон или e-mail" {
		t.Errorf("empty paste: %q", d.errLbl.Text)
	}
	d.entry.SetText("8 916 111-00-01\nANNA@example.ru; +7 916 111 00 02\n+79990000000, nobody@example.ru\nпривет")
	test.Tap(d.okBtn)
	if !d.done {
		t.Fatalf("no report: %q", d.errLbl.Text)
	}
	if d.summary.Text != "Отписано клиентов: 2" { // Анна by phone and by e-mail
		t.Errorf("summary %q", d.summary.Text)
	}
	var lines []string
	for _, l := range d.lines {
		lines = append(lines, l.text)
	}
	want := []string{
		"Отписано: 2", "+7 916 111-00-01", "anna@example.ru",
		"Уже были отписаны: 1", "+7 916 111-00-02",
		"Нет такого клиента: 2", "+7 999 000-00-00", "nobody@example.ru",
		"Не телефон и не e-mail: 1", "привет",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("report lines\n%q\nwant\n%q", lines, want)
	}
	got, _ := h.clients.Get(ctx, cs[0].ID)
	if got.SMSSubscribed || got.EmailSubscribed {
		t.Error("Анна is still subscribed")
	}
}

// Russian plurals of the list's counts.
func TestListPlurals(t *testing.T) {
	newHarness(t)
	for n, want := range map[int]string{1: "Изменён 1 клиент", 3: "Изменено 3 клиента", 5: "Изменено 5 клиентов", 21: "Изменён 21 клиент"} {
		if got := bulkChangedText(n); got != want {
			t.Errorf("%d: %q, want %q", n, got, want)
		}
	}
}

// CL-12, CL-15: Enter opens the page of the row the keyboard is on, and
// Ctrl+A (outside a text field) checks the rows on screen.
func TestListKeys(t *testing.T) {
	h := newHarness(t)
	cs := people(t, h)
	s := h.ui.clients
	c := h.win.Canvas()
	c.Focus(s.table)
	s.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	s.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if p := h.ui.pages.open; p == nil || p.id != cs[1].ID {
		t.Fatalf("Enter on row 1 opened %+v, want %s", p, cs[1].DisplayName())
	}
	h.ui.closeClientPage()
	// A double click opens the row under the pointer, not the one selected before.
	y := s.table.Size().Height
	for row := 0; row < 5; row++ {
		s.table.Tapped(&fyne.PointEvent{Position: fyne.NewPos(200, float32(row)*40+60)})
		if s.kbRow == 3 {
			y = float32(row)*40 + 60
			break
		}
	}
	s.focus(0)
	s.table.DoubleTapped(&fyne.PointEvent{Position: fyne.NewPos(200, y)})
	if p := h.ui.pages.open; p == nil || p.id != cs[3].ID {
		t.Errorf("a double click on row 3 opened %+v, want %s", p, cs[3].DisplayName())
	}
	h.ui.closeClientPage()
	h.ui.checkAllShortcut(&fyne.ShortcutSelectAll{})
	if len(s.checked) != 5 {
		t.Errorf("Ctrl+A checked %d of 5 rows", len(s.checked))
	}
}

// The clients-filtered screen shows conditions, a count and a checked row
// with its quick info.
func TestOpenClientsFilteredScreen(t *testing.T) {
	h := newHarness(t)
	people(t, h)
	h.ui.Open(ScreenClientsFiltered)
	s := h.ui.clients
	if !s.filters.content.Visible() || s.filter.Conditions() != 4 {
		t.Errorf("filter panel shown %v with %d conditions", s.filters.content.Visible(), s.filter.Conditions())
	}
	if !strings.HasPrefix(s.count.Text, "Найден") {
		t.Errorf("count %q", s.count.Text)
	}
}

// CL-12: while the scroll bar runs over many pages, at most two are read at a
// time and the pages passed by are not read at all.
func TestPagesPassedByAreNotRead(t *testing.T) {
	h := newHarness(t)
	s := h.ui.clients
	var queue []func()
	h.ui.deps.Async = func(f func()) { queue = append(queue, f) }
	s.total = 20 * pageSize
	for p := 1; p <= 12; p++ {
		s.requestPage(p)
	}
	if s.fetching != 2 || len(queue) != 2 {
		t.Fatalf("%d reads under way, %d queued; want 2", s.fetching, len(queue))
	}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		f()
	}
	var read []int
	for p := range s.pages {
		read = append(read, p)
	}
	slices.Sort(read)
	if want := []int{0, 1, 2, 10, 11, 12}; !slices.Equal(read, want) { // 0 from the start
		t.Errorf("pages read %v, want %v", read, want)
	}
}

// CL-15: with nothing checked, an action from the quick-info panel is for
// the client it shows.
func TestActionOnShownClient(t *testing.T) {
	h := newHarness(t)
	cs := people(t, h)
	s := h.ui.clients
	s.focus(2)
	d := s.startAction(app.ActionFavorite)
	if d.scope.Selected != "Только Васильева Вера" || d.scope.Disabled() {
		t.Fatalf("scope %q (disabled %v)", d.scope.Selected, d.scope.Disabled())
	}
	test.Tap(d.okBtn)
	n, err := h.clients.Count(context.Background(), app.ClientQuery{Filter: app.ClientFilter{Favorite: app.Yes}})
	if err != nil || n != 1 {
		t.Fatalf("favorites = %d, %v; want 1", n, err)
	}
	if got, _ := h.clients.Get(context.Background(), cs[2].ID); !got.Favorite {
		t.Error("Вера is not a favorite")
	}
	if s.status.Text != "Изменён 1 клиент" {
		t.Errorf("status %q", s.status.Text)
	}
}
