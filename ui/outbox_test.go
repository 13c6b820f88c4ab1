package ui

// Tests of the Outbox tab (LR-08) over the real store: the lapse warnings the
// daily job queues a week before a discount lapses, listed in words with the
// reasons of the skipped ones, filtered by status, and a queued one
// cancelled.

import (
	"context"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"loyaltydesk/app"
)

// LR-08: with seed 004's 60-day lapse and a warning 7 days before, the daily
// run 55 days after the last visits queues an SMS to the subscribed client
// with a phone and writes the other two down as skipped, saying why; the tab
// lists them in words, filters them, and cancels the queued one after asking.
func TestOutboxListsAndCancelsLapseWarning(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	mustRules(t, h, app.Rules{
		Discounts:         []app.DiscountRule{{Measure: app.MeasureSold, From: 1_000_00, DiscountBP: 500}},
		DiscountLapseDays: 60,
		Warning:           app.LapseWarning{Days: 7, Template: app.DefaultWarningTemplate},
	})
	anna := mustCreate(t, h, app.ClientInput{FirstName: "Анна", LastName: "Смирнова", Phone: "+79161110001"})
	boris := mustCreate(t, h, app.ClientInput{FirstName: "Борис", LastName: "Орлов", Phone: "+79161110002"})
	vera := mustCreate(t, h, app.ClientInput{FirstName: "Вера", LastName: "Васильева"})
	if _, err := h.clients.Apply(ctx, app.ClientQuery{IDs: []string{anna.ID, vera.ID}}, app.Action{Kind: app.ActionSubscribeSMS}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []app.Client{anna, boris, vera} {
		mustBuy(t, h, c.ID, 1_500_00)
	}
	h.clock.Advance(55 * loyaltyDay)
	res, err := h.ui.deps.Loyalty.(*app.Loyalty).RunDaily(ctx)
	if err != nil || res.Warnings != 1 || res.Skipped != 2 {
		t.Fatalf("daily run: %+v, %v", res, err)
	}

	if !slices.Contains(h.ui.tabs.Items, h.ui.outboxTab) || h.ui.outboxTab.Text != "Исходящие" {
		t.Fatalf("no Исходящие tab: %+v", h.ui.outboxTab)
	}
	h.ui.tabs.Select(h.ui.outboxTab)
	s := h.ui.outbox
	if len(s.msgs) != 3 || s.count.Text != "Сообщений: 3" {
		t.Fatalf("listed %d messages, count %q", len(s.msgs), s.count.Text)
	}
	if h.win.Canvas().Focused() != s.table {
		t.Error("the list does not take the keyboard when the tab opens")
	}
	rowOf := func(name string) []string {
		t.Helper()
		i := slices.IndexFunc(s.msgs, func(m app.Message) bool { return m.ClientName == name })
		if i < 0 {
			t.Fatalf("no message to %s: %+v", name, s.msgs)
		}
		var out []string
		for _, col := range []int{outboxColClient, outboxColChannel, outboxColKind, outboxColTo, outboxColText, outboxColStatus, outboxColReason} {
			text, _ := s.cell(i, col)
			out = append(out, plain(text))
		}
		return out
	}
	want := map[string][]string{
		"Смирнова Анна":  {"Смирнова Анна", "SMS", "Скидка скоро закончится", "+7 916 111-00-01", "Анна, ваша скидка 5 % действует до 22.01.2027. Ждём вас!", "В очереди", ""},
		"Орлов Борис":    {"Орлов Борис", "SMS", "Скидка скоро закончится", "+7 916 111-00-02", "Борис, ваша скидка 5 % действует до 22.01.2027. Ждём вас!", "Пропущено", "клиент отписан от SMS"},
		"Васильева Вера": {"Васильева Вера", "SMS", "Скидка скоро закончится", "", "Вера, ваша скидка 5 % действует до 22.01.2027. Ждём вас!", "Пропущено", "нет телефона"},
	}
	for name, w := range want {
		if got := rowOf(name); !slices.Equal(got, w) {
			t.Errorf("%s: %q, want %q", name, got, w)
		}
	}
	texts := visibleTexts(h.win)
	for _, w := range []string{"Скидка скоро закончится", "нет телефона", "В очереди"} {
		if !contains(texts, w) {
			t.Errorf("the tab does not show %q", w)
		}
	}

	// A skipped message cannot be cancelled; only queued ones.
	if !s.cancelBtn.Disabled() {
		t.Error("«Отменить» is on with nothing chosen")
	}
	skipped := slices.IndexFunc(s.msgs, func(m app.Message) bool { return m.Status == app.MessageSkipped })
	s.table.Select(tableCell(skipped))
	if !s.cancelBtn.Disabled() {
		t.Error("«Отменить» is on for a skipped message")
	}

	// The filter shows the queued one alone.
	s.filter.SetSelected("В очереди")
	if len(s.msgs) != 1 || s.msgs[0].ClientID != anna.ID {
		t.Fatalf("queued: %+v", s.msgs)
	}
	s.table.Select(tableCell(0))
	if s.cancelBtn.Disabled() {
		t.Fatal("«Отменить» is off for a queued message")
	}
	test.Tap(s.cancelBtn)
	tapDialogButton(t, h, "Отменить сообщение")
	if len(s.msgs) != 0 || !s.empty.Visible() {
		t.Errorf("after cancelling, the queued filter lists %+v", s.msgs)
	}
	cancelled, err := h.ui.deps.Loyalty.Outbox(ctx, app.OutboxQuery{Status: app.MessageCancelled})
	if err != nil || len(cancelled) != 1 || cancelled[0].ClientID != anna.ID {
		t.Fatalf("cancelled = %+v, %v", cancelled, err)
	}
	s.filter.SetSelected("Все сообщения")
	if got := rowOf("Смирнова Анна"); got[5] != "Отменено" {
		t.Errorf("Анна's message reads %q", got)
	}
	if log := auditActions(t, h, "message.cancel"); len(log) != 1 || log[0].EntityID != cancelled[0].ID {
		t.Errorf("audit = %+v", log)
	}
	// A second daily run the same day queues nothing again.
	if res, err := h.ui.deps.Loyalty.(*app.Loyalty).RunDaily(ctx); err != nil || res.Ran {
		t.Errorf("second run: %+v, %v", res, err)
	}
}
