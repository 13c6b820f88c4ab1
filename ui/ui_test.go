package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"loyaltydesk/app"
	"loyaltydesk/db"
)

// harness is the real UI over a real SQLite file, with blocking work run
// synchronously so tests see its outcome at once.
type harness struct {
	ui      *UI
	store   *db.Store
	clients *app.Clients
	win     fyne.Window
	// The money side (issue 5), over the same store and clock.
	clock     *app.ManualClock
	ledger    *app.Ledger
	purchases *app.Purchases
	catalogue *app.Catalogue
	auth      *app.Auth
	till      *app.Till
}

// testStore sets the Russian language and gives a test app, a real SQLite
// file in a temp dir and a clock at noon on 23 November 2026.
func testStore(t *testing.T) (fyne.App, *db.Store, *app.ManualClock) {
	t.Helper()
	t.Setenv("LANGUAGE", "ru")
	if err := SetupLanguage("ru"); err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	store, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return a, store, app.NewManualClock(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	a, store, clock := testStore(t)
	d, h := harnessDeps(store, clock)
	return h.open(t, a, d, fyne.NewSize(1100, 700))
}

// harnessDeps builds the use cases of the harness over one store and clock,
// and the Deps that give them to the UI (synchronous Async); callers add
// what their screens need, then open.
func harnessDeps(store *db.Store, clock *app.ManualClock) (Deps, *harness) {
	h := &harness{store: store, clock: clock, clients: app.NewClients(store, clock),
		ledger: app.NewLedger(store, clock), purchases: app.NewPurchases(store, clock),
		catalogue: app.NewCatalogue(store, clock), auth: app.NewAuth(store, clock)}
	h.till = app.NewTill(store, clock, h.ledger, h.purchases)
	return Deps{
		Clients:   h.clients,
		Settings:  app.NewSettings(store, clock),
		Till:      h.till,
		Ledger:    h.ledger,
		Purchases: h.purchases,
		Catalogue: h.catalogue,
		Auth:      h.auth,
		Groups:    app.NewGroups(store, clock),
		Loyalty:   app.NewLoyalty(store, clock),
		DBPath:    store.Path(),
		Version:   "test",
		Async:     func(f func()) { f() },
	}, h
}

// open builds the UI from d and shows its window at size.
func (h *harness) open(t *testing.T, a fyne.App, d Deps, size fyne.Size) *harness {
	t.Helper()
	h.ui = New(a, d)
	h.win = h.ui.win
	h.win.Resize(size)
	h.win.Show()
	t.Cleanup(h.win.Close)
	return h
}

func (h *harness) count(t *testing.T) int {
	t.Helper()
	n, err := h.clients.Count(context.Background(), app.ClientQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// visibleTexts returns the text of every label shown in the window: it walks
// the live renderers (the table's visible cells included) and skips whatever
// is hidden, itself or through a parent.
func visibleTexts(w fyne.Window) []string { return visibleTextsOf(w.Content()) }

func contains(texts []string, want string) bool {
	for _, s := range texts {
		if s == want {
			return true
		}
	}
	return false
}

// CL-01: a bad phone shows the error under the phone field and saves nothing.
func TestClientDialogBadPhoneShowsErrorAndSavesNothing(t *testing.T) {
	h := newHarness(t)
	d := h.ui.clients.newClient()
	test.Type(d.entries[app.FieldFirstName], "Анна")
	test.Type(d.entries[app.FieldPhone], "12-34")
	test.Tap(d.saveBtn)

	errLabel := d.errs[app.FieldPhone]
	if !errLabel.Visible() {
		t.Fatal("phone error is not shown")
	}
	want := "Телефон: «12-34» — не номер телефона, пример: +7 916 123-45-67"
	if errLabel.Text != want {
		t.Errorf("phone error = %q, want %q", errLabel.Text, want)
	}
	for f, l := range d.errs {
		if f != app.FieldPhone && l.Visible() {
			t.Errorf("field %s shows an error too: %q", f, l.Text)
		}
	}
	if !d.open {
		t.Error("the dialog closed although the client was not saved")
	}
	if n := h.count(t); n != 0 {
		t.Errorf("%d clients stored after a failed save, want 0", n)
	}
	if h.ui.clients.total != 0 {
		t.Errorf("list shows %d rows, want 0", h.ui.clients.total)
	}
}

// CL-01, CL-12: a good client is stored and appears in the list.
func TestClientDialogGoodClientAppearsInList(t *testing.T) {
	h := newHarness(t)
	d := h.ui.clients.newClient()
	test.Type(d.entries[app.FieldLastName], "Смирнова")
	test.Type(d.entries[app.FieldFirstName], "Анна")
	test.Type(d.entries[app.FieldPhone], "8 (916) 123-45-67")
	test.Type(d.entries[app.FieldEmail], "Anna@Example.ru")
	test.Type(d.entries[app.FieldBirthDate], "14.02.1990")
	d.gender.SetSelected(genderLabel(app.GenderFemale))
	test.Tap(d.saveBtn)

	for f, l := range d.errs {
		if l.Visible() {
			t.Fatalf("field %s shows an error: %q", f, l.Text)
		}
	}
	if d.open {
		t.Error("the dialog is still open after a good save")
	}
	if n := h.count(t); n != 1 {
		t.Fatalf("%d clients stored, want 1", n)
	}
	if h.ui.clients.total != 1 {
		t.Fatalf("list shows %d rows, want 1", h.ui.clients.total)
	}
	texts := visibleTexts(h.win)
	for _, want := range []string{"Смирнова Анна", "+7 916 123-45-67", "anna@example.ru", "14.02.1990", "1 клиент"} {
		if !contains(texts, want) {
			t.Errorf("the window does not show %q; it shows %q", want, texts)
		}
	}
	c, err := h.clients.Lookup(context.Background(), "+79161234567")
	if err != nil {
		t.Fatalf("the phone does not identify the new client: %v", err)
	}
	if c.FirstName != "Анна" || c.Gender != app.GenderFemale || c.BirthDate.Format() != "14.02.1990" {
		t.Errorf("stored client = %+v", c)
	}
}

// CL-01: editing shows the stored values, errors stay under their fields, and a
// fixed edit is saved.
func TestClientDialogEdit(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if _, err := h.clients.Create(ctx, app.ClientInput{FirstName: "Пётр", LastName: "Иванов", Phone: "+79031112233"}); err != nil {
		t.Fatal(err)
	}
	other, err := h.clients.Create(ctx, app.ClientInput{FirstName: "Ольга", Phone: "+79035556677"})
	if err != nil {
		t.Fatal(err)
	}
	h.ui.clients.reload()
	if h.ui.clients.total != 2 {
		t.Fatalf("list shows %d rows, want 2", h.ui.clients.total)
	}
	// Rows are in name order: "Иванов Пётр" before "Ольга".
	h.ui.clients.editRow(0)
	d := topClientDialog(t, h)
	if got := d.entries[app.FieldPhone].Text; got != "+7 903 111-22-33" {
		t.Errorf("phone field = %q", got)
	}
	d.entries[app.FieldPhone].SetText("")
	test.Type(d.entries[app.FieldPhone], other.Phone)
	d.entries[app.FieldBirthDate].SetText("")
	test.Type(d.entries[app.FieldBirthDate], "01.01.2030")
	test.Tap(d.saveBtn)
	if got := d.errs[app.FieldPhone].Text; !strings.Contains(got, "уже принадлежит другому клиенту") {
		t.Errorf("phone error = %q", got)
	}
	if got := d.errs[app.FieldBirthDate].Text; got != "Дата рождения: 01.01.2030 — дата в будущем" {
		t.Errorf("birth date error = %q", got)
	}
	d.entries[app.FieldPhone].SetText("+7 903 111-22-44")
	d.entries[app.FieldBirthDate].SetText("")
	test.Tap(d.saveBtn)
	if d.open {
		t.Fatalf("dialog still open: errors %v", visibleErrors(d))
	}
	if _, err := h.clients.Lookup(ctx, "89031112244"); err != nil {
		t.Errorf("the new phone does not identify the client: %v", err)
	}
	if _, err := h.clients.Lookup(ctx, "89031112233"); err == nil {
		t.Error("the old phone still identifies the client")
	}
}

func visibleErrors(d *clientDialog) map[string]string {
	m := map[string]string{}
	for f, l := range d.errs {
		if l.Visible() {
			m[f] = l.Text
		}
	}
	return m
}

// topClientDialog finds the edit dialog that editRow opened.
func topClientDialog(t *testing.T, h *harness) *clientDialog {
	t.Helper()
	if h.ui.clients.lastDialog == nil {
		t.Fatal("no dialog was opened")
	}
	return h.ui.clients.lastDialog
}

// CL-13: the search box narrows the list by name, phone fragment and e-mail.
func TestClientListSearch(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	for _, in := range []app.ClientInput{
		{FirstName: "Анна", LastName: "Семёнова", Phone: "+79161234567", Email: "anna@example.ru"},
		{FirstName: "Борис", LastName: "Орлов", Phone: "+79267654321"},
		{FirstName: "Вера", LastName: "Орлова", ExternalID: "POS-77"},
	} {
		if _, err := h.clients.Create(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		text string
		want int
	}{
		{"", 3}, {"орлов", 2}, {"семенова", 1}, {"4567", 1}, {"8 926 765", 1}, {"anna@", 1}, {"POS-77", 1}, {"Жуков", 0},
	} {
		h.ui.clients.search.SetText(tc.text)
		h.ui.clients.reload()
		if h.ui.clients.total != tc.want {
			t.Errorf("search %q: %d rows, want %d", tc.text, h.ui.clients.total, tc.want)
		}
	}
	h.ui.clients.search.SetText("Жуков")
	h.ui.clients.reload()
	if !contains(visibleTexts(h.win), "Никто не подходит под «Жуков».") {
		t.Errorf("no empty-result message; shown: %q", visibleTexts(h.win))
	}
	h.ui.clients.search.SetText("")
	h.ui.clients.reload()
	texts := visibleTexts(h.win)
	if !contains(texts, "Семёнова Анна") || !contains(texts, "3 клиента") {
		t.Errorf("the full list is not shown again: %q", texts)
	}
	for _, s := range texts {
		if strings.HasPrefix(s, "Никто не подходит") {
			t.Errorf("the empty-result message stays over a full list")
		}
	}
}

// The settings screen refuses a bad phone region next to the field.
func TestSettingsRegion(t *testing.T) {
	h := newHarness(t)
	s := h.ui.settings
	s.load()
	if s.region.Text != "RU" {
		t.Errorf("region = %q, want RU", s.region.Text)
	}
	s.region.SetText("ZZ")
	test.Tap(s.saveBtn)
	if !s.regionErr.Visible() || !strings.Contains(s.regionErr.Text, "«ZZ»") {
		t.Errorf("region error = %q (visible %v)", s.regionErr.Text, s.regionErr.Visible())
	}
	s.region.SetText("kz")
	test.Type(s.venue, "Кофейня №1")
	test.Tap(s.saveBtn)
	if s.regionErr.Visible() {
		t.Errorf("region error still shown: %q", s.regionErr.Text)
	}
	if r, _ := app.NewSettings(h.store, app.SystemClock{}).PhoneRegion(context.Background()); r != "KZ" {
		t.Errorf("stored region = %q, want KZ", r)
	}
	if h.win.Title() != "LoyaltyDesk — Кофейня №1" {
		t.Errorf("title = %q", h.win.Title())
	}
}

func TestGroupDigits(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1\u202f000", 1000000: "1\u202f000\u202f000"} {
		if got := groupDigits(n); got != want {
			t.Errorf("groupDigits(%d) = %q, want %q", n, got, want)
		}
	}
}
