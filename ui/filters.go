package ui

import (
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// filterPanel is the collapsible panel of the list's conditions (CL-14).
// Every change is read, checked and applied once typing pauses; a value that
// does not read gets a message naming its field, and the list stays as it was.
type filterPanel struct {
	s       *clientsScreen
	content *fyne.Container

	gender                      *widget.Select
	ageFrom, ageTo              *widget.Entry
	visitsFrom, visitsTo        *widget.Entry
	soldFrom, soldTo            *widget.Entry
	paidFrom, paidTo            *widget.Entry
	lastFrom, lastTo            *widget.Entry
	bdayFrom, bdayTo            *widget.Entry
	group, class, category, tag *refSelect
	sms, email, blocked, fav    *widget.Select
	sortBy                      *widget.Select
	sortDesc                    *widget.Check
	errLbl                      *widget.Label
	resetBtn, saveBtn           *widget.Button

	genders  []app.GenderFilter
	triOpts  []string
	sortKeys []app.SortKey
	filling  bool
	dirty    bool // changed since last read
}

// refSelect picks a group, class, category or tag: "any", "none" or one.
type refSelect struct {
	*widget.Select
	any, none string
	refs      []app.Ref
}

func newRefSelect(any, none string, changed func()) *refSelect {
	r := &refSelect{any: any, none: none}
	r.Select = widget.NewSelect([]string{any, none}, func(string) { changed() })
	r.Select.SetSelectedIndex(0)
	return r
}

// setRefs offers refs, keeping the chosen one if it is still there.
func (r *refSelect) setRefs(refs []app.Ref) {
	id := r.id()
	r.refs = refs
	opts := []string{r.any, r.none}
	for _, ref := range refs {
		opts = append(opts, ref.Name)
	}
	cb := r.OnChanged
	r.OnChanged = nil
	r.Options = opts
	r.setID(id)
	r.OnChanged = cb
}

// id returns "" for any, app.NoneID for none, else the chosen ref's id.
func (r *refSelect) id() string {
	i := r.SelectedIndex()
	switch {
	case i <= 0:
		return ""
	case i == 1:
		return app.NoneID
	case i-2 < len(r.refs):
		return r.refs[i-2].ID
	}
	return ""
}

func (r *refSelect) setID(id string) {
	switch id {
	case "":
		r.SetSelectedIndex(0)
		return
	case app.NoneID:
		r.SetSelectedIndex(1)
		return
	}
	for i, ref := range r.refs {
		if ref.ID == id {
			r.SetSelectedIndex(i + 2)
			return
		}
	}
	r.SetSelectedIndex(0)
}

func newFilterPanel(s *clientsScreen) *filterPanel {
	f := &filterPanel{s: s, filling: true} // no reactions while building
	defer func() { f.filling = false }()
	changed := func() {
		if !f.filling {
			f.changedLater()
		}
	}
	entry := func(ph string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(ph)
		e.OnChanged = func(string) { changed() }
		e.OnSubmitted = func(string) { f.apply() }
		return e
	}
	from, to := tr("filter.from", "from"), tr("filter.to", "to")
	datePH, dayPH := tr("ph.birth_date", "DD.MM.YYYY"), tr("filter.day", "DD.MM")

	f.genders = []app.GenderFilter{app.GenderAny, app.GenderIsFemale, app.GenderIsMale, app.GenderIsUnknown}
	f.gender = widget.NewSelect([]string{
		tr("filter.any", "Any"), genderLabel(app.GenderFemale), genderLabel(app.GenderMale), tr("gender.unknown", "Not stated"),
	}, func(string) { changed() })
	f.gender.SetSelectedIndex(0)
	f.ageFrom, f.ageTo = entry(from), entry(to)
	f.visitsFrom, f.visitsTo = entry(from), entry(to)
	f.soldFrom, f.soldTo = entry(from), entry(to)
	f.paidFrom, f.paidTo = entry(from), entry(to)
	f.lastFrom, f.lastTo = entry(datePH), entry(datePH)
	f.bdayFrom, f.bdayTo = entry(dayPH), entry(dayPH)
	f.group = newRefSelect(tr("filter.any_group", "Any"), tr("filter.no_group", "No group"), changed)
	f.class = newRefSelect(tr("filter.any_class", "Any"), tr("filter.no_class", "No class"), changed)
	f.category = newRefSelect(tr("filter.any_category", "Any"), tr("filter.no_category", "No category"), changed)
	f.tag = newRefSelect(tr("filter.any_tag", "Any"), tr("filter.no_tag", "No tags"), changed)
	f.triOpts = []string{tr("filter.any", "Any"), tr("filter.yes", "Yes"), tr("filter.no", "No")}
	tri := func() *widget.Select {
		sel := widget.NewSelect(f.triOpts, func(string) { changed() })
		sel.SetSelectedIndex(0)
		return sel
	}
	f.sms, f.email, f.blocked, f.fav = tri(), tri(), tri(), tri()

	f.sortKeys = app.SortKeys
	names := make([]string, len(f.sortKeys))
	for i, k := range f.sortKeys {
		names[i] = sortLabel(k)
	}
	f.sortBy = widget.NewSelect(names, func(string) { f.sortChanged() })
	f.sortBy.SetSelectedIndex(0)
	f.sortDesc = widget.NewCheck(tr("filter.desc", "Descending"), func(bool) { f.sortChanged() })

	f.errLbl = pageErrLabel()
	f.resetBtn = widget.NewButtonWithIcon(tr("filter.reset", "Reset"), theme.ContentClearIcon(), f.reset)
	f.saveBtn = widget.NewButtonWithIcon(tr("segment.save", "Save as segment…"), theme.DocumentSaveIcon(), func() { s.showSaveSegment() })

	pair := func(a, b fyne.CanvasObject) fyne.CanvasObject { return container.NewGridWithColumns(2, a, b) }
	// Dates need room for DD.MM.YYYY.
	datePair := func(a, b fyne.CanvasObject) fyne.CanvasObject {
		w := fyne.MeasureText("00.00.00000", theme.TextSize(), fyne.TextStyle{}).Width + 4*theme.Padding()
		return container.NewStack(minWidth(2*w+theme.Padding()), pair(a, b))
	}
	col1 := widget.NewForm(
		widget.NewFormItem(fieldLabel(app.FieldGender), f.gender),
		widget.NewFormItem(tr("filter.age", "Age, years"), pair(f.ageFrom, f.ageTo)),
		widget.NewFormItem(fieldLabel(app.FieldVisits), pair(f.visitsFrom, f.visitsTo)),
		widget.NewFormItem(tr("filter.sold", "Sold, ₽"), pair(f.soldFrom, f.soldTo)),
		widget.NewFormItem(tr("filter.paid", "Paid, ₽"), pair(f.paidFrom, f.paidTo)),
	)
	col2 := widget.NewForm(
		widget.NewFormItem(fieldLabel(app.FieldLastVisit), datePair(f.lastFrom, f.lastTo)),
		widget.NewFormItem(fieldLabel(app.FieldBirthday), pair(f.bdayFrom, f.bdayTo)),
		widget.NewFormItem(fieldLabel(app.FieldGroup), f.group),
		widget.NewFormItem(tr("filter.class", "Class"), f.class),
		widget.NewFormItem(tr("filter.category", "Category"), f.category),
	)
	col3 := widget.NewForm(
		widget.NewFormItem(fieldLabel(app.FieldTag), f.tag),
		widget.NewFormItem(tr("filter.sms", "SMS subscription"), f.sms),
		widget.NewFormItem(tr("filter.email", "E-mail subscription"), f.email),
		widget.NewFormItem(tr("filter.blocked", "Blocked"), f.blocked),
		widget.NewFormItem(tr("filter.favorite", "Favorite"), f.fav),
	)
	sortRow := container.NewHBox(widget.NewLabel(tr("filter.sort", "Order")), f.sortBy, f.sortDesc)
	buttons := container.NewBorder(nil, nil, sortRow, container.NewHBox(f.resetBtn, f.saveBtn), f.errLbl)
	grid := container.New(spreadLayout{}, col1, col2, col3)
	f.content = container.NewVBox(grid, buttons, widget.NewSeparator())
	f.content.Hide()
	return f
}

func sortLabel(k app.SortKey) string {
	switch k {
	case app.SortName:
		return tr("filter.sort_name", "Name")
	case app.SortCreated:
		return tr("filter.sort_created", "Date added")
	case app.SortLastVisit:
		return fieldLabel(app.FieldLastVisit)
	case app.SortVisits:
		return fieldLabel(app.FieldVisits)
	case app.SortSold:
		return fieldLabel(app.FieldSold)
	case app.SortPaid:
		return fieldLabel(app.FieldPaid)
	}
	return string(k)
}

// setDirectory offers the groups, classes, categories and tags of dir.
func (f *filterPanel) setDirectory(dir app.Directory) {
	f.filling = true
	defer func() { f.filling = false }()
	f.group.setRefs(dir.Groups)
	f.class.setRefs(dir.Classes)
	f.category.setRefs(dir.Categories)
	f.tag.setRefs(dir.Tags)
}

// changedLater applies the panel once typing pauses; Enter applies at once.
func (f *filterPanel) changedLater() {
	f.dirty = true
	f.s.side.unselect()
	f.s.changedLater()
}

// apply reads the panel; a good filter reloads the list, a bad value shows
// its message and leaves the list alone.
func (f *filterPanel) apply() {
	f.dirty = true
	f.s.applyChanges()
}

func (f *filterPanel) showError(err error) {
	var msgs []string
	for _, fe := range app.FieldErrors(err) {
		msgs = append(msgs, fieldMessage(fe))
	}
	if len(msgs) == 0 {
		msgs = append(msgs, errorMessage(err))
	}
	f.errLbl.SetText(strings.Join(msgs, "\n"))
	f.errLbl.Show()
	f.content.Show()
	f.showActive()
}

// read turns the panel into a filter, or field errors naming what is wrong.
func (f *filterPanel) read() (app.ClientFilter, error) {
	var flt app.ClientFilter
	var fes []app.FieldError
	bad := func(field, reason, value string) {
		fes = append(fes, app.FieldError{Field: field, Reason: reason, Value: value})
	}
	if i := f.gender.SelectedIndex(); i > 0 && i < len(f.genders) {
		flt.Gender = f.genders[i]
	}
	intField := func(e *widget.Entry, field string) *int64 {
		v, ok, fe := parseCount(e.Text, field)
		if fe != nil {
			fes = append(fes, *fe)
		}
		if !ok {
			return nil
		}
		return &v
	}
	if a := intField(f.ageFrom, app.FieldAge); a != nil {
		n := int(*a)
		flt.AgeFrom = &n
	}
	if a := intField(f.ageTo, app.FieldAge); a != nil {
		n := int(*a)
		flt.AgeTo = &n
	}
	flt.VisitsFrom = intField(f.visitsFrom, app.FieldVisits)
	flt.VisitsTo = intField(f.visitsTo, app.FieldVisits)
	money := func(e *widget.Entry, field string) *int64 {
		v, ok, fe := parseRoubles(e.Text, field)
		if fe != nil {
			fes = append(fes, *fe)
		}
		if !ok {
			return nil
		}
		return &v
	}
	flt.SoldFrom, flt.SoldTo = money(f.soldFrom, app.FieldSold), money(f.soldTo, app.FieldSold)
	flt.PaidFrom, flt.PaidTo = money(f.paidFrom, app.FieldPaid), money(f.paidTo, app.FieldPaid)
	date := func(e *widget.Entry) app.Date {
		d, err := app.ParseDate(e.Text)
		if err != nil {
			bad(app.FieldLastVisit, app.ReasonBadDate, strings.TrimSpace(e.Text))
		}
		return d
	}
	flt.LastVisitFrom, flt.LastVisitTo = date(f.lastFrom), date(f.lastTo)
	day := func(e *widget.Entry) app.MonthDay {
		t := strings.TrimSpace(e.Text)
		if t == "" {
			return 0
		}
		m, err := app.ParseMonthDay(t)
		if err != nil {
			bad(app.FieldBirthday, app.ReasonBadDate, t)
		}
		return m
	}
	flt.BirthdayFrom, flt.BirthdayTo = day(f.bdayFrom), day(f.bdayTo)
	if flt.BirthdayFrom.IsZero() != flt.BirthdayTo.IsZero() && len(fes) == 0 {
		// One end of a birthday range means that one day.
		if flt.BirthdayTo.IsZero() {
			flt.BirthdayTo = flt.BirthdayFrom
		} else {
			flt.BirthdayFrom = flt.BirthdayTo
		}
	}
	flt.GroupID, flt.ClassID = f.group.id(), f.class.id()
	flt.CategoryID, flt.TagID = f.category.id(), f.tag.id()
	tri := func(sel *widget.Select) app.Tri { return app.Tri(max(sel.SelectedIndex(), 0)) }
	flt.SMS, flt.Email, flt.Blocked, flt.Favorite = tri(f.sms), tri(f.email), tri(f.blocked), tri(f.fav)
	if len(fes) > 0 {
		return app.ClientFilter{}, &app.ValidationError{Fields: fes}
	}
	if err := flt.Validate(); err != nil {
		return app.ClientFilter{}, err
	}
	return flt, nil
}

// fill shows flt in the panel, without applying it again.
func (f *filterPanel) fill(flt app.ClientFilter) {
	f.filling = true
	defer func() { f.filling = false }()
	f.gender.SetSelectedIndex(0)
	for i, g := range f.genders {
		if g == flt.Gender {
			f.gender.SetSelectedIndex(i)
		}
	}
	intText := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	ageText := func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	}
	moneyIn := func(p *int64) string {
		if p == nil {
			return ""
		}
		return roublesInput(*p)
	}
	f.ageFrom.SetText(ageText(flt.AgeFrom))
	f.ageTo.SetText(ageText(flt.AgeTo))
	f.visitsFrom.SetText(intText(flt.VisitsFrom))
	f.visitsTo.SetText(intText(flt.VisitsTo))
	f.soldFrom.SetText(moneyIn(flt.SoldFrom))
	f.soldTo.SetText(moneyIn(flt.SoldTo))
	f.paidFrom.SetText(moneyIn(flt.PaidFrom))
	f.paidTo.SetText(moneyIn(flt.PaidTo))
	f.lastFrom.SetText(flt.LastVisitFrom.Format())
	f.lastTo.SetText(flt.LastVisitTo.Format())
	f.bdayFrom.SetText(flt.BirthdayFrom.String())
	f.bdayTo.SetText(flt.BirthdayTo.String())
	f.group.setID(flt.GroupID)
	f.class.setID(flt.ClassID)
	f.category.setID(flt.CategoryID)
	f.tag.setID(flt.TagID)
	f.sms.SetSelectedIndex(int(flt.SMS))
	f.email.SetSelectedIndex(int(flt.Email))
	f.blocked.SetSelectedIndex(int(flt.Blocked))
	f.fav.SetSelectedIndex(int(flt.Favorite))
	f.errLbl.Hide()
	if !flt.IsEmpty() {
		f.content.Show()
	}
	f.showActive()
}

