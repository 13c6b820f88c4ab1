package hardware

// ESC/POS receipt printers (QR-04). API agreed before it is built (helper G
// fills the bodies and the tests).

import (
	"context"
	"errors"
)

// SlipOptions say how a QR slip is printed.
type SlipOptions struct {
	Native     bool // the printer's own QR command (GS ( k, model 2); false: a raster image (GS v 0)
	ModuleSize int  // dots per module, 1–16 (default 6)
	ErrorLevel byte // 'L', 'M', 'Q' or 'H' (default 'M')
	WidthDots  int  // printable width for the raster path (default 384: 58 mm)
	Cut        bool // cut the paper at the end
}

// Slip returns the ESC/POS bytes of a slip: the lines (Cyrillic through
// code page 866), the QR code of code, then the lines below.
func Slip(above []string, code string, below []string, opt SlipOptions) ([]byte, error) {
	return nil, errors.New("not built yet")
}

// SendToPrinter sends data to a printer: "tcp://HOST[:9100]", a device file
// ("/dev/usb/lp0"), or "serial:PATH[?baud=N]".
func SendToPrinter(ctx context.Context, target string, data []byte) error {
	return errors.New("not built yet")
}

// SystemPrinter is a printer the system (CUPS) knows.
type SystemPrinter struct {
	Name    string
	Default bool
}

// SystemPrinters lists the CUPS printers (`lpstat`); none where there is no CUPS.
func SystemPrinters(ctx context.Context) ([]SystemPrinter, error) {
	return nil, errors.New("not built yet")
}

// PrintFile sends a PDF to a CUPS printer with `lp` ("" the default printer).
func PrintFile(ctx context.Context, printer, path string) error { return errors.New("not built yet") }

// OpenFile opens a file in the system's viewer (xdg-open, open, ShellExecute).
func OpenFile(path string) error { return errors.New("not built yet") }
