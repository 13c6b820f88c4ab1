package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

var (
	shortcutNew    = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutFind   = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutReload = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}
)

// addShortcuts binds the window-wide keys: Ctrl+N new client, Ctrl+F search,
// Ctrl+R reload the list, Ctrl+A check the rows on screen.
func (u *UI) addShortcuts() {
	c := u.win.Canvas()
	c.AddShortcut(shortcutNew, func(fyne.Shortcut) { u.tabs.Select(u.clientsTab); u.clients.newClient() })
	c.AddShortcut(shortcutFind, func(fyne.Shortcut) {
		u.tabs.Select(u.clientsTab)
		u.toList(func() { c.Focus(u.clients.search) }) // from a client page too
	})
	c.AddShortcut(shortcutReload, func(fyne.Shortcut) { u.clients.reload() })
	// Ctrl+A reaches the window only when no text field has the focus (a
	// field selects its text): in the list it checks the rows on screen.
	c.AddShortcut(&fyne.ShortcutSelectAll{}, u.checkAllShortcut)
}

// checkAllShortcut checks the rows on screen when the list is in view.
func (u *UI) checkAllShortcut(fyne.Shortcut) {
	if u.tabs.Selected() == u.clientsTab && u.pages.open == nil {
		u.clients.checkAllOnScreen()
	}
}

func errorf(msg string) error { return errors.New(msg) }