// reset clears every condition.
func (f *filterPanel) reset() {
	f.fill(app.ClientFilter{})
	f.s.side.unselect()
	f.apply()
}

// showSort shows the list's order in the order selector.
func (f *filterPanel) showSort() {
	f.filling = true
	defer func() { f.filling = false }()
	for i, k := range f.sortKeys {
		if k == f.s.sort {
			f.sortBy.SetSelectedIndex(i)
		}
	}
	f.sortDesc.SetChecked(f.s.desc)
}

func (f *filterPanel) sortChanged() {
	if f.filling {
		return
	}
	i := f.sortBy.SelectedIndex()
	if i < 0 || i >= len(f.sortKeys) {
		return
	}
	f.s.setSort(f.sortKeys[i], f.sortDesc.Checked)
}

// showActive tells on the Filters button how many conditions are on.
func (f *filterPanel) showActive() {
	b := f.s.filtersBtn
	if b == nil {
		return
	}
	text := tr("filter.show", "Filters")
	if n := f.s.filter.Conditions(); n > 0 {
		text += " (" + strconv.Itoa(n) + ")"
	}
	icon := theme.MenuDropDownIcon()
	if f.content.Visible() {
		icon = theme.MenuDropUpIcon()
	}
	b.SetText(text)
	b.SetIcon(icon)
	if f.s.filter.Conditions() > 0 {
		b.Importance = widget.WarningImportance
	} else {
		b.Importance = widget.MediumImportance
	}
	b.Refresh()
}

