package ui

// The client page's money side (CL-04, CL-05, CL-06, BN-02…BN-04, PU-02,
// PU-05, PU-06): three tabs and the header's actions.
//
//   - "Bonus accounts": the client's accounts with posted, held and available
//     points; create an account, accrue, debit or correct by hand (behind the
//     administrator password), reset holds; below, the selected account's
//     entries, newest first (Enter or a double click on one that belongs to a
//     receipt opens the receipt).
//   - "Operation history": every receipt (sale, refund, gift); Enter or a
//     double click opens it (purchase.go), where a sale can be refunded.
//   - "Accumulation history": per receipt what was sold, the discount given,
//     the points earned and spent, and the running total sold.
//   - The header: the balance, "Add purchase…" and "Give a gift…" (purchase.go).
//
// Everything is read off the UI goroutine through UI.async and shown through
// fyne.Do; every change reloads the page (totals, balance, tabs).

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// Names of the client page's money tabs, for Open(--screen) and tests.
const (
	pageTabBonus        = "bonus"
	pageTabOperations   = "operations"
	pageTabAccumulation = "accumulation"
)

// moneyEntriesLimit is how many ledger entries of an account the page lists.
const moneyEntriesLimit = 1000

// openRichestClientOn opens, for screenshots, the page of the client with the
// most points among those with the most visits, on the named tab (a money
// tab or the loyalty tab).
func (u *UI) openRichestClientOn(tab string) {
	on := func(p *clientPage) {
		p.money.selectTab(tab)
		p.loyalty.selectTab(tab)
	}
	if u.deps.Ledger == nil {
		u.openBusiestClient(func(_ context.Context, cs []app.Client) string { return cs[0].ID }, on)
		return
	}
	u.openBusiestClient(func(ctx context.Context, cs []app.Client) string {
		pick, best := cs[0].ID, int64(-1)
		for _, c := range cs {
			as, err := u.deps.Ledger.Accounts(ctx, c.ID)
			if err != nil {
				continue
			}
			for _, a := range as {
				if a.Posted > best {
					pick, best = c.ID, a.Posted
				}
			}
		}
		return pick
	}, on)
}

// moneySide is the money side of one client page. Its fields are touched only
// on the UI goroutine.
type moneySide struct {
	p  *clientPage
	on bool // the ledger and purchase services are wired

	// Header
	balance *widget.Label
	buyBtn  *widget.Button
	giftBtn *widget.Button
	status  *widget.Label // what the last operation did

	tabBonus, tabOps, tabAccum *container.TabItem

	// As last loaded.
	loaded    bool
	gen       int
	types     []app.AccountType
	accounts  []app.Account
	acct      int    // the selected account, -1 for none
	wantType  string // the account type to select after a load
	entries   []app.Entry
	moreRows  bool // more entries than listed
	purchases []app.Purchase
	accum     []accumRow

	// Bonus accounts
	acctTable  *moneyTable
	entryTable *moneyTable
	noAccounts *widget.Label
	entriesLbl *widget.Label
	createBtn  *widget.Button
	accrueBtn  *widget.Button
	debitBtn   *widget.Button
	correctBtn *widget.Button
	resetBtn   *widget.Button
	bonusErr   *widget.Label

	// Operation history and accumulation history
	opsTable   *moneyTable
	noOps      *widget.Label
	accumTable *moneyTable
	noAccum    *widget.Label

	// The dialogs opened last, for tests.
	lastAdjust   *adjustDialog
	lastCreate   *createAccountDialog
	lastReceipt  *receiptDialog
	lastPurchase *purchaseDialog
	lastGift     *giveGiftDialog
}

// accumRow is one receipt of the accumulation history.
type accumRow struct {
	pu         app.Purchase
	cumulative int64 // sold up to and including this receipt
}

func newMoneySide(p *clientPage) *moneySide {
	d := p.u.deps
	m := &moneySide{p: p, acct: -1, on: d.Ledger != nil && d.Purchases != nil}
	m.status = widget.NewLabel("")
	m.status.Importance = widget.SuccessImportance
	m.status.Wrapping = fyne.TextWrapWord
	m.status.Hide()
	if !m.on {
		return m
	}
	m.balance = widget.NewLabel("")
	m.balance.TextStyle.Bold = true
	m.buyBtn = widget.NewButtonWithIcon(tr("money.add_purchase", "Add purchase…"), theme.ContentAddIcon(), func() { m.addPurchase() })
	m.giftBtn = widget.NewButtonWithIcon(tr("money.give_gift", "Give a gift…"), theme.MailSendIcon(), func() { m.giveGift() })
	if d.Catalogue == nil {
		m.giftBtn.Hide()
	}
	m.tabBonus = container.NewTabItem(tr("money.tab.bonus", "Bonus accounts"), m.buildBonus())
	m.tabOps = container.NewTabItem(tr("money.tab.operations", "Operation history"), m.buildOperations())
	m.tabAccum = container.NewTabItem(tr("money.tab.accumulation", "Accumulation history"), m.buildAccumulation())
	return m
}

// headerObjects are what the money side adds to the page's top row.
func (m *moneySide) headerObjects() []fyne.CanvasObject {
	if !m.on {
		return nil
	}
	return []fyne.CanvasObject{m.balance, m.buyBtn, m.giftBtn}
}

// addTabs puts the money tabs right after the page's main tab: they are what
// the till and the managers open most, and the last tabs of a narrow window
// go to the overflow menu.
func (m *moneySide) addTabs(tabs *container.AppTabs) {
	if !m.on || len(tabs.Items) == 0 {
		return
	}
	items := append([]*container.TabItem{tabs.Items[0], m.tabBonus, m.tabOps, m.tabAccum}, tabs.Items[1:]...)
	tabs.SetItems(items)
}

