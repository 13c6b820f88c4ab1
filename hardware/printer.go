package hardware

// Getting bytes and files onto paper (QR-02, QR-04): raw ESC/POS to a
// network, USB or serial printer, and PDFs to CUPS with lp.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go.bug.st/serial"
)

// defaultPrinterPort is the raw printing port (JetDirect, "port 9100").
const defaultPrinterPort = "9100"

// defaultPrinterDial bounds the connection to a network printer when the
// caller's context sets no deadline.
const defaultPrinterDial = 10 * time.Second

// sendToPrinter is SendToPrinter.
func sendToPrinter(ctx context.Context, target string, data []byte) error {
	target = strings.TrimSpace(target)
	lower := strings.ToLower(target)
	switch {
	case target == "":
		return errors.New("printer: no printer given (tcp://HOST[:9100], a device file, or serial:PATH[?baud=N])")
	case strings.HasPrefix(lower, "tcp://"):
		return sendTCP(ctx, target, data)
	case strings.HasPrefix(lower, "serial:"):
		return sendSerial(ctx, target, data)
	case strings.Contains(target, "://"):
		return fmt.Errorf("printer: %q: unknown kind of printer (tcp://HOST[:9100], a device file, or serial:PATH[?baud=N])", target)
	}
	return sendDevice(ctx, target, data)
}

// sendTCP writes data to a raw network printer and closes the connection.
func sendTCP(ctx context.Context, target string, data []byte) error {
	u, err := url.Parse(target)
	if err != nil || u.Host == "" || u.Hostname() == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return fmt.Errorf("printer: %q is not tcp://HOST[:PORT]", target)
	}
	port := u.Port()
	if port == "" {
		port = defaultPrinterPort
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("printer: %q: bad port %q", target, port)
	}
	addr := net.JoinHostPort(u.Hostname(), port)
	dctx := ctx
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		dctx, cancel = context.WithTimeout(ctx, defaultPrinterDial)
		defer cancel()
	}
	var d net.Dialer
	conn, err := d.DialContext(dctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("printer: cannot reach %s: %w", addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	err = sendCtx(ctx, func() (io.WriteCloser, error) { return conn, nil }, data)
	if err != nil {
		return fmt.Errorf("printer: sending to %s: %w", addr, err)
	}
	return nil
}

// sendDevice writes data to a printer's device file (it must exist: a
// mistyped path does not make a new file).
func sendDevice(ctx context.Context, path string, data []byte) error {
	err := sendCtx(ctx, func() (io.WriteCloser, error) {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no device %s (is the printer plugged in and on?)", path)
		}
		return f, err
	}, data)
	if err != nil {
		return fmt.Errorf("printer: %s: %w", path, err)
	}
	return nil
}

// sendSerial writes data to a serial printer ("serial:PATH[?baud=N]",
// 9600 baud, 8N1 when not given) and waits until it has gone out.
func sendSerial(ctx context.Context, target string, data []byte) error {
	rest := target[len("serial:"):]
	path, query, _ := strings.Cut(rest, "?")
	if path == "" {
		return fmt.Errorf("printer: %q names no serial port (serial:PATH[?baud=N])", target)
	}
	cfg := SerialConfig{Port: path}
	if query != "" {
		q, err := url.ParseQuery(query)
		if err != nil {
			return fmt.Errorf("printer: %q: %w", target, err)
		}
		for k := range q {
			if k != "baud" {
				return fmt.Errorf("printer: %q: unknown setting %q (only baud)", target, k)
			}
		}
		if b := q.Get("baud"); b != "" {
			n, err := strconv.Atoi(b)
			if err != nil || n <= 0 {
				return fmt.Errorf("printer: %q: bad baud rate %q", target, b)
			}
			cfg.Baud = n
		}
	}
	mode, err := cfg.mode()
	if err != nil {
		return fmt.Errorf("printer: %w", err)
	}
	err = sendCtx(ctx, func() (io.WriteCloser, error) {
		p, err := serial.Open(path, mode)
		if err != nil {
			return nil, fmt.Errorf("cannot open the port: %w", err)
		}
		return serialDrainer{p}, nil
	}, data)
	if err != nil {
		return fmt.Errorf("printer: serial port %s: %w", path, err)
	}
	return nil
}

// serialDrainer writes to a serial port and then waits for the bytes to
// leave it, so that closing the port does not cut the slip short.
type serialDrainer struct{ p serial.Port }

