package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// mustCreate stores a client through the use case.
func mustCreate(t *testing.T, h *harness, in app.ClientInput) app.Client {
	t.Helper()
	c, err := h.clients.Create(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// mustGet reads a client as stored.
func mustGet(t *testing.T, h *harness, id string) app.Client {
	t.Helper()
	c, err := h.clients.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// openPage opens the page of id and returns it, loaded.
func openPage(t *testing.T, h *harness, id string) *clientPage {
	t.Helper()
	h.ui.openClient(id)
	p := h.ui.pages.open
	if p == nil || p.id != id || !p.loaded {
		t.Fatalf("the page of %s did not open", id)
	}
	if p.loadErr.Visible() {
		t.Fatalf("the page shows a load error: %q", p.loadErr.Text)
	}
	return p
}

// tapDialogButton taps the button labelled text in the dialog on top.
func tapDialogButton(t *testing.T, h *harness, text string) {
	t.Helper()
	top := h.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog is open to press %q", text)
	}
	var found *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() || found != nil {
			return
		}
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			found = b
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
	if found == nil {
		t.Fatalf("the dialog has no %q button", text)
	}
	test.Tap(found)
}

// pageTexts returns what the page shows, as visibleTexts does for the window.
func pageTexts(h *harness) []string { return visibleTexts(h.win) }

func containsPart(texts []string, part string) bool {
	for _, s := range texts {
		if strings.Contains(s, part) {
			return true
		}
	}
	return false
}

// CL-16: the page opens over the list with the name, totals and tabs; tabs
// are only those with data (no placeholders); Back returns to the list as it
// was.
func TestClientPageOpensWithTotalsAndTabs(t *testing.T) {
	h := newHarness(t)
	a := mustCreate(t, h, app.ClientInput{LastName: "Смирнова", FirstName: "Анна", Phone: "+79161234567"})
	mustCreate(t, h, app.ClientInput{LastName: "Орлов", FirstName: "Борис"})
	h.ui.clients.search.SetText("смирнова")
	h.ui.clients.reload()

	p := openPage(t, h, a.ID)
	texts := pageTexts(h)
	for _, want := range []string{"Смирнова Анна", "Продано", "Оплачено", "Визиты", "Средний чек", "Первый визит", "Последний визит", "Привёл клиентов", "0,00\u00a0₽", "+7 916 123-45-67"} {
		if !containsPart(texts, want) {
			t.Errorf("the page does not show %q; it shows %q", want, texts)
		}
	}
	if p.back.Text != "Назад к списку" {
		t.Errorf("back button %q", p.back.Text)
	}
	if containsPart(texts, "Поиск:") {
		t.Error("the list's search box shows through the page")
	}
	var titles []string
	for _, it := range p.tabs.Items {
		titles = append(titles, it.Text)
	}
	want := []string{"Основное", "Бонусные счета", "История операций", "История накоплений", "Лояльность", "Идентификация (1)", "Контакты", "Переменные", "Теги", "Заметка", "Приглашённые"}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Errorf("tabs = %q, want %q", titles, want)
	}
	for _, s := range titles {
		if strings.Contains(strings.ToLower(s), "скоро") || strings.Contains(strings.ToLower(s), "soon") {
			t.Errorf("placeholder tab %q", s)
		}
	}
	if got := p.form.entries[app.FieldPhone].Text; got != "+7 916 123-45-67" {
		t.Errorf("phone field = %q", got)
	}

	test.Tap(p.back)
	if h.ui.pages.open != nil {
		t.Fatal("Back did not close the page")
	}
	if h.ui.clients.search.Text != "смирнова" {
		t.Errorf("the search box lost its text: %q", h.ui.clients.search.Text)
	}
	if !contains(visibleTexts(h.win), "Смирнова Анна") {
		t.Errorf("the list is not shown again: %q", visibleTexts(h.win))
	}
}

// CL-16: the totals come from the client's purchases: sold and paid apart,
// the average check, the first and the last visit.
func TestClientPageTotalsFromPurchases(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	node := h.store.NodeID()
	at := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	c := app.Client{ID: app.NewID(), FirstName: "Анна", LastName: "Смирнова", CreatedAt: at, UpdatedAt: at, NodeID: node}
	bl, err := h.store.NewBulkLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := bl.Client(c, nil); err != nil {
		t.Fatal(err)
	}
	for i, p := range []struct {
		sold, paid int64
		day        time.Time
	}{
		{150000, 140000, time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)},
		{84567, 84567, time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC)},
		{12345, 0, time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)},
	} {
		if err := bl.Purchase(app.Purchase{ID: app.NewID(), Number: fmt.Sprint("R-", i), ClientID: c.ID,
			Sold: p.sold, Paid: p.paid, OccurredAt: p.day, CreatedAt: p.day, UpdatedAt: p.day, NodeID: node}); err != nil {
			t.Fatal(err)
		}
	}
	if err := bl.Close(); err != nil {
		t.Fatal(err)
	}
	p := openPage(t, h, c.ID)
	want := map[string]string{
		totalSold: "2\u202f469,12\u00a0₽", totalPaid: "2\u202f245,67\u00a0₽", totalVisits: "3",
		totalAverage: "823,04\u00a0₽", totalFirst: "01.03.2026", totalLast: "20.11.2026", totalReferred: "0",
	}
	for k, v := range want {
		if got := p.totals[k].Text; got != v {
			t.Errorf("total %s = %q, want %q", k, got, v)
		}
	}
}

