package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
	"loyaltydesk/db"
)

// AD-03: the settings' Backups section makes a backup on demand and lists it.
func TestSettingsBackupNow(t *testing.T) {
	t.Setenv("LANGUAGE", "ru")
	if err := SetupLanguage("ru"); err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	clock := app.NewManualClock(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	store, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), db.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	u := New(a, Deps{
		Clients:  app.NewClients(store, clock),
		Settings: app.NewSettings(store, clock),
		Backups:  &app.DailyBackup{Store: store, Clock: clock},
		DBPath:   store.Path(),
		Version:  "test",
		Async:    func(f func()) { f() },
	})
	u.win.Resize(fyne.NewSize(1100, 700))
	u.win.Show()
	t.Cleanup(u.win.Close)
	s := u.settings
	s.load()
	if n := len(s.backupList.Objects); n != 1 || !strings.Contains(texts(s.backupList), "Копий пока нет") {
		t.Fatalf("before any backup the list shows %q", texts(s.backupList))
	}
	test.Tap(s.backupBtn)
	if !strings.HasPrefix(s.backupStatus.Text, "Сохранено: ") || s.backupProgress.Visible() || s.backupBtn.Disabled() {
		t.Errorf("after the backup: status %q, bar shown %v, button disabled %v", s.backupStatus.Text, s.backupProgress.Visible(), s.backupBtn.Disabled())
	}
	got := texts(s.backupList)
	if len(s.backupList.Objects) != 1 || !strings.Contains(got, "loyaltydesk-20261123-120000.db") || !strings.Contains(got, "копия") {
		t.Errorf("backup list %q", got)
	}
}

func texts(c *fyne.Container) string {
	var out []string
	for _, o := range c.Objects {
		if l, ok := o.(*widget.Label); ok {
			out = append(out, l.Text)
		}
	}
	return strings.Join(out, "\n")
}