// selectTab shows the named money tab.
func (m *moneySide) selectTab(name string) {
	if !m.on {
		return
	}
	switch name {
	case pageTabBonus:
		m.p.tabs.Select(m.tabBonus)
	case pageTabOperations:
		m.p.tabs.Select(m.tabOps)
	case pageTabAccumulation:
		m.p.tabs.Select(m.tabAccum)
	}
}

// focusFor is what to focus when the tab is selected, or nil.
func (m *moneySide) focusFor(t *container.TabItem) fyne.Focusable {
	if !m.on {
		return nil
	}
	switch t {
	case m.tabBonus:
		return m.acctTable
	case m.tabOps:
		return m.opsTable
	case m.tabAccum:
		return m.accumTable
	}
	return nil
}

// say shows what an operation did under the header.
func (m *moneySide) say(text string) {
	m.status.SetText(text)
	m.status.Show()
}

// changed tells the list and reloads the page after an operation.
func (m *moneySide) changed() {
	m.p.u.clientChanged(m.p.id)
	m.p.load()
}

func (m *moneySide) buildBonus() fyne.CanvasObject {
	m.createBtn = widget.NewButtonWithIcon(tr("money.create_account", "Create account…"), theme.ContentAddIcon(), func() { m.createAccount() })
	m.accrueBtn = widget.NewButton(tr("money.accrue", "Accrue…"), func() { m.adjust(app.AdjustAccrue) })
	m.accrueBtn.Importance = widget.HighImportance
	m.debitBtn = widget.NewButton(tr("money.debit", "Debit…"), func() { m.adjust(app.AdjustDebit) })
	m.correctBtn = widget.NewButton(tr("money.correct", "Correct…"), func() { m.adjust(app.AdjustCorrect) })
	m.resetBtn = widget.NewButton(tr("money.reset_holds", "Reset holds…"), func() { m.confirmResetHolds() })
	m.resetBtn.Disable()
	m.bonusErr = pageErrLabel()
	m.noAccounts = pageHint(tr("money.no_accounts", "No bonus accounts yet: the first accrual opens one, or press «Create account…»."))
	m.noAccounts.Hide()

	m.acctTable = newMoneyTable(m.p, []moneyCol{
		{tr("money.col.account_type", "Account"), 260, false},
		{tr("money.col.posted", "Balance"), 150, true},
		{tr("money.col.held", "Held"), 150, true},
		{tr("money.col.available", "Available"), 150, true},
	}, func() int { return len(m.accounts) }, m.accountCell)
	m.acctTable.onPick = func(row int) {
		if row != m.acct && row < len(m.accounts) {
			m.wantType = m.accounts[row].TypeID
			m.load()
		}
	}

	m.entriesLbl = pageHeading(tr("money.entries", "Account entries"))
	m.entryTable = newMoneyTable(m.p, []moneyCol{
		{tr("money.col.time", "Time"), 150, false},
		{tr("money.col.kind", "Operation"), 170, false},
		{tr("money.col.points", "Points"), 100, true},
		{tr("money.col.held", "Held"), 90, true},
		{tr("money.col.author", "Author"), 110, false},
		{tr("money.col.reason", "Reason"), 330, false},
	}, func() int { return len(m.entries) }, m.entryCell)
	m.entryTable.onOpen = func(row int) {
		if row < len(m.entries) && m.entries[row].PurchaseID != "" {
			m.openReceipt(m.entries[row].PurchaseID)
		}
	}

	buttons := container.NewHBox(m.createBtn, widget.NewSeparator(), m.accrueBtn, m.debitBtn, m.correctBtn,
		widget.NewSeparator(), m.resetBtn)
	top := container.NewVBox(
		pageHint(tr("money.bonus_hint", "Manual accruals, debits and corrections need the administrator password and a reason; they go into the audit log.")),
		buttons, m.bonusErr, m.noAccounts)
	accounts := container.NewBorder(nil, nil, nil, nil, m.acctTable)
	entries := container.NewBorder(container.NewVBox(widget.NewSeparator(), m.entriesLbl,
		pageHint(tr("money.entries_hint", "Newest first. Enter or a double click on an entry of a receipt opens the receipt."))),
		nil, nil, nil, m.entryTable)
	split := container.NewVSplit(accounts, entries)
	split.Offset = 0.28
	return container.NewBorder(top, nil, nil, nil, split)
}

func (m *moneySide) buildOperations() fyne.CanvasObject {
	m.opsTable = newMoneyTable(m.p, []moneyCol{
		{tr("money.col.date", "Date"), 140, false},
		{tr("money.col.number", "Number"), 150, false},
		{tr("money.col.kind_receipt", "Kind"), 100, false},
		{tr("money.col.sold", "Sold"), 120, true},
		{tr("money.col.discount", "Discount"), 100, true},
		{tr("money.col.paid", "Paid"), 120, true},
		{tr("money.col.spent", "Points spent"), 145, true},
		{tr("money.col.earned", "Points earned"), 160, true},
	}, func() int { return len(m.purchases) }, m.operationCell)
	m.opsTable.onOpen = func(row int) {
		if row < len(m.purchases) {
			m.openReceipt(m.purchases[row].ID)
		}
	}
	m.noOps = pageHint(tr("money.no_operations", "No purchases yet."))
	m.noOps.Hide()
	top := container.NewVBox(pageHint(tr("money.operations_hint", "Every receipt of the client, newest first. Enter or a double click opens a receipt; a sale can be refunded from there.")), m.noOps)
	return container.NewBorder(top, nil, nil, nil, m.opsTable)
}

