package ui

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// rulesScreen is the loyalty rule editor (issue 6, LR-01…LR-08) in the tabs
// of seed 004: discount rules with their lapse, classes and their rules,
// categories with their add and remove rules, statuses (set by hand only)
// and the lapse warning. One «Save» stores every rule after a check that
// names rules which never apply; then every client is recalculated in the
// background with progress while the rest of the program stays usable.
type rulesScreen struct {
	u       *UI
	content fyne.CanvasObject
	tabs    *container.AppTabs

	discTab, classTab, catTab, statusTab, settingsTab *container.TabItem

	// What the rules point at, as last read.
	classes    []app.Class
	categories []app.Category
	statuses   []app.Status
	classList  *refList
	catList    *refList
	statusList *refList

	// The editor's rows, in their order on screen.
	discounts, classRules, addRules, removeRules []*ruleRow
	discBox, classBox, addBox, removeBox         *fyne.Container
	discAdd, classAdd, catAddAdd, catRemoveAdd   *widget.Button
	presetBtn                                    *widget.Button

	lapse, classLapse, warnDays, template             *rulesEntry
	lapseErr, classLapseErr, warnDaysErr, templateErr *widget.Label
	preview                                           *widget.Label

	warnLabel  *widget.Label // the current rules' warnings, under the tabs
	warnScroll *container.Scroll
	general    *widget.Label
	saveBtn    *widget.Button
	recalcBtn  *widget.Button
	progress   *widget.ProgressBar
	progText   *widget.Label

	warns   []app.RuleWarning // the saved rules' warnings, as shown
	dirty   bool              // rows changed since the last load or save
	filling bool              // the screen is filling its widgets: not an edit
	saving  bool
	example bool // showExample: fill an example once the data is in
	// recalcRun numbers the recalculations; a newer one cancels the older.
	recalcRun    int
	recalcCancel context.CancelFunc

	// For tests and screenshots: the last warning dialog and ref dialog.
	lastWarn *rulesWarnDialog
	lastRef  *refDialog
}

// rowKind is which list a rule row belongs to.
type rowKind int

const (
	rowDiscount rowKind = iota
	rowClass
	rowCategoryAdd
	rowCategoryRemove
)

// fieldPosition names a status's position in its dialog's errors.
const fieldPosition = "position"

func newRulesScreen(u *UI) *rulesScreen {
	s := &rulesScreen{u: u}
	s.lapse, s.classLapse, s.warnDays = s.newEntry(false), s.newEntry(false), s.newEntry(false)
	s.template = s.newEntry(true)
	s.template.SetMinRowsVisible(4)
	for _, e := range []*rulesEntry{s.lapse, s.classLapse, s.warnDays} {
		e.SetPlaceHolder("0")
	}
	s.lapseErr, s.classLapseErr, s.warnDaysErr, s.templateErr = pageErrLabel(), pageErrLabel(), pageErrLabel(), pageErrLabel()
	s.warnDays.OnChanged = func(string) { s.edited(); s.showPreview() }
	s.template.OnChanged = func(string) { s.edited(); s.showPreview() }
	s.preview = widget.NewLabel("")
	s.preview.Wrapping = fyne.TextWrapWord

	s.discTab = container.NewTabItem(tr("rules.tab_discounts", "Discount rules"), s.buildDiscounts())
	s.classTab = container.NewTabItem(tr("rules.tab_classes", "Importance classes"), s.buildClasses())
	s.catTab = container.NewTabItem(tr("rules.tab_categories", "Categories"), s.buildCategories())
	s.statusTab = container.NewTabItem(tr("rules.tab_statuses", "Statuses"), s.buildStatuses())
	s.settingsTab = container.NewTabItem(tr("rules.tab_settings", "Settings"), s.buildSettings())
	s.tabs = container.NewAppTabs(s.discTab, s.classTab, s.catTab, s.statusTab, s.settingsTab)

	s.warnLabel = widget.NewLabel("")
	s.warnLabel.Wrapping = fyne.TextWrapWord
	s.warnLabel.Importance = widget.WarningImportance
	s.warnScroll = container.NewVScroll(s.warnLabel)
	s.warnScroll.SetMinSize(fyne.NewSize(0, 90))
	s.warnScroll.Hide()
	s.general = pageErrLabel()
	s.saveBtn = widget.NewButtonWithIcon(tr("rules.save", "Save (Ctrl+S)"), theme.DocumentSaveIcon(), s.save)
	s.saveBtn.Importance = widget.HighImportance
	s.recalcBtn = widget.NewButtonWithIcon(tr("rules.recalc_all", "Recalculate everyone"), theme.ViewRefreshIcon(), s.recalculate)
	s.progress = widget.NewProgressBar()
	s.progress.Hide()
	s.progText = widget.NewLabel("")
	bar := container.NewBorder(nil, nil, container.NewHBox(s.saveBtn, s.recalcBtn), s.progText, s.progress)
	s.content = container.NewBorder(nil, container.NewVBox(s.warnScroll, s.general, bar), nil, nil, s.tabs)

	u.win.Canvas().AddShortcut(shortcutSave, func(fyne.Shortcut) {
		if u.rulesTab != nil && u.tabs.Selected() == u.rulesTab && u.win.Canvas().Overlays().Top() == nil {
			s.save()
		}
	})
	s.showPreview()
	return s
}

// rulesEntry is an entry of the rule editor: Ctrl+S saves from it and
// Enter moves on to the next field (a multi-line entry takes Enter as a new
// line), so no key throws the edits away.
type rulesEntry struct {
	widget.Entry
	s *rulesScreen
}

