package ui

// Tests of the Client groups tab (GR-01, GR-02) over the real store: seed
// 000's two groups typed into the dialog, the promotion they give a client
// who spends 100 ₽ and then 100 ₽ more, field errors that save nothing, and
// a group with clients that cannot be deleted.

import (
	"context"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"loyaltydesk/app"
)

// openGroups shows the Client groups tab with its data loaded.
func openGroups(t *testing.T, h *harness) *groupsScreen {
	t.Helper()
	if h.ui.groupsTab == nil || !slices.Contains(h.ui.tabs.Items, h.ui.groupsTab) {
		t.Fatal("no Client groups tab")
	}
	if h.ui.groupsTab.Text != "Группы клиентов" {
		t.Errorf("tab is called %q", h.ui.groupsTab.Text)
	}
	h.ui.tabs.Select(h.ui.groupsTab)
	return h.ui.groups
}

// typeGroup fills a new group's dialog; auto ticks «move automatically».
func typeGroup(s *groupsScreen, name, discount, from, to string, auto bool) *groupDialog {
	d := s.edit(nil)
	test.Type(d.name, name)
	test.Type(d.discount, discount)
	test.Type(d.from, from)
	test.Type(d.to, to)
	if auto {
		test.Tap(d.auto)
	}
	return d
}

func storedGroups(t *testing.T, h *harness) []app.Group {
	t.Helper()
	gs, err := app.NewGroups(h.store, h.clock).List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return gs
}

func groupByName(gs []app.Group, name string) app.Group {
	for _, g := range gs {
		if g.Name == name {
			return g
		}
	}
	return app.Group{}
}

// addSeedGroups makes seed 000's two groups through the dialog.
func addSeedGroups(t *testing.T, h *harness, s *groupsScreen) {
	t.Helper()
	d := typeGroup(s, "Стартовая", "", "100", "", true)
	test.Tap(d.saveBtn)
	if d.open {
		t.Fatalf("dialog still open: %v", d.visibleErrors())
	}
	d = typeGroup(s, "Клиенты с 10% скидки", "10", "200", "", true)
	d.from.TypedKey(enterKey()) // Enter saves
	if d.open {
		t.Fatalf("dialog still open: %v", d.visibleErrors())
	}
}

