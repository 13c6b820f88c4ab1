package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// quickInfoWidth is the width of the quick-info panel.
const quickInfoWidth = 310

// quickInfo is the panel right of the list with the essentials of the
// checked or chosen client and the quick actions (CL-15).
type quickInfo struct {
	s       *clientsScreen
	content *fyne.Container
	id      string // the client shown
	gen     int
	client  app.Client
	loaded  bool

	name     *widget.Label
	blocked  *widget.Label
	checked  *widget.Label
	fields   *fyne.Container
	values   map[string]*widget.Label
	order    []string
	openBtn  *widget.Button
	actions  *widget.Button
	clearBtn *widget.Button
	closeBtn *widget.Button
}

// Rows of the panel, by key.
const (
	qiPhone     = "phone"
	qiEmail     = "email"
	qiBirthday  = "birthday"
	qiGroup     = "group"
	qiClass     = "class"
	qiTags      = "tags"
	qiVisits    = "visits"
	qiSold      = "sold"
	qiPaid      = "paid"
	qiAverage   = "average"
	qiLastVisit = "last_visit"
	qiReason    = "block_reason"
	qiNote      = "note"
)

func newQuickInfo(s *clientsScreen) *quickInfo {
	q := &quickInfo{s: s, values: map[string]*widget.Label{}}
	q.name = widget.NewLabel("")
	q.name.TextStyle.Bold = true
	q.name.Wrapping = fyne.TextWrapWord
	q.blocked = widget.NewLabel(tr("quickinfo.blocked", "Blocked"))
	q.blocked.Importance = widget.DangerImportance
	q.blocked.Hide()
	q.checked = widget.NewLabel("")
	q.checked.Importance = widget.LowImportance
	q.checked.Hide()
	titles := []struct{ key, title string }{
		{qiPhone, columnTitle(app.ColPhone)},
		{qiEmail, columnTitle(app.ColEmail)},
		{qiBirthday, fieldLabel(app.FieldBirthDate)},
		{qiGroup, columnTitle(app.ColGroup)},
		{qiClass, columnTitle(app.ColClass)},
		{qiTags, columnTitle(app.ColTags)},
		{qiVisits, columnTitle(app.ColVisits)},
		{qiSold, columnTitle(app.ColSold)},
		{qiPaid, columnTitle(app.ColPaid)},
		{qiAverage, columnTitle(app.ColAverageCheck)},
		{qiLastVisit, columnTitle(app.ColLastVisit)},
		{qiReason, tr("quickinfo.block_reason", "Why blocked")},
		{qiNote, columnTitle(app.ColNote)},
	}
	q.fields = container.New(layout.NewFormLayout())
	for _, t := range titles {
		title := widget.NewLabel(t.title)
		v := widget.NewLabel("")
		v.Wrapping = fyne.TextWrapWord
		v.Selectable = true
		q.values[t.key] = v
		q.order = append(q.order, t.key)
		q.fields.Add(title)
		q.fields.Add(v)
	}
	q.openBtn = widget.NewButtonWithIcon(tr("quickinfo.open", "Open client page"), theme.AccountIcon(), func() {
		if q.id != "" {
			s.u.openClient(q.id)
		}
	})
	q.openBtn.Importance = widget.HighImportance
	q.actions = widget.NewButtonWithIcon(tr("bulk.actions", "Actions"), theme.MenuDropDownIcon(), nil)
	q.actions.IconPlacement = widget.ButtonIconTrailingText
	q.actions.OnTapped = func() { s.showActionsMenu(q.actions) }
	q.clearBtn = widget.NewButton(tr("quickinfo.uncheck", "Uncheck all"), func() { s.clearChecks() })
	q.closeBtn = widget.NewButtonWithIcon("", theme.CancelIcon(), q.close)
	q.closeBtn.Importance = widget.LowImportance

	width := canvas.NewRectangle(nil)
	width.SetMinSize(fyne.NewSize(quickInfoWidth, 0))
	head := container.NewBorder(nil, nil, nil, q.closeBtn, q.name)
	body := container.NewVScroll(container.NewVBox(q.blocked, q.fields))
	foot := container.NewVBox(q.checked, container.NewGridWithColumns(2, q.actions, q.clearBtn), q.openBtn)
	q.content = container.NewBorder(nil, nil, widget.NewSeparator(), nil,
		container.NewStack(width, container.NewBorder(head, foot, nil, nil, body)))
	q.content.Hide()
	return q
}

