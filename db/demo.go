package db

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"loyaltydesk/app"
	"loyaltydesk/app/demo"
)

// LoadDemo fills the new database at path with the demo venue opt describes
// (opt.NodeID is taken from the store), through the bulk loader, then sets up
// its automatic loyalty (demo.RulesPlan) through the use cases at the venue's
// today (opt.Now), ending with a recalculation of every guest. The store
// tells time by clock (nil: the system clock). progress is as demo.Generate's.
func LoadDemo(ctx context.Context, path string, clock app.Clock, opt demo.Options, progress func(done, total int)) (BulkStats, error) {
	s, err := Open(ctx, path, Options{Clock: clock})
	if err != nil {
		return BulkStats{}, err
	}
	bl, err := s.NewBulkLoader(ctx)
	if err != nil {
		return BulkStats{}, errors.Join(err, s.Close())
	}
	opt.NodeID = s.NodeID()
	err = demo.Generate(ctx, opt, bl, progress)
	if err = errors.Join(err, bl.Close()); err != nil {
		return bl.Stats(), errors.Join(err, s.Close())
	}
	err = demo.Rules(ctx, s, app.NewManualClock(opt.Now), demo.RulesPlan(opt))
	return bl.Stats(), errors.Join(err, s.Close())
}

// Benchmark venue: the demo venue the benchmarks of db and app/transfer run
// against, built once and kept in os.TempDir().
const (
	BenchVenueClients = 1_000_000 // unless LOYALTYDESK_BENCH_CLIENTS says otherwise
	BenchVenueSeed    = 1
)

// BenchVenueNow is "today" of the benchmark venue.
var BenchVenueNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// BenchVenue returns the file of the benchmark venue, building it if missing:
// LOYALTYDESK_BENCH_CLIENTS clients (a million by default). Its name carries a
// fingerprint of the schema and the generator, so a change to either builds a
// new one and later runs reuse it. logf reports the build.
func BenchVenue(logf func(format string, args ...any)) (string, error) {
	n := BenchVenueClients
	if v := os.Getenv("LOYALTYDESK_BENCH_CLIENTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 100 || n > demo.MaxClients {
			return "", fmt.Errorf("LOYALTYDESK_BENCH_CLIENTS=%q: want a number of clients from 100 to %d", v, demo.MaxClients)
		}
	}
	version, err := benchVenueVersion()
	if err != nil {
		return "", err
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("loyaltydesk-bench-%d-%s.db", n, version))
	if _, err := os.Stat(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return path, err
	}
	// Built beside path and renamed when done, so an interrupted build leaves
	// nothing a later run would take for a venue.
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	defer func() {
		for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
			os.Remove(tmp + suffix)
		}
	}()
	start := time.Now()
	st, err := LoadDemo(context.Background(), tmp, app.NewManualClock(BenchVenueNow),
		demo.Options{Clients: n, Seed: BenchVenueSeed, Now: BenchVenueNow}, nil)
	if err != nil {
		return "", fmt.Errorf("build benchmark venue: %w", err)
	}
	if _, err := os.Stat(tmp + "-wal"); err == nil {
		return "", fmt.Errorf("build benchmark venue: %s-wal is left after closing", tmp)
	}
	fi, err := os.Stat(tmp)
	if err != nil {
		return "", err
	}
	logf("built %s in %v: %d clients, %d identifiers, %d purchases, %d lines, %.0f MiB",
		path, time.Since(start).Round(time.Second), st.Clients, st.Identifiers, st.Purchases, st.Lines,
		float64(fi.Size())/(1<<20))
	return path, os.Rename(tmp, path)
}

// benchVenueVersion fingerprints the schema and the generator: the
// migrations' SQL, a small venue's rows and the plan of its rules.
func benchVenueVersion() (string, error) {
	h := sha256.New()
	ms, err := Migrations()
	if err != nil {
		return "", err
	}
	for _, m := range ms {
		fmt.Fprintf(h, "%d %s\n%s\n", m.Version, m.Name, m.SQL)
	}
	err = demo.Generate(context.Background(), demo.Options{Clients: 300, Seed: BenchVenueSeed, Now: BenchVenueNow, NodeID: "x"},
		rowHasher{h}, nil)
	fmt.Fprintf(h, "%#v\n", demo.RulesPlan(demo.Options{Clients: 300, Seed: BenchVenueSeed, Now: BenchVenueNow}))
	return hex.EncodeToString(h.Sum(nil))[:12], err
}

// rowHasher is a demo.Sink that hashes the rows.
type rowHasher struct{ w io.Writer }

func (h rowHasher) Categories(cs []app.ProductCategory) error { return h.put(cs) }
func (h rowHasher) Products(ps []app.Product) error           { return h.put(ps) }
func (h rowHasher) Client(c app.Client, ids []app.Identifier) error {
	return h.put(c, ids)
}
func (h rowHasher) Purchase(p app.Purchase) error { return h.put(p) }
func (h rowHasher) Refs(kind app.RefKind, refs []app.Ref, at time.Time, node string) error {
	return h.put(kind, refs, at, node)
}
func (h rowHasher) Tags(ts []app.Tag) error { return h.put(ts) }
func (h rowHasher) put(v ...any) error {
	_, err := fmt.Fprintf(h.w, "%#v\n", v)
	return err
}
