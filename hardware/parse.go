package hardware

// ParseLine and the plain-barcode parser: what a serial reader or a
// keyboard wedge sent, as an identifier (ID-02, ID-03).

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxLineLen is the longest line the parsers accept, in bytes (a QR code's
// text from a 2D scanner fits; a runaway stream does not).
const MaxLineLen = 1024

// ParseLine parses one framed line in format f ("" is FormatAuto).
//
// Whatever the format, a line that holds a bank card (a format-B track 1,
// or a payment card number, also under the Russian layout) gives
// ErrBankCard and nothing else; the error never carries the line. A
// reader's idle line ("No card") gives ErrNoCard; a line that is not an
// identifier in format f gives ErrUnrecognized.
//
// FormatAuto tries, in order: IronLogic lines, magnetic-stripe tracks (a
// line opening with a sentinel), the unmistakable EM-Marine forms (10 hex
// digits with a letter, a Wiegand-26 pair, a zero-padded 10-digit 32-bit
// decimal, an RDM6300 frame), then a plain barcode.
func ParseLine(f Format, line string) (Parsed, error) {
	if len(line) > 4*MaxLineLen {
		return Parsed{}, ErrUnrecognized
	}
	if holdsBankCard(line) {
		return Parsed{}, ErrBankCard
	}
	switch f {
	case FormatAuto, "":
		return parseAuto(line)
	case FormatBarcode:
		return parseBarcode(line)
	case FormatMagstripe:
		return parseMagstripe(line)
	case FormatEMMarine:
		return parseEMMarine(line)
	case FormatIronLogic:
		return parseIronLogic(line)
	}
	return Parsed{}, ErrUnrecognized
}

func parseAuto(line string) (Parsed, error) {
	s := trimLine(line)
	if s == "" {
		return Parsed{}, ErrUnrecognized
	}
	if isNoCard(s) {
		return Parsed{}, ErrNoCard
	}
	if p, err := parseIronLogic(s); err == nil {
		return p, nil
	}
	if looksLikeTrack(s) {
		return parseMagstripe(s)
	}
	if p, ok := emMarineStrict(s); ok {
		return p, nil
	}
	return parseBarcode(s)
}

// trimLine drops blanks and control characters (a terminator, STX/ETX)
// around a line.
func trimLine(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError
	})
}

// parseBarcode takes the text as it is: trimmed, valid UTF-8, printable
// (the GS1 group separator 0x1D allowed inside), at most MaxLineLen bytes.
func parseBarcode(line string) (Parsed, error) {
	s := trimLine(line)
	if s == "" || len(s) > MaxLineLen || !utf8.ValidString(s) {
		return Parsed{}, ErrUnrecognized
	}
	for _, r := range s {
		if !unicode.IsPrint(r) && r != ' ' && r != 0x1D {
			return Parsed{}, ErrUnrecognized
		}
	}
	return Parsed{Kind: KindBarcode, Value: s}, nil
}

// holdsBankCard reports whether line, as typed or translated from the
// Russian layout, holds a bank card: a format-B track 1 ("%B" then digits)
// or a run of 13 to 19 digits (spaces or dashes between groups allowed)
// that is a payment card number (IsPaymentCard).
func holdsBankCard(line string) bool {
	if bankCardIn(line) {
		return true
	}
	if hasRussian(line) {
		return bankCardIn(FromRussianLayout(line))
	}
	return false
}

func bankCardIn(s string) bool {
	// A format-B track 1: %B then the number.
	for i := strings.Index(s, "%B"); i >= 0; {
		j := i + 2
		if j < len(s) && s[j] >= '0' && s[j] <= '9' {
			return true
		}
		k := strings.Index(s[j:], "%B")
		if k < 0 {
			break
		}
		i = j + k
	}
	// Every maximal run of digits with single spaces or dashes between them.
	var d [19]byte
	n, long := 0, false
	check := func() bool {
		ok := !long && n >= 13 && isPaymentPAN(string(d[:n]))
		n, long = 0, false
		return ok
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if n == len(d) {
				long = true
			} else {
				d[n] = c
				n++
			}
		case (c == ' ' || c == '-') && n > 0 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			// a separator inside a run
		default:
			if check() {
				return true
			}
		}
	}
	return check()
}
