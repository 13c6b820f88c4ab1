package db

// Tests of the embedded migrations and how Open applies them.

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"loyaltydesk/app"
)

func sqlFile(body string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(body)} }

func TestLoadMigrations(t *testing.T) {
	ms, err := loadMigrations(fstest.MapFS{
		"m/0002_tags.sql":    sqlFile("CREATE TABLE b (x);"),
		"m/0001_init.sql":    sqlFile("CREATE TABLE a (x);"),
		"m/0003_indexes.sql": sqlFile("CREATE INDEX i ON a (x);"),
		"m/README.md":        sqlFile("not a migration"),
		"m/0004_draft.sql~":  sqlFile("editor backup"),
		"m/sub/0004_x.sql":   sqlFile("in a sub-folder"),
	}, "m")
	if err != nil {
		t.Fatalf("loadMigrations: %v", err)
	}
	want := []Migration{
		{1, "init", "CREATE TABLE a (x);"},
		{2, "tags", "CREATE TABLE b (x);"},
		{3, "indexes", "CREATE INDEX i ON a (x);"},
	}
	if fmt.Sprint(ms) != fmt.Sprint(want) {
		t.Errorf("loadMigrations = %+v, want %+v", ms, want)
	}
	// Names may contain further underscores.
	ms, err = loadMigrations(fstest.MapFS{"m/0001_add_client_tags.sql": sqlFile("x")}, "m")
	if err != nil || len(ms) != 1 || ms[0].Name != "add_client_tags" {
		t.Errorf("loadMigrations(0001_add_client_tags.sql) = %+v, %v", ms, err)
	}
	// An empty folder is no migrations, not an error.
	ms, err = loadMigrations(fstest.MapFS{"m/README.md": sqlFile("x")}, "m")
	if err != nil || len(ms) != 0 {
		t.Errorf("loadMigrations(no .sql) = %+v, %v", ms, err)
	}
}

func TestLoadMigrationsRefuses(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files []string
		want  string // part of the error message
	}{
		{"gap", []string{"0001_init.sql", "0003_later.sql"}, "0003_later"},
		{"starts at 2", []string{"0002_init.sql", "0003_more.sql"}, "0002_init"},
		{"duplicate", []string{"0001_init.sql", "0002_a.sql", "0002_b.sql"}, "0002_"},
		{"same number written differently", []string{"0001_init.sql", "1_again.sql"}, "0001_"},
		{"no number", []string{"0001_init.sql", "init.sql"}, "init.sql"},
		{"no underscore", []string{"0001init.sql"}, "0001init.sql"},
		{"letters for a number", []string{"0001_init.sql", "000a_x.sql"}, "000a_x.sql"},
		{"zero", []string{"0000_zero.sql", "0001_init.sql"}, "0000_zero.sql"},
		{"negative", []string{"-001_x.sql", "0001_init.sql"}, "-001_x.sql"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range tc.files {
				fsys["m/"+f] = sqlFile("SELECT 1;")
			}
			ms, err := loadMigrations(fsys, "m")
			if err == nil {
				t.Fatalf("loadMigrations(%v) = %+v, want an error", tc.files, ms)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name %q", err, tc.want)
			}
			if ms != nil {
				t.Errorf("loadMigrations returned %+v with its error", ms)
			}
		})
	}
	if _, err := loadMigrations(fstest.MapFS{}, "missing"); err == nil {
		t.Error("loadMigrations of a missing folder succeeded")
	}
}

// The embedded migrations are well formed and start with 0001_init.
func TestEmbeddedMigrations(t *testing.T) {
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].Version != 1 || ms[0].Name != "init" {
		t.Fatalf("Migrations() = %+v, want 0001_init first", ms)
	}
	for i, m := range ms {
		if m.Version != i+1 || strings.TrimSpace(m.SQL) == "" {
			t.Errorf("migration %d = %04d_%s with %d bytes of SQL", i, m.Version, m.Name, len(m.SQL))
		}
	}
}

