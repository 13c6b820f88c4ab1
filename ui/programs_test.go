package ui

// Tests of the Bonus programs tab (BN-01, BN-06, BN-07, BN-08, GR-03) over
// the real store: the seed 001 example typed into the editor end to end,
// field errors that save nothing, account types, and deleting.

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"loyaltydesk/app"
)

// addGroup makes a client group in the store (its editor comes with issue 6).
func addGroup(t *testing.T, h *harness, name string) string {
	t.Helper()
	id := app.NewID()
	now := h.clock.Now()
	err := h.store.Update(context.Background(), func(tx app.Tx) error {
		return tx.InsertRef(context.Background(), app.RefGroup, app.Ref{ID: id, Name: name}, now, h.store.NodeID())
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func openPrograms(t *testing.T, h *harness) *programsScreen {
	t.Helper()
	h.ui.tabs.Select(h.ui.programsTab)
	if !h.ui.programs.loaded {
		t.Fatal("the programs tab did not load")
	}
	return h.ui.programs
}

func storedPrograms(t *testing.T, h *harness) []app.Program {
	t.Helper()
	ps, err := h.catalogue.Programs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// BN-06, GR-03, seed 001: the group «Постоянные клиенты», the category Кофе
// with two products made in the catalogue, and «Кэшбэк за кофе» — 10 % of
// coffee lines for that group — typed into the editor; the program is stored
// exactly so, and a regular buying coffee and a croissant earns 10 % of the
// coffee.
func TestProgramsCoffeeCashbackThroughEditor(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	regulars := addGroup(t, h, "Постоянные клиенты")
	addGroup(t, h, "Новички")

	cat := openCatalogue(t, h)
	addCategory(t, cat, "Кофе", "")
	addCategory(t, cat, "Выпечка", "")
	addProduct(t, cat, "Латте", "Кофе", "LAT", "250")
	addProduct(t, cat, "Американо", "Кофе", "AME", "180")
	addProduct(t, cat, "Круассан", "Выпечка", "", "150")
	var coffee string
	for id, c := range cat.cats.byID {
		if c.Name == "Кофе" {
			coffee = id
		}
	}

	s := openPrograms(t, h)
	test.Tap(s.saveBtn) // an empty form: the name is required, nothing saved
	if !s.form.errs[app.FieldName].Visible() || len(storedPrograms(t, h)) != 0 {
		t.Fatalf("empty name: errors %v", s.form.visibleErrors())
	}
	test.Type(s.name, "Кэшбэк за кофе")
	if !s.enabled.Checked {
		t.Error("a new program is not enabled")
	}
	if s.accountType.Selected == "" {
		t.Errorf("account type = %q", s.accountType.Selected)
	}
	if !slices.Equal(s.groupChecks.Options, []string{"Новички", "Постоянные клиенты"}) {
		t.Errorf("groups offered = %q", s.groupChecks.Options)
	}
	s.groupChecks.SetSelected([]string{"Постоянные клиенты"})
	s.catChecks.SetSelected([]string{"Кофе"})
	s.rewardValue.SetText("")
	test.Type(s.rewardValue, "10")
	test.Type(s.payShare, "50")
	s.name.TypedKey(enterKey()) // Enter saves
	if errs := s.form.visibleErrors(); len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	ps := storedPrograms(t, h)
	if len(ps) != 1 {
		t.Fatalf("%d programs stored, want 1", len(ps))
	}
	p := ps[0]
	want := app.Program{
		ID: p.ID, Name: "Кэшбэк за кофе", AccountTypeID: app.DefaultAccountTypeID, Enabled: true,
		GroupIDs: []string{regulars}, CategoryIDs: []string{coffee},
		Weekdays: app.AllWeekdays, Reward: app.RewardPercent, RewardValue: 1000, Base: app.BaseSold,
		MaxPayShareBP: 5000,
		CreatedAt:     p.CreatedAt, UpdatedAt: p.UpdatedAt, NodeID: p.NodeID,
	}
	if len(p.ProductIDs) == 0 {
		p.ProductIDs = nil
	}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("stored program\n got %+v\nwant %+v", p, want)
	}
	texts := visibleTexts(h.win)
	for _, want := range []string{"Кэшбэк за кофе", "Постоянные клиенты", "10 %", "Программа: Кэшбэк за кофе"} {
		if !contains(texts, want) {
			t.Errorf("the tab does not show %q; it shows %q", want, texts)
		}
	}

	// A regular buys a latte and a croissant: 10 % of the latte.
	c, err := h.clients.Create(ctx, app.ClientInput{FirstName: "Анна", Phone: "+79161234567"})
	if err != nil {
		t.Fatal(err)
	}
	err = h.store.Update(ctx, func(tx app.Tx) error {
		_, err := tx.UpdateClients(ctx, app.ClientSelect{IDs: []string{c.ID}}, app.ClientChange{GroupID: &regulars}, h.clock.Now(), h.store.NodeID())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	prods := storedProducts(t, h)
	line := func(name string) app.LineInput {
		i := slices.IndexFunc(prods, func(p app.Product) bool { return p.Name == name })
		return app.LineInput{ProductID: prods[i].ID, CategoryID: prods[i].CategoryID, Name: name, Quantity: 1000, Price: prods[i].Price}
	}
	pu, err := h.purchases.Record(app.WithActor(ctx, "cashier"), app.PurchaseInput{ClientID: c.ID, Lines: []app.LineInput{line("Латте"), line("Круассан")}})
	if err != nil {
		t.Fatal(err)
	}
	if pu.BonusAccrued != 2500 {
		t.Errorf("accrued %d, want 2500 (10 %% of the 250 ₽ latte)", pu.BonusAccrued)
	}
}

// BN-06: a percent above 100, hours 25:00 and a date that does not exist
// show their errors under their fields and save nothing; fixed, it saves.
func TestProgramsEditorFieldErrors(t *testing.T) {
	h := newHarness(t)
	s := openPrograms(t, h)
	test.Type(s.name, "Счастливые часы")
	s.rewardValue.SetText("150")
	test.Type(s.hoursFrom, "25:00")
	test.Type(s.hoursTo, "18:00")
	test.Type(s.activeFrom, "31.02.2026")
	test.Type(s.minOrder, "сто")
	for _, c := range s.weekdays {
		c.SetChecked(false)
	}
	test.Tap(s.saveBtn)
	want := map[string]string{
		app.FieldReward:      "Вознаграждение: «150» — не процент от 0,01 до 100",
		app.FieldHours:       "Часы: «25:00» — не время суток; введите ЧЧ:ММ, например 08:00",
		app.FieldActiveDates: "Даты действия: «31.02.2026» — не дата; введите ДД.ММ.ГГГГ",
		app.FieldMinOrder:    "Минимальная сумма заказа: «сто» — не сумма; пример: 1500 или 1 500,50",
	}
	if got := s.form.visibleErrors(); !reflect.DeepEqual(got, want) {
		t.Errorf("errors\n got %v\nwant %v", got, want)
	}
	if n := len(storedPrograms(t, h)); n != 0 {
		t.Fatalf("%d programs saved with bad fields", n)
	}
	// The typed values are fine now; no weekday is left: the use case's error.
	s.rewardValue.SetText("5")
	s.hoursFrom.SetText("09:00")
	s.activeFrom.SetText("01.12.2026")
	s.minOrder.SetText("")
	test.Tap(s.saveBtn)
	if got := s.form.visibleErrors(); len(got) != 1 || got[app.FieldWeekdays] != "Дни недели: отметьте хотя бы один день" {
		t.Errorf("errors = %v", got)
	}
	if n := len(storedPrograms(t, h)); n != 0 {
		t.Fatalf("%d programs saved without weekdays", n)
	}
	test.Tap(s.weekdays[5])
	test.Tap(s.weekdays[6])
	test.Tap(s.saveBtn)
	ps := storedPrograms(t, h)
	if len(ps) != 1 {
		t.Fatalf("errors %v; %d programs", s.form.visibleErrors(), len(ps))
	}
	p := ps[0]
	if p.HoursFrom != 9*60 || p.HoursTo != 18*60 || p.Weekdays != 0x60 || p.RewardValue != 500 ||
		p.ActiveFrom != (app.Date{Year: 2026, Month: 12, Day: 1}) || !p.ActiveTo.IsZero() {
		t.Errorf("stored %+v", p)
	}
}

// BN-06, BN-07: showExample opens the first program; its fields are shown;
// a change is saved to it, and it can be deleted after the confirmation.
func TestProgramsEditExistingAndDelete(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	for _, name := range []string{"Кэшбэк за кофе", "Бонус за визит"} {
		_, err := h.catalogue.SaveProgram(ctx, app.Program{Name: name, Enabled: true, Weekdays: app.AllWeekdays,
			Reward: app.RewardFixed, RewardValue: 5000, Base: app.BasePaid, MinOrder: 50000,
			HoursFrom: 22 * 60, HoursTo: 2 * 60, MaxPayShareBP: 3000, MinBalance: 10000, EarnOnBonusPaid: true})
		if err != nil {
			t.Fatal(err)
		}
	}
	h.ui.Open(ScreenPrograms)
	s := h.ui.programs
	if s.name.Text != "Бонус за визит" { // by name: Б before К
		t.Fatalf("showExample opened %q", s.name.Text)
	}
	if s.reward.Selected != s.reward.Options[1] || s.rewardValue.Text != "50" || s.base.Selected != s.base.Options[1] ||
		s.minOrder.Text != "500" || s.hoursFrom.Text != "22:00" || s.hoursTo.Text != "02:00" || s.payShare.Text != "30" ||
		s.minBalance.Text != "100" || !s.earnOnBonus.Checked || s.rewardUnit.Text != "баллов" {
		t.Errorf("editor shows reward %q %q %q, base %q, min %q, hours %q–%q, share %q, min balance %q, earn %v",
			s.reward.Selected, s.rewardValue.Text, s.rewardUnit.Text, s.base.Selected, s.minOrder.Text,
			s.hoursFrom.Text, s.hoursTo.Text, s.payShare.Text, s.minBalance.Text, s.earnOnBonus.Checked)
	}
	if texts := visibleTexts(h.win); !contains(texts, "50 баллов") || !contains(texts, "все клиенты") {
		t.Errorf("the list shows %q", texts)
	}
	s.enabled.SetChecked(false)
	s.rewardValue.SetText("75,5")
	test.Tap(s.saveBtn)
	ps := storedPrograms(t, h)
	if len(ps) != 2 || ps[0].Name != "Бонус за визит" || ps[0].Enabled || ps[0].RewardValue != 7550 {
		t.Fatalf("after the edit: %+v", ps)
	}
	test.Tap(s.deleteBtn)
	tapDialogButton(t, h, "Удалить")
	ps = storedPrograms(t, h)
	if len(ps) != 1 || ps[0].Name != "Кэшбэк за кофе" {
		t.Errorf("after delete: %+v", ps)
	}
	if s.editing != nil || s.name.Text != "" || len(s.programs) != 1 {
		t.Errorf("after delete the editor edits %v, shows %q, lists %d", s.editing, s.name.Text, len(s.programs))
	}
}

// BN-01, BN-08: account types are added and renamed with their expiry in
// their dialog and offered by the editor; a bad expiry shows its error.
func TestProgramsAccountTypes(t *testing.T) {
	h := newHarness(t)
	s := openPrograms(t, h)
	test.Tap(s.typesBtn)
	d := s.lastTypes
	if d == nil || len(d.types) != 1 {
		t.Fatalf("account types dialog: %+v", d)
	}
	test.Type(d.name, "Подарочные")
	test.Type(d.expiry, "тридцать")
	test.Tap(d.saveBtn)
	if !d.errs[app.FieldExpiryDays].Visible() {
		t.Fatalf("no expiry error; shown %v", d.visibleErrors())
	}
	d.expiry.SetText("30")
	test.Tap(d.saveBtn)
	if errs := d.visibleErrors(); len(errs) > 0 {
		t.Fatalf("errors %v", errs)
	}
	types, err := h.ledger.AccountTypes(context.Background())
	if err != nil || len(types) != 2 || types[1].Name != "Подарочные" || types[1].ExpiryDays != 30 {
		t.Fatalf("types = %+v, %v", types, err)
	}
	if !slices.Contains(s.accountType.Options, "Подарочные") {
		t.Errorf("the editor offers %q", s.accountType.Options)
	}
	// Rename the default type and let its points live a year.
	d.list.Select(0)
	d.name.SetText("Баллы")
	d.expiry.SetText("365")
	test.Tap(d.saveBtn)
	types, _ = h.ledger.AccountTypes(context.Background())
	if types[0].ID != app.DefaultAccountTypeID || types[0].Name != "Баллы" || types[0].ExpiryDays != 365 {
		t.Errorf("default type = %+v", types[0])
	}
	// A program on the new type.
	test.Type(s.name, "Подарки")
	s.accountType.SetSelected("Подарочные")
	test.Tap(s.saveBtn)
	ps := storedPrograms(t, h)
	if len(ps) != 1 || ps[0].AccountTypeID != types[1].ID {
		t.Errorf("programs = %+v (errors %v)", ps, s.form.visibleErrors())
	}
}

func enterKey() *fyne.KeyEvent { return &fyne.KeyEvent{Name: fyne.KeyReturn} }
