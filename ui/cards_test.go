package ui

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// buttonIn finds the button labelled text among o's laid-out objects.
func buttonIn(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, x := range test.LaidOutObjects(o) {
		if b, ok := x.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("no button %q", text)
	return nil
}

// openCardDialog opens the client's page and its card dialog through the
// «Карта…» button of the identification tab.
func openCardDialog(t *testing.T, h *harness, id string) *cardDialog {
	t.Helper()
	p := openPage(t, h, id)
	test.Tap(buttonIn(t, p.tabIDs.Content, "Карта…"))
	d := h.ui.cardDlg
	if d == nil || d.clientID != id || !d.open {
		t.Fatal("the card dialog did not open")
	}
	return d
}

// identifyAtTill types text into the till and returns the guest attached
// (nil if none) and the till's message.
func identifyAtTill(t *testing.T, h *harness, text string) (*app.Guest, string) {
	t.Helper()
	s := openTill(t, h)
	s.order.Guest = nil
	s.ident.SetText(text) // as a wedge scanner's burst lands over the selected text
	enter(s.ident)
	msg := ""
	if s.identMsg.Visible() {
		msg = s.identMsg.Text
	}
	return s.order.Guest, msg
}

// QR-01, CL-03: a card issued from the client page shows its number and
// code, and the code identifies the client at the till.
func TestCardIssuedFromClientPageIdentifiesAtTill(t *testing.T) {
	h, _ := newCardsHarness(t)
	c, err := h.clients.Create(context.Background(), app.ClientInput{LastName: "Смирнова", FirstName: "Анна", Phone: "+79161234567"})
	if err != nil {
		t.Fatal(err)
	}
	d := openCardDialog(t, h, c.ID)
	if d.number.Text != "Карты нет" || !d.pngBtn.Disabled() || d.issueBtn.Text != "Выпустить карту" {
		t.Fatalf("a client without a card: %q, issue button %q", d.number.Text, d.issueBtn.Text)
	}
	test.Tap(d.issueBtn)
	if d.errLbl.Visible() {
		t.Fatalf("issue failed: %q", d.errLbl.Text)
	}
	if d.card == nil || d.card.Number == "" || d.card.Code == "" {
		t.Fatalf("no card after issuing: %+v", d.card)
	}
	if want := "Карта № " + d.card.Number; d.number.Text != want || d.code.Text != d.card.Code {
		t.Errorf("dialog shows %q / %q, want %q / %q", d.number.Text, d.code.Text, want, d.card.Code)
	}
	if d.qr.Image == nil || d.issueBtn.Text != "Перевыпустить" || d.pngBtn.Disabled() {
		t.Error("no QR image or the actions stay off after issuing")
	}
	// The page, reloaded, lists the code among the client's identification
	// methods: a card read as a QR code.
	listed := false
	if p := h.ui.pages.open; p != nil {
		for _, idf := range p.c.Identifiers {
			listed = listed || (idf.Value == d.card.Code && idf.Media == app.MediaCard && idf.Input == app.InputQR)
		}
	}
	if !listed {
		t.Errorf("the client page does not list the card's code %q", d.card.Code)
	}
	g, msg := identifyAtTill(t, h, d.card.Code)
	if g == nil || g.Client.ID != c.ID {
		t.Fatalf("the card's code does not identify the client at the till (message %q)", msg)
	}
}

// QR-01: re-issuing (after a confirmation) revokes the old code: the till
// says so; the new code works; a code with one character changed is called
// a forgery.
func TestCardReissueRevokesOldCode(t *testing.T) {
	h, _ := newCardsHarness(t)
	c, err := h.clients.Create(context.Background(), app.ClientInput{FirstName: "Пётр", Phone: "+79031112233"})
	if err != nil {
		t.Fatal(err)
	}
	d := openCardDialog(t, h, c.ID)
	test.Tap(d.issueBtn)
	if d.card == nil {
		t.Fatalf("no card: %q", d.errLbl.Text)
	}
	old := *d.card
	test.Tap(d.issueBtn)
	if d.confirm == nil {
		t.Fatal("re-issuing asks nothing")
	}
	if d.card.Code != old.Code {
		t.Fatal("the card changed before the confirmation")
	}
	d.confirm.Confirm()
	if d.card.Code == old.Code || d.card.Number == old.Number {
		t.Fatalf("re-issue kept the card: %+v", d.card)
	}
	g, msg := identifyAtTill(t, h, old.Code)
	if want := "Эта карта перевыпущена: старый код больше не действует"; g != nil || msg != want {
		t.Errorf("old code: guest %v, message %q, want %q", g != nil, msg, want)
	}
	if g, msg := identifyAtTill(t, h, d.card.Code); g == nil || g.Client.ID != c.ID {
		t.Errorf("the new code does not identify the client (message %q)", msg)
	}
	forged := []byte(d.card.Code)
	last := len(forged) - 1
	if forged[last] == '7' {
		forged[last] = '8'
	} else {
		forged[last] = '7'
	}
	g, msg = identifyAtTill(t, h, string(forged))
	if want := "Код карты не прошёл проверку: опечатка или подделка"; g != nil || msg != want {
		t.Errorf("forged code %q: guest %v, message %q, want %q", forged, g != nil, msg, want)
	}
}

// QR-02: the checked clients' cards go to one PDF, the progress reaching
// the total; the cards missing are issued.
func TestBulkPrintCardsWritesPDF(t *testing.T) {
	h, cards := newCardsHarness(t)
	cs := people(t, h)
	s := h.ui.clients
	for _, row := range []int{0, 1, 3} {
		s.toggleCheck(row)
	}
	h.ui.tabs.Select(h.ui.clientsTab)
	menu := s.actionsMenu(s.u.win.Content())
	found := false
	for _, it := range menu.Items {
		if it.Label == "Напечатать карты…" {
			found = true
			it.Action()
		}
	}
	if !found {
		t.Fatal("no «Напечатать карты…» in the actions")
	}
	b := h.ui.lastCards
	if b == nil || b.scope.Selected != b.scope.Options[0] {
		t.Fatal("the dialog is not on the checked clients")
	}
	if !b.issue.Checked || b.layoutChoice() != "a4" {
		t.Errorf("defaults: issue %v, layout %v", b.issue.Checked, b.layoutChoice())
	}
	test.Tap(b.okBtn)
	if !b.done || b.path == "" {
		t.Fatal("no PDF written")
	}
	t.Cleanup(func() { os.Remove(b.path) })
	data, err := os.ReadFile(b.path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("%PDF")) {
		t.Errorf("the file starts with %q", data[:min(8, len(data))])
	}
	if b.total != 3 || b.lastDone != 3 || b.progress.Value != 1 {
		t.Errorf("progress %d of %d (bar %v), want 3 of 3", b.lastDone, b.total, b.progress.Value)
	}
	// The three checked clients have cards now, the others none.
	got, err := cards.ForPrint(context.Background(), []string{cs[0].ID, cs[1].ID, cs[2].ID, cs[3].ID, cs[4].ID}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Errorf("%d clients have cards, want 3", len(got))
	}
}

// QR-04: a slip goes to a network receipt printer (a real TCP listener
// standing for it) with the printer's QR command holding the card's code;
// the printer and the mode are remembered.
func TestCardSlipToNetworkPrinter(t *testing.T) {
	h, _ := newCardsHarness(t)
	c, err := h.clients.Create(context.Background(), app.ClientInput{LastName: "Смирнова", FirstName: "Анна", Phone: "+79161234567"})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			got <- nil
			return
		}
		defer conn.Close()
		data, _ := io.ReadAll(conn)
		got <- data
	}()
	d := openCardDialog(t, h, c.ID)
	test.Tap(d.issueBtn)
	d.askSlip()
	target := "tcp://" + ln.Addr().String()
	d.slipTarget.SetText(target)
	d.slipModule.SetSelected("8")
	test.Tap(d.slipSend)
	if d.slipErr.Visible() {
		t.Fatalf("slip failed: %q", d.slipErr.Text)
	}
	data := <-got
	if !bytes.Contains(data, []byte("\x1d(k")) || !bytes.Contains(data, []byte(d.card.Code)) {
		t.Errorf("the printer got %d bytes without the QR command and the code %q", len(data), d.card.Code)
	}
	prefs := h.ui.app.Preferences()
	if prefs.String(prefSlipTarget) != target || !prefs.Bool(prefSlipNative) || prefs.Int(prefSlipModule) != 8 {
		t.Errorf("remembered %q native %v module %d", prefs.String(prefSlipTarget), prefs.Bool(prefSlipNative), prefs.Int(prefSlipModule))
	}
	d.askSlip() // the next slip starts from what was used
	if d.slipTarget.Text != target || d.slipModule.Selected != "8" {
		t.Errorf("the slip dialog forgot the printer: %q, module %q", d.slipTarget.Text, d.slipModule.Selected)
	}
}

// QR-02: cancelling the bulk printing midway leaves no file and offers
// nothing to open.
func TestBulkPrintCardsCancel(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	h, _ := newCardsHarness(t)
	people(t, h)
	s := h.ui.clients
	for _, row := range []int{0, 1, 2, 3, 4} {
		s.toggleCheck(row)
	}
	b := s.startPrintCards()
	b.layout.SetSelected(b.layout.Options[1]) // one card a page: progress card by card
	b.onProgress = func(done, total int) {
		if done == 2 {
			test.Tap(b.stopBtn)
		}
	}
	test.Tap(b.okBtn)
	if !b.done {
		t.Fatal("the printing did not end")
	}
	if b.lastDone != 2 || b.total != 5 {
		t.Errorf("progress %d of %d at the cancel, want 2 of 5", b.lastDone, b.total)
	}
	if b.path != "" || b.resultDlg != nil {
		t.Errorf("a cancelled printing offers %q", b.path)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("files left behind: %v", left)
	}
}
