//go:build !windows

package hardware

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// testSlip is a real slip to send around.
func testSlip(t *testing.T) []byte {
	t.Helper()
	b, err := Slip([]string{"Кофейня «Зерно»"}, "LD000123-ABCDEFGH", nil, SlipOptions{Cut: true})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A network printer on port 9100 gets exactly the slip's bytes, and the
// connection is closed after them.
func TestSendToPrinterTCP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			got <- nil
			return
		}
		defer conn.Close()
		b, _ := io.ReadAll(conn) // returns at the printer's end of the connection
		got <- b
	}()
	data := testSlip(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := SendToPrinter(ctx, "tcp://"+ln.Addr().String(), data); err != nil {
		t.Fatal(err)
	}
	if b := <-got; !bytes.Equal(b, data) {
		t.Errorf("the printer got %d bytes, want the slip's %d", len(b), len(data))
	}
}

// Without a port the raw printing port 9100 is dialled.
func TestSendToPrinterTCPDefaultPort(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the dial fails at once, naming the address it meant
	err := SendToPrinter(ctx, "tcp://127.0.0.1", []byte("x"))
	if err == nil || !strings.Contains(err.Error(), "127.0.0.1:9100") {
		t.Errorf("SendToPrinter(tcp://127.0.0.1) = %v, want an error naming 127.0.0.1:9100", err)
	}
}

// A device file (a USB printer's /dev/usb/lp0) gets the bytes.
func TestSendToPrinterDevice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lp0")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	data := testSlip(t)
	if err := SendToPrinter(context.Background(), path, data); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, data) {
		t.Errorf("the device got %d bytes, want the slip's %d", len(b), len(data))
	}
}

// A device that never takes the bytes (a FIFO nobody reads: its open
// blocks) does not hold the caller past its context.
func TestSendToPrinterDeviceContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stuck")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err := SendToPrinter(ctx, path, []byte("x"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("SendToPrinter to a stuck device = %v, want the context's deadline", err)
	}
	// Let the stuck open finish so that the goroutine ends.
	if r, err := os.OpenFile(path, os.O_RDONLY, 0); err == nil {
		_, _ = io.ReadAll(r)
		r.Close()
	}
}

// A serial printer (a pseudo-terminal here) gets exactly the bytes: the
// port is raw, so no LF becomes CR LF.
func TestSendToPrinterSerial(t *testing.T) {
	m, s, err := pty.Open()
	if err != nil {
		t.Skipf("pty: %v", err)
	}
	defer m.Close()
	defer s.Close()
	data := testSlip(t)
	got := make(chan []byte, 1)
	go func() {
		var b []byte
		buf := make([]byte, 4096)
		for len(b) < len(data) {
			n, err := m.Read(buf)
			b = append(b, buf[:n]...)
			if err != nil {
				break
			}
		}
		got <- b
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := SendToPrinter(ctx, "serial:"+s.Name()+"?baud=19200", data); err != nil {
		t.Fatal(err)
	}
	select {
	case b := <-got:
		if !bytes.Equal(b, data) {
			t.Errorf("the port got %d bytes, want the slip's %d exactly", len(b), len(data))
		}
	case <-ctx.Done():
		t.Fatal("the port got no slip")
	}
}

// Targets that cannot be a printer are refused with a message saying why.
func TestSendToPrinterBadTargets(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no", "lp0")
	for _, c := range []struct{ target, want string }{
		{"", "no printer given"},
		{"   ", "no printer given"},
		{"http://printer/", "unknown kind of printer"},
		{"tcp://", "not tcp://HOST"},
		{"tcp://host:99999", "bad port"},
		{"tcp://host:9100/queue", "not tcp://HOST"},
		{"serial:", "names no serial port"},
		{"serial:/dev/ttyS0?baud=fast", "bad baud rate"},
		{"serial:/dev/ttyS0?speed=9600", "unknown setting"},
		{"serial:" + missing, "cannot open the port"},
		{missing, "no device " + missing},
		{t.TempDir(), "is a directory"},
	} {
		err := SendToPrinter(context.Background(), c.target, []byte("x"))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("SendToPrinter(%q) = %v, want an error with %q", c.target, err, c.want)
		}
	}
}
