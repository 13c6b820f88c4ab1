package hardware

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// fakeReader is the device end of a pseudo-terminal: RunSerial opens the
// path (a symlink to the pty's slave, so that an unplug and a replug keep
// the path, as udev's by-id links do), the test writes to the master.
type fakeReader struct {
	t      *testing.T
	path   string
	master *os.File
	slave  *os.File
}

func newFakeReader(t *testing.T) *fakeReader {
	t.Helper()
	r := &fakeReader{t: t, path: filepath.Join(t.TempDir(), "ttyREADER")}
	r.plug()
	t.Cleanup(r.unplug)
	return r
}

// plug makes a new pseudo-terminal and points the path at it.
func (r *fakeReader) plug() {
	r.t.Helper()
	m, s, err := pty.Open()
	if err != nil {
		r.t.Fatalf("pty: %v", err)
	}
	r.master, r.slave = m, s
	if err := os.Symlink(s.Name(), r.path); err != nil {
		r.t.Fatal(err)
	}
}

// unplug closes the pseudo-terminal and removes the path.
func (r *fakeReader) unplug() {
	if r.master == nil {
		return
	}
	os.Remove(r.path)
	r.master.Close()
	r.slave.Close()
	r.master, r.slave = nil, nil
}

// send writes s one byte at a time.
func (r *fakeReader) send(s string) {
	r.t.Helper()
	for i := 0; i < len(s); i++ {
		if _, err := r.master.Write([]byte{s[i]}); err != nil {
			r.t.Fatalf("write: %v", err)
		}
	}
}

// rawLine is one call of Sink.Raw.
type rawLine struct {
	data []byte
	err  error
}

// collector is a Sink that keeps everything for the test to wait on.
type collector struct {
	mu       sync.Mutex
	changed  chan struct{}
	scans    []Scan
	raws     []rawLine
	statuses []Status
}

func newCollector() *collector { return &collector{changed: make(chan struct{}, 1)} }

func (c *collector) sink() Sink {
	poke := func() {
		select {
		case c.changed <- struct{}{}:
		default:
		}
	}
	return Sink{
		Scan: func(s Scan) { c.mu.Lock(); c.scans = append(c.scans, s); c.mu.Unlock(); poke() },
		Raw: func(_ string, d []byte, err error) {
			c.mu.Lock()
			c.raws = append(c.raws, rawLine{d, err})
			c.mu.Unlock()
			poke()
		},
		Status: func(s Status) { c.mu.Lock(); c.statuses = append(c.statuses, s); c.mu.Unlock(); poke() },
	}
}

// waitFor waits (10 s at most) until cond holds over the collector.
func (c *collector) waitFor(t *testing.T, what string, cond func(c *collector) bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		c.mu.Lock()
		ok := cond(c)
		c.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-c.changed:
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			c.mu.Lock()
			defer c.mu.Unlock()
			t.Fatalf("waiting for %s: statuses %v, raws %d, scans %v", what, c.statuses, len(c.raws), c.scans)
		}
	}
}

// states is the sequence of states reported, repeats folded.
func (c *collector) states() []State {
	var out []State
	for _, s := range c.statuses {
		if len(out) == 0 || out[len(out)-1] != s.State {
			out = append(out, s.State)
		}
	}
	return out
}

func (c *collector) lastState() State {
	if len(c.statuses) == 0 {
		return ""
	}
	return c.statuses[len(c.statuses)-1].State
}

func (c *collector) rawTexts() []string {
	var out []string
	for _, r := range c.raws {
		out = append(out, string(r.data))
	}
	return out
}

// startSerial runs RunSerial on cfg until the test ends, and waits until
// the reader is ready.
func startSerial(t *testing.T, cfg SerialConfig) (*collector, func()) {
	t.Helper()
	c := newCollector()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- RunSerial(ctx, cfg, c.sink()) }()
	stop := func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("RunSerial: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("RunSerial did not stop")
		}
	}
	t.Cleanup(func() {
		if ctx.Err() == nil {
			stop()
		}
	})
	c.waitFor(t, "ready", func(c *collector) bool { return c.lastState() == StateReady })
	return c, stop
}

