package ui

// The till screen (PU-03, BN-07): a cashier identifies the guest, builds the
// order from the catalogue or free amounts, lets the guest pay part with
// points, and closes it; the receipt and the guest's new balance show at
// once. It is keyboard-first:
//
//	Enter in "Phone, card or code"  identify the guest
//	F2 guest · F3 product search · F4 points · F5 free amount · F6 order lines
//	Down in the search               into the results; Enter adds, Up at the top goes back
//	+ / − / * / Delete in the lines  quantity, void, remove
//	F7 park the order · F8 cancel it · F9 or Ctrl+Enter close it · Esc clears a field
//	F10 hides or shows the camera preview
//
// Scanners (a camera, serial readers, a keyboard-wedge scanner) identify
// the guest without a key pressed: see till_scan.go.
//
// The order lives in memory (app.Order); every change is quoted again
// through TillService.Quote off the UI goroutine, and only the newest
// answer is shown. Points paid are held by TillService.PayWithPoints until
// the order closes or is cancelled; parked orders keep their holds (a job
// releases stale ones).

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
	"loyaltydesk/hardware"
)

// Limits of the till.
const (
	tillMaxParked    = 5   // orders parked at once
	tillProductLimit = 200 // products the picker lists
)

var shortcutTillClose = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierControl}

// tillScreen is the till tab.
type tillScreen struct {
	u       *UI
	content fyne.CanvasObject

	order app.Order
	quote *app.Quote // the newest good quote of the order; nil before one
	// quoteSeq numbers the quotes asked, so a late answer is dropped.
	quoteSeq   int
	productSeq int
	busy       bool // closing or cancelling: the order does not change
	// closedGuest is the guest of the order just closed, shown with their
	// new balance until the next order gets a guest or a line.
	closedGuest *app.Guest
	parked      []app.Order
	settingText bool // the screen is setting an entry's text itself

	// The scanners, the camera preview and the attach dialog (till_scan.go).
	sc        tillScan
	attachDlg *tillAttachDialog

	// Identify.
	ident       *tillEntry
	identMsg    *widget.Label
	identBtn    *widget.Button
	removeGuest *widget.Button

	// The guest panel.
	guestState    *widget.Label
	guestName     *widget.Label
	guestGroup    *widget.Label
	guestDiscount *widget.Label
	guestBalance  *widget.Label
	guestHeld     *widget.Label
	guestBirthday *widget.Label
	guestBlocked  *widget.Label
	guestNote     *widget.Label

	// The product picker.
	search     *tillEntry
	category   *widget.Select
	categories []app.ProductCategory
	products   []app.Product
	results    *tillList
	resultSel  int
	productMsg *widget.Label

	// A free amount.
	freeName   *tillEntry
	freeAmount *tillEntry
	freeErr    *widget.Label
	freeAdd    *widget.Button

	// The order's lines.
	lines      *tillList
	lineSel    int
	linesEmpty *widget.Label

	// Discount and points.
	discount    *tillEntry
	discountErr *widget.Label
	points      *tillEntry
	pointsCap   *widget.Label
	pointsErr   *widget.Label
	pointsMax   *widget.Button
	pointsApply *widget.Button

	// Totals.
	totGross    *widget.Label
	totDiscount *widget.Label
	totPoints   *widget.Label
	totDue      *widget.Label
	totEarn     *widget.Label
	orderErr    *widget.Label

	root, left, middle, right *fyne.Container

	closeBtn  *widget.Button
	cancelBtn *widget.Button
	parkBtn   *widget.Button
	parkedSel *widget.Select
	receipt   *widget.Label
	number    *widget.Label
}

