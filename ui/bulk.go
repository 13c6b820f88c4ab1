package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// bulkConfirmAbove is how many clients an action on the whole filtered list
// may change before it asks once more.
const bulkConfirmAbove = 100

// actionTitle names a quick action in menus and dialogs.
func actionTitle(k app.ActionKind) string {
	switch k {
	case app.ActionAddTag:
		return tr("bulk.add_tag", "Add tag…")
	case app.ActionRemoveTag:
		return tr("bulk.remove_tag", "Remove tag…")
	case app.ActionSetGroup:
		return tr("bulk.set_group", "Change group…")
	case app.ActionFavorite:
		return tr("bulk.favorite", "Add to favorites")
	case app.ActionUnfavorite:
		return tr("bulk.unfavorite", "Remove from favorites")
	case app.ActionBlock:
		return tr("bulk.block", "Block…")
	case app.ActionUnblock:
		return tr("bulk.unblock", "Unblock")
	case app.ActionUnsubscribeSMS:
		return tr("bulk.unsubscribe_sms", "Unsubscribe from SMS")
	case app.ActionUnsubscribeEmail:
		return tr("bulk.unsubscribe_email", "Unsubscribe from e-mail")
	}
	return string(k)
}

// bulkActions are the quick actions the menu offers, in order; nil marks a
// separator.
var bulkActions = []app.ActionKind{
	app.ActionAddTag, app.ActionRemoveTag, app.ActionSetGroup, "",
	app.ActionFavorite, app.ActionUnfavorite, "",
	app.ActionBlock, app.ActionUnblock, "",
	app.ActionUnsubscribeSMS, app.ActionUnsubscribeEmail,
}

// showActionsMenu offers the quick actions under anchor.
func (s *clientsScreen) showActionsMenu(anchor fyne.CanvasObject) {
	showMenuBelow(s.actionsMenu(anchor), anchor, s.u.win)
}

// actionsMenu is the menu of quick actions; export opens under anchor.
func (s *clientsScreen) actionsMenu(anchor fyne.CanvasObject) *fyne.Menu {
	var items []*fyne.MenuItem
	for _, k := range bulkActions {
		if k == "" {
			items = append(items, fyne.NewMenuItemSeparator())
			continue
		}
		items = append(items, fyne.NewMenuItem(actionTitle(k), func() { s.startAction(k) }))
	}
	if s.u.deps.Loyalty != nil {
		items = append(items, fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem(tr("bulk.manual", "Status, discount, class by hand…"), func() { s.startManual() }))
	}
	if s.u.deps.Ledger != nil && s.u.deps.Auth != nil {
		items = append(items, fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem(tr("bulk.points", "Change balance…"), func() { s.startPointsChange() }))
	}
	if s.u.deps.Cards != nil { // QR cards for the checked or found clients (cards.go)
		items = append(items, fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem(tr("cards.bulk_menu", "Print cards…"), func() { s.startPrintCards() }))
	}
	items = append(items, fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(tr("bulk.export", "Export…"), func() { s.export(anchor) }))
	return fyne.NewMenu("", items...)
}

func scopeChecked(n int) string {
	return lang.XN("bulk.scope_checked", "Checked ({{.Count}})", n, map[string]any{"Count": groupDigits(n)})
}

func scopeAll(n int) string {
	return lang.XN("bulk.scope_all", "All found ({{.Count}})", n, map[string]any{"Count": groupDigits(n)})
}

// bulkDialog asks what an action needs (a tag, a group, a reason) and whom
// it changes: the checked clients or everyone the list found.
type bulkDialog struct {
	s       *clientsScreen
	kind    app.ActionKind
	ids     []string // the checked or shown clients, nil if none
	scope   *widget.RadioGroup
	tag     *widget.SelectEntry
	group   *widget.Select
	reason  *widget.Entry
	errLbl  *widget.Label
	okBtn   *widget.Button
	dlg     *dialog.CustomDialog
	confirm dialog.Dialog
	open    bool
}

// startAction opens the dialog of an action.
func (s *clientsScreen) startAction(kind app.ActionKind) *bulkDialog {
	d := &bulkDialog{s: s, kind: kind}
	form := widget.NewForm()
	d.ids, d.scope = s.scopeChoice()
	form.Append(tr("bulk.whom", "Clients"), d.scope)
	switch kind {
	case app.ActionAddTag, app.ActionRemoveTag:
		names := make([]string, len(s.dir.Tags))
		for i, t := range s.dir.Tags {
			names[i] = t.Name
		}
		d.tag = widget.NewSelectEntry(names)
		d.tag.SetPlaceHolder(tr("bulk.tag_ph", "Pick or type a tag"))
		d.tag.OnSubmitted = func(string) { d.submit() }
		form.Append(fieldLabel(app.FieldTag), d.tag)
	case app.ActionSetGroup:
		opts := []string{tr("filter.no_group", "No group")}
		for _, g := range s.dir.Groups {
			opts = append(opts, g.Name)
		}
		d.group = widget.NewSelect(opts, nil)
		d.group.SetSelectedIndex(0)
		form.Append(fieldLabel(app.FieldGroup), d.group)
	case app.ActionBlock:
		d.reason = widget.NewEntry()
		d.reason.SetPlaceHolder(tr("bulk.reason_ph", "e.g. abused the bonus program"))
		d.reason.OnSubmitted = func(string) { d.submit() }
		form.Append(fieldLabel(app.FieldReason), d.reason)
	}
	d.errLbl = pageErrLabel()
	cancel := widget.NewButton(tr("dialog.cancel", "Cancel"), func() { d.dlg.Hide() })
	d.okBtn = widget.NewButton(tr("bulk.apply", "Apply"), d.submit)
	d.okBtn.Importance = widget.HighImportance
	d.dlg = dialog.NewCustomWithoutButtons(strings.TrimSuffix(actionTitle(kind), "…"), container.NewVBox(form, d.errLbl), s.u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{cancel, d.okBtn})
	d.dlg.SetOnClosed(func() { d.open = false })
	d.dlg.Resize(fyne.NewSize(480, 0))
	d.open = true
	d.dlg.Show()
	switch {
	case d.tag != nil:
		s.u.win.Canvas().Focus(d.tag)
	case d.reason != nil:
		s.u.win.Canvas().Focus(d.reason)
	}
	s.lastBulk = d
	return d
}

