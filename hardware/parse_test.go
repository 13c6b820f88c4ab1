package hardware

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func mustParse(t *testing.T, f Format, line string) Parsed {
	t.Helper()
	p, err := ParseLine(f, line)
	if err != nil {
		t.Fatalf("ParseLine(%s, %q): %v", f, line, err)
	}
	return p
}

func TestParseBarcode(t *testing.T) {
	p := mustParse(t, FormatBarcode, "  4607001771234\r\n")
	if p.Kind != KindBarcode || p.Value != "4607001771234" || len(p.Alt) != 0 {
		t.Fatalf("got %+v", p)
	}
	if p := mustParse(t, FormatBarcode, "LC-0001234567"); p.Value != "LC-0001234567" {
		t.Fatalf("got %+v", p)
	}
	for _, bad := range []string{"", "   ", "ab\x00cd", "\xff\xfe", strings.Repeat("x", MaxLineLen+1)} {
		if _, err := ParseLine(FormatBarcode, bad); !errors.Is(err, ErrUnrecognized) {
			t.Errorf("ParseLine(barcode, %q) err = %v, want ErrUnrecognized", bad, err)
		}
	}
	// A GS1 DataMatrix's group separator stays inside.
	if p := mustParse(t, FormatBarcode, "0104600000000001\x1d21abc"); !strings.Contains(p.Value, "\x1d") {
		t.Fatalf("got %+v", p)
	}
}

func TestParseMagstripe(t *testing.T) {
	cases := []struct {
		line  string
		value string
		alt   []string
	}{
		{";1234=5678?", "1234", []string{"1234=5678"}},
		{";1234=5678?\r\n", "1234", []string{"1234=5678"}},
		{";00012345?", "00012345", nil},
		{"%LOYALTY12345?", "LOYALTY12345", nil},
		{"%AVIP^PETROV^0001?;777=1?", "AVIP", []string{"777", "AVIP^PETROV^0001", "777=1"}},
		{"%E?;1234=5678?+E?", "1234", []string{"1234=5678"}},
		{"+0123456789?", "0123456789", nil},
		{";1234=5678?x", "1234", []string{"1234=5678"}}, // an LRC character after the end
		// Under the Russian layout.
		{"ж1234=5678,", "1234", []string{"1234=5678"}},
		{"%ДЩНФДЕН12,", "LOYALTY12", nil},
	}
	for _, c := range cases {
		for _, f := range []Format{FormatMagstripe, FormatAuto} {
			p := mustParse(t, f, c.line)
			if p.Kind != KindMagstripe || p.Value != c.value || !slices.Equal(p.Alt, c.alt) {
				t.Errorf("ParseLine(%s, %q) = %+v, want %s %v", f, c.line, p, c.value, c.alt)
			}
		}
	}
	for _, bad := range []string{"", "1234=5678", ";1234=5678", ";12a4=5678?", "%?", ";E?", "%ab\x01c?"} {
		if _, err := ParseLine(FormatMagstripe, bad); !errors.Is(err, ErrUnrecognized) {
			t.Errorf("ParseLine(magstripe, %q) err = %v, want ErrUnrecognized", bad, err)
		}
	}
}

// bankCardLines are swipes and scans of bank cards in every guise: each
// must be refused in every format, with an error that carries no digit.
func bankCardLines() []string {
	pan := withLuhn("427600123456789") // a Sberbank Visa prefix
	if !IsPaymentCard(pan) {
		panic("test PAN is not a card")
	}
	mir := withLuhn("220220123456789")
	return []string{
		"%B" + pan + "^IVANOV/IVAN^2712101000000000000000000?",
		";" + pan + "=27121010000000000000?",
		"%B" + pan + "^IVANOV/IVAN^27121010000?;" + pan + "=2712101?",
		";" + mir + "=2712?",
		pan,
		pan[:4] + " " + pan[4:8] + " " + pan[8:12] + " " + pan[12:],
		"ж" + pan + "=27121010000000000000,", // under the Russian layout
		"%И" + pan + "^IVANOV^2712?",         // %B under the Russian layout
		"%B" + mir + "^^?",
		"+" + pan + "=1?",
		"card " + pan + " here",
	}
}

func TestParseRefusesBankCards(t *testing.T) {
	for _, line := range bankCardLines() {
		for _, f := range Formats {
			_, err := ParseLine(f, line)
			if !errors.Is(err, ErrBankCard) {
				t.Errorf("ParseLine(%s, bank card #%d) err = %v, want ErrBankCard", f, len(line), err)
				continue
			}
			if strings.ContainsAny(err.Error(), "0123456789") {
				t.Errorf("the refusal's text carries digits: %q", err.Error())
			}
		}
	}
}

// em is the id of an IronLogic line's parts.
func em(hi, fac, num uint64) EMMarine { return EMMarine(hi<<24 | fac<<16 | num) }