func (m *moneySide) buildAccumulation() fyne.CanvasObject {
	m.accumTable = newMoneyTable(m.p, []moneyCol{
		{tr("money.col.date", "Date"), 140, false},
		{tr("money.col.number", "Number"), 150, false},
		{tr("money.col.sold", "Sold"), 120, true},
		{tr("money.col.discount", "Discount"), 100, true},
		{tr("money.col.discount_share", "Discount, %"), 100, true},
		{tr("money.col.earned", "Points earned"), 160, true},
		{tr("money.col.spent", "Points spent"), 145, true},
		{tr("money.col.cumulative", "Sold in total"), 140, true},
	}, func() int { return len(m.accum) }, m.accumCell)
	m.accumTable.onOpen = func(row int) {
		if row < len(m.accum) {
			m.openReceipt(m.accum[row].pu.ID)
		}
	}
	m.noAccum = pageHint(tr("money.no_operations", "No purchases yet."))
	m.noAccum.Hide()
	top := container.NewVBox(pageHint(tr("money.accumulation_hint", "What each receipt added: the discount given, the points earned and spent, and the total sold so far (refunds subtract).")), m.noAccum)
	return container.NewBorder(top, nil, nil, nil, m.accumTable)
}

// moneyData is what one load of the money side reads.
type moneyData struct {
	types     []app.AccountType
	accounts  []app.Account
	acct      int
	entries   []app.Entry
	purchases []app.Purchase
	err       error
}

// load reads the accounts, the selected account's entries and the receipts
// off the UI goroutine and shows them.
func (m *moneySide) load() {
	if !m.on {
		return
	}
	m.gen++
	gen, u, id, want := m.gen, m.p.u, m.p.id, m.wantType
	u.async(func() {
		d := readMoney(u.ctx(), u.deps, id, want)
		fyne.Do(func() {
			if gen != m.gen || !m.p.current() {
				return
			}
			m.show(d)
		})
	})
}

func readMoney(ctx context.Context, deps Deps, id, wantType string) moneyData {
	d := moneyData{acct: -1}
	if d.types, d.err = deps.Ledger.AccountTypes(ctx); d.err != nil {
		return d
	}
	if d.accounts, d.err = deps.Ledger.Accounts(ctx, id); d.err != nil {
		return d
	}
	for i, a := range d.accounts {
		if a.TypeID == wantType || (d.acct < 0 && i == 0) {
			d.acct = i
		}
	}
	if d.acct >= 0 {
		q := app.EntryQuery{ClientID: id, AccountID: d.accounts[d.acct].ID, Limit: moneyEntriesLimit + 1}
		if d.entries, d.err = deps.Ledger.History(ctx, q); d.err != nil {
			return d
		}
	}
	d.purchases, d.err = deps.Purchases.History(ctx, app.PurchaseQuery{ClientID: id})
	return d
}

func (m *moneySide) show(d moneyData) {
	if d.err != nil {
		m.bonusErr.SetText(errorMessage(d.err))
		m.bonusErr.Show()
		return
	}
	m.bonusErr.Hide()
	m.loaded = true
	m.types, m.accounts, m.acct, m.purchases = d.types, d.accounts, d.acct, d.purchases
	m.entries, m.moreRows = d.entries, len(d.entries) > moneyEntriesLimit
	if m.moreRows {
		m.entries = m.entries[:moneyEntriesLimit]
	}
	if m.acct >= 0 {
		m.wantType = m.accounts[m.acct].TypeID
	}
	m.accum = moneyAccumulate(m.purchases)

	// Header: the default account's balance.
	var def app.Account
	var held int64
	for _, a := range m.accounts {
		if a.TypeID == app.DefaultAccountTypeID {
			def = a
		}
		held += a.Held
	}
	if def.Held > 0 {
		m.balance.SetText(tr("money.balance_held", "Points: {{.Posted}} (available {{.Available}})",
			map[string]any{"Posted": moneyPoints(def.Posted), "Available": moneyPoints(def.Available())}))
	} else {
		m.balance.SetText(tr("money.balance", "Points: {{.Posted}}", map[string]any{"Posted": moneyPoints(def.Posted)}))
	}

	// Bonus accounts.
	m.noAccounts.Hidden = len(m.accounts) > 0
	m.noAccounts.Refresh()
	if len(m.missingTypes()) > 0 {
		m.createBtn.Enable()
	} else {
		m.createBtn.Disable()
	}
	if held > 0 {
		m.resetBtn.Enable()
	} else {
		m.resetBtn.Disable()
	}
	if m.acct >= 0 {
		a := m.accounts[m.acct]
		data := map[string]any{"Account": moneyTypeLabel(a.TypeID, a.TypeName), "Count": groupDigits(len(m.entries))}
		if m.moreRows {
			m.entriesLbl.SetText(tr("money.entries_of_more", "Entries of «{{.Account}}»: the newest {{.Count}}", data))
		} else {
			m.entriesLbl.SetText(tr("money.entries_of", "Entries of «{{.Account}}»", data))
		}
	} else {
		m.entriesLbl.SetText(tr("money.entries", "Account entries"))
	}
	m.acctTable.Refresh()
	m.entryTable.Refresh()

	// Receipts.
	m.tabOps.Text = tabTitle(tr("money.tab.operations", "Operation history"), len(m.purchases))
	m.noOps.Hidden = len(m.purchases) > 0
	m.noOps.Refresh()
	m.noAccum.Hidden = len(m.accum) > 0
	m.noAccum.Refresh()
	m.opsTable.Refresh()
	m.accumTable.Refresh()
}

// accumulate lists the sales and refunds newest first with the total sold up
// to each (a refund subtracts).
func moneyAccumulate(ps []app.Purchase) []accumRow {
	var rows []accumRow
	var total int64
	for i := len(ps) - 1; i >= 0; i-- { // oldest first
		pu := ps[i]
		switch pu.Kind {
		case app.PurchaseSale:
			total += pu.Sold
		case app.PurchaseRefund:
			total -= pu.Sold
		default:
			continue
		}
		rows = append(rows, accumRow{pu: pu, cumulative: total})
	}
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	return rows
}

