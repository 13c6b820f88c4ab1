package ui

// The till's scanners (ID-01…ID-03, CL-03): it listens to every configured
// device at once through the device manager, and to a keyboard-wedge
// scanner through its own keys; each scan identifies the guest the way the
// typed path does (tillScreen.identifyAs), with a beep and a flash of the
// guest panel. An unknown code offers «Attach to a client…» (focused, so
// Enter opens it); a bank card is refused, and its digits are neither kept
// in a field nor logged. The webcam's preview sits under the product picker
// (F10 hides or shows it) with a line of the devices' states.
//
// A keyboard wedge: Fyne gives keys no timestamps, so the till stamps each
// rune as it arrives (in its entries, its lists and buttons, and at the
// window when nothing has the focus) with an injectable clock. On Enter,
// hardware.DetectWedge looks at the recent keys: a burst is a scan, and its
// characters are taken back out of the field they landed in; anything else
// is a person, and Enter does what it always did.
//
// A scan while another tab is open brings the till forward first (the
// cashier is at the till, the client list was just left open); a scan while
// the device settings test a reader is left to the test panel; a scan while
// the order closes is refused with a message (scan again in a moment).

import (
	"context"
	"errors"
	"image"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
	"loyaltydesk/hardware"
)

// Preferences of the till's scanning, kept per computer.
const (
	prefTillPreview = "till.camera_preview" // the camera preview is shown (default yes)
	prefTillSound   = "till.scan_sound"     // scans beep (default yes)
)

const (
	tillKeysKept    = 128                    // recent keys kept for the wedge detector
	tillKeysMaxAge  = 5 * time.Second        // older keys are dropped
	tillFlashFor    = 700 * time.Millisecond // a flash lasts this long
	tillPreviewW    = 240                    // the preview's size
	tillPreviewH    = 135                    //
	tillPickerLimit = 8                      // clients the attach dialog lists
)

// tillKeyClock stamps the keys typed in the till unless a test gives a
// screen a clock of its own.
var tillKeyClock = time.Now

// The flash colours: a found guest, a refusal.
var (
	tillFlashOK  = color.NRGBA{R: 0x2e, G: 0xa0, B: 0x43, A: 0x55}
	tillFlashBad = color.NRGBA{R: 0xd3, G: 0x2f, B: 0x2f, A: 0x55}
)

// tillKey is a key the till stamped: where it landed and, for an entry,
// its text before it.
type tillKey struct {
	hardware.Key
	entry  *tillEntry // nil: a list, a button or the window
	before string
}

// tillScan is the scanning side of the till screen.
type tillScan struct {
	// now stamps keys; tests inject a clock.
	now func() time.Time
	// beep confirms a scan by sound (hardware.Beep; tests record it).
	beep func(ok bool)
	keys []tillKey

	unsubscribe func()
	published   *hardware.Scan // the keyboard scan the till itself published

	// The unknown code and the action to attach it.
	unknown   *hardware.Scan
	attachBtn *tillButton

	flash    *canvas.Rectangle
	flashSeq int

	// The camera preview and the devices' states.
	preview    *canvas.Image
	previewMsg *widget.Label
	previewBox *fyne.Container
	previewBtn *tillButton
	hasCamera  bool // an enabled camera is configured
	sound      *widget.Check
	statusLine *widget.Label
	devices    []app.Device
	states     map[string]hardware.Status
}