// Money is shown as roubles with grouped thousands.
func TestPageMoney(t *testing.T) {
	for k, want := range map[int64]string{0: "0,00\u00a0₽", 5: "0,05\u00a0₽", 123456: "1\u202f234,56\u00a0₽", 100000000: "1\u202f000\u202f000,00\u00a0₽", -250: "−2,50\u00a0₽"} {
		if got := pageMoney(k); got != want {
			t.Errorf("pageMoney(%d) = %q, want %q", k, got, want)
		}
	}
}

// Esc in a field of the page goes back; with unsaved edits it asks first.
func TestClientPageEscAndUnsavedEdits(t *testing.T) {
	h := newHarness(t)
	a := mustCreate(t, h, app.ClientInput{FirstName: "Анна"})
	p := openPage(t, h, a.ID)
	e := p.form.focus[app.FieldLastName].(*pageEntry)
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.ui.pages.open != nil {
		t.Fatal("Esc did not go back")
	}

	p = openPage(t, h, a.ID)
	test.Type(p.form.entries[app.FieldLastName], "Смирнова")
	h.ui.pageKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.ui.pages.open != p {
		t.Fatal("the page closed with unsaved edits and no question")
	}
	tapDialogButton(t, h, "Остаться")
	if h.ui.pages.open != p || p.form.entries[app.FieldLastName].Text != "Смирнова" {
		t.Fatal("Stay did not keep the page and its edit")
	}
	test.Tap(p.back)
	tapDialogButton(t, h, "Уйти")
	if h.ui.pages.open != nil {
		t.Fatal("Leave did not close the page")
	}
	if mustGet(t, h, a.ID).LastName != "" {
		t.Error("leaving saved the edit")
	}
}