func newTillScreen(u *UI) *tillScreen {
	s := &tillScreen{u: u, resultSel: -1, lineSel: -1}
	s.order = u.deps.Till.NewOrder()

	s.ident = s.newEntry()
	s.ident.SetPlaceHolder(tr("till.identify_ph", "Phone, card or code"))
	s.ident.OnSubmitted = func(text string) { s.identify(text) }
	s.identBtn = widget.NewButtonWithIcon(tr("till.identify", "Identify"), theme.SearchIcon(), func() { s.identify(s.ident.Text) })
	s.removeGuest = widget.NewButtonWithIcon(tr("till.remove_guest", "Remove guest"), theme.ContentClearIcon(), s.detachGuest)
	s.identMsg = pageErrLabel()

	s.guestState = widget.NewLabel("")
	s.guestState.Importance = widget.LowImportance
	s.guestState.Wrapping = fyne.TextWrapWord
	s.guestName = widget.NewLabel("")
	s.guestName.TextStyle.Bold = true
	s.guestName.SizeName = theme.SizeNameSubHeadingText
	s.guestName.Wrapping = fyne.TextWrapWord
	s.guestGroup = widget.NewLabel("")
	s.guestDiscount = widget.NewLabel("")
	s.guestBalance = widget.NewLabel("")
	s.guestBalance.TextStyle.Bold = true
	s.guestHeld = widget.NewLabel("")
	s.guestHeld.Importance = widget.LowImportance
	s.guestBirthday = widget.NewLabel("")
	s.guestBirthday.Importance = widget.WarningImportance
	s.guestBirthday.TextStyle.Bold = true
	s.guestBlocked = pageErrLabel()
	s.guestBlocked.TextStyle.Bold = true
	s.guestNote = widget.NewLabel("")
	s.guestNote.Wrapping = fyne.TextWrapWord
	s.guestNote.TextStyle.Italic = true

	s.search = s.newEntry()
	s.search.SetPlaceHolder(tr("till.search_ph", "Find a product: name or SKU (F3)"))
	s.search.OnChanged = func(string) { s.loadProducts() }
	s.search.OnSubmitted = func(string) { s.addResult() }
	s.search.onDown = s.focusResults
	s.category = widget.NewSelect(nil, func(string) { s.loadProducts() })
	s.category.PlaceHolder = tr("till.all_categories", "All categories")
	s.results = s.newList(func() int { return len(s.products) }, s.resultRow, s.updateResult)
	s.results.OnSelected = func(id widget.ListItemID) { s.resultSel = id }
	s.results.onKey = s.resultKey
	s.productMsg = widget.NewLabel("")
	s.productMsg.Importance = widget.LowImportance
	s.productMsg.Wrapping = fyne.TextWrapWord

	s.freeName = s.newEntry()
	s.freeName.SetPlaceHolder(tr("till.free_name_ph", "Name (optional)"))
	s.freeName.OnSubmitted = func(string) { s.u.win.Canvas().Focus(s.freeAmount) }
	s.freeAmount = s.newEntry()
	s.freeAmount.SetPlaceHolder(tr("till.free_amount_ph", "Amount, ₽"))
	s.freeAmount.OnSubmitted = func(string) { s.addFree() }
	s.freeAdd = widget.NewButtonWithIcon(tr("till.add", "Add"), theme.ContentAddIcon(), s.addFree)
	s.freeErr = pageErrLabel()

	s.lines = s.newList(func() int { return len(s.order.Lines) }, s.lineRow, s.updateLine)
	s.lines.OnSelected = func(id widget.ListItemID) { s.lineSel = id }
	s.lines.onKey = s.lineKey
	s.lines.onRune = s.lineRune
	s.linesEmpty = widget.NewLabel(tr("till.no_lines", "The order is empty: find a product (F3) or add a free amount (F5)."))
	s.linesEmpty.Importance = widget.LowImportance
	s.linesEmpty.Wrapping = fyne.TextWrapWord

	s.discount = s.newEntry()
	s.discount.SetPlaceHolder("0")
	s.discount.OnChanged = func(string) { s.discountChanged() }
	s.discountErr = pageErrLabel()
	s.points = s.newEntry()
	s.points.SetPlaceHolder("0")
	s.points.OnSubmitted = func(string) { s.applyPoints() }
	s.pointsCap = widget.NewLabel("")
	s.pointsCap.Importance = widget.LowImportance
	s.pointsErr = pageErrLabel()
	s.pointsMax = widget.NewButton(tr("till.points_max", "Max"), s.maxPoints)
	s.pointsApply = widget.NewButton(tr("till.points_apply", "Apply"), s.applyPoints)

	s.totGross = widget.NewLabel("")
	s.totDiscount = widget.NewLabel("")
	s.totPoints = widget.NewLabel("")
	s.totDue = widget.NewLabel("")
	s.totDue.TextStyle.Bold = true
	s.totDue.SizeName = theme.SizeNameHeadingText
	s.totEarn = widget.NewLabel("")
	s.totEarn.Importance = widget.SuccessImportance
	s.orderErr = pageErrLabel()

	s.closeBtn = widget.NewButtonWithIcon(tr("till.close", "Close order (F9)"), theme.ConfirmIcon(), s.closeOrder)
	s.closeBtn.Importance = widget.HighImportance
	s.cancelBtn = widget.NewButtonWithIcon(tr("till.cancel", "Cancel order (F8)"), theme.CancelIcon(), s.cancelOrder)
	s.parkBtn = widget.NewButtonWithIcon(tr("till.park", "Park (F7)"), theme.MediaPauseIcon(), s.park)
	s.parkedSel = widget.NewSelect(nil, s.resumeChosen)
	s.parkedSel.PlaceHolder = tr("till.parked_none", "No parked orders")
	s.receipt = widget.NewLabel("")
	s.receipt.Importance = widget.SuccessImportance
	s.receipt.Wrapping = fyne.TextWrapWord
	s.receipt.Hide()
	s.number = widget.NewLabel("")
	s.number.Importance = widget.LowImportance

	s.initScan()
	s.content = s.layout()
	u.win.Canvas().AddShortcut(shortcutTillClose, func(fyne.Shortcut) {
		if u.tillTab != nil && u.tabs.Selected() == u.tillTab {
			s.closeOrder()
		}
	})
	s.showGuest()
	s.refreshOrder()
	return s
}

// layout puts the screen together: the identify bar across the top; then
// three columns: the guest and the product picker, the order's lines and a
// free amount, and the payment with the buttons.
func (s *tillScreen) layout() fyne.CanvasObject {
	identBar := tillBorder(nil, container.NewVBox(s.identMsg, container.NewHBox(s.sc.attachBtn)), nil, container.NewHBox(s.identBtn, s.removeGuest), s.ident)
	guest := s.guestPanel(container.NewVBox(s.guestState, s.guestName, s.guestBlocked, s.guestBirthday, s.guestGroup,
		s.guestDiscount, s.guestBalance, s.guestHeld, s.guestNote))
	picker := tillBorder(
		container.NewVBox(widget.NewSeparator(), pageHeading(tr("till.products", "Products")),
			tillBorder(nil, nil, nil, s.category, s.search)),
		s.productMsg, nil, nil, s.results)
	s.left = tillBorder(guest, s.scanPanel(), nil, nil, picker)

	free := container.NewVBox(widget.NewSeparator(), tillDim(tr("till.free", "Free amount (F5)")),
		tillBorder(nil, nil, nil, s.freeAdd, container.New(spreadLayout{}, s.freeName, s.freeAmount)), s.freeErr)
	linesArea := container.NewStack(s.lines, container.NewVBox(s.linesEmpty))
	s.middle = tillBorder(
		tillBorder(nil, nil, pageHeading(tr("till.order", "Order")), s.number, nil),
		free, nil, nil, linesArea)

	discount := tillBorder(nil, s.discountErr, tillDim(tr("till.discount", "Discount, %")), nil, s.discount)
	points := container.NewVBox(tillDim(tr("till.points", "Pay with points (F4)")),
		tillBorder(nil, nil, nil, container.NewHBox(s.pointsMax, s.pointsApply), s.points),
		s.pointsCap, s.pointsErr)
	totals := container.New(layout.NewFormLayout(), tillDim(tr("till.total_gross", "Amount")), s.totGross,
		tillDim(tr("till.total_discount", "Discount")), s.totDiscount,
		tillDim(tr("till.total_points", "Paid with points")), s.totPoints,
		tillDim(tr("till.total_due", "To pay")), s.totDue)
	buttons := container.NewVBox(s.closeBtn, container.NewGridWithColumns(2, s.parkBtn, s.cancelBtn), s.parkedSel)
	s.right = container.NewVBox(discount, points, widget.NewSeparator(), totals, s.totEarn, s.orderErr, buttons, s.receipt)

	cols := container.NewHSplit(s.middle, container.NewVScroll(s.right))
	cols.Offset = 0.52
	split := container.NewHSplit(s.left, cols)
	split.Offset = 0.3
	hint := widget.NewLabel(tr("till.keys", "Enter identifies · F2 guest · F3 product · F4 points · F5 free amount · F6 lines (+ - * Del) · F7 park · F8 cancel · F9 or Ctrl+Enter close · F10 camera"))
	hint.Importance = widget.LowImportance
	hint.Wrapping = fyne.TextWrapWord
	s.root = tillBorder(identBar, hint, nil, nil, split)
	return s.root
}

// relayout lays the screen out again after parts were shown or hidden (the
// window does it by itself at its next frame; the test driver does not).
func (s *tillScreen) relayout() {
	if s.root != nil {
		s.root.Refresh()
	}
}

// focus puts the keyboard in the identify entry and reads the catalogue
// again (it may have changed in its tab).
func (s *tillScreen) focus() {
	s.listen()
	s.loadCatalogue()
	s.u.win.Canvas().Focus(s.ident)
}

