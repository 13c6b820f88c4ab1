package ui

// The client page's purchase dialogs (PU-02, PU-05, PU-06, CL-05): add a
// purchase (a free amount or items from the catalogue, with what it will earn
// shown before it is recorded), a receipt with its lines, the refund of a
// sale's lines, and a gift from the catalogue of gifts.

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// receiptDialog shows one receipt (CL-05): its lines and totals, and for a
// sale a "Refund…" button.
type receiptDialog struct {
	m          *moneySide
	pu         app.Purchase
	saleNumber string // a refund's sale
	info       *widget.Label
	table      *moneyTable
	totals     *widget.Label
	result     *widget.Label
	refundBtn  *widget.Button
	dlg        *dialog.CustomDialog
	open       bool
	lastRefund *refundDialog
}

// openReceipt reads the receipt off the UI goroutine and shows it.
func (m *moneySide) openReceipt(id string) {
	u := m.p.u
	u.async(func() {
		pu, sale, err := readReceipt(u.ctx(), u.deps.Purchases, id)
		fyne.Do(func() {
			if err != nil {
				u.showError(err)
				return
			}
			m.showReceipt(pu, sale)
		})
	})
}

// readReceipt reads a receipt and, for a refund, the number of its sale.
func readReceipt(ctx context.Context, ps PurchaseService, id string) (app.Purchase, string, error) {
	pu, err := ps.Get(ctx, id)
	if err != nil {
		return pu, "", err
	}
	sale := ""
	if pu.Kind == app.PurchaseRefund && pu.RefundOf != "" {
		if s, err := ps.Get(ctx, pu.RefundOf); err == nil {
			sale = s.Number
		}
	}
	return pu, sale, nil
}

func (m *moneySide) showReceipt(pu app.Purchase, sale string) *receiptDialog {
	r := &receiptDialog{m: m, pu: pu, saleNumber: sale}
	r.info = pageHint("")
	r.totals = widget.NewLabel("")
	r.totals.TextStyle.Bold = true
	r.totals.Wrapping = fyne.TextWrapWord
	r.result = widget.NewLabel("")
	r.result.Importance = widget.SuccessImportance
	r.result.Wrapping = fyne.TextWrapWord
	r.result.Hide()
	r.table = newMoneyTable(nil, []moneyCol{
		{tr("money.col.item", "Item"), 210, false},
		{tr("money.col.qty", "Qty"), 85, true},
		{tr("money.col.price", "Price"), 100, true},
		{tr("money.col.discount", "Discount"), 90, true},
		{tr("money.col.amount", "Amount"), 110, true},
		{tr("money.col.points_paid", "Paid in points"), 160, true},
		{tr("money.col.earned", "Points earned"), 160, true},
		{tr("money.col.refunded", "Refunded"), 115, true},
	}, func() int { return len(r.pu.Lines) }, r.lineCell)
	r.refundBtn = widget.NewButtonWithIcon(tr("money.refund", "Refund…"), theme.ContentUndoIcon(), func() { r.startRefund() })
	closeBtn := widget.NewButton(tr("money.close", "Close"), func() { r.dlg.Hide() })
	bottom := container.NewVBox(widget.NewSeparator(), r.totals, r.result, moneyButtons(r.refundBtn, closeBtn))
	r.dlg = dialog.NewCustomWithoutButtons(moneyReceiptTitle(pu), container.NewBorder(r.info, bottom, nil, nil, r.table), m.p.u.win)
	r.dlg.SetOnClosed(func() { r.open = false })
	m.p.u.escCloses(r.dlg)
	r.table.esc = r.dlg.Hide
	r.fill()
	r.dlg.Resize(fyne.NewSize(1100, 540))
	r.open = true
	r.dlg.Show()
	m.p.u.win.Canvas().Focus(r.table)
	m.lastReceipt = r
	return r
}

// receiptTitle names a receipt: "Receipt № 123", "Refund № 124", "Gift № G-1".
func moneyReceiptTitle(pu app.Purchase) string {
	data := map[string]any{"Number": pu.Number}
	switch pu.Kind {
	case app.PurchaseRefund:
		return tr("money.receipt_title_refund", "Refund № {{.Number}}", data)
	case app.PurchaseGift:
		return tr("money.receipt_title_gift", "Gift № {{.Number}}", data)
	}
	return tr("money.receipt_title", "Receipt № {{.Number}}", data)
}