// initScan builds the scanning widgets and starts listening; newTillScreen
// calls it before the layout.
func (s *tillScreen) initScan() {
	sc := &s.sc
	if sc.now == nil {
		sc.now = func() time.Time { return tillKeyClock() }
	}
	if sc.beep == nil {
		sc.beep = hardware.Beep
	}
	sc.states = map[string]hardware.Status{}
	sc.attachBtn = s.newButton(tr("till.attach", "Attach to a client…"), theme.ContentAddIcon(), s.showAttach)
	sc.attachBtn.Hide()
	sc.flash = canvas.NewRectangle(color.Transparent)
	sc.flash.CornerRadius = theme.InputRadiusSize()
	sc.flash.Hide()

	sc.preview = canvas.NewImageFromImage(nil)
	sc.preview.FillMode = canvas.ImageFillContain
	sc.preview.SetMinSize(fyne.NewSize(tillPreviewW, tillPreviewH))
	sc.previewMsg = widget.NewLabel(tr("till.camera_waiting", "Waiting for the camera…"))
	sc.previewMsg.Alignment = fyne.TextAlignCenter
	sc.previewMsg.Wrapping = fyne.TextWrapWord
	back := canvas.NewRectangle(color.NRGBA{A: 0xff})
	back.SetMinSize(fyne.NewSize(tillPreviewW, tillPreviewH))
	sc.previewBox = container.NewHBox(container.NewStack(back, sc.preview, container.NewCenter(sc.previewMsg)), layout.NewSpacer())
	sc.previewBtn = s.newButton("", theme.VisibilityOffIcon(), s.togglePreview)
	sc.sound = widget.NewCheck(tr("till.sound", "Beep"), func(on bool) { s.u.app.Preferences().SetBool(prefTillSound, on) })
	sc.sound.SetChecked(s.u.app.Preferences().BoolWithFallback(prefTillSound, true))
	sc.statusLine = widget.NewLabel("")
	sc.statusLine.Importance = widget.LowImportance
	sc.statusLine.Truncation = fyne.TextTruncateEllipsis
	sc.statusLine.Hide()
	s.showPreview()
	s.listen()

	// Keys typed while nothing has the focus reach the window: the till
	// stamps them too, and an Enter after a burst is a scan, whichever tab
	// is open. Anything else goes on to the handlers there were.
	c := s.u.win.Canvas()
	prevRune := c.OnTypedRune()
	c.SetOnTypedRune(func(r rune) {
		s.stamp(r, nil)
		if prevRune != nil {
			prevRune(r)
		}
	})
	prevKey := c.OnTypedKey()
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if s.windowKey(k) {
			return
		}
		if prevKey != nil {
			prevKey(k)
		}
	})
}

// scanPanel is what the till shows of its devices under the product
// picker: the camera preview, the devices' states, the beep and the
// preview's switch.
func (s *tillScreen) scanPanel() fyne.CanvasObject {
	return container.NewVBox(s.sc.previewBox,
		tillBorder(nil, nil, nil, container.NewHBox(s.sc.sound, s.sc.previewBtn), container.NewVBox(layout.NewSpacer(), s.sc.statusLine, layout.NewSpacer())))
}

// guestPanel puts the flash behind the guest's details.
func (s *tillScreen) guestPanel(guest fyne.CanvasObject) fyne.CanvasObject {
	return container.NewStack(s.sc.flash, guest)
}

// manager returns the device manager, nil when the program has no hardware.
func (s *tillScreen) manager() *deviceManager { return s.u.devices }

// testing reports whether the device settings are testing a reader: the
// till leaves scans to the test panel then.
func (s *tillScreen) testing() bool {
	m := s.manager()
	return m != nil && m.Testing()
}

// listen subscribes the till to the devices' events and reads which devices
// are configured (for the preview and the states line). It is called again
// when the till is shown; it subscribes once.
func (s *tillScreen) listen() {
	m := s.manager()
	if m == nil {
		return
	}
	if s.sc.unsubscribe == nil {
		s.sc.unsubscribe = m.Subscribe(s.onDevice)
	}
	if s.u.deps.Devices == nil {
		return
	}
	s.u.async(func() {
		ds, err := s.u.deps.Devices.List(s.u.ctx())
		fyne.Do(func() {
			if err != nil {
				s.sc.statusLine.SetText(errorMessage(err))
				s.sc.statusLine.Show()
				return
			}
			s.sc.devices = nil
			s.sc.hasCamera = false
			for _, d := range ds {
				if !d.Enabled {
					continue
				}
				s.sc.devices = append(s.sc.devices, d)
				if d.Kind == app.DeviceCamera {
					s.sc.hasCamera = true
				}
				if st, ok := m.Status(d.ID); ok {
					s.sc.states[d.ID] = st
				}
			}
			s.showStates()
			s.showPreview()
		})
	})
}

