package db

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"loyaltydesk/app"
	"loyaltydesk/app/demo"
)

var _ demo.Sink = (*BulkLoader)(nil)

var bulkNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// bulkTee passes rows to a BulkLoader and remembers what it passed.
type bulkTee struct {
	*BulkLoader
	clients   []app.Client
	ids       map[string][]app.Identifier
	purchases int
	lines     int
	paid      int64
	rollback  bool // the load ran with a rollback journal

	totals   map[string]app.ClientStats // by client: the purchases added up
	referred map[string]int             // by client: how many they brought
	names    map[string]string          // ref and tag ids → names
}

func (t *bulkTee) Refs(kind app.RefKind, refs []app.Ref, at time.Time, node string) error {
	for _, r := range refs {
		t.names[r.ID] = r.Name
	}
	return t.BulkLoader.Refs(kind, refs, at, node)
}

func (t *bulkTee) Client(c app.Client, ids []app.Identifier) error {
	t.clients = append(t.clients, c)
	t.ids[c.ID] = ids
	if c.ReferrerID != "" {
		t.referred[c.ReferrerID]++
	}
	return t.BulkLoader.Client(c, ids)
}

func (t *bulkTee) Purchase(p app.Purchase) error {
	t.purchases++
	t.lines += len(p.Lines)
	t.paid += p.Paid
	s := t.totals[p.ClientID]
	s.Visits++
	s.Sold += p.Sold
	s.Paid += p.Paid
	if s.FirstVisit.IsZero() || p.OccurredAt.Before(s.FirstVisit) {
		s.FirstVisit = p.OccurredAt
	}
	if p.OccurredAt.After(s.LastVisit) {
		s.LastVisit = p.OccurredAt
	}
	t.totals[p.ClientID] = s
	return t.BulkLoader.Purchase(p)
}

// want returns client c as Clients.Get should read it back after the load.
func (t *bulkTee) want(c app.Client) app.Client {
	c.Stats = t.totals[c.ID]
	c.Referred = t.referred[c.ID]
	c.Tags = slices.Clone(c.Tags)
	slices.SortFunc(c.Tags, func(a, b app.Tag) int { return strings.Compare(a.Name, b.Name) })
	c.CategoryIDs = slices.Clone(c.CategoryIDs)
	slices.SortFunc(c.CategoryIDs, func(a, b string) int { return strings.Compare(t.names[a], t.names[b]) })
	return c
}

