package ui

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"loyaltydesk/app"
	"loyaltydesk/hardware"
)

// Keys typed by tests (test.Type) come one after another at once, as from
// a scanner: everywhere but in the scanner tests, which give the till a
// clock of their own, they are stamped as a person types them, 150 ms
// apart.
//
// The flash's end is left to the test that looks at it (tillLater).
func init() {
	tillLater = func(time.Duration, func()) {}
	var mu sync.Mutex
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	tillKeyClock = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		at = at.Add(150 * time.Millisecond)
		return at
	}
}

// newDeviceHarness is newHarness with the device settings and the given
// hardware, so the UI runs a device manager.
func newDeviceHarness(t *testing.T, hw *Hardware) (*harness, *uiQueue) {
	t.Helper()
	a, store, clock := testStore(t)
	d, h := harnessDeps(store, clock)
	if hw == nil {
		hw = &Hardware{}
	}
	// Work New starts (the device manager's first Reload among it) runs
	// once the manager's hops to the UI goroutine go through the queue.
	var pending []func()
	building := true
	q := newUIQueue()
	d.Devices = app.NewDevices(store, clock)
	d.Hardware = hw
	d.Async = func(f func()) {
		if building {
			pending = append(pending, f)
			return
		}
		f()
	}
	u := New(a, d)
	if u.devices == nil {
		t.Fatal("no device manager with Devices and Hardware")
	}
	u.devices.do = q.do
	building = false
	for _, f := range pending {
		f()
	}
	q.run()
	u.win.Resize(fyne.NewSize(1240, 740))
	u.win.Show()
	t.Cleanup(func() { u.devices.Stop(); u.win.Close() })
	h.ui, h.win = u, u.win
	return h, q
}

// scanRig is the till with a client holding a card, a key clock that moves
// only when the test says, and the beeps recorded.
type scanRig struct {
	h     *harness
	q     *uiQueue
	s     *tillScreen
	v     tillVenue
	at    time.Time // the key clock
	beeps []bool
}