func (s *rulesScreen) newEntry(multi bool) *rulesEntry {
	e := &rulesEntry{s: s}
	e.MultiLine = multi
	if multi {
		e.Wrapping = fyne.TextWrapWord
	} else {
		e.OnSubmitted = func(string) { s.u.win.Canvas().FocusNext() }
	}
	e.OnChanged = func(string) { s.edited() }
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut saves the rules on Ctrl+S.
func (e *rulesEntry) TypedShortcut(sc fyne.Shortcut) {
	if sc.ShortcutName() == shortcutSave.ShortcutName() {
		e.s.save()
		return
	}
	e.Entry.TypedShortcut(sc)
}

// edited marks the rules as changed by the user.
func (s *rulesScreen) edited() {
	if !s.filling {
		s.dirty = true
	}
}

// sized holds obj at width w.
func sized(w float32, obj fyne.CanvasObject) fyne.CanvasObject {
	return container.NewStack(minWidth(w), obj)
}

// daysRow is «label [entry] days» with the error under it.
func daysRow(label string, e *rulesEntry, unit string, errLabel *widget.Label) fyne.CanvasObject {
	return container.NewVBox(container.NewHBox(widget.NewLabel(label), sized(90, e), widget.NewLabel(unit)), errLabel)
}

func (s *rulesScreen) buildDiscounts() fyne.CanvasObject {
	s.discBox = container.NewVBox()
	s.discAdd = widget.NewButtonWithIcon(tr("rules.add_rule", "Add a rule"), theme.ContentAddIcon(), func() { s.addByHand(rowDiscount) })
	top := container.NewVBox(pageHeading(tr("rules.discounts_heading", "Discount rules")),
		pageHint(tr("rules.discounts_hint", "A client gets the largest discount the rules give. «Sold» is the price of the services and goods billed; «paid» is the money actually received.")))
	lapse := container.NewVBox(widget.NewSeparator(), pageHeading(tr("rules.lapse_heading", "Cancelling the discount")),
		daysRow(tr("rules.lapse_label", "Cancel the discount if the client has not visited for more than"), s.lapse, tr("rules.days", "days"), s.lapseErr),
		pageHint(tr("rules.lapse_hint", "0 or empty: never. After a visit the rules give the discount again.")))
	return container.NewBorder(top, lapse, nil, nil, container.NewScroll(container.NewVBox(s.discBox, container.NewHBox(s.discAdd))))
}

func (s *rulesScreen) buildClasses() fyne.CanvasObject {
	s.classList = s.newRefList(app.RefClass, []moneyCol{
		{title: fieldLabel(app.FieldName), width: 170},
		{title: fieldLabel(app.FieldPriority), width: 110, num: true},
		{title: tr("groups.clients_column", "Clients"), width: 90, num: true},
	}, func() int { return len(s.classes) }, func(row, col int) string {
		c := s.classes[row]
		return []string{c.Name, strconv.Itoa(c.Priority), groupDigits(c.Clients)}[col]
	})
	s.presetBtn = widget.NewButton(tr("rules.preset", "Bronze, Silver, Gold"), s.preset)
	s.classList.bar.Add(s.presetBtn)
	left := container.NewBorder(container.NewVBox(pageHeading(tr("rules.classes_heading", "Importance classes")), s.classList.bar),
		nil, nil, nil, s.classList.table)

	s.classBox = container.NewVBox()
	s.classAdd = widget.NewButtonWithIcon(tr("rules.add_rule", "Add a rule"), theme.ContentAddIcon(), func() { s.addByHand(rowClass) })
	lapse := container.NewVBox(widget.NewSeparator(), pageHeading(tr("rules.class_lapse_heading", "Cancelling the class")),
		daysRow(tr("rules.class_lapse_label", "Cancel the class if the client has not visited for more than"), s.classLapse, tr("rules.days", "days"), s.classLapseErr),
		pageHint(tr("rules.class_lapse_hint", "0 or empty: never. After a visit the rules give the class again.")))
	right := container.NewBorder(container.NewVBox(pageHeading(tr("rules.class_rules_heading", "Rules for importance classes")),
		pageHint(tr("rules.classes_hint", "A client gets the class of the highest priority the rules give."))), lapse, nil, nil,
		container.NewScroll(container.NewVBox(s.classBox, container.NewHBox(s.classAdd))))
	split := container.NewVSplit(left, right)
	split.Offset = 0.4
	return split
}

func (s *rulesScreen) buildCategories() fyne.CanvasObject {
	s.catList = s.newRefList(app.RefCategory, []moneyCol{
		{title: fieldLabel(app.FieldName), width: 200},
		{title: tr("groups.clients_column", "Clients"), width: 90, num: true},
	}, func() int { return len(s.categories) }, func(row, col int) string {
		c := s.categories[row]
		return []string{c.Name, groupDigits(c.Clients)}[col]
	})
	left := container.NewBorder(container.NewVBox(pageHeading(tr("rules.categories_heading", "Client categories")), s.catList.bar),
		nil, nil, nil, s.catList.table)

	s.addBox, s.removeBox = container.NewVBox(), container.NewVBox()
	s.catAddAdd = widget.NewButtonWithIcon(tr("rules.add_rule", "Add a rule"), theme.ContentAddIcon(), func() { s.addByHand(rowCategoryAdd) })
	s.catRemoveAdd = widget.NewButtonWithIcon(tr("rules.add_rule", "Add a rule"), theme.ContentAddIcon(), func() { s.addByHand(rowCategoryRemove) })
	body := container.NewVBox(
		pageHeading(tr("rules.cat_add_heading", "Add to a category automatically")), s.addBox, container.NewHBox(s.catAddAdd),
		widget.NewSeparator(),
		pageHeading(tr("rules.cat_remove_heading", "Remove from a category automatically")), s.removeBox, container.NewHBox(s.catRemoveAdd),
		pageHint(tr("rules.categories_hint", "A client is in every category whose rules match; a removal wins over an addition of the same category, so removal rules must not contradict the addition rules.")))
	right := container.NewBorder(pageHeading(tr("rules.category_rules_heading", "Rules for categories")), nil, nil, nil, container.NewScroll(body))
	split := container.NewVSplit(left, right)
	split.Offset = 0.35
	return split
}

func (s *rulesScreen) buildStatuses() fyne.CanvasObject {
	s.statusList = s.newRefList(app.RefStatus, []moneyCol{
		{title: fieldLabel(app.FieldName), width: 260},
		{title: tr("rules.position", "Position"), width: 90, num: true},
		{title: tr("groups.clients_column", "Clients"), width: 90, num: true},
	}, func() int { return len(s.statuses) }, func(row, col int) string {
		st := s.statuses[row]
		return []string{st.Name, strconv.Itoa(st.Position), groupDigits(st.Clients)}[col]
	})
	top := container.NewVBox(pageHeading(tr("rules.statuses_heading", "Statuses")), s.statusList.bar,
		pageHint(tr("rules.statuses_hint", "Statuses are set by hand only, on a client's page or for many clients at once from the list; the rules never give or take them. A status set by hand stays until it is changed by hand.")))
	return container.NewBorder(top, nil, nil, nil, s.statusList.table)
}

func (s *rulesScreen) buildSettings() fyne.CanvasObject {
	form := container.NewVBox(
		pageHeading(tr("rules.warning_heading", "Warning before the discount is cancelled")),
		daysRow(tr("rules.warning_label", "Warn"), s.warnDays, tr("rules.warning_unit", "days before the discount is cancelled (0: no warning)"), s.warnDaysErr),
		widget.NewLabel(fieldLabel(app.FieldTemplate)), s.template, s.templateErr,
		pageHint(tr("rules.placeholders", "Placeholders: {name} the client's name, {discount} their discount, {date} the last day the discount holds.")),
		pageHeading(tr("rules.preview_heading", "Example")), s.preview,
		widget.NewSeparator(),
		pageHint(tr("rules.warning_hint", "Warnings go to the outbox and are delivered once sending channels are set up. Nothing is sent at the moment the discount is cancelled.")))
	return container.NewVScroll(form)
}

// refList is a table of classes, categories or statuses with its buttons.
type refList struct {
	s       *rulesScreen
	kind    app.RefKind
	table   *moneyTable
	bar     *fyne.Container
	pick    int
	rows    func() int
	editBtn *widget.Button
	delBtn  *widget.Button
}

func (s *rulesScreen) newRefList(kind app.RefKind, cols []moneyCol, rows func() int, cell func(row, col int) string) *refList {
	l := &refList{s: s, kind: kind, rows: rows, pick: -1}
	l.table = newMoneyTable(nil, cols, rows, func(row, col int) (string, bool) { return cell(row, col), false })
	l.table.onPick = func(row int) { l.pick = row; l.sync() }
	l.table.onOpen = func(row int) { l.pick = row; l.sync(); s.editRef(kind, row) }
	add := widget.NewButtonWithIcon(map[app.RefKind]string{
		app.RefClass:    tr("rules.class_new", "New class…"),
		app.RefCategory: tr("rules.category_new", "New category…"),
		app.RefStatus:   tr("rules.status_new", "New status…"),
	}[kind], theme.ContentAddIcon(), func() { s.editRef(kind, -1) })
	l.editBtn = widget.NewButtonWithIcon(tr("catalogue.edit", "Edit…"), theme.DocumentCreateIcon(), func() { s.editRef(kind, l.pick) })
	l.delBtn = widget.NewButtonWithIcon(tr("groups.delete", "Delete…"), theme.DeleteIcon(), func() { s.deleteRef(kind, l.pick) })
	l.bar = container.NewHBox(add, l.editBtn, l.delBtn)
	l.sync()
	return l
}

func (l *refList) sync() {
	if l.pick >= l.rows() {
		l.pick = -1
	}
	if l.pick >= 0 {
		l.editBtn.Enable()
		l.delBtn.Enable()
	} else {
		l.editBtn.Disable()
		l.delBtn.Disable()
	}
}

func (l *refList) refresh() {
	l.table.UnselectAll()
	l.pick = -1
	l.table.Refresh()
	l.sync()
}

// ruleRow is one rule on screen: what it counts, from how much, and what it
// gives (a discount, a class or a category), with a remove button and its
// error under it. Its id is given when the row is made, so the use case's
// errors find it.
type ruleRow struct {
	s        *rulesScreen
	kind     rowKind
	id       string
	measures []app.Measure
	measure  *widget.Select
	fromText *widget.Label
	from     *rulesEntry
	unit     *widget.Label
	percent  *rulesEntry // discount rows
	ref      *widget.Select
	refID    string
	remove   *widget.Button
	err      *widget.Label
	box      *fyne.Container
}

// measureLabel names what a rule counts, for the select.
func measureLabel(m app.Measure) string {
	switch m {
	case app.MeasureSold:
		return tr("rules.by_sold", "By sold")
	case app.MeasurePaid:
		return tr("rules.by_paid", "By paid")
	case app.MeasureVisits:
		return tr("rules.by_visits", "By number of visits")
	case app.MeasureAbsentDays:
		return tr("rules.by_absent", "By days without a visit")
	case app.MeasureCame:
		return tr("rules.status_came", "Visit status set to «Client came»")
	case app.MeasureMissed:
		return tr("rules.status_missed", "Visit status set to «Client did not come»")
	}
	return string(m)
}

// fromLabel is the words before a rule's threshold: «Sold from».
func fromLabel(m app.Measure) string {
	switch m {
	case app.MeasureSold:
		return tr("rules.sold_from", "Sold from")
	case app.MeasurePaid:
		return tr("rules.paid_from", "Paid from")
	case app.MeasureVisits:
		return tr("rules.visits_from", "Visits from")
	case app.MeasureAbsentDays:
		return tr("rules.absent_more", "Not visited for more than")
	}
	return ""
}

func fromUnit(m app.Measure) string {
	switch m {
	case app.MeasureSold, app.MeasurePaid:
		return "₽"
	case app.MeasureAbsentDays:
		return tr("rules.days", "days")
	}
	return ""
}

// addByHand adds an empty row of kind (the «Add a rule» buttons) and puts
// the focus on its first field.
func (s *rulesScreen) addByHand(kind rowKind) {
	r := s.addRow(kind, nil)
	var first fyne.Focusable = r.measure
	if kind == rowClass {
		first = r.ref
	}
	s.u.win.Canvas().Focus(first)
}

// addRow adds a row of kind, with a new id, at the end of its list; fill,
// when set, fills it (and may give it the id of a saved rule).
func (s *rulesScreen) addRow(kind rowKind, fill func(r *ruleRow)) *ruleRow {
	r := &ruleRow{s: s, kind: kind, id: app.NewID(), err: pageErrLabel()}
	r.measures = []app.Measure{app.MeasureSold, app.MeasurePaid, app.MeasureVisits}
	if kind == rowCategoryAdd || kind == rowCategoryRemove {
		r.measures = append(r.measures, app.MeasureAbsentDays, app.MeasureCame, app.MeasureMissed)
	}
	labels := make([]string, len(r.measures))
	for i, m := range r.measures {
		labels[i] = measureLabel(m)
	}
	r.fromText, r.unit = widget.NewLabel(""), widget.NewLabel("")
	r.from = s.newEntry(false)
	r.measure = widget.NewSelect(labels, func(string) { r.syncMeasure(); s.edited() })
	parts := []fyne.CanvasObject{}
	switch kind {
	case rowDiscount:
		r.percent = s.newEntry(false)
		r.percent.SetPlaceHolder("5")
		r.percent.OnChanged = func(string) { s.edited(); s.showPreview() }
		parts = append(parts, sized(230, r.measure), sized(120, r.fromText), sized(110, r.from), sized(32, r.unit),
			widget.NewLabel("→"), sized(70, r.percent), widget.NewLabel("%"))
	case rowClass:
		r.ref = widget.NewSelect(nil, func(string) { r.pickRef(); s.edited() })
		r.ref.PlaceHolder = tr("rules.pick_class", "Class…")
		parts = append(parts, sized(170, r.ref), sized(230, r.measure), sized(120, r.fromText), sized(110, r.from), sized(32, r.unit))
	default:
		r.ref = widget.NewSelect(nil, func(string) { r.pickRef(); s.edited() })
		r.ref.PlaceHolder = tr("rules.pick_category", "Category…")
		parts = append(parts, sized(400, r.measure), sized(150, r.fromText), sized(110, r.from), sized(56, r.unit),
			widget.NewLabel("→"), sized(210, r.ref))
	}
	r.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { s.removeRow(r) })
	parts = append(parts, r.remove)
	r.box = container.NewVBox(container.NewHBox(parts...), r.err)

	was := s.filling
	s.filling = true
	r.measure.SetSelectedIndex(0)
	if r.ref != nil {
		s.refOptions(r)
	}
	if fill != nil {
		fill(r)
	}
	s.filling = was
	r.syncMeasure()
	*s.rowsOf(kind) = append(*s.rowsOf(kind), r)
	s.boxOf(kind).Add(r.box)
	s.edited()
	return r
}

