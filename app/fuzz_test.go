package app_test

// Fuzz tests of the parsers behind the client dialog and the search box
// (CL-01, CL-13). With plain `go test` they run their seeds; run them with
// -fuzz=FuzzXxx to explore.

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"loyaltydesk/app"
)

// fuzzRegions are the phone regions the fuzz tests pick from.
var fuzzRegions = []string{"RU", "KZ", "BY", "UA", "US", "DE", "GB"}

func fuzzRegion(i uint8) string { return fuzzRegions[int(i)%len(fuzzRegions)] }

// isE164 reports whether s is "+" and ASCII digits, the first not 0. E.164
// allows at most 15 digits, but libphonenumber accepts some longer numbers
// (German ones: "20100000000000" in DE is +4920100000000000, 16 digits), so
// the bound is phonenumbers' own: a country code of up to 3 digits and a
// national number of up to 17.
func isE164(s string) bool {
	if len(s) < 3 || len(s) > 1+3+17 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FuzzParseDate: ParseDate never panics; a date it accepts exists, has a
// four-digit year, and its Format() and String() parse back to it.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"05.03.1990", "5.3.1990", "1990-03-05", "05/03/1990", "29.02.2000", "31.02.2000", "29.02.1900",
		"", " ", "01.01.99", "31.12.9999", "01.01.1000", "00.00.0000", "1.1.2000.", "+5.+3.+1990",
		" 5 . 3 . 1990 ", "-1.1.2000", "99999999999999999999.1.2000", "1.1.9223372036854775807",
		"2000--1-1", "1e3.1.2000", "١٢.٠٣.١٩٩٠", "0x1.0x1.2000", "٥.٣.١٩٩٠",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := app.ParseDate(s)
		if err != nil {
			if !d.IsZero() {
				t.Errorf("ParseDate(%q) failed but returned %+v", s, d)
			}
			return
		}
		if d.IsZero() {
			if strings.TrimSpace(s) != "" {
				t.Errorf("ParseDate(%q) = zero date without an error", s)
			}
			return
		}
		if d.Year < 1000 || d.Year > 9999 {
			t.Errorf("ParseDate(%q) = %+v: year out of range", s, d)
		}
		if app.DateOf(d.Time(time.UTC)) != d {
			t.Errorf("ParseDate(%q) = %+v, which does not exist", s, d)
		}
		for _, form := range []string{d.Format(), d.String()} {
			back, err := app.ParseDate(form)
			if err != nil || back != d {
				t.Errorf("ParseDate(%q) = %+v, but ParseDate(%q) = %+v, %v", s, d, form, back, err)
			}
		}
	})
}

// FuzzNormalizePhone: NormalizePhone never panics; what it returns is E.164
// and normalising it again (in any region) gives the same number, as does
// normalising what FormatPhone shows for it.
func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{
		"8 (916) 123-45-67", "+7 916 123-45-67", "9161234567", "79161234567", "7011234567", "8 029 123-45-67",
		"+375 29 123-45-67", "+1 212 555 1234", "8 10 1 212 555 1234", "+44 20 7946 0958", "+49 30 123456",
		"", "   ", "123", "abc", "+", "++7", "((((", "+7 916 123-45-6", "8-916-123-45-67 доб. 5",
		"８９１６１２３４５６７", "٠٩١٦١٢٣٤٥٦٧", "+0 123 456", "00 7 916 123 45 67", "+7..916", "8 800 555-35-35",
		"20100000000000", // found by the fuzzer: valid in DE, 16 digits in E.164
	} {
		for i := range uint8(3) {
			f.Add(s, i)
		}
	}
	f.Fuzz(func(t *testing.T, raw string, r uint8) {
		region := fuzzRegion(r)
		p, err := app.NormalizePhone(raw, region)
		if err != nil {
			if p != "" {
				t.Errorf("NormalizePhone(%q, %s) failed but returned %q", raw, region, p)
			}
			return
		}
		if p == "" {
			if strings.TrimSpace(raw) != "" {
				t.Errorf("NormalizePhone(%q, %s) = \"\" without an error", raw, region)
			}
			return
		}
		if !isE164(p) {
			t.Fatalf("NormalizePhone(%q, %s) = %q, not E.164", raw, region, p)
		}
		for _, other := range []string{region, "RU", "US"} {
			if again, err := app.NormalizePhone(p, other); err != nil || again != p {
				t.Errorf("NormalizePhone(%q, %s) = %q, but NormalizePhone(%q, %s) = %q, %v", raw, region, p, p, other, again, err)
			}
		}
		shown := app.FormatPhone(p)
		if again, err := app.NormalizePhone(shown, region); err != nil || again != p {
			t.Errorf("FormatPhone(%q) = %q, which normalises to %q, %v", p, shown, again, err)
		}
	})
}

