package app

import (
	"encoding/binary"
	"io"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// NewID returns a new UUIDv7 key in its canonical text form. Keys are made where
// the row is created, so rows from different venues never collide when synced.
func NewID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// IDAt returns a UUIDv7 for the time t whose random bits come from r. Bulk
// generators (the demo venue) use it to make deterministic, time-ordered keys.
func IDAt(t time.Time, r io.Reader) string {
	var u uuid.UUID
	if _, err := io.ReadFull(r, u[6:]); err != nil {
		panic(err)
	}
	ms := uint64(t.UnixMilli())
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], ms)
	copy(u[0:6], ts[2:8])
	u[6] = (u[6] & 0x0f) | 0x70 // version 7
	u[8] = (u[8] & 0x3f) | 0x80 // RFC 4122 variant
	return u.String()
}

// DerivedID returns a deterministic UUID (version 5, in the namespace of
// LoyaltyDesk) for a record a job derives from others, so a re-run of the job
// produces the same key and cannot write the record twice.
func DerivedID(parts ...string) string {
	// Each part is length-prefixed, so no two lists of parts share a name.
	var name []byte
	for _, p := range parts {
		name = strconv.AppendInt(name, int64(len(p)), 10)
		name = append(name, ':')
		name = append(name, p...)
	}
	return uuid.NewSHA1(namespace, name).String()
}

// namespace is LoyaltyDesk's UUIDv5 namespace.
var namespace = uuid.MustParse("6d1c1f5e-8f0e-4c1b-9a57-3f0b7d2c9e41")

// DefaultAccountTypeID is the fixed key of the default "Bonuses" account type, the
// same in every installation so that chains can sync it.
const DefaultAccountTypeID = "00000000-0000-7000-8000-000000000001"
