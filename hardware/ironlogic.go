package hardware

// The IronLogic parser: what Z-2 USB (and Matrix) readers send.

import (
	"strconv"
	"strings"
)

// parseIronLogic reads a line of an IronLogic Z-2 reader (FTDI 0403:1234,
// 9600 8N1). A card held to it gives
//
//	Em-Marine[5500] 126,58404
//
// (some firmwares add a trailing comma), its removal "No card" (ErrNoCard,
// any case). In the brackets are the id's upper 16 bits in hex, then the
// Wiegand-26 pair: the facility (8 bits) and the number (16 bits), so the
// 40-bit id is 5500·2²⁴ + 126·2¹⁶ + 58404 = 55007EE424, with Alt the pair
// "126,58404". Other card types the reader knows (Mifare[…] …) are not
// EM-Marine ids and give ErrUnrecognized.
func parseIronLogic(line string) (Parsed, error) {
	s := trimLine(line)
	if isNoCard(s) {
		return Parsed{}, ErrNoCard
	}
	if len(s) > 64 {
		return Parsed{}, ErrUnrecognized
	}
	name, rest, ok := strings.Cut(s, "[")
	if !ok || !strings.EqualFold(strings.TrimSpace(name), "Em-Marine") {
		return Parsed{}, ErrUnrecognized
	}
	hi, pair, ok := strings.Cut(rest, "]")
	if !ok || hi == "" || len(hi) > 4 || !isHex(hi) {
		return Parsed{}, ErrUnrecognized
	}
	if pair == "" || (pair[0] != ' ' && pair[0] != '\t') {
		return Parsed{}, ErrUnrecognized
	}
	fac, num, ok := w26Pair(pair)
	if !ok {
		return Parsed{}, ErrUnrecognized
	}
	h, _ := strconv.ParseUint(hi, 16, 64)
	return EMMarine(h<<24 | fac<<16 | num).parsed(), nil
}

// isNoCard reports whether s is a reader's "no card" line.
func isNoCard(s string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(s), " "), "No card")
}