// CL-01: the Main tab saves the fields; a bad value shows under its field and
// changes nothing.
func TestClientPageMainSave(t *testing.T) {
	h := newHarness(t)
	a := mustCreate(t, h, app.ClientInput{FirstName: "Анна", Phone: "+79161234567"})
	changed := 0
	h.ui.onClientChanged = func(id string) {
		if id == a.ID {
			changed++
		}
	}
	p := openPage(t, h, a.ID)
	test.Type(p.form.entries[app.FieldLastName], "Смирнова")
	test.Type(p.form.entries[app.FieldEmail], "anna@")
	test.Tap(p.save)
	if l := p.form.errs[app.FieldEmail]; !l.Visible() || !strings.HasPrefix(l.Text, "E-mail: «anna@»") {
		t.Errorf("e-mail error = %q (shown %v)", l.Text, l.Visible())
	}
	if c := mustGet(t, h, a.ID); c.LastName != "" || c.Email != "" {
		t.Errorf("a failed save changed the client: %+v", c)
	}
	if changed != 0 {
		t.Errorf("the list was told of %d changes after a failed save", changed)
	}
	p.form.entries[app.FieldEmail].SetText("anna@example.ru")
	test.Tap(p.save)
	if p.form.errs[app.FieldEmail].Visible() || p.form.general.Visible() {
		t.Fatalf("errors after a good save: %v / %q", p.form.errs[app.FieldEmail].Text, p.form.general.Text)
	}
	c := mustGet(t, h, a.ID)
	if c.LastName != "Смирнова" || c.Email != "anna@example.ru" {
		t.Errorf("stored %+v", c)
	}
	if p.name.Text != "Смирнова Анна" || changed != 1 {
		t.Errorf("header %q, list told %d times", p.name.Text, changed)
	}
	if p.form.dirty() {
		t.Error("the form counts as edited right after a save")
	}
}

// CL-08: the note is saved by its own button, leaving other edits alone.
func TestClientPageNote(t *testing.T) {
	h := newHarness(t)
	a := mustCreate(t, h, app.ClientInput{FirstName: "Анна", LastName: "Смирнова"})
	p := openPage(t, h, a.ID)
	p.tabs.Select(p.tabNote)
	test.Type(p.note, "Любит капучино\nна овсяном")
	test.Tap(p.noteSave)
	if p.noteErr.Visible() {
		t.Fatalf("note error: %q", p.noteErr.Text)
	}
	c := mustGet(t, h, a.ID)
	if c.Note != "Любит капучино\nна овсяном" || c.LastName != "Смирнова" {
		t.Errorf("stored %+v", c)
	}
	if p.noteSaved.Text != "Сохранено" {
		t.Errorf("note status = %q", p.noteSaved.Text)
	}
	p.note.SetText(strings.Repeat("я", 5000))
	test.Tap(p.noteSave)
	if !p.noteErr.Visible() || !strings.Contains(p.noteErr.Text, "Заметка") {
		t.Errorf("too long note error = %q", p.noteErr.Text)
	}
	if mustGet(t, h, a.ID).Note != "Любит капучино\nна овсяном" {
		t.Error("a refused note was stored")
	}
}

