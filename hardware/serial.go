package hardware

// The serial reader supervisor (ID-02, ID-05): open a port with
// go.bug.st/serial, frame its lines, parse them, and reopen with backoff
// after an unplug.

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"go.bug.st/serial"
	"go.bug.st/serial/enumerator"
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

// The backoff between attempts to open a port: it doubles from the first to
// the last.
const (
	serialRetryFirst = 200 * time.Millisecond
	serialRetryMax   = 5 * time.Second
)

// DefaultIdleGap ends a line of a reader that sends no terminator.
const DefaultIdleGap = 50 * time.Millisecond

// maxFrame is the longest line the framer holds before it passes it on.
const maxFrame = 4 * MaxLineLen

// Ports lists the serial ports with their USB identity (VID, PID, serial
// number, product) where the system knows it.
func Ports() ([]Port, error) {
	list, err := enumerator.GetDetailedPortsList()
	if err != nil {
		return nil, err
	}
	ports := make([]Port, 0, len(list))
	for _, p := range list {
		ports = append(ports, Port{
			Path:    p.Name,
			VID:     strings.ToUpper(p.VID),
			PID:     strings.ToUpper(p.PID),
			Serial:  p.SerialNumber,
			Product: p.Product,
		})
	}
	return ports, nil
}

// portByUSB returns the path of the first port whose VID:PID is usb
// ("0403:1234", any case).
func portByUSB(ports []Port, usb string) (string, bool) {
	vid, pid, ok := strings.Cut(strings.TrimSpace(usb), ":")
	if !ok || vid == "" || pid == "" {
		return "", false
	}
	for _, p := range ports {
		if strings.EqualFold(p.VID, vid) && strings.EqualFold(p.PID, pid) {
			return p.Path, true
		}
	}
	return "", false
}

// mode is cfg's line settings as go.bug.st/serial takes them.
func (cfg SerialConfig) mode() (*serial.Mode, error) {
	m := &serial.Mode{BaudRate: cfg.Baud, DataBits: cfg.DataBits}
	if m.BaudRate == 0 {
		m.BaudRate = 9600
	}
	if m.DataBits == 0 {
		m.DataBits = 8
	}
	if m.BaudRate < 0 || m.DataBits < 5 || m.DataBits > 8 {
		return nil, fmt.Errorf("serial: bad baud rate %d or data bits %d", cfg.Baud, cfg.DataBits)
	}
	switch strings.ToLower(cfg.Parity) {
	case "", "none", "n":
		m.Parity = serial.NoParity
	case "odd", "o":
		m.Parity = serial.OddParity
	case "even", "e":
		m.Parity = serial.EvenParity
	case "mark", "m":
		m.Parity = serial.MarkParity
	case "space", "s":
		m.Parity = serial.SpaceParity
	default:
		return nil, fmt.Errorf("serial: unknown parity %q", cfg.Parity)
	}
	switch cfg.StopBits {
	case "", "1":
		m.StopBits = serial.OneStopBit
	case "1.5":
		m.StopBits = serial.OnePointFiveStopBits
	case "2":
		m.StopBits = serial.TwoStopBits
	default:
		return nil, fmt.Errorf("serial: unknown stop bits %q", cfg.StopBits)
	}
	return m, nil
}

