package ui

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// programsScreen is the Bonus programs tab (BN-06, BN-07, GR-03): the list
// of programs and the editor of the chosen one — who earns (account type,
// client groups), on what (categories, products, minimum order), when
// (dates, weekdays, hours), how much (a percent of the qualifying lines or
// fixed points, on the sold or the paid amount) and how points may pay.
type programsScreen struct {
	u       *UI
	content fyne.CanvasObject

	programs []app.Program
	table    *widget.Table
	selRow   int
	types    []app.AccountType
	groups   []app.Ref
	cats     catIndex
	catIDs   []string // the category checks' ids, label for label
	prodIDs  []string // the product checks' ids, label for label
	loaded   bool
	after    []func() // run once the first load is in

	editing *app.Program // nil: a new program
	title   *widget.Label
	form    *fieldForm

	name        *widget.Entry
	enabled     *widget.Check
	accountType *widget.Select
	typesBtn    *widget.Button
	groupChecks *widget.CheckGroup
	catChecks   *widget.CheckGroup
	prodChecks  *widget.CheckGroup
	minOrder    *widget.Entry
	activeFrom  *widget.Entry
	activeTo    *widget.Entry
	weekdays    [7]*widget.Check
	hoursFrom   *widget.Entry
	hoursTo     *widget.Entry
	reward      *widget.RadioGroup
	rewardValue *widget.Entry
	rewardUnit  *widget.Label
	base        *widget.RadioGroup
	earnOnBonus *widget.Check
	payShare    *widget.Entry
	minBalance  *widget.Entry
	status      *widget.Label
	saveBtn     *widget.Button
	deleteBtn   *widget.Button
	saving      bool

	lastTypes *accountTypesDialog // for tests
}