func (s serialDrainer) Write(b []byte) (int, error) { return s.p.Write(b) }
func (s serialDrainer) Close() error                { return s.p.Close() }
func (s serialDrainer) drain() error                { return s.p.Drain() }

// sendCtx opens a printer, writes all of data and closes it, off the
// caller's goroutine. When ctx ends first it closes what is open (which
// ends a blocked write on sockets and ports) and returns ctx's error
// without waiting for a device that does not answer.
func sendCtx(ctx context.Context, open func() (io.WriteCloser, error), data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	opened := make(chan io.WriteCloser, 1)
	done := make(chan error, 1)
	go func() {
		w, err := open()
		if err != nil {
			done <- err
			return
		}
		opened <- w
		err = writeAll(ctx, w, data)
		if cerr := w.Close(); err == nil && cerr != nil {
			err = cerr
		}
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		select {
		case w := <-opened:
			_ = w.Close()
		default: // still opening: the goroutine sees ctx end before it writes
		}
		return ctx.Err()
	}
}

// writeAll writes all of data to w (and drains it when it can), stopping
// when ctx ends.
func writeAll(ctx context.Context, w io.Writer, data []byte) error {
	for rest := data; len(rest) > 0; {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := w.Write(rest)
		if err != nil {
			return err
		}
		if n == 0 {
			return io.ErrShortWrite
		}
		rest = rest[n:]
	}
	if d, ok := w.(interface{ drain() error }); ok {
		return d.drain()
	}
	return nil
}

// lpEnv runs CUPS's commands in the C locale, so that what they print can
// be parsed.
func lpEnv() []string { return append(os.Environ(), "LC_ALL=C", "LANG=C") }

// systemPrinters is SystemPrinters: `lpstat -e` lists the destinations,
// `lpstat -d` names the default one.
func systemPrinters(ctx context.Context) ([]SystemPrinter, error) {
	lpstat, err := exec.LookPath("lpstat")
	if err != nil {
		return nil, nil // no CUPS here
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, lpstat, "-e")
	cmd.Env, cmd.Stdout, cmd.Stderr = lpEnv(), &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if strings.Contains(strings.ToLower(msg), "no destinations") {
			return nil, nil
		}
		return nil, commandError("lpstat -e", err, msg)
	}
	def := defaultPrinter(ctx, lpstat)
	var ps []SystemPrinter
	for _, line := range strings.Split(stdout.String(), "\n") {
		name := strings.TrimSpace(line)
		if name == "" {
			continue
		}
		ps = append(ps, SystemPrinter{Name: name, Default: name == def})
	}
	return ps, nil
}

// defaultPrinter is the default destination `lpstat -d` names ("" none).
func defaultPrinter(ctx context.Context, lpstat string) string {
	cmd := exec.CommandContext(ctx, lpstat, "-d")
	cmd.Env = lpEnv()
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	// "system default destination: NAME" or "no system default destination"
	line := strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
	if _, name, ok := strings.Cut(line, "destination:"); ok {
		return strings.TrimSpace(name)
	}
	return ""
}

// printFile is PrintFile: `lp [-d PRINTER] PATH`, the path made absolute
// so that it cannot be taken for an option.
func printFile(ctx context.Context, printer, path string) error {
	if strings.HasPrefix(printer, "-") || strings.ContainsAny(printer, " \t\n/") {
		return fmt.Errorf("print: %q is not a printer name", printer)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("print: %w", err)
	}
	if fi, err := os.Stat(abs); err != nil {
		return fmt.Errorf("print: %w", err)
	} else if fi.IsDir() {
		return fmt.Errorf("print: %s is a folder, not a file", abs)
	}
	lp, err := exec.LookPath("lp")
	if err != nil {
		return errors.New("print: no lp command: printing to a system printer needs CUPS")
	}
	args := []string{abs}
	if printer != "" {
		args = []string{"-d", printer, abs}
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, lp, args...)
	cmd.Env, cmd.Stderr = lpEnv(), &stderr
	if err := cmd.Run(); err != nil {
		return commandError("lp", err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// commandError is a failed command's error with what it said.
func commandError(name string, err error, stderr string) error {
	if stderr == "" {
		return fmt.Errorf("%s: %w", name, err)
	}
	return fmt.Errorf("%s: %s (%w)", name, stderr, err)
}