// scopeChoice offers whom a bulk change is for: the checked clients, or with
// none checked the client the quick-info panel shows (ids), then everyone
// found.
func (s *clientsScreen) scopeChoice() (ids []string, scope *widget.RadioGroup) {
	first := ""
	switch n := len(s.checked); {
	case n > 0:
		ids, first = s.checkedIDs(), scopeChecked(n)
	case s.focusID != "" && s.quick.id == s.focusID && s.quick.loaded:
		ids = []string{s.focusID}
		first = tr("bulk.scope_one", "Only {{.Name}}", map[string]any{"Name": s.quick.client.DisplayName()})
	}
	scopes := []string{first, scopeAll(s.total)}
	if first == "" {
		scopes = scopes[1:]
	}
	scope = widget.NewRadioGroup(scopes, nil)
	scope.Required = true
	scope.SetSelected(scopes[0])
	if first == "" {
		scope.Disable()
	}
	return ids, scope
}

// scopeQuery is the query of the clients a scope choice picks, and how many.
func (s *clientsScreen) scopeQuery(ids []string, scope *widget.RadioGroup) (app.ClientQuery, int, bool) {
	if ids != nil && scope.Selected == scope.Options[0] {
		return app.ClientQuery{IDs: ids}, len(ids), true
	}
	q := s.query
	q.IDs, q.Offset, q.Limit = nil, 0, 0
	return q, s.total, false
}

// action reads the dialog's fields.
func (d *bulkDialog) action() app.Action {
	a := app.Action{Kind: d.kind}
	if d.tag != nil {
		a.Tag = d.tag.Text
	}
	if d.group != nil {
		if i := d.group.SelectedIndex(); i > 0 && i-1 < len(d.s.dir.Groups) {
			a.GroupID = d.s.dir.Groups[i-1].ID
		}
	}
	if d.reason != nil {
		a.Reason = d.reason.Text
	}
	return a
}

// submit checks the fields, asks once more before changing many clients,
// and runs the action.
func (d *bulkDialog) submit() {
	s := d.s
	a := d.action()
	if fe, ok := missingArgument(a); ok {
		d.errLbl.SetText(fieldMessage(fe))
		d.errLbl.Show()
		return
	}
	q, n, checked := s.scopeQuery(d.ids, d.scope)
	if !checked && n > bulkConfirmAbove {
		d.confirm = dialog.NewConfirm(strings.TrimSuffix(actionTitle(d.kind), "…"),
			lang.XN("bulk.confirm", "Change {{.Count}} clients: everyone the list found?", n, map[string]any{"Count": groupDigits(n)}),
			func(ok bool) {
				if ok {
					d.run(q, a)
				}
			}, s.u.win)
		d.confirm.Show()
		return
	}
	d.run(q, a)
}

// missingArgument finds an empty tag or block reason before the use case does.
func missingArgument(a app.Action) (app.FieldError, bool) {
	switch {
	case (a.Kind == app.ActionAddTag || a.Kind == app.ActionRemoveTag) && strings.TrimSpace(a.Tag) == "":
		return app.FieldError{Field: app.FieldTag, Reason: app.ReasonRequired}, true
	case a.Kind == app.ActionBlock && strings.TrimSpace(a.Reason) == "":
		return app.FieldError{Field: app.FieldReason, Reason: app.ReasonRequired}, true
	}
	return app.FieldError{}, false
}

// run applies the action off the UI goroutine behind a progress dialog, then
// reads the list again and tells how many clients changed.
func (d *bulkDialog) run(q app.ClientQuery, a app.Action) {
	d.dlg.Hide()
	d.s.runAction(q, a)
}

// runAction applies a to the clients q selects, showing progress.
func (s *clientsScreen) runAction(q app.ClientQuery, a app.Action) {
	bar := widget.NewProgressBarInfinite()
	progress := dialog.NewCustomWithoutButtons(strings.TrimSuffix(actionTitle(a.Kind), "…"),
		container.NewVBox(widget.NewLabel(tr("bulk.running", "Changing clients…")), bar), s.u.win)
	progress.Resize(fyne.NewSize(360, 0))
	progress.Show()
	s.u.async(func() {
		n, err := s.u.deps.Clients.Apply(s.u.ctx(), q, a)
		fyne.Do(func() {
			bar.Stop()
			progress.Hide()
			if err != nil {
				s.u.showError(err)
				return
			}
			s.status.SetText(bulkChangedText(n))
			if a.Kind == app.ActionAddTag || a.Kind == app.ActionSetGroup {
				s.loadDirectory()
			}
			s.quick.reload()
			s.refresh()
		})
	})
}

// bulkChangedText tells how many clients an action changed.
func bulkChangedText(n int) string {
	return lang.XN("bulk.changed", "Changed: {{.Count}} clients", n, map[string]any{"Count": groupDigits(n)})
}
