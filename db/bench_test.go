package db

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"loyaltydesk/app"
	"loyaltydesk/app/demo"
)

// The client benchmarks run against a demo venue of a million clients (or
// LOYALTYDESK_BENCH_CLIENTS), built once and kept in os.TempDir() under a name
// that changes with the schema and the generator, so later runs reuse it:
//
//	go test -run '^$' -bench Client ./db/
//	LOYALTYDESK_BENCH_CLIENTS=20000 go test -run '^$' -bench Client ./db/

const (
	benchDefaultClients = 1_000_000
	benchSeed           = 1
)

// benchVenue is the shared benchmark database and values picked from it.
type benchVenue struct {
	store   *Store
	clients *app.Clients
	cards   []benchPick // card values
	phones  []benchPick // phones as typed: 8 (916) 123-45-67
	tails   []benchPick // the last four digits of phones
}

// benchPick is a value to look up and the client it belongs to.
type benchPick struct{ value, clientID string }

var (
	benchOnce   sync.Once
	benchShared *benchVenue
	benchErr    error
)

func openBenchVenue(b *testing.B) *benchVenue {
	b.Helper()
	benchOnce.Do(func() { benchShared, benchErr = prepareBenchVenue(b) })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchShared
}

func benchClients() (int, error) {
	v := os.Getenv("LOYALTYDESK_BENCH_CLIENTS")
	if v == "" {
		return benchDefaultClients, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 100 || n > demo.MaxClients {
		return 0, fmt.Errorf("LOYALTYDESK_BENCH_CLIENTS=%q: want a number of clients from 100 to %d", v, demo.MaxClients)
	}
	return n, nil
}

// benchVersion fingerprints the schema and the generator: the migrations'
// SQL and a small venue's rows.
func benchVersion() (string, error) {
	h := sha256.New()
	ms, err := Migrations()
	if err != nil {
		return "", err
	}
	for _, m := range ms {
		fmt.Fprintf(h, "%d %s\n%s\n", m.Version, m.Name, m.SQL)
	}
	err = demo.Generate(context.Background(), demo.Options{Clients: 300, Seed: benchSeed, Now: bulkNow, NodeID: "x"},
		benchHasher{h}, nil)
	return hex.EncodeToString(h.Sum(nil))[:12], err
}

// benchHasher is a demo.Sink that hashes the rows.
type benchHasher struct {
	w interface{ Write([]byte) (int, error) }
}

func (h benchHasher) Categories(cs []app.ProductCategory) error { return h.put(cs) }
func (h benchHasher) Products(ps []app.Product) error           { return h.put(ps) }
func (h benchHasher) Client(c app.Client, ids []app.Identifier) error {
	return h.put(c, ids)
}
func (h benchHasher) Purchase(p app.Purchase) error { return h.put(p) }
func (h benchHasher) Refs(kind app.RefKind, refs []app.Ref, at time.Time, node string) error {
	return h.put(kind, refs, at, node)
}
func (h benchHasher) Tags(ts []app.Tag) error { return h.put(ts) }
func (h benchHasher) put(v ...any) error {
	_, err := fmt.Fprintf(h.w, "%#v\n", v)
	return err
}

func prepareBenchVenue(b *testing.B) (*benchVenue, error) {
	n, err := benchClients()
	if err != nil {
		return nil, err
	}
	version, err := benchVersion()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("loyaltydesk-bench-%d-%s.db", n, version))
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if err := buildBenchVenue(b, path, n); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	ctx := context.Background()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		return nil, err
	}
	v := &benchVenue{store: s, clients: app.NewClients(s, app.SystemClock{})}
	// Every few thousandth identifier, spread over the whole venue.
	rows, err := s.read.QueryContext(ctx, `SELECT media, value, client_id FROM client_identifiers
		WHERE rowid % 997 = 0 ORDER BY rowid LIMIT 2000`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var media, value, client string
		if err := rows.Scan(&media, &value, &client); err != nil {
			return nil, err
		}
		if app.Media(media) == app.MediaCard {
			v.cards = append(v.cards, benchPick{value, client})
			continue
		}
		v.phones = append(v.phones, benchPick{bulkTypedPhone(value), client})
		v.tails = append(v.tails, benchPick{value[len(value)-4:], client})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(v.cards) == 0 || len(v.phones) == 0 {
		return nil, fmt.Errorf("benchmark venue %s: no cards or phones to look up", path)
	}
	return v, nil
}

