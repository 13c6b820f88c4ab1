package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"

	"loyaltydesk/app"
)

// ErrNotEmpty is returned by NewBulkLoader when the database already holds
// clients: a bulk load is only for filling a new database.
var ErrNotEmpty = errors.New("the database already holds clients; a bulk load needs a new, empty database")

// Tuning of the bulk loader.
const (
	bulkBatchRows   = 4096      // rows the caller hands to the writer at a time
	bulkQueue       = 4         // batches that may wait for the writer
	bulkCacheKiB    = 512 << 10 // page cache during the load: 512 MiB…
	bulkWALCacheKiB = 1 << 20   // …or 1 GiB when the load goes through the WAL
	bulkThreads     = 2         // helper threads of SQLite's sorter (CREATE INDEX)
)

// bulkDropIndexes are the indexes whose keys arrive in random order during a
// load (names, phones, e-mails, identifier values, a purchase's client) and
// those over the clients' totals, which the loader fills after the rows. The
// loader drops them and builds them again by sorting, which is several times
// faster than inserting a million random keys one by one (and than updating
// a million entries of the totals). The other indexes grow at their end
// (time-ordered keys, receipt numbers) or at the end of a few runs (a
// group's, a tag's or a category's clients), or stay almost empty.
var bulkDropIndexes = []string{
	"clients_name", "clients_fname", "clients_phone", "clients_phone_rev", "clients_email",
	"clients_filter", "clients_last_visit", "clients_visits", "clients_sold", "clients_paid",
	"client_identifiers_value", "purchases_client",
}

// bulkTable is a table the bulk loader fills, in foreign-key order: a batch is
// written table by table in this order, so every row finds what it points at.
type bulkTable int

const (
	bulkCategories bulkTable = iota
	bulkProducts
	bulkGroups
	bulkClasses
	bulkStatuses
	bulkClientCategories
	bulkTags
	bulkClients
	bulkIdentifiers
	bulkClientTags
	bulkMembers
	bulkPurchases
	bulkLines
	bulkTables
)

// bulkRefTables are the tables of the Ref kinds.
var bulkRefTables = map[app.RefKind]bulkTable{
	app.RefGroup:    bulkGroups,
	app.RefClass:    bulkClasses,
	app.RefStatus:   bulkStatuses,
	app.RefCategory: bulkClientCategories,
}

// bulkRefColumns are the columns of a named record.
var bulkRefColumns = []string{"id", "name", "created_at", "updated_at", "node_id"}

// bulkSchema is the table and columns each bulkTable inserts into.
var bulkSchema = [bulkTables]struct {
	table   string
	columns []string
}{
	bulkCategories: {"product_categories", []string{"id", "name", "parent_id", "created_at", "updated_at", "node_id"}},
	bulkProducts: {"products", []string{"id", "category_id", "name", "sku", "price", "created_at", "updated_at",
		"node_id"}},
	bulkGroups:           {"client_groups", bulkRefColumns},
	bulkClasses:          {"client_classes", bulkRefColumns},
	bulkStatuses:         {"client_statuses", bulkRefColumns},
	bulkClientCategories: {"client_categories", bulkRefColumns},
	bulkTags:             {"tags", bulkRefColumns},
	bulkClients:          {"clients", clientColumnsInsert},
	bulkIdentifiers:      {"client_identifiers", identifierColumnsInsert},
	bulkClientTags:       {"client_tags", []string{"client_id", "tag_id", "created_at", "node_id"}},
	bulkMembers:          {"client_category_members", []string{"client_id", "category_id", "created_at", "node_id"}},
	bulkPurchases:        {"purchases", purchaseColumnsInsert},
	bulkLines:            {"purchase_lines", lineColumnsInsert},
}

