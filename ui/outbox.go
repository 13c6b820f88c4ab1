package ui

// The Outbox tab (LR-08): the messages the program has queued, newest first,
// with their client, channel, kind, recipient, text, status and, for skipped
// ones, why. The lapse warnings of the loyalty rules land here a few days
// before a discount lapses; delivery channels come with the messages feature,
// so until then queued messages wait here, and staff may cancel one. The
// messages issue extends this screen.

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// outboxLimit is how many messages the tab lists.
const outboxLimit = 1000

// outboxStatuses are the filter's choices after «all», in its order.
var outboxStatuses = []app.MessageStatus{app.MessageQueued, app.MessageSent, app.MessageFailed, app.MessageSkipped, app.MessageCancelled}

// outboxScreen is the Outbox tab. Its fields are touched only on the UI
// goroutine.
type outboxScreen struct {
	u       *UI
	content fyne.CanvasObject

	msgs   []app.Message
	gen    int
	selRow int // the chosen row, -1 none

	filter    *widget.Select
	table     *moneyTable
	count     *widget.Label
	empty     *widget.Label
	errl      *widget.Label
	cancelBtn *widget.Button
	refresh   *widget.Button
	// confirm is the cancel confirmation shown last, for tests.
	confirm dialog.Dialog
}

func newOutboxScreen(u *UI) *outboxScreen {
	s := &outboxScreen{u: u, selRow: -1}
	opts := []string{tr("outbox.all", "All messages")}
	for _, st := range outboxStatuses {
		opts = append(opts, messageStatusText(st))
	}
	s.filter = widget.NewSelect(opts, func(string) { s.load() })
	s.filter.SetSelectedIndex(0)
	s.table = newMoneyTable(nil, []moneyCol{
		{tr("outbox.col.time", "Time"), 130, false},
		{tr("outbox.col.client", "Client"), 170, false},
		{tr("outbox.col.kind", "Kind"), 190, false},
		{tr("outbox.col.status", "Status"), 110, false},
		{tr("outbox.col.reason", "Reason"), 170, false},
		{tr("outbox.col.text", "Text"), 420, false},
		{tr("outbox.col.channel", "Channel"), 70, false},
		{tr("outbox.col.to", "Recipient"), 150, false},
	}, func() int { return len(s.msgs) }, s.cell)
	s.table.choose(&s.selRow, s.syncButtons, s.showMessage)
	s.cancelBtn = widget.NewButtonWithIcon(tr("outbox.cancel", "Cancel the message…"), theme.CancelIcon(), s.confirmCancel)
	s.refresh = widget.NewButtonWithIcon(tr("outbox.refresh", "Refresh"), theme.ViewRefreshIcon(), s.load)
	s.count = widget.NewLabel("")
	s.count.Importance = widget.LowImportance
	s.empty = pageHint(tr("outbox.empty", "No messages."))
	s.empty.Hide()
	s.errl = pageErrLabel()
	hint := pageHint(tr("outbox.hint", "Messages the program has queued, newest first: for now the warnings a few days before a discount lapses (set in the loyalty rules). Delivery channels come with the messages feature: until then queued messages wait here. Enter or a double click shows a message in full."))
	top := container.NewVBox(hint,
		container.NewBorder(nil, nil, widget.NewLabel(tr("outbox.show", "Show:")), container.NewHBox(s.refresh, s.cancelBtn), s.filter),
		s.errl, s.empty)
	s.content = container.NewBorder(top, s.count, nil, nil, s.table)
	s.syncButtons()
	return s
}

// messageStatusText names a message's status.
func messageStatusText(st app.MessageStatus) string {
	switch st {
	case app.MessageQueued:
		return tr("outbox.status_queued", "Queued")
	case app.MessageSent:
		return tr("outbox.status_sent", "Sent")
	case app.MessageFailed:
		return tr("outbox.status_failed", "Failed")
	case app.MessageSkipped:
		return tr("outbox.status_skipped", "Skipped")
	case app.MessageCancelled:
		return tr("outbox.status_cancelled", "Cancelled")
	}
	return string(st)
}

// messageKindText names what a message is about.
func messageKindText(kind string) string {
	if kind == app.MessageDiscountLapse {
		return tr("outbox.kind_lapse", "Discount ends soon")
	}
	return kind
}

// messageChannelText names a channel.
func messageChannelText(ch string) string {
	if ch == app.ChannelSMS {
		return "SMS"
	}
	return ch
}

// messageReasonText says why a message was skipped or failed.
func messageReasonText(reason string) string {
	switch reason {
	case "":
		return ""
	case app.SkipUnsubscribed:
		return tr("outbox.reason_unsubscribed", "the client unsubscribed from SMS")
	case app.SkipNoPhone:
		return tr("outbox.reason_no_phone", "no phone")
	}
	return reason
}

// Columns of the table.
const (
	outboxColTime = iota
	outboxColClient
	outboxColKind
	outboxColStatus
	outboxColReason
	outboxColText
	outboxColChannel
	outboxColTo
)

func (s *outboxScreen) cell(row, col int) (string, bool) {
	m := s.msgs[row]
	switch col {
	case outboxColTime:
		return moneyTime(m.CreatedAt), false
	case outboxColClient:
		return m.ClientName, false
	case outboxColKind:
		return messageKindText(m.Kind), false
	case outboxColStatus:
		return messageStatusText(m.Status), m.Status == app.MessageQueued
	case outboxColReason:
		return messageReasonText(m.Reason), false
	case outboxColChannel:
		return messageChannelText(m.Channel), false
	case outboxColTo:
		if m.Channel == app.ChannelSMS && strings.HasPrefix(m.To, "+") {
			return app.FormatPhone(m.To), false
		}
		return m.To, false
	case outboxColText:
		return strings.ReplaceAll(m.Text, "\n", " "), false
	}
	return "", false
}