// onDevice takes an event of a device, on the UI goroutine.
func (s *tillScreen) onDevice(ev DeviceEvent) {
	switch {
	case ev.Scan != nil:
		if ev.Scan == s.sc.published {
			return // a keyboard scan the till handled itself
		}
		s.scanned(*ev.Scan)
	case ev.Frame != nil:
		s.showFrame(ev.Frame)
	case ev.Status != nil:
		s.sc.states[ev.Device.ID] = *ev.Status
		if !s.knows(ev.Device.ID) && ev.Device.ID != "" && ev.Device.Enabled {
			s.sc.devices = append(s.sc.devices, ev.Device)
			if ev.Device.Kind == app.DeviceCamera {
				s.sc.hasCamera = true
			}
		}
		if ev.Device.Kind == app.DeviceCamera {
			if st := ev.Status.State; st == hardware.StateMissing || st == hardware.StateFailed || st == hardware.StateStopped {
				s.sc.preview.Image = nil // not the last frame of a camera gone
				s.sc.preview.Refresh()
			}
			s.showPreview() // shows the states too
			return
		}
		s.showStates()
	}
}

func (s *tillScreen) knows(id string) bool {
	for _, d := range s.sc.devices {
		if d.ID == id {
			return true
		}
	}
	return false
}

// scanned identifies the guest by what a device read.
func (s *tillScreen) scanned(sc hardware.Scan) {
	if s.testing() || s.u.win.Content() != s.u.tabs {
		return // the settings test the reader; or nobody is signed in
	}
	if s.u.tillTab == nil || !s.tabShown() {
		return // this role has no till
	}
	if s.u.win.Canvas().Overlays().Top() != nil {
		if d := s.attachDlg; d != nil && s.u.tabs.Selected() == s.u.tillTab {
			d.setScan(sc) // the card in the cashier's hand is the one to attach
		}
		return // a dialog is open: it keeps the keyboard
	}
	if s.u.tabs.Selected() != s.u.tillTab {
		s.u.tabs.Select(s.u.tillTab)
	}
	if s.busy {
		s.scanRefused(tr("till.scan_busy", "The order is being closed: scan again in a moment"))
		return
	}
	s.identifyAs(sc.Value, &sc)
}

// tabShown reports whether the signed-in role sees the till.
func (s *tillScreen) tabShown() bool {
	for _, t := range s.u.tabs.Items {
		if t == s.u.tillTab {
			return true
		}
	}
	return false
}

// identifyScan asks the till for the guest of a scan: its value, then its
// secondary values (an EM-Marine card's Wiegand-26 pair).
func (s *tillScreen) identifyScan(ctx context.Context, sc hardware.Scan) (app.Guest, error) {
	return s.u.deps.Till.IdentifyScan(ctx, sc.Value, sc.Alt...)
}

// confirm beeps (if the cashier wants it) and flashes the guest panel.
func (s *tillScreen) confirm(ok bool) {
	if s.sc.sound.Checked {
		s.sc.beep(ok)
	}
	c := tillFlashOK
	if !ok {
		c = tillFlashBad
	}
	s.sc.flash.FillColor = c
	s.sc.flash.Show()
	s.sc.flash.Refresh()
	s.sc.flashSeq++
	seq := s.sc.flashSeq
	tillLater(tillFlashFor, func() {
		if seq == s.sc.flashSeq {
			s.sc.flash.Hide()
		}
	})
}

// tillLater runs f on the UI goroutine after d (tests run it themselves).
var tillLater = func(d time.Duration, f func()) { time.AfterFunc(d, func() { fyne.Do(f) }) }

// scanRefused says why a scan did nothing, with the refusal's beep and flash.
func (s *tillScreen) scanRefused(msg string) {
	s.hideUnknown()
	s.showIdentMsg(msg)
	s.confirm(false)
}

// showUnknown says no guest has the code and offers to attach it to a
// client; the action takes the focus, so Enter opens it.
func (s *tillScreen) showUnknown(sc hardware.Scan) {
	s.sc.unknown = &sc
	s.identMsg.SetText(tr("till.scan_unknown", "No guest for this card ({{.Value}})", map[string]any{"Value": sc.Value}))
	s.identMsg.Show()
	s.sc.attachBtn.Show()
	s.relayout()
	s.u.win.Canvas().Focus(s.sc.attachBtn)
	s.confirm(false)
}