func (s *rulesScreen) rowsOf(kind rowKind) *[]*ruleRow {
	switch kind {
	case rowClass:
		return &s.classRules
	case rowCategoryAdd:
		return &s.addRules
	case rowCategoryRemove:
		return &s.removeRules
	}
	return &s.discounts
}

func (s *rulesScreen) boxOf(kind rowKind) *fyne.Container {
	switch kind {
	case rowClass:
		return s.classBox
	case rowCategoryAdd:
		return s.addBox
	case rowCategoryRemove:
		return s.removeBox
	}
	return s.discBox
}

func (s *rulesScreen) removeRow(r *ruleRow) {
	rows := s.rowsOf(r.kind)
	*rows = slices.DeleteFunc(*rows, func(o *ruleRow) bool { return o == r })
	s.boxOf(r.kind).Remove(r.box)
	s.edited()
}

// clearRows empties every list of rows.
func (s *rulesScreen) clearRows() {
	for _, k := range []rowKind{rowDiscount, rowClass, rowCategoryAdd, rowCategoryRemove} {
		*s.rowsOf(k) = nil
		s.boxOf(k).RemoveAll()
	}
}

func (r *ruleRow) measureNow() app.Measure {
	if i := r.measure.SelectedIndex(); i >= 0 {
		return r.measures[i]
	}
	return app.MeasureSold
}

