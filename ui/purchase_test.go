package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"loyaltydesk/app"
)

// PU-05, CL-05: Enter on the operation history opens the receipt; a refund
// of part of one line takes back exactly what that part earned; a quantity
// beyond what is left is refused under its line and changes nothing; the
// balance, the history and the receipt follow.
func TestReceiptRefundsOneLinePartially(t *testing.T) {
	h := newHarness(t)
	mustCashback(t, h)
	c := mustCreate(t, h, app.ClientInput{FirstName: "Анна"})
	ctx := context.Background()
	sale, err := h.purchases.Record(ctx, app.PurchaseInput{Number: "R-7", ClientID: c.ID, Lines: []app.LineInput{
		{Name: "Капучино", Quantity: 2000, Price: 15000},
		{Name: "Чизкейк", Quantity: 1000, Price: 20000},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if sale.BonusAccrued != 5000 {
		t.Fatalf("the sale earned %d", sale.BonusAccrued)
	}
	m := openMoneyTab(t, h, c.ID, pageTabOperations)
	h.win.Canvas().Focus(m.opsTable)
	m.opsTable.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r := m.lastReceipt
	if r == nil || !r.open || r.pu.ID != sale.ID {
		t.Fatal("Enter did not open the receipt")
	}
	texts := visibleTextsOf(h.win.Canvas().Overlays().Top())
	for _, want := range []string{"Капучино", "Чизкейк", "2", "150,00\u00a0₽", "30"} {
		if !contains(texts, want) {
			t.Errorf("the receipt does not show %q; it shows %q", want, texts)
		}
	}
	if !containsPart(texts, "начислено баллов: 50") {
		t.Errorf("the receipt's totals: %q", texts)
	}

	test.Tap(r.refundBtn)
	d := r.lastRefund
	if d == nil || len(d.rows) != 2 || d.rows[0].qty.Text != "2" || d.rows[1].qty.Text != "1" {
		t.Fatalf("refund rows = %+v", d)
	}
	d.rows[0].qty.SetText("3")
	test.Tap(d.okBtn)
	if !d.rows[0].err.Visible() || d.rows[0].err.Text != "Количество: больше, чем осталось вернуть" {
		t.Errorf("too many: %q", d.rows[0].err.Text)
	}
	if ps, _ := h.purchases.History(ctx, app.PurchaseQuery{ClientID: c.ID}); len(ps) != 1 {
		t.Fatalf("%d receipts after a refused refund", len(ps))
	}

	d.rows[0].qty.SetText("1")
	d.rows[1].check.SetChecked(false)
	test.Tap(d.okBtn)
	if d.open {
		t.Fatalf("the refund dialog is still open: %q %q", d.rows[0].err.Text, d.errs.general.Text)
	}
	if a := balanceOf(t, h, c.ID); a.Posted != 3500 {
		t.Errorf("balance after refunding one coffee = %d, want 3500", a.Posted)
	}
	ps, err := h.purchases.History(ctx, app.PurchaseQuery{ClientID: c.ID})
	if err != nil || len(ps) != 2 || ps[0].Kind != app.PurchaseRefund || ps[0].Sold != 15000 {
		t.Fatalf("receipts = %+v, %v", ps, err)
	}
	if r.pu.Lines[0].Refunded != 1000 || r.pu.Lines[1].Refunded != 0 {
		t.Errorf("the receipt's refunded quantities: %+v", r.pu.Lines)
	}
	if !r.result.Visible() || !strings.Contains(r.result.Text, "отменено начисленных баллов 15") {
		t.Errorf("refund result = %q", r.result.Text)
	}
	if m.tabOps.Text != "История операций (2)" || len(m.accum) != 2 || m.accum[0].cumulative != 35000 {
		t.Errorf("after the refund: tab %q, accumulation %+v", m.tabOps.Text, m.accum)
	}
	if m.balance.Text != "Баллы: 35" || mustGet(t, h, c.ID).Stats.Sold != 35000 {
		t.Errorf("header %q, sold %d", m.balance.Text, mustGet(t, h, c.ID).Stats.Sold)
	}

	// The refund's own receipt opens from the history without a Refund button.
	r.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if r.open {
		t.Fatal("Esc did not close the receipt")
	}
	m.opsTable.open(0)
	if rf := m.lastReceipt; rf.pu.Kind != app.PurchaseRefund || rf.refundBtn.Visible() || rf.saleNumber != "R-7" {
		t.Errorf("refund receipt: kind %s, refund button %v, sale %q", rf.pu.Kind, rf.refundBtn.Visible(), rf.saleNumber)
	}
}

// PU-02: a purchase of catalogue items shows what it will earn before it is
// recorded; a bad amount is refused under its field; Record stores it and the
// page follows.
func TestAddPurchaseFromTheClientPage(t *testing.T) {
	h := newHarness(t)
	mustCashback(t, h)
	ctx := context.Background()
	for _, p := range []app.Product{{Name: "Капучино", Price: 15000}, {Name: "Какао", Price: 12000}} {
		if _, err := h.catalogue.SaveProduct(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	c := mustCreate(t, h, app.ClientInput{FirstName: "Анна"})
	m := openMoneyTab(t, h, c.ID, pageTabBonus)
	test.Tap(m.buyBtn)
	d := m.lastPurchase
	if d == nil || !d.open || len(d.products) != 2 {
		t.Fatalf("the purchase dialog: %+v", d)
	}
	test.Type(d.amount, "сто")
	if got := d.errs.visible(app.FieldAmount); got != "Сумма, ₽: «сто» — не сумма; пример: 1500 или 1 500,50" {
		t.Errorf("amount error = %q", got)
	}
	d.amount.SetText("")

	test.Type(d.product, "ка")
	test.Tap(d.addBtn)
	if got := d.errs.visible(app.FieldProduct); !strings.Contains(got, "подходит к нескольким товарам") {
		t.Errorf("ambiguous product: %q", got)
	}
	d.product.SetText("капуч")
	d.qty.SetText("2")
	test.Tap(d.addBtn)
	if len(d.lines) != 1 || d.lines[0].Quantity != 2000 || d.amount.Disabled() == false {
		t.Fatalf("lines = %+v, amount disabled %v", d.lines, d.amount.Disabled())
	}
	if !strings.Contains(d.preview.Text, "будет начислено баллов: 30") {
		t.Errorf("preview = %q", d.preview.Text)
	}
	test.Type(d.number, "K-1")
	test.Tap(d.okBtn)
	if d.open {
		t.Fatalf("the dialog is still open: %q", d.errs.general.Text)
	}
	pu, err := h.purchases.History(ctx, app.PurchaseQuery{ClientID: c.ID})
	if err != nil || len(pu) != 1 || pu[0].Number != "K-1" || pu[0].Sold != 30000 {
		t.Fatalf("purchases = %+v, %v", pu, err)
	}
	if full, err := h.purchases.Get(ctx, pu[0].ID); err != nil || len(full.Lines) != 1 || full.Lines[0].Name != "Капучино" || full.Lines[0].Quantity != 2000 {
		t.Errorf("lines = %+v, %v", full.Lines, err)
	}
	if a := balanceOf(t, h, c.ID); a.Posted != 3000 {
		t.Errorf("balance = %d", a.Posted)
	}
	if !strings.HasPrefix(m.status.Text, "Покупка № K-1 записана") || m.balance.Text != "Баллы: 30" {
		t.Errorf("status %q, balance %q", m.status.Text, m.balance.Text)
	}

	// Paying with more points than the client has is refused before recording.
	d = m.addPurchase()
	test.Type(d.amount, "1000")
	test.Type(d.bonus, "100")
	if got := d.errs.visible(app.FieldBonusPay); !strings.Contains(got, "недостаточно") {
		t.Errorf("bonus pay error = %q", got)
	}
	d.bonus.SetText("20")
	if !strings.Contains(d.bonusTip.Text, "Доступно: 30") {
		t.Errorf("bonus tip = %q", d.bonusTip.Text)
	}
	test.Tap(d.okBtn)
	if a := balanceOf(t, h, c.ID); a.Posted != 3000-2000+9800 {
		t.Errorf("balance after paying 20 points = %d", a.Posted)
	}

	// Esc in a field closes the dialog and records nothing.
	d = m.addPurchase()
	test.Type(d.amount, "500")
	d.amount.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if d.open || len(m.purchases) != 2 {
		t.Errorf("after Esc: open %v, %d receipts", d.open, len(m.purchases))
	}
}

// PU-06: a gift costs its points; one the client cannot afford is refused
// under the gift and changes nothing.
func TestGiveGift(t *testing.T) {
	h := newHarness(t)
	mustOwner(t, h)
	ctx := context.Background()
	if _, err := h.catalogue.SaveGift(ctx, app.Gift{Name: "Кружка", Points: 2000}); err != nil {
		t.Fatal(err)
	}
	c := mustCreate(t, h, app.ClientInput{FirstName: "Анна"})
	mustAccrue(t, h, c.ID, 3000)
	m := openMoneyTab(t, h, c.ID, pageTabOperations)
	test.Tap(m.giftBtn)
	d := m.lastGift
	if d == nil || d.gift.Selected != "Кружка — 20 баллов" || d.avail.Text != "Доступно баллов у клиента: 30" {
		t.Fatalf("gift dialog: %q, %q", d.gift.Selected, d.avail.Text)
	}
	test.Type(d.note, "День рождения")
	test.Tap(d.okBtn)
	if d.open {
		t.Fatalf("the dialog is still open: %q", d.errs.general.Text)
	}
	if a := balanceOf(t, h, c.ID); a.Posted != 1000 {
		t.Errorf("balance = %d", a.Posted)
	}
	if !contains(pageTexts(h), "Подарок") || len(m.purchases) != 1 {
		t.Errorf("the history does not show the gift: %q", pageTexts(h))
	}
	d = m.giveGift()
	test.Tap(d.okBtn)
	if got := d.errs.visible(app.FieldGift); got != "Баллы: недостаточно доступных баллов (запрошено 20)" {
		t.Errorf("gift error = %q", got)
	}
	if a := balanceOf(t, h, c.ID); a.Posted != 1000 {
		t.Errorf("balance after a refused gift = %d", a.Posted)
	}
}