func (s *tillScreen) hideUnknown() {
	s.sc.unknown = nil
	s.sc.attachBtn.Hide()
}

// identifierInput is how a scan is stored as a client's identification
// method (CL-03): a card, read as the scanner read it.
func identifierInput(sc hardware.Scan) app.IdentifierInput {
	in := app.IdentifierInput{Media: app.MediaCard, Input: app.InputBarcode, Value: sc.Value}
	switch sc.Kind {
	case hardware.KindQR:
		in.Input = app.InputQR
	case hardware.KindMagstripe:
		in.Input = app.InputMagstripe
	case hardware.KindEMMarine:
		in.Input = app.InputRFID
	}
	return in
}

// tillAttachDialog finds a client to attach an unknown code to, like the
// client page's referrer search: type a name or a phone, Enter takes the
// first found (Down walks the list).
type tillAttachDialog struct {
	s       *tillScreen
	scan    hardware.Scan
	dlg     dialog.Dialog
	search  *tillEntry
	results *fyne.Container
	found   []app.Client
	errLbl  *widget.Label
	what    *widget.Label
	seq     int
}

// setScan says which code the dialog attaches.
func (d *tillAttachDialog) setScan(sc hardware.Scan) {
	d.scan = sc
	d.s.sc.unknown = &sc
	kind := kindText(sc.Kind)
	d.what.SetText(tr("till.attach_what", "The code {{.Value}} ({{.Kind}}) becomes the client's card: they are identified by it from now on.",
		map[string]any{"Value": sc.Value, "Kind": kind}))
}

// showAttach opens the attach dialog for the unknown code.
func (s *tillScreen) showAttach() {
	if s.sc.unknown == nil {
		return
	}
	d := &tillAttachDialog{s: s, scan: *s.sc.unknown}
	d.search = s.newEntry()
	d.search.SetPlaceHolder(tr("till.attach_search", "Find the client: name, phone or card"))
	d.search.OnChanged = func(string) { d.find() }
	d.search.OnSubmitted = func(string) { d.pickFirst() }
	d.search.onDown = d.focusFirst
	d.results = container.NewVBox()
	d.errLbl = pageErrLabel()
	d.what = pageHint("")
	d.setScan(d.scan)
	cancel := widget.NewButton(tr("till.attach_cancel", "Cancel"), func() { d.dlg.Hide() })
	body := container.NewBorder(container.NewVBox(d.what, d.search), container.NewVBox(d.errLbl, container.NewHBox(layout.NewSpacer(), cancel)),
		nil, nil, container.NewVScroll(d.results))
	d.dlg = dialog.NewCustomWithoutButtons(tr("till.attach_title", "Attach the card to a client"), body, s.u.win)
	d.dlg.Resize(fyne.NewSize(520, 420))
	d.dlg.SetOnClosed(func() {
		s.attachDlg = nil
		if s.sc.unknown != nil {
			s.u.win.Canvas().Focus(s.sc.attachBtn)
		}
	})
	d.dlg.Show()
	s.attachDlg = d
	s.u.win.Canvas().Focus(d.search)
}

// find lists the clients matching the text typed.
func (d *tillAttachDialog) find() {
	d.seq++
	seq := d.seq
	text := strings.TrimSpace(d.search.Text)
	if len([]rune(text)) < 2 {
		d.show(nil, nil)
		return
	}
	u := d.s.u
	u.async(func() {
		cs, err := u.deps.Clients.Search(u.ctx(), app.ClientQuery{Text: text, Limit: tillPickerLimit})
		fyne.Do(func() {
			if seq == d.seq {
				d.show(cs, err)
			}
		})
	})
}

