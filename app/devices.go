package app

// Devices (ID-05): the readers and cameras this installation listens to.
// They are kept as one JSON setting; they belong to this computer, so a
// chain's sync must leave the setting alone.

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
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
	FieldIdleGap    = "idle_gap" // a serial reader's idle gap that ends a line
	// A serial reader's or keyboard scanner's format is FieldFormat.
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

// The defaults and limits of a device's settings.
const (
	DefaultBaud        = 9600
	DefaultDataBits    = 8
	DefaultIdleGapMS   = 100 // a reader that ends its lines with nothing
	DefaultWedgeGapMS  = 30
	DefaultWedgeMinLen = 4
	MinIdleGapMS       = 10
	MaxIdleGapMS       = 1000
	MinWedgeGapMS      = 5
	MaxWedgeGapMS      = 100
	MinWedgeLen        = 3
	MaxWedgeLen        = 64
	maxDeviceName      = 60
)

// DefaultKeyboardID is the id of the keyboard scanner a fresh installation
// has (it has no name: the screens call it by its kind).
const DefaultKeyboardID = "keyboard"

// The choices of a serial reader's settings, in the order a screen offers them.
var (
	BaudRates   = []int{1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200}
	Parities    = []string{"none", "odd", "even", "mark", "space"}
	StopBitsAll = []string{"1", "1.5", "2"}
	Terminators = []string{"auto", "cr", "lf", "crlf", "idle"}
	// DeviceFormats are the formats a serial reader or keyboard scanner
	// parses with (hardware.Formats as text: app does not import hardware).
	DeviceFormats = []string{"auto", "barcode", "magstripe", "emmarine", "ironlogic"}
)

var usbID = regexp.MustCompile(`^[0-9a-f]{4}:[0-9a-f]{4}$`)

// Devices reads and changes the device settings.
type Devices struct {
	store Store
	clock Clock
}

// NewDevices returns the device settings use cases.
func NewDevices(store Store, clock Clock) *Devices { return &Devices{store: store, clock: clock} }

// defaultDevices is what a fresh installation listens to: the keyboard,
// since a USB scanner that types works without being set up.
func defaultDevices() []Device {
	return []Device{{ID: DefaultKeyboardID, Kind: DeviceKeyboard, Enabled: true,
		Format: "auto", WedgeGapMS: DefaultWedgeGapMS, WedgeMinLen: DefaultWedgeMinLen}}
}

// List returns the devices in the order they were added. A fresh
// installation has one enabled keyboard scanner with the defaults.
func (d *Devices) List(ctx context.Context) ([]Device, error) {
	return readDevices(ctx, d.store)
}

func readDevices(ctx context.Context, r SettingsReader) ([]Device, error) {
	v, ok, err := r.Setting(ctx, SettingDevices)
	if err != nil {
		return nil, fmt.Errorf("read devices: %w", err)
	}
	if !ok || v == "" {
		return defaultDevices(), nil
	}
	var list []Device
	if err := json.Unmarshal([]byte(v), &list); err != nil {
		return nil, fmt.Errorf("read devices: the setting %s is not a device list: %w", SettingDevices, err)
	}
	if list == nil {
		list = []Device{}
	}
	return list, nil
}

// Save validates and stores a device (a new one gets an id) and returns it
// as stored; a bad field gives a *ValidationError naming it.
func (d *Devices) Save(ctx context.Context, dev Device) (Device, error) {
	dev = normalizeDevice(dev)
	now := d.clock.Now()
	err := d.store.Update(ctx, func(tx Tx) error {
		list, err := readDevices(ctx, tx)
		if err != nil {
			return err
		}
		at := -1
		if dev.ID != "" {
			at = slices.IndexFunc(list, func(o Device) bool { return o.ID == dev.ID })
			if at < 0 {
				return fmt.Errorf("device %s: %w", dev.ID, ErrNotFound)
			}
		}
		if err := validateDevice(dev, list); err != nil {
			return err
		}
		action := "device.update"
		if at < 0 {
			dev.ID = NewID()
			list = append(list, dev)
			action = "device.create"
		} else {
			list[at] = dev
		}
		if err := writeDevices(ctx, tx, list, now, d.store.NodeID()); err != nil {
			return err
		}
		b, _ := json.Marshal(dev)
		return tx.AppendAudit(ctx, AuditEntry{
			ID: NewID(), At: now, NodeID: d.store.NodeID(), Actor: ActorOf(ctx),
			Action: action, Entity: "device", EntityID: dev.ID, Details: string(b),
		})
	})
	if err != nil {
		return Device{}, err
	}
	return dev, nil
}

// Delete removes a device.
func (d *Devices) Delete(ctx context.Context, id string) error {
	now := d.clock.Now()
	return d.store.Update(ctx, func(tx Tx) error {
		list, err := readDevices(ctx, tx)
		if err != nil {
			return err
		}
		at := slices.IndexFunc(list, func(o Device) bool { return o.ID == id })
		if at < 0 {
			return fmt.Errorf("device %s: %w", id, ErrNotFound)
		}
		gone := list[at]
		list = slices.Delete(list, at, at+1)
		if err := writeDevices(ctx, tx, list, now, d.store.NodeID()); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, AuditEntry{
			ID: NewID(), At: now, NodeID: d.store.NodeID(), Actor: ActorOf(ctx),
			Action: "device.delete", Entity: "device", EntityID: id,
			Details: jsonObject("name", gone.Name, "kind", string(gone.Kind)),
		})
	})
}

