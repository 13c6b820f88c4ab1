package ui

// The devices side of the UI (issue 7): the device settings service, the
// hardware the program opens, running one configured device, and the
// manager that runs them all and hands their events to the screens.

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io/fs"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"loyaltydesk/app"
	"loyaltydesk/hardware"
)

// DeviceService is the device settings (ID-05); app.Devices implements it.
type DeviceService interface {
	List(ctx context.Context) ([]app.Device, error)
	Save(ctx context.Context, d app.Device) (app.Device, error)
	Delete(ctx context.Context, id string) error
}

// Hardware opens the devices. main passes the real ones; tests and
// screenshots pass fake cameras (serial tests use real pseudo-terminals).
// A nil function means the real one of package hardware.
type Hardware struct {
	Cameras    func() ([]hardware.Camera, error)
	OpenCamera func(id string) (hardware.FrameSource, error)
	Ports      func() ([]hardware.Port, error)
}

// The backoff between attempts to open a device that is missing or failed:
// it doubles from the first to the last.
var (
	deviceRetryFirst = 500 * time.Millisecond
	deviceRetryMax   = 30 * time.Second
)

// RunDevice runs one configured device until ctx ends, reporting to sink.
// A keyboard scanner has nothing to open: it returns nil at once (the till
// feeds its keys to hardware.DetectWedge).
//
// A device that cannot be opened, or stops, is reported as a status
// (StateMissing when it is not there, StateFailed otherwise, with the OS's
// words in Detail) and tried again with backoff until ctx ends: RunDevice
// returns only then, and never panics.
func (h *Hardware) RunDevice(ctx context.Context, d app.Device, sink hardware.Sink) error {
	switch d.Kind {
	case app.DeviceKeyboard:
		return nil
	case app.DeviceSerial:
		cfg := serialConfig(d)
		return h.keepRunning(ctx, d, sink, func() error { return hardware.RunSerial(ctx, cfg, sink) })
	case app.DeviceCamera:
		return h.keepRunning(ctx, d, sink, func() error {
			src, err := h.openCamera(d.Camera)
			if err != nil {
				return &openError{err}
			}
			if src == nil {
				return &openError{errors.New("no camera")}
			}
			return hardware.RunCamera(ctx, d.Name, src, sink, hardware.CameraOptions{})
		})
	}
	return fmt.Errorf("device %s: unknown kind %q", d.Name, d.Kind)
}

// serialConfig is a serial reader's settings as package hardware takes them.
func serialConfig(d app.Device) hardware.SerialConfig {
	return hardware.SerialConfig{
		Source:     d.Name,
		Port:       d.Port,
		USB:        d.USB,
		Baud:       d.Baud,
		DataBits:   d.DataBits,
		Parity:     d.Parity,
		StopBits:   d.StopBits,
		Terminator: d.Terminator,
		IdleGap:    time.Duration(d.IdleGapMS) * time.Millisecond,
		Format:     hardware.Format(d.Format),
	}
}

// openError is a device that could not be opened: it is missing.
type openError struct{ err error }

func (e *openError) Error() string { return e.err.Error() }
func (e *openError) Unwrap() error { return e.err }

// keepRunning calls run again and again until ctx ends, with a status and a
// growing pause after each failure.
func (h *Hardware) keepRunning(ctx context.Context, d app.Device, sink hardware.Sink, run func() error) error {
	wait := deviceRetryFirst
	for {
		started := time.Now()
		err := safeRun(run)
		if ctx.Err() != nil {
			return nil
		}
		st := hardware.Status{Source: d.Name, State: hardware.StateFailed, At: time.Now()}
		var oe *openError
		switch {
		case err == nil:
			st.Detail = "the device stopped"
		case errors.As(err, &oe), errors.Is(err, fs.ErrNotExist):
			st.State, st.Detail = hardware.StateMissing, err.Error()
		default:
			st.Detail = err.Error()
		}
		if sink.Status != nil {
			sink.Status(st)
		}
		if time.Since(started) > deviceRetryMax {
			wait = deviceRetryFirst // it ran a good while: start the backoff again
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		wait = min(wait*2, deviceRetryMax)
	}
}

// safeRun turns a panic of run into an error.
func safeRun(run func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			slog.Error("device panicked", "panic", r)
			err = fmt.Errorf("internal error: %v", r)
		}
	}()
	return run()
}