// identify finds the guest by what was typed and attaches them to the order.
func (s *tillScreen) identify(text string) { s.identifyAs(text, nil) }

// identifyAs finds the guest by what was typed, or by what a device read
// (sc set: its value, then its secondary values), and attaches them to the
// order. A scan is confirmed by a beep and a flash; an unknown scan offers
// to attach the code to a client.
func (s *tillScreen) identifyAs(text string, sc *hardware.Scan) {
	if s.busy {
		return
	}
	s.identMsg.Hide()
	s.hideUnknown()
	s.u.async(func() {
		ctx := s.u.ctx()
		var g app.Guest
		var err error
		if sc != nil {
			g, err = s.identifyScan(ctx, *sc)
		} else {
			g, err = s.u.deps.Till.Identify(ctx, text)
		}
		fyne.Do(func() {
			switch {
			case errors.Is(err, app.ErrBlocked):
				s.showBlocked(g)
				s.confirm(false)
			case errors.Is(err, app.ErrNotFound) && sc != nil:
				s.showUnknown(*sc)
			case errors.Is(err, app.ErrNotFound):
				s.showIdentMsg(tr("till.not_found", "No guest found for «{{.Text}}»: check the number or the card", map[string]any{"Text": strings.TrimSpace(text)}))
				s.confirm(false)
			case err != nil:
				s.showIdentMsg(errorMessage(err))
				s.confirm(false)
			default:
				s.setText(s.ident, "")
				s.attach(g)
				s.confirm(true)
			}
		})
	})
}

func (s *tillScreen) showIdentMsg(msg string) {
	s.identMsg.SetText(msg)
	s.identMsg.Show()
	s.relayout()
	s.u.win.Canvas().Focus(s.ident)
	// The next scan or typing replaces what was not found.
	s.ident.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// attach makes g the order's guest (their discount with them; a hold of
// another guest released).
func (s *tillScreen) attach(g app.Guest) {
	o := s.orderCopy()
	s.u.async(func() {
		err := s.u.deps.Till.Attach(s.u.ctx(), &o, g)
		fyne.Do(func() {
			if err != nil {
				s.showIdentMsg(errorMessage(err))
				return
			}
			s.order.Guest, s.order.Discount, s.order.HoldID, s.order.BonusPay = o.Guest, o.Discount, o.HoldID, o.BonusPay
			s.closedGuest = nil
			s.receipt.Hide()
			s.showDiscount()
			s.showPoints()
			s.showGuest()
			s.refreshOrder()
			s.u.win.Canvas().Focus(s.search)
		})
	})
}

// showBlocked warns of a blocked client (CL-08): the order stays anonymous,
// so a guest attached before is taken off.
func (s *tillScreen) showBlocked(g app.Guest) {
	s.setText(s.ident, "")
	s.dropGuest(func() {
		s.showGuest()
		s.guestState.SetText(tr("till.blocked_state", "The order stays anonymous: no points earned or spent"))
		s.guestState.Show()
		s.guestName.SetText(g.Client.DisplayName())
		s.guestName.Show()
		msg := tr("till.blocked", "Client blocked")
		if r := strings.TrimSpace(g.Client.BlockReason); r != "" {
			msg = tr("till.blocked_reason", "Client blocked: {{.Reason}}", map[string]any{"Reason": r})
		}
		s.guestBlocked.SetText(msg)
		s.guestBlocked.Show()
		s.relayout()
		s.u.win.Canvas().Focus(s.ident)
	})
}

// detachGuest takes the guest off the order, giving a hold back.
func (s *tillScreen) detachGuest() {
	if s.busy {
		return
	}
	s.identMsg.Hide()
	s.dropGuest(func() {
		s.showGuest()
		s.u.win.Canvas().Focus(s.ident)
	})
}

// dropGuest releases the order's hold and makes it anonymous, then calls then.
func (s *tillScreen) dropGuest(then func()) {
	o := s.orderCopy()
	s.u.async(func() {
		err := s.u.deps.Till.Cancel(s.u.ctx(), o) // releases the hold only
		fyne.Do(func() {
			if err != nil {
				s.showIdentMsg(errorMessage(err))
				return
			}
			s.order.Guest, s.order.HoldID, s.order.BonusPay, s.order.Discount = nil, "", 0, 0
			s.closedGuest = nil
			s.showDiscount()
			s.showPoints()
			s.refreshOrder()
			then()
		})
	})
}

// showGuest fills the guest panel from the order's guest, or from the guest
// of the order just closed.
func (s *tillScreen) showGuest() {
	for _, l := range []*widget.Label{s.guestState, s.guestName, s.guestGroup, s.guestDiscount, s.guestBalance,
		s.guestHeld, s.guestBirthday, s.guestBlocked, s.guestNote} {
		l.Hide()
	}
	g := s.order.Guest
	if g == nil {
		g = s.closedGuest
	}
	s.removeGuest.Disable()
	if g == nil {
		s.guestState.SetText(tr("till.anonymous", "Anonymous guest: scan a card or type a phone (F2)"))
		s.guestState.Show()
		s.relayout()
		return
	}
	if s.order.Guest != nil {
		s.removeGuest.Enable()
	} else {
		s.guestState.SetText(tr("till.closed_guest", "The order is closed; the next one has no guest yet"))
		s.guestState.Show()
	}
	tillSet(s.guestName, g.Client.DisplayName())
	if g.GroupName != "" {
		tillSet(s.guestGroup, tr("till.group", "Group: {{.Name}}", map[string]any{"Name": g.GroupName}))
	}
	disc := tr("till.no_discount", "none")
	if g.DiscountBP > 0 {
		disc = percentText(int64(g.DiscountBP))
	}
	tillSet(s.guestDiscount, tr("till.guest_discount", "Discount: {{.Value}}", map[string]any{"Value": disc}))
	tillSet(s.guestBalance, tr("till.balance", "Balance: {{.Points}}", map[string]any{"Points": pointsPhrase(g.Account.Available())}))
	if g.Account.Held > 0 {
		tillSet(s.guestHeld, tr("till.held", "Reserved for orders: {{.Points}}", map[string]any{"Points": pointsPhrase(g.Account.Held)}))
	}
	if g.Birthday {
		tillSet(s.guestBirthday, birthdayBadge(g.BirthdayIn))
	}
	if note := strings.TrimSpace(g.Client.Note); note != "" {
		tillSet(s.guestNote, note)
	}
	s.relayout()
}

// birthdayBadge says when the birthday is: today, in n days, n days ago.
func birthdayBadge(in int) string {
	switch {
	case in == 0:
		return tr("till.birthday_today", "Birthday today!")
	case in > 0:
		return lang.XN("till.birthday_in", "Birthday in {{.Count}} days", in, map[string]any{"Count": in})
	}
	return lang.XN("till.birthday_ago", "Birthday was {{.Count}} days ago", -in, map[string]any{"Count": -in})
}

// loadCatalogue reads the categories, then the products.
func (s *tillScreen) loadCatalogue() {
	if s.u.deps.Catalogue == nil {
		return
	}
	s.u.async(func() {
		cs, err := s.u.deps.Catalogue.Categories(s.u.ctx())
		fyne.Do(func() {
			if err != nil {
				s.productMsg.SetText(errorMessage(err))
				return
			}
			s.categories = cs
			opts := []string{tr("till.all_categories", "All categories")}
			for _, c := range cs {
				opts = append(opts, c.Name)
			}
			sel := s.category.SelectedIndex()
			s.category.SetOptions(opts)
			if sel < 0 || sel >= len(opts) {
				sel = 0
			}
			s.category.OnChanged = nil
			s.category.SetSelectedIndex(sel)
			s.category.OnChanged = func(string) { s.loadProducts() }
			s.loadProducts()
		})
	})
}

// loadProducts lists the products the search and the category pick.
func (s *tillScreen) loadProducts() {
	if s.u.deps.Catalogue == nil {
		return
	}
	q := app.ProductQuery{Text: strings.TrimSpace(s.search.Text), Limit: tillProductLimit}
	if i := s.category.SelectedIndex(); i > 0 && i-1 < len(s.categories) {
		q.CategoryID = s.categories[i-1].ID
	}
	s.productSeq++
	seq := s.productSeq
	s.u.async(func() {
		ps, err := s.u.deps.Catalogue.Products(s.u.ctx(), q)
		fyne.Do(func() {
			if seq != s.productSeq {
				return
			}
			if err != nil {
				s.productMsg.SetText(errorMessage(err))
				s.productMsg.Show()
				return
			}
			s.products = ps
			s.resultSel = -1
			s.results.UnselectAll()
			s.results.Refresh()
			switch {
			case len(ps) == 0 && q.Text == "" && q.CategoryID == "":
				s.productMsg.SetText(tr("till.catalogue_empty", "The catalogue is empty: add products in the Catalogue tab, or sell a free amount (F5)."))
				s.productMsg.Show()
			case len(ps) == 0:
				s.productMsg.SetText(tr("till.no_products", "No product matches «{{.Text}}»", map[string]any{"Text": q.Text}))
				s.productMsg.Show()
			default:
				s.productMsg.Hide()
			}
		})
	})
}

func (s *tillScreen) resultRow() fyne.CanvasObject {
	r := &tillRow{}
	r.name = widget.NewLabel("")
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.price = widget.NewLabel("")
	r.box = container.NewBorder(nil, nil, nil, r.price, r.name)
	r.ExtendBaseWidget(r)
	return r
}

func (s *tillScreen) updateResult(id widget.ListItemID, o fyne.CanvasObject) {
	r := o.(*tillRow)
	if id >= len(s.products) {
		return
	}
	p := s.products[id]
	r.name.SetText(p.Name)
	r.price.SetText(moneyText(p.Price))
	r.onTap = func() {
		s.results.Select(id)
		s.u.win.Canvas().Focus(s.results)
	}
	r.onDouble = func() { s.addProduct(id) }
	r.box.Refresh() // lays the row out for its new texts
}

func (s *tillScreen) focusResults() {
	if len(s.products) == 0 {
		return
	}
	s.u.win.Canvas().Focus(s.results)
	if s.resultSel < 0 {
		s.results.Select(0)
	}
}

func (s *tillScreen) resultKey(k *fyne.KeyEvent) bool {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		s.addResult()
	case fyne.KeyDown:
		s.results.Select(min(s.resultSel+1, len(s.products)-1))
	case fyne.KeyUp:
		if s.resultSel <= 0 {
			s.u.win.Canvas().Focus(s.search)
		} else {
			s.results.Select(s.resultSel - 1)
		}
	case fyne.KeyEscape:
		s.u.win.Canvas().Focus(s.search)
	default:
		return false
	}
	return true
}

