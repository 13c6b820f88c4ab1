package ui

// The change-by-hand dialog (GR-04): the status, the discount and the class
// of one client (from the client page) or many (the client list's bulk
// action), with what each change means stated right under it, because a
// value set by hand either stays until changed by hand, is a floor the rules
// may raise, lasts only until the next recalculation, or goes back to the
// rules — and users trip on that when it is left unsaid. The app audits the
// change and, where the rules get a say, applies them at once.

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// manualTarget is whom the dialog changes.
type manualTarget struct {
	name  string           // the one client's name; "" for a list
	scope *widget.FormItem // the list's choice of clients, or nil
	// query returns the clients to change and how many they are.
	query func() (app.ClientQuery, int)
}

// manualModes are the meanings of a discount or class set by hand, in the
// radio's order after «keep».
var manualModes = []app.ManualMode{app.ManualFixed, app.ManualFloor, app.ManualOnce, app.ManualRules}

// manualModeText says in one sentence what a mode means.
func manualModeText(m app.ManualMode) string {
	switch m {
	case app.ManualFixed:
		return tr("manual.mode_fixed", "Fix: the rules do not change it until it is changed by hand")
	case app.ManualFloor:
		return tr("manual.mode_floor", "As a minimum: the rules may raise it, never lower it")
	case app.ManualOnce:
		return tr("manual.mode_once", "Until the next recalculation: the rules may change it")
	case app.ManualRules:
		return tr("manual.mode_rules", "Back to the rules: the rules recalculate it now")
	}
	return string(m)
}

// manualDialog changes the status, discount and class by hand.
type manualDialog struct {
	*editDialog
	u      *UI
	target manualTarget
	dir    app.Directory
	done   func(n int)

	status    *widget.Select // keep, none, each status
	discMode  *widget.RadioGroup
	discount  *moneyEntry
	classMode *widget.RadioGroup
	class     *widget.Select // none, each class

	confirm dialog.Dialog
	// changed is how many clients the last run changed.
	changed int
}

// newManualDialog opens the dialog for target; dir names the statuses and
// classes; done runs on the UI goroutine with how many clients changed.
func newManualDialog(u *UI, target manualTarget, dir app.Directory, done func(n int)) *manualDialog {
	d := &manualDialog{u: u, target: target, dir: dir, done: done}
	var top fyne.CanvasObject
	if target.name != "" {
		top = pageHeading(tr("manual.client", "Client: {{.Name}}", map[string]any{"Name": target.name}))
	}
	d.editDialog = newEditDialog(u, tr("manual.title", "Status, discount and class by hand"), top, d.submit)
	d.message = groupFieldMessage
	d.saveBtn.SetText(tr("bulk.apply", "Apply"))
	if target.scope != nil {
		d.add("scope", target.scope.Text, target.scope.Widget, nil)
	}

	statuses := []string{tr("manual.keep", "Do not change"), tr("manual.no_status", "No status")}
	for _, s := range dir.Statuses {
		statuses = append(statuses, s.Name)
	}
	d.status = widget.NewSelect(statuses, nil)
	d.status.SetSelectedIndex(0)
	d.add(app.FieldStatus, fieldLabel(app.FieldStatus), container.NewVBox(d.status,
		pageHint(tr("manual.status_hint", "Statuses are set by hand only and stay until changed by hand: the rules never change them."))), d.status)

	modes := func(on func()) *widget.RadioGroup {
		opts := []string{tr("manual.keep", "Do not change")}
		for _, m := range manualModes {
			opts = append(opts, manualModeText(m))
		}
		r := widget.NewRadioGroup(opts, func(string) { on() })
		r.Required = true
		r.SetSelected(opts[0])
		return r
	}
	d.discount = newMoneyEntry(false)
	d.discount.SetPlaceHolder("10 / 7,5")
	d.discount.OnSubmitted = func(string) { d.submit() }
	d.discount.esc = d.dlg.Hide
	d.discMode = modes(d.sync)
	d.add(app.FieldMode, fieldLabel(app.FieldDiscount), d.discMode, nil)
	d.add(app.FieldDiscount, tr("manual.discount", "New discount, %"), d.discount, d.discount)

	classes := []string{tr("manual.no_class", "No class")}
	for _, c := range dir.Classes {
		classes = append(classes, c.Name)
	}
	d.class = widget.NewSelect(classes, nil)
	d.class.SetSelectedIndex(0)
	d.classMode = modes(d.sync)
	d.add("class_mode", fieldLabel(app.FieldClass), d.classMode, nil)
	d.add(app.FieldClass, tr("manual.class", "New class"), d.class, d.class)
	d.sync()
	d.dlg.Resize(fyne.NewSize(640, 0))
	d.present(d.status)
	return d
}

// modeOf is the mode a radio shows, "" for «keep».
func modeOf(r *widget.RadioGroup) app.ManualMode {
	if i := slices.Index(r.Options, r.Selected); i > 0 {
		return manualModes[i-1]
	}
	return ""
}

// setMode picks m in r ("" is «keep»).
func setMode(r *widget.RadioGroup, m app.ManualMode) {
	if i := slices.Index(manualModes, m); i >= 0 {
		r.SetSelected(r.Options[i+1])
		return
	}
	r.SetSelected(r.Options[0])
}

// sync leaves the value fields to the modes that set a value.
func (d *manualDialog) sync() {
	if d.discMode == nil || d.classMode == nil || d.discount == nil || d.class == nil {
		return
	}
	valued := func(m app.ManualMode) bool { return m != "" && m != app.ManualRules }
	if valued(modeOf(d.discMode)) {
		d.discount.Enable()
	} else {
		d.discount.Disable()
	}
	if valued(modeOf(d.classMode)) {
		d.class.Enable()
	} else {
		d.class.Disable()
	}
}

