package ui

import "fyne.io/fyne/v2"

// outboxScreen is the outbox of messages (LR-08). Being built.
type outboxScreen struct{ content fyne.CanvasObject }

func newOutboxScreen(u *UI) *outboxScreen { return &outboxScreen{content: pageHeading("")} }
func (s *outboxScreen) load()             {}
