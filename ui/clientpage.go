package ui

// The client page (CL-01, CL-02, CL-03, CL-07…CL-11, CL-16, CL-19): a
// window-sized view that covers the client list inside the Clients tab, with
// a "← Back to list" button (Esc in a field of the page, or Alt+Left anywhere,
// goes back). The list stays alive underneath, hidden, so its scroll position
// and search survive. A page opened from another page (a referral, the
// referrer) goes back to that page first.
//
// Hooks between the list (ui/clients.go) and the page:
//   - the list calls u.openClient(id) to open a client's page;
//   - the page calls u.clientChanged(id) after every change it saves
//     (including a delete, after which Get returns app.ErrNotFound); the list
//     sets u.onClientChanged to refresh that row. Unset, it is a no-op.
//
// Tabs show only what has data today; with the money side wired, the bonus
// accounts, operation history and accumulation history tabs and the
// purchase and gift actions come from clientmoney.go.

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// pageReferralsLimit is how many referred clients the Referrals tab lists.
const pageReferralsLimit = 500

// pageState is the client-page part of the UI: the Clients tab's area, the
// open page and the way back.
type pageState struct {
	// area is the content of the Clients tab: the list, and a page over it.
	area *fyne.Container
	open *clientPage
	// trail holds the pages to go back to before the list.
	trail []pageCrumb
	// keys is the window's key handler from before the page opened.
	keys func(*fyne.KeyEvent)
}

type pageCrumb struct{ id, name string }

var (
	shortcutBack    = &desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierAlt}
	shortcutSave    = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutNextTab = &desktop.CustomShortcut{KeyName: fyne.KeyTab, Modifier: fyne.KeyModifierControl}
	shortcutPrevTab = &desktop.CustomShortcut{KeyName: fyne.KeyTab, Modifier: fyne.KeyModifierControl | fyne.KeyModifierShift}
)

// openClient shows the page of the client with id in the Clients tab. Called
// while another client's page is open, Back returns to that page.
func (u *UI) openClient(id string) {
	if u.pages.area == nil {
		return
	}
	if p := u.pages.open; p != nil {
		if p.id == id {
			p.load()
			return
		}
		u.pages.trail = append(u.pages.trail, pageCrumb{p.id, p.c.DisplayName()})
	} else {
		c := u.win.Canvas()
		u.pages.keys = c.OnTypedKey()
		c.SetOnTypedKey(u.pageKey)
	}
	u.showPage(newClientPage(u, id))
}

// clientChanged tells the list that the client with id changed or was
// deleted. It is safe to call when no list hook is set.
func (u *UI) clientChanged(id string) {
	if u.onClientChanged != nil {
		u.onClientChanged(id)
	}
}

func (u *UI) showPage(p *clientPage) {
	u.pages.open = p
	p.setBackText()
	for _, o := range u.pages.area.Objects {
		o.Hide()
	}
	u.pages.area.Objects = []fyne.CanvasObject{u.pages.area.Objects[0], p.content}
	u.pages.area.Refresh()
	if u.tabs.Selected() != u.clientsTab {
		u.tabs.Select(u.clientsTab)
	}
	u.win.SetMainMenu(u.pageMenu())
	p.load()
	// Nothing of the page has the focus at first, so a stray key edits
	// nothing (and none reaches the hidden search box); Tab enters the page,
	// Esc goes back.
	u.win.Canvas().Unfocus()
}

// closeClientPage goes back: to the page this one was opened from, or to the
// list.
func (u *UI) closeClientPage() {
	if u.pages.open == nil {
		return
	}
	if n := len(u.pages.trail); n > 0 {
		prev := u.pages.trail[n-1]
		u.pages.trail = u.pages.trail[:n-1]
		u.showPage(newClientPage(u, prev.id))
		return
	}
	u.pages.open = nil
	list := u.pages.area.Objects[0]
	u.pages.area.Objects = []fyne.CanvasObject{list}
	list.Show()
	u.pages.area.Refresh()
	u.win.Canvas().SetOnTypedKey(u.pages.keys)
	u.win.SetMainMenu(u.menu())
	u.win.Canvas().Focus(u.clients.search)
}

// toList closes the client page, and the pages it was opened from, and then
// calls then (asking first when edits are unsaved). Without a page it calls
// then at once.
func (u *UI) toList(then func()) {
	p := u.pages.open
	if p == nil {
		then()
		return
	}
	p.leave(func() {
		u.pages.trail = nil
		u.closeClientPage()
		then()
	})
}

// dropPage closes the page for good (its client is gone): the trail leads
// back to pages that still exist.
func (u *UI) dropPage(id string) {
	trail := u.pages.trail[:0]
	for _, c := range u.pages.trail {
		if c.id != id {
			trail = append(trail, c)
		}
	}
	u.pages.trail = trail
	u.closeClientPage()
}

// pageKey handles keys no widget took while a page is open: Esc goes back.
func (u *UI) pageKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && u.pages.open != nil && u.win.Canvas().Overlays().Top() == nil {
		u.pages.open.goBack()
		return
	}
	if u.pages.keys != nil {
		u.pages.keys(k)
	}
}

// pageMenu is the main menu with a Client menu whose shortcuts work whatever
// has the focus: Back, Save, next and previous tab.
func (u *UI) pageMenu() *fyne.MainMenu {
	onPage := func(f func(p *clientPage)) func() {
		return func() {
			if p := u.pages.open; p != nil && u.tabs.Selected() == u.clientsTab && u.win.Canvas().Overlays().Top() == nil {
				f(p)
			}
		}
	}
	back := fyne.NewMenuItem(tr("page.menu.back", "Back"), onPage((*clientPage).goBack))
	back.Shortcut = shortcutBack
	savePage := onPage((*clientPage).saveCurrent)
	save := fyne.NewMenuItem(tr("page.menu.save", "Save"), func() {
		// The menu takes Ctrl+S before the window does: on the rule editor it
		// saves the rules, never a client page hidden behind another tab.
		if u.rules != nil && u.tabs.Selected() == u.rulesTab && u.win.Canvas().Overlays().Top() == nil {
			u.rules.save()
			return
		}
		savePage()
	})
	save.Shortcut = shortcutSave
	next := fyne.NewMenuItem(tr("page.menu.next_tab", "Next tab"), onPage(func(p *clientPage) { p.stepTab(1) }))
	next.Shortcut = shortcutNextTab
	prev := fyne.NewMenuItem(tr("page.menu.prev_tab", "Previous tab"), onPage(func(p *clientPage) { p.stepTab(-1) }))
	prev.Shortcut = shortcutPrevTab
	m := u.menu()
	client := fyne.NewMenu(tr("page.menu", "Client"), back, save, fyne.NewMenuItemSeparator(), next, prev)
	items := append([]*fyne.Menu{}, m.Items[:len(m.Items)-1]...)
	m.Items = append(append(items, client), m.Items[len(m.Items)-1])
	return m
}

// focusClientsTab puts the focus where the Clients tab wants it.
func (u *UI) focusClientsTab() {
	if u.pages.open != nil {
		u.win.Canvas().Unfocus()
		return
	}
	u.win.Canvas().Focus(u.clients.search)
}