// fill shows the receipt as last read.
func (r *receiptDialog) fill() {
	pu := r.pu
	info := moneyTime(pu.OccurredAt) + " · " + moneyReceiptKindLabel(pu.Kind)
	if pu.Author != "" {
		info += " · " + tr("money.receipt_author", "by {{.Author}}", map[string]any{"Author": pu.Author})
	}
	if r.saleNumber != "" {
		info += " · " + tr("money.receipt_refund_of", "refund of receipt № {{.Number}}", map[string]any{"Number": r.saleNumber})
	}
	r.info.SetText(info)
	data := map[string]any{
		"Sold": pageMoney(pu.Sold), "Discount": pageMoney(pu.Discount), "Paid": pageMoney(pu.Paid),
		"Spent": moneyPoints(pu.BonusSpent), "Earned": moneyPoints(pu.BonusAccrued), "Unrecovered": moneyPoints(pu.Unrecovered),
	}
	var text string
	switch pu.Kind {
	case app.PurchaseRefund:
		text = tr("money.refund_totals", "Given back: {{.Sold}} (discount {{.Discount}}), money returned {{.Paid}}\nPoints returned to the client: {{.Spent}} · points taken back: {{.Earned}}", data)
		if pu.Unrecovered > 0 {
			text += "\n" + tr("money.unrecovered", "Not taken back (already spent): {{.Unrecovered}}", data)
		}
	case app.PurchaseGift:
		text = tr("money.gift_totals", "Points debited: {{.Spent}}", data)
	default:
		text = tr("money.sale_totals", "Sold: {{.Sold}} (discount {{.Discount}}), paid {{.Paid}}\nPoints spent: {{.Spent}} · points earned: {{.Earned}}", data)
	}
	r.totals.SetText(text)
	if pu.Kind == app.PurchaseSale && len(refundableLines(pu)) > 0 {
		r.refundBtn.Show()
	} else {
		r.refundBtn.Hide()
	}
	r.table.Refresh()
}

func (r *receiptDialog) lineCell(row, col int) (string, bool) {
	l := r.pu.Lines[row]
	if l.Voided && col > 1 {
		if col == 4 {
			return tr("money.voided", "voided"), false
		}
		return "", false
	}
	switch col {
	case 0:
		return l.Name, false
	case 1:
		return moneyQty(l.Quantity), false
	case 2:
		return pageMoney(l.Price), false
	case 3:
		return pageMoney(l.Discount), false
	case 4:
		return pageMoney(l.Amount), true
	case 5:
		return moneyPoints(l.Bonus), false
	case 6:
		return moneyPoints(l.Accrued), false
	case 7:
		if r.pu.Kind != app.PurchaseSale || l.Refunded == 0 {
			return "", false
		}
		return moneyQty(l.Refunded), false
	}
	return "", false
}

// refundable lists the sale's lines with something left to refund.
func refundableLines(pu app.Purchase) []app.PurchaseLine {
	var out []app.PurchaseLine
	for _, l := range pu.Lines {
		if !l.Voided && l.Quantity > l.Refunded {
			out = append(out, l)
		}
	}
	return out
}

// reload reads the receipt again after a refund.
func (r *receiptDialog) reload() {
	u := r.m.p.u
	u.async(func() {
		pu, sale, err := readReceipt(u.ctx(), u.deps.Purchases, r.pu.ID)
		fyne.Do(func() {
			if err != nil || !r.open {
				return
			}
			r.pu, r.saleNumber = pu, sale
			r.fill()
		})
	})
}

// refundDialog picks the lines and quantities of a sale to refund (PU-05);
// every line left starts checked with everything left.
type refundDialog struct {
	r      *receiptDialog
	rows   []*refundRow
	reason *moneyEntry
	errs   *moneyErrors
	okBtn  *widget.Button
	dlg    *dialog.CustomDialog
	open   bool
}

type refundRow struct {
	line  app.PurchaseLine
	check *widget.Check
	qty   *moneyEntry
	err   *widget.Label
}

