package hardware

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// checkParsed asserts what every parser result must satisfy.
func checkParsed(t *testing.T, f Format, line string, p Parsed, err error) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, ErrBankCard) && !errors.Is(err, ErrNoCard) && !errors.Is(err, ErrUnrecognized) {
			t.Fatalf("ParseLine(%s, %q): an unknown error %v", f, line, err)
		}
		if p.Value != "" || p.Alt != nil {
			t.Fatalf("ParseLine(%s, %q): a value with an error: %+v", f, line, p)
		}
		if strings.ContainsAny(err.Error(), "0123456789") {
			t.Fatalf("an error's text carries digits: %q", err.Error())
		}
		return
	}
	if p.Value == "" || len(p.Value) > MaxLineLen || !utf8.ValidString(p.Value) {
		t.Fatalf("ParseLine(%s, %q): bad value %+v", f, line, p)
	}
	// A value, and every Alt, never holds a payment card number.
	for _, v := range append([]string{p.Value}, p.Alt...) {
		if bankCardIn(v) || IsPaymentCard(v) {
			t.Fatalf("ParseLine(%s, %q) let a payment card through: %+v", f, line, p)
		}
	}
	if p.Kind == KindEMMarine {
		checkEMMarine(t, p)
	}
}

// checkEMMarine: the value is canonical, reads back as itself, and Alt
// opens with its W26 pair.
func checkEMMarine(t *testing.T, p Parsed) {
	t.Helper()
	if len(p.Value) != 10 || strings.ToUpper(p.Value) != p.Value || !isHex(p.Value) {
		t.Fatalf("EM-Marine value not canonical: %+v", p)
	}
	back, err := ParseLine(FormatEMMarine, p.Value)
	if err != nil || back.Value != p.Value {
		t.Fatalf("canonical %s read back as %+v %v", p.Value, back, err)
	}
	if len(p.Alt) == 0 || p.Alt[0] != back.Alt[0] {
		t.Fatalf("EM-Marine Alt does not open with the W26 pair: %+v", p)
	}
	fac, num, ok := w26Pair(p.Alt[0])
	if !ok || len(p.Alt[0]) != 9 {
		t.Fatalf("W26 pair %q not as printed", p.Alt[0])
	}
	var v uint64
	for i := 0; i < 10; i++ {
		c := p.Value[i]
		d := uint64(c - '0')
		if c >= 'A' {
			d = uint64(c-'A') + 10
		}
		v = v<<4 | d
	}
	if v&0xFFFFFF != fac<<16|num {
		t.Fatalf("W26 pair %q is not the low 24 bits of %s", p.Alt[0], p.Value)
	}
}

// checkBankCard: a line holding a payment card is refused in any format
// and the refusal does not carry its digits.
func checkBankCard(t *testing.T, line string) {
	t.Helper()
	if !holdsBankCard(line) {
		return
	}
	for _, f := range Formats {
		if _, err := ParseLine(f, line); !errors.Is(err, ErrBankCard) {
			t.Fatalf("ParseLine(%s) let a bank card line through: %v", f, err)
		}
	}
}

func seedLines(f *testing.F) {
	for _, s := range []string{
		"", "4607001771234", "LC-0001234567", ";1234=5678?", "%LOYALTY?", "ж1234=5678,",
		"Em-Marine[5500] 126,58404", "Em-Marine[5500] 126,58404,", "No card",
		"55007EE424", "0008398420", "0008398420 128,09076", "126,58404", "365072344100",
		"\x0255007EE424F8\x03", "+1?", "%E?;1?",
	} {
		f.Add(s)
	}
	for _, s := range bankCardLines() {
		f.Add(s)
	}
}

func FuzzParseLine(f *testing.F) {
	seedLines(f)
	f.Fuzz(func(t *testing.T, line string) {
		for _, fm := range Formats {
			p, err := ParseLine(fm, line)
			checkParsed(t, fm, line, p, err)
		}
		checkBankCard(t, line)
	})
}

func FuzzMagstripe(f *testing.F) {
	seedLines(f)
	f.Add("%B4111111111111111^A^1?")
	f.Fuzz(func(t *testing.T, line string) {
		p, err := ParseLine(FormatMagstripe, line)
		checkParsed(t, FormatMagstripe, line, p, err)
		if err == nil && p.Kind != KindMagstripe {
			t.Fatalf("magstripe gave kind %s", p.Kind)
		}
		checkBankCard(t, line)
		// A track built around the input's digits parses to them.
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, line)
		if digits == "" || len(digits) > 100 {
			return
		}
		track := ";" + digits + "=1?"
		p, err = ParseLine(FormatMagstripe, track)
		if holdsBankCard(track) {
			if !errors.Is(err, ErrBankCard) {
				t.Fatalf("track of a card number not refused: %v", err)
			}
			return
		}
		if err != nil || p.Value != digits || len(p.Alt) != 1 || p.Alt[0] != digits+"=1" {
			t.Fatalf("track %q: %+v %v", track, p, err)
		}
	})
}

