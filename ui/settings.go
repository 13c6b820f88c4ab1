package ui

import (
	"errors"
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
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

	// The Backups section (AD-03); nil without Deps.Backups.
	backupBtn      *widget.Button
	backupProgress *widget.ProgressBarInfinite
	backupStatus   *widget.Label
	backupList     *fyne.Container
	restoreBtn     *widget.Button
	// quit ends the program after a restore; tests replace it.
	quit func()
	// restoreDone tells that the restore is over and closes the program.
	restoreDone dialog.Dialog

	// The Users and roles section (AD-01, users.go); nil without Deps.Auth.
	users *usersSection
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
	body := container.NewVBox(form, container.NewHBox(s.saveBtn, s.status))
	if u.deps.Backups != nil {
		body.Add(widget.NewSeparator())
		body.Add(s.newBackupSection())
	}
	if u.deps.Auth != nil {
		s.users = newUsersSection(u)
		body.Add(widget.NewSeparator())
		body.Add(s.users.content)
	}
	s.content = container.NewBorder(title, nil, nil, nil, container.NewVScroll(body))
	return s
}

// newBackupSection builds "Back up now" with its progress and the list of
// backups (AD-03).
func (s *settingsScreen) newBackupSection() fyne.CanvasObject {
	s.backupBtn = widget.NewButton(tr("backup.now", "Back up now"), s.backupNow)
	s.backupProgress = widget.NewProgressBarInfinite()
	s.backupProgress.Stop()
	s.backupProgress.Hide()
	s.backupStatus = widget.NewLabel("")
	s.backupStatus.Wrapping = fyne.TextWrapBreak
	s.backupList = container.NewVBox()
	title := widget.NewLabelWithStyle(tr("backup.title", "Backups"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	hint := widget.NewLabel(tr("backup.hint", "A backup is made every day and before every upgrade of the database, in the backups folder beside the database file. Restoring one replaces the current data (which is saved first) and needs a restart."))
	hint.Wrapping = fyne.TextWrapWord
	buttons := container.NewHBox(s.backupBtn)
	s.quit = s.u.app.Quit
	if s.u.deps.Restore != nil {
		s.restoreBtn = widget.NewButton(tr("backup.restore", "Restore…"), s.chooseRestore)
		buttons.Add(s.restoreBtn)
	}
	return container.NewVBox(title, hint,
		container.NewBorder(nil, nil, buttons, nil, s.backupProgress),
		s.backupStatus, s.backupList)
}

// chooseRestore asks for the backup file to restore, in the backups folder.
func (s *settingsScreen) chooseRestore() {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		s.restoreFrom(path)
	}, s.u.win)
	if l, err := storage.ListerForURI(storage.NewFileURI(filepath.Join(filepath.Dir(s.u.deps.DBPath), "backups"))); err == nil {
		fd.SetLocation(l)
	}
	fd.Resize(fyne.NewSize(800, 560))
	fd.Show()
}

// restoreFrom checks the file and asks to confirm replacing the data.
func (s *settingsScreen) restoreFrom(path string) {
	s.u.async(func() {
		err := s.u.deps.Restore.Check(s.u.ctx(), path)
		fyne.Do(func() {
			if err != nil {
				s.backupStatus.SetText(restoreRefusal(err))
				return
			}
			dialog.ShowConfirm(tr("backup.restore_title", "Restore a backup"),
				tr("backup.restore_confirm", "The data in LoyaltyDesk will be replaced by the backup {{.Name}}. The current data is saved to the backups folder first. Afterwards LoyaltyDesk closes: start it again. Restore?", map[string]any{"Name": filepath.Base(path)}),
				func(ok bool) {
					if ok {
						s.restore(path)
					}
				}, s.u.win)
		})
	})
}

