package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// settingsScreen edits the venue's settings and the UI language.
type settingsScreen struct {
	u         *UI
	content   fyne.CanvasObject
	venue     *widget.Entry
	region    *widget.Entry
	regionErr *widget.Label
	language  *widget.Select
	status    *widget.Label
	saveBtn   *widget.Button
	langCodes []string
}

func newSettingsScreen(u *UI) *settingsScreen {
	s := &settingsScreen{u: u}
	s.venue = widget.NewEntry()
	s.venue.SetPlaceHolder(tr("settings.venue_ph", "Coffee House on Tverskaya"))
	s.region = widget.NewEntry()
	s.region.SetPlaceHolder("RU")
	s.regionErr = widget.NewLabel("")
	s.regionErr.Importance = widget.DangerImportance
	s.regionErr.Hide()
	s.langCodes = append([]string{""}, Languages...)
	names := []string{tr("settings.lang_auto", "As the system"), "Русский", "English"}
	s.language = widget.NewSelect(names, nil)
	current := u.app.Preferences().String(PrefLanguage)
	for i, c := range s.langCodes {
		if c == current {
			s.language.SetSelectedIndex(i)
		}
	}
	s.status = widget.NewLabel("")
	s.saveBtn = widget.NewButton(tr("dialog.save", "Save"), s.save)
	s.saveBtn.Importance = widget.HighImportance
	s.venue.OnSubmitted = func(string) { s.save() }
	s.region.OnSubmitted = func(string) { s.save() }

	db := widget.NewLabel(u.deps.DBPath)
	db.Wrapping = fyne.TextWrapBreak
	form := widget.NewForm(
		widget.NewFormItem(tr("settings.venue", "Venue name"), s.venue),
		widget.NewFormItem(tr("field.phone_region", "Phone region"), container.NewVBox(s.region, s.regionErr)),
		widget.NewFormItem(tr("settings.language", "Language"), s.language),
		widget.NewFormItem(tr("settings.database", "Database file"), db),
	)
	form.Items[1].HintText = tr("settings.region_hint", "Country of numbers typed without +code: RU, KZ, BY…")
	form.Items[2].HintText = tr("settings.language_hint", "Takes effect after a restart")
	title := widget.NewLabelWithStyle(tr("nav.settings", "Settings"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.content = container.NewBorder(title, nil, nil, nil,
		container.NewVBox(form, container.NewHBox(s.saveBtn, s.status)))
	return s
}

// load fills the fields from the store.
func (s *settingsScreen) load() {
	s.u.async(func() {
		ctx := s.u.ctx()
		venue, err := s.u.deps.Settings.VenueName(ctx)
		region, rerr := s.u.deps.Settings.PhoneRegion(ctx)
		fyne.Do(func() {
			if err != nil || rerr != nil {
				s.status.SetText(errorMessage(firstErr(err, rerr)))
				return
			}
			s.venue.SetText(venue)
			s.region.SetText(region)
		})
	})
}

func (s *settingsScreen) save() {
	venue, region := s.venue.Text, s.region.Text
	code := ""
	if i := s.language.SelectedIndex(); i > 0 {
		code = s.langCodes[i]
	}
	s.u.app.Preferences().SetString(PrefLanguage, code)
	s.saveBtn.Disable()
	s.u.async(func() {
		ctx := s.u.ctx()
		err := s.u.deps.Settings.SetVenueName(ctx, venue)
		if err == nil {
			err = s.u.deps.Settings.SetPhoneRegion(ctx, region)
		}
		fyne.Do(func() {
			s.saveBtn.Enable()
			s.regionErr.Hide()
			if fe, ok := fieldErr(err, app.FieldRegion); ok {
				s.regionErr.SetText(fieldMessage(fe))
				s.regionErr.Show()
				s.status.SetText("")
				return
			}
			if err != nil {
				s.status.SetText(errorMessage(err))
				return
			}
			s.status.SetText(tr("settings.saved", "Saved"))
			s.u.loadTitle()
		})
	})
}

func fieldErr(err error, field string) (app.FieldError, bool) {
	for _, fe := range app.FieldErrors(err) {
		if fe.Field == field {
			return fe, true
		}
	}
	return app.FieldError{}, false
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