func openBulkStore(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, Options{Clock: app.NewManualClock(bulkNow)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// bulkLoadDemo loads a demo venue of n clients into s.
func bulkLoadDemo(t *testing.T, s *Store, n int) *bulkTee {
	t.Helper()
	ctx := context.Background()
	bl, err := s.NewBulkLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tee := &bulkTee{BulkLoader: bl, ids: map[string][]app.Identifier{}, rollback: bl.rollback,
		totals: map[string]app.ClientStats{}, referred: map[string]int{}, names: map[string]string{}}
	err = demo.Generate(ctx, demo.Options{Clients: n, Seed: 42, Now: bulkNow, NodeID: s.NodeID()}, tee, nil)
	if cerr := bl.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	return tee
}

func TestBulkLoad(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "venue.db")
	s := openBulkStore(t, path)
	const n = 2000
	tee := bulkLoadDemo(t, s, n)
	if !tee.rollback {
		t.Error("the load ran through the WAL though nobody else had the database open")
	}
	st := tee.Stats()
	if st.Clients != n || st.Purchases != tee.purchases || st.Lines != tee.lines || st.Categories < 3 || st.Products < 18 {
		t.Errorf("stats %+v", st)
	}

	clients := app.NewClients(s, app.NewManualClock(bulkNow))
	if got, err := clients.Count(ctx, app.ClientQuery{}); err != nil || got != n {
		t.Fatalf("Count = %d, %v; want %d", got, err, n)
	}
	var cards, phones int
	for i, want := range tee.clients {
		if i%7 != 0 {
			continue
		}
		for _, idf := range tee.ids[want.ID] {
			value := idf.Value
			if idf.Media == app.MediaPhone {
				value = bulkTypedPhone(idf.Value) // as a cashier types it
				phones++
			} else {
				cards++
			}
			got, err := clients.Lookup(ctx, value)
			if err != nil {
				t.Fatalf("Lookup(%q): %v", value, err)
			}
			if got.ID != want.ID {
				t.Fatalf("Lookup(%q) = client %s, want %s", value, got.ID, want.ID)
			}
			bulkCompareClient(t, got, tee.want(want), tee.ids[want.ID])
		}
	}
	if cards < 50 || phones < 100 {
		t.Errorf("looked up %d cards and %d phones", cards, phones)
	}

	// The search keys are those InsertClient writes.
	for _, c := range tee.clients[:200] {
		var name, fname, phoneRev string
		if err := s.read.QueryRowContext(ctx, `SELECT name_key, fname_key, phone_rev FROM clients WHERE id = ?`,
			c.ID).Scan(&name, &fname, &phoneRev); err != nil {
			t.Fatal(err)
		}
		if name != app.NameKey(c) || fname != app.FirstNameKey(c) || phoneRev != app.ReversedDigits(c.Phone) {
			t.Errorf("client %s: keys %q, %q, %q; want %q, %q, %q", c.ID, name, fname, phoneRev,
				app.NameKey(c), app.FirstNameKey(c), app.ReversedDigits(c.Phone))
		}
	}

	// Searches find the loaded clients by name and by the end of the phone.
	var probe app.Client
	for _, c := range tee.clients {
		if c.LastName != "" && c.Phone != "" {
			probe = c
			break
		}
	}
	found := func(text string) bool {
		cs, err := clients.Search(ctx, app.ClientQuery{Text: text, Limit: 1000})
		if err != nil {
			t.Fatalf("Search(%q): %v", text, err)
		}
		for _, c := range cs {
			if c.ID == probe.ID {
				return true
			}
		}
		return false
	}
	if !found(probe.LastName + " " + probe.FirstName) {
		t.Errorf("Search(%q) misses %s", probe.LastName+" "+probe.FirstName, probe.ID)
	}
	if tail := probe.Phone[len(probe.Phone)-4:]; !found(tail) {
		t.Errorf("Search(%q) misses %s (%s)", tail, probe.ID, probe.Phone)
	}

	var purchases, lines int
	var paid int64
	if err := s.read.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM purchases), (SELECT count(*) FROM purchase_lines),
		(SELECT sum(paid) FROM purchases)`).Scan(&purchases, &lines, &paid); err != nil {
		t.Fatal(err)
	}
	if purchases != tee.purchases || lines != tee.lines || paid != tee.paid {
		t.Errorf("stored %d purchases, %d lines, %d paid; generated %d, %d, %d",
			purchases, lines, paid, tee.purchases, tee.lines, tee.paid)
	}
	// The clients' totals add up to the purchases; tags and categories arrived.
	var visits, clientPaid, withLast, tagged, members, refs, tags int64
	if err := s.read.QueryRowContext(ctx, `SELECT (SELECT sum(visits) FROM clients), (SELECT sum(paid) FROM clients),
		(SELECT count(*) FROM clients WHERE last_visit_at IS NOT NULL),
		(SELECT count(*) FROM client_tags), (SELECT count(*) FROM client_category_members),
		(SELECT count(*) FROM client_groups) + (SELECT count(*) FROM client_classes) + (SELECT count(*) FROM client_categories),
		(SELECT count(*) FROM tags)`).Scan(&visits, &clientPaid, &withLast, &tagged, &members, &refs, &tags); err != nil {
		t.Fatal(err)
	}
	if visits != int64(tee.purchases) || clientPaid != tee.paid || withLast != int64(len(tee.totals)) {
		t.Errorf("clients' totals: %d visits, %d paid, %d with a last visit; want %d, %d, %d",
			visits, clientPaid, withLast, tee.purchases, tee.paid, len(tee.totals))
	}
	if tagged != int64(st.Tagged) || members != int64(st.Members) || refs != int64(st.Refs) || tags != int64(st.Tags) ||
		tagged == 0 || members == 0 || refs < 8 || tags < 3 {
		t.Errorf("stored %d client tags, %d members, %d refs, %d tags; loader took %+v", tagged, members, refs, tags, st)
	}
	checkBulkDatabase(t, s)

	// A second load is refused, on the same store and after reopening the file.
	if _, err := s.NewBulkLoader(ctx); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("second NewBulkLoader = %v, want ErrNotEmpty", err)
	}
	s.Close()
	s = openBulkStore(t, path)
	if _, err := s.NewBulkLoader(ctx); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("NewBulkLoader after reopening = %v, want ErrNotEmpty", err)
	}
	// The refusals left the store in working order.
	checkBulkDatabase(t, s)
	clients = app.NewClients(s, app.NewManualClock(bulkNow))
	c, err := clients.Create(ctx, app.ClientInput{FirstName: "Новый", Phone: "8 900 000-00-01"})
	if err != nil {
		t.Fatalf("Create after the load: %v", err)
	}
	if got, err := clients.Count(ctx, app.ClientQuery{}); err != nil || got != n+1 {
		t.Errorf("Count = %d, %v after adding %s; want %d", got, err, c.ID, n+1)
	}
}

// bulkTypedPhone writes +79161234567 as 8 (916) 123-45-67.
func bulkTypedPhone(e164 string) string {
	d := strings.TrimPrefix(e164, "+7")
	return "8 (" + d[:3] + ") " + d[3:6] + "-" + d[6:8] + "-" + d[8:]
}

func bulkCompareClient(t *testing.T, got, want app.Client, ids []app.Identifier) {
	t.Helper()
	gotIDs := got.Identifiers
	got.Identifiers = nil
	want.CreatedAt = want.CreatedAt.Truncate(time.Millisecond)
	want.UpdatedAt = want.UpdatedAt.Truncate(time.Millisecond)
	want.Stats.FirstVisit = want.Stats.FirstVisit.Truncate(time.Millisecond)
	want.Stats.LastVisit = want.Stats.LastVisit.Truncate(time.Millisecond)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stored client\n%+v\nwant\n%+v", got, want)
	}
	if len(gotIDs) != len(ids) {
		t.Errorf("client %s has %d identifiers, want %d", want.ID, len(gotIDs), len(ids))
	}
	byValue := map[string]app.Identifier{}
	for _, idf := range gotIDs {
		byValue[idf.Value] = idf
	}
	for _, w := range ids {
		g := byValue[w.Value]
		if g.ID != w.ID || g.ClientID != w.ClientID || g.Media != w.Media || g.Input != w.Input || g.NodeID != w.NodeID ||
			!g.CreatedAt.Equal(w.CreatedAt.Truncate(time.Millisecond)) {
			t.Errorf("identifier %+v, want %+v", g, w)
		}
	}
}

// checkBulkDatabase checks that the database is sound and set up as a fresh
// one: integrity, foreign keys, the schema the migrations make, WAL and full
// durability on the write connection.
func checkBulkDatabase(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	var ok string
	if err := s.read.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("quick_check: %q, %v", ok, err)
	}
	rows, err := s.read.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var table, parent string
		var rowid, fk any
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			t.Fatal(err)
		}
		t.Errorf("foreign key violation: %s row %v → %s", table, rowid, parent)
	}
	rows.Close()

	fresh := openBulkStore(t, filepath.Join(t.TempDir(), "fresh.db"))
	if got, want := bulkSchemaOf(t, s), bulkSchemaOf(t, fresh); !reflect.DeepEqual(got, want) {
		t.Errorf("schema after the load:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for pragma, want := range map[string]string{"journal_mode": "wal", "synchronous": "2", "cache_size": fmt.Sprint(-writeCacheKiB),
		"foreign_keys": "1", "busy_timeout": "10000", "threads": "0", "analysis_limit": "0"} {
		var got string
		if err := s.write.QueryRowContext(ctx, `PRAGMA `+pragma).Scan(&got); err != nil || got != want {
			t.Errorf("write connection: PRAGMA %s = %q, %v; want %q", pragma, got, err, want)
		}
	}
}

// bulkSchemaOf lists the schema objects, leaving out the planner's statistics.
func bulkSchemaOf(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.read.QueryContext(context.Background(), `SELECT type, name, tbl_name, coalesce(sql, '')
		FROM sqlite_schema WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var typ, name, table, sql string
		if err := rows.Scan(&typ, &name, &table, &sql); err != nil {
			t.Fatal(err)
		}
		out = append(out, typ+" "+name+" on "+table+": "+sql)
	}
	if len(out) < 30 {
		t.Fatalf("schema has only %d objects", len(out))
	}
	return out
}