// restore replaces the database and then has the program closed.
func (s *settingsScreen) restore(path string) {
	s.backupBtn.Disable()
	if s.restoreBtn != nil {
		s.restoreBtn.Disable()
	}
	s.backupProgress.Show()
	s.backupProgress.Start()
	s.backupStatus.SetText(tr("backup.restoring", "Restoring…"))
	s.u.async(func() {
		saved, err := s.u.deps.Restore.Restore(s.u.ctx(), path)
		fyne.Do(func() {
			s.backupProgress.Stop()
			s.backupProgress.Hide()
			msg := tr("backup.restored", "The backup is restored; the previous data is in {{.Path}}. LoyaltyDesk closes now: start it again.", map[string]any{"Path": saved})
			switch {
			case errors.Is(err, app.ErrNotLoyaltyDesk) || errors.Is(err, app.ErrSchemaTooNew):
				// Refused before anything was closed: the program goes on.
				s.backupBtn.Enable()
				s.restoreBtn.Enable()
				s.backupStatus.SetText(restoreRefusal(err))
				return
			case err != nil:
				msg = tr("backup.restore_failed", "The restore failed: {{.Error}}. LoyaltyDesk closes now; start it again.", map[string]any{"Error": err.Error()})
			}
			// The store is closed now: nothing else can work until a restart.
			s.backupStatus.SetText(msg)
			s.restoreDone = dialog.NewInformation(tr("backup.restore_title", "Restore a backup"), msg, s.u.win)
			s.restoreDone.SetOnClosed(s.quit)
			s.restoreDone.Show()
		})
	})
}

// restoreRefusal says why a file cannot be restored.
func restoreRefusal(err error) string {
	switch {
	case errors.Is(err, app.ErrSchemaTooNew):
		return tr("backup.too_new", "This backup was made by a newer LoyaltyDesk; install it to restore this file.")
	case errors.Is(err, app.ErrNotLoyaltyDesk):
		return tr("backup.not_ours", "This file is not a LoyaltyDesk database (or it is damaged); nothing was changed.")
	}
	return errorMessage(err)
}

// backupNow makes a backup in the background with the bar running.
func (s *settingsScreen) backupNow() {
	s.backupBtn.Disable()
	s.backupProgress.Show()
	s.backupProgress.Start()
	s.backupStatus.SetText(tr("backup.running", "Backing up…"))
	s.u.async(func() {
		path, err := s.u.deps.Backups.Now(s.u.ctx())
		fyne.Do(func() {
			s.backupProgress.Stop()
			s.backupProgress.Hide()
			s.backupBtn.Enable()
			if err != nil {
				s.backupStatus.SetText(tr("backup.failed", "Backup failed: {{.Error}}", map[string]any{"Error": errorMessage(err)}))
				return
			}
			s.backupStatus.SetText(tr("backup.saved", "Saved to {{.Path}}", map[string]any{"Path": path}))
		})
		s.loadBackups()
	})
}

// loadBackups refills the list of backups; call it off the UI goroutine.
func (s *settingsScreen) loadBackups() {
	list, err := s.u.deps.Backups.List()
	fyne.Do(func() {
		s.backupList.RemoveAll()
		if err != nil {
			s.backupList.Add(widget.NewLabel(errorMessage(err)))
			return
		}
		if len(list) == 0 {
			s.backupList.Add(widget.NewLabel(tr("backup.none", "No backups yet")))
			return
		}
		for _, b := range list {
			s.backupList.Add(widget.NewLabel(backupLine(b)))
		}
	})
}

// backupLine is one backup in the list: when, what kind, how big, the file.
func backupLine(b app.BackupInfo) string {
	kind := tr("backup.kind_ordinary", "backup")
	switch {
	case b.BeforeRestore:
		kind = tr("backup.kind_restore", "before a restore")
	case b.BeforeVersion > 0:
		kind = tr("backup.kind_migration", "before upgrade to version {{.Version}}", map[string]any{"Version": b.BeforeVersion})
	}
	return fmt.Sprintf("%s · %s · %.1f MB · %s", b.Time.Local().Format("02.01.2006 15:04"), kind, float64(b.Size)/1e6, b.Name)
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
		if s.u.deps.Backups != nil {
			s.loadBackups()
		}
	})
	if s.users != nil {
		s.users.load()
	}
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