// addResult adds the chosen result, or the first one.
func (s *tillScreen) addResult() {
	if len(s.products) == 0 {
		return
	}
	s.addProduct(max(s.resultSel, 0))
}

// addProduct adds a product to the order: one more piece when it is the
// last line already.
func (s *tillScreen) addProduct(i int) {
	if s.busy || i < 0 || i >= len(s.products) {
		return
	}
	p := s.products[i]
	if n := len(s.order.Lines); n > 0 {
		last := &s.order.Lines[n-1]
		if last.ProductID == p.ID && !last.Voided {
			last.Quantity = last.Qty() + 1000
			s.changed()
		} else {
			s.addLine(app.LineInput{ProductID: p.ID, CategoryID: p.CategoryID, Name: p.Name, Quantity: 1000, Price: p.Price})
		}
	} else {
		s.addLine(app.LineInput{ProductID: p.ID, CategoryID: p.CategoryID, Name: p.Name, Quantity: 1000, Price: p.Price})
	}
	s.setText(s.search, "")
	s.loadProducts()
	s.u.win.Canvas().Focus(s.search)
}

// addFree adds a line of a free amount.
func (s *tillScreen) addFree() {
	if s.busy {
		return
	}
	s.freeErr.Hide()
	v, ok, fe := parseRoubles(s.freeAmount.Text, app.FieldAmount)
	if fe == nil && (!ok || v <= 0) {
		fe = &app.FieldError{Field: app.FieldAmount, Reason: app.ReasonNotPositive}
	}
	if fe != nil {
		s.freeErr.SetText(fieldMessage(*fe))
		s.freeErr.Show()
		s.relayout()
		s.u.win.Canvas().Focus(s.freeAmount)
		return
	}
	name := strings.TrimSpace(s.freeName.Text)
	if name == "" {
		name = tr("till.free_line", "Free amount")
	}
	s.addLine(app.LineInput{Name: name, Quantity: 1000, Price: v})
	s.setText(s.freeName, "")
	s.setText(s.freeAmount, "")
	s.u.win.Canvas().Focus(s.freeName)
}

func (s *tillScreen) addLine(l app.LineInput) {
	s.order.Lines = append(s.order.Lines, l)
	s.lineSel = len(s.order.Lines) - 1
	s.changed()
	s.lines.Select(s.lineSel)
	s.lines.ScrollToBottom()
}

// changed is called after the cashier changes the order: the guest of the
// order just closed gives way, and the order is quoted again.
func (s *tillScreen) changed() {
	if s.closedGuest != nil {
		s.closedGuest = nil
		s.showGuest()
	}
	s.receipt.Hide()
	s.refreshOrder()
}

