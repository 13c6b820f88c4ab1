package app_test

// Tests of the device settings (ID-05) over the real SQLite store.

import (
	"errors"
	"reflect"
	"testing"

	"loyaltydesk/app"
	"loyaltydesk/db"
)

func newDevicesEnv(t *testing.T) (*env, *app.Devices) {
	t.Helper()
	e := newEnv(t)
	e.ctx = app.WithActor(e.ctx, "Ольга")
	return e, app.NewDevices(e.store, e.clock)
}

func listDevices(t *testing.T, e *env, d *app.Devices) []app.Device {
	t.Helper()
	list, err := d.List(e.ctx)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	return list
}

// A fresh installation listens to a keyboard scanner with the defaults.
func TestDevicesFreshInstallHasAKeyboardScanner(t *testing.T) {
	e, d := newDevicesEnv(t)
	list := listDevices(t, e, d)
	want := []app.Device{{ID: app.DefaultKeyboardID, Kind: app.DeviceKeyboard, Enabled: true,
		Format: "auto", WedgeGapMS: 30, WedgeMinLen: 4}}
	if !reflect.DeepEqual(list, want) {
		t.Errorf("fresh list = %+v, want %+v", list, want)
	}
	if _, ok, _ := e.store.Setting(e.ctx, app.SettingDevices); ok {
		t.Error("reading the defaults wrote the setting")
	}
}