func (d *tillAttachDialog) show(cs []app.Client, err error) {
	d.found = cs
	var rows []fyne.CanvasObject
	if err != nil {
		rows = append(rows, pageHint(errorMessage(err)))
	}
	for _, c := range cs {
		text := c.DisplayName()
		if c.Phone != "" && c.FullName() != "" {
			text += " · " + app.FormatPhone(c.Phone)
		}
		if c.Blocked {
			text = tr("till.attach_blocked", "{{.Name}} (blocked)", map[string]any{"Name": text})
		}
		b := d.s.newButton(text, nil, func() { d.attach(c) })
		b.Alignment = widget.ButtonAlignLeading
		b.onUp, b.onDown = d.move(len(rows), -1), d.move(len(rows), 1)
		rows = append(rows, b)
	}
	if err == nil && len(cs) == 0 && len([]rune(strings.TrimSpace(d.search.Text))) >= 2 {
		rows = append(rows, pageHint(tr("till.attach_nothing", "Nobody found")))
	}
	d.results.Objects = rows
	d.results.Refresh()
}

// move returns the Up or Down of the row at i: the next row, or the search
// above the first.
func (d *tillAttachDialog) move(i, by int) func() {
	return func() {
		j := i + by
		if j < 0 {
			d.s.u.win.Canvas().Focus(d.search)
			return
		}
		if j < len(d.results.Objects) {
			if b, ok := d.results.Objects[j].(*tillButton); ok {
				d.s.u.win.Canvas().Focus(b)
			}
		}
	}
}

func (d *tillAttachDialog) focusFirst() {
	if len(d.results.Objects) > 0 {
		if b, ok := d.results.Objects[0].(*tillButton); ok {
			d.s.u.win.Canvas().Focus(b)
		}
	}
}

// pickFirst is Enter in the search: the first client found.
func (d *tillAttachDialog) pickFirst() {
	if len(d.found) > 0 {
		d.attach(d.found[0])
	}
}

// attach stores the code as the client's card, closes the dialog and
// identifies the guest by the code again (a blocked client is refused
// there, as any other way).
func (d *tillAttachDialog) attach(c app.Client) {
	d.errLbl.Hide()
	u := d.s.u
	sc := d.scan
	u.async(func() {
		_, err := u.deps.Clients.AddIdentifier(u.ctx(), c.ID, identifierInput(sc))
		fyne.Do(func() {
			if err != nil {
				d.errLbl.SetText(errorMessage(err))
				d.errLbl.Show()
				return
			}
			d.s.hideUnknown()
			d.s.attachDlg = nil
			d.dlg.Hide()
			d.s.identifyAs(sc.Value, &sc)
		})
	})
}

// stamp records a rune typed in the till (e the entry it lands in, before
// it lands; nil elsewhere), for the wedge detector.
func (s *tillScreen) stamp(r rune, e *tillEntry) {
	now := s.sc.now()
	k := tillKey{Key: hardware.Key{R: r, At: now}, entry: e}
	if e != nil {
		k.before = e.Text
	}
	keys := s.sc.keys
	drop := 0
	for drop < len(keys) && (now.Sub(keys[drop].At) > tillKeysMaxAge || len(keys)-drop >= tillKeysKept) {
		drop++
	}
	if drop > 0 {
		keys = append(keys[:0], keys[drop:]...)
	}
	s.sc.keys = append(keys, k)
}

// inBurst reports whether a key now would follow the last one as fast as
// only a scanner types: such a key is not the cashier's command (a '-' in a
// code must not take a piece off a line, a space must not press a button).
func (s *tillScreen) inBurst() bool {
	if len(s.sc.keys) == 0 {
		return false
	}
	opt, _, _ := s.wedgeOptions()
	if opt.MaxGap <= 0 {
		opt.MaxGap = 30 * time.Millisecond
	}
	gap := s.sc.now().Sub(s.sc.keys[len(s.sc.keys)-1].At)
	return gap >= 0 && gap <= opt.MaxGap
}

// wedgeOptions are the keyboard scanner's settings, or the defaults.
func (s *tillScreen) wedgeOptions() (hardware.WedgeOptions, hardware.Format, app.Device) {
	d := app.Device{Kind: app.DeviceKeyboard, Name: "keyboard", Enabled: true}
	if m := s.manager(); m != nil {
		if kd, ok := m.Keyboard(); ok {
			d = kd
		}
	}
	opt := hardware.WedgeOptions{MaxGap: time.Duration(d.WedgeGapMS) * time.Millisecond, MinLen: d.WedgeMinLen}
	f := hardware.Format(d.Format)
	if f == "" {
		f = hardware.FormatAuto
	}
	return opt, f, d
}