// missingTypes are the account types the client has no account of.
func (m *moneySide) missingTypes() []app.AccountType {
	has := map[string]bool{}
	for _, a := range m.accounts {
		has[a.TypeID] = true
	}
	var out []app.AccountType
	for _, t := range m.types {
		if !has[t.ID] {
			out = append(out, t)
		}
	}
	return out
}

func (m *moneySide) accountCell(row, col int) (string, bool) {
	a := m.accounts[row]
	switch col {
	case 0:
		name := moneyTypeLabel(a.TypeID, a.TypeName)
		if name == "" {
			name = moneyAccountTypeName(m.types, a.TypeID)
		}
		return name, row == m.acct
	case 1:
		return moneyPoints(a.Posted), false
	case 2:
		return moneyPoints(a.Held), false
	case 3:
		return moneyPoints(a.Available()), true
	}
	return "", false
}

func moneyAccountTypeName(ts []app.AccountType, id string) string {
	for _, t := range ts {
		if t.ID == id {
			return moneyTypeLabel(t.ID, t.Name)
		}
	}
	return id
}

// moneyTypeLabel names an account type; the default type keeps its
// translated name until it is renamed.
func moneyTypeLabel(id, name string) string {
	if id == app.DefaultAccountTypeID && (name == "Bonuses" || name == "") {
		return tr("money.default_type", "Bonuses")
	}
	return name
}

func (m *moneySide) entryCell(row, col int) (string, bool) {
	e := m.entries[row]
	switch col {
	case 0:
		return moneyTime(e.CreatedAt), false
	case 1:
		return moneyEntryKindLabel(e.Kind), false
	case 2:
		if e.Amount == 0 {
			return "", false
		}
		return moneySigned(e.Amount), false
	case 3:
		if e.Held == 0 {
			return "", false
		}
		return moneySigned(e.Held), false
	case 4:
		return e.Author, false
	case 5:
		return entryReason(e.Reason), false
	}
	return "", false
}

func (m *moneySide) operationCell(row, col int) (string, bool) {
	pu := m.purchases[row]
	neg := pu.Kind == app.PurchaseRefund
	money := func(v int64) string {
		if neg && v != 0 {
			v = -v
		}
		return pageMoney(v)
	}
	points := func(v int64) string {
		if v == 0 {
			return "0"
		}
		if neg {
			return moneySigned(-v)
		}
		return moneyPoints(v)
	}
	switch col {
	case 0:
		return moneyTime(pu.OccurredAt), false
	case 1:
		return pu.Number, false
	case 2:
		return moneyReceiptKindLabel(pu.Kind), false
	case 3:
		return money(pu.Sold), false
	case 4:
		return money(pu.Discount), false
	case 5:
		return money(pu.Paid), true
	case 6:
		return points(pu.BonusSpent), false
	case 7:
		return points(pu.BonusAccrued), false
	}
	return "", false
}

func (m *moneySide) accumCell(row, col int) (string, bool) {
	r := m.accum[row]
	pu := r.pu
	sign := int64(1)
	if pu.Kind == app.PurchaseRefund {
		sign = -1
	}
	switch col {
	case 0:
		return moneyTime(pu.OccurredAt), false
	case 1:
		return pu.Number, false
	case 2:
		return pageMoney(sign * pu.Sold), false
	case 3:
		return pageMoney(sign * pu.Discount), false
	case 4:
		return moneyDiscountShare(pu.Discount, pu.Sold+pu.Discount), false
	case 5:
		return moneySigned(sign * pu.BonusAccrued), false
	case 6:
		return moneySigned(sign * pu.BonusSpent), false
	case 7:
		return pageMoney(r.cumulative), true
	}
	return "", false
}

// moneyDiscountShare writes discount as a share of gross: "10 %", "7,5 %", "—".
func moneyDiscountShare(discount, gross int64) string {
	if gross <= 0 || discount == 0 {
		return "—"
	}
	bp := (discount*10000 + gross/2) / gross
	return moneyPercent(bp)
}

// moneyPercent writes basis points as a percentage: 1000 → "10 %", 750 → "7,5 %".
func moneyPercent(bp int64) string { return app.PercentText(int(bp)) }

// moneyPoints writes kopecks of points grouped, with up to two decimals:
// 123450 → "1 234,5".
func moneyPoints(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "−", -v
	}
	s := groupDigits64(v / 100)
	if frac := app.FormatPoints(v % 100); frac != "0" {
		s += "," + strings.TrimPrefix(frac, "0.")
	}
	return sign + s
}

// moneySigned writes points with their sign: "+50", "−12,5", "0".
func moneySigned(v int64) string {
	if v > 0 {
		return "+" + moneyPoints(v)
	}
	return moneyPoints(v)
}

// moneyTime writes the local date and time of t, or a dash.
func moneyTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("02.01.2006 15:04")
}

// moneyQty writes a quantity in thousandths: 1000 → "1", 1500 → "1,5".
func moneyQty(q int64) string {
	s := strconv.FormatInt(q/1000, 10)
	if f := q % 1000; f != 0 {
		s += "," + strings.TrimRight(fmt.Sprintf("%03d", f), "0")
	}
	return s
}