// openRichestClient opens the page of a client with plenty on it, for the
// client-page screenshot: the most visits, with a phone and tags.
func (u *UI) openRichestClient() {
	u.openBusiestClient(func(ctx context.Context, cs []app.Client) string {
		ids := make([]string, len(cs))
		for i, c := range cs {
			ids[i] = c.ID
		}
		extras, _ := u.deps.Clients.Extras(ctx, ids)
		for _, c := range cs {
			if c.Phone != "" && len(extras[c.ID].Tags) > 0 {
				return c.ID
			}
		}
		return cs[0].ID
	}, nil)
}

// openBusiestClient reads the 50 clients with the most visits off the UI
// goroutine, lets pick choose one of them (also off the UI goroutine), opens
// that client's page and then calls then (if set) with it, for screenshots.
func (u *UI) openBusiestClient(pick func(ctx context.Context, cs []app.Client) string, then func(p *clientPage)) {
	u.async(func() {
		ctx := u.ctx()
		cs, err := u.deps.Clients.Search(ctx, app.ClientQuery{Sort: app.SortVisits, Desc: true, Limit: 50})
		if err != nil || len(cs) == 0 {
			fyne.Do(func() {
				if err != nil {
					u.showError(err)
				}
			})
			return
		}
		id := pick(ctx, cs)
		fyne.Do(func() {
			u.openClient(id)
			if p := u.pages.open; then != nil && p != nil && p.id == id {
				then(p)
			}
		})
	})
}

// pageData is what one load of the page reads.
type pageData struct {
	c         app.Client
	err       error
	dir       app.Directory
	dirErr    error
	referrer  *app.Client
	referrals []app.Client
	refErr    error
}

// clientPage is one client's page. Its fields are touched only on the UI
// goroutine; loads and changes run through UI.async.
type clientPage struct {
	u         *UI
	id        string
	c         app.Client // as last loaded
	dir       app.Directory
	referrer  *app.Client
	referrals []app.Client
	loaded    bool
	filling   bool // set while the page fills selectors, so they do not act

	content fyne.CanvasObject
	back    *widget.Button
	name    *widget.Label
	fav     *widget.Button
	badges  *fyne.Container
	totals  map[string]*widget.Label
	loadErr *widget.Label
	tabs    *container.AppTabs
	money   *moneySide   // the money tabs and header actions (clientmoney.go)
	loyalty *loyaltySide // the loyalty tab (clientloyalty.go)

	tabMain, tabIDs, tabContacts, tabVars, tabTags, tabNote, tabRefs *container.TabItem

	// Main
	form       *clientForm
	save       *widget.Button
	saved      *widget.Label
	sms, email *widget.Check
	group      *widget.Select
	groupIDs   []string // by option index; "" is no group
	reason     *pageEntry
	block      *widget.Button
	blocked    *widget.Label
	unblock    *widget.Button
	blockErr   *widget.Label
	refName    *widget.Label
	refOpen    *widget.Button
	refClear   *widget.Button
	refSearch  *pageEntry
	refResults *fyne.Container
	refErr     *widget.Label
	refGen     int
	del        *widget.Button

	// Identification
	idRows  *fyne.Container
	idMedia *widget.Select
	idInput *widget.Select
	idValue *pageEntry
	idAdd   *widget.Button
	idErr   *widget.Label

	// Contacts
	ctRows  *fyne.Container
	ctKind  *widget.Select
	ctValue *pageEntry
	ctLabel *pageEntry
	ctAdd   *widget.Button
	ctErr   *widget.Label

	// Variables
	varRows  *fyne.Container
	varName  *pageSelectEntry
	varValue *pageEntry
	varSave  *widget.Button
	varErr   *widget.Label

	// Tags
	tagChips *fyne.Container
	tagOpts  []string // the tags offered: those the client lacks
	tagEntry *pageSelectEntry
	tagAdd   *widget.Button
	tagErr   *widget.Label

	// Note
	note       *pageEntry
	noteFilled string
	noteSave   *widget.Button
	noteSaved  *widget.Label
	noteErr    *widget.Label

	// Referrals
	refsCount *widget.Label
	refsList  *widget.List
}

func newClientPage(u *UI, id string) *clientPage {
	p := &clientPage{u: u, id: id, totals: map[string]*widget.Label{}}
	p.money = newMoneySide(p)
	p.loyalty = newLoyaltySide(p)
	header := p.buildHeader()
	p.tabMain = container.NewTabItem(tr("page.tab.main", "Main"), p.buildMain())
	p.tabIDs = container.NewTabItem(tr("page.tab.identification", "Identification"), p.buildIdentification())
	p.tabContacts = container.NewTabItem(tr("page.tab.contacts", "Contacts"), p.buildContacts())
	p.tabVars = container.NewTabItem(tr("page.tab.variables", "Variables"), p.buildVariables())
	p.tabTags = container.NewTabItem(tr("page.tab.tags", "Tags"), p.buildTags())
	p.tabNote = container.NewTabItem(tr("page.tab.note", "Note"), p.buildNote())
	p.tabRefs = container.NewTabItem(tr("page.tab.referrals", "Referrals"), p.buildReferrals())
	p.tabs = container.NewAppTabs(p.tabMain, p.tabIDs, p.tabContacts, p.tabVars, p.tabTags, p.tabNote, p.tabRefs)
	p.money.addTabs(p.tabs)
	p.loyalty.addTab(p.tabs)
	p.tabs.OnSelected = func(*container.TabItem) { p.focusTab() }
	p.content = container.NewBorder(header, nil, nil, nil, p.tabs)
	return p
}

// pageEntry is an entry of the page: Esc in it goes back.
type pageEntry struct {
	widget.Entry
	p *clientPage
}