// parseCount reads a whole number ≥ 0 typed in a field; "" is unset.
func parseCount(text, field string) (int64, bool, *app.FieldError) {
	t := strings.Map(dropSpaces, text)
	if t == "" {
		return 0, false, nil
	}
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return 0, false, &app.FieldError{Field: field, Reason: reasonNotNumber, Value: strings.TrimSpace(text)}
	}
	if v < 0 {
		return 0, false, &app.FieldError{Field: field, Reason: app.ReasonNegative, Value: strings.TrimSpace(text)}
	}
	return v, true, nil
}

// parseRoubles reads an amount of roubles typed in a field ("1 500", "1500,50",
// "1500.5 ₽") as kopecks; "" is unset.
func parseRoubles(text, field string) (int64, bool, *app.FieldError) {
	t := strings.TrimSpace(text)
	if t == "" {
		return 0, false, nil
	}
	v, err := parseMoney(t)
	if err != nil {
		return 0, false, &app.FieldError{Field: field, Reason: reasonNotMoney, Value: t}
	}
	if v < 0 {
		return 0, false, &app.FieldError{Field: field, Reason: app.ReasonNegative, Value: t}
	}
	return v, true, nil
}

// parseMoney reads roubles with up to two decimals as kopecks (app.ParseAmount).
func parseMoney(text string) (int64, error) { return app.ParseAmount(text) }