// moneyParseQty reads a quantity typed as "2", "1,5" or "0.25" in thousandths.
func moneyParseQty(text string) (int64, bool) {
	t := strings.ReplaceAll(strings.Map(dropSpaces, text), ",", ".")
	whole, frac, _ := strings.Cut(t, ".")
	if whole+frac == "" || len(frac) > 3 || len(whole) > 9 {
		return 0, false
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	w, _ := strconv.ParseInt("0"+whole, 10, 64)
	f, _ := strconv.ParseInt("0"+frac+strings.Repeat("0", 3-len(frac)), 10, 64)
	return w*1000 + f, true
}

// moneyParsePoints reads points typed in a field ("50", "12,5", "-10" when signed
// may be) as kopecks of points; a field error when it is not a number.
func moneyParsePoints(text, field string, signed bool) (int64, *app.FieldError) {
	t := strings.TrimSpace(text)
	if t == "" {
		return 0, &app.FieldError{Field: field, Reason: app.ReasonRequired}
	}
	v, err := parseMoney(t)
	if err != nil {
		return 0, &app.FieldError{Field: field, Reason: app.ReasonBadValue, Value: t}
	}
	if v < 0 && !signed {
		return 0, &app.FieldError{Field: field, Reason: app.ReasonNegative, Value: t}
	}
	return v, nil
}

// moneyEntryKindLabel names a ledger entry's kind.
func moneyEntryKindLabel(k app.EntryKind) string {
	switch k {
	case app.EntryAccrue:
		return tr("money.kind.accrue", "Accrual")
	case app.EntryDebit:
		return tr("money.kind.debit", "Debit")
	case app.EntryHold:
		return tr("money.kind.hold", "Hold")
	case app.EntryConfirm:
		return tr("money.kind.confirm", "Debit of a hold")
	case app.EntryRelease:
		return tr("money.kind.release", "Hold released")
	case app.EntryExpire:
		return tr("money.kind.expire", "Expiry")
	case app.EntryCorrect:
		return tr("money.kind.correct", "Correction")
	case app.EntryOpening:
		return tr("money.kind.opening", "Opening balance")
	case app.EntryReturn:
		return tr("money.kind.return", "Points returned")
	case app.EntryReverse:
		return tr("money.kind.reverse", "Accrual reversed")
	}
	return string(k)
}

// moneyReceiptKindLabel names a receipt's kind.
func moneyReceiptKindLabel(k app.PurchaseKind) string {
	switch k {
	case app.PurchaseSale:
		return tr("money.receipt_kind.sale", "Sale")
	case app.PurchaseRefund:
		return tr("money.receipt_kind.refund", "Refund")
	case app.PurchaseGift:
		return tr("money.receipt_kind.gift", "Gift")
	}
	return string(k)
}

// moneyCol is a column of a moneyTable.
type moneyCol struct {
	title string
	width float32
	num   bool // right-aligned
}

// moneyTable is a read-only table with a header row: Enter or a double click
// opens a row (onOpen), a tap or Space picks it (onPick), Esc leaves the page.
type moneyTable struct {
	widget.Table
	page      *clientPage // nil outside a page
	cols      []moneyCol
	rows      func() int
	cell      func(row, col int) (text string, bold bool)
	onPick    func(row int)
	onOpen    func(row int)
	esc       func() // Esc in a dialog's table; nil leaves the page
	picked    int
	highlight int
}

func newMoneyTable(page *clientPage, cols []moneyCol, rows func() int, cell func(row, col int) (string, bool)) *moneyTable {
	t := &moneyTable{page: page, cols: cols, rows: rows, cell: cell, picked: -1}
	t.Length = func() (int, int) { return rows(), len(cols) }
	t.CreateCell = func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	t.UpdateCell = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		text, bold := "", false
		if id.Row < rows() && id.Col < len(cols) {
			text, bold = cell(id.Row, id.Col)
		}
		align := fyne.TextAlignLeading
		if id.Col < len(cols) && cols[id.Col].num {
			align = fyne.TextAlignTrailing
		}
		if l.Text != text || l.TextStyle.Bold != bold || l.Alignment != align {
			l.Text, l.TextStyle.Bold, l.Alignment = text, bold, align
			l.Refresh()
		}
	}
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.TextStyle.Bold = true
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(cols) {
			l := o.(*widget.Label)
			l.Alignment = fyne.TextAlignLeading
			if cols[id.Col].num {
				l.Alignment = fyne.TextAlignTrailing
			}
			l.SetText(cols[id.Col].title)
		}
	}
	t.OnSelected = func(id widget.TableCellID) {
		t.picked = id.Row
		if t.onPick != nil {
			t.onPick(id.Row)
		}
	}
	t.OnHighlighted = func(id widget.TableCellID) { t.highlight = id.Row }
	t.ExtendBaseWidget(t)
	for i, c := range cols {
		t.SetColumnWidth(i, c.width)
	}
	return t
}

// open picks row and opens it.
func (t *moneyTable) open(row int) {
	if row < 0 || row >= t.rows() {
		return
	}
	t.Select(widget.TableCellID{Row: row, Col: 0})
	t.picked = row
	if t.onOpen != nil {
		t.onOpen(row)
	}
}

// TypedKey opens the highlighted row on Enter and leaves the page on Esc.
func (t *moneyTable) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		t.open(t.highlight)
		return
	case fyne.KeyEscape:
		if t.esc != nil {
			t.esc()
			return
		}
		if t.page != nil {
			t.page.goBack()
			return
		}
	}
	t.Table.TypedKey(k)
}

// DoubleTapped opens the row under the pointer.
func (t *moneyTable) DoubleTapped(e *fyne.PointEvent) {
	t.Table.Tapped(e) // picks the row under the pointer
	if t.picked >= 0 {
		t.open(t.picked)
	}
}

// moneyErrors puts field errors under the fields of a small dialog.
type moneyErrors struct {
	labels  map[string]*widget.Label
	names   map[string]string // field → label text for messages
	general *widget.Label
}

func newMoneyErrors() *moneyErrors {
	return &moneyErrors{labels: map[string]*widget.Label{}, names: map[string]string{}, general: pageErrLabel()}
}

// under returns obj with a hidden error label for field beneath it.
func (f *moneyErrors) under(field, name string, obj fyne.CanvasObject) fyne.CanvasObject {
	l := pageErrLabel()
	f.labels[field] = l
	f.names[field] = name
	return container.NewVBox(obj, l)
}