func (h *Hardware) openCamera(id string) (hardware.FrameSource, error) {
	if h.OpenCamera != nil {
		return h.OpenCamera(id)
	}
	return hardware.OpenCamera(id)
}

func (h *Hardware) cameras() ([]hardware.Camera, error) {
	if h.Cameras != nil {
		return h.Cameras()
	}
	return hardware.Cameras()
}

func (h *Hardware) ports() ([]hardware.Port, error) {
	if h.Ports != nil {
		return h.Ports()
	}
	return hardware.Ports()
}

// DeviceEvent is one thing a running device reported, delivered on the UI
// goroutine. Exactly one of Scan, Raw/RawErr, Status, Frame is set.
type DeviceEvent struct {
	Device app.Device
	Scan   *hardware.Scan
	// Raw is a framed line as received (for the test panel); RawErr
	// hardware.ErrBankCard means a refused bank card, whose bytes are never
	// passed on.
	Raw    []byte
	RawErr error
	Status *hardware.Status
	Frame  image.Image
}

// deviceManager runs the enabled devices (all at once, each in its own
// goroutine, until Stop) and fans their events out to subscribers on the
// UI goroutine. A device that cannot open shows as a status, never a crash.
type deviceManager struct {
	u *UI
	// do runs f on the UI goroutine without waiting (fyne.Do; tests queue
	// it to their own loop).
	do func(f func())
	// screen is the Devices tab (devices.go).
	screen *devicesScreen

	// reload serializes Reload and Stop.
	reload sync.Mutex

	mu       sync.Mutex
	subs     []deviceSub
	nextSub  int
	devices  []app.Device // as last read, in order
	statuses map[string]hardware.Status
	cancel   context.CancelFunc
	running  sync.WaitGroup
	stopped  bool

	// panels counts the open test-scan panels (Testing).
	panels atomic.Int32
}

type deviceSub struct {
	id int
	f  func(DeviceEvent)
}

func newDeviceManager(u *UI) *deviceManager {
	return &deviceManager{u: u, do: fyne.Do, statuses: map[string]hardware.Status{}}
}

// Subscribe calls f with every event from now on; the returned function
// stops that.
func (m *deviceManager) Subscribe(f func(DeviceEvent)) (unsubscribe func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.nextSub++
	id := m.nextSub
	m.subs = append(m.subs, deviceSub{id: id, f: f})
	return func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		for i, s := range m.subs {
			if s.id == id {
				m.subs = append(m.subs[:i:i], m.subs[i+1:]...)
				return
			}
		}
	}
}

// Publish passes an event to the subscribers (the till publishes the scans
// it detects from a keyboard scanner). Call it on the UI goroutine: the
// subscribers are called before it returns.
func (m *deviceManager) Publish(ev DeviceEvent) {
	if ev.Status != nil {
		m.setStatus(ev.Device.ID, *ev.Status)
	}
	m.deliver(ev)
}

// deliver calls the subscribers on the UI goroutine.
func (m *deviceManager) deliver(ev DeviceEvent) {
	m.mu.Lock()
	subs := append([]deviceSub(nil), m.subs...)
	m.mu.Unlock()
	for _, s := range subs {
		s.f(ev)
	}
}

// emit hands an event from a device's goroutine to the UI goroutine.
func (m *deviceManager) emit(ev DeviceEvent) { m.do(func() { m.deliver(ev) }) }

func (m *deviceManager) setStatus(id string, st hardware.Status) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.statuses[id] = st
}

// Reload reads the device settings again and restarts the devices (after
// the settings screen saved or removed one); it does not block.
func (m *deviceManager) Reload() { m.u.async(m.restart) }

