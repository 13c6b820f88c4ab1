package main

// `loyaltydesk decode IMAGE…` (issue 7, ID-01): the QR codes in image
// files, through the same decoder as the till's camera, for support staff
// checking a printed card or a phone's screenshot.

import (
	"fmt"
	"image"
	_ "image/gif"  // decode GIF files
	_ "image/jpeg" // decode JPEG files
	_ "image/png"  // decode PNG files
	"io"
	"os"
	"strings"

	_ "golang.org/x/image/bmp"  // decode BMP files
	_ "golang.org/x/image/webp" // decode WebP files

	"loyaltydesk/hardware"
)

const decodeUsage = `Usage: loyaltydesk decode IMAGE…

Prints "file<TAB>text" for each image holding a QR code, nothing for an
image without one, and exits 0. PNG, JPEG, GIF, BMP and WebP files are
read; white-on-black codes (a phone in dark mode) too. In the text a
backslash, tab, CR and LF are written \\, \t, \r and \n, so each code is
one line. A bank card's number is never printed: the file is named on
stderr instead. A file that cannot be read or is not an image is named on
stderr with the reason; the others are still decoded, and the exit status
is then 1.
`

// runDecode is `loyaltydesk decode IMAGE…`.
func runDecode(args []string, stdout, stderr io.Writer) int {
	var files []string
	onlyFiles := false
	for _, a := range args {
		switch {
		case onlyFiles:
			files = append(files, a)
		case a == "--":
			onlyFiles = true
		case a == "-h" || a == "-help" || a == "--help":
			fmt.Fprint(stdout, decodeUsage)
			return 0
		case strings.HasPrefix(a, "-") && a != "-":
			fmt.Fprintf(stderr, "loyaltydesk decode: unknown option %s\n\n%s", a, decodeUsage)
			return 2
		default:
			files = append(files, a)
		}
	}
	if len(files) == 0 {
		fmt.Fprintf(stderr, "loyaltydesk decode: name at least one image\n\n%s", decodeUsage)
		return 2
	}
	status := 0
	for _, f := range files {
		img, err := readImage(f)
		if err != nil {
			fmt.Fprintf(stderr, "loyaltydesk decode: %s: %v\n", f, err)
			status = 1
			continue
		}
		text, ok := hardware.Decode(img)
		if !ok {
			continue
		}
		if hardware.IsPaymentCard(text) {
			fmt.Fprintf(stderr, "loyaltydesk decode: %s: a bank card's number, not shown\n", f)
			continue
		}
		fmt.Fprintf(stdout, "%s\t%s\n", f, escapeLine(text))
	}
	return status
}

// readImage opens and decodes one image file.
func readImage(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err == image.ErrFormat {
		return nil, fmt.Errorf("not an image (PNG, JPEG, GIF, BMP or WebP)")
	}
	if err != nil {
		return nil, fmt.Errorf("not a readable image: %v", err)
	}
	return img, nil
}

var lineEscaper = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\r", `\r`, "\n", `\n`)

// escapeLine keeps a code's text on one line.
func escapeLine(s string) string { return lineEscaper.Replace(s) }