// tillLineRow is a line of the order on two rows: the name and the amount;
// then quantity −/+ with the price, void and remove.
type tillLineRow struct {
	widget.BaseWidget
	name, qty, price, amount *widget.Label
	minus, plus, void, drop  *widget.Button
	box                      *fyne.Container
}

func (r *tillLineRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

func (s *tillScreen) lineRow() fyne.CanvasObject {
	r := &tillLineRow{name: widget.NewLabel(""), qty: widget.NewLabel(""), price: widget.NewLabel(""), amount: widget.NewLabel("")}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.name.TextStyle.Bold = true
	r.price.Importance = widget.LowImportance
	r.price.Truncation = fyne.TextTruncateEllipsis
	r.amount.TextStyle.Bold = true
	r.minus = widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), nil)
	r.plus = widget.NewButtonWithIcon("", theme.ContentAddIcon(), nil)
	r.void = widget.NewButtonWithIcon(tr("till.void", "Void"), theme.ContentUndoIcon(), nil)
	r.drop = widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)
	r.box = container.NewVBox(
		container.NewBorder(nil, nil, nil, r.amount, r.name),
		container.NewBorder(nil, nil, container.NewHBox(r.minus, r.qty, r.plus), container.NewHBox(r.void, r.drop), r.price))
	r.ExtendBaseWidget(r)
	return r
}

func (s *tillScreen) updateLine(id widget.ListItemID, o fyne.CanvasObject) {
	r := o.(*tillLineRow)
	if id >= len(s.order.Lines) {
		return
	}
	l := s.order.Lines[id]
	name := l.Name
	if l.Voided {
		name = tr("till.voided", "{{.Name}} (voided)", map[string]any{"Name": l.Name})
	}
	r.name.SetText(name)
	r.qty.SetText(moneyQty(l.Qty()))
	r.price.SetText("× " + moneyText(l.Price))
	r.amount.SetText(moneyText(l.Gross()))
	r.void.SetText(tr("till.void", "Void"))
	if l.Voided {
		r.void.SetText(tr("till.unvoid", "Restore"))
	}
	for _, lb := range []*widget.Label{r.name, r.qty, r.amount} {
		lb.TextStyle.Strikethrough = l.Voided
		lb.Importance = widget.MediumImportance
		if l.Voided {
			lb.Importance = widget.LowImportance
		}
		lb.Refresh()
	}
	tillEnable(r.minus, !l.Voided && l.Qty() > 1000)
	tillEnable(r.plus, !l.Voided)
	r.minus.OnTapped = func() { s.lineQtyBy(id, -1000) }
	r.plus.OnTapped = func() { s.lineQtyBy(id, 1000) }
	r.void.OnTapped = func() { s.toggleVoid(id) }
	r.drop.OnTapped = func() { s.removeLine(id) }
	r.box.Refresh() // lays the row out for its new texts
}

func (s *tillScreen) lineKey(k *fyne.KeyEvent) bool {
	switch k.Name {
	case fyne.KeyDown:
		s.lines.Select(min(s.lineSel+1, len(s.order.Lines)-1))
	case fyne.KeyUp:
		s.lines.Select(max(s.lineSel-1, 0))
	case fyne.KeyDelete:
		s.removeLine(s.lineSel)
	case fyne.KeyEscape:
		s.u.win.Canvas().Focus(s.search)
	default:
		return false
	}
	return true
}

func (s *tillScreen) lineRune(r rune) {
	switch r {
	case '+', '=':
		s.lineQtyBy(s.lineSel, 1000)
	case '-', '−':
		s.lineQtyBy(s.lineSel, -1000)
	case '*':
		s.toggleVoid(s.lineSel)
	}
}

// lineQtyBy changes a line's quantity by delta thousandths, never below one.
func (s *tillScreen) lineQtyBy(i int, delta int64) {
	if s.busy || i < 0 || i >= len(s.order.Lines) || s.order.Lines[i].Voided {
		return
	}
	l := &s.order.Lines[i]
	q := l.Qty() + delta
	if q < 1000 {
		return
	}
	l.Quantity = q
	s.changed()
}

// toggleVoid voids a line or brings it back: a voided line stays on the
// receipt struck out and earns nothing.
func (s *tillScreen) toggleVoid(i int) {
	if s.busy || i < 0 || i >= len(s.order.Lines) {
		return
	}
	s.order.Lines[i].Voided = !s.order.Lines[i].Voided
	s.changed()
}

func (s *tillScreen) removeLine(i int) {
	if s.busy || i < 0 || i >= len(s.order.Lines) {
		return
	}
	s.order.Lines = append(s.order.Lines[:i:i], s.order.Lines[i+1:]...)
	s.lines.UnselectAll()
	s.lineSel = min(i, len(s.order.Lines)-1)
	if s.lineSel >= 0 {
		s.lines.Select(s.lineSel)
	}
	s.changed()
}

// discountChanged takes the percentage the cashier types.
func (s *tillScreen) discountChanged() {
	if s.settingText {
		return
	}
	bp, ok := parsePercent(s.discount.Text)
	if !ok {
		s.discountErr.SetText(tr("till.discount_bad", "Discount: «{{.Value}}» is not a percentage from 0 to 100", map[string]any{"Value": strings.TrimSpace(s.discount.Text)}))
		s.discountErr.Show()
		s.relayout()
		return
	}
	s.discountErr.Hide()
	if bp != s.order.Discount {
		s.order.Discount = bp
		s.changed()
	}
}

// parsePercent reads "10", "7,5" or "" (none) as basis points, 0…10000.
func parsePercent(text string) (int, bool) {
	v, _, ok := parsePercentText(text)
	if !ok || v < 0 || v > 10000 {
		return 0, false
	}
	return int(v), true
}

func (s *tillScreen) showDiscount() {
	s.discountErr.Hide()
	txt := moneyPercentInput(int64(s.order.Discount))
	s.setText(s.discount, txt)
}

func (s *tillScreen) showPoints() {
	s.pointsErr.Hide()
	txt := ""
	if s.order.BonusPay > 0 {
		txt = moneyPoints(s.order.BonusPay)
	}
	s.setText(s.points, txt)
}

// maxPoints pays as much as the order allows.
func (s *tillScreen) maxPoints() {
	if s.quote == nil {
		return
	}
	s.setText(s.points, moneyPoints(s.quote.PayCap))
	s.applyPoints()
}