// restart stops the devices, waits for them, reads the settings and starts
// the enabled ones; it blocks, so it runs off the UI goroutine.
func (m *deviceManager) restart() {
	m.reload.Lock()
	defer m.reload.Unlock()
	m.halt()
	list, err := m.u.deps.Devices.List(context.Background())
	if err != nil {
		slog.Error("read the device settings", "err", err)
		return
	}
	m.start(list)
}

// start runs the enabled devices of list, unless Stop came first.
func (m *deviceManager) start(list []app.Device) {
	for _, ev := range m.launch(list) {
		m.emit(ev)
	}
}

// launch starts the goroutines of start and returns the first states to
// hand out (once the lock is released: fyne.Do may run them at once).
func (m *deviceManager) launch(list []app.Device) []DeviceEvent {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stopped {
		return nil
	}
	m.devices = list
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	statuses := map[string]hardware.Status{}
	now := time.Now()
	var first []DeviceEvent
	for _, d := range list {
		st := hardware.Status{Source: d.Name, State: hardware.StateStarting, At: now}
		switch {
		case !d.Enabled:
			st.State = hardware.StateStopped
		case d.Kind == app.DeviceKeyboard:
			// Nothing to open: its keys come to the till.
			st.State = hardware.StateReady
		default:
			m.running.Add(1)
			go m.runDevice(ctx, d)
		}
		statuses[d.ID] = st
		first = append(first, DeviceEvent{Device: d, Status: &st})
	}
	m.statuses = statuses
	return first
}

// runDevice runs one device on its own goroutine until ctx ends.
func (m *deviceManager) runDevice(ctx context.Context, d app.Device) {
	defer m.running.Done()
	sink := hardware.Sink{
		Scan: func(sc hardware.Scan) { m.emit(DeviceEvent{Device: d, Scan: &sc}) },
		Raw: func(_ string, data []byte, err error) {
			if errors.Is(err, hardware.ErrBankCard) {
				data = nil // never shown, never kept
			}
			m.emit(DeviceEvent{Device: d, Raw: append([]byte(nil), data...), RawErr: err})
		},
		Status: func(st hardware.Status) {
			m.setStatus(d.ID, st)
			m.emit(DeviceEvent{Device: d, Status: &st})
		},
		Frame: func(_ string, img image.Image) { m.emit(DeviceEvent{Device: d, Frame: img}) },
	}
	err := safeRun(func() error { return m.u.deps.Hardware.RunDevice(ctx, d, sink) })
	if err != nil && ctx.Err() == nil {
		slog.Error("device", "name", d.Name, "err", err)
		st := hardware.Status{Source: d.Name, State: hardware.StateFailed, Detail: err.Error(), At: time.Now()}
		m.setStatus(d.ID, st)
		m.emit(DeviceEvent{Device: d, Status: &st})
	}
}

// halt cancels the running devices and waits for them.
func (m *deviceManager) halt() {
	m.mu.Lock()
	cancel := m.cancel
	m.cancel = nil
	m.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	m.running.Wait()
}

// Status returns a device's newest status.
func (m *deviceManager) Status(id string) (hardware.Status, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st, ok := m.statuses[id]
	return st, ok
}

// Keyboard returns the enabled keyboard scanner's settings, if any.
func (m *deviceManager) Keyboard() (app.Device, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, d := range m.devices {
		if d.Enabled && d.Kind == app.DeviceKeyboard {
			return d, true
		}
	}
	return app.Device{}, false
}

// Testing reports whether a test-scan panel is open on the Devices tab.
// While it is, scans are for the test: the till must not identify guests
// by them (the events are still delivered).
func (m *deviceManager) Testing() bool { return m.panels.Load() > 0 }

// setTesting counts a test-scan panel opening (on) or closing.
func (m *deviceManager) setTesting(on bool) {
	if on {
		m.panels.Add(1)
	} else {
		m.panels.Add(-1)
	}
}

// Stop stops every device and waits for them; Reload does nothing after it.
func (m *deviceManager) Stop() {
	m.mu.Lock()
	m.stopped = true
	m.mu.Unlock()
	m.halt()
}
