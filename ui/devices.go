package ui

// The Devices tab (ID-05): the readers and cameras this computer listens
// to, with their live state, the dialog that adds or edits one, and the
// live "test scan" panel. It is the owner's and the managers' (users.go):
// cashiers scan, they do not change the devices.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

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

// devicesScreen is the Devices tab.
type devicesScreen struct {
	u       *UI
	tab     *container.TabItem
	content fyne.CanvasObject

	list     *widget.List
	devices  []app.Device
	selected int // -1: none
	empty    *widget.Label
	errLabel *widget.Label

	addBtn, editBtn, removeBtn, toggleBtn, testBtn *widget.Button

	// side shows the test panel, or a hint when none is open.
	side  *fyne.Container
	hint  fyne.CanvasObject
	panel *testPanel

	// now times the keys of the keyboard test (tests replace it).
	now func() time.Time
	// lastDialog is the latest add/edit dialog (for tests).
	lastDialog *deviceDialog
	// example is the device list shown by showExample instead of the saved
	// one's missing serial reader (screenshots); nil normally.
	example *app.Device
}

func newDevicesScreen(u *UI) *devicesScreen {
	s := &devicesScreen{u: u, selected: -1, now: time.Now}
	s.list = widget.NewList(
		func() int { return len(s.devices) },
		func() fyne.CanvasObject {
			name := widget.NewLabel("")
			name.TextStyle.Bold = true
			name.Truncation = fyne.TextTruncateEllipsis
			detail := widget.NewLabel("")
			detail.Truncation = fyne.TextTruncateEllipsis
			state := widget.NewLabel("")
			state.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(name, detail, state)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(s.devices) {
				return
			}
			d := s.devices[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(deviceName(d))
			box.Objects[1].(*widget.Label).SetText(deviceSummary(d))
			state := box.Objects[2].(*widget.Label)
			text, imp := s.stateText(d)
			state.Importance = imp
			state.SetText(text)
		})
	s.list.OnSelected = func(i widget.ListItemID) { s.choose(i) }
	s.list.OnUnselected = func(widget.ListItemID) { s.selected = -1; s.updateButtons() }
	s.empty = widget.NewLabel(tr("devices.empty", "No devices: add a camera, a reader or a keyboard scanner."))
	s.empty.Wrapping = fyne.TextWrapWord
	s.empty.Hide()
	s.errLabel = pageErrLabel()

	s.addBtn = widget.NewButtonWithIcon(tr("devices.add", "Add…"), theme.ContentAddIcon(), func() { s.openDialog(nil) })
	s.addBtn.Importance = widget.HighImportance
	s.editBtn = widget.NewButtonWithIcon(tr("devices.edit", "Edit…"), theme.DocumentCreateIcon(), func() {
		if d, ok := s.current(); ok {
			s.openDialog(&d)
		}
	})
	s.toggleBtn = widget.NewButton(tr("devices.disable", "Turn off"), s.toggle)
	s.testBtn = widget.NewButtonWithIcon(tr("devices.test", "Test scan"), theme.SearchIcon(), func() {
		if d, ok := s.current(); ok {
			s.openTest(d)
		}
	})
	s.removeBtn = widget.NewButtonWithIcon(tr("devices.remove", "Remove…"), theme.DeleteIcon(), s.confirmRemove)
	s.updateButtons()

	title := widget.NewLabelWithStyle(tr("nav.devices", "Devices"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	intro := widget.NewLabel(tr("devices.intro", "Cameras and readers that identify guests at the till. Each runs all the time; a missing one is retried."))
	intro.Wrapping = fyne.TextWrapWord
	buttons := container.NewHBox(s.addBtn, s.editBtn, s.toggleBtn, s.testBtn, s.removeBtn)
	top := container.NewVBox(title, intro, buttons, s.errLabel)
	hint := widget.NewLabel(tr("devices.test_hint", "Choose a device and press «Test scan» to see what it reads: the bytes as they arrive and what they mean. Scans made during a test do not identify guests at the till."))
	hint.Wrapping = fyne.TextWrapWord
	s.hint = hint
	s.side = container.NewStack(hint)
	left := container.NewBorder(nil, s.empty, nil, nil, s.list)
	split := container.NewHSplit(left, s.side)
	split.Offset = 0.5
	s.content = container.NewBorder(top, nil, nil, nil, split)
	s.tab = container.NewTabItemWithIcon(tr("nav.devices", "Devices"), theme.ComputerIcon(), s.content)
	// The live states: a status event refreshes the list.
	u.devices.Subscribe(func(ev DeviceEvent) {
		if ev.Status != nil {
			s.list.Refresh()
		}
	})
	return s
}

// devicesTab returns the Devices tab, nil without devices.
func (u *UI) devicesTab() *container.TabItem {
	if u.devices == nil || u.devices.screen == nil {
		return nil
	}
	return u.devices.screen.tab
}

// devicesTabLeft closes the test panel when another tab than Devices is
// selected: a scan at the till must identify guests again.
func (u *UI) devicesTabLeft(t *container.TabItem) {
	if tab := u.devicesTab(); tab != nil && t != tab {
		u.devices.screen.closeTest()
	}
}

// load reads the devices.
func (s *devicesScreen) load() {
	s.u.async(func() {
		list, err := s.u.deps.Devices.List(s.u.ctx())
		fyne.Do(func() {
			if err != nil {
				s.errLabel.SetText(errorMessage(err))
				s.errLabel.Show()
				return
			}
			s.errLabel.Hide()
			s.show(list)
		})
	})
}

// show puts list on screen and keeps the selection on the same device.
func (s *devicesScreen) show(list []app.Device) {
	var keep string
	if d, ok := s.current(); ok {
		keep = d.ID
	}
	if s.example != nil {
		list = append(list, *s.example)
	}
	s.devices = list
	s.empty.Hidden = len(list) > 0
	s.empty.Refresh()
	s.list.Refresh()
	s.selected = -1
	for i, d := range list {
		if d.ID == keep {
			s.selected = i
			s.list.Select(i)
		}
	}
	if s.selected < 0 {
		s.list.UnselectAll()
	}
	if s.panel != nil {
		if i := s.index(s.panel.dev.ID); i >= 0 {
			s.panel.dev = list[i]
			s.panel.showState()
		} else {
			s.closeTest()
		}
	}
	s.updateButtons()
}

func (s *devicesScreen) index(id string) int {
	for i, d := range s.devices {
		if d.ID == id {
			return i
		}
	}
	return -1
}

func (s *devicesScreen) current() (app.Device, bool) {
	if s.selected < 0 || s.selected >= len(s.devices) {
		return app.Device{}, false
	}
	return s.devices[s.selected], true
}

func (s *devicesScreen) choose(i int) {
	s.selected = i
	s.updateButtons()
	// The open test follows the chosen device.
	if d, ok := s.current(); ok && s.panel != nil && s.panel.dev.ID != d.ID {
		s.openTest(d)
	}
}

func (s *devicesScreen) updateButtons() {
	d, ok := s.current()
	for _, b := range []*widget.Button{s.editBtn, s.toggleBtn, s.testBtn, s.removeBtn} {
		if ok {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if ok && !d.Enabled {
		s.toggleBtn.SetText(tr("devices.enable", "Turn on"))
	} else {
		s.toggleBtn.SetText(tr("devices.disable", "Turn off"))
	}
}

// saved follows a change: the list again, and the devices restarted.
func (s *devicesScreen) saved() {
	s.u.devices.Reload()
	s.load()
}

// toggle turns the chosen device on or off.
func (s *devicesScreen) toggle() {
	d, ok := s.current()
	if !ok {
		return
	}
	d.Enabled = !d.Enabled
	s.u.async(func() {
		_, err := s.u.deps.Devices.Save(s.u.ctx(), d)
		fyne.Do(func() {
			if err != nil {
				s.u.showError(errors.New(deviceErrorMessage(err)))
				return
			}
			s.saved()
		})
	})
}

// confirmRemove asks, then removes the chosen device.
func (s *devicesScreen) confirmRemove() {
	d, ok := s.current()
	if !ok {
		return
	}
	msg := tr("devices.remove_confirm", "Remove «{{.Name}}»? The till stops listening to it.", map[string]any{"Name": deviceName(d)})
	dialog.ShowConfirm(tr("devices.remove_title", "Remove the device"), msg, func(yes bool) {
		if yes {
			s.remove(d.ID)
		}
	}, s.u.win)
}

func (s *devicesScreen) remove(id string) {
	s.u.async(func() {
		err := s.u.deps.Devices.Delete(s.u.ctx(), id)
		fyne.Do(func() {
			if err != nil {
				s.u.showError(err)
				return
			}
			if s.panel != nil && s.panel.dev.ID == id {
				s.closeTest()
			}
			s.saved()
		})
	})
}

// stateText is a device's live state in words, and how it is coloured.
func (s *devicesScreen) stateText(d app.Device) (string, widget.Importance) {
	if !d.Enabled {
		return tr("devices.state_off", "Off"), widget.LowImportance
	}
	st, ok := s.u.devices.Status(d.ID)
	if !ok {
		return tr("devices.state_starting", "Starting…"), widget.LowImportance
	}
	return statusText(d, st)
}

// statusText says a status in words.
func statusText(d app.Device, st hardware.Status) (string, widget.Importance) {
	data := map[string]any{"Detail": st.Detail}
	switch st.State {
	case hardware.StateReady:
		if d.Kind == app.DeviceKeyboard {
			return tr("devices.state_keyboard", "Ready: its scans are read on the till"), widget.SuccessImportance
		}
		return tr("devices.state_ready", "Ready"), widget.SuccessImportance
	case hardware.StateMissing:
		if st.Detail == "" {
			return tr("devices.state_missing_plain", "Not connected; trying again"), widget.DangerImportance
		}
		return tr("devices.state_missing", "Not connected: {{.Detail}}; trying again", data), widget.DangerImportance
	case hardware.StateFailed:
		return tr("devices.state_failed", "Error: {{.Detail}}; trying again", data), widget.DangerImportance
	case hardware.StateStopped:
		return tr("devices.state_off", "Off"), widget.LowImportance
	}
	return tr("devices.state_starting", "Starting…"), widget.LowImportance
}

// deviceName is what a device is called; the keyboard scanner a fresh
// installation has is called by its kind.
func deviceName(d app.Device) string {
	if d.Name != "" {
		return d.Name
	}
	return kindLabel(d.Kind)
}

func kindLabel(k app.DeviceKind) string {
	switch k {
	case app.DeviceCamera:
		return tr("devices.kind_camera", "Camera (QR codes)")
	case app.DeviceSerial:
		return tr("devices.kind_serial", "Reader on a serial port")
	case app.DeviceKeyboard:
		return tr("devices.kind_keyboard", "Keyboard scanner (USB)")
	}
	return string(k)
}

var deviceKinds = []app.DeviceKind{app.DeviceCamera, app.DeviceSerial, app.DeviceKeyboard}

// shortKind is a device's kind in a word, for the line under its name.
func shortKind(k app.DeviceKind) string {
	switch k {
	case app.DeviceCamera:
		return tr("devices.short_camera", "Camera")
	case app.DeviceSerial:
		return tr("devices.short_serial", "Serial port")
	case app.DeviceKeyboard:
		return tr("devices.short_keyboard", "Keyboard")
	}
	return string(k)
}

// deviceSummary is the line under a device's name: its kind and settings.
func deviceSummary(d app.Device) string {
	switch d.Kind {
	case app.DeviceCamera:
		cam := d.Camera
		if cam == "" {
			cam = tr("devices.first_camera", "the first camera found")
		}
		return shortKind(d.Kind) + " · " + cam
	case app.DeviceSerial:
		port := d.Port
		if d.USB != "" {
			if port == "" {
				port = tr("devices.usb_any", "USB {{.ID}}", map[string]any{"ID": d.USB})
			} else {
				port += " (" + d.USB + ")"
			}
		}
		parity := "N"
		if d.Parity != "" {
			parity = strings.ToUpper(d.Parity[:1])
		}
		frame := fmt.Sprintf("%d %d%s%s", d.Baud, d.DataBits, parity, d.StopBits)
		return strings.Join([]string{shortKind(d.Kind), port, frame, formatLabel(d.Format)}, " · ")
	case app.DeviceKeyboard:
		return shortKind(d.Kind) + " · " + tr("devices.keyboard_summary", "gaps up to {{.Gap}} ms, shortest code {{.Len}}",
			map[string]any{"Gap": d.WedgeGapMS, "Len": d.WedgeMinLen}) + " · " + formatLabel(d.Format)
	}
	return string(d.Kind)
}

func formatLabel(f string) string {
	switch hardware.Format(f) {
	case hardware.FormatAuto:
		return tr("devices.format_auto", "Recognise by the text")
	case hardware.FormatBarcode:
		return tr("devices.format_barcode", "Barcode as it is")
	case hardware.FormatMagstripe:
		return tr("devices.format_magstripe", "Magnetic stripe")
	case hardware.FormatEMMarine:
		return tr("devices.format_emmarine", "EM-Marine card (125 kHz)")
	case hardware.FormatIronLogic:
		return tr("devices.format_ironlogic", "IronLogic Z-2")
	}
	return f
}

func parityLabel(p string) string {
	switch p {
	case "none":
		return tr("devices.parity_none", "None")
	case "odd":
		return tr("devices.parity_odd", "Odd")
	case "even":
		return tr("devices.parity_even", "Even")
	case "mark":
		return tr("devices.parity_mark", "Mark (1)")
	case "space":
		return tr("devices.parity_space", "Space (0)")
	}
	return p
}

func terminatorLabel(t string) string {
	switch t {
	case "auto":
		return tr("devices.term_auto", "CR, LF or CR LF")
	case "cr":
		return "CR"
	case "lf":
		return "LF"
	case "crlf":
		return "CR LF"
	case "idle":
		return tr("devices.term_idle", "A pause")
	}
	return t
}

func scanKindLabel(k hardware.Kind) string {
	switch k {
	case hardware.KindQR:
		return tr("devices.scan_qr", "QR code")
	case hardware.KindBarcode:
		return tr("devices.scan_barcode", "Barcode")
	case hardware.KindMagstripe:
		return tr("devices.scan_magstripe", "Magnetic stripe")
	case hardware.KindEMMarine:
		return tr("devices.scan_emmarine", "EM-Marine card")
	}
	return string(k)
}

// deviceErrorMessage is errorMessage with the device fields' own words.
func deviceErrorMessage(err error) string {
	if fes := app.FieldErrors(err); len(fes) > 0 {
		return deviceFieldMessage(fes[0])
	}
	return errorMessage(err)
}

// deviceFieldMessage says what is wrong with a device's field and what it
// may be.
func deviceFieldMessage(fe app.FieldError) string {
	data := map[string]any{"Field": fieldLabel(fe.Field), "Value": fe.Value}
	if fe.Reason == app.ReasonBadValue {
		switch fe.Field {
		case app.FieldBaud:
			return tr("devices.err_baud", "{{.Field}}: «{{.Value}}» is not a standard rate: 1200, 2400, 4800, 9600, 19200, 38400, 57600 or 115200", data)
		case app.FieldDataBits:
			return tr("devices.err_data_bits", "{{.Field}}: 5, 6, 7 or 8", data)
		case app.FieldUSB:
			return tr("devices.err_usb", "{{.Field}}: «{{.Value}}» is not a USB id such as 0403:1234 (four hex digits, a colon, four hex digits)", data)
		case app.FieldIdleGap:
			return tr("devices.err_idle_gap", "{{.Field}}: from 10 to 1000 ms", data)
		case app.FieldWedgeGap:
			return tr("devices.err_wedge_gap", "{{.Field}}: from 5 to 100 ms", data)
		case app.FieldWedgeLen:
			return tr("devices.err_wedge_len", "{{.Field}}: from 3 to 64 characters", data)
		}
	}
	switch {
	case fe.Field == app.FieldPort && fe.Reason == app.ReasonRequired:
		return tr("devices.err_port", "{{.Field}}: choose a port from the list, type its path, or give the USB id", data)
	case fe.Field == app.FieldDeviceKind && fe.Reason == app.ReasonDuplicate:
		return tr("devices.err_keyboard", "There is already a keyboard scanner: all USB scanners that type use its settings")
	}
	return fieldMessage(fe)
}

// showExample opens the test panel of a keyboard scanner with a scan typed
// into it, beside a serial reader (for screenshots and the manual): a
// reader is added to the list, unsaved, when none is configured.
func (s *devicesScreen) showExample() {
	u := s.u
	u.async(func() {
		list, err := u.deps.Devices.List(u.ctx())
		fyne.Do(func() {
			if err != nil {
				s.errLabel.SetText(errorMessage(err))
				s.errLabel.Show()
				return
			}
			var kb *app.Device
			serial := false
			for i, d := range list {
				switch d.Kind {
				case app.DeviceKeyboard:
					kb = &list[i]
				case app.DeviceSerial:
					serial = true
				}
			}
			if !serial {
				ex := app.Device{ID: "example-reader", Kind: app.DeviceSerial, Name: "IronLogic Z-2", Enabled: true,
					Port: "/dev/ttyUSB0", USB: "0403:1234", Baud: 9600, DataBits: 8, Parity: "none", StopBits: "1",
					Terminator: "auto", IdleGapMS: 100, Format: string(hardware.FormatIronLogic)}
				s.example = &ex
				// Its state as a reader there would have it: on a machine
				// without it, not connected with the system's words.
				st := hardware.Status{Source: ex.Name, State: hardware.StateReady, At: time.Now()}
				if _, err := os.Stat(ex.Port); err != nil {
					var pe *fs.PathError
					if errors.As(err, &pe) {
						err = pe.Err
					}
					st.State, st.Detail = hardware.StateMissing, ex.Port+": "+err.Error()
				}
				u.devices.setStatus(ex.ID, st)
			}
			s.show(list)
			if kb == nil {
				return
			}
			s.list.Select(s.index(kb.ID))
			s.openTest(*kb)
			// A scanner typing a magnetic card's track under the Russian
			// layout, one key every 4 ms, then Enter.
			p := s.panel
			at := time.Now()
			for _, r := range "ж1234567=0042," {
				p.keys = append(p.keys, hardware.Key{R: r, At: at})
				p.field.Entry.TypedRune(r)
				at = at.Add(4 * time.Millisecond)
			}
			p.submitKeys(at)
		})
	})
}

// openTest opens the test-scan panel of d (closing another one).
func (s *devicesScreen) openTest(d app.Device) {
	s.closeTest()
	s.panel = newTestPanel(s, d)
	s.side.Objects = []fyne.CanvasObject{s.panel.content}
	s.side.Refresh()
	if s.panel.field != nil {
		s.u.win.Canvas().Focus(s.panel.field)
	}
}

// closeTest closes the test-scan panel, if open.
func (s *devicesScreen) closeTest() {
	if s.panel == nil {
		return
	}
	s.panel.close()
	s.panel = nil
	s.side.Objects = []fyne.CanvasObject{s.hint}
	s.side.Refresh()
}

// testPanel is the live "test scan" panel of one device: each line it
// sends (its bytes in hex and as text) and what it means, or for a
// keyboard scanner a field to scan into.
type testPanel struct {
	s       *devicesScreen
	dev     app.Device
	content fyne.CanvasObject
	state   *widget.Label
	lines   *fyne.Container
	entries []*testEntry
	preview *canvas.Image
	// The keyboard scanner's field and the keys typed into it.
	field    *wedgeEntry
	keys     []hardware.Key
	unsub    func()
	closeBtn *widget.Button
}

// testEntry is one line the device sent, as shown.
type testEntry struct {
	at      time.Time
	raw     []byte
	hasRaw  bool
	rawErr  error
	scan    *hardware.Scan
	wedge   string // the keyboard test's verdict on the burst
	content *fyne.Container
}

const testPanelLines = 12

func newTestPanel(s *devicesScreen, d app.Device) *testPanel {
	p := &testPanel{s: s, dev: d}
	title := widget.NewLabelWithStyle(tr("devices.test_title", "Test scan: {{.Name}}", map[string]any{"Name": deviceName(d)}),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	p.state = widget.NewLabel("")
	p.state.Wrapping = fyne.TextWrapWord
	note := widget.NewLabel(tr("devices.test_note", "While this panel is open, scans do not identify guests at the till."))
	note.Wrapping = fyne.TextWrapWord
	note.TextStyle.Italic = true
	p.closeBtn = widget.NewButtonWithIcon(tr("devices.test_close", "End the test"), theme.CancelIcon(), s.closeTest)
	head := container.NewVBox(container.NewBorder(nil, nil, nil, p.closeBtn, title), p.state, note)
	p.lines = container.NewVBox()
	switch d.Kind {
	case app.DeviceKeyboard:
		p.field = newWedgeEntry(p)
		p.field.SetPlaceHolder(tr("devices.test_field", "Scan a code into this field"))
		help := widget.NewLabel(tr("devices.test_keyboard", "Keys each within {{.Gap}} ms of the one before, then Enter, are a scan when there are at least {{.Len}} of them; slower keys are a person typing.",
			map[string]any{"Len": d.WedgeMinLen, "Gap": d.WedgeGapMS}))
		help.Wrapping = fyne.TextWrapWord
		head.Add(help)
		head.Add(p.field)
	case app.DeviceCamera:
		p.preview = canvas.NewImageFromImage(nil)
		p.preview.FillMode = canvas.ImageFillContain
		p.preview.SetMinSize(fyne.NewSize(320, 180))
		head.Add(p.preview)
	default:
		help := widget.NewLabel(tr("devices.test_serial", "Present a card or scan a code: each line the reader sends shows here, newest first."))
		help.Wrapping = fyne.TextWrapWord
		head.Add(help)
	}
	head.Add(widget.NewSeparator())
	p.content = container.NewBorder(head, nil, nil, nil, container.NewVScroll(p.lines))
	p.showState()
	p.unsub = s.u.devices.Subscribe(p.event)
	s.u.devices.setTesting(true)
	return p
}

func (p *testPanel) close() {
	if p.unsub != nil {
		p.unsub()
		p.unsub = nil
		p.s.u.devices.setTesting(false)
	}
}

func (p *testPanel) showState() {
	text, imp := p.s.stateText(p.dev)
	p.state.Importance = imp
	p.state.SetText(text)
}

// event shows what the panel's device reported.
func (p *testPanel) event(ev DeviceEvent) {
	if ev.Device.ID != p.dev.ID {
		return
	}
	switch {
	case ev.Status != nil:
		p.showState()
	case ev.Frame != nil:
		if p.preview != nil {
			p.preview.Image = ev.Frame
			p.preview.Refresh()
		}
	case ev.Scan != nil:
		sc := *ev.Scan
		// The scan of the line just shown completes it.
		if e := p.latest(); e != nil && e.scan == nil && e.rawErr == nil && e.hasRaw && string(e.raw) == string(sc.Raw) {
			e.scan = &sc
			p.render(e)
			return
		}
		p.add(&testEntry{at: sc.At, raw: sc.Raw, scan: &sc})
	default:
		// A line as received. Its scan may have come first.
		if e := p.latest(); e != nil && e.scan != nil && !e.hasRaw && ev.RawErr == nil && string(e.raw) == string(ev.Raw) {
			e.hasRaw = true
			return
		}
		e := &testEntry{at: time.Now(), raw: ev.Raw, hasRaw: true, rawErr: ev.RawErr}
		if errors.Is(ev.RawErr, hardware.ErrBankCard) {
			e.raw = nil
		}
		p.add(e)
	}
}

func (p *testPanel) latest() *testEntry {
	if len(p.entries) == 0 {
		return nil
	}
	return p.entries[0]
}

// add shows a new line on top, keeping the last few.
func (p *testPanel) add(e *testEntry) {
	e.content = container.NewVBox()
	p.entries = append([]*testEntry{e}, p.entries...)
	if len(p.entries) > testPanelLines {
		p.entries = p.entries[:testPanelLines]
	}
	p.render(e)
	objs := make([]fyne.CanvasObject, 0, 2*len(p.entries))
	for i, x := range p.entries {
		if i > 0 {
			objs = append(objs, widget.NewSeparator())
		}
		objs = append(objs, x.content)
	}
	p.lines.Objects = objs
	p.lines.Refresh()
}

// render fills an entry's labels: the verdict, then the bytes (never a
// bank card's).
func (p *testPanel) render(e *testEntry) {
	at := e.at
	if at.IsZero() {
		at = time.Now()
	}
	head := widget.NewLabel("")
	head.Wrapping = fyne.TextWrapWord
	var rows []fyne.CanvasObject
	if e.wedge != "" {
		w := widget.NewLabel(e.wedge)
		w.Wrapping = fyne.TextWrapWord
		rows = append(rows, w)
	}
	clock := at.Local().Format("15:04:05")
	switch {
	case errors.Is(e.rawErr, hardware.ErrBankCard):
		head.SetText(tr("devices.test_bank_card", "{{.Time}} · A bank card was refused: its data is neither shown nor kept", map[string]any{"Time": clock}))
		head.Importance = widget.DangerImportance
		e.content.Objects = append([]fyne.CanvasObject{head}, rows...)
		e.content.Refresh()
		return
	case errors.Is(e.rawErr, hardware.ErrNoCard):
		head.SetText(tr("devices.test_no_card", "{{.Time}} · The reader says: no card", map[string]any{"Time": clock}))
		head.Importance = widget.LowImportance
	case e.rawErr != nil:
		head.SetText(tr("devices.test_unrecognized", "{{.Time}} · Not an identifier: {{.Err}}", map[string]any{"Time": clock, "Err": e.rawErr.Error()}))
		head.Importance = widget.WarningImportance
	case e.scan != nil:
		data := map[string]any{"Time": clock, "Kind": scanKindLabel(e.scan.Kind), "Value": e.scan.Value}
		text := tr("devices.test_scan", "{{.Time}} · {{.Kind}}: {{.Value}}", data)
		if len(e.scan.Alt) > 0 {
			text += " " + tr("devices.test_alt", "(also looked up as {{.Alt}})", map[string]any{"Alt": strings.Join(e.scan.Alt, ", ")})
		}
		head.SetText(text)
		head.Importance = widget.SuccessImportance
	default:
		head.SetText(tr("devices.test_received", "{{.Time}} · Received", map[string]any{"Time": clock}))
	}
	rows = append([]fyne.CanvasObject{head}, rows...)
	if len(e.raw) > 0 {
		hex := widget.NewLabelWithStyle(tr("devices.test_hex", "Bytes: {{.Hex}}", map[string]any{"Hex": fmt.Sprintf("% X", e.raw)}),
			fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		hex.Wrapping = fyne.TextWrapBreak
		txt := widget.NewLabelWithStyle(tr("devices.test_text", "Text: {{.Text}}", map[string]any{"Text": printable(e.raw)}),
			fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		txt.Wrapping = fyne.TextWrapBreak
		rows = append(rows, hex, txt)
	}
	e.content.Objects = rows
	e.content.Refresh()
}

// printable shows bytes as text, control bytes by their symbols.
func printable(b []byte) string {
	var sb strings.Builder
	for _, r := range string(b) {
		switch {
		case r == '\r':
			sb.WriteString("␍")
		case r == '\n':
			sb.WriteString("␊")
		case r == unicode.ReplacementChar || !unicode.IsPrint(r):
			sb.WriteString("·")
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// submitKeys judges the keys typed into the keyboard test's field up to
// an Enter at end: a scanner's burst is parsed as the till would.
func (p *testPanel) submitKeys(end time.Time) {
	keys := p.keys
	p.keys = nil
	p.field.SetText("")
	if len(keys) == 0 {
		return
	}
	var longest time.Duration
	for i := 1; i < len(keys); i++ {
		longest = max(longest, keys[i].At.Sub(keys[i-1].At))
	}
	longest = max(longest, end.Sub(keys[len(keys)-1].At))
	gapMS := strconv.FormatInt(longest.Milliseconds(), 10)
	text, n, ok := hardware.DetectWedge(keys, end, hardware.WedgeOptions{
		MaxGap: time.Duration(p.dev.WedgeGapMS) * time.Millisecond, MinLen: p.dev.WedgeMinLen})
	e := &testEntry{at: end}
	if !ok {
		e.wedge = tr("devices.test_typed", "Typed by a person (keys {{.N}}, the longest gap {{.Gap}} ms): not a scan",
			map[string]any{"N": len(keys), "Gap": gapMS})
		e.rawErr = errNotBurst
		p.add(e)
		return
	}
	parsed, err := hardware.ParseLine(hardware.Format(p.dev.Format), text)
	e.hasRaw = true
	e.rawErr = err
	if !errors.Is(err, hardware.ErrBankCard) {
		e.raw = []byte(text)
		typed := make([]rune, 0, n)
		for _, k := range keys[len(keys)-n:] {
			typed = append(typed, k.R)
		}
		data := map[string]any{"N": n, "Gap": gapMS, "Typed": string(typed)}
		if string(typed) != text {
			e.wedge = tr("devices.test_burst_layout", "A scanner's burst: keys {{.N}}, the longest gap {{.Gap}} ms; typed under the Russian layout as «{{.Typed}}»", data)
		} else {
			e.wedge = tr("devices.test_burst", "A scanner's burst: keys {{.N}}, the longest gap {{.Gap}} ms", data)
		}
	}
	if err == nil {
		e.scan = &hardware.Scan{Source: deviceName(p.dev), Kind: parsed.Kind, Value: parsed.Value, Alt: parsed.Alt, Raw: e.raw, At: end}
	}
	p.add(e)
}

var errNotBurst = errors.New("typed by a person")

// wedgeEntry is the keyboard test's field: it notes when each key arrives.
type wedgeEntry struct {
	widget.Entry
	p *testPanel
}

func newWedgeEntry(p *testPanel) *wedgeEntry {
	e := &wedgeEntry{p: p}
	e.ExtendBaseWidget(e)
	return e
}

// TypedRune notes the key with its time, then types it.
func (e *wedgeEntry) TypedRune(r rune) {
	e.p.keys = append(e.p.keys, hardware.Key{R: r, At: e.p.s.now()})
	e.Entry.TypedRune(r)
}

// TypedKey judges the keys on Enter and closes the test on Escape.
func (e *wedgeEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		e.p.submitKeys(e.p.s.now())
	case fyne.KeyEscape:
		e.p.s.closeTest()
	case fyne.KeyBackspace:
		if n := len(e.p.keys); n > 0 {
			e.p.keys = e.p.keys[:n-1]
		}
		e.Entry.TypedKey(k)
	default:
		e.Entry.TypedKey(k)
	}
}

// deviceDialog adds or edits one device.
type deviceDialog struct {
	s    *devicesScreen
	id   string
	kind *widget.Select
	name *escEntry
	on   *widget.Check

	camera    *widget.Select
	cameraIDs []string

	port       *widget.SelectEntry
	portPaths  map[string]hardware.Port // a choice's label → the port
	usb        *escEntry
	baud       *widget.SelectEntry
	dataBits   *widget.Select
	parity     *widget.Select
	stopBits   *widget.Select
	terminator *widget.Select
	idleGap    *escEntry

	format   *widget.Select
	wedgeGap *escEntry
	wedgeLen *escEntry

	// rows are the fields with their error labels; formBox holds the form
	// of the chosen kind, built from them.
	rows    map[string]fyne.CanvasObject
	formBox *fyne.Container
	body    *fyne.Container
	scroll  *container.Scroll
	errs    map[string]*widget.Label
	general *widget.Label
	saveBtn *widget.Button
	dlg     dialog.Dialog
	open    bool
}

// openDialog opens the add dialog (d nil) or the edit dialog of d.
func (s *devicesScreen) openDialog(d *app.Device) *deviceDialog {
	dd := newDeviceDialog(s, d)
	s.lastDialog = dd
	dd.open = true
	dd.dlg.Show()
	s.u.win.Canvas().Focus(dd.name)
	dd.loadChoices()
	return dd
}

func newDeviceDialog(s *devicesScreen, dev *app.Device) *deviceDialog {
	d := &deviceDialog{s: s, errs: map[string]*widget.Label{}, portPaths: map[string]hardware.Port{}}
	kinds := make([]string, len(deviceKinds))
	for i, k := range deviceKinds {
		kinds[i] = kindLabel(k)
	}
	d.kind = widget.NewSelect(kinds, func(string) { d.showKind() })
	d.name = newEscEntry(false)
	d.on = widget.NewCheck(tr("devices.enabled", "On: the till listens to it"), nil)
	d.on.SetChecked(true)

	d.camera = widget.NewSelect(nil, nil)
	d.camera.PlaceHolder = tr("devices.first_camera", "the first camera found")

	d.port = widget.NewSelectEntry(nil)
	d.port.SetPlaceHolder("/dev/ttyUSB0, COM3")
	d.port.OnChanged = func(text string) {
		if p, ok := d.portPaths[text]; ok {
			d.port.SetText(p.Path)
			if p.VID != "" && p.PID != "" {
				d.usb.SetText(strings.ToLower(p.VID + ":" + p.PID))
			}
		}
	}
	d.usb = newEscEntry(false)
	d.usb.SetPlaceHolder("0403:1234")
	bauds := make([]string, len(app.BaudRates))
	for i, b := range app.BaudRates {
		bauds[i] = strconv.Itoa(b)
	}
	d.baud = widget.NewSelectEntry(bauds)
	d.baud.SetText(strconv.Itoa(app.DefaultBaud))
	d.dataBits = widget.NewSelect([]string{"5", "6", "7", "8"}, nil)
	d.dataBits.SetSelected("8")
	parities := make([]string, len(app.Parities))
	for i, p := range app.Parities {
		parities[i] = parityLabel(p)
	}
	d.parity = widget.NewSelect(parities, nil)
	d.parity.SetSelectedIndex(0)
	d.stopBits = widget.NewSelect(app.StopBitsAll, nil)
	d.stopBits.SetSelected("1")
	terms := make([]string, len(app.Terminators))
	for i, t := range app.Terminators {
		terms[i] = terminatorLabel(t)
	}
	d.terminator = widget.NewSelect(terms, nil)
	d.terminator.SetSelectedIndex(0)
	d.idleGap = newEscEntry(false)
	d.idleGap.SetText(strconv.Itoa(app.DefaultIdleGapMS))

	formats := make([]string, len(app.DeviceFormats))
	for i, f := range app.DeviceFormats {
		formats[i] = formatLabel(f)
	}
	d.format = widget.NewSelect(formats, nil)
	d.format.SetSelectedIndex(0)
	d.wedgeGap = newEscEntry(false)
	d.wedgeGap.SetText(strconv.Itoa(app.DefaultWedgeGapMS))
	d.wedgeLen = newEscEntry(false)
	d.wedgeLen.SetText(strconv.Itoa(app.DefaultWedgeMinLen))

	for _, e := range []*escEntry{d.name, d.usb, d.idleGap, d.wedgeGap, d.wedgeLen} {
		e.OnSubmitted = func(string) { d.save() }
		e.esc = func() { d.dlg.Hide() }
	}
	field := func(f string, w fyne.CanvasObject) fyne.CanvasObject {
		l := pageErrLabel()
		d.errs[f] = l
		return container.NewVBox(w, l)
	}
	d.rows = map[string]fyne.CanvasObject{
		app.FieldDeviceKind: field(app.FieldDeviceKind, d.kind),
		app.FieldName:       field(app.FieldName, d.name),
		app.FieldCamera:     field(app.FieldCamera, d.camera),
		app.FieldPort:       field(app.FieldPort, d.port),
		app.FieldUSB:        field(app.FieldUSB, d.usb),
		app.FieldBaud:       field(app.FieldBaud, d.baud),
		app.FieldDataBits:   field(app.FieldDataBits, d.dataBits),
		app.FieldParity:     field(app.FieldParity, d.parity),
		app.FieldStopBits:   field(app.FieldStopBits, d.stopBits),
		app.FieldTerminator: field(app.FieldTerminator, d.terminator),
		app.FieldIdleGap:    field(app.FieldIdleGap, d.idleGap),
		app.FieldWedgeGap:   field(app.FieldWedgeGap, d.wedgeGap),
		app.FieldWedgeLen:   field(app.FieldWedgeLen, d.wedgeLen),
		app.FieldFormat:     field(app.FieldFormat, d.format),
	}
	d.formBox = container.NewStack()

	title := tr("devices.new_title", "New device")
	d.kind.SetSelectedIndex(1) // a serial reader: the one with most to set
	if dev != nil {
		d.fill(*dev)
		title = tr("devices.edit_title", "Device {{.Name}}", map[string]any{"Name": deviceName(*dev)})
		d.kind.Disable()
	}
	d.general = pageErrLabel()
	d.saveBtn = widget.NewButton(tr("dialog.save", "Save"), d.save)
	d.saveBtn.Importance = widget.HighImportance
	cancel := widget.NewButton(tr("dialog.cancel", "Cancel"), func() { d.dlg.Hide() })
	d.body = container.NewVBox(d.formBox, d.general, container.NewHBox(layout.NewSpacer(), cancel, d.saveBtn))
	d.scroll = container.NewVScroll(d.body)
	d.dlg = dialog.NewCustomWithoutButtons(title, d.scroll, s.u.win)
	d.dlg.SetOnClosed(func() { d.open = false })
	d.showKind()
	return d
}

func (d *deviceDialog) selectedKind() app.DeviceKind {
	if i := d.kind.SelectedIndex(); i >= 0 {
		return deviceKinds[i]
	}
	return app.DeviceSerial
}

// showKind lays out the fields of the chosen kind in one form.
func (d *deviceDialog) showKind() {
	if d.rows == nil {
		return
	}
	item := func(label, field, hint string) *widget.FormItem {
		it := widget.NewFormItem(label, d.rows[field])
		it.HintText = hint
		return it
	}
	items := []*widget.FormItem{
		item(tr("devices.kind", "Kind"), app.FieldDeviceKind, ""),
		item(fieldLabel(app.FieldName), app.FieldName, ""),
		widget.NewFormItem("", d.on),
	}
	switch d.selectedKind() {
	case app.DeviceCamera:
		items = append(items, item(fieldLabel(app.FieldCamera), app.FieldCamera, ""))
	case app.DeviceSerial:
		items = append(items,
			item(fieldLabel(app.FieldPort), app.FieldPort, tr("devices.port_hint", "From the list or a typed path (ptys are not listed)")),
			item(fieldLabel(app.FieldUSB), app.FieldUSB, tr("devices.usb_hint", "VID:PID, to find the reader again on another port")),
			item(fieldLabel(app.FieldBaud), app.FieldBaud, ""),
			item(fieldLabel(app.FieldDataBits), app.FieldDataBits, ""),
			item(fieldLabel(app.FieldParity), app.FieldParity, ""),
			item(fieldLabel(app.FieldStopBits), app.FieldStopBits, ""),
			item(fieldLabel(app.FieldTerminator), app.FieldTerminator, ""),
			item(fieldLabel(app.FieldIdleGap), app.FieldIdleGap, tr("devices.idle_hint", "With «A pause» as the end of line: the silence that ends it")),
			item(fieldLabel(app.FieldFormat), app.FieldFormat, ""))
	case app.DeviceKeyboard:
		items = append(items,
			item(fieldLabel(app.FieldWedgeGap), app.FieldWedgeGap, tr("devices.wedge_hint", "A scanner: a few ms per key; a person: 60 ms and more")),
			item(fieldLabel(app.FieldWedgeLen), app.FieldWedgeLen, ""),
			item(fieldLabel(app.FieldFormat), app.FieldFormat, ""))
	}
	d.formBox.Objects = []fyne.CanvasObject{widget.NewForm(items...)}
	d.formBox.Refresh()
	if d.dlg != nil {
		d.fit()
	}
}

// fit sizes the dialog to its fields, up to the window's height (the
// fields scroll beyond it).
func (d *deviceDialog) fit() {
	d.body.Refresh()
	d.scroll.Refresh()
	h := min(d.body.MinSize().Height+90, d.s.u.win.Canvas().Size().Height-40)
	d.dlg.Resize(fyne.NewSize(580, h))
}

// fill puts a device's settings in the fields.
func (d *deviceDialog) fill(dev app.Device) {
	d.id = dev.ID
	for i, k := range deviceKinds {
		if k == dev.Kind {
			d.kind.SetSelectedIndex(i)
		}
	}
	d.name.SetText(deviceName(dev))
	d.on.SetChecked(dev.Enabled)
	if dev.Camera != "" {
		d.cameraIDs = []string{dev.Camera}
		d.camera.Options = []string{dev.Camera}
		d.camera.SetSelectedIndex(0)
	}
	d.port.SetText(dev.Port)
	d.usb.SetText(dev.USB)
	if dev.Baud != 0 {
		d.baud.SetText(strconv.Itoa(dev.Baud))
	}
	if dev.DataBits != 0 {
		d.dataBits.SetSelected(strconv.Itoa(dev.DataBits))
	}
	selectIn(d.parity, app.Parities, dev.Parity)
	if dev.StopBits != "" {
		d.stopBits.SetSelected(dev.StopBits)
	}
	selectIn(d.terminator, app.Terminators, dev.Terminator)
	if dev.IdleGapMS != 0 {
		d.idleGap.SetText(strconv.Itoa(dev.IdleGapMS))
	}
	selectIn(d.format, app.DeviceFormats, dev.Format)
	if dev.WedgeGapMS != 0 {
		d.wedgeGap.SetText(strconv.Itoa(dev.WedgeGapMS))
	}
	if dev.WedgeMinLen != 0 {
		d.wedgeLen.SetText(strconv.Itoa(dev.WedgeMinLen))
	}
}

func selectIn(sel *widget.Select, values []string, v string) {
	for i, x := range values {
		if x == v {
			sel.SetSelectedIndex(i)
		}
	}
}

func valueOf(sel *widget.Select, values []string) string {
	if i := sel.SelectedIndex(); i >= 0 && i < len(values) {
		return values[i]
	}
	return ""
}

// loadChoices lists the cameras and ports off the UI goroutine.
func (d *deviceDialog) loadChoices() {
	hw := d.s.u.deps.Hardware
	d.s.u.async(func() {
		cams, camErr := hw.cameras()
		ports, portErr := hw.ports()
		fyne.Do(func() {
			if camErr == nil {
				keep := ""
				if i := d.camera.SelectedIndex(); i >= 0 && i < len(d.cameraIDs) {
					keep = d.cameraIDs[i]
				}
				d.cameraIDs = nil
				var labels []string
				for _, c := range cams {
					d.cameraIDs = append(d.cameraIDs, c.ID)
					labels = append(labels, c.Label)
				}
				if keep != "" && !slices.Contains(d.cameraIDs, keep) {
					d.cameraIDs = append(d.cameraIDs, keep)
					labels = append(labels, keep)
				}
				d.camera.Options = labels
				d.camera.ClearSelected()
				for i, id := range d.cameraIDs {
					if id == keep {
						d.camera.SetSelectedIndex(i)
					}
				}
				d.camera.Refresh()
			}
			if portErr == nil {
				var labels []string
				for _, p := range ports {
					label := p.Path
					if p.VID != "" {
						label += " — " + strings.ToLower(p.VID+":"+p.PID)
					}
					if p.Product != "" {
						label += " " + p.Product
					}
					d.portPaths[label] = p
					labels = append(labels, label)
				}
				d.port.SetOptions(labels)
			}
		})
	})
}

// input reads the fields; a number that is not one gives a field error.
func (d *deviceDialog) input() (app.Device, *app.FieldError) {
	dev := app.Device{ID: d.id, Kind: d.selectedKind(), Name: d.name.Text, Enabled: d.on.Checked}
	num := func(field, text string) (int, *app.FieldError) {
		text = strings.TrimSpace(text)
		if text == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(text)
		if err != nil {
			return 0, &app.FieldError{Field: field, Reason: reasonNotNumber, Value: text}
		}
		return n, nil
	}
	var fe *app.FieldError
	switch dev.Kind {
	case app.DeviceCamera:
		if i := d.camera.SelectedIndex(); i >= 0 && i < len(d.cameraIDs) {
			dev.Camera = d.cameraIDs[i]
		}
	case app.DeviceSerial:
		dev.Port = d.port.Text
		dev.USB = d.usb.Text
		if dev.Baud, fe = num(app.FieldBaud, d.baud.Text); fe != nil {
			return dev, fe
		}
		dev.DataBits, _ = strconv.Atoi(d.dataBits.Selected)
		dev.Parity = valueOf(d.parity, app.Parities)
		dev.StopBits = d.stopBits.Selected
		dev.Terminator = valueOf(d.terminator, app.Terminators)
		if dev.IdleGapMS, fe = num(app.FieldIdleGap, d.idleGap.Text); fe != nil {
			return dev, fe
		}
		dev.Format = valueOf(d.format, app.DeviceFormats)
	case app.DeviceKeyboard:
		dev.Format = valueOf(d.format, app.DeviceFormats)
		if dev.WedgeGapMS, fe = num(app.FieldWedgeGap, d.wedgeGap.Text); fe != nil {
			return dev, fe
		}
		if dev.WedgeMinLen, fe = num(app.FieldWedgeLen, d.wedgeLen.Text); fe != nil {
			return dev, fe
		}
	}
	return dev, nil
}

// save stores the device; errors show under their fields.
func (d *deviceDialog) save() {
	for _, l := range d.errs {
		l.Hide()
	}
	d.general.Hide()
	dev, fe := d.input()
	if fe != nil {
		d.showErrors([]app.FieldError{*fe})
		return
	}
	d.saveBtn.Disable()
	u := d.s.u
	u.async(func() {
		_, err := u.deps.Devices.Save(u.ctx(), dev)
		fyne.Do(func() {
			d.saveBtn.Enable()
			if err != nil {
				if fes := app.FieldErrors(err); len(fes) > 0 {
					d.showErrors(fes)
					return
				}
				d.general.SetText(errorMessage(err))
				d.general.Show()
				return
			}
			d.dlg.Hide()
			d.s.saved()
		})
	})
}

func (d *deviceDialog) showErrors(fes []app.FieldError) {
	for _, fe := range fes {
		l, ok := d.errs[fe.Field]
		if !ok {
			l = d.general
		}
		l.SetText(deviceFieldMessage(fe))
		l.Show()
	}
	d.fit()
}
