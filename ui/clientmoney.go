package ui

// pageTabBonus names the client page's bonus accounts tab (placeholder: the
// client page's money tabs replace this file).
const pageTabBonus = "bonus"

func (u *UI) openRichestClientOn(tab string) { u.openRichestClient() }
