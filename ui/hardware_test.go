package ui

// Tests of running devices (issue 7): Hardware.RunDevice over fake cameras
// and real pseudo-terminals, and the device manager's events.

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"loyaltydesk/app"
	"loyaltydesk/db"
	"loyaltydesk/hardware"
)

// uiQueue stands for the UI goroutine in tests: the device manager's hops
// are queued, and the test goroutine runs them while it waits.
type uiQueue struct {
	mu   sync.Mutex
	fs   []func()
	wake chan struct{}
}

func newUIQueue() *uiQueue { return &uiQueue{wake: make(chan struct{}, 1)} }

func (q *uiQueue) do(f func()) {
	q.mu.Lock()
	q.fs = append(q.fs, f)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// run runs what is queued (and what that queues), on the calling (test)
// goroutine; it reports whether there was anything.
func (q *uiQueue) run() bool {
	ran := false
	for {
		q.mu.Lock()
		fs := q.fs
		q.fs = nil
		q.mu.Unlock()
		if len(fs) == 0 {
			return ran
		}
		ran = true
		for _, f := range fs {
			f()
		}
	}
}

// waitFor runs the queued UI work until ch gives a value that ok accepts.
// The deadline only keeps a broken test from hanging.
func waitFor[T any](t *testing.T, q *uiQueue, ch <-chan T, ok func(T) bool) T {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		q.run()
		for {
			select {
			case v := <-ch:
				if ok(v) {
					return v
				}
				continue
			default:
			}
			break
		}
		select {
		case v := <-ch:
			if ok(v) {
				q.run()
				return v
			}
		case <-q.wake:
		case <-deadline:
			t.Fatal("the event did not come")
		}
	}
}

// devicesHarness is a window with the device settings over a real store.
type devicesHarness struct {
	ui      *UI
	win     fyne.Window
	store   *db.Store
	devices *app.Devices
	q       *uiQueue
	events  chan DeviceEvent
}

// newDevicesHarness opens the window as the owner with hw as the hardware;
// the manager's events go through a queue the test runs, and every event
// is also sent to h.events.
func newDevicesHarness(t *testing.T, hw *Hardware) *devicesHarness {
	t.Helper()
	a, store, clock := testStore(t)
	devices := app.NewDevices(store, clock)
	u := New(a, Deps{
		Clients:  app.NewClients(store, clock),
		Settings: app.NewSettings(store, clock),
		Devices:  devices,
		Hardware: hw,
		DBPath:   store.Path(),
		Version:  "test",
		Async:    func(f func()) { f() },
	})
	h := &devicesHarness{ui: u, win: u.win, store: store, devices: devices, q: newUIQueue(), events: make(chan DeviceEvent, 1000)}
	// A fresh store has only the keyboard scanner: no device goroutine runs
	// yet, so the queue can take over now.
	u.devices.do = h.q.do
	u.devices.Subscribe(func(ev DeviceEvent) {
		select {
		case h.events <- ev:
		default:
		}
	})
	u.win.Resize(fyne.NewSize(1240, 740))
	u.win.Show()
	t.Cleanup(u.win.Close) // stops the devices and waits for them
	return h
}

// waitEvent runs the UI work until an event of device id that ok accepts.
func (h *devicesHarness) waitEvent(t *testing.T, id string, ok func(DeviceEvent) bool) DeviceEvent {
	t.Helper()
	return waitFor(t, h.q, h.events, func(ev DeviceEvent) bool { return ev.Device.ID == id && ok(ev) })
}

func isState(s hardware.State) func(DeviceEvent) bool {
	return func(ev DeviceEvent) bool { return ev.Status != nil && ev.Status.State == s }
}

func isScan(ev DeviceEvent) bool { return ev.Scan != nil }