// RunSerial keeps the reader open until ctx ends: it frames lines, parses
// them with cfg.Format, reports scans, raw lines and status to sink, and
// reopens with backoff after an unplug (finding the port again by USB).
//
// Lines end as cfg.Terminator says: "auto" (or "") at CR, LF or CRLF (an
// empty line is never passed on, so CRLF gives one line), "cr", "lf",
// "crlf", or "idle": no terminator, a line ends when the reader has been
// quiet for cfg.IdleGap (50 ms when 0). With a terminator, bytes left
// without one for ten idle gaps are passed on as a line too (a reader set
// up wrong still shows something in the test panel).
//
// Each line goes to sink.Raw with its parse error (nil when it parsed); a
// bank card's line goes as nil data with ErrBankCard and is neither
// scanned, logged nor kept (its bytes are wiped from the buffers). Parsed
// lines become Scans (Source is cfg.Source, or the port, or "usb VID:PID").
// ErrNoCard and unrecognized lines are not scans.
//
// Status: StateStarting, then StateReady when open; StateMissing while the
// port is not there, StateFailed when it cannot be opened or fails while
// open (an unplug); then it is opened again after 200 ms, doubling to 5 s,
// and when cfg.Port is gone and cfg.USB is set, the port with that VID:PID
// is looked for instead. StateStopped when ctx ends; RunSerial then returns
// nil. It returns an error at once only for settings that can never work
// (an unknown parity, stop bits, terminator or format).
//
// A pseudo-terminal takes all the settings go.bug.st/serial makes on Linux
// (raw mode, speed, parity); were one refused, the open fails with the OS's
// words as StateFailed and is retried, never skipped.
func RunSerial(ctx context.Context, cfg SerialConfig, sink Sink) error {
	mode, err := cfg.mode()
	if err != nil {
		return err
	}
	term := strings.ToLower(cfg.Terminator)
	switch term {
	case "":
		term = "auto"
	case "auto", "cr", "lf", "crlf", "idle":
	default:
		return fmt.Errorf("serial: unknown terminator %q", cfg.Terminator)
	}
	if cfg.Format == "" {
		cfg.Format = FormatAuto
	}
	if !contains(formatNames(), string(cfg.Format)) {
		return fmt.Errorf("serial: unknown format %q", cfg.Format)
	}
	if cfg.IdleGap <= 0 {
		cfg.IdleGap = DefaultIdleGap
	}
	r := &serialRun{cfg: cfg, term: term, sink: sink, source: cfg.Source}
	if r.source == "" {
		r.source = cfg.Port
	}
	if r.source == "" {
		r.source = "usb " + cfg.USB
	}
	r.setStatus(StateStarting, "")
	wait := serialRetryFirst
	for ctx.Err() == nil {
		port, path, err := r.open(mode)
		if err != nil {
			if portMissing(err) {
				r.setStatus(StateMissing, err.Error())
			} else {
				r.setStatus(StateFailed, err.Error())
			}
		} else {
			r.setStatus(StateReady, path)
			wait = serialRetryFirst
			err = r.read(ctx, port)
			port.Close()
			if ctx.Err() != nil {
				break
			}
			r.setStatus(StateFailed, err.Error())
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
		wait = min(wait*2, serialRetryMax)
	}
	r.setStatus(StateStopped, "")
	return nil
}

func formatNames() []string {
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return names
}

// serialRun is one RunSerial's state.
type serialRun struct {
	cfg    SerialConfig
	term   string
	sink   Sink
	source string
	state  State
	detail string
}

// setStatus reports a change of state (or of its detail) to the sink and
// the log.
func (r *serialRun) setStatus(st State, detail string) {
	if st == r.state && detail == r.detail {
		return
	}
	r.state, r.detail = st, detail
	slog.Info("serial reader", "source", r.source, "state", string(st), "detail", detail)
	r.sink.status(Status{Source: r.source, State: st, Detail: detail, At: time.Now()})
}

// open opens cfg.Port, or when it is not there and cfg.USB is set, the
// port with that VID:PID.
func (r *serialRun) open(mode *serial.Mode) (serial.Port, string, error) {
	path := r.cfg.Port
	var err error
	if path != "" {
		var p serial.Port
		if p, err = serial.Open(path, mode); err == nil {
			return p, path, nil
		}
		if r.cfg.USB == "" || !portMissing(err) {
			return nil, path, fmt.Errorf("%s: %w", path, err)
		}
	}
	if r.cfg.USB == "" {
		return nil, "", fmt.Errorf("no port given: %w", fs.ErrNotExist)
	}
	ports, lerr := Ports()
	if lerr != nil {
		return nil, "", fmt.Errorf("listing ports: %w", lerr)
	}
	found, ok := portByUSB(ports, r.cfg.USB)
	if !ok {
		return nil, "", fmt.Errorf("no port with USB id %s: %w", r.cfg.USB, fs.ErrNotExist)
	}
	p, err := serial.Open(found, mode)
	if err != nil {
		return nil, found, fmt.Errorf("%s: %w", found, err)
	}
	return p, found, nil
}

// portMissing reports whether err says the port is not there (ENOENT on
// Unix, PortNotFound on Windows).
func portMissing(err error) bool {
	var pe *serial.PortError
	return errors.Is(err, fs.ErrNotExist) || (errors.As(err, &pe) && pe.Code() == serial.PortNotFound)
}

// read frames and handles lines until the port fails or ctx ends.
func (r *serialRun) read(ctx context.Context, port serial.Port) error {
	stop := context.AfterFunc(ctx, func() { port.Close() })
	defer stop()
	tick := min(max(r.cfg.IdleGap/2, 5*time.Millisecond), 100*time.Millisecond)
	if err := port.SetReadTimeout(tick); err != nil {
		return err
	}
	fr := framer{term: r.term}
	stale := r.cfg.IdleGap
	if r.term != "idle" {
		stale *= 10
	}
	buf := make([]byte, 256)
	for {
		n, err := port.Read(buf)
		now := time.Now()
		if n > 0 {
			fr.feed(buf[:n], now, r.line)
			clear(buf[:n]) // a bank card's bytes do not linger here
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			var pe *serial.PortError
			if errors.As(err, &pe) && pe.Code() == serial.PortClosed {
				return errors.New("the port closed (unplugged?)")
			}
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		fr.idle(now, stale, r.line)
	}
}

// line handles one framed line: the raw sink, the parser, the scan sink.
func (r *serialRun) line(data []byte, at time.Time) {
	p, err := ParseLine(r.cfg.Format, string(data))
	if errors.Is(err, ErrBankCard) {
		clear(data)
		slog.Info("serial reader: a bank card was refused", "source", r.source)
		r.sink.raw(r.source, nil, ErrBankCard)
		return
	}
	raw := append([]byte(nil), data...)
	r.sink.raw(r.source, raw, err)
	if err != nil {
		if !errors.Is(err, ErrNoCard) {
			slog.Debug("serial reader: a line not understood", "source", r.source, "bytes", len(data))
		}
		return
	}
	r.sink.scan(Scan{Source: r.source, Kind: p.Kind, Value: p.Value, Alt: p.Alt, Raw: raw, At: at})
}

// framer cuts a byte stream into lines.
type framer struct {
	term    string // auto, cr, lf, crlf, idle
	buf     []byte
	last    time.Time // when the last byte came
	pending bool      // crlf: a CR waits for its LF
}

// feed takes bytes received at now and passes each line ended among them
// to emit (empty lines are dropped; emit may keep no reference to the
// slice).
func (f *framer) feed(data []byte, now time.Time, emit func([]byte, time.Time)) {
	f.last = now
	for _, c := range data {
		switch f.term {
		case "auto":
			if c == '\r' || c == '\n' {
				f.flush(now, emit)
				continue
			}
		case "cr", "lf":
			end, other := byte('\r'), byte('\n')
			if f.term == "lf" {
				end, other = other, end
			}
			if c == end {
				f.flush(now, emit)
				continue
			}
			if c == other {
				continue
			}
		case "crlf":
			if f.pending {
				f.pending = false
				if c == '\n' {
					f.flush(now, emit)
					continue
				}
				f.add('\r', now, emit)
			}
			if c == '\r' {
				f.pending = true
				continue
			}
		}
		f.add(c, now, emit)
	}
}

func (f *framer) add(c byte, now time.Time, emit func([]byte, time.Time)) {
	f.buf = append(f.buf, c)
	if len(f.buf) >= maxFrame {
		f.flush(now, emit)
	}
}

// idle passes on what is held when nothing came for gap.
func (f *framer) idle(now time.Time, gap time.Duration, emit func([]byte, time.Time)) {
	if (len(f.buf) > 0 || f.pending) && now.Sub(f.last) >= gap {
		if f.pending {
			f.buf = append(f.buf, '\r')
			f.pending = false
		}
		f.flush(now, emit)
	}
}

func (f *framer) flush(now time.Time, emit func([]byte, time.Time)) {
	if len(f.buf) > 0 {
		emit(f.buf, now)
	}
	f.buf = f.buf[:0]
}
