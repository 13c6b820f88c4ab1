package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// clientDialog creates or edits a client (CL-01). Errors from the use case
// appear under the fields they name; nothing is saved until all are fixed.
type clientDialog struct {
	s       *clientsScreen
	client  *app.Client // nil when creating
	entries map[string]*widget.Entry
	order   []string // field order, for focus
	gender  *widget.RadioGroup
	errs    map[string]*widget.Label
	general *widget.Label
	saveBtn *widget.Button
	cancel  *widget.Button
	dlg     *dialog.CustomDialog
	saving  bool
	open    bool
	genders []app.Gender
	glabels []string
}

func newClientDialog(s *clientsScreen, c *app.Client) *clientDialog {
	d := &clientDialog{s: s, client: c, entries: map[string]*widget.Entry{}, errs: map[string]*widget.Label{}}
	type spec struct {
		field, placeholder string
		multi              bool
	}
	specs := []spec{
		{app.FieldLastName, "", false},
		{app.FieldFirstName, "", false},
		{app.FieldPatronymic, "", false},
		{app.FieldPhone, "+7 916 123-45-67", false},
		{app.FieldEmail, "name@example.ru", false},
		{app.FieldBirthDate, tr("ph.birth_date", "DD.MM.YYYY"), false},
		{app.FieldExternalID, tr("ph.external_id", "ID in the POS or on the website"), false},
		{app.FieldNote, "", true},
	}
	form := widget.NewForm()
	for _, sp := range specs {
		var e *widget.Entry
		if sp.multi {
			e = widget.NewMultiLineEntry()
			e.SetMinRowsVisible(3)
			e.Wrapping = fyne.TextWrapWord
		} else {
			e = widget.NewEntry()
			e.OnSubmitted = func(string) { d.save() }
		}
		e.SetPlaceHolder(sp.placeholder)
		d.entries[sp.field] = e
		d.order = append(d.order, sp.field)
		form.Append(fieldLabel(sp.field), container.NewVBox(e, d.errLabel(sp.field)))
		if sp.field == app.FieldBirthDate {
			d.addGender(form)
		}
	}
	if c != nil {
		d.fill(app.InputOf(*c))
		if len(c.Identifiers) > 0 {
			form.Append(tr("field.identifiers", "Identification"), identifierList(c.Identifiers))
		}
	}
	d.general = widget.NewLabel("")
	d.general.Importance = widget.DangerImportance
	d.general.Wrapping = fyne.TextWrapWord
	d.general.Hide()

	d.saveBtn = widget.NewButton(tr("dialog.save", "Save"), d.save)
	d.saveBtn.Importance = widget.HighImportance
	d.cancel = widget.NewButton(tr("dialog.cancel", "Cancel"), func() { d.dlg.Hide() })

	title := tr("client.new", "New client")
	if c != nil {
		title = tr("client.edit", "Client: {{.Name}}", map[string]any{"Name": c.DisplayName()})
	}
	content := container.NewVScroll(container.NewVBox(form, d.general))
	d.dlg = dialog.NewCustomWithoutButtons(title, content, s.u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.cancel, d.saveBtn})
	d.dlg.Resize(fyne.NewSize(620, 640))
	d.dlg.SetOnClosed(func() { d.open = false })
	return d
}

func (d *clientDialog) addGender(form *widget.Form) {
	d.genders = []app.Gender{app.GenderUnknown, app.GenderFemale, app.GenderMale}
	d.glabels = []string{tr("gender.unknown", "Not stated"), genderLabel(app.GenderFemale), genderLabel(app.GenderMale)}
	d.gender = widget.NewRadioGroup(d.glabels, nil)
	d.gender.Horizontal = true
	d.gender.Required = true
	d.gender.SetSelected(d.glabels[0])
	form.Append(fieldLabel(app.FieldGender), container.NewVBox(d.gender, d.errLabel(app.FieldGender)))
}

func (d *clientDialog) errLabel(field string) *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	d.errs[field] = l
	return l
}

