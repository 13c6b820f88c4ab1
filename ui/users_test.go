package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"loyaltydesk/app"
)

// fillUser types a user into the dialog's fields; role "" keeps the role.
func fillUser(d *userDialog, name, role, secret, repeat string) {
	d.name.SetText("")
	test.Type(d.name, name)
	if role != "" {
		d.role.SetSelected(role)
	}
	d.secret.SetText("")
	test.Type(d.secret, secret)
	d.repeat.SetText("")
	test.Type(d.repeat, repeat)
}

// AD-01: the first user is the owner, saved without an approval; a cashier
// after them needs the owner's password, typed into the approval prompt.
func TestUsersFirstOwnerThenCashierWithApproval(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.ui.tabs.Select(h.ui.settingsTab)
	sec := h.ui.settings.users
	if sec == nil {
		t.Fatal("no users section in the settings")
	}
	if !contains(visibleTexts(h.win), "Пользователи и роли") {
		t.Error("the section title is not shown")
	}
	if h.ui.actor() != "owner" {
		t.Errorf("actor with no users = %q, want owner", h.ui.actor())
	}

	test.Tap(sec.addBtn)
	d := sec.lastDialog
	if d == nil || !d.open {
		t.Fatal("the user dialog did not open")
	}
	if d.role.Selected != "Владелец" {
		t.Errorf("the first user's role = %q, want Владелец", d.role.Selected)
	}
	// The first user must be an owner.
	fillUser(d, "Анна", "Кассир", "1234", "1234")
	test.Tap(d.saveBtn)
	if l := d.errs[app.FieldRole]; !l.Visible() || !strings.HasPrefix(l.Text, "Первый пользователь должен быть владельцем") {
		t.Errorf("role error = %q (visible %v)", l.Text, l.Visible())
	}
	// Too short, then two different entries.
	fillUser(d, "Анна", "Владелец", "12", "12")
	test.Tap(d.saveBtn)
	if l := d.errs[app.FieldSecret]; !l.Visible() || l.Text != "PIN-код или пароль: слишком коротко (не меньше 4 символов)" {
		t.Errorf("secret error = %q (visible %v)", l.Text, l.Visible())
	}
	if d.errs[app.FieldRole].Visible() {
		t.Error("the role error stays after the role was fixed")
	}
	fillUser(d, "Анна", "", "1234", "1243")
	test.Tap(d.saveBtn)
	if l := d.errs[app.FieldSecret]; l.Text != "PIN-код или пароль: две записи не совпадают" {
		t.Errorf("mismatch error = %q", l.Text)
	}
	if us, _ := h.auth.Users(ctx); len(us) != 0 {
		t.Fatalf("%d users saved by failed tries", len(us))
	}
	// Escape closes the dialog; Add user… opens it again.
	d.name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if d.open {
		t.Fatal("Escape does not close the dialog")
	}
	test.Tap(sec.addBtn)
	d = sec.lastDialog
	// Enter in the last field saves.
	fillUser(d, "Анна", "", "1234", "1234")
	d.repeat.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if d.open {
		t.Fatalf("the dialog stays open: %v", visibleUserErrors(d))
	}
	us, err := h.auth.Users(ctx)
	if err != nil || len(us) != 1 || us[0].Name != "Анна" || us[0].Role != app.RoleOwner {
		t.Fatalf("users = %+v, %v", us, err)
	}
	if h.ui.actor() != "Анна" {
		t.Errorf("after the first owner the actor is %q, want Анна", h.ui.actor())
	}
	if !contains(visibleTexts(h.win), "Анна · Владелец") {
		t.Errorf("the list does not show the owner: %q", visibleTexts(h.win))
	}

	// A cashier: valid fields first, then the owner's password.
	test.Tap(sec.addBtn)
	d = sec.lastDialog
	if d.role.Selected != "Кассир" {
		t.Errorf("a later user's role = %q, want Кассир", d.role.Selected)
	}
	// The fields are valid, so the owner's password is asked for; a taken
	// name then shows under the name.
	fillUser(d, "анна", "", "5678", "5678")
	test.Tap(d.saveBtn)
	p := h.ui.auth.prompt
	if p == nil {
		t.Fatal("no approval prompt for the second user")
	}
	test.Type(p.secret, "0000")
	test.Tap(p.ok)
	if !p.errLabel.Visible() || p.errLabel.Text != "Неверное имя или пароль" {
		t.Errorf("a wrong approval shows %q", p.errLabel.Text)
	}
	if us, _ := h.auth.Users(ctx); len(us) != 1 {
		t.Fatalf("%d users after a wrong approval, want 1", len(us))
	}
	test.Type(p.secret, "1234")
	p.secret.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if l := d.errs[app.FieldUserName]; !d.open || !l.Visible() || l.Text != "Имя пользователя: «анна» — уже имя другого пользователя" {
		t.Errorf("a taken name shows %q (visible %v, dialog open %v)", l.Text, l.Visible(), d.open)
	}
	// The approval holds for the next try: no second prompt.
	h.ui.auth.prompt = nil
	fillUser(d, "Борис", "", "5678", "5678")
	test.Tap(d.saveBtn)
	if h.ui.auth.prompt != nil {
		t.Error("the password was asked for again")
	}
	if d.open {
		t.Fatalf("the dialog stays open: %v / %q", visibleUserErrors(d), d.general.Text)
	}
	us, _ = h.auth.Users(ctx)
	if len(us) != 2 || us[1].Name != "Борис" || us[1].Role != app.RoleCashier {
		t.Fatalf("users = %+v", us)
	}
	if !contains(visibleTexts(h.win), "Борис · Кассир") {
		t.Errorf("the list does not show the cashier: %q", visibleTexts(h.win))
	}
	log, err := h.auth.AuditLog(ctx, app.AuditQuery{Action: "user.save"})
	if err != nil || len(log) != 2 {
		t.Fatalf("user.save audit = %+v, %v", log, err)
	}
	if log[0].Actor != "Анна" || !strings.Contains(log[0].Details, `"approved_by":"Анна"`) {
		t.Errorf("the cashier's audit line = %+v", log[0])
	}
	if s, err := h.auth.SignIn(ctx, "Борис", "5678"); err != nil || s.Role != app.RoleCashier {
		t.Errorf("the cashier cannot sign in with the PIN typed: %+v, %v", s, err)
	}
}

