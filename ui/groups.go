package ui

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// groupsScreen is the Client groups tab (GR-01): the groups by name with
// their discount, band of spend, «move automatically» and client count, and
// the dialog that adds or changes one. Clients of groups with the flag move
// between them as their spend grows (GR-02, app.PromotionTarget).
type groupsScreen struct {
	u       *UI
	content fyne.CanvasObject

	groups  []app.Group
	table   *moneyTable
	selRow  int // the chosen row, -1 none
	count   *widget.Label
	editBtn *widget.Button
	delBtn  *widget.Button

	// last is the dialog opened last, for tests and screenshots.
	last *groupDialog
}

func newGroupsScreen(u *UI) *groupsScreen {
	s := &groupsScreen{u: u, selRow: -1}
	cols := []moneyCol{
		{title: fieldLabel(app.FieldName), width: 260},
		{title: fieldLabel(app.FieldDiscount), width: 90, num: true},
		{title: fieldLabel(app.FieldSpendFrom), width: 140, num: true},
		{title: fieldLabel(app.FieldSpendTo), width: 140, num: true},
		{title: tr("groups.auto_column", "Move automatically"), width: 190},
		{title: tr("groups.clients_column", "Clients"), width: 90, num: true},
	}
	s.table = newMoneyTable(nil, cols, func() int { return len(s.groups) }, s.cell)
	s.table.onPick = func(row int) {
		s.selRow = row
		s.syncButtons()
	}
	s.table.onOpen = func(row int) {
		s.selRow = row
		s.syncButtons()
		s.editSelected()
	}
	add := widget.NewButtonWithIcon(tr("groups.new", "New group…"), theme.ContentAddIcon(), func() { s.edit(nil) })
	add.Importance = widget.HighImportance
	s.editBtn = widget.NewButtonWithIcon(tr("catalogue.edit", "Edit…"), theme.DocumentCreateIcon(), s.editSelected)
	s.delBtn = widget.NewButtonWithIcon(tr("groups.delete", "Delete…"), theme.DeleteIcon(), s.deleteSelected)
	s.count = widget.NewLabel("")
	s.count.Importance = widget.LowImportance
	top := container.NewHBox(add, s.editBtn, s.delBtn)
	s.content = container.NewBorder(top, s.count, nil, nil, s.table)
	s.syncButtons()
	return s
}

func (s *groupsScreen) cell(row, col int) (string, bool) {
	g := s.groups[row]
	switch col {
	case 0:
		return g.Name, false
	case 1:
		if g.DiscountBP == 0 {
			return "0 %", false
		}
		return percentText(int64(g.DiscountBP)), false
	case 2:
		return moneyText(g.SpendFrom), false
	case 3:
		if g.SpendTo == 0 {
			return tr("groups.no_limit", "no limit"), false
		}
		return moneyText(g.SpendTo), false
	case 4:
		if g.AutoMove {
			return tr("filter.yes", "Yes"), false
		}
		return tr("filter.no", "No"), false
	case 5:
		return groupDigits64(int64(g.Clients)), false
	}
	return "", false
}