// A new database gets every migration, each recorded once with the clock's time.
func TestFreshDatabaseIsMigrated(t *testing.T) {
	path := tempPath(t)
	s := openAt(t, path)
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.SchemaVersion(context.Background())
	if err != nil || v != len(ms) {
		t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, len(ms))
	}
	rows, err := rawDB(t, path).Query(`SELECT version, name, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		var ver int
		var name, at string
		if err := rows.Scan(&ver, &name, &at); err != nil {
			t.Fatal(err)
		}
		if i >= len(ms) || ver != ms[i].Version || name != ms[i].Name || at != "2026-03-15T10:00:00.000Z" {
			t.Errorf("schema_migrations row %d = %d %s %s", i, ver, name, at)
		}
		i++
	}
	if i != len(ms) {
		t.Errorf("schema_migrations has %d rows, want %d", i, len(ms))
	}
	// The tables the app relies on exist.
	for _, table := range []string{"settings", "clients", "client_identifiers", "account_types", "accounts",
		"ledger_entries", "purchases", "purchase_lines", "audit_log"} {
		var n int
		if err := s.write.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s: %d, %v", table, n, err)
		}
	}
}

// Opening again applies nothing and keeps the data.
func TestReopenIsIdempotent(t *testing.T) {
	path := tempPath(t)
	s := openAt(t, path)
	c := testClient(s.NodeID(), "Анна", "Семёнова", "+79161234567")
	insertClient(t, s, c)
	want, _ := s.SchemaVersion(context.Background())
	schema := func() string {
		var b strings.Builder
		rows, err := rawDB(t, path).Query(`SELECT type, name, coalesce(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var typ, name, text string
			if err := rows.Scan(&typ, &name, &text); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s %s %s\n", typ, name, text)
		}
		return b.String()
	}
	before := schema()
	s.Close()

	for range 2 {
		s2, err := Open(context.Background(), path, Options{Clock: app.NewManualClock(testNow.Add(24 * time.Hour))})
		if err != nil {
			t.Fatalf("re-open: %v", err)
		}
		if v, err := s2.SchemaVersion(context.Background()); err != nil || v != want {
			t.Errorf("SchemaVersion after re-open = %d, %v; want %d", v, err, want)
		}
		var n int
		var last string
		if err := s2.write.QueryRow(`SELECT count(*), max(applied_at) FROM schema_migrations`).Scan(&n, &last); err != nil ||
			n != want || last != "2026-03-15T10:00:00.000Z" {
			t.Errorf("schema_migrations after re-open: %d rows, last applied %s (%v)", n, last, err)
		}
		if got, err := s2.Client(context.Background(), c.ID); err != nil || got.FullName() != "Семёнова Анна" {
			t.Errorf("client after re-open = %+v, %v", got, err)
		}
		s2.Close()
	}
	if after := schema(); after != before {
		t.Errorf("re-opening changed the schema:\n%s\n---\n%s", before, after)
	}
}

// readFiles returns the database file and its WAL, as far as they exist.
func readFiles(t *testing.T, path string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		out[p] = b
	}
	return out
}

// A database written by a newer LoyaltyDesk is refused and left as it is.
func TestSchemaTooNewIsRefused(t *testing.T) {
	path := tempPath(t)
	s := openAt(t, path)
	node := s.NodeID()
	s.Close()
	ms, _ := Migrations()
	newer := len(ms) + 7

	raw, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from_the_future', '2030-01-01T00:00:00.000Z')`, newer); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	before := readFiles(t, path)

	s2, err := Open(context.Background(), path, Options{Clock: app.NewManualClock(testNow.Add(time.Hour))})
	if err == nil {
		s2.Close()
		t.Fatal("Open accepted a database with a newer schema")
	}
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Errorf("err = %v, want ErrSchemaTooNew", err)
	}
	msg := strings.ReplaceAll(err.Error(), path, "<path>") // the temp path may hold digits
	for _, v := range []int{newer, len(ms)} {
		if !regexp.MustCompile(fmt.Sprintf(`\b%d\b`, v)).MatchString(msg) {
			t.Errorf("error %q does not mention version %d", err, v)
		}
	}
	after := readFiles(t, path)
	if !bytes.Equal(before[path], after[path]) {
		t.Error("the refused database file was changed")
	}
	if len(after[path+"-wal"]) > len(before[path+"-wal"]) {
		t.Errorf("the refused database got %d bytes of WAL", len(after[path+"-wal"]))
	}
	// Its contents are as the newer program left them.
	check := rawDB(t, path)
	var maxV int
	var gotNode string
	if err := check.QueryRow(`SELECT max(version) FROM schema_migrations`).Scan(&maxV); err != nil || maxV != newer {
		t.Errorf("schema version after the refusal = %d, %v; want %d", maxV, err, newer)
	}
	if err := check.QueryRow(`SELECT value FROM settings WHERE key = 'node_id'`).Scan(&gotNode); err != nil || gotNode != node {
		t.Errorf("node id after the refusal = %q, %v; want %s", gotNode, err, node)
	}
}