func (p *clientPage) newEntry(multi bool) *pageEntry {
	e := &pageEntry{p: p}
	e.MultiLine = multi
	if multi {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey goes back on Esc and types everything else.
func (e *pageEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		e.p.goBack()
		return
	}
	e.Entry.TypedKey(k)
}

// pageSelectEntry is an entry with suggestions: Esc in it goes back.
type pageSelectEntry struct {
	widget.SelectEntry
	p *clientPage
}

func (p *clientPage) newSelectEntry() *pageSelectEntry {
	e := &pageSelectEntry{p: p}
	e.Wrapping = fyne.TextWrapOff
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey goes back on Esc and types everything else.
func (e *pageSelectEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		e.p.goBack()
		return
	}
	e.SelectEntry.TypedKey(k)
}

// pageErrLabel is a hidden, wrapping red label for a field's or a form's error.
func pageErrLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

func pageHeading(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.TextStyle.Bold = true
	return l
}

func pageHint(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = widget.LowImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}

// Keys of the totals.
const (
	totalSold     = "sold"
	totalPaid     = "paid"
	totalVisits   = "visits"
	totalAverage  = "average"
	totalFirst    = "first"
	totalLast     = "last"
	totalReferred = "referred"
)

func (p *clientPage) buildHeader() fyne.CanvasObject {
	p.back = widget.NewButtonWithIcon(tr("page.back", "Back to list"), theme.NavigateBackIcon(), p.goBack)
	p.name = widget.NewLabel("…")
	p.name.SizeName = theme.SizeNameHeadingText
	p.name.TextStyle.Bold = true
	p.name.Truncation = fyne.TextTruncateEllipsis
	p.fav = widget.NewButton(tr("page.favorite_add", "☆ Add to favorites"), p.toggleFavorite)
	p.fav.Disable()
	top := container.NewBorder(nil, nil, p.back, container.NewHBox(append(p.money.headerObjects(), p.fav)...), p.name)

	p.badges = container.New(layout.NewRowWrapLayout())
	p.loadErr = pageErrLabel()

	cells := []struct{ key, caption string }{
		{totalSold, tr("page.total.sold", "Sold")},
		{totalPaid, tr("page.total.paid", "Paid")},
		{totalVisits, tr("page.total.visits", "Visits")},
		{totalAverage, tr("page.total.average", "Average check")},
		{totalFirst, tr("page.total.first_visit", "First visit")},
		{totalLast, tr("page.total.last_visit", "Last visit")},
		{totalReferred, tr("page.total.referred", "Brought clients")},
	}
	grid := container.NewGridWithColumns(len(cells))
	for _, c := range cells {
		v := widget.NewLabel("—")
		v.TextStyle.Bold = true
		v.SizeName = theme.SizeNameSubHeadingText
		v.Truncation = fyne.TextTruncateEllipsis
		p.totals[c.key] = v
		caption := widget.NewLabel(c.caption)
		caption.SizeName = theme.SizeNameCaptionText
		caption.Truncation = fyne.TextTruncateEllipsis
		bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
		bg.CornerRadius = theme.Size(theme.SizeNameInputRadius)
		grid.Add(container.NewStack(bg, container.New(layout.NewCustomPaddedVBoxLayout(-theme.Padding()*2), caption, v)))
	}
	return container.NewVBox(top, p.badges, p.loadErr, p.money.status, grid)
}

func (p *clientPage) buildMain() fyne.CanvasObject {
	p.form = newClientForm(p.u.win, clientFormFields[:len(clientFormFields)-1], func(multi bool) (fyne.CanvasObject, *widget.Entry) {
		e := p.newEntry(multi)
		return e, &e.Entry
	}, p.saveMain)
	p.save = widget.NewButtonWithIcon(tr("dialog.save", "Save"), theme.DocumentSaveIcon(), p.saveMain)
	p.save.Importance = widget.HighImportance
	p.saved = widget.NewLabel("")
	p.saved.Importance = widget.SuccessImportance
	left := container.NewVBox(p.form.form, p.form.general, container.NewHBox(p.save, p.saved))

	p.sms = widget.NewCheck(tr("page.sms", "SMS"), func(on bool) {
		p.setFlag(on, app.ActionSubscribeSMS, app.ActionUnsubscribeSMS, p.sms)
	})
	p.email = widget.NewCheck(tr("page.email", "E-mail"), func(on bool) {
		p.setFlag(on, app.ActionSubscribeEmail, app.ActionUnsubscribeEmail, p.email)
	})
	p.group = widget.NewSelect(nil, func(string) { p.setGroup() })

	p.reason = p.newEntry(false)
	p.reason.SetPlaceHolder(tr("page.block_reason_ph", "Why, e.g. abused the bonus program"))
	p.reason.OnSubmitted = func(string) { p.doBlock() }
	p.block = widget.NewButtonWithIcon(tr("page.block", "Block"), theme.WarningIcon(), p.doBlock)
	p.block.Importance = widget.DangerImportance
	p.blocked = widget.NewLabel("")
	p.blocked.Importance = widget.DangerImportance
	p.blocked.Wrapping = fyne.TextWrapWord
	p.unblock = widget.NewButton(tr("page.unblock", "Unblock"), p.doUnblock)
	p.blockErr = pageErrLabel()

	p.refName = widget.NewLabel(tr("page.referrer_none", "Nobody"))
	p.refName.Truncation = fyne.TextTruncateEllipsis
	p.refOpen = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() {
		if p.referrer != nil {
			p.u.openClient(p.referrer.ID)
		}
	})
	p.refClear = widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() { p.setReferrer("") })
	p.refSearch = p.newEntry(false)
	p.refSearch.SetPlaceHolder(tr("page.referrer_search", "Find who brought the client: name or phone"))
	p.refSearch.OnChanged = func(string) { p.searchReferrer() }
	p.refSearch.OnSubmitted = func(string) { p.pickFirstReferrer() }
	p.refResults = container.NewVBox()
	p.refErr = pageErrLabel()

	p.del = widget.NewButtonWithIcon(tr("page.delete", "Delete client…"), theme.DeleteIcon(), p.confirmDelete)
	p.del.Importance = widget.DangerImportance

	right := container.NewVBox(
		pageHeading(tr("page.subscriptions", "Subscriptions")),
		container.NewHBox(p.sms, p.email),
		pageHeading(tr("page.group", "Group")),
		p.group,
		pageHeading(tr("page.blocking", "Blocking")),
		container.NewBorder(nil, nil, nil, p.block, p.reason),
		container.NewBorder(nil, nil, nil, p.unblock, p.blocked),
		p.blockErr,
		pageHeading(tr("page.referrer", "Referred by")),
		container.NewBorder(nil, nil, nil, container.NewHBox(p.refOpen, p.refClear), p.refName),
		p.refSearch,
		p.refResults,
		p.refErr,
		layout.NewSpacer(),
		widget.NewSeparator(),
		container.NewHBox(p.del),
	)
	p.showBlock(false)
	return container.NewVScroll(container.NewGridWithColumns(2, left, right))
}

func (p *clientPage) buildIdentification() fyne.CanvasObject {
	media := make([]string, len(app.AllMedia))
	for i, m := range app.AllMedia {
		media[i] = mediaLabel(m)
	}
	inputs := make([]string, len(app.AllInputs))
	for i, in := range app.AllInputs {
		inputs[i] = inputLabel(in)
	}
	p.idInput = widget.NewSelect(inputs, nil)
	p.idMedia = widget.NewSelect(media, func(string) {
		// A phone is read as a phone number and nothing else is; the guest
		// app shows a QR code; a card carries a barcode, a QR code, a stripe
		// or a chip.
		switch m := selectedOf(p.idMedia, app.AllMedia); {
		case m == app.MediaPhone:
			p.idInput.SetSelected(inputLabel(app.InputPhone))
		case m == app.MediaGuestApp:
			p.idInput.SetSelected(inputLabel(app.InputQR))
		case selectedOf(p.idInput, app.AllInputs) == app.InputPhone:
			p.idInput.SetSelected(inputLabel(app.InputBarcode))
		}
	})
	p.idMedia.SetSelected(mediaLabel(app.MediaCard))
	p.idInput.SetSelected(inputLabel(app.InputBarcode))
	p.idValue = p.newEntry(false)
	p.idValue.SetPlaceHolder(tr("page.identifier_ph", "Card number, code or track"))
	p.idValue.OnSubmitted = func(string) { p.addIdentifier() }
	p.idAdd = widget.NewButtonWithIcon(tr("page.add", "Add"), theme.ContentAddIcon(), p.addIdentifier)
	p.idErr = pageErrLabel()
	p.idRows = container.NewVBox()
	var addRight fyne.CanvasObject = p.idAdd
	if p.u.deps.Cards != nil { // the client's QR card (issue 8, cards.go)
		card := widget.NewButtonWithIcon(tr("cards.card_button", "Card…"), theme.DocumentPrintIcon(), func() {
			p.u.showCardDialog(p.id, p.load)
		})
		addRight = container.NewHBox(p.idAdd, card)
	}
	add := container.NewBorder(nil, nil, container.NewHBox(p.idMedia, p.idInput), addRight, p.idValue)
	return editTab(tr("page.identification_hint", "A value identifies one client only. The phone method follows the phone on the Main tab."),
		add, p.idErr, p.idRows)
}