// CL-03: methods are added and removed; a value of another client is refused
// with that client's name and adds nothing; the phone method stays.
func TestClientPageIdentification(t *testing.T) {
	h := newHarness(t)
	a := mustCreate(t, h, app.ClientInput{FirstName: "Анна", LastName: "Смирнова", Phone: "+79161234567"})
	b := mustCreate(t, h, app.ClientInput{FirstName: "Борис", LastName: "Орлов"})
	if _, err := h.clients.AddIdentifier(context.Background(), a.ID, app.IdentifierInput{Media: app.MediaCard, Input: app.InputBarcode, Value: "4600123"}); err != nil {
		t.Fatal(err)
	}

	p := openPage(t, h, b.ID)
	p.tabs.Select(p.tabIDs)
	p.idMedia.SetSelected("Карта")
	p.idInput.SetSelected("Штрих-код")
	test.Type(p.idValue, "4600123")
	test.Tap(p.idAdd)
	if want := "Значение: «4600123» уже принадлежит клиенту Смирнова Анна"; !p.idErr.Visible() || p.idErr.Text != want {
		t.Errorf("taken error = %q (shown %v), want %q", p.idErr.Text, p.idErr.Visible(), want)
	}
	if n := len(mustGet(t, h, b.ID).Identifiers); n != 0 {
		t.Fatalf("a taken value was added: %d methods", n)
	}

	p.idValue.SetText("")
	p.idMedia.SetSelected("Приложение гостя")
	if p.idInput.Selected != "QR-код" {
		t.Errorf("input after choosing the guest app = %q", p.idInput.Selected)
	}
	test.Type(p.idValue, "QR-777")
	test.Tap(p.idAdd)
	if p.idErr.Visible() {
		t.Fatalf("error adding a free value: %q", p.idErr.Text)
	}
	ids := mustGet(t, h, b.ID).Identifiers
	if len(ids) != 1 || ids[0].Value != "QR-777" || ids[0].Media != app.MediaGuestApp || ids[0].Input != app.InputQR {
		t.Fatalf("stored methods %+v", ids)
	}
	if p.idValue.Text != "" || p.tabIDs.Text != "Идентификация (1)" || !containsPart(pageTexts(h), "QR-777") {
		t.Errorf("after adding: value %q, tab %q, shown %q", p.idValue.Text, p.tabIDs.Text, pageTexts(h))
	}

	p.confirmRemoveIdentifier(ids[0])
	tapDialogButton(t, h, "Удалить")
	if n := len(mustGet(t, h, b.ID).Identifiers); n != 0 {
		t.Errorf("%d methods after removing", n)
	}

	// The phone method goes only with the phone.
	p = openPage(t, h, a.ID)
	var phone app.Identifier
	for _, idf := range p.c.Identifiers {
		if idf.Input == app.InputPhone {
			phone = idf
		}
	}
	if !containsPart(visibleTextsOf(p.idRows), "следует за телефоном") {
		t.Errorf("the phone method is not marked: %q", visibleTextsOf(p.idRows))
	}
	p.confirmRemoveIdentifier(phone)
	tapDialogButton(t, h, "Удалить")
	if !p.idErr.Visible() || !strings.Contains(p.idErr.Text, "очистите поле «Телефон»") {
		t.Errorf("phone method error = %q", p.idErr.Text)
	}
	if n := len(mustGet(t, h, a.ID).Identifiers); n != 2 {
		t.Errorf("%d methods, want 2", n)
	}
}

// visibleTextsOf is visibleTexts for one object and what it holds.
func visibleTextsOf(o fyne.CanvasObject) []string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		if l, ok := o.(*widget.Label); ok && l.Text != "" {
			out = append(out, l.Text)
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
	walk(o)
	return out
}

// CL-02: contacts are added with a label and removed; a bad phone says so
// and adds nothing.
func TestClientPageContacts(t *testing.T) {
	h := newHarness(t)
	a := mustCreate(t, h, app.ClientInput{FirstName: "Анна"})
	p := openPage(t, h, a.ID)
	p.tabs.Select(p.tabContacts)
	p.ctKind.SetSelected("Телефон")
	test.Type(p.ctValue, "12-34")
	test.Tap(p.ctAdd)
	if want := "Телефон: «12-34» — не номер телефона, пример: +7 916 123-45-67"; p.ctErr.Text != want || !p.ctErr.Visible() {
		t.Errorf("bad phone error = %q, want %q", p.ctErr.Text, want)
	}
	if n := len(mustGet(t, h, a.ID).Contacts); n != 0 {
		t.Fatalf("%d contacts after a bad phone", n)
	}
	p.ctValue.SetText("8 903 111-22-33")
	test.Type(p.ctLabel, "рабочий")
	test.Tap(p.ctAdd)
	p.ctKind.SetSelected("Соцсеть")
	test.Type(p.ctValue, "vk.com/anna")
	test.Tap(p.ctAdd)
	if p.ctErr.Visible() {
		t.Fatalf("error: %q", p.ctErr.Text)
	}
	cs := mustGet(t, h, a.ID).Contacts
	if len(cs) != 2 {
		t.Fatalf("contacts %+v", cs)
	}
	texts := pageTexts(h)
	for _, want := range []string{"+7 903 111-22-33 — рабочий", "vk.com/anna"} {
		if !containsPart(texts, want) {
			t.Errorf("the tab does not show %q: %q", want, texts)
		}
	}
	if p.tabContacts.Text != "Контакты (2)" {
		t.Errorf("tab title %q", p.tabContacts.Text)
	}
	var phone app.Contact
	for _, c := range cs {
		if c.Kind == app.ContactPhone {
			phone = c
		}
	}
	p.removeContact(phone)
	cs = mustGet(t, h, a.ID).Contacts
	if len(cs) != 1 || cs[0].Kind != app.ContactSocial {
		t.Errorf("after removing the phone: %+v", cs)
	}
}