func (r *ruleRow) setMeasure(m app.Measure) {
	if i := slices.Index(r.measures, m); i >= 0 {
		r.measure.SetSelectedIndex(i)
	}
}

// syncMeasure shows the threshold's words and unit for the measure; the
// visit status rules have no threshold.
func (r *ruleRow) syncMeasure() {
	m := r.measureNow()
	r.fromText.SetText(fromLabel(m))
	r.unit.SetText(fromUnit(m))
	if m == app.MeasureCame || m == app.MeasureMissed {
		r.from.Hide()
	} else {
		r.from.Show()
	}
	switch m {
	case app.MeasureSold, app.MeasurePaid:
		r.from.SetPlaceHolder("5000")
	default:
		r.from.SetPlaceHolder("10")
	}
}

// fromInput writes a threshold the way it is typed.
func fromInput(m app.Measure, from int64) string {
	switch m {
	case app.MeasureSold, app.MeasurePaid:
		return roublesInput(from)
	case app.MeasureCame, app.MeasureMissed:
		return ""
	}
	return strconv.FormatInt(from, 10)
}

// refOptions offers the classes or categories in the row's select, keeping
// the chosen one.
func (s *rulesScreen) refOptions(r *ruleRow) {
	names, ids := s.refNames(r.kind)
	was := s.filling
	s.filling = true
	r.ref.SetOptions(names)
	if i := slices.Index(ids, r.refID); i >= 0 && r.refID != "" {
		r.ref.SetSelectedIndex(i)
	} else {
		r.ref.ClearSelected()
	}
	s.filling = was
}

func (s *rulesScreen) refNames(kind rowKind) (names, ids []string) {
	if kind == rowClass {
		for _, c := range s.classes {
			names, ids = append(names, c.Name), append(ids, c.ID)
		}
		return names, ids
	}
	for _, c := range s.categories {
		names, ids = append(names, c.Name), append(ids, c.ID)
	}
	return names, ids
}

func (r *ruleRow) pickRef() {
	if r.s.filling && r.ref.SelectedIndex() < 0 {
		return // options being replaced: the rule keeps what it points at
	}
	_, ids := r.s.refNames(r.kind)
	if i := r.ref.SelectedIndex(); i >= 0 && i < len(ids) {
		r.refID = ids[i]
	}
}

func (r *ruleRow) setRef(id string) {
	r.refID = id
	r.s.refOptions(r)
}

// load reads the rules and what they point at off the UI goroutine. Edits
// not saved yet stay: only the lists of classes, categories and statuses
// are refreshed then.
func (s *rulesScreen) load() {
	u := s.u
	u.async(func() {
		ctx := u.ctx()
		l := u.deps.Loyalty
		var d rulesData
		d.rules, d.err = l.Rules(ctx)
		if d.err == nil {
			d.err = d.readRefs(ctx, l)
		}
		if d.err == nil {
			d.warns, _ = l.Check(ctx, d.rules) // saved rules: only warnings
		}
		fyne.Do(func() { s.loaded(d) })
	})
}

// rulesData is what load reads.
type rulesData struct {
	rules      app.Rules
	warns      []app.RuleWarning
	classes    []app.Class
	categories []app.Category
	statuses   []app.Status
	err        error
}

func (d *rulesData) readRefs(ctx context.Context, l LoyaltyService) error {
	var err error
	if d.classes, err = l.Classes(ctx); err != nil {
		return err
	}
	if d.categories, err = l.Categories(ctx); err != nil {
		return err
	}
	d.statuses, err = l.Statuses(ctx)
	return err
}

func (s *rulesScreen) loaded(d rulesData) {
	if d.err != nil {
		s.general.SetText(errorMessage(d.err))
		s.general.Show()
		return
	}
	s.setRefs(d)
	if !s.dirty {
		s.fill(d.rules)
		s.showWarnings(d.warns, d.rules)
	}
	if s.example {
		s.example = false
		s.fillExample()
	}
}

// setRefs shows the classes, categories and statuses and offers them in the
// rows' selects.
func (s *rulesScreen) setRefs(d rulesData) {
	s.classes, s.categories, s.statuses = d.classes, d.categories, d.statuses
	for _, l := range []*refList{s.classList, s.catList, s.statusList} {
		l.refresh()
	}
	for _, rows := range [][]*ruleRow{s.classRules, s.addRules, s.removeRules} {
		for _, r := range rows {
			s.refOptions(r)
		}
	}
}

// loadRefs reads the classes, categories and statuses again (after one was
// added, changed or deleted, or a recalculation moved clients).
func (s *rulesScreen) loadRefs() {
	u := s.u
	u.async(func() {
		var d rulesData
		d.err = d.readRefs(u.ctx(), u.deps.Loyalty)
		fyne.Do(func() {
			if d.err != nil {
				u.showError(d.err)
				return
			}
			s.setRefs(d)
		})
	})
}

// fill shows saved rules in the editor.
func (s *rulesScreen) fill(r app.Rules) {
	s.filling = true
	defer func() { s.filling = false; s.dirty = false }()
	s.clearRows()
	for _, d := range r.Discounts {
		s.addRow(rowDiscount, func(row *ruleRow) {
			row.id = d.ID
			row.setMeasure(d.Measure)
			row.from.SetText(fromInput(d.Measure, d.From))
			row.percent.SetText(moneyPercentInput(int64(d.DiscountBP)))
		})
	}
	for _, c := range r.Classes {
		s.addRow(rowClass, classFill(c))
	}
	for _, c := range r.Categories {
		kind := rowCategoryRemove
		if c.Add {
			kind = rowCategoryAdd
		}
		s.addRow(kind, func(row *ruleRow) {
			row.id = c.ID
			row.setMeasure(c.Measure)
			row.from.SetText(fromInput(c.Measure, c.From))
			row.setRef(c.CategoryID)
		})
	}
	s.lapse.SetText(daysInput(r.DiscountLapseDays))
	s.classLapse.SetText(daysInput(r.ClassLapseDays))
	s.warnDays.SetText(daysInput(r.Warning.Days))
	s.template.SetText(r.Warning.Template)
	s.clearErrors()
	s.showPreview()
}

// classFill fills a class rule's row with c (a new id when c has none).
func classFill(c app.ClassRule) func(*ruleRow) {
	return func(row *ruleRow) {
		if c.ID != "" {
			row.id = c.ID
		}
		row.setMeasure(c.Measure)
		row.from.SetText(fromInput(c.Measure, c.From))
		row.setRef(c.ClassID)
	}
}

