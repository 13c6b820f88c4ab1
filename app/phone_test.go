package app_test

import (
	"testing"

	"loyaltydesk/app"
)

// CL-01, CL-03, ID-04: phones typed in the usual ways come out in E.164.
func TestNormalizePhone(t *testing.T) {
	for _, tc := range []struct {
		raw, region, want string
	}{
		// Russia, every common way of typing the same mobile number.
		{"8 (916) 123-45-67", "RU", "+79161234567"},
		{"+7 916 123-45-67", "RU", "+79161234567"},
		{"+7 916 1234567", "RU", "+79161234567"},
		{"+7(916)123-45-67", "RU", "+79161234567"},
		{"89161234567", "RU", "+79161234567"},
		{"79161234567", "RU", "+79161234567"},
		{"9161234567", "RU", "+79161234567"},
		{"7 916 123 45 67", "RU", "+79161234567"},
		{"8.916.123.45.67", "RU", "+79161234567"},
		{"  +79161234567  ", "RU", "+79161234567"},
		{"８９１６１２３４５６７", "RU", "+79161234567"},      // full-width digits from an IME
		{"+7 495 123-45-67", "RU", "+74951234567"}, // Moscow landline
		// Kazakhstan shares +7.
		{"7011234567", "KZ", "+77011234567"},
		{"8 701 123 45 67", "KZ", "+77011234567"},
		{"+7 701 123 45 67", "RU", "+77011234567"},
		// Belarus.
		{"8 029 123-45-67", "BY", "+375291234567"},
		{"80291234567", "BY", "+375291234567"},
		{"29 123-45-67", "BY", "+375291234567"},
		{"+375 29 123-45-67", "RU", "+375291234567"},
		// International numbers keep their own country whatever the region.
		{"+1 212 555 1234", "RU", "+12125551234"},
		{"+44 20 7946 0958", "RU", "+442079460958"},
		{"+49 30 123456", "KZ", "+4930123456"},
		{"8 10 1 212 555 1234", "RU", "+12125551234"}, // Russian international prefix
		{"+79161234567", "ZZ", "+79161234567"},        // a full number needs no region
		// Nothing typed is no phone, not an error.
		{"", "RU", ""},
		{"   ", "RU", ""},
	} {
		got, err := app.NormalizePhone(tc.raw, tc.region)
		if err != nil || got != tc.want {
			t.Errorf("NormalizePhone(%q, %s) = %q, %v; want %q", tc.raw, tc.region, got, err, tc.want)
		}
	}
}

// CL-01: garbage, letters and numbers that cannot exist are refused.
func TestNormalizePhoneRefuses(t *testing.T) {
	for _, tc := range []struct{ raw, region string }{
		{"123", "RU"},
		{"abc", "RU"},
		{"+7 916 123-45-6", "RU"},       // a digit short
		{"+7 916 123-45-678", "RU"},     // a digit too many
		{"8 916 123 45 67 доб 5", "RU"}, // words
		{"+7 916 ABC-45-67", "RU"},
		{"8-916-123-45-67 ext. 12", "RU"},
		{"+79161234567#", "RU"},
		{"+79161234567;ext=1", "RU"},
		{"9161234567", "ZZ"}, // no country code and no region to read it in
		{"+", "RU"},
		{"()-.", "RU"},
		{"+999 123456789", "RU"}, // no such country code
		{"0000000000", "RU"},
		{"+7 000 000-00-00", "RU"},
	} {
		if got, err := app.NormalizePhone(tc.raw, tc.region); err == nil {
			t.Errorf("NormalizePhone(%q, %s) = %q, want an error", tc.raw, tc.region, got)
		}
	}
}

// CL-13: a partly typed phone becomes the E.164 prefix it starts.
func TestPhonePrefix(t *testing.T) {
	for _, tc := range []struct {
		s, region, want string
	}{
		{"8 926 765", "RU", "+7926765"},
		{"926 76", "RU", "+792676"},
		{"+7 926", "RU", "+7926"},
		{"+7 (926) 765-43-21", "RU", "+79267654321"},
		{"79261234567", "RU", "+79261234567"}, // full number with the country code
		{"7926", "RU", "+77926"},              // short: read as a national number
		{"8 701", "KZ", "+7701"},
		{"701 12", "kz", "+770112"},
		{"29 123", "BY", "+37529123"},
		{"+375 29", "RU", "+37529"},
		{"", "RU", ""},
		{"   ", "RU", ""},
		{"abc", "RU", ""},
		{"+", "RU", ""},
	} {
		if got := app.PhonePrefix(tc.s, tc.region); got != tc.want {
			t.Errorf("PhonePrefix(%q, %s) = %q, want %q", tc.s, tc.region, got, tc.want)
		}
	}
}

// CL-13: in Belarus numbers are dialled nationally as "8 0xx …" (national
// prefix 8, then the 0 of the area code), and NormalizePhone reads them so.
// PhonePrefix strips only the 8 and keeps the 0, so a partly typed Belarusian
// number never matches the stored phone.
func TestPhonePrefixBelarusNational(t *testing.T) {
	full, err := app.NormalizePhone("8 029 123-45-67", "BY")
	if err != nil || full != "+375291234567" {
		t.Fatalf("NormalizePhone(8 029 123-45-67, BY) = %q, %v", full, err)
	}
	got := app.PhonePrefix("8 029 12", "BY")
	if got == "+3752912" {
		return
	}
	t.Error("app/phone.go PhonePrefix(\"8 029 12\", \"BY\") = " + got +
		", want +3752912 (a prefix of the stored " + full + "); it strips the national prefix 8 but not the 0 " +
		"that Belarus dials after it, so a partial Belarusian number typed nationally finds nobody (CL-13)")
}

// CL-12: the list shows numbers in the international format people read.
func TestFormatPhone(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"+79161234567", "+7 916 123-45-67"},
		{"+77011234567", "+7 701 123 4567"},
		{"+375291234567", "+375 29 123-45-67"},
		{"+12125551234", "+1 212-555-1234"},
		{"", ""},
		{"garbage", "garbage"},
		{"12345", "12345"},
	} {
		if got := app.FormatPhone(tc.in); got != tc.want {
			t.Errorf("FormatPhone(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// What FormatPhone shows reads back as the same number.
	for _, p := range []string{"+79161234567", "+77011234567", "+375291234567", "+442079460958"} {
		if back, err := app.NormalizePhone(app.FormatPhone(p), "RU"); err != nil || back != p {
			t.Errorf("NormalizePhone(FormatPhone(%s)) = %q, %v", p, back, err)
		}
	}
}

// Settings: region codes are checked against the phone metadata.
func TestValidRegion(t *testing.T) {
	for _, tc := range []struct {
		region string
		want   bool
	}{
		{"RU", true}, {"KZ", true}, {"BY", true}, {"ru", true}, {"US", true},
		{"ZZ", false}, {"", false}, {"XX", false}, {"RUS", false}, {"7", false},
	} {
		if got := app.ValidRegion(tc.region); got != tc.want {
			t.Errorf("ValidRegion(%q) = %v, want %v", tc.region, got, tc.want)
		}
	}
}