func FuzzEMMarine(f *testing.F) {
	seedLines(f)
	f.Fuzz(func(t *testing.T, line string) {
		p, err := ParseLine(FormatEMMarine, line)
		checkParsed(t, FormatEMMarine, line, p, err)
		if err == nil && p.Kind != KindEMMarine {
			t.Fatalf("emmarine gave kind %s", p.Kind)
		}
	})
}

func FuzzEMMarineID(f *testing.F) {
	f.Add(uint64(0x55007EE424))
	f.Add(uint64(12345))
	f.Fuzz(func(t *testing.T, v uint64) {
		id := EMMarine(v & emMax)
		for _, form := range []string{id.Canonical(), strings.ToLower(id.Canonical())} {
			p, err := ParseLine(FormatEMMarine, form)
			if err != nil || p.Value != id.Canonical() || p.Alt[0] != id.W26() {
				t.Fatalf("%s: %+v %v", form, p, err)
			}
		}
		p, err := ParseLine(FormatEMMarine, fmt.Sprintf("%d,%d", (v>>16)&0xFF, v&0xFFFF))
		if err != nil || p.Alt[0] != id.W26() {
			t.Fatalf("W26 %s: %+v %v", id.W26(), p, err)
		}
	})
}

func FuzzIronLogic(f *testing.F) {
	f.Add(uint16(0x5500), uint8(126), uint16(58404), true)
	f.Fuzz(func(t *testing.T, hi uint16, fac uint8, num uint16, comma bool) {
		line := fmt.Sprintf("Em-Marine[%04X] %03d,%05d", hi, fac, num)
		if comma {
			line += ","
		}
		want := EMMarine(uint64(hi)<<24 | uint64(fac)<<16 | uint64(num))
		for _, fm := range []Format{FormatIronLogic, FormatAuto, FormatEMMarine} {
			p, err := ParseLine(fm, line+"\r\n")
			checkParsed(t, fm, line, p, err)
			if err != nil || p.Value != want.Canonical() || p.Alt[0] != want.W26() {
				t.Fatalf("ParseLine(%s, %q) = %+v %v, want %s", fm, line, p, err, want.Canonical())
			}
		}
	})
}

func FuzzIronLogicLine(f *testing.F) {
	seedLines(f)
	f.Fuzz(func(t *testing.T, line string) {
		p, err := ParseLine(FormatIronLogic, line)
		checkParsed(t, FormatIronLogic, line, p, err)
		if err == nil && (p.Kind != KindEMMarine || len(p.Alt) != 1) {
			t.Fatalf("ironlogic gave %+v", p)
		}
	})
}

func FuzzDetectWedge(f *testing.F) {
	f.Add("ж1234=5678,", []byte{5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, 30, 4)
	f.Add("Ivan4607001771234", []byte{120, 120, 120, 200, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, 0, 0)
	f.Fuzz(func(t *testing.T, s string, gaps []byte, maxGapMS, minLen int) {
		rs := []rune(s)
		if len(rs) > 200 {
			return
		}
		keys := make([]Key, len(rs))
		at := t0
		for i, r := range rs {
			if i < len(gaps) {
				at = at.Add(time.Duration(gaps[i]) * time.Millisecond)
			}
			keys[i] = Key{R: r, At: at}
		}
		end := at.Add(5 * time.Millisecond)
		if len(gaps) > len(rs) {
			end = at.Add(time.Duration(gaps[len(rs)]) * time.Millisecond)
		}
		opt := WedgeOptions{MaxGap: time.Duration(maxGapMS%1000) * time.Millisecond, MinLen: minLen % 50}
		text, n, ok := DetectWedge(keys, end, opt)
		if !ok {
			if text != "" || n != 0 {
				t.Fatalf("not a burst but %q %d", text, n)
			}
			return
		}
		if n < 1 || n > len(keys) {
			t.Fatalf("n %d of %d keys", n, len(keys))
		}
		tail := string(rs[len(rs)-n:])
		want := tail
		if hasRussian(tail) {
			want = FromRussianLayout(tail)
		}
		if text != want {
			t.Fatalf("text %q, want %q", text, want)
		}
		if utf8.RuneCountInString(text) != n {
			t.Fatalf("text %q is not %d keys", text, n)
		}
		// The burst is maximal: the key before it is too far.
		gap := opt.MaxGap
		if gap <= 0 {
			gap = 30 * time.Millisecond
		}
		if n < len(keys) && keys[len(keys)-n].At.Sub(keys[len(keys)-n-1].At) <= gap {
			t.Fatalf("the burst stopped short at %d of %d", n, len(keys))
		}
	})
}