// FuzzNormalizeSearch: NormalizeSearch never panics and its keys keep their
// shapes: Raw is the trimmed text with single spaces, Name its folded form,
// Email its lower case, Phone an E.164 prefix and Digits the reversed digits.
func FuzzNormalizeSearch(f *testing.F) {
	for _, s := range []string{
		"", " ", "Семёнова", "  анна   СЕМЁНОВА ", "4567", "8 916 12", "+7 903", "ivan@mail.ru", "CARD-000123",
		"POS-42", "45", "8 (916) 123-45-67", "916abc", "\t\n", "ё", "Ё", "+", "()", "８９１６", "İstanbul",
		"\xff\xfe", "a\x00b",
	} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, text string, r uint8) {
		region := fuzzRegion(r)
		k := app.NormalizeSearch(text, region)
		raw := strings.Join(strings.Fields(text), " ")
		if k.Raw != raw {
			t.Fatalf("NormalizeSearch(%q).Raw = %q, want %q", text, k.Raw, raw)
		}
		if k.IsEmpty() != (raw == "") {
			t.Errorf("NormalizeSearch(%q).IsEmpty() = %v", text, k.IsEmpty())
		}
		if raw == "" {
			if k != (app.SearchKeys{}) {
				t.Errorf("NormalizeSearch(%q) = %+v, want no keys", text, k)
			}
			return
		}
		if k.Name != app.FoldName(raw) {
			t.Errorf("Name = %q, want FoldName(%q) = %q", k.Name, raw, app.FoldName(raw))
		}
		if utf8.ValidString(raw) && strings.Contains(k.Name, "ё") {
			t.Errorf("Name %q keeps ё", k.Name)
		}
		if k.Email != strings.ToLower(raw) {
			t.Errorf("Email = %q, want %q", k.Email, strings.ToLower(raw))
		}
		if k.Digits != "" && k.Digits != app.ReversedDigits(raw) {
			t.Errorf("Digits = %q, want ReversedDigits(%q) = %q", k.Digits, raw, app.ReversedDigits(raw))
		}
		if k.Digits != "" && len(k.Digits) < 3 {
			t.Errorf("Digits = %q: fewer than three digits should not search", k.Digits)
		}
		if k.Phone != "" {
			if k.Phone[0] != '+' || strings.Trim(k.Phone[1:], "0123456789") != "" || len(k.Phone) < 2 {
				t.Errorf("Phone = %q, not a + and digits", k.Phone)
			}
		}
		if k.Phone != "" || k.Digits != "" {
			if strings.ContainsFunc(raw, func(r rune) bool { return !unicode.IsDigit(r) && !strings.ContainsRune("+-() .", r) }) {
				t.Errorf("NormalizeSearch(%q) made phone keys %+v from text that is no phone", text, k)
			}
		}
	})
}

// FuzzPhonePrefix: PhonePrefix never panics and returns "" or "+digits".
func FuzzPhonePrefix(f *testing.F) {
	for _, s := range []string{"8 926 765", "926 76", "+7 926", "79261234567", "", "abc", "8 029 12", "+", "8"} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, r uint8) {
		region := fuzzRegion(r)
		p := app.PhonePrefix(s, region)
		if p == "" {
			if strings.ContainsAny(s, "0123456789") {
				t.Errorf("PhonePrefix(%q, %s) = \"\" though it has digits", s, region)
			}
			return
		}
		if p[0] != '+' || len(p) < 2 || strings.Trim(p[1:], "0123456789") != "" {
			t.Errorf("PhonePrefix(%q, %s) = %q, not a + and digits", s, region, p)
		}
	})
}

// FuzzParseMonthDay: the birthday bounds of the filter panel (CL-14) either
// fail with ErrInvalid or give a day that exists and reads back the same.
func FuzzParseMonthDay(f *testing.F) {
	for _, s := range []string{"05.01", "5.1", "31/12", "29.02", "31.02", "15.03.1990", "", " ", "1.13", "0.0", "-1.5",
		"99999999999999999999.1", "12-05", "5.1x", "٥.١"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := app.ParseMonthDay(s)
		if err != nil {
			if !errors.Is(err, app.ErrInvalid) || m != 0 {
				t.Errorf("ParseMonthDay(%q) = %v, %v", s, m, err)
			}
			return
		}
		if m.IsZero() {
			if strings.TrimSpace(s) != "" {
				t.Errorf("ParseMonthDay(%q) = unset without an error", s)
			}
			return
		}
		if !m.Valid() {
			t.Fatalf("ParseMonthDay(%q) = %d, a day that does not exist", s, m)
		}
		if back, err := app.ParseMonthDay(m.String()); err != nil || back != m {
			t.Errorf("ParseMonthDay(%q) = %v, reads back as %v, %v", s, m, back, err)
		}
	})
}

// FuzzSpread checks the shares that discounts, points paid and accruals are
// divided into: they add up to the total exactly, zero weights get nothing,
// and no share is more than one kopeck off its exact proportion.
func FuzzSpread(f *testing.F) {
	f.Add(int64(1000), int64(500), int64(150), int64(0))
	f.Add(int64(7), int64(1), int64(1), int64(1))
	f.Add(int64(0), int64(3), int64(0), int64(9))
	f.Fuzz(func(t *testing.T, total, a, b, c int64) {
		const limit = 1 << 42
		if total < 0 || total > limit || a < 0 || a > limit || b < 0 || b > limit || c < 0 || c > limit {
			return
		}
		w := []int64{a, b, c}
		s := app.Spread(total, w)
		var sum, wsum int64
		for i := range w {
			sum += s[i]
			wsum += w[i]
			if w[i] == 0 && s[i] != 0 {
				t.Fatalf("zero weight got %d", s[i])
			}
		}
		if wsum == 0 {
			if sum != 0 {
				t.Fatalf("no weights, shares %v", s)
			}
			return
		}
		if sum != total {
			t.Fatalf("Spread(%d, %v) = %v adds up to %d", total, w, s, sum)
		}
		for i := range w {
			lo := new(big.Int).Div(new(big.Int).Mul(big.NewInt(total), big.NewInt(w[i])), big.NewInt(wsum))
			if d := s[i] - lo.Int64(); d < 0 || d > 1 {
				t.Fatalf("Spread(%d, %v) = %v: share %d is %d off", total, w, s, i, d)
			}
		}
	})
}
