package ui

import (
	"context"
	"os"
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

// backupUI builds the UI with the Backups section over a fresh database.
func backupUI(t *testing.T) (*UI, *db.Store) {
	t.Helper()
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
		Restore:  &app.Restorer{Store: store},
		DBPath:   store.Path(),
		Version:  "test",
		Async:    func(f func()) { f() },
	})
	u.win.Resize(fyne.NewSize(1100, 700))
	u.win.Show()
	t.Cleanup(u.win.Close)
	u.settings.load()
	return u, store
}

// AD-03: the settings' Backups section makes a backup on demand and lists it.
func TestSettingsBackupNow(t *testing.T) {
	u, _ := backupUI(t)
	s := u.settings
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

// AD-03: Restore… refuses a file that is not a LoyaltyDesk database and
// restores a backup after the confirmation, closing the store and asking
// for a restart.
func TestSettingsRestore(t *testing.T) {
	u, store := backupUI(t)
	s := u.settings
	quit := false
	s.quit = func() { quit = true }
	ctx := context.Background()
	test.Tap(s.backupBtn)
	backup := strings.TrimPrefix(s.backupStatus.Text, "Сохранено: ")
	if _, err := u.deps.Clients.Create(ctx, app.ClientInput{FirstName: "Анна", Phone: "+79161234567"}); err != nil {
		t.Fatal(err)
	}

	text := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(text, []byte("не база"), 0o600); err != nil {
		t.Fatal(err)
	}
	s.restoreFrom(text)
	if !strings.Contains(s.backupStatus.Text, "не база LoyaltyDesk") {
		t.Errorf("a text file: status %q", s.backupStatus.Text)
	}

	s.restore(backup)
	if s.restoreDone == nil || !strings.Contains(s.backupStatus.Text, "Копия восстановлена") {
		t.Fatalf("after the restore: status %q", s.backupStatus.Text)
	}
	s.restoreDone.Hide()
	reopened, err := db.Open(ctx, store.Path(), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer reopened.Close()
	n, err := app.NewClients(reopened, app.SystemClock{}).Count(ctx, app.ClientQuery{})
	if err != nil || n != 0 {
		t.Errorf("after restoring the empty backup: %d clients, %v", n, err)
	}
	list, _ := db.ListBackups(store.Path())
	if len(list) != 2 || !list[0].BeforeRestore {
		t.Errorf("backups after the restore: %+v", list)
	}
	if !quit {
		t.Error("closing the message did not close the program")
	}
}