func TestParseIronLogic(t *testing.T) {
	want := em(0x5500, 126, 58404)
	for _, line := range []string{
		"Em-Marine[5500] 126,58404",
		"Em-Marine[5500] 126,58404,",
		"Em-Marine[5500] 126,58404\r\n",
		"em-marine[5500]  126,58404 ,",
	} {
		for _, f := range []Format{FormatIronLogic, FormatAuto, FormatEMMarine} {
			p := mustParse(t, f, line)
			if p.Kind != KindEMMarine || p.Value != want.Canonical() || len(p.Alt) != 1 || p.Alt[0] != "126,58404" {
				t.Errorf("ParseLine(%s, %q) = %+v, want %s [126,58404]", f, line, p, want.Canonical())
			}
		}
	}
	if got := want.Canonical(); got != "55007EE424" {
		t.Fatalf("canonical %s", got)
	}
	p := mustParse(t, FormatIronLogic, "Em-Marine[1700] 009,2847")
	if p.Value != em(0x1700, 9, 2847).Canonical() || p.Alt[0] != "009,02847" {
		t.Fatalf("got %+v", p)
	}
	for _, f := range []Format{FormatIronLogic, FormatAuto, FormatEMMarine} {
		for _, line := range []string{"No card", "No Card\r", " no  card "} {
			if _, err := ParseLine(f, line); !errors.Is(err, ErrNoCard) {
				t.Errorf("ParseLine(%s, %q) err = %v, want ErrNoCard", f, line, err)
			}
		}
	}
	for _, bad := range []string{
		"Em-Marine[5500] 256,58404",  // facility over 255
		"Em-Marine[5500] 126,65536",  // number over 65535
		"Em-Marine[55000] 126,58404", // more than 16 bits in brackets
		"Em-Marine[55G0] 126,58404",  // not hex
		"Em-Marine[5500]126,58404",   // no blank
		"Mifare[BCD14264] 1K (0004,08) 066,53692",
		"Em-Marine 126,58404",
	} {
		if _, err := ParseLine(FormatIronLogic, bad); !errors.Is(err, ErrUnrecognized) {
			t.Errorf("ParseLine(ironlogic, %q) err = %v, want ErrUnrecognized", bad, err)
		}
	}
}

func TestParseEMMarineForms(t *testing.T) {
	id := em(0x5500, 126, 58404)
	dec40 := fmt.Sprint(uint64(id))                      // 40-bit decimal, 12 digits
	dec32 := fmt.Sprintf("%010d", uint64(id)&0xFFFFFFFF) // 32-bit decimal as readers type it
	low32 := EMMarine(uint64(id) & 0xFFFFFFFF)
	low24 := EMMarine(uint64(id) & 0xFFFFFF)
	cases := []struct {
		line  string
		value string
		alt0  string
	}{
		{"55007EE424", id.Canonical(), "126,58404"},
		{"55007ee424", id.Canonical(), "126,58404"},
		{dec40, id.Canonical(), "126,58404"},
		{"126,58404", low24.Canonical(), "126,58404"},
		{"126,58404,", low24.Canonical(), "126,58404"},
		{"126, 058404", low24.Canonical(), "126,58404"},
		{dec32 + " 126,58404", low32.Canonical(), "126,58404"},
		{"12345", EMMarine(12345).Canonical(), "000,12345"},
	}
	for _, c := range cases {
		p := mustParse(t, FormatEMMarine, c.line)
		if p.Kind != KindEMMarine || p.Value != c.value || len(p.Alt) == 0 || p.Alt[0] != c.alt0 {
			t.Errorf("ParseLine(emmarine, %q) = %+v, want %s alt %s", c.line, p, c.value, c.alt0)
		}
	}
	// Ten decimal digits: the hex reading, then the decimal one in Alt.
	p := mustParse(t, FormatEMMarine, dec32)
	if p.Value != dec32 || !slices.Contains(p.Alt, low32.Canonical()) || !slices.Contains(p.Alt, low32.W26()) {
		t.Fatalf("ten digits %s: %+v (want the decimal reading %s %s in Alt)", dec32, p, low32.Canonical(), low32.W26())
	}
	// An RDM6300 frame: the id then the XOR of its five bytes.
	x := byte(0)
	for i := 0; i < 5; i++ {
		x ^= byte(uint64(id) >> (8 * i))
	}
	frame := fmt.Sprintf("\x02%s%02X\x03", id.Canonical(), x)
	if p := mustParse(t, FormatAuto, frame); p.Value != id.Canonical() {
		t.Fatalf("RDM6300 frame: %+v", p)
	}
	for _, bad := range []string{"", "1099511627776", "55007EE42", "55007EE4245", "256,1", "1,65536", ",1", "1,", "abc"} {
		if _, err := ParseLine(FormatEMMarine, bad); !errors.Is(err, ErrUnrecognized) {
			t.Errorf("ParseLine(emmarine, %q) err = %v, want ErrUnrecognized", bad, err)
		}
	}
}

func TestParseAutoGuesses(t *testing.T) {
	cases := []struct {
		line string
		kind Kind
	}{
		{"4607001771234", KindBarcode}, // EAN-13
		{"LC-0001234567", KindBarcode}, // our own card
		{"1234567890", KindBarcode},    // ten digits not zero-padded
		{"0008398420", KindEMMarine},   // a cheap reader's 32-bit decimal
		{"55007EE424", KindEMMarine},   // hex with a letter
		{"128,09076", KindEMMarine},    // a W26 pair
		{";1234=5678?", KindMagstripe}, // track 2
		{"Em-Marine[5500] 126,58404", KindEMMarine},
		{"https://example.org/c/42", KindBarcode},
	}
	for _, c := range cases {
		if p := mustParse(t, FormatAuto, c.line); p.Kind != c.kind {
			t.Errorf("auto %q = %+v, want kind %s", c.line, p, c.kind)
		}
	}
	if _, err := ParseLine("nonsense", "123"); !errors.Is(err, ErrUnrecognized) {
		t.Fatalf("unknown format: %v", err)
	}
}

// TestEMMarineRoundTrip: a canonical value read back is itself, for ids
// of every shape (all digits, leading zeros, letters).
func TestEMMarineRoundTrip(t *testing.T) {
	for _, v := range []uint64{0, 1, 12345, 0xFFFFFFFF, 0x100000000, 0x5500712345, 0x55007EE424, emMax} {
		c := EMMarine(v).Canonical()
		p := mustParse(t, FormatEMMarine, c)
		if p.Value != c {
			t.Errorf("round trip %s → %s", c, p.Value)
		}
	}
}