func (r *receiptDialog) startRefund() *refundDialog {
	d := &refundDialog{r: r, errs: newMoneyErrors()}
	list := container.NewVBox()
	for _, l := range refundableLines(r.pu) {
		row := &refundRow{line: l, err: pageErrLabel()}
		row.qty = newMoneyEntry(false)
		row.qty.SetText(moneyQty(l.Quantity - l.Refunded))
		row.qty.OnSubmitted = func(string) { d.submit() }
		row.check = widget.NewCheck(l.Name, func(on bool) {
			if on {
				row.qty.Enable()
			} else {
				row.qty.Disable()
			}
		})
		row.check.SetChecked(true)
		left := pageHint(tr("money.refund_left", "of {{.Left}} · {{.Amount}}", map[string]any{
			"Left": moneyQty(l.Quantity - l.Refunded), "Amount": pageMoney(l.Amount)}))
		left.Wrapping = fyne.TextWrapOff
		qty := container.NewGridWrap(fyne.NewSize(90, row.qty.MinSize().Height), row.qty)
		list.Add(container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(qty, left), row.check), row.err))
		d.rows = append(d.rows, row)
	}
	d.reason = newMoneyEntry(false)
	d.reason.SetPlaceHolder(tr("money.refund_reason_ph", "Optional: why the guest returns it"))
	d.reason.OnSubmitted = func(string) { d.submit() }
	form := widget.NewForm(widget.NewFormItem(fieldLabel(app.FieldOpReason),
		d.errs.under(app.FieldOpReason, fieldLabel(app.FieldOpReason), d.reason)))
	d.okBtn = widget.NewButton(tr("money.refund_do", "Refund"), d.submit)
	d.okBtn.Importance = widget.DangerImportance
	cancel := widget.NewButton(tr("dialog.cancel", "Cancel"), func() { d.dlg.Hide() })
	hint := pageHint(tr("money.refund_hint", "Pick the lines and how much of each comes back. The points the lines were paid with return to the client; the points they earned are taken back."))
	top := container.NewVBox(hint, widget.NewSeparator())
	bottom := container.NewVBox(widget.NewSeparator(), form, d.errs.general, moneyButtons(cancel, d.okBtn))
	d.dlg = dialog.NewCustomWithoutButtons(tr("money.refund_title", "Refund of receipt № {{.Number}}", map[string]any{"Number": r.pu.Number}),
		container.NewBorder(top, bottom, nil, nil, container.NewVScroll(list)), r.m.p.u.win)
	d.dlg.SetOnClosed(func() { d.open = false })
	entries := []*moneyEntry{d.reason}
	for _, row := range d.rows {
		entries = append(entries, row.qty)
	}
	r.m.p.u.escCloses(d.dlg, entries...)
	d.dlg.Resize(fyne.NewSize(640, 480))
	d.open = true
	d.dlg.Show()
	if len(d.rows) > 0 {
		r.m.p.u.win.Canvas().Focus(d.rows[0].qty)
	}
	r.lastRefund = d
	return d
}

// row finds the row of a line by its position on the receipt.
func (d *refundDialog) rowAt(pos string) *refundRow {
	for _, row := range d.rows {
		if strconv.Itoa(row.line.Position) == pos {
			return row
		}
	}
	return nil
}

func (d *refundDialog) submit() {
	d.errs.clear()
	var lines []app.RefundLine
	bad := false
	for _, row := range d.rows {
		row.err.Hide()
		if !row.check.Checked {
			continue
		}
		text := strings.TrimSpace(row.qty.Text)
		q, ok := moneyParseQty(text)
		left := row.line.Quantity - row.line.Refunded
		var fe *app.FieldError
		switch {
		case !ok:
			fe = &app.FieldError{Field: app.FieldQuantity, Reason: app.ReasonBadValue, Value: text}
		case q <= 0:
			fe = &app.FieldError{Field: app.FieldQuantity, Reason: app.ReasonNotPositive, Value: text}
		case q > left:
			fe = &app.FieldError{Field: app.FieldQuantity, Reason: app.ReasonTooMany, Value: text}
		}
		if fe != nil {
			row.err.SetText(fieldMessage(*fe))
			row.err.Show()
			bad = true
			continue
		}
		lines = append(lines, app.RefundLine{LineID: row.line.ID, Quantity: q})
	}
	if bad {
		return
	}
	if len(lines) == 0 {
		d.errs.general.SetText(tr("money.refund_nothing", "Check at least one line to refund"))
		d.errs.general.Show()
		return
	}
	in := app.RefundInput{PurchaseID: d.r.pu.ID, Lines: lines, Reason: d.reason.Text}
	r, m, u := d.r, d.r.m, d.r.m.p.u
	d.okBtn.Disable()
	u.async(func() {
		rf, err := u.deps.Purchases.Refund(u.ctx(), in)
		fyne.Do(func() {
			d.okBtn.Enable()
			if err != nil {
				d.showError(err)
				return
			}
			d.dlg.Hide()
			text := refundResult(rf)
			r.result.SetText(text)
			r.result.Show()
			r.reload()
			m.say(text)
			m.changed()
		})
	})
}