func newProgramsScreen(u *UI) *programsScreen {
	s := &programsScreen{u: u, selRow: -1}
	s.table = widget.NewTable(func() (int, int) { return len(s.programs), 4 }, newCellLabel, s.cell)
	s.table.ShowHeaderRow = true
	s.table.CreateHeader = newHeaderLabel
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		titles := []string{fieldLabel(app.FieldName), tr("programs.enabled", "On"), tr("programs.groups", "Client groups"), fieldLabel(app.FieldReward)}
		if id.Col >= 0 && id.Col < len(titles) {
			o.(*widget.Label).SetText(titles[id.Col])
		}
	}
	for i, w := range []float32{150, 56, 120, 80} {
		s.table.SetColumnWidth(i, w)
	}
	s.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(s.programs) && id.Row != s.selRow {
			s.selRow = id.Row
			p := s.programs[id.Row]
			s.edit(&p)
		}
	}
	newBtn := widget.NewButtonWithIcon(tr("programs.new", "New program"), theme.ContentAddIcon(), s.newProgram)
	newBtn.Importance = widget.HighImportance
	left := container.NewBorder(newBtn, nil, nil, nil, s.table)

	s.form = newFieldForm(u.win, programMessage)
	submit := func(string) { s.save() }
	entry := func(ph string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(ph)
		e.OnSubmitted = submit
		return e
	}
	s.name = entry("")
	s.enabled = widget.NewCheck(tr("programs.enabled_long", "The program runs"), nil)
	s.accountType = widget.NewSelect(nil, nil)
	s.typesBtn = widget.NewButton(tr("programs.account_types", "Account types…"), func() { s.showAccountTypes() })
	s.groupChecks = widget.NewCheckGroup(nil, nil)
	s.catChecks = widget.NewCheckGroup(nil, nil)
	s.prodChecks = widget.NewCheckGroup(nil, nil)
	s.minOrder = entry("0")
	s.activeFrom, s.activeTo = entry(tr("ph.birth_date", "DD.MM.YYYY")), entry(tr("ph.birth_date", "DD.MM.YYYY"))
	for i := range s.weekdays {
		s.weekdays[i] = widget.NewCheck(weekdayName(i), nil)
	}
	s.hoursFrom, s.hoursTo = entry(tr("programs.hours_ph", "HH:MM")), entry(tr("programs.hours_ph", "HH:MM"))
	s.rewardValue = entry("10")
	s.rewardUnit = widget.NewLabel("%")
	s.reward = widget.NewRadioGroup([]string{tr("programs.reward_percent", "Percent of the qualifying lines"), tr("programs.reward_fixed", "Fixed points per order")}, func(string) { s.syncUnit() })
	s.reward.Required = true
	s.base = widget.NewRadioGroup([]string{tr("programs.base_sold", "Sold (after discounts)"), tr("programs.base_paid", "Paid (money received)")}, nil)
	s.base.Required = true
	s.earnOnBonus = widget.NewCheck(tr("programs.earn_on_bonus", "Points paid with points earn too"), nil)
	s.payShare = entry("0")
	s.minBalance = entry("0")

	hint := func(text string) *widget.Label {
		l := widget.NewLabel(text)
		l.Importance = widget.LowImportance
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	scrollBox := func(o fyne.CanvasObject, h float32) fyne.CanvasObject {
		sc := container.NewScroll(o) // long product names scroll rather than widen the editor
		sc.SetMinSize(fyne.NewSize(0, h))
		return sc
	}
	days := container.NewGridWithColumns(4)
	for _, c := range s.weekdays {
		days.Add(c)
	}
	f := s.form
	f.add(app.FieldName, fieldLabel(app.FieldName), s.name, s.name)
	f.add("enabled", "", s.enabled, s.enabled)
	f.add(app.FieldAccountType, fieldLabel(app.FieldAccountType), container.NewVBox(s.accountType, container.NewHBox(s.typesBtn)), s.accountType)
	f.add(app.FieldGroup, tr("programs.groups", "Client groups"), container.NewVBox(
		scrollBox(s.groupChecks, 90), hint(tr("programs.groups_hint", "None checked: every client, with a group or without.")),
	), nil)
	f.add(app.FieldProductCat, tr("programs.categories", "Product categories"), scrollBox(s.catChecks, 110), nil)
	f.add(app.FieldProduct, tr("programs.products", "Products"), container.NewVBox(
		scrollBox(s.prodChecks, 110), hint(tr("programs.lines_hint", "Nothing checked: every line of the order earns. A category takes its subcategories along.")),
	), nil)
	f.add(app.FieldMinOrder, tr("programs.min_order", "Min. order, ₽"), s.minOrder, s.minOrder)
	f.add(app.FieldActiveDates, fieldLabel(app.FieldActiveDates), container.NewVBox(
		container.NewGridWithColumns(2, s.activeFrom, s.activeTo), hint(tr("programs.dates_hint", "From and to, inclusive; empty: no limit.")),
	), s.activeFrom)
	f.add(app.FieldWeekdays, fieldLabel(app.FieldWeekdays), days, s.weekdays[0])
	f.add(app.FieldHours, fieldLabel(app.FieldHours), container.NewVBox(
		container.NewGridWithColumns(2, s.hoursFrom, s.hoursTo), hint(tr("programs.hours_hint", "From and to, HH:MM; empty: all day. 22:00–02:00 runs over midnight.")),
	), s.hoursFrom)
	f.add(app.FieldReward, fieldLabel(app.FieldReward), container.NewVBox(
		s.reward, container.NewBorder(nil, nil, nil, s.rewardUnit, s.rewardValue),
	), s.rewardValue)
	f.add("base", tr("programs.base", "Counted on"), container.NewVBox(s.base, s.earnOnBonus), nil)
	f.add(app.FieldPayShare, tr("programs.pay_share", "Points pay up to, %"), container.NewVBox(
		s.payShare, hint(tr("programs.pay_share_hint", "0: points cannot pay orders under this program.")),
	), s.payShare)
	f.add(app.FieldMinBalance, tr("programs.min_balance", "Min. balance to pay"), s.minBalance, s.minBalance)

	s.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	s.saveBtn = widget.NewButtonWithIcon(tr("dialog.save", "Save"), theme.DocumentSaveIcon(), s.save)
	s.saveBtn.Importance = widget.HighImportance
	s.deleteBtn = widget.NewButtonWithIcon(tr("catalogue.delete", "Delete"), theme.DeleteIcon(), s.delete)
	buttons := container.NewHBox(s.saveBtn, s.deleteBtn)
	editor := container.NewBorder(s.title, container.NewVBox(s.form.general, s.status, buttons), nil, nil,
		container.NewVScroll(s.form.form))
	split := container.NewHSplit(left, editor)
	split.Offset = 0.45
	s.content = split
	s.newProgram()
	return s
}