// ID-01: a camera device fed by the synthetic camera reports the code it
// shows, through the manager, on the UI goroutine.
func TestCameraDeviceReportsScan(t *testing.T) {
	const text = "LC-0001234567"
	opened := make(chan string, 10)
	hw := &Hardware{OpenCamera: func(id string) (hardware.FrameSource, error) {
		opened <- id
		return hardware.NewSynthSource([]string{text}, hardware.SynthOptions{Width: 640, Height: 360, Interval: 20 * time.Millisecond}), nil
	}}
	h := newDevicesHarness(t, hw)
	cam, err := h.devices.Save(h.ui.ctx(), app.Device{Kind: app.DeviceCamera, Name: "Камера", Camera: "video7", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	h.ui.devices.Reload()
	ev := h.waitEvent(t, cam.ID, isScan)
	if ev.Scan.Kind != hardware.KindQR || ev.Scan.Value != text || ev.Scan.Source != "Камера" {
		t.Errorf("scan = %+v, want the QR %q from «Камера»", ev.Scan, text)
	}
	if id := <-opened; id != "video7" {
		t.Errorf("opened camera %q, want video7", id)
	}
	if st, ok := h.ui.devices.Status(cam.ID); !ok || st.State != hardware.StateReady {
		t.Errorf("status while reading = %+v, %v", st, ok)
	}
	// A frame reaches the subscribers too (for the preview).
	h.waitEvent(t, cam.ID, func(ev DeviceEvent) bool { return ev.Frame != nil })
}

// A camera that cannot be opened is a "missing" status with the reason and
// is tried again until it opens; one that panics is a failure, never a
// crash; a keyboard scanner has nothing to run.
func TestRunDeviceRetriesUntilItOpens(t *testing.T) {
	first, maxWait := deviceRetryFirst, deviceRetryMax
	deviceRetryFirst, deviceRetryMax = time.Millisecond, 4*time.Millisecond
	t.Cleanup(func() { deviceRetryFirst, deviceRetryMax = first, maxWait })

	var mu sync.Mutex
	tries := 0
	hw := &Hardware{OpenCamera: func(string) (hardware.FrameSource, error) {
		mu.Lock()
		defer mu.Unlock()
		tries++
		switch tries {
		case 1:
			return nil, errors.New("/dev/video0: no such device")
		case 2:
			panic("driver bug")
		}
		return hardware.NewSynthSource([]string{"LC-7"}, hardware.SynthOptions{Width: 480, Height: 270, Interval: 10 * time.Millisecond}), nil
	}}
	ctx, cancel := context.WithCancel(context.Background())
	statuses := make(chan hardware.Status, 100)
	scans := make(chan hardware.Scan, 100)
	done := make(chan error, 1)
	d := app.Device{ID: "c", Kind: app.DeviceCamera, Name: "Камера", Enabled: true}
	go func() {
		done <- hw.RunDevice(ctx, d, hardware.Sink{
			Status: func(st hardware.Status) { statuses <- st },
			Scan:   func(sc hardware.Scan) { scans <- sc },
		})
	}()
	missing := <-statuses
	if missing.State != hardware.StateMissing || missing.Detail != "/dev/video0: no such device" {
		t.Errorf("first status = %+v, want missing with the reason", missing)
	}
	failed := <-statuses
	if failed.State != hardware.StateFailed || failed.Detail != "internal error: driver bug" {
		t.Errorf("second status = %+v, want the panic as a failure", failed)
	}
	if sc := <-scans; sc.Value != "LC-7" {
		t.Errorf("scan after reopening = %+v", sc)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("RunDevice after ctx ended = %v", err)
	}
	if err := hw.RunDevice(context.Background(), app.Device{Kind: app.DeviceKeyboard}, hardware.Sink{}); err != nil {
		t.Errorf("a keyboard scanner: %v", err)
	}
}

// The manager's state: the keyboard scanner of a fresh install is ready at
// once, Keyboard finds it, Publish reaches subscribers and records a
// status, Testing follows the panels, and a Reload after Stop starts
// nothing.
func TestDeviceManagerState(t *testing.T) {
	h := newDevicesHarness(t, &Hardware{})
	m := h.ui.devices
	kb, ok := m.Keyboard()
	if !ok || kb.ID != app.DefaultKeyboardID || kb.WedgeGapMS != 30 {
		t.Fatalf("Keyboard() = %+v, %v", kb, ok)
	}
	if st, ok := m.Status(kb.ID); !ok || st.State != hardware.StateReady {
		t.Errorf("keyboard status = %+v, %v", st, ok)
	}
	var got []DeviceEvent
	unsub := m.Subscribe(func(ev DeviceEvent) { got = append(got, ev) })
	sc := hardware.Scan{Source: "keyboard", Kind: hardware.KindBarcode, Value: "4600000000008"}
	m.Publish(DeviceEvent{Device: kb, Scan: &sc})
	st := hardware.Status{State: hardware.StateFailed, Detail: "x"}
	m.Publish(DeviceEvent{Device: kb, Status: &st})
	unsub()
	m.Publish(DeviceEvent{Device: kb, Scan: &sc})
	if len(got) != 2 || got[0].Scan == nil || got[0].Scan.Value != sc.Value || got[1].Status == nil {
		t.Errorf("subscriber got %+v", got)
	}
	if now, _ := m.Status(kb.ID); now.State != hardware.StateFailed {
		t.Errorf("a published status is not kept: %+v", now)
	}
	if m.Testing() {
		t.Error("testing before any panel is open")
	}
	m.screen.openTest(kb)
	if !m.Testing() {
		t.Error("not testing with the panel open")
	}
	m.screen.closeTest()
	if m.Testing() {
		t.Error("still testing after the panel closed")
	}

	// After Stop, Reload starts nothing.
	dev, err := h.devices.Save(h.ui.ctx(), app.Device{Kind: app.DeviceCamera, Name: "Камера", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	m.Stop()
	m.Reload()
	if _, ok := m.Status(dev.ID); ok {
		t.Error("a device started after Stop")
	}
}