func (s *groupsScreen) syncButtons() {
	_, ok := s.selected()
	for _, b := range []*widget.Button{s.editBtn, s.delBtn} {
		if ok {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

func (s *groupsScreen) selected() (app.Group, bool) {
	if s.selRow >= 0 && s.selRow < len(s.groups) {
		return s.groups[s.selRow], true
	}
	return app.Group{}, false
}

// load reads the groups off the UI goroutine and shows them by name; the
// chosen group stays chosen if it is still there.
func (s *groupsScreen) load() {
	u := s.u
	u.async(func() {
		gs, err := u.deps.Groups.List(u.ctx())
		fyne.Do(func() {
			if err != nil {
				u.showError(err)
				return
			}
			s.setGroups(gs)
		})
	})
}

func (s *groupsScreen) setGroups(gs []app.Group) {
	keep := ""
	if g, ok := s.selected(); ok {
		keep = g.ID
	}
	slices.SortStableFunc(gs, func(a, b app.Group) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	s.groups = gs
	s.selRow = slices.IndexFunc(gs, func(g app.Group) bool { return g.ID == keep && keep != "" })
	s.table.UnselectAll()
	if s.selRow >= 0 {
		s.table.Select(widget.TableCellID{Row: s.selRow, Col: 0})
	}
	s.table.Refresh()
	s.count.SetText(tr("groups.count", "Groups: {{.Count}}", map[string]any{"Count": len(gs)}))
	s.syncButtons()
}

// changed reloads the tab and the client list's groups (its selectors and
// side panel) after a save or a delete; it runs on the UI goroutine.
func (s *groupsScreen) changed() {
	s.load()
	if s.u.clients != nil {
		s.u.clients.loadDirectory()
	}
}

func (s *groupsScreen) editSelected() {
	if g, ok := s.selected(); ok {
		s.edit(&g)
	}
}

func (s *groupsScreen) deleteSelected() {
	g, ok := s.selected()
	if !ok {
		return
	}
	s.u.confirmDelete(tr("groups.delete_title", "Delete group"),
		tr("groups.delete_q", "Delete the group «{{.Name}}»?", map[string]any{"Name": g.Name}),
		func() {
			s.u.deleteWith(func(ctx context.Context) error { return s.u.deps.Groups.Delete(ctx, g.ID) }, s.changed)
		})
}

// groupDialog adds or changes a client group (GR-01): its name, discount,
// band of spend in roubles and «move automatically», with a hint saying what
// the flag does (GR-02).
type groupDialog struct {
	*editDialog
	s        *groupsScreen
	group    *app.Group
	name     *moneyEntry
	discount *moneyEntry
	from     *moneyEntry
	to       *moneyEntry
	auto     *widget.Check
}

// edit opens the group dialog; nil adds a group.
func (s *groupsScreen) edit(g *app.Group) *groupDialog {
	d := &groupDialog{s: s, group: g}
	title := tr("groups.new_title", "New client group")
	if g != nil {
		title = tr("groups.edit_title", "Client group: {{.Name}}", map[string]any{"Name": g.Name})
	}
	d.editDialog = newEditDialog(s.u, title, nil, d.save)
	d.message = groupFieldMessage
	d.name, d.discount, d.from, d.to = newMoneyEntry(false), newMoneyEntry(false), newMoneyEntry(false), newMoneyEntry(false)
	for _, e := range []*moneyEntry{d.name, d.discount, d.from, d.to} {
		e.OnSubmitted = func(string) { d.save() }
		e.esc = d.dlg.Hide
	}
	d.discount.SetPlaceHolder("10 / 7,5")
	d.from.SetPlaceHolder("0")
	d.to.SetPlaceHolder(tr("groups.no_limit", "no limit"))
	d.auto = widget.NewCheck(tr("groups.auto", "Move clients into the group automatically"), nil)
	if g != nil {
		d.name.SetText(g.Name)
		if g.DiscountBP != 0 {
			d.discount.SetText(roublesInput(int64(g.DiscountBP)))
		}
		if g.SpendFrom != 0 {
			d.from.SetText(roublesInput(g.SpendFrom))
		}
		if g.SpendTo != 0 {
			d.to.SetText(roublesInput(g.SpendTo))
		}
		d.auto.SetChecked(g.AutoMove)
	}
	hint := widget.NewLabel(tr("groups.hint",
		"Clients of groups with this flag move between them by their total spend: with «Start» from 100 ₽ and «10% clients» from 200 ₽, a client who has spent 100 ₽ joins «Start» and at 200 ₽ moves to «10% clients». Clients of a group without the flag always stay in it."))
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	d.add(app.FieldName, fieldLabel(app.FieldName), d.name, d.name)
	d.add(app.FieldDiscount, tr("groups.discount", "Discount, %"), d.discount, d.discount)
	d.add(app.FieldSpendFrom, tr("groups.spend_from", "Spend from, ₽"), d.from, d.from)
	d.add(app.FieldSpendTo, tr("groups.spend_to", "Spend to, ₽"), d.to, d.to)
	d.form.Append("", container.NewVBox(d.auto, hint))
	d.dlg.Resize(fyne.NewSize(560, 0))
	s.last = d
	d.present(d.name)
	return d
}

// read turns the fields into a group; what does not read comes back as
// field errors.
func (d *groupDialog) read() (app.Group, []app.FieldError) {
	g := app.Group{}
	if d.group != nil {
		g = *d.group
	}
	g.Name, g.AutoMove = d.name.Text, d.auto.Checked
	var fes []app.FieldError
	if bp, ok := parsePercent(d.discount.Text); ok {
		g.DiscountBP = bp
	} else {
		fes = append(fes, app.FieldError{Field: app.FieldDiscount, Reason: reasonPercent, Value: strings.TrimSpace(d.discount.Text)})
	}
	g.SpendFrom, g.SpendTo = 0, 0
	if v, ok, fe := parseRoubles(d.from.Text, app.FieldSpendFrom); fe != nil {
		fes = append(fes, *fe)
	} else if ok {
		g.SpendFrom = v
	}
	if v, ok, fe := parseRoubles(d.to.Text, app.FieldSpendTo); fe != nil {
		fes = append(fes, *fe)
	} else if ok {
		if v == 0 {
			fes = append(fes, app.FieldError{Field: app.FieldSpendTo, Reason: app.ReasonNotPositive, Value: strings.TrimSpace(d.to.Text)})
		}
		g.SpendTo = v
	}
	return g, fes
}

func (d *groupDialog) save() {
	g, fes := d.read()
	if len(fes) > 0 {
		d.showErrors(&app.ValidationError{Fields: fes})
		return
	}
	d.run(func(ctx context.Context) error {
		_, err := d.s.u.deps.Groups.Save(ctx, g)
		return err
	}, d.s.changed)
}

// groupFieldMessage words the dialog's own errors: a discount that is not a
// percent, an upper bound not above the lower one.
func groupFieldMessage(fe app.FieldError) string {
	data := map[string]any{"Field": fieldLabel(fe.Field), "Value": fe.Value}
	switch {
	case fe.Field == app.FieldDiscount && (fe.Reason == reasonPercent || fe.Reason == app.ReasonBadValue):
		if fe.Reason == app.ReasonBadValue { // the app's value is in basis points: not for people
			return tr("groups.err_discount", "{{.Field}}: enter a percent from 0 to 100", data)
		}
		return tr("programs.err_share", "{{.Field}}: «{{.Value}}» is not a percent from 0 to 100", data)
	case fe.Field == app.FieldSpendTo && fe.Reason == app.ReasonBadRange:
		return tr("groups.err_range", "{{.Field}}: must be above «Spend from», or empty for no limit", data)
	}
	return fieldMessage(fe)
}
