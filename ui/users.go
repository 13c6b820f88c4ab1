package ui

import (
	"errors"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// This file holds who uses the window (AD-01): the sign-in screen shown
// before the tabs once users exist, the session the screens act as, the role
// gating of tabs and menus, and the users section of the settings.
//
// Gating: a cashier sees the till and the client base (till first); a
// manager everything but the Settings tab, since app.Role.Can keeps users,
// venue settings, backups and restore for the owner; the language, the one
// per-desk choice anyone needs, is on the sign-in screen instead.

// prefLastUser remembers who signed in last on this desk, to preselect them.
const prefLastUser = "auth.last_user"

// authState is the signed-in session and what the sign-in screen and the
// administrator password prompt need.
type authState struct {
	mu sync.Mutex
	// required is true once users exist: nobody acts without signing in.
	required bool
	session  *app.Session // nil: nobody signed in

	signIn *signInScreen // the sign-in screen while it is shown
	// prompt is the latest administrator password prompt (money.go).
	prompt *approvePrompt
	// now and after time the unlock of a locked prompt; tests replace them
	// with the manual clock and a recorder.
	now   func() time.Time
	after func(d time.Duration, f func())
}

// actor names who acts in the audit log: the signed-in user, or "owner"
// while no users exist.
func (u *UI) actor() string {
	u.auth.mu.Lock()
	defer u.auth.mu.Unlock()
	if u.auth.session != nil {
		return u.auth.session.Name
	}
	return "owner"
}

// role is the signed-in user's role: the owner's while no users exist, none
// before signing in.
func (u *UI) role() app.Role {
	u.auth.mu.Lock()
	defer u.auth.mu.Unlock()
	switch {
	case u.auth.session != nil:
		return u.auth.session.Role
	case u.auth.required:
		return ""
	}
	return app.RoleOwner
}

// may reports whether the signed-in role may use p.
func (u *UI) may(p app.Permission) bool { return u.role().Can(p) }

// signedIn reports whether a user is signed in.
func (u *UI) signedIn() bool {
	u.auth.mu.Lock()
	defer u.auth.mu.Unlock()
	return u.auth.session != nil
}

func (u *UI) setSession(s *app.Session) {
	u.auth.mu.Lock()
	defer u.auth.mu.Unlock()
	u.auth.session = s
	if s != nil {
		u.auth.required = true
	}
}

// unlockAt calls f on the UI goroutine once until has passed: one timer, no
// ticker.
func (u *UI) unlockAt(until time.Time, f func()) {
	now, after := u.auth.now, u.auth.after
	if now == nil {
		now = time.Now
	}
	if after == nil {
		after = func(d time.Duration, f func()) { time.AfterFunc(d, f) }
	}
	after(max(until.Sub(now()), 0), func() { fyne.Do(f) })
}

// startAuth shows the sign-in screen when users exist, else the tabs. The
// window stays blank until it knows, so no client data flashes by.
func (u *UI) startAuth() {
	if u.deps.Auth == nil {
		return
	}
	u.win.SetContent(container.NewStack())
	u.async(func() {
		need, err := u.deps.Auth.NeedsSignIn(u.ctx())
		fyne.Do(func() {
			if err != nil || need {
				// Unknown means locked: the sign-in screen says what failed.
				u.showSignIn(err)
				return
			}
			u.showMain()
		})
	})
}

// showMain shows the tabs the role may use and the menu, and selects the
// first tab.
func (u *UI) showMain() {
	u.auth.signIn = nil
	before := u.tabs.Selected()
	u.applyRole()
	u.win.SetContent(u.tabs)
	u.win.SetMainMenu(u.menu())
	u.addShortcuts()
	if f := u.tabs.OnSelected; f != nil && u.tabs.Selected() != nil && u.tabs.Selected() == before {
		f(u.tabs.Selected()) // focus or load what the tab shows (a new selection did)
	}
}

// applyRole keeps the tabs the role may use, in their order; a cashier's
// till comes first and is selected.
func (u *UI) applyRole() {
	role := u.role()
	var items []*container.TabItem
	add := func(t *container.TabItem, p app.Permission) {
		if t != nil && role.Can(p) {
			items = append(items, t)
		}
	}
	if role == app.RoleCashier {
		add(u.tillTab, app.PermTill)
	}
	add(u.clientsTab, app.PermClients)
	if role != app.RoleCashier {
		add(u.tillTab, app.PermTill)
	}
	add(u.catalogueTab, app.PermCatalogue)
	add(u.programsTab, app.PermPrograms)
	add(u.groupsTab, app.PermPrograms)
	add(u.rulesTab, app.PermPrograms)
	add(u.outboxTab, app.PermPrograms)
	add(u.auditTab, app.PermAudit)
	// The card designer: owners and managers.
	add(u.cardsTab, app.PermPrograms)
	if role.IsAdmin() { // the devices: an owner's or a manager's to set up; cashiers only scan
		add(u.devicesTab(), app.PermTill)
	}
	add(u.settingsTab, app.PermSettings)
	same := len(items) == len(u.tabs.Items)
	for i := 0; same && i < len(items); i++ {
		same = items[i] == u.tabs.Items[i]
	}
	if !same {
		u.tabs.SetItems(items)
	}
	if len(items) > 0 && (!same || u.auth.required) {
		u.tabs.Select(items[0])
	}
}

// signOut leaves the session and shows the sign-in screen ("Switch user").
func (u *UI) signOut() {
	u.setSession(nil)
	u.showSignIn(nil)
}

// showSignIn puts the sign-in screen in the window: no tabs, no shortcuts,
// no dialogs left open, a menu with nothing but About and Quit.
func (u *UI) showSignIn(loadErr error) {
	u.auth.mu.Lock()
	u.auth.session, u.auth.required = nil, true
	u.auth.mu.Unlock()
	c := u.win.Canvas()
	for top := c.Overlays().Top(); top != nil; top = c.Overlays().Top() {
		c.Overlays().Remove(top)
	}
	for _, s := range []fyne.Shortcut{shortcutNew, shortcutFind, shortcutReload, &fyne.ShortcutSelectAll{}} {
		c.RemoveShortcut(s)
	}
	// No tab is selected while nobody is signed in, so the shortcuts that
	// screens add themselves (the till's Ctrl+Enter) find nothing to act on.
	u.tabs.SetItems(nil)
	s := newSignInScreen(u)
	u.auth.signIn = s
	u.win.SetContent(s.content)
	u.win.SetMainMenu(u.menu())
	if loadErr != nil {
		s.show(errorMessage(loadErr))
	}
	s.load()
}

// signInScreen asks who is at the desk: a user and their PIN or password.
type signInScreen struct {
	u        *UI
	content  fyne.CanvasObject
	user     *widget.Select
	secret   *widget.Entry
	btn      *widget.Button
	msg      *widget.Label
	language *widget.Select
	busy     bool
	locked   bool
}

func newSignInScreen(u *UI) *signInScreen {
	s := &signInScreen{u: u}
	s.user = widget.NewSelect(nil, func(string) { u.win.Canvas().Focus(s.secret) })
	s.user.PlaceHolder = tr("auth.pick_user", "Who are you?")
	s.secret = widget.NewPasswordEntry()
	s.secret.SetPlaceHolder(tr("auth.secret_ph", "PIN or password"))
	s.secret.OnSubmitted = func(string) { s.submit() }
	s.btn = widget.NewButton(tr("auth.sign_in", "Sign in"), s.submit)
	s.btn.Importance = widget.HighImportance
	s.msg = pageErrLabel()

	codes := append([]string{""}, Languages...)
	s.language = widget.NewSelect([]string{tr("settings.lang_auto", "As the system"), "Русский", "English"}, nil)
	current := u.app.Preferences().String(PrefLanguage)
	for i, c := range codes {
		if c == current {
			s.language.SetSelectedIndex(i)
		}
	}
	s.language.OnChanged = func(string) {
		if i := s.language.SelectedIndex(); i >= 0 {
			u.app.Preferences().SetString(PrefLanguage, codes[i])
		}
	}

	title := widget.NewLabelWithStyle(tr("auth.sign_in_title", "Sign in to LoyaltyDesk"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	form := widget.NewForm(
		widget.NewFormItem(tr("field.user_name", "User name"), s.user),
		widget.NewFormItem(tr("field.secret", "PIN or password"), s.secret),
	)
	lang := widget.NewForm(widget.NewFormItem(tr("settings.language", "Language"), s.language))
	lang.Items[0].HintText = tr("settings.language_hint", "Takes effect after a restart")
	card := container.NewVBox(title, form, s.msg, container.NewHBox(layout.NewSpacer(), s.btn), widget.NewSeparator(), lang)
	s.content = container.NewCenter(container.NewStack(widthOf(420), card))
	return s
}

// load fills the user list, the one who signed in last preselected.
func (s *signInScreen) load() {
	s.u.async(func() {
		users, err := s.u.deps.Auth.Users(s.u.ctx())
		fyne.Do(func() {
			if err != nil {
				s.show(errorMessage(err))
				return
			}
			var names []string
			for _, us := range users {
				if !us.Disabled {
					names = append(names, us.Name)
				}
			}
			s.user.SetOptions(names)
			last := s.u.app.Preferences().String(prefLastUser)
			for _, n := range names {
				if n == last {
					s.user.SetSelected(n)
				}
			}
			if s.user.Selected == "" && len(names) > 0 {
				s.user.SetSelected(names[0])
			}
			s.u.win.Canvas().Focus(s.secret)
		})
	})
}

// submit checks the name and secret in the background.
func (s *signInScreen) submit() {
	if s.busy || s.locked {
		return
	}
	name, secret := s.user.Selected, s.secret.Text
	if name == "" {
		s.show(tr("auth.pick_user_first", "Choose who you are first"))
		return
	}
	s.busy = true
	s.btn.Disable()
	s.u.async(func() {
		// A failed try is logged under the name that was tried.
		sess, err := s.u.deps.Auth.SignIn(app.WithActor(s.u.ctx(), name), name, secret)
		fyne.Do(func() {
			s.busy = false
			s.btn.Enable()
			s.secret.SetText("")
			var le *app.LockedError
			switch {
			case errors.As(err, &le):
				s.lock(le.Until)
			case err != nil:
				s.show(errorMessage(err))
				s.u.win.Canvas().Focus(s.secret)
			default:
				s.u.app.Preferences().SetString(prefLastUser, sess.Name)
				s.u.setSession(&sess)
				s.u.showMain()
			}
		})
	})
}

func (s *signInScreen) show(msg string) {
	s.msg.SetText(msg)
	s.msg.Show()
	s.content.Refresh() // the centred card grows by the message
}

// lock disables the inputs until the lockout ends and says until when.
func (s *signInScreen) lock(until time.Time) {
	s.locked = true
	s.user.Disable()
	s.secret.Disable()
	s.btn.Disable()
	s.show(errorMessage(&app.LockedError{Until: until}))
	s.u.unlockAt(until, func() {
		s.locked = false
		s.user.Enable()
		s.secret.Enable()
		s.btn.Enable()
		s.show(tr("auth.unlocked", "You can try again now"))
		if s.u.auth.signIn == s {
			s.u.win.Canvas().Focus(s.secret)
		}
	})
}

// roleLabel names a role.
func roleLabel(r app.Role) string {
	switch r {
	case app.RoleOwner:
		return tr("role.owner", "Owner")
	case app.RoleManager:
		return tr("role.manager", "Manager")
	case app.RoleCashier:
		return tr("role.cashier", "Cashier")
	}
	return string(r)
}

// usersSection lists the users in the settings and adds or edits them
// (AD-01); the Settings tab is the owner's only.
type usersSection struct {
	u       *UI
	content fyne.CanvasObject
	list    *fyne.Container
	addBtn  *widget.Button
	status  *widget.Label
	users   []app.User
	// lastDialog is the latest user dialog, for tests.
	lastDialog *userDialog
}

func newUsersSection(u *UI) *usersSection {
	s := &usersSection{u: u}
	title := widget.NewLabelWithStyle(tr("users.title", "Users and roles"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	hint := widget.NewLabel(tr("users.hint", "The owner's and managers' passwords are the administrator password: manual points operations ask for it. A cashier uses the till and the client base only. Once a user exists, LoyaltyDesk asks who is at the desk when it starts."))
	hint.Wrapping = fyne.TextWrapWord
	s.addBtn = widget.NewButton(tr("users.add", "Add user…"), func() { s.edit(nil) })
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	s.status.Hide()
	s.list = container.NewVBox()
	s.content = container.NewVBox(title, hint, s.list, container.NewHBox(s.addBtn), s.status)
	return s
}

// load refills the list.
func (s *usersSection) load() {
	s.u.async(func() {
		users, err := s.u.deps.Auth.Users(s.u.ctx())
		fyne.Do(func() {
			s.list.RemoveAll()
			if err != nil {
				s.list.Add(widget.NewLabel(errorMessage(err)))
				return
			}
			s.users = users
			if len(users) == 0 {
				l := widget.NewLabel(tr("users.none", "No users yet: anyone at this computer acts as the owner. Add the owner first."))
				l.Wrapping = fyne.TextWrapWord
				s.list.Add(l)
			}
			for i := range users {
				us := users[i]
				line := us.Name + " · " + roleLabel(us.Role)
				if us.Disabled {
					line += " · " + tr("users.disabled", "disabled")
				}
				edit := widget.NewButton(tr("users.edit", "Edit…"), func() { s.edit(&us) })
				s.list.Add(container.NewBorder(nil, nil, nil, edit, widget.NewLabel(line)))
			}
			if st := s.u.settings; st != nil && st.content != nil {
				st.content.Refresh() // lay the settings out again around the new rows
			}
		})
	})
}

// edit opens the dialog for a new user (nil) or an existing one.
func (s *usersSection) edit(us *app.User) {
	d := newUserDialog(s.u, us, len(s.users) == 0, "")
	d.onSaved = func(saved app.User, _ string) {
		if len(s.users) == 0 {
			s.status.SetText(tr("users.first_saved", "{{.Name}} is the owner now and is signed in. From the next start LoyaltyDesk asks who is at the desk.", map[string]any{"Name": saved.Name}))
			s.status.Show()
		}
		s.load()
	}
	s.lastDialog = d
	d.show()
}

// userDialog adds or edits one user. Changes after the first user need an
// owner's approval, asked for once the fields are valid.
type userDialog struct {
	u        *UI
	id       string
	first    bool
	name     *escEntry
	role     *widget.Select
	secret   *escEntry
	repeat   *escEntry
	disabled *widget.Check
	errs     map[string]*widget.Label
	general  *widget.Label
	saveBtn  *widget.Button
	dlg      dialog.Dialog
	open     bool
	// ap is the approval given for this dialog, reused on the next try.
	ap *app.Approval
	// onSaved runs on the UI goroutine with the saved user and the secret typed.
	onSaved func(app.User, string)
}

// newUserDialog builds the dialog; first says no user exists yet, note is
// an explanation shown on top ("" for none).
func newUserDialog(u *UI, us *app.User, first bool, note string) *userDialog {
	d := &userDialog{u: u, first: first, errs: map[string]*widget.Label{}}
	d.name = newEscEntry(false)
	roles := make([]string, len(app.Roles))
	for i, r := range app.Roles {
		roles[i] = roleLabel(r)
	}
	d.role = widget.NewSelect(roles, nil)
	d.role.SetSelected(roleLabel(app.RoleCashier))
	d.secret = newEscEntry(true)
	d.repeat = newEscEntry(true)
	d.disabled = widget.NewCheck(tr("users.disable", "Disabled: cannot sign in"), nil)
	title := tr("users.new_title", "New user")
	if first {
		d.role.SetSelected(roleLabel(app.RoleOwner))
		title = tr("users.first_title", "The owner")
	}
	if us != nil {
		d.id = us.ID
		d.name.SetText(us.Name)
		d.role.SetSelected(roleLabel(us.Role))
		d.disabled.SetChecked(us.Disabled)
		d.secret.SetPlaceHolder(tr("users.secret_keep", "Leave empty to keep"))
		d.repeat.SetPlaceHolder(tr("users.secret_keep", "Leave empty to keep"))
		title = tr("users.edit_title", "User {{.Name}}", map[string]any{"Name": us.Name})
	}
	for _, e := range []*escEntry{d.name, d.secret, d.repeat} {
		e.OnSubmitted = func(string) { d.save() }
		e.esc = func() { d.dlg.Hide() }
	}
	errLabel := func(field string) *widget.Label {
		l := pageErrLabel()
		d.errs[field] = l
		return l
	}
	form := widget.NewForm(
		widget.NewFormItem(fieldLabel(app.FieldUserName), container.NewVBox(d.name, errLabel(app.FieldUserName))),
		widget.NewFormItem(fieldLabel(app.FieldRole), container.NewVBox(d.role, errLabel(app.FieldRole))),
		widget.NewFormItem(fieldLabel(app.FieldSecret), container.NewVBox(d.secret, errLabel(app.FieldSecret))),
		widget.NewFormItem(tr("users.repeat", "Repeat"), d.repeat),
		widget.NewFormItem("", d.disabled),
	)
	form.Items[1].HintText = tr("users.role_hint", "Owner: everything. Manager: all but users and settings. Cashier: the till and clients.")
	form.Items[2].HintText = tr("users.secret_hint", "A PIN of at least 4 digits or a password")
	d.general = pageErrLabel()
	d.saveBtn = widget.NewButton(tr("dialog.save", "Save"), d.save)
	d.saveBtn.Importance = widget.HighImportance
	cancel := widget.NewButton(tr("dialog.cancel", "Cancel"), func() { d.dlg.Hide() })
	body := container.NewVBox()
	if note != "" {
		l := widget.NewLabel(note)
		l.Wrapping = fyne.TextWrapWord
		body.Add(l)
	}
	body.Add(form)
	body.Add(d.general)
	body.Add(container.NewHBox(layout.NewSpacer(), cancel, d.saveBtn))
	d.dlg = dialog.NewCustomWithoutButtons(title, body, u.win)
	d.dlg.SetOnClosed(func() { d.open = false })
	d.fit()
	return d
}

func (d *userDialog) show() {
	d.open = true
	d.dlg.Show()
	d.u.win.Canvas().Focus(d.name)
}

func (d *userDialog) input() app.UserInput {
	in := app.UserInput{Name: d.name.Text, Secret: d.secret.Text, Disabled: d.disabled.Checked}
	if i := d.role.SelectedIndex(); i >= 0 {
		in.Role = app.Roles[i]
	}
	return in
}

// save checks the repeat, then saves; an owner's approval is asked for when
// the app wants one, and the field errors show under their fields.
func (d *userDialog) save() {
	for _, l := range d.errs {
		l.Hide()
	}
	d.general.Hide()
	if d.secret.Text != d.repeat.Text {
		d.errs[app.FieldSecret].SetText(tr("users.secret_mismatch", "PIN or password: the two entries differ"))
		d.errs[app.FieldSecret].Show()
		d.fit()
		return
	}
	var ap app.Approval
	if d.ap != nil {
		ap = *d.ap
	}
	d.submit(d.input(), ap, false)
}

func (d *userDialog) submit(in app.UserInput, ap app.Approval, asked bool) {
	d.saveBtn.Disable()
	d.u.async(func() {
		saved, err := d.u.deps.Auth.SaveUser(d.u.ctx(), ap, d.id, in)
		fyne.Do(func() {
			d.saveBtn.Enable()
			if errors.Is(err, app.ErrDenied) && !asked {
				// Valid fields: now the owner's password (the fields are
				// checked before the approval, so it is asked for once).
				d.ap = nil
				d.u.approve(tr("users.approve_title", "Change the users"), func(ap app.Approval) {
					d.ap = &ap
					d.submit(in, ap, true)
				})
				return
			}
			if err != nil {
				d.showErr(err)
				return
			}
			d.dlg.Hide()
			// Saved with no approval: it was the first user.
			d.u.sessionSaved(saved, ap.UserID == "")
			if d.onSaved != nil {
				d.onSaved(saved, in.Secret)
			}
		})
	})
}

func (d *userDialog) showErr(err error) {
	shown := false
	for _, fe := range app.FieldErrors(err) {
		if l, ok := d.errs[fe.Field]; ok {
			msg := fieldMessage(fe)
			if fe.Reason == app.ReasonTaken { // not "another client's"
				msg = tr("users.name_taken", "{{.Field}}: «{{.Value}}» is another user's name", map[string]any{"Field": fieldLabel(fe.Field), "Value": fe.Value})
			}
			l.SetText(msg)
			l.Show()
			shown = true
		}
	}
	if !shown {
		if errors.Is(err, app.ErrDenied) {
			d.ap = nil
			d.general.SetText(tr("users.owner_only", "Only an owner's password allows changing the users"))
		} else {
			d.general.SetText(errorMessage(err))
		}
		d.general.Show()
	}
	d.fit()
}

// fit grows the dialog to the messages shown in it.
func (d *userDialog) fit() { d.dlg.Resize(fyne.NewSize(520, 0)) }

// sessionSaved follows a saved user into the session: the first owner is
// signed in at once (they just set the password), and a change to the
// signed-in user renames them or changes what they may use.
func (u *UI) sessionSaved(us app.User, first bool) {
	u.auth.mu.Lock()
	cur := u.auth.session
	u.auth.mu.Unlock()
	switch {
	case first && cur == nil:
		u.setSession(&app.Session{UserID: us.ID, Name: us.Name, Role: us.Role})
		u.app.Preferences().SetString(prefLastUser, us.Name)
		u.win.SetMainMenu(u.menu())
	case cur != nil && cur.UserID == us.ID:
		if us.Disabled {
			u.signOut()
			return
		}
		u.setSession(&app.Session{UserID: us.ID, Name: us.Name, Role: us.Role})
		if us.Role != cur.Role {
			u.showMain()
		}
	}
}

// setFirstOwner asks for the first owner when a manual operation needs the
// administrator password and none is set, then approves with it and goes on.
func (u *UI) setFirstOwner(then func(app.Approval)) {
	d := newUserDialog(u, nil, true, tr("auth.no_admin_yet", "No administrator password is set yet. Add the owner: their PIN or password becomes the administrator password, and the operation goes on."))
	d.onSaved = func(_ app.User, secret string) {
		u.async(func() {
			ap, err := u.deps.Auth.Approve(u.ctx(), secret)
			fyne.Do(func() {
				if err != nil {
					u.showError(err)
					return
				}
				if u.settings != nil && u.settings.users != nil {
					u.settings.users.load()
				}
				then(ap)
			})
		})
	}
	if u.settings != nil && u.settings.users != nil {
		u.settings.users.lastDialog = d
	}
	d.show()
}

// hasAdmin reports whether an enabled owner or manager exists.
func hasAdmin(users []app.User) bool {
	for _, us := range users {
		if !us.Disabled && us.Role.IsAdmin() {
			return true
		}
	}
	return false
}

// escEntry is an entry whose Escape calls esc (closes its dialog) and which
// types everything else.
type escEntry struct {
	widget.Entry
	esc func()
}

func newEscEntry(password bool) *escEntry {
	e := &escEntry{}
	if password {
		e.Password = true // Fyne adds the reveal button
		e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey calls esc on Escape and types everything else.
func (e *escEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.esc != nil {
		e.esc()
		return
	}
	e.Entry.TypedKey(k)
}