// selectedOf returns the item of all a select built from all's labels shows,
// or the zero value when nothing is selected.
func selectedOf[T any](s *widget.Select, all []T) T {
	var zero T
	if i := s.SelectedIndex(); i >= 0 && i < len(all) {
		return all[i]
	}
	return zero
}

func contactKindLabel(k app.ContactKind) string {
	switch k {
	case app.ContactPhone:
		return tr("page.contact.phone", "Phone")
	case app.ContactEmail:
		return tr("page.contact.email", "E-mail")
	case app.ContactSocial:
		return tr("page.contact.social", "Social link")
	}
	return string(k)
}

// editTab lays out a tab that lists rows under a hint, an add line and its
// error label; the rows scroll.
func editTab(hint string, add, errLabel, rows fyne.CanvasObject) fyne.CanvasObject {
	top := container.NewVBox(pageHint(hint), add, errLabel, widget.NewSeparator())
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(rows))
}

func (p *clientPage) buildContacts() fyne.CanvasObject {
	kinds := make([]string, len(app.AllContactKinds))
	for i, k := range app.AllContactKinds {
		kinds[i] = contactKindLabel(k)
	}
	p.ctKind = widget.NewSelect(kinds, func(string) {
		switch selectedOf(p.ctKind, app.AllContactKinds) {
		case app.ContactPhone:
			p.ctValue.SetPlaceHolder("+7 916 123-45-67")
		case app.ContactEmail:
			p.ctValue.SetPlaceHolder("name@example.ru")
		case app.ContactSocial:
			p.ctValue.SetPlaceHolder("vk.com/name, t.me/name, @name")
		}
	})
	p.ctValue = p.newEntry(false)
	p.ctValue.OnSubmitted = func(string) { p.addContact() }
	p.ctLabel = p.newEntry(false)
	p.ctLabel.SetPlaceHolder(tr("page.contact_label_ph", "Label: work, Telegram…"))
	p.ctLabel.OnSubmitted = func(string) { p.addContact() }
	p.ctKind.SetSelectedIndex(0)
	p.ctAdd = widget.NewButtonWithIcon(tr("page.add", "Add"), theme.ContentAddIcon(), p.addContact)
	p.ctErr = pageErrLabel()
	p.ctRows = container.NewVBox()
	add := container.NewBorder(nil, nil, p.ctKind, p.ctAdd, container.NewGridWithColumns(2, p.ctValue, p.ctLabel))
	return editTab(tr("page.contacts_hint", "Further phones, e-mails and social profiles. The main phone and e-mail are on the Main tab."),
		add, p.ctErr, p.ctRows)
}

func (p *clientPage) buildVariables() fyne.CanvasObject {
	p.varName = p.newSelectEntry()
	p.varName.SetPlaceHolder(tr("page.variable_name_ph", "Variable, e.g. favorite drink"))
	p.varName.OnSubmitted = func(string) { p.u.win.Canvas().Focus(p.varValue) }
	p.varValue = p.newEntry(false)
	p.varValue.SetPlaceHolder(tr("page.variable_value_ph", "Value"))
	p.varValue.OnSubmitted = func(string) { p.setVariable() }
	p.varSave = widget.NewButtonWithIcon(tr("page.variable_set", "Set"), theme.ConfirmIcon(), p.setVariable)
	p.varErr = pageErrLabel()
	p.varRows = container.NewVBox()
	add := container.NewBorder(nil, nil, nil, p.varSave, container.NewGridWithColumns(2, p.varName, p.varValue))
	return editTab(tr("page.variables_hint", "Your own fields: a name and a value. Setting a name that exists changes its value."),
		add, p.varErr, p.varRows)
}

func (p *clientPage) buildTags() fyne.CanvasObject {
	p.tagEntry = p.newSelectEntry()
	p.tagEntry.SetPlaceHolder(tr("page.tag_ph", "Pick a tag or type a new one"))
	p.tagEntry.OnSubmitted = func(string) { p.addTag() }
	p.tagAdd = widget.NewButtonWithIcon(tr("page.add", "Add"), theme.ContentAddIcon(), p.addTag)
	p.tagErr = pageErrLabel()
	p.tagChips = container.New(layout.NewRowWrapLayout())
	return editTab(tr("page.tags_hint", "Tags are labels you set by hand; the list can filter by them. Press a tag to take it off."),
		container.NewBorder(nil, nil, nil, p.tagAdd, p.tagEntry), p.tagErr, p.tagChips)
}

func (p *clientPage) buildNote() fyne.CanvasObject {
	p.note = p.newEntry(true)
	p.note.SetPlaceHolder(tr("page.note_ph", "A private note about the client: only staff see it"))
	p.noteSave = widget.NewButtonWithIcon(tr("dialog.save", "Save"), theme.DocumentSaveIcon(), p.saveNote)
	p.noteSave.Importance = widget.HighImportance
	p.noteSaved = widget.NewLabel("")
	p.noteSaved.Importance = widget.SuccessImportance
	p.noteErr = pageErrLabel()
	bottom := container.NewVBox(p.noteErr, container.NewHBox(p.noteSave, p.noteSaved))
	return container.NewBorder(nil, bottom, nil, nil, p.note)
}