// applyPoints holds the points typed to pay the order (BN-07): errors show
// under the field and hold nothing.
func (s *tillScreen) applyPoints() {
	if s.busy {
		return
	}
	s.pointsErr.Hide()
	v, _, fe := parseRoubles(s.points.Text, app.FieldBonusPay)
	if fe != nil {
		s.showPointsErr(fieldMessage(*fe))
		return
	}
	o := s.orderCopy()
	s.u.async(func() {
		err := s.u.deps.Till.PayWithPoints(s.u.ctx(), &o, v)
		fyne.Do(func() {
			if err != nil {
				s.showPointsErr(errorMessage(err))
				return
			}
			s.order.HoldID, s.order.BonusPay = o.HoldID, o.BonusPay
			s.showPoints()
			s.refreshGuest()
			s.changed()
		})
	})
}

func (s *tillScreen) showPointsErr(msg string) {
	s.pointsErr.SetText(msg)
	s.pointsErr.Show()
	s.relayout()
	s.u.win.Canvas().Focus(s.points)
}

// refreshGuest reads the order's guest again (their balance moved).
func (s *tillScreen) refreshGuest() {
	g := s.order.Guest
	if g == nil {
		return
	}
	id := g.Client.ID
	s.u.async(func() {
		ng, err := s.u.deps.Till.Guest(s.u.ctx(), id)
		fyne.Do(func() {
			if err != nil || s.order.Guest == nil || s.order.Guest.Client.ID != id {
				return
			}
			s.order.Guest = &ng
			s.showGuest()
		})
	})
}

// refreshOrder shows the lines and asks for a fresh quote.
func (s *tillScreen) refreshOrder() {
	s.number.SetText(tr("till.number", "No. {{.Number}}", map[string]any{"Number": s.order.Number}))
	if len(s.order.Lines) == 0 {
		s.linesEmpty.Show()
	} else {
		s.linesEmpty.Hide()
	}
	s.lines.Refresh()
	s.updateButtons()
	s.quoteSeq++
	seq := s.quoteSeq
	o := s.orderCopy()
	s.u.async(func() {
		q, err := s.u.deps.Till.Quote(s.u.ctx(), o)
		fyne.Do(func() {
			if seq == s.quoteSeq {
				s.showQuote(q, err)
			}
		})
	})
}

// showQuote shows the totals of a quote, or its errors under their fields.
func (s *tillScreen) showQuote(q app.Quote, err error) {
	s.orderErr.Hide()
	if err != nil {
		s.quote = nil
		s.showOrderErr(err)
		s.totDue.SetText("—")
		s.totEarn.SetText("")
		s.updateButtons()
		s.relayout()
		return
	}
	s.quote = &q
	s.pointsErr.Hide()
	p := q.Purchase
	s.totGross.SetText(moneyText(p.Sold + p.Discount))
	disc := moneyText(p.Discount)
	if s.order.Discount > 0 {
		disc += " (" + percentText(int64(s.order.Discount)) + ")"
	}
	s.totDiscount.SetText(disc)
	s.totPoints.SetText(moneyText(p.BonusSpent))
	s.totDue.SetText(moneyText(p.Paid))
	if s.order.Guest != nil {
		s.totEarn.SetText(tr("till.will_earn", "Will earn: {{.Points}}", map[string]any{"Points": pointsPhrase(q.Accrued())}))
	} else {
		s.totEarn.SetText(tr("till.no_earn", "Anonymous order: earns no points"))
	}
	switch {
	case s.order.Guest == nil:
		s.pointsCap.SetText(tr("till.points_no_guest", "Identify the guest to pay with points"))
	case q.PayCap <= 0:
		s.pointsCap.SetText(tr("till.points_none", "Points cannot pay this order ({{.Points}} available)", map[string]any{"Points": pointsPhrase(q.Available)}))
	default:
		s.pointsCap.SetText(tr("till.points_cap", "Up to {{.Cap}} · available {{.Points}}", map[string]any{"Cap": pointsPhrase(q.PayCap), "Points": pointsPhrase(q.Available)}))
	}
	s.updateButtons()
	s.relayout()
}

// showOrderErr puts an error of the order under its field.
func (s *tillScreen) showOrderErr(err error) {
	fes := app.FieldErrors(err)
	if len(fes) == 0 {
		s.orderErr.SetText(errorMessage(err))
		s.orderErr.Show()
		return
	}
	var other []string
	for _, fe := range fes {
		switch fe.Field {
		case app.FieldBonusPay:
			s.pointsErr.SetText(fieldMessage(fe))
			s.pointsErr.Show()
		case app.FieldDiscount:
			s.discountErr.SetText(fieldMessage(fe))
			s.discountErr.Show()
		default:
			other = append(other, fieldMessage(fe))
		}
	}
	if len(other) > 0 {
		s.orderErr.SetText(strings.Join(other, "\n"))
		s.orderErr.Show()
	}
}

func (s *tillScreen) updateButtons() {
	tillEnable(s.closeBtn, !s.busy && len(s.order.Lines) > 0 && s.quote != nil)
	tillEnable(s.cancelBtn, !s.busy && s.dirty())
	tillEnable(s.parkBtn, !s.busy && s.dirty())
	tillEnable(s.pointsApply, !s.busy && s.order.Guest != nil)
	tillEnable(s.pointsMax, !s.busy && s.order.Guest != nil && s.quote != nil && s.quote.PayCap > 0)
	if len(s.parked) == 0 {
		s.parkedSel.Disable()
	} else {
		s.parkedSel.Enable()
	}
}

// dirty reports whether the order has anything to lose.
func (s *tillScreen) dirty() bool { return len(s.order.Lines) > 0 || s.order.Guest != nil }

// closeOrder records the order (PU-03), shows its receipt and the guest's
// new balance, and starts the next order.
func (s *tillScreen) closeOrder() {
	if s.busy {
		return
	}
	if len(s.order.Lines) == 0 {
		s.orderErr.SetText(tr("till.empty_close", "Add a product or an amount before closing"))
		s.orderErr.Show()
		return
	}
	s.busy = true
	s.updateButtons()
	o := s.orderCopy()
	s.u.async(func() {
		ctx := s.u.ctx()
		p, err := s.u.deps.Till.Close(ctx, o)
		var g *app.Guest
		if err == nil && p.ClientID != "" {
			if ng, gerr := s.u.deps.Till.Guest(ctx, p.ClientID); gerr == nil {
				g = &ng
			}
		}
		fyne.Do(func() {
			s.busy = false
			if err != nil {
				s.showOrderErr(err)
				s.updateButtons()
				return
			}
			s.newOrder()
			s.closedGuest = g
			s.showGuest()
			s.showReceipt(p, g)
			s.u.win.Canvas().Focus(s.ident)
		})
	})
}

