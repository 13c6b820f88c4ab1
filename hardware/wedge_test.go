package hardware

import (
	"testing"
	"time"
)

// typed returns the keys of s typed from t0 with gap between keys, and the
// time the Enter after the last one arrives (gap later).
func typed(t0 time.Time, s string, gap time.Duration) ([]Key, time.Time) {
	var keys []Key
	at := t0
	for _, r := range s {
		keys = append(keys, Key{R: r, At: at})
		at = at.Add(gap)
	}
	return keys, at
}

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func TestDetectWedgeScannerBurst(t *testing.T) {
	keys, end := typed(t0, "LC-0001234567", 5*time.Millisecond)
	text, n, ok := DetectWedge(keys, end, WedgeOptions{})
	if !ok || text != "LC-0001234567" || n != len(keys) {
		t.Fatalf("burst: %q %d %v", text, n, ok)
	}
}

func TestDetectWedgePersonTyping(t *testing.T) {
	keys, end := typed(t0, "1234567", 120*time.Millisecond)
	if text, n, ok := DetectWedge(keys, end, WedgeOptions{}); ok {
		t.Fatalf("a person's typing taken for a scan: %q %d", text, n)
	}
	// A quick typist's last keys, then Enter 120 ms on.
	if _, _, ok := DetectWedge(keys[len(keys)-1:], keys[len(keys)-1].At.Add(120*time.Millisecond), WedgeOptions{}); ok {
		t.Fatal("one key then Enter taken for a scan")
	}
}

func TestDetectWedgeTypingThenBurst(t *testing.T) {
	person, next := typed(t0, "Ivan", 120*time.Millisecond)
	burst, end := typed(next.Add(800*time.Millisecond), "4607001771234", 5*time.Millisecond)
	text, n, ok := DetectWedge(append(person, burst...), end, WedgeOptions{})
	if !ok || text != "4607001771234" || n != len(burst) {
		t.Fatalf("got %q %d %v, want the burst of %d keys only", text, n, ok, len(burst))
	}
}

func TestDetectWedgeRussianLayout(t *testing.T) {
	keys, end := typed(t0, "ж1234=5678,", 5*time.Millisecond)
	text, n, ok := DetectWedge(keys, end, WedgeOptions{})
	if !ok || text != ";1234=5678?" || n != len(keys) {
		t.Fatalf("got %q %d %v", text, n, ok)
	}
	p, err := ParseLine(FormatAuto, text)
	if err != nil || p.Kind != KindMagstripe || p.Value != "1234" {
		t.Fatalf("parsed %+v %v", p, err)
	}
}

func TestDetectWedgeEdges(t *testing.T) {
	keys, end := typed(t0, "abc", 5*time.Millisecond)
	if _, _, ok := DetectWedge(keys, end, WedgeOptions{}); ok {
		t.Fatal("a 3-key burst passed MinLen 4")
	}
	if _, n, ok := DetectWedge(keys, end, WedgeOptions{MinLen: 3}); !ok || n != 3 {
		t.Fatal("MinLen 3 refused 3 keys")
	}
	// The Enter long after the burst: a person pressed it.
	if _, _, ok := DetectWedge(keys, end.Add(time.Second), WedgeOptions{MinLen: 1}); ok {
		t.Fatal("Enter a second later taken for a scan")
	}
	// A wider gap is allowed when asked for.
	slow, slowEnd := typed(t0, "12345", 45*time.Millisecond)
	if _, _, ok := DetectWedge(slow, slowEnd, WedgeOptions{MaxGap: 50 * time.Millisecond}); !ok {
		t.Fatal("45 ms gaps refused under MaxGap 50 ms")
	}
	if _, _, ok := DetectWedge(nil, end, WedgeOptions{}); ok {
		t.Fatal("no keys, a scan")
	}
}

func TestFromRussianLayoutTable(t *testing.T) {
	// Every key of the US layout, typed by position under the Russian one.
	us := "`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./" +
		"~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:\"ZXCVBNM<>?"
	ru := "ё1234567890-=йцукенгшщзхъ\\фывапролджэячсмитьбю." +
		"Ё!\"№;%:?*()_+ЙЦУКЕНГШЩЗХЪ/ФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,"
	if got := FromRussianLayout(ru); got != us {
		t.Fatalf("FromRussianLayout:\n got %q\nwant %q", got, us)
	}
	if !hasRussian("№1") || !hasRussian("жж") || hasRussian(";1234=5678?") {
		t.Fatal("hasRussian")
	}
}
