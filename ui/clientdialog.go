package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// clientForm holds the CL-01 fields of a client with an error label under
// each. The "New client" dialog and the Main tab of the client page both use
// it: it reads and fills an app.ClientInput and puts a use case's field errors
// under the fields they name.
type clientForm struct {
	win     fyne.Window
	entries map[string]*widget.Entry
	focus   map[string]fyne.Focusable // what to focus for a field (the entry as placed)
	order   []string                  // field order, for focus
	gender  *widget.RadioGroup
	errs    map[string]*widget.Label
	general *widget.Label
	form    *widget.Form
	genders []app.Gender
	glabels []string
	// filled is what fill last put into the fields, to tell unsaved edits.
	filled app.ClientInput
}

// clientFormFields are the fields of the form in order; the page leaves the
// note out (it has a tab of its own).
var clientFormFields = []string{
	app.FieldLastName, app.FieldFirstName, app.FieldPatronymic, app.FieldPhone,
	app.FieldEmail, app.FieldBirthDate, app.FieldExternalID, app.FieldNote,
}

// newClientForm builds the form with the given fields. newEntry makes each
// entry and returns it as placed in the form (it may wrap the entry to catch
// keys) and the entry itself; nil means plain entries. submit runs on Enter.
func newClientForm(win fyne.Window, fields []string, newEntry func(multi bool) (fyne.CanvasObject, *widget.Entry), submit func()) *clientForm {
	f := &clientForm{win: win, entries: map[string]*widget.Entry{}, focus: map[string]fyne.Focusable{}, errs: map[string]*widget.Label{}}
	if newEntry == nil {
		newEntry = func(multi bool) (fyne.CanvasObject, *widget.Entry) {
			if multi {
				e := widget.NewMultiLineEntry()
				return e, e
			}
			e := widget.NewEntry()
			return e, e
		}
	}
	placeholders := map[string]string{
		app.FieldPhone:      "+7 916 123-45-67",
		app.FieldEmail:      "name@example.ru",
		app.FieldBirthDate:  tr("ph.birth_date", "DD.MM.YYYY"),
		app.FieldExternalID: tr("ph.external_id", "ID in the POS or on the website"),
	}
	f.form = widget.NewForm()
	for _, field := range fields {
		multi := field == app.FieldNote
		obj, e := newEntry(multi)
		if multi {
			e.SetMinRowsVisible(3)
			e.Wrapping = fyne.TextWrapWord
		} else if submit != nil {
			e.OnSubmitted = func(string) { submit() }
		}
		e.SetPlaceHolder(placeholders[field])
		f.entries[field] = e
		if fo, ok := obj.(fyne.Focusable); ok {
			f.focus[field] = fo
		} else {
			f.focus[field] = e
		}
		f.order = append(f.order, field)
		f.form.Append(fieldLabel(field), container.NewVBox(obj, f.errLabel(field)))
		if field == app.FieldBirthDate {
			f.addGender()
		}
	}
	f.general = pageErrLabel()
	return f
}

func (f *clientForm) addGender() {
	f.genders = []app.Gender{app.GenderUnknown, app.GenderFemale, app.GenderMale}
	f.glabels = []string{tr("gender.unknown", "Not stated"), genderLabel(app.GenderFemale), genderLabel(app.GenderMale)}
	f.gender = widget.NewRadioGroup(f.glabels, nil)
	f.gender.Horizontal = true
	f.gender.Required = true
	f.gender.SetSelected(f.glabels[0])
	f.form.Append(fieldLabel(app.FieldGender), container.NewVBox(f.gender, f.errLabel(app.FieldGender)))
}

func (f *clientForm) errLabel(field string) *widget.Label {
	l := pageErrLabel()
	f.errs[field] = l
	return l
}

// fill puts an input into the fields.
func (f *clientForm) fill(in app.ClientInput) {
	set := map[string]string{
		app.FieldFirstName: in.FirstName, app.FieldLastName: in.LastName, app.FieldPatronymic: in.Patronymic,
		app.FieldPhone: in.Phone, app.FieldEmail: in.Email, app.FieldBirthDate: in.BirthDate,
		app.FieldExternalID: in.ExternalID, app.FieldNote: in.Note,
	}
	for field, v := range set {
		if field == app.FieldPhone {
			v = app.FormatPhone(v)
		}
		if e, ok := f.entries[field]; ok {
			e.SetText(v)
		}
	}
	for i, g := range f.genders {
		if g == in.Gender {
			f.gender.SetSelected(f.glabels[i])
		}
	}
	f.filled = f.input()
}