// showReceipt sums up a closed order.
func (s *tillScreen) showReceipt(p app.Purchase, g *app.Guest) {
	data := map[string]any{"Number": p.Number, "Paid": moneyText(p.Paid), "Spent": pointsPhrase(p.BonusSpent), "Earned": pointsPhrase(p.BonusAccrued)}
	text := tr("till.receipt", "Order {{.Number}} closed. Paid: {{.Paid}}; points spent: {{.Spent}}; points earned: {{.Earned}}.", data)
	if g != nil {
		text += "\n" + tr("till.receipt_balance", "{{.Name}} now has {{.Points}}", map[string]any{"Name": g.Client.DisplayName(), "Points": pointsPhrase(g.Account.Available())})
	}
	s.receipt.SetText(text)
	s.receipt.Show()
	s.relayout()
}

// cancelOrder drops the order, giving its held points back; an order with
// lines asks first.
func (s *tillScreen) cancelOrder() {
	if s.busy || !s.dirty() {
		return
	}
	do := func() {
		s.busy = true
		s.updateButtons()
		o := s.orderCopy()
		s.u.async(func() {
			err := s.u.deps.Till.Cancel(s.u.ctx(), o)
			fyne.Do(func() {
				s.busy = false
				if err != nil {
					s.showOrderErr(err)
					s.updateButtons()
					return
				}
				s.newOrder()
				s.showGuest()
				s.u.win.Canvas().Focus(s.ident)
			})
		})
	}
	if len(s.order.Lines) == 0 {
		do()
		return
	}
	d := dialog.NewConfirm(tr("till.cancel_title", "Cancel the order?"),
		tr("till.cancel_text", "The lines are dropped and the points held for the order go back to the guest."),
		func(ok bool) {
			if ok {
				do()
			}
		}, s.u.win)
	d.SetConfirmText(tr("till.cancel_confirm", "Cancel the order"))
	d.SetDismissText(tr("till.cancel_keep", "Keep it"))
	d.Show()
}

// newOrder starts an empty, anonymous order.
func (s *tillScreen) newOrder() {
	s.order = s.u.deps.Till.NewOrder()
	s.quote = nil
	s.closedGuest = nil
	s.lineSel = -1
	s.lines.UnselectAll()
	s.receipt.Hide()
	s.orderErr.Hide()
	s.identMsg.Hide()
	s.freeErr.Hide()
	s.showDiscount()
	s.showPoints()
	s.refreshOrder()
}

// park puts the order aside (its hold stays) and starts a new one.
func (s *tillScreen) park() {
	if s.busy || !s.dirty() {
		return
	}
	if len(s.parked) >= tillMaxParked {
		s.orderErr.SetText(tr("till.park_full", "At most {{.Count}} orders can be parked: close or cancel one first", map[string]any{"Count": tillMaxParked}))
		s.orderErr.Show()
		return
	}
	s.parked = append(s.parked, s.orderCopy())
	s.showParked()
	s.newOrder()
	s.showGuest()
	s.u.win.Canvas().Focus(s.ident)
}

func (s *tillScreen) showParked() {
	opts := make([]string, len(s.parked))
	for i, o := range s.parked {
		who := tr("till.parked_anonymous", "anonymous")
		if o.Guest != nil {
			who = o.Guest.Client.DisplayName()
		}
		var sum int64
		for _, l := range o.Lines {
			if !l.Voided {
				sum += l.Gross()
			}
		}
		opts[i] = tr("till.parked_item", "{{.N}}. {{.Who}} · {{.Sum}}", map[string]any{"N": i + 1, "Who": who, "Sum": moneyText(sum)})
	}
	s.parkedSel.OnChanged = nil
	s.parkedSel.ClearSelected()
	s.parkedSel.SetOptions(opts)
	s.parkedSel.OnChanged = s.resumeChosen
	if len(opts) > 0 {
		s.parkedSel.PlaceHolder = lang.XN("till.parked", "Parked orders: {{.Count}}", len(opts), map[string]any{"Count": len(opts)})
	} else {
		s.parkedSel.PlaceHolder = tr("till.parked_none", "No parked orders")
	}
	s.parkedSel.Refresh()
	s.updateButtons()
}

func (s *tillScreen) resumeChosen(string) {
	if i := s.parkedSel.SelectedIndex(); i >= 0 {
		s.resume(i)
	}
}

// resume brings a parked order back; the order on screen, if any, takes its
// place among the parked ones.
func (s *tillScreen) resume(i int) {
	if s.busy || i < 0 || i >= len(s.parked) {
		return
	}
	o := s.parked[i]
	s.parked = append(s.parked[:i:i], s.parked[i+1:]...)
	if s.dirty() {
		s.parked = append(s.parked, s.orderCopy())
	}
	s.order = o
	s.quote = nil
	s.closedGuest = nil
	s.lineSel = -1
	s.lines.UnselectAll()
	s.receipt.Hide()
	s.showParked()
	s.showDiscount()
	s.showPoints()
	s.showGuest()
	s.refreshGuest()
	s.refreshOrder()
	s.u.win.Canvas().Focus(s.search)
}

// showExample sets up the till for screenshots: the guest with the most
// visits, a few products (or free amounts), and points paying part.
func (s *tillScreen) showExample() { s.example(true) }

// showCameraExample sets up the till for the camera's screenshot: a few
// products and no guest, who comes from the camera.
func (s *tillScreen) showCameraExample() {
	s.u.app.Preferences().SetBool(prefTillPreview, true)
	s.showPreview()
	s.example(false)
}

func (s *tillScreen) example(withGuest bool) {
	s.loadCatalogue()
	s.u.async(func() {
		ctx := s.u.ctx()
		cs, err := s.u.deps.Clients.Search(ctx, app.ClientQuery{Sort: app.SortVisits, Desc: true, Limit: 20})
		if err != nil {
			fyne.Do(func() { s.u.showError(err) })
			return
		}
		o := s.u.deps.Till.NewOrder()
		var pick *app.Guest // the most frequent guest, one with points if any
		for _, c := range cs {
			if c.Blocked {
				continue
			}
			g, err := s.u.deps.Till.Guest(ctx, c.ID)
			if err != nil {
				continue
			}
			if pick == nil || (pick.Account.Available() <= 0 && g.Account.Available() > 0) {
				pick = &g
			}
			if pick.Account.Available() > 0 {
				break
			}
		}
		if pick != nil && withGuest {
			_ = s.u.deps.Till.Attach(ctx, &o, *pick)
		}
		var ps []app.Product
		if s.u.deps.Catalogue != nil {
			ps, _ = s.u.deps.Catalogue.Products(ctx, app.ProductQuery{Limit: 3})
		}
		for i, p := range ps {
			o.Lines = append(o.Lines, app.LineInput{ProductID: p.ID, CategoryID: p.CategoryID, Name: p.Name, Quantity: int64(1000 * (1 + i%2)), Price: p.Price})
		}
		if len(ps) == 0 {
			o.Lines = append(o.Lines, app.LineInput{Name: tr("till.free_line", "Free amount"), Quantity: 1000, Price: 45000},
				app.LineInput{Name: tr("till.free_line", "Free amount"), Quantity: 1000, Price: 18000})
		}
		if q, err := s.u.deps.Till.Quote(ctx, o); err == nil && q.PayCap > 0 {
			pay := max(q.PayCap/2/100*100, min(q.PayCap, 100))
			_ = s.u.deps.Till.PayWithPoints(ctx, &o, pay)
		}
		if o.Guest != nil {
			if g, err := s.u.deps.Till.Guest(ctx, o.Guest.Client.ID); err == nil {
				o.Guest = &g
			}
		}
		fyne.Do(func() {
			if !withGuest && s.order.Guest != nil {
				o.Guest, o.Discount = s.order.Guest, s.order.Guest.DiscountBP // the camera was first
			}
			s.order = o
			s.quote = nil
			s.closedGuest = nil
			s.receipt.Hide()
			s.showDiscount()
			s.showPoints()
			s.showGuest()
			s.refreshOrder()
			s.u.win.Canvas().Focus(s.search)
		})
	})
}

