package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"loyaltydesk/app"
)

// BN-05: a bulk accrual on three checked clients reaches exactly them behind
// the administrator password, with one audit line; a debit on everyone found
// skips those without enough points and says how many.
func TestBulkBalanceChange(t *testing.T) {
	h := newHarness(t)
	mustOwner(t, h)
	cs := people(t, h)
	s := h.ui.clients
	for _, row := range []int{0, 2, 4} {
		s.toggleCheck(row)
	}
	types, err := h.ledger.AccountTypes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d := s.showPointsChange(types)
	if d.scope.Selected != "Отмеченные (3)" || d.f.kindOf() != app.AdjustAccrue {
		t.Errorf("scope %q, kind %s", d.scope.Selected, d.f.kindOf())
	}
	test.Type(d.f.amount, "25")
	test.Tap(d.okBtn)
	if got := d.f.errs.visible(app.FieldOpReason); got != "Причина: обязательное поле" {
		t.Errorf("reason error = %q", got)
	}
	test.Type(d.f.reason, "Акция выходного дня")
	test.Tap(d.okBtn)
	enterPassword(t, h, "1234")
	if d.open {
		t.Fatalf("the dialog is still open: %q", d.f.errs.general.Text)
	}
	for i, c := range cs {
		want := int64(0)
		if i%2 == 0 {
			want = 2500
		}
		if a := balanceOf(t, h, c.ID); a.Posted != want {
			t.Errorf("%s: balance %d, want %d", c.DisplayName(), a.Posted, want)
		}
	}
	log := auditActions(t, h, "ledger.accrue")
	if len(log) != 1 || !strings.Contains(log[0].Details, "Акция выходного дня") {
		t.Errorf("audit = %+v", log)
	}
	if d.report != "Баланс изменён у 3 клиентов" || s.status.Text != d.report {
		t.Errorf("report %q, status %q", d.report, s.status.Text)
	}

	// Everyone found: the two without points are left as they are.
	s.clearChecks()
	d = s.showPointsChange(types)
	all := d.scope.Options[len(d.scope.Options)-1]
	if all != "Все найденные (5)" {
		t.Fatalf("scopes = %q", d.scope.Options)
	}
	d.scope.SetSelected(all)
	d.f.kind.SetSelected("Списать")
	test.Type(d.f.amount, "10")
	test.Type(d.f.reason, "Ошибка акции")
	test.Tap(d.okBtn)
	enterPassword(t, h, "1234")
	if want := "Баланс изменён у 3 клиентов. 2 клиента оставлены без изменений: не хватило баллов"; d.report != want {
		t.Errorf("report = %q, want %q", d.report, want)
	}
	if a := balanceOf(t, h, cs[0].ID); a.Posted != 1500 {
		t.Errorf("balance after the debit = %d", a.Posted)
	}
	if a := balanceOf(t, h, cs[1].ID); a.Posted != 0 {
		t.Errorf("a client without points has %d", a.Posted)
	}
}
