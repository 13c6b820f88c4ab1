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