// A migration that fails is rolled back whole and the next Open can retry.
func TestFailedMigrationRollsBack(t *testing.T) {
	path := tempPath(t)
	s := openAt(t, path) // version = len(Migrations())
	ms, _ := Migrations()
	bad := append(append([]Migration(nil), ms...), Migration{
		Version: len(ms) + 1, Name: "broken",
		SQL: "CREATE TABLE half_done (x INTEGER);\nINSERT INTO half_done VALUES (1);\nTHIS IS NOT SQL;",
	})
	err := migrate(context.Background(), s.write, bad, testNow)
	if err == nil || !strings.Contains(err.Error(), "broken") {
		t.Fatalf("migrate with a broken migration = %v, want an error naming it", err)
	}
	if v, _ := s.SchemaVersion(context.Background()); v != len(ms) {
		t.Errorf("SchemaVersion after a failed migration = %d, want %d", v, len(ms))
	}
	var n int
	if err := s.write.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the failed migration's table exists (%d, %v)", n, err)
	}
	// The fixed migration applies.
	bad[len(bad)-1].SQL = "CREATE TABLE half_done (x INTEGER);"
	if err := migrate(context.Background(), s.write, bad, testNow); err != nil {
		t.Fatalf("migrate with the fixed migration: %v", err)
	}
	if v, _ := s.SchemaVersion(context.Background()); v != len(ms)+1 {
		t.Errorf("SchemaVersion = %d, want %d", v, len(ms)+1)
	}
}

// BN-01: the default account type exists from the start, with its fixed id.
func TestDefaultAccountType(t *testing.T) {
	s := openTemp(t)
	var id, name string
	var isDefault int
	err := s.write.QueryRow(`SELECT id, name, is_default FROM account_types WHERE deleted_at IS NULL`).Scan(&id, &name, &isDefault)
	if err != nil {
		t.Fatal(err)
	}
	if id != app.DefaultAccountTypeID || isDefault != 1 || name == "" {
		t.Errorf("account type = %s %q default=%d, want %s default=1", id, name, isDefault, app.DefaultAccountTypeID)
	}
	// Only one type can be the default.
	_, err = s.write.Exec(`INSERT INTO account_types (id, name, is_default, created_at, updated_at, node_id)
		VALUES (?, 'Second', 1, 'x', 'x', 'x')`, app.NewID())
	if err == nil || !strings.Contains(err.Error(), "UNIQUE") {
		t.Errorf("a second default account type: err = %v, want a UNIQUE violation", err)
	}
}

