package ui

// The client page's «Loyalty» tab (issue 6 items 4, 7; GR-04; PU-04): why
// the client has the discount, class, group, categories and status they
// have, in plain words with the rule and the figure behind each; «Recalculate»
// applies the rules to this client now (LR-07, from the client card) and
// «Change by hand…» opens the dialog of manual.go. Below, the client's visits
// with a status (appointment venues): «Record a visit…» and a correction of
// a visit's status; a visit with status «came» moves the totals, the group
// and the rules in the same transaction (app.Loyalty.RecordVisit).
//
// The tab exists only with Deps.Loyalty. It is read with the page (every
// change on the page reloads it) off the UI goroutine.

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// pageTabLoyalty names the client page's loyalty tab, for Open(--screen).
const pageTabLoyalty = "loyalty"

// loyaltyVisitsLimit is how many visits the tab lists, newest first.
const loyaltyVisitsLimit = 500

// loyaltySide is the loyalty tab of one client page. Its fields are touched
// only on the UI goroutine.
type loyaltySide struct {
	p   *clientPage
	on  bool // Deps.Loyalty is wired
	tab *container.TabItem

	// As last loaded.
	loaded   bool
	gen      int
	ex       app.Explanation
	sections []explainSection
	visits   []app.Visit
	visitRow int // the chosen visit, -1 none

	body       *fyne.Container // the explanation's sections
	pending    *widget.Label
	recalcBtn  *widget.Button
	manualBtn  *widget.Button
	errl       *widget.Label
	status     *widget.Label // what the last action did
	visitTable *moneyTable
	noVisits   *widget.Label
	visitsLbl  *widget.Label
	recordBtn  *widget.Button
	cameBtn    *widget.Button
	missedBtn  *widget.Button
	visitErr   *widget.Label

	// The dialogs opened last, for tests.
	lastVisit  *visitDialog
	lastManual *manualDialog
}

func newLoyaltySide(p *clientPage) *loyaltySide {
	l := &loyaltySide{p: p, visitRow: -1, on: p.u.deps.Loyalty != nil}
	if !l.on {
		return l
	}
	l.recalcBtn = widget.NewButtonWithIcon(tr("loyalty.recalc", "Recalculate"), theme.ViewRefreshIcon(), l.recalc)
	l.manualBtn = widget.NewButtonWithIcon(tr("loyalty.manual", "Change by hand…"), theme.DocumentCreateIcon(), func() { l.openManual() })
	l.pending = widget.NewLabel(tr("loyalty.pending", "The rules give something other than what is saved: it will be applied at the next recalculation"))
	l.pending.Importance = widget.WarningImportance
	l.pending.Wrapping = fyne.TextWrapWord
	l.pending.Hide()
	l.errl = pageErrLabel()
	l.status = widget.NewLabel("")
	l.status.Importance = widget.SuccessImportance
	l.status.Wrapping = fyne.TextWrapWord
	l.status.Hide()
	l.body = container.NewVBox()

	l.visitTable = newMoneyTable(p, []moneyCol{
		{tr("loyalty.col.date", "Date"), 110, false},
		{tr("loyalty.col.status", "Status"), 120, false},
		{tr("money.col.sold", "Sold"), 120, true},
		{tr("money.col.paid", "Paid"), 120, true},
		{tr("loyalty.col.note", "Note"), 300, false},
		{tr("money.col.author", "Author"), 110, false},
	}, func() int { return len(l.visits) }, l.visitCell)
	l.visitTable.choose(&l.visitRow, l.syncVisitButtons, l.confirmToggle)
	l.recordBtn = widget.NewButtonWithIcon(tr("loyalty.record_visit", "Record a visit…"), theme.ContentAddIcon(), func() { l.recordVisit() })
	l.cameBtn = widget.NewButton(tr("loyalty.mark_came", "Mark: came"), func() { l.setVisitStatus(app.VisitCame) })
	l.missedBtn = widget.NewButton(tr("loyalty.mark_missed", "Mark: did not come"), func() { l.setVisitStatus(app.VisitMissed) })
	l.visitErr = pageErrLabel()
	// With no visits yet, the place of the list says what visits are.
	l.noVisits = pageHint(tr("loyalty.no_visits", "No visits with a status yet.") + " " +
		tr("loyalty.visits_hint", "Appointments and whether the client came. A visit with status «came» counts as a visit with its bill and payment and applies the rules at once; «did not come» counts only for the category rules by visit status. Enter or a double click on a visit changes its status."))
	l.noVisits.Hide()
	l.visitsLbl = pageHeading(tr("loyalty.visits", "Visits"))
	l.syncVisitButtons()

	top := container.NewVBox(
		pageHint(tr("loyalty.hint", "Why the client has this discount, class, group, categories and status: which rule, on which figure.")),
		container.NewHBox(l.recalcBtn, l.manualBtn), l.pending, l.errl, l.status, widget.NewSeparator())
	visitsTop := container.NewVBox(widget.NewSeparator(),
		container.NewHBox(l.visitsLbl, l.recordBtn, l.cameBtn, l.missedBtn), l.visitErr, l.noVisits)
	split := container.NewVSplit(container.NewVScroll(l.body), container.NewBorder(visitsTop, nil, nil, nil, l.visitTable))
	split.Offset = 0.72
	l.tab = container.NewTabItem(tr("loyalty.tab", "Loyalty"), container.NewBorder(top, nil, nil, nil, split))
	return l
}

