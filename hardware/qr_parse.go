package hardware

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQRText is the longest QR text taken as an identifier (in bytes, after
// trimming): a loyalty code is a few dozen characters; a vCard or a long
// message is not a guest's id.
const MaxQRText = 256

// ParseQR makes an identifier of a QR code's text (what the camera worker
// reports as a scan's Value): the text trimmed of blanks. It refuses an
// empty text, one longer than MaxQRText, invalid UTF-8 or control
// characters (line breaks included) with ErrUnrecognized, and a payment
// card's number with ErrBankCard (whose error never carries the number).
func ParseQR(text string) (Parsed, error) {
	v := strings.TrimSpace(text)
	switch {
	case v == "":
		return Parsed{}, fmt.Errorf("%w: an empty QR code", ErrUnrecognized)
	case len(v) > MaxQRText:
		return Parsed{}, fmt.Errorf("%w: a QR text of %d bytes (at most %d)", ErrUnrecognized, len(v), MaxQRText)
	case !utf8.ValidString(v):
		return Parsed{}, fmt.Errorf("%w: a QR text that is not UTF-8", ErrUnrecognized)
	}
	for _, r := range v {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return Parsed{}, fmt.Errorf("%w: a QR text with control character %U", ErrUnrecognized, r)
		}
	}
	if IsPaymentCard(v) {
		return Parsed{}, ErrBankCard
	}
	return Parsed{Kind: KindQR, Value: v}, nil
}