// BN-02, AD-02: the ledger and the audit log are append-only.
func TestLedgerAndAuditAreAppendOnly(t *testing.T) {
	path := tempPath(t)
	s := openAt(t, path)
	c := testClient(s.NodeID(), "Анна", "", "")
	insertClient(t, s, c)
	if err := s.Update(context.Background(), func(tx app.Tx) error {
		return tx.AppendAudit(context.Background(), app.AuditEntry{ID: "audit-1", At: testNow, NodeID: s.NodeID(),
			Actor: "t", Action: "client.create", Entity: "client", EntityID: c.ID})
	}); err != nil {
		t.Fatal(err)
	}

	raw := rawDB(t, path)
	node, ts := s.NodeID(), "2026-03-15T10:00:00.000Z"
	for _, q := range []string{
		`INSERT INTO accounts (id, client_id, account_type_id, created_at, updated_at, node_id)
			VALUES ('acc-1', '` + c.ID + `', '` + app.DefaultAccountTypeID + `', '` + ts + `', '` + ts + `', '` + node + `')`,
		`INSERT INTO ledger_entries (id, account_id, client_id, kind, amount, author, reason, created_at, node_id)
			VALUES ('le-1', 'acc-1', '` + c.ID + `', 'accrue', 5000, 'cashier', 'purchase', '` + ts + `', '` + node + `')`,
		`INSERT INTO ledger_entries (id, account_id, client_id, kind, amount, author, reason, created_at, node_id)
			VALUES ('le-2', 'acc-1', '` + c.ID + `', 'debit', -1000, 'cashier', 'purchase', '` + ts + `', '` + node + `')`,
		`INSERT INTO ledger_draws (entry_id, lot_id, amount) VALUES ('le-2', 'le-1', 1000)`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	for _, tc := range []struct{ table, id, want string }{
		{"ledger_entries", "le-1", "ledger entries are append-only"},
		{"audit_log", "audit-1", "the audit log is append-only"},
	} {
		for _, q := range []string{
			`UPDATE ` + tc.table + ` SET node_id = 'tampered' WHERE id = ?`,
			`DELETE FROM ` + tc.table + ` WHERE id = ?`,
		} {
			_, err := raw.Exec(q, tc.id)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: err = %v, want %q", q, err, tc.want)
			}
		}
		var n int
		var gotNode string
		if err := raw.QueryRow(`SELECT count(*), max(node_id) FROM `+tc.table+` WHERE id = ?`, tc.id).Scan(&n, &gotNode); err != nil ||
			n != 1 || gotNode != node {
			t.Errorf("%s row %s after the refused changes: count %d, node %q (%v)", tc.table, tc.id, n, gotNode, err)
		}
	}
	// The draws of entries too (BN-02).
	for _, q := range []string{`UPDATE ledger_draws SET amount = 1`, `DELETE FROM ledger_draws`} {
		_, err := raw.Exec(q)
		if err == nil || !strings.Contains(err.Error(), "ledger draws are append-only") {
			t.Errorf("%s: err = %v", q, err)
		}
	}
	var draws int
	if err := raw.QueryRow(`SELECT sum(amount) FROM ledger_draws`).Scan(&draws); err != nil || draws != 1000 {
		t.Errorf("draws after the refused changes: %d, %v", draws, err)
	}
	// Through the store's own connection too.
	for _, q := range []string{`UPDATE audit_log SET actor = 'x'`, `DELETE FROM ledger_entries`, `DELETE FROM ledger_draws`} {
		if _, err := s.write.Exec(q); err == nil {
			t.Errorf("%s succeeded on the store's connection", q)
		}
	}
	// Appending still works.
	if _, err := raw.Exec(`INSERT INTO ledger_entries (id, account_id, client_id, kind, amount, author, created_at, node_id)
		VALUES ('le-3', 'acc-1', ?, 'accrue', 1000, 'cashier', ?, ?)`, c.ID, ts, node); err != nil {
		t.Errorf("appending to the ledger: %v", err)
	}
}

