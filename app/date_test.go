package app_test

import (
	"testing"
	"time"

	"loyaltydesk/app"
)

func date(y int, m time.Month, d int) app.Date { return app.Date{Year: y, Month: m, Day: d} }

// CL-01: birth dates are typed as DD.MM.YYYY, D.M.YYYY, DD/MM/YYYY or YYYY-MM-DD.
func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want app.Date
	}{
		{"05.03.1990", date(1990, time.March, 5)},
		{"5.3.1990", date(1990, time.March, 5)},
		{"05/03/1990", date(1990, time.March, 5)},
		{"5/3/1990", date(1990, time.March, 5)},
		{"1990-03-05", date(1990, time.March, 5)},
		{"1990-3-5", date(1990, time.March, 5)},
		{"  31.12.1999\t", date(1999, time.December, 31)},
		{"29.02.2000", date(2000, time.February, 29)}, // divisible by 400: leap
		{"29.02.2024", date(2024, time.February, 29)},
		{"2024-02-29", date(2024, time.February, 29)},
		{"01.01.1000", date(1000, time.January, 1)},
		{"31.12.9999", date(9999, time.December, 31)},
		{"", app.Date{}},
		{"   ", app.Date{}},
	} {
		got, err := app.ParseDate(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseDate(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}

// CL-01: dates that do not exist and other forms are refused.
func TestParseDateRefuses(t *testing.T) {
	for _, in := range []string{
		"31.02.2000", // no 31 February
		"30.02.2024",
		"29.02.2001", // not a leap year
		"29.02.1900", // divisible by 100, not by 400
		"31.04.2000",
		"00.01.2000",
		"01.00.2000",
		"01.13.2000",
		"32.01.2000",
		"2000-13-01",
		"2000-02-30",
		"01.01.99",   // two-digit year
		"01.01.0999", // three-digit year
		"01.01.10000",
		"2000/01/02", // slashes are day first
		"01-02",
		"01.02",
		"1.2.3.2000",
		"1.1.2000.",
		"-1.01.2000",
		"01.-1.2000",
		"a.b.cccc",
		"вчера",
		"05 03 1990",
		"05.03-1990",
		"1990-03-05T00:00:00Z",
		"99999999999999999999.01.2000",
	} {
		if got, err := app.ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) = %+v, want an error", in, got)
		}
	}
}

func TestDateFormatAndString(t *testing.T) {
	for _, tc := range []struct {
		d           app.Date
		format, iso string
	}{
		{date(1990, time.March, 5), "05.03.1990", "1990-03-05"},
		{date(2000, time.December, 31), "31.12.2000", "2000-12-31"},
		{date(1000, time.January, 1), "01.01.1000", "1000-01-01"},
		{app.Date{}, "", ""},
	} {
		if got := tc.d.Format(); got != tc.format {
			t.Errorf("%+v.Format() = %q, want %q", tc.d, got, tc.format)
		}
		if got := tc.d.String(); got != tc.iso {
			t.Errorf("%+v.String() = %q, want %q", tc.d, got, tc.iso)
		}
		// Both forms parse back to the date.
		for _, s := range []string{tc.d.Format(), tc.d.String()} {
			if back, err := app.ParseDate(s); err != nil || back != tc.d {
				t.Errorf("ParseDate(%q) = %+v, %v; want %+v", s, back, err, tc.d)
			}
		}
	}
	if !(app.Date{}).IsZero() || date(2000, 1, 1).IsZero() {
		t.Error("IsZero is wrong")
	}
}

func TestDateBeforeAndDateOf(t *testing.T) {
	for _, tc := range []struct {
		a, b app.Date
		want bool
	}{
		{date(1999, 12, 31), date(2000, 1, 1), true},
		{date(2000, 1, 31), date(2000, 2, 1), true},
		{date(2000, 2, 1), date(2000, 2, 2), true},
		{date(2000, 2, 2), date(2000, 2, 2), false},
		{date(2000, 2, 3), date(2000, 2, 2), false},
		{date(2001, 1, 1), date(2000, 12, 31), false},
	} {
		if got := tc.a.Before(tc.b); got != tc.want {
			t.Errorf("%v.Before(%v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	// DateOf takes the date in the time's own zone: 23:30 UTC on 14 March is
	// already 15 March in Moscow.
	utc := time.Date(2026, time.March, 14, 23, 30, 0, 0, time.UTC)
	msk := utc.In(time.FixedZone("MSK", 3*3600))
	if got := app.DateOf(utc); got != date(2026, time.March, 14) {
		t.Errorf("DateOf(UTC) = %v", got)
	}
	if got := app.DateOf(msk); got != date(2026, time.March, 15) {
		t.Errorf("DateOf(MSK) = %v", got)
	}
	if got := date(2026, time.March, 15).Time(time.UTC); !got.Equal(time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Time(UTC) = %v", got)
	}
}

// CL-01: InputOf prefills the dialog with what reproduces the client.
func TestInputOf(t *testing.T) {
	c := app.Client{
		FirstName: "Анна", LastName: "Семёнова", Patronymic: "Петровна", Phone: "+79161234567",
		Email: "a@b.ru", Gender: app.GenderFemale, BirthDate: date(1990, time.March, 5),
		ExternalID: "POS-1", Note: "note",
	}
	in := app.InputOf(c)
	want := app.ClientInput{
		FirstName: "Анна", LastName: "Семёнова", Patronymic: "Петровна", Phone: "+79161234567",
		Email: "a@b.ru", Gender: app.GenderFemale, BirthDate: "05.03.1990", ExternalID: "POS-1", Note: "note",
	}
	if in != want {
		t.Errorf("InputOf = %+v, want %+v", in, want)
	}
	if got := app.InputOf(app.Client{FirstName: "X"}).BirthDate; got != "" {
		t.Errorf("InputOf(no birth date).BirthDate = %q, want empty", got)
	}
}
