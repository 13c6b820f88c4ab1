package ui

import "fyne.io/fyne/v2"

// rulesScreen is the loyalty rule editor (issue 6). Being built.
type rulesScreen struct{ content fyne.CanvasObject }

func newRulesScreen(u *UI) *rulesScreen { return &rulesScreen{content: pageHeading("")} }
func (s *rulesScreen) load()            {}
func (s *rulesScreen) showExample()     {}