func newScanRig(t *testing.T, hw *Hardware) *scanRig {
	t.Helper()
	h, q := newDeviceHarness(t, hw)
	r := &scanRig{h: h, q: q, v: newTillVenue(t, h), at: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	r.s = h.ui.till
	r.s.sc.now = func() time.Time { return r.at }
	r.s.sc.beep = func(ok bool) { r.beeps = append(r.beeps, ok) }
	openTill(t, h)
	return r
}

// addCard gives the client an identifier as a reader would read it.
func (r *scanRig) addCard(t *testing.T, clientID string, input app.Input, value string) {
	t.Helper()
	if _, err := r.h.clients.AddIdentifier(context.Background(), clientID, app.IdentifierInput{Media: app.MediaCard, Input: input, Value: value}); err != nil {
		t.Fatal(err)
	}
}

// typeAt types text into a focusable of the till one key every gap, then
// presses Enter a gap later.
func (r *scanRig) typeAt(f fyne.Focusable, text string, gap time.Duration, enterAfter bool) {
	for _, c := range text {
		r.at = r.at.Add(gap)
		f.TypedRune(c)
	}
	if enterAfter {
		r.at = r.at.Add(gap)
		f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
}

func (r *scanRig) guestID() string {
	if r.s.order.Guest == nil {
		return ""
	}
	return r.s.order.Guest.Client.ID
}

func (r *scanRig) publish(sc hardware.Scan) {
	r.h.ui.devices.Publish(DeviceEvent{Device: app.Device{ID: "cam", Kind: app.DeviceCamera, Name: "Камера", Enabled: true}, Scan: &sc})
}

func (r *scanRig) lastBeep(t *testing.T, want bool) {
	t.Helper()
	if len(r.beeps) == 0 || r.beeps[len(r.beeps)-1] != want {
		t.Errorf("beeps %v, want the last one ok=%v", r.beeps, want)
	}
}

func (r *scanRig) flashed(t *testing.T, want color.Color) {
	t.Helper()
	if !r.s.sc.flash.Visible() || r.s.sc.flash.FillColor != want {
		t.Errorf("the guest panel flashes %v (shown %v), want %v", r.s.sc.flash.FillColor, r.s.sc.flash.Visible(), want)
	}
}

// ID-01, ID-02: a scan published by any device identifies the guest with a
// beep and a green flash, bringing the till forward from another tab.
func TestTillScanIdentifiesGuest(t *testing.T) {
	r := newScanRig(t, nil)
	r.addCard(t, r.v.anna.ID, app.InputQR, "LC-0001234567")
	r.h.ui.tabs.Select(r.h.ui.clientsTab)

	r.publish(hardware.Scan{Source: "camera", Kind: hardware.KindQR, Value: "LC-0001234567"})
	if r.h.ui.tabs.Selected() != r.h.ui.tillTab {
		t.Error("a scan on the client list did not bring the till forward")
	}
	if r.guestID() != r.v.anna.ID {
		t.Fatalf("the scan did not identify Anna: guest %q, message %q", r.guestID(), r.s.identMsg.Text)
	}
	if !contains(visibleTextsOf(r.s.content), "Смирнова Анна") {
		t.Error("the guest panel does not show Anna")
	}
	r.lastBeep(t, true)
	r.flashed(t, tillFlashOK)
	if r.s.sc.flash.Visible() {
		var later []func()
		tillLater = func(_ time.Duration, f func()) { later = append(later, f) }
		t.Cleanup(func() { tillLater = func(time.Duration, func()) {} })
		r.s.confirm(true)
		for _, f := range later {
			f()
		}
		if len(later) == 0 || r.s.sc.flash.Visible() {
			t.Error("the flash does not end")
		}
	}

	// While the order closes, a scan is refused with a message.
	r.s.busy = true
	r.publish(hardware.Scan{Source: "camera", Kind: hardware.KindQR, Value: "LC-0001234567"})
	r.s.busy = false
	if !r.s.identMsg.Visible() || !strings.Contains(r.s.identMsg.Text, "закрывается") {
		t.Errorf("a scan during closing says %q (shown %v)", r.s.identMsg.Text, r.s.identMsg.Visible())
	}
	r.lastBeep(t, false)
}

// ID-02: an EM-Marine card stored by its printed Wiegand-26 pair is found
// from the reader's line by the scan's secondary value.
func TestTillScanEMMarineByW26(t *testing.T) {
	r := newScanRig(t, nil)
	p, err := hardware.ParseLine(hardware.FormatIronLogic, "Em-Marine[5500] 126,58404")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Alt) == 0 || p.Alt[0] == p.Value {
		t.Fatalf("the IronLogic line has no secondary W26 value: %+v", p)
	}
	r.addCard(t, r.v.anna.ID, app.InputRFID, p.Alt[0]) // as printed on the card
	r.publish(hardware.Scan{Source: "/dev/ttyUSB0", Kind: p.Kind, Value: p.Value, Alt: p.Alt})
	if r.guestID() != r.v.anna.ID {
		t.Fatalf("the W26 pair %q did not find Anna (value %q): %q", p.Alt[0], p.Value, r.s.identMsg.Text)
	}
	r.lastBeep(t, true)
}

// CL-03: an unknown code offers «Attach to a client…» with the keyboard;
// Enter opens it, Enter in the search attaches the first client found, and
// the guest is identified by the code from then on.
func TestTillUnknownScanAttachByKeyboard(t *testing.T) {
	r := newScanRig(t, nil)
	sc := hardware.Scan{Source: "camera", Kind: hardware.KindQR, Value: "LC-0009999999"}
	r.publish(sc)
	if r.guestID() != "" {
		t.Fatal("an unknown code identified somebody")
	}
	if !r.s.identMsg.Visible() || !strings.Contains(r.s.identMsg.Text, "Нет гостя с этой картой") {
		t.Errorf("the message is %q", r.s.identMsg.Text)
	}
	r.lastBeep(t, false)
	r.flashed(t, tillFlashBad)
	btn := r.s.sc.attachBtn
	if !btn.Visible() || r.h.win.Canvas().Focused() != btn {
		t.Fatalf("«Attach to a client…» is not shown with the focus (shown %v, focus %T)", btn.Visible(), r.h.win.Canvas().Focused())
	}
	r.at = r.at.Add(time.Second) // the cashier presses Enter
	enter(btn)
	d := r.s.attachDlg
	if d == nil || r.h.win.Canvas().Focused() != d.search {
		t.Fatal("Enter did not open the attach dialog with the focus in its search")
	}
	r.typeAt(d.search, "Смирн", 150*time.Millisecond, false)
	if len(d.found) != 1 || d.found[0].ID != r.v.anna.ID {
		t.Fatalf("the search found %v", d.found)
	}
	r.at = r.at.Add(150 * time.Millisecond)
	enter(d.search)
	if r.guestID() != r.v.anna.ID {
		t.Fatalf("after attaching, the guest is %q; dialog error %q", r.guestID(), d.errLbl.Text)
	}
	if r.s.attachDlg != nil || btn.Visible() {
		t.Error("the dialog or the attach action is still there")
	}
	c, err := r.h.clients.Get(context.Background(), r.v.anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got *app.Identifier
	for i, idf := range c.Identifiers {
		if idf.Value == sc.Value {
			got = &c.Identifiers[i]
		}
	}
	if got == nil || got.Media != app.MediaCard || got.Input != app.InputQR {
		t.Errorf("the code is stored as %+v, want a card read as QR", got)
	}
	// The next scan of the same card finds her at once.
	r.s.detachGuest()
	r.publish(sc)
	if r.guestID() != r.v.anna.ID {
		t.Error("the attached code does not identify Anna")
	}
}

// A blocked client scanned shows the block as the typed path does.
func TestTillScanBlockedClient(t *testing.T) {
	r := newScanRig(t, nil)
	r.addCard(t, r.v.anna.ID, app.InputBarcode, "2700000000017")
	if _, err := r.h.clients.Apply(context.Background(), app.ClientQuery{IDs: []string{r.v.anna.ID}}, app.Action{Kind: app.ActionBlock, Reason: "долг"}); err != nil {
		t.Fatal(err)
	}
	r.publish(hardware.Scan{Source: "/dev/ttyACM0", Kind: hardware.KindBarcode, Value: "2700000000017"})
	if r.guestID() != "" || !r.s.guestBlocked.Visible() || !strings.Contains(r.s.guestBlocked.Text, "долг") {
		t.Errorf("a blocked client's scan: guest %q, block shown %v %q", r.guestID(), r.s.guestBlocked.Visible(), r.s.guestBlocked.Text)
	}
	r.lastBeep(t, false)
}

// ID-03: a scanner's burst typed into the product search identifies the
// guest and leaves the search as the cashier left it.
func TestTillWedgeBurstInSearch(t *testing.T) {
	r := newScanRig(t, nil)
	r.addCard(t, r.v.anna.ID, app.InputBarcode, "LC-0001234567")
	r.h.win.Canvas().Focus(r.s.search)
	r.typeAt(r.s.search, "Кап", 150*time.Millisecond, false) // the cashier starts a search
	r.at = r.at.Add(2 * time.Second)
	r.typeAt(r.s.search, "LC-0001234567", 5*time.Millisecond, true)

	if r.guestID() != r.v.anna.ID {
		t.Fatalf("the burst did not identify Anna: %q", r.s.identMsg.Text)
	}
	if r.s.search.Text != "Кап" {
		t.Errorf("the search holds %q, want «Кап» as typed", r.s.search.Text)
	}
	if len(r.s.order.Lines) != 0 {
		t.Errorf("Enter after the burst added %d lines", len(r.s.order.Lines))
	}
	if len(r.s.products) != 1 || r.s.products[0].ID != r.v.cappuccino.ID {
		t.Errorf("the results are not the search's: %v", r.s.products)
	}
	r.lastBeep(t, true)
}

// A person typing (120 ms between keys) and Enter is not a scan: Enter in
// the search adds the product, as before.
func TestTillWedgePersonIsNotAScan(t *testing.T) {
	r := newScanRig(t, nil)
	r.addCard(t, r.v.anna.ID, app.InputBarcode, "Латте") // even a text that is a card
	r.h.win.Canvas().Focus(r.s.search)
	r.typeAt(r.s.search, "Латте", 120*time.Millisecond, true)
	if r.guestID() != "" {
		t.Error("a person's typing was taken for a scan")
	}
	if len(r.s.order.Lines) != 1 || r.s.order.Lines[0].ProductID != r.v.latte.ID {
		t.Errorf("Enter did not add the latte: %+v", r.s.order.Lines)
	}
	if len(r.beeps) != 0 {
		t.Errorf("beeps %v for typing", r.beeps)
	}
}

// ID-03: a scanner typing a magstripe card under the Russian layout
// (ж1234=5678, for ;1234=5678?) into the identify field is decoded.
func TestTillWedgeRussianLayout(t *testing.T) {
	r := newScanRig(t, nil)
	p, err := hardware.ParseLine(hardware.FormatAuto, ";1234=5678?")
	if err != nil || p.Value == "" {
		t.Fatalf("the Latin track: %+v, %v", p, err)
	}
	r.addCard(t, r.v.anna.ID, app.InputMagstripe, p.Value)
	r.h.win.Canvas().Focus(r.s.ident)
	r.typeAt(r.s.ident, "ж1234=5678,", 5*time.Millisecond, true)
	if r.guestID() != r.v.anna.ID {
		t.Fatalf("the Russian-layout burst did not find %q: %q", p.Value, r.s.identMsg.Text)
	}
	if r.s.ident.Text != "" {
		t.Errorf("the identify field holds %q", r.s.ident.Text)
	}
}

// ID-03: keys reaching the window (nothing has the focus) are stamped too:
// a burst and Enter there is a scan.
func TestTillWedgeAtTheWindow(t *testing.T) {
	r := newScanRig(t, nil)
	r.addCard(t, r.v.anna.ID, app.InputBarcode, "2700000000017")
	c := r.h.win.Canvas()
	c.Unfocus()
	for _, ch := range "2700000000017" {
		r.at = r.at.Add(4 * time.Millisecond)
		c.OnTypedRune()(ch)
	}
	r.at = r.at.Add(4 * time.Millisecond)
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if r.guestID() != r.v.anna.ID {
		t.Fatalf("a burst at the window did not identify Anna: %q", r.s.identMsg.Text)
	}
}

// ID-03: a bank card swiped through a keyboard scanner is refused: a
// message, a red flash, its digits taken out of the field, and nothing of
// it in the log.
func TestTillWedgeBankCardRefused(t *testing.T) {
	var logged bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(prev) })

	r := newScanRig(t, nil)
	const pan = "4276380012345679" // Luhn-valid, a Russian Visa range
	if !hardware.IsPaymentCard(pan) {
		t.Fatalf("%s is not a payment card to the parser", pan)
	}
	r.h.win.Canvas().Focus(r.s.discount)
	r.typeAt(r.s.discount, ";"+pan+"=2512101000000000?", 3*time.Millisecond, true)
	if r.guestID() != "" {
		t.Fatal("a bank card identified somebody")
	}
	if r.s.discount.Text != "" {
		t.Errorf("the discount field holds %q after the swipe", r.s.discount.Text)
	}
	if !r.s.identMsg.Visible() || !strings.Contains(r.s.identMsg.Text, "банковская карта") {
		t.Errorf("the message is %q (shown %v)", r.s.identMsg.Text, r.s.identMsg.Visible())
	}
	r.lastBeep(t, false)
	r.flashed(t, tillFlashBad)
	for _, text := range visibleTextsOf(r.h.win.Content()) {
		if strings.Contains(text, pan[:6]) {
			t.Errorf("the screen shows the card: %q", text)
		}
	}
	if strings.Contains(logged.String(), pan[:6]) || strings.Contains(logged.String(), pan[len(pan)-4:]) {
		t.Errorf("the log holds the card: %s", logged.String())
	}
	if r.s.discountErr.Visible() {
		t.Errorf("the discount shows an error after the swipe: %q", r.s.discountErr.Text)
	}
}

