package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// unsubscribeDialog takes a pasted list of phones and e-mails and
// unsubscribes their clients from SMS and e-mail (CL-11), then shows what
// happened to every entry.
type unsubscribeDialog struct {
	s       *clientsScreen
	entry   *widget.Entry
	errLbl  *widget.Label
	okBtn   *widget.Button
	cancel  *widget.Button
	dlg     *dialog.CustomDialog
	body    *fyne.Container
	summary *widget.Label
	report  *widget.List
	lines   []reportLine
	rep     app.UnsubscribeReport
	done    bool
}

// reportLine is a line of the report: a section header or an entry.
type reportLine struct {
	header bool
	text   string
}

func (s *clientsScreen) showUnsubscribe() *unsubscribeDialog {
	d := &unsubscribeDialog{s: s}
	hint := widget.NewLabel(tr("unsubscribe.hint", "Paste phones and e-mails, one per line or separated by commas. Clients with these phones stop getting SMS; with these e-mails, e-mail."))
	hint.Wrapping = fyne.TextWrapWord
	d.entry = widget.NewMultiLineEntry()
	d.entry.SetPlaceHolder("+7 916 123-45-67\nanna@example.ru")
	d.entry.SetMinRowsVisible(12)
	d.errLbl = pageErrLabel()
	d.cancel = widget.NewButton(tr("dialog.cancel", "Cancel"), func() { d.dlg.Hide() })
	d.okBtn = widget.NewButton(tr("unsubscribe.run", "Unsubscribe"), d.submit)
	d.okBtn.Importance = widget.HighImportance
	d.body = container.NewStack(container.NewBorder(hint, d.errLbl, nil, nil, d.entry))
	d.dlg = dialog.NewCustomWithoutButtons(tr("unsubscribe.title", "Mass unsubscribe"), d.body, s.u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.cancel, d.okBtn})
	d.dlg.Resize(fyne.NewSize(560, 520))
	d.dlg.Show()
	s.u.win.Canvas().Focus(d.entry)
	s.lastUnsub = d
	return d
}

func (d *unsubscribeDialog) submit() {
	s := d.s
	text := d.entry.Text
	if trimmedEmpty(text) {
		d.errLbl.SetText(tr("unsubscribe.empty", "Paste at least one phone or e-mail"))
		d.errLbl.Show()
		return
	}
	d.errLbl.Hide()
	d.okBtn.Disable()
	d.entry.Disable()
	bar := widget.NewProgressBarInfinite()
	d.body.Objects = []fyne.CanvasObject{container.NewCenter(container.NewVBox(
		widget.NewLabel(tr("unsubscribe.running", "Unsubscribing…")), bar))}
	d.body.Refresh()
	s.u.async(func() {
		rep, err := s.u.deps.Clients.Unsubscribe(s.u.ctx(), text)
		fyne.Do(func() {
			bar.Stop()
			if err != nil {
				d.showInput(text)
				d.errLbl.SetText(errorMessage(err))
				d.errLbl.Show()
				return
			}
			d.showReport(rep)
			s.refresh()
		})
	})
}

// showInput puts the pasted text back after a failure.
func (d *unsubscribeDialog) showInput(text string) {
	d.entry.Enable()
	d.entry.SetText(text)
	d.okBtn.Enable()
	hint := widget.NewLabel(tr("unsubscribe.hint", "Paste phones and e-mails, one per line or separated by commas. Clients with these phones stop getting SMS; with these e-mails, e-mail."))
	hint.Wrapping = fyne.TextWrapWord
	d.body.Objects = []fyne.CanvasObject{container.NewBorder(hint, d.errLbl, nil, nil, d.entry)}
	d.body.Refresh()
}

// showReport replaces the entry with the counts and the entries of each kind.
func (d *unsubscribeDialog) showReport(rep app.UnsubscribeReport) {
	d.rep, d.done = rep, true
	data := func(n int) map[string]any { return map[string]any{"Count": groupDigits(n)} }
	sections := []struct {
		title string
		items []string
	}{
		{lang.XN("unsubscribe.unsubscribed", "Unsubscribed: {{.Count}}", len(rep.Unsubscribed), data(len(rep.Unsubscribed))), rep.Unsubscribed},
		{lang.XN("unsubscribe.already", "Already unsubscribed: {{.Count}}", len(rep.Already), data(len(rep.Already))), rep.Already},
		{lang.XN("unsubscribe.unknown", "No such client: {{.Count}}", len(rep.Unknown), data(len(rep.Unknown))), rep.Unknown},
		{lang.XN("unsubscribe.invalid", "Not a phone or e-mail: {{.Count}}", len(rep.Invalid), data(len(rep.Invalid))), rep.Invalid},
	}
	d.lines = nil
	for _, sec := range sections {
		d.lines = append(d.lines, reportLine{header: true, text: sec.title})
		for _, it := range sec.items {
			if len(it) > 3 && it[0] == '+' {
				it = app.FormatPhone(it)
			}
			d.lines = append(d.lines, reportLine{text: it})
		}
	}
	d.summary = widget.NewLabel(lang.XN("unsubscribe.clients", "Clients unsubscribed: {{.Count}}", rep.Clients, data(rep.Clients)))
	d.summary.TextStyle.Bold = true
	d.report = widget.NewList(
		func() int { return len(d.lines) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			ln := d.lines[id]
			l.TextStyle.Bold = ln.header
			if ln.header {
				l.SetText(ln.text)
			} else {
				l.SetText("    " + ln.text)
			}
		})
	d.body.Objects = []fyne.CanvasObject{container.NewBorder(d.summary, nil, nil, nil, d.report)}
	d.body.Refresh()
	close := widget.NewButton(tr("unsubscribe.close", "Close"), func() { d.dlg.Hide() })
	close.Importance = widget.HighImportance
	d.dlg.SetButtons([]fyne.CanvasObject{close})
}

func trimmedEmpty(s string) bool {
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r', ',', ';':
		default:
			return false
		}
	}
	return true
}