// wedgeEnter is an Enter in the till: a scanner's burst before it is taken
// out of where it landed and handled as a scan (true); a person's typing
// is left alone (false: Enter does what it does).
func (s *tillScreen) wedgeEnter() bool {
	keys := s.sc.keys
	s.sc.keys = nil
	if len(keys) == 0 {
		return false
	}
	ks := make([]hardware.Key, len(keys))
	for i, k := range keys {
		ks[i] = k.Key
	}
	opt, format, dev := s.wedgeOptions()
	now := s.sc.now()
	text, n, ok := hardware.DetectWedge(ks, now, opt)
	if !ok {
		return false
	}
	// Each field the burst typed into gets back the text it had before.
	restored := map[*tillEntry]bool{}
	for _, k := range keys[len(keys)-n:] {
		if k.entry != nil && !restored[k.entry] {
			restored[k.entry] = true
			k.entry.SetText(k.before)
		}
	}
	s.wedgeScan(text, format, dev, now)
	return true
}

// wedgeScan handles the text of a keyboard scanner's burst.
func (s *tillScreen) wedgeScan(text string, format hardware.Format, dev app.Device, at time.Time) {
	p, err := hardware.ParseLine(format, text)
	switch {
	case errors.Is(err, hardware.ErrBankCard):
		// The digits go no further: not to a field, a log or the test panel.
		if s.testing() {
			return
		}
		s.bringTill()
		s.scanRefused(tr("till.bank_card", "That is a bank card: it cannot identify a guest. Ask for the loyalty card or the phone number."))
		return
	case errors.Is(err, hardware.ErrNoCard):
		return
	case err != nil:
		if s.testing() {
			return
		}
		s.bringTill()
		s.scanRefused(tr("till.scan_unrecognized", "The scanner read something that is not a card or a code"))
		return
	}
	sc := hardware.Scan{Source: "keyboard", Kind: p.Kind, Value: p.Value, Alt: p.Alt, Raw: []byte(text), At: at}
	if m := s.manager(); m != nil {
		s.sc.published = &sc
		m.Publish(DeviceEvent{Device: dev, Scan: &sc}) // for the settings' test panel
		s.sc.published = nil
	}
	s.scanned(sc)
}

// bringTill selects the till if another tab is open and nothing else keeps
// the keyboard.
func (s *tillScreen) bringTill() {
	if s.u.tillTab != nil && s.tabShown() && s.u.tabs.Selected() != s.u.tillTab && s.u.win.Canvas().Overlays().Top() == nil {
		s.u.tabs.Select(s.u.tillTab)
	}
}

// windowKey takes a key that reached the window (nothing has the focus):
// Enter after a burst is a scan, F10 shows or hides the preview in the till.
func (s *tillScreen) windowKey(k *fyne.KeyEvent) bool {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		return s.wedgeEnter()
	}
	if s.u.tillTab != nil && s.u.tabs.Selected() == s.u.tillTab && s.u.win.Content() == s.u.tabs &&
		s.u.win.Canvas().Overlays().Top() == nil {
		return s.key(k)
	}
	return false
}

// togglePreview hides or shows the camera preview and remembers it.
func (s *tillScreen) togglePreview() {
	p := s.u.app.Preferences()
	p.SetBool(prefTillPreview, !p.BoolWithFallback(prefTillPreview, true))
	s.showPreview()
}

// showPreview shows the preview when a camera is configured and the cashier
// has not hidden it.
func (s *tillScreen) showPreview() {
	sc := &s.sc
	on := sc.hasCamera && s.u.app.Preferences().BoolWithFallback(prefTillPreview, true)
	if !sc.hasCamera {
		sc.previewBtn.Hide()
	} else {
		sc.previewBtn.Show()
	}
	if on {
		sc.previewBox.Show()
		sc.previewBtn.SetText(tr("till.camera_hide", "Hide (F10)"))
		sc.previewBtn.SetIcon(theme.VisibilityOffIcon())
	} else {
		sc.previewBox.Hide()
		sc.previewBtn.SetText(tr("till.camera_show", "Camera (F10)"))
		sc.previewBtn.SetIcon(theme.VisibilityIcon())
	}
	s.showStates()
	if sc.preview.Image == nil {
		sc.previewMsg.SetText(tr("till.camera_waiting", "Waiting for the camera…"))
		for _, d := range sc.devices {
			if st, ok := sc.states[d.ID]; ok && d.Kind == app.DeviceCamera && (st.State == hardware.StateMissing || st.State == hardware.StateFailed) {
				sc.previewMsg.SetText(tr("till.camera_missing", "The camera is not connected"))
			}
		}
		sc.previewMsg.Show()
	} else {
		sc.previewMsg.Hide()
	}
	s.relayout()
}

