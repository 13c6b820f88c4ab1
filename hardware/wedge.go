package hardware

// The keyboard-wedge detector: a USB scanner types like a keyboard, only
// much faster than a person.

import "time"

// Key is one key typed, with the time it arrived.
type Key struct {
	R  rune
	At time.Time
}

// WedgeOptions tell a scanner's burst from a person's typing.
type WedgeOptions struct {
	MaxGap time.Duration // the longest gap inside a burst (default 30 ms)
	MinLen int           // the shortest burst (default 4)
}

// DetectWedge is the keyboard-wedge detector as a pure function: keys are
// what was typed up to an Enter at end; it returns the trailing burst's
// text (translated from the Russian layout when typed under it) and how
// many of the keys it took, or ok false when the tail was typed by a person.
//
// The burst is the longest tail of keys in which each key follows the one
// before it, and the Enter follows the last key, within MaxGap. Scanners
// type a key every 1 to 10 ms; people, even fast typists, leave 60 ms and
// more between keys. Keys before the burst (a person's typing) are not
// part of it: n says how many keys at the end the burst took. A burst
// holding a Cyrillic letter or № was typed under the Russian layout and
// comes back as the US layout's text.
func DetectWedge(keys []Key, end time.Time, opt WedgeOptions) (text string, n int, ok bool) {
	if opt.MaxGap <= 0 {
		opt.MaxGap = 30 * time.Millisecond
	}
	if opt.MinLen <= 0 {
		opt.MinLen = 4
	}
	if len(keys) == 0 {
		return "", 0, false
	}
	next := end
	i := len(keys)
	for i > 0 {
		gap := next.Sub(keys[i-1].At)
		if gap < 0 || gap > opt.MaxGap {
			break
		}
		i--
		next = keys[i].At
	}
	n = len(keys) - i
	if n < opt.MinLen {
		return "", 0, false
	}
	rs := make([]rune, n)
	for j, k := range keys[i:] {
		rs[j] = k.R
	}
	text = string(rs)
	if hasRussian(text) {
		text = FromRussianLayout(text)
	}
	return text, n, true
}
