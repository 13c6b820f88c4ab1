package hardware

// The magnetic-stripe parser: ISO 7811 tracks as card readers send them.

import "strings"

// parseMagstripe reads the tracks on a line: track 1 "%…?", track 2
// ";…?", track 3 ";…?" or "+…?" (a reader may send several on one line,
// and one character of LRC after each end sentinel). A line typed under the
// Russian layout (ж1234=5678,) is translated first.
//
// The value: for a track with a field separator ('=' on tracks 2 and 3,
// '^' on track 1) it is the first field, the card's number, and the whole
// track's data goes in Alt: ";1234=5678?" gives Value "1234" and Alt
// ["1234=5678"]. Loyalty cards print the number before the separator, and
// the rest (an expiry, a service code, a check value) can change when a
// card is reissued. A track without separator gives its data as Value.
// With several tracks, the first readable one gives Value and the others'
// values follow in Alt. Empty tracks and read errors ("%E?", ";E?") are
// skipped. Bank cards never get here (ParseLine refuses them first), and
// a format-B track 1 is refused here again.
func parseMagstripe(line string) (Parsed, error) {
	s := trimLine(line)
	if hasRussian(s) {
		s = FromRussianLayout(s)
	}
	if len(s) > MaxLineLen || !looksLikeTrack(s) {
		return Parsed{}, ErrUnrecognized
	}
	var values, alts []string
	rest := s
	for rest != "" {
		start := rest[0]
		if start != '%' && start != ';' && start != '+' {
			return Parsed{}, ErrUnrecognized
		}
		end := strings.IndexByte(rest[1:], '?')
		if end < 0 {
			return Parsed{}, ErrUnrecognized
		}
		data := rest[1 : 1+end]
		rest = rest[2+end:]
		// One LRC character may follow the end sentinel.
		if rest != "" && rest[0] != '%' && rest[0] != ';' && rest[0] != '+' {
			rest = rest[1:]
		}
		rest = strings.TrimLeft(rest, " ")
		if data == "" || data == "E" {
			continue
		}
		if strings.ContainsAny(data, "%;?") || !printableASCII(data) {
			return Parsed{}, ErrUnrecognized
		}
		sep := byte('=')
		if start == '%' {
			if data[0] == 'B' {
				return Parsed{}, ErrBankCard
			}
			sep = '^'
		} else if !trackDigits(data) {
			return Parsed{}, ErrUnrecognized
		}
		if i := strings.IndexByte(data, sep); i >= 0 {
			if pan := strings.TrimSpace(data[:i]); pan != "" {
				if isPaymentPAN(pan) {
					return Parsed{}, ErrBankCard
				}
				values = append(values, pan)
				alts = append(alts, data)
				continue
			}
		}
		if isPaymentPAN(data) {
			return Parsed{}, ErrBankCard
		}
		values = append(values, data)
	}
	if len(values) == 0 {
		return Parsed{}, ErrUnrecognized
	}
	p := Parsed{Kind: KindMagstripe, Value: values[0]}
	for _, v := range append(values[1:], alts...) {
		if v != p.Value && !contains(p.Alt, v) {
			p.Alt = append(p.Alt, v)
		}
	}
	return p, nil
}

// looksLikeTrack reports whether s opens with a start sentinel and holds an
// end sentinel (as typed or under the Russian layout).
func looksLikeTrack(s string) bool {
	if s == "" {
		return false
	}
	if hasRussian(s) {
		s = FromRussianLayout(s)
	}
	return (s[0] == '%' || s[0] == ';' || s[0] == '+') && len(s) >= 3 && strings.IndexByte(s[1:], '?') > 0
}

// trackDigits reports whether data is the character set of tracks 2 and 3
// (digits and the separators = : < >).
func trackDigits(data string) bool {
	for i := 0; i < len(data); i++ {
		c := data[i]
		if !(c >= '0' && c <= '9') && c != '=' && c != ':' && c != '<' && c != '>' {
			return false
		}
	}
	return true
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7E {
			return false
		}
	}
	return true
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
