package ui

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// columnTitle returns the translated header of a list column; a variable's
// column is headed by the variable's name.
func columnTitle(key string) string {
	if name, ok := strings.CutPrefix(key, app.VariablePrefix); ok {
		return name
	}
	switch key {
	case app.ColFullName:
		return tr("column.full_name", "Full name")
	case app.ColLastName:
		return tr("column.last_name", "Last name")
	case app.ColFirstName:
		return tr("column.first_name", "First name")
	case app.ColPatronymic:
		return tr("column.patronymic", "Patronymic")
	case app.ColPhone:
		return tr("column.phone", "Phone")
	case app.ColEmail:
		return tr("column.email", "E-mail")
	case app.ColGender:
		return tr("column.gender", "Gender")
	case app.ColBirthDate:
		return tr("column.birth_date", "Birth date")
	case app.ColAge:
		return tr("column.age", "Age")
	case app.ColExternalID:
		return tr("column.external_id", "External ID")
	case app.ColNote:
		return tr("column.note", "Note")
	case app.ColGroup:
		return tr("column.group", "Group")
	case app.ColClass:
		return tr("column.class", "Class")
	case app.ColStatus:
		return tr("column.status", "Status")
	case app.ColDiscount:
		return tr("column.discount", "Discount")
	case app.ColCategories:
		return tr("column.categories", "Categories")
	case app.ColTags:
		return tr("column.tags", "Tags")
	case app.ColBlocked:
		return tr("column.blocked", "Blocked")
	case app.ColBlockReason:
		return tr("column.block_reason", "Block reason")
	case app.ColFavorite:
		return tr("column.favorite", "Favorite")
	case app.ColSMS:
		return tr("column.sms", "SMS subscription")
	case app.ColEmailSub:
		return tr("column.email_subscribed", "E-mail subscription")
	case app.ColVisits:
		return tr("column.visits", "Purchases")
	case app.ColSold:
		return tr("column.sold", "Sold")
	case app.ColPaid:
		return tr("column.paid", "Paid")
	case app.ColAverageCheck:
		return tr("column.average_check", "Average check")
	case app.ColFirstVisit:
		return tr("column.first_visit", "First visit")
	case app.ColLastVisit:
		return tr("column.last_visit", "Last visit")
	case app.ColCreated:
		return tr("column.created_at", "Added")
	case app.ColUpdated:
		return tr("column.updated_at", "Changed")
	case app.ColID:
		return tr("column.id", "ID")
	}
	return key
}

// columnWidth is the starting width of a column: wide enough for its values
// and for its header with the sort arrow.
func columnWidth(c app.Column) float32 {
	w := float32(150)
	switch c.Key {
	case app.ColFullName:
		w = 270
	case app.ColPhone:
		w = 160
	case app.ColEmail, app.ColNote, app.ColBlockReason:
		w = 210
	case app.ColID:
		w = 290
	default:
		switch c.Kind {
		case app.KindDate, app.KindMoney:
			w = 120
		case app.KindTime:
			w = 145
			if c.Key == app.ColCreated || c.Key == app.ColUpdated {
				w = 110
			}
		case app.KindInt, app.KindBool:
			w = 90
		}
	}
	pad := theme.Padding()
	head := fyne.MeasureText(columnTitle(c.Key), theme.TextSize(), fyne.TextStyle{Bold: true}).Width +
		2*theme.InnerPadding() + 4*pad
	if c.Sortable {
		head += theme.IconInlineSize() + pad
	}
	return max(w, head)
}

// columnAlign puts numbers at the right edge of their column.
func columnAlign(c app.Column) fyne.TextAlign {
	if c.Variable == "" && (c.Kind == app.KindInt || c.Kind == app.KindMoney) {
		return fyne.TextAlignTrailing
	}
	return fyne.TextAlignLeading
}

// cellText is what the list shows for a row in a column.
func cellText(c app.Column, r listRow, d app.RowData) string {
	switch c.Key {
	case app.ColFullName:
		return r.c.DisplayName()
	case app.ColPhone:
		return app.FormatPhone(r.c.Phone)
	case app.ColGender:
		return genderLabel(r.c.Gender)
	case app.ColDiscount:
		return percentText(r.c.DiscountBP)
	}
	d.Extras = r.x
	switch v := c.Value(r.c, d).(type) {
	case string:
		return v
	case int64:
		if c.Kind == app.KindMoney {
			return moneyText(v)
		}
		return groupDigits64(v)
	case app.Date:
		return v.Format()
	case time.Time:
		if v.IsZero() {
			return ""
		}
		if c.Key == app.ColCreated || c.Key == app.ColUpdated {
			return v.Local().Format("02.01.2006")
		}
		return app.FormatTime(v)
	case bool:
		if v {
			return tr("clients.yes", "Yes")
		}
		return ""
	}
	return ""
}

// moneyText writes kopecks as roubles for people: 123456 → "1 234,56 ₽".
func moneyText(kopecks int64) string {
	neg := kopecks < 0
	if neg {
		kopecks = -kopecks
	}
	s := groupDigits64(kopecks/100) + "," + strconv.FormatInt(100+kopecks%100, 10)[1:] + " ₽"
	if neg {
		s = "−" + s
	}
	return s
}