// CL-10: variables are set, changed and removed.
func TestClientPageVariables(t *testing.T) {
	h := newHarness(t)
	a := mustCreate(t, h, app.ClientInput{FirstName: "Анна"})
	p := openPage(t, h, a.ID)
	p.tabs.Select(p.tabVars)
	test.Tap(p.varSave)
	if !p.varErr.Visible() || p.varErr.Text != "Переменная: обязательное поле" {
		t.Errorf("empty name error = %q", p.varErr.Text)
	}
	test.Type(p.varName, "Любимый напиток")
	test.Type(p.varValue, "капучино")
	test.Tap(p.varSave)
	if p.varErr.Visible() {
		t.Fatalf("error: %q", p.varErr.Text)
	}
	vs := mustGet(t, h, a.ID).Variables
	if len(vs) != 1 || vs[0].Name != "Любимый напиток" || vs[0].Value != "капучино" {
		t.Fatalf("variables %+v", vs)
	}
	if !contains(pageTexts(h), "капучино") {
		t.Errorf("the value is not shown: %q", pageTexts(h))
	}
	// Change: the same name gets the new value.
	p.varName.SetText("Любимый напиток")
	p.varValue.SetText("раф")
	test.Tap(p.varSave)
	vs = mustGet(t, h, a.ID).Variables
	if len(vs) != 1 || vs[0].Value != "раф" {
		t.Fatalf("after the change: %+v", vs)
	}
	p.removeVariable("Любимый напиток")
	if vs = mustGet(t, h, a.ID).Variables; len(vs) != 0 {
		t.Errorf("after removing: %+v", vs)
	}
}

// CL-09: tags are added (new or existing) and removed.
func TestClientPageTags(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	a := mustCreate(t, h, app.ClientInput{FirstName: "Анна"})
	b := mustCreate(t, h, app.ClientInput{FirstName: "Борис"})
	if _, err := h.clients.Apply(ctx, app.ClientQuery{IDs: []string{b.ID}}, app.Action{Kind: app.ActionAddTag, Tag: "VIP"}); err != nil {
		t.Fatal(err)
	}
	p := openPage(t, h, a.ID)
	p.tabs.Select(p.tabTags)
	if strings.Join(p.tagOpts, ",") != "VIP" {
		t.Errorf("tag suggestions = %q", p.tagOpts)
	}
	p.tagEntry.SetText("VIP")
	test.Tap(p.tagAdd)
	test.Type(p.tagEntry, "кофеман")
	test.Tap(p.tagAdd)
	if p.tagErr.Visible() {
		t.Fatalf("error: %q", p.tagErr.Text)
	}
	names := func() []string {
		var out []string
		for _, t := range mustGet(t, h, a.ID).Tags {
			out = append(out, t.Name)
		}
		return out
	}
	if got := strings.Join(names(), ","); got != "VIP,кофеман" && got != "кофеман,VIP" {
		t.Fatalf("tags %q", got)
	}
	if p.tabTags.Text != "Теги (2)" {
		t.Errorf("tab title %q", p.tabTags.Text)
	}
	test.Tap(p.tagAdd) // empty
	if !p.tagErr.Visible() || p.tagErr.Text != "Тег: обязательное поле" {
		t.Errorf("empty tag error = %q", p.tagErr.Text)
	}
	p.removeTag("VIP")
	if got := strings.Join(names(), ","); got != "кофеман" {
		t.Errorf("after removing: %q", got)
	}
	if n := len(mustGet(t, h, b.ID).Tags); n != 1 {
		t.Errorf("the other client lost its tag")
	}
}