func TestBulkLoadRollsBackOnError(t *testing.T) {
	ctx := context.Background()
	s := openBulkStore(t, filepath.Join(t.TempDir(), "venue.db"))
	bl, err := s.NewBulkLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = demo.Generate(ctx, demo.Options{Clients: 300, Seed: 1, Now: bulkNow, NodeID: s.NodeID()}, bl, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A receipt of a client nobody loaded breaks a foreign key.
	at := bulkNow.Add(-time.Hour)
	if err := bl.Purchase(app.Purchase{ID: app.NewID(), Number: "X1", ClientID: app.NewID(), Sold: 100, Paid: 100,
		OccurredAt: at, CreatedAt: at, UpdatedAt: at, NodeID: s.NodeID()}); err != nil {
		t.Fatalf("Purchase: %v (the writer should report later)", err)
	}
	if err := bl.Close(); !errors.Is(err, app.ErrInvalid) {
		t.Fatalf("Close = %v, want a foreign key error (app.ErrInvalid)", err)
	}
	if err := bl.Close(); err == nil {
		t.Error("a second Close succeeded")
	}
	clients := app.NewClients(s, app.NewManualClock(bulkNow))
	if n, err := clients.Count(ctx, app.ClientQuery{}); err != nil || n != 0 {
		t.Errorf("Count after a failed load = %d, %v; want 0", n, err)
	}
	checkBulkDatabase(t, s)
	// The database is as new: a load works.
	bulkLoadDemo(t, s, 100)
	if n, err := clients.Count(ctx, app.ClientQuery{}); err != nil || n != 100 {
		t.Errorf("Count = %d, %v; want 100", n, err)
	}
}

func TestBulkLoadCancel(t *testing.T) {
	s := openBulkStore(t, filepath.Join(t.TempDir(), "venue.db"))
	ctx, cancel := context.WithCancel(context.Background())
	bl, err := s.NewBulkLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = demo.Generate(ctx, demo.Options{Clients: 20000, Seed: 1, Now: bulkNow, NodeID: s.NodeID()}, bl,
		func(done, total int) {
			if done >= 10000 {
				cancel()
			}
		})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Generate = %v, want context.Canceled", err)
	}
	if err := bl.Close(); !errors.Is(err, context.Canceled) {
		t.Errorf("Close = %v, want context.Canceled", err)
	}
	n, err := app.NewClients(s, app.NewManualClock(bulkNow)).Count(context.Background(), app.ClientQuery{})
	if err != nil || n != 0 {
		t.Errorf("Count after a cancelled load = %d, %v; want 0", n, err)
	}
	checkBulkDatabase(t, s)
}

