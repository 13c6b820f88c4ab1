package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/color"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// auditPage is how many audit lines one load reads.
const auditPage = 100

// auditKind is a choice of the action filter: a label and the action prefix
// it selects.
type auditKind struct {
	label  string
	prefix string
}

func auditKinds() []auditKind {
	return []auditKind{
		{tr("audit.kind_all", "All actions"), ""},
		{tr("audit.kind_clients", "Clients"), "client"}, // client.* and the bulk clients.*
		{tr("audit.kind_points", "Points"), "ledger."},
		{tr("audit.kind_accounts", "Bonus accounts"), "account"},
		{tr("audit.kind_purchases", "Purchases and refunds"), "purchase."},
		{tr("audit.kind_gifts", "Gifts"), "gift."},
		{tr("audit.kind_programs", "Bonus programs"), "program."},
		{tr("audit.kind_catalogue", "Catalogue"), "product"},
		{tr("audit.kind_segments", "Segments"), "segment."},
		{tr("audit.kind_users", "Users"), "user."},
		{tr("audit.kind_auth", "Sign-in and passwords"), "auth."},
		{tr("audit.kind_settings", "Settings"), "settings."},
		{tr("audit.kind_backups", "Backups"), "backup."},
	}
}

// auditRow is one audit line, ready to show.
type auditRow struct {
	when, actor, what string
	pairs             [][2]string // the details, translated keys
}

// auditScreen is the audit log (AD-02): newest first, a page at a time,
// filtered by text, actor, kind of action and dates.
type auditScreen struct {
	u       *UI
	content fyne.CanvasObject
	search  *widget.Entry
	actor   *widget.SelectEntry
	kind    *widget.Select
	kinds   []auditKind
	from    *widget.Entry
	to      *widget.Entry
	dateErr *widget.Label
	list    *widget.List
	empty   *widget.Label
	status  *widget.Label
	more    *widget.Button

	rows []auditRow
	q    app.AuditQuery // the filter of the rows shown
	gen  int            // the latest load; older results are dropped
}