// ID-01, ID-05: the camera's frames show in the till's corner; F10 hides
// and shows the preview (remembered); a missing device shows its state.
func TestTillCameraPreview(t *testing.T) {
	r := newScanRig(t, nil)
	box := r.s.sc.previewBox
	if box.Visible() || r.s.sc.previewBtn.Visible() {
		t.Error("the preview shows with no camera set up")
	}
	cam := app.Device{ID: "cam", Kind: app.DeviceCamera, Name: "Камера", Enabled: true}
	img := image.NewRGBA(image.Rect(0, 0, 64, 36))
	r.h.ui.devices.Publish(DeviceEvent{Device: cam, Frame: img})
	if !box.Visible() || r.s.sc.preview.Image != img {
		t.Fatal("the frame is not shown")
	}
	if r.s.sc.previewMsg.Visible() {
		t.Error("«waiting for the camera» is still shown over a frame")
	}
	if sz := r.s.sc.preview.Size(); sz.Width < tillPreviewW || sz.Height < tillPreviewH {
		t.Errorf("the preview is %v, want at least %dx%d", sz, tillPreviewW, tillPreviewH)
	}
	r.h.win.Canvas().Focus(r.s.search)
	r.s.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF10})
	if box.Visible() {
		t.Error("F10 did not hide the preview")
	}
	if r.h.ui.app.Preferences().BoolWithFallback(prefTillPreview, true) {
		t.Error("the hidden preview is not remembered")
	}
	if b := r.s.sc.previewBtn; !b.Visible() || b.Text != "Камера (F10)" {
		t.Errorf("the button says %q (shown %v), want it to offer to show the camera", b.Text, b.Visible())
	}
	r.s.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF10})
	if !box.Visible() {
		t.Error("F10 did not show the preview again")
	}

	// The camera unplugged: its last frame gives way to the message.
	gone := hardware.Status{Source: "Камера", State: hardware.StateMissing}
	r.h.ui.devices.Publish(DeviceEvent{Device: cam, Status: &gone})
	if r.s.sc.preview.Image != nil || !r.s.sc.previewMsg.Visible() || r.s.sc.previewMsg.Text != "Камера не подключена" {
		t.Errorf("an unplugged camera shows %q (shown %v, a frame %v)", r.s.sc.previewMsg.Text, r.s.sc.previewMsg.Visible(), r.s.sc.preview.Image != nil)
	}

	st := hardware.Status{Source: "COM3", State: hardware.StateMissing}
	r.h.ui.devices.Publish(DeviceEvent{Device: app.Device{ID: "com3", Kind: app.DeviceSerial, Name: "COM3", Enabled: true}, Status: &st})
	if !r.s.sc.statusLine.Visible() || !strings.Contains(r.s.sc.statusLine.Text, "COM3: не подключено") {
		t.Errorf("the state line is %q (shown %v)", r.s.sc.statusLine.Text, r.s.sc.statusLine.Visible())
	}
}