// weekdayName is the short name of a weekday, 0 = Monday.
func weekdayName(i int) string {
	names := []string{
		tr("weekday.mon", "Mon"), tr("weekday.tue", "Tue"), tr("weekday.wed", "Wed"), tr("weekday.thu", "Thu"),
		tr("weekday.fri", "Fri"), tr("weekday.sat", "Sat"), tr("weekday.sun", "Sun"),
	}
	return names[i]
}

func (s *programsScreen) cell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row < 0 || id.Row >= len(s.programs) {
		l.SetText("")
		return
	}
	p := s.programs[id.Row]
	switch id.Col {
	case 0:
		l.SetText(p.Name)
	case 1:
		if p.Enabled {
			l.SetText(tr("transfer.yes", "yes"))
		} else {
			l.SetText(tr("transfer.no", "no"))
		}
	case 2:
		l.SetText(s.groupsText(p.GroupIDs))
	case 3:
		l.SetText(rewardText(p))
	}
}

func (s *programsScreen) groupsText(ids []string) string {
	if len(ids) == 0 {
		return tr("programs.all_clients", "every client")
	}
	names := make([]string, 0, len(ids))
	for _, id := range ids {
		if n := app.NameOf(s.groups, id); n != "" {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// rewardText is a program's reward for people: "10 %" or "50 баллов".
func rewardText(p app.Program) string {
	if p.Reward == app.RewardFixed {
		n := int(p.RewardValue / 100)
		if p.RewardValue%100 != 0 {
			n = 2 // a fraction takes the form of 2: 2,5 балла, 2.5 points
		}
		return lang.XN("programs.reward_points", "{{.Count}} points", n, map[string]any{"Count": pointsAmount(p.RewardValue)})
	}
	return percentText(p.RewardValue)
}

// programMessage is fieldMessage with the program's own wording of the
// reward, hours and pay share.
func programMessage(fe app.FieldError) string {
	data := map[string]any{"Field": fieldLabel(fe.Field), "Value": fe.Value}
	switch {
	case fe.Field == app.FieldReward && fe.Reason == reasonPercent:
		return tr("programs.err_percent", "{{.Field}}: «{{.Value}}» is not a percent from 0,01 to 100", data)
	case fe.Field == app.FieldReward && fe.Reason == app.ReasonBadValue:
		return tr("programs.err_reward", "{{.Field}}: must be above zero", data)
	case fe.Field == app.FieldPayShare && fe.Reason == reasonPercent:
		return tr("programs.err_share", "{{.Field}}: «{{.Value}}» is not a percent from 0 to 100", data)
	case fe.Field == app.FieldHours && fe.Reason == app.ReasonBadValue:
		return tr("programs.err_hours", "{{.Field}}: «{{.Value}}» is not a time of day; use HH:MM, e.g. 08:00", data)
	case fe.Field == app.FieldWeekdays && fe.Reason == app.ReasonRequired:
		return tr("programs.err_weekdays", "{{.Field}}: check at least one day", data)
	}
	return fieldMessage(fe)
}

// reasonPercent: a percent typed that is not one or is out of its range.
const reasonPercent = "percent"

// afterLoad runs f now if the first load is in, else once it is.
func (s *programsScreen) afterLoad(f func()) {
	if s.loaded {
		f()
		return
	}
	s.after = append(s.after, f)
}

// showExample selects the first program, for screenshots.
func (s *programsScreen) showExample() {
	s.afterLoad(func() {
		if len(s.programs) > 0 {
			s.table.Select(widget.TableCellID{Row: 0, Col: 0})
		}
	})
}

// load reads the programs and what the editor offers: account types, client
// groups, categories and products.
func (s *programsScreen) load() {
	u := s.u
	u.async(func() {
		ctx := u.ctx()
		var (
			ps    []app.Program
			types []app.AccountType
			dir   app.Directory
			cats  []app.ProductCategory
			prods []app.Product
		)
		ps, err := u.deps.Catalogue.Programs(ctx)
		if err == nil && u.deps.Ledger != nil {
			types, err = u.deps.Ledger.AccountTypes(ctx)
		}
		if err == nil {
			dir, err = u.deps.Clients.Directory(ctx)
		}
		if err == nil {
			cats, err = u.deps.Catalogue.Categories(ctx)
		}
		if err == nil {
			prods, err = u.deps.Catalogue.Products(ctx, app.ProductQuery{})
		}
		fyne.Do(func() {
			if err != nil {
				u.showError(err)
				return
			}
			s.set(ps, types, dir.Groups, cats, prods)
			s.loaded = true
			after := s.after
			s.after = nil
			for _, f := range after {
				f()
			}
		})
	})
}

// set shows what load read, keeping the program being edited and its
// unsaved fields.
func (s *programsScreen) set(ps []app.Program, types []app.AccountType, groups []app.Ref, cats []app.ProductCategory, prods []app.Product) {
	draft := s.draftChecks()
	s.programs, s.types, s.groups = ps, types, groups
	s.cats = newCatIndex(cats)
	s.selRow = -1
	if s.editing != nil {
		s.selRow = slices.IndexFunc(ps, func(p app.Program) bool { return p.ID == s.editing.ID })
	}
	s.table.Refresh()

	typeNames := make([]string, len(types))
	for i, t := range types {
		typeNames[i] = moneyTypeLabel(t.ID, t.Name)
	}
	s.accountType.Options = typeNames
	s.accountType.Refresh()
	groupNames := make([]string, len(groups))
	for i, g := range groups {
		groupNames[i] = g.Name
	}
	s.groupChecks.Options = groupNames
	s.catIDs = s.cats.ordered()
	catLabels := make([]string, len(s.catIDs))
	for i, id := range s.catIDs {
		catLabels[i] = s.cats.path(id)
	}
	s.catChecks.Options = catLabels
	s.prodIDs = make([]string, len(prods))
	prodLabels := make([]string, len(prods))
	seen := map[string]int{}
	for i, p := range prods {
		s.prodIDs[i] = p.ID
		label := p.Name
		if path := s.cats.path(p.CategoryID); path != "" {
			label += " — " + path
		}
		if p.SKU != "" {
			label += " · " + p.SKU
		}
		if n := seen[label]; n > 0 {
			seen[label]++
			label += fmt.Sprintf(" (%d)", n+1)
		} else {
			seen[label] = 1
		}
		prodLabels[i] = label
	}
	s.prodChecks.Options = prodLabels
	s.setChecks(draft)
	if s.accountType.SelectedIndex() < 0 && len(typeNames) > 0 {
		s.setAccountType(draft.typeID)
	}
}

// programChecks are the editor's picks, by id, that survive a reload.
type programChecks struct {
	typeID              string
	groups, cats, prods []string
}

func (s *programsScreen) draftChecks() programChecks {
	return programChecks{
		typeID: s.selectedType(),
		groups: pick(s.groupChecks, s.groupIDs()),
		cats:   pick(s.catChecks, s.catIDs),
		prods:  pick(s.prodChecks, s.prodIDs),
	}
}

func (s *programsScreen) groupIDs() []string {
	ids := make([]string, len(s.groups))
	for i, g := range s.groups {
		ids[i] = g.ID
	}
	return ids
}

// pick returns the ids of a check group's checked options (ids are the
// options' ids, option for option).
func pick(cg *widget.CheckGroup, ids []string) []string {
	var out []string
	for i, o := range cg.Options {
		if i < len(ids) && slices.Contains(cg.Selected, o) {
			out = append(out, ids[i])
		}
	}
	return out
}

// check checks the options whose ids are given.
func check(cg *widget.CheckGroup, ids, want []string) {
	var sel []string
	for i, o := range cg.Options {
		if i < len(ids) && slices.Contains(want, ids[i]) {
			sel = append(sel, o)
		}
	}
	cg.SetSelected(sel)
	cg.Refresh()
}

func (s *programsScreen) setChecks(c programChecks) {
	s.setAccountType(c.typeID)
	check(s.groupChecks, s.groupIDs(), c.groups)
	check(s.catChecks, s.catIDs, c.cats)
	check(s.prodChecks, s.prodIDs, c.prods)
}

func (s *programsScreen) selectedType() string {
	if i := s.accountType.SelectedIndex(); i >= 0 && i < len(s.types) {
		return s.types[i].ID
	}
	return ""
}

// setAccountType selects the type of id, or the default one.
func (s *programsScreen) setAccountType(id string) {
	if id == "" {
		id = app.DefaultAccountTypeID
	}
	i := slices.IndexFunc(s.types, func(t app.AccountType) bool { return t.ID == id })
	if i < 0 {
		i = slices.IndexFunc(s.types, func(t app.AccountType) bool { return t.IsDefault })
	}
	if i >= 0 {
		s.accountType.SetSelectedIndex(i)
	} else {
		s.accountType.ClearSelected()
	}
}

func (s *programsScreen) syncUnit() {
	if s.reward.Selected == s.reward.Options[1] {
		s.rewardUnit.SetText(tr("programs.points_unit", "points"))
	} else {
		s.rewardUnit.SetText("%")
	}
}

// newProgram clears the editor for a new program: enabled, every day, 10 %
// of the sold amount.
func (s *programsScreen) newProgram() {
	s.edit(nil)
	s.selRow = -1
	s.table.UnselectAll()
}

// edit fills the editor with p (nil: a new program's defaults).
func (s *programsScreen) edit(p *app.Program) {
	s.editing = p
	s.form.clear()
	s.status.SetText("")
	if p == nil {
		s.title.SetText(tr("programs.new", "New program"))
		s.deleteBtn.Disable()
		p = &app.Program{Enabled: true, Weekdays: app.AllWeekdays, Reward: app.RewardPercent, RewardValue: 1000, Base: app.BaseSold}
	} else {
		s.title.SetText(tr("programs.edit", "Program: {{.Name}}", map[string]any{"Name": p.Name}))
		s.deleteBtn.Enable()
	}
	s.name.SetText(p.Name)
	s.enabled.SetChecked(p.Enabled)
	s.setChecks(programChecks{typeID: p.AccountTypeID, groups: p.GroupIDs, cats: p.CategoryIDs, prods: p.ProductIDs})
	s.minOrder.SetText(moneyInput(p.MinOrder))
	s.activeFrom.SetText(dateInput(p.ActiveFrom))
	s.activeTo.SetText(dateInput(p.ActiveTo))
	for i, c := range s.weekdays {
		c.SetChecked(p.Weekdays&(1<<i) != 0)
	}
	s.hoursFrom.SetText("")
	s.hoursTo.SetText("")
	if p.HoursFrom != p.HoursTo {
		s.hoursFrom.SetText(hoursInput(p.HoursFrom))
		s.hoursTo.SetText(hoursInput(p.HoursTo))
	}
	if p.Reward == app.RewardFixed {
		s.reward.SetSelected(s.reward.Options[1])
	} else {
		s.reward.SetSelected(s.reward.Options[0])
	}
	s.rewardValue.SetText(roublesInput(p.RewardValue))
	if p.Base == app.BasePaid {
		s.base.SetSelected(s.base.Options[1])
	} else {
		s.base.SetSelected(s.base.Options[0])
	}
	s.earnOnBonus.SetChecked(p.EarnOnBonusPaid)
	s.payShare.SetText(moneyInput(int64(p.MaxPayShareBP)))
	s.minBalance.SetText(moneyInput(p.MinBalance))
	s.syncUnit()
}

// moneyInput is roublesInput with zero left empty.
func moneyInput(v int64) string {
	if v == 0 {
		return ""
	}
	return roublesInput(v)
}

func dateInput(d app.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Format()
}

func hoursInput(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// parseHours reads a time of day typed as "8", "08:00" or "8.30" as minutes
// after midnight; "24:00" is midnight; "" is unset.
func parseHours(text string) (int, bool, bool) {
	t := strings.TrimSpace(text)
	if t == "" {
		return 0, false, true
	}
	h, m, hasM := strings.Cut(strings.ReplaceAll(t, ".", ":"), ":")
	if hasM && len(m) != 2 {
		return 0, false, false
	}
	hh, err := strconv.Atoi(h)
	if err != nil || len(h) > 2 {
		return 0, false, false
	}
	mm := 0
	if hasM {
		if mm, err = strconv.Atoi(m); err != nil {
			return 0, false, false
		}
	}
	switch {
	case hh == 24 && mm == 0:
		return 0, true, true
	case hh < 0 || hh > 23 || mm < 0 || mm > 59:
		return 0, false, false
	}
	return hh*60 + mm, true, true
}

// parsePercent reads a percent typed as "10", "2,5" or "12.5 %" as basis
// points; "" is unset.
func parsePercentText(text string) (int64, bool, bool) {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(text), "%"))
	if t == "" {
		return 0, false, true
	}
	v, err := parseMoney(t)
	if err != nil {
		return 0, false, false
	}
	return v, true, true
}

// read turns the editor's fields into a program; typed values that do not
// read come back as field errors.
func (s *programsScreen) read() (app.Program, error) {
	var p app.Program
	if s.editing != nil {
		p = *s.editing
	}
	var fes []app.FieldError
	bad := func(field, reason, value string) {
		fes = append(fes, app.FieldError{Field: field, Reason: reason, Value: strings.TrimSpace(value)})
	}
	p.Name = s.name.Text
	p.Enabled = s.enabled.Checked
	p.AccountTypeID = s.selectedType()
	p.GroupIDs = pick(s.groupChecks, s.groupIDs())
	p.CategoryIDs = pick(s.catChecks, s.catIDs)
	p.ProductIDs = pick(s.prodChecks, s.prodIDs)
	p.MinOrder = 0
	if v, ok, fe := parseRoubles(s.minOrder.Text, app.FieldMinOrder); fe != nil {
		fes = append(fes, *fe)
	} else if ok {
		p.MinOrder = v
	}
	p.ActiveFrom, p.ActiveTo = app.Date{}, app.Date{}
	for _, e := range []*widget.Entry{s.activeFrom, s.activeTo} {
		d, err := app.ParseDate(e.Text)
		if err != nil {
			bad(app.FieldActiveDates, app.ReasonBadDate, e.Text)
			continue
		}
		if e == s.activeFrom {
			p.ActiveFrom = d
		} else {
			p.ActiveTo = d
		}
	}
	p.Weekdays = 0
	for i, c := range s.weekdays {
		if c.Checked {
			p.Weekdays |= 1 << i
		}
	}
	p.HoursFrom, p.HoursTo = 0, 0
	from, fromSet, fromOK := parseHours(s.hoursFrom.Text)
	to, toSet, toOK := parseHours(s.hoursTo.Text)
	switch {
	case !fromOK:
		bad(app.FieldHours, app.ReasonBadValue, s.hoursFrom.Text)
	case !toOK:
		bad(app.FieldHours, app.ReasonBadValue, s.hoursTo.Text)
	case fromSet || toSet:
		p.HoursFrom, p.HoursTo = from, to
	}
	p.Reward = app.RewardPercent
	if s.reward.Selected == s.reward.Options[1] {
		p.Reward = app.RewardFixed
	}
	if p.Reward == app.RewardPercent {
		v, ok, good := parsePercentText(s.rewardValue.Text)
		switch {
		case !good || (ok && (v <= 0 || v > 10000)):
			bad(app.FieldReward, reasonPercent, s.rewardValue.Text)
		case !ok:
			bad(app.FieldReward, app.ReasonRequired, "")
		default:
			p.RewardValue = v
		}
	} else {
		v, ok, fe := parseRoubles(s.rewardValue.Text, app.FieldReward)
		switch {
		case fe != nil:
			fes = append(fes, *fe)
		case !ok:
			bad(app.FieldReward, app.ReasonRequired, "")
		default:
			p.RewardValue = v
		}
	}
	p.Base = app.BaseSold
	if s.base.Selected == s.base.Options[1] {
		p.Base = app.BasePaid
	}
	p.EarnOnBonusPaid = s.earnOnBonus.Checked
	p.MaxPayShareBP = 0
	if v, ok, good := parsePercentText(s.payShare.Text); !good || v < 0 || v > 10000 {
		bad(app.FieldPayShare, reasonPercent, s.payShare.Text)
	} else if ok {
		p.MaxPayShareBP = int(v)
	}
	p.MinBalance = 0
	if v, ok, fe := parseRoubles(s.minBalance.Text, app.FieldMinBalance); fe != nil {
		fes = append(fes, *fe)
	} else if ok {
		p.MinBalance = v
	}
	if len(fes) > 0 {
		return p, &app.ValidationError{Fields: fes}
	}
	return p, nil
}

// save checks the editor and saves the program off the UI goroutine; field
// errors show under their fields and nothing is saved.
func (s *programsScreen) save() {
	if s.saving {
		return
	}
	p, err := s.read()
	if err != nil {
		s.form.showErrors(err)
		return
	}
	s.saving = true
	s.saveBtn.Disable()
	u := s.u
	u.async(func() {
		saved, err := u.deps.Catalogue.SaveProgram(u.ctx(), p)
		fyne.Do(func() {
			s.saving = false
			s.saveBtn.Enable()
			if err != nil {
				s.form.showErrors(err)
				return
			}
			s.form.clear()
			s.editing = &saved
			s.title.SetText(tr("programs.edit", "Program: {{.Name}}", map[string]any{"Name": saved.Name}))
			s.deleteBtn.Enable()
			s.status.Importance = widget.SuccessImportance
			s.status.SetText(tr("programs.saved", "Saved."))
			s.load()
		})
	})
}

// delete asks and deletes the program being edited; points it gave stay.
func (s *programsScreen) delete() {
	if s.editing == nil {
		return
	}
	p := *s.editing
	s.u.confirmDelete(tr("programs.delete", "Delete program"),
		tr("programs.delete_q", "Delete the program «{{.Name}}»? The points it gave stay with the clients.", map[string]any{"Name": p.Name}),
		func() {
			s.u.deleteWith(func(ctx context.Context) error { return s.u.deps.Catalogue.DeleteProgram(ctx, p.ID) }, func() {
				s.newProgram()
				s.load()
			})
		})
}

// accountTypesDialog lists the account types and adds or renames one and
// sets its expiry (BN-01, BN-08).
type accountTypesDialog struct {
	*editDialog
	s      *programsScreen
	types  []app.AccountType
	list   *widget.List
	sel    int // -1: a new type
	name   *widget.Entry
	expiry *widget.Entry
	newBtn *widget.Button
}

func (s *programsScreen) showAccountTypes() *accountTypesDialog {
	if s.u.deps.Ledger == nil {
		return nil
	}
	d := &accountTypesDialog{s: s, sel: -1, types: slices.Clone(s.types)}
	d.list = widget.NewList(func() int { return len(d.types) }, newCellLabel, func(i widget.ListItemID, o fyne.CanvasObject) {
		t := d.types[i]
		text := moneyTypeLabel(t.ID, t.Name)
		if t.ExpiryDays > 0 {
			text += " — " + lang.XN("programs.expiry_days", "points expire after {{.Count}} days", t.ExpiryDays, map[string]any{"Count": t.ExpiryDays})
		} else {
			text += " — " + tr("programs.no_expiry", "points never expire")
		}
		o.(*widget.Label).SetText(text)
	})
	d.list.OnSelected = func(i widget.ListItemID) { d.pick(i) }
	d.newBtn = widget.NewButtonWithIcon(tr("programs.new_type", "New type"), theme.ContentAddIcon(), func() {
		d.list.UnselectAll()
		d.pick(-1)
	})
	listBox := container.NewStack(d.list)
	scroll := container.NewBorder(nil, d.newBtn, nil, nil, listBox)
	d.editDialog = newEditDialog(s.u, tr("programs.account_types_title", "Bonus account types"), scroll, d.save)
	d.name, d.expiry = widget.NewEntry(), widget.NewEntry()
	d.name.OnSubmitted = func(string) { d.save() }
	d.expiry.OnSubmitted = func(string) { d.save() }
	d.expiry.SetPlaceHolder(tr("programs.expiry_ph", "0: never"))
	d.add(app.FieldName, fieldLabel(app.FieldName), d.name, d.name)
	d.add(app.FieldExpiryDays, fieldLabel(app.FieldExpiryDays), d.expiry, d.expiry)
	d.dlg.Resize(fyne.NewSize(560, 480))
	s.lastTypes = d
	d.pick(-1)
	d.present(d.name)
	return d
}

// pick edits type i, or a new one when i < 0.
func (d *accountTypesDialog) pick(i int) {
	d.sel = i
	d.clear()
	if i < 0 || i >= len(d.types) {
		d.sel = -1
		d.name.SetText("")
		d.expiry.SetText("")
		return
	}
	d.name.SetText(moneyTypeLabel(d.types[i].ID, d.types[i].Name))
	d.expiry.SetText("")
	if n := d.types[i].ExpiryDays; n > 0 {
		d.expiry.SetText(strconv.Itoa(n))
	}
}

func (d *accountTypesDialog) save() {
	t := app.AccountType{}
	if d.sel >= 0 {
		t = d.types[d.sel]
	}
	t.Name = d.name.Text
	n, _, fe := parseCount(d.expiry.Text, app.FieldExpiryDays)
	if fe != nil {
		d.showErrors(&app.ValidationError{Fields: []app.FieldError{*fe}})
		return
	}
	t.ExpiryDays = int(n)
	if d.saving {
		return
	}
	d.saving = true
	d.saveBtn.Disable()
	u := d.s.u
	u.async(func() {
		_, err := u.deps.Ledger.SaveAccountType(u.ctx(), t)
		var types []app.AccountType
		if err == nil {
			types, err = u.deps.Ledger.AccountTypes(u.ctx())
		}
		fyne.Do(func() {
			d.saving = false
			d.saveBtn.Enable()
			if err != nil {
				d.showErrors(err)
				return
			}
			d.types = types
			d.list.Refresh()
			d.list.UnselectAll()
			d.pick(-1)
			d.s.load()
		})
	})
}