func (p *clientPage) buildReferrals() fyne.CanvasObject {
	p.refsCount = pageHeading("")
	p.refsList = widget.NewList(
		func() int { return len(p.referrals) },
		func() fyne.CanvasObject {
			name := widget.NewLabel("")
			name.Truncation = fyne.TextTruncateEllipsis
			phone := widget.NewLabel("")
			added := widget.NewLabel("")
			return container.NewBorder(nil, nil, nil, container.NewHBox(phone, added), name)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(p.referrals) {
				return
			}
			c := p.referrals[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(c.DisplayName())
			right := box.Objects[1].(*fyne.Container)
			right.Objects[0].(*widget.Label).SetText(app.FormatPhone(c.Phone))
			right.Objects[1].(*widget.Label).SetText(tr("page.referral_added", "added {{.Date}}", map[string]any{"Date": pageDate(c.CreatedAt)}))
		})
	p.refsList.OnSelected = func(i widget.ListItemID) {
		p.refsList.UnselectAll()
		if i < len(p.referrals) {
			p.u.openClient(p.referrals[i].ID)
		}
	}
	top := container.NewVBox(p.refsCount,
		pageHint(tr("page.referrals_hint", "Clients this one brought. Press a row (or Space on it) to open that client.")))
	return container.NewBorder(top, nil, nil, nil, p.refsList)
}

// load reads the client, the directory and the referrals off the UI
// goroutine and shows them.
func (p *clientPage) load() {
	u, id := p.u, p.id
	u.async(func() {
		ctx := u.ctx()
		var d pageData
		d.c, d.err = u.deps.Clients.Get(ctx, id)
		if d.err == nil {
			d.dir, d.dirErr = u.deps.Clients.Directory(ctx)
			if d.c.ReferrerID != "" {
				if r, err := u.deps.Clients.Get(ctx, d.c.ReferrerID); err == nil {
					d.referrer = &r
				}
			}
			d.referrals, d.refErr = u.deps.Clients.Referrals(ctx, id, pageReferralsLimit)
		}
		fyne.Do(func() { p.show(d) })
	})
}

func (p *clientPage) current() bool { return p.u.pages.open == p }

func (p *clientPage) show(d pageData) {
	if !p.current() {
		return
	}
	if d.err != nil {
		if errors.Is(d.err, app.ErrNotFound) {
			p.u.showError(d.err)
			p.u.dropPage(p.id)
			return
		}
		p.loadErr.SetText(errorMessage(d.err))
		p.loadErr.Show()
		return
	}
	p.loadErr.Hide()
	for _, err := range []error{d.dirErr, d.refErr} {
		if err != nil {
			p.loadErr.SetText(errorMessage(err))
			p.loadErr.Show()
		}
	}
	first := !p.loaded
	p.c, p.dir, p.referrer, p.referrals, p.loaded = d.c, d.dir, d.referrer, d.referrals, true
	c := d.c
	p.name.SetText(c.DisplayName())
	p.setBackText()
	p.fav.Enable()
	if c.Favorite {
		p.fav.SetText(tr("page.favorite_on", "★ In favorites"))
		p.fav.Importance = widget.WarningImportance
	} else {
		p.fav.SetText(tr("page.favorite_add", "☆ Add to favorites"))
		p.fav.Importance = widget.MediumImportance
	}
	p.fav.Refresh()
	p.showBadges()
	p.showTotals()

	// Unsaved edits stay; everything else follows the stored client.
	if first || !p.form.dirty() {
		p.form.fill(app.InputOf(c))
	}
	if first || p.note.Text == p.noteFilled {
		p.note.SetText(c.Note)
		p.noteFilled = c.Note
	}
	p.filling = true
	p.sms.SetChecked(c.SMSSubscribed)
	p.email.SetChecked(c.EmailSubscribed)
	p.fillGroups()
	p.filling = false
	p.showBlock(c.Blocked)
	p.showReferrer()
	p.showIdentifiers()
	p.showContacts()
	p.showVariables()
	p.showTags()
	p.showReferrals()
	p.money.load()
	p.loyalty.load()
	p.tabs.Refresh()
}

func (p *clientPage) setBackText() {
	if n := len(p.u.pages.trail); n > 0 {
		p.back.SetText(tr("page.back_to", "Back: {{.Name}}", map[string]any{"Name": p.u.pages.trail[n-1].name}))
		return
	}
	p.back.SetText(tr("page.back", "Back to list"))
}

func pageBadge(text string, imp widget.Importance) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = imp
	l.TextStyle.Bold = imp != widget.LowImportance
	return l
}

func (p *clientPage) showBadges() {
	c := p.c
	var bs []fyne.CanvasObject
	if c.Blocked {
		// The whole reason is on the Main tab; the badge keeps to one line.
		reason := []rune(c.BlockReason)
		if len(reason) > 70 {
			reason = append(reason[:69], '…')
		}
		bs = append(bs, pageBadge(tr("page.badge_blocked", "Blocked: {{.Reason}}", map[string]any{"Reason": string(reason)}), widget.DangerImportance))
	}
	if c.Favorite {
		bs = append(bs, pageBadge(tr("page.badge_favorite", "★ Favorite"), widget.WarningImportance))
	}
	if name := app.NameOf(p.dir.Groups, c.GroupID); name != "" {
		bs = append(bs, pageBadge(tr("page.badge_group", "Group: {{.Name}}", map[string]any{"Name": name}), widget.HighImportance))
	}
	if name := app.NameOf(p.dir.Classes, c.ClassID); name != "" {
		bs = append(bs, pageBadge(tr("page.badge_class", "Class: {{.Name}}", map[string]any{"Name": name}), widget.HighImportance))
	}
	if name := app.NameOf(p.dir.Statuses, c.StatusID); name != "" {
		bs = append(bs, pageBadge(tr("page.badge_status", "Status: {{.Name}}", map[string]any{"Name": name}), widget.HighImportance))
	}
	if c.Phone != "" {
		bs = append(bs, pageBadge(app.FormatPhone(c.Phone), widget.MediumImportance))
	}
	if !c.CreatedAt.IsZero() {
		since := pageBadge(tr("page.badge_since", "client since {{.Date}}", map[string]any{"Date": pageDate(c.CreatedAt)}), widget.MediumImportance)
		since.TextStyle.Bold = false
		bs = append(bs, since)
	}
	p.badges.Objects = bs
	p.badges.Refresh()
}

func (p *clientPage) showTotals() {
	s := p.c.Stats
	set := func(key, v string) { p.totals[key].SetText(v) }
	set(totalSold, pageMoney(s.Sold))
	set(totalPaid, pageMoney(s.Paid))
	set(totalVisits, groupDigits64(s.Visits))
	set(totalAverage, pageMoney(s.AverageCheck()))
	set(totalFirst, pageDate(s.FirstVisit))
	set(totalLast, pageDate(s.LastVisit))
	set(totalReferred, groupDigits64(int64(p.c.Referred)))
}

// pageMoney is moneyText with a no-break space before the rouble sign, for
// the page's totals and receipts, where a line may wrap.
func pageMoney(k int64) string { return strings.Replace(moneyText(k), " ₽", "\u00a0₽", 1) }

// pageDate writes the local day of t, or a dash for none.
func pageDate(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("02.01.2006")
}

func (p *clientPage) fillGroups() {
	opts := []string{tr("page.no_group", "No group")}
	p.groupIDs = []string{""}
	sel := 0
	for _, g := range p.dir.Groups {
		if g.ID == p.c.GroupID {
			sel = len(opts)
		}
		opts = append(opts, g.Name)
		p.groupIDs = append(p.groupIDs, g.ID)
	}
	p.group.SetOptions(opts)
	p.group.SetSelectedIndex(sel)
	if len(p.dir.Groups) == 0 {
		p.group.PlaceHolder = tr("page.no_groups", "No groups yet")
		p.group.ClearSelected()
		p.group.Disable()
	} else {
		p.group.Enable()
	}
}

func (p *clientPage) showBlock(blocked bool) {
	p.blocked.SetText(tr("page.blocked", "Blocked: {{.Reason}}", map[string]any{"Reason": p.c.BlockReason}))
	if blocked {
		p.reason.Hide()
		p.block.Hide()
		p.blocked.Show()
		p.unblock.Show()
	} else {
		p.reason.Show()
		p.block.Show()
		p.blocked.Hide()
		p.unblock.Hide()
	}
}