// addTab puts the tab after the money tabs (after the main tab without
// them).
func (l *loyaltySide) addTab(tabs *container.AppTabs) {
	if !l.on || len(tabs.Items) == 0 {
		return
	}
	at := 1
	if m := l.p.money; m.on {
		at = slices.Index(tabs.Items, m.tabAccum) + 1
	}
	items := slices.Insert(slices.Clone(tabs.Items), at, l.tab)
	tabs.SetItems(items)
}

// selectTab shows the tab when name is pageTabLoyalty.
func (l *loyaltySide) selectTab(name string) {
	if l.on && name == pageTabLoyalty {
		l.p.tabs.Select(l.tab)
	}
}

// focusFor is what to focus when the tab is selected, or nil.
func (l *loyaltySide) focusFor(t *container.TabItem) fyne.Focusable {
	if !l.on || t != l.tab {
		return nil
	}
	return l.recalcBtn
}

// say shows what an action did.
func (l *loyaltySide) say(text string) {
	l.status.SetText(text)
	l.status.Show()
}

// loyaltyData is what one load of the tab reads.
type loyaltyData struct {
	ex     app.Explanation
	visits []app.Visit
	err    error
}

// load reads the explanation and the visits off the UI goroutine and shows
// them.
func (l *loyaltySide) load() {
	if !l.on {
		return
	}
	l.gen++
	gen, u, id := l.gen, l.p.u, l.p.id
	u.async(func() {
		ctx := u.ctx()
		var d loyaltyData
		if d.ex, d.err = u.deps.Loyalty.Explain(ctx, id); d.err == nil {
			d.visits, d.err = u.deps.Loyalty.Visits(ctx, id, loyaltyVisitsLimit)
		}
		fyne.Do(func() {
			if gen != l.gen || !l.p.current() {
				return
			}
			l.show(d)
		})
	})
}

func (l *loyaltySide) show(d loyaltyData) {
	if d.err != nil {
		l.errl.SetText(errorMessage(d.err))
		l.errl.Show()
		return
	}
	l.errl.Hide()
	keep := ""
	if l.visitRow >= 0 && l.visitRow < len(l.visits) {
		keep = l.visits[l.visitRow].ID
	}
	l.loaded, l.ex, l.visits = true, d.ex, d.visits
	l.sections = explainSections(d.ex)
	var objs []fyne.CanvasObject
	for _, s := range l.sections {
		objs = append(objs, pageHeading(s.title))
		for _, line := range s.lines {
			lbl := widget.NewLabel(line)
			lbl.Wrapping = fyne.TextWrapWord
			objs = append(objs, lbl)
		}
	}
	l.body.Objects = objs
	l.body.Refresh()
	l.pending.Hidden = !d.ex.Pending
	l.pending.Refresh()
	if d.ex.Pending {
		l.recalcBtn.Importance = widget.HighImportance
	} else {
		l.recalcBtn.Importance = widget.MediumImportance
	}
	l.recalcBtn.Refresh()

	l.visitRow = slices.IndexFunc(l.visits, func(v app.Visit) bool { return keep != "" && v.ID == keep })
	l.visitTable.UnselectAll()
	if l.visitRow >= 0 {
		l.visitTable.Select(widget.TableCellID{Row: l.visitRow, Col: 0})
	}
	l.noVisits.Hidden = len(l.visits) > 0
	l.noVisits.Refresh()
	if len(l.visits) >= loyaltyVisitsLimit {
		l.visitsLbl.SetText(tr("loyalty.visits_newest", "Visits: the newest {{.Count}}", map[string]any{"Count": groupDigits(len(l.visits))}))
	} else {
		l.visitsLbl.SetText(tr("loyalty.visits", "Visits"))
	}
	l.visitTable.Refresh()
	l.syncVisitButtons()
}