// alias shows the errors of field under the label of to.
func (f *moneyErrors) alias(field, to string) { f.labels[field] = f.labels[to] }

func (f *moneyErrors) clear() {
	for _, l := range f.labels {
		l.Hide()
	}
	f.general.Hide()
}

// show puts err's field errors under their fields, anything else in the
// general label.
func (f *moneyErrors) show(err error) {
	f.clear()
	fes := app.FieldErrors(err)
	shown := false
	for _, fe := range fes {
		if l, ok := f.labels[fe.Field]; ok && !l.Visible() {
			l.SetText(f.message(fe))
			l.Show()
			shown = true
		}
	}
	if !shown {
		msg := errorMessage(err)
		if len(fes) > 0 {
			msg = f.message(fes[0])
		}
		f.general.SetText(msg)
		f.general.Show()
	}
}

func (f *moneyErrors) message(fe app.FieldError) string {
	name, ok := f.names[fe.Field]
	if !ok {
		name = fieldLabel(fe.Field)
	}
	return fieldMessageAs(fe, name, "")
}

// visible returns the text of the field's error, or "" when none shows.
func (f *moneyErrors) visible(field string) string {
	if l, ok := f.labels[field]; ok && l.Visible() {
		return l.Text
	}
	return ""
}

// moneyEntry is an entry of a money dialog: Esc in it closes the dialog.
type moneyEntry struct {
	widget.Entry
	esc func()
}