// ID-01 end to end: a fake camera rendering Anna's QR code, run by the
// device manager as a configured camera, identifies her at the till.
func TestTillCameraIdentifiesGuest(t *testing.T) {
	const code = "LC-0001234567"
	hw := &Hardware{
		Cameras: func() ([]hardware.Camera, error) { return []hardware.Camera{{ID: "fake", Label: "Fake"}}, nil },
		OpenCamera: func(string) (hardware.FrameSource, error) {
			return hardware.NewSynthSource([]string{code}, hardware.SynthOptions{Width: 640, Height: 360, Interval: 20 * time.Millisecond, Blur: 0.6, Rotate: 5}), nil
		},
	}
	r := newScanRig(t, hw)
	r.addCard(t, r.v.anna.ID, app.InputQR, code)
	m := r.h.ui.devices
	if _, err := r.h.ui.deps.Devices.Save(context.Background(), app.Device{Kind: app.DeviceCamera, Name: "Камера", Enabled: true, Camera: "fake"}); err != nil {
		t.Fatal(err)
	}
	m.Reload()
	r.s.listen()
	deadline := time.After(20 * time.Second) // a failsafe, not a speed target
	for r.guestID() == "" {
		if !r.q.run() {
			select {
			case <-deadline:
				t.Fatalf("the camera did not identify Anna; message %q, states %q", r.s.identMsg.Text, r.s.sc.statusLine.Text)
			case <-time.After(5 * time.Millisecond):
			}
		}
	}
	if r.guestID() != r.v.anna.ID {
		t.Errorf("the camera identified %q", r.guestID())
	}
	if r.s.sc.preview.Image == nil || !r.s.sc.previewBox.Visible() {
		t.Error("the camera's frames are not in the preview")
	}
	m.Stop()
	r.q.run()
}

