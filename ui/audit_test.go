package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"loyaltydesk/app"
)

// AD-02: the audit log shows a manual accrual, newest first, with its
// translated description, actor, time and details, and filters by the kind of
// action, text, actor and dates.
func TestAuditLogShowsManualAccrualAndFilters(t *testing.T) {
	h := newHarness(t)
	ctx := app.WithActor(context.Background(), "Анна")
	if _, err := h.auth.SaveUser(ctx, app.Approval{}, "", app.UserInput{Name: "Анна", Role: app.RoleOwner, Secret: "1234"}); err != nil {
		t.Fatal(err)
	}
	c, err := h.clients.Create(ctx, app.ClientInput{FirstName: "Ольга", Phone: "+79161234567"})
	if err != nil {
		t.Fatal(err)
	}
	ap, err := h.auth.Approve(ctx, "1234")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.ledger.Adjust(ctx, ap, app.Adjustment{Target: app.ClientQuery{IDs: []string{c.ID}},
		Kind: app.AdjustAccrue, Amount: 5000, Reason: "Компенсация за ожидание"}); err != nil {
		t.Fatal(err)
	}

	h.ui.tabs.Select(h.ui.auditTab) // loads
	s := h.ui.audit
	if len(s.rows) != 3 {
		t.Fatalf("%d rows, want 3 (user, client, accrual): %+v", len(s.rows), s.rows)
	}
	r := s.rows[0] // newest first
	if r.what != "Ручное начисление баллов" || r.actor != "Анна" {
		t.Errorf("first row = %+v", r)
	}
	log, _ := h.auth.AuditLog(context.Background(), app.AuditQuery{Action: "ledger.accrue"})
	if len(log) != 1 {
		t.Fatalf("ledger.accrue lines: %d", len(log))
	}
	if want := log[0].At.Local().Format("02.01.2006 15:04:05"); r.when != want {
		t.Errorf("time = %q, want %q", r.when, want)
	}
	details := pairsLine(r.pairs)
	for _, want := range []string{"Сумма: 50", "Причина: Компенсация за ожидание", "Подтвердил: Анна", "Изменено клиентов: 1"} {
		if !strings.Contains(details, want) {
			t.Errorf("details %q lack %q", details, want)
		}
	}
	texts := visibleTexts(h.win)
	for _, want := range []string{"Ручное начисление баллов", "Новый клиент", "Пользователь сохранён", "Показано записей: 3"} {
		if !contains(texts, want) {
			t.Errorf("the screen does not show %q: %q", want, texts)
		}
	}

	s.kind.SetSelected("Баллы")
	if len(s.rows) != 1 || s.rows[0].what != "Ручное начисление баллов" {
		t.Errorf("points filter: %+v", s.rows)
	}
	s.kind.SetSelected("Пользователи")
	if len(s.rows) != 1 || s.rows[0].what != "Пользователь сохранён" || !strings.Contains(pairsLine(s.rows[0].pairs), "Роль: Владелец") {
		t.Errorf("users filter: %+v", s.rows)
	}
	s.kind.SetSelected("Все действия")
	test.Type(s.search, "Компенсация")
	if len(s.rows) != 1 {
		t.Errorf("search: %d rows", len(s.rows))
	}
	s.search.SetText("")
	s.actor.SetText("system")
	if len(s.rows) != 0 || !s.empty.Visible() {
		t.Errorf("actor system: %d rows, empty shown %v", len(s.rows), s.empty.Visible())
	}
	s.actor.SetText("")

	// Dates: a bad one is shown and keeps the rows; a day after sees nothing.
	test.Type(s.from, "31.02.2026")
	s.load()
	if !s.dateErr.Visible() || !strings.Contains(s.dateErr.Text, "31.02.2026") || len(s.rows) != 3 {
		t.Errorf("bad date: %q, %d rows", s.dateErr.Text, len(s.rows))
	}
	day := h.clock.Now().Local()
	s.from.SetText(day.AddDate(0, 0, 1).Format("02.01.2006"))
	s.load()
	if s.dateErr.Visible() || len(s.rows) != 0 {
		t.Errorf("from tomorrow: %d rows (%q)", len(s.rows), s.dateErr.Text)
	}
	s.from.SetText(day.Format("02.01.2006"))
	s.to.SetText(day.Format("02.01.2006"))
	s.load()
	if len(s.rows) != 3 {
		t.Errorf("today: %d rows", len(s.rows))
	}
}

// AD-02: the log reads a page at a time; "Show more" adds the next.
func TestAuditLogPages(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	for i := range auditPage + 5 {
		if _, err := h.clients.Create(ctx, app.ClientInput{FirstName: fmt.Sprintf("Гость %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	h.ui.tabs.Select(h.ui.auditTab)
	s := h.ui.audit
	if len(s.rows) != auditPage || !s.more.Visible() {
		t.Fatalf("first page: %d rows, more shown %v", len(s.rows), s.more.Visible())
	}
	test.Tap(s.more)
	if len(s.rows) != auditPage+5 || s.more.Visible() {
		t.Errorf("after more: %d rows, more shown %v", len(s.rows), s.more.Visible())
	}
	if s.status.Text != fmt.Sprintf("Показано записей: %d", auditPage+5) {
		t.Errorf("status = %q", s.status.Text)
	}
}

func TestAuditDetailsKeepOrderAndTranslate(t *testing.T) {
	got := auditDetails("user", `{"name":"Борис","role":"cashier","disabled":"false","message":"","rows":12,"x":{"a":1}}`)
	want := [][2]string{{"Имя пользователя", "Борис"}, {"Роль", "Кассир"}, {"Отключён", "нет"}, {"Строк", "12"}, {"x", `{"a":1}`}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("details = %q, want %q", got, want)
	}
	if auditAction("something.new") != "something.new" {
		t.Error("an unknown action is not shown raw")
	}
	if got := auditAction("clients.block"); !strings.HasPrefix(got, "Быстрое действие с клиентами: ") {
		t.Errorf("bulk action = %q", got)
	}
}