func daysInput(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// read turns the editor into rules; what does not read comes back as field
// errors naming the row.
func (s *rulesScreen) read() (app.Rules, []app.FieldError) {
	var r app.Rules
	var fes []app.FieldError
	for _, row := range s.discounts {
		m, from, fe := row.readFrom()
		fes = append(fes, fe...)
		bp, fe2 := row.readPercent()
		fes = append(fes, fe2...)
		r.Discounts = append(r.Discounts, app.DiscountRule{ID: row.id, Measure: m, From: from, DiscountBP: bp})
	}
	for _, row := range s.classRules {
		m, from, fe := row.readFrom()
		fes = append(fes, fe...)
		fes = append(fes, row.readRef(app.FieldClass)...)
		r.Classes = append(r.Classes, app.ClassRule{ID: row.id, ClassID: row.refID, Measure: m, From: from})
	}
	for _, rows := range [][]*ruleRow{s.addRules, s.removeRules} {
		for _, row := range rows {
			m, from, fe := row.readFrom()
			fes = append(fes, fe...)
			fes = append(fes, row.readRef(app.FieldCategory)...)
			r.Categories = append(r.Categories, app.CategoryRule{ID: row.id, CategoryID: row.refID,
				Add: row.kind == rowCategoryAdd, Measure: m, From: from})
		}
	}
	days := func(e *rulesEntry, field string, to *int) {
		v, _, fe := parseCount(e.Text, field)
		if fe != nil {
			fes = append(fes, *fe)
			return
		}
		*to = int(min(v, 1<<31-1))
	}
	days(s.lapse, app.FieldLapseDays, &r.DiscountLapseDays)
	days(s.classLapse, app.FieldClassLapseDays, &r.ClassLapseDays)
	days(s.warnDays, app.FieldWarningDays, &r.Warning.Days)
	r.Warning.Template = s.template.Text
	return r, fes
}

// readFrom reads the row's measure and threshold: roubles for sold and paid,
// a whole number for visits and days, none for a visit's status.
func (r *ruleRow) readFrom() (app.Measure, int64, []app.FieldError) {
	m := r.measureNow()
	text := strings.TrimSpace(r.from.Text)
	var v int64
	var ok bool
	var fe *app.FieldError
	switch m {
	case app.MeasureCame, app.MeasureMissed:
		return m, 0, nil
	case app.MeasureSold, app.MeasurePaid:
		v, ok, fe = parseRoubles(text, app.FieldThreshold)
	default:
		v, ok, fe = parseCount(text, app.FieldThreshold)
	}
	if fe == nil && !ok {
		fe = &app.FieldError{Field: app.FieldThreshold, Reason: app.ReasonRequired}
	}
	if fe != nil {
		fe.Item = r.id
		return m, 0, []app.FieldError{*fe}
	}
	return m, v, nil
}

func (r *ruleRow) readPercent() (int, []app.FieldError) {
	text := strings.TrimSpace(r.percent.Text)
	v, set, ok := parsePercentText(text)
	switch {
	case !set && ok:
		return 0, []app.FieldError{{Field: app.FieldDiscount, Reason: app.ReasonRequired, Item: r.id}}
	case !ok || v <= 0 || v > 10000:
		return 0, []app.FieldError{{Field: app.FieldDiscount, Reason: reasonPercent, Value: text, Item: r.id}}
	}
	return int(v), nil
}

func (r *ruleRow) readRef(field string) []app.FieldError {
	if r.refID == "" {
		return []app.FieldError{{Field: field, Reason: app.ReasonRequired, Item: r.id}}
	}
	return nil
}

// rulesFieldMessage words an error of the rule editor, naming the field as
// the row shows it (label; "" for the field's own name).
func rulesFieldMessage(fe app.FieldError, label string) string {
	if label == "" {
		label = fieldLabel(fe.Field)
		if fe.Field == fieldPosition {
			label = tr("rules.position", "Position")
		}
	}
	data := map[string]any{"Field": label, "Value": fe.Value}
	switch {
	case fe.Field == app.FieldDiscount && (fe.Reason == reasonPercent || fe.Reason == app.ReasonBadValue):
		if fe.Value == "" || fe.Reason == app.ReasonBadValue {
			return tr("rules.err_percent", "{{.Field}}: enter a percent above 0, at most 100", data)
		}
		return tr("rules.err_percent_value", "{{.Field}}: «{{.Value}}» is not a percent above 0, at most 100", data)
	case fe.Field == app.FieldWarningDays && fe.Reason == app.ReasonBadRange:
		return tr("rules.err_warning_days", "{{.Field}}: must be fewer than the days after which the discount is cancelled", data)
	case fe.Field == app.FieldTemplate && fe.Reason == app.ReasonBadValue:
		return tr("rules.err_placeholder", "{{.Field}}: «{{.Value}}» is not a placeholder; use {name}, {discount} or {date}", data)
	case fe.Field == app.FieldMeasure && fe.Reason == app.ReasonBadValue:
		return tr("rules.err_measure", "{{.Field}}: this rule cannot count that", data)
	}
	return fieldMessageAs(fe, label, "")
}

// rowOf finds the row a rule id belongs to.
func (s *rulesScreen) rowOf(id string) (*ruleRow, *container.TabItem) {
	for _, l := range []struct {
		rows []*ruleRow
		tab  *container.TabItem
	}{{s.discounts, s.discTab}, {s.classRules, s.classTab}, {s.addRules, s.catTab}, {s.removeRules, s.catTab}} {
		for _, r := range l.rows {
			if r.id == id {
				return r, l.tab
			}
		}
	}
	return nil, nil
}

func (s *rulesScreen) clearErrors() {
	for _, rows := range [][]*ruleRow{s.discounts, s.classRules, s.addRules, s.removeRules} {
		for _, r := range rows {
			r.err.SetText("")
			r.err.Hide()
		}
	}
	for _, l := range []*widget.Label{s.lapseErr, s.classLapseErr, s.warnDaysErr, s.templateErr, s.general} {
		l.Hide()
	}
}

// showErrors puts field errors next to their rows or fields, opens the tab
// of the first and focuses its field.
func (s *rulesScreen) showErrors(err error) {
	s.clearErrors()
	fes := app.FieldErrors(err)
	if len(fes) == 0 {
		s.general.SetText(errorMessage(err))
		s.general.Show()
		return
	}
	var firstTab *container.TabItem
	var firstFocus fyne.Focusable
	for _, fe := range fes {
		label, tab, focus := s.place(fe)
		msg := rulesFieldMessage(fe, "")
		if row, _ := s.rowOf(fe.Item); row != nil && fe.Field == app.FieldThreshold {
			msg = rulesFieldMessage(fe, fromLabel(row.measureNow()))
		}
		if label.Visible() && label.Text != "" {
			if !strings.Contains(label.Text, msg) {
				label.SetText(label.Text + "\n" + msg)
			}
		} else {
			label.SetText(msg)
			label.Show()
		}
		if firstTab == nil {
			firstTab, firstFocus = tab, focus
		}
	}
	if firstTab != nil {
		s.tabs.Select(firstTab)
	}
	if firstFocus != nil {
		s.u.win.Canvas().Focus(firstFocus)
	}
}

// place finds where a field error shows: its row's label or the field's.
func (s *rulesScreen) place(fe app.FieldError) (*widget.Label, *container.TabItem, fyne.Focusable) {
	if row, tab := s.rowOf(fe.Item); row != nil {
		var focus fyne.Focusable = row.measure
		switch fe.Field {
		case app.FieldThreshold:
			focus = row.from
		case app.FieldDiscount:
			if row.percent != nil {
				focus = row.percent
			}
		case app.FieldClass, app.FieldCategory:
			if row.ref != nil {
				focus = row.ref
			}
		}
		return row.err, tab, focus
	}
	switch fe.Field {
	case app.FieldLapseDays:
		return s.lapseErr, s.discTab, s.lapse
	case app.FieldClassLapseDays:
		return s.classLapseErr, s.classTab, s.classLapse
	case app.FieldWarningDays:
		return s.warnDaysErr, s.settingsTab, s.warnDays
	case app.FieldTemplate:
		return s.templateErr, s.settingsTab, s.template
	}
	return s.general, nil, nil
}

// save checks the rules and, when the check finds rules that never apply
// or repeat others, asks before storing them; then every client is
// recalculated in the background.
func (s *rulesScreen) save() {
	if s.saving {
		return
	}
	r, fes := s.read()
	if len(fes) > 0 {
		s.showErrors(&app.ValidationError{Fields: fes})
		return
	}
	s.clearErrors()
	s.setSaving(true)
	u := s.u
	u.async(func() {
		ws, err := u.deps.Loyalty.Check(u.ctx(), r)
		fyne.Do(func() {
			s.setSaving(false)
			switch {
			case err != nil:
				s.showErrors(err)
			case len(ws) > 0:
				s.askWarnings(r, ws)
			default:
				s.store(r)
			}
		})
	})
}

func (s *rulesScreen) setSaving(on bool) {
	s.saving = on
	if on {
		s.saveBtn.Disable()
	} else {
		s.saveBtn.Enable()
	}
}

// store saves r and starts the recalculation.
func (s *rulesScreen) store(r app.Rules) {
	if s.saving {
		return
	}
	s.setSaving(true)
	u := s.u
	u.async(func() {
		saved, ws, err := u.deps.Loyalty.Save(u.ctx(), r)
		fyne.Do(func() {
			s.setSaving(false)
			if err != nil {
				s.showErrors(err)
				return
			}
			s.dirty = false
			s.clearErrors()
			s.showWarnings(ws, saved)
			s.recalculate()
		})
	})
}

// rulesWarnDialog lists what the check found before saving, with «Save
// anyway» and «Fix».
type rulesWarnDialog struct {
	dlg        *dialog.CustomDialog
	texts      []string
	saveAnyway *widget.Button
	fix        *widget.Button
}

func (s *rulesScreen) askWarnings(r app.Rules, ws []app.RuleWarning) *rulesWarnDialog {
	d := &rulesWarnDialog{}
	list := container.NewVBox(pageHint(tr("rules.warn_intro", "The rules can be saved, but probably do not do what was meant:")))
	for _, w := range ws {
		t := ruleWarningText(w, r, s.classes, s.categories)
		d.texts = append(d.texts, t)
		l := widget.NewLabel("• " + t)
		l.Wrapping = fyne.TextWrapWord
		list.Add(l)
	}
	scroll := container.NewVScroll(list)
	scroll.SetMinSize(fyne.NewSize(560, min(list.MinSize().Height, 320)))
	d.fix = widget.NewButton(tr("rules.fix", "Fix"), func() { d.dlg.Hide() })
	d.saveAnyway = widget.NewButton(tr("rules.save_anyway", "Save anyway"), func() { d.dlg.Hide(); s.store(r) })
	d.saveAnyway.Importance = widget.WarningImportance
	d.dlg = dialog.NewCustomWithoutButtons(tr("rules.warn_title", "Check the rules"), scroll, s.u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.fix, d.saveAnyway})
	s.u.dialogKeys(d.dlg, d.dlg.Hide, nil)
	d.dlg.Resize(fyne.NewSize(640, 0))
	d.dlg.Show()
	s.lastWarn = d
	return d
}