// A burst into the order's lines is a scan too, and its '-' and '*' take
// nothing off a line nor void it.
func TestTillWedgeBurstInLines(t *testing.T) {
	r := newScanRig(t, nil)
	const code = "LC-77*12-5"
	r.addCard(t, r.v.anna.ID, app.InputBarcode, code)
	r.h.win.Canvas().Focus(r.s.search)
	r.typeAt(r.s.search, "Капуч", 150*time.Millisecond, true)
	if len(r.s.order.Lines) != 1 {
		t.Fatalf("the cappuccino was not added: %+v", r.s.order.Lines)
	}
	r.s.lineQtyBy(0, 1000)
	r.h.win.Canvas().Focus(r.s.lines)
	r.at = r.at.Add(2 * time.Second)
	r.typeAt(r.s.lines, code, 5*time.Millisecond, true)
	if r.guestID() != r.v.anna.ID {
		t.Fatalf("the burst into the lines did not identify Anna: %q", r.s.identMsg.Text)
	}
	if l := r.s.order.Lines[0]; l.Qty() != 2000 || l.Voided {
		t.Errorf("the line changed under the burst: quantity %d, voided %v", l.Qty(), l.Voided)
	}
	// The cashier's own '-' a moment later still works.
	r.h.win.Canvas().Focus(r.s.lines)
	r.s.lines.Select(0)
	r.at = r.at.Add(time.Second)
	r.s.lines.TypedRune('-')
	if q := r.s.order.Lines[0].Qty(); q != 1000 {
		t.Errorf("the cashier's '-' left the quantity at %d", q)
	}
}

