package main

// `loyaltydesk listen --port PATH …` (issue 7, ID-02): a serial reader's
// scans as JSON lines, for support staff checking a reader at a venue.

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"loyaltydesk/hardware"
)

const listenUsage = `Usage: loyaltydesk listen --port PATH [options]
       loyaltydesk listen --list

Prints each scan of a serial reader (barcode, magnetic stripe, EM-Marine
RFID, IronLogic Z-2) as one JSON line until Ctrl+C; the reader's state
(ready, missing, failed) goes to stderr. A bank card is refused: it shows as
a line with an "error" field and none of its digits.

  --port PATH        the port: /dev/ttyUSB0, COM3, a pseudo-terminal
  --usb VID:PID      find the port by its USB id (e.g. 0403:1234 for a Z-2),
                     also when it comes back under another name
  --baud N           speed (default 9600)
  --data-bits N      5 to 8 (default 8)
  --parity P         none, odd, even, mark, space (default none)
  --stop-bits S      1, 1.5, 2 (default 1)
  --terminator T     auto (CR, LF or CRLF), cr, lf, crlf, idle (default auto)
  --idle-gap D       with idle: the quiet time that ends a line (default 50ms)
  --format F         auto, barcode, magstripe, emmarine, ironlogic (default auto)
  --list             list the serial ports (pseudo-terminals are not listed)
`

// listenLine is one JSON line of listen: a scan, or a refused bank card.
type listenLine struct {
	Source string        `json:"source"`
	Kind   hardware.Kind `json:"kind,omitempty"`
	Value  string        `json:"value,omitempty"`
	Alt    []string      `json:"alt,omitempty"`
	Raw    string        `json:"raw,omitempty"`
	Error  string        `json:"error,omitempty"`
	At     time.Time     `json:"at"`
}

// runListen is `loyaltydesk listen --port PATH …` until Ctrl+C.
func runListen(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runListenCtx(ctx, args, stdout, stderr)
}

// runListenCtx is runListen until ctx ends.
func runListenCtx(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loyaltydesk listen", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var cfg hardware.SerialConfig
	var format string
	fs.StringVar(&cfg.Port, "port", "", "")
	fs.StringVar(&cfg.USB, "usb", "", "")
	fs.IntVar(&cfg.Baud, "baud", 9600, "")
	fs.IntVar(&cfg.DataBits, "data-bits", 8, "")
	fs.StringVar(&cfg.Parity, "parity", "none", "")
	fs.StringVar(&cfg.StopBits, "stop-bits", "1", "")
	fs.StringVar(&cfg.Terminator, "terminator", "auto", "")
	fs.DurationVar(&cfg.IdleGap, "idle-gap", hardware.DefaultIdleGap, "")
	fs.StringVar(&format, "format", string(hardware.FormatAuto), "")
	list := fs.Bool("list", false, "")
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, listenUsage)
		return 0
	}
	if err == nil && fs.NArg() > 0 {
		err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err == nil && !*list && cfg.Port == "" && cfg.USB == "" {
		err = errors.New("give --port PATH (or --usb VID:PID)")
	}
	if err == nil {
		cfg.Format = hardware.Format(strings.ToLower(format))
		known := false
		for _, f := range hardware.Formats {
			known = known || f == cfg.Format
		}
		if !known {
			err = fmt.Errorf("unknown --format %q (auto, barcode, magstripe, emmarine, ironlogic)", format)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "loyaltydesk listen: %v\n\n%s", err, listenUsage)
		return 2
	}
	if *list {
		return listPorts(stdout, stderr)
	}

	var mu sync.Mutex
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	write := func(l listenLine) {
		mu.Lock()
		defer mu.Unlock()
		if err := enc.Encode(l); err != nil {
			fmt.Fprintf(stderr, "loyaltydesk listen: %v\n", err)
		}
	}
	note := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(stderr, "listen: "+format+"\n", a...)
	}
	sink := hardware.Sink{
		Scan: func(s hardware.Scan) {
			write(listenLine{Source: s.Source, Kind: s.Kind, Value: s.Value, Alt: s.Alt, Raw: string(s.Raw), At: s.At})
		},
		Raw: func(source string, data []byte, err error) {
			switch {
			case errors.Is(err, hardware.ErrBankCard):
				write(listenLine{Source: source, Error: hardware.ErrBankCard.Error(), At: time.Now()})
			case errors.Is(err, hardware.ErrNoCard):
				note("%s: no card", source)
			case err != nil:
				note("%s: %v: %q", source, err, data)
			}
		},
		Status: func(st hardware.Status) {
			if st.Detail != "" {
				note("%s: %s (%s)", st.Source, st.State, st.Detail)
			} else {
				note("%s: %s", st.Source, st.State)
			}
		},
	}
	if err := hardware.RunSerial(ctx, cfg, sink); err != nil {
		fmt.Fprintf(stderr, "loyaltydesk listen: %v\n", err)
		return 2
	}
	return 0
}

// listPorts prints the serial ports, one a line: path, VID:PID, serial
// number, product, separated by tabs.
func listPorts(stdout, stderr io.Writer) int {
	ports, err := hardware.Ports()
	if err != nil {
		fmt.Fprintf(stderr, "loyaltydesk listen: %v\n", err)
		return 1
	}
	if len(ports) == 0 {
		fmt.Fprintln(stderr, "listen: no serial ports found (pseudo-terminals are not listed: give --port PATH)")
	}
	for _, p := range ports {
		usb := ""
		if p.VID != "" || p.PID != "" {
			usb = p.VID + ":" + p.PID
		}
		fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\n", p.Path, usb, p.Serial, p.Product)
	}
	return 0
}
