package app

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar date without a time of day or zone (a birth date).
// The zero value means unknown.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// IsZero reports whether the date is unknown.
func (d Date) IsZero() bool { return d.Year == 0 }

// String returns the ISO form YYYY-MM-DD, or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Format returns the Russian form DD.MM.YYYY, or "" for the zero date.
func (d Date) Format() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d.%02d.%04d", d.Day, int(d.Month), d.Year)
}

// Time returns midnight of the date in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate reads DD.MM.YYYY (also D.M.YYYY, DD/MM/YYYY) or YYYY-MM-DD. It
// rejects dates that do not exist, such as 31.02.2000.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	var parts []string
	iso := false
	switch {
	case strings.Count(s, "-") == 2:
		parts, iso = strings.Split(s, "-"), true
	case strings.Count(s, ".") == 2:
		parts = strings.Split(s, ".")
	case strings.Count(s, "/") == 2:
		parts = strings.Split(s, "/")
	default:
		return Date{}, fmt.Errorf("date %q: want DD.MM.YYYY", s)
	}
	n := make([]int, 3)
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || p == "" || strings.Trim(p, "0123456789") != "" {
			return Date{}, fmt.Errorf("date %q: want DD.MM.YYYY", s)
		}
		n[i] = v
	}
	d := Date{Year: n[2], Month: time.Month(n[1]), Day: n[0]}
	if iso {
		d = Date{Year: n[0], Month: time.Month(n[1]), Day: n[2]}
	}
	if d.Year < 1000 || d.Year > 9999 {
		return Date{}, fmt.Errorf("date %q: the year needs four digits", s)
	}
	t := d.Time(time.UTC)
	if DateOf(t) != d {
		return Date{}, fmt.Errorf("date %q does not exist", s)
	}
	return d, nil
}