// insertSQL returns the one-row INSERT into t.
func insertSQL(t bulkTable) string {
	s := bulkSchema[t]
	return "INSERT INTO " + s.table + " (" + strings.Join(s.columns, ", ") + ") VALUES (" +
		strings.TrimSuffix(strings.Repeat("?, ", len(s.columns)), ", ") + ")"
}

// BulkStats counts the rows a BulkLoader has taken.
type BulkStats struct {
	Categories, Products, Clients, Identifiers, Purchases, Lines int
	// Refs counts groups, classes, statuses and client categories; Tagged and
	// Members the clients' tags and category memberships.
	Refs, Tags, Tagged, Members int
}

// BulkLoader fills a new database fast: the demo venue and, later, imports. It
// takes rows in foreign-key order (it is a demo.Sink) and writes them on the
// store's write connection. Before the commit it adds up every client's
// totals (visits, sold, paid, first and last visit) from the loaded purchases.
//
// The whole load is one transaction: Close commits it, and an error or a
// cancelled context rolls it back, leaving the database as it was. For speed
// the loader
//
//   - drops the indexes whose keys arrive in random order, and those over the
//     totals, and builds them again (sorting) after the totals, before the
//     commit; they are dropped inside the transaction, so a crash cannot leave
//     the database without them;
//   - runs with synchronous=OFF and a large page cache until Close puts back
//     the normal settings;
//   - when no other connection has the database open (the read pool's idle
//     connections are closed for the purpose), switches the database from WAL
//     to a rollback journal for the load: a transaction of gigabytes is slow in
//     WAL mode, while a rollback journal of a new database stays tiny. The
//     store's reads then wait for the load (and fail after the busy timeout);
//     when the switch is not possible the load goes through the WAL, slower
//     but without blocking readers. Close switches back to WAL.
//
// The caller's goroutine prepares the rows and a second goroutine writes them,
// so a load uses two cores. Methods are not safe for concurrent use; an error
// of the writer comes back from the next call and from Close.
type BulkLoader struct {
	s     *Store
	ctx   context.Context
	conn  *sql.Conn
	saved []string // PRAGMA statements that restore the connection's settings
	// analysisLimit is the connection's analysis_limit, put back after ANALYZE.
	analysisLimit int64
	// indexes holds the CREATE INDEX statements of the indexes dropped for the
	// load, in schema order.
	indexes []string
	// rollback is set while the database runs with a rollback journal.
	rollback bool
	// bad is set when a failed ROLLBACK may have left the connection in a
	// transaction: release closes it rather than hand it back.
	bad bool
	// readIdle is the read pool's idle limit, 0 while idle readers are kept closed.
	readIdle int

	cur  *bulkBatch
	work chan *bulkBatch
	free chan *bulkBatch
	done chan struct{}

	mu  sync.Mutex
	err error // the writer's error

	stats  BulkStats
	closed bool
}

// bulkBatch is rows on their way to the writer: per table, the column values
// of its rows one after another.
type bulkBatch struct {
	vals [bulkTables][]driver.NamedValue
	rows int
}

// NewBulkLoader starts a bulk load into s. The database must hold no clients
// yet (ErrNotEmpty otherwise). The loader holds the store's write connection
// and write lock until Close, so other writes wait for the load to end; ctx
// bounds the whole load. Always call Close.
func (s *Store) NewBulkLoader(ctx context.Context) (*BulkLoader, error) {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("bulk load into %s: %w", s.path, err)
	}
	b := &BulkLoader{s: s, ctx: ctx, conn: conn}
	if err := b.start(ctx); err != nil {
		return nil, fmt.Errorf("bulk load into %s: %w", s.path, errors.Join(err, b.release()))
	}
	b.work = make(chan *bulkBatch, bulkQueue)
	b.free = make(chan *bulkBatch, bulkQueue+2)
	b.done = make(chan struct{})
	b.cur = &bulkBatch{}
	go b.run()
	return b, nil
}