func TestSerialFraming(t *testing.T) {
	cases := []struct {
		term  string
		input string
		want  []string
	}{
		{"auto", "A1\rA2\nA3\r\nA4\r\n\r\n\nA5\n", []string{"A1", "A2", "A3", "A4", "A5"}},
		{"", "B1\r\nB2\r\n", []string{"B1", "B2"}},
		{"cr", "C1\rC2\r\nC3\r", []string{"C1", "C2", "C3"}},
		{"lf", "L1\nL2\r\nL3\n", []string{"L1", "L2", "L3"}},
		{"crlf", "W1\r\nW2\rX\r\n\r\nW3\r\n", []string{"W1", "W2\rX", "W3"}},
	}
	for _, tc := range cases {
		t.Run("term="+tc.term, func(t *testing.T) {
			dev := newFakeReader(t)
			c, stop := startSerial(t, SerialConfig{Port: dev.path, Terminator: tc.term, Format: FormatBarcode})
			dev.send(tc.input)
			c.waitFor(t, "lines", func(c *collector) bool { return len(c.raws) >= len(tc.want) })
			// One more line: nothing (no empty line) came between.
			dev.send("END\r\n")
			c.waitFor(t, "END", func(c *collector) bool { return len(c.raws) > len(tc.want) })
			stop()
			got := c.rawTexts()
			if want := append(slices.Clone(tc.want), "END"); !slices.Equal(got, want) {
				t.Fatalf("lines %q, want %q", got, want)
			}
			// Every line that is a barcode is a scan, in order.
			var barcodes []string
			for _, l := range tc.want {
				if _, err := ParseLine(FormatBarcode, l); err == nil {
					barcodes = append(barcodes, l)
				}
			}
			barcodes = append(barcodes, "END")
			if len(c.scans) != len(barcodes) {
				t.Fatalf("scans %+v, want %q", c.scans, barcodes)
			}
			for i, s := range c.scans {
				if s.Kind != KindBarcode || s.Value != barcodes[i] || s.Source != dev.path || string(s.Raw) != barcodes[i] || s.At.IsZero() {
					t.Errorf("scan %d: %+v", i, s)
				}
			}
		})
	}
}

func TestSerialIdleGap(t *testing.T) {
	dev := newFakeReader(t)
	c, stop := startSerial(t, SerialConfig{Port: dev.path, Source: "rfid", Terminator: "idle", IdleGap: 100 * time.Millisecond, Format: FormatEMMarine})
	dev.send("0008398420")
	c.waitFor(t, "the first id", func(c *collector) bool { return len(c.scans) == 1 })
	dev.send("55007EE424")
	c.waitFor(t, "the second id", func(c *collector) bool { return len(c.scans) == 2 })
	stop()
	if got := c.rawTexts(); !slices.Equal(got, []string{"0008398420", "55007EE424"}) {
		t.Fatalf("lines %q", got)
	}
	if s := c.scans[1]; s.Source != "rfid" || s.Kind != KindEMMarine || s.Value != "55007EE424" || s.Alt[0] != "126,58404" {
		t.Fatalf("scan %+v", s)
	}
}

func TestSerialIronLogic(t *testing.T) {
	dev := newFakeReader(t)
	c, stop := startSerial(t, SerialConfig{Port: dev.path, Baud: 9600, Parity: "none", StopBits: "1", Format: FormatIronLogic})
	dev.send("Em-Marine[5500] 126,58404\r\nNo card\r\nEm-Marine[5500] 126,58404,\r\nNo card\r\n")
	c.waitFor(t, "four lines", func(c *collector) bool { return len(c.raws) == 4 })
	stop()
	if len(c.scans) != 2 {
		t.Fatalf("scans %+v, want 2 (No card is not a scan)", c.scans)
	}
	want := em(0x5500, 126, 58404).Canonical()
	for _, s := range c.scans {
		if s.Kind != KindEMMarine || s.Value != want || !slices.Equal(s.Alt, []string{"126,58404"}) {
			t.Errorf("scan %+v, want %s [126,58404]", s, want)
		}
	}
	if !errors.Is(c.raws[1].err, ErrNoCard) || string(c.raws[1].data) != "No card" || c.raws[0].err != nil {
		t.Fatalf("raw lines %+v", c.raws)
	}
}

// captureLog sends slog's output to a buffer for the test's length.
func captureLog(t *testing.T) *syncBuffer {
	t.Helper()
	buf := &syncBuffer{}
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(old) })
	return buf
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestSerialRefusesBankCard(t *testing.T) {
	log := captureLog(t)
	pan := withLuhn("427600123456789")
	dev := newFakeReader(t)
	c, stop := startSerial(t, SerialConfig{Port: dev.path, Format: FormatMagstripe})
	dev.send("%B" + pan + "^IVANOV/IVAN^2712101000000000000000000?;" + pan + "=27121010000000000000?\r\n")
	dev.send(";" + pan + "=2712?\r\n")
	dev.send(";1234=5678?\r\n")
	c.waitFor(t, "three lines", func(c *collector) bool { return len(c.raws) == 3 })
	stop()
	for _, r := range c.raws[:2] {
		if r.data != nil || !errors.Is(r.err, ErrBankCard) {
			t.Fatalf("a bank card's raw line: %q %v", r.data, r.err)
		}
	}
	if len(c.scans) != 1 || c.scans[0].Value != "1234" || !slices.Equal(c.scans[0].Alt, []string{"1234=5678"}) {
		t.Fatalf("scans %+v, want only the loyalty card", c.scans)
	}
	logged := log.String()
	if !strings.Contains(logged, "bank card was refused") {
		t.Fatalf("the refusal is not logged:\n%s", logged)
	}
	// The number, or any 6 of its digits in a row, appears nowhere.
	for i := 0; i+6 <= len(pan); i++ {
		part := pan[i : i+6]
		if strings.Contains(logged, part) {
			t.Fatalf("the log holds the card's digits %s:\n%s", part, logged)
		}
		for _, s := range c.scans {
			if strings.Contains(string(s.Raw), part) || strings.Contains(s.Value, part) {
				t.Fatalf("a scan holds the card's digits: %+v", s)
			}
		}
		for _, st := range c.statuses {
			if strings.Contains(st.Detail, part) {
				t.Fatalf("a status holds the card's digits: %+v", st)
			}
		}
	}
}