func visibleUserErrors(d *userDialog) map[string]string {
	m := map[string]string{}
	for f, l := range d.errs {
		if l.Visible() {
			m[f] = l.Text
		}
	}
	return m
}

// addUsers stores an owner Анна (1234), a manager Вера (4321) and a cashier
// Борис (5678).
func addUsers(t *testing.T, h *harness) {
	t.Helper()
	ctx := app.WithActor(context.Background(), "test")
	if _, err := h.auth.SaveUser(ctx, app.Approval{}, "", app.UserInput{Name: "Анна", Role: app.RoleOwner, Secret: "1234"}); err != nil {
		t.Fatal(err)
	}
	ap, err := h.auth.Approve(ctx, "1234")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []app.UserInput{{Name: "Вера", Role: app.RoleManager, Secret: "4321"}, {Name: "Борис", Role: app.RoleCashier, Secret: "5678"}} {
		if _, err := h.auth.SaveUser(ctx, ap, "", in); err != nil {
			t.Fatal(err)
		}
	}
}

// signIn signs in on the sign-in screen with Enter.
func signIn(t *testing.T, h *harness, name, secret string) *signInScreen {
	t.Helper()
	s := h.ui.auth.signIn
	if s == nil {
		t.Fatal("the sign-in screen is not shown")
	}
	s.user.SetSelected(name)
	test.Type(s.secret, secret)
	s.secret.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	return s
}