func newAuditScreen(u *UI) *auditScreen {
	s := &auditScreen{u: u, kinds: auditKinds()}
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(tr("audit.search_ph", "Search: action, user, client id, details…"))
	s.actor = widget.NewSelectEntry(nil)
	s.actor.SetPlaceHolder(tr("audit.actor_any", "Anyone"))
	labels := make([]string, len(s.kinds))
	for i, k := range s.kinds {
		labels[i] = k.label
	}
	s.kind = widget.NewSelect(labels, nil)
	s.kind.SetSelectedIndex(0)
	s.from = widget.NewEntry()
	s.from.SetPlaceHolder(tr("audit.date_ph", "DD.MM.YYYY"))
	s.to = widget.NewEntry()
	s.to.SetPlaceHolder(tr("audit.date_ph", "DD.MM.YYYY"))
	for _, e := range []*widget.Entry{s.from, s.to} {
		e.OnSubmitted = func(string) { s.load() }
	}
	s.dateErr = pageErrLabel()

	s.list = widget.NewList(func() int { return len(s.rows) }, newAuditItem, s.updateItem)
	s.list.OnSelected = func(id widget.ListItemID) {
		s.list.Unselect(id)
		if id < len(s.rows) {
			s.showDetails(s.rows[id])
		}
	}
	s.empty = widget.NewLabel(tr("audit.empty", "No entries match"))
	s.empty.Alignment = fyne.TextAlignCenter
	s.empty.Hide()
	s.status = widget.NewLabel("")
	s.more = widget.NewButton(tr("audit.more", "Show more"), s.loadMore)
	s.more.Hide()
	// Any change of the filter reloads; late results of an older one are dropped.
	s.search.OnChanged = func(string) { s.load() }
	s.actor.OnChanged = func(string) { s.load() }
	s.kind.OnChanged = func(string) { s.load() }

	title := widget.NewLabelWithStyle(tr("nav.audit", "Audit log"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	dates := container.NewHBox(widget.NewLabel(tr("audit.from", "From")), container.NewStack(widthOf(130), s.from),
		widget.NewLabel(tr("audit.to", "to")), container.NewStack(widthOf(130), s.to))
	filters := container.New(spreadLayout{},
		container.NewStack(widthOf(260), s.search),
		container.NewStack(widthOf(160), s.actor),
		container.NewStack(widthOf(200), s.kind))
	top := container.NewVBox(title, filters, dates, s.dateErr)
	bottom := container.NewHBox(s.status, layout.NewSpacer(), s.more)
	s.content = container.NewBorder(top, bottom, nil, nil, container.NewStack(s.list, s.empty))
	return s
}

func newAuditItem() fyne.CanvasObject {
	when := widget.NewLabel("00.00.0000 00:00:00")
	actor := widget.NewLabel("")
	actor.Truncation = fyne.TextTruncateEllipsis
	what := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	what.Truncation = fyne.TextTruncateEllipsis
	details := widget.NewLabel("")
	details.Truncation = fyne.TextTruncateEllipsis
	left := container.NewVBox(when, container.NewStack(widthOf(170), actor))
	return container.NewBorder(nil, nil, left, nil, container.NewVBox(what, details))
}

func (s *auditScreen) updateItem(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(s.rows) {
		return
	}
	r := s.rows[id]
	b := o.(*fyne.Container)
	center, left := b.Objects[0].(*fyne.Container), b.Objects[1].(*fyne.Container)
	left.Objects[0].(*widget.Label).SetText(r.when)
	left.Objects[1].(*fyne.Container).Objects[1].(*widget.Label).SetText(r.actor)
	center.Objects[0].(*widget.Label).SetText(r.what)
	center.Objects[1].(*widget.Label).SetText(pairsLine(r.pairs))
}

// query reads the filter fields; a bad date is shown under the dates.
func (s *auditScreen) query() (app.AuditQuery, bool) {
	q := app.AuditQuery{Text: strings.TrimSpace(s.search.Text), Actor: strings.TrimSpace(s.actor.Text)}
	if i := s.kind.SelectedIndex(); i > 0 {
		q.Action = s.kinds[i].prefix
	}
	s.dateErr.Hide()
	var fromDate, toDate app.Date
	for _, f := range []struct {
		e     *widget.Entry
		label string
		d     *app.Date
	}{{s.from, tr("audit.from_field", "Date from"), &fromDate}, {s.to, tr("audit.to_field", "Date to"), &toDate}} {
		d, err := app.ParseDate(f.e.Text)
		if err != nil {
			s.dateErr.SetText(fieldMessageAs(app.FieldError{Field: app.FieldActiveDates, Reason: app.ReasonBadDate, Value: strings.TrimSpace(f.e.Text)}, f.label, ""))
			s.dateErr.Show()
			return q, false
		}
		*f.d = d
	}
	if !fromDate.IsZero() {
		q.From = fromDate.Time(time.Local)
	}
	if !toDate.IsZero() {
		q.To = toDate.Time(time.Local).AddDate(0, 0, 1) // the whole last day
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		s.dateErr.SetText(fieldMessageAs(app.FieldError{Field: app.FieldActiveDates, Reason: app.ReasonBadRange}, tr("audit.dates", "Dates"), ""))
		s.dateErr.Show()
		return q, false
	}
	return q, true
}

// load reads the first page with the filter; the tab calls it when selected.
func (s *auditScreen) load() {
	shown := s.dateErr.Visible()
	q, ok := s.query()
	if s.dateErr.Visible() != shown {
		s.content.Refresh() // the filter grows or shrinks by the message
	}
	if !ok {
		return
	}
	q.Limit = auditPage + 1 // one more tells whether there is a next page
	s.fetch(q, false)
	s.loadActors()
}

// loadMore appends the next page.
func (s *auditScreen) loadMore() {
	q := s.q
	q.Offset = len(s.rows)
	q.Limit = auditPage + 1
	s.more.Disable()
	s.fetch(q, true)
}

func (s *auditScreen) fetch(q app.AuditQuery, appendRows bool) {
	s.gen++
	gen := s.gen
	s.status.SetText(tr("audit.loading", "Loading…"))
	s.u.async(func() {
		es, err := s.u.deps.Auth.AuditLog(s.u.ctx(), q)
		rows := make([]auditRow, 0, len(es))
		for i, e := range es {
			if i == auditPage {
				break
			}
			rows = append(rows, auditRowOf(e))
		}
		fyne.Do(func() {
			if gen != s.gen {
				return // a newer filter is loading
			}
			s.more.Enable()
			if err != nil {
				s.status.SetText(errorMessage(err))
				return
			}
			s.q = q
			if appendRows {
				s.rows = append(s.rows, rows...)
			} else {
				s.rows = rows
				s.list.ScrollToTop()
			}
			if len(es) > auditPage != s.more.Visible() {
				showIf(s.more, len(es) > auditPage)
				s.content.Refresh()
			}
			showIf(s.empty, len(s.rows) == 0)
			s.status.SetText(tr("audit.shown", "Entries shown: {{.Count}}", map[string]any{"Count": len(s.rows)}))
			s.list.Refresh()
		})
	})
}

// loadActors offers the users' names (and the actors before users existed)
// in the actor filter.
func (s *auditScreen) loadActors() {
	s.u.async(func() {
		users, err := s.u.deps.Auth.Users(s.u.ctx())
		if err != nil {
			return
		}
		names := make([]string, 0, len(users)+2)
		for _, us := range users {
			names = append(names, us.Name)
		}
		names = append(names, "owner", "system")
		fyne.Do(func() { s.actor.SetOptions(names) })
	})
}

// showDetails shows every detail of one line.
func (s *auditScreen) showDetails(r auditRow) {
	lines := []string{r.when + " · " + r.actor}
	for _, p := range r.pairs {
		lines = append(lines, p[0]+": "+p[1])
	}
	l := widget.NewLabel(strings.Join(lines, "\n"))
	l.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(r.what, tr("dialog.close", "Close"), container.NewVScroll(l), s.u.win)
	d.Resize(fyne.NewSize(560, 360))
	d.Show()
}

func auditRowOf(e app.AuditEntry) auditRow {
	return auditRow{
		when:  e.At.Local().Format("02.01.2006 15:04:05"),
		actor: e.Actor,
		what:  auditAction(e.Action),
		pairs: auditDetails(e.Entity, e.Details),
	}
}

// auditAction describes an action; unknown ones show as they are.
func auditAction(action string) string {
	switch action {
	case "client.create":
		return tr("audit.client_create", "New client")
	case "client.update":
		return tr("audit.client_update", "Client changed")
	case "client.delete":
		return tr("audit.client_delete", "Client deleted")
	case "client.identifier.add":
		return tr("audit.identifier_add", "Identifier added")
	case "client.identifier.remove":
		return tr("audit.identifier_remove", "Identifier removed")
	case "client.contact.add":
		return tr("audit.contact_add", "Contact added")
	case "client.contact.remove":
		return tr("audit.contact_remove", "Contact removed")
	case "client.variable.set":
		return tr("audit.variable_set", "Variable set")
	case "client.variable.remove":
		return tr("audit.variable_remove", "Variable removed")
	case "client.referrer.set":
		return tr("audit.referrer_set", "Referrer set")
	case "clients.import":
		return tr("audit.clients_import", "Clients imported")
	case "clients.mass_unsubscribe":
		return tr("audit.mass_unsubscribe", "Unsubscribed from a pasted list")
	case "segment.save":
		return tr("audit.segment_save", "Segment saved")
	case "segment.delete":
		return tr("audit.segment_delete", "Segment deleted")
	case "settings.set":
		return tr("audit.settings_set", "Setting changed")
	case "ledger.accrue":
		return tr("audit.ledger_accrue", "Points accrued by hand")
	case "ledger.debit":
		return tr("audit.ledger_debit", "Points debited by hand")
	case "ledger.correct":
		return tr("audit.ledger_correct", "Points corrected")
	case "ledger.reset_holds":
		return tr("audit.reset_holds", "Holds reset")
	case "account.open":
		return tr("audit.account_open", "Bonus account opened")
	case "account_type.save":
		return tr("audit.account_type_save", "Account type saved")
	case "purchase.refund":
		return tr("audit.purchase_refund", "Purchase refunded")
	case "gift.give":
		return tr("audit.gift_give", "Gift given")
	case "gift.save":
		return tr("audit.gift_save", "Gift saved")
	case "gift.delete":
		return tr("audit.gift_delete", "Gift deleted")
	case "program.save":
		return tr("audit.program_save", "Bonus program saved")
	case "program.delete":
		return tr("audit.program_delete", "Bonus program deleted")
	case "product.save":
		return tr("audit.product_save", "Product saved")
	case "product.delete":
		return tr("audit.product_delete", "Product deleted")
	case "product_category.save":
		return tr("audit.category_save", "Product category saved")
	case "product_category.delete":
		return tr("audit.category_delete", "Product category deleted")
	case "user.save":
		return tr("audit.user_save", "User saved")
	case "auth.sign_in.failed":
		return tr("audit.sign_in_failed", "Failed sign-in: wrong password")
	case "auth.approve.failed":
		return tr("audit.approve_failed", "Wrong administrator password")
	}
	if k, ok := strings.CutPrefix(action, "clients."); ok {
		if t := actionTitle(app.ActionKind(k)); t != k {
			return tr("audit.bulk", "Quick action on clients: {{.Action}}", map[string]any{"Action": strings.TrimSuffix(t, "…")})
		}
	}
	return action
}

// auditKey names a detail's key of an entity ("user", "client"…); unknown
// keys show as they are.
func auditKey(entity, k string) string {
	switch k {
	case "amount":
		return tr("field.amount", "Amount")
	case "reason":
		return tr("field.reason", "Reason")
	case "message":
		return tr("field.message", "Message to the client")
	case "clients":
		return tr("audit.key_clients", "Clients changed")
	case "short":
		return tr("audit.key_short", "Clients short of points")
	case "approved_by":
		return tr("audit.key_approved_by", "Approved by")
	case "target":
		return tr("audit.key_target", "Whom")
	case "name":
		switch entity {
		case "user":
			return tr("field.user_name", "User name")
		case "client":
			return tr("field.client", "Client")
		}
		return tr("field.name", "Name")
	case "phone", "email", "number", "sold", "gift", "points", "note", "expiry_days", "price", "sku", "value", "reward":
		return fieldLabel(k) // the same words as the fields'
	case "returned":
		return tr("audit.key_returned", "Points returned")
	case "reversed":
		return tr("audit.key_reversed", "Points taken back")
	case "unrecovered":
		return tr("audit.key_unrecovered", "Points not recovered")
	case "role":
		return tr("field.role", "Role")
	case "disabled":
		return tr("audit.key_disabled", "Disabled")
	case "secret_changed":
		return tr("audit.key_secret_changed", "Password changed")
	case "released":
		return tr("audit.key_released", "Holds released")
	case "file":
		return tr("audit.key_file", "File")
	case "rows":
		return tr("audit.key_rows", "Rows")
	case "created":
		return tr("audit.key_created", "Created")
	case "updated":
		return tr("audit.key_updated", "Updated")
	case "merged":
		return tr("audit.key_merged", "Merged")
	case "skipped":
		return tr("audit.key_skipped", "Skipped")
	case "duplicates":
		return tr("audit.key_duplicates", "Duplicates")
	case "opening_balances":
		return tr("field.opening_balance", "Opening balance")
	case "categories":
		return tr("audit.key_categories", "Categories made")
	case "enabled":
		return tr("audit.key_enabled", "Active")
	case "groups":
		return tr("audit.key_groups", "Client groups")
	}
	return k
}

// auditValue shows a value: roles and yes/no translated.
func auditValue(key, v string) string {
	switch {
	case key == "role":
		return roleLabel(app.Role(v))
	case key == "sold" || key == "price": // kopecks
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return moneyText(n)
		}
	case key == "phone" && strings.HasPrefix(v, "+"):
		return app.FormatPhone(v)
	case key == "duplicates" && v == string(app.DuplicatesMerge):
		return tr("audit.dup_merge", "merged")
	case key == "duplicates" && v == string(app.DuplicatesSkip):
		return tr("audit.dup_skip", "skipped")
	case key == "reward" && v == string(app.RewardPercent):
		return tr("audit.reward_percent", "percent")
	case key == "reward" && v == string(app.RewardFixed):
		return tr("audit.reward_fixed", "fixed points")
	case v == "true":
		return tr("audit.yes", "yes")
	case v == "false":
		return tr("audit.no", "no")
	}
	return v
}

// auditDetails reads a details JSON object in its order, as key-value pairs;
// empty values are left out, and anything not an object shows whole.
func auditDetails(entity, details string) [][2]string {
	details = strings.TrimSpace(details)
	if details == "" || details == "{}" {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(details))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return [][2]string{{tr("audit.details", "Details"), details}}
	}
	var out [][2]string
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			break
		}
		k, _ := kt.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			break
		}
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			var buf bytes.Buffer
			if json.Compact(&buf, raw) == nil {
				v = buf.String()
			} else {
				v = string(raw)
			}
		}
		if v == "" || v == "null" {
			continue
		}
		out = append(out, [2]string{auditKey(entity, k), auditValue(k, v)})
	}
	return out
}

// pairsLine puts the details on one line.
func pairsLine(pairs [][2]string) string {
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = fmt.Sprintf("%s: %s", p[0], p[1])
	}
	return strings.Join(parts, " · ")
}

// showIf shows o when cond holds and hides it otherwise.
func showIf(o fyne.CanvasObject, cond bool) {
	if cond {
		o.Show()
	} else {
		o.Hide()
	}
}

// widthOf is an invisible spacer that holds a stack at least w wide. It is
// filled transparent: a rectangle with no fill crashes the software painter
// (window captures).
func widthOf(w float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(w, 0))
	return r
}