// showWarnings lists the warnings of the rules as saved under the tabs.
func (s *rulesScreen) showWarnings(ws []app.RuleWarning, r app.Rules) {
	s.warns = ws
	if len(ws) == 0 {
		s.warnLabel.SetText("")
		s.warnScroll.Hide()
		return
	}
	lines := []string{tr("rules.warn_saved", "The saved rules have these problems:")}
	for _, w := range ws {
		lines = append(lines, "• "+ruleWarningText(w, r, s.classes, s.categories))
	}
	s.warnLabel.SetText(strings.Join(lines, "\n"))
	s.warnScroll.Show()
}

// ruleMoney writes a threshold in roubles: 300000 → «3 000 ₽».
func ruleMoney(k int64) string { return moneyPoints(k) + "\u00a0₽" }

// ruleCondition says when a rule matches: «Sold from 3 000 ₽», «Visits
// from 3», «Not visited for more than 90 days», «Visit status set to …».
func ruleCondition(m app.Measure, from int64) string {
	switch m {
	case app.MeasureSold, app.MeasurePaid:
		return fromLabel(m) + " " + ruleMoney(from)
	case app.MeasureVisits:
		return fromLabel(m) + " " + groupDigits64(from)
	case app.MeasureAbsentDays:
		return lang.XN("rules.text_absent", "Not visited for more than {{.Count}} days", int(from), map[string]any{"Count": groupDigits64(from)})
	}
	return measureLabel(m)
}

// ruleText describes the rule id of r in words, naming the classes and
// categories it gives: «Sold from 3 000 ₽: 5 %», «Visits from 10: class
// «Bronze»», «Not visited for more than 90 days: into category «Lost»».
// The warnings use it, and so does the client page's explanation.
func ruleText(id string, r app.Rules, classes []app.Class, cats []app.Category) string {
	for _, d := range r.Discounts {
		if d.ID == id {
			return ruleCondition(d.Measure, d.From) + ": " + moneyPercent(int64(d.DiscountBP))
		}
	}
	for _, c := range r.Classes {
		if c.ID == id {
			name := ""
			if i := slices.IndexFunc(classes, func(k app.Class) bool { return k.ID == c.ClassID }); i >= 0 {
				name = classes[i].Name
			}
			return ruleCondition(c.Measure, c.From) + ": " + tr("rules.text_class", "class «{{.Name}}»", map[string]any{"Name": name})
		}
	}
	for _, c := range r.Categories {
		if c.ID == id {
			name := ""
			if i := slices.IndexFunc(cats, func(k app.Category) bool { return k.ID == c.CategoryID }); i >= 0 {
				name = cats[i].Name
			}
			data := map[string]any{"Name": name}
			if c.Add {
				return ruleCondition(c.Measure, c.From) + ": " + tr("rules.text_add", "into category «{{.Name}}»", data)
			}
			return ruleCondition(c.Measure, c.From) + ": " + tr("rules.text_remove", "out of category «{{.Name}}»", data)
		}
	}
	return tr("rules.text_gone", "a deleted rule")
}

// ruleWarningText says in plain words what a warning of the check means,
// naming both rules.
func ruleWarningText(w app.RuleWarning, r app.Rules, classes []app.Class, cats []app.Category) string {
	rule, other := ruleText(w.Rule, r, classes, cats), ruleText(w.Other, r, classes, cats)
	data := map[string]any{"Rule": rule, "Other": other}
	switch w.Code {
	case app.WarnDuplicate:
		if rule == other {
			return tr("rules.warn_duplicate", "Rule “{{.Rule}}” repeats “{{.Other}}”", data)
		}
		return tr("rules.warn_redundant", "Rule “{{.Rule}}” adds nothing: “{{.Other}}” does the same from a lower threshold", data)
	case app.WarnNeverApplies:
		return neverAppliesText(w, r, data)
	case app.WarnNeverAdded:
		return tr("rules.warn_never_added", "Rule “{{.Rule}}” never adds anyone: “{{.Other}}” always takes them out again (a removal wins)", data)
	case app.WarnNoLapse:
		return tr("rules.warn_no_lapse", "A warning before the discount is cancelled is set, but discounts are never cancelled: set the days without a visit on the discount tab, or turn the warning off")
	}
	return w.Code
}