func TestSerialUnplugAndReopen(t *testing.T) {
	dev := newFakeReader(t)
	c, stop := startSerial(t, SerialConfig{Port: dev.path, Source: "desk", Format: FormatAuto})
	dev.send("LC-0000000001\r\n")
	c.waitFor(t, "a scan", func(c *collector) bool { return len(c.scans) == 1 })

	dev.unplug()
	c.waitFor(t, "missing", func(c *collector) bool { return c.lastState() == StateMissing })
	dev.plug()
	c.waitFor(t, "ready again", func(c *collector) bool { return c.lastState() == StateReady })
	dev.send("LC-0000000002\r\n")
	c.waitFor(t, "a scan after the replug", func(c *collector) bool { return len(c.scans) == 2 })
	stop()

	want := []State{StateStarting, StateReady, StateFailed, StateMissing, StateReady, StateStopped}
	if got := c.states(); !slices.Equal(got, want) {
		t.Fatalf("states %v, want %v", got, want)
	}
	for _, st := range c.statuses {
		if st.Source != "desk" || st.At.IsZero() {
			t.Fatalf("status %+v", st)
		}
		if (st.State == StateFailed || st.State == StateMissing) && st.Detail == "" {
			t.Fatalf("status %+v without the OS's words", st)
		}
	}
	if c.scans[1].Value != "LC-0000000002" {
		t.Fatalf("scan %+v", c.scans[1])
	}
}

func TestSerialMissingAtStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ttyNONE")
	c := newCollector()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- RunSerial(ctx, SerialConfig{Port: path}, c.sink()) }()
	c.waitFor(t, "missing", func(c *collector) bool { return c.lastState() == StateMissing })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := c.states(); !slices.Equal(got, []State{StateStarting, StateMissing, StateStopped}) {
		t.Fatalf("states %v", got)
	}
}

func TestSerialRefusesBadSettings(t *testing.T) {
	for _, cfg := range []SerialConfig{
		{Port: "x", Parity: "purple"},
		{Port: "x", StopBits: "3"},
		{Port: "x", Terminator: "semicolon"},
		{Port: "x", Format: "morse"},
		{Port: "x", DataBits: 9},
	} {
		if err := RunSerial(context.Background(), cfg, Sink{}); err == nil {
			t.Errorf("RunSerial(%+v) took bad settings", cfg)
		}
	}
}

func TestFramerPure(t *testing.T) {
	now := time.Now()
	var got []string
	emit := func(b []byte, _ time.Time) { got = append(got, string(b)) }
	f := framer{term: "auto"}
	f.feed([]byte("ab\r"), now, emit)
	f.feed([]byte("\ncd"), now, emit)
	f.idle(now.Add(10*time.Millisecond), 50*time.Millisecond, emit)
	if !slices.Equal(got, []string{"ab"}) {
		t.Fatalf("got %q", got)
	}
	f.idle(now.Add(60*time.Millisecond), 50*time.Millisecond, emit)
	if !slices.Equal(got, []string{"ab", "cd"}) {
		t.Fatalf("got %q", got)
	}
	got = nil
	f = framer{term: "lf"}
	f.feed(bytes.Repeat([]byte("x"), maxFrame+3), now, emit)
	if len(got) != 1 || len(got[0]) != maxFrame {
		t.Fatalf("a runaway line: %d lines", len(got))
	}
}

func TestPortByUSB(t *testing.T) {
	ports := []Port{
		{Path: "/dev/ttyUSB0", VID: "067B", PID: "2303"},
		{Path: "/dev/ttyUSB1", VID: "0403", PID: "1234", Product: "Z-2 USB"},
	}
	if p, ok := portByUSB(ports, "0403:1234"); !ok || p != "/dev/ttyUSB1" {
		t.Fatalf("got %s %v", p, ok)
	}
	if p, ok := portByUSB(ports, "067b:2303"); !ok || p != "/dev/ttyUSB0" {
		t.Fatalf("got %s %v", p, ok)
	}
	for _, usb := range []string{"", "0403", "0403:", "1a86:7523"} {
		if _, ok := portByUSB(ports, usb); ok {
			t.Fatalf("%q found a port", usb)
		}
	}
	// Ports works on this machine (ptys are not in its list).
	if _, err := Ports(); err != nil {
		t.Fatalf("Ports: %v", err)
	}
}
