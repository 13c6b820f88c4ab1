package hardware

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseQR(t *testing.T) {
	ok := []struct{ in, want string }{
		{"LC-0001234567", "LC-0001234567"},
		{"  0001234567\r\n", "0001234567"},
		{"https://example.org/c/42", "https://example.org/c/42"},
		{"Клиент 7", "Клиент 7"},
		{"4600000000060", "4600000000060"}, // a Luhn-valid EAN-13 with a Visa prefix is a barcode
		{strings.Repeat("x", MaxQRText), strings.Repeat("x", MaxQRText)},
	}
	for _, c := range ok {
		p, err := ParseQR(c.in)
		if err != nil || p.Kind != KindQR || p.Value != c.want || p.Alt != nil {
			t.Errorf("ParseQR(%q) = %+v, %v; want %q", c.in, p, err, c.want)
		}
	}
	bad := []struct {
		in   string
		want error
	}{
		{"", ErrUnrecognized},
		{" \t\r\n", ErrUnrecognized},
		{strings.Repeat("x", MaxQRText+1), ErrUnrecognized},
		{"a\x00b", ErrUnrecognized},
		{"line one\r\nline two", ErrUnrecognized},
		{"\xff\xfe", ErrUnrecognized},
		{"4111111111111111", ErrBankCard},
		{"4111 1111 1111 1111", ErrBankCard},
		{"5500-0000-0000-0004", ErrBankCard},
		{"2200000000000004", ErrBankCard},
	}
	for _, c := range bad {
		p, err := ParseQR(c.in)
		if !errors.Is(err, c.want) || p.Kind != "" || p.Value != "" || p.Alt != nil {
			t.Errorf("ParseQR(%q) = %+v, %v; want %v", c.in, p, err, c.want)
		}
		if errors.Is(err, ErrBankCard) && strings.Contains(err.Error(), "1111") {
			t.Errorf("the bank card error shows the number: %v", err)
		}
	}
}

// FuzzParseQR: ParseQR never panics; what it accepts is trimmed, short,
// printable UTF-8 and not a payment card; a bank card's error never
// carries its digits.
func FuzzParseQR(f *testing.F) {
	for _, s := range []string{"LC-0001234567", "0001234567", " 4111111111111111 ", "a\nb", "", "\xff", "Клиент", strings.Repeat("9", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseQR(s)
		if err != nil {
			if p.Value != "" {
				t.Fatalf("refused %q with a value %q", s, p.Value)
			}
			if errors.Is(err, ErrBankCard) && err.Error() != ErrBankCard.Error() {
				t.Fatalf("the bank card error says more: %v", err)
			}
			if !errors.Is(err, ErrBankCard) && !errors.Is(err, ErrUnrecognized) {
				t.Fatalf("ParseQR(%q): unexpected error %v", s, err)
			}
			return
		}
		v := p.Value
		if p.Kind != KindQR || v == "" || len(v) > MaxQRText || !utf8.ValidString(v) || v != strings.TrimSpace(v) {
			t.Fatalf("ParseQR(%q) accepted %+v", s, p)
		}
		if !strings.Contains(s, v) || strings.ContainsAny(v, "\x00\r\n\t") {
			t.Fatalf("ParseQR(%q) accepted %q", s, v)
		}
		if IsPaymentCard(v) {
			t.Fatalf("ParseQR accepted a payment card number %q", v)
		}
	})
}