// showError puts a quantity error under its line (the use case names the
// line's position), anything else under the reason or at the bottom.
func (d *refundDialog) showError(err error) {
	for _, fe := range app.FieldErrors(err) {
		if fe.Field == app.FieldQuantity {
			if row := d.rowAt(fe.Value); row != nil {
				fe.Value = row.qty.Text
				row.err.SetText(fieldMessage(fe))
				row.err.Show()
				return
			}
		}
	}
	d.errs.show(err)
}

// refundResult says what a refund did.
func refundResult(rf app.Purchase) string {
	data := map[string]any{"Number": rf.Number, "Paid": pageMoney(rf.Paid), "Returned": moneyPoints(rf.BonusSpent),
		"Taken": moneyPoints(rf.BonusAccrued), "Unrecovered": moneyPoints(rf.Unrecovered)}
	text := tr("money.refund_done", "Refund № {{.Number}} done: money back {{.Paid}}; points returned {{.Returned}}; points taken back {{.Taken}}", data)
	if rf.Unrecovered > 0 {
		text += ". " + tr("money.unrecovered", "Not taken back (already spent): {{.Unrecovered}}", data)
	}
	return text
}

// purchaseDialog records a purchase by hand from the client page (PU-02): a
// free amount or items from the catalogue, an optional purchase number, the
// discount (the client's by default) and the points to pay with. What it
// will earn is shown before it is recorded.
type purchaseDialog struct {
	m        *moneySide
	products []app.Product
	chosen   map[string]app.Product // option label → product
	lines    []app.LineInput

	amount   *moneyEntry
	product  *widget.SelectEntry
	qty      *moneyEntry
	addBtn   *widget.Button
	lineRows *fyne.Container
	number   *moneyEntry
	discount *moneyEntry
	bonus    *moneyEntry
	bonusTip *widget.Label
	preview  *widget.Label
	errs     *moneyErrors
	okBtn    *widget.Button
	dlg      *dialog.CustomDialog
	open     bool
	gen      int
}

