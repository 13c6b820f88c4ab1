package ui

// The devices side of the UI (issue 7): the device settings service, the
// hardware the program opens, and running one configured device.
//
// API agreed before it is built (helper C fills RunDevice and the mapping).

import (
	"context"
	"errors"
	"image"

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
type Hardware struct {
	Cameras    func() ([]hardware.Camera, error)
	OpenCamera func(id string) (hardware.FrameSource, error)
	Ports      func() ([]hardware.Port, error)
}

// RunDevice runs one configured device until ctx ends, reporting to sink.
// A keyboard scanner has nothing to open: it returns nil at once (the till
// feeds its keys to hardware.DetectWedge).
func (h *Hardware) RunDevice(ctx context.Context, d app.Device, sink hardware.Sink) error {
	return errors.New("not built yet")
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
}

// Subscribe calls f with every event from now on; the returned function
// stops that.
func (m *deviceManager) Subscribe(f func(DeviceEvent)) (unsubscribe func()) { return func() {} }

// Publish passes an event to the subscribers (the till publishes the scans
// it detects from a keyboard scanner).
func (m *deviceManager) Publish(ev DeviceEvent) {}

// Reload reads the device settings again and restarts the devices (after
// the settings screen saved or removed one); it does not block.
func (m *deviceManager) Reload() {}

// Status returns a device's newest status.
func (m *deviceManager) Status(id string) (hardware.Status, bool) { return hardware.Status{}, false }

// Keyboard returns the enabled keyboard scanner's settings, if any.
func (m *deviceManager) Keyboard() (app.Device, bool) { return app.Device{}, false }

// Stop stops every device and waits for them.
func (m *deviceManager) Stop() {}