// A serial reader saved with only its port gets an id and the defaults, and
// the devices survive closing and opening the database file again.
func TestDevicesSaveFillsDefaultsAndSurvivesReopen(t *testing.T) {
	e, d := newDevicesEnv(t)
	saved, err := d.Save(e.ctx, app.Device{Kind: app.DeviceSerial, Name: "  IronLogic   Z-2 ", Enabled: true,
		Port: "/dev/ttyUSB0", USB: "0403:1234", Format: "ironlogic", WedgeGapMS: 50, Camera: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if len(saved.ID) != 36 || saved.ID[14] != '7' {
		t.Errorf("id %q is not a UUIDv7", saved.ID)
	}
	want := app.Device{ID: saved.ID, Kind: app.DeviceSerial, Name: "IronLogic Z-2", Enabled: true,
		Port: "/dev/ttyUSB0", USB: "0403:1234", Baud: 9600, DataBits: 8, Parity: "none", StopBits: "1",
		Terminator: "auto", IdleGapMS: 100, Format: "ironlogic"}
	if !reflect.DeepEqual(saved, want) {
		t.Errorf("saved = %+v\nwant %+v", saved, want)
	}
	cam, err := d.Save(e.ctx, app.Device{Kind: app.DeviceCamera, Name: "Фронтальная камера", Camera: "video0", Enabled: false, Baud: 9600})
	if err != nil {
		t.Fatal(err)
	}
	if cam.Baud != 0 || cam.Camera != "video0" {
		t.Errorf("camera kept another kind's field or lost its own: %+v", cam)
	}
	before := listDevices(t, e, d)
	if len(before) != 3 || before[0].ID != app.DefaultKeyboardID || before[1].ID != saved.ID || before[2].ID != cam.ID {
		t.Fatalf("list after two saves = %+v", before)
	}

	if err := e.store.Close(); err != nil {
		t.Fatal(err)
	}
	store, err := db.Open(e.ctx, e.path, db.Options{Clock: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	e.store = store // closed by newEnv's cleanup
	after := listDevices(t, e, app.NewDevices(store, e.clock))
	if !reflect.DeepEqual(before, after) {
		t.Errorf("after reopening:\n got %+v\nwant %+v", after, before)
	}
}

// Every bad field is named, and a refused device changes nothing.
func TestDevicesSaveValidates(t *testing.T) {
	e, d := newDevicesEnv(t)
	if _, err := d.Save(e.ctx, app.Device{Kind: app.DeviceSerial, Name: "Считыватель", Port: "/dev/ttyS0"}); err != nil {
		t.Fatal(err)
	}
	serial := func(f func(*app.Device)) app.Device {
		dev := app.Device{Kind: app.DeviceSerial, Name: "Касса 2", Port: "/dev/ttyUSB1"}
		f(&dev)
		return dev
	}
	cases := []struct {
		name   string
		dev    app.Device
		field  string
		reason string
	}{
		{"unknown kind", app.Device{Kind: "printer", Name: "A"}, app.FieldDeviceKind, app.ReasonUnknownField},
		{"no name", serial(func(d *app.Device) { d.Name = "  " }), app.FieldName, app.ReasonRequired},
		{"name taken in another case", serial(func(d *app.Device) { d.Name = "считыватель" }), app.FieldName, app.ReasonTaken},
		{"no port nor usb", serial(func(d *app.Device) { d.Port = "" }), app.FieldPort, app.ReasonRequired},
		{"usb not hex", serial(func(d *app.Device) { d.USB = "0403:12G4" }), app.FieldUSB, app.ReasonBadValue},
		{"usb without colon", serial(func(d *app.Device) { d.USB = "04031234" }), app.FieldUSB, app.ReasonBadValue},
		{"odd baud", serial(func(d *app.Device) { d.Baud = 12345 }), app.FieldBaud, app.ReasonBadValue},
		{"data bits", serial(func(d *app.Device) { d.DataBits = 9 }), app.FieldDataBits, app.ReasonBadValue},
		{"parity", serial(func(d *app.Device) { d.Parity = "both" }), app.FieldParity, app.ReasonBadValue},
		{"stop bits", serial(func(d *app.Device) { d.StopBits = "3" }), app.FieldStopBits, app.ReasonBadValue},
		{"terminator", serial(func(d *app.Device) { d.Terminator = "tab" }), app.FieldTerminator, app.ReasonBadValue},
		{"idle gap short", serial(func(d *app.Device) { d.IdleGapMS = 9 }), app.FieldIdleGap, app.ReasonBadValue},
		{"idle gap long", serial(func(d *app.Device) { d.IdleGapMS = 1001 }), app.FieldIdleGap, app.ReasonBadValue},
		{"format", serial(func(d *app.Device) { d.Format = "qr" }), app.FieldFormat, app.ReasonBadValue},
		{"wedge gap", app.Device{Kind: app.DeviceKeyboard, Name: "K", WedgeGapMS: 101}, app.FieldWedgeGap, app.ReasonBadValue},
		{"wedge gap short", app.Device{Kind: app.DeviceKeyboard, Name: "K", WedgeGapMS: 4}, app.FieldWedgeGap, app.ReasonBadValue},
		{"wedge length", app.Device{Kind: app.DeviceKeyboard, Name: "K", WedgeMinLen: 2}, app.FieldWedgeLen, app.ReasonBadValue},
		{"second keyboard", app.Device{Kind: app.DeviceKeyboard, Name: "K"}, app.FieldDeviceKind, app.ReasonDuplicate},
	}
	before := listDevices(t, e, d)
	for _, c := range cases {
		_, err := d.Save(e.ctx, c.dev)
		var ve *app.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: err = %v, want a validation error", c.name, err)
			continue
		}
		fe, ok := ve.Field(c.field)
		if !ok || fe.Reason != c.reason {
			t.Errorf("%s: %v, want %s %s", c.name, ve, c.field, c.reason)
		}
	}
	if after := listDevices(t, e, d); !reflect.DeepEqual(before, after) {
		t.Errorf("refused saves changed the list:\n got %+v\nwant %+v", after, before)
	}
	// The edges of the ranges are accepted; the USB id is kept in lower case.
	ok := serial(func(d *app.Device) {
		d.Baud, d.DataBits, d.Parity, d.StopBits, d.Terminator, d.IdleGapMS = 115200, 5, "space", "1,5", "idle", 1000
		d.USB, d.Port = "0403:ABCD", ""
	})
	got, err := d.Save(e.ctx, ok)
	if err != nil {
		t.Fatal(err)
	}
	if got.USB != "0403:abcd" || got.StopBits != "1.5" || got.IdleGapMS != 1000 {
		t.Errorf("saved %+v", got)
	}
}

// Editing keeps the id and the place in the list; deleting removes the
// device (the default keyboard too, which then stays away); both are audited.
func TestDevicesEditDeleteAudited(t *testing.T) {
	e, d := newDevicesEnv(t)
	cam, err := d.Save(e.ctx, app.Device{Kind: app.DeviceCamera, Name: "Камера", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	cam.Name = "Камера у кассы"
	cam.Enabled = false
	edited, err := d.Save(e.ctx, cam)
	if err != nil {
		t.Fatal(err)
	}
	if edited.ID != cam.ID {
		t.Errorf("an edit changed the id: %s → %s", cam.ID, edited.ID)
	}
	list := listDevices(t, e, d)
	if len(list) != 2 || list[1] != edited {
		t.Errorf("list after an edit = %+v", list)
	}
	if _, err := d.Save(e.ctx, app.Device{ID: "gone", Kind: app.DeviceCamera, Name: "X"}); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("saving an unknown id: %v, want not found", err)
	}
	if err := d.Delete(e.ctx, app.DefaultKeyboardID); err != nil {
		t.Fatal(err)
	}
	if err := d.Delete(e.ctx, app.DefaultKeyboardID); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("deleting twice: %v, want not found", err)
	}
	if list := listDevices(t, e, d); len(list) != 1 || list[0].ID != cam.ID {
		t.Errorf("after deleting the keyboard: %+v", list)
	}
	if err := d.Delete(e.ctx, cam.ID); err != nil {
		t.Fatal(err)
	}
	if list := listDevices(t, e, d); len(list) != 0 {
		t.Errorf("after deleting everything the defaults came back: %+v", list)
	}
	entries, err := e.store.AuditOf(e.ctx, "device", cam.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, en := range entries {
		actions = append(actions, en.Action)
		if en.Actor != "Ольга" {
			t.Errorf("%s by %q", en.Action, en.Actor)
		}
	}
	if len(actions) != 3 {
		t.Errorf("audit of the camera = %v, want create, update and delete", actions)
	}
}