// neverAppliesText words WarnNeverApplies by how the other rule beats this
// one: more from a lower threshold, more from the same, or as much from a
// lower.
func neverAppliesText(w app.RuleWarning, r app.Rules, data map[string]any) string {
	di := slices.IndexFunc(r.Discounts, func(d app.DiscountRule) bool { return d.ID == w.Rule })
	do := slices.IndexFunc(r.Discounts, func(d app.DiscountRule) bool { return d.ID == w.Other })
	if di >= 0 && do >= 0 {
		d, o := r.Discounts[di], r.Discounts[do]
		switch {
		case o.From == d.From:
			return tr("rules.warn_never_same_from", "Rule “{{.Rule}}” never applies: “{{.Other}}” gives more from the same threshold", data)
		case o.DiscountBP == d.DiscountBP:
			return tr("rules.warn_never_same_bp", "Rule “{{.Rule}}” never applies: “{{.Other}}” gives as much from a lower threshold", data)
		}
		return tr("rules.warn_never_discount", "Rule “{{.Rule}}” never applies: “{{.Other}}” gives more from a lower threshold", data)
	}
	ci := slices.IndexFunc(r.Classes, func(c app.ClassRule) bool { return c.ID == w.Rule })
	co := slices.IndexFunc(r.Classes, func(c app.ClassRule) bool { return c.ID == w.Other })
	if ci >= 0 && co >= 0 && r.Classes[ci].From == r.Classes[co].From {
		return tr("rules.warn_never_class_same", "Rule “{{.Rule}}” never applies: “{{.Other}}” gives a higher class from the same threshold", data)
	}
	return tr("rules.warn_never_class", "Rule “{{.Rule}}” never applies: “{{.Other}}” gives a higher class from a lower threshold", data)
}

// recalculate applies the saved rules to every client in the background
// with progress under the editor. A run already going is cancelled: the
// new one covers everyone anyway.
func (s *rulesScreen) recalculate() {
	if s.recalcCancel != nil {
		s.recalcCancel()
	}
	s.recalcRun++
	run := s.recalcRun
	ctx, cancel := context.WithCancel(s.u.ctx())
	s.recalcCancel = cancel
	s.progress.SetValue(0)
	s.progress.Show()
	s.progText.SetText(tr("rules.recalc_start", "Recalculating the rules…"))
	u := s.u
	u.async(func() {
		p, err := u.deps.Loyalty.RecalculateAll(ctx, func(p app.RecalcProgress) {
			fyne.Do(func() {
				if run == s.recalcRun {
					s.showProgress(p)
				}
			})
		})
		fyne.Do(func() {
			cancel()
			if run != s.recalcRun {
				return // a newer run took over
			}
			s.recalcCancel = nil
			s.progress.Hide()
			switch {
			case errors.Is(err, context.Canceled):
				s.progText.SetText(tr("rules.recalc_cancelled", "Recalculation stopped"))
			case err != nil:
				s.progText.SetText(tr("rules.recalc_failed", "Recalculation failed: {{.Error}}", map[string]any{"Error": errorMessage(err)}))
			default:
				s.progText.SetText(lang.XN("rules.recalc_done", "Done: {{.Count}} clients changed", p.Changed, map[string]any{"Count": groupDigits(p.Changed)}))
				s.loadRefs() // the clients' counts
			}
		})
	})
}

func (s *rulesScreen) showProgress(p app.RecalcProgress) {
	if p.Total > 0 {
		s.progress.Max = float64(p.Total)
		s.progress.SetValue(float64(min(p.Done, p.Total)))
	}
	s.progText.SetText(tr("rules.recalc_progress", "Recalculating the rules: {{.Done}} of {{.Total}}",
		map[string]any{"Done": groupDigits(p.Done), "Total": groupDigits(p.Total)}))
}

// showPreview renders the lapse warning's template with an example client,
// the largest discount typed and the last day it would hold.
func (s *rulesScreen) showPreview() {
	bp := 0
	for _, r := range s.discounts {
		if v, err := r.readPercent(); err == nil {
			bp = max(bp, v)
		}
	}
	if bp == 0 {
		bp = 500
	}
	days, _, _ := parseCount(s.warnDays.Text, app.FieldWarningDays)
	last := s.u.deps.Clients.Today().AddDays(int(max(days-1, 0)))
	text := app.RenderWarning(s.template.Text, tr("rules.example_name", "Anna"), bp, last)
	s.preview.SetText(text)
}

// preset adds the classes Bronze, Silver and Gold (those that exist are
// kept) and seed 004's rules for them to the editor, to be saved with the
// rest.
func (s *rulesScreen) preset() {
	u := s.u
	names := [3]string{tr("rules.bronze", "Bronze"), tr("rules.silver", "Silver"), tr("rules.gold", "Gold")}
	u.async(func() {
		cs, err := u.deps.Loyalty.PresetClasses(u.ctx(), names)
		var d rulesData
		if err == nil {
			err = d.readRefs(u.ctx(), u.deps.Loyalty)
		}
		fyne.Do(func() {
			if err != nil {
				u.showError(err)
				return
			}
			s.setRefs(d)
			for _, c := range app.PresetClassRules(cs) {
				if !s.hasClassRule(c) {
					s.addRow(rowClass, classFill(c))
				}
			}
			s.tabs.Select(s.classTab)
			if u.clients != nil {
				u.clients.loadDirectory()
			}
		})
	})
}

func (s *rulesScreen) hasClassRule(c app.ClassRule) bool {
	return slices.ContainsFunc(s.classRules, func(r *ruleRow) bool {
		m, from, fe := r.readFrom()
		return fe == nil && r.refID == c.ClassID && m == c.Measure && from == c.From
	})
}

// refDialog adds or changes a class (name, priority), a category (name) or
// a status (name, position).
type refDialog struct {
	*editDialog
	kind   app.RefKind
	id     string
	name   *moneyEntry
	number *moneyEntry // priority or position; nil for a category
}

