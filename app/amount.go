package app

import (
	"errors"
	"strconv"
	"strings"
)

// ErrNotAmount means a text is not an amount of roubles (or points).
var ErrNotAmount = errors.New("not an amount")

// ParseAmount reads an amount as people type it in a field or a
// spreadsheet — "250", "250,50", "1 500", "1500.5", "250 ₽", "250 руб.",
// "-12,5" — as hundredths (kopecks, or hundredths of a point): at most two
// decimals, one decimal mark, spaces between thousands allowed.
func ParseAmount(s string) (int64, error) {
	t := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\u2009', '\t', '\'':
			return -1
		}
		return r
	}, strings.ToLower(s))
	for _, suffix := range []string{"₽", "руб.", "руб", "р.", "р", "rub", "rur"} {
		if v, ok := strings.CutSuffix(t, suffix); ok {
			t = v
			break
		}
	}
	neg := false
	if v, ok := strings.CutPrefix(t, "-"); ok {
		neg, t = true, v
	} else if v, ok := strings.CutPrefix(t, "−"); ok {
		neg, t = true, v
	}
	if strings.Count(t, ",")+strings.Count(t, ".") > 1 {
		return 0, ErrNotAmount
	}
	whole, frac, hasFrac := strings.Cut(strings.ReplaceAll(t, ",", "."), ".")
	if whole == "" || (hasFrac && frac == "") || len(frac) > 2 || len(whole) > 15 {
		return 0, ErrNotAmount
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, ErrNotAmount
		}
	}
	rub, _ := strconv.ParseInt(whole, 10, 64)
	kop := int64(0)
	if frac != "" {
		kop, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			kop *= 10
		}
	}
	v := rub*100 + kop
	if neg {
		v = -v
	}
	return v, nil
}