// start relaxes durability on the write connection, begins the transaction,
// checks that the database holds no clients and drops the indexes in
// bulkDropIndexes.
func (b *BulkLoader) start(ctx context.Context) (err error) {
	if err := b.conn.QueryRowContext(ctx, `PRAGMA analysis_limit`).Scan(&b.analysisLimit); err != nil {
		return err
	}
	for _, p := range []string{"synchronous", "cache_size", "threads"} {
		var v int64
		if err := b.conn.QueryRowContext(ctx, `PRAGMA `+p).Scan(&v); err != nil {
			return err
		}
		b.saved = append(b.saved, fmt.Sprintf(`PRAGMA %s = %d`, p, v))
	}
	if err := b.leaveWAL(ctx); err != nil {
		return err
	}
	cache := bulkWALCacheKiB
	if b.rollback {
		cache = bulkCacheKiB
	}
	for _, q := range []string{
		`PRAGMA synchronous = OFF`,
		fmt.Sprintf(`PRAGMA cache_size = %d`, -cache),
		fmt.Sprintf(`PRAGMA threads = %d`, bulkThreads),
		`BEGIN IMMEDIATE`,
	} {
		if _, err := b.conn.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	defer func() {
		if err != nil {
			if _, rerr := b.conn.ExecContext(context.Background(), `ROLLBACK`); rerr != nil {
				b.bad = true
			}
		}
	}()
	var taken bool
	if err := b.conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM clients)`).Scan(&taken); err != nil {
		return err
	}
	if taken {
		return ErrNotEmpty
	}
	rows, err := b.conn.QueryContext(ctx, `SELECT name, sql FROM sqlite_schema
		WHERE type = 'index' AND sql IS NOT NULL ORDER BY rowid`)
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return err
		}
		if slices.Contains(bulkDropIndexes, name) {
			names = append(names, name)
			b.indexes = append(b.indexes, def)
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	for _, name := range names {
		if _, err := b.conn.ExecContext(ctx, `DROP INDEX "`+name+`"`); err != nil {
			return err
		}
	}
	return nil
}

// leaveWAL switches the database to a rollback journal if no other
// connection has it open; it closes the read pool's idle connections first.
// When another connection is busy the database stays in WAL mode.
func (b *BulkLoader) leaveWAL(ctx context.Context) error {
	var busy int64
	if err := b.conn.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy); err != nil {
		return err
	}
	b.readIdle = b.s.read.Stats().MaxOpenConnections // Open keeps them all idle
	b.s.read.SetMaxIdleConns(-1)                     // close the idle readers and keep none
	// Fail at once rather than wait for a reader.
	if _, err := b.conn.ExecContext(ctx, `PRAGMA busy_timeout = 0`); err != nil {
		return err
	}
	var mode string
	err := b.conn.QueryRowContext(ctx, `PRAGMA journal_mode = DELETE`).Scan(&mode)
	var se sqlite3.Error
	switch {
	case errors.As(err, &se) && se.Code == sqlite3.ErrBusy:
		// Someone is reading: load through the WAL.
	case err != nil:
		return err
	default:
		b.rollback = mode == "delete"
	}
	if !b.rollback {
		b.s.read.SetMaxIdleConns(b.readIdle)
		b.readIdle = 0
	}
	_, err = b.conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA busy_timeout = %d`, busy))
	return err
}

// release puts back the connection's settings, the WAL and the read pool,
// and hands the connection back to the store. A connection that may be left
// in a transaction or with the load's settings is closed instead, and the
// store opens a fresh one.
func (b *BulkLoader) release() error {
	err := b.restore()
	if err != nil || b.bad {
		b.discard()
		return err
	}
	return b.conn.Close()
}

// discard closes the connection for good; the store's pool opens a new one,
// set up by the connection string, when it next needs to write.
func (b *BulkLoader) discard() {
	_ = b.conn.Raw(func(any) error { return driver.ErrBadConn })
}