// texts returns the explanation's lines as shown, headings included.
func (l *loyaltySide) texts() []string {
	var out []string
	for _, s := range l.sections {
		out = append(out, s.title)
		out = append(out, s.lines...)
	}
	return out
}

// recalc applies the rules to this client now (LR-07) and reloads the page.
func (l *loyaltySide) recalc() {
	var d app.Decision
	l.status.Hide()
	l.p.act(l.recalcBtn, l.errl, nil, func(ctx context.Context) error {
		var err error
		d, err = l.p.u.deps.Loyalty.ApplyClient(ctx, l.p.id)
		return err
	}, func() {
		if d.Changed {
			l.say(tr("loyalty.recalc_changed", "Recalculated: the changes are saved"))
		} else {
			l.say(tr("loyalty.recalc_same", "Recalculated: nothing had to change"))
		}
	})
}

// openManual opens the change-by-hand dialog for this client.
func (l *loyaltySide) openManual() *manualDialog {
	p := l.p
	d := newManualDialog(p.u, manualTarget{
		name:  p.c.DisplayName(),
		query: func() (app.ClientQuery, int) { return p.one(), 1 },
	}, p.dir, func(int) {
		l.say(tr("loyalty.manual_done", "Changed by hand"))
		p.u.clientChanged(p.id)
		p.load()
	})
	l.lastManual = d
	return d
}

func (l *loyaltySide) visitCell(row, col int) (string, bool) {
	v := l.visits[row]
	switch col {
	case 0:
		return pageDate(v.At), false
	case 1:
		return visitStatusText(v.Status), false
	case 2:
		if v.Status == app.VisitMissed {
			return "—", false
		}
		return pageMoney(v.Sold), false
	case 3:
		if v.Status == app.VisitMissed {
			return "—", false
		}
		return pageMoney(v.Paid), false
	case 4:
		return strings.ReplaceAll(v.Note, "\n", " "), false
	case 5:
		return v.Author, false
	}
	return "", false
}

// choose keeps the picked row in *row and calls sync after a pick, then open
// after Enter or a double click.
func (t *moneyTable) choose(row *int, sync, open func()) {
	t.onPick = func(r int) {
		*row = r
		sync()
	}
	t.onOpen = func(r int) {
		*row = r
		sync()
		open()
	}
}

// visitStatusText names a visit's status.
func visitStatusText(s app.VisitStatus) string {
	switch s {
	case app.VisitCame:
		return tr("loyalty.visit_came", "came")
	case app.VisitMissed:
		return tr("loyalty.visit_missed", "did not come")
	}
	return string(s)
}

func (l *loyaltySide) chosenVisit() (app.Visit, bool) {
	if l.visitRow >= 0 && l.visitRow < len(l.visits) {
		return l.visits[l.visitRow], true
	}
	return app.Visit{}, false
}