func (m *moneySide) addPurchase() *purchaseDialog {
	u := m.p.u
	d := &purchaseDialog{m: m, errs: newMoneyErrors(), chosen: map[string]app.Product{}}
	d.amount = newMoneyEntry(false)
	d.amount.SetPlaceHolder(tr("money.amount_money_ph", "e.g. 1500 or 1 500,50"))
	d.amount.OnChanged = func(string) { d.refreshPreview() }
	d.amount.OnSubmitted = func(string) { d.submit() }
	d.product = widget.NewSelectEntry(nil)
	d.product.SetPlaceHolder(tr("money.product_ph", "Type a product's name or SKU"))
	d.product.OnChanged = func(string) { d.filterProducts() }
	d.product.OnSubmitted = func(string) { d.addLine() }
	d.qty = newMoneyEntry(false)
	d.qty.SetText("1")
	d.qty.OnSubmitted = func(string) { d.addLine() }
	d.addBtn = widget.NewButtonWithIcon(tr("page.add", "Add"), theme.ContentAddIcon(), func() { d.addLine() })
	if u.deps.Catalogue == nil {
		d.product.Disable()
		d.qty.Disable()
		d.addBtn.Disable()
	}
	d.lineRows = container.NewVBox()
	d.number = newMoneyEntry(false)
	d.number.SetPlaceHolder(tr("money.number_ph", "Made automatically when empty"))
	d.number.OnSubmitted = func(string) { d.submit() }
	d.discount = newMoneyEntry(false)
	d.discount.SetText(moneyPercentInput(m.p.c.DiscountBP))
	d.discount.OnChanged = func(string) { d.refreshPreview() }
	d.discount.OnSubmitted = func(string) { d.submit() }
	d.bonus = newMoneyEntry(false)
	d.bonus.SetPlaceHolder("0")
	d.bonus.OnChanged = func(string) { d.refreshPreview() }
	d.bonus.OnSubmitted = func(string) { d.submit() }
	d.bonusTip = pageHint("")
	d.preview = widget.NewLabel(tr("money.preview_empty", "Enter an amount or add items"))
	d.preview.TextStyle.Bold = true
	d.preview.Wrapping = fyne.TextWrapWord

	qtyBox := container.NewGridWrap(fyne.NewSize(80, d.qty.MinSize().Height), d.qty)
	items := container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(qtyBox, d.addBtn), d.product), d.lineRows)
	amountLabel := tr("money.field.amount_money", "Amount, ₽")
	discountLabel := tr("money.field.discount_percent", "Discount, %")
	form := widget.NewForm(
		widget.NewFormItem(amountLabel, d.errs.under(app.FieldAmount, amountLabel, d.amount)),
		widget.NewFormItem(tr("money.field.items", "Or items"), d.errs.under(app.FieldProduct, fieldLabel(app.FieldProduct), items)),
		widget.NewFormItem(fieldLabel(app.FieldNumber), d.errs.under(app.FieldNumber, fieldLabel(app.FieldNumber), d.number)),
		widget.NewFormItem(discountLabel, d.errs.under(app.FieldDiscount, discountLabel, d.discount)),
		widget.NewFormItem(fieldLabel(app.FieldBonusPay), d.errs.under(app.FieldBonusPay, fieldLabel(app.FieldBonusPay), container.NewVBox(d.bonus, d.bonusTip))),
	)
	// The use case's line errors (quantity, price, line) name the items.
	for _, f := range []string{app.FieldQuantity, app.FieldPrice, app.FieldLine} {
		d.errs.alias(f, app.FieldProduct)
	}
	d.errs.alias(app.FieldPaid, app.FieldAmount)
	d.okBtn = widget.NewButton(tr("money.record", "Record"), d.submit)
	d.okBtn.Importance = widget.HighImportance
	cancel := widget.NewButton(tr("dialog.cancel", "Cancel"), func() { d.dlg.Hide() })
	d.dlg = dialog.NewCustomWithoutButtons(tr("money.purchase_title", "New purchase: {{.Client}}", map[string]any{"Client": m.p.c.DisplayName()}),
		container.NewVBox(form, widget.NewSeparator(), d.preview, d.errs.general, moneyButtons(cancel, d.okBtn)), u.win)
	d.dlg.SetOnClosed(func() { d.open = false })
	u.escCloses(d.dlg, d.amount, d.qty, d.number, d.discount, d.bonus)
	d.dlg.Resize(fyne.NewSize(640, 0))
	d.open = true
	d.dlg.Show()
	u.win.Canvas().Focus(d.amount)
	m.lastPurchase = d
	d.load()
	return d
}

// load reads the catalogue and the guest's discount (the larger of the
// client's and the group's, as the till gives it).
func (d *purchaseDialog) load() {
	u, id := d.m.p.u, d.m.p.id
	u.async(func() {
		ctx := u.ctx()
		var ps []app.Product
		var err error
		if u.deps.Catalogue != nil {
			ps, err = u.deps.Catalogue.Products(ctx, app.ProductQuery{})
		}
		bp := -1
		if u.deps.Till != nil {
			if g, gerr := u.deps.Till.Guest(ctx, id); gerr == nil {
				bp = g.DiscountBP
			}
		}
		fyne.Do(func() {
			if !d.open {
				return
			}
			if err != nil {
				d.errs.show(err)
			}
			d.products = ps
			d.filterProducts()
			if bp >= 0 && d.discount.Text == moneyPercentInput(d.m.p.c.DiscountBP) {
				d.discount.SetText(moneyPercentInput(int64(bp)))
			}
		})
	})
}

// moneyPercentInput writes basis points as typed in a percent field: "10", "7,5".
func moneyPercentInput(bp int64) string {
	if bp == 0 {
		return ""
	}
	return strings.Replace(app.FormatPoints(bp), ".", ",", 1)
}

func moneyProductLabel(p app.Product) string { return p.Name + " — " + pageMoney(p.Price) }