// CL-08: blocking needs a reason; block and unblock; CL-07 favorite toggle;
// CL-11 subscriptions.
func TestClientPageBlockFavoriteSubscriptions(t *testing.T) {
	h := newHarness(t)
	a := mustCreate(t, h, app.ClientInput{FirstName: "Анна"})
	p := openPage(t, h, a.ID)
	test.Tap(p.block)
	if !p.blockErr.Visible() || p.blockErr.Text != "Причина блокировки: обязательное поле" {
		t.Errorf("no-reason error = %q", p.blockErr.Text)
	}
	if mustGet(t, h, a.ID).Blocked {
		t.Fatal("blocked without a reason")
	}
	test.Type(p.reason, "Передавал карту другим")
	test.Tap(p.block)
	c := mustGet(t, h, a.ID)
	if !c.Blocked || c.BlockReason != "Передавал карту другим" {
		t.Fatalf("stored %+v", c)
	}
	if !contains(pageTexts(h), "Заблокирован: Передавал карту другим") || p.block.Visible() || !p.unblock.Visible() {
		t.Errorf("the page does not show the block: %q", pageTexts(h))
	}
	test.Tap(p.unblock)
	if c := mustGet(t, h, a.ID); c.Blocked || c.BlockReason != "" {
		t.Errorf("after unblocking: %+v", c)
	}
	if containsPart(pageTexts(h), "Заблокирован") {
		t.Error("the block is still shown")
	}

	test.Tap(p.fav)
	if !mustGet(t, h, a.ID).Favorite || p.fav.Text != "★ В избранном" || !contains(pageTexts(h), "★ Избранный") {
		t.Errorf("favorite: button %q, shown %q", p.fav.Text, pageTexts(h))
	}
	test.Tap(p.fav)
	if mustGet(t, h, a.ID).Favorite || p.fav.Text != "☆ В избранное" {
		t.Errorf("unfavorite: button %q", p.fav.Text)
	}

	sms := mustGet(t, h, a.ID).SMSSubscribed
	test.Tap(p.sms)
	if got := mustGet(t, h, a.ID).SMSSubscribed; got == sms || p.sms.Checked != got {
		t.Errorf("SMS subscription %v → %v, box %v", sms, got, p.sms.Checked)
	}
}

