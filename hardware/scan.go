package hardware

import (
	"errors"
	"image"
	"time"
)

// Kind says what sort of identifier a scan carries.
type Kind string

// The kinds of identifier.
const (
	KindQR        Kind = "qr"        // a QR code read by the camera
	KindBarcode   Kind = "barcode"   // a plain barcode (or a QR code from a 2D reader)
	KindMagstripe Kind = "magstripe" // a magnetic stripe's track
	KindEMMarine  Kind = "emmarine"  // a 125 kHz EM-Marine RFID card
)

// Scan is one identifier read by a device: the one event every device emits.
type Scan struct {
	// Source names the device: "camera", a serial port's path, "keyboard".
	Source string `json:"source"`
	Kind   Kind   `json:"kind"`
	// Value is the canonical identifier to look up (for EM-Marine the 40-bit
	// id as 10 upper-case hex digits).
	Value string `json:"value"`
	// Alt are secondary values to look up when Value is not known (for
	// EM-Marine the Wiegand-26 pair "fac,num" printed on many cards).
	Alt []string `json:"alt,omitempty"`
	// Raw is what the device sent for this scan (the framed line, the
	// decoded text). It is empty for a refused bank card.
	Raw []byte    `json:"raw,omitempty"`
	At  time.Time `json:"at"`
}

// Format is how the lines of a serial reader (or a keyboard wedge's bursts)
// are parsed.
type Format string

// The formats.
const (
	FormatAuto      Format = "auto"      // guess from the text
	FormatBarcode   Format = "barcode"   // the text as it is
	FormatMagstripe Format = "magstripe" // tracks 1–3
	FormatEMMarine  Format = "emmarine"  // an EM-Marine id in any representation
	FormatIronLogic Format = "ironlogic" // IronLogic Z-2 lines: "Em-Marine[5500] 126,58404", "No card"
)

// Formats lists the formats in the order a settings screen offers them.
var Formats = []Format{FormatAuto, FormatBarcode, FormatMagstripe, FormatEMMarine, FormatIronLogic}

// Parsed is what a parser made of one line.
type Parsed struct {
	Kind  Kind
	Value string
	Alt   []string
}

// Errors of the parsers. A line that gives ErrBankCard must not be stored,
// logged or shown: only the fact that a bank card was refused.
var (
	ErrBankCard     = errors.New("a bank card was refused")
	ErrNoCard       = errors.New("no card") // a reader's idle line, not a scan
	ErrUnrecognized = errors.New("not an identifier")
)

// State is a device's state as a settings screen or the till shows it.
type State string

// The states.
const (
	StateStarting State = "starting"
	StateReady    State = "ready"   // open and listening
	StateMissing  State = "missing" // not plugged in / not found; retried with backoff
	StateFailed   State = "failed"  // opened, then failed; retried with backoff
	StateStopped  State = "stopped"
)

// Status is a device's state with a detail for people (an OS error text).
type Status struct {
	Source string
	State  State
	Detail string
	At     time.Time
}

// Sink receives what a running device produces. Any field may be nil. The
// functions are called from the device's goroutine: a UI must hop to its own.
type Sink struct {
	// Scan gets each identifier read.
	Scan func(Scan)
	// Raw gets each framed line as received, before parsing, for a "test
	// scan" panel; a line refused as a bank card arrives as nil data with
	// err ErrBankCard, so it is never shown.
	Raw func(source string, data []byte, err error)
	// Status gets every change of the device's state.
	Status func(Status)
	// Frame gets camera frames for a preview, at most a few per second.
	Frame func(source string, img image.Image)
}

func (s Sink) scan(sc Scan) {
	if s.Scan != nil {
		s.Scan(sc)
	}
}

func (s Sink) raw(source string, data []byte, err error) {
	if s.Raw != nil {
		s.Raw(source, data, err)
	}
}

func (s Sink) status(st Status) {
	if s.Status != nil {
		s.Status(st)
	}
}

func (s Sink) frame(source string, img image.Image) {
	if s.Frame != nil {
		s.Frame(source, img)
	}
}