func TestBulkLoadBesideAReader(t *testing.T) {
	ctx := context.Background()
	s := openBulkStore(t, filepath.Join(t.TempDir(), "venue.db"))
	// An open read transaction keeps the database in WAL mode.
	rows, err := s.read.QueryContext(ctx, `SELECT key FROM settings`)
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() {
		t.Fatal("no settings")
	}
	bl, err := s.NewBulkLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if bl.rollback {
		t.Error("the loader left WAL mode while a reader was reading")
	}
	// Readers go on reading while the load runs.
	rows.Close()
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM clients`).Scan(&n); err != nil || n != 0 {
		t.Errorf("count during the load = %d, %v", n, err)
	}
	err = demo.Generate(ctx, demo.Options{Clients: 500, Seed: 1, Now: bulkNow, NodeID: s.NodeID()}, bl, nil)
	if cerr := bl.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	if n, err := app.NewClients(s, app.NewManualClock(bulkNow)).Count(ctx, app.ClientQuery{}); err != nil || n != 500 {
		t.Errorf("Count = %d, %v; want 500", n, err)
	}
	checkBulkDatabase(t, s)
}

func TestBulkLoaderDiscardsADoubtfulConnection(t *testing.T) {
	ctx := context.Background()
	s := openBulkStore(t, filepath.Join(t.TempDir(), "venue.db"))
	bl, err := s.NewBulkLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Generate(ctx, demo.Options{Clients: 50, Now: bulkNow, NodeID: s.NodeID()}, bl, nil); err != nil {
		t.Fatal(err)
	}
	bl.bad = true // as after a failed ROLLBACK
	if err := bl.Close(); err != nil {
		t.Fatal(err)
	}
	// The store writes on a fresh connection, set up by its connection string.
	clients := app.NewClients(s, app.NewManualClock(bulkNow))
	if _, err := clients.Create(ctx, app.ClientInput{FirstName: "Анна", Phone: "+7 900 000 00 02"}); err != nil {
		t.Fatalf("Create: %v", err)
	}
	if n, err := clients.Count(ctx, app.ClientQuery{}); err != nil || n != 51 {
		t.Errorf("Count = %d, %v; want 51", n, err)
	}
	checkBulkDatabase(t, s)
}