// CL-19: the referrer is picked by search, a client cannot refer itself, and
// the referrer's page counts and lists whom it brought.
func TestClientPageReferrals(t *testing.T) {
	h := newHarness(t)
	a := mustCreate(t, h, app.ClientInput{FirstName: "Анна", LastName: "Смирнова", Phone: "+79161234567"})
	b := mustCreate(t, h, app.ClientInput{FirstName: "Борис", LastName: "Орлов"})
	p := openPage(t, h, b.ID)
	test.Type(p.refSearch, "смирн")
	var pick *widget.Button
	for _, o := range p.refResults.Objects {
		if btn, ok := o.(*widget.Button); ok && strings.HasPrefix(btn.Text, "Смирнова Анна") {
			pick = btn
		}
	}
	if pick == nil {
		t.Fatalf("no result for the search; shown %q", visibleTextsOf(p.refResults))
	}
	test.Tap(pick)
	if p.refErr.Visible() {
		t.Fatalf("error: %q", p.refErr.Text)
	}
	if got := mustGet(t, h, b.ID).ReferrerID; got != a.ID {
		t.Fatalf("referrer = %q, want %q", got, a.ID)
	}
	if p.refName.Text != "Смирнова Анна" {
		t.Errorf("referrer shown as %q", p.refName.Text)
	}

	p.setReferrer(b.ID)
	if want := "Кто привёл: клиент не может пригласить сам себя"; !p.refErr.Visible() || p.refErr.Text != want {
		t.Errorf("self-referral error = %q, want %q", p.refErr.Text, want)
	}
	if got := mustGet(t, h, b.ID).ReferrerID; got != a.ID {
		t.Errorf("a refused referral changed the referrer to %q", got)
	}

	// The referrer's page, opened from here, goes back here.
	test.Tap(p.refOpen)
	pa := h.ui.pages.open
	if pa == nil || pa.id != a.ID {
		t.Fatal("the referrer's page did not open")
	}
	if pa.totals[totalReferred].Text != "1" || pa.tabRefs.Text != "Приглашённые (1)" {
		t.Errorf("referred: total %q, tab %q", pa.totals[totalReferred].Text, pa.tabRefs.Text)
	}
	pa.tabs.Select(pa.tabRefs)
	if !contains(pageTexts(h), "Орлов Борис") || !contains(pageTexts(h), "Привёл клиентов: 1") {
		t.Errorf("the Referrals tab shows %q", pageTexts(h))
	}
	if pa.back.Text != "Назад: Орлов Борис" {
		t.Errorf("back button %q", pa.back.Text)
	}
	pa.refsList.Select(0)
	if h.ui.pages.open == nil || h.ui.pages.open.id != b.ID {
		t.Fatal("a row of the Referrals tab did not open that client")
	}
	h.ui.closeClientPage()
	h.ui.closeClientPage()
	if h.ui.pages.open == nil || h.ui.pages.open.id != b.ID {
		t.Fatal("Back did not return to the page it came from")
	}
	test.Tap(h.ui.pages.open.refClear)
	if got := mustGet(t, h, b.ID).ReferrerID; got != "" {
		t.Errorf("referrer after clearing = %q", got)
	}
}

// Delete asks first, then the page closes and the list is told.
func TestClientPageDelete(t *testing.T) {
	h := newHarness(t)
	a := mustCreate(t, h, app.ClientInput{FirstName: "Анна"})
	var told string
	h.ui.onClientChanged = func(id string) { told = id }
	p := openPage(t, h, a.ID)
	test.Tap(p.del)
	tapDialogButton(t, h, "Отмена")
	if h.count(t) != 1 {
		t.Fatal("Cancel deleted the client")
	}
	test.Tap(p.del)
	tapDialogButton(t, h, "Удалить")
	if h.count(t) != 0 {
		t.Fatal("the client was not deleted")
	}
	if h.ui.pages.open != nil || told != a.ID {
		t.Errorf("page open %v, list told %q", h.ui.pages.open != nil, told)
	}
}

// Ctrl+F leaves every page for the list's search box; the Client menu
// (Back, Save, tabs) exists only while a page is open.
func TestClientPageToListAndMenu(t *testing.T) {
	h := newHarness(t)
	a := mustCreate(t, h, app.ClientInput{FirstName: "Анна"})
	b := mustCreate(t, h, app.ClientInput{FirstName: "Борис"})
	menus := func() (out []string) {
		for _, m := range h.win.MainMenu().Items {
			out = append(out, m.Label)
		}
		return out
	}
	if strings.Contains(strings.Join(menus(), ","), "Клиент") {
		t.Errorf("the Client menu shows without a page: %q", menus())
	}
	openPage(t, h, a.ID)
	openPage(t, h, b.ID)
	if got := strings.Join(menus(), ","); !strings.Contains(got, "Клиент") {
		t.Errorf("no Client menu on a page: %q", got)
	}
	// What Ctrl+F does (the test canvas takes no shortcuts).
	h.ui.toList(func() { h.win.Canvas().Focus(h.ui.clients.search) })
	if h.ui.pages.open != nil || len(h.ui.pages.trail) != 0 {
		t.Fatalf("Ctrl+F left a page open (trail %v)", h.ui.pages.trail)
	}
	if h.win.Canvas().Focused() != h.ui.clients.search {
		t.Error("the search box has not the focus")
	}
	if strings.Contains(strings.Join(menus(), ","), "Клиент") {
		t.Errorf("the Client menu stays after the page: %q", menus())
	}
}