func newMoneyEntry(multi bool) *moneyEntry {
	e := &moneyEntry{}
	e.MultiLine = multi
	if multi {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey closes the dialog on Esc and types everything else.
func (e *moneyEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.esc != nil {
		e.esc()
		return
	}
	e.Entry.TypedKey(k)
}

// escCloses makes Esc close dlg from its entries and when nothing has the
// focus.
func (u *UI) escCloses(dlg dialog.Dialog, entries ...*moneyEntry) {
	for _, e := range entries {
		e.esc = dlg.Hide
	}
	u.dialogKeys(dlg, dlg.Hide, nil)
}

// moneyButtons lays out a dialog's buttons at the right.
func moneyButtons(bs ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewHBox(append([]fyne.CanvasObject{layout.NewSpacer()}, bs...)...)
}

// adjustTitle names a manual operation.
func adjustTitle(k app.AdjustKind) string {
	switch k {
	case app.AdjustAccrue:
		return tr("money.adjust.accrue", "Accrue points")
	case app.AdjustDebit:
		return tr("money.adjust.debit", "Debit points")
	}
	return tr("money.adjust.correct", "Correct the balance")
}

// adjustDone says what a manual operation on one client did.
func adjustDone(k app.AdjustKind, amount int64) string {
	data := map[string]any{"Points": moneyPoints(amount)}
	switch k {
	case app.AdjustAccrue:
		return tr("money.accrued", "Points accrued: {{.Points}}", data)
	case app.AdjustDebit:
		return tr("money.debited", "Points debited: {{.Points}}", data)
	}
	data["Points"] = moneySigned(amount)
	return tr("money.corrected", "Balance corrected: {{.Points}}", data)
}

// adjustForm is the fields of a manual operation (BN-03, BN-04): the account
// type (when there are several), the amount, the reason and a message to the
// client. The client page and the client list's bulk change share it.
type adjustForm struct {
	kind    *widget.RadioGroup // nil when the kind is fixed
	kinds   []app.AdjustKind
	fixed   app.AdjustKind
	types   []app.AccountType
	typ     *widget.Select // nil with one type
	amount  *moneyEntry
	reason  *moneyEntry
	message *moneyEntry
	errs    *moneyErrors
	form    *widget.Form
}

// newAdjustForm builds the fields, after lead; fixed "" lets the user pick
// the kind.
func newAdjustForm(fixed app.AdjustKind, types []app.AccountType, typeID string, submit func(), lead ...*widget.FormItem) *adjustForm {
	f := &adjustForm{fixed: fixed, types: types, errs: newMoneyErrors(), form: widget.NewForm(lead...)}
	f.amount = newMoneyEntry(false)
	f.amount.OnSubmitted = func(string) { submit() }
	if fixed == "" {
		f.kinds = []app.AdjustKind{app.AdjustAccrue, app.AdjustDebit, app.AdjustCorrect}
		labels := []string{tr("money.kind_accrue", "Accrue"), tr("money.kind_debit", "Debit"), tr("money.kind_correct", "Correct")}
		f.kind = widget.NewRadioGroup(labels, func(string) { f.placeholder() })
		f.kind.Horizontal = true
		f.kind.Required = true
		f.kind.SetSelected(labels[0])
		f.form.Append(tr("money.field.operation", "Operation"), f.kind)
	}
	if len(types) > 1 {
		names := make([]string, len(types))
		sel := 0
		for i, t := range types {
			names[i] = moneyTypeLabel(t.ID, t.Name)
			if t.ID == typeID {
				sel = i
			}
		}
		f.typ = widget.NewSelect(names, nil)
		f.typ.SetSelectedIndex(sel)
		f.form.Append(fieldLabel(app.FieldAccountType), f.errs.under(app.FieldAccountType, fieldLabel(app.FieldAccountType), f.typ))
	}
	f.reason = newMoneyEntry(false)
	f.reason.SetPlaceHolder(tr("money.reason_ph", "e.g. compensation for a late order"))
	f.reason.OnSubmitted = func(string) { submit() }
	f.message = newMoneyEntry(true)
	f.message.SetMinRowsVisible(2)
	f.message.SetPlaceHolder(tr("money.message_ph", "Optional: the client receives it with the next message"))
	points := tr("money.field.points", "Points")
	f.form.Append(points, f.errs.under(app.FieldAmount, points, f.amount))
	f.form.Append(fieldLabel(app.FieldOpReason), f.errs.under(app.FieldOpReason, fieldLabel(app.FieldOpReason), f.reason))
	f.form.Append(fieldLabel(app.FieldMessage), f.errs.under(app.FieldMessage, fieldLabel(app.FieldMessage), f.message))
	f.placeholder()
	return f
}

func (f *adjustForm) placeholder() {
	if f.kindOf() == app.AdjustCorrect {
		f.amount.SetPlaceHolder(tr("money.amount_signed_ph", "+50 adds, -50 takes away"))
		return
	}
	f.amount.SetPlaceHolder(tr("money.amount_ph", "e.g. 50 or 12,5"))
}

func (f *adjustForm) kindOf() app.AdjustKind {
	if f.kind == nil {
		return f.fixed
	}
	return moneySelectedRadio(f.kind, f.kinds)
}

// moneySelectedRadio returns the item of all a radio group built from all's
// labels has selected.
func moneySelectedRadio[T any](r *widget.RadioGroup, all []T) T {
	for i, o := range r.Options {
		if o == r.Selected && i < len(all) {
			return all[i]
		}
	}
	var zero T
	return zero
}

// read checks the fields the screen can check and returns the adjustment
// (without its target); on a mistake it shows it under its field.
func (f *adjustForm) read() (app.Adjustment, bool) {
	f.errs.clear()
	in := app.Adjustment{Kind: f.kindOf(), Reason: strings.TrimSpace(f.reason.Text), Message: strings.TrimSpace(f.message.Text)}
	if f.typ != nil {
		if i := f.typ.SelectedIndex(); i >= 0 && i < len(f.types) {
			in.TypeID = f.types[i].ID
		}
	} else if len(f.types) == 1 {
		in.TypeID = f.types[0].ID
	}
	var bad []app.FieldError
	v, fe := moneyParsePoints(f.amount.Text, app.FieldAmount, in.Kind == app.AdjustCorrect)
	switch {
	case fe != nil:
		bad = append(bad, *fe)
	case v == 0 && in.Kind == app.AdjustCorrect:
		bad = append(bad, app.FieldError{Field: app.FieldAmount, Reason: app.ReasonRequired})
	case v <= 0 && in.Kind != app.AdjustCorrect:
		bad = append(bad, app.FieldError{Field: app.FieldAmount, Reason: app.ReasonNotPositive, Value: strings.TrimSpace(f.amount.Text)})
	}
	in.Amount = v
	if in.Reason == "" {
		bad = append(bad, app.FieldError{Field: app.FieldOpReason, Reason: app.ReasonRequired})
	}
	if len(bad) > 0 {
		f.errs.show(&app.ValidationError{Fields: bad})
		return in, false
	}
	return in, true
}

// adjustDialog is a manual accrual, debit or correction of one client's
// balance (BN-03, BN-04): the fields are checked, then the administrator
// password is asked, then the ledger changes. The approval serves the
// dialog's further tries while it lasts.
type adjustDialog struct {
	m     *moneySide
	kind  app.AdjustKind
	f     *adjustForm
	okBtn *widget.Button
	dlg   *dialog.CustomDialog
	open  bool
	ap    *app.Approval
}

// adjust opens the dialog of a manual operation on the selected account's type.
func (m *moneySide) adjust(kind app.AdjustKind) *adjustDialog {
	d := &adjustDialog{m: m, kind: kind}
	typeID := app.DefaultAccountTypeID
	if m.acct >= 0 && m.acct < len(m.accounts) {
		typeID = m.accounts[m.acct].TypeID
	}
	d.f = newAdjustForm(kind, m.types, typeID, d.submit)
	hint := pageHint(tr("money.adjust_hint", "{{.Client}}. The administrator password is asked next.",
		map[string]any{"Client": m.p.c.DisplayName()}))
	d.okBtn = widget.NewButton(strings.TrimSuffix(adjustButton(kind), "…"), d.submit)
	d.okBtn.Importance = widget.HighImportance
	cancel := widget.NewButton(tr("dialog.cancel", "Cancel"), func() { d.dlg.Hide() })
	d.dlg = dialog.NewCustomWithoutButtons(adjustTitle(kind),
		container.NewVBox(hint, d.f.form, d.f.errs.general, moneyButtons(cancel, d.okBtn)), m.p.u.win)
	d.dlg.SetOnClosed(func() { d.open = false })
	m.p.u.escCloses(d.dlg, d.f.amount, d.f.reason, d.f.message)
	d.dlg.Resize(fyne.NewSize(520, 0))
	d.open = true
	d.dlg.Show()
	m.p.u.win.Canvas().Focus(d.f.amount)
	m.lastAdjust = d
	return d
}

func adjustButton(k app.AdjustKind) string {
	switch k {
	case app.AdjustAccrue:
		return tr("money.accrue", "Accrue…")
	case app.AdjustDebit:
		return tr("money.debit", "Debit…")
	}
	return tr("money.correct", "Correct…")
}

func (d *adjustDialog) submit() {
	in, ok := d.f.read()
	if !ok {
		return
	}
	in.Target = app.ClientQuery{IDs: []string{d.m.p.id}}
	if d.ap != nil {
		d.run(*d.ap, in)
		return
	}
	d.m.p.u.approve(adjustTitle(d.kind), func(ap app.Approval) {
		d.ap = &ap
		d.run(ap, in)
	})
}

func (d *adjustDialog) run(ap app.Approval, in app.Adjustment) {
	m, u := d.m, d.m.p.u
	d.okBtn.Disable()
	u.async(func() {
		rep, err := u.deps.Ledger.Adjust(u.ctx(), ap, in)
		fyne.Do(func() {
			d.okBtn.Enable()
			if err != nil {
				if errors.Is(err, app.ErrDenied) {
					d.ap = nil // the approval ran out: the next try asks again
				}
				d.f.errs.show(err)
				return
			}
			d.dlg.Hide()
			m.say(adjustDone(in.Kind, rep.Total))
			m.wantType = in.TypeID
			m.changed()
		})
	})
}

// createAccountDialog opens an account of a type the client lacks (CL-04).
type createAccountDialog struct {
	m     *moneySide
	types []app.AccountType
	typ   *widget.Select
	errs  *moneyErrors
	okBtn *widget.Button
	dlg   *dialog.CustomDialog
	open  bool
}

func (m *moneySide) createAccount() *createAccountDialog {
	d := &createAccountDialog{m: m, types: m.missingTypes(), errs: newMoneyErrors()}
	names := make([]string, len(d.types))
	for i, t := range d.types {
		names[i] = moneyTypeLabel(t.ID, t.Name)
	}
	d.typ = widget.NewSelect(names, nil)
	if len(names) > 0 {
		d.typ.SetSelectedIndex(0)
	}
	form := widget.NewForm(widget.NewFormItem(fieldLabel(app.FieldAccountType),
		d.errs.under(app.FieldAccountType, fieldLabel(app.FieldAccountType), d.typ)))
	d.okBtn = widget.NewButton(tr("money.create", "Create"), d.submit)
	d.okBtn.Importance = widget.HighImportance
	cancel := widget.NewButton(tr("dialog.cancel", "Cancel"), func() { d.dlg.Hide() })
	d.dlg = dialog.NewCustomWithoutButtons(tr("money.create_title", "New bonus account"),
		container.NewVBox(form, d.errs.general, moneyButtons(cancel, d.okBtn)), m.p.u.win)
	d.dlg.SetOnClosed(func() { d.open = false })
	m.p.u.escCloses(d.dlg)
	d.dlg.Resize(fyne.NewSize(420, 0))
	d.open = true
	d.dlg.Show()
	m.p.u.win.Canvas().Focus(d.typ)
	m.lastCreate = d
	return d
}

func (d *createAccountDialog) submit() {
	i := d.typ.SelectedIndex()
	if i < 0 || i >= len(d.types) {
		d.errs.show(&app.ValidationError{Fields: []app.FieldError{{Field: app.FieldAccountType, Reason: app.ReasonRequired}}})
		return
	}
	t := d.types[i]
	m, u := d.m, d.m.p.u
	d.okBtn.Disable()
	u.async(func() {
		_, err := u.deps.Ledger.OpenAccount(u.ctx(), m.p.id, t.ID)
		fyne.Do(func() {
			d.okBtn.Enable()
			if err != nil {
				d.errs.show(err)
				return
			}
			d.dlg.Hide()
			m.say(tr("money.account_created", "Account «{{.Name}}» created", map[string]any{"Name": moneyTypeLabel(t.ID, t.Name)}))
			m.wantType = t.ID
			m.changed()
		})
	})
}

// confirmResetHolds asks before releasing every open hold of the client.
func (m *moneySide) confirmResetHolds() {
	var held int64
	for _, a := range m.accounts {
		held += a.Held
	}
	if held == 0 {
		return
	}
	d := dialog.NewConfirm(tr("money.reset_title", "Reset holds"),
		tr("money.reset_confirm", "Points held for open orders: {{.Points}}. Release them? An order still open at the till will have to reserve them again.",
			map[string]any{"Points": moneyPoints(held)}),
		func(ok bool) {
			if ok {
				m.resetHolds()
			}
		}, m.p.u.win)
	d.SetConfirmText(tr("money.reset_yes", "Release"))
	d.SetDismissText(tr("dialog.cancel", "Cancel"))
	d.Show()
}

func (m *moneySide) resetHolds() {
	u := m.p.u
	m.resetBtn.Disable()
	u.async(func() {
		n, err := u.deps.Ledger.ResetHolds(u.ctx(), m.p.id)
		fyne.Do(func() {
			if err != nil {
				m.resetBtn.Enable()
				m.bonusErr.SetText(errorMessage(err))
				m.bonusErr.Show()
				return
			}
			m.say(tr("money.holds_released", "Holds released: {{.Count}}", map[string]any{"Count": groupDigits(n)}))
			m.changed()
		})
	})
}

// entryReason translates the reasons the program writes on entries itself
// (app/bonus.go, app/purchases.go, app/till.go); a reason a person typed
// shows as it is.
func entryReason(r string) string {
	switch r {
	case "expired":
		return tr("reason.expired", "points expired")
	case "reset holds":
		return tr("reason.reset_holds", "holds reset")
	case "abandoned order":
		return tr("reason.abandoned", "order abandoned: hold released")
	case "guest changed":
		return tr("reason.guest_changed", "another guest on the order")
	}
	data := func(v string) map[string]any { return map[string]any{"X": v} }
	if v, ok := strings.CutPrefix(r, "opening balance: "); ok {
		return tr("reason.opening", "opening balance: {{.X}}", data(v))
	}
	if v, ok := strings.CutPrefix(r, "gift: "); ok {
		return tr("reason.gift", "gift: {{.X}}", data(v))
	}
	if v, ok := strings.CutPrefix(r, "refund "); ok {
		return tr("reason.refund", "refund {{.X}}", data(v))
	}
	if v, ok := strings.CutPrefix(r, "order "); ok {
		if n, ok := strings.CutSuffix(v, " cancelled"); ok {
			return tr("reason.order_cancelled", "order {{.X}} cancelled", data(n))
		}
		if n, ok := strings.CutSuffix(v, " changed"); ok {
			return tr("reason.order_changed", "order {{.X}} changed", data(n))
		}
		return tr("reason.order", "order {{.X}}", data(v))
	}
	return r
}