func (p *clientPage) showReferrer() {
	if p.referrer == nil {
		p.refName.SetText(tr("page.referrer_none", "Nobody"))
		p.refOpen.Disable()
		p.refClear.Disable()
		return
	}
	p.refName.SetText(p.referrer.DisplayName())
	p.refOpen.Enable()
	p.refClear.Enable()
}

func tabTitle(title string, n int) string {
	if n == 0 {
		return title
	}
	return title + " (" + groupDigits64(int64(n)) + ")"
}

// removeButton is a small button that removes a row.
func removeButton(tip string, f func()) *widget.Button {
	b := widget.NewButtonWithIcon(tip, theme.DeleteIcon(), f)
	b.Importance = widget.LowImportance
	return b
}

func (p *clientPage) showIdentifiers() {
	p.tabIDs.Text = tabTitle(tr("page.tab.identification", "Identification"), len(p.c.Identifiers))
	var rows []fyne.CanvasObject
	for _, idf := range p.c.Identifiers {
		idf := idf
		text := widget.NewLabel(identifierText(idf))
		text.Truncation = fyne.TextTruncateEllipsis
		rm := removeButton(tr("page.remove", "Remove"), func() { p.confirmRemoveIdentifier(idf) })
		var right fyne.CanvasObject = rm
		if idf.Value == p.c.Phone {
			// It goes only with the phone (CL-03).
			rm.Disable()
			hint := pageHint(tr("page.phone_method", "follows the phone"))
			hint.Wrapping = fyne.TextWrapOff
			right = container.NewHBox(hint, rm)
		}
		rows = append(rows, container.NewBorder(nil, nil, nil, right, text))
	}
	if len(rows) == 0 {
		rows = append(rows, pageHint(tr("page.no_identifiers", "No identification methods yet: add a card or a QR code above.")))
	}
	p.idRows.Objects = rows
	p.idRows.Refresh()
}

func (p *clientPage) showContacts() {
	p.tabContacts.Text = tabTitle(tr("page.tab.contacts", "Contacts"), len(p.c.Contacts))
	var rows []fyne.CanvasObject
	for _, ct := range p.c.Contacts {
		ct := ct
		v := ct.Value
		if ct.Kind == app.ContactPhone {
			v = app.FormatPhone(v)
		}
		if ct.Label != "" {
			v += " — " + ct.Label
		}
		kind := widget.NewLabel(contactKindLabel(ct.Kind))
		kind.TextStyle.Bold = true
		val := widget.NewLabel(v)
		val.Truncation = fyne.TextTruncateEllipsis
		rm := removeButton(tr("page.remove", "Remove"), func() { p.removeContact(ct) })
		rows = append(rows, container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(150, kind.MinSize().Height), kind), rm, val))
	}
	if len(rows) == 0 {
		rows = append(rows, pageHint(tr("page.no_contacts", "No further contacts.")))
	}
	p.ctRows.Objects = rows
	p.ctRows.Refresh()
}

func (p *clientPage) showVariables() {
	p.tabVars.Text = tabTitle(tr("page.tab.variables", "Variables"), len(p.c.Variables))
	p.varName.SetOptions(p.dir.Variables)
	var rows []fyne.CanvasObject
	for _, v := range p.c.Variables {
		v := v
		name := widget.NewLabel(v.Name)
		name.TextStyle.Bold = true
		name.Truncation = fyne.TextTruncateEllipsis
		val := widget.NewLabel(v.Value)
		val.Truncation = fyne.TextTruncateEllipsis
		edit := widget.NewButtonWithIcon(tr("page.edit", "Change"), theme.DocumentCreateIcon(), func() {
			p.varName.SetText(v.Name)
			p.varValue.SetText(v.Value)
			p.u.win.Canvas().Focus(p.varValue)
		})
		edit.Importance = widget.LowImportance
		rm := removeButton(tr("page.remove", "Remove"), func() { p.removeVariable(v.Name) })
		rows = append(rows, container.NewBorder(nil, nil, nil, container.NewHBox(edit, rm), container.NewGridWithColumns(2, name, val)))
	}
	if len(rows) == 0 {
		rows = append(rows, pageHint(tr("page.no_variables", "No variables.")))
	}
	p.varRows.Objects = rows
	p.varRows.Refresh()
}

func (p *clientPage) showTags() {
	p.tabTags.Text = tabTitle(tr("page.tab.tags", "Tags"), len(p.c.Tags))
	has := map[string]bool{}
	var chips []fyne.CanvasObject
	for _, t := range p.c.Tags {
		t := t
		has[t.Name] = true
		b := widget.NewButtonWithIcon(t.Name, theme.CancelIcon(), func() { p.removeTag(t.Name) })
		b.IconPlacement = widget.ButtonIconTrailingText
		chips = append(chips, b)
	}
	if len(chips) == 0 {
		chips = append(chips, pageHint(tr("page.no_tags", "No tags.")))
	}
	var opts []string
	for _, t := range p.dir.Tags {
		if !has[t.Name] {
			opts = append(opts, t.Name)
		}
	}
	p.tagOpts = opts
	p.tagEntry.SetOptions(opts)
	p.tagChips.Objects = chips
	p.tagChips.Refresh()
}

func (p *clientPage) showReferrals() {
	n := p.c.Referred
	p.tabRefs.Text = tabTitle(tr("page.tab.referrals", "Referrals"), n)
	data := map[string]any{"Count": groupDigits64(int64(n)), "Shown": groupDigits64(int64(len(p.referrals)))}
	if n > len(p.referrals) {
		p.refsCount.SetText(tr("page.referred_count_shown", "Brought clients: {{.Count}} (the newest {{.Shown}} are listed)", data))
	} else {
		p.refsCount.SetText(tr("page.referred_count", "Brought clients: {{.Count}}", data))
	}
	p.refsList.Refresh()
}

// goBack leaves the page, asking first when edits are unsaved.
func (p *clientPage) goBack() { p.leave(p.u.closeClientPage) }

// leave calls f, asking first when the page has unsaved edits.
func (p *clientPage) leave(f func()) {
	if !p.current() {
		return
	}
	if p.loaded && (p.form.dirty() || p.note.Text != p.noteFilled) {
		d := dialog.NewConfirm(tr("page.unsaved_title", "Unsaved changes"),
			tr("page.unsaved", "The changes on this page are not saved. Leave without saving?"),
			func(ok bool) {
				if ok {
					f()
				}
			}, p.u.win)
		d.SetConfirmText(tr("page.leave", "Leave"))
		d.SetDismissText(tr("page.stay", "Stay"))
		d.Show()
		return
	}
	f()
}

func (p *clientPage) focusTab() {
	var f fyne.Focusable
	switch p.tabs.Selected() {
	case p.tabMain:
		f = p.form.focus[app.FieldLastName]
	case p.tabIDs:
		f = p.idValue
	case p.tabContacts:
		f = p.ctValue
	case p.tabVars:
		f = p.varName
	case p.tabTags:
		f = p.tagEntry
	case p.tabNote:
		f = p.note
	case p.tabRefs:
		f = p.refsList
	default:
		if mf := p.money.focusFor(p.tabs.Selected()); mf != nil {
			f = mf
		} else if lf := p.loyalty.focusFor(p.tabs.Selected()); lf != nil {
			f = lf
		}
	}
	if f != nil {
		p.u.win.Canvas().Focus(f)
	}
}