// AD-01: with users the window starts on the sign-in screen; five wrong PINs
// lock it with the time and disabled inputs until the lock ends; the right PIN
// afterwards signs in, and each role sees its own tabs.
func TestSignInLockoutAndRoles(t *testing.T) {
	h := newHarness(t)
	addUsers(t, h)
	var waits []time.Duration
	var unlock func()
	h.ui.auth.now = h.clock.Now
	h.ui.auth.after = func(d time.Duration, f func()) { waits = append(waits, d); unlock = f }

	h.ui.startAuth() // as at the next start
	s := h.ui.auth.signIn
	if s == nil || h.win.Content() != s.content {
		t.Fatal("the window does not start on the sign-in screen")
	}
	if contains(visibleTexts(h.win), "Клиенты") {
		t.Error("the tabs show behind the sign-in screen")
	}
	if h.win.Canvas().Focused() != s.secret {
		t.Error("the PIN field has no focus")
	}
	if got := s.user.Options; len(got) != 3 {
		t.Errorf("users offered = %q", got)
	}
	for i := 1; i <= 5; i++ {
		signIn(t, h, "Борис", "0000")
		if i < 5 && s.msg.Text != "Неверное имя или пароль" {
			t.Errorf("try %d: message %q", i, s.msg.Text)
		}
	}
	until := h.clock.Now().Add(time.Minute)
	want := "Слишком много неверных паролей: повторите после " + until.Local().Format("15:04:05")
	if !s.msg.Visible() || s.msg.Text != want {
		t.Errorf("locked message = %q, want %q", s.msg.Text, want)
	}
	if !s.secret.Disabled() || !s.btn.Disabled() || !s.user.Disabled() {
		t.Error("the inputs are not disabled while locked")
	}
	if len(waits) != 1 || waits[0] != time.Minute {
		t.Errorf("unlock timers = %v, want one of 1m", waits)
	}
	// Submitting while locked does nothing.
	s.submit()
	if h.ui.signedIn() {
		t.Fatal("signed in while locked")
	}

	h.clock.Advance(time.Minute + time.Second)
	unlock()
	if s.secret.Disabled() || s.btn.Disabled() {
		t.Fatal("the inputs stay disabled after the lock ended")
	}
	signIn(t, h, "Борис", "5678")
	if !h.ui.signedIn() || h.ui.actor() != "Борис" {
		t.Fatalf("not signed in as Борис: %q (%q)", h.ui.actor(), s.msg.Text)
	}
	if h.win.Content() != h.ui.tabs {
		t.Fatal("the tabs are not shown after signing in")
	}
	if items := h.ui.tabs.Items; len(items) != 2 || items[0] != h.ui.tillTab || items[1] != h.ui.clientsTab {
		t.Errorf("a cashier sees %v", tabTexts(items))
	}
	if h.ui.tabs.Selected() != h.ui.tillTab {
		t.Error("the till is not selected first for a cashier")
	}
	file := menuLabels(h.win.MainMenu().Items[0])
	if !contains(file, "Сменить пользователя…") || contains(file, "Импорт клиентов…") {
		t.Errorf("a cashier's File menu = %q", file)
	}
	failed, err := h.auth.AuditLog(context.Background(), app.AuditQuery{Action: "auth.sign_in.failed"})
	if err != nil || len(failed) != 5 || failed[0].Actor != "Борис" {
		t.Errorf("failed sign-ins logged: %d, %v", len(failed), err)
	}
	// The client the cashier adds names them as the actor.
	if _, err := h.clients.Create(h.ui.ctx(), app.ClientInput{FirstName: "Ольга"}); err != nil {
		t.Fatal(err)
	}
	if log, _ := h.auth.AuditLog(context.Background(), app.AuditQuery{Action: "client.create"}); len(log) != 1 || log[0].Actor != "Борис" {
		t.Errorf("client.create audit = %+v", log)
	}

	// Switch user: a manager sees everything but the settings.
	h.ui.signOut()
	if h.ui.auth.signIn == nil || h.win.Content() != h.ui.auth.signIn.content || h.ui.signedIn() {
		t.Fatal("switch user does not return to the sign-in screen")
	}
	if h.ui.tabs.Selected() != nil || len(menuLabels(h.win.MainMenu().Items[0])) != 0 {
		t.Errorf("signed out, a tab is still selected (%v) or the File menu offers %q", h.ui.tabs.Selected(), menuLabels(h.win.MainMenu().Items[0]))
	}
	signIn(t, h, "Вера", "4321")
	items := h.ui.tabs.Items
	if len(items) != 8 || containsTab(items, h.ui.settingsTab) || !containsTab(items, h.ui.auditTab) || !containsTab(items, h.ui.rulesTab) {
		t.Errorf("a manager sees %v", tabTexts(items))
	}
	h.ui.signOut()
	signIn(t, h, "Анна", "1234")
	if items := h.ui.tabs.Items; len(items) != 9 || items[0] != h.ui.clientsTab {
		t.Errorf("the owner sees %v", tabTexts(items))
	}
	if h.ui.tabs.Selected() != h.ui.clientsTab {
		t.Error("the owner does not start on the clients")
	}
}

// AD-01: with no users the window starts straight on the tabs as the owner.
func TestNoUsersNoSignIn(t *testing.T) {
	h := newHarness(t)
	if h.ui.auth.signIn != nil || h.win.Content() != h.ui.tabs {
		t.Fatal("a sign-in screen with no users")
	}
	if len(h.ui.tabs.Items) != 9 || !h.ui.may(app.PermUsers) {
		t.Errorf("tabs without users: %v", tabTexts(h.ui.tabs.Items))
	}
}

// AD-01: a manual operation with no administrator yet offers to add the
// owner, and goes on with their approval.
func TestApproveWithoutAdminAddsTheOwner(t *testing.T) {
	h := newHarness(t)
	var got *app.Approval
	h.ui.approve("Начислить", func(ap app.Approval) { got = &ap })
	d := h.ui.settings.users.lastDialog
	if d == nil || !d.open || !d.first {
		t.Fatal("no owner dialog")
	}
	fillUser(d, "Анна", "", "1234", "1234")
	test.Tap(d.saveBtn)
	if got == nil || got.Name != "Анна" || got.Role != app.RoleOwner {
		t.Fatalf("approval after adding the owner = %+v", got)
	}
	// With an owner the prompt asks for the password.
	got = nil
	h.ui.approve("Начислить", func(ap app.Approval) { got = &ap })
	p := h.ui.auth.prompt
	if p == nil {
		t.Fatal("no password prompt")
	}
	test.Type(p.secret, "1234")
	test.Tap(p.ok)
	if got == nil || got.Name != "Анна" {
		t.Errorf("approval = %+v", got)
	}
}

func containsTab(items []*container.TabItem, t *container.TabItem) bool {
	for _, i := range items {
		if i == t {
			return true
		}
	}
	return false
}

func tabTexts(items []*container.TabItem) []string {
	var out []string
	for _, i := range items {
		out = append(out, i.Text)
	}
	return out
}

func menuLabels(m *fyne.Menu) []string {
	var out []string
	for _, i := range m.Items {
		out = append(out, i.Label)
	}
	return out
}