func (s *outboxScreen) selected() (app.Message, bool) {
	if s.selRow >= 0 && s.selRow < len(s.msgs) {
		return s.msgs[s.selRow], true
	}
	return app.Message{}, false
}

// syncButtons offers «Cancel» for a chosen queued message only.
func (s *outboxScreen) syncButtons() {
	if m, ok := s.selected(); ok && m.Status == app.MessageQueued {
		s.cancelBtn.Enable()
		return
	}
	s.cancelBtn.Disable()
}

// status is the filter's status, "" for all.
func (s *outboxScreen) status() app.MessageStatus {
	if i := s.filter.SelectedIndex(); i >= 1 && i-1 < len(outboxStatuses) {
		return outboxStatuses[i-1]
	}
	return ""
}

// load reads the messages off the UI goroutine and shows them; the chosen
// message stays chosen if it is still listed. The tab calls it when shown.
func (s *outboxScreen) load() {
	if s.table == nil {
		return // the filter's first selection, while the screen is built
	}
	s.gen++
	gen, u, q := s.gen, s.u, app.OutboxQuery{Status: s.status(), Limit: outboxLimit}
	u.async(func() {
		ms, err := u.deps.Loyalty.Outbox(u.ctx(), q)
		fyne.Do(func() {
			if gen != s.gen {
				return
			}
			s.show(ms, err)
		})
	})
}

func (s *outboxScreen) show(ms []app.Message, err error) {
	if err != nil {
		s.errl.SetText(errorMessage(err))
		s.errl.Show()
		return
	}
	s.errl.Hide()
	keep := ""
	if m, ok := s.selected(); ok {
		keep = m.ID
	}
	s.msgs = ms
	s.selRow = slices.IndexFunc(ms, func(m app.Message) bool { return keep != "" && m.ID == keep })
	s.table.UnselectAll()
	if s.selRow >= 0 {
		s.table.Select(widget.TableCellID{Row: s.selRow, Col: 0})
	}
	s.table.Refresh()
	s.empty.Hidden = len(ms) > 0
	s.empty.Refresh()
	data := map[string]any{"Count": groupDigits(len(ms))}
	if len(ms) >= outboxLimit {
		s.count.SetText(tr("outbox.count_newest", "Messages: the newest {{.Count}}", data))
	} else {
		s.count.SetText(tr("outbox.count", "Messages: {{.Count}}", data))
	}
	s.syncButtons()
	// The tab takes the keyboard when shown, unless one of its own controls
	// has it.
	switch s.u.win.Canvas().Focused() {
	case s.table, s.filter, s.refresh, s.cancelBtn:
	default:
		if s.u.tabs.Selected() == s.u.outboxTab && s.u.win.Canvas().Overlays().Top() == nil {
			s.u.win.Canvas().Focus(s.table)
		}
	}
}

// showMessage shows the chosen message in full.
func (s *outboxScreen) showMessage() {
	m, ok := s.selected()
	if !ok {
		return
	}
	lines := []string{
		tr("outbox.col.client", "Client") + ": " + m.ClientName,
		tr("outbox.col.kind", "Kind") + ": " + messageKindText(m.Kind),
		tr("outbox.col.to", "Recipient") + ": " + s.cellText(s.selRow, outboxColTo),
		tr("outbox.col.status", "Status") + ": " + messageStatusText(m.Status),
	}
	if m.Reason != "" {
		lines = append(lines, tr("outbox.col.reason", "Reason")+": "+messageReasonText(m.Reason))
	}
	text := widget.NewLabel(m.Text)
	text.Wrapping = fyne.TextWrapWord
	info := widget.NewLabel(strings.Join(lines, "\n"))
	info.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(messageKindText(m.Kind)+" · "+moneyTime(m.CreatedAt), tr("dialog.close", "Close"),
		container.NewVBox(info, widget.NewSeparator(), text), s.u.win)
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
}

func (s *outboxScreen) cellText(row, col int) string {
	t, _ := s.cell(row, col)
	return t
}

// confirmCancel asks before cancelling the chosen queued message.
func (s *outboxScreen) confirmCancel() {
	m, ok := s.selected()
	if !ok || m.Status != app.MessageQueued {
		return
	}
	d := dialog.NewConfirm(tr("outbox.cancel_title", "Cancel the message"),
		tr("outbox.cancel_q", "Cancel the message to {{.Client}}? It will not be sent.", map[string]any{"Client": m.ClientName}),
		func(ok bool) {
			if ok {
				s.cancel(m.ID)
			}
		}, s.u.win)
	d.SetConfirmText(tr("outbox.cancel_yes", "Cancel the message"))
	d.SetDismissText(tr("outbox.keep", "Keep it"))
	d.SetConfirmImportance(widget.DangerImportance)
	s.confirm = d
	d.Show()
}

// cancel cancels a queued message off the UI goroutine and reloads.
func (s *outboxScreen) cancel(id string) {
	s.u.deleteWith(func(ctx context.Context) error { return s.u.deps.Loyalty.CancelMessage(ctx, id) }, s.load)
}
