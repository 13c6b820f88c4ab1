// Package db is LoyaltyDesk's SQLite store. It implements the interfaces the app
// package declares (app.Store, app.Tx) over github.com/mattn/go-sqlite3.
//
// The database runs in WAL mode with foreign keys on, a busy timeout and
// synchronous=FULL (the ledger must survive a power cut). One connection
// writes; a small pool reads. The schema is a set of embedded, numbered SQL
// migrations applied at Open; a database whose schema is newer than this
// program knows is refused rather than touched.
//
// The ledger's entries and draws are append-only; beside them the store keeps
// two derived caches, accounts.posted/held and ledger_lots.remaining, which
// AppendEntry moves in the same transaction (inside a savepoint, so a refused
// entry leaves nothing behind) and LedgerCheck proves against the sums. The
// CHECK constraints on those caches make an overdraft impossible whatever the
// caller does: AppendEntry reports them as app.ErrInvalid.
package db