// restore puts back the connection's settings, the WAL and the read pool.
func (b *BulkLoader) restore() error {
	var errs []error
	for _, q := range b.saved {
		if _, err := b.conn.ExecContext(context.Background(), q); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", q, err))
		}
	}
	if b.rollback {
		var mode string
		err := b.conn.QueryRowContext(context.Background(), `PRAGMA journal_mode = WAL`).Scan(&mode)
		if err == nil && mode != "wal" {
			err = fmt.Errorf("journal mode is %q", mode)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("back to WAL: %w", err))
		} else {
			b.rollback = false
		}
	}
	if b.readIdle > 0 {
		b.s.read.SetMaxIdleConns(b.readIdle)
		b.readIdle = 0
	}
	return errors.Join(errs...)
}

// Categories loads product categories.
func (b *BulkLoader) Categories(cs []app.ProductCategory) error {
	if err := b.check(); err != nil {
		return err
	}
	for _, c := range cs {
		b.add(bulkCategories,
			c.ID, c.Name, nullString(c.ParentID), formatTime(c.CreatedAt), formatTime(c.UpdatedAt), c.NodeID)
	}
	b.stats.Categories += len(cs)
	return b.flushIfFull()
}

// Products loads products; their categories must have come first.
func (b *BulkLoader) Products(ps []app.Product) error {
	if err := b.check(); err != nil {
		return err
	}
	for _, p := range ps {
		b.add(bulkProducts, p.ID, nullString(p.CategoryID), p.Name, p.SKU, p.Price,
			formatTime(p.CreatedAt), formatTime(p.UpdatedAt), p.NodeID)
	}
	b.stats.Products += len(ps)
	return b.flushIfFull()
}

// Refs loads client groups, classes, statuses or client categories by name.
func (b *BulkLoader) Refs(kind app.RefKind, rs []app.Ref, at time.Time, node string) error {
	if err := b.check(); err != nil {
		return err
	}
	t, ok := bulkRefTables[kind]
	if !ok {
		return fmt.Errorf("bulk load: ref kind %q: %w", kind, app.ErrInvalid)
	}
	ts := formatTime(at)
	for _, r := range rs {
		b.add(t, r.ID, r.Name, ts, ts, node)
	}
	b.stats.Refs += len(rs)
	return b.flushIfFull()
}

// Tags loads tags.
func (b *BulkLoader) Tags(ts []app.Tag) error {
	if err := b.check(); err != nil {
		return err
	}
	for _, t := range ts {
		created, updated := formatTimes(t.CreatedAt, t.UpdatedAt)
		b.add(bulkTags, t.ID, t.Name, created, updated, t.NodeID)
	}
	b.stats.Tags += len(ts)
	return b.flushIfFull()
}

// Client loads a client and their identifiers; a referrer must have come
// first. The search keys are derived as InsertClient derives them. The
// client's Tags and CategoryIDs (loaded before) become their tags and
// category memberships, stamped with the client's created time and node; the
// Stats are replaced by the totals of the loaded purchases at Close.
func (b *BulkLoader) Client(c app.Client, ids []app.Identifier) error {
	if err := b.check(); err != nil {
		return err
	}
	// The same row mapping as InsertClient and InsertIdentifier.
	b.add(bulkClients, clientRow(c)...)
	for _, idf := range ids {
		b.add(bulkIdentifiers, identifierRow(idf)...)
	}
	created := formatTime(c.CreatedAt)
	for _, t := range c.Tags {
		b.add(bulkClientTags, c.ID, t.ID, created, c.NodeID)
	}
	for _, cat := range c.CategoryIDs {
		b.add(bulkMembers, c.ID, cat, created, c.NodeID)
	}
	b.stats.Clients++
	b.stats.Identifiers += len(ids)
	b.stats.Tagged += len(c.Tags)
	b.stats.Members += len(c.CategoryIDs)
	return b.flushIfFull()
}

