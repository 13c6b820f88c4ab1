package app

// Devices (ID-05): the readers and cameras this installation listens to.
// They are kept as one JSON setting; they belong to this computer, so a
// chain's sync must leave the setting alone.
//
// API agreed before it is built (helper C fills the bodies and the tests).

import (
	"context"
	"errors"
)

// DeviceKind is the sort of a device.
type DeviceKind string

// The kinds of device.
const (
	DeviceCamera   DeviceKind = "camera"   // a webcam reading QR codes
	DeviceSerial   DeviceKind = "serial"   // a barcode, magstripe or RFID reader on a (USB-)serial port
	DeviceKeyboard DeviceKind = "keyboard" // a USB scanner that types like a keyboard
)

// SettingDevices keeps the devices as JSON.
const SettingDevices = "hardware.devices"

// Field names of a device's settings.
const (
	FieldDevice     = "device" // which device (Item names it)
	FieldDeviceKind = "device_kind"
	FieldCamera     = "camera"
	FieldPort       = "port"
	FieldUSB        = "usb_id"
	FieldBaud       = "baud"
	FieldDataBits   = "data_bits"
	FieldParity     = "parity"
	FieldStopBits   = "stop_bits"
	FieldTerminator = "terminator"
	FieldWedgeGap   = "wedge_gap"
	FieldWedgeLen   = "wedge_min_len"
)

// Device is one configured reader or camera.
type Device struct {
	ID      string     `json:"id"`
	Kind    DeviceKind `json:"kind"`
	Name    string     `json:"name"` // what people call it ("Front camera")
	Enabled bool       `json:"enabled"`

	// A camera.
	Camera string `json:"camera,omitempty"` // the camera's id ("" the first one)

	// A serial reader.
	Port       string `json:"port,omitempty"` // /dev/ttyUSB0, COM3, or a typed path
	USB        string `json:"usb,omitempty"`  // VID:PID to find the port again ("0403:1234")
	Baud       int    `json:"baud,omitempty"`
	DataBits   int    `json:"data_bits,omitempty"`
	Parity     string `json:"parity,omitempty"`     // none, odd, even, mark, space
	StopBits   string `json:"stop_bits,omitempty"`  // 1, 1.5, 2
	Terminator string `json:"terminator,omitempty"` // auto, cr, lf, crlf, idle
	IdleGapMS  int    `json:"idle_gap_ms,omitempty"`

	// A serial reader or a keyboard scanner: how its lines are parsed
	// (auto, barcode, magstripe, emmarine, ironlogic).
	Format string `json:"format,omitempty"`

	// A keyboard scanner: the longest gap between its keys and the
	// shortest code, which tell it from a person typing.
	WedgeGapMS  int `json:"wedge_gap_ms,omitempty"`
	WedgeMinLen int `json:"wedge_min_len,omitempty"`
}

// Devices reads and changes the device settings.
type Devices struct {
	store Store
	clock Clock
}

// NewDevices returns the device settings use cases.
func NewDevices(store Store, clock Clock) *Devices { return &Devices{store: store, clock: clock} }

var errDevicesNotBuilt = errors.New("not built yet")

// List returns the devices in the order they were added. A fresh
// installation has one enabled keyboard scanner with the defaults.
func (d *Devices) List(ctx context.Context) ([]Device, error) { return nil, errDevicesNotBuilt }

// Save validates and stores a device (a new one gets an id) and returns it
// as stored; a bad field gives a *ValidationError naming it.
func (d *Devices) Save(ctx context.Context, dev Device) (Device, error) {
	return Device{}, errDevicesNotBuilt
}

// Delete removes a device.
func (d *Devices) Delete(ctx context.Context, id string) error { return errDevicesNotBuilt }