// orderCopy is the order with its own slice of lines, to hand to another goroutine.
func (s *tillScreen) orderCopy() app.Order {
	o := s.order
	o.Lines = append([]app.LineInput(nil), s.order.Lines...)
	return o
}

// setText sets an entry's text without it counting as the cashier's typing.
func (s *tillScreen) setText(e *tillEntry, text string) {
	s.settingText = true
	e.SetText(text)
	s.settingText = false
}

// key handles the till's keys wherever the focus is in it.
func (s *tillScreen) key(k *fyne.KeyEvent) bool {
	c := s.u.win.Canvas()
	switch k.Name {
	case fyne.KeyF2:
		c.Focus(s.ident)
	case fyne.KeyF3:
		c.Focus(s.search)
	case fyne.KeyF4:
		c.Focus(s.points)
	case fyne.KeyF5:
		c.Focus(s.freeName)
	case fyne.KeyF6:
		c.Focus(s.lines)
		if s.lineSel < 0 && len(s.order.Lines) > 0 {
			s.lines.Select(len(s.order.Lines) - 1)
		}
	case fyne.KeyF7:
		s.park()
	case fyne.KeyF8:
		s.cancelOrder()
	case fyne.KeyF9:
		s.closeOrder()
	case fyne.KeyF10:
		if !s.sc.hasCamera {
			return false
		}
		s.togglePreview()
	default:
		return false
	}
	return true
}

// tillEntry is an entry of the till: the till's keys work in it, Esc clears
// it, and Down can lead somewhere.
type tillEntry struct {
	widget.Entry
	s      *tillScreen
	onDown func()
}

func (s *tillScreen) newEntry() *tillEntry {
	e := &tillEntry{s: s}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey handles the till's keys before the entry's own; Enter after a
// scanner's burst is a scan.
func (e *tillEntry) TypedKey(k *fyne.KeyEvent) {
	if (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && e.s.wedgeEnter() {
		return
	}
	if e.s.key(k) {
		return
	}
	switch {
	case k.Name == fyne.KeyDown && e.onDown != nil:
		e.onDown()
	case k.Name == fyne.KeyEscape:
		e.SetText("")
	default:
		e.Entry.TypedKey(k)
	}
}

// TypedRune stamps the character for the wedge detector, then types it.
func (e *tillEntry) TypedRune(r rune) {
	e.s.stamp(r, e)
	e.Entry.TypedRune(r)
}

// TypedShortcut closes the order on Ctrl+Enter.
func (e *tillEntry) TypedShortcut(sc fyne.Shortcut) {
	if sc.ShortcutName() == shortcutTillClose.ShortcutName() {
		e.s.closeOrder()
		return
	}
	e.Entry.TypedShortcut(sc)
}

// tillList is a list of the till with keys of its own.
type tillList struct {
	widget.List
	s      *tillScreen
	onKey  func(*fyne.KeyEvent) bool
	onRune func(rune)
}

func (s *tillScreen) newList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *tillList {
	l := &tillList{s: s}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey handles the till's keys, then the list's own; Enter after a
// scanner's burst is a scan.
func (l *tillList) TypedKey(k *fyne.KeyEvent) {
	if (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && l.s.wedgeEnter() {
		return
	}
	if l.s.key(k) || (l.onKey != nil && l.onKey(k)) {
		return
	}
	l.List.TypedKey(k)
}

// TypedRune passes typed characters to the list's handler.
func (l *tillList) TypedRune(r rune) {
	burst := l.s.inBurst()
	l.s.stamp(r, nil)
	if burst {
		return // a scanner typing, not the cashier's + - *
	}
	if l.onRune != nil {
		l.onRune(r)
	}
}

// tillRow is a product in the picker: a tap chooses it, a double tap adds it.
type tillRow struct {
	widget.BaseWidget
	name, price     *widget.Label
	box             *fyne.Container
	onTap, onDouble func()
}

func (r *tillRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

// Tapped chooses the product.
func (r *tillRow) Tapped(*fyne.PointEvent) {
	if r.onTap != nil {
		r.onTap()
	}
}

// DoubleTapped adds the product to the order.
func (r *tillRow) DoubleTapped(*fyne.PointEvent) {
	if r.onDouble != nil {
		r.onDouble()
	}
}

// tillBorder is container.NewBorder with its parts in reading order (top,
// left, centre, right, bottom), so Tab walks them the way the eye does.
func tillBorder(top, bottom, left, right, center fyne.CanvasObject) *fyne.Container {
	var objs []fyne.CanvasObject
	for _, o := range []fyne.CanvasObject{top, left, center, right, bottom} {
		if o != nil {
			objs = append(objs, o)
		}
	}
	return container.New(layout.NewBorderLayout(top, bottom, left, right), objs...)
}

func tillDim(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = widget.LowImportance
	return l
}

func tillSet(l *widget.Label, text string) {
	l.SetText(text)
	l.Show()
}

func tillEnable(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// pointsPhrase writes points with the word in the right form: 1 балл,
// 3 балла, 5 баллов, 2,5 балла.
func pointsPhrase(v int64) string {
	n := moneyPoints(v)
	if v%100 != 0 {
		return tr("till.points_frac", "{{.Count}} points", map[string]any{"Count": n})
	}
	whole := v / 100
	if whole < 0 {
		whole = -whole
	}
	return lang.XN("till.points_n", "{{.Count}} points", int(whole), map[string]any{"Count": n})
}