// Purchase loads a receipt with its lines; its client must have come first.
// The lines are stamped with the receipt's created_at and node.
func (b *BulkLoader) Purchase(p app.Purchase) error {
	if err := b.check(); err != nil {
		return err
	}
	// The same row mapping as InsertPurchase.
	row, created := purchaseRow(p)
	b.add(bulkPurchases, row...)
	for _, l := range p.Lines {
		b.add(bulkLines, lineRow(p, l, created)...)
	}
	b.stats.Purchases++
	b.stats.Lines += len(p.Lines)
	return b.flushIfFull()
}

// bulkTotalsSQL adds up the clients' totals from the loaded purchases, as
// migration 0002 does: grouped once into a temporary table (a sort of the
// purchases, whose client index is dropped during the load) and written to
// the clients in one UPDATE … FROM, in the order of their ids.
var bulkTotalsSQL = []string{
	`CREATE TEMP TABLE bulk_totals AS
	SELECT client_id,
	       sum(kind = 'sale') AS visits,
	       sum(CASE kind WHEN 'refund' THEN -sold ELSE sold END) AS sold,
	       sum(CASE kind WHEN 'refund' THEN -paid ELSE paid END) AS paid,
	       min(CASE kind WHEN 'sale' THEN occurred_at END) AS first_visit_at,
	       max(CASE kind WHEN 'sale' THEN occurred_at END) AS last_visit_at
	FROM purchases WHERE client_id IS NOT NULL GROUP BY client_id`,
	`UPDATE clients SET visits = t.visits, sold = t.sold, paid = t.paid,
	       first_visit_at = t.first_visit_at, last_visit_at = t.last_visit_at
	FROM bulk_totals t WHERE t.client_id = clients.id`,
	`DROP TABLE bulk_totals`,
}

// formatTimes formats a created and an updated time, once when they are equal.
func formatTimes(created, updated time.Time) (string, string) {
	c := formatTime(created)
	if updated.Equal(created) {
		return c, c
	}
	return c, formatTime(updated)
}

// Stats returns how many rows the loader has taken so far.
func (b *BulkLoader) Stats() BulkStats { return b.stats }

// Close adds up the clients' totals, builds the dropped indexes again,
// commits the load, puts back the normal durability settings and the WAL,
// updates the query planner's statistics (ANALYZE) and checkpoints. It
// returns the first error of the load, in which case nothing of the load is
// kept. The totals and the indexes take a while for a large venue (about a
// minute for a million clients and 3.1 million purchases).
func (b *BulkLoader) Close() error {
	if b.closed {
		return errors.New("bulk load: already closed")
	}
	b.closed = true
	if b.writerErr() == nil && b.cur.rows > 0 {
		b.work <- b.cur
	}
	b.cur = nil
	close(b.work)
	<-b.done
	err := b.writerErr()
	rerr := b.restore()
	errs := []error{err, rerr}
	if err == nil && rerr == nil {
		// The planner needs statistics to pick the search indexes;
		// analysis_limit keeps ANALYZE of a large venue short. The checkpoint
		// empties the WAL, which has grown to the size of the load.
		for _, q := range []string{
			`PRAGMA analysis_limit = 1000`,
			`ANALYZE`,
			`PRAGMA optimize`,
			fmt.Sprintf(`PRAGMA analysis_limit = %d`, b.analysisLimit),
			`PRAGMA wal_checkpoint(TRUNCATE)`,
		} {
			if _, err := b.conn.ExecContext(context.Background(), q); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", q, err))
				break
			}
		}
	}
	if rerr != nil || b.bad {
		b.discard()
	} else {
		errs = append(errs, b.conn.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("bulk load into %s: %w", b.s.path, err)
	}
	return nil
}

func (b *BulkLoader) check() error {
	if b.closed {
		return errors.New("bulk load: closed")
	}
	if err := b.writerErr(); err != nil {
		return fmt.Errorf("bulk load into %s: %w", b.s.path, err)
	}
	return nil
}