// show fills the panel with the client id and the number of checked
// clients; with no client and nothing checked the panel hides.
func (q *quickInfo) show(id string) {
	s := q.s
	n := len(s.checked)
	if n > 1 || (n == 1 && !s.checked[id]) {
		q.checked.SetText(lang.XN("quickinfo.checked", "Checked: {{.Count}} clients", n, map[string]any{"Count": groupDigits(n)}))
		q.checked.Show()
	} else {
		q.checked.Hide()
	}
	if n > 0 {
		q.clearBtn.Enable()
	} else {
		q.clearBtn.Disable()
	}
	if id == "" {
		q.close()
		return
	}
	q.content.Show()
	if id == q.id && q.loaded {
		return
	}
	q.id, q.loaded = id, false
	q.gen++
	gen := q.gen
	q.openBtn.Disable()
	s.u.async(func() {
		c, err := s.u.deps.Clients.Get(s.u.ctx(), id)
		fyne.Do(func() {
			if gen != q.gen {
				return
			}
			if err != nil {
				q.name.SetText(errorMessage(err))
				for _, v := range q.values {
					v.SetText("")
				}
				return
			}
			q.fill(c)
		})
	})
}

// reload reads the shown client again, after a change.
func (q *quickInfo) reload() {
	if q.id != "" && q.content.Visible() {
		q.loaded = false
		q.show(q.id)
	}
}

func (q *quickInfo) close() {
	q.content.Hide()
	q.id, q.loaded = "", false
	q.gen++
	if q.s.focusID != "" {
		q.s.focusID = ""
		q.s.table.Refresh()
	}
}

func (q *quickInfo) fill(c app.Client) {
	s := q.s
	q.client, q.loaded = c, true
	q.openBtn.Enable()
	q.name.SetText(c.DisplayName())
	if c.Blocked {
		q.blocked.Show()
	} else {
		q.blocked.Hide()
	}
	today := s.u.deps.Clients.Today()
	birthday := c.BirthDate.Format()
	if !c.BirthDate.IsZero() {
		age := app.Age(c.BirthDate, today)
		birthday += " · " + lang.XN("quickinfo.age", "{{.Count}} years", age, map[string]any{"Count": age})
	}
	tags := make([]string, len(c.Tags))
	for i, t := range c.Tags {
		tags[i] = t.Name
	}
	last := ""
	if !c.Stats.LastVisit.IsZero() {
		last = app.FormatTime(c.Stats.LastVisit)
	}
	money := func(k int64) string {
		if c.Stats.Visits == 0 && k == 0 {
			return ""
		}
		return moneyText(k)
	}
	set := map[string]string{
		qiPhone:     app.FormatPhone(c.Phone),
		qiEmail:     c.Email,
		qiBirthday:  birthday,
		qiGroup:     app.NameOf(s.dir.Groups, c.GroupID),
		qiClass:     app.NameOf(s.dir.Classes, c.ClassID),
		qiTags:      strings.Join(tags, ", "),
		qiVisits:    groupDigits64(c.Stats.Visits),
		qiSold:      money(c.Stats.Sold),
		qiPaid:      money(c.Stats.Paid),
		qiAverage:   money(c.Stats.AverageCheck()),
		qiLastVisit: last,
		qiReason:    c.BlockReason,
		qiNote:      c.Note,
	}
	if c.Stats.Visits == 0 {
		set[qiVisits] = tr("quickinfo.no_visits", "none yet")
	}
	// Rows without a value are left out, so the essentials stay together.
	objs := q.fields.Objects
	for i, key := range q.order {
		v := set[key]
		q.values[key].SetText(v)
		if v == "" {
			objs[2*i].Hide()
			objs[2*i+1].Hide()
		} else {
			objs[2*i].Show()
			objs[2*i+1].Show()
		}
	}
	q.fields.Refresh()
}