// ID-05: while the device settings test a reader, its scans are the test
// panel's: the till identifies nobody by them.
func TestTillIgnoresScansWhileTesting(t *testing.T) {
	r := newScanRig(t, nil)
	r.addCard(t, r.v.anna.ID, app.InputQR, "LC-0001234567")
	r.h.ui.devices.setTesting(true)
	r.publish(hardware.Scan{Source: "camera", Kind: hardware.KindQR, Value: "LC-0001234567"})
	if r.guestID() != "" || len(r.beeps) != 0 {
		t.Errorf("a scan during a reader's test identified %q (beeps %v)", r.guestID(), r.beeps)
	}
	r.h.ui.devices.setTesting(false)
	r.publish(hardware.Scan{Source: "camera", Kind: hardware.KindQR, Value: "LC-0001234567"})
	if r.guestID() != r.v.anna.ID {
		t.Error("after the test the scan does not identify Anna")
	}
}

// ID-01: the till hears the devices from the start, before its tab was
// ever opened (the owner is on the client list when the first guest scans).
func TestTillScanBeforeTillOpened(t *testing.T) {
	h, q := newDeviceHarness(t, nil)
	v := newTillVenue(t, h)
	if _, err := h.clients.AddIdentifier(context.Background(), v.anna.ID, app.IdentifierInput{Media: app.MediaCard, Input: app.InputQR, Value: "LC-0007654321"}); err != nil {
		t.Fatal(err)
	}
	h.ui.tabs.Select(h.ui.clientsTab)
	q.run()
	h.ui.till.sc.beep = func(bool) {}
	sc := hardware.Scan{Source: "camera", Kind: hardware.KindQR, Value: "LC-0007654321"}
	h.ui.devices.Publish(DeviceEvent{Device: app.Device{ID: "cam", Kind: app.DeviceCamera, Name: "Камера", Enabled: true}, Scan: &sc})
	q.run()
	if g := h.ui.till.order.Guest; g == nil || g.Client.ID != v.anna.ID {
		t.Fatalf("a scan before the till was opened identified %v", g)
	}
	if h.ui.tabs.Selected() != h.ui.tillTab {
		t.Error("the scan did not bring the till forward")
	}
}