func (b *BulkLoader) writerErr() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// add appends one row to table t of the current batch.
func (b *BulkLoader) add(t bulkTable, vals ...any) {
	if len(vals) != len(bulkSchema[t].columns) {
		panic(fmt.Sprintf("bulk load: %s has %d columns, not %d", bulkSchema[t].table,
			len(bulkSchema[t].columns), len(vals)))
	}
	v := b.cur.vals[t]
	for i, x := range vals {
		v = append(v, driver.NamedValue{Ordinal: i + 1, Value: x})
	}
	b.cur.vals[t] = v
	b.cur.rows++
}

// flushIfFull hands a full batch to the writer.
func (b *BulkLoader) flushIfFull() error {
	if b.cur.rows < bulkBatchRows {
		return nil
	}
	select {
	case b.work <- b.cur:
	case <-b.ctx.Done():
		return fmt.Errorf("bulk load into %s: %w", b.s.path, b.ctx.Err())
	}
	select {
	case b.cur = <-b.free:
	default:
		b.cur = &bulkBatch{}
	}
	return nil
}

// run is the writer goroutine. After an error it keeps taking batches (and
// drops them) so the caller never blocks.
func (b *BulkLoader) run() {
	defer close(b.done)
	err := b.conn.Raw(func(dc any) error {
		c, ok := dc.(*sqlite3.SQLiteConn)
		if !ok {
			return fmt.Errorf("driver connection is %T, want *sqlite3.SQLiteConn", dc)
		}
		return b.write(c)
	})
	if err != nil {
		b.mu.Lock()
		b.err = err
		b.mu.Unlock()
	}
	for range b.work {
	}
}

// write inserts the batches until the work channel closes, then builds the
// dropped indexes and commits; on an error it rolls the load back.
func (b *BulkLoader) write(c *sqlite3.SQLiteConn) (err error) {
	// Statements run with a context that has no Done channel, which lets
	// go-sqlite3 run them on this goroutine instead of starting one per row;
	// cancellation is checked between batches.
	bg := context.Background()
	var stmts [bulkTables]driver.StmtExecContext
	defer func() {
		for _, st := range stmts {
			if st != nil {
				err = errors.Join(err, st.(driver.Stmt).Close())
			}
		}
		if err != nil && !c.AutoCommit() {
			if _, rerr := c.ExecContext(bg, `ROLLBACK`, nil); rerr != nil {
				b.bad = true
			}
		}
	}()
	for t := range bulkTables {
		st, err := c.Prepare(insertSQL(t))
		if err != nil {
			return fmt.Errorf("prepare insert into %s: %w", bulkSchema[t].table, err)
		}
		stmts[t] = st.(driver.StmtExecContext)
	}
	for batch := range b.work {
		if err := b.ctx.Err(); err != nil {
			return err
		}
		for t, st := range stmts {
			vals := batch.vals[t]
			n := len(bulkSchema[t].columns)
			for i := 0; i < len(vals); i += n {
				if _, err := st.ExecContext(bg, vals[i:i+n]); err != nil {
					return fmt.Errorf("insert into %s: %w", bulkSchema[t].table, mapErr(err))
				}
			}
			clear(vals) // let go of the strings
			batch.vals[t] = vals[:0]
		}
		batch.rows = 0
		select {
		case b.free <- batch:
		default:
		}
	}
	for _, q := range bulkTotalsSQL {
		if _, err := c.ExecContext(b.ctx, q, nil); err != nil {
			return fmt.Errorf("clients' totals: %w", err)
		}
	}
	for _, q := range b.indexes {
		if _, err := c.ExecContext(b.ctx, q, nil); err != nil {
			return fmt.Errorf("build index: %s: %w", q, mapErr(err))
		}
	}
	if _, err := c.ExecContext(bg, `COMMIT`, nil); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