// filterProducts offers the products whose name or SKU has the typed text.
func (d *purchaseDialog) filterProducts() {
	matches := d.matching(d.product.Text)
	opts := make([]string, 0, min(len(matches), 30))
	for _, p := range matches[:min(len(matches), 30)] {
		l := moneyProductLabel(p)
		d.chosen[l] = p
		opts = append(opts, l)
	}
	d.product.SetOptions(opts)
}

func (d *purchaseDialog) matching(text string) []app.Product {
	t := strings.ToLower(strings.TrimSpace(text))
	if p, ok := d.chosen[strings.TrimSpace(text)]; ok {
		return []app.Product{p}
	}
	var out []app.Product
	for _, p := range d.products {
		if t == "" || strings.Contains(strings.ToLower(p.Name), t) || (p.SKU != "" && strings.EqualFold(p.SKU, t)) {
			out = append(out, p)
		}
	}
	return out
}

// pick finds the product the typed text names: a label from the list, an
// exact name or SKU, or the only match.
func (d *purchaseDialog) pick() (app.Product, *app.FieldError) {
	text := strings.TrimSpace(d.product.Text)
	if text == "" {
		return app.Product{}, &app.FieldError{Field: app.FieldProduct, Reason: app.ReasonRequired}
	}
	ms := d.matching(text)
	for _, p := range ms {
		if strings.EqualFold(p.Name, text) || strings.EqualFold(p.SKU, text) {
			return p, nil
		}
	}
	switch len(ms) {
	case 0:
		return app.Product{}, &app.FieldError{Field: app.FieldProduct, Reason: app.ReasonNotFound, Value: text}
	case 1:
		return ms[0], nil
	}
	return app.Product{}, &app.FieldError{Field: app.FieldProduct, Reason: reasonManyProducts, Value: text}
}

// reasonManyProducts: the typed text matches several products.
const reasonManyProducts = "ambiguous"

func (d *purchaseDialog) addLine() {
	d.errs.clear()
	p, fe := d.pick()
	if fe == nil {
		q, ok := moneyParseQty(d.qty.Text)
		switch {
		case !ok:
			fe = &app.FieldError{Field: app.FieldProduct, Reason: app.ReasonBadValue, Value: d.qty.Text}
		case q <= 0:
			fe = &app.FieldError{Field: app.FieldProduct, Reason: app.ReasonNotPositive, Value: d.qty.Text}
		default:
			merged := false
			for i := range d.lines {
				if d.lines[i].ProductID == p.ID {
					d.lines[i].Quantity += q
					merged = true
				}
			}
			if !merged {
				d.lines = append(d.lines, app.LineInput{ProductID: p.ID, CategoryID: p.CategoryID, Name: p.Name, Quantity: q, Price: p.Price})
			}
		}
	}
	if fe != nil {
		d.showItemError(*fe)
		return
	}
	d.product.SetText("")
	d.qty.SetText("1")
	d.showLines()
	d.refreshPreview()
	d.m.p.u.win.Canvas().Focus(d.product)
}

func (d *purchaseDialog) showItemError(fe app.FieldError) {
	l := d.errs.labels[app.FieldProduct]
	if fe.Reason == reasonManyProducts {
		l.SetText(tr("money.product_ambiguous", "«{{.Value}}» matches several products: pick one from the list", map[string]any{"Value": fe.Value}))
	} else if fe.Reason == app.ReasonBadValue || fe.Reason == app.ReasonNotPositive {
		fe.Field = app.FieldQuantity
		l.SetText(fieldMessage(fe))
	} else {
		l.SetText(d.errs.message(fe))
	}
	l.Show()
}

func (d *purchaseDialog) showLines() {
	var rows []fyne.CanvasObject
	for i, l := range d.lines {
		text := widget.NewLabel(l.Name + " × " + moneyQty(l.Quantity) + " = " + pageMoney((l.Price*l.Quantity+500)/1000))
		text.Truncation = fyne.TextTruncateEllipsis
		rm := removeButton(tr("page.remove", "Remove"), func() {
			d.lines = append(d.lines[:i:i], d.lines[i+1:]...)
			d.showLines()
			d.refreshPreview()
		})
		rows = append(rows, container.NewBorder(nil, nil, nil, rm, text))
	}
	d.lineRows.Objects = rows
	d.lineRows.Refresh()
	if len(d.lines) > 0 {
		d.amount.SetText("")
		d.amount.SetPlaceHolder(tr("money.amount_from_items", "Counted from the items"))
		d.amount.Disable()
	} else {
		d.amount.SetPlaceHolder(tr("money.amount_money_ph", "e.g. 1500 or 1 500,50"))
		d.amount.Enable()
	}
}

