package hardware

// ESC/POS receipt printers (QR-04): a slip with a few lines of text
// (Cyrillic through code page 866) and a QR code, drawn either by the
// printer's own QR command (GS ( k) or as a raster image (GS v 0) for
// printers without it.
//
// The code page: ESC t 17 selects "PC866: Cyrillic #2" in Epson's ESC/POS
// character code table (TM-T20, TM-T88 and the many Epson-compatible
// printers that copy its numbering). Some clones number their pages
// differently (a few put PC866 at 7 or 59); such a printer prints the
// Cyrillic as the wrong letters and needs its own page number, which this
// slip does not yet let one choose.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	qrgen "github.com/skip2/go-qrcode"
	"golang.org/x/text/encoding/charmap"
)

// SlipOptions say how a QR slip is printed.
type SlipOptions struct {
	Native     bool // the printer's own QR command (GS ( k, model 2); false: a raster image (GS v 0)
	ModuleSize int  // dots per module, 1–16 (default 6)
	ErrorLevel byte // 'L', 'M', 'Q' or 'H' (default 'M')
	WidthDots  int  // printable width for the raster path (default 384: 58 mm)
	Cut        bool // cut the paper at the end
}

// The slip's defaults and limits.
const (
	defaultModuleSize = 6
	defaultErrorLevel = 'M'
	defaultWidthDots  = 384 // 58 mm paper at 203 dpi; 80 mm paper is 576
	maxWidthDots      = 4096
	maxModuleSize     = 16
	// maxNativeData is the most a model 2 symbol holds (7,089 digits);
	// the QR encoder's own limit for the level is checked as well.
	maxNativeData = 7089
	// maxRasterHeight is the tallest image GS v 0 takes (Epson: 1 ≤ y ≤ 4095).
	maxRasterHeight = 4095
	// codePage866 is ESC t's number for PC866 (Cyrillic #2) on Epson's table.
	codePage866 = 17
	// slipFeedLines is how many lines are fed after the slip so that its
	// end clears the cutter (or the tear bar).
	slipFeedLines = 4
)

// ESC/POS bytes.
const (
	escByte = 0x1b
	gsByte  = 0x1d
	lfByte  = 0x0a
)

// Slip returns the ESC/POS bytes of a slip: the lines (Cyrillic through
// code page 866), the QR code of code, then the lines below.
//
// The slip starts with ESC @ (initialise) and ESC t 17 (PC866), centres
// everything (ESC a 1), prints the QR code either natively (GS ( k: model
// 2, module size, error level, store, print) or as a GS v 0 raster image
// as wide as WidthDots with the code centred in it, feeds a few lines and,
// when Cut is set, cuts (GS V 66 0). A character code page 866 lacks is
// printed as '?' (typographic quotes and dashes become their plain
// ASCII kin first), and control characters in the lines are printed as
// '?' too, so that a line cannot carry a printer command.
func Slip(above []string, code string, below []string, opt SlipOptions) ([]byte, error) {
	opt, err := opt.checked()
	if err != nil {
		return nil, err
	}
	sym, err := slipSymbol(code, opt)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Write([]byte{escByte, '@'})              // ESC @: initialise
	b.Write([]byte{escByte, 't', codePage866}) // ESC t 17: PC866
	b.Write([]byte{escByte, 'a', 1})           // ESC a 1: centre
	for _, line := range above {
		b.Write(encode866(line))
		b.WriteByte(lfByte)
	}
	if opt.Native {
		writeNativeQR(&b, code, opt)
	} else {
		writeRasterQR(&b, sym, opt)
	}
	b.WriteByte(lfByte)
	for _, line := range below {
		b.Write(encode866(line))
		b.WriteByte(lfByte)
	}
	b.Write([]byte{escByte, 'a', 0})             // ESC a 0: back to the left
	b.Write([]byte{escByte, 'd', slipFeedLines}) // ESC d n: feed n lines
	if opt.Cut {
		b.Write([]byte{gsByte, 'V', 66, 0}) // GS V 66 0: feed to the cutter and cut
	}
	return b.Bytes(), nil
}

// checked returns opt with its defaults filled in, or an error naming the
// option that is wrong.
func (opt SlipOptions) checked() (SlipOptions, error) {
	if opt.ModuleSize == 0 {
		opt.ModuleSize = defaultModuleSize
	}
	if opt.ModuleSize < 1 || opt.ModuleSize > maxModuleSize {
		return opt, fmt.Errorf("escpos: module size %d is not between 1 and %d dots", opt.ModuleSize, maxModuleSize)
	}
	if opt.ErrorLevel == 0 {
		opt.ErrorLevel = defaultErrorLevel
	}
	if !strings.ContainsRune("LMQH", rune(opt.ErrorLevel)) {
		return opt, fmt.Errorf("escpos: error level %q is not one of L, M, Q, H", rune(opt.ErrorLevel))
	}
	if opt.WidthDots == 0 {
		opt.WidthDots = defaultWidthDots
	}
	if opt.WidthDots < 8 || opt.WidthDots > maxWidthDots {
		return opt, fmt.Errorf("escpos: paper width %d dots is not between 8 and %d", opt.WidthDots, maxWidthDots)
	}
	return opt, nil
}

// recovery is the QR encoder's error level for an ESC/POS one.
func recovery(level byte) qrgen.RecoveryLevel {
	switch level {
	case 'L':
		return qrgen.Low
	case 'Q':
		return qrgen.High // go-qrcode's "High" is Q (25 %)
	case 'H':
		return qrgen.Highest
	}
	return qrgen.Medium
}