func (p *clientPage) stepTab(d int) {
	n := len(p.tabs.Items)
	p.tabs.SelectIndex((p.tabs.SelectedIndex() + d + n) % n)
}

// saveCurrent is Ctrl+S: the note on the Note tab, the Main form elsewhere.
func (p *clientPage) saveCurrent() {
	if p.tabs.Selected() == p.tabNote {
		p.saveNote()
		return
	}
	p.saveMain()
}

// Labels of the fields the page's small forms name in their messages.
func pageFieldLabel(field string) string {
	switch field {
	case app.FieldValue:
		return tr("page.field.value", "Value")
	case app.FieldName:
		return tr("page.field.name", "Name")
	case app.FieldContact:
		return tr("page.field.contact", "Contact")
	case app.FieldTag:
		return tr("page.field.tag", "Tag")
	case app.FieldGroup:
		return tr("page.group", "Group")
	case app.FieldReferrer:
		return tr("page.referrer", "Referred by")
	case app.FieldReason:
		return tr("page.field.block_reason", "Reason for blocking")
	}
	return fieldLabel(field)
}

// pageFieldMessage is fieldMessage with the page's labels (labels overrides
// them per form) and the name of the client that holds a taken value.
func pageFieldMessage(fe app.FieldError, labels map[string]string, owners map[string]string) string {
	label, ok := labels[fe.Field]
	if !ok {
		label = pageFieldLabel(fe.Field)
	}
	return fieldMessageAs(fe, label, owners[fe.OwnerID])
}

// owners reads the names of the clients that hold the values err says are
// taken. It runs off the UI goroutine.
func (p *clientPage) owners(ctx context.Context, err error) map[string]string {
	m := map[string]string{}
	for _, fe := range app.FieldErrors(err) {
		if fe.OwnerID == "" || m[fe.OwnerID] != "" {
			continue
		}
		if c, gerr := p.u.deps.Clients.Get(ctx, fe.OwnerID); gerr == nil {
			m[fe.OwnerID] = c.DisplayName()
		}
	}
	return m
}

// act runs work off the UI goroutine with btn disabled. On success it calls
// ok, tells the list and reloads the page; on failure it shows a translated
// message in errl (or a dialog when errl is nil) and changes nothing else.
func (p *clientPage) act(btn *widget.Button, errl *widget.Label, labels map[string]string, work func(ctx context.Context) error, ok func()) {
	if btn != nil {
		btn.Disable()
	}
	u := p.u
	u.async(func() {
		ctx := u.ctx()
		err := work(ctx)
		var owners map[string]string
		if err != nil {
			owners = p.owners(ctx, err)
		}
		fyne.Do(func() {
			if btn != nil {
				btn.Enable()
			}
			if err != nil {
				p.fail(errl, err, labels, owners)
				return
			}
			if errl != nil {
				errl.Hide()
			}
			if ok != nil {
				ok()
			}
			u.clientChanged(p.id)
			p.load()
		})
	})
}

func (p *clientPage) fail(errl *widget.Label, err error, labels, owners map[string]string) {
	msg := errorMessage(err)
	if fes := app.FieldErrors(err); len(fes) > 0 {
		msg = pageFieldMessage(fes[0], labels, owners)
	}
	if errl == nil {
		dialog.ShowError(errorf(msg), p.u.win)
		return
	}
	errl.SetText(msg)
	errl.Show()
}

func (p *clientPage) one() app.ClientQuery { return app.ClientQuery{IDs: []string{p.id}} }

func (p *clientPage) apply(btn *widget.Button, errl *widget.Label, a app.Action, ok func()) {
	p.act(btn, errl, nil, func(ctx context.Context) error {
		_, err := p.u.deps.Clients.Apply(ctx, p.one(), a)
		return err
	}, ok)
}

// saveMain stores the Main form (and the note as typed).
func (p *clientPage) saveMain() {
	if !p.loaded {
		return
	}
	in := p.form.input()
	in.Note = p.note.Text
	p.save.Disable()
	p.saved.SetText("")
	u := p.u
	u.async(func() {
		ctx := u.ctx()
		c, err := u.deps.Clients.Update(ctx, p.id, in)
		var owners map[string]string
		if err != nil {
			owners = p.owners(ctx, err)
		}
		fyne.Do(func() {
			p.save.Enable()
			if err != nil {
				p.form.showErrors(err, func(fe app.FieldError) string { return pageFieldMessage(fe, nil, owners) })
				if fe, ok := fieldError(err, app.FieldNote); ok {
					p.noteErr.SetText(pageFieldMessage(fe, nil, owners))
					p.noteErr.Show()
				}
				return
			}
			p.form.clearErrors()
			p.noteErr.Hide()
			p.form.fill(app.InputOf(c))
			p.note.SetText(c.Note)
			p.noteFilled = c.Note
			p.saved.SetText(tr("page.saved", "Saved"))
			u.clientChanged(p.id)
			p.load()
		})
	})
}

func fieldError(err error, field string) (app.FieldError, bool) {
	for _, fe := range app.FieldErrors(err) {
		if fe.Field == field {
			return fe, true
		}
	}
	return app.FieldError{}, false
}

// saveNote stores the note alone: the rest of the client as stored.
func (p *clientPage) saveNote() {
	if !p.loaded {
		return
	}
	in := app.InputOf(p.c)
	in.Note = p.note.Text
	p.noteSaved.SetText("")
	p.act(p.noteSave, p.noteErr, nil, func(ctx context.Context) error {
		_, err := p.u.deps.Clients.Update(ctx, p.id, in)
		return err
	}, func() {
		p.noteFilled = p.note.Text
		p.noteSaved.SetText(tr("page.saved", "Saved"))
	})
}

func (p *clientPage) toggleFavorite() {
	a := app.Action{Kind: app.ActionFavorite}
	if p.c.Favorite {
		a.Kind = app.ActionUnfavorite
	}
	p.apply(p.fav, nil, a, nil)
}

// setFlag subscribes or unsubscribes; a failure puts the box back.
func (p *clientPage) setFlag(on bool, yes, no app.ActionKind, box *widget.Check) {
	if p.filling {
		return
	}
	a := app.Action{Kind: no}
	if on {
		a.Kind = yes
	}
	p.act(nil, nil, nil, func(ctx context.Context) error {
		_, err := p.u.deps.Clients.Apply(ctx, p.one(), a)
		if err != nil {
			fyne.Do(func() {
				p.filling = true
				box.SetChecked(!on)
				p.filling = false
			})
		}
		return err
	}, nil)
}

func (p *clientPage) setGroup() {
	if p.filling {
		return
	}
	i := p.group.SelectedIndex()
	if i < 0 || i >= len(p.groupIDs) || p.groupIDs[i] == p.c.GroupID {
		return
	}
	p.apply(nil, nil, app.Action{Kind: app.ActionSetGroup, GroupID: p.groupIDs[i]}, nil)
}