// change reads the fields; what does not read comes back as field errors.
func (d *manualDialog) change() (app.ManualChange, []app.FieldError) {
	var ch app.ManualChange
	var fes []app.FieldError
	if i := d.status.SelectedIndex(); i >= 1 {
		id := ""
		if i >= 2 && i-2 < len(d.dir.Statuses) {
			id = d.dir.Statuses[i-2].ID
		}
		ch.StatusID = &id
	}
	if m := modeOf(d.discMode); m != "" {
		md := &app.ManualDiscount{Mode: m}
		if m != app.ManualRules {
			text := strings.TrimSpace(d.discount.Text)
			bp, ok := parsePercent(text)
			switch {
			case text == "":
				fes = append(fes, app.FieldError{Field: app.FieldDiscount, Reason: app.ReasonRequired})
			case !ok:
				fes = append(fes, app.FieldError{Field: app.FieldDiscount, Reason: reasonPercent, Value: text})
			}
			md.BP = bp
		}
		ch.Discount = md
	}
	if m := modeOf(d.classMode); m != "" {
		mc := &app.ManualClass{Mode: m}
		if i := d.class.SelectedIndex(); m != app.ManualRules && i >= 1 && i-1 < len(d.dir.Classes) {
			mc.ClassID = d.dir.Classes[i-1].ID
		}
		ch.Class = mc
	}
	return ch, fes
}

// summary says what the change does, for the confirmation.
func (d *manualDialog) summary(ch app.ManualChange) string {
	var parts []string
	if ch.StatusID != nil {
		name := tr("manual.no_status", "No status")
		if *ch.StatusID != "" {
			name = "«" + app.NameOf(d.dir.Statuses, *ch.StatusID) + "»"
		}
		parts = append(parts, tr("manual.sum_status", "status: {{.Value}}", map[string]any{"Value": name}))
	}
	if ch.Discount != nil {
		v := moneyPercent(int64(ch.Discount.BP))
		if ch.Discount.Mode == app.ManualRules {
			v = tr("manual.by_rules", "by the rules")
		}
		parts = append(parts, tr("manual.sum_discount", "discount: {{.Value}} ({{.Mode}})", map[string]any{"Value": v, "Mode": manualModeShort(ch.Discount.Mode)}))
	}
	if ch.Class != nil {
		v := tr("manual.no_class", "No class")
		switch {
		case ch.Class.Mode == app.ManualRules:
			v = tr("manual.by_rules", "by the rules")
		case ch.Class.ClassID != "":
			v = "«" + app.NameOf(d.dir.Classes, ch.Class.ClassID) + "»"
		}
		parts = append(parts, tr("manual.sum_class", "class: {{.Value}} ({{.Mode}})", map[string]any{"Value": v, "Mode": manualModeShort(ch.Class.Mode)}))
	}
	return strings.Join(parts, "; ")
}

// manualModeShort names a mode in a few words.
func manualModeShort(m app.ManualMode) string {
	switch m {
	case app.ManualFixed:
		return tr("manual.short_fixed", "fixed")
	case app.ManualFloor:
		return tr("manual.short_floor", "as a minimum")
	case app.ManualOnce:
		return tr("manual.short_once", "until the next recalculation")
	}
	return tr("manual.short_rules", "back to the rules")
}

// submit checks the fields, asks once more for many clients, and changes
// them.
func (d *manualDialog) submit() {
	ch, fes := d.change()
	if len(fes) > 0 {
		d.showErrors(&app.ValidationError{Fields: fes})
		return
	}
	if ch.StatusID == nil && ch.Discount == nil && ch.Class == nil {
		d.clear()
		d.general.SetText(tr("manual.nothing", "Choose what to change: the status, the discount or the class"))
		d.general.Show()
		return
	}
	q, n := d.target.query()
	if n <= 1 {
		d.run(q, ch)
		return
	}
	c := dialog.NewConfirm(tr("manual.title", "Status, discount and class by hand"),
		lang.XN("manual.confirm", "Change {{.Count}} clients: {{.What}}?", n, map[string]any{"Count": groupDigits(n), "What": d.summary(ch)}),
		func(ok bool) {
			if ok {
				d.run(q, ch)
			}
		}, d.u.win)
	c.SetConfirmText(tr("bulk.apply", "Apply"))
	c.SetDismissText(tr("dialog.cancel", "Cancel"))
	d.confirm = c
	c.Show()
}

// run changes the clients off the UI goroutine; a mistake shows under its
// field, success closes the dialog and tells done how many changed.
func (d *manualDialog) run(q app.ClientQuery, ch app.ManualChange) {
	var n int
	d.editDialog.run(func(ctx context.Context) error {
		var err error
		n, err = d.u.deps.Loyalty.SetManual(ctx, q, ch)
		return err
	}, func() {
		d.changed = n
		if d.done != nil {
			d.done(n)
		}
	})
}

// startManual opens the change-by-hand dialog for the checked clients (or the
// one the quick-info panel shows) or everyone the list found.
func (s *clientsScreen) startManual() *manualDialog {
	ids, scope := s.scopeChoice()
	target := manualTarget{
		scope: widget.NewFormItem(tr("bulk.whom", "Clients"), scope),
		query: func() (app.ClientQuery, int) {
			q, n, _ := s.scopeQuery(ids, scope)
			return q, n
		},
	}
	return newManualDialog(s.u, target, s.dir, func(n int) {
		s.status.SetText(bulkChangedText(n))
		s.quick.reload()
		s.refresh()
	})
}