// editRef opens the dialog for row of kind's list; -1 adds one.
func (s *rulesScreen) editRef(kind app.RefKind, row int) *refDialog {
	d := &refDialog{kind: kind}
	var name string
	var number int
	switch kind {
	case app.RefClass:
		number = 1
		if len(s.classes) > 0 {
			number = s.classes[0].Priority + 1 // highest first
		}
		if row >= 0 && row < len(s.classes) {
			d.id, name, number = s.classes[row].ID, s.classes[row].Name, s.classes[row].Priority
		}
	case app.RefCategory:
		if row >= 0 && row < len(s.categories) {
			d.id, name = s.categories[row].ID, s.categories[row].Name
		}
	case app.RefStatus:
		number = len(s.statuses) + 1
		if n := len(s.statuses); n > 0 {
			number = max(number, s.statuses[n-1].Position+1)
		}
		if row >= 0 && row < len(s.statuses) {
			d.id, name, number = s.statuses[row].ID, s.statuses[row].Name, s.statuses[row].Position
		}
	}
	d.editDialog = newEditDialog(s.u, refTitle(kind, d.id == "", name), nil, func() { s.saveRef(d) })
	d.message = func(fe app.FieldError) string { return rulesFieldMessage(fe, "") }
	d.name = newMoneyEntry(false)
	d.name.SetText(name)
	d.name.OnSubmitted = func(string) { s.saveRef(d) }
	d.name.esc = d.dlg.Hide
	d.add(app.FieldName, fieldLabel(app.FieldName), d.name, d.name)
	if kind != app.RefCategory {
		d.number = newMoneyEntry(false)
		d.number.SetText(strconv.Itoa(number))
		d.number.OnSubmitted = func(string) { s.saveRef(d) }
		d.number.esc = d.dlg.Hide
		if kind == app.RefClass {
			d.add(app.FieldPriority, fieldLabel(app.FieldPriority), d.number, d.number)
			d.form.Append("", pageHint(tr("rules.priority_hint", "The higher the priority, the more important the class: of the classes the rules give, a client gets the highest.")))
		} else {
			d.add(fieldPosition, tr("rules.position", "Position"), d.number, d.number)
		}
	}
	s.lastRef = d
	d.present(d.name)
	return d
}

func refTitle(kind app.RefKind, isNew bool, name string) string {
	data := map[string]any{"Name": name}
	switch {
	case kind == app.RefClass && isNew:
		return tr("rules.class_new_title", "New importance class")
	case kind == app.RefClass:
		return tr("rules.class_edit_title", "Class: {{.Name}}", data)
	case kind == app.RefCategory && isNew:
		return tr("rules.category_new_title", "New client category")
	case kind == app.RefCategory:
		return tr("rules.category_edit_title", "Category: {{.Name}}", data)
	case isNew:
		return tr("rules.status_new_title", "New status")
	}
	return tr("rules.status_edit_title", "Status: {{.Name}}", data)
}

func (s *rulesScreen) saveRef(d *refDialog) {
	number := 0
	if d.number != nil {
		field := app.FieldPriority
		if d.kind == app.RefStatus {
			field = fieldPosition
		}
		t := strings.Map(dropSpaces, d.number.Text)
		n, err := strconv.Atoi(t)
		if t != "" && err != nil {
			d.showErrors(&app.ValidationError{Fields: []app.FieldError{{Field: field, Reason: reasonNotNumber, Value: strings.TrimSpace(d.number.Text)}}})
			return
		}
		number = n
	}
	l, name := s.u.deps.Loyalty, d.name.Text
	d.run(func(ctx context.Context) error {
		var err error
		switch d.kind {
		case app.RefClass:
			_, err = l.SaveClass(ctx, app.Class{ID: d.id, Name: name, Priority: number})
		case app.RefCategory:
			_, err = l.SaveCategory(ctx, app.Category{ID: d.id, Name: name})
		default:
			_, err = l.SaveStatus(ctx, app.Status{ID: d.id, Name: name, Position: number})
		}
		return err
	}, s.refsChanged)
}

// refsChanged reloads the lists and the client list's selectors after a
// class, category or status changed.
func (s *rulesScreen) refsChanged() {
	s.loadRefs()
	if s.u.clients != nil {
		s.u.clients.loadDirectory()
	}
}

// deleteRef asks and deletes the row of kind's list. One that clients have,
// or that a rule names (in the editor or as saved), is refused with the
// reason.
func (s *rulesScreen) deleteRef(kind app.RefKind, row int) {
	var id, name string
	switch kind {
	case app.RefClass:
		if row >= 0 && row < len(s.classes) {
			id, name = s.classes[row].ID, s.classes[row].Name
		}
	case app.RefCategory:
		if row >= 0 && row < len(s.categories) {
			id, name = s.categories[row].ID, s.categories[row].Name
		}
	case app.RefStatus:
		if row >= 0 && row < len(s.statuses) {
			id, name = s.statuses[row].ID, s.statuses[row].Name
		}
	}
	if id == "" {
		return
	}
	if s.editorNames(id) {
		dialog.ShowError(errorf(refInUseText(kind, "rules")), s.u.win)
		return
	}
	u := s.u
	u.confirmDelete(tr("rules.delete_title", "Delete"), tr("rules.delete_q", "Delete «{{.Name}}»?", map[string]any{"Name": name}), func() {
		u.async(func() {
			err := u.deps.Loyalty.DeleteRef(u.ctx(), kind, id)
			fyne.Do(func() {
				var fes []app.FieldError
				if err != nil {
					fes = app.FieldErrors(err)
				}
				switch {
				case len(fes) > 0 && fes[0].Reason == app.ReasonInUse:
					dialog.ShowError(errorf(refInUseText(kind, fes[0].Value)), u.win)
				case err != nil:
					u.showError(err)
				default:
					s.refsChanged()
				}
			})
		})
	})
}

// editorNames reports whether a rule row of the editor points at id.
func (s *rulesScreen) editorNames(id string) bool {
	for _, rows := range [][]*ruleRow{s.classRules, s.addRules, s.removeRules} {
		if slices.ContainsFunc(rows, func(r *ruleRow) bool { return r.refID == id }) {
			return true
		}
	}
	return false
}

// refInUseText says why a class, category or status cannot be deleted:
// value is how many clients have it, or "rules" when rules name it.
func refInUseText(kind app.RefKind, value string) string {
	data := map[string]any{"Count": value}
	if value == "rules" {
		if kind == app.RefClass {
			return tr("rules.in_use_rules_class", "This class is named by rules: remove those rules and save them first")
		}
		return tr("rules.in_use_rules_category", "This category is named by rules: remove those rules and save them first")
	}
	switch kind {
	case app.RefClass:
		return tr("rules.in_use_class", "Clients have this class ({{.Count}}): give them another class first", data)
	case app.RefCategory:
		return tr("rules.in_use_category", "This category has clients ({{.Count}}): take them out of it first", data)
	}
	return tr("rules.in_use_status", "Clients have this status ({{.Count}}): change their status first", data)
}

// showExample opens the discount rules with the demo venue's rules; a venue
// without rules gets seed 004's examples typed in (not saved), for the
// screenshots.
func (s *rulesScreen) showExample() {
	s.tabs.Select(s.discTab)
	s.example = true
	s.load()
}

func (s *rulesScreen) fillExample() {
	if len(s.discounts)+len(s.classRules)+len(s.addRules)+len(s.removeRules) > 0 {
		return
	}
	examples := []app.DiscountRule{
		{Measure: app.MeasureSold, From: 5_000_00, DiscountBP: 500},
		{Measure: app.MeasureSold, From: 20_000_00, DiscountBP: 1000},
		{Measure: app.MeasureVisits, From: 3, DiscountBP: 500},
	}
	for _, d := range examples {
		s.addRow(rowDiscount, func(row *ruleRow) {
			row.setMeasure(d.Measure)
			row.from.SetText(fromInput(d.Measure, d.From))
			row.percent.SetText(moneyPercentInput(int64(d.DiscountBP)))
		})
	}
	s.lapse.SetText("60")
	s.showPreview()
}