// Migration 0002 on a database of version 1 that holds clients and purchases:
// the totals and birth days are filled from the data, and the client base
// works on the migrated file (CL-14, CL-16).
func TestMigrationClientBaseOnData(t *testing.T) {
	ctx := context.Background()
	path := tempPath(t)
	raw, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, raw, ms[:1], testNow); err != nil {
		t.Fatal(err)
	}
	const ts = "2026-01-01T10:00:00.000Z"
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	client := func(id, name, birth string) {
		exec(`INSERT INTO clients (id, first_name, birth_date, name_key, fname_key, created_at, updated_at, node_id)
			VALUES (?, ?, ?, lower(?), lower(?), ?, ?, 'n')`, id, name, nullString(birth), name, name, ts, ts)
	}
	client("c1", "Анна", "1990-12-31")
	client("c2", "Борис", "")
	client("c3", "Вера", "2000-02-29")
	purchase := func(id, clientID, kind string, sold, paid int64, at string) {
		exec(`INSERT INTO purchases (id, number, client_id, kind, sold, paid, occurred_at, created_at, updated_at, node_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'n')`, id, id, nullString(clientID), kind, sold, paid, at, at, at)
	}
	purchase("p1", "c1", "sale", 50_000, 45_000, "2026-02-01T09:00:00.000Z")
	purchase("p2", "c1", "sale", 30_000, 30_000, "2026-03-01T09:00:00.000Z")
	purchase("p3", "c1", "refund", 10_000, 10_000, "2026-03-02T09:00:00.000Z")
	purchase("p4", "c3", "sale", 20_000, 20_000, "2025-05-05T05:05:05.000Z")
	purchase("p5", "", "sale", 99_000, 99_000, "2026-03-03T09:00:00.000Z") // anonymous
	raw.Close()

	s := openAt(t, path)
	if v, err := s.SchemaVersion(ctx); err != nil || v != len(ms) {
		t.Fatalf("SchemaVersion = %d, %v", v, err)
	}
	at := func(s string) time.Time { v, _ := parseTime(s); return v }
	for id, want := range map[string]app.ClientStats{
		"c1": {Visits: 2, Sold: 70_000, Paid: 65_000, FirstVisit: at("2026-02-01T09:00:00.000Z"), LastVisit: at("2026-03-01T09:00:00.000Z")},
		"c2": {},
		"c3": {Visits: 1, Sold: 20_000, Paid: 20_000, FirstVisit: at("2025-05-05T05:05:05.000Z"), LastVisit: at("2025-05-05T05:05:05.000Z")},
	} {
		c, err := s.Client(ctx, id)
		if err != nil || c.Stats != want {
			t.Errorf("client %s: stats %+v, %v; want %+v", id, c.Stats, err, want)
		}
	}
	check := rawDB(t, path)
	rows, err := check.Query(`SELECT id, coalesce(birth_md, 0) FROM clients ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var mds []string
	for rows.Next() {
		var id string
		var md int
		if err := rows.Scan(&id, &md); err != nil {
			t.Fatal(err)
		}
		mds = append(mds, fmt.Sprintf("%s:%d", id, md))
	}
	rows.Close()
	if got := strings.Join(mds, " "); got != "c1:1231 c2:0 c3:229" {
		t.Errorf("birth_md = %s", got)
	}
	clients := app.NewClients(s, app.NewManualClock(testNow))
	for _, tc := range []struct {
		q    app.ClientQuery
		want int
	}{
		{app.ClientQuery{Filter: app.ClientFilter{VisitsFrom: ptr[int64](1)}}, 2},
		{app.ClientQuery{Filter: app.ClientFilter{BirthdayFrom: 1220, BirthdayTo: 301}}, 2},
		{app.ClientQuery{Filter: app.ClientFilter{LastVisitFrom: app.Date{Year: 2026, Month: time.January, Day: 1}}}, 1},
		{app.ClientQuery{Sort: app.SortSold, Desc: true}, 3},
	} {
		if n, err := clients.Count(ctx, tc.q); err != nil || n != tc.want {
			t.Errorf("Count(%+v) = %d, %v; want %d", tc.q, n, err, tc.want)
		}
	}
	page, err := clients.Search(ctx, app.ClientQuery{Sort: app.SortSold, Desc: true, Limit: 10})
	if err != nil || len(page) != 3 || page[0].ID != "c1" || page[1].ID != "c3" {
		t.Errorf("by sold = %v, %v", idsOf(page), err)
	}
	if err := s.Update(ctx, func(tx app.Tx) error {
		return tx.SaveSegment(ctx, app.Segment{ID: app.NewID(), Name: "s", CreatedAt: testNow, UpdatedAt: testNow, NodeID: s.NodeID()})
	}); err != nil {
		t.Errorf("SaveSegment on the migrated file: %v", err)
	}
}

// Migration 0003 on a database of version 2 that holds purchases and lines
// (as the demo loader writes them), a refund, a bonus program and ledger
// entries of the old shape: the purchases and lines are kept with the new
// columns at their defaults, the entries are copied with their client, held
// amounts and lots, the accounts' caches are summed, the schema is the one a
// new database gets, and the money side works on the file (BN-02, PU-02,
// PU-05).
func TestMigrationMoneyOnData(t *testing.T) {
	ctx := context.Background()
	path := tempPath(t)
	raw, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, raw, ms[:2], testNow); err != nil {
		t.Fatal(err)
	}
	const ts = "2026-01-01T10:00:00.000Z"
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO clients (id, first_name, name_key, fname_key, visits, sold, paid, first_visit_at, last_visit_at,
			created_at, updated_at, node_id)
		VALUES ('c1', 'Анна', 'анна', 'анна', 1, 40000, 38000, ?, ?, ?, ?, 'n')`, ts, ts, ts, ts)
	exec(`INSERT INTO product_categories (id, name, created_at, updated_at, node_id) VALUES ('cat', 'Кофе', ?, ?, 'n')`, ts, ts)
	exec(`INSERT INTO products (id, category_id, name, sku, price, created_at, updated_at, node_id)
		VALUES ('latte', 'cat', 'Латте', 'KF-004', 24000, ?, ?, 'n')`, ts, ts)
	// The demo loader's column lists of version 2.
	exec(`INSERT INTO purchases (id, number, client_id, sold, discount, paid, bonus_spent, bonus_accrued,
			occurred_at, created_at, updated_at, node_id)
		VALUES ('p1', 'D000000001', 'c1', 48000, 2000, 46000, 0, 0, ?, ?, ?, 'n')`, ts, ts, ts)
	exec(`INSERT INTO purchase_lines (id, purchase_id, position, product_id, category_id, name, quantity, price, amount,
			created_at, node_id)
		VALUES ('l1', 'p1', 1, 'latte', 'cat', 'Латте', 2000, 24000, 48000, ?, 'n')`, ts)
	exec(`INSERT INTO purchases (id, number, client_id, kind, refund_of, sold, paid, occurred_at, created_at, updated_at, node_id)
		VALUES ('p2', 'D000000002', 'c1', 'refund', 'p1', 8000, 8000, ?, ?, ?, 'n')`, ts, ts, ts)
	exec(`INSERT INTO purchase_lines (id, purchase_id, position, product_id, category_id, name, quantity, price, amount,
			created_at, node_id)
		VALUES ('l2', 'p2', 1, 'latte', 'cat', 'Латте', 1000, 24000, 8000, ?, 'n')`, ts)
	exec(`INSERT INTO purchases (id, number, sold, paid, occurred_at, created_at, updated_at, node_id)
		VALUES ('p3', 'D000000003', 100, 100, ?, ?, ?, 'n')`, ts, ts, ts)
	exec(`INSERT INTO bonus_programs (id, name, account_type_id, reward_kind, reward_value, created_at, updated_at, node_id)
		VALUES ('bp', 'Базовая', ?, 'percent', 500, ?, ?, 'n')`, app.DefaultAccountTypeID, ts, ts)
	exec(`INSERT INTO accounts (id, client_id, account_type_id, created_at, updated_at, node_id)
		VALUES ('a1', 'c1', ?, ?, ?, 'n')`, app.DefaultAccountTypeID, ts, ts)
	for _, e := range []struct {
		id, kind string
		amount   int64
		hold     any
	}{
		{"e1", "accrue", 5000, nil}, {"e2", "debit", 1000, nil}, {"e3", "hold", 500, nil}, {"e4", "confirm", -300, "e3"},
	} {
		exec(`INSERT INTO ledger_entries (id, account_id, kind, amount, hold_id, purchase_id, author, created_at, node_id)
			VALUES (?, 'a1', ?, ?, ?, 'p1', 'cashier', ?, 'n')`, e.id, e.kind, e.amount, e.hold, ts)
	}
	raw.Close()

	s := openAt(t, path)
	if v, err := s.SchemaVersion(ctx); err != nil || v != len(ms) {
		t.Fatalf("SchemaVersion = %d, %v", v, err)
	}
	if got, want := bulkSchemaOf(t, s), bulkSchemaOf(t, openTemp(t)); !reflect.DeepEqual(got, want) {
		t.Errorf("schema after migrating:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	checkBulkDatabase(t, s)

	at, _ := parseTime(ts)
	sale, err := s.Purchase(ctx, "p1")
	wantSale := app.Purchase{ID: "p1", Number: "D000000001", Kind: app.PurchaseSale, ClientID: "c1", Sold: 48000,
		Discount: 2000, Paid: 46000, OccurredAt: at, CreatedAt: at, UpdatedAt: at, NodeID: "n",
		Lines: []app.PurchaseLine{{ID: "l1", Position: 1, ProductID: "latte", CategoryID: "cat", Name: "Латте",
			Quantity: 2000, Price: 24000, Amount: 48000, Refunded: 0}}}
	if err != nil || !reflect.DeepEqual(sale, wantSale) {
		t.Errorf("sale after migrating =\n%+v, %v\nwant\n%+v", sale, err, wantSale)
	}
	if rf, err := s.PurchaseByNumber(ctx, "D000000002"); err != nil || rf.Kind != app.PurchaseRefund || rf.RefundOf != "p1" ||
		len(rf.Lines) != 1 || rf.Lines[0].ID != "l2" || rf.Lines[0].RefundOf != "" {
		t.Errorf("refund after migrating = %+v, %v", rf, err)
	}
	if ps, err := s.Purchases(ctx, app.PurchaseQuery{}); err != nil || len(ps) != 3 {
		t.Errorf("Purchases after migrating = %d, %v", len(ps), err)
	}
	if c, err := s.Client(ctx, "c1"); err != nil || c.Stats.Visits != 1 || c.Stats.Sold != 40000 {
		t.Errorf("client totals after migrating = %+v, %v", c.Stats, err)
	}
	ps, err := s.Programs(ctx)
	if err != nil || len(ps) != 1 || !ps[0].Enabled || ps[0].Base != app.BaseSold || ps[0].Weekdays != app.AllWeekdays ||
		ps[0].HoursFrom != 0 || ps[0].HoursTo != 0 || ps[0].RewardValue != 500 {
		t.Errorf("program after migrating = %+v, %v", ps, err)
	}

	// The ledger: signs of the new contract, the client, lots and caches.
	a, err := s.AccountByID(ctx, "a1")
	if err != nil || a.Posted != 5000-1000-300 || a.Held != 0 || a.TypeName != "Bonuses" {
		t.Errorf("account after migrating = %+v, %v", a, err)
	}
	es, err := s.Entries(ctx, app.EntryQuery{ClientID: "c1"})
	if err != nil || len(es) != 4 {
		t.Fatalf("Entries after migrating = %+v, %v", es, err)
	}
	got := map[string][2]int64{}
	for _, e := range es {
		got[e.ID] = [2]int64{e.Amount, e.Held}
		if e.ClientID != "c1" || e.PurchaseID != "p1" {
			t.Errorf("entry %s after migrating: %+v", e.ID, e)
		}
	}
	if want := map[string][2]int64{"e1": {5000, 0}, "e2": {-1000, 0}, "e3": {0, 500}, "e4": {-300, -500}}; !reflect.DeepEqual(got, want) {
		t.Errorf("entries' amounts after migrating = %v, want %v", got, want)
	}
	if lots, err := s.OpenLots(ctx, "a1"); err != nil || len(lots) != 1 || lots[0].EntryID != "e1" || lots[0].Remaining != 5000 {
		t.Errorf("lots after migrating = %+v, %v", lots, err)
	}
	if ms, err := s.LedgerCheck(ctx); err != nil || len(ms) != 0 {
		t.Errorf("LedgerCheck after migrating = %+v, %v", ms, err)
	}
	if open, err := s.OpenHolds(ctx, "", time.Time{}); err != nil || len(open) != 0 {
		t.Errorf("OpenHolds after migrating = %+v, %v", open, err)
	}

	// The money side works on the file.
	if err := s.Update(ctx, func(tx app.Tx) error {
		if err := tx.InsertPurchase(ctx, app.Purchase{ID: "g1", Number: "G-1", Kind: app.PurchaseGift, ClientID: "c1",
			BonusSpent: 1000, OccurredAt: testNow, CreatedAt: testNow, UpdatedAt: testNow, NodeID: s.NodeID(),
			Lines: []app.PurchaseLine{{ID: "gl1", Position: 1, Name: "Кружка", Quantity: 1000, Bonus: 1000}}}); err != nil {
			return err
		}
		return tx.AppendEntry(ctx, app.Entry{ID: "e5", AccountID: "a1", ClientID: "c1", Kind: app.EntryDebit, Amount: -1000,
			PurchaseID: "g1", Author: "cashier", CreatedAt: testNow, NodeID: s.NodeID(),
			Draws: []app.Draw{{LotID: "e1", Amount: 1000}}})
	}); err != nil {
		t.Fatalf("a gift on the migrated file: %v", err)
	}
	if a, _ := s.AccountByID(ctx, "a1"); a.Posted != 2700 {
		t.Errorf("balance after the gift = %d", a.Posted)
	}
	for _, q := range []string{`UPDATE ledger_entries SET amount = 0`, `DELETE FROM ledger_entries WHERE id = 'e1'`} {
		if _, err := s.write.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s on the migrated file: %v", q, err)
		}
	}
}