func writeDevices(ctx context.Context, tx Tx, list []Device, now time.Time, node string) error {
	b, err := json.Marshal(list)
	if err != nil {
		return err
	}
	return tx.SetSetting(ctx, SettingDevices, string(b), now, node)
}

// normalizeDevice trims the text, fills the defaults of the device's kind
// and clears the fields of other kinds.
func normalizeDevice(d Device) Device {
	d.Name = cleanText(d.Name)
	d.Kind = DeviceKind(strings.TrimSpace(string(d.Kind)))
	d.Format = strings.ToLower(strings.TrimSpace(d.Format))
	out := Device{ID: d.ID, Kind: d.Kind, Name: d.Name, Enabled: d.Enabled}
	switch d.Kind {
	case DeviceCamera:
		out.Camera = strings.TrimSpace(d.Camera)
	case DeviceSerial:
		out.Port = strings.TrimSpace(d.Port)
		out.USB = strings.ToLower(strings.TrimSpace(d.USB))
		out.Baud = orDefault(d.Baud, DefaultBaud)
		out.DataBits = orDefault(d.DataBits, DefaultDataBits)
		out.Parity = orDefaultText(strings.ToLower(strings.TrimSpace(d.Parity)), "none")
		out.StopBits = orDefaultText(strings.ReplaceAll(strings.TrimSpace(d.StopBits), ",", "."), "1")
		out.Terminator = orDefaultText(strings.ToLower(strings.TrimSpace(d.Terminator)), "auto")
		out.IdleGapMS = orDefault(d.IdleGapMS, DefaultIdleGapMS)
		out.Format = orDefaultText(d.Format, "auto")
	case DeviceKeyboard:
		out.Format = orDefaultText(d.Format, "auto")
		out.WedgeGapMS = orDefault(d.WedgeGapMS, DefaultWedgeGapMS)
		out.WedgeMinLen = orDefault(d.WedgeMinLen, DefaultWedgeMinLen)
	}
	return out
}

func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func orDefaultText(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// validateDevice checks a normalized device against the others in list.
func validateDevice(d Device, list []Device) error {
	var v validation
	switch d.Kind {
	case DeviceCamera, DeviceSerial, DeviceKeyboard:
	default:
		v.add(FieldDeviceKind, ReasonUnknownField, string(d.Kind))
		return v.err()
	}
	switch {
	case d.Name == "" && !(d.Kind == DeviceKeyboard && d.ID == DefaultKeyboardID):
		v.add(FieldName, ReasonRequired, "")
	case len([]rune(d.Name)) > maxDeviceName:
		v.add(FieldName, ReasonTooLong, d.Name)
	case d.Name != "":
		for _, o := range list {
			if o.ID != d.ID && strings.EqualFold(o.Name, d.Name) {
				v.add(FieldName, ReasonTaken, d.Name)
				break
			}
		}
	}
	switch d.Kind {
	case DeviceSerial:
		if d.Port == "" && d.USB == "" {
			v.add(FieldPort, ReasonRequired, "")
		}
		if d.USB != "" && !usbID.MatchString(d.USB) {
			v.add(FieldUSB, ReasonBadValue, d.USB)
		}
		if !slices.Contains(BaudRates, d.Baud) {
			v.add(FieldBaud, ReasonBadValue, strconv.Itoa(d.Baud))
		}
		if d.DataBits < 5 || d.DataBits > 8 {
			v.add(FieldDataBits, ReasonBadValue, strconv.Itoa(d.DataBits))
		}
		if !slices.Contains(Parities, d.Parity) {
			v.add(FieldParity, ReasonBadValue, d.Parity)
		}
		if !slices.Contains(StopBitsAll, d.StopBits) {
			v.add(FieldStopBits, ReasonBadValue, d.StopBits)
		}
		if !slices.Contains(Terminators, d.Terminator) {
			v.add(FieldTerminator, ReasonBadValue, d.Terminator)
		}
		if d.IdleGapMS < MinIdleGapMS || d.IdleGapMS > MaxIdleGapMS {
			v.add(FieldIdleGap, ReasonBadValue, strconv.Itoa(d.IdleGapMS))
		}
		if !slices.Contains(DeviceFormats, d.Format) {
			v.add(FieldFormat, ReasonBadValue, d.Format)
		}
	case DeviceKeyboard:
		if !slices.Contains(DeviceFormats, d.Format) {
			v.add(FieldFormat, ReasonBadValue, d.Format)
		}
		if d.WedgeGapMS < MinWedgeGapMS || d.WedgeGapMS > MaxWedgeGapMS {
			v.add(FieldWedgeGap, ReasonBadValue, strconv.Itoa(d.WedgeGapMS))
		}
		if d.WedgeMinLen < MinWedgeLen || d.WedgeMinLen > MaxWedgeLen {
			v.add(FieldWedgeLen, ReasonBadValue, strconv.Itoa(d.WedgeMinLen))
		}
		// Every keyboard scanner types into the same keyboard: one setting.
		for _, o := range list {
			if o.ID != d.ID && o.Kind == DeviceKeyboard {
				v.add(FieldDeviceKind, ReasonDuplicate, string(d.Kind))
				break
			}
		}
	}
	return v.err()
}
