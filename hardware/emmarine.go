package hardware

// The EM-Marine (EM4100, 125 kHz) parser: one canonical 40-bit form for an
// id that readers print in five ways.

import (
	"fmt"
	"strconv"
	"strings"
)

// EMMarine is a 40-bit EM-Marine id.
type EMMarine uint64

// emMax is the largest 40-bit id.
const emMax = 1<<40 - 1

// Canonical is the id as scans carry it: 10 upper-case hex digits.
func (id EMMarine) Canonical() string { return fmt.Sprintf("%010X", uint64(id)&emMax) }

// W26 is the Wiegand-26 pair printed on most cards and shown by IronLogic
// readers: the facility (bits 16–23) with three digits and the number (the
// low 16 bits) with five, zero-padded: "126,58404", "009,02847". Only the
// low 24 bits of the id are in it.
func (id EMMarine) W26() string {
	return fmt.Sprintf("%03d,%05d", (uint64(id)>>16)&0xFF, uint64(id)&0xFFFF)
}

// parsed is the id as a scan: Value the canonical form, Alt the W26 pair
// then the extra values.
func (id EMMarine) parsed(extra ...string) Parsed {
	p := Parsed{Kind: KindEMMarine, Value: id.Canonical(), Alt: []string{id.W26()}}
	for _, e := range extra {
		if e != p.Value && !contains(p.Alt, e) {
			p.Alt = append(p.Alt, e)
		}
	}
	return p
}

// parseEMMarine reads an EM-Marine id in any of the forms readers print:
//
//   - 10 hex digits: the 40-bit id itself ("55007EE424", any case);
//   - 11 to 13 decimal digits: the 40-bit id in decimal;
//   - up to 10 decimal digits: the low 32 bits in decimal (cheap USB
//     readers type them zero-padded to 10 digits: "0008398420"); the upper
//     byte is unknown and taken as 0;
//   - a Wiegand-26 pair "fac,num" (fac 0–255, num 0–65535, a trailing comma
//     allowed): the low 24 bits only, the upper 16 taken as 0;
//   - the printed pair "0008398420 128,09076" (32-bit decimal then W26);
//   - an RDM6300 frame: 10 hex digits, 2 of XOR check (STX/ETX trimmed),
//     with a letter among them (12 decimal digits are a UPC-A barcode);
//   - an IronLogic line (parseIronLogic).
//
// Ten decimal digits are both a hex id and a decimal one. The canonical
// value is the hex reading, so that a canonical value read back is itself
// (the form round-trips), and the decimal reading follows in Alt: its
// canonical form and its W26 pair. When a W26 pair printed next to the
// digits agrees with the decimal reading, that reading is the value.
// Every result's Alt opens with the W26 pair of the value.
func parseEMMarine(line string) (Parsed, error) {
	s := trimLine(line)
	if p, err := parseIronLogic(s); err == nil || err == ErrNoCard {
		return p, err
	}
	if p, ok := emMarineStrict(s); ok {
		return p, nil
	}
	if len(s) > 40 {
		return Parsed{}, ErrUnrecognized
	}
	switch {
	case allDigits(s) && len(s) <= 13:
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil || v > emMax {
			return Parsed{}, ErrUnrecognized
		}
		if len(s) == 10 {
			return tenDigits(s, v), nil
		}
		if len(s) < 10 && v > 0xFFFFFFFF {
			return Parsed{}, ErrUnrecognized
		}
		return EMMarine(v).parsed(), nil
	case isHex(s) && len(s) == 10:
		v, _ := strconv.ParseUint(s, 16, 64)
		return EMMarine(v).parsed(), nil
	}
	return Parsed{}, ErrUnrecognized
}

// emMarineStrict reads the forms that cannot be a barcode: 10 hex digits
// with a letter among them, a Wiegand-26 pair, the printed "decimal pair"
// line, a zero-padded 10-digit 32-bit decimal, an RDM6300 frame.
func emMarineStrict(s string) (Parsed, bool) {
	if len(s) > 40 {
		return Parsed{}, false
	}
	if fac, num, ok := w26Pair(s); ok {
		return EMMarine(fac<<16 | num).parsed(), true
	}
	if dec, pair, ok := strings.Cut(s, " "); ok && len(dec) == 10 && allDigits(dec) {
		fac, num, ok := w26Pair(strings.TrimSpace(pair))
		v, err := strconv.ParseUint(dec, 10, 64)
		if ok && err == nil && v <= 0xFFFFFFFF {
			if v&0xFFFFFF == fac<<16|num {
				return EMMarine(v).parsed(), true
			}
			return tenDigits(dec, v), true
		}
	}
	if len(s) == 10 && isHex(s) && !allDigits(s) {
		v, _ := strconv.ParseUint(s, 16, 64)
		return EMMarine(v).parsed(), true
	}
	if len(s) == 10 && s[0] == '0' && allDigits(s) {
		v, _ := strconv.ParseUint(s, 10, 64)
		if v <= 0xFFFFFFFF {
			return tenDigits(s, v), true
		}
	}
	if len(s) == 12 && isHex(s) && !allDigits(s) { // digits only: a UPC-A
		v, _ := strconv.ParseUint(s, 16, 64)
		sum := byte(0)
		for i := 1; i < 6; i++ {
			sum ^= byte(v >> (8 * i))
		}
		if sum == byte(v) {
			return EMMarine(v >> 8).parsed(), true
		}
	}
	return Parsed{}, false
}

// tenDigits is the id of ten decimal digits s (value v in decimal): the hex
// reading as value, the decimal one in Alt.
func tenDigits(s string, v uint64) Parsed {
	h, _ := strconv.ParseUint(s, 16, 64)
	dec := EMMarine(v)
	return EMMarine(h).parsed(dec.Canonical(), dec.W26())
}

// w26Pair reads "fac,num" (3 and 6 digits at most: "126,058404" is seen
// too; blanks around the comma
// and a trailing comma allowed).
func w26Pair(s string) (fac, num uint64, ok bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), ",")
	a, b, found := strings.Cut(s, ",")
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if !found || a == "" || b == "" || len(a) > 3 || len(b) > 6 || !allDigits(a) || !allDigits(b) {
		return 0, 0, false
	}
	fac, _ = strconv.ParseUint(a, 10, 64)
	num, _ = strconv.ParseUint(b, 10, 64)
	if fac > 0xFF || num > 0xFFFF {
		return 0, 0, false
	}
	return fac, num, true
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F') {
			return false
		}
	}
	return s != ""
}