// GR-01, GR-02: seed 000's example. «Стартовая» from 100 ₽ and «Клиенты с
// 10% скидки» (10 %) from 200 ₽, both automatic, typed into the dialog; a
// client without a group who spends 100 ₽ is in «Стартовая», and after 100 ₽
// more in «Клиенты с 10% скидки». The list and the client list's groups
// follow.
func TestGroupsSeedPromotion(t *testing.T) {
	h := newHarness(t)
	s := openGroups(t, h)
	addSeedGroups(t, h, s)

	gs := storedGroups(t, h)
	if len(gs) != 2 {
		t.Fatalf("stored groups = %+v", gs)
	}
	start, ten := groupByName(gs, "Стартовая"), groupByName(gs, "Клиенты с 10% скидки")
	if start.ID == "" || start.DiscountBP != 0 || start.SpendFrom != 100_00 || start.SpendTo != 0 || !start.AutoMove {
		t.Errorf("Стартовая = %+v", start)
	}
	if ten.ID == "" || ten.DiscountBP != 1000 || ten.SpendFrom != 200_00 || ten.SpendTo != 0 || !ten.AutoMove {
		t.Errorf("Клиенты с 10%% скидки = %+v", ten)
	}

	// The list shows them by name with their figures.
	if len(s.groups) != 2 || s.groups[0].Name != "Клиенты с 10% скидки" || s.groups[1].Name != "Стартовая" {
		t.Fatalf("list = %+v", s.groups)
	}
	row := func(r int) []string {
		var out []string
		for c := range 6 {
			text, _ := s.cell(r, c)
			out = append(out, text)
		}
		return out
	}
	if got, want := row(0), []string{"Клиенты с 10% скидки", "10 %", moneyText(200_00), "без ограничения", "Да", "0"}; !slices.Equal(got, want) {
		t.Errorf("row 0 = %q, want %q", got, want)
	}
	texts := visibleTexts(h.win)
	for _, want := range []string{"Стартовая", "Клиенты с 10% скидки", "Групп: 2"} {
		if !contains(texts, want) {
			t.Errorf("the tab does not show %q: %q", want, texts)
		}
	}
	// The client list's group selectors know them.
	var dirNames []string
	for _, r := range h.ui.clients.dir.Groups {
		dirNames = append(dirNames, r.Name)
	}
	if !slices.Contains(dirNames, "Стартовая") || !slices.Contains(dirNames, "Клиенты с 10% скидки") {
		t.Errorf("the client list's groups = %q", dirNames)
	}

	ctx := context.Background()
	c, err := h.clients.Create(ctx, app.ClientInput{FirstName: "Анна", Phone: "+79161234567"})
	if err != nil {
		t.Fatal(err)
	}
	groupOf := func() string {
		t.Helper()
		got, err := h.clients.Get(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.GroupID
	}
	if g := groupOf(); g != "" {
		t.Fatalf("a new client is in group %q", g)
	}
	if _, err := h.purchases.Record(ctx, app.PurchaseInput{ClientID: c.ID, Amount: 100_00}); err != nil {
		t.Fatal(err)
	}
	if g := groupOf(); g != start.ID {
		t.Errorf("after 100 ₽ the client is in %q, want Стартовая %q", g, start.ID)
	}
	h.clock.Advance(time.Hour)
	if _, err := h.purchases.Record(ctx, app.PurchaseInput{ClientID: c.ID, Amount: 100_00}); err != nil {
		t.Fatal(err)
	}
	if g := groupOf(); g != ten.ID {
		t.Errorf("after 200 ₽ the client is in %q, want Клиенты с 10%% скидки %q", g, ten.ID)
	}

	// The list counts the client on the next load.
	s.load()
	if got, _ := s.cell(0, 5); got != "1" {
		t.Errorf("clients of «Клиенты с 10%% скидки» shown = %q, want 1", got)
	}

	// Edit: Enter on the chosen row opens the group; a change is saved.
	s.table.open(1)
	d := s.last
	if d == nil || d.group == nil || d.group.ID != start.ID || d.name.Text != "Стартовая" || d.from.Text != "100" || !d.auto.Checked {
		t.Fatalf("edit dialog = %+v", d)
	}
	d.discount.SetText("2,5")
	test.Tap(d.saveBtn)
	if d.open {
		t.Fatalf("dialog still open: %v", d.visibleErrors())
	}
	if g := groupByName(storedGroups(t, h), "Стартовая"); g.DiscountBP != 250 || g.SpendFrom != 100_00 || g.ID != start.ID {
		t.Errorf("edited Стартовая = %+v", g)
	}
}

// GR-01: a discount of 150 %, «to» below «from» and an empty name show
// their errors under their fields and save nothing.
func TestGroupsBadInputSavesNothing(t *testing.T) {
	h := newHarness(t)
	s := openGroups(t, h)

	d := typeGroup(s, "Стартовая", "150", "100", "", true)
	test.Tap(d.saveBtn)
	if got, want := d.visibleErrors()[app.FieldDiscount], "Скидка: «150» — не процент от 0 до 100"; got != want {
		t.Errorf("discount error = %q, want %q", got, want)
	}
	if !d.open {
		t.Error("the dialog closed")
	}

	d.discount.SetText("10")
	d.to.SetText("50")
	test.Tap(d.saveBtn)
	errs := d.visibleErrors()
	if got := errs[app.FieldSpendTo]; got == "" || !containsPart([]string{got}, "Сумма трат до") {
		t.Errorf("spend-to error = %q (all: %v)", got, errs)
	}
	if _, ok := errs[app.FieldDiscount]; ok {
		t.Errorf("the discount error stayed: %v", errs)
	}

	d.to.SetText("")
	d.name.SetText("  ")
	d.name.TypedKey(enterKey())
	if got := d.visibleErrors()[app.FieldName]; got == "" || !containsPart([]string{got}, "Название") {
		t.Errorf("name error = %q (all: %v)", got, d.visibleErrors())
	}
	if !d.open {
		t.Error("the dialog closed")
	}
	if gs := storedGroups(t, h); len(gs) != 0 {
		t.Errorf("stored after bad input: %+v", gs)
	}
	if len(s.groups) != 0 {
		t.Errorf("list shows %+v", s.groups)
	}

	// Fixed, it saves.
	d.name.SetText("Стартовая")
	test.Tap(d.saveBtn)
	if d.open || len(storedGroups(t, h)) != 1 {
		t.Errorf("a good group was not saved: %v", d.visibleErrors())
	}
}

// GR-01: a group with clients is not deleted: the in-use message shows and
// the group stays; an empty one is deleted after the confirmation.
func TestGroupsDeleteInUseRefused(t *testing.T) {
	h := newHarness(t)
	s := openGroups(t, h)
	addSeedGroups(t, h, s)
	ctx := context.Background()
	c, err := h.clients.Create(ctx, app.ClientInput{FirstName: "Анна", Phone: "+79161234567"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.purchases.Record(ctx, app.PurchaseInput{ClientID: c.ID, Amount: 100_00}); err != nil {
		t.Fatal(err)
	}
	s.load()

	s.table.Select(tableCell(1)) // Стартовая, with Анна
	if g, ok := s.selected(); !ok || g.Name != "Стартовая" || g.Clients != 1 {
		t.Fatalf("selected = %+v", g)
	}
	test.Tap(s.delBtn)
	tapDialogButton(t, h, "Удалить")
	want := "Группа: в ней ещё есть клиенты (1); сначала переведите их в другую группу"
	if top := h.win.Canvas().Overlays().Top(); top == nil || !contains(visibleTextsOf(top), want) {
		var texts []string
		if top != nil {
			texts = visibleTextsOf(top)
		}
		t.Errorf("the in-use message is not shown: %q", texts)
	}
	if gs := storedGroups(t, h); len(gs) != 2 {
		t.Errorf("groups after a refused delete: %+v", gs)
	}
	if got, _ := h.clients.Get(ctx, c.ID); got.GroupID == "" {
		t.Error("the client lost their group")
	}
	h.win.Canvas().Overlays().Top().Hide()

	// The empty group goes.
	s.table.Select(tableCell(0)) // Клиенты с 10% скидки
	test.Tap(s.delBtn)
	tapDialogButton(t, h, "Удалить")
	gs := storedGroups(t, h)
	if len(gs) != 1 || gs[0].Name != "Стартовая" {
		t.Errorf("after delete: %+v", gs)
	}
	if len(s.groups) != 1 || len(h.ui.clients.dir.Groups) != 1 {
		t.Errorf("after delete the list shows %d, the client list knows %d groups", len(s.groups), len(h.ui.clients.dir.Groups))
	}
}

// GR-01: Escape in the dialog's fields closes it without saving.
func TestGroupsDialogEscapeCloses(t *testing.T) {
	h := newHarness(t)
	s := openGroups(t, h)
	d := typeGroup(s, "Стартовая", "5", "100", "", false)
	d.from.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if d.open {
		t.Error("Escape did not close the dialog")
	}
	if gs := storedGroups(t, h); len(gs) != 0 {
		t.Errorf("stored after Escape: %+v", gs)
	}
}
