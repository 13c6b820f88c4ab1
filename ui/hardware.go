package ui

// The devices side of the UI (issue 7): the device settings service, the
// hardware the program opens, and running one configured device.
//
// API agreed before it is built (helper C fills RunDevice and the mapping).

import (
	"context"
	"errors"

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
