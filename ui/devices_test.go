package ui

// Tests of the Devices tab (ID-05) over the real store, real
// pseudo-terminals and the fake camera.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/creack/pty"

	"loyaltydesk/app"
	"loyaltydesk/hardware"
)

// openPty opens a pseudo-terminal pair: the test writes to the master as
// a reader would; the device opens the slave's path.
func openPty(t *testing.T) (*os.File, string) {
	t.Helper()
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { master.Close(); slave.Close() })
	return master, slave.Name()
}

// addSerial fills the add dialog for a serial reader and saves it.
func (h *devicesHarness) addSerial(t *testing.T, name, port, baud, format string) *deviceDialog {
	t.Helper()
	s := h.ui.devices.screen
	test.Tap(s.addBtn)
	d := s.lastDialog
	if d == nil || !d.open {
		t.Fatal("the add dialog did not open")
	}
	d.kind.SetSelected(kindLabel(app.DeviceSerial))
	test.Type(d.name, name)
	d.port.SetText(port)
	d.baud.SetText(baud)
	d.format.SetSelected(formatLabel(format))
	test.Tap(d.saveBtn)
	return d
}

func (h *devicesHarness) list(t *testing.T) []app.Device {
	t.Helper()
	list, err := h.devices.List(h.ui.ctx())
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func (h *devicesHarness) byName(t *testing.T, name string) app.Device {
	t.Helper()
	for _, d := range h.list(t) {
		if d.Name == name {
			return d
		}
	}
	t.Fatalf("no device %q", name)
	return app.Device{}
}

// ID-05: a bad baud rate is named under its field, in Russian, and
// nothing is saved; so is a baud that is not a number.
func TestDeviceDialogBadBaudSavesNothing(t *testing.T) {
	h := newDevicesHarness(t, &Hardware{})
	before := h.list(t)
	d := h.addSerial(t, "Считыватель", "/dev/ttyUSB0", "12345", "ironlogic")
	l := d.errs[app.FieldBaud]
	want := "Скорость, бод: «12345» — не стандартная скорость: 1200, 2400, 4800, 9600, 19200, 38400, 57600 или 115200"
	if !l.Visible() || l.Text != want {
		t.Errorf("baud error = %q (shown %v), want %q", l.Text, l.Visible(), want)
	}
	for f, other := range d.errs {
		if f != app.FieldBaud && other.Visible() {
			t.Errorf("%s shows %q too", f, other.Text)
		}
	}
	if !d.open {
		t.Error("the dialog closed on an error")
	}
	d.baud.SetText("девять")
	test.Tap(d.saveBtn)
	if want := "Скорость, бод: «девять» — не целое число"; l.Text != want {
		t.Errorf("baud error = %q, want %q", l.Text, want)
	}
	if after := h.list(t); len(after) != len(before) {
		t.Errorf("a refused device was saved: %+v", after)
	}
}

// ID-02, ID-05: a reader added on a real pseudo-terminal is started at
// once; a line written to it shows in its test panel as bytes, text and
// the parsed card; a bank card shows as refused without its digits; while
// the panel is open Testing() is true.
func TestSerialDeviceOnPtyShowsScanInTestPanel(t *testing.T) {
	master, port := openPty(t)
	h := newDevicesHarness(t, &Hardware{})
	d := h.addSerial(t, "IronLogic", port, "9600", "ironlogic")
	if d.open {
		t.Fatalf("the dialog stayed open: %q", d.general.Text)
	}
	dev := h.byName(t, "IronLogic")
	if dev.Port != port || dev.Baud != 9600 || dev.Format != "ironlogic" || !dev.Enabled {
		t.Errorf("saved %+v", dev)
	}
	h.waitEvent(t, dev.ID, isState(hardware.StateReady))
	s := h.ui.devices.screen
	h.ui.tabs.Select(s.tab)
	s.list.Select(s.index(dev.ID))
	if !contains(visibleTexts(h.win), "Готово") {
		t.Errorf("the ready state is not shown: %q", visibleTexts(h.win))
	}
	test.Tap(s.testBtn)
	if s.panel == nil || s.panel.dev.ID != dev.ID || !h.ui.devices.Testing() {
		t.Fatal("the test panel did not open for the reader")
	}

	line := "Em-Marine[5500] 126,58404"
	if _, err := fmt.Fprintf(master, "%s\r\n", line); err != nil {
		t.Fatal(err)
	}
	ev := h.waitEvent(t, dev.ID, isScan)
	want, err := hardware.ParseLine(hardware.FormatIronLogic, line)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Scan.Value != want.Value || string(ev.Scan.Raw) != line {
		t.Errorf("scan = %+v, want %q from %q", ev.Scan, want.Value, line)
	}
	texts := strings.Join(visibleTexts(h.win), "\n")
	for _, s := range []string{
		"Карта EM-Marine: " + want.Value,
		"Байты: " + fmt.Sprintf("% X", line),
		"Текст: " + line,
	} {
		if !strings.Contains(texts, s) {
			t.Errorf("the panel does not show %q:\n%s", s, texts)
		}
	}
	if len(want.Alt) > 0 && !strings.Contains(texts, want.Alt[0]) {
		t.Errorf("the panel does not show the secondary value %q", want.Alt[0])
	}

	// A bank card's track: refused, and its number is nowhere on screen.
	card := "%B4111111111111111^IVANOV/IVAN^2512101000000000000?"
	if _, err := fmt.Fprintf(master, "%s\r\n", card); err != nil {
		t.Fatal(err)
	}
	h.waitEvent(t, dev.ID, func(ev DeviceEvent) bool { return ev.RawErr != nil })
	texts = strings.Join(visibleTexts(h.win), "\n")
	if !strings.Contains(texts, "Банковская карта отклонена") || strings.Contains(texts, "4111") || strings.Contains(texts, "IVANOV") {
		t.Errorf("the bank card is not refused or shows its data:\n%s", texts)
	}

	// Leaving the tab ends the test.
	h.ui.tabs.Select(h.ui.clientsTab)
	if s.panel != nil || h.ui.devices.Testing() {
		t.Error("the test panel stays open after leaving the tab")
	}
}

// ID-05: a reader whose port does not exist shows «not connected» with the
// system's words, and the window goes on working.
func TestMissingSerialPortShowsNotConnected(t *testing.T) {
	h := newDevicesHarness(t, &Hardware{})
	port := filepath.Join(t.TempDir(), "ttyUSB9")
	dev, err := h.devices.Save(h.ui.ctx(), app.Device{Kind: app.DeviceSerial, Name: "Касса 2", Port: port, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	h.ui.devices.Reload()
	ev := h.waitEvent(t, dev.ID, isState(hardware.StateMissing))
	if !strings.Contains(ev.Status.Detail, port) {
		t.Errorf("missing detail %q does not name the port", ev.Status.Detail)
	}
	s := h.ui.devices.screen
	h.ui.tabs.Select(s.tab)
	want := "Не подключено: " + ev.Status.Detail + "; пробуем снова"
	if !contains(visibleTexts(h.win), want) {
		t.Errorf("the list does not show %q: %q", want, visibleTexts(h.win))
	}
	// Turning it off stops it; the list says so.
	s.list.Select(s.index(dev.ID))
	test.Tap(s.toggleBtn)
	if h.byName(t, "Касса 2").Enabled {
		t.Error("the device is still on")
	}
	if !contains(visibleTexts(h.win), "Выключено") {
		t.Errorf("the list does not show the device off: %q", visibleTexts(h.win))
	}
	if st, _ := h.ui.devices.Status(dev.ID); st.State != hardware.StateStopped {
		t.Errorf("status after turning off = %+v", st)
	}
}

// ID-03, ID-05: the keyboard scanner's test field tells a scanner's burst
// (5 ms between keys), decoded from the Russian layout, from a person
// typing (120 ms).
func TestKeyboardTestPanelDetectsBursts(t *testing.T) {
	h := newDevicesHarness(t, &Hardware{})
	s := h.ui.devices.screen
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	h.ui.tabs.Select(s.tab)
	kb, _ := h.ui.devices.Keyboard()
	s.list.Select(s.index(kb.ID))
	test.Tap(s.testBtn)
	p := s.panel
	if p == nil || p.field == nil {
		t.Fatal("no keyboard test field")
	}
	typeKeys := func(text string, gap time.Duration) {
		for _, r := range text {
			p.field.TypedRune(r)
			now = now.Add(gap)
		}
		p.field.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
	typeKeys("ж1234=5678,", 5*time.Millisecond)
	e := p.latest()
	want := hardware.FromRussianLayout("ж1234=5678,")
	if e == nil || string(e.raw) != want || !strings.Contains(e.wedge, "русской раскладке") {
		t.Fatalf("burst entry = %+v, want the text %q typed under the Russian layout", e, want)
	}
	if p.field.Text != "" || len(p.keys) != 0 {
		t.Error("the field is not cleared after Enter")
	}
	typeKeys("12345678", 120*time.Millisecond)
	e = p.latest()
	if e == nil || e.scan != nil || !strings.Contains(e.wedge, "Набрано человеком") {
		t.Errorf("typed entry = %+v, want a person's typing", e)
	}
	if !contains(visibleTexts(h.win), e.wedge) {
		t.Errorf("the verdict %q is not shown", e.wedge)
	}
}

// AD-01: the Devices tab is the owner's and the managers', not a
// cashier's.
func TestDevicesTabByRole(t *testing.T) {
	h := newDevicesHarness(t, &Hardware{})
	for _, c := range []struct {
		role app.Role
		want bool
	}{{app.RoleOwner, true}, {app.RoleManager, true}, {app.RoleCashier, false}} {
		h.ui.setSession(&app.Session{UserID: string(c.role), Name: string(c.role), Role: c.role})
		h.ui.applyRole()
		if got := containsTab(h.ui.tabs.Items, h.ui.devicesTab()); got != c.want {
			t.Errorf("%s sees the Devices tab: %v, want %v", c.role, got, c.want)
		}
	}
}

// The screenshot's example: the keyboard scanner's test panel with a burst
// in it, beside a serial reader.
func TestDevicesExample(t *testing.T) {
	h := newDevicesHarness(t, &Hardware{})
	h.ui.Open(ScreenDevices)
	s := h.ui.devices.screen
	if h.ui.tabs.Selected() != s.tab || s.panel == nil || len(s.panel.entries) != 1 || s.panel.entries[0].scan == nil {
		t.Fatalf("the example shows no scan in the keyboard panel")
	}
	if len(s.devices) != 2 || s.devices[1].Kind != app.DeviceSerial {
		t.Errorf("example devices = %+v", s.devices)
	}
	if len(h.list(t)) != 1 {
		t.Error("the example saved its reader")
	}
}