// input reads the fields; a field the form lacks is left empty.
func (f *clientForm) input() app.ClientInput {
	text := func(field string) string {
		if e, ok := f.entries[field]; ok {
			return e.Text
		}
		return ""
	}
	in := app.ClientInput{
		FirstName:  text(app.FieldFirstName),
		LastName:   text(app.FieldLastName),
		Patronymic: text(app.FieldPatronymic),
		Phone:      text(app.FieldPhone),
		Email:      text(app.FieldEmail),
		BirthDate:  text(app.FieldBirthDate),
		ExternalID: text(app.FieldExternalID),
		Note:       text(app.FieldNote),
	}
	for i, l := range f.glabels {
		if l == f.gender.Selected {
			in.Gender = f.genders[i]
		}
	}
	return in
}

// dirty reports whether the fields differ from what fill put there.
func (f *clientForm) dirty() bool { return f.input() != f.filled }

// clearErrors hides every error label.
func (f *clientForm) clearErrors() {
	for _, l := range f.errs {
		l.Hide()
	}
	f.general.Hide()
}

// showErrors puts err's field errors under their fields (message gives the
// text of each), anything else in the general label, and focuses the first
// field in error.
func (f *clientForm) showErrors(err error, message func(app.FieldError) string) {
	f.clearErrors()
	fes := app.FieldErrors(err)
	if len(fes) == 0 {
		f.general.SetText(errorMessage(err))
		f.general.Show()
		return
	}
	first := ""
	for _, fe := range fes {
		l, ok := f.errs[fe.Field]
		if !ok {
			f.general.SetText(message(fe))
			f.general.Show()
			continue
		}
		if l.Visible() { // one message per field
			continue
		}
		l.SetText(message(fe))
		l.Show()
		if first == "" {
			first = fe.Field
		}
	}
	for _, field := range f.order {
		if field == first {
			f.win.Canvas().Focus(f.focus[field])
		}
	}
}

// clientDialog creates or edits a client (CL-01). Errors from the use case
// appear under the fields they name; nothing is saved until all are fixed.
type clientDialog struct {
	*clientForm
	s       *clientsScreen
	client  *app.Client // nil when creating
	saveBtn *widget.Button
	cancel  *widget.Button
	dlg     *dialog.CustomDialog
	saving  bool
	open    bool
}

func newClientDialog(s *clientsScreen, c *app.Client) *clientDialog {
	d := &clientDialog{s: s, client: c}
	d.clientForm = newClientForm(s.u.win, clientFormFields, nil, func() { d.save() })
	if c != nil {
		d.fill(app.InputOf(*c))
		if len(c.Identifiers) > 0 {
			d.form.Append(tr("field.identifiers", "Identification"), identifierList(c.Identifiers))
		}
	}
	d.saveBtn = widget.NewButton(tr("dialog.save", "Save"), d.save)
	d.saveBtn.Importance = widget.HighImportance
	d.cancel = widget.NewButton(tr("dialog.cancel", "Cancel"), func() { d.dlg.Hide() })

	title := tr("client.new", "New client")
	if c != nil {
		title = tr("client.edit", "Client: {{.Name}}", map[string]any{"Name": c.DisplayName()})
	}
	content := container.NewVScroll(container.NewVBox(d.form, d.general))
	d.dlg = dialog.NewCustomWithoutButtons(title, content, s.u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.cancel, d.saveBtn})
	d.dlg.Resize(fyne.NewSize(620, 640))
	d.dlg.SetOnClosed(func() { d.open = false })
	return d
}

func identifierList(ids []app.Identifier) fyne.CanvasObject {
	lines := make([]string, len(ids))
	for i, idf := range ids {
		lines[i] = identifierText(idf)
	}
	l := widget.NewLabel(strings.Join(lines, "\n"))
	l.Wrapping = fyne.TextWrapWord
	return l
}

// identifierText writes a method as "Card · Barcode: 4600123".
func identifierText(idf app.Identifier) string {
	v := idf.Value
	if idf.Input == app.InputPhone {
		v = app.FormatPhone(v)
	}
	return mediaLabel(idf.Media) + " · " + inputLabel(idf.Input) + ": " + v
}

func (d *clientDialog) show() {
	d.open = true
	d.dlg.Show()
	d.s.u.win.Canvas().Focus(d.entries[app.FieldLastName])
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
	if err == nil {
		d.clearErrors()
		d.dlg.Hide()
		d.s.saved(c, d.client == nil)
		return
	}
	d.showErrors(err, fieldMessage)
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