// slipSymbol checks that code makes a QR code at opt's level (and, for the
// raster path, that the code fits the paper) and returns its modules,
// without the quiet zone: the paper around it is white.
func slipSymbol(code string, opt SlipOptions) ([][]bool, error) {
	if code == "" {
		return nil, errors.New("escpos: the QR code's text is empty")
	}
	if opt.Native && len(code) > maxNativeData {
		return nil, fmt.Errorf("escpos: the QR code's text is %d bytes, more than the %d a printer's QR code holds", len(code), maxNativeData)
	}
	q, err := qrgen.New(code, recovery(opt.ErrorLevel))
	if err != nil {
		return nil, fmt.Errorf("escpos: the QR code's text (%d bytes) is too long for a QR code at level %c: %w", len(code), opt.ErrorLevel, err)
	}
	q.DisableBorder = true
	sym := q.Bitmap()
	if opt.Native {
		return sym, nil
	}
	if dots := len(sym) * opt.ModuleSize; dots > opt.WidthDots || dots > maxRasterHeight {
		return nil, fmt.Errorf("escpos: the QR code is %d modules wide, %d dots at %d dots per module: wider than the paper's %d dots; choose a smaller module size",
			len(sym), dots, opt.ModuleSize, opt.WidthDots)
	}
	return sym, nil
}

// writeNativeQR writes the GS ( k commands (cn 49: QR code) that set model
// 2, the module size and the error level, store code and print it.
func writeNativeQR(b *bytes.Buffer, code string, opt SlipOptions) {
	gsk := func(params ...byte) { // GS ( k pL pH params…
		n := len(params)
		b.Write([]byte{gsByte, '(', 'k', byte(n), byte(n >> 8)})
		b.Write(params)
	}
	gsk(49, 65, 50, 0)                          // fn 65: model 2
	gsk(49, 67, byte(opt.ModuleSize))           // fn 67: module size in dots
	gsk(49, 69, 48+levelIndex(opt.ErrorLevel))  // fn 69: 48 L, 49 M, 50 Q, 51 H
	gsk(append([]byte{49, 80, 48}, code...)...) // fn 80: store the data
	gsk(49, 81, 48)                             // fn 81: print the stored symbol
}

// levelIndex is 0 for L, 1 for M, 2 for Q and 3 for H.
func levelIndex(level byte) byte { return byte(strings.IndexByte("LMQH", level)) }

// writeRasterQR writes sym as one GS v 0 image as wide as the paper, each
// module ModuleSize dots square, the code centred; rows are packed a bit
// per dot, the leftmost dot in the high bit, 1 black.
func writeRasterQR(b *bytes.Buffer, sym [][]bool, opt SlipOptions) {
	wBytes := (opt.WidthDots + 7) / 8
	side := len(sym) * opt.ModuleSize
	left := (opt.WidthDots - side) / 2
	b.Write([]byte{gsByte, 'v', '0', 0, byte(wBytes), byte(wBytes >> 8), byte(side), byte(side >> 8)})
	row := make([]byte, wBytes)
	for y := 0; y < side; y++ {
		clear(row)
		modules := sym[y/opt.ModuleSize]
		for x := 0; x < side; x++ {
			if modules[x/opt.ModuleSize] {
				d := left + x
				row[d/8] |= 0x80 >> (d % 8)
			}
		}
		b.Write(row)
	}
}

// asciiKin are characters code page 866 lacks that have a plain stand-in.
var asciiKin = map[rune]string{
	'«': `"`, '»': `"`, '„': `"`, '“': `"`, '”': `"`, '‟': `"`,
	'‘': "'", '’': "'", '‚': "'", '‹': "<", '›': ">",
	'–': "-", '—': "-", '‒': "-", '−': "-", '‐': "-", '‑': "-",
	'…': "...", '\u00a0': " ", '\u202f': " ",
}

// encode866 returns line in code page 866: a character the page lacks is
// '?' (after asciiKin), and so is every control character.
func encode866(line string) []byte {
	out := make([]byte, 0, len(line))
	for _, r := range line {
		if r == utf8.RuneError || r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			out = append(out, '?')
			continue
		}
		if kin, ok := asciiKin[r]; ok {
			out = append(out, kin...)
			continue
		}
		if c, ok := charmap.CodePage866.EncodeRune(r); ok {
			out = append(out, c)
		} else {
			out = append(out, '?')
		}
	}
	return out
}

// SendToPrinter sends data to a printer: "tcp://HOST[:9100]", a device file
// ("/dev/usb/lp0"), or "serial:PATH[?baud=N]".
func SendToPrinter(ctx context.Context, target string, data []byte) error {
	return sendToPrinter(ctx, target, data)
}

// SystemPrinter is a printer the system (CUPS) knows.
type SystemPrinter struct {
	Name    string
	Default bool
}

// SystemPrinters lists the CUPS printers (`lpstat`); none where there is no CUPS.
func SystemPrinters(ctx context.Context) ([]SystemPrinter, error) {
	return systemPrinters(ctx)
}

// PrintFile sends a PDF to a CUPS printer with `lp` ("" the default printer).
func PrintFile(ctx context.Context, printer, path string) error { return printFile(ctx, printer, path) }

// OpenFile opens a file in the system's viewer (xdg-open, open, ShellExecute).
// It starts the viewer and returns without waiting for it.
func OpenFile(path string) error { return openFile(path) }
