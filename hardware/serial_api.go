package hardware

// API of the serial, parser and keyboard-wedge side, agreed before it is
// built (helper B replaces the bodies; the signatures stay).

import (
	"context"
	"time"
)

// SerialConfig describes a serial reader.
type SerialConfig struct {
	Source     string // the name scans carry ("" means Port)
	Port       string // path: /dev/ttyUSB0, COM3, a pty
	USB        string // "0403:1234": find the port again by VID:PID when Port is gone
	Baud       int    // 9600 when 0
	DataBits   int    // 8 when 0
	Parity     string // none, odd, even, mark, space ("" none)
	StopBits   string // 1, 1.5, 2 ("" 1)
	Terminator string // auto (CR, LF or CRLF), cr, lf, crlf, idle
	IdleGap    time.Duration
	Format     Format
}

// Port is a serial port the system lists (ptys are not listed).
type Port struct {
	Path    string
	VID     string
	PID     string
	Serial  string
	Product string
}

// Ports lists the serial ports.
func Ports() ([]Port, error) { return nil, errNotBuilt }

// RunSerial keeps the reader open until ctx ends: it frames lines, parses
// them with cfg.Format, reports scans, raw lines and status to sink, and
// reopens with backoff after an unplug (finding the port again by USB).
func RunSerial(ctx context.Context, cfg SerialConfig, sink Sink) error { return errNotBuilt }

// ParseLine parses one framed line in format f.
func ParseLine(f Format, line string) (Parsed, error) { return Parsed{}, errNotBuilt }

// Key is one key typed, with the time it arrived.
type Key struct {
	R  rune
	At time.Time
}

// WedgeOptions tell a scanner's burst from a person's typing.
type WedgeOptions struct {
	MaxGap time.Duration // the longest gap inside a burst (default 30 ms)
	MinLen int           // the shortest burst (default 4)
}

// DetectWedge is the keyboard-wedge detector as a pure function: keys are
// what was typed up to an Enter at end; it returns the trailing burst's
// text (translated from the Russian layout when typed under it) and how
// many of the keys it took, or ok false when the tail was typed by a person.
func DetectWedge(keys []Key, end time.Time, opt WedgeOptions) (text string, n int, ok bool) {
	return "", 0, false
}

// FromRussianLayout turns what a scanner typed under the Russian layout
// back into what it meant under the US one (ж1234=5678, → ;1234=5678?).
func FromRussianLayout(s string) string { return s }