func identifierList(ids []app.Identifier) fyne.CanvasObject {
	lines := make([]string, len(ids))
	for i, idf := range ids {
		v := idf.Value
		if idf.Input == app.InputPhone {
			v = app.FormatPhone(v)
		}
		lines[i] = mediaLabel(idf.Media) + " · " + inputLabel(idf.Input) + ": " + v
	}
	l := widget.NewLabel(strings.Join(lines, "\n"))
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (d *clientDialog) show() {
	d.open = true
	d.dlg.Show()
	d.s.u.win.Canvas().Focus(d.entries[app.FieldLastName])
}

// fill puts an input into the fields.
func (d *clientDialog) fill(in app.ClientInput) {
	set := map[string]string{
		app.FieldFirstName: in.FirstName, app.FieldLastName: in.LastName, app.FieldPatronymic: in.Patronymic,
		app.FieldPhone: in.Phone, app.FieldEmail: in.Email, app.FieldBirthDate: in.BirthDate,
		app.FieldExternalID: in.ExternalID, app.FieldNote: in.Note,
	}
	for f, v := range set {
		if f == app.FieldPhone {
			v = app.FormatPhone(v)
		}
		d.entries[f].SetText(v)
	}
	for i, g := range d.genders {
		if g == in.Gender {
			d.gender.SetSelected(d.glabels[i])
		}
	}
}

// input reads the fields.
func (d *clientDialog) input() app.ClientInput {
	in := app.ClientInput{
		FirstName:  d.entries[app.FieldFirstName].Text,
		LastName:   d.entries[app.FieldLastName].Text,
		Patronymic: d.entries[app.FieldPatronymic].Text,
		Phone:      d.entries[app.FieldPhone].Text,
		Email:      d.entries[app.FieldEmail].Text,
		BirthDate:  d.entries[app.FieldBirthDate].Text,
		ExternalID: d.entries[app.FieldExternalID].Text,
		Note:       d.entries[app.FieldNote].Text,
	}
	for i, l := range d.glabels {
		if l == d.gender.Selected {
			in.Gender = d.genders[i]
		}
	}
	return in
}

// save hands the fields to the use case off the UI goroutine and shows the
// outcome: field errors under their fields, or the dialog closes.
func (d *clientDialog) save() {
	if d.saving {
		return
	}
	d.saving = true
	d.saveBtn.Disable()
	in := d.input()
	u := d.s.u
	u.async(func() {
		var c app.Client
		var err error
		if d.client == nil {
			c, err = u.deps.Clients.Create(u.ctx(), in)
		} else {
			c, err = u.deps.Clients.Update(u.ctx(), d.client.ID, in)
		}
		fyne.Do(func() { d.done(c, err) })
	})
}

func (d *clientDialog) done(c app.Client, err error) {
	d.saving = false
	d.saveBtn.Enable()
	for _, l := range d.errs {
		l.Hide()
	}
	d.general.Hide()
	if err == nil {
		d.dlg.Hide()
		d.s.saved(c, d.client == nil)
		return
	}
	fes := app.FieldErrors(err)
	if len(fes) == 0 {
		d.general.SetText(errorMessage(err))
		d.general.Show()
		return
	}
	first := ""
	for _, fe := range fes {
		l, ok := d.errs[fe.Field]
		if !ok {
			d.general.SetText(fieldMessage(fe))
			d.general.Show()
			continue
		}
		if l.Visible() { // one message per field
			continue
		}
		l.SetText(fieldMessage(fe))
		l.Show()
		if first == "" {
			first = fe.Field
		}
	}
	for _, f := range d.order {
		if f == first {
			d.s.u.win.Canvas().Focus(d.entries[f])
		}
	}
}

func mediaLabel(m app.Media) string {
	switch m {
	case app.MediaGuestApp:
		return tr("media.guest_app", "Guest app")
	case app.MediaCard:
		return tr("media.card", "Card")
	case app.MediaPhone:
		return tr("media.phone", "Phone")
	}
	return string(m)
}

func inputLabel(i app.Input) string {
	switch i {
	case app.InputQR:
		return tr("input.qr", "QR code")
	case app.InputBarcode:
		return tr("input.barcode", "Barcode")
	case app.InputMagstripe:
		return tr("input.magstripe", "Magnetic stripe")
	case app.InputRFID:
		return tr("input.rfid", "RFID")
	case app.InputPhone:
		return tr("input.phone", "Phone number")
	}
	return string(i)
}