// syncVisitButtons offers the status the chosen visit does not have; a visit
// with a bill cannot become «did not come».
func (l *loyaltySide) syncVisitButtons() {
	v, ok := l.chosenVisit()
	enable := func(b *widget.Button, on bool) {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	enable(l.cameBtn, ok && v.Status != app.VisitCame)
	enable(l.missedBtn, ok && v.Status != app.VisitMissed && v.Sold == 0)
}

// confirmToggle asks to give the chosen visit the other status (Enter on a
// visit).
func (l *loyaltySide) confirmToggle() {
	v, ok := l.chosenVisit()
	if !ok {
		return
	}
	to := app.VisitMissed
	if v.Status == app.VisitMissed {
		to = app.VisitCame
	}
	if to == app.VisitMissed && v.Sold > 0 {
		l.visitErr.SetText(tr("loyalty.visit_has_bill", "This visit has a bill: it cannot become «did not come»"))
		l.visitErr.Show()
		return
	}
	d := dialog.NewConfirm(tr("loyalty.visit_status_title", "Visit status"),
		tr("loyalty.visit_status_q", "Visit of {{.Date}}: change the status to «{{.Status}}»?",
			map[string]any{"Date": pageDate(v.At), "Status": visitStatusText(to)}),
		func(ok bool) {
			if ok {
				l.setVisitStatus(to)
			}
		}, l.p.u.win)
	d.SetConfirmText(tr("loyalty.visit_status_yes", "Change"))
	d.SetDismissText(tr("dialog.cancel", "Cancel"))
	d.Show()
}

// setVisitStatus corrects the chosen visit's status; the totals, group and
// rules follow in the same transaction.
func (l *loyaltySide) setVisitStatus(status app.VisitStatus) {
	v, ok := l.chosenVisit()
	if !ok {
		return
	}
	l.status.Hide()
	l.p.act(nil, l.visitErr, nil, func(ctx context.Context) error {
		return l.p.u.deps.Loyalty.SetVisitStatus(ctx, v.ID, status)
	}, func() {
		l.say(tr("loyalty.visit_status_done", "Visit of {{.Date}}: «{{.Status}}»",
			map[string]any{"Date": pageDate(v.At), "Status": visitStatusText(status)}))
	})
}

// visitDialog records a visit with a status (PU-04): the day (today by
// default), came or did not come, the bill and the money received in roubles
// and a note.
type visitDialog struct {
	*editDialog
	l      *loyaltySide
	date   *moneyEntry
	status *widget.Select
	sold   *moneyEntry
	paid   *moneyEntry
	note   *moneyEntry
}

// visitStatuses are the visit dialog's choices, in its select's order.
var visitStatuses = []app.VisitStatus{app.VisitCame, app.VisitMissed}

// recordVisit opens the visit dialog.
func (l *loyaltySide) recordVisit() *visitDialog {
	u := l.p.u
	d := &visitDialog{l: l}
	d.editDialog = newEditDialog(u, tr("loyalty.visit_title", "Visit of {{.Name}}", map[string]any{"Name": l.p.c.DisplayName()}), nil, d.save)
	d.message = visitFieldMessage
	d.date, d.sold, d.paid, d.note = newMoneyEntry(false), newMoneyEntry(false), newMoneyEntry(false), newMoneyEntry(true)
	for _, e := range []*moneyEntry{d.date, d.sold, d.paid} {
		e.OnSubmitted = func(string) { d.save() }
	}
	for _, e := range []*moneyEntry{d.date, d.sold, d.paid, d.note} {
		e.esc = d.dlg.Hide
	}
	d.date.SetText(u.deps.Clients.Today().Format())
	d.date.SetPlaceHolder(tr("audit.date_ph", "DD.MM.YYYY"))
	d.sold.SetPlaceHolder("0")
	d.paid.SetPlaceHolder(tr("loyalty.paid_ph", "as sold"))
	d.note.SetMinRowsVisible(2)
	labels := make([]string, len(visitStatuses))
	for i, s := range visitStatuses {
		labels[i] = visitStatusText(s)
	}
	d.status = widget.NewSelect(labels, func(string) { d.syncMoney() })
	d.status.SetSelectedIndex(0)
	d.add(app.FieldVisitAt, fieldLabel(app.FieldVisitAt), d.date, d.date)
	d.add(app.FieldVisitStatus, fieldLabel(app.FieldVisitStatus), d.status, d.status)
	d.add(app.FieldSold, tr("loyalty.sold_rub", "Sold, ₽"), d.sold, d.sold)
	d.add(app.FieldPaid, tr("loyalty.paid_rub", "Paid, ₽"), d.paid, d.paid)
	d.add(app.FieldNote, fieldLabel(app.FieldNote), d.note, d.note)
	d.form.Append("", pageHint(tr("loyalty.visit_dialog_hint", "«Came» adds a visit with its bill to the client's totals and applies the rules at once; «did not come» has no bill and counts only for the category rules by visit status.")))
	d.dlg.Resize(fyne.NewSize(560, 0))
	l.lastVisit = d
	d.present(d.date)
	return d
}

// syncMoney leaves the bill and payment only to a visit the client came to.
func (d *visitDialog) syncMoney() {
	if d.sold == nil {
		return
	}
	if selectedOf(d.status, visitStatuses) == app.VisitMissed {
		d.sold.SetText("")
		d.paid.SetText("")
		d.sold.Disable()
		d.paid.Disable()
		return
	}
	d.sold.Enable()
	d.paid.Enable()
}

// read turns the fields into a visit; what does not read comes back as field
// errors. An empty payment means paid in full.
func (d *visitDialog) read() (app.VisitInput, []app.FieldError) {
	in := app.VisitInput{ClientID: d.l.p.id, Status: selectedOf(d.status, visitStatuses), Note: d.note.Text}
	var fes []app.FieldError
	if at, err := app.ParseDate(d.date.Text); err != nil {
		fes = append(fes, app.FieldError{Field: app.FieldVisitAt, Reason: app.ReasonBadDate, Value: strings.TrimSpace(d.date.Text)})
	} else {
		in.At = at
	}
	money := func(e *moneyEntry, field string) (int64, bool) {
		if strings.TrimSpace(e.Text) == "" {
			return 0, false
		}
		v, err := parseMoney(e.Text)
		if err != nil {
			fes = append(fes, app.FieldError{Field: field, Reason: reasonNotMoney, Value: strings.TrimSpace(e.Text)})
			return 0, false
		}
		return v, true
	}
	in.Sold, _ = money(d.sold, app.FieldSold)
	if v, ok := money(d.paid, app.FieldPaid); ok {
		in.Paid = v
	} else if strings.TrimSpace(d.paid.Text) == "" {
		in.Paid = in.Sold
	}
	return in, fes
}

func (d *visitDialog) save() {
	in, fes := d.read()
	if len(fes) > 0 {
		d.showErrors(&app.ValidationError{Fields: fes})
		return
	}
	l := d.l
	d.run(func(ctx context.Context) error {
		_, err := l.p.u.deps.Loyalty.RecordVisit(ctx, in)
		return err
	}, func() {
		l.say(tr("loyalty.visit_done", "Visit recorded: {{.Date}}, «{{.Status}}»",
			map[string]any{"Date": d.date.Text, "Status": visitStatusText(in.Status)}))
		l.p.u.clientChanged(l.p.id)
		l.p.load()
	})
}

// visitFieldMessage words the visit dialog's own errors.
func visitFieldMessage(fe app.FieldError) string {
	data := map[string]any{"Field": fieldLabel(fe.Field), "Value": fe.Value}
	switch {
	case fe.Field == app.FieldPaid && fe.Reason == app.ReasonBadRange:
		return tr("loyalty.err_paid_over", "{{.Field}}: more than sold", data)
	case fe.Field == app.FieldSold && fe.Reason == app.ReasonBadValue:
		return tr("loyalty.err_missed_bill", "{{.Field}}: a visit the client did not come to has no bill", data)
	}
	return fieldMessage(fe)
}

// explainSection is one part of the explanation: a heading and its lines.
type explainSection struct {
	title string
	lines []string
}

// explainSections says in words why the client has what they have (issue 6
// item 7): the discount, the class, the group, the categories and the status,
// each with the rule and the figure behind it.
func explainSections(e app.Explanation) []explainSection {
	var out []explainSection
	disc := explainSection{title: tr("loyalty.discount", "Discount"), lines: explainDiscount(e)}
	if e.Pending && int64(e.Subject.DiscountBP) != int64(e.DiscountBP) {
		disc.lines = append(disc.lines, tr("loyalty.saved_discount", "Saved now: {{.Discount}}", map[string]any{"Discount": moneyPercent(int64(e.Subject.DiscountBP))}))
	}
	out = append(out, disc)
	class := explainSection{title: tr("loyalty.class", "Class"), lines: explainClass(e)}
	if e.Pending && e.Subject.ClassID != e.ClassID {
		name := tr("loyalty.no_class_short", "no class")
		if e.Subject.ClassID != "" {
			name = "«" + classNameOf(e, e.Subject.ClassID) + "»"
		}
		class.lines = append(class.lines, tr("loyalty.saved_class", "Saved now: {{.Class}}", map[string]any{"Class": name}))
	}
	out = append(out, class,
		explainSection{title: tr("loyalty.group", "Group"), lines: explainGroup(e)},
		explainSection{title: tr("loyalty.categories", "Categories"), lines: explainCategories(e)},
		explainSection{title: tr("loyalty.status", "Status"), lines: explainStatus(e)})
	return out
}

// daysText is a count of days: «1 день», «3 дня», «64 дня».
func daysText(n int) string {
	return lang.XN("loyalty.days", "{{.Count}} days", n, map[string]any{"Count": n})
}

// moreDaysText is «more than N days» as a rule's line: «более 60 дней».
func moreDaysText(n int) string {
	return lang.XN("loyalty.more_days", "more than {{.Count}} days", n, map[string]any{"Count": n})
}

// explainFigure is the client's figure a rule of measure m looked at.
func explainFigure(e app.Explanation, m app.Measure) string {
	f := e.Figures
	switch m {
	case app.MeasureSold:
		return tr("loyalty.fig_sold", "sold {{.Amount}}", map[string]any{"Amount": pageMoney(f.Sold)})
	case app.MeasurePaid:
		return tr("loyalty.fig_paid", "paid {{.Amount}}", map[string]any{"Amount": pageMoney(f.Paid)})
	case app.MeasureVisits:
		return tr("loyalty.fig_visits", "visits: {{.Count}}", map[string]any{"Count": groupDigits64(f.Visits)})
	case app.MeasureAbsentDays:
		if e.Absent < 0 {
			return tr("loyalty.fig_never", "never visited")
		}
		return tr("loyalty.fig_absent", "no visit for {{.Days}}", map[string]any{"Days": daysText(e.Absent)})
	case app.MeasureCame, app.MeasureMissed:
		switch f.LastStatus {
		case app.MeasureCame:
			return tr("loyalty.fig_last_came", "last visit: came")
		case app.MeasureMissed:
			return tr("loyalty.fig_last_missed", "last visit: did not come")
		}
		return tr("loyalty.fig_no_status", "no visit with a status")
	}
	return ""
}

// explainAllFigures is every figure the discount and class rules read.
func explainAllFigures(e app.Explanation) string {
	return tr("loyalty.figures", "Now: {{.Sold}}, {{.Paid}}, {{.Visits}}", map[string]any{
		"Sold": explainFigure(e, app.MeasureSold), "Paid": explainFigure(e, app.MeasurePaid), "Visits": explainFigure(e, app.MeasureVisits)})
}

// explainRule words the rule id of the explanation's rules (ruleText of
// the rule editor).
func explainRule(e app.Explanation, id string) string {
	return ruleText(id, e.Rules, e.Classes, e.Categories)
}

func classNameOf(e app.Explanation, id string) string {
	for _, c := range e.Classes {
		if c.ID == id {
			return c.Name
		}
	}
	return id
}

func classPriority(e app.Explanation, id string) int {
	for _, c := range e.Classes {
		if c.ID == id {
			return c.Priority
		}
	}
	return 0
}

func categoryNameOf(e app.Explanation, id string) string {
	for _, c := range e.Categories {
		if c.ID == id {
			return c.Name
		}
	}
	return id
}

// lapseOnLines says until when a discount or class given by a rule holds if
// the client does not come (none when it does not lapse).
func lapseOnLines(on app.Date, lapseDays int) []string {
	if on.IsZero() {
		return nil
	}
	return []string{tr("loyalty.lapse_on", "It holds until {{.Date}} if the client does not come: the rule cancels it after {{.More}} without a visit",
		map[string]any{"Date": on.Format(), "More": moreDaysText(lapseDays)})}
}

func explainDiscount(e app.Explanation) []string {
	data := map[string]any{"Discount": moneyPercent(int64(e.DiscountBP))}
	var lines []string
	switch e.DiscountBy {
	case app.SourceRule:
		i := slices.IndexFunc(e.Rules.Discounts, func(r app.DiscountRule) bool { return r.ID == e.DiscountRule })
		if i < 0 {
			lines = append(lines, tr("loyalty.discount_by_rules", "Discount {{.Discount}}: given by the rules", data))
			break
		}
		r := e.Rules.Discounts[i]
		data["Rule"], data["Figure"] = explainRule(e, r.ID), explainFigure(e, r.Measure)
		lines = append(lines, tr("loyalty.discount_rule", "Discount {{.Discount}}: by the rule «{{.Rule}}»: {{.Figure}}", data))
		lines = append(lines, lapseOnLines(e.LapseOn, e.Rules.DiscountLapseDays)...)
		if e.Subject.DiscountLock == app.ManualFloor {
			lines = append(lines, tr("loyalty.discount_floor_beaten", "The minimum set by hand, {{.Floor}}, is lower",
				map[string]any{"Floor": moneyPercent(int64(e.Subject.DiscountLockBP))}))
		}
	case app.SourceLapse:
		lines = append(lines, tr("loyalty.discount_lapsed", "No discount: no visit for {{.Days}}; the rule cancels it after {{.More}}",
			map[string]any{"Days": daysText(e.Absent), "More": moreDaysText(e.Rules.DiscountLapseDays)}))
	case app.SourceFixed:
		lines = append(lines, tr("loyalty.discount_fixed", "Discount {{.Discount}}: set by hand and fixed; the rules do not change it until it is changed by hand", data))
	case app.SourceFloor:
		lines = append(lines, tr("loyalty.discount_floor", "Discount {{.Discount}}: set by hand as a minimum; the rules may only raise it", data))
		if e.Outcome.DiscountRule != "" {
			lines = append(lines, tr("loyalty.rules_give", "The rules give {{.Discount}} now", map[string]any{"Discount": moneyPercent(int64(e.Outcome.DiscountBP))}))
		}
	case app.SourceKept:
		lines = append(lines, tr("loyalty.discount_kept", "Discount {{.Discount}}: there are no discount rules; the discount was set by hand or at import", data))
	case app.SourceManual:
		lines = append(lines, tr("loyalty.discount_once", "Discount {{.Discount}}: set by hand until the next recalculation", data))
	default:
		if len(e.Rules.Discounts) == 0 {
			lines = append(lines, tr("loyalty.discount_no_rules", "No discount: there are no discount rules"))
			break
		}
		lines = append(lines, tr("loyalty.discount_none", "No discount: no rule matches"), explainAllFigures(e))
	}
	return lines
}

func explainClass(e app.Explanation) []string {
	data := map[string]any{"Class": classNameOf(e, e.ClassID), "Priority": classPriority(e, e.ClassID)}
	var lines []string
	switch e.ClassBy {
	case app.SourceRule:
		i := slices.IndexFunc(e.Rules.Classes, func(r app.ClassRule) bool { return r.ID == e.ClassRule })
		if i < 0 {
			lines = append(lines, tr("loyalty.class_by_rules", "Class «{{.Class}}» (priority {{.Priority}}): given by the rules", data))
			break
		}
		r := e.Rules.Classes[i]
		data["Rule"], data["Figure"] = explainRule(e, r.ID), explainFigure(e, r.Measure)
		lines = append(lines, tr("loyalty.class_rule", "Class «{{.Class}}» (priority {{.Priority}}): by the rule «{{.Rule}}»: {{.Figure}}", data))
		lines = append(lines, lapseOnLines(e.ClassLapseOn, e.Rules.ClassLapseDays)...)
	case app.SourceLapse:
		lines = append(lines, tr("loyalty.class_lapsed", "No class: no visit for {{.Days}}; the rule cancels it after {{.More}}",
			map[string]any{"Days": daysText(e.Absent), "More": moreDaysText(e.Rules.ClassLapseDays)}))
	case app.SourceFixed:
		if e.ClassID == "" {
			lines = append(lines, tr("loyalty.class_fixed_none", "No class: set so by hand and fixed; the rules do not give one until it is changed by hand"))
			break
		}
		lines = append(lines, tr("loyalty.class_fixed", "Class «{{.Class}}» (priority {{.Priority}}): set by hand and fixed; the rules do not change it until it is changed by hand", data))
	case app.SourceFloor:
		lines = append(lines, tr("loyalty.class_floor", "Class «{{.Class}}» (priority {{.Priority}}): set by hand as a minimum; the rules may only raise it", data))
	case app.SourceKept:
		lines = append(lines, tr("loyalty.class_kept", "Class «{{.Class}}» (priority {{.Priority}}): there are no class rules; the class was set by hand or at import", data))
	case app.SourceManual:
		lines = append(lines, tr("loyalty.class_once", "Class «{{.Class}}» (priority {{.Priority}}): set by hand until the next recalculation", data))
	default:
		if len(e.Rules.Classes) == 0 {
			lines = append(lines, tr("loyalty.class_no_rules", "No class: there are no class rules"))
			break
		}
		lines = append(lines, tr("loyalty.class_none", "No class: no rule matches"), explainAllFigures(e))
	}
	if e.ClassBy == app.SourceRule && e.Subject.ClassLock == app.ManualFloor && e.Subject.ClassLockID != "" {
		lines = append(lines, tr("loyalty.class_floor_beaten", "The minimum set by hand, «{{.Floor}}», is lower",
			map[string]any{"Floor": classNameOf(e, e.Subject.ClassLockID)}))
	}
	return lines
}

func explainGroup(e app.Explanation) []string {
	i := slices.IndexFunc(e.Groups, func(g app.Group) bool { return g.ID == e.Subject.GroupID })
	if e.Subject.GroupID == "" || i < 0 {
		return []string{tr("loyalty.no_group", "The client is in no group")}
	}
	g := e.Groups[i]
	if !e.GroupAuto {
		return []string{tr("loyalty.group_manual", "Group «{{.Group}}»: a group without automatic moves; the client stays in it until moved by hand", map[string]any{"Group": g.Name})}
	}
	band := tr("loyalty.band_from", "from {{.From}}", map[string]any{"From": pageMoney(g.SpendFrom)})
	if g.SpendTo > 0 {
		band = pageMoney(g.SpendFrom) + " – " + pageMoney(g.SpendTo)
	}
	data := map[string]any{"Group": g.Name, "Spend": pageMoney(e.Spend), "Band": band}
	if e.PromotionBase == app.BasePaid {
		return []string{tr("loyalty.group_auto_paid", "Group «{{.Group}}»: clients move automatically by what they paid: {{.Spend}}, the group's band {{.Band}}", data)}
	}
	return []string{tr("loyalty.group_auto_sold", "Group «{{.Group}}»: clients move automatically by what was sold: {{.Spend}}, the group's band {{.Band}}", data)}
}

func explainCategories(e app.Explanation) []string {
	ruleOf := func(id string) (app.CategoryRule, bool) {
		i := slices.IndexFunc(e.Rules.Categories, func(r app.CategoryRule) bool { return r.ID == id })
		if i < 0 {
			return app.CategoryRule{}, false
		}
		return e.Rules.Categories[i], true
	}
	byName := func(ids []string) []string {
		ids = slices.Clone(ids)
		slices.SortFunc(ids, func(a, b string) int {
			return strings.Compare(strings.ToLower(categoryNameOf(e, a)), strings.ToLower(categoryNameOf(e, b)))
		})
		return ids
	}
	var lines []string
	for _, id := range byName(e.Decision.Categories) {
		data := map[string]any{"Category": categoryNameOf(e, id)}
		if r, ok := ruleOf(e.Added[id]); ok {
			data["Rule"], data["Figure"] = explainRule(e, r.ID), explainFigure(e, r.Measure)
			lines = append(lines, tr("loyalty.cat_by_rule", "«{{.Category}}»: by the rule «{{.Rule}}»: {{.Figure}}", data))
			continue
		}
		lines = append(lines, tr("loyalty.cat_by_hand", "«{{.Category}}»: added by hand or earlier", data))
	}
	if len(lines) == 0 {
		lines = append(lines, tr("loyalty.no_categories", "In no category"))
	}
	removed := make([]string, 0, len(e.Removed))
	for id := range e.Removed {
		removed = append(removed, id)
	}
	for _, id := range byName(removed) {
		if r, ok := ruleOf(e.Removed[id]); ok {
			lines = append(lines, tr("loyalty.cat_kept_out", "Not in «{{.Category}}»: the rule «{{.Rule}}» keeps the client out: {{.Figure}}",
				map[string]any{"Category": categoryNameOf(e, id), "Rule": explainRule(e, r.ID), "Figure": explainFigure(e, r.Measure)}))
		}
	}
	return lines
}

func explainStatus(e app.Explanation) []string {
	for _, s := range e.Statuses {
		if s.ID == e.StatusID && e.StatusID != "" {
			return []string{tr("loyalty.status_set", "Status «{{.Status}}»: set by hand only; the rules never change statuses", map[string]any{"Status": s.Name})}
		}
	}
	return []string{tr("loyalty.status_none", "No status: statuses are set by hand only; the rules never change them")}
}