// roublesInput writes kopecks the way one types them: 150000 → "1500",
// 150050 → "1500,50".
func roublesInput(kopecks int64) string {
	s := strconv.FormatInt(kopecks/100, 10)
	if k := kopecks % 100; k != 0 {
		s += "," + strconv.FormatInt(100+k, 10)[1:]
	}
	return s
}

// dropSpaces removes the spaces people type between thousands.
func dropSpaces(r rune) rune {
	switch r {
	case ' ', '\u00a0', '\u202f', '\u2009', '\t':
		return -1
	}
	return r
}

// minWidth is an invisible spacer that holds a container at least w wide.
func minWidth(w float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(w, 0))
	return r
}

// spreadLayout sets objects side by side: each gets its minimum width and an
// equal share of the room left, so a column with wide fields stays readable.
type spreadLayout struct{}

func (spreadLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for i, o := range objs {
		m := o.MinSize()
		s.Width += m.Width
		if i > 0 {
			s.Width += theme.Padding()
		}
		s.Height = max(s.Height, m.Height)
	}
	return s
}

func (l spreadLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) == 0 {
		return
	}
	extra := max(0, (size.Width-l.MinSize(objs).Width)/float32(len(objs)))
	x := float32(0)
	for _, o := range objs {
		w := o.MinSize().Width + extra
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + theme.Padding()
	}
}