// input reads the fields; on a mistake it shows it under its field.
func (d *purchaseDialog) input() (app.PurchaseInput, bool) {
	in := app.PurchaseInput{ClientID: d.m.p.id, Number: strings.TrimSpace(d.number.Text)}
	var bad []app.FieldError
	if len(d.lines) > 0 {
		in.Lines = append([]app.LineInput(nil), d.lines...)
	} else if v, ok, fe := parseRoubles(d.amount.Text, app.FieldAmount); fe != nil {
		bad = append(bad, *fe)
	} else if ok {
		in.Amount = v
	}
	if v, ok, fe := parseRoubles(d.discount.Text, app.FieldDiscount); fe != nil {
		fe.Reason = app.ReasonBadValue
		bad = append(bad, *fe)
	} else if ok {
		in.DiscountBP = int(min(v, 1_000_000))
	}
	if strings.TrimSpace(d.bonus.Text) != "" {
		v, fe := moneyParsePoints(d.bonus.Text, app.FieldBonusPay, false)
		if fe != nil {
			bad = append(bad, *fe)
		}
		in.BonusPay = v
	}
	if len(bad) > 0 {
		d.errs.show(&app.ValidationError{Fields: bad})
		return in, false
	}
	d.errs.clear()
	return in, true
}

// refreshPreview works the purchase out as typed and shows what it will
// earn; stale answers are dropped.
func (d *purchaseDialog) refreshPreview() {
	d.gen++
	gen := d.gen
	in, ok := d.input()
	if !ok {
		return
	}
	if len(in.Lines) == 0 && in.Amount == 0 {
		d.preview.SetText(tr("money.preview_empty", "Enter an amount or add items"))
		d.bonusTip.SetText("")
		return
	}
	u := d.m.p.u
	u.async(func() {
		q, err := u.deps.Purchases.Preview(u.ctx(), in)
		fyne.Do(func() {
			if gen != d.gen || !d.open {
				return
			}
			if err != nil {
				d.errs.show(err)
				return
			}
			d.showQuote(q)
		})
	})
}

func (d *purchaseDialog) showQuote(q app.Quote) {
	pu := q.Purchase
	data := map[string]any{"Sold": pageMoney(pu.Sold), "Discount": pageMoney(pu.Discount), "Paid": pageMoney(pu.Paid),
		"Spent": moneyPoints(pu.BonusSpent), "Earned": moneyPoints(q.Accrued()),
		"Available": moneyPoints(q.Available), "Cap": moneyPoints(q.PayCap)}
	d.preview.SetText(tr("money.preview", "Total {{.Sold}} (discount {{.Discount}}), to pay {{.Paid}}; points spent {{.Spent}}; it earns points: {{.Earned}}", data))
	d.bonusTip.SetText(tr("money.bonus_tip", "Available: {{.Available}}; this order may take up to {{.Cap}}", data))
}

func (d *purchaseDialog) submit() {
	in, ok := d.input()
	if !ok {
		return
	}
	m, u := d.m, d.m.p.u
	d.okBtn.Disable()
	u.async(func() {
		pu, err := u.deps.Purchases.Record(u.ctx(), in)
		fyne.Do(func() {
			d.okBtn.Enable()
			if err != nil {
				d.errs.show(err)
				return
			}
			d.dlg.Hide()
			m.say(tr("money.purchase_done", "Purchase № {{.Number}} recorded: {{.Sold}}; points earned {{.Earned}}, spent {{.Spent}}",
				map[string]any{"Number": pu.Number, "Sold": pageMoney(pu.Sold), "Earned": moneyPoints(pu.BonusAccrued), "Spent": moneyPoints(pu.BonusSpent)}))
			m.changed()
		})
	})
}

// giveGiftDialog gives a gift from the catalogue of gifts (PU-06), showing what
// each costs and the client's available points.
type giveGiftDialog struct {
	m     *moneySide
	gifts []app.Gift
	gift  *widget.Select
	avail *widget.Label
	note  *moneyEntry
	errs  *moneyErrors
	okBtn *widget.Button
	dlg   *dialog.CustomDialog
	open  bool
}