func (p *clientPage) doBlock() {
	p.apply(p.block, p.blockErr, app.Action{Kind: app.ActionBlock, Reason: p.reason.Text}, func() { p.reason.SetText("") })
}

func (p *clientPage) doUnblock() {
	p.apply(p.unblock, p.blockErr, app.Action{Kind: app.ActionUnblock}, nil)
}

// searchReferrer lists the clients matching the typed text, to pick the one
// who brought this client.
func (p *clientPage) searchReferrer() {
	p.refGen++
	gen := p.refGen
	text := strings.TrimSpace(p.refSearch.Text)
	if len([]rune(text)) < 2 {
		p.refResults.Objects = nil
		p.refResults.Refresh()
		return
	}
	u := p.u
	u.async(func() {
		cs, err := u.deps.Clients.Search(u.ctx(), app.ClientQuery{Text: text, Limit: 6})
		fyne.Do(func() {
			if gen != p.refGen || !p.current() {
				return
			}
			p.showReferrerResults(cs, err)
		})
	})
}

func (p *clientPage) showReferrerResults(cs []app.Client, err error) {
	var rows []fyne.CanvasObject
	if err != nil {
		rows = append(rows, pageHint(errorMessage(err)))
	}
	for _, c := range cs {
		c := c
		text := c.DisplayName()
		if c.Phone != "" && c.FullName() != "" {
			text += " · " + app.FormatPhone(c.Phone)
		}
		b := widget.NewButton(text, func() { p.setReferrer(c.ID) })
		b.Alignment = widget.ButtonAlignLeading
		if c.ID == p.id {
			b.SetText(tr("page.referrer_self", "{{.Name}} (this client)", map[string]any{"Name": text}))
			b.Disable()
		}
		rows = append(rows, b)
	}
	if err == nil && len(cs) == 0 {
		rows = append(rows, pageHint(tr("page.referrer_nothing", "Nobody found")))
	}
	p.refResults.Objects = rows
	p.refResults.Refresh()
}

// pickFirstReferrer is Enter in the search box: the first result found.
func (p *clientPage) pickFirstReferrer() {
	for _, o := range p.refResults.Objects {
		if b, ok := o.(*widget.Button); ok && !b.Disabled() {
			b.OnTapped()
			return
		}
	}
}

func (p *clientPage) setReferrer(id string) {
	p.act(nil, p.refErr, nil, func(ctx context.Context) error {
		return p.u.deps.Clients.SetReferrer(ctx, p.id, id)
	}, func() {
		p.refSearch.SetText("")
		p.refResults.Objects = nil
		p.refResults.Refresh()
	})
}

func (p *clientPage) confirmDelete() {
	d := dialog.NewConfirm(tr("page.delete_title", "Delete client"),
		tr("page.delete_confirm", "Delete {{.Name}}? The client disappears from the list and can no longer be identified.", map[string]any{"Name": p.c.DisplayName()}),
		func(ok bool) {
			if ok {
				p.doDelete()
			}
		}, p.u.win)
	d.SetConfirmText(tr("page.delete_yes", "Delete"))
	d.SetDismissText(tr("dialog.cancel", "Cancel"))
	d.Show()
}

func (p *clientPage) doDelete() {
	u := p.u
	p.del.Disable()
	u.async(func() {
		err := u.deps.Clients.Delete(u.ctx(), p.id)
		fyne.Do(func() {
			p.del.Enable()
			if err != nil {
				u.showError(err)
				return
			}
			u.clientChanged(p.id)
			if p.current() {
				u.dropPage(p.id)
			}
		})
	})
}

func (p *clientPage) addIdentifier() {
	in := app.IdentifierInput{Media: selectedOf(p.idMedia, app.AllMedia), Input: selectedOf(p.idInput, app.AllInputs), Value: p.idValue.Text}
	labels := map[string]string{app.FieldIdentifier: tr("page.field.identifier_value", "Value")}
	p.act(p.idAdd, p.idErr, labels, func(ctx context.Context) error {
		_, err := p.u.deps.Clients.AddIdentifier(ctx, p.id, in)
		return err
	}, func() { p.idValue.SetText("") })
}

func (p *clientPage) confirmRemoveIdentifier(idf app.Identifier) {
	d := dialog.NewConfirm(tr("page.remove_identifier_title", "Remove identification method"),
		tr("page.remove_identifier", "Remove «{{.Method}}»? The client can no longer be identified by it.", map[string]any{"Method": identifierText(idf)}),
		func(ok bool) {
			if ok {
				p.act(nil, p.idErr, nil, func(ctx context.Context) error {
					return p.u.deps.Clients.RemoveIdentifier(ctx, p.id, idf.ID)
				}, nil)
			}
		}, p.u.win)
	d.SetConfirmText(tr("page.remove", "Remove"))
	d.SetDismissText(tr("dialog.cancel", "Cancel"))
	d.Show()
}

func (p *clientPage) addContact() {
	in := app.ContactInput{Kind: selectedOf(p.ctKind, app.AllContactKinds), Value: p.ctValue.Text, Label: p.ctLabel.Text}
	labels := map[string]string{
		app.FieldValue: contactKindLabel(in.Kind),
		app.FieldName:  tr("page.field.contact_label", "Label"),
	}
	p.act(p.ctAdd, p.ctErr, labels, func(ctx context.Context) error {
		_, err := p.u.deps.Clients.AddContact(ctx, p.id, in)
		return err
	}, func() {
		p.ctValue.SetText("")
		p.ctLabel.SetText("")
	})
}

func (p *clientPage) removeContact(ct app.Contact) {
	p.act(nil, p.ctErr, nil, func(ctx context.Context) error {
		return p.u.deps.Clients.RemoveContact(ctx, p.id, ct.ID)
	}, nil)
}

func (p *clientPage) setVariable() {
	name, value := p.varName.Text, p.varValue.Text
	labels := map[string]string{
		app.FieldName:  tr("page.field.variable", "Variable"),
		app.FieldValue: tr("page.field.value", "Value"),
	}
	p.act(p.varSave, p.varErr, labels, func(ctx context.Context) error {
		_, err := p.u.deps.Clients.SetVariable(ctx, p.id, name, value)
		return err
	}, func() {
		p.varName.SetText("")
		p.varValue.SetText("")
		p.u.win.Canvas().Focus(p.varName)
	})
}

func (p *clientPage) removeVariable(name string) {
	p.act(nil, p.varErr, nil, func(ctx context.Context) error {
		return p.u.deps.Clients.RemoveVariable(ctx, p.id, name)
	}, nil)
}

func (p *clientPage) addTag() {
	p.apply(p.tagAdd, p.tagErr, app.Action{Kind: app.ActionAddTag, Tag: p.tagEntry.Text}, func() {
		p.tagEntry.SetText("")
		p.u.win.Canvas().Focus(p.tagEntry)
	})
}

func (p *clientPage) removeTag(name string) {
	p.apply(nil, p.tagErr, app.Action{Kind: app.ActionRemoveTag, Tag: name}, nil)
}