// showFrame shows a camera frame in the preview.
func (s *tillScreen) showFrame(img image.Image) {
	sc := &s.sc
	first := sc.preview.Image == nil
	if !sc.hasCamera {
		sc.hasCamera = true
		first = true
	}
	sc.preview.Image = img
	if first {
		s.showPreview()
	}
	if sc.previewBox.Visible() {
		sc.preview.Refresh()
	}
}

// showStates writes the devices' states in one line: «Камера: готова ·
// COM3: не подключён».
func (s *tillScreen) showStates() {
	var parts []string
	bad := false
	for _, d := range s.sc.devices {
		if d.Kind == app.DeviceKeyboard || (d.Kind == app.DeviceCamera && s.sc.previewBox.Visible()) {
			continue // it has nothing to open; the preview shows the camera's state
		}
		st, ok := s.sc.states[d.ID]
		if !ok {
			continue
		}
		name := d.Name
		if name == "" {
			name = d.Port
		}
		parts = append(parts, name+": "+stateText(st.State))
		bad = bad || st.State == hardware.StateMissing || st.State == hardware.StateFailed
	}
	if len(parts) == 0 {
		s.sc.statusLine.Hide()
		s.relayout()
		return
	}
	s.sc.statusLine.SetText(strings.Join(parts, " · "))
	s.sc.statusLine.Importance = widget.LowImportance
	if bad {
		s.sc.statusLine.Importance = widget.WarningImportance
	}
	s.sc.statusLine.Show()
	s.sc.statusLine.Refresh()
	s.relayout()
}

// kindText is what a scan read, in words.
func kindText(k hardware.Kind) string {
	switch k {
	case hardware.KindQR:
		return tr("till.kind_qr", "QR code")
	case hardware.KindMagstripe:
		return tr("till.kind_magstripe", "magnetic stripe")
	case hardware.KindEMMarine:
		return tr("till.kind_emmarine", "RFID card")
	}
	return tr("till.kind_barcode", "barcode")
}

// stateText is a device's state in words.
func stateText(st hardware.State) string {
	switch st {
	case hardware.StateReady:
		return tr("till.state_ready", "ready")
	case hardware.StateMissing:
		return tr("till.state_missing", "not connected")
	case hardware.StateFailed:
		return tr("till.state_failed", "error")
	case hardware.StateStopped:
		return tr("till.state_stopped", "stopped")
	}
	return tr("till.state_starting", "starting…")
}

// tillButton is a button of the till: Enter presses it as Space does, the
// till's keys work on it, and the keys a scanner types on it count.
type tillButton struct {
	widget.Button
	s            *tillScreen
	onUp, onDown func()
}

func (s *tillScreen) newButton(text string, icon fyne.Resource, tapped func()) *tillButton {
	b := &tillButton{s: s}
	b.Text, b.Icon, b.OnTapped = text, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey presses the button on Enter (unless a scanner typed it).
func (b *tillButton) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if !b.s.wedgeEnter() && b.OnTapped != nil && !b.Disabled() {
			b.OnTapped()
		}
		return
	case fyne.KeyUp:
		if b.onUp != nil {
			b.onUp()
			return
		}
	case fyne.KeyDown:
		if b.onDown != nil {
			b.onDown()
			return
		}
	case fyne.KeySpace:
		if b.s.inBurst() {
			return // a space inside a scanned code
		}
	}
	if b.s.key(k) {
		return
	}
	b.Button.TypedKey(k)
}

// TypedRune stamps what a scanner types while the button has the focus.
func (b *tillButton) TypedRune(r rune) {
	b.s.stamp(r, nil)
	b.Button.TypedRune(r)
}