// percentText writes basis points as a percentage: 1000 → "10 %", 250 → "2,5 %".
func percentText(bp int64) string {
	if bp == 0 {
		return ""
	}
	s := strconv.FormatInt(bp/100, 10)
	if frac := bp % 100; frac != 0 {
		f := strings.TrimRight(strconv.FormatInt(100+frac, 10)[1:], "0")
		s += "," + f
	}
	return s + " %"
}

// groupDigits64 writes n with thin-space thousands separators.
func groupDigits64(n int64) string {
	if n < 0 {
		return "−" + groupDigits64(-n)
	}
	return groupDigits(int(n))
}

// columnChooser picks the list's columns and their order (CL-12): every
// column is a row with a check box and up / down buttons; the checked ones
// are shown in the order of the rows.
type columnChooser struct {
	s      *clientsScreen
	order  []string // every column key, the chosen first
	on     map[string]bool
	list   *widget.List
	errLbl *widget.Label
	dlg    *dialog.CustomDialog
	save   *widget.Button
}

func (s *clientsScreen) showColumnChooser() *columnChooser {
	cc := &columnChooser{s: s, on: map[string]bool{}}
	for _, k := range s.colKeys {
		cc.order = append(cc.order, k)
		cc.on[k] = true
	}
	for _, c := range app.AllColumns(s.dir) {
		if !cc.on[c.Key] {
			cc.order = append(cc.order, c.Key)
		}
	}
	cc.list = widget.NewList(
		func() int { return len(cc.order) },
		func() fyne.CanvasObject {
			check := widget.NewCheck("", nil)
			up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), nil)
			down := widget.NewButtonWithIcon("", theme.MoveDownIcon(), nil)
			up.Importance, down.Importance = widget.LowImportance, widget.LowImportance
			return container.NewBorder(nil, nil, nil, container.NewHBox(up, down), check)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			check := row.Objects[0].(*widget.Check)
			btns := row.Objects[1].(*fyne.Container)
			up, down := btns.Objects[0].(*widget.Button), btns.Objects[1].(*widget.Button)
			key := cc.order[id]
			check.OnChanged = nil
			check.Text, check.Checked = columnTitle(key), cc.on[key]
			check.Refresh()
			check.OnChanged = func(on bool) { cc.on[key] = on; cc.changed() }
			up.OnTapped = func() { cc.move(id, -1) }
			down.OnTapped = func() { cc.move(id, +1) }
			if id == 0 {
				up.Disable()
			} else {
				up.Enable()
			}
			if id == len(cc.order)-1 {
				down.Disable()
			} else {
				down.Enable()
			}
		})
	cc.errLbl = pageErrLabel()
	hint := widget.NewLabel(tr("column.hint", "Checked columns are shown in this order; move them with the arrows."))
	hint.Wrapping = fyne.TextWrapWord
	defaults := widget.NewButton(tr("column.defaults", "Default columns"), cc.reset)
	cancel := widget.NewButton(tr("dialog.cancel", "Cancel"), func() { cc.dlg.Hide() })
	cc.save = widget.NewButton(tr("dialog.save", "Save"), cc.apply)
	cc.save.Importance = widget.HighImportance
	body := container.NewBorder(hint, cc.errLbl, nil, nil, cc.list)
	cc.dlg = dialog.NewCustomWithoutButtons(tr("column.title", "List columns"), body, s.u.win)
	cc.dlg.SetButtons([]fyne.CanvasObject{defaults, cancel, cc.save})
	cc.dlg.Resize(fyne.NewSize(480, 600))
	cc.dlg.Show()
	s.lastChooser = cc
	return cc
}

// chosen returns the checked keys in order.
func (cc *columnChooser) chosen() []string {
	var keys []string
	for _, k := range cc.order {
		if cc.on[k] {
			keys = append(keys, k)
		}
	}
	return keys
}

func (cc *columnChooser) changed() {
	if len(cc.chosen()) == 0 {
		cc.errLbl.SetText(tr("column.none", "Choose at least one column"))
		cc.errLbl.Show()
		cc.save.Disable()
		return
	}
	cc.errLbl.Hide()
	cc.save.Enable()
}

// move shifts the column at i by delta rows.
func (cc *columnChooser) move(i, delta int) {
	j := i + delta
	if j < 0 || j >= len(cc.order) {
		return
	}
	cc.order[i], cc.order[j] = cc.order[j], cc.order[i]
	cc.list.Refresh()
	cc.list.Select(j)
}

// set checks exactly keys, in their order, keeping the others after them.
func (cc *columnChooser) set(keys []string) {
	rest := slices.DeleteFunc(slices.Clone(cc.order), func(k string) bool { return slices.Contains(keys, k) })
	cc.order = append(slices.Clone(keys), rest...)
	cc.on = map[string]bool{}
	for _, k := range keys {
		cc.on[k] = true
	}
	cc.list.Refresh()
	cc.changed()
}

func (cc *columnChooser) reset() { cc.set(app.DefaultColumns) }

// apply stores the choice and shows it.
func (cc *columnChooser) apply() {
	keys := cc.chosen()
	if len(keys) == 0 {
		cc.changed()
		return
	}
	cc.save.Disable()
	u := cc.s.u
	u.async(func() {
		err := u.deps.Settings.SetListColumns(u.ctx(), keys)
		fyne.Do(func() {
			cc.save.Enable()
			if err != nil {
				cc.errLbl.SetText(errorMessage(err))
				cc.errLbl.Show()
				return
			}
			cc.dlg.Hide()
			cc.s.setColumns(keys)
		})
	})
}