// buildBenchVenue loads a demo venue of n clients into a new file at path. It
// builds it beside path and renames it when done, so an interrupted build
// leaves nothing a later run would take for a venue.
func buildBenchVenue(b *testing.B, path string, n int) error {
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	defer func() {
		for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
			os.Remove(tmp + suffix)
		}
	}()
	ctx := context.Background()
	start := time.Now()
	s, err := Open(ctx, tmp, Options{Clock: app.NewManualClock(bulkNow)})
	if err != nil {
		return err
	}
	bl, err := s.NewBulkLoader(ctx)
	if err != nil {
		return errors.Join(err, s.Close())
	}
	err = demo.Generate(ctx, demo.Options{Clients: n, Seed: benchSeed, Now: bulkNow, NodeID: s.NodeID()}, bl, nil)
	err = errors.Join(err, bl.Close(), s.Close())
	if err != nil {
		return fmt.Errorf("build benchmark venue: %w", err)
	}
	if _, err := os.Stat(tmp + "-wal"); err == nil {
		return fmt.Errorf("build benchmark venue: %s-wal is left after closing", tmp)
	}
	fi, err := os.Stat(tmp)
	if err != nil {
		return err
	}
	st := bl.Stats()
	b.Logf("built %s in %v: %d clients, %d identifiers, %d purchases, %d lines, %.0f MiB",
		path, time.Since(start).Round(time.Second), st.Clients, st.Identifiers, st.Purchases, st.Lines,
		float64(fi.Size())/(1<<20))
	return os.Rename(tmp, path)
}

func BenchmarkClientByIdentifier(b *testing.B) {
	v := openBenchVenue(b)
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		benchLookup(b, v, ctx, v.cards[i%len(v.cards)])
	}
}

func BenchmarkClientByPhone(b *testing.B) {
	v := openBenchVenue(b)
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		benchLookup(b, v, ctx, v.phones[i%len(v.phones)])
	}
}

func benchLookup(b *testing.B, v *benchVenue, ctx context.Context, p benchPick) {
	c, err := v.clients.Lookup(ctx, p.value)
	if err != nil {
		b.Fatalf("Lookup(%q): %v", p.value, err)
	}
	if c.ID != p.clientID {
		b.Fatalf("Lookup(%q) = %s, want %s", p.value, c.ID, p.clientID)
	}
}

// BenchmarkClientSearch is the client list's search box: a page of 50
// clients for the last four digits of a phone or the start of a surname.
func BenchmarkClientSearch(b *testing.B) {
	v := openBenchVenue(b)
	ctx := context.Background()
	b.Run("phone-fragment", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			p := v.tails[i%len(v.tails)]
			cs, err := v.clients.Search(ctx, app.ClientQuery{Text: p.value, Limit: 50})
			if err != nil {
				b.Fatal(err)
			}
			if i < len(v.tails) && len(cs) < 50 && !benchHas(cs, p.clientID) {
				b.Fatalf("Search(%q) misses client %s", p.value, p.clientID)
			}
		}
	})
	surnames := []string{"Смирн", "Иванов", "Кузнец", "Соколо", "Лебед", "Никит", "Федот", "Ким"}
	b.Run("surname-prefix", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			text := surnames[i%len(surnames)]
			cs, err := v.clients.Search(ctx, app.ClientQuery{Text: text, Limit: 50})
			if err != nil {
				b.Fatal(err)
			}
			if len(cs) == 0 {
				b.Fatalf("Search(%q) found nobody", text)
			}
		}
	})
}

func benchHas(cs []app.Client, id string) bool {
	for _, c := range cs {
		if c.ID == id {
			return true
		}
	}
	return false
}

// BenchmarkClientCount is the count under the client list: everyone, and the
// matches of a surname prefix.
func BenchmarkClientCount(b *testing.B) {
	v := openBenchVenue(b)
	ctx := context.Background()
	for _, text := range []string{"", "Смирн"} {
		name := "all"
		if text != "" {
			name = "surname-prefix"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				n, err := v.clients.Count(ctx, app.ClientQuery{Text: text})
				if err != nil {
					b.Fatal(err)
				}
				if n == 0 {
					b.Fatalf("Count(%q) = 0", text)
				}
			}
		})
	}
}
