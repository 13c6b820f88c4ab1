package app_test

import (
	"bytes"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/google/uuid"

	"loyaltydesk/app"
)

// parseUUID parses a key and checks it is in canonical lower-case text form.
func parseUUID(t *testing.T, s string) uuid.UUID {
	t.Helper()
	u, err := uuid.Parse(s)
	if err != nil {
		t.Fatalf("%q is not a UUID: %v", s, err)
	}
	if u.String() != s || len(s) != 36 {
		t.Fatalf("%q is not in canonical form (%s)", s, u)
	}
	return u
}

// unixMilli returns the 48-bit millisecond timestamp of a UUIDv7.
func unixMilli(u uuid.UUID) int64 {
	var ms int64
	for _, b := range u[:6] {
		ms = ms<<8 | int64(b)
	}
	return ms
}

// SY-01: keys are UUIDv7, made where the row is created.
func TestNewID(t *testing.T) {
	before := time.Now().UnixMilli()
	seen := map[string]bool{}
	for range 1000 {
		s := app.NewID()
		u := parseUUID(t, s)
		if u.Version() != 7 || u.Variant() != uuid.RFC4122 {
			t.Fatalf("NewID() = %s: version %d, variant %v; want 7, RFC 4122", s, u.Version(), u.Variant())
		}
		// (a burst of keys may run a little ahead of the clock to stay ordered)
		if ms := unixMilli(u); ms < before || ms > time.Now().UnixMilli()+1000 {
			t.Fatalf("NewID() = %s carries time %d, want now (%d…)", s, ms, before)
		}
		if seen[s] {
			t.Fatalf("NewID() repeated %s", s)
		}
		seen[s] = true
	}
}

// IDAt makes deterministic, time-ordered UUIDv7 keys for bulk generators.
func TestIDAt(t *testing.T) {
	t0 := time.Date(2026, time.March, 15, 10, 0, 0, 123_000_000, time.UTC)
	seed := bytes.Repeat([]byte{0xff}, 10) // every random bit set: version and variant must still be right
	s := app.IDAt(t0, bytes.NewReader(seed))
	u := parseUUID(t, s)
	if u.Version() != 7 || u.Variant() != uuid.RFC4122 {
		t.Errorf("IDAt = %s: version %d, variant %v; want 7, RFC 4122", s, u.Version(), u.Variant())
	}
	if ms := unixMilli(u); ms != t0.UnixMilli() {
		t.Errorf("IDAt timestamp = %d, want %d", ms, t0.UnixMilli())
	}
	if ts := time.UnixMilli(unixMilli(u)); !ts.Equal(t0) {
		t.Errorf("IDAt time = %v, want %v", ts, t0)
	}
	zero := parseUUID(t, app.IDAt(t0, bytes.NewReader(make([]byte, 10))))
	if zero.Version() != 7 || zero.Variant() != uuid.RFC4122 {
		t.Errorf("IDAt with zero random bits = %s", zero)
	}

	// The same reader bytes give the same key; other bytes another.
	if again := app.IDAt(t0, bytes.NewReader(seed)); again != s {
		t.Errorf("IDAt is not deterministic: %s, then %s", s, again)
	}
	if other := app.IDAt(t0, bytes.NewReader(make([]byte, 10))); other == s {
		t.Errorf("IDAt ignores the reader: %s", other)
	}
	r1 := rand.NewChaCha8([32]byte{1})
	r2 := rand.NewChaCha8([32]byte{1})
	for i := range 100 {
		ti := t0.Add(time.Duration(i) * time.Millisecond)
		if a, b := app.IDAt(ti, r1), app.IDAt(ti, r2); a != b {
			t.Fatalf("same seed, key %d: %s != %s", i, a, b)
		}
	}

	// Keys of later times sort after keys of earlier ones, whatever the random bits.
	rng := rand.NewChaCha8([32]byte{2})
	var ids []string
	for i := range 500 {
		ids = append(ids, app.IDAt(t0.Add(time.Duration(i)*time.Millisecond+time.Duration(i%3)*time.Hour*24), rng))
	}
	// Times above are not monotonic (i%3 days); sort the expected order by time.
	type pair struct {
		at time.Time
		id string
	}
	var ps []pair
	for i, id := range ids {
		ps = append(ps, pair{t0.Add(time.Duration(i)*time.Millisecond + time.Duration(i%3)*time.Hour*24), id})
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].at.Before(ps[j].at) })
	for i := 1; i < len(ps); i++ {
		if ps[i-1].id >= ps[i].id {
			t.Fatalf("key of %v (%s) does not sort before key of %v (%s)", ps[i-1].at, ps[i-1].id, ps[i].at, ps[i].id)
		}
	}

	// A reader that runs dry is a programming error.
	defer func() {
		if recover() == nil {
			t.Error("IDAt with a short reader did not panic")
		}
	}()
	app.IDAt(t0, bytes.NewReader([]byte{1, 2, 3}))
}

// DerivedID gives the same key for the same parts, so a re-run job cannot
// write its record twice.
func TestDerivedID(t *testing.T) {
	a := app.DerivedID("expire", "0190c3a2-0000-7000-8000-000000000001", "2026-03")
	u := parseUUID(t, a)
	if u.Version() != 5 || u.Variant() != uuid.RFC4122 {
		t.Errorf("DerivedID = %s: version %d, variant %v; want 5, RFC 4122", a, u.Version(), u.Variant())
	}
	if b := app.DerivedID("expire", "0190c3a2-0000-7000-8000-000000000001", "2026-03"); b != a {
		t.Errorf("DerivedID is not deterministic: %s, then %s", a, b)
	}
	seen := map[string][]string{}
	for _, parts := range [][]string{
		{"expire", "0190c3a2-0000-7000-8000-000000000001", "2026-03"},
		{"expire", "0190c3a2-0000-7000-8000-000000000001", "2026-04"},
		{"expire", "0190c3a2-0000-7000-8000-000000000002", "2026-03"},
		{"accrue", "0190c3a2-0000-7000-8000-000000000001", "2026-03"},
		{"a", "b"},
		{"b", "a"},
		{"ab"},
		{"a", "b", ""},
		{"a", ""},
		{"a"},
		{""},
	} {
		id := app.DerivedID(parts...)
		parseUUID(t, id)
		if prev, dup := seen[id]; dup {
			t.Errorf("DerivedID(%q) = DerivedID(%q) = %s", parts, prev, id)
		}
		seen[id] = parts
	}
	if app.DefaultAccountTypeID != "00000000-0000-7000-8000-000000000001" {
		t.Errorf("DefaultAccountTypeID changed to %s; every installation must share it", app.DefaultAccountTypeID)
	}
}