func (m *moneySide) giveGift() *giveGiftDialog {
	u := m.p.u
	d := &giveGiftDialog{m: m, errs: newMoneyErrors()}
	d.gift = widget.NewSelect(nil, nil)
	d.gift.PlaceHolder = tr("money.gift_ph", "Pick a gift")
	d.avail = pageHint("")
	d.note = newMoneyEntry(false)
	d.note.SetPlaceHolder(tr("money.gift_note_ph", "Optional: why, e.g. birthday"))
	d.note.OnSubmitted = func(string) { d.submit() }
	form := widget.NewForm(
		widget.NewFormItem(fieldLabel(app.FieldGift), d.errs.under(app.FieldGift, fieldLabel(app.FieldGift), container.NewVBox(d.gift, d.avail))),
		widget.NewFormItem(tr("money.field.note", "Note"), d.errs.under(app.FieldOpReason, tr("money.field.note", "Note"), d.note)),
	)
	d.errs.alias(app.FieldPoints, app.FieldGift)
	d.errs.alias(app.FieldClient, app.FieldGift)
	d.okBtn = widget.NewButton(tr("money.give", "Give"), d.submit)
	d.okBtn.Importance = widget.HighImportance
	d.okBtn.Disable()
	cancel := widget.NewButton(tr("dialog.cancel", "Cancel"), func() { d.dlg.Hide() })
	d.dlg = dialog.NewCustomWithoutButtons(tr("money.gift_title", "Gift for {{.Client}}", map[string]any{"Client": m.p.c.DisplayName()}),
		container.NewVBox(form, d.errs.general, moneyButtons(cancel, d.okBtn)), u.win)
	d.dlg.SetOnClosed(func() { d.open = false })
	u.escCloses(d.dlg, d.note)
	d.dlg.Resize(fyne.NewSize(520, 0))
	d.open = true
	d.dlg.Show()
	u.win.Canvas().Focus(d.gift)
	m.lastGift = d
	u.async(func() {
		gs, err := u.deps.Catalogue.Gifts(u.ctx())
		fyne.Do(func() {
			if !d.open {
				return
			}
			if err != nil {
				d.errs.show(err)
				return
			}
			d.fill(gs)
		})
	})
	return d
}

func (d *giveGiftDialog) fill(gs []app.Gift) {
	d.gifts = gs
	var avail int64
	for _, a := range d.m.accounts {
		if a.TypeID == app.DefaultAccountTypeID {
			avail = a.Available()
		}
	}
	opts := make([]string, len(gs))
	for i, g := range gs {
		if g.Points == 0 {
			opts[i] = tr("money.gift_free", "{{.Name}} — free", map[string]any{"Name": g.Name})
		} else {
			opts[i] = lang.XN("money.gift_option", "{{.Name}} — {{.Points}} points", int(g.Points/100), map[string]any{"Name": g.Name, "Points": moneyPoints(g.Points)})
		}
	}
	d.gift.SetOptions(opts)
	d.avail.SetText(tr("money.gift_available", "The client has points available: {{.Points}}", map[string]any{"Points": moneyPoints(avail)}))
	if len(gs) == 0 {
		d.gift.PlaceHolder = tr("money.no_gifts", "No gifts yet: add them in the catalogue")
		d.gift.Disable()
		return
	}
	d.gift.SetSelectedIndex(0)
	d.okBtn.Enable()
}

func (d *giveGiftDialog) submit() {
	i := d.gift.SelectedIndex()
	if i < 0 || i >= len(d.gifts) {
		d.errs.show(&app.ValidationError{Fields: []app.FieldError{{Field: app.FieldGift, Reason: app.ReasonRequired}}})
		return
	}
	g, note := d.gifts[i], d.note.Text
	m, u := d.m, d.m.p.u
	d.okBtn.Disable()
	u.async(func() {
		_, err := u.deps.Purchases.Gift(u.ctx(), m.p.id, g.ID, note)
		fyne.Do(func() {
			d.okBtn.Enable()
			if err != nil {
				d.errs.show(err)
				return
			}
			d.dlg.Hide()
			m.say(tr("money.gift_done", "Gift «{{.Name}}» given; points debited: {{.Points}}", map[string]any{"Name": g.Name, "Points": moneyPoints(g.Points)}))
			m.changed()
		})
	})
}
